//! The workspace database's schema and its migrations (`PRAGMA user_version`).

use super::{WorkspaceError, db_error};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// Schema migrations; entry i takes `PRAGMA user_version` from i to i + 1.
const MIGRATIONS: &[&str] = &[
    r"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        new INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        duplicate INTEGER NOT NULL, rejected INTEGER NOT NULL
    );
    CREATE TABLE import_files (
        import_id INTEGER NOT NULL REFERENCES imports(id),
        path TEXT NOT NULL, kind TEXT NOT NULL, read INTEGER NOT NULL,
        new INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        duplicate INTEGER NOT NULL, rejected INTEGER NOT NULL
    );
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        file TEXT NOT NULL UNIQUE,
        rows INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        deleted BLOB NOT NULL DEFAULT x''
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        driver_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        file TEXT,
        created_on TEXT NOT NULL,
        status TEXT NOT NULL,
        sent_on TEXT,
        outcome_on TEXT,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE case_events (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        side TEXT NOT NULL,
        event_id TEXT NOT NULL,
        overturned INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (case_id, side, event_id)
    );
    CREATE TABLE case_log (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        on_day TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
",
    // Deliveries' driver and block ids and reasons are stored as categorical columns from here on:
    // a version that reads them as text must say the workspace is newer, not damaged.
    r"INSERT OR REPLACE INTO meta (key, value) VALUES ('delivery_ids', 'categorical');",
    // The fields the last import of each kind had a column for (docs/rules.md §1.12),
    // joined by commas, to say when an export changes shape.
    r"CREATE TABLE last_columns (kind TEXT PRIMARY KEY, columns TEXT NOT NULL);",
    // The ground each disputed event was filed under (its letter's incident), for the
    // overturn rate per ground; empty for events recorded before.
    r"ALTER TABLE case_events ADD COLUMN ground TEXT NOT NULL DEFAULT '';",
    // The Message-ID of a case's saved letter, which its follow-ups reply to (SPEC §4.4),
    // and the coaching log (SPEC §8).
    r"
    ALTER TABLE cases ADD COLUMN message_id TEXT;
    CREATE TABLE coaching (
        id INTEGER PRIMARY KEY,
        driver_id TEXT NOT NULL,
        day TEXT NOT NULL,
        topic TEXT NOT NULL,
        agreed TEXT NOT NULL DEFAULT '',
        follow_up TEXT,
        outcome TEXT,
        outcome_on TEXT
    );
    ",
];

pub(super) fn migrate(db: &mut Connection, dir: &Path, path: &Path) -> Result<(), WorkspaceError> {
    let err = db_error(path);
    let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(&err)?;
    let supported = MIGRATIONS.len() as i64;
    if version > supported {
        return Err(WorkspaceError::Newer { dir: dir.display().to_string(), found: version, supported });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        // Another process may have migrated while this one waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(&err)?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(sql).map_err(&err)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1)).map_err(&err)?;
        tx.commit().map_err(&err)?;
    }
    Ok(())
}
