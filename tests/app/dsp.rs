//! DSP mode in the app (SPEC §7.4): the sample's scorecards on the first start, the week
//! selector, what needs attention first, the DA view with its charts and defects, the
//! dispute letter of a week, and scorecards dropped on the window.

use super::*;

#[test]
fn the_first_start_shows_the_sample_dsps_scorecards_attention_first() {
    let mut h = app();
    open_tab(&mut h, "Scorecards");
    assert_eq!(h.state().tab(), Tab::Scorecards);
    let (week, ids) = h.state().scorecard_rows().unwrap();
    // The newest of the sample's 8 weeks, its 30 DAs, the lowest tier first.
    assert_eq!(week.label(), "2026-W09");
    assert_eq!(ids.len(), 30);
    let l = h.state().loaded().unwrap();
    let cards = &l.data.scorecards;
    let first = cards.row(&ids[0], week).unwrap();
    assert!(first.alerts.contains(standwatch::scorecard::alerts::DspAlert::AtRisk), "{:?}", first.alerts);
    let last = cards.row(&ids[29], week).unwrap();
    assert!(!last.alerts.contains(standwatch::scorecard::alerts::DspAlert::AtRisk));
    h.get_by_label("Week");
    assert!(h.get_all_by_label_contains("At the lowest tier").count() >= 1);
    // The week before, with the ◀ button.
    h.get_by_role_and_label(egui::Role::Button, "◀").click();
    h.run_steps(2);
    assert_eq!(h.state().scorecard_rows().unwrap().0.label(), "2026-W08");
    // Only the DAs with an alert.
    h.get_by_label("Needs attention only").click();
    h.run_steps(2);
    let (_, shown) = h.state().scorecard_rows().unwrap();
    let cards = &h.state().loaded().unwrap().data.scorecards;
    let week = h.state().scorecard_rows().unwrap().0;
    assert!(shown.len() < 30 && shown.iter().all(|id| !cards.row(id, week).unwrap().alerts.is_empty()));
}

#[test]
fn a_da_opens_with_the_weeks_metrics_defects_and_a_dispute_of_the_week() {
    let mut h = app();
    open_tab(&mut h, "Scorecards");
    let (week, ids) = h.state().scorecard_rows().unwrap();
    h.get_by_label(&ids[0]).click();
    h.run_steps(3);
    assert_eq!(h.state().tab(), Tab::Da);
    assert_eq!(h.state().da_open(), Some((ids[0].clone(), week)));
    h.get_by_label("Week 2026-W09");
    h.get_by_label("Coaching when");
    h.get_by_label("POD < 99.0%");
    h.get_by_label_contains("Defects of the week (");
    // The week before of the same DA, and back.
    h.get_by_role_and_label(egui::Role::Button, "◀").click();
    h.run_steps(3);
    assert_eq!(h.state().da_open().unwrap().1.label(), "2026-W08");
    h.get_by_role_and_label(egui::Role::Button, "▶").click();
    h.run_steps(3);
    assert_eq!(h.state().da_open().unwrap().1.label(), "2026-W09");
    h.get_by_role_and_label(egui::Role::Button, "Draft dispute").click();
    wait_for(&mut h, "the week's letter", |h| h.state().letter_text().is_some());
    let text = h.state().letter_text().unwrap().to_string();
    assert!(text.contains("from my scorecard of week 2026-W09"), "{text}");
    assert!(text.contains("the scorecard of week 2026-W09 would change: DNR DPMO"), "{text}");
}

#[test]
fn dropped_scorecards_open_in_dsp_mode_alone() {
    let mut h = app();
    let card = |name: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon/scorecards").join(name);
    // A workspace-less drop of scorecards and their reports: DSP mode without a Flex fleet.
    // (The files on screen are the sample: dropped files replace them.)
    drop_files(
        &mut h,
        &[card("DSP Overview Week 17 2026.csv"), card("scorecard W16 2026.csv"), card("rts week 17.csv")],
    );
    wait_for(&mut h, "the scorecards", |h| {
        h.state().loaded().is_some_and(|l| l.data.scorecards.das.len() == 4 && l.data.fleet.listed().count() == 0)
    });
    // Nothing for the Flex views to show: the Scorecards view comes first.
    assert_eq!(h.state().tab(), Tab::Scorecards);
    let (week, ids) = h.state().scorecard_rows().unwrap();
    assert_eq!(week.label(), "2026-W17");
    assert_eq!(ids[0], "A5S6D7F8G9", "Dev Patel: Poor after Fair");
}

#[test]
fn snapshots_of_the_dsp_views() {
    let mut h = app();
    open_tab(&mut h, "Scorecards");
    h.run_steps(2);
    h.snapshot("scorecards_view");
    let (_, ids) = h.state().scorecard_rows().unwrap();
    h.get_by_label(&ids[0]).click();
    h.run_steps(4);
    h.snapshot("da_view");
}

#[test]
fn coaching_sheets_of_the_weeks_das_and_of_the_da_on_screen() {
    let mut h = app();
    open_tab(&mut h, "Scorecards");
    h.get_by_label("Needs attention only").click();
    h.run_steps(2);
    let (week, shown) = h.state().scorecard_rows().unwrap();
    h.get_by_role_and_label(egui::Role::Button, "Coaching sheets…").click();
    h.run_steps(1);
    wait_for(&mut h, "the sheets window", |h| h.query_by_label("Folder").is_some());
    let dir = tempfile::tempdir().unwrap();
    set_folder(&mut h, dir.path());
    h.get_by_role_and_label(egui::Role::Button, "Write sheets").click();
    h.run_steps(1);
    wait_for(&mut h, "the sheets", |h| h.query_by_label_contains("files written").is_some());
    // A sheet per DA listed (the filter applies) and the week's summary.
    h.get_by_label(&format!("{} files written", shown.len() + 1));
    for id in &shown {
        assert!(dir.path().join(format!("{id}.pdf")).is_file(), "{id}");
    }
    assert!(dir.path().join(format!("week-{week}.pdf")).is_file());
    h.get_by_role_and_label(egui::Role::Button, &format!("Open week-{week}.pdf"));

    // The DA on screen: their sheet alone.
    h.get_by_label("Close window").click();
    h.run_steps(2);
    h.get_by_label(&shown[0]).click();
    h.run_steps(3);
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
    assert_eq!(files, [std::ffi::OsString::from(format!("{}.pdf", shown[0]))]);
    assert!(pdf_page_size(&one.path().join(&files[0])).contains(default_page_size()));
}

#[test]
fn dsp_settings_learn_the_bounds_and_edit_the_coaching_triggers() {
    use standwatch::scorecard::bounds::DspBounds;
    use standwatch::scorecard::metrics::DspMetric;
    let mut h = app();
    open_tab(&mut h, "Settings");
    h.get_by_label("Sunday (Amazon's weeks)");
    // Learn: the sample's tiers come from bounds of its own (generate/scorecards.rs).
    h.get_by_role_and_label(egui::Role::Button, "Learn the bounds from the scorecards…").scroll_to_me();
    h.run_steps(30);
    h.get_by_role_and_label(egui::Role::Button, "Learn the bounds from the scorecards…").click();
    h.run_steps(1);
    wait_for(&mut h, "the learnt bounds", |h| h.query_by_label_contains("Tiers reproduced:").is_some());
    let node = format!("{:?}", h.get_by_label_contains("Tiers reproduced:"));
    let summary = node[node.find("Tiers reproduced:").unwrap()..].to_string();
    let counts: Vec<usize> =
        summary.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
    // "Tiers reproduced: B/N (x%) now, A/N (y%) with the learnt bounds"
    let (before, rows, after) = (counts[0], counts[1], counts[4]);
    assert!(after >= before && after * 100 >= rows * 97, "{summary}");
    h.get_by_role_and_label(egui::Role::Button, "Apply these bounds").click();
    h.run_steps(1);
    wait_for(&mut h, "the recomputed scorecards", |h| {
        !h.state().is_busy() && h.state().loaded().is_some_and(|l| l.data.scorecards.bounds != DspBounds::default())
    });
    assert!(h.query_by_label("Learn the scorecard tier bounds").is_none(), "the window closes");

    // No coaching on DCR: the first trigger removed, applied.
    assert_eq!(h.state().loaded().unwrap().data.scorecards.triggers.0[0].metric, DspMetric::Dcr);
    h.get_all_by_role_and_label(egui::Role::Button, "Remove").next().unwrap().scroll_to_me();
    h.run_steps(30);
    h.get_all_by_role_and_label(egui::Role::Button, "Remove").next().unwrap().click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Apply and recompute").click();
    h.run_steps(1);
    wait_for(&mut h, "the triggers applied", |h| {
        !h.state().is_busy()
            && h.state()
                .loaded()
                .is_some_and(|l| l.data.scorecards.triggers.0.iter().all(|t| t.metric != DspMetric::Dcr))
    });
    let cards = &h.state().loaded().unwrap().data.scorecards;
    assert!(cards.rows.iter().all(|r| !r.coach.contains(&DspMetric::Dcr)));
    assert!(cards.rows.iter().any(|r| !r.coach.is_empty()), "the other triggers still apply");
}
