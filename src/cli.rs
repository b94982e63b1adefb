//! The command line (SPEC §5): a stable contract of columns, formats and exit codes.
//! Exit 0 on success, 2 on unusable input, 1 on anything else; progress and rejected
//! rows go to stderr, results to stdout or `--out`.

use crate::config::Thresholds;
use crate::fsutil::write_atomic;
use crate::generate::{GenerateOptions, generate};
use crate::import::time::{Day, FleetZone, day_from_date, parse_date_arg};
use crate::import::{ImportError, ImportOptions, ImportReport, InputPaths, load_inputs};
use crate::letters::{self, LetterKind, LetterSettings};
use crate::report::{self, Row};
use crate::standing::Fleet;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "standwatch", version, about = "Driver standing, alerts and dispute letters for delivery fleets.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Every driver's standing on one day.
    Report {
        #[command(flatten)]
        inputs: Inputs,
        /// The day to report (default: the newest event day plus the lag).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Every driver's standing on every day.
    History {
        #[command(flatten)]
        inputs: Inputs,
        /// Only this driver.
        #[arg(long, value_name = "ID")]
        driver: Option<String>,
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// The last day (default: the newest event day plus the lag).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = HistoryFormat::Csv)]
        format: HistoryFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Draft a dispute email (.eml) for every driver with disputable events, plus index.csv.
    Disputes {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Folder the photo paths are relative to (default: the deliveries file's folder).
        #[arg(long, value_name = "DIR")]
        evidence_dir: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Draft a reactivation appeal (.eml) for one driver.
    Reactivation {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_name = "ID")]
        driver: String,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_name = "DIR")]
        evidence_dir: Option<PathBuf>,
        #[arg(long, value_name = "FILE.eml")]
        out: PathBuf,
    },
    /// Write a deterministic synthetic fleet (blocks, deliveries, roster, outages, photos).
    Generate {
        #[arg(long)]
        drivers: usize,
        #[arg(long)]
        days: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The first day (default 2026-01-05).
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Inputs {
    #[arg(long, value_name = "FILE")]
    pub blocks: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub deliveries: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub outages: Option<PathBuf>,
    /// Tier thresholds and windows (TOML); defaults built in.
    #[arg(long, value_name = "FILE.toml")]
    pub thresholds: Option<PathBuf>,
    /// Time zone of timestamps without an offset (IANA name).
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,
    /// Read NN/NN/YYYY dates day first.
    #[arg(long)]
    pub day_first: bool,
    /// Fail on any rejected row.
    #[arg(long)]
    pub strict: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    Csv,
    Json,
}

/// A failure with its exit status: 2 for unusable input, 1 for anything else.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }

    fn other(message: impl Into<String>) -> Failure {
        Failure { code: 1, message: message.into() }
    }
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Failure {
        match e {
            ImportError::Frame(_) => Failure::other(e.to_string()),
            _ => Failure::input(e.to_string()),
        }
    }
}

/// Runs a subcommand; the caller opens the app when there is none.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Report { inputs, as_of, format, out } => {
            let fleet = load_fleet(&inputs)?;
            let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
            let rows: Vec<Row> = (0..fleet.drivers.len())
                .map(|i| Row { driver: &fleet.drivers[i], standing: fleet.standing(i, day) })
                .collect();
            let mut buf = Vec::new();
            match format {
                ReportFormat::Csv => report::write_csv(&rows, &mut buf),
                ReportFormat::Json => report::write_json(&rows, &mut buf),
                ReportFormat::Table => report::write_table(&rows, &mut buf),
            }
            .map_err(|e| Failure::other(e.to_string()))?;
            emit(out, &buf)
        }
        Command::History { inputs, driver, from, to, format, out } => {
            let fleet = load_fleet(&inputs)?;
            let to = pick_day(&fleet, to.as_deref(), inputs.day_first)?;
            let from = from.as_deref().map(|f| parse_day(f, inputs.day_first)).transpose()?;
            let drivers: Vec<usize> = match &driver {
                Some(id) => {
                    vec![fleet.driver_index(id).ok_or_else(|| Failure::input(format!("unknown driver '{id}'")))?]
                }
                None => (0..fleet.drivers.len()).collect(),
            };
            let rows: Vec<Row> = drivers
                .iter()
                .flat_map(|&i| fleet.history(i, from, to).into_iter().map(move |s| (i, s)))
                .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
                .collect();
            let mut buf = Vec::new();
            match format {
                HistoryFormat::Csv => report::write_csv(&rows, &mut buf),
                HistoryFormat::Json => report::write_json(&rows, &mut buf),
            }
            .map_err(|e| Failure::other(e.to_string()))?;
            emit(out, &buf)
        }
        Command::Disputes { inputs, as_of, evidence_dir, out } => {
            let fleet = load_fleet(&inputs)?;
            let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
            let settings = letter_settings(&inputs, evidence_dir);
            let drivers: Vec<usize> = (0..fleet.drivers.len()).collect();
            let total = drivers.len();
            let progress = |done: usize| {
                if done % 100 == 0 || done == total {
                    eprintln!("standwatch: drafting letters {done}/{total}");
                }
            };
            let batch = letters::draft_batch(&fleet, &drivers, day, &settings, &out, &progress, &|| false)
                .map_err(Failure::other)?;
            for p in &batch.problems {
                eprintln!("{p}");
            }
            Ok(())
        }
        Command::Reactivation { inputs, driver, as_of, evidence_dir, out } => {
            let fleet = load_fleet(&inputs)?;
            let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
            let index =
                fleet.driver_index(&driver).ok_or_else(|| Failure::input(format!("unknown driver '{driver}'")))?;
            if !fleet.drivers[index].deactivated {
                eprintln!("standwatch: note: the roster does not say {driver} is deactivated");
            }
            let settings = letter_settings(&inputs, evidence_dir);
            let letter =
                letters::draft(&fleet, index, day, LetterKind::Reactivation, &settings, &[]).map_err(Failure::other)?;
            for p in &letter.problems {
                eprintln!("{}: {p}", letter.driver_id);
            }
            let eml = letters::to_eml(&letter, chrono::Utc::now().timestamp()).map_err(Failure::other)?;
            write_atomic(&out, &eml).map_err(|e| Failure::other(format!("{}: cannot write: {e}", out.display())))
        }
        Command::Generate { drivers, days, seed, start, out } => {
            let start = match start {
                Some(s) => parse_date_arg(&s, false).map_err(Failure::input)?,
                None => chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
            };
            if drivers == 0 || days == 0 {
                return Err(Failure::input("--drivers and --days must be at least 1"));
            }
            let summary = generate(&GenerateOptions { drivers, days, seed, start }, &out)
                .map_err(|e| Failure::other(e.to_string()))?;
            eprintln!(
                "{}: {} drivers, {} blocks, {} packages, {} photos",
                out.display(),
                summary.drivers,
                summary.blocks,
                summary.packages,
                summary.photos
            );
            Ok(())
        }
    }
}

fn letter_settings(inputs: &Inputs, evidence_dir: Option<PathBuf>) -> LetterSettings {
    LetterSettings {
        evidence_dir: evidence_dir.unwrap_or_else(|| crate::import::folder_of(&inputs.deliveries)),
        ..LetterSettings::default()
    }
}

fn parse_day(text: &str, day_first: bool) -> Result<Day, Failure> {
    parse_date_arg(text, day_first).map(day_from_date).map_err(Failure::input)
}

fn pick_day(fleet: &Fleet, given: Option<&str>, day_first: bool) -> Result<Day, Failure> {
    match given {
        Some(text) => parse_day(text, day_first),
        None => fleet.default_as_of().ok_or_else(|| Failure::input("no blocks or deliveries to report on")),
    }
}

/// Imports the inputs, reports the import on stderr and builds the fleet.
pub fn load_fleet(inputs: &Inputs) -> Result<Fleet, Failure> {
    let zone = FleetZone::parse(&inputs.tz).map_err(|e| Failure::input(format!("--tz: {e}")))?;
    let thresholds = match &inputs.thresholds {
        Some(p) => Thresholds::load(p).map_err(|e| Failure::input(e.to_string()))?,
        None => Thresholds::default(),
    };
    let paths = InputPaths {
        blocks: inputs.blocks.clone(),
        deliveries: inputs.deliveries.clone(),
        roster: inputs.roster.clone(),
        outages: inputs.outages.clone(),
    };
    eprintln!("standwatch: reading {} and {}", paths.blocks.display(), paths.deliveries.display());
    let (data, report) = load_inputs(&paths, &ImportOptions { zone, day_first: inputs.day_first })?;
    print_import_report(&report);
    if inputs.strict && !report.rejections.is_empty() {
        return Err(Failure::input(format!(
            "--strict: {} rejected row(s), first: {}",
            report.rejections.len(),
            report.rejections[0]
        )));
    }
    Fleet::build(&data, thresholds).map_err(|e| Failure::other(e.to_string()))
}

fn print_import_report(report: &ImportReport) {
    for r in &report.rejections {
        eprintln!("rejected: {r}");
    }
    for f in &report.files {
        eprintln!("imported {f}");
    }
}

fn emit(out: Option<PathBuf>, bytes: &[u8]) -> Result<(), Failure> {
    match out {
        Some(path) => {
            write_atomic(&path, bytes).map_err(|e| Failure::other(format!("{}: cannot write: {e}", path.display())))
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::other(e.to_string())),
                _ => Ok(()),
            }
        }
    }
}
