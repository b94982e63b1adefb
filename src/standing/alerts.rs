//! docs/rules.md §5 alert codes, as a small set.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Alert {
    // Most severe first: the order the alerts view lists them in.
    AtRisk,
    AppealDue,
    TierDrop,
    NearDrop,
    NewDnr,
    Unreturned,
    Disputable,
    FollowUp,
    CoachingDue,
}

impl Alert {
    pub const ALL: [Alert; 9] = [
        Alert::AtRisk,
        Alert::AppealDue,
        Alert::TierDrop,
        Alert::NearDrop,
        Alert::NewDnr,
        Alert::Unreturned,
        Alert::Disputable,
        Alert::FollowUp,
        Alert::CoachingDue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Alert::AtRisk => "AT_RISK",
            Alert::AppealDue => "APPEAL_DUE",
            Alert::TierDrop => "TIER_DROP",
            Alert::NearDrop => "NEAR_DROP",
            Alert::NewDnr => "NEW_DNR",
            Alert::Unreturned => "UNRETURNED",
            Alert::Disputable => "DISPUTABLE",
            Alert::FollowUp => "FOLLOW_UP",
            Alert::CoachingDue => "COACHING_DUE",
        }
    }

    /// The alert in a few words, for screens (codes stay in tooltips and exports).
    pub fn words(self) -> &'static str {
        match self {
            Alert::AtRisk => "At Risk",
            Alert::AppealDue => "Appeal due",
            Alert::TierDrop => "Dropped a tier",
            Alert::NearDrop => "One miss from dropping",
            Alert::NewDnr => "New DNR claim",
            Alert::Unreturned => "Not returned",
            Alert::Disputable => "Disputable",
            Alert::FollowUp => "Follow up",
            Alert::CoachingDue => "Coaching check due",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Alerts(u16);

impl Alerts {
    pub fn set(&mut self, alert: Alert, on: bool) {
        if on {
            self.0 |= alert.bit();
        }
    }

    pub fn has(self, alert: Alert) -> bool {
        self.0 & alert.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Most severe first.
    pub fn iter(self) -> impl Iterator<Item = Alert> {
        Alert::ALL.into_iter().filter(move |a| self.has(*a))
    }

    /// Codes in alphabetical order, as the CLI writes them.
    pub fn sorted_codes(self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self.iter().map(Alert::code).collect();
        codes.sort_unstable();
        codes
    }
}

impl Serialize for Alerts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.sorted_codes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_alphabetical_and_iteration_by_severity() {
        let mut a = Alerts::default();
        for alert in [Alert::Unreturned, Alert::AtRisk, Alert::AppealDue, Alert::Disputable] {
            a.set(alert, true);
        }
        a.set(Alert::TierDrop, false);
        assert_eq!(a.sorted_codes(), ["APPEAL_DUE", "AT_RISK", "DISPUTABLE", "UNRETURNED"]);
        assert_eq!(a.iter().next(), Some(Alert::AtRisk));
        assert!(!a.has(Alert::TierDrop));
    }
}
