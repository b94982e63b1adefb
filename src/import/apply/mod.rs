//! docs/rules.md §1.10 and §1.14: Amazon's reports applied to the deliveries. Exceptions
//! rows update their packages or add them; concessions mark their packages as DNR claims;
//! rows Amazon says do not count leave their packages out.

use super::codes::{ConcessionFlags, Outcome};
use super::columns as col;
use super::time::MS_PER_DAY;
use super::{Dataset, repeated_text_dtype, texts_of};
use polars_arrow::array::{Array, BooleanArray, PrimitiveArray, Utf8ViewArray};
use polars_arrow::bitmap::MutableBitmap;
use polars_arrow::datatypes::ArrowDataType;
use polars_core::prelude::*;

/// A concession whose package is not among the deliveries: listed, and it changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmatchedConcession {
    /// The row's physical line in its file.
    pub line: u32,
    pub tracking_id: String,
    pub driver_id: String,
}

/// An exceptions row named for the import report: its line, package and driver.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExceptionRow {
    pub line: u32,
    pub tracking_id: String,
    pub driver_id: String,
}

/// What the exceptions did to the deliveries.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExceptionsApplied {
    /// Packages of the deliveries an exceptions row updated.
    pub updated: usize,
    /// Rows whose package the deliveries did not have: added as packages of their driver
    /// (but for the scorecards' DAs, counted in `of_das`).
    pub added: Vec<ExceptionRow>,
    /// Rows of the scorecards' DAs, added as packages: their weeks' defects (DSP mode).
    pub of_das: usize,
    /// Rows that do not count (`Impact DCR` no, or an exemption): their packages are left
    /// out of the standing.
    pub not_counted: Vec<ExceptionRow>,
}

/// What applying Amazon's reports to the deliveries did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReportsApplied {
    pub exceptions: ExceptionsApplied,
    pub unmatched_concessions: Vec<UnmatchedConcession>,
}

/// The exceptions rows, read once into plain vectors (a report has thousands of rows, not
/// millions).
struct ExceptionRows<'a> {
    line: Vec<Option<u32>>,
    tracking_id: Vec<Option<&'a str>>,
    driver_id: Vec<Option<&'a str>>,
    address: Vec<Option<&'a str>>,
    outcome: Vec<Option<u32>>,
    returned: Vec<Option<bool>>,
    pickup_failed: Vec<Option<bool>>,
    reason: Vec<Option<&'a str>>,
    reason_code: Vec<Option<u32>>,
    scanned_at: Vec<Option<i64>>,
    deliver_by: Vec<Option<i64>>,
    counts: Vec<Option<bool>>,
    notes: Vec<Option<&'a str>>,
}

impl<'a> ExceptionRows<'a> {
    fn read(frame: &'a DataFrame) -> PolarsResult<ExceptionRows<'a>> {
        let numbers =
            |name: &str| -> PolarsResult<Vec<Option<u32>>> { Ok(frame.column(name)?.u32()?.iter().collect()) };
        Ok(ExceptionRows {
            line: numbers(col::LINE.name())?,
            tracking_id: col::TRACKING_ID.read(frame)?,
            driver_id: col::DRIVER_ID.read(frame)?,
            address: col::ADDRESS.read(frame)?,
            outcome: numbers(col::OUTCOME.name())?,
            returned: col::RETURNED.read(frame)?,
            pickup_failed: col::PICKUP_FAILED.read(frame)?,
            reason: col::REASON.read(frame)?,
            reason_code: numbers(col::REASON_CODE.name())?,
            scanned_at: col::SCANNED_AT.read(frame)?,
            deliver_by: col::DELIVER_BY.read(frame)?,
            counts: col::COUNTS.read(frame)?,
            notes: col::NOTES.read(frame)?,
        })
    }

    fn named(&self, row: usize) -> ExceptionRow {
        ExceptionRow {
            line: self.line[row].unwrap_or(0),
            tracking_id: self.tracking_id[row].unwrap_or("").to_string(),
            driver_id: self.driver_id[row].unwrap_or("").to_string(),
        }
    }

    fn outcome(&self, row: usize) -> Outcome {
        self.outcome[row].and_then(Outcome::from_number).unwrap_or(Outcome::Attempted)
    }

    /// When a returned package came back: its last scan, else its planned day, else
    /// `fallback` (so that it is never taken for unreturned).
    fn returned_at(&self, row: usize, fallback: i64) -> Option<i64> {
        self.returned[row].unwrap_or(false).then(|| self.scanned_at[row].or(self.deliver_by[row]).unwrap_or(fallback))
    }
}

impl Dataset {
    /// docs/rules.md §1.10, §1.14: applies the exceptions (their rows update or add
    /// packages), then the concessions, then leaves out the packages Amazon says do not
    /// count (a concession of such a package is not unmatched).
    pub fn apply_reports(&mut self) -> PolarsResult<ReportsApplied> {
        // DSP mode (SPEC §7.3): the reports' rows of the scorecards' DAs are their packages;
        // without deliveries, so are every row's.
        let das: PlHashSet<String> =
            col::DRIVER_ID.read(&self.scorecards)?.into_iter().flatten().map(str::to_string).collect();
        let without_deliveries = self.deliveries.height() == 0;
        let (mut exceptions, left_out) = self.apply_exceptions()?;
        let before = exceptions.added.len();
        exceptions.added.retain(|r| !das.contains(&r.driver_id));
        exceptions.of_das = before - exceptions.added.len();
        if without_deliveries || !das.is_empty() {
            self.add_conceded_packages(|driver| without_deliveries || das.contains(driver))?;
        }
        let unmatched_concessions = self.apply_concessions()?;
        let keep: Option<BooleanChunked> = match left_out {
            LeftOut::Ids(ids) if !ids.is_empty() => {
                let tracking = self.deliveries.column(col::TRACKING_ID.name())?.str()?;
                Some(tracking.iter().map(|id| !id.is_some_and(|id| ids.contains(id))).collect())
            }
            LeftOut::Rows(rows) if !rows.is_empty() => {
                let mut keep = vec![true; self.deliveries.height()];
                for row in rows {
                    keep[row] = false;
                }
                Some(BooleanChunked::from_slice(PlSmallStr::EMPTY, &keep))
            }
            _ => None,
        };
        if let Some(keep) = keep {
            self.deliveries =
                crate::timings::phase("leave out packages that do not count", || self.deliveries.filter(&keep))?;
        }
        Ok(ReportsApplied { exceptions, unmatched_concessions })
    }

    /// The exceptions applied to the deliveries; returns what they did and the packages to
    /// leave out.
    fn apply_exceptions(&mut self) -> PolarsResult<(ExceptionsApplied, LeftOut)> {
        let mut applied = ExceptionsApplied::default();
        let found_while_read = self.packages_of_exceptions.take();
        if self.exceptions.height() == 0 {
            return Ok((applied, LeftOut::Ids(PlHashSet::new())));
        }
        // A clone shares the columns: the rows read from it outlive the changes to `self`.
        let frame = self.exceptions.clone();
        let rows = crate::timings::phase("read the reports' rows", || ExceptionRows::read(&frame))?;
        // Found while the deliveries were read (their tracking ids then dropped, and so
        // left out by row), else by tracking id.
        let (found, mut left_out) = match found_while_read {
            Some(found) => (found, LeftOut::Rows(Vec::new())),
            None => (
                crate::timings::phase("find the reports' packages", || {
                    delivery_rows(&self.deliveries, &rows.tracking_id)
                })?,
                LeftOut::Ids(PlHashSet::new()),
            ),
        };
        let mut updates: Vec<(usize, usize)> = Vec::new();
        let mut added: Vec<usize> = Vec::new();
        for (row, delivery) in found.iter().enumerate() {
            if rows.counts[row] == Some(false) {
                applied.not_counted.push(rows.named(row));
                match &mut left_out {
                    LeftOut::Ids(ids) => {
                        ids.insert(rows.tracking_id[row].unwrap_or("").to_string());
                    }
                    LeftOut::Rows(left) => left.extend(*delivery),
                }
                continue;
            }
            match delivery {
                Some(d) => updates.push((*d, row)),
                None => added.push(row),
            }
        }
        applied.updated = updates.len();
        if !updates.is_empty() {
            // In the deliveries' order: their columns are then read forwards.
            updates.sort_unstable();
            crate::timings::phase("update the reports' packages", || self.update_packages(&rows, &updates))?;
        }
        if !added.is_empty() {
            let new = self.new_packages(&rows, &added)?;
            self.deliveries.vstack_mut_owned(new)?;
            applied.added = added.iter().map(|&row| rows.named(row)).collect();
        }
        Ok((applied, left_out))
    }

    /// Each update: the package's outcome, pickup, reason (when the row gives one that means
    /// something else), the last scan as its attempt when it has none, its return, and its
    /// address when it has none. Each column is copied once and patched, never read row by
    /// row: the deliveries have millions of rows.
    fn update_packages(&mut self, rows: &ExceptionRows, updates: &[(usize, usize)]) -> PolarsResult<()> {
        let d = &self.deliveries;
        let codes = RowReader::new(d.column(col::REASON_CODE.name())?.u32()?);
        let attempted = RowReader::new(d.column(col::ATTEMPTED_AT.name())?.datetime()?.physical());
        let returned = RowReader::new(d.column(col::RETURNED_AT.name())?.datetime()?.physical());
        let deliver_by = RowReader::new(d.column(col::DELIVER_BY.name())?.datetime()?.physical());
        let readers = PackageReaders { codes, attempted, returned, deliver_by };
        // Each core reads its share of the updated packages (their rows are far apart in
        // the deliveries' columns); the patches are then joined in the same order.
        let parts = crate::parallel::on_parts(updates, 1, |part| readers.patches(rows, part))
            .ok_or_else(|| PolarsError::ComputeError("a worker thread failed".into()))?;
        let mut patches = Patches::default();
        for part in parts {
            patches.extend(part);
        }
        self.apply_patches(patches)
    }
}

/// The deliveries' columns an update reads, row by row.
struct PackageReaders<'a> {
    codes: RowReader<'a, UInt32Type>,
    attempted: RowReader<'a, Int64Type>,
    returned: RowReader<'a, Int64Type>,
    deliver_by: RowReader<'a, Int64Type>,
}

impl PackageReaders<'_> {
    /// The patches of some updates (deliveries row, exceptions row).
    fn patches<'r>(&self, rows: &ExceptionRows<'r>, updates: &[(usize, usize)]) -> Patches<'r> {
        let PackageReaders { codes, attempted, returned, deliver_by } = self;
        let mut patches = Patches {
            outcomes: Vec::with_capacity(updates.len()),
            pickups: Vec::with_capacity(updates.len()),
            ..Patches::default()
        };
        // Where each column's reader has got to in the updates' rows.
        let (mut code_chunk, mut attempt_chunk, mut return_chunk, mut due_chunk) = (0, 0, 0, 0);
        for &(at, row) in updates {
            if rows.address[row].is_some() {
                patches.addresses.push((at, row as u32));
            }
            let outcome = rows.outcome(row);
            patches.outcomes.push((at, Some(outcome.number())));
            patches.pickups.push((at, rows.pickup_failed[row].unwrap_or(false)));
            // The report's reason code replaces the package's reason when it means something
            // else; one that means the same keeps the driver's own (usually fuller) words.
            let code = codes.get(at, &mut code_chunk);
            if let Some(text) = rows.reason[row]
                && (code.is_none() || code != rows.reason_code[row])
            {
                patches.reasons.push((at, text));
                patches.reason_codes.push((at, rows.reason_code[row]));
            }
            let attempt = attempted.get(at, &mut attempt_chunk);
            let attempt = match (outcome.was_attempted(), attempt, rows.scanned_at[row]) {
                (true, None, Some(scan)) => {
                    patches.attempts.push((at, Some(scan)));
                    Some(scan)
                }
                _ => attempt,
            };
            if returned.get(at, &mut return_chunk).is_none() {
                let fallback = attempt.or_else(|| deliver_by.get(at, &mut due_chunk)).unwrap_or(0);
                if let Some(back) = rows.returned_at(row, fallback) {
                    patches.returns.push((at, Some(back)));
                }
            }
        }
        patches
    }
}

impl Dataset {
    /// The patches written into the deliveries: the numbers where they are (the columns'
    /// buffers are not copied), the texts and flags into new columns, on both cores.
    fn apply_patches(&mut self, patches: Patches) -> PolarsResult<()> {
        let Patches { outcomes, pickups, reason_codes, reasons, attempts, returns, mut addresses } = patches;
        // The numbers' columns taken out of the frame first: their buffers are then their
        // own, patched where they are on a worker thread.
        let d = &mut self.deliveries;
        let mut numbers: Vec<ColumnJob> = Vec::new();
        for (name, mut values) in [(col::OUTCOME.name(), outcomes), (col::REASON_CODE.name(), reason_codes)] {
            if !values.is_empty() {
                let series = taken_out(d, name)?;
                let column = series.u32()?.clone();
                // The series gone, the column's buffers are its own.
                drop(series);
                numbers.push(Box::new(move || Ok(patched_in_place(column, &mut values).into_column())));
            }
        }
        for (name, mut values) in [(col::ATTEMPTED_AT.name(), attempts), (col::RETURNED_AT.name(), returns)] {
            if !values.is_empty() {
                let series = taken_out(d, name)?;
                let column = series.datetime()?.physical().clone();
                drop(series);
                numbers.push(Box::new(move || {
                    let patched = patched_in_place(column, &mut values);
                    Ok(patched.into_datetime(TimeUnit::Milliseconds, None).into_column())
                }));
            }
        }
        let d = &self.deliveries;
        let pickup_column = d.column(col::PICKUP_FAILED.name())?.bool()?;
        let address_column = d.column(col::ADDRESS.name())?;
        let mut first: Vec<ColumnJob> = Vec::new();
        let mut second: Vec<ColumnJob> = vec![Box::new(|| Ok(patched_flags(pickup_column, &pickups).into_column()))];
        if !addresses.is_empty() {
            first.push(Box::new(move || report_address_rows(address_column, &mut addresses)));
        }
        // Only imports that keep the reason texts (letters quote them) get the report's.
        let texts = d.column(col::REASON.name())?;
        if !reasons.is_empty() && texts.null_count() < texts.len() {
            second.push(Box::new(move || with_texts(texts, &reasons)));
        }
        // The numbers beside the report's addresses, the longest to make when there are some.
        if first.is_empty() {
            first = numbers;
        } else {
            second.extend(numbers);
        }
        let done = crate::parallel::map_on_threads(
            vec![first, second],
            |jobs: Vec<ColumnJob>| jobs.into_iter().map(|job| job()).collect::<PolarsResult<Vec<Column>>>(),
            || Err(PolarsError::ComputeError("a worker thread failed".into())),
        );
        let mut columns = Vec::new();
        for part in done {
            columns.extend(part?);
        }
        for column in columns {
            self.deliveries.with_column(column)?;
        }
        Ok(())
    }

    /// The packages of the rows the deliveries lack, as deliveries rows: due on their planned
    /// day, else at the end of the day of their last scan; attempted (unless not attempted)
    /// at the last scan, else when due.
    fn new_packages(&self, rows: &ExceptionRows, added: &[usize]) -> PolarsResult<DataFrame> {
        let zone = self.zone;
        let mut deliver_by = Vec::with_capacity(added.len());
        let mut attempted = Vec::with_capacity(added.len());
        let mut returned = Vec::with_capacity(added.len());
        for &row in added {
            let due = rows.deliver_by[row].unwrap_or_else(|| {
                let scanned = rows.scanned_at[row].unwrap_or(0);
                zone.instant_of_local(zone.day_of(scanned), MS_PER_DAY - 1000)
            });
            let attempt = rows.scanned_at[row].or(rows.deliver_by[row]).filter(|_| rows.outcome(row).was_attempted());
            deliver_by.push(due);
            attempted.push(attempt);
            returned.push(rows.returned_at(row, attempt.unwrap_or(due)));
        }
        fn picked<T: Copy>(values: &[Option<T>], added: &[usize]) -> Vec<Option<T>> {
            added.iter().map(|&r| values[r]).collect()
        }
        let day: Vec<i32> = deliver_by.iter().map(|&t| zone.day_of(t)).collect();
        let new = DataFrame::new_infer_height(vec![
            UInt32Chunked::from_iter_options(col::LINE.name().into(), picked(&rows.line, added).into_iter())
                .into_column(),
            StringChunked::from_iter_options(
                col::TRACKING_ID.name().into(),
                picked(&rows.tracking_id, added).into_iter(),
            )
            .into_column(),
            StringChunked::from_iter_options(col::DRIVER_ID.name().into(), picked(&rows.driver_id, added).into_iter())
                .into_column(),
            instants(col::DELIVER_BY.name(), deliver_by.into_iter().map(Some).collect()),
            Int32Chunked::from_vec(col::DAY.name().into(), day).into_date().into_column(),
            instants(col::ATTEMPTED_AT.name(), attempted),
            UInt32Chunked::from_iter_options(
                col::OUTCOME.name().into(),
                added.iter().map(|&r| Some(rows.outcome(r).number())),
            )
            .into_column(),
            StringChunked::from_iter_options(col::REASON.name().into(), picked(&rows.reason, added).into_iter())
                .into_column(),
            UInt32Chunked::from_iter_options(
                col::REASON_CODE.name().into(),
                picked(&rows.reason_code, added).into_iter(),
            )
            .into_column(),
            instants(col::RETURNED_AT.name(), returned),
            BooleanChunked::from_iter(added.iter().map(|_| false)).with_name(col::DNR.name().into()).into_column(),
            StringChunked::from_iter_options(col::NOTES.name().into(), picked(&rows.notes, added).into_iter())
                .into_column(),
            StringChunked::from_iter_options(col::ADDRESS.name().into(), picked(&rows.address, added).into_iter())
                .into_column(),
            BooleanChunked::from_iter(added.iter().map(|&r| rows.pickup_failed[r].unwrap_or(false)))
                .with_name(col::PICKUP_FAILED.name().into())
                .into_column(),
        ])?;
        shaped_like(&self.deliveries, new)
    }

    /// DSP mode: each conceded package of a driver `of_da` that the deliveries lack is added
    /// as a package of its driver, delivered on the concession's delivery date (else its
    /// concession date); [`Dataset::apply_concessions`] then marks its claim.
    fn add_conceded_packages(&mut self, of_da: impl Fn(&str) -> bool) -> PolarsResult<()> {
        if self.concessions.height() == 0 {
            return Ok(());
        }
        let known: PlHashSet<String> =
            col::TRACKING_ID.read(&self.deliveries)?.into_iter().flatten().map(str::to_string).collect();
        let ids = col::TRACKING_ID.read(&self.concessions)?;
        let drivers = col::DRIVER_ID.read(&self.concessions)?;
        let dates = col::CONCESSION_DATE.read(&self.concessions)?;
        let delivered = col::DELIVERED_AT.read(&self.concessions)?;
        let lines: Vec<Option<u32>> = self.concessions.column(col::LINE.name())?.u32()?.iter().collect();
        let mut seen = PlHashSet::new();
        let mut rows = Vec::new();
        for i in 0..ids.len() {
            let (Some(id), Some(driver)) = (ids[i], drivers[i]) else { continue };
            if known.contains(id) || !of_da(driver) || !seen.insert(id) {
                continue;
            }
            let Some(at) = delivered[i].or(dates[i]) else { continue };
            rows.push((lines[i], id, driver, at));
        }
        if rows.is_empty() {
            return Ok(());
        }
        let zone = self.zone;
        let at: Vec<Option<i64>> = rows.iter().map(|r| Some(r.3)).collect();
        let due: Vec<Option<i64>> =
            rows.iter().map(|r| Some(zone.instant_of_local(zone.day_of(r.3), MS_PER_DAY - 1000))).collect();
        let day: Vec<i32> = rows.iter().map(|r| zone.day_of(r.3)).collect();
        let new = DataFrame::new_infer_height(vec![
            UInt32Chunked::from_iter_options(col::LINE.name().into(), rows.iter().map(|r| r.0)).into_column(),
            StringChunked::from_iter_options(col::TRACKING_ID.name().into(), rows.iter().map(|r| Some(r.1)))
                .into_column(),
            StringChunked::from_iter_options(col::DRIVER_ID.name().into(), rows.iter().map(|r| Some(r.2)))
                .into_column(),
            instants(col::DELIVER_BY.name(), due),
            Int32Chunked::from_vec(col::DAY.name().into(), day).into_date().into_column(),
            instants(col::ATTEMPTED_AT.name(), at),
            UInt32Chunked::from_iter_options(
                col::OUTCOME.name().into(),
                rows.iter().map(|_| Some(Outcome::Delivered.number())),
            )
            .into_column(),
            BooleanChunked::from_iter(rows.iter().map(|_| false)).with_name(col::DNR.name().into()).into_column(),
        ])?;
        let new = shaped_like(&self.deliveries, new)?;
        self.deliveries.vstack_mut_owned(new)?;
        Ok(())
    }

    /// docs/rules.md §1.10: marks each concession's package (same tracking id) as a DNR
    /// claim reported on the concession date (a package already marked keeps an earlier
    /// report time) and gives it the concession's flags (`concession`, the flags of every
    /// concession of the package together). Returns the concessions that match no delivery.
    pub fn apply_concessions(&mut self) -> PolarsResult<Vec<UnmatchedConcession>> {
        if self.concessions.height() == 0 {
            return Ok(Vec::new());
        }
        let ids = col::TRACKING_ID.read(&self.concessions)?;
        let dates = col::CONCESSION_DATE.read(&self.concessions)?;
        let flags: Vec<Option<u32>> = self.concessions.column(col::CONCESSION.name())?.u32()?.iter().collect();
        // Per package: the earliest concession date, the flags of all its concessions, and
        // whether a delivery has it.
        let mut by_package: PlHashMap<&str, (i64, ConcessionFlags, bool)> = PlHashMap::new();
        for ((id, date), flags) in ids.iter().zip(&dates).zip(&flags) {
            let (Some(id), Some(date)) = (id, date) else { continue };
            let flags = ConcessionFlags(flags.and_then(|f| u16::try_from(f).ok()).unwrap_or(0));
            by_package
                .entry(id)
                .and_modify(|(earliest, known, _)| {
                    *earliest = (*earliest).min(*date);
                    *known = known.union(flags);
                })
                .or_insert((*date, flags, false));
        }
        let deliveries = &self.deliveries;
        let tracking = deliveries.column(col::TRACKING_ID.name())?.str()?;
        let mut marked: Vec<(usize, i64, ConcessionFlags)> = Vec::new();
        for (row, id) in tracking.iter().enumerate() {
            if let Some(entry) = id.and_then(|id| by_package.get_mut(id)) {
                entry.2 = true;
                marked.push((row, entry.0, entry.1));
            }
        }
        let unmatched = ids
            .iter()
            .zip(col::DRIVER_ID.read(&self.concessions)?)
            .zip(self.concessions.column(col::LINE.name())?.u32()?.iter())
            .filter_map(|((id, driver), line)| {
                let id = (*id)?;
                (!by_package.get(id).is_some_and(|e| e.2)).then(|| UnmatchedConcession {
                    line: line.unwrap_or(0),
                    tracking_id: id.to_string(),
                    driver_id: driver.unwrap_or("").to_string(),
                })
            })
            .collect();
        if marked.is_empty() {
            return Ok(unmatched);
        }
        let mut dnr: Vec<bool> = col::DNR.read(deliveries)?.into_iter().map(|d| d.unwrap_or(false)).collect();
        let mut reported = col::DNR_REPORTED_AT.read(deliveries)?;
        let mut dnr_day = col::DNR_DAY.read(deliveries)?;
        let mut concession: Vec<Option<u32>> = vec![None; deliveries.height()];
        for (row, date, flags) in marked {
            let earlier = match (dnr[row], reported[row]) {
                (false, _) => Some(date),
                (true, Some(before)) if date < before => Some(date),
                // Marked in the export already, reported earlier or on the package's day.
                (true, _) => None,
            };
            if let Some(date) = earlier {
                reported[row] = Some(date);
                dnr_day[row] = Some(self.zone.day_of(date));
            }
            dnr[row] = true;
            concession[row] = Some(u32::from(flags.0));
        }
        let deliveries = &mut self.deliveries;
        deliveries.with_column(BooleanChunked::from_slice(col::DNR.name().into(), &dnr).into_column())?;
        deliveries.with_column(instants(col::DNR_REPORTED_AT.name(), reported))?;
        let dnr_day: Int32Chunked = dnr_day.into_iter().collect();
        deliveries.with_column(dnr_day.with_name(col::DNR_DAY.name().into()).into_date().into_column())?;
        let concession: UInt32Chunked = concession.into_iter().collect();
        deliveries.with_column(concession.with_name(col::CONCESSION.name().into()).into_column())?;
        Ok(unmatched)
    }
}

fn instants(name: &str, values: Vec<Option<i64>>) -> Column {
    let values: Int64Chunked = values.into_iter().collect();
    values.with_name(name.into()).into_datetime(TimeUnit::Milliseconds, None).into_column()
}

/// What the exceptions change in the deliveries, by row.
#[derive(Default)]
struct Patches<'a> {
    outcomes: Vec<(usize, Option<u32>)>,
    pickups: Vec<(usize, bool)>,
    reason_codes: Vec<(usize, Option<u32>)>,
    reasons: Vec<(usize, &'a str)>,
    attempts: Vec<(usize, Option<i64>)>,
    returns: Vec<(usize, Option<i64>)>,
    /// (deliveries row, exceptions row) of the rows with an address.
    addresses: Vec<(usize, u32)>,
}

impl<'a> Patches<'a> {
    /// `later`'s patches after these.
    fn extend(&mut self, later: Patches<'a>) {
        self.outcomes.extend(later.outcomes);
        self.pickups.extend(later.pickups);
        self.reason_codes.extend(later.reason_codes);
        self.reasons.extend(later.reasons);
        self.attempts.extend(later.attempts);
        self.returns.extend(later.returns);
        self.addresses.extend(later.addresses);
    }
}

/// A column taken out of the frame (a missing column of its type left in its place, so
/// that the frame keeps its order): its buffers are then the caller's alone.
fn taken_out(frame: &mut DataFrame, name: &str) -> PolarsResult<Series> {
    let column = frame.column(name)?.clone();
    frame.with_column(Column::full_null(name.into(), frame.height(), column.dtype()))?;
    Ok(column.take_materialized_series())
}

/// A numeric column with some rows' values replaced, where they are when its buffers are
/// its own (a column as parsed), else in a copy of the chunks concerned.
fn patched_in_place<T: PolarsNumericType>(
    ca: ChunkedArray<T>,
    patches: &mut [(usize, Option<T::Native>)],
) -> ChunkedArray<T> {
    patches.sort_unstable_by_key(|(row, _)| *row);
    let name = ca.name().clone();
    let (mut start, mut next) = (0, 0);
    let chunks: Vec<PrimitiveArray<T::Native>> = ca
        .downcast_into_iter()
        .map(|array| {
            let end = start + array.len();
            let first = next;
            while next < patches.len() && patches[next].0 < end {
                next += 1;
            }
            let here = &patches[first..next];
            let offset = start;
            start = end;
            if here.is_empty() {
                return array;
            }
            let mut values = array.into_mut().right_or_else(|shared| shared.iter().map(|v| v.copied()).collect());
            for &(row, value) in here {
                values.set(row - offset, value);
            }
            values.freeze()
        })
        .collect();
    ChunkedArray::from_chunk_iter(name, chunks)
}

/// One patched column, made on a worker thread.
type ColumnJob<'a> = Box<dyn FnOnce() -> PolarsResult<Column> + Send + 'a>;

/// The packages Amazon says do not count: by tracking id, or by row when the deliveries
/// were read without their tracking ids.
enum LeftOut {
    Ids(PlHashSet<String>),
    Rows(Vec<usize>),
}

/// Rows of a numeric column read one at a time, whatever its chunks: each chunk's first
/// row, then a binary search (a chunked array's own `get` walks its chunks).
struct RowReader<'a, T: PolarsNumericType> {
    /// [`col::chunk_starts`]: the rows' end last.
    starts: Vec<usize>,
    chunks: Vec<&'a PrimitiveArray<T::Native>>,
}

impl<'a, T: PolarsNumericType> RowReader<'a, T> {
    fn new(ca: &'a ChunkedArray<T>) -> RowReader<'a, T> {
        let chunks: Vec<&PrimitiveArray<T::Native>> = ca.downcast_iter().collect();
        RowReader { starts: col::chunk_starts(chunks.iter().map(|c| c.len())), chunks }
    }

    /// The value of `row`; `chunk` is the chunk of the row read before, kept for the next:
    /// rows read in increasing order (the updates are) move it forwards a chunk at a time
    /// instead of searching again.
    fn get(&self, row: usize, chunk: &mut usize) -> Option<T::Native> {
        let starts = &self.starts;
        if starts.get(*chunk).is_none_or(|&start| start > row) {
            *chunk = starts.partition_point(|&start| start <= row).checked_sub(1)?;
        }
        while starts.get(*chunk + 1).is_some_and(|&next| next <= row) {
            *chunk += 1;
        }
        let array = self.chunks.get(*chunk)?;
        let i = row - starts[*chunk];
        (i < array.len() && array.is_valid(i)).then(|| array.value(i))
    }
}

/// The deliveries row of each tracking id (`None`: not in the deliveries). An export with
/// its tracking ids in increasing order (most are) is searched in, any other hashed.
fn delivery_rows(deliveries: &DataFrame, wanted: &[Option<&str>]) -> PolarsResult<Vec<Option<usize>>> {
    let ids = deliveries.column(col::TRACKING_ID.name())?.str()?;
    let chunks: Vec<&Utf8ViewArray> = ids.downcast_iter().collect();
    // Each chunk's ids increasing (on all cores), and each chunk's first above the last before.
    let chunk_increasing =
        |c: &&Utf8ViewArray| c.null_count() == 0 && c.values_iter().zip(c.values_iter().skip(1)).all(|(a, b)| a < b);
    let increasing = crate::parallel::on_parts(&chunks, 1, |group| group.iter().all(chunk_increasing))
        .is_some_and(|parts| parts.into_iter().all(|ok| ok))
        && chunks.windows(2).all(|pair| match (pair[0].len(), pair[1].len()) {
            (0, _) | (_, 0) => true,
            (n, _) => pair[0].value(n - 1) < pair[1].value(0),
        });
    if increasing {
        // The chunks with rows and their first rows, then a binary search in the chunk that
        // may hold the id.
        let starts = col::chunk_starts(chunks.iter().map(|c| c.len()));
        let filled: Vec<(usize, &Utf8ViewArray)> =
            starts.iter().copied().zip(chunks.iter().copied()).filter(|(_, c)| c.len() > 0).collect();
        return Ok(wanted
            .iter()
            .map(|id| {
                let id = (*id)?;
                let chunk = filled.partition_point(|(_, c)| c.value(0) <= id).checked_sub(1)?;
                let (start, c) = filled[chunk];
                let (mut lo, mut hi) = (0, c.len());
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    match c.value(mid).cmp(id) {
                        std::cmp::Ordering::Less => lo = mid + 1,
                        std::cmp::Ordering::Greater => hi = mid,
                        std::cmp::Ordering::Equal => return Some(start + mid),
                    }
                }
                None
            })
            .collect());
    }
    let mut row_of: PlHashMap<&str, usize> = PlHashMap::with_capacity(wanted.len());
    for id in wanted.iter().flatten() {
        row_of.insert(id, usize::MAX);
    }
    for (row, id) in ids.iter().enumerate() {
        if let Some(slot) = id.and_then(|id| row_of.get_mut(id)) {
            *slot = row;
        }
    }
    Ok(wanted.iter().map(|id| row_of.get((*id)?).copied().filter(|&r| r != usize::MAX)).collect())
}

/// `array` cut (without copying) into chunks of the lengths given: a patched column keeps
/// the chunks of the others, so that the frame's rows are read a chunk at a time, uncopied.
fn chunked_like<A: Array + Clone>(lengths: impl Iterator<Item = usize>, array: &A) -> Vec<A> {
    let mut offset = 0;
    lengths
        .map(|len| {
            let mut chunk = array.clone();
            chunk.slice(offset, len);
            offset += len;
            chunk
        })
        .collect()
}

/// A column of flags (missing read as no) with some rows' flags set, in the chunks of `ca`.
fn patched_flags(ca: &BooleanChunked, patches: &[(usize, bool)]) -> BooleanChunked {
    let mut values = MutableBitmap::with_capacity(ca.len());
    for chunk in ca.downcast_iter() {
        match chunk.validity() {
            Some(valid) => values.extend_from_bitmap(&(chunk.values() & valid)),
            None => values.extend_from_bitmap(chunk.values()),
        }
    }
    for &(row, flag) in patches {
        if row < values.len() {
            values.set(row, flag);
        }
    }
    let array = BooleanArray::new(ArrowDataType::Boolean, values.into(), None);
    BooleanChunked::from_chunk_iter(ca.name().clone(), chunked_like(ca.chunk_lengths(), &array))
}

/// A text column (plain, or categorical: [`repeated_text_dtype`]) with some rows' values
/// replaced. Categorical codes are replaced as numbers, the texts never read.
fn with_texts(column: &Column, replaced: &[(usize, &str)]) -> PolarsResult<Column> {
    if let DataType::Categorical(..) = column.dtype() {
        let categories = column.cat32()?;
        let mapping = categories.get_mapping().clone();
        let mut codes: Vec<Option<u32>> =
            categories.physical().downcast_iter().flat_map(|chunk| chunk.iter().map(|c| c.copied())).collect();
        for &(row, text) in replaced {
            codes[row] = Some(mapping.insert_cat(text)?);
        }
        let codes: UInt32Chunked = codes.into_iter().collect();
        let codes = codes.with_name(column.name().clone());
        return Ok(Categorical32Chunked::from_cats_and_dtype(codes, repeated_text_dtype()).into_series().into_column());
    }
    let mut texts: Vec<Option<&str>> = texts_of(column)?.collect();
    for &(row, text) in replaced {
        texts[row] = Some(text);
    }
    Ok(StringChunked::from_iter_options(column.name().clone(), texts.into_iter()).into_column())
}

/// The [`col::REPORT_ADDRESS`] column: for each (deliveries row, exceptions row) given whose
/// package has no address of its own (`own` missing), the exceptions row; missing elsewhere.
/// Chunked as `own` is (as every deliveries column is), the chunks made on every core.
fn report_address_rows(own: &Column, given: &mut [(usize, u32)]) -> PolarsResult<Column> {
    given.sort_unstable_by_key(|(row, _)| *row);
    let own = own.as_materialized_series();
    let mut jobs: Vec<ChunkRows> = Vec::with_capacity(own.chunks().len());
    let (mut start, mut next) = (0, 0);
    for chunk in own.chunks() {
        let end = start + chunk.len();
        let first = next;
        while next < given.len() && given[next].0 < end {
            next += 1;
        }
        jobs.push((chunk.as_ref(), start, &given[first..next]));
        start = end;
    }
    let chunks = crate::parallel::on_parts(&jobs, 1, |part| {
        part.iter().map(|(chunk, start, here)| report_rows_in_chunk(*chunk, *start, here)).collect::<Vec<_>>()
    })
    .ok_or_else(|| PolarsError::ComputeError("a worker thread failed".into()))?;
    Ok(UInt32Chunked::from_chunk_iter(col::REPORT_ADDRESS.name().into(), chunks.into_iter().flatten()).into_column())
}

/// A chunk of the deliveries' own addresses, its first row in the column, and the
/// (deliveries row, exceptions row) of its rows.
type ChunkRows<'a> = (&'a dyn Array, usize, &'a [(usize, u32)]);

/// One chunk of [`report_address_rows`] (its first row `start` in the column).
fn report_rows_in_chunk(own: &dyn Array, start: usize, here: &[(usize, u32)]) -> PrimitiveArray<u32> {
    if here.is_empty() {
        return PrimitiveArray::new_null(ArrowDataType::UInt32, own.len());
    }
    let mut rows = vec![0u32; own.len()];
    let mut given = MutableBitmap::from_len_zeroed(own.len());
    for &(row, report_row) in here {
        let at = row - start;
        if at < own.len() && !own.is_valid(at) {
            rows[at] = report_row;
            given.set(at, true);
        }
    }
    PrimitiveArray::new(ArrowDataType::UInt32, rows.into(), Some(given.into()))
}

/// `new` with the columns of `like`, in its order and types: columns it lacks come out
/// missing (false for flags).
pub(super) fn shaped_like(like: &DataFrame, new: DataFrame) -> PolarsResult<DataFrame> {
    let height = new.height();
    let columns = like
        .columns()
        .iter()
        .map(|template| match new.column(template.name()) {
            Ok(c) => c.cast(template.dtype()),
            Err(_) if template.dtype() == &DataType::Boolean => {
                Ok(BooleanChunked::full(template.name().clone(), false, height).into_column())
            }
            Err(_) => Ok(Column::full_null(template.name().clone(), height, template.dtype())),
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(height, columns)
}

#[cfg(test)]
mod tests;
