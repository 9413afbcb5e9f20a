//! The console's travel-ban pages: the list with search and filters, the form for a new
//! order, and an order with its history and the forms to extend or revoke it. They call the
//! same operations as the API (`travel_bans.rs`), so a rule is checked once for both; a
//! refused form is shown again, with what was typed and the rule's message.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use gapura_domain::travel_ban;
use gapura_domain::{DocumentKind, OrderKind, OrderStatus, Permission, ReasonCategory};
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::Caller;
use crate::console::{
    csrf_field, error_page_for, lang_of, page, render, urlencode, FormBody, CONSOLE_PAGE_ROWS,
};
use crate::error::ApiError;
use crate::i18n::{Lang, M};
use crate::routes::see_other;
use crate::state::AppState;
use crate::travel_bans::{
    self, Authority, DocumentInput, ExtensionBody, NewTravelBan, ReasonInput, RevocationBody, SubjectInput,
    TravelBanDetail, TravelBanQuery,
};

fn kind_name(l: Lang, kind: &str) -> &'static str {
    match OrderKind::parse(kind) {
        Ok(OrderKind::Prevention) => M::KindPrevention.t(l),
        Ok(OrderKind::TemporaryPrevention) => M::KindTemporaryPrevention.t(l),
        Ok(OrderKind::Deterrence) => M::KindDeterrence.t(l),
        Err(_) => "—",
    }
}

fn status_name(l: Lang, status: &str) -> &'static str {
    match OrderStatus::parse(status) {
        Ok(OrderStatus::Scheduled) => M::StatusScheduled.t(l),
        Ok(OrderStatus::InForce) => M::StatusInForce.t(l),
        Ok(OrderStatus::Ended) => M::StatusEnded.t(l),
        Ok(OrderStatus::Revoked) => M::Revoked.t(l),
        Err(_) => "—",
    }
}

fn category_name(l: Lang, category: &str) -> &'static str {
    match ReasonCategory::parse(category) {
        Ok(ReasonCategory::Tax) => M::CatTax.t(l),
        Ok(ReasonCategory::StateReceivables) => M::CatStateReceivables.t(l),
        Ok(ReasonCategory::Criminal) => M::CatCriminal.t(l),
        Ok(ReasonCategory::Corruption) => M::CatCorruption.t(l),
        Ok(ReasonCategory::Narcotics) => M::CatNarcotics.t(l),
        Ok(ReasonCategory::Terrorism) => M::CatTerrorism.t(l),
        Ok(ReasonCategory::ImmigrationOffence) => M::CatImmigrationOffence.t(l),
        Ok(ReasonCategory::PublicOrder) => M::CatPublicOrder.t(l),
        Ok(ReasonCategory::Other) => M::Other.t(l),
        Err(_) => "—",
    }
}

fn document_kind_name(l: Lang, kind: &str) -> &'static str {
    match DocumentKind::parse(kind) {
        Ok(DocumentKind::Passport) => M::DocPassport.t(l),
        Ok(DocumentKind::IdentityCard) => M::DocIdentityCard.t(l),
        Ok(DocumentKind::Visa) => M::DocVisa.t(l),
        Ok(DocumentKind::Other) => M::Other.t(l),
        Err(_) => "—",
    }
}

fn sex_name(l: Lang, sex: &str) -> &'static str {
    match sex {
        "M" => M::SexM.t(l),
        "F" => M::SexF.t(l),
        "X" => M::SexX.t(l),
        _ => "—",
    }
}

fn period(l: Lang, start: &str, last_day: Option<&str>) -> String {
    match last_day {
        Some(d) => format!("{start} – {d}"),
        None => format!("{start} – {}", M::ForLife.t(l)),
    }
}

/// A refused or unreadable form: the rule's (or the field's) message, and the field at fault.
pub(crate) fn problem(l: Lang, e: &ApiError) -> Markup {
    html! {
        div.problem role="alert" data-code=(e.body.code) {
            p { strong { @if e.status == StatusCode::UNPROCESSABLE_ENTITY { (M::RuleRefused.t(l)) } @else { (M::BadInput.t(l)) } } }
            p.detail lang="en" { (e.body.message) }
            @if let Some(f) = &e.body.field { p { (M::Field.t(l)) ": " code { (f) } } }
        }
    }
}

pub async fn list(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let l = lang_of(&headers);
    let here = uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let mut q: TravelBanQuery = match crate::error::parse_query(uri.query()) {
        Ok(q) => q,
        Err(e) => return error_page_for(l, Some(&c), &here, &e),
    };
    q.limit = Some(CONSOLE_PAGE_ROWS);
    let form = q.clone();
    let found = match travel_bans::search(&st, &c, q).await {
        Ok(f) => f,
        Err(e) => return error_page_for(l, Some(&c), &here, &e),
    };
    let text = form.q.clone().unwrap_or_default();
    let kind = form.kind.clone().unwrap_or_default();
    let status = form.status.clone().unwrap_or_default();
    let link = |n: i64| {
        format!(
            "/console/travel-bans?q={}&kind={}&status={}&page={n}",
            urlencode(&text),
            urlencode(&kind),
            urlencode(&status)
        )
    };
    let p = page(l, Some(&c), M::TravelBans.t(l), &here);
    render(
        &p,
        StatusCode::OK,
        html! {
            details id="rules" { summary { (M::Details.t(l)) } p { (M::TravelBansHint.t(l)) } }
            @if c.has(Permission::TravelBansManage) {
                p { a href="/console/travel-bans/new" id="new-order" { (M::NewOrder.t(l)) } }
            }
            form.filters method="get" action="/console/travel-bans" role="search" {
                label for="q" { (M::Search.t(l)) }
                input id="q" name="q" type="search" value=(text) placeholder=(M::TravelBanSearchHint.t(l)) maxlength="120" autofocus;
                label for="kind" { (M::Kind.t(l)) }
                select id="kind" name="kind" {
                    option value="" { (M::AllKinds.t(l)) }
                    @for k in OrderKind::ALL { option value=(k.as_str()) selected[kind == k.as_str()] { (kind_name(l, k.as_str())) } }
                }
                label for="status" { (M::Status.t(l)) }
                select id="status" name="status" {
                    option value="" { (M::AllStatuses.t(l)) }
                    @for s in OrderStatus::ALL { option value=(s.as_str()) selected[status == s.as_str()] { (status_name(l, s.as_str())) } }
                }
                button type="submit" id="search" { (M::Filter.t(l)) }
            }
            p.count { (found.total) " " (M::Found.t(l)) " · " (M::TodayWib.t(l)) ": " (found.today) }
            @if found.items.is_empty() { p { (M::NothingFound.t(l)) } } @else {
                table id="travel-bans" {
                    thead { tr {
                        th { (M::OrderId.t(l)) } th { (M::Person.t(l)) } th { (M::Kind.t(l)) } th { (M::Status.t(l)) }
                        th { (M::Period.t(l)) } th { (M::Authority.t(l)) } th { (M::DecisionNumber.t(l)) }
                    } }
                    tbody { @for o in &found.items { tr {
                        td { a href={"/console/travel-bans/" (o.order_id)} { code { (o.order_id) } } }
                        td {
                            (o.subject.names.first().map(String::as_str).unwrap_or(""))
                            @if o.subject.names.len() > 1 { br; small { (o.subject.names[1..].join("; ")) } }
                        }
                        td { (kind_name(l, &o.kind)) }
                        td data-status=(o.status) { (status_name(l, &o.status)) }
                        td { (period(l, &o.start, o.last_day.as_deref())) }
                        td { (o.authority) }
                        td { (o.decision_number) }
                    } } }
                }
            }
            nav.pages aria-label="pages" {
                @if found.page > 1 { a href=(link(found.page - 1)) rel="prev" { (M::Previous.t(l)) } }
                @if found.page * found.limit < found.total { a href=(link(found.page + 1)) rel="next" { (M::Next.t(l)) } }
            }
        },
    )
}

/// What the new-order form holds, as typed: one document at most (the API takes up to 8).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrderForm {
    kind: String,
    authority: String,
    legal_basis: String,
    decision_number: String,
    decision_date: String,
    /// One name per line, the full name first.
    names: String,
    sex: String,
    place_of_birth: String,
    date_of_birth: String,
    nationality: String,
    nik: String,
    document_number: String,
    document_state: String,
    document_kind: String,
    reason_category: String,
    reason_text: String,
    start: String,
    last_day: String,
}

/// A form field as typed: trimmed, or `None` when blank.
pub(crate) fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl OrderForm {
    fn body(&self) -> NewTravelBan {
        let documents = match opt(&self.document_number) {
            None => Vec::new(),
            Some(number) => vec![DocumentInput {
                number,
                issuing_state: self.document_state.trim().to_ascii_uppercase(),
                kind: opt(&self.document_kind).unwrap_or_else(|| "passport".into()),
            }],
        };
        NewTravelBan {
            kind: self.kind.clone(),
            authority: self.authority.clone(),
            legal_basis: opt(&self.legal_basis),
            decision_number: self.decision_number.trim().to_owned(),
            decision_date: self.decision_date.trim().to_owned(),
            subject: SubjectInput {
                names: self.names.lines().filter_map(opt).collect(),
                sex: opt(&self.sex),
                place_of_birth: opt(&self.place_of_birth),
                date_of_birth: opt(&self.date_of_birth),
                nationality: opt(&self.nationality).map(|n| n.to_ascii_uppercase()),
                documents,
                nik: opt(&self.nik),
                photo_sha256: None,
            },
            reason: ReasonInput {
                category: self.reason_category.clone(),
                text: self.reason_text.trim().to_owned(),
            },
            start: self.start.trim().to_owned(),
            last_day: opt(&self.last_day),
        }
    }
}

fn order_form(
    st: &AppState,
    c: &Caller,
    l: Lang,
    authorities: &[Authority],
    f: &OrderForm,
    error: Option<&ApiError>,
) -> Response {
    let p = page(l, Some(c), M::NewOrder.t(l), "/console/travel-bans/new");
    let today = travel_bans::today(st).to_string();
    let or_today = |v: &str| if v.is_empty() { today.clone() } else { v.to_owned() };
    let status = error.map_or(StatusCode::OK, |e| e.status);
    render(
        &p,
        status,
        html! {
            @if let Some(e) = error { (problem(l, e)) }
            details { summary { (M::Details.t(l)) } p { (M::TravelBansHint.t(l)) } }
            form method="post" action="/console/travel-bans" id="order-form" {
                (csrf_field(c))
                fieldset {
                    legend { (M::Decision.t(l)) }
                    label for="kind" { (M::Kind.t(l)) }
                    select id="kind" name="kind" required {
                        @for k in OrderKind::ALL { option value=(k.as_str()) selected[f.kind == k.as_str()] { (kind_name(l, k.as_str())) } }
                    }
                    label for="authority" { (M::Authority.t(l)) }
                    select id="authority" name="authority" required {
                        @for a in authorities { option value=(a.code) selected[f.authority == a.code] { (a.code) " — " (a.name) } }
                    }
                    label for="legal_basis" { (M::LegalBasisDefault.t(l)) }
                    input id="legal_basis" name="legal_basis" value=(f.legal_basis) maxlength="160";
                    label for="decision_number" { (M::DecisionNumber.t(l)) }
                    input id="decision_number" name="decision_number" value=(f.decision_number) required maxlength="160";
                    label for="decision_date" { (M::DecisionDate.t(l)) }
                    input id="decision_date" name="decision_date" type="date" value=(or_today(&f.decision_date)) required;
                    label for="reason_category" { (M::ReasonCategory.t(l)) }
                    select id="reason_category" name="reason_category" required {
                        @for r in ReasonCategory::ALL { option value=(r.as_str()) selected[f.reason_category == r.as_str()] { (category_name(l, r.as_str())) } }
                    }
                    label for="reason_text" { (M::ReasonText.t(l)) }
                    textarea id="reason_text" name="reason_text" rows="3" required maxlength="400" { (f.reason_text) }
                }
                fieldset {
                    legend { (M::Person.t(l)) }
                    label for="names" { (M::Names.t(l)) }
                    textarea id="names" name="names" rows="3" required { (f.names) }
                    label for="sex" { (M::Sex.t(l)) }
                    select id="sex" name="sex" {
                        option value="" { "—" }
                        @for s in ["M", "F", "X"] { option value=(s) selected[f.sex == s] { (sex_name(l, s)) } }
                    }
                    label for="place_of_birth" { (M::PlaceOfBirth.t(l)) }
                    input id="place_of_birth" name="place_of_birth" value=(f.place_of_birth) maxlength="160";
                    label for="date_of_birth" { (M::DateOfBirth.t(l)) }
                    input id="date_of_birth" name="date_of_birth" value=(f.date_of_birth) placeholder="1971-03-XX" maxlength="10";
                    label for="nationality" { (M::Nationality.t(l)) }
                    input id="nationality" name="nationality" value=(f.nationality) placeholder="IDN" maxlength="3";
                    label for="nik" { (M::Nik.t(l)) }
                    input id="nik" name="nik" value=(f.nik) inputmode="numeric" maxlength="16";
                    label for="document_number" { (M::DocumentNumber.t(l)) }
                    input id="document_number" name="document_number" value=(f.document_number) maxlength="20";
                    label for="document_state" { (M::IssuingState.t(l)) }
                    input id="document_state" name="document_state" value=(f.document_state) placeholder="IDN" maxlength="3";
                    label for="document_kind" { (M::Document.t(l)) }
                    select id="document_kind" name="document_kind" {
                        @for k in DocumentKind::ALL { option value=(k.as_str()) selected[f.document_kind == k.as_str()] { (document_kind_name(l, k.as_str())) } }
                    }
                }
                fieldset {
                    legend { (M::Period.t(l)) }
                    label for="start" { (M::Start.t(l)) }
                    input id="start" name="start" type="date" value=(or_today(&f.start)) required;
                    label for="last_day" { (M::LastDayOrLife.t(l)) }
                    input id="last_day" name="last_day" type="date" value=(f.last_day);
                }
                button type="submit" id="issue" { (M::Issue.t(l)) }
            }
        },
    )
}

async fn authorities_or_page(st: &AppState, c: &Caller, l: Lang) -> Result<Vec<Authority>, Response> {
    travel_bans::authority_list(st).await.map_err(|e| error_page_for(l, Some(c), "/console/travel-bans", &e))
}

pub async fn new_form(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let l = lang_of(&headers);
    match authorities_or_page(&st, &c, l).await {
        Ok(a) => order_form(&st, &c, l, &a, &OrderForm::default(), None),
        Err(r) => r,
    }
}

pub async fn create(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    FormBody(f): FormBody<OrderForm>,
) -> Response {
    let l = lang_of(&headers);
    match travel_bans::issue_order(&st, &c, f.body()).await {
        Ok(d) => see_other(&format!("/console/travel-bans/{}", d.order.order_id)),
        Err(e) if e.status.is_client_error() => match authorities_or_page(&st, &c, l).await {
            Ok(a) => order_form(&st, &c, l, &a, &f, Some(&e)),
            Err(r) => r,
        },
        Err(e) => error_page_for(l, Some(&c), "/console/travel-bans/new", &e),
    }
}

/// What the extension and revocation forms hold, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    decision_number: String,
    legal_basis: String,
    decision_date: String,
    new_last_day: String,
    reason: String,
}

/// Which form of the order page a refusal belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Extend,
    Revoke,
}

fn detail_page(
    c: &Caller,
    l: Lang,
    d: &TravelBanDetail,
    failed: Option<(Which, &ApiError, &DecisionForm)>,
) -> Response {
    let o = &d.order;
    let here = format!("/console/travel-bans/{}", o.order_id);
    let title = format!("{} · {}", o.order_id, o.subject.names.first().map(String::as_str).unwrap_or(""));
    let p = page(l, Some(c), &title, &here);
    let open = matches!(o.status.as_str(), "scheduled" | "in_force");
    // Offered only where the rules may allow it; they decide, the page only spares a form.
    let extendable = open
        && o.last_day.is_some()
        && match OrderKind::parse(&o.kind) {
            Ok(OrderKind::Prevention) => o.extensions < travel_ban::PREVENTION_EXTENSIONS_MAX,
            Ok(OrderKind::Deterrence) => true,
            _ => false,
        };
    let manage = c.has(Permission::TravelBansManage);
    let empty = DecisionForm::default();
    let typed = |w: Which| match failed {
        Some((which, _, f)) if which == w => f,
        _ => &empty,
    };
    let error_for = |w: Which| match failed {
        Some((which, e, _)) if which == w => Some(e),
        _ => None,
    };
    let status = failed.map_or(StatusCode::OK, |(_, e, _)| e.status);
    let shows = |w: Which| manage && open && (w == Which::Revoke || extendable);
    // A refusal whose form is no longer offered (the order was revoked meanwhile) is shown
    // at the top.
    let orphan = failed.filter(|(w, ..)| !shows(*w)).map(|(_, e, _)| e);
    let s = &o.subject;
    render(
        &p,
        status,
        html! {
            @if let Some(e) = orphan { (problem(l, e)) }
            dl id="order" {
                dt { (M::OrderId.t(l)) } dd { code { (o.order_id) } }
                dt { (M::Kind.t(l)) } dd { (kind_name(l, &o.kind)) }
                dt { (M::Status.t(l)) } dd #status data-status=(o.status) { (status_name(l, &o.status)) ", " (M::AsOf.t(l)) " " (d.today) }
                dt { (M::Period.t(l)) } dd { (period(l, &o.start, o.last_day.as_deref())) }
                dt { (M::Extensions.t(l)) } dd { (o.extensions) }
                dt { (M::Authority.t(l)) } dd { (o.authority) }
                dt { (M::LegalBasis.t(l)) } dd { (o.legal_basis) }
                dt { (M::DecisionNumber.t(l)) } dd { (o.decision_number) " · " (o.decision_date) }
                dt { (M::ReasonCategory.t(l)) } dd { (category_name(l, &o.reason.category)) }
                dt { (M::ReasonText.t(l)) } dd { (o.reason.text) }
            }
            h2 { (M::Person.t(l)) }
            dl id="subject" {
                dt { (M::Name.t(l)) } dd { strong { (s.names.first().map(String::as_str).unwrap_or("")) } }
                @if s.names.len() > 1 { dt { (M::Aliases.t(l)) } dd { (s.names[1..].join("; ")) } }
                @if let Some(x) = &s.sex { dt { (M::Sex.t(l)) } dd { (sex_name(l, x)) } }
                @if let Some(x) = &s.place_of_birth { dt { (M::PlaceOfBirth.t(l)) } dd { (x) } }
                @if let Some(x) = &s.date_of_birth { dt { (M::BirthDate.t(l)) } dd { (x) } }
                @if let Some(x) = &s.nationality { dt { (M::Citizenship.t(l)) } dd { (x) } }
                @if let Some(x) = &s.nik { dt { (M::Nik.t(l)) } dd { code { (x) } } }
                @for doc in &s.documents {
                    dt { (M::Document.t(l)) } dd { (document_kind_name(l, &doc.kind)) " " code { (doc.number) } " (" (doc.issuing_state) ")" }
                }
            }
            h2 { (M::History.t(l)) }
            table id="history" {
                thead { tr { th { (M::Time.t(l)) } th { (M::Decision.t(l)) } th { (M::RecordedBy.t(l)) } th { (M::DecisionNumber.t(l)) } th { (M::Details.t(l)) } } }
                tbody { @for h in &d.history { tr data-action=(h.action) {
                    td { (h.at) }
                    td { @match h.action.as_str() { "issued" => (M::ActionIssued.t(l)), "extended" => (M::ActionExtended.t(l)), _ => (M::Revoked.t(l)) } }
                    td { code { (h.by) } }
                    td { (h.decision_number) " · " (h.decision_date) }
                    td {
                        @if let Some(b) = &h.legal_basis { (b) br; }
                        @match (&h.previous_last_day, &h.new_last_day) {
                            (Some(prev), Some(new)) => { (M::LastDay.t(l)) ": " (prev) " → " (new) }
                            (None, Some(new)) => { (M::LastDay.t(l)) ": " (new) }
                            (None, None) if h.action == "issued" => { (M::ForLife.t(l)) }
                            _ => {}
                        }
                        @if let Some(r) = &h.reason { (r) }
                    }
                } } }
            }
            @if shows(Which::Revoke) {
                @if shows(Which::Extend) {
                    h2 { (M::ExtendOrder.t(l)) }
                    @if let Some(e) = error_for(Which::Extend) { (problem(l, e)) }
                    @let f = typed(Which::Extend);
                    form method="post" action={"/console/travel-bans/" (o.order_id) "/extensions"} id="extend-form" {
                        (csrf_field(c))
                        label for="x_decision_number" { (M::DecisionNumber.t(l)) }
                        input id="x_decision_number" name="decision_number" value=(f.decision_number) required maxlength="160";
                        label for="x_legal_basis" { (M::LegalBasis.t(l)) }
                        input id="x_legal_basis" name="legal_basis" value=(if f.legal_basis.is_empty() { "UU 6/2011 Pasal 97 ayat (1)" } else { f.legal_basis.as_str() }) required maxlength="160";
                        label for="x_decision_date" { (M::DecisionDate.t(l)) }
                        input id="x_decision_date" name="decision_date" type="date" value=(if f.decision_date.is_empty() { d.today.as_str() } else { f.decision_date.as_str() }) required;
                        label for="x_new_last_day" { (M::NewLastDay.t(l)) }
                        input id="x_new_last_day" name="new_last_day" type="date" value=(f.new_last_day) required;
                        button type="submit" id="extend" { (M::ExtendOrder.t(l)) }
                    }
                }
                h2 { (M::RevokeOrder.t(l)) }
                @if let Some(e) = error_for(Which::Revoke) { (problem(l, e)) }
                @let f = typed(Which::Revoke);
                form method="post" action={"/console/travel-bans/" (o.order_id) "/revocation"} id="revoke-form" {
                    (csrf_field(c))
                    label for="r_decision_number" { (M::DecisionNumber.t(l)) }
                    input id="r_decision_number" name="decision_number" value=(f.decision_number) required maxlength="160";
                    label for="r_decision_date" { (M::DecisionDate.t(l)) }
                    input id="r_decision_date" name="decision_date" type="date" value=(if f.decision_date.is_empty() { d.today.as_str() } else { f.decision_date.as_str() }) required;
                    label for="r_reason" { (M::RevocationReason.t(l)) }
                    input id="r_reason" name="reason" value=(f.reason) required maxlength="400";
                    button type="submit" id="revoke" { (M::RevokeOrder.t(l)) }
                }
            }
            p { a href="/console/travel-bans" { (M::TravelBans.t(l)) } }
        },
    )
}

pub async fn detail(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(order): Path<String>,
) -> Response {
    let l = lang_of(&headers);
    match travel_bans::detail(&st, &c, &order).await {
        Ok(d) => detail_page(&c, l, &d, None),
        Err(e) => error_page_for(l, Some(&c), &format!("/console/travel-bans/{}", urlencode(&order)), &e),
    }
}

/// After a refused extension or revocation, the order page again with the refusal at its form.
async fn refused(
    st: &AppState,
    c: &Caller,
    l: Lang,
    order: &str,
    which: Which,
    e: ApiError,
    f: &DecisionForm,
) -> Response {
    let here = format!("/console/travel-bans/{}", urlencode(order));
    if !e.status.is_client_error() || e.status == StatusCode::NOT_FOUND {
        return error_page_for(l, Some(c), &here, &e);
    }
    match travel_bans::detail(st, c, order).await {
        Ok(d) => detail_page(c, l, &d, Some((which, &e, f))),
        Err(e2) => error_page_for(l, Some(c), &here, &e2),
    }
}

pub async fn extend(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(order): Path<String>,
    FormBody(f): FormBody<DecisionForm>,
) -> Response {
    let l = lang_of(&headers);
    let body = ExtensionBody {
        decision_number: f.decision_number.trim().to_owned(),
        legal_basis: f.legal_basis.trim().to_owned(),
        decision_date: f.decision_date.trim().to_owned(),
        new_last_day: f.new_last_day.trim().to_owned(),
    };
    match travel_bans::extend_order(&st, &c, &order, body).await {
        Ok(d) => see_other(&format!("/console/travel-bans/{}", d.order.order_id)),
        Err(e) => refused(&st, &c, l, &order, Which::Extend, e, &f).await,
    }
}

pub async fn revoke(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(order): Path<String>,
    FormBody(f): FormBody<DecisionForm>,
) -> Response {
    let l = lang_of(&headers);
    let body = RevocationBody {
        decision_number: f.decision_number.trim().to_owned(),
        decision_date: f.decision_date.trim().to_owned(),
        reason: f.reason.trim().to_owned(),
    };
    match travel_bans::revoke_order(&st, &c, &order, body).await {
        Ok(d) => see_other(&format!("/console/travel-bans/{}", d.order.order_id)),
        Err(e) => refused(&st, &c, l, &order, Which::Revoke, e, &f).await,
    }
}
