//! Two real processes on one workspace (issue 31): while one may change it, the other's
//! import is refused with who holds it and since when, and changes nothing; reading goes
//! on; once the holder is killed, the next import takes the lock over.

mod common;

use common::sample;
use std::path::Path;
use std::process::Command;

fn standwatch(ws: &Path, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_standwatch"));
    command.arg("--workspace").arg(ws).args(args);
    command.output().unwrap()
}

/// Not a test on its own: the second process (see `common::spawn_holder`).
#[test]
fn holder_process() {
    common::hold_lock_when_asked();
}

#[test]
fn a_second_process_is_refused_and_a_killed_holder_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let (blocks, deliveries) = (sample("blocks.csv"), sample("deliveries.csv"));
    let first = standwatch(&ws, &["import", &blocks, &deliveries]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let before = String::from_utf8(standwatch(&ws, &["report", "--format", "csv"]).stdout).unwrap();

    let (mut holder, _out) = common::spawn_holder("holder_process", &ws);

    let roster = sample("roster.csv");
    let refused = standwatch(&ws, &["import", &roster]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(err.contains("is open for changes in another Standwatch"), "{err}");
    assert!(err.contains(&format!("(process {}) since ", holder.id())), "names the holder: {err}");
    assert!(err.contains("nothing was changed"), "{err}");
    // Reading needs no lock, and the refused import left the data as it was.
    let during = standwatch(&ws, &["report", "--format", "csv"]);
    assert!(during.status.success());
    assert_eq!(String::from_utf8(during.stdout).unwrap(), before);

    holder.kill().unwrap();
    holder.wait().unwrap();
    let after = standwatch(&ws, &["import", &roster]);
    assert!(after.status.success(), "the lock of a killed process: {}", String::from_utf8_lossy(&after.stderr));
    assert!(!ws.join(standwatch::workspace::lock::HOLDER_FILE).exists(), "freed after the import");
}
