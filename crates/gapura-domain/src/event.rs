//! Domain events: stable names, versions, canonical bodies, and upcasting of old versions.

use serde::{Deserialize, Serialize};

use crate::officer::check_note;
use crate::reference::check_text;
use crate::{
    indonesian_province_time_zone, AuthorityCode, CountryCode, ServicePoint, ServicePointCode,
    ServicePointKind, ValueError,
};
use crate::{
    LoginAttempt, OfficerCreated, OfficerGrant, OfficerStatus, PasswordChanged, PersonalDataRead,
    TokenIssued, TokenRevoked,
};
use crate::{OrderExtended, OrderIssued, OrderRevoked, WatchlistImport};

/// A change to the system's state. Events are past tense; each has a stable name and a
/// version (see `EventName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `service_point.registered` v2 (v1 is upcast on read).
    ServicePointRegistered(ServicePoint),
    /// `service_point.renamed` v1.
    ServicePointRenamed { code: ServicePointCode, name: String },
    /// `country.registered` v1.
    CountryRegistered { code: CountryCode, name: String },
    /// `travel_ban_authority.registered` v1: a body that may request or order a travel ban.
    AuthorityRegistered { code: AuthorityCode, name: String, legal_basis: String },
    /// `drill.marker_recorded` v1: a synthetic event appended by drills and benchmarks.
    DrillMarkerRecorded { drill: String, number: u64, padding: String },
    /// `officer.created` v1.
    OfficerCreated(OfficerCreated),
    /// `officer.role_granted` v1.
    RoleGranted(OfficerGrant),
    /// `officer.role_revoked` v1.
    RoleRevoked(OfficerGrant),
    /// `officer.password_changed` v1.
    PasswordChanged(PasswordChanged),
    /// `officer.disabled` v1: the officer's sessions and tokens stop working at once.
    OfficerDisabled(OfficerStatus),
    /// `officer.enabled` v1.
    OfficerEnabled(OfficerStatus),
    /// `officer.token_issued` v1.
    TokenIssued(TokenIssued),
    /// `officer.token_revoked` v1.
    TokenRevoked(TokenRevoked),
    /// `audit.personal_data_read` v1.
    PersonalDataRead(PersonalDataRead),
    /// `auth.login_succeeded` v1.
    LoginSucceeded(LoginAttempt),
    /// `auth.login_failed` v1.
    LoginFailed(LoginAttempt),
    /// `travel_ban.order_issued` v1.
    TravelBanIssued(OrderIssued),
    /// `travel_ban.order_extended` v1.
    TravelBanExtended(OrderExtended),
    /// `travel_ban.order_revoked` v1.
    TravelBanRevoked(OrderRevoked),
    /// `watchlist.imported` v1: a bulk watchlist file, stored as content, was imported.
    WatchlistImported(WatchlistImport),
}

/// An event's stable name and the version this build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventName {
    pub name: &'static str,
    pub version: u16,
}

/// What a stored body turned out to be.
// A decoded body is matched at once and dropped; boxing the event would cost an allocation
// per entry read to save stack space that is never held.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Domain(Event),
    /// One of the ledger's own events (`ledger.*`), handled by the store.
    Ledger,
}

/// Why a stored event could not be read as a domain event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// The event type or version is not known to this build (a newer build wrote it).
    #[error("event {name} version {version} is not known to this build of Gapura; upgrade to read it")]
    Unknown { name: String, version: u16 },
    /// The body does not match the event's schema.
    #[error("event {name} version {version} has an invalid body: {reason}")]
    Body { name: String, version: u16, reason: String },
    /// A value in the body is invalid.
    #[error(transparent)]
    Value(#[from] ValueError),
}

const SERVICE_POINT_REGISTERED: &str = "service_point.registered";
const SERVICE_POINT_RENAMED: &str = "service_point.renamed";
const COUNTRY_REGISTERED: &str = "country.registered";
const AUTHORITY_REGISTERED: &str = "travel_ban_authority.registered";
const DRILL_MARKER_RECORDED: &str = "drill.marker_recorded";
const OFFICER_CREATED: &str = "officer.created";
const ROLE_GRANTED: &str = "officer.role_granted";
const ROLE_REVOKED: &str = "officer.role_revoked";
const PASSWORD_CHANGED: &str = "officer.password_changed";
const OFFICER_DISABLED: &str = "officer.disabled";
const OFFICER_ENABLED: &str = "officer.enabled";
const TOKEN_ISSUED: &str = "officer.token_issued";
const TOKEN_REVOKED: &str = "officer.token_revoked";
const PERSONAL_DATA_READ: &str = "audit.personal_data_read";
const LOGIN_SUCCEEDED: &str = "auth.login_succeeded";
const LOGIN_FAILED: &str = "auth.login_failed";
const TRAVEL_BAN_ISSUED: &str = "travel_ban.order_issued";
const TRAVEL_BAN_EXTENDED: &str = "travel_ban.order_extended";
const TRAVEL_BAN_REVOKED: &str = "travel_ban.order_revoked";
const WATCHLIST_IMPORTED: &str = "watchlist.imported";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenamedBody {
    code: ServicePointCode,
    name: String,
}
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryBody {
    code: CountryCode,
    name: String,
}
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorityBody {
    code: AuthorityCode,
    name: String,
    legal_basis: String,
}
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DrillBody {
    drill: String,
    number: u64,
    padding: String,
}

/// `service_point.registered` version 1, as written by Gapura before service points carried
/// their parent, city and time zone. Kinds were the service's Indonesian abbreviations.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicePointRegisteredV1 {
    pub code: ServicePointCode,
    pub name: String,
    /// One of `kanwil`, `kanim`, `tpi_udara`, `tpi_laut`, `tpi_darat`, `rudenim`, `perwakilan`.
    pub kind: String,
    /// The province (or, for `perwakilan`, the host country).
    pub region: String,
}

impl ServicePointRegisteredV1 {
    /// Upcast to version 2: the kind is mapped to its new name, the time zone is derived from
    /// the province where it is Indonesian, and parent and city are unknown.
    pub fn upcast(self) -> Result<ServicePoint, EventError> {
        let kind = match self.kind.as_str() {
            "kanwil" => ServicePointKind::RegionalOffice,
            "kanim" => ServicePointKind::ImmigrationOffice,
            "tpi_udara" => ServicePointKind::Airport,
            "tpi_laut" => ServicePointKind::Seaport,
            "tpi_darat" => ServicePointKind::LandCrossing,
            "rudenim" => ServicePointKind::DetentionHouse,
            "perwakilan" => ServicePointKind::MissionAbroad,
            other => {
                return Err(EventError::Body {
                    name: SERVICE_POINT_REGISTERED.into(),
                    version: 1,
                    reason: format!("kind {other:?} is not a version 1 kind"),
                })
            }
        };
        let time_zone = match kind {
            ServicePointKind::MissionAbroad => None,
            _ => indonesian_province_time_zone(&self.region).map(str::to_owned),
        };
        Ok(ServicePoint {
            code: self.code,
            name: self.name,
            kind,
            parent_code: None,
            province: self.region,
            city: None,
            time_zone,
        })
    }

    /// Encodes a version 1 body: kept for fixtures and tests of the upcast.
    pub fn encode(&self) -> Vec<u8> {
        canonical(self)
    }
}

fn canonical<T: Serialize>(v: &T) -> Vec<u8> {
    // Serialising these plain structs cannot fail: every field is a string, number or option.
    let value = serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
    serde_json::to_vec(&value).unwrap_or_default()
}

impl Event {
    pub fn name(&self) -> EventName {
        let (name, version) = match self {
            Event::ServicePointRegistered(_) => (SERVICE_POINT_REGISTERED, 2),
            Event::ServicePointRenamed { .. } => (SERVICE_POINT_RENAMED, 1),
            Event::CountryRegistered { .. } => (COUNTRY_REGISTERED, 1),
            Event::AuthorityRegistered { .. } => (AUTHORITY_REGISTERED, 1),
            Event::DrillMarkerRecorded { .. } => (DRILL_MARKER_RECORDED, 1),
            Event::OfficerCreated(_) => (OFFICER_CREATED, 1),
            Event::RoleGranted(_) => (ROLE_GRANTED, 1),
            Event::RoleRevoked(_) => (ROLE_REVOKED, 1),
            Event::PasswordChanged(_) => (PASSWORD_CHANGED, 1),
            Event::OfficerDisabled(_) => (OFFICER_DISABLED, 1),
            Event::OfficerEnabled(_) => (OFFICER_ENABLED, 1),
            Event::TokenIssued(_) => (TOKEN_ISSUED, 1),
            Event::TokenRevoked(_) => (TOKEN_REVOKED, 1),
            Event::PersonalDataRead(_) => (PERSONAL_DATA_READ, 1),
            Event::LoginSucceeded(_) => (LOGIN_SUCCEEDED, 1),
            Event::LoginFailed(_) => (LOGIN_FAILED, 1),
            Event::TravelBanIssued(_) => (TRAVEL_BAN_ISSUED, 1),
            Event::TravelBanExtended(_) => (TRAVEL_BAN_EXTENDED, 1),
            Event::TravelBanRevoked(_) => (TRAVEL_BAN_REVOKED, 1),
            Event::WatchlistImported(_) => (WATCHLIST_IMPORTED, 1),
        };
        EventName { name, version }
    }

    /// Checks the values an event carries beyond their types.
    pub fn validate(&self) -> Result<(), ValueError> {
        match self {
            Event::ServicePointRegistered(sp) => {
                check_text("name", &sp.name)?;
                check_text("province", &sp.province)?;
                if let Some(c) = &sp.city {
                    check_text("city", c)?;
                }
                if let Some(tz) = &sp.time_zone {
                    check_text("time_zone", tz)?;
                }
                Ok(())
            }
            Event::ServicePointRenamed { name, .. } | Event::CountryRegistered { name, .. } => {
                check_text("name", name)
            }
            Event::AuthorityRegistered { name, legal_basis, .. } => {
                check_text("name", name)?;
                check_text("legal_basis", legal_basis)
            }
            Event::DrillMarkerRecorded { drill, .. } => check_text("drill", drill),
            Event::OfficerCreated(o) => o.validate(),
            Event::RoleGranted(_) | Event::RoleRevoked(_) | Event::OfficerEnabled(_) => Ok(()),
            Event::PasswordChanged(p) => check_note("password_hash", &p.password_hash, true),
            Event::OfficerDisabled(d) => check_note("reason", &d.reason, true),
            Event::TokenIssued(t) => {
                check_note("label", &t.label, true)?;
                check_note("token_id", &t.token_id, true)?;
                check_note("secret_sha256", &t.secret_sha256, true)
            }
            Event::TokenRevoked(t) => check_note("token_id", &t.token_id, true),
            Event::PersonalDataRead(r) => r.validate(),
            Event::LoginSucceeded(l) | Event::LoginFailed(l) => {
                check_note("address", &l.address, true)?;
                check_note("reason", &l.reason, false)
            }
            Event::TravelBanIssued(o) => o.validate(),
            Event::TravelBanExtended(o) => o.validate(),
            Event::TravelBanRevoked(o) => o.validate(),
            Event::WatchlistImported(w) => w.validate(),
        }
    }

    /// The canonical JSON body of the current version.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Event::ServicePointRegistered(sp) => canonical(sp),
            Event::ServicePointRenamed { code, name } => {
                canonical(&RenamedBody { code: code.clone(), name: name.clone() })
            }
            Event::CountryRegistered { code, name } => {
                canonical(&CountryBody { code: code.clone(), name: name.clone() })
            }
            Event::AuthorityRegistered { code, name, legal_basis } => canonical(&AuthorityBody {
                code: code.clone(),
                name: name.clone(),
                legal_basis: legal_basis.clone(),
            }),
            Event::DrillMarkerRecorded { drill, number, padding } => {
                canonical(&DrillBody { drill: drill.clone(), number: *number, padding: padding.clone() })
            }
            Event::OfficerCreated(b) => canonical(b),
            Event::RoleGranted(b) | Event::RoleRevoked(b) => canonical(b),
            Event::PasswordChanged(b) => canonical(b),
            Event::OfficerDisabled(b) | Event::OfficerEnabled(b) => canonical(b),
            Event::TokenIssued(b) => canonical(b),
            Event::TokenRevoked(b) => canonical(b),
            Event::PersonalDataRead(b) => canonical(b),
            Event::LoginSucceeded(b) | Event::LoginFailed(b) => canonical(b),
            Event::TravelBanIssued(b) => canonical(b),
            Event::TravelBanExtended(b) => canonical(b),
            Event::TravelBanRevoked(b) => canonical(b),
            Event::WatchlistImported(b) => canonical(b),
        }
    }

    /// Reads a stored body of any known version, upcasting old versions to the current one.
    pub fn decode(name: &str, version: u16, body: &[u8]) -> Result<Decoded, EventError> {
        fn parse<T: serde::de::DeserializeOwned>(
            name: &str,
            version: u16,
            body: &[u8],
        ) -> Result<T, EventError> {
            serde_json::from_slice(body).map_err(|e| EventError::Body {
                name: name.into(),
                version,
                reason: e.to_string(),
            })
        }
        if name.starts_with("ledger.") {
            return Ok(Decoded::Ledger);
        }
        let event = match (name, version) {
            (SERVICE_POINT_REGISTERED, 1) => Event::ServicePointRegistered(
                parse::<ServicePointRegisteredV1>(name, version, body)?.upcast()?,
            ),
            (SERVICE_POINT_REGISTERED, 2) => Event::ServicePointRegistered(parse(name, version, body)?),
            (SERVICE_POINT_RENAMED, 1) => {
                let b: RenamedBody = parse(name, version, body)?;
                Event::ServicePointRenamed { code: b.code, name: b.name }
            }
            (COUNTRY_REGISTERED, 1) => {
                let b: CountryBody = parse(name, version, body)?;
                Event::CountryRegistered { code: b.code, name: b.name }
            }
            (AUTHORITY_REGISTERED, 1) => {
                let b: AuthorityBody = parse(name, version, body)?;
                Event::AuthorityRegistered { code: b.code, name: b.name, legal_basis: b.legal_basis }
            }
            (DRILL_MARKER_RECORDED, 1) => {
                let b: DrillBody = parse(name, version, body)?;
                Event::DrillMarkerRecorded { drill: b.drill, number: b.number, padding: b.padding }
            }
            (OFFICER_CREATED, 1) => Event::OfficerCreated(parse(name, version, body)?),
            (ROLE_GRANTED, 1) => Event::RoleGranted(parse(name, version, body)?),
            (ROLE_REVOKED, 1) => Event::RoleRevoked(parse(name, version, body)?),
            (PASSWORD_CHANGED, 1) => Event::PasswordChanged(parse(name, version, body)?),
            (OFFICER_DISABLED, 1) => Event::OfficerDisabled(parse(name, version, body)?),
            (OFFICER_ENABLED, 1) => Event::OfficerEnabled(parse(name, version, body)?),
            (TOKEN_ISSUED, 1) => Event::TokenIssued(parse(name, version, body)?),
            (TOKEN_REVOKED, 1) => Event::TokenRevoked(parse(name, version, body)?),
            (PERSONAL_DATA_READ, 1) => Event::PersonalDataRead(parse(name, version, body)?),
            (LOGIN_SUCCEEDED, 1) => Event::LoginSucceeded(parse(name, version, body)?),
            (LOGIN_FAILED, 1) => Event::LoginFailed(parse(name, version, body)?),
            (TRAVEL_BAN_ISSUED, 1) => Event::TravelBanIssued(parse(name, version, body)?),
            (TRAVEL_BAN_EXTENDED, 1) => Event::TravelBanExtended(parse(name, version, body)?),
            (TRAVEL_BAN_REVOKED, 1) => Event::TravelBanRevoked(parse(name, version, body)?),
            (WATCHLIST_IMPORTED, 1) => Event::WatchlistImported(parse(name, version, body)?),
            _ => return Err(EventError::Unknown { name: name.into(), version }),
        };
        Ok(Decoded::Domain(event))
    }
}
