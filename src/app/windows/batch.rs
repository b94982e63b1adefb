//! Batch drafting for the drivers selected in the fleet view: a folder, progress with
//! Cancel, then the index of the letters written.

use crate::app::commands::Command;
use crate::app::worker::{Job, JobError, spawn};
use crate::import::time::Day;
use crate::letters::{self, Batch, LetterError, LetterSettings};
use crate::standing::Fleet;
use crate::workspace::cases::NewCase;
use eframe::egui::{self, RichText};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub struct BatchWindow {
    fleet: Arc<Fleet>,
    drivers: Vec<usize>,
    as_of: Day,
    settings: LetterSettings,
    folder: super::path_field::PathField,
    job: Option<Job<Batch, LetterError>>,
    result: Option<Result<Batch, JobError<LetterError>>>,
    pub open: bool,
}

impl BatchWindow {
    pub fn new(
        fleet: Arc<Fleet>,
        drivers: Vec<usize>,
        as_of: Day,
        settings: LetterSettings,
        folder: PathBuf,
    ) -> BatchWindow {
        let folder = super::path_field::PathField::folder(folder, "Folder for the letters");
        BatchWindow { fleet, drivers, as_of, settings, folder, job: None, result: None, open: true }
    }

    fn start(&mut self, ctx: &egui::Context) {
        let (fleet, drivers, as_of, settings) =
            (self.fleet.clone(), self.drivers.clone(), self.as_of, self.settings.clone());
        let folder = self.folder.path();
        let repaint = ctx.clone();
        self.result = None;
        self.job = Some(spawn(
            "Drafting letters",
            move |cancel, progress| {
                let total = drivers.len().max(1) as f32;
                letters::draft_batch(
                    &fleet,
                    &drivers,
                    as_of,
                    &settings,
                    &folder,
                    &|done| progress(done as f32 / total),
                    &|| cancel.load(Ordering::Relaxed),
                )
                .map_err(JobError::Failed)
            },
            move |within| repaint.request_repaint_after(within),
        ));
    }

    /// Draws the window; a finished batch sends its letters' cases and folder to the app.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(result) = self.job.as_ref().and_then(Job::poll) {
            self.job = None;
            if let Ok(batch) = &result {
                let folder = self.folder.path();
                let cases = NewCase::for_batch(batch, &folder, self.fleet.zone.today());
                commands.push(Command::LettersSaved { cases, folder });
            }
            if let Err(e) = &result {
                tracing::error!("dispute letters not written: {e}");
            }
            self.result = Some(result);
        }
        let mut open = self.open;
        egui::Window::new("Draft disputes").open(&mut open).default_size([640.0, 420.0]).show(ctx, |ui| {
            ui.label(format!(
                "A dispute letter for each of the {} selected drivers that has disputable events.",
                self.drivers.len()
            ));
            self.folder.ui(ui, "Folder");
            let can_start = !self.folder.text.trim().is_empty();
            match super::job_row(ui, &mut self.job, "Draft letters", can_start) {
                super::JobRow::Start => self.start(ui.ctx()),
                super::JobRow::Cancelled => self.result = Some(Err(JobError::Cancelled)),
                super::JobRow::Idle => {}
            }
            match &self.result {
                Some(Ok(batch)) => {
                    let written = match batch.index.len() {
                        1 => "1 letter written, with index.csv".to_string(),
                        n => format!("{n} letters written, with index.csv"),
                    };
                    ui.label(RichText::new(written).strong());
                    // The drivers without a letter, and why.
                    let skipped: Vec<&str> = self
                        .drivers
                        .iter()
                        .map(|&i| self.fleet.drivers[i].id.as_str())
                        .filter(|id| !batch.written.iter().any(|w| w.0 == *id))
                        .collect();
                    if !skipped.is_empty() && !batch.cancelled {
                        let (count, verb) = if skipped.len() == 1 {
                            ("1 driver".to_string(), "has")
                        } else {
                            (format!("{} drivers", skipped.len()), "have")
                        };
                        let day = crate::report::day_text(self.as_of);
                        if skipped.len() <= 10 {
                            let ids = skipped.join(", ");
                            ui.label(format!(
                                "No letter for {count} ({ids}): {verb} no event with a dispute ground as of {day}."
                            ));
                        } else {
                            // Every id, on request: a long list would push the letters written away.
                            let title =
                                format!("No letter for {count}: {verb} no event with a dispute ground as of {day}.");
                            egui::CollapsingHeader::new(title).id_salt("batch skipped").show(ui, |ui| {
                                ui.label(skipped.join(", "));
                            });
                        }
                    }
                    for p in &batch.problems {
                        ui.colored_label(ui.visuals().warn_fg_color, p);
                    }
                    egui::ScrollArea::vertical().id_salt("batch-index").show(ui, |ui| {
                        egui::Grid::new("batch-index-grid").striped(true).show(ui, |ui| {
                            for row in &batch.index {
                                ui.label(&row[0]);
                                ui.label(&row[1]);
                                ui.label(&row[2]);
                                ui.label(format!("{} events", row[3].split(';').filter(|s| !s.is_empty()).count()));
                                ui.end_row();
                            }
                        });
                    });
                }
                Some(Err(JobError::Cancelled)) => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        "Cancelled; the letters already written stay in the folder",
                    );
                }
                Some(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                }
                None => {}
            }
        });
        self.open = open;
    }
}
