//! Deterministic synthetic fleet data for `standwatch generate`, the bundled sample data, the
//! tests and the speed benchmark: the canonical CSVs of docs/rules.md §1 plus a handful of photo files.
//!
//! Every driver draws from its own ChaCha8 stream (seed = `seed`, stream = driver index), so the
//! bytes written depend only on the options, never on the platform. On top of the random bulk,
//! the first ten drivers carry scripted edge cases on days counted back from the last day (see
//! [`EDGES`]), so that every rule boundary and dispute ground of docs/rules.md §2–§9 shows up, inside the
//! current standing windows, in any fleet of at least 10 drivers and 14 days.

mod edge_cases;
mod fleet;
mod reports;
mod scorecards;
mod write;

pub use scorecards::{DspOptions, DspSummary, da_id, generate_dsp};

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, TimeDelta};
use fleet::Generation;
use write::{Clock, Sink};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of drivers, `D00001` upwards.
    pub drivers: usize,
    /// Number of calendar days, from `start` on.
    pub days: u32,
    /// Seed of the random streams: the same options always give the same bytes.
    pub seed: u64,
    /// First generated day.
    pub start: NaiveDate,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateSummary {
    /// Drivers (rows of roster.csv).
    pub drivers: usize,
    /// Rows of blocks.csv.
    pub blocks: usize,
    /// Rows of deliveries.csv.
    pub packages: usize,
    /// Files written under `photos/`.
    pub photos: usize,
}

/// Why generation failed; every variant names the path or the dates at fault.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("cannot create folder {}: {error}", path.display())]
    CreateDir { path: PathBuf, error: io::Error },
    #[error("cannot write {}: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
    #[error("dates out of range: {days} days from {start} go past year 9999")]
    DateRange { start: NaiveDate, days: u32 },
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
const BLOCK_LENGTH: i64 = 4 * HOUR;
/// Block start times of day: the four waves of a delivery station.
const SLOTS: [i64; 4] = [7 * HOUR, 10 * HOUR + 30 * MINUTE, 15 * HOUR, 18 * HOUR + 15 * MINUTE];
const STATIONS: [&str; 4] = ["DXT4", "DXT6", "DCK1", "DLA9"];
/// Share of days a driver has a block.
const WORKED_SHARE: f64 = 0.6;
const MIN_PACKAGES: u64 = 25;
/// Also the stride of tracking ids per block, which keeps them unique.
const MAX_PACKAGES: u64 = 48;
/// Photo files for random DNR claims; the scripted cases add three, so a fleet of any size
/// writes at most 19 files.
const RANDOM_PHOTOS: usize = 16;
/// Share of raw outcomes written in a real-world spelling rather than the canonical one.
const RAW_SPELLING_SHARE: f64 = 0.03;
/// Days of the date table around the generated range: an on-time cancel falls the day before
/// its block, a DNR claim up to six days after the delivery.
const DAYS_BEFORE: i64 = 2;
const DAYS_AFTER: i64 = 8;
/// The driver who is deactivated, `DEACTIVATED_DAYS` before the last day, after a poor record.
const DEACTIVATED: usize = 9;
const DEACTIVATED_DAYS: u32 = 3;

const BLOCKS_HEADER: [&str; 9] = [
    "driver_id",
    "driver_name",
    "block_id",
    "station",
    "block_start",
    "block_end",
    "checked_in_at",
    "cancelled_at",
    "departed_at",
];
const DELIVERIES_HEADER: [&str; 13] = [
    "tracking_id",
    "driver_id",
    "block_id",
    "deliver_by",
    "attempted_at",
    "outcome",
    "reason",
    "returned_at",
    "dnr",
    "dnr_reported_at",
    "contact_attempts",
    "photo",
    "notes",
];
const ROSTER_HEADER: [&str; 5] = ["driver_id", "driver_name", "email", "status", "deactivated_on"];
const OUTAGES_HEADER: [&str; 4] = ["start", "end", "description", "station"];
const FIRST_NAMES: [&str; 32] = [
    "Maria", "James", "Aisha", "Carlos", "Wei", "Olivia", "Dmitri", "Fatima", "Liam", "Priya", "Mateo", "Grace",
    "Kwame", "Sofia", "Ethan", "Mei", "Omar", "Chloe", "Diego", "Hannah", "Tariq", "Ava", "Ivan", "Lucia", "Noah",
    "Yuki", "Samuel", "Amara", "Lucas", "Nadia", "Jamal", "Elena",
];
const LAST_NAMES: [&str; 32] = [
    "Garcia",
    "Smith",
    "Khan",
    "Nguyen",
    "Johnson",
    "Okafor",
    "Rossi",
    "Kim",
    "Patel",
    "O'Brien",
    "Hernandez",
    "Chen",
    "Williams",
    "Novak",
    "Silva",
    "Brown",
    "Haddad",
    "Lopez",
    "Kowalski",
    "Davis",
    "Tanaka",
    "Mensah",
    "Ali",
    "Martin",
    "Ivanova",
    "Reyes",
    "Cohen",
    "Wilson",
    "Singh",
    "Park",
    "Moreau",
    "Smith-Jones",
];

/// Raw failed-attempt reasons as drivers pick them, with weights; the spread of wordings
/// exercises the reason normalisation of docs/rules.md §1.6.
const ATTEMPT_REASONS: [(&str, u32); 16] = [
    ("Customer unavailable", 20),
    ("Unable to access - gate locked", 10),
    ("No safe location", 10),
    ("Business Closed", 10),
    ("Address not found", 8),
    ("Nobody home", 6),
    ("Missing or incorrect access code", 6),
    ("Inaccessible delivery location", 3),
    ("Damaged", 4),
    ("Unsafe - aggressive dog", 3),
    ("App glitch - scan failure", 3),
    ("Customer refused ID", 2),
    ("Weather - heavy rain", 3),
    ("Refused by customer", 2),
    ("Other: customer asked to reschedule", 3),
    ("Other: locker full, no space", 2),
];
const NOT_ATTEMPTED_REASONS: [&str; 5] =
    ["Out of drive time", "", "Out of drive time", "Other: package not found in vehicle", "Ran out of time"];
const DELIVERED_SPELLINGS: [&str; 3] = ["Delivered to customer", "Delivered", "Delivered to locker"];
const ATTEMPTED_SPELLINGS: [&str; 4] = ["RTS", "Undeliverable", "Returned to station", "Attempted"];
const NOT_ATTEMPTED_SPELLINGS: [&str; 3] = ["Not Attempted", "Missing", "no-attempt"];

/// Outage windows: days before the last day, start and end time of day, description,
/// stations (empty: the whole fleet). The morning one covers the 07:00
/// [`Edge::OutageBlock`] blocks and the 10:30 wave of that day; the cellular one only DLA9.
const OUTAGES: [(u32, i64, i64, &str, &str); 3] = [
    (
        12,
        17 * HOUR,
        20 * HOUR + 30 * MINUTE,
        "Cellular network outage around DLA9, scans and check-ins delayed",
        "DLA9",
    ),
    (
        9,
        14 * HOUR + 30 * MINUTE,
        16 * HOUR,
        "Flex app: \"Unable to load itinerary\" for all blocks, support code 05-112",
        "",
    ),
    (4, 6 * HOUR, 12 * HOUR, "Flex app sign-in outage, support code 03-005; Amazon: will not affect reliability", ""),
];

/// Quality factors of the scripted drivers (multiplying miss and failure rates, 1 = typical),
/// chosen so that a small fleet still shows all four tiers.
const SCRIPTED_QUALITY: [f64; 10] = [0.5, 0.9, 1.2, 0.6, 1.8, 0.7, 1.0, 2.6, 1.4, 4.5];

fn write_outages(path: PathBuf, clock: &Clock, days: u32) -> Result<(), GenerateError> {
    let mut sink = Sink::create(path, &OUTAGES_HEADER)?;
    if let Some(last) = days.checked_sub(1) {
        let mut windows: Vec<(i64, i64, &str, &str)> = OUTAGES
            .iter()
            .map(|&(back, from, to, text, stations)| {
                let day = i64::from(last.saturating_sub(back)) * DAY;
                (day + from, day + to, text, stations)
            })
            .collect();
        windows.sort_unstable();
        for (from, to, text, stations) in windows {
            let (mut b_from, mut b_to) = ([0u8; 19], [0u8; 19]);
            sink.row([
                clock.stamp(from, &mut b_from),
                clock.stamp(to, &mut b_to),
                text.as_bytes(),
                stations.as_bytes(),
            ])?;
        }
    }
    sink.finish()
}

/// Writes the synthetic fleet into `out` (created if needed): blocks.csv, deliveries.csv,
/// roster.csv, outages.csv, concessions.csv (most random DNR claims, as Amazon's concessions
/// report gives them), exceptions.csv (the failed attempts and the packages never handed
/// over, as Amazon's package exceptions report gives them, with addresses) and
/// `photos/*.jpg` for the photographed DNR claims and the gate.
pub fn generate(opts: &GenerateOptions, out: &Path) -> Result<GenerateSummary, GenerateError> {
    let photos_dir = out.join("photos");
    fs::create_dir_all(&photos_dir).map_err(|error| GenerateError::CreateDir { path: photos_dir.clone(), error })?;
    let clock = Clock::new(opts.start, opts.days)?;
    let mut fleet = Generation {
        opts,
        blocks: Sink::create(out.join("blocks.csv"), &BLOCKS_HEADER)?,
        deliveries: Sink::create(out.join("deliveries.csv"), &DELIVERIES_HEADER)?,
        roster: Sink::create(out.join("roster.csv"), &ROSTER_HEADER)?,
        reports: reports::Reports::new(
            Sink::create(out.join("concessions.csv"), &reports::CONCESSIONS_HEADER)?,
            Sink::create(out.join("exceptions.csv"), &reports::EXCEPTIONS_HEADER)?,
            opts.drivers,
        ),
        clock,
        photos_dir,
        summary: GenerateSummary { drivers: opts.drivers, blocks: 0, packages: 0, photos: 0 },
        random_photos: 0,
        packages: Vec::with_capacity(MAX_PACKAGES as usize),
        block_id: String::new(),
        tracking_id: String::new(),
        photo: String::new(),
    };
    for i in 0..opts.drivers {
        fleet.driver(i)?;
    }
    write_outages(out.join("outages.csv"), &fleet.clock, opts.days)?;
    let summary = fleet.summary;
    fleet.blocks.finish()?;
    fleet.deliveries.finish()?;
    fleet.roster.finish()?;
    fleet.reports.finish()?;
    Ok(summary)
}

/// A valid 16×16 baseline JPEG (a colour gradient, standard Huffman tables, 639 bytes), written
/// as the photo evidence: real enough for viewers, mail clients and thumbnails.
const TINY_JPEG: &[u8] = &[
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x1b, 0x12, 0x14, 0x17, 0x14, 0x11, 0x1b, 0x17, 0x16, 0x17, 0x1e, 0x1c, 0x1b,
    0x20, 0x28, 0x42, 0x2b, 0x28, 0x25, 0x25, 0x28, 0x51, 0x3a, 0x3d, 0x30, 0x42, 0x60, 0x55, 0x65, 0x64, 0x5f, 0x55,
    0x5d, 0x5b, 0x6a, 0x78, 0x99, 0x81, 0x6a, 0x71, 0x90, 0x73, 0x5b, 0x5d, 0x85, 0xb5, 0x86, 0x90, 0x9e, 0xa3, 0xab,
    0xad, 0xab, 0x67, 0x80, 0xbc, 0xc9, 0xba, 0xa6, 0xc7, 0x99, 0xa8, 0xab, 0xa4, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x1c,
    0x1e, 0x1e, 0x28, 0x23, 0x28, 0x4e, 0x2b, 0x2b, 0x4e, 0xa4, 0x6e, 0x5d, 0x6e, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4,
    0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4,
    0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4,
    0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xa4, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00,
    0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x10, 0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00,
    0x00, 0x01, 0x7d, 0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62,
    0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
    0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85,
    0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
    0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
    0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
    0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xc4, 0x00, 0x1f, 0x01, 0x00,
    0x03, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03,
    0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x11, 0x00, 0x02, 0x01, 0x02, 0x04, 0x04,
    0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77, 0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31,
    0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09,
    0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a,
    0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a,
    0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75,
    0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96,
    0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
    0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8,
    0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
    0xfa, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0x45, 0x4a, 0x95, 0x52,
    0x9c, 0xa9, 0x52, 0xaa, 0x56, 0x75, 0x24, 0x3a, 0x53, 0x3f, 0xff, 0xd9,
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use fleet::DriverPlan;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::collections::HashMap;

    type Row = HashMap<String, String>;

    fn options(drivers: usize, days: u32, seed: u64) -> GenerateOptions {
        GenerateOptions { drivers, days, seed, start: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() }
    }

    fn run(opts: &GenerateOptions) -> (tempfile::TempDir, GenerateSummary) {
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(opts, dir.path()).unwrap();
        (dir, summary)
    }

    fn rows(dir: &Path, file: &str) -> Vec<Row> {
        let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
        let headers = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
            })
            .collect()
    }

    fn ts(row: &Row, field: &str) -> Option<NaiveDateTime> {
        let value = &row[field];
        (!value.is_empty()).then(|| NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S").unwrap())
    }

    fn secs(a: Option<NaiveDateTime>, b: Option<NaiveDateTime>) -> Option<i64> {
        Some((a? - b?).num_seconds())
    }

    /// The generated files of the smallest fleet that must hold every edge case.
    struct Small {
        dir: tempfile::TempDir,
        blocks: Vec<Row>,
        deliveries: Vec<Row>,
        blocks_by_id: HashMap<String, Row>,
    }

    fn small(seed: u64) -> Small {
        let (dir, _) = run(&options(10, 14, seed));
        let blocks = rows(dir.path(), "blocks.csv");
        let deliveries = rows(dir.path(), "deliveries.csv");
        let blocks_by_id = blocks.iter().map(|b| (b["block_id"].clone(), b.clone())).collect();
        Small { dir, blocks, deliveries, blocks_by_id }
    }

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for sub in [dir.to_path_buf(), dir.join("photos")] {
            for entry in fs::read_dir(&sub).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let name = path.strip_prefix(dir).unwrap().display().to_string();
                    out.push((name, fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_bytes_other_seed_differs() {
        let (a, sa) = run(&options(12, 20, 7));
        let (b, sb) = run(&options(12, 20, 7));
        let (c, _) = run(&options(12, 20, 8));
        assert_eq!(sa, sb);
        assert_eq!(files(a.path()), files(b.path()));
        let deliveries = |d: &tempfile::TempDir| fs::read(d.path().join("deliveries.csv")).unwrap();
        assert_ne!(deliveries(&a), deliveries(&c));
    }

    #[test]
    fn headers_are_canonical() {
        let (dir, _) = run(&options(3, 3, 1));
        let first_line = |file: &str| {
            let text = fs::read_to_string(dir.path().join(file)).unwrap();
            text.lines().next().unwrap().to_string()
        };
        assert_eq!(
            first_line("blocks.csv"),
            "driver_id,driver_name,block_id,station,block_start,block_end,checked_in_at,cancelled_at,departed_at"
        );
        assert_eq!(
            first_line("deliveries.csv"),
            "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,returned_at,dnr,dnr_reported_at,contact_attempts,photo,notes"
        );
        assert_eq!(first_line("roster.csv"), "driver_id,driver_name,email,status,deactivated_on");
        assert_eq!(first_line("outages.csv"), "start,end,description,station");
    }

    #[test]
    fn summary_counts_rows_and_empty_fleets_work() {
        let (dir, summary) = run(&options(15, 30, 3));
        assert_eq!(summary.drivers, 15);
        assert_eq!(summary.blocks, rows(dir.path(), "blocks.csv").len());
        assert_eq!(summary.packages, rows(dir.path(), "deliveries.csv").len());
        assert_eq!(rows(dir.path(), "roster.csv").len(), 15);
        for (drivers, days) in [(0, 0), (0, 5), (3, 0), (11, 1)] {
            let (dir, summary) = run(&options(drivers, days, 1));
            assert_eq!(summary.blocks, rows(dir.path(), "blocks.csv").len());
            assert_eq!(rows(dir.path(), "roster.csv").len(), drivers);
        }
    }

    #[test]
    fn block_boundaries_are_on_record() {
        for seed in 1..=3 {
            let s = small(seed);
            let offset = |b: &Row, field: &str| secs(ts(b, field), ts(b, "block_start"));
            let has = |f: &dyn Fn(&Row) -> bool| s.blocks.iter().any(f);
            assert!(has(&|b| offset(b, "checked_in_at") == Some(300)), "check-in at +5:00");
            assert!(has(&|b| offset(b, "checked_in_at") == Some(301)), "check-in at +5:01");
            assert!(has(&|b| offset(b, "cancelled_at") == Some(-2700)), "cancel at -45:00");
            assert!(has(&|b| offset(b, "cancelled_at") == Some(-2699)), "cancel at -44:59");
            assert!(has(&|b| b["checked_in_at"].is_empty() && b["cancelled_at"].is_empty()));

            let delayed: Vec<&Row> = s.blocks.iter().filter(|b| offset(b, "departed_at") == Some(70 * 60)).collect();
            assert!(!delayed.is_empty(), "station delay block");
            let defect_in_delay = s.deliveries.iter().any(|p| {
                delayed.iter().any(|b| b["block_id"] == p["block_id"])
                    && (p["outcome"] == "not_attempted"
                        || secs(ts(p, "attempted_at"), ts(p, "deliver_by")).unwrap_or(0) > 0)
            });
            assert!(defect_in_delay, "defects in the delayed block");
        }
    }

    #[test]
    fn package_grounds_are_on_record() {
        for seed in 1..=3 {
            let s = small(seed);
            let has = |f: &dyn Fn(&Row) -> bool| s.deliveries.iter().any(f);
            let late = |p: &Row| secs(ts(p, "attempted_at"), ts(p, "deliver_by")).unwrap_or(0) > 0;

            assert!(has(&|p| {
                let block = &s.blocks_by_id[&p["block_id"]];
                ts(p, "deliver_by") < ts(block, "departed_at") && late(p)
            }));

            let outages = rows(s.dir.path(), "outages.csv");
            assert!((2..=3).contains(&outages.len()));
            let inside = |t: Option<NaiveDateTime>| {
                outages.iter().any(|o| ts(o, "start") <= t && t <= ts(o, "end") && t.is_some())
            };
            assert!(has(&|p| inside(ts(p, "attempted_at")) && late(p)));
            assert!(s.blocks.iter().any(|b| inside(ts(b, "block_start"))));

            let dnr_photo = s
                .deliveries
                .iter()
                .find(|p| p["dnr"] == "Y" && p["outcome"] == "delivered" && !p["photo"].is_empty())
                .expect("DNR claim with a photo");
            assert!(s.dir.path().join(&dnr_photo["photo"]).is_file());
            assert!(has(&|p| p["dnr"] == "Y" && p["photo"].is_empty()));

            let attempted = |p: &Row| p["outcome"] == "attempted";
            let contacts = |p: &Row| p["contact_attempts"].parse::<u32>().unwrap_or(0);
            assert!(has(&|p| attempted(p) && p["reason"].contains("Unable to access") && contacts(p) >= 1));
            assert!(has(&|p| attempted(p) && p["reason"] == "Customer unavailable" && contacts(p) >= 1));
            assert!(has(&|p| attempted(p)
                && p["reason"] == "Business Closed"
                && ts(p, "attempted_at") <= ts(p, "deliver_by")));
            for reason in ["Unsafe", "App glitch", "refused ID"] {
                assert!(has(&|p| attempted(p) && p["reason"].contains(reason)), "{reason}");
            }
            assert!(has(&|p| p["outcome"] != "delivered" && p["returned_at"].is_empty()));
        }
    }

    #[test]
    fn roster_has_emails_and_a_poorly_rated_deactivated_driver() {
        let s = small(5);
        let roster = rows(s.dir.path(), "roster.csv");
        assert_eq!(roster.len(), 10);
        for r in &roster {
            let email = &r["email"];
            assert!(email.ends_with("@example.com") && email.contains('.'), "{email}");
        }
        let deactivated: Vec<&Row> = roster.iter().filter(|r| r["status"] == "deactivated").collect();
        assert_eq!(deactivated.len(), 1);
        let (id, on) = (&deactivated[0]["driver_id"], &deactivated[0]["deactivated_on"]);
        assert_eq!(on, "2026-01-15", "3 days before the last day, 2026-01-18");

        let mut theirs: Vec<&Row> = s.blocks.iter().filter(|b| &b["driver_id"] == id).collect();
        assert!(theirs.iter().all(|b| b["block_start"].as_str() < on.as_str()));
        theirs.sort_by(|a, b| a["block_start"].cmp(&b["block_start"]));
        let counted: Vec<&&Row> = theirs
            .iter()
            .filter(|b| secs(ts(b, "block_start"), ts(b, "cancelled_at")).is_none_or(|s| s < 2700))
            .collect();
        let recent = &counted[counted.len().saturating_sub(20)..];
        let on_time = recent
            .iter()
            .filter(|b| {
                b["cancelled_at"].is_empty()
                    && secs(ts(b, "checked_in_at"), ts(b, "block_start")).is_some_and(|s| s <= 300)
            })
            .count();
        assert!((on_time as f64) < 0.8 * recent.len() as f64, "{on_time}/{}", recent.len());
    }

    #[test]
    fn photos_are_few_valid_and_listed() {
        let (dir, summary) = run(&options(120, 90, 11));
        let photos: Vec<PathBuf> =
            fs::read_dir(dir.path().join("photos")).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(photos.len(), summary.photos);
        assert!((3..=20).contains(&photos.len()), "{} photos", photos.len());
        for photo in &photos {
            let bytes = fs::read(photo).unwrap();
            assert!(bytes.starts_with(&[0xff, 0xd8, 0xff]) && bytes.ends_with(&[0xff, 0xd9]));
        }
        let mut listed = 0;
        for p in rows(dir.path(), "deliveries.csv") {
            for path in p["photo"].split(';').filter(|s| !s.is_empty()) {
                assert!(dir.path().join(path).is_file(), "{path} listed but not written");
                listed += 1;
            }
        }
        assert_eq!(listed, photos.len());
    }

    #[test]
    fn dates_past_year_9999_are_an_error() {
        let opts = GenerateOptions { start: NaiveDate::from_ymd_opt(9999, 12, 1).unwrap(), ..options(2, 60, 1) };
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(generate(&opts, dir.path()), Err(GenerateError::DateRange { .. })));
    }

    #[test]
    fn write_errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        fs::write(&file, b"x").unwrap();
        let message = generate(&options(2, 2, 1), &file).unwrap_err().to_string();
        assert!(message.contains("not-a-folder"), "{message}");
    }

    #[test]
    fn emails_stay_unique_past_the_name_combinations() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let emails: std::collections::HashSet<String> = (0..3000).map(|i| DriverPlan::new(i, &mut rng).email).collect();
        assert_eq!(emails.len(), 3000);
        assert!(emails.contains("maria.garcia@example.com"));
        let plain = |e: &String| {
            e.strip_suffix("@example.com")
                .is_some_and(|local| local.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.'))
        };
        assert!(emails.iter().all(plain), "lower-case ASCII local parts");
    }

    #[test]
    fn outcomes_use_known_spellings() {
        let (dir, _) = run(&options(20, 40, 2));
        let known = ["delivered", "attempted", "not_attempted"]
            .into_iter()
            .chain(DELIVERED_SPELLINGS)
            .chain(ATTEMPTED_SPELLINGS)
            .chain(NOT_ATTEMPTED_SPELLINGS)
            .collect::<Vec<_>>();
        let deliveries = rows(dir.path(), "deliveries.csv");
        assert!(deliveries.iter().all(|p| known.contains(&p["outcome"].as_str())));
        assert!(deliveries.iter().any(|p| p["outcome"] == "Delivered to customer" || p["outcome"] == "Delivered"));
    }
}
