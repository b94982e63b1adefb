//! Fleet view: tier counts as filters, filters by station, alert and search, a virtualised
//! sortable table with keyboard navigation and multi-select, and the fleet trend chart.
//! Formatted cells and the filtered, sorted order are cached per data/sort/filter change.

use crate::app::commands::Command;
use crate::app::theme::{metric_help, sparkline, tier_badge_colors, tier_chip, tier_color, tier_text_color};
use crate::overview::{DriverSummary, Overview, RowFilter, SortColumn, row_order, tier_slot};
use crate::report::{Field, day_text};
use crate::standing::Fleet;
use crate::standing::alerts::Alert;
use crate::standing::rules::{Tier, tier_label};

use eframe::egui::{self, Key, RichText};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Line, Plot, PlotPoints};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Where a table column's text comes from: a column of the report, or one the screen adds.
#[derive(Clone, Copy)]
enum Shows {
    Report(Field),
    Station,
    /// A picture: the overall tier's trend.
    Trend,
    /// The forecast's next tier change.
    ChangesOn,
    /// The alerts in words, most severe first.
    Alerts,
    /// The tier change and the metric that moved most in 7 days.
    SinceLastWeek,
}

/// Table columns, in order: (title, tooltip key, what a click sorts by, what it shows).
const COLUMNS: [(&str, &str, SortColumn, Shows); 22] = [
    ("Driver", "", SortColumn::Driver, Shows::Report(Field::DriverId)),
    ("Name", "", SortColumn::Name, Shows::Report(Field::DriverName)),
    ("Alerts", "", SortColumn::Alerts, Shows::Alerts),
    ("Overall", "overall", SortColumn::Overall, Shows::Report(Field::OverallTier)),
    ("Trend", "overall", SortColumn::Overall, Shows::Trend),
    ("Since last week", "", SortColumn::SinceLastWeek, Shows::SinceLastWeek),
    ("Station", "", SortColumn::Station, Shows::Station),
    ("Reliability", "reliability", SortColumn::Reliability, Shows::Report(Field::ReliabilityTier)),
    ("Blocks on time", "reliability", SortColumn::ReliabilityRate, Shows::Report(Field::ReliabilityRate)),
    ("Blocks", "reliability", SortColumn::Blocks, Shows::Report(Field::ReliabilityBlocks)),
    ("Quality", "quality", SortColumn::Quality, Shows::Report(Field::QualityTier)),
    ("Attempted", "attempted", SortColumn::Attempted, Shows::Report(Field::AttemptedRate)),
    ("Success", "success", SortColumn::Success, Shows::Report(Field::SuccessRate)),
    ("Pkgs on time", "on_time", SortColumn::OnTime, Shows::Report(Field::OnTimeRate)),
    ("DNR", "dnr", SortColumn::Dnr, Shows::Report(Field::DnrCount)),
    ("Packages", "quality", SortColumn::Packages, Shows::Report(Field::QualityPackages)),
    ("Headroom blk", "headroom", SortColumn::ReliabilityHeadroom, Shows::Report(Field::ReliabilityHeadroom)),
    ("Headroom pkg", "headroom", SortColumn::QualityHeadroom, Shows::Report(Field::QualityHeadroom)),
    ("Headroom DNR", "headroom", SortColumn::DnrHeadroom, Shows::Report(Field::DnrHeadroom)),
    ("Blocks to next", "to_next", SortColumn::BlocksToNextTier, Shows::Report(Field::BlocksToNextTier)),
    ("Pkgs to next", "to_next", SortColumn::PackagesToNextTier, Shows::Report(Field::PackagesToNextTier)),
    ("Changes on", "forecast", SortColumn::ChangesOn, Shows::ChangesOn),
];

/// The Alerts column: the table opens sorted by it, most severe first.
const ALERTS_COLUMN: usize = 2;

/// Tiers in the summary and the tier filter: best first, then No standing.
const TIER_SLOTS: [Option<Tier>; 5] =
    [Some(Tier::Fantastic), Some(Tier::Great), Some(Tier::Fair), Some(Tier::AtRisk), None];

/// What the cached row order depends on: the overview, the filter and the sort.
type ViewKey = (usize, RowFilter, Option<Sort>);

/// A sort: the column's position in the table, and the direction.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Sort {
    pub column: usize,
    pub ascending: bool,
}

/// The text of each cell of one driver, formatted once per overview.
struct RowText {
    cells: [String; COLUMNS.len()],
    deactivated: bool,
}

#[derive(Default)]
pub struct FleetView {
    pub filter: RowFilter,
    pub sort: Option<Sort>,
    /// Selected rows (positions in the overview's drivers).
    pub selected: BTreeSet<usize>,
    /// The keyboard cursor: a position in `visible`.
    cursor: Option<usize>,
    anchor: Option<usize>,
    /// Positions into the overview's drivers, filtered and sorted.
    pub visible: Vec<usize>,
    texts: Vec<RowText>,
    /// The overview and view settings `visible` was computed for.
    cache_key: Option<ViewKey>,
    show_trend: bool,
    scroll_to_cursor: bool,
    /// The vertical scroll offset both parts of the table share.
    table_offset: f32,
    /// The overall tier a person saw on the as-of day, per row of the overview (empty
    /// without observed tiers), and what it was computed for.
    seen: Vec<Option<Tier>>,
    seen_key: Option<(usize, usize)>,
}

/// Driver and Name stay in place when the other columns scroll sideways.
const FROZEN: usize = 2;
const FROZEN_WIDTH: f32 = 250.0;

impl FleetView {
    /// Opens sorted by severity: who needs attention first.
    pub fn new() -> FleetView {
        FleetView {
            show_trend: true,
            sort: Some(Sort { column: ALERTS_COLUMN, ascending: true }),
            ..FleetView::default()
        }
    }

    /// Formats every row once; called when a new overview arrives.
    pub fn set_data(&mut self, fleet: &Fleet, overview: &Overview) {
        self.texts = overview
            .drivers
            .iter()
            .map(|row| {
                let d = &fleet.drivers[row.driver];
                let cells = COLUMNS.map(|(_, _, _, shows)| match shows {
                    Shows::Report(field) => field.value(d, &row.standing).screen_text(),
                    Shows::Station => d.station.clone().unwrap_or_default(),
                    Shows::Trend => String::new(),
                    Shows::ChangesOn => row.next_change.map_or_else(String::new, |c| {
                        format!("{} {} {}", day_text(c.day), if c.rises() { "▲" } else { "▼" }, tier_label(c.to))
                    }),
                    Shows::Alerts => row.standing.alerts.iter().map(|a| a.words()).collect::<Vec<_>>().join(", "),
                    Shows::SinceLastWeek => row.since_last_week.text.clone(),
                });
                RowText { cells, deactivated: d.deactivated }
            })
            .collect();
        self.selected.retain(|&i| i < overview.drivers.len());
        self.cache_key = None;
    }

    /// Recomputes the filtered, sorted order when the data or the view settings changed.
    fn refresh(&mut self, fleet: &Fleet, overview: &Arc<Overview>) {
        let key = (Arc::as_ptr(overview) as usize, self.filter.clone(), self.sort);
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        let sort = self.sort.map(|s| (COLUMNS[s.column].2, s.ascending));
        self.visible = row_order(fleet, overview, &self.filter, sort);
        self.cursor = self.cursor.map(|c| c.min(self.visible.len().saturating_sub(1)));
        self.cache_key = Some(key);
    }

    /// `observed`: tiers a person saw; the one of the as-of day shows beside the computed tier.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        fleet: &Fleet,
        overview: &Arc<Overview>,
        observed: Option<&crate::app::state::Observed>,
        commands: &mut Vec<Command>,
    ) {
        self.refresh(fleet, overview);
        self.refresh_seen(fleet, overview, observed);
        self.summary(ui, overview);
        ui.add_space(4.0);
        self.filters(ui, overview, commands);
        ui.add_space(4.0);
        if self.show_trend {
            trend_chart(ui, overview);
            ui.add_space(4.0);
        }
        self.keyboard(ui, overview, commands);
        // The table is wider than a 1280-pixel window: it scrolls sideways as a whole.
        self.table(ui, overview, commands);
    }

    fn refresh_seen(
        &mut self,
        fleet: &Fleet,
        overview: &Arc<Overview>,
        observed: Option<&crate::app::state::Observed>,
    ) {
        let key = (Arc::as_ptr(overview) as usize, observed.map_or(0, |o| std::ptr::from_ref(o) as usize));
        if self.seen_key == Some(key) {
            return;
        }
        self.seen_key = Some(key);
        self.seen = match observed {
            Some(o) => overview
                .drivers
                .iter()
                .map(|row| {
                    let id = &fleet.drivers[row.driver].id;
                    o.latest(id, overview.as_of).filter(|(day, _)| *day == overview.as_of).map(|(_, t)| t.overall)
                })
                .collect(),
            None => Vec::new(),
        };
    }

    fn summary(&mut self, ui: &mut egui::Ui, overview: &Overview) {
        let mut counts = [0usize; 5];
        for row in &overview.drivers {
            counts[tier_slot(row.standing.overall)] += 1;
        }
        ui.horizontal_wrapped(|ui| {
            for tier in TIER_SLOTS {
                let slot = tier_slot(tier);
                let on = self.filter.tiers.contains(&slot);
                let text = RichText::new(format!("{}  {}", tier_label(tier), counts[slot])).size(16.0).strong();
                let (badge, on_badge) = tier_badge_colors(tier, ui.visuals());
                let text = if on { text.color(on_badge) } else { text.color(tier_text_color(tier, ui.visuals())) };
                let button = egui::Button::new(text)
                    .fill(if on { badge } else { ui.visuals().faint_bg_color })
                    .stroke(egui::Stroke::new(1.5, badge))
                    .min_size(egui::vec2(120.0, 32.0));
                let response = ui
                    .add(button)
                    .on_hover_text(format!("Show only {} drivers (click again to clear)", tier_label(tier)));
                if response.clicked() && !self.filter.tiers.remove(&slot) {
                    self.filter.tiers.insert(slot);
                }
            }
            ui.separator();
            ui.label(format!("{} drivers · as of {}", overview.drivers.len(), day_text(overview.as_of)))
                .on_hover_text(metric_help("lag"));
        });
    }

    fn filters(&mut self, ui: &mut egui::Ui, overview: &Overview, commands: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Search");
            let search = ui.add(
                egui::TextEdit::singleline(&mut self.filter.search)
                    .hint_text("name or id  (Ctrl+F)")
                    .desired_width(180.0),
            );
            let search = search.labelled_by(label.id).on_hover_text("Esc clears the search");
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::F)) {
                search.request_focus();
            }
            // Esc leaves the field (egui) and clears it.
            if (search.has_focus() || search.lost_focus()) && ui.input(|i| i.key_pressed(Key::Escape)) {
                self.filter.search.clear();
            }
            let label = ui.label("Station");
            ui.label_inputs_by(label.id, |ui| {
                egui::ComboBox::from_id_salt("station-filter")
                    .selected_text(self.filter.station.clone().unwrap_or_else(|| "All".into()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.filter.station, None, "All");
                        for s in &overview.stations {
                            ui.selectable_value(&mut self.filter.station, Some(s.clone()), s);
                        }
                    });
            });
            let label = ui.label("Alert");
            ui.label_inputs_by(label.id, |ui| {
                egui::ComboBox::from_id_salt("alert-filter")
                    .selected_text(self.filter.alert.map_or("Any", Alert::words))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.filter.alert, None, "Any");
                        for a in Alert::ALL {
                            ui.selectable_value(&mut self.filter.alert, Some(a), a.words()).on_hover_text(a.code());
                        }
                    });
            });
            if ui.button("Clear filters").clicked() {
                self.filter = RowFilter::default();
            }
            ui.checkbox(&mut self.show_trend, "Fleet trend");
            ui.separator();
            ui.label(format!("{} shown · {} selected", self.visible.len(), self.selected.len()));
            let drafting = ui.add_enabled(!self.selected.is_empty(), egui::Button::new("Draft disputes for selected"));
            if drafting.on_disabled_hover_text("Select drivers first (click, Shift+click, Ctrl+click)").clicked() {
                let drivers = self.selected.iter().map(|&p| overview.drivers[p].driver).collect();
                commands.push(Command::DraftBatch(drivers));
            }
            let sheets = ui.add_enabled(!self.selected.is_empty(), egui::Button::new("Coaching sheets for selected"));
            if sheets.on_hover_text("A one-page PDF per driver and the fleet's summary").clicked() {
                let drivers = self.selected.iter().map(|&p| overview.drivers[p].driver).collect();
                commands.push(Command::CoachingSheets(drivers));
            }
            if !self.selected.is_empty() && ui.button("Select none").clicked() {
                self.selected.clear();
            }
            self.export_ui(ui, commands);
        });
    }

    /// Export…: the table as shown (filtered and sorted), with the report's columns, to a
    /// workbook or a CSV file (the app asks where and writes it, [`Command::ExportFleet`]).
    fn export_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let clicked = ui
            .add_enabled(!self.visible.is_empty(), egui::Button::new("Export…"))
            .on_hover_text("The drivers shown, in this order, to a spreadsheet (.xlsx) or a CSV file");
        if clicked.clicked() {
            commands.push(Command::ExportFleet(self.visible.clone()));
        }
    }

    /// The selected rows as shown, tab-separated under the column titles (pastes into a
    /// spreadsheet); the trend, a picture, is left out.
    pub fn selected_as_tsv(&self) -> String {
        let columns: Vec<usize> = (0..COLUMNS.len()).filter(|&c| !matches!(COLUMNS[c].3, Shows::Trend)).collect();
        let clean = |t: &str| t.replace(['\t', '\n', '\r'], " ");
        let mut out = columns.iter().map(|&c| COLUMNS[c].0).collect::<Vec<_>>().join("\t");
        out.push('\n');
        for &p in self.visible.iter().filter(|p| self.selected.contains(p)) {
            let cells = &self.texts[p].cells;
            out.push_str(&columns.iter().map(|&c| clean(&cells[c])).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
        out
    }

    fn keyboard(&mut self, ui: &mut egui::Ui, overview: &Overview, commands: &mut Vec<Command>) {
        // Arrow keys move through the table unless a text field has the focus (a clicked
        // row or button may hold the focus: the keys still belong to the table).
        if ui.ctx().text_edit_focused() || self.visible.is_empty() {
            return;
        }
        // Ctrl+C: the selected rows, to paste into a spreadsheet.
        if !self.selected.is_empty() && ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy))) {
            ui.ctx().copy_text(self.selected_as_tsv());
        }
        let (down, up, enter, shift, page_down, page_up) = ui.input(|i| {
            (
                i.key_pressed(Key::ArrowDown),
                i.key_pressed(Key::ArrowUp),
                i.key_pressed(Key::Enter),
                i.modifiers.shift,
                i.key_pressed(Key::PageDown),
                i.key_pressed(Key::PageUp),
            )
        });
        let last = self.visible.len() - 1;
        let step: isize = match (down, up, page_down, page_up) {
            (true, _, _, _) => 1,
            (_, true, _, _) => -1,
            (_, _, true, _) => 20,
            (_, _, _, true) => -20,
            _ => 0,
        };
        if step != 0 {
            let next = match self.cursor {
                None => 0,
                Some(c) => (c as isize + step).clamp(0, last as isize) as usize,
            };
            self.move_cursor(next, shift);
            self.scroll_to_cursor = true;
        }
        // Rows are positions in the overview; the driver is the fleet's index.
        if enter && let Some(c) = self.cursor {
            commands.push(Command::OpenDriver(overview.drivers[self.visible[c]].driver));
        }
    }

    fn move_cursor(&mut self, to: usize, extend: bool) {
        if extend {
            let anchor = self.anchor.unwrap_or(to);
            self.selected = (anchor.min(to)..=anchor.max(to)).map(|p| self.visible[p]).collect();
        } else {
            self.selected = BTreeSet::from([self.visible[to]]);
            self.anchor = Some(to);
        }
        self.cursor = Some(to);
    }

    fn click(&mut self, position: usize, modifiers: egui::Modifiers) {
        let driver = self.visible[position];
        if modifiers.shift {
            self.move_cursor(position, true);
        } else if modifiers.command {
            if !self.selected.remove(&driver) {
                self.selected.insert(driver);
            }
            self.cursor = Some(position);
            self.anchor = Some(position);
        } else {
            self.move_cursor(position, false);
        }
    }

    /// The table: Driver and Name in a part of their own that stays in place, the other
    /// columns beside it scrolling sideways; both parts scroll up and down together.
    fn table(&mut self, ui: &mut egui::Ui, overview: &Overview, commands: &mut Vec<Command>) {
        if self.visible.is_empty() {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("No driver matches the filters.").size(16.0));
                ui.label("Clear the filters to see the whole fleet.");
            });
            return;
        }
        let scroll_to = if self.scroll_to_cursor { self.cursor } else { None };
        self.scroll_to_cursor = false;
        let mut clicked: Option<(usize, egui::Modifiers, bool)> = None;
        let mut sort_by: Option<usize> = None;
        let offset = self.table_offset;
        let mut offsets = [offset; 2];
        ui.horizontal_top(|ui| {
            let height = ui.available_height();
            // Each part lays out its header above its rows.
            let top_down = egui::Layout::top_down(egui::Align::Min);
            let frozen = ui.allocate_ui_with_layout(egui::vec2(FROZEN_WIDTH, height), top_down, |ui| {
                self.table_part(ui, overview, 0..FROZEN, scroll_to, &mut clicked, &mut sort_by)
            });
            offsets[0] = frozen.inner;
            egui::ScrollArea::horizontal().id_salt("fleet-table-scroll").show(ui, |ui| {
                ui.vertical(|ui| {
                    offsets[1] =
                        self.table_part(ui, overview, FROZEN..COLUMNS.len(), scroll_to, &mut clicked, &mut sort_by);
                });
            });
        });
        // The part the user scrolled sets the offset of both, from the next frame.
        if let Some(moved) = offsets.iter().find(|o| (**o - offset).abs() > 0.5) {
            self.table_offset = *moved;
            ui.ctx().request_repaint();
        }
        if let Some(column) = sort_by {
            self.sort = match self.sort {
                Some(s) if s.column == column && s.ascending => Some(Sort { column, ascending: false }),
                Some(s) if s.column == column => None,
                _ => Some(Sort { column, ascending: true }),
            };
        }
        if let Some((position, modifiers, double)) = clicked {
            self.click(position, modifiers);
            if double {
                commands.push(Command::OpenDriver(overview.drivers[self.visible[position]].driver));
            }
        }
    }

    /// The columns `columns` of the table; returns its vertical scroll offset.
    fn table_part(
        &self,
        ui: &mut egui::Ui,
        overview: &Overview,
        columns: std::ops::Range<usize>,
        scroll_to: Option<usize>,
        clicked: &mut Option<(usize, egui::Modifiers, bool)>,
        sort_by: &mut Option<usize>,
    ) -> f32 {
        let row_height = 22.0;
        let frozen = columns.start == 0;
        let mut builder = TableBuilder::new(ui)
            // A table of its own with observed tiers, whose Overall column is wider.
            .id_salt(("fleet-table", columns.start, self.seen.is_empty()))
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .vertical_scroll_offset(self.table_offset)
            // One scroll bar, at the right of the scrolling part.
            .scroll_bar_visibility(if frozen {
                egui::scroll_area::ScrollBarVisibility::AlwaysHidden
            } else {
                egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded
            });
        for i in columns.clone() {
            builder = builder.column(match COLUMNS[i].3 {
                Shows::Report(Field::DriverId) => Column::exact(74.0),
                Shows::Report(Field::DriverName) => Column::exact(FROZEN_WIDTH - 74.0 - 12.0).clip(true),
                Shows::Station => Column::initial(56.0),
                Shows::Report(Field::OverallTier) if self.seen.is_empty() => Column::initial(86.0),
                Shows::Report(Field::OverallTier) => Column::initial(176.0),
                Shows::Trend => Column::initial(90.0),
                Shows::Alerts => Column::initial(200.0).clip(true),
                Shows::SinceLastWeek => Column::initial(210.0).clip(true),
                _ if i == COLUMNS.len() - 1 => Column::remainder().at_least(130.0).clip(true),
                _ => Column::auto().at_least(54.0),
            });
        }
        if let Some(c) = scroll_to {
            builder = builder.scroll_to_row(c, None);
        }
        let output = builder
            .header(row_height + 4.0, |mut header| {
                for i in columns.clone() {
                    let (title, help, _, _) = COLUMNS[i];
                    header.col(|ui| {
                        let arrow = match self.sort {
                            Some(s) if s.column == i && s.ascending => " ▲",
                            Some(s) if s.column == i => " ▼",
                            _ => "",
                        };
                        let response =
                            ui.add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false));
                        let response = if help.is_empty() {
                            response.on_hover_text("Sort by this column")
                        } else {
                            response.on_hover_text(format!("{}\nClick to sort.", metric_help(help)))
                        };
                        if response.clicked() {
                            *sort_by = Some(i);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.visible.len(), |mut row| {
                    let position = row.index();
                    let summary = &overview.drivers[self.visible[position]];
                    let text = &self.texts[self.visible[position]];
                    let selected = self.selected.contains(&self.visible[position]);
                    row.set_selected(selected);
                    let seen = self.seen.get(self.visible[position]).copied().flatten();
                    for i in columns.clone() {
                        row.col(|ui| cell(ui, i, text, summary, seen, selected));
                    }
                    let response = row.response();
                    if response.clicked() || response.double_clicked() {
                        let modifiers = response.ctx.input(|i| i.modifiers);
                        *clicked = Some((position, modifiers, response.double_clicked()));
                    }
                });
            });
        output.state.clamped_offset().y
    }
}

/// One cell of a driver's row: tiers in their colours (the theme's strong text on a
/// selected row, where the tier colours would not read), the trend as a sparkline.
/// `seen`: the overall tier a person saw that day, shown after the computed one.
fn cell(ui: &mut egui::Ui, column: usize, row: &RowText, summary: &DriverSummary, seen: Option<Tier>, selected: bool) {
    let s = &summary.standing;
    let text = row.cells[column].as_str();
    let tier_text = |ui: &egui::Ui, tier| {
        if selected { ui.visuals().strong_text_color() } else { tier_text_color(tier, ui.visuals()) }
    };
    match COLUMNS[column].3 {
        Shows::Report(Field::OverallTier) => {
            tier_chip(ui, s.overall);
            if let Some(seen) = seen {
                let help = if Some(seen) == s.overall {
                    "The tier seen this day (observed tiers): the same as computed"
                } else {
                    "The tier seen this day (observed tiers) differs: Settings › Calibrate can fit the thresholds"
                };
                let mark = RichText::new(format!("seen {}", seen.label())).small();
                ui.label(if Some(seen) == s.overall { mark.weak() } else { mark.color(tier_text(ui, Some(seen))) })
                    .on_hover_text(help);
            }
        }
        Shows::Trend => {
            sparkline(ui, &summary.sparkline);
        }
        Shows::Report(Field::ReliabilityTier) => {
            ui.label(RichText::new(text).color(tier_text(ui, s.reliability_tier)));
        }
        Shows::Report(Field::QualityTier) => {
            ui.label(RichText::new(text).color(tier_text(ui, s.quality_tier)));
        }
        Shows::ChangesOn => {
            let to = summary.next_change.and_then(|c| c.to);
            ui.label(RichText::new(text).color(tier_text(ui, to)));
        }
        Shows::Report(Field::DriverName) if row.deactivated => {
            ui.label(text);
            ui.label(RichText::new("deactivated").small().color(ui.visuals().warn_fg_color))
                .on_hover_text("The roster says this driver is deactivated");
        }
        Shows::Alerts => {
            let most_severe = s.alerts.iter().next();
            let color = match most_severe {
                Some(crate::standing::alerts::Alert::AtRisk) if !selected => tier_text(ui, Some(Tier::AtRisk)),
                _ => ui.visuals().text_color(),
            };
            let codes = s.alerts.sorted_codes().join(", ");
            // One tooltip, ours (the words whole and the codes), even when the cell is cut.
            let label = egui::Label::new(RichText::new(text).color(color)).truncate().show_tooltip_when_elided(false);
            let response = ui.add(label);
            if !codes.is_empty() {
                response.on_hover_text(format!("{text}\n({codes})"));
            }
        }
        Shows::SinceLastWeek => {
            let steps = summary.since_last_week.tier_steps(s.overall).unwrap_or(0);
            let color = match steps {
                n if n < 0 && !selected => tier_text(ui, s.overall),
                _ => ui.visuals().text_color(),
            };
            let arrow = match steps {
                n if n < 0 => "▼ ",
                n if n > 0 => "▲ ",
                _ => "",
            };
            ui.label(RichText::new(format!("{arrow}{text}")).color(color));
        }
        _ => {
            ui.label(text);
        }
    }
}

/// Drivers per tier per day.
fn trend_chart(ui: &mut egui::Ui, overview: &Overview) {
    // The key above the chart, not in it, where it would cover the oldest days' lines.
    ui.horizontal(|ui| {
        ui.label(RichText::new("Drivers per tier, each day:").weak());
        for tier in TIER_SLOTS {
            ui.label(RichText::new(format!("● {}", tier_label(tier))).color(tier_text_color(tier, ui.visuals())));
        }
    });
    Plot::new("fleet-trend")
        .height(112.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .include_y(0.0)
        .x_grid_spacer(super::plot::day_grid)
        .x_axis_formatter(super::plot::day_label)
        .y_axis_label("drivers")
        .show(ui, |plot| {
            for tier in TIER_SLOTS {
                let slot = tier_slot(tier);
                let points: PlotPoints =
                    overview.trend.iter().map(|p| [f64::from(p.day), f64::from(p.counts[slot])]).collect();
                plot.line(Line::new(tier_label(tier), points).color(tier_color(tier)).width(2.0));
            }
        });
}
