//! The command line (SPEC §5): a stable contract of columns, formats and exit codes.
//! Exit 0 on success, 2 on unusable input, 1 on anything else; progress and rejected
//! rows go to stderr, results to stdout or `--out`.

use crate::config::Thresholds;
use crate::fsutil::write_atomic;
use crate::generate::{GenerateOptions, generate};
use crate::import::time::{Day, FleetZone, day_from_date, parse_date_arg};
use crate::import::{
    Detail, ImportError, ImportOptions, ImportReport, InputPaths, TableKind, classify_file, load_inputs,
};
use crate::letters::{self, LetterKind, LetterSettings};
use crate::report::{self, Row};
use crate::settings::Settings;
use crate::standing::Fleet;
use crate::workspace::cases::{Case, CaseStatus, CaseUpdate, NewCase, absolute_text};
use crate::workspace::{Workspace, WorkspaceError};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(name = "standwatch", version, about = "Driver standing, alerts and dispute letters for delivery fleets.")]
pub struct Cli {
    /// Use the data and cases of this workspace folder instead of --blocks/--deliveries
    /// (created by the first `import`).
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
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

#[derive(Subcommand, Debug)]
pub enum CasesCommand {
    /// Every case, newest first.
    List {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Change a case's status (draft, sent, overturned, partly_overturned, denied, withdrawn).
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

/// SPEC §5 INPUTS. The blocks and deliveries files are required unless `--workspace` is given.
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

/// SPEC §5 LETTER: who sends the letters and to whom; a workspace's settings supply the
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

impl From<WorkspaceError> for Failure {
    fn from(e: WorkspaceError) -> Failure {
        Failure { code: if e.is_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

/// A fleet ready to report on, with what letters need, and the workspace it came from.
struct Loaded {
    fleet: Fleet,
    letters: LetterSettings,
    workspace: Option<Workspace>,
}

/// Runs a subcommand; the caller opens the app when there is none.
pub fn run(command: Command, workspace: Option<&Path>) -> Result<(), Failure> {
    match command {
        Command::Report { inputs, as_of, format, out } => {
            let fleet = load(&inputs, workspace, None, &LetterOptions::default(), Detail::Standing)?.fleet;
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
            let fleet = load(&inputs, workspace, None, &LetterOptions::default(), Detail::Standing)?.fleet;
            let to = pick_day(&fleet, to.as_deref(), inputs.day_first)?;
            let from = from.as_deref().map(|f| parse_day(f, inputs.day_first)).transpose()?;
            let drivers: Vec<usize> = match &driver {
                Some(id) => {
                    vec![fleet.driver_index(id).ok_or_else(|| Failure::input(format!("unknown driver '{id}'")))?]
                }
                None => (0..fleet.drivers.len()).collect(),
            };
            let mut buf = Vec::new();
            match format {
                HistoryFormat::Csv => crate::timings::phase("history rows", || {
                    report::write_history_csv(&fleet, &drivers, from, to, &mut buf)
                }),
                HistoryFormat::Json => {
                    let rows: Vec<Row> = drivers
                        .iter()
                        .flat_map(|&i| fleet.history(i, from, to).into_iter().map(move |s| (i, s)))
                        .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
                        .collect();
                    report::write_json(&rows, &mut buf)
                }
            }
            .map_err(|e| Failure::other(e.to_string()))?;
            emit(out, &buf)
        }
        Command::Disputes { inputs, as_of, evidence_dir, letter, out } => {
            let Loaded { fleet, letters: settings, workspace } =
                load(&inputs, workspace, evidence_dir, &letter, Detail::Full)?;
            let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
            let drivers: Vec<usize> = (0..fleet.drivers.len()).collect();
            let total = drivers.len();
            let progress = |done: usize| {
                if done % 100 == 0 || done == total {
                    eprintln!("standwatch: drafting letters {done}/{total}");
                }
            };
            let batch = letters::draft_batch(&fleet, &drivers, day, &settings, &out, &progress, &|| false)
                .map_err(|e| Failure::other(e.to_string()))?;
            for p in &batch.problems {
                eprintln!("{p}");
            }
            if let Some(mut ws) = workspace {
                let cases = NewCase::for_batch(&batch, &out, fleet.zone.today());
                let ids = ws.add_cases(&cases)?;
                eprintln!("standwatch: recorded {} case(s) in {}", ids.len(), ws.dir().display());
            }
            Ok(())
        }
        Command::Reactivation { inputs, driver, as_of, evidence_dir, letter, out } => {
            let Loaded { fleet, letters: settings, workspace } =
                load(&inputs, workspace, evidence_dir, &letter, Detail::Full)?;
            let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
            let index =
                fleet.driver_index(&driver).ok_or_else(|| Failure::input(format!("unknown driver '{driver}'")))?;
            if !fleet.drivers[index].deactivated {
                eprintln!("standwatch: note: the roster does not say {driver} is deactivated");
            }
            let letter = letters::draft(&fleet, index, day, LetterKind::Reactivation, &settings, &[])
                .map_err(|e| Failure::other(e.to_string()))?;
            for p in &letter.problems {
                eprintln!("{}: {p}", letter.driver_id);
            }
            let eml =
                letters::to_eml(&letter, chrono::Utc::now().timestamp()).map_err(|e| Failure::other(e.to_string()))?;
            write_atomic(&out, &eml).map_err(|e| Failure::other(format!("{}: cannot write: {e}", out.display())))?;
            if let Some(mut ws) = workspace {
                let id = ws.add_case(&NewCase {
                    driver_id: letter.driver_id.clone(),
                    kind: LetterKind::Reactivation,
                    file: Some(absolute_text(&out)),
                    created_on: fleet.zone.today(),
                    events: letter.event_refs.clone(),
                })?;
                eprintln!("standwatch: recorded case {id} in {}", ws.dir().display());
            }
            Ok(())
        }
        Command::Import { inputs, files } => {
            let dir = workspace.ok_or_else(|| Failure::input("import needs --workspace DIR"))?;
            let zone = match &inputs.tz {
                Some(tz) => FleetZone::parse(tz).map_err(|e| Failure::input(format!("--tz: {e}")))?,
                None => FleetZone::default(),
            };
            let mut ws = Workspace::open_or_create(dir, zone)?;
            check_zone(&inputs, &ws)?;
            let mut list: Vec<(TableKind, PathBuf)> = [
                (TableKind::Blocks, &inputs.blocks),
                (TableKind::Deliveries, &inputs.deliveries),
                (TableKind::Roster, &inputs.roster),
                (TableKind::Outages, &inputs.outages),
            ]
            .into_iter()
            .filter_map(|(kind, path)| Some((kind, path.clone()?)))
            .collect();
            for file in files {
                list.push((classify_file(&file).map_err(Failure::input)?, file));
            }
            if list.is_empty() {
                return Err(Failure::input(
                    "nothing to import: give --blocks, --deliveries, --roster, --outages or files",
                ));
            }
            eprintln!("standwatch: importing {} file(s) into {}", list.len(), dir.display());
            let outcome = ws.import(&list, inputs.day_first, inputs.strict, &|| false)?;
            for note in &outcome.notes {
                eprintln!("note: {note}");
            }
            for r in &outcome.rejections {
                eprintln!("rejected: {r}");
            }
            let text: String = outcome.files.iter().map(|f| format!("{f}\n")).collect();
            emit(None, text.as_bytes())
        }
        Command::Cases { action } => {
            let dir = workspace.ok_or_else(|| Failure::input("cases needs --workspace DIR"))?;
            let mut ws = Workspace::open(dir)?;
            match action {
                CasesCommand::List { format, out } => {
                    let cases = ws.cases()?;
                    let mut buf = Vec::new();
                    write_cases(&cases, ws.zone().today(), format, &mut buf)
                        .map_err(|e| Failure::other(e.to_string()))?;
                    emit(out, &buf)
                }
                CasesCommand::Set { id, status, events, date, note } => {
                    let status = CaseStatus::parse(&status).ok_or_else(|| {
                        Failure::input(format!(
                            "--status: unknown status '{status}' (expected one of: {})",
                            CaseStatus::ALL.map(CaseStatus::as_str).join(", ")
                        ))
                    })?;
                    let on = match date {
                        Some(d) => parse_day(&d, false)?,
                        None => ws.zone().today(),
                    };
                    let case = ws.set_case(id, &CaseUpdate { status, overturned: events, on, note })?;
                    let mut buf = Vec::new();
                    write_cases(&[case], ws.zone().today(), ReportFormat::Table, &mut buf)
                        .map_err(|e| Failure::other(e.to_string()))?;
                    emit(None, &buf)
                }
            }
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

/// `cases list` columns.
pub const CASE_COLUMNS: [&str; 12] = [
    "id",
    "driver_id",
    "kind",
    "status",
    "created_on",
    "sent_on",
    "outcome_on",
    "follow_up",
    "events",
    "overturned",
    "file",
    "note",
];

fn write_cases(cases: &[Case], today: Day, format: ReportFormat, out: &mut Vec<u8>) -> std::io::Result<()> {
    let day = |d: Option<Day>| d.map(report::day_text).unwrap_or_default();
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            let ids = |overturned: bool| {
                c.events.iter().filter(|e| !overturned || e.overturned).map(|e| e.event.id.as_str()).collect::<Vec<_>>()
            };
            vec![
                c.id.to_string(),
                c.driver_id.clone(),
                c.kind.name().to_string(),
                c.status.as_str().to_string(),
                report::day_text(c.created_on),
                day(c.sent_on),
                day(c.outcome_on),
                if c.needs_follow_up(today) { "yes" } else { "no" }.to_string(),
                ids(false).join(";"),
                ids(true).join(";"),
                c.file.clone().unwrap_or_default(),
                c.note.clone(),
            ]
        })
        .collect();
    match format {
        ReportFormat::Csv => {
            let mut csv = report::SafeCsv::new(&mut *out);
            csv.row(CASE_COLUMNS)?;
            for r in &rows {
                csv.row(r)?;
            }
            csv.finish()
        }
        ReportFormat::Json => {
            let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| CASE_COLUMNS.iter().map(|c| c.to_string()).zip(r.iter().map(|v| v.clone().into())).collect())
                .collect();
            serde_json::to_writer_pretty(&mut *out, &objects).map_err(std::io::Error::other)?;
            out.push(b'\n');
            Ok(())
        }
        ReportFormat::Table => report::write_aligned(&CASE_COLUMNS, &rows, out),
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

fn thresholds_of(inputs: &Inputs, fallback: Thresholds) -> Result<Thresholds, Failure> {
    match &inputs.thresholds {
        Some(p) => Thresholds::load(p).map_err(|e| Failure::input(e.to_string())),
        None => Ok(fallback),
    }
}

/// A workspace's times were read in its zone when imported; another `--tz` cannot apply.
fn check_zone(inputs: &Inputs, ws: &Workspace) -> Result<(), Failure> {
    if let Some(tz) = &inputs.tz {
        let zone = FleetZone::parse(tz).map_err(|e| Failure::input(format!("--tz: {e}")))?;
        if zone != ws.zone() {
            return Err(Failure::input(format!(
                "--tz {tz}: the workspace {} reads times in {} (set when it was created)",
                ws.dir().display(),
                ws.zone().name()
            )));
        }
    }
    Ok(())
}

/// The letter settings: the options given, else the workspace's settings (when there is
/// one); refused when a value cannot go into a letter.
fn letter_settings(
    options: &LetterOptions,
    saved: Option<&Settings>,
    evidence_dir: PathBuf,
) -> Result<LetterSettings, Failure> {
    let pick = |given: &Option<String>, saved: Option<&String>| {
        given.clone().or_else(|| saved.cloned()).unwrap_or_default().trim().to_string()
    };
    let sender = letters::Sender {
        name: pick(&options.sender_name, saved.map(|s| &s.sender_name)),
        email: pick(&options.sender_email, saved.map(|s| &s.sender_email)),
        organisation: pick(&options.organisation, saved.map(|s| &s.organisation)),
    };
    let support_address = pick(&options.support_address, saved.map(|s| &s.support_address));
    if let Some((field, problem)) = sender.problems(&support_address).into_iter().next() {
        let given = match field {
            letters::SenderField::Name => &options.sender_name,
            letters::SenderField::Email => &options.sender_email,
            letters::SenderField::Organisation => &options.organisation,
            letters::SenderField::SupportAddress => &options.support_address,
        };
        return Err(Failure::input(match given {
            Some(_) => format!("{}: {problem}", field.option()),
            None => format!("the workspace's settings, {}: {problem}", field.label()),
        }));
    }
    Ok(LetterSettings {
        sender,
        support_address,
        evidence_dir,
        templates_dir: saved.and_then(|s| s.templates_dir.clone()),
    })
}

/// The fleet from the input files, or from the workspace when one is given.
fn load(
    inputs: &Inputs,
    workspace: Option<&Path>,
    evidence_dir: Option<PathBuf>,
    letter: &LetterOptions,
    detail: Detail,
) -> Result<Loaded, Failure> {
    let Some(dir) = workspace else {
        let (Some(blocks), Some(deliveries)) = (&inputs.blocks, &inputs.deliveries) else {
            return Err(Failure::input("give --blocks FILE and --deliveries FILE, or --workspace DIR"));
        };
        let evidence_dir = evidence_dir.unwrap_or_else(|| crate::import::folder_of(deliveries));
        let letters = letter_settings(letter, None, evidence_dir)?;
        let fleet = load_fleet(inputs, blocks, deliveries, detail)?;
        return Ok(Loaded { fleet, letters, workspace: None });
    };
    if inputs.blocks.is_some() || inputs.deliveries.is_some() || inputs.roster.is_some() || inputs.outages.is_some() {
        return Err(Failure::input(
            "--workspace holds the data: import files with `standwatch --workspace DIR import ...` first",
        ));
    }
    let ws = Workspace::open(dir)?;
    check_zone(inputs, &ws)?;
    let settings = Settings::load(&ws.settings_path()).map_err(|e| Failure::input(e.to_string()))?;
    let evidence_dir = evidence_dir
        .or(settings.evidence_dir.clone())
        .or_else(|| ws.last_deliveries_file().ok().flatten().map(|p| crate::import::folder_of(&p)))
        .unwrap_or_else(|| ws.dir().to_path_buf());
    let letters = letter_settings(letter, Some(&settings), evidence_dir)?;
    let thresholds = thresholds_of(inputs, settings.thresholds)?;
    let extra = settings
        .outage_windows(ws.zone())
        .map_err(|e| Failure::input(format!("{}: {e}", ws.settings_path().display())))?;
    let data = crate::timings::phase("read the workspace", || ws.dataset())?.with_outages(&extra)?;
    let marks = ws.case_marks()?;
    let fleet = crate::timings::phase("standing arrays", || Fleet::build_with_cases(&data, thresholds, marks))
        .map_err(|e| Failure::other(e.to_string()))?;
    Ok(Loaded { fleet, letters, workspace: Some(ws) })
}

/// Imports the input files, reports the import on stderr and builds the fleet.
fn load_fleet(inputs: &Inputs, blocks: &Path, deliveries: &Path, detail: Detail) -> Result<Fleet, Failure> {
    let zone =
        FleetZone::parse(inputs.tz.as_deref().unwrap_or("UTC")).map_err(|e| Failure::input(format!("--tz: {e}")))?;
    let thresholds = thresholds_of(inputs, Thresholds::default())?;
    let paths = InputPaths {
        blocks: blocks.to_path_buf(),
        deliveries: deliveries.to_path_buf(),
        roster: inputs.roster.clone(),
        outages: inputs.outages.clone(),
    };
    eprintln!("standwatch: reading {} and {}", paths.blocks.display(), paths.deliveries.display());
    let (data, report) = load_inputs(&paths, &ImportOptions { zone, day_first: inputs.day_first, detail })?;
    print_import_report(&report);
    if inputs.strict && !report.rejections.is_empty() {
        return Err(Failure::input(format!(
            "--strict: {} rejected row(s), first: {}",
            report.rejections.len(),
            report.rejections[0]
        )));
    }
    crate::timings::phase("standing arrays", || Fleet::build(&data, thresholds))
        .map_err(|e| Failure::other(e.to_string()))
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
