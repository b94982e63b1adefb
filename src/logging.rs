//! Logs: the app writes a daily file in the platform's state folder (a desktop launch has no
//! terminal for stderr), the command line writes to stderr with `-v`. The `log` records of
//! eframe, winit, glow and wgpu arrive through `tracing-log`. Records name files and
//! counts, never the contents of rows (driver names, emails).

use std::path::PathBuf;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Log files kept (one a day).
const KEEP_FILES: usize = 14;

/// The folder of the app's log files: `$XDG_STATE_HOME/standwatch/logs` on Linux
/// (`~/.local/state`), the local data folder elsewhere; `STANDWATCH_LOG_DIR` overrides it.
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("STANDWATCH_LOG_DIR").filter(|d| !d.is_empty()) {
        return Some(dir.into());
    }
    let dirs = directories::ProjectDirs::from("", "", "standwatch")?;
    Some(dirs.state_dir().unwrap_or(dirs.data_local_dir()).join("logs"))
}

/// Ours at `ours`, the libraries' at warnings (their info records come per frame or per
/// adapter probe), but eframe's notes on the window at info.
fn targets(ours: LevelFilter) -> Targets {
    Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("standwatch", ours)
        .with_target("eframe", LevelFilter::INFO)
}

/// Why the app has no log file.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("no home folder to keep logs in")]
    NoHome,
    #[error("{}: {source}", dir.display())]
    Folder { dir: PathBuf, source: std::io::Error },
    #[error("{}: {source}", dir.display())]
    File { dir: PathBuf, source: tracing_appender::rolling::InitError },
    #[error("a logger is already set: {0}")]
    Taken(#[from] tracing_subscriber::util::TryInitError),
}

/// The app's logger: the daily file (a failure to start is printed by the caller, once).
/// Returns the folder, or why there is none (the app runs on without a file).
pub fn init_app() -> Result<PathBuf, LogError> {
    let dir = log_dir().ok_or(LogError::NoHome)?;
    if let Err(source) = std::fs::create_dir_all(&dir) {
        return Err(LogError::Folder { dir, source });
    }
    let file = match tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("standwatch")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(&dir)
    {
        Ok(file) => file,
        Err(source) => return Err(LogError::File { dir, source }),
    };
    let layer = tracing_subscriber::fmt::layer().with_writer(file).with_ansi(false).with_thread_names(true);
    tracing_subscriber::registry().with(layer.with_filter(targets(LevelFilter::INFO))).try_init()?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Standwatch started");
    Ok(dir)
}

/// The command line's logger: stderr, only with `-v` (info) or `-vv` (debug, with the
/// libraries' records at info); nothing otherwise, so stderr stays the messages of §10.
pub fn init_cli(verbose: u8) {
    let (ours, libraries) = match verbose {
        0 => return,
        1 => (LevelFilter::INFO, LevelFilter::WARN),
        _ => (LevelFilter::DEBUG, LevelFilter::INFO),
    };
    let filter = Targets::new().with_default(libraries).with_target("standwatch", ours);
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false).with_target(false);
    // A second logger (tests call this more than once) is no error worth stopping for.
    let _ = tracing_subscriber::registry().with(layer.with_filter(filter)).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_records_pass_and_chatty_libraries_do_not() {
        let t = targets(LevelFilter::INFO);
        assert!(t.would_enable("standwatch::load", &tracing::Level::INFO));
        assert!(!t.would_enable("standwatch::load", &tracing::Level::DEBUG));
        assert!(t.would_enable("eframe::native::run", &tracing::Level::INFO));
        assert!(!t.would_enable("wgpu_hal::vulkan", &tracing::Level::INFO));
        assert!(t.would_enable("wgpu_core::instance", &tracing::Level::WARN));
    }
}
