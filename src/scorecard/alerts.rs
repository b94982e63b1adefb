//! A DA's alerts for a week (SPEC §7.2): TIER_DROP, AT_RISK, COACH (which metrics),
//! SLIPPING (the same metric worse three weeks running), DISPUTABLE and COACHING_DUE
//! (SPEC §8); codes in files, words on screen.

use super::metrics::{DspMetric, Form};
use super::{DaWeek, METRICS};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DspAlert {
    AtRisk,
    TierDrop,
    Coach,
    Slipping,
    Disputable,
    CoachingDue,
}

impl DspAlert {
    /// Most severe first: the order the screen lists them in.
    pub const ALL: [DspAlert; 6] = [
        DspAlert::AtRisk,
        DspAlert::TierDrop,
        DspAlert::Coach,
        DspAlert::Slipping,
        DspAlert::Disputable,
        DspAlert::CoachingDue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DspAlert::AtRisk => "AT_RISK",
            DspAlert::TierDrop => "TIER_DROP",
            DspAlert::Coach => "COACH",
            DspAlert::Slipping => "SLIPPING",
            DspAlert::Disputable => "DISPUTABLE",
            DspAlert::CoachingDue => "COACHING_DUE",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            DspAlert::AtRisk => "At the lowest tier",
            DspAlert::TierDrop => "Dropped a tier",
            DspAlert::Coach => "Needs coaching",
            DspAlert::Slipping => "Slipping",
            DspAlert::Disputable => "Disputable",
            DspAlert::CoachingDue => "Coaching check due",
        }
    }

    /// The word a narrow column uses ("lowest tier", "dropped").
    pub fn short_words(self) -> &'static str {
        match self {
            DspAlert::AtRisk => "lowest tier",
            DspAlert::TierDrop => "dropped",
            DspAlert::Coach => "coaching",
            DspAlert::Slipping => "slipping",
            DspAlert::Disputable => "disputable",
            DspAlert::CoachingDue => "check due",
        }
    }

    fn bit(self) -> u8 {
        1 << DspAlert::ALL.iter().position(|a| *a == self).unwrap_or(0)
    }
}

/// A set of alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct DspAlerts(u8);

impl DspAlerts {
    pub fn set(&mut self, alert: DspAlert, on: bool) {
        if on {
            self.0 |= alert.bit();
        }
    }

    pub fn contains(self, alert: DspAlert) -> bool {
        self.0 & alert.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Most severe first.
    pub fn iter(self) -> impl Iterator<Item = DspAlert> {
        DspAlert::ALL.into_iter().filter(move |a| self.contains(*a))
    }

    /// The codes in alphabetical order, as files write them.
    pub fn sorted_codes(self) -> Vec<&'static str> {
        let mut codes: Vec<&str> = self.iter().map(DspAlert::code).collect();
        codes.sort_unstable();
        codes
    }
}

/// When a metric calls for coaching (*settings*): past `bound` (below it for a metric
/// where higher is better, above it otherwise; at it too when `inclusive`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    pub metric: DspMetric,
    pub bound: f64,
    #[serde(default)]
    pub inclusive: bool,
}

impl Trigger {
    pub fn is_past(&self, value: f64) -> bool {
        let below = self.metric.higher_is_better();
        match (below, self.inclusive) {
            (true, false) => value < self.bound - 1e-12,
            (true, true) => value <= self.bound + 1e-12,
            (false, false) => value > self.bound + 1e-12,
            (false, true) => value >= self.bound - 1e-12,
        }
    }

    /// "DCR below 99.0%", "CED at or above 1": for print, where "≥" may not be at hand.
    pub fn sentence(&self) -> String {
        let words = match (self.metric.higher_is_better(), self.inclusive) {
            (true, false) => "below",
            (true, true) => "at or below",
            (false, false) => "above",
            (false, true) => "at or above",
        };
        format!("{} {words} {}", self.metric.label(), self.metric.show(self.bound))
    }

    /// "DCR < 99.0%", "CED ≥ 1".
    pub fn words(&self) -> String {
        let sign = match (self.metric.higher_is_better(), self.inclusive) {
            (true, false) => "<",
            (true, true) => "≤",
            (false, false) => ">",
            (false, true) => "≥",
        };
        format!("{} {sign} {}", self.metric.label(), self.metric.show(self.bound))
    }
}

/// The coaching triggers: SPEC §7.2's defaults DCR < 99 %, POD < 99 %, CC < 98 %, CDF
/// DPMO > 800, CED ≥ 1, DSB DPMO > 233.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoachTriggers(pub Vec<Trigger>);

impl Default for CoachTriggers {
    fn default() -> Self {
        let t = |metric, bound, inclusive| Trigger { metric, bound, inclusive };
        CoachTriggers(vec![
            t(DspMetric::Dcr, 0.99, false),
            t(DspMetric::Pod, 0.99, false),
            t(DspMetric::Cc, 0.98, false),
            t(DspMetric::CdfDpmo, 800.0, false),
            t(DspMetric::Ced, 1.0, true),
            t(DspMetric::DsbDpmo, 233.0, false),
        ])
    }
}

impl CoachTriggers {
    /// The metrics of a row past their trigger, in the triggers' order.
    pub fn past(&self, row: &DaWeek) -> Vec<DspMetric> {
        self.0.iter().filter(|t| row.value(t.metric).is_some_and(|v| t.is_past(v))).map(|t| t.metric).collect()
    }
}

/// The metrics worse in the last week than in the one before, and in that one than in the
/// one before it: three consecutive weeks of `history` (a DA's weeks in order, the last the
/// week looked at).
pub fn slipping(history: &[DaWeek]) -> Vec<DspMetric> {
    let [.., two_before, before, now] = history else { return Vec::new() };
    if before.week != now.week.previous() || two_before.week != before.week.previous() {
        return Vec::new();
    }
    (0..METRICS)
        .filter_map(|i| {
            let metric = DspMetric::ALL[i];
            let (a, b, c) = (two_before.values[i]?, before.values[i]?, now.values[i]?);
            // Whole-number metrics move by whole steps; others by more than rounding.
            let worse = |x: f64, y: f64| match metric.form() {
                Form::Whole => metric.worse(x, y) && (x - y).abs() >= 0.5,
                _ => metric.worse(x, y) && (x - y).abs() > 1e-9,
            };
            (worse(b, a) && worse(c, b)).then_some(metric)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_past_on_the_right_side() {
        let t = CoachTriggers::default();
        let dcr = t.0[0];
        assert!(dcr.is_past(0.985) && !dcr.is_past(0.99) && !dcr.is_past(0.995));
        let ced = t.0[4];
        assert!(ced.is_past(1.0) && !ced.is_past(0.0));
        let cdf = t.0[3];
        assert!(cdf.is_past(801.0) && !cdf.is_past(800.0));
        assert_eq!(dcr.words(), "DCR < 99.0%");
        assert_eq!(ced.words(), "CED ≥ 1");
        let mut set = DspAlerts::default();
        set.set(DspAlert::TierDrop, true);
        set.set(DspAlert::AtRisk, true);
        set.set(DspAlert::Coach, false);
        assert_eq!(set.sorted_codes(), ["AT_RISK", "TIER_DROP"]);
        assert_eq!(set.iter().next(), Some(DspAlert::AtRisk));
    }
}
