//! `report` and `history`: every driver's standing on a day, or on every day.

use super::{Failure, ForecastFormat, HistoryFormat, Inputs, ReportFormat, emit, load_inputs, parse_day, pick_day};
use crate::import::Detail;
use crate::report::{self, Row};
use std::path::{Path, PathBuf};

pub(super) fn report(
    inputs: &Inputs,
    workspace: Option<&Path>,
    as_of: Option<String>,
    format: ReportFormat,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if format == ReportFormat::Xlsx {
        needs_xlsx_out(&out)?;
    }
    let fleet = load_inputs(inputs, workspace, Detail::Standing)?.fleet;
    let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
    let rows: Vec<Row> =
        (0..fleet.drivers.len()).map(|i| Row { driver: &fleet.drivers[i], standing: fleet.standing(i, day) }).collect();
    let mut buf = Vec::new();
    match format {
        ReportFormat::Csv => report::write_csv(&rows, &mut buf),
        ReportFormat::Json => report::write_json(&rows, &mut buf),
        ReportFormat::Table => report::write_table(&rows, &mut buf),
        ReportFormat::Xlsx => report::write_xlsx(&rows, &mut buf),
    }
    .map_err(|e| Failure::other(e.to_string()))?;
    emit(out, &buf)
}

/// `forecast` (docs/rules.md §6): one driver's projected days.
pub(super) fn forecast(
    inputs: &Inputs,
    workspace: Option<&Path>,
    driver: &str,
    as_of: Option<String>,
    days: u32,
    format: ForecastFormat,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if days == 0 || days > 3650 {
        return Err(Failure::input("--days must be between 1 and 3650"));
    }
    let fleet = load_inputs(inputs, workspace, Detail::Standing)?.fleet;
    let index = fleet.driver_index(driver).ok_or_else(|| Failure::input(format!("unknown driver '{driver}'")))?;
    let day = pick_day(&fleet, as_of.as_deref(), inputs.day_first)?;
    let projected = fleet.forecast(index, day, days).map_err(|e| Failure::other(e.to_string()))?;
    let mut buf = Vec::new();
    let d = &fleet.drivers[index];
    match format {
        ForecastFormat::Csv => report::write_forecast_csv(d, &projected, &mut buf),
        ForecastFormat::Json => report::write_forecast_json(d, &projected, &mut buf),
    }
    .map_err(|e| Failure::other(e.to_string()))?;
    emit(out, &buf)
}

/// `[from, to]`: the first and last days (default: each driver's first day with a
/// standing, and the newest event day plus the lag).
pub(super) fn history(
    inputs: &Inputs,
    workspace: Option<&Path>,
    driver: Option<String>,
    [from, to]: [Option<String>; 2],
    format: HistoryFormat,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if format == HistoryFormat::Xlsx {
        needs_xlsx_out(&out)?;
    }
    let fleet = load_inputs(inputs, workspace, Detail::Standing)?.fleet;
    let to = pick_day(&fleet, to.as_deref(), inputs.day_first)?;
    let from = from.as_deref().map(|f| parse_day(f, inputs.day_first)).transpose()?;
    let drivers: Vec<usize> = match &driver {
        Some(id) => vec![fleet.driver_index(id).ok_or_else(|| Failure::input(format!("unknown driver '{id}'")))?],
        None => (0..fleet.drivers.len()).collect(),
    };
    let mut buf = Vec::new();
    match format {
        HistoryFormat::Csv => {
            crate::timings::phase("history rows", || report::write_history_csv(&fleet, &drivers, from, to, &mut buf))
        }
        HistoryFormat::Json => {
            let rows: Vec<Row> = drivers
                .iter()
                .flat_map(|&i| fleet.history(i, from, to).into_iter().map(move |s| (i, s)))
                .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
                .collect();
            report::write_json(&rows, &mut buf)
        }
        HistoryFormat::Xlsx => {
            let rows: Vec<Row> = drivers
                .iter()
                .flat_map(|&i| fleet.history(i, from, to).into_iter().map(move |s| (i, s)))
                .map(|(i, standing)| Row { driver: &fleet.drivers[i], standing })
                .collect();
            report::write_xlsx(&rows, &mut buf)
        }
    }
    .map_err(|e| Failure::other(e.to_string()))?;
    emit(out, &buf)
}

/// A spreadsheet is written to a file, never to the terminal.
fn needs_xlsx_out(out: &Option<PathBuf>) -> Result<(), Failure> {
    match out {
        Some(path) if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) => Ok(()),
        Some(path) => Err(Failure::input(format!("--format xlsx: {} should end in .xlsx", path.display()))),
        None => Err(Failure::input("--format xlsx writes a spreadsheet: give --out FILE.xlsx")),
    }
}
