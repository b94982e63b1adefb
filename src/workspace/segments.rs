//! The stored rows: Parquet segments per kind, merging an import into them (the later row
//! wins), compacting, and the import log.

use super::store::{self, Segment};
use super::{DATA_DIR, DB_FILE, FileImport, MAX_SEGMENTS, WorkspaceError, db_error};
use crate::import::TableKind;
use crate::import::columns as col;
use crate::import::time::{Day, date_from_day, day_from_date};
use polars_core::prelude::*;
use rusqlite::{Connection, params};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub(super) fn segments(db: &Connection, kind: TableKind) -> rusqlite::Result<Vec<Segment>> {
    let mut stmt = db.prepare("SELECT id, file, rows, bytes, deleted FROM segments WHERE kind = ?1 ORDER BY id")?;
    stmt.query_map([kind.name()], |r| {
        Ok(Segment {
            id: r.get(0)?,
            file: r.get(1)?,
            rows: r.get::<_, i64>(2)? as usize,
            bytes: r.get::<_, i64>(3)? as u64,
            deleted: store::decode_rows(&r.get::<_, Vec<u8>>(4)?),
        })
    })?
    .collect()
}

pub(super) fn segment_path(dir: &Path, segment: &Segment) -> PathBuf {
    dir.join(DATA_DIR).join(&segment.file)
}

/// The current rows of a kind: every segment's rows minus those replaced later. Columns
/// `left_out` are not read and come out missing.
pub(super) fn live_rows(
    dir: &Path,
    kind: TableKind,
    segments: &[Segment],
    left_out: &[&str],
) -> Result<DataFrame, WorkspaceError> {
    let shape = kind.empty_frame()?;
    let mut out = shape.clone();
    let read: Vec<&str> =
        shape.get_column_names().into_iter().map(|n| n.as_str()).filter(|n| !left_out.contains(n)).collect();
    for seg in segments {
        let columns = (!left_out.is_empty()).then_some(read.as_slice());
        let mut frame = store::read_segment(&segment_path(dir, seg), seg, kind, columns)?;
        if !left_out.is_empty() {
            // Missing, in the columns' own types and places.
            let height = frame.height();
            let columns = shape
                .columns()
                .iter()
                .map(|c| match frame.column(c.name()) {
                    Ok(kept) => kept.clone(),
                    Err(_) => Column::full_null(c.name().clone(), height, c.dtype()),
                })
                .collect();
            frame = DataFrame::new(height, columns)?;
        }
        let frame = if seg.deleted.is_empty() { frame } else { frame.filter(&seg.live_mask())? };
        // Chained as chunks, not copied into one: the engine reads columns in order or in
        // slices, which chunks serve as well.
        out.vstack_mut_owned(frame)?;
    }
    Ok(out)
}

/// The key of every row of a frame of this kind.
pub(super) fn keys(frame: &DataFrame, kind: TableKind) -> PolarsResult<StringChunked> {
    if let Some(column) = kind.key_column() {
        return Ok(frame.column(column)?.str()?.clone());
    }
    let instants = |name: &str| -> PolarsResult<Vec<Option<i64>>> {
        Ok(frame.column(name)?.datetime()?.physical().iter().collect())
    };
    let descriptions: Vec<Option<&str>> = frame.column(col::DESCRIPTION.name())?.str()?.iter().collect();
    // Stations joined the key later: a window without stations keeps the key it had.
    let stations: Vec<Option<&str>> = match frame.column(col::STATION.name()) {
        Ok(c) => c.str()?.iter().collect(),
        Err(_) => vec![None; frame.height()],
    };
    Ok(instants(col::START.name())?
        .into_iter()
        .zip(instants(col::END.name())?)
        .zip(descriptions)
        .zip(stations)
        .map(|(((s, e), d), station)| {
            let key = format!("{}|{}|{}", s.unwrap_or(0), e.unwrap_or(0), d.unwrap_or(""));
            Some(match station {
                Some(station) => format!("{key}|{station}"),
                None => key,
            })
        })
        .collect())
}

fn idx(rows: &[u32]) -> IdxCa {
    IdxCa::from_vec("idx".into(), rows.iter().map(|&r| r as IdxSize).collect())
}

fn new_segment_name(kind: TableKind) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}-{}.parquet", kind.name(), std::process::id())
}

/// (row in the imported file, row in a stored segment) of one key.
type Pairs = Vec<(u32, u32)>;
/// A stored segment and its rows that an import replaces.
type Replaced = (usize, Vec<u32>);

/// Per imported row, the live stored row with the same key (a later segment wins): the
/// rows with none (new), and per stored segment the pairs (row in the file, row in the
/// segment) of the same key.
fn match_keys(
    dir: &Path,
    kind: TableKind,
    stored: &[Segment],
    frame: &DataFrame,
) -> Result<(Vec<u32>, Vec<Pairs>), WorkspaceError> {
    // Nothing stored yet (a first import): every row is new, and no keys are hashed.
    if stored.is_empty() {
        return Ok(((0..frame.height() as u32).collect(), Vec::new()));
    }
    let key_column = kind.key_column();
    let stored_keys: Vec<StringChunked> = stored
        .iter()
        .map(|seg| {
            let path = segment_path(dir, seg);
            match key_column {
                Some(c) => keys(&store::read_segment(&path, seg, kind, Some(&[c]))?, kind),
                None => keys(&store::read_segment(&path, seg, kind, None)?, kind),
            }
            .map_err(WorkspaceError::from)
        })
        .collect::<Result<_, _>>()?;
    // The hash table holds the imported keys (a week's export), not the stored history:
    // the stored key columns are only scanned against it.
    let new_keys = keys(frame, kind)?;
    let mut new_index: PlHashMap<&str, usize> = PlHashMap::with_capacity(new_keys.len());
    for (i, key) in new_keys.iter().enumerate() {
        if let Some(key) = key {
            new_index.insert(key, i);
        }
    }
    let mut stored_row: Vec<Option<(usize, u32)>> = vec![None; new_keys.len()];
    for (s, (seg, keys)) in stored.iter().zip(&stored_keys).enumerate() {
        let mut deleted = seg.deleted.iter().peekable();
        for (r, key) in keys.iter().enumerate() {
            if deleted.next_if(|&&d| d as usize == r).is_some() {
                continue;
            }
            if let Some(&i) = key.and_then(|k| new_index.get(k))
                && let Some(slot) = stored_row.get_mut(i)
            {
                *slot = Some((s, r as u32));
            }
        }
    }
    let mut fresh: Vec<u32> = Vec::new();
    let mut matched: Vec<Pairs> = vec![Vec::new(); stored.len()];
    for (i, found) in stored_row.iter().enumerate() {
        match found {
            Some((s, r)) => {
                if let Some(pairs) = matched.get_mut(*s) {
                    pairs.push((i as u32, *r));
                }
            }
            None => fresh.push(i as u32),
        }
    }
    Ok((fresh, matched))
}

/// Compares each imported row with the stored row of the same key (every column but the
/// line number): unchanged ones are counted, changed ones are to be written and their
/// stored rows deleted. Returns the rows to write and, per segment, the rows replaced.
fn compare_matched(
    dir: &Path,
    kind: TableKind,
    stored: &[Segment],
    frame: &DataFrame,
    matched: &[Pairs],
    file: &mut FileImport,
) -> Result<(Vec<u32>, Vec<Replaced>), WorkspaceError> {
    let mut to_write = Vec::new();
    let mut deletions: Vec<Replaced> = Vec::new();
    for (s, pairs) in matched.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        let seg = &stored[s];
        let old = store::read_segment(&segment_path(dir, seg), seg, kind, None)?;
        let (new_rows, old_rows): (Vec<u32>, Vec<u32>) = pairs.iter().copied().unzip();
        let old = old.take(&idx(&old_rows))?;
        let new = frame.take(&idx(&new_rows))?;
        let mut same = BooleanChunked::full("same".into(), true, pairs.len());
        for column in new.columns().iter().filter(|c| c.name().as_str() != "line") {
            let a = column.as_materialized_series();
            let b = old.column(column.name())?.as_materialized_series();
            same = &same & &a.equal_missing(b)?;
        }
        let mut replaced = Vec::new();
        for ((new_row, old_row), same) in pairs.iter().zip(same.iter()) {
            if same == Some(true) {
                file.unchanged += 1;
            } else {
                file.updated += 1;
                to_write.push(*new_row);
                replaced.push(*old_row);
            }
        }
        if !replaced.is_empty() {
            deletions.push((s, replaced));
        }
    }
    Ok((to_write, deletions))
}

/// Merges one file's rows into the stored rows of its kind: counts new, updated and
/// unchanged rows, writes the new and updated ones as a segment and marks the rows they
/// replace as deleted. Costs the new rows plus one pass over the stored keys.
pub(super) fn merge(
    tx: &Connection,
    dir: &Path,
    kind: TableKind,
    frame: DataFrame,
    file: &mut FileImport,
    written: &mut Vec<PathBuf>,
) -> Result<(), WorkspaceError> {
    let db_path = dir.join(DB_FILE);
    let err = db_error(&db_path);
    let stored = segments(tx, kind).map_err(&err)?;
    let (fresh, matched) = match_keys(dir, kind, &stored, &frame)?;
    let (changed, deletions) = compare_matched(dir, kind, &stored, &frame, &matched, file)?;
    file.new = fresh.len();
    let mut to_write = fresh;
    to_write.extend(changed);
    if to_write.is_empty() {
        return Ok(());
    }
    to_write.sort_unstable();
    // A first import writes every row: the frame as it is, not a copy.
    let mut rows = if to_write.len() == frame.height() { frame } else { frame.take(&idx(&to_write))? };
    let name = new_segment_name(kind);
    let path = dir.join(DATA_DIR).join(&name);
    let bytes = store::write_segment(&path, &mut rows)?;
    written.push(path);
    tx.execute(
        "INSERT INTO segments (kind, file, rows, bytes) VALUES (?1, ?2, ?3, ?4)",
        params![kind.name(), name, rows.height() as i64, bytes as i64],
    )
    .map_err(&err)?;
    for (s, replaced) in deletions {
        let seg = &stored[s];
        let mut all = seg.deleted.clone();
        all.extend(replaced);
        all.sort_unstable();
        tx.execute("UPDATE segments SET deleted = ?1 WHERE id = ?2", params![store::encode_rows(&all), seg.id])
            .map_err(&err)?;
    }
    Ok(())
}

/// Merges a kind's segments into one when there are too many; the old files are removed
/// after the commit.
pub(super) fn compact(
    tx: &Connection,
    dir: &Path,
    kind: TableKind,
    written: &mut Vec<PathBuf>,
    superseded: &mut Vec<PathBuf>,
) -> Result<(), WorkspaceError> {
    let db_path = dir.join(DB_FILE);
    let err = db_error(&db_path);
    let stored = segments(tx, kind).map_err(&err)?;
    if stored.len() <= MAX_SEGMENTS {
        return Ok(());
    }
    let mut rows = live_rows(dir, kind, &stored, &[])?;
    let name = new_segment_name(kind);
    let path = dir.join(DATA_DIR).join(&name);
    let bytes = store::write_segment(&path, &mut rows)?;
    written.push(path);
    for seg in &stored {
        tx.execute("DELETE FROM segments WHERE id = ?1", [seg.id]).map_err(&err)?;
        superseded.push(segment_path(dir, seg));
    }
    tx.execute(
        "INSERT INTO segments (kind, file, rows, bytes) VALUES (?1, ?2, ?3, ?4)",
        params![kind.name(), name, rows.height() as i64, bytes as i64],
    )
    .map_err(&err)?;
    Ok(())
}

/// Removes data files no segment names: leftovers of an import that did not commit.
pub(super) fn remove_orphans(tx: &Connection, data_dir: &Path) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("SELECT file FROM segments")?;
    let named: HashSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    if let Ok(entries) = std::fs::read_dir(data_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !named.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

pub(super) fn log_import(tx: &Connection, files: &[FileImport]) -> rusqlite::Result<()> {
    let sum = |f: fn(&FileImport) -> usize| files.iter().map(f).sum::<usize>() as i64;
    tx.execute(
        "INSERT INTO imports (at, new, updated, unchanged, duplicate, rejected) \
         VALUES (datetime('now'), ?1, ?2, ?3, ?4, ?5)",
        params![sum(|f| f.new), sum(|f| f.updated), sum(|f| f.unchanged), sum(|f| f.duplicate), sum(|f| f.rejected)],
    )?;
    let id = tx.last_insert_rowid();
    for f in files {
        tx.execute(
            "INSERT INTO import_files (import_id, path, kind, read, new, updated, unchanged, duplicate, rejected) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                f.path,
                f.kind.name(),
                f.read as i64,
                f.new as i64,
                f.updated as i64,
                f.unchanged as i64,
                f.duplicate as i64,
                f.rejected as i64
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn day_to_sql(day: Day) -> String {
    date_from_day(day).format("%Y-%m-%d").to_string()
}

pub(crate) fn day_from_sql(text: &str) -> Option<Day> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(day_from_date)
}
