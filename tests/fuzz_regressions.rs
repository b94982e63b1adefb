//! Inputs kept from fuzzing (and the tricky ones it was seeded with) run through the same
//! entry points as the fuzz targets in `fuzz/`: each must finish without a panic, and
//! the known ones give their known answer.

use standwatch::fuzzing::{import_bytes, timestamp_bytes};
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("regressions folder")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{} holds {} inputs", dir.display(), files.len());
    files
}

#[test]
fn import_regressions_never_panic() {
    for (name, data) in inputs("import_csv") {
        let accepted = import_bytes(&data);
        match name.as_str() {
            "blocks_canonical.bin" => assert_eq!(accepted, Some(11)),
            "deliveries_ny_day_first.bin" => assert_eq!(accepted, Some(13)),
            // The unclosed row is rejected, the 11 before it are read.
            "unterminated_quote.bin" => assert_eq!(accepted, Some(11)),
            "utf16_no_bom.bin" => assert_eq!(accepted, Some(11)),
            "nul_padding.bin" => assert_eq!(accepted, Some(13)),
            "duplicate_keys_mixed.bin" => assert_eq!(accepted, Some(11), "later duplicates replace earlier rows"),
            "header_then_crlf_only.bin" => assert_eq!(accepted, None),
            _ => {}
        }
    }
}

#[test]
fn timestamp_regressions_never_panic() {
    for (name, data) in inputs("timestamp") {
        let parsed = timestamp_bytes(&data);
        match name.as_str() {
            "dst_gap.txt" | "dst_overlap_pm.txt" | "noon_midnight.txt" | "day_first_only.txt" => {
                assert!(parsed, "{name}")
            }
            "huge_numbers.txt" | "leap_second.txt" => assert!(!parsed, "{name}"),
            _ => {}
        }
    }
}

#[test]
fn exceptions_regressions_never_panic() {
    for (name, data) in inputs("import_exceptions") {
        let packages = standwatch::fuzzing::exceptions_bytes(&data);
        match name.as_str() {
            // None of its 13 packages is among the 3 of the fleet: all added; the 5 rows that
            // name no driver or no outcome are rejected.
            "first_generation.bin" => assert_eq!(packages, Some(3 + 13)),
            // T1 counts after all (the later row wins), T3 is left out.
            "same_package_twice_left_out_then_counted.bin" => assert_eq!(packages, Some(2)),
            "unassigned_only.bin" => assert_eq!(packages, Some(3)),
            "exempted_unknown_package.bin" => assert_eq!(packages, Some(3)),
            _ => {}
        }
    }
}
