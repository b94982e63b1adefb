//! What the app holds apart from its screens: the session (settings, what is loaded, the
//! job running, the message for the user) and the result on screen.

use super::worker::{Job, OnScreen};
use crate::import::InputPaths;
use crate::import::time::Day;
use crate::settings::Settings;
use crate::standing::calibrate::{ObservedRow, ObservedTiers};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A message for the user in the banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), is_error: false }
    }

    /// An error shown in the status bar, and logged (a desktop launch has no terminal).
    pub fn error(text: impl Into<String>) -> Notice {
        let text = text.into();
        tracing::error!("{text}");
        Notice { text, is_error: true }
    }
}

/// Tiers a person saw, from an observed-tiers file the user opened (docs/rules.md §1.10):
/// shown beside the computed ones and what calibration fits the thresholds to. Kept by
/// driver id, so that they survive reloading the data.
pub struct Observed {
    pub path: PathBuf,
    pub rows: Vec<ObservedRow>,
    /// Rows of the file that could not be read.
    pub rejected: usize,
    by_driver: HashMap<String, Vec<(Day, ObservedTiers)>>,
}

impl Observed {
    pub fn new(path: PathBuf, rows: Vec<ObservedRow>, rejected: usize) -> Observed {
        let mut by_driver: HashMap<String, Vec<(Day, ObservedTiers)>> = HashMap::new();
        for r in &rows {
            by_driver.entry(r.driver_id.clone()).or_default().push((r.day, r.seen));
        }
        for days in by_driver.values_mut() {
            days.sort_by_key(|(day, _)| *day);
        }
        Observed { path, rows, rejected, by_driver }
    }

    /// The driver's latest observation on or before `day`.
    pub fn latest(&self, driver_id: &str, day: Day) -> Option<(Day, ObservedTiers)> {
        self.by_driver.get(driver_id)?.iter().rev().find(|(d, _)| *d <= day).copied()
    }
}

/// The views of the main area.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Fleet,
    Alerts,
    Addresses,
    Driver,
    /// DSP mode: a week's delivery associates.
    Scorecards,
    /// DSP mode: one delivery associate.
    Da,
    Cases,
    Settings,
}

/// The session: settings, the data on screen, the work running, the message shown.
pub struct Session {
    pub settings: Settings,
    /// Where the settings are saved (none: not saved, as in tests).
    pub settings_path: Option<PathBuf>,
    pub loaded: Option<OnScreen>,
    pub job: Option<Job>,
    /// The workspace being opened by the running job, to offer another if it fails.
    pub opening_workspace: Option<PathBuf>,
    /// The files that were on screen when a new, empty workspace was opened: offered for
    /// import into it.
    pub offer_import: Option<InputPaths>,
    pub notice: Option<Notice>,
    /// Observed tiers the user opened.
    pub observed: Option<Arc<Observed>>,
    /// Reading an observed-tiers file.
    pub observed_job: Option<Job<Observed, crate::load::LoadError>>,
    /// The right to change the workspace on screen, held while it is on screen.
    pub workspace_lock: Option<crate::workspace::lock::WorkspaceLock>,
    /// Who holds it instead (another Standwatch): the workspace is shown read-only.
    pub held_by: Option<String>,
    /// When the holder was last asked whether it still holds it.
    pub held_asked: Option<std::time::Instant>,
    /// The holder closed it and it is reloading, open for changes here (said when shown).
    pub reopened_for_changes: bool,
}

impl Session {
    /// The settings at `path` (defaults, with a notice, when the file is damaged).
    pub fn new(settings_path: Option<PathBuf>) -> Session {
        let (settings, notice) = match &settings_path {
            Some(p) => match Settings::load(p) {
                Ok(s) => (s, None),
                Err(e) => (Settings::default(), Some(Notice::error(e.to_string()))),
            },
            None => (Settings::default(), None),
        };
        Session {
            settings,
            settings_path,
            loaded: None,
            job: None,
            opening_workspace: None,
            offer_import: None,
            notice,
            observed: None,
            observed_job: None,
            workspace_lock: None,
            held_by: None,
            held_asked: None,
            reopened_for_changes: false,
        }
    }

    /// The workspace folder on screen, if any.
    pub fn workspace_dir(&self) -> Option<&Path> {
        self.loaded.as_ref().and_then(|l| l.data.workspace.as_ref()).map(|w| w.dir.as_path())
    }

    /// Saves the settings, and, with a workspace open, its copy for the command line.
    pub fn save_settings(&mut self) {
        let mut paths: Vec<PathBuf> = self.settings_path.iter().cloned().collect();
        if let Some(dir) = self.workspace_dir() {
            paths.push(dir.join(crate::workspace::SETTINGS_FILE));
        }
        for path in paths {
            if let Err(e) = self.settings.save(&path) {
                self.notice = Some(Notice::error(e.to_string()));
            }
        }
    }
}

/// A file's name, for labels.
pub fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}
