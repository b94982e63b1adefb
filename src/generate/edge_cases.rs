//! The scripted edge cases: blocks and packages on fixed days of the first ten drivers
//! that put every rule boundary and dispute ground on record.

use super::fleet::{Arrival, Block, Package, Photo, ScheduledBlock};
use super::*;

/// A scripted block (and its packages) that puts a rule boundary or dispute ground on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edge {
    /// Check-in exactly at start + 5:00: on time, the grace is inclusive.
    CheckInAtGrace,
    /// Check-in at start + 5:01: late arrival.
    CheckInPastGrace,
    /// 07:00 block in the morning app outage: late check-in, two late deliveries and an
    /// app-failure attempt, all inside the outage window.
    OutageBlock,
    /// Cancelled exactly 45:00 before the start: on-time cancel, not counted.
    CancelAtNotice,
    /// Cancelled 44:59 before the start: late cancel.
    CancelInsideNotice,
    /// Left the station 70 minutes after the start; the last packages are late or not attempted.
    StationDelay,
    /// A package due 20 minutes after the start, before the block left the station.
    ImpossibleDeadline,
    /// DNR claim on a delivered package with a photo (the file is written).
    DnrWithPhoto,
    /// DNR claim on a delivered package without a photo.
    DnrWithoutPhoto,
    /// Access problems with and without the documentation that makes them disputable.
    AccessAttempts,
    /// Unsafe, app and ID reasons, and a failed attempt never returned to the station.
    ReasonGrounds,
    /// Neither checked in nor cancelled.
    NoShow,
    /// Cancelled 12 minutes before the start.
    LateCancel,
    /// Checked in 17 minutes after the start.
    LateArrival,
}

/// Scripted edge cases: driver index, days before the last day, case. Within the last 14 days
/// (block cases) and the last 7 (package cases) they stay inside the default standing windows
/// (20 blocks, 500 packages) at the default as-of day.
pub(super) const EDGES: [(usize, u32, Edge); 18] = [
    (0, 2, Edge::CheckInAtGrace),
    (1, 2, Edge::CheckInPastGrace),
    (2, 4, Edge::OutageBlock),
    (3, 3, Edge::CancelAtNotice),
    (3, 6, Edge::CancelInsideNotice),
    (4, 1, Edge::StationDelay),
    (5, 5, Edge::ImpossibleDeadline),
    (6, 3, Edge::DnrWithPhoto),
    (6, 6, Edge::DnrWithoutPhoto),
    (7, 2, Edge::AccessAttempts),
    (8, 1, Edge::ReasonGrounds),
    (DEACTIVATED, 4, Edge::OutageBlock),
    (DEACTIVATED, 5, Edge::NoShow),
    (DEACTIVATED, 6, Edge::LateCancel),
    (DEACTIVATED, 7, Edge::LateArrival),
    (DEACTIVATED, 8, Edge::NoShow),
    (DEACTIVATED, 10, Edge::LateArrival),
    (DEACTIVATED, 11, Edge::NoShow),
];

impl Edge {
    pub(super) fn on(driver: usize, day: u32, last: u32) -> Option<Edge> {
        EDGES.iter().find(|&&(d, back, _)| d == driver && last.checked_sub(back) == Some(day)).map(|&(_, _, edge)| edge)
    }

    pub(super) fn block(self) -> ScheduledBlock {
        let (slot, arrival, depart) = match self {
            Edge::CheckInAtGrace => (0, Arrival::CheckIn(5 * MINUTE), 25 * MINUTE),
            Edge::CheckInPastGrace => (1, Arrival::CheckIn(5 * MINUTE + 1), 28 * MINUTE),
            Edge::OutageBlock => (0, Arrival::CheckIn(12 * MINUTE + 37), 22 * MINUTE),
            Edge::CancelAtNotice => (2, Arrival::Cancel(-45 * MINUTE), 0),
            Edge::CancelInsideNotice => (3, Arrival::Cancel(-45 * MINUTE + 1), 0),
            Edge::StationDelay => (1, Arrival::CheckIn(-8 * MINUTE), 70 * MINUTE),
            Edge::ImpossibleDeadline => (2, Arrival::CheckIn(-6 * MINUTE), 25 * MINUTE),
            Edge::DnrWithPhoto => (0, Arrival::CheckIn(-11 * MINUTE), 20 * MINUTE),
            Edge::DnrWithoutPhoto => (3, Arrival::CheckIn(-3 * MINUTE), 18 * MINUTE),
            Edge::AccessAttempts => (2, Arrival::CheckIn(-9 * MINUTE), 20 * MINUTE),
            Edge::ReasonGrounds => (3, Arrival::CheckIn(-2 * MINUTE), 22 * MINUTE),
            Edge::NoShow => (1, Arrival::NoShow, 0),
            Edge::LateCancel => (2, Arrival::Cancel(-12 * MINUTE), 0),
            Edge::LateArrival => (1, Arrival::CheckIn(17 * MINUTE), 25 * MINUTE),
        };
        ScheduledBlock { slot, arrival, depart }
    }

    /// Overwrites some of the block's random packages with the scripted ones. The first
    /// `n / 3` (at least 8) packages are due at start + 3 h, the others at start + 4 h.
    pub(super) fn script(self, packages: &mut [Package], b: &Block) {
        let due3 = b.start + 3 * HOUR;
        let due4 = b.start + 4 * HOUR;
        let n = packages.len();
        let mut set = |k: usize, p: Package| {
            if let Some(slot) = packages.get_mut(k) {
                *slot = p;
            }
        };
        match self {
            Edge::OutageBlock => {
                set(0, Package::delivered(due3, due3 + 25 * MINUTE));
                set(1, Package::delivered(due3, due3 + 40 * MINUTE));
                set(
                    2,
                    Package {
                        notes: "Flex app froze on the scan screen",
                        ..Package::attempted(due3, b.start + 130 * MINUTE, "App glitch - scan failure", 0, b)
                    },
                );
            }
            Edge::StationDelay => {
                let out_of_time = Package::not_attempted(due4, "Out of drive time", b);
                set(n.saturating_sub(1), out_of_time);
                set(n.saturating_sub(2), out_of_time);
                set(n.saturating_sub(3), Package::delivered(due4, due4 + 25 * MINUTE));
            }
            Edge::ImpossibleDeadline => set(
                0,
                Package {
                    notes: "Promised 20 minutes after the block start",
                    ..Package::delivered(b.start + 20 * MINUTE, b.start + 48 * MINUTE)
                },
            ),
            Edge::DnrWithPhoto => set(
                0,
                Package {
                    dnr_reported_at: Some(due3 + 2 * DAY + 3 * HOUR),
                    photo: Photo::Pod,
                    notes: "Left at the front door, photo taken",
                    ..Package::delivered(due3, b.start + 41 * MINUTE)
                },
            ),
            Edge::DnrWithoutPhoto => set(
                0,
                Package { dnr_reported_at: Some(due3 + DAY + HOUR), ..Package::delivered(due3, b.start + 44 * MINUTE) },
            ),
            Edge::AccessAttempts => {
                set(
                    0,
                    Package {
                        photo: Photo::PodAndGate,
                        notes: "Gate code from the app did not work.\n\
                                Called and texted the customer, no answer.",
                        ..Package::attempted(due3, b.start + 50 * MINUTE, "Unable to access - gate locked", 2, b)
                    },
                );
                let at = |minutes: i64| b.start + minutes * MINUTE;
                set(1, Package::attempted(due3, at(62), "Customer unavailable", 1, b));
                set(2, Package::attempted(due3, at(70), "Business Closed", 0, b));
                set(3, Package::attempted(due3, at(78), "No safe location", 0, b));
                set(
                    4,
                    Package::attempted(
                        due3,
                        at(85),
                        "Other: customer asked to leave it with a neighbour, \"Apt 4\"",
                        1,
                        b,
                    ),
                );
            }
            Edge::ReasonGrounds => {
                let at = |minutes: i64| b.start + minutes * MINUTE;
                set(0, Package::attempted(due3, at(55), "Unsafe - aggressive dog", 0, b));
                set(1, Package::attempted(due3, at(63), "App glitch - scan failure", 0, b));
                set(2, Package::attempted(due3, at(71), "Customer refused ID", 0, b));
                set(3, Package { returned_at: None, ..Package::attempted(due3, at(80), "Address not found", 1, b) });
            }
            Edge::CheckInAtGrace
            | Edge::CheckInPastGrace
            | Edge::CancelAtNotice
            | Edge::CancelInsideNotice
            | Edge::NoShow
            | Edge::LateCancel
            | Edge::LateArrival => {}
        }
    }
}
