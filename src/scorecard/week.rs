//! Scorecard weeks (SPEC §7.1): week N of year Y, read from a cell (`2026-W17`, `W17 2026`,
//! `Week 17` or `17` with a year), a file name, or `--week`. Amazon's week N runs Sunday to
//! Saturday, from the Sunday before ISO week N's Monday; with `week_starts = monday` it is
//! the ISO week itself. A day belongs to the week that holds it.

use crate::import::time::{Day, date_from_day, day_from_date};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The day a scorecard week starts on (a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekStart {
    /// Amazon's weeks: Sunday to Saturday.
    #[default]
    Sunday,
    /// ISO weeks: Monday to Sunday.
    Monday,
}

/// A scorecard week: week `number` (1–53) of `year`, as Amazon numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    pub year: i32,
    pub number: u32,
}

impl Week {
    /// The week if ISO week `number` exists in `year` (53 only in long years).
    pub fn new(year: i32, number: u32) -> Option<Week> {
        NaiveDate::from_isoywd_opt(year, number, Weekday::Mon).map(|_| Week { year, number })
    }

    /// Its first day.
    pub fn start(self, starts: WeekStart) -> Day {
        let monday = NaiveDate::from_isoywd_opt(self.year, self.number, Weekday::Mon).map_or(0, day_from_date);
        match starts {
            WeekStart::Sunday => monday - 1,
            WeekStart::Monday => monday,
        }
    }

    /// Its last day.
    pub fn end(self, starts: WeekStart) -> Day {
        self.start(starts) + 6
    }

    /// The week that holds `day`.
    pub fn of_day(day: Day, starts: WeekStart) -> Week {
        // A Sunday opens the week of the ISO week that starts the next day.
        let shifted = match starts {
            WeekStart::Sunday => day + 1,
            WeekStart::Monday => day,
        };
        let iso = date_from_day(shifted).iso_week();
        Week { year: iso.year(), number: iso.week() }
    }

    /// The week before.
    pub fn previous(self) -> Week {
        let monday = NaiveDate::from_isoywd_opt(self.year, self.number, Weekday::Mon).map_or(0, day_from_date);
        let iso = date_from_day(monday - 7).iso_week();
        Week { year: iso.year(), number: iso.week() }
    }

    /// `2026-W17`.
    pub fn label(self) -> String {
        format!("{}-W{:02}", self.year, self.number)
    }

    /// The week as one number that sorts as weeks do (`202617`), as frames hold it.
    pub fn code(self) -> i32 {
        self.year * 100 + self.number as i32
    }

    pub fn from_code(code: i32) -> Option<Week> {
        Week::new(code.div_euclid(100), u32::try_from(code.rem_euclid(100)).ok()?)
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// What a week cell says: a whole week, or only its number (the year comes from a `Year`
/// column, the file name or `--week`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekText {
    Week(Week),
    Number(u32),
}

/// The words of a week text: runs of letters and of digits, lower case.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last: Option<bool> = None;
    for c in text.chars() {
        let digit = c.is_ascii_digit();
        if !c.is_alphanumeric() {
            last = None;
            continue;
        }
        match out.last_mut() {
            Some(word) if last == Some(digit) => word.extend(c.to_lowercase()),
            _ => out.push(c.to_lowercase().collect()),
        }
        last = Some(digit);
    }
    out
}

fn number_of(token: &str) -> Option<u32> {
    (token.len() <= 2).then(|| token.parse().ok()).flatten().filter(|n| (1..=53).contains(n))
}

fn year_of(token: &str) -> Option<i32> {
    (token.len() == 4).then(|| token.parse().ok()).flatten().filter(|y| (1990..=2200).contains(y))
}

/// The words that may stand before a week's number.
const WEEK_WORDS: [&str; 5] = ["w", "week", "wk", "semana", "semaine"];

/// A week cell: `2026-W17`, `2026W17`, `W17 2026`, `Week 17 2026`, `Week 17`, `17`.
pub fn parse_week(text: &str) -> Option<WeekText> {
    let words = tokens(text);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let full = |year: &str, number: &str| Week::new(year_of(year)?, number_of(number)?).map(WeekText::Week);
    match words.as_slice() {
        [n] => number_of(n).map(WeekText::Number),
        [w, n] if WEEK_WORDS.contains(w) => number_of(n).map(WeekText::Number),
        [y, w, n] if WEEK_WORDS.contains(w) => full(y, n),
        [w, n, y] if WEEK_WORDS.contains(w) => full(y, n),
        _ => None,
    }
}

/// The week a file's name gives (`… Week 17 2026 …`, `…2026-W17…`, `W17-2026`), if one.
pub fn week_in_name(name: &str) -> Option<Week> {
    let words = tokens(name);
    words.windows(3).find_map(|w| {
        let [a, b, c] = [w[0].as_str(), w[1].as_str(), w[2].as_str()];
        match () {
            _ if WEEK_WORDS.contains(&b) => Week::new(year_of(a)?, number_of(c)?),
            _ if WEEK_WORDS.contains(&a) => Week::new(year_of(c)?, number_of(b)?),
            _ => None,
        }
    })
}

/// A `--week` value: a whole week (`2026-W17`, `W17 2026`).
pub fn parse_week_arg(text: &str) -> Option<Week> {
    match parse_week(text)? {
        WeekText::Week(w) => Some(w),
        WeekText::Number(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn amazon_weeks_run_sunday_to_saturday_before_the_iso_week() {
        // ISO week 17 of 2026 runs Monday 20 April to Sunday 26 April.
        let w17 = Week::new(2026, 17).unwrap();
        assert_eq!(w17.start(WeekStart::Sunday), day(2026, 4, 19));
        assert_eq!(w17.end(WeekStart::Sunday), day(2026, 4, 25));
        assert_eq!(w17.start(WeekStart::Monday), day(2026, 4, 20));
        assert_eq!(Week::of_day(day(2026, 4, 19), WeekStart::Sunday), w17);
        assert_eq!(Week::of_day(day(2026, 4, 25), WeekStart::Sunday), w17);
        assert_eq!(Week::of_day(day(2026, 4, 26), WeekStart::Sunday).number, 18);
        assert_eq!(Week::of_day(day(2026, 4, 26), WeekStart::Monday), w17);
        // Across the new year: 2026 has 53 ISO weeks; its week 53 starts on Sunday 27 Dec.
        let w53 = Week::new(2026, 53).unwrap();
        assert_eq!(w53.start(WeekStart::Sunday), day(2026, 12, 27));
        assert_eq!(Week::of_day(day(2027, 1, 2), WeekStart::Sunday), w53);
        assert_eq!(Week::of_day(day(2027, 1, 3), WeekStart::Sunday), Week::new(2027, 1).unwrap());
        assert_eq!(Week::new(2027, 1).unwrap().previous(), w53);
        assert!(Week::new(2025, 53).is_none());
    }

    #[test]
    fn every_day_is_in_the_week_that_starts_at_most_six_days_before() {
        for d in day(2024, 12, 20)..day(2027, 1, 10) {
            for starts in [WeekStart::Sunday, WeekStart::Monday] {
                let w = Week::of_day(d, starts);
                assert!((w.start(starts)..=w.end(starts)).contains(&d), "{d} {w} {starts:?}");
                assert_eq!(Week::from_code(w.code()), Some(w));
            }
        }
    }

    #[test]
    fn week_cells_file_names_and_arguments() {
        let w17 = WeekText::Week(Week::new(2026, 17).unwrap());
        for text in ["2026-W17", "2026W17", "2026-w17", "W17 2026", "Week 17 2026", "week 17, 2026", "2026 Week 17"] {
            assert_eq!(parse_week(text), Some(w17), "{text}");
        }
        for text in ["Week 17", "17", "W17", "Semana 17", "semaine 17"] {
            assert_eq!(parse_week(text), Some(WeekText::Number(17)), "{text}");
        }
        for text in ["", "Week", "54", "2026-W54", "2025-W53", "next week", "17 18"] {
            assert_eq!(parse_week(text), None, "{text}");
        }
        assert_eq!(week_in_name("DSP Overview Week 17 2026.csv"), Week::new(2026, 17));
        assert_eq!(week_in_name("scorecard_2026-W09_DLA9.xlsx"), Week::new(2026, 9));
        assert_eq!(week_in_name("W17-2026.csv"), Week::new(2026, 17));
        assert_eq!(week_in_name("scorecard.csv"), None);
        assert_eq!(parse_week_arg("2026-W05"), Week::new(2026, 5));
        assert_eq!(parse_week_arg("5"), None);
        assert_eq!(Week::new(2026, 5).unwrap().label(), "2026-W05");
    }
}
