//! A DA's dispute of a scorecard week (SPEC §7.3): the week's defects (exceptions and
//! concessions) that have a ground, told as incidents like every letter, and the impact
//! on the week's own figures ("DNR DPMO 2,890 → 1,445, Fair → Great").

use super::{
    Attachment, Impact, Letter, LetterError, LetterKind, LetterSettings, envelope, evidence_csv, ground_codes,
    incidents, photo_attachments, render,
};
use crate::scorecard::impact::{Change, impact};
use crate::scorecard::metrics::Scale;
use crate::scorecard::week::Week;
use crate::scorecard::{DaWeek, Scorecards};
use crate::standing::grounds::Defects;
use crate::standing::{Event, EventKind, EventRef, Fleet};

/// The impact of removing `events` from the DA's week: the metrics that change with their
/// tiers, else the counts (without the packages delivered the file gives no base).
fn week_impact(cards: &Scorecards, row: &DaWeek, events: &[&Event]) -> Impact {
    let has =
        |e: &&&Event, defect: Defects| matches!(e.what, EventKind::Package { defects, .. } if defects.contains(defect));
    let claims = events.iter().filter(|e| has(e, Defects::DNR)).count() as u64;
    let missed = events.iter().filter(|e| has(e, Defects::NOT_DELIVERED)).count() as u64;
    let scale = row.scale().unwrap_or(Scale::Classic);
    let changes: Vec<Change> = impact(row, &cards.bounds, scale, claims, missed);
    let tier = row.overall.map_or("", |t| t.tier.label());
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let sentence = if changes.is_empty() {
        format!(
            "These events are {} and {} of week {}.",
            plural(claims, "DNR claim", "DNR claims"),
            plural(missed, "undelivered package", "undelivered packages"),
            row.week
        )
    } else {
        format!(
            "Without these events the scorecard of week {} would change: {}.",
            row.week,
            changes.iter().map(Change::words).collect::<Vec<_>>().join("; ")
        )
    };
    Impact {
        tier_now: tier,
        // The overall standing weighs metrics Amazon does not publish: it is not recomputed.
        tier_without: tier,
        changes: changes.iter().map(Change::words).collect(),
        tiers_change: changes.iter().any(|c| c.tier_before != c.tier_after),
        sentence,
    }
}

/// The week's disputable defects of a DA told as incidents: what the letter editor's
/// checklist offers before any is unticked.
pub fn week_checklist(
    fleet: &Fleet,
    cards: &Scorecards,
    da_id: &str,
    week: Week,
) -> Result<Vec<incidents::Incident>, LetterError> {
    let events = cards.week_defects(fleet, da_id, week)?;
    let disputable: Vec<&Event> = events.iter().filter(|e| e.is_disputable()).collect();
    Ok(incidents::incidents(&disputable, fleet.zone, &fleet.thresholds.windows))
}

/// Drafts the dispute of DA `da_id`'s `week`: `None` when the DA has no scorecard that week
/// or no package events at all; a letter without events when none of the week's has a
/// ground. `untick` lists event ids to leave out.
pub fn draft_week(
    fleet: &Fleet,
    cards: &Scorecards,
    da_id: &str,
    week: Week,
    settings: &LetterSettings,
    untick: &[String],
) -> Result<Option<Letter>, LetterError> {
    let (Some(row), Some(driver)) = (cards.row(da_id, week), fleet.driver_index(da_id)) else { return Ok(None) };
    let zone = fleet.zone;
    let as_of = cards.week_as_of(fleet, week);
    let all_events = cards.week_defects(fleet, da_id, week)?;
    let events: Vec<&Event> = all_events.iter().filter(|e| e.is_disputable() && !untick.contains(&e.id)).collect();
    let refs: Vec<EventRef> = events.iter().map(|e| e.event_ref()).collect();
    let told = incidents::incidents(&events, zone, &fleet.thresholds.windows);
    let impact = week_impact(cards, row, &events);
    let da = &cards.das[row.da];
    let name = da.name.clone().or_else(|| fleet.drivers[driver].name.clone()).unwrap_or_else(|| da.id.clone());
    let mut problems = Vec::new();
    let mut attachments: Vec<Attachment> = photo_attachments(&events, &settings.evidence_dir, &mut problems);
    let photos = attachments.len();
    attachments.push(Attachment {
        file_name: format!("evidence-{}-{}.csv", da.id, week),
        content_type: "text/csv",
        bytes: evidence_csv(&events, zone),
    });
    let sender = &settings.sender;
    let voice = sender.voice();
    let week_label = week.label();
    let context = render::Context {
        kind: LetterKind::Dispute,
        voice,
        fleet,
        driver,
        as_of,
        name: &name,
        sender,
        events: &events,
        all_events: &all_events,
        incidents: &told,
        impact: &impact,
        attachments: &attachments,
        photos,
        week: Some(&week_label),
    };
    let body = render::render(&context, settings.templates_dir.as_deref(), &mut problems);
    let grounds = ground_codes(&events);
    let count = events.len();
    let subject =
        format!("Dispute of {count} event{} of week {week} for {name} ({})", if count == 1 { "" } else { "s" }, da.id);
    let (from_name, from) = envelope(settings, &name, fleet.drivers[driver].email.as_deref(), &mut problems);
    Ok(Some(Letter {
        kind: LetterKind::Dispute,
        voice,
        driver_id: da.id.clone(),
        driver_name: name,
        as_of,
        from_name,
        from,
        to: settings.support_address.clone(),
        subject,
        body,
        incidents: told,
        impact,
        events: events.iter().map(|e| e.id.clone()).collect(),
        event_refs: refs,
        grounds,
        attachments,
        problems,
        week: Some(week),
    }))
}
