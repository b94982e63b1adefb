#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use standwatch::cli::{Cli, run};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (v3), which libmimalloc-sys does not
/// name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc keeps freed memory a second before giving it back: an import frees its read
/// buffers just as its columns peak, so that memory would count twice. Given back at
/// once, the peak of `report` is 40 MB lower and no slower (benches/fleet.sh).
fn give_freed_memory_back_at_once() {
    // SAFETY: sets an integer option, which mimalloc allows at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

fn main() -> ExitCode {
    standwatch::timings::start_clock();
    give_freed_memory_back_at_once();
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
    fn the_option_set_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // Its documented default (1000 ms) is the only option with that value.
        // SAFETY: reads an integer option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
    }
}
