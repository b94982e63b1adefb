//! DSP mode on the command line (SPEC §7.4): `scorecard` (a week's DAs) and `calibrate`
//! with scorecards (each metric's tier bounds learnt from the tiers the files give).

use super::{Failure, Inputs, ReportFormat, emit, load_data, week_of};
use crate::fsutil::write_atomic;
use crate::import::Detail;
use crate::load::Loaded;
use crate::report::scorecard as out;
use crate::scorecard::week::Week;
use crate::scorecard::{DaWeek, learn};
use std::path::{Path, PathBuf};

/// The scorecards loaded, refused when there are none.
fn load_scorecards(inputs: &Inputs, workspace: Option<&Path>) -> Result<Loaded, Failure> {
    let loaded = load_data(inputs, workspace, Detail::Full)?;
    if loaded.scorecards.is_empty() {
        return Err(Failure::input(
            "no scorecard rows: give --scorecard FILE (Amazon's weekly scorecard, one row per DA and week)",
        ));
    }
    Ok(loaded)
}

/// DSP mode: scorecards and no blocks, or a `--week` asked for.
pub(super) fn is_dsp(loaded: &Loaded, inputs: &Inputs) -> bool {
    !loaded.scorecards.is_empty() && (loaded.dataset.blocks.height() == 0 || inputs.week.is_some())
}

/// The week shown: `--week`, else the newest; one the scorecards lack is refused.
pub(super) fn week_shown(inputs: &Inputs, loaded: &Loaded) -> Result<Week, Failure> {
    let cards = &loaded.scorecards;
    match week_of(inputs)? {
        Some(w) if cards.weeks.contains(&w) => Ok(w),
        Some(w) => Err(Failure::input(format!(
            "--week {w}: no scorecard of that week (the scorecards have {})",
            cards.weeks.iter().map(|w| w.label()).collect::<Vec<_>>().join(", ")
        ))),
        None => cards.newest_week().ok_or_else(|| Failure::input("no scorecard rows")),
    }
}

pub(super) fn scorecard(
    inputs: &Inputs,
    workspace: Option<&Path>,
    format: ReportFormat,
    path: Option<PathBuf>,
) -> Result<(), Failure> {
    let loaded = load_scorecards(inputs, workspace)?;
    let week = week_shown(inputs, &loaded)?;
    let cards = &loaded.scorecards;
    let rows: Vec<&DaWeek> = cards.week_rows(week);
    let mut buf = Vec::new();
    let written = match format {
        ReportFormat::Table => out::write_table(cards, &rows, &mut buf),
        ReportFormat::Csv => out::write_csv(cards, &rows, &mut buf),
        ReportFormat::Json => out::write_json(cards, &rows, &mut buf),
        ReportFormat::Xlsx => {
            if path.is_none() {
                return Err(Failure::input("--format xlsx needs --out FILE.xlsx"));
            }
            out::write_xlsx(cards, &rows, &mut buf)
        }
    };
    written.map_err(|e| Failure::other(e.to_string()))?;
    emit(path, &buf)
}

/// `calibrate --scorecard FILE…`: each metric's bounds learnt from the rows that give both
/// the value and its tier; the agreement per metric, the last line as §5's.
pub(super) fn calibrate(inputs: &Inputs, workspace: Option<&Path>, path: Option<PathBuf>) -> Result<(), Failure> {
    if inputs.scorecard.is_empty() && workspace.is_none() {
        return Err(Failure::input("give --observed FILE (Flex tiers) or --scorecard FILE (DSP scorecards)"));
    }
    let loaded = load_scorecards(inputs, workspace)?;
    let current = &loaded.settings.dsp.bounds;
    let learnt = crate::timings::phase("learn the scorecard bounds", || learn::learn(&loaded.scorecards, current));
    if learnt.agreement.is_empty() {
        return Err(Failure::input("the scorecards give no tier beside a value: nothing to learn the bounds from"));
    }
    let mut text = String::from("metric            rows  agreement before  after\n");
    for a in &learnt.agreement {
        text.push_str(&format!(
            "{:<16}  {:>4}  {:>16}  {:>5}\n",
            a.measure.key(),
            a.rows,
            format!("{}/{}", a.before, a.rows),
            format!("{}/{}", a.after, a.rows)
        ));
        let (before, after) = (current.get(a.measure), learnt.bounds.get(a.measure));
        if before != after {
            text.push_str(&format!("  bounds: {}\n", bound_changes(before, after)));
        }
    }
    let rows: usize = learnt.agreement.iter().map(|a| a.rows).sum();
    let before: usize = learnt.agreement.iter().map(|a| a.before).sum();
    let after: usize = learnt.agreement.iter().map(|a| a.after).sum();
    text.push_str(&format!("agreement: {after}/{rows} after, {before}/{rows} before\n"));
    if let Some(file) = &path {
        write_atomic(file, learnt.bounds.to_toml().as_bytes())
            .map_err(|e| Failure::other(format!("{}: cannot write: {e}", file.display())))?;
        eprintln!("standwatch: wrote the learnt bounds to {} (use it with --thresholds)", file.display());
    } else {
        eprintln!("standwatch: give --out FILE.toml to write the learnt bounds");
    }
    emit(None, text.as_bytes())
}

/// "fantastic 0.99 → 0.9965, great 0.98 → 0.985".
fn bound_changes(
    before: &crate::scorecard::bounds::MeasureBounds,
    after: &crate::scorecard::bounds::MeasureBounds,
) -> String {
    use crate::scorecard::metrics::Scale;
    let mut parts = Vec::new();
    for scale in [Scale::Classic, Scale::Named2025] {
        for ((a, b), tier) in before.of_scale(scale).iter().zip(after.of_scale(scale)).zip(scale.tiers()) {
            if a != b {
                let shown = |v: &Option<f64>| v.map_or_else(|| "none".to_string(), |v| format!("{v}"));
                parts.push(format!("{} {} → {}", tier.label(), shown(a), shown(b)));
            }
        }
    }
    parts.join(", ")
}
