//! `coach add|list|outcome`: the workspace's coaching log (SPEC §8).

use super::{CoachCommand, Failure, ListFormat, emit, parse_day};
use crate::report::day_text;
use crate::workspace::Workspace;
use crate::workspace::coaching::{CoachingEntry, CoachingOutcome, NewEntry};
use std::path::Path;

/// `coach list --format csv` columns (SPEC §8).
pub const COACHING_COLUMNS: [&str; 8] =
    ["id", "driver_id", "date", "topic", "agreed", "follow_up", "outcome", "outcome_on"];

pub(super) fn run(action: CoachCommand, workspace: Option<&Path>) -> Result<(), Failure> {
    let dir = workspace.ok_or_else(|| Failure::input("coach needs --workspace DIR"))?;
    let mut ws = Workspace::open(dir)?;
    let day_or_today = |text: Option<String>, ws: &Workspace| match text {
        Some(d) => parse_day(&d, false),
        None => Ok(ws.zone().today()),
    };
    match action {
        CoachCommand::Add { driver, topic, agreed, follow_up, date } => {
            let day = day_or_today(date, &ws)?;
            let follow_up = follow_up.as_deref().map(|d| parse_day(d, false)).transpose()?;
            check_driver(dir, &driver)?;
            let id = ws.add_coaching(&NewEntry { driver_id: driver, day, topic, agreed, follow_up })?;
            emit(None, format!("{id}\n").as_bytes())
        }
        CoachCommand::List { driver, format, out } => {
            let entries = ws.coaching(driver.as_deref())?;
            let mut buf = Vec::new();
            write_entries(&entries, format, &mut buf).map_err(|e| Failure::other(e.to_string()))?;
            emit(out, &buf)
        }
        CoachCommand::Outcome { id, outcome, date } => {
            let parsed = CoachingOutcome::parse(&outcome).ok_or_else(|| {
                Failure::input(format!(
                    "unknown outcome '{outcome}' (expected one of: {})",
                    CoachingOutcome::ALL.map(CoachingOutcome::as_str).join(", ")
                ))
            })?;
            let on = day_or_today(date, &ws)?;
            let entry = ws.set_coaching_outcome(id, parsed, on)?;
            let mut buf = Vec::new();
            write_entries(&[entry], ListFormat::Table, &mut buf).map_err(|e| Failure::other(e.to_string()))?;
            emit(None, &buf)
        }
    }
}

/// Refuses an id the workspace's data does not know (a typo would start a log for nobody);
/// accepted when the data cannot be read to tell.
fn check_driver(dir: &Path, driver: &str) -> Result<(), Failure> {
    let Ok(loaded) = super::read_workspace(dir) else { return Ok(()) };
    let known = loaded.fleet.driver_index(driver).is_some() || loaded.scorecards.da_index(driver).is_some();
    let listed = loaded.fleet.drivers.len() + loaded.scorecards.das.len();
    if known || listed == 0 {
        return Ok(());
    }
    Err(Failure::input(format!("--driver: no driver or DA '{driver}' in this workspace's data")))
}

fn write_entries(entries: &[CoachingEntry], format: ListFormat, out: &mut Vec<u8>) -> std::io::Result<()> {
    let day = |d: Option<crate::import::time::Day>| d.map(day_text).unwrap_or_default();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.driver_id.clone(),
                day_text(e.day),
                e.topic.clone(),
                e.agreed.clone(),
                day(e.follow_up),
                e.outcome.map(|o| o.as_str().to_string()).unwrap_or_default(),
                day(e.outcome_on),
            ]
        })
        .collect();
    super::workspace::write_rows(&COACHING_COLUMNS, &rows, format, out)
}
