//! Instants as the API reads and writes them: RFC 3339 in UTC, or a date meaning its start
//! in UTC.

use crate::error::ApiError;

/// Parses `2026-11-23T08:00:00Z` (any offset) or `2026-11-23` into Unix milliseconds.
pub fn parse_instant(s: &str, field: &str) -> Result<i64, ApiError> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t.as_millisecond());
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        if let Ok(z) = d.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp().as_millisecond());
        }
    }
    Err(ApiError::invalid(
        field,
        format!("{s:?} is not an RFC 3339 time (2026-11-23T08:00:00Z) or a date (2026-11-23)"),
    ))
}

/// Formats Unix milliseconds as RFC 3339 UTC, to the second.
pub fn rfc3339(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => format!("{ms} ms"),
    }
}
