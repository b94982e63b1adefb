//! docs/rules.md §10 output: the report/history rows as CSV, JSON or an aligned table;
//! [`scorecard`] the same for DSP mode's weekly scorecards.

pub mod scorecard;

use crate::import::time::{Day, date_from_day};
use crate::standing::alerts::{Alert, Alerts};
use crate::standing::forecast::{Forecast, ProjectedDay};
use crate::standing::rules::{Tier, tier_label};
use crate::standing::{Driver, Fleet, Standing};
use std::io::{self, Write};

/// A column of a driver's standing, in the report's order (docs/rules.md §10). The
/// report (CSV, JSON, table, workbook), the fleet table on screen and its export all
/// take their columns from here; each formats a [`Value`] its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    DriverId,
    DriverName,
    AsOf,
    OverallTier,
    ReliabilityTier,
    ReliabilityRate,
    ReliabilityBlocks,
    QualityTier,
    AttemptedRate,
    SuccessRate,
    OnTimeRate,
    DnrCount,
    QualityPackages,
    ReliabilityHeadroom,
    QualityHeadroom,
    BlocksToNextTier,
    PackagesToNextTier,
    Alerts,
    DnrHeadroom,
}

impl Field {
    /// Every column, in the report's order (new columns go at the end).
    pub const ALL: [Field; 19] = [
        Field::DriverId,
        Field::DriverName,
        Field::AsOf,
        Field::OverallTier,
        Field::ReliabilityTier,
        Field::ReliabilityRate,
        Field::ReliabilityBlocks,
        Field::QualityTier,
        Field::AttemptedRate,
        Field::SuccessRate,
        Field::OnTimeRate,
        Field::DnrCount,
        Field::QualityPackages,
        Field::ReliabilityHeadroom,
        Field::QualityHeadroom,
        Field::BlocksToNextTier,
        Field::PackagesToNextTier,
        Field::Alerts,
        Field::DnrHeadroom,
    ];

    /// The report's column name.
    pub const fn name(self) -> &'static str {
        match self {
            Field::DriverId => "driver_id",
            Field::DriverName => "driver_name",
            Field::AsOf => "as_of",
            Field::OverallTier => "overall_tier",
            Field::ReliabilityTier => "reliability_tier",
            Field::ReliabilityRate => "reliability_rate",
            Field::ReliabilityBlocks => "reliability_blocks",
            Field::QualityTier => "quality_tier",
            Field::AttemptedRate => "attempted_rate",
            Field::SuccessRate => "success_rate",
            Field::OnTimeRate => "on_time_rate",
            Field::DnrCount => "dnr_count",
            Field::QualityPackages => "quality_packages",
            Field::ReliabilityHeadroom => "reliability_headroom",
            Field::QualityHeadroom => "quality_headroom",
            Field::BlocksToNextTier => "blocks_to_next_tier",
            Field::PackagesToNextTier => "packages_to_next_tier",
            Field::Alerts => "alerts",
            Field::DnrHeadroom => "dnr_headroom",
        }
    }

    /// The column's value for a driver's standing on a day.
    pub fn value<'a>(self, driver: &'a Driver, s: &Standing) -> Value<'a> {
        let q = s.quality.rates();
        match self {
            Field::DriverId => Value::Text(&driver.id),
            Field::DriverName => Value::Name(driver.name.as_deref()),
            Field::AsOf => Value::Day(s.as_of),
            Field::OverallTier => Value::Tier(s.overall),
            Field::ReliabilityTier => Value::Tier(s.reliability_tier),
            Field::ReliabilityRate => Value::Rate(s.reliability.rate()),
            Field::ReliabilityBlocks => Value::Count(Some(s.reliability.blocks)),
            Field::QualityTier => Value::Tier(s.quality_tier),
            Field::AttemptedRate => Value::Rate(q.map(|r| r.attempted)),
            Field::SuccessRate => Value::Rate(q.map(|r| r.success)),
            Field::OnTimeRate => Value::Rate(q.map(|r| r.on_time)),
            Field::DnrCount => Value::Count((s.quality.packages > 0).then_some(s.quality.dnr)),
            Field::QualityPackages => Value::Count(Some(s.quality.packages)),
            Field::ReliabilityHeadroom => Value::Count(s.reliability_headroom),
            Field::QualityHeadroom => Value::Count(s.quality_headroom),
            Field::BlocksToNextTier => Value::Count(s.blocks_to_next_tier),
            Field::PackagesToNextTier => Value::Count(s.packages_to_next_tier),
            Field::Alerts => Value::Alerts(s.alerts),
            Field::DnrHeadroom => Value::Count(s.dnr_headroom),
        }
    }
}

/// The report's column names, in order.
pub const COLUMNS: [&str; Field::ALL.len()] = {
    let mut names = [""; Field::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Field::ALL[i].name();
        i += 1;
    }
    names
};

/// A cell's value before it is written: the report writes rates with six decimals and
/// alerts as codes, the screen in percent and in words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    /// A name that may be unknown (`null` in JSON, an empty cell elsewhere).
    Name(Option<&'a str>),
    Day(Day),
    Tier(Option<Tier>),
    Rate(Option<f64>),
    Count(Option<u32>),
    Alerts(Alerts),
}

impl Value<'_> {
    /// The cell as the report's CSV, table and workbook write it.
    pub fn report_text(&self) -> String {
        match *self {
            Value::Text(t) => t.to_string(),
            Value::Name(n) => n.unwrap_or_default().to_string(),
            Value::Day(d) => day_text(d),
            Value::Tier(t) => tier_label(t).to_string(),
            Value::Rate(r) => rate(r),
            Value::Count(n) => count(n),
            Value::Alerts(a) => a.sorted_codes().join(";"),
        }
    }

    /// The cell as the fleet table shows it: rates in percent, alerts in words.
    pub fn screen_text(&self) -> String {
        match *self {
            Value::Rate(r) => r.map_or_else(String::new, |r| format!("{:.1}%", r * 100.0)),
            Value::Alerts(a) => a.iter().map(Alert::words).collect::<Vec<_>>().join(", "),
            _ => self.report_text(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match *self {
            Value::Text(t) => t.into(),
            Value::Name(n) => n.into(),
            Value::Day(d) => day_text(d).into(),
            Value::Tier(t) => tier_label(t).into(),
            Value::Rate(r) => r.into(),
            Value::Count(n) => n.into(),
            Value::Alerts(a) => a.sorted_codes().into(),
        }
    }
}

/// A report row's cells, one per column of [`COLUMNS`].
pub type Cells = [String; COLUMNS.len()];

/// One output row: a driver's standing on one day.
pub struct Row<'a> {
    pub driver: &'a Driver,
    pub standing: Standing,
}

pub fn day_text(day: Day) -> String {
    date_from_day(day).format("%Y-%m-%d").to_string()
}

fn rate(r: Option<f64>) -> String {
    r.map_or_else(String::new, |r| format!("{r:.6}"))
}

fn count(n: Option<u32>) -> String {
    n.map_or_else(String::new, |n| n.to_string())
}

impl Row<'_> {
    /// The cells of docs/rules.md §10, as text, in column order.
    pub fn cells(&self) -> Cells {
        Field::ALL.map(|f| f.value(self.driver, &self.standing).report_text())
    }

    fn json(&self) -> serde_json::Value {
        let fields = Field::ALL.iter().map(|f| (f.name().to_string(), f.value(self.driver, &self.standing).json()));
        serde_json::Value::Object(fields.collect())
    }
}

/// A cell a spreadsheet would run as a formula gets a leading `'`, unless it is a number.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell.trim()) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A decimal number such as `-0.5`, `+3` or `1e-6` (not `inf` or `nan`, which Rust would
/// parse but a spreadsheet would read as a name).
fn is_plain_number(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.parse::<f64>().is_ok()
}

/// A CSV writer whose every cell is neutralised.
pub struct SafeCsv<W: Write>(csv::Writer<W>);

impl<W: Write> SafeCsv<W> {
    pub fn new(out: W) -> Self {
        SafeCsv(csv::Writer::from_writer(out))
    }

    pub fn row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for cell in cells {
            self.0.write_field(neutralise(cell.as_ref()).as_bytes()).map_err(io::Error::other)?;
        }
        self.0.write_record(std::iter::empty::<&[u8]>()).map_err(io::Error::other)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.0.flush()
    }
}

pub fn write_csv(rows: &[Row], out: impl Write) -> io::Result<()> {
    let mut w = SafeCsv::new(out);
    w.row(COLUMNS)?;
    for row in rows {
        w.row(row.cells())?;
    }
    w.finish()
}

/// The daily history of `drivers` from `from` to `to` as CSV, the same bytes as
/// [`write_csv`] over [`Fleet::history`] rows. Hundreds of thousands of rows: each core
/// computes and writes the history of its share of the drivers.
pub fn write_history_csv(
    fleet: &Fleet,
    drivers: &[usize],
    from: Option<Day>,
    to: Day,
    mut out: impl Write,
) -> io::Result<()> {
    let lines = |part: &[usize]| -> io::Result<Vec<u8>> {
        let mut w = SafeCsv::new(Vec::new());
        for &i in part {
            for standing in fleet.history(i, from, to) {
                w.row(Row { driver: &fleet.drivers[i], standing }.cells())?;
            }
        }
        w.0.into_inner().map_err(|e| io::Error::other(e.to_string()))
    };
    let part_len = drivers.len().div_ceil(crate::parallel::cores()).max(1);
    let parts = crate::parallel::map_on_threads(drivers.chunks(part_len).collect(), lines, || {
        Err(io::Error::other("a worker thread failed"))
    });
    let mut header = SafeCsv::new(&mut out);
    header.row(COLUMNS)?;
    header.finish()?;
    for part in parts {
        out.write_all(&part?)?;
    }
    out.flush()
}

/// The most data rows a worksheet holds (Excel's limit, less the header).
pub const XLSX_MAX_ROWS: usize = 1_048_575;

/// The report's rows as a workbook (docs/rules.md §10): one sheet `Standing`, the report's
/// columns in order; rates as numbers shown as percentages, counts as numbers, the day as
/// a date; every text cell a text cell (a name that looks like a formula stays text);
/// the header frozen and filtered.
pub fn write_xlsx(rows: &[Row], out: &mut Vec<u8>) -> io::Result<()> {
    let cells: Vec<Cells> = rows.iter().map(Row::cells).collect();
    write_xlsx_cells(&cells, out)
}

/// [`write_xlsx`] from the rows' cells ([`Row::cells`]).
pub fn write_xlsx_cells(rows: &[Cells], out: &mut Vec<u8>) -> io::Result<()> {
    const RATES: [usize; 4] = [5, 8, 9, 10];
    const COUNTS: [usize; 8] = [6, 11, 12, 13, 14, 15, 16, 18];
    let kinds: Vec<XlsxCell> = (0..COLUMNS.len())
        .map(|c| match c {
            2 => XlsxCell::Date,
            c if RATES.contains(&c) => XlsxCell::Percent,
            c if COUNTS.contains(&c) => XlsxCell::Number,
            _ => XlsxCell::Text,
        })
        .collect();
    let rows: Vec<&[String]> = rows.iter().map(|r| r.as_slice()).collect();
    write_xlsx_sheet("Standing", &COLUMNS, &kinds, &rows, &[(0, 10.0), (1, 22.0), (2, 11.0), (17, 40.0)], out)
}

/// How a column's cells are written to a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XlsxCell {
    /// A text cell, whatever it holds (a name like `=HYPERLINK(…)` stays text).
    Text,
    /// A `YYYY-MM-DD` day as a date.
    Date,
    /// A fraction as a number shown as a percentage.
    Percent,
    Number,
}

/// One sheet of `columns` with a bold header, frozen and filtered; each column's cells as
/// `kinds` says (a cell that does not read as its number is written as text); `widths`
/// of some columns.
pub fn write_xlsx_sheet(
    name: &str,
    columns: &[&str],
    kinds: &[XlsxCell],
    rows: &[&[String]],
    widths: &[(u16, f64)],
    out: &mut Vec<u8>,
) -> io::Result<()> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    if rows.len() > XLSX_MAX_ROWS {
        return Err(io::Error::other(format!(
            "{} rows do not fit in a spreadsheet (at most {XLSX_MAX_ROWS}): choose a driver or fewer days",
            rows.len()
        )));
    }
    let failed = |e: rust_xlsxwriter::XlsxError| io::Error::other(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).map_err(failed)?;
    let header = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &header).map_err(failed)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            if cell.is_empty() {
                continue;
            }
            let kind = kinds.get(c).copied().unwrap_or(XlsxCell::Text);
            let number = cell.parse::<f64>().ok().filter(|_| matches!(kind, XlsxCell::Percent | XlsxCell::Number));
            match (kind, number) {
                (XlsxCell::Date, _) => {
                    let day = ExcelDateTime::parse_from_str(cell).map_err(failed)?;
                    sheet.write_datetime_with_format(at, col, &day, &date).map_err(failed)?;
                }
                (XlsxCell::Percent, Some(n)) => {
                    sheet.write_number_with_format(at, col, n, &percent).map_err(failed)?;
                }
                (_, Some(n)) => {
                    sheet.write_number(at, col, n).map_err(failed)?;
                }
                _ => {
                    sheet.write_string(at, col, cell).map_err(failed)?;
                }
            };
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    sheet.autofilter(0, 0, rows.len() as u32, (columns.len() - 1) as u16).map_err(failed)?;
    for &(c, width) in widths {
        sheet.set_column_width(c, width).map_err(failed)?;
    }
    out.extend(workbook.save_to_buffer().map_err(failed)?);
    Ok(())
}

/// Why an export was not written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct ExportError {
    pub path: std::path::PathBuf,
    pub source: io::Error,
}

/// Writes report rows ([`Row::cells`], in the order given) to `path`: a workbook when it
/// ends in `.xlsx`, else CSV with a UTF-8 byte-order mark (so that Excel reads "José" right).
pub fn export_table(path: &std::path::Path, rows: &[Cells]) -> Result<(), ExportError> {
    write_export(path, rows).map_err(|source| ExportError { path: path.to_path_buf(), source })
}

fn write_export(path: &std::path::Path, rows: &[Cells]) -> io::Result<()> {
    let mut bytes = Vec::new();
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        write_xlsx_cells(rows, &mut bytes)?;
    } else {
        bytes.extend_from_slice("\u{feff}".as_bytes());
        let mut w = SafeCsv::new(&mut bytes);
        w.row(COLUMNS)?;
        for row in rows {
            w.row(row)?;
        }
        w.finish()?;
    }
    crate::fsutil::write_atomic(path, &bytes)
}

/// The columns of `forecast --format csv` (docs/rules.md §10).
pub const FORECAST_COLUMNS: [&str; 11] = [
    "driver_id",
    "day",
    "reliability_rate",
    "reliability_tier",
    "attempted_rate",
    "success_rate",
    "on_time_rate",
    "dnr_count",
    "quality_tier",
    "overall_tier",
    "leaving",
];

fn forecast_cells(driver: &Driver, p: &ProjectedDay) -> [String; 11] {
    let q = p.quality.rates();
    [
        driver.id.clone(),
        day_text(p.day),
        rate(p.reliability.rate()),
        tier_label(p.reliability_tier).to_string(),
        rate(q.map(|r| r.attempted)),
        rate(q.map(|r| r.success)),
        rate(q.map(|r| r.on_time)),
        count((p.quality.packages > 0).then_some(p.quality.dnr)),
        tier_label(p.quality_tier).to_string(),
        tier_label(p.overall).to_string(),
        p.leaving.join(";"),
    ]
}

/// A driver's forecast, one row per projected day.
pub fn write_forecast_csv(driver: &Driver, forecast: &Forecast, out: impl Write) -> io::Result<()> {
    let mut w = SafeCsv::new(out);
    w.row(FORECAST_COLUMNS)?;
    for day in &forecast.days {
        w.row(forecast_cells(driver, day))?;
    }
    w.finish()
}

/// The same as JSON: the projected days (the CSV's columns, `leaving` as a list), the
/// pace, the defects that leave and the first change of each tier.
pub fn write_forecast_json(driver: &Driver, forecast: &Forecast, mut out: impl Write) -> io::Result<()> {
    let days: Vec<serde_json::Value> = forecast
        .days
        .iter()
        .map(|p| {
            let cells = forecast_cells(driver, p);
            let mut object = serde_json::Map::new();
            for (name, cell) in FORECAST_COLUMNS.iter().zip(cells).take(10) {
                object.insert(name.to_string(), serde_json::Value::String(cell));
            }
            object.insert("leaving".into(), serde_json::json!(p.leaving));
            serde_json::Value::Object(object)
        })
        .collect();
    let value = serde_json::json!({
        "driver_id": driver.id,
        "as_of": day_text(forecast.as_of),
        "blocks_per_28_days": forecast.blocks_per_28_days,
        "packages_per_28_days": forecast.packages_per_28_days,
        "leaving": forecast.leaving.iter().map(|l| serde_json::json!({
            "id": l.id, "what": l.what, "day": day_text(l.day),
        })).collect::<Vec<_>>(),
        "changes": forecast.changes.iter().map(|c| serde_json::json!({
            "component": c.component.name(),
            "day": day_text(c.day),
            "from": tier_label(c.from),
            "to": tier_label(c.to),
        })).collect::<Vec<_>>(),
        "days": days,
    });
    serde_json::to_writer_pretty(&mut out, &value).map_err(io::Error::other)?;
    writeln!(out)
}

pub fn write_json(rows: &[Row], mut out: impl Write) -> io::Result<()> {
    let values: Vec<serde_json::Value> = rows.iter().map(Row::json).collect();
    serde_json::to_writer_pretty(&mut out, &values).map_err(io::Error::other)?;
    writeln!(out)
}

/// A table for people: the columns that matter at a glance, aligned.
pub fn write_table(rows: &[Row], out: impl Write) -> io::Result<()> {
    let header = [
        "Driver",
        "Name",
        "As of",
        "Overall",
        "Reliability",
        "Quality",
        "Attempted",
        "Success",
        "On time",
        "DNR",
        "Headroom",
        "To next tier",
        "Alerts",
    ];
    let pct = |r: Option<f64>| r.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0));
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let s = &row.standing;
            let q = s.quality.rates();
            let counts = |parts: &[(Option<u32>, &str)]| {
                let said: Vec<String> =
                    parts.iter().filter_map(|(n, unit)| Some(format!("{} {unit}", (*n)?))).collect();
                if said.is_empty() { "—".to_string() } else { said.join(", ") }
            };
            vec![
                row.driver.id.clone(),
                row.driver.name.clone().unwrap_or_default(),
                day_text(s.as_of),
                tier_label(s.overall).to_string(),
                format!("{} {}", tier_label(s.reliability_tier), pct(s.reliability.rate())),
                tier_label(s.quality_tier).to_string(),
                pct(q.map(|r| r.attempted)),
                pct(q.map(|r| r.success)),
                pct(q.map(|r| r.on_time)),
                if s.quality.packages > 0 { s.quality.dnr.to_string() } else { "—".to_string() },
                counts(&[(s.reliability_headroom, "blk"), (s.quality_headroom, "pkg"), (s.dnr_headroom, "DNR")]),
                counts(&[(s.blocks_to_next_tier, "blk"), (s.packages_to_next_tier, "pkg")]),
                s.alerts.sorted_codes().join(" "),
            ]
        })
        .collect();
    write_aligned(&header, &table, out)
}

/// A table for people: columns padded to their widest cell, a rule under the header.
pub fn write_aligned(header: &[&str], table: &[Vec<String>], mut out: impl Write) -> io::Result<()> {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            table.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).chain([header[i].len()]).max().unwrap_or(0)
        })
        .collect();
    // Control characters from a hostile export (escape sequences, line breaks) are not
    // written to the terminal.
    let visible = |c: &str| c.chars().map(|ch| if ch.is_control() { ' ' } else { ch }).collect::<String>();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{:<w$}", visible(c))).collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>()))?;
    writeln!(out, "{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "))?;
    for r in table {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One column table: the report writes six decimals and codes, the screen percent and
    /// words, JSON numbers and nulls; the names are the report's, in order, each once.
    #[test]
    fn each_value_is_written_for_the_report_the_screen_and_json() {
        assert_eq!((COLUMNS[0], COLUMNS[17], COLUMNS[18]), ("driver_id", "alerts", "dnr_headroom"));
        let names: std::collections::HashSet<_> = COLUMNS.iter().collect();
        assert_eq!(names.len(), COLUMNS.len());
        let rate = Value::Rate(Some(0.98765));
        assert_eq!((rate.report_text(), rate.screen_text()), ("0.987650".to_string(), "98.8%".to_string()));
        assert_eq!((Value::Rate(None).report_text(), Value::Rate(None).screen_text()), (String::new(), String::new()));
        assert_eq!(
            (Value::Count(None).report_text(), Value::Count(Some(3)).screen_text()),
            (String::new(), "3".into())
        );
        let mut alerts = Alerts::default();
        alerts.set(Alert::Disputable, true);
        alerts.set(Alert::AtRisk, true);
        assert_eq!(Value::Alerts(alerts).report_text(), "AT_RISK;DISPUTABLE");
        assert_eq!(
            Value::Alerts(alerts).screen_text(),
            format!("{}, {}", Alert::AtRisk.words(), Alert::Disputable.words())
        );
        assert_eq!(Value::Name(None).json(), serde_json::Value::Null);
        assert_eq!(
            (Value::Name(None).report_text(), Value::Tier(None).screen_text()),
            (String::new(), "No standing".into())
        );
        assert_eq!(Value::Count(Some(7)).json(), serde_json::json!(7));
        assert_eq!(Value::Alerts(alerts).json(), serde_json::json!(["AT_RISK", "DISPUTABLE"]));
    }

    #[test]
    fn an_exported_csv_has_a_byte_order_mark_and_a_workbook_is_a_zip() {
        let dir = tempfile::tempdir().unwrap();
        let mut row: Cells = Default::default();
        row[0] = "D1".into();
        row[1] = "José Núñez".into();
        row[2] = "2026-03-03".into();
        row[5] = "0.950000".into();
        let csv = dir.path().join("fleet.csv");
        export_table(&csv, std::slice::from_ref(&row)).unwrap();
        let bytes = std::fs::read(&csv).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(
            text.starts_with("driver_id,driver_name,as_of,") && text.contains("D1,José Núñez,2026-03-03"),
            "{text}"
        );
        let xlsx = dir.path().join("fleet.xlsx");
        export_table(&xlsx, &[row]).unwrap();
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"));
    }

    #[test]
    fn formulas_are_neutralised_but_numbers_kept() {
        assert_eq!(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("+1-555"), "'+1-555");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("-0.5"), "-0.5");
        assert_eq!(neutralise("+3"), "+3");
        assert_eq!(neutralise("Ana"), "Ana");
        assert_eq!(neutralise("-inf"), "'-inf");
        assert_eq!(neutralise("+NaN"), "'+NaN");
        assert_eq!(neutralise("-1e-6"), "-1e-6");
        assert_eq!(neutralise("\r=1+1"), "'\r=1+1");
    }
}
