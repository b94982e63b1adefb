//! Follow-ups (SPEC §4.4) through the command line: a case walked from sent through two
//! follow-ups to a decision, with the due dates of the rule, and the drafts threaded under
//! their letter as mail programs thread them (RFC 5322 `In-Reply-To`/`References`).

use super::bin;
use assert_cmd::Command;
use std::path::Path;

fn ok(cmd: &mut Command) -> (String, String) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn in_ws(ws: &Path) -> Command {
    let mut cmd = bin();
    cmd.arg("--workspace").arg(ws);
    cmd
}

/// `followups --as-of DAY` into `out`: the rows of its index.csv and its stderr.
fn followups(ws: &Path, day: &str, out: &Path) -> (Vec<Vec<String>>, String) {
    let _ = std::fs::remove_dir_all(out);
    let (_, stderr) = ok(in_ws(ws).args(["followups", "--as-of", day, "--out"]).arg(out));
    let mut reader = csv::Reader::from_path(out.join("index.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["case_id", "driver_id", "file", "number", "first_sent_on"]
    );
    (reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect(), stderr)
}

fn set(ws: &Path, id: &str, status: &str, day: &str) {
    ok(in_ws(ws).args(["cases", "set", id, "--status", status, "--date", day]));
}

/// The case's row of `cases list --format csv`: (status, follow_up).
fn listed(ws: &Path, id: &str) -> (String, String) {
    let (text, _) = ok(in_ws(ws).args(["cases", "list", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().map(Result::unwrap).find(|r| &r[0] == id).unwrap();
    (row[3].to_string(), row[7].to_string())
}

fn message(path: &Path) -> mail_parser::Message<'static> {
    let bytes = std::fs::read(path).unwrap();
    mail_parser::MessageParser::default().parse(&bytes).unwrap().into_owned()
}

#[test]
fn a_case_is_followed_up_twice_then_decided_with_threaded_reminders() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut import = in_ws(&ws);
    import.arg("import");
    for kind in ["blocks", "deliveries", "roster", "outages", "concessions", "exceptions"] {
        import.arg(format!("--{kind}")).arg(sample.join(format!("{kind}.csv")));
    }
    ok(&mut import);
    let letters = tmp.path().join("letters");
    ok(in_ws(&ws)
        .args(["disputes", "--sender-name", "Jordan Lee", "--sender-email", "ops@fleet.example"])
        .args(["--support-address", "support@amazon.example", "--out"])
        .arg(&letters));
    let (text, _) = ok(in_ws(&ws).args(["cases", "list", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let case = reader.records().map(Result::unwrap).find(|r| &r[1] == "D00007").unwrap();
    let (id, letter) = (case[0].to_string(), case[10].to_string());
    let out = tmp.path().join("follow-ups");

    // A draft is not waiting for an answer: nothing due.
    assert!(followups(&ws, "2026-03-20", &out).0.is_empty());
    set(&ws, &id, "sent", "2026-03-04");
    // follow_up_days = 3: due once more than 3 days have passed.
    assert!(followups(&ws, "2026-03-07", &out).0.iter().all(|r| r[0] != id));
    assert_eq!(listed(&ws, &id).0, "sent");
    let (rows, _) = followups(&ws, "2026-03-08", &out);
    let row = rows.iter().find(|r| r[0] == id).expect("follow-up 1 due on 2026-03-08");
    assert_eq!(row[1..], ["D00007", row[2].as_str(), "1", "2026-03-04"]);
    assert_eq!(row[2], format!("{}-follow-up-1.eml", Path::new(&letter).file_stem().unwrap().to_string_lossy()));

    // The reminder replies to the letter: Re: its subject, In-Reply-To and References its
    // Message-ID, the letter itself attached unchanged, a new Message-ID of its own.
    let first = message(Path::new(&letter));
    let reminder = message(&out.join(&row[2]));
    let original_id = first.message_id().unwrap().to_string();
    assert_eq!(reminder.subject().unwrap(), format!("Re: {}", first.subject().unwrap()));
    assert_eq!(reminder.in_reply_to().as_text(), Some(original_id.as_str()));
    assert_eq!(reminder.references().as_text(), Some(original_id.as_str()));
    assert_ne!(reminder.message_id(), Some(original_id.as_str()));
    assert_eq!(reminder.from().unwrap().first().unwrap().address(), Some("ops@fleet.example"));
    assert_eq!(reminder.to().unwrap().first().unwrap().address(), Some("support@amazon.example"));
    let raw = std::fs::read_to_string(out.join(&row[2])).unwrap();
    assert!(
        raw.contains(&format!("In-Reply-To: <{original_id}>")) && raw.contains(&format!("References: <{original_id}>"))
    );
    let attached = reminder.attachment(0).unwrap().message().expect("the letter attached as message/rfc822");
    assert_eq!(attached.raw_message(), std::fs::read(&letter).unwrap().as_slice());
    let body = reminder.body_text(0).unwrap();
    assert!(body.contains("On 2026-03-04 we asked you to review") && body.contains("Jordan Lee"), "{body}");
    assert!(body.split_whitespace().count() <= 70, "{body}");

    // Sent on the 8th: the next is due after the 11th, numbered 2, still threaded.
    set(&ws, &id, "follow_up", "2026-03-08");
    assert_eq!(listed(&ws, &id).0, "follow_up");
    assert!(followups(&ws, "2026-03-11", &out).0.iter().all(|r| r[0] != id));
    let (rows, _) = followups(&ws, "2026-03-12", &out);
    let row = rows.iter().find(|r| r[0] == id).expect("follow-up 2 due on 2026-03-12");
    assert_eq!(row[3], "2");
    let second = message(&out.join(&row[2]));
    assert_eq!(second.in_reply_to().as_text(), Some(original_id.as_str()));
    assert!(second.body_text(0).unwrap().contains("This is our second reminder."));
    set(&ws, &id, "follow_up", "2026-03-12");

    // A third would be due after the 15th; then an escalation instead of a fourth.
    assert_eq!(followups(&ws, "2026-03-16", &out).0.iter().find(|r| r[0] == id).unwrap()[3], "3");
    set(&ws, &id, "follow_up", "2026-03-16");
    let (rows, stderr) = followups(&ws, "2026-03-20", &out);
    assert!(rows.iter().all(|r| r[0] != id));
    assert!(stderr.contains(&format!("case {id} (D00007): 3 follow-ups and no answer since 2026-03-04")), "{stderr}");
    // `cases list` judges today, months later: due (an escalation).
    assert_eq!(listed(&ws, &id).1, "yes");

    // Decided: nothing more is due.
    set(&ws, &id, "denied", "2026-03-21");
    assert_eq!(listed(&ws, &id), ("denied".to_string(), "no".to_string()));
    let (rows, stderr) = followups(&ws, "2026-04-30", &out);
    assert!(rows.iter().all(|r| r[0] != id) && !stderr.contains(&format!("case {id} ")));
    // A follow-up of a decided case is refused.
    let refused = in_ws(&ws).args(["cases", "set", &id, "--status", "follow_up"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
}

#[test]
fn followups_need_a_workspace() {
    let out = bin().args(["followups", "--out", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("followups needs --workspace DIR"));
}
