//! The parsers of Amazon's own reports (docs/rules.md §1.10, §1.14): DNR concessions,
//! package exceptions and return-to-station, and observed tiers. Like every kind, read into
//! polars' column layout through [`Table`].

use super::cells::{Cells, DateAlone, FieldError};
use super::codes::{ConcessionFlags, PackageStatus, Reason, normalise_words, parse_yes_no, says_nothing, tier_number};
use super::columns as col;
use super::table::{Maybe, Strs, Table, flags, instants, lines, required_days, required_instants};
use super::time::day_from_date;
use super::{ImportError, excerpt};
use polars_arrow::array::MutableBooleanArray;
use polars_core::prelude::*;

/// A yes/no cell: `None` when blank or the column is absent.
fn yes_no(c: &Cells, field: usize) -> Result<Option<bool>, FieldError> {
    let Some(text) = c.text(field) else { return Ok(None) };
    parse_yes_no(text)
        .map(Some)
        .ok_or_else(|| FieldError { field, reason: format!("'{}' is not yes or no", excerpt(text)) })
}

/// docs/rules.md §1.10: one row per concession.
#[derive(Default)]
pub(super) struct Concessions {
    line: Vec<u32>,
    tracking_id: Strs,
    driver_id: Strs,
    driver_name: Strs,
    concession_date: Vec<i64>,
    /// [`ConcessionFlags`], widened to the 32-bit numbers the frames hold.
    flags: Vec<u32>,
    delivery_type: Strs,
    station: Strs,
    delivered_at: Maybe<i64>,
    impacts_dsb: MutableBooleanArray,
}

impl Table for Concessions {
    fn reserve(&mut self, rows: usize) {
        self.line.reserve(rows);
        self.concession_date.reserve(rows);
        self.flags.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let tracking_id = c.required(0)?;
        let driver_id = c.required(1)?;
        let concession_date = c.required_instant(3, DateAlone::StartOfDay)?;
        let delivered_at = c.instant(12, DateAlone::StartOfDay)?;
        let impacts_dsb = yes_no(c, 13)?;
        let mut flags = ConcessionFlags::default();
        let both_incorrect_scans = [(8, ConcessionFlags::INCORRECT_SCAN), (9, ConcessionFlags::INCORRECT_SCAN)];
        let named = [
            (4, ConcessionFlags::GEO_FAR),
            (5, ConcessionFlags::NO_POD),
            (6, ConcessionFlags::SCANNED_NOT_DELIVERED),
            (7, ConcessionFlags::SIMULTANEOUS),
        ];
        for (field, flag) in named.into_iter().chain(both_incorrect_scans) {
            // A column the report has says yes or no (blank is no); one it lacks says nothing.
            if c.map.index[field].is_none() {
                continue;
            }
            flags.record(flag, Some(yes_no(c, field)?.unwrap_or(false)));
        }
        self.line.push(u32::try_from(c.line).unwrap_or(u32::MAX));
        self.tracking_id.push(Some(tracking_id));
        self.driver_id.push(Some(driver_id));
        self.driver_name.push(c.text(2));
        self.concession_date.push(concession_date);
        self.flags.push(u32::from(flags.0));
        self.delivery_type.push(c.text(10));
        self.station.push(c.text(11));
        self.delivered_at.push(delivered_at);
        self.impacts_dsb.push(impacts_dsb);
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            lines(self.line),
            self.tracking_id.column(col::TRACKING_ID.name()),
            self.driver_id.column(col::DRIVER_ID.name()),
            self.driver_name.column(col::DRIVER_NAME.name()),
            required_instants(col::CONCESSION_DATE.name(), self.concession_date),
            UInt32Chunked::from_vec(col::CONCESSION.name().into(), self.flags).into_column(),
            self.delivery_type.column(col::DELIVERY_TYPE.name()),
            self.station.column(col::STATION.name()),
            instants(col::DELIVERED_AT.name(), self.delivered_at),
            BooleanChunked::with_chunk(col::IMPACTS_DSB.name().into(), self.impacts_dsb.into()).into_column(),
        ])?)
    }
}

/// docs/rules.md §1.10: tiers a person saw, one row per driver and day.
#[derive(Default)]
pub(super) struct Observed {
    line: Vec<u32>,
    driver_id: Strs,
    day: Vec<i32>,
    overall: Vec<u32>,
    reliability: Maybe<u32>,
    quality: Maybe<u32>,
}

impl Table for Observed {
    fn reserve(&mut self, rows: usize) {
        self.line.reserve(rows);
        self.day.reserve(rows);
        self.overall.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let tier = |c: &Cells, field: usize| -> Result<Option<u32>, FieldError> {
            let Some(text) = c.text(field) else { return Ok(None) };
            // A component without data ("No standing" in Standwatch's own reports) says nothing.
            if field != 2 && normalise_words(text) == "no standing" {
                return Ok(None);
            }
            tier_number(text).map(Some).ok_or_else(|| FieldError {
                field,
                reason: format!(
                    "'{}' is not a tier (Fantastic Plus, Fantastic, Great, Fair, At Risk or Poor; or Platinum, \
                     Gold, Silver, Bronze)",
                    excerpt(text)
                ),
            })
        };
        let driver_id = c.required(0)?;
        c.required(1)?;
        let day = c.date(1)?.map(day_from_date).unwrap_or_default();
        let overall = tier(c, 2)?.ok_or_else(|| FieldError { field: 2, reason: "required value is empty".into() })?;
        let reliability = tier(c, 3)?;
        let quality = tier(c, 4)?;
        self.line.push(u32::try_from(c.line).unwrap_or(u32::MAX));
        self.driver_id.push(Some(driver_id));
        self.day.push(day);
        self.overall.push(overall);
        self.reliability.push(reliability);
        self.quality.push(quality);
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        let numbers =
            |name: &str, values: Maybe<u32>| UInt32Chunked::with_chunk(name.into(), values.freeze()).into_column();
        Ok(DataFrame::new_infer_height(vec![
            lines(self.line),
            self.driver_id.column(col::DRIVER_ID.name()),
            required_days(col::DATE.name(), self.day),
            UInt32Chunked::from_vec(col::OVERALL_TIER.name().into(), self.overall).into_column(),
            numbers(col::RELIABILITY_TIER.name(), self.reliability),
            numbers(col::QUALITY_TIER.name(), self.quality),
        ])?)
    }
}

/// docs/rules.md §1.14: one row per package that was not delivered on its route (Amazon's
/// package exceptions or RTS report), in the fields of [`super::fields::EXCEPTION_FIELDS`].
#[derive(Default)]
pub(super) struct Exceptions {
    line: Vec<u32>,
    tracking_id: Strs,
    driver_id: Strs,
    driver_name: Strs,
    route: Strs,
    station: Strs,
    address: Strs,
    /// [`super::codes::Outcome::number`].
    outcome: Vec<u32>,
    returned: Vec<bool>,
    pickup_failed: Vec<bool>,
    reason: Strs,
    reason_code: Maybe<u32>,
    scanned_at: Maybe<i64>,
    deliver_by: Maybe<i64>,
    counts: Vec<bool>,
    exemption: Strs,
    notes: Strs,
    /// Statuses and reasons already read: a report repeats a handful of them.
    statuses: PlHashMap<Box<str>, Option<PackageStatus>>,
    reasons: PlHashMap<Box<str>, Option<Reason>>,
}

/// The most distinct statuses or reasons remembered (free text can be all different).
const REMEMBERED_MAX: usize = 4096;

/// The value of `text` remembered in `known`, else read by `read` (and remembered).
fn remembered<T: Copy>(known: &mut PlHashMap<Box<str>, T>, text: &str, read: impl Fn(&str) -> T) -> T {
    if let Some(value) = known.get(text) {
        return *value;
    }
    let value = read(text);
    if known.len() < REMEMBERED_MAX {
        known.insert(text.into(), value);
    }
    value
}

/// A `Transporter Id` that names no driver: the package was on nobody's route.
fn names_no_driver(id: &str) -> bool {
    says_nothing(id) || id.trim().eq_ignore_ascii_case("unassigned")
}

impl Table for Exceptions {
    fn reserve(&mut self, rows: usize) {
        // Every column a row fills: grown by doubling, they would be copied a dozen times.
        self.line.reserve(rows);
        self.outcome.reserve(rows);
        self.counts.reserve(rows);
        self.returned.reserve(rows);
        self.pickup_failed.reserve(rows);
        for texts in [&mut self.tracking_id, &mut self.driver_id, &mut self.driver_name, &mut self.address] {
            texts.reserve(rows);
        }
        for texts in [&mut self.route, &mut self.station, &mut self.reason, &mut self.exemption, &mut self.notes] {
            texts.reserve(rows);
        }
        self.reason_code.reserve(rows);
        self.scanned_at.reserve(rows);
        self.deliver_by.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        let tracking_id = c.required(0)?;
        let driver_id = c.text(1).unwrap_or("");
        if names_no_driver(driver_id) {
            let written = if driver_id.is_empty() {
                "an empty transporter id".to_string()
            } else {
                format!("'{}'", excerpt(driver_id))
            };
            return Err(FieldError {
                field: 1,
                reason: format!("{written} names no driver: the package was on no driver's route"),
            });
        }
        let status_text = c.text(6).unwrap_or("");
        let status = remembered(&mut self.statuses, status_text, PackageStatus::parse).ok_or_else(|| FieldError {
            field: 6,
            reason: format!(
                "unknown package status '{}' (expected Reattemptable, Undeliverable, Returned to station, Missing, \
                 Pickup failed or Delivered)",
                excerpt(status_text)
            ),
        })?;
        let scanned_at = c.instant(8, DateAlone::Refused)?;
        let deliver_by = c.instant(9, DateAlone::EndOfDay)?;
        if scanned_at.is_none() && deliver_by.is_none() {
            let field = if c.map.index[8].is_none() && c.map.index[9].is_some() { 9 } else { 8 };
            return Err(FieldError {
                field,
                reason: "no time of last scan and no planned delivery date: the package has no day".to_string(),
            });
        }
        let impact = yes_no(c, 10)?;
        let exemption = c.text(11).filter(|e| !says_nothing(e));
        let reason = c.text(7).filter(|r| !says_nothing(r));
        self.line.push(u32::try_from(c.line).unwrap_or(u32::MAX));
        self.tracking_id.push(Some(tracking_id));
        self.driver_id.push(Some(driver_id));
        self.driver_name.push(c.text(2));
        self.route.push(c.text(3));
        self.station.push(c.text(4));
        self.address.push(c.text(5));
        self.outcome.push(status.outcome.number());
        self.returned.push(status.returned);
        self.pickup_failed.push(status.pickup_failed);
        self.reason.push(reason);
        let code = reason.and_then(|text| remembered(&mut self.reasons, text, Reason::classify));
        self.reason_code.push(code.map(Reason::number));
        self.scanned_at.push(scanned_at);
        self.deliver_by.push(deliver_by);
        self.counts.push(impact != Some(false) && exemption.is_none());
        self.exemption.push(exemption);
        self.notes.push(c.text(12));
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        Ok(DataFrame::new_infer_height(vec![
            lines(self.line),
            self.tracking_id.column(col::TRACKING_ID.name()),
            self.driver_id.column(col::DRIVER_ID.name()),
            self.driver_name.column(col::DRIVER_NAME.name()),
            self.route.column(col::ROUTE.name()),
            self.station.column(col::STATION.name()),
            self.address.column(col::ADDRESS.name()),
            UInt32Chunked::from_vec(col::OUTCOME.name().into(), self.outcome).into_column(),
            flags(col::RETURNED.name(), &self.returned),
            flags(col::PICKUP_FAILED.name(), &self.pickup_failed),
            self.reason.column(col::REASON.name()),
            UInt32Chunked::with_chunk(col::REASON_CODE.name().into(), self.reason_code.freeze()).into_column(),
            instants(col::SCANNED_AT.name(), self.scanned_at),
            instants(col::DELIVER_BY.name(), self.deliver_by),
            flags(col::COUNTS.name(), &self.counts),
            self.exemption.column(col::EXEMPTION.name()),
            self.notes.column(col::NOTES.name()),
        ])?)
    }
}
