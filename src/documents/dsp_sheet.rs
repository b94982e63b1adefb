//! DSP mode's coaching sheets (SPEC §7.4): one page per delivery associate for a week —
//! the overall tier, the metrics past their coaching triggers, the last 8 weeks of every
//! metric in its tier's colour, the charted metrics against their tier bands, and the
//! week's defects with their grounds; and a page for the week (tier counts, who needs
//! attention first).

use super::pdf::{self, Align, Font, Page, Paper, TextStyle};
use super::sheet::{
    INK, MARGIN, MUTED, Pen, SheetError, WHITE, sheet_file_name, table_in_columns, tier_bands, tier_color,
};
use crate::charts::{dsp_colour, dsp_scale};
use crate::explain::{event_grounds_text, what_happened};
use crate::report::day_text;
use crate::scorecard::alerts::DspAlert;
use crate::scorecard::bounds::Measure;
use crate::scorecard::metrics::{DspMetric, DspTier, Scale as TierScale, with_thousands};
use crate::scorecard::week::Week;
use crate::scorecard::{DaWeek, Scorecards, Tiered};
use crate::standing::{Event, Fleet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Weeks the sheet shows, the sheet's week last.
pub const WEEKS_SHOWN: usize = 8;

/// A scorecard tier's chip (its label on its colour) with its top-left at (x, y); returns
/// its width. No tier: a grey "no tier".
fn chip(page: &mut Page, x: f32, y: f32, tier: Option<DspTier>, size: f32) -> f32 {
    let label = tier.map_or("no tier", DspTier::label);
    let width = pdf::text_width(Font::Bold, size, label) + size;
    page.fill_rect(x, y, width, size * 1.5, tier_color(tier.map(dsp_colour)));
    page.text(x + size / 2.0, y + size * 1.1, TextStyle::new(Font::Bold, size, WHITE), Align::Left, label);
    width
}

/// A tier as the sheet writes it: its label, "*" when Standwatch computed it.
fn tier_text(tier: Option<Tiered>) -> String {
    tier.map_or_else(String::new, |t| format!("{}{}", t.tier.label(), if t.computed { "*" } else { "" }))
}

/// DA `da`'s coaching sheet for `week` as a one-page PDF; `None` when the DA has no
/// scorecard that week.
pub fn da_sheet(
    fleet: &Fleet,
    cards: &Scorecards,
    da: usize,
    week: Week,
    paper: Paper,
    log: &[crate::workspace::coaching::CoachingEntry],
) -> Result<Option<Vec<u8>>, SheetError> {
    let history = cards.history(da);
    let Some(end) = history.iter().position(|r| r.week == week) else { return Ok(None) };
    let shown = &history[(end + 1).saturating_sub(WEEKS_SHOWN)..=end];
    let id = &cards.das[da].id;
    let defects = cards.week_defects(fleet, id, week)?;
    let page = da_page(fleet, cards, da, (shown, &defects), paper, log);
    let name = cards.das[da].name.as_deref().unwrap_or(id);
    Ok(Some(pdf::document(&format!("Coaching sheet: {name} ({id}), week {week}"), vec![page])))
}

fn da_page(
    fleet: &Fleet,
    cards: &Scorecards,
    da: usize,
    (shown, defects): (&[DaWeek], &[Event]),
    paper: Paper,
    log: &[crate::workspace::coaching::CoachingEntry],
) -> Page {
    let d = &cards.das[da];
    let Some(row) = shown.last() else { return Page::new(paper) };
    let week = row.week;
    let starts = cards.week_starts;
    let mut pen = Pen::new(paper);

    // Who, the week, and the overall tier at the right.
    let kind = format!(
        "Coaching sheet · scorecard week {week} ({} to {})",
        day_text(week.start(starts)),
        day_text(week.end(starts))
    );
    let name = d.name.clone().or_else(|| {
        let driver = fleet.driver_index(&d.id)?;
        fleet.drivers[driver].name.clone()
    });
    pen.heading(&kind, name.as_deref().unwrap_or("(no name)"), 170.0);
    let overall = row.overall.map(|t| t.tier);
    let label = format!(
        "Overall: {}{}",
        overall.map_or("no tier", DspTier::label),
        match row.overall {
            Some(t) if t.computed => "*",
            _ => "",
        }
    );
    let chip_width = pdf::text_width(Font::Bold, 12.0, &label) + 16.0;
    let chip_x = pen.right() - chip_width;
    pen.page.fill_rect(chip_x, pen.y - 20.0, chip_width, 26.0, tier_color(overall.map(dsp_colour)));
    pen.page.text(chip_x + 8.0, pen.y - 3.0, TextStyle::new(Font::Bold, 12.0, WHITE), Align::Left, &label);
    let mut who = vec![format!("Transporter ID {}", d.id)];
    if let Some(n) = row.delivered {
        who.push(format!("{} packages delivered", with_thousands(n.round() as i64)));
    }
    if let Some(score) = row.score {
        who.push(format!("overall score {score}"));
    }
    pen.line(Font::Regular, 10.0, MUTED, 0.0, &who.join(" · "));
    if !row.alerts.is_empty() {
        pen.line(Font::Bold, 10.0, INK, 0.0, &row.alert_words());
    }

    coaching(&mut pen, cards, row, shown);
    weeks_table(&mut pen, shown);

    // The charted metrics over the weeks, three by two.
    pen.y += 26.0;
    let gap = 14.0;
    let chart_width = (pen.width() - 2.0 * gap) / 3.0 - 8.0;
    let chart_height = 64.0;
    let scale = row.scale().unwrap_or(TierScale::Classic);
    for (i, metric) in DspMetric::CHARTED.into_iter().enumerate() {
        let x = MARGIN + 30.0 + (i % 3) as f32 * (chart_width + gap + 8.0);
        let y = pen.y + (i / 3) as f32 * (chart_height + 32.0);
        week_chart(&mut pen.page, cards, metric, shown, scale, (x, y, chart_width, chart_height));
    }
    pen.y += 2.0 * (chart_height + 32.0) - 16.0;

    super::sheet::coaching_log(&mut pen, &d.id, log);
    defects_table(&mut pen, fleet, defects);
    pen.footer(
        "Tiers and values are the scorecard's; * marks a tier Standwatch computed from its tier bounds where the \
         file gives none.",
    );
    pen.page
}

/// The coaching triggers: the metrics past theirs this week, the metrics worse three weeks
/// running, and every trigger in use.
fn coaching(pen: &mut Pen, cards: &Scorecards, row: &DaWeek, shown: &[DaWeek]) {
    pen.section("What to talk about");
    let mut said = 0;
    for trigger in cards.triggers.0.iter().filter(|t| row.coach.contains(&t.metric)) {
        let Some(value) = row.value(trigger.metric) else { continue };
        let text = format!(
            "•  {} is {}: past the coaching trigger ({}).",
            trigger.metric.label(),
            trigger.metric.show(value),
            trigger.sentence()
        );
        pen.line(Font::Bold, 9.5, INK, 0.0, &text);
        said += 1;
    }
    for &metric in &row.slipping {
        let values: Vec<String> =
            shown.iter().rev().take(3).rev().filter_map(|r| r.value(metric)).map(|v| metric.show(v)).collect();
        let text = format!("•  {} worse three weeks running: {}.", metric.label(), values.join(" then "));
        pen.line(Font::Regular, 9.5, INK, 0.0, &text);
        said += 1;
    }
    if said == 0 {
        pen.line(Font::Regular, 9.5, INK, 0.0, "No metric is past its coaching trigger or slipping this week.");
    }
    let triggers: Vec<String> = cards.triggers.0.iter().map(|t| t.sentence()).collect();
    if !triggers.is_empty() {
        let text = format!("Coaching triggers: {}.", triggers.join(" · "));
        for line in pdf::wrap(Font::Regular, 8.0, &text, pen.width()) {
            pen.line(Font::Regular, 8.0, MUTED, 0.0, &line);
        }
    }
}

/// Every metric the weeks give, a column per week, each value on its tier's tint.
fn weeks_table(pen: &mut Pen, shown: &[DaWeek]) {
    pen.section(&match shown.len() {
        1 => "This week (no earlier scorecard)".to_string(),
        n => format!("The last {n} weeks"),
    });
    let label_width = 108.0;
    let column = (pen.width() - label_width) / WEEKS_SHOWN as f32;
    let row_height = 12.5;
    pen.y += 12.0;
    for (i, r) in shown.iter().enumerate() {
        let font = if i + 1 == shown.len() { Font::Bold } else { Font::Regular };
        let x = MARGIN + label_width + (i as f32 + 0.5) * column;
        pen.page.text(x, pen.y, TextStyle::new(font, 8.0, MUTED), Align::Center, &r.week.label());
    }
    let cell = |page: &mut Page, i: usize, y: f32, tier: Option<Tiered>, text: &str, bold: bool| {
        let x = MARGIN + label_width + i as f32 * column;
        if let Some(t) = tier {
            page.fill_rect(
                x + 1.0,
                y - 9.0,
                column - 2.0,
                row_height - 1.0,
                tier_color(Some(dsp_colour(t.tier))).tint(0.3),
            );
        }
        let font = if bold { Font::Bold } else { Font::Regular };
        // "Fantastic Plus" takes a smaller size rather than a cut.
        let size = if pdf::text_width(font, 8.0, text) <= column - 4.0 { 8.0 } else { 7.0 };
        let text = pdf::fit(font, size, text, column - 4.0);
        page.text(x + column / 2.0, y, TextStyle::new(font, size, INK), Align::Center, &text);
    };
    pen.y += row_height;
    pen.page.text(MARGIN, pen.y, TextStyle::new(Font::Bold, 8.5, INK), Align::Left, "Overall");
    for (i, r) in shown.iter().enumerate() {
        cell(&mut pen.page, i, pen.y, r.overall, &tier_text(r.overall), i + 1 == shown.len());
    }
    for metric in DspMetric::ALL {
        if shown.iter().all(|r| r.value(metric).is_none()) {
            continue;
        }
        pen.y += row_height;
        let label = pdf::fit(Font::Regular, 8.5, metric.label(), label_width - 4.0);
        pen.page.text(MARGIN, pen.y, TextStyle::new(Font::Regular, 8.5, INK), Align::Left, &label);
        for (i, r) in shown.iter().enumerate() {
            let Some(value) = r.value(metric) else { continue };
            let tier = r.tier(metric);
            let star = if tier.is_some_and(|t| t.computed) { "*" } else { "" };
            cell(&mut pen.page, i, pen.y, tier, &format!("{}{star}", metric.show(value)), i + 1 == shown.len());
        }
    }
    pen.y += 4.0;
}

/// One metric over the weeks shown: its tier bands (the week's scale), the values as a
/// line with a dot per week; `area` is (x, top, width, height) of the plot.
fn week_chart(
    page: &mut Page,
    cards: &Scorecards,
    metric: DspMetric,
    shown: &[DaWeek],
    scale: TierScale,
    area: (f32, f32, f32, f32),
) {
    let (x, top, width, height) = area;
    let values: Vec<(usize, f64)> = shown.iter().enumerate().filter_map(|(i, r)| Some((i, r.value(metric)?))).collect();
    let bounds = cards.bounds.get(Measure::Metric(metric));
    let chart_scale = dsp_scale(metric, bounds, scale, values.iter().map(|v| v.1));
    let (low, high) = (chart_scale.low, chart_scale.high);
    let span = (high - low).max(1e-9);
    let to_y = |v: f64| top + height - ((v.clamp(low, high) - low) / span) as f32 * height;
    let step = width / shown.len().max(1) as f32;
    let to_x = |i: usize| x + (i as f32 + 0.5) * step;
    page.text(x, top - 5.0, TextStyle::new(Font::Bold, 8.5, INK), Align::Left, metric.label());
    tier_bands(page, &chart_scale.bands, (x, width), to_y);
    // The bounds between the bands, named at the left.
    for band in chart_scale.bands.iter().skip(1) {
        let boundary = if bounds.higher_is_better { band.high } else { band.low };
        if boundary > low && boundary < high {
            let label = metric.show(boundary);
            page.text(x - 2.0, to_y(boundary) + 2.5, TextStyle::new(Font::Regular, 6.0, MUTED), Align::Right, &label);
        }
    }
    let points: Vec<(f32, f32)> = values.iter().map(|&(i, v)| (to_x(i), to_y(v))).collect();
    page.polyline(&points, 1.4, INK, None);
    for &(px, py) in &points {
        page.fill_rect(px - 1.6, py - 1.6, 3.2, 3.2, INK);
    }
    if points.is_empty() {
        let style = TextStyle::new(Font::Regular, 8.0, MUTED);
        page.text(x + width / 2.0, top + height / 2.0, style, Align::Center, "not on these scorecards");
    }
    // The first and last weeks named under their points.
    let last = shown.len().saturating_sub(1);
    for i in if last == 0 { vec![0] } else { vec![0, last] } {
        let Some(r) = shown.get(i) else { continue };
        let label = format!("W{:02}", r.week.number);
        page.text(to_x(i), top + height + 9.0, TextStyle::new(Font::Regular, 6.5, MUTED), Align::Center, &label);
    }
}

/// The week's defects, as many as the page holds.
fn defects_table(pen: &mut Pen, fleet: &Fleet, defects: &[Event]) {
    let disputable = defects.iter().filter(|e| e.is_disputable()).count();
    pen.section(&format!("Defects of the week ({} · {disputable} with a dispute ground)", defects.len()));
    if defects.is_empty() {
        pen.line(Font::Regular, 9.5, INK, 0.0, "No exception or concession of this DA in this week.");
        return;
    }
    let w = pen.width();
    let columns = [0.0, 52.0, 134.0, w - 190.0];
    pen.y += 12.0;
    for (title, x) in ["Day", "Package", "What happened", "Dispute grounds"].iter().zip(columns) {
        pen.page.text(MARGIN + x, pen.y, TextStyle::new(Font::Bold, 8.0, MUTED), Align::Left, title);
    }
    let row_height = 11.0;
    let room = ((pen.bottom() - pen.y) / row_height).floor().max(1.0) as usize;
    let shown = if defects.len() > room { room - 1 } else { defects.len() };
    let widths = [columns[1], columns[2] - columns[1], columns[3] - columns[2], w - columns[3]];
    for e in defects.iter().take(shown) {
        pen.y += row_height;
        let grounds = match event_grounds_text(e, fleet.zone) {
            text if text.is_empty() => "–".to_string(),
            text if e.in_case => format!("{text} (in a case)"),
            text => text,
        };
        let cells = [day_text(e.day), e.id.clone(), what_happened(e, fleet.zone), grounds];
        for ((text, x), width) in cells.iter().zip(columns).zip(widths) {
            let fitted = pdf::fit(Font::Regular, 7.5, text, width - 6.0);
            pen.page.text(MARGIN + x, pen.y, TextStyle::new(Font::Regular, 7.5, INK), Align::Left, &fitted);
        }
    }
    if defects.len() > shown {
        pen.y += row_height;
        let more = format!("and {} more: the DA view in Standwatch lists them all", defects.len() - shown);
        pen.page.text(MARGIN, pen.y, TextStyle::new(Font::Regular, 8.0, MUTED), Align::Left, &more);
    }
}

/// The week on one page: DAs per overall tier, and who needs attention, most first.
pub fn week_summary(cards: &Scorecards, week: Week, paper: Paper) -> Vec<u8> {
    let mut pen = Pen::new(paper);
    let rows = cards.week_rows(week);
    let kind = format!("DSP week summary · scorecard week {week}");
    pen.heading(&kind, &format!("{} delivery associates", rows.len()), 0.0);
    pen.y += 8.0;

    pen.section("Overall standing");
    pen.y += 6.0;
    let mut tiers: Vec<Option<DspTier>> = rows.iter().map(|r| r.overall.map(|t| t.tier)).collect();
    tiers.sort_by_key(|t| (t.is_none(), t.map(|t| (t.scale() != TierScale::Classic, t.rank()))));
    tiers.dedup();
    let mut x = MARGIN;
    for tier in tiers {
        let count = rows.iter().filter(|r| r.overall.map(|t| t.tier) == tier).count();
        let width = chip(&mut pen.page, x, pen.y, tier, 10.0);
        let style = TextStyle::new(Font::Bold, 12.0, INK);
        pen.page.text(x + width + 6.0, pen.y + 11.0, style, Align::Left, &count.to_string());
        x += width + 40.0;
    }
    pen.y += 16.0;

    let mut attention: Vec<&&DaWeek> = rows.iter().filter(|r| !r.alerts.is_empty()).collect();
    attention.sort_by_key(|r| (std::cmp::Reverse(r.attention()), cards.das[r.da].id.as_str()));
    pen.section(&format!("Needs attention ({})", attention.len()));
    let names = |metrics: &[DspMetric]| metrics.iter().map(|m| m.label()).collect::<Vec<_>>().join(", ");
    let table_rows: Vec<[String; 5]> = attention
        .iter()
        .map(|r| {
            let da = &cards.das[r.da];
            [
                da.id.clone(),
                da.name.clone().unwrap_or_default(),
                tier_text(r.overall),
                names(&r.coach),
                r.alerts
                    .iter()
                    .filter(|a| *a != DspAlert::Coach)
                    .map(|a| a.short_words())
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let room = pen.bottom() - pen.y;
    table_in_columns(
        &mut pen,
        &["DA", "Name", "Overall", "Coaching on", "Alerts"],
        &table_rows,
        room,
        "No DA has an alert this week.",
        [0.0, 0.19, 0.37, 0.48, 0.64],
    );
    pen.footer("Tiers are the scorecards'; * marks a tier Standwatch computed from its tier bounds.");
    pdf::document(&format!("DSP week summary {week}"), vec![pen.page])
}

/// Which DAs' sheets to write, and where.
pub struct DaSheetsRequest<'a> {
    pub ids: &'a [String],
    /// The workspace's coaching log (empty without one): each sheet prints its last three.
    pub coaching: &'a [crate::workspace::coaching::CoachingEntry],
    pub week: Week,
    pub paper: Paper,
    /// The folder, made if missing.
    pub dir: &'a Path,
    /// Also `week-<week>.pdf`, the week's summary.
    pub summary: bool,
}

/// Writes a sheet per DA of the request that has a scorecard that week, on every core,
/// and the week's summary when asked; `progress` gets (done, total). Returns the files
/// written, the summary last.
pub fn write_da_sheets(
    fleet: &Fleet,
    cards: &Scorecards,
    request: &DaSheetsRequest,
    cancel: &AtomicBool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<PathBuf>, SheetError> {
    let DaSheetsRequest { ids, coaching, week, paper, dir, summary } = *request;
    let mut taken = std::collections::HashSet::new();
    let jobs: Vec<(usize, PathBuf)> = ids
        .iter()
        .filter_map(|id| cards.da_index(id))
        .filter(|&da| cards.row(&cards.das[da].id, week).is_some())
        .map(|da| (da, dir.join(sheet_file_name(&cards.das[da].id, &mut taken))))
        .collect();
    let make = |&da: &usize| Ok(da_sheet(fleet, cards, da, week, paper, coaching)?.unwrap_or_default());
    let mut written = super::sheet::write_in_parallel(jobs, dir, cancel, progress, make)?;
    if summary {
        let path = dir.join(format!("week-{week}.pdf"));
        crate::fsutil::write_atomic(&path, &week_summary(cards, week, paper))
            .map_err(|source| SheetError::Write { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}
