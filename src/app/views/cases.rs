//! Cases view (docs/rules.md §11): every saved letter as a case, its status and dates, follow-ups
//! flagged; changing a status is a command the worker applies to the workspace.

use crate::app::commands::Command;
use crate::config::Windows;
use crate::import::time::{Day, day_from_date, parse_date_arg};
use crate::load::{Change, WorkspaceState};
use crate::report::day_text;
use crate::standing::Fleet;
use crate::workspace::cases::{Case, CaseStatus, CaseUpdate, FollowUpDue, follow_ups_due};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeSet;

/// Which cases the table lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Show {
    #[default]
    All,
    FollowUp,
    /// Draft or sent: no outcome yet.
    Open,
    Closed,
}

impl Show {
    const ALL: [Show; 4] = [Show::All, Show::FollowUp, Show::Open, Show::Closed];

    fn label(self) -> &'static str {
        match self {
            Show::All => "All",
            Show::FollowUp => "Follow-up due",
            Show::Open => "Open",
            Show::Closed => "Closed",
        }
    }

    fn includes(self, case: &Case, today: Day, w: &Windows) -> bool {
        let open = !case.status.is_outcome();
        match self {
            Show::All => true,
            Show::FollowUp => case.needs_follow_up(today, w),
            Show::Open => open,
            Show::Closed => !open,
        }
    }
}

#[derive(Default)]
pub struct CasesView {
    show: Show,
    selected: Option<i64>,
    status: Option<CaseStatus>,
    date: String,
    note: String,
    /// Events ticked as overturned, for a partly overturned case.
    overturned: BTreeSet<String>,
    problem: Option<String>,
}

impl CasesView {
    fn select(&mut self, case: &Case, today: Day) {
        self.selected = Some(case.id);
        self.status = Some(case.status);
        self.date = day_text(today);
        self.note = case.note.clone();
        self.overturned = case.events.iter().filter(|e| e.overturned).map(|e| e.event.id.clone()).collect();
        self.problem = None;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &WorkspaceState, fleet: &Fleet, commands: &mut Vec<Command>) {
        let today = fleet.zone.today();
        let w = fleet.thresholds.windows;
        let due = follow_ups_due(&state.cases, today, &w);
        let letters: Vec<i64> =
            due.iter().filter(|(_, what)| matches!(what, FollowUpDue::Letter(_))).map(|(c, _)| c.id).collect();
        let escalations = due.len() - letters.len();
        ui.horizontal(|ui| {
            ui.heading(format!("Cases in {}", state.name));
            ui.label(match state.cases.len() {
                1 => "1 case".to_string(),
                n => format!("{n} cases"),
            });
            if !letters.is_empty() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    match letters.len() {
                        1 => "1 follow-up due".to_string(),
                        n => format!("{n} follow-ups due"),
                    },
                );
                if ui
                    .button(if letters.len() == 1 { "Draft it" } else { "Draft them all" })
                    .on_hover_text("A short reminder for each, threaded under its letter, the letter attached")
                    .clicked()
                {
                    commands.push(Command::DraftFollowUps(letters.clone()));
                }
            }
            if escalations > 0 {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "{escalations} without an answer after {} follow-ups: take {} to the station or the DSP portal",
                        w.follow_ups_max,
                        if escalations == 1 { "it" } else { "them" }
                    ),
                );
            }
        });
        if state.cases.is_empty() {
            ui.label("No cases yet: saving a dispute or reactivation letter opens one.");
        }
        what_wins(ui, &state.ground_stats);
        let selected_case = self.selected.and_then(|id| state.cases.iter().find(|c| c.id == id)).cloned();
        if let Some(case) = &selected_case {
            ui.group(|ui| self.detail(ui, case, fleet, today, commands));
        } else if !state.cases.is_empty() {
            ui.label("Select a case to change its status or note.");
        }
        ui.horizontal(|ui| {
            ui.label("Show");
            for show in Show::ALL {
                ui.selectable_value(&mut self.show, show, show.label());
            }
        });
        // Follow-ups first, so that none is missed below the fold; newest first otherwise.
        let mut listed: Vec<&Case> = state.cases.iter().filter(|c| self.show.includes(c, today, &w)).collect();
        listed.sort_by_key(|c| !c.needs_follow_up(today, &w));
        if let Some(case) = self.table(ui, &listed, fleet, today) {
            self.select(case, today);
        }
        ui.separator();
        import_history(ui, state);
    }

    /// The cases listed, one a row; returns the case clicked.
    fn table<'a>(&self, ui: &mut egui::Ui, listed: &[&'a Case], fleet: &Fleet, today: Day) -> Option<&'a Case> {
        let mut clicked = None;
        let table_height = (ui.available_height() - 140.0).max(120.0);
        TableBuilder::new(ui)
            .id_salt("cases")
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(table_height)
            .column(Column::exact(40.0))
            .column(Column::initial(90.0))
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(90.0))
            .columns(Column::initial(130.0), 1)
            .columns(Column::initial(90.0), 3)
            .column(Column::initial(140.0))
            .column(Column::remainder().clip(true))
            .header(22.0, |mut h| {
                for t in ["#", "Driver", "Name", "Kind", "Status", "Created", "Sent", "Outcome", "Events", "Note"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, listed.len(), |mut row| {
                    let Some(case) = listed.get(row.index()).copied() else { return };
                    row.set_selected(self.selected == Some(case.id));
                    let name = fleet.driver_index(&case.driver_id).and_then(|i| fleet.drivers[i].name.clone());
                    let day = |d: Option<Day>| d.map(day_text).unwrap_or_default();
                    row.col(|ui| {
                        ui.label(case.id.to_string());
                    });
                    row.col(|ui| {
                        ui.label(&case.driver_id);
                    });
                    row.col(|ui| {
                        ui.label(name.unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(case.kind.name());
                    });
                    row.col(|ui| {
                        let w = &fleet.thresholds.windows;
                        match case.follow_up_due(today, w) {
                            Some(FollowUpDue::Letter(n)) => {
                                ui.colored_label(ui.visuals().warn_fg_color, format!("follow-up {n} due"))
                                    .on_hover_text(format!(
                                        "No answer {} days after the last letter: send a reminder",
                                        w.follow_up_days
                                    ));
                            }
                            Some(FollowUpDue::Escalation) => {
                                ui.colored_label(ui.visuals().warn_fg_color, "escalate")
                                    .on_hover_text("Every follow-up sent and no answer: the station or the DSP portal");
                            }
                            None => {
                                ui.label(case.status.words());
                            }
                        }
                    });
                    row.col(|ui| {
                        ui.label(day_text(case.created_on));
                    });
                    row.col(|ui| {
                        ui.label(day(case.sent_on));
                    });
                    row.col(|ui| {
                        ui.label(day(case.outcome_on));
                    });
                    row.col(|ui| {
                        let overturned = case.events.iter().filter(|e| e.overturned).count();
                        let text = if overturned > 0 {
                            format!("{} ({overturned} overturned)", case.events.len())
                        } else {
                            case.events.len().to_string()
                        };
                        ui.label(text);
                    });
                    row.col(|ui| {
                        ui.label(&case.note);
                    });
                    if row.response().clicked() {
                        clicked = Some(case);
                    }
                });
            });
        clicked
    }

    fn detail(&mut self, ui: &mut egui::Ui, case: &Case, fleet: &Fleet, today: Day, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Case {} · {} · {}", case.id, case.driver_id, case.kind.name())).strong());
            if let Some(driver) = fleet.driver_index(&case.driver_id)
                && ui.button("Open driver").clicked()
            {
                commands.push(Command::OpenDriver(driver));
            }
            if let Some(file) = &case.file {
                let open = ui.add_enabled(std::path::Path::new(file).is_file(), egui::Button::new("Open .eml"));
                if open.on_hover_text(file).on_disabled_hover_text("The letter file is no longer there").clicked()
                    && let Err(e) = open::that_detached(file)
                {
                    tracing::error!("cannot open {file}: {e}");
                    self.problem = Some(format!("cannot open {file}: {e}"));
                }
            }
        });
        thread(ui, case, &fleet.thresholds.windows, today, commands);
        ui.horizontal(|ui| {
            ui.label("Status");
            for status in CaseStatus::ALL {
                ui.selectable_value(&mut self.status, Some(status), status.words());
            }
            let label = ui.label("On");
            ui.add(egui::TextEdit::singleline(&mut self.date).desired_width(100.0)).labelled_by(label.id);
            if ui.button("Apply status").clicked() {
                match self.update(case) {
                    Ok(update) => {
                        self.problem = None;
                        commands.push(Command::Workspace(Change::SetCase(case.id, update)));
                    }
                    Err(e) => {
                        tracing::warn!("case {} status not applied: {e}", case.id);
                        self.problem = Some(e);
                    }
                }
            }
        });
        if self.status == Some(CaseStatus::PartlyOverturned) {
            ui.label("Overturned events:");
            ui.horizontal_wrapped(|ui| {
                for e in &case.events {
                    let mut on = self.overturned.contains(&e.event.id);
                    if ui.checkbox(&mut on, &e.event.id).changed() {
                        if on {
                            self.overturned.insert(e.event.id.clone());
                        } else {
                            self.overturned.remove(&e.event.id);
                        }
                    }
                }
            });
        } else {
            let ids: Vec<&str> = case.events.iter().map(|e| e.event.id.as_str()).collect();
            ui.label(format!("Events: {}", ids.join(", ")));
        }
        ui.horizontal(|ui| {
            let label = ui.label("Note");
            ui.add(egui::TextEdit::singleline(&mut self.note).desired_width(420.0)).labelled_by(label.id);
            if ui.add_enabled(self.note != case.note, egui::Button::new("Save note")).clicked() {
                commands.push(Command::Workspace(Change::SetNote(case.id, self.note.clone())));
            }
        });
        if let Some(p) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, p);
        }
    }

    fn update(&self, case: &Case) -> Result<CaseUpdate, String> {
        let status = self.status.ok_or("choose a status")?;
        let on = parse_date_arg(self.date.trim(), false).map(day_from_date).map_err(|e| format!("date: {e}"))?;
        let overturned = match status {
            CaseStatus::PartlyOverturned if self.overturned.is_empty() => {
                return Err("tick the overturned events".to_string());
            }
            CaseStatus::PartlyOverturned => Some(self.overturned.iter().cloned().collect()),
            _ => None,
        };
        let note = (self.note != case.note).then(|| self.note.clone());
        Ok(CaseUpdate { status, overturned, on, note })
    }
}

fn import_history(ui: &mut egui::Ui, state: &WorkspaceState) {
    let count = match state.imports.len() {
        1 => "1 import".to_string(),
        n => format!("{n} imports"),
    };
    egui::CollapsingHeader::new(format!("Import history ({count})")).id_salt("imports").show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("imports-scroll").max_height(160.0).show(ui, |ui| {
            for record in &state.imports {
                ui.label(RichText::new(format!("{} UTC", record.at)).strong());
                for f in &record.files {
                    let name = crate::app::state::file_name(std::path::Path::new(&f.path));
                    ui.label(format!("  {}", crate::workspace::FileImport { path: name, ..f.clone() }))
                        .on_hover_text(&f.path);
                }
            }
        });
    });
}

/// Per ground: events disputed, overturned, denied, pending and the overturn rate (the
/// same as `cases stats`).
fn what_wins(ui: &mut egui::Ui, stats: &[crate::workspace::cases::GroundStats]) {
    if stats.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(RichText::new("What wins: overturn rate per ground").strong())
        .id_salt("what-wins")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("ground-stats").striped(true).num_columns(6).show(ui, |ui| {
                for title in ["Ground", "Disputed", "Overturned", "Denied", "Pending", "Overturn rate"] {
                    ui.strong(title);
                }
                ui.end_row();
                for s in stats {
                    let name = crate::standing::grounds::Grounds::LETTER_ORDER
                        .iter()
                        .find(|g| g.code() == s.ground)
                        .map_or("(not recorded)", |g| g.name());
                    ui.label(name).on_hover_text(&s.ground);
                    for n in [s.disputed, s.overturned, s.denied, s.pending] {
                        ui.label(n.to_string());
                    }
                    let rate = s.overturn_rate().map_or_else(|| "—".to_string(), |r| format!("{:.0}%", r * 100.0));
                    if s.rarely_overturned() {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{rate} (rarely overturned)"));
                    } else {
                        ui.label(rate);
                    }
                    ui.end_row();
                }
            });
        });
}

/// The case's thread: its letter, each follow-up, and what is due next (with a button to
/// draft it).
fn thread(ui: &mut egui::Ui, case: &Case, w: &Windows, today: Day, commands: &mut Vec<Command>) {
    let Some(sent) = case.sent_on else { return };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Thread: letter sent {}", day_text(sent)));
        for (i, on) in case.follow_ups.iter().enumerate() {
            ui.label(format!("· follow-up {} sent {}", i + 1, day_text(*on)));
        }
        match case.follow_up_due(today, w) {
            Some(FollowUpDue::Letter(n)) => {
                if ui.button(format!("Draft follow-up {n}")).clicked() {
                    commands.push(Command::DraftFollowUps(vec![case.id]));
                }
            }
            Some(FollowUpDue::Escalation) => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "· no answer after every follow-up: take it to the station or the DSP portal",
                );
            }
            None => {
                if let Some(next) = case.follow_up_on(w) {
                    let number = case.follow_ups.len() as u32 + 1;
                    ui.label(if number > w.follow_ups_max {
                        format!("· escalation due {} without an answer", day_text(next))
                    } else {
                        format!("· follow-up {number} due {} without an answer", day_text(next))
                    });
                }
            }
        }
    });
}
