//! Loading: export files or a workspace → the fleet, with the settings it was computed
//! with, its evidence folder and letter settings. One module for the command line and the
//! app's worker (which adds only threads and repaints), with progress and cancellation.

use crate::config::Thresholds;
use crate::import::time::UnknownZone;
use crate::import::time::{Day, FleetZone};
use crate::import::{
    Dataset, Detail, ExceptionRow, FileSummary, ImportError, ImportOptions, ImportReport, InputError, InputPaths,
    ReportsApplied, TableKind, file_kinds,
};
use crate::letters::LetterSettings;
use crate::scorecard::Scorecards;
use crate::scorecard::bounds::DspBounds;
use crate::scorecard::week::Week;
use crate::settings::{OutageError, OutageSetting, Settings, SettingsError};
use crate::standing::{BlockSide, CaseMarks, Fleet};
use crate::workspace::cases::{Case, CaseUpdate, NewCase};
use crate::workspace::{FileImport, ImportOutcome, ImportRecord, Workspace, WorkspaceError, pending_success_dataset};
use polars_core::prelude::PolarsError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The bundled sample data.
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

    /// What to open at start: the last workspace, else the last files (while they are
    /// still there), else the sample data.
    /// For the log: the kind of source and its file names (never their contents).
    pub fn describe(&self) -> String {
        match self {
            Source::Sample(_) => "the sample data".to_string(),
            Source::Files(p) => format!("files {} and {}", p.blocks.display(), p.deliveries.display()),
            Source::Workspace(dir) => format!("workspace {}", dir.display()),
        }
    }

    pub fn last_opened(settings: &Settings, sample: InputPaths) -> Source {
        let workspace = settings.workspace.clone().filter(|w| w.join(crate::workspace::DB_FILE).is_file());
        match (workspace, settings.recent.first()) {
            (Some(dir), _) => Source::Workspace(dir),
            (None, Some(last)) if last.still_there() => Source::Files(last.paths()),
            _ => Source::Sample(sample),
        }
    }

    /// The last files, else the sample data (when a workspace is closed).
    pub fn last_files(settings: &Settings, sample: InputPaths) -> Source {
        match settings.recent.first() {
            Some(last) if last.still_there() => Source::Files(last.paths()),
            _ => Source::Sample(sample),
        }
    }
}

/// The user's Documents folder (Windows' and the XDG one), else `Documents` in their home,
/// else the working folder.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .map(|u| u.document_dir().map_or_else(|| u.home_dir().join("Documents"), Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A change to a workspace, made before its data is read.
#[derive(Debug, Clone)]
pub enum Change {
    Import(Vec<(TableKind, PathBuf)>),
    AddCases(Vec<NewCase>),
    SetCase(i64, CaseUpdate),
    SetNote(i64, String),
    /// A coaching entry added to the log (SPEC §8).
    AddCoaching(crate::workspace::coaching::NewEntry),
    /// What came of a coaching entry, and the day.
    CoachingOutcome(i64, crate::workspace::coaching::CoachingOutcome, Day),
}

/// What an open workspace adds to a result: its cases, import log, and the standing the
/// drivers would have if their pending disputes succeed.
pub struct WorkspaceState {
    pub dir: PathBuf,
    pub name: String,
    pub zone: FleetZone,
    pub cases: Vec<Case>,
    pub imports: Vec<ImportRecord>,
    /// Built from the drivers with pending cases only, without those cases' events (the
    /// same fleet when no case is pending or it was not asked for).
    pub if_pending_succeed: Arc<Fleet>,
    /// Where photos are looked for by default: the folder of the newest deliveries import.
    pub evidence_dir: PathBuf,
    /// What became of the events disputed under each ground.
    pub ground_stats: Vec<crate::workspace::cases::GroundStats>,
    /// The coaching log, oldest first.
    pub coaching: Vec<crate::workspace::coaching::CoachingEntry>,
}

/// A loaded fleet and what it was computed from.
#[derive(Clone)]
pub struct Loaded {
    pub source: Source,
    /// The imported data, without the outage windows of the settings.
    pub dataset: Arc<Dataset>,
    pub report: Arc<ImportReport>,
    pub fleet: Arc<Fleet>,
    /// The DAs' weekly scorecards (DSP mode; empty without scorecards).
    pub scorecards: Arc<Scorecards>,
    /// The settings the fleet was computed with.
    pub settings: Settings,
    pub workspace: Option<Arc<WorkspaceState>>,
}

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which delivery columns to keep (`Standing` for report and history).
    pub detail: Detail,
    /// Use the settings stored in the workspace (the command line) instead of the given ones.
    pub workspace_settings: bool,
    /// Thresholds that override the settings' (`--thresholds`).
    pub thresholds: Option<Thresholds>,
    /// Scorecard tier bounds that override the settings' (`--thresholds`' `[dsp]`).
    pub dsp_bounds: Option<DspBounds>,
    /// The week of scorecard rows whose file gives none (`--week`).
    pub week: Option<Week>,
    /// The zone the caller reads times in (`--tz`): a workspace fixed to another zone is refused.
    pub zone: Option<FleetZone>,
    /// Also build the standing if pending disputes succeed (the driver view shows it).
    pub if_pending: bool,
    /// A change to make to the workspace first.
    pub change: Option<Change>,
    /// Create the workspace when its folder is new or empty (the app's Open or create;
    /// an import always may).
    pub create: bool,
}

/// Why loading failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("time zone: {0}")]
    Zone(#[from] UnknownZone),
    #[error("settings: {0}")]
    Outage(#[from] OutageError),
    #[error(transparent)]
    SettingsFile(#[from] SettingsError),
    #[error("--tz {given}: the workspace {dir} reads times in {zone} (set when it was created)")]
    OtherZone { given: String, dir: String, zone: String },
    #[error("the files hold no blocks or deliveries")]
    NoData,
    #[error("cannot compute the standing: {0}")]
    Frame(#[from] PolarsError),
    #[error("building the standing if pending disputes succeed failed")]
    Thread,
    #[error("cannot write the sample data into {dir}: {source}")]
    Sample { dir: String, source: std::io::Error },
}

impl LoadError {
    /// Whether the input (files, settings, options) is at fault: exit status 2.
    pub fn is_input(&self) -> bool {
        match self {
            LoadError::Import(e) => !matches!(e, ImportError::Frame(_)),
            LoadError::Workspace(e) => e.is_input(),
            LoadError::Zone(_)
            | LoadError::Outage(_)
            | LoadError::SettingsFile(_)
            | LoadError::OtherZone { .. }
            | LoadError::NoData => true,
            LoadError::Cancelled | LoadError::Frame(_) | LoadError::Thread | LoadError::Sample { .. } => false,
        }
    }
}

/// Progress in 0..=1, and whether to stop.
pub struct Progress<'a> {
    pub report: &'a dyn Fn(f32),
    pub cancelled: &'a dyn Fn() -> bool,
}

impl Progress<'_> {
    /// No progress shown, never cancelled.
    pub const NONE: Progress<'static> = Progress { report: &|_| {}, cancelled: &|| false };

    fn check(&self) -> Result<(), LoadError> {
        if (self.cancelled)() { Err(LoadError::Cancelled) } else { Ok(()) }
    }
}

/// Loads the source: imports the files, or opens the workspace (creating it in a new or
/// empty folder) and makes the change, then builds the fleet.
pub fn load(source: Source, settings: Settings, options: &Options, progress: &Progress) -> Result<Loaded, LoadError> {
    (progress.report)(0.05);
    let started = std::time::Instant::now();
    let loaded = load_source(source, settings, options, progress);
    // A failure is logged where it is handled: the app's notice, the command line's exit.
    if let Ok(l) = &loaded {
        tracing::info!(
            drivers = l.fleet.drivers.len(),
            rejected = l.report.rejections.len(),
            seconds = started.elapsed().as_secs_f32(),
            "loaded {}",
            l.source.describe()
        );
    }
    loaded
}

fn load_source(
    source: Source,
    settings: Settings,
    options: &Options,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    match source {
        Source::Workspace(dir) => open_workspace(dir, settings, options, progress),
        source => {
            let mut settings = settings;
            if let Some(t) = options.thresholds {
                settings.thresholds = t;
            }
            if let Some(b) = &options.dsp_bounds {
                settings.dsp.bounds = b.clone();
            }
            let zone = settings_zone(&settings)?;
            let paths = source.paths().cloned().unwrap_or_default();
            // The sample data comes out of the binary the first time it is opened.
            if let Source::Sample(p) = &source {
                let dir = crate::import::folder_of(&p.blocks);
                crate::sample::ensure(&dir)
                    .map_err(|source| LoadError::Sample { dir: dir.display().to_string(), source })?;
            }
            let import =
                ImportOptions { zone, day_first: settings.day_first, detail: options.detail, week: options.week };
            let (mut data, mut report) = crate::import::load_inputs(&paths, &import)?;
            // docs/rules.md §1.12: an absent column that a dispute ground needs is said.
            let missing: Vec<String> = report
                .files
                .iter()
                .flat_map(|f| crate::import::shape::missing_ground_columns(f.kind, &f.path, &f.columns))
                .collect();
            report.notes.extend(missing);
            // The drivers and blocks are tabled on another thread while Amazon's reports
            // are applied to the packages (they change no block): the reports leave a core
            // idle.
            let blocks_side = Dataset {
                blocks: data.blocks.clone(),
                roster: data.roster.clone(),
                outages: data.outages.clone(),
                ..Dataset::empty(zone)?
            };
            let with_outages = with_setting_outages(&blocks_side, &settings)?;
            let table_blocks = || BlockSide::table(&with_outages, settings.thresholds, &CaseMarks::default()).ok();
            let apply = || crate::timings::phase("apply Amazon's reports", || data.apply_reports());
            let (tabled, applied) = crate::parallel::beside("standwatch-block-side", table_blocks, apply, || None);
            let applied = applied?;
            let concessions_file = match paths.concessions.as_slice() {
                [one] => one.display().to_string(),
                _ => "the concessions reports".to_string(),
            };
            let exceptions_file = match paths.exceptions.as_slice() {
                [one] => one.display().to_string(),
                _ => "the exceptions reports".to_string(),
            };
            report.notes.extend(applied_notes(&applied, &exceptions_file, &concessions_file));
            progress.check()?;
            (progress.report)(0.4);
            let fleet = build(&data, &settings, None, tabled)?;
            let scorecards = scorecards_of(&data, &settings, &fleet)?;
            let dataset = Arc::new(data);
            Ok(Loaded { source, dataset, report: Arc::new(report), fleet, scorecards, settings, workspace: None })
        }
    }
}

/// The same data with other settings (thresholds, outage windows): a workspace is read
/// again (its cases may matter), files are not.
pub fn rebuild(base: &Loaded, settings: Settings, progress: &Progress) -> Result<Loaded, LoadError> {
    if let Source::Workspace(dir) = &base.source {
        let options = Options { if_pending: base.workspace.is_some(), ..Options::default() };
        return open_workspace(dir.clone(), settings, &options, progress);
    }
    let fleet = build(&base.dataset, &settings, None, None)?;
    let scorecards = scorecards_of(&base.dataset, &settings, &fleet)?;
    Ok(Loaded { fleet, scorecards, settings, ..base.clone() })
}

fn settings_zone(settings: &Settings) -> Result<FleetZone, LoadError> {
    Ok(settings.zone()?)
}

/// The data plus the settings' outage windows, as the fleet is built from.
fn with_setting_outages(data: &Dataset, settings: &Settings) -> Result<Dataset, LoadError> {
    Ok(data.with_outages(&settings.outage_windows(data.zone)?)?)
}

/// The fleet from the data plus the settings' outage windows; `tabled`: its block side,
/// tabled already from the same data and settings without cases.
fn build(
    data: &Dataset,
    settings: &Settings,
    cases: Option<CaseMarks>,
    tabled: Option<BlockSide>,
) -> Result<Arc<Fleet>, LoadError> {
    let data = with_setting_outages(data, settings)?;
    let mut fleet = crate::timings::phase("standing arrays", || {
        Fleet::build_from(&data, settings.thresholds, cases.unwrap_or_default(), tabled)
    })?;
    if data.scorecards.height() > 0 {
        let ids = crate::import::columns::DRIVER_ID.read(&data.scorecards)?;
        fleet.unlist_das(&ids.into_iter().flatten().collect());
    }
    Ok(Arc::new(fleet))
}

/// The DAs' scorecards of the data with the settings' bounds and triggers, named by the
/// roster where the scorecards give no name.
fn scorecards_of(data: &Dataset, settings: &Settings, fleet: &Fleet) -> Result<Arc<Scorecards>, LoadError> {
    let ids = crate::import::columns::DRIVER_ID.read(&data.roster)?;
    let names = crate::import::columns::DRIVER_NAME.read(&data.roster)?;
    let roster: HashMap<String, String> =
        ids.into_iter().zip(names).filter_map(|(id, name)| Some((id?.to_string(), name?.to_string()))).collect();
    let mut cards = Scorecards::build(&data.scorecards, &roster, &settings.dsp)?;
    cards.mark_disputable(fleet);
    cards.mark_coaching_due(&fleet.cases.coaching);
    Ok(Arc::new(cards))
}

/// Reads a file of observed tiers (docs/rules.md §1.10) in the fleet's zone: its rows, and
/// the report of its import (rejected rows).
pub fn read_observed(
    path: &Path,
    zone: FleetZone,
    day_first: bool,
) -> Result<(Vec<crate::standing::calibrate::ObservedRow>, ImportReport), LoadError> {
    let options = ImportOptions { zone, day_first, detail: Detail::Full, week: None };
    let mut report = ImportReport::default();
    let frame = crate::import::load_file(path, TableKind::Observed, &options, &mut report)?;
    // docs/rules.md §1.10: the 2025 scorecard's tiers are a scale of their own.
    let other_scale = frame
        .column(crate::import::columns::OVERALL_TIER.name())?
        .u32()?
        .iter()
        .filter(|t| t.is_some_and(|t| t >= crate::import::codes::SCALE_2025))
        .count();
    if other_scale > 0 {
        report.notes.push(format!(
            "{}: {other_scale} observation(s) on the 2025 scorecard's scale (Platinum, Gold, Silver, Bronze) \
             left out: the Flex standing's tiers are Fantastic, Great, Fair and At Risk",
            path.display()
        ));
    }
    Ok((crate::standing::calibrate::observed_rows(&frame)?, report))
}

/// The most rows of an exceptions report named one by one in the notes (added packages,
/// packages not counted); the rest are counted.
const ROWS_NAMED: usize = 20;

/// docs/rules.md §1.10, §1.14: what Amazon's reports did to the deliveries, for the import
/// report: the exceptions that updated, added and left out packages (each added or left
/// out package named by its file and line, the first [`ROWS_NAMED`] of each), and every
/// concession whose package is not in the deliveries. The packages of the scorecards' DAs
/// are their weeks' defects (DSP mode): their count is said once, not each as added.
fn applied_notes(applied: &ReportsApplied, exceptions: &str, concessions: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let e = &applied.exceptions;
    if e.updated > 0 {
        notes.push(format!("{exceptions}: {} package(s) of the deliveries updated", e.updated));
    }
    let mut named = |rows: &[ExceptionRow], what: &str| {
        for r in rows.iter().take(ROWS_NAMED) {
            notes.push(format!("{exceptions}:{}: package {} (driver {}) {what}", r.line, r.tracking_id, r.driver_id));
        }
        if rows.len() > ROWS_NAMED {
            notes.push(format!("{exceptions}: and {} more package(s) {what}", rows.len() - ROWS_NAMED));
        }
    };
    named(&e.added, "is not in the deliveries: added");
    named(&e.not_counted, "does not count (Impact DCR no, or exempted): left out of the standing");
    if e.of_das > 0 {
        notes.push(format!("{exceptions}: {} package(s), the DAs' defects by week", e.of_das));
    }
    notes.extend(applied.unmatched_concessions.iter().map(|u| {
        format!(
            "{concessions}:{}: the concession for package {} (driver {}) matches no delivery; it changes nothing",
            u.line, u.tracking_id, u.driver_id
        )
    }));
    notes
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
        columns: Vec::new(),
    }
}

/// The workspace in `dir`, created there reading times in `create_zone` when one is given
/// and the folder is new or empty; a caller reading times in another zone (`--tz`) is
/// refused, since the workspace's times were read in its own.
pub fn workspace_in(
    dir: &Path,
    create_zone: Option<FleetZone>,
    given: Option<FleetZone>,
) -> Result<Workspace, LoadError> {
    let ws = match create_zone {
        Some(zone) => Workspace::open_or_create(dir, zone)?,
        None => Workspace::open(dir)?,
    };
    if let Some(given) = given
        && given != ws.zone()
    {
        return Err(LoadError::OtherZone {
            given: given.name().to_string(),
            dir: ws.dir().display().to_string(),
            zone: ws.zone().name().to_string(),
        });
    }
    Ok(ws)
}

/// Files told apart by their headers: each with the kinds it holds (a workbook may hold
/// several, and stands for each), and the files that could not be told.
pub fn files_by_kind(files: Vec<PathBuf>) -> (Vec<(TableKind, PathBuf)>, Vec<InputError>) {
    let mut sorted = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match file_kinds(&file) {
            Ok(kinds) => sorted.extend(kinds.into_iter().map(|kind| (kind, file.clone()))),
            Err(e) => problems.push(e),
        }
    }
    (sorted, problems)
}

/// Imports files into the workspace in `dir` (created there, reading times in `zone` or
/// UTC, when the folder is new or empty), without building the fleet: the command
/// line's `import`.
pub fn import_into(
    dir: &Path,
    files: &[(TableKind, PathBuf)],
    zone: Option<FleetZone>,
    day_first: bool,
    strict: bool,
) -> Result<ImportOutcome, LoadError> {
    let mut ws = workspace_in(dir, Some(zone.unwrap_or_default()), zone)?;
    Ok(ws.import(files, day_first, strict, &|| false)?)
}

/// Reads an outages CSV into the Settings' outage rows, each time written in the fleet's
/// zone as Settings reads it back.
pub fn read_outage_settings(path: &Path, zone: FleetZone, day_first: bool) -> Result<Vec<OutageSetting>, LoadError> {
    let options = ImportOptions { zone, day_first, detail: Detail::Full, week: None };
    let frame = crate::import::load_file(path, TableKind::Outages, &options, &mut ImportReport::default())?;
    let text = |ms: i64| zone.local(ms).format("%Y-%m-%d %H:%M:%S").to_string();
    Ok(crate::standing::outages_of(&frame)?
        .into_iter()
        .map(|o| OutageSetting {
            start: text(o.start),
            end: text(o.end),
            description: o.description,
            station: o.stations.join("; "),
        })
        .collect())
}

/// Opens the workspace (creating it in a new or empty folder, reading times in the zone
/// of the settings), makes the change, and reads it.
fn open_workspace(
    dir: PathBuf,
    settings: Settings,
    options: &Options,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    let create = match &options.change {
        Some(Change::Import(_)) => true,
        None => options.create,
        Some(_) => false,
    };
    let create_zone = if create { Some(options.zone.map_or_else(|| settings_zone(&settings), Ok)?) } else { None };
    let mut ws = workspace_in(&dir, create_zone, options.zone)?;
    let mut settings = if options.workspace_settings { Settings::load(&ws.settings_path())? } else { settings };
    if let Some(t) = options.thresholds {
        settings.thresholds = t;
    }
    if let Some(b) = &options.dsp_bounds {
        settings.dsp.bounds = b.clone();
    }
    let mut report = ImportReport::default();
    match options.change.clone() {
        Some(Change::Import(files)) => {
            let outcome = ws.import(&files, settings.day_first, false, progress.cancelled)?;
            report.files = outcome.files.iter().map(summary_of).collect();
            report.rejections = outcome.rejections;
            report.notes = outcome.notes;
        }
        Some(Change::AddCases(cases)) => {
            ws.add_cases(&cases)?;
        }
        Some(Change::SetCase(id, update)) => {
            ws.set_case(id, &update)?;
        }
        Some(Change::SetNote(id, note)) => ws.set_case_note(id, &note)?,
        Some(Change::AddCoaching(entry)) => {
            ws.add_coaching(&entry)?;
        }
        Some(Change::CoachingOutcome(id, outcome, on)) => {
            ws.set_coaching_outcome(id, outcome, on)?;
        }
        None => {}
    }
    let imports = ws.imports()?;
    if report.files.is_empty()
        && let Some(last) = imports.first()
    {
        report.files = last.files.iter().map(summary_of).collect();
    }
    (progress.report)(0.2);
    let (dataset, applied) = crate::timings::phase("read the workspace", || ws.dataset_and_applied(options.detail))?;
    report.notes.extend(applied_notes(&applied, "the workspace's exceptions", "the workspace's concessions"));
    progress.check()?;
    (progress.report)(0.3);
    let marks = ws.case_marks()?;
    let pending = if options.if_pending { ws.pending_events()? } else { Vec::new() };
    let (fleet, if_pending_succeed) = if pending.is_empty() {
        // Nothing pending: the two standings are the same, built once.
        let fleet = build(&dataset, &settings, Some(marks), None)?;
        (fleet.clone(), fleet)
    } else {
        // Both fleets at once, one per core.
        let pending_data = pending_success_dataset(&dataset, &pending)?;
        std::thread::scope(|scope| {
            let other = scope.spawn(|| build(&pending_data, &settings, Some(marks.clone()), None));
            let fleet = build(&dataset, &settings, Some(marks.clone()), None)?;
            let other = other.join().map_err(|_| LoadError::Thread)??;
            Ok::<_, LoadError>((fleet, other))
        })?
    };
    let evidence_dir =
        ws.last_deliveries_file()?.map_or_else(|| ws.dir().to_path_buf(), |p| crate::import::folder_of(&p));
    let state = WorkspaceState {
        dir: ws.dir().to_path_buf(),
        name: ws.name(),
        zone: ws.zone(),
        cases: ws.cases()?,
        imports,
        if_pending_succeed,
        evidence_dir,
        ground_stats: ws.ground_stats()?,
        coaching: ws.coaching(None)?,
    };
    let scorecards = scorecards_of(&dataset, &settings, &fleet)?;
    Ok(Loaded {
        source: Source::Workspace(dir),
        dataset: Arc::new(dataset),
        report: Arc::new(report),
        fleet,
        scorecards,
        settings,
        workspace: Some(Arc::new(state)),
    })
}

impl Loaded {
    /// Records cases in the workspace the data was loaded from; `None` for files.
    pub fn record_cases(&self, cases: &[NewCase]) -> Result<Option<(Vec<i64>, PathBuf)>, LoadError> {
        let Some(state) = &self.workspace else { return Ok(None) };
        let mut ws = Workspace::open(&state.dir)?;
        Ok(Some((ws.add_cases(cases)?, ws.dir().to_path_buf())))
    }

    /// Where photos are read from: the folder given (`--evidence-dir`), else the setting,
    /// else the deliveries file's folder (for a workspace, that of its newest deliveries
    /// import).
    pub fn evidence_dir(&self, given: Option<&Path>) -> PathBuf {
        if let Some(dir) = given.map(Path::to_path_buf).or_else(|| self.settings.evidence_dir.clone()) {
            return dir;
        }
        match (&self.workspace, self.source.paths()) {
            (Some(w), _) => w.evidence_dir.clone(),
            (None, Some(p)) => crate::import::folder_of(&p.deliveries),
            (None, None) => PathBuf::from("."),
        }
    }

    /// The letter settings of the settings the fleet was computed with.
    pub fn letter_settings(&self, evidence_dir: Option<&Path>) -> LetterSettings {
        LetterSettings {
            sender: self.settings.sender(),
            support_address: self.settings.support_address.clone(),
            evidence_dir: self.evidence_dir(evidence_dir),
            templates_dir: self.settings.templates_dir.clone(),
        }
    }

    /// Where letters are saved by default: the workspace's `letters/` (its cases point
    /// there); else the folder chosen last; else `letters/` beside the exports, or for the
    /// sample data (kept in a hidden folder) `Documents/Standwatch/letters`.
    pub fn letters_dir(&self) -> PathBuf {
        if let Some(w) = &self.workspace {
            return w.dir.join("letters");
        }
        if let Some(dir) = &self.settings.letters_dir {
            return dir.clone();
        }
        match &self.source {
            Source::Sample(_) => documents_dir().join("Standwatch").join("letters"),
            _ => self.evidence_dir(None).join("letters"),
        }
    }
}

#[cfg(test)]
mod tests;
