//! The desktop app (docs/rules.md §11), the only module that uses egui. It renders state
//! and sends commands; all computing happens in the core on worker threads. The shell
//! here draws a frame in a fixed order — chrome, the view of the tab, the windows — and
//! then applies the commands the frame produced ([`commands`]). State lives in
//! [`state`], each view in [`views`], each window in [`windows`].

mod chrome;
pub mod commands;
pub mod state;
mod theme;
mod views;
mod windows;
pub mod worker;

pub use commands::Command;
pub use state::Tab;

use crate::import::InputPaths;
use crate::load::Source;
use crate::settings::Settings;
use eframe::egui::{self, RichText};
use state::{Session, file_name};
use std::path::{Path, PathBuf};
use views::{AddressesView, AlertsView, CasesView, DaView, DriverView, FleetView, ScorecardsView, SettingsView};
use windows::{
    AboutWindow, BatchWindow, CalibrateWindow, ExportWindow, ImportReportWindow, LearnBoundsWindow, LetterEditor,
    OpenFilesWindow, SheetsWindow, WorkspaceWindow,
};
use worker::OnScreen;
use worker::Request;

/// Where the app reads the sample data: beside the crate when run with cargo, else the
/// copy of the one inside the binary in the platform data folder ([`crate::sample`]).
pub fn sample_data_dir() -> PathBuf {
    crate::sample::dir()
}

pub fn sample_inputs() -> InputPaths {
    let dir = sample_data_dir();
    InputPaths {
        blocks: dir.join("blocks.csv"),
        deliveries: dir.join("deliveries.csv"),
        roster: Some(dir.join("roster.csv")),
        outages: Some(dir.join("outages.csv")),
        concessions: vec![dir.join("concessions.csv"), dir.join("dsp-concessions.csv")],
        exceptions: vec![dir.join("exceptions.csv"), dir.join("dsp-exceptions.csv")],
        // The DSP's weekly scorecards (DSP mode beside the Flex fleet).
        scorecards: crate::sample::FILES
            .iter()
            .filter(|(name, _)| name.starts_with("scorecards/"))
            .map(|(name, _)| dir.join(name))
            .collect(),
    }
}

/// The views of the main area.
struct Views {
    fleet: FleetView,
    alerts: AlertsView,
    addresses: AddressesView,
    driver: Option<DriverView>,
    cases: CasesView,
    settings: SettingsView,
    scorecards: ScorecardsView,
    da: Option<DaView>,
}

/// The windows over it.
#[derive(Default)]
struct Windows {
    open_files: OpenFilesWindow,
    workspace: WorkspaceWindow,
    import_report: ImportReportWindow,
    letter: Option<LetterEditor>,
    batch: Option<BatchWindow>,
    sheets: Option<SheetsWindow>,
    export: Option<ExportWindow>,
    calibrate: Option<CalibrateWindow>,
    learn_bounds: Option<LearnBoundsWindow>,
    about: AboutWindow,
}

pub struct StandwatchApp {
    session: Session,
    tab: Tab,
    views: Views,
    windows: Windows,
    /// What this frame asked for, applied after it.
    commands: Vec<Command>,
    /// The window title last set, to set it only when it changes.
    title: String,
    /// A job's result was taken this frame (for `STANDWATCH_TIMINGS`).
    result_taken: bool,
    ctx: egui::Context,
}

impl StandwatchApp {
    /// Starts the app on the last data opened, else the sample data; settings come from
    /// `settings_path` (none: defaults, not saved — used by tests).
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
        let session = Session::new(settings_path);
        theme::install_visuals(ctx);
        ctx.set_theme(if session.settings.dark_mode { egui::Theme::Dark } else { egui::Theme::Light });
        let views = Views {
            fleet: FleetView::new(),
            alerts: AlertsView::default(),
            addresses: AddressesView::default(),
            driver: None,
            cases: CasesView::default(),
            settings: SettingsView::new(&session.settings),
            scorecards: ScorecardsView::default(),
            da: None,
        };
        let source = match workspace {
            Some(dir) => Source::Workspace(dir),
            None => Source::last_opened(&session.settings, sample_inputs()),
        };
        let mut app = StandwatchApp {
            session,
            tab: Tab::Fleet,
            views,
            windows: Windows::default(),
            commands: Vec::new(),
            title: String::new(),
            result_taken: false,
            ctx: ctx.clone(),
        };
        app.start(Request::Load { source, settings: Box::new(app.session.settings.clone()) });
        app
    }

    /// Opens (or creates) a workspace, as the Workspace window does.
    pub fn open_workspace(&mut self, dir: PathBuf) {
        self.commands.push(Command::OpenWorkspace(dir));
    }

    /// Imports these files (as opening them in the app does).
    pub fn open(&mut self, paths: InputPaths) {
        self.commands.push(Command::Load(Source::Files(paths)));
    }

    /// Applies a command after the next frame, as if a screen had sent it (tests drive the
    /// real window this way).
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn loaded(&self) -> Option<&OnScreen> {
        self.session.loaded.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.session.job.is_some()
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn visible_drivers(&self) -> &[usize] {
        &self.views.fleet.visible
    }

    /// The fleet table in driver id order (it opens sorted by severity) (tests).
    pub fn sort_fleet_by_id(&mut self) {
        self.views.fleet.sort = None;
    }

    /// DSP mode: the DA ids of the Scorecards view, in the order shown, and its week.
    pub fn scorecard_rows(&self) -> Option<(crate::scorecard::week::Week, Vec<String>)> {
        let cards = &self.session.loaded.as_ref()?.data.scorecards;
        let week = self.views.scorecards.week(cards)?;
        let rows = self.views.scorecards.rows(cards, week);
        Some((week, rows.iter().map(|r| cards.das[r.da].id.clone()).collect()))
    }

    /// DSP mode: the DA and week of the DA view.
    pub fn da_open(&self) -> Option<(String, crate::scorecard::week::Week)> {
        self.views.da.as_ref().map(|v| (v.id.clone(), v.week))
    }

    /// The text of the open letter, once drafted.
    pub fn letter_text(&self) -> Option<&str> {
        self.windows.letter.as_ref().and_then(|e| e.text())
    }

    /// Copy text of the open letter editor.
    pub fn copy_letter_text(&mut self) {
        if let Some(editor) = &mut self.windows.letter {
            editor.copy_text(&self.ctx);
        }
    }

    /// Draws one frame and applies the commands it produced.
    /// While another Standwatch holds the workspace on screen, asks again every few seconds:
    /// once it is closed, the workspace opens for changes here, reloaded with what it saved.
    fn retry_held_workspace(&mut self, ctx: &egui::Context) {
        const EVERY: std::time::Duration = std::time::Duration::from_secs(2);
        if self.session.held_by.is_none() || self.is_busy() {
            return;
        }
        ctx.request_repaint_after(EVERY);
        let now = std::time::Instant::now();
        if self.session.held_asked.is_some_and(|asked| now.duration_since(asked) < EVERY) {
            return;
        }
        self.session.held_asked = Some(now);
        let Some(dir) = self.session.workspace_dir().map(Path::to_path_buf) else {
            return;
        };
        if let Ok(lock) = crate::workspace::lock::WorkspaceLock::acquire(&dir) {
            tracing::info!("{}: the other Standwatch closed it; open for changes here", dir.display());
            (self.session.workspace_lock, self.session.held_by) = (Some(lock), None);
            // Said once the reload is on screen.
            self.session.reopened_for_changes = true;
            self.commands.push(Command::Load(Source::Workspace(dir)));
        }
    }

    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.poll_job();
        self.poll_observed();
        let ctx = ui.ctx().clone();
        self.retry_held_workspace(&ctx);
        let title = match self.session.loaded.as_ref().and_then(|l| l.data.workspace.as_ref()) {
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
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));
        self.windows_ui(&ctx);
        for command in std::mem::take(&mut self.commands) {
            self.apply(command);
        }
    }

    /// The view of the tab on screen.
    fn central(&mut self, ui: &mut egui::Ui) {
        let Some(l) = self.session.loaded.clone() else {
            ui.vertical_centered(|ui| {
                ui.add_space(60.0);
                if self.session.job.is_some() {
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
        let commands = &mut self.commands;
        match self.tab {
            Tab::Fleet => {
                self.views.fleet.ui(ui, &l.data.fleet, &l.overview, self.session.observed.as_deref(), commands)
            }
            Tab::Alerts => self.views.alerts.ui(ui, &l.data.fleet, &l.overview, commands),
            Tab::Addresses => self.views.addresses.ui(ui, &l.data.fleet, commands),
            Tab::Driver => match &mut self.views.driver {
                Some(view) => {
                    let log = l.data.workspace.as_ref().map(|w| w.coaching.as_slice());
                    view.ui(ui, &l.data.fleet, self.session.observed.as_deref(), log, commands)
                }
                None => {
                    ui.label("Open a driver from the fleet or alerts view.");
                }
            },
            Tab::Scorecards => self.views.scorecards.ui(ui, &l.data.scorecards, commands),
            Tab::Da => match &mut self.views.da {
                Some(view) => {
                    let log = l.data.workspace.as_ref().map(|w| w.coaching.as_slice());
                    view.ui(ui, &l.data.scorecards, log, commands)
                }
                None => {
                    ui.label("Open a DA from the scorecards view.");
                }
            },
            Tab::Cases => match &l.data.workspace {
                Some(state) => self.views.cases.ui(ui, state, &l.data.fleet, commands),
                None => {
                    ui.label("Cases are kept in a workspace: open one with Workspace….");
                }
            },
            Tab::Settings => {
                let imported = crate::standing::outages_of(&l.data.dataset.outages).unwrap_or_default();
                let origin = match &l.data.source {
                    Source::Sample(_) => "the sample data's outages.csv".to_string(),
                    Source::Files(p) => p.outages.as_deref().map_or("the outages file".to_string(), file_name),
                    Source::Workspace(_) => "the workspace's imports".to_string(),
                };
                let shown = views::settings::DataShown {
                    outages: &imported,
                    outages_origin: &origin,
                    zone: l.data.fleet.zone,
                    observed: self.session.observed.as_deref(),
                    cards: &l.data.scorecards,
                };
                self.views.settings.ui(ui, &self.session.settings, &shown, commands)
            }
        }
    }

    /// The windows over the views; each sends what it did as commands.
    fn windows_ui(&mut self, ctx: &egui::Context) {
        let in_workspace = self.session.workspace_dir().map(Path::to_path_buf);
        let windows = &mut self.windows;
        windows.open_files.show(ctx, in_workspace.is_some(), &mut self.commands);
        windows.workspace.show(ctx, in_workspace.as_deref(), &mut self.commands);
        if let Some(l) = &self.session.loaded {
            windows.import_report.show(ctx, &l.data.report);
        }
        if let Some(editor) = &mut windows.letter {
            editor.show(ctx, &mut self.commands);
            if !editor.open {
                windows.letter = None;
            }
        }
        if let Some(batch) = &mut windows.batch {
            batch.show(ctx, &mut self.commands);
            if !batch.open {
                windows.batch = None;
            }
        }
        if let Some(export) = &mut windows.export {
            export.show(ctx);
            if !export.open {
                windows.export = None;
            }
        }
        if let Some(sheets) = &mut windows.sheets {
            sheets.show(ctx);
            if !sheets.open {
                windows.sheets = None;
            }
        }
        windows.about.show(ctx, self.session.settings_path.as_deref());
        if let Some(calibrate) = &mut windows.calibrate
            && !calibrate.show(ctx, &mut self.commands)
        {
            windows.calibrate = None;
        }
        if let Some(learn) = &mut windows.learn_bounds
            && !learn.show(ctx, &mut self.commands)
        {
            windows.learn_bounds = None;
        }
    }

    /// The calibration shown, once computed (tests).
    pub fn calibration(&self) -> Option<&crate::standing::calibrate::Calibration> {
        self.windows.calibrate.as_ref().and_then(CalibrateWindow::result)
    }

    /// The observed tiers opened, if any (tests).
    pub fn observed(&self) -> Option<&state::Observed> {
        self.session.observed.as_deref()
    }
}

impl eframe::App for StandwatchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if std::mem::take(&mut self.result_taken) {
            crate::timings::mark("job result laid out (painted next)");
        }
    }
}

/// Frees a replaced result on another thread: the frames of a big fleet take a noticeable
/// moment to free, which would hold up the frame that shows the new result.
fn retire(old: Option<OnScreen>) {
    if let Some(old) = old {
        // Should the thread not start, the result is freed here, as before.
        let _ = std::thread::Builder::new().name("standwatch-free".into()).spawn(move || drop(old));
    }
}

/// OpenGL (glow) unless `STANDWATCH_RENDERER=wgpu`: on a machine without a GPU, Mesa's
/// software OpenGL draws a frame of the fleet view with a third of the CPU its software
/// Vulkan (under wgpu) takes, and that CPU is what an import in progress waits for
/// (`benches/app.sh`). With a GPU either is fast.
fn preferred_renderer() -> eframe::Renderer {
    match std::env::var("STANDWATCH_RENDERER").as_deref() {
        #[cfg(feature = "wgpu")]
        Ok("wgpu") => eframe::Renderer::Wgpu,
        #[cfg(not(feature = "wgpu"))]
        Ok("wgpu") => {
            tracing::warn!(
                "STANDWATCH_RENDERER=wgpu, but this build has no wgpu (feature `wgpu`): drawing with OpenGL"
            );
            eframe::Renderer::Glow
        }
        _ => eframe::Renderer::Glow,
    }
}

/// What the renderer runs on, for the log: the OpenGL version and driver, or the wgpu
/// adapter.
fn renderer_details(cc: &eframe::CreationContext) -> String {
    use eframe::glow::HasContext as _;
    if let Some(gl) = &cc.gl {
        // SAFETY: plain queries on the context eframe just made current on this thread.
        let (version, renderer) = unsafe {
            (gl.get_parameter_string(eframe::glow::VERSION), gl.get_parameter_string(eframe::glow::RENDERER))
        };
        return format!("glow (OpenGL {version}, {renderer})");
    }
    #[cfg(feature = "wgpu")]
    if let Some(state) = &cc.wgpu_render_state {
        let info = state.adapter.get_info();
        return format!("wgpu ({:?}, {}, {})", info.backend, info.name, info.driver);
    }
    "unknown".to_string()
}

/// A failure of the graphics stack, after which the other renderer may still start (not
/// a missing display, which stops both).
fn renderer_failed(e: &eframe::Error) -> bool {
    #[cfg(feature = "wgpu")]
    if matches!(e, eframe::Error::Wgpu(_)) {
        return true;
    }
    matches!(e, eframe::Error::Glutin(_) | eframe::Error::NoGlutinConfigs(..) | eframe::Error::OpenGL(_))
}

fn open_window(renderer: eframe::Renderer, workspace: Option<PathBuf>) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title("Standwatch")
            .with_icon(std::sync::Arc::new(icon()))
            .with_app_id("standwatch")
            .with_drag_and_drop(true),
        renderer,
        // Size and position come back from the last session (eframe's storage).
        persist_window: true,
        ..Default::default()
    };
    let settings_path = Settings::default_path();
    eframe::run_native(
        "Standwatch",
        options,
        Box::new(move |cc| {
            tracing::info!("renderer: {}", renderer_details(cc));
            // A workspace given on the command line is opened at once, in place of the last data.
            Ok(Box::new(StandwatchApp::starting_with(&cc.egui_ctx, settings_path, workspace)))
        }),
    )
}

/// The window icon: the PNG of assets/icons, drawn into the binary.
fn icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icons/standwatch-256.png")).unwrap_or_default()
}

/// Why the window did not open.
#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    #[error(
        "cannot draw the window: {} ({source}). Install the graphics drivers (on Debian or Ubuntu: \
         `sudo apt install libgl1-mesa-dri libegl1 mesa-vulkan-drivers`), or use the command line: \
         `standwatch report --blocks FILE --deliveries FILE` (see `standwatch --help`)",
        if cfg!(feature = "wgpu") {
            "neither OpenGL nor Vulkan started"
        } else {
            "OpenGL did not start, and this build has no Vulkan fallback (the package has; or build \
             with `--features wgpu`)"
        }
    )]
    NoRenderer { source: eframe::Error },
    #[error(
        "cannot open a window ({source}). Without a display, use the command line: \
         `standwatch report --blocks FILE --deliveries FILE` (see `standwatch --help`)"
    )]
    NoDisplay { source: eframe::Error },
}

/// Opens the window, with OpenGL, else (in a build with the `wgpu` feature, as the package)
/// wgpu, the reason logged; without a display or a renderer, says what is missing and how
/// to use the command line instead.
pub fn run_app(workspace: Option<PathBuf>) -> Result<(), WindowError> {
    match crate::logging::init_app() {
        Ok(dir) => tracing::info!("logs in {}", dir.display()),
        Err(e) => eprintln!("standwatch: no log file: {e}"),
    }
    let preferred = preferred_renderer();
    let outcome = match open_window(preferred, workspace.clone()) {
        #[cfg(feature = "wgpu")]
        Err(e) if preferred == eframe::Renderer::Glow && renderer_failed(&e) => {
            tracing::warn!("OpenGL did not start ({e}); trying wgpu (Vulkan)");
            open_window(eframe::Renderer::Wgpu, workspace)
        }
        outcome => outcome,
    };
    outcome.map_err(|source| {
        let e = if renderer_failed(&source) {
            WindowError::NoRenderer { source }
        } else {
            WindowError::NoDisplay { source }
        };
        tracing::error!("no window: {e}");
        e
    })
}
