//! Timestamp and date forms of docs/rules.md §1.9, turned into instants (epoch milliseconds, UTC)
//! and calendar days in the fleet's time zone.

// Cells come straight from untrusted files: no indexing that could panic.
#![deny(clippy::indexing_slicing)]

use chrono::{Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

pub const MS_PER_DAY: i64 = 86_400_000;
pub const MS_PER_MINUTE: i64 = 60_000;

/// Days since 1970-01-01, the unit of every "day" in Standwatch.
pub type Day = i32;

/// A date with an optional time and offset, as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// Offset from UTC in seconds, when the value carried one.
    pub offset: Option<i32>,
}

/// How a `NN/NN/YYYY` value could be read, for day-first detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlashOrder {
    /// Not a slash date with the year last, or valid both ways.
    Either,
    OnlyDayFirst,
    OnlyMonthFirst,
}

/// The fleet's time zone: naive timestamps are read in it and days are its calendar dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetZone(pub Tz);

impl Default for FleetZone {
    fn default() -> Self {
        FleetZone(Tz::UTC)
    }
}

/// A time zone name that is not in the IANA database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone '{0}' (use an IANA name such as America/New_York)")]
pub struct UnknownZone(pub String);

/// A date argument that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date (expected YYYY-MM-DD)")]
pub struct NotADate(pub String);

impl FleetZone {
    pub fn parse(name: &str) -> Result<FleetZone, UnknownZone> {
        name.trim().parse::<Tz>().map(FleetZone).map_err(|_| UnknownZone(name.to_string()))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The instant of a local wall-clock time. An ambiguous time (clocks going back) is the
    /// first occurrence; a time skipped by clocks going forward is read with the offset in
    /// force before the jump, as most tools do.
    pub fn local_to_ms(&self, local: NaiveDateTime) -> i64 {
        if self.0 == Tz::UTC {
            return local.and_utc().timestamp_millis();
        }
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.timestamp_millis(),
            LocalResult::None => {
                let before = local.and_utc() - chrono::Duration::days(1);
                let offset = self.0.offset_from_utc_datetime(&before.naive_utc()).fix();
                (local - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc().timestamp_millis()
            }
        }
    }

    /// Today's day in this zone.
    pub fn today(&self) -> Day {
        self.day_of(chrono::Utc::now().timestamp_millis())
    }

    /// The calendar day, in this zone, of an instant.
    pub fn day_of(&self, ms: i64) -> Day {
        let local_ms = if self.0 == Tz::UTC {
            ms
        } else {
            match chrono::DateTime::from_timestamp_millis(ms) {
                Some(utc) => {
                    ms + 1000 * i64::from(self.0.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc())
                }
                None => ms,
            }
        };
        local_ms.div_euclid(MS_PER_DAY) as Day
    }

    /// The wall-clock time of an instant in this zone.
    pub fn local(&self, ms: i64) -> NaiveDateTime {
        let utc = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().naive_utc();
        if self.0 == Tz::UTC {
            return utc;
        }
        utc + chrono::Duration::seconds(i64::from(self.0.offset_from_utc_datetime(&utc).fix().local_minus_utc()))
    }

    /// The instant of a local wall-clock time given as a day and milliseconds into it.
    pub fn instant_of_local(&self, day: Day, ms_of_day: i64) -> i64 {
        let local_ms = i64::from(day) * MS_PER_DAY + ms_of_day;
        if self.0 == Tz::UTC {
            return local_ms;
        }
        match chrono::DateTime::from_timestamp_millis(local_ms) {
            Some(local) => self.local_to_ms(local.naive_utc()),
            None => local_ms,
        }
    }

    /// The instant of a written value; a date alone is the start of the day, or its last
    /// second when `date_means_end_of_day`.
    pub fn instant(&self, w: Written, date_means_end_of_day: bool) -> i64 {
        let time = w.time.unwrap_or_else(|| {
            if date_means_end_of_day {
                NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
            } else {
                NaiveTime::MIN
            }
        });
        let local = w.date.and_time(time);
        match w.offset {
            Some(secs) => (local - chrono::Duration::seconds(i64::from(secs))).and_utc().timestamp_millis(),
            None => self.local_to_ms(local),
        }
    }
}

/// The local day and the milliseconds into it of `YYYY-MM-DD HH:MM:SS` (or with `T`),
/// the form nearly every export writes, read without the general parser. `None` for any
/// other form and for values the general parser must judge (bad dates, other years).
pub fn plain_iso(text: &str) -> Option<(Day, i64)> {
    let b: &[u8; 19] = text.as_bytes().try_into().ok()?;
    let [y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b' ' | b'T', h0, h1, b':', mi0, mi1, b':', s0, s1] = *b else {
        return None;
    };
    let digits = [y0, y1, y2, y3, mo0, mo1, d0, d1, h0, h1, mi0, mi1, s0, s1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |hi: u8, lo: u8| u32::from(hi - b'0') * 10 + u32::from(lo - b'0');
    let year = (n(y0, y1) * 100 + n(y2, y3)) as i32;
    let (month, day) = (n(mo0, mo1), n(d0, d1));
    let (hour, minute, second) = (n(h0, h1), n(mi0, mi1), n(s0, s1));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !SUPPORTED_YEARS.contains(&year) || day == 0 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days from 1970-01-01 to the civil date (H. Hinnant's algorithm, years from March).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year as i32;
    let days = era * 146_097 + day_of_era - 719_468;
    Some((days, i64::from(hour * 3_600_000 + minute * 60_000 + second * 1000)))
}

pub fn day_from_date(date: NaiveDate) -> Day {
    (date.num_days_from_ce() - 719_163) as Day
}

pub fn date_from_day(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day + 719_163).unwrap_or(NaiveDate::MIN)
}

/// Years a timestamp in an export may have; anything else (year 0, 9999) is a broken cell
/// that would otherwise stretch every window and chart across millennia.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1970..=2199;

/// Parses a user-given date (`--as-of` and the like): ISO, `YYYY/MM/DD` or US `MM/DD/YYYY`.
pub fn parse_date_arg(text: &str, day_first: bool) -> Result<NaiveDate, NotADate> {
    match parse_written(text, day_first) {
        Some(w) if w.time.is_none() && SUPPORTED_YEARS.contains(&w.date.year()) => Ok(w.date),
        _ => Err(NotADate(text.to_string())),
    }
}

/// Classifies a value for day-first detection without parsing it fully.
pub fn slash_order(text: &str) -> SlashOrder {
    let b = text.trim().as_bytes();
    let (first, rest) = leading_number(b);
    let Some(first) = first else { return SlashOrder::Either };
    if rest.first() != Some(&b'/') || b.len() - rest.len() > 2 {
        return SlashOrder::Either;
    }
    let (second, rest2) = leading_number(rest.get(1..).unwrap_or_default());
    let Some(second) = second else { return SlashOrder::Either };
    if rest2.first() != Some(&b'/') {
        return SlashOrder::Either;
    }
    match (first <= 12, second <= 12) {
        (false, true) if first <= 31 => SlashOrder::OnlyDayFirst,
        (true, false) if second <= 31 => SlashOrder::OnlyMonthFirst,
        _ => SlashOrder::Either,
    }
}

fn leading_number(b: &[u8]) -> (Option<u32>, &[u8]) {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return (None, b);
    }
    let n = b.get(..digits).unwrap_or_default().iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    (Some(n), b.get(digits..).unwrap_or_default())
}

/// Parses every accepted form: ISO 8601 (`T` or space, optional seconds and fraction,
/// optional `Z`/`±HH:MM` offset), `YYYY/MM/DD HH:MM[:SS]`, and `MM/DD/YYYY HH:MM[:SS]`
/// with optional AM/PM (`DD/MM/YYYY` when `day_first`); each also as a date alone.
pub fn parse_written(text: &str, day_first: bool) -> Option<Written> {
    let s = text.trim().as_bytes();
    let (a, rest) = leading_number(s);
    let a = a?;
    let a_len = s.len() - rest.len();
    let sep = *rest.first()?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let (b, rest) = leading_number(rest.get(1..).unwrap_or_default());
    let b = b?;
    if rest.first() != Some(&sep) {
        return None;
    }
    let (c, rest_after_c) = leading_number(rest.get(1..).unwrap_or_default());
    let c = c?;
    let c_len = rest.len() - 1 - rest_after_c.len();
    let date = if a_len == 4 {
        NaiveDate::from_ymd_opt(a as i32, b, c)?
    } else if sep == b'/' && c_len == 4 && a_len <= 2 {
        let (month, day) = if day_first { (b, a) } else { (a, b) };
        NaiveDate::from_ymd_opt(c as i32, month, day)?
    } else {
        return None;
    };
    let rest = rest_after_c;
    if rest.is_empty() {
        return Some(Written { date, time: None, offset: None });
    }
    // Date and time are separated by `T` or whitespace.
    let rest = match rest.first() {
        Some(b'T' | b't') => rest.get(1..).unwrap_or_default(),
        Some(b' ' | b'\t') => trim_start(rest),
        _ => return None,
    };
    let (time, rest) = parse_time(rest)?;
    let rest = trim_start(rest);
    let (time, rest) = apply_meridiem(time, rest)?;
    let rest = trim_start(rest);
    let offset = if rest.is_empty() { None } else { Some(parse_offset(rest)?) };
    Some(Written { date, time: Some(time), offset })
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    b.get(n..).unwrap_or_default()
}

fn parse_time(b: &[u8]) -> Option<(NaiveTime, &[u8])> {
    let (h, rest) = leading_number(b);
    let h = h?;
    if b.len() - rest.len() > 2 || rest.first() != Some(&b':') {
        return None;
    }
    let (m, rest) = leading_number(rest.get(1..).unwrap_or_default());
    let m = m?;
    let (sec, mut rest) = if rest.first() == Some(&b':') {
        let (s, r) = leading_number(rest.get(1..).unwrap_or_default());
        (s?, r)
    } else {
        (0, rest)
    };
    let mut milli = 0u32;
    if rest.first() == Some(&b'.') || rest.first() == Some(&b',') {
        let digits = rest.get(1..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for (i, d) in rest.get(1..1 + digits.min(3)).unwrap_or_default().iter().enumerate() {
            milli += u32::from(d - b'0') * 10u32.pow(2 - i as u32);
        }
        rest = rest.get(1 + digits..).unwrap_or_default();
    }
    Some((NaiveTime::from_hms_milli_opt(h, m, sec, milli)?, rest))
}

fn apply_meridiem(time: NaiveTime, rest: &[u8]) -> Option<(NaiveTime, &[u8])> {
    use chrono::Timelike;
    let mut lower = [0u8; 4];
    for (l, c) in lower.iter_mut().zip(rest) {
        *l = c.to_ascii_lowercase();
    }
    let (pm, used) = if lower.starts_with(b"a.m.") {
        (false, 4)
    } else if lower.starts_with(b"p.m.") {
        (true, 4)
    } else if lower.starts_with(b"am") {
        (false, 2)
    } else if lower.starts_with(b"pm") {
        (true, 2)
    } else {
        return Some((time, rest));
    };
    let hour = time.hour();
    if hour == 0 || hour > 12 {
        return None;
    }
    let hour24 = match (pm, hour) {
        (false, 12) => 0,
        (false, h) => h,
        (true, 12) => 12,
        (true, h) => h + 12,
    };
    Some((time.with_hour(hour24)?, rest.get(used..).unwrap_or_default()))
}

fn parse_offset(b: &[u8]) -> Option<i32> {
    if b.eq_ignore_ascii_case(b"z") || b.eq_ignore_ascii_case(b"utc") || b.eq_ignore_ascii_case(b"gmt") {
        return Some(0);
    }
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<u32> = b
        .get(1..)
        .unwrap_or_default()
        .iter()
        .filter(|c| **c != b':')
        .map(|c| if c.is_ascii_digit() { Some(u32::from(c - b'0')) } else { None })
        .collect::<Option<Vec<u32>>>()?;
    let (h, m) = match digits.as_slice() {
        [h1, h2] => (h1 * 10 + h2, 0),
        [h1, h2, m1, m2] => (h1 * 10 + h2, m1 * 10 + m2),
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60) as i32).map(|o| o.local_minus_utc())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    #[test]
    fn the_plain_form_reads_as_the_general_parser_does() {
        let zones = [FleetZone::default(), FleetZone::parse("America/New_York").unwrap()];
        for text in [
            "2026-01-05 07:29:53",
            "2026-01-05T00:00:00",
            "1970-01-01 00:00:00",
            "2199-12-31 23:59:59",
            "2024-02-29 12:00:00",
            "2000-02-29 12:00:00",
            "2026-03-08 02:30:00",
            "2026-11-01 01:30:00",
        ] {
            let (day, ms) = plain_iso(text).unwrap();
            for zone in zones {
                let general = zone.instant(parse_written(text, false).unwrap(), false);
                assert_eq!(zone.instant_of_local(day, ms), general, "{text} in {}", zone.name());
            }
        }
        // Left to the general parser, which accepts or explains them.
        for text in [
            "2026-02-29 12:00:00",
            "1900-02-29 12:00:00",
            "2026-13-01 00:00:00",
            "2026-04-31 00:00:00",
            "2026-01-05 24:00:00",
            "2026-01-05 23:60:00",
            "2026-01-05 23:59:60",
            "1969-12-31 23:59:59",
            "2200-01-01 00:00:00",
            "2026-01-05 07:29",
            "2026-01-05 07:29:53Z",
            "2026/01/05 07:29:53",
            "2026-01-05 07:29:5x",
            "２026-01-05 07:29:53",
        ] {
            assert_eq!(plain_iso(text), None, "{text}");
        }
    }

    use super::*;

    fn utc(text: &str) -> i64 {
        FleetZone::default().instant(parse_written(text, false).unwrap(), false)
    }

    fn iso_ms(text: &str) -> i64 {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_millis()
    }

    #[test]
    fn accepts_every_form() {
        let want = iso_ms("2026-03-02 07:05:00");
        for form in [
            "2026-03-02T07:05",
            "2026-03-02 07:05:00",
            "2026-03-02T07:05:00Z",
            "2026-03-02T09:05:00+02:00",
            "2026-03-02T02:05:00-0500",
            "2026/03/02 07:05",
            "03/02/2026 07:05",
            "3/2/2026 7:05 AM",
            "03/02/2026 07:05:00am",
            "  2026-03-02 07:05:00.000 ",
        ] {
            assert_eq!(utc(form), want, "{form}");
        }
        assert_eq!(utc("03/02/2026 7:05 PM"), iso_ms("2026-03-02 19:05:00"));
        assert_eq!(utc("03/02/2026 12:00 AM"), iso_ms("2026-03-02 00:00:00"));
        assert_eq!(utc("03/02/2026 12:30 PM"), iso_ms("2026-03-02 12:30:00"));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30 07:00",
            "31/31/2026",
            "2026-03-02 25:00",
            "2026-03-02 07:00 XM",
            "13:00 PM",
            "03/02/2026 13:00 PM",
            "2026-03-02T07:00+25:00",
        ] {
            assert!(parse_written(bad, false).is_none(), "{bad}");
        }
    }

    #[test]
    fn date_alone_and_end_of_day() {
        let w = parse_written("2026-03-02", false).unwrap();
        assert_eq!(w.time, None);
        let zone = FleetZone::default();
        assert_eq!(zone.instant(w, true), iso_ms("2026-03-02 23:59:59"));
        assert_eq!(zone.instant(w, false), iso_ms("2026-03-02 00:00:00"));
    }

    #[test]
    fn day_first_reading_and_detection() {
        assert_eq!(parse_written("02/03/2026", true).unwrap().date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(parse_written("13/03/2026", false), None);
        assert_eq!(slash_order("13/03/2026 07:00"), SlashOrder::OnlyDayFirst);
        assert_eq!(slash_order("03/13/2026"), SlashOrder::OnlyMonthFirst);
        assert_eq!(slash_order("03/04/2026"), SlashOrder::Either);
        assert_eq!(slash_order("2026/03/13"), SlashOrder::Either);
    }

    #[test]
    fn time_zone_and_dst() {
        let ny = FleetZone::parse("America/New_York").unwrap();
        // Winter: UTC-5.
        let w = parse_written("2026-03-07 22:00", false).unwrap();
        assert_eq!(ny.instant(w, false), iso_ms("2026-03-08 03:00:00"));
        assert_eq!(
            ny.day_of(iso_ms("2026-03-08 03:00:00")),
            day_from_date(NaiveDate::from_ymd_opt(2026, 3, 7).unwrap())
        );
        // Summer after the 2026-03-08 jump: UTC-4.
        let w = parse_written("2026-03-08 12:00", false).unwrap();
        assert_eq!(ny.instant(w, false), iso_ms("2026-03-08 16:00:00"));
        // 02:30 does not exist that night: read with the winter offset.
        let w = parse_written("2026-03-08 02:30", false).unwrap();
        assert_eq!(ny.instant(w, false), iso_ms("2026-03-08 07:30:00"));
        // 01:30 on 2026-11-01 happens twice: the first one (UTC-4).
        let w = parse_written("2026-11-01 01:30", false).unwrap();
        assert_eq!(ny.instant(w, false), iso_ms("2026-11-01 05:30:00"));
        // An explicit offset wins over the zone.
        let w = parse_written("2026-03-02T07:00:00Z", false).unwrap();
        assert_eq!(ny.instant(w, false), iso_ms("2026-03-02 07:00:00"));
        assert!(FleetZone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn days_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(date_from_day(day_from_date(d)), d);
        assert_eq!(day_from_date(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(FleetZone::default().day_of(-1), -1);
    }
}
