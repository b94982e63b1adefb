//! Coaching sheets: one printable page per driver for the weekly talk (standing, what
//! would change it, the next days' forecast, the charts with their tier bands, the events
//! that count), and `fleet.pdf`, the fleet on one page.

use super::pdf::{self, Align, Font, Page, Paper, Rgb, TextStyle};
use crate::charts::{Metric, Scale, tier_rgb};
use crate::explain;
use crate::fsutil::write_atomic;
use crate::import::time::Day;
use crate::overview::{self, DriverDetail};
use crate::report::day_text;
use crate::standing::rules::{Tier, tier_label};
use crate::standing::{EventKind, Fleet, Standing};
use crate::workspace::coaching::CoachingEntry;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Days of history the charts show before the as-of day.
const HISTORY_DAYS: Day = 60;
/// The fleet summary lists tier changes this many days ahead.
pub const SOON_DAYS: Day = 14;

pub(super) const MARGIN: f32 = 36.0;
pub(super) const INK: Rgb = Rgb(0.1, 0.1, 0.12);
pub(super) const MUTED: Rgb = Rgb(0.38, 0.38, 0.42);
pub(super) const RULE: Rgb = Rgb(0.8, 0.8, 0.83);
pub(super) const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// Why sheets could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Engine(#[from] polars_core::prelude::PolarsError),
    #[error("cancelled")]
    Cancelled,
}

pub(super) fn tier_color(tier: Option<Tier>) -> Rgb {
    match tier {
        Some(tier) => {
            let [r, g, b] = tier_rgb(Some(tier));
            Rgb::from_bytes(r, g, b)
        }
        None => Rgb::gray(0.55),
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// Writes top to bottom on a page, keeping the pen's height.
pub(super) struct Pen {
    pub(super) page: Page,
    pub(super) y: f32,
}

impl Pen {
    pub(super) fn new(paper: Paper) -> Pen {
        Pen { page: Page::new(paper), y: MARGIN }
    }

    pub(super) fn right(&self) -> f32 {
        self.page.width() - MARGIN
    }

    pub(super) fn bottom(&self) -> f32 {
        self.page.height() - MARGIN - 14.0
    }

    pub(super) fn width(&self) -> f32 {
        self.right() - MARGIN
    }

    /// The top of a page: what it is (small) over its title (large), the title cut to
    /// leave `room_right` points free at the right.
    pub(super) fn heading(&mut self, kind: &str, title: &str, room_right: f32) {
        self.y += 9.0;
        self.page.text(MARGIN, self.y, TextStyle::new(Font::Regular, 9.0, MUTED), Align::Left, kind);
        self.y += 22.0;
        let title = pdf::fit(Font::Bold, 20.0, title, self.width() - room_right);
        self.page.text(MARGIN, self.y, TextStyle::new(Font::Bold, 20.0, INK), Align::Left, &title);
    }

    pub(super) fn section(&mut self, title: &str) {
        self.y += 16.0;
        self.page.text(MARGIN, self.y, TextStyle::new(Font::Bold, 11.0, INK), Align::Left, title);
        self.y += 4.0;
        self.page.fill_rect(MARGIN, self.y, self.width(), 0.6, RULE);
        self.y += 2.0;
    }

    /// A line of text, cut to the width.
    pub(super) fn line(&mut self, font: Font, size: f32, color: Rgb, indent: f32, text: &str) {
        self.y += size + 3.0;
        let fitted = pdf::fit(font, size, text, self.width() - indent);
        self.page.text(MARGIN + indent, self.y, TextStyle::new(font, size, color), Align::Left, &fitted);
    }

    /// A coloured tier label with its top-left at (x, y); returns its width.
    pub(super) fn chip(&mut self, x: f32, y: f32, tier: Option<Tier>, size: f32) -> f32 {
        let label = tier_label(tier);
        let width = pdf::text_width(Font::Bold, size, label) + size;
        self.page.fill_rect(x, y, width, size * 1.5, tier_color(tier));
        self.page.text(x + size / 2.0, y + size * 1.1, TextStyle::new(Font::Bold, size, WHITE), Align::Left, label);
        width
    }

    pub(super) fn footer(&mut self, text: &str) {
        let y = self.page.height() - MARGIN + 8.0;
        self.page.text(MARGIN, y, TextStyle::new(Font::Regular, 7.5, MUTED), Align::Left, text);
        let version = concat!("Standwatch ", env!("CARGO_PKG_VERSION"));
        let right = self.right();
        self.page.text(right, y, TextStyle::new(Font::Regular, 7.5, MUTED), Align::Right, version);
    }
}

/// One driver's coaching sheet as a one-page PDF.
/// `coaching`: the workspace's coaching log (any driver's entries; empty without one).
pub fn driver_sheet(
    fleet: &Fleet,
    driver: usize,
    as_of: Day,
    paper: Paper,
    coaching: &[CoachingEntry],
) -> Result<Vec<u8>, SheetError> {
    let detail = overview::driver_detail(fleet, driver, as_of)?;
    let d = &fleet.drivers[driver];
    let name = d.name.as_deref().unwrap_or(&d.id);
    let page = driver_page(fleet, &detail, as_of, paper, coaching);
    Ok(pdf::document(&format!("Coaching sheet: {name} ({})", d.id), vec![page]))
}

fn driver_page(fleet: &Fleet, detail: &DriverDetail, as_of: Day, paper: Paper, coaching: &[CoachingEntry]) -> Page {
    let d = &fleet.drivers[detail.driver];
    let empty = Standing::empty(as_of);
    let s = detail.history.last().unwrap_or(&empty);
    let mut pen = Pen::new(paper);

    // Who, and the overall tier at the right.
    let kind = format!("Coaching sheet · as of {}", day_text(as_of));
    pen.heading(&kind, d.name.as_deref().unwrap_or("(no name)"), 170.0);
    let overall_label = format!("Overall: {}", tier_label(s.overall));
    let chip_width = pdf::text_width(Font::Bold, 12.0, &overall_label) + 16.0;
    let chip_x = pen.right() - chip_width;
    pen.page.fill_rect(chip_x, pen.y - 20.0, chip_width, 26.0, tier_color(s.overall));
    pen.page.text(chip_x + 8.0, pen.y - 3.0, TextStyle::new(Font::Bold, 12.0, WHITE), Align::Left, &overall_label);
    let mut who = vec![format!("Driver ID {}", d.id)];
    if let Some(station) = &d.station {
        who.push(format!("Station {station}"));
    }
    if let Some(day) = fleet.record(detail.driver).first_block_day {
        who.push(format!("first block {}", day_text(day)));
    }
    if d.deactivated {
        who.push(d.deactivated_on.map_or("deactivated".to_string(), |day| format!("deactivated {}", day_text(day))));
    }
    pen.line(Font::Regular, 10.0, MUTED, 0.0, &who.join(" · "));

    // Standing: each component, its tier and rates.
    pen.section("Standing");
    let rows = [
        (
            "Reliability",
            s.reliability_tier,
            if s.reliability.blocks == 0 {
                "no counted blocks yet".to_string()
            } else {
                format!(
                    "{} on time: {} of the last {} blocks",
                    percent(s.reliability.rate()),
                    s.reliability.on_time,
                    s.reliability.blocks
                )
            },
        ),
        (
            "Delivery quality",
            s.quality_tier,
            match s.quality.rates() {
                Some(r) => format!(
                    "attempted {} · delivered {} · on time {} · {} DNR {} in {} packages",
                    percent(Some(r.attempted)),
                    percent(Some(r.success)),
                    percent(Some(r.on_time)),
                    s.quality.dnr,
                    if s.quality.dnr == 1 { "claim" } else { "claims" },
                    s.quality.packages
                ),
                None => "no counted packages yet".to_string(),
            },
        ),
    ];
    for (component, tier, rates) in rows {
        pen.y += 5.0;
        pen.page.text(MARGIN, pen.y + 11.0, TextStyle::new(Font::Bold, 10.0, INK), Align::Left, component);
        let chip = pen.chip(MARGIN + 100.0, pen.y, tier, 9.0);
        let rates = pdf::fit(Font::Regular, 9.5, &rates, pen.width() - 100.0 - chip - 10.0);
        pen.page.text(
            MARGIN + 110.0 + chip,
            pen.y + 11.0,
            TextStyle::new(Font::Regular, 9.5, INK),
            Align::Left,
            &rates,
        );
        pen.y += 14.0;
    }
    for reason in explain::tier_reasons(s, &fleet.thresholds).iter().take(2) {
        pen.line(Font::Regular, 8.5, MUTED, 0.0, reason);
    }

    // What would change it.
    pen.section("What would change it");
    let mut what_if = explain::what_if_sentences(&detail.what_if, s.reliability_tier, s.quality_tier);
    if what_if.is_empty() {
        what_if.push("No standing yet: the first blocks and packages count two days after they happen.".into());
    }
    for sentence in what_if.iter().take(4) {
        pen.line(Font::Regular, 9.5, INK, 0.0, &format!("•  {sentence}"));
    }

    // The forecast.
    let forecast_days = detail.forecast.as_ref().map_or(0, |f| f.days.len());
    // A deactivated driver works no blocks: the projection is what reactivation brings.
    let condition = if d.deactivated { "if reactivated and the pace holds" } else { "if the pace holds" };
    pen.section(&format!("Next {forecast_days} days, {condition} with clean work"));
    match &detail.forecast {
        None => pen.line(Font::Regular, 9.5, MUTED, 0.0, "No forecast without standing."),
        Some(f) => {
            pen.line(
                Font::Regular,
                8.5,
                MUTED,
                0.0,
                &format!(
                    "Pace of the last 28 days: {} blocks, {} packages. The dashed lines on the charts are this projection.",
                    f.blocks_per_28_days, f.packages_per_28_days
                ),
            );
            if f.changes.is_empty() {
                pen.line(Font::Regular, 9.5, INK, 0.0, "No tier changes within these days.");
            }
            for change in f.changes.iter().take(4) {
                pen.line(Font::Bold, 9.5, INK, 0.0, &format!("•  {}", explain::tier_change_words(change)));
            }
            if f.leaving.is_empty() {
                pen.line(Font::Regular, 9.5, INK, 0.0, "No counted defect leaves its window within these days.");
            } else {
                leaving_columns(&mut pen, f.leaving.iter().map(explain::leaving_words).collect());
            }
        }
    }

    // The charts, three by two, the legend in the last place; their titles sit above them.
    pen.y += 24.0;
    let gap = 14.0;
    let chart_width = (pen.width() - 2.0 * gap) / 3.0;
    let chart_height = 74.0;
    let shown = Shown::new(detail, as_of);
    for (i, metric) in Metric::ALL.into_iter().enumerate() {
        let x = MARGIN + (i % 3) as f32 * (chart_width + gap);
        let y = pen.y + (i / 3) as f32 * (chart_height + 34.0);
        chart(&mut pen.page, fleet, metric, &shown, (x, y, chart_width, chart_height));
    }
    legend(&mut pen.page, (MARGIN + 2.0 * (chart_width + gap), pen.y + chart_height + 34.0, chart_width));
    pen.y += 2.0 * (chart_height + 34.0) - 10.0;

    coaching_log(&mut pen, &d.id, coaching);
    // The events counting now.
    events(&mut pen, fleet, detail);
    pen.footer("Tier bands and thresholds are Standwatch's estimates; Amazon publishes none.");
    pen.page
}

/// The driver's last three coaching entries (SPEC §8), newest first; nothing without any.
pub(super) fn coaching_log(pen: &mut Pen, driver_id: &str, coaching: &[CoachingEntry]) {
    let entries: Vec<&CoachingEntry> = coaching.iter().filter(|e| e.driver_id == driver_id).collect();
    if entries.is_empty() {
        return;
    }
    pen.section(&match entries.len() {
        1 => "Coaching log".to_string(),
        n if n <= 3 => format!("Coaching log ({n} entries)"),
        n => format!("Coaching log (the last 3 of {n})"),
    });
    for e in entries.iter().rev().take(3) {
        let mut parts = vec![format!("{} · {}", day_text(e.day), e.topic)];
        if !e.agreed.is_empty() {
            parts.push(format!("agreed: {}", e.agreed));
        }
        match (e.outcome, e.follow_up) {
            (Some(outcome), _) => parts.push(format!(
                "{}{}",
                outcome.words(),
                e.outcome_on.map(|d| format!(" ({})", day_text(d))).unwrap_or_default()
            )),
            (None, Some(f)) => parts.push(format!("look again {}", day_text(f))),
            (None, None) => {}
        }
        pen.line(Font::Regular, 9.0, INK, 0.0, &format!("•  {}", parts.join(" · ")));
    }
}

/// The leaving defects in two columns, as many as four lines hold.
fn leaving_columns(pen: &mut Pen, lines: Vec<String>) {
    const ROWS: usize = 4;
    let column_width = pen.width() / 2.0;
    let shown = if lines.len() > 2 * ROWS { 2 * ROWS - 1 } else { lines.len() };
    let rows = shown.div_ceil(2).min(ROWS);
    let top = pen.y;
    for (i, text) in lines.iter().take(shown).enumerate() {
        let (column, row) = (i / rows, i % rows);
        let y = top + 12.5 * (row + 1) as f32;
        // 8.5 pt: the longest ("Package not attempted TBA… leaves on 2026-03-14") fits a column.
        let fitted = pdf::fit(Font::Regular, 8.5, text, column_width - 10.0);
        pen.page.text(
            MARGIN + column as f32 * column_width,
            y,
            TextStyle::new(Font::Regular, 8.5, INK),
            Align::Left,
            &fitted,
        );
    }
    pen.y = top + 12.5 * rows as f32;
    if lines.len() > shown {
        let more = format!("and {} more", lines.len() - shown);
        pen.page.text(MARGIN + column_width, pen.y, TextStyle::new(Font::Regular, 9.0, MUTED), Align::Left, &more);
    }
}

/// The days the charts show: history up to the as-of day, then the projection.
struct Shown<'a> {
    first: Day,
    last: Day,
    as_of: Day,
    history: &'a [Standing],
    projected: &'a [Standing],
}

impl<'a> Shown<'a> {
    fn new(detail: &'a DriverDetail, as_of: Day) -> Shown<'a> {
        let first = as_of - HISTORY_DAYS;
        let from = detail.history.partition_point(|s| s.as_of < first);
        let last = detail.projected.last().map_or(as_of, |s| s.as_of).max(as_of + 1);
        Shown { first, last, as_of, history: &detail.history[from..], projected: &detail.projected }
    }
}

/// One panel: tier bands, the history as a line, the projection dashed, a mark at the
/// as-of day; `area` is (x, top, width, height) of the plot.
fn chart(page: &mut Page, fleet: &Fleet, metric: Metric, shown: &Shown, area: (f32, f32, f32, f32)) {
    let (x, top, width, height) = area;
    let (history, projected) = (metric.points(shown.history), metric.points(shown.projected));
    let Scale { low, high, bands } =
        Scale::of(metric, &fleet.thresholds, history.iter().chain(&projected).map(|&(_, v)| v));
    let span = (high - low).max(1e-9);
    let to_y = |v: f64| top + height - ((v.clamp(low, high) - low) / span) as f32 * height;
    let to_x = |day: Day| x + (day - shown.first) as f32 / (shown.last - shown.first) as f32 * width;
    page.text(x, top - 5.0, TextStyle::new(Font::Bold, 8.5, INK), Align::Left, metric.name());
    tier_bands(page, &bands, (x, width), to_y);
    // Tier boundaries named at the left.
    let is_rate = metric.is_rate();
    for band in bands.iter().take(3) {
        let boundary = if is_rate { band.low } else { band.low + 0.5 };
        if boundary > low && boundary < high {
            let label = if is_rate { format!("{:.0}%", boundary * 100.0) } else { format!("{}", boundary.round()) };
            page.text(x - 2.0, to_y(band.low) + 2.5, TextStyle::new(Font::Regular, 6.5, MUTED), Align::Right, &label);
        }
    }
    let today = to_x(shown.as_of);
    page.polyline(&[(today, top), (today, top + height)], 0.5, MUTED, Some((1.5, 1.5)));
    let line = |points: &[(Day, f64)]| -> Vec<(f32, f32)> { points.iter().map(|&(d, v)| (to_x(d), to_y(v))).collect() };
    if let Some(&last) = history.last() {
        let mut ahead = vec![last];
        ahead.extend(projected.iter().copied());
        page.polyline(&line(&ahead), 1.2, INK, Some((3.0, 2.0)));
    }
    page.polyline(&line(&history), 1.4, INK, None);
    if history.is_empty() {
        page.text(
            x + width / 2.0,
            top + height / 2.0,
            TextStyle::new(Font::Regular, 8.0, MUTED),
            Align::Center,
            "no data yet",
        );
    }
    for (day, align) in [(shown.first, Align::Left), (shown.as_of, Align::Center), (shown.last, Align::Right)] {
        let label = &day_text(day)[5..];
        page.text(to_x(day), top + height + 9.0, TextStyle::new(Font::Regular, 6.5, MUTED), align, label);
    }
}

/// A chart's tier bands, tinted, across `(x, width)`; `to_y` places a value.
pub(super) fn tier_bands(
    page: &mut Page,
    bands: &[crate::charts::Band],
    (x, width): (f32, f32),
    to_y: impl Fn(f64) -> f32,
) {
    for band in bands {
        let (y_top, y_bottom) = (to_y(band.high), to_y(band.low));
        if y_bottom - y_top > 0.1 {
            let tint = tier_color(Some(band.tier)).tint(0.18);
            page.fill_rect(x, y_top, width, y_bottom - y_top, tint);
        }
    }
}

fn legend(page: &mut Page, area: (f32, f32, f32)) {
    let (x, top, _) = area;
    let mut y = top + 4.0;
    page.polyline(&[(x, y), (x + 18.0, y)], 1.4, INK, None);
    page.text(x + 24.0, y + 2.5, TextStyle::new(Font::Regular, 7.5, INK), Align::Left, "standing each day");
    y += 12.0;
    page.polyline(&[(x, y), (x + 18.0, y)], 1.2, INK, Some((3.0, 2.0)));
    page.text(
        x + 24.0,
        y + 2.5,
        TextStyle::new(Font::Regular, 7.5, INK),
        Align::Left,
        "projection: clean work at the pace",
    );
    y += 12.0;
    page.polyline(&[(x + 9.0, y - 4.0), (x + 9.0, y + 4.0)], 0.5, MUTED, Some((1.5, 1.5)));
    page.text(x + 24.0, y + 2.5, TextStyle::new(Font::Regular, 7.5, INK), Align::Left, "the as-of day");
    y += 10.0;
    for (i, tier) in Tier::ALL_BEST_FIRST.into_iter().enumerate() {
        let (column, row) = (i % 2, i / 2);
        let (cx, cy) = (x + column as f32 * 70.0, y + row as f32 * 11.0);
        page.fill_rect(cx, cy, 18.0, 8.0, tier_color(Some(tier)).tint(0.35));
        page.text(cx + 24.0, cy + 7.0, TextStyle::new(Font::Regular, 7.5, INK), Align::Left, tier.label());
    }
}

/// The events counting now, newest first, as many as the page holds.
fn events(pen: &mut Pen, fleet: &Fleet, detail: &DriverDetail) {
    pen.section(&format!("Events counting now ({})", detail.events.len()));
    if detail.events.is_empty() {
        pen.line(Font::Regular, 9.5, INK, 0.0, "None: every counted block and package in the windows is clean.");
        return;
    }
    let columns = [0.0, 56.0, 170.0, pen.width() - 120.0];
    pen.y += 12.0;
    for (title, x) in ["Day", "Event", "What happened", "Dispute grounds"].iter().zip(columns) {
        pen.page.text(MARGIN + x, pen.y, TextStyle::new(Font::Bold, 8.0, MUTED), Align::Left, title);
    }
    let row_height = 11.0;
    let room = ((pen.bottom() - pen.y) / row_height).floor().max(1.0) as usize;
    let mut list: Vec<_> = detail.events.iter().collect();
    list.sort_by_key(|e| std::cmp::Reverse((e.day, e.time)));
    let shown = if list.len() > room { room - 1 } else { list.len() };
    for e in list.iter().take(shown) {
        pen.y += row_height;
        let kind = match e.what {
            EventKind::Block { .. } => format!("Block {}", e.id),
            EventKind::Package { .. } => format!("Package {}", e.id),
        };
        let grounds = if e.grounds.is_empty() {
            "–".to_string()
        } else if e.in_case {
            format!("{} (in a case)", e.grounds.names())
        } else {
            e.grounds.names()
        };
        let cells = [day_text(e.day), kind, explain::what_happened(e, fleet.zone), grounds];
        let widths = [columns[1], columns[2] - columns[1], columns[3] - columns[2], pen.width() - columns[3]];
        for ((cell, x), width) in cells.iter().zip(columns).zip(widths) {
            let fitted = pdf::fit(Font::Regular, 8.0, cell, width - 6.0);
            pen.page.text(MARGIN + x, pen.y, TextStyle::new(Font::Regular, 8.0, INK), Align::Left, &fitted);
        }
    }
    if list.len() > shown {
        pen.y += row_height;
        let more = format!("and {} older events: the driver view in Standwatch lists them all", list.len() - shown);
        pen.page.text(MARGIN, pen.y, TextStyle::new(Font::Regular, 8.0, MUTED), Align::Left, &more);
    }
}

/// The fleet on one page: drivers per tier, the drivers at risk, and who changes tier in
/// the next [`SOON_DAYS`] days.
pub fn fleet_summary(fleet: &Fleet, as_of: Day, paper: Paper) -> Vec<u8> {
    let mut pen = Pen::new(paper);
    // Each listed driver's standing, by driver index.
    let standings: std::collections::BTreeMap<usize, Standing> =
        fleet.listed().map(|i| (i, fleet.standing(i, as_of))).collect();
    let kind = format!("Fleet summary · as of {}", day_text(as_of));
    pen.heading(&kind, &format!("{} drivers", standings.len()), 0.0);
    pen.y += 8.0;

    pen.section("Overall standing");
    pen.y += 6.0;
    let mut x = MARGIN;
    let tiers = Tier::ALL_BEST_FIRST.map(Some).into_iter().chain([None]);
    for tier in tiers {
        let count = standings.values().filter(|s| s.overall == tier).count();
        let width = pen.chip(x, pen.y, tier, 10.0);
        pen.page.text(
            x + width + 6.0,
            pen.y + 11.0,
            TextStyle::new(Font::Bold, 12.0, INK),
            Align::Left,
            &count.to_string(),
        );
        x += width + 44.0;
    }
    pen.y += 16.0;

    let name = |i: usize| fleet.drivers[i].name.clone().unwrap_or_default();
    let station = |i: usize| fleet.drivers[i].station.clone().unwrap_or_default();
    let at_risk: Vec<usize> =
        standings.iter().filter(|(_, s)| s.overall == Some(Tier::AtRisk)).map(|(&i, _)| i).collect();
    let soon: Vec<(usize, crate::standing::forecast::TierChange)> = standings
        .keys()
        .filter(|&&i| !fleet.drivers[i].deactivated)
        .filter_map(|&i| Some((i, fleet.next_overall_change(i, as_of, SOON_DAYS as u32)?)))
        .collect();
    let half = (pen.bottom() - pen.y - 60.0) / 2.0;

    pen.section(&format!("At Risk ({})", at_risk.len()));
    let rows: Vec<[String; 5]> = at_risk
        .iter()
        .filter_map(|&i| {
            let s = standings.get(&i)?;
            Some([
                fleet.drivers[i].id.clone(),
                name(i),
                station(i),
                tier_label(s.reliability_tier).to_string(),
                tier_label(s.quality_tier).to_string(),
            ])
        })
        .collect();
    table(
        &mut pen,
        &["Driver", "Name", "Station", "Reliability", "Delivery quality"],
        &rows,
        half,
        "Nobody is At Risk.",
    );

    pen.section(&format!("Tier changes in the next {SOON_DAYS} days, if the pace holds ({})", soon.len()));
    let mut soon = soon;
    soon.sort_by_key(|(i, c)| (c.day, fleet.drivers[*i].id.clone()));
    let rows: Vec<[String; 5]> = soon
        .iter()
        .map(|(i, c)| {
            [
                fleet.drivers[*i].id.clone(),
                name(*i),
                station(*i),
                day_text(c.day),
                format!("{} {} to {}", tier_label(c.from), if c.rises() { "up" } else { "down" }, tier_label(c.to)),
            ]
        })
        .collect();
    table(&mut pen, &["Driver", "Name", "Station", "On", "Overall"], &rows, half, "No overall tier changes projected.");
    pen.footer("Projections assume each driver keeps the pace of the last 28 days with clean work only.");
    pdf::document(&format!("Fleet summary as of {}", day_text(as_of)), vec![pen.page])
}

/// A table of five columns within `room` points of height; the rows that do not fit are
/// counted in a last line.
fn table(pen: &mut Pen, titles: &[&str; 5], rows: &[[String; 5]], room: f32, none: &str) {
    table_in_columns(pen, titles, rows, room, none, [0.0, 0.14, 0.44, 0.58, 0.78]);
}

/// [`table`] with each column starting at a share of the width.
pub(super) fn table_in_columns(
    pen: &mut Pen,
    titles: &[&str; 5],
    rows: &[[String; 5]],
    room: f32,
    none: &str,
    starts: [f32; 5],
) {
    if rows.is_empty() {
        pen.line(Font::Regular, 9.5, INK, 0.0, none);
        return;
    }
    let w = pen.width();
    let columns = starts.map(|share| share * w);
    pen.y += 12.0;
    for (title, x) in titles.iter().zip(columns) {
        pen.page.text(MARGIN + x, pen.y, TextStyle::new(Font::Bold, 8.0, MUTED), Align::Left, title);
    }
    let row_height = 11.5;
    let fits = ((room - 24.0) / row_height).floor().max(1.0) as usize;
    let shown = if rows.len() > fits { fits - 1 } else { rows.len() };
    for row in rows.iter().take(shown) {
        pen.y += row_height;
        for (i, (cell, x)) in row.iter().zip(columns).enumerate() {
            let width = columns.get(i + 1).copied().unwrap_or(w) - x - 6.0;
            let fitted = pdf::fit(Font::Regular, 8.5, cell, width);
            pen.page.text(MARGIN + x, pen.y, TextStyle::new(Font::Regular, 8.5, INK), Align::Left, &fitted);
        }
    }
    if rows.len() > shown {
        pen.y += row_height;
        let more = format!("and {} more: the fleet view and `standwatch report` list them all", rows.len() - shown);
        pen.page.text(MARGIN, pen.y, TextStyle::new(Font::Regular, 8.5, MUTED), Align::Left, &more);
    }
    pen.y += 8.0;
}

/// A driver's sheet file name: the id made safe, unique among `taken` ("fleet" is the
/// summary's).
pub(super) fn sheet_file_name(id: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let mut name = if safe.is_empty() { "driver".to_string() } else { safe };
    let base = name.clone();
    let mut n = 2;
    while name.eq_ignore_ascii_case("fleet") || !taken.insert(name.to_ascii_lowercase()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    format!("{name}.pdf")
}

/// Which sheets to write, and where.
pub struct SheetsRequest<'a> {
    pub drivers: &'a [usize],
    /// The workspace's coaching log (empty without one): each sheet prints its last three.
    pub coaching: &'a [CoachingEntry],
    pub as_of: Day,
    pub paper: Paper,
    /// The folder, made if missing.
    pub dir: &'a Path,
    /// Also `fleet.pdf`.
    pub summary: bool,
}

/// Writes one sheet per driver of the request, on every core, and `fleet.pdf` when asked;
/// `progress` gets (done, total). Returns the files written, the summary last.
pub fn write_sheets(
    fleet: &Fleet,
    request: &SheetsRequest,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<PathBuf>, SheetError> {
    let SheetsRequest { drivers, coaching, as_of, paper, dir, summary } = *request;
    let mut taken = std::collections::HashSet::new();
    let jobs: Vec<(usize, PathBuf)> =
        drivers.iter().map(|&i| (i, dir.join(sheet_file_name(&fleet.drivers[i].id, &mut taken)))).collect();
    let mut written =
        write_in_parallel(jobs, dir, cancel, progress, |&driver| driver_sheet(fleet, driver, as_of, paper, coaching))?;
    if summary {
        let path = dir.join("fleet.pdf");
        write_atomic(&path, &fleet_summary(fleet, as_of, paper))
            .map_err(|source| SheetError::Write { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}

/// Writes each job's PDF (`make` of its subject) to its path, the jobs shared among the
/// cores, into `dir` (made if missing); `progress` gets (done, total). Returns the paths
/// in the jobs' order.
pub(super) fn write_in_parallel<T: Clone + Send + Sync>(
    jobs: Vec<(T, PathBuf)>,
    dir: &Path,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
    make: impl Fn(&T) -> Result<Vec<u8>, SheetError> + Sync,
) -> Result<Vec<PathBuf>, SheetError> {
    std::fs::create_dir_all(dir).map_err(|source| SheetError::Write { path: dir.to_path_buf(), source })?;
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    let parts = crate::parallel::cores().min(total).max(1);
    let mut chunks = vec![Vec::new(); parts];
    for (k, job) in jobs.iter().cloned().enumerate() {
        chunks[k % parts].push(job);
    }
    let write_chunk = |chunk: Vec<(T, PathBuf)>| -> Result<(), SheetError> {
        for (subject, path) in chunk {
            if cancel.load(Ordering::Relaxed) {
                return Err(SheetError::Cancelled);
            }
            let bytes = make(&subject)?;
            write_atomic(&path, &bytes).map_err(|source| SheetError::Write { path: path.clone(), source })?;
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        }
        Ok(())
    };
    let failed =
        || Err(SheetError::Write { path: dir.to_path_buf(), source: std::io::Error::other("a worker failed") });
    for result in crate::parallel::map_on_threads(chunks, write_chunk, failed) {
        result?;
    }
    Ok(jobs.into_iter().map(|(_, p)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(sheet_file_name("D1", &mut taken), "D1.pdf");
        assert_eq!(sheet_file_name("d1", &mut taken), "d1-2.pdf", "case-insensitive file systems");
        assert_eq!(sheet_file_name("a/b", &mut taken), "a_b.pdf");
        assert_eq!(sheet_file_name("a:b", &mut taken), "a_b-2.pdf");
        assert_eq!(sheet_file_name("fleet", &mut taken), "fleet-2.pdf", "fleet.pdf is the summary");
        assert_eq!(sheet_file_name("", &mut taken), "driver.pdf");
    }
}
