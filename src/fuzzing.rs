//! Entry points for the fuzz targets (`fuzz/`) and their regression tests (`tests/fuzz_regressions.rs`):
//! any bytes in, no panic out. The assertions here are the invariants a fuzzer checks.

use crate::import::text::decode_csv;
use crate::import::time::{FleetZone, parse_date_arg, parse_written, slash_order};
use crate::import::{Detail, ImportOptions, ImportReport, TableKind, load_file, load_table};

/// Zones with DST gaps and overlaps of one hour, 30 minutes (Lord Howe) and 45 minutes
/// offsets (Chatham), beside UTC.
const ZONES: [&str; 4] = ["UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham"];

/// The kind a fuzz input's first byte picks: its two low bits pick one of the first four
/// kinds (as before there were more, so that kept inputs keep their meaning); bit 6 picks
/// concessions or observed tiers instead.
fn fuzz_kind(choice: u8) -> TableKind {
    const FIRST: [TableKind; 4] = [TableKind::Blocks, TableKind::Deliveries, TableKind::Roster, TableKind::Outages];
    if choice & 0x40 != 0 {
        [TableKind::Concessions, TableKind::Observed][usize::from(choice & 1)]
    } else {
        FIRST[usize::from(choice) % FIRST.len()]
    }
}

/// The first byte picks the kind of file and the reading options; the rest is the file.
/// Returns the number of rows accepted, or `None` when the file was refused.
pub fn import_bytes(data: &[u8]) -> Option<usize> {
    let (&choice, file) = data.split_first()?;
    let kind = fuzz_kind(choice);
    let zone = FleetZone::parse(ZONES[usize::from(choice >> 4) % ZONES.len()]).ok()?;
    let detail = if choice & 0x04 != 0 { Detail::Standing } else { Detail::Full };
    let opts = ImportOptions { zone, day_first: choice & 0x08 != 0, detail, week: None };
    let csv = decode_csv("fuzz.csv".to_string(), file.to_vec()).ok()?;
    let mut report = ImportReport::default();
    let frame = load_table(&csv, kind, &opts, &mut report).ok()?;
    let read: usize = report.files.iter().map(|f| f.read).sum();
    let accounted: usize = report.files.iter().map(|f| f.accepted + f.duplicate + f.rejected).sum();
    assert_eq!(read, accounted, "every row read is accepted, duplicate or rejected");
    assert_eq!(report.rejections.len(), report.files.iter().map(|f| f.rejected).sum::<usize>());
    assert!(frame.height() <= read);
    Some(frame.height())
}

/// The first byte picks the kind, the options and the workbook format (.xlsx, .ods,
/// .xls); the rest is the file, written to a temporary file as a user's would be.
/// Returns the number of rows accepted, or `None` when the workbook was refused.
pub fn workbook_bytes(data: &[u8]) -> Option<usize> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let (&choice, file) = data.split_first()?;
    let kind = fuzz_kind(choice);
    let extension = ["xlsx", "ods", "xls"][usize::from(choice >> 4) % 3];
    let opts = ImportOptions { day_first: choice & 0x08 != 0, ..ImportOptions::default() };
    let name = format!("standwatch-fuzz-{}-{}.{extension}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, file).ok()?;
    let mut report = ImportReport::default();
    let loaded = load_file(&path, kind, &opts, &mut report);
    let _ = std::fs::remove_file(&path);
    let frame = loaded.ok()?;
    let read: usize = report.files.iter().map(|f| f.read).sum();
    let accounted: usize = report.files.iter().map(|f| f.accepted + f.duplicate + f.rejected).sum();
    assert_eq!(read, accounted, "every row read is accepted, duplicate or rejected");
    Some(frame.height())
}

/// A small fleet's deliveries that exceptions reports update, add to and leave out of.
const FUZZ_DELIVERIES: &str = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,dnr\n\
    T1,D1,B1,2026-03-02 20:00,2026-03-02 09:00,delivered,,Y\n\
    T2,D1,B1,2026-03-02 20:00,2026-03-02 09:10,attempted,Nobody home,\n\
    T3,D2,B2,2026-03-02 20:00,,not_attempted,,\n";

/// Any bytes as an exceptions report (the first byte picks the options), applied to a small
/// fleet's deliveries: an import result or an error, never a panic, and every row of the
/// report accounted for (a package updated, added or left out). Returns the packages after.
pub fn exceptions_bytes(data: &[u8]) -> Option<usize> {
    let (&choice, file) = data.split_first()?;
    let zone = FleetZone::parse(ZONES[usize::from(choice >> 4) % ZONES.len()]).ok()?;
    let opts = ImportOptions { zone, day_first: choice & 0x08 != 0, detail: Detail::Full, week: None };
    let mut report = ImportReport::default();
    let deliveries = decode_csv("deliveries.csv".to_string(), FUZZ_DELIVERIES.as_bytes().to_vec()).ok()?;
    let deliveries = load_table(&deliveries, TableKind::Deliveries, &opts, &mut report).ok()?;
    let csv = decode_csv("fuzz.csv".to_string(), file.to_vec()).ok()?;
    let exceptions = load_table(&csv, TableKind::Exceptions, &opts, &mut report).ok()?;
    let rows = exceptions.height();
    let before = deliveries.height();
    let mut data = crate::import::Dataset { deliveries, exceptions, ..crate::import::Dataset::empty(zone).ok()? };
    let applied = data.apply_reports().ok()?.exceptions;
    let e = &applied;
    assert_eq!(
        e.updated + e.added.len() + e.of_das + e.not_counted.len(),
        rows,
        "every row updates, adds or leaves out"
    );
    assert!(data.deliveries.height() <= before + e.added.len() + e.of_das);
    Some(data.deliveries.height())
}

/// Any text as a timestamp cell: parsed or refused; a parsed value converts to an
/// instant and back to a day in every zone. Returns whether it parsed.
pub fn timestamp_bytes(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else { return false };
    let _ = slash_order(text);
    let _ = parse_date_arg(text, false);
    let mut parsed = false;
    for day_first in [false, true] {
        let Some(written) = parse_written(text, day_first) else { continue };
        parsed = true;
        for zone in ZONES.iter().filter_map(|z| FleetZone::parse(z).ok()) {
            for end_of_day in [false, true] {
                let ms = zone.instant(written, end_of_day);
                let _ = zone.day_of(ms);
                let _ = zone.local(ms);
            }
        }
    }
    parsed
}
