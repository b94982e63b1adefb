//! Reading a file's records into a frame: in blocks of whole records on both cores when
//! the file is plain UTF-8, whole otherwise; day-first columns read again; duplicate keys
//! resolved (the later row wins).

use super::cells::Cells;
use super::fields::{ColumnMap, FieldSpec, map_columns};
use super::scan::{Survey, survey};
use super::table::Table;
use super::text::{self, CsvText, RecordText};
use super::{Detail, FileSummary, ImportError, ImportOptions, ImportReport, Rejection, TableKind, excerpt};
use polars_core::prelude::*;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

pub(super) struct Parsed {
    pub(super) frame: DataFrame,
    pub(super) rejections: Vec<Rejection>,
    pub(super) notes: Vec<String>,
    /// The fields the file has a column for.
    pub(super) columns: Vec<&'static str>,
}

pub(super) fn finish(
    parsed: Parsed,
    kind: TableKind,
    path: &str,
    report: &mut ImportReport,
) -> Result<DataFrame, ImportError> {
    let rows = parsed.frame.height();
    let read = rows + parsed.rejections.len();
    if read == 0 && matches!(kind, TableKind::Blocks | TableKind::Deliveries) {
        return Err(ImportError::NoRows { path: path.to_string() });
    }
    let (frame, duplicate) = crate::timings::phase(&format!("{} duplicate keys", kind.name()), || {
        later_rows_win(parsed.frame, kind.key_column())
    })?;
    report.files.push(FileSummary {
        path: path.to_string(),
        kind,
        read,
        accepted: rows - duplicate,
        duplicate,
        rejected: parsed.rejections.len(),
        merged: None,
        columns: parsed.columns,
    });
    report.rejections.extend(parsed.rejections);
    report.notes.extend(parsed.notes);
    Ok(frame)
}

/// Duplicate keys: the later row wins. Returns the rows kept and how many were dropped.
/// An export in key order (strictly increasing keys) has none, which one comparison per
/// row shows without a hash table.
pub(super) fn later_rows_win(frame: DataFrame, key_column: Option<&str>) -> Result<(DataFrame, usize), ImportError> {
    let Some(name) = key_column else { return Ok((frame, 0)) };
    let Some(kept) = rows_kept(frame.column(name)?.str()?) else { return Ok((frame, 0)) };
    let duplicate = frame.height() - kept.num_trues();
    Ok((frame.filter(&kept)?, duplicate))
}

/// `Some(last key)` (`Some(None)` without keys) when every key is present and greater than
/// the one before: keys in strictly increasing order, which cannot repeat.
fn last_if_increasing(keys: &StringChunked) -> Option<Option<&str>> {
    let mut previous: Option<&str> = None;
    keys.iter()
        .all(|key| match key {
            Some(k) if previous.is_none_or(|p| p < k) => {
                previous = Some(k);
                true
            }
            _ => false,
        })
        .then_some(previous)
}

/// Which rows a later row with the same key does not replace; `None` when all are kept.
pub(super) fn rows_kept(keys: &StringChunked) -> Option<BooleanChunked> {
    // Keys dropped as they were read in order ([`IncreasingKeys`]): none repeats.
    if keys.null_count() == keys.len() {
        return None;
    }
    let increasing = |rows: std::ops::Range<usize>| {
        Ok::<bool, ()>(last_if_increasing(&keys.slice(rows.start as i64, rows.len())).is_some())
    };
    if crate::parallel::holds_in_parts(keys.len(), increasing, || Ok(false)) == Ok(true) {
        return None;
    }
    let mut last: PlHashMap<&str, usize> = PlHashMap::with_capacity(keys.len());
    for (row, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            last.insert(k, row);
        }
    }
    (last.len() < keys.len() - keys.null_count())
        .then(|| keys.iter().enumerate().map(|(row, key)| key.is_none_or(|k| last.get(k) == Some(&row))).collect())
}

/// Runs `pass` until the day-first reading of every column is settled. docs/rules.md §1.9: a
/// column is day-first when it holds a value valid only day-first and none valid only
/// month-first; such a column is read again.
pub(super) fn day_first_passes<E>(
    fields: usize,
    day_first_everywhere: bool,
    mut pass: impl FnMut(&[bool]) -> Result<(Parsed, SlashCounts), E>,
) -> Result<Parsed, E> {
    let mut day_first = vec![day_first_everywhere; fields];
    loop {
        let (parsed, orders) = pass(&day_first)?;
        let mut again = false;
        for (flag, (only_day_first, only_month_first)) in day_first.iter_mut().zip(&orders) {
            if !*flag && *only_day_first > 0 && *only_month_first == 0 {
                *flag = true;
                again = true;
            }
        }
        if !again {
            return Ok(parsed);
        }
    }
}

/// Per field: values valid only day-first, only month-first.
pub(super) type SlashCounts = Vec<(usize, usize)>;

/// One pass over a decoded file.
pub(super) fn parse_pass<T: Table>(
    csv: &CsvText,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
) -> Result<(Parsed, SlashCounts), ImportError> {
    let (headers, body_start, body_line) = text::split_header(csv)?;
    let map = map_columns(&csv.path, &headers, specs)?;
    let records = Records { path: &csv.path, delimiter: csv.delimiter, headers: &headers, map: &map, opts, day_first };
    let body = RecordText::Whole(csv.text.get(body_start..).unwrap_or_default());
    // Decoded text is UTF-8 throughout: every piece reads.
    let (pieces, _) = records.read::<T>(body, body_line)?.unwrap_or_default();
    merge::<T>(pieces, opts.detail, map.unused_matches.clone(), map.present(specs), specs.len())
}

/// Why a file was not read in blocks.
pub(super) enum NotStreamed {
    /// Not plain UTF-8 text that splits safely: decoded whole instead.
    Unsuitable,
    /// Keys dropped as they were read in order ([`Detail::Tallies`]) turned out not to be:
    /// read again keeping them.
    KeysOutOfOrder,
    Failed(ImportError),
}

impl From<ImportError> for NotStreamed {
    fn from(e: ImportError) -> Self {
        NotStreamed::Failed(e)
    }
}

/// The key column of a file read in blocks, dropped block by block while its keys are
/// strictly increasing ([`Detail::Tallies`]): such a file has no duplicate keys, and its
/// order breaks ties as the keys would.
struct IncreasingKeys {
    column: Option<&'static str>,
    /// The last key of the blocks read so far.
    last: Option<String>,
    dropped: bool,
}

impl IncreasingKeys {
    fn new(column: Option<&'static str>) -> IncreasingKeys {
        IncreasingKeys { column, last: None, dropped: false }
    }

    /// Drops the keys of a block's pieces (in file order) if they continue the increasing
    /// run; from the first that does not, keys are kept, and if some were already dropped
    /// the file must be read again.
    fn drop_while_increasing(&mut self, pieces: &mut [(Parsed, SlashCounts)]) -> Result<(), NotStreamed> {
        let Some(column) = self.column else { return Ok(()) };
        let failed = |e: PolarsError| NotStreamed::Failed(e.into());
        // Each piece's first and last key if its keys increase, on the pieces' cores.
        let frames: Vec<&DataFrame> = pieces.iter().map(|(parsed, _)| &parsed.frame).collect();
        let ranges = crate::parallel::map_on_threads(
            frames,
            |frame| -> PolarsResult<Option<Option<(String, String)>>> {
                let keys = frame.column(column)?.str()?;
                let first = keys.iter().next().flatten();
                Ok(last_if_increasing(keys).map(|last| first.zip(last).map(|(a, b)| (a.to_string(), b.to_string()))))
            },
            || Err(PolarsError::ComputeError("a worker thread failed".into())),
        );
        let mut last = self.last.take();
        for range in ranges {
            match range.map_err(failed)? {
                // An empty piece (all its rows rejected).
                Some(None) => {}
                Some(Some((first, piece_last))) if last.as_ref().is_none_or(|l| *l < first) => last = Some(piece_last),
                _ => {
                    self.column = None;
                    return if self.dropped { Err(NotStreamed::KeysOutOfOrder) } else { Ok(()) };
                }
            }
        }
        for (parsed, _) in pieces.iter_mut() {
            let height = parsed.frame.height();
            parsed.frame.with_column(StringChunked::full_null(column.into(), height).into_column()).map_err(failed)?;
        }
        self.last = last;
        self.dropped = true;
        Ok(())
    }
}

/// One pass over a file read in blocks of whole records; `drop_keys`: the key column, to
/// drop while its keys increase ([`IncreasingKeys`]).
pub(super) fn stream_pass<T: Table>(
    path: &Path,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
    block_bytes: usize,
    drop_keys: Option<&'static str>,
) -> Result<(Parsed, SlashCounts), NotStreamed> {
    let Some((mut blocks, headers, mut line)) = text::BlockReader::open(path, block_bytes)? else {
        return Err(NotStreamed::Unsuitable);
    };
    let shown = path.display().to_string();
    let map = map_columns(&shown, &headers, specs)?;
    let records = Records { path: &shown, delimiter: blocks.delimiter, headers: &headers, map: &map, opts, day_first };
    let mut pieces = Vec::new();
    let mut keys = IncreasingKeys::new(drop_keys);
    let cores = crate::parallel::cores();
    let failed = || ImportError::Malformed { path: shown.clone(), line: 0, reason: "a reader thread failed".into() };
    // One reader thread per core takes the parts of blocks as they come: a core that ends
    // its part of a block goes on with the next block instead of waiting for the slowest
    // part. At most two blocks are being read while the next is read from the file.
    let (part_tx, part_rx) = mpsc::channel::<PartJob>();
    let (done_tx, done_rx) = mpsc::channel::<PartDone>();
    let part_rx = Mutex::new(part_rx);
    std::thread::scope(|scope| -> Result<(), NotStreamed> {
        // Dropped on any return, so that the reader threads stop before the scope waits.
        let part_tx = part_tx;
        for _ in 0..cores {
            let (part_rx, done_tx, records) = (&part_rx, done_tx.clone(), &records);
            let reader = move || {
                // The lock is held only while waiting for a job: the guard goes with `rx`.
                while let Some(job) = part_rx.lock().ok().and_then(|rx| rx.recv().ok()) {
                    let (block, index) = (job.block_number, job.index);
                    // A panic is this part's failure, not a reader that never answers.
                    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.read::<T>(records)))
                        .unwrap_or_else(|_| Err(failed()));
                    if done_tx.send(PartDone { block_number: block, index, read }).is_err() {
                        break;
                    }
                }
            };
            std::thread::Builder::new()
                .name("standwatch-block".into())
                .spawn_scoped(scope, reader)
                .map_err(|_| failed())?;
        }
        drop(done_tx);
        let mut reading = ReadingBlocks::default();
        loop {
            // Room for the next block: at most one other being read.
            while reading.blocks.len() >= 2 {
                reading.finish_oldest(&done_rx, &mut blocks, &mut keys, &mut pieces, &failed)?;
            }
            let block = match blocks.next_block(cores)? {
                text::Block::Records(block) => Arc::new(block),
                text::Block::End => break,
                text::Block::Unsuitable => return Err(NotStreamed::Unsuitable),
            };
            let part_lines = block.part_lines(line);
            line += block.lines;
            let block_number = reading.start(Arc::clone(&block), part_lines.len());
            for (index, first_line) in part_lines.into_iter().enumerate() {
                let job = PartJob { block: Arc::clone(&block), block_number, index, first_line };
                part_tx.send(job).map_err(|_| failed())?;
            }
        }
        drop(part_tx);
        while !reading.blocks.is_empty() {
            reading.finish_oldest(&done_rx, &mut blocks, &mut keys, &mut pieces, &failed)?;
        }
        Ok(())
    })?;
    Ok(merge::<T>(pieces, opts.detail, map.unused_matches.clone(), map.present(specs), specs.len())?)
}

/// One part of a block for a reader thread.
struct PartJob {
    block: Arc<text::RecordBlock>,
    block_number: usize,
    index: usize,
    first_line: u64,
}

impl PartJob {
    fn read<T: Table>(self, records: &Records) -> Result<Option<PiecesRead>, ImportError> {
        match self.block.part(self.index) {
            Some(text) => records.read::<T>(text, self.first_line),
            None => Ok(None),
        }
    }
}

/// A part read by a reader thread.
struct PartDone {
    block_number: usize,
    index: usize,
    read: Result<Option<PiecesRead>, ImportError>,
}

/// The blocks handed to the reader threads and not yet finished, oldest first, with the
/// parts read so far.
#[derive(Default)]
struct ReadingBlocks {
    blocks: VecDeque<(Arc<text::RecordBlock>, Vec<Option<PartDone>>)>,
    /// The number of the oldest block in `blocks`.
    oldest: usize,
    /// Parts of later blocks that came before the oldest block's.
    early: Vec<PartDone>,
}

impl ReadingBlocks {
    /// Adds a block read in `parts` parts; returns its number.
    fn start(&mut self, block: Arc<text::RecordBlock>, parts: usize) -> usize {
        self.blocks.push_back((block, (0..parts).map(|_| None).collect()));
        self.oldest + self.blocks.len() - 1
    }

    /// Waits for the oldest block's parts; then its keys are checked, its frames kept in
    /// file order and its buffer given back.
    fn finish_oldest(
        &mut self,
        done: &mpsc::Receiver<PartDone>,
        reader: &mut text::BlockReader,
        keys: &mut IncreasingKeys,
        pieces: &mut Vec<(Parsed, SlashCounts)>,
        failed: &impl Fn() -> ImportError,
    ) -> Result<(), NotStreamed> {
        let oldest = self.oldest;
        loop {
            let Some((_, parts)) = self.blocks.front_mut() else { return Ok(()) };
            for part in std::mem::take(&mut self.early) {
                match parts.get_mut(part.index) {
                    Some(slot) if part.block_number == oldest => *slot = Some(part),
                    _ => self.early.push(part),
                }
            }
            if parts.iter().all(Option::is_some) {
                break;
            }
            let part = done.recv().map_err(|_| failed())?;
            self.early.push(part);
        }
        let Some((block, parts)) = self.blocks.pop_front() else { return Ok(()) };
        self.oldest += 1;
        let mut read = Vec::new();
        for part in parts.into_iter().flatten() {
            let Some((part, _)) = part.read? else { return Err(NotStreamed::Unsuitable) };
            read.extend(part);
        }
        keys.drop_while_increasing(&mut read)?;
        pieces.extend(read);
        // The reader threads have dropped their handles to the block with their parts.
        if let Ok(block) = Arc::try_unwrap(block) {
            reader.recycle(block.into_bytes());
        }
        Ok(())
    }
}

/// The pieces of a run of records, each read into a frame with its slash-date counts, and
/// the run's line count.
type PiecesRead = (Vec<(Parsed, SlashCounts)>, u64);

/// What reading records of a file needs besides their bytes.
pub(super) struct Records<'a> {
    path: &'a str,
    delimiter: u8,
    headers: &'a [String],
    map: &'a ColumnMap,
    opts: &'a ImportOptions,
    day_first: &'a [bool],
}

impl Records<'_> {
    /// Reads a run of whole records starting on line `first_line`: big runs in pieces on
    /// all cores, each piece starting at a record boundary.
    /// Also returns how many lines the run has; `None` when a piece is not UTF-8 (the
    /// file is then decoded whole).
    fn read<T: Table>(&self, text: RecordText, first_line: u64) -> Result<Option<PiecesRead>, ImportError> {
        let failed = || ImportError::Malformed {
            path: self.path.to_string(),
            line: 0,
            reason: "a reader thread failed".to_string(),
        };
        let pieces: Vec<(&[u8], Survey)> = match text {
            RecordText::Surveyed(pieces) => pieces,
            RecordText::Whole(body) => {
                let mut bounds = vec![0];
                bounds.extend(text::record_cuts(body.as_bytes(), crate::parallel::cores(), self.delimiter));
                bounds.push(body.len());
                let pieces: Vec<&[u8]> = bounds.windows(2).filter_map(|w| body.as_bytes().get(w[0]..w[1])).collect();
                // Each piece's lines (where the next piece starts, and room for its rows) and
                // the checks it needs, on all cores.
                crate::parallel::map_on_threads(pieces, |piece| Some((piece, survey(piece))), || None)
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(failed)?
            }
        };
        let mut start = first_line;
        let mut jobs = Vec::with_capacity(pieces.len());
        for (piece, survey) in pieces {
            jobs.push((piece, start, survey));
            start += survey.newlines;
        }
        // Cuts fall just after a newline: a piece of UTF-8 text is UTF-8 on its own.
        let read = crate::parallel::map_on_threads(
            jobs,
            |(piece, line, survey)| match std::str::from_utf8(piece) {
                Ok(piece) => self.read_piece::<T>(piece, line, &survey).map(Some),
                Err(_) => Ok(None),
            },
            || Err(failed()),
        )
        .into_iter()
        .collect::<Result<Option<Vec<_>>, _>>()?;
        Ok(read.map(|read| (read, start - first_line)))
    }

    fn read_piece<T: Table>(
        &self,
        piece: &str,
        first_line: u64,
        survey: &Survey,
    ) -> Result<(Parsed, SlashCounts), ImportError> {
        let mut orders = vec![(0usize, 0usize); self.day_first.len()];
        let mut table = T::default();
        table.keep(self.opts.detail);
        let mut rejections = Vec::new();
        // A quote left open at the end (a truncated export) would swallow the rest of the
        // file into one cell: that row is rejected and the rows before it are read.
        let open_quote = if survey.quotes { text::unterminated_quote(piece.as_bytes(), self.delimiter) } else { None };
        let piece = match open_quote {
            Some(open) => {
                rejections.push(Rejection {
                    file: self.path.to_string(),
                    line: first_line
                        + memchr::memchr_iter(b'\n', &piece.as_bytes()[..open.record_start]).count() as u64,
                    column: self
                        .headers
                        .get(open.field)
                        .map_or_else(|| format!("column {}", open.field + 1), |h| excerpt(h.trim())),
                    reason: "a quoted value starts here and is never closed: the file ends inside it (a truncated \
                             export?)"
                        .to_string(),
                });
                // A record starts just after a newline: a character boundary.
                piece.get(..open.record_start).unwrap_or_default()
            }
            None => piece,
        };
        // Room for as many rows as the piece has lines: the columns keep the room they are given.
        table.reserve(survey.newlines as usize + 1);
        let (map, zone, day_first) = (self.map, self.opts.zone, self.day_first);
        let crs = survey.carriage_returns;
        text::for_each_record_in(self.path, piece, self.delimiter, first_line, crs, |line, record| {
            let mut cells = Cells { record, line, map, zone, day_first, orders: &mut orders };
            if let Err(e) = table.read(&mut cells) {
                rejections.push(Rejection {
                    file: self.path.to_string(),
                    line,
                    column: map.written[e.field].clone(),
                    reason: e.reason,
                });
            }
        })?;
        // Each piece's columns become one chunk of the frame, built on the piece's core.
        Ok((Parsed { frame: table.frame()?, rejections, notes: Vec::new(), columns: Vec::new() }, orders))
    }
}

/// The pieces of a file, in order, as one frame (the pieces' columns chained as chunks,
/// not copied) with their rejections and slash-date counts.
pub(super) fn merge<T: Table>(
    pieces: Vec<(Parsed, SlashCounts)>,
    detail: Detail,
    notes: Vec<String>,
    columns: Vec<&'static str>,
    fields: usize,
) -> Result<(Parsed, SlashCounts), ImportError> {
    let mut empty = T::default();
    empty.keep(detail);
    let mut merged = Parsed { frame: empty.frame()?, rejections: Vec::new(), notes, columns };
    let mut orders = vec![(0usize, 0usize); fields];
    for (parsed, counts) in pieces {
        merged.frame.vstack_mut_owned(parsed.frame)?;
        merged.rejections.extend(parsed.rejections);
        for (total, (d, m)) in orders.iter_mut().zip(counts) {
            total.0 += d;
            total.1 += m;
        }
    }
    Ok((merged, orders))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table;
    use crate::import::{load_file, load_table};

    /// A deliveries export with what block reading must get right: quoted notes across
    /// lines and with delimiters, CRLF, blank lines, bad rows, day-first dates.
    fn awkward_deliveries(rows: usize) -> String {
        let mut text = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,notes\r\n".to_string();
        for i in 0..rows {
            let note = match i % 7 {
                0 => "\"left at door, \"\"side\"\"\nsecond line\"".to_string(),
                3 => "\"a, b\"".to_string(),
                _ => String::new(),
            };
            let when =
                if i % 5 == 0 { "25/01/2026 10:00".to_string() } else { format!("2026-01-{:02} 10:00:00", i % 28 + 1) };
            let outcome = if i % 97 == 0 { "lost" } else { "delivered" };
            text.push_str(&format!("T{i:06},D{:03},B{},{when},,{outcome},,{note}\r\n", i % 13, i / 20));
            if i % 50 == 0 {
                text.push_str("\r\n");
            }
        }
        text
    }

    #[test]
    fn reading_in_blocks_gives_what_reading_whole_gives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deliveries.csv");
        let text = awkward_deliveries(3000);
        std::fs::write(&path, &text).unwrap();
        let opts = ImportOptions::default();
        let specs = TableKind::Deliveries.fields();
        let csv = text::decode_csv(path.display().to_string(), text.into_bytes()).unwrap();
        let whole =
            day_first_passes(specs.len(), false, |d| parse_pass::<table::Deliveries>(&csv, specs, &opts, d)).unwrap();
        for block in [4096, 16_384, 65_536, 1 << 20] {
            let Ok(blocks) = day_first_passes(specs.len(), false, |d| {
                stream_pass::<table::Deliveries>(&path, specs, &opts, d, block, None)
            }) else {
                panic!("block size {block}: not read in blocks");
            };
            assert!(blocks.frame.equals_missing(&whole.frame), "block size {block}");
            let lines = |p: &Parsed| p.rejections.iter().map(|r| (r.line, r.reason.clone())).collect::<Vec<_>>();
            assert_eq!(lines(&blocks), lines(&whole), "block size {block}");
            assert!(!whole.rejections.is_empty() && blocks.frame.height() > 2000);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Any mix of awkward cells: read in small blocks, the file gives what a whole
        /// read gives. Only a quote a strict reading cannot explain (the last cell kind)
        /// may leave the file to the whole read.
        #[test]
        fn any_file_read_in_blocks_reads_as_whole(
            cells in proptest::collection::vec(0usize..12, 8..4000),
            lenient_quotes in proptest::bool::ANY,
            block in 2usize..5,
        ) {
            const CELLS: [&str; 12] = [
                "T1", "D1", "2026-01-05 10:00:00", "25/01/2026 10:00", "delivered", "attempted",
                "\"a, \"\"quoted\"\"\nnote\"", "", "\r\n", "\n", "é", "x\"y",
            ];
            let kinds = if lenient_quotes { 12 } else { 11 };
            let mut text = String::from("tracking_id,driver_id,deliver_by,outcome,notes\n");
            for (i, c) in cells.iter().enumerate() {
                text.push_str(CELLS[*c % kinds]);
                text.push(if i % 5 == 4 { '\n' } else { ',' });
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("d.csv");
            std::fs::write(&path, &text).unwrap();
            let opts = ImportOptions::default();
            let specs = TableKind::Deliveries.fields();
            let streamed = day_first_passes(specs.len(), false, |d| {
                stream_pass::<table::Deliveries>(&path, specs, &opts, d, 4096 * block, None)
            });
            let whole = text::decode_csv(path.display().to_string(), text.into_bytes()).and_then(|csv| {
                day_first_passes(specs.len(), false, |d| parse_pass::<table::Deliveries>(&csv, specs, &opts, d))
            });
            let lines = |p: &Parsed| p.rejections.iter().map(|r| (r.line, r.reason.clone())).collect::<Vec<_>>();
            match (streamed, whole) {
                (Err(NotStreamed::Unsuitable), _) => proptest::prop_assert!(lenient_quotes, "strict quotes not streamed"),
                (Ok(blocks), Ok(whole)) => {
                    proptest::prop_assert!(blocks.frame.equals_missing(&whole.frame));
                    proptest::prop_assert_eq!(lines(&blocks), lines(&whole));
                }
                (Err(NotStreamed::Failed(a)), Err(b)) => proptest::prop_assert_eq!(a.to_string(), b.to_string()),
                (Ok(_), Err(e)) => proptest::prop_assert!(false, "whole read failed: {}", e),
                (Err(NotStreamed::Failed(e)), Ok(_)) => proptest::prop_assert!(false, "block read failed: {}", e),
                (Err(NotStreamed::KeysOutOfOrder), _) => proptest::prop_assert!(false, "no keys were to be dropped"),
            }
        }
    }

    #[test]
    fn tracking_ids_go_only_while_they_increase() {
        let dir = tempfile::tempdir().unwrap();
        let specs = TableKind::Deliveries.fields();
        let opts = ImportOptions { detail: Detail::Tallies, ..ImportOptions::default() };
        let row = |i: usize| format!("T{i:06},D{},B{},2026-01-05 10:00:00,,delivered,,,,,,p.jpg\n", i % 3, i / 10);
        let header = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,returned_at,dnr,\
                      dnr_reported_at,contact_attempts,photo\n";
        let read = |order: &[usize]| {
            let text: String = std::iter::once(header.to_string()).chain(order.iter().map(|&i| row(i))).collect();
            let path = dir.path().join("d.csv");
            std::fs::write(&path, text).unwrap();
            stream_pass::<table::Deliveries>(&path, specs, &opts, &vec![false; specs.len()], 4096, Some("tracking_id"))
        };
        let ids_kept = |parsed: &Parsed| parsed.frame.column("tracking_id").unwrap().null_count() == 0;
        // In order throughout: dropped, and the photos kept as flags.
        let increasing: Vec<usize> = (0..3000).collect();
        let Ok((parsed, _)) = read(&increasing) else { panic!("not read") };
        assert_eq!(parsed.frame.column("tracking_id").unwrap().null_count(), 3000);
        assert_eq!(parsed.frame.column("has_photo").unwrap().bool().unwrap().num_trues(), 3000);
        assert_eq!(parsed.frame.column("photo").unwrap().null_count(), 3000);
        // Out of order in the first block: kept from the start.
        let mut early = increasing.clone();
        early.swap(3, 4);
        let Ok((parsed, _)) = read(&early) else { panic!("not read") };
        assert!(ids_kept(&parsed));
        // A repeat far into the file, after blocks were dropped: the file is read again.
        let mut late = increasing.clone();
        late.push(5);
        assert!(matches!(read(&late), Err(NotStreamed::KeysOutOfOrder)));
    }

    /// Blocks are cut at newlines into pieces and surveyed before they are parsed: CRLF
    /// and LF lines, blank lines, lone carriage returns, rejected rows, and quoted cells,
    /// some with newlines (cuts are then checked against the quotes).
    #[test]
    fn quote_free_blocks_read_in_pieces_give_what_reading_whole_gives() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ImportOptions::default();
        let specs = TableKind::Deliveries.fields();
        let mut text = String::from("tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,notes\n");
        let rows = 160_000;
        for i in 0..rows {
            let when = if i % 1001 == 0 {
                "31/31/2026 10:00".to_string()
            } else {
                format!("2026-01-{:02} 10:00:00", i % 28 + 1)
            };
            let note = match i {
                _ if i == rows - 10 || i % 7001 == 0 => "\"a, \"\"quoted\"\"\nnote\"",
                _ if i % 3001 == 0 => "lone\rreturn",
                _ if i % 5003 == 0 => "\"left at the door, \"\"side\"\"\"",
                _ => "",
            };
            let end = if i < rows / 2 { "\r\n" } else { "\n" };
            text.push_str(&format!("T{i:07},D{:03},B{},{when},,delivered,,{note}{end}", i % 13, i / 20));
            if i % 777 == 0 {
                text.push_str(end);
            }
        }
        let path = dir.path().join("d.csv");
        let read_in_blocks = |text: &[u8]| {
            std::fs::write(&path, text).unwrap();
            day_first_passes(specs.len(), false, |d| {
                stream_pass::<table::Deliveries>(&path, specs, &opts, d, 4 << 20, None)
            })
        };
        assert!(text.len() > 8 << 20, "several blocks, each cut in pieces");
        let Ok(streamed) = read_in_blocks(text.as_bytes()) else { panic!("not read in blocks") };
        let csv = text::decode_csv(path.display().to_string(), text.as_bytes().to_vec()).unwrap();
        let whole =
            day_first_passes(specs.len(), false, |d| parse_pass::<table::Deliveries>(&csv, specs, &opts, d)).unwrap();
        assert!(streamed.frame.equals_missing(&whole.frame));
        let lines = |p: &Parsed| p.rejections.iter().map(|r| (r.line, r.reason.clone())).collect::<Vec<_>>();
        assert_eq!(lines(&streamed), lines(&whole));
        assert!(whole.rejections.len() > 100 && whole.frame.height() > rows - 1000);
        // A NUL byte in a later block: the file is left to the whole read.
        let at = text.len() / 2;
        let with_nul = format!("{}\0{}", &text[..at], &text[at..]);
        assert!(matches!(read_in_blocks(with_nul.as_bytes()), Err(NotStreamed::Unsuitable)));
        // So does a byte that is not UTF-8 (a Windows-1252 é) in a later block.
        let mut latin1 = text.clone().into_bytes();
        latin1.insert(at, 0xE9);
        assert!(matches!(read_in_blocks(&latin1), Err(NotStreamed::Unsuitable)));
    }

    #[test]
    fn files_not_plain_utf8_are_decoded_whole_with_the_same_result() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ImportOptions::default();
        let mut text = awkward_deliveries(2000).into_bytes();
        // A Windows-1252 byte far into the file, after blocks already read.
        let at = text.len() - 100;
        text.insert(at, 0xE9);
        let path = dir.path().join("d.csv");
        std::fs::write(&path, &text).unwrap();
        let specs = TableKind::Deliveries.fields();
        let streamed = day_first_passes(specs.len(), false, |d| {
            stream_pass::<table::Deliveries>(&path, specs, &opts, d, 4096, None)
        });
        assert!(matches!(streamed, Err(NotStreamed::Unsuitable)));
        let mut report = ImportReport::default();
        let frame = load_file(&path, TableKind::Deliveries, &opts, &mut report).unwrap();
        let csv = text::decode_csv(path.display().to_string(), text).unwrap();
        let mut whole_report = ImportReport::default();
        let whole = load_table(&csv, TableKind::Deliveries, &opts, &mut whole_report).unwrap();
        assert!(frame.equals_missing(&whole));
        assert_eq!(report.rejections.len(), whole_report.rejections.len());
    }
}
