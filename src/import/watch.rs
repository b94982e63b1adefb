//! Tracking ids looked for while a deliveries export is read in blocks: an exceptions
//! report's packages (docs/rules.md §1.14) are found as each row is read, so that the ids
//! need not be kept for them ([`super::Detail::Tallies`]).

/// The rows of a file whose keys were looked for as they were read: (row of the file's
/// frame, row of the report).
pub(super) type Found = Vec<(u32, u32)>;

/// The ids looked for, in order, each with its row in the report.
pub(super) struct WatchedIds<'a> {
    sorted: Vec<(&'a str, u32)>,
}

impl<'a> WatchedIds<'a> {
    /// The ids of a report's rows (a row without one is not looked for).
    pub(super) fn new(ids: &[Option<&'a str>]) -> WatchedIds<'a> {
        let mut sorted: Vec<(&str, u32)> =
            ids.iter().enumerate().filter_map(|(row, id)| Some(((*id)?, row as u32))).collect();
        sorted.sort_unstable();
        WatchedIds { sorted }
    }

    /// A walk through the ids for keys read in increasing order (the only keys that are
    /// dropped as they are read).
    pub(super) fn walk(&self) -> Walk<'_, 'a> {
        Walk { sorted: &self.sorted, at: None }
    }
}

/// Where a run of increasing keys has got to among the ids looked for: each key costs one
/// comparison, with the ids and the key at hand, instead of a lookup in a table.
pub(super) struct Walk<'w, 'a> {
    sorted: &'w [(&'a str, u32)],
    at: Option<usize>,
}

impl Walk<'_, '_> {
    /// The report row of the next key, if it is looked for. Keys must come in increasing
    /// order; out of order, some are missed (and the keys are then kept and looked up).
    pub(super) fn find(&mut self, key: &str) -> Option<u32> {
        let mut at = self.at.unwrap_or_else(|| self.sorted.partition_point(|(id, _)| *id < key));
        let found = loop {
            let Some((id, row)) = self.sorted.get(at) else { break None };
            match (*id).cmp(key) {
                std::cmp::Ordering::Less => at += 1,
                std::cmp::Ordering::Equal => break Some(*row),
                std::cmp::Ordering::Greater => break None,
            }
        };
        self.at = Some(at);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of an export in increasing order, looked up on one walk (or a walk per
    /// piece, as each reader thread has).
    fn found_in(watched: &WatchedIds, export: &[String], piece: usize) -> Found {
        let mut found = Vec::new();
        for (start, part) in export.chunks(piece).enumerate().map(|(i, part)| (i * piece, part)) {
            let mut walk = watched.walk();
            for (row, key) in part.iter().enumerate() {
                found.extend(walk.find(key).map(|report_row| ((start + row) as u32, report_row)));
            }
        }
        found
    }

    #[test]
    fn finds_the_ids_looked_for_and_no_other() {
        // The report in its own order, with a row without an id.
        let report: Vec<String> = (0..5000).rev().map(|i| format!("TBC{:010}", i * 7)).collect();
        let ids: Vec<Option<&str>> =
            report.iter().map(|s| Some(s.as_str())).chain([None, Some("TBC0000000005x")]).collect();
        let watched = WatchedIds::new(&ids);
        let export: Vec<String> = (0..40_000).map(|i| format!("TBC{i:010}")).collect();
        let expected: Vec<(u32, u32)> = (0..35_000u32).filter(|i| i % 7 == 0).map(|i| (i, 4999 - i / 7)).collect();
        for piece in [40_000, 777, 1] {
            assert_eq!(found_in(&watched, &export, piece), expected, "pieces of {piece}");
        }
        let mut walk = watched.walk();
        assert_eq!(walk.find("TBC0000000005"), None);
        assert_eq!(walk.find("TBC0000000005x"), Some(5001));
        assert_eq!(walk.find("TBC0000000007"), Some(4998));
        assert_eq!(walk.find("Z"), None);
    }

    /// Property: ids of any length (sharing long beginnings, with NUL and multi-byte
    /// characters), looked up on one walk or a walk per piece, are found as a search of
    /// each finds them.
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
                let watched = WatchedIds::new(&ids);
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
