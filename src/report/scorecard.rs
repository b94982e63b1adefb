//! `standwatch scorecard` (SPEC §7.4): one row per DA of a week, sorted by driver id, as
//! CSV (the columns below), JSON (the same fields, and which tiers were computed, which
//! metrics call for coaching and which are slipping), an aligned table or a workbook.

use super::{SafeCsv, XlsxCell, write_aligned, write_xlsx_sheet};
use crate::scorecard::metrics::{DspMetric, with_thousands};
use crate::scorecard::{DaWeek, Scorecards, Tiered};
use std::io::{self, Write};

pub const SCORECARD_COLUMNS: [&str; 21] = [
    "driver_id",
    "driver_name",
    "week",
    "overall_tier",
    "overall_score",
    "delivered",
    "dcr",
    "dcr_tier",
    "dnr_dpmo",
    "dnr_dpmo_tier",
    "pod",
    "pod_tier",
    "cc",
    "cc_tier",
    "cdf_dpmo",
    "cdf_dpmo_tier",
    "ced",
    "dsb_dpmo",
    "fico",
    "fico_tier",
    "alerts",
];

/// The metrics the CSV gives, each with or without its tier, in column order.
const SHOWN: [(DspMetric, bool); 8] = [
    (DspMetric::Dcr, true),
    (DspMetric::DnrDpmo, true),
    (DspMetric::Pod, true),
    (DspMetric::Cc, true),
    (DspMetric::CdfDpmo, true),
    (DspMetric::Ced, false),
    (DspMetric::DsbDpmo, false),
    (DspMetric::Fico, true),
];

/// A number as the file would hold it: whole numbers without decimals, others as short as
/// they read back the same.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

/// A metric's value: rates as fractions with six decimals, counts and DPMO whole.
fn value(metric: DspMetric, v: Option<f64>) -> String {
    use crate::scorecard::metrics::Form;
    match (v, metric.form()) {
        (None, _) => String::new(),
        (Some(v), Form::Percent) => format!("{v:.6}"),
        (Some(v), Form::Whole) => format!("{}", v.round() as i64),
        (Some(v), _) => number(v),
    }
}

fn tier(t: Option<Tiered>) -> String {
    t.map_or_else(String::new, |t| t.tier.label().to_string())
}

/// The CSV cells of a row, in [`SCORECARD_COLUMNS`]' order.
pub fn cells(cards: &Scorecards, row: &DaWeek) -> Vec<String> {
    let da = &cards.das[row.da];
    let mut out = vec![
        da.id.clone(),
        da.name.clone().unwrap_or_default(),
        row.week.label(),
        tier(row.overall),
        row.score.map_or_else(String::new, number),
        row.delivered.map_or_else(String::new, |n| format!("{}", n.round() as i64)),
    ];
    for (metric, with_tier) in SHOWN {
        out.push(value(metric, row.value(metric)));
        if with_tier {
            out.push(tier(row.tier(metric)));
        }
    }
    out.push(row.alerts.sorted_codes().join(";"));
    out
}

pub fn write_csv(cards: &Scorecards, rows: &[&DaWeek], out: impl Write) -> io::Result<()> {
    let mut w = SafeCsv::new(out);
    w.row(SCORECARD_COLUMNS)?;
    for row in rows {
        w.row(cells(cards, row))?;
    }
    w.finish()
}

/// The columns JSON gives as numbers.
const NUMBERS: [&str; 10] =
    ["overall_score", "delivered", "dcr", "dnr_dpmo", "pod", "cc", "cdf_dpmo", "ced", "dsb_dpmo", "fico"];

pub fn write_json(cards: &Scorecards, rows: &[&DaWeek], mut out: impl Write) -> io::Result<()> {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let cells = cells(cards, row);
            let mut object: serde_json::Map<String, serde_json::Value> = SCORECARD_COLUMNS
                .iter()
                .zip(&cells)
                .map(|(name, cell)| {
                    let value = match *name {
                        "alerts" => serde_json::json!(row.alerts.sorted_codes()),
                        _ if cell.is_empty() => serde_json::Value::Null,
                        _ if NUMBERS.contains(name) => {
                            cell.parse::<f64>().map_or_else(|_| serde_json::json!(cell), |n| serde_json::json!(n))
                        }
                        _ => serde_json::json!(cell),
                    };
                    (name.to_string(), value)
                })
                .collect();
            let computed: Vec<&str> = DspMetric::ALL
                .into_iter()
                .filter(|m| row.tier(*m).is_some_and(|t| t.computed))
                .map(DspMetric::tier_key)
                .chain(row.overall.filter(|t| t.computed).map(|_| "overall_tier"))
                .collect();
            object.insert("computed_tiers".into(), serde_json::json!(computed));
            object.insert("coach".into(), serde_json::json!(row.coach.iter().map(|m| m.key()).collect::<Vec<_>>()));
            object
                .insert("slipping".into(), serde_json::json!(row.slipping.iter().map(|m| m.key()).collect::<Vec<_>>()));
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::to_writer_pretty(&mut out, &values).map_err(io::Error::other)?;
    writeln!(out)
}

/// A metric in the table: its value and tier, `*` after a tier Standwatch computed.
fn shown(row: &DaWeek, metric: DspMetric) -> String {
    let Some(v) = row.value(metric) else { return String::new() };
    let shown = metric.show(v);
    match row.tier(metric) {
        Some(t) => format!("{shown} {}{}", t.tier.label(), if t.computed { "*" } else { "" }),
        None => shown,
    }
}

pub fn write_table(cards: &Scorecards, rows: &[&DaWeek], mut out: impl Write) -> io::Result<()> {
    let header =
        ["Driver", "Name", "Week", "Overall", "Delivered", "DCR", "DNR DPMO", "POD", "CC", "CDF DPMO", "Alerts"];
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let da = &cards.das[row.da];
            let overall = row
                .overall
                .map_or_else(String::new, |t| format!("{}{}", t.tier.label(), if t.computed { "*" } else { "" }));
            let mut cells = vec![
                da.id.clone(),
                da.name.clone().unwrap_or_default(),
                row.week.label(),
                overall,
                row.delivered.map_or_else(String::new, |n| with_thousands(n.round() as i64)),
            ];
            for metric in [DspMetric::Dcr, DspMetric::DnrDpmo, DspMetric::Pod, DspMetric::Cc, DspMetric::CdfDpmo] {
                cells.push(shown(row, metric));
            }
            cells.push(row.alerts.sorted_codes().join(" "));
            cells
        })
        .collect();
    write_aligned(&header, &table, &mut out)?;
    if rows.iter().any(|r| r.tiers.iter().flatten().chain(r.overall.iter()).any(|t| t.computed)) {
        writeln!(out, "* computed by Standwatch from the tier bounds (the file gives no tier)")?;
    }
    Ok(())
}

pub fn write_xlsx(cards: &Scorecards, rows: &[&DaWeek], out: &mut Vec<u8>) -> io::Result<()> {
    let kinds: Vec<XlsxCell> = SCORECARD_COLUMNS
        .iter()
        .map(|c| match *c {
            "dcr" | "pod" | "cc" => XlsxCell::Percent,
            c if NUMBERS.contains(&c) => XlsxCell::Number,
            _ => XlsxCell::Text,
        })
        .collect();
    let all: Vec<Vec<String>> = rows.iter().map(|r| cells(cards, r)).collect();
    let rows: Vec<&[String]> = all.iter().map(Vec::as_slice).collect();
    write_xlsx_sheet("Scorecard", &SCORECARD_COLUMNS, &kinds, &rows, &[(0, 16.0), (1, 22.0), (20, 30.0)], out)
}
