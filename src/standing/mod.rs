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
mod rows;
pub mod rules;
mod tally;
pub mod without;

pub use build::{BlockSide, outages_of};
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
    /// The driver's coaching entries with a follow-up day: (follow-up day, outcome day).
    coaching: Vec<(Option<Day>, Option<Day>)>,
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
/// DISPUTABLE, and a case sent (or last followed up) more than `follow_up_days` before the
/// day without an outcome raises FOLLOW_UP. Overturned events are not here: they are left
/// out of the data itself.
#[derive(Debug, Clone, Default)]
pub struct CaseMarks {
    pub blocks_in_case: HashSet<String>,
    pub packages_in_case: HashSet<String>,
    /// Per driver id, each letter of a sent case (the first and its follow-ups): the day it
    /// was sent, and the day of the case's next letter or, for the last, of its outcome if
    /// any. A case is waiting for an answer from each letter until the next.
    pub sent: HashMap<String, Vec<(Day, Option<Day>)>>,
    /// Per driver id, each coaching entry with a follow-up day: (follow-up day, outcome
    /// day if any), for COACHING_DUE (SPEC §8).
    pub coaching: CoachingMarks,
}

impl CaseMarks {
    pub fn contains(&self, side: EventSide, id: &str) -> bool {
        match side {
            EventSide::Block => self.blocks_in_case.contains(id),
            EventSide::Package => self.packages_in_case.contains(id),
        }
    }
}

/// Per driver id, each coaching entry's (follow-up day, outcome day if any).
pub type CoachingMarks = HashMap<String, Vec<(Option<Day>, Option<Day>)>>;

/// COACHING_DUE on `day` (SPEC §8) for a driver's entries, each (follow-up day, outcome
/// day): a follow-up day before `day` with no outcome by then.
pub fn coaching_due(entries: &[(Option<Day>, Option<Day>)], day: Day) -> bool {
    entries.iter().any(|&(follow_up, outcome)| follow_up.is_some_and(|f| f < day) && outcome.is_none_or(|o| o > day))
}

/// FOLLOW_UP on `day` (SPEC §4.4): a case sent, or last followed up, more than
/// `after_days` days before, with no outcome by then. `contacts`: per case, the day of its
/// last letter and of its outcome.
pub fn needs_follow_up(contacts: &[(Day, Option<Day>)], day: Day, after_days: u32) -> bool {
    contacts.iter().any(|&(last, outcome)| day >= follow_up_due_on(last, after_days) && outcome.is_none_or(|o| o > day))
}

/// The first day a letter sent on `last` without an answer is due a follow-up: more than
/// `after_days` days later.
pub fn follow_up_due_on(last: Day, after_days: u32) -> Day {
    last + after_days as Day + 1
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
    /// The exceptions' addresses, in one chunk, when some package takes one
    /// ([`crate::import::columns::REPORT_ADDRESS`]).
    report_addresses: StringChunked,
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
    /// Drivers not listed as Flex drivers: DAs of the scorecards whose only events are
    /// their reports' packages (DSP mode). Empty: every driver is listed.
    unlisted: Vec<bool>,
}

impl Fleet {
    /// Every package's grounds, in the engine's order.
    #[cfg(test)]
    pub(crate) fn package_grounds(&self) -> &[Grounds] {
        &self.packages.grounds
    }

    /// The Flex drivers to list (reports, the fleet view, the coaching sheets): every
    /// driver but the scorecards' DAs without blocks of their own.
    pub fn listed(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.drivers.len()).filter(|&i| self.is_listed(i))
    }

    pub fn is_listed(&self, driver: usize) -> bool {
        !self.unlisted.get(driver).copied().unwrap_or(false)
    }

    /// Leaves out of [`Fleet::listed`] the drivers among `das` (the scorecards' ids) who have
    /// no blocks: their packages are their scorecard's defects, not a Flex standing.
    pub fn unlist_das(&mut self, das: &std::collections::HashSet<&str>) {
        self.unlisted = self.drivers.iter().map(|d| d.blocks.is_empty() && das.contains(d.id.as_str())).collect();
    }

    /// The days of a driver's package events that have a dispute ground and no case (DSP
    /// mode finds its weeks' DISPUTABLE with them, without listing the events).
    pub fn disputable_package_days(&self, driver: usize) -> Vec<Day> {
        self.drivers[driver]
            .packages
            .clone()
            .filter(|&i| self.packages.disputable.span(&(i..i + 1)) > 0)
            .map(|i| self.packages.day[i])
            .collect()
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

    /// The counts of both windows on one day, without the rest of the standing (what
    /// moved since last week, in the fleet table).
    pub fn counts_on(&self, driver: usize, as_of: Day) -> (BlockCounts, PackageCounts) {
        let d = &self.drivers[driver];
        let (b, p) = self.window_ends(d, as_of);
        (self.block_counts(d, b, 0, true), self.package_counts(d, p, 0, Appended::Perfect))
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
        alerts.set(Alert::FollowUp, needs_follow_up(&d.sent_cases, as_of, self.thresholds.windows.follow_up_days));
        alerts.set(Alert::CoachingDue, coaching_due(&d.coaching, as_of));
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
mod tests;
