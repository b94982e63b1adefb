//! Amazon's own reports as a DSP downloads them (docs/rules.md §1.10, §1.14): the package
//! exceptions report in both header generations (CSV and workbook), the concessions report
//! in both generations and in French, observed tiers in Amazon's words, and the grounds
//! they bring (STATION_MISSING, ORDER_CANCELLED, ADDRESS_CLUSTER) in the report and the
//! letters; and the weekly scorecard of DSP mode ([`scorecards`]). The files are built from
//! the header sets and values of SPEC §2.7 and §7.

#[path = "../common/mod.rs"]
mod common;
mod scorecards;

use assert_cmd::Command;
use mail_parser::MimeHeaders;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon").join(name).display().to_string()
}

/// `--blocks`, `--deliveries` of the fixture fleet and each `--exceptions` file.
fn inputs(exceptions: &[&str]) -> Vec<String> {
    let mut args = vec!["--blocks".into(), fixture("blocks.csv"), "--deliveries".into(), fixture("deliveries.csv")];
    for e in exceptions {
        args.extend(["--exceptions".to_string(), e.to_string()]);
    }
    args
}

/// Runs standwatch; returns (exit status, stdout, stderr).
fn run(args: &[String]) -> (i32, String, String) {
    let out = Command::cargo_bin("standwatch").unwrap().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `report --format csv` as rows by driver id.
fn report(inputs: &[String]) -> (HashMap<String, HashMap<String, String>>, String) {
    let mut args = vec!["report".to_string(), "--format".into(), "csv".into(), "--as-of".into(), "2026-03-10".into()];
    args.extend_from_slice(inputs);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: HashMap<String, String> =
                headers.iter().zip(r.iter()).map(|(h, c)| (h.into(), c.into())).collect();
            (row["driver_id"].clone(), row)
        })
        .collect();
    (rows, err)
}

#[test]
fn the_first_generation_opens_with_its_counts_rejections_and_names() {
    let (rows, err) = report(&inputs(&[&fixture("exceptions-2024.csv")]));
    let file = fixture("exceptions-2024.csv");
    assert!(err.contains(&format!("imported {file}: 18 rows read, 13 accepted, 0 duplicate, 5 rejected")), "{err}");
    for line in 15..=18 {
        assert!(err.contains(&format!("rejected: {file}:{line}: column 'Transporter Id':")), "{line}: {err}");
    }
    assert!(
        err.contains(&format!("rejected: {file}:19: column 'Package Status': unknown package status 'Lost'")),
        "{err}"
    );
    assert!(err.contains(&format!("{file}: 8 package(s) of the deliveries updated")), "{err}");
    assert!(
        err.contains(&format!("{file}:8: package TBA100000007 (driver D1) is not in the deliveries: added")),
        "{err}"
    );
    // No driver named "unassigned"; D1's name comes from the report.
    assert!(!rows.contains_key("unassigned") && !rows.contains_key("-"), "{:?}", rows.keys());
    assert_eq!(rows["D1"]["driver_name"], "Dana Smith");
    // D1: 6 packages and 5 added; one delivered (TBA100000006): the report says TBA100000001
    // and TBA100000002 were not, and TBA100000004 was missing.
    assert_eq!(rows["D1"]["quality_packages"], "11");
    assert_eq!(rows["D1"]["success_rate"], format!("{:.6}", 1.0 / 11.0));
    // Returned to station is never UNRETURNED, nor a package the driver never had; but
    // Reattemptable, Undeliverable and Missing packages with no return are.
    assert!(rows["D1"]["alerts"].contains("UNRETURNED"));
    assert!(rows["D1"]["alerts"].contains("DISPUTABLE"));
    assert_eq!(rows["D1"]["dnr_headroom"], "");
}

#[test]
fn a_returned_package_and_a_package_never_picked_up_are_not_unreturned() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rts.csv");
    std::fs::write(
        &file,
        "Scannable Id,Transporter Id,Package Status,Time of last scan\n\
         TBA100000003,D1,Returned to station,2026-03-02 10:00\n\
         TBA100000005,D1,Returned to station,2026-03-02 12:00\n\
         TBA100000007,D1,Pickup failed,2026-03-02 07:05\n",
    )
    .unwrap();
    let (without, _) = report(&inputs(&[]));
    assert!(without["D1"]["alerts"].contains("UNRETURNED"), "TBA100000003 and TBA100000005: {:?}", without["D1"]);
    let (with, err) = report(&inputs(&[&file.display().to_string()]));
    assert!(!with["D1"]["alerts"].contains("UNRETURNED"), "{:?}\n{err}", with["D1"]);
}

#[test]
fn the_rts_report_counts_only_what_amazon_counts() {
    let (without, _) = report(&inputs(&[]));
    let (rows, err) = report(&inputs(&[&fixture("rts-2025.csv")]));
    let file = fixture("rts-2025.csv");
    assert!(err.contains(&format!("imported {file}: 5 rows read, 5 accepted, 0 duplicate, 0 rejected")), "{err}");
    assert!(
        err.contains(&format!(
            "{file}:3: package TBA300000002 (driver D3) does not count (Impact DCR no, or exempted): left out of the standing"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{file}:4: package TBA300000003 (driver D3)")), "{err}");
    assert_eq!(without["D3"]["quality_packages"], "3");
    // Two left out, two added.
    assert_eq!(rows["D3"]["quality_packages"], "3");
    assert_eq!(rows["D3"]["driver_name"], "Cleo Park");
    // TBA300000001 was delivered with a claim; the RTS report says it came back.
    assert_eq!(rows["D3"]["success_rate"], "0.000000");
}

#[test]
fn several_reports_and_a_workbook_of_them_read_alike() {
    let both = inputs(&[&fixture("exceptions-2024.csv"), &fixture("rts-2025.csv")]);
    let (csv_rows, _) = report(&both);
    assert_eq!(csv_rows["D1"]["quality_packages"], "11");
    assert_eq!(csv_rows["D3"]["quality_packages"], "3");
    // The same reports as sheets of one workbook, the RTS report second, with numbers and
    // date-times typed as a spreadsheet types them.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("amazon.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, file) in [("Exceptions", "exceptions-2024.csv"), ("RTS", "rts-2025.csv")] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        let stamp = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(fixture(file)).unwrap();
        for (r, record) in reader.records().enumerate() {
            for (c, cell) in record.unwrap().iter().enumerate() {
                let (row, col) = (r as u32, c as u16);
                match rust_xlsxwriter::ExcelDateTime::parse_from_str(cell) {
                    Ok(when) if r > 0 && cell.len() == 16 => {
                        sheet.write_datetime_with_format(row, col, &when, &stamp).unwrap();
                    }
                    _ if !cell.is_empty() => {
                        sheet.write_string(row, col, cell).unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    workbook.save(&book).unwrap();
    let (book_rows, err) = report(&inputs(&[&book.display().to_string()]));
    assert_eq!(book_rows, csv_rows, "{err}");
    assert!(err.contains("amazon.xlsx [Exceptions, RTS]: 23 rows read, 18 accepted"), "{err}");
    assert!(err.contains("amazon.xlsx [Exceptions]:15: column 'Transporter Id'"), "{err}");
}

/// The letter of a driver from `disputes`, its body and evidence CSV.
fn letter(dir: &Path, driver: &str) -> (String, String) {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{driver}-dispute")))
        .unwrap();
    let raw = std::fs::read(&path).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let body = message.body_text(0).unwrap().into_owned();
    let csv = message
        .attachments()
        .find(|a| a.attachment_name().is_some_and(|n| n.ends_with(".csv")))
        .map(|a| {
            let content_type = a.content_type().unwrap();
            assert_eq!(content_type.attribute("charset"), Some("utf-8"));
            let bytes = a.contents();
            assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte-order mark for Excel");
            String::from_utf8(bytes[3..].to_vec()).unwrap()
        })
        .unwrap();
    (body, csv)
}

#[test]
fn letters_tell_the_new_grounds_in_their_order_and_name_the_building_once() {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["disputes".to_string(), "--as-of".into(), "2026-03-10".into(), "--out".into()];
    args.push(out.path().display().to_string());
    args.extend(inputs(&[&fixture("exceptions-2024.csv")]));
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let (body, csv) = letter(out.path(), "D1");
    let lines: Vec<&str> = body.lines().filter(|l| l.starts_with("- ")).collect();
    let position =
        |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {body}"));
    // docs/rules.md §8.2's order: STATION_MISSING, ORDER_CANCELLED, SAFETY, ID_CHECK, ADDRESS_CLUSTER.
    let order = [
        position("never handed these packages"),
        position("orders were cancelled"),
        position("unsafe"),
        position("ID could not be verified"),
        position("1200 Maple Ave"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{body}");
    let cluster = lines[order[4]];
    assert_eq!(cluster.matches("1200 Maple Ave").count(), 1, "{cluster}");
    assert!(cluster.contains("4 claims and access problems from 2 drivers on 2026-03-02"), "{cluster}");
    for id in ["TBA100000005", "TBA100000006"] {
        assert_eq!(body.matches(id).count(), 1, "{id}: {body}");
    }
    assert!(lines[order[0]].contains("TBA100000007"), "{body}");
    assert!(lines[order[1]].contains("“TR CANCELLED”"), "{body}");
    // The evidence keeps every ground and the address as written.
    assert!(csv.lines().next().unwrap().ends_with(",address"), "{csv}");
    let tr5 = csv.lines().find(|l| l.contains("TBA100000005")).unwrap();
    assert!(tr5.contains("ADDRESS_CLUSTER") && tr5.contains("1200 MAPLE AVE #7"), "{tr5}");
    // D2's claim at the building is disputed on it too.
    let (body, _) = letter(out.path(), "D2");
    assert!(body.contains("1200 Maple Ave, Springfield, IL 62704 had 4 claims"), "{body}");
}

#[test]
fn the_sample_concessions_read_alike_in_both_generations_and_in_french() {
    let with = |concessions: &str| {
        let mut args: Vec<String> = common::sample_inputs()
            .chunks(2)
            .filter(|pair| pair[0] != "--concessions")
            .flat_map(|pair| pair.to_vec())
            .collect();
        args.extend(["--concessions".to_string(), concessions.to_string()]);
        report(&args)
    };
    let (newer, newer_err) = with(&common::sample("concessions.csv"));
    let (older, older_err) = with(&fixture("concessions-2024.csv"));
    let (french, french_err) = with(&fixture("concessions-fr.csv"));
    assert_eq!(newer, older);
    assert_eq!(newer, french);
    for err in [&newer_err, &older_err, &french_err] {
        assert!(!err.contains("cannot be found"), "every flag column is known: {err}");
        assert!(err.contains("40 rows read, 40 accepted"), "{err}");
    }
    // The newer report's flags: DELIVERED_AT_PIN as from the older one.
    assert!(newer.values().any(|r| r["alerts"].contains("DISPUTABLE")));
}

#[test]
fn an_absent_flag_column_is_noted_once_with_the_ground_it_costs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("concessions.csv");
    std::fs::write(
        &file,
        "Tracking ID,Transporter ID,Concession Date,No POD on Delivery\nTBA100000001,D1,2026-03-05,N\n",
    )
    .unwrap();
    let mut args = inputs(&[]);
    args.extend(["--concessions".to_string(), file.display().to_string()]);
    let (_, err) = report(&args);
    let note = format!("{}: no 'geo_far' column: DELIVERED_AT_PIN cannot be found", file.display());
    assert_eq!(err.matches(&note).count(), 1, "{err}");
    assert!(!err.contains("no 'no_pod' column"), "{err}");
}

#[test]
fn observed_tiers_in_amazons_words_and_the_2025_scale() {
    let dir = tempfile::tempdir().unwrap();
    let observed = dir.path().join("observed.csv");
    std::fs::write(
        &observed,
        "Transporter ID,Week Ending,Overall Standing\n\
         D1,2026-03-07,Fantastic Plus\nD2,2026-03-07,Poor\nD3,2026-03-07,Great\nD1,2026-03-08,Platinum\nD2,2026-03-08,Bronze\n",
    )
    .unwrap();
    let mut args = vec!["calibrate".to_string(), "--observed".into(), observed.display().to_string()];
    args.extend(inputs(&[]));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("rejected:"), "{err}");
    assert!(
        err.contains("2 observation(s) on the 2025 scorecard's scale (Platinum, Gold, Silver, Bronze) left out"),
        "{err}"
    );
    assert!(out.lines().last().unwrap().starts_with("agreement: "), "{out}");
    assert!(out.lines().last().unwrap().ends_with("/3 before"), "{out}");
}

#[test]
fn a_file_of_another_kind_names_what_is_missing_and_its_accepted_names() {
    let mut args = vec!["calibrate".to_string(), "--observed".into(), fixture("deliveries.csv")];
    args.extend(inputs(&[]));
    let (code, _, err) = run(&args);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a deliveries export, not observed tiers: missing 'date' (accepted names: date, day,"),
        "{err}"
    );
    assert!(err.contains("and 'overall_tier' (accepted names: overall_tier, overall standing"), "{err}");
}

#[test]
fn a_workbook_with_rows_past_the_format_limit_is_refused_early() {
    for (name, why) in [("rows-past-limit.xlsx", "rows past row 1048576"), ("part-too-large.xlsx", "unpacks to 4.3 GB")]
    {
        let mut args = vec!["report".to_string()];
        args.extend(["--blocks".into(), fixture("blocks.csv"), "--deliveries".into()]);
        args.push(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbooks").join(name).display().to_string(),
        );
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(why) && err.contains(name), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 2, "one line and the reading line: {err}");
    }
}

#[test]
fn exceptions_go_into_a_workspace_and_give_the_files_standing() {
    let dir = tempfile::tempdir().unwrap();
    let ws: PathBuf = dir.path().join("ws");
    let mut args = vec!["--workspace".to_string(), ws.display().to_string(), "import".into()];
    args.extend(inputs(&[&fixture("exceptions-2024.csv"), &fixture("rts-2025.csv")]));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(exceptions): 18 read: 13 new"), "{out}");
    let (files, _) = report(&inputs(&[&fixture("exceptions-2024.csv"), &fixture("rts-2025.csv")]));
    let (code, out, err) = run(&[
        "--workspace".into(),
        ws.display().to_string(),
        "report".into(),
        "--format".into(),
        "csv".into(),
        "--as-of".into(),
        "2026-03-10".into(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    for record in reader.records() {
        let record = record.unwrap();
        let row: HashMap<String, String> =
            headers.iter().zip(record.iter()).map(|(h, c)| (h.into(), c.into())).collect();
        assert_eq!(row, files[&row["driver_id"]]);
    }
}
