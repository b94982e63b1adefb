//! Incidents: the lines of a letter's body. Events that share a cause are told once: one
//! line per outage window, one per block for a station delay or impossible deadlines, one
//! for the DNR claims on delivered packages, and one per remaining ground listing each
//! package with what sets it apart. An event with several grounds is filed under the
//! first of [`Grounds::LETTER_ORDER`]; every event is in exactly one incident.
//!
//! Also here: the length and style rules a letter is held to ([`style_problems`]).

use crate::config::Windows;
use crate::explain::defects_in_words;
use crate::import::codes::Reason;
use crate::import::time::{FleetZone, MS_PER_MINUTE};
use crate::standing::grounds::{Defects, Grounds, Outage};
use crate::standing::rules::Miss;
use crate::standing::{Event, EventKind, EventSide};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One event of an incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentEvent {
    pub id: String,
    pub side: EventSide,
    /// The local day and time of the event (a block's start; a package's attempt, else
    /// its deadline).
    pub date: String,
    pub time: String,
    /// What happened, in a few words (without the reason).
    pub what: String,
    /// What else sets it apart within its incident: a reason and contacts, a deadline, the
    /// proof; empty where `what` says it all.
    pub fact: String,
    /// The ground the event is filed under (its incident's, but for the DNR line, which
    /// holds DELIVERED_AT_PIN and PHOTO_PROOF claims).
    pub ground: &'static str,
}

/// Events that share a cause: one line of a letter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// The ground the incident is filed under (its code).
    pub ground: &'static str,
    /// A short heading, for checklists ("Outage 2026-02-25 06:00–12:00").
    pub title: String,
    /// The letter's line, without the "- " the templates put before it.
    pub text: String,
    /// Oldest first.
    pub events: Vec<IncidentEvent>,
}

/// What groups events into one incident, in the order incidents are told.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// Position in [`Grounds::LETTER_ORDER`], then what tells incidents of one ground apart.
    Filed(usize, Scope),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    /// An outage window: start, end, description.
    Outage(i64, i64, String),
    /// The block that carried the packages: start, id.
    Block(i64, String),
    /// The building of an address cluster.
    Building(String),
    /// The whole ground.
    All,
}

/// The events' incidents, in the order of [`Grounds::LETTER_ORDER`] (outages and blocks
/// by time within their ground). Events without a ground are left out.
pub fn incidents(events: &[&Event], zone: FleetZone, w: &Windows) -> Vec<Incident> {
    let included: HashSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let mut groups: BTreeMap<Key, Vec<&Event>> = BTreeMap::new();
    for e in events {
        let Some(lead) = e.grounds.lead() else { continue };
        // The DNR claims with either ground are one line (docs/rules.md §8.2).
        let filed_as = if lead == Grounds::PHOTO_PROOF { Grounds::DELIVERED_AT_PIN } else { lead };
        let position = Grounds::LETTER_ORDER.iter().position(|g| *g == filed_as).unwrap_or(0);
        let scope = match lead {
            Grounds::OUTAGE => match &e.outage {
                Some(o) => Scope::Outage(o.start, o.end, o.description.clone()),
                None => Scope::Outage(0, 0, String::new()),
            },
            Grounds::STATION_DELAY | Grounds::IMPOSSIBLE_DEADLINE => {
                Scope::Block(e.carrier().map_or(0, |c| c.start), e.block_id().unwrap_or_default().to_string())
            }
            Grounds::ADDRESS_CLUSTER => Scope::Building(
                e.package().and_then(|p| p.cluster.as_ref()).map_or_else(String::new, |c| c.label.clone()),
            ),
            _ => Scope::All,
        };
        groups.entry(Key::Filed(position, scope)).or_default().push(e);
    }
    groups
        .into_iter()
        .map(|(Key::Filed(position, _), mut events)| {
            events.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
            let mut lead = Grounds::LETTER_ORDER[position];
            // A line of DNR claims none of which is at the pin is filed as photo proof.
            if lead == Grounds::DELIVERED_AT_PIN && events.iter().all(|e| e.grounds.lead() != Some(lead)) {
                lead = Grounds::PHOTO_PROOF;
            }
            let text = capitalise(&match lead {
                Grounds::OUTAGE => outage_text(&events, zone),
                Grounds::STATION_DELAY => station_delay_text(&events, zone, &included),
                Grounds::IMPOSSIBLE_DEADLINE => deadline_text(&events, zone, &included),
                Grounds::DELIVERED_AT_PIN | Grounds::PHOTO_PROOF => dnr_text(&events, zone),
                Grounds::ADDRESS_CLUSTER => cluster_text(&events),
                _ => reason_text(lead, &events, zone),
            });
            Incident {
                ground: lead.code(),
                title: title(lead, &events, zone, w),
                text,
                events: events
                    .iter()
                    .map(|e| {
                        let own =
                            if lead == Grounds::DELIVERED_AT_PIN { e.grounds.lead().unwrap_or(lead) } else { lead };
                        incident_event(e, own, zone)
                    })
                    .collect(),
            }
        })
        .collect()
}

fn hm(zone: FleetZone, ms: i64) -> String {
    zone.local(ms).format("%H:%M").to_string()
}

fn date(zone: FleetZone, ms: i64) -> String {
    zone.local(ms).format("%Y-%m-%d").to_string()
}

/// A value from an export on one line, safe to put in a sentence.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control()).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A text quoted from an export (a reason, an outage's description), in curly quotes so
/// that quotes inside it stay readable.
fn quote(text: &str) -> String {
    format!("“{}”", one_line(text).replace(['“', '”'], "\""))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The main defect of a package, in a word or two.
fn defect_words(defects: Defects) -> &'static str {
    if defects.contains(Defects::NOT_ATTEMPTED) {
        "not attempted"
    } else if defects.contains(Defects::NOT_DELIVERED) {
        "not delivered"
    } else if defects.contains(Defects::LATE) {
        "late"
    } else {
        "DNR claim"
    }
}

fn defects_of(e: &Event) -> Defects {
    match e.what {
        EventKind::Package { defects, .. } => defects,
        EventKind::Block { .. } => Defects::default(),
    }
}

/// "packages not delivered: T1, T2; late: T3" — the packages grouped by their main defect.
fn packages_by_defect(events: &[&Event]) -> Option<String> {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for word in ["not delivered", "not attempted", "late", "DNR claim"] {
        let ids: Vec<String> = events
            .iter()
            .filter(|e| e.side() == EventSide::Package && defect_words(defects_of(e)) == word)
            .map(|e| one_line(&e.id))
            .collect();
        if !ids.is_empty() {
            groups.push((if word == "DNR claim" { "DNR claims" } else { word }, ids));
        }
    }
    if groups.is_empty() {
        return None;
    }
    let parts: Vec<String> = groups.iter().map(|(word, ids)| format!("{word}: {}", ids.join(", "))).collect();
    // "packages" reads before "not delivered", "late"…; DNR claims name themselves.
    let prefix = if groups[0].0 == "DNR claims" { "" } else { "packages " };
    Some(format!("{prefix}{}", parts.join("; ")))
}

/// A missed block in a few words, with its id ("late check-in at block B1 (07:12)").
fn block_miss(e: &Event, zone: FleetZone) -> Option<String> {
    let EventKind::Block { miss, checked_in_at, cancelled_at } = &e.what else { return None };
    let id = one_line(&e.id);
    Some(match (miss, checked_in_at, cancelled_at) {
        (Miss::LateArrival, Some(t), _) => format!("late check-in at block {id} ({})", hm(zone, *t)),
        (Miss::LateArrival, None, _) => format!("late check-in at block {id}"),
        (Miss::LateCancel, _, Some(t)) => format!("late cancel of block {id} ({})", hm(zone, *t)),
        (Miss::LateCancel, _, None) => format!("late cancel of block {id}"),
        (Miss::NoShow, _, _) => format!("no check-in at block {id}"),
    })
}

/// "2026-02-25 06:00–12:00", or both dates when the window spans days.
fn window(o: &Outage, zone: FleetZone) -> String {
    if date(zone, o.start) == date(zone, o.end) {
        format!("{} {}–{}", date(zone, o.start), hm(zone, o.start), hm(zone, o.end))
    } else {
        format!("{} {} to {} {}", date(zone, o.start), hm(zone, o.start), date(zone, o.end), hm(zone, o.end))
    }
}

fn outage_text(events: &[&Event], zone: FleetZone) -> String {
    let mut parts: Vec<String> = events.iter().filter_map(|e| block_miss(e, zone)).collect();
    parts.extend(packages_by_defect(events));
    let what = parts.join("; ");
    match events.first().and_then(|e| e.outage.as_ref()) {
        Some(o) => {
            let at =
                if o.stations.is_empty() { String::new() } else { format!(" at {}", one_line(&o.stations.join(", "))) };
            let description =
                if o.description.trim().is_empty() { String::new() } else { format!(" ({})", quote(&o.description)) };
            format!("Outage on {}{at}{description}: {what}.", window(o, zone))
        }
        None => format!("Platform outage at the time: {what}."),
    }
}

/// How the line names the carrying block: by its id, unless that id is itself one of the
/// letter's events (told in another line), so that every event id appears once.
fn block_name(e: &Event, zone: FleetZone, included: &HashSet<&str>) -> String {
    match (e.block_id(), e.carrier()) {
        (Some(id), _) if !included.contains(id) => format!("block {}", one_line(id)),
        (_, Some(c)) => format!("the {} block", hm(zone, c.start)),
        _ => "the block".to_string(),
    }
}

fn station_delay_text(events: &[&Event], zone: FleetZone, included: &HashSet<&str>) -> String {
    let first = events[0];
    let packages = packages_by_defect(events).unwrap_or_default();
    match first.carrier() {
        Some(c) => {
            let day = date(zone, c.start);
            let name = block_name(first, zone, included);
            match c.departed_at {
                Some(d) => format!(
                    "{name} on {day} left the station at {}, {} min after its {} start; {packages}.",
                    hm(zone, d),
                    (d - c.start).div_euclid(MS_PER_MINUTE),
                    hm(zone, c.start)
                ),
                None => format!("{name} on {day} left the station late; {packages}."),
            }
        }
        None => format!("The station released the route late; {packages}."),
    }
}

/// Ids grouped by a fact they share: "T1, T2 (due 07:20); T3 (due 07:40)", the groups
/// joined by `separator`.
fn ids_by_fact(pairs: &[(String, String)], separator: &str) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (id, fact) in pairs {
        match groups.iter_mut().find(|(f, _)| *f == fact.as_str()) {
            Some((_, ids)) => ids.push(id),
            None => groups.push((fact, vec![id])),
        }
    }
    groups
        .iter()
        .map(|(fact, ids)| if fact.is_empty() { ids.join(", ") } else { format!("{} ({fact})", ids.join(", ")) })
        .collect::<Vec<_>>()
        .join(separator)
}

fn deadline_text(events: &[&Event], zone: FleetZone, included: &HashSet<&str>) -> String {
    let first = events[0];
    let pairs: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (one_line(&e.id), e.package().map_or(String::new(), |p| format!("due {}", hm(zone, p.facts.deliver_by))))
        })
        .collect();
    let list = ids_by_fact(&pairs, "; ");
    match first.carrier() {
        Some(c) => {
            let name = block_name(first, zone, included);
            let departed = c.departed_at.map_or(String::new(), |d| format!(" and left the station at {}", hm(zone, d)));
            format!(
                "{name} on {} started at {}{departed}; these packages were due before the route could reach them: {list}.",
                date(zone, c.start),
                hm(zone, c.start)
            )
        }
        None => format!("These packages were due before the route could reach them: {list}."),
    }
}

fn dnr_text(events: &[&Event], zone: FleetZone) -> String {
    // A report that gives the delivery day alone (the concessions report's Delivery Date)
    // gives no time: the day is said alone, not as a made-up midnight.
    let delivered_at = |e: &Event| {
        e.package().and_then(|p| p.facts.attempted_at).map_or(String::new(), |t| match hm(zone, t).as_str() {
            "00:00" => date(zone, t),
            clock => format!("{} {clock}", date(zone, t)),
        })
    };
    // Each fact once: every claim here was delivered with a photo; the ones the
    // concessions report also puts within 50 m of the pin say so after their time (the
    // agent can check them in that report).
    let mut items = Vec::new();
    for ground in [Grounds::DELIVERED_AT_PIN, Grounds::PHOTO_PROOF] {
        for e in events.iter().filter(|e| e.grounds.lead() == Some(ground)) {
            let mut facts = vec![delivered_at(e)];
            if ground == Grounds::DELIVERED_AT_PIN {
                facts.push("within 50 m of the pin per your concessions report".to_string());
            }
            facts.retain(|f| !f.is_empty());
            items.push(if facts.is_empty() {
                one_line(&e.id)
            } else {
                format!("{} ({})", one_line(&e.id), facts.join(", "))
            });
        }
    }
    format!("DNR claims on packages delivered with a photo on delivery: {}.", items.join(", "))
}

/// One building's clustered events: the address once, the claims and access problems
/// there and the drivers concerned, then the packages.
fn cluster_text(events: &[&Event]) -> String {
    let packages = packages_by_defect(events).unwrap_or_default();
    match events.first().and_then(|e| e.package()).and_then(|p| p.cluster.as_ref()) {
        Some(c) => format!(
            "{} had {} from {} {}, so the address, not the driver, is the problem; {packages}.",
            one_line(&c.label),
            plural(c.events, "claim or access problem", "claims and access problems"),
            plural(c.drivers, "driver", "drivers"),
            crate::explain::days_words(c.first_day, c.last_day)
        ),
        None => format!("Claims and access problems of several drivers gather at this address; {packages}."),
    }
}

fn reason_of(e: &Event) -> Option<&str> {
    e.package().and_then(|p| p.reason_text.as_deref()).filter(|r| !r.trim().is_empty())
}

/// The per-package fact of a documented access problem: the attempt before the
/// deadline (a closed business), else the customer contacts.
fn access_fact(e: &Event, zone: FleetZone) -> String {
    let Some(p) = e.package() else { return String::new() };
    if p.facts.reason == Some(Reason::BusinessClosed) {
        return p
            .facts
            .attempted_at
            .map_or(String::new(), |t| format!("attempted {}, due {}", hm(zone, t), hm(zone, p.facts.deliver_by)));
    }
    p.facts.contact_attempts.map_or(String::new(), |n| plural(n as usize, "contact", "contacts"))
}

/// A reason text and its packages, each with its fact: (id, fact).
type ReasonGroup<'a> = (Option<&'a str>, Vec<(String, String)>);

fn reason_text(lead: Grounds, events: &[&Event], zone: FleetZone) -> String {
    let opening = match lead {
        Grounds::APP_FAILURE => "The Flex app failed during these attempts",
        Grounds::SAFETY => "It was unsafe to deliver",
        Grounds::ID_CHECK => "The recipient's ID could not be verified, so the ID policy was followed",
        Grounds::STATION_MISSING => {
            "The station never handed these packages to the driver (pickup failed in your exceptions report)"
        }
        Grounds::ORDER_CANCELLED => "These orders were cancelled, so there was nothing to deliver",
        _ => "Access problems documented at the address",
    };
    // One mention per reason text; within it, packages grouped by their fact.
    let mut reasons: Vec<ReasonGroup> = Vec::new();
    for e in events {
        let fact = if lead == Grounds::ACCESS_DOCUMENTED { access_fact(e, zone) } else { String::new() };
        let reason = reason_of(e);
        let pair = (one_line(&e.id), fact);
        match reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, pairs)) => pairs.push(pair),
            None => reasons.push((reason, vec![pair])),
        }
    }
    let parts: Vec<String> = reasons
        .iter()
        .map(|(reason, pairs)| {
            let shared = pairs.iter().all(|(_, f)| *f == pairs[0].1) && !pairs[0].1.is_empty();
            let label = match (reason, shared) {
                (Some(r), true) => format!("{}, {}", quote(r), pairs[0].1),
                (Some(r), false) => quote(r),
                (None, true) => pairs[0].1.clone(),
                // The opening says why a package never picked up counts for nothing.
                (None, false) if lead == Grounds::STATION_MISSING => String::new(),
                (None, false) => "no reason given".to_string(),
            };
            let ids = if shared {
                pairs.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
            } else {
                ids_by_fact(pairs, ", ")
            };
            if label.is_empty() { ids } else { format!("{label}: {ids}") }
        })
        .collect();
    format!("{opening}: {}.", parts.join("; "))
}

/// The incident's heading for checklists.
fn title(lead: Grounds, events: &[&Event], zone: FleetZone, w: &Windows) -> String {
    let first = events[0];
    let count = plural(events.len(), "event", "events");
    match lead {
        Grounds::OUTAGE => match &first.outage {
            Some(o) => format!("Outage {} ({count})", window(o, zone)),
            None => format!("Outage ({count})"),
        },
        Grounds::STATION_DELAY | Grounds::IMPOSSIBLE_DEADLINE => {
            let what = if lead == Grounds::STATION_DELAY {
                format!("left the station more than {} min late", w.station_delay_minutes)
            } else {
                "impossible deadlines".to_string()
            };
            let block = first.block_id().map(one_line).unwrap_or_default();
            let day = first.carrier().map_or(String::new(), |c| date(zone, c.start));
            format!("Block {block} {day}: {what} ({count})")
        }
        Grounds::DELIVERED_AT_PIN | Grounds::PHOTO_PROOF => format!("DNR claims on delivered packages ({count})"),
        Grounds::APP_FAILURE => format!("App failures ({count})"),
        Grounds::SAFETY => format!("Unsafe to deliver ({count})"),
        Grounds::ID_CHECK => format!("ID checks ({count})"),
        Grounds::STATION_MISSING => format!("Never handed to the driver ({count})"),
        Grounds::ORDER_CANCELLED => format!("Orders cancelled ({count})"),
        Grounds::ADDRESS_CLUSTER => match first.package().and_then(|p| p.cluster.as_ref()) {
            Some(c) => format!("Address cluster at {} ({count})", one_line(&c.label)),
            None => format!("Address cluster ({count})"),
        },
        _ => format!("Access problems documented ({count})"),
    }
}

fn incident_event(e: &Event, lead: Grounds, zone: FleetZone) -> IncidentEvent {
    let p = e.package();
    let fact = match lead {
        Grounds::OUTAGE | Grounds::STATION_DELAY => String::new(),
        Grounds::IMPOSSIBLE_DEADLINE => p.map_or(String::new(), |p| format!("due {}", hm(zone, p.facts.deliver_by))),
        Grounds::ACCESS_DOCUMENTED => {
            let reason = reason_of(e).map(one_line).unwrap_or_default();
            [reason, access_fact(e, zone)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
        }
        Grounds::DELIVERED_AT_PIN => {
            "delivered within 50 m of the pin, photo on delivery (concessions report)".to_string()
        }
        Grounds::PHOTO_PROOF => "delivered, photo on delivery".to_string(),
        Grounds::ADDRESS_CLUSTER => p.and_then(|p| p.address.as_deref()).map(one_line).unwrap_or_default(),
        _ => reason_of(e).map(one_line).unwrap_or_default(),
    };
    IncidentEvent {
        id: e.id.clone(),
        side: e.side(),
        date: date(zone, e.time),
        time: hm(zone, e.time),
        what: defects_in_words(e, zone),
        fact,
        ground: lead.code(),
    }
}

/// The words of a line as the letter rules count them: ids, dates, times and numbers
/// (tokens with a digit) and the texts quoted from the export (“…”) are not counted.
pub fn counted_words(line: &str) -> usize {
    let mut unquoted = String::with_capacity(line.len());
    let mut depth = 0usize;
    for c in line.chars() {
        match c {
            '“' => depth += 1,
            '”' => depth = depth.saturating_sub(1),
            _ if depth == 0 => unquoted.push(c),
            _ => {}
        }
    }
    unquoted
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphabetic) && !t.chars().any(|c| c.is_ascii_digit()))
        .count()
}

/// Most counted words in one incident line, and outside the incident lines.
pub const MAX_INCIDENT_WORDS: usize = 40;
pub const MAX_OTHER_WORDS: usize = 120;

/// Whether a body line is an incident line.
pub fn is_incident_line(line: &str) -> bool {
    line.trim_start().starts_with("- ")
}

/// Words outside the incident lines (the part limited to [`MAX_OTHER_WORDS`]).
pub fn words_outside_incidents(body: &str) -> usize {
    body.lines().filter(|l| !is_incident_line(l)).map(counted_words).sum()
}

/// What breaks the letter rules in a body: an incident line over 40 counted words, over
/// 120 outside them, a line that starts in lower case, a sentence said twice, and, for
/// `event_ids`, an id that does not appear exactly once (as a whole word).
pub fn style_problems(body: &str, event_ids: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut sentences: HashSet<String> = HashSet::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if is_incident_line(line) && counted_words(line) > MAX_INCIDENT_WORDS {
            problems.push(format!("{} words in the line “{}…”", counted_words(line), excerpt(line)));
        }
        let text = line.trim_start_matches("- ");
        if text.chars().next().is_some_and(char::is_lowercase) {
            problems.push(format!("the line “{}…” starts in lower case", excerpt(line)));
        }
        for sentence in text.split_inclusive(['.', '!', '?']).map(str::trim).filter(|s| counted_words(s) >= 3) {
            if !sentences.insert(sentence.to_string()) {
                problems.push(format!("the sentence “{}” is said twice", excerpt(sentence)));
            }
        }
    }
    let outside = words_outside_incidents(body);
    if outside > MAX_OTHER_WORDS {
        problems.push(format!("{outside} words outside the incident lines (at most {MAX_OTHER_WORDS})"));
    }
    let tokens: Vec<&str> = body
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '“' | '”'))
        .map(|t| t.trim_end_matches('.'))
        .collect();
    for id in event_ids {
        let times = tokens.iter().filter(|t| **t == id.as_str()).count();
        if times != 1 {
            problems.push(format!("event {id} appears {times} times"));
        }
    }
    problems
}

fn excerpt(text: &str) -> String {
    text.chars().take(48).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_leave_out_ids_dates_times_and_quotes() {
        assert_eq!(
            counted_words("- Outage on 2026-02-25 06:00–12:00 (“Flex app sign-in outage”): packages late: T1, T2."),
            4
        );
        assert_eq!(counted_words("Block B000000512 left the station at 07:50, 50 min after its 07:00 start"), 9);
        assert_eq!(counted_words("“a “nested” quote” stays out"), 2);
    }

    #[test]
    fn style_rules_are_checked() {
        let body = "Hello,\n\n- Outage on 2026-02-25: late: T1, T10.\n- lower case T2.\nThank you for this.\nThank you for this.\n";
        let problems = style_problems(body, &["T1".to_string(), "T2".to_string(), "T3".to_string()]);
        assert!(problems.iter().any(|p| p.contains("starts in lower case")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("said twice")), "{problems:?}");
        assert!(problems.iter().any(|p| p == "event T3 appears 0 times"), "{problems:?}");
        assert!(!problems.iter().any(|p| p.contains("event T1")), "T10 is not T1: {problems:?}");
        let long = format!("- {}\n", "word ".repeat(41));
        assert!(style_problems(&long, &[]).iter().any(|p| p.contains("41 words")));
    }
}
