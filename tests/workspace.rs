//! Workspaces through the command line: incremental imports, cases, overturned events,
//! FOLLOW_UP, damaged or newer workspaces, and imports killed at random moments.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

#[path = "workspace/coaching.rs"]
mod coaching;
#[path = "workspace/followups.rs"]
mod followups;

fn bin() -> Command {
    Command::cargo_bin("standwatch").unwrap()
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(name)
}

fn inputs(dir: &Path, kinds: &[&str]) -> Vec<String> {
    kinds.iter().flat_map(|k| [format!("--{k}"), dir.join(format!("{k}.csv")).display().to_string()]).collect()
}

const ALL: [&str; 5] = ["blocks", "deliveries", "roster", "outages", "concessions"];

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn import(ws: &Path, args: &[String]) -> String {
    stdout(bin().arg("--workspace").arg(ws).arg("import").args(args))
}

fn ws_report(ws: &Path) -> String {
    stdout(bin().arg("--workspace").arg(ws).args(["report", "--format", "csv"]))
}

fn file_report(args: &[String]) -> String {
    stdout(bin().arg("report").args(args).args(["--format", "csv"]))
}

/// The report with DISPUTABLE left out of the alerts: events in cases are not DISPUTABLE
/// in a workspace, which files alone cannot know.
fn without_disputable(report: &str) -> String {
    // `alerts` is the last column but one (`dnr_headroom` follows it).
    report.replace("DISPUTABLE;", "").replace(";DISPUTABLE", "").replace(",DISPUTABLE,", ",,")
}

#[test]
fn importing_the_same_exports_twice_changes_nothing() {
    let ws = tempfile::tempdir().unwrap();
    let ws = ws.path().join("fleet");
    let first = import(&ws, &inputs(&sample(""), &ALL));
    assert!(first.contains("1344 new, 0 updated, 0 unchanged"), "{first}");
    let report = ws_report(&ws);
    assert_eq!(report, file_report(&inputs(&sample(""), &ALL)));
    let files = std::fs::read_dir(ws.join("data")).unwrap().count();

    let second = import(&ws, &inputs(&sample(""), &ALL));
    assert!(second.contains("0 new, 0 updated, 1344 unchanged"), "{second}");
    assert!(second.contains("0 new, 0 updated, 46749 unchanged"), "{second}");
    assert_eq!(ws_report(&ws), report);
    assert_eq!(std::fs::read_dir(ws.join("data")).unwrap().count(), files, "nothing new was written");
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// docs/rules.md §1.12: an export that lost a column since the last import of its kind is
/// named with what it costs, and new columns are named too.
#[test]
fn an_export_that_changed_shape_is_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(tmp.path(), "b.csv", "driver_id,block_id,block_start,departed_at\nD1,B1,2026-03-02 07:00,2026-03-02 07:20\n");
    write(
        tmp.path(),
        "d1.csv",
        "tracking_id,driver_id,block_id,deliver_by,outcome,reason,contact_attempts,photo\nT1,D1,B1,2026-03-02 12:00,delivered,,,p.jpg\n",
    );
    write(
        tmp.path(),
        "d2.csv",
        "tracking_id,driver_id,block_id,deliver_by,outcome,reason,contact_attempts,notes\nT2,D1,B1,2026-03-02 12:00,delivered,,,hi\n",
    );
    let run = |args: &[&str]| {
        let out = bin().arg("--workspace").arg(&ws).arg("import").args(args).current_dir(tmp.path()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stderr).unwrap()
    };
    let first = run(&["--blocks", "b.csv", "--deliveries", "d1.csv"]);
    assert!(!first.contains("column"), "{first}");
    let same = run(&["--deliveries", "d1.csv"]);
    assert!(!same.contains("column"), "{same}");
    let changed = run(&["--deliveries", "d2.csv"]);
    assert!(
        changed.contains(
            "d2.csv: no 'photo' column this time (the last deliveries import had one): PHOTO_PROOF cannot be found"
        ),
        "{changed}"
    );
    assert!(changed.contains("d2.csv: new column(s) since the last deliveries import: 'notes'"), "{changed}");
    // Without a workspace, a column a ground needs is said to be missing on every run.
    let out =
        bin().args(["report", "--blocks", "b.csv", "--deliveries", "d2.csv"]).current_dir(tmp.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: d2.csv: no 'photo' column: PHOTO_PROOF cannot be found"), "{stderr}");
}

#[test]
fn a_stale_export_then_the_current_one_the_current_rows_win() {
    let tmp = tempfile::tempdir().unwrap();
    let (stale, current) = (tmp.path().join("stale"), tmp.path().join("current"));
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::create_dir_all(&current).unwrap();
    let blocks = |b2: &str| {
        format!(
            "driver_id,block_id,block_start,checked_in_at\n\
             D1,B1,2026-03-02 07:00,2026-03-02 06:50\n\
             D1,B2,2026-03-03 07:00,{b2}\n\
             D2,B3,2026-03-03 07:00,2026-03-03 06:55\n"
        )
    };
    let deliveries = |t1: &str| {
        format!(
            "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome\n\
             T1,D1,B1,2026-03-02 12:00,2026-03-02 11:00,{t1}\n\
             T2,D2,B3,2026-03-03 12:00,2026-03-03 11:00,delivered\n"
        )
    };
    // The stale export: B2 not checked in yet, T1 not delivered yet.
    write(&stale, "blocks.csv", &blocks(""));
    write(&stale, "deliveries.csv", &deliveries("attempted"));
    write(&current, "blocks.csv", &blocks("2026-03-03 06:58"));
    write(&current, "deliveries.csv", &(deliveries("delivered") + "T3,D2,B3,2026-03-03 13:00,,not attempted\n"));

    let ws = tmp.path().join("ws");
    import(&ws, &inputs(&stale, &["blocks", "deliveries"]));
    let out = import(&ws, &inputs(&current, &["blocks", "deliveries"]));
    assert!(out.contains("3 read: 0 new, 1 updated, 2 unchanged"), "{out}");
    assert!(out.contains("3 read: 1 new, 1 updated, 1 unchanged"), "{out}");
    let current_report = file_report(&inputs(&current, &["blocks", "deliveries"]));
    assert_eq!(ws_report(&ws), current_report);
    assert_ne!(current_report, file_report(&inputs(&stale, &["blocks", "deliveries"])));
}

fn cases_csv(ws: &Path) -> Vec<Vec<String>> {
    let text = stdout(bin().arg("--workspace").arg(ws).args(["cases", "list", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "id",
            "driver_id",
            "kind",
            "status",
            "created_on",
            "sent_on",
            "outcome_on",
            "follow_up",
            "events",
            "overturned",
            "file",
            "note"
        ]
    );
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

fn set_case(ws: &Path, args: &[&str]) -> std::process::Output {
    bin().arg("--workspace").arg(ws).args(["cases", "set"]).args(args).output().unwrap()
}

/// Copies the sample data without the rows of the given block and tracking ids.
fn sample_without(dir: &Path, ids: &[&str]) {
    for kind in ALL {
        let mut reader = csv::Reader::from_path(sample(&format!("{kind}.csv"))).unwrap();
        let mut writer = csv::Writer::from_path(dir.join(format!("{kind}.csv"))).unwrap();
        let headers = reader.headers().unwrap().clone();
        writer.write_record(&headers).unwrap();
        let key = headers.iter().position(|h| h == if kind == "blocks" { "block_id" } else { "tracking_id" });
        for record in reader.records() {
            let record = record.unwrap();
            if key.is_some_and(|k| ids.contains(&&record[k])) {
                continue;
            }
            writer.write_record(&record).unwrap();
        }
    }
}

#[test]
fn cases_follow_up_and_an_overturn_counts_as_if_the_events_were_absent() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    import(&ws, &inputs(&sample(""), &ALL));
    let before = ws_report(&ws);
    assert!(before.contains("DISPUTABLE"));

    let letters = tmp.path().join("letters");
    let out = bin().arg("--workspace").arg(&ws).arg("disputes").arg("--out").arg(&letters).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cases = cases_csv(&ws);
    assert!(!cases.is_empty());
    assert!(cases.iter().all(|c| c[3] == "draft" && Path::new(&c[10]).is_file()), "{cases:?}");
    // Every disputable event is now in a case: no DISPUTABLE left, and disputing again
    // drafts nothing new.
    assert!(!ws_report(&ws).contains("DISPUTABLE"));
    let again = bin().arg("--workspace").arg(&ws).arg("disputes").arg("--out").arg(tmp.path().join("again")).output();
    assert!(again.unwrap().status.success());
    assert_eq!(cases_csv(&ws).len(), cases.len());

    // Pick the case of D00001; sent 4 days before the report day → FOLLOW_UP; 3 → not yet.
    let case = cases.iter().find(|c| c[1] == "D00001").unwrap().clone();
    let as_of = before.lines().nth(1).unwrap().split(',').nth(2).unwrap().to_string();
    let day = chrono::NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").unwrap();
    let minus = |n: i64| (day - chrono::Duration::days(n)).format("%Y-%m-%d").to_string();
    let d1 = |report: &str| report.lines().find(|l| l.starts_with("D00001,")).unwrap().to_string();
    assert!(set_case(&ws, &[&case[0], "--status", "sent", "--date", &minus(3)]).status.success());
    assert!(!d1(&ws_report(&ws)).contains("FOLLOW_UP"));
    assert!(set_case(&ws, &[&case[0], "--status", "sent", "--date", &minus(4)]).status.success());
    assert!(d1(&ws_report(&ws)).contains("FOLLOW_UP"));

    // Partly overturned needs the events; unknown events and statuses are refused.
    let events: Vec<&str> = case[8].split(';').collect();
    let refused = set_case(&ws, &[&case[0], "--status", "partly_overturned"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--events"));
    assert_eq!(set_case(&ws, &[&case[0], "--status", "overturned", "--events", "NOPE"]).status.code(), Some(2));
    assert_eq!(set_case(&ws, &[&case[0], "--status", "won"]).status.code(), Some(2));
    assert_eq!(set_case(&ws, &["9999", "--status", "sent"]).status.code(), Some(2));

    let overturned = &events[..1.max(events.len() / 2)];
    let out = set_case(
        &ws,
        &[
            &case[0],
            "--status",
            "partly_overturned",
            "--events",
            &overturned.join(","),
            "--date",
            &as_of,
            "--note",
            "support agreed",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = cases_csv(&ws).into_iter().find(|c| c[0] == case[0]).unwrap();
    assert_eq!(
        (listed[3].as_str(), listed[9].as_str(), listed[11].as_str()),
        ("partly_overturned", overturned.join(";").as_str(), "support agreed")
    );
    assert_eq!(listed[7], "no", "an outcome ends the follow-up");

    let absent = tmp.path().join("absent");
    std::fs::create_dir_all(&absent).unwrap();
    sample_without(&absent, overturned);
    let after = ws_report(&ws);
    assert_ne!(d1(&after), d1(&before));
    assert_eq!(without_disputable(&after), without_disputable(&file_report(&inputs(&absent, &ALL))));
    // History too.
    let history = |source: Vec<String>| stdout(bin().args(source).arg("history").args(["--driver", "D00001"]));
    let mut files = vec!["history".to_string()];
    files.extend(inputs(&absent, &ALL));
    files.extend(["--driver".to_string(), "D00001".to_string()]);
    assert_eq!(
        without_disputable(&history(vec!["--workspace".into(), ws.display().to_string()])),
        without_disputable(&stdout(bin().args(files)))
    );
}

#[test]
fn newer_damaged_or_foreign_workspaces_get_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    import(&ws, &inputs(&sample(""), &["blocks", "deliveries"]));
    let report = |ws: &Path| bin().arg("--workspace").arg(ws).args(["report", "--format", "csv"]).output().unwrap();
    let fails_with = |ws: &Path, words: &str| {
        let out = report(ws);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(words), "{err}");
    };

    // A data file damaged (same size, other bytes).
    let data = std::fs::read_dir(ws.join("data")).unwrap().next().unwrap().unwrap().path();
    let original = std::fs::read(&data).unwrap();
    let mut garbage = original.clone();
    let mid = garbage.len() / 2;
    garbage[mid..].iter_mut().for_each(|b| *b = b.wrapping_add(71));
    std::fs::write(&data, &garbage).unwrap();
    fails_with(&ws, "damaged");
    std::fs::write(&data, &original).unwrap();
    assert!(report(&ws).status.success());

    // A newer format.
    let db = rusqlite::Connection::open(ws.join("standwatch.db")).unwrap();
    db.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(db);
    fails_with(&ws, "newer Standwatch");

    // A damaged database.
    std::fs::remove_file(ws.join("standwatch.db-wal")).ok();
    std::fs::write(ws.join("standwatch.db"), vec![0x5a; 8192]).unwrap();
    fails_with(&ws, "database is damaged");

    // A folder that is not a workspace, and one that does not exist.
    fails_with(&sample(""), "not a Standwatch workspace");
    fails_with(&tmp.path().join("nothing"), "no workspace here");
}

/// Kill -9 during imports, again and again: the workspace always opens and holds either
/// the old data or the new, never a mix.
#[test]
fn imports_killed_at_random_moments_leave_old_or_new_data() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    for (dir, seed, days) in [(&old, "1", "20"), (&new, "2", "30")] {
        let out =
            bin().args(["generate", "--drivers", "120", "--days", days, "--seed", seed, "--out"]).arg(dir).output();
        assert!(out.unwrap().status.success());
    }
    let ws = tmp.path().join("ws");
    import(&ws, &inputs(&old, &ALL));
    let old_report = ws_report(&ws);
    let new_report = {
        let copy = tmp.path().join("reference");
        import(&copy, &inputs(&old, &ALL));
        import(&copy, &inputs(&new, &ALL));
        ws_report(&copy)
    };
    assert_ne!(old_report, new_report);

    let started = std::time::Instant::now();
    import(&tmp.path().join("timing"), &inputs(&new, &ALL));
    let full = started.elapsed().as_millis() as u64;
    // Deterministic spread of kill times over the import, including the very end.
    for round in 0..8u64 {
        let delay = full * (round * 37 % 100 + 5) / 100;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("standwatch"))
            .arg("--workspace")
            .arg(&ws)
            .arg("import")
            .args(inputs(&new, &ALL))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let now = ws_report(&ws);
        assert!(now == old_report || now == new_report, "round {round}: a mix of old and new data");
        if finished {
            assert_eq!(now, new_report);
        }
    }
    import(&ws, &inputs(&new, &ALL));
    assert_eq!(ws_report(&ws), new_report);
    // Leftovers of killed imports are gone after a completed one.
    let db = rusqlite::Connection::open(ws.join("standwatch.db")).unwrap();
    let named: i64 = db.query_row("SELECT COUNT(*) FROM segments", [], |r| r.get(0)).unwrap();
    assert_eq!(std::fs::read_dir(ws.join("data")).unwrap().count() as i64, named);
}

#[test]
fn workspace_commands_explain_their_misuse() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin().args(["import", "--blocks", "x.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--workspace"));
    let out = bin().arg("report").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let ws = tmp.path().join("ws");
    import(&ws, &inputs(&sample(""), &["blocks", "deliveries"]));
    let out = bin()
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "--tz", "America/Chicago"])
        .args(inputs(&sample(""), &["roster"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reads times in UTC"));
    // Files told by their headers; strict refuses the whole import on a bad row.
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "driver_id,block_id,block_start\nD1,B1,yesterday\nD1,B2,2026-03-02 07:00\n").unwrap();
    let out = bin().arg("--workspace").arg(&ws).args(["import", "--strict"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = stdout(bin().arg("--workspace").arg(&ws).arg("import").arg(&bad));
    assert!(out.contains("(blocks): 2 read: 1 new, 0 updated, 0 unchanged, 0 duplicate, 1 rejected"), "{out}");
}

/// `cases stats`: per ground, the events of sent and decided cases, overturned, denied and
/// pending, as the cases recorded them (drafts left out).
#[test]
fn case_stats_count_the_events_of_the_cases_by_ground() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    import(&ws, &inputs(&sample(""), &ALL));
    let letters = tmp.path().join("letters");
    let out = bin().arg("--workspace").arg(&ws).arg("disputes").arg("--out").arg(&letters).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cases = cases_csv(&ws);
    let count = |row: &Vec<String>| row[8].split(';').filter(|s| !s.is_empty()).count() as u32;
    // Case 1 overturned, case 2 denied, case 3 sent; the rest stay drafts.
    for (id, status) in [("1", "overturned"), ("2", "denied"), ("3", "sent")] {
        assert!(set_case(&ws, &[id, "--status", status]).status.success());
    }
    let by_id = |id: &str| cases.iter().find(|c| c[0] == id).unwrap();
    let (overturned, denied, pending) = (count(by_id("1")), count(by_id("2")), count(by_id("3")));
    let text = stdout(bin().arg("--workspace").arg(&ws).args(["cases", "stats", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["ground", "disputed", "overturned", "denied", "pending", "overturn_rate"]
    );
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    assert!(rows.len() >= 2, "{text}");
    let sum = |c: usize| rows.iter().map(|r| r[c].parse::<u32>().unwrap()).sum::<u32>();
    assert_eq!(
        (sum(1), sum(2), sum(3), sum(4)),
        (overturned + denied + pending, overturned, denied, pending),
        "{text}"
    );
    for r in &rows {
        assert_ne!(r[0], "(not recorded)", "letters record each event's ground");
        let (o, d): (f64, f64) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        if o + d > 0.0 {
            assert!((r[5].parse::<f64>().unwrap() - o / (o + d)).abs() < 1e-6, "{r:?}");
        } else {
            assert_eq!(r[5], "");
        }
    }
    let table = stdout(bin().arg("--workspace").arg(&ws).args(["cases", "stats"]));
    assert!(table.contains("overturn_rate"), "{table}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A workspace that version 0.1.0 wrote (its segments by polars' own Parquet writer, two
/// imports of deliveries, the second replacing 28 rows of the first) reports, histories
/// and drafts letters as 0.1.0 did; a later import writes segments of this version beside
/// its own, and both read together.
#[test]
fn a_workspace_of_version_0_1_reads_as_it_did() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace_0_1");
    let expected = |name: &str| std::fs::read_to_string(fixture.join(name)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir(&ws).unwrap();
    std::fs::copy(fixture.join("standwatch.db"), ws.join("standwatch.db")).unwrap();
    copy_dir(&fixture.join("data"), &ws.join("data"));

    assert_eq!(ws_report(&ws), expected("report.csv"));
    let history = stdout(bin().arg("--workspace").arg(&ws).args(["history", "--format", "csv"]));
    assert_eq!(history, expected("history.csv"));
    // Outages again (unchanged, compared with the old segment), then the sample's whole
    // roster (37 new drivers) in a segment of this version.
    let summary = import(&ws, &["--outages".into(), sample("outages.csv").display().to_string()]);
    assert!(summary.contains("3 unchanged"), "{summary}");
    let summary = import(&ws, &["--roster".into(), sample("roster.csv").display().to_string()]);
    assert!(summary.contains("37 new, 0 updated, 3 unchanged"), "{summary}");
    assert_eq!(ws_report(&ws), expected("report-with-roster.csv"));
    // Letters read every column: notes, reasons, DNR report times, concessions.
    let letters = tmp.path().join("letters");
    stdout(bin().arg("--workspace").arg(&ws).arg("disputes").arg("--out").arg(&letters));
    assert_eq!(std::fs::read_to_string(letters.join("index.csv")).unwrap(), expected("disputes-index.csv"));
}

fn scorecard_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon/scorecards").join(name).display().to_string()
}

/// DSP mode (SPEC §7): a workspace keeps every week; importing a week again replaces that
/// week's row of each DA in the file, and the same files again change nothing; the
/// workspace gives the scorecard and the letters the files give.
#[test]
fn a_workspace_keeps_every_scorecard_week_and_a_week_imported_again_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("dsp");
    let files = [
        scorecard_fixture("DSP Overview Week 17 2026.csv"),
        scorecard_fixture("scorecard W16 2026.csv"),
        scorecard_fixture("rts week 17.csv"),
        scorecard_fixture("concessions week 17.csv"),
    ];
    let first = import(&ws, &files);
    assert!(first.contains("(scorecard): 4 read: 4 new"), "{first}");
    let again = import(&ws, &files);
    assert!(again.contains("(scorecard): 4 read: 0 new, 0 updated, 4 unchanged"), "{again}");
    let scorecard = |args: &[&str]| stdout(bin().arg("--workspace").arg(&ws).arg("scorecard").args(args));
    let mut from_files = bin();
    from_files.arg("scorecard").args(["--format", "csv"]);
    for (option, file) in [("--scorecard", 0), ("--scorecard", 1), ("--exceptions", 2), ("--concessions", 3)] {
        from_files.arg(option).arg(&files[file]);
    }
    assert_eq!(scorecard(&["--format", "csv"]), stdout(&mut from_files));
    assert!(scorecard(&["--format", "csv", "--week", "2026-W16"]).contains("A9Z8Y7X6W5,Ben Okafor,2026-W16,Great"));
    // A corrected week 17 for Ben: his row is replaced, the others stay.
    let corrected = dir.path().join("corrected Week 17 2026.csv");
    std::fs::write(&corrected, "Transporter ID,Overall Standing,DCR\nA9Z8Y7X6W5,Great,99.0%\n").unwrap();
    let third = import(&ws, &[corrected.display().to_string()]);
    assert!(third.contains("1 read: 0 new, 1 updated"), "{third}");
    let now = scorecard(&["--format", "csv"]);
    assert!(now.contains("A9Z8Y7X6W5,Ben Okafor,2026-W17,Great,,,0.990000,Great"), "{now}");
    assert!(now.contains("A1B2C3D4E5,Ana Souza,2026-W17,Fantastic Plus"), "{now}");
    // Disputes of the week record their cases.
    let out = dir.path().join("letters");
    let recorded =
        bin().arg("--workspace").arg(&ws).args(["disputes", "--week", "2026-W17", "--out"]).arg(&out).output().unwrap();
    assert!(recorded.status.success(), "{}", String::from_utf8_lossy(&recorded.stderr));
    assert!(String::from_utf8_lossy(&recorded.stderr).contains("recorded 1 case(s)"));
    assert!(out.join("A9Z8Y7X6W5-dispute-2026-W17.eml").exists());
    let cases = cases_csv(&ws);
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0][1], "A9Z8Y7X6W5");
    // Its events are in a case now: the week is no longer DISPUTABLE.
    assert!(!scorecard(&["--format", "csv"]).contains("DISPUTABLE"));
}
