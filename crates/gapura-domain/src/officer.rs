//! Officers, their roles and scopes, the permissions a role carries, and the audit records of
//! reads of personal data. Who may do what is decided here; how a request proves who it is
//! (passwords, sessions, tokens) is the server's business.

use serde::{Deserialize, Serialize};

use crate::reference::check_text;
use crate::{ServicePointCode, ValueError};

/// The longest free text (a reason, a token label, an audit query) an officer event carries.
pub const NOTE_CHARS_MAX: usize = 400;
/// The most subjects one audit record names; a larger read is recorded in several records.
pub const AUDIT_SUBJECTS_MAX: usize = 500;

fn login_ok(s: &str) -> bool {
    (3..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

gapura_ledger::validated_string!(
    /// An officer's login, stable for the life of the account: 3 to 32 characters of `a-z`,
    /// `0-9`, `.`, `-`, `_`, starting with a letter (e.g. `sari.w`).
    OfficerId,
    ValueError,
    login_ok,
    ValueError::OfficerId
);

/// What an officer is trusted to do. Each is granted for a [`Scope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    BorderOfficer,
    PassportOfficer,
    VisaOfficer,
    TravelBanAdministrator,
    Supervisor,
    SystemAdministrator,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::BorderOfficer,
        Role::PassportOfficer,
        Role::VisaOfficer,
        Role::TravelBanAdministrator,
        Role::Supervisor,
        Role::SystemAdministrator,
        Role::Auditor,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::BorderOfficer => "border-officer",
            Role::PassportOfficer => "passport-officer",
            Role::VisaOfficer => "visa-officer",
            Role::TravelBanAdministrator => "travel-ban-administrator",
            Role::Supervisor => "supervisor",
            Role::SystemAdministrator => "system-administrator",
            Role::Auditor => "auditor",
        }
    }
    pub fn parse(s: &str) -> Result<Role, ValueError> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| ValueError::Role(s.to_owned()))
    }

    /// The permissions this role carries, within the scope it is granted for.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            // Officers who meet travellers screen them against travel bans and watchlists.
            Role::BorderOfficer | Role::PassportOfficer | Role::VisaOfficer => &[ReferenceRead, Screen],
            Role::TravelBanAdministrator => &[ReferenceRead, TravelBansRead, TravelBansManage, Screen],
            // A supervisor sees the officers of the points they supervise, and the orders their
            // officers act on.
            Role::Supervisor => &[ReferenceRead, OfficersRead, TravelBansRead, Screen],
            // Separation of duties: who manages accounts neither reads nor makes travel bans.
            Role::SystemAdministrator => &[ReferenceRead, OfficersRead, OfficersManage],
            Role::Auditor => &[ReferenceRead, AuditRead, TravelBansRead],
        }
    }
}

/// A permission a route needs. `Authenticated` is held by every active officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Any signed-in officer: their own account, password and tokens.
    Authenticated,
    /// Reference data: service points, countries, authorities.
    ReferenceRead,
    /// Officer accounts and their roles.
    OfficersRead,
    /// Create officers, grant and revoke roles, disable and enable accounts.
    OfficersManage,
    /// Search the audit records.
    AuditRead,
    /// Read travel-ban orders and their history (personal data: every read is audited).
    TravelBansRead,
    /// Issue, extend and revoke travel-ban orders.
    TravelBansManage,
    /// Screen a traveller against travel bans and watchlists.
    Screen,
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::Authenticated,
        Permission::ReferenceRead,
        Permission::OfficersRead,
        Permission::OfficersManage,
        Permission::AuditRead,
        Permission::TravelBansRead,
        Permission::TravelBansManage,
        Permission::Screen,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Authenticated => "authenticated",
            Permission::ReferenceRead => "reference_read",
            Permission::OfficersRead => "officers_read",
            Permission::OfficersManage => "officers_manage",
            Permission::AuditRead => "audit_read",
            Permission::TravelBansRead => "travel_bans_read",
            Permission::TravelBansManage => "travel_bans_manage",
            Permission::Screen => "screen",
        }
    }
}

/// Where a role applies: one service point, a region (a regional office and every point under
/// it), or the whole service. Written `point:CODE`, `region:CODE` or `national`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Scope {
    Point(ServicePointCode),
    Region(ServicePointCode),
    National,
}

impl Scope {
    pub fn parse(s: &str) -> Result<Scope, ValueError> {
        let bad = || ValueError::Scope(s.to_owned());
        if s == "national" {
            return Ok(Scope::National);
        }
        let (kind, code) = s.split_once(':').ok_or_else(bad)?;
        let code = ServicePointCode::parse(code).map_err(|_| bad())?;
        match kind {
            "point" => Ok(Scope::Point(code)),
            "region" => Ok(Scope::Region(code)),
            _ => Err(bad()),
        }
    }

    /// Whether this scope covers a point whose chain of parents (itself first, then its
    /// regional office, …) is `ancestors`.
    pub fn covers(&self, ancestors: &[ServicePointCode]) -> bool {
        match self {
            Scope::National => true,
            Scope::Point(p) => ancestors.first() == Some(p),
            Scope::Region(r) => ancestors.contains(r),
        }
    }

    /// Whether everything `other` covers is covered by this scope, given the chain of parents
    /// of the point `other` names.
    pub fn contains(&self, other: &Scope, other_ancestors: &[ServicePointCode]) -> bool {
        match (self, other) {
            (Scope::National, _) => true,
            (_, Scope::National) => false,
            (Scope::Point(a), Scope::Point(b)) => a == b,
            (Scope::Point(_), Scope::Region(_)) => false,
            (Scope::Region(_), _) => self.covers(other_ancestors),
        }
    }

    /// The service point the scope names, if any.
    pub fn point(&self) -> Option<&ServicePointCode> {
        match self {
            Scope::Point(p) | Scope::Region(p) => Some(p),
            Scope::National => None,
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Point(p) => write!(f, "point:{p}"),
            Scope::Region(p) => write!(f, "region:{p}"),
            Scope::National => f.write_str("national"),
        }
    }
}
impl TryFrom<String> for Scope {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Scope, ValueError> {
        Scope::parse(&s)
    }
}
impl From<Scope> for String {
    fn from(s: Scope) -> String {
        s.to_string()
    }
}

/// A role granted for a scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// `officer.created` v1. The password hash is an argon2id PHC string (never a password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerCreated {
    pub officer: OfficerId,
    pub name: String,
    pub home_point: ServicePointCode,
    pub password_hash: String,
}

/// `officer.role_granted` v1 and `officer.role_revoked` v1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerGrant {
    pub officer: OfficerId,
    pub role: Role,
    pub scope: Scope,
}

/// `officer.password_changed` v1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChanged {
    pub officer: OfficerId,
    pub password_hash: String,
}

/// `officer.disabled` v1 (with a reason) and `officer.enabled` v1 (reason empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerStatus {
    pub officer: OfficerId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// `officer.token_issued` v1: an API bearer token, stored only as the SHA-256 of its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenIssued {
    pub officer: OfficerId,
    /// Public identifier of the token (16 hex digits), shown in lists and used to revoke it.
    pub token_id: String,
    /// Hex SHA-256 of the secret the client presents.
    pub secret_sha256: String,
    pub label: String,
    pub expires_ms: i64,
}

/// `officer.token_revoked` v1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRevoked {
    pub officer: OfficerId,
    pub token_id: String,
}

/// `audit.personal_data_read` v1: an officer read records about people. Recorded by the
/// mechanism that served the read; the entry's time is when it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalDataRead {
    pub officer: OfficerId,
    /// The service point the officer was working for (their home point).
    pub point: ServicePointCode,
    /// When the record was read (Unix ms); the entry's own time is when it was committed.
    pub read_ms: i64,
    /// The network address the request came from.
    pub address: String,
    pub request_id: String,
    /// The route template that served the read, e.g. `GET /api/v1/officers/{officer}`.
    pub route: String,
    /// What kind of record was read, e.g. `officer`.
    pub record: String,
    /// The people whose records were returned (`kind:id`), empty if none matched.
    pub subjects: Vec<String>,
    /// The search terms, when the read was a search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// `auth.login_succeeded` v1 and `auth.login_failed` v1 (for existing accounts only: a name
/// typed that matches no account is not recorded, it may be a password typed in the wrong box).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginAttempt {
    pub officer: OfficerId,
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

pub(crate) fn check_note(field: &'static str, s: &str, required: bool) -> Result<(), ValueError> {
    let n = s.chars().count();
    if (required && n == 0) || n > NOTE_CHARS_MAX || s.chars().any(|c| c.is_control()) {
        return Err(ValueError::Text { field, max: NOTE_CHARS_MAX });
    }
    Ok(())
}

impl OfficerCreated {
    pub(crate) fn validate(&self) -> Result<(), ValueError> {
        check_text("name", &self.name)?;
        check_note("password_hash", &self.password_hash, true)
    }
}

impl PersonalDataRead {
    pub(crate) fn validate(&self) -> Result<(), ValueError> {
        check_note("address", &self.address, true)?;
        check_note("request_id", &self.request_id, true)?;
        check_note("route", &self.route, true)?;
        check_note("record", &self.record, true)?;
        if self.subjects.len() > AUDIT_SUBJECTS_MAX {
            return Err(ValueError::Text { field: "subjects", max: AUDIT_SUBJECTS_MAX });
        }
        for s in &self.subjects {
            check_note("subjects", s, true)?;
        }
        if let Some(q) = &self.query {
            check_note("query", q, false)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travel_bans_are_read_and_made_by_their_roles_and_never_by_account_administrators() {
        use Permission::*;
        let holders = |p: Permission| -> Vec<&str> {
            Role::ALL.iter().filter(|r| r.permissions().contains(&p)).map(|r| r.as_str()).collect()
        };
        assert_eq!(holders(TravelBansManage), ["travel-ban-administrator"]);
        assert_eq!(holders(TravelBansRead), ["travel-ban-administrator", "supervisor", "auditor"]);
        assert_eq!(
            holders(Screen),
            ["border-officer", "passport-officer", "visa-officer", "travel-ban-administrator", "supervisor"]
        );
        assert_eq!(Role::SystemAdministrator.permissions(), [ReferenceRead, OfficersRead, OfficersManage]);
        let names: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        assert!(
            names.contains(&"travel_bans_read")
                && names.contains(&"travel_bans_manage")
                && names.contains(&"screen")
        );
        for r in Role::ALL {
            assert!(r.permissions().iter().all(|p| Permission::ALL.contains(p)), "{r:?}");
        }
    }
}
