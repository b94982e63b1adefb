//! What the fleet screens show, computed once per load, settings change or as-of change
//! (on a worker thread), so that drawing a frame never computes standing.

use crate::import::time::Day;
use crate::standing::rules::{BlockCounts, PackageCounts, Tier};
use crate::standing::{Event, Fleet, Standing, WhatIf};
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
    /// The next projected change of the overall tier (docs/rules.md §6), within the
    /// forecast's days.
    pub next_change: Option<crate::standing::forecast::TierChange>,
    /// What changed since 7 days before.
    pub since_last_week: WeekChange,
}

/// A driver's change over the last 7 days: the overall tier then, and in words the tier
/// change and the metric that moved most ("Great → Fair · DNR 1 → 2").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekChange {
    pub overall_then: Option<Tier>,
    pub text: String,
}

impl WeekChange {
    pub fn of(now: &Standing, overall_then: Option<Tier>, then: (BlockCounts, PackageCounts)) -> WeekChange {
        WeekChange { overall_then, text: crate::explain::since_last_week(now, overall_then, then) }
    }

    /// Tiers gained (negative: lost) since; `None` when either day has no standing.
    pub fn tier_steps(&self, now: Option<Tier>) -> Option<i32> {
        Some(now? as i32 - self.overall_then? as i32)
    }
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
    let listed: Vec<usize> = fleet.listed().collect();
    let n = listed.len();
    let first_day = listed.iter().filter_map(|&i| fleet.first_standing_day(i)).min().unwrap_or(as_of).min(as_of);
    let days = (as_of - first_day + 1).max(1) as usize;
    let mut trend: Vec<TrendPoint> =
        (0..days).map(|k| TrendPoint { day: first_day + k as Day, counts: [0; 5] }).collect();
    let mut drivers = Vec::with_capacity(n);
    for (position, &i) in listed.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        if position % 64 == 0 {
            progress(position as f32 / n.max(1) as f32);
        }
        for point in trend.iter_mut() {
            point.counts[tier_slot(fleet.overall_on(i, point.day))] += 1;
        }
        let sparkline =
            (0..SPARKLINE_DAYS).map(|k| fleet.overall_on(i, as_of - (SPARKLINE_DAYS - 1 - k) as Day)).collect();
        // A deactivated driver works no blocks: no change comes from the pace they kept.
        let next_change = (!fleet.drivers[i].deactivated)
            .then(|| fleet.next_overall_change(i, as_of, crate::standing::forecast::DEFAULT_DAYS))
            .flatten();
        let standing = fleet.standing(i, as_of);
        let week_ago = as_of - 7;
        let since_last_week = WeekChange::of(&standing, fleet.overall_on(i, week_ago), fleet.counts_on(i, week_ago));
        drivers.push(DriverSummary { driver: i, standing, sparkline, next_change, since_last_week });
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
    /// What-if on the last day of the history.
    pub what_if: WhatIf,
    /// The next days if the driver keeps their pace with clean work (docs/rules.md §6).
    pub forecast: Option<crate::standing::forecast::Forecast>,
    /// The forecast's days as standings, for the charts.
    pub projected: Vec<Standing>,
}

pub fn driver_detail(fleet: &Fleet, driver: usize, as_of: Day) -> polars_core::prelude::PolarsResult<DriverDetail> {
    let history = fleet.history(driver, None, as_of);
    let what_if = history.last().map(|s| fleet.what_if(driver, s)).unwrap_or_default();
    let forecast = match history.last() {
        Some(_) => Some(fleet.forecast(driver, as_of, crate::standing::forecast::DEFAULT_DAYS)?),
        None => None,
    };
    let projected = forecast
        .iter()
        .flat_map(|f| &f.days)
        .map(|p| Standing {
            reliability: p.reliability,
            quality: p.quality,
            reliability_tier: p.reliability_tier,
            quality_tier: p.quality_tier,
            overall: p.overall,
            ..Standing::empty(p.day)
        })
        .collect();
    Ok(DriverDetail { driver, history, events: fleet.events(driver, as_of)?, what_if, forecast, projected })
}

/// What the fleet table shows: tier slots (see [`tier_slot`]; empty: all), a station, an
/// alert and a search text over id and name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RowFilter {
    pub tiers: std::collections::BTreeSet<usize>,
    pub station: Option<String>,
    pub alert: Option<crate::standing::alerts::Alert>,
    pub search: String,
}

/// The columns the fleet table sorts by, in the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Driver,
    Name,
    Station,
    Overall,
    Reliability,
    ReliabilityRate,
    Blocks,
    Quality,
    Attempted,
    Success,
    OnTime,
    Dnr,
    Packages,
    ReliabilityHeadroom,
    QualityHeadroom,
    BlocksToNextTier,
    PackagesToNextTier,
    DnrHeadroom,
    /// The day of the next projected change of the overall tier.
    ChangesOn,
    Alerts,
    /// Tiers lost first, then gained.
    SinceLastWeek,
}

/// Sort keys: numbers where the column is numeric, text otherwise; missing values last.
#[derive(PartialEq, PartialOrd)]
enum SortKey<'a> {
    Number(f64),
    Text(&'a str),
    Missing,
}

fn sort_key<'a>(fleet: &'a Fleet, row: &'a DriverSummary, column: SortColumn) -> SortKey<'a> {
    let s = &row.standing;
    let d = &fleet.drivers[row.driver];
    let q = s.quality.rates();
    let tier = |t: Option<Tier>| t.map_or(SortKey::Missing, |t| SortKey::Number(t as usize as f64));
    let number = |n: Option<f64>| n.map_or(SortKey::Missing, SortKey::Number);
    let count = |n: Option<u32>| number(n.map(f64::from));
    let text = |t: Option<&'a str>| t.map_or(SortKey::Missing, SortKey::Text);
    match column {
        SortColumn::Driver => SortKey::Text(&d.id),
        SortColumn::Name => text(d.name.as_deref()),
        SortColumn::Station => text(d.station.as_deref()),
        SortColumn::Overall => tier(s.overall),
        SortColumn::Reliability => tier(s.reliability_tier),
        SortColumn::ReliabilityRate => number(s.reliability.rate()),
        SortColumn::Blocks => SortKey::Number(f64::from(s.reliability.blocks)),
        SortColumn::Quality => tier(s.quality_tier),
        SortColumn::Attempted => number(q.map(|r| r.attempted)),
        SortColumn::Success => number(q.map(|r| r.success)),
        SortColumn::OnTime => number(q.map(|r| r.on_time)),
        SortColumn::Dnr => count((s.quality.packages > 0).then_some(s.quality.dnr)),
        SortColumn::Packages => SortKey::Number(f64::from(s.quality.packages)),
        SortColumn::ReliabilityHeadroom => count(s.reliability_headroom),
        SortColumn::QualityHeadroom => count(s.quality_headroom),
        SortColumn::DnrHeadroom => count(s.dnr_headroom),
        SortColumn::BlocksToNextTier => count(s.blocks_to_next_tier),
        SortColumn::PackagesToNextTier => count(s.packages_to_next_tier),
        SortColumn::ChangesOn => row.next_change.map_or(SortKey::Missing, |c| SortKey::Number(f64::from(c.day))),
        // Most severe alert first, then fewer alerts.
        SortColumn::Alerts => s.alerts.iter().next().map_or(SortKey::Missing, |a| SortKey::Number(a as usize as f64)),
        SortColumn::SinceLastWeek => {
            row.since_last_week.tier_steps(s.overall).map_or(SortKey::Missing, |n| SortKey::Number(f64::from(n)))
        }
    }
}

/// Positions in `overview.drivers` that pass the filter, sorted (stable) by the column.
pub fn row_order(
    fleet: &Fleet,
    overview: &Overview,
    filter: &RowFilter,
    sort: Option<(SortColumn, bool)>,
) -> Vec<usize> {
    let needle = filter.search.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..overview.drivers.len())
        .filter(|&i| {
            let row = &overview.drivers[i];
            let d = &fleet.drivers[row.driver];
            (filter.tiers.is_empty() || filter.tiers.contains(&tier_slot(row.standing.overall)))
                && filter.station.as_ref().is_none_or(|s| d.station.as_ref() == Some(s))
                && filter.alert.is_none_or(|a| row.standing.alerts.has(a))
                && (needle.is_empty()
                    || d.id.to_lowercase().contains(&needle)
                    || d.name.as_deref().is_some_and(|n| n.to_lowercase().contains(&needle)))
        })
        .collect();
    if let Some((column, ascending)) = sort {
        rows.sort_by(|&a, &b| {
            let (ka, kb) =
                (sort_key(fleet, &overview.drivers[a], column), sort_key(fleet, &overview.drivers[b], column));
            // Missing values stay last in both directions.
            match (&ka, &kb) {
                (SortKey::Missing, SortKey::Missing) => std::cmp::Ordering::Equal,
                (SortKey::Missing, _) => std::cmp::Ordering::Greater,
                (_, SortKey::Missing) => std::cmp::Ordering::Less,
                _ => {
                    let order = ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal);
                    if ascending { order } else { order.reverse() }
                }
            }
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Thresholds;
    use crate::import::text::decode_csv;
    use crate::import::{ImportOptions, load_texts};
    use crate::standing::alerts::Alert;

    fn sample() -> (Fleet, Overview) {
        let blocks = "driver_id,driver_name,block_id,block_start,checked_in_at,station\n\
                      D1,Ana,B1,2026-03-02 07:00,2026-03-02 06:55,DXT4\n\
                      D2,Bob,B2,2026-03-02 07:00,,DXT6\n\
                      D3,Cy,B3,2026-03-02 07:00,2026-03-02 07:30,DXT4\n";
        let deliveries =
            "tracking_id,driver_id,deliver_by,attempted_at,outcome\nT1,D1,2026-03-02,2026-03-02 09:00,delivered\n";
        let text = |n: &str, b: &str| decode_csv(n.into(), b.as_bytes().to_vec()).unwrap();
        let (data, _) =
            load_texts(text("b", blocks), text("d", deliveries), None, None, &ImportOptions::default()).unwrap();
        let fleet = Fleet::build(&data, Thresholds::default()).unwrap();
        let as_of = fleet.default_as_of().unwrap();
        let overview = build_overview(&fleet, as_of, &AtomicBool::new(false), &|_| {}).unwrap();
        (fleet, overview)
    }

    #[test]
    fn overview_counts_every_driver_every_day() {
        let (fleet, overview) = sample();
        assert_eq!(overview.drivers.len(), 3);
        assert_eq!(overview.trend.last().unwrap().counts.iter().sum::<u32>(), 3);
        assert_eq!(overview.stations, ["DXT4", "DXT6"]);
        assert_eq!(overview.drivers[0].sparkline.len(), SPARKLINE_DAYS);
        assert_eq!(overview.drivers[0].sparkline.last(), Some(&fleet.overall_on(0, overview.as_of)));
        assert!(build_overview(&fleet, overview.as_of, &AtomicBool::new(true), &|_| {}).is_none());
    }

    #[test]
    fn filters_and_sorts_rows() {
        let (fleet, overview) = sample();
        let all = RowFilter::default();
        let ids = |rows: Vec<usize>| {
            rows.iter().map(|&i| fleet.drivers[overview.drivers[i].driver].id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(row_order(&fleet, &overview, &all, None)), ["D1", "D2", "D3"]);
        assert_eq!(ids(row_order(&fleet, &overview, &all, Some((SortColumn::Name, false)))), ["D3", "D2", "D1"]);
        // D1 is Fantastic (on time), D2 and D3 missed their only block: At Risk.
        assert_eq!(ids(row_order(&fleet, &overview, &all, Some((SortColumn::Overall, true)))), ["D2", "D3", "D1"]);
        let at_risk = RowFilter { tiers: [tier_slot(Some(Tier::AtRisk))].into(), ..RowFilter::default() };
        assert_eq!(ids(row_order(&fleet, &overview, &at_risk, None)), ["D2", "D3"]);
        let station = RowFilter { station: Some("DXT4".into()), ..RowFilter::default() };
        assert_eq!(ids(row_order(&fleet, &overview, &station, None)), ["D1", "D3"]);
        let search = RowFilter { search: " bO ".into(), ..RowFilter::default() };
        assert_eq!(ids(row_order(&fleet, &overview, &search, None)), ["D2"]);
        let alert = RowFilter { alert: Some(Alert::AtRisk), ..RowFilter::default() };
        assert_eq!(ids(row_order(&fleet, &overview, &alert, None)), ["D2", "D3"]);
        // Missing values last in both directions: D1 has quality data, D2 and D3 none.
        assert_eq!(ids(row_order(&fleet, &overview, &all, Some((SortColumn::Attempted, false))))[0], "D1");
        assert_eq!(ids(row_order(&fleet, &overview, &all, Some((SortColumn::Attempted, true))))[0], "D1");
    }
}
