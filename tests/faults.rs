//! Disk full and read-only folders (issue 7): saving letters or importing into a workspace
//! fails with a clear message, and the files already there stay as they were.
//!
//! The faults are real: a small tmpfs, filled up, then remounted read-only. Mounting needs
//! root (CI runs as root); elsewhere each test says it was skipped and passes.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{sample, sample_inputs};

/// A tmpfs mounted on a temporary folder, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a filler file until the disk is full.
    fn fill(&self) {
        use std::io::Write;
        let mut filler = std::fs::File::create(self.path().join("filler")).expect("filler");
        let chunk = vec![0u8; 4096];
        while filler.write_all(&chunk).and_then(|()| filler.sync_all()).is_ok() {}
    }

    fn free(&self) {
        std::fs::remove_file(self.path().join("filler")).expect("remove filler");
    }

    /// `ro` or `rw`.
    fn remount(&self, mode: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(self.path())
            .status()
            .expect("remount");
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn run(home: &Path, args: &[String]) -> Output {
    Command::cargo_bin("standwatch")
        .expect("binary")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TZ", "UTC")
        .args(args)
        .output()
        .expect("run")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Every file under `dir` (but the filler) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list").map(|e| e.expect("entry").path()) {
            if entry.is_dir() {
                stack.push(entry);
            } else if entry.file_name().is_some_and(|n| n != "filler") {
                files.insert(entry.clone(), std::fs::read(&entry).expect("read"));
            }
        }
    }
    files
}

fn assert_failed_clearly(out: &Output, reason: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(reason), "expected {reason:?} in:\n{stderr}");
}

#[test]
fn letters_on_a_full_then_read_only_disk_keep_the_previous_letters() {
    let Some(disk) = Tmpfs::mount("32m") else { return };
    let home = tempfile::tempdir().expect("home");
    let out = disk.path().join("letters");
    let mut first = args(&["disputes", "--out", &out.display().to_string()]);
    first.extend(sample_inputs());
    let written = run(home.path(), &first);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let before = snapshot(&out);
    assert!(before.len() > 5, "letters were written");

    // Other letters (another as-of day) into the same folder, on a full disk.
    disk.fill();
    let mut again = first.clone();
    again.extend(args(&["--as-of", "2026-02-20"]));
    assert_failed_clearly(&run(home.path(), &again), "No space left on device");
    assert_eq!(snapshot(&out), before, "the letters already there are intact, no partial files");

    disk.remount("ro");
    assert_failed_clearly(&run(home.path(), &again), "Read-only file system");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn workspace_imports_and_case_changes_on_a_full_then_read_only_disk_change_nothing() {
    let Some(disk) = Tmpfs::mount("24m") else { return };
    let home = tempfile::tempdir().expect("home");
    let ws = disk.path().join("ws").display().to_string();
    let in_ws = |rest: &[&str]| -> Vec<String> { args(&["--workspace", &ws]).into_iter().chain(args(rest)).collect() };
    let mut import = in_ws(&["import"]);
    import.extend(sample_inputs());
    let imported = run(home.path(), &import);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let letters = home.path().join("letters").display().to_string();
    assert!(run(home.path(), &in_ws(&["disputes", "--out", &letters])).status.success());
    let report = || run(home.path(), &in_ws(&["report", "--format", "csv"])).stdout;
    let cases = || run(home.path(), &in_ws(&["cases", "list", "--format", "csv"])).stdout;
    let (report_before, cases_before) = (report(), cases());
    assert!(cases_before.len() > 200, "cases were recorded");

    // A later export: the same deliveries plus rows for a new day.
    let newer = home.path().join("deliveries-newer.csv");
    let mut text = std::fs::read_to_string(sample("deliveries.csv")).expect("sample");
    for i in 0..2000 {
        text.push_str(&format!("TNEW{i:06},D00001,,2026-03-01 12:00:00,2026-03-01 10:00:00,delivered,,,,,,,\n"));
    }
    std::fs::write(&newer, text).expect("newer export");
    let import_newer = in_ws(&["import", &newer.display().to_string()]);

    disk.fill();
    assert_failed_clearly(&run(home.path(), &import_newer), "the disk is full");
    assert_failed_clearly(
        &run(home.path(), &in_ws(&["cases", "set", "1", "--status", "sent", "--note", &"n".repeat(100_000)])),
        "the disk is full",
    );
    // Space again: the workspace holds exactly the previous data and cases.
    disk.free();
    assert_eq!(String::from_utf8_lossy(&report()), String::from_utf8_lossy(&report_before));
    assert_eq!(String::from_utf8_lossy(&cases()), String::from_utf8_lossy(&cases_before));

    disk.remount("ro");
    assert_failed_clearly(&run(home.path(), &import_newer), "read-only");
    disk.remount("rw");
    assert_eq!(String::from_utf8_lossy(&report()), String::from_utf8_lossy(&report_before));
}
