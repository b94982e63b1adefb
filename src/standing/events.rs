//! The events counting against a driver in the current windows, with what letters and
//! the driver view cite: the package's facts, the outage, the carrying block.

use super::grounds::{self, CarrierBlock, Defects, Grounds, Outage, PackageFacts};
use super::rules::Miss;
use super::{EventRef, EventSide, Fleet};
use crate::import::columns as col;
use crate::import::time::Day;
use polars_core::prelude::*;
use std::collections::{HashMap, HashSet};

/// What an event is: a missed block or a defective package, with what belongs to each.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Block { miss: Miss, checked_in_at: Option<i64>, cancelled_at: Option<i64> },
    Package { defects: Defects, detail: Box<PackageDetail> },
}

/// The package side of an event, with what the letters cite.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageDetail {
    pub facts: PackageFacts,
    pub reason_text: Option<String>,
    pub photos: Vec<String>,
    pub notes: Option<String>,
    pub returned_at: Option<i64>,
    pub dnr_reported_at: Option<i64>,
    /// The block that carried the package, by id, and its start and departure when known.
    pub block_id: Option<String>,
    pub carrier: Option<CarrierBlock>,
    /// The delivery address as written, when the exports give one.
    pub address: Option<String>,
    /// The address cluster the event is in (ADDRESS_CLUSTER).
    pub cluster: Option<ClusterSummary>,
}

/// An address cluster as a letter names it: the building once, its events and drivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSummary {
    pub label: String,
    /// Claims and access problems in the cluster.
    pub events: usize,
    pub claims: usize,
    pub drivers: usize,
    /// The days of its first and last events.
    pub first_day: Day,
    pub last_day: Day,
}

/// One event counting against a driver's standing (docs/rules.md §8.1).
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
    /// A block's station; a package's is that of the block that carried it.
    pub station: Option<String>,
    /// The outage the event fell in, when OUTAGE applies.
    pub outage: Option<Outage>,
    /// Already in a recorded case (disputed or being disputed).
    pub in_case: bool,
}

impl Event {
    /// Has a dispute ground and is not already in a case (DISPUTABLE, docs/rules.md §5).
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

    /// The package's details, for a package event.
    pub fn package(&self) -> Option<&PackageDetail> {
        match &self.what {
            EventKind::Package { detail, .. } => Some(detail),
            EventKind::Block { .. } => None,
        }
    }

    /// The block: a missed block's own id, a package's carrying block.
    pub fn block_id(&self) -> Option<&str> {
        match &self.what {
            EventKind::Block { .. } => Some(&self.id),
            EventKind::Package { detail, .. } => detail.block_id.as_deref(),
        }
    }

    /// The block that carried a package, when known.
    pub fn carrier(&self) -> Option<CarrierBlock> {
        self.package().and_then(|p| p.carrier)
    }
}

impl Fleet {
    /// The events counting against the driver on `as_of` (docs/rules.md §8.1): misses in
    /// the reliability window, defective packages in the quality window, oldest first.
    pub fn events(&self, driver: usize, as_of: Day) -> PolarsResult<Vec<Event>> {
        let d = &self.drivers[driver];
        let (b, p) = self.window_ends(d, as_of);
        let mut events = Vec::new();
        let bw = self.block_window(d, b);
        if !bw.is_empty() {
            let frame = self.blocks.frame.slice(bw.start as i64, bw.len());
            let ids = col::BLOCK_ID.read(&frame)?;
            let starts = col::BLOCK_START.read(&frame)?;
            let stations = col::STATION.read(&frame)?;
            let checked = col::CHECKED_IN_AT.read(&frame)?;
            let cancelled = col::CANCELLED_AT.read(&frame)?;
            for (i, row) in bw.clone().enumerate() {
                let Some(miss) = self.blocks.miss[row] else { continue };
                events.push(Event {
                    driver_id: d.id.clone(),
                    id: ids[i].unwrap_or("").to_string(),
                    day: self.blocks.day[row],
                    time: starts[i].unwrap_or(0),
                    what: EventKind::Block { miss, checked_in_at: checked[i], cancelled_at: cancelled[i] },
                    grounds: self.blocks.grounds[row],
                    station: stations[i].map(str::to_string),
                    outage: None,
                    in_case: self.cases.contains(EventSide::Block, ids[i].unwrap_or("")),
                });
            }
        }
        let pw = self.package_window(d, p);
        if !pw.is_empty() {
            // In one chunk: the addresses are read by row.
            let mut frame = self.packages.frame.rows(pw.clone())?;
            frame.rechunk_mut();
            let facts: Vec<PackageFacts> = super::rows::package_facts(&frame)?;
            let ids = col::TRACKING_ID.read(&frame)?;
            let blocks = col::BLOCK_ID.read(&frame)?;
            let reasons = col::REASON.read(&frame)?;
            let photos = col::PHOTO.read(&frame)?;
            let notes = col::NOTES.read(&frame)?;
            let returned = col::RETURNED_AT.read(&frame)?;
            let reported = col::DNR_REPORTED_AT.read(&frame)?;
            let report = super::rows::one_array(&self.packages.report_addresses)?;
            let addresses = super::rows::PackageAddresses::new(&frame, report)?;
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
                    what: EventKind::Package {
                        defects,
                        detail: Box::new(PackageDetail {
                            facts: f,
                            reason_text: reasons[i].map(str::to_string),
                            photos: photos[i]
                                .map(|p| grounds::photo_paths(p).map(str::to_string).collect())
                                .unwrap_or_default(),
                            notes: notes[i].map(str::to_string),
                            returned_at: returned[i],
                            dnr_reported_at: reported[i],
                            block_id: blocks[i].map(str::to_string),
                            carrier: None,
                            address: addresses.get(i).map(str::to_string),
                            cluster: self.packages.grounds[row]
                                .contains(Grounds::ADDRESS_CLUSTER)
                                .then(|| self.cluster_of(ids[i].unwrap_or("")))
                                .flatten()
                                .map(|c| ClusterSummary {
                                    label: c.label.clone(),
                                    events: c.events.len(),
                                    claims: c.claims(),
                                    drivers: c.drivers().len(),
                                    first_day: c.days().map_or(0, |d| d.0),
                                    last_day: c.days().map_or(0, |d| d.1),
                                }),
                        }),
                    },
                    grounds: self.packages.grounds[row],
                    station: None,
                    outage: None,
                    in_case: self.cases.contains(EventSide::Package, ids[i].unwrap_or("")),
                });
            }
        }
        // Details the letters cite: the outage and the carrying block.
        let carriers = self.carrier_blocks(events.iter().filter_map(|e| e.package()?.block_id.as_deref()))?;
        for e in &mut events {
            if let EventKind::Package { detail, .. } = &mut e.what
                && let Some((carrier, station)) = detail.block_id.as_deref().and_then(|b| carriers.get(b))
            {
                detail.carrier = Some(*carrier);
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
        for (((id, start), departed_at), station) in col::BLOCK_ID
            .read(frame)?
            .into_iter()
            .zip(col::BLOCK_START.read(frame)?)
            .zip(col::DEPARTED_AT.read(frame)?)
            .zip(col::STATION.read(frame)?)
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
