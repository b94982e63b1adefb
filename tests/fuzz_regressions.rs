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
