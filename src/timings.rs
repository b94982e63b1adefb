//! Phase timings on stderr when `STANDWATCH_TIMINGS` is set: how the benchmark
//! (`benches/fleet.sh`) shows where the time of a command goes.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("STANDWATCH_TIMINGS").is_some())
}

/// Times `work` as phase `label` (printed only when enabled).
pub fn phase<T>(label: &str, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let started = Instant::now();
    let out = work();
    eprintln!("timing: {label}: {:.3} s", started.elapsed().as_secs_f64());
    out
}
