//! SPEC §3: standing on any day, what-if, daily history and alerts, computed over
//! contiguous per-driver arrays with prefix sums (no per-row DataFrame access, no
//! day × event loops: each day of each driver costs O(log n)).

pub mod alerts;
pub mod grounds;
pub mod rules;
pub mod without;

use crate::config::Thresholds;
use crate::import::codes::{Outcome, Reason};
use crate::import::time::{Day, FleetZone};
use crate::import::{Dataset, texts_of};
use alerts::{Alert, Alerts};
use grounds::{CarrierBlock, Defects, Grounds, Outage, PackageFacts, block_grounds, package_defects, package_grounds};
use polars::prelude::*;
use rules::{BlockCounts, BlockStatus, Miss, PackageCounts, Tier, block_status, overall_tier, package_on_time};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// A driver as the directory knows them: from blocks, deliveries and the roster.
#[derive(Debug, Clone, Default)]
pub struct Driver {
    pub id: String,
    /// The roster's name, else the last non-empty name in blocks.
    pub name: Option<String>,
    /// The last non-empty station in blocks.
    pub station: Option<String>,
    pub email: Option<String>,
    pub deactivated: bool,
    pub deactivated_on: Option<Day>,
    blocks: Range<usize>,
    packages: Range<usize>,
    /// Days of this driver's DNR claims (reported, else the package's day), sorted.
    dnr_days: Vec<Day>,
    /// The driver's sent cases: (day sent, day of the outcome if there is one).
    sent_cases: Vec<(Day, Option<Day>)>,
}

/// Which table an event comes from: block misses are named by `block_id`, package
/// defects by `tracking_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventSide {
    Block,
    Package,
}

impl EventSide {
    pub fn as_str(self) -> &'static str {
        match self {
            EventSide::Block => "block",
            EventSide::Package => "package",
        }
    }

    pub fn parse(text: &str) -> Option<EventSide> {
        match text {
            "block" => Some(EventSide::Block),
            "package" => Some(EventSide::Package),
            _ => None,
        }
    }
}

/// An event named across imports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventRef {
    pub side: EventSide,
    pub id: String,
}

/// What recorded cases tell the standing (SPEC §3.7): an event already in a case is not
/// DISPUTABLE, and a case sent more than 3 days before the day without an outcome raises
/// FOLLOW_UP. Overturned events are not here: they are left out of the data itself.
#[derive(Debug, Clone, Default)]
pub struct CaseMarks {
    pub blocks_in_case: HashSet<String>,
    pub packages_in_case: HashSet<String>,
    /// Per driver id: (day sent, day of the outcome if any) of each sent case.
    pub sent: HashMap<String, Vec<(Day, Option<Day>)>>,
}

impl CaseMarks {
    pub fn contains(&self, side: EventSide, id: &str) -> bool {
        match side {
            EventSide::Block => self.blocks_in_case.contains(id),
            EventSide::Package => self.packages_in_case.contains(id),
        }
    }
}

/// Days a sent case may wait for an answer before FOLLOW_UP (SPEC §3.7).
pub const FOLLOW_UP_AFTER_DAYS: Day = 3;

/// FOLLOW_UP on `day`: a case sent more than 3 days before with no outcome by then.
pub fn needs_follow_up(sent_cases: &[(Day, Option<Day>)], day: Day) -> bool {
    sent_cases.iter().any(|&(sent, outcome)| day - sent > FOLLOW_UP_AFTER_DAYS && outcome.is_none_or(|o| o > day))
}

/// A driver's standing on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub as_of: Day,
    pub reliability: BlockCounts,
    pub quality: PackageCounts,
    pub reliability_tier: Option<Tier>,
    pub quality_tier: Option<Tier>,
    pub overall: Option<Tier>,
    pub reliability_headroom: Option<u32>,
    pub quality_headroom: Option<u32>,
    pub blocks_to_next_tier: Option<u32>,
    pub packages_to_next_tier: Option<u32>,
    pub alerts: Alerts,
}

impl Standing {
    /// The standing of a driver with no data on `as_of`: No standing, nothing counted.
    pub fn empty(as_of: Day) -> Standing {
        Standing {
            as_of,
            reliability: BlockCounts::default(),
            quality: PackageCounts::default(),
            reliability_tier: None,
            quality_tier: None,
            overall: None,
            reliability_headroom: None,
            quality_headroom: None,
            blocks_to_next_tier: None,
            packages_to_next_tier: None,
            alerts: Alerts::default(),
        }
    }
}

/// Counted blocks (on-time cancels left out), ordered by driver, `block_start`, `block_id`.
#[derive(Debug, Clone, Default)]
struct BlockTable {
    frame: DataFrame,
    day: Vec<Day>,
    miss: Vec<Option<Miss>>,
    grounds: Vec<Grounds>,
    on_time: Tally,
    disputable: Tally,
}

/// Packages ordered by driver, `deliver_by`, `tracking_id`.
#[derive(Debug, Clone, Default)]
struct PackageTable {
    frame: Ordered,
    day: Vec<Day>,
    defects: Vec<Defects>,
    grounds: Vec<Grounds>,
    attempted: Tally,
    delivered: Tally,
    on_time: Tally,
    dnr: Tally,
    unreturned: Tally,
    disputable: Tally,
}

/// Everything needed to answer "what is this driver's standing on day D", built once
/// from a dataset; cheap to query for any day.
#[derive(Debug, Clone, Default)]
pub struct Fleet {
    pub thresholds: Thresholds,
    pub zone: FleetZone,
    pub drivers: Vec<Driver>,
    pub outages: Vec<Outage>,
    /// The newest event day over all blocks and packages.
    pub newest_day: Option<Day>,
    pub cases: CaseMarks,
    blocks: BlockTable,
    packages: PackageTable,
}

/// How many rows of a table have a flag, among the first `i` for any `i`, in constant
/// time: one bit per row plus the running count every 64 rows (a 20th of the memory of a
/// count per row: millions of packages, six flags each).
#[derive(Debug, Clone, Default)]
struct Tally {
    words: Vec<u64>,
    /// `before[w]`: flags set in `words[..w]`.
    before: Vec<u32>,
}

impl Tally {
    fn new(flags: impl Iterator<Item = bool>, len: usize) -> Tally {
        let mut words = vec![0u64; len.div_ceil(64)];
        for (i, flag) in flags.enumerate() {
            if flag && let Some(word) = words.get_mut(i / 64) {
                *word |= 1 << (i % 64);
            }
        }
        Tally::from_words(words)
    }

    /// From the flags already set as bits, row `i` at bit `i % 64` of word `i / 64`.
    fn from_words(words: Vec<u64>) -> Tally {
        let mut before = Vec::with_capacity(words.len() + 1);
        let mut sum = 0u32;
        before.push(0);
        for word in &words {
            sum += word.count_ones();
            before.push(sum);
        }
        Tally { words, before }
    }

    /// Flags set among rows `0..i` (`i` at most the table's length).
    fn upto(&self, i: usize) -> u32 {
        let (word, bit) = (i / 64, i % 64);
        let partial = if bit == 0 { 0 } else { (self.words[word] & ((1u64 << bit) - 1)).count_ones() };
        self.before[word] + partial
    }

    /// Flags set among the rows of `range`.
    fn span(&self, range: &Range<usize>) -> u32 {
        self.upto(range.end) - self.upto(range.start)
    }
}

fn str_col<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(texts_of(df.column(name)?)?.collect())
}

fn time_col(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i64>>> {
    Ok(df.column(name)?.datetime()?.physical().iter().collect())
}

fn day_col(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<Day>>> {
    Ok(df.column(name)?.date()?.physical().iter().collect())
}

/// The rows ordered by driver, then time, then id (`by`: those three columns), ties kept
/// in file order, nulls first: what a stable sort on the three columns gives, found
/// without one. Rows are bucketed by driver in one pass; each driver's rows, usually
/// already in time order in an export, are then checked and sorted only when needed.
fn sorted(df: &DataFrame, by: [&str; 3]) -> PolarsResult<DataFrame> {
    match order_of(df, by)? {
        None => Ok(df.clone()),
        Some(order) => df.take(&order),
    }
}

/// The row order [`sorted`] gives, `None` when the rows are already in it.
fn order_of(df: &DataFrame, by: [&str; 3]) -> PolarsResult<Option<IdxCa>> {
    let [driver_col, time_col_name, id_col] = by;
    if in_order(df, by)? {
        return Ok(None);
    }
    let drivers: Vec<Option<&str>> = str_col(df, driver_col)?;
    let times = time_col(df, time_col_name)?;
    let ids = str_col(df, id_col)?;
    let mut group_of: PlHashMap<Option<&str>, u32> = PlHashMap::new();
    // Exports list a driver's rows together or nearly so: the previous row's group is
    // tried before the hash table.
    let mut previous: Option<(Option<&str>, u32)> = None;
    let groups: Vec<u32> = drivers
        .iter()
        .map(|d| match previous {
            Some((id, group)) if id == *d => group,
            _ => {
                let next = group_of.len() as u32;
                let group = *group_of.entry(*d).or_insert(next);
                previous = Some((*d, group));
                group
            }
        })
        .collect();
    // Each group's position in driver order, then a counting sort (stable) by it.
    let mut keys: Vec<(Option<&str>, u32)> = group_of.into_iter().collect();
    keys.sort_unstable();
    let mut rank = vec![0usize; keys.len()];
    for (position, (_, group)) in keys.iter().enumerate() {
        rank[*group as usize] = position;
    }
    let mut starts = vec![0usize; keys.len() + 1];
    for g in &groups {
        starts[rank[*g as usize] + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut order: Vec<IdxSize> = vec![0; groups.len()];
    for (row, g) in groups.iter().enumerate() {
        let slot = &mut next[rank[*g as usize]];
        order[*slot] = row as IdxSize;
        *slot += 1;
    }
    let key = |row: &IdxSize| (times[*row as usize], ids[*row as usize]);
    for range in starts.windows(2) {
        let rows = &mut order[range[0]..range[1]];
        if !rows.is_sorted_by_key(key) {
            rows.sort_by_key(key);
        }
    }
    Ok(Some(IdxCa::from_vec("order".into(), order)))
}

/// Rows in [`sorted`] order without a sorted copy of them all: the frame as imported and,
/// unless it already is in that order (most exports are), the order to read it in. An
/// export listed by day, or a workspace of weekly imports, is read through the order.
#[derive(Debug, Clone, Default)]
struct Ordered {
    frame: DataFrame,
    order: Option<IdxCa>,
}

impl Ordered {
    fn new(frame: &DataFrame, by: [&str; 3]) -> PolarsResult<Ordered> {
        Ok(Ordered { frame: frame.clone(), order: order_of(frame, by)? })
    }

    fn height(&self) -> usize {
        self.frame.height()
    }

    /// The rows of `range` in order (copied only when the frame is reordered).
    fn rows(&self, range: Range<usize>) -> PolarsResult<DataFrame> {
        Ordered::rows_of(&self.frame, &self.order, range)
    }

    /// [`Ordered::rows`] with only the columns named.
    fn rows_with(&self, range: Range<usize>, columns: &[&str]) -> PolarsResult<DataFrame> {
        Ordered::rows_of(&self.frame.select(columns.iter().copied())?, &self.order, range)
    }

    fn rows_of(frame: &DataFrame, order: &Option<IdxCa>, range: Range<usize>) -> PolarsResult<DataFrame> {
        match order {
            None => Ok(frame.slice(range.start as i64, range.len())),
            Some(order) => frame.take(&order.slice(range.start as i64, range.len())),
        }
    }

    /// One column in order.
    fn column(&self, name: &str) -> PolarsResult<Column> {
        let column = self.frame.column(name)?;
        match &self.order {
            None => Ok(column.clone()),
            Some(order) => column.take(order),
        }
    }
}

/// Whether the rows are already in [`sorted`] order, told in one pass over the three
/// columns: exports are often listed by driver and time, and such a frame is not copied
/// (its columns stay in the chunks the import made; rows are only read in slices).
fn in_order(df: &DataFrame, by: [&str; 3]) -> PolarsResult<bool> {
    crate::parallel::holds_in_parts(
        df.height(),
        |rows| rows_in_order(&df.slice(rows.start as i64, rows.len()), by),
        || Err(PolarsError::ComputeError("a worker thread failed".into())),
    )
}

/// [`in_order`] on one core.
fn rows_in_order(df: &DataFrame, [driver_col, time_col_name, id_col]: [&str; 3]) -> PolarsResult<bool> {
    let drivers = texts_of(df.column(driver_col)?)?;
    let times = df.column(time_col_name)?.datetime()?.physical().iter();
    let ids = texts_of(df.column(id_col)?)?;
    let mut rows = drivers.zip(times).zip(ids).map(|((driver, time), id)| (driver, time, id));
    let Some(mut previous) = rows.next() else { return Ok(true) };
    for row in rows {
        // Nulls sort first; equal keys keep their order, so ties are in order too.
        if row < previous {
            return Ok(false);
        }
        previous = row;
    }
    Ok(true)
}

/// Ranges of equal values in a sorted column of ids (a missing value reads as "").
fn runs(ids: &Column) -> PolarsResult<Vec<(&str, Range<usize>)>> {
    fn extend<'a>(out: &mut Vec<(&'a str, Range<usize>)>, id: &'a str, rows: Range<usize>) {
        match out.last_mut() {
            Some((last, range)) if *last == id => range.end = rows.end,
            _ => out.push((id, rows)),
        }
    }
    let mut out: Vec<(&str, Range<usize>)> = Vec::new();
    if let DataType::Categorical(..) = ids.dtype() {
        // Millions of rows, a few thousand drivers: codes are compared, and turned into
        // text once per run.
        let ids = ids.cat32()?;
        let mapping = ids.get_mapping();
        let mut last_code = None;
        for (row, code) in ids.physical().iter().enumerate() {
            if last_code == Some(code)
                && let Some((_, range)) = out.last_mut()
            {
                range.end = row + 1;
                continue;
            }
            last_code = Some(code);
            extend(&mut out, code.and_then(|c| mapping.cat_to_str(c)).unwrap_or(""), row..row + 1);
        }
    } else {
        for (row, id) in ids.str()?.iter().enumerate() {
            extend(&mut out, id.unwrap_or(""), row..row + 1);
        }
    }
    Ok(out)
}

impl Fleet {
    pub fn build(data: &Dataset, thresholds: Thresholds) -> PolarsResult<Fleet> {
        Fleet::build_with_cases(data, thresholds, CaseMarks::default())
    }

    /// [`Fleet::build`] for a workspace with recorded cases.
    pub fn build_with_cases(data: &Dataset, thresholds: Thresholds, cases: CaseMarks) -> PolarsResult<Fleet> {
        let w = thresholds.windows;
        let outages = outages_of(&data.outages)?;
        let mut directory: BTreeMap<String, Driver> = BTreeMap::new();
        let entry = |dir: &mut BTreeMap<String, Driver>, id: &str| {
            if !dir.contains_key(id) {
                dir.insert(id.to_string(), Driver { id: id.to_string(), ..Driver::default() });
            }
        };

        // Names and stations: the last non-empty value in file order.
        let all_blocks = &data.blocks;
        let ids = str_col(all_blocks, "driver_id")?;
        for ((id, name), station) in
            ids.iter().zip(str_col(all_blocks, "driver_name")?).zip(str_col(all_blocks, "station")?)
        {
            let id = id.unwrap_or("");
            entry(&mut directory, id);
            if let Some(d) = directory.get_mut(id) {
                if name.is_some() {
                    d.name = name.map(str::to_string);
                }
                if station.is_some() {
                    d.station = station.map(str::to_string);
                }
            }
        }
        // Drivers with deliveries only join the directory with their runs of packages below.
        let roster = &data.roster;
        let deactivated: Vec<Option<bool>> = roster.column("deactivated")?.bool()?.iter().collect();
        for ((((id, name), email), off), on) in str_col(roster, "driver_id")?
            .into_iter()
            .zip(str_col(roster, "driver_name")?)
            .zip(str_col(roster, "email")?)
            .zip(deactivated)
            .zip(day_col(roster, "deactivated_on")?)
        {
            let id = id.unwrap_or("");
            entry(&mut directory, id);
            if let Some(d) = directory.get_mut(id) {
                if name.is_some() {
                    d.name = name.map(str::to_string);
                }
                d.email = email.map(str::to_string);
                d.deactivated = off.unwrap_or(false);
                d.deactivated_on = on;
            }
        }

        // The block that carried each package, and its station, looked up by block_id
        // among all blocks.
        let carriers: PlHashMap<&str, (CarrierBlock, Option<&str>)> = {
            let starts = time_col(all_blocks, "block_start")?;
            let departed = time_col(all_blocks, "departed_at")?;
            str_col(all_blocks, "block_id")?
                .into_iter()
                .zip(starts)
                .zip(departed)
                .zip(str_col(all_blocks, "station")?)
                .filter_map(|(((id, start), departed_at), station)| {
                    Some((id?, (CarrierBlock { start: start?, departed_at }, station)))
                })
                .collect()
        };

        let mut newest_day: Option<Day> = None;
        for df in [&data.blocks, &data.deliveries] {
            let max = df.column("day")?.date()?.physical().max();
            newest_day = newest_day.max(max).or(max).or(newest_day);
        }

        let blocks = {
            let starts = time_col(all_blocks, "block_start")?;
            let checked = time_col(all_blocks, "checked_in_at")?;
            let cancelled = time_col(all_blocks, "cancelled_at")?;
            let counted: BooleanChunked = starts
                .iter()
                .zip(checked.iter().zip(&cancelled))
                .map(|(s, (c, x))| block_status(s.unwrap_or(0), *c, *x, &w) != BlockStatus::NotCounted)
                .collect();
            let frame = sorted(&all_blocks.filter(&counted)?, ["driver_id", "block_start", "block_id"])?;
            let starts = time_col(&frame, "block_start")?;
            let checked = time_col(&frame, "checked_in_at")?;
            let cancelled = time_col(&frame, "cancelled_at")?;
            let stations = str_col(&frame, "station")?;
            let n = frame.height();
            let mut miss = Vec::with_capacity(n);
            let mut ground = Vec::with_capacity(n);
            for i in 0..n {
                let start = starts[i].unwrap_or(0);
                let m = match block_status(start, checked[i], cancelled[i], &w) {
                    BlockStatus::Miss(m) => Some(m),
                    _ => None,
                };
                miss.push(m);
                ground.push(if m.is_some() { block_grounds(start, stations[i], &outages) } else { Grounds::default() });
            }
            let ids = str_col(&frame, "block_id")?;
            let open = |i: usize| !ground[i].is_empty() && !cases.contains(EventSide::Block, ids[i].unwrap_or(""));
            BlockTable {
                day: day_col(&frame, "day")?.into_iter().map(|d| d.unwrap_or(0)).collect(),
                on_time: Tally::new(miss.iter().map(Option::is_none), n),
                disputable: Tally::new((0..n).map(open), n),
                miss,
                grounds: ground,
                frame,
            }
        };

        let packages = {
            let frame = crate::timings::phase("sort deliveries", || {
                Ordered::new(&data.deliveries, ["driver_id", "deliver_by", "tracking_id"])
            })?;
            let PackageColumns { defects, grounds, flags } = package_columns(&frame, &carriers, &outages, &w, &cases)?;
            let [attempted, delivered, on_time, dnr, unreturned, disputable] = flags.map(Tally::from_words);
            PackageTable {
                day: frame.column("day")?.date()?.physical().iter().map(|d| d.unwrap_or(0)).collect(),
                attempted,
                delivered,
                on_time,
                dnr,
                unreturned,
                disputable,
                defects,
                grounds,
                frame,
            }
        };

        for (id, range) in runs(blocks.frame.column("driver_id")?)? {
            if let Some(d) = directory.get_mut(id) {
                d.blocks = range;
            }
        }
        // DNR claims are rare: only the rows that have one are kept, to share out by driver.
        let claims: Vec<(usize, Day)> = packages
            .frame
            .column("dnr_day")?
            .date()?
            .physical()
            .iter()
            .enumerate()
            .filter_map(|(row, day)| Some((row, day?)))
            .collect();
        let package_drivers = packages.frame.column("driver_id")?;
        for (id, range) in runs(&package_drivers)? {
            entry(&mut directory, id);
            if let Some(d) = directory.get_mut(id) {
                let first = claims.partition_point(|(row, _)| *row < range.start);
                let mut days: Vec<Day> =
                    claims[first..].iter().take_while(|(row, _)| *row < range.end).map(|(_, day)| *day).collect();
                days.sort_unstable();
                d.dnr_days = days;
                d.packages = range;
            }
        }

        for (id, sent) in &cases.sent {
            if let Some(d) = directory.get_mut(id.as_str()) {
                d.sent_cases = sent.clone();
            }
        }

        Ok(Fleet {
            thresholds,
            zone: data.zone,
            drivers: directory.into_values().collect(),
            outages,
            newest_day,
            cases,
            blocks,
            packages,
        })
    }

    /// SPEC §5: the newest event day plus the lag, so that the newest data counts.
    pub fn default_as_of(&self) -> Option<Day> {
        self.newest_day.map(|d| d + self.thresholds.windows.lag_days as Day)
    }

    pub fn driver_index(&self, id: &str) -> Option<usize> {
        self.drivers.binary_search_by(|d| d.id.as_str().cmp(id)).ok()
    }

    /// End of the window for day `as_of`: rows of the driver with day ≤ as_of − lag.
    fn window_ends(&self, d: &Driver, as_of: Day) -> (usize, usize) {
        let cut = as_of - self.thresholds.windows.lag_days as Day;
        let b = d.blocks.start + self.blocks.day[d.blocks.clone()].partition_point(|&x| x <= cut);
        let p = d.packages.start + self.packages.day[d.packages.clone()].partition_point(|&x| x <= cut);
        (b, p)
    }

    fn block_window(&self, d: &Driver, end: usize) -> Range<usize> {
        end.saturating_sub(self.thresholds.windows.blocks as usize).max(d.blocks.start)..end
    }

    fn package_window(&self, d: &Driver, end: usize) -> Range<usize> {
        end.saturating_sub(self.thresholds.windows.packages as usize).max(d.packages.start)..end
    }

    /// Counts of the reliability window ending at `end`, after `added` blocks that are all
    /// on time or all missed are appended as the newest (the oldest leaving a full window).
    fn block_counts(&self, d: &Driver, end: usize, added: u32, on_time: bool) -> BlockCounts {
        let size = self.thresholds.windows.blocks;
        let added = added.min(size);
        let keep = ((end - d.blocks.start) as u32).min(size - added) as usize;
        let on_time_kept = self.blocks.on_time.span(&(end - keep..end));
        BlockCounts { blocks: keep as u32 + added, on_time: on_time_kept + if on_time { added } else { 0 } }
    }

    /// The same for the quality window: appended packages are all perfect (delivered on
    /// time, no claim) or all not attempted.
    fn package_counts(&self, d: &Driver, end: usize, added: u32, perfect: bool) -> PackageCounts {
        let size = self.thresholds.windows.packages;
        let added = added.min(size);
        let keep = ((end - d.packages.start) as u32).min(size - added) as usize;
        let t = &self.packages;
        let sum = |tally: &Tally| tally.span(&(end - keep..end));
        let good = if perfect { added } else { 0 };
        PackageCounts {
            packages: keep as u32 + added,
            attempted: sum(&t.attempted) + good,
            delivered: sum(&t.delivered) + good,
            on_time: sum(&t.on_time) + good,
            dnr: sum(&t.dnr),
        }
    }

    /// The overall tier alone on one day: the cheap part of [`Fleet::standing`].
    pub fn overall_on(&self, driver: usize, as_of: Day) -> Option<Tier> {
        let d = &self.drivers[driver];
        let (b, p) = self.window_ends(d, as_of);
        let t = &self.thresholds;
        overall_tier(self.block_counts(d, b, 0, true).tier(t), self.package_counts(d, p, 0, true).tier(t))
    }

    /// A driver's standing, what-if and alerts on day `as_of` (SPEC §3.1–3.7).
    pub fn standing(&self, driver: usize, as_of: Day) -> Standing {
        let d = &self.drivers[driver];
        let t = &self.thresholds;
        let w = &t.windows;
        let (b, p) = self.window_ends(d, as_of);
        let reliability = self.block_counts(d, b, 0, true);
        let quality = self.package_counts(d, p, 0, true);
        let reliability_tier = reliability.tier(t);
        let quality_tier = quality.tier(t);
        let overall = overall_tier(reliability_tier, quality_tier);

        // SPEC §3.5: each predicate below is monotone in k (see `first_k`).
        let reliability_headroom = reliability_tier
            .filter(|&r| r != Tier::AtRisk)
            .and_then(|r| first_k(w.blocks, |k| self.block_counts(d, b, k, false).tier(t).is_some_and(|x| x < r)));
        let blocks_to_next_tier = reliability_tier
            .filter(|&r| r != Tier::Fantastic)
            .and_then(|r| first_k(w.blocks, |k| self.block_counts(d, b, k, true).tier(t).is_some_and(|x| x > r)));
        let quality_headroom = quality_tier
            .filter(|&q| q != Tier::AtRisk)
            .and_then(|q| first_k(w.packages, |k| self.package_counts(d, p, k, false).tier(t).is_some_and(|x| x < q)));
        let packages_to_next_tier = quality_tier
            .filter(|&q| q != Tier::Fantastic)
            .and_then(|q| first_k(w.packages, |k| self.package_counts(d, p, k, true).tier(t).is_some_and(|x| x > q)));

        let bw = self.block_window(d, b);
        let pw = self.package_window(d, p);
        let span = |tally: &Tally, r: &Range<usize>| tally.span(r);
        let mut alerts = Alerts::default();
        alerts.set(Alert::AtRisk, overall == Some(Tier::AtRisk));
        let week_ago = self.overall_on(driver, as_of - 7);
        alerts.set(Alert::TierDrop, matches!((overall, week_ago), (Some(now), Some(then)) if now < then));
        alerts.set(Alert::NearDrop, reliability_headroom == Some(1) || quality_headroom == Some(1));
        alerts.set(Alert::Unreturned, span(&self.packages.unreturned, &pw) > 0);
        let first_recent = d.dnr_days.partition_point(|&x| x < as_of - 6);
        alerts.set(Alert::NewDnr, d.dnr_days.get(first_recent).is_some_and(|&x| x <= as_of));
        alerts.set(Alert::Disputable, span(&self.blocks.disputable, &bw) + span(&self.packages.disputable, &pw) > 0);
        alerts.set(Alert::FollowUp, needs_follow_up(&d.sent_cases, as_of));
        alerts.set(
            Alert::AppealDue,
            d.deactivated && d.deactivated_on.is_some_and(|off| off <= as_of && as_of <= off + 10),
        );

        Standing {
            as_of,
            reliability,
            quality,
            reliability_tier,
            quality_tier,
            overall,
            reliability_headroom,
            quality_headroom,
            blocks_to_next_tier,
            packages_to_next_tier,
            alerts,
        }
    }

    /// SPEC §3.5 in words: for each what-if number, the tier it leads to.
    pub fn what_if(&self, driver: usize, s: &Standing) -> WhatIf {
        let d = &self.drivers[driver];
        let t = &self.thresholds;
        let (b, p) = self.window_ends(d, s.as_of);
        let blocks = |k: Option<u32>, on_time| k.and_then(|k| Some((k, self.block_counts(d, b, k, on_time).tier(t)?)));
        let packages =
            |k: Option<u32>, perfect| k.and_then(|k| Some((k, self.package_counts(d, p, k, perfect).tier(t)?)));
        WhatIf {
            reliability_drop: blocks(s.reliability_headroom, false),
            reliability_rise: blocks(s.blocks_to_next_tier, true),
            quality_drop: packages(s.quality_headroom, false),
            quality_rise: packages(s.packages_to_next_tier, true),
        }
    }

    /// The driver's whole record in the data (not only the windows), for appeals.
    pub fn record(&self, driver: usize) -> Record {
        let d = &self.drivers[driver];
        let span = |tally: &Tally, r: &Range<usize>| tally.span(r);
        let late_arrivals =
            self.blocks.miss[d.blocks.clone()].iter().filter(|m| **m == Some(Miss::LateArrival)).count();
        let on_time_blocks = span(&self.blocks.on_time, &d.blocks);
        Record {
            blocks: d.blocks.len() as u32,
            on_time_blocks,
            worked_blocks: on_time_blocks + late_arrivals as u32,
            first_block_day: self.blocks.day.get(d.blocks.start).copied().filter(|_| !d.blocks.is_empty()),
            packages: d.packages.len() as u32,
            delivered: span(&self.packages.delivered, &d.packages),
            dnr: span(&self.packages.dnr, &d.packages),
        }
    }

    /// The first day the driver has a standing: the first counted block or package day
    /// plus the lag. `None` for a driver with neither.
    pub fn first_standing_day(&self, driver: usize) -> Option<Day> {
        let d = &self.drivers[driver];
        let first_block = self.blocks.day.get(d.blocks.clone()).and_then(|s| s.first().copied());
        let first_package = self.packages.day.get(d.packages.clone()).and_then(|s| s.first().copied());
        let first = match (first_block, first_package) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        first.map(|f| f + self.thresholds.windows.lag_days as Day)
    }

    /// SPEC §3.6: the driver's standing on every day from the first day with a standing
    /// (or `from`, if later) to `to`.
    pub fn history(&self, driver: usize, from: Option<Day>, to: Day) -> Vec<Standing> {
        let Some(first) = self.first_standing_day(driver) else { return Vec::new() };
        let start = from.map_or(first, |f| f.max(first));
        (start..=to).map(|day| self.standing(driver, day)).collect()
    }

    /// SPEC §4.1: the events counting against the driver on `as_of` (misses in the
    /// reliability window, defective packages in the quality window), oldest first.
    pub fn events(&self, driver: usize, as_of: Day) -> PolarsResult<Vec<Event>> {
        let d = &self.drivers[driver];
        let (b, p) = self.window_ends(d, as_of);
        let mut events = Vec::new();
        let bw = self.block_window(d, b);
        if !bw.is_empty() {
            let frame = self.blocks.frame.slice(bw.start as i64, bw.len());
            let ids = str_col(&frame, "block_id")?;
            let starts = time_col(&frame, "block_start")?;
            let stations = str_col(&frame, "station")?;
            let checked = time_col(&frame, "checked_in_at")?;
            let cancelled = time_col(&frame, "cancelled_at")?;
            for (i, row) in bw.clone().enumerate() {
                let Some(miss) = self.blocks.miss[row] else { continue };
                events.push(Event {
                    driver_id: d.id.clone(),
                    id: ids[i].unwrap_or("").to_string(),
                    day: self.blocks.day[row],
                    time: starts[i].unwrap_or(0),
                    what: EventKind::Block { miss, checked_in_at: checked[i], cancelled_at: cancelled[i] },
                    grounds: self.blocks.grounds[row],
                    block_id: ids[i].map(str::to_string),
                    station: stations[i].map(str::to_string),
                    package: None,
                    outage: None,
                    carrier: None,
                    in_case: self.cases.contains(EventSide::Block, ids[i].unwrap_or("")),
                });
            }
        }
        let pw = self.package_window(d, p);
        if !pw.is_empty() {
            let frame = self.packages.frame.rows(pw.clone())?;
            let facts: Vec<PackageFacts> = package_facts(&frame)?.collect();
            let ids = str_col(&frame, "tracking_id")?;
            let blocks = str_col(&frame, "block_id")?;
            let reasons = str_col(&frame, "reason")?;
            let photos = str_col(&frame, "photo")?;
            let notes = str_col(&frame, "notes")?;
            let returned = time_col(&frame, "returned_at")?;
            let reported = time_col(&frame, "dnr_reported_at")?;
            for (i, row) in pw.clone().enumerate() {
                let defects = self.packages.defects[row];
                if defects.is_empty() {
                    continue;
                }
                let f = facts[i];
                events.push(Event {
                    driver_id: d.id.clone(),
                    id: ids[i].unwrap_or("").to_string(),
                    day: self.packages.day[row],
                    time: grounds::package_event_time(&f),
                    what: EventKind::Package { defects },
                    grounds: self.packages.grounds[row],
                    block_id: blocks[i].map(str::to_string),
                    station: None,
                    package: Some(PackageDetail {
                        facts: f,
                        reason_text: reasons[i].map(str::to_string),
                        photos: photos[i]
                            .map(|p| grounds::photo_paths(p).map(str::to_string).collect())
                            .unwrap_or_default(),
                        notes: notes[i].map(str::to_string),
                        returned_at: returned[i],
                        dnr_reported_at: reported[i],
                    }),
                    outage: None,
                    carrier: None,
                    in_case: self.cases.contains(EventSide::Package, ids[i].unwrap_or("")),
                });
            }
        }
        // Details the letters cite: the outage and the carrying block.
        let carriers =
            self.carrier_blocks(events.iter().filter_map(|e| e.package.as_ref().and(e.block_id.as_deref())))?;
        for e in &mut events {
            if e.package.is_some()
                && let Some((carrier, station)) = e.block_id.as_deref().and_then(|b| carriers.get(b))
            {
                e.carrier = Some(*carrier);
                e.station = station.clone();
            }
            if e.grounds.contains(Grounds::OUTAGE) {
                e.outage = grounds::outage_at(&self.outages, e.time, e.station.as_deref()).cloned();
            }
        }
        events.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
        Ok(events)
    }

    /// The blocks named, with their stations.
    fn carrier_blocks<'a>(
        &self,
        ids: impl Iterator<Item = &'a str>,
    ) -> PolarsResult<HashMap<String, (CarrierBlock, Option<String>)>> {
        let wanted: HashSet<&str> = ids.collect();
        let mut out = HashMap::new();
        if wanted.is_empty() {
            return Ok(out);
        }
        // Counted blocks are enough: a package rides in a block that was worked.
        let frame = &self.blocks.frame;
        for (((id, start), departed_at), station) in str_col(frame, "block_id")?
            .into_iter()
            .zip(time_col(frame, "block_start")?)
            .zip(time_col(frame, "departed_at")?)
            .zip(str_col(frame, "station")?)
        {
            if let (Some(id), Some(start)) = (id, start)
                && wanted.contains(id)
            {
                out.insert(id.to_string(), (CarrierBlock { start, departed_at }, station.map(str::to_string)));
            }
        }
        Ok(out)
    }
}

/// Counts over all of a driver's counted blocks and packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Record {
    /// Counted blocks.
    pub blocks: u32,
    pub on_time_blocks: u32,
    /// Blocks the driver checked in for, on time or late.
    pub worked_blocks: u32,
    /// The day of the first counted block.
    pub first_block_day: Option<Day>,
    pub packages: u32,
    pub delivered: u32,
    pub dnr: u32,
}

/// What-if numbers with the tier each leads to: (k, tier after k more events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WhatIf {
    /// k more missed blocks lower the reliability tier to this.
    pub reliability_drop: Option<(u32, Tier)>,
    /// k more on-time blocks raise it to this.
    pub reliability_rise: Option<(u32, Tier)>,
    /// k more packages not attempted lower the quality tier to this.
    pub quality_drop: Option<(u32, Tier)>,
    /// k more clean packages raise it to this.
    pub quality_rise: Option<(u32, Tier)>,
}

/// The smallest k in 1..=max with `pred(k)`, for a predicate that is false then true as k
/// grows (appending only misses never raises a rate, only successes never lowers one, and
/// the DNR count only falls as old packages leave: so "tier lower" and "tier higher" can
/// only switch on once). Beyond `max` the window holds only appended items: nothing changes.
pub fn first_k(max: u32, pred: impl Fn(u32) -> bool) -> Option<u32> {
    if max == 0 || !pred(max) {
        return None;
    }
    let (mut lo, mut hi) = (1, max);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// What the standing keeps of every package row (its facts are not kept: millions of
/// rows): defects, grounds, and the counted flags as one bit per row.
struct PackageColumns {
    defects: Vec<Defects>,
    grounds: Vec<Grounds>,
    /// One bit per row for: attempted, delivered, on time, DNR claim, not delivered and
    /// not returned, and open (has grounds, not already in a case).
    flags: [Vec<u64>; 6],
}

/// One part of [`PackageColumns`], filled by one core.
struct PackagePart<'a> {
    defects: &'a mut [Defects],
    grounds: &'a mut [Grounds],
    flags: Vec<&'a mut [u64]>,
}

/// Every package row's defects, grounds and flags, in order. Rows do not depend on each
/// other: the frame is cut into one part per core, each a whole number of 64-row words.
fn package_columns(
    frame: &Ordered,
    carriers: &PlHashMap<&str, Carrier>,
    outages: &[Outage],
    w: &crate::config::Windows,
    cases: &CaseMarks,
) -> PolarsResult<PackageColumns> {
    let n = frame.height();
    let parts = crate::parallel::cores().min(n.div_ceil(100_000)).max(1);
    let part_len = n.div_ceil(parts).div_ceil(64).max(1) * 64;
    let mut out = PackageColumns {
        defects: vec![Defects::default(); n],
        grounds: vec![Grounds::default(); n],
        flags: std::array::from_fn(|_| vec![0u64; n.div_ceil(64)]),
    };
    // A reordered frame is read a slice of rows at a time, so that only that slice is copied.
    const SLICE: usize = 1 << 16;
    let fill = |start: usize, part: PackagePart| -> PolarsResult<()> {
        let PackagePart { defects: part_defects, grounds: part_grounds, mut flags } = part;
        let end = (start + part_len).min(n);
        let step = if frame.order.is_some() { SLICE } else { part_len };
        for (first, (defects, grounds)) in
            (start..end).step_by(step).zip(part_defects.chunks_mut(step).zip(part_grounds.chunks_mut(step)))
        {
            let rows = frame.rows_with(first..(first + step).min(end), &PACKAGE_COLUMNS)?;
            let mut words: Vec<&mut [u64]> =
                flags.iter_mut().map(|w| w.get_mut((first - start) / 64..).unwrap_or_default()).collect();
            fill_rows(&rows, defects, grounds, &mut words, carriers, outages, w, cases)?;
        }
        Ok(())
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
    crate::parallel::map_on_threads(
        shares.into_iter().enumerate().collect(),
        |(i, share)| fill(i * part_len, share),
        || Err(PolarsError::ComputeError("a worker thread failed".into())),
    )
    .into_iter()
    .collect::<PolarsResult<()>>()?;
    Ok(out)
}

/// The columns [`fill_rows`] reads.
const PACKAGE_COLUMNS: [&str; 10] = [
    "deliver_by",
    "attempted_at",
    "outcome",
    "reason_code",
    "dnr",
    "contact_attempts",
    "photo",
    "block_id",
    "returned_at",
    "tracking_id",
];

/// The block that carried a package, and its station.
type Carrier<'a> = (CarrierBlock, Option<&'a str>);

/// [`package_columns`] for one run of rows: their defects and grounds, and their flags set
/// in `flags` (whose first word starts at the first of these rows).
#[allow(clippy::too_many_arguments)]
fn fill_rows(
    frame: &DataFrame,
    defects_out: &mut [Defects],
    grounds_out: &mut [Grounds],
    flags: &mut [&mut [u64]],
    carriers: &PlHashMap<&str, Carrier>,
    outages: &[Outage],
    w: &crate::config::Windows,
    cases: &CaseMarks,
) -> PolarsResult<()> {
    let facts = package_facts(frame)?;
    let block_ids = texts_of(frame.column("block_id")?)?;
    let returned = frame.column("returned_at")?.is_not_null();
    // Tracking ids are only needed to leave out events already in a case.
    let ids = frame.column("tracking_id")?.str()?;
    // A block carries many packages in a row: its lookup is reused while it lasts.
    let mut carried: Option<(&str, Option<Carrier>)> = None;
    let rows = facts.zip(block_ids).zip(returned.iter()).zip(defects_out.iter_mut().zip(grounds_out.iter_mut()));
    for (row, (((facts, block_id), returned), (defects_out, grounds_out))) in rows.enumerate() {
        let carrier = match (block_id, carried) {
            (None, _) => None,
            (Some(b), Some((id, carrier))) if id == b => carrier,
            (Some(b), _) => {
                let carrier = carriers.get(b).copied();
                carried = Some((b, carrier));
                carrier
            }
        };
        let defects = package_defects(&facts);
        let grounds = package_grounds(&facts, defects, carrier.map(|c| c.0), carrier.and_then(|c| c.1), outages, w);
        let open = !grounds.is_empty()
            && (cases.packages_in_case.is_empty() || !cases.contains(EventSide::Package, ids.get(row).unwrap_or("")));
        let delivered = facts.outcome == Outcome::Delivered;
        let row_flags = [
            facts.outcome.was_attempted(),
            delivered,
            facts.on_time,
            facts.dnr,
            !delivered && !returned.unwrap_or(false),
            open,
        ];
        for (words, on) in flags.iter_mut().zip(row_flags) {
            if on && let Some(word) = words.get_mut(row / 64) {
                *word |= 1 << (row % 64);
            }
        }
        *defects_out = defects;
        *grounds_out = grounds;
    }
    Ok(())
}

fn package_facts(frame: &DataFrame) -> PolarsResult<impl Iterator<Item = PackageFacts> + '_> {
    // Zipped column iterators, not per-column vectors: millions of rows, one pass.
    let deliver_by = frame.column("deliver_by")?.datetime()?.physical().iter();
    let attempted_at = frame.column("attempted_at")?.datetime()?.physical().iter();
    let outcome = frame.column("outcome")?.u32()?.iter();
    let reason = frame.column("reason_code")?.u32()?.iter();
    let dnr = frame.column("dnr")?.bool()?.iter();
    let contacts = frame.column("contact_attempts")?.u32()?.iter();
    let photo = frame.column("photo")?.str()?.iter();
    Ok(deliver_by.zip(attempted_at).zip(outcome).zip(reason).zip(dnr).zip(contacts).zip(photo).map(
        |((((((deliver_by, attempted_at), outcome), reason), dnr), contact_attempts), photo)| {
            let outcome = outcome.and_then(Outcome::from_number).unwrap_or(Outcome::NotAttempted);
            let deliver_by = deliver_by.unwrap_or(0);
            PackageFacts {
                outcome,
                deliver_by,
                attempted_at,
                on_time: package_on_time(outcome, attempted_at, deliver_by),
                dnr: dnr.unwrap_or(false),
                reason: reason.and_then(Reason::from_number),
                contact_attempts,
                has_photo: photo.is_some_and(|p| grounds::photo_paths(p).next().is_some()),
            }
        },
    ))
}

/// An outages frame's `station` cells; a frame stored before outages had stations has none.
fn stations_of(frame: &DataFrame) -> PolarsResult<Vec<Option<&str>>> {
    match frame.column("station") {
        Ok(_) => str_col(frame, "station"),
        Err(_) => Ok(vec![None; frame.height()]),
    }
}

/// The outage windows of an outages frame.
pub fn outages_of(frame: &DataFrame) -> PolarsResult<Vec<Outage>> {
    Ok(time_col(frame, "start")?
        .into_iter()
        .zip(time_col(frame, "end")?)
        .zip(str_col(frame, "description")?)
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

/// What an event is: a missed block or a defective package.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Block { miss: Miss, checked_in_at: Option<i64>, cancelled_at: Option<i64> },
    Package { defects: Defects },
}

/// The package side of an event, with what the letters cite.
#[derive(Debug, Clone)]
pub struct PackageDetail {
    pub facts: PackageFacts,
    pub reason_text: Option<String>,
    pub photos: Vec<String>,
    pub notes: Option<String>,
    pub returned_at: Option<i64>,
    pub dnr_reported_at: Option<i64>,
}

/// One event counting against a driver's standing (SPEC §4.1).
#[derive(Debug, Clone)]
pub struct Event {
    pub driver_id: String,
    /// `block_id` of a block miss, `tracking_id` of a package.
    pub id: String,
    pub day: Day,
    /// Block: `block_start`; package: `attempted_at`, else `deliver_by`.
    pub time: i64,
    pub what: EventKind,
    pub grounds: Grounds,
    pub block_id: Option<String>,
    /// A block's station; a package's is that of the block that carried it.
    pub station: Option<String>,
    pub package: Option<PackageDetail>,
    /// The outage the event fell in, when OUTAGE applies.
    pub outage: Option<Outage>,
    /// The block that carried a package, when known.
    pub carrier: Option<CarrierBlock>,
    /// Already in a recorded case (disputed or being disputed).
    pub in_case: bool,
}

impl Event {
    /// Has a dispute ground and is not already in a case (SPEC §3.7 DISPUTABLE).
    pub fn is_disputable(&self) -> bool {
        !self.grounds.is_empty() && !self.in_case
    }

    pub fn side(&self) -> EventSide {
        match self.what {
            EventKind::Block { .. } => EventSide::Block,
            EventKind::Package { .. } => EventSide::Package,
        }
    }

    pub fn event_ref(&self) -> EventRef {
        EventRef { side: self.side(), id: self.id.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::decode_csv;
    use crate::import::time::day_from_date;
    use crate::import::{ImportOptions, load_texts};

    #[test]
    fn runs_of_ids_held_as_text_or_as_codes_are_the_same() {
        let ids = [Some("D1"), Some("D1"), None, Some("D2"), Some("D2"), Some("D2"), Some("D10")];
        let text = Column::new("driver_id".into(), ids);
        let codes = text.cast(&crate::import::repeated_text_dtype()).unwrap();
        let expected = vec![("D1", 0..2), ("", 2..3), ("D2", 3..6), ("D10", 6..7)];
        assert_eq!(runs(&text).unwrap(), expected);
        assert_eq!(runs(&codes).unwrap(), expected);
    }

    #[test]
    fn tally_counts_the_flags_before_any_row() {
        for len in [0usize, 1, 63, 64, 65, 200] {
            let flags: Vec<bool> = (0..len).map(|i| i % 3 == 0 || i % 7 == 0).collect();
            let tally = Tally::new(flags.iter().copied(), len);
            for i in 0..=len {
                assert_eq!(tally.upto(i) as usize, flags[..i].iter().filter(|f| **f).count(), "len {len}, i {i}");
            }
            if len >= 10 {
                assert_eq!(tally.span(&(3..10)) as usize, flags[3..10].iter().filter(|f| **f).count());
            }
        }
    }

    #[test]
    fn per_driver_sort_equals_a_stable_sort_on_the_three_columns() {
        let drivers = [Some("D2"), Some("D1"), None, Some("D2"), Some("D1"), Some("D10"), Some("D1"), Some("D2")];
        let times = [Some(5i64), Some(3), Some(1), None, Some(3), Some(0), Some(2), Some(5)];
        let ids = [Some("b"), Some("z"), Some("a"), Some("c"), Some("y"), None, Some("q"), Some("b")];
        let at = Int64Chunked::from_iter_options("at".into(), times.into_iter())
            .into_datetime(TimeUnit::Milliseconds, None)
            .into_column();
        let df = DataFrame::new_infer_height(vec![
            Column::new("driver_id".into(), drivers),
            at,
            Column::new("id".into(), ids),
            Column::new("row".into(), (0..8u32).collect::<Vec<_>>()),
        ])
        .unwrap();
        let ours = sorted(&df, ["driver_id", "at", "id"]).unwrap();
        let polars =
            df.sort(["driver_id", "at", "id"], SortMultipleOptions::default().with_maintain_order(true)).unwrap();
        assert_eq!(ours.column("row").unwrap(), polars.column("row").unwrap());
        let rows: Vec<u32> = ours.column("row").unwrap().u32().unwrap().into_no_null_iter().collect();
        assert_eq!(rows, [2, 6, 4, 1, 5, 3, 0, 7]);
        // Already in order (rows 0 and 7 tie): told in one pass, and the same rows back.
        assert!(!in_order(&df, ["driver_id", "at", "id"]).unwrap());
        assert!(in_order(&ours, ["driver_id", "at", "id"]).unwrap());
        let again = sorted(&ours, ["driver_id", "at", "id"]).unwrap();
        assert_eq!(again.column("row").unwrap(), ours.column("row").unwrap());
    }

    fn fleet_with(blocks: &str, deliveries: &str, roster: Option<&str>, outages: Option<&str>, t: Thresholds) -> Fleet {
        let text = |name: &str, body: &str| decode_csv(name.to_string(), body.as_bytes().to_vec()).unwrap();
        let (data, report) = load_texts(
            text("blocks.csv", blocks),
            text("deliveries.csv", deliveries),
            roster.map(|r| text("roster.csv", r)),
            outages.map(|o| text("outages.csv", o)),
            &ImportOptions::default(),
        )
        .unwrap();
        assert!(report.rejections.is_empty(), "{:?}", report.rejections);
        Fleet::build(&data, t).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn an_export_listed_by_day_gives_what_one_listed_by_driver_gives() {
        // Over 65,536 packages, so that the reordered table is read in several slices.
        let blocks = "driver_id,block_id,block_start,checked_in_at\nD1,B1,2026-01-05 07:00,2026-01-05 06:50\n";
        let mut by_driver = Vec::new();
        for driver in 0..3 {
            for i in 0..24_000 {
                let outcome = match (i * 7 + driver) % 50 {
                    0 => "attempted",
                    1 => "not_attempted",
                    _ => "delivered",
                };
                let day = i / 300;
                let at =
                    format!("2026-{:02}-{:02} {:02}:{:02}:00", day / 28 + 1, day % 28 + 1, 8 + i % 300 / 60, i % 60);
                let dnr = if i % 997 == 3 { "Y" } else { "" };
                by_driver.push(format!("T{driver}-{i:05},D{driver},B1,{at},{at},{outcome},,{dnr}"));
            }
        }
        let header = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,dnr\n";
        let mut by_day = by_driver.clone();
        by_day.sort_by(|a, b| a.split(',').nth(3).cmp(&b.split(',').nth(3)));
        let fleet = |rows: &[String]| {
            fleet_with(blocks, &format!("{header}{}\n", rows.join("\n")), None, None, Thresholds::default())
        };
        let (driver_ordered, day_ordered) = (fleet(&by_driver), fleet(&by_day));
        assert!(day_ordered.packages.frame.order.is_some() && driver_ordered.packages.frame.order.is_none());
        let last = driver_ordered.default_as_of().unwrap();
        for d in 0..driver_ordered.drivers.len() {
            assert_eq!(day_ordered.history(d, None, last), driver_ordered.history(d, None, last));
            let ids = |f: &Fleet| f.events(d, last).unwrap().into_iter().map(|e| e.id).collect::<Vec<_>>();
            assert_eq!(ids(&day_ordered), ids(&driver_ordered));
        }
    }

    const NO_PACKAGES: &str = "tracking_id,driver_id,deliver_by,outcome\nT0,DX,2026-03-01,delivered\n";

    #[test]
    fn events_count_two_days_later() {
        let blocks = "driver_id,block_id,block_start,checked_in_at\n\
                      D1,B1,2026-03-02 07:00,2026-03-02 06:50\n\
                      D1,B2,2026-03-05 07:00,\n";
        let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        assert_eq!(f.first_standing_day(d), Some(day(2026, 3, 4)));
        assert_eq!(f.standing(d, day(2026, 3, 3)).overall, None);
        let s = f.standing(d, day(2026, 3, 6));
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (1, 1));
        let s = f.standing(d, day(2026, 3, 7));
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (2, 1));
        assert_eq!(f.default_as_of(), Some(day(2026, 3, 7)));
        let history = f.history(d, None, day(2026, 3, 7));
        assert_eq!(history.first().map(|s| s.as_of), Some(day(2026, 3, 4)));
        assert_eq!(history.len(), 4);
        assert_eq!(f.history(d, Some(day(2026, 3, 6)), day(2026, 3, 7)).len(), 2);
    }

    #[test]
    fn window_keeps_the_newest_by_start_then_block_id() {
        let blocks = "driver_id,block_id,block_start,checked_in_at\n\
                      D1,B2,2026-03-02 07:00,2026-03-02 07:00\n\
                      D1,B1,2026-03-02 07:00,\n\
                      D1,B0,2026-03-01 07:00,\n";
        let mut t = Thresholds::default();
        t.windows.blocks = 1;
        let f = fleet_with(blocks, NO_PACKAGES, None, None, t);
        let s = f.standing(f.driver_index("D1").unwrap(), day(2026, 3, 10));
        // B2 sorts after B1 at the same start: the window holds B2, which was on time.
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (1, 1));
    }

    #[test]
    fn on_time_cancels_do_not_count_and_late_ones_miss() {
        let blocks = "driver_id,block_id,block_start,checked_in_at,cancelled_at\n\
                      D1,B1,2026-03-02 07:00,,2026-03-02 06:15\n\
                      D1,B2,2026-03-03 07:00,,2026-03-03 06:15:01\n\
                      D1,B3,2026-03-04 07:00,2026-03-04 07:05,\n";
        let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 10));
        assert_eq!((s.reliability.blocks, s.reliability.on_time), (2, 1));
        let events = f.events(d, day(2026, 3, 10)).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].id, "B2");
        assert!(matches!(events[0].what, EventKind::Block { miss: Miss::LateCancel, .. }));
    }

    #[test]
    fn new_dnr_covers_the_week_up_to_the_day() {
        let deliveries = "tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr,dnr_reported_at\n\
                          T1,D1,2026-03-02 12:00,2026-03-02 10:00,delivered,Y,2026-03-10\n\
                          T2,D2,2026-03-02 12:00,2026-03-02 10:00,delivered,yes,\n";
        let blocks = "driver_id,block_id,block_start\nDX,B1,2026-03-01 07:00\n";
        let f = fleet_with(blocks, deliveries, None, None, Thresholds::default());
        let new_dnr = |id: &str, d: Day| f.standing(f.driver_index(id).unwrap(), d).alerts.has(Alert::NewDnr);
        assert!(!new_dnr("D1", day(2026, 3, 9)));
        assert!(new_dnr("D1", day(2026, 3, 10)));
        assert!(new_dnr("D1", day(2026, 3, 16)));
        assert!(!new_dnr("D1", day(2026, 3, 17)));
        // Without a report date, the package's day.
        assert!(new_dnr("D2", day(2026, 3, 2)));
        assert!(new_dnr("D2", day(2026, 3, 8)));
        assert!(!new_dnr("D2", day(2026, 3, 9)));
    }

    #[test]
    fn appeal_due_for_ten_days_after_deactivation() {
        let blocks =
            "driver_id,block_id,block_start,driver_name\nD1,B1,2026-03-01 07:00,Old Name\nD1,B2,2026-03-02 07:00,\n";
        let roster = "driver_id,driver_name,status,deactivated_on\nD1,Ana Ruiz,deactivated,2026-03-05\nD2,,active,\n";
        let f = fleet_with(blocks, NO_PACKAGES, Some(roster), None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let due = |x: Day| f.standing(d, x).alerts.has(Alert::AppealDue);
        assert!(!due(day(2026, 3, 4)));
        assert!(due(day(2026, 3, 5)));
        assert!(due(day(2026, 3, 15)));
        assert!(!due(day(2026, 3, 16)));
        assert_eq!(f.drivers[d].name.as_deref(), Some("Ana Ruiz"));
        // A roster driver without events still has a row, with no standing.
        let d2 = f.driver_index("D2").unwrap();
        assert_eq!(f.standing(d2, day(2026, 3, 10)).overall, None);
    }

    #[test]
    fn last_non_empty_block_name_when_roster_has_none() {
        let blocks = "driver_id,block_id,block_start,driver_name\nD1,B1,2026-03-01 07:00,First\nD1,B2,2026-03-02 07:00,Second\nD1,B3,2026-03-03 07:00,\n";
        let f = fleet_with(blocks, NO_PACKAGES, None, None, Thresholds::default());
        assert_eq!(f.drivers[f.driver_index("D1").unwrap()].name.as_deref(), Some("Second"));
    }

    #[test]
    fn disputable_events_with_grounds_and_details() {
        let blocks = "driver_id,block_id,block_start,checked_in_at,departed_at\n\
                      D1,B1,2026-03-02 07:00,2026-03-02 07:20,2026-03-02 08:10\n\
                      D1,B2,2026-03-03 07:00,2026-03-03 06:55,2026-03-03 07:20\n";
        let deliveries = "tracking_id,driver_id,block_id,deliver_by,attempted_at,outcome,reason,contact_attempts,dnr,photo\n\
                          T1,D1,B1,2026-03-02 11:00,2026-03-02 11:30,delivered,,,,\n\
                          T2,D1,B2,2026-03-03 11:00,2026-03-03 10:00,attempted,Gate locked,2,,\n\
                          T3,D1,B2,2026-03-03 11:00,2026-03-03 10:10,delivered,,,Y,photos/t3.jpg\n\
                          T4,D1,B2,2026-03-03 11:00,2026-03-03 10:20,attempted,Damaged,,,\n\
                          T5,D1,B2,2026-03-03 11:00,2026-03-03 10:30,delivered,,,,\n";
        let outages = "start,end,description\n2026-03-02 06:00,2026-03-02 09:00,Flex app sign-in outage\n";
        let f = fleet_with(blocks, deliveries, None, Some(outages), Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 5));
        assert!(s.alerts.has(Alert::Disputable));
        assert!(s.alerts.has(Alert::Unreturned));
        let events = f.events(d, day(2026, 3, 5)).unwrap();
        let find = |id: &str| events.iter().find(|e| e.id == id).unwrap();
        let b1 = find("B1");
        assert_eq!(b1.grounds, Grounds::OUTAGE);
        assert_eq!(b1.outage.as_ref().map(|o| o.description.as_str()), Some("Flex app sign-in outage"));
        assert_eq!(find("T1").grounds, Grounds::STATION_DELAY);
        assert_eq!(find("T1").carrier.map(|c| c.departed_at.is_some()), Some(true));
        assert_eq!(find("T2").grounds, Grounds::ACCESS_DOCUMENTED);
        assert_eq!(find("T3").grounds, Grounds::PHOTO_PROOF);
        assert_eq!(find("T3").package.as_ref().unwrap().photos, ["photos/t3.jpg"]);
        assert!(!find("T4").is_disputable());
        assert!(events.iter().all(|e| e.id != "T5"));
        assert_eq!(events.len(), 5);
    }

    #[test]
    fn what_if_names_the_tier_reached() {
        let mut blocks = String::from("driver_id,block_id,block_start,checked_in_at\n");
        for i in 0..20 {
            let late = if i == 10 { "07:30" } else { "06:55" };
            blocks += &format!("D1,B{i:02},2026-02-{:02} 07:00,2026-02-{:02} {late}\n", i + 1, i + 1);
        }
        let f = fleet_with(&blocks, NO_PACKAGES, None, None, Thresholds::default());
        let d = f.driver_index("D1").unwrap();
        let s = f.standing(d, day(2026, 3, 1));
        assert_eq!(s.reliability_tier, Some(Tier::Fantastic));
        let w = f.what_if(d, &s);
        assert_eq!(w.reliability_drop, Some((1, Tier::Great)));
        assert_eq!(w.reliability_rise, None);
    }

    #[test]
    fn first_k_finds_the_switch_point() {
        assert_eq!(first_k(20, |k| k >= 7), Some(7));
        assert_eq!(first_k(20, |k| k >= 1), Some(1));
        assert_eq!(first_k(20, |_| false), None);
        assert_eq!(first_k(0, |_| true), None);
    }
}
