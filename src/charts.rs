//! The chart model, apart from any drawing: what each chart of a driver's standing plots
//! (a metric's value each day), its value range and tier bands, its band labels, the
//! markers of events and their hover texts, and the tiers' colours. The app's charts
//! (egui_plot), the letter's PNG (plotters) and the coaching sheet's PDF draw from here.

use crate::config::{RateThresholds, Thresholds};
use crate::explain::{event_grounds_text, what_happened};
use crate::import::time::{Day, FleetZone};
use crate::report::day_text;
use crate::scorecard::bounds::MeasureBounds;
use crate::scorecard::metrics::{DspMetric, DspTier, Form, Scale as TierScale};
use crate::standing::grounds::Defects;
use crate::standing::rules::Tier;
use crate::standing::{Event, EventKind, Standing};

/// What a chart plots: a rate of the standing, or the DNR claims in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Reliability,
    Attempted,
    Success,
    OnTime,
    Dnr,
}

impl Metric {
    /// The charts in the order they are shown.
    pub const ALL: [Metric; 5] = [Metric::Reliability, Metric::Attempted, Metric::Success, Metric::OnTime, Metric::Dnr];
    pub const RATES: [Metric; 4] = [Metric::Reliability, Metric::Attempted, Metric::Success, Metric::OnTime];

    /// The metric in a word or two (the coaching sheets' small charts).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Reliability => "Reliability (last 20 blocks)",
            Metric::Attempted => "Attempted",
            Metric::Success => "Success (delivered)",
            Metric::OnTime => "On time",
            Metric::Dnr => "DNR claims (last 500 packages)",
        }
    }

    /// The chart's title in a sentence (the letter's chart).
    pub fn title(self) -> &'static str {
        match self {
            Metric::Reliability => "Reliability: on-time blocks, last 20",
            Metric::Attempted => "Attempted: packages delivered or attempted",
            Metric::Success => "Success: packages delivered",
            Metric::OnTime => "On time: packages delivered or attempted by the deadline",
            Metric::Dnr => "DNR claims in the last 500 packages",
        }
    }

    /// The chart's heading on screen, where the help text explains the window.
    pub fn heading(self) -> &'static str {
        match self {
            Metric::Reliability => "Reliability (on-time blocks)",
            Metric::Attempted => "Attempted",
            Metric::Success => "Success (delivered)",
            Metric::OnTime => "On time",
            Metric::Dnr => "DNR claims in the window",
        }
    }

    /// The report column (and help topic) of the metric.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Reliability => "reliability",
            Metric::Attempted => "attempted",
            Metric::Success => "success",
            Metric::OnTime => "on_time",
            Metric::Dnr => "dnr",
        }
    }

    pub fn is_rate(self) -> bool {
        self != Metric::Dnr
    }

    /// The metric on a day (a rate, or the DNR count); `None` without data.
    pub fn value(self, s: &Standing) -> Option<f64> {
        let rates = s.quality.rates();
        match self {
            Metric::Reliability => s.reliability.rate(),
            Metric::Attempted => rates.map(|r| r.attempted),
            Metric::Success => rates.map(|r| r.success),
            Metric::OnTime => rates.map(|r| r.on_time),
            Metric::Dnr => (s.quality.packages > 0).then_some(f64::from(s.quality.dnr)),
        }
    }

    /// The metric's points (day, value) over days of standing, leaving out days without data.
    pub fn points(self, days: &[Standing]) -> Vec<(Day, f64)> {
        days.iter().filter_map(|s| Some((s.as_of, self.value(s)?))).collect()
    }

    /// The metric's tier on a day; `None` without data.
    pub fn tier(self, s: &Standing, t: &Thresholds) -> Option<crate::standing::rules::Tier> {
        use crate::standing::rules::{dnr_tier, rate_tier};
        match self.rate_thresholds(t) {
            Some(r) => self.value(s).map(|v| rate_tier(v, &r)),
            None => (s.quality.packages > 0).then(|| dnr_tier(s.quality.dnr, &t.dnr)),
        }
    }

    /// The metric with the lowest tier on a day, where coaching starts (among as low, the
    /// first of [`Metric::ALL`]); `None` when every metric is Fantastic or has no data.
    pub fn weakest(s: &Standing, t: &Thresholds) -> Option<Metric> {
        use crate::standing::rules::Tier;
        let mut weakest: Option<(Tier, Metric)> = None;
        for metric in Metric::ALL {
            if let Some(tier) = metric.tier(s, t)
                && tier != Tier::Fantastic
                && weakest.is_none_or(|(w, _)| tier < w)
            {
                weakest = Some((tier, metric));
            }
        }
        weakest.map(|(_, m)| m)
    }

    /// The metric a coaching topic names (its heading or report column, any case).
    pub fn named(topic: &str) -> Option<Metric> {
        let topic = topic.trim();
        Metric::ALL.into_iter().find(|m| topic.eq_ignore_ascii_case(m.heading()) || topic.eq_ignore_ascii_case(m.key()))
    }

    /// The metric's value in words: a rate as a percentage, DNR claims as a count.
    pub fn value_text(self, s: &Standing) -> Option<String> {
        let v = self.value(s)?;
        Some(if self.is_rate() { format!("{:.1}%", v * 100.0) } else { format!("{v:.0} claims") })
    }

    pub fn rate_thresholds(self, t: &Thresholds) -> Option<RateThresholds> {
        match self {
            Metric::Reliability => Some(t.reliability),
            Metric::Attempted => Some(t.attempted),
            Metric::Success => Some(t.success),
            Metric::OnTime => Some(t.on_time),
            Metric::Dnr => None,
        }
    }

    /// Each tier's band named with its threshold, best first: "Fantastic ≥ 98.0%", "Fair ≤ 2".
    pub fn band_labels(self, t: &Thresholds) -> [String; 4] {
        match self.rate_thresholds(t) {
            Some(r) => {
                let pct = |v: f64| format!("{:.1}%", v * 100.0);
                [
                    format!("Fantastic ≥ {}", pct(r.fantastic)),
                    format!("Great ≥ {}", pct(r.great)),
                    format!("Fair ≥ {}", pct(r.fair)),
                    format!("At Risk < {}", pct(r.fair)),
                ]
            }
            None => {
                let d = t.dnr;
                [
                    format!("Fantastic ≤ {}", d.fantastic),
                    format!("Great ≤ {}", d.great),
                    format!("Fair ≤ {}", d.fair),
                    format!("At Risk > {}", d.fair),
                ]
            }
        }
    }

    /// The metrics an event lowers: a block miss lowers reliability; a package not
    /// attempted lowers attempted, success and on time; one not delivered, success; a
    /// late one, on time; a DNR claim adds to the DNR count.
    pub fn lowered_by(e: &Event) -> Vec<Metric> {
        match e.what {
            EventKind::Block { .. } => vec![Metric::Reliability],
            EventKind::Package { defects, .. } => {
                let mut metrics = Vec::new();
                if defects.contains(Defects::NOT_ATTEMPTED) {
                    metrics.extend([Metric::Attempted, Metric::Success, Metric::OnTime]);
                }
                if defects.contains(Defects::NOT_DELIVERED) && !metrics.contains(&Metric::Success) {
                    metrics.push(Metric::Success);
                }
                if defects.contains(Defects::LATE) && !metrics.contains(&Metric::OnTime) {
                    metrics.push(Metric::OnTime);
                }
                if defects.contains(Defects::DNR) {
                    metrics.push(Metric::Dnr);
                }
                metrics
            }
        }
    }
}

/// A tier's band of a chart, between two values of the metric: its colour's tier and the
/// name it is shown with (a scorecard tier keeps its own name).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub tier: Tier,
    pub name: &'static str,
    pub low: f64,
    pub high: f64,
}

/// A chart's value range and its tier bands, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub low: f64,
    pub high: f64,
    pub bands: Vec<Band>,
}

impl Scale {
    /// The range of a metric's chart holding `values`: rates from below the At Risk line
    /// (or the lowest value) to 100 %, DNR claims from 0 to above the most shown, each
    /// whole count in the middle of its band.
    pub fn of(metric: Metric, thresholds: &Thresholds, values: impl Iterator<Item = f64>) -> Scale {
        match metric.rate_thresholds(thresholds) {
            Some(t) => {
                let lowest = values.fold(t.fair - (1.0 - t.fair), f64::min);
                let low = (lowest - 0.005).max(0.0);
                let bands = vec![
                    Band { tier: Tier::Fantastic, name: "Fantastic", low: t.fantastic, high: 1.0 },
                    Band { tier: Tier::Great, name: "Great", low: t.great, high: t.fantastic },
                    Band { tier: Tier::Fair, name: "Fair", low: t.fair, high: t.great },
                    Band { tier: Tier::AtRisk, name: "At Risk", low, high: t.fair },
                ];
                Scale { low, high: 1.0, bands }
            }
            None => {
                let t = thresholds.dnr;
                let most = values.fold(f64::from(t.fair) + 2.0, f64::max);
                let edge = |n: u32| f64::from(n) + 0.5;
                let bands = vec![
                    Band { tier: Tier::Fantastic, name: "Fantastic", low: -0.5, high: edge(t.fantastic) },
                    Band { tier: Tier::Great, name: "Great", low: edge(t.fantastic), high: edge(t.great) },
                    Band { tier: Tier::Fair, name: "Fair", low: edge(t.great), high: edge(t.fair) },
                    Band { tier: Tier::AtRisk, name: "At Risk", low: edge(t.fair), high: most + 0.5 },
                ];
                Scale { low: -0.5, high: most + 0.5, bands }
            }
        }
    }
}

/// The colour a scorecard tier shows in (the scales share the four tier colours: Fantastic
/// Plus and Fantastic, and Platinum, in Fantastic's).
pub fn dsp_colour(tier: DspTier) -> Tier {
    match tier {
        DspTier::FantasticPlus | DspTier::Fantastic | DspTier::Platinum => Tier::Fantastic,
        DspTier::Great | DspTier::Gold => Tier::Great,
        DspTier::Fair | DspTier::Silver => Tier::Fair,
        DspTier::Poor | DspTier::Bronze => Tier::AtRisk,
    }
}

/// A scorecard metric's chart over the weeks: its tiers' bands in `tiers`' scale, from the
/// bounds, and a range holding `values` (shares up to 100 %, counts from 0).
pub fn dsp_scale(
    metric: DspMetric,
    bounds: &MeasureBounds,
    tiers: TierScale,
    values: impl Iterator<Item = f64>,
) -> Scale {
    let values: Vec<f64> = values.collect();
    let given: Vec<(DspTier, f64)> =
        bounds.of_scale(tiers).iter().zip(tiers.tiers()).filter_map(|(b, t)| Some((*t, (*b)?))).collect();
    let lowest = tiers.tiers()[tiers.tiers().len() - 1];
    let edges = given.iter().map(|g| g.1);
    let band = |tier: DspTier, low: f64, high: f64| Band { tier: dsp_colour(tier), name: tier.label(), low, high };
    let mut bands = Vec::new();
    if bounds.higher_is_better {
        let top = if metric.form() == Form::Percent {
            1.0
        } else {
            values.iter().copied().chain(edges.clone()).fold(f64::MIN, f64::max) * 1.02
        };
        let last = given.last().map_or(top, |g| g.1);
        let low = values.iter().copied().fold(last - (top - last).max(last.abs() * 0.01), f64::min);
        let mut upper = top;
        for &(tier, bound) in &given {
            bands.push(band(tier, bound, upper));
            upper = bound;
        }
        bands.push(band(lowest, low, upper));
        Scale { low, high: top, bands }
    } else {
        let last = given.last().map_or(1.0, |g| g.1);
        let high = values.iter().copied().fold(last * 1.25 + 1.0, f64::max);
        let mut lower = 0.0;
        for &(tier, bound) in &given {
            bands.push(band(tier, lower, bound));
            lower = bound;
        }
        bands.push(band(lowest, lower, high));
        Scale { low: 0.0, high, bands }
    }
}

/// An event on the charts: the day it starts to count, the metrics it lowers (the
/// charts that mark it), and its hover text.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub day: Day,
    pub metrics: Vec<Metric>,
    pub label: String,
}

impl Marker {
    /// The marker of an event: standing on a day counts events `lag_days` old.
    pub fn of(e: &Event, lag_days: u32, zone: FleetZone) -> Marker {
        let day = e.day + lag_days as Day;
        let when = zone.local(e.time).format("%Y-%m-%d %H:%M");
        let grounds = match event_grounds_text(e, zone) {
            text if text.is_empty() => "no dispute ground".to_string(),
            text => text,
        };
        let label =
            format!("{} ({when})\n{}\nGrounds: {grounds}\nCounts from {}", e.id, what_happened(e, zone), day_text(day));
        Marker { day, metrics: Metric::lowered_by(e), label }
    }

    pub fn marks(&self, metric: Metric) -> bool {
        self.metrics.contains(&metric)
    }
}

/// A tier's colour (red, green, blue) on every chart and badge; grey without a tier.
pub fn tier_rgb(tier: Option<Tier>) -> [u8; 3] {
    match tier {
        Some(Tier::Fantastic) => [0x2f, 0x80, 0xd0],
        Some(Tier::Great) => [0x2e, 0x9d, 0x5b],
        Some(Tier::Fair) => [0xd9, 0x9a, 0x06],
        Some(Tier::AtRisk) => [0xd4, 0x3f, 0x3a],
        None => [0x8a, 0x8f, 0x98],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_bands_reach_down_to_the_lowest_value_and_meet_at_the_thresholds() {
        let t = Thresholds::default();
        let scale = Scale::of(Metric::Success, &t, [0.99, 0.5, 0.97].into_iter());
        assert!((scale.low - 0.495).abs() < 1e-12, "{scale:?}");
        assert_eq!(scale.high, 1.0);
        for pair in scale.bands.windows(2) {
            assert_eq!(pair[0].low, pair[1].high, "bands meet");
        }
        assert_eq!(
            scale.bands[0],
            Band { tier: Tier::Fantastic, name: "Fantastic", low: t.success.fantastic, high: 1.0 }
        );
        assert_eq!(scale.bands[3].low, scale.low);
        // Without low values the At Risk band shows as much below Fair as Fair is below 100 %.
        let clean = Scale::of(Metric::Success, &t, std::iter::once(1.0));
        assert!((clean.low - (t.success.fair - (1.0 - t.success.fair) - 0.005)).abs() < 1e-12);
    }

    #[test]
    fn dnr_bands_hold_each_whole_count_in_their_middle() {
        let t = Thresholds::default();
        let scale = Scale::of(Metric::Dnr, &t, [0.0, 7.0].into_iter());
        assert_eq!((scale.low, scale.high), (-0.5, 7.5));
        let tier_of = |n: f64| scale.bands.iter().find(|b| b.low < n && n < b.high).map(|b| b.tier);
        assert_eq!(tier_of(f64::from(t.dnr.fantastic)), Some(Tier::Fantastic));
        assert_eq!(tier_of(f64::from(t.dnr.fair)), Some(Tier::Fair));
        assert_eq!(tier_of(f64::from(t.dnr.fair + 1)), Some(Tier::AtRisk));
        // Room above the At Risk line when every value is low.
        assert_eq!(Scale::of(Metric::Dnr, &t, std::iter::empty()).high, f64::from(t.dnr.fair) + 2.5);
    }

    #[test]
    fn band_labels_name_the_thresholds() {
        let t = Thresholds::default();
        let rates = Metric::OnTime.band_labels(&t);
        assert_eq!(rates[0], format!("Fantastic ≥ {:.1}%", t.on_time.fantastic * 100.0));
        assert_eq!(rates[3], format!("At Risk < {:.1}%", t.on_time.fair * 100.0));
        assert_eq!(Metric::Dnr.band_labels(&t)[3], format!("At Risk > {}", t.dnr.fair));
    }

    #[test]
    fn each_defect_marks_the_charts_of_the_metrics_it_lowers() {
        let package = |defects: Defects| Event {
            driver_id: "D1".into(),
            id: "T1".into(),
            day: 100,
            time: 100 * 86_400_000,
            what: EventKind::Package {
                defects,
                detail: Box::new(crate::standing::PackageDetail {
                    facts: crate::standing::grounds::PackageFacts {
                        outcome: crate::import::codes::Outcome::Delivered,
                        deliver_by: 100 * 86_400_000,
                        attempted_at: None,
                        on_time: true,
                        dnr: false,
                        reason: None,
                        contact_attempts: None,
                        has_photo: false,
                        concession: None,
                        pickup_failed: false,
                    },
                    reason_text: None,
                    photos: Vec::new(),
                    notes: None,
                    returned_at: None,
                    dnr_reported_at: None,
                    block_id: None,
                    carrier: None,
                    address: None,
                    cluster: None,
                }),
            },
            grounds: Default::default(),
            station: None,
            outage: None,
            in_case: false,
        };
        assert_eq!(Metric::lowered_by(&package(Defects::LATE)), vec![Metric::OnTime]);
        assert_eq!(Metric::lowered_by(&package(Defects::DNR)), vec![Metric::Dnr]);
        assert_eq!(
            Metric::lowered_by(&package({
                let mut all = Defects::NOT_ATTEMPTED;
                all.insert(Defects::NOT_DELIVERED);
                all.insert(Defects::LATE);
                all
            })),
            vec![Metric::Attempted, Metric::Success, Metric::OnTime]
        );
        assert_eq!(Metric::lowered_by(&package(Defects::NOT_DELIVERED)), vec![Metric::Success]);
        let marker = Marker::of(&package(Defects::DNR), 2, FleetZone::default());
        assert_eq!(marker.day, 102);
        assert!(marker.marks(Metric::Dnr) && !marker.marks(Metric::Success));
        assert!(marker.label.starts_with("T1 (") && marker.label.contains("Grounds: no dispute ground"));
        assert!(marker.label.ends_with(&format!("Counts from {}", day_text(102))), "{}", marker.label);
    }
}
