//! What can be wrong with an MRZ, said so that an officer or a scanner integrator can find it:
//! every field error names the line (1-based), the columns (1-based, inclusive), the field, and
//! what was expected.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::layout::Format;
use super::name::NameError;

/// The fields of an MRZ, as errors and reports name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    DocumentCode,
    IssuingState,
    DocumentNumber,
    Name,
    Nationality,
    DateOfBirth,
    Sex,
    DateOfExpiry,
    /// TD3: the personal number; TD1: optional data 1; TD2, MRV-A, MRV-B: optional data.
    OptionalData,
    /// TD1 only: the optional data on line 2.
    OptionalData2,
    /// The composite check digit (TD1, TD2, TD3).
    Composite,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::DocumentCode => "document code",
            Field::IssuingState => "issuing state",
            Field::DocumentNumber => "document number",
            Field::Name => "name",
            Field::Nationality => "nationality",
            Field::DateOfBirth => "date of birth",
            Field::Sex => "sex",
            Field::DateOfExpiry => "date of expiry",
            Field::OptionalData => "optional data",
            Field::OptionalData2 => "optional data 2",
            Field::Composite => "composite check digit",
        })
    }
}

/// Where on the document: a line and an inclusive range of columns, all 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub line: usize,
    pub first_column: usize,
    pub last_column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first_column == self.last_column {
            write!(f, "line {}, column {}", self.line, self.first_column)
        } else {
            write!(f, "line {}, columns {}-{}", self.line, self.first_column, self.last_column)
        }
    }
}

/// What is wrong inside a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Characters of the wrong kind for the field.
    Characters { expected: &'static str, found: String },
    /// Digits that do not make a date.
    Date { found: String, reason: String },
    /// The printed check digit differs from the one the covered characters give.
    CheckDigit { printed: char, computed: char },
    /// A state or organisation code not in the list (`codes.rs`).
    UnknownCode { found: String },
    /// A document code not allowed for the format.
    DocumentCode { found: String, expected: &'static str },
    /// A TD1 or TD2 document number marked as continuing (`<` in its check-digit position)
    /// without its continuation and check digit in the optional data.
    MissingContinuation { found: String },
}

impl Problem {
    /// A stable snake_case code for APIs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Characters { .. } => "invalid_characters",
            Problem::Date { .. } => "invalid_date",
            Problem::CheckDigit { .. } => "check_digit_mismatch",
            Problem::UnknownCode { .. } => "unknown_code",
            Problem::DocumentCode { .. } => "invalid_document_code",
            Problem::MissingContinuation { .. } => "missing_document_number_continuation",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Characters { expected, found } => write!(f, "expected {expected}, found {found:?}"),
            Problem::Date { found, reason } => write!(f, "{found:?} is not a date: {reason}"),
            Problem::CheckDigit { printed, computed } => {
                write!(f, "check digit is {printed:?} but the covered characters give {computed:?}")
            }
            Problem::UnknownCode { found } => {
                write!(f, "{found:?} is not an ISO 3166-1 alpha-3 code or a Doc 9303 code")
            }
            Problem::DocumentCode { found, expected } => write!(f, "expected {expected}, found {found:?}"),
            Problem::MissingContinuation { found } => write!(
                f,
                "the check-digit position holds \"<\", which says the number continues in the optional \
                 data, but the optional data {found:?} holds no continuation followed by a check digit"
            ),
        }
    }
}

/// Why an MRZ could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    /// The input is larger than any MRZ (see [`super::MRZ_INPUT_CHARS_MAX`]); refused before
    /// any work so a hostile input costs nothing.
    #[error("input of {found} characters is longer than any MRZ (at most {max})")]
    InputTooLong { found: usize, max: usize },
    /// Not two or three lines.
    #[error("expected 2 lines (TD2, TD3, MRV-A, MRV-B) or 3 lines (TD1), found {found}")]
    LineCount { found: usize },
    /// A line of the wrong length for the format the other lines imply.
    #[error("line {line}: expected {expected} characters for {format}, found {found}")]
    LineLength { line: usize, expected: usize, found: usize, format: Format },
    /// Two lines whose lengths match no format.
    #[error("two lines of {first} and {second} characters match no format: TD2 and MRV-B have 36, TD3 and MRV-A 44")]
    UnknownFormat { first: usize, second: usize },
    /// A field that does not hold what the standard requires.
    #[error("{location} ({field}): {problem}")]
    Field { location: Location, field: Field, problem: Problem },
}

impl MrzError {
    /// The field at fault, for field errors.
    pub fn field(&self) -> Option<Field> {
        match self {
            MrzError::Field { field, .. } => Some(*field),
            _ => None,
        }
    }

    /// Where on the document, for field errors.
    pub fn location(&self) -> Option<Location> {
        match self {
            MrzError::Field { location, .. } => Some(*location),
            _ => None,
        }
    }

    /// A stable snake_case code for APIs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            MrzError::InputTooLong { .. } => "input_too_long",
            MrzError::LineCount { .. } => "line_count",
            MrzError::LineLength { .. } => "line_length",
            MrzError::UnknownFormat { .. } => "unknown_format",
            MrzError::Field { problem, .. } => problem.code(),
        }
    }

    pub(crate) fn is_check_digit(&self) -> bool {
        matches!(self, MrzError::Field { problem: Problem::CheckDigit { .. }, .. })
    }
}

/// Serialised as `{code, message, field?, location?}` so a scanner UI can highlight the spot.
impl Serialize for MrzError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("MrzError", 4)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("field", &self.field())?;
        s.serialize_field("location", &self.location())?;
        s.end()
    }
}

/// Why a document could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A field value the format cannot carry; `reason` says what was expected.
    #[error("{field} ({format}): {reason}")]
    Field { format: Format, field: Field, reason: String },
    /// The name could not be written in MRZ characters.
    #[error("name: {0}")]
    Name(#[from] NameError),
}
