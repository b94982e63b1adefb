//! Any text as a timestamp cell: parsed or refused, converted in every zone, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = standwatch::fuzzing::timestamp_bytes(data);
});
