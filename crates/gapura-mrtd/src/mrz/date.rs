//! Dates: a checked calendar date for reference dates, and the MRZ's six-character dates
//! whose two-digit year is resolved against a reference date the caller gives (never the
//! clock: the domain stays deterministic and testable at century edges).
//!
//! Unknown parts. Doc 9303 Part 3 lets an issuer print `<<` for a part of a date it does not
//! know (typically day and month of birth). Such a part is kept as unknown rather than guessed,
//! and written `XX` in JSON (`1974-XX-XX`), the "unspecified digits" notation of ISO 8601-2 /
//! EDTF, so a date stays one string and sorts by what is known. `00` for an unknown part, which
//! some states print, is not accepted: it is not a calendar value and Doc 9303 does not define it.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a date was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD` (with `XX`/`XXXX` for unknown parts where allowed).
    #[error("expected YYYY-MM-DD, found {0:?}")]
    Format(String),
    /// The month is not 1–12.
    #[error("month {0} does not exist")]
    Month(u8),
    /// The day does not exist in that month (30 February, 31 April, 29 February 2023).
    #[error("day {day} does not exist in month {month} of {year}")]
    Day { year: String, month: u8, day: u8 },
}

/// A proleptic Gregorian date with every part known and valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarDate {
    year: i32,
    month: u8,
    day: u8,
}

impl CalendarDate {
    /// Checks that the date exists.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        if day == 0 || day > days_in_month(Some(year), month) {
            return Err(DateError::Day { year: year.to_string(), month, day });
        }
        Ok(Self { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (negative before): how a caller turns a clock
    /// reading into a reference date without this crate reading the clock.
    pub fn from_days_since_unix_epoch(days: i64) -> Self {
        // Howard Hinnant's civil_from_days; exact for every i32 year.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year: year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, month, day }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_unix_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for CalendarDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let date: MrzDate = s.parse()?;
        date.calendar_date().ok_or_else(|| DateError::Format(s.to_string()))
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A date as an MRZ can state it: each part known or unknown (`<<` on the document).
///
/// Invariant: known parts are valid together (month 1–12; the day exists in that month, and
/// in that year when the year is known; 29 February is allowed when the year is unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MrzDate {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
}

impl MrzDate {
    /// Builds a date from the parts that are known, checking they can go together.
    pub fn new(year: Option<i32>, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Month(m));
            }
        }
        if let Some(d) = day {
            let most = match month {
                Some(m) => days_in_month(year, m),
                None => 31,
            };
            if d == 0 || d > most {
                let year = year.map_or_else(|| "an unknown year".to_string(), |y| y.to_string());
                return Err(DateError::Day { year, month: month.unwrap_or(0), day: d });
            }
        }
        Ok(Self { year, month, day })
    }

    pub fn year(self) -> Option<i32> {
        self.year
    }

    pub fn month(self) -> Option<u8> {
        self.month
    }

    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The full date, when every part is known.
    pub fn calendar_date(self) -> Option<CalendarDate> {
        CalendarDate::new(self.year?, self.month?, self.day?).ok()
    }

    /// The six MRZ characters (`YYMMDD`, `<<` for unknown parts).
    pub(crate) fn to_mrz(self) -> String {
        let part = |p: Option<u32>| p.map_or_else(|| "<<".to_string(), |v| format!("{v:02}"));
        format!(
            "{}{}{}",
            part(self.year.map(|y| y.rem_euclid(100) as u32)),
            part(self.month.map(u32::from)),
            part(self.day.map(u32::from))
        )
    }
}

impl From<CalendarDate> for MrzDate {
    fn from(d: CalendarDate) -> Self {
        Self { year: Some(d.year), month: Some(d.month), day: Some(d.day) }
    }
}

impl fmt::Display for MrzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}")?,
            None => f.write_str("XXXX")?,
        }
        for part in [self.month, self.day] {
            match part {
                Some(v) => write!(f, "-{v:02}")?,
                None => f.write_str("-XX")?,
            }
        }
        Ok(())
    }
}

impl FromStr for MrzDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DateError::Format(s.to_string());
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        fn part<T: FromStr>(p: &str, unknown: &str) -> Result<Option<T>, ()> {
            if p == unknown {
                Ok(None)
            } else if p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map(Some).map_err(|_| ())
            } else {
                Err(())
            }
        }
        let year = part::<i32>(y, "XXXX").map_err(|()| bad())?;
        let month = part::<u8>(m, "XX").map_err(|()| bad())?;
        let day = part::<u8>(d, "XX").map_err(|()| bad())?;
        MrzDate::new(year, month, day)
    }
}

impl Serialize for MrzDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MrzDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Which rule picks the century of a two-digit year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YearRule {
    /// The latest century that does not put the date after the reference date: nobody is
    /// born in the future, and people over a hundred are rarer than misprints.
    Birth,
    /// The century that puts the date nearest the reference date: documents run for ten
    /// years or so either side of today, never a century.
    Expiry,
}

/// The four-digit year for `yy`, with unknown month and day taken as 1 January (so a person
/// born "sometime this year" is not pushed back a century).
pub(crate) fn resolve_year(
    yy: u8,
    month: Option<u8>,
    day: Option<u8>,
    reference: CalendarDate,
    rule: YearRule,
) -> i32 {
    let century = reference.year.div_euclid(100) * 100;
    let (m, d) = (month.unwrap_or(1), day.unwrap_or(1));
    let at = |year: i32| days_from_civil(i64::from(year), m, d);
    let reference_days = reference.days_since_unix_epoch();
    match rule {
        YearRule::Birth => {
            let this = century + i32::from(yy);
            match at(this).cmp(&reference_days) {
                Ordering::Greater => this - 100,
                _ => this,
            }
        }
        YearRule::Expiry => {
            let mut best = century + i32::from(yy) - 100;
            for candidate in [century + i32::from(yy), century + i32::from(yy) + 100] {
                // On an exact tie the later century wins: a document is more often read
                // before it expires than long after.
                if (at(candidate) - reference_days).abs() <= (at(best) - reference_days).abs() {
                    best = candidate;
                }
            }
            best
        }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month`; with the year unknown February may have 29.
fn days_in_month(year: Option<i32>, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !is_leap(y) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

/// Howard Hinnant's days_from_civil; arithmetic only, so it never fails for a sane month.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
