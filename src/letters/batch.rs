//! Letters for many drivers at once, written on all cores with `index.csv`: Flex drivers'
//! disputes as of a day, or DAs' disputes of a scorecard week.

use super::{Letter, LetterError, LetterKind, LetterSettings, draft, draft_week, to_eml};
use crate::import::time::Day;
use crate::report::SafeCsv;
use crate::scorecard::Scorecards;
use crate::scorecard::week::Week;
use crate::standing::{Event, EventRef, Fleet};
use std::path::Path;

/// The columns of a batch's `index.csv` (the last two: the overall tier now and without
/// the letter's events).
pub const INDEX_COLUMNS: [&str; 7] =
    ["driver_id", "driver_name", "file", "events", "grounds", "tier_now", "tier_without"];

/// What a batch wrote.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// index.csv rows (see [`INDEX_COLUMNS`]; ids and codes joined by `;`).
    pub index: Vec<[String; 7]>,
    /// Problems met, each prefixed with its driver id.
    pub problems: Vec<String>,
    /// The letters written, in the order of `index`: (driver id, file in `out`, events,
    /// the ground each event is filed under).
    pub written: Vec<(String, String, Vec<EventRef>, Vec<&'static str>)>,
    /// Stopped by `cancelled` before the end.
    pub cancelled: bool,
}

/// Drafts a dispute letter for each of `drivers` that has a disputable event, writes it to
/// `out` (atomically) with `index.csv`, on all cores. `progress` gets the count of drivers
/// done; `cancelled` is asked between drivers.
pub fn draft_batch(
    fleet: &Fleet,
    drivers: &[usize],
    as_of: Day,
    settings: &LetterSettings,
    out: &Path,
    progress: &(dyn Fn(usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Batch, LetterError> {
    write_batch(drivers.len(), out, progress, cancelled, &|position| {
        let driver = drivers[position];
        if !fleet.events(driver, as_of)?.iter().any(Event::is_disputable) {
            return Ok(None);
        }
        draft(fleet, driver, as_of, LetterKind::Dispute, settings, &[]).map(Some)
    })
}

/// The same for the DAs (`das`: ids) of a scorecard week that have a disputable defect in
/// that week (SPEC §7.3).
#[allow(clippy::too_many_arguments)]
pub fn draft_week_batch(
    fleet: &Fleet,
    cards: &Scorecards,
    das: &[String],
    week: Week,
    settings: &LetterSettings,
    out: &Path,
    progress: &(dyn Fn(usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Batch, LetterError> {
    write_batch(das.len(), out, progress, cancelled, &|position| {
        let letter = draft_week(fleet, cards, &das[position], week, settings, &[])?;
        Ok(letter.filter(|l| !l.events.is_empty()))
    })
}

/// Drafts `count` letters (`draft_one(position)`, `None` for a driver without one) on all
/// cores, writes each as `.eml` to `out` and their `index.csv`, in position order.
fn write_batch(
    count: usize,
    out: &Path,
    progress: &(dyn Fn(usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
    draft_one: &(dyn Fn(usize) -> Result<Option<Letter>, LetterError> + Sync),
) -> Result<Batch, LetterError> {
    let write_error = |path: &Path| {
        let path = path.display().to_string();
        move |source| LetterError::Write { path, source }
    };
    std::fs::create_dir_all(out).map_err(write_error(out))?;
    let threads = crate::parallel::cores().min(count.max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    type Drafted = Vec<(usize, [String; 7], Vec<String>, Vec<EventRef>, Vec<&'static str>)>;
    let results: Vec<Result<Drafted, LetterError>> = crate::parallel::map_on_threads(
        (0..threads).collect(),
        |t| -> Result<Drafted, LetterError> {
            let mut rows = Vec::new();
            for position in (0..count).skip(t).step_by(threads) {
                if cancelled() {
                    break;
                }
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                let Some(letter) = draft_one(position)? else { continue };
                let eml = to_eml(&letter, chrono::Utc::now().timestamp()).map_err(LetterError::Email)?;
                let file = letter.file_name();
                let path = out.join(&file);
                crate::fsutil::write_atomic(&path, &eml).map_err(write_error(&path))?;
                let problems = letter.problems.iter().map(|p| format!("{}: {p}", letter.driver_id)).collect();
                let grounds = letter.event_grounds();
                let row = [
                    letter.driver_id,
                    letter.driver_name,
                    file,
                    letter.events.join(";"),
                    letter.grounds.join(";"),
                    letter.impact.tier_now.to_string(),
                    letter.impact.tier_without.to_string(),
                ];
                rows.push((position, row, problems, letter.event_refs, grounds));
            }
            Ok(rows)
        },
        || Err(LetterError::Thread),
    );
    let mut drafted = Vec::new();
    for r in results {
        drafted.extend(r?);
    }
    drafted.sort_by_key(|(position, _, _, _, _)| *position);
    let mut batch = Batch { cancelled: cancelled(), ..Batch::default() };
    for (_, row, problems, refs, grounds) in drafted {
        batch.written.push((row[0].clone(), row[2].clone(), refs, grounds));
        batch.index.push(row);
        batch.problems.extend(problems);
    }
    let mut buf = Vec::new();
    let mut csv = SafeCsv::new(&mut buf);
    let index_path = out.join("index.csv");
    csv.row(INDEX_COLUMNS).map_err(write_error(&index_path))?;
    for row in &batch.index {
        csv.row(row).map_err(write_error(&index_path))?;
    }
    csv.finish().map_err(write_error(&index_path))?;
    crate::fsutil::write_atomic(&index_path, &buf).map_err(write_error(&index_path))?;
    Ok(batch)
}
