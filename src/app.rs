//! The desktop window. For now it shows the fleet's tier counts for the bundled sample
//! data, computed on a background thread; the full app is the desktop-app issue.

use crate::config::Thresholds;
use crate::import::{ImportOptions, InputPaths, load_inputs};
use crate::standing::Fleet;
use crate::standing::rules::{Tier, tier_label};
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Where the bundled sample data lives: beside the executable's crate when run with cargo,
/// else `sample-data/` in the working folder.
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

/// Tier counts of a fleet on its default as-of day, best tier first, then No standing.
type Summary = Result<(String, Vec<(&'static str, usize)>), String>;

fn summarise(inputs: &InputPaths) -> Summary {
    let (data, _) = load_inputs(inputs, &ImportOptions::default()).map_err(|e| e.to_string())?;
    let fleet = Fleet::build(&data, Thresholds::default()).map_err(|e| e.to_string())?;
    let day = fleet.default_as_of().ok_or("no data")?;
    let tiers: Vec<Option<Tier>> = (0..fleet.drivers.len()).map(|i| fleet.standing(i, day).overall).collect();
    let counts = Tier::ALL_BEST_FIRST
        .iter()
        .map(|t| Some(*t))
        .chain([None])
        .map(|t| (tier_label(t), tiers.iter().filter(|x| **x == t).count()))
        .collect();
    Ok((crate::report::day_text(day), counts))
}

pub struct StandwatchApp {
    summary: Option<Summary>,
    incoming: mpsc::Receiver<Summary>,
}

impl StandwatchApp {
    pub fn new(ctx: &egui::Context) -> StandwatchApp {
        let (tx, incoming) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new().name("import-sample".into()).spawn(move || {
            let _ = tx.send(summarise(&sample_inputs()));
            ctx.request_repaint();
        });
        let summary = spawned.err().map(|e| Err(e.to_string()));
        StandwatchApp { summary, incoming }
    }
}

impl eframe::App for StandwatchApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if let Ok(s) = self.incoming.try_recv() {
            self.summary = Some(s);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Standwatch");
            ui.label("Sample data — open your own exports with the command line for now.");
            ui.separator();
            match &self.summary {
                None => {
                    ui.spinner();
                }
                Some(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                Some(Ok((day, counts))) => {
                    ui.label(format!("Standing as of {day}"));
                    for (label, n) in counts {
                        ui.label(format!("{label}: {n} drivers"));
                    }
                }
            }
        });
    }
}

pub fn run_app() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("Standwatch"),
        ..Default::default()
    };
    eframe::run_native("Standwatch", options, Box::new(|cc| Ok(Box::new(StandwatchApp::new(&cc.egui_ctx)))))
}
