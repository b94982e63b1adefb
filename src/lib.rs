//! Standwatch: driver standing, alerts and dispute letters for delivery fleet managers.
//!
//! Data flows one way: `import` (CSV and workbooks → validated polars frames, Amazon's
//! reports applied) → `standing` (windows, tiers, what-if, history, alerts, grounds,
//! address clusters) → `charts` (what each chart plots) → `letters`, `documents`,
//! `report`, `workspace` → `load` (files or a workspace → the fleet) → `cli` and `app`.
//! Only `app` touches egui (docs/architecture.md).

// A failure is an error value with a message, never a panic (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::todo))]

#[cfg(feature = "gui")]
pub mod app;
pub mod charts;
pub mod cli;
pub mod config;
pub mod documents;
pub mod evidence;
pub mod explain;
pub mod fsutil;
pub mod fuzzing;
pub mod generate;
pub mod import;
pub mod letters;
pub mod load;
pub mod locale;
pub mod logging;
pub mod overview;
pub mod parallel;
pub mod report;
pub mod sample;
pub mod scorecard;
pub mod settings;
pub mod standing;
pub mod timings;
pub mod workspace;
