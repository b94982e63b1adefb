//! What the fleet screens show, computed once per load, settings change or as-of change
//! (on a worker thread), so that drawing a frame never computes standing.

use crate::import::time::Day;
use crate::standing::rules::Tier;
use crate::standing::{Event, Fleet, Standing};
use std::sync::atomic::{AtomicBool, Ordering};

/// Days of trend shown in each driver's sparkline.
pub const SPARKLINE_DAYS: usize = 28;

/// One driver's line in the fleet table.
#[derive(Debug, Clone)]
pub struct DriverSummary {
    pub driver: usize,
    pub standing: Standing,
    /// The overall tier on each of the last `SPARKLINE_DAYS` days, oldest first.
    pub sparkline: Vec<Option<Tier>>,
}

/// Drivers per tier on one day; index 0..4 = At Risk, Fair, Great, Fantastic; 4 = No standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendPoint {
    pub day: Day,
    pub counts: [u32; 5],
}

/// Everything the fleet and alerts views need for one as-of day.
#[derive(Debug, Clone)]
pub struct Overview {
    pub as_of: Day,
    pub drivers: Vec<DriverSummary>,
    pub trend: Vec<TrendPoint>,
    pub stations: Vec<String>,
}

pub fn tier_slot(tier: Option<Tier>) -> usize {
    tier.map_or(4, |t| t as usize)
}

/// Computes the overview; `None` when cancelled. `progress` receives fractions in 0..=1.
pub fn build_overview(fleet: &Fleet, as_of: Day, cancel: &AtomicBool, progress: &dyn Fn(f32)) -> Option<Overview> {
    let n = fleet.drivers.len();
    let first_day = (0..n).filter_map(|i| fleet.first_standing_day(i)).min().unwrap_or(as_of).min(as_of);
    let days = (as_of - first_day + 1).max(1) as usize;
    let mut trend: Vec<TrendPoint> =
        (0..days).map(|k| TrendPoint { day: first_day + k as Day, counts: [0; 5] }).collect();
    let mut drivers = Vec::with_capacity(n);
    for i in 0..n {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        if i % 64 == 0 {
            progress(i as f32 / n.max(1) as f32);
        }
        for point in trend.iter_mut() {
            point.counts[tier_slot(fleet.overall_on(i, point.day))] += 1;
        }
        let sparkline =
            (0..SPARKLINE_DAYS).map(|k| fleet.overall_on(i, as_of - (SPARKLINE_DAYS - 1 - k) as Day)).collect();
        drivers.push(DriverSummary { driver: i, standing: fleet.standing(i, as_of), sparkline });
    }
    let mut stations: Vec<String> = fleet.drivers.iter().filter_map(|d| d.station.clone()).collect();
    stations.sort_unstable();
    stations.dedup();
    progress(1.0);
    Some(Overview { as_of, drivers, trend, stations })
}

/// One driver's screen: the daily history and the events in the current windows.
#[derive(Debug, Clone)]
pub struct DriverDetail {
    pub driver: usize,
    pub history: Vec<Standing>,
    pub events: Vec<Event>,
}

pub fn driver_detail(fleet: &Fleet, driver: usize, as_of: Day) -> Result<DriverDetail, String> {
    Ok(DriverDetail {
        driver,
        history: fleet.history(driver, None, as_of),
        events: fleet.events(driver, as_of).map_err(|e| e.to_string())?,
    })
}
