//! The Calibrate window: the fit of the thresholds to the observed tiers (docs/rules.md
//! §7) computed on a worker thread, shown as agreement before and after, the thresholds
//! that change and the confusion matrix; the thresholds apply only when the user accepts.

use crate::app::commands::Command;
use crate::app::worker::{Job, JobError};
use crate::standing::calibrate::{Calibration, PARAM_NAMES, threshold_values};
use crate::standing::rules::Tier;
use eframe::egui::{self, RichText};
use std::convert::Infallible;

pub struct CalibrateWindow {
    /// The observed-tiers file, for the title line.
    file: String,
    job: Option<Job<Calibration, Infallible>>,
    result: Option<Result<Calibration, JobError<Infallible>>>,
}

impl CalibrateWindow {
    pub fn new(file: String, job: Job<Calibration, Infallible>) -> CalibrateWindow {
        CalibrateWindow { file, job: Some(job), result: None }
    }

    /// The calibration, once computed.
    pub fn result(&self) -> Option<&Calibration> {
        self.result.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// Returns false once the window is closed.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) -> bool {
        if let Some(result) = self.job.as_ref().and_then(Job::poll) {
            self.job = None;
            if let Err(e) = &result {
                tracing::error!("calibration failed: {e}");
            }
            self.result = Some(result);
        }
        let mut open = true;
        let mut close = false;
        egui::Window::new("Calibrate from observed tiers")
            .open(&mut open)
            .collapsible(false)
            .default_width(620.0)
            .show(ctx, |ui| {
                ui.label(format!("Observed tiers: {}", self.file));
                match (&self.job, &self.result) {
                    (Some(job), _) => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("Fitting the thresholds to the observed tiers…");
                            if ui.button("Cancel").clicked() {
                                job.cancel();
                                close = true;
                            }
                        });
                    }
                    (None, Some(Err(e))) => {
                        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    }
                    (None, Some(Ok(c))) => close |= result_ui(ui, c, commands),
                    (None, None) => {}
                }
            });
        open && !close
    }
}

/// The result and the choice; true when the user chose.
fn result_ui(ui: &mut egui::Ui, c: &Calibration, commands: &mut Vec<Command>) -> bool {
    let n = c.observations;
    let share = |k: usize| if n == 0 { 0.0 } else { 100.0 * k as f64 / n as f64 };
    ui.label(
        RichText::new(format!(
            "Agreement on the overall tier: {}/{n} ({:.1}%) now, {}/{n} ({:.1}%) with the fitted thresholds",
            c.agree_before,
            share(c.agree_before),
            c.agree_after,
            share(c.agree_after)
        ))
        .strong(),
    );
    ui.add_space(6.0);
    let (before, after) = (threshold_values(&c.before), threshold_values(&c.after));
    let changed: Vec<usize> = (0..PARAM_NAMES.len()).filter(|&i| before[i] != after[i]).collect();
    if changed.is_empty() {
        ui.label("The current thresholds already fit best: nothing to change.");
    } else {
        egui::Grid::new("calibration-changes").striped(true).show(ui, |ui| {
            ui.strong("Threshold");
            ui.strong("Now");
            ui.strong("Fitted");
            ui.end_row();
            for i in changed {
                let shown = |v: f64| if i >= 12 { format!("{v:.0}") } else { format!("{:.2}%", v * 100.0) };
                ui.label(PARAM_NAMES[i]);
                ui.label(shown(before[i]));
                ui.label(shown(after[i]));
                ui.end_row();
            }
        });
    }
    if !c.unpinned.is_empty() {
        ui.label(RichText::new(format!("No observation decides (kept): {}", c.unpinned.join(", "))).weak());
    }
    ui.add_space(6.0);
    ui.label("Observed (rows) by computed with the fitted thresholds (columns):");
    egui::Grid::new("confusion-matrix").striped(true).show(ui, |ui| {
        ui.label("");
        for t in Tier::ALL_BEST_FIRST {
            ui.strong(t.label());
        }
        ui.strong("No standing");
        ui.end_row();
        for (row, tier) in Tier::ALL_BEST_FIRST.iter().enumerate() {
            ui.strong(tier.label());
            for (column, count) in c.matrix[row].iter().enumerate() {
                let text = RichText::new(count.to_string());
                ui.label(if row == column { text.strong() } else { text });
            }
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    let mut chose = false;
    ui.horizontal(|ui| {
        if ui.add_enabled(c.after != c.before, egui::Button::new("Apply these thresholds")).clicked() {
            commands.push(Command::ApplyThresholds(Box::new(c.after)));
            chose = true;
        }
        if ui.button("Keep the current thresholds").clicked() {
            chose = true;
        }
    });
    chose
}
