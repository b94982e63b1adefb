//! Window counts in constant time: one bit per row and a running count every 64 rows.

use std::ops::Range;

/// How many rows of a table have a flag, among the first `i` for any `i`, in constant
/// time: one bit per row plus the running count every 64 rows (a 20th of the memory of a
/// count per row: millions of packages, six flags each).
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    words: Vec<u64>,
    /// `before[w]`: flags set in `words[..w]`.
    before: Vec<u32>,
}

impl Tally {
    pub(super) fn new(flags: impl Iterator<Item = bool>, len: usize) -> Tally {
        let mut words = vec![0u64; len.div_ceil(64)];
        for (i, flag) in flags.enumerate() {
            if flag && let Some(word) = words.get_mut(i / 64) {
                *word |= 1 << (i % 64);
            }
        }
        Tally::from_words(words)
    }

    /// From the flags already set as bits, row `i` at bit `i % 64` of word `i / 64`.
    pub(super) fn from_words(words: Vec<u64>) -> Tally {
        let mut before = Vec::with_capacity(words.len() + 1);
        let mut sum = 0u32;
        before.push(0);
        for word in &words {
            sum += word.count_ones();
            before.push(sum);
        }
        Tally { words, before }
    }

    /// Flags set among rows `0..i` (`i` at most the table's length).
    pub(super) fn upto(&self, i: usize) -> u32 {
        let (word, bit) = (i / 64, i % 64);
        let partial = if bit == 0 { 0 } else { (self.words[word] & ((1u64 << bit) - 1)).count_ones() };
        self.before[word] + partial
    }

    /// Flags set among the rows of `range`.
    pub(super) fn span(&self, range: &Range<usize>) -> u32 {
        self.upto(range.end) - self.upto(range.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_the_flags_before_any_row() {
        for len in [0usize, 1, 63, 64, 65, 200] {
            let flags: Vec<bool> = (0..len).map(|i| i % 3 == 0 || i % 7 == 0).collect();
            let tally = Tally::new(flags.iter().copied(), len);
            for i in 0..=len {
                assert_eq!(tally.upto(i) as usize, flags[..i].iter().filter(|f| **f).count(), "len {len}, i {i}");
            }
            if len >= 10 {
                assert_eq!(tally.span(&(3..10)) as usize, flags[3..10].iter().filter(|f| **f).count());
            }
        }
    }
}
