//! CLI tests of `standwatch report` and `standwatch history` (docs/rules.md §1, §2, §10) over small
//! hand-made fixtures under `tests/fixtures/`, one per export dialect.
//!
//! Every expected number is derived by hand from docs/rules.md in the comment next to it.
//! Conventions used throughout (docs/rules.md §2):
//! - lag 2: the standing on day D counts events whose day ≤ D − 2 (the "cut");
//! - default `--as-of` = newest event day + 2;
//! - thresholds: reliability 0.95/0.90/0.80; attempted 0.995/0.99/0.98; success 0.99/0.98/0.96;
//!   on_time 0.98/0.95/0.90; DNR ≤0/≤1/≤2 (Fantastic/Great/Fair), tolerance 1e-9;
//! - headroom / to-next-tier: k events appended as the newest, the oldest leaving a full window;
//! - a component without data has tier `No standing`, empty rates, count 0.
//!
//! Rejections on stderr are only assumed to look like `<path>:<line>: <column>: <reason>`:
//! the tests look for a stderr line holding the file name and `:<line>:`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const HEADER: &str = "driver_id,driver_name,as_of,overall_tier,reliability_tier,reliability_rate,\
reliability_blocks,quality_tier,attempted_rate,success_rate,on_time_rate,dnr_count,quality_packages,\
reliability_headroom,quality_headroom,blocks_to_next_tier,packages_to_next_tier,alerts,dnr_headroom";

const RATE_COLUMNS: [&str; 4] = ["reliability_rate", "attempted_rate", "success_rate", "on_time_rate"];

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(rel)
}

fn path_arg(p: &Path) -> String {
    p.to_str().expect("fixture paths are UTF-8").to_string()
}

/// `--blocks DIR/blocks.csv --deliveries DIR/deliveries.csv` for a fixture folder.
fn inputs(dir: &str) -> Vec<String> {
    vec![
        "--blocks".into(),
        path_arg(&fixture(&format!("{dir}/blocks.csv"))),
        "--deliveries".into(),
        path_arg(&fixture(&format!("{dir}/deliveries.csv"))),
    ]
}

/// Runs `standwatch` isolated from the user's saved settings (HOME and the XDG folders point to a
/// fresh temporary folder) and with the system time zone pinned to UTC unless a test overrides it.
struct Standwatch {
    home: tempfile::TempDir,
}

impl Standwatch {
    fn new() -> Self {
        Standwatch { home: tempfile::tempdir().expect("temp home") }
    }

    fn cmd(&self) -> Command {
        let home = self.home.path();
        let mut cmd = Command::cargo_bin("standwatch").expect("binary standwatch");
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("APPDATA", home.join("appdata"))
            .env("LOCALAPPDATA", home.join("localappdata"))
            .env("TZ", "UTC");
        cmd
    }
}

/// Runs the command, requires exit status 0 and returns (stdout, stderr).
fn run_ok(mut cmd: Command) -> (String, String) {
    let out = cmd.output().expect("run standwatch");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "exit status {:?}\nstderr:\n{stderr}\nstdout:\n{stdout}", out.status);
    (stdout, stderr)
}

/// `standwatch <sub> <args> --format csv`, exit 0, parsed.
fn csv_of(sub: &str, args: &[String]) -> (Table, String) {
    let sw = Standwatch::new();
    let mut cmd = sw.cmd();
    cmd.arg(sub).args(args).args(["--format", "csv"]);
    let (stdout, stderr) = run_ok(cmd);
    (Table::parse(&stdout), stderr)
}

fn report(args: &[String]) -> Table {
    csv_of("report", args).0
}

/// Minimal RFC 4180 reader (the program's CSV is parsed by hand: quotes, doubled quotes, CRLF).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
        } else {
            match c {
                '"' => in_quotes = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {}
                '\n' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                _ => field.push(c),
            }
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    rows
}

struct Table {
    header: Vec<String>,
    rows: Vec<HashMap<String, String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let mut records = parse_csv(text);
        assert!(!records.is_empty(), "no CSV output");
        let header = records.remove(0);
        assert_eq!(header.join(","), HEADER, "CSV header");
        let rows = records
            .into_iter()
            .map(|r| {
                assert_eq!(r.len(), header.len(), "row with {} cells instead of {}: {r:?}", r.len(), header.len());
                header.iter().cloned().zip(r).collect::<HashMap<_, _>>()
            })
            .collect();
        Table { header, rows }
    }

    /// Report rows keyed by driver_id (one row per driver).
    fn by_driver(&self) -> BTreeMap<String, HashMap<String, String>> {
        let mut map = BTreeMap::new();
        for r in &self.rows {
            let prev = map.insert(r["driver_id"].clone(), r.clone());
            assert!(prev.is_none(), "driver {} has two rows", r["driver_id"]);
        }
        map
    }

    fn driver_ids(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r["driver_id"].as_str()).collect()
    }

    fn row(&self, driver: &str) -> HashMap<String, String> {
        let matches: Vec<_> = self.rows.iter().filter(|r| r["driver_id"] == driver).collect();
        assert_eq!(matches.len(), 1, "expected one row for driver {driver}, found {}", matches.len());
        matches[0].clone()
    }

    fn history_row(&self, driver: &str, day: &str) -> HashMap<String, String> {
        let matches: Vec<_> = self.rows.iter().filter(|r| r["driver_id"] == driver && r["as_of"] == day).collect();
        assert_eq!(matches.len(), 1, "expected one history row for {driver} on {day}, found {}", matches.len());
        matches[0].clone()
    }
}

/// Compares cells: rate columns numerically within 1e-6 (and printed with at least 6 decimals),
/// every other column as exact text. An expected "" means an empty cell.
fn check_row(row: &HashMap<String, String>, expected: &[(&str, &str)]) {
    let who = format!("{} {}", row["driver_id"], row["as_of"]);
    for &(col, want) in expected {
        let got = row.get(col).unwrap_or_else(|| panic!("no column {col}"));
        if RATE_COLUMNS.contains(&col) && !want.is_empty() {
            let w: f64 = want.parse().unwrap();
            let g: f64 = got.parse().unwrap_or_else(|_| panic!("{who}: {col} = {got:?} is not a number"));
            assert!((g - w).abs() <= 1e-6 + 1e-12, "{who}: {col} = {got}, expected {want}\nrow: {row:?}");
            let decimals = got.split('.').nth(1).map_or(0, str::len);
            assert!(decimals >= 6, "{who}: {col} = {got} has fewer than 6 decimals");
        } else {
            assert_eq!(got, want, "{who}: column {col}\nrow: {row:?}");
        }
    }
}

fn check(table: &Table, driver: &str, expected: &[(&str, &str)]) {
    check_row(&table.row(driver), expected);
}

/// A stderr line names `file` and the 1-based physical line `line` as `:<line>:`.
fn assert_rejection(stderr: &str, file: &str, line: usize) {
    let needle = format!(":{line}:");
    assert!(
        stderr.lines().any(|l| l.contains(file) && l.contains(&needle)),
        "stderr has no rejection for {file} line {line}:\n{stderr}"
    );
}

fn assert_no_rejection(stderr: &str, file: &str, line: usize) {
    let needle = format!(":{line}:");
    assert!(
        !stderr.lines().any(|l| l.contains(file) && l.contains(&needle)),
        "stderr reports {file} line {line}, which is not a rejected physical line:\n{stderr}"
    );
}

/// Windows-1252 bytes of the few non-ASCII characters the tests use.
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            c if (c as u32) < 0x80 => c as u8,
            c if (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            c => panic!("{c} is not in the test's Windows-1252 subset"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. canonical headers, ISO timestamps, boundaries, lag, DNR, default as-of
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/canonical. Newest event: package T233 of C3 on 2026-03-09 (a package, not a
/// block: the default as-of looks at both) → as-of 2026-03-11, cut 2026-03-09.
#[test]
fn canonical_report_boundaries_lag_dnr_and_default_as_of() {
    let t = report(&inputs("canonical"));
    // Sorted by driver_id, one row per driver in blocks or deliveries.
    assert_eq!(t.driver_ids(), ["A1", "B2", "C3", "D4"]);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-03-11", "default as-of = newest event day 03-09 + 2");
    }

    // A1 blocks (start 07:00 each day):
    //   B101 03-02 check-in 07:05:00 = exactly +5:00      → on time (inclusive)
    //   B102 03-03 check-in 07:05:01 = +5:01              → miss (late arrival)
    //   B103 03-04 cancelled 06:15:00 = exactly 45:00 before → on-time cancel, not counted
    //   B104 03-05 cancelled 06:15:01 = 44:59 before      → miss (late cancel)
    //   B105 03-06 neither checked in nor cancelled        → miss (no-show)
    //   B106 03-07 check-in 06:50                          → on time
    //   B107 03-08 check-in 06:55                          → on time
    // counted 6, on time 3 → 0.5 → At Risk; no packages → quality No standing.
    // blocks_to_next_tier: (3+k)/(6+k) ≥ 0.80 ⇔ k ≥ 9 (12/15 = 0.80 exactly, window not full) → 9.
    // Headroom empty at At Risk. D−7 = 03-04 (cut 03-02: B101 only, 1/1 Fantastic) → TIER_DROP.
    check(
        &t,
        "A1",
        &[
            ("driver_name", "Ann Alpha"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.5"),
            ("reliability_blocks", "6"),
            ("quality_tier", "No standing"),
            ("attempted_rate", ""),
            ("success_rate", ""),
            ("on_time_rate", ""),
            ("dnr_count", ""),
            ("quality_packages", "0"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", "9"),
            ("packages_to_next_tier", ""),
            ("alerts", "AT_RISK;TIER_DROP"),
        ],
    );

    // B2 packages only (no name anywhere → empty name):
    //   T201 03-02 delivered before deadline            ok
    //   T202 03-02 delivered 30 min after deadline      late
    //   T203 03-03 attempted (not delivered) on time, returned_at set
    //   T204 03-03 not_attempted, no returned_at        → UNRETURNED
    //   T205 03-04 delivered on time, DNR Y reported 03-05 09:00
    //   T206..T209 delivered on time; T210 attempted_at == deliver_by (on time, inclusive)
    // n = 10: attempted 9/10 = 0.9, success 8/10 = 0.8, on_time 8/10 = 0.8 (T202, T204 not), dnr 1
    // → attempted tier At Risk → quality At Risk.
    // packages_to_next_tier (window 500 not full): attempted (9+k)/(10+k) ≥ 0.98 ⇔ k ≥ 40,
    // success (8+k)/(10+k) ≥ 0.96 ⇔ k ≥ 40, on_time ≥ 0.90 ⇔ k ≥ 10, dnr 1 ≤ 2 → Fair at k = 40.
    // NEW_DNR: claim day 03-05 ∈ [D−6, D] = [03-05, 03-11] (inclusive lower bound).
    // D−7 = 03-04 (cut 03-02: T201, T202 → on_time 0.5, At Risk) → no TIER_DROP.
    check(
        &t,
        "B2",
        &[
            ("driver_name", ""),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "No standing"),
            ("reliability_rate", ""),
            ("reliability_blocks", "0"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "0.9"),
            ("success_rate", "0.8"),
            ("on_time_rate", "0.8"),
            ("dnr_count", "1"),
            ("quality_packages", "10"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", ""),
            ("packages_to_next_tier", "40"),
            ("alerts", "AT_RISK;NEW_DNR;UNRETURNED"),
        ],
    );

    // C3: 3 on-time blocks (03-02..03-04), 3 packages delivered on time (03-07..03-09).
    // Reliability 1.0 Fantastic; one more miss → 3/4 = 0.75 At Risk → headroom 1.
    // Quality 1.0/1.0/1.0, dnr 0 → Fantastic; one not_attempted → 3/4 → headroom 1 → NEAR_DROP.
    check(
        &t,
        "C3",
        &[
            ("driver_name", "Cat Charlie"),
            ("overall_tier", "Fantastic"),
            ("reliability_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "3"),
            ("quality_tier", "Fantastic"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "1"),
            ("dnr_count", "0"),
            ("quality_packages", "3"),
            ("reliability_headroom", "1"),
            ("quality_headroom", "1"),
            ("blocks_to_next_tier", ""),
            ("packages_to_next_tier", ""),
            ("alerts", "NEAR_DROP"),
        ],
    );

    // D4 "=cmd": one on-time block → 1.0 Fantastic; one more miss → 1/2 = 0.5 → headroom 1.
    // The name would run as a formula in a spreadsheet → written with a leading apostrophe.
    check(
        &t,
        "D4",
        &[
            ("driver_name", "'=cmd"),
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "1"),
            ("quality_tier", "No standing"),
            ("quality_packages", "0"),
            ("reliability_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
}

/// Lag: with `--as-of 2026-03-09` the cut is 03-07, so A1's block B107 on 03-08 (= as-of − 1)
/// does not count, and only C3's package of 03-07 counts.
#[test]
fn canonical_report_block_on_as_of_minus_one_does_not_count() {
    let mut args = inputs("canonical");
    args.extend(["--as-of".into(), "2026-03-09".into()]);
    let t = report(&args);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-03-09");
    }
    // A1: B101 on, B102 miss, B104 miss, B105 miss, B106 on → 2/5 = 0.4 (B107 excluded).
    // blocks_to_next_tier: (2+k)/(5+k) ≥ 0.8 ⇔ k ≥ 10 (12/15).
    check(
        &t,
        "A1",
        &[
            ("reliability_rate", "0.4"),
            ("reliability_blocks", "5"),
            ("reliability_tier", "At Risk"),
            ("blocks_to_next_tier", "10"),
        ],
    );
    // B2 unchanged (all its packages are ≤ 03-06).
    check(&t, "B2", &[("quality_packages", "10"), ("attempted_rate", "0.9"), ("packages_to_next_tier", "40")]);
    // C3: packages of 03-08 and 03-09 are after the cut → 1 package.
    check(&t, "C3", &[("quality_packages", "1"), ("reliability_blocks", "3"), ("quality_tier", "Fantastic")]);
}

/// The system time zone is not the fleet time zone (default UTC): TZ=Pacific/Kiritimati (UTC+14)
/// must not change anything.
#[test]
fn canonical_report_ignores_system_time_zone() {
    let sw = Standwatch::new();
    let mut utc = sw.cmd();
    utc.arg("report").args(inputs("canonical")).args(["--format", "csv"]);
    let (expected, _) = run_ok(utc);
    let mut kiritimati = sw.cmd();
    kiritimati.env("TZ", "Pacific/Kiritimati").arg("report").args(inputs("canonical")).args(["--format", "csv"]);
    let (got, _) = run_ok(kiritimati);
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------------------------------------
// 2. header aliases + US dates (M/D/YYYY h:mm AM/PM), date-only deadlines, outcome synonyms, roster
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/aliases_us (default month-first: no value is valid only day-first).
/// Newest event: P5, planned 03/06/2026 → as-of 2026-03-08, cut 03-06.
#[test]
fn aliases_and_us_dates_report() {
    let mut args = inputs("aliases_us");
    args.extend(["--roster".into(), path_arg(&fixture("aliases_us/roster.csv"))]);
    let t = report(&args);
    // Every driver in blocks, deliveries or roster has a row; G3 is only in the roster.
    assert_eq!(t.driver_ids(), ["E1", "F2", "G3"]);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-03-08");
    }

    // E1 (blocks: Transporter ID / Shift ID / Scheduled Start / Check-In Time / Cancel Time):
    //   S1 03/02 7:00 AM, check-in 7:05 AM        → on time (exactly +5)
    //   S2 03/03 7:00 AM, check-in 7:06 AM        → miss
    //   S3 03/04 12:00 AM (midnight), 12:04 AM    → on time
    //   S4 03/05 1:00 PM (13:00), 12:58 PM (noon) → on time (read without PM: 01:00 vs 12:58 → miss)
    //   S5 03/05 5:00 PM cancelled 9:00 AM (8 h notice) → not counted
    // 3/4 = 0.75 → At Risk; blocks_to_next_tier: 4/5 = 0.80 → 1.
    // The roster name wins over the blocks' "Eve Echo".
    check(
        &t,
        "E1",
        &[
            ("driver_name", "Evelyn Echo"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.75"),
            ("reliability_blocks", "4"),
            ("quality_tier", "No standing"),
            ("quality_packages", "0"),
            ("reliability_headroom", ""),
            ("blocks_to_next_tier", "1"),
            ("alerts", "AT_RISK"),
        ],
    );

    // F2 (deliveries: Tracking ID / Planned Delivery Date (date only → 23:59:59) / Delivered At /
    // Package Status / Returned to Station At):
    //   P1 planned 03/02, delivered 03/02 11:59 PM, "Delivered to Customer" → on time
    //   P2 planned 03/03, delivered 03/04 12:01 AM                         → late
    //   P3 planned 03/04, 3:15 PM, "RTS", returned 8:00 PM                  → attempted, on time
    //   P4 planned 03/05, "No Attempt", not returned                        → not attempted, UNRETURNED
    //   P5 planned 03/06, 10:00 AM, "DELIVERED_TO_LOCKER"                   → delivered on time
    // attempted 4/5 = 0.8, success 3/5 = 0.6, on_time 3/5 = 0.6, dnr 0 → At Risk.
    // packages_to_next_tier: attempted (4+k)/(5+k) ≥ 0.98 ⇔ k ≥ 45; success (3+k)/(5+k) ≥ 0.96
    // ⇔ k ≥ 45; on_time ⇔ k ≥ 15 → 45.
    check(
        &t,
        "F2",
        &[
            ("driver_name", "Finn Foxtrot"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "No standing"),
            ("reliability_rate", ""),
            ("reliability_blocks", "0"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "0.8"),
            ("success_rate", "0.6"),
            ("on_time_rate", "0.6"),
            ("dnr_count", "0"),
            ("quality_packages", "5"),
            ("quality_headroom", ""),
            ("packages_to_next_tier", "45"),
            ("alerts", "AT_RISK;UNRETURNED"),
        ],
    );

    // G3: roster only → No standing everywhere, counts 0, everything else empty.
    check(
        &t,
        "G3",
        &[
            ("driver_name", "Gus Golf"),
            ("overall_tier", "No standing"),
            ("reliability_tier", "No standing"),
            ("reliability_rate", ""),
            ("reliability_blocks", "0"),
            ("quality_tier", "No standing"),
            ("attempted_rate", ""),
            ("success_rate", ""),
            ("on_time_rate", ""),
            ("dnr_count", ""),
            ("quality_packages", "0"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", ""),
            ("packages_to_next_tier", ""),
            ("alerts", ""),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 3. BOM + CRLF + quoted newlines + blank lines; physical line numbers in rejections
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/bom_crlf (both files: UTF-8 BOM, CRLF, quoted fields spanning lines, blank lines).
///
/// blocks.csv physical lines: 1 header | 2–3 B301 (remarks "gate code⏎changed") | 4 blank |
/// 5 B302 | 6 B303 | 7 B304 with hour 25 → rejected | 8 blank.
/// deliveries.csv: 1 header | 2–3 T301 | 4 blank | 5 T302 | 6 T303 bad attempted_at → rejected |
/// 7–9 T304 (3-line note) | 10 blank | 11 T305 outcome "teleported" → rejected | 12 T306 | 13 blank.
#[test]
fn bom_crlf_multiline_fields_and_physical_line_numbers() {
    let raw = std::fs::read(fixture("bom_crlf/deliveries.csv")).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF") && raw.windows(2).any(|w| w == b"\r\n"), "fixture lost its BOM/CRLF");

    let (t, stderr) = csv_of("report", &inputs("bom_crlf"));
    assert_rejection(&stderr, "blocks.csv", 7);
    assert_rejection(&stderr, "deliveries.csv", 6);
    assert_rejection(&stderr, "deliveries.csv", 11);
    // Record numbers (not physical lines) would be 5 for B304 and 4 / 6 for T303 / T305.
    assert_no_rejection(&stderr, "blocks.csv", 5);
    assert_no_rejection(&stderr, "deliveries.csv", 4);
    assert!(stderr.to_lowercase().contains("rejected"), "no import summary on stderr:\n{stderr}");

    assert_eq!(t.driver_ids(), ["H1"]);
    // Newest accepted event day 03-04 → as-of 03-06, cut 03-04.
    // Blocks: B301 06:58 on, B302 07:01 on, B303 no-show → 2/3 = 0.666667 At Risk;
    //   blocks_to_next_tier: (2+k)/(3+k) ≥ 0.8 ⇔ k ≥ 2.
    // Packages: T301 on, T302 on, T304 13:00 > 12:00 late, T306 on; all delivered →
    //   attempted 1, success 1, on_time 3/4 = 0.75 → At Risk;
    //   packages_to_next_tier: (3+k)/(4+k) ≥ 0.90 ⇔ k ≥ 6.
    check(
        &t,
        "H1",
        &[
            ("driver_name", "Hana Hotel"),
            ("as_of", "2026-03-06"),
            ("overall_tier", "At Risk"),
            ("reliability_tier", "At Risk"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "0.75"),
            ("dnr_count", "0"),
            ("quality_packages", "4"),
            ("reliability_headroom", ""),
            ("quality_headroom", ""),
            ("blocks_to_next_tier", "2"),
            ("packages_to_next_tier", "6"),
            ("alerts", "AT_RISK"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Windows-1252 + semicolons
// ---------------------------------------------------------------------------------------------

#[test]
fn windows_1252_semicolon_files() {
    let dir = tempfile::tempdir().unwrap();
    let blocks = cp1252(
        "driver_id;driver_name;block_id;block_start;checked_in_at;remarks\n\
         K1;José Müller;B401;2026-03-02 07:00;2026-03-02 06:59;€5 tip\n\
         L2;Zoë Ångström;B403;2026-03-02 07:00;2026-03-02 07:10;\n\
         K1;José Müller;B402;2026-03-03 07:00;2026-03-03 07:00;\n\
         L2;Zoë Ångström;B404;2026-03-03 07:00;2026-03-03 06:45;“quoted”\n",
    );
    let deliveries = cp1252(
        "tracking_id;driver_id;deliver_by;attempted_at;outcome;notes\n\
         T401;K1;2026-03-03 12:00;2026-03-03 11:00;Delivered;Laissé à l’accueil\n",
    );
    assert!(std::str::from_utf8(&blocks).is_err() && std::str::from_utf8(&deliveries).is_err());
    assert!(blocks.contains(&0xE9), "é is the single byte 0xE9");
    let (bp, dp) = (dir.path().join("blocks.csv"), dir.path().join("deliveries.csv"));
    std::fs::write(&bp, blocks).unwrap();
    std::fs::write(&dp, deliveries).unwrap();

    let t = report(&["--blocks".into(), path_arg(&bp), "--deliveries".into(), path_arg(&dp)]);
    assert_eq!(t.driver_ids(), ["K1", "L2"]);
    // Newest day 03-03 → as-of 03-05.
    // K1: B401 06:59, B402 07:00 → 2/2 = 1.0 Fantastic, headroom 1 (2/3 At Risk);
    //     T401 delivered on time → quality Fantastic, headroom 1 → NEAR_DROP.
    check(
        &t,
        "K1",
        &[
            ("driver_name", "José Müller"),
            ("as_of", "2026-03-05"),
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "2"),
            ("quality_tier", "Fantastic"),
            ("quality_packages", "1"),
            ("reliability_headroom", "1"),
            ("quality_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // L2: B403 07:10 miss, B404 06:45 on → 0.5 At Risk; (1+k)/(2+k) ≥ 0.8 ⇔ k ≥ 3.
    check(
        &t,
        "L2",
        &[
            ("driver_name", "Zoë Ångström"),
            ("as_of", "2026-03-05"),
            ("overall_tier", "At Risk"),
            ("reliability_rate", "0.5"),
            ("reliability_blocks", "2"),
            ("quality_tier", "No standing"),
            ("blocks_to_next_tier", "3"),
            ("alerts", "AT_RISK"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 5. offsets and --tz America/New_York (local days, DST on 2026-03-08)
// ---------------------------------------------------------------------------------------------
//
// New York: EST (UTC−5) until 2026-03-08 02:00 local, then EDT (UTC−4).
// blocks:
//   M1 B501 start 2026-03-05T02:00Z          = 03-04 21:00 EST → day 03-04 (UTC day 03-05);
//           check-in 2026-03-04T21:04-05:00 = +4 min → on time
//   M1 B502 start naive 2026-03-05 21:00 EST = 03-06T02:00Z → day 03-05;
//           check-in 2026-03-06T02:03Z = +3 min → on time (naive read as UTC: +5 h → miss)
//   M1 B503 start naive 2026-03-08 07:00 EDT = 11:00Z → day 03-08;
//           check-in 2026-03-08T12:04Z = +64 min → miss (EST wrongly applied: +4 min → on time)
//   N2 B511 start 2026-03-02T12:00+01:00     = 11:00Z = 06:00 EST → day 03-02;
//           check-in naive 2026-03-02 06:06 EST = +6 min → miss
// deliveries (all delivered):
//   T501 by 2026-03-09T20:00-04:00 (= 03-10T00:00Z) → day 03-09 (UTC day 03-10);
//        attempted naive 03-09 19:30 EDT → on time
//   T502 by 2026-03-10T03:30Z = 03-09 23:30 EDT → day 03-09 (UTC day 03-10);
//        attempted naive 03-09 23:45 EDT = 03:45Z → late (naive read as UTC: on time)
//   T503 by naive 2026-03-07 18:00 EST = 23:00Z → day 03-07; attempted 22:59Z → on time

fn tz_args() -> Vec<String> {
    let mut args = inputs("offsets_tz");
    args.extend(["--tz".into(), "America/New_York".into()]);
    args
}

/// Newest local event day is 03-09 (its UTC date is 03-10) → as-of 2026-03-11, cut 03-09,
/// which includes T501/T502 (local day 03-09) even though their UTC date is 03-10.
#[test]
fn offsets_and_tz_report_default_as_of_uses_local_days() {
    let t = report(&tz_args());
    assert_eq!(t.driver_ids(), ["M1", "N2"]);
    // M1: blocks on, on, miss → 2/3; to next (Fair): (2+k)/(3+k) ≥ 0.8 ⇔ k ≥ 2.
    //     packages: attempted 1, success 1, on_time 2/3 (T502 late) → At Risk;
    //     to next: (2+k)/(3+k) ≥ 0.90 ⇔ k ≥ 7.
    check(
        &t,
        "M1",
        &[
            ("driver_name", "Mia Mike"),
            ("as_of", "2026-03-11"),
            ("overall_tier", "At Risk"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_tier", "At Risk"),
            ("attempted_rate", "1"),
            ("success_rate", "1"),
            ("on_time_rate", "0.666667"),
            ("dnr_count", "0"),
            ("quality_packages", "3"),
            ("blocks_to_next_tier", "2"),
            ("packages_to_next_tier", "7"),
            ("alerts", "AT_RISK"),
        ],
    );
    // N2: 0/1 → 0.0 At Risk; k/(1+k) ≥ 0.8 ⇔ k ≥ 4. D−7 = 03-04 (cut 03-02: same 0/1) → no drop.
    check(
        &t,
        "N2",
        &[
            ("as_of", "2026-03-11"),
            ("reliability_rate", "0"),
            ("reliability_blocks", "1"),
            ("reliability_tier", "At Risk"),
            ("blocks_to_next_tier", "4"),
            ("alerts", "AT_RISK"),
        ],
    );
}

/// `--as-of 2026-03-06` (cut 03-04): B501 counts because its New York day is 03-04 (its UTC date,
/// 03-05, would be after the cut). `--as-of 2026-03-10` (cut 03-08): T501/T502 (local 03-09) are
/// out; the DST-day block B503 (03-08) is in.
#[test]
fn offsets_and_tz_report_cut_uses_local_days() {
    let mut args = tz_args();
    args.extend(["--as-of".into(), "2026-03-06".into()]);
    let t = report(&args);
    check(
        &t,
        "M1",
        &[
            ("as_of", "2026-03-06"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "1"),
            ("reliability_tier", "Fantastic"),
            ("quality_tier", "No standing"),
            ("quality_packages", "0"),
        ],
    );

    let mut args = tz_args();
    args.extend(["--as-of".into(), "2026-03-10".into()]);
    let t = report(&args);
    // Blocks B501 on, B502 on, B503 miss → 2/3; packages: only T503 (on time) → 1.0.
    check(
        &t,
        "M1",
        &[
            ("as_of", "2026-03-10"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_packages", "1"),
            ("on_time_rate", "1"),
            ("quality_tier", "Fantastic"),
        ],
    );
}

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
// 8. day-first dates
// ---------------------------------------------------------------------------------------------

/// tests/fixtures/dayfirst/auto: every date column holds a value valid only day-first
/// (13/03/2026) and none valid only month-first → read day-first.
///   B801 02/03 07:00 check-in 07:04 → 2 March, on time
///   B802 03/03 07:00 check-in 07:30 → 3 March, miss
///   B803 13/03 07:00 check-in 06:59 → 13 March, on time   → 2/3, to next 2
///   T801 02/03 on time, T802 13/03 12:30 > 12:00 late     → on_time 0.5; (1+k)/(2+k) ≥ 0.9 ⇔ k ≥ 8
/// Newest day 13 March → as-of 2026-03-15.
#[test]
fn day_first_detected_from_values() {
    let t = report(&inputs("dayfirst/auto"));
    check(
        &t,
        "R1",
        &[
            ("as_of", "2026-03-15"),
            ("overall_tier", "At Risk"),
            ("reliability_rate", "0.666667"),
            ("reliability_blocks", "3"),
            ("quality_packages", "2"),
            ("attempted_rate", "1"),
            ("on_time_rate", "0.5"),
            ("blocks_to_next_tier", "2"),
            ("packages_to_next_tier", "8"),
            ("alerts", "AT_RISK"),
        ],
    );
}

/// tests/fixtures/dayfirst/flag: only ambiguous dates (04/03, 05/03). With `--day-first` they are
/// 4 and 5 March (as-of 2026-03-07); without it they are April 3 and May 3 (as-of 2026-05-05).
/// B811 +5:00 on time, B812 +10 miss → 0.5 either way; T811 on time.
#[test]
fn day_first_flag_switches_ambiguous_dates() {
    let mut args = inputs("dayfirst/flag");
    args.push("--day-first".into());
    let t = report(&args);
    check(
        &t,
        "S1",
        &[
            ("as_of", "2026-03-07"),
            ("reliability_rate", "0.5"),
            ("reliability_blocks", "2"),
            ("quality_packages", "1"),
            ("on_time_rate", "1"),
            ("blocks_to_next_tier", "3"),
            ("quality_headroom", "1"),
            ("alerts", "AT_RISK;NEAR_DROP"),
        ],
    );

    let t = report(&inputs("dayfirst/flag"));
    check(
        &t,
        "S1",
        &[("as_of", "2026-05-05"), ("reliability_rate", "0.5"), ("reliability_blocks", "2"), ("quality_packages", "1")],
    );
}

// ---------------------------------------------------------------------------------------------
// headroom / recovery (default windows) and small windows through --thresholds
// ---------------------------------------------------------------------------------------------
//
// tests/fixtures/headroom: one block a day 2026-02-01..02-20 at 07:00 for U1..X4 (block n = day n,
// n = 1 oldest); a miss is a check-in at 07:15. Packages: Y5 10 a day 02-01..02-20 (200, all
// delivered on time); Z6 10 a day 02-11..02-20 (100), the oldest (02-11 10:00) not_attempted and
// returned, the rest delivered on time. Newest day 02-20 → as-of 2026-02-22.
//   U1 no miss; V2 miss at block 10; W3 miss at block 1 (the oldest); X4 misses at blocks 3, 11, 18.

#[test]
fn headroom_and_recovery_with_default_windows() {
    let t = report(&inputs("headroom"));
    assert_eq!(t.driver_ids(), ["U1", "V2", "W3", "X4", "Y5", "Z6"]);
    for r in &t.rows {
        assert_eq!(r["as_of"], "2026-02-22");
    }
    // U1: 20/20 = 1.0 Fantastic. +1 miss: 19/20 = 0.95 still Fantastic; +2: 18/20 = 0.90 Great → 2.
    check(
        &t,
        "U1",
        &[
            ("overall_tier", "Fantastic"),
            ("reliability_rate", "1"),
            ("reliability_blocks", "20"),
            ("reliability_headroom", "2"),
            ("blocks_to_next_tier", ""),
            ("quality_tier", "No standing"),
            ("quality_headroom", ""),
            ("alerts", ""),
        ],
    );
    // V2: 19/20 = 0.95 Fantastic. +1 miss: block 1 (on time) leaves → 18/20 = 0.90 Great → 1.
    check(
        &t,
        "V2",
        &[
            ("reliability_tier", "Fantastic"),
            ("reliability_rate", "0.95"),
            ("reliability_blocks", "20"),
            ("reliability_headroom", "1"),
            ("blocks_to_next_tier", ""),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // W3: 19/20 = 0.95, but the miss is the oldest: +1 miss replaces it → still 19/20;
    // +2: block 2 (on time) leaves too → 18/20 Great → 2.
    check(
        &t,
        "W3",
        &[
            ("reliability_tier", "Fantastic"),
            ("reliability_rate", "0.95"),
            ("reliability_headroom", "2"),
            ("alerts", ""),
        ],
    );
    // X4: 17/20 = 0.85 Fair.
    //  headroom: +1 miss, block 1 (on) leaves → 16/20 = 0.80 still Fair (inclusive);
    //            +2, block 2 (on) leaves → 15/20 = 0.75 At Risk → 2.
    //  blocks_to_next_tier: on-time blocks push out blocks 1, 2, 3; the first miss (block 3) leaves
    //  at k = 3 → 18/20 = 0.90 Great → 3 (a growing window would need 10).
    //  D−7 = 02-15 (cut 02-13: blocks 1..13, misses 3 and 11 → 11/13 Fair) → no TIER_DROP.
    check(
        &t,
        "X4",
        &[
            ("overall_tier", "Fair"),
            ("reliability_tier", "Fair"),
            ("reliability_rate", "0.85"),
            ("reliability_blocks", "20"),
            ("reliability_headroom", "2"),
            ("blocks_to_next_tier", "3"),
            ("alerts", ""),
        ],
    );
    // Y5: 200 packages all on time → Fantastic. +1 not_attempted: 200/201 = 0.995025 ≥ 0.995,
    // still Fantastic; +2: 200/202 = 0.990099 < 0.995 → Great → quality_headroom 2. No claim,
    // and Fantastic allows none: one claim makes it Great → dnr_headroom 1 → NEAR_DROP.
    check(
        &t,
        "Y5",
        &[
            ("overall_tier", "Fantastic"),
            ("reliability_tier", "No standing"),
            ("reliability_blocks", "0"),
            ("quality_tier", "Fantastic"),
            ("attempted_rate", "1"),
            ("quality_packages", "200"),
            ("quality_headroom", "2"),
            ("packages_to_next_tier", ""),
            ("dnr_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // Z6: 99/100 on all three rates → attempted 0.99 Great (success 0.99 and on_time 0.99 are
    // Fantastic) → Great. +1 not_attempted: 99/101 = 0.980 → attempted Fair → headroom 1.
    // Up: (99+k)/(100+k) ≥ 0.995 ⇔ k ≥ 100 (199/200, window of 500 not full) → 100.
    // The not-attempted package was returned → no UNRETURNED.
    check(
        &t,
        "Z6",
        &[
            ("overall_tier", "Great"),
            ("quality_tier", "Great"),
            ("attempted_rate", "0.99"),
            ("success_rate", "0.99"),
            ("on_time_rate", "0.99"),
            ("dnr_count", "0"),
            ("quality_packages", "100"),
            ("quality_headroom", "1"),
            ("packages_to_next_tier", "100"),
            // Great allows 1 claim: the first keeps it Great, the second makes it Fair.
            ("dnr_headroom", "2"),
            ("alerts", "NEAR_DROP"),
        ],
    );
}

/// Same fixture with tests/fixtures/headroom/thresholds.toml: `[windows] blocks = 10,
/// packages = 100`, every other setting default. Windows hold blocks 11..20 and the newest 100
/// packages.
#[test]
fn headroom_with_small_windows_from_thresholds_file() {
    let mut args = inputs("headroom");
    args.extend(["--thresholds".into(), path_arg(&fixture("headroom/thresholds.toml"))]);
    let t = report(&args);
    // U1: 10/10; +1 miss → 9/10 = 0.90 Great → 1.
    check(
        &t,
        "U1",
        &[
            ("reliability_rate", "1"),
            ("reliability_blocks", "10"),
            ("reliability_headroom", "1"),
            ("alerts", "NEAR_DROP"),
        ],
    );
    // V2: its miss (block 10) is outside the window → 10/10 → headroom 1.
    check(&t, "V2", &[("reliability_rate", "1"), ("reliability_blocks", "10"), ("reliability_headroom", "1")]);
    // X4: blocks 11..20 with misses 11 and 18 → 0.80 Fair (inclusive).
    //  headroom: +1 miss replaces block 11 (a miss) → 0.80 Fair; +2 replaces block 12 → 0.70 → 2.
    //  to next: +1 on time replaces block 11 → 0.90 Great → 1.
    //  D−7 = 02-15 (cut 02-13: blocks 4..13, miss 11 → 0.90 Great) → Great to Fair → TIER_DROP.
    check(
        &t,
        "X4",
        &[
            ("reliability_tier", "Fair"),
            ("reliability_rate", "0.8"),
            ("reliability_blocks", "10"),
            ("reliability_headroom", "2"),
            ("blocks_to_next_tier", "1"),
            ("alerts", "TIER_DROP"),
        ],
    );
    // Y5: newest 100 packages all on time; +1 not_attempted → 99/100 = 0.99 Great → 1.
    check(&t, "Y5", &[("quality_packages", "100"), ("quality_tier", "Fantastic"), ("quality_headroom", "1")]);
    // Z6: 100 packages, the oldest not attempted → 0.99 Great.
    //  headroom: +1 replaces that very package → still 0.99; +2 → 98/100 = 0.98 attempted Fair → 2.
    //  to next: +1 on-time package pushes it out → 100/100 Fantastic → 1.
    //  D−7 (cut 02-13: 30 packages, 29 attempted = 0.967, At Risk) → improved, no alert.
    check(
        &t,
        "Z6",
        &[
            ("quality_tier", "Great"),
            ("attempted_rate", "0.99"),
            ("quality_packages", "100"),
            ("quality_headroom", "2"),
            ("packages_to_next_tier", "1"),
            ("alerts", ""),
        ],
    );
}

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
