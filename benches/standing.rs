//! Speed of `report` and `history` against polars reading the same CSVs (issue: the
//! report must take < 2× the bare read, history < 4×). Run with `cargo bench --bench standing`;
//! `STANDWATCH_BENCH_DRIVERS` and `STANDWATCH_BENCH_DAYS` set the fleet (default 2000 × 180).
//! The data is generated once into the target folder and reused.

use polars::prelude::*;
use standwatch::config::Thresholds;
use standwatch::generate::{GenerateOptions, generate};
use standwatch::import::{ImportOptions, InputPaths, load_inputs};
use standwatch::report::{Row, write_csv};
use standwatch::standing::Fleet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn polars_read(path: &Path) -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .expect("polars reads the generated CSV")
}

fn load(paths: &InputPaths) -> Fleet {
    let (data, _) = load_inputs(paths, &ImportOptions::default()).expect("import");
    Fleet::build(&data, Thresholds::default()).expect("fleet")
}

fn main() {
    let drivers = env_number("STANDWATCH_BENCH_DRIVERS", 2000);
    let days = env_number("STANDWATCH_BENCH_DAYS", 180);
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("target"));
    let dir = target.join(format!("bench-data-{drivers}x{days}"));
    if !dir.join("deliveries.csv").exists() {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
        let summary =
            generate(&GenerateOptions { drivers, days: days as u32, seed: 1, start }, &dir).expect("generate");
        eprintln!("generated {} blocks, {} packages in {}", summary.blocks, summary.packages, dir.display());
    }
    let paths = InputPaths {
        blocks: dir.join("blocks.csv"),
        deliveries: dir.join("deliveries.csv"),
        roster: Some(dir.join("roster.csv")),
        outages: Some(dir.join("outages.csv")),
        // The DuckDB peer reads no concessions report: both count the deliveries' claims only.
        concessions: Vec::new(),
        exceptions: Vec::new(),
        scorecards: Vec::new(),
    };
    let runs = 3;

    let read = best_of(runs, || (polars_read(&paths.blocks), polars_read(&paths.deliveries)));
    let report = best_of(runs, || {
        let fleet = load(&paths);
        let day = fleet.default_as_of().expect("data");
        let rows: Vec<Row> = (0..fleet.drivers.len())
            .map(|i| Row { driver: &fleet.drivers[i], standing: fleet.standing(i, day) })
            .collect();
        let mut out = Vec::new();
        write_csv(&rows, &mut out).expect("csv");
        out.len()
    });
    let history = best_of(runs, || {
        let fleet = load(&paths);
        let day = fleet.default_as_of().expect("data");
        let rows: Vec<Row> = (0..fleet.drivers.len())
            .flat_map(|i| fleet.history(i, None, day).into_iter().map(move |s| (i, s)))
            .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
            .collect();
        let mut out = Vec::new();
        write_csv(&rows, &mut out).expect("csv");
        out.len()
    });
    // The fleet forecast (issue 17: under 0.5 s for 2,000 drivers): every driver's next
    // change of the overall tier (the fleet table's column), and every driver's whole forecast.
    let fleet = load(&paths);
    let day = fleet.default_as_of().expect("data");
    let next_changes =
        best_of(runs, || (0..fleet.drivers.len()).filter_map(|i| fleet.next_overall_change(i, day, 60)).count());
    let forecasts = best_of(runs, || {
        (0..fleet.drivers.len()).map(|i| fleet.forecast(i, day, 60).expect("forecast").leaving.len()).sum::<usize>()
    });
    println!(
        "fleet forecast, {} drivers x 60 days: next changes {:>6.3} s; whole forecasts {:>6.3} s (target < 0.5 s)",
        fleet.drivers.len(),
        next_changes.as_secs_f64(),
        forecasts.as_secs_f64()
    );
    // Where the report's time goes.
    let import = best_of(1, || load_inputs(&paths, &ImportOptions::default()).expect("import"));
    let (data, _) = load_inputs(&paths, &ImportOptions::default()).expect("import");
    let build = best_of(1, || Fleet::build(&data, Thresholds::default()).expect("fleet"));
    println!(
        "  of which import (CSV to frames): {:>6.2} s; standing arrays: {:>6.2} s",
        import.as_secs_f64(),
        build.as_secs_f64()
    );
    let ratio = |d: Duration| d.as_secs_f64() / read.as_secs_f64();
    println!("fleet: {drivers} drivers x {days} days ({})", dir.display());
    println!("polars CSV read (blocks + deliveries): {:>8.2} s", read.as_secs_f64());
    println!(
        "standwatch report:                     {:>8.2} s  ({:.2}x the read; target < 2x)",
        report.as_secs_f64(),
        ratio(report)
    );
    println!(
        "standwatch history (all drivers):      {:>8.2} s  ({:.2}x the read; target < 4x)",
        history.as_secs_f64(),
        ratio(history)
    );
}
