//! The columns of each input file (docs/rules.md §1.5–1.8) and how headers are matched to them.

use super::columns as col;
use super::{ImportError, excerpt};

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
    field(col::DRIVER_ID.name(), true, DRIVER_ID_ALIASES),
    field(col::DRIVER_NAME.name(), false, &["name", "transporter name", "da name", "delivery associate"]),
    field(col::BLOCK_ID.name(), true, &["block", "shift id"]),
    field(col::STATION.name(), false, &["station code", "delivery station", "service area"]),
    field(col::BLOCK_START.name(), true, &["start", "scheduled start", "start time", "block start time"]),
    field(col::BLOCK_END.name(), false, &["end", "scheduled end", "end time"]),
    field(col::CHECKED_IN_AT.name(), false, &["check in", "checked in", "check-in time", "arrival time"]),
    field(col::CANCELLED_AT.name(), false, &["canceled at", "forfeited at", "cancel time"]),
    field(col::DEPARTED_AT.name(), false, &["left station at", "departed station", "dispatched at", "route start"]),
];

pub const DELIVERY_FIELDS: &[FieldSpec] = &[
    field(col::TRACKING_ID.name(), true, &["tracking id", "scannable id", "package id", "tba"]),
    field(col::DRIVER_ID.name(), true, DRIVER_ID_ALIASES),
    field(col::BLOCK_ID.name(), false, &[]),
    field(
        col::DELIVER_BY.name(),
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
    field(col::ATTEMPTED_AT.name(), false, &["delivered at", "attempt time", "scan time", "time of last scan"]),
    field(col::OUTCOME.name(), true, &["status", "package status", "delivery status"]),
    field(col::REASON.name(), false, &["reason code", "rts code", "da selected rts code", "undeliverable reason"]),
    field(col::RETURNED_AT.name(), false, &["returned to station at", "rts at"]),
    field(col::DNR.name(), false, &["delivered not received", "never received delivery", "dnr claim"]),
    field(col::DNR_REPORTED_AT.name(), false, &["dnr date", "claim date"]),
    field(col::CONTACT_ATTEMPTS.name(), false, &["contacts", "calls and texts"]),
    field(col::PHOTO.name(), false, &["photo path", "pod photo", "evidence"]),
    field(col::NOTES.name(), false, &["additional information", "comment"]),
    field(col::ADDRESS.name(), false, ADDRESS_ALIASES),
];

const ADDRESS_ALIASES: &[&str] = &["delivery address", "customer address"];

pub const ROSTER_FIELDS: &[FieldSpec] = &[
    field(col::DRIVER_ID.name(), true, DRIVER_ID_ALIASES),
    field(col::DRIVER_NAME.name(), false, &["name", "transporter name", "da name", "delivery associate"]),
    field(col::EMAIL.name(), false, &["email address", "e mail"]),
    field("status", false, &["driver status", "account status"]),
    field(col::DEACTIVATED_ON.name(), false, &["deactivation date", "deactivated at", "deactivated"]),
];

pub const OUTAGE_FIELDS: &[FieldSpec] = &[
    field(col::START.name(), true, &["start time", "from", "outage start"]),
    field(col::END.name(), true, &["end time", "to", "outage end"]),
    field(col::DESCRIPTION.name(), false, &["details", "notes", "comment"]),
    field(col::STATION.name(), false, &["stations", "station code", "delivery station", "service area"]),
];

/// docs/rules.md §1.10: Amazon's DNR concessions report, with its own header names: both
/// generations of its English headers, and its French ones.
pub const CONCESSION_FIELDS: &[FieldSpec] = &[
    field(
        col::TRACKING_ID.name(),
        true,
        &["tracking id", "scannable id", "package id", "tba", "numéro de suivi", "numero de suivi"],
    ),
    // The older report gives the id as "Delivery Associate"; the newer gives it as
    // "Transporter ID" and the name as "Delivery Associate" (a column serves one field).
    field(
        col::DRIVER_ID.name(),
        true,
        &["transporter id", "delivery associate", "da id", "delivery associate id", "livreur", "id du livreur"],
    ),
    field(
        col::DRIVER_NAME.name(),
        false,
        &["delivery associate name", "da name", "transporter name", "nom du livreur", "delivery associate"],
    ),
    field(col::CONCESSION_DATE.name(), true, &["concession date", "concession time", "date de concession"]),
    field(
        "geo_far",
        false,
        &["delivered over 50m from pin", "delivered over 50 m from pin", "delivered > 50 m", "delivered > 50m"],
    ),
    field("no_pod", false, &["no pod", "no photo on delivery", "no pod on delivery"]),
    field("scanned_not_delivered", false, &["scanned not delivered", "scanned not delivered not returned"]),
    field("simultaneous", false, &["simultaneous deliveries"]),
    field("incorrect_scan", false, &["incorrect scan attended", "incorrect scan usage attended delivery"]),
    field(
        "incorrect_scan_unattended",
        false,
        &["incorrect scan unattended", "incorrect scan usage unattended delivery"],
    ),
    field(col::DELIVERY_TYPE.name(), false, &["delivery type", "type de livraison"]),
    field(col::STATION.name(), false, &["service area", "station code", "delivery station", "zone de service"]),
    field(col::DELIVERED_AT.name(), false, &["delivery date", "delivered on", "date de livraison"]),
    field(col::IMPACTS_DSB.name(), false, &["impacts dsb"]),
];

/// docs/rules.md §1.14: Amazon's package exceptions and return-to-station reports, both
/// header generations.
pub const EXCEPTION_FIELDS: &[FieldSpec] = &[
    field(col::TRACKING_ID.name(), true, &["scannable id", "tracking id", "package id"]),
    // Not "delivery associate": the RTS report gives the name under that header.
    field(col::DRIVER_ID.name(), true, &["transporter id", "da id", "delivery associate id"]),
    field(col::DRIVER_NAME.name(), false, &["transporter name", "delivery associate", "delivery associate name"]),
    field(col::ROUTE.name(), false, &["route code"]),
    field(col::STATION.name(), false, &["service area", "station code", "delivery station"]),
    field(col::ADDRESS.name(), false, ADDRESS_ALIASES),
    field(col::OUTCOME.name(), false, &["package status", "status"]),
    field(col::REASON.name(), false, &["reason code", "da selected rts code", "rts code"]),
    field(col::SCANNED_AT.name(), false, &["time of last scan", "last scan"]),
    field(col::DELIVER_BY.name(), false, &["planned delivery date"]),
    field(col::COUNTS.name(), false, &["impact dcr"]),
    field(col::EXEMPTION.name(), false, &["exemption reason", "exempted"]),
    field(col::NOTES.name(), false, &["additional information"]),
];

/// docs/rules.md §1.10: tiers a person saw (the Flex app, a weekly scorecard).
pub const OBSERVED_FIELDS: &[FieldSpec] = &[
    field(col::DRIVER_ID.name(), true, DRIVER_ID_ALIASES),
    field(col::DATE.name(), true, &["day", "observed on", "as of", "week ending"]),
    field(col::OVERALL_TIER.name(), true, &["overall standing", "standing", "overall", "tier", "overall tier"]),
    field(col::RELIABILITY_TIER.name(), false, &["reliability", "reliability standing"]),
    field(col::QUALITY_TIER.name(), false, &["delivery quality", "quality", "delivery quality tier"]),
];

/// SPEC §7.1: Amazon's weekly scorecard, one row per delivery associate and week. The
/// metrics' fields are in [`crate::scorecard::metrics::DspMetric::ALL`]'s order, from
/// [`SCORECARD_METRICS`], their tiers from [`SCORECARD_TIERS`].
pub const SCORECARD_FIELDS: &[FieldSpec] = &[
    field(col::DRIVER_ID.name(), true, DRIVER_ID_ALIASES),
    field(
        col::DRIVER_NAME.name(),
        false,
        &["delivery associate", "da name", "name", "driver name", "delivery associate name", "nome", "nom"],
    ),
    field(col::WEEK.name(), false, &["week number", "semana", "semaine"]),
    field(col::YEAR.name(), false, &["ano", "año", "année", "annee"]),
    field(col::DELIVERED.name(), false, &["packages delivered", "pacotes entregues", "colis livrés"]),
    field(col::OVERALL_TIER.name(), false, &["overall standing", "standing", "overall tier"]),
    field(col::OVERALL_SCORE.name(), false, &["overall score", "total score", "score"]),
    // The metrics (SCORECARD_METRICS).
    field("dcr", false, &["delivery completion rate"]),
    field("dnr_dpmo", false, &[]),
    field("pod", false, &["pod acceptance rate", "photo on delivery"]),
    field("cc", false, &["contact compliance"]),
    field("cdf_dpmo", false, &[]),
    field("ced", false, &["ce", "customer escalation defect"]),
    field("dsb_dpmo", false, &["dsb"]),
    field("fico", false, &["fico score", "fico metric"]),
    field("psb", false, &[]),
    field("seatbelt", false, &["seatbelt off rate", "seatbelt off rate (per trip)"]),
    field("speeding", false, &["speeding event rate", "speeding event rate (per trip)"]),
    field("distraction", false, &["distractions rate", "distractions rate (per trip)"]),
    field("following", false, &["following distance rate", "following distance rate (per trip)"]),
    field(
        "signal",
        false,
        &[
            "sign/signal violations rate",
            "sign/signal violations rate (per trip)",
            "sign/ signal violations rate",
            "sign/ signal violations rate (per trip)",
        ],
    ),
    // Their tiers (SCORECARD_TIERS): the metric's name followed by "Tier".
    field("dcr_tier", false, &["delivery completion rate tier"]),
    field("dnr_dpmo_tier", false, &[]),
    field("pod_tier", false, &[]),
    field("cc_tier", false, &["contact compliance tier"]),
    field("cdf_dpmo_tier", false, &[]),
    field("ced_tier", false, &["ce tier"]),
    field("dsb_dpmo_tier", false, &["dsb tier"]),
    field("fico_tier", false, &["fico score tier"]),
    field("psb_tier", false, &[]),
    field("seatbelt_tier", false, &["seatbelt off rate tier"]),
    field("speeding_tier", false, &["speeding event rate tier"]),
    field("distraction_tier", false, &["distractions rate tier"]),
    field("following_tier", false, &["following distance rate tier"]),
    field("signal_tier", false, &["sign/signal violations rate tier", "sign/ signal violations rate tier"]),
];

/// Where the metrics' fields start in [`SCORECARD_FIELDS`].
pub const SCORECARD_METRICS: usize = 7;
/// Where their tiers' fields start.
pub const SCORECARD_TIERS: usize = SCORECARD_METRICS + 14;

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
    /// Columns that also name a field but are not used for it (a note for the user).
    pub unused_matches: Vec<String>,
}

impl ColumnMap {
    /// The fields of `specs` the file has a column for.
    pub fn present(&self, specs: &[FieldSpec]) -> Vec<&'static str> {
        specs.iter().zip(&self.index).filter(|(_, i)| i.is_some()).map(|(s, _)| s.name).collect()
    }
}

pub fn map_columns(path: &str, headers: &[String], specs: &[FieldSpec]) -> Result<ColumnMap, ImportError> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let shown = |i: usize| format!("'{}' (column {})", excerpt(headers[i].trim()), i + 1);
    let mut index = Vec::with_capacity(specs.len());
    let mut written = Vec::with_capacity(specs.len());
    // Other columns that name a field, noted once every field has its column.
    let mut also: Vec<(usize, &'static str, usize)> = Vec::new();
    for spec in specs {
        // Every column that names this field, best name first: the canonical name, then
        // the aliases in order.
        let mut matches: Vec<usize> = Vec::new();
        let mut wanted_names: Vec<String> = Vec::new();
        for name in std::iter::once(spec.name).chain(spec.aliases.iter().copied()) {
            let wanted = normalise_header(name);
            if wanted_names.contains(&wanted) {
                continue;
            }
            // A column an earlier field took serves that field only.
            let same: Vec<usize> =
                (0..headers.len()).filter(|&i| normalised[i] == wanted && !index.contains(&Some(i))).collect();
            if let [first, second, ..] = same[..] {
                return Err(ImportError::DuplicateColumn {
                    path: path.to_string(),
                    field: spec.name,
                    columns: format!("{} and {}", shown(first), shown(second)),
                });
            }
            matches.extend(same);
            wanted_names.push(wanted);
        }
        let found = matches.first().copied();
        if found.is_none() && spec.required {
            return Err(ImportError::MissingColumn {
                path: path.to_string(),
                field: spec.name,
                accepted: std::iter::once(spec.name).chain(spec.aliases.iter().copied()).collect::<Vec<_>>().join(", "),
                found: shown_headers(headers),
            });
        }
        if let Some(&used) = matches.first() {
            also.extend(matches[1..].iter().map(|&other| (other, spec.name, used)));
        }
        written.push(found.map_or_else(|| spec.name.to_string(), |i| excerpt(headers[i].trim())));
        index.push(found);
    }
    let unused_matches = also
        .into_iter()
        .filter(|(other, _, _)| !index.contains(&Some(*other)))
        .map(|(other, field, used)| {
            format!("{path}: {} also names field '{field}'; {} is used", shown(other), shown(used))
        })
        .collect();
    Ok(ColumnMap { index, written, unused_matches })
}

/// A file's headers for a message: each cut short, and at most 40 of them.
pub fn shown_headers(headers: &[String]) -> String {
    const MAX_SHOWN: usize = 40;
    let mut shown: Vec<String> = headers.iter().take(MAX_SHOWN).map(|h| excerpt(h.trim())).collect();
    if headers.len() > MAX_SHOWN {
        shown.push(format!("and {} more", headers.len() - MAX_SHOWN));
    }
    shown.join(", ")
}

/// The required fields of `specs` that no header names, each with its accepted names, for
/// a message ("'date' (accepted names: date, day, …)").
pub fn missing_required(headers: &[String], specs: &[FieldSpec]) -> Vec<String> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    specs
        .iter()
        .filter(|spec| spec.required)
        .filter(|spec| {
            !std::iter::once(spec.name).chain(spec.aliases.iter().copied()).any(|name| {
                let wanted = normalise_header(name);
                normalised.contains(&wanted)
            })
        })
        .map(|spec| {
            let accepted: Vec<&str> = std::iter::once(spec.name).chain(spec.aliases.iter().copied()).collect();
            format!("'{}' (accepted names: {})", spec.name, accepted.join(", "))
        })
        .collect()
}

/// True when the headers hold every required field of `specs`: used to tell files apart.
/// Whether a scorecard's headers have a week, a metric or a score: what tells a scorecard
/// from a roster, which also has only the driver's id as required.
pub fn scorecard_has_measures(headers: &[String]) -> bool {
    let Ok(map) = map_columns("", headers, SCORECARD_FIELDS) else { return false };
    // The week, the packages delivered, the overall score, and every metric: not the overall
    // standing alone, which observed tiers have too.
    [2usize, 4, 6].into_iter().chain(SCORECARD_METRICS..SCORECARD_TIERS).any(|i| map.index[i].is_some())
}

pub fn headers_fit(headers: &[String], specs: &[FieldSpec]) -> bool {
    !matches!(map_columns("", headers, specs), Err(ImportError::MissingColumn { .. }))
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
    fn the_same_header_twice_is_an_error_naming_both_columns() {
        let headers = owned(&["driver_id", "block_id", "block_start", "Block ID"]);
        let err = map_columns("b.csv", &headers, BLOCK_FIELDS).err().unwrap().to_string();
        assert_eq!(
            err,
            "b.csv: field 'block_id' is given by two columns, 'block_id' (column 2) and 'Block ID' (column 4); \
             remove or rename one"
        );
        assert!(headers_fit(&headers, BLOCK_FIELDS), "still recognised as a blocks file");
    }

    #[test]
    fn a_field_named_twice_uses_the_canonical_name_and_says_so() {
        let headers = owned(&["Transporter ID", "driver_id", "block_id", "start"]);
        let map = map_columns("b.csv", &headers, BLOCK_FIELDS).unwrap();
        assert_eq!(map.index[0], Some(1));
        assert_eq!(
            map.unused_matches,
            ["b.csv: 'Transporter ID' (column 1) also names field 'driver_id'; 'driver_id' (column 2) is used"]
        );
    }

    #[test]
    fn no_header_can_name_two_fields_of_one_kind() {
        // (Concessions name their driver's id or name "Delivery Associate": tested below.)
        for specs in [BLOCK_FIELDS, DELIVERY_FIELDS, ROSTER_FIELDS, OUTAGE_FIELDS, EXCEPTION_FIELDS, OBSERVED_FIELDS] {
            let mut names: Vec<String> = specs
                .iter()
                .flat_map(|f| {
                    let mut own: Vec<String> =
                        std::iter::once(f.name).chain(f.aliases.iter().copied()).map(normalise_header).collect();
                    own.sort();
                    own.dedup();
                    own
                })
                .collect();
            let all = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), all);
        }
    }

    #[test]
    fn both_concessions_generations_and_the_french_one_find_their_driver() {
        let map = |headers: &[&str]| map_columns("c.csv", &owned(headers), CONCESSION_FIELDS).unwrap();
        let older = map(&["Delivery Associate", "Delivery Associate Name", "Tracking ID", "Concession Date"]);
        assert_eq!((older.index[1], older.index[2]), (Some(0), Some(1)));
        assert!(older.unused_matches.is_empty(), "{:?}", older.unused_matches);
        let newer =
            map(&["Tracking ID", "Transporter ID", "Delivery Associate", "Concession Date", "Delivered > 50 m"]);
        assert_eq!(
            (newer.index[0], newer.index[1], newer.index[2], newer.index[4]),
            (Some(0), Some(1), Some(2), Some(4))
        );
        assert!(newer.unused_matches.is_empty(), "{:?}", newer.unused_matches);
        let french = map(&["Numéro de suivi", "Livreur", "Nom du livreur", "Date de concession", "Zone de service"]);
        assert_eq!(french.index[..4], [Some(0), Some(1), Some(2), Some(3)]);
        assert_eq!(french.index[11], Some(4));
        // Only the id: the column is the id, and no name.
        let alone = map(&["Delivery Associate", "Tracking ID", "Concession Date"]);
        assert_eq!((alone.index[1], alone.index[2]), (Some(0), None));
    }

    #[test]
    fn missing_required_fields_are_named_with_their_accepted_names() {
        let missing = missing_required(&owned(&["driver_id", "email"]), OBSERVED_FIELDS);
        assert_eq!(missing.len(), 2);
        assert!(missing[0].starts_with("'date' (accepted names: date, day, observed on"), "{missing:?}");
        assert!(
            missing[1].starts_with("'overall_tier' (accepted names: overall_tier, overall standing"),
            "{missing:?}"
        );
    }

    #[test]
    fn long_headers_are_cut_in_messages() {
        let headers = vec!["x".repeat(10_000), "driver_id".to_string()];
        let err = map_columns("b.csv", &headers, BLOCK_FIELDS).err().unwrap().to_string();
        assert!(err.len() < 600, "{err}");
        assert!(err.contains("xxx…"), "{err}");
    }

    #[test]
    fn tells_files_apart() {
        let blocks = owned(&["driver_id", "block_id", "block_start"]);
        let deliveries = owned(&["tracking_id", "driver_id", "deliver_by", "outcome"]);
        assert!(headers_fit(&blocks, BLOCK_FIELDS) && !headers_fit(&blocks, DELIVERY_FIELDS));
        assert!(headers_fit(&deliveries, DELIVERY_FIELDS) && !headers_fit(&deliveries, BLOCK_FIELDS));
    }
}
