//! A big file read in blocks of whole records, cut and surveyed while the blocks before
//! it are parsed (only plain UTF-8 text; anything else is decoded whole).

use super::ImportError;
use super::records::{cuts_after, newline_cuts, piece_targets, split_header_of};
use super::scan::Survey;
use super::text::{binary_control_byte, sniff_delimiter, utf16_encoding};
use std::path::Path;

/// A file read in blocks of whole records, for files too big to hold at once as text.
/// Only plain UTF-8 text is read this way ([`BlockReader::open`] says when a file is not,
/// and it is then decoded whole by [`read_csv_text`], which handles every other case).
pub struct BlockReader {
    file: std::fs::File,
    path: String,
    /// The block being read: the bytes after the records handed out last, then the rest
    /// of the block once it is read.
    buf: Vec<u8>,
    /// Whether `buf` still has the rest of its block to read.
    unread: bool,
    /// Buffers of blocks whose records were read, for the blocks to come.
    free: Vec<Vec<u8>>,
    /// Where the records not yet handed out start in `buf`.
    start: usize,
    at_end: bool,
    /// Bytes read at a time at most; the end of a block's records is looked for in its
    /// last 1/32 (a longer record: the file is decoded whole).
    block_bytes: usize,
    /// The size of `buf`'s block: the first blocks are smaller, so that parsing starts
    /// soon, and each is twice the one before up to `block_bytes`.
    this_block: usize,
    pub delimiter: u8,
}

/// Bytes read at a time: big enough for a few pieces per core, small beside a big export.
pub const BLOCK_BYTES: usize = 32 << 20;

impl BlockReader {
    /// Opens a file and reads its header; `None` when the file is not plain UTF-8 CSV text
    /// (UTF-16, binary, empty, or a header this reader does not settle).
    pub fn open(path: &Path, block_bytes: usize) -> Result<Option<(BlockReader, Vec<String>, u64)>, ImportError> {
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| ImportError::Io { path: shown.clone(), source })?;
        // A file smaller than a block needs no more room than its size.
        let size = file.metadata().map_or(u64::MAX, |m| m.len());
        let room = usize::try_from(size).map_or(block_bytes, |size| block_bytes.min(size.saturating_add(1)));
        let mut reader = BlockReader {
            file,
            path: shown,
            buf: Vec::with_capacity(room),
            unread: false,
            free: Vec::new(),
            start: 0,
            at_end: false,
            block_bytes,
            this_block: first_block_bytes(block_bytes),
            delimiter: b',',
        };
        reader.fill()?;
        let bytes = &reader.buf;
        if utf16_encoding(bytes).is_some()
            || binary_control_byte(bytes).is_some()
            || memchr::memchr(0, bytes).is_some()
            || bytes.iter().all(u8::is_ascii_whitespace)
        {
            return Ok(None);
        }
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let head = match std::str::from_utf8(&bytes[bom..]) {
            Ok(text) => text,
            // A character cut by the end of the block is fine; an invalid byte is not UTF-8.
            Err(e) if e.error_len().is_none() => std::str::from_utf8(&bytes[bom..bom + e.valid_up_to()]).unwrap_or(""),
            Err(_) => return Ok(None),
        };
        reader.delimiter = sniff_delimiter(head);
        let Ok((headers, body_start, body_line)) = split_header_of(&reader.path, head, reader.delimiter) else {
            return Ok(None);
        };
        // The header must end inside what was read (or the file must end there).
        if body_start >= head.len() && !reader.at_end {
            return Ok(None);
        }
        reader.start = bom + body_start;
        Ok(Some((reader, headers, body_line)))
    }

    /// Reads until the block is full or the file ends.
    fn fill(&mut self) -> Result<(), ImportError> {
        self.at_end = fill_block(&mut self.file, &self.path, &mut self.buf, self.this_block)?;
        Ok(())
    }

    /// The next run of whole records (the rest of the file at its end), read and planned
    /// here while the runs handed out before are parsed: records whose newlines are all
    /// outside quotes (most exports) come cut into `parts` pieces, each with its survey.
    pub fn next_block(&mut self, parts: usize) -> Result<Block<RecordBlock>, ImportError> {
        if self.unread {
            self.at_end = fill_block(&mut self.file, &self.path, &mut self.buf, self.this_block)?;
            self.unread = false;
        }
        if self.start >= self.buf.len() && self.at_end {
            return Ok(Block::End);
        }
        let data = self.buf.get(self.start..).unwrap_or_default();
        let (end, plan, lines) = match plan(data, self.at_end, self.this_block / 32, parts, self.delimiter) {
            Plan::Unsuitable => return Ok(Block::Unsuitable),
            Plan::Pieces { end, pieces } => {
                let lines = pieces.iter().map(|(_, survey)| survey.newlines).sum();
                let shift = |range: std::ops::Range<usize>| self.start + range.start..self.start + range.end;
                (
                    end,
                    Cutting::Pieces(pieces.into_iter().map(|(range, survey)| (shift(range), survey)).collect()),
                    lines,
                )
            }
            Plan::Whole { end, lines } => (end, Cutting::Whole, lines),
        };
        // The bytes after these records start the next block, read at the next call.
        let mut next = self.free.pop().unwrap_or_else(|| Vec::with_capacity(self.buf.capacity()));
        next.clear();
        next.extend_from_slice(data.get(end..).unwrap_or_default());
        let records = self.start..self.start + end;
        let bytes = std::mem::replace(&mut self.buf, next);
        self.start = 0;
        self.unread = !self.at_end;
        self.this_block = (2 * self.this_block).min(self.block_bytes);
        Ok(Block::Records(RecordBlock { bytes, records, plan, lines }))
    }

    /// Takes back the buffer of a block whose records were read, for a block to come.
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        self.free.push(bytes);
    }
}

/// A run of whole records handed out by [`BlockReader::next_block`], owning its bytes so
/// that it can be parsed while the next runs are read.
pub struct RecordBlock {
    bytes: Vec<u8>,
    records: std::ops::Range<usize>,
    plan: Cutting,
    /// How many lines the records span.
    pub lines: u64,
}

/// How a block is cut into the pieces the reader threads take.
enum Cutting {
    /// Pieces cut at newlines outside quotes (byte ranges in the block), with their surveys.
    Pieces(Vec<(std::ops::Range<usize>, Survey)>),
    /// Cut into pieces tracking quotes, when read.
    Whole,
}

impl RecordBlock {
    /// The records to read; `None` if they are not UTF-8 (checked when a block to be read
    /// whole is planned, so not expected).
    pub fn text(&self) -> Option<RecordText<'_>> {
        Some(match &self.plan {
            Cutting::Pieces(pieces) => RecordText::Surveyed(
                pieces
                    .iter()
                    .map(|(range, survey)| (self.bytes.get(range.clone()).unwrap_or_default(), *survey))
                    .collect(),
            ),
            Cutting::Whole => RecordText::Whole(std::str::from_utf8(self.bytes.get(self.records.clone())?).ok()?),
        })
    }

    /// The first line of each part the block is read in (its pieces, or the whole block
    /// when it is read whole), from the block's first line.
    pub fn part_lines(&self, first_line: u64) -> Vec<u64> {
        match &self.plan {
            Cutting::Pieces(pieces) => pieces
                .iter()
                .scan(first_line, |line, (_, survey)| {
                    let first = *line;
                    *line += survey.newlines;
                    Some(first)
                })
                .collect(),
            Cutting::Whole => vec![first_line],
        }
    }

    /// Part `index` of the records (see [`RecordBlock::part_lines`]); `None` if the
    /// records are not UTF-8.
    pub fn part(&self, index: usize) -> Option<RecordText<'_>> {
        match self.text()? {
            RecordText::Surveyed(pieces) => Some(RecordText::Surveyed(vec![*pieces.get(index)?])),
            whole => Some(whole),
        }
    }

    /// The block's buffer, for [`BlockReader::recycle`].
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// How a block's records are to be read, found before they are handed out.
enum Plan {
    /// Cut at newlines outside quotes: where the records end, and each piece's bytes and
    /// survey (each piece is checked as UTF-8 as it is parsed).
    Pieces { end: usize, pieces: Vec<(std::ops::Range<usize>, Survey)> },
    /// A newline at a cut may be inside quotes: the records end where a reading that
    /// tracks them says (checked here as UTF-8 without NUL bytes), and are cut into pieces
    /// the same way when read.
    Whole { end: usize, lines: u64 },
    /// Not readable in blocks: a NUL byte, bytes that are not UTF-8 (found here when the
    /// block is read whole), or no record end in the block's tail.
    Unsuitable,
}

/// The plan for the records at the start of `data` (the rest of the file if `at_end`):
/// they end after the first newline of the block's last `tail_bytes` and are cut into about
/// `parts` pieces at newlines, each surveyed; quotes, if any, must allow those cuts.
fn plan(data: &[u8], at_end: bool, tail_bytes: usize, parts: usize, delimiter: u8) -> Plan {
    let tail_start = data.len().saturating_sub(tail_bytes);
    let end = match memchr::memchr(b'\n', data.get(tail_start..).unwrap_or_default()) {
        _ if at_end => data.len(),
        Some(newline) => tail_start + newline + 1,
        None => return Plan::Unsuitable,
    };
    let records = data.get(..end).unwrap_or_default();
    let mut bounds = vec![0];
    bounds.extend(newline_cuts(records, parts));
    bounds.push(end);
    let pieces: Vec<_> = bounds
        .windows(2)
        .map(|w| (w[0]..w[1], super::scan::survey(records.get(w[0]..w[1]).unwrap_or_default())))
        .collect();
    if pieces.iter().any(|(_, survey)| survey.nul) {
        return Plan::Unsuitable;
    }
    if pieces.iter().any(|(_, survey)| survey.quotes)
        && !newline_cuts_hold(data, end, tail_start, at_end, parts, delimiter)
    {
        return plan_whole(data, at_end, tail_start, delimiter);
    }
    Plan::Pieces { end, pieces }
}

/// [`plan`] when quotes may hold a newline at a cut: the end is found tracking them.
fn plan_whole(data: &[u8], at_end: bool, tail_start: usize, delimiter: u8) -> Plan {
    let end = match cuts_after(data, &[tail_start], delimiter).as_deref() {
        _ if at_end => data.len(),
        Some([end, ..]) => *end,
        _ => return Plan::Unsuitable,
    };
    let records = data.get(..end).unwrap_or_default();
    if std::str::from_utf8(records).is_err() || memchr::memchr(0, records).is_some() {
        return Plan::Unsuitable;
    }
    Plan::Whole { end, lines: memchr::memchr_iter(b'\n', records).count() as u64 }
}

/// Whether the cuts [`plan`] made at newlines (the pieces of `data[..end]`, and `end`
/// itself unless the file ends there) are all outside quotes: quoted cells without a
/// newline at a cut (most quoted exports) leave them right.
fn newline_cuts_hold(data: &[u8], end: usize, tail_start: usize, at_end: bool, parts: usize, delimiter: u8) -> bool {
    let mut targets = piece_targets(end, parts);
    if !at_end {
        targets.push(tail_start);
    }
    targets.sort_unstable();
    let mut at_newlines: Vec<usize> =
        targets.iter().filter_map(|&target| Some(target + memchr::memchr(b'\n', data.get(target..)?)? + 1)).collect();
    at_newlines.dedup();
    cuts_after(data, &targets, delimiter).is_some_and(|cuts| cuts == at_newlines)
}

/// The first block of a reader of `block_bytes`: an eighth of it, but not under 1 MB.
fn first_block_bytes(block_bytes: usize) -> usize {
    (block_bytes / 8).max(block_bytes.min(1 << 20))
}

/// Appends to `buf` until it holds `block_bytes` or the file ends; true at the end.
fn fill_block(
    file: &mut std::fs::File,
    path: &str,
    buf: &mut Vec<u8>,
    block_bytes: usize,
) -> Result<bool, ImportError> {
    use std::io::Read;
    let want = block_bytes.saturating_sub(buf.len());
    let got =
        file.take(want as u64).read_to_end(buf).map_err(|source| ImportError::Io { path: path.to_string(), source })?;
    Ok(got < want)
}

/// Whole records handed out to be read.
pub enum RecordText<'a> {
    /// To be cut into pieces tracking quotes, and surveyed.
    Whole(&'a str),
    /// Cut at newlines outside quotes into pieces, each with its survey; each is to be
    /// checked as UTF-8 (the file is otherwise decoded whole).
    Surveyed(Vec<(&'a [u8], Survey)>),
}

/// What [`BlockReader::next_block`] found.
pub enum Block<R> {
    /// Records to read.
    Records(R),
    End,
    /// Not readable in blocks (not UTF-8, a NUL byte, quotes that leave no safe end, a
    /// record longer than a block's tail): the file is to be decoded whole.
    Unsuitable,
}
