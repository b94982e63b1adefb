//! The kinds of input, and telling them apart by their headers: the one place a kind
//! picks its fields, its parser and its empty frame.

use super::columns as col;
use super::fields::{
    BLOCK_FIELDS, CONCESSION_FIELDS, DELIVERY_FIELDS, EXCEPTION_FIELDS, FieldSpec, OBSERVED_FIELDS, OUTAGE_FIELDS,
    ROSTER_FIELDS, SCORECARD_FIELDS,
};
use super::table::Table;
use super::text::{self, CsvText};
use super::{ImportError, fields, header_row, reports, scorecards, table};
use polars_core::prelude::*;
use std::path::Path;

/// Evaluates `$body` with `$T` the parser ([`Table`]) of the kind: the one place a kind
/// picks its parser.
macro_rules! with_table {
    ($kind:expr, $T:ident => $body:expr) => {
        match $kind {
            TableKind::Blocks => {
                type $T = table::Blocks;
                $body
            }
            TableKind::Deliveries => {
                type $T = table::Deliveries;
                $body
            }
            TableKind::Roster => {
                type $T = table::Roster;
                $body
            }
            TableKind::Outages => {
                type $T = table::Outages;
                $body
            }
            TableKind::Concessions => {
                type $T = reports::Concessions;
                $body
            }
            TableKind::Exceptions => {
                type $T = reports::Exceptions;
                $body
            }
            TableKind::Observed => {
                type $T = reports::Observed;
                $body
            }
            TableKind::Scorecard => {
                type $T = scorecards::Scorecards;
                $body
            }
        }
    };
}
pub(super) use with_table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TableKind {
    Blocks,
    Deliveries,
    Roster,
    Outages,
    /// Amazon's DNR concessions report.
    Concessions,
    /// Amazon's package exceptions and return-to-station reports.
    Exceptions,
    /// Tiers a person saw: what `calibrate` fits the thresholds to (not stored in a
    /// workspace, not one of [`TableKind::ALL`]).
    Observed,
    /// Amazon's weekly scorecard: one row per delivery associate and week (SPEC §7).
    Scorecard,
}

impl TableKind {
    /// Every kind, in the order a workspace stores and reads them.
    pub const ALL: [TableKind; 7] = [
        TableKind::Blocks,
        TableKind::Deliveries,
        TableKind::Roster,
        TableKind::Outages,
        TableKind::Concessions,
        TableKind::Exceptions,
        TableKind::Scorecard,
    ];

    /// The kind's name in files and messages: `blocks`, `deliveries`, `roster`, `outages`,
    /// `concessions`, `exceptions`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Blocks => "blocks",
            TableKind::Deliveries => "deliveries",
            TableKind::Roster => "roster",
            TableKind::Outages => "outages",
            TableKind::Concessions => "concessions",
            TableKind::Exceptions => "exceptions",
            TableKind::Observed => "observed tiers",
            TableKind::Scorecard => "scorecard",
        }
    }

    /// The column whose value identifies a row across imports (the later row wins);
    /// outages have none (a window is the same window when every field is equal).
    pub fn key_column(self) -> Option<&'static str> {
        match self {
            TableKind::Blocks => Some(col::BLOCK_ID.name()),
            TableKind::Deliveries => Some(col::TRACKING_ID.name()),
            TableKind::Roster => Some(col::DRIVER_ID.name()),
            TableKind::Outages => None,
            TableKind::Concessions | TableKind::Exceptions => Some(col::TRACKING_ID.name()),
            // Every observation counts, even two of one driver and day.
            TableKind::Observed => None,
            // A week imported again replaces that week's row of each DA in the file.
            TableKind::Scorecard => Some(col::DA_WEEK.name()),
        }
    }

    /// A frame of this kind with every column and no rows.
    pub fn empty_frame(self) -> Result<DataFrame, ImportError> {
        let frame = with_table!(self, T => T::default().frame())?;
        if self != TableKind::Scorecard {
            return Ok(frame);
        }
        // The columns a scorecard has once its weeks are resolved.
        let mut parsed =
            super::read::Parsed { frame, rejections: Vec::new(), notes: Vec::new(), columns: Vec::new(), found: None };
        scorecards::resolve_weeks(&mut parsed, "", None)?;
        Ok(parsed.frame)
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TableKind::Blocks => BLOCK_FIELDS,
            TableKind::Deliveries => DELIVERY_FIELDS,
            TableKind::Roster => ROSTER_FIELDS,
            TableKind::Outages => OUTAGE_FIELDS,
            TableKind::Concessions => CONCESSION_FIELDS,
            TableKind::Exceptions => EXCEPTION_FIELDS,
            TableKind::Observed => OBSERVED_FIELDS,
            TableKind::Scorecard => SCORECARD_FIELDS,
        }
    }
}

/// What kind of input a file is, read from its header line; an error says what was
/// expected instead.
pub fn classify_file(path: &Path) -> Result<TableKind, InputError> {
    if super::workbook::is_workbook(path) {
        let sheets = super::workbook::read_sheets(path)?;
        return super::workbook::kinds(&sheets).first().copied().ok_or_else(|| InputError::NotAnExport {
            path: path.display().to_string(),
            headers: super::workbook::describe(&sheets),
        });
    }
    let csv = read_head(path)?;
    let headers = header_row(&csv)?;
    detect_kind(&headers).ok_or_else(|| InputError::NotAnExport {
        path: path.display().to_string(),
        headers: fields::shown_headers(&headers),
    })
}

/// Every kind a file holds: one for a CSV file, one per kind of sheet for a workbook.
pub fn file_kinds(path: &Path) -> Result<Vec<TableKind>, InputError> {
    if super::workbook::is_workbook(path) {
        let sheets = super::workbook::read_sheets(path)?;
        let kinds = super::workbook::kinds(&sheets);
        if kinds.is_empty() {
            return Err(InputError::NotAnExport {
                path: path.display().to_string(),
                headers: super::workbook::describe(&sheets),
            });
        }
        return Ok(kinds);
    }
    Ok(vec![classify_file(path)?])
}

/// Why a file given to be imported cannot be.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(transparent)]
    Read(#[from] ImportError),
    #[error(
        "{path}: not a blocks, deliveries, roster, outages, concessions, exceptions, observed tiers or scorecard \
         export (expected headers such as driver_id, block_id, block_start or tracking_id, deliver_by, outcome; \
         found: {headers})"
    )]
    NotAnExport { path: String, headers: String },
    #[error("{0}: no such file")]
    Missing(String),
    #[error("{0}: a folder, not a file")]
    Folder(String),
    #[error("{path}: a {found} export, not {expected}: missing {missing}")]
    OtherKind { path: String, found: &'static str, expected: &'static str, missing: String },
}

impl InputError {
    /// A file of kind `found` given as `expected`: the message names what `expected` needs
    /// that the headers lack.
    fn other_kind(path: String, found: TableKind, expected: TableKind, headers: &[String]) -> InputError {
        let missing = fields::missing_required(headers, expected.fields());
        let missing = if missing.is_empty() { "nothing required".to_string() } else { missing.join(" and ") };
        InputError::OtherKind { path, found: found.name(), expected: expected.name(), missing }
    }
}

/// What kind of input a file is, from its headers: blocks and deliveries first (an
/// export of deliveries with a route code is still deliveries; Amazon's exceptions reports
/// have no deadline and outcome both), a scorecard before observed tiers (a scorecard may
/// have a "week ending" date and an overall standing too), the roster, which needs only a
/// driver id, last.
pub fn detect_kind(headers: &[String]) -> Option<TableKind> {
    [
        TableKind::Deliveries,
        TableKind::Blocks,
        TableKind::Outages,
        TableKind::Concessions,
        TableKind::Exceptions,
        TableKind::Scorecard,
        TableKind::Observed,
        TableKind::Roster,
    ]
    .into_iter()
    .find(|k| fits(headers, *k))
}

/// Whether headers are those of `kind`: its required fields, and for a scorecard (whose
/// only required field is the driver, as a roster's) a week or a metric besides.
fn fits(headers: &[String], kind: TableKind) -> bool {
    if !fields::headers_fit(headers, kind.fields()) {
        return false;
    }
    kind != TableKind::Scorecard || fields::scorecard_has_measures(headers)
}

/// The start of a file (its header and first rows), decoded: enough to tell its kind
/// without reading a large export whole.
fn read_head(path: &Path) -> Result<CsvText, ImportError> {
    use std::io::Read;
    const HEAD: u64 = 256 << 10;
    let shown = path.display().to_string();
    let io = |source| ImportError::Io { path: shown.clone(), source };
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(HEAD).read_to_end(&mut bytes)).map_err(io)?;
    // Cut after the last whole line, unless the header itself is longer.
    if bytes.len() as u64 == HEAD
        && let Some(end) = memchr::memrchr(b'\n', &bytes)
    {
        bytes.truncate(end + 1);
    }
    text::decode_csv(shown.clone(), bytes)
}

/// Why a file given as `kind` cannot be imported as such (missing, a folder, unreadable,
/// not an export, another kind of export), checked before anything is imported.
pub fn check_input(path: &Path, kind: TableKind) -> Result<(), InputError> {
    let shown = || path.display().to_string();
    if !path.exists() {
        return Err(InputError::Missing(shown()));
    }
    if path.is_dir() {
        return Err(InputError::Folder(shown()));
    }
    if super::workbook::is_workbook(path) {
        // One workbook may hold every kind: any sheet of the kind will do.
        let sheets = super::workbook::read_sheets(path)?;
        let kinds = super::workbook::kinds(&sheets);
        return match (kinds.contains(&kind), kinds.first()) {
            (true, _) => Ok(()),
            (false, Some(found)) => {
                let headers = super::workbook::headers_of(&sheets, *found);
                Err(InputError::other_kind(shown(), *found, kind, &headers))
            }
            (false, None) => {
                Err(InputError::NotAnExport { path: shown(), headers: super::workbook::describe(&sheets) })
            }
        };
    }
    let csv = read_head(path)?;
    let headers = header_row(&csv)?;
    match detect_kind(&headers) {
        Some(found) if found == kind => Ok(()),
        // A file that fits the kind asked for is read as that kind, whatever else it fits.
        Some(_) if fits(&headers, kind) => Ok(()),
        Some(found) => Err(InputError::other_kind(shown(), found, kind, &headers)),
        None => Err(InputError::NotAnExport { path: shown(), headers: fields::shown_headers(&headers) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_kinds_apart_by_headers() {
        let h = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(detect_kind(&h("Transporter ID,Shift ID,Scheduled Start")), Some(TableKind::Blocks));
        assert_eq!(detect_kind(&h("tracking_id,driver_id,deliver_by,status")), Some(TableKind::Deliveries));
        assert_eq!(detect_kind(&h("start,end,description")), Some(TableKind::Outages));
        assert_eq!(detect_kind(&h("driver_id,email,status")), Some(TableKind::Roster));
        let amazon =
            "Delivery Associate,Delivery Associate Name,Tracking ID,Concession Date,Delivered over 50m from pin,No POD";
        assert_eq!(detect_kind(&h(amazon)), Some(TableKind::Concessions));
        assert_eq!(detect_kind(&h("Transporter ID,Date,Overall Standing,Reliability")), Some(TableKind::Observed));
        // SPEC §7.1: a scorecard, with or without metrics, and one whose date is "Week Ending".
        let dsp = "Week,Transporter ID,Delivery Associate ,Overall Standing,Overall Score,Packages Delivered,\
                   FICO Metric,Seatbelt-Off Rate (per trip),CDF DPMO,CED,DCR,DNR DPMO,POD,CC,DSB,PSB";
        assert_eq!(detect_kind(&h(dsp)), Some(TableKind::Scorecard));
        assert_eq!(detect_kind(&h("Transporter ID,Week,Overall Standing")), Some(TableKind::Scorecard));
        assert_eq!(detect_kind(&h("Transporter ID,Week Ending,Overall Standing,DCR")), Some(TableKind::Scorecard));
        assert_eq!(detect_kind(&h("foo,bar")), None);
        let first = "Scannable Id,Route Code,Company Short Code,Transporter Name,Transporter Id,Address,\
                     Package Status,Reason Code,Time of last scan";
        assert_eq!(detect_kind(&h(first)), Some(TableKind::Exceptions));
        let rts = "Delivery Associate,Tracking ID,Transporter ID,Impact DCR,DA Selected RTS Code,\
                   Additional Information,Exemption Reason,Planned Delivery Date,Service Area";
        assert_eq!(detect_kind(&h(rts)), Some(TableKind::Exceptions));
        // A deliveries export with a route code is deliveries.
        let deliveries = "tracking_id,driver_id,deliver_by,outcome,Route Code";
        assert_eq!(detect_kind(&h(deliveries)), Some(TableKind::Deliveries));
        let newer = "Tracking ID,Transporter ID,Delivery Associate,Concession Date,Delivered > 50 m";
        assert_eq!(detect_kind(&h(newer)), Some(TableKind::Concessions));
        let french = "Numéro de suivi;Livreur;Nom du livreur;Date de concession";
        assert_eq!(
            detect_kind(&french.split(';').map(str::to_string).collect::<Vec<_>>()),
            Some(TableKind::Concessions)
        );
    }

    #[test]
    fn classifies_files_and_explains_unrelated_ones() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        assert_eq!(classify_file(&write("b.csv", b"Transporter ID;Shift ID;Start\n")).unwrap(), TableKind::Blocks);
        assert_eq!(classify_file(&write("r.csv", b"driver_id,status\n")).unwrap(), TableKind::Roster);
        let err = classify_file(&write("x.csv", b"name,price\nfoo,1\n")).unwrap_err().to_string();
        assert!(err.contains("expected headers") && err.contains("name, price"), "{err}");
        let err = classify_file(&write("x.pdf", b"%PDF-1.4\n\x00\x01")).unwrap_err().to_string();
        assert!(err.contains("x.pdf:2: not a text CSV file"), "{err}");
    }
}
