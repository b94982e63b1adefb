//! The driver's coaching log in the driver view (SPEC §8): the entries, a form to add one
//! (the topic prefilled with the weakest metric), the outcome buttons, and beside an
//! entry about a metric its value then and now.

use crate::app::commands::Command;
use crate::charts::Metric;
use crate::import::time::{Day, day_from_date, parse_date_arg};
use crate::load::Change;
use crate::report::day_text;
use crate::standing::Standing;
use crate::workspace::coaching::{CoachingEntry, CoachingOutcome, NewEntry};
use eframe::egui::{self, RichText};

/// Days after the conversation the follow-up day is set to by default.
const FOLLOW_UP_AFTER: Day = 14;

/// The add-an-entry form of one driver.
#[derive(Debug, Clone, Default)]
pub struct CoachingForm {
    topic: String,
    agreed: String,
    follow_up: String,
    problem: Option<String>,
}

impl CoachingForm {
    /// A form for a driver whose weakest metric today is `weakest`.
    pub fn new(weakest: Option<Metric>, today: Day) -> CoachingForm {
        CoachingForm {
            topic: weakest.map(|m| m.heading().to_string()).unwrap_or_default(),
            agreed: String::new(),
            follow_up: day_text(today + FOLLOW_UP_AFTER),
            problem: None,
        }
    }

    /// A form whose topic starts as `topic` (a DA's metric past its coaching trigger).
    pub fn with_topic(topic: &str, today: Day) -> CoachingForm {
        CoachingForm { topic: topic.to_string(), ..CoachingForm::new(None, today) }
    }

    /// `log`: the workspace's coaching log (`None` without a workspace); `history`: the
    /// driver's standing by day, for a metric's value then and now.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        (driver_id, today): (&str, Day),
        log: Option<&[CoachingEntry]>,
        history: &[Standing],
        commands: &mut Vec<Command>,
    ) {
        let Some(log) = log else {
            egui::CollapsingHeader::new("Coaching log").id_salt("coaching log").show(ui, |ui| {
                ui.label("The coaching log is kept in a workspace: open one with Workspace….");
            });
            return;
        };
        let entries: Vec<&CoachingEntry> = log.iter().filter(|e| e.driver_id == driver_id).collect();
        let due = entries.iter().filter(|e| e.is_due(today)).count();
        let title = match (entries.len(), due) {
            (0, _) => "Coaching log".to_string(),
            (n, 0) => format!("Coaching log ({n})"),
            (n, due) => format!("Coaching log ({n}, {due} to look at again)"),
        };
        egui::CollapsingHeader::new(title).id_salt("coaching log").default_open(true).show(ui, |ui| {
            for e in entries.iter().rev() {
                entry_row(ui, e, today, history, commands);
            }
            if entries.is_empty() {
                ui.label("Nothing written down yet.");
            }
            ui.add_space(4.0);
            self.form(ui, driver_id, today, commands);
        });
    }

    fn form(&mut self, ui: &mut egui::Ui, driver_id: &str, today: Day, commands: &mut Vec<Command>) {
        egui::Grid::new("coaching form").num_columns(2).spacing([8.0, 4.0]).show(ui, |ui| {
            let label = ui.label("Topic");
            ui.add(
                egui::TextEdit::singleline(&mut self.topic)
                    .desired_width(360.0)
                    .hint_text("a metric, an event id or anything"),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Agreed");
            ui.add(
                egui::TextEdit::singleline(&mut self.agreed).desired_width(360.0).hint_text("what the driver will do"),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Look again on");
            ui.add(
                egui::TextEdit::singleline(&mut self.follow_up).desired_width(100.0).hint_text("YYYY-MM-DD or empty"),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        if ui.button("Add to the log").clicked() {
            match self.entry(driver_id, today) {
                Ok(entry) => {
                    commands.push(Command::Workspace(Change::AddCoaching(entry)));
                    *self = CoachingForm { follow_up: self.follow_up.clone(), ..CoachingForm::default() };
                }
                Err(e) => self.problem = Some(e),
            }
        }
        if let Some(p) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, p);
        }
    }

    fn entry(&self, driver_id: &str, today: Day) -> Result<NewEntry, String> {
        if self.topic.trim().is_empty() {
            return Err("Write what the conversation was about (a metric, an event id or anything).".into());
        }
        let follow_up = match self.follow_up.trim() {
            "" => None,
            text => Some(parse_date_arg(text, false).map(day_from_date).map_err(|e| format!("Look again on: {e}"))?),
        };
        if follow_up.is_some_and(|f| f < today) {
            return Err("Look again on: that day has passed; give a later one, or none.".into());
        }
        Ok(NewEntry {
            driver_id: driver_id.to_string(),
            day: today,
            topic: self.topic.trim().to_string(),
            agreed: self.agreed.trim().to_string(),
            follow_up,
        })
    }
}

/// The metric's value on the newest day of `history` not after `day`.
fn value_on(metric: Metric, history: &[Standing], day: Day) -> Option<String> {
    let at = history.partition_point(|s| s.as_of <= day).checked_sub(1)?;
    metric.value_text(&history[at])
}

fn entry_row(ui: &mut egui::Ui, e: &CoachingEntry, today: Day, history: &[Standing], commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} · {}", day_text(e.day), e.topic)).strong());
        if !e.agreed.is_empty() {
            ui.label(format!("agreed: {}", e.agreed));
        }
        // The person judges; the numbers are beside it.
        if let Some(metric) = Metric::named(&e.topic)
            && let Some(now) = history.last().and_then(|s| metric.value_text(s))
        {
            let then = value_on(metric, history, e.day).unwrap_or_else(|| "–".into());
            ui.label(format!("{}: {then} then, {now} now", metric.heading()));
        }
        match (e.outcome, e.follow_up) {
            (Some(outcome), _) => {
                ui.label(format!(
                    "{}{}",
                    outcome.words(),
                    e.outcome_on.map(|d| format!(" on {}", day_text(d))).unwrap_or_default()
                ));
            }
            (None, follow_up) => {
                if let Some(f) = follow_up {
                    let text = format!("look again {}", day_text(f));
                    if e.is_due(today) {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{text} (due)"));
                    } else {
                        ui.label(text);
                    }
                }
                for outcome in CoachingOutcome::ALL {
                    if ui.small_button(outcome.words()).on_hover_text("Record what came of it, today").clicked() {
                        commands.push(Command::Workspace(Change::CoachingOutcome(e.id, outcome, today)));
                    }
                }
            }
        }
    });
}
