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

fn amazon(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon/scorecards").join(name).display().to_string()
}

/// Two weeks of scorecards with week 17's RTS and concessions reports.
fn dsp_inputs() -> Vec<String> {
    vec![
        "--scorecard".into(),
        amazon("scorecard W16 2026.csv"),
        amazon("DSP Overview Week 17 2026.csv"),
        "--exceptions".into(),
        amazon("rts week 17.csv"),
        "--concessions".into(),
        amazon("concessions week 17.csv"),
    ]
}

#[test]
fn a_das_sheet_holds_the_weeks_the_triggers_and_the_defects() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ben.pdf");
    standwatch()
        .arg("sheet")
        .args(dsp_inputs())
        .args(["--driver", "A9Z8Y7X6W5", "--out"])
        .arg(&file)
        .assert()
        .success();
    let text = pdf_text(&file);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "scorecard week 2026-W17 (2026-04-19 to 2026-04-25)",
        "Ben Okafor",
        "Overall: Fair",
        "Transporter ID A9Z8Y7X6W5 · 692 packages delivered · overall score 74.1",
        // Week 17 of the file: DCR 98.0 %, POD 97.1 %, CC 96.0 %, CDF DPMO 1,445, CED 1.
        "DCR is 98.0%: past the coaching trigger (DCR below 99.0%).",
        "POD is 97.1%: past the coaching trigger (POD below 99.0%).",
        "CDF DPMO is 1,445: past the coaching trigger (CDF DPMO above 800).",
        "CED is 1: past the coaching trigger (CED at or above 1).",
        // W16 → W17: DCR 98.9 % → 98.0 %, DNR DPMO 1,418 → 2,890, the tiers Great → Fair.
        "The last 2 weeks",
        "2026-W16 2026-W17",
        "Overall Great Fair",
        "DNR DPMO 1,418* 2,890*",
        // Two RTS rows and two concessions; the dog, the cancelled order and the
        // delivery within 50 m have a ground, the one delivered 50 m away does not.
        "Defects of the week (4 · 3 with a dispute ground)",
    ] {
        assert!(flat.contains(expected), "'{expected}' not in:\n{text}");
    }
    for package in ["TBA900000001", "TBA900000002", "TBA900000010", "TBA900000011"] {
        assert!(text.contains(package), "{package} not in:\n{text}");
    }
    assert!(!text.contains("TBA900000003"), "Dev Patel's package on Ben's sheet:\n{text}");

    // The week before: Great, one week shown, no defects.
    let w16 = dir.path().join("ben-w16.pdf");
    let args = ["--week", "2026-W16", "--driver", "A9Z8Y7X6W5", "--out"];
    standwatch().arg("sheet").args(dsp_inputs()).args(args).arg(&w16).assert().success();
    let flat = pdf_text(&w16).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Overall: Great") && flat.contains("This week (no earlier scorecard)"), "{flat}");
    assert!(flat.contains("Defects of the week (0 · 0 with a dispute ground)"), "{flat}");

    // A DA without a scorecard that week is told so.
    let missing = dir.path().join("chloe.pdf");
    let args = ["--week", "2026-W16", "--driver", "AQ1W2E3R4T", "--out"];
    let refused = standwatch().arg("sheet").args(dsp_inputs()).args(args).arg(&missing).assert();
    refused.code(2).stderr(predicates::str::contains("AQ1W2E3R4T: no scorecard of week 2026-W16"));
    assert!(!missing.exists());
}

#[test]
fn every_das_sheet_and_the_weeks_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week");
    standwatch()
        .arg("sheet")
        .args(dsp_inputs())
        .args(["--all", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("4 coaching sheets of week 2026-W17 and week-2026-W17.pdf"));
    for id in ["A1B2C3D4E5", "A5S6D7F8G9", "A9Z8Y7X6W5", "AQ1W2E3R4T"] {
        let text = pdf_text(&out.join(format!("{id}.pdf")));
        assert!(text.contains(&format!("Transporter ID {id}")), "{text}");
    }
    let text = pdf_text(&out.join("week-2026-W17.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // One DA per overall tier of week 17.
    assert!(flat.contains("4 delivery associates"), "{flat}");
    for tier in ["Fantastic Plus 1", "Great 1", "Fair 1", "Poor 1"] {
        assert!(flat.contains(tier), "'{tier}' not in {flat}");
    }
    // Dev Patel (Poor) needs attention first; Ana Souza (Fantastic Plus, nothing past a
    // trigger) is not listed.
    let dev = text.find("A5S6D7F8G9").unwrap();
    let ben = text.find("A9Z8Y7X6W5").unwrap();
    assert!(dev < ben, "{text}");
    assert!(!text.contains("A1B2C3D4E5"), "{text}");
}
