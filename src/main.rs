#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use standwatch::cli::{Cli, run};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    standwatch::timings::start_clock();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => match run(command, cli.workspace.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                eprintln!("standwatch: {}", failure.message);
                ExitCode::from(failure.code)
            }
        },
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
