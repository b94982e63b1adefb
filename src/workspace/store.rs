//! Imported rows kept as immutable Parquet segments: one file per kind per import, holding
//! only the rows that import added or changed. When a later segment replaces a row, the
//! database records the earlier row as deleted, so loading is reading and filtering, with
//! no key hashing.
//!
//! A segment is Parquet compressed with LZ4, written and read with polars-parquet directly
//! (polars-io would build every other codec too). Earlier versions wrote the same format
//! through polars-io; their workspaces read as they did (`tests/fixtures/workspace_0_1`).

use super::WorkspaceError;
use crate::import::TableKind;
use polars_buffer::Buffer;
use polars_core::prelude::*;
use polars_parquet::read::{self as parquet_read, BasicDecompressor, PageReader};
use polars_parquet::write::{
    self as parquet_write, CompressionOptions, Encoding, FileWriter, StatisticsOptions, Version, WriteOptions,
};
use rayon::prelude::*;
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
        let schema = frame.schema().to_arrow(CompatLevel::newest());
        let fields = parquet_write::to_parquet_schema(&schema).map_err(failed)?.fields().to_vec();
        let encodings: Buffer<Vec<Encoding>> =
            schema.iter_values().map(|field| parquet_write::get_dtype_encoding(&field.dtype)).collect();
        // Statistics serve predicate push-down, which reading a segment never does.
        let options = WriteOptions {
            statistics: StatisticsOptions::empty(),
            compression: CompressionOptions::Lz4Raw,
            version: Version::V1,
            data_page_size: None,
        };
        let mut writer = FileWriter::try_new(&mut file, schema, options).map_err(failed)?;
        // Each chunk (a piece of the import read, 100,000 rows or more of a big file) is
        // encoded, compressed and written as a row group of its own, column by column:
        // nothing is gathered or copied first.
        frame.align_chunks_par();
        for batch in frame.iter_chunks(CompatLevel::newest(), false) {
            let rows = batch.len() as u64;
            if rows == 0 {
                continue;
            }
            let group = parquet_write::row_group_iter(batch, encodings.clone(), fields.clone(), options);
            writer.write(rows, group).map_err(failed)?;
        }
        writer.end(None).map_err(failed)?;
        drop(writer);
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        // Closed before the rename: Windows renames no open file.
        drop(file);
        std::fs::rename(&tmp, path)?;
        // Makes the rename itself durable before the database names the file. (Windows
        // opens no folder as a file; its rename is written through by NTFS's journal.)
        #[cfg(unix)]
        if let Some(dir) = path.parent() {
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
    // A damaged file must give an error, whatever the decoder does with it.
    let frame = std::panic::catch_unwind(|| decode(Buffer::from(bytes), columns))
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

/// Decodes a Parquet file's columns (all, or `wanted` in that order, leaving out those it
/// lacks), one chunk per row group, the columns on both cores.
fn decode(file: Buffer<u8>, wanted: Option<&[&str]>) -> PolarsResult<DataFrame> {
    let metadata = parquet_read::read_metadata(&mut Cursor::new(file.clone()))?;
    // The schema the writer stored (polars' own types, categoricals included).
    let schema = parquet_read::infer_schema(&metadata)?;
    let fields: Vec<&ArrowField> = match wanted {
        Some(names) => names.iter().filter_map(|name| schema.get(name)).collect(),
        None => schema.iter_values().collect(),
    };
    let column = |field: &ArrowField| -> PolarsResult<Column> {
        let mut chunks = Vec::with_capacity(metadata.row_groups.len());
        for group in &metadata.row_groups {
            let parts = group
                .columns_under_root_iter(&field.name)
                .ok_or_else(|| polars_err!(ComputeError: "a row group lacks column '{}'", field.name))?;
            let (pages, types): (Vec<_>, Vec<_>) = parts
                .map(|part| {
                    let range = part.byte_range();
                    let bytes = file.clone().sliced(range.start as usize..range.end as usize);
                    let pages = PageReader::new(Cursor::new(bytes), part, vec![], usize::MAX);
                    (BasicDecompressor::new(pages, vec![]), &part.descriptor().descriptor.primitive_type)
                })
                .unzip();
            let (arrays, _) = parquet_read::column_iter_to_arrays(pages, types, field.clone(), None)?;
            chunks.extend(arrays);
        }
        if chunks.is_empty() {
            // No row groups: an empty segment.
            return Ok(Column::full_null(field.name.clone(), 0, &DataType::from_arrow_field(field)));
        }
        Ok(Series::try_from((field, chunks))?.into_column())
    };
    let columns = polars_core::runtime::RAYON
        .install(|| fields.par_iter().map(|field| column(field)).collect::<PolarsResult<Vec<_>>>())?;
    DataFrame::new(metadata.num_rows, columns)
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
