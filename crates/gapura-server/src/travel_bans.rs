//! Travel-ban orders ("cekal") over HTTP: the JSON API under `/api/v1/travel-bans` and the
//! operations behind it, which the console calls too. The rules are `gapura-domain`'s
//! (`travel_ban::issue`, `extend`, `revoke`); here a request is read into their values (every
//! problem with it is a 400 naming the field), what they need is looked up, and a refusal
//! becomes a 422 carrying the rule's code. Orders are national: holding the permission in any
//! scope is enough, and no scope narrows which orders are seen.

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use gapura_domain::travel_ban::{self, ExtendOrder, IssueOrder, RevokeOrder};
use gapura_domain::{
    today_wib, AuthorityCode, CountryCode, Date, DocumentKind, Event, Nik, OrderId, OrderKind, OrderState,
    OrderStatus, PartialDate, Reason, ReasonCategory, Refusal, Sex, Subject, SubjectDocument,
};
use gapura_store::{TravelBanFilter, TravelBanRow, TravelBanStep};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::{plain_text, JsonBody, QueryParams, PLAIN_TEXT_PATTERN};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::time::{parse_date, rfc3339};

/// The longest decision number or legal basis, in characters.
pub const DECISION_TEXT_CHARS_MAX: usize = gapura_domain::NAME_CHARS_MAX;
/// The longest reason (the decision's grounds, a revocation's reason), in characters.
pub const REASON_CHARS_MAX: usize = gapura_domain::NOTE_CHARS_MAX;
/// The longest search text, in characters.
pub const SEARCH_CHARS_MAX: usize = 120;
/// The last page a search may ask for.
pub const SEARCH_PAGE_MAX: i64 = 10_000;
/// New order ids drawn before giving up: with 40 random bits a year, a second draw is
/// already rarer than one in a hundred million.
const ORDER_ID_DRAWS_MAX: usize = 4;

/// A JSON body whose every problem is bad input (400): its syntax, its shape, its values.
/// A 422 is kept for refusals by a rule.
pub struct InputBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for InputBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match JsonBody::<T>::from_request(req, state).await {
            Ok(JsonBody(v)) => Ok(InputBody(v)),
            Err(mut e) => {
                if e.status == StatusCode::UNPROCESSABLE_ENTITY {
                    e.status = StatusCode::BAD_REQUEST;
                }
                Err(e)
            }
        }
    }
}

/// A calendar date in an order: `YYYY-MM-DD`, in the years 1900 to 2999.
pub struct OrderDate;

impl JsonSchema for OrderDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OrderDate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": ORDER_DATE_PATTERN,
            "description": "A date written YYYY-MM-DD, in the years 1900 to 2999."
        })
    }
}

/// [`OrderDate`] as a JSON Schema pattern (the domain's [`gapura_domain::DATE_PATTERN`]).
pub use gapura_domain::DATE_PATTERN as ORDER_DATE_PATTERN;

/// An order's last day: a date, or null for life.
pub struct LastDay;

impl JsonSchema for LastDay {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LastDay".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let date = g.subschema_for::<OrderDate>();
        schemars::json_schema!({
            "description": "The last day in force (inclusive), or null for life (deterrence for terrorism or narcotics only).",
            "anyOf": [date, {"type": "null"}]
        })
    }
}

/// A person's name: it begins with a letter (A-Z, a-z, or any character beyond ASCII but
/// control characters and white space), then letters, spaces and `'`, `.`, `-`, `,`, and
/// does not end with a space; the same rule as `gapura_domain::travel_ban::person_name`.
pub struct PersonName;

/// [`PersonName`] as a JSON Schema pattern.
pub const PERSON_NAME_PATTERN: &str = concat!(
    r"^[^\x00-\x40\x5b-\x60\x7b-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
    r"([^\x00-\x1f\x21-\x26\x28-\x2b\x2f-\x40\x5b-\x60\x7b-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*",
    r"[^\x00-\x26\x28-\x2b\x2f-\x40\x5b-\x60\x7b-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?$"
);

/// A date of birth with unknown parts, as a JSON Schema pattern (the domain's
/// [`gapura_domain::PARTIAL_DATE_PATTERN`]).
pub use gapura_domain::PARTIAL_DATE_PATTERN as DATE_OF_BIRTH_PATTERN;

/// Search text as a JSON Schema pattern: no control characters.
const SEARCH_PATTERN: &str = r"^[^\x00-\x1f\x7f-\x9f]*$";

impl JsonSchema for PersonName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PersonName".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": travel_ban::PERSON_NAME_CHARS_MAX,
            "pattern": PERSON_NAME_PATTERN
        })
    }
}

/// Reads a field that must be present but may be null.
fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelBanQuery {
    /// Matches any of the subject's names (and aliases), the order id or the decision
    /// number, ignoring case.
    #[schemars(length(max = 120), regex(pattern = SEARCH_PATTERN))]
    pub q: Option<String>,
    /// prevention, temporary_prevention or deterrence.
    #[schemars(regex(pattern = r"^(|prevention|temporary_prevention|deterrence)$"))]
    pub kind: Option<String>,
    /// scheduled, in_force, ended or revoked, as of today in WIB.
    #[schemars(regex(pattern = r"^(|scheduled|in_force|ended|revoked)$"))]
    pub status: Option<String>,
    /// The page, from 1 (default 1).
    #[schemars(range(min = 1, max = 10000))]
    pub page: Option<i64>,
    /// Orders on a page: 1 to 500 (default 50).
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// 1 to 20 letters and digits; kept in capitals.
    #[schemars(regex(pattern = r"^[A-Za-z0-9]{1,20}$"))]
    pub number: String,
    /// The issuing state's three-letter code.
    #[schemars(regex(pattern = r"^[A-Z]{3}$"))]
    pub issuing_state: String,
    /// passport, identity_card, visa or other.
    #[schemars(regex(pattern = r"^(passport|identity_card|visa|other)$"))]
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectInput {
    /// 1 to 8 names: the primary full name in natural order first (`Muhammad Rizki
    /// Pratama`), then aliases and other spellings.
    #[schemars(length(min = 1, max = 8), with = "Vec<PersonName>")]
    pub names: Vec<String>,
    /// M, F or X (unspecified).
    #[schemars(regex(pattern = r"^(M|F|X)$"))]
    pub sex: Option<String>,
    #[schemars(length(min = 1, max = 160), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub place_of_birth: Option<String>,
    /// YYYY-MM-DD in the years 1900 to 2099, with XX (or XXXX) for an unknown part:
    /// `1971-03-XX`; a known day needs a known month.
    #[schemars(regex(pattern = DATE_OF_BIRTH_PATTERN))]
    pub date_of_birth: Option<String>,
    /// Three-letter country code.
    #[schemars(regex(pattern = r"^[A-Z]{3}$"))]
    pub nationality: Option<String>,
    /// Up to 8 travel documents the subject is known to hold.
    #[serde(default)]
    #[schemars(length(max = 8))]
    pub documents: Vec<DocumentInput>,
    /// Indonesian national identity number: 16 digits.
    #[schemars(regex(pattern = r"^[0-9]{16}$"))]
    pub nik: Option<String>,
    /// The SHA-256 of a photo held in the store's content.
    #[schemars(regex(pattern = r"^[0-9a-fA-F]{64}$"))]
    pub photo_sha256: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// tax, state_receivables, criminal, corruption, narcotics, terrorism,
    /// immigration_offence, public_order or other.
    #[schemars(regex(
        pattern = r"^(tax|state_receivables|criminal|corruption|narcotics|terrorism|immigration_offence|public_order|other)$"
    ))]
    pub category: String,
    /// The decision's grounds in its own words.
    #[schemars(length(min = 1, max = 400), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTravelBan {
    /// prevention (no leaving), temporary_prevention (20 days at most) or deterrence (no
    /// entering; foreigners only).
    #[schemars(regex(pattern = r"^(prevention|temporary_prevention|deterrence)$"))]
    pub kind: String,
    /// The code of a registered authority (`GET /api/v1/travel-ban-authorities`).
    #[schemars(regex(pattern = r"^[A-Z0-9-]{1,24}$"))]
    pub authority: String,
    /// The provision the decision rests on; the authority's registered legal basis if absent.
    #[schemars(length(min = 1, max = 160), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub legal_basis: Option<String>,
    #[schemars(length(min = 1, max = 160), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub decision_number: String,
    /// Not after today (WIB).
    #[schemars(with = "OrderDate")]
    pub decision_date: String,
    pub subject: SubjectInput,
    pub reason: ReasonInput,
    /// The first day in force: not before the decision.
    #[schemars(with = "OrderDate")]
    pub start: String,
    /// Required: the last day in force (inclusive), or null for life.
    #[serde(deserialize_with = "nullable")]
    #[schemars(with = "LastDay")]
    pub last_day: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionBody {
    #[schemars(length(min = 1, max = 160), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub decision_number: String,
    /// The provision the extension rests on, e.g. `UU 6/2011 Pasal 97 ayat (1)`.
    #[schemars(length(min = 1, max = 160), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub legal_basis: String,
    /// Not after today (WIB), not before the order's own decision.
    #[schemars(with = "OrderDate")]
    pub decision_date: String,
    /// After the current last day, within the kind's longest extension.
    #[schemars(with = "OrderDate")]
    pub new_last_day: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationBody {
    #[schemars(length(min = 1, max = 160), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub decision_number: String,
    /// Not after today (WIB), not before the order's own decision.
    #[schemars(with = "OrderDate")]
    pub decision_date: String,
    /// Why, in the decision's words.
    #[schemars(length(min = 1, max = 400), regex(pattern = PLAIN_TEXT_PATTERN))]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentView {
    pub number: String,
    pub issuing_state: String,
    /// passport, identity_card, visa or other.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectView {
    /// The primary full name first, then aliases.
    pub names: Vec<String>,
    pub sex: Option<String>,
    pub place_of_birth: Option<String>,
    /// YYYY-MM-DD with XX for an unknown part.
    pub date_of_birth: Option<String>,
    pub nationality: Option<String>,
    pub documents: Vec<DocumentView>,
    pub nik: Option<String>,
    pub photo_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReasonView {
    pub category: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RevocationView {
    pub decision_number: String,
    pub decision_date: String,
    pub reason: String,
}

/// A travel-ban order as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TravelBan {
    pub order_id: String,
    /// prevention, temporary_prevention or deterrence.
    pub kind: String,
    /// scheduled, in_force, ended or revoked, as of today in WIB.
    pub status: String,
    pub authority: String,
    pub legal_basis: String,
    pub decision_number: String,
    pub decision_date: String,
    pub subject: SubjectView,
    pub reason: ReasonView,
    /// The first day in force.
    pub start: String,
    /// The current last day in force (inclusive); null for life.
    pub last_day: Option<String>,
    /// How many times the order was extended.
    pub extensions: u32,
    pub revocation: Option<RevocationView>,
    /// Who recorded the order (`officer:LOGIN`, or `system:…` for the demo and tools).
    pub issued_by: String,
    /// When it was recorded, RFC 3339 UTC.
    pub issued_at: String,
}

/// One step of an order's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryStep {
    /// The ledger entry that records it: `site/sequence`.
    pub entry: String,
    /// issued, extended or revoked.
    pub action: String,
    /// Who recorded it.
    pub by: String,
    /// When it was recorded, RFC 3339 UTC.
    pub at: String,
    pub decision_number: String,
    pub decision_date: String,
    /// The legal basis (issued, extended).
    pub legal_basis: Option<String>,
    /// The last day before an extension.
    pub previous_last_day: Option<String>,
    /// The last day an issue or extension set; null for an order for life.
    pub new_last_day: Option<String>,
    /// A revocation's reason.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TravelBanDetail {
    #[serde(flatten)]
    pub order: TravelBan,
    /// The date the status is computed for: today in WIB.
    pub today: String,
    /// Oldest first.
    pub history: Vec<HistoryStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TravelBanPage {
    /// Orders matching, on every page.
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    /// The date statuses are computed for: today in WIB.
    pub today: String,
    /// Newest first.
    pub items: Vec<TravelBan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Authority {
    pub code: String,
    pub name: String,
    /// The provision under which it may request or order a travel ban.
    pub legal_basis: String,
}

fn view(o: &TravelBanRow, today: Date) -> TravelBan {
    let s = &o.subject;
    TravelBan {
        order_id: o.order_id.to_string(),
        kind: o.kind.as_str().to_owned(),
        status: o.status(today).as_str().to_owned(),
        authority: o.authority.clone(),
        legal_basis: o.legal_basis.clone(),
        decision_number: o.decision_number.clone(),
        decision_date: o.decision_date.to_string(),
        subject: SubjectView {
            names: s.names.clone(),
            sex: s.sex.map(|x| x.as_str().to_owned()),
            place_of_birth: s.place_of_birth.clone(),
            date_of_birth: s.date_of_birth.map(|d| d.to_string()),
            nationality: s.nationality.as_ref().map(ToString::to_string),
            documents: s
                .documents
                .iter()
                .map(|d| DocumentView {
                    number: d.number.clone(),
                    issuing_state: d.issuing_state.to_string(),
                    kind: d.kind.as_str().to_owned(),
                })
                .collect(),
            nik: s.nik.as_ref().map(ToString::to_string),
            photo_sha256: s.photo_sha256.clone(),
        },
        reason: ReasonView { category: o.reason.category.as_str().to_owned(), text: o.reason.text.clone() },
        start: o.start.to_string(),
        last_day: o.last_day.map(|d| d.to_string()),
        extensions: o.extensions,
        revocation: o.revoked.as_ref().map(|r| RevocationView {
            decision_number: r.decision_number.clone(),
            decision_date: r.decision_date.to_string(),
            reason: r.reason.clone(),
        }),
        issued_by: o.issued_by.clone(),
        issued_at: rfc3339(o.issued_ms),
    }
}

fn step_view(s: &TravelBanStep) -> HistoryStep {
    let mut h = HistoryStep {
        entry: format!("{}/{}", s.site, s.site_seq),
        action: String::new(),
        by: s.actor.clone(),
        at: rfc3339(s.at_ms),
        decision_number: String::new(),
        decision_date: String::new(),
        legal_basis: None,
        previous_last_day: None,
        new_last_day: None,
        reason: None,
    };
    match &s.event {
        Event::TravelBanIssued(o) => {
            h.action = "issued".into();
            h.decision_number = o.decision_number.clone();
            h.decision_date = o.decision_date.to_string();
            h.legal_basis = Some(o.legal_basis.clone());
            h.new_last_day = o.last_day.map(|d| d.to_string());
        }
        Event::TravelBanExtended(x) => {
            h.action = "extended".into();
            h.decision_number = x.decision_number.clone();
            h.decision_date = x.decision_date.to_string();
            h.legal_basis = Some(x.legal_basis.clone());
            h.previous_last_day = Some(x.previous_last_day.to_string());
            h.new_last_day = Some(x.new_last_day.to_string());
        }
        Event::TravelBanRevoked(r) => {
            h.action = "revoked".into();
            h.decision_number = r.decision_number.clone();
            h.decision_date = r.decision_date.to_string();
            h.reason = Some(r.reason.clone());
        }
        _ => {}
    }
    h
}

/// A refusal by a rule: 422 with the rule's code, its message and the field at fault.
pub fn refusal(r: &Refusal) -> ApiError {
    ApiError::refused(r.code(), r.to_string(), r.field())
}

fn text(s: &str, field: &str, max: usize) -> Result<String, ApiError> {
    if plain_text(s, max) {
        Ok(s.to_owned())
    } else {
        Err(ApiError::bad_input(
            field,
            format!("{field} is 1 to {max} characters, without control characters or spaces at either end"),
        ))
    }
}

fn value<T>(r: Result<T, gapura_domain::ValueError>, field: &str) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::bad_input(field, e.to_string()))
}

/// Reads the subject of a new order, naming the field at fault (`subject.names[2]`).
fn subject(s: SubjectInput) -> Result<Subject, ApiError> {
    if !(1..=travel_ban::SUBJECT_NAMES_MAX).contains(&s.names.len()) {
        return Err(ApiError::bad_input(
            "subject.names",
            format!("give 1 to {} names: the full name first, then aliases", travel_ban::SUBJECT_NAMES_MAX),
        ));
    }
    let mut names = Vec::with_capacity(s.names.len());
    for (i, n) in s.names.iter().enumerate() {
        names.push(value(travel_ban::person_name(n), &format!("subject.names[{i}]"))?);
    }
    if s.documents.len() > travel_ban::SUBJECT_DOCUMENTS_MAX {
        return Err(ApiError::bad_input(
            "subject.documents",
            format!("give at most {} documents", travel_ban::SUBJECT_DOCUMENTS_MAX),
        ));
    }
    let mut documents = Vec::with_capacity(s.documents.len());
    for (i, d) in s.documents.iter().enumerate() {
        let at = |f: &str| format!("subject.documents[{i}].{f}");
        documents.push(SubjectDocument {
            number: value(travel_ban::document_number(&d.number), &at("number"))?,
            issuing_state: value(CountryCode::parse(&d.issuing_state), &at("issuing_state"))?,
            kind: value(DocumentKind::parse(&d.kind), &at("kind"))?,
        });
    }
    let sex = match s.sex.as_deref() {
        None => None,
        Some(x) => Some(
            Sex::parse(x)
                .filter(|_| matches!(x, "M" | "F" | "X"))
                .ok_or_else(|| ApiError::bad_input("subject.sex", "sex is M, F or X (unspecified)"))?,
        ),
    };
    let date_of_birth = s.date_of_birth.as_deref().map(date_of_birth).transpose()?;
    Ok(Subject {
        names,
        sex,
        place_of_birth: s
            .place_of_birth
            .as_deref()
            .map(|p| text(p, "subject.place_of_birth", gapura_domain::NAME_CHARS_MAX))
            .transpose()?,
        date_of_birth,
        nationality: s
            .nationality
            .as_deref()
            .map(|c| value(CountryCode::parse(c), "subject.nationality"))
            .transpose()?,
        documents,
        nik: s.nik.as_deref().map(|n| value(Nik::parse(n), "subject.nik")).transpose()?,
        photo_sha256: s
            .photo_sha256
            .as_deref()
            .map(|h| value(travel_ban::photo_sha256(h), "subject.photo_sha256"))
            .transpose()?,
    })
}

/// Reads a date of birth exactly as [`DATE_OF_BIRTH_PATTERN`] states it.
fn date_of_birth(d: &str) -> Result<PartialDate, ApiError> {
    PartialDate::parse_exact(d).ok_or_else(|| {
        ApiError::bad_input(
            "subject.date_of_birth",
            format!("{d:?} must be YYYY-MM-DD in the years 1900 to 2099, with XX (or XXXX) for an unknown part and a known day only in a known month, e.g. 1971-03-XX"),
        )
    })
}

/// Today in WIB, by the server's clock.
pub fn today(st: &AppState) -> Date {
    today_wib(st.now())
}

fn order_id(order: &str) -> Result<OrderId, ApiError> {
    OrderId::parse(order).map_err(|_| {
        ApiError::not_found(format!(
            "there is no travel-ban order {order:?}; order ids look like TB-2026-7K3M9QPX"
        ))
    })
}

/// Searches the orders. Every order returned is recorded as read.
pub async fn search(st: &AppState, c: &Caller, q: TravelBanQuery) -> Result<TravelBanPage, ApiError> {
    let kind = q
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(|k| value(OrderKind::parse(k), "kind"))
        .transpose()?;
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| value(OrderStatus::parse(s), "status"))
        .transpose()?;
    let text = q.q.filter(|t| !t.trim().is_empty());
    if let Some(t) = &text {
        if t.chars().count() > SEARCH_CHARS_MAX || t.chars().any(char::is_control) {
            return Err(ApiError::bad_input(
                "q",
                format!("search text is at most {SEARCH_CHARS_MAX} characters, without control characters"),
            ));
        }
    }
    let page = q.page.unwrap_or(1);
    if !(1..=SEARCH_PAGE_MAX).contains(&page) {
        return Err(ApiError::bad_input("page", format!("page is 1 to {SEARCH_PAGE_MAX}")));
    }
    let limit = crate::api::limit(q.limit).map_err(|e| ApiError::bad_input("limit", e.body.message))?;
    let today = today(st);
    let f = TravelBanFilter { text, kind, status, today, limit, offset: (page - 1) * limit };
    let (rows, total) = st.db()?.personal(c, move |p| p.travel_bans(&f)).await?;
    Ok(TravelBanPage {
        total,
        page,
        limit,
        today: today.to_string(),
        items: rows.iter().map(|o| view(o, today)).collect(),
    })
}

/// One order with its history; recorded as read.
pub async fn detail(st: &AppState, c: &Caller, order: &str) -> Result<TravelBanDetail, ApiError> {
    let id = order_id(order)?.to_string();
    let found = st.db()?.personal(c, move |p| p.travel_ban(&id)).await?;
    let (o, steps) =
        found.ok_or_else(|| ApiError::not_found(format!("there is no travel-ban order {order:?}")))?;
    let today = today(st);
    Ok(TravelBanDetail {
        order: view(&o, today),
        today: today.to_string(),
        history: steps.iter().map(step_view).collect(),
    })
}

/// The registered authorities, by code.
pub async fn authority_list(st: &AppState) -> Result<Vec<Authority>, ApiError> {
    let rows = st.db()?.read(|r| r.authorities()).await?;
    Ok(rows
        .into_iter()
        .map(|a| Authority { code: a.code, name: a.name, legal_basis: a.legal_basis })
        .collect())
}

/// Issues an order: reads the body, looks up the authority, draws an id, asks the rules, and
/// records the order. Decisions on orders are made one at a time, so that two requests
/// cannot both pass a rule that only one of them may (an order extended twice).
pub async fn issue_order(st: &AppState, c: &Caller, b: NewTravelBan) -> Result<TravelBanDetail, ApiError> {
    let kind = value(OrderKind::parse(&b.kind), "kind")?;
    let authority = value(AuthorityCode::parse(&b.authority), "authority")?;
    let decision_number = text(&b.decision_number, "decision_number", DECISION_TEXT_CHARS_MAX)?;
    let decision_date = parse_date(&b.decision_date, "decision_date")?;
    let subject = subject(b.subject)?;
    let category = value(ReasonCategory::parse(&b.reason.category), "reason.category")?;
    let reason = Reason { category, text: text(&b.reason.text, "reason.text", REASON_CHARS_MAX)? };
    let start = parse_date(&b.start, "start")?;
    let last_day = b.last_day.as_deref().map(|d| parse_date(d, "last_day")).transpose()?;
    let legal_basis =
        b.legal_basis.as_deref().map(|l| text(l, "legal_basis", DECISION_TEXT_CHARS_MAX)).transpose()?;

    let db = st.db()?;
    let one_at_a_time = st.decisions.lock().await;
    let today = today(st);
    let code = authority.to_string();
    let registered = db.read(move |r| Ok(r.authorities()?.into_iter().find(|a| a.code == code))).await?;
    let legal_basis = match (legal_basis, &registered) {
        (Some(l), _) => l,
        (None, Some(a)) => a.legal_basis.clone(),
        // Refused by the rules below, which name the authority.
        (None, None) => "-".to_owned(),
    };
    let mut id = None;
    for _ in 0..ORDER_ID_DRAWS_MAX {
        let mut random = [0u8; 5];
        getrandom::fill(&mut random).map_err(|e| ApiError::internal(&e))?;
        let candidate = OrderId::from_random(today.year(), random);
        let probe = candidate.to_string();
        if db.read(move |r| r.order_state(&probe)).await?.is_none() {
            id = Some(candidate);
            break;
        }
    }
    let order_id = id.ok_or_else(|| ApiError::internal(&"no free travel-ban order id was drawn"))?;
    let cmd = IssueOrder {
        order_id: order_id.clone(),
        kind,
        authority,
        legal_basis,
        decision_number,
        decision_date,
        subject,
        reason,
        start,
        last_day,
    };
    let issued = travel_ban::issue(cmd, today, registered.is_some()).map_err(|r| refusal(&r))?;
    db.append(c.actor(), vec![Event::TravelBanIssued(issued)]).await?;
    drop(one_at_a_time);
    detail(st, c, order_id.as_str()).await
}

/// Extends an order, if the rules allow it today.
pub async fn extend_order(
    st: &AppState,
    c: &Caller,
    order: &str,
    b: ExtensionBody,
) -> Result<TravelBanDetail, ApiError> {
    let id = order_id(order)?;
    let cmd = ExtendOrder {
        decision_number: text(&b.decision_number, "decision_number", DECISION_TEXT_CHARS_MAX)?,
        legal_basis: text(&b.legal_basis, "legal_basis", DECISION_TEXT_CHARS_MAX)?,
        decision_date: parse_date(&b.decision_date, "decision_date")?,
        new_last_day: parse_date(&b.new_last_day, "new_last_day")?,
    };
    decide_on_order(st, c, id, |state, today| {
        travel_ban::extend(state, cmd, today).map(Event::TravelBanExtended)
    })
    .await
}

/// Revokes an order, if the rules allow it today.
pub async fn revoke_order(
    st: &AppState,
    c: &Caller,
    order: &str,
    b: RevocationBody,
) -> Result<TravelBanDetail, ApiError> {
    let id = order_id(order)?;
    let cmd = RevokeOrder {
        decision_number: text(&b.decision_number, "decision_number", DECISION_TEXT_CHARS_MAX)?,
        decision_date: parse_date(&b.decision_date, "decision_date")?,
        reason: text(&b.reason, "reason", REASON_CHARS_MAX)?,
    };
    decide_on_order(st, c, id, |state, today| {
        travel_ban::revoke(state, cmd, today).map(Event::TravelBanRevoked)
    })
    .await
}

/// One decision on an existing order: under the decision lock, read its state, let the rules
/// decide for today, record the event, and answer with the order as it now stands.
async fn decide_on_order(
    st: &AppState,
    c: &Caller,
    id: OrderId,
    decide: impl FnOnce(&OrderState, Date) -> Result<Event, Refusal>,
) -> Result<TravelBanDetail, ApiError> {
    let db = st.db()?;
    let one_at_a_time = st.decisions.lock().await;
    let probe = id.to_string();
    let state = db
        .read(move |r| r.order_state(&probe))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no travel-ban order {:?}", id.as_str())))?;
    let event = decide(&state, today(st)).map_err(|r| refusal(&r))?;
    db.append(c.actor(), vec![event]).await?;
    drop(one_at_a_time);
    detail(st, c, id.as_str()).await
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    QueryParams(q): QueryParams<TravelBanQuery>,
) -> Result<Json<TravelBanPage>, ApiError> {
    Ok(Json(search(&st, &c, q).await?))
}

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    InputBody(b): InputBody<NewTravelBan>,
) -> Result<(StatusCode, Json<TravelBanDetail>), ApiError> {
    Ok((StatusCode::CREATED, Json(issue_order(&st, &c, b).await?)))
}

pub async fn one(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(order): Path<String>,
) -> Result<Json<TravelBanDetail>, ApiError> {
    Ok(Json(detail(&st, &c, &order).await?))
}

pub async fn extension(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(order): Path<String>,
    InputBody(b): InputBody<ExtensionBody>,
) -> Result<Json<TravelBanDetail>, ApiError> {
    Ok(Json(extend_order(&st, &c, &order, b).await?))
}

pub async fn revocation(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(order): Path<String>,
    InputBody(b): InputBody<RevocationBody>,
) -> Result<Json<TravelBanDetail>, ApiError> {
    Ok(Json(revoke_order(&st, &c, &order, b).await?))
}

pub async fn authorities(State(st): State<AppState>) -> Result<Json<Vec<Authority>>, ApiError> {
    Ok(Json(authority_list(&st).await?))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use regex_automata::meta::Regex;

    use super::*;

    /// The schema's pattern for dates of birth accepts exactly what the server does.
    #[test]
    fn the_date_of_birth_pattern_and_the_check_agree() {
        let re = Regex::new(DATE_OF_BIRTH_PATTERN).unwrap();
        let mut accepted = 0;
        for y in
            ["1899", "1900", "1904", "1971", "2000", "2024", "2099", "2100", "XXXX", "xxxx", "0000", "197"]
        {
            for m in ["00", "01", "02", "04", "09", "11", "12", "13", "XX", "xx", "1"] {
                for d in ["00", "01", "28", "29", "30", "31", "32", "XX", "??", "5"] {
                    let s = format!("{y}-{m}-{d}");
                    let ours = date_of_birth(&s).is_ok();
                    assert_eq!(re.is_match(&s), ours, "{s}");
                    accepted += usize::from(ours);
                }
            }
        }
        assert!(accepted > 100, "{accepted}");
        for s in ["1971", "1971-03", "1971-03-XX ", " 1971-03-XX"] {
            assert!(!re.is_match(s) && date_of_birth(s).is_err(), "{s}");
        }
    }

    /// The schema's pattern for an order's dates accepts exactly what the server does.
    #[test]
    fn the_order_date_pattern_and_the_check_agree() {
        let re = Regex::new(ORDER_DATE_PATTERN).unwrap();
        let years = [
            "1899", "1900", "1904", "1999", "2000", "2024", "2100", "2400", "2800", "2900", "2999", "3000",
            "0000",
        ];
        let months = ["00", "01", "02", "04", "06", "09", "11", "12", "13", "1"];
        let days = ["00", "01", "09", "10", "19", "28", "29", "30", "31", "32", "3"];
        let mut accepted = 0;
        for y in years {
            for m in months {
                for d in days {
                    let s = format!("{y}-{m}-{d}");
                    let ours = crate::time::parse_date(&s, "date").is_ok();
                    assert_eq!(re.is_match(&s), ours, "{s}");
                    accepted += usize::from(ours);
                }
            }
        }
        assert!(accepted > 300, "{accepted}");
    }

    fn name_char() -> impl Strategy<Value = char> {
        prop_oneof![
            proptest::char::range('\u{0}', '\u{7f}'),
            proptest::sample::select(vec![
                'é', 'Ş', '中', 'ß', '\u{a0}', '\u{85}', '\u{9f}', '€', '\u{2009}', '\u{3000}', '\u{2028}'
            ]),
        ]
    }

    proptest! {
        /// The schema's pattern for names accepts exactly what the domain does.
        #[test]
        fn the_name_pattern_and_the_domain_agree(s in proptest::collection::vec(name_char(), 0..124)) {
            let s: String = s.into_iter().collect();
            let re = Regex::new(PERSON_NAME_PATTERN).unwrap();
            prop_assert_eq!(re.is_match(&s), travel_ban::person_name(&s).is_ok(), "{:?}", s);
        }
    }

    #[test]
    fn the_name_pattern_and_the_domain_agree_on_examples() {
        let re = Regex::new(PERSON_NAME_PATTERN).unwrap();
        for s in [
            "A",
            "Moch.  Rizki",
            "Ni Luh Putu Ayu, S.H.",
            "O'Neil",
            "中村",
            "é",
            "\u{a0}x",
            " A",
            "A ",
            ".A",
            "A1",
            "A_B",
            "",
            "A\u{85}",
        ] {
            assert_eq!(re.is_match(s), travel_ban::person_name(s).is_ok(), "{s:?}");
        }
    }
}
