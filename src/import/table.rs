//! Parsed rows kept as columns while a file is read, in polars' own layout: no per-row
//! allocation, and the columns become the frame without a copy. A rejected row appends
//! nothing (all its fields are read first).

use super::cells::{Cells, DateAlone, FieldError};
use super::codes::{Outcome, Reason, is_pickup_failed, normalise_words, parse_yes_no, photo_paths};
use super::columns as col;
use super::time::day_from_date;
use super::{Detail, ImportError, excerpt};
use polars_arrow::array::{MutablePlString, MutablePrimitiveArray};
use polars_core::prelude::*;

/// The rows of one input kind, as columns.
pub(super) trait Table: Default + Send {
    /// Room for about `rows` rows, so that columns do not grow by copying.
    fn reserve(&mut self, rows: usize);
    /// Which columns to keep; all unless a kind says otherwise.
    fn keep(&mut self, _detail: Detail) {}
    /// Reads one row and appends it, or appends nothing and says which field is bad.
    fn read(&mut self, cells: &mut Cells) -> Result<(), FieldError>;
    /// The rows as a frame. The columns are handed over to polars as they are: the
    /// values are not copied again.
    fn frame(self) -> Result<DataFrame, ImportError>;
}

/// Optional strings of one column, in polars' own string layout.
#[derive(Default)]
pub(super) struct Strs(MutablePlString);

impl Strs {
    pub(super) fn reserve(&mut self, rows: usize) {
        self.0.reserve(rows);
    }

    pub(super) fn push(&mut self, value: Option<&str>) {
        self.0.push(value);
    }

    pub(super) fn column(self, name: &str) -> Column {
        StringChunked::with_chunk(name.into(), self.0.freeze()).into_column()
    }
}

/// Optional strings of a column that is rarely filled (photos, notes): only the values are
/// kept while reading. A piece with none becomes an all-missing chunk, which polars backs
/// with shared zeroes instead of 16 bytes per row.
#[derive(Default)]
pub(super) struct SparseStrs {
    rows: usize,
    values: MutablePlString,
    at: Vec<usize>,
}

impl SparseStrs {
    pub(super) fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.values.push_value(v);
            self.at.push(self.rows);
        }
        self.rows += 1;
    }

    pub(super) fn column(self, name: &str) -> Column {
        if self.at.is_empty() {
            return StringChunked::full_null(name.into(), self.rows).into_column();
        }
        let values = self.values.freeze();
        let mut dense = MutablePlString::with_capacity(self.rows);
        let mut next = self.at.iter().zip(values.values_iter()).peekable();
        for row in 0..self.rows {
            match next.next_if(|(at, _)| **at == row) {
                Some((_, v)) => dense.push_value(v),
                None => dense.push_null(),
            }
        }
        StringChunked::with_chunk(name.into(), dense.freeze()).into_column()
    }
}

/// Texts repeated on many rows (a delivery's driver, block and reason) as categorical
/// codes ([`super::repeated_text_dtype`]). Rows come in runs of one driver and block: the last
/// text's code is reused without a lookup; other texts seen are remembered here, so that
/// the shared categories are only asked for new ones.
pub(super) struct RepeatedTexts {
    codes: Maybe<u32>,
    mapping: Arc<CategoricalMapping>,
    last: Option<u32>,
    last_text: String,
    known: PlHashMap<Box<str>, u32>,
}

impl Default for RepeatedTexts {
    fn default() -> RepeatedTexts {
        RepeatedTexts {
            codes: Maybe::default(),
            mapping: Categories::global().mapping(),
            last: None,
            last_text: String::new(),
            known: PlHashMap::new(),
        }
    }
}

impl RepeatedTexts {
    /// The most texts remembered (free text can be all different).
    const KNOWN_MAX: usize = 4096;

    fn reserve(&mut self, rows: usize) {
        self.codes.reserve(rows);
    }

    /// The code of an id (added to the categories if new); fails only past four billion
    /// distinct ids.
    fn code(&mut self, value: Option<&str>) -> PolarsResult<Option<u32>> {
        let Some(text) = value else { return Ok(None) };
        Ok(Some(match self.last {
            Some(code) if self.last_text == text => code,
            _ => {
                let code = match self.known.get(text) {
                    Some(code) => *code,
                    None => {
                        let code = self.mapping.insert_cat(text)?;
                        if self.known.len() < RepeatedTexts::KNOWN_MAX {
                            self.known.insert(text.into(), code);
                        }
                        code
                    }
                };
                self.last = Some(code);
                self.last_text.clear();
                self.last_text.push_str(text);
                code
            }
        }))
    }

    fn push(&mut self, code: Option<u32>) {
        self.codes.push(code);
    }

    fn column(self, name: &str) -> Column {
        let codes = UInt32Chunked::with_chunk(name.into(), self.codes.freeze());
        Categorical32Chunked::from_cats_and_dtype(codes, super::repeated_text_dtype()).into_series().into_column()
    }
}

/// Optional values of one column: the values and, once one is missing, a validity mask.
pub(super) type Maybe<T> = MutablePrimitiveArray<T>;

pub(super) fn instants(name: &str, values: Maybe<i64>) -> Column {
    Int64Chunked::with_chunk(name.into(), values.freeze()).into_datetime(TimeUnit::Milliseconds, None).into_column()
}

pub(super) fn required_instants(name: &str, values: Vec<i64>) -> Column {
    Int64Chunked::from_vec(name.into(), values).into_datetime(TimeUnit::Milliseconds, None).into_column()
}

pub(super) fn days(name: &str, values: Maybe<i32>) -> Column {
    Int32Chunked::with_chunk(name.into(), values.freeze()).into_date().into_column()
}

pub(super) fn required_days(name: &str, values: Vec<i32>) -> Column {
    Int32Chunked::from_vec(name.into(), values).into_date().into_column()
}

/// Physical line numbers: a file is at most 1 GiB, so they fit 32 bits.
pub(super) fn lines(values: Vec<u32>) -> Column {
    UInt32Chunked::from_vec("line".into(), values).into_column()
}

pub(super) fn flags(name: &str, values: &[bool]) -> Column {
    BooleanChunked::from_slice(name.into(), values).into_column()
}

/// docs/rules.md §1.5.
#[derive(Default)]
pub(super) struct Blocks {
    line: Vec<u32>,
    driver_id: Strs,
    driver_name: Strs,
    block_id: Strs,
    station: Strs,
    block_start: Vec<i64>,
    day: Vec<i32>,
    block_end: Maybe<i64>,
    checked_in_at: Maybe<i64>,
    cancelled_at: Maybe<i64>,
    departed_at: Maybe<i64>,
}

impl Table for Blocks {
    fn reserve(&mut self, rows: usize) {
        self.line.reserve(rows);
        self.driver_id.reserve(rows);
        self.driver_name.reserve(rows);
        self.block_id.reserve(rows);
        self.station.reserve(rows);
        self.block_start.reserve(rows);
        self.day.reserve(rows);
        self.block_end.reserve(rows);
        self.checked_in_at.reserve(rows);
        self.cancelled_at.reserve(rows);
        self.departed_at.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let block_start = c.required_instant(4, DateAlone::Refused)?;
        let driver_id = c.required(0)?;
        let block_id = c.required(2)?;
        let block_end = c.instant(5, DateAlone::Refused)?;
        let checked_in_at = c.instant(6, DateAlone::Refused)?;
        let cancelled_at = c.instant(7, DateAlone::Refused)?;
        let departed_at = c.instant(8, DateAlone::Refused)?;
        self.line.push(u32::try_from(c.line).unwrap_or(u32::MAX));
        self.driver_id.push(Some(driver_id));
        self.driver_name.push(c.text(1));
        self.block_id.push(Some(block_id));
        self.station.push(c.text(3));
        self.block_start.push(block_start);
        self.day.push(c.zone.day_of(block_start));
        self.block_end.push(block_end);
        self.checked_in_at.push(checked_in_at);
        self.cancelled_at.push(cancelled_at);
        self.departed_at.push(departed_at);
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            lines(self.line),
            self.driver_id.column(col::DRIVER_ID.name()),
            self.driver_name.column(col::DRIVER_NAME.name()),
            self.block_id.column(col::BLOCK_ID.name()),
            self.station.column(col::STATION.name()),
            required_instants(col::BLOCK_START.name(), self.block_start),
            required_days(col::DAY.name(), self.day),
            instants(col::BLOCK_END.name(), self.block_end),
            instants(col::CHECKED_IN_AT.name(), self.checked_in_at),
            instants(col::CANCELLED_AT.name(), self.cancelled_at),
            instants(col::DEPARTED_AT.name(), self.departed_at),
        ])?)
    }
}

/// docs/rules.md §1.6.
#[derive(Default)]
pub(super) struct Deliveries {
    line: Vec<u32>,
    tracking_id: Strs,
    driver_id: RepeatedTexts,
    block_id: RepeatedTexts,
    deliver_by: Vec<i64>,
    day: Vec<i32>,
    attempted_at: Maybe<i64>,
    /// [`Outcome::number`]: 4 bytes a row where a string costs 16.
    outcome: Vec<u32>,
    reason: RepeatedTexts,
    /// [`Reason::number`].
    reason_code: Maybe<u32>,
    returned_at: Maybe<i64>,
    dnr: Vec<bool>,
    dnr_reported_at: Maybe<i64>,
    dnr_day: Maybe<i32>,
    contact_attempts: Maybe<u32>,
    photo: SparseStrs,
    /// [`Detail::Tallies`]: whether each row has a photo, instead of `photo`.
    has_photo: Vec<bool>,
    notes: SparseStrs,
    /// Addresses are rare in delivery exports (docs/rules.md §1.13), kept at every detail:
    /// address clusters are a dispute ground.
    address: SparseStrs,
    pickup_failed: Vec<bool>,
    /// [`Detail::Standing`] and [`Detail::Tallies`]: line, reason, DNR report time and notes
    /// are not kept.
    standing_only: bool,
    tallies_only: bool,
    /// Reasons already classified: exports repeat a handful of phrasings.
    classified: PlHashMap<Box<str>, Option<Reason>>,
}

impl Deliveries {
    /// The most distinct reason texts remembered (free text can be all different).
    const CLASSIFIED_MAX: usize = 4096;

    fn classify(&mut self, text: &str) -> Option<Reason> {
        if let Some(reason) = self.classified.get(text) {
            return *reason;
        }
        let reason = Reason::classify(text);
        if self.classified.len() < Deliveries::CLASSIFIED_MAX {
            self.classified.insert(text.into(), reason);
        }
        reason
    }
}

impl Table for Deliveries {
    fn keep(&mut self, detail: Detail) {
        self.standing_only = detail != Detail::Full;
        self.tallies_only = detail == Detail::Tallies;
    }

    fn reserve(&mut self, rows: usize) {
        if !self.standing_only {
            self.line.reserve(rows);
            self.reason.reserve(rows);
            self.dnr_reported_at.reserve(rows);
        }
        self.tracking_id.reserve(rows);
        self.driver_id.reserve(rows);
        self.block_id.reserve(rows);
        self.deliver_by.reserve(rows);
        self.day.reserve(rows);
        self.attempted_at.reserve(rows);
        self.outcome.reserve(rows);
        self.reason_code.reserve(rows);
        self.returned_at.reserve(rows);
        self.dnr.reserve(rows);
        self.dnr_day.reserve(rows);
        self.contact_attempts.reserve(rows);
        self.pickup_failed.reserve(rows);
        if self.tallies_only {
            self.has_photo.reserve(rows);
        }
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let tracking_id = c.required(0)?;
        let driver_id = c.required(1)?;
        let deliver_by = c.required_instant(3, DateAlone::EndOfDay)?;
        let outcome_text = c.required(5)?;
        let outcome = Outcome::parse(outcome_text).ok_or_else(|| FieldError {
            field: 5,
            reason: format!(
                "unknown outcome '{}' (expected delivered, attempted or not attempted)",
                excerpt(outcome_text)
            ),
        })?;
        let dnr_text = c.text(8).unwrap_or("");
        let dnr = parse_yes_no(dnr_text)
            .ok_or_else(|| FieldError { field: 8, reason: format!("'{}' is not yes or no", excerpt(dnr_text)) })?;
        let contact_attempts = match c.text(10) {
            None => None,
            Some(t) => Some(t.parse::<u32>().map_err(|_| FieldError {
                field: 10,
                reason: match t.parse::<i64>() {
                    Ok(n) if n < 0 => format!("{n} contact attempts: the count cannot be negative"),
                    _ => format!("'{}' is not a whole number of contacts", excerpt(t)),
                },
            })?),
        };
        let attempted_at = c.instant(4, DateAlone::Refused)?;
        let returned_at = c.instant(7, DateAlone::StartOfDay)?;
        let dnr_reported_at = c.instant(9, DateAlone::StartOfDay)?;
        let day = c.zone.day_of(deliver_by);
        let reason = c.text(6);
        let too_many = |field: usize| move |e: PolarsError| FieldError { field, reason: e.to_string() };
        let driver_code = self.driver_id.code(Some(driver_id)).map_err(too_many(1))?;
        let block_code = self.block_id.code(c.text(2)).map_err(too_many(2))?;
        if !self.standing_only {
            let reason_code = self.reason.code(reason).map_err(too_many(6))?;
            self.line.push(u32::try_from(c.line).unwrap_or(u32::MAX));
            self.reason.push(reason_code);
            self.dnr_reported_at.push(dnr_reported_at);
            self.notes.push(c.text(12));
        }
        self.tracking_id.push(Some(tracking_id));
        self.driver_id.push(driver_code);
        self.block_id.push(block_code);
        self.deliver_by.push(deliver_by);
        self.day.push(day);
        self.attempted_at.push(attempted_at);
        self.outcome.push(outcome.number());
        let reason_code = reason.and_then(|text| self.classify(text));
        self.reason_code.push(reason_code.map(Reason::number));
        self.returned_at.push(returned_at);
        self.dnr.push(dnr);
        self.dnr_day.push(dnr.then(|| dnr_reported_at.map_or(day, |t| c.zone.day_of(t))));
        self.contact_attempts.push(contact_attempts);
        self.pickup_failed.push(outcome == Outcome::NotAttempted && is_pickup_failed(outcome_text));
        self.address.push(c.text(13));
        if self.tallies_only {
            self.has_photo.push(c.text(11).is_some_and(|p| photo_paths(p).next().is_some()));
        } else {
            self.photo.push(c.text(11));
        }
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        let rows = self.deliver_by.len();
        // Columns not kept come out all missing, in the same types: polars backs those with
        // shared zeroes.
        let (line, reason, dnr_reported_at, notes) = if self.standing_only {
            (
                UInt32Chunked::full_null("line".into(), rows).into_column(),
                Categorical32Chunked::full_null_with_dtype("reason".into(), rows, super::repeated_text_dtype())
                    .into_series()
                    .into_column(),
                Int64Chunked::full_null("dnr_reported_at".into(), rows)
                    .into_datetime(TimeUnit::Milliseconds, None)
                    .into_column(),
                StringChunked::full_null("notes".into(), rows).into_column(),
            )
        } else {
            (
                lines(self.line),
                self.reason.column(col::REASON.name()),
                instants(col::DNR_REPORTED_AT.name(), self.dnr_reported_at),
                self.notes.column(col::NOTES.name()),
            )
        };
        let (photo, has_photo) = if self.tallies_only {
            (
                StringChunked::full_null("photo".into(), rows).into_column(),
                Some(flags(col::HAS_PHOTO.name(), &self.has_photo)),
            )
        } else {
            (self.photo.column(col::PHOTO.name()), None)
        };
        let mut columns = vec![
            line,
            self.tracking_id.column(col::TRACKING_ID.name()),
            self.driver_id.column(col::DRIVER_ID.name()),
            self.block_id.column(col::BLOCK_ID.name()),
            required_instants(col::DELIVER_BY.name(), self.deliver_by),
            required_days(col::DAY.name(), self.day),
            instants(col::ATTEMPTED_AT.name(), self.attempted_at),
            UInt32Chunked::from_vec("outcome".into(), self.outcome).into_column(),
            reason,
            UInt32Chunked::with_chunk("reason_code".into(), self.reason_code.freeze()).into_column(),
            instants(col::RETURNED_AT.name(), self.returned_at),
            flags(col::DNR.name(), &self.dnr),
            dnr_reported_at,
            days(col::DNR_DAY.name(), self.dnr_day),
            UInt32Chunked::with_chunk("contact_attempts".into(), self.contact_attempts.freeze()).into_column(),
            photo,
            notes,
            self.address.column(col::ADDRESS.name()),
            flags(col::PICKUP_FAILED.name(), &self.pickup_failed),
        ];
        columns.extend(has_photo);
        Ok(DataFrame::new_infer_height(columns)?)
    }
}

/// docs/rules.md §1.7.
#[derive(Default)]
pub(super) struct Roster {
    driver_id: Strs,
    driver_name: Strs,
    email: Strs,
    deactivated: Vec<bool>,
    deactivated_on: Maybe<i32>,
}

impl Table for Roster {
    fn reserve(&mut self, rows: usize) {
        self.deactivated.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let status = c.text(3).unwrap_or("");
        let deactivated = match normalise_words(status).as_str() {
            "" | "active" => false,
            "deactivated" | "inactive" => true,
            _ => {
                return Err(FieldError {
                    field: 3,
                    reason: format!("unknown status '{}' (expected active or deactivated)", excerpt(status)),
                });
            }
        };
        let driver_id = c.required(0)?;
        let deactivated_on = c.date(4)?.map(day_from_date);
        self.driver_id.push(Some(driver_id));
        self.driver_name.push(c.text(1));
        self.email.push(c.text(2));
        self.deactivated.push(deactivated);
        self.deactivated_on.push(deactivated_on);
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            self.driver_id.column(col::DRIVER_ID.name()),
            self.driver_name.column(col::DRIVER_NAME.name()),
            self.email.column(col::EMAIL.name()),
            flags(col::DEACTIVATED.name(), &self.deactivated),
            days(col::DEACTIVATED_ON.name(), self.deactivated_on),
        ])?)
    }
}

/// docs/rules.md §1.8.
#[derive(Default)]
pub(super) struct Outages {
    start: Vec<i64>,
    end: Vec<i64>,
    description: Strs,
    station: Strs,
}

impl Outages {
    pub(super) fn push(&mut self, start: i64, end: i64, description: Option<&str>, station: Option<&str>) {
        self.start.push(start);
        self.end.push(end);
        self.description.push(description);
        self.station.push(station);
    }
}

impl Table for Outages {
    fn reserve(&mut self, rows: usize) {
        self.start.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let start = c.required_instant(0, DateAlone::StartOfDay)?;
        let end = c.required_instant(1, DateAlone::EndOfDay)?;
        if end < start {
            return Err(FieldError { field: 1, reason: "the outage ends before it starts".to_string() });
        }
        self.push(start, end, c.text(2), c.text(3));
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            required_instants(col::START.name(), self.start),
            required_instants(col::END.name(), self.end),
            self.description.column(col::DESCRIPTION.name()),
            self.station.column(col::STATION.name()),
        ])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_values_and_gaps() {
        let mut a = Strs::default();
        for v in [Some("x"), None, Some(""), Some("a value longer than twelve bytes")] {
            a.push(v);
        }
        let col = a.column("c");
        assert_eq!(
            col.str().unwrap().iter().collect::<Vec<_>>(),
            [Some("x"), None, Some(""), Some("a value longer than twelve bytes")]
        );
    }

    #[test]
    fn rarely_filled_strings_keep_values_and_gaps() {
        let mut empty = SparseStrs::default();
        (0..3).for_each(|_| empty.push(None));
        assert_eq!(empty.column("c").str().unwrap().iter().collect::<Vec<_>>(), [None, None, None]);
        let cells = [None, Some("a;b"), None, None, Some("a longer photo path.jpg"), Some("")];
        let mut some = SparseStrs::default();
        cells.iter().for_each(|c| some.push(*c));
        assert_eq!(some.column("c").str().unwrap().iter().collect::<Vec<_>>(), cells);
    }

    #[test]
    fn optional_values_keep_their_gaps() {
        let mut values = Maybe::<i64>::default();
        values.push(Some(5));
        values.push(None);
        values.push(Some(-1));
        let col = instants("t", values);
        assert_eq!(col.datetime().unwrap().physical().iter().collect::<Vec<_>>(), [Some(5), None, Some(-1)]);
    }
}
