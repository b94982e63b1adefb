//! Any bytes as an input file of any kind: an import result or an error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = standwatch::fuzzing::import_bytes(data);
});
