//! The three-letter codes an MRZ carries for issuing state and nationality: every ISO 3166-1
//! alpha-3 code (`iso3166.rs`, generated) plus the codes Doc 9303 Part 3 §5 adds.
//!
//! This module owns the list for all of Gapura: reference data and screening look codes up
//! here rather than keeping their own copy, so a code added by ICAO is added once.

use serde::Serialize;

use super::iso3166::ISO_3166_1;

/// Why a code is in the list: it decides how a console should describe the holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// An ISO 3166-1 alpha-3 code (a state or territory).
    State,
    /// Germany's one-letter code `D`, written `D<<` in the MRZ (Doc 9303 Part 3 §5).
    GermanyD,
    /// The British nationality classes GBD, GBN, GBO, GBP, GBS: a nationality, not a state.
    BritishNationality,
    /// The United Nations (UNO, UNA) and UNMIK for residents of Kosovo (UNK).
    UnitedNations,
    /// Another issuing authority: an international organisation (Part 3 §5, part D) or EUE.
    Organisation,
    /// No defined nationality: stateless (XXA), refugees (XXB, XXC), unspecified (XXX).
    NoNationality,
    /// Withdrawn from ISO 3166-1 but still on documents issued before (ANT, NTZ).
    Deprecated,
    /// `UTO`, Utopia: the fictitious state of Doc 9303's specimens. A live document claiming
    /// it is a sample, which is why the kind is kept apart rather than hidden.
    Specimen,
    /// In use but not in Doc 9303's own tables (RKS, Kosovo): accepted so real documents
    /// read, and flagged so a caller can decide.
    NotInDoc9303,
}

/// One entry of the code list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IcaoCode {
    /// The code as it is meant (`D`, not `D<<`).
    pub code: &'static str,
    /// An English name for people to read.
    pub name: &'static str,
    /// Where the code comes from.
    pub kind: CodeKind,
}

const fn entry(code: &'static str, name: &'static str, kind: CodeKind) -> IcaoCode {
    IcaoCode { code, name, kind }
}

/// The codes Doc 9303 Part 3 §5 adds to ISO 3166-1 (8th edition, 2021), in its order.
const ICAO_ADDITIONS: &[IcaoCode] = &[
    entry("D", "Germany", CodeKind::GermanyD),
    entry("GBD", "British Overseas Territories Citizen", CodeKind::BritishNationality),
    entry("GBN", "British National (Overseas)", CodeKind::BritishNationality),
    entry("GBO", "British Overseas Citizen", CodeKind::BritishNationality),
    entry("GBP", "British Protected Person", CodeKind::BritishNationality),
    entry("GBS", "British Subject", CodeKind::BritishNationality),
    entry("EUE", "European Union", CodeKind::Organisation),
    entry("UNO", "United Nations Organization or one of its officials", CodeKind::UnitedNations),
    entry("UNA", "Specialized agency of the United Nations or one of its officials", CodeKind::UnitedNations),
    entry("UNK", "Resident of Kosovo with a travel document issued by UNMIK", CodeKind::UnitedNations),
    entry("XBA", "African Development Bank (ADB)", CodeKind::Organisation),
    entry("XIM", "African Export-Import Bank (AFREXIM Bank)", CodeKind::Organisation),
    entry("XCC", "Caribbean Community or one of its emissaries (CARICOM)", CodeKind::Organisation),
    entry("XCE", "Council of Europe", CodeKind::Organisation),
    entry("XCO", "Common Market for Eastern and Southern Africa (COMESA)", CodeKind::Organisation),
    entry("XEC", "Economic Community of West African States (ECOWAS)", CodeKind::Organisation),
    entry("XPO", "International Criminal Police Organization (INTERPOL)", CodeKind::Organisation),
    entry("XES", "Organization of Eastern Caribbean States (OECS)", CodeKind::Organisation),
    entry("XMP", "Parliamentary Assembly of the Mediterranean (PAM)", CodeKind::Organisation),
    entry("XOM", "Sovereign Military Order of Malta or one of its emissaries", CodeKind::Organisation),
    entry("XDC", "Southern African Development Community (SADC)", CodeKind::Organisation),
    entry("XXA", "Stateless person (1954 Convention)", CodeKind::NoNationality),
    entry("XXB", "Refugee (1951 Convention and 1967 Protocol)", CodeKind::NoNationality),
    entry("XXC", "Refugee, other than as defined under XXB", CodeKind::NoNationality),
    entry("XXX", "Person of unspecified nationality", CodeKind::NoNationality),
    entry("ANT", "Netherlands Antilles", CodeKind::Deprecated),
    entry("NTZ", "Neutral Zone", CodeKind::Deprecated),
    entry("UTO", "Utopia (Doc 9303 specimen documents)", CodeKind::Specimen),
    entry("RKS", "Kosovo", CodeKind::NotInDoc9303),
];

/// Looks a code up as it appears in an MRZ field (`UTO`, `D<<`) or as meant (`D`).
///
/// Trailing fillers are ignored because the field is three characters wide and Germany's code
/// is one; anything else (lowercase, digits, inner fillers) is not a code and returns `None`.
pub fn icao_code(field: &str) -> Option<IcaoCode> {
    let code = field.trim_end_matches('<');
    if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if let Some(found) = ICAO_ADDITIONS.iter().find(|e| e.code == code) {
        return Some(*found);
    }
    ISO_3166_1
        .binary_search_by(|(known, _)| (*known).cmp(code))
        .ok()
        .and_then(|i| ISO_3166_1.get(i))
        .map(|(code, name)| entry(code, name, CodeKind::State))
}

/// Every code this crate accepts: ISO 3166-1 first, then Doc 9303's additions.
pub fn icao_codes() -> impl Iterator<Item = IcaoCode> {
    ISO_3166_1
        .iter()
        .map(|(code, name)| entry(code, name, CodeKind::State))
        .chain(ICAO_ADDITIONS.iter().copied())
}
