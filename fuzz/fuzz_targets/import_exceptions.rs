//! Any bytes as an Amazon exceptions report applied to a small fleet: never a panic, every
//! row accounted for.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = standwatch::fuzzing::exceptions_bytes(data);
});
