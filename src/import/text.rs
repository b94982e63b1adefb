//! Bytes to text and records: encoding detection, delimiter sniffing, physical line numbers.

use super::ImportError;
use super::scan::Survey;
use std::path::Path;

/// A decoded CSV file, ready to be split into records.
pub struct CsvText {
    pub path: String,
    pub text: String,
    pub delimiter: u8,
}

/// The largest input file read: bigger exports are refused with a clear message rather
/// than risk running out of memory (the tables take several times the file's size).
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads a file as UTF-8 (a BOM is dropped), UTF-16 (with a BOM, or detected), or, where
/// it is not valid UTF-8, Windows-1252.
pub fn read_csv_text(path: &Path) -> Result<CsvText, ImportError> {
    check_size(path)?;
    let shown = path.display().to_string();
    let bytes = crate::timings::phase("read file", || std::fs::read(path))
        .map_err(|source| ImportError::Io { path: shown.clone(), source })?;
    crate::timings::phase("decode", || decode_csv(shown, bytes))
}

/// A file that exists and is not over [`MAX_INPUT_BYTES`].
pub fn check_size(path: &Path) -> Result<(), ImportError> {
    let shown = || path.display().to_string();
    let size = std::fs::metadata(path).map_err(|source| ImportError::Io { path: shown(), source })?.len();
    if size > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { path: shown(), size, limit: MAX_INPUT_BYTES });
    }
    Ok(())
}

pub fn decode_csv(path: String, mut bytes: Vec<u8>) -> Result<CsvText, ImportError> {
    if let Some(utf16) = utf16_encoding(&bytes) {
        let (text, _) = utf16.decode_without_bom_handling(
            bytes.strip_prefix(&[0xFF, 0xFE]).or_else(|| bytes.strip_prefix(&[0xFE, 0xFF])).unwrap_or(&bytes),
        );
        bytes = text.into_owned().into_bytes();
    }
    // A spreadsheet that crashed while saving may pad the file with NUL bytes.
    let padded = bytes.iter().rev().take_while(|&&b| b == 0).count();
    bytes.truncate(bytes.len() - padded);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty { path });
    }
    if let Some(offset) = memchr::memchr(0, &bytes).or_else(|| binary_control_byte(&bytes)) {
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count() as u64;
        return Err(ImportError::Binary { path, line, offset });
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => decode_non_utf8(&err.into_bytes()),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let delimiter = sniff_delimiter(&text);
    Ok(CsvText { path, text, delimiter })
}

/// The first control byte of a file where they are common (over 5% of its start): text
/// exports hold tabs and line breaks, and at most a stray other control byte in a note.
fn binary_control_byte(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(8192)];
    let is_control = |b: &u8| b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x1A);
    let count = head.iter().filter(|b| is_control(b)).count();
    (count * 20 > head.len()).then(|| head.iter().position(is_control)).flatten()
}

/// UTF-16 by its byte-order mark, or by the zero high bytes of ASCII text without one.
fn utf16_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some(encoding_rs::UTF_16LE),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Windows-1252 for a file that has no valid multi-byte UTF-8 at all; for a file that
/// mixes both (rows pasted from different systems), each invalid byte alone is read as
/// Windows-1252 and the valid UTF-8 is kept.
fn decode_non_utf8(bytes: &[u8]) -> String {
    let has_utf8_multibyte = bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii());
    if !has_utf8_multibyte {
        return encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned();
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.push_str(&encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
    }
    text
}

/// The most frequent of comma, semicolon and tab on the header line, outside quotes;
/// comma on a tie or when none occurs.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { candidates[best] }
}

/// Splits a piece of a file, starting at a record boundary on line `first_line`, into
/// records, calling `each` with the 1-based physical line on which the record starts.
/// Blank lines, and rows whose cells are all blank, are skipped.
///
/// A line without quotes (nearly every line of an export) is split on the delimiter where
/// it lies; a line with a quote is read by the csv crate, as one record that may span
/// lines. A piece with lone `\r` line ends (old Mac files) is read by the csv crate whole.
pub fn for_each_record_in(
    path: &str,
    text: &str,
    delimiter: u8,
    first_line: u64,
    may_have_carriage_returns: bool,
    mut each: impl FnMut(u64, &[&str]),
) -> Result<(), ImportError> {
    if may_have_carriage_returns && has_lone_carriage_return(text.as_bytes()) {
        return for_each_record_by_csv(path, text.as_bytes(), delimiter, first_line, each);
    }
    let mut fields: Vec<&str> = Vec::new();
    let mut line = first_line;
    let bytes = text.as_bytes();
    // One pass over the text finds every delimiter, line end and quote. Delimiter, quote
    // and newline are ASCII: every cut is on a character boundary.
    let mut specials = super::scan::Specials::new(bytes, delimiter);
    let mut quoted_reader: Option<QuotedReader> = None;
    let mut record_start = 0;
    while record_start < bytes.len() {
        fields.clear();
        let (mut start, mut end, mut quoted) = (record_start, bytes.len(), false);
        for at in specials.by_ref() {
            match bytes.get(at) {
                Some(b'\n') => {
                    end = at;
                    break;
                }
                Some(b'"') => {
                    quoted = true;
                    break;
                }
                _ => {
                    fields.push(text.get(start..at).unwrap_or_default());
                    start = at + 1;
                }
            }
        }
        if quoted {
            let rest = text.get(record_start..).unwrap_or_default();
            let reader = quoted_reader.get_or_insert_with(|| QuotedReader::new(delimiter));
            let (cells, consumed) = reader.read(rest.as_bytes()).map_err(|reason| ImportError::Malformed {
                path: path.to_string(),
                line,
                reason,
            })?;
            let consumed = consumed.clamp(1, rest.len());
            let consumed = (consumed..rest.len()).find(|&i| rest.is_char_boundary(i)).unwrap_or(rest.len());
            if !cells.iter().all(|cell| cell.trim().is_empty()) {
                each(line, &cells);
            }
            line += memchr::memchr_iter(b'\n', &rest.as_bytes()[..consumed]).count() as u64;
            record_start += consumed;
            specials.skip_to(record_start);
            continue;
        }
        let last = text.get(start..end).unwrap_or_default();
        fields.push(last.strip_suffix('\r').unwrap_or(last));
        // A row's first cell is nearly always filled: a visible first byte says the row is
        // not blank without the Unicode whitespace scan.
        let blank = |cell: &&str| !cell.as_bytes().first().is_some_and(u8::is_ascii_graphic) && cell.trim().is_empty();
        if !fields.iter().all(blank) {
            each(line, &fields);
        }
        line += 1;
        record_start = end + 1;
    }
    Ok(())
}

/// Reads one quoted record at a time with one csv parser, reset between records: the
/// csv crate's reading of a record (RFC 4180 quoting, a record may span lines), without
/// building a parser for each one. Building one costs more than reading a row, and every
/// row of some exports has a quoted cell (an address with commas, a name).
struct QuotedReader {
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
}

impl QuotedReader {
    fn new(delimiter: u8) -> QuotedReader {
        QuotedReader {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// The cells of the first record of `input`, and the bytes it took (its line end
    /// included, as the csv crate counts them).
    fn read(&mut self, input: &[u8]) -> Result<(Vec<&str>, usize), String> {
        use csv_core::ReadRecordResult;
        self.core.reset();
        let (mut taken, mut written, mut cells) = (0, 0, 0);
        loop {
            // The rest of the input; once it is empty, the call says the input has ended.
            let rest = input.get(taken..).unwrap_or_default();
            let (result, nin, nout, nend) =
                self.core.read_record(rest, &mut self.fields[written..], &mut self.ends[cells..]);
            taken += nin;
            written += nout;
            cells += nend;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        let mut start = 0;
        let mut out = Vec::with_capacity(cells);
        for &end in &self.ends[..cells] {
            let cell = std::str::from_utf8(&self.fields[start..end]).map_err(|e| format!("invalid UTF-8: {e}"))?;
            out.push(cell);
            start = end;
        }
        Ok((out, taken))
    }
}

/// A `\r` not followed by `\n`: a line end to the csv crate, not to a line split.
/// The csv crate as every reading here uses it: no header handling, rows of any length.
fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes)
}

fn has_lone_carriage_return(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// The csv crate's reading of a whole piece, with physical line numbers.
fn for_each_record_by_csv(
    path: &str,
    bytes: &[u8],
    delimiter: u8,
    first_line: u64,
    mut each: impl FnMut(u64, &[&str]),
) -> Result<(), ImportError> {
    let mut reader = csv_reader(bytes, delimiter);
    let mut record = csv::StringRecord::new();
    // The csv crate's own line numbers drift with CRLF and blank lines; its byte offsets
    // do not. A record's offset may point at the end of the previous line's terminator
    // and at blank lines: skip those, then count newlines since the previous record.
    let mut counted_to = 0usize;
    let mut line = first_line;
    let mut line_at = |offset: usize| {
        let offset = offset.min(bytes.len()).max(counted_to);
        let start = offset + bytes[offset..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        line += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count() as u64;
        counted_to = start;
        line
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = line_at(record.position().map_or(usize::MAX, |p| p.byte() as usize));
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                let cells: Vec<&str> = record.iter().collect();
                each(line, &cells);
            }
            Err(err) => {
                let line = line_at(err.position().map_or(usize::MAX, |p| p.byte() as usize));
                return Err(ImportError::Malformed { path: path.to_string(), line, reason: err.to_string() });
            }
        }
    }
}

/// Where a quoted field opens that is still open at the end of `bytes`.
pub struct OpenQuote {
    /// Byte offset of the start of the record holding the field.
    pub record_start: usize,
    /// 0-based index of the field in its record.
    pub field: usize,
}

/// The field whose opening quote is never closed, reading `bytes` by RFC 4180 (a quote
/// opens a field only at its start, `""` inside is an escaped quote).
pub fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<OpenQuote> {
    // Balanced quoting has an even count: only an odd count needs the byte-by-byte walk.
    if memchr::memchr_iter(b'"', bytes).count().is_multiple_of(2) {
        return None;
    }
    let (mut quoted, mut at_field_start) = (false, true);
    let (mut record_start, mut field) = (0, 0);
    let mut open = OpenQuote { record_start: 0, field: 0 };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && at_field_start {
            quoted = true;
            at_field_start = false;
            open = OpenQuote { record_start, field };
        } else if b == delimiter {
            field += 1;
            at_field_start = true;
        } else if b == b'\n' {
            (record_start, field, at_field_start) = (i + 1, 0, true);
        } else if b != b'\r' {
            at_field_start = false;
        }
        i += 1;
    }
    quoted.then_some(open)
}

/// The header record and where the body starts: (headers, byte offset, line number).
pub fn split_header(csv: &CsvText) -> Result<(Vec<String>, usize, u64), ImportError> {
    split_header_of(&csv.path, &csv.text, csv.delimiter)
}

/// [`split_header`] of the start of a file's text.
pub fn split_header_of(path: &str, text: &str, delimiter: u8) -> Result<(Vec<String>, usize, u64), ImportError> {
    let bytes = text.as_bytes();
    let mut reader = csv_reader(bytes, delimiter);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Ok(true) => {
                let end = reader.position().byte() as usize;
                let line = 1 + memchr::memchr_iter(b'\n', &bytes[..end]).count() as u64;
                return Ok((record.iter().map(str::to_string).collect(), end, line));
            }
            Ok(false) => return Err(ImportError::Empty { path: path.to_string() }),
            Err(e) => return Err(ImportError::Malformed { path: path.to_string(), line: 1, reason: e.to_string() }),
        }
    }
}

/// Byte offsets that cut `body` into about `parts` pieces at record boundaries (after a
/// newline outside quotes), for parsing in parallel; none when the quotes do not allow it
/// (see [`cuts_after`]), and the file is read in one piece.
pub fn record_cuts(body: &[u8], parts: usize, delimiter: u8) -> Vec<usize> {
    let targets = piece_targets(body.len(), parts);
    let mut cuts = cuts_after(body, &targets, delimiter).unwrap_or_default();
    cuts.retain(|&c| c < body.len());
    cuts
}

/// [`record_cuts`] for text without quotes: just after the next newline.
pub fn newline_cuts(body: &[u8], parts: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = piece_targets(body.len(), parts)
        .into_iter()
        .filter_map(|target| Some(target + memchr::memchr(b'\n', body.get(target..)?)? + 1))
        .filter(|&cut| cut < body.len())
        .collect();
    cuts.dedup();
    cuts
}

/// Where `parts` pieces of `len` bytes would start (none for a short text).
fn piece_targets(len: usize, parts: usize) -> Vec<usize> {
    const MIN_PIECE: usize = 1 << 20;
    if parts < 2 || len < 2 * MIN_PIECE {
        return Vec::new();
    }
    (1..parts).map(|k| len * k / parts).collect()
}

/// For each target offset (ascending), the record boundary after it: just past the next
/// newline outside quotes (targets with none after them give nothing). Quote state is
/// tracked from the start; `None` when a quote is one a strict RFC 4180 reading would not
/// explain (a quote inside an unquoted field, say), which leaves no safe place to cut.
pub fn cuts_after(body: &[u8], targets: &[usize], delimiter: u8) -> Option<Vec<usize>> {
    let mut targets = targets.to_vec();
    let mut cuts = Vec::with_capacity(targets.len());
    let field_start = |i: usize| i == 0 || matches!(body[i - 1], b'\n' | b'\r') || body[i - 1] == delimiter;
    let field_end = |i: usize| i + 1 >= body.len() || matches!(body[i + 1], b'\n' | b'\r') || body[i + 1] == delimiter;
    let mut quoted = false;
    let mut quotes = memchr::memchr_iter(b'"', body).peekable();
    loop {
        let next_quote = quotes.peek().copied().unwrap_or(body.len());
        // Targets before the next quote: outside quotes, cut after the next newline if it
        // also comes before that quote; otherwise look again after the quote.
        while let Some(&target) = targets.first() {
            if target >= next_quote {
                break;
            }
            if !quoted && let Some(nl) = memchr::memchr(b'\n', &body[target..next_quote]) {
                cuts.push(target + nl + 1);
                targets.remove(0);
            } else {
                targets[0] = next_quote;
            }
        }
        let Some(q) = quotes.next() else { break };
        if !quoted {
            if !field_start(q) {
                return None;
            }
            quoted = true;
        } else if quotes.peek() == Some(&(q + 1)) {
            // An escaped quote ("") inside a quoted field.
            quotes.next();
        } else {
            if !field_end(q) {
                return None;
            }
            quoted = false;
        }
    }
    cuts.dedup();
    Some(cuts)
}

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
                    BlockPlan::Pieces(pieces.into_iter().map(|(range, survey)| (shift(range), survey)).collect()),
                    lines,
                )
            }
            Plan::Whole { end, lines } => (end, BlockPlan::Whole, lines),
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
    plan: BlockPlan,
    /// How many lines the records span.
    pub lines: u64,
}

enum BlockPlan {
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
            BlockPlan::Pieces(pieces) => RecordText::Surveyed(
                pieces
                    .iter()
                    .map(|(range, survey)| (self.bytes.get(range.clone()).unwrap_or_default(), *survey))
                    .collect(),
            ),
            BlockPlan::Whole => RecordText::Whole(std::str::from_utf8(self.bytes.get(self.records.clone())?).ok()?),
        })
    }

    /// The first line of each part the block is read in (its pieces, or the whole block
    /// when it is read whole), from the block's first line.
    pub fn part_lines(&self, first_line: u64) -> Vec<u64> {
        match &self.plan {
            BlockPlan::Pieces(pieces) => pieces
                .iter()
                .scan(first_line, |line, (_, survey)| {
                    let first = *line;
                    *line += survey.newlines;
                    Some(first)
                })
                .collect(),
            BlockPlan::Whole => vec![first_line],
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a text has carriage returns, as its survey says.
    fn crs(text: &str) -> bool {
        super::super::scan::survey(text.as_bytes()).carriage_returns
    }

    fn records(bytes: &[u8]) -> Vec<(u64, Vec<String>)> {
        let csv = decode_csv("t.csv".into(), bytes.to_vec()).unwrap();
        let mut out = Vec::new();
        for_each_record_in("t", &csv.text, csv.delimiter, 1, crs(&csv.text), |line, r| {
            out.push((line, r.iter().map(|c| c.to_string()).collect()))
        })
        .unwrap();
        out
    }

    #[test]
    fn physical_lines_with_crlf_blank_lines_and_quoted_newlines() {
        let rows = records(b"\xef\xbb\xbfa,b\r\n\r\n1,\"x\r\ny\"\r\n,\r\n2,z\r\n");
        assert_eq!(rows[0], (1, vec!["a".to_string(), "b".to_string()]));
        assert_eq!(rows[1], (3, vec!["1".to_string(), "x\r\ny".to_string()]));
        assert_eq!(rows[2].0, 6);
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn windows_1252_and_semicolons() {
        let rows = records(b"driver_id;driver_name\nD1;Jos\xe9\n");
        assert_eq!(rows[1].1, vec!["D1".to_string(), "José".to_string()]);
    }

    #[test]
    fn cuts_only_at_record_boundaries_outside_quotes() {
        let mut body = String::new();
        for i in 0..60_000 {
            body += &format!("T{i},\"note {i}\nsecond line, \"\"quoted\"\"\",x\n");
        }
        let bytes = body.as_bytes();
        let cuts = record_cuts(bytes, 4, b',');
        assert_eq!(cuts.len(), 3);
        for c in &cuts {
            assert_eq!(bytes[c - 1], b'\n');
            assert!(bytes[*c..].starts_with(b"T"), "cut inside a quoted field at {c}");
        }
        // Parsing the pieces gives the same records as parsing the whole.
        let whole = records(bytes).len();
        let mut pieces = 0;
        let mut bounds = vec![0];
        bounds.extend(&cuts);
        bounds.push(bytes.len());
        for w in bounds.windows(2) {
            let piece = std::str::from_utf8(&bytes[w[0]..w[1]]).unwrap();
            for_each_record_in("t", piece, b',', 1, crs(piece), |_, _| pieces += 1).unwrap();
        }
        assert_eq!(pieces, whole);
        // A stray quote inside an unquoted field: no cuts, one piece.
        let odd = format!("{body}a,5\" box,b\n{body}");
        assert!(record_cuts(odd.as_bytes(), 4, b',').is_empty());
        assert!(record_cuts(b"small,file\n", 4, b',').is_empty());
    }

    #[test]
    fn header_and_body_start() {
        let csv = decode_csv("t".into(), b"\r\na,\"b\nc\"\r\n1,2\r\n".to_vec()).unwrap();
        let (headers, body, line) = split_header(&csv).unwrap();
        assert_eq!(headers, ["a", "b\nc"]);
        assert_eq!(line, 3);
        let mut seen = Vec::new();
        for_each_record_in("t", &csv.text[body..], b',', line, crs(&csv.text[body..]), |l, r| {
            seen.push((l, r[0].to_string()))
        })
        .unwrap();
        assert_eq!(seen, [(4, "1".to_string())]);
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a\tb\tc\n1,2"), b'\t');
        assert_eq!(sniff_delimiter("\n\"x;y\",b,c"), b',');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("single"), b',');
    }

    #[test]
    fn empty_and_binary_files_are_errors() {
        assert!(matches!(decode_csv("e".into(), b" \n\r\n".to_vec()), Err(ImportError::Empty { .. })));
        assert!(matches!(decode_csv("b".into(), b"PK\x03\x04\x00\x00".to_vec()), Err(ImportError::Binary { .. })));
        let nul_on_line_3 = b"a,b\n1,2\n3,\x004\n".to_vec();
        assert!(matches!(decode_csv("n".into(), nul_on_line_3), Err(ImportError::Binary { line: 3, offset: 10, .. })));
    }

    #[test]
    fn finds_a_quote_left_open_at_the_end() {
        let open = unterminated_quote(b"a,b\n1,\"x\"\"y\"\n2,3\n4,\"never\nclosed\n", b',').unwrap();
        assert_eq!((open.record_start, open.field), (17, 1));
        assert!(unterminated_quote(b"a,b\n1,\"x\ny\"\n", b',').is_none());
        // A stray quote inside an unquoted field opens nothing.
        assert!(unterminated_quote(b"a,b\n1,5\" box\n", b',').is_none());
    }

    #[test]
    fn trailing_nul_padding_is_dropped() {
        let csv = decode_csv("p".into(), b"a,b\n1,2\n\x00\x00\x00".to_vec()).unwrap();
        assert_eq!(csv.text, "a,b\n1,2\n");
    }

    #[test]
    fn utf16_with_and_without_byte_order_mark() {
        let text = "driver_id;name\nD1;Zoë\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [[vec![0xFF, 0xFE], le.clone()].concat(), [vec![0xFE, 0xFF], be.clone()].concat(), le, be] {
            let csv = decode_csv("u".into(), bytes).unwrap();
            assert_eq!(csv.text, text);
            assert_eq!(csv.delimiter, b';');
        }
    }

    #[test]
    fn mixed_utf8_and_windows_1252_rows_keep_both() {
        let mut bytes = "id,name\n1,Zoë\n2,".as_bytes().to_vec();
        bytes.extend_from_slice(b"Ren\xe9\n");
        assert_eq!(decode_csv("m".into(), bytes).unwrap().text, "id,name\n1,Zoë\n2,René\n");
        let only_1252 = b"id,name\n1,Ren\xe9 \x93Q\x94\n".to_vec();
        assert_eq!(decode_csv("w".into(), only_1252).unwrap().text, "id,name\n1,René \u{201c}Q\u{201d}\n");
    }

    /// The reused parser reads each record as a new csv crate reader does: the same
    /// cells and the same bytes taken, for records with quotes, delimiters and line ends
    /// of every kind, one after the other.
    #[test]
    fn a_reused_parser_reads_quoted_records_as_the_csv_crate_does() {
        use proptest::prelude::*;
        let piece = proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just(",".to_string()),
                Just(";".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just("é".to_string()),
                "[a-c ]{0,3}",
            ],
            0..30,
        );
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&(piece, prop_oneof![Just(b','), Just(b';')]), |(pieces, delimiter)| {
                let text: String = pieces.concat();
                let mut ours = QuotedReader::new(delimiter);
                let mut at = 0;
                while at < text.len() {
                    let rest = &text.as_bytes()[at..];
                    let mut theirs = csv_reader(rest, delimiter);
                    let mut record = csv::StringRecord::new();
                    let expected = theirs.read_record(&mut record).map(|_| {
                        (record.iter().map(str::to_string).collect::<Vec<_>>(), theirs.position().byte() as usize)
                    });
                    let got = ours.read(rest).map(|(cells, n)| (cells.iter().map(|c| c.to_string()).collect(), n));
                    match (expected, got) {
                        (Ok(e), Ok(g)) => prop_assert_eq!(&e, &g),
                        (Err(_), Err(_)) => break,
                        (e, g) => prop_assert!(false, "{e:?} against {g:?} in {text:?}"),
                    }
                    let taken = ours.read(rest).map(|(_, n)| n).unwrap_or(rest.len()).max(1);
                    at += taken;
                    while at < text.len() && !text.is_char_boundary(at) {
                        at += 1;
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}
