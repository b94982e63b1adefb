//! SPEC §7.1: Amazon's weekly scorecard, read like every kind through [`Table`]; then each
//! row's week completed from the file's name or `--week` ([`resolve_weeks`]), and the row
//! keyed by its DA and week (a week imported again replaces the DA's row).

use super::cells::{Cells, FieldError};
use super::columns as col;
use super::read::Parsed;
use super::table::{Maybe, Strs, Table, lines};
use super::{ImportError, Rejection, excerpt};
use crate::scorecard::metrics::{DspMetric, DspTier, Form, NotAValue, parse_value, says_no_value};
use crate::scorecard::week::{Week, WeekText, parse_week, week_in_name};
use polars_core::prelude::*;

/// SPEC §7.1: one row per delivery associate and week of Amazon's scorecard, in the
/// fields of [`super::fields::SCORECARD_FIELDS`]. A week missing from the row is filled
/// from the file's name or `--week` afterwards ([`super::scorecard_weeks`]).
#[derive(Default)]
pub(super) struct Scorecards {
    line: Vec<u32>,
    driver_id: Strs,
    driver_name: Strs,
    week: Maybe<u32>,
    week_number: Maybe<u32>,
    delivered: Maybe<f64>,
    overall_tier: Maybe<u32>,
    overall_score: Maybe<f64>,
    values: [Maybe<f64>; 14],
    tiers: [Maybe<u32>; 14],
}

/// A scorecard tier cell: `None` when blank or saying no value.
fn dsp_tier(c: &Cells, field: usize) -> Result<Option<DspTier>, FieldError> {
    let Some(text) = c.text(field).filter(|t| !says_no_value(t)) else { return Ok(None) };
    DspTier::parse(text).map(Some).ok_or_else(|| FieldError {
        field,
        reason: format!(
            "'{}' is not a scorecard tier (Fantastic Plus, Fantastic, Great, Fair, Poor; or Platinum, Gold, \
             Silver, Bronze)",
            excerpt(text)
        ),
    })
}

/// A value cell in the metric's form.
fn dsp_value(c: &Cells, field: usize, form: Form) -> Result<Option<f64>, FieldError> {
    let Some(text) = c.text(field) else { return Ok(None) };
    parse_value(form, text).map_err(|NotAValue(reason)| FieldError { field, reason })
}

impl Table for Scorecards {
    fn reserve(&mut self, rows: usize) {
        self.line.reserve(rows);
    }

    fn read(&mut self, c: &mut Cells) -> Result<(), FieldError> {
        use super::fields::{SCORECARD_METRICS, SCORECARD_TIERS};
        let driver_id = c.required(0)?;
        let year = match c.text(3) {
            Some(text) => Some(
                year_cell(text)
                    .ok_or_else(|| FieldError { field: 3, reason: format!("'{}' is not a year", excerpt(text)) })?,
            ),
            None => None,
        };
        let (week, week_number) = match c.text(2).map(|text| (text, parse_week(text))) {
            None => (None, None),
            Some((_, Some(WeekText::Week(w)))) => (Some(w), None),
            Some((text, Some(WeekText::Number(n)))) => match year {
                Some(y) => (
                    Some(Week::new(y, n).ok_or_else(|| FieldError {
                        field: 2,
                        reason: format!("week {n} of {y} does not exist ('{}')", excerpt(text)),
                    })?),
                    None,
                ),
                None => (None, Some(n)),
            },
            Some((text, None)) => {
                return Err(FieldError {
                    field: 2,
                    reason: format!("'{}' is not a week (2026-W17, W17 2026, Week 17 or 17)", excerpt(text)),
                });
            }
        };
        let delivered = dsp_value(c, 4, Form::Whole)?;
        // A `Score` column holding tier words is the overall tier.
        let (score_tier, overall_score) = match c.text(6) {
            Some(text) if !says_no_value(text) && DspTier::parse(text).is_some() => (DspTier::parse(text), None),
            _ => (None, dsp_value(c, 6, Form::Score)?),
        };
        let overall_tier = dsp_tier(c, 5)?.or(score_tier);
        let mut values = [None; 14];
        let mut tiers = [None; 14];
        for (i, metric) in DspMetric::ALL.into_iter().enumerate() {
            values[i] = dsp_value(c, SCORECARD_METRICS + i, metric.form())?;
            tiers[i] = dsp_tier(c, SCORECARD_TIERS + i)?;
        }
        self.line.push(u32::try_from(c.line).unwrap_or(u32::MAX));
        self.driver_id.push(Some(driver_id));
        self.driver_name.push(c.text(1));
        self.week.push(week.map(|w| w.code() as u32));
        self.week_number.push(week_number);
        self.delivered.push(delivered);
        self.overall_tier.push(overall_tier.map(DspTier::code));
        self.overall_score.push(overall_score);
        for i in 0..14 {
            self.values[i].push(values[i]);
            self.tiers[i].push(tiers[i].map(DspTier::code));
        }
        Ok(())
    }

    fn frame(self) -> Result<DataFrame, ImportError> {
        let numbers =
            |name: &str, values: Maybe<u32>| UInt32Chunked::with_chunk(name.into(), values.freeze()).into_column();
        let decimals =
            |name: &str, values: Maybe<f64>| Float64Chunked::with_chunk(name.into(), values.freeze()).into_column();
        let mut columns = vec![
            lines(self.line),
            self.driver_id.column(col::DRIVER_ID.name()),
            self.driver_name.column(col::DRIVER_NAME.name()),
            numbers(col::WEEK.name(), self.week),
            numbers(col::WEEK_NUMBER.name(), self.week_number),
            decimals(col::DELIVERED.name(), self.delivered),
            numbers(col::OVERALL_TIER.name(), self.overall_tier),
            decimals(col::OVERALL_SCORE.name(), self.overall_score),
        ];
        for ((metric, values), tiers) in DspMetric::ALL.into_iter().zip(self.values).zip(self.tiers) {
            columns.push(decimals(metric.key(), values));
            columns.push(numbers(metric.tier_key(), tiers));
        }
        Ok(DataFrame::new_infer_height(columns)?)
    }
}

/// Every row's week: its own, else its week number in the year of the file's name or of
/// `--week`, else the week of the file's name, else `--week`; a row left without one is
/// rejected. Then each row gets its key, [`col::DA_WEEK`].
pub(super) fn resolve_weeks(parsed: &mut Parsed, path: &str, given: Option<Week>) -> Result<(), ImportError> {
    let name = std::path::Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into());
    let fallback = week_in_name(&name).or(given);
    let frame = &parsed.frame;
    let weeks = col::WEEK.read(frame)?;
    let numbers = col::WEEK_NUMBER.read(frame)?;
    let lines = col::LINE.read(frame)?;
    let ids = col::DRIVER_ID.read(frame)?;
    let mut resolved: Vec<Option<u32>> = Vec::with_capacity(weeks.len());
    let mut keys: Vec<Option<String>> = Vec::with_capacity(weeks.len());
    let mut keep = Vec::with_capacity(weeks.len());
    for (((week, number), line), id) in weeks.into_iter().zip(numbers).zip(lines).zip(ids) {
        let week = match (week, number) {
            (Some(code), _) => Ok(code),
            (None, Some(n)) => match fallback {
                Some(f) => Week::new(f.year, n)
                    .map(|w| w.code() as u32)
                    .ok_or_else(|| format!("week {n} does not exist in {}", f.year)),
                None => Err(format!("week {n} of which year? Give a Year column, a week in the file's name or --week")),
            },
            (None, None) => fallback.map(|w| w.code() as u32).ok_or_else(|| {
                "no week: give a Week column, a week in the file's name (… Week 17 2026 …) or --week".to_string()
            }),
        };
        match week {
            Ok(code) => {
                resolved.push(Some(code));
                keys.push(id.map(|id| format!("{id}\u{1f}{code}")));
                keep.push(true);
            }
            Err(reason) => {
                parsed.rejections.push(Rejection {
                    file: path.to_string(),
                    line: u64::from(line.unwrap_or(0)),
                    column: col::WEEK.name().to_string(),
                    reason,
                });
                resolved.push(None);
                keys.push(None);
                keep.push(false);
            }
        }
    }
    let mut frame = parsed.frame.drop(col::WEEK_NUMBER.name())?;
    frame.with_column(UInt32Chunked::from_iter_options(col::WEEK.name().into(), resolved.into_iter()).into_column())?;
    frame.with_column(StringChunked::from_iter_options(col::DA_WEEK.name().into(), keys.into_iter()).into_column())?;
    if keep.iter().any(|k| !k) {
        frame = frame.filter(&BooleanChunked::from_slice("keep".into(), &keep))?;
    }
    parsed.frame = frame;
    parsed.rejections.sort_by_key(|r| r.line);
    Ok(())
}

/// A `Year` cell: four digits.
fn year_cell(text: &str) -> Option<i32> {
    let year: i32 = text.trim().parse().ok()?;
    (1990..=2200).contains(&year).then_some(year)
}
