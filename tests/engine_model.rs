//! Property test: the standing engine against a tiny naive model written from docs/rules.md §2
//! (explicit lists, linear scans), over random drivers and events, for every day.

use proptest::prelude::*;
use standwatch::config::Thresholds;
use standwatch::import::text::decode_csv;
use standwatch::import::time::{Day, day_from_date};
use standwatch::import::{ImportOptions, load_texts};
use standwatch::standing::Fleet;
use standwatch::standing::alerts::Alert;
use standwatch::standing::rules::tier_label;

const CHECK_INS: [Option<i64>; 6] = [None, Some(-600), Some(0), Some(300), Some(301), Some(1800)];
const CANCELS: [Option<i64>; 5] = [None, Some(-86_400), Some(-2_700), Some(-2_699), Some(600)];
const ATTEMPTS: [Option<i64>; 5] = [None, Some(-3_600), Some(0), Some(1), Some(3_600)];
const HOURS: [i64; 3] = [7, 7, 15];
const OUTCOMES: [&str; 3] = ["delivered", "attempted", "not_attempted"];

#[derive(Debug, Clone)]
struct NBlock {
    driver: usize,
    id: String,
    start: i64,
    check_in: Option<i64>,
    cancel: Option<i64>,
}

#[derive(Debug, Clone)]
struct NPackage {
    driver: usize,
    id: String,
    deliver_by: i64,
    attempted: Option<i64>,
    outcome: usize,
    dnr: bool,
    returned: bool,
}

fn block_strategy() -> impl Strategy<Value = (usize, i64, usize, usize, usize, char)> {
    (0..3usize, 0..20i64, 0..HOURS.len(), 0..CHECK_INS.len(), 0..CANCELS.len(), prop::char::range('a', 'e'))
}

fn package_strategy() -> impl Strategy<Value = (usize, i64, usize, usize, usize, u8, bool, char)> {
    (
        0..3usize,
        0..20i64,
        0..HOURS.len(),
        0..ATTEMPTS.len(),
        0..3usize,
        0..10u8,
        any::<bool>(),
        prop::char::range('a', 'e'),
    )
}

fn ts(secs: i64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    (base + chrono::Duration::seconds(secs)).format("%Y-%m-%d %H:%M:%S").to_string()
}

fn base_day() -> Day {
    day_from_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
}

fn opt_ts(base: i64, off: Option<i64>) -> String {
    off.map(|o| ts(base + o)).unwrap_or_default()
}

/// Naive tiers: 3 Fantastic .. 0 At Risk.
fn rate_tier(rate: f64, t: [f64; 3]) -> u8 {
    t.iter().position(|th| rate >= th - 1e-9).map_or(0, |i| 3 - i as u8)
}

fn dnr_tier(n: u32, t: [u32; 3]) -> u8 {
    t.iter().position(|max| n <= *max).map_or(0, |i| 3 - i as u8)
}

struct Model<'a> {
    t: &'a Thresholds,
    blocks: &'a [NBlock],
    packages: &'a [NPackage],
}

#[derive(Debug, PartialEq)]
struct Expect {
    overall: Option<u8>,
    rel_tier: Option<u8>,
    rel_blocks: usize,
    rel_on_time: usize,
    quality_tier: Option<u8>,
    quality: (usize, usize, usize, usize, u32),
    rel_headroom: Option<u32>,
    blocks_to_next: Option<u32>,
    quality_headroom: Option<u32>,
    packages_to_next: Option<u32>,
    at_risk: bool,
    near_drop: bool,
    tier_drop: bool,
    unreturned: bool,
}

impl Model<'_> {
    fn rel_tier(&self, window: &[bool]) -> Option<u8> {
        let r = &self.t.reliability;
        (!window.is_empty()).then(|| {
            rate_tier(
                window.iter().filter(|x| **x).count() as f64 / window.len() as f64,
                [r.fantastic, r.great, r.fair],
            )
        })
    }

    /// (attempted, delivered, on time, dnr) per package.
    fn quality_tier(&self, window: &[(bool, bool, bool, bool)]) -> Option<u8> {
        if window.is_empty() {
            return None;
        }
        let n = window.len() as f64;
        let share = |f: fn(&(bool, bool, bool, bool)) -> bool| window.iter().filter(|p| f(p)).count() as f64 / n;
        let t = self.t;
        let tiers = [
            rate_tier(share(|p| p.0), [t.attempted.fantastic, t.attempted.great, t.attempted.fair]),
            rate_tier(share(|p| p.1), [t.success.fantastic, t.success.great, t.success.fair]),
            rate_tier(share(|p| p.2), [t.on_time.fantastic, t.on_time.great, t.on_time.fair]),
            dnr_tier(window.iter().filter(|p| p.3).count() as u32, [t.dnr.fantastic, t.dnr.great, t.dnr.fair]),
        ];
        tiers.into_iter().min()
    }

    fn block_window(&self, driver: usize, day: Day) -> Vec<bool> {
        let cut = day - self.t.windows.lag_days as Day;
        let mut counted: Vec<&NBlock> = self
            .blocks
            .iter()
            .filter(|b| b.driver == driver && base_day() + (b.start.div_euclid(86_400)) as Day <= cut)
            .filter(|b| b.cancel.is_none_or(|c| c > -45 * 60))
            .collect();
        counted.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let flags: Vec<bool> =
            counted.iter().map(|b| b.cancel.is_none() && b.check_in.is_some_and(|c| c <= 5 * 60)).collect();
        last(flags, self.t.windows.blocks as usize)
    }

    fn package_window(&self, driver: usize, day: Day) -> Vec<&NPackage> {
        let cut = day - self.t.windows.lag_days as Day;
        let mut pk: Vec<&NPackage> = self
            .packages
            .iter()
            .filter(|p| p.driver == driver && base_day() + (p.deliver_by.div_euclid(86_400)) as Day <= cut)
            .collect();
        pk.sort_by(|a, b| (a.deliver_by, &a.id).cmp(&(b.deliver_by, &b.id)));
        last(pk, self.t.windows.packages as usize)
    }

    fn flags(p: &NPackage) -> (bool, bool, bool, bool) {
        let attempted = p.outcome != 2;
        (attempted, p.outcome == 0, attempted && p.attempted.is_some_and(|a| a <= 0), p.dnr)
    }

    fn overall(&self, driver: usize, day: Day) -> Option<u8> {
        let r = self.rel_tier(&self.block_window(driver, day));
        let pw: Vec<_> = self.package_window(driver, day).into_iter().map(Self::flags).collect();
        let q = self.quality_tier(&pw);
        match (r, q) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn expect(&self, driver: usize, day: Day) -> Expect {
        let bw = self.block_window(driver, day);
        let pw_rows = self.package_window(driver, day);
        let pw: Vec<_> = pw_rows.iter().map(|p| Self::flags(p)).collect();
        let rel_tier = self.rel_tier(&bw);
        let quality_tier = self.quality_tier(&pw);
        let overall = self.overall(driver, day);
        let wb = self.t.windows.blocks as usize;
        let wp = self.t.windows.packages as usize;
        let scan = |limit: usize, f: &dyn Fn(usize) -> bool| (1..=limit + 3).find(|k| f(*k)).map(|k| k as u32);
        let with_blocks = |k: usize, v: bool| last(bw.iter().copied().chain(std::iter::repeat_n(v, k)).collect(), wb);
        let with_packages =
            |k: usize, v: bool| last(pw.iter().copied().chain(std::iter::repeat_n((v, v, v, false), k)).collect(), wp);
        let rel_headroom =
            rel_tier.filter(|t| *t > 0).and_then(|t| scan(wb, &|k| self.rel_tier(&with_blocks(k, false)) < Some(t)));
        let blocks_to_next =
            rel_tier.filter(|t| *t < 3).and_then(|t| scan(wb, &|k| self.rel_tier(&with_blocks(k, true)) > Some(t)));
        let quality_headroom = quality_tier
            .filter(|t| *t > 0)
            .and_then(|t| scan(wp, &|k| self.quality_tier(&with_packages(k, false)) < Some(t)));
        let packages_to_next = quality_tier
            .filter(|t| *t < 3)
            .and_then(|t| scan(wp, &|k| self.quality_tier(&with_packages(k, true)) > Some(t)));
        let week_ago = self.overall(driver, day - 7);
        Expect {
            overall,
            rel_tier,
            rel_blocks: bw.len(),
            rel_on_time: bw.iter().filter(|x| **x).count(),
            quality_tier,
            quality: (
                pw.len(),
                pw.iter().filter(|p| p.0).count(),
                pw.iter().filter(|p| p.1).count(),
                pw.iter().filter(|p| p.2).count(),
                pw.iter().filter(|p| p.3).count() as u32,
            ),
            rel_headroom,
            blocks_to_next,
            quality_headroom,
            packages_to_next,
            at_risk: overall == Some(0),
            near_drop: rel_headroom == Some(1) || quality_headroom == Some(1),
            tier_drop: matches!((overall, week_ago), (Some(a), Some(b)) if a < b),
            unreturned: pw_rows.iter().any(|p| p.outcome != 0 && !p.returned),
        }
    }
}

fn last<T>(mut v: Vec<T>, n: usize) -> Vec<T> {
    if v.len() > n {
        v.drain(..v.len() - n);
    }
    v
}

fn tier_num(label: &str) -> Option<u8> {
    ["At Risk", "Fair", "Great", "Fantastic"].iter().position(|l| *l == label).map(|i| i as u8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_naive_model(
        raw_blocks in prop::collection::vec(block_strategy(), 0..30),
        raw_packages in prop::collection::vec(package_strategy(), 0..40),
        window_blocks in 2u32..7,
        window_packages in 2u32..9,
        lag in 0u32..3,
    ) {
        prop_assume!(!raw_blocks.is_empty() && !raw_packages.is_empty());
        let blocks: Vec<NBlock> = raw_blocks.iter().enumerate().map(|(i, &(driver, day, hour, ci, ca, c))| NBlock {
            driver,
            id: format!("{c}{i:03}"),
            start: day * 86_400 + HOURS[hour] * 3600,
            check_in: CHECK_INS[ci],
            cancel: CANCELS[ca],
        }).collect();
        let packages: Vec<NPackage> = raw_packages.iter().enumerate().map(|(i, &(driver, day, hour, at, outcome, dnr, returned, c))| NPackage {
            driver,
            id: format!("{c}{i:03}"),
            deliver_by: day * 86_400 + HOURS[hour] * 3600 + 4 * 3600,
            attempted: ATTEMPTS[at],
            outcome,
            dnr: dnr == 0,
            returned,
        }).collect();

        let mut blocks_csv = String::from("driver_id,block_id,block_start,checked_in_at,cancelled_at\n");
        for b in &blocks {
            blocks_csv += &format!("D{},{},{},{},{}\n", b.driver, b.id, ts(b.start), opt_ts(b.start, b.check_in), opt_ts(b.start, b.cancel));
        }
        let mut packages_csv = String::from("tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr,returned_at\n");
        for p in &packages {
            packages_csv += &format!(
                "{},D{},{},{},{},{},{}\n",
                p.id, p.driver, ts(p.deliver_by), opt_ts(p.deliver_by, p.attempted), OUTCOMES[p.outcome],
                if p.dnr { "Y" } else { "" }, if p.returned { ts(p.deliver_by + 7200) } else { String::new() },
            );
        }
        let (data, report) = load_texts(
            decode_csv("blocks.csv".into(), blocks_csv.into_bytes()).unwrap(),
            decode_csv("deliveries.csv".into(), packages_csv.into_bytes()).unwrap(),
            None,
            None,
            &ImportOptions::default(),
        ).unwrap();
        prop_assert!(report.rejections.is_empty(), "{:?}", report.rejections);
        let mut t = Thresholds::default();
        t.windows.blocks = window_blocks;
        t.windows.packages = window_packages;
        t.windows.lag_days = lag;
        let fleet = Fleet::build(&data, t).unwrap();
        let model = Model { t: &t, blocks: &blocks, packages: &packages };

        for driver in 0..3usize {
            let Some(index) = fleet.driver_index(&format!("D{driver}")) else { continue };
            for offset in -1..24 {
                let day = base_day() + offset;
                let s = fleet.standing(index, day);
                let got = Expect {
                    overall: tier_num(tier_label(s.overall)),
                    rel_tier: tier_num(tier_label(s.reliability_tier)),
                    rel_blocks: s.reliability.blocks as usize,
                    rel_on_time: s.reliability.on_time as usize,
                    quality_tier: tier_num(tier_label(s.quality_tier)),
                    quality: (s.quality.packages as usize, s.quality.attempted as usize, s.quality.delivered as usize, s.quality.on_time as usize, s.quality.dnr),
                    rel_headroom: s.reliability_headroom,
                    blocks_to_next: s.blocks_to_next_tier,
                    quality_headroom: s.quality_headroom,
                    packages_to_next: s.packages_to_next_tier,
                    at_risk: s.alerts.has(Alert::AtRisk),
                    near_drop: s.alerts.has(Alert::NearDrop),
                    tier_drop: s.alerts.has(Alert::TierDrop),
                    unreturned: s.alerts.has(Alert::Unreturned),
                };
                prop_assert_eq!(got, model.expect(driver, day), "driver D{} day offset {}", driver, offset);
            }
        }
    }
}
