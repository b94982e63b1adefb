#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use standwatch::cli::{Cli, run};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` and `mi_option_allow_thp` in mimalloc's `mimalloc.h` (v3), which
/// libmimalloc-sys does not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// mimalloc's defaults, changed for an import's pattern of large columns (docs/performance.md
/// §3.5); a `MIMALLOC_*` variable set in the environment still wins, for benchmarks.
/// - Freed memory is given back at once, not after a second: an import frees its read
///   buffers just as its columns peak, so that memory would count twice.
/// - No transparent huge pages: every column a thread starts touches a fresh 2 MB page that
///   the kernel zeroes whole; with 4 KB pages `report` peaks 65 MB lower and spends less
///   time zeroing memory (benches/fleet.sh).
fn tune_allocator() {
    for (option, variable, value) in [(PURGE_DELAY, "MIMALLOC_PURGE_DELAY", 0), (ALLOW_THP, "MIMALLOC_ALLOW_THP", 0)] {
        if std::env::var_os(variable).is_none() {
            // SAFETY: sets an integer option, which mimalloc allows at any time.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

fn main() -> ExitCode {
    standwatch::timings::start_clock();
    tune_allocator();
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

    #[test]
    fn the_options_set_are_the_purge_delay_and_huge_pages() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() || std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            return;
        }
        // Their documented defaults: 1000 ms (the only option with that value) and THP allowed;
        // the option after it is the minimal purge size (0).
        // SAFETY: reads integer options.
        unsafe {
            assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), 1000);
            assert_eq!(libmimalloc_sys::mi_option_get(ALLOW_THP), 1);
            assert_eq!(libmimalloc_sys::mi_option_get(ALLOW_THP + 1), 0);
        }
    }
}
