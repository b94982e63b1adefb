//! The malformed-input corpus (issue 7): each broken file, run through `standwatch report`,
//! gets the expected exit status and message, never a panic, and stderr stays short.
//!
//! The files are built here from `tests/fixtures/canonical` so that each case differs
//! from a good export in exactly one way.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn canonical(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/canonical").join(name);
    std::fs::read_to_string(path).expect("canonical fixture")
}

/// What `report` did with one broken file.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `report --format csv` with `broken` as the blocks or the deliveries file and the
/// canonical fixture as the other one.
fn report_with(as_deliveries: bool, broken: &[u8]) -> Outcome {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken_path = dir.path().join("broken.csv");
    std::fs::write(&broken_path, broken).expect("write broken file");
    run_report(dir.path(), as_deliveries, &broken_path)
}

fn run_report(home: &Path, as_deliveries: bool, broken: &Path) -> Outcome {
    let good_name = if as_deliveries { "blocks.csv" } else { "deliveries.csv" };
    let good: PathBuf = home.join(good_name);
    std::fs::write(&good, canonical(good_name)).expect("write good file");
    let (blocks, deliveries) = if as_deliveries { (good.as_path(), broken) } else { (broken, good.as_path()) };
    let out = Command::cargo_bin("standwatch")
        .expect("binary")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("TZ", "UTC")
        .args(["report", "--format", "csv", "--blocks"])
        .arg(blocks)
        .arg("--deliveries")
        .arg(deliveries)
        .output()
        .expect("run standwatch");
    let outcome = Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!outcome.stderr.contains("panicked"), "panic:\n{}", outcome.stderr);
    assert!(outcome.stderr.len() < 4000, "stderr is {} bytes long", outcome.stderr.len());
    outcome
}

fn refused(as_deliveries: bool, broken: &[u8], message: &str) {
    let out = report_with(as_deliveries, broken);
    assert_eq!(out.code, Some(2), "stderr:\n{}", out.stderr);
    assert!(out.stderr.contains(message), "expected {message:?} in:\n{}", out.stderr);
    assert!(out.stdout.is_empty(), "no report on refusal");
}

/// The file is read; `message` names the rejected row.
fn row_rejected(as_deliveries: bool, broken: &[u8], message: &str) -> Outcome {
    let out = report_with(as_deliveries, broken);
    assert_eq!(out.code, Some(0), "stderr:\n{}", out.stderr);
    assert!(out.stderr.contains(message), "expected {message:?} in:\n{}", out.stderr);
    out
}

#[test]
fn empty_file() {
    refused(false, b"", "broken.csv: the file is empty");
    refused(false, b"\r\n \n", "broken.csv: the file is empty");
}

#[test]
fn header_only() {
    let header = canonical("blocks.csv").lines().next().unwrap_or_default().to_string();
    refused(false, format!("{header}\r\n").as_bytes(), "broken.csv: has a header line but no data rows");
}

#[test]
fn binary_garbage() {
    // Deterministic noise with every byte value, as a zip or a photo would have.
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    refused(false, &garbage, "not a text CSV file (binary data at byte offset");
}

#[test]
fn nul_bytes_name_the_line() {
    let mut blocks = canonical("blocks.csv").into_bytes();
    let third_line = blocks.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1).map(|(i, _)| i + 1).unwrap();
    blocks.insert(third_line + 3, 0);
    refused(false, &blocks, "broken.csv:3: not a text CSV file");
}

#[test]
fn a_nul_byte_in_the_header_names_line_one() {
    let mut blocks = canonical("blocks.csv").into_bytes();
    blocks.insert(4, 0);
    refused(false, &blocks, "broken.csv:1: not a text CSV file");
}

#[test]
fn nul_padding_at_the_end_is_ignored() {
    let mut blocks = canonical("blocks.csv").into_bytes();
    blocks.extend_from_slice(&[0; 512]);
    let out = report_with(false, &blocks);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn ten_megabyte_single_line() {
    // As the header: the missing-column message shows the headers cut short.
    let one_line = format!("driver_id,block_id,{}", "x".repeat(10 << 20));
    refused(false, one_line.as_bytes(), "missing required column 'block_start'");
    // As a row: rejected, its value cut short in the message.
    let blocks = canonical("blocks.csv");
    let huge_row = format!("{blocks}C3,Cat,B999,DXT4,{}\n", "9".repeat(10 << 20));
    let out = row_rejected(false, huge_row.as_bytes(), "broken.csv:13: column 'block_start': cannot read '9999");
    assert!(out.stderr.contains("…' as a date and time"), "{}", out.stderr);
}

#[test]
fn truncated_quote_at_the_end() {
    let blocks = format!("{}C3,\"Cat Charlie,B999,DXT4,2026-03-09T08:00:00\n", canonical("blocks.csv"));
    let out = row_rejected(false, blocks.as_bytes(), "broken.csv:13: column 'driver_name': a quoted value starts here");
    assert!(out.stderr.contains("11 accepted, 0 duplicate, 1 rejected"), "{}", out.stderr);
}

#[test]
fn duplicate_headers() {
    let blocks = canonical("blocks.csv").replacen("departed_at", "block_id", 1);
    refused(
        false,
        blocks.as_bytes(),
        "broken.csv: field 'block_id' is given by two columns, 'block_id' (column 3) and 'block_id' (column 9)",
    );
}

#[test]
fn a_header_matching_a_field_already_named() {
    // `Transporter ID` is an alias of driver_id, which the file also has by its own name.
    let blocks = canonical("blocks.csv").replacen("departed_at", "Transporter ID", 1);
    let out = report_with(false, blocks.as_bytes());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let note = "broken.csv: 'Transporter ID' (column 9) also names field 'driver_id'; 'driver_id' (column 1) is used";
    assert!(out.stderr.contains(note), "{}", out.stderr);
}

#[test]
fn mixed_encodings_in_one_file() {
    let mut blocks = canonical("blocks.csv").replacen("Cat Charlie", "Zoë Charlie", 1).into_bytes();
    let last_name = "Cat Charlie";
    let at = blocks.windows(last_name.len()).rposition(|w| w == last_name.as_bytes()).unwrap();
    blocks.splice(at..at + 3, b"Ren\xe9".iter().copied());
    let out = report_with(false, &blocks);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // The driver's name is the last one in the file: the Windows-1252 row.
    assert!(out.stdout.contains(",René Charlie,"), "{}", out.stdout);
    assert!(!out.stdout.contains('\u{fffd}') && !out.stdout.contains("Ã"), "{}", out.stdout);
}

#[test]
fn utf16_file_reads_like_utf8() {
    let blocks = canonical("blocks.csv");
    let utf8 = report_with(false, blocks.as_bytes());
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(blocks.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let out = report_with(false, &utf16);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, utf8.stdout);
}

#[test]
fn dates_in_year_0_and_9999_are_rejected() {
    let blocks = canonical("blocks.csv").replacen("2026-03-02T08:00:00,2026", "0000-03-02T08:00:00,2026", 1);
    row_rejected(false, blocks.as_bytes(), "broken.csv:2: column 'block_start': '0000-03-02T08:00:00' is outside");
    let deliveries = canonical("deliveries.csv").replacen("2026-03-02T12:00:00", "9999-12-31T23:59:59", 1);
    let out = row_rejected(true, deliveries.as_bytes(), "broken.csv:2: column 'deliver_by': '9999-12-31T23:59:59'");
    assert!(!out.stdout.contains("+10000") && !out.stdout.contains("9999"), "{}", out.stdout);
}

#[test]
fn negative_contact_attempts_are_rejected() {
    let deliveries = canonical("deliveries.csv").replacen(",,,,,,,\n", ",,,,,-3,,\n", 1);
    row_rejected(
        true,
        deliveries.as_bytes(),
        "column 'contact_attempts': -3 contact attempts: the count cannot be negative",
    );
}

#[test]
fn control_characters_in_a_value_stay_on_one_line() {
    let deliveries = canonical("deliveries.csv").replacen(",delivered,", ",\"deliv\r\nrejected: forged\",", 1);
    let out = row_rejected(true, deliveries.as_bytes(), "unknown outcome 'deliv\\r\\nrejected: forged'");
    assert_eq!(out.stderr.lines().filter(|l| l.starts_with("rejected:")).count(), 1, "{}", out.stderr);
}

#[test]
fn a_two_gigabyte_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let huge = dir.path().join("huge.csv");
    // Sparse: takes no disk space, and is refused by its size before any byte is read.
    std::fs::File::create(&huge).and_then(|f| f.set_len(2 << 30)).expect("sparse file");
    let out = run_report(dir.path(), false, &huge);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("huge.csv: the file is 2147 MB, more than the 1074 MB limit"), "{}", out.stderr);
}
