//! SPEC §7.3: what removing disputed defects would do to a week's scorecard, from the
//! file's own figures. With `delivered` = n and DNR DPMO = p the claims are
//! d = round(p·n/10⁶), and removing k gives (d − k)·10⁶/n; with DCR = r the undelivered
//! are u = round(n/r − n), and removing k gives n/(n + u − k).

use super::DaWeek;
use super::bounds::{DspBounds, Measure};
use super::metrics::{DspMetric, DspTier, Scale};

/// Rounds half away from zero, as the scorecard's counts are.
fn round(x: f64) -> u64 {
    x.round().max(0.0) as u64
}

/// The DNR claims behind a DPMO of `dpmo` over `delivered` packages.
pub fn dnr_claims(delivered: f64, dpmo: f64) -> u64 {
    round(dpmo * delivered / 1e6)
}

/// The DNR DPMO with `removed` claims fewer.
pub fn dnr_dpmo_without(delivered: f64, dpmo: f64, removed: u64) -> f64 {
    let claims = dnr_claims(delivered, dpmo);
    claims.saturating_sub(removed) as f64 * 1e6 / delivered
}

/// The undelivered packages behind a DCR of `dcr` with `delivered` delivered.
pub fn undelivered(delivered: f64, dcr: f64) -> u64 {
    round(delivered / dcr - delivered)
}

/// The DCR with `removed` undelivered packages fewer.
pub fn dcr_without(delivered: f64, dcr: f64, removed: u64) -> f64 {
    let missed = undelivered(delivered, dcr).saturating_sub(removed);
    delivered / (delivered + missed as f64)
}

/// A metric before and after, with its tiers.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub metric: DspMetric,
    pub before: f64,
    pub after: f64,
    pub tier_before: Option<DspTier>,
    pub tier_after: Option<DspTier>,
}

impl Change {
    /// "DNR DPMO 2,890 → 1,445, Fair → Great", or without the tiers when they stay.
    pub fn words(&self) -> String {
        let values =
            format!("{} {} → {}", self.metric.label(), self.metric.show(self.before), self.metric.show(self.after));
        match (self.tier_before, self.tier_after) {
            (Some(a), Some(b)) if a != b => format!("{values}, {} → {}", a.label(), b.label()),
            _ => values,
        }
    }
}

/// What the week's DNR DPMO and DCR become without `claims` DNR claims and `missed`
/// undelivered packages; empty without the packages delivered (the letter then gives the
/// counts only) or when nothing is removed from a metric.
pub fn impact(row: &DaWeek, bounds: &DspBounds, scale: Scale, claims: u64, missed: u64) -> Vec<Change> {
    let Some(n) = row.delivered.filter(|n| *n > 0.0) else { return Vec::new() };
    let mut changes = Vec::new();
    let tier = |metric: DspMetric, value: f64| bounds.get(Measure::Metric(metric)).tier(value, scale);
    if let (Some(p), true) = (row.value(DspMetric::DnrDpmo), claims > 0) {
        let after = dnr_dpmo_without(n, p, claims);
        changes.push(Change {
            metric: DspMetric::DnrDpmo,
            before: p,
            after,
            tier_before: row.tier(DspMetric::DnrDpmo).map(|t| t.tier),
            tier_after: Some(tier(DspMetric::DnrDpmo, after)),
        });
    }
    if let (Some(r), true) = (row.value(DspMetric::Dcr).filter(|r| *r > 0.0), missed > 0) {
        let after = dcr_without(n, r, missed);
        changes.push(Change {
            metric: DspMetric::Dcr,
            before: r,
            after,
            tier_before: row.tier(DspMetric::Dcr).map(|t| t.tier),
            tier_after: Some(tier(DspMetric::Dcr, after)),
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_and_dpmo_follow_the_file_figures() {
        // 692 packages at 2,890 DPMO: 2.0 claims; one removed leaves 1,445.
        assert_eq!(dnr_claims(692.0, 2890.0), 2);
        assert!((dnr_dpmo_without(692.0, 2890.0, 1) - 1e6 / 692.0).abs() < 1e-6);
        assert_eq!(dnr_dpmo_without(692.0, 2890.0, 5), 0.0, "never below zero");
        // 1,000 packages at 3,000 DPMO: 3 claims; all removed: 0.
        assert_eq!(dnr_dpmo_without(1000.0, 3000.0, 3), 0.0);
    }

    #[test]
    fn undelivered_rounds_at_the_half_both_ways() {
        // n/r − n just under .5 rounds down, just over rounds up.
        let n = 1000.0;
        let under = n / (n + 2.499); // n/r − n = 2.499
        let over = n / (n + 2.501); // 2.501
        assert_eq!(undelivered(n, under), 2);
        assert_eq!(undelivered(n, over), 3);
        assert_eq!(undelivered(n, n / (n + 2.5)), 3, "half away from zero");
        // 98.0 % of 490 delivered: 500 packages, 10 undelivered; removing 1 gives 490/499.
        assert_eq!(undelivered(490.0, 0.98), 10);
        assert!((dcr_without(490.0, 0.98, 1) - 490.0 / 499.0).abs() < 1e-12);
        assert_eq!(dcr_without(490.0, 0.98, 20), 1.0);
    }

    #[test]
    fn changes_are_told_with_their_tiers() {
        let c = Change {
            metric: DspMetric::DnrDpmo,
            before: 2890.0,
            after: 1445.0,
            tier_before: Some(DspTier::Fair),
            tier_after: Some(DspTier::Great),
        };
        assert_eq!(c.words(), "DNR DPMO 2,890 → 1,445, Fair → Great");
        let d = Change {
            metric: DspMetric::Dcr,
            before: 0.98,
            after: 0.982,
            tier_before: Some(DspTier::Fair),
            tier_after: Some(DspTier::Fair),
        };
        assert_eq!(d.words(), "DCR 98.0% → 98.2%");
    }
}
