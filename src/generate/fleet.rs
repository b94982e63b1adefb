//! The fleet's drivers and their blocks and packages: the random bulk, with the scripted
//! edge cases laid over it.

use super::edge_cases::Edge;
use super::write::{Clock, Sink, put_id};
use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How a block went, as an offset from its start.
#[derive(Debug, Clone, Copy)]
pub(super) enum Arrival {
    CheckIn(i64),
    Cancel(i64),
    NoShow,
}

/// A block as scheduled: start slot, arrival, departure (offset from the start, used only after
/// a check-in).
#[derive(Debug, Clone, Copy)]
pub(super) struct ScheduledBlock {
    pub(super) slot: usize,
    pub(super) arrival: Arrival,
    pub(super) depart: i64,
}

/// Times of a worked block, in seconds from the first day's midnight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) departed: i64,
}

/// Which photo files a package lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Photo {
    Empty,
    /// `photos/<tracking_id>.jpg`
    Pod,
    /// The proof of delivery and a second photo of the locked gate.
    PodAndGate,
}

/// What the concessions report says of a DNR claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Concession {
    pub(super) over_50m_from_pin: bool,
    pub(super) no_pod: bool,
}

/// One package row; times in seconds from the first day's midnight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Package {
    pub(super) deliver_by: i64,
    pub(super) attempted_at: Option<i64>,
    /// As written in the file.
    pub(super) outcome: &'static str,
    pub(super) reason: &'static str,
    pub(super) returned_at: Option<i64>,
    pub(super) dnr_reported_at: Option<i64>,
    /// The DNR claim comes in Amazon's concessions report (concessions.csv) instead of
    /// the deliveries' `dnr` columns, with these flags.
    pub(super) concession: Option<Concession>,
    pub(super) contacts: Option<u8>,
    pub(super) photo: Photo,
    pub(super) notes: &'static str,
}

impl Package {
    pub(super) fn delivered(deliver_by: i64, at: i64) -> Self {
        Package {
            deliver_by,
            attempted_at: Some(at),
            outcome: "delivered",
            reason: "",
            returned_at: None,
            dnr_reported_at: None,
            concession: None,
            contacts: None,
            photo: Photo::Empty,
            notes: "",
        }
    }

    /// A failed attempt, returned to the station half an hour after the block.
    pub(super) fn attempted(deliver_by: i64, at: i64, reason: &'static str, contacts: u8, block: &Block) -> Self {
        Package {
            outcome: "attempted",
            reason,
            returned_at: Some(block.end + 30 * MINUTE),
            contacts: Some(contacts),
            ..Package::delivered(deliver_by, at)
        }
    }

    pub(super) fn not_attempted(deliver_by: i64, reason: &'static str, block: &Block) -> Self {
        Package {
            attempted_at: None,
            outcome: "not_attempted",
            reason,
            returned_at: Some(block.end + 30 * MINUTE),
            ..Package::delivered(deliver_by, deliver_by)
        }
    }
}

/// A random block of a driver with quality factor `m`: rare cancels (on time a day ahead, or
/// late), no-shows and late arrivals that grow with `m`, rare station delays.
pub(super) fn random_block(rng: &mut ChaCha8Rng, m: f64) -> ScheduledBlock {
    let slot = rng.random_range(0..SLOTS.len());
    let x: f64 = rng.random();
    let arrival = if x < 0.02 {
        Arrival::Cancel(-DAY - rng.random_range(0..6 * HOUR))
    } else if x < 0.035 {
        if rng.random::<f64>() < 0.8 {
            Arrival::Cancel(-rng.random_range(10 * MINUTE..=35 * MINUTE))
        } else {
            Arrival::Cancel(rng.random_range(MINUTE..=20 * MINUTE))
        }
    } else if x < 0.035 + 0.01 * m {
        Arrival::NoShow
    } else if rng.random::<f64>() < 0.03 * m {
        Arrival::CheckIn(rng.random_range(5 * MINUTE + 1..=25 * MINUTE))
    } else {
        Arrival::CheckIn(rng.random_range(-15 * MINUTE..5 * MINUTE))
    };
    // Normal departures stay within the 30-minute station-delay threshold, so that only the
    // rare real delays (and the scripted one) give that dispute ground.
    let depart = if rng.random::<f64>() < 0.015 {
        rng.random_range(40 * MINUTE..=95 * MINUTE)
    } else {
        rng.random_range(12 * MINUTE..=30 * MINUTE)
    };
    ScheduledBlock { slot, arrival, depart }
}

/// Package `k` of `n` in a block: delivered in route order from the departure, the first third
/// due at start + 3 h; failures, late attempts and DNR claims grow with the quality factor `m`.
/// `photo_budget` is how many more random photo files may be written.
pub(super) fn random_package(
    rng: &mut ChaCha8Rng,
    b: &Block,
    (k, n): (u64, u64),
    m: f64,
    photo_budget: &mut usize,
) -> Package {
    let deliver_by = b.start + if k < n / 3 { 3 * HOUR } else { 4 * HOUR };
    let y: f64 = rng.random();
    let z: f64 = rng.random();
    let on_route = b.departed + 300 + ((k * 10_200) / n.max(1)) as i64 + (z * 240.0) as i64;
    let at = if rng.random::<f64>() < 0.02 * m { deliver_by + 60 + (z * 2400.0) as i64 } else { on_route };
    let raw = rng.random::<f64>() < RAW_SPELLING_SHARE;
    if y < 0.003 * m {
        let reason = NOT_ATTEMPTED_REASONS[rng.random_range(0..NOT_ATTEMPTED_REASONS.len())];
        return Package {
            outcome: spelling(rng, raw, "not_attempted", &NOT_ATTEMPTED_SPELLINGS),
            returned_at: returned(rng, b),
            ..Package::not_attempted(deliver_by, reason, b)
        };
    }
    if y < 0.012 * m {
        let reason = weighted(rng, &ATTEMPT_REASONS);
        let contacts = rng.random_range(0..=3);
        return Package {
            outcome: spelling(rng, raw, "attempted", &ATTEMPTED_SPELLINGS),
            returned_at: returned(rng, b),
            ..Package::attempted(deliver_by, at, reason, contacts, b)
        };
    }
    let mut p = Package {
        outcome: spelling(rng, raw, "delivered", &DELIVERED_SPELLINGS),
        ..Package::delivered(deliver_by, at)
    };
    if rng.random::<f64>() < 0.001 * m {
        let days = rng.random_range(1..=5);
        p.dnr_reported_at = Some(deliver_by + days * DAY + rng.random_range(0..8 * HOUR));
        if *photo_budget > 0 && rng.random::<f64>() < 0.6 {
            *photo_budget -= 1;
            p.photo = Photo::Pod;
        }
        // Two claims in three come in the concessions report (chosen by position, so that
        // the random streams stay as they were): with a photo at the pin, else without
        // one and every second of those far from the pin.
        if k % 3 != 0 {
            let no_pod = p.photo == Photo::Empty;
            p.concession = Some(Concession { over_50m_from_pin: no_pod && k % 2 == 0, no_pod });
        }
    }
    p
}

/// Most failed packages go back to the station half an hour or so after the block; some never
/// do (the UNRETURNED alert).
pub(super) fn returned(rng: &mut ChaCha8Rng, b: &Block) -> Option<i64> {
    (rng.random::<f64>() < 0.9).then(|| b.end + rng.random_range(20 * MINUTE..=45 * MINUTE))
}

pub(super) fn spelling(
    rng: &mut ChaCha8Rng,
    raw: bool,
    canonical: &'static str,
    variants: &[&'static str],
) -> &'static str {
    if raw { variants[rng.random_range(0..variants.len())] } else { canonical }
}

pub(super) fn weighted(rng: &mut ChaCha8Rng, table: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = table.iter().map(|&(_, w)| w).sum();
    let mut pick = rng.random_range(0..total.max(1));
    for &(text, weight) in table {
        if pick < weight {
            return text;
        }
        pick -= weight;
    }
    ""
}

/// A driver's fixed attributes.
pub(super) struct DriverPlan {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) station: &'static str,
    /// Multiplies miss and failure rates: most drivers near 0.5 (clean), a few up to 4.5.
    pub(super) quality: f64,
}

impl DriverPlan {
    pub(super) fn new(i: usize, rng: &mut ChaCha8Rng) -> DriverPlan {
        let u: f64 = rng.random();
        // u⁶ by multiplication: `powi` may round differently across platforms.
        let u3 = u * u * u;
        let quality = SCRIPTED_QUALITY.get(i).copied().unwrap_or(0.5 + 4.0 * u3 * u3);
        let (first_count, last_count) = (FIRST_NAMES.len(), LAST_NAMES.len());
        let a = i % first_count;
        let b = (i / first_count + 5 * a) % last_count;
        let (first, last) = (FIRST_NAMES[a], LAST_NAMES[b]);
        // Names repeat after every first × last combination; a number keeps emails unique.
        let round = i / (first_count * last_count);
        let suffix = if round > 0 { (round + 1).to_string() } else { String::new() };
        let mut id = String::new();
        put_id(&mut id, "D", i as u64 + 1, 5);
        DriverPlan {
            id,
            name: format!("{first} {last}"),
            email: format!("{}.{}{suffix}@example.com", email_part(first), email_part(last)),
            station: STATIONS[i % STATIONS.len()],
            quality,
        }
    }
}

pub(super) fn email_part(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The generation in progress: output files, counters and reused buffers.
pub(super) struct Generation<'a> {
    pub(super) opts: &'a GenerateOptions,
    pub(super) clock: Clock,
    pub(super) photos_dir: PathBuf,
    pub(super) blocks: Sink,
    pub(super) deliveries: Sink,
    pub(super) roster: Sink,
    pub(super) reports: super::reports::Reports,
    pub(super) summary: GenerateSummary,
    pub(super) random_photos: usize,
    pub(super) packages: Vec<Package>,
    pub(super) block_id: String,
    pub(super) tracking_id: String,
    pub(super) photo: String,
}

impl Generation<'_> {
    pub(super) fn driver(&mut self, i: usize) -> Result<(), GenerateError> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        rng.set_stream(i as u64);
        let driver = DriverPlan::new(i, &mut rng);
        let last = self.opts.days.checked_sub(1);
        let deactivated_on = (i == DEACTIVATED).then(|| last.map_or(0, |l| l.saturating_sub(DEACTIVATED_DAYS)));

        let (status, deactivated_date) = match deactivated_on {
            Some(day) => ("deactivated", self.clock.date(i64::from(day))),
            None => ("active", &b""[..]),
        };
        self.roster.row([
            driver.id.as_bytes(),
            driver.name.as_bytes(),
            driver.email.as_bytes(),
            status.as_bytes(),
            deactivated_date,
        ])?;

        let Some(last) = last else { return Ok(()) };
        for day in 0..=last {
            if deactivated_on.is_some_and(|cut| day >= cut) {
                break;
            }
            let edge = Edge::on(i, day, last);
            let worked = rng.random::<f64>() < WORKED_SHARE;
            let plan = match edge {
                Some(edge) => edge.block(),
                None if worked => random_block(&mut rng, driver.quality),
                None => continue,
            };
            // Driver-major numbering keeps ids unique without shared state.
            let index = i as u64 * u64::from(self.opts.days) + u64::from(day);
            self.block(&driver, &mut rng, index, day, plan, edge)?;
        }
        Ok(())
    }

    pub(super) fn block(
        &mut self,
        driver: &DriverPlan,
        rng: &mut ChaCha8Rng,
        index: u64,
        day: u32,
        plan: ScheduledBlock,
        edge: Option<Edge>,
    ) -> Result<(), GenerateError> {
        let start = i64::from(day) * DAY + SLOTS[plan.slot % SLOTS.len()];
        let end = start + BLOCK_LENGTH;
        let (checked_in, cancelled) = match plan.arrival {
            Arrival::CheckIn(offset) => (Some(start + offset), None),
            Arrival::Cancel(offset) => (None, Some(start + offset)),
            Arrival::NoShow => (None, None),
        };
        // A driver leaves at least five minutes after checking in.
        let departed = checked_in.map(|c| (start + plan.depart).max(c + 5 * MINUTE));

        put_id(&mut self.block_id, "B", index + 1, 9);
        let mut bufs = [[0u8; 19]; 5];
        let [b_start, b_end, b_in, b_cancel, b_departed] = &mut bufs;
        let clock = &self.clock;
        self.blocks.row([
            driver.id.as_bytes(),
            driver.name.as_bytes(),
            self.block_id.as_bytes(),
            driver.station.as_bytes(),
            clock.stamp(start, b_start),
            clock.stamp(end, b_end),
            clock.stamp_opt(checked_in, b_in),
            clock.stamp_opt(cancelled, b_cancel),
            clock.stamp_opt(departed, b_departed),
        ])?;
        self.summary.blocks += 1;

        let Some(departed) = departed else {
            return Ok(());
        };
        let block = Block { start, end, departed };
        let n = rng.random_range(MIN_PACKAGES..=MAX_PACKAGES);
        let mut budget = RANDOM_PHOTOS.saturating_sub(self.random_photos);
        self.packages.clear();
        for k in 0..n {
            let p = random_package(rng, &block, (k, n), driver.quality, &mut budget);
            self.packages.push(p);
        }
        self.random_photos = RANDOM_PHOTOS - budget;
        if let Some(edge) = edge {
            edge.script(&mut self.packages, &block);
        }
        // Taken out for the loop, which needs `self` mutably, and put back to reuse its allocation.
        let packages = std::mem::take(&mut self.packages);
        let written = packages
            .iter()
            .zip(0..)
            .try_for_each(|(p, k)| self.package(driver, index, index * MAX_PACKAGES + k + 1, p));
        self.packages = packages;
        written?;
        self.reports.pickup_failed(&self.clock, driver, index, start)
    }

    pub(super) fn package(
        &mut self,
        driver: &DriverPlan,
        block_index: u64,
        tracking_number: u64,
        p: &Package,
    ) -> Result<(), GenerateError> {
        put_id(&mut self.tracking_id, "TBA", tracking_number, 10);
        self.photo.clear();
        match p.photo {
            Photo::Empty => {}
            Photo::Pod => {
                let name = format!("{}.jpg", self.tracking_id);
                self.write_photo(&name)?;
                self.photo = format!("photos/{name}");
            }
            Photo::PodAndGate => {
                let pod = format!("{}.jpg", self.tracking_id);
                let gate = format!("{}-gate.jpg", self.tracking_id);
                self.write_photo(&pod)?;
                self.write_photo(&gate)?;
                self.photo = format!("photos/{pod};photos/{gate}");
            }
        }
        // A claim of the concessions report is left out of the deliveries' dnr columns.
        let in_deliveries = p.dnr_reported_at.filter(|_| p.concession.is_none());
        self.reports.package(&self.clock, driver, block_index, tracking_number, &self.tracking_id, p)?;
        let mut bufs = [[0u8; 19]; 4];
        let [b_due, b_at, b_returned, b_dnr] = &mut bufs;
        let contacts = p.contacts.map(|c| [b'0' + c.min(9)]);
        let clock = &self.clock;
        self.deliveries.row([
            self.tracking_id.as_bytes(),
            driver.id.as_bytes(),
            self.block_id.as_bytes(),
            clock.stamp(p.deliver_by, b_due),
            clock.stamp_opt(p.attempted_at, b_at),
            p.outcome.as_bytes(),
            p.reason.as_bytes(),
            clock.stamp_opt(p.returned_at, b_returned),
            if in_deliveries.is_some() { &b"Y"[..] } else { &b""[..] },
            clock.stamp_opt(in_deliveries, b_dnr),
            contacts.as_ref().map_or(&[][..], |c| &c[..]),
            self.photo.as_bytes(),
            p.notes.as_bytes(),
        ])?;
        self.summary.packages += 1;
        Ok(())
    }

    pub(super) fn write_photo(&mut self, name: &str) -> Result<(), GenerateError> {
        let path = self.photos_dir.join(name);
        fs::write(&path, TINY_JPEG).map_err(|error| GenerateError::Write { path, error })?;
        self.summary.photos += 1;
        Ok(())
    }
}
