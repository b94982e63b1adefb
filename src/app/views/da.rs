//! The DA view (DSP mode): one delivery associate's week — tiers, what calls for coaching,
//! each metric over the weeks against its tier bands (the chart model), the week's
//! defects from the exceptions and concessions with their grounds, and the dispute letter.

use super::plot::{self, ValueAxis};
use super::scorecards::change_arrow;
use crate::app::commands::Command;
use crate::app::theme::{dsp_chip, tier_text_color};
use crate::charts::{dsp_colour, dsp_scale};
use crate::explain::{event_grounds_text, what_happened};
use crate::scorecard::bounds::Measure;
use crate::scorecard::metrics::{DspMetric, Form, Scale as TierScale, with_thousands};
use crate::scorecard::week::Week;
use crate::scorecard::{DaWeek, Scorecards};
use crate::standing::{Event, Fleet};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

pub struct DaView {
    pub id: String,
    pub week: Week,
    /// The week's defects (its exceptions and concessions) and, per defect: when, what
    /// happened, its grounds in words.
    defects: Vec<Event>,
    texts: Vec<[String; 3]>,
    /// The coaching log's add-an-entry form, and today in the fleet's zone.
    coaching: super::coaching::CoachingForm,
    today: crate::import::time::Day,
}

impl DaView {
    /// The DA's week, with its defects read once.
    pub fn new(fleet: &Fleet, cards: &Scorecards, id: String, week: Week) -> DaView {
        let defects = cards.week_defects(fleet, &id, week).unwrap_or_default();
        let zone = fleet.zone;
        let texts = defects
            .iter()
            .map(|e| [when_text(zone.local(e.time)), what_happened(e, zone), event_grounds_text(e, zone)])
            .collect();
        // The first metric past its coaching trigger that week, as the log's topic.
        let topic = cards.row(&id, week).and_then(|r| r.coach.first()).map_or("", |m| m.label());
        let coaching = super::coaching::CoachingForm::with_topic(topic, zone.today());
        DaView { id, week, defects, texts, coaching, today: zone.today() }
    }

    /// `log`: the workspace's coaching log (`None` without a workspace).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cards: &Scorecards,
        log: Option<&[crate::workspace::coaching::CoachingEntry]>,
        commands: &mut Vec<Command>,
    ) {
        let Some(d) = cards.da_index(&self.id) else {
            ui.label("This DA has no scorecard in the data on screen.");
            return;
        };
        let da = &cards.das[d];
        let history = cards.history(d);
        let Some(row) = history.iter().find(|r| r.week == self.week).or(history.last()) else { return };
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(da.name.as_deref().unwrap_or(&da.id));
                ui.label(RichText::new(&da.id).monospace().weak());
                ui.separator();
                let position = history.iter().position(|r| r.week == row.week).unwrap_or(0);
                if ui.add_enabled(position > 0, egui::Button::new("◀")).on_hover_text("The week before").clicked() {
                    commands.push(Command::OpenDa(da.id.clone(), history[position - 1].week));
                }
                ui.label(RichText::new(format!("Week {}", row.week)).strong());
                let newer = position + 1 < history.len();
                if ui.add_enabled(newer, egui::Button::new("▶")).on_hover_text("The week after").clicked() {
                    commands.push(Command::OpenDa(da.id.clone(), history[position + 1].week));
                }
                ui.separator();
                let disputable = self.defects.iter().filter(|e| e.is_disputable()).count();
                let draft = ui
                    .add_enabled(disputable > 0, egui::Button::new("Draft dispute"))
                    .on_hover_text(
                        "A letter for the week's defects that have a dispute ground, with its impact on the scorecard",
                    )
                    .on_disabled_hover_text("No defect of the week has a dispute ground");
                if draft.clicked() {
                    commands.push(Command::DraftWeekLetter(da.id.clone(), row.week));
                }
                let sheet = ui.button("Coaching sheet…").on_hover_text(
                    "A one-page PDF for the weekly talk: the last 8 weeks, what is past its coaching trigger, the \
                     week's defects",
                );
                if sheet.clicked() {
                    commands.push(Command::DaSheets(vec![da.id.clone()], row.week));
                }
            });
            ui.horizontal(|ui| {
                ui.label("Overall");
                dsp_chip(ui, row.overall);
                if let Some(score) = row.score {
                    ui.label(format!("score {score}"));
                }
                if let Some(n) = row.delivered {
                    ui.label(format!("· {} packages delivered", with_thousands(n.round() as i64)));
                }
            });
            if !row.alerts.is_empty() {
                ui.label(RichText::new(row.alert_words()).strong());
            }
            self.coaching.ui(ui, (&da.id, self.today), log, &[], commands);
            if row.tiers.iter().flatten().chain(row.overall.iter()).any(|t| t.computed) {
                ui.label(
                    RichText::new(
                        "* computed by Standwatch from the tier bounds (the scorecard gives no tier); Settings › \
                         DSP mode learns the bounds from scorecards that do.",
                    )
                    .weak(),
                );
            }
            ui.add_space(6.0);
            metrics_grid(ui, cards, row, history);
            ui.add_space(8.0);
            charts(ui, cards, history, row);
            ui.add_space(8.0);
            self.defects_table(ui);
        });
    }

    fn defects_table(&self, ui: &mut egui::Ui) {
        let disputable = self.defects.iter().filter(|e| e.is_disputable()).count();
        ui.heading(format!("Defects of the week ({} · {disputable} disputable)", self.defects.len()));
        if self.defects.is_empty() {
            ui.label("No exceptions or concessions of this DA in this week.");
            return;
        }
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::exact(120.0))
            .column(Column::exact(120.0))
            .column(Column::initial(360.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(20.0, |mut h| {
                for title in ["Date", "Package", "What happened", "Dispute grounds"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|mut body| {
                for (e, [when, what, grounds]) in self.defects.iter().zip(&self.texts) {
                    body.row(20.0, |mut row| {
                        row.col(|ui| {
                            ui.label(when);
                        });
                        row.col(|ui| {
                            ui.label(RichText::new(&e.id).monospace());
                        });
                        row.col(|ui| {
                            ui.label(what).on_hover_text(what);
                        });
                        row.col(|ui| {
                            if grounds.is_empty() {
                                ui.label(RichText::new("none").weak());
                            } else {
                                ui.label(grounds).on_hover_text(grounds);
                            }
                        });
                    });
                }
            });
    }
}

/// The day and time of a defect; the day alone when the report gave a date only (read as
/// the day's first or last minute).
fn when_text(local: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    match (local.hour(), local.minute()) {
        (0, 0) | (23, 59) => local.format("%Y-%m-%d").to_string(),
        _ => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// Each metric of the week: value, tier, last week, and the coaching trigger.
fn metrics_grid(ui: &mut egui::Ui, cards: &Scorecards, row: &DaWeek, history: &[DaWeek]) {
    let last = history.iter().rev().find(|r| r.week < row.week);
    egui::Grid::new("da-metrics").striped(true).num_columns(5).show(ui, |ui| {
        for title in ["Metric", "This week", "Tier", "The week before", "Coaching when"] {
            ui.strong(title);
        }
        ui.end_row();
        for metric in DspMetric::ALL {
            let Some(value) = row.value(metric) else { continue };
            ui.label(metric.label());
            let tier = row.tier(metric);
            let colour = tier_text_color(tier.map(|t| dsp_colour(t.tier)), ui.visuals());
            ui.horizontal(|ui| {
                ui.label(RichText::new(metric.show(value)).color(colour));
                if let Some((better, arrow)) = change_arrow(metric, Some(value), last.and_then(|l| l.value(metric))) {
                    let t =
                        if better { crate::standing::rules::Tier::Great } else { crate::standing::rules::Tier::AtRisk };
                    ui.label(RichText::new(arrow).color(tier_text_color(Some(t), ui.visuals())));
                }
            });
            ui.label(
                tier.map_or_else(String::new, |t| format!("{}{}", t.tier.label(), if t.computed { "*" } else { "" })),
            );
            ui.label(last.and_then(|l| l.value(metric)).map_or_else(String::new, |v| metric.show(v)));
            let trigger = cards.triggers.0.iter().find(|t| t.metric == metric);
            let coach = row.coach.contains(&metric);
            let text = trigger.map_or_else(String::new, |t| t.words());
            ui.label(if coach { RichText::new(text).strong() } else { RichText::new(text).weak() });
            ui.end_row();
        }
    });
}

/// The metrics over the DA's weeks, two by two, each against its tier bands.
fn charts(ui: &mut egui::Ui, cards: &Scorecards, history: &[DaWeek], row: &DaWeek) {
    ui.label(
        RichText::new(
            "Each metric over the weeks (a week at its first day); the bands are the tier bounds Standwatch uses \
             (Settings › DSP mode, set by hand or learnt from the scorecards).",
        )
        .weak(),
    );
    let scale = row.scale().unwrap_or(TierScale::Classic);
    let width = ((ui.available_width() - 16.0) / 2.0).max(260.0);
    for pair in DspMetric::CHARTED.chunks(2) {
        ui.horizontal(|ui| {
            for &metric in pair {
                ui.vertical(|ui| {
                    ui.set_width(width);
                    ui.strong(metric.label());
                    let points: Vec<[f64; 2]> = history
                        .iter()
                        .filter_map(|r| Some([f64::from(r.week.start(cards.week_starts)), r.value(metric)?]))
                        .collect();
                    let bounds = cards.bounds.get(Measure::Metric(metric));
                    let chart_scale = dsp_scale(metric, bounds, scale, points.iter().map(|p| p[1]));
                    let axis = match metric.form() {
                        Form::Percent => ValueAxis::Percent,
                        _ => ValueAxis::Number,
                    };
                    plot::chart(
                        ui,
                        &plot::ChartSpec {
                            id: metric.key(),
                            name: metric.label(),
                            height: 130.0,
                            scale: &chart_scale,
                            axis,
                            history: points,
                            projected: Vec::new(),
                            marks: &[],
                        },
                    );
                });
            }
        });
    }
}
