//! The letter editor: a drafted dispute or reactivation letter to read, edit and save as
//! an `.eml` draft. Drafting (chart, photos) runs on a worker thread.

use super::worker::{Job, spawn};
use crate::fsutil::write_atomic;
use crate::import::time::Day;
use crate::letters::{self, Letter, LetterKind, LetterSettings};
use crate::standing::Fleet;
use crate::workspace::cases::{NewCase, absolute_text};
use eframe::egui::{self, RichText};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

pub struct LetterEditor {
    fleet: Arc<Fleet>,
    driver: usize,
    as_of: Day,
    kind: LetterKind,
    settings: LetterSettings,
    /// The driver's disputable events: id and what happened, for the checklist.
    events: Vec<(String, String)>,
    unticked: BTreeSet<String>,
    letter: Option<Letter>,
    subject: String,
    body: String,
    save_path: String,
    saved: Option<PathBuf>,
    /// The case a save opens, until the app takes it.
    saved_case: Option<NewCase>,
    notice: Option<(String, bool)>,
    job: Option<Job<Letter>>,
    pub open: bool,
}

impl LetterEditor {
    pub fn new(
        ctx: &egui::Context,
        fleet: Arc<Fleet>,
        driver: usize,
        as_of: Day,
        kind: LetterKind,
        settings: LetterSettings,
        events: Vec<(String, String)>,
    ) -> LetterEditor {
        let mut editor = LetterEditor {
            fleet,
            driver,
            as_of,
            kind,
            settings,
            events,
            unticked: BTreeSet::new(),
            letter: None,
            subject: String::new(),
            body: String::new(),
            save_path: String::new(),
            saved: None,
            saved_case: None,
            notice: None,
            job: None,
            open: true,
        };
        editor.redraft(ctx);
        editor
    }

    /// Drafts the letter again (for the ticked events) on a worker thread.
    fn redraft(&mut self, ctx: &egui::Context) {
        let (fleet, driver, as_of, kind) = (self.fleet.clone(), self.driver, self.as_of, self.kind);
        let settings = self.settings.clone();
        let untick: Vec<String> = self.unticked.iter().cloned().collect();
        let repaint = ctx.clone();
        self.job = Some(spawn(
            "Drafting letter",
            move |_, _| letters::draft(&fleet, driver, as_of, kind, &settings, &untick),
            move |within| repaint.request_repaint_after(within),
        ));
    }

    fn poll(&mut self) {
        let Some(result) = self.job.as_ref().and_then(Job::poll) else { return };
        self.job = None;
        match result {
            Ok(letter) => {
                self.subject = letter.subject.clone();
                self.body = letter.body.clone();
                if self.save_path.is_empty() {
                    self.save_path =
                        self.settings.evidence_dir.join("letters").join(letter.file_name()).display().to_string();
                }
                self.letter = Some(letter);
            }
            Err(e) => self.notice = Some((e, true)),
        }
    }

    fn save(&mut self) {
        let Some(letter) = &self.letter else { return };
        let edited = Letter { subject: self.subject.clone(), body: self.body.clone(), ..letter.clone() };
        let path = PathBuf::from(self.save_path.trim());
        let written = letters::to_eml(&edited, chrono::Utc::now().timestamp()).and_then(|eml| {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            write_atomic(&path, &eml).map_err(|e| format!("{}: {e}", path.display()))
        });
        self.notice = Some(match written {
            Ok(()) => {
                self.saved = Some(path.clone());
                self.saved_case = Some(NewCase {
                    driver_id: letter.driver_id.clone(),
                    kind: letter.kind,
                    file: Some(absolute_text(&path)),
                    created_on: self.fleet.zone.today(),
                    events: letter.event_refs.clone(),
                });
                (format!("Saved {}", path.display()), false)
            }
            Err(e) => (format!("Not saved: {e}"), true),
        });
    }

    /// The case to record for the letter just saved, once.
    pub fn take_saved_case(&mut self) -> Option<NewCase> {
        self.saved_case.take()
    }

    pub fn show(&mut self, ctx: &egui::Context) {
        self.poll();
        let title = match self.kind {
            LetterKind::Dispute => "Dispute letter",
            LetterKind::Reactivation => "Reactivation letter",
        };
        let mut open = self.open;
        let mut redraft = false;
        egui::Window::new(title).open(&mut open).default_size([760.0, 620.0]).show(ctx, |ui| {
            if self.job.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Drafting the letter, its chart and attachments…");
                });
            }
            if self.letter.is_none() {
                return;
            }
            // Saving comes first: the letter below can be long.
            let label = ui.label("Save as");
            ui.add(egui::TextEdit::singleline(&mut self.save_path).desired_width(f32::INFINITY)).labelled_by(label.id);
            let mut save = false;
            ui.horizontal(|ui| {
                save = ui.button("Save .eml").clicked();
                if ui.button("Copy text").clicked() {
                    ui.ctx().copy_text(self.body.clone());
                    self.notice = Some(("Letter text copied".to_string(), false));
                }
                let open_mail = ui.add_enabled(self.saved.is_some(), egui::Button::new("Open in mail app"));
                if open_mail.on_disabled_hover_text("Save the .eml first").clicked()
                    && let Some(path) = &self.saved
                    && let Err(e) = open::that_detached(path)
                {
                    self.notice = Some((format!("Cannot open the mail app: {e}"), true));
                }
            });
            if save {
                self.save();
            }
            if let Some((text, is_error)) = &self.notice {
                let color = if *is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                ui.colored_label(color, text);
            }
            ui.separator();
            let Some(letter) = &self.letter else { return };
            egui::ScrollArea::vertical().id_salt("letter").show(ui, |ui| {
                ui.label(RichText::new("Events in the letter").strong())
                    .on_hover_text("Untick an event to leave it out (the text is drafted again)");
                for (id, what) in &self.events {
                    let mut ticked = !self.unticked.contains(id);
                    if ui.checkbox(&mut ticked, format!("{id}: {what}")).changed() {
                        if ticked {
                            self.unticked.remove(id);
                        } else {
                            self.unticked.insert(id.clone());
                        }
                        redraft = true;
                    }
                }
                ui.label(RichText::new("Attachments").strong());
                for a in &letter.attachments {
                    ui.label(format!("{} ({:.1} KB)", a.file_name, a.bytes.len() as f64 / 1024.0));
                }
                for p in &letter.problems {
                    ui.colored_label(ui.visuals().warn_fg_color, p);
                }
                ui.separator();
                let label = ui.label("Subject");
                ui.add(egui::TextEdit::singleline(&mut self.subject).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                let label = ui.label("Letter text");
                ui.add(egui::TextEdit::multiline(&mut self.body).desired_rows(14).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                let words = letters::words_outside_event_lines(&self.body);
                ui.label(RichText::new(format!("{words} words outside the event lines (keep it under 120)")).weak());
            });
        });
        if redraft {
            self.redraft(ctx);
        }
        self.open = open;
    }
}
