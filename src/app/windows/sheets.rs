//! Coaching sheets (PDF) for the driver on screen or the drivers selected in the fleet
//! view, or DSP mode's DAs of a week: a folder and the paper, progress with Cancel, then
//! the files with Open buttons.

use crate::app::worker::{Job, JobError, spawn};
use crate::documents::dsp_sheet;
use crate::documents::pdf::Paper;
use crate::documents::sheet::{self, SheetError};
use crate::import::time::Day;
use crate::scorecard::Scorecards;
use crate::scorecard::week::Week;
use crate::standing::Fleet;
use crate::workspace::coaching::CoachingEntry;
use eframe::egui::{self, RichText};
use std::path::PathBuf;
use std::sync::Arc;

/// Whose sheets: Flex drivers on a day, or DAs (ids) for a scorecard week.
#[derive(Clone)]
pub enum SheetsOf {
    Drivers { drivers: Vec<usize>, as_of: Day },
    Das { cards: Arc<Scorecards>, ids: Vec<String>, week: Week },
}

pub struct SheetsWindow {
    fleet: Arc<Fleet>,
    /// The workspace's coaching log (empty without one), printed on the sheets.
    coaching: Arc<Vec<CoachingEntry>>,
    of: SheetsOf,
    pub paper: Paper,
    folder: super::path_field::PathField,
    job: Option<Job<Vec<PathBuf>, SheetError>>,
    result: Option<Result<Vec<PathBuf>, String>>,
    pub open: bool,
}

impl SheetsWindow {
    pub fn new(
        (fleet, coaching): (Arc<Fleet>, Arc<Vec<CoachingEntry>>),
        of: SheetsOf,
        paper: Paper,
        folder: PathBuf,
    ) -> SheetsWindow {
        let folder = super::path_field::PathField::folder(folder, "Folder for the coaching sheets");
        SheetsWindow { fleet, coaching, of, paper, folder, job: None, result: None, open: true }
    }

    fn start(&mut self, ctx: &egui::Context) {
        let (fleet, of, paper) = (self.fleet.clone(), self.of.clone(), self.paper);
        let log = self.coaching.clone();
        let folder = self.folder.path();
        let repaint = ctx.clone();
        self.result = None;
        tracing::info!(folder = %folder.display(), "writing coaching sheets");
        self.job = Some(spawn(
            "Writing coaching sheets",
            move |cancel, progress| {
                let report = |done: usize, total: usize| progress(done as f32 / total.max(1) as f32);
                // One driver: their sheet alone; several: theirs and the summary.
                let written = match &of {
                    SheetsOf::Drivers { drivers, as_of } => {
                        let summary = drivers.len() > 1;
                        let request = sheet::SheetsRequest {
                            drivers,
                            coaching: &log,
                            as_of: *as_of,
                            paper,
                            dir: &folder,
                            summary,
                        };
                        sheet::write_sheets(&fleet, &request, cancel, &report)
                    }
                    SheetsOf::Das { cards, ids, week } => {
                        let summary = ids.len() > 1;
                        let request = dsp_sheet::DaSheetsRequest {
                            ids,
                            coaching: &log,
                            week: *week,
                            paper,
                            dir: &folder,
                            summary,
                        };
                        dsp_sheet::write_da_sheets(&fleet, cards, &request, cancel, &report)
                    }
                };
                written.map_err(|e| match e {
                    SheetError::Cancelled => JobError::Cancelled,
                    e => JobError::Failed(e),
                })
            },
            move |within| repaint.request_repaint_after(within),
        ));
    }

    pub fn show(&mut self, ctx: &egui::Context) {
        if let Some(result) = self.job.as_ref().and_then(Job::poll) {
            self.job = None;
            if let Err(e) = &result {
                tracing::error!("coaching sheets not written: {e}");
            }
            self.result = Some(result.map_err(|e| e.to_string()));
        }
        let mut open = self.open;
        egui::Window::new("Coaching sheets").open(&mut open).default_size([680.0, 360.0]).show(ctx, |ui| {
            ui.label(match &self.of {
                SheetsOf::Drivers { drivers, .. } => match drivers.as_slice() {
                    [one] => format!("A one-page coaching sheet (PDF) for {}.", self.fleet.drivers[*one].id),
                    many => format!(
                        "A one-page coaching sheet (PDF) for each of the {} selected drivers, and fleet.pdf: tier \
                         counts, who is At Risk, who changes tier in the next {} days.",
                        many.len(),
                        sheet::SOON_DAYS
                    ),
                },
                SheetsOf::Das { ids, week, .. } => match ids.as_slice() {
                    [one] => format!(
                        "A one-page coaching sheet (PDF) for {one}, week {week}: the last {} weeks of every \
                         metric, what is past its coaching trigger, the week's defects.",
                        dsp_sheet::WEEKS_SHOWN
                    ),
                    many => format!(
                        "A one-page coaching sheet (PDF) for each of the {} DAs of week {week}, and week-{week}.pdf: \
                         tier counts and who needs attention first.",
                        many.len()
                    ),
                },
            });
            self.folder.ui(ui, "Folder");
            egui::Grid::new("sheets-form").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                ui.label("Paper");
                ui.horizontal(|ui| {
                    for paper in Paper::ALL {
                        ui.radio_value(&mut self.paper, paper, paper.label());
                    }
                });
                ui.end_row();
            });
            let can_start = !self.folder.text.trim().is_empty();
            match super::job_row(ui, &mut self.job, "Write sheets", can_start) {
                super::JobRow::Start => self.start(ui.ctx()),
                super::JobRow::Cancelled => {
                    self.result = Some(Err("Cancelled; the sheets already written stay in the folder".into()))
                }
                super::JobRow::Idle => {}
            }
            let mut to_open = None;
            match &self.result {
                Some(Ok(files)) => {
                    let written = match files.len() {
                        1 => "1 file written".to_string(),
                        n => format!("{n} files written"),
                    };
                    ui.label(RichText::new(written).strong());
                    ui.horizontal(|ui| {
                        if ui.button("Open folder").clicked() {
                            to_open = Some(self.folder.path());
                        }
                        let summary = files.iter().find(|f| {
                            let name = crate::app::state::file_name(f);
                            name == "fleet.pdf" || name.starts_with("week-")
                        });
                        let first = if files.len() == 1 { files.first() } else { summary };
                        if let Some(file) = first
                            && ui.button(format!("Open {}", crate::app::state::file_name(file))).clicked()
                        {
                            to_open = Some(file.clone());
                        }
                    });
                }
                Some(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {}
            }
            if let Some(path) = to_open
                && let Err(e) = open::that_detached(&path)
            {
                tracing::error!("cannot open {}: {e}", path.display());
                self.result = Some(Err(format!("{}: {e}", path.display())));
            }
        });
        self.open = open;
    }
}
