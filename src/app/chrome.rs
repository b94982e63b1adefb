//! The app's chrome around the views: the toolbar (tabs, files, workspace, recent, the
//! As-of day, the import report, the theme), the banner (sample data, a new workspace's
//! offer, the notice) and the status bar (what is loaded, the job with Cancel).

use super::StandwatchApp;
use super::commands::Command;
use super::state::{Notice, Tab, file_name};
use super::worker::OnScreen;
use super::{sample_inputs, theme};
use crate::import::time::{date_from_day, day_from_date};
use crate::load::{Change, Source};
use crate::report::day_text;
use eframe::egui::{self, RichText};
use std::path::Path;

fn to_jiff(d: chrono::NaiveDate) -> jiff::civil::Date {
    use chrono::Datelike;
    jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8).unwrap_or_default()
}

fn from_jiff(d: jiff::civil::Date) -> Option<i32> {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32).map(day_from_date)
}

impl StandwatchApp {
    pub(super) fn toolbar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Standwatch").strong().size(18.0));
            ui.separator();
            self.tabs(ui);
            ui.separator();
            if ui
                .button("Open files…")
                .on_hover_text("Open blocks and deliveries exports (or drop them here)")
                .clicked()
            {
                self.windows.open_files.open = true;
            }
            if ui
                .button("Workspace…")
                .on_hover_text("Open or create a workspace: weekly imports accumulate and disputes become cases")
                .clicked()
            {
                let dir = self.session.workspace_dir().map(Path::to_path_buf);
                self.windows.workspace.open_on(dir.or_else(crate::workspace::Workspace::default_dir));
            }
            ui.menu_button("Recent", |ui| self.recent_menu(ui));
            if let Some(l) = self.session.loaded.clone() {
                ui.separator();
                self.as_of_picker(ui, &l);
                let rejected = l.data.report.rejections.len();
                let text =
                    if rejected > 0 { format!("Import report ({rejected} rejected)") } else { "Import report".into() };
                if ui.button(text).clicked() {
                    self.windows.import_report.open = true;
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("About").clicked() {
                    self.windows.about.open = true;
                }
                let dark = self.session.settings.dark_mode;
                // One short word: with every tab shown, the toolbar just fits 1280 points.
                let theme = ui.button(if dark { "Light" } else { "Dark" });
                if theme
                    .on_hover_text(if dark { "Switch to the light theme" } else { "Switch to the dark theme" })
                    .clicked()
                {
                    self.session.settings.dark_mode = !dark;
                    self.views.settings.draft.dark_mode = !dark;
                    ui.ctx().set_theme(if dark { egui::Theme::Light } else { egui::Theme::Dark });
                    self.session.save_settings();
                }
            });
        });
    }

    fn tabs(&mut self, ui: &mut egui::Ui) {
        let in_workspace = self.session.workspace_dir().is_some();
        let scorecards = self.session.loaded.as_ref().is_some_and(|l| !l.data.scorecards.is_empty());
        for (tab, name) in [
            (Tab::Fleet, "Fleet"),
            (Tab::Alerts, "Alerts"),
            (Tab::Addresses, "Addresses"),
            (Tab::Driver, "Driver"),
            (Tab::Scorecards, "Scorecards"),
            (Tab::Da, "DA"),
            (Tab::Cases, "Cases"),
            (Tab::Settings, "Settings"),
        ] {
            if (tab == Tab::Cases && !in_workspace) || (matches!(tab, Tab::Scorecards | Tab::Da) && !scorecards) {
                continue;
            }
            let enabled = match tab {
                Tab::Driver => self.views.driver.is_some(),
                Tab::Da => self.views.da.is_some(),
                _ => true,
            };
            if ui.add_enabled(enabled, egui::Button::selectable(self.tab == tab, name)).clicked() {
                self.tab = tab;
            }
        }
    }

    /// Recent workspaces and files, and the sample data.
    fn recent_menu(&mut self, ui: &mut egui::Ui) {
        let settings = &self.session.settings;
        if !settings.recent_workspaces.is_empty() {
            ui.label(RichText::new("Workspaces").weak());
            for dir in &settings.recent_workspaces {
                let label = format!("Workspace {}", file_name(dir));
                if ui.button(label).on_hover_text(dir.display().to_string()).clicked() {
                    self.commands.push(Command::OpenWorkspace(dir.clone()));
                    ui.close();
                }
            }
            ui.separator();
            ui.label(RichText::new("Files").weak());
        }
        if settings.recent.is_empty() {
            ui.label("No recent files");
        }
        for recent in &settings.recent {
            let label = format!("{} + {}", file_name(&recent.blocks), file_name(&recent.deliveries));
            if ui.button(label).on_hover_text(recent.blocks.display().to_string()).clicked() {
                self.commands.push(Command::Load(Source::Files(recent.paths())));
                ui.close();
            }
        }
        ui.separator();
        if ui.button("Sample data").clicked() {
            self.commands.push(Command::Load(Source::Sample(sample_inputs())));
            ui.close();
        }
    }

    /// The As-of day: a calendar with month and year, no day after the newest data.
    fn as_of_picker(&mut self, ui: &mut egui::Ui, l: &OnScreen) {
        let mut date = to_jiff(date_from_day(l.overview.as_of));
        let before = date;
        // No day after the newest data (or today, for an empty workspace).
        let latest = l.data.fleet.default_as_of().unwrap_or(l.overview.as_of).max(l.overview.as_of);
        let last_year = to_jiff(date_from_day(latest)).year();
        let first_year = l.overview.trend.first().map_or(last_year, |p| to_jiff(date_from_day(p.day)).year());
        let label = ui.label("As of");
        ui.add(
            egui_extras::DatePickerButton::new(&mut date)
                .id_salt("as-of")
                .show_icon(false)
                .combo_boxes(true)
                .arrows(true)
                .start_end_years(first_year.min(last_year)..=last_year)
                .reverse_years(true)
                // Red is At Risk's colour here, not a weekend's.
                .highlight_weekends(false),
        )
        .labelled_by(label.id)
        .on_hover_text(format!("The day to show the standing on (the latest with data: {})", day_text(latest)));
        if date != before
            && let Some(day) = from_jiff(date)
        {
            if day > latest {
                self.session.notice =
                    Some(Notice::info(format!("No data after {}: showing that day instead", day_text(latest))));
            }
            self.commands.push(Command::SetAsOf(day.min(latest)));
        }
        if let Some(default) = l.data.fleet.default_as_of()
            && default != l.overview.as_of
            && ui.button("Latest").on_hover_text(day_text(default)).clicked()
        {
            self.commands.push(Command::SetAsOf(default));
        }
    }

    pub(super) fn banner(&mut self, ui: &mut egui::Ui) {
        if self.session.loaded.as_ref().is_some_and(|l| matches!(l.data.source, Source::Sample(_))) {
            egui::Frame::new()
                .fill(theme::tier_color(Some(crate::standing::rules::Tier::Fantastic)).gamma_multiply(0.25))
                .inner_margin(6.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Sample data — open your own exports").strong());
                        ui.label("(Open files…, or drop the CSVs on this window)");
                        if ui.button("Open files…").clicked() {
                            self.windows.open_files.open = true;
                        }
                    });
                });
        }
        if let (Some(paths), Some(dir)) =
            (self.session.offer_import.clone(), self.session.workspace_dir().map(Path::to_path_buf))
        {
            ui.horizontal_wrapped(|ui| {
                let names: Vec<String> = paths.files().iter().map(|(_, p)| file_name(p)).collect();
                let files = match names.as_slice() {
                    [] => String::new(),
                    [one] => one.clone(),
                    [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                };
                ui.label(RichText::new(format!("New workspace {}.", file_name(&dir))).strong());
                ui.label(format!("Import the files that were on screen ({files}) into it?"));
                if ui.button("Import them").clicked() {
                    // Every file on screen, whatever its kind.
                    self.commands.push(Command::Workspace(Change::Import(paths.files())));
                    self.session.offer_import = None;
                }
                if ui.button("Not now").clicked() {
                    self.session.offer_import = None;
                }
            });
        }
        if let Some(holder) = &self.session.held_by {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Read-only:").strong().color(ui.visuals().warn_fg_color));
                ui.label(format!(
                    "this workspace is open for changes in another Standwatch ({holder}). You can read it; \
                     imports and case changes are refused until that one is closed; it opens for changes here then."
                ));
            });
        }
        if let Some(notice) = self.session.notice.clone() {
            ui.horizontal(|ui| {
                let color = if notice.is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                ui.colored_label(color, notice.text);
                if ui.small_button("Dismiss").clicked() {
                    self.session.notice = None;
                }
            });
        }
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(l) = &self.session.loaded {
                let rows: usize = l.data.report.files.iter().map(|f| f.accepted).sum();
                let source = match &l.data.source {
                    Source::Sample(_) => "Sample data".to_string(),
                    Source::Files(p) => format!("{} + {}", file_name(&p.blocks), file_name(&p.deliveries)),
                    Source::Workspace(dir) => format!("Workspace {}", file_name(dir)),
                };
                ui.label(format!("{source} · {} drivers · {rows} rows", l.data.fleet.listed().count()));
            }
            // The job's widgets, at the right, are laid out unseen while no job runs: egui
            // draws an extra frame for a button it has not seen before, and with software
            // rendering a frame takes a core from the job that has just started.
            let job = self.session.job.as_ref();
            let (label, progress) = job.map_or(("", 0.0), |job| (job.label.as_str(), job.progress()));
            let running = job.is_some();
            let mut cancel = false;
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if !running {
                    ui.set_invisible();
                }
                cancel = ui.button("Cancel").clicked();
                ui.add(egui::ProgressBar::new(progress).desired_width(240.0).show_percentage());
                ui.label(label);
            });
            if cancel {
                self.commands.push(Command::CancelJob);
            }
        });
    }
}
