//! The workspace's `import` and `cases`.

use super::{CasesCommand, Failure, Inputs, ListFormat, emit, parse_day, zone_of};
use crate::config::Windows;
use crate::import::TableKind;
use crate::import::time::Day;
use crate::report;
use crate::workspace::Workspace;
use crate::workspace::cases::{Case, CaseStatus, CaseUpdate, FollowUpDue, follow_ups_due};
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

/// The follow-up rule's settings of the workspace (SPEC §4.4).
fn follow_up_windows(ws: &Workspace) -> Result<Windows, Failure> {
    Ok(crate::settings::Settings::load(&ws.settings_path())
        .map_err(|e| Failure::input(e.to_string()))?
        .thresholds
        .windows)
}

/// `followups`: every follow-up due on the day into `out`, with `index.csv`; the cases due
/// an escalation instead are named on stderr.
pub(super) fn followups(workspace: Option<&Path>, as_of: Option<String>, out: &Path) -> Result<(), Failure> {
    let dir = dir_of(workspace, "followups")?;
    let ws = Workspace::open(dir)?;
    let w = follow_up_windows(&ws)?;
    let day = match as_of {
        Some(d) => parse_day(&d, false)?,
        None => ws.zone().today(),
    };
    let cases = ws.cases()?;
    let due = follow_ups_due(&cases, day, &w);
    let names = driver_names(dir);
    std::fs::create_dir_all(out).map_err(|e| Failure::other(format!("{}: cannot create: {e}", out.display())))?;
    let mut rows = Vec::new();
    let mut failed = 0;
    for (case, what) in due {
        let name = names.get(&case.driver_id).map_or(case.driver_id.as_str(), String::as_str);
        match what {
            FollowUpDue::Escalation => eprintln!(
                "case {} ({}): {} follow-ups and no answer since {}: take it to the station or the DSP portal",
                case.id,
                case.driver_id,
                case.follow_ups.len(),
                case.sent_on.map(report::day_text).unwrap_or_default()
            ),
            FollowUpDue::Letter(number) => {
                match case.write_follow_up(number, name, &w, out, chrono::Utc::now().timestamp()) {
                    Ok(path) => rows.push(vec![
                        case.id.to_string(),
                        case.driver_id.clone(),
                        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                        number.to_string(),
                        case.sent_on.map(report::day_text).unwrap_or_default(),
                    ]),
                    Err(e) => {
                        failed += 1;
                        eprintln!("case {} ({}): no follow-up: {e}", case.id, case.driver_id);
                    }
                }
            }
        }
    }
    let mut index = Vec::new();
    let mut csv = report::SafeCsv::new(&mut index);
    csv.row(FOLLOW_UP_COLUMNS)
        .and_then(|_| rows.iter().try_for_each(|r| csv.row(r)))
        .and_then(|_| csv.finish())
        .map_err(|e| Failure::other(e.to_string()))?;
    let index_path = out.join("index.csv");
    crate::fsutil::write_atomic(&index_path, &index)
        .map_err(|e| Failure::other(format!("{}: cannot write: {e}", index_path.display())))?;
    eprintln!(
        "standwatch: {} follow-up(s) due by {} written to {}; record each one sent with `cases set ID --status follow_up`",
        rows.len(),
        report::day_text(day),
        out.display()
    );
    if failed > 0 {
        return Err(Failure::other(format!("{failed} follow-up(s) could not be written (see above)")));
    }
    Ok(())
}

/// `followups` index.csv columns (SPEC §4.4).
pub const FOLLOW_UP_COLUMNS: [&str; 5] = ["case_id", "driver_id", "file", "number", "first_sent_on"];

/// The drivers' names the workspace's data gives (empty when it cannot be read: the
/// follow-ups then name drivers by id).
fn driver_names(dir: &Path) -> std::collections::HashMap<String, String> {
    match super::read_workspace(dir) {
        Ok(loaded) => loaded.fleet.drivers.iter().filter_map(|d| Some((d.id.clone(), d.name.clone()?))).collect(),
        Err(e) => {
            eprintln!("note: the drivers' names could not be read ({e}): follow-ups name them by id");
            Default::default()
        }
    }
}

pub(super) fn cases(action: CasesCommand, workspace: Option<&Path>) -> Result<(), Failure> {
    let mut ws = Workspace::open(dir_of(workspace, "cases")?)?;
    let w = follow_up_windows(&ws)?;
    match action {
        CasesCommand::List { format, out } => {
            let cases = ws.cases()?;
            let mut buf = Vec::new();
            write_cases(&cases, ws.zone().today(), &w, format, &mut buf).map_err(|e| Failure::other(e.to_string()))?;
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
            write_cases(&[case], ws.zone().today(), &w, ListFormat::Table, &mut buf)
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

fn write_cases(cases: &[Case], today: Day, w: &Windows, format: ListFormat, out: &mut Vec<u8>) -> std::io::Result<()> {
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
                if c.needs_follow_up(today, w) { "yes" } else { "no" }.to_string(),
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
pub(super) fn write_rows(
    columns: &[&str],
    rows: &[Vec<String>],
    format: ListFormat,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
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
