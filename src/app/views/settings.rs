//! Settings: thresholds and windows, time zone and date order, evidence folder, sender,
//! support address, outage windows and DSP mode. Edits go to a draft; Apply recomputes
//! and saves.

use crate::app::commands::Command;
use crate::app::theme::{capitalised, metric_help, tier_text_color};
use crate::config::RateThresholds;
use crate::import::columns as col;
use crate::import::time::{FleetZone, parse_written};
use crate::letters::SenderField;
use crate::settings::{OutageSetting, Settings};
use crate::standing::grounds::Outage;
use crate::standing::rules::Tier;
use eframe::egui::{self, RichText};

mod dsp;

/// What of the data on screen the settings show beside the draft.
pub struct DataShown<'a> {
    /// The outage windows imported, and where they come from.
    pub outages: &'a [Outage],
    pub outages_origin: &'a str,
    pub zone: FleetZone,
    /// Observed tiers, for calibration.
    pub observed: Option<&'a crate::app::state::Observed>,
    /// The scorecards, for learning their tier bounds.
    pub cards: &'a crate::scorecard::Scorecards,
}

pub struct SettingsView {
    pub draft: Settings,
    outages_csv: String,
    /// Why the outages CSV named could not be imported, shown beside its field.
    outages_problem: Option<String>,
}

/// Calibration from observed tiers (docs/rules.md §7): what is open, and the button.
fn calibration(ui: &mut egui::Ui, observed: Option<&crate::app::state::Observed>, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let button = ui
            .add_enabled(observed.is_some(), egui::Button::new("Calibrate from observed tiers…"))
            .on_disabled_hover_text(
                "Open or drop a file of tiers you have seen first: driver_id, date, overall_tier \
                 (and reliability_tier, quality_tier if you have them)",
            );
        if button.clicked() {
            commands.push(Command::Calibrate);
        }
        match observed {
            Some(o) => ui.label(format!(
                "{} observed driver-days from {}",
                o.rows.len(),
                crate::app::state::file_name(&o.path)
            )),
            None => ui.label(
                RichText::new("Fits the thresholds to tiers you have seen in the Flex app or on scorecards.").weak(),
            ),
        };
    });
}

impl SettingsView {
    pub fn new(settings: &Settings) -> SettingsView {
        SettingsView { draft: settings.clone(), outages_csv: String::new(), outages_problem: None }
    }

    /// Problems that keep the draft from being applied.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let zone = FleetZone::parse(&self.draft.timezone);
        if let Err(e) = &zone {
            out.push(format!("Time zone: {e}"));
        }
        for (field, problem) in self.draft.sender().problems(&self.draft.support_address) {
            out.push(format!("{}: {problem}", capitalised(field.label())));
        }
        if let Err(e) = self.draft.outage_windows(zone.unwrap_or_default()) {
            out.push(e.to_string());
        }
        if let Err(e) = crate::config::Thresholds::from_toml(&self.draft.thresholds.to_toml(), "thresholds") {
            out.push(e.to_string());
        }
        out
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, current: &Settings, shown: &DataShown, commands: &mut Vec<Command>) {
        let problems = self.problems();
        // Files opened or the theme switched since are not changes of the draft.
        let proposed = self.draft.with_remembered_from(current);
        let changed = proposed != *current;
        ui.horizontal(|ui| {
            ui.heading("Settings");
            let apply = ui.add_enabled(changed && problems.is_empty(), egui::Button::new("Apply and recompute"));
            if apply.clicked() {
                commands.push(Command::ApplySettings(Box::new(proposed.clone())));
            }
            if ui.add_enabled(changed, egui::Button::new("Revert")).clicked() {
                self.draft = current.clone();
            }
            if ui.button("Restore defaults").clicked() {
                let keep = self.draft.recent.clone();
                self.draft = Settings { recent: keep, dark_mode: self.draft.dark_mode, ..Settings::default() };
            }
        });
        // Always one line: the form below does not move while a field is typed in.
        match problems.first() {
            Some(p) => {
                let more =
                    if problems.len() > 1 { format!(" (and {} more)", problems.len() - 1) } else { String::new() };
                ui.colored_label(ui.visuals().error_fg_color, format!("{p}{more}")).on_hover_text(problems.join("\n"));
            }
            None => {
                ui.label(RichText::new(if changed { "Changes not applied yet" } else { "No changes to apply" }).weak());
            }
        }
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.add_space(6.0);
            self.thresholds(ui);
            ui.add_space(6.0);
            calibration(ui, shown.observed, commands);
            ui.add_space(10.0);
            self.general(ui);
            ui.add_space(10.0);
            self.outages(ui, (shown.outages, shown.outages_origin), shown.zone);
            ui.add_space(10.0);
            self.dsp(ui, shown.cards, commands);
        });
    }

    /// Tier thresholds, then windows and rules.
    fn thresholds(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Tier thresholds").strong());
        ui.label(
            RichText::new(
                "Amazon publishes no numbers: these are estimates. A rate meets a tier when it is at or above \
                 its threshold.",
            )
            .weak(),
        );
        let t = &mut self.draft.thresholds;
        egui::Grid::new("thresholds").num_columns(4).spacing([16.0, 6.0]).striped(true).show(ui, |ui| {
            ui.label("");
            for tier in [Tier::Fantastic, Tier::Great, Tier::Fair] {
                ui.label(RichText::new(tier.label()).color(tier_text_color(Some(tier), ui.visuals())).strong());
            }
            ui.end_row();
            rate_row(ui, "Reliability (on time)", "reliability", &mut t.reliability);
            rate_row(ui, "Attempted", "attempted", &mut t.attempted);
            rate_row(ui, "Success", "success", &mut t.success);
            rate_row(ui, "On time", "on_time", &mut t.on_time);
            let label = ui.label("DNR claims (at most)").on_hover_text(metric_help(col::DNR.name()));
            ui.label_inputs_by(label.id, |ui| {
                for value in [&mut t.dnr.fantastic, &mut t.dnr.great, &mut t.dnr.fair] {
                    ui.add(egui::DragValue::new(value).range(0..=50));
                }
            });
            ui.end_row();
        });
        ui.add_space(10.0);
        ui.label(RichText::new("Windows and rules").strong());
        let w = &mut t.windows;
        egui::Grid::new("windows").num_columns(2).spacing([16.0, 6.0]).show(ui, |ui| {
            number_row(ui, "Blocks in the reliability window", &mut w.blocks, 1..=1000);
            number_row(ui, "Packages in the quality window", &mut w.packages, 1..=100_000);
            number_row(ui, "Lag (days before events count)", &mut w.lag_days, 0..=30);
            minutes_row(ui, "Arrival grace (minutes after the start)", &mut w.arrival_grace_minutes);
            minutes_row(ui, "Cancel notice (minutes before the start)", &mut w.cancel_notice_minutes);
            minutes_row(ui, "Station delay (minutes after the start)", &mut w.station_delay_minutes);
            minutes_row(ui, "Shortest first stop (minutes after the start)", &mut w.min_first_stop_minutes);
            number_row(ui, "Address cluster: claims and access problems at least", &mut w.cluster_events, 2..=100);
            number_row(ui, "Address cluster: days around an event", &mut w.cluster_days, 1..=365);
            number_row(ui, "Follow up a sent letter after (days without an answer)", &mut w.follow_up_days, 1..=60);
            number_row(ui, "Follow-ups before escalating", &mut w.follow_ups_max, 0..=10);
        });
    }

    /// Dates, evidence, templates and the letters' sender, each checked where it is typed.
    fn general(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Dates and evidence").strong());
        egui::Grid::new("general").num_columns(2).spacing([16.0, 6.0]).show(ui, |ui| {
            let zone_error = FleetZone::parse(&self.draft.timezone).err().map(|e| e.to_string());
            checked_row(ui, "Time zone (IANA name)", &mut self.draft.timezone, "e.g. America/Chicago", zone_error);
            ui.label("Date order");
            ui.checkbox(&mut self.draft.day_first, "Day first (DD/MM/YYYY)");
            ui.end_row();
            let mut folder = self.draft.evidence_dir.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            text_row(ui, "Evidence folder", &mut folder, "default: the folder of the deliveries file");
            self.draft.evidence_dir = (!folder.trim().is_empty()).then(|| folder.trim().into());
            let mut templates = self.draft.templates_dir.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            text_row(ui, "Letter templates folder", &mut templates, "default: the built-in templates");
            self.draft.templates_dir = (!templates.trim().is_empty()).then(|| templates.trim().into());
            let sender_problems = self.draft.sender().problems(&self.draft.support_address);
            let error = |field: SenderField| {
                sender_problems.iter().find(|(f, _)| *f == field).map(|(_, problem)| problem.clone())
            };
            let draft = &mut self.draft;
            let name_hint = "empty: letters in the driver's voice";
            checked_row(ui, "Sender name", &mut draft.sender_name, name_hint, error(SenderField::Name));
            let email = error(SenderField::Email);
            checked_row(ui, "Sender email (From)", &mut draft.sender_email, "you@yourfleet.com", email);
            let organisation = error(SenderField::Organisation);
            checked_row(ui, "Organisation", &mut draft.organisation, "e.g. Acme Delivery LLC", organisation);
            let support = error(SenderField::SupportAddress);
            checked_row(ui, "Support address (To)", &mut draft.support_address, "may be empty", support);
            ui.label("Coaching sheet paper");
            ui.horizontal(|ui| {
                for paper in crate::documents::pdf::Paper::ALL {
                    ui.radio_value(&mut draft.paper, paper, paper.label());
                }
            });
            ui.end_row();
        });
    }

    fn outages(&mut self, ui: &mut egui::Ui, (imported, origin): (&[Outage], &str), zone: FleetZone) {
        ui.label(RichText::new("Outage windows").strong())
            .on_hover_text("Events during an outage can be disputed. These add to any outages.csv you import.");
        if !imported.is_empty() {
            ui.label(format!("From {origin} ({}, read only: edit the file or import another):", imported.len()));
            egui::Grid::new("imported-outages").num_columns(4).spacing([12.0, 2.0]).striped(true).show(ui, |ui| {
                for o in imported {
                    let when = |ms: i64| zone.local(ms).format("%Y-%m-%d %H:%M").to_string();
                    ui.label(when(o.start));
                    ui.label(when(o.end));
                    ui.label(if o.stations.is_empty() { "all stations".to_string() } else { o.stations.join(", ") });
                    ui.label(&o.description);
                    ui.end_row();
                }
            });
            ui.add_space(4.0);
            ui.label("Entered here (they add to the ones above):");
        }
        let mut remove = None;
        egui::Grid::new("outages").num_columns(5).spacing([8.0, 4.0]).show(ui, |ui| {
            ui.label("Start");
            ui.label("End");
            ui.label("Description");
            ui.label("Stations").on_hover_text("Codes joined by ';' (DLA9;DXT4); empty: the whole fleet");
            ui.label("");
            ui.end_row();
            for (i, o) in self.draft.outages.iter_mut().enumerate() {
                for (value, what) in [(&mut o.start, col::START.name()), (&mut o.end, col::END.name())] {
                    let ok = parse_written(value, false).is_some();
                    let edit = ui.add(
                        egui::TextEdit::singleline(value)
                            .id_salt(("outage", i, what))
                            .desired_width(150.0)
                            .hint_text("2026-03-02 06:00"),
                    );
                    let edit = edit.on_hover_text(format!("Outage {} {what}", i + 1));
                    if !ok {
                        ui.painter().rect_stroke(
                            edit.rect,
                            2.0,
                            egui::Stroke::new(1.0, ui.visuals().error_fg_color),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
                ui.add(
                    egui::TextEdit::singleline(&mut o.description)
                        .id_salt(("outage", i, col::DESCRIPTION.name()))
                        .desired_width(360.0)
                        .hint_text(col::DESCRIPTION.name()),
                )
                .on_hover_text(format!("Outage {} description", i + 1));
                ui.add(
                    egui::TextEdit::singleline(&mut o.station)
                        .id_salt(("outage", i, col::STATION.name()))
                        .desired_width(110.0)
                        .hint_text("all stations"),
                )
                .on_hover_text(format!("Outage {} stations (empty: the whole fleet)", i + 1));
                if ui.button("Remove").clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
        if let Some(i) = remove {
            self.draft.outages.remove(i);
        }
        ui.horizontal(|ui| {
            if ui.button("Add outage").clicked() {
                self.draft.outages.push(OutageSetting::default());
            }
            let label = ui.label("Import outages CSV:");
            ui.add(egui::TextEdit::singleline(&mut self.outages_csv).hint_text("path/to/outages.csv"))
                .labelled_by(label.id);
            if ui.button("Import").clicked() {
                let path = std::path::Path::new(self.outages_csv.trim());
                match crate::load::read_outage_settings(path, zone, self.draft.day_first) {
                    Ok(list) => {
                        self.draft.outages.extend(list);
                        self.outages_problem = None;
                    }
                    Err(e) => self.outages_problem = Some(e.to_string()),
                }
            }
        });
        if let Some(problem) = &self.outages_problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    }
}

fn rate_row(ui: &mut egui::Ui, name: &str, help: &str, t: &mut RateThresholds) {
    let label = ui.label(name).on_hover_text(metric_help(help));
    for value in [&mut t.fantastic, &mut t.great, &mut t.fair] {
        ui.add(
            egui::DragValue::new(value)
                .range(0.0..=1.0)
                .speed(0.001)
                .min_decimals(3)
                .custom_formatter(|v, _| format!("{:.1}%", v * 100.0))
                .custom_parser(|s| s.trim().trim_end_matches('%').trim().parse::<f64>().ok().map(|v| v / 100.0)),
        )
        .on_hover_text(format!("{name}: {}", metric_help(help)))
        .labelled_by(label.id);
    }
    ui.end_row();
}

fn number_row(ui: &mut egui::Ui, name: &str, value: &mut u32, range: std::ops::RangeInclusive<u32>) {
    let label = ui.label(name);
    ui.add(egui::DragValue::new(value).range(range)).labelled_by(label.id);
    ui.end_row();
}

fn minutes_row(ui: &mut egui::Ui, name: &str, value: &mut i64) {
    let label = ui.label(name);
    ui.add(egui::DragValue::new(value).range(0..=600).suffix(" min")).labelled_by(label.id);
    ui.end_row();
}

/// A text field with a stable id (typing never loses focus when something above moves).
fn text_row(ui: &mut egui::Ui, name: &str, value: &mut String, hint: &str) {
    checked_row(ui, name, value, hint, None);
}

/// [`text_row`] with the field's problem beside it, in a place that does not move the form.
fn checked_row(ui: &mut egui::Ui, name: &str, value: &mut String, hint: &str, problem: Option<String>) {
    let label = ui.label(name);
    ui.horizontal(|ui| {
        let edit = egui::TextEdit::singleline(value).id_salt(("settings", name)).hint_text(hint).desired_width(320.0);
        ui.add(edit).labelled_by(label.id);
        if let Some(problem) = problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    });
    ui.end_row();
}
