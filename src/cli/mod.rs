//! The command line (docs/rules.md §10): a stable contract of columns, formats and exit
//! codes. Exit 0 on success, 2 on unusable input, 1 on anything else; progress and
//! rejected rows go to stderr, results to stdout or `--out`. One function per command:
//! `report` and `history` in [`report`], letters in [`letters`], the workspace's `import`
//! and `cases` in [`workspace`].

mod calibrate;
mod coach;
mod letters;
mod report;
mod scorecard;
mod workspace;

use crate::config::Thresholds;
use crate::fsutil::write_atomic;
use crate::generate::{DspOptions, GenerateOptions, generate, generate_dsp};
use crate::import::time::{Day, FleetZone, day_from_date, parse_date_arg};
use crate::import::{Detail, ImportError, ImportReport, InputPaths};
use crate::load::{self, LoadError, Loaded, Options, Progress, Source};
use crate::scorecard::bounds::DspBounds;
use crate::scorecard::week::{Week, parse_week_arg};
use crate::settings::Settings;
use crate::standing::Fleet;
use crate::workspace::WorkspaceError;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(name = "standwatch", version, about = "Driver standing, alerts and dispute letters for delivery fleets.")]
pub struct Cli {
    /// Use the data and cases of this workspace folder instead of --blocks/--deliveries
    /// (created by the first `import`).
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Log what the program does on stderr (-v); -vv adds details and the libraries' notes.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
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
        #[command(flatten)]
        letter: LetterOptions,
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
        #[command(flatten)]
        letter: LetterOptions,
        #[arg(long, value_name = "FILE.eml")]
        out: PathBuf,
    },
    /// Merge exports into the workspace (--workspace DIR): rows new, updated, unchanged, rejected.
    Import {
        #[command(flatten)]
        inputs: Inputs,
        /// More export files; their kind is told by their headers.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The workspace's dispute and reactivation cases.
    Cases {
        #[command(subcommand)]
        action: CasesCommand,
    },
    /// The coaching log of the workspace (--workspace DIR): add an entry, list, record an outcome.
    Coach {
        #[command(subcommand)]
        action: CoachCommand,
    },
    /// Drafts every follow-up due (--workspace DIR): a short reminder threaded under each
    /// sent letter without an answer, the letter attached, and index.csv.
    Followups {
        /// The day they are due by (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// A driver's projected standing if they keep their pace with clean work: when each
    /// counted defect leaves its window and each tier changes.
    Forecast {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_name = "ID")]
        driver: String,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Days to project (default 60).
        #[arg(long, value_name = "N", default_value_t = crate::standing::forecast::DEFAULT_DAYS)]
        days: u32,
        #[arg(long, value_enum, default_value_t = ForecastFormat::Csv)]
        format: ForecastFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Coaching sheets (PDF): one page for a driver (--driver ID --out FILE.pdf), or one per
    /// driver and fleet.pdf, the fleet's summary (--all --out DIR). With scorecards (DSP
    /// mode): a DA's week (--week W, default the newest) over the last 8 weeks, or every
    /// DA's and week-W.pdf, the week's summary.
    #[command(group = clap::ArgGroup::new("who").required(true).args(["driver", "all"]))]
    Sheet {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_name = "ID")]
        driver: Option<String>,
        /// Every driver, and fleet.pdf.
        #[arg(long)]
        all: bool,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        /// FILE.pdf with --driver, a folder with --all.
        #[arg(long, value_name = "FILE|DIR")]
        out: PathBuf,
    },
    /// DSP mode: every delivery associate's scorecard of a week (--scorecard FILE…), with
    /// tiers given or computed and the week's alerts.
    Scorecard {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write the sample data bundled in the program (40 drivers, 8 weeks) into a folder.
    Sample {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Fit the tier thresholds to tiers seen in the Flex app (--observed), or learn each
    /// scorecard metric's tier bounds from scorecards that give tiers (--scorecard FILE…);
    /// report the agreement.
    Calibrate {
        #[command(flatten)]
        inputs: Inputs,
        /// Observed tiers: driver_id, date, overall_tier [, reliability_tier, quality_tier].
        #[arg(long, value_name = "FILE")]
        observed: Option<PathBuf>,
        /// Where to write the calibrated thresholds (TOML, for --thresholds).
        #[arg(long, value_name = "FILE.toml")]
        out: Option<PathBuf>,
    },
    /// Write a deterministic synthetic fleet (blocks, deliveries, roster, outages, photos;
    /// with --das and --weeks, a DSP's weekly scorecards and its reports besides).
    Generate {
        #[arg(long)]
        drivers: Option<usize>,
        #[arg(long)]
        days: Option<u32>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The first day (default 2026-01-05).
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// DSP mode: this many delivery associates with a scorecard a week.
        #[arg(long, value_name = "N")]
        das: Option<usize>,
        /// DSP mode: this many weeks of scorecards, from the week of --start.
        #[arg(long, value_name = "N")]
        weeks: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CasesCommand {
    /// Every case, newest first.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Per ground: events disputed, overturned, denied, pending, and the overturn rate.
    Stats {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Change a case's status (draft, sent, follow_up, overturned, partly_overturned, denied,
    /// withdrawn); follow_up records a follow-up sent.
    Set {
        id: i64,
        #[arg(long)]
        status: String,
        /// The overturned events (block or tracking ids), for overturned or partly_overturned.
        #[arg(long, value_name = "ID,...", value_delimiter = ',')]
        events: Option<Vec<String>>,
        /// The day of the change (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CoachCommand {
    /// Adds an entry; prints its id.
    Add {
        #[arg(long, value_name = "ID")]
        driver: String,
        /// A metric, an event id or free text.
        #[arg(long, value_name = "TEXT")]
        topic: String,
        /// What was agreed.
        #[arg(long, value_name = "TEXT", default_value = "")]
        agreed: String,
        /// When to look again (COACHING_DUE once it has passed without an outcome).
        #[arg(long, value_name = "DATE")]
        follow_up: Option<String>,
        /// The day of the conversation (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// The log, oldest first.
    List {
        #[arg(long, value_name = "ID")]
        driver: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Records what came of an entry: improved, no_change or escalated.
    Outcome {
        id: i64,
        outcome: String,
        /// The day (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

/// INPUTS (docs/rules.md §10). The blocks and deliveries files are required unless `--workspace` is given.
#[derive(Args, Debug, Clone)]
pub struct Inputs {
    #[arg(long, value_name = "FILE")]
    pub blocks: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub deliveries: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub outages: Option<PathBuf>,
    /// Amazon's DNR concessions reports (one or more): marks its packages as DNR claims, with
    /// its flags.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub concessions: Vec<PathBuf>,
    /// Amazon's package exceptions or RTS reports (one or more): updates its packages, adds the
    /// ones the deliveries lack, leaves out the ones Amazon exempted.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub exceptions: Vec<PathBuf>,
    /// Amazon's weekly scorecards (one or more files, e.g. a week each; DSP mode, instead
    /// of --blocks/--deliveries).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub scorecard: Vec<PathBuf>,
    /// The week of scorecard rows that give none (e.g. 2026-W17); `scorecard`, `disputes`
    /// and `sheet` show this week (default: the newest).
    #[arg(long, value_name = "WEEK")]
    pub week: Option<String>,
    /// Tier thresholds and windows (TOML); defaults built in.
    #[arg(long, value_name = "FILE.toml")]
    pub thresholds: Option<PathBuf>,
    /// Time zone of timestamps without an offset (IANA name; default UTC, or the workspace's).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Read NN/NN/YYYY dates day first.
    #[arg(long)]
    pub day_first: bool,
    /// Fail on any rejected row.
    #[arg(long)]
    pub strict: bool,
}

impl Inputs {
    /// The files given (blocks and deliveries empty when not given).
    pub fn paths(&self) -> InputPaths {
        InputPaths {
            blocks: self.blocks.clone().unwrap_or_default(),
            deliveries: self.deliveries.clone().unwrap_or_default(),
            roster: self.roster.clone(),
            outages: self.outages.clone(),
            concessions: self.concessions.clone(),
            exceptions: self.exceptions.clone(),
            scorecards: self.scorecard.clone(),
        }
    }
}

/// LETTER (docs/rules.md §10): who sends the letters and to whom; a workspace's settings supply the
/// ones not given.
#[derive(Args, Debug, Clone, Default)]
pub struct LetterOptions {
    /// Write the letters as this person, on behalf of the driver (default: in the driver's voice).
    #[arg(long, value_name = "NAME")]
    pub sender_name: Option<String>,
    /// From address (default: the driver's roster email).
    #[arg(long, value_name = "ADDR")]
    pub sender_email: Option<String>,
    /// The sender's organisation, under the signature.
    #[arg(long, value_name = "TEXT")]
    pub organisation: Option<String>,
    /// To address: the support team the letters go to.
    #[arg(long, value_name = "ADDR")]
    pub support_address: Option<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    /// A spreadsheet (needs --out FILE.xlsx).
    Xlsx,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryFormat {
    Csv,
    Json,
    /// A spreadsheet (needs --out FILE.xlsx).
    Xlsx,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastFormat {
    Csv,
    Json,
}

/// Paper sizes of the coaching sheets.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperArg {
    A4,
    Letter,
}

/// Formats of lists for people and programs (cases).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Table,
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
    fn input(message: impl std::fmt::Display) -> Failure {
        Failure { code: 2, message: message.to_string() }
    }

    fn other(message: impl std::fmt::Display) -> Failure {
        Failure { code: 1, message: message.to_string() }
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

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Failure {
        Failure { code: if e.is_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

impl From<WorkspaceError> for Failure {
    fn from(e: WorkspaceError) -> Failure {
        Failure { code: if e.is_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

/// Runs a subcommand; the caller opens the app when there is none.
pub fn run(command: Command, workspace: Option<&Path>) -> Result<(), Failure> {
    match command {
        Command::Report { inputs, as_of, format, out } => report::report(&inputs, workspace, as_of, format, out),
        Command::History { inputs, driver, from, to, format, out } => {
            report::history(&inputs, workspace, driver, [from, to], format, out)
        }
        Command::Disputes { inputs, as_of, evidence_dir, letter, out } => {
            letters::disputes(&inputs, workspace, as_of, evidence_dir, &letter, &out)
        }
        Command::Reactivation { inputs, driver, as_of, evidence_dir, letter, out } => {
            letters::reactivation(&inputs, workspace, &driver, as_of, evidence_dir, &letter, &out)
        }
        Command::Import { inputs, files } => workspace::import(&inputs, workspace, files),
        Command::Cases { action } => workspace::cases(action, workspace),
        Command::Coach { action } => coach::run(action, workspace),
        Command::Followups { as_of, out } => workspace::followups(workspace, as_of, &out),
        Command::Generate { drivers, days, seed, start, out, das, weeks } => {
            run_generate([drivers, das], [days, weeks], seed, start, &out)
        }
        Command::Calibrate { inputs, observed: Some(observed), out } => {
            calibrate::run(&inputs, workspace, &observed, out)
        }
        Command::Calibrate { inputs, observed: None, out } => scorecard::calibrate(&inputs, workspace, out),
        Command::Scorecard { inputs, format, out } => scorecard::scorecard(&inputs, workspace, format, out),
        Command::Sample { out } => {
            let files = crate::sample::write_to(&out)
                .map_err(|e| Failure::other(format!("{}: cannot write the sample data: {e}", out.display())))?;
            eprintln!("{}: {files} files of sample data (see README.md there)", out.display());
            Ok(())
        }
        Command::Forecast { inputs, driver, as_of, days, format, out } => {
            report::forecast(&inputs, workspace, &driver, as_of, days, format, out)
        }
        Command::Sheet { inputs, driver, all: _, as_of, paper, out } => {
            let paper = match paper {
                PaperArg::A4 => crate::documents::pdf::Paper::A4,
                PaperArg::Letter => crate::documents::pdf::Paper::Letter,
            };
            report::sheet(&inputs, workspace, driver.as_deref(), as_of, paper, &out)
        }
    }
}

/// `generate`: a Flex fleet (`--drivers`, `--days`), a DSP (`--das`, `--weeks`), or both.
fn run_generate(
    [drivers, das]: [Option<usize>; 2],
    [days, weeks]: [Option<u32>; 2],
    seed: u64,
    start: Option<String>,
    out: &Path,
) -> Result<(), Failure> {
    let start = match start {
        Some(s) => parse_date_arg(&s, false).map_err(Failure::input)?,
        None => chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
    };
    let flex = match (drivers, days) {
        (Some(drivers), Some(days)) if drivers > 0 && days > 0 => Some(GenerateOptions { drivers, days, seed, start }),
        (None, None) => None,
        _ => return Err(Failure::input("--drivers and --days go together and must be at least 1")),
    };
    let dsp = match (das, weeks) {
        (Some(das), Some(weeks)) if das > 0 && weeks > 0 => Some(DspOptions { das, weeks, seed, start }),
        (None, None) => None,
        _ => return Err(Failure::input("--das and --weeks go together and must be at least 1")),
    };
    if flex.is_none() && dsp.is_none() {
        return Err(Failure::input("give --drivers N --days N (a Flex fleet), --das N --weeks N (a DSP), or both"));
    }
    if let Some(opts) = flex {
        let summary = generate(&opts, out).map_err(|e| Failure::other(e.to_string()))?;
        eprintln!(
            "{}: {} drivers, {} blocks, {} packages, {} photos",
            out.display(),
            summary.drivers,
            summary.blocks,
            summary.packages,
            summary.photos
        );
    }
    if let Some(opts) = dsp {
        let summary = generate_dsp(&opts, out).map_err(|e| Failure::other(e.to_string()))?;
        eprintln!(
            "{}: {} DAs over {} weeks ({} scorecard rows in scorecards/), {} exceptions, {} concessions",
            out.display(),
            summary.das,
            summary.weeks,
            summary.scorecard_rows,
            summary.exceptions,
            summary.concessions
        );
    }
    Ok(())
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

fn zone_of(inputs: &Inputs) -> Result<Option<FleetZone>, Failure> {
    inputs.tz.as_deref().map(FleetZone::parse).transpose().map_err(|e| Failure::input(format!("--tz: {e}")))
}

/// The fleet of the input files, or of the workspace when one is given; the import is
/// reported on stderr.
fn load_data(inputs: &Inputs, workspace: Option<&Path>, detail: Detail) -> Result<Loaded, Failure> {
    let thresholds =
        inputs.thresholds.as_deref().map(Thresholds::load).transpose().map_err(|e| Failure::input(e.to_string()))?;
    let dsp_bounds =
        inputs.thresholds.as_deref().map(DspBounds::load).transpose().map_err(|e| Failure::input(e.to_string()))?;
    let zone = zone_of(inputs)?;
    let week = week_of(inputs)?;
    let options = Options { detail, thresholds, dsp_bounds, week, zone, ..Options::default() };
    let Some(dir) = workspace else {
        let paths = match (&inputs.blocks, &inputs.deliveries) {
            (Some(blocks), Some(deliveries)) => {
                eprintln!("standwatch: reading {} and {}", blocks.display(), deliveries.display());
                InputPaths { blocks: blocks.clone(), deliveries: deliveries.clone(), ..inputs.paths() }
            }
            // DSP mode (SPEC §7): scorecards instead of blocks and deliveries.
            (None, None) if !inputs.scorecard.is_empty() => {
                eprintln!("standwatch: reading {} scorecard file(s)", inputs.scorecard.len());
                inputs.paths()
            }
            _ => {
                return Err(Failure::input(
                    "give --blocks FILE and --deliveries FILE, --scorecard FILE (DSP mode), or --workspace DIR",
                ));
            }
        };
        let settings = Settings {
            timezone: zone.unwrap_or_default().name().to_string(),
            day_first: inputs.day_first,
            ..Settings::default()
        };
        let loaded = load::load(Source::Files(paths), settings, &options, &Progress::NONE)?;
        print_import_report(&loaded.report);
        if inputs.strict && !loaded.report.rejections.is_empty() {
            return Err(Failure::input(format!(
                "--strict: {} rejected row(s), first: {}",
                loaded.report.rejections.len(),
                loaded.report.rejections[0]
            )));
        }
        return Ok(loaded);
    };
    if inputs.blocks.is_some()
        || inputs.deliveries.is_some()
        || inputs.roster.is_some()
        || inputs.outages.is_some()
        || !inputs.concessions.is_empty()
        || !inputs.exceptions.is_empty()
        || !inputs.scorecard.is_empty()
    {
        return Err(Failure::input(
            "--workspace holds the data: import files with `standwatch --workspace DIR import ...` first",
        ));
    }
    let options = Options { workspace_settings: true, ..options };
    Ok(crate::timings::phase("read the workspace", || {
        load::load(Source::Workspace(dir.to_path_buf()), Settings::default(), &options, &Progress::NONE)
    })?)
}

/// The workspace's data with its own settings, for a command that only needs to look
/// something up in it (names, ids).
fn read_workspace(dir: &Path) -> Result<Loaded, LoadError> {
    let options = Options { workspace_settings: true, ..Options::default() };
    load::load(Source::Workspace(dir.to_path_buf()), Settings::default(), &options, &Progress::NONE)
}

fn print_import_report(report: &ImportReport) {
    for note in &report.notes {
        eprintln!("note: {note}");
    }
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

/// `--week`: a whole week (`2026-W17`, `W17 2026`).
fn week_of(inputs: &Inputs) -> Result<Option<Week>, Failure> {
    inputs
        .week
        .as_deref()
        .map(|text| {
            parse_week_arg(text).ok_or_else(|| {
                Failure::input(format!("--week: '{text}' is not a week (expected 2026-W17 or W17 2026)"))
            })
        })
        .transpose()
}
