//! Tier thresholds and window settings (docs/rules.md §2.4), read from TOML with built-in defaults.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Minimum rates for each tier of one rate metric; below `fair` is At Risk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateThresholds {
    pub fantastic: f64,
    pub great: f64,
    pub fair: f64,
}

/// Most DNR claims allowed in the quality window for each tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnrThresholds {
    pub fantastic: u32,
    pub great: u32,
    pub fair: u32,
}

/// Window sizes and the minute rules of docs/rules.md §2.2 and §8.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Windows {
    pub blocks: u32,
    pub packages: u32,
    pub lag_days: u32,
    pub arrival_grace_minutes: i64,
    pub cancel_notice_minutes: i64,
    pub station_delay_minutes: i64,
    pub min_first_stop_minutes: i64,
    /// ADDRESS_CLUSTER (docs/rules.md §8.1): at least this many claims and access problems
    /// at one building, of at least two drivers ...
    pub cluster_events: u32,
    /// ... within this many days of the event.
    pub cluster_days: u32,
    /// FOLLOW_UP (SPEC §4.4): a sent case without an outcome is due a follow-up this many
    /// days after it was sent or last followed up ...
    pub follow_up_days: u32,
    /// ... up to this many follow-ups, after which it is due an escalation instead.
    pub follow_ups_max: u32,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            blocks: 20,
            packages: 500,
            lag_days: 2,
            arrival_grace_minutes: 5,
            cancel_notice_minutes: 45,
            station_delay_minutes: 30,
            min_first_stop_minutes: 30,
            cluster_events: 3,
            cluster_days: 30,
            follow_up_days: 3,
            follow_ups_max: 3,
        }
    }
}

/// Every number the standing depends on. Amazon publishes none of them: these are estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub reliability: RateThresholds,
    pub attempted: RateThresholds,
    pub success: RateThresholds,
    pub on_time: RateThresholds,
    pub dnr: DnrThresholds,
    pub windows: Windows,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            reliability: RateThresholds { fantastic: 0.95, great: 0.90, fair: 0.80 },
            attempted: RateThresholds { fantastic: 0.995, great: 0.99, fair: 0.98 },
            success: RateThresholds { fantastic: 0.99, great: 0.98, fair: 0.96 },
            on_time: RateThresholds { fantastic: 0.98, great: 0.95, fair: 0.90 },
            dnr: DnrThresholds { fantastic: 0, great: 1, fair: 2 },
            windows: Windows::default(),
        }
    }
}

/// Thresholds that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidThresholds {
    #[error("[{0}] needs fantastic >= great >= fair")]
    RateOrder(&'static str),
    #[error("[{0}] thresholds must be numbers")]
    NotANumber(&'static str),
    #[error("[dnr] needs fantastic <= great <= fair")]
    DnrOrder,
    #[error("[windows] blocks and packages must be at least 1")]
    EmptyWindow,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the thresholds file: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Thresholds {
    /// Parses a thresholds TOML; sections or keys left out keep their defaults.
    pub fn from_toml(text: &str, path: &str) -> Result<Thresholds, ConfigError> {
        let parsed: PartialThresholds = toml::from_str(text)
            .map_err(|e| ConfigError::Invalid { path: path.to_string(), message: e.to_string() })?;
        let thresholds = parsed.apply(Thresholds::default());
        thresholds
            .validate()
            .map_err(|problem| ConfigError::Invalid { path: path.to_string(), message: problem.to_string() })?;
        Ok(thresholds)
    }

    pub fn load(path: &Path) -> Result<Thresholds, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        Thresholds::from_toml(&text, &shown)
    }

    pub fn to_toml(&self) -> String {
        // Serialising plain numbers and structs cannot fail.
        toml::to_string_pretty(self).unwrap_or_default()
    }

    fn validate(&self) -> Result<(), InvalidThresholds> {
        let rates = [
            ("reliability", self.reliability),
            ("attempted", self.attempted),
            ("success", self.success),
            ("on_time", self.on_time),
        ];
        for (name, t) in rates {
            if !(t.fantastic >= t.great && t.great >= t.fair) {
                return Err(InvalidThresholds::RateOrder(name));
            }
            if [t.fantastic, t.great, t.fair].iter().any(|v| !v.is_finite()) {
                return Err(InvalidThresholds::NotANumber(name));
            }
        }
        if !(self.dnr.fantastic <= self.dnr.great && self.dnr.great <= self.dnr.fair) {
            return Err(InvalidThresholds::DnrOrder);
        }
        if self.windows.blocks == 0 || self.windows.packages == 0 {
            return Err(InvalidThresholds::EmptyWindow);
        }
        Ok(())
    }
}

/// The same shape with every key optional, so a user's file may set only what it changes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartialThresholds {
    reliability: Option<PartialRate>,
    attempted: Option<PartialRate>,
    success: Option<PartialRate>,
    on_time: Option<PartialRate>,
    dnr: Option<PartialDnr>,
    windows: Option<Windows>,
    /// The scorecard's bounds (DSP mode), read by [`crate::scorecard::bounds::DspBounds`].
    #[serde(rename = "dsp")]
    _dsp: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartialRate {
    fantastic: Option<f64>,
    great: Option<f64>,
    fair: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartialDnr {
    fantastic: Option<u32>,
    great: Option<u32>,
    fair: Option<u32>,
}

impl PartialRate {
    fn over(self, base: RateThresholds) -> RateThresholds {
        RateThresholds {
            fantastic: self.fantastic.unwrap_or(base.fantastic),
            great: self.great.unwrap_or(base.great),
            fair: self.fair.unwrap_or(base.fair),
        }
    }
}

impl PartialThresholds {
    fn apply(self, base: Thresholds) -> Thresholds {
        let rate = |p: Option<PartialRate>, b: RateThresholds| p.map_or(b, |p| p.over(b));
        Thresholds {
            reliability: rate(self.reliability, base.reliability),
            attempted: rate(self.attempted, base.attempted),
            success: rate(self.success, base.success),
            on_time: rate(self.on_time, base.on_time),
            dnr: self.dnr.map_or(base.dnr, |d| DnrThresholds {
                fantastic: d.fantastic.unwrap_or(base.dnr.fantastic),
                great: d.great.unwrap_or(base.dnr.great),
                fair: d.fair.unwrap_or(base.dnr.fair),
            }),
            // `Windows` has serde(default): missing keys keep the defaults.
            windows: self.windows.unwrap_or(base.windows),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_file_keeps_defaults() {
        let t = Thresholds::from_toml("[reliability]\ngreat = 0.85\n[windows]\nblocks = 4\n", "t.toml").unwrap();
        assert_eq!(t.reliability.great, 0.85);
        assert_eq!(t.reliability.fantastic, 0.95);
        assert_eq!(t.windows.blocks, 4);
        assert_eq!(t.windows.packages, 500);
        assert_eq!(t.dnr, Thresholds::default().dnr);
    }

    #[test]
    fn defaults_round_trip_through_toml() {
        let t = Thresholds::default();
        assert_eq!(Thresholds::from_toml(&t.to_toml(), "x").unwrap(), t);
    }

    #[test]
    fn rejects_unknown_keys_and_disorder() {
        assert!(Thresholds::from_toml("[reliability]\ngreta = 0.8\n", "t.toml").is_err());
        let err = Thresholds::from_toml("[success]\ngreat = 0.999\n", "t.toml").unwrap_err();
        assert!(err.to_string().contains("t.toml"));
        assert!(Thresholds::from_toml("[windows]\nblocks = 0\n", "t.toml").is_err());
    }
}
