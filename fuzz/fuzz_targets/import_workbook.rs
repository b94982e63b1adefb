//! Any bytes as a workbook (.xlsx, .ods or .xls) of any kind: an import result or an
//! error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = standwatch::fuzzing::workbook_bytes(data);
});
