//! Evidence files (photos) are read only from inside the evidence folder: a path with
//! `..`, an absolute path elsewhere or a symlink leading out is refused.

use std::path::{Path, PathBuf};

/// The file a photo path names, if it exists inside `folder`; otherwise why not.
pub fn resolve(folder: &Path, listed: &str) -> Result<PathBuf, String> {
    let root =
        folder.canonicalize().map_err(|e| format!("evidence folder {} cannot be read: {e}", folder.display()))?;
    let candidate = Path::new(listed);
    let joined = if candidate.is_absolute() { candidate.to_path_buf() } else { root.join(candidate) };
    let real = joined.canonicalize().map_err(|_| format!("{listed}: file not found in {}", root.display()))?;
    if !real.starts_with(&root) {
        return Err(format!("{listed}: outside the evidence folder {}, not attached", root.display()));
    }
    if !real.is_file() {
        return Err(format!("{listed}: not a file"));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confines_paths_to_the_folder() {
        let outer = tempfile::tempdir().unwrap();
        let folder = outer.path().join("evidence");
        std::fs::create_dir_all(folder.join("photos")).unwrap();
        std::fs::write(folder.join("photos/a.jpg"), b"jpg").unwrap();
        std::fs::write(outer.path().join("secret.txt"), b"x").unwrap();
        assert!(resolve(&folder, "photos/a.jpg").is_ok());
        assert!(resolve(&folder, "photos/missing.jpg").unwrap_err().contains("not found"));
        assert!(resolve(&folder, "../secret.txt").unwrap_err().contains("outside"));
        let absolute = outer.path().join("secret.txt");
        assert!(resolve(&folder, absolute.to_str().unwrap()).unwrap_err().contains("outside"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.txt"), folder.join("link.jpg")).unwrap();
            assert!(resolve(&folder, "link.jpg").unwrap_err().contains("outside"));
        }
    }
}
