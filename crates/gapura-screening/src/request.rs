//! A screening question as the API and `gapura screen --batch` take it: JSON, checked field
//! by field, turned into a [`Query`].

use gapura_domain::{PartialDate, Sex};
use jiff::civil::Date;
use serde::Deserialize;

use crate::watchlist::{Direction, Query, QueryDocument};

/// The longest surname or given names, in characters (a machine-readable zone holds 39).
pub const QUERY_NAME_CHARS_MAX: usize = 120;

/// A traveller and their document, as read.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScreeningRequest {
    /// The primary identifier (surname) as read from the document; empty for a single-name
    /// holder whose name the document puts in the given names.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 120)))]
    pub surname: String,
    /// The secondary identifier (given names) as read.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 120)))]
    pub given_names: String,
    /// `1975-03-09`, or with `XX` for unknown parts (`1975-XX-XX`).
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = r"^([0-9]{4}|XXXX)-([0-9]{2}|XX)-([0-9]{2}|XX)$"))
    )]
    pub date_of_birth: Option<String>,
    /// `M`, `F` or `X`.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[MFX]$")))]
    pub sex: Option<String>,
    /// ICAO 9303 three-letter code.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[A-Z<]{3}$")))]
    pub nationality: Option<String>,
    pub document: Option<RequestDocument>,
    pub direction: Direction,
    /// The date of the crossing, `YYYY-MM-DD`; today (WIB) when absent.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))]
    pub date: Option<String>,
}

/// The document presented.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestDocument {
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = 32), regex(pattern = r"^[A-Za-z0-9< -]+$"))
    )]
    pub number: String,
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[A-Z<]{3}$")))]
    pub issuing_state: String,
    /// `passport`, `identity_card`, `visa`, or the document code (`P`, `I`, `V` …).
    #[cfg_attr(feature = "schema", schemars(length(max = 20)))]
    pub document_type: Option<String>,
}

/// A field of a screening request that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct QueryError {
    pub field: &'static str,
    pub message: String,
}

impl QueryError {
    pub fn field(&self) -> &'static str {
        self.field
    }
}

fn bad(field: &'static str, message: impl Into<String>) -> QueryError {
    QueryError { field, message: message.into() }
}

fn country(field: &'static str, s: &str) -> Result<String, QueryError> {
    let t = s.trim().to_ascii_uppercase();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase() || b == b'<') && t.as_bytes()[0] != b'<' {
        Ok(t)
    } else {
        Err(bad(field, format!("{s:?} is not a three-letter ICAO 9303 code")))
    }
}

impl ScreeningRequest {
    /// Checks every field and makes the query; `today` is used when no date is given.
    pub fn into_query(self, today: Date) -> Result<Query, QueryError> {
        for (field, v) in [("surname", &self.surname), ("given_names", &self.given_names)] {
            if v.chars().count() > QUERY_NAME_CHARS_MAX {
                return Err(bad(field, format!("longer than {QUERY_NAME_CHARS_MAX} characters")));
            }
            if v.chars().any(char::is_control) {
                return Err(bad(field, "contains a control character"));
            }
        }
        let document = match self.document {
            Some(d) => {
                let number = crate::documents::normalise_number(&d.number);
                if number.is_empty()
                    || number.len() > crate::documents::DOCUMENT_NUMBER_CHARS_MAX
                    || d.number.chars().any(char::is_control)
                {
                    return Err(bad("document.number", "must have 1 to 32 letters and digits"));
                }
                if let Some(t) = &d.document_type {
                    if t.len() > 20 || t.chars().any(char::is_control) {
                        return Err(bad("document.document_type", "must be at most 20 plain characters"));
                    }
                }
                Some(QueryDocument {
                    number,
                    issuing_state: country("document.issuing_state", &d.issuing_state)?,
                    document_type: d.document_type,
                })
            }
            None => None,
        };
        if crate::normalize::tokens(&format!("{} {}", self.given_names, self.surname)).is_empty()
            && document.is_none()
        {
            return Err(bad("surname", "give a name or a document to screen"));
        }
        Ok(Query {
            surname: self.surname,
            given_names: self.given_names,
            date_of_birth: self
                .date_of_birth
                .as_deref()
                .map(PartialDate::parse)
                .transpose()
                .map_err(|e| bad("date_of_birth", e.to_string()))?,
            sex: self
                .sex
                .as_deref()
                .map(|s| Sex::parse(s).ok_or_else(|| bad("sex", format!("{s:?} is not M, F or X"))))
                .transpose()?,
            nationality: self.nationality.as_deref().map(|n| country("nationality", n)).transpose()?,
            document,
            direction: self.direction,
            date: match self.date {
                Some(d) => d.parse().map_err(|_| bad("date", format!("{d:?} is not a date YYYY-MM-DD")))?,
                None => today,
            },
        })
    }
}

/// Reads one JSON line of a batch.
pub fn query_from_json(line: &str, today: Date) -> Result<Query, QueryError> {
    let r: ScreeningRequest = serde_json::from_str(line).map_err(|e| bad("body", e.to_string()))?;
    r.into_query(today)
}
