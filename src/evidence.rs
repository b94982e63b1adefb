//! Evidence files (photos) are read only from inside the evidence folder: a path with
//! `..`, an absolute path elsewhere or a symlink leading out is refused.

use std::path::{Path, PathBuf};

/// Why a listed photo cannot be attached.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("evidence folder {folder} cannot be read: {source}")]
    Folder { folder: String, source: std::io::Error },
    #[error("{listed}: file not found in {root}")]
    NotFound { listed: String, root: String },
    #[error("{listed}: outside the evidence folder {root}, not attached")]
    Outside { listed: String, root: String },
    #[error("{0}: not a file")]
    NotAFile(String),
}

/// The file a photo path names, if it exists inside `folder`; otherwise why not.
pub fn resolve(folder: &Path, listed: &str) -> Result<PathBuf, EvidenceError> {
    let root = folder
        .canonicalize()
        .map_err(|source| EvidenceError::Folder { folder: folder.display().to_string(), source })?;
    let shown = || (listed.to_string(), root.display().to_string());
    let candidate = Path::new(listed);
    let joined = if candidate.is_absolute() { candidate.to_path_buf() } else { root.join(candidate) };
    let real = joined.canonicalize().map_err(|_| {
        let (listed, root) = shown();
        EvidenceError::NotFound { listed, root }
    })?;
    if !real.starts_with(&root) {
        let (listed, root) = shown();
        return Err(EvidenceError::Outside { listed, root });
    }
    if !real.is_file() {
        return Err(EvidenceError::NotAFile(listed.to_string()));
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
        assert!(resolve(&folder, "photos/missing.jpg").unwrap_err().to_string().contains("not found"));
        assert!(matches!(resolve(&folder, "../secret.txt"), Err(EvidenceError::Outside { .. })));
        let absolute = outer.path().join("secret.txt");
        assert!(matches!(resolve(&folder, absolute.to_str().unwrap()), Err(EvidenceError::Outside { .. })));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.txt"), folder.join("link.jpg")).unwrap();
            assert!(matches!(resolve(&folder, "link.jpg"), Err(EvidenceError::Outside { .. })));
        }
    }
}
