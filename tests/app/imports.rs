//! Files opened or dropped: bad rows, workbooks, Amazon's reports, unrelated files, reopening.

use super::*;

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
    assert_eq!(l.data.fleet.listed().count(), 2);
    assert_eq!(l.data.report.rejections.len(), 2);
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
    let driver = l.data.fleet.driver_index("A1").unwrap();
    let day = l.data.fleet.default_as_of().unwrap();
    assert_eq!(l.data.fleet.standing(driver, day).quality.dnr, 1);
    let events = l.data.fleet.events(driver, day).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, "T1");
    assert_eq!(events[0].grounds, standwatch::standing::grounds::Grounds::DELIVERED_AT_PIN);
    // The concession for a package not in the deliveries is listed.
    assert!(
        l.data.report.notes.iter().any(|n| n.contains("T9") && n.contains("matches no delivery")),
        "{:?}",
        l.data.report.notes
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
    let first = h.state().loaded().unwrap().data.fleet.clusters()[0].clone();
    assert!(first.drivers().len() >= 2 && first.events.len() >= 3, "{first:?}");
    h.get_by_label("Click a building to list its events.");
    h.get_by_label(&first.label).click();
    h.run_steps(2);
    h.get_by_label(&format!("{}: {} events of {} drivers", first.label, first.events.len(), first.drivers().len()));
    let event = &first.events[0];
    h.get_by_label(&event.tracking_id);
    let fleet = &h.state().loaded().unwrap().data.fleet;
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
    let before = h.state().loaded().unwrap().data.fleet.clone();
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
    let paths = l.data.source.paths().unwrap();
    assert!(paths.exceptions.contains(&rts), "{paths:?}");
    assert!(paths.exceptions.len() >= 2, "the sample's own report stays: {paths:?}");
    assert_eq!(l.data.report.rejections.len(), 1, "{:?}", l.data.report.rejections);
    assert!(l.data.report.rejections[0].reason.contains("'unassigned' names no driver"));
    let d1 = l.data.fleet.driver_index("D00001").unwrap();
    let day = l.data.fleet.default_as_of().unwrap();
    let events = l.data.fleet.events(d1, day).unwrap();
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
    assert_eq!(h.state().loaded().unwrap().data.fleet.listed().count(), 40);
    h.get_by_label_contains("invoice.pdf:2: not a text CSV file");
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
    let ids: Vec<&str> = h.state().loaded().unwrap().data.fleet.drivers.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["Z1", "Z2"]);
    assert!(h.query_by_label("Sample data — open your own exports").is_none());

    h.get_by_role_and_label(egui::Role::Button, "Light").click();
    h.run_steps(2);
    let saved = standwatch::settings::Settings::load(&settings_path).unwrap();
    assert!(!saved.dark_mode);
    assert_eq!(saved.recent[0].blocks, blocks);
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
    assert_eq!(h.state().loaded().unwrap().data.fleet.listed().count(), 40);
}

/// Observed tiers dropped on the app: shown in the driver view beside the computed tier;
/// Settings › Calibrate fits the thresholds in a window that applies them only on request.
#[test]
fn observed_tiers_are_shown_and_calibration_applies_only_when_accepted() {
    let mut h = app();
    let (fleet, dataset) = {
        let l = h.state().loaded().unwrap();
        (l.data.fleet.clone(), l.data.dataset.clone())
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
    assert_eq!(h.state().loaded().unwrap().data.fleet.listed().count(), 40, "the data on screen stays");
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
    assert_eq!(h.state().loaded().unwrap().data.fleet.thresholds, standwatch::config::Thresholds::default());
    h.get_by_role_and_label(egui::Role::Button, "Apply these thresholds").click();
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().loaded().unwrap().data.fleet.thresholds, c.after);
    assert!(h.state().calibration().is_none(), "the window closed");
    h.get_by_label("No changes to apply");
}
