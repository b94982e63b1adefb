//! Outcome, reason and yes/no values of docs/rules.md §1.6, normalised once at import.

use serde::Serialize;

/// Lower case, every character that is not a letter or digit read as a space, runs of
/// spaces collapsed, trimmed.
pub fn normalise_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Delivered,
    /// Attempted, not delivered.
    Attempted,
    NotAttempted,
}

impl Outcome {
    pub fn parse(text: &str) -> Option<Outcome> {
        // Most exports spell the outcome as its code: no need to normalise those.
        for o in [Outcome::Delivered, Outcome::Attempted, Outcome::NotAttempted] {
            if text.eq_ignore_ascii_case(o.as_str()) {
                return Some(o);
            }
        }
        match normalise_words(text).as_str() {
            "delivered" | "delivered to customer" | "delivered to locker" => Some(Outcome::Delivered),
            "attempted" | "undeliverable" | "reattemptable" | "returned" | "returned to station" | "rts" => {
                Some(Outcome::Attempted)
            }
            "not attempted" | "no attempt" | "missing" | "pickup failed" => Some(Outcome::NotAttempted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Attempted => "attempted",
            Outcome::NotAttempted => "not_attempted",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        match code {
            "delivered" => Some(Outcome::Delivered),
            "attempted" => Some(Outcome::Attempted),
            "not_attempted" => Some(Outcome::NotAttempted),
            _ => None,
        }
    }

    /// The number that stands for the outcome in a frame (stored in workspaces: never
    /// renumber).
    pub fn number(self) -> u32 {
        match self {
            Outcome::Delivered => 0,
            Outcome::Attempted => 1,
            Outcome::NotAttempted => 2,
        }
    }

    pub fn from_number(number: u32) -> Option<Outcome> {
        [Outcome::Delivered, Outcome::Attempted, Outcome::NotAttempted].into_iter().find(|o| o.number() == number)
    }

    /// Delivered or attempted: counts for the attempted rate.
    pub fn was_attempted(self) -> bool {
        self != Outcome::NotAttempted
    }
}

/// A `Package Status` of Amazon's exceptions report (docs/rules.md §1.14): its outcome, and
/// whether the package went back to the station or was never handed to the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageStatus {
    pub outcome: Outcome,
    /// `Returned to station`: the last scan is its return.
    pub returned: bool,
    /// `Pickup failed`: the driver never had the package (STATION_MISSING).
    pub pickup_failed: bool,
}

impl PackageStatus {
    /// The status as Amazon writes it; empty is attempted, not delivered. `None` for a
    /// status that is none of the outcomes.
    pub fn parse(text: &str) -> Option<PackageStatus> {
        let words = normalise_words(text);
        let returned = matches!(words.as_str(), "returned to station" | "returned" | "rts");
        let pickup_failed = words == "pickup failed";
        let outcome = if words.is_empty() { Outcome::Attempted } else { Outcome::parse(text)? };
        Some(PackageStatus { outcome, returned, pickup_failed })
    }
}

/// Whether a delivery export's outcome is `Pickup failed`: not attempted, the driver never
/// had the package.
pub fn is_pickup_failed(outcome_text: &str) -> bool {
    outcome_text.len() >= 13 && normalise_words(outcome_text) == "pickup failed"
}

/// A cell of Amazon's reports that means "nothing": `NONE`, `-`, `N/A` (any case), blank.
/// Read without allocating: every row of a report has several such cells.
pub fn says_nothing(text: &str) -> bool {
    let text = text.trim();
    text.bytes().all(|b| b == b'-') || ["none", "n/a", "na", "n.a."].iter().any(|w| text.eq_ignore_ascii_case(w))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Unsafe,
    AppIssue,
    AgeVerification,
    BusinessClosed,
    NoAccess,
    NoSafeLocation,
    CustomerUnavailable,
    AddressNotFound,
    Damaged,
    Refused,
    OutOfDriveTime,
    Weather,
    Other,
    /// The package was missing (`OBJECT MISSING`).
    Missing,
    /// The order was cancelled (`TR CANCELLED`): nothing to deliver.
    Cancelled,
}

/// docs/rules.md §1.6 reason table, top row first: the first row with a phrase present wins.
const REASON_PHRASES: &[(Reason, &[&str])] = &[
    (Reason::Unsafe, &["unsafe", "threat", "safety", "dog", "weapon"]),
    (Reason::AppIssue, &["app", "glitch", "scan failure", "device", "navigation"]),
    (Reason::AgeVerification, &["age verification", "id check", "no id", "otp not available", "refused id"]),
    (Reason::BusinessClosed, &["business closed", "closed"]),
    (
        Reason::NoAccess,
        &[
            "unable to access",
            "no access",
            "inaccessible delivery location",
            "gated",
            "locked",
            "missing or incorrect access code",
            "access code",
        ],
    ),
    (Reason::NoSafeLocation, &["no safe location", "no secure location"]),
    (Reason::CustomerUnavailable, &["customer unavailable", "no one home", "nobody home"]),
    (Reason::AddressNotFound, &["address not found", "bad address", "wrong address"]),
    (Reason::Missing, &["object missing", "missing"]),
    (Reason::Cancelled, &["tr cancelled", "order cancelled", "cancelled", "canceled"]),
    (Reason::Damaged, &["damaged"]),
    (Reason::Refused, &["refused", "customer refused"]),
    (Reason::OutOfDriveTime, &["out of drive time", "out of driving time", "ran out of time"]),
    (Reason::Weather, &["weather", "rain", "snow", "flood"]),
];

impl Reason {
    /// The code of a free-text reason; `None` for empty text.
    pub fn classify(text: &str) -> Option<Reason> {
        let words = normalise_words(text);
        if words.is_empty() {
            return None;
        }
        let found = REASON_PHRASES
            .iter()
            .find(|(_, phrases)| phrases.iter().any(|p| contains_words(&words, p)))
            .map(|(code, _)| *code);
        Some(found.unwrap_or(Reason::Other))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unsafe => "unsafe",
            Reason::AppIssue => "app_issue",
            Reason::AgeVerification => "age_verification",
            Reason::BusinessClosed => "business_closed",
            Reason::NoAccess => "no_access",
            Reason::NoSafeLocation => "no_safe_location",
            Reason::CustomerUnavailable => "customer_unavailable",
            Reason::AddressNotFound => "address_not_found",
            Reason::Damaged => "damaged",
            Reason::Refused => "refused",
            Reason::OutOfDriveTime => "out_of_drive_time",
            Reason::Weather => "weather",
            Reason::Other => "other",
            Reason::Missing => "missing",
            Reason::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// Every reason, in the order of their numbers.
    const ALL: [Reason; 15] = [
        Reason::Unsafe,
        Reason::AppIssue,
        Reason::AgeVerification,
        Reason::BusinessClosed,
        Reason::NoAccess,
        Reason::NoSafeLocation,
        Reason::CustomerUnavailable,
        Reason::AddressNotFound,
        Reason::Damaged,
        Reason::Refused,
        Reason::OutOfDriveTime,
        Reason::Weather,
        Reason::Other,
        Reason::Missing,
        Reason::Cancelled,
    ];

    /// The number that stands for the reason in a frame (stored in workspaces: never
    /// renumber; a new reason takes the next number).
    pub fn number(self) -> u32 {
        Reason::ALL.iter().position(|r| *r == self).map_or(u32::MAX, |i| i as u32)
    }

    pub fn from_number(number: u32) -> Option<Reason> {
        Reason::ALL.get(number as usize).copied()
    }
}

/// Whether `phrase` occurs in `words` (normalised text) as whole words.
fn contains_words(words: &str, phrase: &str) -> bool {
    words.match_indices(phrase).any(|(at, _)| {
        let end = at + phrase.len();
        (at == 0 || words.as_bytes()[at - 1] == b' ') && (end == words.len() || words.as_bytes()[end] == b' ')
    })
}

/// The flags of a DNR concession (docs/rules.md §1.10), with which of them the report
/// said anything about: a flag whose column the report lacks is unknown, neither yes nor
/// no. Stored as one number per row: the low byte says yes, the high byte says known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConcessionFlags(pub u16);

impl ConcessionFlags {
    /// Delivered over 50 m from the pin.
    pub const GEO_FAR: u16 = 1 << 0;
    /// No photo on delivery.
    pub const NO_POD: u16 = 1 << 1;
    pub const SCANNED_NOT_DELIVERED: u16 = 1 << 2;
    pub const SIMULTANEOUS: u16 = 1 << 3;
    pub const INCORRECT_SCAN: u16 = 1 << 4;

    /// Records what the report says of `flag`: yes, no, or (`None`) nothing.
    pub fn record(&mut self, flag: u16, value: Option<bool>) {
        if let Some(yes) = value {
            self.0 |= flag << 8;
            if yes {
                self.0 |= flag;
            }
        }
    }

    /// The report says yes.
    pub fn says(self, flag: u16) -> bool {
        self.0 & flag != 0
    }

    /// The report says no (not merely nothing).
    pub fn denies(self, flag: u16) -> bool {
        self.0 & (flag << 8) != 0 && self.0 & flag == 0
    }

    /// Two concessions of one package: a flag is yes when either says so, known when
    /// either knows it.
    pub fn union(self, other: ConcessionFlags) -> ConcessionFlags {
        ConcessionFlags(self.0 | other.0)
    }

    /// Delivered within 50 m of the pin with a photo on delivery, neither scanned but not
    /// delivered nor one of simultaneous deliveries: the DELIVERED_AT_PIN ground.
    pub fn at_pin_with_photo(self) -> bool {
        self.denies(Self::GEO_FAR)
            && self.denies(Self::NO_POD)
            && !self.says(Self::SCANNED_NOT_DELIVERED)
            && !self.says(Self::SIMULTANEOUS)
    }

    /// What the report says, in a few words each, for letters and screens.
    pub fn described(self) -> Vec<&'static str> {
        let mut words = Vec::new();
        if self.denies(Self::GEO_FAR) {
            words.push("delivered within 50 m of the pin");
        } else if self.says(Self::GEO_FAR) {
            words.push("delivered over 50 m from the pin");
        }
        if self.denies(Self::NO_POD) {
            words.push("photo on delivery");
        } else if self.says(Self::NO_POD) {
            words.push("no photo on delivery");
        }
        if self.says(Self::SCANNED_NOT_DELIVERED) {
            words.push("scanned but not delivered");
        }
        if self.says(Self::SIMULTANEOUS) {
            words.push("one of simultaneous deliveries");
        }
        if self.says(Self::INCORRECT_SCAN) {
            words.push("incorrect scan");
        }
        words
    }
}

/// The photo paths a `photo` cell lists, separated by `;` or `|`.
pub fn photo_paths(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '|']).map(str::trim).filter(|p| !p.is_empty())
}

/// A tier word as people write it (any case): 3 Fantastic (also Amazon's "Fantastic
/// Plus"), 2 Great, 1 Fair, 0 At Risk (also Amazon's "Poor"); the numbers rise with the
/// tier. The 2025 scorecard's own scale is kept apart: [`SCALE_2025`] + 3 Platinum, + 2
/// Gold, + 1 Silver, + 0 Bronze (see [`tier_word`]).
pub fn tier_number(text: &str) -> Option<u32> {
    match normalise_words(text).as_str() {
        "fantastic" | "fantastic plus" | "fantastic+" => Some(3),
        "great" => Some(2),
        "fair" => Some(1),
        "at risk" | "atrisk" | "poor" => Some(0),
        "platinum" => Some(SCALE_2025 + 3),
        "gold" => Some(SCALE_2025 + 2),
        "silver" => Some(SCALE_2025 + 1),
        "bronze" => Some(SCALE_2025),
        _ => None,
    }
}

/// Where the tier numbers of the 2025 scale (Platinum … Bronze) start.
pub const SCALE_2025: u32 = 10;

/// The word of a tier number of [`tier_number`].
pub fn tier_word(number: u32) -> Option<&'static str> {
    Some(match number {
        3 => "Fantastic",
        2 => "Great",
        1 => "Fair",
        0 => "At Risk",
        n if n == SCALE_2025 + 3 => "Platinum",
        n if n == SCALE_2025 + 2 => "Gold",
        n if n == SCALE_2025 + 1 => "Silver",
        n if n == SCALE_2025 => "Bronze",
        _ => return None,
    })
}

/// Y/N, yes/no, true/false, 1/0, oui/non, vrai/faux (any case); empty is no. `None` for anything else.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.len() > 5 {
        return None;
    }
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    // French exports write oui/non and vrai/faux.
    if ["", "n", "no", "false", "0", "non", "faux"].into_iter().any(is) {
        Some(false)
    } else if ["y", "yes", "true", "1", "oui", "vrai"].into_iter().any(is) {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn outcome_and_reason_numbers_round_trip_and_stay_fixed() {
        for o in [Outcome::Delivered, Outcome::Attempted, Outcome::NotAttempted] {
            assert_eq!(Outcome::from_number(o.number()), Some(o));
            assert_eq!(Outcome::from_code(o.as_str()), Some(o));
        }
        for (i, r) in Reason::ALL.into_iter().enumerate() {
            assert_eq!((r.number(), Reason::from_number(i as u32)), (i as u32, Some(r)));
            assert_eq!(Reason::from_code(r.as_str()), Some(r));
        }
        // Stored in workspaces: these must not change.
        assert_eq!((Outcome::NotAttempted.number(), Reason::NoAccess.number(), Reason::Other.number()), (2, 4, 12));
        assert_eq!((Reason::Missing.number(), Reason::Cancelled.number()), (13, 14));
        assert_eq!((Outcome::from_number(3), Reason::from_number(15)), (None, None));
    }

    use super::*;

    #[test]
    fn concession_flags_tell_yes_no_and_unknown() {
        let mut f = ConcessionFlags::default();
        f.record(ConcessionFlags::GEO_FAR, Some(false));
        f.record(ConcessionFlags::NO_POD, Some(false));
        f.record(ConcessionFlags::SIMULTANEOUS, None);
        assert!(f.denies(ConcessionFlags::GEO_FAR) && !f.says(ConcessionFlags::GEO_FAR));
        assert!(!f.denies(ConcessionFlags::SIMULTANEOUS) && !f.says(ConcessionFlags::SIMULTANEOUS));
        assert!(f.at_pin_with_photo());
        assert_eq!(f.described(), ["delivered within 50 m of the pin", "photo on delivery"]);
        // Unknown distance: not at the pin; a simultaneous delivery: not at the pin either.
        let mut unknown = ConcessionFlags::default();
        unknown.record(ConcessionFlags::NO_POD, Some(false));
        assert!(!unknown.at_pin_with_photo());
        let mut simultaneous = f;
        simultaneous.record(ConcessionFlags::SIMULTANEOUS, Some(true));
        assert!(!simultaneous.at_pin_with_photo());
        // Two concessions of one package: yes wins, known adds up.
        let mut no_pod = ConcessionFlags::default();
        no_pod.record(ConcessionFlags::NO_POD, Some(true));
        assert!(unknown.union(no_pod).says(ConcessionFlags::NO_POD));
        assert!(!f.union(no_pod).at_pin_with_photo());
    }

    #[test]
    fn outcomes_in_any_spelling() {
        assert_eq!(Outcome::parse("Delivered to Customer"), Some(Outcome::Delivered));
        assert_eq!(Outcome::parse("DELIVERED_TO_LOCKER"), Some(Outcome::Delivered));
        assert_eq!(Outcome::parse(" Returned-to-Station "), Some(Outcome::Attempted));
        assert_eq!(Outcome::parse("RTS"), Some(Outcome::Attempted));
        assert_eq!(Outcome::parse("not_attempted"), Some(Outcome::NotAttempted));
        assert_eq!(Outcome::parse("No  Attempt"), Some(Outcome::NotAttempted));
        assert_eq!(Outcome::parse("lost"), None);
        assert_eq!(Outcome::parse(""), None);
    }

    #[test]
    fn reasons_match_whole_words_top_row_first() {
        assert_eq!(Reason::classify("Apartment locked"), Some(Reason::NoAccess));
        assert_eq!(Reason::classify("apartment"), Some(Reason::Other));
        assert_eq!(Reason::classify("Customer refused ID"), Some(Reason::AgeVerification));
        assert_eq!(Reason::classify("customer refused"), Some(Reason::Refused));
        assert_eq!(Reason::classify("Unsafe - aggressive DOG"), Some(Reason::Unsafe));
        assert_eq!(Reason::classify("App glitch"), Some(Reason::AppIssue));
        assert_eq!(Reason::classify("Business_Closed"), Some(Reason::BusinessClosed));
        assert_eq!(Reason::classify("Missing or incorrect access code"), Some(Reason::NoAccess));
        assert_eq!(Reason::classify("No secure location"), Some(Reason::NoSafeLocation));
        assert_eq!(Reason::classify("Nobody home"), Some(Reason::CustomerUnavailable));
        assert_eq!(Reason::classify("Bad address"), Some(Reason::AddressNotFound));
        assert_eq!(Reason::classify("Out of driving time"), Some(Reason::OutOfDriveTime));
        assert_eq!(Reason::classify("heavy rain"), Some(Reason::Weather));
        assert_eq!(Reason::classify("rainbow"), Some(Reason::Other));
        assert_eq!(Reason::classify("damaged box"), Some(Reason::Damaged));
        assert_eq!(Reason::classify("OTP not available"), Some(Reason::AgeVerification));
        assert_eq!(Reason::classify("  "), None);
        for r in REASON_PHRASES.iter().map(|(r, _)| *r).chain([Reason::Other]) {
            assert_eq!(Reason::from_code(r.as_str()), Some(r));
        }
    }

    #[test]
    fn amazon_package_statuses_and_reason_codes() {
        let status = |t: &str| PackageStatus::parse(t).map(|s| (s.outcome, s.returned, s.pickup_failed));
        assert_eq!(status("Reattemptable"), Some((Outcome::Attempted, false, false)));
        assert_eq!(status("Undeliverable"), Some((Outcome::Attempted, false, false)));
        assert_eq!(status("Returned to station"), Some((Outcome::Attempted, true, false)));
        assert_eq!(status("RETURNED_TO_STATION"), Some((Outcome::Attempted, true, false)));
        assert_eq!(status("Missing"), Some((Outcome::NotAttempted, false, false)));
        assert_eq!(status("Pickup failed"), Some((Outcome::NotAttempted, false, true)));
        assert_eq!(status("Delivered"), Some((Outcome::Delivered, false, false)));
        assert_eq!(status(""), Some((Outcome::Attempted, false, false)));
        assert_eq!(status("  "), Some((Outcome::Attempted, false, false)));
        assert_eq!(status("Lost in transit"), None);
        assert!(is_pickup_failed("PICKUP_FAILED") && !is_pickup_failed("not attempted"));
        for nothing in ["NONE", "-", "N/A", "n/a", " ", ""] {
            assert!(says_nothing(nothing), "{nothing}");
        }
        assert!(!says_nothing("NO ITEMS DELIVERED"));
        let code = |t: &str| Reason::classify(t);
        assert_eq!(code("TR CANCELLED"), Some(Reason::Cancelled));
        assert_eq!(code("UNSAFE DUE TO DOG"), Some(Reason::Unsafe));
        assert_eq!(code("OTP NOT AVAILABLE"), Some(Reason::AgeVerification));
        assert_eq!(code("OBJECT MISSING"), Some(Reason::Missing));
        assert_eq!(code("BAD WEATHER"), Some(Reason::Weather));
        assert_eq!(code("LATE DELIVERY"), Some(Reason::Other));
        assert_eq!(code("NO ITEMS DELIVERED"), Some(Reason::Other));
        assert_eq!(code("UNABLE_TO_ACCESS"), Some(Reason::NoAccess));
        assert_eq!(code("Order canceled by customer"), Some(Reason::Cancelled));
    }

    #[test]
    fn tier_words_of_both_scales() {
        for (word, number) in [("Fantastic Plus", 3), ("fantastic", 3), ("Great", 2), ("FAIR", 1), ("Poor", 0)] {
            assert_eq!(tier_number(word), Some(number), "{word}");
        }
        for (word, number) in [("Platinum", 13), ("Gold", 12), ("Silver", 11), ("Bronze", 10)] {
            assert_eq!(tier_number(word), Some(number), "{word}");
            assert_eq!(tier_word(number), Some(word));
        }
        assert_eq!(tier_number("Excellent"), None);
    }

    #[test]
    fn yes_no_values() {
        for y in ["Y", "yes", "TRUE", "1"] {
            assert_eq!(parse_yes_no(y), Some(true));
        }
        for n in ["", "n", "No", "false", "0"] {
            assert_eq!(parse_yes_no(n), Some(false));
        }
        assert_eq!(parse_yes_no("maybe"), None);
    }
}
