//! Events and dispute grounds in plain words, for the driver view and the letters.

use crate::config::{DnrThresholds, RateThresholds, Thresholds};
use crate::import::codes::Outcome;
use crate::import::time::{FleetZone, MS_PER_MINUTE};
use crate::report::day_text;
use crate::standing::forecast::{Leaving, TierChange};
use crate::standing::grounds::{Defects, Grounds};
use crate::standing::rules::{Miss, Tier, dnr_tier, rate_tier, tier_label};
use crate::standing::{Event, EventKind, Standing, WhatIf};

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn hm(zone: FleetZone, ms: i64) -> String {
    zone.local(ms).format("%H:%M").to_string()
}

fn minutes(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_MINUTE)
}

/// What happened, in a few words ("late arrival: checked in 07:12, 12 min after the start"),
/// with the package's reason.
pub fn what_happened(e: &Event, zone: FleetZone) -> String {
    let what = defects_in_words(e, zone);
    match e.package().and_then(|p| p.reason_text.as_deref()) {
        Some(reason) => format!("{what}; reason: {reason}"),
        None => what,
    }
}

/// What happened without the reason (for lists that give the reason apart).
pub fn defects_in_words(e: &Event, zone: FleetZone) -> String {
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
        EventKind::Package { defects, .. } => {
            let mut parts: Vec<String> = Vec::new();
            let p = e.package();
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
                    // What Amazon's concessions report says of the claim, when it came in one.
                    _ => match p.and_then(|p| p.facts.concession) {
                        Some(c) if !c.described().is_empty() => {
                            format!("customer DNR claim (concessions report: {})", c.described().join(", "))
                        }
                        Some(_) => "customer DNR claim (concessions report)".to_string(),
                        None => "customer DNR claim".to_string(),
                    },
                });
            }
            parts.join("; ")
        }
    }
}

/// One ground in plain words, with the facts that support it.
pub fn ground_words(ground: Grounds, e: &Event, zone: FleetZone) -> String {
    let p = e.package();
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
        Grounds::STATION_DELAY => match e.carrier().and_then(|c| Some(c.departed_at? - c.start)) {
            Some(delay) => format!("left the station {} min after the block start", minutes(delay)),
            None => "the station released the route late".to_string(),
        },
        Grounds::IMPOSSIBLE_DEADLINE => match (p, e.carrier()) {
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
        Grounds::DELIVERED_AT_PIN => {
            "concessions report: delivered within 50 m of the pin, photo on delivery".to_string()
        }
        Grounds::STATION_MISSING => "never handed to the driver: the exceptions report says pickup failed".to_string(),
        Grounds::ORDER_CANCELLED => match p.and_then(|p| p.reason_text.as_deref()) {
            Some(reason) => format!("the order was cancelled ({reason}): nothing to deliver"),
            None => "the order was cancelled: nothing to deliver".to_string(),
        },
        Grounds::ADDRESS_CLUSTER => match p.and_then(|p| p.cluster.as_ref()) {
            Some(c) => format!(
                "{} of {} at {} {} ({}): the address, not the driver",
                plural(c.events as u32, "claim or access problem", "claims and access problems"),
                plural(c.drivers as u32, "driver", "drivers"),
                c.label,
                days_words(c.first_day, c.last_day),
                plural(c.claims as u32, "DNR claim", "DNR claims"),
            ),
            None => "claims and access problems of several drivers at this address".to_string(),
        },
        Grounds::PHOTO_PROOF => match p {
            Some(p) if p.facts.outcome == Outcome::Delivered => {
                format!("delivered with photo proof ({})", plural(p.photos.len() as u32, "photo", "photos"))
            }
            _ => "photo proof of delivery".to_string(),
        },
        _ => String::new(),
    }
}

/// "on 2026-03-02", or "between 2026-03-02 and 2026-03-20".
pub fn days_words(first: crate::import::time::Day, last: crate::import::time::Day) -> String {
    if first == last {
        format!("on {}", day_text(first))
    } else {
        format!("between {} and {}", day_text(first), day_text(last))
    }
}

/// All grounds of an event in plain words, joined.
pub fn grounds_words(e: &Event, zone: FleetZone) -> String {
    e.grounds.iter().map(|g| ground_words(g, e, zone)).collect::<Vec<_>>().join("; ")
}

/// An event's grounds as the driver view lists them: empty without any, and noting an
/// event already in a case.
pub fn event_grounds_text(e: &Event, zone: FleetZone) -> String {
    match (e.grounds.is_empty(), e.in_case) {
        (true, _) => String::new(),
        (false, false) => grounds_words(e, zone),
        (false, true) => format!("{} (already in a case)", grounds_words(e, zone)),
    }
}

/// A what-if sentence: "Reliability falls to Great after 2 more late blocks".
fn change_sentence(component: &str, tier: Tier, falls: bool, k: u32, one: &str, many: &str) -> String {
    let verb = if falls { "falls" } else { "rises" };
    format!("{component} {verb} to {} after {}", tier.label(), plural(k, one, many))
}

/// The text with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A projected tier change in words: "Overall up from Fair to Great on 2026-03-19".
/// The fleet table's "since last week": the overall tier's change, then the metric that
/// moved most (DNR claims first, else the rate that moved most, by at least 0.1 point);
/// "no change" when neither moved.
pub fn since_last_week(
    now: &Standing,
    overall_then: Option<Tier>,
    (blocks_then, packages_then): (crate::standing::rules::BlockCounts, crate::standing::rules::PackageCounts),
) -> String {
    let mut parts = Vec::new();
    if overall_then != now.overall && (overall_then.is_some() || now.overall.is_some()) {
        parts.push(format!("{} → {}", tier_label(overall_then), tier_label(now.overall)));
    }
    let (dnr_then, dnr_now) = (packages_then.dnr, now.quality.dnr);
    if dnr_then != dnr_now && (packages_then.packages > 0 || now.quality.packages > 0) {
        parts.push(format!("DNR {dnr_then} → {dnr_now}"));
    } else {
        let rates_then = packages_then.rates();
        let rates_now = now.quality.rates();
        let moved: [(&str, Option<f64>, Option<f64>); 4] = [
            ("reliability", blocks_then.rate(), now.reliability.rate()),
            ("attempted", rates_then.map(|r| r.attempted), rates_now.map(|r| r.attempted)),
            ("delivered", rates_then.map(|r| r.success), rates_now.map(|r| r.success)),
            ("on time", rates_then.map(|r| r.on_time), rates_now.map(|r| r.on_time)),
        ];
        let biggest = moved
            .iter()
            .filter_map(|&(name, then, now)| Some((name, (now? - then?) * 100.0)))
            .filter(|(_, points)| points.abs() >= 0.099)
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
        if let Some((name, points)) = biggest {
            parts.push(format!("{name} {}{:.1} pt", if points > 0.0 { "+" } else { "−" }, points.abs()));
        }
    }
    if parts.is_empty() { "no change".to_string() } else { parts.join(" · ") }
}

pub fn tier_change_words(c: &TierChange) -> String {
    format!(
        "{} {} from {} to {} on {}",
        capitalised(c.component.name()),
        if c.rises() { "up" } else { "down" },
        tier_label(c.from),
        tier_label(c.to),
        day_text(c.day)
    )
}

/// A counted defect leaving its window: "Late block B17 leaves on 2026-03-19".
pub fn leaving_words(l: &Leaving) -> String {
    format!("{} {} leaves on {}", capitalised(l.what), l.id, day_text(l.day))
}

/// One miss from dropping (NEAR_DROP): the components that would fall, lowest tier first.
pub fn near_drop_sentences(w: &WhatIf) -> Vec<String> {
    drops(w).into_iter().filter(|(k, _, _)| *k == 1).map(|(_, _, s)| s).collect()
}

/// Each way the standing can fall, as (k, the tier reached, the sentence), the nearest
/// first (then the lowest tier reached). Two kinds of miss that drop one component to one
/// tier after as many are one sentence ("… after 1 more missed package or DNR claim").
fn drops(w: &WhatIf) -> Vec<(u32, Tier, String)> {
    let kinds = [
        (w.reliability_drop, "Reliability", "late block", "late blocks"),
        (w.quality_drop, "Delivery quality", "missed package", "missed packages"),
        (w.dnr_drop, "Delivery quality", "DNR claim", "DNR claims"),
    ];
    let mut drops: Vec<(u32, Tier, &str, Vec<&str>)> = Vec::new();
    for (drop, component, one, many) in kinds {
        let Some((k, tier)) = drop else { continue };
        let what = if k == 1 { one } else { many };
        match drops.iter_mut().find(|d| (d.0, d.1, d.2) == (k, tier, component)) {
            Some(same) => same.3.push(what),
            None => drops.push((k, tier, component, vec![what])),
        }
    }
    drops.sort_by_key(|(k, tier, _, _)| (*k, *tier));
    drops
        .into_iter()
        .map(|(k, tier, component, what)| {
            (k, tier, format!("{component} falls to {} after {k} more {}", tier.label(), what.join(" or ")))
        })
        .collect()
}

/// The what-if numbers as sentences that name the component, the kind of miss and the
/// direction: the drops first, nearest first, then the rises.
pub fn what_if_sentences(w: &WhatIf, reliability: Option<Tier>, quality: Option<Tier>) -> Vec<String> {
    let mut out: Vec<String> = drops(w).into_iter().map(|(_, _, s)| s).collect();
    if w.reliability_drop.is_none() && reliability == Some(Tier::AtRisk) {
        out.push("Reliability is At Risk: no lower tier".to_string());
    }
    if w.quality_drop.is_none() && w.dnr_drop.is_none() && quality == Some(Tier::AtRisk) {
        out.push("Delivery quality is At Risk: no lower tier".to_string());
    }
    match (w.reliability_rise, reliability) {
        (Some((k, t)), _) => out.push(change_sentence("Reliability", t, false, k, "on-time block", "on-time blocks")),
        (None, Some(Tier::Fantastic)) => out.push("Reliability is already Fantastic".to_string()),
        _ => {}
    }
    match (w.quality_rise, quality) {
        (Some((k, t)), _) => {
            out.push(change_sentence("Delivery quality", t, false, k, "clean package", "clean packages"))
        }
        (None, Some(Tier::Fantastic)) => out.push("Delivery quality is already Fantastic".to_string()),
        _ => {}
    }
    out
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// The tier just above `tier`, if any.
fn next_up(tier: Tier) -> Option<Tier> {
    match tier {
        Tier::AtRisk => Some(Tier::Fair),
        Tier::Fair => Some(Tier::Great),
        Tier::Great => Some(Tier::Fantastic),
        Tier::Fantastic => None,
    }
}

fn rate_needs(t: &RateThresholds, tier: Tier) -> f64 {
    match tier {
        Tier::Fantastic => t.fantastic,
        Tier::Great => t.great,
        _ => t.fair,
    }
}

fn dnr_allows(t: &DnrThresholds, tier: Tier) -> u32 {
    match tier {
        Tier::Fantastic => t.fantastic,
        Tier::Great => t.great,
        _ => t.fair,
    }
}

/// Why each component has the tier it has, when it is below Fantastic: the metric that
/// sets it and what the next tier up needs ("Delivery quality At Risk: 3 DNR claims,
/// Fair allows at most 2").
pub fn tier_reasons(s: &Standing, t: &Thresholds) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(tier), Some(rate)) = (s.reliability_tier, s.reliability.rate())
        && let Some(up) = next_up(tier)
    {
        out.push(format!(
            "Reliability {}: {} of the last {} blocks on time, {} needs {}",
            tier.label(),
            percent(rate),
            s.reliability.blocks,
            up.label(),
            percent(rate_needs(&t.reliability, up))
        ));
    }
    if let (Some(tier), Some(rates)) = (s.quality_tier, s.quality.rates())
        && let Some(up) = next_up(tier)
    {
        let mut why = Vec::new();
        for (name, rate, thresholds) in [
            ("attempted", rates.attempted, &t.attempted),
            ("delivered", rates.success, &t.success),
            ("on time", rates.on_time, &t.on_time),
        ] {
            if rate_tier(rate, thresholds) == tier {
                why.push(format!(
                    "{} {name}, {} needs {}",
                    percent(rate),
                    up.label(),
                    percent(rate_needs(thresholds, up))
                ));
            }
        }
        if dnr_tier(s.quality.dnr, &t.dnr) == tier {
            why.push(format!(
                "{}, {} allows at most {}",
                plural(s.quality.dnr, "DNR claim", "DNR claims"),
                up.label(),
                dnr_allows(&t.dnr, up)
            ));
        }
        out.push(format!("Delivery quality {}: {}", tier.label(), why.join("; ")));
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
            dnr_drop: Some((3, Tier::Great)),
        };
        assert_eq!(
            what_if_sentences(&w, Some(Tier::Great), Some(Tier::Fantastic)),
            [
                "Delivery quality falls to Great after 1 more missed package",
                "Reliability falls to Fair after 2 more late blocks",
                "Delivery quality falls to Great after 3 more DNR claims",
                "Reliability rises to Great after 6 on-time blocks",
                "Delivery quality is already Fantastic"
            ]
        );
        let same = WhatIf { quality_drop: Some((1, Tier::Great)), dnr_drop: Some((1, Tier::Great)), ..w };
        assert_eq!(
            near_drop_sentences(&same),
            ["Delivery quality falls to Great after 1 more missed package or DNR claim"]
        );
        let near = WhatIf {
            reliability_drop: Some((1, Tier::Great)),
            quality_drop: Some((11, Tier::AtRisk)),
            dnr_drop: Some((1, Tier::AtRisk)),
            ..w
        };
        assert_eq!(
            near_drop_sentences(&near),
            [
                "Delivery quality falls to At Risk after 1 more DNR claim",
                "Reliability falls to Great after 1 more late block"
            ]
        );
    }

    #[test]
    fn the_rule_that_sets_each_tier_is_named() {
        let t = Thresholds::default();
        let mut s = Standing::empty(0);
        s.quality = crate::standing::rules::PackageCounts {
            packages: 500,
            attempted: 500,
            delivered: 493,
            on_time: 496,
            dnr: 3,
        };
        s.quality_tier = s.quality.tier(&t);
        s.reliability = crate::standing::rules::BlockCounts { blocks: 20, on_time: 17 };
        s.reliability_tier = s.reliability.tier(&t);
        assert_eq!(
            tier_reasons(&s, &t),
            [
                "Reliability Fair: 85.0% of the last 20 blocks on time, Great needs 90.0%",
                "Delivery quality At Risk: 3 DNR claims, Fair allows at most 2"
            ]
        );
    }
}
