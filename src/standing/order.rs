//! Rows in per-driver order (driver, time, id), found without sorting whole frames: most
//! exports are already in that order, and a frame that is not is read through an order.

use crate::import::columns::{self as col, InstantColumn, TextColumn};
use crate::import::texts_of;
use polars_core::prelude::*;
use std::ops::Range;

/// What rows are ordered by: driver, then time, then id.
#[derive(Debug, Clone, Copy)]
pub(super) struct OrderKey {
    pub(super) driver: TextColumn,
    pub(super) time: InstantColumn,
    pub(super) id: TextColumn,
}

/// Blocks by driver, start, block id (docs/rules.md §2.2).
pub(super) const BLOCK_ORDER: OrderKey = OrderKey { driver: col::DRIVER_ID, time: col::BLOCK_START, id: col::BLOCK_ID };
/// Packages by driver, deadline, tracking id (docs/rules.md §2.3).
pub(super) const PACKAGE_ORDER: OrderKey =
    OrderKey { driver: col::DRIVER_ID, time: col::DELIVER_BY, id: col::TRACKING_ID };

/// The rows ordered by driver, then time, then id (`by`: those three columns), ties kept
/// in file order, nulls first: what a stable sort on the three columns gives, found
/// without one. Rows are bucketed by driver in one pass; each driver's rows, usually
/// already in time order in an export, are then checked and sorted only when needed.
pub(super) fn sorted(df: &DataFrame, by: OrderKey) -> PolarsResult<DataFrame> {
    match order_of(df, by)? {
        None => Ok(df.clone()),
        Some(order) => df.take(&order),
    }
}

/// The row order [`sorted`] gives, `None` when the rows are already in it.
pub(super) fn order_of(df: &DataFrame, by: OrderKey) -> PolarsResult<Option<IdxCa>> {
    if in_order(df, by)? {
        return Ok(None);
    }
    let drivers: Vec<Option<&str>> = by.driver.read(df)?;
    let times = by.time.read(df)?;
    let ids = by.id.read(df)?;
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
pub(super) struct Ordered {
    pub(super) frame: DataFrame,
    pub(super) order: Option<IdxCa>,
}

impl Ordered {
    pub(super) fn new(frame: &DataFrame, by: OrderKey) -> PolarsResult<Ordered> {
        match crate::timings::phase("rows added in place", || with_tail_in_place(frame, by))? {
            Some(in_order) => Ok(Ordered { frame: in_order, order: None }),
            None => Ok(Ordered { frame: frame.clone(), order: order_of(frame, by)? }),
        }
    }

    pub(super) fn height(&self) -> usize {
        self.frame.height()
    }

    /// The rows of `range` in order (copied only when the frame is reordered).
    pub(super) fn rows(&self, range: Range<usize>) -> PolarsResult<DataFrame> {
        Ordered::rows_of(&self.frame, &self.order, range)
    }

    /// [`Ordered::rows`] with only the columns named.
    pub(super) fn rows_with(&self, range: Range<usize>, columns: &[&str]) -> PolarsResult<DataFrame> {
        Ordered::rows_of(&self.frame.select(columns.iter().copied())?, &self.order, range)
    }

    fn rows_of(frame: &DataFrame, order: &Option<IdxCa>, range: Range<usize>) -> PolarsResult<DataFrame> {
        match order {
            None => Ok(frame.slice(range.start as i64, range.len())),
            Some(order) => frame.take(&order.slice(range.start as i64, range.len())),
        }
    }

    /// One column in order.
    pub(super) fn column(&self, name: &str) -> PolarsResult<Column> {
        let column = self.frame.column(name)?;
        match &self.order {
            None => Ok(column.clone()),
            Some(order) => column.take(order),
        }
    }
}

/// The most rows out of place at the end of a frame that are put in their places by
/// [`with_tail_in_place`]: the packages an exceptions report adds (docs/rules.md §1.14)
/// come after the deliveries, usually a few hundred.
const MAX_TAIL: usize = 1 << 16;

/// The frame in order, without copying it: as it is when it is in order (most exports
/// are), or with the rows of its last chunk put in their places when only those are out of
/// place (the packages an exceptions report adds are appended as one chunk of at most
/// [`MAX_TAIL`] rows): the rest is not copied, the frame is its slices between them.
/// `None` when other rows are out of place: then the frame is read through an order.
fn with_tail_in_place(df: &DataFrame, by: OrderKey) -> PolarsResult<Option<DataFrame>> {
    let n = df.height();
    let tail = df.column(by.driver.name())?.as_materialized_series().chunks().last().map_or(0, |c| c.len());
    if tail == 0 || tail > MAX_TAIL || tail == n {
        return Ok(in_order(df, by)?.then(|| df.clone()));
    }
    let split = n - tail;
    let head = df.slice(0, split);
    if !in_order(&head, by)? {
        return Ok(None);
    }
    let keys = KeyAt::new(&head, by)?;
    // The last chunk read on from the head in order: the whole frame is.
    let unsorted = df.slice(split as i64, tail);
    if rows_in_order(&df.slice(split as i64 - 1, tail + 1), by)? {
        return Ok(Some(df.clone()));
    }
    let tail = sorted(&unsorted, by)?;
    let tail_keys = KeyAt::new(&tail, by)?;
    // Where each tail row goes: after every head row whose key is not greater (a later row
    // keeps its place after equal ones, as a stable sort keeps it).
    // Thousands of searches, then tens of columns cut: both shared out across the cores.
    let place = |i: usize| {
        let key = tail_keys.key(i);
        let (mut lo, mut hi) = (0, split);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if compare_keys(keys.key(mid), key).is_le() {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let failed = || PolarsError::ComputeError("a worker thread failed".into());
    let tail_rows: Vec<usize> = (0..tail.height()).collect();
    let places: Vec<usize> =
        crate::parallel::on_parts(&tail_rows, SHARED_TAIL, |rows| rows.iter().map(|&i| place(i)).collect::<Vec<_>>())
            .ok_or_else(failed)?
            .concat();
    let mut tail = tail;
    tail.rechunk_mut();
    let pairs: Vec<(&Column, &Column)> = df.columns().iter().zip(tail.columns()).collect();
    // The columns cut on every core too, when the tail is long enough to be worth it.
    let least = if places.len() < SHARED_TAIL { usize::MAX } else { 1 };
    let cut = |part: &[(&Column, &Column)]| {
        part.iter()
            .map(|(column, tail)| {
                spliced(column.as_materialized_series(), split, tail.as_materialized_series(), &places)
            })
            .collect::<PolarsResult<Vec<Column>>>()
    };
    let mut columns = Vec::with_capacity(pairs.len());
    for part in crate::parallel::on_parts(&pairs, least, cut).ok_or_else(failed)? {
        columns.extend(part?);
    }
    Ok(Some(DataFrame::new_infer_height(columns)?))
}

/// The fewest tail rows that [`with_tail_in_place`] places and splices on every core (a
/// few hundred are not worth a thread).
const SHARED_TAIL: usize = 1024;

/// One column of [`with_tail_in_place`]: the chunks of its first `split` rows cut where the
/// sorted tail's rows go (`places`, one per tail row, not decreasing), each tail row a
/// slice of `tail` between them. Only slices are made: no value is copied.
fn spliced(column: &Series, split: usize, tail: &Series, places: &[usize]) -> PolarsResult<Column> {
    let head = column.chunks();
    let tail_rows = tail.chunks().first().ok_or_else(|| PolarsError::NoData("an empty tail".into()))?;
    let mut chunks: Vec<ArrayRef> = Vec::with_capacity(head.len() + 2 * places.len());
    // The head chunk holding row `at` and its first row, moving forwards only.
    let (mut chunk, mut chunk_start) = (0usize, 0usize);
    let mut head_rows = |from: usize, to: usize, chunks: &mut Vec<ArrayRef>| {
        let mut at = from;
        while at < to {
            let Some(array) = head.get(chunk) else { break };
            let chunk_end = chunk_start + array.len();
            if at >= chunk_end {
                chunk += 1;
                chunk_start = chunk_end;
                continue;
            }
            let end = to.min(chunk_end);
            chunks.push(array.sliced(at - chunk_start, end - at));
            at = end;
        }
    };
    let mut from = 0;
    let mut i = 0;
    while i < places.len() {
        let at = places[i];
        let same = places[i..].iter().take_while(|&&p| p == at).count();
        head_rows(from, at, &mut chunks);
        chunks.push(tail_rows.sliced(i, same));
        from = at;
        i += same;
    }
    head_rows(from, split, &mut chunks);
    // SAFETY: every chunk is a slice of this column's own chunks or of its tail's, sorted
    // from the same column: one physical type, the column's.
    let series = unsafe { Series::from_chunks_and_dtype_unchecked(column.name().clone(), chunks, column.dtype()) };
    Ok(series.into_column())
}

/// A row's sort key: driver, time, id.
type Key<'a> = (Option<&'a str>, Option<i64>, Option<&'a str>);

fn compare_keys(a: Key, b: Key) -> std::cmp::Ordering {
    compare_texts(a.0, b.0).then(a.1.cmp(&b.1)).then_with(|| compare_texts(a.2, b.2))
}

/// The sort keys of a frame's rows, read one row at a time.
struct KeyAt<'a> {
    drivers: TextsAt<'a>,
    times: &'a Int64Chunked,
    ids: TextsAt<'a>,
}

/// A text column held as text or as categorical codes, read one row at a time.
enum TextsAt<'a> {
    Codes(&'a UInt32Chunked, &'a CategoricalMapping),
    Texts(&'a StringChunked),
}

impl<'a> TextsAt<'a> {
    fn new(column: &'a Column) -> PolarsResult<TextsAt<'a>> {
        Ok(match column.dtype() {
            DataType::Categorical(..) => {
                let ids = column.cat32()?;
                TextsAt::Codes(ids.physical(), ids.get_mapping())
            }
            _ => TextsAt::Texts(column.str()?),
        })
    }

    fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            TextsAt::Codes(codes, mapping) => codes.get(row).and_then(|c| mapping.cat_to_str(c)),
            TextsAt::Texts(texts) => texts.get(row),
        }
    }
}

impl<'a> KeyAt<'a> {
    fn new(df: &'a DataFrame, by: OrderKey) -> PolarsResult<KeyAt<'a>> {
        Ok(KeyAt {
            drivers: TextsAt::new(df.column(by.driver.name())?)?,
            times: df.column(by.time.name())?.datetime()?.physical(),
            ids: TextsAt::new(df.column(by.id.name())?)?,
        })
    }

    fn key(&self, row: usize) -> Key<'a> {
        (self.drivers.get(row), self.times.get(row), self.ids.get(row))
    }
}

/// Whether the rows are already in [`sorted`] order, told in one pass over the three
/// columns: exports are often listed by driver and time, and such a frame is not copied
/// (its columns stay in the chunks the import made; rows are only read in slices).
pub(super) fn in_order(df: &DataFrame, by: OrderKey) -> PolarsResult<bool> {
    crate::parallel::holds_in_parts(
        df.height(),
        |rows| rows_in_order(&df.slice(rows.start as i64, rows.len()), by),
        || Err(PolarsError::ComputeError("a worker thread failed".into())),
    )
}

/// [`in_order`] on one core.
pub(super) fn rows_in_order(df: &DataFrame, by: OrderKey) -> PolarsResult<bool> {
    let drivers = texts_of(df.column(by.driver.name())?)?;
    let times = df.column(by.time.name())?.datetime()?.physical().iter();
    let ids = texts_of(df.column(by.id.name())?)?;
    let mut rows = drivers.zip(times).zip(ids).map(|((driver, time), id)| (driver, time, id));
    let Some(mut previous) = rows.next() else { return Ok(true) };
    for row in rows {
        // Nulls sort first; equal keys keep their order, so ties are in order too.
        let order = compare_texts(row.0, previous.0)
            .then(row.1.cmp(&previous.1))
            .then_with(|| compare_texts(row.2, previous.2));
        if order.is_lt() {
            return Ok(false);
        }
        previous = row;
    }
    Ok(true)
}

/// Two texts in order, nulls first. A driver's rows share the text of one category: the
/// same text is found equal without comparing its bytes.
fn compare_texts(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) if std::ptr::eq(a, b) => std::cmp::Ordering::Equal,
        _ => a.cmp(&b),
    }
}

/// Ranges of equal values in a sorted column of ids (a missing value reads as "").
pub(super) fn runs(ids: &Column) -> PolarsResult<Vec<(&str, Range<usize>)>> {
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
        for (row, code) in col::values_by_chunk(ids.physical()).enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_appended_out_of_place_are_put_in_their_places() {
        let key = OrderKey { driver: TextColumn("driver_id"), time: InstantColumn("at"), id: TextColumn("id") };
        let frame = |rows: &[(&str, i64, &str)]| {
            let at = Int64Chunked::from_iter_options("at".into(), rows.iter().map(|r| Some(r.1)))
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_column();
            DataFrame::new_infer_height(vec![
                Column::new("driver_id".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
                at,
                Column::new("id".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            ])
            .unwrap()
        };
        let head = [("D1", 1, "a"), ("D1", 3, "b"), ("D2", 2, "c"), ("D3", 1, "d"), ("D3", 1, "f")];
        let tail = [("D3", 1, "e"), ("D0", 9, "z"), ("D1", 3, "b"), ("D9", 0, "y"), ("D1", 2, "x")];
        let mut df = frame(&head);
        df.vstack_mut_owned(frame(&tail)).unwrap();
        let ordered = Ordered::new(&df, key).unwrap();
        assert!(ordered.order.is_none(), "the last chunk merged in place");
        let stable = sorted(&df, key).unwrap();
        assert!(ordered.frame.equals_missing(&stable), "{:?}\n{:?}", ordered.frame, stable);
        // As codes too (each part cast on its own, as the import and the report's rows are).
        let as_codes = |mut part: DataFrame| {
            let codes = part.column("driver_id").unwrap().cast(&crate::import::repeated_text_dtype()).unwrap();
            part.with_column(codes).unwrap();
            part
        };
        let mut coded = as_codes(frame(&head));
        coded.vstack_mut_owned(as_codes(frame(&tail))).unwrap();
        let ordered = Ordered::new(&coded, key).unwrap();
        assert!(ordered.order.is_none());
        assert_eq!(ordered.frame.column("id").unwrap(), stable.column("id").unwrap());
        // A frame out of order throughout is read through an order, as before.
        let reversed = df.reverse();
        let through_order = Ordered::new(&reversed, key).unwrap();
        assert!(through_order.order.is_some(), "out of order throughout");
        let all = through_order.rows(0..reversed.height()).unwrap();
        assert_eq!(all.column("id").unwrap(), sorted(&reversed, key).unwrap().column("id").unwrap());
    }

    /// Property: a sorted head cut into chunks of any lengths (empty ones too), with a tail
    /// of rows anywhere appended as its last chunk, is put in order as a sort of the whole
    /// puts it, every column travelling with its rows.
    #[test]
    fn a_tail_spliced_into_a_head_of_many_chunks_is_what_a_sort_gives() {
        use proptest::prelude::*;
        let key = OrderKey { driver: TextColumn("driver_id"), time: InstantColumn("at"), id: TextColumn("id") };
        let frame = |rows: &[(u8, i64, u8)]| {
            let at = Int64Chunked::from_iter_options("at".into(), rows.iter().map(|r| Some(r.1)))
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_column();
            DataFrame::new_infer_height(vec![
                Column::new("driver_id".into(), rows.iter().map(|r| format!("D{}", r.0)).collect::<Vec<_>>()),
                at,
                Column::new("id".into(), rows.iter().map(|r| format!("{}", r.2)).collect::<Vec<_>>()),
                UInt32Chunked::from_iter_options(
                    "value".into(),
                    rows.iter().enumerate().map(|(i, r)| (i % 3 != 0).then_some(u32::from(r.2))),
                )
                .into_column(),
            ])
            .unwrap()
        };
        let row = (0u8..4, 0i64..5, 0u8..8);
        let cases = (
            proptest::collection::vec(row.clone(), 1..40),
            proptest::collection::vec(0usize..40, 0..5),
            proptest::collection::vec(row, 1..8),
        );
        proptest::test_runner::TestRunner::default()
            .run(&cases, |(head, mut cuts, tail)| {
                let head = sorted(&frame(&head), key).unwrap();
                cuts.push(0);
                cuts.push(head.height());
                cuts.iter_mut().for_each(|c| *c = (*c).min(head.height()));
                cuts.sort_unstable();
                let mut df = head.slice(0, 0);
                for w in cuts.windows(2) {
                    df.vstack_mut_owned(head.slice(w[0] as i64, w[1] - w[0])).unwrap();
                }
                df.vstack_mut_owned(frame(&tail)).unwrap();
                let ordered = Ordered::new(&df, key).unwrap();
                prop_assert!(ordered.order.is_none());
                let expected = sorted(&df, key).unwrap();
                prop_assert!(ordered.frame.equals_missing(&expected), "{:?}\n{:?}", ordered.frame, expected);
                Ok(())
            })
            .unwrap();
    }

    /// A tail long enough to be placed and spliced on every core, into a head of several
    /// chunks: what a sort of the whole gives, every column travelling with its rows.
    #[test]
    fn a_long_tail_shared_across_the_cores_is_what_a_sort_gives() {
        let key = OrderKey { driver: TextColumn("driver_id"), time: InstantColumn("at"), id: TextColumn("id") };
        // Rows spread over drivers and times by a fixed scramble of their index.
        let frame = |rows: std::ops::Range<u64>, salt: u64| {
            let scramble = |i: u64| (i.wrapping_mul(2_654_435_761) ^ salt) % 1_000_003;
            let rows: Vec<u64> = rows.map(scramble).collect();
            let at = Int64Chunked::from_iter_options("at".into(), rows.iter().map(|r| Some((r % 500) as i64)))
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_column();
            DataFrame::new_infer_height(vec![
                Column::new("driver_id".into(), rows.iter().map(|r| format!("D{}", r % 37)).collect::<Vec<_>>()),
                at,
                Column::new("id".into(), rows.iter().map(|r| format!("T{r}")).collect::<Vec<_>>()),
                UInt32Chunked::from_iter_options(
                    "value".into(),
                    rows.iter().map(|r| (r % 5 != 0).then_some(*r as u32)),
                )
                .into_column(),
            ])
            .unwrap()
        };
        let head = sorted(&frame(0..6000, 0), key).unwrap();
        let mut df = head.slice(0, 2500);
        df.vstack_mut_owned(head.slice(2500, 3500)).unwrap();
        let tail = frame(6000..6000 + 3 * SHARED_TAIL as u64, 77);
        df.vstack_mut_owned(tail).unwrap();
        let ordered = Ordered::new(&df, key).unwrap();
        assert!(ordered.order.is_none(), "the tail spliced in place");
        let expected = sorted(&df, key).unwrap();
        assert!(ordered.frame.equals_missing(&expected));
    }

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
        let key = OrderKey { driver: TextColumn("driver_id"), time: InstantColumn("at"), id: TextColumn("id") };
        let ours = sorted(&df, key).unwrap();
        let polars =
            df.sort(["driver_id", "at", "id"], SortMultipleOptions::default().with_maintain_order(true)).unwrap();
        assert_eq!(ours.column("row").unwrap(), polars.column("row").unwrap());
        let rows: Vec<u32> = ours.column("row").unwrap().u32().unwrap().into_no_null_iter().collect();
        assert_eq!(rows, [2, 6, 4, 1, 5, 3, 0, 7]);
        // Already in order (rows 0 and 7 tie): told in one pass, and the same rows back.
        assert!(!in_order(&df, key).unwrap());
        assert!(in_order(&ours, key).unwrap());
        let again = sorted(&ours, key).unwrap();
        assert_eq!(again.column("row").unwrap(), ours.column("row").unwrap());
        // Drivers held as categorical codes (one shared text per driver) are told in or
        // out of order as the same drivers held as text.
        let as_codes = |df: &DataFrame| {
            let mut df = df.clone();
            let codes = df.column("driver_id").unwrap().cast(&crate::import::repeated_text_dtype()).unwrap();
            df.with_column(codes).unwrap();
            df
        };
        assert!(!in_order(&as_codes(&df), key).unwrap());
        assert!(in_order(&as_codes(&ours), key).unwrap());
        let swapped = ours.take(&IdxCa::from_vec("order".into(), vec![0, 2, 1, 3, 4, 5, 6, 7])).unwrap();
        assert!(!in_order(&as_codes(&swapped), key).unwrap(), "D1's times 2 and 3 swapped");
        let tie_swapped = ours.take(&IdxCa::from_vec("order".into(), vec![0, 1, 3, 2, 4, 5, 6, 7])).unwrap();
        assert!(!in_order(&as_codes(&tie_swapped), key).unwrap(), "D1's ids y and z at time 3 swapped");
    }
}
