//! Text to records: a piece of a file split into records (RFC 4180 quoting, records that
//! span lines, blank lines skipped) with their physical line numbers, the header record,
//! and where a text can be cut between records.

use super::ImportError;
use super::text::CsvText;

/// Splits a piece of a file, starting at a record boundary on line `first_line`, into
/// records, calling `each` with the 1-based physical line on which the record starts.
/// Blank lines, and rows whose cells are all blank, are skipped.
///
/// A line without quotes (nearly every line of an export) is split on the delimiter where
/// it lies, and so is a cell quoted only to hold delimiters (on one line, no doubled
/// quote); a record with any other quoting is read by the csv crate, as one record that may
/// span lines. A piece with lone `\r` line ends (old Mac files) is read by the csv crate
/// whole.
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
        // The record's last cell when it is quoted (then it ends before `end`).
        let mut quoted_last: Option<&str> = None;
        while let Some(at) = specials.next() {
            match bytes.get(at) {
                Some(b'\n') => {
                    end = at;
                    break;
                }
                Some(b'"') => {
                    // A cell quoted only to hold delimiters (an address with commas) is read
                    // here; any other quoting by the csv crate, the record whole.
                    let Some(close) = (at == start).then(|| closing_quote(bytes, &mut specials)).flatten() else {
                        quoted = true;
                        break;
                    };
                    let cell = text.get(at + 1..close).unwrap_or_default();
                    match (bytes.get(close + 1), bytes.get(close + 2)) {
                        (Some(&next), _) if next == delimiter => {
                            fields.push(cell);
                            start = close + 2;
                            specials.skip_to(start);
                        }
                        (None, _) => {
                            quoted_last = Some(cell);
                            break;
                        }
                        (Some(b'\n'), _) | (Some(b'\r'), Some(b'\n')) => {
                            quoted_last = Some(cell);
                            end = if bytes[close + 1] == b'\n' { close + 1 } else { close + 2 };
                            specials.skip_to(end + 1);
                            break;
                        }
                        _ => {
                            quoted = true;
                            break;
                        }
                    }
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
        match quoted_last {
            Some(cell) => fields.push(cell),
            None => {
                let last = text.get(start..end).unwrap_or_default();
                fields.push(last.strip_suffix('\r').unwrap_or(last));
            }
        }
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

/// Where the quote that closes a cell opened just before the next special byte closes
/// it, when the cell is simply quoted: on the same line, no quote doubled inside.
/// `None` sends the record to the csv crate (the specials are then found again).
fn closing_quote(bytes: &[u8], specials: &mut super::scan::Specials) -> Option<usize> {
    for at in specials.by_ref() {
        match bytes.get(at) {
            Some(b'"') => return (bytes.get(at + 1) != Some(&b'"')).then_some(at),
            Some(b'\n') => return None,
            _ => {}
        }
    }
    None
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
pub(super) fn piece_targets(len: usize, parts: usize) -> Vec<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::decode_csv;

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
    fn finds_a_quote_left_open_at_the_end() {
        let open = unterminated_quote(b"a,b\n1,\"x\"\"y\"\n2,3\n4,\"never\nclosed\n", b',').unwrap();
        assert_eq!((open.record_start, open.field), (17, 1));
        assert!(unterminated_quote(b"a,b\n1,\"x\ny\"\n", b',').is_none());
        // A stray quote inside an unquoted field opens nothing.
        assert!(unterminated_quote(b"a,b\n1,5\" box\n", b',').is_none());
    }

    /// Records read a line at a time (a simply quoted cell on the spot, other quoting by
    /// the csv crate) are those the csv crate reads from the whole text, on the same lines.
    #[test]
    fn records_split_by_line_are_those_of_the_csv_crate() {
        use proptest::prelude::*;
        let piece = proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\"\"".to_string()),
                Just(",".to_string()),
                Just(";".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\"a, b\",".to_string()),
                Just(",\"c\"\n".to_string()),
                Just("\"d\"\r\n".to_string()),
                Just("é".to_string()),
                " ?[a-c]{0,3}",
            ],
            0..40,
        );
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&(piece, prop_oneof![Just(b','), Just(b';')]), |(pieces, delimiter)| {
                let text: String = pieces.concat();
                let mut ours = Vec::new();
                for_each_record_in("t", &text, delimiter, 1, false, |line, cells| {
                    ours.push((line, cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()))
                })
                .unwrap();
                let mut theirs = Vec::new();
                for_each_record_by_csv("t", text.as_bytes(), delimiter, 1, |line, cells| {
                    theirs.push((line, cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()))
                })
                .unwrap();
                prop_assert_eq!(&ours, &theirs, "in {:?}", text);
                Ok(())
            })
            .unwrap();
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
