//! CSV bytes scanned 64 at a time: where a record's delimiters, quotes and newlines are,
//! and what a piece of text holds before it is parsed. Cells are a few bytes long: one
//! bit mask per 64 bytes, then a bit per special byte, costs less than a search restarted
//! for each cell.

/// One bit per byte of `chunk` (bit `i` for byte `i`): set where the byte is one of `targets`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn equal_any<const N: usize>(chunk: &[u8; 64], targets: [u8; N]) -> u64 {
    // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
    unsafe { sse2::equal_any(chunk, targets) }
}

#[cfg(not(target_arch = "x86_64"))]
fn equal_any<const N: usize>(chunk: &[u8; 64], targets: [u8; N]) -> u64 {
    equal_any_bytewise(chunk, targets)
}

/// [`equal_any`] a byte at a time: elsewhere than on x86_64, and the model its tests hold
/// it to.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn equal_any_bytewise<const N: usize>(chunk: &[u8; 64], targets: [u8; N]) -> u64 {
    chunk.iter().enumerate().fold(0, |mask, (i, b)| mask | (u64::from(targets.contains(b)) << i))
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8, _mm_setzero_si128,
    };

    #[target_feature(enable = "sse2")]
    #[inline]
    pub(super) fn equal_any<const N: usize>(chunk: &[u8; 64], targets: [u8; N]) -> u64 {
        let mut mask = 0u64;
        for (k, part) in chunk.as_chunks::<16>().0.iter().enumerate() {
            let (low, high) = part.split_at(8);
            let word = |half: &[u8]| i64::from_le_bytes(half.try_into().unwrap_or_default());
            let bytes = _mm_set_epi64x(word(high), word(low));
            let mut hit = _mm_setzero_si128();
            for target in targets {
                hit = _mm_or_si128(hit, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(target as i8)));
            }
            // The top bit of each of the 16 bytes: the low 16 bits of the result.
            mask |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
        }
        mask
    }
}

/// Positions of the delimiter, quote and newline bytes, in order.
pub(super) struct Specials<'a> {
    chunks: &'a [[u8; 64]],
    /// The bytes after the last whole chunk, then zeros: never a delimiter, quote or
    /// newline (a delimiter is never NUL).
    tail: [u8; 64],
    /// The chunk whose matches are in `found`.
    chunk: usize,
    /// Its matches not yet handed out.
    found: u64,
    delimiter: u8,
}

impl<'a> Specials<'a> {
    pub(super) fn new(bytes: &'a [u8], delimiter: u8) -> Specials<'a> {
        let (chunks, rest) = bytes.as_chunks::<64>();
        let mut tail = [0u8; 64];
        if let Some(start) = tail.get_mut(..rest.len()) {
            start.copy_from_slice(rest);
        }
        let mut specials = Specials { chunks, tail, chunk: 0, found: 0, delimiter };
        specials.found = specials.matches(0);
        specials
    }

    /// Goes on from byte `position`: the specials before it are skipped.
    pub(super) fn skip_to(&mut self, position: usize) {
        self.chunk = position / 64;
        self.found =
            if self.chunk <= self.chunks.len() { self.matches(self.chunk) & (u64::MAX << (position % 64)) } else { 0 };
    }

    #[inline]
    fn matches(&self, chunk: usize) -> u64 {
        equal_any(self.chunks.get(chunk).unwrap_or(&self.tail), [self.delimiter, b'"', b'\n'])
    }
}

impl Iterator for Specials<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.found == 0 {
            self.chunk += 1;
            if self.chunk > self.chunks.len() {
                return None;
            }
            self.found = self.matches(self.chunk);
        }
        let bit = self.found.trailing_zeros() as usize;
        self.found &= self.found - 1;
        Some(self.chunk * 64 + bit)
    }
}

/// What a piece of CSV text holds, found in one pass before it is parsed: its line count,
/// and whether the slower checks (quotes, lone carriage returns, NUL bytes) are needed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Survey {
    pub newlines: u64,
    pub quotes: bool,
    pub carriage_returns: bool,
    pub nul: bool,
}

pub fn survey(bytes: &[u8]) -> Survey {
    let (chunks, tail) = bytes.as_chunks::<64>();
    let (mut newlines, mut quotes, mut carriage_returns, mut nul) = (0u64, 0u64, 0u64, 0u64);
    for chunk in chunks {
        newlines += u64::from(equal_any(chunk, [b'\n']).count_ones());
        quotes |= equal_any(chunk, [b'"']);
        carriage_returns |= equal_any(chunk, [b'\r']);
        nul |= equal_any(chunk, [0]);
    }
    let count = |byte: u8| tail.iter().filter(|&&b| b == byte).count() as u64;
    Survey {
        newlines: newlines + count(b'\n'),
        quotes: quotes != 0 || count(b'"') > 0,
        carriage_returns: carriage_returns != 0 || count(b'\r') > 0,
        nul: nul != 0 || count(0) > 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts with every special byte next to its neighbours, across chunk boundaries.
    fn texts() -> Vec<Vec<u8>> {
        let mut texts: Vec<Vec<u8>> = [
            &b"a,-b\"#c\n\x0bd;:e\t\x08f|}g,-,-,-,-,-\"#\"#"[..],
            b"",
            b"a",
            b"a,b\n",
            b"TBA1,D1,,2026-01-05 10:00:00,\"x, \"\"y\"\"\",\n\n,,,,,,,,\xc3\xa9,\xff\x80\x7f\x00\r\n",
            b"0123456789abcdef,0123456,\n\"",
            b";;;;;;;;;;;;;;;;;\t\t\n\n\n\"",
        ]
        .iter()
        .map(|t| t.to_vec())
        .collect();
        // Every byte value at every position of two chunks and a tail.
        let all: Vec<u8> = (0..=255u8).chain(0..=255u8).rev().chain(b",\";\n\r\t|\0".iter().copied()).collect();
        for len in [63, 64, 65, 127, 128, 129, all.len()] {
            texts.push(all[..len].to_vec());
            texts.push(all[all.len() - len..].to_vec());
        }
        texts
    }

    #[test]
    fn chunks_are_matched_as_byte_by_byte() {
        for text in texts() {
            for start in 0..text.len() {
                let Some(chunk) = text.get(start..start + 64).and_then(|c| <&[u8; 64]>::try_from(c).ok()) else {
                    break;
                };
                for targets in [[b',', b'"', b'\n'], [b'\t', 0, b'\r'], [0xff, 0x80, 0x7f]] {
                    assert_eq!(equal_any(chunk, targets), equal_any_bytewise(chunk, targets), "{chunk:?}");
                }
            }
        }
    }

    #[test]
    fn special_bytes_are_found_as_memchr_finds_them() {
        for text in texts() {
            for delimiter in [b',', b';', b'\t', b'|'] {
                let expected: Vec<usize> = memchr::memchr3_iter(delimiter, b'"', b'\n', &text).collect();
                assert_eq!(Specials::new(&text, delimiter).collect::<Vec<_>>(), expected, "{text:?} {delimiter}");
            }
        }
    }

    #[test]
    fn skipping_goes_on_from_the_position_given() {
        for text in texts() {
            for position in 0..=text.len() + 1 {
                let mut specials = Specials::new(&text, b',');
                // Some specials read first, as a record split would.
                let _ = specials.by_ref().take(position % 3).count();
                specials.skip_to(position);
                let expected: Vec<usize> =
                    memchr::memchr3_iter(b',', b'"', b'\n', &text).filter(|&at| at >= position).collect();
                assert_eq!(specials.collect::<Vec<_>>(), expected, "{text:?} from {position}");
            }
        }
    }

    #[test]
    fn a_survey_counts_and_flags_as_a_byte_by_byte_reading() {
        for text in texts() {
            let expected = Survey {
                newlines: text.iter().filter(|&&b| b == b'\n').count() as u64,
                quotes: text.contains(&b'"'),
                carriage_returns: text.contains(&b'\r'),
                nul: text.contains(&0),
            };
            assert_eq!(survey(&text), expected, "{text:?}");
        }
    }
}
