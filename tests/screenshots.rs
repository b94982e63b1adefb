//! The README's screenshots, rendered from the app driven as a user would (the same
//! rendering as the snapshot tests). Written only when asked:
//!
//!     STANDWATCH_SCREENSHOTS=1 cargo test --test screenshots
//!
//! and then looked at (`assets/screenshots/*.png`); otherwise the test does nothing.

#![cfg(feature = "gui")]

mod common;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use standwatch::app::StandwatchApp;
use std::path::Path;
use std::time::{Duration, Instant};

fn wait(h: &mut Harness<'_, StandwatchApp>, done: impl Fn(&Harness<'_, StandwatchApp>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done(h) {
        assert!(Instant::now() < deadline, "timed out");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
}

fn loaded(h: &Harness<'_, StandwatchApp>) -> bool {
    !h.state().is_busy() && h.state().loaded().is_some()
}

fn save(h: &mut Harness<'_, StandwatchApp>, name: &str) {
    let image = h.render().expect("rendered");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots").join(format!("{name}.png"));
    image.save(&path).expect("saved");
    eprintln!("wrote {}", path.display());
}

fn app(dark: bool) -> Harness<'static, StandwatchApp> {
    let dir = tempfile::tempdir().expect("temp").keep();
    let path = dir.join("settings.toml");
    let settings = standwatch::settings::Settings { dark_mode: dark, ..Default::default() };
    settings.save(&path).expect("settings");
    let theme = if dark { egui::Theme::Dark } else { egui::Theme::Light };
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_theme(theme)
        .build_eframe(move |cc| StandwatchApp::new(&cc.egui_ctx, Some(path.clone())));
    wait(&mut h, loaded);
    h
}

fn tab(h: &mut Harness<'_, StandwatchApp>, name: &str) {
    h.get_all_by_role_and_label(egui::Role::Button, name).next().expect("tab").click();
    h.run_steps(3);
}

fn open_driver(h: &mut Harness<'_, StandwatchApp>, id: &str) {
    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Search").type_text(id);
    h.run_steps(2);
    h.get_by_label(id).click();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
}

/// A workspace with the sample data and a draft case for D00001's disputable events.
fn sample_workspace(dir: &Path) {
    use standwatch::workspace::{Workspace, cases::NewCase};
    let mut ws = Workspace::open_or_create(dir, Default::default()).expect("workspace");
    let files = standwatch::app::sample_inputs().files();
    ws.import(&files, false, true, &|| false).expect("import");
    let fleet = standwatch::standing::Fleet::build(&ws.dataset().expect("data"), Default::default()).expect("fleet");
    let driver = fleet.driver_index("D00001").expect("D00001");
    let day = fleet.default_as_of().expect("day");
    let events = fleet.events(driver, day).expect("events").into_iter().filter(|e| e.is_disputable());
    let case = NewCase {
        driver_id: "D00001".into(),
        kind: standwatch::letters::LetterKind::Dispute,
        file: None,
        created_on: day,
        events: events.map(|e| e.event_ref()).collect(),
        grounds: Vec::new(),
    };
    ws.add_case(&case).expect("case");
}

/// The data on screen's tiers under other thresholds, as a scorecard file.
fn write_observed(h: &Harness<'_, StandwatchApp>, path: &Path) {
    let l = h.state().loaded().expect("loaded");
    let last = l.data.fleet.default_as_of().expect("day");
    std::fs::write(path, common::scorecards(&l.data.dataset, last)).expect("observed");
}

#[test]
fn readme_screenshots() {
    if std::env::var_os("STANDWATCH_SCREENSHOTS").is_none() {
        return;
    }
    let mut h = app(true);
    save(&mut h, "fleet-dark");
    // The next change of each driver's tier, sorted, the table scrolled to it.
    h.get_by_role_and_label(egui::Role::Button, "Changes on").scroll_to_me();
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::Button, "Changes on").click();
    h.run_steps(3);
    save(&mut h, "fleet-changes-dark");
    open_driver(&mut h, "D00007");
    save(&mut h, "driver-dark");
    h.get_by_label_contains("Events in the current windows").scroll_to_me();
    h.run_steps(3);
    save(&mut h, "driver-events-dark");
    h.state_mut().send(standwatch::app::Command::DraftLetter(standwatch::letters::LetterKind::Dispute));
    h.run_steps(1);
    wait(&mut h, |h| h.query_by_label("Letter text").is_some());
    save(&mut h, "letter-dark");

    // DSP mode: the sample DSP's newest week, its first DA, the dispute of that week.
    let mut h = app(true);
    tab(&mut h, "Scorecards");
    save(&mut h, "scorecards-dark");
    let (week, ids) = h.state().scorecard_rows().expect("scorecards");
    h.get_by_label(&ids[0]).click();
    h.run_steps(3);
    save(&mut h, "da-dark");
    h.state_mut().send(standwatch::app::Command::DraftWeekLetter(ids[0].clone(), week));
    h.run_steps(1);
    wait(&mut h, |h| h.query_by_label("Letter text").is_some());
    save(&mut h, "letter-week-dark");

    // A workspace with the sample data and one case, on the Cases view.
    let mut h = app(true);
    let dir = tempfile::tempdir().expect("temp");
    let ws = dir.path().join("North station");
    sample_workspace(&ws);
    h.state_mut().open_workspace(ws);
    wait(&mut h, |h| loaded(h) && h.state().loaded().is_some_and(|l| l.data.workspace.is_some()));
    tab(&mut h, "Cases");
    h.get_by_label("D00001").click();
    h.run_steps(3);
    save(&mut h, "cases-dark");
    // A damaged workspace: named, another offered, the data on screen stays.
    let damaged = dir.path().join("Damaged");
    std::fs::create_dir_all(&damaged).expect("dir");
    std::fs::write(damaged.join("standwatch.db"), vec![0x5a; 8192]).expect("db");
    h.state_mut().open_workspace(damaged);
    wait(&mut h, |h| loaded(h) && h.query_by_label_contains("This workspace cannot be opened").is_some());
    save(&mut h, "workspace-error-dark");

    let mut h = app(false);
    tab(&mut h, "Scorecards");
    save(&mut h, "scorecards-light");
    tab(&mut h, "Alerts");
    save(&mut h, "alerts-light");
    tab(&mut h, "Addresses");
    let building = h.state().loaded().expect("loaded").data.fleet.clusters()[0].label.clone();
    h.get_by_label(&building).click();
    h.run_steps(3);
    save(&mut h, "addresses-light");
    tab(&mut h, "Settings");
    save(&mut h, "settings-light");
    // Tiers seen on scorecards made with other thresholds, then Calibrate.
    let observed = dir.path().join("scorecards.csv");
    write_observed(&h, &observed);
    h.state_mut().send(standwatch::app::Command::AddFiles(vec![observed]));
    wait(&mut h, |h| h.state().observed().is_some());
    h.get_by_role_and_label(egui::Role::Button, "Calibrate from observed tiers…").click();
    h.run_steps(1);
    wait(&mut h, |h| h.state().calibration().is_some());
    save(&mut h, "calibrate-light");
    h.get_by_role_and_label(egui::Role::Button, "Keep the current thresholds").click();
    h.run_steps(2);
    tab(&mut h, "Fleet");
    save(&mut h, "fleet-observed-light");
    tab(&mut h, "Fleet");
    open_driver(&mut h, "D00010");
    save(&mut h, "driver-light");
}
