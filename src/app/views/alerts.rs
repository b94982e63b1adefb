//! Alerts view: every alert of every driver, most severe first, in words; a click opens
//! the driver. The list is built once per overview.

use crate::app::commands::Command;
use crate::app::theme::tier_text_color;
use crate::overview::{Overview, SPARKLINE_DAYS};
use crate::report::day_text;
use crate::standing::Fleet;
use crate::standing::alerts::Alert;
use crate::standing::rules::{Tier, tier_label};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use std::sync::Arc;

pub struct AlertLine {
    pub alert: Alert,
    pub driver: usize,
    pub who: String,
    pub text: String,
}

#[derive(Default)]
pub struct AlertsView {
    lines: Vec<AlertLine>,
    /// The drivers with DISPUTABLE: one summary line, not one line each.
    disputable: Vec<usize>,
    built_for: usize,
}

/// The sentence for one alert of one driver.
pub fn describe(alert: Alert, fleet: &Fleet, overview: &Overview, position: usize) -> String {
    let row = &overview.drivers[position];
    let s = &row.standing;
    let d = &fleet.drivers[row.driver];
    match alert {
        Alert::AtRisk => format!(
            "At Risk overall (reliability {}, quality {})",
            tier_label(s.reliability_tier),
            tier_label(s.quality_tier)
        ),
        Alert::AppealDue => match d.deactivated_on {
            Some(off) => format!("Deactivated on {}: appeal by {}", day_text(off), day_text(off + 10)),
            None => "Deactivated: appeal within 10 days".to_string(),
        },
        Alert::TierDrop => {
            let week_ago = row.sparkline.get(SPARKLINE_DAYS - 8).copied().flatten();
            format!("Dropped from {} to {} in the last 7 days", tier_label(week_ago), tier_label(s.overall))
        }
        Alert::NearDrop => crate::explain::near_drop_sentences(&fleet.what_if(row.driver, s)).join("; "),
        Alert::NewDnr => "New DNR claim in the last 7 days".to_string(),
        Alert::Unreturned => "A package in the window was not delivered and not returned to the station".to_string(),
        Alert::Disputable => "Events in the current windows can be disputed".to_string(),
        Alert::FollowUp => {
            format!("A letter sent more than {} days ago has no answer yet", fleet.thresholds.windows.follow_up_days)
        }
        Alert::CoachingDue => "A coaching follow-up day has passed without an outcome".to_string(),
    }
}

impl AlertsView {
    fn build(&mut self, fleet: &Fleet, overview: &Arc<Overview>) {
        let key = Arc::as_ptr(overview) as usize;
        if self.built_for == key {
            return;
        }
        let mut lines: Vec<AlertLine> = overview
            .drivers
            .iter()
            .enumerate()
            .flat_map(|(position, row)| row.standing.alerts.iter().map(move |alert| (position, row.driver, alert)))
            .filter(|(_, _, alert)| *alert != Alert::Disputable)
            .map(|(position, driver, alert)| {
                let d = &fleet.drivers[driver];
                AlertLine {
                    alert,
                    driver,
                    who: format!("{} {}", d.id, d.name.as_deref().unwrap_or("")),
                    text: describe(alert, fleet, overview, position),
                }
            })
            .collect();
        lines.sort_by(|a, b| (a.alert, &a.who).cmp(&(b.alert, &b.who)));
        self.lines = lines;
        self.disputable = overview
            .drivers
            .iter()
            .filter(|row| row.standing.alerts.has(Alert::Disputable))
            .map(|row| row.driver)
            .collect();
        self.built_for = key;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, fleet: &Fleet, overview: &Arc<Overview>, commands: &mut Vec<Command>) {
        self.build(fleet, overview);
        ui.heading(format!("Alerts as of {}", day_text(overview.as_of)));
        ui.label("Most severe first. Click a line to open the driver.");
        ui.add_space(6.0);
        if !self.disputable.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(Alert::Disputable.words()).strong()).on_hover_text(Alert::Disputable.code());
                let n = self.disputable.len();
                ui.label(format!(
                    "{n} driver{} {} events with a dispute ground that are not in a case yet.",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "has" } else { "have" }
                ));
                if ui.button("Draft all…").on_hover_text("Draft a dispute letter for each of them").clicked() {
                    commands.push(Command::DraftBatch(self.disputable.clone()));
                }
            });
            ui.add_space(4.0);
        }
        let clusters = fleet.clusters();
        if !clusters.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Address clusters").strong()).on_hover_text("ADDRESS_CLUSTER");
                let n = clusters.len();
                let events: usize = clusters.iter().map(|c| c.events.len()).sum();
                ui.label(format!(
                    "{n} building{} with {events} DNR claims and access problems of several drivers: the address, \
                     not the driver, is the problem.",
                    if n == 1 { "" } else { "s" }
                ));
                if ui.button("Show addresses").clicked() {
                    commands.push(Command::ShowTab(crate::app::state::Tab::Addresses));
                }
            });
            ui.add_space(4.0);
        }
        if self.lines.is_empty() {
            ui.label(RichText::new("No other alerts.").size(16.0));
            return;
        }
        TableBuilder::new(ui)
            .id_salt("alerts-table")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(170.0))
            .column(Column::initial(220.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(24.0, |mut h| {
                for title in ["Alert", "Driver", "What happened"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, self.lines.len(), |mut row| {
                    let line = &self.lines[row.index()];
                    row.col(|ui| {
                        let color = match line.alert {
                            Alert::AtRisk | Alert::AppealDue => tier_text_color(Some(Tier::AtRisk), ui.visuals()),
                            Alert::TierDrop | Alert::NearDrop | Alert::NewDnr => {
                                tier_text_color(Some(Tier::Fair), ui.visuals())
                            }
                            _ => ui.visuals().text_color(),
                        };
                        ui.label(RichText::new(line.alert.words()).color(color).strong())
                            .on_hover_text(line.alert.code());
                    });
                    row.col(|ui| {
                        ui.label(&line.who);
                    });
                    row.col(|ui| {
                        ui.label(&line.text);
                    });
                    if row.response().clicked() {
                        commands.push(Command::OpenDriver(line.driver));
                    }
                });
            });
    }
}
