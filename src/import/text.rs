//! Bytes to text: encoding detection (UTF-8, UTF-16, Windows-1252), binary files refused,
//! delimiter sniffing. Records are split from the text in [`super::records`], and big files
//! are read in blocks by [`super::blocks`].

use super::ImportError;
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
pub(super) fn binary_control_byte(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(8192)];
    let is_control = |b: &u8| b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x1A);
    let count = head.iter().filter(|b| is_control(b)).count();
    (count * 20 > head.len()).then(|| head.iter().position(is_control)).flatten()
}

/// UTF-16 by its byte-order mark, or by the zero high bytes of ASCII text without one.
pub(super) fn utf16_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
