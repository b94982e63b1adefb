//! The app's windows, each a struct with a `show` that sends commands: open files, the
//! workspace, the import report, the letter editor, batch drafting, coaching sheets and calibration; and the native
//! dialogs they open.

mod about;
mod batch;
mod calibrate;
mod export;
mod import_report;
mod learn_bounds;
mod letter_editor;
mod open_files;
mod path_field;
pub mod sheets;
mod workspace;

pub use about::AboutWindow;
pub use batch::BatchWindow;
pub use calibrate::CalibrateWindow;
pub use export::ExportWindow;
pub use import_report::ImportReportWindow;
pub use learn_bounds::LearnBoundsWindow;
pub use letter_editor::LetterEditor;
pub use open_files::OpenFilesWindow;
pub use sheets::SheetsWindow;
pub use workspace::WorkspaceWindow;

use crate::app::worker::Job;
use eframe::egui;
use std::sync::mpsc;

/// What the user did with a window's job row.
pub(crate) enum JobRow {
    Idle,
    Start,
    Cancelled,
}

/// A window's background job: its progress bar with Cancel while it runs (a cancelled job
/// is dropped), else the button that starts it.
pub(crate) fn job_row<T, E: std::fmt::Display>(
    ui: &mut egui::Ui,
    job: &mut Option<Job<T, E>>,
    start: &str,
    can_start: bool,
) -> JobRow {
    match job {
        Some(running) => {
            let mut cancel = false;
            ui.horizontal(|ui| {
                ui.add(egui::ProgressBar::new(running.progress()).show_percentage().desired_width(300.0));
                cancel = ui.button("Cancel").clicked();
            });
            if cancel {
                running.cancel();
                *job = None;
                return JobRow::Cancelled;
            }
            JobRow::Idle
        }
        None if ui.add_enabled(can_start, egui::Button::new(start)).clicked() => JobRow::Start,
        None => JobRow::Idle,
    }
}

/// Runs a native dialog (which blocks), or a short write, on its own thread; its answer
/// comes through the receiver, `None` when it was cancelled or cannot be shown.
pub(crate) fn on_dialog_thread<T: Send + 'static>(
    ctx: &egui::Context,
    dialog: impl FnOnce() -> Option<T> + Send + 'static,
) -> mpsc::Receiver<Option<T>> {
    let (tx, rx) = mpsc::channel();
    let ctx = ctx.clone();
    let failed = tx.clone();
    let spawned = std::thread::Builder::new().name("standwatch-dialog".into()).spawn(move || {
        let _ = tx.send(dialog());
        ctx.request_repaint();
    });
    if spawned.is_err() {
        let _ = failed.send(None);
    }
    rx
}
