//! The letter's text from a template (the user's, else the shipped one) and the variables
//! documented in `assets/templates/README.md`.

use super::incidents::Incident;
use super::{Attachment, Impact, LetterKind, Sender, Voice};
use crate::explain::{grounds_words, what_happened};
use crate::import::time::Day;
use crate::report::day_text;
use crate::standing::rules::Tier;
use crate::standing::{Event, Fleet};
use serde::Serialize;
use std::path::Path;

pub const DISPUTE_TEMPLATE: &str = include_str!("../../assets/templates/dispute.txt.j2");
pub const REACTIVATION_TEMPLATE: &str = include_str!("../../assets/templates/reactivation.txt.j2");

/// What a letter is rendered from.
pub struct Context<'a> {
    pub kind: LetterKind,
    pub voice: Voice,
    pub fleet: &'a Fleet,
    pub driver: usize,
    pub as_of: Day,
    pub name: &'a str,
    pub sender: &'a Sender,
    /// The letter's events, oldest first.
    pub events: &'a [&'a Event],
    /// Every event counting against the driver on the day.
    pub all_events: &'a [Event],
    pub incidents: &'a [Incident],
    pub impact: &'a Impact,
    pub attachments: &'a [Attachment],
    /// How many of the attachments are photos.
    pub photos: usize,
    /// The scorecard week a DSP dispute is about (`2026-W17`).
    pub week: Option<&'a str>,
}

/// An event as templates before incidents knew it (the `events` variable).
#[derive(Serialize)]
struct EventLine {
    date: String,
    id: String,
    what: String,
    grounds: String,
}

/// What speaks for a driver asking to be reactivated.
#[derive(Serialize)]
struct Strengths {
    /// The day of the first block, `YYYY-MM-DD`; empty without blocks.
    since: String,
    blocks_worked: u32,
    packages_delivered: u32,
    /// The best overall tier ever held (`Fantastic`, `Great`, `Fair`), empty if none.
    best_tier: &'static str,
    /// Days at that tier.
    best_tier_days: usize,
}

fn strengths(fleet: &Fleet, driver: usize, as_of: Day) -> Strengths {
    let record = fleet.record(driver);
    let history = fleet.history(driver, None, as_of);
    let best = history.iter().filter_map(|s| s.overall).max().filter(|t| *t != Tier::AtRisk);
    Strengths {
        since: record.first_block_day.map(day_text).unwrap_or_default(),
        blocks_worked: record.worked_blocks,
        packages_delivered: record.delivered,
        best_tier: best.map_or("", Tier::label),
        best_tier_days: best.map_or(0, |b| history.iter().filter(|s| s.overall == Some(b)).count()),
    }
}

fn share(n: u32, of: u32) -> String {
    if of == 0 { "n/a".to_string() } else { format!("{:.1}%", f64::from(n) * 100.0 / f64::from(of)) }
}

/// The variables of a letter.
fn variables(c: &Context) -> minijinja::Value {
    let d = &c.fleet.drivers[c.driver];
    let zone = c.fleet.zone;
    let lines: Vec<EventLine> = c
        .events
        .iter()
        .map(|e| EventLine {
            date: zone.local(e.time).format("%Y-%m-%d").to_string(),
            id: e.id.clone(),
            what: what_happened(e, zone),
            grounds: grounds_words(e, zone),
        })
        .collect();
    let attachments: Vec<String> = c.attachments.iter().map(|a| a.file_name.clone()).collect();
    let sender_name = c.sender.name.trim();
    let organisation = c.sender.organisation.trim();
    let signature = match c.voice {
        Voice::Manager if organisation.is_empty() => sender_name.to_string(),
        Voice::Manager => format!("{sender_name}\n{organisation}"),
        Voice::Driver => c.name.to_string(),
    };
    let record = c.fleet.record(c.driver);
    let good_days = match c.kind {
        LetterKind::Reactivation => c
            .fleet
            .history(c.driver, None, c.as_of)
            .iter()
            .filter(|s| matches!(s.overall, Some(Tier::Fantastic | Tier::Great)))
            .count(),
        LetterKind::Dispute => 0,
    };
    minijinja::context! {
        kind => c.kind.name(),
        voice => match c.voice {
            Voice::Manager => "manager",
            Voice::Driver => "driver",
        },
        driver_name => c.name,
        driver_id => &d.id,
        station => d.station.as_deref().unwrap_or(""),
        sender_name => sender_name,
        sender_email => c.sender.email.trim(),
        organisation => organisation,
        signature => signature,
        incidents => minijinja::value::Serde(c.incidents),
        event_count => c.events.len(),
        events => minijinja::value::Serde(&lines),
        impact => minijinja::value::Serde(c.impact),
        attachments => attachments,
        photos => c.photos,
        documented => c.events.len(),
        defects => c.all_events.len(),
        strengths => minijinja::value::Serde(strengths(c.fleet, c.driver, c.as_of)),
        deactivated_on => d.deactivated_on.map(day_text).unwrap_or_else(|| "an unknown date".into()),
        deadline => d.deactivated_on.map(|x| day_text(x + 10)).unwrap_or_else(|| "unknown".into()),
        blocks => record.blocks,
        on_time_rate => share(record.on_time_blocks, record.blocks),
        packages => record.packages,
        delivered => record.delivered,
        success_rate => share(record.delivered, record.packages),
        dnr => record.dnr,
        good_days => good_days,
        week => c.week.unwrap_or(""),
    }
}

fn default_template(kind: LetterKind) -> (&'static str, &'static str) {
    match kind {
        LetterKind::Dispute => ("dispute.txt.j2", DISPUTE_TEMPLATE),
        LetterKind::Reactivation => ("reactivation.txt.j2", REACTIVATION_TEMPLATE),
    }
}

/// The letter's text: the user's template when one is set and renders, else the shipped
/// one, with what went wrong in `problems`.
pub fn render(c: &Context, templates_dir: Option<&Path>, problems: &mut Vec<String>) -> String {
    let (name, default) = default_template(c.kind);
    let env = minijinja::Environment::new();
    let values = variables(c);
    let shipped = || env.template_from_str(default).and_then(|t| t.render(&values)).unwrap_or_default();
    let Some(dir) = templates_dir else { return tidy(&shipped()) };
    let path = dir.join(name);
    let source = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!("{}: {e}; the default template was used", path.display()));
            return tidy(&shipped());
        }
    };
    match env.template_from_str(&source).and_then(|t| t.render(&values)) {
        Ok(text) => text,
        Err(e) => {
            problems
                .push(format!("{}: the template has an error ({e}); the default template was used", path.display()));
            tidy(&shipped())
        }
    }
}

/// The shipped templates' output with no run of blank lines and one line break at the end
/// (their conditional parts leave blank lines where they are empty).
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
