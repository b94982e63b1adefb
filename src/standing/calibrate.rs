//! docs/rules.md §7: fitting the 15 tier thresholds to tiers a person saw.
//!
//! Each observed driver-day's metrics are computed once (they depend on the windows, not
//! on the thresholds); then coordinate descent moves one threshold at a time to the value
//! that reproduces the most observed tiers, until no move helps. Candidate values of a rate
//! threshold are the midpoints between the observed values of its metric (so that a fit
//! generalises to rates between them), of a DNR threshold the counts observed.

use super::Fleet;
use super::rules::{QualityRates, Tier, dnr_tier, overall_tier, rate_tier};
use crate::config::Thresholds;
use crate::import::time::Day;

/// Tiers a person saw for a driver on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObservedTiers {
    pub overall: Tier,
    pub reliability: Option<Tier>,
    pub quality: Option<Tier>,
}

/// One observation: the driver (index in the fleet), the day, the tiers seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub driver: usize,
    pub day: Day,
    pub seen: ObservedTiers,
}

/// The metrics of an observed driver-day, as the engine computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Metrics {
    reliability: Option<f64>,
    quality: Option<QualityRates>,
    dnr: u32,
}

impl Metrics {
    fn tiers(&self, t: &Thresholds) -> (Option<Tier>, Option<Tier>, Option<Tier>) {
        let reliability = self.reliability.map(|r| rate_tier(r, &t.reliability));
        let quality = self.quality.map(|q| {
            rate_tier(q.attempted, &t.attempted)
                .min(rate_tier(q.success, &t.success))
                .min(rate_tier(q.on_time, &t.on_time))
                .min(dnr_tier(self.dnr, &t.dnr))
        });
        (reliability, quality, overall_tier(reliability, quality))
    }

    /// The value of one threshold's metric, when the day has it.
    fn value(&self, param: usize) -> Option<f64> {
        match param / 3 {
            0 => self.reliability,
            1 => self.quality.map(|q| q.attempted),
            2 => self.quality.map(|q| q.success),
            3 => self.quality.map(|q| q.on_time),
            _ => self.quality.map(|_| f64::from(self.dnr)),
        }
    }
}

/// The 15 thresholds, in the order of [`PARAM_NAMES`].
const PARAMS: usize = 15;

/// The thresholds by section and tier, as the TOML file names them.
pub const PARAM_NAMES: [&str; PARAMS] = [
    "[reliability] fantastic",
    "[reliability] great",
    "[reliability] fair",
    "[attempted] fantastic",
    "[attempted] great",
    "[attempted] fair",
    "[success] fantastic",
    "[success] great",
    "[success] fair",
    "[on_time] fantastic",
    "[on_time] great",
    "[on_time] fair",
    "[dnr] fantastic",
    "[dnr] great",
    "[dnr] fair",
];

fn params_of(t: &Thresholds) -> [f64; PARAMS] {
    let r = |x: &crate::config::RateThresholds| [x.fantastic, x.great, x.fair];
    let [a, b, c] = r(&t.reliability);
    let [d, e, f] = r(&t.attempted);
    let [g, h, i] = r(&t.success);
    let [j, k, l] = r(&t.on_time);
    [a, b, c, d, e, f, g, h, i, j, k, l, f64::from(t.dnr.fantastic), f64::from(t.dnr.great), f64::from(t.dnr.fair)]
}

fn with_params(base: &Thresholds, p: &[f64; PARAMS]) -> Thresholds {
    let mut t = *base;
    for (section, at) in [(&mut t.reliability, 0), (&mut t.attempted, 3), (&mut t.success, 6), (&mut t.on_time, 9)] {
        section.fantastic = p[at];
        section.great = p[at + 1];
        section.fair = p[at + 2];
    }
    // DNR thresholds are whole counts; candidates are whole numbers already.
    let count = |v: f64| v.round().clamp(0.0, f64::from(u32::MAX)) as u32;
    t.dnr.fantastic = count(p[12]);
    t.dnr.great = count(p[13]);
    t.dnr.fair = count(p[14]);
    t
}

/// The result of a calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub before: Thresholds,
    pub after: Thresholds,
    /// Observations used (their driver is in the data).
    pub observations: usize,
    /// Observations whose overall tier the thresholds reproduce.
    pub agree_before: usize,
    pub agree_after: usize,
    /// Observed overall tier (rows, best first) by computed overall tier after calibration
    /// (columns: best first, then No standing).
    pub matrix: [[usize; 5]; 4],
    /// The thresholds whose value no observation decides: any candidate agrees as well.
    pub unpinned: Vec<&'static str>,
}

/// How many tiers the thresholds reproduce: overall, and each component where seen.
fn score(metrics: &[Metrics], seen: &[ObservedTiers], t: &Thresholds) -> usize {
    metrics
        .iter()
        .zip(seen)
        .map(|(m, s)| {
            let (reliability, quality, overall) = m.tiers(t);
            usize::from(overall == Some(s.overall))
                + s.reliability.map_or(0, |r| usize::from(reliability == Some(r)))
                + s.quality.map_or(0, |q| usize::from(quality == Some(q)))
        })
        .sum()
}

fn overall_agreement(metrics: &[Metrics], seen: &[ObservedTiers], t: &Thresholds) -> usize {
    metrics.iter().zip(seen).filter(|(m, s)| m.tiers(t).2 == Some(s.overall)).count()
}

/// The values a threshold may take: midpoints between the observed values of its metric,
/// the lowest value itself (everyone qualifies), and the current value.
fn candidates(metrics: &[Metrics], param: usize, current: f64) -> Vec<f64> {
    let mut values: Vec<f64> = metrics.iter().filter_map(|m| m.value(param)).filter(|v| v.is_finite()).collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let mut out = vec![current];
    if param >= 12 {
        // Counts: every count up to one past the highest seen.
        let highest = values.last().copied().unwrap_or(0.0);
        out.extend((0..=(highest as u32 + 1)).map(f64::from));
    } else {
        out.extend(values.first().copied());
        out.extend(values.windows(2).map(|w| (w[0] + w[1]) / 2.0));
        // Above the highest value (nobody qualifies): halfway to a perfect rate, or just
        // past a perfect one.
        out.extend(values.last().map(|&top| if top < 1.0 { (top + 1.0) / 2.0 } else { top + 0.0005 }));
    }
    out
}

/// Whether a threshold's value keeps its section in order (fantastic, great, fair: rates
/// falling, DNR counts rising).
fn in_order(p: &[f64; PARAMS], param: usize, value: f64) -> bool {
    let first = param / 3 * 3;
    let mut section = [p[first], p[first + 1], p[first + 2]];
    section[param - first] = value;
    if param >= 12 {
        section[0] <= section[1] && section[1] <= section[2]
    } else {
        section[0] >= section[1] && section[1] >= section[2]
    }
}

/// Fits the thresholds to the observations; `base` gives the starting values (and the
/// windows, which are kept).
pub fn calibrate(fleet: &Fleet, observations: &[Observation], base: &Thresholds) -> Calibration {
    let metrics: Vec<Metrics> = observations
        .iter()
        .map(|o| {
            let s = fleet.standing(o.driver, o.day);
            Metrics { reliability: s.reliability.rate(), quality: s.quality.rates(), dnr: s.quality.dnr }
        })
        .collect();
    let seen: Vec<ObservedTiers> = observations.iter().map(|o| o.seen).collect();
    fit(&metrics, &seen, base)
}

fn fit(metrics: &[Metrics], seen: &[ObservedTiers], base: &Thresholds) -> Calibration {
    let mut p = params_of(base);
    let mut best = score(metrics, seen, base);
    let all_candidates: Vec<Vec<f64>> = (0..PARAMS).map(|i| candidates(metrics, i, p[i])).collect();
    // Each round can only raise the score, which is bounded: it ends.
    loop {
        let mut improved = false;
        for param in 0..PARAMS {
            let current = p[param];
            let mut chosen = (best, current);
            for &value in &all_candidates[param] {
                if value == current || !in_order(&p, param, value) {
                    continue;
                }
                let mut trial = p;
                trial[param] = value;
                let s = score(metrics, seen, &with_params(base, &trial));
                // Better, or as good and nearer the current value.
                if s > chosen.0 || (s == chosen.0 && (value - current).abs() < (chosen.1 - current).abs()) {
                    chosen = (s, value);
                }
            }
            if chosen.0 > best {
                best = chosen.0;
                p[param] = chosen.1;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    let after = with_params(base, &p);
    let unpinned = (0..PARAMS)
        .filter(|&param| {
            all_candidates[param].iter().all(|&value| {
                let mut trial = p;
                trial[param] = value;
                !in_order(&p, param, value) || score(metrics, seen, &with_params(base, &trial)) == best
            })
        })
        .map(|param| PARAM_NAMES[param])
        .collect();
    let mut matrix = [[0usize; 5]; 4];
    let column = |t: Option<Tier>| t.map_or(4, |t| Tier::ALL_BEST_FIRST.iter().position(|x| *x == t).unwrap_or(4));
    for (m, s) in metrics.iter().zip(seen) {
        matrix[column(Some(s.overall)).min(3)][column(m.tiers(&after).2)] += 1;
    }
    Calibration {
        before: *base,
        after,
        observations: metrics.len(),
        agree_before: overall_agreement(metrics, seen, base),
        agree_after: overall_agreement(metrics, seen, &after),
        matrix,
        unpinned,
    }
}

/// One row of an observed-tiers file (docs/rules.md §1.10), by driver id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedRow {
    pub driver_id: String,
    pub day: Day,
    pub seen: ObservedTiers,
}

/// The rows of an observed-tiers frame.
pub fn observed_rows(frame: &polars_core::prelude::DataFrame) -> polars_core::prelude::PolarsResult<Vec<ObservedRow>> {
    use crate::import::columns as col;
    let drivers = col::DRIVER_ID.read(frame)?;
    let days = col::DATE.read(frame)?;
    let number = |name: &str| -> polars_core::prelude::PolarsResult<Vec<Option<u32>>> {
        Ok(frame.column(name)?.u32()?.iter().collect())
    };
    let overall = number(col::OVERALL_TIER.name())?;
    let reliability = number(col::RELIABILITY_TIER.name())?;
    let quality = number(col::QUALITY_TIER.name())?;
    Ok((0..frame.height())
        .filter_map(|row| {
            Some(ObservedRow {
                driver_id: drivers[row]?.to_string(),
                day: days[row]?,
                seen: ObservedTiers {
                    overall: overall[row].and_then(Tier::from_number)?,
                    reliability: reliability[row].and_then(Tier::from_number),
                    quality: quality[row].and_then(Tier::from_number),
                },
            })
        })
        .collect())
}

/// The observations whose driver is in the fleet, and the ids of those that are not.
pub fn observations_of(fleet: &Fleet, rows: &[ObservedRow]) -> (Vec<Observation>, Vec<String>) {
    let mut found = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for row in rows {
        match fleet.driver_index(&row.driver_id) {
            Some(driver) => found.push(Observation { driver, day: row.day, seen: row.seen }),
            None if !unknown.contains(&row.driver_id) => unknown.push(row.driver_id.clone()),
            None => {}
        }
    }
    (found, unknown)
}

impl Calibration {
    /// The report `calibrate` prints: the thresholds before and after, those no
    /// observation decides, the confusion matrix, and last the agreement line.
    pub fn report_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let (before, after) = (params_of(&self.before), params_of(&self.after));
        let _ = writeln!(out, "Calibrated on {} observed driver-days.\n", self.observations);
        let _ = writeln!(out, "{:<24} {:>8} {:>8}", "threshold", "before", "after");
        for (i, name) in PARAM_NAMES.iter().enumerate() {
            let shown = |v: f64| if i >= 12 { format!("{v:.0}") } else { format!("{v:.4}") };
            let mark = if before[i] != after[i] { "  changed" } else { "" };
            let _ = writeln!(out, "{name:<24} {:>8} {:>8}{mark}", shown(before[i]), shown(after[i]));
        }
        if !self.unpinned.is_empty() {
            let _ = writeln!(out, "\nNot pinned down by any observation (kept): {}", self.unpinned.join(", "));
        }
        let _ = writeln!(out, "\nObserved (rows) by computed after calibration (columns), overall tier:");
        let _ = writeln!(
            out,
            "{:<12} {:>9} {:>9} {:>9} {:>9} {:>11}",
            "", "Fantastic", "Great", "Fair", "At Risk", "No standing"
        );
        for (row, tier) in Tier::ALL_BEST_FIRST.iter().enumerate() {
            let m = self.matrix[row];
            let _ = writeln!(out, "{:<12} {:>9} {:>9} {:>9} {:>9} {:>11}", tier.label(), m[0], m[1], m[2], m[3], m[4]);
        }
        let n = self.observations;
        let _ = write!(out, "\nagreement: {}/{n} after, {}/{n} before\n", self.agree_after, self.agree_before);
        out
    }
}

/// The values of the 15 thresholds, in the order of [`PARAM_NAMES`].
pub fn threshold_values(t: &Thresholds) -> [f64; PARAMS] {
    params_of(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(reliability: f64, on_time: f64, dnr: u32) -> Metrics {
        Metrics {
            reliability: Some(reliability),
            quality: Some(QualityRates { attempted: 1.0, success: 1.0, on_time }),
            dnr,
        }
    }

    /// Observations made with other thresholds are reproduced, and a threshold nothing
    /// decides is reported as such.
    #[test]
    fn recovers_thresholds_that_made_the_observations() {
        let mut secret = Thresholds::default();
        secret.reliability.fantastic = 0.97;
        secret.on_time.great = 0.93;
        secret.dnr.great = 2;
        let mut ms = Vec::new();
        for i in 0..=40 {
            for dnr in 0..4 {
                ms.push(metrics(0.80 + f64::from(i) * 0.005, 0.88 + f64::from(i) * 0.003, dnr));
            }
        }
        let seen: Vec<ObservedTiers> = ms
            .iter()
            .map(|m| {
                let (reliability, quality, overall) = m.tiers(&secret);
                ObservedTiers { overall: overall.unwrap(), reliability, quality }
            })
            .collect();
        let c = fit(&ms, &seen, &Thresholds::default());
        assert_eq!(c.agree_after, ms.len(), "{:?}", c.after);
        assert!(c.agree_before < ms.len());
        assert_eq!(c.after.dnr.great, 2);
        assert!((0.965..=0.97).contains(&c.after.reliability.fantastic), "{}", c.after.reliability.fantastic);
        // Every attempted and success rate is 1: their thresholds are not pinned down.
        assert!(c.unpinned.contains(&"[attempted] fair"), "{:?}", c.unpinned);
        assert!(!c.unpinned.contains(&"[reliability] fantastic"));
        assert_eq!(c.matrix.iter().flatten().sum::<usize>(), ms.len());
        // Ties keep the current value: a fit from the secret thresholds changes nothing.
        let again = fit(&ms, &seen, &secret);
        assert_eq!(again.after, secret);
    }
}
