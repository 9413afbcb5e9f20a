//! The JSON API under `/api/v1`. Handlers run after `routes::guard` has authenticated the
//! caller and checked the route's permission; they check what depends on the request body.

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use gapura_domain::{
    Event, Grant, OfficerGrant, OfficerId, OfficerStatus, PasswordChanged, Permission, Role, Scope,
    TokenIssued, TokenRevoked,
};
use gapura_store::{AuditFilter, OfficerFilter, ServicePointFilter};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::auth::{self, Caller};
use crate::error::{parse_json, parse_query, ApiError};
use crate::routes::{point_code, BODY_BYTES_MAX};
use crate::state::AppState;

/// A JSON body, read with the field or position at fault named on error.
pub struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !ct.is_empty() && !ct.starts_with("application/json") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ));
        }
        let bytes = axum::body::to_bytes(req.into_body(), BODY_BYTES_MAX).await.map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("a body is at most {BODY_BYTES_MAX} bytes"),
            )
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Query parameters, read with the parameter at fault named on error.
pub struct QueryParams<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parse_query(parts.uri.query()).map(QueryParams)
    }
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GrantView {
    /// One of border-officer, passport-officer, visa-officer, travel-ban-administrator,
    /// supervisor, system-administrator, auditor.
    pub role: String,
    /// `national`, `region:CODE` or `point:CODE`.
    pub scope: String,
}

fn grant_views(grants: &[Grant]) -> Vec<GrantView> {
    grants.iter().map(|g| GrantView { role: g.role.as_str().into(), scope: g.scope.to_string() }).collect()
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Me {
    pub officer: String,
    pub home_point: String,
    pub grants: Vec<GrantView>,
    /// The permissions the caller holds in at least one scope.
    pub permissions: Vec<String>,
}

pub async fn me(Extension(c): Extension<Caller>) -> Json<Me> {
    Json(Me {
        officer: c.officer.to_string(),
        home_point: c.home_point.to_string(),
        grants: grant_views(&c.grants),
        permissions: Permission::ALL.iter().filter(|p| c.has(**p)).map(|p| p.as_str().to_owned()).collect(),
    })
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters, not containing the login.
    #[schemars(length(min = 12, max = 128))]
    pub new_password: String,
}

/// Checks the current password and records the new hash; other sessions of the officer end.
pub async fn password_change(
    st: &AppState,
    c: &Caller,
    current: &str,
    new: &str,
    field: &str,
) -> Result<(), ApiError> {
    let db = st.db()?;
    let who = c.officer.to_string();
    let account = db.read(move |r| r.account(&who)).await?.ok_or_else(ApiError::unauthenticated)?;
    // A stolen session or token must not become an unlimited password oracle.
    let key = format!("password-change:{}", c.officer);
    if let Err(wait) = st.limiter.check(&key, &c.address, st.now()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many wrong current passwords; try again in {} minutes", (wait + 59_999) / 60_000),
        ));
    }
    let (cur, hash) = (current.to_owned(), account.password_hash.clone());
    if !tokio::task::spawn_blocking(move || auth::verify_password(&cur, &hash))
        .await
        .map_err(|e| ApiError::internal(&e))?
    {
        st.limiter.fail(&key, &c.address, st.now());
        return Err(ApiError::new(StatusCode::FORBIDDEN, "wrong_password", "the current password is wrong")
            .field("current_password"));
    }
    auth::check_password(new, c.officer.as_str(), field)?;
    let new = new.to_owned();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    db.append(
        c.actor(),
        vec![Event::PasswordChanged(PasswordChanged { officer: c.officer.clone(), password_hash: hash })],
    )
    .await?;
    st.sessions.remove_officer(&c.officer);
    Ok(())
}

pub async fn change_password(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    JsonBody(b): JsonBody<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    password_change(&st, &c, &b.current_password, &b.new_password, "new_password").await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Token {
    pub token_id: String,
    pub label: String,
    pub issued_ms: i64,
    pub expires_ms: i64,
    pub revoked: bool,
}

impl From<gapura_store::TokenRow> for Token {
    fn from(t: gapura_store::TokenRow) -> Token {
        Token {
            token_id: t.token_id,
            label: t.label,
            issued_ms: t.issued_ms,
            expires_ms: t.expires_ms,
            revoked: t.revoked,
        }
    }
}

pub async fn my_tokens(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
) -> Result<Json<Vec<Token>>, ApiError> {
    let who = c.officer.to_string();
    let rows = st.db()?.read(move |r| r.own_tokens(&who)).await?;
    Ok(Json(rows.into_iter().map(Token::from).collect()))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for, e.g. `reporting script`.
    #[schemars(
        length(min = 1, max = 80),
        regex(pattern = PLAIN_TEXT_PATTERN)
    )]
    pub label: String,
    /// Days until it expires: 1 to 365.
    #[schemars(range(min = 1, max = 365))]
    #[serde(deserialize_with = "whole_number")]
    pub days: i64,
}

/// `plain_text` as a JSON Schema pattern, for the API's document: no control characters, and
/// no white space (as Unicode defines it, which is what `str::trim` removes) at either end.
pub(crate) const PLAIN_TEXT_PATTERN: &str = concat!(
    r"^[^\x00-\x20\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
    r"([^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$"
);

/// Text a person typed for the record: not empty, not longer than `max` characters, no
/// control characters, no spaces at either end (the same rule the API's schema states).
pub(crate) fn plain_text(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    n > 0 && n <= max && s.trim() == s && !s.chars().any(char::is_control)
}

/// A whole number, also when written with a zero fraction (`30.0`), as JSON Schema's
/// `integer` allows.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(serde::de::Error::custom(format!("{n} is not a whole number"))),
    }
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct NewToken {
    pub token_id: String,
    /// The bearer token: shown this once, stored only as its SHA-256.
    pub token: String,
    pub expires_ms: i64,
}

pub async fn issue_token(st: &AppState, c: &Caller, label: &str, days: i64) -> Result<NewToken, ApiError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 80 || label.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "label",
            "a label is 1 to 80 characters, none of them control characters",
        ));
    }
    if !(1..=auth::TOKEN_DAYS_MAX).contains(&days) {
        return Err(ApiError::invalid("days", format!("a token lives 1 to {} days", auth::TOKEN_DAYS_MAX)));
    }
    let (token, token_id, secret_sha256) = auth::new_token();
    let expires_ms = st.now() + days * 86_400_000;
    st.db()?
        .append(
            c.actor(),
            vec![Event::TokenIssued(TokenIssued {
                officer: c.officer.clone(),
                token_id: token_id.clone(),
                secret_sha256,
                label: label.to_owned(),
                expires_ms,
            })],
        )
        .await?;
    Ok(NewToken { token_id, token, expires_ms })
}

pub async fn create_token(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    JsonBody(b): JsonBody<TokenRequest>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    Ok((StatusCode::CREATED, Json(issue_token(&st, &c, &b.label, b.days).await?)))
}

pub async fn revoke_own_token(st: &AppState, c: &Caller, token_id: &str) -> Result<(), ApiError> {
    let who = c.officer.to_string();
    let tokens = st.db()?.read(move |r| r.own_tokens(&who)).await?;
    if !tokens.iter().any(|t| t.token_id == token_id && !t.revoked) {
        return Err(ApiError::not_found(format!("you have no live token {token_id:?}")));
    }
    st.db()?
        .append(
            c.actor(),
            vec![Event::TokenRevoked(TokenRevoked {
                officer: c.officer.clone(),
                token_id: token_id.to_owned(),
            })],
        )
        .await?;
    Ok(())
}

pub async fn revoke_token(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(token_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    revoke_own_token(&st, &c, &token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServicePointQuery {
    /// Matches code, name, province or city, ignoring case.
    pub q: Option<String>,
    /// regional_office, immigration_office, airport, seaport, land_crossing, detention_house or mission_abroad.
    #[schemars(regex(
        pattern = r"^(|regional_office|immigration_office|airport|seaport|land_crossing|detention_house|mission_abroad)$"
    ))]
    pub kind: Option<String>,
    /// Province (or host country for a mission abroad).
    pub province: Option<String>,
    /// Points under this regional office.
    pub parent: Option<String>,
    /// 1 to 500 (default 50).
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    #[schemars(range(min = 0, max = 1_000_000))]
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ServicePoint {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
    pub province: String,
    pub city: Option<String>,
    pub time_zone: Option<String>,
}

impl From<gapura_store::ServicePointRow> for ServicePoint {
    fn from(r: gapura_store::ServicePointRow) -> ServicePoint {
        ServicePoint {
            code: r.code,
            name: r.name,
            kind: r.kind,
            parent_code: r.parent_code,
            province: r.province,
            city: r.city,
            time_zone: r.time_zone,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ServicePointPage {
    pub total: i64,
    pub items: Vec<ServicePoint>,
}

/// The default number of rows on a page.
pub const PAGE_ROWS_DEFAULT: i64 = 50;

pub fn limit(v: Option<i64>) -> Result<i64, ApiError> {
    match v {
        None => Ok(PAGE_ROWS_DEFAULT),
        Some(n) if (1..=gapura_store::PAGE_ROWS_MAX).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid("limit", format!("limit is 1 to {}", gapura_store::PAGE_ROWS_MAX))),
    }
}

pub fn service_point_filter(q: ServicePointQuery) -> Result<ServicePointFilter, ApiError> {
    if let Some(k) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        gapura_domain::ServicePointKind::parse(k).map_err(|e| ApiError::invalid("kind", e.to_string()))?;
    }
    let offset = q.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(ApiError::invalid("offset", "offset is 0 to 1000000"));
    }
    Ok(ServicePointFilter {
        text: q.q,
        kind: q.kind,
        province: q.province,
        parent_code: q.parent,
        limit: limit(q.limit)?,
        offset,
    })
}

pub async fn service_points(
    State(st): State<AppState>,
    QueryParams(q): QueryParams<ServicePointQuery>,
) -> Result<Json<ServicePointPage>, ApiError> {
    let f = service_point_filter(q)?;
    let (rows, total) = st.db()?.read(move |r| r.service_points(&f)).await?;
    Ok(Json(ServicePointPage { total, items: rows.into_iter().map(ServicePoint::from).collect() }))
}

pub async fn service_point(
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ServicePoint>, ApiError> {
    let c = code.clone();
    match st.db()?.read(move |r| r.service_point(&c)).await? {
        Some(p) => Ok(Json(p.into())),
        None => Err(ApiError::not_found(format!("there is no service point {code:?}"))),
    }
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Officer {
    pub officer: String,
    pub name: String,
    pub home_point: String,
    pub disabled: bool,
    pub grants: Vec<GrantView>,
    pub created_ms: i64,
}

impl From<gapura_store::OfficerRow> for Officer {
    fn from(o: gapura_store::OfficerRow) -> Officer {
        Officer {
            grants: grant_views(&o.grants),
            officer: o.officer,
            name: o.name,
            home_point: o.home_point,
            disabled: o.disabled,
            created_ms: o.created_ms,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct OfficerDetail {
    #[serde(flatten)]
    pub officer: Officer,
    pub tokens: Vec<Token>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOfficer {
    /// The login: 3 to 32 characters of a-z, 0-9, '.', '-', '_', starting with a letter.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9._-]{2,31}$"))]
    pub officer: String,
    /// Full name as it appears in the personnel record.
    #[schemars(
        length(min = 1, max = 160),
        regex(pattern = PLAIN_TEXT_PATTERN)
    )]
    pub name: String,
    /// An initial password for the officer to change: at least 12 characters.
    #[schemars(length(min = 12, max = 128))]
    pub password: String,
    #[serde(default)]
    pub grants: Vec<GrantRequest>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    #[schemars(regex(
        pattern = r"^(border-officer|passport-officer|visa-officer|travel-ban-administrator|supervisor|system-administrator|auditor)$"
    ))]
    pub role: String,
    #[schemars(regex(pattern = r"^(national|point:[A-Z0-9-]{1,16}|region:[A-Z0-9-]{1,16})$"))]
    pub scope: String,
}

pub type GrantBody = GrantRequest;

/// Parses a grant and checks that the caller may hand it out: the scope exists (a region
/// names a regional office) and lies within the caller's own `officers_manage` scopes.
pub async fn checked_grant(
    st: &AppState,
    c: &Caller,
    g: &GrantRequest,
    field: &str,
) -> Result<Grant, ApiError> {
    let role =
        Role::parse(&g.role).map_err(|e| ApiError::invalid(&format!("{field}.role"), e.to_string()))?;
    let scope =
        Scope::parse(&g.scope).map_err(|e| ApiError::invalid(&format!("{field}.scope"), e.to_string()))?;
    let ancestors = match scope.point() {
        None => Vec::new(),
        Some(p) => {
            let code = p.to_string();
            let point = st
                .db()?
                .read({
                    let code = code.clone();
                    move |r| r.service_point(&code)
                })
                .await?;
            let Some(point) = point else {
                return Err(ApiError::not_found(format!("there is no service point {code:?}"))
                    .field(format!("{field}.scope")));
            };
            if matches!(scope, Scope::Region(_)) && point.kind != "regional_office" {
                return Err(ApiError::invalid(
                    &format!("{field}.scope"),
                    format!("a region is named by its regional office; {code} is a {}", point.kind),
                ));
            }
            st.db()?.read(move |r| r.ancestors(&code)).await?
        }
    };
    let mine = c.scopes(Permission::OfficersManage);
    if !mine.iter().any(|s| s.contains(&scope, &ancestors)) {
        return Err(ApiError::forbidden(format!(
            "you may grant roles only within your own scope ({}); {scope} is outside it",
            mine.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ))
        .field(format!("{field}.scope")));
    }
    Ok(Grant { role, scope })
}

pub async fn officer_detail(st: &AppState, c: &Caller, officer: &str) -> Result<OfficerDetail, ApiError> {
    let who = officer.to_owned();
    let found = st.db()?.personal(c, move |p| p.officer(&who)).await?;
    let (o, tokens) = found.ok_or_else(|| ApiError::not_found(format!("there is no officer {officer:?}")))?;
    Ok(OfficerDetail { officer: o.into(), tokens: tokens.into_iter().map(Token::from).collect() })
}

pub async fn new_officer(st: &AppState, c: &Caller, code: &str, b: NewOfficer) -> Result<Officer, ApiError> {
    let home_point = point_code(code)?;
    let officer = OfficerId::parse(&b.officer).map_err(|e| ApiError::invalid("officer", e.to_string()))?;
    let name = b.name.clone();
    if !plain_text(&name, gapura_domain::NAME_CHARS_MAX) {
        return Err(ApiError::invalid(
            "name",
            format!(
                "a name is 1 to {} characters, without control characters or spaces at either end",
                gapura_domain::NAME_CHARS_MAX
            ),
        ));
    }
    auth::check_password(&b.password, officer.as_str(), "password")?;
    let mut grants = Vec::new();
    for (i, g) in b.grants.iter().enumerate() {
        grants.push(checked_grant(st, c, g, &format!("grants[{i}]")).await?);
    }
    let who = officer.to_string();
    if st.db()?.read(move |r| r.account(&who)).await?.is_some() {
        return Err(ApiError::conflict("officer_exists", format!("an officer {officer} already exists"))
            .field("officer"));
    }
    let password = b.password;
    let password_hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    let events = crate::demo::creation_events(officer.clone(), name, home_point, password_hash, grants);
    st.db()?.append(c.actor(), events).await?;
    Ok(officer_detail(st, c, officer.as_str()).await?.officer)
}

pub async fn create_officer(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(code): Path<String>,
    JsonBody(b): JsonBody<NewOfficer>,
) -> Result<(StatusCode, Json<Officer>), ApiError> {
    Ok((StatusCode::CREATED, Json(new_officer(&st, &c, &code, b).await?)))
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerQuery {
    /// Matches login or name, ignoring case.
    pub q: Option<String>,
    /// Officers whose home is this service point.
    pub point: Option<String>,
    /// 1 to 500 (default 50).
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<i64>,
}

pub async fn list_officers(st: &AppState, c: &Caller, q: OfficerQuery) -> Result<Vec<Officer>, ApiError> {
    let limit = limit(q.limit)?;
    let scopes = c.scopes(Permission::OfficersRead);
    let db = st.db()?;
    let within = db.read(move |r| r.points_within(&scopes)).await?;
    let f = OfficerFilter { text: q.q, home_point: q.point, within, limit };
    let rows = db.personal(c, move |p| p.officers(&f)).await?;
    Ok(rows.into_iter().map(Officer::from).collect())
}

pub async fn officers(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    QueryParams(q): QueryParams<OfficerQuery>,
) -> Result<Json<Vec<Officer>>, ApiError> {
    Ok(Json(list_officers(&st, &c, q).await?))
}

pub async fn officer(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(officer): Path<String>,
) -> Result<Json<OfficerDetail>, ApiError> {
    Ok(Json(officer_detail(&st, &c, &officer).await?))
}

fn officer_id(s: &str) -> Result<OfficerId, ApiError> {
    OfficerId::parse(s).map_err(|e| ApiError::invalid("officer", e.to_string()))
}

/// Grants (or revokes) a role; refuses a grant the officer already has or lacks.
pub async fn change_grant(
    st: &AppState,
    c: &Caller,
    officer: &str,
    g: &GrantRequest,
    grant: bool,
) -> Result<Officer, ApiError> {
    let id = officer_id(officer)?;
    // Separation of duties: nobody changes their own roles (no self-granted audit rights, no
    // administrator locking the service out by revoking their own last role).
    if id == c.officer {
        return Err(ApiError::conflict(
            "own_account",
            "you cannot change your own roles; ask another administrator",
        ));
    }
    let parsed = checked_grant(st, c, g, "grant").await?;
    let who = id.to_string();
    let account = st
        .db()?
        .read(move |r| r.account(&who))
        .await?
        .ok_or_else(|| ApiError::not_found("no such officer"))?;
    let has = account.grants.contains(&parsed);
    if grant && has {
        return Err(ApiError::conflict(
            "grant_exists",
            format!("{id} already holds {} for {}", g.role, g.scope),
        ));
    }
    if !grant && !has {
        return Err(ApiError::conflict(
            "grant_missing",
            format!("{id} does not hold {} for {}", g.role, g.scope),
        ));
    }
    let body = OfficerGrant { officer: id.clone(), role: parsed.role, scope: parsed.scope };
    let event = if grant { Event::RoleGranted(body) } else { Event::RoleRevoked(body) };
    st.db()?.append(c.actor(), vec![event]).await?;
    Ok(officer_detail(st, c, id.as_str()).await?.officer)
}

pub async fn grant(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(officer): Path<String>,
    JsonBody(b): JsonBody<GrantBody>,
) -> Result<Json<Officer>, ApiError> {
    Ok(Json(change_grant(&st, &c, &officer, &b, true).await?))
}

pub async fn revoke_grant(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(officer): Path<String>,
    JsonBody(b): JsonBody<GrantBody>,
) -> Result<Json<Officer>, ApiError> {
    Ok(Json(change_grant(&st, &c, &officer, &b, false).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableBody {
    /// Why, for the record: 1 to 400 characters.
    #[schemars(
        length(min = 1, max = 400),
        regex(pattern = PLAIN_TEXT_PATTERN)
    )]
    pub reason: String,
}

/// Disables or enables an account; disabling ends the officer's sessions at once (their
/// tokens stop at the next request, which checks the account).
pub async fn set_disabled(
    st: &AppState,
    c: &Caller,
    officer: &str,
    reason: Option<&str>,
) -> Result<Officer, ApiError> {
    let id = officer_id(officer)?;
    if id == c.officer && reason.is_some() {
        return Err(ApiError::conflict("own_account", "you cannot disable your own account"));
    }
    let who = id.to_string();
    let account = st
        .db()?
        .read(move |r| r.account(&who))
        .await?
        .ok_or_else(|| ApiError::not_found("no such officer"))?;
    // An administrator may not lock out (or let back in) someone whose roles reach beyond
    // their own scope: a point administrator cannot disable a national auditor.
    let mine = c.scopes(Permission::OfficersManage);
    for g in &account.grants {
        let code = g.scope.point().map(ToString::to_string);
        let ancestors = match code {
            Some(code) => st.db()?.read(move |r| r.ancestors(&code)).await?,
            None => Vec::new(),
        };
        if !mine.iter().any(|s| s.contains(&g.scope, &ancestors)) {
            return Err(ApiError::forbidden(format!(
                "{id} holds {} for {}, beyond your scope; an administrator of that scope must do this",
                g.role.as_str(),
                g.scope
            )));
        }
    }
    let event = match reason {
        Some(reason) => {
            if !plain_text(reason, gapura_domain::NOTE_CHARS_MAX) {
                return Err(ApiError::invalid(
                    "reason",
                    "give a reason of 1 to 400 characters, without control characters or spaces at either end",
                ));
            }
            if account.disabled {
                return Err(ApiError::conflict("already_disabled", format!("{id} is already disabled")));
            }
            Event::OfficerDisabled(OfficerStatus { officer: id.clone(), reason: reason.to_owned() })
        }
        None => {
            if !account.disabled {
                return Err(ApiError::conflict("not_disabled", format!("{id} is not disabled")));
            }
            Event::OfficerEnabled(OfficerStatus { officer: id.clone(), reason: String::new() })
        }
    };
    st.db()?.append(c.actor(), vec![event]).await?;
    st.sessions.remove_officer(&id);
    Ok(officer_detail(st, c, id.as_str()).await?.officer)
}

pub async fn disable(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(officer): Path<String>,
    JsonBody(b): JsonBody<DisableBody>,
) -> Result<Json<Officer>, ApiError> {
    Ok(Json(set_disabled(&st, &c, &officer, Some(&b.reason)).await?))
}

pub async fn enable(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(officer): Path<String>,
) -> Result<Json<Officer>, ApiError> {
    Ok(Json(set_disabled(&st, &c, &officer, None).await?))
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// The officer who read.
    pub officer: Option<String>,
    /// Whose record was read, as `kind:id` (e.g. `officer:sari.w`).
    pub subject: Option<String>,
    /// From this time (inclusive), RFC 3339 (`2026-11-23T08:00:00Z`) or a date (`2026-11-23`).
    #[schemars(with = "Option<DateOrTime>")]
    pub from: Option<String>,
    /// Until this time (exclusive), RFC 3339 or a date.
    #[schemars(with = "Option<DateOrTime>")]
    pub to: Option<String>,
    /// 1 to 500 (default 50).
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<i64>,
}

/// An instant as a query parameter: an RFC 3339 date-time, a date (its start in UTC), or
/// empty (no bound).
pub struct DateOrTime;

impl JsonSchema for DateOrTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DateOrTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "anyOf": [{"format": "date-time"}, {"format": "date"}, {"maxLength": 0}]
        })
    }
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AuditRecord {
    /// The ledger entry that records the read: `site/sequence`.
    pub entry: String,
    /// When it was read, RFC 3339 UTC.
    pub time: String,
    pub time_ms: i64,
    pub officer: String,
    pub point: String,
    pub address: String,
    pub request_id: String,
    pub route: String,
    pub record: String,
    /// Whose record was read (`kind:id`); empty when the read matched nobody.
    pub subject: String,
    pub query: Option<String>,
}

pub async fn search_audit(st: &AppState, c: &Caller, q: AuditQuery) -> Result<Vec<AuditRecord>, ApiError> {
    let from_ms = q
        .from
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| crate::time::parse_instant(s, "from"))
        .transpose()?;
    let to_ms =
        q.to.as_deref().filter(|s| !s.is_empty()).map(|s| crate::time::parse_instant(s, "to")).transpose()?;
    let limit = limit(q.limit)?;
    let scopes = c.scopes(Permission::AuditRead);
    let db = st.db()?;
    let within = db.read(move |r| r.points_within(&scopes)).await?;
    let f = AuditFilter {
        officer: q.officer.filter(|s| !s.is_empty()),
        subject: q.subject.filter(|s| !s.is_empty()),
        from_ms,
        to_ms,
        within,
        limit,
    };
    let rows = db.personal(c, move |p| p.audit_reads(&f)).await?;
    Ok(rows
        .into_iter()
        .map(|a| AuditRecord {
            entry: format!("{}/{}", a.site, a.site_seq),
            time: crate::time::rfc3339(a.time_ms),
            time_ms: a.time_ms,
            officer: a.officer,
            point: a.point,
            address: a.address,
            request_id: a.request_id,
            route: a.route,
            record: a.record,
            subject: a.subject,
            query: a.query,
        })
        .collect())
}

pub async fn audit_reads(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    QueryParams(q): QueryParams<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    Ok(Json(search_audit(&st, &c, q).await?))
}

impl IntoResponse for NewToken {
    fn into_response(self) -> Response {
        Json(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn text_char() -> impl Strategy<Value = char> {
        prop_oneof![
            proptest::char::range('\u{0}', '\u{7f}'),
            proptest::sample::select(vec![
                'é', '中', '\u{85}', '\u{9f}', '\u{a0}', '\u{2009}', '\u{3000}', '\u{feff}'
            ]),
        ]
    }

    proptest! {
        /// The schema's pattern for plain text accepts exactly what `plain_text` does.
        #[test]
        fn the_plain_text_pattern_and_the_check_agree(s in proptest::collection::vec(text_char(), 0..12)) {
            let s: String = s.into_iter().collect();
            let re = regex_automata::meta::Regex::new(PLAIN_TEXT_PATTERN).unwrap();
            prop_assert_eq!(re.is_match(&s), plain_text(&s, 400), "{:?}", s);
        }
    }
}
