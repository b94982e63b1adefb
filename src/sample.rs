//! The sample data inside the binary: `standwatch sample --out DIR` writes it, and the app
//! opens on it wherever the binary lives (extracted once into the platform data folder
//! when there is no `sample-data/` beside the crate).

use std::path::{Path, PathBuf};

macro_rules! bundled {
    ($name:literal) => {
        ($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/", $name)) as &[u8])
    };
}

/// Every file of `sample-data/`, by its path in that folder.
pub const FILES: &[(&str, &[u8])] = &[
    bundled!("blocks.csv"),
    bundled!("deliveries.csv"),
    bundled!("roster.csv"),
    bundled!("outages.csv"),
    bundled!("concessions.csv"),
    bundled!("exceptions.csv"),
    bundled!("dsp-exceptions.csv"),
    bundled!("dsp-concessions.csv"),
    bundled!("scorecards/DSP Overview Week 2 2026.csv"),
    bundled!("scorecards/DSP Overview Week 3 2026.csv"),
    bundled!("scorecards/DSP Overview Week 4 2026.csv"),
    bundled!("scorecards/DSP Overview Week 5 2026.csv"),
    bundled!("scorecards/DSP Overview Week 6 2026.csv"),
    bundled!("scorecards/DSP Overview Week 7 2026.csv"),
    bundled!("scorecards/DSP Overview Week 8 2026.csv"),
    bundled!("scorecards/DSP Overview Week 9 2026.csv"),
    bundled!("README.md"),
    bundled!("photos/TBA0000007092.jpg"),
    bundled!("photos/TBA0000007699.jpg"),
    bundled!("photos/TBA0000011572.jpg"),
    bundled!("photos/TBA0000014723.jpg"),
    bundled!("photos/TBA0000016569.jpg"),
    bundled!("photos/TBA0000017958.jpg"),
    bundled!("photos/TBA0000018625.jpg"),
    bundled!("photos/TBA0000019256.jpg"),
    bundled!("photos/TBA0000020469.jpg"),
    bundled!("photos/TBA0000020908.jpg"),
    bundled!("photos/TBA0000021179.jpg"),
    bundled!("photos/TBA0000021361-gate.jpg"),
    bundled!("photos/TBA0000021361.jpg"),
    bundled!("photos/TBA0000023141.jpg"),
    bundled!("photos/TBA0000023977.jpg"),
    bundled!("photos/TBA0000024198.jpg"),
    bundled!("photos/TBA0000024357.jpg"),
    bundled!("photos/TBA0000024455.jpg"),
    bundled!("photos/TBA0000024457.jpg"),
];

/// Writes the sample data into `dir` (created if needed); returns the number of files.
pub fn write_to(dir: &Path) -> std::io::Result<usize> {
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::fsutil::write_atomic(&path, bytes)?;
    }
    Ok(FILES.len())
}

/// Where the app reads the sample data: `sample-data/` beside the crate when run with
/// cargo, else a copy in the platform data folder (see [`ensure`]).
pub fn dir() -> PathBuf {
    // Run from its clone (`cargo run`), the program uses the sample-data folder there.
    #[cfg(not(feature = "packaged"))]
    {
        let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
        if beside.join("deliveries.csv").is_file() {
            return beside;
        }
    }
    directories::ProjectDirs::from("", "", "standwatch")
        .map(|d| d.data_dir().join(format!("sample-data-{}", env!("CARGO_PKG_VERSION"))))
        .unwrap_or_else(|| std::env::temp_dir().join("standwatch-sample-data"))
}

/// Makes sure `dir` holds the sample data, writing the bundled copy when a file is
/// missing (a first start, or a folder someone emptied).
pub fn ensure(dir: &Path) -> std::io::Result<()> {
    if FILES.iter().all(|(name, _)| dir.join(name).is_file()) {
        return Ok(());
    }
    write_to(dir).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundle is the folder: a file added to or renamed in `sample-data/` must be
    /// listed in [`FILES`] too.
    #[test]
    fn the_bundle_holds_every_file_of_the_sample_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(&root).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let folder = path.file_name().unwrap().to_string_lossy().into_owned();
                for file in std::fs::read_dir(&path).unwrap() {
                    on_disk.push(format!("{folder}/{}", file.unwrap().file_name().to_string_lossy()));
                }
            } else {
                on_disk.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
        on_disk.sort();
        let mut bundled: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
        bundled.sort();
        assert_eq!(bundled, on_disk);
    }

    #[test]
    fn ensure_writes_the_sample_once_and_restores_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sample");
        ensure(&target).unwrap();
        for (name, bytes) in FILES {
            assert_eq!(std::fs::read(target.join(name)).unwrap(), *bytes, "{name}");
        }
        std::fs::remove_file(target.join("roster.csv")).unwrap();
        ensure(&target).unwrap();
        assert!(target.join("roster.csv").is_file());
    }
}
