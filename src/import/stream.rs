//! A plain UTF-8 file read in blocks of whole records: reader threads, one per core, take
//! the blocks' pieces as they come while the next block is read and cut; the key column
//! dropped while its keys increase ([`super::Detail::Tallies`]).

use super::blocks::{Block, BlockReader, RecordBlock};
use super::fields::{FieldSpec, map_columns};
use super::read::{Parsed, PiecesRead, Records, SlashCounts, last_if_increasing, merge};
use super::table::Table;
use super::watch::{Found, WatchedIds};
use super::{ImportError, ImportOptions};
use polars_core::prelude::*;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

/// Why a file was not read in blocks.
pub(super) enum NotStreamed {
    /// Not plain UTF-8 text that splits safely: decoded whole instead.
    Unsuitable,
    /// Keys dropped as they were read in order ([`super::Detail::Tallies`]) turned out not to be:
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
/// strictly increasing ([`super::Detail::Tallies`]): such a file has no duplicate keys, and its
/// order breaks ties as the keys would.
struct IncreasingKeys<'w> {
    column: Option<&'static str>,
    /// The last key of the blocks read so far.
    last: Option<String>,
    dropped: bool,
    /// The keys looked for in each piece before its keys are dropped, and the rows found in
    /// the blocks whose keys were dropped: (row of the file's frame, row of the report).
    watch: Option<&'w WatchedIds<'w>>,
    found: Found,
    /// The rows of the pieces dropped so far.
    rows: usize,
}

/// A piece's first and last key (none when it is empty) and the rows of the keys looked for
/// in it; `None` when its keys do not increase.
type PieceKeys = Option<(Option<(String, String)>, Found)>;

/// The key column to drop while its keys increase, and the keys to look for in each piece
/// of rows before its keys are dropped.
#[derive(Clone, Copy)]
pub(super) struct KeysToDrop<'w> {
    pub(super) column: &'static str,
    pub(super) watch: Option<&'w WatchedIds<'w>>,
}

impl<'w> IncreasingKeys<'w> {
    fn new(drop: Option<KeysToDrop<'w>>) -> IncreasingKeys<'w> {
        IncreasingKeys {
            column: drop.map(|d| d.column),
            last: None,
            dropped: false,
            watch: drop.and_then(|d| d.watch),
            found: Vec::new(),
            rows: 0,
        }
    }

    /// The rows found of the keys looked for, when every key was dropped (else the keys
    /// are kept, and looked up in the frame).
    fn found(self) -> Option<Found> {
        (self.watch.is_some() && self.column.is_some()).then_some(self.found)
    }

    /// Drops the keys of a block's pieces (in file order) if they continue the increasing
    /// run; from the first that does not, keys are kept, and if some were already dropped
    /// the file must be read again.
    fn drop_while_increasing(&mut self, pieces: &mut [(Parsed, SlashCounts)]) -> Result<(), NotStreamed> {
        let Some(column) = self.column else { return Ok(()) };
        let failed = |e: PolarsError| NotStreamed::Failed(e.into());
        // Each piece's first and last key if its keys increase, and the rows of the keys
        // looked for, on the pieces' cores.
        let frames: Vec<&DataFrame> = pieces.iter().map(|(parsed, _)| &parsed.frame).collect();
        let watch = self.watch;
        let ranges = crate::parallel::map_on_threads(
            frames,
            |frame| -> PolarsResult<PieceKeys> {
                let keys = frame.column(column)?.str()?;
                let first = keys.iter().next().flatten();
                Ok(last_if_increasing(keys).map(|last| {
                    let found = watch.map(|watched| watched.found_in(keys)).unwrap_or_default();
                    (first.zip(last).map(|(a, b)| (a.to_string(), b.to_string())), found)
                }))
            },
            || Err(PolarsError::ComputeError("a worker thread failed".into())),
        );
        let mut last = self.last.take();
        let mut found = Vec::new();
        let mut rows = self.rows;
        for (range, (parsed, _)) in ranges.into_iter().zip(pieces.iter_mut()) {
            match range.map_err(failed)? {
                // An empty piece (all its rows rejected).
                Some((None, _)) => {}
                Some((Some((first, piece_last)), in_piece)) if last.as_ref().is_none_or(|l| *l < first) => {
                    last = Some(piece_last);
                    // The rows found in the piece, counted from the file's first.
                    found.extend(in_piece.into_iter().map(|(row, report_row)| (row + rows as u32, report_row)));
                }
                _ => {
                    self.column = None;
                    return if self.dropped { Err(NotStreamed::KeysOutOfOrder) } else { Ok(()) };
                }
            }
            rows += parsed.frame.height();
        }
        for (parsed, _) in pieces.iter_mut() {
            let height = parsed.frame.height();
            parsed.frame.with_column(StringChunked::full_null(column.into(), height).into_column()).map_err(failed)?;
        }
        self.last = last;
        self.dropped = true;
        self.found.extend(found);
        self.rows = rows;
        Ok(())
    }
}

/// One pass over a file read in blocks of whole records; `drop_keys`: the key column, to
/// drop while its keys increase ([`IncreasingKeys`]), and the keys to look for.
pub(super) fn stream_pass<T: Table>(
    path: &Path,
    specs: &[FieldSpec],
    opts: &ImportOptions,
    day_first: &[bool],
    block_bytes: usize,
    drop_keys: Option<KeysToDrop>,
) -> Result<(Parsed, SlashCounts), NotStreamed> {
    let Some((mut blocks, headers, mut line)) = BlockReader::open(path, block_bytes)? else {
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
                Block::Records(block) => Arc::new(block),
                Block::End => break,
                Block::Unsuitable => return Err(NotStreamed::Unsuitable),
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
    let (mut parsed, counts) =
        merge::<T>(pieces, opts.detail, map.unused_matches.clone(), map.present(specs), specs.len())?;
    parsed.found = keys.found();
    Ok((parsed, counts))
}

/// One part of a block for a reader thread.
struct PartJob {
    block: Arc<RecordBlock>,
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
    blocks: VecDeque<(Arc<RecordBlock>, Vec<Option<PartDone>>)>,
    /// The number of the oldest block in `blocks`.
    oldest: usize,
    /// Parts of later blocks that came before the oldest block's.
    early: Vec<PartDone>,
}

impl ReadingBlocks {
    /// Adds a block read in `parts` parts; returns its number.
    fn start(&mut self, block: Arc<RecordBlock>, parts: usize) -> usize {
        self.blocks.push_back((block, (0..parts).map(|_| None).collect()));
        self.oldest + self.blocks.len() - 1
    }

    /// Waits for the oldest block's parts; then its keys are checked, its frames kept in
    /// file order and its buffer given back.
    fn finish_oldest(
        &mut self,
        done: &mpsc::Receiver<PartDone>,
        reader: &mut BlockReader,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read::{day_first_passes, parse_pass};
    use crate::import::table;
    use crate::import::{Detail, ImportReport, TableKind, text};
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
            stream_pass::<table::Deliveries>(
                &path,
                specs,
                &opts,
                &vec![false; specs.len()],
                4096,
                Some(KeysToDrop { column: "tracking_id", watch: None }),
            )
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
