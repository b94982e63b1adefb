//! `standwatch sheet`: coaching sheets as PDFs a real reader opens. The text is read back
//! with poppler's `pdftotext` and checked against what `report` and `forecast` say of
//! the same driver; a page is rendered with `pdftoppm`.

mod common;

use assert_cmd::Command;
use common::{sample, sample_inputs};
use std::collections::HashMap;
use std::path::Path;

fn standwatch() -> Command {
    Command::cargo_bin("standwatch").unwrap()
}

fn csv_rows(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.into(), v.into())).collect())
        .collect()
}

/// The text of a PDF, page layout kept.
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed on {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(tool).args(args).output().unwrap();
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A field of `pdfinfo`'s output ("Pages", "Page size").
fn info_field(info: &str, field: &str) -> String {
    let line = info.lines().find(|l| l.starts_with(&format!("{field}:"))).unwrap_or_default();
    line.split_once(':').map_or("", |(_, v)| v.trim()).to_string()
}

fn report() -> Vec<HashMap<String, String>> {
    let out = standwatch().arg("report").args(sample_inputs()).args(["--format", "csv"]).output().unwrap();
    assert!(out.status.success());
    csv_rows(&out.stdout)
}

#[test]
fn a_drivers_sheet_holds_name_tiers_and_forecast_dates() {
    let report = report();
    // A driver whose standing changes within the forecast, with defects leaving.
    let (row, forecast) = report
        .iter()
        .find_map(|row| {
            let out = standwatch()
                .arg("forecast")
                .args(sample_inputs())
                .args(["--driver", &row["driver_id"]])
                .output()
                .unwrap();
            let days = csv_rows(&out.stdout);
            let changes = days.iter().any(|d| d["overall_tier"] != row["overall_tier"]);
            let leaves = days.iter().any(|d| !d["leaving"].is_empty());
            (changes && leaves).then_some((row, days))
        })
        .expect("a sample driver whose tier changes in the next 60 days");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.pdf");
    standwatch()
        .arg("sheet")
        .args(sample_inputs())
        .args(["--driver", &row["driver_id"], "--out"])
        .arg(&file)
        .assert()
        .success();
    let text = pdf_text(&file);
    assert!(text.contains(&row["driver_name"]), "name {} in:\n{text}", row["driver_name"]);
    assert!(text.contains(&format!("Driver ID {}", row["driver_id"])), "{text}");
    assert!(text.contains(&format!("Overall: {}", row["overall_tier"])), "{text}");
    assert!(text.contains(&format!("as of {}", row["as_of"])), "{text}");
    for (component, column) in [("Reliability", "reliability_tier"), ("Delivery quality", "quality_tier")] {
        let line = text.lines().find(|l| l.trim_start().starts_with(component)).unwrap_or_default();
        assert!(line.contains(&row[column]), "{component} {} in {line:?}", row[column]);
    }
    // The first overall change, with its date, as the forecast CSV has it.
    let first_change = forecast.iter().find(|d| d["overall_tier"] != row["overall_tier"]).unwrap();
    let words = format!("from {} to {} on {}", row["overall_tier"], first_change["overall_tier"], first_change["day"]);
    assert!(text.contains(&words), "{words:?} in:\n{text}");
    // The first defect to leave its window, and when.
    let leaving = forecast.iter().find(|d| !d["leaving"].is_empty()).unwrap();
    let id = leaving["leaving"].split(';').next().unwrap();
    assert!(text.contains(&format!("{id} leaves on {}", leaving["day"])), "{id} on {} in:\n{text}", leaving["day"]);
    // One A4 page, drawn by a real renderer.
    let info = poppler("pdfinfo", &[file.to_str().unwrap()]);
    assert_eq!(info_field(&info, "Pages"), "1", "{info}");
    assert_eq!(info_field(&info, "Page size"), "595.28 x 841.89 pts (A4)", "{info}");
    let png = dir.path().join("page");
    poppler("pdftoppm", &["-png", "-r", "50", file.to_str().unwrap(), png.to_str().unwrap()]);
    let rendered =
        std::fs::read_dir(dir.path()).unwrap().flatten().any(|e| e.path().extension() == Some("png".as_ref()));
    assert!(rendered, "pdftoppm wrote no page");
}

#[test]
fn all_sheets_and_the_fleet_summary_on_letter_paper() {
    let report = report();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sheets");
    standwatch()
        .arg("sheet")
        .args(sample_inputs())
        .args(["--all", "--paper", "letter", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(format!("{} coaching sheets and fleet.pdf", report.len())));
    for row in &report {
        let file = out.join(format!("{}.pdf", row["driver_id"]));
        assert!(file.is_file(), "{} missing", file.display());
    }
    let summary = out.join("fleet.pdf");
    let info = poppler("pdfinfo", &[summary.to_str().unwrap()]);
    assert_eq!(info_field(&info, "Page size"), "612 x 792 pts (letter)", "{info}");
    assert_eq!(info_field(&info, "Pages"), "1", "{info}");
    let text = pdf_text(&summary);
    assert!(text.contains(&format!("{} drivers", report.len())), "{text}");
    let at_risk: Vec<_> = report.iter().filter(|r| r["overall_tier"] == "At Risk").collect();
    assert!(text.contains(&format!("At Risk ({})", at_risk.len())), "{text}");
    for r in at_risk {
        assert!(text.contains(&r["driver_id"]), "{} (At Risk) in:\n{text}", r["driver_id"]);
    }
    assert!(text.contains("Tier changes in the next 14 days"), "{text}");
}

#[test]
fn accented_names_print_as_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let roster = std::fs::read_to_string(sample("roster.csv")).unwrap().replacen("Maria Garcia", "José Ñúñez", 1);
    let roster_file = dir.path().join("roster.csv");
    std::fs::write(&roster_file, roster).unwrap();
    let file = dir.path().join("D00001.pdf");
    standwatch()
        .arg("sheet")
        .args(["--blocks", &sample("blocks.csv"), "--deliveries", &sample("deliveries.csv"), "--roster"])
        .arg(&roster_file)
        .args(["--driver", "D00001", "--out"])
        .arg(&file)
        .assert()
        .success();
    assert!(pdf_text(&file).contains("José Ñúñez"));
}

#[test]
fn bad_requests_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("x.pdf");
    let unknown =
        standwatch().arg("sheet").args(sample_inputs()).args(["--driver", "NOBODY", "--out"]).arg(&pdf).assert();
    unknown.code(2).stderr(predicates::str::contains("unknown driver 'NOBODY'"));
    let not_pdf =
        standwatch().arg("sheet").args(sample_inputs()).args(["--driver", "D00001", "--out"]).arg(dir.path()).assert();
    not_pdf.code(2).stderr(predicates::str::contains("--out FILE.pdf"));
    std::fs::write(&pdf, "x").unwrap();
    let all_to_file = standwatch().arg("sheet").args(sample_inputs()).args(["--all", "--out"]).arg(&pdf).assert();
    all_to_file.code(2).stderr(predicates::str::contains("--out DIR"));
    standwatch().arg("sheet").args(sample_inputs()).args(["--out"]).arg(dir.path()).assert().code(2);
    assert!(!dir.path().join("D00001.pdf").exists());
}
