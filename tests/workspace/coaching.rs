//! The coaching log (SPEC §8) through the command line: entries added, listed and closed,
//! COACHING_DUE on the right days, the sheet printing the last three, and entries that
//! survive processes killed while writing.

use super::bin;
use assert_cmd::Command;
use std::path::Path;

fn in_ws(ws: &Path) -> Command {
    let mut cmd = bin();
    cmd.arg("--workspace").arg(ws);
    cmd
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn sample_ws(dir: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut import = in_ws(dir);
    import.arg("import");
    for kind in ["blocks", "deliveries", "roster", "outages"] {
        import.arg(format!("--{kind}")).arg(sample.join(format!("{kind}.csv")));
    }
    ok(&mut import);
}

/// D00007's alerts on each day of its history.
fn alerts_by_day(ws: &Path) -> Vec<(String, String)> {
    let text = ok(in_ws(ws).args(["history", "--driver", "D00007", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let alerts = reader.headers().unwrap().iter().position(|h| h == "alerts").unwrap();
    reader.records().map(|r| r.unwrap()).map(|r| (r[2].to_string(), r[alerts].to_string())).collect()
}

#[test]
fn entries_raise_coaching_due_after_their_day_until_an_outcome_and_print_on_the_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    sample_ws(&ws);
    let before = alerts_by_day(&ws);
    assert!(before.iter().all(|(_, a)| !a.contains("COACHING_DUE")));

    let add = |args: &[&str]| ok(in_ws(&ws).args(["coach", "add", "--driver", "D00007"]).args(args));
    assert_eq!(
        add(&[
            "--topic",
            "On time",
            "--agreed",
            "Leave the station by 10:15",
            "--follow-up",
            "2026-02-20",
            "--date",
            "2026-02-10"
        ]),
        "1\n"
    );
    assert_eq!(add(&["--topic", "TBA0000020145", "--date", "2026-02-12"]), "2\n");
    // A typo'd driver, a follow-up before the talk, a missing topic: refused, nothing written.
    for bad in [
        vec!["coach", "add", "--driver", "D99999", "--topic", "x"],
        vec!["coach", "add", "--driver", "D00007", "--topic", "x", "--date", "2026-02-10", "--follow-up", "2026-02-01"],
        vec!["coach", "add", "--driver", "D00007", "--topic", " "],
        vec!["coach", "outcome", "1", "better"],
        vec!["coach", "outcome", "99", "improved"],
    ] {
        let out = in_ws(&ws).args(&bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let listed = ok(in_ws(&ws).args(["coach", "list", "--format", "csv"]));
    assert_eq!(
        listed,
        "id,driver_id,date,topic,agreed,follow_up,outcome,outcome_on\n\
         1,D00007,2026-02-10,On time,Leave the station by 10:15,2026-02-20,,\n\
         2,D00007,2026-02-12,TBA0000020145,,,,\n"
    );

    // Due the day after its follow-up day, not on it; an entry without one never is.
    let due = alerts_by_day(&ws);
    let on = |day: &str| due.iter().find(|(d, _)| d == day).map(|(_, a)| a.contains("COACHING_DUE")).unwrap();
    assert!(!on("2026-02-20") && on("2026-02-21") && on("2026-03-01"));
    // Decided on the 25th: due up to the day before, not from then.
    ok(in_ws(&ws).args(["coach", "outcome", "1", "improved", "--date", "2026-02-25"]));
    let after = alerts_by_day(&ws);
    let on = |day: &str| after.iter().find(|(d, _)| d == day).map(|(_, a)| a.contains("COACHING_DUE")).unwrap();
    assert!(on("2026-02-24") && !on("2026-02-25") && !on("2026-03-01"));
    let json = ok(in_ws(&ws).args(["coach", "list", "--driver", "D00007", "--format", "json"]));
    assert!(json.contains("\"outcome\": \"improved\"") && json.contains("\"outcome_on\": \"2026-02-25\""), "{json}");
    assert_eq!(ok(in_ws(&ws).args(["coach", "list", "--driver", "D00001", "--format", "csv"])).lines().count(), 1);

    // The sheet prints the last three, newest first.
    for (i, topic) in ["Reliability", "Attempted"].iter().enumerate() {
        add(&["--topic", topic, "--date", &format!("2026-02-2{}", i + 6)]);
    }
    let pdf = tmp.path().join("D00007.pdf");
    ok(in_ws(&ws).args(["sheet", "--driver", "D00007", "--out"]).arg(&pdf));
    let text = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Coaching log (the last 3 of 4)"), "{text}");
    let attempted = text.find("2026-02-27 · Attempted").expect("the newest entry");
    let reliability = text.find("2026-02-26 · Reliability").expect("the one before");
    assert!(attempted < reliability && text.contains("2026-02-12 · TBA0000020145"));
    assert!(!text.contains("Leave the station"), "the oldest of four is left out");
}

#[test]
fn entries_survive_processes_killed_while_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    sample_ws(&ws);
    let exe = assert_cmd::cargo::cargo_bin("standwatch");
    let mut finished = 0;
    let mut killed = 0;
    for i in 0..16u64 {
        let mut child = std::process::Command::new(&exe)
            .arg("--workspace")
            .arg(&ws)
            .args(["coach", "add", "--driver", "D00007", "--topic", &format!("talk {i}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Killed at a different moment each time: before, during or after its write.
        std::thread::sleep(std::time::Duration::from_millis(i * 7 % 60));
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success());
                finished += 1;
            }
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
            }
        }
    }
    // What a restart reads: every finished entry, and no damage from the killed ones.
    let listed = ok(in_ws(&ws).args(["coach", "list", "--format", "csv"]));
    let entries = listed.lines().count() - 1;
    assert!(
        entries >= finished && entries <= finished + killed,
        "{entries} entries, {finished} finished, {killed} killed"
    );
    let id = ok(in_ws(&ws).args(["coach", "add", "--driver", "D00007", "--topic", "after"]));
    assert_eq!(id.trim().parse::<usize>().unwrap(), entries + 1, "the log takes new entries after the kills");
}
