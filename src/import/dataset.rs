//! The validated data, outage windows, and the column helpers every reader of the frames
//! shares.

use super::codes::{Outcome, Reason};
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
    // Deliveries had no address and pickup; concessions no delivery day and DSB impact.
    let added: &[(&str, DataType)] = match kind {
        TableKind::Deliveries => {
            &[(col::ADDRESS.name(), DataType::String), (col::PICKUP_FAILED.name(), DataType::Boolean)]
        }
        TableKind::Concessions => &[
            (col::DELIVERED_AT.name(), DataType::Datetime(TimeUnit::Milliseconds, None)),
            (col::IMPACTS_DSB.name(), DataType::Boolean),
        ],
        _ => &[],
    };
    for (name, dtype) in added {
        if frame.column(name).is_err() {
            let column = match (*name, dtype) {
                (name, DataType::Boolean) if name == col::PICKUP_FAILED.name() => {
                    BooleanChunked::full((*name).into(), false, frame.height()).into_column()
                }
                _ => Column::full_null((*name).into(), frame.height(), dtype),
            };
            frame.with_column(column)?;
        }
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
