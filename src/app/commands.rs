//! App-wide actions: what screens and windows ask for, applied after the frame that asked
//! (so no screen changes the state while another is drawn), and the results of the
//! background work they start.

use super::state::Observed;
use super::state::{Notice, Tab};
use super::views::{DaView, DriverView};
use super::windows::sheets::SheetsOf;
use super::windows::{BatchWindow, CalibrateWindow, ExportWindow, LearnBoundsWindow, LetterEditor, SheetsWindow};
use super::worker::{self, JobError, Request};
use super::{StandwatchApp, retire, sample_inputs};
use crate::import::{InputPaths, TableKind};
use crate::letters::LetterKind;
use crate::load::{Change, Source};
use crate::overview::driver_detail;
use crate::settings::{RecentImport, Settings};
use crate::workspace::cases::NewCase;
use std::path::PathBuf;

/// App-wide actions, applied after the frame that asked for them.
#[derive(Debug)]
pub enum Command {
    /// Load files, the sample data or a workspace.
    Load(Source),
    OpenDriver(usize),
    SetAsOf(i32),
    ApplySettings(Box<Settings>),
    /// Opens the letter editor for the driver on screen.
    DraftLetter(LetterKind),
    /// Opens batch drafting for these drivers.
    DraftBatch(Vec<usize>),
    /// Opens the coaching sheets window for these drivers.
    CoachingSheets(Vec<usize>),
    /// DSP mode: the coaching sheets of these DAs (ids) for a week.
    DaSheets(Vec<String>, crate::scorecard::week::Week),
    /// Files picked or dropped: sorted by their headers into an import.
    AddFiles(Vec<PathBuf>),
    ShowTab(Tab),
    CancelJob,
    /// A change to the open workspace (import, case recorded or updated).
    Workspace(Change),
    /// Opens the workspace in this folder, creating it when the folder is new or empty.
    OpenWorkspace(PathBuf),
    /// Back to plain files.
    CloseWorkspace,
    /// Letters were saved: their cases go into the open workspace (if any), and the
    /// folder is remembered for the next ones.
    LettersSaved {
        cases: Vec<NewCase>,
        folder: PathBuf,
    },
    /// Fill the open-files window with these paths and open it.
    CompleteFiles(InputPaths),
    /// Fit the thresholds to the observed tiers opened (docs/rules.md §7), in a window.
    Calibrate,
    /// Asks where to save the fleet table and writes these rows of the overview, in
    /// this order, with the report's columns.
    ExportFleet(Vec<usize>),
    /// DSP mode: opens a delivery associate's week.
    OpenDa(String, crate::scorecard::week::Week),
    /// DSP mode: opens the letter editor for a DA's week.
    DraftWeekLetter(String, crate::scorecard::week::Week),
    /// Drafts the follow-up due of each of these cases (ids) into the letters folder.
    DraftFollowUps(Vec<i64>),
    /// Use these thresholds (accepted from calibration): saved, and the fleet recomputed.
    ApplyThresholds(Box<crate::config::Thresholds>),
    /// DSP mode: learn each metric's tier bounds from the scorecards on screen.
    LearnDspBounds,
    ApplyDspBounds(Box<crate::scorecard::bounds::DspBounds>),
}

impl StandwatchApp {
    pub(super) fn start(&mut self, request: Request) {
        if let Some(job) = self.session.job.take() {
            job.cancel();
        }
        self.session.opening_workspace = match &request {
            Request::Workspace { dir, change: None, .. } | Request::Load { source: Source::Workspace(dir), .. } => {
                Some(dir.clone())
            }
            _ => None,
        };
        let ctx = self.ctx.clone();
        crate::timings::mark("job started");
        self.session.job = Some(worker::start(request, move |within| ctx.request_repaint_after(within)));
    }

    fn load(&mut self, source: Source) {
        self.start(Request::Load { source, settings: Box::new(self.session.settings.clone()) });
    }

    /// Takes the job's result once it is there.
    pub(super) fn poll_job(&mut self) {
        let Some(result) = self.session.job.as_ref().and_then(|j| j.poll()) else { return };
        self.session.job = None;
        self.result_taken = true;
        let opened = self.session.opening_workspace.take();
        match result {
            Ok(loaded) => self.show_result(loaded),
            Err(JobError::Cancelled) => {}
            Err(e) if opened.is_some() => {
                // A workspace that cannot be opened (damaged, newer, unreadable): the
                // Workspace window says why and offers another; the last data stays on
                // screen, or the sample data when there was none yet (a failed reopen at start).
                self.windows.workspace.failed(opened.unwrap_or_default(), e.to_string());
                if self.session.loaded.is_none() {
                    self.load(Source::Sample(sample_inputs()));
                }
            }
            Err(e) => self.session.notice = Some(Notice::error(e.to_string())),
        }
    }

    /// A new result on screen: remembered in the settings, the open driver refreshed in
    /// place, the view on screen kept.
    fn show_result(&mut self, loaded: super::worker::OnScreen) {
        let rejected = loaded.data.report.rejections.len();
        let new_source = self.session.loaded.as_ref().is_none_or(|l| l.data.source != loaded.data.source);
        let settings = &mut self.session.settings;
        match &loaded.data.source {
            Source::Files(p) => {
                settings.remember(RecentImport::from_paths(p));
                settings.workspace = None;
                self.session.save_settings();
            }
            Source::Workspace(dir)
                if settings.workspace.as_ref() != Some(dir) || settings.recent_workspaces.first() != Some(dir) =>
            {
                settings.workspace = Some(dir.clone());
                settings.remember_workspace(dir.clone());
                self.session.save_settings();
            }
            _ => {}
        }
        self.hold_workspace(&loaded.data.source);
        self.views.fleet.set_data(&loaded.data.fleet, &loaded.overview);
        if new_source && rejected > 0 {
            self.windows.import_report.open = true;
        }
        // A workspace just created, with files on screen: offer to import them.
        self.session.offer_import = match (&loaded.data.workspace, self.session.loaded.as_ref().map(|l| &l.data.source))
        {
            (Some(w), Some(Source::Files(p) | Source::Sample(p))) if w.imports.is_empty() => Some(p.clone()),
            _ => None,
        };
        let open_driver = self.views.driver.as_ref().map(|v| self.driver_id(v.detail.driver));
        self.views.driver = None;
        self.session.notice = (rejected > 0).then(|| {
            Notice::error(format!("{rejected} rows could not be read and were left out: see the import report"))
        });
        if std::mem::take(&mut self.session.reopened_for_changes) && self.session.notice.is_none() {
            self.session.notice = Some(Notice::info(
                "The other Standwatch closed this workspace: it is open for changes here now, with what it saved.",
            ));
        }
        retire(self.session.loaded.replace(loaded));
        let still_there = open_driver.and_then(|id| self.session.loaded.as_ref()?.data.fleet.driver_index(&id));
        if let Some(driver) = still_there {
            self.show_driver(driver, false);
        }
        // The DA on screen, refreshed with the new data while the scorecards still have them.
        if let (Some(view), Some(l)) = (self.views.da.take(), &self.session.loaded)
            && l.data.scorecards.row(&view.id, view.week).is_some()
        {
            self.views.da = Some(DaView::new(&l.data.fleet, &l.data.scorecards, view.id, view.week));
        }
        let in_workspace = self.session.workspace_dir().is_some();
        let scorecards = self.session.loaded.as_ref().is_some_and(|l| !l.data.scorecards.is_empty());
        let gone = match self.tab {
            Tab::Driver => self.views.driver.is_none(),
            Tab::Da => self.views.da.is_none(),
            Tab::Scorecards => !scorecards,
            Tab::Cases => !in_workspace,
            _ => false,
        };
        if gone {
            self.tab = Tab::Fleet;
        }
        // DSP mode alone (scorecards, no Flex driver): the fleet's views would be empty.
        let dsp_only =
            scorecards && self.session.loaded.as_ref().is_some_and(|l| l.data.fleet.listed().next().is_none());
        if dsp_only && matches!(self.tab, Tab::Fleet | Tab::Alerts | Tab::Addresses) {
            self.tab = Tab::Scorecards;
        }
    }

    /// Takes the right to change the workspace on screen (none for files): while another
    /// Standwatch has it, the workspace is shown read-only and says who has it.
    fn hold_workspace(&mut self, source: &Source) {
        use crate::workspace::lock::{LockError, WorkspaceLock};
        let session = &mut self.session;
        let Source::Workspace(dir) = source else {
            (session.workspace_lock, session.held_by) = (None, None);
            return;
        };
        match WorkspaceLock::acquire(dir) {
            Ok(lock) => {
                tracing::info!("{}: open for changes here", dir.display());
                (session.workspace_lock, session.held_by) = (Some(lock), None);
            }
            Err(LockError::Held { holder }) => {
                tracing::warn!("{}: read-only, held by {holder}", dir.display());
                (session.workspace_lock, session.held_by) = (None, Some(holder));
            }
            Err(e) => {
                tracing::warn!("cannot lock the workspace: {e}");
                (session.workspace_lock, session.held_by) = (None, None);
            }
        }
    }

    /// Writes the follow-up due of each case named (SPEC §4.4) into the letters folder and
    /// says where, and what to do next.
    fn draft_follow_ups(&mut self, ids: &[i64]) {
        use crate::workspace::cases::FollowUpDue;
        let Some(l) = &self.session.loaded else { return };
        let Some(state) = &l.data.workspace else { return };
        let fleet = &l.data.fleet;
        let (w, today, folder) = (fleet.thresholds.windows, fleet.zone.today(), l.data.letters_dir());
        if let Err(e) = std::fs::create_dir_all(&folder) {
            self.session.notice = Some(Notice::error(format!("{}: cannot create the folder: {e}", folder.display())));
            return;
        }
        let (mut written, mut failed) = (Vec::new(), Vec::new());
        for case in state.cases.iter().filter(|c| ids.contains(&c.id)) {
            let Some(FollowUpDue::Letter(number)) = case.follow_up_due(today, &w) else { continue };
            let name = fleet.driver_index(&case.driver_id).and_then(|i| fleet.drivers[i].name.clone());
            let name = name.unwrap_or_else(|| case.driver_id.clone());
            match case.write_follow_up(number, &name, &w, &folder, chrono::Utc::now().timestamp()) {
                Ok(path) => written.push(path),
                Err(e) => failed.push(format!("case {}: {e}", case.id)),
            }
        }
        let then = "send it from your mail program, then set the case's status to \"followed up\"";
        self.session.notice = Some(match (written.as_slice(), failed.is_empty()) {
            (_, false) => Notice::error(format!("Follow-ups not written: {}", failed.join("; "))),
            ([one], true) => Notice::info(format!("Follow-up drafted: {} — {then}.", one.display())),
            (many, true) => Notice::info(format!(
                "{} follow-ups drafted in {} — {}.",
                many.len(),
                folder.display(),
                then.replace("send it", "send each").replace("the case's", "its case's")
            )),
        });
    }

    /// The sheets window for `of`, saving beside the letters in `coaching-sheets`.
    fn open_sheets(&mut self, of: SheetsOf) {
        if let Some(l) = &self.session.loaded {
            let letters = l.data.letters_dir();
            let folder = letters.parent().map_or_else(|| letters.clone(), |p| p.join("coaching-sheets"));
            let paper = self.session.settings.paper;
            let coaching =
                std::sync::Arc::new(l.data.workspace.as_ref().map(|w| w.coaching.clone()).unwrap_or_default());
            self.windows.sheets = Some(SheetsWindow::new((l.data.fleet.clone(), coaching), of, paper, folder));
        }
    }

    fn driver_id(&self, driver: usize) -> String {
        self.session.loaded.as_ref().map_or_else(String::new, |l| l.data.fleet.drivers[driver].id.clone())
    }

    /// The driver view for `driver` on the data on screen; `open` also switches to it (a
    /// recompute refreshes the driver in place, on whatever view is showing).
    pub(super) fn show_driver(&mut self, driver: usize, open: bool) {
        let Some(l) = &self.session.loaded else { return };
        match driver_detail(&l.data.fleet, driver, l.overview.as_of) {
            Ok(detail) => {
                // The standing the driver would have if their pending disputes succeed.
                let if_pending = l.data.workspace.as_ref().and_then(|w| {
                    let pending = &w.if_pending_succeed;
                    let id = &l.data.fleet.drivers[driver].id;
                    w.cases.iter().any(|c| &c.driver_id == id && !c.status.is_outcome()).then_some(())?;
                    pending.driver_index(id).map(|i| pending.standing(i, l.overview.as_of))
                });
                let scroll_to_top = open || self.views.driver.as_ref().is_none_or(|v| v.detail.driver != driver);
                let evidence_dir = l.data.evidence_dir(None);
                self.views.driver =
                    Some(DriverView::new(detail, &evidence_dir, &l.data.fleet, if_pending, scroll_to_top));
                if open {
                    self.tab = Tab::Driver;
                }
            }
            Err(e) => self.session.notice = Some(Notice::error(e.to_string())),
        }
    }

    pub(super) fn apply(&mut self, command: Command) {
        match command {
            Command::Load(source) => self.load(source),
            Command::OpenDriver(driver) => self.show_driver(driver, true),
            Command::SetAsOf(as_of) => {
                if let Some(base) = self.session.loaded.clone() {
                    self.start(Request::Overview { base, as_of });
                }
            }
            Command::ApplySettings(new) => self.apply_settings(*new),
            Command::Calibrate => self.calibrate(),
            Command::ExportFleet(positions) => self.export_fleet(&positions),
            Command::OpenDa(id, week) => {
                if let Some(l) = &self.session.loaded {
                    self.views.da = Some(DaView::new(&l.data.fleet, &l.data.scorecards, id, week));
                    self.tab = Tab::Da;
                }
            }
            Command::DraftFollowUps(ids) => self.draft_follow_ups(&ids),
            Command::DraftWeekLetter(id, week) => {
                if let Some(l) = &self.session.loaded {
                    let (settings, folder) = (l.data.letter_settings(None), l.data.letters_dir());
                    let stats = l.data.workspace.as_ref().map(|w| w.ground_stats.clone()).unwrap_or_default();
                    self.windows.letter = Some(LetterEditor::for_week(
                        &self.ctx,
                        (l.data.fleet.clone(), l.data.scorecards.clone()),
                        (id, week),
                        settings,
                        folder,
                        stats,
                    ));
                }
            }
            Command::ApplyThresholds(thresholds) => {
                let settings = Settings { thresholds: *thresholds, ..self.session.settings.clone() };
                self.views.settings.draft.thresholds = *thresholds;
                self.apply_settings(settings);
                self.session.notice = Some(Notice::info("Calibrated thresholds saved; recomputing"));
            }
            Command::LearnDspBounds => self.learn_dsp_bounds(),
            Command::ApplyDspBounds(bounds) => {
                let mut settings = self.session.settings.clone();
                settings.dsp.bounds = (*bounds).clone();
                self.views.settings.draft.dsp.bounds = *bounds;
                self.apply_settings(settings);
                self.session.notice = Some(Notice::info("Learnt tier bounds saved; recomputing"));
            }
            Command::DraftBatch(drivers) => {
                if let Some(l) = &self.session.loaded {
                    let (settings, folder) = (l.data.letter_settings(None), l.data.letters_dir());
                    self.windows.batch =
                        Some(BatchWindow::new(l.data.fleet.clone(), drivers, l.overview.as_of, settings, folder));
                }
            }
            Command::CoachingSheets(drivers) => {
                if let Some(l) = &self.session.loaded {
                    let of = SheetsOf::Drivers { drivers, as_of: l.overview.as_of };
                    self.open_sheets(of);
                }
            }
            Command::DaSheets(ids, week) => {
                if let Some(l) = &self.session.loaded {
                    let of = SheetsOf::Das { cards: l.data.scorecards.clone(), ids, week };
                    self.open_sheets(of);
                }
            }
            Command::DraftLetter(kind) => {
                if let (Some(l), Some(view)) = (&self.session.loaded, &self.views.driver) {
                    let (settings, folder) = (l.data.letter_settings(None), l.data.letters_dir());
                    let (driver, as_of) = (view.detail.driver, l.overview.as_of);
                    let stats = l.data.workspace.as_ref().map(|w| w.ground_stats.clone()).unwrap_or_default();
                    self.windows.letter = Some(LetterEditor::new(
                        &self.ctx,
                        l.data.fleet.clone(),
                        (driver, as_of, kind),
                        settings,
                        folder,
                        stats,
                    ));
                }
            }
            Command::AddFiles(files) => self.add_files(files),
            Command::ShowTab(tab) => self.tab = tab,
            Command::CancelJob => {
                if let Some(job) = self.session.job.take() {
                    job.cancel();
                    self.session.notice = Some(Notice::info("Cancelled; the last result stays on screen"));
                }
            }
            Command::Workspace(change) => match self.session.workspace_dir() {
                Some(dir) => {
                    let (dir, settings) = (dir.to_path_buf(), Box::new(self.session.settings.clone()));
                    self.start(Request::Workspace { dir, change: Some(change), settings });
                }
                None => self.session.notice = Some(Notice::error("Open a workspace first (Workspace…)")),
            },
            // Already being opened (the last workspace, reopened at start): not twice.
            Command::OpenWorkspace(dir)
                if self.session.job.is_some() && self.session.opening_workspace.as_ref() == Some(&dir) => {}
            Command::OpenWorkspace(dir) => {
                self.start(Request::Workspace { dir, change: None, settings: Box::new(self.session.settings.clone()) });
            }
            Command::CloseWorkspace => {
                self.session.settings.workspace = None;
                self.session.save_settings();
                if self.tab == Tab::Cases {
                    self.tab = Tab::Fleet;
                }
                self.load(Source::last_files(&self.session.settings, sample_inputs()));
            }
            Command::LettersSaved { cases, folder } => {
                if self.session.workspace_dir().is_some() && !cases.is_empty() {
                    self.apply(Command::Workspace(Change::AddCases(cases)));
                }
                // The folder chosen, remembered for files; a workspace keeps its own.
                if self.session.workspace_dir().is_none() && self.session.settings.letters_dir.as_ref() != Some(&folder)
                {
                    self.session.settings.letters_dir = Some(folder.clone());
                    self.views.settings.draft.letters_dir = Some(folder);
                    self.session.save_settings();
                }
            }
            Command::CompleteFiles(paths) => self.windows.open_files.complete(&paths),
        }
    }

    /// Reads an observed-tiers file on a worker thread, in the zone and date order of the
    /// data on screen.
    fn read_observed(&mut self, path: PathBuf) {
        let zone = self.session.loaded.as_ref().map(|l| l.data.fleet.zone).unwrap_or_default();
        let day_first = self.session.settings.day_first;
        let ctx = self.ctx.clone();
        let job = worker::spawn(
            "Reading observed tiers",
            move |_, _| {
                let (rows, report) = crate::load::read_observed(&path, zone, day_first).map_err(JobError::Failed)?;
                Ok(Observed::new(path, rows, report.rejections.len()))
            },
            move |within| ctx.request_repaint_after(within),
        );
        self.session.observed_job = Some(job);
    }

    /// Takes the observed tiers once read.
    pub(super) fn poll_observed(&mut self) {
        let Some(result) = self.session.observed_job.as_ref().and_then(|j| j.poll()) else { return };
        self.session.observed_job = None;
        match result {
            Ok(observed) => {
                let rejected = match observed.rejected {
                    0 => String::new(),
                    n => format!(" ({n} rows could not be read)"),
                };
                self.session.notice = Some(Notice::info(format!(
                    "Observed tiers: {} driver-days from {}{rejected}. Settings › Calibrate fits the thresholds to them.",
                    observed.rows.len(),
                    super::state::file_name(&observed.path)
                )));
                self.session.observed = Some(std::sync::Arc::new(observed));
            }
            Err(JobError::Cancelled) => {}
            Err(e) => self.session.notice = Some(Notice::error(e.to_string())),
        }
    }

    /// The fleet table's rows with the report's cells, written where the user says (the
    /// save dialog and the writing on their own thread); the fleet view shows the outcome.
    fn export_fleet(&mut self, positions: &[usize]) {
        let Some(l) = &self.session.loaded else { return };
        let rows: Vec<crate::report::Cells> = positions
            .iter()
            .filter_map(|&p| l.overview.drivers.get(p))
            .map(|s| {
                crate::report::Row { driver: &l.data.fleet.drivers[s.driver], standing: s.standing.clone() }.cells()
            })
            .collect();
        let name = format!("standing-{}.xlsx", crate::report::day_text(l.overview.as_of));
        // Beside the letters (the workspace's folder, else Documents/Standwatch).
        let letters = l.data.letters_dir();
        let folder = letters.parent().map_or(letters.clone(), std::path::Path::to_path_buf);
        self.windows.export = Some(ExportWindow::new(rows, folder.join(name)));
    }

    /// Starts fitting the thresholds to the observed tiers, in the Calibrate window.
    fn calibrate(&mut self) {
        let (Some(l), Some(observed)) = (&self.session.loaded, &self.session.observed) else { return };
        let (observations, unknown) = crate::standing::calibrate::observations_of(&l.data.fleet, &observed.rows);
        if observations.is_empty() {
            self.session.notice =
                Some(Notice::error("No observed tier is of a driver in the data on screen: nothing to calibrate"));
            return;
        }
        let fleet = l.data.fleet.clone();
        let thresholds = self.session.settings.thresholds;
        let ctx = self.ctx.clone();
        let job = worker::spawn(
            "Calibrating",
            move |_, _| Ok(crate::standing::calibrate::calibrate(&fleet, &observations, &thresholds)),
            move |within| ctx.request_repaint_after(within),
        );
        let mut file = super::state::file_name(&observed.path);
        if !unknown.is_empty() {
            file.push_str(&format!(" ({} drivers not in the data left out)", unknown.len()));
        }
        self.windows.calibrate = Some(CalibrateWindow::new(file, job));
    }

    /// Starts learning the scorecard tier bounds, in their window.
    fn learn_dsp_bounds(&mut self) {
        let Some(l) = &self.session.loaded else { return };
        let (cards, current) = (l.data.scorecards.clone(), self.session.settings.dsp.bounds.clone());
        let ctx = self.ctx.clone();
        let for_job = current.clone();
        let job = worker::spawn(
            "Learning the tier bounds",
            move |_, _| Ok(crate::scorecard::learn::learn(&cards, &for_job)),
            move |within| ctx.request_repaint_after(within),
        );
        self.windows.learn_bounds = Some(LearnBoundsWindow::new(current, job));
    }

    fn apply_settings(&mut self, new: Settings) {
        let old = std::mem::replace(&mut self.session.settings, new);
        self.session.save_settings();
        let settings = &self.session.settings;
        let reimport = old.timezone != settings.timezone || old.day_first != settings.day_first;
        match self.session.loaded.clone() {
            Some(base) if !reimport => self.start(Request::Rebuild { base, settings: Box::new(settings.clone()) }),
            Some(base) => self.load(base.data.source.clone()),
            None => {}
        }
        self.session.notice = Some(Notice::info("Settings saved; recomputing"));
    }

    /// Sorts files into blocks / deliveries / roster / outages by their headers and
    /// imports them: into the workspace, or in place of the files on screen of their kind.
    fn add_files(&mut self, files: Vec<PathBuf>) {
        let (mut sorted, problems) = crate::load::files_by_kind(files);
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        // Observed tiers are not data of the fleet: they are read on their own, shown
        // beside the computed tiers and used for calibration.
        if let Some((_, file)) = sorted.iter().find(|(kind, _)| *kind == TableKind::Observed) {
            self.read_observed(file.clone());
            sorted.retain(|(kind, _)| *kind != TableKind::Observed);
            if sorted.is_empty() {
                return;
            }
        }
        if !problems.is_empty() {
            self.session.notice = Some(Notice::error(problems.join("\n")));
        }
        if self.session.workspace_dir().is_some() {
            // A workspace merges whatever is given: no kind is required.
            if !sorted.is_empty() {
                self.apply(Command::Workspace(Change::Import(sorted)));
            }
            return;
        }
        if !problems.is_empty() {
            return;
        }
        let mut paths = match self.session.loaded.as_ref().map(|l| &l.data.source) {
            Some(Source::Files(p)) => p.clone(),
            _ => InputPaths::default(),
        };
        for (kind, file) in sorted {
            paths.set(kind, file);
        }
        let missing: Vec<&str> = [("a blocks file", &paths.blocks), ("a deliveries file", &paths.deliveries)]
            .into_iter()
            .filter(|(_, p)| p.as_os_str().is_empty())
            .map(|(what, _)| what)
            .collect();
        // DSP mode: scorecards alone are enough.
        let dsp_only = missing.len() == 2 && !paths.scorecards.is_empty();
        if missing.is_empty() || dsp_only {
            self.load(Source::Files(paths));
        } else {
            // Keep what was recognised in the open window, for the user to complete.
            self.session.notice =
                Some(Notice::error(format!("Also needed: {} (drop or open it too)", missing.join(" and "))));
            self.windows.open_files.complete(&paths);
        }
    }
}
