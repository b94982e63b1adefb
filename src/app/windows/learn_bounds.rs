//! The window that learns each scorecard metric's tier bounds from the scorecards on
//! screen (SPEC §7.2, on a worker thread): the agreement per metric now and with the
//! learnt bounds, the bounds that change; they apply only when the user accepts.

use crate::app::commands::Command;
use crate::app::worker::{Job, JobError};
use crate::scorecard::bounds::{DspBounds, MeasureBounds};
use crate::scorecard::learn::Learnt;
use crate::scorecard::metrics::Scale;
use eframe::egui::{self, RichText};
use std::convert::Infallible;

pub struct LearnBoundsWindow {
    /// The bounds in use, to show what changes.
    current: DspBounds,
    job: Option<Job<Learnt, Infallible>>,
    result: Option<Result<Learnt, JobError<Infallible>>>,
}

impl LearnBoundsWindow {
    pub fn new(current: DspBounds, job: Job<Learnt, Infallible>) -> LearnBoundsWindow {
        LearnBoundsWindow { current, job: Some(job), result: None }
    }

    /// Returns false once the window is closed.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) -> bool {
        if let Some(result) = self.job.as_ref().and_then(Job::poll) {
            self.job = None;
            self.result = Some(result);
        }
        let mut open = true;
        let mut close = false;
        egui::Window::new("Learn the scorecard tier bounds")
            .open(&mut open)
            .collapsible(false)
            .default_width(620.0)
            .show(ctx, |ui| match (&self.job, &self.result) {
                (Some(job), _) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Fitting each metric's bounds to the tiers the scorecards give…");
                        if ui.button("Cancel").clicked() {
                            job.cancel();
                            close = true;
                        }
                    });
                }
                (None, Some(Err(e))) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                }
                (None, Some(Ok(learnt))) => close |= result_ui(ui, &self.current, learnt, commands),
                (None, None) => {}
            });
        open && !close
    }
}

/// "Great 98.0% → 98.5%, Fair …" for the bounds of a measure that change.
fn changes(before: &MeasureBounds, after: &MeasureBounds, show: impl Fn(f64) -> String) -> String {
    let mut parts = Vec::new();
    for scale in [Scale::Classic, Scale::Named2025] {
        for ((a, b), tier) in before.of_scale(scale).iter().zip(after.of_scale(scale)).zip(scale.tiers()) {
            if a != b {
                let shown = |v: &Option<f64>| v.map_or_else(|| "none".to_string(), &show);
                parts.push(format!("{} {} → {}", tier.label(), shown(a), shown(b)));
            }
        }
    }
    parts.join(", ")
}

/// The agreement and the choice; true when the user chose.
fn result_ui(ui: &mut egui::Ui, current: &DspBounds, learnt: &Learnt, commands: &mut Vec<Command>) -> bool {
    if learnt.agreement.is_empty() {
        ui.label("The scorecards give no tier beside a value: nothing to learn the bounds from.");
        return ui.button("Close").clicked();
    }
    let share = |k: usize, n: usize| if n == 0 { 0.0 } else { 100.0 * k as f64 / n as f64 };
    let (rows, before, after) =
        learnt.agreement.iter().fold((0, 0, 0), |(r, b, a), x| (r + x.rows, b + x.before, a + x.after));
    ui.label(
        RichText::new(format!(
            "Tiers reproduced: {before}/{rows} ({:.1}%) now, {after}/{rows} ({:.1}%) with the learnt bounds",
            share(before, rows),
            share(after, rows)
        ))
        .strong(),
    );
    ui.add_space(6.0);
    egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
        egui::Grid::new("learnt-bounds").striped(true).num_columns(5).show(ui, |ui| {
            for title in ["Measure", "Rows with a tier", "Now", "Learnt", "Bounds that change"] {
                ui.strong(title);
            }
            ui.end_row();
            for a in &learnt.agreement {
                ui.label(a.measure.label());
                ui.label(a.rows.to_string());
                ui.label(format!("{:.1}%", share(a.before, a.rows)));
                ui.label(RichText::new(format!("{:.1}%", share(a.after, a.rows))).strong());
                let show = |v: f64| match a.measure {
                    crate::scorecard::bounds::Measure::Metric(m) => m.show(v),
                    crate::scorecard::bounds::Measure::OverallScore => format!("{v}"),
                };
                let text = changes(current.get(a.measure), learnt.bounds.get(a.measure), show);
                ui.label(if text.is_empty() { RichText::new("none").weak() } else { RichText::new(text) });
                ui.end_row();
            }
        });
    });
    ui.add_space(8.0);
    let mut chose = false;
    ui.horizontal(|ui| {
        let differ = learnt.bounds != *current;
        if ui.add_enabled(differ, egui::Button::new("Apply these bounds")).clicked() {
            commands.push(Command::ApplyDspBounds(Box::new(learnt.bounds.clone())));
            chose = true;
        }
        if ui.button("Keep the current bounds").clicked() {
            chose = true;
        }
    });
    chose
}
