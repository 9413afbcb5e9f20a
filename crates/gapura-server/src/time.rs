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

/// Parses a calendar date written `YYYY-MM-DD` (and nothing else) in the years an order may
/// name; `field` names the field at fault.
pub fn parse_date(s: &str, field: &str) -> Result<gapura_domain::Date, ApiError> {
    gapura_domain::parse_date_exact(s).ok_or_else(|| {
        ApiError::bad_input(
            field,
            format!(
                "{s:?} is not a date written YYYY-MM-DD in the years {} to {}, e.g. 2026-11-23",
                gapura_domain::DATE_YEAR_MIN,
                gapura_domain::DATE_YEAR_MAX
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_one_form_only() {
        assert_eq!(parse_date("2026-02-28", "start").unwrap().to_string(), "2026-02-28");
        for bad in [
            "2026-2-28",
            "20260228",
            "2026-02-30",
            "2026-02-28T00:00",
            " 2026-02-28",
            "1899-12-31",
            "3000-01-01",
        ] {
            let e = parse_date(bad, "start").expect_err(bad);
            assert_eq!((e.status.as_u16(), e.body.field.as_deref()), (400, Some("start")), "{bad}");
        }
    }
}
