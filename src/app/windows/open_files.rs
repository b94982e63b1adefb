//! The Open exports window: a native file dialog when one can be shown, typed paths
//! always. Each typed path is checked before anything is imported, and a problem is
//! shown beside its field.

use super::on_dialog_thread;
use crate::app::commands::Command;
use crate::import::{InputPaths, TableKind, check_input};
use crate::load::Source;
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

const FIELDS: [(&str, TableKind); 7] = [
    ("Blocks", TableKind::Blocks),
    ("Deliveries", TableKind::Deliveries),
    ("Roster (optional)", TableKind::Roster),
    ("Outages (optional)", TableKind::Outages),
    ("DNR concessions (optional)", TableKind::Concessions),
    ("Exceptions / RTS (optional)", TableKind::Exceptions),
    ("Scorecards (DSP mode)", TableKind::Scorecard),
];

/// The fields that take several files, separated by [`SEPARATOR`].
const MANY: [usize; 3] = [4, 5, 6];
const SCORECARDS: usize = 6;
const SEPARATOR: char = ';';

#[derive(Default)]
pub struct OpenFilesWindow {
    pub open: bool,
    paths: [String; 7],
    /// Why each typed path cannot be imported, shown beside its field.
    errors: [Option<String>; 7],
    dialog: Option<mpsc::Receiver<Option<Vec<PathBuf>>>>,
}

impl OpenFilesWindow {
    /// Opens the window with these paths filled in, for the user to complete.
    pub fn complete(&mut self, paths: &InputPaths) {
        let text = |p: Option<&Path>| p.map(|p| p.display().to_string()).unwrap_or_default();
        let list = |l: &[PathBuf]| l.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("; ");
        self.paths = [
            text(Some(&paths.blocks)),
            text(Some(&paths.deliveries)),
            text(paths.roster.as_deref()),
            text(paths.outages.as_deref()),
            list(&paths.concessions),
            list(&paths.exceptions),
            list(&paths.scorecards),
        ];
        self.errors = Default::default();
        self.open = true;
    }

    /// `in_workspace`: any kind may be given alone (a workspace merges them).
    pub fn show(&mut self, ctx: &egui::Context, in_workspace: bool, commands: &mut Vec<Command>) {
        if let Some(rx) = &self.dialog
            && let Ok(picked) = rx.try_recv()
        {
            self.dialog = None;
            if let Some(files) = picked.filter(|f| !f.is_empty()) {
                self.open = false;
                commands.push(Command::AddFiles(files));
            }
        }
        let mut open = self.open;
        egui::Window::new("Open exports").open(&mut open).resizable(false).collapsible(false).min_width(680.0).show(
            ctx,
            |ui| {
                ui.label(
                    "Pick the exports, CSV files or workbooks: blocks and deliveries (roster, outages, Amazon's DNR \
                 concessions and package exceptions / RTS reports optional), or Amazon's weekly scorecards (DSP \
                 mode). Several files of a kind are joined by ;.",
                );
                ui.horizontal(|ui| {
                    let browsing = self.dialog.is_some();
                    if ui.add_enabled(!browsing, egui::Button::new("Browse…")).clicked() {
                        self.dialog = Some(on_dialog_thread(ctx, || {
                            rfd::FileDialog::new()
                                .add_filter(
                                    "Exports (CSV, Excel, OpenDocument)",
                                    &["csv", "txt", "tsv", "xlsx", "xlsm", "xlsb", "xls", "ods"],
                                )
                                .set_title("Open exports")
                                .pick_files()
                        }));
                    }
                    if browsing {
                        ui.spinner();
                        ui.label("Waiting for the file dialog…");
                    }
                });
                ui.label("Or type the paths:");
                self.fields(ui);
                let typed = self.paths.clone().map(|p| p.trim().to_string());
                let ready = if in_workspace {
                    typed.iter().any(|p| !p.is_empty())
                } else {
                    (!typed[0].is_empty() && !typed[1].is_empty()) || !typed[SCORECARDS].is_empty()
                };
                let import =
                    ui.add_enabled(ready, egui::Button::new("Import")).on_disabled_hover_text(if in_workspace {
                        "Give at least one file"
                    } else {
                        "Give the blocks and the deliveries files, or scorecards"
                    });
                if import.clicked()
                    && let Some(command) = self.checked(&typed, in_workspace)
                {
                    commands.push(command);
                    self.open = false;
                }
            },
        );
        self.open &= open;
    }

    fn fields(&mut self, ui: &mut egui::Ui) {
        egui::Grid::new("open-paths").num_columns(2).show(ui, |ui| {
            for (i, (name, _)) in FIELDS.iter().enumerate() {
                let label = ui.label(*name);
                ui.vertical(|ui| {
                    let edit = egui::TextEdit::singleline(&mut self.paths[i]).desired_width(460.0);
                    if ui.add(edit).labelled_by(label.id).changed() {
                        self.errors[i] = None;
                    }
                    if let Some(error) = &self.errors[i] {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                    }
                });
                ui.end_row();
            }
        });
    }

    /// The import to run, once every typed path is an export of its field's kind; else
    /// the problems go beside their fields and nothing is imported.
    fn checked(&mut self, typed: &[String; 7], in_workspace: bool) -> Option<Command> {
        let files = |i: usize| -> Vec<PathBuf> {
            let parts: Vec<&str> =
                if MANY.contains(&i) { typed[i].split(SEPARATOR).collect() } else { vec![typed[i].as_str()] };
            parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).map(PathBuf::from).collect()
        };
        self.errors = std::array::from_fn(|i| {
            let problems: Vec<String> =
                files(i).iter().filter_map(|p| check_input(p, FIELDS[i].1).err().map(|e| e.to_string())).collect();
            (!problems.is_empty()).then(|| problems.join("\n"))
        });
        if self.errors.iter().any(Option::is_some) {
            return None;
        }
        if in_workspace {
            return Some(Command::AddFiles((0..FIELDS.len()).flat_map(files).collect()));
        }
        let mut paths = InputPaths::default();
        for (i, (_, kind)) in FIELDS.iter().enumerate() {
            for file in files(i) {
                paths.set(*kind, file);
            }
        }
        let flex = !paths.blocks.as_os_str().is_empty() && !paths.deliveries.as_os_str().is_empty();
        if !flex && paths.scorecards.is_empty() {
            return None;
        }
        Some(Command::Load(Source::Files(paths)))
    }
}
