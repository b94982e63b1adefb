//! The app's windows, each a struct with a `show` that sends commands: open files, the
//! workspace, the import report, the letter editor, batch drafting and coaching sheets; and the native
//! dialogs they open.

mod about;
mod batch;
mod calibrate;
mod import_report;
mod letter_editor;
mod open_files;
mod sheets;
mod workspace;

pub use about::AboutWindow;
pub use batch::BatchWindow;
pub use calibrate::CalibrateWindow;
pub use import_report::ImportReportWindow;
pub use letter_editor::LetterEditor;
pub use open_files::OpenFilesWindow;
pub use sheets::SheetsWindow;
pub use workspace::WorkspaceWindow;

use eframe::egui;
use std::sync::mpsc;

/// Runs a native dialog (which blocks) on its own thread; its answer comes through the
/// receiver, `None` when it was cancelled or cannot be shown.
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
