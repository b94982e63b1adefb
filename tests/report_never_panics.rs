//! Property test (issue 7): whatever the rows of an import, as long as it is accepted, the
//! report, the history, the CSV and JSON writers and the dispute letters finish without a
//! panic. Cells are drawn from good values, edge values (years 1970 and 2199, DST gaps,
//! zero and huge counts) and garbage.

use proptest::prelude::*;
use standwatch::config::Thresholds;
use standwatch::import::text::decode_csv;
use standwatch::import::time::FleetZone;
use standwatch::import::{Detail, ImportOptions, load_texts};
use standwatch::letters::{LetterKind, LetterSettings, draft};
use standwatch::report::{Row, write_csv, write_history_csv, write_json};
use standwatch::standing::Fleet;

const TIMES: [&str; 12] = [
    "2026-03-02 08:00",
    "2026-03-08 02:30",
    "2026-11-01 01:30",
    "03/04/2026 11:59 PM",
    "2026-03-09T07:55:00-05:00",
    "1970-01-01 00:00",
    "2199-12-31 23:59:59",
    "2026-03-02",
    "",
    "not a time",
    "2026-02-29 10:00",
    "2026-03-10T08:00:00.999Z",
];
const OUTCOMES: [&str; 6] = ["delivered", "attempted", "not attempted", "Delivered", "lost", ""];
const REASONS: [&str; 6] = ["", "access", "business closed", "unsafe", "app failure", "=HYPERLINK(1)"];
const CELLS: [&str; 7] = ["", "Y", "N", "0", "4294967296", "photos/a.jpg;../b.jpg", "\"quoted, \"\"cell\"\"\""];

fn pick<'a>(list: &[&'a str], i: usize) -> &'a str {
    list[i % list.len()]
}

/// Blocks and deliveries for up to four drivers (ids from a small set so that rows meet).
fn files() -> impl Strategy<Value = (String, String)> {
    let block = (0..4usize, 0..40usize, prop::array::uniform4(0..64usize));
    let package = (0..4usize, 0..60usize, prop::array::uniform8(0..64usize));
    (prop::collection::vec(block, 1..40), prop::collection::vec(package, 1..60)).prop_map(|(blocks, packages)| {
        let mut b = String::from("driver_id,driver_name,block_id,block_start,checked_in_at,cancelled_at,departed_at\n");
        for (driver, id, t) in blocks {
            b.push_str(&format!(
                "D{driver},=Name {driver},B{id},{},{},{},{}\n",
                pick(&TIMES, t[0]),
                pick(&TIMES, t[1]),
                pick(&TIMES, t[2]),
                pick(&TIMES, t[3])
            ));
        }
        let mut d = String::from(
            "tracking_id,driver_id,deliver_by,attempted_at,outcome,reason,returned_at,dnr,dnr_reported_at,\
             contact_attempts,photo\n",
        );
        for (driver, id, t) in packages {
            d.push_str(&format!(
                "T{id},D{driver},{},{},{},{},{},{},{},{},{}\n",
                pick(&TIMES, t[0]),
                pick(&TIMES, t[1]),
                pick(&OUTCOMES, t[2]),
                pick(&REASONS, t[3]),
                pick(&TIMES, t[4]),
                pick(&CELLS, t[5]),
                pick(&TIMES, t[6]),
                pick(&CELLS, t[7]),
                pick(&CELLS, t[5] + t[7]),
            ));
        }
        (b, d)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_accepted_import_reports_without_panic((blocks, deliveries) in files(), new_york in any::<bool>()) {
        let zone = if new_york { FleetZone::parse("America/New_York").unwrap() } else { FleetZone::default() };
        let opts = ImportOptions { zone, day_first: false, detail: Detail::Full, week: None };
        let text = |name: &str, body: &str| decode_csv(name.to_string(), body.as_bytes().to_vec()).unwrap();
        let Ok((data, _)) = load_texts(text("b.csv", &blocks), text("d.csv", &deliveries), None, None, &opts) else {
            return Ok(());
        };
        let fleet = Fleet::build(&data, Thresholds::default()).unwrap();
        let Some(as_of) = fleet.default_as_of() else { return Ok(()) };
        let evidence = tempfile::tempdir().unwrap();
        let settings = LetterSettings { evidence_dir: evidence.path().to_path_buf(), ..LetterSettings::default() };
        for day in [as_of - 400, as_of - 1, as_of, as_of + 30] {
            let rows: Vec<Row> =
                fleet.drivers.iter().enumerate().map(|(i, driver)| Row { driver, standing: fleet.standing(i, day) }).collect();
            let (mut csv, mut json) = (Vec::new(), Vec::new());
            write_csv(&rows, &mut csv).unwrap();
            write_json(&rows, &mut json).unwrap();
            prop_assert_eq!(String::from_utf8(csv).unwrap().lines().count(), rows.len() + 1);
        }
        for i in 0..fleet.drivers.len() {
            // History is bounded to a year here: a row in 1970 would otherwise make it long.
            let history = fleet.history(i, Some(as_of - 366), as_of);
            prop_assert!(history.len() <= 367);
            for kind in [LetterKind::Dispute, LetterKind::Reactivation] {
                let _ = draft(&fleet, i, as_of, kind, &settings, &[]);
            }
        }
    }

    /// `report` and `history` read only the columns standings need: the same rows are
    /// accepted and rejected, and the report and history come out the same.
    #[test]
    fn reading_only_what_standings_need_gives_the_same_report_and_history((blocks, deliveries) in files()) {
        let text = |name: &str, body: &str| decode_csv(name.to_string(), body.as_bytes().to_vec()).unwrap();
        let read = |detail| {
            let opts = ImportOptions { detail, ..ImportOptions::default() };
            load_texts(text("b.csv", &blocks), text("d.csv", &deliveries), None, None, &opts)
        };
        let outputs = |detail| -> Result<(String, Vec<u8>, Vec<u8>), String> {
            let (data, import) = read(detail).map_err(|e| e.to_string())?;
            let fleet = Fleet::build(&data, Thresholds::default()).unwrap();
            let (mut report, mut history) = (Vec::new(), Vec::new());
            if let Some(as_of) = fleet.default_as_of() {
                let rows: Vec<Row> = fleet
                    .drivers
                    .iter()
                    .enumerate()
                    .map(|(i, driver)| Row { driver, standing: fleet.standing(i, as_of) })
                    .collect();
                write_csv(&rows, &mut report).unwrap();
                let drivers: Vec<usize> = (0..fleet.drivers.len()).collect();
                write_history_csv(&fleet, &drivers, Some(as_of - 60), as_of, &mut history).unwrap();
            }
            Ok((format!("{import:?}"), report, history))
        };
        let full = outputs(Detail::Full);
        prop_assert_eq!(outputs(Detail::Standing), full);
    }
}
