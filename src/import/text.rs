//! Bytes to text and records: encoding detection, delimiter sniffing, physical line numbers.

use super::ImportError;
use std::path::Path;

/// A decoded CSV file, ready to be split into records.
pub struct CsvText {
    pub path: String,
    pub text: String,
    pub delimiter: u8,
}

/// Reads a file as UTF-8 (a BOM is dropped) or, when it is not valid UTF-8, Windows-1252.
pub fn read_csv_text(path: &Path) -> Result<CsvText, ImportError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io { path: shown.clone(), source })?;
    decode_csv(shown, bytes)
}

pub fn decode_csv(path: String, bytes: Vec<u8>) -> Result<CsvText, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty { path });
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(ImportError::Binary { path, offset });
    }
    let text = match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            text
        }
        Err(err) => {
            let bytes = err.into_bytes();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            text.into_owned()
        }
    };
    let delimiter = sniff_delimiter(&text);
    Ok(CsvText { path, text, delimiter })
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

/// Splits the text into records, calling `each` with the 1-based physical line on which
/// the record starts. Blank lines, and rows whose cells are all blank, are skipped.
pub fn for_each_record(csv: &CsvText, mut each: impl FnMut(u64, &csv::StringRecord)) -> Result<(), ImportError> {
    let bytes = csv.text.as_bytes();
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(csv.delimiter).from_reader(bytes);
    let mut record = csv::StringRecord::new();
    // The csv crate's own line numbers drift with CRLF and blank lines; its byte offsets
    // do not. A record's offset may point at the end of the previous line's terminator
    // and at blank lines: skip those, then count newlines since the previous record.
    let mut counted_to = 0usize;
    let mut line = 1u64;
    let mut line_at = |offset: usize| {
        let offset = offset.min(bytes.len()).max(counted_to);
        let start = offset + bytes[offset.min(bytes.len())..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        line += bytes[counted_to..start].iter().filter(|b| **b == b'\n').count() as u64;
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
                each(line, &record);
            }
            Err(err) => {
                let line = line_at(err.position().map_or(usize::MAX, |p| p.byte() as usize));
                return Err(ImportError::Malformed { path: csv.path.clone(), line, reason: err.to_string() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(bytes: &[u8]) -> Vec<(u64, Vec<String>)> {
        let csv = decode_csv("t.csv".into(), bytes.to_vec()).unwrap();
        let mut out = Vec::new();
        for_each_record(&csv, |line, r| out.push((line, r.iter().map(str::to_string).collect()))).unwrap();
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
    }
}
