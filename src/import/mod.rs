//! SPEC §2: CSV exports turned, once and at the edge, into validated polars frames.
//!
//! Every row is either accepted (typed, timestamps as UTC instants and days in the fleet's
//! zone) or rejected with its file, physical line, column and reason; nothing is dropped
//! silently. Duplicate keys keep the later accepted row.

pub mod codes;
pub mod fields;
pub mod text;
pub mod time;

use chrono::NaiveDate;
use codes::{Outcome, Reason, parse_yes_no};
use fields::{BLOCK_FIELDS, ColumnMap, DELIVERY_FIELDS, FieldSpec, OUTAGE_FIELDS, ROSTER_FIELDS, map_columns};
use polars::prelude::*;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use text::{CsvText, read_csv_text};
use time::{FleetZone, SlashOrder, day_from_date, parse_written, slash_order};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read the file: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: the file is empty")]
    Empty { path: String },
    #[error("{path}: not a CSV file (binary data: a NUL byte at byte offset {offset})")]
    Binary { path: String, offset: usize },
    #[error("{path}: has a header line but no data rows")]
    NoRows { path: String },
    #[error("{path}:{line}: cannot read the CSV: {reason}")]
    Malformed { path: String, line: u64, reason: String },
    #[error("{path}: missing required column '{field}' (accepted names: {accepted}; headers found: {found})")]
    MissingColumn { path: String, field: &'static str, accepted: String, found: String },
    #[error("{0}")]
    Frame(#[from] PolarsError),
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
}

impl fmt::Display for FileSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} rows read, {} accepted, {} duplicate, {} rejected",
            self.path, self.read, self.accepted, self.duplicate, self.rejected
        )
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub files: Vec<FileSummary>,
    pub rejections: Vec<Rejection>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub zone: FleetZone,
    /// Read every `NN/NN/YYYY` as day first (otherwise detected per column).
    pub day_first: bool,
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
    let optional = |p: &Option<PathBuf>| p.as_deref().map(read_csv_text).transpose();
    load_texts(
        read_csv_text(&paths.blocks)?,
        read_csv_text(&paths.deliveries)?,
        optional(&paths.roster)?,
        optional(&paths.outages)?,
        opts,
    )
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
        None => RosterRow::frame(&[])?,
    };
    let outages = match outages {
        Some(t) => load_table(&t, TableKind::Outages, opts, &mut report)?,
        None => OutageRow::frame(&[])?,
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
        TableKind::Blocks => finish(parse_table::<BlockRow>(csv, kind, opts)?, kind, csv, report),
        TableKind::Deliveries => finish(parse_table::<DeliveryRow>(csv, kind, opts)?, kind, csv, report),
        TableKind::Roster => finish(parse_table::<RosterRow>(csv, kind, opts)?, kind, csv, report),
        TableKind::Outages => finish(parse_table::<OutageRow>(csv, kind, opts)?, kind, csv, report),
    }
}

/// The header row of a decoded file, to tell what kind of file it is.
pub fn header_row(csv: &CsvText) -> Result<Vec<String>, ImportError> {
    Ok(text::split_header(csv)?.0)
}

/// What kind of input a file is, read from its header line; an error says what was
/// expected instead.
pub fn classify_file(path: &Path) -> Result<TableKind, String> {
    let csv = read_csv_text(path).map_err(|e| e.to_string())?;
    let headers = header_row(&csv).map_err(|e| e.to_string())?;
    detect_kind(&headers).ok_or_else(|| {
        format!(
            "{}: not a blocks, deliveries, roster or outages export (expected headers such as \
             driver_id, block_id, block_start or tracking_id, deliver_by, outcome; found: {})",
            path.display(),
            headers.iter().map(|h| h.trim()).collect::<Vec<_>>().join(", ")
        )
    })
}

/// What kind of input a file is, from its headers (blocks and deliveries first).
pub fn detect_kind(headers: &[String]) -> Option<TableKind> {
    [TableKind::Deliveries, TableKind::Blocks, TableKind::Outages, TableKind::Roster]
        .into_iter()
        .find(|k| fields::headers_fit(headers, k.fields()))
}

fn finish<R: Row>(
    parsed: Parsed<R>,
    kind: TableKind,
    csv: &CsvText,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    let read = parsed.rows.len() + parsed.rejections.len();
    if read == 0 && matches!(kind, TableKind::Blocks | TableKind::Deliveries) {
        return Err(ImportError::NoRows { path: csv.path.clone() });
    }
    let rows = keep_last_per_key(parsed.rows);
    let summary = FileSummary {
        path: csv.path.clone(),
        kind,
        read,
        accepted: rows.len(),
        duplicate: read - rows.len() - parsed.rejections.len(),
        rejected: parsed.rejections.len(),
    };
    report.files.push(summary);
    report.rejections.extend(parsed.rejections);
    R::frame(&rows)
}

/// Drops every row whose key appears again later; rows without a key are all kept.
fn keep_last_per_key<R: Row>(rows: Vec<R>) -> Vec<R> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if let Some(key) = row.key() {
            last.insert(key, i);
        }
    }
    if last.len() == rows.len() || rows.iter().all(|r| r.key().is_none()) {
        return rows;
    }
    let keep: Vec<bool> =
        rows.iter().enumerate().map(|(i, r)| r.key().is_none_or(|k| last.get(k) == Some(&i))).collect();
    rows.into_iter().zip(keep).filter_map(|(r, k)| k.then_some(r)).collect()
}

struct Parsed<R> {
    rows: Vec<R>,
    rejections: Vec<Rejection>,
}

/// A field could not be read: which one (index into the kind's fields) and why.
pub struct FieldError {
    field: usize,
    reason: String,
}

/// One row's cells, read through the kind's column map, with the date-reading state.
pub struct Cells<'a> {
    record: &'a csv::StringRecord,
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
        let cell = self.record.get(i)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    fn required(&self, field: usize) -> Result<&'a str, FieldError> {
        self.text(field).ok_or_else(|| FieldError { field, reason: "required value is empty".to_string() })
    }

    fn owned(&self, field: usize) -> Option<String> {
        self.text(field).map(str::to_string)
    }

    fn written(&mut self, field: usize) -> Result<Option<time::Written>, FieldError> {
        let Some(value) = self.text(field) else { return Ok(None) };
        match slash_order(value) {
            SlashOrder::OnlyDayFirst => self.orders[field].0 += 1,
            SlashOrder::OnlyMonthFirst => self.orders[field].1 += 1,
            SlashOrder::Either => {}
        }
        match parse_written(value, self.day_first[field]) {
            Some(w) => Ok(Some(w)),
            None => Err(FieldError { field, reason: format!("cannot read '{value}' as a date and time") }),
        }
    }

    /// An instant; a date alone is refused unless `date_alone` says which moment it means.
    fn instant(&mut self, field: usize, date_alone: DateAlone) -> Result<Option<i64>, FieldError> {
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

/// A typed row of one input kind.
trait Row: Sized {
    fn read(cells: &mut Cells) -> Result<Self, FieldError>;
    /// The duplicate key (later wins), if the kind has one.
    fn key(&self) -> Option<&str>;
    fn frame(rows: &[Self]) -> Result<DataFrame, ImportError>;
}

fn parse_table<R: Row + Send>(csv: &CsvText, kind: TableKind, opts: &ImportOptions) -> Result<Parsed<R>, ImportError> {
    let specs = kind.fields();
    let mut day_first = vec![opts.day_first; specs.len()];
    loop {
        let (parsed, orders) = parse_pass::<R>(csv, specs, opts, &day_first)?;
        // SPEC §2.5: a column is day-first when it holds a value valid only day-first and
        // none valid only month-first; such a column is read again.
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

fn parse_pass<R: Row + Send>(
    csv: &CsvText,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
) -> Result<(Parsed<R>, SlashCounts), ImportError> {
    let (headers, body_start, body_line) = text::split_header(csv)?;
    let map = map_columns(&csv.path, &headers, specs)?;
    let body = &csv.text.as_bytes()[body_start..];
    // Big files are read in pieces on all cores; each piece starts at a record boundary.
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut bounds = vec![0];
    bounds.extend(text::record_cuts(body, parts, csv.delimiter));
    bounds.push(body.len());
    let pieces: Vec<(&[u8], u64)> = bounds
        .windows(2)
        .map(|w| (&body[w[0]..w[1]], body_line + memchr::memchr_iter(b'\n', &body[..w[0]]).count() as u64))
        .collect();
    let parse_piece = |(bytes, first_line): (&[u8], u64)| -> Result<(Parsed<R>, SlashCounts), ImportError> {
        let mut orders = vec![(0usize, 0usize); specs.len()];
        let mut parsed = Parsed { rows: Vec::new(), rejections: Vec::new() };
        text::for_each_record_in(&csv.path, bytes, csv.delimiter, first_line, |line, record| {
            let mut cells = Cells { record, line, map: &map, zone: opts.zone, day_first, orders: &mut orders };
            match R::read(&mut cells) {
                Ok(row) => parsed.rows.push(row),
                Err(e) => parsed.rejections.push(Rejection {
                    file: csv.path.clone(),
                    line,
                    column: map.written[e.field].clone(),
                    reason: e.reason,
                }),
            }
        })?;
        Ok((parsed, orders))
    };
    let results: Vec<Result<(Parsed<R>, SlashCounts), ImportError>> = if pieces.len() == 1 {
        pieces.into_iter().map(parse_piece).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = pieces.into_iter().map(|piece| scope.spawn(move || parse_piece(piece))).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(ImportError::Malformed {
                            path: csv.path.clone(),
                            line: 0,
                            reason: "a reader thread failed".to_string(),
                        })
                    })
                })
                .collect()
        })
    };
    let mut merged = Parsed { rows: Vec::new(), rejections: Vec::new() };
    let mut orders = vec![(0usize, 0usize); specs.len()];
    for result in results {
        let (parsed, counts) = result?;
        merged.rows.extend(parsed.rows);
        merged.rejections.extend(parsed.rejections);
        for (total, (d, m)) in orders.iter_mut().zip(counts) {
            total.0 += d;
            total.1 += m;
        }
    }
    Ok((merged, orders))
}

fn strings(name: &str, values: impl Iterator<Item = Option<impl AsRef<str>>>) -> Column {
    StringChunked::from_iter_options(name.into(), values).into_column()
}

fn instants(name: &str, values: impl Iterator<Item = Option<i64>>) -> Column {
    Int64Chunked::from_iter_options(name.into(), values).into_datetime(TimeUnit::Milliseconds, None).into_column()
}

fn days(name: &str, values: impl Iterator<Item = Option<i32>>) -> Column {
    Int32Chunked::from_iter_options(name.into(), values).into_date().into_column()
}

fn lines(values: impl Iterator<Item = u64>) -> Column {
    UInt64Chunked::from_iter_values("line".into(), values).into_column()
}

/// SPEC §2.1.
#[derive(Debug, Clone)]
pub struct BlockRow {
    line: u64,
    driver_id: String,
    driver_name: Option<String>,
    block_id: String,
    station: Option<String>,
    block_start: i64,
    day: i32,
    block_end: Option<i64>,
    checked_in_at: Option<i64>,
    cancelled_at: Option<i64>,
    departed_at: Option<i64>,
}

impl Row for BlockRow {
    fn read(c: &mut Cells) -> Result<Self, FieldError> {
        let block_start = c.required_instant(4, DateAlone::Refused)?;
        Ok(BlockRow {
            line: c.line,
            driver_id: c.required(0)?.to_string(),
            driver_name: c.owned(1),
            block_id: c.required(2)?.to_string(),
            station: c.owned(3),
            block_start,
            day: c.zone.day_of(block_start),
            block_end: c.instant(5, DateAlone::Refused)?,
            checked_in_at: c.instant(6, DateAlone::Refused)?,
            cancelled_at: c.instant(7, DateAlone::Refused)?,
            departed_at: c.instant(8, DateAlone::Refused)?,
        })
    }

    fn key(&self) -> Option<&str> {
        Some(&self.block_id)
    }

    fn frame(rows: &[Self]) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            lines(rows.iter().map(|r| r.line)),
            strings("driver_id", rows.iter().map(|r| Some(&r.driver_id))),
            strings("driver_name", rows.iter().map(|r| r.driver_name.as_ref())),
            strings("block_id", rows.iter().map(|r| Some(&r.block_id))),
            strings("station", rows.iter().map(|r| r.station.as_ref())),
            instants("block_start", rows.iter().map(|r| Some(r.block_start))),
            days("day", rows.iter().map(|r| Some(r.day))),
            instants("block_end", rows.iter().map(|r| r.block_end)),
            instants("checked_in_at", rows.iter().map(|r| r.checked_in_at)),
            instants("cancelled_at", rows.iter().map(|r| r.cancelled_at)),
            instants("departed_at", rows.iter().map(|r| r.departed_at)),
        ])?)
    }
}

/// SPEC §2.2.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    line: u64,
    tracking_id: String,
    driver_id: String,
    block_id: Option<String>,
    deliver_by: i64,
    day: i32,
    attempted_at: Option<i64>,
    outcome: Outcome,
    reason: Option<String>,
    reason_code: Option<Reason>,
    returned_at: Option<i64>,
    dnr: bool,
    dnr_reported_at: Option<i64>,
    dnr_day: Option<i32>,
    contact_attempts: Option<u32>,
    photo: Option<String>,
    notes: Option<String>,
}

impl Row for DeliveryRow {
    fn read(c: &mut Cells) -> Result<Self, FieldError> {
        let tracking_id = c.required(0)?.to_string();
        let driver_id = c.required(1)?.to_string();
        let deliver_by = c.required_instant(3, DateAlone::EndOfDay)?;
        let outcome_text = c.required(5)?;
        let outcome = Outcome::parse(outcome_text).ok_or_else(|| FieldError {
            field: 5,
            reason: format!("unknown outcome '{outcome_text}' (expected delivered, attempted or not attempted)"),
        })?;
        let dnr_text = c.text(8).unwrap_or("");
        let dnr = parse_yes_no(dnr_text)
            .ok_or_else(|| FieldError { field: 8, reason: format!("'{dnr_text}' is not yes or no") })?;
        let contact_attempts =
            match c.text(10) {
                None => None,
                Some(t) => Some(t.parse::<u32>().map_err(|_| FieldError {
                    field: 10,
                    reason: format!("'{t}' is not a whole number of contacts"),
                })?),
            };
        let reason = c.owned(6);
        let dnr_reported_at = c.instant(9, DateAlone::StartOfDay)?;
        let day = c.zone.day_of(deliver_by);
        Ok(DeliveryRow {
            line: c.line,
            tracking_id,
            driver_id,
            block_id: c.owned(2),
            deliver_by,
            day,
            attempted_at: c.instant(4, DateAlone::Refused)?,
            outcome,
            reason_code: reason.as_deref().and_then(Reason::classify),
            reason,
            returned_at: c.instant(7, DateAlone::StartOfDay)?,
            dnr,
            dnr_reported_at,
            dnr_day: dnr.then(|| dnr_reported_at.map_or(day, |t| c.zone.day_of(t))),
            contact_attempts,
            photo: c.owned(11),
            notes: c.owned(12),
        })
    }

    fn key(&self) -> Option<&str> {
        Some(&self.tracking_id)
    }

    fn frame(rows: &[Self]) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            lines(rows.iter().map(|r| r.line)),
            strings("tracking_id", rows.iter().map(|r| Some(&r.tracking_id))),
            strings("driver_id", rows.iter().map(|r| Some(&r.driver_id))),
            strings("block_id", rows.iter().map(|r| r.block_id.as_ref())),
            instants("deliver_by", rows.iter().map(|r| Some(r.deliver_by))),
            days("day", rows.iter().map(|r| Some(r.day))),
            instants("attempted_at", rows.iter().map(|r| r.attempted_at)),
            strings("outcome", rows.iter().map(|r| Some(r.outcome.as_str()))),
            strings("reason", rows.iter().map(|r| r.reason.as_ref())),
            strings("reason_code", rows.iter().map(|r| r.reason_code.map(Reason::as_str))),
            instants("returned_at", rows.iter().map(|r| r.returned_at)),
            BooleanChunked::from_iter_values("dnr".into(), rows.iter().map(|r| r.dnr)).into_column(),
            instants("dnr_reported_at", rows.iter().map(|r| r.dnr_reported_at)),
            days("dnr_day", rows.iter().map(|r| r.dnr_day)),
            UInt32Chunked::from_iter_options("contact_attempts".into(), rows.iter().map(|r| r.contact_attempts))
                .into_column(),
            strings("photo", rows.iter().map(|r| r.photo.as_ref())),
            strings("notes", rows.iter().map(|r| r.notes.as_ref())),
        ])?)
    }
}

/// SPEC §2.3.
#[derive(Debug, Clone)]
pub struct RosterRow {
    driver_id: String,
    driver_name: Option<String>,
    email: Option<String>,
    deactivated: bool,
    deactivated_on: Option<i32>,
}

impl Row for RosterRow {
    fn read(c: &mut Cells) -> Result<Self, FieldError> {
        let status = c.text(3).unwrap_or("");
        let deactivated = match codes::normalise_words(status).as_str() {
            "" | "active" => false,
            "deactivated" | "inactive" => true,
            _ => {
                return Err(FieldError {
                    field: 3,
                    reason: format!("unknown status '{status}' (expected active or deactivated)"),
                });
            }
        };
        Ok(RosterRow {
            driver_id: c.required(0)?.to_string(),
            driver_name: c.owned(1),
            email: c.owned(2),
            deactivated,
            deactivated_on: c.date(4)?.map(day_from_date),
        })
    }

    fn key(&self) -> Option<&str> {
        Some(&self.driver_id)
    }

    fn frame(rows: &[Self]) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            strings("driver_id", rows.iter().map(|r| Some(&r.driver_id))),
            strings("driver_name", rows.iter().map(|r| r.driver_name.as_ref())),
            strings("email", rows.iter().map(|r| r.email.as_ref())),
            BooleanChunked::from_iter_values("deactivated".into(), rows.iter().map(|r| r.deactivated)).into_column(),
            days("deactivated_on", rows.iter().map(|r| r.deactivated_on)),
        ])?)
    }
}

/// SPEC §2.4.
#[derive(Debug, Clone)]
pub struct OutageRow {
    start: i64,
    end: i64,
    description: Option<String>,
}

impl Row for OutageRow {
    fn read(c: &mut Cells) -> Result<Self, FieldError> {
        let start = c.required_instant(0, DateAlone::StartOfDay)?;
        let end = c.required_instant(1, DateAlone::EndOfDay)?;
        if end < start {
            return Err(FieldError { field: 1, reason: "the outage ends before it starts".to_string() });
        }
        Ok(OutageRow { start, end, description: c.owned(2) })
    }

    fn key(&self) -> Option<&str> {
        None
    }

    fn frame(rows: &[Self]) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            instants("start", rows.iter().map(|r| Some(r.start))),
            instants("end", rows.iter().map(|r| Some(r.end))),
            strings("description", rows.iter().map(|r| r.description.as_ref())),
        ])?)
    }
}

/// A window of time when the platform was down (SPEC §2.4).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outage {
    pub start: i64,
    pub end: i64,
    pub description: String,
}

impl Dataset {
    /// The same data with more outage windows (those entered in the app).
    pub fn with_outages(&self, extra: &[Outage]) -> Result<Dataset, ImportError> {
        let rows: Vec<OutageRow> = extra
            .iter()
            .map(|o| OutageRow { start: o.start, end: o.end, description: Some(o.description.clone()) })
            .collect();
        let mut data = self.clone();
        data.outages.vstack_mut(&OutageRow::frame(&rows)?)?;
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

/// The folder a file is in, for defaults such as the evidence folder.
pub fn folder_of(path: &Path) -> PathBuf {
    path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(classify_file(&write("b.csv", b"Transporter ID;Shift ID;Start\n")), Ok(TableKind::Blocks));
        assert_eq!(classify_file(&write("r.csv", b"driver_id,status\n")), Ok(TableKind::Roster));
        let err = classify_file(&write("x.csv", b"name,price\nfoo,1\n")).unwrap_err();
        assert!(err.contains("expected headers") && err.contains("name, price"), "{err}");
        let err = classify_file(&write("x.pdf", b"%PDF-1.4\n\x00\x01")).unwrap_err();
        assert!(err.contains("not a CSV"), "{err}");
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
