//! The views of the main area, one struct each with a `ui` that draws the data on screen
//! and sends commands: fleet, alerts, addresses, driver, cases and settings.

mod addresses;
mod alerts;
mod cases;
mod driver;
mod fleet;
mod settings;

pub use addresses::AddressesView;
pub use alerts::AlertsView;
pub use cases::CasesView;
pub use driver::DriverView;
pub use fleet::FleetView;
pub use settings::SettingsView;
