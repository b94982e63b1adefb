#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use standwatch::cli::{Cli, run};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// No transparent huge pages (docs/performance.md §3.5): mimalloc asks for them, and each
/// column a thread starts would then touch a fresh 2 MB page that the kernel zeroes whole.
/// With 4 KB pages `report` peaks 10% lower and spends less time zeroing memory
/// (benches/fleet.sh). mimalloc's own option only counts when set before its first
/// allocation, so the process's flag is set here instead; it covers memory already mapped
/// too. `MIMALLOC_ALLOW_THP` in the environment leaves mimalloc's default, for benchmarks.
/// mimalloc keeps its default purge delay: freed memory is kept a second for reuse.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: prctl with integer arguments only; a failure leaves huge pages on.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

fn main() -> ExitCode {
    standwatch::timings::start_clock();
    no_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => {
            standwatch::logging::init_cli(cli.verbose);
            match run(command, cli.workspace.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => {
                    tracing::debug!(code = failure.code, "failed: {}", failure.message);
                    eprintln!("standwatch: {}", failure.message);
                    ExitCode::from(failure.code)
                }
            }
        }
        #[cfg(feature = "gui")]
        None => match standwatch::app::run_app(cli.workspace) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("standwatch: {message}");
                ExitCode::FAILURE
            }
        },
        #[cfg(not(feature = "gui"))]
        None => {
            eprintln!("standwatch: built without the window (feature `gui`); run `standwatch --help` for the CLI");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off() {
        // Threads share the flag, so the test sets it and reads it back.
        no_huge_pages();
        // SAFETY: prctl with integer arguments only.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, i32::from(std::env::var_os("MIMALLOC_ALLOW_THP").is_none()));
    }
}
