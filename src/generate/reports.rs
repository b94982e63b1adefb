//! Amazon's reports of the generated fleet, as a DSP downloads them (docs/rules.md §1.10,
//! §1.14): the DNR concessions report in its newer headers, and the package exceptions
//! report in its first generation, with delivery addresses. Every choice here comes from a
//! hash of the package's number, never from the drivers' random streams: blocks and
//! deliveries are the same bytes with or without these files.

use super::fleet::{Concession, DriverPlan, Package};
use super::write::{Clock, Sink, put_id};
use super::{GenerateError, MINUTE, STATIONS};
use crate::import::codes::Outcome;

/// The newer concessions report's headers (the older ones are in the tests' fixtures).
pub(super) const CONCESSIONS_HEADER: [&str; 13] = [
    "Tracking ID",
    "Transporter ID",
    "Delivery Associate",
    "Concession Date",
    "Delivery Date",
    "Delivered > 50 m",
    "No POD on Delivery",
    "Scanned - Not Delivered - Not Returned",
    "Incorrect Scan Usage - Attended Delivery",
    "Incorrect Scan Usage - Unattended Delivery",
    "Simultaneous Deliveries",
    "Impacts DSB",
    "Service Area",
];

/// The package exceptions report's first header generation.
pub(super) const EXCEPTIONS_HEADER: [&str; 9] = [
    "Scannable Id",
    "Route Code",
    "Company Short Code",
    "Transporter Name",
    "Transporter Id",
    "Address",
    "Package Status",
    "Reason Code",
    "Time of last scan",
];

/// The DSP's short code in Amazon's reports.
const COMPANY: &str = "SWTC";

/// Each station's town, for addresses.
const TOWNS: [&str; 4] = ["Springfield, IL 62704", "Aurora, IL 60505", "Naperville, IL 60540", "Joliet, IL 60431"];

/// Streets of houses, and of the apartment buildings where access problems and claims gather.
const STREETS: [&str; 12] = [
    "Maple Ave",
    "Oak St",
    "Riverside Dr",
    "Lakeview Ct",
    "Cedar Ln",
    "Elm St",
    "Washington Blvd",
    "Highland Rd",
    "Prairie Way",
    "Mill St",
    "Walnut Ave",
    "Sunset Dr",
];

/// One in this many access problems happens at one of the station's apartment buildings,
/// and one in [`CLAIM_AT_BUILDING`] DNR claims: enough that every station has a cluster.
const ACCESS_AT_BUILDING: u64 = 8;
const CLAIM_AT_BUILDING: u64 = 3;
/// One block in this many had a package the station never handed over (`Pickup failed`).
const PICKUP_FAILED_BLOCKS: u64 = 120;
/// One failed attempt in this many was an order cancelled on the way (`TR CANCELLED`).
const CANCELLED_ORDERS: u64 = 40;
/// A building for every this many drivers of a station.
const DRIVERS_PER_BUILDING: usize = 10;

/// splitmix64: a well-mixed 64-bit hash of a number.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The reason code Amazon's report gives for a driver's reason as the deliveries write it:
/// the same code once normalised (docs/rules.md §1.6), but for the free-text ones (`NONE`).
fn reason_code(reason: &str) -> &'static str {
    match reason {
        "Customer unavailable" | "Nobody home" => "CUSTOMER UNAVAILABLE",
        "Unable to access - gate locked" | "Inaccessible delivery location" => "UNABLE TO ACCESS",
        "No safe location" => "NO SECURE LOCATION",
        "Business Closed" => "BUSINESS CLOSED",
        "Address not found" => "ADDRESS NOT FOUND",
        "Missing or incorrect access code" => "MISSING OR INCORRECT ACCESS CODE",
        "Damaged" => "DAMAGED",
        "Unsafe - aggressive dog" => "UNSAFE DUE TO DOG",
        "App glitch - scan failure" => "DEVICE ISSUE",
        "Customer refused ID" => "OTP NOT AVAILABLE",
        "Weather - heavy rain" => "BAD WEATHER",
        "Refused by customer" => "CUSTOMER REFUSED",
        _ => "NONE",
    }
}

fn is_access_problem(reason: &str) -> bool {
    matches!(
        reason,
        "Customer unavailable"
            | "Nobody home"
            | "Unable to access - gate locked"
            | "Inaccessible delivery location"
            | "No safe location"
            | "Business Closed"
            | "Missing or incorrect access code"
    )
}

/// The reports being written, and what addresses depend on.
pub(super) struct Reports {
    pub(super) concessions: Sink,
    pub(super) exceptions: Sink,
    drivers: usize,
    address: String,
    route: String,
    extra_id: String,
}

impl Reports {
    pub(super) fn new(concessions: Sink, exceptions: Sink, drivers: usize) -> Reports {
        Reports {
            concessions,
            exceptions,
            drivers,
            address: String::new(),
            route: String::new(),
            extra_id: String::new(),
        }
    }

    pub(super) fn finish(self) -> Result<(), GenerateError> {
        self.concessions.finish()?;
        self.exceptions.finish()
    }

    /// An address of the driver's station: one of its apartment buildings (a unit in it),
    /// or a house.
    fn put_address(&mut self, driver: &DriverPlan, number: u64, building: bool) {
        let station = STATIONS.iter().position(|s| *s == driver.station).unwrap_or(0);
        let town = TOWNS[station % TOWNS.len()];
        let h = mix(number ^ 0xA11D);
        self.address.clear();
        if building {
            let drivers_here = self.drivers.div_ceil(STATIONS.len()).max(1);
            let buildings = (drivers_here / DRIVERS_PER_BUILDING).max(1) as u64;
            let b = (h % buildings) as usize;
            let street = STREETS[(station * 3 + b) % STREETS.len()];
            let unit = 1 + (h >> 20) % 240;
            self.address.push_str(&format!("{} {street} Apt {unit}, {town}", 1200 + 100 * b));
        } else {
            let street = STREETS[((h >> 8) % STREETS.len() as u64) as usize];
            self.address.push_str(&format!("{} {street}, {town}", 2 + (h >> 16) % 3000));
        }
    }

    /// The route code of a block.
    fn put_route(&mut self, driver: &DriverPlan, block_index: u64) {
        self.route.clear();
        self.route.push_str(&format!("C{}-{}", &driver.station[..2], 100 + block_index % 900));
    }

    /// The rows of one package: a concessions row for a claim the report gives, an
    /// exceptions row for a failed attempt (and for a claim at an apartment building,
    /// delivered after all).
    pub(super) fn package(
        &mut self,
        clock: &Clock,
        driver: &DriverPlan,
        block_index: u64,
        number: u64,
        tracking_id: &str,
        p: &Package,
    ) -> Result<(), GenerateError> {
        if let (Some(at), Some(c)) = (p.dnr_reported_at, p.concession) {
            self.concession(clock, driver, tracking_id, at, p.attempted_at, c)?;
        }
        let h = mix(number);
        let (status, reason) = match Outcome::parse(p.outcome) {
            Some(Outcome::Attempted) => {
                let status = match (p.returned_at.is_some(), h % 20) {
                    (true, 0..=11) => "Returned to station",
                    (_, 12..=16) => "Undeliverable",
                    _ => "Reattemptable",
                };
                let reason =
                    if (h >> 8).is_multiple_of(CANCELLED_ORDERS) { "TR CANCELLED" } else { reason_code(p.reason) };
                self.put_address(
                    driver,
                    number,
                    is_access_problem(p.reason) && (h >> 16).is_multiple_of(ACCESS_AT_BUILDING),
                );
                (status, reason)
            }
            Some(Outcome::Delivered) if p.dnr_reported_at.is_some() && (h >> 24).is_multiple_of(CLAIM_AT_BUILDING) => {
                self.put_address(driver, number, true);
                ("Delivered", "NONE")
            }
            _ => return Ok(()),
        };
        self.put_route(driver, block_index);
        let mut b_scan = [0u8; 19];
        self.exceptions.row([
            tracking_id.as_bytes(),
            self.route.as_bytes(),
            COMPANY.as_bytes(),
            driver.name.as_bytes(),
            driver.id.as_bytes(),
            self.address.as_bytes(),
            status.as_bytes(),
            reason.as_bytes(),
            clock.stamp_opt(p.attempted_at, &mut b_scan),
        ])
    }

    fn concession(
        &mut self,
        clock: &Clock,
        driver: &DriverPlan,
        tracking_id: &str,
        at: i64,
        delivered_at: Option<i64>,
        c: Concession,
    ) -> Result<(), GenerateError> {
        let (mut b_at, mut b_delivered) = ([0u8; 19], [0u8; 19]);
        let yes_no = |yes: bool| if yes { &b"Y"[..] } else { &b"N"[..] };
        self.concessions.row([
            tracking_id.as_bytes(),
            driver.id.as_bytes(),
            driver.name.as_bytes(),
            clock.stamp(at, &mut b_at),
            clock.stamp_opt(delivered_at, &mut b_delivered),
            yes_no(c.over_50m_from_pin),
            yes_no(c.no_pod),
            &b"N"[..],
            &b"N"[..],
            &b"N"[..],
            &b"N"[..],
            &b"Y"[..],
            driver.station.as_bytes(),
        ])
    }

    /// After a worked block: now and then a package the station never handed to the
    /// driver, which only the exceptions report lists (the deliveries do not have it).
    pub(super) fn pickup_failed(
        &mut self,
        clock: &Clock,
        driver: &DriverPlan,
        block_index: u64,
        block_start: i64,
    ) -> Result<(), GenerateError> {
        if !mix(block_index ^ 0x51C0).is_multiple_of(PICKUP_FAILED_BLOCKS) {
            return Ok(());
        }
        // Another prefix than the deliveries' TBA numbers: never the id of a delivered package.
        put_id(&mut self.extra_id, "TBC", block_index + 1, 10);
        self.put_address(driver, block_index, false);
        self.put_route(driver, block_index);
        let mut b_scan = [0u8; 19];
        self.exceptions.row([
            self.extra_id.as_bytes(),
            self.route.as_bytes(),
            COMPANY.as_bytes(),
            driver.name.as_bytes(),
            driver.id.as_bytes(),
            self.address.as_bytes(),
            &b"Pickup failed"[..],
            &b"NONE"[..],
            clock.stamp(block_start + 15 * MINUTE, &mut b_scan),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::codes::Reason;

    #[test]
    fn reason_codes_keep_the_reasons_meaning() {
        for (reason, _) in super::super::ATTEMPT_REASONS {
            let code = reason_code(reason);
            if code != "NONE" {
                assert_eq!(Reason::classify(code), Reason::classify(reason), "{reason} → {code}");
            }
        }
    }
}
