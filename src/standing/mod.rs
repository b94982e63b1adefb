//! docs/rules.md §2: standing on any day, what-if, daily history and alerts, computed over
//! contiguous per-driver arrays with prefix sums (no per-row DataFrame access, no
//! day × event loops: each day of each driver costs O(log n)).

pub mod alerts;
mod build;
pub mod calibrate;
pub mod clusters;
mod events;
pub mod forecast;
pub mod grounds;
mod order;
pub mod rules;
mod tally;
pub mod without;

pub use build::outages_of;
pub use events::{ClusterSummary, Event, EventKind, PackageDetail};

use crate::config::Thresholds;
use crate::import::time::{Day, FleetZone};
use alerts::{Alert, Alerts};
use grounds::{Defects, Grounds, Outage};
use order::Ordered;
use polars_core::prelude::*;
use rules::{BlockCounts, Miss, PackageCounts, Tier, overall_tier};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use tally::Tally;

/// A driver as the directory knows them: from blocks, deliveries and the roster.
#[derive(Debug, Clone, Default)]
pub struct Driver {
    pub id: String,
    /// The roster's name, else the last non-empty name in blocks.
    pub name: Option<String>,
    /// The last non-empty station in blocks.
    pub station: Option<String>,
    pub email: Option<String>,
    pub deactivated: bool,
    pub deactivated_on: Option<Day>,
    blocks: Range<usize>,
    packages: Range<usize>,
    /// Days of this driver's DNR claims (reported, else the package's day), sorted.
    dnr_days: Vec<Day>,
    /// The driver's sent cases: (day sent, day of the outcome if there is one).
    sent_cases: Vec<(Day, Option<Day>)>,
}

/// Which table an event comes from: block misses are named by `block_id`, package
/// defects by `tracking_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventSide {
    Block,
    Package,
}

impl EventSide {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSide::Block => "block",
            EventSide::Package => "package",
        }
    }

    pub fn parse(text: &str) -> Option<EventSide> {
        match text {
            "block" => Some(EventSide::Block),
            "package" => Some(EventSide::Package),
            _ => None,
        }
    }
}

/// An event named across imports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventRef {
    pub side: EventSide,
    pub id: String,
}

/// What recorded cases tell the standing (docs/rules.md §5): an event already in a case is not
/// DISPUTABLE, and a case sent more than 3 days before the day without an outcome raises
/// FOLLOW_UP. Overturned events are not here: they are left out of the data itself.
#[derive(Debug, Clone, Default)]
pub struct CaseMarks {
    pub blocks_in_case: HashSet<String>,
    pub packages_in_case: HashSet<String>,
    /// Per driver id: (day sent, day of the outcome if any) of each sent case.
    pub sent: HashMap<String, Vec<(Day, Option<Day>)>>,
}

impl CaseMarks {
    pub fn contains(&self, side: EventSide, id: &str) -> bool {
        match side {
            EventSide::Block => self.blocks_in_case.contains(id),
            EventSide::Package => self.packages_in_case.contains(id),
        }
    }
}

/// Days a sent case may wait for an answer before FOLLOW_UP (docs/rules.md §5).
pub const FOLLOW_UP_AFTER_DAYS: Day = 3;

/// FOLLOW_UP on `day`: a case sent more than 3 days before with no outcome by then.
pub fn needs_follow_up(sent_cases: &[(Day, Option<Day>)], day: Day) -> bool {
    sent_cases.iter().any(|&(sent, outcome)| day - sent > FOLLOW_UP_AFTER_DAYS && outcome.is_none_or(|o| o > day))
}

/// A driver's standing on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub as_of: Day,
    pub reliability: BlockCounts,
    pub quality: PackageCounts,
    pub reliability_tier: Option<Tier>,
    pub quality_tier: Option<Tier>,
    pub overall: Option<Tier>,
    pub reliability_headroom: Option<u32>,
    pub quality_headroom: Option<u32>,
    pub blocks_to_next_tier: Option<u32>,
    pub packages_to_next_tier: Option<u32>,
    pub alerts: Alerts,
    /// k more packages delivered on time with a DNR claim lower the quality tier.
    pub dnr_headroom: Option<u32>,
}

impl Standing {
    /// The standing of a driver with no data on `as_of`: No standing, nothing counted.
    pub fn empty(as_of: Day) -> Standing {
        Standing {
            as_of,
            reliability: BlockCounts::default(),
            quality: PackageCounts::default(),
            reliability_tier: None,
            quality_tier: None,
            overall: None,
            reliability_headroom: None,
            quality_headroom: None,
            blocks_to_next_tier: None,
            packages_to_next_tier: None,
            alerts: Alerts::default(),
            dnr_headroom: None,
        }
    }
}

/// Counted blocks (on-time cancels left out), ordered by driver, `block_start`, `block_id`.
#[derive(Debug, Clone, Default)]
struct BlockTable {
    frame: DataFrame,
    day: Vec<Day>,
    miss: Vec<Option<Miss>>,
    grounds: Vec<Grounds>,
    on_time: Tally,
    disputable: Tally,
}

/// Packages ordered by driver, `deliver_by`, `tracking_id`.
#[derive(Debug, Clone, Default)]
struct PackageTable {
    frame: Ordered,
    day: Vec<Day>,
    defects: Vec<Defects>,
    grounds: Vec<Grounds>,
    attempted: Tally,
    delivered: Tally,
    on_time: Tally,
    dnr: Tally,
    unreturned: Tally,
    disputable: Tally,
    /// The buildings where claims and access problems of several drivers gather.
    clusters: Vec<clusters::AddressCluster>,
    /// Addresses of the exceptions reports by tracking id, for packages without their own.
    report_addresses: PlHashMap<String, String>,
}

/// Packages appended in a what-if (docs/rules.md §3): all alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Appended {
    /// Delivered on time, no claim.
    Perfect,
    NotAttempted,
    /// Delivered on time, with a DNR claim.
    Claimed,
}

/// Everything needed to answer "what is this driver's standing on day D", built once
/// from a dataset; cheap to query for any day.
#[derive(Debug, Clone, Default)]
pub struct Fleet {
    pub thresholds: Thresholds,
    pub zone: FleetZone,
    pub drivers: Vec<Driver>,
    pub outages: Vec<Outage>,
    /// The newest event day over all blocks and packages.
    pub newest_day: Option<Day>,
    pub cases: CaseMarks,
    blocks: BlockTable,
    packages: PackageTable,
}

impl Fleet {
    /// Every package's grounds, in the engine's order.
    #[cfg(test)]
    pub(crate) fn package_grounds(&self) -> &[Grounds] {
        &self.packages.grounds
    }

    /// docs/rules.md §8.1: the buildings where claims and access problems of several drivers
    /// gather, most events first.
    pub fn clusters(&self) -> &[clusters::AddressCluster] {
        &self.packages.clusters
    }

    /// The cluster a package's event is in, if any.
    pub fn cluster_of(&self, tracking_id: &str) -> Option<&clusters::AddressCluster> {
        self.packages.clusters.iter().find(|c| c.events.iter().any(|e| e.tracking_id == tracking_id))
    }

    /// docs/rules.md §10: the newest event day plus the lag, so that the newest data counts.
    pub fn default_as_of(&self) -> Option<Day> {
        self.newest_day.map(|d| d + self.thresholds.windows.lag_days as Day)
    }

    pub fn driver_index(&self, id: &str) -> Option<usize> {
        self.drivers.binary_search_by(|d| d.id.as_str().cmp(id)).ok()
    }

    /// End of the window for day `as_of`: rows of the driver with day ≤ as_of − lag.
    fn window_ends(&self, d: &Driver, as_of: Day) -> (usize, usize) {
        let cut = as_of - self.thresholds.windows.lag_days as Day;
        let b = d.blocks.start + self.blocks.day[d.blocks.clone()].partition_point(|&x| x <= cut);
        let p = d.packages.start + self.packages.day[d.packages.clone()].partition_point(|&x| x <= cut);
        (b, p)
    }

    fn block_window(&self, d: &Driver, end: usize) -> Range<usize> {
        end.saturating_sub(self.thresholds.windows.blocks as usize).max(d.blocks.start)..end
    }

    fn package_window(&self, d: &Driver, end: usize) -> Range<usize> {
        end.saturating_sub(self.thresholds.windows.packages as usize).max(d.packages.start)..end
    }

    /// Counts of the reliability window ending at `end`, after `added` blocks that are all
    /// on time or all missed are appended as the newest (the oldest leaving a full window).
    fn block_counts(&self, d: &Driver, end: usize, added: u32, on_time: bool) -> BlockCounts {
        let size = self.thresholds.windows.blocks;
        let added = added.min(size);
        let keep = ((end - d.blocks.start) as u32).min(size - added) as usize;
        let on_time_kept = self.blocks.on_time.span(&(end - keep..end));
        BlockCounts { blocks: keep as u32 + added, on_time: on_time_kept + if on_time { added } else { 0 } }
    }

    /// The same for the quality window, with `added` packages all alike appended.
    fn package_counts(&self, d: &Driver, end: usize, added: u32, appended: Appended) -> PackageCounts {
        let size = self.thresholds.windows.packages;
        let added = added.min(size);
        let keep = ((end - d.packages.start) as u32).min(size - added) as usize;
        let t = &self.packages;
        let sum = |tally: &Tally| tally.span(&(end - keep..end));
        let delivered = if appended == Appended::NotAttempted { 0 } else { added };
        let claims = if appended == Appended::Claimed { added } else { 0 };
        PackageCounts {
            packages: keep as u32 + added,
            attempted: sum(&t.attempted) + delivered,
            delivered: sum(&t.delivered) + delivered,
            on_time: sum(&t.on_time) + delivered,
            dnr: sum(&t.dnr) + claims,
        }
    }

    /// The overall tier alone on one day: the cheap part of [`Fleet::standing`].
    pub fn overall_on(&self, driver: usize, as_of: Day) -> Option<Tier> {
        let d = &self.drivers[driver];
        let (b, p) = self.window_ends(d, as_of);
        let t = &self.thresholds;
        overall_tier(self.block_counts(d, b, 0, true).tier(t), self.package_counts(d, p, 0, Appended::Perfect).tier(t))
    }

    /// A driver's standing, what-if and alerts on day `as_of` (docs/rules.md §2–§5).
    pub fn standing(&self, driver: usize, as_of: Day) -> Standing {
        let d = &self.drivers[driver];
        let t = &self.thresholds;
        let w = &t.windows;
        let (b, p) = self.window_ends(d, as_of);
        let reliability = self.block_counts(d, b, 0, true);
        let quality = self.package_counts(d, p, 0, Appended::Perfect);
        let reliability_tier = reliability.tier(t);
        let quality_tier = quality.tier(t);
        let overall = overall_tier(reliability_tier, quality_tier);

        // docs/rules.md §3: each predicate below is monotone in k (see `first_k`).
        let reliability_headroom = reliability_tier
            .filter(|&r| r != Tier::AtRisk)
            .and_then(|r| first_k(w.blocks, |k| self.block_counts(d, b, k, false).tier(t).is_some_and(|x| x < r)));
        let blocks_to_next_tier = reliability_tier
            .filter(|&r| r != Tier::Fantastic)
            .and_then(|r| first_k(w.blocks, |k| self.block_counts(d, b, k, true).tier(t).is_some_and(|x| x > r)));
        let quality_drop = |appended| {
            quality_tier.filter(|&q| q != Tier::AtRisk).and_then(|q| {
                first_k(w.packages, |k| self.package_counts(d, p, k, appended).tier(t).is_some_and(|x| x < q))
            })
        };
        let quality_headroom = quality_drop(Appended::NotAttempted);
        // Claims on otherwise perfect packages: the rates can only rise, the claims only
        // grow (one old package leaves per claim added), so the predicate is monotone too.
        let dnr_headroom = quality_drop(Appended::Claimed);
        let packages_to_next_tier = quality_tier.filter(|&q| q != Tier::Fantastic).and_then(|q| {
            first_k(w.packages, |k| self.package_counts(d, p, k, Appended::Perfect).tier(t).is_some_and(|x| x > q))
        });

        let bw = self.block_window(d, b);
        let pw = self.package_window(d, p);
        let span = |tally: &Tally, r: &Range<usize>| tally.span(r);
        let mut alerts = Alerts::default();
        alerts.set(Alert::AtRisk, overall == Some(Tier::AtRisk));
        let week_ago = self.overall_on(driver, as_of - 7);
        alerts.set(Alert::TierDrop, matches!((overall, week_ago), (Some(now), Some(then)) if now < then));
        alerts.set(
            Alert::NearDrop,
            reliability_headroom == Some(1) || quality_headroom == Some(1) || dnr_headroom == Some(1),
        );
        alerts.set(Alert::Unreturned, span(&self.packages.unreturned, &pw) > 0);
        let first_recent = d.dnr_days.partition_point(|&x| x < as_of - 6);
        alerts.set(Alert::NewDnr, d.dnr_days.get(first_recent).is_some_and(|&x| x <= as_of));
        alerts.set(Alert::Disputable, span(&self.blocks.disputable, &bw) + span(&self.packages.disputable, &pw) > 0);
        alerts.set(Alert::FollowUp, needs_follow_up(&d.sent_cases, as_of));
        alerts.set(
            Alert::AppealDue,
            d.deactivated && d.deactivated_on.is_some_and(|off| off <= as_of && as_of <= off + 10),
        );

        Standing {
            as_of,
            reliability,
            quality,
            reliability_tier,
            quality_tier,
            overall,
            reliability_headroom,
            quality_headroom,
            blocks_to_next_tier,
            packages_to_next_tier,
            alerts,
            dnr_headroom,
        }
    }

    /// docs/rules.md §3 in words: for each what-if number, the tier it leads to.
    pub fn what_if(&self, driver: usize, s: &Standing) -> WhatIf {
        let d = &self.drivers[driver];
        let t = &self.thresholds;
        let (b, p) = self.window_ends(d, s.as_of);
        let blocks = |k: Option<u32>, on_time| k.and_then(|k| Some((k, self.block_counts(d, b, k, on_time).tier(t)?)));
        let packages =
            |k: Option<u32>, appended| k.and_then(|k| Some((k, self.package_counts(d, p, k, appended).tier(t)?)));
        WhatIf {
            reliability_drop: blocks(s.reliability_headroom, false),
            reliability_rise: blocks(s.blocks_to_next_tier, true),
            quality_drop: packages(s.quality_headroom, Appended::NotAttempted),
            quality_rise: packages(s.packages_to_next_tier, Appended::Perfect),
            dnr_drop: packages(s.dnr_headroom, Appended::Claimed),
        }
    }

    /// The driver's whole record in the data (not only the windows), for appeals.
    pub fn record(&self, driver: usize) -> Record {
        let d = &self.drivers[driver];
        let span = |tally: &Tally, r: &Range<usize>| tally.span(r);
        let late_arrivals =
            self.blocks.miss[d.blocks.clone()].iter().filter(|m| **m == Some(Miss::LateArrival)).count();
        let on_time_blocks = span(&self.blocks.on_time, &d.blocks);
        Record {
            blocks: d.blocks.len() as u32,
            on_time_blocks,
            worked_blocks: on_time_blocks + late_arrivals as u32,
            first_block_day: self.blocks.day.get(d.blocks.start).copied().filter(|_| !d.blocks.is_empty()),
            packages: d.packages.len() as u32,
            delivered: span(&self.packages.delivered, &d.packages),
            dnr: span(&self.packages.dnr, &d.packages),
        }
    }

    /// The first day the driver has a standing: the first counted block or package day
    /// plus the lag. `None` for a driver with neither.
    pub fn first_standing_day(&self, driver: usize) -> Option<Day> {
        let d = &self.drivers[driver];
        let first_block = self.blocks.day.get(d.blocks.clone()).and_then(|s| s.first().copied());
        let first_package = self.packages.day.get(d.packages.clone()).and_then(|s| s.first().copied());
        let first = match (first_block, first_package) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        first.map(|f| f + self.thresholds.windows.lag_days as Day)
    }

    /// docs/rules.md §4: the driver's standing on every day from the first day with a standing
    /// (or `from`, if later) to `to`.
    pub fn history(&self, driver: usize, from: Option<Day>, to: Day) -> Vec<Standing> {
        let Some(first) = self.first_standing_day(driver) else { return Vec::new() };
        let start = from.map_or(first, |f| f.max(first));
        (start..=to).map(|day| self.standing(driver, day)).collect()
    }
}

/// Counts over all of a driver's counted blocks and packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Record {
    /// Counted blocks.
    pub blocks: u32,
    pub on_time_blocks: u32,
    /// Blocks the driver checked in for, on time or late.
    pub worked_blocks: u32,
    /// The day of the first counted block.
    pub first_block_day: Option<Day>,
    pub packages: u32,
    pub delivered: u32,
    pub dnr: u32,
}

/// What-if numbers with the tier each leads to: (k, tier after k more events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WhatIf {
    /// k more missed blocks lower the reliability tier to this.
    pub reliability_drop: Option<(u32, Tier)>,
    /// k more on-time blocks raise it to this.
    pub reliability_rise: Option<(u32, Tier)>,
    /// k more packages not attempted lower the quality tier to this.
    pub quality_drop: Option<(u32, Tier)>,
    /// k more clean packages raise it to this.
    pub quality_rise: Option<(u32, Tier)>,
    /// k more DNR claims (on packages delivered on time) lower the quality tier to this.
    pub dnr_drop: Option<(u32, Tier)>,
}

/// The smallest k in 1..=max with `pred(k)`, for a predicate that is false then true as k
/// grows (appending only misses never raises a rate, only successes never lowers one, and
/// the DNR count only falls as old packages leave: so "tier lower" and "tier higher" can
/// only switch on once). Beyond `max` the window holds only appended items: nothing changes.
pub fn first_k(max: u32, pred: impl Fn(u32) -> bool) -> Option<u32> {
    if max == 0 || !pred(max) {
        return None;
    }
    let (mut lo, mut hi) = (1, max);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::decode_csv;
    use crate::import::time::day_from_date;
    use crate::import::{ImportOptions, load_texts};

    fn fleet_with(blocks: &str, deliveries: &str, roster: Option<&str>, outages: Option<&str>, t: Thresholds) -> Fleet {
        let text = |name: &str, body: &str| decode_csv(name.to_string(), body.as_bytes().to_vec()).unwrap();
        let (data, report) = load_texts(
            text("blocks.csv", blocks),
            text("deliveries.csv", deliveries),
            roster.map(|r| text("roster.csv", r)),
            outages.map(|o| text("outages.csv", o)),
            &ImportOptions::default(),
        )
        .unwrap();
        assert!(report.rejections.is_empty(), "{:?}", report.rejections);
        Fleet::build(&data, t).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn an_export_listed_by_day_gives_what_one_listed_by_driver_gives() {
        // Over 65,536 packages, so that the reordered table is read in several slices.
        let blocks = "driver_id,block_id,block_start,checked_in_at\nD1,B1,2026-01-05 07:00,2026-01-05 06:50\n";
        let mut by_driver = Vec::new();
        for driver in 0..3 {
            for i in 0..24_000 {
                let outcome = match (i * 7 + driver) % 50 {
                    0 => "attempted",
                    1 => "not_attempted",
                    _ => "delivered",
                };
                let day = i / 300;
                let at =
                    format!("2026-{:02}-{:02} {:02}:{:02}:00", day / 28 + 1, day % 28 + 1, 8 + i % 300 / 60, i % 60);
                let dnr = if i % 997 == 3 { "Y" } else { "" };
                by_driver.push(format!("T{driver}-{i:05},D{driver},B1,{at},{at},{outcome},,{dnr}"));
            }
        }
        let header = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,dnr\n";
        let mut by_day = by_driver.clone();
        by_day.sort_by(|a, b| a.split(',').nth(3).cmp(&b.split(',').nth(3)));
        let fleet = |rows: &[String]| {
            fleet_with(blocks, &format!("{header}{}\n", rows.join("\n")), None, None, Thresholds::default())
        };
        let (driver_ordered, day_ordered) = (fleet(&by_driver), fleet(&by_day));
        assert!(day_ordered.packages.frame.order.is_some() && driver_ordered.packages.frame.order.is_none());
        let last = driver_ordered.default_as_of().unwrap();
        for d in 0..driver_ordered.drivers.len() {
            assert_eq!(day_ordered.history(d, None, last), driver_ordered.history(d, None, last));
            let ids = |f: &Fleet| f.events(d, last).unwrap().into_iter().map(|e| e.id).collect::<Vec<_>>();
            assert_eq!(ids(&day_ordered), ids(&driver_ordered));
        }
    }

    const NO_PACKAGES: &str = "tracking_id,driver_id,deliver_by,outcome\nT0,DX,2026-03-01,delivered\n";

    #[test]
    fn events_count_two_days_later() {
        let blocks = "driver_id,block_id,block_start,checked_in_at\n\
                      D1,B1,2026-03-02 07:00,2026-03-02 06:50\n\
                      D1,B2,2026-03-05 07:00,\n";
        let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        assert_eq!(f.first_standing_day(d), Some(day(2026, 3, 4)));
        assert_eq!(f.standing(d, day(2026, 3, 3)).overall, None);
        let s = f.standing(d, day(2026, 3, 6));
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (1, 1));
        let s = f.standing(d, day(2026, 3, 7));
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (2, 1));
        assert_eq!(f.default_as_of(), Some(day(2026, 3, 7)));
        let history = f.history(d, None, day(2026, 3, 7));
        assert_eq!(history.first().map(|s| s.as_of), Some(day(2026, 3, 4)));
        assert_eq!(history.len(), 4);
        assert_eq!(f.history(d, Some(day(2026, 3, 6)), day(2026, 3, 7)).len(), 2);
    }

    #[test]
    fn window_keeps_the_newest_by_start_then_block_id() {
        let blocks = "driver_id,block_id,block_start,checked_in_at\n\
                      D1,B2,2026-03-02 07:00,2026-03-02 07:00\n\
                      D1,B1,2026-03-02 07:00,\n\
                      D1,B0,2026-03-01 07:00,\n";
        let mut t = Thresholds::default();
        t.windows.blocks = 1;
        let f = fleet_with(blocks, NO_PACKAGES, None, None, t);
        let s = f.standing(f.driver_index("D1").unwrap(), day(2026, 3, 10));
        // B2 sorts after B1 at the same start: the window holds B2, which was on time.
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (1, 1));
    }

    #[test]
    fn on_time_cancels_do_not_count_and_late_ones_miss() {
        let blocks = "driver_id,block_id,block_start,checked_in_at,cancelled_at\n\
                      D1,B1,2026-03-02 07:00,,2026-03-02 06:15\n\
                      D1,B2,2026-03-03 07:00,,2026-03-03 06:15:01\n\
                      D1,B3,2026-03-04 07:00,2026-03-04 07:05,\n";
        let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 10));
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (2, 1));
        let events = f.events(d, day(2026, 3, 10)).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].id, "B2");
        assert!(matches!(events[0].what, EventKind::Block { miss: Miss::LateCancel, .. }));
    }

    #[test]
    fn new_dnr_covers_the_week_up_to_the_day() {
        let deliveries = "tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr,dnr_reported_at\n\
                          T1,D1,2026-03-02 12:00,2026-03-02 10:00,delivered,Y,2026-03-10\n\
                          T2,D2,2026-03-02 12:00,2026-03-02 10:00,delivered,yes,\n";
        let blocks = "driver_id,block_id,block_start\nDX,B1,2026-03-01 07:00\n";
        let f = fleet_with(blocks, deliveries, None, None, Thresholds::default());
        let new_dnr = |id: &str, d: Day| f.standing(f.driver_index(id).unwrap(), d).alerts.has(Alert::NewDnr);
        assert!(!new_dnr("D1", day(2026, 3, 9)));
        assert!(new_dnr("D1", day(2026, 3, 10)));
        assert!(new_dnr("D1", day(2026, 3, 16)));
        assert!(!new_dnr("D1", day(2026, 3, 17)));
        // Without a report date, the package's day.
        assert!(new_dnr("D2", day(2026, 3, 2)));
        assert!(new_dnr("D2", day(2026, 3, 8)));
        assert!(!new_dnr("D2", day(2026, 3, 9)));
    }

    #[test]
    fn appeal_due_for_ten_days_after_deactivation() {
        let blocks =
            "driver_id,block_id,block_start,driver_name\nD1,B1,2026-03-01 07:00,Old Name\nD1,B2,2026-03-02 07:00,\n";
        let roster = "driver_id,driver_name,status,deactivated_on\nD1,Ana Ruiz,deactivated,2026-03-05\nD2,,active,\n";
        let f = fleet_with(blocks, NO_PACKAGES, Some(roster), None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let due = |x: Day| f.standing(d, x).alerts.has(Alert::AppealDue);
        assert!(!due(day(2026, 3, 4)));
        assert!(due(day(2026, 3, 5)));
        assert!(due(day(2026, 3, 15)));
        assert!(!due(day(2026, 3, 16)));
        assert_eq!(f.drivers[d].name.as_deref(), Some("Ana Ruiz"));
        // A roster driver without events still has a row, with no standing.
        let d2 = f.driver_index("D2").unwrap();
        assert_eq!(f.standing(d2, day(2026, 3, 10)).overall, None);
    }

    #[test]
    fn last_non_empty_block_name_when_roster_has_none() {
        let blocks = "driver_id,block_id,block_start,driver_name\nD1,B1,2026-03-01 07:00,First\nD1,B2,2026-03-02 07:00,Second\nD1,B3,2026-03-03 07:00,\n";
        let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
        assert_eq!(f.drivers[f.driver_index("D1").unwrap()].name.as_deref(), Some("Second"));
    }

    #[test]
    fn disputable_events_with_grounds_and_details() {
        let blocks = "driver_id,block_id,block_start,checked_in_at,departed_at\n\
                      D1,B1,2026-03-02 07:00,2026-03-02 07:20,2026-03-02 08:10\n\
                      D1,B2,2026-03-03 07:00,2026-03-03 06:55,2026-03-03 07:20\n";
        let deliveries = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,contact_attempts,dnr,photo\n\
                          T1,D1,B1,2026-03-02 11:00,2026-03-02 11:30,delivered,,,,\n\
                          T2,D1,B2,2026-03-03 11:00,2026-03-03 10:00,attempted,Gate locked,2,,\n\
                          T3,D1,B2,2026-03-03 11:00,2026-03-03 10:10,delivered,,,Y,photos/t3.jpg\n\
                          T4,D1,B2,2026-03-03 11:00,2026-03-03 10:20,attempted,Damaged,,,\n\
                          T5,D1,B2,2026-03-03 11:00,2026-03-03 10:30,delivered,,,,\n";
        let outages = "start,end,description\n2026-03-02 06:00,2026-03-02 09:00,Flex app sign-in outage\n";
        let f = fleet_with(blocks, deliveries, None, Some(outages), Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 5));
        assert!(s.alerts.has(Alert::Disputable));
        assert!(s.alerts.has(Alert::Unreturned));
        let events = f.events(d, day(2026, 3, 5)).unwrap();
        let find = |id: &str| events.iter().find(|e| e.id == id).unwrap();
        let b1 = find("B1");
        assert_eq!(b1.grounds, Grounds::OUTAGE);
        assert_eq!(b1.outage.as_ref().map(|o| o.description.as_str()), Some("Flex app sign-in outage"));
        assert_eq!(find("T1").grounds, Grounds::STATION_DELAY);
        assert_eq!(find("T1").carrier().map(|c| c.departed_at.is_some()), Some(true));
        assert_eq!(find("T2").grounds, Grounds::ACCESS_DOCUMENTED);
        assert_eq!(find("T3").grounds, Grounds::PHOTO_PROOF);
        assert_eq!(find("T3").package().unwrap().photos, ["photos/t3.jpg"]);
        assert!(!find("T4").is_disputable());
        assert!(events.iter().all(|e| e.id != "T5"));
        assert_eq!(events.len(), 5);
    }

    #[test]
    fn what_if_names_the_tier_reached() {
        let mut blocks = String::from("driver_id,block_id,block_start,checked_in_at\n");
        for i in 0..20 {
            let late = if i == 10 { "07:30" } else { "06:55" };
            blocks += &format!("D1,B{i:02},2026-02-{:02} 07:00,2026-02-{:02} {late}\n", i + 1, i + 1);
        }
        let f = fleet_with(&blocks, NO_PACKAGES, None, None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 1));
        assert_eq!(s.reliability_tier, Some(Tier::Fantastic));
        let w = f.what_if(d, &s);
        assert_eq!(w.reliability_drop, Some((1, Tier::Great)));
        assert_eq!(w.reliability_rise, None);
    }

    /// Five packages of D1, delivered on time, the ones listed (1 = oldest) with a claim.
    fn claims_at(claimed: &[usize]) -> String {
        let mut csv = String::from("tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr\n");
        for i in 1..=5 {
            let dnr = if claimed.contains(&i) { "Y" } else { "" };
            csv += &format!("T{i},D1,2026-03-0{i} 12:00,2026-03-0{i} 10:00,delivered,{dnr}\n");
        }
        csv
    }

    #[test]
    fn dnr_headroom_at_each_limit_and_with_the_oldest_package_leaving() {
        let blocks = "driver_id,block_id,block_start\nDX,B1,2026-03-01 07:00\n";
        let mut t = Thresholds::default();
        t.windows.packages = 5;
        // Rates that one missed package does not lower: NEAR_DROP comes from the claims alone.
        let lenient = crate::config::RateThresholds { fantastic: 0.5, great: 0.5, fair: 0.5 };
        (t.attempted, t.success, t.on_time) = (lenient, lenient, lenient);
        let at = |claimed: &[usize]| {
            let f = fleet_with(blocks, &claims_at(claimed), None, None, t);
            let d = f.driver_index("D1").unwrap();
            let s = f.standing(d, day(2026, 3, 20));
            let what_if = f.what_if(d, &s);
            (s.quality_tier, s.dnr_headroom, s.alerts.has(Alert::NearDrop), what_if.dnr_drop)
        };
        // At each limit one claim drops the tier, whatever the rates.
        assert_eq!(at(&[]), (Some(Tier::Fantastic), Some(1), true, Some((1, Tier::Great))));
        assert_eq!(at(&[5]), (Some(Tier::Great), Some(1), true, Some((1, Tier::Fair))));
        assert_eq!(at(&[4, 5]), (Some(Tier::Fair), Some(1), true, Some((1, Tier::AtRisk))));
        // The oldest package's claim leaves as the new one enters: two more claims drop it.
        assert_eq!(at(&[1]), (Some(Tier::Great), Some(2), false, Some((2, Tier::Fair))));
        assert_eq!(at(&[1, 2]), (Some(Tier::Fair), Some(3), false, Some((3, Tier::AtRisk))));
        // At Risk: nothing lower.
        assert_eq!(at(&[3, 4, 5]), (Some(Tier::AtRisk), None, false, None));
    }

    #[test]
    fn first_k_finds_the_switch_point() {
        assert_eq!(first_k(20, |k| k >= 7), Some(7));
        assert_eq!(first_k(20, |k| k >= 1), Some(1));
        assert_eq!(first_k(20, |_| false), None);
        assert_eq!(first_k(0, |_| true), None);
    }
}
