//! Tracking ids looked for while a deliveries export is read in blocks: an exceptions
//! report's packages (docs/rules.md §1.14) are found in each piece of rows before its ids
//! are dropped, so that the ids need not be kept for them ([`super::Detail::Tallies`]).

use polars_core::prelude::StringChunked;

/// The rows of a file whose keys were looked for before they were dropped: (row of the file's
/// frame, row of the report).
pub(super) type Found = Vec<(u32, u32)>;

/// The ids looked for, in order, each with its row in the report.
pub(super) struct WatchedIds<'a> {
    sorted: Vec<(&'a str, u32)>,
}

/// The rows of a report's ids (a row without one is not looked for), in the ids' order:
/// sorted on the thread that reads the report, while the other files are read.
pub(super) fn in_id_order(ids: &[Option<&str>]) -> Vec<u32> {
    // Compared by their first 16 bytes as one number, the texts only where those are the
    // same: Amazon's ids are 15 characters, and comparing 100,000 texts took 0.01 s.
    let mut sorted: Vec<(u128, &str, u32)> = ids
        .iter()
        .enumerate()
        .filter_map(|(row, id)| Some((leading_bytes(id.as_ref()?), (*id)?, row as u32)))
        .collect();
    let order =
        |a: &(u128, &str, u32), b: &(u128, &str, u32)| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)).then(a.2.cmp(&b.2));
    let whole = |mut sorted: Vec<(u128, &str, u32)>| {
        sorted.sort_unstable_by(order);
        sorted.into_iter().map(|(_, _, row)| row).collect()
    };
    // A long report's halves sorted on two cores (the blocks are read by then), then merged.
    if sorted.len() < PARALLEL_SORT || crate::parallel::cores() < 2 {
        return whole(sorted);
    }
    let half = sorted.len() / 2;
    let (first, second) = sorted.split_at_mut(half);
    let sorted_halves = crate::parallel::map_on_threads(
        vec![first, second],
        |part| {
            part.sort_unstable_by(order);
            true
        },
        || false,
    );
    if sorted_halves.contains(&false) {
        return whole(sorted);
    }
    let (first, second) = sorted.split_at(half);
    let mut rows = Vec::with_capacity(sorted.len());
    let (mut a, mut b) = (first.iter().peekable(), second.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if order(x, y).is_le() => a.next(),
            (Some(_), Some(_)) | (None, _) => b.next(),
            (Some(_), None) => a.next(),
        };
        match next {
            Some((_, _, row)) => rows.push(*row),
            None => return rows,
        }
    }
}

/// The fewest ids [`in_id_order`] sorts on two cores.
const PARALLEL_SORT: usize = 1 << 14;

/// A text's first 16 bytes (zeros after a shorter one) as a number that orders texts as
/// their bytes do, short of ties.
fn leading_bytes(text: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = text.len().min(16);
    bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

impl<'a> WatchedIds<'a> {
    /// The ids of a report's rows, with their rows in id order ([`in_id_order`]).
    pub(super) fn new(ids: &[Option<&'a str>], order: &[u32]) -> WatchedIds<'a> {
        let sorted = order.iter().filter_map(|&row| Some((*ids.get(row as usize)?.as_ref()?, row))).collect();
        WatchedIds { sorted }
    }

    /// The rows of `keys`, strictly increasing and all present (the keys that are dropped
    /// as they are read), that are looked for, each with its report row. Each id between the
    /// first key and the last is searched for among the keys: the ids are few beside them.
    pub(super) fn found_in(&self, keys: &StringChunked) -> Found {
        let mut found = Vec::new();
        let mut offset = 0;
        for chunk in keys.downcast_iter() {
            let n = chunk.len();
            if n > 0 {
                let key = |i: usize| chunk.value(i);
                let (first, last) = (key(0), key(n - 1));
                let from = self.sorted.partition_point(|(id, _)| *id < first);
                let to = self.sorted.partition_point(|(id, _)| *id <= last);
                // Ids in increasing order: each is searched for past the one before, first
                // in steps that double (the next is usually near), then by halves.
                let mut at = 0;
                for &(id, report_row) in self.sorted.get(from..to).unwrap_or_default() {
                    // Keys before `low` are below the id; `high` is the end or a key not below it.
                    let (mut low, mut step) = (at, 1);
                    let mut high = loop {
                        let probe = low + step - 1;
                        if probe >= n {
                            break n;
                        }
                        if key(probe) >= id {
                            break probe;
                        }
                        low = probe + 1;
                        step *= 2;
                    };
                    while low < high {
                        let middle = low + (high - low) / 2;
                        if key(middle) < id {
                            low = middle + 1;
                        } else {
                            high = middle;
                        }
                    }
                    at = low;
                    if at < n && key(at) == id {
                        found.push(((offset + at) as u32, report_row));
                    }
                }
            }
            offset += n;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars_core::prelude::NewChunkedArray;

    /// The keys of an export in increasing order, looked for in pieces of `piece` keys (as
    /// each reader thread's piece is), and again in one column whose chunks are the pieces.
    fn found_in(watched: &WatchedIds, export: &[String], piece: usize) -> Found {
        let column =
            |part: &[String]| StringChunked::from_iter_options("k".into(), part.iter().map(|key| Some(key.as_str())));
        let mut found = Vec::new();
        let mut chunked: Option<StringChunked> = None;
        for (start, part) in export.chunks(piece).enumerate().map(|(i, part)| (i * piece, part)) {
            let keys = column(part);
            found.extend(watched.found_in(&keys).into_iter().map(|(row, report_row)| (row + start as u32, report_row)));
            match &mut chunked {
                Some(all) => all.append(&keys).unwrap(),
                None => chunked = Some(keys),
            }
        }
        let in_one = chunked.map(|all| watched.found_in(&all)).unwrap_or_default();
        assert_eq!(in_one, found, "one column in chunks finds what its pieces find");
        found
    }

    #[test]
    fn finds_the_ids_looked_for_and_no_other() {
        // The report in its own order, with a row without an id.
        let report: Vec<String> = (0..5000).rev().map(|i| format!("TBC{:010}", i * 7)).collect();
        let ids: Vec<Option<&str>> =
            report.iter().map(|s| Some(s.as_str())).chain([None, Some("TBC0000000005x")]).collect();
        let watched = WatchedIds::new(&ids, &in_id_order(&ids));
        let export: Vec<String> = (0..40_000).map(|i| format!("TBC{i:010}")).collect();
        let expected: Vec<(u32, u32)> = (0..35_000u32).filter(|i| i % 7 == 0).map(|i| (i, 4999 - i / 7)).collect();
        for piece in [40_000, 777, 1] {
            assert_eq!(found_in(&watched, &export, piece), expected, "pieces of {piece}");
        }
        let keys = ["TBC0000000005", "TBC0000000005x", "TBC0000000007", "Z"].map(String::from);
        assert_eq!(found_in(&watched, &keys, 4), [(1, 5001), (2, 4998)]);
    }

    /// Property: the rows come in the order of their ids, then rows, as a sort of the texts
    /// gives, for ids shorter and longer than 16 bytes, sharing their beginnings, with NUL
    /// bytes and repeated.
    #[test]
    fn rows_come_in_the_order_a_sort_of_the_texts_gives() {
        use proptest::prelude::*;
        let id = proptest::collection::vec(
            prop_oneof![Just("A"), Just("B"), Just("\0"), Just("é"), Just("TBA0000000"), Just("TBA000000000000")],
            0..5,
        )
        .prop_map(|parts| parts.concat());
        let ids = proptest::collection::vec(proptest::option::weighted(0.9, id), 0..40);
        proptest::test_runner::TestRunner::default()
            .run(&ids, |ids| {
                let ids: Vec<Option<&str>> = ids.iter().map(|id| id.as_deref()).collect();
                let mut naive: Vec<(&str, u32)> =
                    ids.iter().enumerate().filter_map(|(row, id)| Some(((*id)?, row as u32))).collect();
                naive.sort();
                let expected: Vec<u32> = naive.into_iter().map(|(_, row)| row).collect();
                prop_assert_eq!(in_id_order(&ids), expected);
                Ok(())
            })
            .unwrap();
    }

    /// A report long enough to be sorted on two cores: the same order as a sort of the texts.
    #[test]
    fn a_long_report_sorted_on_two_cores_comes_in_the_order_of_a_sort() {
        // Ids that share their first 16 bytes in places, and repeat.
        let texts: Vec<String> = (0..3 * PARALLEL_SORT as u64)
            .map(|i| {
                let n = i.wrapping_mul(2_654_435_761) % 40_009;
                if n % 3 == 0 { format!("TBA0000000000000{n}") } else { format!("TBA{n:012}") }
            })
            .collect();
        let ids: Vec<Option<&str>> =
            texts.iter().enumerate().map(|(i, t)| (i % 97 != 0).then_some(t.as_str())).collect();
        let mut naive: Vec<(&str, u32)> =
            ids.iter().enumerate().filter_map(|(row, id)| Some(((*id)?, row as u32))).collect();
        naive.sort();
        let expected: Vec<u32> = naive.into_iter().map(|(_, row)| row).collect();
        assert_eq!(in_id_order(&ids), expected);
    }

    /// Property: ids of any length (sharing long beginnings, with NUL and multi-byte
    /// characters), looked for in pieces of any length, are found as a search of each
    /// finds them.
    #[test]
    fn any_ids_are_found_as_a_search_finds_them() {
        use proptest::prelude::*;
        let id = proptest::collection::vec(
            prop_oneof![Just("A"), Just("B"), Just("\0"), Just("é"), Just("TBA0000000")],
            0..5,
        )
        .prop_map(|parts| parts.concat());
        let cases = (proptest::collection::vec(id.clone(), 0..30), proptest::collection::vec(id, 0..60), 1usize..8);
        proptest::test_runner::TestRunner::default()
            .run(&cases, |(mut report, mut export, piece)| {
                report.sort();
                report.dedup();
                // The report in its own order: reversed.
                report.reverse();
                export.sort();
                export.dedup();
                let ids: Vec<Option<&str>> = report.iter().map(|s| Some(s.as_str())).collect();
                let watched = WatchedIds::new(&ids, &in_id_order(&ids));
                let expected: Found = export
                    .iter()
                    .enumerate()
                    .filter_map(|(row, key)| Some((row as u32, report.iter().position(|id| id == key)? as u32)))
                    .collect();
                prop_assert_eq!(found_in(&watched, &export, piece), expected);
                Ok(())
            })
            .unwrap();
    }
}
