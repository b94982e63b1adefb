//! The columns of each input file (SPEC §2.1–2.4) and how headers are matched to them.

use super::ImportError;

/// One field of an input file: its canonical name, whether it is required, and the
/// other header spellings accepted for it.
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    pub aliases: &'static [&'static str],
}

const fn field(name: &'static str, required: bool, aliases: &'static [&'static str]) -> FieldSpec {
    FieldSpec { name, required, aliases }
}

const DRIVER_ID_ALIASES: &[&str] = &["transporter id", "da id", "delivery associate id", "driver"];

pub const BLOCK_FIELDS: &[FieldSpec] = &[
    field("driver_id", true, DRIVER_ID_ALIASES),
    field("driver_name", false, &["name", "transporter name", "da name", "delivery associate"]),
    field("block_id", true, &["block", "shift id"]),
    field("station", false, &["station code", "delivery station", "service area"]),
    field("block_start", true, &["start", "scheduled start", "start time", "block start time"]),
    field("block_end", false, &["end", "scheduled end", "end time"]),
    field("checked_in_at", false, &["check in", "checked in", "check-in time", "arrival time"]),
    field("cancelled_at", false, &["canceled at", "forfeited at", "cancel time"]),
    field("departed_at", false, &["left station at", "departed station", "dispatched at", "route start"]),
];

pub const DELIVERY_FIELDS: &[FieldSpec] = &[
    field("tracking_id", true, &["tracking id", "scannable id", "package id", "tba"]),
    field("driver_id", true, DRIVER_ID_ALIASES),
    field("block_id", false, &[]),
    field(
        "deliver_by",
        true,
        &[
            "deadline",
            "promised by",
            "window end",
            "delivery window end",
            "planned delivery time",
            "planned delivery date",
        ],
    ),
    field("attempted_at", false, &["delivered at", "attempt time", "scan time", "time of last scan"]),
    field("outcome", true, &["status", "package status", "delivery status"]),
    field("reason", false, &["reason code", "rts code", "da selected rts code", "undeliverable reason"]),
    field("returned_at", false, &["returned to station at", "rts at"]),
    field("dnr", false, &["delivered not received", "never received delivery", "dnr claim"]),
    field("dnr_reported_at", false, &["dnr date", "claim date"]),
    field("contact_attempts", false, &["contacts", "calls and texts"]),
    field("photo", false, &["photo path", "pod photo", "evidence"]),
    field("notes", false, &["additional information", "comment"]),
];

pub const ROSTER_FIELDS: &[FieldSpec] = &[
    field("driver_id", true, DRIVER_ID_ALIASES),
    field("driver_name", false, &["name", "transporter name", "da name", "delivery associate"]),
    field("email", false, &["email address", "e mail"]),
    field("status", false, &["driver status", "account status"]),
    field("deactivated_on", false, &["deactivation date", "deactivated at", "deactivated"]),
];

pub const OUTAGE_FIELDS: &[FieldSpec] = &[
    field("start", true, &["start time", "from", "outage start"]),
    field("end", true, &["end time", "to", "outage end"]),
    field("description", false, &["details", "notes", "comment"]),
];

/// Lower case and trimmed, with `_`, `-`, `.` and runs of spaces read as one space.
pub fn normalise_header(header: &str) -> String {
    let mapped: String = header
        .trim()
        .chars()
        .map(|c| if matches!(c, '_' | '-' | '.') || c.is_whitespace() { ' ' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where each field of `specs` is in a file's header row (`None`: absent).
pub struct ColumnMap {
    pub index: Vec<Option<usize>>,
    /// The header text as written, per field, for messages.
    pub written: Vec<String>,
}

pub fn map_columns(path: &str, headers: &[String], specs: &[FieldSpec]) -> Result<ColumnMap, ImportError> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let mut index = Vec::with_capacity(specs.len());
    let mut written = Vec::with_capacity(specs.len());
    for spec in specs {
        // The canonical name is preferred over an alias when a file has both.
        let found = std::iter::once(spec.name).chain(spec.aliases.iter().copied()).find_map(|name| {
            let wanted = normalise_header(name);
            normalised.iter().position(|h| *h == wanted)
        });
        if found.is_none() && spec.required {
            return Err(ImportError::MissingColumn {
                path: path.to_string(),
                field: spec.name,
                accepted: std::iter::once(spec.name).chain(spec.aliases.iter().copied()).collect::<Vec<_>>().join(", "),
                found: headers.iter().map(|h| h.trim()).collect::<Vec<_>>().join(", "),
            });
        }
        written.push(found.map_or_else(|| spec.name.to_string(), |i| headers[i].trim().to_string()));
        index.push(found);
    }
    Ok(ColumnMap { index, written })
}

/// True when the headers hold every required field of `specs`: used to tell files apart.
pub fn headers_fit(headers: &[String], specs: &[FieldSpec]) -> bool {
    map_columns("", headers, specs).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_aliases_in_any_spelling() {
        assert_eq!(normalise_header("  Check-In_Time "), "check in time");
        let headers = owned(&["Transporter ID", "Shift.ID", "SCHEDULED START", "Check-In Time", "Whatever"]);
        let map = map_columns("b.csv", &headers, BLOCK_FIELDS).unwrap();
        assert_eq!(map.index[0], Some(0));
        assert_eq!(map.index[2], Some(1));
        assert_eq!(map.index[4], Some(2));
        assert_eq!(map.index[6], Some(3));
        assert_eq!(map.index[1], None);
        assert_eq!(map.written[4], "SCHEDULED START");
    }

    #[test]
    fn missing_required_column_names_everything() {
        let headers = owned(&["driver_id", "block_id", "begin"]);
        let err = map_columns("b.csv", &headers, BLOCK_FIELDS).err().unwrap().to_string();
        assert!(err.contains("b.csv"), "{err}");
        assert!(err.contains("block_start"), "{err}");
        assert!(err.contains("scheduled start"), "{err}");
        assert!(err.contains("begin"), "{err}");
    }

    #[test]
    fn tells_files_apart() {
        let blocks = owned(&["driver_id", "block_id", "block_start"]);
        let deliveries = owned(&["tracking_id", "driver_id", "deliver_by", "outcome"]);
        assert!(headers_fit(&blocks, BLOCK_FIELDS) && !headers_fit(&blocks, DELIVERY_FIELDS));
        assert!(headers_fit(&deliveries, DELIVERY_FIELDS) && !headers_fit(&deliveries, BLOCK_FIELDS));
    }
}
