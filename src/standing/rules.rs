//! Each docs/rules.md §2 rule in exactly one place: block status (grace and notice), package
//! flags, and tiers from rates and counts. Everything else calls these.

use crate::config::{DnrThresholds, RateThresholds, Thresholds, Windows};
use crate::import::codes::Outcome;
use crate::import::time::MS_PER_MINUTE;
use serde::Serialize;

/// A tier, worst first so that `min` is "the worst of".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tier {
    AtRisk,
    Fair,
    Great,
    Fantastic,
}

impl Tier {
    pub const ALL_BEST_FIRST: [Tier; 4] = [Tier::Fantastic, Tier::Great, Tier::Fair, Tier::AtRisk];

    /// The tier of a number of [`crate::import::codes::tier_number`] (0 At Risk … 3 Fantastic).
    pub fn from_number(n: u32) -> Option<Tier> {
        [Tier::AtRisk, Tier::Fair, Tier::Great, Tier::Fantastic].get(n as usize).copied()
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::Fantastic => "Fantastic",
            Tier::Great => "Great",
            Tier::Fair => "Fair",
            Tier::AtRisk => "At Risk",
        }
    }
}

/// The label of an optional tier: `None` is "No standing".
pub fn tier_label(tier: Option<Tier>) -> &'static str {
    tier.map_or("No standing", Tier::label)
}

/// Why a counted block is a miss (docs/rules.md §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Miss {
    LateArrival,
    LateCancel,
    NoShow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockStatus {
    /// Cancelled with enough notice: does not count at all.
    NotCounted,
    OnTime,
    Miss(Miss),
}

/// docs/rules.md §2.2: the status of a block, with inclusive boundaries (check-in at exactly
/// +grace is on time, a cancel at exactly −notice does not count).
pub fn block_status(start: i64, checked_in_at: Option<i64>, cancelled_at: Option<i64>, w: &Windows) -> BlockStatus {
    match (cancelled_at, checked_in_at) {
        (Some(c), _) if c <= start - w.cancel_notice_minutes * MS_PER_MINUTE => BlockStatus::NotCounted,
        (Some(_), _) => BlockStatus::Miss(Miss::LateCancel),
        (None, Some(t)) if t <= start + w.arrival_grace_minutes * MS_PER_MINUTE => BlockStatus::OnTime,
        (None, Some(_)) => BlockStatus::Miss(Miss::LateArrival),
        (None, None) => BlockStatus::Miss(Miss::NoShow),
    }
}

/// docs/rules.md §2.3: delivered or attempted, with an attempt time at or before the deadline.
pub fn package_on_time(outcome: Outcome, attempted_at: Option<i64>, deliver_by: i64) -> bool {
    outcome.was_attempted() && attempted_at.is_some_and(|t| t <= deliver_by)
}

const TOLERANCE: f64 = 1e-9;

/// The best tier whose threshold the rate meets (within 1e-9).
pub fn rate_tier(rate: f64, t: &RateThresholds) -> Tier {
    if rate >= t.fantastic - TOLERANCE {
        Tier::Fantastic
    } else if rate >= t.great - TOLERANCE {
        Tier::Great
    } else if rate >= t.fair - TOLERANCE {
        Tier::Fair
    } else {
        Tier::AtRisk
    }
}

/// The best tier whose maximum the DNR count does not exceed.
pub fn dnr_tier(count: u32, t: &DnrThresholds) -> Tier {
    if count <= t.fantastic {
        Tier::Fantastic
    } else if count <= t.great {
        Tier::Great
    } else if count <= t.fair {
        Tier::Fair
    } else {
        Tier::AtRisk
    }
}

/// Counts over a reliability window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlockCounts {
    pub blocks: u32,
    pub on_time: u32,
}

impl BlockCounts {
    pub fn rate(&self) -> Option<f64> {
        (self.blocks > 0).then(|| f64::from(self.on_time) / f64::from(self.blocks))
    }

    pub fn tier(&self, t: &Thresholds) -> Option<Tier> {
        self.rate().map(|r| rate_tier(r, &t.reliability))
    }
}

/// Counts over a quality window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PackageCounts {
    pub packages: u32,
    pub attempted: u32,
    pub delivered: u32,
    pub on_time: u32,
    pub dnr: u32,
}

impl PackageCounts {
    fn share(&self, n: u32) -> f64 {
        f64::from(n) / f64::from(self.packages)
    }

    /// The attempted, success and on-time rates; `None` without packages.
    pub fn rates(&self) -> Option<QualityRates> {
        (self.packages > 0).then(|| QualityRates {
            attempted: self.share(self.attempted),
            success: self.share(self.delivered),
            on_time: self.share(self.on_time),
        })
    }

    /// The worst of the attempted, success, on-time and DNR tiers.
    pub fn tier(&self, t: &Thresholds) -> Option<Tier> {
        let QualityRates { attempted, success, on_time } = self.rates()?;
        Some(
            rate_tier(attempted, &t.attempted)
                .min(rate_tier(success, &t.success))
                .min(rate_tier(on_time, &t.on_time))
                .min(dnr_tier(self.dnr, &t.dnr)),
        )
    }
}

/// The rates of a quality window (docs/rules.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityRates {
    /// Packages delivered or attempted ÷ packages.
    pub attempted: f64,
    /// Packages delivered ÷ packages.
    pub success: f64,
    /// Packages delivered or attempted by their deadline ÷ packages.
    pub on_time: f64,
}

/// The worst of the components that have data; `None` (No standing) with neither.
pub fn overall_tier(reliability: Option<Tier>, quality: Option<Tier>) -> Option<Tier> {
    match (reliability, quality) {
        (Some(r), Some(q)) => Some(r.min(q)),
        (r, q) => r.or(q),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_000_000_000_000;
    const MIN: i64 = MS_PER_MINUTE;

    fn status(check_in: Option<i64>, cancel: Option<i64>) -> BlockStatus {
        block_status(START, check_in.map(|m| START + m), cancel.map(|m| START + m), &Windows::default())
    }

    #[test]
    fn arrival_grace_is_inclusive() {
        assert_eq!(status(Some(-30 * MIN), None), BlockStatus::OnTime);
        assert_eq!(status(Some(5 * MIN), None), BlockStatus::OnTime);
        assert_eq!(status(Some(5 * MIN + 1000), None), BlockStatus::Miss(Miss::LateArrival));
        assert_eq!(status(None, None), BlockStatus::Miss(Miss::NoShow));
    }

    #[test]
    fn cancel_notice_is_inclusive() {
        assert_eq!(status(None, Some(-45 * MIN)), BlockStatus::NotCounted);
        assert_eq!(status(None, Some(-24 * 60 * MIN)), BlockStatus::NotCounted);
        assert_eq!(status(None, Some(-45 * MIN + 1000)), BlockStatus::Miss(Miss::LateCancel));
        assert_eq!(status(None, Some(10 * MIN)), BlockStatus::Miss(Miss::LateCancel));
        // Checked in, then cancelled late: still a late cancel.
        assert_eq!(status(Some(0), Some(-MIN)), BlockStatus::Miss(Miss::LateCancel));
    }

    #[test]
    fn package_on_time_needs_an_attempt_by_the_deadline() {
        assert!(package_on_time(Outcome::Delivered, Some(START), START));
        assert!(package_on_time(Outcome::Attempted, Some(START - 1), START));
        assert!(!package_on_time(Outcome::Delivered, Some(START + 1), START));
        assert!(!package_on_time(Outcome::Delivered, None, START));
        assert!(!package_on_time(Outcome::NotAttempted, Some(START - 1), START));
    }

    #[test]
    fn rate_tiers_with_tolerance() {
        let t = Thresholds::default();
        assert_eq!(rate_tier(0.95, &t.reliability), Tier::Fantastic);
        assert_eq!(rate_tier(19.0 / 20.0, &t.reliability), Tier::Fantastic);
        assert_eq!(rate_tier(0.95 - 5e-10, &t.reliability), Tier::Fantastic);
        assert_eq!(rate_tier(0.9499, &t.reliability), Tier::Great);
        assert_eq!(rate_tier(0.90, &t.reliability), Tier::Great);
        assert_eq!(rate_tier(0.80, &t.reliability), Tier::Fair);
        assert_eq!(rate_tier(0.7999, &t.reliability), Tier::AtRisk);
        assert_eq!(rate_tier(497.0 / 500.0, &t.attempted), Tier::Great);
    }

    #[test]
    fn dnr_tiers() {
        let t = Thresholds::default().dnr;
        assert_eq!([0, 1, 2, 3].map(|n| dnr_tier(n, &t)), [Tier::Fantastic, Tier::Great, Tier::Fair, Tier::AtRisk]);
    }

    #[test]
    fn quality_is_the_worst_metric_and_overall_the_worst_component() {
        let t = Thresholds::default();
        let q = PackageCounts { packages: 100, attempted: 100, delivered: 100, on_time: 100, dnr: 2 };
        assert_eq!(q.tier(&t), Some(Tier::Fair));
        let q = PackageCounts { packages: 100, attempted: 100, delivered: 97, on_time: 100, dnr: 0 };
        assert_eq!(q.tier(&t), Some(Tier::Fair));
        assert_eq!(PackageCounts::default().tier(&t), None);
        assert_eq!(overall_tier(Some(Tier::Great), Some(Tier::Fair)), Some(Tier::Fair));
        assert_eq!(overall_tier(None, Some(Tier::Great)), Some(Tier::Great));
        assert_eq!(overall_tier(Some(Tier::AtRisk), None), Some(Tier::AtRisk));
        assert_eq!(overall_tier(None, None), None);
    }
}
