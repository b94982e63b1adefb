//! Settings › DSP mode: the week's first day, the coaching triggers (SPEC §7.2), and each
//! scorecard metric's tier bounds, which compute the tiers a scorecard does not give and
//! can be learnt from the scorecards that do.

use super::SettingsView;
use crate::app::commands::Command;
use crate::app::theme::tier_text_color;
use crate::charts::dsp_colour;
use crate::scorecard::Scorecards;
use crate::scorecard::alerts::Trigger;
use crate::scorecard::bounds::{DspBounds, Measure};
use crate::scorecard::metrics::{DspMetric, Form, Scale};
use crate::scorecard::week::WeekStart;
use eframe::egui::{self, RichText};

/// A bound edited in the metric's own form: shares as percentages, the rest as numbers.
fn bound_editor(ui: &mut egui::Ui, form: Form, value: &mut f64) -> egui::Response {
    match form {
        Form::Percent => ui.add(
            egui::DragValue::new(value)
                .range(0.0..=1.0)
                .speed(0.0005)
                .custom_formatter(|v, _| format!("{:.2}%", v * 100.0))
                .custom_parser(|s| s.trim().trim_end_matches('%').trim().parse::<f64>().ok().map(|v| v / 100.0)),
        ),
        Form::Whole | Form::Score => {
            ui.add(egui::DragValue::new(value).range(0.0..=1_000_000.0).speed(1.0).max_decimals(1))
        }
        Form::PerTrip => ui.add(egui::DragValue::new(value).range(0.0..=100.0).speed(0.001).max_decimals(3)),
    }
}

fn form_of(measure: Measure) -> Form {
    match measure {
        Measure::Metric(m) => m.form(),
        Measure::OverallScore => Form::Score,
    }
}

impl SettingsView {
    /// DSP mode's settings; `cards`: the scorecards on screen, for learning the bounds.
    pub(super) fn dsp(&mut self, ui: &mut egui::Ui, cards: &Scorecards, commands: &mut Vec<Command>) {
        ui.label(RichText::new("DSP mode (weekly scorecards)").strong());
        let dsp = &mut self.draft.dsp;
        ui.horizontal(|ui| {
            ui.label("Weeks start on");
            ui.radio_value(&mut dsp.week_starts, WeekStart::Sunday, "Sunday (Amazon's weeks)");
            ui.radio_value(&mut dsp.week_starts, WeekStart::Monday, "Monday (ISO weeks)");
        });
        ui.add_space(6.0);
        self.triggers(ui);
        ui.add_space(6.0);
        self.bounds(ui, cards, commands);
    }

    /// The coaching triggers: a metric past its bound raises COACH.
    fn triggers(&mut self, ui: &mut egui::Ui) {
        ui.label("Coaching triggers: a DA-week with a metric past its bound needs coaching (COACH).");
        let triggers = &mut self.draft.dsp.triggers.0;
        let mut remove = None;
        egui::Grid::new("dsp-triggers").num_columns(5).spacing([16.0, 4.0]).striped(true).show(ui, |ui| {
            for title in ["Metric", "Coaching when", "Bound", "At the bound too", ""] {
                ui.strong(title);
            }
            ui.end_row();
            for (i, trigger) in triggers.iter_mut().enumerate() {
                let metric = trigger.metric;
                let label = ui.label(metric.label());
                ui.label(if metric.higher_is_better() { "below" } else { "above" });
                bound_editor(ui, metric.form(), &mut trigger.bound)
                    .labelled_by(label.id)
                    .on_hover_text(format!("Coaching trigger of {}", metric.label()));
                ui.checkbox(&mut trigger.inclusive, "")
                    .on_hover_text(format!("{} at the bound needs coaching too", metric.label()));
                if ui
                    .small_button("Remove")
                    .on_hover_text(format!("No coaching trigger on {}", metric.label()))
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
        if let Some(i) = remove {
            triggers.remove(i);
        }
        let unused: Vec<DspMetric> =
            DspMetric::ALL.into_iter().filter(|m| triggers.iter().all(|t| t.metric != *m)).collect();
        if !unused.is_empty() {
            let bounds = &self.draft.dsp.bounds;
            let mut added = None;
            ui.horizontal(|ui| {
                let label = ui.label("Add a trigger on");
                egui::ComboBox::from_id_salt("dsp-add-trigger")
                    .selected_text("a metric…")
                    .show_ui(ui, |ui| {
                        for metric in unused {
                            if ui.selectable_label(false, metric.label()).clicked() {
                                added = Some(metric);
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            if let Some(metric) = added {
                // Start at the metric's Great bound: below it is where coaching starts to pay.
                let bound = bounds.get(Measure::Metric(metric)).classic[2].unwrap_or_default();
                self.draft.dsp.triggers.0.push(Trigger { metric, bound, inclusive: false });
            }
        }
    }

    /// Each measure's tier bounds on both scales; learnt from the scorecards on screen.
    fn bounds(&mut self, ui: &mut egui::Ui, cards: &Scorecards, commands: &mut Vec<Command>) {
        ui.label(
            "Tier bounds compute the tiers a scorecard does not give (shown with *). They differ by station and \
             change: learn them from scorecards that give tiers.",
        );
        let given = cards.rows.iter().any(|r| r.tiers.iter().flatten().chain(r.overall.iter()).any(|t| !t.computed));
        ui.horizontal(|ui| {
            let learn = ui
                .add_enabled(given, egui::Button::new("Learn the bounds from the scorecards…"))
                .on_hover_text("Fits each metric's bounds to the tiers the scorecards on screen give beside its values")
                .on_disabled_hover_text(
                    "Open scorecards that give tiers (a tier column beside a metric, or the overall standing) first",
                );
            if learn.clicked() {
                commands.push(Command::LearnDspBounds);
            }
            if ui.button("Shipped bounds").on_hover_text("The defaults of docs/rules.md §12.3").clicked() {
                self.draft.dsp.bounds = DspBounds::default();
            }
        });
        egui::CollapsingHeader::new("Tier bounds of each metric").id_salt("dsp-bounds").show(ui, |ui| {
            let bounds = &mut self.draft.dsp.bounds;
            let scales = [Scale::Classic, Scale::Named2025];
            egui::Grid::new("dsp-bounds-grid").num_columns(9).spacing([10.0, 4.0]).striped(true).show(ui, |ui| {
                ui.strong("Measure");
                ui.strong("Better");
                for scale in scales {
                    for tier in &scale.tiers()[..scale.tiers().len() - 1] {
                        let colour = tier_text_color(Some(dsp_colour(*tier)), ui.visuals());
                        ui.label(RichText::new(tier.label()).color(colour).strong());
                    }
                }
                ui.end_row();
                for measure in Measure::all() {
                    let label = ui.label(measure.label());
                    let b = bounds.get_mut(measure);
                    ui.label(if b.higher_is_better { "higher" } else { "lower" });
                    for scale in scales {
                        for (slot, tier) in b.of_scale_mut(scale).iter_mut().zip(scale.tiers()) {
                            match slot {
                                Some(value) => {
                                    bound_editor(ui, form_of(measure), value).labelled_by(label.id).on_hover_text(
                                        format!("{}: {} from this value", measure.label(), tier.label()),
                                    );
                                }
                                None => {
                                    ui.label(RichText::new("–").weak()).on_hover_text(format!(
                                        "{} has no {} tier",
                                        measure.label(),
                                        tier.label()
                                    ));
                                }
                            }
                        }
                    }
                    ui.end_row();
                }
            });
        });
    }
}
