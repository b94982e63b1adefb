//! `standwatch disputes` and `standwatch reactivation` (docs/rules.md §8–9): one draft per driver,
//! parsed back with a standard email parser.

use assert_cmd::Command;
use mail_parser::{MessageParser, MimeHeaders};
use standwatch::letters::incidents::style_problems;
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

/// The letter rules (docs/rules.md §9) for one body: none broken.
fn assert_letter_rules(id: &str, body: &str, events: &[String]) {
    let problems = style_problems(body, events);
    assert!(problems.is_empty(), "{id}: {problems:?}\n{body}");
    // Each fact once, in grammar: "packages" never before "DNR claims", the photo said once.
    assert!(!body.contains("packages DNR claims"), "{id}: {body}");
    assert!(body.matches("with a photo on delivery").count() <= 1, "{id}: {body}");
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
        let events: Vec<String> = events.split(';').map(str::to_string).collect();
        assert_letter_rules(id, &body, &events);
        assert!(body.contains("Without these events"), "{id}: no impact sentence\n{body}");
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
    let body = message.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(body.contains("deactivated on 2026-02-26"), "{body}");
    assert!(body.contains("deadline is 2026-03-08"), "{body}");
    assert!(body.contains("blocks worked"), "{body}");
    assert!(body.starts_with("Hello,\n\nI am Priya Novak, transporter ID D00010, and have delivered since"), "{body}");
    assert!(!body.contains("on behalf of"), "{body}");
    assert_letter_rules("D00010", &body, &[]);

    let mut args = vec!["reactivation".to_string()];
    args.extend(sample_inputs());
    args.extend(["--driver".into(), "NOPE".into(), "--out".into(), file.display().to_string()]);
    assert_eq!(run(&args).status.code(), Some(2));
}

/// The rendered letters of the sample data, as a reviewer reads them: disputes of several
/// kinds of incident, and the reactivation appeal in both voices.
#[test]
fn rendered_letters_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string()];
    args.extend(sample_inputs());
    args.extend(["--out".into(), dir.path().display().to_string()]);
    assert!(run(&args).status.success());
    let text = |bytes: &[u8]| {
        let message = MessageParser::default().parse(bytes).unwrap();
        let from = message.from().unwrap().first().unwrap();
        format!(
            "From: {} <{}>\nSubject: {}\n\n{}",
            from.name().unwrap_or(""),
            from.address().unwrap_or(""),
            message.subject().unwrap(),
            message.body_text(0).unwrap().replace("\r\n", "\n")
        )
    };
    for id in ["D00003", "D00005", "D00007", "D00008", "D00010"] {
        let bytes = std::fs::read(dir.path().join(format!("{id}-dispute-2026-03-03.eml"))).unwrap();
        insta::assert_snapshot!(format!("dispute_{id}"), text(&bytes));
    }
    for (name, voice) in [
        ("reactivation_D00010", vec![]),
        (
            "reactivation_D00010_manager",
            vec![
                "--sender-name",
                "Jordan Lee",
                "--sender-email",
                "ops@acme.example",
                "--organisation",
                "Acme Delivery",
            ],
        ),
    ] {
        let file = dir.path().join("appeal.eml");
        let mut args = vec!["reactivation".to_string()];
        args.extend(sample_inputs());
        args.extend(["--driver".into(), "D00010".into(), "--out".into(), file.display().to_string()]);
        args.extend(voice.iter().map(|s| s.to_string()));
        assert!(run(&args).status.success());
        insta::assert_snapshot!(name, text(&std::fs::read(&file).unwrap()));
    }
}

/// `report --format csv` of these inputs as of a day: driver id → its cells.
fn report_rows(inputs: &[String], as_of: &str) -> std::collections::HashMap<String, Vec<String>> {
    let mut args = vec!["report".to_string()];
    args.extend(inputs.iter().cloned());
    args.extend(["--format".into(), "csv".into(), "--as-of".into(), as_of.into()]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r.iter().map(str::to_string).collect())).collect()
}

/// A copy of a CSV without the rows whose `column` is one of `ids`.
fn without_rows(from: &str, to: &Path, column: &str, ids: &[&str]) {
    let mut reader = csv::Reader::from_path(from).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == column).unwrap();
    let mut writer = csv::Writer::from_path(to).unwrap();
    writer.write_record(&headers).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        if !ids.contains(&&record[at]) {
            writer.write_record(&record).unwrap();
        }
    }
    writer.flush().unwrap();
}

#[test]
fn the_impact_sentence_agrees_with_a_report_without_those_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string()];
    args.extend(sample_inputs());
    args.extend(["--out".into(), dir.path().display().to_string()]);
    assert!(run(&args).status.success());
    let mut index = csv::Reader::from_path(dir.path().join("index.csv")).unwrap();
    assert_eq!(
        index.headers().unwrap().iter().collect::<Vec<_>>(),
        ["driver_id", "driver_name", "file", "events", "grounds", "tier_now", "tier_without"]
    );
    let rows: Vec<csv::StringRecord> = index.records().map(|r| r.unwrap()).collect();
    let before = report_rows(&sample_inputs(), "2026-03-03");
    let mut checked = 0;
    for row in rows.iter().filter(|r| ["D00002", "D00003", "D00007", "D00010", "D00021", "D00033"].contains(&&r[0])) {
        let (id, events) = (&row[0], row[3].split(';').collect::<Vec<_>>());
        let data = tempfile::tempdir().unwrap();
        without_rows(&common::sample("blocks.csv"), &data.path().join("blocks.csv"), "block_id", &events);
        without_rows(&common::sample("deliveries.csv"), &data.path().join("deliveries.csv"), "tracking_id", &events);
        let inputs: Vec<String> = vec![
            "--blocks".into(),
            data.path().join("blocks.csv").display().to_string(),
            "--deliveries".into(),
            data.path().join("deliveries.csv").display().to_string(),
            "--roster".into(),
            common::sample("roster.csv"),
            "--outages".into(),
            common::sample("outages.csv"),
            "--concessions".into(),
            common::sample("concessions.csv"),
        ];
        let after = report_rows(&inputs, "2026-03-03");
        let (now, without) = (&before[id], &after[id]);
        assert_eq!(&row[5], now[3].as_str(), "{id}: tier now");
        assert_eq!(&row[6], without[3].as_str(), "{id}: tier without its disputed events");
        let message = std::fs::read(dir.path().join(&row[2])).unwrap();
        let body = MessageParser::default().parse(&message).unwrap().body_text(0).unwrap().replace("\r\n", "\n");
        // Columns 4 and 7: reliability and quality tiers.
        for (name, column) in [("overall", 3), ("reliability", 4), ("delivery quality", 7)] {
            let change = format!("{name} {} → {}", now[column], without[column]);
            assert_eq!(now[column] != without[column], body.contains(&change), "{id}: {change}\n{body}");
        }
        if now[3] == without[3] && now[4] == without[4] && now[7] == without[7] {
            // No tier changes: the rates that do are named, with the report's values.
            let percent = |cell: &str| format!("{:.1}%", cell.parse::<f64>().unwrap() * 100.0);
            if now[5] != without[5] {
                let change = format!("blocks on time {} → {}", percent(&now[5]), percent(&without[5]));
                assert!(body.contains(&change), "{id}: {change}\n{body}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} drivers checked");
}

fn letter_of(args: &[String]) -> (std::process::Output, Option<Vec<u8>>, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.eml");
    let mut all = vec!["reactivation".to_string()];
    all.extend(sample_inputs());
    all.extend(["--driver".into(), "D00010".into(), "--out".into(), file.display().to_string()]);
    all.extend(args.iter().cloned());
    let out = run(&all);
    let bytes = std::fs::read(&file).ok();
    (out, bytes, file, dir)
}

#[test]
fn the_voice_follows_the_sender_settings() {
    let (out, bytes, _, _dir) = letter_of(&[
        "--sender-name".into(),
        "Jordan Lee".into(),
        "--sender-email".into(),
        "ops@fleet.example".into(),
        "--organisation".into(),
        "Acme Delivery".into(),
        "--support-address".into(),
        "support@flex.example".into(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = bytes.unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    let body = message.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(body.contains("Priya Novak (transporter ID D00010) has delivered with Acme Delivery since"), "{body}");
    assert!(body.contains("Please reactivate Priya Novak's account"), "{body}");
    assert!(body.trim_end().ends_with("Thank you,\nJordan Lee\nAcme Delivery"), "{body}");
    assert!(!body.contains(" my ") && !body.contains("I am Priya"), "{body}");
    let from = message.from().unwrap().first().unwrap();
    assert_eq!((from.name(), from.address()), (Some("Jordan Lee"), Some("ops@fleet.example")));
    assert_eq!(message.to().unwrap().first().unwrap().address(), Some("support@flex.example"));

    // Without a sender: the driver's first person, from the roster email.
    let (out, bytes, _, _dir) = letter_of(&[]);
    assert!(out.status.success());
    let bytes = bytes.unwrap();
    let message = MessageParser::default().parse(&bytes).unwrap();
    let body = message.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(body.contains("Please reactivate my account"), "{body}");
    assert!(body.trim_end().ends_with("Thank you,\nPriya Novak"), "{body}");
    let from = message.from().unwrap().first().unwrap();
    assert_eq!((from.name(), from.address()), (Some("Priya Novak"), Some("priya.novak@example.com")));

    // Values that cannot go into a letter are refused, naming the option.
    for (option, value, reason) in [
        ("--sender-email", "Jordan Lee <ops@fleet.example>", "angle brackets"),
        ("--support-address", "support", "not a plain address"),
        ("--sender-name", "Jordan\nBcc: x@y.example", "line break"),
    ] {
        let (out, bytes, _, _dir) = letter_of(&[option.into(), value.into()]);
        assert_eq!(out.status.code(), Some(2), "{option}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(option) && stderr.contains(reason), "{stderr}");
        assert!(bytes.is_none(), "nothing written for {option}");
    }
}

#[test]
fn a_workspace_supplies_the_sender_and_options_override_it() {
    let ws = tempfile::tempdir().unwrap();
    let mut args = vec!["--workspace".to_string(), ws.path().display().to_string(), "import".to_string()];
    args.extend(sample_inputs());
    assert!(run(&args).status.success());
    std::fs::write(
        ws.path().join("settings.toml"),
        "sender_name = \"Sam Ortiz\"\nsender_email = \"sam@fleet.example\"\norganisation = \"Ortiz Logistics\"\n",
    )
    .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("a.eml");
    let base = vec![
        "--workspace".to_string(),
        ws.path().display().to_string(),
        "reactivation".to_string(),
        "--driver".to_string(),
        "D00010".to_string(),
        "--out".to_string(),
        file.display().to_string(),
    ];
    assert!(run(&base).status.success());
    let body = MessageParser::default()
        .parse(&std::fs::read(&file).unwrap())
        .unwrap()
        .body_text(0)
        .unwrap()
        .replace("\r\n", "\n");
    assert!(body.trim_end().ends_with("Sam Ortiz\nOrtiz Logistics"), "{body}");
    let mut other = base.clone();
    other.extend(["--sender-name".into(), "Jordan Lee".into()]);
    assert!(run(&other).status.success());
    let body = MessageParser::default()
        .parse(&std::fs::read(&file).unwrap())
        .unwrap()
        .body_text(0)
        .unwrap()
        .replace("\r\n", "\n");
    assert!(body.trim_end().ends_with("Jordan Lee\nOrtiz Logistics"), "{body}");
    // A bad value in the workspace's settings is named as such.
    std::fs::write(ws.path().join("settings.toml"), "sender_email = \"Sam <sam@fleet.example>\"\n").unwrap();
    let out = run(&base);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the workspace's settings, sender email"));
}

#[test]
fn a_station_outage_is_cited_only_for_its_station() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string()];
    args.extend(sample_inputs());
    args.extend(["--out".into(), dir.path().display().to_string()]);
    assert!(run(&args).status.success());
    let stations: std::collections::HashMap<String, String> = {
        let mut reader = csv::Reader::from_path(common::sample("blocks.csv")).unwrap();
        reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[3].to_string())).collect()
    };
    let mut cited = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "eml") {
            continue;
        }
        let body = MessageParser::default()
            .parse(&std::fs::read(&path).unwrap())
            .unwrap()
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n");
        let driver = path.file_name().unwrap().to_string_lossy().split('-').next().unwrap().to_string();
        if body.contains("Cellular network outage around DLA9") {
            assert_eq!(stations[&driver], "DLA9", "{driver} cites the DLA9 outage:\n{body}");
            cited += 1;
        }
    }
    assert!(cited > 0, "some DLA9 driver's letter cites the DLA9 outage");
}

#[test]
fn every_letter_of_a_generated_fleet_keeps_the_rules() {
    let data = tempfile::tempdir().unwrap();
    let out = run(&[
        "generate".into(),
        "--drivers".into(),
        "150".into(),
        "--days".into(),
        "60".into(),
        "--seed".into(),
        "11".into(),
        "--out".into(),
        data.path().display().to_string(),
    ]);
    assert!(out.status.success());
    let letters = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string()];
    for k in ["blocks", "deliveries", "roster", "outages", "concessions"] {
        args.extend([format!("--{k}"), data.path().join(format!("{k}.csv")).display().to_string()]);
    }
    args.extend(["--out".into(), letters.path().display().to_string()]);
    let out = run(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut index = csv::Reader::from_path(letters.path().join("index.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = index.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() > 50, "{} letters", rows.len());
    for row in &rows {
        let message = std::fs::read(letters.path().join(&row[2])).unwrap();
        let body = MessageParser::default().parse(&message).unwrap().body_text(0).unwrap().replace("\r\n", "\n");
        let events: Vec<String> = row[3].split(';').map(str::to_string).collect();
        assert_letter_rules(&row[0], &body, &events);
    }
}
