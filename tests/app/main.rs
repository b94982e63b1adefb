//! The desktop app, driven as a user would with egui_kittest: every view, filters, sort,
//! keyboard navigation, settings recompute, imports (good, bad rows, unrelated files),
//! letters and sheets, workspaces. One test binary; the helpers below are shared.

#![cfg(feature = "gui")]

#[path = "../common/mod.rs"]
mod common;
mod dsp;
mod imports;
mod letters;
mod views;
mod workspace;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use standwatch::app::{StandwatchApp, Tab};
use standwatch::standing::rules::{Tier, tier_label};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn settle(h: &mut Harness<'_, StandwatchApp>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        h.step();
        if !h.state().is_busy() && h.state().loaded().is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "the background work did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
}

fn app() -> Harness<'static, StandwatchApp> {
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    settle(&mut h);
    h
}

/// Opens driver `id` in the driver view, as a click in the fleet table does.
fn show_driver(h: &mut Harness<'_, StandwatchApp>, id: &str) {
    let driver = h.state().loaded().unwrap().data.fleet.driver_index(id).unwrap();
    h.state_mut().send(standwatch::app::Command::OpenDriver(driver));
    h.run_steps(3);
}

/// The fleet table in driver id order (it opens sorted by severity).
fn by_id(h: &mut Harness<'_, StandwatchApp>) {
    h.state_mut().sort_fleet_by_id();
    h.run_steps(2);
}

fn open_tab(h: &mut Harness<'_, StandwatchApp>, name: &str) {
    // The toolbar comes first in the tree (a table column may share the name).
    h.get_all_by_role_and_label(egui::Role::Button, name).next().unwrap().click();
    h.run_steps(2);
}

fn tiers_of_visible(h: &Harness<'_, StandwatchApp>) -> Vec<Option<Tier>> {
    let l = h.state().loaded().unwrap();
    h.state().visible_drivers().iter().map(|&i| l.overview.drivers[i].standing.overall).collect()
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_files(h: &mut Harness<'_, StandwatchApp>, files: &[PathBuf]) {
    for f in files {
        h.input_mut().dropped_files.push(Arc::new(Dropped(f.clone())));
    }
    h.step();
    h.step();
}

fn wait_for(h: &mut Harness<'_, StandwatchApp>, what: &str, done: impl Fn(&Harness<'_, StandwatchApp>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(h) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
}

/// Sets the "Folder" field of the window on screen to `dir`.
fn set_folder(h: &mut Harness<'_, StandwatchApp>, dir: &Path) {
    h.get_by_label("Folder").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Folder").type_text(&dir.display().to_string());
    h.run_steps(2);
    assert_eq!(h.get_by_label("Folder").value().as_deref(), Some(dir.display().to_string().as_str()));
}

/// The page size pdfinfo gives for the paper the settings start with (the locale's).
fn default_page_size() -> &'static str {
    match standwatch::locale::paper() {
        standwatch::documents::pdf::Paper::A4 => "595.28 x 841.89",
        standwatch::documents::pdf::Paper::Letter => "612 x 792",
    }
}

fn pdf_page_size(file: &Path) -> String {
    let info = std::process::Command::new("pdfinfo").arg(file).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    info.lines().find(|l| l.starts_with("Page size:")).unwrap_or_default().to_string()
}

/// A workspace with the sample data and one draft case for D00001's disputable events.
fn sample_workspace(dir: &Path) -> Vec<String> {
    use standwatch::import::TableKind;
    use standwatch::workspace::{Workspace, cases::NewCase};
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut ws = Workspace::open_or_create(dir, Default::default()).unwrap();
    let files = [TableKind::Blocks, TableKind::Deliveries, TableKind::Roster, TableKind::Outages]
        .map(|k| (k, sample.join(format!("{}.csv", k.name()))));
    ws.import(&files, false, true, &|| false).unwrap();
    let fleet = standwatch::standing::Fleet::build(&ws.dataset().unwrap(), Default::default()).unwrap();
    let driver = fleet.driver_index("D00001").unwrap();
    let events: Vec<_> = fleet
        .events(driver, fleet.default_as_of().unwrap())
        .unwrap()
        .into_iter()
        .filter(|e| e.is_disputable())
        .map(|e| e.event_ref())
        .collect();
    let case = NewCase {
        driver_id: "D00001".into(),
        kind: standwatch::letters::LetterKind::Dispute,
        file: None,
        created_on: fleet.default_as_of().unwrap(),
        events: events.clone(),
        grounds: Vec::new(),
    };
    ws.add_case(&case).unwrap();
    events.into_iter().map(|e| e.id).collect()
}

fn open_letter(h: &mut Harness<'_, StandwatchApp>, driver: &str) {
    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Search").type_text(driver);
    h.run_steps(2);
    h.get_by_label(driver).click();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::Button, "Draft dispute").click();
    h.run_steps(1);
    wait_for(h, "the draft", |h| h.query_by_label("Letter text").is_some());
}

fn letter_text(h: &Harness<'_, StandwatchApp>) -> String {
    h.get_by_label("Letter text").value().unwrap_or_default()
}

/// The texts the last frame put on the clipboard.
fn copied_texts(h: &Harness<'_, StandwatchApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}
