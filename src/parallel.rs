//! Work shared out across the cores on scoped threads, for the core modules (imports,
//! standing, reports, letters): one place that starts the threads, keeps the results in
//! order and turns a panicking thread into an error instead of a crash.

/// How many cores to share work across.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `work` applied to every item, each on its own thread (a single item on this one), the
/// results in the items' order; an item whose work panicked gives `failed()`.
pub fn map_on_threads<I: Send, T: Send>(items: Vec<I>, work: impl Fn(I) -> T + Sync, failed: impl Fn() -> T) -> Vec<T> {
    if items.len() <= 1 {
        return items.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.into_iter().map(|item| scope.spawn(move || work(item))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| failed())).collect()
    })
}

/// `items` cut into one run of neighbouring items per core (a single run, on this thread,
/// when there are fewer than `least`), `work` applied to each run on its own thread; the
/// runs' results in the items' order, or `None` when a run's thread failed.
pub fn on_parts<I: Sync, T: Send>(items: &[I], least: usize, work: impl Fn(&[I]) -> T + Sync) -> Option<Vec<T>> {
    let parts = if items.len() < least { 1 } else { cores() };
    let share = items.len().div_ceil(parts).max(1);
    map_on_threads(items.chunks(share).collect(), |run| Some(work(run)), || None).into_iter().collect()
}

/// `side` on a thread of its own named `name` while `main` runs on this one, for work
/// that leaves a core idle beside `main` (`side` runs here, after `main`, when no thread
/// can start). A `side` that panicked gives `failed()`.
pub fn beside<S: Send, M>(
    name: &str,
    side: impl FnOnce() -> S + Send,
    main: impl FnOnce() -> M,
    failed: impl FnOnce() -> S,
) -> (S, M) {
    // Taken by the thread that runs it: the new thread, or this one if none started.
    let side = std::sync::Mutex::new(Some(side));
    let take = || side.lock().ok().and_then(|mut s| s.take());
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().name(name.into()).spawn_scoped(scope, || take().map(|side| side()));
        let main = main();
        let side = match thread {
            Ok(handle) => handle.join().ok().flatten(),
            Err(_) => take().map(|side| side()),
        };
        (side.unwrap_or_else(failed), main)
    })
}

/// Whether `holds` is true of every part of `0..len`, cut into one part per core (for
/// long runs). The parts overlap by one item, so that a check of each item against the
/// one before also covers the cuts.
pub fn holds_in_parts<E: Send>(
    len: usize,
    holds: impl Fn(std::ops::Range<usize>) -> Result<bool, E> + Sync,
    failed: impl Fn() -> Result<bool, E> + Sync,
) -> Result<bool, E> {
    let parts = cores().min(len.div_ceil(1 << 16)).max(1);
    let step = len.div_ceil(parts);
    let ranges = (0..parts).map(|i| (i * step).saturating_sub(1)..((i + 1) * step).min(len)).collect();
    for part in map_on_threads(ranges, holds, failed) {
        if !part? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_and_a_panic_becomes_the_failure_value() {
        let squares = map_on_threads((0..7u64).collect(), |x| Some(x * x), || None);
        assert_eq!(squares, (0..7u64).map(|x| Some(x * x)).collect::<Vec<_>>());
        let one = map_on_threads(vec![3], |x: i32| Ok::<i32, String>(x), || Err("failed".into()));
        assert_eq!(one, [Ok(3)]);
        let panicked = map_on_threads(
            vec![1, 2],
            |x: i32| if x == 2 { panic!("boom") } else { Ok(x) },
            || Err("a worker thread failed".to_string()),
        );
        assert_eq!(panicked, [Ok(1), Err("a worker thread failed".to_string())]);
    }

    #[test]
    fn parts_are_runs_in_order_and_a_panic_is_none() {
        let items: Vec<u32> = (0..1000).collect();
        let sums = on_parts(&items, 10, |run| run.to_vec()).unwrap();
        assert_eq!(sums.concat(), items, "the runs in order, every item once");
        assert_eq!(sums.len(), cores().min(items.len()));
        assert_eq!(on_parts(&items, 2000, |run| run.len()), Some(vec![1000]), "fewer than `least`: one run");
        assert_eq!(on_parts(&[] as &[u32], 1, |run| run.len()), Some(vec![]));
        if cores() > 1 {
            assert_eq!(on_parts(&items, 1, |run| if run[0] == 0 { panic!("boom") } else { run.len() }), None);
        }
    }

    #[test]
    fn beside_gives_both_results_and_a_panic_on_the_side_becomes_the_failure_value() {
        let on_the_side = |name: &str| std::thread::current().name().map(str::to_string) == Some(name.to_string());
        let (side, main) = beside("standwatch-test-side", || on_the_side("standwatch-test-side"), || 7, || false);
        assert!(side, "the side work runs on its named thread");
        assert_eq!(main, 7);
        let (side, main) =
            beside("standwatch-test-side", || -> Result<u8, &str> { panic!("boom") }, || 8, || Err("failed"));
        assert_eq!((side, main), (Err("failed"), 8));
    }

    #[test]
    fn parts_overlap_so_that_every_neighbouring_pair_is_checked() {
        let ascending = |values: &[u32]| {
            holds_in_parts(values.len(), |r| Ok::<bool, ()>(values[r].is_sorted()), || Err(())).unwrap()
        };
        let mut values: Vec<u32> = (0..300_000).collect();
        assert!(ascending(&values));
        // Out of order only across each possible cut between two parts.
        for at in [1, 65_536, 150_000, 299_999] {
            values.swap(at - 1, at);
            assert!(!ascending(&values), "{at}");
            values.swap(at - 1, at);
        }
        assert!(ascending(&[]));
        assert!(ascending(&[7]));
    }
}
