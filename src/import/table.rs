//! Parsed rows kept as columns while a file is read: no per-row allocation. Strings of a
//! column share one buffer; a rejected row appends nothing (all its fields are read first).

use super::codes::{Outcome, Reason, normalise_words, parse_yes_no};
use super::time::day_from_date;
use super::{Cells, DateAlone, FieldError, ImportError, excerpt};
use polars::prelude::*;

/// The rows of one input kind, as columns.
pub(super) trait Table: Default + Send + Sync {
    /// Room for about `rows` rows, so that columns do not grow by copying.
    fn reserve(&mut self, rows: usize);
    /// Reads one row and appends it, or appends nothing and says which field is bad.
    fn read(&mut self, cells: &mut Cells) -> Result<(), FieldError>;
    fn len(&self) -> usize;
    /// Appends the rows of a later piece of the file.
    fn append(&mut self, later: Self);
    /// The duplicate key of a row (the later row wins), for kinds that have one.
    fn key(&self, row: usize) -> Option<&str>;
    /// The kept rows as a frame.
    fn frame(&self, keep: Keep<'_>) -> Result<DataFrame, ImportError>;
}

/// Which rows go into a frame (the duplicate rows a later row replaces do not).
pub(super) type Keep<'a> = &'a (dyn Fn(usize) -> bool + Sync);

/// A column to build, built on whichever core is free.
type ColumnJob<'a> = Box<dyn FnOnce() -> Column + Send + 'a>;

/// Builds the columns on all cores, each core taking the next column to build, and
/// returns them in the order given: copying millions of values into polars columns is
/// memory-bound work that two cores do in about half the time.
fn build_columns(jobs: Vec<ColumnJob<'_>>) -> Result<Vec<Column>, ImportError> {
    let count = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate().collect::<std::collections::VecDeque<_>>());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(count);
    let mut built: Vec<(usize, Column)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((index, job)) = queue.lock().ok().and_then(|mut q| q.pop_front()) {
                        done.push((index, job()));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    if built.len() != count {
        return Err(ImportError::Frame(PolarsError::ComputeError("a column could not be built".into())));
    }
    built.sort_unstable_by_key(|(index, _)| *index);
    Ok(built.into_iter().map(|(_, column)| column).collect())
}

/// Optional strings of one column in one buffer.
#[derive(Default)]
pub(super) struct Strs {
    text: String,
    ends: Vec<usize>,
    present: Vec<bool>,
}

impl Strs {
    fn reserve(&mut self, rows: usize, bytes_per_row: usize) {
        self.text.reserve(rows * bytes_per_row);
        self.ends.reserve(rows);
        self.present.reserve(rows);
    }

    fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.text.push_str(v);
        }
        self.ends.push(self.text.len());
        self.present.push(value.is_some());
    }

    fn get(&self, i: usize) -> Option<&str> {
        if !self.present[i] {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..self.ends[i]])
    }

    fn append(&mut self, later: Strs) {
        let base = self.text.len();
        self.text.push_str(&later.text);
        self.ends.extend(later.ends.into_iter().map(|e| e + base));
        self.present.extend(later.present);
    }

    fn column(&self, name: &str, keep: Keep<'_>) -> Column {
        StringChunked::from_iter_options(name.into(), (0..self.ends.len()).filter(|&i| keep(i)).map(|i| self.get(i)))
            .into_column()
    }
}

fn kept<'a, T: Copy>(values: &'a [T], keep: Keep<'a>) -> impl Iterator<Item = T> + 'a {
    values.iter().enumerate().filter(move |(i, _)| keep(*i)).map(|(_, v)| *v)
}

fn instants(name: &str, values: &[Option<i64>], keep: Keep<'_>) -> Column {
    Int64Chunked::from_iter_options(name.into(), kept(values, keep))
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_column()
}

fn required_instants(name: &str, values: &[i64], keep: Keep<'_>) -> Column {
    Int64Chunked::from_iter_values(name.into(), kept(values, keep))
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_column()
}

fn days(name: &str, values: &[Option<i32>], keep: Keep<'_>) -> Column {
    Int32Chunked::from_iter_options(name.into(), kept(values, keep)).into_date().into_column()
}

fn required_days(name: &str, values: &[i32], keep: Keep<'_>) -> Column {
    Int32Chunked::from_iter_values(name.into(), kept(values, keep)).into_date().into_column()
}

fn lines(values: &[u64], keep: Keep<'_>) -> Column {
    UInt64Chunked::from_iter_values("line".into(), kept(values, keep)).into_column()
}

fn flags(name: &str, values: &[bool], keep: Keep<'_>) -> Column {
    BooleanChunked::from_iter_values(name.into(), kept(values, keep)).into_column()
}

/// SPEC §2.1.
#[derive(Default)]
pub(super) struct Blocks {
    line: Vec<u64>,
    driver_id: Strs,
    driver_name: Strs,
    block_id: Strs,
    station: Strs,
    block_start: Vec<i64>,
    day: Vec<i32>,
    block_end: Vec<Option<i64>>,
    checked_in_at: Vec<Option<i64>>,
    cancelled_at: Vec<Option<i64>>,
    departed_at: Vec<Option<i64>>,
}

impl Table for Blocks {
    fn reserve(&mut self, rows: usize) {
        self.line.reserve(rows);
        self.driver_id.reserve(rows, 8);
        self.driver_name.reserve(rows, 12);
        self.block_id.reserve(rows, 10);
        self.station.reserve(rows, 4);
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
        self.line.push(c.line);
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

    fn len(&self) -> usize {
        self.line.len()
    }

    fn append(&mut self, later: Self) {
        self.line.extend(later.line);
        self.driver_id.append(later.driver_id);
        self.driver_name.append(later.driver_name);
        self.block_id.append(later.block_id);
        self.station.append(later.station);
        self.block_start.extend(later.block_start);
        self.day.extend(later.day);
        self.block_end.extend(later.block_end);
        self.checked_in_at.extend(later.checked_in_at);
        self.cancelled_at.extend(later.cancelled_at);
        self.departed_at.extend(later.departed_at);
    }

    fn key(&self, row: usize) -> Option<&str> {
        self.block_id.get(row)
    }

    fn frame(&self, keep: Keep<'_>) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            lines(&self.line, keep),
            self.driver_id.column("driver_id", keep),
            self.driver_name.column("driver_name", keep),
            self.block_id.column("block_id", keep),
            self.station.column("station", keep),
            required_instants("block_start", &self.block_start, keep),
            required_days("day", &self.day, keep),
            instants("block_end", &self.block_end, keep),
            instants("checked_in_at", &self.checked_in_at, keep),
            instants("cancelled_at", &self.cancelled_at, keep),
            instants("departed_at", &self.departed_at, keep),
        ])?)
    }
}

/// SPEC §2.2.
#[derive(Default)]
pub(super) struct Deliveries {
    line: Vec<u64>,
    tracking_id: Strs,
    driver_id: Strs,
    block_id: Strs,
    deliver_by: Vec<i64>,
    day: Vec<i32>,
    attempted_at: Vec<Option<i64>>,
    outcome: Vec<Outcome>,
    reason: Strs,
    reason_code: Vec<Option<Reason>>,
    returned_at: Vec<Option<i64>>,
    dnr: Vec<bool>,
    dnr_reported_at: Vec<Option<i64>>,
    dnr_day: Vec<Option<i32>>,
    contact_attempts: Vec<Option<u32>>,
    photo: Strs,
    notes: Strs,
}

impl Table for Deliveries {
    fn reserve(&mut self, rows: usize) {
        self.line.reserve(rows);
        self.tracking_id.reserve(rows, 14);
        self.driver_id.reserve(rows, 8);
        self.block_id.reserve(rows, 10);
        self.deliver_by.reserve(rows);
        self.day.reserve(rows);
        self.attempted_at.reserve(rows);
        self.outcome.reserve(rows);
        self.reason.reserve(rows, 0);
        self.reason_code.reserve(rows);
        self.returned_at.reserve(rows);
        self.dnr.reserve(rows);
        self.dnr_reported_at.reserve(rows);
        self.dnr_day.reserve(rows);
        self.contact_attempts.reserve(rows);
        self.photo.reserve(rows, 0);
        self.notes.reserve(rows, 0);
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
        self.line.push(c.line);
        self.tracking_id.push(Some(tracking_id));
        self.driver_id.push(Some(driver_id));
        self.block_id.push(c.text(2));
        self.deliver_by.push(deliver_by);
        self.day.push(day);
        self.attempted_at.push(attempted_at);
        self.outcome.push(outcome);
        self.reason.push(reason);
        self.reason_code.push(reason.and_then(Reason::classify));
        self.returned_at.push(returned_at);
        self.dnr.push(dnr);
        self.dnr_reported_at.push(dnr_reported_at);
        self.dnr_day.push(dnr.then(|| dnr_reported_at.map_or(day, |t| c.zone.day_of(t))));
        self.contact_attempts.push(contact_attempts);
        self.photo.push(c.text(11));
        self.notes.push(c.text(12));
        Ok(())
    }

    fn len(&self) -> usize {
        self.line.len()
    }

    fn append(&mut self, later: Self) {
        self.line.extend(later.line);
        self.tracking_id.append(later.tracking_id);
        self.driver_id.append(later.driver_id);
        self.block_id.append(later.block_id);
        self.deliver_by.extend(later.deliver_by);
        self.day.extend(later.day);
        self.attempted_at.extend(later.attempted_at);
        self.outcome.extend(later.outcome);
        self.reason.append(later.reason);
        self.reason_code.extend(later.reason_code);
        self.returned_at.extend(later.returned_at);
        self.dnr.extend(later.dnr);
        self.dnr_reported_at.extend(later.dnr_reported_at);
        self.dnr_day.extend(later.dnr_day);
        self.contact_attempts.extend(later.contact_attempts);
        self.photo.append(later.photo);
        self.notes.append(later.notes);
    }

    fn key(&self, row: usize) -> Option<&str> {
        self.tracking_id.get(row)
    }

    fn frame(&self, keep: Keep<'_>) -> Result<DataFrame, ImportError> {
        // In the frame's (SPEC) order, which puts the big string columns first.
        let jobs: Vec<ColumnJob<'_>> = vec![
            Box::new(|| lines(&self.line, keep)),
            Box::new(|| self.tracking_id.column("tracking_id", keep)),
            Box::new(|| self.driver_id.column("driver_id", keep)),
            Box::new(|| self.block_id.column("block_id", keep)),
            Box::new(|| required_instants("deliver_by", &self.deliver_by, keep)),
            Box::new(|| required_days("day", &self.day, keep)),
            Box::new(|| instants("attempted_at", &self.attempted_at, keep)),
            Box::new(|| {
                StringChunked::from_iter_values("outcome".into(), kept(&self.outcome, keep).map(Outcome::as_str))
                    .into_column()
            }),
            Box::new(|| self.reason.column("reason", keep)),
            Box::new(|| {
                StringChunked::from_iter_options(
                    "reason_code".into(),
                    kept(&self.reason_code, keep).map(|r| r.map(Reason::as_str)),
                )
                .into_column()
            }),
            Box::new(|| instants("returned_at", &self.returned_at, keep)),
            Box::new(|| flags("dnr", &self.dnr, keep)),
            Box::new(|| instants("dnr_reported_at", &self.dnr_reported_at, keep)),
            Box::new(|| days("dnr_day", &self.dnr_day, keep)),
            Box::new(|| {
                UInt32Chunked::from_iter_options("contact_attempts".into(), kept(&self.contact_attempts, keep))
                    .into_column()
            }),
            Box::new(|| self.photo.column("photo", keep)),
            Box::new(|| self.notes.column("notes", keep)),
        ];
        Ok(DataFrame::new_infer_height(build_columns(jobs)?)?)
    }
}

/// SPEC §2.3.
#[derive(Default)]
pub(super) struct Roster {
    driver_id: Strs,
    driver_name: Strs,
    email: Strs,
    deactivated: Vec<bool>,
    deactivated_on: Vec<Option<i32>>,
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

    fn len(&self) -> usize {
        self.deactivated.len()
    }

    fn append(&mut self, later: Self) {
        self.driver_id.append(later.driver_id);
        self.driver_name.append(later.driver_name);
        self.email.append(later.email);
        self.deactivated.extend(later.deactivated);
        self.deactivated_on.extend(later.deactivated_on);
    }

    fn key(&self, row: usize) -> Option<&str> {
        self.driver_id.get(row)
    }

    fn frame(&self, keep: Keep<'_>) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            self.driver_id.column("driver_id", keep),
            self.driver_name.column("driver_name", keep),
            self.email.column("email", keep),
            flags("deactivated", &self.deactivated, keep),
            days("deactivated_on", &self.deactivated_on, keep),
        ])?)
    }
}

/// SPEC §2.4.
#[derive(Default)]
pub(super) struct Outages {
    start: Vec<i64>,
    end: Vec<i64>,
    description: Strs,
}

impl Outages {
    pub(super) fn push(&mut self, start: i64, end: i64, description: Option<&str>) {
        self.start.push(start);
        self.end.push(end);
        self.description.push(description);
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
        self.push(start, end, c.text(2));
        Ok(())
    }

    fn len(&self) -> usize {
        self.start.len()
    }

    fn append(&mut self, later: Self) {
        self.start.extend(later.start);
        self.end.extend(later.end);
        self.description.append(later.description);
    }

    fn key(&self, _row: usize) -> Option<&str> {
        None
    }

    fn frame(&self, keep: Keep<'_>) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            required_instants("start", &self.start, keep),
            required_instants("end", &self.end, keep),
            self.description.column("description", keep),
        ])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_arena_keeps_values_and_gaps_across_appends() {
        let mut a = Strs::default();
        a.push(Some("x"));
        a.push(None);
        let mut b = Strs::default();
        b.push(Some(""));
        b.push(Some("yz"));
        a.append(b);
        assert_eq!((0..4).map(|i| a.get(i)).collect::<Vec<_>>(), [Some("x"), None, Some(""), Some("yz")]);
        let col = a.column("c", &|i| i != 0);
        assert_eq!(col.str().unwrap().iter().collect::<Vec<_>>(), [None, Some(""), Some("yz")]);
    }
}
