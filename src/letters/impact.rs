//! The impact sentence: the standing now against the standing without the disputed
//! events (their rows left out and the standing computed again, see
//! [`crate::standing::without`]). Names the tiers that change, else the rates.

use crate::config::Thresholds;
use crate::standing::Standing;
use crate::standing::rules::{Tier, dnr_tier, rate_tier, tier_label};
use serde::Serialize;

/// What removing the disputed events would change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// Overall tiers, as the report writes them.
    pub tier_now: &'static str,
    pub tier_without: &'static str,
    /// Each change on its own ("delivery quality At Risk → Great, DNR claims 3 → 0").
    pub changes: Vec<String>,
    /// Whether any tier changes.
    pub tiers_change: bool,
    /// The sentence of the letter.
    pub sentence: String,
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "no data".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// The metrics that differ, in words ("on time 85.0% → 90.0%"); with `only_tiers`, only
/// those whose own tier changes (the ones that move the component's tier).
fn metric_changes(
    now: &Standing,
    without: &Standing,
    t: &Thresholds,
    reliability: bool,
    only_tiers: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut rate = |name: &str, a: Option<f64>, b: Option<f64>, tier: &dyn Fn(f64) -> Tier| {
        let moved = a.map(tier) != b.map(tier);
        let (a, b) = (percent(a), percent(b));
        if a != b && (moved || !only_tiers) {
            out.push(format!("{name} {a} → {b}"));
        }
    };
    if reliability {
        rate("blocks on time", now.reliability.rate(), without.reliability.rate(), &|r| rate_tier(r, &t.reliability));
        return out;
    }
    let (a, b) = (now.quality.rates(), without.quality.rates());
    rate("attempted", a.map(|r| r.attempted), b.map(|r| r.attempted), &|r| rate_tier(r, &t.attempted));
    rate("delivered", a.map(|r| r.success), b.map(|r| r.success), &|r| rate_tier(r, &t.success));
    rate("on time", a.map(|r| r.on_time), b.map(|r| r.on_time), &|r| rate_tier(r, &t.on_time));
    let (n, m) = (now.quality.dnr, without.quality.dnr);
    if n != m && (!only_tiers || dnr_tier(n, &t.dnr) != dnr_tier(m, &t.dnr)) {
        out.push(format!("DNR claims {n} → {m}"));
    }
    out
}

impl Impact {
    /// The tiers that change, each with the metrics that move it; else the rates.
    pub fn new(now: &Standing, without: &Standing, t: &Thresholds) -> Impact {
        let mut tier_changes = Vec::new();
        if now.overall != without.overall {
            tier_changes.push(format!("overall {} → {}", tier_label(now.overall), tier_label(without.overall)));
        }
        for (name, a, b, reliability) in [
            ("reliability", now.reliability_tier, without.reliability_tier, true),
            ("delivery quality", now.quality_tier, without.quality_tier, false),
        ] {
            if a != b {
                let mut change = format!("{name} {} → {}", tier_label(a), tier_label(b));
                for metric in metric_changes(now, without, t, reliability, true) {
                    change.push_str(", ");
                    change.push_str(&metric);
                }
                tier_changes.push(change);
            }
        }
        let tiers_change = !tier_changes.is_empty();
        let (changes, sentence) = if tiers_change {
            let sentence = format!("Without these events the standing would change: {}.", tier_changes.join("; "));
            (tier_changes, sentence)
        } else {
            let mut rates = metric_changes(now, without, t, true, false);
            rates.extend(metric_changes(now, without, t, false, false));
            let sentence = if rates.is_empty() {
                format!(
                    "Without these events the standing would stay {}: older events would take their place in the windows.",
                    tier_label(now.overall)
                )
            } else {
                format!("Without these events no tier would change, but the rates would: {}.", rates.join("; "))
            };
            (rates, sentence)
        };
        Impact {
            tier_now: tier_label(now.overall),
            tier_without: tier_label(without.overall),
            changes,
            tiers_change,
            sentence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standing::rules::{BlockCounts, PackageCounts, Tier};

    fn standing(rel: (u32, u32), dnr: u32, tiers: [Option<Tier>; 3]) -> Standing {
        let mut s = Standing::empty(0);
        s.reliability = BlockCounts { blocks: rel.0, on_time: rel.1 };
        s.quality = PackageCounts { packages: 500, attempted: 500, delivered: 495, on_time: 490, dnr };
        [s.reliability_tier, s.quality_tier, s.overall] = tiers;
        s
    }

    #[test]
    fn tiers_that_change_with_their_metrics_else_the_rates() {
        let now = standing((20, 20), 3, [Some(Tier::Fantastic), Some(Tier::AtRisk), Some(Tier::AtRisk)]);
        let without = standing((20, 20), 0, [Some(Tier::Fantastic), Some(Tier::Fantastic), Some(Tier::Fantastic)]);
        let t = Thresholds::default();
        let impact = Impact::new(&now, &without, &t);
        assert_eq!(
            impact.sentence,
            "Without these events the standing would change: overall At Risk → Fantastic; \
             delivery quality At Risk → Fantastic, DNR claims 3 → 0."
        );
        assert_eq!((impact.tier_now, impact.tier_without), ("At Risk", "Fantastic"));
        let now = standing((20, 16), 0, [Some(Tier::Fair), Some(Tier::Fantastic), Some(Tier::Fair)]);
        let without = standing((20, 17), 0, [Some(Tier::Fair), Some(Tier::Fantastic), Some(Tier::Fair)]);
        let impact = Impact::new(&now, &without, &t);
        assert!(!impact.tiers_change);
        assert_eq!(
            impact.sentence,
            "Without these events no tier would change, but the rates would: blocks on time 80.0% → 85.0%."
        );
    }
}
