//! DSP mode (SPEC §7): Amazon's weekly scorecard as a DSP downloads it — the "DSP Overview"
//! export's headers, per-metric tier columns in some weeks only, decimal commas and
//! Portuguese headers, the 2025 scale, a week from the row, the file name or `--week`, a
//! workbook with the scorecard on its second sheet — through `standwatch scorecard` and
//! `calibrate --scorecard`. Every expected tier is derived from the defaults of
//! docs/rules.md §12.3 in the comment beside it.

use super::run;
use std::collections::HashMap;
use std::path::Path;

fn card(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon/scorecards").join(name).display().to_string()
}

/// `scorecard --format csv` with these extra arguments: rows by driver id, and stderr.
fn scorecard(args: &[&str]) -> (Vec<HashMap<String, String>>, String) {
    let mut all = vec!["scorecard".to_string(), "--format".into(), "csv".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>().join(","),
        "driver_id,driver_name,week,overall_tier,overall_score,delivered,dcr,dcr_tier,dnr_dpmo,dnr_dpmo_tier,pod,\
         pod_tier,cc,cc_tier,cdf_dpmo,cdf_dpmo_tier,ced,dsb_dpmo,fico,fico_tier,alerts"
    );
    let rows = reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, c)| (h.to_string(), c.to_string())).collect())
        .collect();
    (rows, err)
}

fn check(row: &HashMap<String, String>, expected: &[(&str, &str)]) {
    for (column, value) in expected {
        assert_eq!(row[*column], *value, "{} {column}: {row:?}", row["driver_id"]);
    }
}

const W17: &str = "DSP Overview Week 17 2026.csv";
const W16: &str = "scorecard W16 2026.csv";

#[test]
fn the_dsp_overview_export_gives_each_da_its_tiers_and_alerts() {
    let (w17, w16) = (card(W17), card(W16));
    let (rows, err) = scorecard(&["--scorecard", &w17, "--scorecard", &w16]);
    assert!(err.contains("4 rows read, 4 accepted") && err.contains("3 rows read, 3 accepted"), "{err}");
    // The newest week, sorted by driver id.
    let ids: Vec<&str> = rows.iter().map(|r| r["driver_id"].as_str()).collect();
    assert_eq!(ids, ["A1B2C3D4E5", "A5S6D7F8G9", "A9Z8Y7X6W5", "AQ1W2E3R4T"]);
    // "Delivery Associate " (a trailing space) is the name; the file gives only the overall
    // tier, so the metric tiers are computed: DCR 99.8 % ≥ 99.5 % Fantastic (a metric's
    // best tier: Fantastic Plus is the overall standing's).
    check(
        &rows[0],
        &[
            ("driver_name", "Ana Souza"),
            ("week", "2026-W17"),
            ("overall_tier", "Fantastic Plus"),
            ("overall_score", "96.2"),
            ("delivered", "1210"),
            ("dcr", "0.998000"),
            ("dcr_tier", "Fantastic"),
            ("fico", "850"),
            ("fico_tier", "Fantastic"),
            ("alerts", ""),
        ],
    );
    // Dev: Poor (the lowest tier) after Fair in W16: AT_RISK and TIER_DROP; DCR 96.2 % and
    // POD 94.0 % under 99 %, CDF DPMO 4,878 over 800, CED 2 ≥ 1: COACH (DSB 3 is under 233).
    check(
        &rows[1],
        &[
            ("overall_tier", "Poor"),
            ("dnr_dpmo", "7317"),
            ("dnr_dpmo_tier", "Poor"),
            ("ced", "2"),
            ("dsb_dpmo", "3"),
            ("alerts", "AT_RISK;COACH;TIER_DROP"),
        ],
    );
    // Ben: Fair after Great; DNR DPMO 2,890 is Fair (≤ 3,500, over 2,000), CDF 1,445 Great.
    check(
        &rows[2],
        &[
            ("dnr_dpmo", "2890"),
            ("dnr_dpmo_tier", "Fair"),
            ("cdf_dpmo", "1445"),
            ("cdf_dpmo_tier", "Great"),
            ("alerts", "COACH;TIER_DROP"),
        ],
    );
    // Chloé: "99,1 %" and "1,050"; "Coming Soon" and "-" give no value; no W16 row, no drop.
    check(
        &rows[3],
        &[
            ("dcr", "0.991000"),
            ("delivered", "1050"),
            ("fico", ""),
            ("fico_tier", ""),
            ("pod_tier", "Great"),
            ("alerts", "COACH"),
        ],
    );
    // The week before, by --week; its week came from the file's name.
    let (rows, _) = scorecard(&["--scorecard", &w17, "--scorecard", &w16, "--week", "2026-W16"]);
    assert_eq!(rows.len(), 3);
    check(&rows[0], &[("week", "2026-W16"), ("overall_tier", "Fantastic"), ("dnr_dpmo", "840")]);
}

#[test]
fn every_value_form_and_alias_reads_alike() {
    // Semicolons, decimal commas, Portuguese and long headers, a Year column beside the
    // week number, per-metric tier columns in this file only.
    let (rows, _) = scorecard(&["--scorecard", &card("aliases decimal comma.csv")]);
    assert_eq!(rows.len(), 3);
    // "1.050" in a file of decimal commas is 1,050; a given tier is kept even where the
    // bounds would say otherwise (99.1 % with "DCR Tier" Great).
    check(
        &rows[0],
        &[
            ("driver_name", "Ana Souza"),
            ("week", "2026-W15"),
            ("delivered", "1050"),
            ("dcr", "0.991000"),
            ("dcr_tier", "Great"),
            ("pod", "0.995000"),
            ("cc", "0.991000"),
            ("cdf_dpmo", ""),
            ("ced", ""),
            ("fico", "830"),
            ("fico_tier", "Fantastic"),
        ],
    );
    // "1 200", "1.667" (whole numbers with separators), "No Data", "Coming Soon", "0,991".
    check(&rows[1], &[("delivered", "1200"), ("dnr_dpmo", "1667"), ("pod", ""), ("cc", ""), ("dcr", "0.991000")]);
    // "Week 15" with a Year; FICO 760 without its tier: computed Great (≥ 750).
    check(&rows[2], &[("week", "2026-W15"), ("cdf_dpmo", "2040"), ("ced", "1"), ("fico_tier", "Great")]);
}

#[test]
fn the_2025_scale_is_kept_and_its_lowest_tier_is_at_risk() {
    let (rows, _) = scorecard(&["--scorecard", &card("scale 2025.csv")]);
    // A "Score" column of tier words is the overall tier; "W18 2026" and "2026W18" are weeks.
    check(&rows[0], &[("week", "2026-W18"), ("overall_tier", "Platinum"), ("dcr_tier", "Platinum")]);
    check(&rows[1], &[("overall_tier", "Bronze"), ("dnr_dpmo_tier", "Bronze"), ("alerts", "AT_RISK;COACH")]);
    // DNR DPMO 4,286 is past Silver's 3,500: Bronze; CC 95 % Gold.
    check(&rows[2], &[("overall_tier", "Silver"), ("dnr_dpmo_tier", "Bronze"), ("cc_tier", "Gold")]);
}

#[test]
fn bad_rows_are_named_by_file_line_and_column_and_the_week_may_come_from_the_option() {
    let bad = card("bad rows.csv");
    let (rows, err) = scorecard(&["--scorecard", &bad]);
    assert_eq!(rows.len(), 1, "{err}");
    for line in [
        "bad rows.csv:3: column 'week': no week",
        "bad rows.csv:4: column 'DCR': '100.4%' is over 100%",
        "bad rows.csv:5: column 'Transporter ID': required value is empty",
        "bad rows.csv:6: column 'week': week 17 of which year?",
        "bad rows.csv:7: column 'POD': 'abc' is not a number",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert!(err.contains("6 rows read, 1 accepted, 0 duplicate, 5 rejected"), "{err}");
    // With --week the rows without a week, and the week number without a year, are read.
    let (rows, err) = scorecard(&["--scorecard", &bad, "--week", "2026-W17"]);
    assert_eq!(rows.len(), 3, "{err}");
    assert!(rows.iter().all(|r| r["week"] == "2026-W17"));
    // A week the files do not have is refused (every row of this file has its own week).
    let (code, _, err) =
        run(&["scorecard".into(), "--scorecard".into(), card(W17), "--week".into(), "2026-W30".into()]);
    assert_eq!(code, 2);
    assert!(err.contains("--week 2026-W30: no scorecard of that week"), "{err}");
    let (code, _, err) = run(&["scorecard".into(), "--week".into(), "soon".into(), "--scorecard".into(), bad]);
    assert_eq!(code, 2);
    assert!(err.contains("--week: 'soon' is not a week"), "{err}");
}

#[test]
fn a_week_imported_again_replaces_the_das_rows_of_that_week() {
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("corrected Week 17 2026.csv");
    std::fs::write(&again, "Transporter ID,DCR,DNR DPMO\nA9Z8Y7X6W5,99.0%,1445\n").unwrap();
    let (rows, _) = scorecard(&["--scorecard", &card(W17), "--scorecard", again.to_str().unwrap()]);
    // Ben's W17 row is the later file's (no tier given: computed); the others stay.
    assert_eq!(rows.len(), 4);
    check(&rows[2], &[("driver_id", "A9Z8Y7X6W5"), ("dcr", "0.990000"), ("dcr_tier", "Great"), ("overall_tier", "")]);
    check(&rows[0], &[("overall_tier", "Fantastic Plus")]);
}

#[test]
fn a_workbook_with_the_scorecard_on_its_second_sheet() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scorecards.xlsx");
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("Read me").unwrap();
    notes.write_string(0, 0, "Weekly DA scorecard, station DLA9").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("DA Scorecard").unwrap();
    let header = ["Week", "Transporter ID", "Delivery Associate", "Packages Delivered", "DCR", "DNR DPMO"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "2026-W17").unwrap();
    sheet.write_string(1, 1, "A1B2C3D4E5").unwrap();
    sheet.write_string(1, 2, "Ana Souza").unwrap();
    sheet.write_number(1, 3, 1210.0).unwrap();
    // A spreadsheet holds a percentage as a fraction.
    sheet.write_number(1, 4, 0.998).unwrap();
    sheet.write_number(1, 5, 0.0).unwrap();
    workbook.save(&path).unwrap();
    let (rows, err) = scorecard(&["--scorecard", path.to_str().unwrap()]);
    assert!(err.contains("[DA Scorecard]"), "{err}");
    check(&rows[0], &[("week", "2026-W17"), ("delivered", "1210"), ("dcr", "0.998000"), ("dcr_tier", "Fantastic")]);
}

#[test]
fn calibration_learns_each_metrics_bounds_from_the_tiers_the_files_give() {
    let dir = tempfile::tempdir().unwrap();
    // Tiers made with bounds Standwatch does not know: DCR Fantastic ≥ 99.2 %, Great ≥ 98.6 %,
    // Fair ≥ 97.0 %; 40 DAs over two weeks.
    let tier = |v: f64| match v {
        v if v >= 0.992 => "Fantastic",
        v if v >= 0.986 => "Great",
        v if v >= 0.970 => "Fair",
        _ => "Poor",
    };
    let mut text = String::from("Week,Transporter ID,DCR,DCR Tier\n");
    for week in [16, 17] {
        for da in 0..40 {
            let v = 0.95 + f64::from((da * 7 + week) % 50) / 1000.0;
            text.push_str(&format!(
                "2026-W{week},DA{da:03},{:.1}%,{}\n",
                v * 100.0,
                tier((v * 1000.0).round() / 1000.0)
            ));
        }
    }
    let file = dir.path().join("scorecards.csv");
    std::fs::write(&file, text).unwrap();
    let toml = dir.path().join("learnt.toml");
    let args: Vec<String> =
        ["calibrate", "--scorecard", file.to_str().unwrap(), "--out", toml.to_str().unwrap()].map(String::from).into();
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let last = out.lines().last().unwrap();
    assert_eq!(last, "agreement: 80/80 after, 50/80 before", "{out}");
    assert!(out.contains("dcr"), "{out}");
    // The learnt bounds, given back as --thresholds, compute the tiers the files gave.
    let mut bare = String::from("Week,Transporter ID,DCR\n");
    bare.push_str("2026-W18,DA900,99.3%\n2026-W18,DA901,98.7%\n2026-W18,DA902,97.1%\n2026-W18,DA903,96.9%\n");
    let plain = dir.path().join("w18.csv");
    std::fs::write(&plain, bare).unwrap();
    let (rows, _) = scorecard(&["--scorecard", plain.to_str().unwrap(), "--thresholds", toml.to_str().unwrap()]);
    let tiers: Vec<&str> = rows.iter().map(|r| r["dcr_tier"].as_str()).collect();
    assert_eq!(tiers, ["Fantastic", "Great", "Fair", "Poor"]);
}

/// SPEC §7.3: the DA's defects of the week are its exceptions rows and concessions of that
/// week; the letter groups the ones with a ground by incident and gives the impact on the
/// week's own figures. Ben delivered 692 at DNR DPMO 2,890 (2 claims) and DCR 98.0 %
/// (round(692/0.98 − 692) = 14 undelivered): one claim (delivered at the pin) and two
/// undelivered packages (cancelled, unsafe) removed give 1,445 (Fair → Great) and
/// 692/704 = 98.3 %.
#[test]
fn a_weeks_disputes_tell_the_impact_on_the_scorecards_own_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("letters");
    let args: Vec<String> = [
        "disputes",
        "--scorecard",
        &card(W17),
        "--scorecard",
        &card(W16),
        "--exceptions",
        &card("rts week 17.csv"),
        "--concessions",
        &card("concessions week 17.csv"),
        "--sender-name",
        "Jordan Lee",
        "--organisation",
        "Acme Delivery LLC",
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .into();
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    // The reports' packages are the defects: said once, not each as "added".
    assert!(err.contains("4 package(s), the DAs' defects by week"), "{err}");
    assert!(!err.contains("is not in the deliveries"), "{err}");
    let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
    assert_eq!(
        index.lines().collect::<Vec<_>>(),
        [
            "driver_id,driver_name,file,events,grounds,tier_now,tier_without",
            "A9Z8Y7X6W5,Ben Okafor,A9Z8Y7X6W5-dispute-2026-W17.eml,TBA900000010;TBA900000001;TBA900000002,\
             DELIVERED_AT_PIN;ORDER_CANCELLED;SAFETY,Fair,Fair",
        ]
    );
    let (body, evidence) = super::letter(&out, "A9Z8Y7X6W5");
    insta::assert_snapshot!("dispute_week_A9Z8Y7X6W5", body);
    // Dev's unsafe package is of week 15, his weather one does not count: no letter.
    assert!(!out.join("A5S6D7F8G9-dispute-2026-W17.eml").exists());
    assert_eq!(evidence.lines().count(), 4, "{evidence}");
    // DISPUTABLE for Ben's week in the scorecard.
    let (rows, _) = scorecard(&[
        "--scorecard",
        &card(W17),
        "--exceptions",
        &card("rts week 17.csv"),
        "--concessions",
        &card("concessions week 17.csv"),
    ]);
    let alerts: Vec<&str> = rows.iter().map(|r| r["alerts"].as_str()).collect();
    assert_eq!(alerts, ["", "AT_RISK;COACH", "COACH;DISPUTABLE", "COACH"]);
}
