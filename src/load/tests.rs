//! Loading files and workspaces: one path for both, the same fleet from each.

use super::*;

fn sample() -> InputPaths {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    InputPaths {
        blocks: dir.join("blocks.csv"),
        deliveries: dir.join("deliveries.csv"),
        roster: Some(dir.join("roster.csv")),
        outages: Some(dir.join("outages.csv")),
        concessions: vec![dir.join("concessions.csv")],
        exceptions: vec![dir.join("exceptions.csv")],
        scorecards: Vec::new(),
    }
}

#[test]
fn files_and_the_same_files_in_a_workspace_load_the_same_standing() {
    let files = load(Source::Files(sample()), Settings::default(), &Options::default(), &Progress::NONE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = Options { change: Some(Change::Import(sample().files())), ..Options::default() };
    let ws = load(Source::Workspace(dir.path().join("ws")), Settings::default(), &options, &Progress::NONE).unwrap();
    let day = files.fleet.default_as_of().unwrap();
    assert_eq!(ws.fleet.drivers.len(), files.fleet.drivers.len());
    for i in 0..files.fleet.drivers.len() {
        assert_eq!(ws.fleet.standing(i, day), files.fleet.standing(i, day));
    }
    assert_eq!(ws.report.files.len(), 6);
    assert!(ws.evidence_dir(None).ends_with("sample-data"));
    assert_eq!(ws.letters_dir(), dir.path().join("ws").join("letters"));
    assert!(files.letters_dir().ends_with("sample-data/letters"));
    // A folder chosen before does not take letters out of the workspace.
    let chosen = Settings { letters_dir: Some(dir.path().join("elsewhere")), ..Settings::default() };
    let ws =
        load(Source::Workspace(dir.path().join("ws")), chosen.clone(), &Options::default(), &Progress::NONE).unwrap();
    assert_eq!(ws.letters_dir(), dir.path().join("ws").join("letters"));
    let files = load(Source::Files(sample()), chosen, &Options::default(), &Progress::NONE).unwrap();
    assert_eq!(files.letters_dir(), dir.path().join("elsewhere"));
    // The sample data's own folder is hidden: its letters go to Documents.
    let shown = load(Source::Sample(sample()), Settings::default(), &Options::default(), &Progress::NONE).unwrap();
    assert_eq!(shown.letters_dir(), documents_dir().join("Standwatch").join("letters"));
}

/// The deliveries of a generated fleet rewritten: its records in another order, with
/// the first `repeated` records appended again (a later duplicate, another outcome).
fn rewritten(from: &Path, to: &Path, shuffle: bool, repeated: usize) {
    let mut reader = csv::Reader::from_path(from).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    if shuffle {
        // A fixed permutation: every 7th record first, then the rest, reversed.
        let (mut a, b): (Vec<_>, Vec<_>) = records.into_iter().enumerate().partition(|(i, _)| i % 7 == 0);
        a.extend(b.into_iter().rev());
        records = a.into_iter().map(|(_, r)| r).collect();
    }
    let outcome = headers.iter().position(|h| h == "outcome").unwrap();
    let again: Vec<csv::StringRecord> = records[..repeated]
        .iter()
        .map(|r| r.iter().enumerate().map(|(i, c)| if i == outcome { "not attempted" } else { c }).collect())
        .collect();
    let mut writer = csv::Writer::from_path(to).unwrap();
    writer.write_record(&headers).unwrap();
    for r in records.iter().chain(&again) {
        writer.write_record(r).unwrap();
    }
    writer.flush().unwrap();
}

#[test]
fn the_tallies_import_gives_the_standing_and_history_of_the_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let generated = dir.path().join("generated");
    crate::generate::generate(&crate::generate::GenerateOptions { drivers: 40, days: 45, seed: 3, start }, &generated)
        .unwrap();
    let files = |deliveries: PathBuf, concessions: bool| InputPaths {
        blocks: generated.join("blocks.csv"),
        deliveries,
        roster: Some(generated.join("roster.csv")),
        outages: Some(generated.join("outages.csv")),
        concessions: if concessions { sample().concessions } else { Vec::new() },
        exceptions: Vec::new(),
        scorecards: Vec::new(),
    };
    let shuffled = dir.path().join("shuffled.csv");
    rewritten(&generated.join("deliveries.csv"), &shuffled, true, 0);
    let repeated = dir.path().join("repeated.csv");
    rewritten(&generated.join("deliveries.csv"), &repeated, false, 30);
    // (input, whether tracking ids can go)
    let cases = [
        (files(generated.join("deliveries.csv"), false), true),
        (files(shuffled, false), false),
        (files(repeated, false), false),
        (files(generated.join("deliveries.csv"), true), false),
        (sample(), false),
    ];
    for (paths, ids_dropped) in cases {
        let with = |detail| {
            let options = Options { detail, ..Options::default() };
            load(Source::Files(paths.clone()), Settings::default(), &options, &Progress::NONE).unwrap()
        };
        let (full, tallies) = (with(Detail::Full), with(Detail::Tallies));
        let ids = tallies.dataset.deliveries.column("tracking_id").unwrap();
        assert_eq!(ids.null_count() == ids.len(), ids_dropped, "{paths:?}");
        assert_eq!(format!("{:?}", tallies.report), format!("{:?}", full.report), "{paths:?}");
        let day = full.fleet.default_as_of().unwrap();
        assert_eq!(tallies.fleet.default_as_of(), Some(day));
        assert_eq!(tallies.fleet.drivers.len(), full.fleet.drivers.len());
        for i in 0..full.fleet.drivers.len() {
            assert_eq!(tallies.fleet.standing(i, day), full.fleet.standing(i, day), "{paths:?} driver {i}");
            assert_eq!(tallies.fleet.history(i, None, day), full.fleet.history(i, None, day), "{paths:?}");
        }
        // Photos count as grounds from their flags alone.
        let grounds = full.fleet.package_grounds();
        assert_eq!(tallies.fleet.package_grounds(), grounds, "{paths:?}");
        assert!(grounds.iter().any(|g| g.contains(crate::standing::grounds::Grounds::PHOTO_PROOF)), "{paths:?}");
    }
}

#[test]
fn a_workspace_read_for_tallies_leaves_out_what_only_letters_quote_and_gives_the_same_standing() {
    for concessions in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let p = sample();
        let mut list: Vec<(TableKind, PathBuf)> =
            vec![(TableKind::Blocks, p.blocks), (TableKind::Deliveries, p.deliveries)];
        list.extend(p.roster.map(|r| (TableKind::Roster, r)));
        list.extend(p.concessions.into_iter().filter(|_| concessions).map(|c| (TableKind::Concessions, c)));
        let ws = dir.path().join("ws");
        let options = Options { change: Some(Change::Import(list)), ..Options::default() };
        load(Source::Workspace(ws.clone()), Settings::default(), &options, &Progress::NONE).unwrap();
        let with = |detail| {
            let options = Options { detail, ..Options::default() };
            load(Source::Workspace(ws.clone()), Settings::default(), &options, &Progress::NONE).unwrap()
        };
        let (full, tallies) = (with(Detail::Full), with(Detail::Tallies));
        let (a, b) = (&full.dataset.deliveries, &tallies.dataset.deliveries);
        assert_eq!(a.schema(), b.schema());
        // DNR report times count against concessions only.
        let left_out: &[&str] =
            if concessions { &["line", "reason", "notes"] } else { &["line", "reason", "notes", "dnr_reported_at"] };
        for name in left_out {
            assert_eq!(b.column(name).unwrap().null_count(), b.height(), "{name}");
            assert!(a.column(name).unwrap().null_count() < a.height(), "{name}");
        }
        assert!(b.drop_many(left_out.iter().copied()).equals_missing(&a.drop_many(left_out.iter().copied())));
        let day = full.fleet.default_as_of().unwrap();
        for i in 0..full.fleet.drivers.len() {
            assert_eq!(tallies.fleet.history(i, None, day), full.fleet.history(i, None, day));
        }
        assert_eq!(tallies.fleet.package_grounds(), full.fleet.package_grounds());
    }
}

#[test]
fn cancelling_and_a_workspace_in_another_zone_are_errors_of_their_own() {
    let never = Progress { report: &|_| {}, cancelled: &|| true };
    let cancelled = load(Source::Files(sample()), Settings::default(), &Options::default(), &never);
    assert!(matches!(cancelled, Err(LoadError::Cancelled)));
    let dir = tempfile::tempdir().unwrap();
    Workspace::open_or_create(dir.path(), FleetZone::parse("America/Chicago").unwrap()).unwrap();
    let options = Options { zone: Some(FleetZone::default()), ..Options::default() };
    let other = load(Source::Workspace(dir.path().into()), Settings::default(), &options, &Progress::NONE);
    let Err(e) = other else { panic!("another zone was accepted") };
    assert!(e.is_input() && e.to_string().contains("America/Chicago"), "{e}");
}

/// Settings › Import outages CSV: each window written in the fleet's zone as Settings reads
/// it back, an offset converted, stations kept; a file that is not an outages CSV is named.
#[test]
fn an_outages_csv_becomes_settings_rows_in_the_fleet_zone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outages.csv");
    std::fs::write(
        &path,
        "start,end,description,station\n\
         2026-03-02 06:00,2026-03-02 12:00,app down,DLA9;DXT4\n\
         2026-03-05T11:00:00Z,2026-03-05T13:30:00Z,\"scanner, all\",\n",
    )
    .unwrap();
    let zone = FleetZone::parse("America/New_York").unwrap();
    let rows = read_outage_settings(&path, zone, false).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].start.as_str(), rows[0].end.as_str()), ("2026-03-02 06:00:00", "2026-03-02 12:00:00"));
    assert_eq!(rows[0].station, "DLA9; DXT4");
    // 11:00 UTC is 06:00 in New York (EST).
    assert_eq!((rows[1].start.as_str(), rows[1].description.as_str()), ("2026-03-05 06:00:00", "scanner, all"));
    assert_eq!(rows[1].station, "");
    // Read back by Settings, the rows give the same windows.
    let settings = Settings { outages: rows, ..Settings::default() };
    let windows = settings.outage_windows(zone).unwrap();
    assert_eq!(windows[1].end - windows[1].start, 150 * 60 * 1000);
    let blocks = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/blocks.csv");
    let message = read_outage_settings(&blocks, zone, false).unwrap_err().to_string();
    assert!(message.contains("blocks.csv") && message.contains("start"), "{message}");
}

/// The command line's import and the app's Open or create go through `workspace_in`: a
/// new folder is created in the zone given, another zone is refused; files are sorted by
/// their headers, an unrelated one named.
#[test]
fn files_are_sorted_by_kind_and_imported_into_a_workspace_of_one_zone() {
    let dir = tempfile::tempdir().unwrap();
    let unrelated = dir.path().join("notes.csv");
    std::fs::write(&unrelated, "colour,size\nred,3\n").unwrap();
    let paths = sample();
    let (sorted, problems) = files_by_kind(vec![paths.blocks.clone(), unrelated, paths.exceptions[0].clone()]);
    assert_eq!(
        sorted,
        vec![(TableKind::Blocks, paths.blocks.clone()), (TableKind::Exceptions, paths.exceptions[0].clone())]
    );
    assert_eq!(problems.len(), 1);
    assert!(problems[0].to_string().contains("notes.csv"), "{}", problems[0]);

    let ws = dir.path().join("ws");
    let zone = FleetZone::parse("Europe/Paris").unwrap();
    let outcome = import_into(&ws, &sorted, Some(zone), false, false).unwrap();
    assert_eq!(outcome.files.len(), 2);
    assert_eq!(workspace_in(&ws, None, None).unwrap().zone(), zone);
    let other = import_into(&ws, &sorted, Some(FleetZone::default()), false, false).unwrap_err();
    assert!(matches!(other, LoadError::OtherZone { .. }) && other.is_input(), "{other}");
    // Loaded from files, there is no workspace to record cases in.
    let files = load(Source::Files(sample()), Settings::default(), &Options::default(), &Progress::NONE).unwrap();
    assert!(files.record_cases(&[]).unwrap().is_none());
}
