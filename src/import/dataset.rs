//! The validated data, outage windows, and the column helpers every reader of the frames
//! shares.

use super::codes::{ConcessionFlags, Outcome, Reason};
use super::columns as col;
use super::table::{self, Table};
use super::{Dataset, ImportError, TableKind};
use polars_core::prelude::*;
use std::path::{Path, PathBuf};

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

/// A concession whose package is not among the deliveries: listed, and it changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmatchedConcession {
    /// The row's physical line in its file.
    pub line: u32,
    pub tracking_id: String,
    pub driver_id: String,
}

impl Dataset {
    /// docs/rules.md §1.10: marks each concession's package (same tracking id) as a DNR
    /// claim reported on the concession date (a package already marked keeps an earlier
    /// report time) and gives it the concession's flags (`concession`, the flags of every
    /// concession of the package together). Returns the concessions that match no delivery.
    pub fn apply_concessions(&mut self) -> PolarsResult<Vec<UnmatchedConcession>> {
        if self.concessions.height() == 0 {
            return Ok(Vec::new());
        }
        let ids = col::TRACKING_ID.read(&self.concessions)?;
        let dates = col::CONCESSION_DATE.read(&self.concessions)?;
        let flags: Vec<Option<u32>> = self.concessions.column(col::CONCESSION.name())?.u32()?.iter().collect();
        // Per package: the earliest concession date, the flags of all its concessions, and
        // whether a delivery has it.
        let mut by_package: PlHashMap<&str, (i64, ConcessionFlags, bool)> = PlHashMap::new();
        for ((id, date), flags) in ids.iter().zip(&dates).zip(&flags) {
            let (Some(id), Some(date)) = (id, date) else { continue };
            let flags = ConcessionFlags(flags.and_then(|f| u16::try_from(f).ok()).unwrap_or(0));
            by_package
                .entry(id)
                .and_modify(|(earliest, known, _)| {
                    *earliest = (*earliest).min(*date);
                    *known = known.union(flags);
                })
                .or_insert((*date, flags, false));
        }
        let deliveries = &self.deliveries;
        let tracking = deliveries.column(col::TRACKING_ID.name())?.str()?;
        let mut marked: Vec<(usize, i64, ConcessionFlags)> = Vec::new();
        for (row, id) in tracking.iter().enumerate() {
            if let Some(entry) = id.and_then(|id| by_package.get_mut(id)) {
                entry.2 = true;
                marked.push((row, entry.0, entry.1));
            }
        }
        let unmatched = ids
            .iter()
            .zip(col::DRIVER_ID.read(&self.concessions)?)
            .zip(self.concessions.column(col::LINE.name())?.u32()?.iter())
            .filter_map(|((id, driver), line)| {
                let id = (*id)?;
                (!by_package.get(id).is_some_and(|e| e.2)).then(|| UnmatchedConcession {
                    line: line.unwrap_or(0),
                    tracking_id: id.to_string(),
                    driver_id: driver.unwrap_or("").to_string(),
                })
            })
            .collect();
        if marked.is_empty() {
            return Ok(unmatched);
        }
        let mut dnr: Vec<bool> = col::DNR.read(deliveries)?.into_iter().map(|d| d.unwrap_or(false)).collect();
        let mut reported = col::DNR_REPORTED_AT.read(deliveries)?;
        let mut dnr_day = col::DNR_DAY.read(deliveries)?;
        let mut concession: Vec<Option<u32>> = vec![None; deliveries.height()];
        for (row, date, flags) in marked {
            let earlier = match (dnr[row], reported[row]) {
                (false, _) => Some(date),
                (true, Some(before)) if date < before => Some(date),
                // Marked in the export already, reported earlier or on the package's day.
                (true, _) => None,
            };
            if let Some(date) = earlier {
                reported[row] = Some(date);
                dnr_day[row] = Some(self.zone.day_of(date));
            }
            dnr[row] = true;
            concession[row] = Some(u32::from(flags.0));
        }
        let deliveries = &mut self.deliveries;
        deliveries.with_column(BooleanChunked::from_slice(col::DNR.name().into(), &dnr).into_column())?;
        let reported: Int64Chunked = reported.into_iter().collect();
        deliveries.with_column(
            reported
                .with_name(col::DNR_REPORTED_AT.name().into())
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_column(),
        )?;
        let dnr_day: Int32Chunked = dnr_day.into_iter().collect();
        deliveries.with_column(dnr_day.with_name(col::DNR_DAY.name().into()).into_date().into_column())?;
        let concession: UInt32Chunked = concession.into_iter().collect();
        deliveries.with_column(concession.with_name(col::CONCESSION.name().into()).into_column())?;
        Ok(unmatched)
    }
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
    if let Ok(line) = frame.column(col::LINE.name())
        && line.dtype() == &DataType::UInt64
    {
        let line = line.cast(&DataType::UInt32)?;
        frame.with_column(line)?;
    }
    // Outages had no stations.
    if kind == TableKind::Outages && frame.column(col::STATION.name()).is_err() {
        let none = Column::full_null("station".into(), frame.height(), &DataType::String);
        frame.with_column(none)?;
    }
    if kind != TableKind::Deliveries {
        return Ok(frame);
    }
    // A delivery's driver and block ids and reason were text.
    for name in [col::DRIVER_ID.name(), col::BLOCK_ID.name(), col::REASON.name()] {
        if let Ok(ids) = frame.column(name)
            && ids.dtype() == &DataType::String
        {
            let ids = ids.cast(&repeated_text_dtype())?;
            frame.with_column(ids)?;
        }
    }
    let outcome = |code: &str| Outcome::from_code(code).map(Outcome::number);
    let reason = |code: &str| Reason::from_code(code).map(Reason::number);
    for (name, number) in
        [(col::OUTCOME.name(), &outcome as &dyn Fn(&str) -> Option<u32>), (col::REASON_CODE.name(), &reason)]
    {
        let Ok(column) = frame.column(name) else { continue };
        if column.dtype() != &DataType::String {
            continue;
        }
        let numbers: UInt32Chunked = column.str()?.iter().map(|code| code.and_then(number)).collect();
        frame.with_column(numbers.with_name(name.into()).into_column())?;
    }
    Ok(frame)
}

/// The folder a file is in, for defaults such as the evidence folder.
pub fn folder_of(path: &Path) -> PathBuf {
    path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
