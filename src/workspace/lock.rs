//! Who may change a workspace: one process at a time. An office keeps its workspace on a
//! shared drive and two people open it; SQLite alone does not make that safe there (its
//! write-ahead log needs one machine's shared memory). The writer holds an operating-system
//! lock on `standwatch.lock` (flock on Unix, LockFileEx on Windows, which SMB shares honour)
//! and says who it is in `standwatch.lock-holder`. The system frees the lock when its
//! process ends, killed or not, so a lock left behind is taken over by the next writer.
//!
//! Within one process the lock is shared: the app holds it while a workspace is on screen,
//! and its imports and cases take it again without waiting on themselves.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

pub const LOCK_FILE: &str = "standwatch.lock";
pub const HOLDER_FILE: &str = "standwatch.lock-holder";

/// The lock of one workspace, held while any clone lives.
#[derive(Debug, Clone)]
pub struct WorkspaceLock(#[allow(dead_code)] Arc<Held>);

#[derive(Debug)]
struct Held {
    /// Kept open: closing it would free the lock.
    file: File,
    holder_path: PathBuf,
}

impl Drop for Held {
    fn drop(&mut self) {
        // The holder note first: once the lock is free, another writer may write its own.
        let _ = std::fs::remove_file(&self.holder_path);
        let _ = self.file.unlock();
    }
}

/// The locks this process holds, by workspace folder.
fn held() -> &'static Mutex<HashMap<PathBuf, Weak<Held>>> {
    static HELD: std::sync::OnceLock<Mutex<HashMap<PathBuf, Weak<Held>>>> = std::sync::OnceLock::new();
    HELD.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Why the lock could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it; `holder` says who and since when, as it wrote it.
    #[error("open for changes in another Standwatch ({holder})")]
    Held { holder: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// "jordan on OFFICE-PC (process 4120) since 2026-12-07 09:12".
fn who_am_i() -> String {
    let user = ["USERNAME", "USER", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    let host = ["COMPUTERNAME", "HOSTNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|h| h.trim().to_string()))
        .filter(|h| !h.is_empty());
    format!(
        "{} on {} (process {}) since {}",
        user.as_deref().unwrap_or("someone"),
        host.as_deref().unwrap_or("another computer"),
        std::process::id(),
        chrono::Local::now().format("%Y-%m-%d %H:%M")
    )
}

impl WorkspaceLock {
    /// Takes the lock of the workspace in `dir` without waiting: this process's own if it
    /// holds it already, else the system's, taking over one whose process has ended.
    pub fn acquire(dir: &Path) -> Result<WorkspaceLock, LockError> {
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut map = held().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(lock) = map.get(&key).and_then(Weak::upgrade) {
            return Ok(WorkspaceLock(lock));
        }
        let lock_path = dir.join(LOCK_FILE);
        let io = |source| LockError::Io { path: lock_path.display().to_string(), source };
        let file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lock_path).map_err(io)?;
        let holder_path = dir.join(HOLDER_FILE);
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&holder_path).unwrap_or_default();
                let holder = holder.trim();
                return Err(LockError::Held {
                    holder: if holder.is_empty() { "it does not say who".to_string() } else { holder.to_string() },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        if let Ok(old) = std::fs::read_to_string(&holder_path)
            && !old.trim().is_empty()
        {
            tracing::info!("took over the lock of {} left by {}", dir.display(), old.trim());
        }
        let write_holder = || -> std::io::Result<()> {
            let mut note = File::create(&holder_path)?;
            note.write_all(who_am_i().as_bytes())?;
            note.sync_all()
        };
        // Without the note the lock still holds; the other side only cannot say who.
        if let Err(e) = write_holder() {
            tracing::warn!("{}: {e}", holder_path.display());
        }
        let lock = Arc::new(Held { file, holder_path });
        map.insert(key, Arc::downgrade(&lock));
        Ok(WorkspaceLock(lock))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_process_shares_its_lock_and_frees_it_with_the_last_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = WorkspaceLock::acquire(dir.path()).unwrap();
        let again = WorkspaceLock::acquire(dir.path()).unwrap();
        let note = std::fs::read_to_string(dir.path().join(HOLDER_FILE)).unwrap();
        assert!(note.contains(&format!("(process {})", std::process::id())), "{note}");
        // Another open file description of the same lock file cannot lock it meanwhile.
        let other = OpenOptions::new().read(true).write(true).open(dir.path().join(LOCK_FILE)).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(first);
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)), "still held by the second");
        drop(again);
        other.try_lock().unwrap();
        assert!(!dir.path().join(HOLDER_FILE).exists(), "the note goes with the lock");
    }
}
