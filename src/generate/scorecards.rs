//! A synthetic DSP for DSP mode (SPEC §7): `das` delivery associates over `weeks` weeks,
//! written as Amazon gives them — one "DSP Overview" scorecard file per week
//! (`scorecards/DSP Overview Week NN YYYY.csv`), the return-to-station report of their
//! undelivered packages (`dsp-exceptions.csv`, the RTS header generation) and the DNR
//! concessions of their claims (`dsp-concessions.csv`). Every value comes from a hash of
//! (seed, DA, week, item): the same options give the same bytes.
//!
//! The scorecards hold what the reports say: DCR from the delivered and the counted
//! undelivered, DNR DPMO from the claims. Tiers come from bounds Standwatch does not ship
//! ([`HIDDEN`]), so that calibration has something to learn; the first half of the weeks
//! use Fantastic Plus … Poor, the rest the 2025 scale, and only even weeks give the
//! per-metric tier columns.

use super::GenerateError;
use super::write::Sink;
use crate::scorecard::metrics::{DspMetric, DspTier, Scale};
use crate::scorecard::week::{Week, WeekStart};
use chrono::NaiveDate;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DspOptions {
    pub das: usize,
    pub weeks: u32,
    pub seed: u64,
    /// A day of the first week.
    pub start: NaiveDate,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DspSummary {
    pub das: usize,
    pub weeks: u32,
    pub scorecard_rows: usize,
    pub exceptions: usize,
    pub concessions: usize,
}

const SCORECARD_HEADER: [&str; 20] = [
    "Week",
    "Transporter ID",
    "Delivery Associate ",
    "Overall Standing",
    "Overall Score",
    "Packages Delivered",
    "FICO Metric",
    "Seatbelt-Off Rate (per trip)",
    "Speeding Event Rate (per trip)",
    "Distractions Rate (per trip)",
    "Following Distance Rate (per trip)",
    "Sign/ Signal Violations Rate (per trip)",
    "CDF DPMO",
    "CED",
    "DCR",
    "DNR DPMO",
    "POD",
    "CC",
    "DSB",
    "PSB",
];

/// The per-metric tier columns of the weeks that have them.
const TIER_HEADER: [&str; 5] = ["DCR Tier", "DNR DPMO Tier", "POD Tier", "CC Tier", "FICO Tier"];
const TIERED: [DspMetric; 5] = [DspMetric::Dcr, DspMetric::DnrDpmo, DspMetric::Pod, DspMetric::Cc, DspMetric::Fico];

const RTS_HEADER: [&str; 9] = [
    "Delivery Associate",
    "Tracking ID",
    "Transporter ID",
    "Impact DCR",
    "DA Selected RTS Code",
    "Additional Information",
    "Exemption Reason",
    "Planned Delivery Date",
    "Service Area",
];

/// The same headers as the Flex generator's concessions report (the newer generation).
const CONCESSIONS_HEADER: [&str; 9] = [
    "Tracking ID",
    "Transporter ID",
    "Delivery Associate",
    "Concession Date",
    "Delivery Date",
    "Delivered > 50 m",
    "No POD on Delivery",
    "Scanned - Not Delivered - Not Returned",
    "Service Area",
];

/// RTS codes DAs select, the ones with a dispute ground among them.
const RTS_CODES: [&str; 8] = [
    "BUSINESS CLOSED",
    "UNSAFE DUE TO DOG",
    "TR CANCELLED",
    "NO SECURE LOCATION",
    "CUSTOMER UNAVAILABLE",
    "UNABLE TO ACCESS",
    "OTP NOT AVAILABLE",
    "NO ITEMS DELIVERED",
];

const FIRST_NAMES: [&str; 16] = [
    "Ana", "Ben", "Chloé", "Dev", "Eve", "Farid", "Grace", "Hugo", "Ines", "Jamal", "Keiko", "Luis", "Mei", "Nora",
    "Omar", "Priya",
];
const LAST_NAMES: [&str; 12] =
    ["Souza", "Okafor", "Martin", "Patel", "Ito", "Haddad", "Kim", "Rossi", "Nowak", "Silva", "Brown", "Garcia"];
const STATIONS: [&str; 2] = ["DLA9", "DXT4"];

/// Bounds behind the generated tiers: (metric, Fantastic, Great, Fair) — near the shipped
/// defaults, not equal to them.
const HIDDEN: [(DspMetric, f64, f64, f64); 5] = [
    (DspMetric::Dcr, 0.994, 0.988, 0.978),
    (DspMetric::DnrDpmo, 1200.0, 2200.0, 3300.0),
    (DspMetric::Pod, 0.992, 0.982, 0.968),
    (DspMetric::Cc, 0.985, 0.955, 0.92),
    (DspMetric::Fico, 810.0, 760.0, 705.0),
];

/// splitmix64 of the parts, chained.
fn hash(parts: &[u64]) -> u64 {
    parts.iter().fold(0x5EED_u64, |acc, p| {
        let mut z = (acc ^ p).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// A number in `0..n` from the parts.
fn pick(parts: &[u64], n: u64) -> u64 {
    hash(parts) % n.max(1)
}

/// A transporter id as Amazon writes them: `A` and 13 letters and digits.
pub fn da_id(seed: u64, da: usize) -> String {
    const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut id = String::from("A");
    for k in 0..13u64 {
        id.push(char::from(ALPHABET[pick(&[seed, da as u64, 77, k], 36) as usize]));
    }
    id
}

/// The tier of a value by [`HIDDEN`], and its steps below the best (0 Fantastic or Platinum).
fn tier_of(metric: DspMetric, value: f64, scale: Scale) -> (usize, DspTier) {
    let (_, fantastic, great, fair) = HIDDEN.iter().copied().find(|h| h.0 == metric).unwrap_or((metric, 0.0, 0.0, 0.0));
    let meets = |b: f64| if metric.higher_is_better() { value >= b } else { value <= b };
    let rank = [fantastic, great, fair].into_iter().position(meets).unwrap_or(3);
    let tier = match scale {
        Scale::Classic => [DspTier::Fantastic, DspTier::Great, DspTier::Fair, DspTier::Poor][rank],
        Scale::Named2025 => [DspTier::Platinum, DspTier::Gold, DspTier::Silver, DspTier::Bronze][rank],
    };
    (rank, tier)
}

/// The overall standing of a score (Amazon's bands: Fantastic Plus 93, Fantastic 85, Great
/// 75, Fair 60 here).
fn overall_of(score: f64, scale: Scale) -> DspTier {
    let rank = [93.0, 85.0, 75.0, 60.0].into_iter().position(|b| score >= b).unwrap_or(4);
    match scale {
        Scale::Classic => Scale::Classic.tiers()[rank],
        Scale::Named2025 => Scale::Named2025.tiers()[rank.saturating_sub(1).min(3)],
    }
}

/// Writes the DSP into `out`: `scorecards/`, `dsp-exceptions.csv`, `dsp-concessions.csv`.
pub fn generate_dsp(opts: &DspOptions, out: &Path) -> Result<DspSummary, GenerateError> {
    let dir = out.join("scorecards");
    std::fs::create_dir_all(&dir).map_err(|error| GenerateError::CreateDir { path: dir.clone(), error })?;
    let mut exceptions = Sink::create(out.join("dsp-exceptions.csv"), &RTS_HEADER)?;
    let mut concessions = Sink::create(out.join("dsp-concessions.csv"), &CONCESSIONS_HEADER)?;
    let first = Week::of_day(crate::import::time::day_from_date(opts.start), WeekStart::Sunday);
    let mut summary = DspSummary { das: opts.das, weeks: opts.weeks, ..DspSummary::default() };
    let seed = opts.seed;
    let mut week = first;
    let mut package = 0u64;
    for w in 0..opts.weeks {
        let scale = if w < opts.weeks.div_ceil(2) { Scale::Classic } else { Scale::Named2025 };
        let tiered = w % 2 == 1;
        let mut header: Vec<&str> = SCORECARD_HEADER.to_vec();
        if tiered {
            header.extend(TIER_HEADER);
        }
        let name = format!("DSP Overview Week {} {}.csv", week.number, week.year);
        let mut sink = Sink::create(dir.join(name), &header)?;
        let start = week.start(WeekStart::Sunday);
        for da in 0..opts.das {
            let id = da_id(seed, da);
            let who = format!(
                "{} {}",
                FIRST_NAMES[da % FIRST_NAMES.len()],
                LAST_NAMES[(da / FIRST_NAMES.len() + da) % LAST_NAMES.len()]
            );
            let station = STATIONS[da % STATIONS.len()];
            let at = |item: u64| [seed, da as u64, u64::from(w), item];
            // A few DAs have a hard week now and then; most are steady.
            let rough = pick(&at(1), 10) == 0 || (da % 7 == 3 && w + 1 == opts.weeks);
            let delivered = 800 + pick(&at(2), 600);
            let undelivered = if rough { 6 + pick(&at(3), 10) } else { pick(&at(3), 3) };
            let claims = if rough { 2 + pick(&at(4), 3) } else { u64::from(pick(&at(4), 4) == 0) };
            let mut counted = 0;
            for k in 0..undelivered {
                package += 1;
                let code = RTS_CODES[pick(&at(100 + k), RTS_CODES.len() as u64) as usize];
                let counts = pick(&at(200 + k), 12) != 0;
                counted += u64::from(counts);
                let day = start + pick(&at(300 + k), 7) as i32;
                exceptions.row([
                    who.as_str(),
                    &format!("TBA{:010}", 800_000_000 + package),
                    &id,
                    if counts { "Yes" } else { "No" },
                    code,
                    if code == "UNSAFE DUE TO DOG" { "Dog loose at the gate" } else { "" },
                    if counts { "" } else { "Weather exemption" },
                    &crate::report::day_text(day),
                    station,
                ])?;
                summary.exceptions += 1;
            }
            for k in 0..claims {
                package += 1;
                let delivered_on = start + pick(&at(400 + k), 6) as i32;
                let far = pick(&at(500 + k), 3) == 0;
                let yes_no = |b: bool| if b { "Y" } else { "N" };
                concessions.row([
                    format!("TBA{:010}", 800_000_000 + package).as_str(),
                    &id,
                    &who,
                    &crate::report::day_text(delivered_on + 2),
                    &crate::report::day_text(delivered_on),
                    yes_no(far),
                    yes_no(far && pick(&at(600 + k), 2) == 0),
                    "N",
                    station,
                ])?;
                summary.concessions += 1;
            }
            let n = delivered as f64;
            let dcr = (n / (n + counted as f64) * 1000.0).round() / 1000.0;
            let dnr = (claims as f64 * 1e6 / n).round();
            // Most weeks are steady: POD and CC near 100 %, a DA's FICO near their own level.
            let pod = (1000.0 - pick(&at(5), if rough { 45 } else { 8 }) as f64).round() / 1000.0;
            let cc = (1000.0 - pick(&at(6), if rough { 90 } else { 16 }) as f64) / 1000.0;
            let cdf = if pick(&at(7), 8) == 0 { (1 + pick(&at(8), 3)) as f64 * 1e6 / n } else { 0.0 };
            let ced = u64::from(rough && pick(&at(9), 3) == 0);
            let dsb = if pick(&at(10), 10) == 0 { 1e6 / n } else { 0.0 };
            let fico = 690 + pick(&[seed, da as u64, 11], 150) + pick(&at(11), 12);
            let values = [dcr, dnr, pod, cc, fico as f64];
            let tiers: Vec<(usize, DspTier)> = TIERED.iter().zip(values).map(|(m, v)| tier_of(*m, v, scale)).collect();
            // The score: 100 less a weight per step down each metric's tiers.
            let steps: usize = tiers.iter().map(|t| t.0).sum::<usize>() + ced as usize * 2;
            let score = (100.0 - steps as f64 * 6.5 - pick(&at(12), 5) as f64).max(35.0);
            let pct = |v: f64| format!("{:.1}%", v * 100.0);
            let rate = |item: u64| {
                if pick(&at(item), 12) == 0 {
                    format!("{:.2}", pick(&at(item + 1), 20) as f64 / 100.0)
                } else {
                    "0".into()
                }
            };
            let mut row = vec![
                week.label(),
                id.clone(),
                who.clone(),
                overall_of(score, scale).label().to_string(),
                format!("{score:.1}"),
                crate::scorecard::metrics::with_thousands(delivered as i64),
                fico.to_string(),
                rate(20),
                rate(22),
                rate(24),
                rate(26),
                rate(28),
                format!("{}", cdf.round() as i64),
                ced.to_string(),
                pct(dcr),
                format!("{}", dnr as i64),
                pct(pod),
                pct(cc),
                format!("{}", dsb.round() as i64),
                "0".to_string(),
            ];
            if tiered {
                row.extend(tiers.iter().map(|t| t.1.label().to_string()));
            }
            sink.row(&row)?;
            summary.scorecard_rows += 1;
        }
        sink.finish()?;
        week = Week::of_day(week.end(WeekStart::Sunday) + 1, WeekStart::Sunday);
    }
    exceptions.finish()?;
    concessions.finish()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_options_give_the_same_bytes_and_ids_look_like_amazons() {
        let opts = DspOptions { das: 12, weeks: 3, seed: 5, start: NaiveDate::from_ymd_opt(2026, 4, 20).unwrap() };
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let summary = generate_dsp(&opts, a.path()).unwrap();
        generate_dsp(&opts, b.path()).unwrap();
        assert_eq!(summary.scorecard_rows, 36);
        for file in ["dsp-exceptions.csv", "dsp-concessions.csv", "scorecards/DSP Overview Week 17 2026.csv"] {
            assert_eq!(std::fs::read(a.path().join(file)).unwrap(), std::fs::read(b.path().join(file)).unwrap());
        }
        let id = da_id(5, 0);
        assert!(id.len() == 14 && id.starts_with('A') && id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
        assert!(a.path().join("scorecards/DSP Overview Week 19 2026.csv").exists());
    }
}
