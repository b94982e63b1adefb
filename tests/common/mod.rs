//! Helpers shared by the integration tests.

use std::path::Path;

/// A file of the bundled sample data.
pub fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data").join(name).display().to_string()
}

/// `--blocks … --deliveries … --roster … --outages … --concessions …` for the sample data.
#[allow(dead_code)] // Not every test binary that shares this module uses every helper.
pub fn sample_inputs() -> Vec<String> {
    ["blocks", "deliveries", "roster", "outages", "concessions"]
        .iter()
        .flat_map(|k| [format!("--{k}"), sample(&format!("{k}.csv"))])
        .collect()
}
