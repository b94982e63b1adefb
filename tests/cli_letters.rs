//! `standwatch disputes` and `standwatch reactivation` (SPEC §4): one draft per driver,
//! parsed back with a standard email parser.

use assert_cmd::Command;
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};

mod common;
use common::sample_inputs;

fn run(args: &[String]) -> std::process::Output {
    Command::cargo_bin("standwatch").unwrap().args(args).output().unwrap()
}

fn report_alerts() -> Vec<(String, bool)> {
    let mut args = vec!["report".to_string()];
    args.extend(sample_inputs());
    args.extend(["--format".into(), "csv".into()]);
    let out = run(&args);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[17].contains("DISPUTABLE"))
        })
        .collect()
}

fn words_outside_event_lines(body: &str) -> usize {
    body.lines().filter(|l| !l.trim_start().starts_with("- ")).map(|l| l.split_whitespace().count()).sum()
}

#[test]
fn one_parseable_draft_per_driver_with_disputable_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string()];
    args.extend(sample_inputs());
    args.extend(["--out".into(), dir.path().display().to_string()]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());

    let index = std::fs::read_to_string(dir.path().join("index.csv")).unwrap();
    let rows: Vec<Vec<String>> = index.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect();
    let expected: Vec<String> = report_alerts().into_iter().filter(|(_, d)| *d).map(|(id, _)| id).collect();
    let listed: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(listed, expected, "exactly the drivers with DISPUTABLE");
    let emls = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "eml"))
        .count();
    assert_eq!(emls, expected.len());

    for row in &rows {
        let (id, file, events) = (&row[0], &row[2], &row[3]);
        assert_eq!(file, &format!("{id}-dispute-2026-03-03.eml"));
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        let message = MessageParser::default().parse(&bytes).expect("a parseable email");
        assert_eq!(message.header_raw("X-Unsent").map(str::trim), Some("1"));
        assert!(message.subject().unwrap().contains(id.as_str()));
        let body = message.body_text(0).unwrap();
        assert!(words_outside_event_lines(&body) <= 120, "{id}: too long\n{body}");
        for event in events.split(';') {
            assert!(body.contains(event), "{id}: event {event} missing from the letter");
        }
        let names: Vec<String> =
            message.attachments().filter_map(|a| a.attachment_name().map(str::to_string)).collect();
        assert!(names.contains(&format!("evidence-{id}.csv")), "{id}: {names:?}");
        assert!(names.contains(&format!("standing-{id}.png")), "{id}: {names:?}");
        let png = message.attachments().find(|a| a.attachment_name() == Some(&format!("standing-{id}.png"))).unwrap();
        assert!(png.contents().starts_with(b"\x89PNG"));
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn photos_outside_the_evidence_folder_are_refused_and_names_cannot_inject_headers() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("exports");
    std::fs::create_dir_all(data.join("photos")).unwrap();
    std::fs::write(data.join("photos/ok.jpg"), b"jpeg").unwrap();
    std::fs::write(root.path().join("secret.jpg"), b"secret").unwrap();
    let outside = root.path().join("secret.jpg").display().to_string();
    let blocks = write(
        &data,
        "blocks.csv",
        "driver_id,block_id,block_start,checked_in_at\nD1,B1,2026-03-02 07:00,2026-03-02 06:50\n",
    );
    let deliveries = write(
        &data,
        "deliveries.csv",
        &format!(
            "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,dnr,photo\n\
             T1,D1,B1,2026-03-02 12:00,2026-03-02 09:00,delivered,Y,photos/ok.jpg;../secret.jpg\n\
             T2,D1,B1,2026-03-02 12:00,2026-03-02 09:10,delivered,Y,{outside}\n"
        ),
    );
    let roster = write(
        &data,
        "roster.csv",
        "driver_id,driver_name,email\nD1,\"Eve\r\nBcc: victim@example.com\",eve@example.com\n",
    );
    let out = root.path().join("letters");
    let args: Vec<String> = [
        "disputes",
        "--blocks",
        &blocks.display().to_string(),
        "--deliveries",
        &deliveries.display().to_string(),
        "--roster",
        &roster.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let result = run(&args);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("../secret.jpg") && stderr.contains("outside the evidence folder"), "{stderr}");
    assert!(stderr.contains(&outside), "{stderr}");

    let bytes = std::fs::read(out.join("D1-dispute-2026-03-04.eml")).unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    let names: Vec<&str> = message.attachments().filter_map(|a| a.attachment_name()).collect();
    assert!(names.contains(&"ok.jpg"), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("secret")), "{names:?}");
    assert!(message.attachments().all(|a| a.contents() != b"secret"));
    // The header block has no Bcc line: the newline in the name did not start a header.
    let text = String::from_utf8_lossy(&bytes);
    let headers = text.split("\r\n\r\n").next().unwrap();
    assert!(!headers.lines().any(|l| l.to_ascii_lowercase().starts_with("bcc:")), "{headers}");
    assert!(message.bcc().is_none());
}

#[test]
fn reactivation_appeal_with_record_and_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("appeal.eml");
    let mut args = vec!["reactivation".to_string()];
    args.extend(sample_inputs());
    args.extend(["--driver".into(), "D00010".into(), "--out".into(), file.display().to_string()]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&file).unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    assert!(message.subject().unwrap().starts_with("Reactivation appeal"));
    let body = message.body_text(0).unwrap();
    assert!(body.contains("deactivated on 2026-02-26"), "{body}");
    assert!(body.contains("deadline is 2026-03-08"), "{body}");
    assert!(body.contains("blocks worked"), "{body}");
    assert!(words_outside_event_lines(&body) <= 120, "{body}");

    let mut args = vec!["reactivation".to_string()];
    args.extend(sample_inputs());
    args.extend(["--driver".into(), "NOPE".into(), "--out".into(), file.display().to_string()]);
    assert_eq!(run(&args).status.code(), Some(2));
}

/// The rendered letters of the sample data, as a reviewer reads them.
#[test]
fn rendered_letters_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string()];
    args.extend(sample_inputs());
    args.extend(["--out".into(), dir.path().display().to_string()]);
    assert!(run(&args).status.success());
    for id in ["D00005", "D00008"] {
        let bytes = std::fs::read(dir.path().join(format!("{id}-dispute-2026-03-03.eml"))).unwrap();
        let message = MessageParser::default().parse(&bytes).unwrap();
        let letter = format!("Subject: {}\n\n{}", message.subject().unwrap(), message.body_text(0).unwrap());
        insta::assert_snapshot!(format!("dispute_{id}"), letter);
    }
    let file = dir.path().join("appeal.eml");
    let mut args = vec!["reactivation".to_string()];
    args.extend(sample_inputs());
    args.extend(["--driver".into(), "D00010".into(), "--out".into(), file.display().to_string()]);
    assert!(run(&args).status.success());
    let bytes = std::fs::read(&file).unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    insta::assert_snapshot!(
        "reactivation_D00010",
        format!("Subject: {}\n\n{}", message.subject().unwrap(), message.body_text(0).unwrap())
    );
}
