//! The Import report window: each file's counts, notes, and the rejected rows (file,
//! line, column, reason).

use crate::app::state::file_name;
use crate::import::ImportReport;
use eframe::egui::{self, RichText};
use std::path::Path;

#[derive(Default)]
pub struct ImportReportWindow {
    pub open: bool,
}

impl ImportReportWindow {
    pub fn show(&mut self, ctx: &egui::Context, report: &ImportReport) {
        let mut open = self.open;
        egui::Window::new("Import report").open(&mut open).default_size([720.0, 420.0]).show(ctx, |ui| {
            for f in &report.files {
                ui.label(f.to_string());
            }
            for note in &report.notes {
                ui.label(RichText::new(format!("Note: {note}")).weak());
            }
            ui.separator();
            if report.rejections.is_empty() {
                ui.label("Every row was read.");
                return;
            }
            ui.label(RichText::new(format!("{} rejected rows", report.rejections.len())).strong());
            egui_extras::TableBuilder::new(ui)
                .id_salt("rejections")
                .striped(true)
                .column(egui_extras::Column::initial(200.0).clip(true))
                .column(egui_extras::Column::initial(60.0))
                .column(egui_extras::Column::initial(130.0).clip(true))
                .column(egui_extras::Column::remainder().clip(true))
                .header(20.0, |mut h| {
                    for t in ["File", "Line", "Column", "Reason"] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, report.rejections.len(), |mut row| {
                        let r = &report.rejections[row.index()];
                        row.col(|ui| {
                            ui.label(file_name(Path::new(&r.file))).on_hover_text(&r.file);
                        });
                        row.col(|ui| {
                            ui.label(r.line.to_string());
                        });
                        row.col(|ui| {
                            ui.label(&r.column);
                        });
                        row.col(|ui| {
                            ui.label(&r.reason).on_hover_text(&r.reason);
                        });
                    });
                });
        });
        self.open = open;
    }
}
