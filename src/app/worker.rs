//! Long work (import, recompute) on named background threads. The UI polls for the
//! result each frame and keeps showing the last result meanwhile; the worker asks for a
//! repaint when it has progress or a result.

use crate::import::{Dataset, Detail, FileSummary, ImportOptions, ImportReport, InputPaths, TableKind, load_inputs};
use crate::overview::{Overview, build_overview};
use crate::settings::Settings;
use crate::standing::Fleet;
use crate::workspace::cases::{Case, CaseUpdate, NewCase};
use crate::workspace::{FileImport, ImportRecord, Workspace, pending_success_dataset};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Where the data on screen came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Sample(InputPaths),
    Files(InputPaths),
    /// A workspace folder (see [`crate::workspace`]).
    Workspace(PathBuf),
}

impl Source {
    /// The files, for sources that are files.
    pub fn paths(&self) -> Option<&InputPaths> {
        match self {
            Source::Sample(p) | Source::Files(p) => Some(p),
            Source::Workspace(_) => None,
        }
    }
}

/// What an open workspace adds to a result: its cases, import log, and the standing the
/// drivers would have if their pending disputes succeed.
pub struct WorkspaceState {
    pub dir: PathBuf,
    pub name: String,
    pub cases: Vec<Case>,
    pub imports: Vec<ImportRecord>,
    /// Built from the drivers with pending cases only, without those cases' events.
    /// The same fleet when no case is pending.
    pub if_pending_succeed: Arc<Fleet>,
    /// Where photos are looked for by default: the folder of the newest deliveries import.
    pub evidence_dir: PathBuf,
}

/// A change to a workspace, made on a worker before the data is read again.
#[derive(Debug, Clone)]
pub enum Change {
    Import(Vec<(TableKind, PathBuf)>),
    AddCases(Vec<NewCase>),
    SetCase(i64, CaseUpdate),
    SetNote(i64, String),
}

/// A finished computation: everything the screens show.
#[derive(Clone)]
pub struct Loaded {
    pub source: Source,
    pub dataset: Arc<Dataset>,
    pub report: Arc<ImportReport>,
    pub fleet: Arc<Fleet>,
    pub overview: Arc<Overview>,
    /// The settings the result was computed with.
    pub settings: Settings,
    pub workspace: Option<Arc<WorkspaceState>>,
}

/// What to compute, from the least to the most work.
pub enum Request {
    /// Same fleet, another as-of day.
    Overview { base: Loaded, as_of: Option<i32> },
    /// Same imported data, other thresholds or outages.
    Rebuild { base: Loaded, settings: Box<Settings> },
    /// Read the files again (new files, time zone or date order changed).
    Import { source: Source, settings: Box<Settings> },
    /// Open (or create) a workspace, make a change to it, and read it.
    Workspace { dir: PathBuf, change: Option<Change>, settings: Box<Settings> },
}

/// Work running on a named thread, and its result when it comes.
pub struct Job<T = Loaded> {
    pub label: String,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    result: mpsc::Receiver<Result<T, String>>,
}

impl<T> Job<T> {
    /// Progress in 0..=1.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    /// Stops waiting; the thread's result, if it still comes, is dropped.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result, once there is one.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.result.try_recv() {
            Ok(r) => Some(r),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err("the background work stopped unexpectedly".into())),
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
pub fn spawn<T: Send + 'static>(
    label: &str,
    work: impl FnOnce(&AtomicBool, &(dyn Fn(f32) + Sync)) -> Result<T, String> + Send + 'static,
    repaint: impl Fn(Duration) + Send + Sync + 'static,
) -> Job<T> {
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
                .unwrap_or_else(|panic| Err(format!("{what} failed: {}", panic_text(panic.as_ref()))));
            if !c.load(Ordering::Relaxed) {
                let _ = tx.send(outcome);
            }
            crate::timings::mark("job done");
            repaint(Duration::ZERO);
        });
    let job = Job { label: label.to_string(), progress, cancel, result };
    if let Err(e) = spawned {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(Err(format!("cannot start background work: {e}")));
        return Job { result: rx, ..job };
    }
    job
}

/// Progress is drawn at most this late, so that bursts of progress make one frame: with
/// software rendering a frame of the fleet view takes a core for a fifth of a second,
/// away from the work it reports on.
const PROGRESS_REPAINT: Duration = Duration::from_millis(250);

/// Starts a recompute request; `repaint` wakes the UI (see [`spawn`]).
pub fn start(request: Request, repaint: impl Fn(Duration) + Send + Sync + 'static) -> Job {
    let label = match &request {
        Request::Overview { .. } => "Recomputing",
        Request::Rebuild { .. } => "Applying settings",
        Request::Import { source: Source::Sample(_), .. } => "Loading the sample data",
        Request::Import { .. } | Request::Workspace { change: Some(Change::Import(_)), .. } => "Importing",
        Request::Workspace { change: None, .. } => "Opening the workspace",
        Request::Workspace { .. } => "Updating the workspace",
    };
    spawn(label, move |cancel, progress| run(request, cancel, progress), repaint)
}

fn run(request: Request, cancel: &AtomicBool, progress: &dyn Fn(f32)) -> Result<Loaded, String> {
    let cancelled = || "cancelled".to_string();
    let (source, dataset, report, settings, fleet, as_of, workspace) = match request {
        Request::Overview { base, as_of } => {
            (base.source, base.dataset, base.report, base.settings, Some(base.fleet), as_of, base.workspace)
        }
        Request::Rebuild { base: Loaded { source: Source::Workspace(dir), .. }, settings } => {
            return run(Request::Workspace { dir, change: None, settings }, cancel, progress);
        }
        Request::Rebuild { base, settings } => (base.source, base.dataset, base.report, *settings, None, None, None),
        Request::Import { source: Source::Workspace(dir), settings } => {
            return run(Request::Workspace { dir, change: None, settings }, cancel, progress);
        }
        Request::Import { source, settings } => {
            progress(0.05);
            let zone = settings.zone()?;
            let settings = *settings;
            let paths = source.paths().cloned().unwrap_or_default();
            let (data, report) =
                load_inputs(&paths, &ImportOptions { zone, day_first: settings.day_first, detail: Detail::Full })
                    .map_err(|e| e.to_string())?;
            (source, Arc::new(data), Arc::new(report), settings, None, None, None)
        }
        Request::Workspace { dir, change, settings } => {
            let (dataset, report, fleet, state) = crate::timings::phase("open the workspace", || {
                open_workspace(&dir, change, &settings, cancel, progress)
            })?;
            let source = Source::Workspace(dir);
            (source, Arc::new(dataset), Arc::new(report), *settings, Some(fleet), None, Some(Arc::new(state)))
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    progress(0.4);
    let fleet = match fleet {
        Some(f) => f,
        None => {
            let extra = settings.outage_windows(dataset.zone)?;
            let data = dataset.with_outages(&extra).map_err(|e| e.to_string())?;
            Arc::new(
                crate::timings::phase("standing arrays", || Fleet::build(&data, settings.thresholds))
                    .map_err(|e| e.to_string())?,
            )
        }
    };
    // An empty workspace opens on today, ready for its first import.
    let today = workspace.as_ref().map(|_| fleet.zone.today());
    let as_of = as_of.or(fleet.default_as_of()).or(today).ok_or("the files hold no blocks or deliveries")?;
    progress(0.5);
    let overview =
        crate::timings::phase("fleet overview", || build_overview(&fleet, as_of, cancel, &|f| progress(0.5 + f * 0.5)))
            .ok_or_else(cancelled)?;
    Ok(Loaded { source, dataset, report, fleet, overview: Arc::new(overview), settings, workspace })
}

fn summary_of(f: &FileImport) -> FileSummary {
    FileSummary {
        path: f.path.clone(),
        kind: f.kind,
        read: f.read,
        accepted: f.new + f.updated + f.unchanged,
        duplicate: f.duplicate,
        rejected: f.rejected,
        merged: Some([f.new, f.updated, f.unchanged]),
    }
}

/// Opens the workspace (creating it for an import), applies the change, and reads it.
fn open_workspace(
    dir: &std::path::Path,
    change: Option<Change>,
    settings: &Settings,
    cancel: &AtomicBool,
    progress: &dyn Fn(f32),
) -> Result<(Dataset, ImportReport, Arc<Fleet>, WorkspaceState), String> {
    progress(0.05);
    let text = |e: crate::workspace::WorkspaceError| e.to_string();
    // Opening a new or empty folder creates the workspace there, reading times in the
    // zone of the current settings; a change needs the workspace to exist.
    let mut ws = match &change {
        None | Some(Change::Import(_)) => Workspace::open_or_create(dir, settings.zone()?),
        _ => Workspace::open(dir),
    }
    .map_err(text)?;
    let mut report = ImportReport::default();
    match change {
        Some(Change::Import(files)) => {
            let outcome =
                ws.import(&files, settings.day_first, false, &|| cancel.load(Ordering::Relaxed)).map_err(text)?;
            report.files = outcome.files.iter().map(summary_of).collect();
            report.rejections = outcome.rejections;
            report.notes = outcome.notes;
        }
        Some(Change::AddCases(cases)) => {
            ws.add_cases(&cases).map_err(text)?;
        }
        Some(Change::SetCase(id, update)) => {
            ws.set_case(id, &update).map_err(text)?;
        }
        Some(Change::SetNote(id, note)) => ws.set_case_note(id, &note).map_err(text)?,
        None => {}
    }
    let imports = ws.imports().map_err(text)?;
    if report.files.is_empty()
        && let Some(last) = imports.first()
    {
        report.files = last.files.iter().map(summary_of).collect();
    }
    progress(0.2);
    let extra = settings.outage_windows(ws.zone())?;
    let dataset = crate::timings::phase("read the workspace", || ws.dataset()).map_err(text)?;
    let with_outages = dataset.with_outages(&extra).map_err(|e| e.to_string())?;
    if cancel.load(Ordering::Relaxed) {
        return Err("cancelled".into());
    }
    progress(0.3);
    let marks = ws.case_marks().map_err(text)?;
    let pending = ws.pending_events().map_err(text)?;
    let build = |data: &Dataset| {
        Fleet::build_with_cases(data, settings.thresholds, marks.clone()).map(Arc::new).map_err(|e| e.to_string())
    };
    let (fleet, if_pending_succeed) = if pending.is_empty() {
        // Nothing pending: the two standings are the same, built once.
        let fleet = crate::timings::phase("standing arrays", || build(&with_outages))?;
        (fleet.clone(), fleet)
    } else {
        // Both fleets at once, one per core.
        let pending_data = pending_success_dataset(&with_outages, &pending).map_err(|e| e.to_string())?;
        std::thread::scope(|scope| {
            let other = scope.spawn(|| build(&pending_data));
            let fleet = build(&with_outages)?;
            let other = other.join().map_err(|_| "building the standing if pending disputes succeed failed")??;
            Ok::<_, String>((fleet, other))
        })?
    };
    let evidence_dir = ws
        .last_deliveries_file()
        .map_err(text)?
        .map_or_else(|| ws.dir().to_path_buf(), |p| crate::import::folder_of(&p));
    let state = WorkspaceState {
        dir: ws.dir().to_path_buf(),
        name: ws.name(),
        cases: ws.cases().map_err(text)?,
        imports,
        if_pending_succeed,
        evidence_dir,
    };
    Ok((dataset, report, fleet, state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_reports_an_error_instead_of_killing_the_app() {
        let job: Job<u32> = spawn("Import", |_, _| panic!("index out of bounds"), |_| {});
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert_eq!(result, Err("Import failed: index out of bounds".to_string()));
    }
}
