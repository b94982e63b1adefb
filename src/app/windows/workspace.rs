//! The Workspace window: open or create a workspace, open the default one, or close the
//! one on screen; says why the last one asked for could not be opened.

use super::on_dialog_thread;
use crate::app::commands::Command;
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

#[derive(Default)]
pub struct WorkspaceWindow {
    pub open: bool,
    path: String,
    /// Why the workspace last asked for could not be opened.
    error: Option<String>,
    dialog: Option<mpsc::Receiver<Option<PathBuf>>>,
}

impl WorkspaceWindow {
    /// Opens the window on `dir` (the workspace on screen, else the default one).
    pub fn open_on(&mut self, dir: Option<PathBuf>) {
        self.open = true;
        if self.path.is_empty() {
            self.path = dir.map(|d| d.display().to_string()).unwrap_or_default();
        }
    }

    /// The workspace in `dir` could not be opened: say why and offer another.
    pub fn failed(&mut self, dir: PathBuf, error: String) {
        tracing::error!("workspace {}: {error}", dir.display());
        self.open = true;
        self.path = dir.display().to_string();
        self.error = Some(error);
    }

    pub fn show(&mut self, ctx: &egui::Context, current: Option<&Path>, commands: &mut Vec<Command>) {
        if let Some(rx) = &self.dialog
            && let Ok(picked) = rx.try_recv()
        {
            self.dialog = None;
            if let Some(dir) = picked {
                self.path = dir.display().to_string();
            }
        }
        let mut open = self.open;
        egui::Window::new("Workspace").open(&mut open).resizable(false).collapsible(false).show(ctx, |ui| {
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, format!("This workspace cannot be opened: {error}"));
                ui.label("Nothing in it was changed. Choose another folder, or fix the problem and open it again.");
                ui.separator();
            }
            ui.label(
                "A workspace keeps every import (newer rows win), the cases of the letters you save, \
                 and the settings. Choose an existing workspace, or a new or empty folder to create one.",
            );
            ui.horizontal(|ui| {
                let label = ui.label("Folder");
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(380.0)).labelled_by(label.id);
                let browsing = self.dialog.is_some();
                if ui.add_enabled(!browsing, egui::Button::new("Browse…")).clicked() {
                    self.dialog = Some(on_dialog_thread(ctx, || {
                        rfd::FileDialog::new().set_title("Workspace folder").pick_folder()
                    }));
                }
            });
            ui.horizontal(|ui| {
                let path = self.path.trim().to_string();
                let mut chosen = None;
                if ui.add_enabled(!path.is_empty(), egui::Button::new("Open or create")).clicked() {
                    chosen = Some(PathBuf::from(path));
                }
                if let Some(default) = crate::workspace::Workspace::default_dir()
                    && ui.button("Default workspace").on_hover_text(default.display().to_string()).clicked()
                {
                    chosen = Some(default);
                }
                if let Some(dir) = chosen {
                    commands.push(Command::OpenWorkspace(dir));
                    self.open = false;
                    self.error = None;
                }
                if current.is_some() && ui.button("Close workspace").clicked() {
                    commands.push(Command::CloseWorkspace);
                    self.open = false;
                }
            });
            if let Some(dir) = current {
                ui.label(format!("Open now: {}", dir.display()));
            }
        });
        self.open &= open;
    }
}
