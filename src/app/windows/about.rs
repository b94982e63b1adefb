//! The About window: the version, and the folders the program keeps things in (settings,
//! the default workspace, the sample data), each with a button that opens it.

use eframe::egui::{self, RichText};
use std::path::PathBuf;

#[derive(Default)]
pub struct AboutWindow {
    pub open: bool,
    /// Why a folder could not be opened.
    problem: Option<String>,
}

impl AboutWindow {
    pub fn show(&mut self, ctx: &egui::Context, settings_path: Option<&std::path::Path>) {
        let mut open = self.open;
        egui::Window::new("About Standwatch").open(&mut open).collapsible(false).resizable(false).show(ctx, |ui| {
            ui.label(RichText::new(format!("Standwatch {}", env!("CARGO_PKG_VERSION"))).strong().size(16.0));
            ui.label(env!("CARGO_PKG_DESCRIPTION"));
            ui.label(RichText::new(format!("License: {}", env!("CARGO_PKG_LICENSE"))).weak());
            ui.add_space(6.0);
            let folders: [(&str, Option<PathBuf>); 4] = [
                ("Settings", settings_path.and_then(|p| p.parent()).map(PathBuf::from)),
                ("Default workspace", crate::workspace::Workspace::default_dir()),
                ("Sample data", Some(crate::sample::dir())),
                ("Logs", crate::logging::log_dir()),
            ];
            egui::Grid::new("about-folders").num_columns(3).show(ui, |ui| {
                for (what, folder) in folders {
                    ui.label(what);
                    match folder {
                        Some(folder) => {
                            ui.label(RichText::new(folder.display().to_string()).monospace());
                            let exists = folder.is_dir();
                            let button = ui
                                .add_enabled(exists, egui::Button::new("Open"))
                                .on_disabled_hover_text("Not created yet");
                            if button.clicked()
                                && let Err(e) = open::that_detached(&folder)
                            {
                                tracing::error!("cannot open {}: {e}", folder.display());
                                self.problem = Some(format!("{}: {e}", folder.display()));
                            }
                        }
                        None => {
                            ui.label(RichText::new("none on this system").weak());
                            ui.label("");
                        }
                    }
                    ui.end_row();
                }
            });
            if let Some(problem) = &self.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
        });
        self.open &= open;
    }
}
