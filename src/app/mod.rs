//! The desktop app (SPEC §6). It renders state and sends commands; all computing happens
//! in the core on worker threads (see `worker`). Each screen is a struct with a `ui`
//! method; app-wide actions are `Command`s applied after the frame.

mod alerts_view;
mod batch_window;
mod cases_view;
mod driver_view;
mod fleet_view;
mod letter_editor;
mod settings_view;
mod theme;
pub mod worker;

use crate::import::time::{date_from_day, day_from_date};
use crate::import::{InputPaths, TableKind, check_input, classify_file, folder_of};
use crate::letters::{LetterKind, LetterSettings};
use crate::overview::driver_detail;
use crate::report::day_text;
use crate::settings::{RecentImport, Settings};
use alerts_view::AlertsView;
use batch_window::BatchWindow;
use cases_view::CasesView;
use driver_view::DriverView;
use eframe::egui::{self, RichText};
use fleet_view::FleetView;
use letter_editor::LetterEditor;
use settings_view::SettingsView;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use worker::{Change, Job, Loaded, Request, Source};

/// Where the bundled sample data lives: beside the crate when run with cargo, else
/// `sample-data/` in the working folder.
pub fn sample_data_dir() -> PathBuf {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    if bundled.is_dir() { bundled } else { PathBuf::from("sample-data") }
}

pub fn sample_inputs() -> InputPaths {
    let dir = sample_data_dir();
    InputPaths {
        blocks: dir.join("blocks.csv"),
        deliveries: dir.join("deliveries.csv"),
        roster: Some(dir.join("roster.csv")),
        outages: Some(dir.join("outages.csv")),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Fleet,
    Alerts,
    Driver,
    Cases,
    Settings,
}

/// App-wide actions, applied after the frame that asked for them.
#[derive(Debug)]
pub enum Command {
    Import(Source),
    OpenDriver(usize),
    SetAsOf(i32),
    ApplySettings(Box<Settings>),
    /// Opens the letter editor for the driver on screen.
    DraftLetter(LetterKind),
    /// Opens batch drafting for these drivers.
    DraftBatch(Vec<usize>),
    /// Files picked or dropped: sorted by their headers into an import.
    AddFiles(Vec<PathBuf>),
    ShowTab(Tab),
    CancelJob,
    /// A change to the open workspace (import, case recorded or updated).
    Workspace(Change),
    /// Opens the workspace in this folder, creating it when the folder is empty.
    OpenWorkspace(PathBuf),
    /// Back to plain files.
    CloseWorkspace,
}

/// The open / new workspace window.
#[derive(Default)]
struct WorkspaceWindow {
    open: bool,
    path: String,
    /// Why the workspace last asked for could not be opened.
    error: Option<String>,
    dialog: Option<mpsc::Receiver<Option<PathBuf>>>,
}

/// The open-files window: a native dialog when one can be shown, typed paths always.
#[derive(Default)]
struct OpenWindow {
    open: bool,
    paths: [String; 4],
    /// Why each typed path cannot be imported, shown beside its field.
    errors: [Option<String>; 4],
    dialog: Option<mpsc::Receiver<Option<Vec<PathBuf>>>>,
}

pub struct StandwatchApp {
    settings: Settings,
    settings_path: Option<PathBuf>,
    loaded: Option<Loaded>,
    job: Option<Job>,
    tab: Tab,
    fleet_view: FleetView,
    alerts_view: AlertsView,
    driver_view: Option<DriverView>,
    letter_editor: Option<LetterEditor>,
    batch_window: Option<BatchWindow>,
    settings_view: SettingsView,
    open_window: OpenWindow,
    workspace_window: WorkspaceWindow,
    cases_view: CasesView,
    /// The window title last set, to set it only when it changes.
    title: String,
    show_import_report: bool,
    /// The workspace being opened by the running job, to offer another if it fails.
    opening_workspace: Option<PathBuf>,
    /// The files that were on screen when a new, empty workspace was opened: offered for
    /// import into it.
    offer_import: Option<InputPaths>,
    /// A job's result was taken this frame (for `STANDWATCH_TIMINGS`).
    result_taken: bool,
    /// A message for the user, and whether it is an error.
    notice: Option<(String, bool)>,
    commands: Vec<Command>,
    ctx: egui::Context,
}

impl StandwatchApp {
    /// Starts the app on the sample data; settings come from `settings_path` (none: defaults,
    /// not saved — used by tests).
    pub fn new(ctx: &egui::Context, settings_path: Option<PathBuf>) -> StandwatchApp {
        StandwatchApp::starting_with(ctx, settings_path, None)
    }

    /// [`StandwatchApp::new`], opening `workspace` (when given) instead of the last data.
    pub fn starting_with(
        ctx: &egui::Context,
        settings_path: Option<PathBuf>,
        workspace: Option<PathBuf>,
    ) -> StandwatchApp {
        egui_extras::install_image_loaders(ctx);
        // Arrows (→ ▲ ▼) are not in egui's proportional font; its monospace font has them.
        let mut fonts = egui::FontDefinitions::default();
        if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
            family.push("Hack".to_owned());
        }
        ctx.set_fonts(fonts);
        // Rows of tables are clicked as a whole: labels must not take the click.
        ctx.all_styles_mut(|style| style.interaction.selectable_labels = false);
        let (settings, notice) = match &settings_path {
            Some(p) => match Settings::load(p) {
                Ok(s) => (s, None),
                Err(e) => (Settings::default(), Some((e.to_string(), true))),
            },
            None => (Settings::default(), None),
        };
        ctx.set_theme(if settings.dark_mode { egui::Theme::Dark } else { egui::Theme::Light });
        let mut app = StandwatchApp {
            settings_view: SettingsView::new(&settings),
            settings,
            settings_path,
            loaded: None,
            job: None,
            tab: Tab::Fleet,
            fleet_view: FleetView::new(),
            alerts_view: AlertsView::default(),
            driver_view: None,
            letter_editor: None,
            batch_window: None,
            open_window: OpenWindow::default(),
            workspace_window: WorkspaceWindow::default(),
            cases_view: CasesView::default(),
            title: String::new(),
            show_import_report: false,
            opening_workspace: None,
            offer_import: None,
            result_taken: false,
            notice,
            commands: Vec::new(),
            ctx: ctx.clone(),
        };
        // The last workspace or files opened, when still there; the sample data otherwise.
        let last_workspace = app.settings.workspace.clone().filter(|w| w.join(crate::workspace::DB_FILE).is_file());
        let source = match (workspace.or(last_workspace), app.settings.recent.first()) {
            (Some(dir), _) => Source::Workspace(dir),
            (None, Some(last)) if last.blocks.is_file() && last.deliveries.is_file() => Source::Files(last.paths()),
            _ => Source::Sample(sample_inputs()),
        };
        app.start(Request::Import { source, settings: Box::new(app.settings.clone()) });
        app
    }

    /// Opens (or creates) a workspace, as "Open / new workspace" does.
    pub fn open_workspace(&mut self, dir: PathBuf) {
        self.commands.push(Command::OpenWorkspace(dir));
    }

    /// The workspace folder on screen, if any.
    fn workspace_dir(&self) -> Option<&Path> {
        match self.loaded.as_ref().map(|l| &l.source) {
            Some(Source::Workspace(dir)) => Some(dir),
            _ => None,
        }
    }

    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn visible_drivers(&self) -> &[usize] {
        &self.fleet_view.visible
    }

    /// Applies a command after the next frame, as if a screen had sent it (tests drive the
    /// real window this way).
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The text of the open letter, once drafted.
    pub fn letter_text(&self) -> Option<&str> {
        self.letter_editor.as_ref().and_then(|e| e.text())
    }

    /// Copy text of the open letter editor.
    pub fn copy_letter_text(&mut self) {
        if let Some(editor) = &mut self.letter_editor {
            editor.copy_text(&self.ctx);
        }
    }

    fn start(&mut self, request: Request) {
        if let Some(job) = self.job.take() {
            job.cancel();
        }
        self.opening_workspace = match &request {
            Request::Workspace { dir, change: None, .. } | Request::Import { source: Source::Workspace(dir), .. } => {
                Some(dir.clone())
            }
            _ => None,
        };
        let ctx = self.ctx.clone();
        crate::timings::mark("job started");
        self.job = Some(worker::start(request, move |within| ctx.request_repaint_after(within)));
    }

    fn poll_job(&mut self) {
        let Some(result) = self.job.as_ref().and_then(Job::poll) else { return };
        self.job = None;
        self.result_taken = true;
        let opened = self.opening_workspace.take();
        match result {
            Err(e) if e != "cancelled" && opened.is_some() => {
                // A workspace that cannot be opened (damaged, newer, unreadable): the
                // Workspace window says why and offers another; the last data stays on
                // screen, or the sample data when there was none yet (a failed reopen at start).
                let w = &mut self.workspace_window;
                w.open = true;
                w.path = opened.map(|dir| dir.display().to_string()).unwrap_or_default();
                w.error = Some(e);
                if self.loaded.is_none() {
                    self.start(Request::Import {
                        source: Source::Sample(sample_inputs()),
                        settings: Box::new(self.settings.clone()),
                    });
                }
            }
            Ok(loaded) => {
                let rejected = loaded.report.rejections.len();
                let new_source = self.loaded.as_ref().is_none_or(|l| l.source != loaded.source);
                match &loaded.source {
                    Source::Files(p) => {
                        self.settings.remember(RecentImport::from_paths(p));
                        self.settings.workspace = None;
                        self.save_settings();
                    }
                    Source::Workspace(dir)
                        if self.settings.workspace.as_ref() != Some(dir)
                            || self.settings.recent_workspaces.first() != Some(dir) =>
                    {
                        self.settings.workspace = Some(dir.clone());
                        self.settings.remember_workspace(dir.clone());
                        self.save_settings();
                    }
                    _ => {}
                }
                self.fleet_view.set_data(&loaded.fleet, &loaded.overview);
                if new_source && rejected > 0 {
                    self.show_import_report = true;
                }
                // A workspace just created, with files on screen: offer to import them.
                self.offer_import = match (&loaded.workspace, self.loaded.as_ref().map(|l| &l.source)) {
                    (Some(w), Some(Source::Files(p) | Source::Sample(p))) if w.imports.is_empty() => Some(p.clone()),
                    _ => None,
                };
                // The open driver is recomputed in place, on whatever view is showing.
                let open_driver = self.driver_view.as_ref().map(|v| self.driver_id(v.detail.driver));
                self.driver_view = None;
                self.notice = (rejected > 0).then(|| {
                    (format!("{rejected} rows could not be read and were left out: see the import report"), true)
                });
                retire(self.loaded.replace(loaded));
                let still_there = open_driver.and_then(|id| self.loaded.as_ref()?.fleet.driver_index(&id));
                if let Some(driver) = still_there {
                    self.show_driver(driver, false);
                }
                let in_workspace = self.workspace_dir().is_some();
                if (self.tab == Tab::Driver && self.driver_view.is_none()) || (self.tab == Tab::Cases && !in_workspace)
                {
                    self.tab = Tab::Fleet;
                }
            }
            Err(e) if e == "cancelled" => {}
            Err(e) => self.notice = Some((e, true)),
        }
    }

    fn driver_id(&self, driver: usize) -> String {
        self.loaded.as_ref().map_or_else(String::new, |l| l.fleet.drivers[driver].id.clone())
    }

    /// Opens a driver: the Driver view, at its top.
    fn open_driver(&mut self, driver: usize) {
        self.show_driver(driver, true);
    }

    /// The driver view for `driver` on the data on screen; `open` also switches to it
    /// (a recompute refreshes the driver in place, on whatever view is showing).
    fn show_driver(&mut self, driver: usize, open: bool) {
        let Some(l) = &self.loaded else { return };
        match driver_detail(&l.fleet, driver, l.overview.as_of) {
            Ok(detail) => {
                let evidence_dir = self.evidence_dir(l);
                // The standing the driver would have if their pending disputes succeed.
                let if_pending = l.workspace.as_ref().and_then(|w| {
                    let pending = &w.if_pending_succeed;
                    let id = &l.fleet.drivers[driver].id;
                    w.cases.iter().any(|c| &c.driver_id == id && !c.status.is_outcome()).then_some(())?;
                    pending.driver_index(id).map(|i| pending.standing(i, l.overview.as_of))
                });
                let scroll_to_top = open || self.driver_view.as_ref().is_none_or(|v| v.detail.driver != driver);
                self.driver_view =
                    Some(DriverView::new(detail, &evidence_dir, l.fleet.zone, if_pending, scroll_to_top));
                if open {
                    self.tab = Tab::Driver;
                }
            }
            Err(e) => self.notice = Some((e, true)),
        }
    }

    fn letter_settings(&self, l: &Loaded) -> LetterSettings {
        LetterSettings {
            sender: self.settings.sender(),
            support_address: self.settings.support_address.clone(),
            evidence_dir: self.evidence_dir(l),
            templates_dir: self.settings.templates_dir.clone(),
        }
    }

    /// Where letters are saved: the folder chosen last, else the open workspace's
    /// `letters/`, else `letters/` in the evidence folder.
    fn letters_dir(&self, l: &Loaded) -> PathBuf {
        self.settings.letters_dir.clone().unwrap_or_else(|| match &l.workspace {
            Some(w) => w.dir.join("letters"),
            None => self.evidence_dir(l).join("letters"),
        })
    }

    /// Where photos are read from: the setting, else the deliveries file's folder (for a
    /// workspace, that of its newest deliveries import).
    fn evidence_dir(&self, l: &Loaded) -> PathBuf {
        self.settings.evidence_dir.clone().unwrap_or_else(|| match (&l.workspace, l.source.paths()) {
            (Some(w), _) => w.evidence_dir.clone(),
            (None, Some(p)) => folder_of(&p.deliveries),
            (None, None) => PathBuf::from("."),
        })
    }

    /// Saves the app's settings, and, with a workspace open, its copy for the command line.
    fn save_settings(&mut self) {
        let mut paths: Vec<PathBuf> = self.settings_path.iter().cloned().collect();
        if let Some(dir) = self.workspace_dir() {
            paths.push(dir.join(crate::workspace::SETTINGS_FILE));
        }
        for path in paths {
            if let Err(e) = self.settings.save(&path) {
                self.notice = Some((e.to_string(), true));
            }
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::Import(source) => {
                self.start(Request::Import { source, settings: Box::new(self.settings.clone()) });
            }
            Command::OpenDriver(driver) => self.open_driver(driver),
            Command::SetAsOf(day) => {
                if let Some(base) = self.loaded.clone() {
                    self.start(Request::Overview { base, as_of: Some(day) });
                }
            }
            Command::ApplySettings(new) => {
                let old = std::mem::replace(&mut self.settings, *new);
                self.save_settings();
                let reimport = old.timezone != self.settings.timezone || old.day_first != self.settings.day_first;
                match self.loaded.clone() {
                    Some(base) if !reimport => {
                        self.start(Request::Rebuild { base, settings: Box::new(self.settings.clone()) });
                    }
                    Some(base) => {
                        self.start(Request::Import { source: base.source, settings: Box::new(self.settings.clone()) });
                    }
                    None => {}
                }
                self.notice = Some(("Settings saved; recomputing".to_string(), false));
            }
            Command::DraftBatch(drivers) => {
                if let Some(l) = &self.loaded {
                    let settings = self.letter_settings(l);
                    let folder = self.letters_dir(l);
                    self.batch_window =
                        Some(BatchWindow::new(l.fleet.clone(), drivers, l.overview.as_of, settings, folder));
                }
            }
            Command::DraftLetter(kind) => {
                if let (Some(l), Some(view)) = (&self.loaded, &self.driver_view) {
                    let settings = self.letter_settings(l);
                    self.letter_editor = Some(LetterEditor::new(
                        &self.ctx,
                        l.fleet.clone(),
                        view.detail.driver,
                        l.overview.as_of,
                        kind,
                        settings,
                        self.letters_dir(l),
                    ));
                }
            }
            Command::AddFiles(files) => self.add_files(files),
            Command::ShowTab(tab) => self.tab = tab,
            Command::CancelJob => {
                if let Some(job) = self.job.take() {
                    job.cancel();
                    self.notice = Some(("Cancelled; the last result stays on screen".to_string(), false));
                }
            }
            Command::Workspace(change) => match self.workspace_dir() {
                Some(dir) => {
                    let dir = dir.to_path_buf();
                    self.start(Request::Workspace {
                        dir,
                        change: Some(change),
                        settings: Box::new(self.settings.clone()),
                    });
                }
                None => self.notice = Some(("Open a workspace first (Workspace…)".to_string(), true)),
            },
            // Already being opened (the last workspace, reopened at start): not twice.
            Command::OpenWorkspace(dir) if self.job.is_some() && self.opening_workspace.as_ref() == Some(&dir) => {}
            Command::OpenWorkspace(dir) => {
                self.start(Request::Workspace { dir, change: None, settings: Box::new(self.settings.clone()) });
            }
            Command::CloseWorkspace => {
                self.settings.workspace = None;
                self.save_settings();
                if self.tab == Tab::Cases {
                    self.tab = Tab::Fleet;
                }
                let source = match self.settings.recent.first() {
                    Some(last) if last.blocks.is_file() && last.deliveries.is_file() => Source::Files(last.paths()),
                    _ => Source::Sample(sample_inputs()),
                };
                self.start(Request::Import { source, settings: Box::new(self.settings.clone()) });
            }
        }
    }

    /// Sorts files into blocks / deliveries / roster / outages by their headers and
    /// imports them, keeping the current files for the kinds not given.
    fn add_files(&mut self, files: Vec<PathBuf>) {
        if self.workspace_dir().is_some() {
            // A workspace merges whatever is given: no kind is required.
            let mut list = Vec::new();
            let mut problems = Vec::new();
            for file in files {
                match classify_file(&file) {
                    Ok(kind) => list.push((kind, file)),
                    Err(e) => problems.push(e),
                }
            }
            if !problems.is_empty() {
                self.notice = Some((problems.join("\n"), true));
            }
            if !list.is_empty() {
                self.commands.push(Command::Workspace(Change::Import(list)));
            }
            return;
        }
        let mut paths = match self.loaded.as_ref().map(|l| &l.source) {
            Some(Source::Files(p)) => p.clone(),
            _ => InputPaths::default(),
        };
        let mut problems = Vec::new();
        for file in files {
            match classify_file(&file) {
                Ok(TableKind::Blocks) => paths.blocks = file,
                Ok(TableKind::Deliveries) => paths.deliveries = file,
                Ok(TableKind::Roster) => paths.roster = Some(file),
                Ok(TableKind::Outages) => paths.outages = Some(file),
                Err(e) => problems.push(e),
            }
        }
        let missing: Vec<&str> = [("a blocks file", &paths.blocks), ("a deliveries file", &paths.deliveries)]
            .into_iter()
            .filter(|(_, p)| p.as_os_str().is_empty())
            .map(|(what, _)| what)
            .collect();
        if !problems.is_empty() {
            self.notice = Some((problems.join("\n"), true));
        } else if !missing.is_empty() {
            self.notice = Some((format!("Also needed: {} (drop or open it too)", missing.join(" and ")), true));
        }
        if missing.is_empty() && problems.is_empty() {
            self.commands.push(Command::Import(Source::Files(paths)));
        } else if problems.is_empty() {
            // Keep what was recognised in the open window, for the user to complete.
            self.open_window.paths = [
                paths.blocks.display().to_string(),
                paths.deliveries.display().to_string(),
                paths.roster.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
                paths.outages.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            ];
            self.open_window.open = true;
        }
    }

    fn toolbar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Standwatch").strong().size(18.0));
            ui.separator();
            let in_workspace = self.workspace_dir().is_some();
            for (tab, name) in [
                (Tab::Fleet, "Fleet"),
                (Tab::Alerts, "Alerts"),
                (Tab::Driver, "Driver"),
                (Tab::Cases, "Cases"),
                (Tab::Settings, "Settings"),
            ] {
                if tab == Tab::Cases && !in_workspace {
                    continue;
                }
                let enabled = tab != Tab::Driver || self.driver_view.is_some();
                let button = egui::Button::selectable(self.tab == tab, name);
                if ui.add_enabled(enabled, button).clicked() {
                    self.tab = tab;
                }
            }
            ui.separator();
            if ui
                .button("Open files…")
                .on_hover_text("Open blocks and deliveries exports (or drop them here)")
                .clicked()
            {
                self.open_window.open = true;
            }
            if ui
                .button("Workspace…")
                .on_hover_text("Open or create a workspace: weekly imports accumulate and disputes become cases")
                .clicked()
            {
                self.workspace_window.open = true;
                if self.workspace_window.path.is_empty() {
                    let dir =
                        self.workspace_dir().map(Path::to_path_buf).or_else(crate::workspace::Workspace::default_dir);
                    self.workspace_window.path = dir.map(|d| d.display().to_string()).unwrap_or_default();
                }
            }
            ui.menu_button("Recent", |ui| {
                if !self.settings.recent_workspaces.is_empty() {
                    ui.label(RichText::new("Workspaces").weak());
                    for dir in self.settings.recent_workspaces.clone() {
                        let label = format!("Workspace {}", file_name(&dir));
                        if ui.button(label).on_hover_text(dir.display().to_string()).clicked() {
                            self.commands.push(Command::OpenWorkspace(dir));
                            ui.close();
                        }
                    }
                    ui.separator();
                    ui.label(RichText::new("Files").weak());
                }
                if self.settings.recent.is_empty() {
                    ui.label("No recent files");
                }
                for recent in self.settings.recent.clone() {
                    let label = format!("{} + {}", file_name(&recent.blocks), file_name(&recent.deliveries));
                    if ui.button(label).on_hover_text(recent.blocks.display().to_string()).clicked() {
                        self.commands.push(Command::Import(Source::Files(recent.paths())));
                        ui.close();
                    }
                }
                ui.separator();
                if ui.button("Sample data").clicked() {
                    self.commands.push(Command::Import(Source::Sample(sample_inputs())));
                    ui.close();
                }
            });
            if let Some(l) = &self.loaded {
                ui.separator();
                let mut date = to_jiff(date_from_day(l.overview.as_of));
                let before = date;
                // No day after the newest data (or today, for an empty workspace).
                let latest = l.fleet.default_as_of().unwrap_or(l.overview.as_of).max(l.overview.as_of);
                let last_year = to_jiff(date_from_day(latest)).year();
                let first_year = l.overview.trend.first().map_or(last_year, |p| to_jiff(date_from_day(p.day)).year());
                let label = ui.label("As of");
                ui.add(
                    egui_extras::DatePickerButton::new(&mut date)
                        .id_salt("as-of")
                        .show_icon(false)
                        .combo_boxes(true)
                        .arrows(true)
                        .start_end_years(first_year.min(last_year)..=last_year)
                        .reverse_years(true),
                )
                .labelled_by(label.id)
                .on_hover_text(format!("The day to show the standing on (the latest with data: {})", day_text(latest)));
                if date != before
                    && let Some(day) = from_jiff(date)
                {
                    if day > latest {
                        self.notice =
                            Some((format!("No data after {}: showing that day instead", day_text(latest)), false));
                    }
                    self.commands.push(Command::SetAsOf(day.min(latest)));
                }
                if let Some(default) = l.fleet.default_as_of()
                    && default != l.overview.as_of
                    && ui.button("Latest").on_hover_text(day_text(default)).clicked()
                {
                    self.commands.push(Command::SetAsOf(default));
                }
                let rejected = l.report.rejections.len();
                let text =
                    if rejected > 0 { format!("Import report ({rejected} rejected)") } else { "Import report".into() };
                if ui.button(text).clicked() {
                    self.show_import_report = true;
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let (label, next) = if self.settings.dark_mode { ("Light theme", false) } else { ("Dark theme", true) };
                if ui.button(label).clicked() {
                    self.settings.dark_mode = next;
                    self.settings_view.draft.dark_mode = next;
                    ui.ctx().set_theme(if next { egui::Theme::Dark } else { egui::Theme::Light });
                    self.save_settings();
                }
            });
        });
    }

    fn banner(&mut self, ui: &mut egui::Ui) {
        if let Some(Loaded { source: Source::Sample(_), .. }) = &self.loaded {
            egui::Frame::new()
                .fill(theme::tier_color(Some(crate::standing::rules::Tier::Fantastic)).gamma_multiply(0.25))
                .inner_margin(6.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Sample data — open your own exports").strong());
                        ui.label("(Open files…, or drop the CSVs on this window)");
                        if ui.button("Open files…").clicked() {
                            self.open_window.open = true;
                        }
                    });
                });
        }
        if let (Some(paths), Some(dir)) = (self.offer_import.clone(), self.workspace_dir().map(Path::to_path_buf)) {
            ui.horizontal_wrapped(|ui| {
                let files = format!("{} and {}", file_name(&paths.blocks), file_name(&paths.deliveries));
                ui.label(RichText::new(format!("New workspace {}.", file_name(&dir))).strong());
                ui.label(format!("Import the files that were on screen ({files}) into it?"));
                if ui.button("Import them").clicked() {
                    let mut list = vec![
                        (TableKind::Blocks, paths.blocks.clone()),
                        (TableKind::Deliveries, paths.deliveries.clone()),
                    ];
                    list.extend(paths.roster.clone().map(|p| (TableKind::Roster, p)));
                    list.extend(paths.outages.clone().map(|p| (TableKind::Outages, p)));
                    self.commands.push(Command::Workspace(Change::Import(list)));
                    self.offer_import = None;
                }
                if ui.button("Not now").clicked() {
                    self.offer_import = None;
                }
            });
        }
        if let Some((text, is_error)) = self.notice.clone() {
            ui.horizontal(|ui| {
                let color = if is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                ui.colored_label(color, text);
                if ui.small_button("Dismiss").clicked() {
                    self.notice = None;
                }
            });
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(l) = &self.loaded {
                let files: usize = l.report.files.iter().map(|f| f.accepted).sum();
                ui.label(format!(
                    "{} · {} drivers · {} rows",
                    match &l.source {
                        Source::Sample(_) => "Sample data".to_string(),
                        Source::Files(p) => format!("{} + {}", file_name(&p.blocks), file_name(&p.deliveries)),
                        Source::Workspace(dir) => format!("Workspace {}", file_name(dir)),
                    },
                    l.fleet.drivers.len(),
                    files
                ));
            }
            // The job's widgets, at the right, are laid out unseen while no job runs: egui
            // draws an extra frame for a button it has not seen before, and with software
            // rendering a frame takes a core from the job that has just started.
            let (label, progress) = self.job.as_ref().map_or(("", 0.0), |job| (job.label.as_str(), job.progress()));
            let running = self.job.is_some();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if !running {
                    ui.set_invisible();
                }
                if ui.button("Cancel").clicked() {
                    self.commands.push(Command::CancelJob);
                }
                ui.add(egui::ProgressBar::new(progress).desired_width(240.0).show_percentage());
                ui.label(label);
            });
        });
    }

    fn open_files_window(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.open_window.dialog
            && let Ok(picked) = rx.try_recv()
        {
            self.open_window.dialog = None;
            match picked {
                Some(files) if !files.is_empty() => {
                    self.open_window.open = false;
                    self.commands.push(Command::AddFiles(files));
                }
                _ => {}
            }
        }
        let mut open = self.open_window.open;
        egui::Window::new("Open exports").open(&mut open).resizable(false).collapsible(false).show(ctx, |ui| {
            ui.label("Pick the CSV files (blocks and deliveries; roster and outages optional).");
            ui.horizontal(|ui| {
                let browsing = self.open_window.dialog.is_some();
                if ui.add_enabled(!browsing, egui::Button::new("Browse…")).clicked() {
                    self.open_window.dialog = Some(pick_files(ctx.clone()));
                }
                if browsing {
                    ui.spinner();
                    ui.label("Waiting for the file dialog…");
                }
            });
            ui.label("Or type the paths:");
            let w = &mut self.open_window;
            egui::Grid::new("open-paths").num_columns(2).show(ui, |ui| {
                for (i, name) in ["Blocks", "Deliveries", "Roster (optional)", "Outages (optional)"].iter().enumerate()
                {
                    let label = ui.label(*name);
                    ui.vertical(|ui| {
                        let edit = ui
                            .add(egui::TextEdit::singleline(&mut w.paths[i]).desired_width(460.0))
                            .labelled_by(label.id);
                        if edit.changed() {
                            w.errors[i] = None;
                        }
                        if let Some(error) = &w.errors[i] {
                            ui.colored_label(ui.visuals().error_fg_color, error);
                        }
                    });
                    ui.end_row();
                }
            });
            let [blocks, deliveries, roster, outages] = w.paths.clone().map(|p| p.trim().to_string());
            // A workspace merges any kind; plain files need both blocks and deliveries.
            let in_workspace = self.workspace_dir().is_some();
            let ready = if in_workspace {
                [&blocks, &deliveries, &roster, &outages].iter().any(|p| !p.is_empty())
            } else {
                !blocks.is_empty() && !deliveries.is_empty()
            };
            let import = ui.add_enabled(ready, egui::Button::new("Import")).on_disabled_hover_text(if in_workspace {
                "Give at least one file"
            } else {
                "Give the blocks and the deliveries files"
            });
            if import.clicked() {
                // Every path is checked first: nothing is imported until all are right.
                let kinds = [TableKind::Blocks, TableKind::Deliveries, TableKind::Roster, TableKind::Outages];
                let typed = [&blocks, &deliveries, &roster, &outages];
                let errors: [Option<String>; 4] = std::array::from_fn(|i| {
                    (!typed[i].is_empty()).then(|| check_input(Path::new(typed[i].as_str()), kinds[i]).err()).flatten()
                });
                let fine = errors.iter().all(Option::is_none);
                self.open_window.errors = errors;
                if !fine {
                    return;
                }
                let optional = |p: String| (!p.is_empty()).then(|| PathBuf::from(p));
                let paths = InputPaths {
                    blocks: blocks.into(),
                    deliveries: deliveries.into(),
                    roster: optional(roster),
                    outages: optional(outages),
                };
                if in_workspace {
                    let files: Vec<PathBuf> = [Some(paths.blocks), Some(paths.deliveries), paths.roster, paths.outages]
                        .into_iter()
                        .flatten()
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect();
                    self.commands.push(Command::AddFiles(files));
                } else {
                    self.commands.push(Command::Import(Source::Files(paths)));
                }
                self.open_window.open = false;
            }
        });
        self.open_window.open &= open;
    }

    fn workspace_window(&mut self, ctx: &egui::Context) {
        let current = self.workspace_dir().map(Path::to_path_buf);
        let w = &mut self.workspace_window;
        if let Some(rx) = &w.dialog
            && let Ok(picked) = rx.try_recv()
        {
            w.dialog = None;
            if let Some(dir) = picked {
                w.path = dir.display().to_string();
            }
        }
        let mut open = w.open;
        egui::Window::new("Workspace").open(&mut open).resizable(false).collapsible(false).show(ctx, |ui| {
            if let Some(error) = &w.error {
                ui.colored_label(ui.visuals().error_fg_color, format!("This workspace cannot be opened: {error}"));
                ui.label("Nothing in it was changed. Choose another folder, or fix the problem and open it again.");
                ui.separator();
            }
            ui.label(
                "A workspace keeps every import (newer rows win), the cases of the letters you save, \
                 and the settings. Choose an existing workspace, or an empty folder to create one.",
            );
            ui.horizontal(|ui| {
                let label = ui.label("Folder");
                ui.add(egui::TextEdit::singleline(&mut w.path).desired_width(380.0)).labelled_by(label.id);
                let browsing = w.dialog.is_some();
                if ui.add_enabled(!browsing, egui::Button::new("Browse…")).clicked() {
                    w.dialog = Some(pick_folder(ctx.clone()));
                }
            });
            ui.horizontal(|ui| {
                let path = w.path.trim().to_string();
                if ui.add_enabled(!path.is_empty(), egui::Button::new("Open or create")).clicked() {
                    self.commands.push(Command::OpenWorkspace(PathBuf::from(path)));
                    w.open = false;
                    w.error = None;
                }
                if let Some(default) = crate::workspace::Workspace::default_dir()
                    && ui.button("Default workspace").on_hover_text(default.display().to_string()).clicked()
                {
                    self.commands.push(Command::OpenWorkspace(default));
                    w.open = false;
                    w.error = None;
                }
                if current.is_some() && ui.button("Close workspace").clicked() {
                    self.commands.push(Command::CloseWorkspace);
                    w.open = false;
                }
            });
            if let Some(dir) = &current {
                ui.label(format!("Open now: {}", dir.display()));
            }
        });
        w.open &= open;
    }

    fn import_report_window(&mut self, ctx: &egui::Context) {
        let Some(l) = &self.loaded else { return };
        let mut open = self.show_import_report;
        egui::Window::new("Import report").open(&mut open).default_size([720.0, 420.0]).show(ctx, |ui| {
            for f in &l.report.files {
                ui.label(f.to_string());
            }
            for note in &l.report.notes {
                ui.label(RichText::new(format!("Note: {note}")).weak());
            }
            ui.separator();
            if l.report.rejections.is_empty() {
                ui.label("Every row was read.");
                return;
            }
            ui.label(RichText::new(format!("{} rejected rows", l.report.rejections.len())).strong());
            egui_extras::TableBuilder::new(ui)
                .id_salt("rejections")
                .striped(true)
                .column(egui_extras::Column::initial(200.0).clip(true))
                .column(egui_extras::Column::initial(60.0))
                .column(egui_extras::Column::initial(130.0).clip(true))
                .column(egui_extras::Column::remainder().clip(true))
                .header(20.0, |mut h| {
                    for t in ["File", "Line", "Column", "Reason"] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, l.report.rejections.len(), |mut row| {
                        let r = &l.report.rejections[row.index()];
                        row.col(|ui| {
                            ui.label(file_name(Path::new(&r.file))).on_hover_text(&r.file);
                        });
                        row.col(|ui| {
                            ui.label(r.line.to_string());
                        });
                        row.col(|ui| {
                            ui.label(&r.column);
                        });
                        row.col(|ui| {
                            ui.label(&r.reason).on_hover_text(&r.reason);
                        });
                    });
                });
        });
        self.show_import_report = open;
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn to_jiff(d: chrono::NaiveDate) -> jiff::civil::Date {
    use chrono::Datelike;
    jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8).unwrap_or_default()
}

fn from_jiff(d: jiff::civil::Date) -> Option<i32> {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32).map(day_from_date)
}

/// The native folder dialog, on its own thread like [`pick_files`].
fn pick_folder(ctx: egui::Context) -> mpsc::Receiver<Option<PathBuf>> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("standwatch-folder-dialog".into()).spawn(move || {
        let _ = tx.send(rfd::FileDialog::new().set_title("Workspace folder").pick_folder());
        ctx.request_repaint();
    });
    if spawned.is_err() {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(None);
        return rx;
    }
    rx
}

/// Shows the native file dialog on its own thread (it blocks); `None` when it was
/// cancelled or cannot be shown — the typed paths stay available either way.
fn pick_files(ctx: egui::Context) -> mpsc::Receiver<Option<Vec<PathBuf>>> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("standwatch-file-dialog".into()).spawn(move || {
        let files = rfd::FileDialog::new()
            .add_filter("CSV exports", &["csv", "txt", "tsv"])
            .set_title("Open exports")
            .pick_files();
        let _ = tx.send(files);
        ctx.request_repaint();
    });
    if spawned.is_err() {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(None);
        return rx;
    }
    rx
}

impl eframe::App for StandwatchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if std::mem::take(&mut self.result_taken) {
            crate::timings::mark("job result laid out (painted next)");
        }
    }
}

impl StandwatchApp {
    /// Imports these files (as opening them in the app does).
    pub fn open(&mut self, paths: InputPaths) {
        self.commands.push(Command::Import(Source::Files(paths)));
    }

    /// Draws one frame and applies the commands it produced.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.poll_job();
        let ctx = ui.ctx().clone();
        let title = match self.loaded.as_ref().and_then(|l| l.workspace.as_ref()) {
            Some(w) => format!("Standwatch — {}", w.name),
            None => "Standwatch".to_string(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        if !dropped.is_empty() {
            self.commands.push(Command::AddFiles(dropped));
        }
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(4.0);
            self.toolbar(ui);
            ui.add_space(2.0);
            self.banner(ui);
            ui.add_space(2.0);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(l) = self.loaded.clone() else {
                ui.vertical_centered(|ui| {
                    ui.add_space(60.0);
                    if self.job.is_some() {
                        // Not egui's spinner, which repaints every frame: with a software
                        // renderer that takes a core from the import it waits for. Dots that
                        // move twice a second.
                        let dots = (ui.input(|i| i.time) * 2.0) as usize % 4;
                        ui.label(RichText::new(format!("Loading{:<3}", ".".repeat(dots))).monospace().size(18.0));
                        ui.ctx().request_repaint_after(std::time::Duration::from_millis(500));
                    } else {
                        ui.label(RichText::new("No data loaded").size(18.0));
                        ui.label("Open your blocks and deliveries exports, or drop them on this window.");
                    }
                });
                return;
            };
            match self.tab {
                Tab::Fleet => self.fleet_view.ui(ui, &l.fleet, &l.overview, &mut self.commands),
                Tab::Alerts => self.alerts_view.ui(ui, &l.fleet, &l.overview, &mut self.commands),
                Tab::Driver => match &mut self.driver_view {
                    Some(view) => view.ui(ui, &l.fleet, &mut self.commands),
                    None => {
                        ui.label("Open a driver from the fleet or alerts view.");
                    }
                },
                Tab::Cases => match &l.workspace {
                    Some(state) => self.cases_view.ui(ui, state, &l.fleet, &mut self.commands),
                    None => {
                        ui.label("Cases are kept in a workspace: open one with Workspace….");
                    }
                },
                Tab::Settings => {
                    let imported = crate::standing::outages_of(&l.dataset.outages).unwrap_or_default();
                    let origin = match &l.source {
                        Source::Sample(_) => "the sample data's outages.csv".to_string(),
                        Source::Files(p) => p.outages.as_deref().map_or("the outages file".to_string(), file_name),
                        Source::Workspace(_) => "the workspace's imports".to_string(),
                    };
                    self.settings_view.ui(ui, &self.settings, (&imported, &origin), l.fleet.zone, &mut self.commands)
                }
            }
        });
        self.open_files_window(&ctx);
        self.workspace_window(&ctx);
        self.import_report_window(&ctx);
        let in_workspace = self.workspace_dir().is_some();
        let mut letters_folder = None;
        if let Some(editor) = &mut self.letter_editor {
            editor.show(&ctx);
            // A saved letter opens a case in the workspace, and its folder is remembered.
            if let Some(case) = editor.take_saved_case() {
                if in_workspace {
                    self.commands.push(Command::Workspace(Change::AddCases(vec![case])));
                }
                letters_folder = editor.saved_folder();
            }
            if !editor.open {
                self.letter_editor = None;
            }
        }
        if let Some(folder) = letters_folder
            && self.settings.letters_dir.as_ref() != Some(&folder)
        {
            self.settings.letters_dir = Some(folder.clone());
            self.settings_view.draft.letters_dir = Some(folder);
            self.save_settings();
        }
        if let Some(batch) = &mut self.batch_window {
            batch.show(&ctx);
            if let Some(cases) = batch.take_written_cases()
                && in_workspace
                && !cases.is_empty()
            {
                self.commands.push(Command::Workspace(Change::AddCases(cases)));
            }
            if !batch.open {
                self.batch_window = None;
            }
        }
        for command in std::mem::take(&mut self.commands) {
            self.apply(command);
        }
    }
}

/// Frees a replaced result on another thread: the frames of a big fleet take a noticeable
/// moment to free, which would hold up the frame that shows the new result.
fn retire(old: Option<Loaded>) {
    if let Some(old) = old {
        // Should the thread not start, the result is freed here, as before.
        let _ = std::thread::Builder::new().name("standwatch-free".into()).spawn(move || drop(old));
    }
}

/// OpenGL (glow) unless `STANDWATCH_RENDERER=wgpu`: on a machine without a GPU, Mesa's
/// software OpenGL draws a frame of the fleet view with a third of the CPU its software
/// Vulkan (under wgpu) takes, and that CPU is what an import in progress waits for
/// (`benches/app.sh`). With a GPU either is fast.
fn renderer() -> eframe::Renderer {
    match std::env::var("STANDWATCH_RENDERER").as_deref() {
        Ok("wgpu") => eframe::Renderer::Wgpu,
        _ => eframe::Renderer::Glow,
    }
}

/// Opens the window; without a display, says how to use the command line instead.
pub fn run_app(workspace: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title("Standwatch")
            .with_drag_and_drop(true),
        renderer: renderer(),
        ..Default::default()
    };
    let settings_path = Settings::default_path();
    eframe::run_native(
        "Standwatch",
        options,
        Box::new(move |cc| {
            // A workspace given on the command line is opened at once, in place of the last data.
            Ok(Box::new(StandwatchApp::starting_with(&cc.egui_ctx, settings_path, workspace)))
        }),
    )
    .map_err(|e| {
        format!(
            "cannot open a window ({e}). Without a display, use the command line: \
             `standwatch report --blocks FILE --deliveries FILE` (see `standwatch --help`)"
        )
    })
}
