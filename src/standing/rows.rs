//! Reading a fact frame row by row: numeric, boolean, photo, address and block-id columns
//! held in one chunk each. Millions of rows are read this way when a fleet is built.

use super::grounds::{self, PackageFacts};
use super::rules::package_on_time;
use crate::import::codes::{ConcessionFlags, Outcome, Reason};
use crate::import::columns as col;
use polars_arrow::array::{Array, Utf8ViewArray};
use polars_arrow::bitmap::Bitmap;
use polars_arrow::types::NativeType;
use polars_core::prelude::*;

/// The address, driver and day columns of a run of rows (each in one chunk), when some
/// package has an address; drivers are looked up only for the rows that need them.
pub(super) struct Addresses<'a> {
    address: PackageAddresses<'a>,
    drivers: Texts<'a>,
    day: Numbers<'a, i32>,
}

/// The addresses of a run of rows (each column in one chunk): a package's own, else the
/// one its exceptions row gives ([`col::REPORT_ADDRESS`]; `report`: the exceptions'
/// addresses, in one chunk).
pub(super) struct PackageAddresses<'a> {
    own: Texts<'a>,
    report: Option<(Numbers<'a, u32>, &'a Utf8ViewArray)>,
}

impl<'a> PackageAddresses<'a> {
    pub(super) fn new(frame: &'a DataFrame, report: Option<&'a Utf8ViewArray>) -> PolarsResult<PackageAddresses<'a>> {
        let own = match frame.column(col::ADDRESS.name()) {
            Ok(address) => Texts::of(address)?,
            Err(_) => Texts::Plain(None),
        };
        let report = match (frame.column(col::REPORT_ADDRESS.name()), report) {
            (Ok(rows), Some(texts)) => Some((Numbers::of(rows.u32()?)?, texts)),
            _ => None,
        };
        Ok(PackageAddresses { own, report })
    }

    /// The address as written (blank when it is blank).
    pub(super) fn get(&self, row: usize) -> Option<&'a str> {
        self.own.get(row).or_else(|| {
            let (rows, texts) = self.report.as_ref()?;
            let at = rows.get(row)? as usize;
            (at < texts.len() && texts.is_valid(at)).then(|| texts.value(at))
        })
    }
}

/// A text column in one chunk, held as categorical codes or as text, read by row.
pub(super) enum Texts<'a> {
    Codes(Numbers<'a, u32>, &'a CategoricalMapping),
    Plain(Option<&'a Utf8ViewArray>),
}

impl<'a> Texts<'a> {
    pub(super) fn of(column: &'a Column) -> PolarsResult<Texts<'a>> {
        Ok(match column.dtype() {
            DataType::Categorical(..) => {
                let codes = column.cat32()?;
                Texts::Codes(Numbers::of(codes.physical())?, codes.get_mapping())
            }
            _ => Texts::Plain(one_array(column.str()?)?),
        })
    }

    pub(super) fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            Texts::Codes(codes, mapping) => codes.get(row).and_then(|c| mapping.cat_to_str(c)),
            Texts::Plain(texts) => texts.filter(|t| row < t.len() && t.is_valid(row)).map(|t| t.value(row)),
        }
    }

    /// A row's text as a key to compare from row to row: the code alone when the texts
    /// are codes (no text looked up).
    pub(super) fn key(&self, row: usize) -> Option<TextKey<'a>> {
        match self {
            Texts::Codes(codes, _) => codes.get(row).map(TextKey::Code),
            Texts::Plain(_) => self.get(row).map(TextKey::Text),
        }
    }

    /// The text of a [`Texts::key`].
    pub(super) fn text(&self, key: TextKey<'a>) -> Option<&'a str> {
        match (self, key) {
            (Texts::Codes(_, mapping), TextKey::Code(code)) => mapping.cat_to_str(code),
            (_, TextKey::Text(text)) => Some(text),
            _ => None,
        }
    }
}

impl<'a> Addresses<'a> {
    pub(super) fn new(frame: &'a DataFrame, report: Option<&'a Utf8ViewArray>) -> PolarsResult<Option<Addresses<'a>>> {
        let (Ok(_), Ok(day), Ok(driver)) =
            (frame.column(col::ADDRESS.name()), frame.column(col::DAY.name()), frame.column(col::DRIVER_ID.name()))
        else {
            return Ok(None);
        };
        Ok(Some(Addresses {
            address: PackageAddresses::new(frame, report)?,
            drivers: Texts::of(driver)?,
            day: Numbers::of(day.date()?.physical())?,
        }))
    }

    pub(super) fn address(&self, row: usize) -> Option<&'a str> {
        self.address.get(row).filter(|a| !a.trim().is_empty())
    }

    pub(super) fn driver(&self, row: usize) -> Option<&'a str> {
        self.drivers.get(row)
    }

    pub(super) fn day(&self, row: usize) -> i32 {
        self.day.get(row).unwrap_or(0)
    }
}

/// Every package's facts, in the frame's order.
pub(super) fn package_facts(frame: &DataFrame) -> PolarsResult<Vec<PackageFacts>> {
    let mut frame = frame.clone();
    frame.rechunk_mut();
    let columns = FactColumns::new(&frame)?;
    Ok((0..frame.height()).map(|row| columns.facts(row)).collect())
}

/// The one array of a column held in one chunk (`None` for a column without chunks).
pub(super) fn one_array<T: PolarsDataType>(ca: &ChunkedArray<T>) -> PolarsResult<Option<&T::Array>> {
    let mut arrays = ca.downcast_iter();
    match (arrays.next(), arrays.next()) {
        (array, None) => Ok(array),
        _ => Err(PolarsError::ComputeError(format!("column {} is in more than one chunk", ca.name()).into())),
    }
}

/// A numeric column in one chunk, read by row: millions of rows are read this way, and
/// zipped chunked iterators cost several times more.
pub(super) struct Numbers<'a, T> {
    values: &'a [T],
    validity: Option<&'a Bitmap>,
}

impl<'a, T: NativeType> Numbers<'a, T> {
    pub(super) fn of<P: PolarsNumericType<Native = T>>(ca: &'a ChunkedArray<P>) -> PolarsResult<Numbers<'a, T>> {
        Ok(match one_array(ca)? {
            Some(array) => Numbers { values: array.values().as_slice(), validity: array.validity() },
            None => Numbers { values: &[], validity: None },
        })
    }

    pub(super) fn get(&self, row: usize) -> Option<T> {
        let value = *self.values.get(row)?;
        self.validity.is_none_or(|valid| valid.get(row).unwrap_or(false)).then_some(value)
    }
}

/// A boolean column in one chunk, read by row (a missing value reads as false).
pub(super) struct Flags<'a> {
    values: Option<&'a Bitmap>,
    validity: Option<&'a Bitmap>,
}

impl<'a> Flags<'a> {
    pub(super) fn of(ca: &'a BooleanChunked) -> PolarsResult<Flags<'a>> {
        let array = one_array(ca)?;
        Ok(Flags { values: array.map(|a| a.values()), validity: array.and_then(|a| a.validity()) })
    }

    pub(super) fn get(&self, row: usize) -> bool {
        self.values.is_some_and(|v| v.get(row).unwrap_or(false))
            && self.validity.is_none_or(|valid| valid.get(row).unwrap_or(false))
    }
}

/// Whether a package has a photo: kept as a flag by an import of `Detail::Tallies`, as the
/// photo cell's paths otherwise.
pub(super) enum Photos<'a> {
    Flags(Flags<'a>),
    Paths(Option<&'a Utf8ViewArray>),
}

impl Photos<'_> {
    pub(super) fn has_photo(&self, row: usize) -> bool {
        match self {
            Photos::Flags(flags) => flags.get(row),
            Photos::Paths(paths) => paths.is_some_and(|paths| {
                row < paths.len() && paths.is_valid(row) && grounds::photo_paths(paths.value(row)).next().is_some()
            }),
        }
    }
}

/// The columns a package's facts come from, in one chunk each, read by row.
pub(super) struct FactColumns<'a> {
    deliver_by: Numbers<'a, i64>,
    attempted_at: Numbers<'a, i64>,
    outcome: Numbers<'a, u32>,
    reason: Numbers<'a, u32>,
    dnr: Flags<'a>,
    contacts: Numbers<'a, u32>,
    photos: Photos<'a>,
    /// Only packages a concession marked have flags (docs/rules.md §1.10); without a
    /// concessions report the column is absent.
    concession: Option<Numbers<'a, u32>>,
    /// Absent from frames stored before pickups were read.
    pickup_failed: Option<Flags<'a>>,
}

impl<'a> FactColumns<'a> {
    pub(super) fn new(frame: &'a DataFrame) -> PolarsResult<FactColumns<'a>> {
        let numbers = |name: &str| -> PolarsResult<Numbers<'a, u32>> { Numbers::of(frame.column(name)?.u32()?) };
        let instants =
            |name: &str| -> PolarsResult<Numbers<'a, i64>> { Numbers::of(frame.column(name)?.datetime()?.physical()) };
        let photos = match frame.column(col::HAS_PHOTO.name()) {
            Ok(flags) => Photos::Flags(Flags::of(flags.bool()?)?),
            Err(_) => Photos::Paths(one_array(frame.column(col::PHOTO.name())?.str()?)?),
        };
        Ok(FactColumns {
            deliver_by: instants(col::DELIVER_BY.name())?,
            attempted_at: instants(col::ATTEMPTED_AT.name())?,
            outcome: numbers(col::OUTCOME.name())?,
            reason: numbers(col::REASON_CODE.name())?,
            dnr: Flags::of(frame.column(col::DNR.name())?.bool()?)?,
            contacts: numbers(col::CONTACT_ATTEMPTS.name())?,
            photos,
            concession: frame.column(col::CONCESSION.name()).ok().map(|c| Numbers::of(c.u32()?)).transpose()?,
            pickup_failed: frame.column(col::PICKUP_FAILED.name()).ok().map(|c| Flags::of(c.bool()?)).transpose()?,
        })
    }

    pub(super) fn facts(&self, row: usize) -> PackageFacts {
        let outcome = self.outcome.get(row).and_then(Outcome::from_number).unwrap_or(Outcome::NotAttempted);
        let deliver_by = self.deliver_by.get(row).unwrap_or(0);
        let attempted_at = self.attempted_at.get(row);
        PackageFacts {
            outcome,
            deliver_by,
            attempted_at,
            on_time: package_on_time(outcome, attempted_at, deliver_by),
            dnr: self.dnr.get(row),
            reason: self.reason.get(row).and_then(Reason::from_number),
            contact_attempts: self.contacts.get(row),
            has_photo: self.photos.has_photo(row),
            concession: self
                .concession
                .as_ref()
                .and_then(|c| c.get(row))
                .and_then(|c| u16::try_from(c).ok())
                .map(ConcessionFlags),
            pickup_failed: self.pickup_failed.as_ref().is_some_and(|f| f.get(row)),
        }
    }
}

/// A row's text (its block id, say) compared from row to row: its categorical code (no
/// text needed), or the text itself for a column held as text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKey<'a> {
    Code(u32),
    Text(&'a str),
}
