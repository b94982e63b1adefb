//! The app's settings (docs/rules.md §11): thresholds, time zone, evidence folder, sender, outage
//! windows and recent imports, kept as TOML in the platform config folder and written
//! atomically.

use crate::config::Thresholds;
use crate::fsutil::write_atomic;
use crate::import::InputPaths;
use crate::import::time::{FleetZone, UnknownZone, parse_written};
use crate::standing::grounds::Outage;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// An outage window entered in the app, as the user typed it (read in the fleet's zone).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OutageSetting {
    pub start: String,
    pub end: String,
    pub description: String,
    /// The stations it applies to, joined by `;`; empty: the whole fleet.
    pub station: String,
}

/// A set of files imported together, for the recent-files menu.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecentImport {
    pub blocks: PathBuf,
    pub deliveries: PathBuf,
    pub roster: Option<PathBuf>,
    pub outages: Option<PathBuf>,
    /// One path in settings written before several could be given.
    #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
    pub concessions: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scorecards: Vec<PathBuf>,
}

/// A list of paths, or one path alone (as older settings files hold it).
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<PathBuf>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(PathBuf),
        Many(Vec<PathBuf>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(p) => vec![p],
        OneOrMany::Many(list) => list,
    })
}

impl RecentImport {
    /// Whether the files can be opened again: the blocks and deliveries are still there, or
    /// (DSP mode, neither given) every scorecard is.
    pub fn still_there(&self) -> bool {
        let flex = self.blocks.is_file() && self.deliveries.is_file();
        let none = |p: &PathBuf| p.as_os_str().is_empty();
        let dsp = none(&self.blocks)
            && none(&self.deliveries)
            && !self.scorecards.is_empty()
            && self.scorecards.iter().all(|p| p.is_file());
        flex || dsp
    }

    pub fn paths(&self) -> InputPaths {
        InputPaths {
            blocks: self.blocks.clone(),
            deliveries: self.deliveries.clone(),
            roster: self.roster.clone(),
            outages: self.outages.clone(),
            concessions: self.concessions.clone(),
            exceptions: self.exceptions.clone(),
            scorecards: self.scorecards.clone(),
        }
    }

    pub fn from_paths(p: &InputPaths) -> RecentImport {
        RecentImport {
            blocks: p.blocks.clone(),
            deliveries: p.deliveries.clone(),
            roster: p.roster.clone(),
            outages: p.outages.clone(),
            concessions: p.concessions.clone(),
            exceptions: p.exceptions.clone(),
            scorecards: p.scorecards.clone(),
        }
    }
}

pub const MAX_RECENT: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub thresholds: Thresholds,
    /// IANA zone in which timestamps without an offset are read.
    pub timezone: String,
    pub day_first: bool,
    /// Where photos are read from; empty: the folder of the deliveries file.
    pub evidence_dir: Option<PathBuf>,
    /// Who signs the letters; empty: they are in the driver's voice.
    pub sender_name: String,
    /// From address of the letters; empty: the driver's roster email.
    #[serde(alias = "sender")]
    pub sender_email: String,
    pub organisation: String,
    pub support_address: String,
    /// A folder with the user's own letter templates; empty: the built-in ones.
    pub templates_dir: Option<PathBuf>,
    pub outages: Vec<OutageSetting>,
    /// The folder letters were last saved in; empty: the workspace's `letters/`, else
    /// `letters/` in the evidence folder.
    pub letters_dir: Option<PathBuf>,
    pub recent: Vec<RecentImport>,
    /// Workspaces opened, the last first.
    pub recent_workspaces: Vec<PathBuf>,
    /// The workspace open when the app was last closed.
    pub workspace: Option<PathBuf>,
    pub dark_mode: bool,
    /// The paper coaching sheets are laid out for.
    pub paper: crate::documents::pdf::Paper,
    /// DSP mode: the scorecard's week, coaching triggers and tier bounds.
    #[serde(skip_serializing_if = "crate::scorecard::DspSettings::is_default")]
    pub dsp: crate::scorecard::DspSettings,
}

impl Settings {
    /// These choices with what the app remembers on its own (recent files and workspaces,
    /// the open workspace, the theme, the letters folder) taken from `current`: a draft
    /// edited in Settings differs from the settings in use only by what the user changed,
    /// and applying it keeps what was remembered meanwhile.
    pub fn with_remembered_from(&self, current: &Settings) -> Settings {
        Settings {
            recent: current.recent.clone(),
            recent_workspaces: current.recent_workspaces.clone(),
            workspace: current.workspace.clone(),
            dark_mode: current.dark_mode,
            letters_dir: current.letters_dir.clone(),
            ..self.clone()
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            thresholds: Thresholds::default(),
            timezone: "UTC".to_string(),
            day_first: false,
            evidence_dir: None,
            sender_name: String::new(),
            sender_email: String::new(),
            organisation: String::new(),
            support_address: String::new(),
            templates_dir: None,
            outages: Vec::new(),
            letters_dir: None,
            recent: Vec::new(),
            recent_workspaces: Vec::new(),
            workspace: None,
            dark_mode: true,
            paper: crate::locale::paper(),
            dsp: crate::scorecard::DspSettings::default(),
        }
    }
}

/// An outage window of the settings that cannot be used (numbered from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutageError {
    #[error("outage {number}: cannot read '{text}' as a date and time")]
    Unreadable { number: usize, text: String },
    #[error("outage {0}: ends before it starts")]
    EndsBeforeStart(usize),
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{path}: cannot read the settings: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: the settings file is damaged ({message}); defaults are used until you save")]
    Invalid { path: String, message: String },
    #[error("{path}: cannot save the settings: {source}")]
    Write { path: String, source: std::io::Error },
}

impl Settings {
    /// `settings.toml` in the platform config folder (e.g. `~/.config/standwatch/`).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "standwatch").map(|d| d.config_dir().join("settings.toml"))
    }

    /// Reads the settings; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings, SettingsError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(source) => return Err(SettingsError::Read { path: shown, source }),
        };
        let settings: Settings = toml::from_str(&text)
            .map_err(|e| SettingsError::Invalid { path: shown.clone(), message: e.to_string() })?;
        // Thresholds go through the same checks as a `--thresholds` file.
        Thresholds::from_toml(&settings.thresholds.to_toml(), &shown)
            .map_err(|e| SettingsError::Invalid { path: shown, message: e.to_string() })?;
        Ok(settings)
    }

    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| SettingsError::Write { path: shown.clone(), source })?;
        }
        let text = toml::to_string_pretty(self).unwrap_or_default();
        write_atomic(path, text.as_bytes()).map_err(|source| SettingsError::Write { path: shown, source })
    }

    pub fn zone(&self) -> Result<FleetZone, UnknownZone> {
        FleetZone::parse(&self.timezone)
    }

    /// The outage windows entered in the app, as instants.
    pub fn outage_windows(&self, zone: FleetZone) -> Result<Vec<Outage>, OutageError> {
        self.outages
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let read = |text: &str, end: bool| {
                    parse_written(text, self.day_first)
                        .map(|w| zone.instant(w, end))
                        .ok_or_else(|| OutageError::Unreadable { number: i + 1, text: text.to_string() })
                };
                let (start, end) = (read(&o.start, false)?, read(&o.end, true)?);
                if end < start {
                    return Err(OutageError::EndsBeforeStart(i + 1));
                }
                Ok(Outage {
                    start,
                    end,
                    description: o.description.clone(),
                    stations: Outage::parse_stations(&o.station),
                })
            })
            .collect()
    }

    /// The letters' sender.
    pub fn sender(&self) -> crate::letters::Sender {
        crate::letters::Sender {
            name: self.sender_name.clone(),
            email: self.sender_email.clone(),
            organisation: self.organisation.clone(),
        }
    }

    /// Puts a workspace first in the recent list, without duplicates.
    pub fn remember_workspace(&mut self, dir: PathBuf) {
        self.recent_workspaces.retain(|d| *d != dir);
        self.recent_workspaces.insert(0, dir);
        self.recent_workspaces.truncate(MAX_RECENT);
    }

    /// Puts an import first in the recent list, without duplicates.
    pub fn remember(&mut self, import: RecentImport) {
        self.recent.retain(|r| *r != import);
        self.recent.insert(0, import);
        self.recent.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.toml");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let mut s = Settings { timezone: "America/Chicago".into(), ..Settings::default() };
        s.thresholds.reliability.great = 0.85;
        s.outages.push(OutageSetting {
            start: "2026-03-02 06:00".into(),
            end: "2026-03-02 12:00".into(),
            description: "app down".into(),
            station: "DLA9".into(),
        });
        s.remember(RecentImport { blocks: "b.csv".into(), deliveries: "d.csv".into(), ..RecentImport::default() });
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), s);
    }

    #[test]
    fn files_of_dsp_mode_alone_open_again_while_their_scorecards_are_there() {
        let dir = tempfile::tempdir().unwrap();
        let card = dir.path().join("DSP Overview Week 17 2026.csv");
        std::fs::write(&card, "x").unwrap();
        let dsp = RecentImport { scorecards: vec![card.clone()], ..RecentImport::default() };
        assert!(dsp.still_there());
        let gone = RecentImport { scorecards: vec![card.clone(), dir.path().join("gone.csv")], ..dsp.clone() };
        assert!(!gone.still_there());
        assert!(!RecentImport::default().still_there(), "nothing to open");
        let flex = RecentImport { blocks: card.clone(), deliveries: dir.path().join("gone.csv"), ..dsp };
        assert!(!flex.still_there(), "deliveries gone");
    }

    #[test]
    fn a_draft_differs_only_by_the_choices_made_in_it() {
        let draft = Settings::default();
        let mut current = Settings { dark_mode: false, ..Settings::default() };
        current.remember(RecentImport {
            blocks: "b.csv".into(),
            deliveries: "d.csv".into(),
            ..RecentImport::default()
        });
        assert_eq!(draft.with_remembered_from(&current), current, "files opened since are not a change");
        let changed = Settings { timezone: "America/Chicago".into(), ..draft };
        let applied = changed.with_remembered_from(&current);
        assert_ne!(applied, current);
        assert_eq!((applied.recent.len(), applied.timezone.as_str()), (1, "America/Chicago"));
    }

    #[test]
    fn a_sender_saved_before_names_existed_is_read_as_the_sender_email() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "sender = \"ops@fleet.example\"\n").unwrap();
        let s = Settings::load(&path).unwrap();
        assert_eq!(s.sender_email, "ops@fleet.example");
        assert!(s.sender_name.is_empty());
    }

    #[test]
    fn damaged_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "timezone = [").unwrap();
        assert!(matches!(Settings::load(&path), Err(SettingsError::Invalid { .. })));
        std::fs::write(&path, "[thresholds.reliability]\nfantastic = 0.5\ngreat = 0.9\n").unwrap();
        assert!(matches!(Settings::load(&path), Err(SettingsError::Invalid { .. })));
    }

    #[test]
    fn outage_windows_in_the_zone() {
        let mut s = Settings::default();
        s.outages.push(OutageSetting {
            start: "2026-03-02 06:00".into(),
            end: "2026-03-02".into(),
            description: "x".into(),
            station: "DLA9; DXT4".into(),
        });
        let zone = FleetZone::parse("America/New_York").unwrap();
        let w = s.outage_windows(zone).unwrap();
        // 06:00 to the end of the day (23:59:59).
        assert_eq!(w[0].end - w[0].start, (18 * 3600 - 1) * 1000);
        assert_eq!(w[0].stations, ["DLA9", "DXT4"]);
        s.outages[0].end = "2026-03-01 06:00".into();
        assert!(s.outage_windows(zone).is_err());
        s.outages[0].end = "soon".into();
        assert!(s.outage_windows(zone).unwrap_err().to_string().contains("soon"));
    }

    #[test]
    fn recent_list_is_unique_and_bounded() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.remember(RecentImport { blocks: format!("b{i}.csv").into(), ..RecentImport::default() });
        }
        s.remember(RecentImport { blocks: "b5.csv".into(), ..RecentImport::default() });
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0].blocks, PathBuf::from("b5.csv"));
        assert_eq!(s.recent.iter().filter(|r| r.blocks == Path::new("b5.csv")).count(), 1);
    }
}
