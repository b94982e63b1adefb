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
    let cpu = process_cpu_seconds();
    let faults = page_faults();
    let out = work();
    let wall = started.elapsed().as_secs_f64();
    let cpu = process_cpu_seconds() - cpu;
    let faults = page_faults() - faults;
    eprintln!(
        "timing: {label}: {wall:.3} s, {cpu:.3} s CPU (all threads), {faults} page faults, {} MB resident after",
        resident_mb()
    );
    out
}

/// The process's page faults so far (Linux; 0 elsewhere): each fresh page of memory costs
/// one, and on a virtual machine they are dear.
fn page_faults() -> i64 {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: an all-zero rusage is a valid value for getrusage to overwrite.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: getrusage writes only the rusage it is given.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            return usage.ru_minflt + usage.ru_majflt;
        }
    }
    0
}

/// The CPU time of all the process's threads so far (Linux; 0 elsewhere): beside a phase's
/// wall time, how busy the cores were.
fn process_cpu_seconds() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: clock_gettime writes only the timespec it is given.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) } == 0 {
            return now.tv_sec as f64 + now.tv_nsec as f64 / 1e9;
        }
    }
    0.0
}

/// The process's resident memory now, in MB (Linux; 0 elsewhere).
fn resident_mb() -> u64 {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
        .unwrap_or(0);
    pages * 4096 / 1_000_000
}

fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Notes the moment the process started, for [`mark`] (called first thing in `main`).
pub fn start_clock() {
    process_start();
}

/// Prints how long after the start something happened (only when enabled): the app marks
/// when a job starts and when its result is first drawn.
pub fn mark(label: &str) {
    if enabled() {
        eprintln!("timing: {label}: at {:.3} s", process_start().elapsed().as_secs_f64());
    }
}

/// The memory each column of a frame holds (only when enabled), largest first.
pub fn column_sizes(label: &str, frame: &polars_core::prelude::DataFrame) {
    if !enabled() {
        return;
    }
    let mut sizes: Vec<(String, usize)> =
        frame.columns().iter().map(|c| (c.name().to_string(), c.as_materialized_series().estimated_size())).collect();
    sizes.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    let total: usize = sizes.iter().map(|(_, s)| s).sum();
    let shown: Vec<String> = sizes.iter().map(|(name, size)| format!("{name} {}", size / 1_000_000)).collect();
    eprintln!("timing: {label} columns: {} MB in all (MB: {})", total / 1_000_000, shown.join(", "));
}
