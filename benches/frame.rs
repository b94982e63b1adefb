//! Frame time of the fleet view with a large fleet (issue: ≤ 4 ms p99 with 5,000 drivers)
//! and the time to sort and filter. Runs egui headless (`Context::run_ui`, no GPU), as the
//! app's own frame minus painting. `cargo bench --bench frame`.

use eframe::egui;
use standwatch::app::StandwatchApp;
use standwatch::generate::{GenerateOptions, generate};
use standwatch::import::InputPaths;
use standwatch::overview::{RowFilter, SortColumn, row_order};
use std::time::{Duration, Instant};

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        events,
        ..Default::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let drivers = std::env::var("STANDWATCH_BENCH_DRIVERS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let dir = std::env::temp_dir().join(format!("standwatch-frame-bench-{drivers}"));
    if !dir.join("deliveries.csv").exists() {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
        generate(&GenerateOptions { drivers, days: 42, seed: 3, start }, &dir).expect("generate");
    }
    let ctx = egui::Context::default();
    let mut app = StandwatchApp::new(&ctx, None);
    app.open(InputPaths {
        blocks: dir.join("blocks.csv"),
        deliveries: dir.join("deliveries.csv"),
        roster: Some(dir.join("roster.csv")),
        outages: None,
        concessions: Vec::new(),
        exceptions: Vec::new(),
        scorecards: Vec::new(),
    });
    let loading = Instant::now();
    while app.loaded().is_none_or(|l| l.data.fleet.drivers.len() != drivers) || app.is_busy() {
        let _ = ctx.run_ui(input(Vec::new()), |ui| app.show(ui));
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!("loaded {drivers} drivers in {:.2} s", loading.elapsed().as_secs_f64());

    // Plain frames: the fleet view with the whole fleet.
    let mut frames = Vec::new();
    for _ in 0..300 {
        let start = Instant::now();
        let _ = ctx.run_ui(input(Vec::new()), |ui| app.show(ui));
        frames.push(start.elapsed());
    }
    frames.sort();
    // Frames that scroll the table with the keyboard.
    let mut scrolling = Vec::new();
    for _ in 0..300 {
        let key = egui::Event::Key {
            key: egui::Key::ArrowDown,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        };
        let start = Instant::now();
        let _ = ctx.run_ui(input(vec![key]), |ui| app.show(ui));
        scrolling.push(start.elapsed());
    }
    scrolling.sort();
    let visible = app.visible_drivers().len();
    println!("fleet view, {drivers} drivers ({visible} rows):");
    println!(
        "  idle frame:      p50 {:.2} ms  p99 {:.2} ms  (target p99 <= 4 ms)",
        percentile(&frames, 0.5).as_secs_f64() * 1e3,
        percentile(&frames, 0.99).as_secs_f64() * 1e3
    );
    println!(
        "  scrolling frame: p50 {:.2} ms  p99 {:.2} ms",
        percentile(&scrolling, 0.5).as_secs_f64() * 1e3,
        percentile(&scrolling, 0.99).as_secs_f64() * 1e3
    );
    // Sorting and filtering: the work done once when the user clicks a header or types.
    let loaded = app.loaded().expect("loaded");
    let (fleet, overview) = (&loaded.data.fleet, &loaded.overview);
    let all = RowFilter::default();
    let slowest = |f: &dyn Fn() -> usize| {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .max()
            .unwrap_or_default()
    };
    let sort = slowest(&|| row_order(fleet, overview, &all, Some((SortColumn::Name, true))).len());
    let sort_rate = slowest(&|| row_order(fleet, overview, &all, Some((SortColumn::OnTime, false))).len());
    let search = RowFilter { search: "d004".into(), ..RowFilter::default() };
    let filter = slowest(&|| row_order(fleet, overview, &search, None).len());
    println!(
        "  sort by name: {:.1} ms; by on-time rate: {:.1} ms; search filter: {:.1} ms (target <= 50 ms)",
        sort.as_secs_f64() * 1e3,
        sort_rate.as_secs_f64() * 1e3,
        filter.as_secs_f64() * 1e3
    );
}
