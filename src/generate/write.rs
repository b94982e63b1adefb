//! Writing the CSV files fast: timestamps from a table of date strings, ids without
//! format strings.

use super::*;
use std::fs::File;
use std::io::{self, BufWriter};

/// Formats naive local timestamps from seconds since the first day's midnight, through a table
/// of the date strings: chrono's formatter is too slow for tens of millions of cells.
pub(super) struct Clock {
    pub(super) dates: Vec<[u8; 10]>,
}

impl Clock {
    pub(super) fn new(start: NaiveDate, days: u32) -> Result<Clock, GenerateError> {
        let out_of_range = || GenerateError::DateRange { start, days };
        let mut dates = Vec::new();
        for offset in -DAYS_BEFORE..=i64::from(days) + DAYS_AFTER {
            let date = TimeDelta::try_days(offset)
                .and_then(|delta| start.checked_add_signed(delta))
                .filter(|d| (0..=9999).contains(&d.year()))
                .ok_or_else(out_of_range)?;
            let text = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
            dates.push(text.as_bytes().try_into().map_err(|_| out_of_range())?);
        }
        Ok(Clock { dates })
    }

    /// `YYYY-MM-DD HH:MM:SS` of `t`. Every generated time lies within the table's range; one
    /// outside would be clamped to its first or last day.
    pub(super) fn stamp<'a>(&self, t: i64, buf: &'a mut [u8; 19]) -> &'a [u8] {
        let day = t.div_euclid(DAY) + DAYS_BEFORE;
        debug_assert!(day >= 0 && (day as usize) < self.dates.len(), "time {t} off the table");
        let index = usize::try_from(day).unwrap_or(0).min(self.dates.len().saturating_sub(1));
        if let Some(date) = self.dates.get(index) {
            buf[..10].copy_from_slice(date);
        }
        let secs = t.rem_euclid(DAY);
        buf[10] = b' ';
        two_digits(&mut buf[11..13], secs / HOUR);
        buf[13] = b':';
        two_digits(&mut buf[14..16], secs / MINUTE % 60);
        buf[16] = b':';
        two_digits(&mut buf[17..19], secs % 60);
        &buf[..]
    }

    pub(super) fn stamp_opt<'a>(&self, t: Option<i64>, buf: &'a mut [u8; 19]) -> &'a [u8] {
        match t {
            Some(t) => self.stamp(t, buf),
            None => &[],
        }
    }

    /// `YYYY-MM-DD` of day index `day`.
    pub(super) fn date(&self, day: i64) -> &[u8] {
        let index = usize::try_from(day + DAYS_BEFORE).unwrap_or(0);
        self.dates.get(index).map_or(&[][..], |d| &d[..])
    }
}

pub(super) fn two_digits(out: &mut [u8], value: i64) {
    out[0] = b'0' + (value / 10 % 10) as u8;
    out[1] = b'0' + (value % 10) as u8;
}

/// Writes `prefix` and `n` zero-padded to `width` digits into `out`, reusing its allocation.
pub(super) fn put_id(out: &mut String, prefix: &str, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.clear();
    out.push_str(prefix);
    for _ in digits.len() - start..width {
        out.push('0');
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// One CSV output file; errors name its path.
pub(super) struct Sink {
    pub(super) path: PathBuf,
    pub(super) out: csv::Writer<BufWriter<File>>,
}

impl Sink {
    pub(super) fn create(path: PathBuf, header: &[&str]) -> Result<Sink, GenerateError> {
        let file = File::create(&path).map_err(|error| GenerateError::Write { path: path.clone(), error })?;
        let mut sink = Sink { out: csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file)), path };
        sink.row(header)?;
        Ok(sink)
    }

    pub(super) fn row<I, T>(&mut self, fields: I) -> Result<(), GenerateError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.out.write_record(fields).map_err(|e| self.error(e.into()))
    }

    pub(super) fn error(&self, error: io::Error) -> GenerateError {
        GenerateError::Write { path: self.path.clone(), error }
    }

    pub(super) fn finish(mut self) -> Result<(), GenerateError> {
        self.out.flush().map_err(|e| self.error(e))
    }
}
