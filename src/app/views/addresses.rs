//! Addresses view: the buildings where DNR claims and access problems of several drivers
//! gather (docs/rules.md §8.1 ADDRESS_CLUSTER), with their events, drivers and days. The
//! address, not the driver, is the problem: a dispute ground, and a coaching exemption.

use crate::app::commands::Command;
use crate::report::day_text;
use crate::standing::Fleet;
use crate::standing::clusters::AddressCluster;
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

#[derive(Default)]
pub struct AddressesView {
    /// The building whose events are listed (an index into the fleet's clusters).
    selected: Option<usize>,
}

fn days_text(c: &AddressCluster) -> String {
    match c.days() {
        Some((first, last)) if first == last => day_text(first),
        Some((first, last)) => format!("{} – {}", day_text(first), day_text(last)),
        None => String::new(),
    }
}

impl AddressesView {
    pub fn ui(&mut self, ui: &mut egui::Ui, fleet: &Fleet, commands: &mut Vec<Command>) {
        let clusters = fleet.clusters();
        let w = &fleet.thresholds.windows;
        ui.heading("Addresses with clustered claims");
        ui.label(format!(
            "Buildings where at least {} DNR claims and access problems of two or more drivers fall within {} days \
             of each other. The address, not the driver, is the problem: these events carry the ADDRESS_CLUSTER \
             dispute ground, and they are no reason to coach the drivers.",
            w.cluster_events, w.cluster_days
        ));
        ui.add_space(6.0);
        if clusters.is_empty() {
            ui.label(RichText::new("No building has clustered claims in this data.").size(16.0));
            ui.label(
                "Addresses come from a deliveries export with an address column, or from Amazon's package \
                 exceptions report: open it with Open files… or drop it on this window.",
            );
            return;
        }
        if self.selected.is_some_and(|s| s >= clusters.len()) {
            self.selected = None;
        }
        let table_height = (ui.available_height() * 0.45).max(120.0);
        TableBuilder::new(ui)
            .id_salt("addresses-table")
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(table_height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(380.0).clip(true))
            .column(Column::exact(140.0))
            .column(Column::exact(90.0))
            .column(Column::exact(70.0))
            .column(Column::remainder().at_least(200.0))
            .header(24.0, |mut h| {
                for title in ["Building", "Claims and access", "DNR claims", "Drivers", "Days"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, clusters.len(), |mut row| {
                    let i = row.index();
                    let c = &clusters[i];
                    row.set_selected(self.selected == Some(i));
                    row.col(|ui| {
                        ui.label(&c.label);
                    });
                    row.col(|ui| {
                        ui.label(c.events.len().to_string());
                    });
                    row.col(|ui| {
                        ui.label(c.claims().to_string());
                    });
                    row.col(|ui| {
                        ui.label(c.drivers().len().to_string());
                    });
                    row.col(|ui| {
                        ui.label(days_text(c));
                    });
                    if row.response().clicked() {
                        self.selected = if self.selected == Some(i) { None } else { Some(i) };
                    }
                });
            });
        ui.add_space(8.0);
        let Some(c) = self.selected.and_then(|i| clusters.get(i)) else {
            ui.label(RichText::new("Click a building to list its events.").weak());
            return;
        };
        ui.separator();
        ui.strong(format!("{}: {} events of {} drivers", c.label, c.events.len(), c.drivers().len()));
        egui::ScrollArea::vertical().id_salt("cluster-events").show(ui, |ui| {
            egui::Grid::new("cluster-events-grid").striped(true).num_columns(5).show(ui, |ui| {
                for title in ["Day", "Package", "What", "Address", "Driver"] {
                    ui.strong(title);
                }
                ui.end_row();
                for e in &c.events {
                    ui.label(day_text(e.day));
                    ui.label(&e.tracking_id);
                    ui.label(if e.dnr { "DNR claim" } else { "Access problem" });
                    ui.label(&e.address);
                    let name = fleet
                        .driver_index(&e.driver_id)
                        .and_then(|d| fleet.drivers[d].name.clone())
                        .map_or_else(|| e.driver_id.clone(), |n| format!("{} {n}", e.driver_id));
                    if ui.link(name).on_hover_text("Open the driver").clicked()
                        && let Some(d) = fleet.driver_index(&e.driver_id)
                    {
                        commands.push(Command::OpenDriver(d));
                    }
                    ui.end_row();
                }
            });
        });
    }
}
