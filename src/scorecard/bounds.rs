//! Each scorecard metric's tier bounds (SPEC §7.2): the `[dsp.<metric>]` sections of the
//! thresholds file, one bound per tier of each scale but the lowest, and which way is
//! better. Shipped defaults and their sources: docs/rules.md §12.3. A tier the file does
//! not give is computed from these.

use super::metrics::{DspMetric, DspTier, Scale};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a tier bound is set on: a metric, or the overall score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    Metric(DspMetric),
    OverallScore,
}

impl Measure {
    pub fn all() -> impl Iterator<Item = Measure> {
        DspMetric::ALL.into_iter().map(Measure::Metric).chain(std::iter::once(Measure::OverallScore))
    }

    pub fn key(self) -> &'static str {
        match self {
            Measure::Metric(m) => m.key(),
            Measure::OverallScore => "overall_score",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::Metric(m) => m.label(),
            Measure::OverallScore => "Overall score",
        }
    }

    fn index(self) -> usize {
        match self {
            Measure::Metric(m) => DspMetric::ALL.iter().position(|x| *x == m).unwrap_or(0),
            Measure::OverallScore => DspMetric::ALL.len(),
        }
    }
}

/// One measure's bounds: per scale, the value each tier but the lowest needs (best first;
/// `None`: the tier is not given for this measure, as Fantastic Plus is only overall).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureBounds {
    pub higher_is_better: bool,
    pub classic: [Option<f64>; 4],
    pub named: [Option<f64>; 3],
}

impl MeasureBounds {
    pub fn of_scale(&self, scale: Scale) -> &[Option<f64>] {
        match scale {
            Scale::Classic => &self.classic,
            Scale::Named2025 => &self.named,
        }
    }

    pub fn of_scale_mut(&mut self, scale: Scale) -> &mut [Option<f64>] {
        match scale {
            Scale::Classic => &mut self.classic,
            Scale::Named2025 => &mut self.named,
        }
    }

    /// Whether `value` meets `bound` (at least it, or at most it when lower is better).
    pub fn meets(&self, value: f64, bound: f64) -> bool {
        if self.higher_is_better { value >= bound - 1e-9 } else { value <= bound + 1e-9 }
    }

    /// The tier of `value` in `scale`: the best whose bound it meets, else the lowest.
    pub fn tier(&self, value: f64, scale: Scale) -> DspTier {
        let tiers = scale.tiers();
        self.of_scale(scale)
            .iter()
            .zip(tiers)
            .find(|(bound, _)| bound.is_some_and(|b| self.meets(value, b)))
            .map_or(tiers[tiers.len() - 1], |(_, tier)| *tier)
    }
}

/// Every measure's bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct DspBounds {
    measures: Vec<MeasureBounds>,
}

impl Default for DspBounds {
    fn default() -> Self {
        DspBounds { measures: Measure::all().map(default_bounds).collect() }
    }
}

/// The shipped defaults (docs/rules.md §12.3): estimates, since Amazon publishes none and
/// they vary by station; `calibrate --scorecard` learns them from the files.
fn default_bounds(measure: Measure) -> MeasureBounds {
    use DspMetric as M;
    // Fantastic, Great, Fair; the 2025 scale's Platinum, Gold, Silver stand on the same lines.
    let (higher, [fantastic, great, fair], plus) = match measure {
        Measure::Metric(M::Dcr) => (true, [0.995, 0.99, 0.98], None),
        Measure::Metric(M::DnrDpmo) => (false, [1100.0, 2000.0, 3500.0], None),
        Measure::Metric(M::Pod) => (true, [0.99, 0.98, 0.97], None),
        Measure::Metric(M::Cc) => (true, [0.98, 0.95, 0.90], None),
        Measure::Metric(M::CdfDpmo) => (false, [800.0, 1500.0, 2500.0], None),
        Measure::Metric(M::Ced) => (false, [0.0, 0.0, 1.0], None),
        Measure::Metric(M::DsbDpmo) => (false, [233.0, 500.0, 1000.0], None),
        Measure::Metric(M::Fico) => (true, [800.0, 750.0, 700.0], None),
        Measure::Metric(M::Psb) => (false, [100.0, 300.0, 600.0], None),
        Measure::Metric(_) => (false, [0.0, 0.05, 0.1], None),
        Measure::OverallScore => (true, [90.0, 80.0, 70.0], Some(95.0)),
    };
    MeasureBounds {
        higher_is_better: higher,
        classic: [plus, Some(fantastic), Some(great), Some(fair)],
        named: [Some(fantastic), Some(great), Some(fair)],
    }
}

impl DspBounds {
    pub fn get(&self, measure: Measure) -> &MeasureBounds {
        &self.measures[measure.index()]
    }

    pub fn get_mut(&mut self, measure: Measure) -> &mut MeasureBounds {
        &mut self.measures[measure.index()]
    }

    /// The `[dsp]` table of a thresholds file over the defaults (other sections ignored).
    pub fn from_toml(text: &str, path: &str) -> Result<DspBounds, BoundsError> {
        let file: ThresholdsFile =
            toml::from_str(text).map_err(|e| BoundsError { path: path.to_string(), message: e.to_string() })?;
        DspBounds::over_defaults(file.dsp).map_err(|message| BoundsError { path: path.to_string(), message })
    }

    /// Bounds given per measure key, over the defaults.
    fn over_defaults(given: BTreeMap<String, GivenBounds>) -> Result<DspBounds, String> {
        let mut bounds = DspBounds::default();
        for (key, given) in given {
            let measure = Measure::all().find(|m| m.key() == key).ok_or_else(|| {
                format!(
                    "[dsp.{key}]: not a scorecard metric (expected one of: {})",
                    Measure::all().map(Measure::key).collect::<Vec<_>>().join(", ")
                )
            })?;
            let b = bounds.get_mut(measure);
            if let Some(h) = given.higher_is_better {
                b.higher_is_better = h;
            }
            for (slot, value) in
                b.classic.iter_mut().zip([given.fantastic_plus, given.fantastic, given.great, given.fair])
            {
                if value.is_some() {
                    *slot = value;
                }
            }
            for (slot, value) in b.named.iter_mut().zip([given.platinum, given.gold, given.silver]) {
                if value.is_some() {
                    *slot = value;
                }
            }
            check_order(b, measure)?;
        }
        Ok(bounds)
    }

    pub fn load(path: &std::path::Path) -> Result<DspBounds, BoundsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| BoundsError { path: shown.clone(), message: format!("cannot read: {e}") })?;
        DspBounds::from_toml(&text, &shown)
    }

    /// The `[dsp.<metric>]` sections, every bound written (usable as `--thresholds`).
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            dsp: BTreeMap<&'a str, GivenBounds>,
        }
        toml::to_string_pretty(&Out { dsp: self.given() }).unwrap_or_default()
    }

    fn given(&self) -> BTreeMap<&'static str, GivenBounds> {
        Measure::all()
            .map(|m| {
                let b = self.get(m);
                let given = GivenBounds {
                    higher_is_better: Some(b.higher_is_better),
                    fantastic_plus: b.classic[0],
                    fantastic: b.classic[1],
                    great: b.classic[2],
                    fair: b.classic[3],
                    platinum: b.named[0],
                    gold: b.named[1],
                    silver: b.named[2],
                };
                (m.key(), given)
            })
            .collect()
    }
}

/// In settings files: the `[dsp.<metric>]` tables' shape, every bound written; read over the
/// defaults, bounds that cross refused.
impl Serialize for DspBounds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.given().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DspBounds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DspBounds, D::Error> {
        let given = BTreeMap::<String, GivenBounds>::deserialize(deserializer)?;
        DspBounds::over_defaults(given).map_err(serde::de::Error::custom)
    }
}

/// Bounds must not cross: each tier needs at least what the tier below it needs.
fn check_order(b: &MeasureBounds, measure: Measure) -> Result<(), String> {
    for scale in [Scale::Classic, Scale::Named2025] {
        let given: Vec<f64> = b.of_scale(scale).iter().flatten().copied().collect();
        if given.iter().any(|v| !v.is_finite()) {
            return Err(format!("[dsp.{}]: bounds must be numbers", measure.key()));
        }
        let ordered = given.windows(2).all(|w| if b.higher_is_better { w[0] >= w[1] } else { w[0] <= w[1] });
        if !ordered {
            let way = if b.higher_is_better { "at least" } else { "at most" };
            return Err(format!(
                "[dsp.{}]: each tier's bound must be {way} the next tier's (best first)",
                measure.key()
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BoundsError {
    pub path: String,
    pub message: String,
}

#[derive(Deserialize)]
struct ThresholdsFile {
    #[serde(default)]
    dsp: BTreeMap<String, GivenBounds>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenBounds {
    #[serde(skip_serializing_if = "Option::is_none")]
    higher_is_better: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fantastic_plus: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fantastic: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    great: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fair: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platinum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gold: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    silver: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_the_tiers_of_spec_7_3s_examples() {
        let b = DspBounds::default();
        let dnr = b.get(Measure::Metric(DspMetric::DnrDpmo));
        assert_eq!(dnr.tier(3000.0, Scale::Classic), DspTier::Fair);
        assert_eq!(dnr.tier(2890.0, Scale::Classic), DspTier::Fair);
        assert_eq!(dnr.tier(1445.0, Scale::Classic), DspTier::Great);
        // Fantastic Plus is the overall standing's only: a metric tops out at Fantastic.
        assert_eq!(dnr.tier(0.0, Scale::Classic), DspTier::Fantastic);
        assert_eq!(dnr.tier(9000.0, Scale::Classic), DspTier::Poor);
        assert_eq!(dnr.tier(9000.0, Scale::Named2025), DspTier::Bronze);
        let dcr = b.get(Measure::Metric(DspMetric::Dcr));
        assert_eq!(dcr.tier(0.99, Scale::Classic), DspTier::Great);
        assert_eq!(dcr.tier(0.999, Scale::Named2025), DspTier::Platinum);
        assert_eq!(b.get(Measure::OverallScore).tier(96.0, Scale::Classic), DspTier::FantasticPlus);
    }

    #[test]
    fn the_thresholds_file_sets_some_bounds_and_round_trips() {
        let text = "[reliability]\ngreat = 0.9\n[dsp.dcr]\nfantastic = 0.997\n[dsp.fico]\nhigher_is_better = true\ngold = 760\n";
        let b = DspBounds::from_toml(text, "t.toml").unwrap();
        assert_eq!(b.get(Measure::Metric(DspMetric::Dcr)).classic[1], Some(0.997));
        assert_eq!(b.get(Measure::Metric(DspMetric::Fico)).named[1], Some(760.0));
        assert_eq!(DspBounds::from_toml(&b.to_toml(), "x").unwrap(), b);
        let err = DspBounds::from_toml("[dsp.dcr]\nfantastic = 0.9\ngreat = 0.95\n", "t.toml").unwrap_err();
        assert!(err.to_string().contains("[dsp.dcr]") && err.to_string().contains("at least"), "{err}");
        let err = DspBounds::from_toml("[dsp.speed]\nfair = 1\n", "t.toml").unwrap_err();
        assert!(err.to_string().contains("not a scorecard metric"), "{err}");
        assert!(DspBounds::from_toml("[dsp.dcr]\nfantastik = 1\n", "t.toml").is_err());
    }
}
