//! Stale duplicates, bad rows mixed in, and unusable input (exit 2).

use super::*;

// ---------------------------------------------------------------------------------------------
// 6. stale duplicates: the later row wins
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/duplicates. Rows 2–6 are stale versions; rows 7–10 restate four blocks:
///   B601 first no-show        → later checked in 06:58  → on time
///   B602 first 06:55          → later 07:20             → miss
///   B603 first on 03-09       → later on 03-04, on time  (the stale 03-09 must not move the as-of)
///   B604 first late cancel    → later cancelled 6 h early → not counted
///   B605 (single row) 03-05 06:59 → on time
/// Counted: B601 on, B602 miss, B603 on, B605 on → 3/4 = 0.75 At Risk; 4/5 = 0.8 → to next 1.
/// Newest event day 03-05 → as-of 2026-03-07.
/// Packages: T601 first not_attempted → later delivered on time; T602 later adds DNR (reported
/// 03-04); T603 on time → n = 3, rates 1/1/1, dnr 1 → Great (DNR tier).
///   quality_headroom: one not_attempted → attempted 3/4 → At Risk → 1 → NEAR_DROP.
///   packages_to_next_tier: only the DNR keeps it from Fantastic; it leaves the 500-package window
///   when 3 + k > 501 (T601 then T602 are the oldest) → k = 499.
#[test]
fn duplicate_keys_later_row_wins() {
    let (t, stderr) = csv_of("report", &inputs("duplicates"));
    assert!(stderr.to_lowercase().contains("duplicate"), "import summary should count duplicates:\n{stderr}");
    assert_eq!(t.driver_ids(), ["O1"]);
    check(
        &t,
        "O1",
        &[
            ("driver_name", "Oli Oscar"),
            ("as_of", "2026-03-07"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.75"),
            ("reliability_blocks", "4"),
            ("quality_tier", "Great"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "1"),
            ("dnr_count", "1"),
            ("quality_packages", "3"),
            ("reliability_headroom", ""),
            ("quality_headroom", "1"),
            ("blocks_to_next_tier", "1"),
            ("packages_to_next_tier", "499"),
            ("alerts", "AT_RISK;NEAR_DROP;NEW_DNR"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 7. bad rows mixed in
// ---------------------------------------------------------------------------------------------
//
// blocks.csv:     line 3 block_start 2026-03-32 (bad timestamp), line 4 empty driver_id,
//                 line 6 checked_in_at "yesterday-ish" (bad timestamp).
// deliveries.csv: line 3 outcome "lost in space", line 5 empty driver_id, line 6 empty tracking_id.

#[test]
fn bad_rows_are_rejected_with_file_and_line_and_import_goes_on() {
    let (t, stderr) = csv_of("report", &inputs("bad_rows"));
    for line in [3, 4, 6] {
        assert_rejection(&stderr, "blocks.csv", line);
    }
    for line in [3, 5, 6] {
        assert_rejection(&stderr, "deliveries.csv", line);
    }
    assert_no_rejection(&stderr, "blocks.csv", 2);
    assert_no_rejection(&stderr, "blocks.csv", 5);
    assert_no_rejection(&stderr, "deliveries.csv", 4);
    assert!(stderr.to_lowercase().contains("rejected"), "no import summary on stderr:\n{stderr}");

    // Accepted: blocks B701 (03-02), B704 (03-03), both on time; packages T701, T703 on time.
    // The rejected B705 (03-04) does not move the as-of: newest accepted day 03-03 → 03-05.
    // 1.0 / 1.0 → Fantastic; headroom 1 each (2/3) → NEAR_DROP.
    assert_eq!(t.driver_ids(), ["Q1"]);
    check(
        &t,
        "Q1",
        &[
            ("driver_name", "Quinn Quebec"),
            ("as_of", "2026-03-05"),
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "2"),
            ("quality_tier", "Fantastic"),
            ("quality_packages", "2"),
            ("reliability_headroom", "1"),
            ("quality_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
}

#[test]
fn bad_rows_with_strict_fail_with_exit_2() {
    let sw = Standwatch::new();
    sw.cmd()
        .arg("report")
        .args(inputs("bad_rows"))
        .args(["--strict", "--format", "csv"])
        .assert()
        .code(2)
        // the failure names a file holding a rejected row (either may be read first)
        .stderr(predicate::str::contains("blocks.csv").or(predicate::str::contains("deliveries.csv")));
}

// ---------------------------------------------------------------------------------------------
// unusable input → exit 2
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_required_column_is_exit_2_naming_file_field_and_headers() {
    let sw = Standwatch::new();
    let assert = sw
        .cmd()
        .arg("report")
        .args(["--blocks", &path_arg(&fixture("errors/blocks_no_start.csv"))])
        .args(["--deliveries", &path_arg(&fixture("canonical/deliveries.csv"))])
        .args(["--format", "csv"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("driver_id,").not())
        .stderr(
            predicate::str::contains("blocks_no_start.csv")
                .and(predicate::str::contains("block_start"))
                // headers found
                .and(predicate::str::contains("driver_name"))
                .and(predicate::str::contains("checked_in_at")),
        );
    // accepted names of the missing field
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_lowercase();
    assert!(stderr.contains("scheduled start"), "accepted names of block_start not listed:\n{stderr}");
}

#[test]
fn nonexistent_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no_such_blocks.csv");
    Standwatch::new()
        .cmd()
        .arg("report")
        .args(["--blocks", &path_arg(&missing)])
        .args(["--deliveries", &path_arg(&fixture("canonical/deliveries.csv"))])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no_such_blocks.csv"));
}

#[test]
fn empty_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty_blocks.csv");
    std::fs::write(&empty, b"").unwrap();
    Standwatch::new()
        .cmd()
        .arg("report")
        .args(["--blocks", &path_arg(&empty)])
        .args(["--deliveries", &path_arg(&fixture("canonical/deliveries.csv"))])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty_blocks.csv"));
}

#[test]
fn binary_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary_blocks.csv");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    bytes.extend((0..512u32).map(|i| (i * 37 % 251) as u8));
    bytes.extend([0u8; 64]);
    std::fs::write(&binary, bytes).unwrap();
    Standwatch::new()
        .cmd()
        .arg("report")
        .args(["--blocks", &path_arg(&binary)])
        .args(["--deliveries", &path_arg(&fixture("canonical/deliveries.csv"))])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("binary_blocks.csv"));
}
