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

mod bad_input;
mod canonical;
mod dialects;
mod headroom;
mod history;

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
