//! The forecast (docs/rules.md §6) against the future simulated item by item: the clean
//! blocks and packages the forecast assumes are written into the exports on the days it
//! says, the fleet is built again, and its standing on each projected day must be the
//! forecast's; every defect said to leave on a day is counted the day before and not on it.

use standwatch::import::text::decode_csv;
use standwatch::import::time::date_from_day;
use standwatch::import::{ImportOptions, load_texts};
use standwatch::standing::forecast::DEFAULT_DAYS;
use standwatch::standing::{EventSide, Fleet};
use std::collections::HashSet;
use std::path::Path;

fn sample(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(name)).unwrap()
}

fn fleet(blocks: &str, deliveries: &str) -> Fleet {
    let text = |name: &str, body: &str| decode_csv(name.to_string(), body.as_bytes().to_vec()).unwrap();
    let (data, _) = load_texts(
        text("blocks.csv", blocks),
        text("deliveries.csv", deliveries),
        None,
        None,
        &ImportOptions::default(),
    )
    .unwrap();
    Fleet::build(&data, Default::default()).unwrap()
}

#[test]
fn the_forecast_is_the_standing_of_the_simulated_future() {
    let (blocks, deliveries) = (sample("blocks.csv"), sample("deliveries.csv"));
    let now = fleet(&blocks, &deliveries);
    let as_of = now.default_as_of().unwrap();
    let last_counted = as_of - now.thresholds.windows.lag_days as i32;
    let mut changes_seen = 0;
    let mut leaving_seen = 0;
    // Every fourth driver: clean, risky and deactivated ones among them.
    for driver in (0..now.drivers.len()).step_by(4) {
        let id = now.drivers[driver].id.clone();
        let forecast = now.forecast(driver, as_of, DEFAULT_DAYS).unwrap();
        // The future the forecast assumes, item by item: the k-th of n per 28 days on day
        // E + ⌈28k ÷ n⌉.
        let (mut future_blocks, mut future_packages) = (blocks.clone(), deliveries.clone());
        let day_of = |k: u32, n: u32| last_counted + (28 * k).div_ceil(n) as i32;
        let nb = forecast.blocks_per_28_days;
        for k in (1..).take_while(|&k| nb > 0 && day_of(k, nb) <= last_counted + DEFAULT_DAYS as i32) {
            let d = date_from_day(day_of(k, nb));
            future_blocks
                .push_str(&format!("{id},,FUTURE-B{k:05},DXT4,{d} 12:00:00,{d} 16:00:00,{d} 11:55:00,,{d} 12:20:00\n"));
        }
        let np = forecast.packages_per_28_days;
        for k in (1..).take_while(|&k| np > 0 && day_of(k, np) <= last_counted + DEFAULT_DAYS as i32) {
            let d = date_from_day(day_of(k, np));
            future_packages.push_str(&format!("FUTURE-T{k:06},{id},,{d} 20:00:00,{d} 19:00:00,delivered,,,,,,,\n"));
        }
        let simulated = fleet(&future_blocks, &future_packages);
        let index = simulated.driver_index(&id).unwrap();
        let defects =
            |day: i32| -> HashSet<String> { simulated.events(index, day).unwrap().into_iter().map(|e| e.id).collect() };
        for projected in &forecast.days {
            let real = simulated.standing(index, projected.day);
            assert_eq!(real.reliability, projected.reliability, "{id} on day {}", projected.day);
            assert_eq!(real.quality, projected.quality, "{id} on day {}", projected.day);
            assert_eq!(
                (real.reliability_tier, real.quality_tier, real.overall),
                (projected.reliability_tier, projected.quality_tier, projected.overall),
                "{id} on day {}",
                projected.day
            );
            if !projected.leaving.is_empty() {
                let (before, after) = (defects(projected.day - 1), defects(projected.day));
                for gone in &projected.leaving {
                    assert!(before.contains(gone) && !after.contains(gone), "{id}: {gone} leaves on {}", projected.day);
                    leaving_seen += 1;
                }
            }
        }
        // Every counted defect that leaves within the days is listed once, on its day.
        let listed: usize = forecast.days.iter().map(|d| d.leaving.len()).sum();
        assert_eq!(listed, forecast.leaving.len());
        assert!(forecast.leaving.iter().all(|l| l.side == EventSide::Block || l.side == EventSide::Package));
        changes_seen += forecast.changes.len();
    }
    assert!(leaving_seen > 10, "{leaving_seen} defects seen leaving");
    assert!(changes_seen > 3, "{changes_seen} tier changes");
}

fn standwatch(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("standwatch").unwrap().args(args).output().unwrap()
}

#[test]
fn forecast_command_writes_the_projected_days() {
    let path = |f: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(f).display().to_string();
    let (b, d) = (path("blocks.csv"), path("deliveries.csv"));
    let inputs = ["--blocks", b.as_str(), "--deliveries", d.as_str()];
    let out = standwatch(&[&["forecast", "--driver", "D00007"][..], &inputs].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "driver_id,day,reliability_rate,reliability_tier,attempted_rate,success_rate,on_time_rate,dnr_count,quality_tier,overall_tier,leaving"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 60);
    assert!(rows[0].starts_with("D00007,2026-03-04,"), "{}", rows[0]);
    assert!(rows.iter().any(|r| !r.ends_with(',')), "some defect leaves within 60 days");

    let out =
        standwatch(&[&["forecast", "--driver", "D00007", "--days", "5", "--format", "json"][..], &inputs].concat());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["days"].as_array().unwrap().len(), 5);
    assert_eq!(json["driver_id"], "D00007");

    let out = standwatch(&[&["forecast", "--driver", "NOPE"][..], &inputs].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown driver 'NOPE'"));
}
