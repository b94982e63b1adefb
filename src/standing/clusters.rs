//! docs/rules.md §8.1 ADDRESS_CLUSTER: DNR claims and access problems that gather at one
//! building whoever delivers there. Found once per fleet, over every package with an
//! address: the address, not the driver, is the problem.

use crate::config::Windows;
use crate::import::time::Day;
use std::collections::BTreeMap;

/// A package event that counts towards a cluster (see [`super::grounds::cluster_candidate`]),
/// as the build finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Candidate {
    /// The package's row in the engine's package order.
    pub row: usize,
    pub tracking_id: String,
    pub driver_id: String,
    pub day: Day,
    pub dnr: bool,
    /// The address as written.
    pub address: String,
    /// Already in a recorded case.
    pub in_case: bool,
}

/// One event of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClusterEvent {
    pub tracking_id: String,
    pub driver_id: String,
    pub day: Day,
    /// A DNR claim (else an access problem: no access, no safe location, customer
    /// unavailable, business closed).
    pub dnr: bool,
    /// The address as written (with its unit).
    pub address: String,
}

/// A building where claims and access problems of several drivers gather.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AddressCluster {
    /// The building as people read it (the first address seen, without its unit).
    pub label: String,
    /// The clustered events, oldest first.
    pub events: Vec<ClusterEvent>,
}

impl AddressCluster {
    /// The drivers concerned, each once, in id order.
    pub fn drivers(&self) -> Vec<&str> {
        let mut drivers: Vec<&str> = self.events.iter().map(|e| e.driver_id.as_str()).collect();
        drivers.sort_unstable();
        drivers.dedup();
        drivers
    }

    pub fn claims(&self) -> usize {
        self.events.iter().filter(|e| e.dnr).count()
    }

    /// The first and last day of its events.
    pub fn days(&self) -> Option<(Day, Day)> {
        Some((self.events.first()?.day, self.events.last()?.day))
    }
}

/// The building as its addresses write it most often (without their units); among as
/// many, the oldest event's.
fn most_written(events: &[&Candidate]) -> String {
    let labels: Vec<String> = events.iter().map(|c| crate::import::address::building_label(&c.address)).collect();
    let mut best: Option<(usize, &String)> = None;
    for label in &labels {
        let count = labels.iter().filter(|l| *l == label).count();
        if best.is_none_or(|(n, _)| count > n) {
            best = Some((count, label));
        }
    }
    best.map(|(_, l)| l.clone()).unwrap_or_default()
}

/// The fleet's clusters, and the rows (in the engine's package order) of the events in one,
/// each with whether it is already in a case.
/// An event is clustered when, counting itself, at least `cluster_events` candidates of at
/// least two drivers at its building fall within `cluster_days` days of its day. The result
/// does not depend on the order of the candidates.
pub(super) fn clusters(candidates: Vec<Candidate>, w: &Windows) -> (Vec<AddressCluster>, Vec<(usize, bool)>) {
    let mut by_building: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for c in candidates {
        let key = crate::import::address::building_key(&c.address);
        if !key.is_empty() {
            by_building.entry(key).or_default().push(c);
        }
    }
    let mut found = Vec::new();
    let mut rows = Vec::new();
    let days = w.cluster_days as Day;
    for (_, mut events) in by_building {
        events.sort_by(|a, b| (a.day, &a.tracking_id).cmp(&(b.day, &b.tracking_id)));
        let mut in_cluster = vec![false; events.len()];
        let (mut first, mut last) = (0, 0);
        for (i, e) in events.iter().enumerate() {
            while events[first].day < e.day - days {
                first += 1;
            }
            while last + 1 < events.len() && events[last + 1].day <= e.day + days {
                last += 1;
            }
            let near = &events[first..=last];
            in_cluster[i] =
                near.len() >= w.cluster_events as usize && near.iter().any(|n| n.driver_id != near[0].driver_id);
        }
        let clustered: Vec<&Candidate> = events.iter().zip(&in_cluster).filter(|(_, c)| **c).map(|(e, _)| e).collect();
        if clustered.is_empty() {
            continue;
        }
        rows.extend(clustered.iter().map(|c| (c.row, c.in_case)));
        found.push(AddressCluster {
            label: most_written(&clustered),
            events: clustered
                .iter()
                .map(|c| ClusterEvent {
                    tracking_id: c.tracking_id.clone(),
                    driver_id: c.driver_id.clone(),
                    day: c.day,
                    dnr: c.dnr,
                    address: c.address.clone(),
                })
                .collect(),
        });
    }
    rows.sort_unstable();
    // Most events first: the buildings a manager looks at first.
    found.sort_by(|a, b| b.events.len().cmp(&a.events.len()).then_with(|| a.label.cmp(&b.label)));
    (found, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn candidate(row: usize, driver: &str, day: Day, address: &str) -> Candidate {
        Candidate {
            row,
            tracking_id: format!("T{row}"),
            driver_id: driver.to_string(),
            day,
            dnr: true,
            address: address.to_string(),
            in_case: false,
        }
    }

    #[test]
    fn a_cluster_needs_three_events_of_two_drivers_within_thirty_days() {
        let w = Windows::default();
        let building = |unit: u32| format!("1200 Maple Ave Apt {unit}, Springfield, IL 62704");
        // Three claims of two drivers in 30 days: all clustered.
        let (found, rows) = clusters(
            vec![
                candidate(0, "D1", 100, &building(1)),
                candidate(1, "D2", 110, &building(2)),
                candidate(2, "D1", 130, &building(3)),
                candidate(3, "D3", 100, "9 Elm St"),
            ],
            &w,
        );
        assert_eq!(rows, [(0, false), (1, false), (2, false)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, "1200 Maple Ave, Springfield, IL 62704");
        assert_eq!((found[0].claims(), found[0].drivers()), (3, vec!["D1", "D2"]));
        assert_eq!(found[0].days(), Some((100, 130)));
        // One driver alone is not a cluster, however many claims.
        let one = (0..5).map(|i| candidate(i, "D1", 100 + i as Day, &building(1))).collect();
        assert!(clusters(one, &w).1.is_empty());
        // The ends 31 days apart: the middle one has all three within 30 days of it; each
        // end has only itself and the middle one.
        let (found, rows) = clusters(
            vec![
                candidate(0, "D1", 100, &building(1)),
                candidate(1, "D2", 120, &building(1)),
                candidate(2, "D1", 131, &building(1)),
            ],
            &w,
        );
        assert_eq!(rows, [(1, false)]);
        assert_eq!(found[0].events.len(), 1);
        let (_, rows) = clusters(
            vec![
                candidate(0, "D1", 100, &building(1)),
                candidate(1, "D2", 131, &building(1)),
                candidate(2, "D1", 162, &building(1)),
            ],
            &w,
        );
        assert!(rows.is_empty(), "no day has three events within 30 days of it");
    }

    /// The rule read literally, for every event against every other.
    fn naive(list: &[Candidate], w: &Windows) -> Vec<usize> {
        let key = |c: &Candidate| crate::import::address::building_key(&c.address);
        let mut rows: Vec<usize> = list
            .iter()
            .filter(|e| {
                let near: Vec<&Candidate> = list
                    .iter()
                    .filter(|c| key(c) == key(e) && (c.day - e.day).abs() <= w.cluster_days as Day)
                    .collect();
                let mut drivers: Vec<&str> = near.iter().map(|c| c.driver_id.as_str()).collect();
                drivers.sort_unstable();
                drivers.dedup();
                !key(e).is_empty() && near.len() >= w.cluster_events as usize && drivers.len() >= 2
            })
            .map(|e| e.row)
            .collect();
        rows.sort_unstable();
        rows
    }

    proptest! {
        #[test]
        fn shuffling_the_rows_never_changes_what_is_clustered(
            events in proptest::collection::vec((0u8..4, 0i32..90, 0u8..3, 0u8..5), 0..40),
            seed in any::<u64>(),
        ) {
            let w = Windows::default();
            let list: Vec<Candidate> = events
                .iter()
                .enumerate()
                .map(|(i, (driver, day, building, unit))| {
                    candidate(i, &format!("D{driver}"), *day, &format!("{building} Oak St Unit {unit}"))
                })
                .collect();
            let mut shuffled = list.clone();
            // A fixed permutation from the seed.
            let n = shuffled.len();
            for i in (1..n).rev() {
                let j = (seed.rotate_left(i as u32) % (i as u64 + 1)) as usize;
                shuffled.swap(i, j);
            }
            let model = naive(&list, &w);
            let (a, rows_a) = clusters(list, &w);
            let (b, rows_b) = clusters(shuffled, &w);
            prop_assert_eq!(&rows_a, &rows_b);
            prop_assert_eq!(a, b);
            prop_assert_eq!(rows_a.into_iter().map(|(row, _)| row).collect::<Vec<_>>(), model);
        }
    }
}
