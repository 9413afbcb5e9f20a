//! The console's screening page: one form for the traveller and the document, and below it
//! the answer — the effect for this crossing in large type, then every hit with its score, the
//! rule it brings into play and, field by field, what matched and how. It calls the same
//! operation as `POST /api/v1/screenings`, so the answer and its audit record are the same.
//! The console is forgiving where the API is exact: codes are capitalised and blank fields
//! left out before the request is read.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use gapura_domain::Permission;
use gapura_screening::{Direction, Effect, Hit, RequestDocument, ScreeningRequest};
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::Caller;
use crate::console::{csrf_field, lang_of, page, render, FormBody};
use crate::error::ApiError;
use crate::i18n::{Lang, M};
use crate::screening::{screen_request, ScreeningAnswer};
use crate::state::AppState;
use crate::travel_ban_pages::{opt, problem};

/// The screening form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScreenForm {
    surname: String,
    given_names: String,
    date_of_birth: String,
    sex: String,
    nationality: String,
    document_number: String,
    issuing_state: String,
    document_type: String,
    direction: String,
    date: String,
}

impl ScreenForm {
    fn request(&self) -> Result<ScreeningRequest, ApiError> {
        let direction = match self.direction.as_str() {
            "exit" => Direction::Exit,
            "entry" | "" => Direction::Entry,
            other => {
                return Err(ApiError::bad_input("direction", format!("{other:?} is neither entry nor exit")))
            }
        };
        let document = match (opt(&self.document_number), opt(&self.issuing_state)) {
            (Some(number), Some(state)) => Some(RequestDocument {
                number,
                issuing_state: state.to_ascii_uppercase(),
                document_type: opt(&self.document_type),
            }),
            (Some(_), None) => {
                return Err(ApiError::bad_input(
                    "document.issuing_state",
                    "give the issuing state of the document (IDN, MYS, D<<…)",
                ))
            }
            (None, _) => None,
        };
        Ok(ScreeningRequest {
            surname: self.surname.trim().to_owned(),
            given_names: self.given_names.trim().to_owned(),
            date_of_birth: opt(&self.date_of_birth).map(|d| d.to_ascii_uppercase()),
            sex: opt(&self.sex).map(|s| s.to_ascii_uppercase()),
            nationality: opt(&self.nationality).map(|n| n.to_ascii_uppercase()),
            document,
            direction,
            date: opt(&self.date),
        })
    }
}

pub async fn form(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let l = lang_of(&headers);
    screening_page(&st, &c, l, &ScreenForm::default(), None)
}

pub async fn screen(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    FormBody(f): FormBody<ScreenForm>,
) -> Response {
    let l = lang_of(&headers);
    let answer = match f.request() {
        Ok(req) => screen_request(&st, &c, req).await,
        Err(e) => Err(e),
    };
    screening_page(&st, &c, l, &f, Some(answer))
}

fn effect_banner(l: Lang, a: &ScreeningAnswer) -> Markup {
    let (class, text) = match a.screening.effect {
        Effect::Stop => ("effect stop", M::EffectStop.t(l)),
        Effect::Refer => ("effect refer", M::EffectRefer.t(l)),
        Effect::None if a.screening.hits.is_empty() => ("effect clear", M::EffectClear.t(l)),
        Effect::None => ("effect clear", M::EffectNone.t(l)),
    };
    html! {
        div class=(class) id="effect" role="status" data-effect=(match a.screening.effect { Effect::Stop => "stop", Effect::Refer => "refer", Effect::None => "none" }) {
            strong { (text) }
            span.count { " · " (a.screening.hits.len()) " " (M::Hits.t(l)) " · " (a.date) " · " (M::WatchlistPosition.t(l)) " " (a.watchlist_position) }
        }
    }
}

fn list_name(l: Lang, list: &str) -> &'static str {
    match list {
        "travel_ban_order" => M::ListTravelBan.t(l),
        "interpol_notice" => M::ListNotice.t(l),
        "stolen_lost_document" => M::ListDocument.t(l),
        _ => "—",
    }
}

fn hit_row(l: Lang, c: &Caller, h: &Hit) -> Markup {
    html! {
        tr.hit data-rule=(h.rule.code) {
            td { (list_name(l, h.list)) br;
                @if h.list == "travel_ban_order" && c.has(Permission::TravelBansRead) {
                    a href={"/console/travel-bans/" (h.reference)} { code { (h.reference) } }
                } @else { code { (h.reference) } }
            }
            td { (format!("{:.2}", h.score)) }
            td { strong { (h.rule.text) } br; code.count { (h.rule.code) } }
            td {
                dl {
                    @for m in &h.matched {
                        dt { (m.field) }
                        dd { (m.query) " ↔ " (m.listed) " " span.grant { (m.how.join(", ")) }
                            @if let Some(n) = &m.name {
                                br;
                                @for p in &n.pairs { span.count { (p.query) " ↔ " (p.listed) " (" (p.how.as_str()) ") " } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn screening_page(
    st: &AppState,
    c: &Caller,
    l: Lang,
    f: &ScreenForm,
    answer: Option<Result<ScreeningAnswer, ApiError>>,
) -> Response {
    let p = page(l, Some(c), M::Screening.t(l), "/console/screening");
    let today = crate::travel_bans::today(st).to_string();
    let date = if f.date.is_empty() { today } else { f.date.clone() };
    let status = match &answer {
        Some(Err(e)) => e.status,
        _ => StatusCode::OK,
    };
    let exit = f.direction == "exit";
    render(
        &p,
        status,
        html! {
            details { summary { (M::Details.t(l)) } p { (M::ScreeningHint.t(l)) } }
            @match &answer {
                Some(Ok(a)) => {
                    (effect_banner(l, a))
                    @if !a.screening.hits.is_empty() {
                        table id="hits" {
                            thead { tr { th { (M::List.t(l)) } th { (M::Score.t(l)) } th { (M::RuleApplied.t(l)) } th { (M::Matched.t(l)) } } }
                            tbody { @for h in &a.screening.hits { (hit_row(l, c, h)) } }
                        }
                    }
                }
                Some(Err(e)) => (problem(l, e)),
                None => {}
            }
            form method="post" action="/console/screening" id="screening-form" {
                (csrf_field(c))
                fieldset {
                    legend { (M::Person.t(l)) }
                    label for="surname" { (M::Surname.t(l)) }
                    input id="surname" name="surname" value=(f.surname) maxlength="120" autofocus autocomplete="off";
                    label for="given_names" { (M::GivenNames.t(l)) }
                    input id="given_names" name="given_names" value=(f.given_names) maxlength="120" autocomplete="off";
                    label for="date_of_birth" { (M::DateOfBirth.t(l)) }
                    input id="date_of_birth" name="date_of_birth" value=(f.date_of_birth) placeholder="1975-03-XX" maxlength="10" autocomplete="off";
                    label for="sex" { (M::Sex.t(l)) }
                    select id="sex" name="sex" {
                        option value="" { "—" }
                        @for (s, m) in [("M", M::SexM), ("F", M::SexF), ("X", M::SexX)] { option value=(s) selected[f.sex == s] { (m.t(l)) } }
                    }
                    label for="nationality" { (M::Nationality.t(l)) }
                    input id="nationality" name="nationality" value=(f.nationality) placeholder="IDN" maxlength="3" autocomplete="off";
                }
                fieldset {
                    legend { (M::Document.t(l)) }
                    label for="document_number" { (M::DocumentNumber.t(l)) }
                    input id="document_number" name="document_number" value=(f.document_number) maxlength="32" autocomplete="off";
                    label for="issuing_state" { (M::IssuingState.t(l)) }
                    input id="issuing_state" name="issuing_state" value=(f.issuing_state) placeholder="IDN" maxlength="3" autocomplete="off";
                    label for="document_type" { (M::Kind.t(l)) }
                    select id="document_type" name="document_type" {
                        @for (v, m) in [("passport", M::DocPassport), ("identity_card", M::DocIdentityCard), ("visa", M::DocVisa)] {
                            option value=(v) selected[f.document_type == v] { (m.t(l)) }
                        }
                    }
                }
                fieldset {
                    legend { (M::Crossing.t(l)) }
                    label for="direction" { (M::Direction.t(l)) }
                    select id="direction" name="direction" {
                        option value="entry" selected[!exit] { (M::Entry.t(l)) }
                        option value="exit" selected[exit] { (M::Exit.t(l)) }
                    }
                    label for="date" { (M::CrossingDate.t(l)) }
                    input id="date" name="date" type="date" value=(date);
                }
                button type="submit" id="screen" { (M::ScreenAction.t(l)) }
            }
        },
    )
}
