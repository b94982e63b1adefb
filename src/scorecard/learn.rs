//! Learning each metric's tier bounds from scorecards that give both the value and its
//! tier (SPEC §7.2, §3.9's rule per metric): the bounds that reproduce the most rows, ties
//! going to the bounds nearest the current ones. Exact: the rows sorted by value, a
//! scale's tiers are consecutive runs of them, and the best runs are found by dynamic
//! programming over the distinct values.

use super::bounds::{DspBounds, Measure, MeasureBounds};
use super::metrics::{DspMetric, DspTier, Scale};
use super::{METRICS, Scorecards, metric_index};

/// One measure's observations (value, tier given) of one scale.
type Observations = Vec<(f64, DspTier)>;

/// How many rows a measure's bounds reproduce, before and after learning.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub measure: Measure,
    pub rows: usize,
    pub before: usize,
    pub after: usize,
}

/// The learnt bounds and the agreement per measure (those with observations).
#[derive(Debug, Clone)]
pub struct Learnt {
    pub bounds: DspBounds,
    pub agreement: Vec<Agreement>,
}

/// Every measure's observations in the scorecards: rows with a value and a tier the file gave.
fn observations(cards: &Scorecards, measure: Measure) -> Observations {
    cards
        .rows
        .iter()
        .filter_map(|r| {
            let (value, tier) = match measure {
                Measure::Metric(m) => (r.value(m)?, r.tier(m)?),
                Measure::OverallScore => (r.score?, r.overall?),
            };
            (!tier.computed).then_some((value, tier.tier))
        })
        .collect()
}

/// Learns every measure's bounds from `cards`, starting from (and keeping where nothing
/// is observed) `current`.
pub fn learn(cards: &Scorecards, current: &DspBounds) -> Learnt {
    let mut bounds = current.clone();
    let mut agreement = Vec::new();
    for measure in Measure::all() {
        let all = observations(cards, measure);
        if all.is_empty() {
            continue;
        }
        let before = current.get(measure);
        let after = learn_measure(before, &all);
        let agree = |b: &MeasureBounds| all.iter().filter(|(v, t)| b.tier(*v, t.scale()) == *t).count();
        agreement.push(Agreement { measure, rows: all.len(), before: agree(before), after: agree(&after) });
        *bounds.get_mut(measure) = after;
    }
    Learnt { bounds, agreement }
}

/// One measure's bounds for each scale it has observations of.
pub fn learn_measure(current: &MeasureBounds, observed: &[(f64, DspTier)]) -> MeasureBounds {
    let mut learnt = *current;
    for scale in [Scale::Classic, Scale::Named2025] {
        let of_scale: Vec<(f64, DspTier)> = observed.iter().copied().filter(|(_, t)| t.scale() == scale).collect();
        if of_scale.is_empty() {
            continue;
        }
        let tiers = scale.tiers();
        // A tier with no bound (Fantastic Plus of a metric) stays without one unless seen.
        let used: Vec<usize> = (0..tiers.len())
            .filter(|&j| {
                j + 1 == tiers.len()
                    || current.of_scale(scale)[j].is_some()
                    || of_scale.iter().any(|(_, t)| *t == tiers[j])
            })
            .collect();
        let sign = if current.higher_is_better { 1.0 } else { -1.0 };
        let cur: Vec<f64> = used[..used.len() - 1]
            .iter()
            .map(|&j| sign * current.of_scale(scale)[j].unwrap_or(f64::INFINITY))
            .collect();
        let positions: Vec<(f64, usize)> = of_scale
            .iter()
            .filter_map(|(v, t)| used.iter().position(|&j| tiers[j] == *t).map(|p| (sign * v, p)))
            .collect();
        let cuts = best_bounds(&positions, used.len(), &cur);
        let slots = learnt.of_scale_mut(scale);
        for (&j, bound) in used.iter().zip(cuts) {
            slots[j] = Some(sign * bound);
        }
    }
    learnt
}

/// The bounds (higher is better) of `tiers` tiers that reproduce the most of `observed`
/// (value, tier position best first), nearest `current` among equals: `tiers − 1` bounds.
fn best_bounds(observed: &[(f64, usize)], tiers: usize, current: &[f64]) -> Vec<f64> {
    // Distinct values, highest first, with each tier's count.
    let mut sorted: Vec<(f64, usize)> = observed.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut values: Vec<f64> = Vec::new();
    let mut counts: Vec<Vec<u32>> = Vec::new();
    for (v, t) in sorted {
        if values.last() != Some(&v) {
            values.push(v);
            counts.push(vec![0; tiers]);
        }
        if let Some(c) = counts.last_mut() {
            c[t] += 1;
        }
    }
    let groups = values.len();
    // prefix[t][g]: rows of tier t among the first g groups.
    let mut prefix = vec![vec![0i64; groups + 1]; tiers];
    for t in 0..tiers {
        for g in 0..groups {
            prefix[t][g + 1] = prefix[t][g] + i64::from(counts[g][t]);
        }
    }
    // A cut after `c` groups for bound j: the bound lies in (values[c], values[c − 1]];
    // its cost is how far the nearest such bound is from the current one.
    let interval = |c: usize| -> (f64, f64) {
        let high = if c == 0 { f64::INFINITY } else { values[c - 1] };
        let low = if c == groups { f64::NEG_INFINITY } else { values[c] };
        (low, high)
    };
    let place = |j: usize, c: usize| -> f64 {
        let (low, high) = interval(c);
        let want = current.get(j).copied().unwrap_or(f64::INFINITY);
        if want > low && want <= high {
            return want;
        }
        if want <= low {
            // Just above the next value down: the midpoint to it when there is room above.
            if high.is_finite() { (low + high) / 2.0 } else { low + low.abs().max(1.0) * 1e-6 }
        } else {
            high
        }
    };
    let cost = |j: usize, c: usize| -> f64 {
        let want = current.get(j).copied().unwrap_or(f64::INFINITY);
        let at = place(j, c);
        if want.is_finite() { (at - want).abs() } else { 0.0 }
    };
    // best[j][c]: (rows reproduced, −cost) of tiers 0..=j covering the first c groups.
    type Score = (i64, f64);
    let better = |a: Score, b: Score| a.0 > b.0 || (a.0 == b.0 && a.1 > b.1);
    let mut best: Vec<Vec<Score>> = vec![vec![(i64::MIN, 0.0); groups + 1]; tiers];
    let mut from: Vec<Vec<usize>> = vec![vec![0; groups + 1]; tiers];
    for c in 0..=groups {
        best[0][c] = (prefix[0][c], 0.0);
    }
    for j in 1..tiers {
        // Running best over the previous cut s ≤ c of best[j−1][s] − prefix[j][s], with the
        // cost of bound j − 1 at s.
        let mut run: Score = (i64::MIN, 0.0);
        let mut run_at = 0;
        for c in 0..=groups {
            let prev = best[j - 1][c];
            if prev.0 != i64::MIN {
                let candidate = (prev.0 - prefix[j][c], prev.1 - cost(j - 1, c));
                if better(candidate, run) {
                    run = candidate;
                    run_at = c;
                }
            }
            best[j][c] = (run.0 + prefix[j][c], run.1);
            from[j][c] = run_at;
        }
    }
    // Walk back from all groups covered.
    let mut cuts = vec![groups; tiers];
    for j in (1..tiers).rev() {
        cuts[j - 1] = from[j][cuts[j]];
    }
    (0..tiers - 1).map(|j| place(j, cuts[j])).collect()
}

/// The metrics with observations, for reports.
pub fn metrics_observed(cards: &Scorecards) -> [usize; METRICS] {
    let mut out = [0; METRICS];
    for metric in DspMetric::ALL {
        out[metric_index(metric)] = observations(cards, Measure::Metric(metric)).len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bounds(higher: bool, classic: [Option<f64>; 4]) -> MeasureBounds {
        MeasureBounds { higher_is_better: higher, classic, named: [None, None, None] }
    }

    #[test]
    fn separable_observations_are_all_reproduced_and_ties_keep_the_current_bound() {
        let current = bounds(true, [None, Some(0.99), Some(0.98), Some(0.97)]);
        let seen = vec![
            (0.999, DspTier::Fantastic),
            (0.996, DspTier::Fantastic),
            (0.993, DspTier::Great),
            (0.985, DspTier::Fair),
            (0.975, DspTier::Fair),
            (0.95, DspTier::Poor),
        ];
        let learnt = learn_measure(&current, &seen);
        for (v, t) in &seen {
            assert_eq!(learnt.tier(*v, Scale::Classic), *t, "{v}: {learnt:?}");
        }
        // Fantastic's bound moves into (0.993, 0.996]; Fair's stays at 0.97 (it already fits).
        let fantastic = learnt.classic[1].unwrap();
        assert!(fantastic > 0.993 && fantastic <= 0.996, "{fantastic}");
        assert_eq!(learnt.classic[3], Some(0.97));
        assert_eq!(learnt.classic[0], None, "no Fantastic Plus seen: none learnt");
    }

    #[test]
    fn lower_is_better_and_noise_keep_the_majority() {
        let current = bounds(false, [None, Some(1000.0), Some(2000.0), Some(3000.0)]);
        let mut seen = Vec::new();
        for i in 0..200 {
            let v = f64::from(i) * 25.0; // 0 .. 4975
            let t = match v {
                v if v <= 1500.0 => DspTier::Fantastic,
                v if v <= 2500.0 => DspTier::Great,
                v if v <= 3500.0 => DspTier::Fair,
                _ => DspTier::Poor,
            };
            seen.push((v, t));
        }
        seen.push((100.0, DspTier::Poor)); // one row against the rest
        let learnt = learn_measure(&current, &seen);
        let agree = seen.iter().filter(|(v, t)| learnt.tier(*v, Scale::Classic) == *t).count();
        assert_eq!(agree, seen.len() - 1);
        assert_eq!(learnt.tier(1500.0, Scale::Classic), DspTier::Fantastic);
        assert_eq!(learnt.tier(1525.0, Scale::Classic), DspTier::Great);
    }

    proptest! {
        /// Tiers made with hidden bounds are reproduced on held-out values (≥ 97 %).
        #[test]
        fn hidden_bounds_are_learnt(
            higher in any::<bool>(),
            mut hidden in proptest::collection::vec(0.0f64..1000.0, 3),
            seed in any::<u64>(),
        ) {
            hidden.sort_by(|a, b| if higher { b.total_cmp(a) } else { a.total_cmp(b) });
            let truth = bounds(higher, [None, Some(hidden[0]), Some(hidden[1]), Some(hidden[2])]);
            let mut state = seed | 1;
            let mut next = || { state ^= state << 13; state ^= state >> 7; state ^= state << 17; (state % 100_000) as f64 / 100.0 };
            let train: Vec<(f64, DspTier)> = (0..600).map(|_| { let v = next(); (v, truth.tier(v, Scale::Classic)) }).collect();
            let held: Vec<(f64, DspTier)> = (0..600).map(|_| { let v = next(); (v, truth.tier(v, Scale::Classic)) }).collect();
            let start = bounds(higher, [None, Some(500.0), Some(500.0), Some(500.0)]);
            let learnt = learn_measure(&start, &train);
            prop_assert!(train.iter().all(|(v, t)| learnt.tier(*v, Scale::Classic) == *t));
            let agree = held.iter().filter(|(v, t)| learnt.tier(*v, Scale::Classic) == *t).count();
            prop_assert!(agree * 100 >= held.len() * 97, "{agree}/{}", held.len());
        }
    }
}

/// On generated scorecards, whose tiers come from bounds Standwatch does not ship: bounds
/// learnt from some weeks give the tiers of the other weeks (both scales) for at least
/// 97 % of the rows of every metric.
#[cfg(test)]
mod generated {
    use super::*;
    use crate::generate::{DspOptions, generate_dsp};
    use crate::import::{ImportOptions, ImportReport, TableKind, load_file};
    use crate::scorecard::DspSettings;

    fn cards_of(dir: &std::path::Path, weeks: &[u32]) -> Scorecards {
        let mut frame = TableKind::Scorecard.empty_frame().unwrap();
        for w in weeks {
            let path = dir.join(format!("scorecards/DSP Overview Week {w} 2026.csv"));
            let mut report = ImportReport::default();
            frame
                .vstack_mut_owned(
                    load_file(&path, TableKind::Scorecard, &ImportOptions::default(), &mut report).unwrap(),
                )
                .unwrap();
            assert!(report.rejections.is_empty(), "{:?}", report.rejections);
        }
        Scorecards::build(&frame, &Default::default(), &DspSettings::default()).unwrap()
    }

    #[test]
    fn bounds_learnt_on_some_weeks_give_the_tiers_of_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        generate_dsp(&DspOptions { das: 300, weeks: 8, seed: 11, start }, dir.path()).unwrap();
        // Weeks 2..9 of 2026; the files give metric tiers in weeks 3, 5, 7, 9, the first
        // half on Fantastic Plus … Poor, the second on Platinum … Bronze.
        let train = cards_of(dir.path(), &[3, 7]);
        let held_out = cards_of(dir.path(), &[5, 9]);
        let learnt = learn(&train, &DspBounds::default());
        for metric in [DspMetric::Dcr, DspMetric::DnrDpmo, DspMetric::Pod, DspMetric::Cc, DspMetric::Fico] {
            let measure = Measure::Metric(metric);
            let seen = observations(&held_out, measure);
            assert!(seen.len() >= 500, "{metric:?}: {}", seen.len());
            let bounds = learnt.bounds.get(measure);
            let agree = seen.iter().filter(|(v, t)| bounds.tier(*v, t.scale()) == *t).count();
            assert!(agree * 100 >= seen.len() * 97, "{metric:?}: {agree}/{}", seen.len());
        }
    }
}
