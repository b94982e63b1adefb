//! `disputes` and `reactivation`: letters as `.eml` drafts; with a workspace, each letter
//! saved opens a case.

use super::scorecard::is_dsp;
use super::{Failure, Inputs, LetterOptions, load_data, pick_day};
use crate::fsutil::write_atomic;
use crate::import::Detail;
use crate::letters::{self, LetterKind, LetterSettings, SenderField};
use crate::load::Loaded;
use crate::workspace::cases::{NewCase, absolute_text};
use std::path::{Path, PathBuf};

/// The letter settings: the options given, else the workspace's settings (when there is
/// one); refused when a value cannot go into a letter.
fn letter_settings(
    loaded: &Loaded,
    options: &LetterOptions,
    evidence_dir: Option<&Path>,
) -> Result<LetterSettings, Failure> {
    let mut settings = loaded.letter_settings(evidence_dir);
    let pick = |given: &Option<String>, saved: &mut String| {
        if let Some(value) = given {
            *saved = value.clone();
        }
        *saved = saved.trim().to_string();
    };
    pick(&options.sender_name, &mut settings.sender.name);
    pick(&options.sender_email, &mut settings.sender.email);
    pick(&options.organisation, &mut settings.sender.organisation);
    pick(&options.support_address, &mut settings.support_address);
    if let Some((field, problem)) = settings.sender.problems(&settings.support_address).into_iter().next() {
        let given = match field {
            SenderField::Name => &options.sender_name,
            SenderField::Email => &options.sender_email,
            SenderField::Organisation => &options.organisation,
            SenderField::SupportAddress => &options.support_address,
        };
        return Err(Failure::input(match given {
            Some(_) => format!("{}: {problem}", field.option()),
            None => format!("the workspace's settings, {}: {problem}", field.label()),
        }));
    }
    Ok(settings)
}

pub(super) fn disputes(
    inputs: &Inputs,
    workspace: Option<&Path>,
    as_of: Option<String>,
    evidence_dir: Option<PathBuf>,
    letter: &LetterOptions,
    out: &Path,
) -> Result<(), Failure> {
    let loaded = load_data(inputs, workspace, Detail::Full)?;
    let settings = letter_settings(&loaded, letter, evidence_dir.as_deref())?;
    if is_dsp(&loaded, inputs) {
        return week_disputes(inputs, &loaded, &settings, out);
    }
    let fleet = &loaded.fleet;
    let day = pick_day(fleet, as_of.as_deref(), inputs.day_first)?;
    let drivers: Vec<usize> = fleet.listed().collect();
    let total = drivers.len();
    let progress = |done: usize| {
        if done.is_multiple_of(100) || done == total {
            eprintln!("standwatch: drafting letters {done}/{total}");
        }
    };
    let batch = letters::draft_batch(fleet, &drivers, day, &settings, out, &progress, &|| false)
        .map_err(|e| Failure::other(e.to_string()))?;
    for p in &batch.problems {
        eprintln!("{p}");
    }
    let cases = NewCase::for_batch(&batch, out, fleet.zone.today());
    if let Some((ids, dir)) = loaded.record_cases(&cases)? {
        eprintln!("standwatch: recorded {} case(s) in {}", ids.len(), dir.display());
    }
    Ok(())
}

pub(super) fn reactivation(
    inputs: &Inputs,
    workspace: Option<&Path>,
    driver: &str,
    as_of: Option<String>,
    evidence_dir: Option<PathBuf>,
    letter: &LetterOptions,
    out: &Path,
) -> Result<(), Failure> {
    let loaded = load_data(inputs, workspace, Detail::Full)?;
    let settings = letter_settings(&loaded, letter, evidence_dir.as_deref())?;
    let fleet = &loaded.fleet;
    let day = pick_day(fleet, as_of.as_deref(), inputs.day_first)?;
    let index = fleet.driver_index(driver).ok_or_else(|| Failure::input(format!("unknown driver '{driver}'")))?;
    if !fleet.drivers[index].deactivated {
        eprintln!("standwatch: note: the roster does not say {driver} is deactivated");
    }
    let letter = letters::draft(fleet, index, day, LetterKind::Reactivation, &settings, &[])
        .map_err(|e| Failure::other(e.to_string()))?;
    for p in &letter.problems {
        eprintln!("{}: {p}", letter.driver_id);
    }
    let eml = letters::to_eml(&letter, chrono::Utc::now().timestamp()).map_err(|e| Failure::other(e.to_string()))?;
    write_atomic(out, &eml).map_err(|e| Failure::other(format!("{}: cannot write: {e}", out.display())))?;
    let case = NewCase {
        driver_id: letter.driver_id.clone(),
        kind: LetterKind::Reactivation,
        file: Some(absolute_text(out)),
        created_on: fleet.zone.today(),
        events: letter.event_refs.clone(),
        grounds: letter.event_grounds(),
    };
    if let Some((ids, dir)) = loaded.record_cases(std::slice::from_ref(&case))? {
        for id in ids {
            eprintln!("standwatch: recorded case {id} in {}", dir.display());
        }
    }
    Ok(())
}

/// SPEC §7.3: a dispute for each DA of the week (`--week`, default the newest) with a
/// disputable defect that week, and `index.csv`; with a workspace, each opens a case.
fn week_disputes(inputs: &Inputs, loaded: &Loaded, settings: &LetterSettings, out: &Path) -> Result<(), Failure> {
    let week = super::scorecard::week_shown(inputs, loaded)?;
    let cards = &loaded.scorecards;
    let das: Vec<String> = cards.week_rows(week).iter().map(|r| cards.das[r.da].id.clone()).collect();
    let total = das.len();
    let progress = |done: usize| {
        if done.is_multiple_of(100) || done == total {
            eprintln!("standwatch: drafting letters {done}/{total}");
        }
    };
    let batch = letters::draft_week_batch(&loaded.fleet, cards, &das, week, settings, out, &progress, &|| false)
        .map_err(|e| Failure::other(e.to_string()))?;
    for p in &batch.problems {
        eprintln!("{p}");
    }
    eprintln!("standwatch: {} letter(s) for week {week} in {}", batch.index.len(), out.display());
    let cases = NewCase::for_batch(&batch, out, loaded.fleet.zone.today());
    if let Some((ids, dir)) = loaded.record_cases(&cases)? {
        eprintln!("standwatch: recorded {} case(s) in {}", ids.len(), dir.display());
    }
    Ok(())
}
