//! Workspaces: cases, a damaged workspace, a new folder that takes the files on screen
//! (a manager's first day, issue 20: each of these failed before its fix).

use super::*;

/// Picks a status for the open case and applies it (the change then runs on the worker).
fn apply_status(h: &mut Harness<'_, StandwatchApp>, status: &str) {
    h.get_by_role_and_label(egui::Role::Button, status).click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Apply status").click();
    h.run_steps(1);
}

#[test]
fn workspace_cases_view_overturns_a_case_and_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("North station");
    let events = sample_workspace(&ws_dir);
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    h.state_mut().open_workspace(ws_dir.clone());
    settle(&mut h);
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.data.workspace.is_some()));
    let has = |h: &Harness<'_, StandwatchApp>, id: &str| {
        let d = &h.state().loaded().unwrap().data.dataset.deliveries;
        d.column("tracking_id").unwrap().str().unwrap().iter().any(|t| t == Some(id))
    };
    assert!(has(&h, &events[0]));
    // In a case already: the grounds no longer make D00001 DISPUTABLE.
    let l = h.state().loaded().unwrap();
    let d1 = l.data.fleet.driver_index("D00001").unwrap();
    assert!(!l.data.fleet.standing(d1, l.overview.as_of).alerts.has(standwatch::standing::alerts::Alert::Disputable));

    open_tab(&mut h, "Cases");
    h.get_by_label("Cases in North station");
    // Before a case is selected nothing on screen depends on today's date.
    h.snapshot("cases_view");
    h.get_by_label("D00001").click();
    h.run_steps(2);
    h.get_by_label("Case 1 · D00001 · dispute");
    apply_status(&mut h, "overturned");
    wait_for(&mut h, "the overturn", |h| {
        !h.state().is_busy()
            && h.state()
                .loaded()
                .and_then(|l| l.data.workspace.as_ref())
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
    assert_eq!(h.state().loaded().unwrap().data.fleet.listed().count(), 40);
}

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
        !h.state().is_busy() && h.state().loaded().is_some_and(|l| l.data.workspace.is_some())
    });
    assert!(new.join("standwatch.db").is_file(), "created");
    assert_eq!(h.state().loaded().unwrap().data.fleet.listed().count(), 0, "empty");
    // It offers the sample data that was on screen.
    h.get_by_label_contains("Import the files that were on screen");
    h.get_by_role_and_label(egui::Role::Button, "Import them").click();
    h.run_steps(1);
    wait_for(&mut h, "the import", |h| {
        !h.state().is_busy() && h.state().loaded().is_some_and(|l| l.data.fleet.listed().count() == 40)
    });
    assert!(h.query_by_label_contains("Import the files that were on screen").is_none());
    // Every file that was on screen went in, the concessions and exceptions reports and the
    // DSP's scorecards too: the standing is the files' own.
    let l = h.state().loaded().unwrap();
    let kinds: Vec<&str> = l.data.report.files.iter().map(|f| f.kind.name()).collect();
    let mut expected = vec!["blocks", "deliveries", "roster", "outages", "concessions", "concessions"];
    expected.extend(["exceptions", "exceptions"]);
    expected.extend(["scorecard"; 8]);
    assert_eq!(kinds, expected);
    assert_eq!(l.data.scorecards.rows.len(), 240);
    let files = standwatch::load::load(
        standwatch::load::Source::Files(standwatch::app::sample_inputs()),
        standwatch::settings::Settings::default(),
        &standwatch::load::Options::default(),
        &standwatch::load::Progress::NONE,
    )
    .unwrap();
    let day = files.fleet.default_as_of().unwrap();
    let d7 = files.fleet.driver_index("D00007").unwrap();
    assert_eq!(l.data.fleet.standing(d7, day), files.fleet.standing(d7, day));
    assert_eq!(l.data.fleet.standing(d7, day).quality.dnr, 3, "the concessions' claims count");
    open_tab(&mut h, "Cases");
    h.get_by_label("Cases in Fleet North");
}

/// Not a test on its own: the other Standwatch (see `common::spawn_holder`).
#[test]
fn holder_process() {
    common::hold_lock_when_asked();
}

#[test]
fn a_workspace_another_standwatch_holds_opens_read_only_and_refuses_changes() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("Shared drive");
    sample_workspace(&ws_dir);
    let (mut holder, _out) = common::spawn_holder("workspace::holder_process", &ws_dir);
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    h.state_mut().open_workspace(ws_dir.clone());
    settle(&mut h);
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.data.workspace.is_some()));
    // Readable, and it says who holds it.
    h.get_by_label("Read-only:");
    h.get_by_label_contains(&format!("(process {}) since ", holder.id()));
    // A change is refused, and the case stays as it was.
    open_tab(&mut h, "Cases");
    h.get_by_label("D00001").click();
    h.run_steps(2);
    apply_status(&mut h, "overturned");
    wait_for(&mut h, "the refusal", |h| {
        !h.state().is_busy() && h.query_by_label_contains("nothing was changed — try again once it is closed").is_some()
    });
    let cases = standwatch::workspace::Workspace::open(&ws_dir).unwrap().cases().unwrap();
    assert_eq!(cases[0].status, standwatch::workspace::cases::CaseStatus::Draft);
    holder.kill().unwrap();
    holder.wait().unwrap();
    // Once the other one has closed, the workspace opens for changes here by itself.
    wait_for(&mut h, "the workspace open for changes", |h| {
        !h.state().is_busy() && h.query_by_label("Read-only:").is_none()
    });
    h.get_by_label_contains("The other Standwatch closed this workspace");
    open_tab(&mut h, "Cases");
    h.get_by_label("D00001").click();
    h.run_steps(2);
    apply_status(&mut h, "overturned");
    wait_for(&mut h, "the change", |h| !h.state().is_busy());
    let cases = standwatch::workspace::Workspace::open(&ws_dir).unwrap().cases().unwrap();
    assert_eq!(cases[0].status, standwatch::workspace::cases::CaseStatus::Overturned);
}

#[test]
fn the_cases_view_drafts_a_follow_up_due_threaded_under_its_letter() {
    use standwatch::workspace::cases::{CaseStatus, CaseUpdate, NewCase};
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("North station");
    sample_workspace(&ws_dir);
    // A letter sent ten days ago without an answer (follow_up_days = 3).
    let letters = ws_dir.join("letters");
    std::fs::create_dir_all(&letters).unwrap();
    let letter = letters.join("D00001-dispute.eml");
    std::fs::write(
        &letter,
        "From: \"Jordan Lee\" <ops@fleet.example>\r\nTo: support@amazon.example\r\n\
         Subject: Dispute of 2 events for Ana Lee (D00001)\r\nMessage-ID: <orig.1@fleet.example>\r\n\r\nHello\r\n",
    )
    .unwrap();
    let sent = standwatch::import::time::day_from_date(chrono::Utc::now().date_naive()) - 10;
    let mut ws = standwatch::workspace::Workspace::open(&ws_dir).unwrap();
    let case = NewCase {
        driver_id: "D00001".into(),
        kind: standwatch::letters::LetterKind::Dispute,
        file: Some(letter.display().to_string()),
        created_on: sent,
        events: Vec::new(),
        grounds: Vec::new(),
    };
    let id = ws.add_case(&case).unwrap();
    ws.set_case(id, &CaseUpdate { status: CaseStatus::Sent, overturned: None, on: sent, note: None }).unwrap();
    drop(ws);

    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    h.state_mut().open_workspace(ws_dir.clone());
    settle(&mut h);
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.data.workspace.is_some()));
    open_tab(&mut h, "Cases");
    h.get_by_label("1 follow-up due");
    h.get_by_label("follow-up 1 due");
    h.get_by_role_and_label(egui::Role::Button, "Draft it").click();
    h.run_steps(2);
    h.get_by_label_contains("Follow-up drafted:");
    let drafted = letters.join("D00001-dispute-follow-up-1.eml");
    let bytes = std::fs::read(&drafted).unwrap();
    let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(message.in_reply_to().as_text(), Some("orig.1@fleet.example"));
    assert_eq!(message.subject(), Some("Re: Dispute of 2 events for Ana Lee (D00001)"));

    // Only the case due, then its thread and the button to draft its follow-up.
    h.get_by_role_and_label(egui::Role::Button, "Follow-up due").click();
    h.run_steps(2);
    h.get_by_label("D00001").click();
    h.run_steps(2);
    h.get_by_label_contains("Thread: letter sent");
    h.get_by_role_and_label(egui::Role::Button, "Draft follow-up 1");
    // "Followed up" records it sent: nothing is due until three more days have passed.
    apply_status(&mut h, "followed up");
    wait_for(&mut h, "the follow-up recorded", |h| {
        !h.state().is_busy()
            && h.state()
                .loaded()
                .and_then(|l| l.data.workspace.as_ref())
                .is_some_and(|w| w.cases.iter().any(|c| c.id == id && c.follow_ups.len() == 1))
    });
    assert!(h.query_by_label("1 follow-up due").is_none());
    h.get_by_label_contains("follow-up 2 due");
}

#[test]
fn the_driver_view_keeps_a_coaching_log_prefilled_with_the_weakest_metric() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("North station");
    sample_workspace(&ws_dir);
    let mut h = Harness::builder().with_size([1280.0, 800.0]).build_eframe(|cc| StandwatchApp::new(&cc.egui_ctx, None));
    h.state_mut().open_workspace(ws_dir.clone());
    settle(&mut h);
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.data.workspace.is_some()));
    // D00007: Fair on quality for its DNR claims, Fantastic on reliability.
    show_driver(&mut h, "D00007");
    wait_for(&mut h, "the driver", |h| h.query_by_label("Nothing written down yet.").is_some());
    h.get_by_label("Coaching log");
    assert_eq!(h.get_by_label("Topic").value().as_deref(), Some("DNR claims in the window"));
    h.get_by_label("Agreed").focus();
    h.run_steps(1);
    h.get_by_label("Agreed").type_text("Photo at every door");
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::Button, "Add to the log").click();
    h.run_steps(1);
    wait_for(&mut h, "the entry", |h| {
        !h.state().is_busy()
            && h.state().loaded().and_then(|l| l.data.workspace.as_ref()).is_some_and(|w| w.coaching.len() == 1)
    });
    h.get_by_label("Coaching log (1)");
    h.get_by_label_contains("· DNR claims in the window");
    h.get_by_label("agreed: Photo at every door");
    // Beside a metric's entry, its value then and now (the same day here).
    h.get_by_label_contains("DNR claims in the window: 2 claims then, 2 claims now");
    // The entry survives a restart of the app: it is in the workspace.
    let entries = standwatch::workspace::Workspace::open(&ws_dir).unwrap().coaching(Some("D00007")).unwrap();
    assert_eq!(
        (entries[0].topic.as_str(), entries[0].agreed.as_str()),
        ("DNR claims in the window", "Photo at every door")
    );
    h.get_by_role_and_label(egui::Role::Button, "improved").click();
    h.run_steps(1);
    wait_for(&mut h, "the outcome", |h| {
        !h.state().is_busy()
            && h.state().loaded().and_then(|l| l.data.workspace.as_ref()).is_some_and(|w| {
                w.coaching[0].outcome == Some(standwatch::workspace::coaching::CoachingOutcome::Improved)
            })
    });
    h.get_by_label_contains("improved on ");
    assert!(h.query_by_role_and_label(egui::Role::Button, "improved").is_none());
}

#[test]
fn without_a_workspace_the_coaching_log_says_where_it_is_kept() {
    let mut h = app();
    show_driver(&mut h, "D00007");
    wait_for(&mut h, "the driver", |h| h.query_by_label("Coaching log").is_some());
    h.get_by_label("Coaching log").click();
    h.run_steps(3);
    h.get_by_label("The coaching log is kept in a workspace: open one with Workspace….");
}
