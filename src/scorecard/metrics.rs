//! The scorecard's metrics and tiers (SPEC §7.1–7.2, docs/rules.md §12): what each metric
//! is, which way is better, how its values are written, its coaching trigger; the two tier
//! scales (Fantastic Plus … Poor, and the 2025 scorecard's Platinum … Bronze).

use crate::import::codes::normalise_words;

/// A metric of the weekly scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DspMetric {
    /// Delivery completion rate.
    Dcr,
    /// Delivered-not-received claims per million packages.
    DnrDpmo,
    /// Photo-on-delivery acceptance rate.
    Pod,
    /// Contact compliance.
    Cc,
    /// Negative customer delivery feedback per million.
    CdfDpmo,
    /// Customer escalations (a count).
    Ced,
    /// Delivery success behaviour defects per million.
    DsbDpmo,
    /// The FICO safe-driving score.
    Fico,
    /// Pickup success behaviour defects per million.
    Psb,
    Seatbelt,
    Speeding,
    Distraction,
    Following,
    Signal,
}

/// How a metric's values are written and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A share: `99.1%`, `99,1 %`, `0.991` (≤ 1 a fraction) or `99.1` (> 1 a percent); held
    /// as a fraction.
    Percent,
    /// Defects per million, or a count: whole numbers, thousands separators allowed.
    Whole,
    /// A score (FICO), as written.
    Score,
    /// Events per trip, as written (a `%` sign makes it a share).
    PerTrip,
}

impl DspMetric {
    pub const ALL: [DspMetric; 14] = [
        DspMetric::Dcr,
        DspMetric::DnrDpmo,
        DspMetric::Pod,
        DspMetric::Cc,
        DspMetric::CdfDpmo,
        DspMetric::Ced,
        DspMetric::DsbDpmo,
        DspMetric::Fico,
        DspMetric::Psb,
        DspMetric::Seatbelt,
        DspMetric::Speeding,
        DspMetric::Distraction,
        DspMetric::Following,
        DspMetric::Signal,
    ];

    /// The metrics the DA view and the coaching sheet chart over the weeks.
    pub const CHARTED: [DspMetric; 6] =
        [DspMetric::Dcr, DspMetric::DnrDpmo, DspMetric::Pod, DspMetric::Cc, DspMetric::CdfDpmo, DspMetric::Fico];

    /// The field's name in files and the thresholds file (`dnr_dpmo`).
    pub fn key(self) -> &'static str {
        match self {
            DspMetric::Dcr => "dcr",
            DspMetric::DnrDpmo => "dnr_dpmo",
            DspMetric::Pod => "pod",
            DspMetric::Cc => "cc",
            DspMetric::CdfDpmo => "cdf_dpmo",
            DspMetric::Ced => "ced",
            DspMetric::DsbDpmo => "dsb_dpmo",
            DspMetric::Fico => "fico",
            DspMetric::Psb => "psb",
            DspMetric::Seatbelt => "seatbelt",
            DspMetric::Speeding => "speeding",
            DspMetric::Distraction => "distraction",
            DspMetric::Following => "following",
            DspMetric::Signal => "signal",
        }
    }

    /// The name of its tier's column (`dnr_dpmo_tier`).
    pub fn tier_key(self) -> &'static str {
        match self {
            DspMetric::Dcr => "dcr_tier",
            DspMetric::DnrDpmo => "dnr_dpmo_tier",
            DspMetric::Pod => "pod_tier",
            DspMetric::Cc => "cc_tier",
            DspMetric::CdfDpmo => "cdf_dpmo_tier",
            DspMetric::Ced => "ced_tier",
            DspMetric::DsbDpmo => "dsb_dpmo_tier",
            DspMetric::Fico => "fico_tier",
            DspMetric::Psb => "psb_tier",
            DspMetric::Seatbelt => "seatbelt_tier",
            DspMetric::Speeding => "speeding_tier",
            DspMetric::Distraction => "distraction_tier",
            DspMetric::Following => "following_tier",
            DspMetric::Signal => "signal_tier",
        }
    }

    /// The metric as the scorecard names it.
    pub fn label(self) -> &'static str {
        match self {
            DspMetric::Dcr => "DCR",
            DspMetric::DnrDpmo => "DNR DPMO",
            DspMetric::Pod => "POD",
            DspMetric::Cc => "CC",
            DspMetric::CdfDpmo => "CDF DPMO",
            DspMetric::Ced => "CED",
            DspMetric::DsbDpmo => "DSB DPMO",
            DspMetric::Fico => "FICO",
            DspMetric::Psb => "PSB",
            DspMetric::Seatbelt => "Seatbelt-off rate",
            DspMetric::Speeding => "Speeding rate",
            DspMetric::Distraction => "Distractions rate",
            DspMetric::Following => "Following distance rate",
            DspMetric::Signal => "Sign/signal violations rate",
        }
    }

    pub fn form(self) -> Form {
        match self {
            DspMetric::Dcr | DspMetric::Pod | DspMetric::Cc => Form::Percent,
            DspMetric::DnrDpmo | DspMetric::CdfDpmo | DspMetric::Ced | DspMetric::DsbDpmo | DspMetric::Psb => {
                Form::Whole
            }
            DspMetric::Fico => Form::Score,
            _ => Form::PerTrip,
        }
    }

    /// Whether a higher value is better (rates and FICO); defects and events are better low.
    pub fn higher_is_better(self) -> bool {
        matches!(self, DspMetric::Dcr | DspMetric::Pod | DspMetric::Cc | DspMetric::Fico)
    }

    /// Whether `a` is worse than `b` for this metric.
    pub fn worse(self, a: f64, b: f64) -> bool {
        if self.higher_is_better() { a < b } else { a > b }
    }

    /// The value as the screen and letters show it: `99.1%`, `1,050`, `850`, `0.05`.
    pub fn show(self, value: f64) -> String {
        match self.form() {
            Form::Percent => format!("{:.1}%", value * 100.0),
            Form::Whole => with_thousands(value.round() as i64),
            Form::Score => format!("{}", value.round() as i64),
            Form::PerTrip => format!("{value:.2}"),
        }
    }
}

/// `1050` as `1,050`.
pub fn with_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Cells that give no value: `-`, `N/A`, `Coming Soon`, `No Data` and blanks.
pub fn says_no_value(text: &str) -> bool {
    // Punctuation reads as spaces: `-` is blank, `N/A` is "n a".
    matches!(normalise_words(text).as_str(), "" | "n a" | "na" | "coming soon" | "no data" | "none")
}

/// Why a cell is not a value of its metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAValue(pub String);

/// A cell's value in the metric's form (`None`: the cell gives no value). A share over
/// 100 %, a negative value or one that is not a number is refused.
pub fn parse_value(form: Form, text: &str) -> Result<Option<f64>, NotAValue> {
    if says_no_value(text) {
        return Ok(None);
    }
    let trimmed = text.trim();
    let percent_sign = trimmed.ends_with('%');
    let digits: String = trimmed.trim_end_matches('%').chars().filter(|c| !c.is_whitespace()).collect();
    let not_a_number = || NotAValue(format!("'{}' is not a number", crate::import::excerpt(trimmed)));
    let value = match form {
        Form::Whole => whole_number(&digits).ok_or_else(not_a_number)?,
        _ => decimal(&digits).ok_or_else(not_a_number)?,
    };
    if value < 0.0 {
        return Err(NotAValue(format!("'{}' is negative", crate::import::excerpt(trimmed))));
    }
    let share = match form {
        Form::Percent if percent_sign || value > 1.0 => value / 100.0,
        Form::PerTrip if percent_sign => value / 100.0,
        _ => value,
    };
    if form == Form::Percent && share > 1.0 + 1e-9 {
        return Err(NotAValue(format!("'{}' is over 100%", crate::import::excerpt(trimmed))));
    }
    Ok(Some(share))
}

/// A decimal written with a point or a comma (`99.1`, `99,1`).
fn decimal(text: &str) -> Option<f64> {
    let text = if text.contains(',') && !text.contains('.') { text.replace(',', ".") } else { text.to_string() };
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number, with thousands separated by `,`, `.` or spaces (`1,050`, `1.050`,
/// `1 050`); a separator followed by anything but groups of three digits is a decimal
/// point (`1.5`), rounded.
fn whole_number(text: &str) -> Option<f64> {
    let separators: Vec<char> = text.chars().filter(|c| matches!(c, ',' | '.')).collect();
    let grouped = !separators.is_empty()
        && separators.iter().all(|&c| c == separators[0])
        && text.split(separators[0]).skip(1).all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && text.split(separators[0]).next().is_some_and(|g| (1..=3).contains(&g.len()));
    if grouped {
        return text.replace(separators[0], "").parse::<f64>().ok();
    }
    decimal(text).map(f64::round)
}

/// The two tier scales of the scorecard, each ordered best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// Fantastic Plus, Fantastic, Great, Fair, Poor.
    Classic,
    /// The 2025 scorecard's Platinum, Gold, Silver, Bronze.
    Named2025,
}

impl Scale {
    pub fn tiers(self) -> &'static [DspTier] {
        match self {
            Scale::Classic => {
                &[DspTier::FantasticPlus, DspTier::Fantastic, DspTier::Great, DspTier::Fair, DspTier::Poor]
            }
            Scale::Named2025 => &[DspTier::Platinum, DspTier::Gold, DspTier::Silver, DspTier::Bronze],
        }
    }
}

/// A scorecard tier, kept as written (Fantastic Plus is not Fantastic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DspTier {
    FantasticPlus,
    Fantastic,
    Great,
    Fair,
    Poor,
    Platinum,
    Gold,
    Silver,
    Bronze,
}

impl DspTier {
    pub fn parse(text: &str) -> Option<DspTier> {
        // `+` is punctuation to normalise_words: `Fantastic+` is told by its last character.
        if text.trim().ends_with('+') && normalise_words(text) == "fantastic" {
            return Some(DspTier::FantasticPlus);
        }
        Some(match normalise_words(text).as_str() {
            "fantastic plus" | "fantasticplus" => DspTier::FantasticPlus,
            "fantastic" => DspTier::Fantastic,
            "great" => DspTier::Great,
            "fair" => DspTier::Fair,
            "poor" => DspTier::Poor,
            "platinum" => DspTier::Platinum,
            "gold" => DspTier::Gold,
            "silver" => DspTier::Silver,
            "bronze" => DspTier::Bronze,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            DspTier::FantasticPlus => "Fantastic Plus",
            DspTier::Fantastic => "Fantastic",
            DspTier::Great => "Great",
            DspTier::Fair => "Fair",
            DspTier::Poor => "Poor",
            DspTier::Platinum => "Platinum",
            DspTier::Gold => "Gold",
            DspTier::Silver => "Silver",
            DspTier::Bronze => "Bronze",
        }
    }

    pub fn scale(self) -> Scale {
        match self {
            DspTier::Platinum | DspTier::Gold | DspTier::Silver | DspTier::Bronze => Scale::Named2025,
            _ => Scale::Classic,
        }
    }

    /// Its place in its scale, 0 the best.
    pub fn rank(self) -> usize {
        self.scale().tiers().iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The lowest tier of its scale (Poor, Bronze).
    pub fn is_lowest(self) -> bool {
        self.rank() + 1 == self.scale().tiers().len()
    }

    /// Whether `self` is worse than `other` (tiers of two scales are not compared).
    pub fn worse_than(self, other: DspTier) -> bool {
        self.scale() == other.scale() && self.rank() > other.rank()
    }

    /// A number that round-trips through frames (1-based; 0 is no tier).
    pub fn code(self) -> u32 {
        match self {
            DspTier::FantasticPlus => 1,
            DspTier::Fantastic => 2,
            DspTier::Great => 3,
            DspTier::Fair => 4,
            DspTier::Poor => 5,
            DspTier::Platinum => 11,
            DspTier::Gold => 12,
            DspTier::Silver => 13,
            DspTier::Bronze => 14,
        }
    }

    pub fn from_code(code: u32) -> Option<DspTier> {
        [
            DspTier::FantasticPlus,
            DspTier::Fantastic,
            DspTier::Great,
            DspTier::Fair,
            DspTier::Poor,
            DspTier::Platinum,
            DspTier::Gold,
            DspTier::Silver,
            DspTier::Bronze,
        ]
        .into_iter()
        .find(|t| t.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_every_form_of_spec_7_1() {
        let p = |t: &str| parse_value(Form::Percent, t);
        for text in ["99.1%", "99,1 %", "0.991", "99.1", " 99.1 % "] {
            let v = p(text).unwrap().unwrap();
            assert!((v - 0.991).abs() < 1e-12, "{text}: {v}");
        }
        assert_eq!(p("100%").unwrap(), Some(1.0));
        assert_eq!(p("1").unwrap(), Some(1.0));
        for text in ["-", "N/A", "Coming Soon", "No Data", "", "  "] {
            assert_eq!(p(text).unwrap(), None, "{text}");
        }
        assert!(p("100.5%").unwrap_err().0.contains("over 100%"));
        assert!(p("101").unwrap_err().0.contains("over 100%"));
        assert!(p("abc").unwrap_err().0.contains("not a number"));
        assert!(p("-3%").unwrap_err().0.contains("negative"));
        let w = |t: &str| parse_value(Form::Whole, t).unwrap();
        assert_eq!(w("1,050"), Some(1050.0));
        assert_eq!(w("1.050"), Some(1050.0));
        assert_eq!(w("1 050"), Some(1050.0));
        assert_eq!(w("12,345,678"), Some(12_345_678.0));
        assert_eq!(w("2890"), Some(2890.0));
        assert_eq!(w("1.5"), Some(2.0));
        assert_eq!(w("0"), Some(0.0));
        assert_eq!(parse_value(Form::Score, "850").unwrap(), Some(850.0));
        assert_eq!(parse_value(Form::PerTrip, "0.05").unwrap(), Some(0.05));
        assert_eq!(parse_value(Form::PerTrip, "5%").unwrap(), Some(0.05));
    }

    #[test]
    fn tiers_of_both_scales_are_kept_as_written_and_ordered() {
        assert_eq!(DspTier::parse("Fantastic+"), Some(DspTier::FantasticPlus));
        assert_eq!(DspTier::parse("fantastic plus"), Some(DspTier::FantasticPlus));
        assert_eq!(DspTier::parse("GOLD"), Some(DspTier::Gold));
        assert_eq!(DspTier::parse("At Risk"), None);
        assert!(DspTier::Fair.worse_than(DspTier::Great));
        assert!(!DspTier::Gold.worse_than(DspTier::Poor), "scales are not compared");
        assert!(DspTier::Poor.is_lowest() && DspTier::Bronze.is_lowest() && !DspTier::Fair.is_lowest());
        for tier in Scale::Classic.tiers().iter().chain(Scale::Named2025.tiers()) {
            assert_eq!(DspTier::from_code(tier.code()), Some(*tier));
            assert_eq!(DspTier::parse(tier.label()), Some(*tier));
        }
        assert_eq!(with_thousands(2890), "2,890");
        assert_eq!(with_thousands(1_234_567), "1,234,567");
        assert_eq!(with_thousands(12), "12");
        assert_eq!(DspMetric::Dcr.show(0.982), "98.2%");
        assert_eq!(DspMetric::DnrDpmo.show(1445.0), "1,445");
    }
}
