//! Tracking ids looked for while a deliveries export is read in blocks: an exceptions
//! report's packages (docs/rules.md §1.14) are found as the rows go by, so that the ids
//! need not be kept for them ([`super::Detail::Tallies`]).

use polars_arrow::array::Array;
use polars_core::prelude::*;

/// The rows of a file whose ids were looked for: (row of the file's frame, row of the report).
pub(super) type Found = Vec<(u32, u32)>;

/// The ids looked for, each with its row in the report.
pub(super) struct WatchedIds<'a> {
    rows: PlHashMap<&'a str, u32>,
    /// One bit per [`slot`]: almost every id of the export is not looked for, and is told
    /// so by one bit instead of a hash table lookup.
    seen: Vec<u64>,
}

/// Bits of [`WatchedIds::seen`]: 2^22 (512 KB) keeps a report of 100,000 ids 2 % full.
const SLOT_BITS: u32 = 22;

/// An id's bit, from its last eight bytes and its length (ids differ at their end): one
/// load and one multiplication.
fn slot(id: &[u8]) -> usize {
    let tail = match id.len().checked_sub(8) {
        Some(start) => <[u8; 8]>::try_from(&id[start..]).map_or(0, u64::from_le_bytes),
        None => id.iter().fold(0u64, |w, &b| (w << 8) | u64::from(b)),
    };
    let mixed = (tail ^ ((id.len() as u64) << 59)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - SLOT_BITS)) as usize
}

impl<'a> WatchedIds<'a> {
    /// The ids of a report's rows (a row without one is not looked for).
    pub(super) fn new(ids: &[Option<&'a str>]) -> WatchedIds<'a> {
        let mut watched = WatchedIds { rows: PlHashMap::with_capacity(ids.len()), seen: vec![0; 1 << (SLOT_BITS - 6)] };
        for (row, id) in ids.iter().enumerate() {
            if let Some(id) = id {
                watched.rows.insert(id, row as u32);
                let at = slot(id.as_bytes());
                watched.seen[at / 64] |= 1 << (at % 64);
            }
        }
        watched
    }

    /// The report row of an id, if it is looked for.
    pub(super) fn row_of(&self, id: &str) -> Option<u32> {
        let at = slot(id.as_bytes());
        if self.seen[at / 64] & (1 << (at % 64)) == 0 {
            return None;
        }
        self.rows.get(id).copied()
    }

    /// The rows of `keys` that are looked for: (row in `keys`, row in the report).
    pub(super) fn found_in(&self, keys: &StringChunked) -> Found {
        let mut found = Vec::new();
        let mut first = 0;
        for chunk in keys.downcast_iter() {
            if chunk.null_count() > 0 {
                let rows = chunk.iter().enumerate();
                found.extend(rows.filter_map(|(row, id)| Some(((first + row) as u32, self.row_of(id?)?))));
            } else {
                for (row, id) in chunk.values_iter().enumerate() {
                    if let Some(report_row) = self.row_of(id) {
                        found.push(((first + row) as u32, report_row));
                    }
                }
            }
            first += chunk.len();
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_ids_looked_for_and_no_other() {
        let report: Vec<String> = (0..5000).map(|i| format!("TBC{:010}", i * 7)).collect();
        let ids: Vec<Option<&str>> = report.iter().map(|s| Some(s.as_str())).chain([None, Some("X")]).collect();
        let watched = WatchedIds::new(&ids);
        let export: Vec<String> = (0..40_000).map(|i| format!("TBC{i:010}")).collect();
        let keys = StringChunked::from_iter_values("tracking_id".into(), export.iter().map(String::as_str));
        let found = watched.found_in(&keys);
        let expected: Vec<(u32, u32)> = (0..5000u32).filter(|i| i * 7 < 40_000).map(|i| (i * 7, i)).collect();
        assert_eq!(found, expected);
        assert_eq!(watched.row_of("X"), Some(5001));
        assert_eq!(watched.row_of(""), None);
        assert_eq!(watched.row_of("TBC0000000001"), None);
    }
}
