//! The views on screen: the fleet table, alerts, the driver, settings, snapshots, copying.

use super::*;

#[test]
fn opens_on_the_sample_data_with_every_driver() {
    let mut h = app();
    let l = h.state().loaded().unwrap();
    assert_eq!(l.data.fleet.listed().count(), 40);
    assert_eq!(h.state().visible_drivers().len(), 40);
    h.get_by_label("Sample data — open your own exports");
    // Who needs attention first: sorted by the most severe alert, its words beside the name.
    h.get_by_role_and_label(egui::Role::Button, "Alerts ▲");
    let l = h.state().loaded().unwrap();
    let severity = |&p: &usize| l.overview.drivers[p].standing.alerts.iter().next().map_or(usize::MAX, |a| a as usize);
    let order: Vec<usize> = h.state().visible_drivers().iter().map(severity).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    assert_eq!(order[0], standwatch::standing::alerts::Alert::AtRisk as usize);
    h.get_all_by_label_contains("At Risk, ").next().unwrap();
    // A deactivated driver is marked; "since last week" names what moved.
    h.get_all_by_label("deactivated").next().unwrap();
    h.get_all_by_label_contains(" → ").next().unwrap();
    by_id(&mut h);
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
    by_id(&mut h);
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
    by_id(&mut h);
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
    assert_eq!(l.data.settings.thresholds.windows.blocks, 1);
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
fn snapshots_of_each_view() {
    let mut h = app();
    h.snapshot("fleet_view");
    open_tab(&mut h, "Alerts");
    h.snapshot("alerts_view");
    open_tab(&mut h, "Addresses");
    h.get_by_label(&h.state().loaded().unwrap().data.fleet.clusters()[0].label.clone()).click();
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
fn recomputing_stays_on_the_view_on_screen() {
    let mut h = app();
    by_id(&mut h);
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

/// Ctrl+C in the fleet table copies the selected rows as shown, tab-separated under the
/// column titles, to paste into a spreadsheet.
#[test]
fn copying_selected_rows_gives_tab_separated_text() {
    let mut h = app();
    by_id(&mut h);
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
    assert!(
        lines[0].starts_with("Driver\tName\tAlerts\tOverall\tSince last week\tStation\tReliability\t"),
        "{}",
        lines[0]
    );
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

#[test]
fn export_writes_the_drivers_shown_to_a_typed_path_without_a_file_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app();
    h.get_by_role_and_label(egui::Role::Button, "Export…").click();
    wait_for(&mut h, "the export window", |h| h.query_by_label("Save as").is_some());
    // Offered beside the letters, named after the day.
    let offered = h.get_by_label("Save as").value().unwrap_or_default();
    assert!(offered.ends_with("standing-2026-03-03.xlsx"), "{offered}");
    // A typed name without an extension becomes a workbook; its folder is made.
    let target = dir.path().join("exports").join("north");
    h.get_by_label("Save as").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Save as").type_text(&target.display().to_string());
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::Button, "Export").click();
    let written = target.with_extension("xlsx");
    let done = format!("Exported to {}", written.display());
    wait_for(&mut h, "the export", |h| h.query_by_label(&done).is_some());
    let bytes = std::fs::read(&written).unwrap();
    assert!(bytes.starts_with(b"PK"), "a workbook");
    // Again: it says the file exists and is replaced.
    h.get_by_label_contains("north.xlsx exists: Export replaces it.");
}

#[test]
fn the_driver_views_and_n_more_opens_the_rest() {
    let mut h = app();
    show_driver(&mut h, "D00007");
    wait_for(&mut h, "the driver", |h| h.query_all_by_label_contains(" leaves on ").next().is_some());
    let before = h.query_all_by_label_contains(" leaves on ").count();
    assert_eq!(before, 8, "eight shown");
    let more = (1..200).find(|n| h.query_by_label(&format!("and {n} more")).is_some()).expect("an 'and N more'");
    h.get_by_label(&format!("and {more} more")).click();
    h.run_steps(3);
    assert_eq!(h.query_all_by_label_contains(" leaves on ").count(), 8 + more);
}
