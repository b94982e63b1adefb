//! Standing as if some events had never happened: the rows of those events left out of
//! the data and the standing computed again by the same engine. Behind "if pending
//! disputes succeed" (the drivers of a workspace's open cases) and a letter's impact
//! sentence and chart (one driver, the events it disputes).

use super::{EventRef, EventSide, Fleet, Standing};
use crate::import::columns as col;
use crate::import::time::Day;
use crate::import::{Dataset, texts_of};
use polars_core::prelude::*;
use std::collections::HashSet;

/// The rows whose `column` value passes `keep` (rows without a value are kept).
pub(crate) fn keep_rows(frame: &DataFrame, column: &str, keep: impl Fn(&str) -> bool) -> PolarsResult<DataFrame> {
    let mask: BooleanChunked = texts_of(frame.column(column)?)?.map(|v| v.is_none_or(&keep)).collect();
    frame.filter(&mask)
}

/// The data without the rows of `events` (blocks by `block_id`, packages by
/// `tracking_id`), and, when `drivers` is given, with only those drivers' rows.
pub fn without_events(data: &Dataset, drivers: Option<&HashSet<&str>>, events: &[&EventRef]) -> PolarsResult<Dataset> {
    let ids = |side: EventSide| -> HashSet<&str> {
        events.iter().filter(|e| e.side == side).map(|e| e.id.as_str()).collect()
    };
    let (blocks, packages) = (ids(EventSide::Block), ids(EventSide::Package));
    let of_drivers = |frame: &DataFrame| match drivers {
        Some(drivers) => keep_rows(frame, col::DRIVER_ID.name(), |d| drivers.contains(d)),
        None => Ok(frame.clone()),
    };
    Ok(Dataset {
        blocks: keep_rows(&of_drivers(&data.blocks)?, col::BLOCK_ID.name(), |id| !blocks.contains(id))?,
        deliveries: keep_rows(&of_drivers(&data.deliveries)?, col::TRACKING_ID.name(), |id| !packages.contains(id))?,
        roster: of_drivers(&data.roster)?,
        outages: data.outages.clone(),
        concessions: data.concessions.clone(),
        exceptions: data.exceptions.clone(),
        scorecards: data.scorecards.clone(),
        zone: data.zone,
        packages_of_exceptions: None,
    })
}

impl Fleet {
    /// One driver's rows as a dataset the engine can build from: the counted blocks and
    /// every package (on-time cancels count for nothing, and no roster or outage changes a
    /// tier).
    fn driver_data(&self, driver: usize) -> PolarsResult<Dataset> {
        let d = &self.drivers[driver];
        let blocks = self.blocks.frame.slice(d.blocks.start as i64, d.blocks.len());
        let deliveries = self.packages.frame.rows(d.packages.clone())?;
        let rest = Dataset::empty(self.zone).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
        Ok(Dataset { blocks, deliveries, ..rest })
    }

    /// The driver's fleet of one, without the rows of `events`, computed with the same
    /// thresholds; its standings answer "what if these events had not counted".
    pub fn without(&self, driver: usize, events: &[&EventRef]) -> PolarsResult<Without> {
        let data = without_events(&self.driver_data(driver)?, None, events)?;
        let fleet = Fleet::build(&data, self.thresholds)?;
        let index = fleet.driver_index(&self.drivers[driver].id);
        Ok(Without { fleet, index })
    }
}

/// A driver's standing without some events (see [`Fleet::without`]).
pub struct Without {
    fleet: Fleet,
    /// None when no row of the driver is left.
    index: Option<usize>,
}

impl Without {
    /// The standing on `as_of`; without any row left, a standing with no data.
    pub fn standing(&self, as_of: Day) -> Standing {
        match self.index {
            Some(i) => self.fleet.standing(i, as_of),
            None => Standing::empty(as_of),
        }
    }

    /// The standings of `from..=to` (days before the driver's first standing left out).
    pub fn history(&self, from: Option<Day>, to: Day) -> Vec<Standing> {
        self.index.map(|i| self.fleet.history(i, from, to)).unwrap_or_default()
    }
}
