//! Helpers shared by the integration tests.

// Not every test binary that shares this module uses every helper.
#![allow(dead_code)]

use std::path::Path;

/// A file of the bundled sample data.
pub fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(name).display().to_string()
}

/// `--blocks … --deliveries … --roster … --outages … --concessions …` for the sample data.
pub fn sample_inputs() -> Vec<String> {
    ["blocks", "deliveries", "roster", "outages", "concessions"]
        .iter()
        .flat_map(|k| [format!("--{k}"), sample(&format!("{k}.csv"))])
        .collect()
}

/// Overall tiers "seen" on scorecards made with thresholds Standwatch does not know
/// (reliability Fantastic 97 %, on time Great 97 %, Great up to 2 DNR claims), every third
/// day of the four weeks up to `last`, as an observed-tiers CSV.
pub fn scorecards(dataset: &standwatch::import::Dataset, last: standwatch::import::time::Day) -> String {
    let mut secret = standwatch::config::Thresholds::default();
    secret.reliability.fantastic = 0.97;
    secret.on_time.great = 0.97;
    secret.dnr.great = 2;
    let seen = standwatch::standing::Fleet::build(dataset, secret).unwrap();
    let mut csv = String::from("Transporter ID,Date,Overall Standing\n");
    for (i, d) in seen.drivers.iter().enumerate() {
        for back in (0..28).step_by(3) {
            if let Some(tier) = seen.standing(i, last - back).overall {
                csv.push_str(&format!("{},{},{}\n", d.id, standwatch::report::day_text(last - back), tier.label()));
            }
        }
    }
    csv
}
