//! `report` and `history`: every driver's standing on a day, or on every day; `forecast`
//! and the coaching sheets built on them.

use super::scorecard::{is_dsp, week_shown};
use super::{Failure, ForecastFormat, HistoryFormat, Inputs, ReportFormat, emit, load_data, parse_day, pick_day};
use crate::documents::dsp_sheet;
use crate::documents::pdf::Paper;
use crate::documents::sheet::{self, SheetError};
use crate::import::Detail;
use crate::report::{self, Row};
use std::path::{Path, PathBuf};

pub(super) fn report(
    inputs: &Inputs,
    workspace: Option<&Path>,
    as_of: Option<String>,
    format: ReportFormat,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if format == ReportFormat::Xlsx {
        needs_xlsx_out(&out)?;
    }
    let fleet = load_data(inputs, workspace, Detail::Tallies)?.fleet;
    crate::timings::mark("fleet built");
    let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
    let rows: Vec<Row> =
        fleet.listed().map(|i| Row { driver: &fleet.drivers[i], standing: fleet.standing(i, day) }).collect();
    let mut buf = Vec::new();
    match format {
        ReportFormat::Csv => report::write_csv(&rows, &mut buf),
        ReportFormat::Json => report::write_json(&rows, &mut buf),
        ReportFormat::Table => report::write_table(&rows, &mut buf),
        ReportFormat::Xlsx => report::write_xlsx(&rows, &mut buf),
    }
    .map_err(|e| Failure::other(e.to_string()))?;
    emit(out, &buf)
}

/// `forecast` (docs/rules.md §6): one driver's projected days.
pub(super) fn forecast(
    inputs: &Inputs,
    workspace: Option<&Path>,
    driver: &str,
    as_of: Option<String>,
    days: u32,
    format: ForecastFormat,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if days == 0 || days > 3650 {
        return Err(Failure::input("--days must be between 1 and 3650"));
    }
    let fleet = load_data(inputs, workspace, Detail::Standing)?.fleet;
    let index = fleet.driver_index(driver).ok_or_else(|| Failure::input(format!("unknown driver '{driver}'")))?;
    let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
    let projected = fleet.forecast(index, day, days).map_err(|e| Failure::other(e.to_string()))?;
    let mut buf = Vec::new();
    let d = &fleet.drivers[index];
    match format {
        ForecastFormat::Csv => report::write_forecast_csv(d, &projected, &mut buf),
        ForecastFormat::Json => report::write_forecast_json(d, &projected, &mut buf),
    }
    .map_err(|e| Failure::other(e.to_string()))?;
    emit(out, &buf)
}

/// `driver`: one sheet into the file `out`; `None`: every driver's and fleet.pdf into the
/// folder `out`.
pub(super) fn sheet(
    inputs: &Inputs,
    workspace: Option<&Path>,
    driver: Option<&str>,
    as_of: Option<String>,
    paper: Paper,
    out: &Path,
) -> Result<(), Failure> {
    if driver.is_some() && out.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
        return Err(Failure::input(format!("{}: --driver writes one PDF: give --out FILE.pdf", out.display())));
    }
    if driver.is_none() && out.is_file() {
        return Err(Failure::input(format!("{}: --all writes a folder of PDFs: give --out DIR", out.display())));
    }
    let sheet_failure = |e: SheetError| match e {
        SheetError::Write { .. } => Failure::other(format!("cannot write: {e}")),
        _ => Failure::other(e.to_string()),
    };
    let progress = |done: usize, total: usize| {
        let step = (total / 10).max(1);
        if done.is_multiple_of(step) || done == total {
            eprintln!("sheets: {done}/{total}");
        }
    };
    let loaded = load_data(inputs, workspace, Detail::Full)?;
    let fleet = &loaded.fleet;
    let cards = &loaded.scorecards;
    let coaching = loaded.workspace.as_ref().map(|w| w.coaching.as_slice()).unwrap_or_default();
    let dsp = is_dsp(&loaded, inputs);
    // A DA's sheet: in DSP mode, or for an id only the scorecards list.
    let da = driver
        .and_then(|id| cards.da_index(id))
        .filter(|_| dsp || driver.and_then(|id| fleet.driver_index(id)).is_none_or(|i| !fleet.is_listed(i)));
    if let Some(da) = da {
        let week = week_shown(inputs, &loaded)?;
        let bytes = dsp_sheet::da_sheet(fleet, cards, da, week, paper, coaching)
            .map_err(sheet_failure)?
            .ok_or_else(|| Failure::input(format!("{}: no scorecard of week {week} for this DA", cards.das[da].id)))?;
        return emit(Some(out.to_path_buf()), &bytes);
    }
    let das_sheets = |dir: &Path| -> Result<(), Failure> {
        let week = week_shown(inputs, &loaded)?;
        let ids: Vec<String> = cards.week_rows(week).iter().map(|r| cards.das[r.da].id.clone()).collect();
        let request = dsp_sheet::DaSheetsRequest { ids: &ids, coaching, week, paper, dir, summary: true };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let written = dsp_sheet::write_da_sheets(fleet, cards, &request, &cancel, &progress).map_err(sheet_failure)?;
        eprintln!("{}: {} coaching sheets of week {week} and week-{week}.pdf", dir.display(), written.len() - 1);
        Ok(())
    };
    if driver.is_none() && dsp {
        return das_sheets(out);
    }
    let day = pick_day(fleet, as_of.as_deref(), inputs.day_first)?;
    if let Some(id) = driver {
        let index = fleet.driver_index(id).ok_or_else(|| Failure::input(format!("unknown driver '{id}'")))?;
        let bytes = sheet::driver_sheet(fleet, index, day, paper, coaching).map_err(sheet_failure)?;
        return emit(Some(out.to_path_buf()), &bytes);
    }
    let all: Vec<usize> = fleet.listed().collect();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let request = sheet::SheetsRequest { drivers: &all, coaching, as_of: day, paper, dir: out, summary: true };
    let written = sheet::write_sheets(fleet, &request, &cancel, &progress).map_err(sheet_failure)?;
    eprintln!("{}: {} coaching sheets and fleet.pdf", out.display(), written.len() - 1);
    // A fleet with DAs too: their sheets of the newest week in a folder of their own.
    if !cards.is_empty() {
        let week = week_shown(inputs, &loaded)?;
        das_sheets(&out.join(format!("week-{week}")))?;
    }
    Ok(())
}

/// `[from, to]`: the first and last days (default: each driver's first day with a
/// standing, and the newest event day plus the lag).
pub(super) fn history(
    inputs: &Inputs,
    workspace: Option<&Path>,
    driver: Option<String>,
    [from, to]: [Option<String>; 2],
    format: HistoryFormat,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if format == HistoryFormat::Xlsx {
        needs_xlsx_out(&out)?;
    }
    let fleet = load_data(inputs, workspace, Detail::Tallies)?.fleet;
    let to = pick_day(&fleet, to.as_deref(), inputs.day_first)?;
    let from = from.as_deref().map(|f| parse_day(f, inputs.day_first)).transpose()?;
    let drivers: Vec<usize> = match &driver {
        Some(id) => vec![fleet.driver_index(id).ok_or_else(|| Failure::input(format!("unknown driver '{id}'")))?],
        None => fleet.listed().collect(),
    };
    let mut buf = Vec::new();
    match format {
        HistoryFormat::Csv => {
            crate::timings::phase("history rows", || report::write_history_csv(&fleet, &drivers, from, to, &mut buf))
        }
        HistoryFormat::Json => {
            let rows: Vec<Row> = drivers
                .iter()
                .flat_map(|&i| fleet.history(i, from, to).into_iter().map(move |s| (i, s)))
                .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
                .collect();
            report::write_json(&rows, &mut buf)
        }
        HistoryFormat::Xlsx => {
            let rows: Vec<Row> = drivers
                .iter()
                .flat_map(|&i| fleet.history(i, from, to).into_iter().map(move |s| (i, s)))
                .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
                .collect();
            report::write_xlsx(&rows, &mut buf)
        }
    }
    .map_err(|e| Failure::other(e.to_string()))?;
    emit(out, &buf)
}

/// A spreadsheet is written to a file, never to the terminal.
fn needs_xlsx_out(out: &Option<PathBuf>) -> Result<(), Failure> {
    match out {
        Some(path) if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) => Ok(()),
        Some(path) => Err(Failure::input(format!("--format xlsx: {} should end in .xlsx", path.display()))),
        None => Err(Failure::input("--format xlsx writes a spreadsheet: give --out FILE.xlsx")),
    }
}
