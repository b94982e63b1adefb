//! Long work (import, recompute) on named background threads. The UI polls for the
//! result each frame and keeps showing the last result meanwhile; the worker asks for a
//! repaint when it has progress or a result.

use crate::import::{Dataset, ImportOptions, ImportReport, InputPaths, load_inputs};
use crate::overview::{Overview, build_overview};
use crate::settings::Settings;
use crate::standing::Fleet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, mpsc};

/// Where the data on screen came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Sample(InputPaths),
    Files(InputPaths),
}

impl Source {
    pub fn paths(&self) -> &InputPaths {
        match self {
            Source::Sample(p) | Source::Files(p) => p,
        }
    }
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
}

/// What to compute, from the least to the most work.
pub enum Request {
    /// Same fleet, another as-of day.
    Overview { base: Loaded, as_of: Option<i32> },
    /// Same imported data, other thresholds or outages.
    Rebuild { base: Loaded, settings: Box<Settings> },
    /// Read the files again (new files, time zone or date order changed).
    Import { source: Source, settings: Box<Settings> },
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

/// Runs `work` on a thread named after `label`; it gets the cancel flag and a progress
/// callback; `repaint` wakes the UI on progress and when the result is ready.
pub fn spawn<T: Send + 'static>(
    label: &str,
    work: impl FnOnce(&AtomicBool, &(dyn Fn(f32) + Sync)) -> Result<T, String> + Send + 'static,
    repaint: impl Fn() + Send + Sync + 'static,
) -> Job<T> {
    let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, result) = mpsc::channel();
    let (p, c) = (progress.clone(), cancel.clone());
    let spawned = std::thread::Builder::new()
        .name(format!("standwatch-{}", label.to_lowercase().replace(' ', "-")))
        .spawn(move || {
            let report = |f: f32| {
                p.store(f.to_bits(), Ordering::Relaxed);
                repaint();
            };
            let outcome = work(&c, &report);
            if !c.load(Ordering::Relaxed) {
                let _ = tx.send(outcome);
            }
            repaint();
        });
    let job = Job { label: label.to_string(), progress, cancel, result };
    if let Err(e) = spawned {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(Err(format!("cannot start background work: {e}")));
        return Job { result: rx, ..job };
    }
    job
}

/// Starts a recompute request; `repaint` wakes the UI.
pub fn start(request: Request, repaint: impl Fn() + Send + Sync + 'static) -> Job {
    let label = match &request {
        Request::Overview { .. } => "Recomputing",
        Request::Rebuild { .. } => "Applying settings",
        Request::Import { source: Source::Sample(_), .. } => "Loading the sample data",
        Request::Import { .. } => "Importing",
    };
    spawn(label, move |cancel, progress| run(request, cancel, progress), repaint)
}

fn run(request: Request, cancel: &AtomicBool, progress: &dyn Fn(f32)) -> Result<Loaded, String> {
    let cancelled = || "cancelled".to_string();
    let (source, dataset, report, settings, fleet, as_of) = match request {
        Request::Overview { base, as_of } => {
            (base.source, base.dataset, base.report, base.settings, Some(base.fleet), as_of)
        }
        Request::Rebuild { base, settings } => (base.source, base.dataset, base.report, *settings, None, None),
        Request::Import { source, settings } => {
            progress(0.05);
            let zone = settings.zone()?;
            let settings = *settings;
            let (data, report) = load_inputs(source.paths(), &ImportOptions { zone, day_first: settings.day_first })
                .map_err(|e| e.to_string())?;
            (source, Arc::new(data), Arc::new(report), settings, None, None)
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
            Arc::new(Fleet::build(&data, settings.thresholds).map_err(|e| e.to_string())?)
        }
    };
    let as_of = as_of.or(fleet.default_as_of()).ok_or("the files hold no blocks or deliveries")?;
    progress(0.5);
    let overview = build_overview(&fleet, as_of, cancel, &|f| progress(0.5 + f * 0.5)).ok_or_else(cancelled)?;
    Ok(Loaded { source, dataset, report, fleet, overview: Arc::new(overview), settings })
}
