//! Workbooks as input (docs/rules.md §1.11): the sample data written into an Excel workbook
//! by a spreadsheet writer, with real date-times and numbers, gives the CSV report; bad
//! workbooks get one line and exit 2.

mod common;

use assert_cmd::Command;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

const KINDS: [&str; 5] = ["blocks", "deliveries", "roster", "outages", "concessions"];

/// Writes one CSV file as a sheet: date-times as spreadsheet date-times, whole numbers as
/// numbers, the rest as text; `title` adds a line above the header row.
fn write_sheet(workbook: &mut Workbook, name: &str, csv_path: &str, title: bool) {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).unwrap();
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(csv_path).unwrap();
    let offset = u32::from(title);
    if title {
        sheet.write_string(0, 0, "Weekly export").unwrap();
    }
    for (r, record) in reader.records().enumerate() {
        let row = r as u32 + offset;
        for (c, cell) in record.unwrap().iter().enumerate() {
            let col = c as u16;
            let is_stamp = cell.len() == 19 && cell.as_bytes()[4] == b'-' && cell.as_bytes()[13] == b':';
            let is_day = cell.len() == 10 && cell.as_bytes()[4] == b'-' && cell.as_bytes()[7] == b'-';
            if r > 0 && is_stamp {
                let when = ExcelDateTime::parse_from_str(cell).unwrap();
                sheet.write_datetime_with_format(row, col, &when, &stamp).unwrap();
            } else if r > 0 && is_day {
                let when = ExcelDateTime::parse_from_str(cell).unwrap();
                sheet.write_datetime_with_format(row, col, &when, &day).unwrap();
            } else if let (true, Ok(n)) = (r > 0, cell.parse::<i32>()) {
                sheet.write_number(row, col, f64::from(n)).unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(row, col, cell).unwrap();
            }
        }
    }
}

fn standwatch(args: &[String]) -> std::process::Output {
    Command::cargo_bin("standwatch").unwrap().args(args).output().unwrap()
}

fn report_args(inputs: &[(&str, String)]) -> Vec<String> {
    let mut args = vec!["report".to_string(), "--format".to_string(), "csv".to_string()];
    for (kind, path) in inputs {
        args.push(format!("--{kind}"));
        args.push(path.clone());
    }
    args
}

#[test]
fn a_workbook_of_the_sample_data_gives_the_csv_report() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("fleet.xlsx");
    let mut workbook = Workbook::new();
    for (i, kind) in KINDS.iter().enumerate() {
        write_sheet(&mut workbook, &format!("{kind} sheet"), &common::sample(&format!("{kind}.csv")), i == 1);
    }
    workbook.save(&book).unwrap();
    let book = book.display().to_string();

    let from_csv = standwatch(&report_args(&KINDS.map(|k| (k, common::sample(&format!("{k}.csv"))))));
    let from_book = standwatch(&report_args(&KINDS.map(|k| (k, book.clone()))));
    assert!(from_csv.status.success() && from_book.status.success(), "{}", String::from_utf8_lossy(&from_book.stderr));
    assert!(from_csv.stdout.len() > 1000);
    assert_eq!(String::from_utf8_lossy(&from_book.stdout), String::from_utf8_lossy(&from_csv.stdout));
    // The import names the sheets it read.
    let stderr = String::from_utf8_lossy(&from_book.stderr);
    assert!(stderr.contains("fleet.xlsx [deliveries sheet]"), "{stderr}");
}

#[test]
fn a_bad_row_is_named_by_sheet_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Packages").unwrap();
    let rows = [
        ["tracking_id", "driver_id", "deliver_by", "outcome"],
        ["T1", "D1", "2026-03-02 12:00", "delivered"],
        ["T2", "D1", "soon", "delivered"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // The header on the sheet's third row: row numbers are the sheet's own.
            sheet.write_string(r as u32 + 2, c as u16, *cell).unwrap();
        }
    }
    workbook.save(&path).unwrap();
    let blocks = dir.path().join("b.csv");
    std::fs::write(&blocks, "driver_id,block_id,block_start\nD1,B1,2026-03-02 07:00\n").unwrap();
    let out = standwatch(&report_args(&[
        ("blocks", blocks.display().to_string()),
        ("deliveries", path.display().to_string()),
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("d.xlsx [Packages]:5: column 'deliver_by'"), "{stderr}");
}

/// Runs a report whose deliveries are `bytes` in a file named `name`: exit 2 and one line.
fn refused(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = standwatch(&report_args(&[("blocks", common::sample("blocks.csv")), ("deliveries", path_text(&path))]));
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    // Besides the progress line ("standwatch: reading …"), exactly one line: the error.
    let errors: Vec<&str> = stderr.lines().filter(|line| !line.starts_with("standwatch: reading ")).collect();
    assert_eq!(errors.len(), 1, "{name}: {stderr}");
    assert!(stderr.contains(name), "{stderr}");
    stderr
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn bad_workbooks_get_one_line_and_exit_2() {
    let corrupt = refused("corrupt.xlsx", b"PK\x03\x04 this zip was cut short");
    assert!(corrupt.contains("cannot read the workbook"), "{corrupt}");
    let protected = refused("locked.xlsx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an OLE container");
    assert!(protected.contains("protected by a password"), "{protected}");

    // A workbook with an empty sheet and a chart sheet only.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("charts.xlsx");
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("Empty").unwrap();
    let chart_sheet = workbook.add_chartsheet();
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
    chart.add_series().set_values("Empty!$A$1:$A$2");
    chart_sheet.insert_chart(0, 0, &chart).unwrap();
    workbook.save(&path).unwrap();
    let charts = refused("charts.xlsx", &std::fs::read(&path).unwrap());
    assert!(charts.contains("no sheet of the workbook is a deliveries export"), "{charts}");
    assert!(charts.contains("Empty: empty") && charts.contains("a chart"), "{charts}");
}

/// A real workbook cut short or with bytes changed anywhere: read or refused, never a
/// panic (the fuzz target `import_workbook` runs the same entry point on any bytes).
#[test]
fn damaged_workbooks_never_panic() {
    let mut workbook = Workbook::new();
    write_sheet(&mut workbook, "Deliveries", &common::sample("deliveries.csv"), false);
    let bytes = workbook.save_to_buffer().unwrap();
    // The first byte of a fuzz input picks the kind (1: deliveries) and the format (.xlsx).
    let whole = [&[1u8][..], &bytes].concat();
    assert!(standwatch::fuzzing::workbook_bytes(&whole).is_some_and(|rows| rows > 100));
    let step = bytes.len() / 60;
    for cut in (0..bytes.len()).step_by(step.max(1)) {
        let _ = standwatch::fuzzing::workbook_bytes(&whole[..=cut]);
        let mut changed = whole.clone();
        changed[cut + 1] ^= 0x5A;
        let _ = standwatch::fuzzing::workbook_bytes(&changed);
    }
}

/// Hand-made workbooks (tests/fixtures/workbooks/make.py writes their XML without a
/// spreadsheet library): an Excel and an OpenDocument copy of the `canonical` fixture.
#[test]
fn hand_made_xlsx_and_ods_give_the_csv_report() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let canonical = |kind: &str| path_text(&fixtures.join(format!("canonical/{kind}.csv")));
    let from_csv =
        standwatch(&report_args(&[("blocks", canonical("blocks")), ("deliveries", canonical("deliveries"))]));
    assert!(from_csv.status.success());
    for book in ["canonical.xlsx", "canonical.ods"] {
        let book = path_text(&fixtures.join("workbooks").join(book));
        let out = standwatch(&report_args(&[("blocks", book.clone()), ("deliveries", book.clone())]));
        assert!(out.status.success(), "{book}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&from_csv.stdout), "{book}");
    }
}
