//! docs/rules.md §6: when counted defects roll off, and the standing day by day if the
//! driver keeps their pace with clean work only.
//!
//! The k-th future item falls on day E + ⌈28·k ÷ n⌉ (n items counted in the 28 days up to
//! E), so by day E + t exactly ⌊t·n ÷ 28⌋ future items have come; they join the window
//! as the newest, pushing out the oldest of a full window. That is the same arithmetic as
//! the what-if ([`Fleet::standing`]): appended clean items, counted in constant time.

use super::rules::{BlockCounts, Miss, PackageCounts, Tier, overall_tier};
use super::{EventSide, Fleet};
use crate::import::columns as col;
use crate::import::time::Day;
use polars_core::prelude::PolarsResult;

/// Projected days unless asked otherwise.
pub const DEFAULT_DAYS: u32 = 60;
/// The days over which the pace is counted.
const PACE_DAYS: u64 = 28;

/// The projected standing on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectedDay {
    pub day: Day,
    pub reliability: BlockCounts,
    pub quality: PackageCounts,
    pub reliability_tier: Option<Tier>,
    pub quality_tier: Option<Tier>,
    pub overall: Option<Tier>,
    /// The counted defects (block or tracking ids) that leave their window this day.
    pub leaving: Vec<String>,
}

/// A counted defect and the day it leaves its window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub id: String,
    pub side: EventSide,
    /// What it is, in a few words ("late block", "DNR claim").
    pub what: &'static str,
    pub day: Day,
}

/// Which tier a change is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Overall,
    Reliability,
    Quality,
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Component::Overall => "overall",
            Component::Reliability => "reliability",
            Component::Quality => "delivery quality",
        }
    }
}

/// A projected day on which a tier differs from the day before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierChange {
    pub component: Component,
    pub day: Day,
    pub from: Option<Tier>,
    pub to: Option<Tier>,
}

impl TierChange {
    /// Up (a better tier) or down.
    pub fn rises(&self) -> bool {
        self.to > self.from
    }
}

/// A driver's forecast as of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub as_of: Day,
    /// Counted blocks and packages in the 28 days up to the last counted day: the pace.
    pub blocks_per_28_days: u32,
    pub packages_per_28_days: u32,
    pub days: Vec<ProjectedDay>,
    /// Every counted defect that leaves within the projected days, by day.
    pub leaving: Vec<Leaving>,
    /// Every change of a tier within the projected days, by day (overall, reliability,
    /// delivery quality): "back to Great on …".
    pub changes: Vec<TierChange>,
}

/// Future items by day t after the last counted day, at a pace of `n` per 28 days.
fn future_items(t: u32, n: u32) -> u32 {
    u32::try_from(u64::from(t) * u64::from(n) / PACE_DAYS).unwrap_or(u32::MAX)
}

/// The first t (1 ≤ t ≤ days) on which an item `behind` items from the newest end of its
/// window (0: the newest) is pushed out of a window of `size`, at `n` per 28 days.
fn leaves_after(behind: usize, size: u32, n: u32, days: u32) -> Option<u32> {
    if n == 0 {
        return None;
    }
    // It leaves once more than size − (behind + 1) future items have come.
    let allowed = u64::from(size).checked_sub(behind as u64 + 1)?;
    let t = (PACE_DAYS * (allowed + 1)).div_ceil(u64::from(n));
    u32::try_from(t).ok().filter(|t| (1..=days).contains(t))
}

impl Fleet {
    /// The counts part of the forecast: per projected day t = 1 ..= `days`, the window
    /// counts; and the pace.
    fn projected_counts(&self, driver: usize, as_of: Day, days: u32) -> (Vec<(BlockCounts, PackageCounts)>, u32, u32) {
        let d = &self.drivers[driver];
        let (b, p) = self.window_ends(d, as_of);
        let last_counted = as_of - self.thresholds.windows.lag_days as Day;
        let pace = |day: &[Day]| {
            let from = day.partition_point(|&x| x <= last_counted - PACE_DAYS as Day);
            let to = day.partition_point(|&x| x <= last_counted);
            u32::try_from(to - from).unwrap_or(u32::MAX)
        };
        let nb = pace(&self.blocks.day[d.blocks.clone()]);
        let np = pace(&self.packages.day[d.packages.clone()]);
        let counts = (1..=days)
            .map(|t| {
                (
                    self.block_counts(d, b, future_items(t, nb), true),
                    self.package_counts(d, p, future_items(t, np), super::Appended::Perfect),
                )
            })
            .collect();
        (counts, nb, np)
    }

    /// The first projected day (within `days`) the overall tier differs from today's.
    pub fn next_overall_change(&self, driver: usize, as_of: Day, days: u32) -> Option<TierChange> {
        let now = self.overall_on(driver, as_of);
        let t = &self.thresholds;
        let (counts, _, _) = self.projected_counts(driver, as_of, days);
        counts.iter().zip(1..).find_map(|((r, q), k)| {
            let tier = overall_tier(r.tier(t), q.tier(t));
            (tier != now).then_some(TierChange { component: Component::Overall, day: as_of + k, from: now, to: tier })
        })
    }

    /// docs/rules.md §6: the driver's projected standing for `days` days after `as_of`, the
    /// day each counted defect leaves, and the first change of each tier.
    pub fn forecast(&self, driver: usize, as_of: Day, days: u32) -> PolarsResult<Forecast> {
        let d = &self.drivers[driver];
        let t = &self.thresholds;
        let w = &t.windows;
        let (b, p) = self.window_ends(d, as_of);
        let (counts, nb, np) = self.projected_counts(driver, as_of, days);

        let mut leaving: Vec<(u32, Leaving)> = Vec::new();
        let bw = self.block_window(d, b);
        let misses: Vec<usize> = bw.clone().filter(|&i| self.blocks.miss[i].is_some()).collect();
        if !misses.is_empty() {
            let rows = self.blocks.frame.slice(bw.start as i64, bw.len());
            let ids = col::BLOCK_ID.read(&rows)?;
            for i in misses {
                let Some(k) = leaves_after(b - 1 - i, w.blocks, nb, days) else { continue };
                let what = match self.blocks.miss[i] {
                    Some(Miss::LateArrival) => "late block",
                    Some(Miss::LateCancel) => "late cancel",
                    _ => "no-show",
                };
                let id = ids[i - bw.start].unwrap_or("").to_string();
                leaving.push((k, Leaving { id, side: EventSide::Block, what, day: as_of + k as Day }));
            }
        }
        let pw = self.package_window(d, p);
        let defective: Vec<usize> = pw.clone().filter(|&i| !self.packages.defects[i].is_empty()).collect();
        if !defective.is_empty() {
            let rows = self.packages.frame.rows(pw.clone())?;
            let ids = col::TRACKING_ID.read(&rows)?;
            for i in defective {
                let Some(k) = leaves_after(p - 1 - i, w.packages, np, days) else { continue };
                let defects = self.packages.defects[i];
                use super::grounds::Defects;
                let what = if defects.contains(Defects::DNR) {
                    "DNR claim"
                } else if defects.contains(Defects::NOT_ATTEMPTED) {
                    "package not attempted"
                } else if defects.contains(Defects::NOT_DELIVERED) {
                    "package not delivered"
                } else {
                    "late package"
                };
                let id = ids[i - pw.start].unwrap_or("").to_string();
                leaving.push((k, Leaving { id, side: EventSide::Package, what, day: as_of + k as Day }));
            }
        }
        leaving.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));

        let now = self.standing(driver, as_of);
        let mut changes: Vec<TierChange> = Vec::new();
        let mut previous = [now.overall, now.reliability_tier, now.quality_tier];
        let mut projected = Vec::with_capacity(counts.len());
        for ((reliability, quality), k) in counts.into_iter().zip(1u32..) {
            let (reliability_tier, quality_tier) = (reliability.tier(t), quality.tier(t));
            let overall = overall_tier(reliability_tier, quality_tier);
            let day = as_of + k as Day;
            let components = [Component::Overall, Component::Reliability, Component::Quality];
            for ((component, from), to) in
                components.into_iter().zip(previous.iter_mut()).zip([overall, reliability_tier, quality_tier])
            {
                if *from != to {
                    changes.push(TierChange { component, day, from: *from, to });
                    *from = to;
                }
            }
            let ids = leaving.iter().filter(|(at, _)| *at == k).map(|(_, l)| l.id.clone()).collect();
            projected.push(ProjectedDay {
                day,
                reliability,
                quality,
                reliability_tier,
                quality_tier,
                overall,
                leaving: ids,
            });
        }
        changes.sort_by_key(|c| (c.day, c.component as u8));
        Ok(Forecast {
            as_of,
            blocks_per_28_days: nb,
            packages_per_28_days: np,
            days: projected,
            leaving: leaving.into_iter().map(|(_, l)| l).collect(),
            changes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn future_items_come_at_the_pace_and_push_out_the_oldest() {
        // 14 items in 28 days: one every second day.
        assert_eq!((1..=6).map(|t| future_items(t, 14)).collect::<Vec<_>>(), [0, 1, 1, 2, 2, 3]);
        // The newest item of a window of 20 leaves after 20 more items: day 40 at 14 per 28 days.
        assert_eq!(leaves_after(0, 20, 14, 60), Some(40));
        // The oldest of a full window leaves with the first future item.
        assert_eq!(leaves_after(19, 20, 14, 60), Some(2));
        assert_eq!(leaves_after(19, 20, 0, 60), None, "no pace, nothing leaves");
        assert_eq!(leaves_after(0, 20, 14, 30), None, "not within the days asked");
    }
}
