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

/// The environment variable that makes [`hold_lock_when_asked`] hold a workspace.
const HOLD: &str = "STANDWATCH_TEST_HOLD_LOCK";

/// Body of a test that is not a test on its own: another Standwatch holding a workspace,
/// run as a child process (the test binary again, by [`spawn_holder`]); it takes the lock
/// of the workspace named in the environment, says "held" and waits to be killed.
pub fn hold_lock_when_asked() {
    let Some(dir) = std::env::var_os(HOLD) else { return };
    let _lock = standwatch::workspace::lock::WorkspaceLock::acquire(Path::new(&dir)).unwrap();
    println!("held");
    std::thread::sleep(std::time::Duration::from_secs(120));
}

/// Starts the test `holder_test` (whose body is [`hold_lock_when_asked`]) of this test
/// binary as a second process holding the workspace `dir`, once it holds it. Its output
/// pipe is returned too: kept open until the holder is killed.
pub fn spawn_holder(holder_test: &str, dir: &Path) -> (std::process::Child, std::process::ChildStdout) {
    use std::io::BufRead;
    let mut holder = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", holder_test, "--nocapture", "--test-threads=1"])
        .env(HOLD, dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(holder.stdout.take().unwrap());
    let mut line = String::new();
    // libtest may print "test holder_process ... " on the same line first.
    while !line.trim_end().ends_with("held") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "the holder did not start");
    }
    (holder, out.into_inner())
}
