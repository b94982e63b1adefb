//! Fleet building and standing, end to end from small CSV texts.
use super::*;
use crate::import::text::decode_csv;
use crate::import::time::day_from_date;
use crate::import::{ImportOptions, load_texts};

fn fleet_with(blocks: &str, deliveries: &str, roster: Option<&str>, outages: Option<&str>, t: Thresholds) -> Fleet {
    let text = |name: &str, body: &str| decode_csv(name.to_string(), body.as_bytes().to_vec()).unwrap();
    let (data, report) = load_texts(
        text("blocks.csv", blocks),
        text("deliveries.csv", deliveries),
        roster.map(|r| text("roster.csv", r)),
        outages.map(|o| text("outages.csv", o)),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(report.rejections.is_empty(), "{:?}", report.rejections);
    Fleet::build(&data, t).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

#[test]
fn an_export_listed_by_day_gives_what_one_listed_by_driver_gives() {
    // Over 65,536 packages, so that the reordered table is read in several slices.
    let blocks = "driver_id,block_id,block_start,checked_in_at\nD1,B1,2026-01-05 07:00,2026-01-05 06:50\n";
    let mut by_driver = Vec::new();
    for driver in 0..3 {
        for i in 0..24_000 {
            let outcome = match (i * 7 + driver) % 50 {
                0 => "attempted",
                1 => "not_attempted",
                _ => "delivered",
            };
            let day = i / 300;
            let at = format!("2026-{:02}-{:02} {:02}:{:02}:00", day / 28 + 1, day % 28 + 1, 8 + i % 300 / 60, i % 60);
            let dnr = if i % 997 == 3 { "Y" } else { "" };
            by_driver.push(format!("T{driver}-{i:05},D{driver},B1,{at},{at},{outcome},,{dnr}"));
        }
    }
    let header = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,dnr\n";
    let mut by_day = by_driver.clone();
    by_day.sort_by(|a, b| a.split(',').nth(3).cmp(&b.split(',').nth(3)));
    let fleet = |rows: &[String]| {
        fleet_with(blocks, &format!("{header}{}\n", rows.join("\n")), None, None, Thresholds::default())
    };
    let (driver_ordered, day_ordered) = (fleet(&by_driver), fleet(&by_day));
    assert!(day_ordered.packages.frame.order.is_some() && driver_ordered.packages.frame.order.is_none());
    let last = driver_ordered.default_as_of().unwrap();
    for d in 0..driver_ordered.drivers.len() {
        assert_eq!(day_ordered.history(d, None, last), driver_ordered.history(d, None, last));
        let ids = |f: &Fleet| f.events(d, last).unwrap().into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(&day_ordered), ids(&driver_ordered));
    }
}

const NO_PACKAGES: &str = "tracking_id,driver_id,deliver_by,outcome\nT0,DX,2026-03-01,delivered\n";

#[test]
fn events_count_two_days_later() {
    let blocks = "driver_id,block_id,block_start,checked_in_at\n\
                  D1,B1,2026-03-02 07:00,2026-03-02 06:50\n\
                  D1,B2,2026-03-05 07:00,\n";
    let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
    let d = f.driver_index("D1").unwrap();
    assert_eq!(f.first_standing_day(d), Some(day(2026, 3, 4)));
    assert_eq!(f.standing(d, day(2026, 3, 3)).overall, None);
    let s = f.standing(d, day(2026, 3, 6));
    assert_eq!((s.reliability.blocks, s.reliability.on_time), (1, 1));
    let s = f.standing(d, day(2026, 3, 7));
    assert_eq!((s.reliability.blocks, s.reliability.on_time), (2, 1));
    assert_eq!(f.default_as_of(), Some(day(2026, 3, 7)));
    let history = f.history(d, None, day(2026, 3, 7));
    assert_eq!(history.first().map(|s| s.as_of), Some(day(2026, 3, 4)));
    assert_eq!(history.len(), 4);
    assert_eq!(f.history(d, Some(day(2026, 3, 6)), day(2026, 3, 7)).len(), 2);
}

#[test]
fn window_keeps_the_newest_by_start_then_block_id() {
    let blocks = "driver_id,block_id,block_start,checked_in_at\n\
                  D1,B2,2026-03-02 07:00,2026-03-02 07:00\n\
                  D1,B1,2026-03-02 07:00,\n\
                  D1,B0,2026-03-01 07:00,\n";
    let mut t = Thresholds::default();
    t.windows.blocks = 1;
    let f = fleet_with(blocks, NO_PACKAGES, None, None, t);
    let s = f.standing(f.driver_index("D1").unwrap(), day(2026, 3, 10));
    // B2 sorts after B1 at the same start: the window holds B2, which was on time.
    assert_eq!((s.reliability.blocks, s.reliability.on_time), (1, 1));
}

#[test]
fn on_time_cancels_do_not_count_and_late_ones_miss() {
    let blocks = "driver_id,block_id,block_start,checked_in_at,cancelled_at\n\
                  D1,B1,2026-03-02 07:00,,2026-03-02 06:15\n\
                  D1,B2,2026-03-03 07:00,,2026-03-03 06:15:01\n\
                  D1,B3,2026-03-04 07:00,2026-03-04 07:05,\n";
    let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
    let d = f.driver_index("D1").unwrap();
    let s = f.standing(d, day(2026, 3, 10));
    assert_eq!((s.reliability.blocks, s.reliability.on_time), (2, 1));
    let events = f.events(d, day(2026, 3, 10)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, "B2");
    assert!(matches!(events[0].what, EventKind::Block { miss: Miss::LateCancel, .. }));
}

#[test]
fn new_dnr_covers_the_week_up_to_the_day() {
    let deliveries = "tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr,dnr_reported_at\n\
                      T1,D1,2026-03-02 12:00,2026-03-02 10:00,delivered,Y,2026-03-10\n\
                      T2,D2,2026-03-02 12:00,2026-03-02 10:00,delivered,yes,\n";
    let blocks = "driver_id,block_id,block_start\nDX,B1,2026-03-01 07:00\n";
    let f = fleet_with(blocks, deliveries, None, None, Thresholds::default());
    let new_dnr = |id: &str, d: Day| f.standing(f.driver_index(id).unwrap(), d).alerts.has(Alert::NewDnr);
    assert!(!new_dnr("D1", day(2026, 3, 9)));
    assert!(new_dnr("D1", day(2026, 3, 10)));
    assert!(new_dnr("D1", day(2026, 3, 16)));
    assert!(!new_dnr("D1", day(2026, 3, 17)));
    // Without a report date, the package's day.
    assert!(new_dnr("D2", day(2026, 3, 2)));
    assert!(new_dnr("D2", day(2026, 3, 8)));
    assert!(!new_dnr("D2", day(2026, 3, 9)));
}

#[test]
fn appeal_due_for_ten_days_after_deactivation() {
    let blocks =
        "driver_id,block_id,block_start,driver_name\nD1,B1,2026-03-01 07:00,Old Name\nD1,B2,2026-03-02 07:00,\n";
    let roster = "driver_id,driver_name,status,deactivated_on\nD1,Ana Ruiz,deactivated,2026-03-05\nD2,,active,\n";
    let f = fleet_with(blocks, NO_PACKAGES, Some(roster), None, Thresholds::default());
    let d = f.driver_index("D1").unwrap();
    let due = |x: Day| f.standing(d, x).alerts.has(Alert::AppealDue);
    assert!(!due(day(2026, 3, 4)));
    assert!(due(day(2026, 3, 5)));
    assert!(due(day(2026, 3, 15)));
    assert!(!due(day(2026, 3, 16)));
    assert_eq!(f.drivers[d].name.as_deref(), Some("Ana Ruiz"));
    // A roster driver without events still has a row, with no standing.
    let d2 = f.driver_index("D2").unwrap();
    assert_eq!(f.standing(d2, day(2026, 3, 10)).overall, None);
}

#[test]
fn last_non_empty_block_name_when_roster_has_none() {
    let blocks = "driver_id,block_id,block_start,driver_name\nD1,B1,2026-03-01 07:00,First\nD1,B2,2026-03-02 07:00,Second\nD1,B3,2026-03-03 07:00,\n";
    let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
    assert_eq!(f.drivers[f.driver_index("D1").unwrap()].name.as_deref(), Some("Second"));
}

#[test]
fn disputable_events_with_grounds_and_details() {
    let blocks = "driver_id,block_id,block_start,checked_in_at,departed_at\n\
                  D1,B1,2026-03-02 07:00,2026-03-02 07:20,2026-03-02 08:10\n\
                  D1,B2,2026-03-03 07:00,2026-03-03 06:55,2026-03-03 07:20\n";
    let deliveries = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,contact_attempts,dnr,photo\n\
                      T1,D1,B1,2026-03-02 11:00,2026-03-02 11:30,delivered,,,,\n\
                      T2,D1,B2,2026-03-03 11:00,2026-03-03 10:00,attempted,Gate locked,2,,\n\
                      T3,D1,B2,2026-03-03 11:00,2026-03-03 10:10,delivered,,,Y,photos/t3.jpg\n\
                      T4,D1,B2,2026-03-03 11:00,2026-03-03 10:20,attempted,Damaged,,,\n\
                      T5,D1,B2,2026-03-03 11:00,2026-03-03 10:30,delivered,,,,\n";
    let outages = "start,end,description\n2026-03-02 06:00,2026-03-02 09:00,Flex app sign-in outage\n";
    let f = fleet_with(blocks, deliveries, None, Some(outages), Thresholds::default());
    let d = f.driver_index("D1").unwrap();
    let s = f.standing(d, day(2026, 3, 5));
    assert!(s.alerts.has(Alert::Disputable));
    assert!(s.alerts.has(Alert::Unreturned));
    let events = f.events(d, day(2026, 3, 5)).unwrap();
    let find = |id: &str| events.iter().find(|e| e.id == id).unwrap();
    let b1 = find("B1");
    assert_eq!(b1.grounds, Grounds::OUTAGE);
    assert_eq!(b1.outage.as_ref().map(|o| o.description.as_str()), Some("Flex app sign-in outage"));
    assert_eq!(find("T1").grounds, Grounds::STATION_DELAY);
    assert_eq!(find("T1").carrier().map(|c| c.departed_at.is_some()), Some(true));
    assert_eq!(find("T2").grounds, Grounds::ACCESS_DOCUMENTED);
    assert_eq!(find("T3").grounds, Grounds::PHOTO_PROOF);
    assert_eq!(find("T3").package().unwrap().photos, ["photos/t3.jpg"]);
    assert!(!find("T4").is_disputable());
    assert!(events.iter().all(|e| e.id != "T5"));
    assert_eq!(events.len(), 5);
}

#[test]
fn what_if_names_the_tier_reached() {
    let mut blocks = String::from("driver_id,block_id,block_start,checked_in_at\n");
    for i in 0..20 {
        let late = if i == 10 { "07:30" } else { "06:55" };
        blocks += &format!("D1,B{i:02},2026-02-{:02} 07:00,2026-02-{:02} {late}\n", i + 1, i + 1);
    }
    let f = fleet_with(&blocks, NO_PACKAGES, None, None, Thresholds::default());
    let d = f.driver_index("D1").unwrap();
    let s = f.standing(d, day(2026, 3, 1));
    assert_eq!(s.reliability_tier, Some(Tier::Fantastic));
    let w = f.what_if(d, &s);
    assert_eq!(w.reliability_drop, Some((1, Tier::Great)));
    assert_eq!(w.reliability_rise, None);
}

/// Five packages of D1, delivered on time, the ones listed (1 = oldest) with a claim.
fn claims_at(claimed: &[usize]) -> String {
    let mut csv = String::from("tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr\n");
    for i in 1..=5 {
        let dnr = if claimed.contains(&i) { "Y" } else { "" };
        csv += &format!("T{i},D1,2026-03-0{i} 12:00,2026-03-0{i} 10:00,delivered,{dnr}\n");
    }
    csv
}

#[test]
fn dnr_headroom_at_each_limit_and_with_the_oldest_package_leaving() {
    let blocks = "driver_id,block_id,block_start\nDX,B1,2026-03-01 07:00\n";
    let mut t = Thresholds::default();
    t.windows.packages = 5;
    // Rates that one missed package does not lower: NEAR_DROP comes from the claims alone.
    let lenient = crate::config::RateThresholds { fantastic: 0.5, great: 0.5, fair: 0.5 };
    (t.attempted, t.success, t.on_time) = (lenient, lenient, lenient);
    let at = |claimed: &[usize]| {
        let f = fleet_with(blocks, &claims_at(claimed), None, None, t);
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 20));
        let what_if = f.what_if(d, &s);
        (s.quality_tier, s.dnr_headroom, s.alerts.has(Alert::NearDrop), what_if.dnr_drop)
    };
    // At each limit one claim drops the tier, whatever the rates.
    assert_eq!(at(&[]), (Some(Tier::Fantastic), Some(1), true, Some((1, Tier::Great))));
    assert_eq!(at(&[5]), (Some(Tier::Great), Some(1), true, Some((1, Tier::Fair))));
    assert_eq!(at(&[4, 5]), (Some(Tier::Fair), Some(1), true, Some((1, Tier::AtRisk))));
    // The oldest package's claim leaves as the new one enters: two more claims drop it.
    assert_eq!(at(&[1]), (Some(Tier::Great), Some(2), false, Some((2, Tier::Fair))));
    assert_eq!(at(&[1, 2]), (Some(Tier::Fair), Some(3), false, Some((3, Tier::AtRisk))));
    // At Risk: nothing lower.
    assert_eq!(at(&[3, 4, 5]), (Some(Tier::AtRisk), None, false, None));
}

#[test]
fn first_k_finds_the_switch_point() {
    assert_eq!(first_k(20, |k| k >= 7), Some(7));
    assert_eq!(first_k(20, |k| k >= 1), Some(1));
    assert_eq!(first_k(20, |_| false), None);
    assert_eq!(first_k(0, |_| true), None);
}
