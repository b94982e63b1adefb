//! A workspace: a folder that accumulates weekly imports and records dispute cases.
//!
//! It holds the imported rows as Parquet segments (`data/`), the settings
//! (`settings.toml`) and a SQLite database (`standwatch.db`, WAL mode) with the segment
//! list, the import log and the cases. A segment file is complete on disk before the
//! transaction that names it commits, so a crash at any moment leaves the previous
//! state or the new one, never a mix; files no committed row names are removed later.

pub mod cases;
mod store;

use crate::import::text::{CsvText, read_csv_text};
use crate::import::time::{Day, FleetZone, date_from_day, day_from_date};
use crate::import::{Dataset, Detail, ImportError, ImportOptions, ImportReport, Rejection, TableKind, load_table};
use crate::standing::without::keep_rows;
use crate::standing::{EventRef, EventSide};
use polars::prelude::*;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use store::Segment;

pub const DB_FILE: &str = "standwatch.db";
pub const DATA_DIR: &str = "data";
pub const SETTINGS_FILE: &str = "settings.toml";

/// Segments per kind before an import merges them into one, so that loading stays a
/// handful of file reads.
const MAX_SEGMENTS: usize = 12;

/// Schema migrations; entry i takes `PRAGMA user_version` from i to i + 1.
const MIGRATIONS: &[&str] = &[
    r"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        new INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        duplicate INTEGER NOT NULL, rejected INTEGER NOT NULL
    );
    CREATE TABLE import_files (
        import_id INTEGER NOT NULL REFERENCES imports(id),
        path TEXT NOT NULL, kind TEXT NOT NULL, read INTEGER NOT NULL,
        new INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        duplicate INTEGER NOT NULL, rejected INTEGER NOT NULL
    );
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        file TEXT NOT NULL UNIQUE,
        rows INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        deleted BLOB NOT NULL DEFAULT x''
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        driver_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        file TEXT,
        created_on TEXT NOT NULL,
        status TEXT NOT NULL,
        sent_on TEXT,
        outcome_on TEXT,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE case_events (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        side TEXT NOT NULL,
        event_id TEXT NOT NULL,
        overturned INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (case_id, side, event_id)
    );
    CREATE TABLE case_log (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        on_day TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
",
    // Deliveries' driver and block ids and reasons are stored as categorical columns from here on:
    // a version that reads them as text must say the workspace is newer, not damaged.
    r"INSERT OR REPLACE INTO meta (key, value) VALUES ('delivery_ids', 'categorical');",
];

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
}

impl WorkspaceError {
    /// Errors caused by what the user gave (exit 2 on the command line).
    pub fn is_input(&self) -> bool {
        match self {
            WorkspaceError::Import(e) => !matches!(e, ImportError::Frame(_)),
            WorkspaceError::Io { .. } | WorkspaceError::Cancelled => false,
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
        let texts = files
            .iter()
            .map(|(kind, path)| Ok((*kind, read_csv_text(path)?)))
            .collect::<Result<Vec<(TableKind, CsvText)>, ImportError>>()?;
        self.import_texts(&texts, day_first, strict, cancelled)
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
        let opts = ImportOptions { zone: self.zone, day_first, detail: Detail::Full };
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
            for (kind, csv) in files {
                if cancelled() {
                    return Err(WorkspaceError::Cancelled);
                }
                let mut report = ImportReport::default();
                let frame = load_table(csv, *kind, &opts, &mut report)?;
                if let (true, Some(first)) = (strict, report.rejections.first()) {
                    return Err(WorkspaceError::Invalid(format!(
                        "--strict: {} rejected row(s), first: {first}; nothing was imported",
                        report.rejections.len()
                    )));
                }
                let summary = &report.files[0];
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
        let mut data = self.stored_dataset()?;
        let (blocks, packages) = self.overturned_events()?;
        if !blocks.is_empty() {
            data.blocks = keep_rows(&data.blocks, "block_id", |id| !blocks.contains(id))?;
        }
        if !packages.is_empty() {
            data.deliveries = keep_rows(&data.deliveries, "tracking_id", |id| !packages.contains(id))?;
        }
        Ok(data)
    }

    /// Every current row as stored, overturned events included.
    fn stored_dataset(&self) -> Result<Dataset, WorkspaceError> {
        // A concurrent import may merge segments between listing and reading them: then
        // the listing is read again.
        let mut attempt = 0;
        loop {
            match self.read_all() {
                Err(WorkspaceError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound && attempt < 2 =>
                {
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn read_all(&self) -> Result<Dataset, WorkspaceError> {
        let mut frames = Vec::new();
        for kind in TableKind::ALL {
            let segments = segments(&self.db, kind).map_err(self.db_err())?;
            frames.push(live_rows(&self.dir, kind, &segments)?);
        }
        let mut frames = frames.into_iter();
        let mut next = || frames.next().ok_or_else(|| WorkspaceError::Invalid("missing table".into()));
        Ok(Dataset { blocks: next()?, deliveries: next()?, roster: next()?, outages: next()?, zone: self.zone })
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

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

fn migrate(db: &mut Connection, dir: &Path, path: &Path) -> Result<(), WorkspaceError> {
    let err = db_error(path);
    let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(&err)?;
    let supported = MIGRATIONS.len() as i64;
    if version > supported {
        return Err(WorkspaceError::Newer { dir: dir.display().to_string(), found: version, supported });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        // Another process may have migrated while this one waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(&err)?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(sql).map_err(&err)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1)).map_err(&err)?;
        tx.commit().map_err(&err)?;
    }
    Ok(())
}

fn segments(db: &Connection, kind: TableKind) -> rusqlite::Result<Vec<Segment>> {
    let mut stmt = db.prepare("SELECT id, file, rows, bytes, deleted FROM segments WHERE kind = ?1 ORDER BY id")?;
    stmt.query_map([kind.name()], |r| {
        Ok(Segment {
            id: r.get(0)?,
            file: r.get(1)?,
            rows: r.get::<_, i64>(2)? as usize,
            bytes: r.get::<_, i64>(3)? as u64,
            deleted: store::decode_rows(&r.get::<_, Vec<u8>>(4)?),
        })
    })?
    .collect()
}

fn segment_path(dir: &Path, segment: &Segment) -> PathBuf {
    dir.join(DATA_DIR).join(&segment.file)
}

/// The current rows of a kind: every segment's rows minus those replaced later.
fn live_rows(dir: &Path, kind: TableKind, segments: &[Segment]) -> Result<DataFrame, WorkspaceError> {
    let mut out = kind.empty_frame()?;
    for seg in segments {
        let frame = store::read_segment(&segment_path(dir, seg), seg, kind, None)?;
        let frame = if seg.deleted.is_empty() { frame } else { frame.filter(&seg.live_mask())? };
        // Chained as chunks, not copied into one: the engine reads columns in order or in
        // slices, which chunks serve as well.
        out.vstack_mut_owned(frame)?;
    }
    Ok(out)
}

/// The key of every row of a frame of this kind.
fn keys(frame: &DataFrame, kind: TableKind) -> PolarsResult<StringChunked> {
    if let Some(column) = kind.key_column() {
        return Ok(frame.column(column)?.str()?.clone());
    }
    let instants = |name: &str| -> PolarsResult<Vec<Option<i64>>> {
        Ok(frame.column(name)?.datetime()?.physical().iter().collect())
    };
    let descriptions: Vec<Option<&str>> = frame.column("description")?.str()?.iter().collect();
    // Stations joined the key later: a window without stations keeps the key it had.
    let stations: Vec<Option<&str>> = match frame.column("station") {
        Ok(c) => c.str()?.iter().collect(),
        Err(_) => vec![None; frame.height()],
    };
    Ok(instants("start")?
        .into_iter()
        .zip(instants("end")?)
        .zip(descriptions)
        .zip(stations)
        .map(|(((s, e), d), station)| {
            let key = format!("{}|{}|{}", s.unwrap_or(0), e.unwrap_or(0), d.unwrap_or(""));
            Some(match station {
                Some(station) => format!("{key}|{station}"),
                None => key,
            })
        })
        .collect())
}

fn idx(rows: &[u32]) -> IdxCa {
    IdxCa::from_vec("idx".into(), rows.iter().map(|&r| r as IdxSize).collect())
}

fn new_segment_name(kind: TableKind) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}-{}.parquet", kind.name(), std::process::id())
}

/// Merges one file's rows into the stored rows of its kind: counts new, updated and
/// unchanged rows, writes the new and updated ones as a segment and marks the rows they
/// replace as deleted. Costs the new rows plus one pass over the stored keys.
fn merge(
    tx: &Connection,
    dir: &Path,
    kind: TableKind,
    frame: DataFrame,
    file: &mut FileImport,
    written: &mut Vec<PathBuf>,
) -> Result<(), WorkspaceError> {
    let db_path = dir.join(DB_FILE);
    let err = db_error(&db_path);
    let stored = segments(tx, kind).map_err(&err)?;
    let key_column = kind.key_column();
    let stored_keys: Vec<StringChunked> = stored
        .iter()
        .map(|seg| {
            let path = segment_path(dir, seg);
            match key_column {
                Some(c) => keys(&store::read_segment(&path, seg, kind, Some(&[c]))?, kind),
                None => keys(&store::read_segment(&path, seg, kind, None)?, kind),
            }
            .map_err(WorkspaceError::from)
        })
        .collect::<Result<_, _>>()?;
    // The hash table holds the imported keys (a week's export), not the stored history:
    // the stored key columns are only scanned against it.
    let new_keys = keys(&frame, kind)?;
    let mut new_index: PlHashMap<&str, usize> = PlHashMap::with_capacity(new_keys.len());
    for (i, key) in new_keys.iter().enumerate() {
        if let Some(key) = key {
            new_index.insert(key, i);
        }
    }
    // Per imported row: the live stored row with the same key (a later segment wins).
    let mut stored_row: Vec<Option<(usize, u32)>> = vec![None; new_keys.len()];
    for (s, (seg, keys)) in stored.iter().zip(&stored_keys).enumerate() {
        let mut deleted = seg.deleted.iter().peekable();
        for (r, key) in keys.iter().enumerate() {
            if deleted.next_if(|&&d| d as usize == r).is_some() {
                continue;
            }
            if let Some(&i) = key.and_then(|k| new_index.get(k))
                && let Some(slot) = stored_row.get_mut(i)
            {
                *slot = Some((s, r as u32));
            }
        }
    }
    drop(new_index);

    let mut fresh: Vec<u32> = Vec::new();
    // Per stored segment: (row in the file, row in the segment) of the same key.
    let mut matched: Vec<Vec<(u32, u32)>> = vec![Vec::new(); stored.len()];
    for (i, found) in stored_row.iter().enumerate() {
        match found {
            Some((s, r)) => {
                if let Some(pairs) = matched.get_mut(*s) {
                    pairs.push((i as u32, *r));
                }
            }
            None => fresh.push(i as u32),
        }
    }

    let mut to_write = fresh.clone();
    let mut deletions: Vec<(usize, Vec<u32>)> = Vec::new();
    for (s, pairs) in matched.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        let seg = &stored[s];
        let old = store::read_segment(&segment_path(dir, seg), seg, kind, None)?;
        let (new_rows, old_rows): (Vec<u32>, Vec<u32>) = pairs.iter().copied().unzip();
        let old = old.take(&idx(&old_rows))?;
        let new = frame.take(&idx(&new_rows))?;
        let mut same = BooleanChunked::full("same".into(), true, pairs.len());
        for column in new.columns().iter().filter(|c| c.name().as_str() != "line") {
            let a = column.as_materialized_series();
            let b = old.column(column.name())?.as_materialized_series();
            same = &same & &a.equal_missing(b)?;
        }
        let mut replaced = Vec::new();
        for ((new_row, old_row), same) in pairs.iter().zip(same.iter()) {
            if same == Some(true) {
                file.unchanged += 1;
            } else {
                file.updated += 1;
                to_write.push(*new_row);
                replaced.push(*old_row);
            }
        }
        if !replaced.is_empty() {
            deletions.push((s, replaced));
        }
    }
    file.new = fresh.len();
    if to_write.is_empty() {
        return Ok(());
    }
    to_write.sort_unstable();
    let mut rows = frame.take(&idx(&to_write))?;
    let name = new_segment_name(kind);
    let path = dir.join(DATA_DIR).join(&name);
    let bytes = store::write_segment(&path, &mut rows)?;
    written.push(path);
    tx.execute(
        "INSERT INTO segments (kind, file, rows, bytes) VALUES (?1, ?2, ?3, ?4)",
        params![kind.name(), name, rows.height() as i64, bytes as i64],
    )
    .map_err(&err)?;
    for (s, replaced) in deletions {
        let seg = &stored[s];
        let mut all = seg.deleted.clone();
        all.extend(replaced);
        all.sort_unstable();
        tx.execute("UPDATE segments SET deleted = ?1 WHERE id = ?2", params![store::encode_rows(&all), seg.id])
            .map_err(&err)?;
    }
    Ok(())
}

/// Merges a kind's segments into one when there are too many; the old files are removed
/// after the commit.
fn compact(
    tx: &Connection,
    dir: &Path,
    kind: TableKind,
    written: &mut Vec<PathBuf>,
    superseded: &mut Vec<PathBuf>,
) -> Result<(), WorkspaceError> {
    let db_path = dir.join(DB_FILE);
    let err = db_error(&db_path);
    let stored = segments(tx, kind).map_err(&err)?;
    if stored.len() <= MAX_SEGMENTS {
        return Ok(());
    }
    let mut rows = live_rows(dir, kind, &stored)?;
    let name = new_segment_name(kind);
    let path = dir.join(DATA_DIR).join(&name);
    let bytes = store::write_segment(&path, &mut rows)?;
    written.push(path);
    for seg in &stored {
        tx.execute("DELETE FROM segments WHERE id = ?1", [seg.id]).map_err(&err)?;
        superseded.push(segment_path(dir, seg));
    }
    tx.execute(
        "INSERT INTO segments (kind, file, rows, bytes) VALUES (?1, ?2, ?3, ?4)",
        params![kind.name(), name, rows.height() as i64, bytes as i64],
    )
    .map_err(&err)?;
    Ok(())
}

/// Removes data files no segment names: leftovers of an import that did not commit.
fn remove_orphans(tx: &Connection, data_dir: &Path) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("SELECT file FROM segments")?;
    let named: HashSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    if let Ok(entries) = std::fs::read_dir(data_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !named.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

fn log_import(tx: &Connection, files: &[FileImport]) -> rusqlite::Result<()> {
    let sum = |f: fn(&FileImport) -> usize| files.iter().map(f).sum::<usize>() as i64;
    tx.execute(
        "INSERT INTO imports (at, new, updated, unchanged, duplicate, rejected) \
         VALUES (datetime('now'), ?1, ?2, ?3, ?4, ?5)",
        params![sum(|f| f.new), sum(|f| f.updated), sum(|f| f.unchanged), sum(|f| f.duplicate), sum(|f| f.rejected)],
    )?;
    let id = tx.last_insert_rowid();
    for f in files {
        tx.execute(
            "INSERT INTO import_files (import_id, path, kind, read, new, updated, unchanged, duplicate, rejected) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                f.path,
                f.kind.name(),
                f.read as i64,
                f.new as i64,
                f.updated as i64,
                f.unchanged as i64,
                f.duplicate as i64,
                f.rejected as i64
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn day_to_sql(day: Day) -> String {
    date_from_day(day).format("%Y-%m-%d").to_string()
}

pub(crate) fn day_from_sql(text: &str) -> Option<Day> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(day_from_date)
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
