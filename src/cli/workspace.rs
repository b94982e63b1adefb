//! The workspace's `import` and `cases`.

use super::{CasesCommand, Failure, Inputs, ListFormat, emit, parse_day, zone_of};
use crate::import::TableKind;
use crate::import::time::Day;
use crate::report;
use crate::workspace::Workspace;
use crate::workspace::cases::{Case, CaseStatus, CaseUpdate};
use std::path::{Path, PathBuf};

fn dir_of<'a>(workspace: Option<&'a Path>, command: &str) -> Result<&'a Path, Failure> {
    workspace.ok_or_else(|| Failure::input(format!("{command} needs --workspace DIR")))
}

pub(super) fn import(inputs: &Inputs, workspace: Option<&Path>, files: Vec<PathBuf>) -> Result<(), Failure> {
    let dir = dir_of(workspace, "import")?;
    let (from_files, problems) = crate::load::files_by_kind(files);
    if let Some(problem) = problems.into_iter().next() {
        return Err(Failure::input(problem));
    }
    let mut list: Vec<(TableKind, PathBuf)> = inputs.paths().files();
    list.extend(from_files);
    if list.is_empty() {
        return Err(Failure::input(
            "nothing to import: give --blocks, --deliveries, --roster, --outages, --concessions, --exceptions or files",
        ));
    }
    eprintln!("standwatch: importing {} file(s) into {}", list.len(), dir.display());
    let outcome = crate::load::import_into(dir, &list, zone_of(inputs)?, inputs.day_first, inputs.strict)?;
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    for r in &outcome.rejections {
        eprintln!("rejected: {r}");
    }
    let text: String = outcome.files.iter().map(|f| format!("{f}\n")).collect();
    emit(None, text.as_bytes())
}

pub(super) fn cases(action: CasesCommand, workspace: Option<&Path>) -> Result<(), Failure> {
    let mut ws = Workspace::open(dir_of(workspace, "cases")?)?;
    match action {
        CasesCommand::List { format, out } => {
            let cases = ws.cases()?;
            let mut buf = Vec::new();
            write_cases(&cases, ws.zone().today(), format, &mut buf).map_err(|e| Failure::other(e.to_string()))?;
            emit(out, &buf)
        }
        CasesCommand::Stats { format, out } => {
            let stats = ws.ground_stats()?;
            let mut buf = Vec::new();
            write_rows(&STATS_COLUMNS, &stats_rows(&stats), format, &mut buf)
                .map_err(|e| Failure::other(e.to_string()))?;
            emit(out, &buf)
        }
        CasesCommand::Set { id, status, events, date, note } => {
            let status = CaseStatus::parse(&status).ok_or_else(|| {
                Failure::input(format!(
                    "--status: unknown status '{status}' (expected one of: {})",
                    CaseStatus::ALL.map(CaseStatus::as_str).join(", ")
                ))
            })?;
            let on = match date {
                Some(d) => parse_day(&d, false)?,
                None => ws.zone().today(),
            };
            let case = ws.set_case(id, &CaseUpdate { status, overturned: events, on, note })?;
            let mut buf = Vec::new();
            write_cases(&[case], ws.zone().today(), ListFormat::Table, &mut buf)
                .map_err(|e| Failure::other(e.to_string()))?;
            emit(None, &buf)
        }
    }
}

/// `cases stats` columns.
pub const STATS_COLUMNS: [&str; 6] = ["ground", "disputed", "overturned", "denied", "pending", "overturn_rate"];

/// One row per ground; the rate as a fraction with 6 decimals (empty before any decision).
pub fn stats_rows(stats: &[crate::workspace::cases::GroundStats]) -> Vec<Vec<String>> {
    stats
        .iter()
        .map(|s| {
            vec![
                if s.ground.is_empty() { "(not recorded)".to_string() } else { s.ground.clone() },
                s.disputed.to_string(),
                s.overturned.to_string(),
                s.denied.to_string(),
                s.pending.to_string(),
                s.overturn_rate().map_or_else(String::new, |r| format!("{r:.6}")),
            ]
        })
        .collect()
}

/// `cases list` columns.
pub const CASE_COLUMNS: [&str; 12] = [
    "id",
    "driver_id",
    "kind",
    "status",
    "created_on",
    "sent_on",
    "outcome_on",
    "follow_up",
    "events",
    "overturned",
    "file",
    "note",
];

fn write_cases(cases: &[Case], today: Day, format: ListFormat, out: &mut Vec<u8>) -> std::io::Result<()> {
    let day = |d: Option<Day>| d.map(report::day_text).unwrap_or_default();
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            let ids = |overturned: bool| {
                c.events.iter().filter(|e| !overturned || e.overturned).map(|e| e.event.id.as_str()).collect::<Vec<_>>()
            };
            vec![
                c.id.to_string(),
                c.driver_id.clone(),
                c.kind.name().to_string(),
                c.status.as_str().to_string(),
                report::day_text(c.created_on),
                day(c.sent_on),
                day(c.outcome_on),
                if c.needs_follow_up(today) { "yes" } else { "no" }.to_string(),
                ids(false).join(";"),
                ids(true).join(";"),
                c.file.clone().unwrap_or_default(),
                c.note.clone(),
            ]
        })
        .collect();
    write_rows(&CASE_COLUMNS, &rows, format, out)
}

/// Rows under `columns` as CSV, JSON objects or an aligned table.
fn write_rows(columns: &[&str], rows: &[Vec<String>], format: ListFormat, out: &mut Vec<u8>) -> std::io::Result<()> {
    match format {
        ListFormat::Csv => {
            let mut csv = report::SafeCsv::new(&mut *out);
            csv.row(columns)?;
            for r in rows {
                csv.row(r)?;
            }
            csv.finish()
        }
        ListFormat::Json => {
            let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| columns.iter().map(|c| c.to_string()).zip(r.iter().map(|v| v.clone().into())).collect())
                .collect();
            serde_json::to_writer_pretty(&mut *out, &objects).map_err(std::io::Error::other)?;
            out.push(b'\n');
            Ok(())
        }
        ListFormat::Table => report::write_aligned(columns, rows, out),
    }
}
