//! docs/rules.md §8.1–8.2: the events that count against standing and the grounds to dispute them.

use crate::config::Windows;
use crate::import::codes::{ConcessionFlags, Outcome, Reason};
use crate::import::time::MS_PER_MINUTE;
use serde::Serialize;

/// A set of small flags stored in one integer; iteration is in declaration order.
macro_rules! flag_set {
    ($name:ident: $repr:ty { $($flag:ident = $bit:expr => $code:expr),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub $repr);

        impl $name {
            $(pub const $flag: $name = $name(1 << $bit);)*
            const ALL: &'static [($name, &'static str)] = &[$(($name::$flag, $code)),*];

            pub fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }
            pub fn insert(&mut self, other: $name) {
                self.0 |= other.0;
            }
            pub fn set(&mut self, other: $name, on: bool) {
                if on {
                    self.insert(other);
                }
            }
            pub fn is_empty(self) -> bool {
                self.0 == 0
            }
            pub fn iter(self) -> impl Iterator<Item = $name> {
                Self::ALL.iter().map(|(f, _)| *f).filter(move |f| self.contains(*f))
            }
            pub fn codes(self) -> Vec<&'static str> {
                Self::ALL.iter().filter(|(f, _)| self.contains(*f)).map(|(_, c)| *c).collect()
            }
            pub fn code(self) -> &'static str {
                Self::ALL.iter().find(|(f, _)| *f == self).map_or("", |(_, c)| c)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.codes())
            }
        }
    };
}

flag_set!(Grounds: u16 {
    OUTAGE = 0 => "OUTAGE",
    STATION_DELAY = 1 => "STATION_DELAY",
    IMPOSSIBLE_DEADLINE = 2 => "IMPOSSIBLE_DEADLINE",
    ACCESS_DOCUMENTED = 3 => "ACCESS_DOCUMENTED",
    SAFETY = 4 => "SAFETY",
    APP_FAILURE = 5 => "APP_FAILURE",
    ID_CHECK = 6 => "ID_CHECK",
    PHOTO_PROOF = 7 => "PHOTO_PROOF",
    DELIVERED_AT_PIN = 8 => "DELIVERED_AT_PIN",
    STATION_MISSING = 9 => "STATION_MISSING",
    ORDER_CANCELLED = 10 => "ORDER_CANCELLED",
    ADDRESS_CLUSTER = 11 => "ADDRESS_CLUSTER",
});

impl Grounds {
    /// The order in which a letter files an event with several grounds: under the first
    /// of these it has (the evidence CSV keeps them all).
    pub const LETTER_ORDER: [Grounds; 12] = [
        Grounds::OUTAGE,
        Grounds::STATION_DELAY,
        Grounds::IMPOSSIBLE_DEADLINE,
        Grounds::STATION_MISSING,
        Grounds::ORDER_CANCELLED,
        Grounds::APP_FAILURE,
        Grounds::SAFETY,
        Grounds::ID_CHECK,
        Grounds::ADDRESS_CLUSTER,
        Grounds::ACCESS_DOCUMENTED,
        Grounds::DELIVERED_AT_PIN,
        Grounds::PHOTO_PROOF,
    ];

    /// A single ground in a few words, for screens (codes stay in tooltips and exports).
    pub fn name(self) -> &'static str {
        match self {
            Grounds::OUTAGE => "Outage",
            Grounds::STATION_DELAY => "Station delay",
            Grounds::IMPOSSIBLE_DEADLINE => "Impossible deadline",
            Grounds::ACCESS_DOCUMENTED => "Access documented",
            Grounds::SAFETY => "Safety",
            Grounds::APP_FAILURE => "App failure",
            Grounds::ID_CHECK => "ID check",
            Grounds::PHOTO_PROOF => "Photo proof",
            Grounds::DELIVERED_AT_PIN => "Delivered at the pin",
            Grounds::STATION_MISSING => "Never picked up",
            Grounds::ORDER_CANCELLED => "Order cancelled",
            Grounds::ADDRESS_CLUSTER => "Address cluster",
            _ => "",
        }
    }

    /// Every ground of the set in a few words, joined.
    pub fn names(self) -> String {
        self.iter().map(Grounds::name).collect::<Vec<_>>().join(", ")
    }

    /// The ground a letter files the event under (see [`Grounds::LETTER_ORDER`]).
    pub fn lead(self) -> Option<Grounds> {
        Grounds::LETTER_ORDER.into_iter().find(|g| self.contains(*g))
    }
}

flag_set!(Defects: u8 {
    NOT_DELIVERED = 0 => "attempted_not_delivered",
    NOT_ATTEMPTED = 1 => "not_attempted",
    LATE = 2 => "late",
    DNR = 3 => "dnr_claim",
});

pub use crate::import::Outage;

/// The outage whose window holds the instant at the station, if any (boundaries
/// inclusive; see [`Outage::covers`]).
pub fn outage_at<'a>(outages: &'a [Outage], t: i64, station: Option<&str>) -> Option<&'a Outage> {
    outages.iter().find(|o| o.covers(t, station))
}

/// The facts of a package that its defects and grounds depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageFacts {
    pub outcome: Outcome,
    pub deliver_by: i64,
    pub attempted_at: Option<i64>,
    pub on_time: bool,
    pub dnr: bool,
    pub reason: Option<Reason>,
    pub contact_attempts: Option<u32>,
    pub has_photo: bool,
    /// What Amazon's concessions report says of the package's DNR claim, when it has one.
    pub concession: Option<ConcessionFlags>,
    /// `Pickup failed`: never handed to the driver.
    pub pickup_failed: bool,
}

/// The block that carried a package: its scheduled start and when it left the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarrierBlock {
    pub start: i64,
    pub departed_at: Option<i64>,
}

/// What counts against the package in the quality window; empty when nothing does.
pub fn package_defects(p: &PackageFacts) -> Defects {
    let mut d = Defects::default();
    d.set(Defects::NOT_DELIVERED, p.outcome == Outcome::Attempted);
    d.set(Defects::NOT_ATTEMPTED, p.outcome == Outcome::NotAttempted);
    d.set(Defects::LATE, p.outcome.was_attempted() && !p.on_time);
    d.set(Defects::DNR, p.dnr);
    d
}

/// Whether a package event counts towards an address cluster (docs/rules.md §8.1): a DNR
/// claim, or a defect other than a claim with a reason the address can cause.
pub fn cluster_candidate(p: &PackageFacts, defects: Defects) -> bool {
    let defect_besides_dnr = !Defects(defects.0 & !Defects::DNR.0).is_empty();
    p.dnr
        || (defect_besides_dnr
            && matches!(
                p.reason,
                Some(Reason::NoAccess | Reason::NoSafeLocation | Reason::CustomerUnavailable | Reason::BusinessClosed)
            ))
}

/// The moment a package event happened: its attempt, else its deadline.
pub fn package_event_time(p: &PackageFacts) -> i64 {
    p.attempted_at.unwrap_or(p.deliver_by)
}

/// The grounds of a package with the given defects (empty defects: no event, no grounds),
/// but ADDRESS_CLUSTER, which the fleet's clusters give ([`super::clusters`]).
/// `station`: the carrying block's, which station-scoped outages are matched against.
pub fn package_grounds(
    p: &PackageFacts,
    defects: Defects,
    block: Option<CarrierBlock>,
    station: Option<&str>,
    outages: &[Outage],
    w: &Windows,
) -> Grounds {
    let mut g = Grounds::default();
    if defects.is_empty() {
        return g;
    }
    let defect_besides_dnr = !Defects(defects.0 & !Defects::DNR.0).is_empty();
    let late_or_not_attempted = defects.contains(Defects::LATE) || defects.contains(Defects::NOT_ATTEMPTED);
    g.set(Grounds::OUTAGE, outage_at(outages, package_event_time(p), station).is_some());
    if let Some(b) = block {
        let departure_delay = b.departed_at.map(|d| d - b.start);
        g.set(
            Grounds::STATION_DELAY,
            defect_besides_dnr && departure_delay.is_some_and(|d| d > w.station_delay_minutes * MS_PER_MINUTE),
        );
        let before_departure = b.departed_at.is_some_and(|d| p.deliver_by < d);
        let before_first_stop = p.deliver_by < b.start + w.min_first_stop_minutes * MS_PER_MINUTE;
        g.set(Grounds::IMPOSSIBLE_DEADLINE, late_or_not_attempted && (before_departure || before_first_stop));
    }
    if defect_besides_dnr {
        let contacted = p.contact_attempts.is_some_and(|c| c >= 1);
        let access = match p.reason {
            Some(Reason::NoAccess | Reason::NoSafeLocation | Reason::CustomerUnavailable) => contacted,
            Some(Reason::BusinessClosed) => p.attempted_at.is_some_and(|t| t <= p.deliver_by),
            _ => false,
        };
        g.set(Grounds::ACCESS_DOCUMENTED, access);
        g.set(Grounds::SAFETY, p.reason == Some(Reason::Unsafe));
        g.set(Grounds::APP_FAILURE, p.reason == Some(Reason::AppIssue));
        g.set(Grounds::ID_CHECK, p.reason == Some(Reason::AgeVerification));
        g.set(Grounds::ORDER_CANCELLED, p.reason == Some(Reason::Cancelled));
    }
    g.set(Grounds::STATION_MISSING, p.pickup_failed && defects.contains(Defects::NOT_ATTEMPTED));
    // The concessions report overrides the export: "No POD" means no photo to show.
    let no_pod = p.concession.is_some_and(|c| c.says(ConcessionFlags::NO_POD));
    g.set(Grounds::PHOTO_PROOF, p.dnr && p.outcome == Outcome::Delivered && p.has_photo && !no_pod);
    g.set(Grounds::DELIVERED_AT_PIN, p.dnr && p.concession.is_some_and(ConcessionFlags::at_pin_with_photo));
    g
}

/// The grounds of a missed block: only an outage at its start (and station) applies.
pub fn block_grounds(start: i64, station: Option<&str>, outages: &[Outage]) -> Grounds {
    let mut g = Grounds::default();
    g.set(Grounds::OUTAGE, outage_at(outages, start, station).is_some());
    g
}

pub use crate::import::codes::photo_paths;

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_000_000_000_000;
    const MIN: i64 = MS_PER_MINUTE;

    fn facts(outcome: Outcome, attempted: Option<i64>) -> PackageFacts {
        PackageFacts {
            outcome,
            deliver_by: T + 240 * MIN,
            attempted_at: attempted,
            on_time: crate::standing::rules::package_on_time(outcome, attempted, T + 240 * MIN),
            dnr: false,
            reason: None,
            contact_attempts: None,
            has_photo: false,
            concession: None,
            pickup_failed: false,
        }
    }

    fn grounds(p: &PackageFacts, block: Option<CarrierBlock>, outages: &[Outage]) -> Grounds {
        package_grounds(p, package_defects(p), block, None, outages, &Windows::default())
    }

    #[test]
    fn defects_of_each_kind() {
        assert!(package_defects(&facts(Outcome::Delivered, Some(T))).is_empty());
        assert_eq!(package_defects(&facts(Outcome::Delivered, Some(T + 300 * MIN))), Defects::LATE);
        assert_eq!(package_defects(&facts(Outcome::Attempted, Some(T))), Defects::NOT_DELIVERED);
        assert_eq!(package_defects(&facts(Outcome::NotAttempted, None)), Defects::NOT_ATTEMPTED);
        let mut p = facts(Outcome::Delivered, Some(T));
        p.dnr = true;
        assert_eq!(package_defects(&p), Defects::DNR);
    }

    #[test]
    fn outage_covers_attempt_or_deadline_inclusive() {
        let outages = [Outage { start: T, end: T + 60 * MIN, description: "down".into(), stations: Vec::new() }];
        let p = facts(Outcome::Attempted, Some(T + 60 * MIN));
        assert!(grounds(&p, None, &outages).contains(Grounds::OUTAGE));
        let p = facts(Outcome::Attempted, Some(T + 61 * MIN));
        assert!(!grounds(&p, None, &outages).contains(Grounds::OUTAGE));
        // Not attempted: the deadline is the event time.
        let mut p = facts(Outcome::NotAttempted, None);
        p.deliver_by = T + 30 * MIN;
        assert!(grounds(&p, None, &outages).contains(Grounds::OUTAGE));
        assert!(block_grounds(T, None, &outages).contains(Grounds::OUTAGE));
        assert!(block_grounds(T - 1, None, &outages).is_empty());
    }

    #[test]
    fn a_station_outage_covers_only_its_stations() {
        let scoped = Outage {
            start: T,
            end: T + 60 * MIN,
            description: "DLA9 network".into(),
            stations: vec!["DLA9".into(), "DXT4".into()],
        };
        let outages = [scoped];
        assert!(block_grounds(T, Some("DLA9"), &outages).contains(Grounds::OUTAGE));
        assert!(block_grounds(T, Some("dxt4"), &outages).contains(Grounds::OUTAGE), "station codes in any case");
        assert!(block_grounds(T, Some("DCK1"), &outages).is_empty());
        assert!(block_grounds(T, None, &outages).is_empty(), "no station: not covered");
        let p = facts(Outcome::Attempted, Some(T + 10 * MIN));
        let carried = |station| package_grounds(&p, package_defects(&p), None, station, &outages, &Windows::default());
        assert!(carried(Some("DLA9")).contains(Grounds::OUTAGE));
        assert!(!carried(Some("DCK1")).contains(Grounds::OUTAGE));
        assert!(!carried(None).contains(Grounds::OUTAGE));
    }

    #[test]
    fn station_delay_is_strictly_over_the_setting() {
        let p = facts(Outcome::NotAttempted, None);
        let block = |dep: i64| Some(CarrierBlock { start: T, departed_at: Some(T + dep * MIN) });
        assert!(grounds(&p, block(31), &[]).contains(Grounds::STATION_DELAY));
        assert!(!grounds(&p, block(30), &[]).contains(Grounds::STATION_DELAY));
        assert!(!grounds(&p, None, &[]).contains(Grounds::STATION_DELAY));
        // A DNR claim alone is not delayed by the station.
        let mut dnr = facts(Outcome::Delivered, Some(T));
        dnr.dnr = true;
        assert!(!grounds(&dnr, block(90), &[]).contains(Grounds::STATION_DELAY));
    }

    #[test]
    fn impossible_deadline_before_departure_or_first_stop() {
        let mut p = facts(Outcome::Delivered, Some(T + 100 * MIN));
        p.deliver_by = T + 50 * MIN;
        p.on_time = false;
        let block = Some(CarrierBlock { start: T, departed_at: Some(T + 60 * MIN) });
        assert!(grounds(&p, block, &[]).contains(Grounds::IMPOSSIBLE_DEADLINE));
        p.deliver_by = T + 29 * MIN;
        let block = Some(CarrierBlock { start: T, departed_at: None });
        assert!(grounds(&p, block, &[]).contains(Grounds::IMPOSSIBLE_DEADLINE));
        p.deliver_by = T + 30 * MIN;
        assert!(!grounds(&p, block, &[]).contains(Grounds::IMPOSSIBLE_DEADLINE));
        // An attempted (not late) package is not an impossible deadline.
        let mut q = facts(Outcome::Attempted, Some(T + 10 * MIN));
        q.deliver_by = T + 20 * MIN;
        q.on_time = true;
        assert!(!grounds(&q, block, &[]).contains(Grounds::IMPOSSIBLE_DEADLINE));
    }

    #[test]
    fn reason_grounds() {
        let with = |reason: Reason, contacts: Option<u32>, attempted: i64| {
            let mut p = facts(Outcome::Attempted, Some(attempted));
            p.reason = Some(reason);
            p.contact_attempts = contacts;
            grounds(&p, None, &[])
        };
        assert_eq!(with(Reason::NoAccess, Some(1), T), Grounds::ACCESS_DOCUMENTED);
        assert!(with(Reason::NoAccess, Some(0), T).is_empty());
        assert!(with(Reason::CustomerUnavailable, None, T).is_empty());
        assert_eq!(with(Reason::NoSafeLocation, Some(2), T), Grounds::ACCESS_DOCUMENTED);
        assert_eq!(with(Reason::BusinessClosed, None, T + 240 * MIN), Grounds::ACCESS_DOCUMENTED);
        assert!(with(Reason::BusinessClosed, None, T + 241 * MIN).is_empty());
        assert_eq!(with(Reason::Unsafe, None, T), Grounds::SAFETY);
        assert_eq!(with(Reason::AppIssue, None, T), Grounds::APP_FAILURE);
        assert_eq!(with(Reason::AgeVerification, None, T), Grounds::ID_CHECK);
        assert!(with(Reason::Damaged, Some(3), T).is_empty());
        // Reason grounds need a defect other than a DNR claim.
        let mut dnr = facts(Outcome::Delivered, Some(T));
        dnr.dnr = true;
        dnr.reason = Some(Reason::Unsafe);
        assert!(grounds(&dnr, None, &[]).is_empty());
    }

    #[test]
    fn never_picked_up_and_cancelled_orders() {
        let mut p = facts(Outcome::NotAttempted, None);
        p.pickup_failed = true;
        assert_eq!(grounds(&p, None, &[]), Grounds::STATION_MISSING);
        // A package that was attempted after all is not "never picked up".
        let mut attempted = facts(Outcome::Attempted, Some(T));
        attempted.pickup_failed = true;
        assert!(grounds(&attempted, None, &[]).is_empty());
        let mut cancelled = facts(Outcome::Attempted, Some(T));
        cancelled.reason = Some(Reason::Cancelled);
        assert_eq!(grounds(&cancelled, None, &[]), Grounds::ORDER_CANCELLED);
        // A cancelled order's reason on a DNR claim alone is no ground.
        let mut dnr = facts(Outcome::Delivered, Some(T));
        dnr.dnr = true;
        dnr.reason = Some(Reason::Cancelled);
        assert!(grounds(&dnr, None, &[]).is_empty());
    }

    #[test]
    fn cluster_candidates_are_claims_and_access_problems() {
        let with = |outcome, reason: Option<Reason>, dnr: bool| {
            let mut p = facts(outcome, Some(T));
            p.reason = reason;
            p.dnr = dnr;
            cluster_candidate(&p, package_defects(&p))
        };
        assert!(with(Outcome::Delivered, None, true));
        for r in [Reason::NoAccess, Reason::NoSafeLocation, Reason::CustomerUnavailable, Reason::BusinessClosed] {
            assert!(with(Outcome::Attempted, Some(r), false), "{r:?}");
        }
        assert!(!with(Outcome::Attempted, Some(Reason::Damaged), false));
        assert!(!with(Outcome::Delivered, Some(Reason::NoAccess), false), "no defect");
    }

    #[test]
    fn photo_proof_needs_a_delivered_package_with_a_photo() {
        let mut p = facts(Outcome::Delivered, Some(T));
        p.dnr = true;
        p.has_photo = true;
        assert_eq!(grounds(&p, None, &[]), Grounds::PHOTO_PROOF);
        p.has_photo = false;
        assert!(grounds(&p, None, &[]).is_empty());
        assert_eq!(photo_paths(" a.jpg; b.jpg | |c.png ").collect::<Vec<_>>(), ["a.jpg", "b.jpg", "c.png"]);
    }

    #[test]
    fn a_concession_withholds_photo_proof_on_no_pod_and_gives_delivered_at_pin() {
        let flags = |geo_far: Option<bool>, no_pod: Option<bool>, simultaneous: Option<bool>| {
            let mut f = ConcessionFlags::default();
            f.record(ConcessionFlags::GEO_FAR, geo_far);
            f.record(ConcessionFlags::NO_POD, no_pod);
            f.record(ConcessionFlags::SIMULTANEOUS, simultaneous);
            Some(f)
        };
        let mut p = facts(Outcome::Delivered, Some(T));
        p.dnr = true;
        p.has_photo = true;
        p.concession = flags(Some(false), Some(false), Some(false));
        let mut both = Grounds::PHOTO_PROOF;
        both.insert(Grounds::DELIVERED_AT_PIN);
        assert_eq!(grounds(&p, None, &[]), both);
        assert_eq!(grounds(&p, None, &[]).lead(), Some(Grounds::DELIVERED_AT_PIN));
        // "No POD": the export's photo is not claimed, and the pin alone is not enough.
        p.concession = flags(Some(false), Some(true), None);
        assert!(grounds(&p, None, &[]).is_empty());
        // Far from the pin, or a distance the report does not give: photo proof only.
        p.concession = flags(Some(true), Some(false), None);
        assert_eq!(grounds(&p, None, &[]), Grounds::PHOTO_PROOF);
        p.concession = flags(None, Some(false), None);
        assert_eq!(grounds(&p, None, &[]), Grounds::PHOTO_PROOF);
        // At the pin with a photo, though the export lists none.
        p.has_photo = false;
        p.concession = flags(Some(false), Some(false), None);
        assert_eq!(grounds(&p, None, &[]), Grounds::DELIVERED_AT_PIN);
        p.concession = flags(Some(false), Some(false), Some(true));
        assert!(grounds(&p, None, &[]).is_empty());
    }

    #[test]
    fn codes_in_order() {
        let mut g = Grounds::PHOTO_PROOF;
        g.insert(Grounds::OUTAGE);
        assert_eq!(g.codes(), ["OUTAGE", "PHOTO_PROOF"]);
        assert_eq!(Grounds::SAFETY.code(), "SAFETY");
        assert_eq!(serde_json::to_string(&g).unwrap(), "[\"OUTAGE\",\"PHOTO_PROOF\"]");
    }
}
