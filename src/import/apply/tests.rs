//! Amazon's reports applied to the deliveries: updates, additions, packages left out.

use super::*;
use crate::import::codes::Reason;
use crate::import::{ImportOptions, ImportReport, TableKind, load_bytes, load_texts, text::decode_csv};
use polars_arrow::array::MutablePlString;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon").join(name)).unwrap()
}

/// The fixture fleet with the exceptions files given.
fn dataset(exceptions: &[&str]) -> (Dataset, ImportReport) {
    let text = |name: &str| decode_csv(name.to_string(), fixture(name)).unwrap();
    let (mut data, mut report) =
        load_texts(text("blocks.csv"), text("deliveries.csv"), None, None, &ImportOptions::default()).unwrap();
    for name in exceptions {
        let frame =
            load_bytes(name, fixture(name), TableKind::Exceptions, &ImportOptions::default(), &mut report).unwrap();
        data.exceptions.vstack_mut_owned(frame).unwrap();
    }
    (data, report)
}

/// A package's row of the deliveries, by tracking id: (outcome, reason text, reason
/// code, attempted_at is some, returned_at is some, pickup failed).
type Row = (Outcome, Option<String>, Option<Reason>, bool, bool, bool);

fn row(data: &Dataset, id: &str) -> Option<Row> {
    let d = &data.deliveries;
    let ids = col::TRACKING_ID.read(d).unwrap();
    let at = ids.iter().position(|i| *i == Some(id))?;
    let outcome: Vec<Option<u32>> = d.column("outcome").unwrap().u32().unwrap().iter().collect();
    let code: Vec<Option<u32>> = d.column("reason_code").unwrap().u32().unwrap().iter().collect();
    Some((
        outcome[at].and_then(Outcome::from_number).unwrap(),
        col::REASON.read(d).unwrap()[at].map(str::to_string),
        code[at].and_then(Reason::from_number),
        col::ATTEMPTED_AT.read(d).unwrap()[at].is_some(),
        col::RETURNED_AT.read(d).unwrap()[at].is_some(),
        col::PICKUP_FAILED.read(d).unwrap()[at].unwrap_or(false),
    ))
}

/// A package's address, by tracking id: its own, else its exceptions row's.
fn address(data: &Dataset, id: &str) -> Option<String> {
    let d = &data.deliveries;
    let at = col::TRACKING_ID.read(d).unwrap().iter().position(|i| *i == Some(id))?;
    let own = col::ADDRESS.read(d).unwrap()[at];
    let report_row = d.column(col::REPORT_ADDRESS.name()).ok().and_then(|rows| rows.u32().unwrap().get(at));
    let report = report_row.and_then(|row| col::ADDRESS.read(&data.exceptions).unwrap()[row as usize]);
    own.or(report).map(str::to_string)
}

#[test]
fn the_first_generation_updates_and_adds_packages_with_amazons_words() {
    let (mut data, report) = dataset(&["exceptions-2024.csv"]);
    // The rows that name no driver, and a status that is no outcome, are rejected.
    let rejected: Vec<(u64, &str)> = report.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
    assert_eq!(
        rejected,
        [
            (15, "Transporter Id"),
            (16, "Transporter Id"),
            (17, "Transporter Id"),
            (18, "Transporter Id"),
            (19, "Package Status")
        ]
    );
    assert!(report.rejections[0].reason.contains("'unassigned' names no driver"), "{:?}", report.rejections[0]);
    assert!(report.rejections[3].reason.contains("an empty transporter id"), "{:?}", report.rejections[3]);
    assert!(report.rejections[4].reason.contains("unknown package status 'Lost'"), "{:?}", report.rejections[4]);
    let applied = data.apply_reports().unwrap();
    let e = &applied.exceptions;
    assert_eq!(e.updated, 8);
    let added: Vec<&str> = e.added.iter().map(|r| r.tracking_id.as_str()).collect();
    assert_eq!(added, ["TBA100000007", "TBA100000008", "TBA100000009", "TBA100000010", "TBA100000011"]);
    assert_eq!((e.added[0].line, e.added[0].driver_id.as_str()), (8, "D1"));
    assert!(e.not_counted.is_empty());
    use Outcome::*;
    // Reattemptable with no reason (NONE): attempted, the reason left as it was.
    assert_eq!(row(&data, "TBA100000001"), Some((Attempted, None, None, true, false, false)));
    // A package without an address takes its report row's.
    assert_eq!(address(&data, "TBA100000001").as_deref(), Some("1200 Maple Ave Apt 4B, Springfield, IL 62704"));
    let (outcome, reason, code, ..) = row(&data, "TBA100000002").unwrap();
    assert_eq!((outcome, reason.as_deref(), code), (Attempted, Some("TR CANCELLED"), Some(Reason::Cancelled)));
    // Returned to station: attempted at its last scan, returned then (never UNRETURNED).
    let returned = row(&data, "TBA100000003").unwrap();
    assert_eq!((returned.0, returned.2, returned.3, returned.4), (Attempted, Some(Reason::Unsafe), true, true));
    assert_eq!(row(&data, "TBA100000004").unwrap().2, Some(Reason::Missing));
    assert_eq!(row(&data, "TBA100000004").unwrap().0, NotAttempted);
    // "-" says nothing: the driver's own reason stays.
    assert_eq!(row(&data, "TBA100000005").unwrap().1.as_deref(), Some("Nobody home"));
    assert_eq!(row(&data, "TBA100000006").unwrap().0, Delivered);
    // Pickup failed: a package the deliveries lacked, not attempted, never handed over.
    let pickup = row(&data, "TBA100000007").unwrap();
    assert_eq!((pickup.0, pickup.3, pickup.5), (NotAttempted, false, true));
    for (id, code) in [
        ("TBA100000008", Reason::AgeVerification),
        ("TBA100000009", Reason::Weather),
        ("TBA100000010", Reason::Other),
        ("TBA100000011", Reason::Other),
    ] {
        assert_eq!(row(&data, id).unwrap().2, Some(code), "{id}");
    }
    // The same meaning keeps the driver's words; another meaning takes Amazon's.
    assert_eq!(row(&data, "TBA200000003").unwrap().1.as_deref(), Some("UNABLE TO ACCESS"));
    assert_eq!(data.deliveries.height(), 13 + 5);
}

#[test]
fn the_rts_report_leaves_out_what_amazon_does_not_count() {
    let (mut data, report) = dataset(&["rts-2025.csv"]);
    assert!(report.rejections.is_empty(), "{:?}", report.rejections);
    let applied = data.apply_reports().unwrap();
    let e = &applied.exceptions;
    let left_out: Vec<&str> = e.not_counted.iter().map(|r| r.tracking_id.as_str()).collect();
    assert_eq!(left_out, ["TBA300000002", "TBA300000003"]);
    assert_eq!(row(&data, "TBA300000002"), None);
    assert_eq!(row(&data, "TBA300000003"), None);
    // No Package Status: attempted, not delivered.
    assert_eq!(row(&data, "TBA300000001").unwrap().0, Outcome::Attempted);
    // Added on its planned day, attempted then (the report has no scan time).
    let added = row(&data, "TBA300000010").unwrap();
    assert_eq!((added.0, added.2, added.3), (Outcome::Attempted, Some(Reason::NoSafeLocation), true));
    let ids = col::TRACKING_ID.read(&data.deliveries).unwrap();
    let at = ids.iter().position(|i| *i == Some("TBA300000010")).unwrap();
    let day = col::DAY.read(&data.deliveries).unwrap()[at].unwrap();
    assert_eq!(crate::report::day_text(day), "2026-03-04");
    assert_eq!(e.updated, 1);
    assert_eq!(e.added.len(), 2);
}

#[test]
fn a_later_report_wins_and_a_concession_of_a_package_left_out_is_not_unmatched() {
    let (mut data, _) = dataset(&["rts-2025.csv"]);
    data.concessions = crate::import::load_bytes(
        "c.csv",
        b"Tracking ID,Transporter ID,Concession Date\nTBA300000002,D3,2026-03-05\nTBA777,D3,2026-03-05\n".to_vec(),
        TableKind::Concessions,
        &ImportOptions::default(),
        &mut ImportReport::default(),
    )
    .unwrap();
    let applied = data.apply_reports().unwrap();
    let unmatched: Vec<&str> = applied.unmatched_concessions.iter().map(|u| u.tracking_id.as_str()).collect();
    assert_eq!(unmatched, ["TBA777"]);
}

#[test]
fn packages_are_found_in_an_export_in_key_order_and_in_any_other() {
    let frame = |ids: &[&str]| {
        DataFrame::new_infer_height(vec![
            StringChunked::from_iter_options("tracking_id".into(), ids.iter().map(|i| Some(*i))).into_column(),
        ])
        .unwrap()
    };
    let wanted = [Some("B"), Some("Z"), None, Some("A"), Some("D")];
    let mut sorted = frame(&["A", "B"]);
    sorted.vstack_mut_owned(frame(&["C", "D"])).unwrap();
    assert_eq!(delivery_rows(&sorted, &wanted).unwrap(), [Some(1), None, None, Some(0), Some(3)]);
    // An empty chunk between them (a piece whose rows were all rejected) hides no chunk after it.
    let array = |ids: &[&str]| Utf8ViewArray::from_slice_values(ids);
    let column =
        StringChunked::from_chunk_iter("tracking_id".into(), [array(&["A", "B"]), array(&[]), array(&["C", "D"])]);
    assert_eq!(column.chunk_lengths().collect::<Vec<_>>(), [2, 0, 2], "the empty chunk is kept");
    let gapped = DataFrame::new_infer_height(vec![column.into_column()]).unwrap();
    assert_eq!(delivery_rows(&gapped, &wanted).unwrap(), [Some(1), None, None, Some(0), Some(3)]);
    let shuffled = frame(&["D", "A", "C", "B"]);
    assert_eq!(delivery_rows(&shuffled, &wanted).unwrap(), [Some(3), None, None, Some(1), Some(0)]);
}

/// `report` reads the deliveries without their tracking ids ([`crate::import::Detail::Tallies`]):
/// the exceptions' packages are then found as the rows are read, and left out by row. Every
/// report gives the packages what finding them by tracking id gives.
#[test]
fn packages_found_while_the_deliveries_are_read_are_those_found_by_id() {
    use crate::import::{Detail, InputPaths, load_inputs};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon");
    for report in ["exceptions-2024.csv", "rts-2025.csv"] {
        let paths = InputPaths {
            blocks: dir.join("blocks.csv"),
            deliveries: dir.join("deliveries.csv"),
            exceptions: vec![dir.join(report)],
            ..InputPaths::default()
        };
        let load = |detail| {
            let (mut data, _) = load_inputs(&paths, &ImportOptions { detail, ..ImportOptions::default() }).unwrap();
            let found_while_read = data.packages_of_exceptions.is_some();
            let applied = data.apply_reports().unwrap();
            (data, applied, found_while_read)
        };
        let (by_row, applied_by_row, found_while_read) = load(Detail::Tallies);
        let (by_id, applied_by_id, found_by_id) = load(Detail::Standing);
        assert!(found_while_read && !found_by_id, "{report}");
        assert!(by_row.deliveries.column("tracking_id").unwrap().null_count() > 0, "{report}: ids dropped");
        assert_eq!(applied_by_row, applied_by_id, "{report}");
        for column in [
            "driver_id",
            "deliver_by",
            "attempted_at",
            "outcome",
            "reason_code",
            "returned_at",
            "pickup_failed",
            "address",
            "report_address",
        ] {
            // The report's addresses only from a report with an address column.
            match (by_row.deliveries.column(column), by_id.deliveries.column(column)) {
                (Ok(a), Ok(b)) => {
                    assert!(a.as_materialized_series().equals_missing(b.as_materialized_series()), "{report}: {column}")
                }
                (a, b) => assert!(column == "report_address" && a.is_err() && b.is_err(), "{report}: {column}"),
            }
        }
    }
}

/// An export whose tracking ids do not increase keeps them: the report's packages are then
/// found by id, with the same result.
#[test]
fn an_export_out_of_id_order_finds_the_packages_by_id() {
    use crate::import::{Detail, InputPaths, load_inputs};
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/amazon");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixtures.join("deliveries.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    std::fs::write(dir.path().join("deliveries.csv"), lines.join("\n") + "\n").unwrap();
    let paths = |deliveries: std::path::PathBuf| InputPaths {
        blocks: fixtures.join("blocks.csv"),
        deliveries,
        exceptions: vec![fixtures.join("exceptions-2024.csv")],
        ..InputPaths::default()
    };
    let load = |paths: InputPaths| {
        let opts = ImportOptions { detail: Detail::Tallies, ..ImportOptions::default() };
        let (mut data, _) = load_inputs(&paths, &opts).unwrap();
        let found_while_read = data.packages_of_exceptions.is_some();
        (data.apply_reports().unwrap(), found_while_read)
    };
    let (reversed, found_while_read) = load(paths(dir.path().join("deliveries.csv")));
    assert!(!found_while_read);
    let (in_order, _) = load(paths(fixtures.join("deliveries.csv")));
    assert_eq!(reversed.exceptions.updated, in_order.exceptions.updated);
    let ids = |applied: &ReportsApplied| {
        let mut ids: Vec<String> = applied.exceptions.added.iter().map(|r| r.tracking_id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&reversed), ids(&in_order));
}

/// Patched where it is when the column is its own; a column shared with another frame is
/// patched in a copy, and the other keeps its values.
#[test]
fn numbers_are_patched_in_place_or_in_a_copy_of_a_shared_column() {
    let mut column = UInt32Chunked::from_slice("n".into(), &[1, 2, 3]);
    column.append(&UInt32Chunked::from_slice("n".into(), &[4, 5])).unwrap();
    let kept = column.clone();
    let patched = patched_in_place(column, &mut [(4, None), (1, Some(20))]);
    assert_eq!(patched.iter().collect::<Vec<_>>(), [Some(1), Some(20), Some(3), Some(4), None]);
    assert_eq!(patched.chunks().len(), 2, "the chunks are kept");
    assert_eq!(kept.iter().collect::<Vec<_>>(), [Some(1), Some(2), Some(3), Some(4), Some(5)]);
    let own = UInt32Chunked::from_vec("n".into(), vec![7, 8]);
    assert_eq!(patched_in_place(own, &mut [(0, Some(9))]).iter().collect::<Vec<_>>(), [Some(9), Some(8)]);
}

/// Rows read in increasing order (as the updates are), in any other order, and past the
/// end, from a column in chunks of any length (some empty, some with missing values), read
/// as a plain lookup reads them.
#[test]
fn a_row_reader_reads_every_row_in_any_order() {
    use proptest::prelude::*;
    let cases = (proptest::collection::vec(0usize..6, 1..8), proptest::collection::vec(0usize..40, 0..60));
    proptest::test_runner::TestRunner::default()
        .run(&cases, |(lengths, mut rows)| {
            let mut column = UInt32Chunked::from_iter_options("v".into(), std::iter::empty());
            let mut values: Vec<Option<u32>> = Vec::new();
            for len in lengths {
                let chunk: Vec<Option<u32>> = (0..len)
                    .map(|i| (!(values.len() + i).is_multiple_of(3)).then_some((values.len() + i) as u32))
                    .collect();
                column.append(&UInt32Chunked::from_iter_options("v".into(), chunk.iter().copied())).unwrap();
                values.extend(chunk);
            }
            let reader = RowReader::new(&column);
            let plain = |row: usize| values.get(row).copied().flatten();
            let mut chunk = 0;
            for &row in &rows {
                prop_assert_eq!(reader.get(row, &mut chunk), plain(row), "row {} in any order", row);
            }
            rows.sort_unstable();
            let mut chunk = 0;
            for &row in &rows {
                prop_assert_eq!(reader.get(row, &mut chunk), plain(row), "row {} in order", row);
            }
            Ok(())
        })
        .unwrap();
}

/// The report's address goes to a package only where its own is missing, by the report's
/// row; the column keeps the chunks of the deliveries' own addresses (made on every core).
#[test]
fn a_report_address_row_only_where_the_package_has_no_address_of_its_own() {
    let chunk = |texts: &[Option<&str>]| MutablePlString::from_iter(texts.iter().copied()).freeze();
    let own = StringChunked::from_chunk_iter(
        "address".into(),
        [chunk(&[Some("1 Oak St"), None, None]), chunk(&[]), chunk(&[None, Some("2 Elm St")]), chunk(&[None])],
    )
    .into_column();
    let mut given = vec![(4, 10), (0, 7), (1, 8), (3, 9)];
    let rows = report_address_rows(&own, &mut given).unwrap();
    let rows = rows.u32().unwrap();
    assert_eq!(rows.chunk_lengths().collect::<Vec<_>>(), [3, 0, 2, 1], "the own column's chunks");
    assert_eq!(rows.iter().collect::<Vec<_>>(), [None, Some(8), None, Some(9), None, None]);
}
