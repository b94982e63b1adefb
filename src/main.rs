#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// On Windows the program is a window (no console opens with it from the Start menu); the
// command line attaches to the console it was typed in (`attach_parent_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

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

/// Windows: a window program has no console of its own, so when typed in a terminal
/// (`standwatch report …`) its output would go nowhere. Attach to the terminal's console
/// unless the output is already redirected (a file, a pipe), which Windows hands over.
#[cfg(windows)]
fn attach_parent_console() {
    use std::ffi::c_void;
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
    const STD_ERROR_HANDLE: u32 = -12i32 as u32;
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
        fn GetStdHandle(which: u32) -> *mut c_void;
    }
    let missing = |which| {
        // SAFETY: GetStdHandle only reads the process's standard handles.
        let handle = unsafe { GetStdHandle(which) };
        handle.is_null() || handle as isize == -1
    };
    if missing(STD_OUTPUT_HANDLE) && missing(STD_ERROR_HANDLE) {
        // SAFETY: no arguments but a constant; failing (no parent console, as from the
        // Start menu) leaves the process as it was.
        unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
    }
}

fn main() -> ExitCode {
    standwatch::timings::start_clock();
    #[cfg(windows)]
    attach_parent_console();
    no_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => {
            standwatch::logging::init_cli(cli.verbose);
            let outcome = run(command, cli.workspace.as_deref());
            standwatch::timings::mark("command done");
            match outcome {
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
