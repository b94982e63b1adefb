//! The views of the main area, one struct each with a `ui` that draws the data on screen
//! and sends commands: fleet, alerts, addresses, driver, cases and settings; scorecards
//! and the DA view in DSP mode.

mod addresses;
mod alerts;
mod cases;
mod coaching;
mod da;
mod driver;
mod fleet;
mod plot;
mod scorecards;
pub mod settings;

pub use addresses::AddressesView;
pub use alerts::AlertsView;
pub use cases::CasesView;
pub use da::DaView;
pub use driver::DriverView;
pub use fleet::FleetView;
pub use scorecards::ScorecardsView;
pub use settings::SettingsView;
