//! Letters, batches and coaching sheets drafted from the app.

use super::*;

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
    by_id(&mut h);
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

#[test]
fn coaching_sheets_for_the_selected_drivers_and_the_driver_on_screen() {
    let mut h = app();
    by_id(&mut h);
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

    // The driver on screen: their sheet alone, on the settings' paper (the locale's).
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
    assert!(pdf_page_size(&one.path().join("D00007.pdf")).contains(default_page_size()));
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

#[test]
fn copy_text_puts_the_letter_for_a_support_form_on_the_clipboard() {
    let mut h = app();
    open_letter(&mut h, "D00003");
    let text = letter_text(&h);
    // No sender is set: the editor says whose voice the letter is in, and where to change it.
    h.get_by_label_contains("In the driver's voice");
    h.get_by_role_and_label(egui::Role::Button, "Copy text").click();
    h.run_steps(1);
    let copied = copied_texts(&h);
    // A support form takes no attachments: the copy names the files to upload instead.
    assert_eq!(copied, [standwatch::letters::support_form_text(&text)]);
    let attached = text.lines().find(|l| l.starts_with("Attached: ")).unwrap().to_string();
    assert!(copied[0].contains(&attached.replace("Attached: ", "Uploaded with this form: ")), "{}", copied[0]);
    assert!(!copied[0].contains("the evidence is attached"), "{}", copied[0]);
    h.get_by_role_and_label(egui::Role::Button, "Set a sender…").click();
    h.run_steps(2);
    assert_eq!(h.state().tab(), Tab::Settings);
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
        // A deactivated driver works no blocks: the projection is what reactivation brings.
        let heading = if enabled { "If reactivated: the next 60 days" } else { "Next 60 days" };
        h.get_by_label(heading);
        open_tab(&mut h, "Fleet");
    }
    // Nor does the fleet table project a change for her.
    let l = h.state().loaded().unwrap();
    let d10 = l.data.fleet.driver_index("D00010").unwrap();
    assert!(l.data.fleet.next_overall_change(d10, l.overview.as_of, 60).is_some(), "the pace alone would change it");
    assert!(l.overview.drivers.iter().find(|s| s.driver == d10).unwrap().next_change.is_none());
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
    wait_for(&mut h, "the workspace", |h| h.state().loaded().is_some_and(|l| l.data.workspace.is_some()));
    show_driver(&mut h, "D00007");
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

#[test]
fn batch_drafting_says_which_drivers_got_no_letter_and_why() {
    let mut h = app();
    // D00025 is the sample's one driver without an event that has a dispute ground.
    h.get_by_label("Search").click();
    h.run_steps(1);
    h.get_by_label("Search").type_text("D00025");
    h.run_steps(2);
    h.get_by_label("D00025").click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Draft disputes for selected").click();
    h.run_steps(1);
    wait_for(&mut h, "the batch window", |h| h.query_by_label("Folder").is_some());
    let dir = tempfile::tempdir().unwrap();
    set_folder(&mut h, dir.path());
    h.get_by_role_and_label(egui::Role::Button, "Draft letters").click();
    h.run_steps(1);
    wait_for(&mut h, "the batch", |h| h.query_by_label_contains("letters written").is_some());
    h.get_by_label("0 letters written, with index.csv");
    h.get_by_label("No letter for 1 driver (D00025): has no event with a dispute ground as of 2026-03-03.");
}

#[test]
fn saving_over_another_letter_asks_and_saving_clears_the_close_question() {
    let mut h = app();
    open_letter(&mut h, "D00003");
    let dir = tempfile::tempdir().unwrap();
    // A letter of the same driver and day, saved before (by another editor or another day's work).
    let target = dir.path().join("D00003-dispute-2026-03-03.eml");
    std::fs::write(&target, "an earlier letter").unwrap();
    h.get_by_label("Save as").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Save as").type_text(&target.display().to_string());
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Save .eml").click();
    h.run_steps(2);
    h.get_by_label_contains("exists already");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "an earlier letter", "nothing replaced yet");
    h.get_by_role_and_label(egui::Role::Button, "Save as D00003-dispute-2026-03-03-2.eml").click();
    h.run_steps(2);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "an earlier letter");
    assert!(dir.path().join("D00003-dispute-2026-03-03-2.eml").is_file());
    assert!(h.query_by_label_contains("exists already").is_none());

    // Edited, then closed: the question; saving from the editor's own button answers it.
    h.get_by_label("Letter text").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.get_by_label("Letter text").type_text(" P.S.");
    h.run_steps(2);
    h.get_by_label("Close window").click();
    h.run_steps(2);
    h.get_by_label("This letter has changes that are not saved.");
    h.get_by_role_and_label(egui::Role::Button, "Save .eml").click();
    h.run_steps(2);
    assert!(h.query_by_label("This letter has changes that are not saved.").is_none());
    let saved = std::fs::read(dir.path().join("D00003-dispute-2026-03-03-2.eml")).unwrap();
    assert!(String::from_utf8_lossy(&saved).contains("P.S."), "saved again over its own file, without asking");
}

#[test]
fn a_long_letter_shows_its_text_without_scrolling() {
    // D00010's appeal has 35 events in 6 incidents: the long ones fold their events.
    let mut h = app();
    show_driver(&mut h, "D00010");
    h.state_mut().send(standwatch::app::Command::DraftLetter(standwatch::letters::LetterKind::Reactivation));
    h.run_steps(1);
    wait_for(&mut h, "the letter", |h| h.state().letter_text().is_some());
    h.run_steps(5);
    let text = h.get_by_label("Letter text").rect();
    assert!(text.top() < 800.0 - 150.0, "the letter's text starts at {}: below the fold", text.top());
    assert_eq!(h.query_all_by_label("the 12 events").count(), 2, "two incidents of 12 events, folded");
    h.get_all_by_label("the 12 events").next().unwrap().click();
    h.run_steps(3);
    h.get_by_label_contains("TBA0000026646: attempted, not delivered");
}
