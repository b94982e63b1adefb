//! Long work on named background threads: loading (in the core, [`crate::load`]) and the
//! fleet overview. The UI polls for the result each frame and keeps showing the last
//! result meanwhile; the worker asks for a repaint when it has progress or a result.

use crate::load::{self, Change, LoadError, Loaded, Options, Progress, Source};
use crate::overview::{Overview, build_overview};
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// What to compute, from the least to the most work.
pub enum Request {
    /// Same fleet, another as-of day.
    Overview { base: OnScreen, as_of: i32 },
    /// Same imported data, other thresholds or outages.
    Rebuild { base: OnScreen, settings: Box<Settings> },
    /// Read the files again, or open the workspace (new files, time zone or date order changed).
    Load { source: Source, settings: Box<Settings> },
    /// Open (or create) a workspace, make a change to it, and read it.
    Workspace { dir: PathBuf, change: Option<Change>, settings: Box<Settings> },
}

/// Why background work gave no result.
#[derive(Debug, thiserror::Error)]
pub enum JobError<E: std::fmt::Display> {
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Failed(E),
    /// A bug in the work: the window stays up and says so.
    #[error("{what} failed: {message}")]
    Panicked { what: String, message: String },
}

impl From<LoadError> for JobError<LoadError> {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Cancelled => JobError::Cancelled,
            e => JobError::Failed(e),
        }
    }
}

/// Work running on a named thread, and its result when it comes.
pub struct Job<T = OnScreen, E: std::fmt::Display = LoadError> {
    pub label: String,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    result: mpsc::Receiver<Result<T, JobError<E>>>,
}

impl<T, E: std::fmt::Display> Job<T, E> {
    /// Progress in 0..=1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Stops waiting; the thread's result, if it still comes, is dropped.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result, once there is one.
    pub fn poll(&self) -> Option<Result<T, JobError<E>>> {
        match self.result.try_recv() {
            Ok(r) => Some(r),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(JobError::Panicked {
                what: self.label.clone(),
                message: "the background work stopped unexpectedly".into(),
            })),
        }
    }
}

/// The message of a caught panic.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".to_string())
}

/// Runs `work` on a thread named after `label`; it gets the cancel flag and a progress
/// callback; `repaint(within)` asks for the UI to be drawn again within that time: soon
/// after progress, at once when the result is ready.
pub fn spawn<T: Send + 'static, E: std::fmt::Display + Send + 'static>(
    label: &str,
    work: impl FnOnce(&AtomicBool, &(dyn Fn(f32) + Sync)) -> Result<T, JobError<E>> + Send + 'static,
    repaint: impl Fn(Duration) + Send + Sync + 'static,
) -> Job<T, E> {
    let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, result) = mpsc::channel();
    let (p, c) = (progress.clone(), cancel.clone());
    let what = label.to_string();
    let spawned = std::thread::Builder::new()
        .name(format!("standwatch-{}", label.to_lowercase().replace(' ', "-")))
        .spawn(move || {
            let report = |f: f32| {
                p.store(f.to_bits(), Ordering::Relaxed);
                repaint(PROGRESS_REPAINT);
            };
            // A bug in the work must not take the window down: it becomes an error shown to
            // the user, and the last good result stays on screen.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&c, &report)))
                .unwrap_or_else(|panic| Err(JobError::Panicked { what, message: panic_text(panic.as_ref()) }));
            if !c.load(Ordering::Relaxed) {
                let _ = tx.send(outcome);
            }
            crate::timings::mark("job done");
            repaint(Duration::ZERO);
        });
    let job = Job { label: label.to_string(), progress, cancel, result };
    if let Err(e) = spawned {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(Err(JobError::Panicked { what: label.to_string(), message: format!("cannot start: {e}") }));
        return Job { result: rx, ..job };
    }
    job
}

/// Progress is drawn at most this late, so that bursts of progress make one frame: with
/// software rendering a frame of the fleet view takes a core for a fifth of a second,
/// away from the work it reports on.
const PROGRESS_REPAINT: Duration = Duration::from_millis(250);

/// The label of the work a request starts.
fn label(request: &Request) -> &'static str {
    match request {
        Request::Overview { .. } => "Recomputing",
        Request::Rebuild { .. } => "Applying settings",
        Request::Load { source: Source::Sample(_), .. } => "Loading the sample data",
        Request::Load { source: Source::Workspace(_), .. } | Request::Workspace { change: None, .. } => {
            "Opening the workspace"
        }
        Request::Load { .. } | Request::Workspace { change: Some(Change::Import(_)), .. } => "Importing",
        Request::Workspace { .. } => "Updating the workspace",
    }
}

/// Starts a request; `repaint` wakes the UI (see [`spawn`]).
pub fn start(request: Request, repaint: impl Fn(Duration) + Send + Sync + 'static) -> Job {
    spawn(label(&request), move |cancel, progress| run(request, cancel, progress), repaint)
}

/// The app's options: workspaces are created when opened, and the standing if pending
/// disputes succeed is built for the driver view.
fn app_options(change: Option<Change>) -> Options {
    Options { if_pending: true, create: true, change, ..Options::default() }
}

/// What a job gives the screens: the loaded fleet and the overview the fleet screens show.
#[derive(Clone)]
pub struct OnScreen {
    pub data: Loaded,
    pub overview: Arc<Overview>,
}

fn run(
    request: Request,
    cancel: &AtomicBool,
    progress: &(dyn Fn(f32) + Sync),
) -> Result<OnScreen, JobError<LoadError>> {
    let cancelled = || cancel.load(Ordering::Relaxed);
    let steps = Progress { report: &|f| progress(f * 0.5), cancelled: &cancelled };
    let (data, as_of): (Loaded, Option<i32>) = match request {
        Request::Overview { base, as_of } => (base.data, Some(as_of)),
        Request::Rebuild { base, settings } => (load::rebuild(&base.data, *settings, &steps)?, None),
        Request::Load { source, settings } => (load::load(source, *settings, &app_options(None), &steps)?, None),
        Request::Workspace { dir, change, settings } => {
            let options = app_options(change);
            (load::load(Source::Workspace(dir), *settings, &options, &steps)?, None)
        }
    };
    if cancelled() {
        return Err(JobError::Cancelled);
    }
    // An empty workspace opens on today, ready for its first import.
    let today = data.workspace.as_ref().map(|_| data.fleet.zone.today());
    let as_of = as_of.or(data.fleet.default_as_of()).or(today).ok_or(JobError::Failed(LoadError::NoData))?;
    progress(0.5);
    let overview = crate::timings::phase("fleet overview", || {
        build_overview(&data.fleet, as_of, cancel, &|f| progress(0.5 + f * 0.5))
    })
    .ok_or(JobError::Cancelled)?;
    Ok(OnScreen { data, overview: Arc::new(overview) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_reports_an_error_instead_of_killing_the_app() {
        let job: Job<u32, String> = spawn("Import", |_, _| panic!("index out of bounds"), |_| {});
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert_eq!(result.map_err(|e| e.to_string()), Err("Import failed: index out of bounds".to_string()));
    }
}
