//! A chart of the chart model ([`crate::charts`]) drawn with egui_plot: the tier bands of
//! its [`Scale`], the history as a line, the projection dashed, event markers with their
//! hover text. The driver view's Flex metrics and the DA view's weekly metrics draw with it.

use crate::app::theme::tier_color;
use crate::charts::{Band, Scale};
use crate::report::day_text;
use crate::standing::rules::Tier;
use eframe::egui;
use egui_plot::{Axis, HoverPosition, Line, LineStyle, MarkerShape, Plot, PlotPoints, Points, Span};

/// An event marker on a chart: where it is drawn and its hover text.
pub struct Mark<'a> {
    pub at: [f64; 2],
    pub label: &'a str,
}

/// How a chart's values read on its axis and in its hover text.
#[derive(Debug, Clone, Copy)]
pub enum ValueAxis {
    /// A share, as a percentage with the decimals its step needs.
    Percent,
    /// Small whole counts (DNR claims), a line at each; the unit in the hover text.
    Count(&'static str),
    /// Numbers with thousands separators (DPMO, scores).
    Number,
}

/// What one chart draws.
pub struct ChartSpec<'a> {
    /// Tells this chart's state apart from the others' in egui's memory.
    pub id: &'a str,
    /// The history line's name.
    pub name: &'a str,
    pub height: f32,
    pub scale: &'a Scale,
    pub axis: ValueAxis,
    /// (day, value) points; a week's value stands on its first day.
    pub history: Vec<[f64; 2]>,
    pub projected: Vec<[f64; 2]>,
    pub marks: &'a [Mark<'a>],
}

/// Grid marks of a rate chart: a round step giving at most six labels, finer lines between.
fn rate_grid(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let range = (input.bounds.1 - input.bounds.0).max(1e-6);
    let steps = [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0];
    let step = steps.into_iter().find(|s| range / s <= 6.0).unwrap_or(1.0);
    let mut marks = Vec::new();
    let fine = step / 5.0;
    let first = (input.bounds.0 / fine).ceil() as i64;
    let last = (input.bounds.1 / fine).floor() as i64;
    for i in first..=last {
        let value = i as f64 * fine;
        let major = (i % 5) == 0;
        marks.push(egui_plot::GridMark { value, step_size: if major { step } else { fine } });
    }
    marks
}

/// Grid lines on a time axis of days: every Monday (every day when days are wide), dates
/// on those a whole number of weeks apart that leave room for a label (90 points), so
/// that dates never crowd a small chart and a wide one gets more of them.
pub fn day_grid(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (first, last) = (input.bounds.0.ceil() as i64, input.bounds.1.floor() as i64);
    // `base_step_size` is the days of the plot's smallest grid spacing (8 points).
    let room = input.base_step_size * 90.0 / 8.0;
    let labelled = [1, 7, 14, 28, 56, 112, 224].into_iter().find(|&s| s as f64 >= room).unwrap_or(364);
    // 1970-01-05, day 4, was a Monday.
    let weeks_from_monday = |day: i64, every: i64| (day - 4).rem_euclid(every) == 0;
    (first..=last)
        .filter(|&day| labelled == 1 || weeks_from_monday(day, 7))
        .map(|day| {
            // A mark's step decides its label (shown when the step is 60+ points wide) and
            // its line's strength: the other Mondays get a faint line and no label.
            let step = if labelled == 1 || weeks_from_monday(day, labelled) { labelled } else { 1 };
            egui_plot::GridMark { value: day as f64, step_size: step as f64 }
        })
        .collect()
}

/// A day axis's label: the date, but none in the last and first twentieth of the range,
/// where a label would be cut at the chart's edge.
pub fn day_label(mark: egui_plot::GridMark, range: &std::ops::RangeInclusive<f64>) -> String {
    let margin = (range.end() - range.start()) * 0.05;
    if mark.value < range.start() + margin || mark.value > range.end() - margin {
        return String::new();
    }
    day_text(mark.value.round() as i32)
}

/// Tier bands behind a chart.
fn bands(plot: &mut egui_plot::PlotUi, bands: &[Band]) {
    for band in bands.iter().filter(|band| band.high > band.low) {
        plot.add(
            Span::new("", band.low..=band.high)
                .axis(Axis::Y)
                .fill(tier_color(Some(band.tier)).gamma_multiply(0.18))
                .border_width(0.0),
        );
    }
}

/// Hover text of a chart: the event under a marker, else the day and value.
fn hover_label<'a>(
    marks: &'a [Mark<'a>],
    value: impl Fn(f64) -> String + 'a,
) -> impl Fn(&HoverPosition) -> Option<String> + 'a {
    move |position| match position {
        HoverPosition::NearDataPoint { plot_name: "events", index, .. } => {
            marks.get(*index).map(|m| m.label.to_string())
        }
        HoverPosition::NearDataPoint { position, .. } => {
            Some(format!("{}: {}", day_text(position.x.round() as i32), value(position.y)))
        }
        HoverPosition::Elsewhere { .. } => None,
    }
}

/// Draws a chart.
pub fn chart(ui: &mut egui::Ui, spec: &ChartSpec) {
    let scale = spec.scale;
    let line_color = ui.visuals().strong_text_color();
    let plot = Plot::new(("standing-chart", spec.id))
        .height(spec.height)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .include_y(scale.low)
        .include_y(scale.high)
        .y_axis_min_width(44.0)
        .x_grid_spacer(day_grid)
        .x_axis_formatter(day_label);
    let marks = spec.marks;
    let plot = match spec.axis {
        // Four to six labelled marks whatever the range (success between 92 and 100 % as
        // well as reliability from 0 to 100 %), with decimals when the step needs them.
        ValueAxis::Percent => plot
            .y_grid_spacer(rate_grid)
            .y_axis_formatter(|mark, _| {
                let decimals = if mark.step_size < 0.0099 { 1 } else { 0 };
                format!("{:.*}%", decimals, mark.value * 100.0)
            })
            .label_formatter(hover_label(marks, |y| format!("{:.1}%", y * 100.0))),
        // A line at every whole number; where they are too close to label each, the even
        // ones (a step of 2) keep their labels.
        ValueAxis::Count(unit) => plot
            .y_grid_spacer(|input| {
                let (low, high) = (input.bounds.0.ceil().max(0.0) as i64, input.bounds.1.floor() as i64);
                (low..=high)
                    .map(|n| egui_plot::GridMark { value: n as f64, step_size: if n % 2 == 0 { 2.0 } else { 1.0 } })
                    .collect()
            })
            .y_axis_formatter(|mark, _| format!("{}", mark.value.round() as i64))
            .label_formatter(hover_label(marks, move |y| format!("{} {unit}", y.round() as i64))),
        ValueAxis::Number => plot
            .y_axis_formatter(|mark, _| crate::scorecard::metrics::with_thousands(mark.value.round() as i64))
            .label_formatter(hover_label(marks, |y| crate::scorecard::metrics::with_thousands(y.round() as i64))),
    };
    let (history, projected) = (spec.history.clone(), spec.projected.clone());
    plot.show(ui, |plot| {
        bands(plot, &scale.bands);
        plot.line(Line::new(spec.name, PlotPoints::from(history)).color(line_color).width(2.0));
        if !projected.is_empty() {
            plot.line(
                Line::new("projected", PlotPoints::from(projected))
                    .color(line_color.gamma_multiply(0.7))
                    .width(1.5)
                    .style(LineStyle::dashed_dense()),
            );
        }
        if !marks.is_empty() {
            let points: Vec<[f64; 2]> = marks.iter().map(|m| m.at).collect();
            plot.points(
                Points::new("events", PlotPoints::from(points))
                    .shape(MarkerShape::Diamond)
                    .radius(4.0)
                    .color(tier_color(Some(Tier::AtRisk))),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labelled marks of a day axis of `days` days drawn `points` wide.
    fn labelled(first: f64, days: f64, points: f64) -> Vec<(i64, f64)> {
        let base_step_size = days / points * 8.0;
        day_grid(egui_plot::GridInput { bounds: (first, first + days), base_step_size })
            .into_iter()
            .map(|m| (m.value as i64, m.step_size))
            .filter(|(_, step)| step / days * points >= 60.0)
            .collect()
    }

    #[test]
    fn day_axes_label_mondays_far_enough_apart_for_a_date() {
        // A small chart: 120 days in 570 points.
        let small = labelled(20_450.0, 120.0, 570.0);
        assert!((3..=5).contains(&small.len()), "{small:?}");
        for pair in small.windows(2) {
            assert_eq!(pair[1].0 - pair[0].0, 28);
            assert!((pair[0].1 / 120.0 * 570.0) >= 90.0, "room for a date");
        }
        assert!(small.iter().all(|(day, _)| (day - 4).rem_euclid(7) == 0), "Mondays");
        // The same days twice as wide: a date every two weeks.
        let wide = labelled(20_450.0, 120.0, 1_230.0);
        assert!(wide.len() >= 2 * small.len() - 1 && wide.windows(2).all(|p| p[1].0 - p[0].0 == 14), "{wide:?}");
        // A week, wide: every day.
        assert_eq!(labelled(20_450.0, 6.0, 900.0).len(), 7);
        let edge = egui_plot::GridMark { value: 100.0, step_size: 28.0 };
        assert_eq!(day_label(edge, &(0.0..=102.0)), "", "cut at the edge");
        assert_eq!(day_label(egui_plot::GridMark { value: 50.0, step_size: 28.0 }, &(0.0..=102.0)), "1970-02-20");
    }
}
