//! Imported rows kept as immutable Parquet segments: one file per kind per import, holding
//! only the rows that import added or changed. When a later segment replaces a row, the
//! database records the earlier row as deleted, so loading is reading and filtering, with
//! no key hashing.

use super::WorkspaceError;
use crate::import::TableKind;
use polars::prelude::*;
use std::io::Cursor;
use std::path::Path;

/// A segment as the database lists it.
#[derive(Debug, Clone)]
pub(super) struct Segment {
    pub id: i64,
    pub file: String,
    pub rows: usize,
    pub bytes: u64,
    /// Rows replaced by later segments, ascending.
    pub deleted: Vec<u32>,
}

impl Segment {
    /// True for the rows still current.
    pub fn live_mask(&self) -> BooleanChunked {
        let mut live = vec![true; self.rows];
        for &r in &self.deleted {
            if let Some(x) = live.get_mut(r as usize) {
                *x = false;
            }
        }
        BooleanChunked::from_slice("live".into(), &live)
    }
}

pub(super) fn encode_rows(rows: &[u32]) -> Vec<u8> {
    rows.iter().flat_map(|r| r.to_le_bytes()).collect()
}

pub(super) fn decode_rows(blob: &[u8]) -> Vec<u32> {
    blob.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// Writes a segment to a temporary name, syncs it, renames it into place and syncs the
/// folder, so that a committed database row never names a partial file. Returns its size.
pub(super) fn write_segment(path: &Path, frame: &mut DataFrame) -> Result<u64, WorkspaceError> {
    let io = |source| WorkspaceError::Io { path: path.display().to_string(), source };
    let tmp = path.with_extension("parquet.tmp");
    let result = (|| {
        // A write that fails (a full disk) keeps its kind, which the message names.
        let failed = |e: PolarsError| match e {
            PolarsError::IO { error, .. } => std::io::Error::new(error.kind(), error.to_string()),
            e => std::io::Error::other(e),
        };
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        let schema = frame.schema().clone();
        let mut writer = ParquetWriter::new(&mut file)
            .with_compression(ParquetCompression::Lz4Raw)
            .batched(&schema)
            .map_err(failed)?;
        // Each chunk (a piece of the import read, 100,000 rows or more of a big file) is
        // encoded and written as a row group of its own: nothing is copied, where
        // `ParquetWriter::finish` would first gather the chunks into new row groups.
        for chunk in frame.split_chunks() {
            writer.write_batch(&chunk).map_err(failed)?;
        }
        writer.finish().map_err(failed)?;
        drop(writer);
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            // Makes the rename itself durable before the database names the file.
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(bytes)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Reads a segment (all columns, or only `columns`), checking its size against the
/// database and its columns against the kind, so that a damaged file is named, not trusted.
pub(super) fn read_segment(
    path: &Path,
    segment: &Segment,
    kind: TableKind,
    columns: Option<&[&str]>,
) -> Result<DataFrame, WorkspaceError> {
    let shown = path.display().to_string();
    let damaged = |message: String| WorkspaceError::Damaged { path: shown.clone(), message };
    let bytes = std::fs::read(path).map_err(|source| WorkspaceError::Io { path: shown.clone(), source })?;
    if bytes.len() as u64 != segment.bytes {
        return Err(damaged(format!("{} bytes, the workspace recorded {}", bytes.len(), segment.bytes)));
    }
    let reader =
        ParquetReader::new(Cursor::new(bytes)).with_columns(columns.map(|c| c.iter().map(|s| s.to_string()).collect()));
    // A damaged file must give an error, whatever the decoder does with it.
    let frame = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.finish()))
        .map_err(|_| damaged("the file cannot be decoded".to_string()))?
        .map_err(|e| damaged(e.to_string()))?;
    let frame = crate::import::upgrade_stored(kind, frame).map_err(|e| damaged(e.to_string()))?;
    if frame.height() != segment.rows {
        return Err(damaged(format!("{} rows, the workspace recorded {}", frame.height(), segment.rows)));
    }
    let expected = kind.empty_frame()?;
    for column in frame.columns() {
        let want = expected.column(column.name()).map(|c| c.dtype().clone());
        if want.as_ref().ok() != Some(column.dtype()) {
            return Err(damaged(format!("unexpected column '{}' of type {}", column.name(), column.dtype())));
        }
    }
    if columns.is_none() && frame.width() != expected.width() {
        return Err(damaged(format!("{} columns, expected {}", frame.width(), expected.width())));
    }
    Ok(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_lists_round_trip_and_mask_the_deleted_rows() {
        let rows = vec![0, 5, 70_000];
        assert_eq!(decode_rows(&encode_rows(&rows)), rows);
        let seg = Segment { id: 1, file: String::new(), rows: 6, bytes: 0, deleted: vec![0, 5] };
        let mask: Vec<Option<bool>> = seg.live_mask().iter().collect();
        assert_eq!(mask, [false, true, true, true, true, false].map(Some));
    }

    #[test]
    fn segments_of_an_earlier_version_read_as_this_one() {
        let csv = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason\n\
                   T1,D1,B1,2026-01-05 10:00:00,2026-01-05 09:00:00,delivered,\n\
                   T2,D1,B1,2026-01-05 10:00:00,2026-01-05 09:30:00,attempted,no one home\n";
        let opts = crate::import::ImportOptions::default();
        let mut report = crate::import::ImportReport::default();
        let current =
            crate::import::load_bytes("d.csv", csv.into(), TableKind::Deliveries, &opts, &mut report).unwrap();
        // As an earlier version stored it: outcome and reason code as text, driver and
        // block ids and reason as text.
        let mut legacy = current.clone();
        legacy.with_column(Column::new("driver_id".into(), ["D1", "D1"])).unwrap();
        legacy.with_column(Column::new("block_id".into(), ["B1", "B1"])).unwrap();
        legacy.with_column(Column::new("reason".into(), [None, Some("no one home")])).unwrap();
        legacy.with_column(Column::new("outcome".into(), ["delivered", "attempted"])).unwrap();
        legacy.with_column(Column::new("reason_code".into(), [None, Some("customer_unavailable")])).unwrap();
        legacy.with_column(Column::new("line".into(), [2u64, 3])).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.parquet");
        let bytes = write_segment(&path, &mut legacy).unwrap();
        let seg = Segment { id: 1, file: "s.parquet".into(), rows: 2, bytes, deleted: vec![] };
        let read = read_segment(&path, &seg, TableKind::Deliveries, None).unwrap();
        assert!(read.equals_missing(&current), "{read}\n{current}");
        assert_eq!(read.schema(), current.schema());
        // And this version's segments read back as written.
        let mut again = current.clone();
        let bytes = write_segment(&path, &mut again).unwrap();
        let seg = Segment { bytes, ..seg };
        let read = read_segment(&path, &seg, TableKind::Deliveries, None).unwrap();
        assert!(read.equals_missing(&current), "{read}\n{current}");
        assert_eq!(read.schema(), current.schema());
    }

    #[test]
    fn damaged_segments_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.parquet");
        let mut frame = TableKind::Outages.empty_frame().unwrap();
        let bytes = write_segment(&path, &mut frame).unwrap();
        let seg = Segment { id: 1, file: "s.parquet".into(), rows: 0, bytes, deleted: vec![] };
        assert_eq!(read_segment(&path, &seg, TableKind::Outages, None).unwrap().width(), 4);
        // An outages segment from before stations reads with an empty station column.
        let mut old = frame.drop("station").unwrap();
        let old_bytes = write_segment(&path, &mut old).unwrap();
        let old_seg = Segment { bytes: old_bytes, ..seg.clone() };
        let read = read_segment(&path, &old_seg, TableKind::Outages, None).unwrap();
        assert_eq!(read.schema(), frame.schema());
        let bytes = write_segment(&path, &mut frame).unwrap();
        let seg = Segment { bytes, ..seg };
        // The wrong kind, a truncated file, garbage of the right size.
        assert!(read_segment(&path, &seg, TableKind::Blocks, None).is_err());
        let full = std::fs::read(&path).unwrap();
        std::fs::write(&path, &full[..full.len() / 2]).unwrap();
        let err = read_segment(&path, &seg, TableKind::Outages, None).unwrap_err().to_string();
        assert!(err.contains("s.parquet") && err.contains("bytes"), "{err}");
        std::fs::write(&path, vec![7u8; full.len()]).unwrap();
        assert!(matches!(read_segment(&path, &seg, TableKind::Outages, None), Err(WorkspaceError::Damaged { .. })));
    }
}
