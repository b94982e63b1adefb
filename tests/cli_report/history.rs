//! `history`, output formats and destinations, and the bundled sample.

use super::*;

// ---------------------------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------------------------

/// `history --format csv` over the canonical fixture: every driver's first event is on 03-02, so
/// each has rows 03-04 (first day with standing) .. 03-11 (default as-of), sorted by driver then day.
#[test]
fn history_csv_rows_sorted_from_first_standing_day() {
    let (h, _) = csv_of("history", &inputs("canonical"));
    let days = [
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
        "2026-03-07",
        "2026-03-08",
        "2026-03-09",
        "2026-03-10",
        "2026-03-11",
    ];
    let keys: Vec<(String, String)> = h.rows.iter().map(|r| (r["driver_id"].clone(), r["as_of"].clone())).collect();
    let mut expected = Vec::new();
    for d in ["A1", "B2", "C3", "D4"] {
        for day in days {
            expected.push((d.to_string(), day.to_string()));
        }
    }
    assert_eq!(keys, expected, "history rows (driver, day)");

    // A1's rate day by day (cut = day − 2):
    //  03-04 cut 03-02: B101 on                    1/1
    //  03-05 cut 03-03: + B102 miss                1/2
    //  03-06 cut 03-04: B103 on-time cancel        1/2
    //  03-07 cut 03-05: + B104 late cancel         1/3
    //  03-08 cut 03-06: + B105 no-show             1/4
    //  03-09 cut 03-07: + B106 on                  2/5
    //  03-10 cut 03-08: + B107 on                  3/6
    //  03-11 cut 03-09: (nothing new)              3/6
    let a1 = [
        ("1", "1"),
        ("0.5", "2"),
        ("0.5", "2"),
        ("0.333333", "3"),
        ("0.25", "4"),
        ("0.4", "5"),
        ("0.5", "6"),
        ("0.5", "6"),
    ];
    for (day, (rate, blocks)) in days.iter().zip(a1) {
        check_row(&h.history_row("A1", day), &[("reliability_rate", rate), ("reliability_blocks", blocks)]);
    }
    check_row(&h.history_row("A1", "2026-03-04"), &[("overall_tier", "Fantastic"), ("reliability_headroom", "1")]);
    check_row(&h.history_row("A1", "2026-03-08"), &[("overall_tier", "At Risk"), ("blocks_to_next_tier", "11")]);

    // B2 on 03-04 (cut 03-02): T201 ok, T202 late → 1, 1, 0.5, 2 packages.
    // B2 on 03-05 (cut 03-03): + T203 attempted, T204 not attempted → 3/4, 2/4, 2/4.
    check_row(
        &h.history_row("B2", "2026-03-04"),
        &[
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "0.5"),
            ("quality_packages", "2"),
            ("dnr_count", "0"),
            ("reliability_tier", "No standing"),
            ("quality_tier", "At Risk"),
        ],
    );
    check_row(
        &h.history_row("B2", "2026-03-05"),
        &[("attempted_rate", "0.75"), ("success_rate", "0.5"), ("on_time_rate", "0.5"), ("quality_packages", "4")],
    );
    // C3's first package (03-07) counts from 03-09 on.
    check_row(&h.history_row("C3", "2026-03-08"), &[("quality_tier", "No standing"), ("quality_packages", "0")]);
    check_row(&h.history_row("C3", "2026-03-09"), &[("quality_tier", "Fantastic"), ("quality_packages", "1")]);
    // Formula neutralised in history too.
    check_row(&h.history_row("D4", "2026-03-04"), &[("driver_name", "'=cmd")]);

    // The last day of history is the report: same cells in every column.
    let rep = report(&inputs("canonical")).by_driver();
    for (driver, row) in rep {
        let last = h.history_row(&driver, "2026-03-11");
        for col in &h.header {
            assert_eq!(last[col], row[col], "{driver}: history 2026-03-11 vs report, column {col}");
        }
    }
}

#[test]
fn history_csv_driver_and_date_range() {
    let mut args = inputs("canonical");
    args.extend(["--driver", "A1", "--from", "2026-03-06", "--to", "2026-03-08"].map(String::from));
    let (h, _) = csv_of("history", &args);
    let keys: Vec<(&str, &str)> = h.rows.iter().map(|r| (r["driver_id"].as_str(), r["as_of"].as_str())).collect();
    assert_eq!(keys, [("A1", "2026-03-06"), ("A1", "2026-03-07"), ("A1", "2026-03-08")]);
    check_row(&h.rows[2], &[("reliability_rate", "0.25"), ("reliability_blocks", "4")]);
}

// ---------------------------------------------------------------------------------------------
// output formats and destinations
// ---------------------------------------------------------------------------------------------

#[test]
fn report_json_has_driver_fields() {
    let sw = Standwatch::new();
    let mut cmd = sw.cmd();
    cmd.arg("report").args(inputs("canonical")).args(["--format", "json"]);
    let (stdout, _) = run_ok(cmd);
    let trimmed = stdout.trim_start();
    assert!(trimmed.starts_with('[') || trimmed.starts_with('{'), "not JSON: {stdout}");
    assert!(stdout.contains("\"driver_id\""), "no driver_id field: {stdout}");
    assert!(stdout.contains("\"A1\"") && stdout.contains("\"D4\""), "drivers missing: {stdout}");
    assert!(stdout.contains("\"reliability_headroom\""), "fields missing: {stdout}");
}

#[test]
fn report_out_writes_file_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let sw = Standwatch::new();
    sw.cmd()
        .arg("report")
        .args(inputs("canonical"))
        .args(["--format", "csv", "--out", &path_arg(&out)])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let text = std::fs::read_to_string(&out).expect("--out file written");
    let t = Table::parse(&text);
    assert_eq!(t.driver_ids(), ["A1", "B2", "C3", "D4"]);
    check(&t, "D4", &[("driver_name", "'=cmd")]);
    check(&t, "A1", &[("reliability_rate", "0.5"), ("as_of", "2026-03-11")]);
}

/// `sample --out DIR` writes the sample data inside the binary: the same files as
/// `sample-data/`, and the same report from them.
#[test]
fn the_sample_command_writes_the_bundled_sample_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sample");
    let written = Command::cargo_bin("standwatch").unwrap().args(["sample", "--out"]).arg(&out).output().unwrap();
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    for name in ["blocks.csv", "deliveries.csv", "roster.csv", "outages.csv", "concessions.csv", "README.md"] {
        assert_eq!(std::fs::read(out.join(name)).unwrap(), std::fs::read(bundled.join(name)).unwrap(), "{name}");
    }
    assert!(out.join("photos/TBA0000017958.jpg").is_file());
    let report = |folder: &Path| {
        let args: Vec<String> = ["blocks", "deliveries", "roster", "outages", "concessions"]
            .iter()
            .flat_map(|k| [format!("--{k}"), folder.join(format!("{k}.csv")).display().to_string()])
            .collect();
        let out = Command::cargo_bin("standwatch").unwrap().arg("report").args(&args).output().unwrap();
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(report(&out), report(&bundled));
}
