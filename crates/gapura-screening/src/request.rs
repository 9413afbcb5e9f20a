//! A screening question as the API and `gapura screen --batch` take it: JSON, checked field
//! by field, turned into a [`Query`].

use gapura_domain::{PartialDate, Sex};
use jiff::civil::Date;
use serde::Deserialize;

use crate::watchlist::{Direction, Query, QueryDocument};

/// The longest surname or given names, in characters (a machine-readable zone holds 39).
pub const QUERY_NAME_CHARS_MAX: usize = 120;
/// The longest document type, in characters.
pub const DOCUMENT_TYPE_CHARS_MAX: usize = 20;

/// Text as a JSON Schema pattern: no control characters.
pub const TEXT_PATTERN: &str = r"^[^\x00-\x1f\x7f-\x9f]*$";
/// A three-letter ICAO 9303 code (states, organisations, `D<<`), as a JSON Schema pattern.
pub const COUNTRY_PATTERN: &str = r"^[A-Z][A-Z<]{2}$";
/// A document number as printed or read from a machine-readable zone (letters, digits, `<`,
/// spaces and hyphens, at least one letter or digit), as a JSON Schema pattern.
pub const DOCUMENT_NUMBER_PATTERN: &str = r"^[A-Za-z0-9< -]*[A-Za-z0-9][A-Za-z0-9< -]*$";

/// A traveller and their document, as read. Every field is read exactly as its schema
/// states, so that what the schema accepts is what is screened.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScreeningRequest {
    /// The primary identifier (surname) as read from the document; empty for a single-name
    /// holder whose name the document puts in the given names.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 120), regex(pattern = TEXT_PATTERN)))]
    pub surname: String,
    /// The secondary identifier (given names) as read.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 120), regex(pattern = TEXT_PATTERN)))]
    pub given_names: String,
    /// `1975-03-09`, or with `XX` (`XXXX`) for unknown parts: `1975-XX-XX`.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = gapura_domain::PARTIAL_DATE_PATTERN)))]
    pub date_of_birth: Option<String>,
    /// `M`, `F` or `X`.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[MFX]$")))]
    pub sex: Option<String>,
    /// ICAO 9303 three-letter code.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = COUNTRY_PATTERN)))]
    pub nationality: Option<String>,
    pub document: Option<RequestDocument>,
    pub direction: Direction,
    /// The date of the crossing, `YYYY-MM-DD`; today (WIB) when absent.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = gapura_domain::DATE_PATTERN)))]
    pub date: Option<String>,
}

/// The document presented.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestDocument {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 32), regex(pattern = DOCUMENT_NUMBER_PATTERN)))]
    pub number: String,
    #[cfg_attr(feature = "schema", schemars(regex(pattern = COUNTRY_PATTERN)))]
    pub issuing_state: String,
    /// `passport`, `identity_card`, `visa`, or the document code (`P`, `I`, `V` …).
    #[cfg_attr(feature = "schema", schemars(length(max = 20), regex(pattern = TEXT_PATTERN)))]
    pub document_type: Option<String>,
}

/// Why a screening request cannot be screened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A field that cannot be read.
    #[error("{field}: {message}")]
    Field { field: &'static str, message: String },
    /// Every field is readable, but there is neither a name (a word that is not a title) nor
    /// a document to screen.
    #[error("give a name or a document to screen")]
    NothingToScreen,
}

impl QueryError {
    /// The field at fault (`surname` when there is nothing to screen).
    pub fn field(&self) -> &'static str {
        match self {
            QueryError::Field { field, .. } => field,
            QueryError::NothingToScreen => "surname",
        }
    }
}

fn bad(field: &'static str, message: impl Into<String>) -> QueryError {
    QueryError::Field { field, message: message.into() }
}

fn country(field: &'static str, s: &str) -> Result<String, QueryError> {
    let b = s.as_bytes();
    if b.len() == 3
        && b[0].is_ascii_uppercase()
        && b[1..].iter().all(|c| c.is_ascii_uppercase() || *c == b'<')
    {
        Ok(s.to_owned())
    } else {
        Err(bad(field, format!("{s:?} is not a three-letter ICAO 9303 code in capitals (IDN, D<<)")))
    }
}

fn text(field: &'static str, v: &str, max: usize) -> Result<(), QueryError> {
    if v.chars().count() > max {
        return Err(bad(field, format!("longer than {max} characters")));
    }
    if v.chars().any(char::is_control) {
        return Err(bad(field, "contains a control character"));
    }
    Ok(())
}

impl ScreeningRequest {
    /// Checks every field and makes the query; `today` is used when no date is given.
    pub fn into_query(self, today: Date) -> Result<Query, QueryError> {
        text("surname", &self.surname, QUERY_NAME_CHARS_MAX)?;
        text("given_names", &self.given_names, QUERY_NAME_CHARS_MAX)?;
        let document = match self.document {
            Some(d) => {
                let shaped = d.number.chars().count() <= crate::documents::DOCUMENT_NUMBER_CHARS_MAX
                    && d.number.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '<' | ' ' | '-'))
                    && d.number.chars().any(|c| c.is_ascii_alphanumeric());
                if !shaped {
                    return Err(bad(
                        "document.number",
                        format!(
                            "{:?} must be 1 to {} letters, digits, '<', spaces or hyphens, with at least one letter or digit",
                            d.number,
                            crate::documents::DOCUMENT_NUMBER_CHARS_MAX
                        ),
                    ));
                }
                if let Some(t) = &d.document_type {
                    text("document.document_type", t, DOCUMENT_TYPE_CHARS_MAX)?;
                }
                Some(QueryDocument {
                    number: crate::documents::normalise_number(&d.number),
                    issuing_state: country("document.issuing_state", &d.issuing_state)?,
                    document_type: d.document_type,
                })
            }
            None => None,
        };
        let query = Query {
            date_of_birth: self
                .date_of_birth
                .as_deref()
                .map(|d| {
                    PartialDate::parse_exact(d).ok_or_else(|| {
                        bad(
                            "date_of_birth",
                            format!("{d:?} must be YYYY-MM-DD in the years 1900 to 2099, with XX (or XXXX) for an unknown part, e.g. 1975-03-XX"),
                        )
                    })
                })
                .transpose()?,
            sex: self
                .sex
                .as_deref()
                .map(|s| match s {
                    "M" => Ok(Sex::M),
                    "F" => Ok(Sex::F),
                    "X" => Ok(Sex::X),
                    _ => Err(bad("sex", format!("{s:?} is not M, F or X"))),
                })
                .transpose()?,
            nationality: self.nationality.as_deref().map(|n| country("nationality", n)).transpose()?,
            document,
            direction: self.direction,
            date: match self.date {
                Some(d) => gapura_domain::parse_date_exact(&d).ok_or_else(|| {
                    bad(
                        "date",
                        format!(
                            "{d:?} is not a date YYYY-MM-DD in the years {} to {}",
                            gapura_domain::DATE_YEAR_MIN,
                            gapura_domain::DATE_YEAR_MAX
                        ),
                    )
                })?,
                None => today,
            },
            surname: self.surname,
            given_names: self.given_names,
        };
        if query.document.is_none()
            && crate::normalize::tokens(&format!("{} {}", query.given_names, query.surname)).is_empty()
        {
            return Err(QueryError::NothingToScreen);
        }
        Ok(query)
    }
}

/// Reads one JSON line of a batch.
pub fn query_from_json(line: &str, today: Date) -> Result<Query, QueryError> {
    let r: ScreeningRequest = serde_json::from_str(line).map_err(|e| bad("body", e.to_string()))?;
    r.into_query(today)
}
