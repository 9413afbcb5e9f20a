//! Machine-readable zones (Doc 9303 Parts 3–7): parse and render TD1, TD2, TD3, MRV-A and
//! MRV-B, with every check digit, the ICAO code list, name transliteration, and a reader mode
//! that proposes look-alike corrections for scanners.
//!
//! Sans IO and without a clock: the reference date that decides the century of two-digit
//! years is always the caller's. Input never panics this module; a failure is an [`MrzError`]
//! that names line, columns, field and what was expected.
//!
//! Files: `check` (7-3-1 digits), `codes` + `iso3166` (state and organisation codes), `date`
//! (dates and century rules), `name` (names and transliteration), `layout` (where fields sit),
//! `parse` (the one lenient pass), `reader` (corrections), `render`, `error`.

mod check;
mod codes;
mod date;
mod error;
mod iso3166;
mod layout;
mod name;
mod parse;
mod reader;
mod render;

use serde::{Deserialize, Serialize};

pub use check::{char_value, check_digit, CHECK_DIGIT_WEIGHTS};
pub use codes::{icao_code, icao_codes, CodeKind, IcaoCode};
pub use date::{CalendarDate, DateError, MrzDate};
pub use error::{Field, Location, MrzError, Problem, RenderError};
pub use layout::Format;
pub use name::{transliterate, Name, NameError};
pub use reader::{
    Change, Correction, ReaderReport, CORRECTIONS_PROPOSED_MAX, CORRECTION_CANDIDATES_MAX,
    CORRECTION_CHANGES_MAX, LOOK_ALIKES,
};

/// The most characters of input read (an MRZ is at most 90 plus line breaks; the slack is
/// for whitespace a scanner adds). Longer input is refused before any work.
pub const MRZ_INPUT_CHARS_MAX: usize = 512;

/// Sex as the MRZ states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `X`: unspecified (Doc 9303, 8th edition).
    Unspecified,
    /// `<`: unspecified as earlier editions wrote it; kept apart so a document renders back
    /// exactly as it was printed.
    UnspecifiedFiller,
}

/// What kind of document the first letter of the document code says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// `P`.
    Passport,
    /// `V`.
    Visa,
    /// `A`, `C` or `I`: identity cards, crew certificates and other official travel documents.
    OfficialTravelDocument,
}

/// The data an MRZ carries, without its check digits: what [`render`] takes and, inside
/// [`Mrz`], what [`parse`] gives. Strings are in MRZ characters with trailing fillers removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub format: Format,
    /// One or two characters, e.g. `P`, `I`, `ID`, `V`.
    pub document_code: String,
    /// `UTO`, or `D` for Germany (written `D<<`).
    pub issuing_state: String,
    /// Up to 9 characters; on TD1 and TD2 longer numbers continue in the optional data.
    pub document_number: String,
    pub name: Name,
    pub nationality: String,
    pub date_of_birth: MrzDate,
    pub sex: Sex,
    pub date_of_expiry: MrzDate,
    /// TD3: the personal number; TD1: optional data 1 (after any number continuation);
    /// TD2, MRV-A, MRV-B: the optional data. Inner fillers are kept as `<`.
    pub optional_data: String,
    /// TD1 only: optional data 2 on line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_data_2: Option<String>,
}

/// The check digits as printed (all verified in strict mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDigits {
    pub document_number: char,
    pub date_of_birth: char,
    pub date_of_expiry: char,
    /// TD3 only: over the personal number; `<` when the personal number is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_data: Option<char>,
    /// TD1, TD2, TD3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composite: Option<char>,
}

/// A parsed MRZ: the document, what kind it is, and its check digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mrz {
    #[serde(flatten)]
    pub document: Document,
    pub document_type: DocumentType,
    pub check_digits: CheckDigits,
}

/// Strict parse: the document, or the first failure in reading order (any check digit that
/// does not hold, any unknown code or impossible date is a failure).
pub fn parse(text: &str, reference_date: CalendarDate) -> Result<Mrz, MrzError> {
    let (format, lines) = parse::split(text)?;
    let analysis = parse::analyse(format, &lines, reference_date);
    if let Some(first) = analysis.errors.into_iter().next() {
        return Err(first);
    }
    // No failure means every field was read; the fallback is for our own bugs only.
    analysis.mrz.ok_or(MrzError::UnknownFormat { first: 0, second: 0 })
}

/// Reader mode for scanners: the parse with every failure listed and the look-alike
/// corrections that restore every check digit. Never fails; a structural problem (wrong line
/// count or length) is reported as the only failure.
pub fn read(text: &str, reference_date: CalendarDate) -> ReaderReport {
    reader::read(text, reference_date)
}

/// Renders a document as its MRZ lines, computing every check digit.
pub fn render(document: &Document) -> Result<Vec<String>, RenderError> {
    render::render(document)
}
