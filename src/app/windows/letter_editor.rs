//! The letter editor: a drafted dispute or reactivation letter to read, edit and save as
//! an `.eml` draft. The checklist shows the letter's incidents with their events (untick
//! one event or a whole incident); drafting (chart, photos, the standing without the
//! events) runs on a worker thread. Text the user typed is never lost: a new draft is
//! merged into it line by line, or, where both changed the same lines, the user chooses.

use crate::app::commands::Command;
use crate::app::state::Notice;
use crate::app::worker::{Job, JobError, spawn};
use crate::fsutil::write_atomic;
use crate::import::time::Day;
use crate::letters::incidents::{MAX_INCIDENT_WORDS, MAX_OTHER_WORDS, style_problems, words_outside_incidents};
use crate::letters::{self, Incident, Letter, LetterError, LetterKind, LetterSettings};
use crate::scorecard::Scorecards;
use crate::scorecard::week::Week;
use crate::standing::Fleet;
use crate::workspace::cases::{GroundStats, NewCase, absolute_text};
use eframe::egui::{self, RichText};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// A question the editor is asking before it goes on.
#[derive(Debug, Clone, PartialEq)]
enum Question {
    /// A new draft touches lines the user edited: use it, or keep the user's text.
    NewDraft { subject: String, body: String },
    /// Closing a letter with changes that were not saved.
    Close,
    /// Saving over a file this editor did not write (another letter of the driver and day).
    Overwrite(PathBuf),
}

/// `path` with "-2", "-3"… before its extension: the first name not taken.
fn free_name(path: &std::path::Path) -> PathBuf {
    let stem = path.file_stem().map_or_else(|| "letter".into(), |s| s.to_string_lossy().into_owned());
    let extension = path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    (2..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{extension}")))
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

pub struct LetterEditor {
    fleet: Arc<Fleet>,
    driver: usize,
    as_of: Day,
    kind: LetterKind,
    /// DSP mode: the scorecards, the DA and the week the letter disputes.
    week: Option<(Arc<Scorecards>, String, Week)>,
    settings: LetterSettings,
    /// Every disputable event of the driver, as incidents: what can be ticked.
    checklist: Vec<Incident>,
    /// What became of past disputes, per ground (a workspace's cases; empty otherwise).
    ground_stats: Vec<GroundStats>,
    unticked: BTreeSet<String>,
    letter: Option<Letter>,
    /// The subject and text as last drafted (the base edits are merged against).
    drafted: (String, String),
    subject: String,
    body: String,
    /// The subject and text as last saved.
    saved_text: Option<(String, String)>,
    save_path: String,
    saved: Option<PathBuf>,
    /// The case a save opens, sent to the app at the end of the frame.
    saved_case: Option<NewCase>,
    notice: Option<Notice>,
    question: Option<Question>,
    job: Option<Job<Letter, LetterError>>,
    pub open: bool,
}

impl LetterEditor {
    /// `ground_stats`: past disputes per ground; a ground rarely overturned
    /// ([`GroundStats::rarely_overturned`]) starts unticked.
    pub fn new(
        ctx: &egui::Context,
        fleet: Arc<Fleet>,
        (driver, as_of, kind): (usize, Day, LetterKind),
        settings: LetterSettings,
        letters_dir: PathBuf,
        ground_stats: Vec<GroundStats>,
    ) -> LetterEditor {
        let checklist = letters::checklist(&fleet, driver, as_of);
        LetterEditor::with_checklist(
            ctx,
            (fleet, driver, as_of, kind, None),
            checklist,
            settings,
            letters_dir,
            ground_stats,
        )
    }

    /// DSP mode: the dispute of a DA's week (SPEC §7.3).
    pub fn for_week(
        ctx: &egui::Context,
        (fleet, cards): (Arc<Fleet>, Arc<Scorecards>),
        (id, week): (String, Week),
        settings: LetterSettings,
        letters_dir: PathBuf,
        ground_stats: Vec<GroundStats>,
    ) -> LetterEditor {
        let checklist = letters::week_checklist(&fleet, &cards, &id, week);
        let as_of = week.end(cards.week_starts);
        let drafting = (fleet, 0, as_of, LetterKind::Dispute, Some((cards, id, week)));
        LetterEditor::with_checklist(ctx, drafting, checklist, settings, letters_dir, ground_stats)
    }

    #[allow(clippy::type_complexity)]
    fn with_checklist(
        ctx: &egui::Context,
        (fleet, driver, as_of, kind, week): (
            Arc<Fleet>,
            usize,
            Day,
            LetterKind,
            Option<(Arc<Scorecards>, String, Week)>,
        ),
        checklist: Result<Vec<Incident>, LetterError>,
        settings: LetterSettings,
        letters_dir: PathBuf,
        ground_stats: Vec<GroundStats>,
    ) -> LetterEditor {
        let (checklist, notice) = match checklist {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some(Notice::error(e.to_string()))),
        };
        let rarely: BTreeSet<String> = checklist
            .iter()
            .filter(|i| ground_stats.iter().any(|s| s.ground == i.ground && s.rarely_overturned()))
            .flat_map(|i| i.events.iter().map(|e| e.id.clone()))
            .collect();
        let mut editor = LetterEditor {
            fleet,
            driver,
            as_of,
            kind,
            week,
            settings,
            checklist,
            ground_stats,
            unticked: rarely,
            letter: None,
            drafted: (String::new(), String::new()),
            subject: String::new(),
            body: String::new(),
            saved_text: None,
            save_path: letters_dir.display().to_string(),
            saved: None,
            saved_case: None,
            notice,
            question: None,
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
        let week = self.week.clone();
        self.job = Some(spawn(
            "Drafting letter",
            move |_, _| {
                match &week {
                    Some((cards, id, week)) => letters::draft_week(&fleet, cards, id, *week, &settings, &untick)
                        .and_then(|l| l.ok_or_else(|| LetterError::NoScorecard(format!("{id} in {week}")))),
                    None => letters::draft(&fleet, driver, as_of, kind, &settings, &untick),
                }
                .map_err(JobError::Failed)
            },
            move |within| repaint.request_repaint_after(within),
        ));
    }

    /// Whether the text differs from what was last saved (or, never saved, from the draft).
    pub fn has_unsaved_changes(&self) -> bool {
        let current = (self.subject.clone(), self.body.clone());
        match &self.saved_text {
            Some(saved) => *saved != current,
            None => self.letter.is_some() && self.drafted != current,
        }
    }

    fn poll(&mut self) {
        let Some(result) = self.job.as_ref().and_then(Job::poll) else { return };
        self.job = None;
        match result {
            Ok(letter) => {
                let new = (letter.subject.clone(), letter.body.clone());
                if self.letter.is_none() {
                    // The first draft: the file it will be saved as, in the letters folder.
                    self.save_path = PathBuf::from(&self.save_path).join(letter.file_name()).display().to_string();
                    (self.subject, self.body) = new.clone();
                } else {
                    self.take_new_draft(new.clone());
                }
                self.drafted = new;
                self.letter = Some(letter);
            }
            Err(e) => self.notice = Some(Notice::error(e.to_string())),
        }
    }

    /// A new draft for another choice of events, merged into what the user typed: lines
    /// the user did not touch follow the new draft, edited ones stay; where both changed
    /// the same lines, the user is asked.
    fn take_new_draft(&mut self, (subject, body): (String, String)) {
        let (base_subject, base_body) = &self.drafted;
        let subject = if self.subject == *base_subject { subject } else { self.subject.clone() };
        if self.body == *base_body {
            self.subject = subject;
            self.body = body;
            return;
        }
        match diffy::merge(base_body, &self.body, &body) {
            Ok(merged) => {
                self.subject = subject;
                self.body = merged;
                self.notice = Some(Notice::info("Drafted again for the events ticked; your edits were kept"));
            }
            Err(_) => self.question = Some(Question::NewDraft { subject, body }),
        }
    }

    /// Saves, first asking before replacing a file this editor did not write.
    fn request_save(&mut self) {
        let path = PathBuf::from(self.save_path.trim());
        if path.is_file() && self.saved.as_ref() != Some(&path) {
            self.question = Some(Question::Overwrite(path));
        } else {
            self.save();
        }
    }

    fn save(&mut self) {
        let Some(letter) = &self.letter else { return };
        let edited = Letter { subject: self.subject.clone(), body: self.body.clone(), ..letter.clone() };
        let path = PathBuf::from(self.save_path.trim());
        let written =
            letters::to_eml(&edited, chrono::Utc::now().timestamp()).map_err(|e| e.to_string()).and_then(|eml| {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                write_atomic(&path, &eml).map_err(|e| format!("{}: {e}", path.display()))
            });
        self.notice = Some(match written {
            Ok(()) => {
                self.saved = Some(path.clone());
                self.saved_text = Some((self.subject.clone(), self.body.clone()));
                self.saved_case = Some(NewCase {
                    driver_id: letter.driver_id.clone(),
                    kind: letter.kind,
                    file: Some(absolute_text(&path)),
                    created_on: self.fleet.zone.today(),
                    events: letter.event_refs.clone(),
                    grounds: letter.event_grounds(),
                });
                // Saved: a pending "not saved" question no longer applies.
                if matches!(self.question, Some(Question::Close | Question::Overwrite(_))) {
                    self.question = None;
                }
                Notice::info(format!("Saved {}", path.display()))
            }
            Err(e) => Notice::error(format!("Not saved: {e}")),
        });
    }

    /// The letter's text as on screen, once drafted.
    pub fn text(&self) -> Option<&str> {
        self.letter.as_ref().map(|_| self.body.as_str())
    }

    /// Copies the letter's text for a support form (the system's clipboard, in the app):
    /// nothing is attached there, so it names the files to upload instead.
    pub fn copy_text(&mut self, ctx: &egui::Context) {
        ctx.copy_text(crate::letters::support_form_text(&self.body));
        self.notice = Some(Notice::info(
            "Letter text copied for a support form: paste it, then upload the files it names (Save .eml keeps \
             them together)",
        ));
    }

    /// Draws the window; a saved letter sends its case and folder to the app.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        self.poll();
        let title = match self.kind {
            LetterKind::Dispute => "Dispute letter",
            LetterKind::Reactivation => "Reactivation letter",
        };
        // False when the window's × was clicked this frame.
        let mut window_open = true;
        let mut redraft = false;
        egui::Window::new(title).open(&mut window_open).default_size([800.0, 720.0]).show(ctx, |ui| {
            if self.job.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Drafting the letter, its chart and attachments…");
                });
            }
            self.question_ui(ui);
            if self.letter.is_none() {
                if let Some(notice) = &self.notice {
                    ui.colored_label(ui.visuals().error_fg_color, &notice.text);
                }
                return;
            }
            // Saving comes first: the letter below can be long.
            let label = ui.label("Save as");
            ui.add(egui::TextEdit::singleline(&mut self.save_path).desired_width(f32::INFINITY)).labelled_by(label.id);
            let mut save = false;
            ui.horizontal(|ui| {
                save = ui.button("Save .eml").clicked();
                if ui
                    .button("Copy text")
                    .on_hover_text(
                        "Copy the text for a support form: it names the files to upload instead of attaching them",
                    )
                    .clicked()
                {
                    self.copy_text(ui.ctx());
                }
                let open_mail = ui.add_enabled(self.saved.is_some(), egui::Button::new("Open in mail app"));
                if open_mail.on_disabled_hover_text("Save the .eml first").clicked()
                    && let Some(path) = &self.saved
                    && let Err(e) = open::that_detached(path)
                {
                    self.notice = Some(Notice::error(format!("Cannot open the mail app: {e}")));
                }
                if self.has_unsaved_changes() {
                    ui.label(RichText::new("Unsaved changes").color(ui.visuals().warn_fg_color));
                }
            });
            if save {
                self.request_save();
            }
            if let Some(notice) = &self.notice {
                // "Saved …" is true only while the text is what was saved.
                let stale = !notice.is_error && notice.text.starts_with("Saved ") && self.has_unsaved_changes();
                if !stale {
                    let color = if notice.is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                    ui.colored_label(color, &notice.text);
                }
            }
            if self.settings.sender.voice() == crate::letters::Voice::Driver {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(
                            "In the driver's voice: no sender is set, so the driver writes in the first person.",
                        )
                        .weak(),
                    );
                    if ui
                        .small_button("Set a sender…")
                        .on_hover_text("Settings: sender name, email, organisation")
                        .clicked()
                    {
                        commands.push(Command::ShowTab(crate::app::Tab::Settings));
                    }
                });
            }
            ui.separator();
            egui::ScrollArea::vertical().id_salt("letter").show(ui, |ui| redraft |= self.content(ui));
        });
        if redraft {
            self.redraft(ctx);
        }
        if let (Some(case), Some(folder)) = (self.saved_case.take(), self.saved.as_ref().and_then(|p| p.parent())) {
            commands.push(Command::LettersSaved { cases: vec![case], folder: folder.to_path_buf() });
        }
        if !window_open {
            if self.has_unsaved_changes() {
                // Closing would lose the text: ask first.
                self.question = Some(Question::Close);
            } else {
                self.open = false;
            }
        }
    }

    /// The incidents to tick, the attachments, the impact, and the text to edit; true when
    /// a tick changed (the letter is drafted again).
    fn content(&mut self, ui: &mut egui::Ui) -> bool {
        let Some(letter) = &self.letter else { return false };
        let mut redraft = false;
        ui.label(RichText::new("Incidents in the letter").strong())
            .on_hover_text("Untick an event, or a whole incident, to leave it out (the letter is drafted again)");
        // At most a third of the window: the letter's text below stays in view.
        egui::ScrollArea::vertical().id_salt("incidents").max_height(240.0).show(ui, |ui| {
            redraft |= checklist_ui(ui, &self.checklist, &self.ground_stats, &mut self.unticked);
        });
        ui.label(RichText::new("Attachments").strong());
        for a in &letter.attachments {
            ui.label(format!("{} ({:.1} KB)", a.file_name, a.bytes.len() as f64 / 1024.0));
        }
        for p in &letter.problems {
            ui.colored_label(ui.visuals().warn_fg_color, p);
        }
        ui.separator();
        ui.label(RichText::new(&letter.impact.sentence).strong())
            .on_hover_text("The standing now, and computed again without the letter's events");
        let label = ui.label("Subject");
        ui.add(egui::TextEdit::singleline(&mut self.subject).desired_width(f32::INFINITY)).labelled_by(label.id);
        let label = ui.label("Letter text");
        ui.add(egui::TextEdit::multiline(&mut self.body).desired_rows(16).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        let words = words_outside_incidents(&self.body);
        ui.label(
            RichText::new(format!(
                "{words} words outside the incident lines (keep it under {MAX_OTHER_WORDS}; \
                 an incident line under {MAX_INCIDENT_WORDS}, not counting ids, dates and times)"
            ))
            .weak(),
        );
        for problem in style_problems(&self.body, &letter.events) {
            ui.colored_label(ui.visuals().warn_fg_color, problem);
        }
        redraft
    }

    fn question_ui(&mut self, ui: &mut egui::Ui) {
        let Some(question) = self.question.clone() else { return };
        egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| match question {
            Question::NewDraft { subject, body } => {
                ui.label(
                    "The letter was drafted again for the events now ticked, but you edited the same lines. \
                     Keep your text, or take the new draft (your edits are lost)?",
                );
                ui.horizontal(|ui| {
                    if ui.button("Keep my text").clicked() {
                        self.question = None;
                    }
                    if ui.button("Use the new draft").clicked() {
                        self.subject = subject;
                        self.body = body;
                        self.question = None;
                    }
                });
            }
            Question::Close => {
                ui.label(RichText::new("This letter has changes that are not saved.").strong());
                ui.horizontal(|ui| {
                    if ui.button("Save and close").clicked() {
                        self.question = None;
                        self.request_save();
                        if !self.has_unsaved_changes() {
                            self.open = false;
                        }
                    }
                    if ui.button("Discard changes").clicked() {
                        self.open = false;
                        self.question = None;
                    }
                    if ui.button("Keep editing").clicked() {
                        self.question = None;
                    }
                });
            }
            Question::Overwrite(path) => {
                let name = crate::app::state::file_name(&path);
                ui.label(
                    RichText::new(format!("{name} exists already: another letter of this driver and day.")).strong(),
                );
                let other = free_name(&path);
                ui.horizontal(|ui| {
                    if ui.button("Replace it").clicked() {
                        self.question = None;
                        self.save();
                    }
                    if ui.button(format!("Save as {}", crate::app::state::file_name(&other))).clicked() {
                        self.question = None;
                        self.save_path = other.display().to_string();
                        self.save();
                    }
                    if ui.button("Cancel").clicked() {
                        self.question = None;
                    }
                });
            }
        });
    }
}

/// The incidents with their events, each incident's box ticking or unticking all its
/// events; true when a tick changed.
/// Incidents with more events than this show them folded.
const FOLDED_FROM: usize = 3;

fn checklist_ui(
    ui: &mut egui::Ui,
    incidents: &[Incident],
    ground_stats: &[GroundStats],
    unticked: &mut BTreeSet<String>,
) -> bool {
    let mut changed = false;
    for (i, incident) in incidents.iter().enumerate() {
        // The ground's past overturn rate, from the workspace's cases.
        if let Some(s) = ground_stats.iter().find(|s| s.ground == incident.ground)
            && let Some(rate) = s.overturn_rate()
        {
            let decided = s.overturned + s.denied;
            let text = format!(
                "Past disputes on this ground: {} of {decided} overturned ({:.0}%)",
                s.overturned,
                rate * 100.0
            );
            if s.rarely_overturned() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{text}: rarely overturned, left out unless you tick it"),
                );
            } else {
                ui.label(RichText::new(text).weak());
            }
        }
        let out = incident.events.iter().filter(|e| unticked.contains(&e.id)).count();
        let mut all = out == 0;
        let partly = out > 0 && out < incident.events.len();
        let response =
            ui.add(egui::Checkbox::new(&mut all, RichText::new(&incident.title).strong()).indeterminate(partly));
        if response.on_hover_text(&incident.text).changed() {
            for e in &incident.events {
                if all {
                    unticked.remove(&e.id);
                } else {
                    unticked.insert(e.id.clone());
                }
            }
            changed = true;
        }
        // Long incidents fold their events, so that the letter's text shows without scrolling.
        let n = incident.events.len();
        let events_ui = |ui: &mut egui::Ui| {
            for e in &incident.events {
                let mut ticked = !unticked.contains(&e.id);
                let fact = if e.fact.is_empty() { String::new() } else { format!(" · {}", e.fact) };
                let text = format!("{}: {}{fact} ({} {})", e.id, e.what, e.date, e.time);
                if ui.checkbox(&mut ticked, text).changed() {
                    if ticked {
                        unticked.remove(&e.id);
                    } else {
                        unticked.insert(e.id.clone());
                    }
                    changed = true;
                }
            }
        };
        if n <= FOLDED_FROM {
            ui.indent(("incident", i), events_ui);
        } else {
            let title = match out {
                0 => format!("the {n} events"),
                out => format!("the {n} events ({out} left out)"),
            };
            egui::CollapsingHeader::new(title).id_salt(("incident", i)).show(ui, events_ui);
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_new_draft_merges_around_the_lines_the_user_edited() {
        let base =
            "Hello,\n\nRemove the 2 events.\n\n- A: T1.\n- B: T2.\n\nAttached: a.jpg, b.jpg.\n\nThank you,\nAna\n";
        let ours = format!("{base} — call me");
        let theirs = "Hello,\n\nRemove the 1 event.\n\n- A: T1.\n\nAttached: a.jpg.\n\nThank you,\nAna\n";
        let merged = diffy::merge(base, &ours, theirs).unwrap();
        assert_eq!(merged, format!("{theirs} — call me"));
    }
}
