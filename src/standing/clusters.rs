//! docs/rules.md §8.1 ADDRESS_CLUSTER: DNR claims and access problems that gather at one
//! building whoever delivers there. Found once per fleet, over every package with an
//! address: the address, not the driver, is the problem.

use crate::config::Windows;
use crate::import::time::Day;
use polars_core::prelude::{InitHashMaps, PlHashMap};

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
/// many, the oldest event's. Each distinct address is read once, each distinct label kept
/// once.
fn most_written(events: &[Candidate]) -> String {
    let mut label_of_address: PlHashMap<&str, usize> = PlHashMap::new();
    let mut label_index: PlHashMap<String, usize> = PlHashMap::new();
    // The labels in the order their first event comes, with their events.
    let mut labels: Vec<String> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for event in events {
        let label = *label_of_address.entry(event.address.as_str()).or_insert_with(|| {
            let label = crate::import::address::building_label(&event.address);
            *label_index.entry(label.clone()).or_insert_with(|| {
                labels.push(label);
                counts.push(0);
                labels.len() - 1
            })
        });
        counts[label] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    counts.iter().position(|&count| count == most).and_then(|i| labels.get(i).cloned()).unwrap_or_default()
}

/// Each address's building key ([`crate::import::address::building_key`]), read on every
/// core: a fleet's claims and access problems are at thousands of addresses.
fn building_keys(addresses: &[&str]) -> Vec<String> {
    let part = addresses.len().div_ceil(crate::parallel::cores()).max(1 << 12);
    let parts: Vec<&[&str]> = addresses.chunks(part).collect();
    crate::parallel::map_on_threads(
        parts,
        |part| part.iter().map(|address| crate::import::address::building_key(address)).collect::<Vec<_>>(),
        // A failed thread's addresses are left out of every cluster, as if missing.
        Vec::new,
    )
    .into_iter()
    .flatten()
    .collect()
}

/// The candidates (by index) at each building with at least `least` of them, buildings in
/// key order, each building's in the candidates' order. Each distinct address is keyed
/// once: a building's events share few addresses.
fn by_building(candidates: &[Candidate], least: usize) -> Vec<Vec<usize>> {
    let mut address_index: PlHashMap<&str, usize> = PlHashMap::new();
    let mut addresses: Vec<&str> = Vec::new();
    let of_candidate: Vec<usize> = candidates
        .iter()
        .map(|c| {
            *address_index.entry(c.address.as_str()).or_insert_with(|| {
                addresses.push(c.address.as_str());
                addresses.len() - 1
            })
        })
        .collect();
    let keys = building_keys(&addresses);
    let mut building_index: PlHashMap<&str, usize> = PlHashMap::new();
    let mut buildings: Vec<&str> = Vec::new();
    let building_of_address: Vec<Option<usize>> = keys
        .iter()
        .map(|key| {
            (!key.is_empty()).then(|| {
                *building_index.entry(key.as_str()).or_insert_with(|| {
                    buildings.push(key.as_str());
                    buildings.len() - 1
                })
            })
        })
        .collect();
    let mut events: Vec<Vec<usize>> = vec![Vec::new(); buildings.len()];
    for (i, address) in of_candidate.into_iter().enumerate() {
        if let Some(building) = building_of_address.get(address).copied().flatten() {
            events[building].push(i);
        }
    }
    // Only a building with enough events can hold a cluster.
    let mut kept: Vec<(&str, Vec<usize>)> =
        buildings.into_iter().zip(events).filter(|(_, events)| events.len() >= least).collect();
    kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
    kept.into_iter().map(|(_, events)| events).collect()
}

/// The cluster among one building's events, if any; the rows of its events (with whether
/// each is in a case) are added to `rows`.
fn building_cluster(mut events: Vec<Candidate>, w: &Windows, rows: &mut Vec<(usize, bool)>) -> Option<AddressCluster> {
    let days = w.cluster_days as Day;
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
    let clustered: Vec<Candidate> = events.into_iter().zip(in_cluster).filter(|(_, c)| *c).map(|(e, _)| e).collect();
    if clustered.is_empty() {
        return None;
    }
    rows.extend(clustered.iter().map(|c| (c.row, c.in_case)));
    Some(AddressCluster {
        label: most_written(&clustered),
        events: clustered
            .into_iter()
            .map(|c| ClusterEvent {
                tracking_id: c.tracking_id,
                driver_id: c.driver_id,
                day: c.day,
                dnr: c.dnr,
                address: c.address,
            })
            .collect(),
    })
}

/// The fleet's clusters, and the rows (in the engine's package order) of the events in one,
/// each with whether it is already in a case.
/// An event is clustered when, counting itself, at least `cluster_events` candidates of at
/// least two drivers at its building fall within `cluster_days` days of its day. The result
/// does not depend on the order of the candidates.
pub(super) fn clusters(candidates: Vec<Candidate>, w: &Windows) -> (Vec<AddressCluster>, Vec<(usize, bool)>) {
    let buildings = by_building(&candidates, w.cluster_events as usize);
    let mut candidates: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    let groups: Vec<Vec<Candidate>> = buildings
        .into_iter()
        .map(|indices| indices.into_iter().filter_map(|i| candidates[i].take()).collect())
        .collect();
    // The buildings on every core, each part's clusters in the buildings' order.
    let part = groups.len().div_ceil(crate::parallel::cores()).max(64);
    let mut parts: Vec<Vec<Vec<Candidate>>> = Vec::new();
    let mut groups = groups.into_iter().peekable();
    while groups.peek().is_some() {
        parts.push(groups.by_ref().take(part).collect());
    }
    let mut found = Vec::new();
    let mut rows = Vec::new();
    for (part_found, part_rows) in crate::parallel::map_on_threads(
        parts,
        |part| {
            let mut found = Vec::new();
            let mut rows = Vec::new();
            for events in part {
                if let Some(cluster) = building_cluster(events, w, &mut rows) {
                    found.push(cluster);
                }
            }
            (found, rows)
        },
        // A failed thread's buildings show no cluster rather than stopping the fleet.
        || (Vec::new(), Vec::new()),
    ) {
        found.extend(part_found);
        rows.extend(part_rows);
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

    /// The label is the building as most of its events write it; among as many, as the
    /// oldest event writes it.
    #[test]
    fn a_cluster_is_labelled_as_most_of_its_addresses_write_the_building() {
        let label = crate::import::address::building_label;
        let short = "1200 Maple Ave Apt 1, Springfield, IL 62704";
        let long = "1200 Maple Avenue #2, Springfield, Illinois 62704";
        assert_ne!(label(short), label(long), "two ways of writing the building");
        let events = |addresses: &[&str]| -> Vec<Candidate> {
            addresses.iter().enumerate().map(|(i, address)| candidate(i, "D1", 100, address)).collect()
        };
        let long_again = "1200 Maple Avenue Apt 9, Springfield, Illinois 62704";
        assert_eq!(most_written(&events(&[short, long, long_again])), label(long));
        assert_eq!(most_written(&events(&[long, short, short])), label(short));
        assert_eq!(most_written(&events(&[short, long])), label(short), "a tie: the oldest event's");
        assert_eq!(most_written(&events(&[long, short])), label(long), "a tie: the oldest event's");
        assert_eq!(most_written(&[]), "");
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
