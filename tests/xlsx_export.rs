//! `report --format xlsx` and `history --format xlsx` (docs/rules.md §10) read back with a
//! spreadsheet reader: the CSV's values, numbers as numbers, a name that looks like a
//! formula kept as text.

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

fn standwatch(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("standwatch").unwrap().args(args).output().unwrap()
}

/// The sheet `Standing` as rows of cells.
fn sheet(path: &Path) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    assert_eq!(book.sheet_names(), ["Standing"]);
    let range = book.worksheet_range("Standing").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// Each spreadsheet cell against the CSV's text of it.
fn assert_same(xlsx: &[Vec<Data>], csv: &str) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(xlsx.len(), records.len());
    for (r, (cells, record)) in xlsx.iter().zip(&records).enumerate() {
        for (c, text) in record.iter().enumerate() {
            let cell = cells.get(c).cloned().unwrap_or(Data::Empty);
            match cell {
                Data::Float(n) => {
                    let expected: f64 = text.parse().unwrap_or_else(|_| panic!("row {r} col {c}: {text} vs {n}"));
                    assert!((n - expected).abs() < 1e-9, "row {r} col {c}: {n} vs {text}");
                }
                Data::DateTime(d) => {
                    assert_eq!(d.as_datetime().unwrap().date().to_string(), text, "row {r} col {c}");
                }
                Data::String(s) => {
                    // The CSV neutralises a formula-looking cell with a leading quote; the
                    // spreadsheet keeps it as a text cell as it is.
                    let unquoted =
                        text.strip_prefix('\'').filter(|t| t.starts_with(['=', '+', '-', '@'])).unwrap_or(text);
                    assert_eq!(s, unquoted, "row {r} col {c}");
                }
                Data::Empty => assert_eq!(text, "", "row {r} col {c}"),
                other => panic!("row {r} col {c}: unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn the_spreadsheet_report_reads_back_to_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let sample = |f: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(f).display().to_string();
    // A roster whose first driver's name looks like a formula.
    let roster = std::fs::read_to_string(sample("roster.csv")).unwrap();
    let mut lines: Vec<String> = roster.lines().map(str::to_string).collect();
    let first: Vec<&str> = lines[1].split(',').collect();
    lines[1] = format!("{},=HYPERLINK(\"http://x\"),{}", first[0], first[2..].join(","));
    let roster_path = dir.path().join("roster.csv");
    std::fs::write(&roster_path, lines.join("\n") + "\n").unwrap();
    let (b, d, r) = (sample("blocks.csv"), sample("deliveries.csv"), roster_path.display().to_string());
    let inputs = ["--blocks", b.as_str(), "--deliveries", d.as_str(), "--roster", r.as_str()];

    let xlsx = dir.path().join("report.xlsx");
    let out = standwatch(&[&["report", "--format", "xlsx", "--out", xlsx.to_str().unwrap()][..], &inputs].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = standwatch(&[&["report", "--format", "csv"][..], &inputs].concat());
    let rows = sheet(&xlsx);
    assert_same(&rows, &String::from_utf8(csv.stdout).unwrap());
    assert_eq!(rows[1][1], Data::String("=HYPERLINK(\"http://x\")".into()), "text, not a formula");
    assert!(matches!(rows[1][5], Data::Float(_)), "rates are numbers");

    let history = dir.path().join("history.xlsx");
    let args = ["history", "--driver", "D00007", "--format", "xlsx", "--out", history.to_str().unwrap()];
    let out = standwatch(&[&args[..], &inputs].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = standwatch(&[&["history", "--driver", "D00007"][..], &inputs].concat());
    assert_same(&sheet(&history), &String::from_utf8(csv.stdout).unwrap());

    // A spreadsheet goes to a file.
    let out = standwatch(&[&["report", "--format", "xlsx"][..], &inputs].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --out FILE.xlsx"));
}
