//! `calibrate` (docs/rules.md §7) end to end: tiers observed on a generated fleet under
//! thresholds Standwatch does not know are fitted on a few hundred driver-days, and the
//! fitted thresholds reproduce the tiers of other driver-days.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::Path;

fn standwatch(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("standwatch").unwrap().args(args).output().unwrap()
}

/// Amazon's thresholds, as far as this test is concerned: none is a default.
const SECRET: &str = "[reliability]\nfantastic = 0.97\ngreat = 0.92\nfair = 0.85\n\
    [attempted]\nfantastic = 0.997\ngreat = 0.993\nfair = 0.985\n\
    [success]\nfantastic = 0.985\ngreat = 0.975\nfair = 0.95\n\
    [on_time]\nfantastic = 0.97\ngreat = 0.94\nfair = 0.88\n\
    [dnr]\nfantastic = 0\ngreat = 2\nfair = 3\n";

/// Every driver-day's history row under the given thresholds: (driver, day) → (overall,
/// reliability, quality).
fn history(data: &Path, thresholds: &Path) -> HashMap<(String, String), [String; 3]> {
    let (b, d) = (data.join("blocks.csv"), data.join("deliveries.csv"));
    let out = standwatch(&[
        "history",
        "--blocks",
        b.to_str().unwrap(),
        "--deliveries",
        d.to_str().unwrap(),
        "--thresholds",
        thresholds.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[3] != "No standing")
        .map(|r| ((r[0].to_string(), r[2].to_string()), [r[3].to_string(), r[4].to_string(), r[7].to_string()]))
        .collect()
}

#[test]
fn thresholds_fitted_on_observed_days_reproduce_other_days() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fleet");
    let out =
        standwatch(&["generate", "--drivers", "150", "--days", "70", "--seed", "5", "--out", data.to_str().unwrap()]);
    assert!(out.status.success());
    let secret = dir.path().join("secret.toml");
    std::fs::write(&secret, SECRET).unwrap();
    let seen = history(&data, &secret);
    let mut days: Vec<&(String, String)> = seen.keys().collect();
    days.sort();
    // Every 16th driver-day (a few hundred) is observed, with its component tiers; the
    // days after them are held out.
    let (train, test): (Vec<_>, Vec<_>) = days.iter().enumerate().partition(|(i, _)| i % 16 == 0);
    assert!((300..=800).contains(&train.len()), "{} observed", train.len());
    let mut observed = String::from("Transporter ID,Date,Overall Standing,Reliability,Delivery Quality\n");
    for (_, key) in &train {
        let [overall, reliability, quality] = &seen[*key];
        observed.push_str(&format!("{},{},{overall},{reliability},{quality}\n", key.0, key.1));
    }
    let observed_path = dir.path().join("observed.csv");
    std::fs::write(&observed_path, observed).unwrap();
    let fitted = dir.path().join("fitted.toml");
    let (b, d) = (data.join("blocks.csv"), data.join("deliveries.csv"));
    let out = standwatch(&[
        "calibrate",
        "--blocks",
        b.to_str().unwrap(),
        "--deliveries",
        d.to_str().unwrap(),
        "--observed",
        observed_path.to_str().unwrap(),
        "--out",
        fitted.to_str().unwrap(),
    ]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = report.lines().last().unwrap();
    assert!(last.starts_with("agreement: ") && last.ends_with(" before"), "{report}");
    assert!(report.contains("Observed (rows) by computed"), "{report}");

    // The fitted thresholds on the held-out days.
    let computed = history(&data, &fitted);
    let agree = test.iter().filter(|(_, key)| computed.get(*key).map(|c| &c[0]) == Some(&seen[*key][0])).count();
    let share = agree as f64 / test.len() as f64;
    assert!(share >= 0.97, "{agree}/{} held-out driver-days agree ({share:.3})\n{report}", test.len());
    // The defaults do worse: the fit did something.
    let defaults = dir.path().join("defaults.toml");
    std::fs::write(&defaults, "").unwrap();
    let before = history(&data, &defaults);
    let agree_before = test.iter().filter(|(_, key)| before.get(*key).map(|c| &c[0]) == Some(&seen[*key][0])).count();
    assert!(agree_before < agree, "defaults {agree_before}, fitted {agree}");
}

#[test]
fn an_observed_file_with_a_bad_tier_names_its_line_and_unknown_drivers_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let observed = dir.path().join("observed.csv");
    std::fs::write(
        &observed,
        "driver_id,date,overall_tier\nD00001,2026-02-20,Great\nD00002,2026-02-20,Superb\nX9,2026-02-20,Fair\n",
    )
    .unwrap();
    let sample = |f: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(f).display().to_string();
    let (b, d) = (sample("blocks.csv"), sample("deliveries.csv"));
    let out = standwatch(&["calibrate", "--blocks", &b, "--deliveries", &d, "--observed", observed.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("observed.csv:3: column 'overall_tier'") && stderr.contains("Superb"), "{stderr}");
    assert!(stderr.contains("X9"), "{stderr}");
    // One observation of a driver in the data: the fit reproduces it.
    assert!(String::from_utf8_lossy(&out.stdout).contains("agreement: 1/1 after"));
    // A file that is not observed tiers: exit 2, one line.
    let out = standwatch(&["calibrate", "--blocks", &b, "--deliveries", &d, "--observed", &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a blocks export, not observed tiers"));
}
