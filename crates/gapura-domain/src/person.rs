//! Values that describe a person on a list or at a border: a date of birth that may be partly
//! unknown, and sex as a travel document records it.

use serde::{Deserialize, Serialize};

/// A date of birth whose day, month or year may be unknown, written `1975-03-09`,
/// `1975-03-XX`, `1975-XX-XX` or `XXXX-XX-XX` (the notation of travel documents, where `<<`
/// in a machine-readable zone stands for an unknown part). A known day needs a known month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    year: Option<u16>,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a partial date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date {0:?} must be YYYY-MM-DD with XX (or XXXX) for an unknown part, e.g. 1975-03-09 or 1975-XX-XX")]
pub struct PartialDateError(pub String);

impl PartialDate {
    pub fn new(
        year: Option<u16>,
        month: Option<u8>,
        day: Option<u8>,
    ) -> Result<PartialDate, PartialDateError> {
        let d = PartialDate { year, month, day };
        let bad = || PartialDateError(d.to_string());
        if let Some(y) = year {
            if !(1800..=2999).contains(&y) {
                return Err(bad());
            }
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
        }
        if let Some(dd) = day {
            let Some(m) = month else { return Err(bad()) };
            if dd == 0 || dd > days_in_month(year, m) {
                return Err(bad());
            }
        }
        Ok(d)
    }

    /// Reads `YYYY-MM-DD` with `XX`/`XXXX` (or `??`, `00`) for unknown parts, or a bare year.
    pub fn parse(s: &str) -> Result<PartialDate, PartialDateError> {
        let bad = || PartialDateError(s.to_owned());
        let t = s.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let (y, m, d) = match parts.as_slice() {
            [y] => (*y, "XX", "XX"),
            [y, m] => (*y, *m, "XX"),
            [y, m, d] => (*y, *m, *d),
            _ => return Err(bad()),
        };
        fn part(p: &str, len: usize) -> Result<Option<u32>, ()> {
            if p.len() != len {
                return Err(());
            }
            if p.chars().all(|c| matches!(c, 'X' | 'x' | '?')) || p.chars().all(|c| c == '0') {
                return Ok(None);
            }
            if p.chars().all(|c| c.is_ascii_digit()) {
                return p.parse().map(Some).map_err(|_| ());
            }
            Err(())
        }
        let y = part(y, 4).map_err(|_| bad())?.map(|v| v as u16);
        let m = part(m, 2).map_err(|_| bad())?.map(|v| v as u8);
        let d = part(d, 2).map_err(|_| bad())?.map(|v| v as u8);
        PartialDate::new(y, m, d).map_err(|_| bad())
    }

    /// Reads a date of birth exactly as [`PARTIAL_DATE_PATTERN`] states it, and nothing
    /// more lenient: each part all `X` or all digits (not zero), the year 1900 to 2099, and a
    /// date the calendar has. The form of APIs whose schema must say what they accept.
    pub fn parse_exact(s: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = s.split('-').collect();
        let part_ok = |p: &str, len: usize| {
            p.len() == len
                && (p.bytes().all(|b| b == b'X')
                    || (p.bytes().all(|b| b.is_ascii_digit()) && p.bytes().any(|b| b != b'0')))
        };
        let shaped = parts.len() == 3 && part_ok(parts[0], 4) && part_ok(parts[1], 2) && part_ok(parts[2], 2);
        shaped
            .then(|| PartialDate::parse(s).ok())
            .flatten()
            .filter(|p| p.year.is_none_or(|y| (1900..=2099).contains(&y)))
    }

    pub fn year(&self) -> Option<u16> {
        self.year
    }
    pub fn month(&self) -> Option<u8> {
        self.month
    }
    pub fn day(&self) -> Option<u8> {
        self.day
    }
    /// Whether every part is known.
    pub fn is_complete(&self) -> bool {
        self.year.is_some() && self.month.is_some() && self.day.is_some()
    }
}

fn days_in_month(year: Option<u16>, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}")?,
            None => f.write_str("XXXX")?,
        }
        for p in [self.month, self.day] {
            match p {
                Some(v) => write!(f, "-{v:02}")?,
                None => f.write_str("-XX")?,
            }
        }
        Ok(())
    }
}
impl TryFrom<String> for PartialDate {
    type Error = PartialDateError;
    fn try_from(s: String) -> Result<PartialDate, PartialDateError> {
        PartialDate::parse(&s)
    }
}
impl From<PartialDate> for String {
    fn from(d: PartialDate) -> String {
        d.to_string()
    }
}

/// Sex as a travel document records it: `M`, `F`, or `X` (unspecified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    M,
    F,
    X,
}

impl Sex {
    /// Reads `M`, `F`, `X` or `<` (unspecified in a machine-readable zone), in either case.
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim() {
            "M" | "m" => Some(Sex::M),
            "F" | "f" => Some(Sex::F),
            "X" | "x" | "<" => Some(Sex::X),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
            Sex::X => "X",
        }
    }
}

/// [`PartialDate::parse_exact`] as a JSON Schema pattern: `YYYY-MM-DD` in the years 1900 to
/// 2099 with `XX` (or `XXXX`) for an unknown part, a known day only in a known month, and only
/// dates the calendar has (29 February in leap years).
pub const PARTIAL_DATE_PATTERN: &str = concat!(
    r"^(XXXX-(XX-XX|(0[1-9]|1[0-2])-XX|(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|[12][0-9]))",
    r"|(19|20)[0-9]{2}-(XX-XX|(0[1-9]|1[0-2])-XX|(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))",
    r"|(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26]))-02-29)$"
);

/// The first and last years of a calendar date read by [`parse_date_exact`].
pub const DATE_YEAR_MIN: i16 = 1900;
pub const DATE_YEAR_MAX: i16 = 2999;

/// [`parse_date_exact`] as a JSON Schema pattern: the calendar's dates of 1900 to 2999 and no
/// others (29 February in leap years only), so that a generator of test data need not guess.
pub const DATE_PATTERN: &str = concat!(
    r"^((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))",
    r"|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|(20|24|28)00)-02-29)$"
);

/// Reads a calendar date written `YYYY-MM-DD` and nothing else, in the years
/// [`DATE_YEAR_MIN`] to [`DATE_YEAR_MAX`].
pub fn parse_date_exact(s: &str) -> Option<jiff::civil::Date> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped
        .then(|| s.parse::<jiff::civil::Date>().ok())
        .flatten()
        .filter(|d| (DATE_YEAR_MIN..=DATE_YEAR_MAX).contains(&d.year()))
}

/// Western Indonesian Time (WIB, Asia/Jakarta): UTC+7 all year, with no daylight saving since
/// 1964, so a fixed offset needs no time-zone database.
const WIB: jiff::tz::Offset = jiff::tz::Offset::constant(7);

/// The date in Jakarta at `now_ms`: "today" for the travel-ban rules and for screening.
pub fn today_wib(now_ms: i64) -> jiff::civil::Date {
    let t = jiff::Timestamp::from_millisecond(now_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    WIB.to_datetime(t).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_read_and_write_back() {
        for s in ["1975-03-09", "1975-03-XX", "1975-XX-XX", "XXXX-XX-XX", "XXXX-03-09", "2000-02-29"] {
            assert_eq!(PartialDate::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(PartialDate::parse("1975").unwrap().to_string(), "1975-XX-XX");
        assert_eq!(PartialDate::parse("1975-00-00").unwrap().to_string(), "1975-XX-XX");
        for bad in ["1975-13-01", "1975-02-30", "1975-XX-05", "75-01-01", "1975/01/01", "", "2001-02-29"] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn today_is_the_date_in_jakarta() {
        // 2026-11-23T00:00:00Z is 07:00 in Jakarta; 16:59:59Z is still the 23rd, 17:00Z the 24th.
        let t0 = 1_795_392_000_000;
        assert_eq!(today_wib(t0).to_string(), "2026-11-23");
        assert_eq!(today_wib(t0 + 17 * 3_600_000 - 1).to_string(), "2026-11-23");
        assert_eq!(today_wib(t0 + 17 * 3_600_000).to_string(), "2026-11-24");
        assert_eq!(today_wib(t0 - 7 * 3_600_000).to_string(), "2026-11-23");
        assert_eq!(today_wib(t0 - 7 * 3_600_000 - 1).to_string(), "2026-11-22");
    }
}
