//! Driver view: tiers and metrics, charts of each metric over time with the tier bands,
//! what-if in words, and the events in the current windows with their grounds and photos.

use super::Command;
use super::theme::{metric_help, tier_chip, tier_color};
use crate::config::{RateThresholds, Thresholds};
use crate::evidence;
use crate::explain::{grounds_words, what_happened, what_if_sentences};
use crate::import::time::FleetZone;
use crate::letters::LetterKind;
use crate::overview::DriverDetail;
use crate::report::day_text;
use crate::standing::rules::{Tier, tier_label};
use crate::standing::{EventKind, Fleet, Standing};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Axis, Bar, BarChart, Line, MarkerShape, Plot, PlotPoints, Points, Span};
use std::path::{Path, PathBuf};

pub struct DriverView {
    pub detail: DriverDetail,
    /// The standing on the same day if the driver's pending disputes succeed.
    if_pending: Option<Standing>,
    /// Per event, its photos: the file inside the evidence folder, or why there is none.
    photos: Vec<Vec<(String, Result<PathBuf, String>)>>,
    /// Per event: when, what happened and its grounds, in words.
    texts: Vec<[String; 3]>,
}

/// The rate shown by one chart.
#[derive(Clone, Copy)]
enum Metric {
    Reliability,
    Attempted,
    Success,
    OnTime,
}

impl Metric {
    fn title(self) -> &'static str {
        match self {
            Metric::Reliability => "Reliability (on-time blocks)",
            Metric::Attempted => "Attempted",
            Metric::Success => "Success (delivered)",
            Metric::OnTime => "On time",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Metric::Reliability => metric_help("reliability"),
            Metric::Attempted => metric_help("attempted"),
            Metric::Success => metric_help("success"),
            Metric::OnTime => metric_help("on_time"),
        }
    }

    fn value(self, s: &Standing) -> Option<f64> {
        match self {
            Metric::Reliability => s.reliability.rate(),
            Metric::Attempted => s.quality.rates().map(|r| r.0),
            Metric::Success => s.quality.rates().map(|r| r.1),
            Metric::OnTime => s.quality.rates().map(|r| r.2),
        }
    }

    fn thresholds(self, t: &Thresholds) -> RateThresholds {
        match self {
            Metric::Reliability => t.reliability,
            Metric::Attempted => t.attempted,
            Metric::Success => t.success,
            Metric::OnTime => t.on_time,
        }
    }
}

impl DriverView {
    /// Resolves the events' photos and words once, when the driver is opened.
    pub fn new(detail: DriverDetail, evidence_dir: &Path, zone: FleetZone, if_pending: Option<Standing>) -> DriverView {
        let texts = detail
            .events
            .iter()
            .map(|e| {
                [
                    zone.local(e.time).format("%Y-%m-%d %H:%M").to_string(),
                    what_happened(e, zone),
                    match (e.grounds.is_empty(), e.in_case) {
                        (true, _) => String::new(),
                        (false, false) => grounds_words(e, zone),
                        (false, true) => format!("{} (already in a case)", grounds_words(e, zone)),
                    },
                ]
            })
            .collect();
        let photos = detail
            .events
            .iter()
            .map(|e| {
                let listed = e.package.as_ref().map(|p| p.photos.as_slice()).unwrap_or_default();
                listed.iter().map(|l| (l.clone(), evidence::resolve(evidence_dir, l))).collect()
            })
            .collect();
        DriverView { detail, if_pending, photos, texts }
    }

    /// The disputable events (id, what happened) for the letter editor's checklist.
    pub fn disputable_events(&self) -> Vec<(String, String)> {
        self.detail
            .events
            .iter()
            .zip(&self.texts)
            .filter(|(e, _)| e.is_disputable())
            .map(|(e, [_, what, _])| (e.id.clone(), what.clone()))
            .collect()
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, fleet: &Fleet, commands: &mut Vec<Command>) {
        let detail = &self.detail;
        let d = &fleet.drivers[detail.driver];
        let Some(now) = detail.history.last() else {
            ui.heading(format!("{} {}", d.id, d.name.as_deref().unwrap_or("")));
            ui.label("No standing yet: the first events count two days after they happen.");
            return;
        };
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading(d.name.as_deref().unwrap_or(&d.id));
                ui.label(RichText::new(&d.id).monospace());
                if let Some(station) = &d.station {
                    ui.label(format!("· {station}"));
                }
                if let Some(email) = &d.email {
                    ui.label(format!("· {email}"));
                }
                if d.deactivated {
                    let when = d.deactivated_on.map_or(String::new(), |x| format!(" on {}", day_text(x)));
                    ui.label(
                        RichText::new(format!("Deactivated{when}")).color(tier_color(Some(Tier::AtRisk))).strong(),
                    );
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("Overall").on_hover_text(metric_help("overall"));
                tier_chip(ui, now.overall);
                ui.add_space(12.0);
                ui.label("Reliability").on_hover_text(metric_help("reliability"));
                tier_chip(ui, now.reliability_tier);
                ui.label(rate_text(now.reliability.rate(), now.reliability.blocks, "blocks"));
                ui.add_space(12.0);
                ui.label("Delivery quality").on_hover_text(metric_help("quality"));
                tier_chip(ui, now.quality_tier);
                ui.label(format!("{} packages · {} DNR", now.quality.packages, now.quality.dnr))
                    .on_hover_text(metric_help("dnr"));
                ui.add_space(12.0);
                ui.label(format!("as of {}", day_text(now.as_of))).on_hover_text(metric_help("lag"));
            });
            ui.add_space(6.0);
            ui.group(|ui| {
                ui.label(RichText::new("What if").strong()).on_hover_text(metric_help("headroom"));
                for sentence in what_if_sentences(&detail.what_if, now.reliability_tier, now.quality_tier) {
                    ui.label(RichText::new(sentence).size(15.0));
                }
                if let Some(p) = &self.if_pending {
                    ui.label(RichText::new(format!(
                        "If pending disputes succeed: {} (reliability {}, quality {})",
                        tier_label(p.overall),
                        tier_label(p.reliability_tier),
                        tier_label(p.quality_tier)
                    )))
                    .on_hover_text("The standing without the events of this driver's draft and sent cases");
                }
                if now.alerts.iter().next().is_some() {
                    ui.label(format!("Alerts: {}", now.alerts.iter().map(|a| a.code()).collect::<Vec<_>>().join(", ")));
                }
            });
            ui.horizontal(|ui| {
                let disputable = detail.events.iter().any(|e| e.is_disputable());
                let dispute = ui.add_enabled(disputable, egui::Button::new("Draft dispute"));
                if dispute.on_disabled_hover_text("No event in the windows has a dispute ground").clicked() {
                    commands.push(Command::DraftLetter(LetterKind::Dispute));
                }
                let appeal = ui.button("Draft reactivation").on_hover_text(if d.deactivated {
                    "Appeal the deactivation, with the driver's record"
                } else {
                    "The roster does not say this driver is deactivated"
                });
                if appeal.clicked() {
                    commands.push(Command::DraftLetter(LetterKind::Reactivation));
                }
            });
            ui.add_space(6.0);
            ui.label(
                RichText::new("Amazon publishes no thresholds; the tier bands are Standwatch's estimates.").weak(),
            );
            let width = ui.available_width();
            let chart_width = ((width - 16.0) / 2.0).max(260.0);
            let metrics = [Metric::Reliability, Metric::Attempted, Metric::Success, Metric::OnTime];
            for pair in metrics.chunks(2) {
                ui.horizontal(|ui| {
                    for metric in pair {
                        ui.vertical(|ui| {
                            ui.set_width(chart_width);
                            ui.label(RichText::new(metric.title()).strong()).on_hover_text(metric.help());
                            rate_chart(ui, *metric, detail, &fleet.thresholds);
                        });
                    }
                });
            }
            ui.label(RichText::new("DNR claims in the window").strong()).on_hover_text(metric_help("dnr"));
            dnr_chart(ui, detail);
            ui.add_space(8.0);
            self.events_table(ui);
        });
    }

    fn events_table(&self, ui: &mut egui::Ui) {
        let events = &self.detail.events;
        let disputable = events.iter().filter(|e| e.is_disputable()).count();
        ui.heading(format!("Events in the current windows ({} · {} disputable)", events.len(), disputable));
        if events.is_empty() {
            ui.label("Nothing counts against this driver right now.");
            return;
        }
        TableBuilder::new(ui)
            .id_salt("events-table")
            .striped(true)
            .vscroll(false)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(120.0))
            .column(Column::initial(130.0))
            .column(Column::initial(300.0).clip(true))
            .column(Column::initial(330.0).clip(true))
            .column(Column::remainder())
            .header(22.0, |mut h| {
                for title in ["Date", "Block / package", "What happened", "Dispute grounds", "Evidence"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|mut body| {
                for ((e, photos), [when, what, grounds]) in events.iter().zip(&self.photos).zip(&self.texts) {
                    let height = if photos.is_empty() { 22.0 } else { 52.0 };
                    body.row(height, |mut row| {
                        row.col(|ui| {
                            ui.label(when);
                        });
                        row.col(|ui| {
                            let kind = if matches!(e.what, EventKind::Block { .. }) { "block" } else { "package" };
                            ui.label(RichText::new(&e.id).monospace()).on_hover_text(kind);
                        });
                        row.col(|ui| {
                            ui.label(what).on_hover_text(what);
                        });
                        row.col(|ui| {
                            if e.is_disputable() {
                                ui.label(
                                    RichText::new(e.grounds.codes().join(" ")).color(tier_color(Some(Tier::Great))),
                                )
                                .on_hover_text(grounds);
                                ui.label(grounds);
                            } else {
                                ui.label(RichText::new("none").weak());
                            }
                        });
                        row.col(|ui| photo_thumbnails(ui, photos));
                    });
                }
            });
    }
}

fn rate_text(rate: Option<f64>, n: u32, unit: &str) -> String {
    match rate {
        Some(r) => format!("{:.1}% of {n} {unit}", r * 100.0),
        None => format!("no {unit}"),
    }
}

fn photo_thumbnails(ui: &mut egui::Ui, photos: &[(String, Result<PathBuf, String>)]) {
    for (listed, resolved) in photos {
        match resolved {
            Ok(path) => {
                let uri = format!("file://{}", path.display());
                ui.add(egui::Image::new(uri).max_size(egui::vec2(48.0, 48.0)).corner_radius(3.0)).on_hover_text(listed);
            }
            Err(why) => {
                ui.label(RichText::new("missing").color(tier_color(Some(Tier::Fair)))).on_hover_text(why);
            }
        }
    }
}

/// One rate over time, with the tier bands behind it and markers on the event days.
fn rate_chart(ui: &mut egui::Ui, metric: Metric, detail: &DriverDetail, thresholds: &Thresholds) {
    let t = metric.thresholds(thresholds);
    let values: Vec<[f64; 2]> =
        detail.history.iter().filter_map(|s| Some([f64::from(s.as_of), metric.value(s)?])).collect();
    let lowest = values.iter().map(|p| p[1]).fold(t.fair - (1.0 - t.fair), f64::min).max(0.0);
    // Markers: the events of this chart (blocks for reliability, packages otherwise),
    // placed where they start counting (their day plus the lag).
    let lag = f64::from(thresholds.windows.lag_days);
    let on_blocks = matches!(metric, Metric::Reliability);
    let markers: Vec<[f64; 2]> = detail
        .events
        .iter()
        .filter(|e| matches!(e.what, EventKind::Block { .. }) == on_blocks)
        .map(|e| [f64::from(e.day) + lag, lowest])
        .collect();
    let line_color = ui.visuals().strong_text_color();
    Plot::new(("rate-chart", metric.title()))
        .height(150.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .include_y(lowest)
        .include_y(1.0)
        .x_axis_formatter(|mark, _| day_text(mark.value.round() as i32))
        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value * 100.0))
        .show(ui, |plot| {
            let bands = [
                (Tier::Fantastic, t.fantastic, 1.0),
                (Tier::Great, t.great, t.fantastic),
                (Tier::Fair, t.fair, t.great),
                (Tier::AtRisk, lowest.min(t.fair), t.fair),
            ];
            for (tier, low, high) in bands {
                if high > low {
                    plot.add(
                        Span::new(tier.label(), low..=high)
                            .axis(Axis::Y)
                            .fill(tier_color(Some(tier)).gamma_multiply(0.18))
                            .border_width(0.0),
                    );
                }
            }
            plot.line(Line::new(metric.title(), PlotPoints::from(values)).color(line_color).width(2.0));
            if !markers.is_empty() {
                plot.points(
                    Points::new("events", PlotPoints::from(markers))
                        .shape(MarkerShape::Diamond)
                        .radius(3.5)
                        .color(tier_color(Some(Tier::AtRisk))),
                );
            }
        });
}

fn dnr_chart(ui: &mut egui::Ui, detail: &DriverDetail) {
    let bars: Vec<Bar> = detail
        .history
        .iter()
        .filter(|s| s.quality.packages > 0)
        .map(|s| Bar::new(f64::from(s.as_of), f64::from(s.quality.dnr)).width(0.8))
        .collect();
    Plot::new("dnr-chart")
        .height(90.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .include_y(0.0)
        .include_y(3.0)
        .x_axis_formatter(|mark, _| day_text(mark.value.round() as i32))
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("DNR claims", bars).color(tier_color(Some(Tier::Fair))));
        });
}
