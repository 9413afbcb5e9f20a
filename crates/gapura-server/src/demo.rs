//! The demo officers (invented people) and the events that create an officer, shared by
//! `gapura demo` and `gapura officer create`.

use gapura_domain::{Event, Grant, OfficerCreated, OfficerGrant, OfficerId, Role, Scope, ServicePointCode};

use crate::auth;
use crate::error::ApiError;

/// The password of every demo officer. It exists only in stores made by `gapura demo`.
pub const DEMO_PASSWORD: &str = "gapura-demo-2026";

/// Invented officers covering every role and each kind of scope.
pub const DEMO_OFFICERS: &[(&str, &str, &str, &str, &str)] = &[
    ("admin", "Ratna Kusumawardani", "KANIM-JKS", "system-administrator", "national"),
    ("admin.banten", "Hendra Wicaksono", "KANWIL-BANTEN", "system-administrator", "region:KANWIL-BANTEN"),
    ("supervisor.cgk", "Yohanes Marbun", "TPI-CGK", "supervisor", "point:TPI-CGK"),
    ("border.cgk", "Dewi Lestiani", "TPI-CGK", "border-officer", "point:TPI-CGK"),
    ("passport.jks", "Agus Prasetiyo", "KANIM-JKS", "passport-officer", "point:KANIM-JKS"),
    ("visa.pusat", "Meilani Siregar", "KANIM-JKS", "visa-officer", "national"),
    ("cekal.pusat", "Bambang Sutrisna", "KANIM-JKS", "travel-ban-administrator", "national"),
    ("auditor", "Sri Handayani Putri", "KANIM-JKS", "auditor", "national"),
];

/// The events that create an officer with a password and grants. Hashes the password.
pub fn officer_events(
    login: &str,
    name: &str,
    point: &str,
    password: &str,
    grants: &[(String, String)],
) -> Result<Vec<Event>, ApiError> {
    let officer = OfficerId::parse(login).map_err(|e| ApiError::invalid("login", e.to_string()))?;
    let home_point = ServicePointCode::parse(point).map_err(|e| ApiError::invalid("point", e.to_string()))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > gapura_domain::NAME_CHARS_MAX {
        return Err(ApiError::invalid(
            "name",
            format!("a name is 1 to {} characters", gapura_domain::NAME_CHARS_MAX),
        ));
    }
    let mut parsed = Vec::new();
    for (role, scope) in grants {
        parsed.push(Grant {
            role: Role::parse(role).map_err(|e| ApiError::invalid("role", e.to_string()))?,
            scope: Scope::parse(scope).map_err(|e| ApiError::invalid("scope", e.to_string()))?,
        });
    }
    let password_hash = auth::hash_password(password)?;
    Ok(creation_events(officer, name.to_owned(), home_point, password_hash, parsed))
}

/// The events that record a new officer: the account, then each grant.
pub fn creation_events(
    officer: OfficerId,
    name: String,
    home_point: ServicePointCode,
    password_hash: String,
    grants: Vec<Grant>,
) -> Vec<Event> {
    let mut events = vec![Event::OfficerCreated(OfficerCreated {
        officer: officer.clone(),
        name,
        home_point,
        password_hash,
    })];
    for g in grants {
        events.push(Event::RoleGranted(OfficerGrant {
            officer: officer.clone(),
            role: g.role,
            scope: g.scope,
        }));
    }
    events
}

/// Every demo officer's events.
pub fn demo_officer_events() -> Result<Vec<Event>, ApiError> {
    let mut out = Vec::new();
    for (login, name, point, role, scope) in DEMO_OFFICERS {
        out.extend(officer_events(
            login,
            name,
            point,
            DEMO_PASSWORD,
            &[(role.to_string(), scope.to_string())],
        )?);
    }
    Ok(out)
}

/// The demo logins to show on the login page.
pub fn demo_logins() -> Vec<(String, String)> {
    DEMO_OFFICERS
        .iter()
        .map(|(l, _, _, role, _)| (format!("{l} ({role})"), DEMO_PASSWORD.to_owned()))
        .collect()
}
