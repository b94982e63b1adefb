//! One row's cells, read through a kind's column map, with the date-reading state.

use super::excerpt;
use super::fields::ColumnMap;
use super::time::{self, FleetZone, SlashOrder, parse_written, slash_order};
use chrono::{Datelike, NaiveDate};

/// A field could not be read: which one (index into the kind's fields) and why.
pub struct FieldError {
    pub(super) field: usize,
    pub(super) reason: String,
}

/// One row's cells, read through the kind's column map, with the date-reading state.
pub struct Cells<'a> {
    pub(super) record: &'a [&'a str],
    /// Physical line where the row starts.
    pub(super) line: u64,
    pub(super) map: &'a ColumnMap,
    pub(super) zone: FleetZone,
    pub(super) day_first: &'a [bool],
    /// Per field: values valid only day-first, only month-first.
    pub(super) orders: &'a mut [(usize, usize)],
}

impl<'a> Cells<'a> {
    /// The trimmed cell of a field; `None` when the column is absent or the cell blank.
    pub(super) fn text(&self, field: usize) -> Option<&'a str> {
        let i = self.map.index[field]?;
        let cell = self.record.get(i)?;
        if cell.is_empty() {
            return None;
        }
        // Most cells have nothing to trim: a visible ASCII character at both ends says so
        // without the Unicode whitespace scan.
        let cell = match (cell.as_bytes().first(), cell.as_bytes().last()) {
            (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
            _ => cell.trim(),
        };
        (!cell.is_empty()).then_some(cell)
    }

    pub(super) fn required(&self, field: usize) -> Result<&'a str, FieldError> {
        self.text(field).ok_or_else(|| FieldError { field, reason: "required value is empty".to_string() })
    }

    pub(super) fn written(&mut self, field: usize) -> Result<Option<time::Written>, FieldError> {
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
    pub(super) fn instant(&mut self, field: usize, date_alone: DateAlone) -> Result<Option<i64>, FieldError> {
        let Some(text) = self.text(field) else { return Ok(None) };
        if let Some((day, ms_of_day)) = time::plain_iso(text) {
            return Ok(Some(self.zone.instant_of_local(day, ms_of_day)));
        }
        let Some(w) = self.written(field)? else { return Ok(None) };
        if w.time.is_none() && date_alone == DateAlone::Refused {
            return Err(FieldError { field, reason: "a time is needed, not only a date".to_string() });
        }
        Ok(Some(self.zone.instant(w, date_alone == DateAlone::EndOfDay)))
    }

    pub(super) fn required_instant(&mut self, field: usize, date_alone: DateAlone) -> Result<i64, FieldError> {
        self.instant(field, date_alone)?
            .ok_or_else(|| FieldError { field, reason: "required value is empty".to_string() })
    }

    pub(super) fn date(&mut self, field: usize) -> Result<Option<NaiveDate>, FieldError> {
        Ok(self.written(field)?.map(|w| w.date))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateAlone {
    Refused,
    StartOfDay,
    EndOfDay,
}
