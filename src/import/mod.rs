//! SPEC §2: CSV exports turned, once and at the edge, into validated polars frames.
//!
//! Every row is either accepted (typed, timestamps as UTC instants and days in the fleet's
//! zone) or rejected with its file, physical line, column and reason; nothing is dropped
//! silently. Duplicate keys keep the later accepted row.

pub mod codes;
pub mod fields;
mod table;
pub mod text;
pub mod time;

use chrono::{Datelike, NaiveDate};
use codes::{Outcome, Reason};
use fields::{BLOCK_FIELDS, ColumnMap, DELIVERY_FIELDS, FieldSpec, OUTAGE_FIELDS, ROSTER_FIELDS, map_columns};
use polars::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};
use table::Table;
use text::{CsvText, read_csv_text};
use time::{FleetZone, SlashOrder, parse_written, slash_order};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read the file: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error(
        "{path}:{line}: not a text CSV file (binary data at byte offset {offset}); export or save it as CSV and \
         import it again"
    )]
    Binary { path: String, line: u64, offset: usize },
    #[error(
        "{path}: the file is {}, more than the {} limit of one import; export a shorter date range (or split \
         the file) and import the parts", megabytes(*size), megabytes(*limit)
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: has a header line but no data rows")]
    NoRows { path: String },
    #[error("{path}:{line}: cannot read the CSV: {reason}")]
    Malformed { path: String, line: u64, reason: String },
    #[error("{path}: missing required column '{field}' (accepted names: {accepted}; headers found: {found})")]
    MissingColumn { path: String, field: &'static str, accepted: String, found: String },
    #[error("{path}: field '{field}' is given by two columns, {columns}; remove or rename one")]
    DuplicateColumn { path: String, field: &'static str, columns: String },
    #[error("{0}")]
    Frame(#[from] PolarsError),
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// A cell or header as shown in a message: on one line (control characters escaped) and
/// cut to 60 characters, so that a hostile or broken file cannot flood or forge output.
pub fn excerpt(value: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut shown: String = value.chars().take(MAX_CHARS).flat_map(char::escape_debug).collect();
    if value.chars().nth(MAX_CHARS).is_some() {
        shown.push('…');
    }
    shown
}

/// A row that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub file: String,
    /// 1-based physical line where the row starts; the header is line 1.
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: column '{}': {}", self.file, self.line, self.column, self.reason)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TableKind {
    Blocks,
    Deliveries,
    Roster,
    Outages,
}

impl TableKind {
    pub const ALL: [TableKind; 4] = [TableKind::Blocks, TableKind::Deliveries, TableKind::Roster, TableKind::Outages];

    /// The kind's name in files and messages: `blocks`, `deliveries`, `roster`, `outages`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Blocks => "blocks",
            TableKind::Deliveries => "deliveries",
            TableKind::Roster => "roster",
            TableKind::Outages => "outages",
        }
    }

    /// The column whose value identifies a row across imports (the later row wins);
    /// outages have none (a window is the same window when every field is equal).
    pub fn key_column(self) -> Option<&'static str> {
        match self {
            TableKind::Blocks => Some("block_id"),
            TableKind::Deliveries => Some("tracking_id"),
            TableKind::Roster => Some("driver_id"),
            TableKind::Outages => None,
        }
    }

    /// A frame of this kind with every column and no rows.
    pub fn empty_frame(self) -> Result<DataFrame, ImportError> {
        match self {
            TableKind::Blocks => table::Blocks::default().frame(),
            TableKind::Deliveries => table::Deliveries::default().frame(),
            TableKind::Roster => table::Roster::default().frame(),
            TableKind::Outages => table::Outages::default().frame(),
        }
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Blocks => BLOCK_FIELDS,
            TableKind::Deliveries => DELIVERY_FIELDS,
            TableKind::Roster => ROSTER_FIELDS,
            TableKind::Outages => OUTAGE_FIELDS,
        }
    }
}

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
}

/// The files of one import; roster and outages are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputPaths {
    pub blocks: PathBuf,
    pub deliveries: PathBuf,
    pub roster: Option<PathBuf>,
    pub outages: Option<PathBuf>,
}

/// Validated inputs. Instants are `Datetime(ms)` in UTC; `day` columns are calendar days in
/// the fleet's zone. Column names are the SPEC's canonical field names.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub blocks: DataFrame,
    pub deliveries: DataFrame,
    pub roster: DataFrame,
    pub outages: DataFrame,
    pub zone: FleetZone,
}

pub fn load_inputs(paths: &InputPaths, opts: &ImportOptions) -> Result<(Dataset, ImportReport), ImportError> {
    let mut report = ImportReport::default();
    let blocks = load_file(&paths.blocks, TableKind::Blocks, opts, &mut report)?;
    let deliveries = load_file(&paths.deliveries, TableKind::Deliveries, opts, &mut report)?;
    let mut optional = |path: &Option<PathBuf>, kind: TableKind| match path {
        Some(p) => load_file(p, kind, opts, &mut report),
        None => kind.empty_frame(),
    };
    let roster = optional(&paths.roster, TableKind::Roster)?;
    let outages = optional(&paths.outages, TableKind::Outages)?;
    Ok((Dataset { blocks, deliveries, roster, outages, zone: opts.zone }, report))
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
    match kind {
        TableKind::Blocks => load_file_as::<table::Blocks>(path, kind, opts, report),
        TableKind::Deliveries => load_file_as::<table::Deliveries>(path, kind, opts, report),
        TableKind::Roster => load_file_as::<table::Roster>(path, kind, opts, report),
        TableKind::Outages => load_file_as::<table::Outages>(path, kind, opts, report),
    }
}

fn load_file_as<T: Table>(
    path: &Path,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    text::check_size(path)?;
    let streamed = crate::timings::phase(&format!("parse {}", kind.name()), || {
        day_first_passes(kind.fields().len(), opts.day_first, |day_first| {
            stream_pass::<T>(path, kind.fields(), opts, day_first, text::BLOCK_BYTES)
        })
    });
    match streamed {
        Ok(parsed) => {
            crate::timings::column_sizes(kind.name(), &parsed.frame);
            finish(parsed, kind, &path.display().to_string(), report)
        }
        Err(NotStreamed::Failed(e)) => Err(e),
        Err(NotStreamed::Unsuitable) => load_table(&read_csv_text(path)?, kind, opts, report),
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
    Ok((Dataset { blocks, deliveries, roster, outages, zone: opts.zone }, report))
}

/// Parses one decoded file of the given kind into its frame, adding its counts and
/// rejections to `report`.
pub fn load_table(
    csv: &CsvText,
    kind: TableKind,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    match kind {
        TableKind::Blocks => parse_and_finish::<table::Blocks>(csv, kind, opts, report),
        TableKind::Deliveries => parse_and_finish::<table::Deliveries>(csv, kind, opts, report),
        TableKind::Roster => parse_and_finish::<table::Roster>(csv, kind, opts, report),
        TableKind::Outages => parse_and_finish::<table::Outages>(csv, kind, opts, report),
    }
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
    finish(parsed, kind, &csv.path, report)
}

/// The header row of a decoded file, to tell what kind of file it is.
pub fn header_row(csv: &CsvText) -> Result<Vec<String>, ImportError> {
    Ok(text::split_header(csv)?.0)
}

/// What kind of input a file is, read from its header line; an error says what was
/// expected instead.
pub fn classify_file(path: &Path) -> Result<TableKind, InputError> {
    let csv = read_head(path)?;
    let headers = header_row(&csv)?;
    detect_kind(&headers).ok_or_else(|| InputError::NotAnExport {
        path: path.display().to_string(),
        headers: fields::shown_headers(&headers),
    })
}

/// Why a file given to be imported cannot be.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(transparent)]
    Read(#[from] ImportError),
    #[error(
        "{path}: not a blocks, deliveries, roster or outages export (expected headers such as \
         driver_id, block_id, block_start or tracking_id, deliver_by, outcome; found: {headers})"
    )]
    NotAnExport { path: String, headers: String },
    #[error("{0}: no such file")]
    Missing(String),
    #[error("{0}: a folder, not a file")]
    Folder(String),
    #[error("{path}: a {found} export, not {expected}")]
    OtherKind { path: String, found: &'static str, expected: &'static str },
}

/// What kind of input a file is, from its headers (blocks and deliveries first).
pub fn detect_kind(headers: &[String]) -> Option<TableKind> {
    [TableKind::Deliveries, TableKind::Blocks, TableKind::Outages, TableKind::Roster]
        .into_iter()
        .find(|k| fields::headers_fit(headers, k.fields()))
}

fn finish(parsed: Parsed, kind: TableKind, path: &str, report: &mut ImportReport) -> Result<DataFrame, ImportError> {
    let rows = parsed.frame.height();
    let read = rows + parsed.rejections.len();
    if read == 0 && matches!(kind, TableKind::Blocks | TableKind::Deliveries) {
        return Err(ImportError::NoRows { path: path.to_string() });
    }
    let (frame, duplicate) = crate::timings::phase(&format!("{} duplicate keys", kind.name()), || {
        later_rows_win(parsed.frame, kind.key_column())
    })?;
    report.files.push(FileSummary {
        path: path.to_string(),
        kind,
        read,
        accepted: rows - duplicate,
        duplicate,
        rejected: parsed.rejections.len(),
        merged: None,
    });
    report.rejections.extend(parsed.rejections);
    report.notes.extend(parsed.notes);
    Ok(frame)
}

/// Duplicate keys: the later row wins. Returns the rows kept and how many were dropped.
/// An export in key order (strictly increasing keys) has none, which one comparison per
/// row shows without a hash table.
fn later_rows_win(frame: DataFrame, key_column: Option<&str>) -> Result<(DataFrame, usize), ImportError> {
    let Some(name) = key_column else { return Ok((frame, 0)) };
    let Some(kept) = rows_kept(frame.column(name)?.str()?) else { return Ok((frame, 0)) };
    let duplicate = frame.height() - kept.num_trues();
    Ok((frame.filter(&kept)?, duplicate))
}

/// Which rows a later row with the same key does not replace; `None` when all are kept.
fn rows_kept(keys: &StringChunked) -> Option<BooleanChunked> {
    let increasing = |rows: std::ops::Range<usize>| {
        let mut previous: Option<&str> = None;
        Ok::<bool, ()>(keys.slice(rows.start as i64, rows.len()).iter().all(|key| match key {
            Some(k) if previous.is_none_or(|p| p < k) => {
                previous = Some(k);
                true
            }
            _ => false,
        }))
    };
    if crate::parallel::holds_in_parts(keys.len(), increasing, || Ok(false)) == Ok(true) {
        return None;
    }
    let mut last: PlHashMap<&str, usize> = PlHashMap::with_capacity(keys.len());
    for (row, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            last.insert(k, row);
        }
    }
    (last.len() < keys.len() - keys.null_count())
        .then(|| keys.iter().enumerate().map(|(row, key)| key.is_none_or(|k| last.get(k) == Some(&row))).collect())
}

struct Parsed {
    frame: DataFrame,
    rejections: Vec<Rejection>,
    notes: Vec<String>,
}

/// A field could not be read: which one (index into the kind's fields) and why.
pub struct FieldError {
    field: usize,
    reason: String,
}

/// One row's cells, read through the kind's column map, with the date-reading state.
pub struct Cells<'a> {
    record: &'a [&'a str],
    /// Physical line where the row starts.
    line: u64,
    map: &'a ColumnMap,
    zone: FleetZone,
    day_first: &'a [bool],
    /// Per field: values valid only day-first, only month-first.
    orders: &'a mut [(usize, usize)],
}

impl<'a> Cells<'a> {
    /// The trimmed cell of a field; `None` when the column is absent or the cell blank.
    fn text(&self, field: usize) -> Option<&'a str> {
        let i = self.map.index[field]?;
        let cell = self.record.get(i)?;
        // Most cells have nothing to trim: a visible ASCII character at both ends says so
        // without the Unicode whitespace scan.
        let cell = match (cell.as_bytes().first(), cell.as_bytes().last()) {
            (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
            _ => cell.trim(),
        };
        (!cell.is_empty()).then_some(cell)
    }

    fn required(&self, field: usize) -> Result<&'a str, FieldError> {
        self.text(field).ok_or_else(|| FieldError { field, reason: "required value is empty".to_string() })
    }

    fn written(&mut self, field: usize) -> Result<Option<time::Written>, FieldError> {
        let Some(value) = self.text(field) else { return Ok(None) };
        match slash_order(value) {
            SlashOrder::OnlyDayFirst => self.orders[field].0 += 1,
            SlashOrder::OnlyMonthFirst => self.orders[field].1 += 1,
            SlashOrder::Either => {}
        }
        match parse_written(value, self.day_first[field]) {
            Some(w) if !time::SUPPORTED_YEARS.contains(&w.date.year()) => Err(FieldError {
                field,
                reason: format!(
                    "'{}' is outside the years {} to {} that an export can hold",
                    excerpt(value),
                    time::SUPPORTED_YEARS.start(),
                    time::SUPPORTED_YEARS.end()
                ),
            }),
            Some(w) => Ok(Some(w)),
            None => Err(FieldError { field, reason: format!("cannot read '{}' as a date and time", excerpt(value)) }),
        }
    }

    /// An instant; a date alone is refused unless `date_alone` says which moment it means.
    fn instant(&mut self, field: usize, date_alone: DateAlone) -> Result<Option<i64>, FieldError> {
        if let Some((day, ms_of_day)) = self.text(field).and_then(time::plain_iso) {
            return Ok(Some(self.zone.instant_of_local(day, ms_of_day)));
        }
        let Some(w) = self.written(field)? else { return Ok(None) };
        if w.time.is_none() && date_alone == DateAlone::Refused {
            return Err(FieldError { field, reason: "a time is needed, not only a date".to_string() });
        }
        Ok(Some(self.zone.instant(w, date_alone == DateAlone::EndOfDay)))
    }

    fn required_instant(&mut self, field: usize, date_alone: DateAlone) -> Result<i64, FieldError> {
        self.required(field)?;
        self.instant(field, date_alone)?
            .ok_or_else(|| FieldError { field, reason: "required value is empty".to_string() })
    }

    fn date(&mut self, field: usize) -> Result<Option<NaiveDate>, FieldError> {
        Ok(self.written(field)?.map(|w| w.date))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateAlone {
    Refused,
    StartOfDay,
    EndOfDay,
}

/// Runs `pass` until the day-first reading of every column is settled. SPEC §2.5: a
/// column is day-first when it holds a value valid only day-first and none valid only
/// month-first; such a column is read again.
fn day_first_passes<E>(
    fields: usize,
    day_first_everywhere: bool,
    mut pass: impl FnMut(&[bool]) -> Result<(Parsed, SlashCounts), E>,
) -> Result<Parsed, E> {
    let mut day_first = vec![day_first_everywhere; fields];
    loop {
        let (parsed, orders) = pass(&day_first)?;
        let mut again = false;
        for (flag, (only_day_first, only_month_first)) in day_first.iter_mut().zip(&orders) {
            if !*flag && *only_day_first > 0 && *only_month_first == 0 {
                *flag = true;
                again = true;
            }
        }
        if !again {
            return Ok(parsed);
        }
    }
}

/// Per field: values valid only day-first, only month-first.
type SlashCounts = Vec<(usize, usize)>;

/// One pass over a decoded file.
fn parse_pass<T: Table>(
    csv: &CsvText,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
) -> Result<(Parsed, SlashCounts), ImportError> {
    let (headers, body_start, body_line) = text::split_header(csv)?;
    let map = map_columns(&csv.path, &headers, specs)?;
    let records = Records { path: &csv.path, delimiter: csv.delimiter, headers: &headers, map: &map, opts, day_first };
    let (pieces, _) = records.read::<T>(csv.text.get(body_start..).unwrap_or_default(), body_line)?;
    merge::<T>(pieces, map.unused_matches.clone(), specs.len())
}

/// Why a file was not read in blocks.
enum NotStreamed {
    /// Not plain UTF-8 text that splits safely: decoded whole instead.
    Unsuitable,
    Failed(ImportError),
}

impl From<ImportError> for NotStreamed {
    fn from(e: ImportError) -> Self {
        NotStreamed::Failed(e)
    }
}

/// One pass over a file read in blocks of whole records.
fn stream_pass<T: Table>(
    path: &Path,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
    block_bytes: usize,
) -> Result<(Parsed, SlashCounts), NotStreamed> {
    let Some((mut blocks, headers, mut line)) = text::BlockReader::open(path, block_bytes)? else {
        return Err(NotStreamed::Unsuitable);
    };
    let shown = path.display().to_string();
    let map = map_columns(&shown, &headers, specs)?;
    let records = Records { path: &shown, delimiter: blocks.delimiter, headers: &headers, map: &map, opts, day_first };
    let mut pieces = Vec::new();
    loop {
        let first_line = line;
        match blocks.next_block(|text| records.read::<T>(text, first_line))? {
            text::Block::Records(read) => {
                let (read, newlines) = read?;
                pieces.extend(read);
                line += newlines;
            }
            text::Block::End => break,
            text::Block::Unsuitable => return Err(NotStreamed::Unsuitable),
        }
    }
    Ok(merge::<T>(pieces, map.unused_matches.clone(), specs.len())?)
}

/// What reading records of a file needs besides their bytes.
struct Records<'a> {
    path: &'a str,
    delimiter: u8,
    headers: &'a [String],
    map: &'a ColumnMap,
    opts: &'a ImportOptions,
    day_first: &'a [bool],
}

impl Records<'_> {
    /// Reads a run of whole records starting on line `first_line`: big runs in pieces on
    /// all cores, each piece starting at a record boundary.
    /// Also returns how many lines the run has.
    fn read<T: Table>(&self, body: &str, first_line: u64) -> Result<(Vec<(Parsed, SlashCounts)>, u64), ImportError> {
        let parts = crate::parallel::cores();
        let mut bounds = vec![0];
        bounds.extend(text::record_cuts(body.as_bytes(), parts, self.delimiter));
        bounds.push(body.len());
        // Cuts fall just after a newline: always on a character boundary.
        let pieces: Vec<&str> = bounds.windows(2).map(|w| body.get(w[0]..w[1]).unwrap_or_default()).collect();
        let failed = || ImportError::Malformed {
            path: self.path.to_string(),
            line: 0,
            reason: "a reader thread failed".to_string(),
        };
        // Each piece's lines, counted on all cores: where the next piece starts, and room for
        // its rows (records with a quoted newline are rarer still).
        let lines = crate::parallel::map_on_threads(
            pieces.clone(),
            |piece| Some(memchr::memchr_iter(b'\n', piece.as_bytes()).count() as u64),
            || None,
        )
        .into_iter()
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(failed)?;
        let mut start = first_line;
        let mut jobs = Vec::with_capacity(pieces.len());
        for (piece, lines) in pieces.into_iter().zip(&lines) {
            jobs.push((piece, start, *lines));
            start += lines;
        }
        let read = crate::parallel::map_on_threads(
            jobs,
            |(piece, line, lines)| self.read_piece::<T>(piece, line, lines as usize + 1),
            || Err(failed()),
        )
        .into_iter()
        .collect::<Result<_, _>>()?;
        Ok((read, start - first_line))
    }

    fn read_piece<T: Table>(
        &self,
        piece: &str,
        first_line: u64,
        rows_at_most: usize,
    ) -> Result<(Parsed, SlashCounts), ImportError> {
        let mut orders = vec![(0usize, 0usize); self.day_first.len()];
        let mut table = T::default();
        table.keep(self.opts.detail);
        let mut rejections = Vec::new();
        // A quote left open at the end (a truncated export) would swallow the rest of the
        // file into one cell: that row is rejected and the rows before it are read.
        let piece = match text::unterminated_quote(piece.as_bytes(), self.delimiter) {
            Some(open) => {
                rejections.push(Rejection {
                    file: self.path.to_string(),
                    line: first_line
                        + memchr::memchr_iter(b'\n', &piece.as_bytes()[..open.record_start]).count() as u64,
                    column: self
                        .headers
                        .get(open.field)
                        .map_or_else(|| format!("column {}", open.field + 1), |h| excerpt(h.trim())),
                    reason: "a quoted value starts here and is never closed: the file ends inside it (a truncated \
                             export?)"
                        .to_string(),
                });
                // A record starts just after a newline: a character boundary.
                piece.get(..open.record_start).unwrap_or_default()
            }
            None => piece,
        };
        // Room for as many rows as the piece has lines: the columns keep the room they are given.
        table.reserve(rows_at_most);
        let (map, zone, day_first) = (self.map, self.opts.zone, self.day_first);
        text::for_each_record_in(self.path, piece, self.delimiter, first_line, |line, record| {
            let mut cells = Cells { record, line, map, zone, day_first, orders: &mut orders };
            if let Err(e) = table.read(&mut cells) {
                rejections.push(Rejection {
                    file: self.path.to_string(),
                    line,
                    column: map.written[e.field].clone(),
                    reason: e.reason,
                });
            }
        })?;
        // Each piece's columns become one chunk of the frame, built on the piece's core.
        Ok((Parsed { frame: table.frame()?, rejections, notes: Vec::new() }, orders))
    }
}

/// The pieces of a file, in order, as one frame (the pieces' columns chained as chunks,
/// not copied) with their rejections and slash-date counts.
fn merge<T: Table>(
    pieces: Vec<(Parsed, SlashCounts)>,
    notes: Vec<String>,
    fields: usize,
) -> Result<(Parsed, SlashCounts), ImportError> {
    let mut merged = Parsed { frame: T::default().frame()?, rejections: Vec::new(), notes };
    let mut orders = vec![(0usize, 0usize); fields];
    for (parsed, counts) in pieces {
        merged.frame.vstack_mut_owned(parsed.frame)?;
        merged.rejections.extend(parsed.rejections);
        for (total, (d, m)) in orders.iter_mut().zip(counts) {
            total.0 += d;
            total.1 += m;
        }
    }
    Ok((merged, orders))
}

/// A window of time when the platform was down, at some stations or everywhere.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outage {
    pub start: i64,
    pub end: i64,
    pub description: String,
    /// The stations it applies to; empty: the whole fleet.
    pub stations: Vec<String>,
}

impl Outage {
    /// Whether the outage covers an event at instant `t` (boundaries inclusive) at
    /// `station`: a station-scoped outage covers only events whose station it lists
    /// (codes compared without regard to case), and never an event without a station.
    pub fn covers(&self, t: i64, station: Option<&str>) -> bool {
        self.start <= t
            && t <= self.end
            && (self.stations.is_empty()
                || station.is_some_and(|s| self.stations.iter().any(|o| o.eq_ignore_ascii_case(s.trim()))))
    }

    /// The stations of a `station` cell: one code, or several joined by `;`.
    pub fn parse_stations(cell: &str) -> Vec<String> {
        cell.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
    }
}

impl Dataset {
    pub fn frame(&self, kind: TableKind) -> &DataFrame {
        match kind {
            TableKind::Blocks => &self.blocks,
            TableKind::Deliveries => &self.deliveries,
            TableKind::Roster => &self.roster,
            TableKind::Outages => &self.outages,
        }
    }

    /// The same data with more outage windows (those entered in the app).
    pub fn with_outages(&self, extra: &[Outage]) -> Result<Dataset, ImportError> {
        let mut table = table::Outages::default();
        for o in extra {
            let stations = o.stations.join(";");
            table.push(o.start, o.end, Some(&o.description), (!stations.is_empty()).then_some(stations.as_str()));
        }
        let mut data = self.clone();
        data.outages.vstack_mut_owned(table.frame()?)?;
        Ok(data)
    }
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

/// The column type of texts that repeat on many rows (a delivery's driver, block and
/// reason): categorical codes, 4 bytes a row instead of a 16-byte string view.
pub fn repeated_text_dtype() -> DataType {
    DataType::from_categories(Categories::global())
}

/// The texts of a column held as text or as categorical codes ([`repeated_text_dtype`]).
pub fn texts_of(column: &Column) -> PolarsResult<Box<dyn Iterator<Item = Option<&str>> + '_>> {
    Ok(match column.dtype() {
        DataType::Categorical(..) => Box::new(column.cat32()?.iter_str()),
        _ => Box::new(column.str()?.iter()),
    })
}

/// A frame stored by an earlier version, in this version's column types: line numbers
/// were 64-bit, outages had no stations, and deliveries held their outcome and reason code as text (now numbers, a
/// quarter of the memory) and their driver and block ids and reason as text (now
/// categorical).
pub fn upgrade_stored(kind: TableKind, mut frame: DataFrame) -> PolarsResult<DataFrame> {
    // Line numbers were 64-bit.
    if let Ok(line) = frame.column("line")
        && line.dtype() == &DataType::UInt64
    {
        let line = line.cast(&DataType::UInt32)?;
        frame.with_column(line)?;
    }
    // Outages had no stations.
    if kind == TableKind::Outages && frame.column("station").is_err() {
        let none = Column::full_null("station".into(), frame.height(), &DataType::String);
        frame.with_column(none)?;
    }
    if kind != TableKind::Deliveries {
        return Ok(frame);
    }
    // A delivery's driver and block ids and reason were text.
    for name in ["driver_id", "block_id", "reason"] {
        if let Ok(ids) = frame.column(name)
            && ids.dtype() == &DataType::String
        {
            let ids = ids.cast(&repeated_text_dtype())?;
            frame.with_column(ids)?;
        }
    }
    let outcome = |code: &str| Outcome::from_code(code).map(Outcome::number);
    let reason = |code: &str| Reason::from_code(code).map(Reason::number);
    for (name, number) in [("outcome", &outcome as &dyn Fn(&str) -> Option<u32>), ("reason_code", &reason)] {
        let Ok(column) = frame.column(name) else { continue };
        if column.dtype() != &DataType::String {
            continue;
        }
        let numbers: UInt32Chunked = column.str()?.iter().map(|code| code.and_then(number)).collect();
        frame.with_column(numbers.with_name(name.into()).into_column())?;
    }
    Ok(frame)
}

/// The start of a file (its header and first rows), decoded: enough to tell its kind
/// without reading a large export whole.
fn read_head(path: &Path) -> Result<CsvText, ImportError> {
    use std::io::Read;
    const HEAD: u64 = 256 << 10;
    let shown = path.display().to_string();
    let io = |source| ImportError::Io { path: shown.clone(), source };
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(HEAD).read_to_end(&mut bytes)).map_err(io)?;
    // Cut after the last whole line, unless the header itself is longer.
    if bytes.len() as u64 == HEAD
        && let Some(end) = memchr::memrchr(b'\n', &bytes)
    {
        bytes.truncate(end + 1);
    }
    text::decode_csv(shown.clone(), bytes)
}

/// Why a file given as `kind` cannot be imported as such (missing, a folder, unreadable,
/// not an export, another kind of export), checked before anything is imported.
pub fn check_input(path: &Path, kind: TableKind) -> Result<(), InputError> {
    let shown = || path.display().to_string();
    if !path.exists() {
        return Err(InputError::Missing(shown()));
    }
    if path.is_dir() {
        return Err(InputError::Folder(shown()));
    }
    match classify_file(path)? {
        found if found == kind => Ok(()),
        found => Err(InputError::OtherKind { path: shown(), found: found.name(), expected: kind.name() }),
    }
}

/// The folder a file is in, for defaults such as the evidence folder.
pub fn folder_of(path: &Path) -> PathBuf {
    path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deliveries export with what block reading must get right: quoted notes across
    /// lines and with delimiters, CRLF, blank lines, bad rows, day-first dates.
    fn awkward_deliveries(rows: usize) -> String {
        let mut text = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,notes\r\n".to_string();
        for i in 0..rows {
            let note = match i % 7 {
                0 => "\"left at door, \"\"side\"\"\nsecond line\"".to_string(),
                3 => "\"a, b\"".to_string(),
                _ => String::new(),
            };
            let when =
                if i % 5 == 0 { "25/01/2026 10:00".to_string() } else { format!("2026-01-{:02} 10:00:00", i % 28 + 1) };
            let outcome = if i % 97 == 0 { "lost" } else { "delivered" };
            text.push_str(&format!("T{i:06},D{:03},B{},{when},,{outcome},,{note}\r\n", i % 13, i / 20));
            if i % 50 == 0 {
                text.push_str("\r\n");
            }
        }
        text
    }

    #[test]
    fn reading_in_blocks_gives_what_reading_whole_gives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deliveries.csv");
        let text = awkward_deliveries(3000);
        std::fs::write(&path, &text).unwrap();
        let opts = ImportOptions::default();
        let specs = TableKind::Deliveries.fields();
        let csv = text::decode_csv(path.display().to_string(), text.into_bytes()).unwrap();
        let whole =
            day_first_passes(specs.len(), false, |d| parse_pass::<table::Deliveries>(&csv, specs, &opts, d)).unwrap();
        for block in [4096, 16_384, 65_536, 1 << 20] {
            let Ok(blocks) = day_first_passes(specs.len(), false, |d| {
                stream_pass::<table::Deliveries>(&path, specs, &opts, d, block)
            }) else {
                panic!("block size {block}: not read in blocks");
            };
            assert!(blocks.frame.equals_missing(&whole.frame), "block size {block}");
            let lines = |p: &Parsed| p.rejections.iter().map(|r| (r.line, r.reason.clone())).collect::<Vec<_>>();
            assert_eq!(lines(&blocks), lines(&whole), "block size {block}");
            assert!(!whole.rejections.is_empty() && blocks.frame.height() > 2000);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Any mix of awkward cells: read in small blocks, the file gives what a whole
        /// read gives. Only a quote a strict reading cannot explain (the last cell kind)
        /// may leave the file to the whole read.
        #[test]
        fn any_file_read_in_blocks_reads_as_whole(
            cells in proptest::collection::vec(0usize..12, 8..4000),
            lenient_quotes in proptest::bool::ANY,
            block in 2usize..5,
        ) {
            const CELLS: [&str; 12] = [
                "T1", "D1", "2026-01-05 10:00:00", "25/01/2026 10:00", "delivered", "attempted",
                "\"a, \"\"quoted\"\"\nnote\"", "", "\r\n", "\n", "é", "x\"y",
            ];
            let kinds = if lenient_quotes { 12 } else { 11 };
            let mut text = String::from("tracking_id,driver_id,deliver_by,outcome,notes\n");
            for (i, c) in cells.iter().enumerate() {
                text.push_str(CELLS[*c % kinds]);
                text.push(if i % 5 == 4 { '\n' } else { ',' });
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("d.csv");
            std::fs::write(&path, &text).unwrap();
            let opts = ImportOptions::default();
            let specs = TableKind::Deliveries.fields();
            let streamed = day_first_passes(specs.len(), false, |d| {
                stream_pass::<table::Deliveries>(&path, specs, &opts, d, 4096 * block)
            });
            let whole = text::decode_csv(path.display().to_string(), text.into_bytes()).and_then(|csv| {
                day_first_passes(specs.len(), false, |d| parse_pass::<table::Deliveries>(&csv, specs, &opts, d))
            });
            let lines = |p: &Parsed| p.rejections.iter().map(|r| (r.line, r.reason.clone())).collect::<Vec<_>>();
            match (streamed, whole) {
                (Err(NotStreamed::Unsuitable), _) => proptest::prop_assert!(lenient_quotes, "strict quotes not streamed"),
                (Ok(blocks), Ok(whole)) => {
                    proptest::prop_assert!(blocks.frame.equals_missing(&whole.frame));
                    proptest::prop_assert_eq!(lines(&blocks), lines(&whole));
                }
                (Err(NotStreamed::Failed(a)), Err(b)) => proptest::prop_assert_eq!(a.to_string(), b.to_string()),
                (Ok(_), Err(e)) => proptest::prop_assert!(false, "whole read failed: {}", e),
                (Err(NotStreamed::Failed(e)), Ok(_)) => proptest::prop_assert!(false, "block read failed: {}", e),
            }
        }
    }

    #[test]
    fn files_not_plain_utf8_are_decoded_whole_with_the_same_result() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ImportOptions::default();
        let mut text = awkward_deliveries(2000).into_bytes();
        // A Windows-1252 byte far into the file, after blocks already read.
        let at = text.len() - 100;
        text.insert(at, 0xE9);
        let path = dir.path().join("d.csv");
        std::fs::write(&path, &text).unwrap();
        let specs = TableKind::Deliveries.fields();
        let streamed =
            day_first_passes(specs.len(), false, |d| stream_pass::<table::Deliveries>(&path, specs, &opts, d, 4096));
        assert!(matches!(streamed, Err(NotStreamed::Unsuitable)));
        let mut report = ImportReport::default();
        let frame = load_file(&path, TableKind::Deliveries, &opts, &mut report).unwrap();
        let csv = text::decode_csv(path.display().to_string(), text).unwrap();
        let mut whole_report = ImportReport::default();
        let whole = load_table(&csv, TableKind::Deliveries, &opts, &mut whole_report).unwrap();
        assert!(frame.equals_missing(&whole));
        assert_eq!(report.rejections.len(), whole_report.rejections.len());
    }
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
    fn tells_kinds_apart_by_headers() {
        let h = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(detect_kind(&h("Transporter ID,Shift ID,Scheduled Start")), Some(TableKind::Blocks));
        assert_eq!(detect_kind(&h("tracking_id,driver_id,deliver_by,status")), Some(TableKind::Deliveries));
        assert_eq!(detect_kind(&h("start,end,description")), Some(TableKind::Outages));
        assert_eq!(detect_kind(&h("driver_id,email,status")), Some(TableKind::Roster));
        assert_eq!(detect_kind(&h("foo,bar")), None);
    }

    #[test]
    fn classifies_files_and_explains_unrelated_ones() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        assert_eq!(classify_file(&write("b.csv", b"Transporter ID;Shift ID;Start\n")).unwrap(), TableKind::Blocks);
        assert_eq!(classify_file(&write("r.csv", b"driver_id,status\n")).unwrap(), TableKind::Roster);
        let err = classify_file(&write("x.csv", b"name,price\nfoo,1\n")).unwrap_err().to_string();
        assert!(err.contains("expected headers") && err.contains("name, price"), "{err}");
        let err = classify_file(&write("x.pdf", b"%PDF-1.4\n\x00\x01")).unwrap_err().to_string();
        assert!(err.contains("x.pdf:2: not a text CSV file"), "{err}");
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
