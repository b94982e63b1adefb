//! Driver view: tiers and metrics, charts of each metric over time with the tier bands,
//! what-if in words, and the events in the current windows with their grounds and photos.

use super::plot::{self, Mark, ValueAxis};
use crate::app::commands::Command;
use crate::app::theme::{capitalised, metric_help, tier_chip, tier_text_color};
use crate::charts::{Marker, Metric, Scale};
use crate::config::Thresholds;
use crate::evidence;
use crate::explain::{event_grounds_text, what_happened, what_if_sentences};
use crate::import::time::Day;
use crate::letters::LetterKind;
use crate::overview::DriverDetail;
use crate::report::day_text;
use crate::standing::rules::{Tier, tier_label};
use crate::standing::{Driver, EventKind, Fleet, Standing};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use std::path::{Path, PathBuf};

pub struct DriverView {
    pub detail: DriverDetail,
    /// The standing on the same day if the driver's pending disputes succeed.
    if_pending: Option<Standing>,
    /// Per event, its photos: the file inside the evidence folder, or why there is none.
    photos: Vec<Vec<(String, Result<PathBuf, String>)>>,
    /// Per event: when, what happened and its grounds, in words.
    texts: Vec<[String; 3]>,
    /// The events on the charts.
    markers: Vec<Marker>,
    /// A driver just opened starts at the top of the page.
    scroll_to_top: bool,
    /// The coaching log's add-an-entry form.
    coaching: super::coaching::CoachingForm,
}

impl DriverView {
    /// Resolves the events' photos and words once, when the driver is opened.
    pub fn new(
        detail: DriverDetail,
        evidence_dir: &Path,
        fleet: &Fleet,
        if_pending: Option<Standing>,
        scroll_to_top: bool,
    ) -> DriverView {
        let zone = fleet.zone;
        let texts = detail
            .events
            .iter()
            .map(|e| {
                [
                    zone.local(e.time).format("%Y-%m-%d %H:%M").to_string(),
                    what_happened(e, zone),
                    event_grounds_text(e, zone),
                ]
            })
            .collect();
        let photos = detail
            .events
            .iter()
            .map(|e| {
                let listed = e.package().map(|p| p.photos.as_slice()).unwrap_or_default();
                listed
                    .iter()
                    .map(|l| (l.clone(), evidence::resolve(evidence_dir, l).map_err(|e| e.to_string())))
                    .collect()
            })
            .collect();
        let lag = fleet.thresholds.windows.lag_days;
        let markers = detail.events.iter().map(|e| Marker::of(e, lag, zone)).collect();
        let weakest = detail.history.last().and_then(|s| crate::charts::Metric::weakest(s, &fleet.thresholds));
        let coaching = super::coaching::CoachingForm::new(weakest, zone.today());
        DriverView { detail, if_pending, photos, texts, markers, scroll_to_top, coaching }
    }

    /// `observed`: tiers a person saw, shown beside the computed ones.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        fleet: &Fleet,
        observed: Option<&crate::app::state::Observed>,
        log: Option<&[crate::workspace::coaching::CoachingEntry]>,
        commands: &mut Vec<Command>,
    ) {
        let d = &fleet.drivers[self.detail.driver];
        let Some(now) = self.detail.history.last().cloned() else {
            ui.heading(format!("{} {}", d.id, d.name.as_deref().unwrap_or("")));
            ui.label("No standing yet: the first events count two days after they happen.");
            return;
        };
        let mut scroll = egui::ScrollArea::vertical().auto_shrink(false);
        if std::mem::take(&mut self.scroll_to_top) {
            scroll = scroll.vertical_scroll_offset(0.0);
        }
        scroll.show(ui, |ui| {
            header(ui, d, &now, &fleet.thresholds);
            if let Some((day, seen)) = observed.and_then(|o| o.latest(&d.id, now.as_of)) {
                let computed = self.detail.history.iter().find(|s| s.as_of == day).and_then(|s| s.overall);
                seen_line(ui, day, seen.overall, computed);
            }
            ui.add_space(6.0);
            self.what_if(ui, &now);
            self.next_days(ui, d.deactivated);
            self.letter_buttons(ui, d, commands);
            ui.add_space(4.0);
            self.coaching.ui(ui, (&d.id, fleet.zone.today()), log, &self.detail.history, commands);
            ui.add_space(6.0);
            self.charts(ui, fleet);
            ui.add_space(8.0);
            self.events_table(ui);
        });
    }

    fn what_if(&self, ui: &mut egui::Ui, now: &Standing) {
        ui.group(|ui| {
            ui.label(RichText::new("What if").strong()).on_hover_text(metric_help("headroom"));
            for sentence in what_if_sentences(&self.detail.what_if, now.reliability_tier, now.quality_tier) {
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
                let words: Vec<&str> = now.alerts.iter().map(|a| a.words()).collect();
                let codes: Vec<&str> = now.alerts.iter().map(|a| a.code()).collect();
                ui.label(format!("Alerts: {}", words.join(", "))).on_hover_text(codes.join(" "));
            }
        });
    }

    fn letter_buttons(&self, ui: &mut egui::Ui, d: &Driver, commands: &mut Vec<Command>) {
        let events = &self.detail.events;
        ui.horizontal(|ui| {
            let disputable = events.iter().any(|e| e.is_disputable());
            let in_case = events.iter().filter(|e| !e.grounds.is_empty() && e.in_case).count();
            let why_not = if in_case > 0 {
                format!("Every event with a dispute ground is already in a case ({in_case}): see Cases")
            } else {
                "No event in the windows has a dispute ground".to_string()
            };
            let dispute = ui.add_enabled(disputable, egui::Button::new("Draft dispute"));
            if dispute.on_disabled_hover_text(why_not).clicked() {
                commands.push(Command::DraftLetter(LetterKind::Dispute));
            }
            if ui.button("Coaching sheet…").on_hover_text("This page as a one-page PDF for the weekly talk").clicked()
            {
                commands.push(Command::CoachingSheets(vec![self.detail.driver]));
            }
            let appeal = ui.add_enabled(d.deactivated, egui::Button::new("Draft reactivation"));
            let appeal = appeal
                .on_hover_text("Appeal the deactivation, with the driver's record")
                .on_disabled_hover_text("Only for a deactivated driver: the roster says this driver is active");
            if appeal.clicked() {
                commands.push(Command::DraftLetter(LetterKind::Reactivation));
            }
        });
    }

    /// "Next 60 days": when each tier changes and each counted defect leaves, if the driver
    /// keeps their pace with clean work only (docs/rules.md §6).
    fn next_days(&self, ui: &mut egui::Ui, deactivated: bool) {
        let Some(f) = &self.detail.forecast else { return };
        // A deactivated driver works no blocks: the projection is what reactivation brings.
        let heading = if deactivated {
            format!("If reactivated: the next {} days", f.days.len())
        } else {
            format!("Next {} days", f.days.len())
        };
        egui::CollapsingHeader::new(RichText::new(heading).strong()).id_salt("next-days").default_open(true).show(
            ui,
            |ui| {
                let who = if deactivated { "If reactivated and the driver kept" } else { "If the driver keeps" };
                ui.label(
                    RichText::new(format!(
                        "{who} the pace of the last 28 days ({} blocks, {} packages) with clean work only. The \
                         dashed lines on the charts are this projection.",
                        f.blocks_per_28_days, f.packages_per_28_days
                    ))
                    .weak(),
                );
                if f.changes.is_empty() {
                    ui.label("No tier changes within these days.");
                }
                for c in &f.changes {
                    ui.horizontal(|ui| {
                        ui.label(format!("{} on {}:", capitalised(c.component.name()), day_text(c.day)));
                        tier_chip(ui, c.from);
                        ui.label(if c.rises() { "→ up to" } else { "→ down to" });
                        tier_chip(ui, c.to);
                    });
                }
                if f.leaving.is_empty() {
                    ui.label("No counted defect leaves its window within these days.");
                } else {
                    let shown = 8;
                    for l in f.leaving.iter().take(shown) {
                        ui.label(crate::explain::leaving_words(l));
                    }
                    if f.leaving.len() > shown {
                        egui::CollapsingHeader::new(format!("and {} more", f.leaving.len() - shown))
                            .id_salt("leaving more")
                            .show(ui, |ui| {
                                for l in &f.leaving[shown..] {
                                    ui.label(crate::explain::leaving_words(l));
                                }
                            });
                    }
                }
            },
        );
    }

    /// The rate charts two by two, then the DNR chart, each with its bands named.
    fn charts(&self, ui: &mut egui::Ui, fleet: &Fleet) {
        ui.label(
            RichText::new(
                "Amazon publishes no thresholds; the tier bands are Standwatch's estimates. \
                 ◆ marks the day an event started to count: hover it for the event and its grounds.",
            )
            .weak(),
        );
        let chart_width = ((ui.available_width() - 16.0) / 2.0).max(260.0);
        for pair in Metric::RATES.chunks(2) {
            ui.horizontal(|ui| {
                for &metric in pair {
                    ui.vertical(|ui| {
                        ui.set_width(chart_width);
                        chart_heading(ui, metric, &fleet.thresholds);
                        chart(ui, metric, &self.detail, &self.markers, &fleet.thresholds);
                    });
                }
            });
        }
        chart_heading(ui, Metric::Dnr, &fleet.thresholds);
        chart(ui, Metric::Dnr, &self.detail, &self.markers, &fleet.thresholds);
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
            .column(Column::initial(380.0).at_least(200.0).clip(true))
            // The grounds take the width the photos do not need (most events have none).
            .column(Column::remainder().at_least(240.0).clip(true))
            .column(Column::auto().at_least(80.0))
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
                            // Cut text shows whole on hover (egui's own tooltip: no second one).
                            ui.label(what);
                        });
                        row.col(|ui| {
                            if e.is_disputable() {
                                ui.label(
                                    RichText::new(e.grounds.names())
                                        .color(tier_text_color(Some(Tier::Great), ui.visuals())),
                                )
                                .on_hover_text(format!("{grounds}\n{}", e.grounds.codes().join(" ")));
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

/// Who the driver is, the tiers and rates, and the rule that sets each tier.
/// The latest tier a person saw, beside the tier computed for that day.
fn seen_line(ui: &mut egui::Ui, day: Day, seen: Tier, computed: Option<Tier>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Seen on {}", day_text(day)))
            .on_hover_text("From the observed tiers you opened (the Flex app, a scorecard)");
        tier_chip(ui, Some(seen));
        ui.label("· computed for that day");
        tier_chip(ui, computed);
        if computed != Some(seen) {
            ui.label(RichText::new("differs: Settings › Calibrate can fit the thresholds").weak());
        }
    });
}

fn header(ui: &mut egui::Ui, d: &Driver, now: &Standing, thresholds: &Thresholds) {
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
                RichText::new(format!("Deactivated{when}"))
                    .color(tier_text_color(Some(Tier::AtRisk), ui.visuals()))
                    .strong(),
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
    for reason in crate::explain::tier_reasons(now, thresholds) {
        ui.label(RichText::new(reason).weak())
            .on_hover_text("The rule that sets this tier, and what the next tier up needs");
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
                ui.label(RichText::new("missing").color(tier_text_color(Some(Tier::Fair), ui.visuals())))
                    .on_hover_text(why);
            }
        }
    }
}

/// A chart's title (its help on hover) and every band named with its threshold, in the
/// band's colour.
fn chart_heading(ui: &mut egui::Ui, metric: Metric, thresholds: &Thresholds) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(metric.heading()).strong()).on_hover_text(metric_help(metric.key()));
        for (tier, label) in Tier::ALL_BEST_FIRST.into_iter().zip(metric.band_labels(thresholds)) {
            ui.label(RichText::new(label).size(11.5).color(tier_text_color(Some(tier), ui.visuals())))
                .on_hover_text("Standwatch's estimate (Settings → thresholds)");
        }
    });
}

/// One metric over time with its tier bands behind it, the forecast dashed after it, and
/// a marker on the day each event lowering it started to count (hover: the event and its
/// grounds).
fn chart(ui: &mut egui::Ui, metric: Metric, detail: &DriverDetail, markers: &[Marker], thresholds: &Thresholds) {
    let xy =
        |points: Vec<(Day, f64)>| -> Vec<[f64; 2]> { points.into_iter().map(|(d, v)| [f64::from(d), v]).collect() };
    let history = xy(metric.points(&detail.history));
    let projected = xy(metric.points(&detail.projected));
    let scale = Scale::of(metric, thresholds, history.iter().chain(&projected).map(|p| p[1]));
    // Rate markers sit just above the floor; DNR markers on the zero line.
    let marker_y = if metric.is_rate() { scale.low + (scale.high - scale.low) * 0.04 } else { 0.0 };
    let marks: Vec<Mark> = markers
        .iter()
        .filter(|m| m.marks(metric))
        .map(|m| Mark { at: [f64::from(m.day), marker_y], label: &m.label })
        .collect();
    let axis = if metric.is_rate() { ValueAxis::Percent } else { ValueAxis::Count("DNR claims") };
    plot::chart(
        ui,
        &plot::ChartSpec {
            id: metric.key(),
            name: metric.heading(),
            height: if metric.is_rate() { 150.0 } else { 110.0 },
            scale: &scale,
            axis,
            history,
            projected,
            marks: &marks,
        },
    );
}
