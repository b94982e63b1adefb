//! DSP mode (SPEC §7): Amazon's weekly scorecard per delivery associate (DA), beside the
//! Flex standing, not inside it. `week` and `metrics` are the vocabulary the import reads
//! scorecards with; the rest is the model: each DA's weeks with their tiers (given by the
//! file, or computed from [`bounds`]), alerts, and the impact of a dispute.

pub mod alerts;
pub mod bounds;
pub mod impact;
pub mod learn;
pub mod metrics;
pub mod week;

use crate::import::columns as col;
use alerts::{CoachTriggers, DspAlert, DspAlerts};
use bounds::{DspBounds, Measure};
use metrics::{DspMetric, DspTier, Scale};
use polars_core::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use week::Week;

/// DSP mode's settings: the week's first day, the coaching triggers and the tier bounds.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DspSettings {
    pub week_starts: week::WeekStart,
    pub triggers: CoachTriggers,
    pub bounds: DspBounds,
}

impl DspSettings {
    pub fn is_default(&self) -> bool {
        *self == DspSettings::default()
    }
}

/// How many metrics a scorecard row has.
pub const METRICS: usize = DspMetric::ALL.len();

/// A tier and whether Standwatch computed it (the file gave none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiered {
    pub tier: DspTier,
    pub computed: bool,
}

/// One DA's scorecard of one week.
#[derive(Debug, Clone, PartialEq)]
pub struct DaWeek {
    /// Index into [`Scorecards::das`].
    pub da: usize,
    pub week: Week,
    pub delivered: Option<f64>,
    /// Per metric of [`DspMetric::ALL`].
    pub values: [Option<f64>; METRICS],
    pub tiers: [Option<Tiered>; METRICS],
    pub overall: Option<Tiered>,
    pub score: Option<f64>,
    pub alerts: DspAlerts,
    /// The metrics past their coaching trigger (COACH).
    pub coach: Vec<DspMetric>,
    /// The metrics worse three weeks running (SLIPPING).
    pub slipping: Vec<DspMetric>,
}

impl DaWeek {
    pub fn value(&self, metric: DspMetric) -> Option<f64> {
        self.values[metric_index(metric)]
    }

    pub fn tier(&self, metric: DspMetric) -> Option<Tiered> {
        self.tiers[metric_index(metric)]
    }

    /// The scale its tiers are in: of a tier the file gave, else of its week's.
    /// How much the row needs attention: the lowest tier, then a drop, coaching, slipping,
    /// a dispute to file.
    pub fn attention(&self) -> u32 {
        let weights = [(DspAlert::AtRisk, 16), (DspAlert::TierDrop, 8), (DspAlert::Coach, 4), (DspAlert::Slipping, 2)];
        weights.iter().filter(|(a, _)| self.alerts.contains(*a)).map(|(_, w)| w).sum::<u32>()
            + u32::from(self.alerts.contains(DspAlert::Disputable))
    }

    /// The week's alerts in words, the metrics named ("Coaching: DCR, POD · Slipping: CC").
    pub fn alert_words(&self) -> String {
        let names = |metrics: &[DspMetric]| metrics.iter().map(|m| m.label()).collect::<Vec<_>>().join(", ");
        self.alerts
            .iter()
            .map(|a| match a {
                DspAlert::Coach => format!("{}: {}", a.words(), names(&self.coach)),
                DspAlert::Slipping => format!("{}: {}", a.words(), names(&self.slipping)),
                _ => a.words().to_string(),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    pub fn scale(&self) -> Option<Scale> {
        self.overall
            .into_iter()
            .chain(self.tiers.iter().flatten().copied())
            .find(|t| !t.computed)
            .map(|t| t.tier.scale())
    }
}

pub fn metric_index(metric: DspMetric) -> usize {
    DspMetric::ALL.iter().position(|m| *m == metric).unwrap_or(0)
}

/// A delivery associate: id, name, and their rows (weeks in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Da {
    pub id: String,
    pub name: Option<String>,
    pub rows: Range<usize>,
}

/// Every DA's weeks, with tiers and alerts.
#[derive(Debug, Clone, Default)]
pub struct Scorecards {
    /// Sorted by id.
    pub das: Vec<Da>,
    /// By DA, then week.
    pub rows: Vec<DaWeek>,
    /// The weeks any DA has, in order.
    pub weeks: Vec<Week>,
    pub bounds: DspBounds,
    pub triggers: CoachTriggers,
    pub week_starts: week::WeekStart,
}

/// A scorecard row as read, before tiers are computed.
struct Read {
    id: String,
    name: Option<String>,
    week: Week,
    delivered: Option<f64>,
    values: [Option<f64>; METRICS],
    tiers: [Option<DspTier>; METRICS],
    overall: Option<DspTier>,
    score: Option<f64>,
}

impl Scorecards {
    /// The DAs' weeks of a scorecards frame (one row per DA and week), named by the
    /// roster where the scorecard gives no name.
    pub fn build(
        frame: &DataFrame,
        roster_names: &HashMap<String, String>,
        settings: &DspSettings,
    ) -> PolarsResult<Scorecards> {
        let (bounds, triggers, week_starts) =
            (settings.bounds.clone(), settings.triggers.clone(), settings.week_starts);
        let mut read = read_rows(frame)?;
        read.sort_by(|a, b| (&a.id, a.week).cmp(&(&b.id, b.week)));
        // The scale of each week: of the tiers its rows give (the most common), else Classic.
        let mut scales: BTreeMap<Week, (usize, usize)> = BTreeMap::new();
        for r in &read {
            let given = r.overall.into_iter().chain(r.tiers.iter().flatten().copied()).next();
            let counts = scales.entry(r.week).or_default();
            match given.map(DspTier::scale) {
                Some(Scale::Classic) => counts.0 += 1,
                Some(Scale::Named2025) => counts.1 += 1,
                None => {}
            }
        }
        let week_scale = |w: Week| match scales.get(&w) {
            Some((classic, named)) if named > classic => Scale::Named2025,
            _ => Scale::Classic,
        };
        let mut das: Vec<Da> = Vec::new();
        let mut rows = Vec::with_capacity(read.len());
        for r in read {
            if das.last().is_none_or(|d| d.id != r.id) {
                let start = rows.len();
                das.push(Da { id: r.id.clone(), name: None, rows: start..start });
            }
            let da = das.len() - 1;
            if let Some(name) = r.name.as_ref().filter(|n| !n.is_empty()) {
                das[da].name = Some(name.clone());
            }
            let scale = r
                .overall
                .into_iter()
                .chain(r.tiers.iter().flatten().copied())
                .next()
                .map_or_else(|| week_scale(r.week), DspTier::scale);
            let mut tiers = [None; METRICS];
            for (i, metric) in DspMetric::ALL.into_iter().enumerate() {
                tiers[i] = match (r.tiers[i], r.values[i]) {
                    (Some(tier), _) => Some(Tiered { tier, computed: false }),
                    (None, Some(v)) => {
                        Some(Tiered { tier: bounds.get(Measure::Metric(metric)).tier(v, scale), computed: true })
                    }
                    (None, None) => None,
                };
            }
            let overall = match (r.overall, r.score) {
                (Some(tier), _) => Some(Tiered { tier, computed: false }),
                (None, Some(s)) => {
                    Some(Tiered { tier: bounds.get(Measure::OverallScore).tier(s, scale), computed: true })
                }
                (None, None) => None,
            };
            rows.push(DaWeek {
                da,
                week: r.week,
                delivered: r.delivered,
                values: r.values,
                tiers,
                overall,
                score: r.score,
                alerts: DspAlerts::default(),
                coach: Vec::new(),
                slipping: Vec::new(),
            });
            das[da].rows.end = rows.len();
        }
        for da in &mut das {
            if da.name.is_none() {
                da.name = roster_names.get(&da.id).cloned();
            }
        }
        let mut weeks: Vec<Week> = rows.iter().map(|r| r.week).collect();
        weeks.sort();
        weeks.dedup();
        let mut scorecards = Scorecards { das, rows, weeks, bounds, triggers, week_starts };
        scorecards.raise_alerts();
        Ok(scorecards)
    }

    /// SPEC §7.2's alerts of every row but DISPUTABLE (which needs the defects: see
    /// [`Scorecards::mark_disputable`]).
    fn raise_alerts(&mut self) {
        for d in 0..self.das.len() {
            let range = self.das[d].rows.clone();
            for i in range.clone() {
                let row = &self.rows[i];
                let before = (i > range.start).then(|| &self.rows[i - 1]);
                let coach = self.triggers.past(row);
                let slipping = alerts::slipping(&self.rows[range.start..=i]);
                let mut set = DspAlerts::default();
                set.set(DspAlert::AtRisk, row.overall.is_some_and(|t| t.tier.is_lowest()));
                set.set(
                    DspAlert::TierDrop,
                    matches!((row.overall, before.and_then(|b| b.overall)), (Some(now), Some(then)) if now.tier.worse_than(then.tier)),
                );
                set.set(DspAlert::Coach, !coach.is_empty());
                set.set(DspAlert::Slipping, !slipping.is_empty());
                let row = &mut self.rows[i];
                row.alerts = set;
                row.coach = coach;
                row.slipping = slipping;
            }
        }
    }

    /// DISPUTABLE for the DA-weeks that have a defect with a ground and no case: the DA's
    /// package events (their exceptions and concessions) of the week, in the Flex fleet.
    pub fn mark_disputable(&mut self, fleet: &crate::standing::Fleet) {
        for d in 0..self.das.len() {
            let Some(driver) = fleet.driver_index(&self.das[d].id) else { continue };
            let mut weeks: Vec<Week> = fleet
                .disputable_package_days(driver)
                .into_iter()
                .map(|day| Week::of_day(day, self.week_starts))
                .collect();
            weeks.sort();
            weeks.dedup();
            for week in weeks {
                if let Some(i) = self.row_index(&self.das[d].id, week) {
                    self.rows[i].alerts.set(DspAlert::Disputable, true);
                }
            }
        }
    }

    /// COACHING_DUE (SPEC §8) for the DA-weeks by whose last day a coaching entry's
    /// follow-up day has passed without an outcome. `coaching`: per driver id, each entry's
    /// (follow-up day, outcome day).
    pub fn mark_coaching_due(&mut self, coaching: &crate::standing::CoachingMarks) {
        for d in 0..self.das.len() {
            let Some(entries) = coaching.get(&self.das[d].id) else { continue };
            for i in self.das[d].rows.clone() {
                let last_day = self.rows[i].week.end(self.week_starts);
                if crate::standing::coaching_due(entries, last_day) {
                    self.rows[i].alerts.set(DspAlert::CoachingDue, true);
                }
            }
        }
    }

    pub fn da_index(&self, id: &str) -> Option<usize> {
        self.das.binary_search_by(|d| d.id.as_str().cmp(id)).ok()
    }

    fn row_index(&self, id: &str, week: Week) -> Option<usize> {
        let da = &self.das[self.da_index(id)?];
        let rows = &self.rows[da.rows.clone()];
        rows.binary_search_by(|r| r.week.cmp(&week)).ok().map(|i| da.rows.start + i)
    }

    /// The DA's row of a week.
    pub fn row(&self, id: &str, week: Week) -> Option<&DaWeek> {
        self.row_index(id, week).map(|i| &self.rows[i])
    }

    /// The DA's weeks, in order.
    pub fn history(&self, da: usize) -> &[DaWeek] {
        &self.rows[self.das[da].rows.clone()]
    }

    /// Every DA's row of a week, by DA id.
    pub fn week_rows(&self, week: Week) -> Vec<&DaWeek> {
        self.das.iter().filter_map(|d| self.row(&d.id, week)).collect()
    }

    /// The day a week's disputes and sheets look from: the week's last day plus the lag,
    /// when all its events count.
    pub fn week_as_of(&self, fleet: &crate::standing::Fleet, week: Week) -> crate::import::time::Day {
        week.end(self.week_starts) + fleet.thresholds.windows.lag_days as i32
    }

    /// The DA's defects of a week (SPEC §7.3): its package events (exceptions and
    /// concessions) of the week's days, oldest first; none for an id the fleet lacks.
    pub fn week_defects(
        &self,
        fleet: &crate::standing::Fleet,
        id: &str,
        week: Week,
    ) -> PolarsResult<Vec<crate::standing::Event>> {
        let Some(driver) = fleet.driver_index(id) else { return Ok(Vec::new()) };
        let days = week.start(self.week_starts)..=week.end(self.week_starts);
        let mut events: Vec<_> =
            fleet.events(driver, self.week_as_of(fleet, week))?.into_iter().filter(|e| days.contains(&e.day)).collect();
        events.sort_by_key(|e| e.time);
        Ok(events)
    }

    pub fn newest_week(&self) -> Option<Week> {
        self.weeks.last().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn read_rows(frame: &DataFrame) -> PolarsResult<Vec<Read>> {
    let ids = col::DRIVER_ID.read(frame)?;
    let names = col::DRIVER_NAME.read(frame)?;
    let weeks = col::WEEK.read(frame)?;
    let delivered = col::DELIVERED.read(frame)?;
    let overall = col::OVERALL_TIER.read(frame)?;
    let score = col::OVERALL_SCORE.read(frame)?;
    let mut values: Vec<Vec<Option<f64>>> = Vec::with_capacity(METRICS);
    let mut tiers: Vec<Vec<Option<u32>>> = Vec::with_capacity(METRICS);
    for metric in DspMetric::ALL {
        values.push(frame.column(metric.key())?.f64()?.iter().collect());
        tiers.push(frame.column(metric.tier_key())?.u32()?.iter().collect());
    }
    let mut out = Vec::with_capacity(frame.height());
    for row in 0..frame.height() {
        let (Some(id), Some(week)) = (ids[row], weeks[row].and_then(|w| Week::from_code(w as i32))) else { continue };
        let mut v = [None; METRICS];
        let mut t = [None; METRICS];
        for i in 0..METRICS {
            v[i] = values[i][row];
            t[i] = tiers[i][row].and_then(DspTier::from_code);
        }
        out.push(Read {
            id: id.to_string(),
            name: names[row].map(str::to_string),
            week,
            delivered: delivered[row],
            values: v,
            tiers: t,
            overall: overall[row].and_then(DspTier::from_code),
            score: score[row],
        });
    }
    Ok(out)
}
