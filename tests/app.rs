//! The desktop app, driven as a user would with egui_kittest: every view, filters, sort,
//! keyboard navigation, settings recompute, imports (good, bad rows, unrelated files).

#![cfg(feature = "gui")]

mod common;

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

#[test]
fn opens_on_the_sample_data_with_every_driver() {
    let h = app();
    let l = h.state().loaded().unwrap();
    assert_eq!(l.fleet.drivers.len(), 40);
    assert_eq!(h.state().visible_drivers().len(), 40);
    h.get_by_label("Sample data — open your own exports");
    h.get_by_label("D00001");
}

#[test]
fn tier_button_filters_the_table() {
    let mut h = app();
    let at_risk = tiers_of_visible(&h).iter().filter(|t| **t == Some(Tier::AtRisk)).count();
    assert!(at_risk > 0);
    h.get_by_role_and_label(egui::Role::Button, &format!("At Risk  {at_risk}")).click();
    h.run_steps(2);
    let tiers = tiers_of_visible(&h);
    assert_eq!(tiers.len(), at_risk);
    assert!(tiers.iter().all(|t| *t == Some(Tier::AtRisk)));
    h.get_by_role_and_label(egui::Role::Button, "Clear filters").click();
    h.run_steps(2);
    assert_eq!(h.state().visible_drivers().len(), 40);
}

#[test]
fn search_and_sort() {
    let mut h = app();
    h.get_by_role_and_label(egui::Role::Button, "Overall").click();
    h.run_steps(2);
    let tiers = tiers_of_visible(&h);
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "ascending by tier: {tiers:?}");
    assert_eq!(tiers[0], Some(Tier::AtRisk));
    h.get_by_role_and_label(egui::Role::Button, "Overall ▲").click();
    h.run_steps(2);
    let tiers = tiers_of_visible(&h);
    assert!(tiers.windows(2).all(|w| w[0] >= w[1]), "descending by tier: {tiers:?}");

    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Search").type_text("D0001");
    h.run_steps(2);
    assert_eq!(h.state().visible_drivers().len(), 10, "D00010..D00019");
}

#[test]
fn keyboard_opens_a_driver_with_charts_and_what_if() {
    let mut h = app();
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().tab(), Tab::Driver);
    h.get_by_label("D00002");
    h.get_by_label("Reliability (on-time blocks)");
    h.get_by_label("On time");
    let what_if = h.query_all_by_label_contains("falls to").count() + h.query_all_by_label_contains("rises to").count();
    assert!(what_if > 0, "what-if sentences that name the component and the direction");
    // The rule that sets the tier below Fantastic is named.
    h.get_by_label_contains("Reliability Fair: 85.0% of the last 20 blocks on time, Great needs 90.0%");
    h.get_by_label_contains("Events in the current windows");
}

#[test]
fn click_a_row_then_arrow_keys_and_enter() {
    let mut h = app();
    h.get_by_label("D00004").click();
    h.run_steps(2);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().tab(), Tab::Driver);
    h.get_by_label("D00005");
}

#[test]
fn alerts_view_lists_alerts_and_opens_drivers() {
    let mut h = app();
    open_tab(&mut h, "Alerts");
    assert_eq!(h.state().tab(), Tab::Alerts);
    // In words (codes in the tooltips); the most severe first.
    let first = h.query_all_by_label("At Risk").count();
    assert!(first > 0);
    h.get_by_label("Appeal due");
    assert_eq!(h.query_all_by_label("AT_RISK").count(), 0, "codes only in tooltips");
    // Disputable drivers are one summary line with Draft all, not a line each.
    assert_eq!(h.query_all_by_label("Disputable").count(), 1);
    h.get_by_label_contains("drivers have events with a dispute ground");
    h.get_by_role_and_label(egui::Role::Button, "Draft all…");
    h.get_all_by_label("At Risk").next().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().tab(), Tab::Driver);
}

#[test]
fn settings_change_recomputes_the_tiers() {
    let mut h = app();
    open_tab(&mut h, "Settings");
    // A one-block reliability window: every rate becomes 0% or 100%.
    h.get_by_role_and_label(egui::Role::SpinButton, "Blocks in the reliability window").set_value_accesskit(1.0);
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Apply and recompute").click();
    h.run_steps(1);
    settle(&mut h);
    let l = h.state().loaded().unwrap();
    assert_eq!(l.settings.thresholds.windows.blocks, 1);
    let mut seen = std::collections::BTreeSet::new();
    for row in &l.overview.drivers {
        let s = &row.standing;
        if s.reliability.blocks > 0 {
            assert_eq!(s.reliability.blocks, 1);
            assert!(
                matches!(s.reliability_tier, Some(Tier::Fantastic | Tier::AtRisk)),
                "{}",
                tier_label(s.reliability_tier)
            );
            seen.insert(tier_label(s.reliability_tier));
        }
    }
    assert!(!seen.is_empty());
}

#[test]
fn dropped_exports_with_bad_rows_are_imported_and_reported() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let blocks = dir.path().join("my-blocks.csv");
    let deliveries = dir.path().join("my-deliveries.csv");
    std::fs::write(
        &blocks,
        "Transporter ID,Shift ID,Scheduled Start,Check-In Time\nA1,S1,2026-03-02 07:00,2026-03-02 06:58\nA1,S2,not a date,\nA2,S3,2026-03-03 07:00,\n",
    )
    .unwrap();
    std::fs::write(
        &deliveries,
        "tracking_id,driver_id,deliver_by,outcome\nT1,A1,2026-03-02,delivered\nT2,A2,2026-03-03,lost\n",
    )
    .unwrap();
    drop_files(&mut h, &[blocks, deliveries]);
    settle(&mut h);
    let l = h.state().loaded().unwrap();
    assert_eq!(l.fleet.drivers.len(), 2);
    assert_eq!(l.report.rejections.len(), 2);
    h.get_by_label("Import report");
    h.get_by_label("2 rejected rows");
    h.get_by_label("Scheduled Start");
}

/// A workbook holding blocks and deliveries, dropped with Amazon's concessions report:
/// each kind is told by its headers, and the concession's package becomes a DNR claim
/// with the delivered-at-the-pin ground.
#[test]
fn a_dropped_workbook_and_concessions_report_are_read_by_their_headers() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("week 9.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let rows: [(&str, &[&[&str]]); 2] = [
        (
            "Blocks",
            &[
                &["driver_id", "block_id", "block_start", "checked_in_at"],
                &["A1", "S1", "2026-03-02 07:00", "2026-03-02 06:55"],
            ],
        ),
        (
            "Packages",
            &[
                &["tracking_id", "driver_id", "block_id", "deliver_by", "attempted_at", "outcome"],
                &["T1", "A1", "S1", "2026-03-02 12:00", "2026-03-02 10:15", "delivered"],
                &["T2", "A1", "S1", "2026-03-02 12:00", "2026-03-02 10:20", "delivered"],
            ],
        ),
    ];
    for (name, lines) in rows {
        let sheet = workbook.add_worksheet().set_name(name).unwrap();
        for (r, line) in lines.iter().enumerate() {
            for (c, cell) in line.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    workbook.save(&book).unwrap();
    let concessions = dir.path().join("DNR concessions.csv");
    std::fs::write(
        &concessions,
        "Delivery Associate,Tracking ID,Concession Date,Delivered over 50m from pin,No POD\nA1,T1,2026-03-03,N,N\nA1,T9,2026-03-03,N,N\n",
    )
    .unwrap();
    drop_files(&mut h, &[book, concessions]);
    settle(&mut h);
    let l = h.state().loaded().unwrap();
    let driver = l.fleet.driver_index("A1").unwrap();
    let day = l.fleet.default_as_of().unwrap();
    assert_eq!(l.fleet.standing(driver, day).quality.dnr, 1);
    let events = l.fleet.events(driver, day).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, "T1");
    assert_eq!(events[0].grounds, standwatch::standing::grounds::Grounds::DELIVERED_AT_PIN);
    // The concession for a package not in the deliveries is listed.
    assert!(
        l.report.notes.iter().any(|n| n.contains("T9") && n.contains("matches no delivery")),
        "{:?}",
        l.report.notes
    );
}

#[test]
fn addresses_list_the_buildings_with_clustered_claims_and_open_their_drivers() {
    let mut h = app();
    // The alerts say so and lead there.
    open_tab(&mut h, "Alerts");
    h.get_by_label_contains("DNR claims and access problems of several drivers");
    h.get_by_role_and_label(egui::Role::Button, "Show addresses").click();
    h.run_steps(2);
    assert_eq!(h.state().tab(), Tab::Addresses);
    let first = h.state().loaded().unwrap().fleet.clusters()[0].clone();
    assert!(first.drivers().len() >= 2 && first.events.len() >= 3, "{first:?}");
    h.get_by_label("Click a building to list its events.");
    h.get_by_label(&first.label).click();
    h.run_steps(2);
    h.get_by_label(&format!("{}: {} events of {} drivers", first.label, first.events.len(), first.drivers().len()));
    let event = &first.events[0];
    h.get_by_label(&event.tracking_id);
    let fleet = &h.state().loaded().unwrap().fleet;
    let driver = fleet.driver_index(&event.driver_id).unwrap();
    let name = format!("{} {}", event.driver_id, fleet.drivers[driver].name.clone().unwrap());
    h.get_all_by_label(&name).next().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().tab(), Tab::Driver);
    // Its events table names the ground.
    h.get_all_by_label_contains("Address cluster").next().unwrap();
}

#[test]
fn a_dropped_exceptions_report_joins_the_files_on_screen() {
    let mut h = app();
    // The sample's files opened as a user's own (a report dropped on the sample itself asks
    // for blocks and deliveries, as any lone report does).
    h.state_mut().open(standwatch::app::sample_inputs());
    settle(&mut h);
    let before = h.state().loaded().unwrap().fleet.clone();
    let dir = tempfile::tempdir().unwrap();
    let rts = dir.path().join("RTS report.csv");
    std::fs::write(
        &rts,
        "Delivery Associate,Tracking ID,Transporter ID,Impact DCR,DA Selected RTS Code,Additional Information,\
         Exemption Reason,Planned Delivery Date,Service Area\n\
         Maria Garcia,TBX0000000001,D00001,Yes,TR CANCELLED,,,2026-02-27,DXT4\n\
         ,TBX0000000002,unassigned,Yes,NONE,,,2026-02-27,DXT4\n",
    )
    .unwrap();
    drop_files(&mut h, std::slice::from_ref(&rts));
    settle(&mut h);
    let l = h.state().loaded().unwrap();
    let paths = l.source.paths().unwrap();
    assert!(paths.exceptions.contains(&rts), "{paths:?}");
    assert!(paths.exceptions.len() >= 2, "the sample's own report stays: {paths:?}");
    assert_eq!(l.report.rejections.len(), 1, "{:?}", l.report.rejections);
    assert!(l.report.rejections[0].reason.contains("'unassigned' names no driver"));
    let d1 = l.fleet.driver_index("D00001").unwrap();
    let day = l.fleet.default_as_of().unwrap();
    let events = l.fleet.events(d1, day).unwrap();
    let added = events.iter().find(|e| e.id == "TBX0000000001").expect("the added package");
    assert_eq!(added.grounds, standwatch::standing::grounds::Grounds::ORDER_CANCELLED);
    assert_eq!(before.standing(d1, day).quality.packages, 500);
    // The import report (open: a row was rejected) lists it with its counts.
    h.run_steps(2);
    h.get_all_by_label_contains("RTS report.csv: 2 rows read, 1 accepted, 0 duplicate, 1 rejected").next().unwrap();
}

#[test]
fn an_unrelated_file_is_explained_and_the_data_stays() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("invoice.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n\x00\x01binary").unwrap();
    drop_files(&mut h, &[pdf]);
    h.run_steps(2);
    assert!(!h.state().is_busy());
    assert_eq!(h.state().loaded().unwrap().fleet.drivers.len(), 40);
    h.get_by_label_contains("invoice.pdf:2: not a text CSV file");
}

#[test]
fn snapshots_of_each_view() {
    let mut h = app();
    h.snapshot("fleet_view");
    open_tab(&mut h, "Alerts");
    h.snapshot("alerts_view");
    open_tab(&mut h, "Addresses");
    h.get_by_label(&h.state().loaded().unwrap().fleet.clusters()[0].label.clone()).click();
    h.run_steps(2);
    h.snapshot("addresses_view");
    open_tab(&mut h, "Fleet");
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    h.snapshot("driver_view");
    open_tab(&mut h, "Settings");
    h.snapshot("settings_view");
}

#[test]
fn reopens_the_last_files_and_saves_settings() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = dir.path().join("b.csv");
    let deliveries = dir.path().join("d.csv");
    std::fs::write(&blocks, "driver_id,block_id,block_start\nZ1,B1,2026-03-02 07:00\n").unwrap();
    std::fs::write(&deliveries, "tracking_id,driver_id,deliver_by,outcome\nT1,Z2,2026-03-02,delivered\n").unwrap();
    let settings_path = dir.path().join("config/settings.toml");
    let mut settings = standwatch::settings::Settings::default();
    settings.remember(standwatch::settings::RecentImport {
        blocks: blocks.clone(),
        deliveries: deliveries.clone(),
        ..Default::default()
    });
    settings.save(&settings_path).unwrap();

    let path = settings_path.clone();
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StandwatchApp::new(&cc.egui_ctx, Some(path.clone())));
    settle(&mut h);
    let ids: Vec<&str> = h.state().loaded().unwrap().fleet.drivers.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["Z1", "Z2"]);
    assert!(h.query_by_label("Sample data — open your own exports").is_none());

    h.get_by_role_and_label(egui::Role::Button, "Light theme").click();
    h.run_steps(2);
    let saved = standwatch::settings::Settings::load(&settings_path).unwrap();
    assert!(!saved.dark_mode);
    assert_eq!(saved.recent[0].blocks, blocks);
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

#[test]
fn letter_editor_drafts_unticks_and_saves_an_eml() {
    let mut h = app();
    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Search").type_text("D00003");
    h.run_steps(2);
    h.get_by_label("D00003").click();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::Button, "Draft dispute").click();
    h.run_steps(1);
    wait_for(&mut h, "the draft", |h| h.query_by_label("Letter text").is_some());
    let body = h.get_by_label("Letter text").value().unwrap();
    assert!(body.contains("TBA0000007092") && body.contains("Please remove"), "{body}");

    // Leave one event out: the letter is drafted again without it.
    h.get_by_label_contains("TBA0000007092: ").scroll_to_me();
    h.run_steps(2);
    h.get_by_label_contains("TBA0000007092: ").click();
    h.run_steps(1);
    wait_for(&mut h, "the new draft", |h| {
        h.query_by_label("Letter text").and_then(|n| n.value()).is_some_and(|b| !b.contains("TBA0000007092"))
    });

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("letter.eml");
    h.get_by_label("Save as").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Save as").type_text(&target.display().to_string());
    h.run_steps(2);
    assert_eq!(h.get_by_label("Save as").value().as_deref(), Some(target.display().to_string().as_str()));
    h.get_by_role_and_label(egui::Role::Button, "Save .eml").click();
    h.run_steps(2);
    let bytes = std::fs::read(&target).expect("the .eml was saved");
    let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    let text = message.body_text(0).unwrap();
    let attachments: Vec<&str> = message.attachments().filter_map(mail_parser::MimeHeaders::attachment_name).collect();
    assert!(attachments.contains(&"standing-D00003.png"), "{attachments:?}");
    assert!(!text.contains("TBA0000007092"));
    assert!(text.contains("TBA0000007699"));
    h.get_by_label_contains("Saved ");
}

#[test]
fn batch_drafting_for_the_selected_drivers() {
    let mut h = app();
    h.get_by_label("D00001").click();
    h.run_steps(1);
    h.get_by_label("D00003").click_modifiers(egui::Modifiers::SHIFT);
    h.run_steps(2);
    h.get_by_label_contains("3 selected");
    h.get_by_role_and_label(egui::Role::Button, "Draft disputes for selected").click();
    h.run_steps(1);
    wait_for(&mut h, "the batch window", |h| h.query_by_label("Folder").is_some());
    let dir = tempfile::tempdir().unwrap();
    h.get_by_label("Folder").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Folder").type_text(&dir.path().display().to_string());
    h.run_steps(2);
    assert_eq!(h.get_by_label("Folder").value().as_deref(), Some(dir.path().display().to_string().as_str()));
    h.get_by_role_and_label(egui::Role::Button, "Draft letters").click();
    h.run_steps(1);
    wait_for(&mut h, "the batch", |h| h.query_by_label_contains("letters written").is_some());
    h.get_by_label("3 letters written, with index.csv");
    let index = std::fs::read_to_string(dir.path().join("index.csv")).unwrap();
    let ids: Vec<&str> = index.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["D00001", "D00002", "D00003"]);
    for id in ids {
        assert!(dir.path().join(format!("{id}-dispute-2026-03-03.eml")).is_file());
    }
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

fn pdf_page_size(file: &Path) -> String {
    let info = std::process::Command::new("pdfinfo").arg(file).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    info.lines().find(|l| l.starts_with("Page size:")).unwrap_or_default().to_string()
}

#[test]
fn coaching_sheets_for_the_selected_drivers_and_the_driver_on_screen() {
    let mut h = app();
    h.get_by_label("D00001").click();
    h.run_steps(1);
    h.get_by_label("D00003").click_modifiers(egui::Modifiers::SHIFT);
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Coaching sheets for selected").click();
    h.run_steps(1);
    wait_for(&mut h, "the sheets window", |h| h.query_by_label("Folder").is_some());
    let dir = tempfile::tempdir().unwrap();
    set_folder(&mut h, dir.path());
    h.get_by_label("US Letter").click();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::Button, "Write sheets").click();
    h.run_steps(1);
    wait_for(&mut h, "the sheets", |h| h.query_by_label_contains("files written").is_some());
    h.get_by_label("4 files written");
    for name in ["D00001.pdf", "D00002.pdf", "D00003.pdf", "fleet.pdf"] {
        let file = dir.path().join(name);
        assert!(file.is_file(), "{name}");
        assert!(pdf_page_size(&file).contains("612 x 792"), "{name}: {}", pdf_page_size(&file));
    }
    h.get_by_role_and_label(egui::Role::Button, "Open fleet.pdf");

    // The driver on screen: their sheet alone, on the settings' paper (A4).
    h.get_by_label("Close window").click();
    h.run_steps(2);
    h.get_by_label("D00007").click();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_role_and_label(egui::Role::Button, "Coaching sheet…").click();
    h.run_steps(1);
    wait_for(&mut h, "the sheets window", |h| h.query_by_label("Folder").is_some());
    let one = tempfile::tempdir().unwrap();
    set_folder(&mut h, one.path());
    h.get_by_role_and_label(egui::Role::Button, "Write sheets").click();
    h.run_steps(1);
    wait_for(&mut h, "the sheet", |h| h.query_by_label_contains("written").is_some());
    h.get_by_label("1 file written");
    let files: Vec<_> = std::fs::read_dir(one.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(files, ["D00007.pdf"]);
    assert!(pdf_page_size(&one.path().join("D00007.pdf")).contains("595.28 x 841.89"));
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

#[test]
fn workspace_cases_view_overturns_a_case_and_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("North station");
    let events = sample_workspace(&ws_dir);
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    h.state_mut().open_workspace(ws_dir.clone());
    settle(&mut h);
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.workspace.is_some()));
    let has = |h: &Harness<'_, StandwatchApp>, id: &str| {
        let d = &h.state().loaded().unwrap().dataset.deliveries;
        d.column("tracking_id").unwrap().str().unwrap().iter().any(|t| t == Some(id))
    };
    assert!(has(&h, &events[0]));
    // In a case already: the grounds no longer make D00001 DISPUTABLE.
    let l = h.state().loaded().unwrap();
    let d1 = l.fleet.driver_index("D00001").unwrap();
    assert!(!l.fleet.standing(d1, l.overview.as_of).alerts.has(standwatch::standing::alerts::Alert::Disputable));

    open_tab(&mut h, "Cases");
    h.get_by_label("Cases in North station");
    // Before a case is selected nothing on screen depends on today's date.
    h.snapshot("cases_view");
    h.get_by_label("D00001").click();
    h.run_steps(2);
    h.get_by_label("Case 1 · D00001 · dispute");
    h.get_by_role_and_label(egui::Role::Button, "overturned").click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Apply status").click();
    h.run_steps(1);
    wait_for(&mut h, "the overturn", |h| {
        !h.state().is_busy()
            && h.state()
                .loaded()
                .and_then(|l| l.workspace.as_ref())
                .is_some_and(|w| w.cases[0].status == standwatch::workspace::cases::CaseStatus::Overturned)
    });
    // Overturned events stop counting: they are gone from the data on screen.
    for id in &events {
        assert!(!has(&h, id), "{id} still counts");
    }
    h.get_by_label_contains("overturned)");
    // The overturned case is closed: listed under Closed, not under Open.
    h.get_by_role_and_label(egui::Role::Button, "Open").click();
    h.run_steps(2);
    assert!(h.query_by_label("D00001").is_none());
    h.get_by_role_and_label(egui::Role::Button, "Closed").click();
    h.run_steps(2);
    h.get_by_label("D00001");
}

#[test]
fn a_damaged_workspace_is_named_and_another_one_offered() {
    // Given at start (`standwatch --workspace DIR`): the sample data load it replaced
    // comes back when it fails.
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("Damaged");
    std::fs::create_dir_all(&damaged).unwrap();
    std::fs::write(damaged.join("standwatch.db"), vec![0x5a; 8192]).unwrap();
    h.state_mut().open_workspace(damaged);
    settle(&mut h);
    wait_for(&mut h, "the sample data", |h| h.state().loaded().is_some());
    h.get_by_label_contains("This workspace cannot be opened:");
    h.get_by_label_contains("Choose another folder");
    h.get_by_role_and_label(egui::Role::Button, "Open or create");
    // The sample data stays on screen.
    assert_eq!(h.state().loaded().unwrap().fleet.drivers.len(), 40);
}

// ---- A manager's first day (issue 20): each of these failed before its fix. ----

#[test]
fn a_new_folder_becomes_a_workspace_and_takes_the_files_on_screen() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("Fleet North");
    h.get_by_role_and_label(egui::Role::Button, "Workspace…").click();
    h.run_steps(2);
    h.get_by_label("Folder").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Folder").type_text(&new.display().to_string());
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::Button, "Open or create").click();
    h.run_steps(1);
    wait_for(&mut h, "the new workspace", |h| {
        !h.state().is_busy() && h.state().loaded().is_some_and(|l| l.workspace.is_some())
    });
    assert!(new.join("standwatch.db").is_file(), "created");
    assert_eq!(h.state().loaded().unwrap().fleet.drivers.len(), 0, "empty");
    // It offers the sample data that was on screen.
    h.get_by_label_contains("Import the files that were on screen");
    h.get_by_role_and_label(egui::Role::Button, "Import them").click();
    h.run_steps(1);
    wait_for(&mut h, "the import", |h| {
        !h.state().is_busy() && h.state().loaded().is_some_and(|l| l.fleet.drivers.len() == 40)
    });
    assert!(h.query_by_label_contains("Import the files that were on screen").is_none());
    // Every file that was on screen went in, the concessions and exceptions reports too:
    // the standing is the files' own.
    let l = h.state().loaded().unwrap();
    let kinds: Vec<&str> = l.report.files.iter().map(|f| f.kind.name()).collect();
    assert_eq!(kinds, ["blocks", "deliveries", "roster", "outages", "concessions", "exceptions"]);
    let files = standwatch::load::load(
        standwatch::load::Source::Files(standwatch::app::sample_inputs()),
        standwatch::settings::Settings::default(),
        &standwatch::load::Options::default(),
        &standwatch::load::Progress::NONE,
    )
    .unwrap();
    let day = files.fleet.default_as_of().unwrap();
    let d7 = files.fleet.driver_index("D00007").unwrap();
    assert_eq!(l.fleet.standing(d7, day), files.fleet.standing(d7, day));
    assert_eq!(l.fleet.standing(d7, day).quality.dnr, 3, "the concessions' claims count");
    open_tab(&mut h, "Cases");
    h.get_by_label("Cases in Fleet North");
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

#[test]
fn typed_letter_text_survives_a_new_draft_and_closing_asks_first() {
    let mut h = app();
    open_letter(&mut h, "D00003");
    assert!(h.query_by_label("Unsaved changes").is_none());
    // Type at the end of the letter.
    h.get_by_label("Letter text").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.get_by_label("Letter text").type_text(" — call me on 555-0100");
    h.run_steps(2);
    assert!(letter_text(&h).contains("call me on 555-0100"));
    h.get_by_label("Unsaved changes");
    // Untick an event: the letter is drafted again around the typed words.
    h.get_by_label_contains("TBA0000007092: ").scroll_to_me();
    h.run_steps(2);
    // Leave the text field first (kittest's click does not take the focus from it).
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.get_by_label_contains("TBA0000007092: ").click();
    h.run_steps(1);
    wait_for(&mut h, "the new draft", |h| !letter_text(h).contains("TBA0000007092"));
    let text = letter_text(&h);
    assert!(text.contains("call me on 555-0100"), "the typed words were lost:\n{text}");
    assert!(text.contains("TBA0000007699"), "{text}");
    // Closing with × asks before the edits are lost.
    h.get_by_role_and_label(egui::Role::Button, "Close window").click();
    h.run_steps(2);
    h.get_by_label("This letter has changes that are not saved.");
    h.get_by_role_and_label(egui::Role::Button, "Keep editing").click();
    h.run_steps(2);
    assert!(letter_text(&h).contains("call me on 555-0100"));
    h.get_by_role_and_label(egui::Role::Button, "Close window").click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Discard changes").click();
    h.run_steps(2);
    assert!(h.query_by_label("Letter text").is_none(), "closed");
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

#[test]
fn copy_text_puts_the_letter_on_the_clipboard() {
    let mut h = app();
    open_letter(&mut h, "D00003");
    let text = letter_text(&h);
    h.get_by_role_and_label(egui::Role::Button, "Copy text").click();
    h.run_steps(1);
    let copied = copied_texts(&h);
    assert_eq!(copied, [text]);
}

#[test]
fn recomputing_stays_on_the_view_on_screen() {
    let mut h = app();
    // A driver opened earlier does not come back after a recompute.
    h.get_by_label("D00001").click();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().tab(), Tab::Driver);
    open_tab(&mut h, "Settings");
    h.get_by_role_and_label(egui::Role::SpinButton, "Blocks in the reliability window").set_value_accesskit(10.0);
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Apply and recompute").click();
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().tab(), Tab::Settings, "Apply and recompute stays on Settings");
    open_tab(&mut h, "Fleet");
    h.state_mut().send(standwatch::app::Command::SetAsOf(standwatch::import::time::day_from_date(
        chrono::NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
    )));
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().tab(), Tab::Fleet, "a new As-of day stays on Fleet");
    // The open driver was refreshed in place.
    open_tab(&mut h, "Driver");
    h.get_by_label("D00001");
}

#[test]
fn a_mistyped_path_is_named_beside_its_field_and_nothing_is_imported() {
    let mut h = app();
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    h.get_all_by_role_and_label(egui::Role::Button, "Open files…").next().unwrap().click();
    h.run_steps(2);
    // A roster file given as outages is another kind of export.
    for (field, path) in [
        ("Blocks", dir.path().join("blockz.csv")),
        ("Deliveries", sample.join("deliveries.csv")),
        ("Outages (optional)", sample.join("roster.csv")),
    ] {
        h.get_by_role_and_label(egui::Role::TextInput, field).focus();
        h.run_steps(1);
        h.get_by_role_and_label(egui::Role::TextInput, field).type_text(&path.display().to_string());
        h.run_steps(1);
    }
    h.get_by_role_and_label(egui::Role::Button, "Import").click();
    h.run_steps(2);
    h.get_by_label_contains("blockz.csv: no such file");
    h.get_by_label_contains("roster.csv: a roster export, not outages");
    assert!(!h.state().is_busy(), "nothing imported");
    assert_eq!(h.state().loaded().unwrap().fleet.drivers.len(), 40);
}

#[test]
fn reactivation_is_drafted_only_for_deactivated_drivers() {
    let mut h = app();
    for (driver, enabled) in [("D00001", false), ("D00010", true)] {
        h.get_by_label("Search").click();
        h.run_steps(1);
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label("Search").type_text(driver);
        h.run_steps(2);
        h.get_by_label(driver).click();
        h.run_steps(1);
        h.key_press(egui::Key::Enter);
        h.run_steps(3);
        let button = h.get_by_role_and_label(egui::Role::Button, "Draft reactivation");
        assert_eq!(!button.accesskit_node().is_disabled(), enabled, "{driver}");
        open_tab(&mut h, "Fleet");
    }
}

#[test]
fn settings_fields_keep_every_keystroke_and_check_the_sender_as_typed() {
    let mut h = app();
    open_tab(&mut h, "Settings");
    let field = "Time zone (IANA name)";
    h.get_by_label(field).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run_steps(1);
    // One character a frame: the first ones are not a zone yet and show an error.
    for c in "America/Chicago".chars() {
        h.get_by_label(field).type_text(&c.to_string());
        h.run_steps(1);
    }
    assert_eq!(h.get_by_label(field).value().as_deref(), Some("America/Chicago"));
    let sender = "Sender email (From)";
    h.get_by_label(sender).focus();
    h.run_steps(1);
    h.get_by_label(sender).type_text("Jordan Lee <ops@fleet.example>");
    h.run_steps(2);
    assert!(h.query_all_by_label_contains("has a name or angle brackets").count() >= 1, "shown where it is typed");
    let apply = h.get_by_role_and_label(egui::Role::Button, "Apply and recompute");
    assert!(apply.accesskit_node().is_disabled(), "not applied with a bad sender");
}

/// Observed tiers dropped on the app: shown in the driver view beside the computed tier;
/// Settings › Calibrate fits the thresholds in a window that applies them only on request.
#[test]
fn observed_tiers_are_shown_and_calibration_applies_only_when_accepted() {
    let mut h = app();
    let (fleet, dataset) = {
        let l = h.state().loaded().unwrap();
        (l.fleet.clone(), l.dataset.clone())
    };
    let last = fleet.default_as_of().unwrap();
    let csv = common::scorecards(&dataset, last);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scorecards.csv");
    std::fs::write(&path, csv).unwrap();
    drop_files(&mut h, &[path]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while h.state().observed().is_none() {
        assert!(Instant::now() < deadline, "the observed tiers were not read");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
    assert_eq!(h.state().loaded().unwrap().fleet.drivers.len(), 40, "the data on screen stays");
    h.get_by_label_contains("Observed tiers: ");
    // The fleet view marks the tier seen on the as-of day beside the computed one.
    let marks = h.query_all_by_label_contains("seen ").count();
    assert!(marks >= 10, "the rows on screen show the tier seen on the as-of day ({marks})");

    // The driver view shows the latest tier seen beside the computed one.
    h.get_by_label("D00002").click();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    h.get_by_label_contains(&format!("Seen on {}", standwatch::report::day_text(last)));

    open_tab(&mut h, "Settings");
    h.get_by_role_and_label(egui::Role::Button, "Calibrate from observed tiers…").click();
    h.run_steps(1);
    let deadline = Instant::now() + Duration::from_secs(60);
    while h.state().calibration().is_none() {
        assert!(Instant::now() < deadline, "the calibration did not finish");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
    let c = h.state().calibration().unwrap().clone();
    assert!(c.agree_after > c.agree_before, "{} → {}", c.agree_before, c.agree_after);
    h.get_by_label_contains("Agreement on the overall tier");
    // Nothing changes until the user accepts.
    assert_eq!(h.state().loaded().unwrap().fleet.thresholds, standwatch::config::Thresholds::default());
    h.get_by_role_and_label(egui::Role::Button, "Apply these thresholds").click();
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().loaded().unwrap().fleet.thresholds, c.after);
    assert!(h.state().calibration().is_none(), "the window closed");
    h.get_by_label("No changes to apply");
}

/// docs/rules.md §8.3: a ground with at least 10 decided events overturned less than 20 %
/// of the time starts unticked in a new letter ("rarely overturned"); the user can tick it
/// back. Its past rate is shown beside the incident.
#[test]
fn a_ground_rarely_overturned_starts_unticked_and_can_be_ticked_back() {
    use standwatch::standing::{EventRef, EventSide};
    use standwatch::workspace::Workspace;
    use standwatch::workspace::cases::{CaseStatus, CaseUpdate, NewCase};
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("North station");
    sample_workspace(&ws_dir);
    {
        // Twelve events disputed on ACCESS_DOCUMENTED before: one overturned, eleven denied.
        let mut ws = Workspace::open(&ws_dir).unwrap();
        let day = ws.zone().today();
        let events: Vec<EventRef> =
            (0..12).map(|i| EventRef { side: EventSide::Package, id: format!("OLD{i:02}") }).collect();
        let case = NewCase {
            driver_id: "D00040".into(),
            kind: standwatch::letters::LetterKind::Dispute,
            file: None,
            created_on: day,
            events,
            grounds: vec!["ACCESS_DOCUMENTED"; 12],
        };
        let id = ws.add_case(&case).unwrap();
        let update = CaseUpdate {
            status: CaseStatus::PartlyOverturned,
            overturned: Some(vec!["OLD00".into()]),
            on: day,
            note: None,
        };
        ws.set_case(id, &update).unwrap();
        let stats = ws.ground_stats().unwrap();
        let access = stats.iter().find(|s| s.ground == "ACCESS_DOCUMENTED").unwrap();
        assert_eq!((access.disputed, access.overturned, access.denied, access.pending), (12, 1, 11, 0));
        assert!(access.rarely_overturned());
    }
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    h.state_mut().open_workspace(ws_dir.clone());
    settle(&mut h);
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.workspace.is_some()));
    let d7 = h.state().loaded().unwrap().fleet.driver_index("D00007").unwrap();
    h.state_mut().send(standwatch::app::Command::OpenDriver(d7));
    h.run_steps(3);
    h.state_mut().send(standwatch::app::Command::DraftLetter(standwatch::letters::LetterKind::Dispute));
    h.run_steps(1);
    wait_for(&mut h, "the letter", |h| h.state().letter_text().is_some());
    let text = h.state().letter_text().unwrap().to_string();
    assert!(!text.contains("Access problems documented"), "left out: {text}");
    assert!(text.contains("DNR claims"), "other grounds stay: {text}");
    h.get_by_label_contains("1 of 12 overturned (8%): rarely overturned");
    // Ticked back, the incident comes back into the letter.
    h.get_by_label_contains("Access problems documented (").click();
    h.run_steps(1);
    wait_for(&mut h, "the new draft", |h| h.state().letter_text().is_some_and(|t| t.contains("Access problems")));
}

/// Ctrl+C in the fleet table copies the selected rows as shown, tab-separated under the
/// column titles, to paste into a spreadsheet.
#[test]
fn copying_selected_rows_gives_tab_separated_text() {
    let mut h = app();
    h.get_by_label("D00001").click();
    h.run_steps(1);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowDown);
    h.run_steps(1);
    h.get_by_label("40 shown · 2 selected");
    h.input_mut().events.push(egui::Event::Copy);
    h.run_steps(1);
    let copied = copied_texts(&h);
    assert_eq!(copied.len(), 1, "{copied:?}");
    let lines: Vec<&str> = copied[0].lines().collect();
    assert_eq!(lines.len(), 3, "{}", copied[0]);
    assert!(lines[0].starts_with("Driver\tName\tStation\tOverall\tReliability\t"), "{}", lines[0]);
    let first: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(first.len(), lines[0].split('\t').count());
    assert!(lines[1].starts_with("D0000") && lines[2].starts_with("D0000"), "{}", copied[0]);
}

/// About: the version and the folders the program uses.
#[test]
fn about_shows_the_version_and_the_folders() {
    let mut h = app();
    h.get_by_role_and_label(egui::Role::Button, "About").click();
    h.run_steps(2);
    h.get_by_label(&format!("Standwatch {}", env!("CARGO_PKG_VERSION")));
    h.get_by_label("Sample data");
    h.get_by_label(&standwatch::sample::dir().display().to_string());
}
