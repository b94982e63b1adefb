//! Fleet › Export…: where to write the drivers shown (a typed path, or Browse… for the
//! system's dialog), then the workbook or CSV file written, or why not.

use super::path_field::PathField;
use crate::report::Cells;
use eframe::egui;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

const FILTERS: &[(&str, &[&str])] = &[("Excel workbook", &["xlsx"]), ("CSV", &["csv"])];

pub struct ExportWindow {
    rows: Arc<Vec<Cells>>,
    field: PathField,
    /// The file being written, on its own thread (a big fleet's workbook takes a moment).
    writing: Option<Receiver<Option<Result<PathBuf, String>>>>,
    result: Option<Result<PathBuf, String>>,
    pub open: bool,
}

impl ExportWindow {
    /// The rows to write, in order, and the file offered.
    pub fn new(rows: Vec<Cells>, offered: PathBuf) -> ExportWindow {
        ExportWindow {
            rows: Arc::new(rows),
            writing: None,
            field: PathField::save_file(offered, "Export the fleet table", FILTERS),
            result: None,
            open: true,
        }
    }

    /// The file to write: as typed, `.xlsx` added when it names no CSV or workbook.
    fn target(&self) -> PathBuf {
        let path = self.field.path();
        let known = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("csv"));
        if known { path } else { path.with_extension("xlsx") }
    }

    fn write(path: PathBuf, rows: &[Cells]) -> Result<PathBuf, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
        }
        crate::report::export_table(&path, rows).map_err(|e| e.to_string())?;
        Ok(path)
    }

    pub fn show(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.writing
            && let Ok(written) = rx.try_recv()
        {
            self.writing = None;
            let written = written.unwrap_or_else(|| Err("the export thread failed".to_string()));
            if let Err(e) = &written {
                tracing::error!("fleet table not exported: {e}");
            }
            self.result = Some(written);
        }
        let mut open = self.open;
        egui::Window::new("Export the fleet table").open(&mut open).collapsible(false).min_width(640.0).show(
            ctx,
            |ui| {
                ui.label(format!(
                "The {} drivers shown, in this order, with the report's columns: an Excel workbook (.xlsx) or a CSV \
                 file that Excel opens (.csv).",
                self.rows.len()
            ));
                self.field.ui(ui, "Save as");
                let target = self.target();
                if target.is_file() {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} exists: Export replaces it.",
                            crate::app::state::file_name(&target)
                        ))
                        .color(ui.visuals().warn_fg_color),
                    );
                }
                ui.horizontal(|ui| {
                    let ready = !self.field.text.trim().is_empty() && self.writing.is_none();
                    if ui.add_enabled(ready, egui::Button::new("Export")).clicked() {
                        let (path, rows) = (self.target(), self.rows.clone());
                        self.result = None;
                        self.writing = Some(super::on_dialog_thread(ui.ctx(), move || Some(Self::write(path, &rows))));
                    }
                    if self.writing.is_some() {
                        ui.spinner();
                    }
                    match &self.result {
                        Some(Ok(path)) => {
                            ui.label(format!("Exported to {}", path.display()));
                            if ui.button("Open folder").clicked()
                                && let Some(dir) = path.parent()
                                && let Err(e) = open::that_detached(dir)
                            {
                                tracing::error!("cannot open {}: {e}", dir.display());
                            }
                        }
                        Some(Err(e)) => {
                            ui.colored_label(ui.visuals().error_fg_color, format!("Not exported: {e}"));
                        }
                        None => {}
                    }
                });
            },
        );
        self.open &= open;
    }
}
