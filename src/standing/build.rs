//! Building the fleet from a dataset: the driver directory, the counted blocks and every
//! package's defects, grounds and flags (on both cores), and the outage windows.

use super::clusters::{AddressCluster, Candidate, clusters};
use super::grounds::{
    CarrierBlock, Defects, Grounds, Outage, block_grounds, cluster_candidate, package_defects, package_grounds,
};
use super::order::{BLOCK_ORDER, Ordered, PACKAGE_ORDER, runs, sorted};
use super::rows::{Addresses, FactColumns, Numbers, TextKey, Texts, one_array};
use super::rules::{BlockStatus, block_status};
use super::tally::Tally;
use super::{BlockTable, CaseMarks, Driver, EventSide, Fleet, PackageTable};
use crate::config::{Thresholds, Windows};
use crate::import::Dataset;
use crate::import::codes::Outcome;
use crate::import::columns::{self as col, values_by_chunk};
use crate::import::time::Day;
use polars_arrow::array::Utf8ViewArray;
use polars_core::prelude::*;
use std::collections::BTreeMap;

/// The driver directory: names and stations from blocks (the last non-empty value in file
/// order), then the roster's names, emails and deactivations. Drivers with deliveries only
/// join it with their runs of packages.
fn directory(data: &Dataset) -> PolarsResult<BTreeMap<String, Driver>> {
    let mut directory: BTreeMap<String, Driver> = BTreeMap::new();
    let blocks = &data.blocks;
    for ((id, name), station) in
        col::DRIVER_ID.read(blocks)?.into_iter().zip(col::DRIVER_NAME.read(blocks)?).zip(col::STATION.read(blocks)?)
    {
        let d = entry(&mut directory, id.unwrap_or(""));
        if name.is_some() {
            d.name = name.map(str::to_string);
        }
        if station.is_some() {
            d.station = station.map(str::to_string);
        }
    }
    let roster = &data.roster;
    let deactivated: Vec<Option<bool>> = roster.column(col::DEACTIVATED.name())?.bool()?.iter().collect();
    for ((((id, name), email), off), on) in col::DRIVER_ID
        .read(roster)?
        .into_iter()
        .zip(col::DRIVER_NAME.read(roster)?)
        .zip(col::EMAIL.read(roster)?)
        .zip(deactivated)
        .zip(col::DEACTIVATED_ON.read(roster)?)
    {
        let d = entry(&mut directory, id.unwrap_or(""));
        if name.is_some() {
            d.name = name.map(str::to_string);
        }
        d.email = email.map(str::to_string);
        d.deactivated = off.unwrap_or(false);
        d.deactivated_on = on;
    }
    Ok(directory)
}

/// docs/rules.md §1.14: a driver without a name in the roster or blocks takes the last
/// one Amazon's exceptions (else concessions) reports give, and likewise the station.
fn names_from_reports(directory: &mut BTreeMap<String, Driver>, data: &Dataset) -> PolarsResult<()> {
    for report in [&data.exceptions, &data.concessions] {
        if report.height() == 0 {
            continue;
        }
        let mut named: PlHashMap<&str, (Option<&str>, Option<&str>)> = PlHashMap::new();
        for ((id, name), station) in
            col::DRIVER_ID.read(report)?.into_iter().zip(col::DRIVER_NAME.read(report)?).zip(col::STATION.read(report)?)
        {
            let Some(id) = id else { continue };
            let entry = named.entry(id).or_default();
            entry.0 = name.or(entry.0);
            entry.1 = station.or(entry.1);
        }
        for (id, (name, station)) in named {
            if let Some(d) = directory.get_mut(id) {
                if d.name.is_none() {
                    d.name = name.map(str::to_string);
                }
                if d.station.is_none() {
                    d.station = station.map(str::to_string);
                }
            }
        }
    }
    Ok(())
}

/// The directory's entry for a driver, added when missing.
fn entry<'a>(directory: &'a mut BTreeMap<String, Driver>, id: &str) -> &'a mut Driver {
    directory.entry(id.to_string()).or_insert_with(|| Driver { id: id.to_string(), ..Driver::default() })
}

/// The block that carried each package, and its station, by block_id among all blocks.
fn carriers(blocks: &DataFrame) -> PolarsResult<PlHashMap<&str, Carrier<'_>>> {
    let starts = col::BLOCK_START.read(blocks)?;
    let departed = col::DEPARTED_AT.read(blocks)?;
    // Room for every block at once: grown by doubling, the table is rebuilt a dozen times.
    let mut carriers = PlHashMap::with_capacity(blocks.height());
    carriers.extend(
        col::BLOCK_ID.read(blocks)?.into_iter().zip(starts).zip(departed).zip(col::STATION.read(blocks)?).filter_map(
            |(((id, start), departed_at), station)| Some((id?, (CarrierBlock { start: start?, departed_at }, station))),
        ),
    );
    Ok(carriers)
}

/// The newest event day over all blocks and packages.
fn newest_day(data: &Dataset) -> PolarsResult<Option<Day>> {
    let mut newest: Option<Day> = None;
    for df in [&data.blocks, &data.deliveries] {
        let max = df.column(col::DAY.name())?.date()?.physical().max();
        newest = newest.max(max).or(max).or(newest);
    }
    Ok(newest)
}

/// The counted blocks (on-time cancels left out) in per-driver order, with their misses,
/// grounds, and the on-time and open (disputable, not in a case) tallies.
fn block_table(all: &DataFrame, w: &Windows, outages: &[Outage], cases: &CaseMarks) -> PolarsResult<BlockTable> {
    let starts = col::BLOCK_START.read(all)?;
    let checked = col::CHECKED_IN_AT.read(all)?;
    let cancelled = col::CANCELLED_AT.read(all)?;
    let counted: BooleanChunked = starts
        .iter()
        .zip(checked.iter().zip(&cancelled))
        .map(|(s, (c, x))| block_status(s.unwrap_or(0), *c, *x, w) != BlockStatus::NotCounted)
        .collect();
    let frame = sorted(&all.filter(&counted)?, BLOCK_ORDER)?;
    let starts = col::BLOCK_START.read(&frame)?;
    let checked = col::CHECKED_IN_AT.read(&frame)?;
    let cancelled = col::CANCELLED_AT.read(&frame)?;
    let stations = col::STATION.read(&frame)?;
    let n = frame.height();
    let mut miss = Vec::with_capacity(n);
    let mut ground = Vec::with_capacity(n);
    for i in 0..n {
        let start = starts[i].unwrap_or(0);
        let m = match block_status(start, checked[i], cancelled[i], w) {
            BlockStatus::Miss(m) => Some(m),
            _ => None,
        };
        miss.push(m);
        ground.push(if m.is_some() { block_grounds(start, stations[i], outages) } else { Grounds::default() });
    }
    let ids = col::BLOCK_ID.read(&frame)?;
    let open = |i: usize| !ground[i].is_empty() && !cases.contains(EventSide::Block, ids[i].unwrap_or(""));
    Ok(BlockTable {
        day: col::DAY.read(&frame)?.into_iter().map(|d| d.unwrap_or(0)).collect(),
        on_time: Tally::new(miss.iter().map(Option::is_none), n),
        disputable: Tally::new((0..n).map(open), n),
        miss,
        grounds: ground,
        frame,
    })
}

/// Every package in per-driver order, with its defects, grounds and flags, before the
/// address clusters are found.
struct PackageRows {
    frame: Ordered,
    columns: PackageColumns,
    /// The exceptions' addresses, in one chunk, when some package takes one.
    report_addresses: StringChunked,
}

fn package_rows(
    data: &Dataset,
    carriers: &PlHashMap<&str, Carrier>,
    outages: &[Outage],
    w: &Windows,
    cases: &CaseMarks,
) -> PolarsResult<PackageRows> {
    let frame = crate::timings::phase("sort deliveries", || Ordered::new(&data.deliveries, PACKAGE_ORDER))?;
    let report_addresses = match data.exceptions.column(col::ADDRESS.name()) {
        Ok(addresses) if data.deliveries.column(col::REPORT_ADDRESS.name()).is_ok() => {
            addresses.str()?.rechunk().into_owned()
        }
        _ => StringChunked::default(),
    };
    let context = RowContext { carriers, outages, w, cases, report_addresses: one_array(&report_addresses)? };
    let columns = crate::timings::phase("package columns", || package_columns(&frame, &context))?;
    Ok(PackageRows { frame, columns, report_addresses })
}

/// The clusters of [`clusters`] (none without candidates) and the rows of their events.
type FoundClusters = (Vec<AddressCluster>, Vec<(usize, bool)>);

impl PackageRows {
    /// The package table, with the events of the address clusters found.
    /// `day`: each row's day ([`package_days`]).
    fn table(self, (clusters, clustered): FoundClusters, day: Vec<Day>) -> PolarsResult<PackageTable> {
        let PackageRows { frame, columns, report_addresses } = self;
        let PackageColumns { defects, mut grounds, mut flags, candidates: _ } = columns;
        for (row, in_case) in clustered {
            grounds[row].insert(Grounds::ADDRESS_CLUSTER);
            if !in_case && let Some(word) = flags[OPEN].get_mut(row / 64) {
                *word |= 1 << (row % 64);
            }
        }
        let [attempted, delivered, on_time, dnr, unreturned, disputable] = flags.map(Tally::from_words);
        Ok(PackageTable {
            day,
            attempted,
            delivered,
            on_time,
            dnr,
            unreturned,
            disputable,
            defects,
            grounds,
            frame,
            clusters,
            report_addresses,
        })
    }
}

/// Each package row's day, in the package order.
fn package_days(frame: &Ordered) -> PolarsResult<Vec<Day>> {
    let mut day = Vec::with_capacity(frame.height());
    day.extend(values_by_chunk(frame.column(col::DAY.name())?.date()?.physical()).map(|d| d.unwrap_or(0)));
    Ok(day)
}

/// The index of the open flag (has grounds, not in a case) in [`PackageColumns::flags`].
const OPEN: usize = 5;

/// Each driver's rows of the two tables (`packages`: the package table's rows), DNR claim
/// days and sent cases.
fn assign_rows(
    directory: &mut BTreeMap<String, Driver>,
    blocks: &BlockTable,
    packages: &Ordered,
    cases: &CaseMarks,
) -> PolarsResult<()> {
    for (id, range) in runs(blocks.frame.column(col::DRIVER_ID.name())?)? {
        if let Some(d) = directory.get_mut(id) {
            d.blocks = range;
        }
    }
    // DNR claims are rare: only the rows that have one are kept, to share out by driver.
    let claims: Vec<(usize, Day)> = values_by_chunk(packages.column(col::DNR_DAY.name())?.date()?.physical())
        .enumerate()
        .filter_map(|(row, day)| Some((row, day?)))
        .collect();
    let package_drivers = packages.column(col::DRIVER_ID.name())?;
    for (id, range) in runs(&package_drivers)? {
        let d = entry(directory, id);
        let first = claims.partition_point(|(row, _)| *row < range.start);
        let mut days: Vec<Day> =
            claims[first..].iter().take_while(|(row, _)| *row < range.end).map(|(_, day)| *day).collect();
        days.sort_unstable();
        d.dnr_days = days;
        d.packages = range;
    }
    for (id, sent) in &cases.sent {
        if let Some(d) = directory.get_mut(id.as_str()) {
            d.sent_cases = sent.clone();
        }
    }
    for (id, entries) in &cases.coaching {
        if let Some(d) = directory.get_mut(id.as_str()) {
            d.coaching = entries.clone();
        }
    }
    Ok(())
}

/// What a fleet takes from the blocks, the roster and the outages alone: the driver
/// directory and the counted blocks. Amazon's reports change only packages, so the loader
/// tables this while it applies them ([`Fleet::build_from`]).
pub struct BlockSide {
    directory: BTreeMap<String, Driver>,
    blocks: BlockTable,
}

impl BlockSide {
    pub fn table(data: &Dataset, thresholds: Thresholds, cases: &CaseMarks) -> PolarsResult<BlockSide> {
        crate::timings::phase("drivers and blocks", || {
            let outages = outages_of(&data.outages)?;
            Ok(BlockSide {
                directory: directory(data)?,
                blocks: block_table(&data.blocks, &thresholds.windows, &outages, cases)?,
            })
        })
    }
}

impl Fleet {
    pub fn build(data: &Dataset, thresholds: Thresholds) -> PolarsResult<Fleet> {
        Fleet::build_with_cases(data, thresholds, CaseMarks::default())
    }

    /// [`Fleet::build`] for a workspace with recorded cases.
    pub fn build_with_cases(data: &Dataset, thresholds: Thresholds, cases: CaseMarks) -> PolarsResult<Fleet> {
        Fleet::build_from(data, thresholds, cases, None)
    }

    /// [`Fleet::build_with_cases`] with the [`BlockSide`] tabled already from the same blocks,
    /// roster, outages, thresholds and cases (`None`: tabled here).
    pub fn build_from(
        data: &Dataset,
        thresholds: Thresholds,
        cases: CaseMarks,
        tabled: Option<BlockSide>,
    ) -> PolarsResult<Fleet> {
        let w = thresholds.windows;
        let outages = outages_of(&data.outages)?;
        let carriers = carriers(&data.blocks)?;
        let mut packages = package_rows(data, &carriers, &outages, &w, &cases)?;
        // The drivers and blocks are tabled (or their rows found), the drivers named from
        // the reports and the packages' days read on this thread, while ADDRESS_CLUSTER,
        // which looks across drivers once all packages are read, is found on another.
        let candidates = std::mem::take(&mut packages.columns.candidates);
        let drivers_and_blocks = || -> PolarsResult<_> {
            let BlockSide { mut directory, blocks } = match tabled {
                Some(tabled) => tabled,
                None => BlockSide::table(data, thresholds, &cases)?,
            };
            assign_rows(&mut directory, &blocks, &packages.frame, &cases)?;
            names_from_reports(&mut directory, data)?;
            Ok((directory, blocks, package_days(&packages.frame)?))
        };
        let (found, drivers_and_blocks) = if candidates.is_empty() {
            ((Vec::new(), Vec::new()), drivers_and_blocks())
        } else {
            let find = || crate::timings::phase("address clusters", || clusters(candidates, &w));
            crate::parallel::beside("standwatch-clusters", find, drivers_and_blocks, || (Vec::new(), Vec::new()))
        };
        let (directory, blocks, days) = drivers_and_blocks?;
        let packages = packages.table(found, days)?;
        Ok(Fleet {
            thresholds,
            zone: data.zone,
            drivers: directory.into_values().collect(),
            outages,
            newest_day: newest_day(data)?,
            cases,
            blocks,
            packages,
            unlisted: Vec::new(),
        })
    }
}

/// What the standing keeps of every package row (its facts are not kept: millions of
/// rows): defects, grounds, and the counted flags as one bit per row.
struct PackageColumns {
    defects: Vec<Defects>,
    grounds: Vec<Grounds>,
    /// One bit per row for: attempted, delivered, on time, DNR claim, not delivered and
    /// not returned, and open (has grounds, not already in a case).
    flags: [Vec<u64>; 6],
    /// The packages with an address whose event may be part of an address cluster.
    candidates: Vec<Candidate>,
}

/// One part of [`PackageColumns`], filled by one core.
struct PackagePart<'a> {
    defects: &'a mut [Defects],
    grounds: &'a mut [Grounds],
    flags: Vec<&'a mut [u64]>,
}

/// What a package row's defects and grounds are judged with, beside its own columns.
struct RowContext<'a> {
    carriers: &'a PlHashMap<&'a str, Carrier<'a>>,
    outages: &'a [Outage],
    w: &'a Windows,
    cases: &'a CaseMarks,
    /// The exceptions' addresses ([`col::REPORT_ADDRESS`]), in one chunk.
    report_addresses: Option<&'a Utf8ViewArray>,
}

/// Every package row's defects, grounds and flags, in order. Rows do not depend on each
/// other: the frame is cut into one part per core, each a whole number of 64-row words.
fn package_columns(frame: &Ordered, context: &RowContext) -> PolarsResult<PackageColumns> {
    let n = frame.height();
    let parts = crate::parallel::cores().min(n.div_ceil(100_000)).max(1);
    let part_len = n.div_ceil(parts).div_ceil(64).max(1) * 64;
    let mut out = PackageColumns {
        defects: vec![Defects::default(); n],
        grounds: vec![Grounds::default(); n],
        flags: std::array::from_fn(|_| vec![0u64; n.div_ceil(64)]),
        candidates: Vec::new(),
    };
    // The concession column only when a concessions report marked packages; photos as flags
    // only from an import of `Detail::Tallies`; the pickup only from this version's imports.
    let optional = [col::CONCESSION.name(), col::HAS_PHOTO.name(), col::PICKUP_FAILED.name()];
    // Addresses (and the drivers, days and ids of the packages that have one) only when
    // some package has one; tracking ids also to leave out events already in a case.
    let has_values = |name: &str| frame.frame.column(name).is_ok_and(|c| c.null_count() < c.len());
    let report_addressed = context.report_addresses.is_some() && has_values(col::REPORT_ADDRESS.name());
    let addressed = has_values(col::ADDRESS.name()) || report_addressed;
    let address_columns = [col::ADDRESS.name(), col::DRIVER_ID.name(), col::DAY.name()];
    let in_cases = !context.cases.packages_in_case.is_empty();
    let columns: Vec<&str> = PACKAGE_COLUMNS
        .into_iter()
        .filter(|name| !optional.contains(name) || frame.frame.column(name).is_ok())
        .chain(address_columns.into_iter().filter(|_| addressed))
        .chain(report_addressed.then_some(col::REPORT_ADDRESS.name()))
        .chain((in_cases || addressed).then_some(col::TRACKING_ID.name()))
        .collect();
    let pieces = crate::timings::phase("package pieces", || RowPieces::new(frame, &columns))?;
    // A piece of rows at a time, each column in one chunk: its columns are then read by row.
    let fill = |start: usize, part: PackagePart| -> PolarsResult<Vec<Candidate>> {
        let PackagePart { defects: part_defects, grounds: part_grounds, mut flags } = part;
        let end = (start + part_len).min(n);
        let mut candidates = Vec::new();
        for (first, rows) in pieces.within(start..end)? {
            let (from, to) = (first - start, first - start + rows.height());
            let (Some(defects), Some(grounds)) = (part_defects.get_mut(from..to), part_grounds.get_mut(from..to))
            else {
                return Err(PolarsError::OutOfBounds("a piece of rows past its part".into()));
            };
            let slice = RowSlice { first, offset: from, defects, grounds, flags: &mut flags };
            candidates.extend(fill_rows(&rows, slice, context)?);
        }
        Ok(candidates)
    };
    // The outputs cut into the parts' shares, before the cores take them.
    let mut shares: Vec<PackagePart> = out
        .defects
        .chunks_mut(part_len)
        .zip(out.grounds.chunks_mut(part_len))
        .map(|(defects, grounds)| PackagePart { defects, grounds, flags: Vec::with_capacity(6) })
        .collect();
    for words in out.flags.iter_mut() {
        for (share, part_words) in shares.iter_mut().zip(words.chunks_mut(part_len / 64)) {
            share.flags.push(part_words);
        }
    }
    let found = crate::parallel::map_on_threads(
        shares.into_iter().enumerate().collect(),
        |(i, share)| fill(i * part_len, share),
        || Err(PolarsError::ComputeError("a worker thread failed".into())),
    );
    for part in found {
        out.candidates.extend(part?);
    }
    Ok(out)
}

/// The most rows [`fill_rows`] reads at once.
const SLICE: usize = 1 << 16;

/// The package rows a piece at a time, each piece's columns in one chunk.
enum RowPieces<'a> {
    /// A frame in order whose columns are cut into the same chunks (an export read in
    /// blocks, with the packages an exceptions report adds put in their places): its own
    /// chunks, never copied, with each chunk's first row. A chunk is taken out of the frame
    /// by the core that reads it.
    Chunks { frame: DataFrame, starts: Vec<usize> },
    /// A reordered frame, or one whose columns are chunked differently: copied a slice at
    /// a time.
    Slices(&'a Ordered, &'a [&'a str]),
}

impl<'a> RowPieces<'a> {
    fn new(frame: &'a Ordered, columns: &'a [&'a str]) -> PolarsResult<RowPieces<'a>> {
        if frame.order.is_some() {
            return Ok(RowPieces::Slices(frame, columns));
        }
        let selected = frame.frame.select(columns.iter().copied())?;
        if selected.should_rechunk() {
            return Ok(RowPieces::Slices(frame, columns));
        }
        let starts = match selected.columns().iter().find_map(|c| c.as_series()) {
            Some(series) => col::chunk_starts(series.chunk_lengths()),
            None => col::chunk_starts([selected.height()]),
        };
        Ok(RowPieces::Chunks { frame: selected, starts })
    }

    /// The pieces of the rows of `range`, each of at most [`SLICE`] rows, with their first
    /// row.
    fn within(&self, range: std::ops::Range<usize>) -> PolarsResult<Vec<(usize, DataFrame)>> {
        let mut pieces = Vec::new();
        match self {
            RowPieces::Slices(frame, columns) => {
                for first in range.clone().step_by(SLICE) {
                    let mut rows = frame.rows_with(first..(first + SLICE).min(range.end), columns)?;
                    rows.rechunk_mut();
                    pieces.push((first, rows));
                }
            }
            RowPieces::Chunks { frame, starts } => {
                let from = starts.partition_point(|&next| next <= range.start).saturating_sub(1);
                for (i, bounds) in starts.windows(2).enumerate().skip(from) {
                    let (first, last) = (bounds[0], bounds[1]);
                    if first >= range.end {
                        break;
                    }
                    let start = range.start.max(first);
                    let end = range.end.min(last);
                    if end <= start {
                        continue;
                    }
                    let chunk = chunk_of(frame, i, first, last - first)?;
                    // Most chunks are read whole (those of the added packages are one row).
                    if (start, end) == (first, last) && end - start <= SLICE {
                        pieces.push((start, chunk));
                        continue;
                    }
                    for at in (start..end).step_by(SLICE) {
                        let len = SLICE.min(end - at);
                        pieces.push((at, chunk.slice((at - first) as i64, len)));
                    }
                }
            }
        }
        Ok(pieces)
    }
}

/// Chunk `i` of every column of a frame whose columns share their chunks (its rows
/// `first..first + len`), as a frame of one chunk per column, without copying.
fn chunk_of(frame: &DataFrame, i: usize, first: usize, len: usize) -> PolarsResult<DataFrame> {
    let columns = frame
        .columns()
        .iter()
        .map(|column| match (column.as_series(), column.as_series().and_then(|s| s.chunks().get(i))) {
            // Not `select_chunk`, which first builds an empty column of the type (for
            // categorical codes, their arrow type): half the cost of a piece, thousands of
            // times when an exceptions report's packages cut the chunks.
            // SAFETY: the series' own chunk, of its own type.
            (Some(series), Some(chunk)) => unsafe {
                Series::from_chunks_and_dtype_unchecked(series.name().clone(), vec![chunk.clone()], series.dtype())
            }
            .into_column(),
            _ => column.slice(first as i64, len),
        })
        .collect();
    DataFrame::new(len, columns)
}

/// The columns [`fill_rows`] reads (and, when some package has an address, its address,
/// driver, day and tracking id; when some package is in a case, the tracking id).
const PACKAGE_COLUMNS: [&str; 12] = [
    "concession",
    "has_photo",
    "pickup_failed",
    "deliver_by",
    "attempted_at",
    "outcome",
    "reason_code",
    "dnr",
    "contact_attempts",
    "photo",
    "block_id",
    "returned_at",
];

/// The block that carried a package, and its station.
type Carrier<'a> = (CarrierBlock, Option<&'a str>);

/// Where [`fill_rows`] writes one run of rows: their defects, grounds and flags (the
/// part's words, of which these rows start at bit `offset`); `first` in the package order.
struct RowSlice<'a, 'b> {
    first: usize,
    offset: usize,
    defects: &'a mut [Defects],
    grounds: &'a mut [Grounds],
    flags: &'a mut [&'b mut [u64]],
}

/// [`package_columns`] for one run of rows (each column in one chunk): their defects,
/// grounds and flags; returns the rows that are address cluster candidates.
fn fill_rows(frame: &DataFrame, out: RowSlice, context: &RowContext) -> PolarsResult<Vec<Candidate>> {
    let RowContext { carriers, outages, w, cases, .. } = context;
    let RowSlice { first, offset, defects: defects_out, grounds: grounds_out, flags } = out;
    let facts = FactColumns::new(frame)?;
    let addresses = Addresses::new(frame, context.report_addresses)?;
    let mut candidates = Vec::new();
    let block_ids = Texts::of(frame.column(col::BLOCK_ID.name())?)?;
    let returned = Numbers::of(frame.column(col::RETURNED_AT.name())?.datetime()?.physical())?;
    // Tracking ids are only needed to leave out events already in a case, and to name
    // the events of clusters.
    let ids = match frame.column(col::TRACKING_ID.name()) {
        Ok(ids) => Some(Texts::of(ids)?),
        Err(_) => None,
    };
    let id = |row: usize| ids.as_ref().and_then(|ids| ids.get(row)).unwrap_or("");
    let in_cases = !cases.packages_in_case.is_empty();
    // A block carries many packages in a row: its lookup is reused while it lasts.
    let mut carried: Option<(TextKey, Option<Carrier>)> = None;
    for (row, (defects_out, grounds_out)) in defects_out.iter_mut().zip(grounds_out.iter_mut()).enumerate() {
        let facts = facts.facts(row);
        let carrier = match (block_ids.key(row), carried) {
            (None, _) => None,
            (Some(key), Some((previous, carrier))) if previous == key => carrier,
            (Some(key), _) => {
                let carrier = block_ids.text(key).and_then(|id| carriers.get(id).copied());
                carried = Some((key, carrier));
                carrier
            }
        };
        let defects = package_defects(&facts);
        let grounds = package_grounds(&facts, defects, carrier.map(|c| c.0), carrier.and_then(|c| c.1), outages, w);
        let open = !(grounds.is_empty() || in_cases && cases.contains(EventSide::Package, id(row)));
        let delivered = facts.outcome == Outcome::Delivered;
        let row_flags = [
            facts.outcome.was_attempted(),
            delivered,
            facts.on_time,
            facts.dnr,
            // A package never handed to the driver is not the driver's to return.
            !delivered && returned.get(row).is_none() && !facts.pickup_failed,
            open,
        ];
        let bit = offset + row;
        for (words, on) in flags.iter_mut().zip(row_flags) {
            if on && let Some(word) = words.get_mut(bit / 64) {
                *word |= 1 << (bit % 64);
            }
        }
        if let Some(addresses) = &addresses
            && cluster_candidate(&facts, defects)
            && let Some(address) = addresses.address(row)
        {
            let tracking_id = id(row);
            candidates.push(Candidate {
                row: first + row,
                tracking_id: tracking_id.to_string(),
                driver_id: addresses.driver(row).unwrap_or("").to_string(),
                day: addresses.day(row),
                dnr: facts.dnr,
                address: address.to_string(),
                in_case: cases.contains(EventSide::Package, tracking_id),
            });
        }
        *defects_out = defects;
        *grounds_out = grounds;
    }
    Ok(candidates)
}

/// An outages frame's `station` cells; a frame stored before outages had stations has none.
fn stations_of(frame: &DataFrame) -> PolarsResult<Vec<Option<&str>>> {
    match frame.column(col::STATION.name()) {
        Ok(_) => col::STATION.read(frame),
        Err(_) => Ok(vec![None; frame.height()]),
    }
}

/// The outage windows of an outages frame.
pub fn outages_of(frame: &DataFrame) -> PolarsResult<Vec<Outage>> {
    Ok(col::START
        .read(frame)?
        .into_iter()
        .zip(col::END.read(frame)?)
        .zip(col::DESCRIPTION.read(frame)?)
        .zip(stations_of(frame)?)
        .filter_map(|(((s, e), d), stations)| {
            Some(Outage {
                start: s?,
                end: e?,
                description: d.unwrap_or("").to_string(),
                stations: stations.map(Outage::parse_stations).unwrap_or_default(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame whose columns share chunks of these lengths, its rows numbered.
    fn chunked(lengths: &[usize]) -> DataFrame {
        let mut frame = DataFrame::empty();
        let mut first = 0u32;
        for &len in lengths {
            let rows: Vec<u32> = (first..first + len as u32).collect();
            let part = DataFrame::new_infer_height(vec![
                Column::new("even".into(), rows.iter().map(|r| r % 2 == 0).collect::<Vec<_>>()),
                UInt32Chunked::from_vec("row".into(), rows).into_column(),
            ])
            .unwrap();
            if frame.width() == 0 {
                frame = part;
            } else {
                frame.vstack_mut_owned(part).unwrap();
            }
            first += len as u32;
        }
        frame
    }

    /// The pieces of any range of a frame in chunks (short, empty, longer than a slice) are
    /// its rows in order, each in one chunk of at most [`SLICE`] rows, with its first row.
    #[test]
    fn the_pieces_of_a_range_are_its_rows() {
        let frame = chunked(&[5, 0, 1, SLICE + 10, 3, 1]);
        let n = frame.height();
        let ordered = Ordered { frame, order: None };
        let columns = ["row", "even"];
        let pieces = RowPieces::new(&ordered, &columns).unwrap();
        assert!(matches!(pieces, RowPieces::Chunks { .. }), "the chunks are read where they are");
        for range in [0..n, 0..3, 3..7, 6..SLICE + 20, SLICE..n, n - 1..n, 4..4] {
            let mut next = range.start;
            for (first, piece) in pieces.within(range.clone()).unwrap() {
                assert_eq!(first, next, "{range:?}");
                assert!(piece.height() > 0 && piece.height() <= SLICE);
                let rows = piece.column("row").unwrap().as_materialized_series().clone();
                assert_eq!(rows.n_chunks(), 1);
                let rows: Vec<u32> = rows.u32().unwrap().into_no_null_iter().collect();
                assert_eq!(rows, (first as u32..(first + piece.height()) as u32).collect::<Vec<_>>());
                let even: Vec<bool> = piece.column("even").unwrap().bool().unwrap().iter().flatten().collect();
                assert_eq!(even, rows.iter().map(|r| r % 2 == 0).collect::<Vec<_>>());
                next += piece.height();
            }
            assert_eq!(next, range.end, "{range:?}");
        }
    }
}
