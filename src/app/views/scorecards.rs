//! The Scorecards view (DSP mode, SPEC §7.4): a week's delivery associates from Amazon's
//! scorecards, what needs attention first — each metric in its tier's colour with the
//! week-over-week change, alerts in words — and a click opens the DA.

use crate::app::commands::Command;
use crate::app::theme::{dsp_chip, tier_text_color};
use crate::charts::dsp_colour;
use crate::scorecard::metrics::{DspMetric, with_thousands};
use crate::scorecard::week::Week;
use crate::scorecard::{DaWeek, Scorecards};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

/// The metrics the table shows, in order.
pub const SHOWN: [DspMetric; 8] = [
    DspMetric::Dcr,
    DspMetric::DnrDpmo,
    DspMetric::Pod,
    DspMetric::Cc,
    DspMetric::CdfDpmo,
    DspMetric::Ced,
    DspMetric::DsbDpmo,
    DspMetric::Fico,
];

#[derive(Default)]
pub struct ScorecardsView {
    /// The week shown; `None`: the newest.
    pub week: Option<Week>,
    pub search: String,
    /// Only the DAs with an alert.
    pub attention_only: bool,
}

/// "▲" when the value got better since `before`, "▼" when worse, nothing otherwise.
pub fn change_arrow(metric: DspMetric, now: Option<f64>, before: Option<f64>) -> Option<(bool, &'static str)> {
    let (now, before) = (now?, before?);
    if (now - before).abs() < 1e-9 {
        return None;
    }
    Some(if metric.worse(now, before) { (false, "▼") } else { (true, "▲") })
}

impl ScorecardsView {
    /// The week on screen: the chosen one if the scorecards have it, else the newest.
    pub fn week(&self, cards: &Scorecards) -> Option<Week> {
        self.week.filter(|w| cards.weeks.contains(w)).or(cards.newest_week())
    }

    /// The week's rows shown, what needs attention first.
    pub fn rows<'a>(&self, cards: &'a Scorecards, week: Week) -> Vec<&'a DaWeek> {
        let needle = self.search.trim().to_lowercase();
        let mut rows: Vec<&DaWeek> = cards
            .week_rows(week)
            .into_iter()
            .filter(|r| !self.attention_only || !r.alerts.is_empty())
            .filter(|r| {
                let da = &cards.das[r.da];
                needle.is_empty()
                    || da.id.to_lowercase().contains(&needle)
                    || da.name.as_deref().is_some_and(|n| n.to_lowercase().contains(&needle))
            })
            .collect();
        rows.sort_by(|a, b| {
            let rank = |r: &DaWeek| r.overall.map_or(0, |t| t.tier.rank());
            b.attention()
                .cmp(&a.attention())
                .then(rank(b).cmp(&rank(a)))
                .then(cards.das[a.da].id.cmp(&cards.das[b.da].id))
        });
        rows
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cards: &Scorecards, commands: &mut Vec<Command>) {
        let Some(week) = self.week(cards) else {
            ui.heading("No scorecards");
            ui.label(
                "Open or drop Amazon's weekly scorecards (the DSP Overview export, one row per delivery associate) \
                 to see your DAs' weeks here, with their exceptions and concessions reports for the disputes.",
            );
            return;
        };
        let rows = self.rows(cards, week);
        self.toolbar(ui, cards, week, &rows, commands);
        ui.add_space(4.0);
        let before = week.previous();
        let mut open = None;
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::exact(124.0))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(118.0))
            .column(Column::auto().at_least(44.0))
            .columns(Column::auto().at_least(70.0), SHOWN.len())
            .column(Column::remainder().at_least(200.0).clip(true))
            .header(22.0, |mut header| {
                let titles = ["DA", "Name", "Overall", "Delivered"].into_iter().chain(SHOWN.map(DspMetric::label));
                for title in titles.chain(["Alerts"]) {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, rows.len(), |mut table_row| {
                    let row = rows[table_row.index()];
                    let da = &cards.das[row.da];
                    let last = cards.row(&da.id, before);
                    table_row.col(|ui| {
                        ui.label(RichText::new(&da.id).monospace());
                    });
                    table_row.col(|ui| {
                        ui.label(da.name.as_deref().unwrap_or(""));
                    });
                    table_row.col(|ui| {
                        dsp_chip(ui, row.overall).on_hover_text(tier_source(row.overall.map(|t| t.computed)));
                    });
                    table_row.col(|ui| {
                        ui.label(row.delivered.map_or_else(String::new, |n| with_thousands(n.round() as i64)));
                    });
                    for metric in SHOWN {
                        table_row.col(|ui| metric_cell(ui, row, metric, last));
                    }
                    table_row.col(|ui| {
                        let words = row.alert_words();
                        ui.label(&words).on_hover_text(&words);
                    });
                    if table_row.response().clicked() {
                        open = Some(da.id.clone());
                    }
                });
            });
        if let Some(id) = open {
            commands.push(Command::OpenDa(id, week));
        }
    }

    fn toolbar(
        &mut self,
        ui: &mut egui::Ui,
        cards: &Scorecards,
        week: Week,
        shown: &[&DaWeek],
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label("Week");
            let position = cards.weeks.iter().position(|w| *w == week).unwrap_or(0);
            if ui.add_enabled(position > 0, egui::Button::new("◀")).on_hover_text("The week before").clicked() {
                self.week = cards.weeks.get(position - 1).copied();
            }
            egui::ComboBox::from_id_salt("scorecard-week")
                .selected_text(week_text(cards, week))
                .show_ui(ui, |ui| {
                    for w in cards.weeks.iter().rev() {
                        ui.selectable_value(&mut self.week, Some(*w), week_text(cards, *w));
                    }
                })
                .response
                .labelled_by(label.id);
            let newer = position + 1 < cards.weeks.len();
            if ui.add_enabled(newer, egui::Button::new("▶")).on_hover_text("The week after").clicked() {
                self.week = cards.weeks.get(position + 1).copied();
            }
            ui.separator();
            let rows = cards.week_rows(week);
            for tier in crate::scorecard::metrics::Scale::Classic
                .tiers()
                .iter()
                .chain(crate::scorecard::metrics::Scale::Named2025.tiers())
            {
                let count = rows.iter().filter(|r| r.overall.is_some_and(|t| t.tier == *tier)).count();
                if count > 0 {
                    let colour = tier_text_color(Some(dsp_colour(*tier)), ui.visuals());
                    ui.label(RichText::new(format!("{} {count}", tier.label())).color(colour).strong());
                }
            }
            ui.separator();
            let search = ui.label("Search");
            ui.add(egui::TextEdit::singleline(&mut self.search).hint_text("name or id").desired_width(140.0))
                .labelled_by(search.id);
            ui.checkbox(&mut self.attention_only, "Needs attention only");
            ui.separator();
            let sheets = ui
                .add_enabled(!shown.is_empty(), egui::Button::new("Coaching sheets…"))
                .on_hover_text("A one-page PDF per DA listed (the search and filter apply), and the week's summary");
            if sheets.clicked() {
                commands.push(Command::DaSheets(shown.iter().map(|r| cards.das[r.da].id.clone()).collect(), week));
            }
        });
    }
}

/// "2026-W17 · 19–25 Apr".
fn week_text(cards: &Scorecards, week: Week) -> String {
    let (start, end) = (week.start(cards.week_starts), week.end(cards.week_starts));
    let day = |d| crate::import::time::date_from_day(d);
    format!("{week} · {}–{}", day(start).format("%-d %b"), day(end).format("%-d %b"))
}

fn tier_source(computed: Option<bool>) -> &'static str {
    match computed {
        Some(true) => "Computed by Standwatch from the tier bounds: the scorecard gives no tier",
        Some(false) => "As the scorecard gives it",
        None => "No tier: the scorecard gives neither a tier nor a score",
    }
}

/// A metric of a row: its value in its tier's colour, and ▲/▼ against last week.
fn metric_cell(ui: &mut egui::Ui, row: &DaWeek, metric: DspMetric, last: Option<&DaWeek>) {
    let Some(value) = row.value(metric) else {
        ui.label(RichText::new("–").weak());
        return;
    };
    let tier = row.tier(metric);
    let colour = tier_text_color(tier.map(|t| dsp_colour(t.tier)), ui.visuals());
    let before = last.and_then(|l| l.value(metric));
    let mut hover = format!(
        "{} {}: {} ({})",
        metric.label(),
        metric.show(value),
        tier.map_or("no tier", |t| t.tier.label()),
        tier_source(tier.map(|t| t.computed)).to_lowercase()
    );
    if let Some(b) = before {
        hover.push_str(&format!("\nLast week: {}", metric.show(b)));
    }
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 3.0;
        ui.label(RichText::new(metric.show(value)).color(colour)).on_hover_text(hover);
        if let Some((better, arrow)) = change_arrow(metric, Some(value), before) {
            let tier = if better { crate::standing::rules::Tier::Great } else { crate::standing::rules::Tier::AtRisk };
            ui.label(RichText::new(arrow).small().color(tier_text_color(Some(tier), ui.visuals())));
        }
    });
}
