//! A workspace: a folder that accumulates weekly imports and records dispute cases.
//!
//! It holds the imported rows as Parquet segments (`data/`), the settings
//! (`settings.toml`) and a SQLite database (`standwatch.db`, WAL mode) with the segment
//! list, the import log and the cases. A segment file is complete on disk before the
//! transaction that names it commits, so a crash at any moment leaves the previous
//! state or the new one, never a mix; files no committed row names are removed later.

pub mod cases;
pub mod coaching;
pub mod lock;
mod schema;
mod segments;
mod store;

use crate::import::columns as col;
use crate::import::text::CsvText;
use crate::import::time::FleetZone;
use crate::import::{
    Dataset, Detail, ImportError, ImportOptions, ImportReport, Rejection, ReportsApplied, TableKind, load_file,
    load_table,
};
use crate::standing::without::keep_rows;
use crate::standing::{EventRef, EventSide};
use polars_core::prelude::*;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use schema::migrate;
use segments::{compact, day_from_sql, day_to_sql, live_rows, log_import, merge, remove_orphans, segments};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "standwatch.db";
pub const DATA_DIR: &str = "data";
pub const SETTINGS_FILE: &str = "settings.toml";

/// A file to merge: already decoded, or read from its path.
enum Input<'a> {
    Text(&'a CsvText),
    File(&'a Path),
}

/// Delivery columns only letters and the event list quote, as [`Detail::Standing`] leaves
/// them out of a file; the last, DNR report times, also counts when there are concessions
/// (their dates are compared with it).
const LETTERS_ONLY: [&str; 4] = ["line", "reason", "notes", "dnr_reported_at"];

/// Segments per kind before an import merges them into one, so that loading stays a
/// handful of file reads.
const MAX_SEGMENTS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{dir}: not a Standwatch workspace (no {DB_FILE} and the folder is not empty)")]
    NotAWorkspace { dir: String },
    #[error("{dir}: no workspace here (create one with `standwatch --workspace DIR import ...`)")]
    Missing { dir: String },
    #[error(
        "{dir}: this workspace was written by a newer Standwatch (format {found}; this version reads up to {supported})"
    )]
    Newer { dir: String, found: i64, supported: i64 },
    #[error("{path}: {message}")]
    Database { path: String, message: String },
    #[error("{path}: a data file of the workspace is damaged: {message}")]
    Damaged { path: String, message: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{0}")]
    Invalid(String),
    #[error("the import was cancelled")]
    Cancelled,
    #[error(
        "{dir}: this workspace is open for changes in another Standwatch ({holder}); nothing was changed — try again once it is closed"
    )]
    Held { dir: String, holder: String },
}

impl WorkspaceError {
    /// Errors caused by what the user gave (exit 2 on the command line).
    pub fn is_input(&self) -> bool {
        match self {
            WorkspaceError::Import(e) => !matches!(e, ImportError::Frame(_)),
            WorkspaceError::Io { .. } | WorkspaceError::Cancelled | WorkspaceError::Held { .. } => false,
            _ => true,
        }
    }
}

impl From<PolarsError> for WorkspaceError {
    fn from(e: PolarsError) -> Self {
        WorkspaceError::Import(ImportError::Frame(e))
    }
}

/// One file of an import, with what it did to the workspace.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileImport {
    pub path: String,
    pub kind: TableKind,
    pub read: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub duplicate: usize,
    pub rejected: usize,
}

impl std::fmt::Display for FileImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} read: {} new, {} updated, {} unchanged, {} duplicate, {} rejected",
            self.path,
            self.kind.name(),
            self.read,
            self.new,
            self.updated,
            self.unchanged,
            self.duplicate,
            self.rejected
        )
    }
}

/// What an import did, file by file, and the rows it rejected.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub files: Vec<FileImport>,
    pub rejections: Vec<Rejection>,
    pub notes: Vec<String>,
}

/// An earlier import, from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: i64,
    /// When it ran, UTC, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    pub files: Vec<FileImport>,
}

/// An open workspace.
pub struct Workspace {
    dir: PathBuf,
    db: Connection,
    zone: FleetZone,
}

fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> WorkspaceError + '_ {
    move |e| database_error(path.display().to_string(), &e)
}

/// Why the folder of `file` cannot take a write, if it cannot: SQLite reports a full or
/// read-only disk met while growing its shared-memory file as a bare I/O error.
fn disk_problem(file: &Path) -> Option<String> {
    let probe = file.with_extension("space-check.tmp");
    let written = std::fs::write(&probe, vec![0u8; 256 * 1024]);
    let _ = std::fs::remove_file(&probe);
    match written.err()?.kind() {
        std::io::ErrorKind::StorageFull => Some("the disk is full — free some space and try again".to_string()),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            Some("the workspace folder is read-only".to_string())
        }
        _ => None,
    }
}

/// A database error in words a user can act on: a full or read-only disk is not damage,
/// and in every case the transaction left the workspace as it was.
fn database_error(path: String, e: &rusqlite::Error) -> WorkspaceError {
    use rusqlite::ErrorCode;
    let message = match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => {
            "the disk is full; nothing was changed — free some space and try again".to_string()
        }
        Some(ErrorCode::ReadOnly) => "the workspace is on a read-only disk or folder; nothing was changed".to_string(),
        Some(ErrorCode::CannotOpen) => format!("cannot open the workspace database (is the folder read-only?): {e}"),
        Some(ErrorCode::SystemIoFailure) => match disk_problem(Path::new(&path)) {
            Some(problem) => format!("{problem}; nothing was changed"),
            None => format!("cannot read or write the workspace database (is the disk failing?): {e}"),
        },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            format!("the workspace database is damaged: {e}; open another workspace or restore a backup")
        }
        _ => format!("the workspace database cannot be used: {e}"),
    };
    WorkspaceError::Database { path, message }
}

impl Workspace {
    /// `workspace` in the platform data folder (e.g. `~/.local/share/standwatch/`).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "standwatch").map(|d| d.data_dir().join("workspace"))
    }

    /// Opens an existing workspace.
    pub fn open(dir: &Path) -> Result<Workspace, WorkspaceError> {
        if !dir.join(DB_FILE).is_file() {
            return Err(if dir.is_dir() && !is_empty_dir(dir) {
                WorkspaceError::NotAWorkspace { dir: dir.display().to_string() }
            } else {
                WorkspaceError::Missing { dir: dir.display().to_string() }
            });
        }
        Workspace::connect(dir, None)
    }

    /// Opens the workspace in `dir`, or creates it there when the folder is missing or
    /// empty; a new workspace reads times without an offset in `zone`.
    pub fn open_or_create(dir: &Path, zone: FleetZone) -> Result<Workspace, WorkspaceError> {
        if dir.join(DB_FILE).is_file() {
            return Workspace::connect(dir, None);
        }
        if dir.is_dir() && !is_empty_dir(dir) {
            return Err(WorkspaceError::NotAWorkspace { dir: dir.display().to_string() });
        }
        let io = |source| WorkspaceError::Io { path: dir.display().to_string(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        // The database first: a crash right after leaves a workspace that opens (its
        // schema is created on the next open), not a folder that is no longer empty.
        let ws = Workspace::connect(dir, Some(zone))?;
        std::fs::create_dir_all(dir.join(DATA_DIR)).map_err(io)?;
        Ok(ws)
    }

    fn connect(dir: &Path, new_zone: Option<FleetZone>) -> Result<Workspace, WorkspaceError> {
        let path = dir.join(DB_FILE);
        let err = db_error(&path);
        let mut db = Connection::open(&path).map_err(&err)?;
        db.busy_timeout(std::time::Duration::from_secs(30)).map_err(&err)?;
        let mode: String = db.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(&err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(WorkspaceError::Database {
                path: path.display().to_string(),
                message: format!(
                    "cannot switch the database to write-ahead logging (journal {mode}); is the folder read-only?"
                ),
            });
        }
        let check: String = db.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(&err)?;
        if check != "ok" {
            return Err(WorkspaceError::Database {
                path: path.display().to_string(),
                message: format!(
                    "the workspace database is damaged: {check}; open another workspace or restore a backup"
                ),
            });
        }
        migrate(&mut db, dir, &path)?;
        if let Some(zone) = new_zone {
            db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('timezone', ?1)", [zone.name()])
                .map_err(&err)?;
        }
        let zone_name: Option<String> =
            db.query_row("SELECT value FROM meta WHERE key = 'timezone'", [], |r| r.get(0)).optional().map_err(&err)?;
        let zone = match zone_name {
            Some(name) => FleetZone::parse(&name).map_err(|e| WorkspaceError::Database {
                path: path.display().to_string(),
                message: format!("the workspace's time zone cannot be read: {e}"),
            })?,
            None => FleetZone::default(),
        };
        Ok(Workspace { dir: dir.to_path_buf(), db, zone })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder's name, for the title bar.
    pub fn name(&self) -> String {
        self.dir.file_name().map_or_else(|| self.dir.display().to_string(), |n| n.to_string_lossy().into_owned())
    }

    /// The zone the workspace reads times without an offset in (fixed when it was created,
    /// since stored days depend on it).
    pub fn zone(&self) -> FleetZone {
        self.zone
    }

    pub fn settings_path(&self) -> PathBuf {
        self.dir.join(SETTINGS_FILE)
    }

    /// The right to change the workspace ([`lock`]): held by this process, or refused
    /// naming the process that has it.
    pub fn write_lock(&self) -> Result<lock::WorkspaceLock, WorkspaceError> {
        lock::WorkspaceLock::acquire(&self.dir).map_err(|e| match e {
            lock::LockError::Held { holder } => WorkspaceError::Held { dir: self.dir.display().to_string(), holder },
            lock::LockError::Io { path, source } => WorkspaceError::Io { path, source },
        })
    }

    fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    fn db_err(&self) -> impl Fn(rusqlite::Error) -> WorkspaceError + use<> {
        let path = self.db_path().display().to_string();
        move |e| database_error(path.clone(), &e)
    }

    /// Merges files into the workspace by key (`block_id`, `tracking_id`, roster
    /// `driver_id`; outages by all their fields): the imported row wins. Files are read
    /// in the workspace's zone. All files land in one transaction, or none does.
    pub fn import(
        &mut self,
        files: &[(TableKind, PathBuf)],
        day_first: bool,
        strict: bool,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<ImportOutcome, WorkspaceError> {
        // Read inside the transaction, one file at a time: CSV files in blocks, workbooks
        // sheet by sheet, never all files decoded at once.
        let inputs: Vec<(TableKind, Input)> = files.iter().map(|(kind, path)| (*kind, Input::File(path))).collect();
        self.import_inputs(&inputs, day_first, strict, cancelled)
    }

    /// [`Workspace::import`] for decoded files. `strict`: any rejected row cancels the
    /// whole import.
    pub fn import_texts(
        &mut self,
        files: &[(TableKind, CsvText)],
        day_first: bool,
        strict: bool,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<ImportOutcome, WorkspaceError> {
        let inputs: Vec<(TableKind, Input)> = files.iter().map(|(kind, csv)| (*kind, Input::Text(csv))).collect();
        self.import_inputs(&inputs, day_first, strict, cancelled)
    }

    fn import_inputs(
        &mut self,
        files: &[(TableKind, Input)],
        day_first: bool,
        strict: bool,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<ImportOutcome, WorkspaceError> {
        let _lock = self.write_lock()?;
        let opts = ImportOptions { zone: self.zone, day_first, detail: Detail::Full, week: None };
        let data_dir = self.dir.join(DATA_DIR);
        std::fs::create_dir_all(&data_dir)
            .map_err(|source| WorkspaceError::Io { path: data_dir.display().to_string(), source })?;
        let err = self.db_err();
        let dir = self.dir.clone();
        let tx = self.db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        // Under the write lock no other import is half-way, so unnamed files are leftovers.
        remove_orphans(&tx, &data_dir).map_err(&err)?;
        let mut outcome = ImportOutcome::default();
        let mut written: Vec<PathBuf> = Vec::new();
        let mut superseded: Vec<PathBuf> = Vec::new();
        let result = (|| -> Result<(), WorkspaceError> {
            for (kind, input) in files {
                if cancelled() {
                    return Err(WorkspaceError::Cancelled);
                }
                if *kind == TableKind::Observed {
                    return Err(WorkspaceError::Invalid(
                        "observed tiers are not kept in a workspace: give them to `standwatch calibrate --observed FILE`"
                            .into(),
                    ));
                }
                let mut report = ImportReport::default();
                let frame = match input {
                    Input::Text(csv) => load_table(csv, *kind, &opts, &mut report)?,
                    Input::File(path) => load_file(path, *kind, &opts, &mut report)?,
                };
                if let (true, Some(first)) = (strict, report.rejections.first()) {
                    return Err(WorkspaceError::Invalid(format!(
                        "--strict: {} rejected row(s), first: {first}; nothing was imported",
                        report.rejections.len()
                    )));
                }
                let summary = &report.files[0];
                outcome.notes.extend(shape_notes(&tx, *kind, &summary.path, &summary.columns).map_err(&err)?);
                let mut file = FileImport {
                    path: summary.path.clone(),
                    kind: *kind,
                    read: summary.read,
                    new: 0,
                    updated: 0,
                    unchanged: 0,
                    duplicate: summary.duplicate,
                    rejected: summary.rejected,
                };
                merge(&tx, &dir, *kind, frame, &mut file, &mut written)?;
                if cancelled() {
                    return Err(WorkspaceError::Cancelled);
                }
                compact(&tx, &dir, *kind, &mut written, &mut superseded)?;
                outcome.files.push(file);
                outcome.rejections.extend(report.rejections);
                outcome.notes.extend(report.notes);
            }
            log_import(&tx, &outcome.files).map_err(&err)
        })();
        match result.and_then(|()| tx.commit().map_err(&err)) {
            Ok(()) => {
                for path in superseded {
                    let _ = std::fs::remove_file(path);
                }
                Ok(outcome)
            }
            Err(e) => {
                for path in written {
                    let _ = std::fs::remove_file(path);
                }
                Err(e)
            }
        }
    }

    /// The current rows, with the events of overturned cases left out (they stop counting
    /// everywhere: report, history, charts, letters).
    pub fn dataset(&self) -> Result<Dataset, WorkspaceError> {
        Ok(self.dataset_and_applied(Detail::Full)?.0)
    }

    /// [`Workspace::dataset`], and what Amazon's reports did to the deliveries (docs/rules.md
    /// §1.10, §1.14): the exceptions' updates and added packages, the concessions that
    /// match no delivery. They are applied before overturned events leave, so that a
    /// concession of an overturned package is not taken for an unmatched one.
    /// With [`Detail::Standing`] or [`Detail::Tallies`], the deliveries' line numbers, reason
    /// texts, notes and (without concessions) DNR report times are not read and come out
    /// missing, as from a file.
    pub fn dataset_and_applied(&self, detail: Detail) -> Result<(Dataset, ReportsApplied), WorkspaceError> {
        let mut data = self.stored_dataset(detail)?;
        let applied = data.apply_reports()?;
        let (blocks, packages) = self.overturned_events()?;
        if !blocks.is_empty() {
            data.blocks = keep_rows(&data.blocks, col::BLOCK_ID.name(), |id| !blocks.contains(id))?;
        }
        if !packages.is_empty() {
            data.deliveries = keep_rows(&data.deliveries, col::TRACKING_ID.name(), |id| !packages.contains(id))?;
        }
        Ok((data, applied))
    }

    /// Every current row as stored, overturned events included.
    fn stored_dataset(&self, detail: Detail) -> Result<Dataset, WorkspaceError> {
        // A concurrent import may merge segments between listing and reading them: then
        // the listing is read again.
        let mut attempt = 0;
        loop {
            match self.read_all(detail) {
                Err(WorkspaceError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound && attempt < 2 =>
                {
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn read_all(&self, detail: Detail) -> Result<Dataset, WorkspaceError> {
        let mut frames = Vec::new();
        // DNR report times count only against concessions.
        let concessions = !segments(&self.db, TableKind::Concessions).map_err(self.db_err())?.is_empty();
        for kind in TableKind::ALL {
            let segments = segments(&self.db, kind).map_err(self.db_err())?;
            let left_out: &[&str] = match (kind, detail) {
                (TableKind::Exceptions, _) => &[],
                (TableKind::Deliveries, Detail::Standing | Detail::Tallies) if concessions => &LETTERS_ONLY[..3],
                (TableKind::Deliveries, Detail::Standing | Detail::Tallies) => &LETTERS_ONLY,
                _ => &[],
            };
            frames.push(live_rows(&self.dir, kind, &segments, left_out)?);
        }
        let mut frames = frames.into_iter();
        let mut next = || frames.next().ok_or_else(|| WorkspaceError::Invalid("missing table".into()));
        Ok(Dataset {
            blocks: next()?,
            deliveries: next()?,
            roster: next()?,
            outages: next()?,
            concessions: next()?,
            exceptions: next()?,
            scorecards: next()?,
            zone: self.zone,
            packages_of_exceptions: None,
        })
    }

    /// The deliveries file of the newest import that had one: its folder is where photos
    /// are looked for unless the settings name an evidence folder.
    pub fn last_deliveries_file(&self) -> Result<Option<PathBuf>, WorkspaceError> {
        self.db
            .query_row(
                "SELECT path FROM import_files WHERE kind = 'deliveries' ORDER BY import_id DESC, rowid DESC LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map(|p| p.map(PathBuf::from))
            .map_err(self.db_err())
    }

    /// The import log, newest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>, WorkspaceError> {
        let err = self.db_err();
        let mut stmt = self.db.prepare("SELECT id, at FROM imports ORDER BY id DESC").map_err(&err)?;
        let heads: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(&err)?
            .collect::<Result<_, _>>()
            .map_err(&err)?;
        let mut files = self
            .db
            .prepare(
                "SELECT path, kind, read, new, updated, unchanged, duplicate, rejected FROM import_files \
                 WHERE import_id = ?1 ORDER BY rowid",
            )
            .map_err(&err)?;
        let mut out = Vec::new();
        for (id, at) in heads {
            let rows = files
                .query_map([id], |r| {
                    let kind: String = r.get(1)?;
                    let n = |i: usize| r.get::<_, i64>(i).map(|v| v as usize);
                    Ok(FileImport {
                        path: r.get(0)?,
                        kind: TableKind::ALL.into_iter().find(|k| k.name() == kind).unwrap_or(TableKind::Blocks),
                        read: n(2)?,
                        new: n(3)?,
                        updated: n(4)?,
                        unchanged: n(5)?,
                        duplicate: n(6)?,
                        rejected: n(7)?,
                    })
                })
                .map_err(&err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(&err)?;
            out.push(ImportRecord { id, at, files: rows });
        }
        Ok(out)
    }
}

/// The data of the drivers with pending cases (draft or sent) without those cases'
/// events: their standing "if pending disputes succeed".
pub fn pending_success_dataset(data: &Dataset, pending: &[(String, EventRef)]) -> PolarsResult<Dataset> {
    let drivers: HashSet<&str> = pending.iter().map(|(d, _)| d.as_str()).collect();
    let events: Vec<&EventRef> = pending.iter().map(|(_, e)| e).collect();
    crate::standing::without::without_events(data, Some(&drivers), &events)
}

/// docs/rules.md §1.12: how a file's columns differ from the last import of its kind (or,
/// on the first, which columns a dispute ground needs it lacks); remembers its columns.
fn shape_notes(
    tx: &rusqlite::Transaction,
    kind: TableKind,
    path: &str,
    columns: &[&'static str],
) -> rusqlite::Result<Vec<String>> {
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let last: Option<String> =
        tx.query_row("SELECT columns FROM last_columns WHERE kind = ?1", [kind.name()], |r| r.get(0)).optional()?;
    let notes = match last {
        Some(last) => {
            let last: Vec<String> = last.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect();
            crate::import::shape::changes(kind, path, &last, columns)
        }
        None => crate::import::shape::missing_ground_columns(kind, path, columns),
    };
    tx.execute(
        "INSERT OR REPLACE INTO last_columns (kind, columns) VALUES (?1, ?2)",
        [kind.name(), &columns.join(",")],
    )?;
    Ok(notes)
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

impl Workspace {
    /// Block ids and tracking ids of overturned events.
    fn overturned_events(&self) -> Result<(HashSet<String>, HashSet<String>), WorkspaceError> {
        let err = self.db_err();
        let mut stmt = self.db.prepare("SELECT side, event_id FROM case_events WHERE overturned = 1").map_err(&err)?;
        let mut blocks = HashSet::new();
        let mut packages = HashSet::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(&err)?;
        for row in rows {
            let (side, id) = row.map_err(&err)?;
            match EventSide::parse(&side) {
                Some(EventSide::Block) => blocks.insert(id),
                Some(EventSide::Package) => packages.insert(id),
                None => false,
            };
        }
        Ok((blocks, packages))
    }
}
