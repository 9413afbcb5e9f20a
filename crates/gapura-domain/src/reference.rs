//! Reference data: service points, countries and travel-ban authorities.

use serde::{Deserialize, Serialize};

/// A reference value that does not have its required form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Service point codes are 1 to 16 characters of `A-Z`, `0-9` and `-`.
    #[error("service point code {0:?} must be 1 to 16 characters of A-Z, 0-9 and '-'")]
    ServicePointCode(String),
    /// Country codes are three letters A-Z (ICAO 9303 / ISO 3166-1 alpha-3).
    #[error("country code {0:?} must be three capital letters")]
    CountryCode(String),
    /// Authority codes are 1 to 24 characters of `A-Z`, `0-9` and `-`.
    #[error("authority code {0:?} must be 1 to 24 characters of A-Z, 0-9 and '-'")]
    AuthorityCode(String),
    /// A service point kind outside the known list.
    #[error("service point kind {0:?} is not one of regional_office, immigration_office, airport, seaport, land_crossing, detention_house, mission_abroad")]
    ServicePointKind(String),
    /// Officer logins are 3 to 32 characters of `a-z`, `0-9`, `.`, `-`, `_`, starting with a letter.
    #[error("officer login {0:?} must be 3 to 32 characters of a-z, 0-9, '.', '-' and '_', starting with a letter")]
    OfficerId(String),
    /// A role outside the known list.
    #[error("role {0:?} is not one of border-officer, passport-officer, visa-officer, travel-ban-administrator, supervisor, system-administrator, auditor")]
    Role(String),
    /// A scope not written `national`, `point:CODE` or `region:CODE`.
    #[error("scope {0:?} must be national, point:CODE or region:CODE")]
    Scope(String),
    /// A required text is empty or longer than its limit.
    #[error("{field} must be 1 to {max} characters")]
    Text { field: &'static str, max: usize },
    /// Travel-ban order ids are `TB-`, a four-digit year, `-` and eight characters of
    /// Crockford base32 in capitals.
    #[error("order id {0:?} must be TB-, a four-digit year, '-' and 8 characters of 0-9 and A-Z without I, L, O and U, e.g. TB-2026-7K3M9QPX")]
    OrderId(String),
    /// An Indonesian national identity number (NIK) is exactly 16 digits.
    #[error("NIK {0:?} must be exactly 16 digits")]
    Nik(String),
    /// A document number is 1 to 20 characters of A-Z and 0-9.
    #[error("document number {0:?} must be 1 to 20 characters of A-Z and 0-9")]
    DocumentNumber(String),
    /// A person's name is 1 to 120 characters: a letter first, then letters, spaces and `'`,
    /// `.`, `-`, `,`, not ending with a space.
    #[error(
        "name {0:?} must be 1 to 120 characters: a letter first, then letters, spaces and ' . - , and no space at the end"
    )]
    PersonName(String),
    /// A SHA-256 is 64 hexadecimal digits.
    #[error("{0:?} must be a SHA-256: 64 hexadecimal digits")]
    Sha256(String),
    /// A list holds fewer or more items than allowed.
    #[error("{field} must hold {min} to {max} items")]
    Count { field: &'static str, min: usize, max: usize },
    /// A date outside the years an order may name.
    #[error("{field} {value} must lie in the years {min} to {max}")]
    DateRange { field: &'static str, value: String, min: i16, max: i16 },
    /// A value outside a fixed list.
    #[error("{field} {value:?} is not one of {}", .allowed.join(", "))]
    OneOf { field: &'static str, value: String, allowed: &'static [&'static str] },
    /// A bulk import's id is 1 to 64 characters of A-Z, a-z, 0-9, `.`, `_` and `-`.
    #[error("import id {0:?} must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'")]
    ImportId(String),
}

/// The longest name of a service point, country or authority, in characters.
pub const NAME_CHARS_MAX: usize = 160;

fn code_ok(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

gapura_ledger::validated_string!(
    /// A service point's stable code, e.g. `TPI-CGK`.
    ServicePointCode,
    ValueError,
    |s| code_ok(s, 16),
    ValueError::ServicePointCode
);
gapura_ledger::validated_string!(
    /// A three-letter country code.
    CountryCode,
    ValueError,
    |s| s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()),
    ValueError::CountryCode
);
gapura_ledger::validated_string!(
    /// A travel-ban authority's code, e.g. `KPK`.
    AuthorityCode,
    ValueError,
    |s| code_ok(s, 24),
    ValueError::AuthorityCode
);

/// The kinds of service point the immigration service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServicePointKind {
    RegionalOffice,
    ImmigrationOffice,
    Airport,
    Seaport,
    LandCrossing,
    DetentionHouse,
    MissionAbroad,
}

impl ServicePointKind {
    pub const ALL: [ServicePointKind; 7] = [
        Self::RegionalOffice,
        Self::ImmigrationOffice,
        Self::Airport,
        Self::Seaport,
        Self::LandCrossing,
        Self::DetentionHouse,
        Self::MissionAbroad,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RegionalOffice => "regional_office",
            Self::ImmigrationOffice => "immigration_office",
            Self::Airport => "airport",
            Self::Seaport => "seaport",
            Self::LandCrossing => "land_crossing",
            Self::DetentionHouse => "detention_house",
            Self::MissionAbroad => "mission_abroad",
        }
    }
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ValueError::ServicePointKind(s.to_owned()))
    }
    /// A border crossing point: where crossings are recorded.
    pub fn is_border_crossing(self) -> bool {
        matches!(self, Self::Airport | Self::Seaport | Self::LandCrossing)
    }
}

/// A service point as registered (event `service_point.registered`, version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicePoint {
    pub code: ServicePointCode,
    pub name: String,
    pub kind: ServicePointKind,
    /// The regional office a domestic point reports to.
    pub parent_code: Option<ServicePointCode>,
    /// Indonesian province, or the host country for a mission abroad.
    pub province: String,
    pub city: Option<String>,
    /// IANA time zone of the point; crossings are counted in its local calendar.
    pub time_zone: Option<String>,
}

pub(crate) fn check_text(field: &'static str, s: &str) -> Result<(), ValueError> {
    let n = s.chars().count();
    if n == 0 || n > NAME_CHARS_MAX || s.trim() != s || s.chars().any(char::is_control) {
        return Err(ValueError::Text { field, max: NAME_CHARS_MAX });
    }
    Ok(())
}

/// The Indonesian time zone (WIB, WITA or WIT as an IANA name) of a province, by the
/// province's name as used in Gapura's reference data. `None` for a name it does not know.
pub fn indonesian_province_time_zone(province: &str) -> Option<&'static str> {
    let p = province.to_ascii_lowercase();
    const WIB: &[&str] = &[
        "aceh",
        "sumatera utara",
        "sumatera barat",
        "riau",
        "kepulauan riau",
        "jambi",
        "sumatera selatan",
        "bangka belitung",
        "kepulauan bangka belitung",
        "bengkulu",
        "lampung",
        "dki jakarta",
        "jakarta",
        "banten",
        "jawa barat",
        "jawa tengah",
        "di yogyakarta",
        "daerah istimewa yogyakarta",
        "yogyakarta",
        "jawa timur",
        "kalimantan barat",
        "kalimantan tengah",
    ];
    const WITA: &[&str] = &[
        "bali",
        "nusa tenggara barat",
        "nusa tenggara timur",
        "kalimantan selatan",
        "kalimantan timur",
        "kalimantan utara",
        "sulawesi utara",
        "sulawesi tengah",
        "sulawesi selatan",
        "sulawesi tenggara",
        "sulawesi barat",
        "gorontalo",
    ];
    const WIT: &[&str] = &[
        "maluku",
        "maluku utara",
        "papua",
        "papua barat",
        "papua barat daya",
        "papua selatan",
        "papua tengah",
        "papua pegunungan",
    ];
    if WIB.contains(&p.as_str()) {
        Some("Asia/Jakarta")
    } else if WITA.contains(&p.as_str()) {
        Some("Asia/Makassar")
    } else if WIT.contains(&p.as_str()) {
        Some("Asia/Jayapura")
    } else {
        None
    }
}
