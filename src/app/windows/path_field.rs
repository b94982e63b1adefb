//! Where to save: a typed path with **Browse…** beside it. The system's dialog runs on its
//! own thread; where none can open (no portal, no zenity) the typed path still works, and
//! the field says why the dialog did not come.

use super::on_dialog_thread;
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A dialog that answers "nothing" this fast was not shown: a person takes longer.
const NOT_SHOWN_WITHIN: Duration = Duration::from_millis(700);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    Folder,
    /// A file to write, offered with these filters (name, extensions).
    SaveFile(&'static [(&'static str, &'static [&'static str])]),
}

pub struct PathField {
    pub text: String,
    pick: Pick,
    title: &'static str,
    dialog: Option<(Receiver<Option<PathBuf>>, Instant)>,
    note: Option<String>,
}

impl PathField {
    pub fn folder(path: PathBuf, title: &'static str) -> PathField {
        PathField { text: path.display().to_string(), pick: Pick::Folder, title, dialog: None, note: None }
    }

    pub fn save_file(
        path: PathBuf,
        title: &'static str,
        filters: &'static [(&'static str, &'static [&'static str])],
    ) -> PathField {
        PathField { text: path.display().to_string(), pick: Pick::SaveFile(filters), title, dialog: None, note: None }
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(self.text.trim())
    }

    /// The label, the field and Browse…, on one row filling the width.
    pub fn ui(&mut self, ui: &mut egui::Ui, label: &str) {
        self.poll();
        ui.horizontal(|ui| {
            let label = ui.label(label);
            let width = (ui.available_width() - 90.0).max(200.0);
            ui.add(egui::TextEdit::singleline(&mut self.text).desired_width(width)).labelled_by(label.id);
            let browsing = self.dialog.is_some();
            if ui.add_enabled(!browsing, egui::Button::new("Browse…")).clicked() {
                self.browse(ui.ctx());
            }
            if browsing {
                ui.spinner();
            }
        });
        if let Some(note) = &self.note {
            ui.label(egui::RichText::new(note).color(ui.visuals().warn_fg_color));
        }
    }

    fn browse(&mut self, ctx: &egui::Context) {
        let current = self.path();
        let (pick, title) = (self.pick, self.title);
        self.note = None;
        let rx = on_dialog_thread(ctx, move || {
            let mut dialog = rfd::FileDialog::new().set_title(title);
            match pick {
                Pick::Folder => {
                    if current.is_dir() {
                        dialog = dialog.set_directory(&current);
                    }
                    dialog.pick_folder()
                }
                Pick::SaveFile(filters) => {
                    for (name, extensions) in filters {
                        dialog = dialog.add_filter(*name, extensions);
                    }
                    if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
                        dialog = dialog.set_directory(dir);
                    }
                    if let Some(name) = current.file_name() {
                        dialog = dialog.set_file_name(name.to_string_lossy());
                    }
                    dialog.save_file()
                }
            }
        });
        self.dialog = Some((rx, Instant::now()));
    }

    fn poll(&mut self) {
        let Some((rx, asked)) = &self.dialog else { return };
        let Ok(answer) = rx.try_recv() else { return };
        let quick = asked.elapsed() < NOT_SHOWN_WITHIN;
        self.dialog = None;
        match answer {
            Some(path) => self.text = path.display().to_string(),
            None if quick => {
                tracing::warn!("the file dialog did not open");
                self.note = Some(
                    "No file dialog could open on this system (none is installed, or it failed): type the path \
                     above instead."
                        .to_string(),
                );
            }
            None => {}
        }
    }
}
