//! docs/rules.md §1: CSV exports turned, once and at the edge, into validated polars frames.
//!
//! Every row is either accepted (typed, timestamps as UTC instants and days in the fleet's
//! zone) or rejected with its file, physical line, column and reason; nothing is dropped
//! silently. Duplicate keys keep the later accepted row.

pub mod address;
mod apply;
mod blocks;
mod cells;
pub mod codes;
pub mod columns;
mod dataset;
mod error;
pub mod fields;
mod kind;
mod read;
pub mod records;
mod reports;
mod scan;
mod scorecards;
pub mod shape;
mod stream;
mod table;
pub mod text;
pub mod time;
mod watch;
mod workbook;

pub use apply::{ExceptionRow, ExceptionsApplied, ReportsApplied, UnmatchedConcession};
pub use dataset::{Outage, folder_of, repeated_text_dtype, texts_of, upgrade_stored};
pub use error::{ImportError, Rejection, excerpt};
use kind::with_table;
pub use kind::{InputError, TableKind, check_input, classify_file, detect_kind, file_kinds};
use read::{day_first_passes, finish, parse_pass};
use stream::{NotStreamed, stream_pass};
pub use workbook::is_workbook;

use polars_core::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};
use table::Table;
use text::{CsvText, read_csv_text};
use time::FleetZone;

/// Counts for one imported file: read = accepted + duplicate + rejected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileSummary {
    pub path: String,
    pub kind: TableKind,
    pub read: usize,
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Merged into a workspace: the accepted rows that were new, updated and unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged: Option<[usize; 3]>,
    /// The fields the file had a column for (see [`shape`]); empty when not known.
    #[serde(skip)]
    pub columns: Vec<&'static str>,
}

impl fmt::Display for FileSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.merged {
            // The words of the workspace's import history.
            Some([new, updated, unchanged]) => write!(
                f,
                "{} ({}): {} read: {new} new, {updated} updated, {unchanged} unchanged, {} duplicate, {} rejected",
                self.path,
                self.kind.name(),
                self.read,
                self.duplicate,
                self.rejected
            ),
            None => write!(
                f,
                "{}: {} rows read, {} accepted, {} duplicate, {} rejected",
                self.path, self.read, self.accepted, self.duplicate, self.rejected
            ),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub files: Vec<FileSummary>,
    pub rejections: Vec<Rejection>,
    /// File-level remarks that do not reject rows (a column that also names a used field).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub zone: FleetZone,
    /// Read every `NN/NN/YYYY` as day first (otherwise detected per column).
    pub day_first: bool,
    pub detail: Detail,
    /// A scorecard's week when neither its rows nor its file's name give one (`--week`).
    pub week: Option<crate::scorecard::week::Week>,
}

/// Which delivery columns an import keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Every column: letters and the event list quote reasons, notes and DNR report times.
    #[default]
    Full,
    /// What standings are computed from, for `report` and `history`: reason texts, notes,
    /// DNR report times and line numbers are still read and checked (a bad one rejects its
    /// row as before) but not kept, and come out missing. A sixth less memory.
    Standing,
    /// What `report` and `history` count, the least memory: [`Detail::Standing`], with
    /// whether a package has a photo (`has_photo`) instead of the paths, and, when the
    /// export lists tracking ids in strictly increasing order, no tracking ids: such an
    /// export has no duplicates, and its order breaks ties as the ids would.
    Tallies,
}

/// The files of one import; roster, outages, concessions and exceptions are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputPaths {
    pub blocks: PathBuf,
    pub deliveries: PathBuf,
    pub roster: Option<PathBuf>,
    pub outages: Option<PathBuf>,
    /// Amazon's DNR concessions reports: several may be given (a Flex fleet's and a DSP's).
    pub concessions: Vec<PathBuf>,
    /// Amazon's package exceptions and RTS reports: several may be given.
    pub exceptions: Vec<PathBuf>,
    /// Amazon's weekly scorecards (DSP mode): a file per week, or several weeks in one.
    pub scorecards: Vec<PathBuf>,
}

impl InputPaths {
    /// Every file with its kind, in the order they are imported (a workspace import of
    /// the files takes this list).
    pub fn files(&self) -> Vec<(TableKind, PathBuf)> {
        let mut files = Vec::new();
        for (kind, path) in [(TableKind::Blocks, &self.blocks), (TableKind::Deliveries, &self.deliveries)] {
            if !path.as_os_str().is_empty() {
                files.push((kind, path.clone()));
            }
        }
        files.extend(self.roster.clone().map(|p| (TableKind::Roster, p)));
        files.extend(self.outages.clone().map(|p| (TableKind::Outages, p)));
        files.extend(self.concessions.iter().map(|p| (TableKind::Concessions, p.clone())));
        files.extend(self.exceptions.iter().map(|p| (TableKind::Exceptions, p.clone())));
        files.extend(self.scorecards.iter().map(|p| (TableKind::Scorecard, p.clone())));
        files
    }

    /// Puts a file of its kind in: in place of the file of that kind, or (concessions,
    /// exceptions, scorecards) beside the others. Observed tiers are not fleet data and are not kept here.
    pub fn set(&mut self, kind: TableKind, path: PathBuf) {
        match kind {
            TableKind::Blocks => self.blocks = path,
            TableKind::Deliveries => self.deliveries = path,
            TableKind::Roster => self.roster = Some(path),
            TableKind::Outages => self.outages = Some(path),
            TableKind::Concessions => {
                if !self.concessions.contains(&path) {
                    self.concessions.push(path);
                }
            }
            TableKind::Exceptions => {
                if !self.exceptions.contains(&path) {
                    self.exceptions.push(path);
                }
            }
            TableKind::Scorecard => {
                if !self.scorecards.contains(&path) {
                    self.scorecards.push(path);
                }
            }
            TableKind::Observed => {}
        }
    }
}

/// Validated inputs. Instants are `Datetime(ms)` in UTC; `day` columns are calendar days in
/// the fleet's zone. Column names are the canonical field names of docs/rules.md §1.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub blocks: DataFrame,
    pub deliveries: DataFrame,
    pub roster: DataFrame,
    pub outages: DataFrame,
    /// The concession rows as imported; [`Dataset::apply_concessions`] marks their packages.
    pub concessions: DataFrame,
    /// The exceptions rows as imported; [`Dataset::apply_exceptions`] updates or adds their
    /// packages.
    pub exceptions: DataFrame,
    /// Weekly scorecard rows (DSP mode), one per DA and week.
    pub scorecards: DataFrame,
    pub zone: FleetZone,
    /// The deliveries row of each exceptions row, found while the deliveries were read and
    /// their tracking ids dropped ([`Detail::Tallies`]); `None`: found by tracking id.
    pub packages_of_exceptions: Option<Vec<Option<usize>>>,
}

impl Dataset {
    /// No rows of any kind, in the fleet's zone: the rest of a dataset built from only
    /// some of its frames (`Dataset { blocks, deliveries, ..Dataset::empty(zone)? }`).
    pub fn empty(zone: FleetZone) -> Result<Dataset, ImportError> {
        Ok(Dataset {
            blocks: TableKind::Blocks.empty_frame()?,
            deliveries: TableKind::Deliveries.empty_frame()?,
            roster: TableKind::Roster.empty_frame()?,
            outages: TableKind::Outages.empty_frame()?,
            concessions: TableKind::Concessions.empty_frame()?,
            exceptions: TableKind::Exceptions.empty_frame()?,
            scorecards: TableKind::Scorecard.empty_frame()?,
            zone,
            packages_of_exceptions: None,
        })
    }
}

pub fn load_inputs(paths: &InputPaths, opts: &ImportOptions) -> Result<(Dataset, ImportReport), ImportError> {
    // Concessions find their packages by tracking id and compare their dates with the DNR
    // report times: with them, every column is kept.
    let opts = &match opts.detail {
        Detail::Standing | Detail::Tallies if !paths.concessions.is_empty() => {
            ImportOptions { detail: Detail::Full, ..*opts }
        }
        _ => *opts,
    };
    let mut report = ImportReport::default();
    // The exceptions first, on a thread of their own while the blocks are read: their
    // packages are then found while the deliveries are read. (A bad one is told where it
    // was before: after the files listed before it.)
    let read_exceptions = || {
        let mut exceptions_report = ImportReport::default();
        let frame = load_reports(TableKind::Exceptions, &paths.exceptions, opts, &mut exceptions_report);
        let order = match &frame {
            Ok(frame) if frame.height() > 0 => crate::timings::phase("ids to look for", || {
                columns::TRACKING_ID.read(frame).map(|ids| watch::in_id_order(&ids))
            }),
            _ => Ok(Vec::new()),
        };
        (frame, order, exceptions_report)
    };
    let optional = |path: &Option<PathBuf>, kind: TableKind, report: &mut ImportReport| match path {
        Some(p) => load_file(p, kind, opts, report),
        None => kind.empty_frame(),
    };
    // DSP mode (SPEC §7): scorecards instead of blocks and deliveries.
    let given = |p: &PathBuf| (!p.as_os_str().is_empty()).then(|| p.clone());
    let mut read_blocks = || optional(&given(&paths.blocks), TableKind::Blocks, &mut report);
    let ((exceptions, order, exceptions_report), blocks) = if paths.exceptions.is_empty() {
        let blocks = read_blocks();
        (read_exceptions(), blocks)
    } else {
        let failed = || {
            let shown = paths.exceptions.first().map(|p| p.display().to_string()).unwrap_or_default();
            let failed = ImportError::Malformed { path: shown, line: 0, reason: "a reader thread failed".into() };
            (Err(failed), Ok(Vec::new()), ImportReport::default())
        };
        crate::parallel::beside("standwatch-exceptions", read_exceptions, read_blocks, failed)
    };
    let blocks = blocks?;
    let empty = TableKind::Exceptions.empty_frame()?;
    let loaded_exceptions = exceptions.as_ref().unwrap_or(&empty);
    let (deliveries, packages_of_exceptions) = match given(&paths.deliveries) {
        Some(path) => {
            let report_ids = columns::TRACKING_ID.read(loaded_exceptions)?;
            let order = order?;
            let watch = (loaded_exceptions.height() > 0).then(|| watch::WatchedIds::new(&report_ids, &order));
            let (frame, found) = load_deliveries(&path, opts, &mut report, watch.as_ref())?;
            let packages = found.map(|found| {
                let mut rows = vec![None; loaded_exceptions.height()];
                for (delivery, report_row) in found {
                    rows[report_row as usize] = Some(delivery as usize);
                }
                rows
            });
            (frame, packages)
        }
        None => (TableKind::Deliveries.empty_frame()?, None),
    };
    let roster = optional(&paths.roster, TableKind::Roster, &mut report)?;
    let outages = optional(&paths.outages, TableKind::Outages, &mut report)?;
    let mut concessions = TableKind::Concessions.empty_frame()?;
    for path in &paths.concessions {
        concessions.vstack_mut_owned(load_file(path, TableKind::Concessions, opts, &mut report)?)?;
    }
    let exceptions = exceptions?;
    // The import report lists the files in the order of [`InputPaths::files`].
    report.files.extend(exceptions_report.files);
    report.rejections.extend(exceptions_report.rejections);
    report.notes.extend(exceptions_report.notes);
    let scorecards = load_reports(TableKind::Scorecard, &paths.scorecards, opts, &mut report)?;
    let dataset = Dataset {
        blocks,
        deliveries,
        roster,
        outages,
        concessions,
        exceptions,
        scorecards,
        zone: opts.zone,
        packages_of_exceptions,
    };
    Ok((dataset, report))
}

/// Files of one kind in one frame; a key in two files (a package in two exceptions
/// reports, a DA's week in two scorecards): the later file's row wins.
fn load_reports(
    kind: TableKind,
    paths: &[PathBuf],
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    let mut frame = kind.empty_frame()?;
    for path in paths {
        frame.vstack_mut_owned(load_file(path, kind, opts, report)?)?;
    }
    // Each file's own repeats are gone already (the later row won as it was read).
    if paths.len() < 2 {
        return Ok(frame);
    }
    Ok(read::later_rows_win(frame, kind.key_column())?.0)
}

/// Reads and parses one file of the given kind, adding its counts and rejections to
/// `report`. Plain UTF-8 text is read in blocks, so the whole file is never held in
/// memory beside its rows; any other file is decoded whole ([`read_csv_text`]).
pub fn load_file(
    path: &Path,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    with_table!(kind, T => load_file_as::<T>(path, kind, opts, report, None)).map(|(frame, _)| frame)
}

/// [`load_file`] for a deliveries export, looking for the ids `watch` names: with them,
/// the deliveries row of each that was found when the tracking ids were dropped as they
/// were read ([`Detail::Tallies`]).
fn load_deliveries(
    path: &Path,
    opts: &ImportOptions,
    report: &mut ImportReport,
    watch: Option<&watch::WatchedIds>,
) -> Result<(DataFrame, Option<watch::Found>), ImportError> {
    load_file_as::<table::Deliveries>(path, TableKind::Deliveries, opts, report, watch)
}

fn load_file_as<T: Table>(
    path: &Path,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
    watch: Option<&watch::WatchedIds>,
) -> Result<(DataFrame, Option<watch::Found>), ImportError> {
    if workbook::is_workbook(path) {
        return crate::timings::phase(&format!("parse {} workbook", kind.name()), || {
            workbook::load_as::<T>(path, kind, opts, report)
        })
        .map(|frame| (frame, None));
    }
    text::check_size(path)?;
    // Only tracking ids can go: block ids also name the blocks packages were carried on.
    let drop_keys = (opts.detail == Detail::Tallies && kind == TableKind::Deliveries)
        .then_some(stream::KeysToDrop { column: columns::TRACKING_ID.name(), watch });
    let streamed = crate::timings::phase(&format!("parse {}", kind.name()), || {
        day_first_passes(kind.fields().len(), opts.day_first, |day_first| {
            stream_pass::<T>(path, kind.fields(), opts, day_first, blocks::BLOCK_BYTES, drop_keys)
        })
    });
    match streamed {
        Ok(mut parsed) => {
            crate::timings::column_sizes(kind.name(), &parsed.frame);
            let found = parsed.found.take();
            Ok((finish(parsed, kind, &path.display().to_string(), opts, report)?, found))
        }
        Err(NotStreamed::Failed(e)) => Err(e),
        Err(NotStreamed::Unsuitable) => Ok((load_table(&read_csv_text(path)?, kind, opts, report)?, None)),
        Err(NotStreamed::KeysOutOfOrder) => {
            load_file_as::<T>(path, kind, &ImportOptions { detail: Detail::Standing, ..*opts }, report, None)
        }
    }
}

/// Loads already decoded files (see [`text::decode_csv`]); roster and outages are optional.
pub fn load_texts(
    blocks: CsvText,
    deliveries: CsvText,
    roster: Option<CsvText>,
    outages: Option<CsvText>,
    opts: &ImportOptions,
) -> Result<(Dataset, ImportReport), ImportError> {
    let mut report = ImportReport::default();
    let blocks = load_table(&blocks, TableKind::Blocks, opts, &mut report)?;
    let deliveries = load_table(&deliveries, TableKind::Deliveries, opts, &mut report)?;
    let roster = match roster {
        Some(t) => load_table(&t, TableKind::Roster, opts, &mut report)?,
        None => TableKind::Roster.empty_frame()?,
    };
    let outages = match outages {
        Some(t) => load_table(&t, TableKind::Outages, opts, &mut report)?,
        None => TableKind::Outages.empty_frame()?,
    };
    Ok((Dataset { blocks, deliveries, roster, outages, ..Dataset::empty(opts.zone)? }, report))
}

/// Parses one decoded file of the given kind into its frame, adding its counts and
/// rejections to `report`.
pub fn load_table(
    csv: &CsvText,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    with_table!(kind, T => parse_and_finish::<T>(csv, kind, opts, report))
}

fn parse_and_finish<T: Table>(
    csv: &CsvText,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    let parsed = crate::timings::phase(&format!("parse {}", kind.name()), || {
        day_first_passes(kind.fields().len(), opts.day_first, |day_first| {
            parse_pass::<T>(csv, kind.fields(), opts, day_first)
        })
    })?;
    finish(parsed, kind, &csv.path, opts, report)
}

/// The header row of a decoded file, to tell what kind of file it is.
pub fn header_row(csv: &CsvText) -> Result<Vec<String>, ImportError> {
    Ok(records::split_header(csv)?.0)
}

/// Decodes and loads a file given as bytes (tests, drag and drop of in-memory data).
pub fn load_bytes(
    path: &str,
    bytes: Vec<u8>,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    load_table(&text::decode_csv(path.to_string(), bytes)?, kind, opts, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::codes::Reason;
    use chrono::NaiveDate;

    use time::day_from_date;

    fn load(kind: TableKind, text: &str, opts: ImportOptions) -> (DataFrame, ImportReport) {
        let mut report = ImportReport::default();
        let df = load_bytes("in.csv", text.as_bytes().to_vec(), kind, &opts, &mut report).unwrap();
        (df, report)
    }

    #[test]
    fn rejects_bad_rows_with_line_and_column_and_keeps_the_rest() {
        let text = "tracking_id,driver_id,deliver_by,outcome,notes\n\
                    T1,D1,2026-03-02 12:00,delivered,\"two\nlines\"\n\
                    T2,D1,not a date,delivered,\n\
                    T3,,2026-03-02,delivered,\n\
                    T4,D1,2026-03-02,lost,\n";
        let (df, report) = load(TableKind::Deliveries, text, ImportOptions::default());
        assert_eq!(df.height(), 1);
        let lines: Vec<(u64, &str)> = report.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
        assert_eq!(lines, vec![(4, "deliver_by"), (5, "driver_id"), (6, "outcome")]);
        assert!(report.rejections[2].reason.contains("lost"));
        let s = &report.files[0];
        assert_eq!((s.read, s.accepted, s.duplicate, s.rejected), (4, 1, 0, 3));
    }

    #[test]
    fn standing_detail_checks_but_does_not_keep_what_only_letters_quote() {
        let text = "tracking_id,driver_id,deliver_by,outcome,reason,dnr,dnr_reported_at,notes\n\
                    T1,D1,2026-03-02 12:00,attempted,Business closed,Y,2026-03-04 09:00,left at door\n\
                    T2,D1,2026-03-02 12:00,delivered,,Y,not a date,\n";
        let opts = ImportOptions { detail: Detail::Standing, ..ImportOptions::default() };
        let (lean, lean_report) = load(TableKind::Deliveries, text, opts);
        let (full, full_report) = load(TableKind::Deliveries, text, ImportOptions::default());
        // The bad DNR report time rejects its row either way.
        assert_eq!(lean_report.rejections.len(), 1);
        assert_eq!(format!("{lean_report:?}"), format!("{full_report:?}"));
        assert_eq!(lean.schema(), full.schema());
        for name in ["line", "reason", "dnr_reported_at", "notes"] {
            assert_eq!(full.column(name).unwrap().null_count(), 0, "{name}");
            assert_eq!(lean.column(name).unwrap().null_count(), 1, "{name}");
        }
        // What standings are computed from is all there.
        assert!(lean.drop_many(["line", "reason", "dnr_reported_at", "notes"]).equals_missing(&full.drop_many([
            "line",
            "reason",
            "dnr_reported_at",
            "notes"
        ])));
        let reason_code = lean.column("reason_code").unwrap().u32().unwrap().get(0);
        assert_eq!(reason_code.and_then(Reason::from_number), Some(Reason::BusinessClosed));
    }

    #[test]
    fn later_duplicate_wins_and_is_counted() {
        let text = "driver_id,block_id,block_start,checked_in_at\n\
                    D1,B1,2026-03-02 07:00,\n\
                    D1,B2,2026-03-03 07:00,\n\
                    D1,B1,2026-03-02 07:00,2026-03-02 06:55\n";
        let (df, report) = load(TableKind::Blocks, text, ImportOptions::default());
        assert_eq!(df.height(), 2);
        assert_eq!(report.files[0].duplicate, 1);
        let ids: Vec<Option<&str>> = df.column("block_id").unwrap().str().unwrap().iter().collect();
        assert_eq!(ids, vec![Some("B2"), Some("B1")]);
        assert_eq!(df.column("checked_in_at").unwrap().null_count(), 1);
    }

    #[test]
    fn day_first_is_detected_per_column() {
        let text = "driver_id,block_id,block_start\nD1,B1,13/03/2026 07:00\nD1,B2,02/03/2026 07:00\n";
        let (df, report) = load(TableKind::Blocks, text, ImportOptions::default());
        assert!(report.rejections.is_empty(), "{:?}", report.rejections);
        let days: Vec<Option<i32>> = df.column("day").unwrap().date().unwrap().physical().iter().collect();
        let want = |d| Some(day_from_date(NaiveDate::from_ymd_opt(2026, 3, d).unwrap()));
        assert_eq!(days, vec![want(13), want(2)]);
        // Without any day-only-valid value, slash dates are month first.
        let (df, _) = load(
            TableKind::Blocks,
            "driver_id,block_id,block_start\nD1,B2,02/03/2026 07:00\n",
            ImportOptions::default(),
        );
        let days: Vec<Option<i32>> = df.column("day").unwrap().date().unwrap().physical().iter().collect();
        assert_eq!(days, vec![Some(day_from_date(NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()))]);
    }

    #[test]
    fn header_only_blocks_file_is_an_error() {
        let mut report = ImportReport::default();
        let err = load_bytes(
            "b.csv",
            b"driver_id,block_id,block_start\n".to_vec(),
            TableKind::Blocks,
            &ImportOptions::default(),
            &mut report,
        );
        assert!(matches!(err, Err(ImportError::NoRows { .. })));
    }

    #[test]
    fn roster_status_and_dates() {
        let text = "driver_id,status,deactivated_on\nD1,,\nD2,Deactivated,03/05/2026\nD3,on leave,\n";
        let (df, report) = load(TableKind::Roster, text, ImportOptions::default());
        assert_eq!(df.height(), 2);
        assert_eq!(report.rejections[0].line, 4);
        let flags: Vec<Option<bool>> = df.column("deactivated").unwrap().bool().unwrap().iter().collect();
        assert_eq!(flags, vec![Some(false), Some(true)]);
    }
}
