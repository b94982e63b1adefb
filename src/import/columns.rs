//! The columns of the validated frames, each named once here with the type its cells are
//! read as: the import writes them, the engine, the workspace and the app read them
//! through these, never through a name typed again.

use super::texts_of;
use super::time::Day;
use polars_core::prelude::*;

/// A column of texts (held as strings or as categorical codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextColumn(pub &'static str);

/// A column of instants (milliseconds since the epoch, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstantColumn(pub &'static str);

/// A column of calendar days in the fleet's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayColumn(pub &'static str);

/// A column of small whole numbers (codes, counts, line numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberColumn(pub &'static str);

/// A column of decimal numbers (a scorecard's metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueColumn(pub &'static str);

/// A column of yes/no flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagColumn(pub &'static str);

impl TextColumn {
    /// The texts of the column, `None` for a missing cell.
    pub fn read<'a>(&self, frame: &'a DataFrame) -> PolarsResult<Vec<Option<&'a str>>> {
        Ok(texts_of(frame.column(self.0)?)?.collect())
    }
}

impl InstantColumn {
    pub fn read(&self, frame: &DataFrame) -> PolarsResult<Vec<Option<i64>>> {
        Ok(frame.column(self.0)?.datetime()?.physical().iter().collect())
    }
}

impl DayColumn {
    pub fn read(&self, frame: &DataFrame) -> PolarsResult<Vec<Option<Day>>> {
        Ok(frame.column(self.0)?.date()?.physical().iter().collect())
    }
}

impl NumberColumn {
    pub fn read(&self, frame: &DataFrame) -> PolarsResult<Vec<Option<u32>>> {
        Ok(frame.column(self.0)?.u32()?.iter().collect())
    }
}

impl ValueColumn {
    pub fn read(&self, frame: &DataFrame) -> PolarsResult<Vec<Option<f64>>> {
        Ok(frame.column(self.0)?.f64()?.iter().collect())
    }
}

impl FlagColumn {
    pub fn read(&self, frame: &DataFrame) -> PolarsResult<Vec<Option<bool>>> {
        Ok(frame.column(self.0)?.bool()?.iter().collect())
    }
}

/// Each chunk's first row and, last, the end of the rows: chunk `i` holds rows
/// `starts[i]..starts[i + 1]`.
pub fn chunk_starts(lengths: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut starts = vec![0];
    for len in lengths {
        starts.push(starts.last().copied().unwrap_or(0) + len);
    }
    starts
}

/// The values of a numeric column, chunk by chunk: one iterator over millions of rows of
/// many chunks costs several times more.
pub fn values_by_chunk<T: PolarsNumericType>(ca: &ChunkedArray<T>) -> impl Iterator<Item = Option<T::Native>> + '_ {
    ca.downcast_iter().flat_map(|chunk| chunk.iter().map(|value| value.copied()))
}

macro_rules! named {
    ($($ty:ident),*) => {$(
        impl $ty {
            pub const fn name(&self) -> &'static str {
                self.0
            }
        }
    )*};
}
named!(TextColumn, InstantColumn, DayColumn, NumberColumn, FlagColumn, ValueColumn);

// Blocks, deliveries and the roster.
pub const DRIVER_ID: TextColumn = TextColumn("driver_id");
pub const DRIVER_NAME: TextColumn = TextColumn("driver_name");
pub const BLOCK_ID: TextColumn = TextColumn("block_id");
pub const STATION: TextColumn = TextColumn("station");
/// The calendar day of a block's start or a package's deadline.
pub const DAY: DayColumn = DayColumn("day");
/// The physical line a row starts on in its file.
pub const LINE: NumberColumn = NumberColumn("line");

// Blocks.
pub const BLOCK_START: InstantColumn = InstantColumn("block_start");
pub const BLOCK_END: InstantColumn = InstantColumn("block_end");
pub const CHECKED_IN_AT: InstantColumn = InstantColumn("checked_in_at");
pub const CANCELLED_AT: InstantColumn = InstantColumn("cancelled_at");
pub const DEPARTED_AT: InstantColumn = InstantColumn("departed_at");

// Deliveries.
pub const TRACKING_ID: TextColumn = TextColumn("tracking_id");
pub const DELIVER_BY: InstantColumn = InstantColumn("deliver_by");
pub const ATTEMPTED_AT: InstantColumn = InstantColumn("attempted_at");
/// The outcome's code ([`super::codes::Outcome::number`]).
pub const OUTCOME: NumberColumn = NumberColumn("outcome");
/// The reason as written in the export.
pub const REASON: TextColumn = TextColumn("reason");
/// The reason's code ([`super::codes::Reason::number`]).
pub const REASON_CODE: NumberColumn = NumberColumn("reason_code");
pub const RETURNED_AT: InstantColumn = InstantColumn("returned_at");
pub const DNR: FlagColumn = FlagColumn("dnr");
pub const DNR_REPORTED_AT: InstantColumn = InstantColumn("dnr_reported_at");
/// The day of a DNR claim: its report, else the package's day; missing without a claim.
pub const DNR_DAY: DayColumn = DayColumn("dnr_day");
pub const CONTACT_ATTEMPTS: NumberColumn = NumberColumn("contact_attempts");
pub const PHOTO: TextColumn = TextColumn("photo");
/// Whether `photo` lists a photo ([`super::codes::photo_paths`]): only in an import of
/// [`super::Detail::Tallies`], which keeps this instead of the paths.
pub const HAS_PHOTO: FlagColumn = FlagColumn("has_photo");
pub const NOTES: TextColumn = TextColumn("notes");
/// The delivery address as written (docs/rules.md §1.13); also on exceptions rows.
pub const ADDRESS: TextColumn = TextColumn("address");
/// `Pickup failed`: the package was never handed to the driver (STATION_MISSING).
pub const PICKUP_FAILED: FlagColumn = FlagColumn("pickup_failed");

// The roster.
pub const EMAIL: TextColumn = TextColumn("email");
pub const DEACTIVATED: FlagColumn = FlagColumn("deactivated");
pub const DEACTIVATED_ON: DayColumn = DayColumn("deactivated_on");

// Outages.
pub const START: InstantColumn = InstantColumn("start");
pub const END: InstantColumn = InstantColumn("end");
pub const DESCRIPTION: TextColumn = TextColumn("description");

// Concessions (Amazon's DNR concessions report).
pub const CONCESSION_DATE: InstantColumn = InstantColumn("concession_date");
/// The report's flags ([`super::codes::ConcessionFlags`]): on a concession row, and on a
/// delivery once a concession marks it (missing on a package without one).
pub const CONCESSION: NumberColumn = NumberColumn("concession");
pub const DELIVERY_TYPE: TextColumn = TextColumn("delivery_type");
/// When the conceded package was delivered (the newer report's `Delivery Date`).
pub const DELIVERED_AT: InstantColumn = InstantColumn("delivered_at");
/// Whether the concession counts against DSB (kept as the report says it).
pub const IMPACTS_DSB: FlagColumn = FlagColumn("impacts_dsb");

// Exceptions (Amazon's package exceptions and RTS reports, docs/rules.md §1.14); also
// tracking_id, driver_id, driver_name, station, address, outcome, reason, reason_code,
// deliver_by, pickup_failed and notes as above.
pub const ROUTE: TextColumn = TextColumn("route");
/// `Time of last scan`.
pub const SCANNED_AT: InstantColumn = InstantColumn("scanned_at");
/// `Returned to station`: the last scan is the package's return.
pub const RETURNED: FlagColumn = FlagColumn("returned");
/// False when the row does not count (`Impact DCR` no, or an exemption).
pub const COUNTS: FlagColumn = FlagColumn("counts");
/// Amazon's `Exemption Reason`, as written.
pub const EXEMPTION: TextColumn = TextColumn("exemption");
/// On a delivery without an address of its own that an exceptions row updated: that row
/// of the exceptions, whose address is the package's. The report's addresses are not
/// copied into the deliveries' `address`: a text column of millions of mostly missing rows
/// costs 16 bytes a row, this 4.
pub const REPORT_ADDRESS: NumberColumn = NumberColumn("report_address");

// Observed tiers: numbers of [`super::codes::tier_number`].
pub const DATE: DayColumn = DayColumn("date");
pub const OVERALL_TIER: NumberColumn = NumberColumn("overall_tier");
pub const RELIABILITY_TIER: NumberColumn = NumberColumn("reliability_tier");
pub const QUALITY_TIER: NumberColumn = NumberColumn("quality_tier");

// Scorecards (SPEC §7.1); also driver_id, driver_name, overall_tier (a scorecard tier's
// code), and a value and tier column per metric, named by the metric's key.
/// The week as `year × 100 + number` (`202617`); missing until the file's week fills it.
pub const WEEK: NumberColumn = NumberColumn("week");
/// A week cell that gave only the number: the year comes from elsewhere.
pub const WEEK_NUMBER: NumberColumn = NumberColumn("week_number");
pub const YEAR: NumberColumn = NumberColumn("year");
pub const DELIVERED: ValueColumn = ValueColumn("delivered");
pub const OVERALL_SCORE: ValueColumn = ValueColumn("overall_score");
/// The row's key: driver and week (a week imported again replaces the DA's row).
pub const DA_WEEK: TextColumn = TextColumn("da_week");
