//! Events and dispute grounds in plain words, for the driver view and the letters.

use crate::import::codes::Outcome;
use crate::import::time::{FleetZone, MS_PER_MINUTE};
use crate::standing::grounds::{Defects, Grounds};
use crate::standing::rules::{Miss, Tier};
use crate::standing::{Event, EventKind, WhatIf};

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn hm(zone: FleetZone, ms: i64) -> String {
    zone.local(ms).format("%H:%M").to_string()
}

fn minutes(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_MINUTE)
}

/// What happened, in a few words ("late arrival: checked in 07:12, 12 min after the start").
pub fn what_happened(e: &Event, zone: FleetZone) -> String {
    match &e.what {
        EventKind::Block { miss, checked_in_at, cancelled_at } => match miss {
            Miss::LateArrival => match checked_in_at {
                Some(t) => {
                    format!("late arrival: checked in {}, {} min after the start", hm(zone, *t), minutes(t - e.time))
                }
                None => "late arrival".to_string(),
            },
            Miss::LateCancel => match cancelled_at {
                Some(t) if *t > e.time => format!("cancelled at {}, after the start", hm(zone, *t)),
                Some(t) => format!("cancelled at {}, {} min before the start", hm(zone, *t), minutes(e.time - t)),
                None => "late cancel".to_string(),
            },
            Miss::NoShow => "no-show: neither checked in nor cancelled".to_string(),
        },
        EventKind::Package { defects } => {
            let mut parts: Vec<String> = Vec::new();
            let p = e.package.as_ref();
            for defect in defects.iter() {
                parts.push(match defect {
                    Defects::NOT_DELIVERED => "attempted, not delivered".to_string(),
                    Defects::NOT_ATTEMPTED => "not attempted".to_string(),
                    Defects::LATE => match p.and_then(|p| p.facts.attempted_at) {
                        Some(t) => format!(
                            "late: {} after the {} deadline",
                            hm(zone, t),
                            p.map_or(String::new(), |p| hm(zone, p.facts.deliver_by))
                        ),
                        None => "late".to_string(),
                    },
                    _ => "customer DNR claim".to_string(),
                });
            }
            if let Some(reason) = p.and_then(|p| p.reason_text.as_deref()) {
                parts.push(format!("reason: {reason}"));
            }
            parts.join("; ")
        }
    }
}

/// One ground in plain words, with the facts that support it.
pub fn ground_words(ground: Grounds, e: &Event, zone: FleetZone) -> String {
    let p = e.package.as_ref();
    match ground {
        Grounds::OUTAGE => match &e.outage {
            Some(o) => format!(
                "{} {}–{}{}",
                if o.description.is_empty() { "platform outage" } else { o.description.as_str() },
                hm(zone, o.start),
                hm(zone, o.end),
                if zone.local(o.start).date() == zone.local(o.end).date() { "" } else { " (several days)" }
            ),
            None => "platform outage at the time".to_string(),
        },
        Grounds::STATION_DELAY => match e.carrier.and_then(|c| Some(c.departed_at? - c.start)) {
            Some(delay) => format!("left the station {} min after the block start", minutes(delay)),
            None => "the station released the route late".to_string(),
        },
        Grounds::IMPOSSIBLE_DEADLINE => match (p, e.carrier) {
            (Some(p), Some(c)) if c.departed_at.is_some_and(|d| p.facts.deliver_by < d) => format!(
                "deadline {} was before the block even left the station ({})",
                hm(zone, p.facts.deliver_by),
                c.departed_at.map_or(String::new(), |d| hm(zone, d))
            ),
            (Some(p), Some(c)) => format!(
                "deadline {} was only {} min after the block start",
                hm(zone, p.facts.deliver_by),
                minutes(p.facts.deliver_by - c.start)
            ),
            _ => "the deadline could not be met".to_string(),
        },
        Grounds::ACCESS_DOCUMENTED => match p {
            Some(p) if p.facts.contact_attempts.is_some_and(|c| c >= 1) => format!(
                "contacted the customer {}, {}",
                plural(p.facts.contact_attempts.unwrap_or(0), "time", "times"),
                p.reason_text.as_deref().unwrap_or("no access").to_lowercase()
            ),
            Some(p) => format!(
                "business closed at the attempt ({}, before the {} deadline)",
                p.facts.attempted_at.map_or(String::new(), |t| hm(zone, t)),
                hm(zone, p.facts.deliver_by)
            ),
            None => "access problem documented".to_string(),
        },
        Grounds::SAFETY => {
            format!("unsafe to deliver ({})", p.and_then(|p| p.reason_text.as_deref()).unwrap_or("safety"))
        }
        Grounds::APP_FAILURE => {
            format!("the app failed ({})", p.and_then(|p| p.reason_text.as_deref()).unwrap_or("app issue"))
        }
        Grounds::ID_CHECK => "followed the ID-check policy: the recipient could not be verified".to_string(),
        Grounds::PHOTO_PROOF => match p {
            Some(p) if p.facts.outcome == Outcome::Delivered => {
                format!("delivered with photo proof ({})", plural(p.photos.len() as u32, "photo", "photos"))
            }
            _ => "photo proof of delivery".to_string(),
        },
        _ => String::new(),
    }
}

/// All grounds of an event in plain words, joined.
pub fn grounds_words(e: &Event, zone: FleetZone) -> String {
    e.grounds.iter().map(|g| ground_words(g, e, zone)).collect::<Vec<_>>().join("; ")
}

/// The what-if numbers as sentences ("2 more late blocks → Fair").
pub fn what_if_sentences(w: &WhatIf, reliability: Option<Tier>, quality: Option<Tier>) -> Vec<String> {
    let mut out = Vec::new();
    let line = |k: u32, one: &str, many: &str, tier: Tier| format!("{} → {}", plural(k, one, many), tier.label());
    match (w.reliability_drop, reliability) {
        (Some((k, t)), _) => out.push(line(k, "more late block", "more late blocks", t)),
        (None, Some(Tier::AtRisk)) => out.push("Reliability is At Risk: no lower tier".to_string()),
        _ => {}
    }
    match (w.reliability_rise, reliability) {
        (Some((k, t)), _) => out.push(line(k, "on-time block", "on-time blocks", t)),
        (None, Some(Tier::Fantastic)) => out.push("Reliability is already Fantastic".to_string()),
        _ => {}
    }
    match (w.quality_drop, quality) {
        (Some((k, t)), _) => out.push(line(k, "more missed package", "more missed packages", t)),
        (None, Some(Tier::AtRisk)) => out.push("Delivery quality is At Risk: no lower tier".to_string()),
        _ => {}
    }
    match (w.quality_rise, quality) {
        (Some((k, t)), _) => out.push(line(k, "clean package", "clean packages", t)),
        (None, Some(Tier::Fantastic)) => out.push("Delivery quality is already Fantastic".to_string()),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_if_in_words() {
        let w = WhatIf {
            reliability_drop: Some((2, Tier::Fair)),
            reliability_rise: Some((6, Tier::Great)),
            quality_drop: Some((1, Tier::Great)),
            quality_rise: None,
        };
        assert_eq!(
            what_if_sentences(&w, Some(Tier::Fair), Some(Tier::Fantastic)),
            [
                "2 more late blocks → Fair",
                "6 on-time blocks → Great",
                "1 more missed package → Great",
                "Delivery quality is already Fantastic"
            ]
        );
    }
}
