//! The officers' console: server-rendered pages in Indonesian and English, no script needed,
//! every asset served from the binary. Pages call the same functions as the API (`api.rs`),
//! so a rule is checked once for both.

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use axum_extra::extract::CookieJar;
use gapura_domain::{Permission, Role, ServicePointKind};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use crate::api::{self, GrantRequest, OfficerQuery, ServicePointQuery};
use crate::auth::{self, Caller, Via};
use crate::error::ApiError;
use crate::i18n::{Lang, M};
use crate::routes::{private, see_other, BODY_BYTES_MAX};
use crate::state::AppState;
use crate::RequestCtx;

pub const SESSION_COOKIE: &str = "gapura_session";
pub const LANG_COOKIE: &str = "gapura_lang";
const LOGIN_CSRF_COOKIE: &str = "gapura_login";
/// A language choice is remembered for a year.
const LANG_COOKIE_MAX_AGE_S: i64 = 365 * 86_400;

/// The language of a request: the remembered choice, else the browser's first preference
/// if it is English, else Indonesian.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    if let Some(l) = jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
        return l;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.trim_start().to_ascii_lowercase().starts_with("en") {
        Lang::En
    } else {
        Lang::Id
    }
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(SESSION_COOKIE).map(|c| c.value().to_owned())
}

fn cookie(name: &str, value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A console form body, read as `application/x-www-form-urlencoded`.
pub struct FormBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for FormBody<T> {
    type Rejection = Response;
    async fn from_request(req: Request, _: &S) -> Result<Self, Response> {
        let lang = lang_of(req.headers());
        let bytes = axum::body::to_bytes(req.into_body(), BODY_BYTES_MAX).await.map_err(|_| {
            error_page(
                lang,
                &ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the form is too large"),
            )
        })?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(de).map(FormBody).map_err(|e| {
            let field = e.path().to_string();
            error_page(lang, &ApiError::invalid(&field, e.into_inner().to_string()))
        })
    }
}

pub(crate) struct Page<'a> {
    lang: Lang,
    caller: Option<&'a Caller>,
    title: String,
    /// The path of this page, for the language switch to come back to.
    here: String,
}

pub(crate) fn layout(p: &Page<'_>, body: Markup) -> Markup {
    let l = p.lang;
    let back = urlencode(&p.here);
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (p.title) " · Gapura" }
                link rel="stylesheet" href=(crate::assets::stylesheet_path());
            }
            body {
                a.skip href="#content" { (M::SkipToContent.t(l)) }
                header {
                    a.brand href="/console" title=(M::AppName.t(l)) { "Gapura" }
                    @if let Some(c) = p.caller {
                        nav aria-label="main" {
                            a href="/console" accesskey="h" { (M::Home.t(l)) }
                            @if c.has(Permission::ReferenceRead) {
                                a href="/console/service-points" accesskey="s" { (M::ServicePoints.t(l)) }
                            }
                            @if c.has(Permission::OfficersRead) {
                                a href="/console/officers" accesskey="o" { (M::Officers.t(l)) }
                            }
                            @if c.has(Permission::Screen) {
                                a href="/console/screening" accesskey="k" { (M::Screening.t(l)) }
                            }
                            @if c.has(Permission::TravelBansRead) {
                                a href="/console/travel-bans" accesskey="t" { (M::TravelBans.t(l)) }
                            }
                            @if c.has(Permission::AuditRead) {
                                a href="/console/audit" accesskey="a" { (M::Audit.t(l)) }
                            }
                            a href="/console/account" { (M::Account.t(l)) }
                        }
                    }
                    div.tools {
                        span { (M::Language.t(l)) ": " }
                        @if l == Lang::Id { strong { "ID" } } @else { a href={"/console/lang/id?back=" (back)} hreflang="id" id="lang-id" { "ID" } }
                        " · "
                        @if l == Lang::En { strong { "EN" } } @else { a href={"/console/lang/en?back=" (back)} hreflang="en" id="lang-en" { "EN" } }
                        @if let Some(c) = p.caller {
                            " · "
                            span.who { (c.officer) }
                            form.inline method="post" action="/console/logout" {
                                (csrf_field(c))
                                button type="submit" id="sign-out" { (M::SignOut.t(l)) }
                            }
                        }
                    }
                }
                main id="content" tabindex="-1" {
                    h1 { (p.title) }
                    (body)
                }
            }
        }
    }
}

pub(crate) fn csrf_field(c: &Caller) -> Markup {
    html! { input type="hidden" name="csrf" value=(c.csrf().unwrap_or_default()); }
}

pub(crate) fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub(crate) fn render(p: &Page<'_>, status: StatusCode, body: Markup) -> Response {
    private((status, layout(p, body)).into_response())
}

pub(crate) fn page<'a>(lang: Lang, caller: Option<&'a Caller>, title: &str, here: &str) -> Page<'a> {
    Page { lang, caller, title: title.to_owned(), here: here.to_owned() }
}

/// The page shown for a refused or failed console request.
pub fn error_page(lang: Lang, e: &ApiError) -> Response {
    error_page_for(lang, None, "/console", e)
}

/// The page shown for a refused or failed request of a signed-in officer: the shell stays
/// (navigation, language, sign out), and the language switch comes back to `here`.
pub fn error_page_for(lang: Lang, caller: Option<&Caller>, here: &str, e: &ApiError) -> Response {
    let title = match e.status {
        StatusCode::FORBIDDEN => M::Refused.t(lang),
        StatusCode::NOT_FOUND => M::NotFound.t(lang),
        _ => M::Problem.t(lang),
    };
    let p = page(lang, caller, title, here);
    render(
        &p,
        e.status,
        html! {
            div.problem role="alert" data-code=(e.body.code) {
                @if e.status == StatusCode::FORBIDDEN { p { strong { (M::RefusedText.t(lang)) } } }
                p.detail lang="en" { (e.body.message) }
                @if let Some(f) = &e.body.field { p { (M::Field.t(lang)) ": " code { (f) } } }
            }
            p { a href="/console" { (M::BackHome.t(lang)) } }
        },
    )
}

/// Where an unauthenticated console request goes: GETs to the login page (and back after).
pub fn to_login(parts: &Parts) -> Response {
    if parts.method == axum::http::Method::GET {
        let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/console");
        return Redirect::to(&format!("/console/login?next={}", urlencode(next))).into_response();
    }
    let lang = lang_of(&parts.headers);
    let mut r =
        error_page(lang, &ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", M::SignIn.t(lang)));
    *r.status_mut() = StatusCode::UNAUTHORIZED;
    r
}

/// Only paths inside the console may be returned to (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/console") && !n.starts_with("//") && !n.contains("\\") => n.to_owned(),
        _ => "/console".to_owned(),
    }
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
}

fn login_form(st: &AppState, lang: Lang, next: &str, error: Option<&str>, status: StatusCode) -> Response {
    let token = auth::random_hex(16);
    let p = page(lang, None, M::SignIn.t(lang), &format!("/console/login?next={}", urlencode(next)));
    let mut r = render(
        &p,
        status,
        html! {
            @if let Some(e) = error { p.problem role="alert" { (e) } }
            form method="post" action="/console/login" {
                input type="hidden" name="csrf" value=(token);
                input type="hidden" name="next" value=(next);
                label for="login" { (M::Login.t(lang)) }
                input id="login" name="login" autocomplete="username" required autofocus maxlength="32";
                label for="password" { (M::Password.t(lang)) }
                input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128";
                button type="submit" id="sign-in" { (M::SignIn.t(lang)) }
            }
            @if !st.settings.demo_logins.is_empty() {
                section.demo {
                    h2 { (M::DemoLogins.t(lang)) }
                    table { @for (login, pw) in &st.settings.demo_logins { tr { td { code { (login) } } td { code { (pw) } } } } }
                }
            }
        },
    );
    r.headers_mut()
        .append(header::SET_COOKIE, cookie(LOGIN_CSRF_COOKIE, &token, 3600, st.settings.secure_cookies));
    r
}

pub async fn login_page(State(st): State<AppState>, headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let q: LoginQuery = crate::error::parse_query(uri.query()).unwrap_or_default();
    let next = safe_next(q.next.as_deref());
    login_form(&st, lang_of(&headers), &next, None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

pub async fn login(
    State(st): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    headers: HeaderMap,
    FormBody(f): FormBody<LoginForm>,
) -> Response {
    let lang = lang_of(&headers);
    let next = safe_next(f.next.as_deref());
    let sent = CookieJar::from_headers(&headers).get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
    if sent.as_deref() != Some(f.csrf.as_str()) {
        return error_page(
            lang,
            &ApiError::forbidden("the sign-in form is stale or was sent from another site; reload the page"),
        );
    }
    match crate::login::attempt(&st, &f.login, &f.password, &ctx.address).await {
        Ok(officer) => {
            let (id, _) = match st.sessions.create(officer, st.now()) {
                Ok(s) => s,
                Err(e) => return error_page(lang, &e),
            };
            let mut r = see_other(&next);
            r.headers_mut().append(
                header::SET_COOKIE,
                cookie(SESSION_COOKIE, &id, auth::SESSION_ABSOLUTE_MS / 1000, st.settings.secure_cookies),
            );
            r
        }
        Err(crate::login::Failure::Locked(ms)) => {
            let minutes = (ms + 59_999) / 60_000;
            let msg = format!("{} {minutes} {}.", M::LoginLocked.t(lang), M::Minutes.t(lang));
            login_form(&st, lang, &next, Some(&msg), StatusCode::TOO_MANY_REQUESTS)
        }
        Err(crate::login::Failure::Wrong) => {
            login_form(&st, lang, &next, Some(M::LoginFailed.t(lang)), StatusCode::UNAUTHORIZED)
        }
        Err(crate::login::Failure::Error(e)) => error_page(lang, &e),
    }
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    back: Option<String>,
}

pub async fn set_language(
    State(st): State<AppState>,
    Path(lang): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let q: Option<LangQuery> = crate::error::parse_query(uri.query()).ok();
    let Some(lang) = Lang::parse(&lang) else {
        return error_page(Lang::Id, &ApiError::not_found("the languages are id and en"));
    };
    let back = safe_next(q.as_ref().and_then(|q| q.back.as_deref()));
    let mut r = see_other(&back);
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(LANG_COOKIE, lang.code(), LANG_COOKIE_MAX_AGE_S, st.settings.secure_cookies),
    );
    r
}

pub async fn logout(State(st): State<AppState>, Extension(c): Extension<Caller>) -> Response {
    if let Via::Session { cookie: id, .. } = &c.via {
        st.sessions.remove(id);
    }
    let mut r = see_other("/console/login");
    r.headers_mut().append(header::SET_COOKIE, cookie(SESSION_COOKIE, "", 0, st.settings.secure_cookies));
    r
}

pub async fn home(Extension(c): Extension<Caller>, headers: HeaderMap) -> Response {
    let l = lang_of(&headers);
    let p = page(l, Some(&c), &format!("{}, {}", M::Welcome.t(l), c.officer), "/console");
    render(
        &p,
        StatusCode::OK,
        html! {
            p { (M::HomePoint.t(l)) ": " a href={"/console/service-points/" (c.home_point)} { (c.home_point) } }
            h2 { (M::YourRoles.t(l)) }
            (grants_table(l, &c.grants, None))
            ul.tiles {
                @if c.has(Permission::ReferenceRead) { li { a href="/console/service-points" { (M::ServicePoints.t(l)) } } }
                @if c.has(Permission::OfficersRead) { li { a href="/console/officers" { (M::Officers.t(l)) } } }
                @if c.has(Permission::Screen) { li { a href="/console/screening" { (M::Screening.t(l)) } } }
                @if c.has(Permission::TravelBansRead) { li { a href="/console/travel-bans" { (M::TravelBans.t(l)) } } }
                @if c.has(Permission::AuditRead) { li { a href="/console/audit" { (M::AuditSearch.t(l)) } } }
                li { a href="/console/account" { (M::Account.t(l)) } }
                li { a href="/api/docs" { (M::ApiDocs.t(l)) } }
            }
        },
    )
}

fn grants_table(l: Lang, grants: &[gapura_domain::Grant], revoke: Option<(&Caller, &str)>) -> Markup {
    html! {
        @if grants.is_empty() { p { "—" } } @else {
            table {
                thead { tr { th { (M::Role.t(l)) } th { (M::Scope.t(l)) } @if revoke.is_some() { th { (M::Actions.t(l)) } } } }
                tbody {
                    @for g in grants {
                        tr {
                            td { (g.role.as_str()) }
                            td { (g.scope) }
                            @if let Some((c, officer)) = revoke {
                                td {
                                    form.inline method="post" action={"/console/officers/" (officer) "/grants/revoke"} {
                                        (csrf_field(c))
                                        input type="hidden" name="role" value=(g.role.as_str());
                                        input type="hidden" name="scope" value=(g.scope.to_string());
                                        button type="submit" { (M::Revoke.t(l)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn account_page(
    st: &AppState,
    c: &Caller,
    l: Lang,
    tokens: Vec<api::Token>,
    flash: Option<Markup>,
) -> Response {
    let _ = st;
    let p = page(l, Some(c), M::Account.t(l), "/console/account");
    render(
        &p,
        StatusCode::OK,
        html! {
            @if let Some(f) = flash { div.flash role="status" { (f) } }
            p { (M::Login.t(l)) ": " code { (c.officer) } " · " (M::HomePoint.t(l)) ": " (c.home_point) }
            h2 { (M::ChangePassword.t(l)) }
            form method="post" action="/console/account/password" {
                (csrf_field(c))
                label for="current_password" { (M::CurrentPassword.t(l)) }
                input id="current_password" name="current_password" type="password" autocomplete="current-password" required;
                label for="new_password" { (M::NewPassword.t(l)) }
                input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="12";
                button type="submit" { (M::ChangePassword.t(l)) }
            }
            h2 { (M::Tokens.t(l)) }
            @if !tokens.is_empty() {
                table {
                    thead { tr { th { "ID" } th { (M::Label.t(l)) } th { (M::Expires.t(l)) } th { (M::Status.t(l)) } th {} } }
                    tbody { @for t in &tokens { tr {
                        td { code { (t.token_id) } }
                        td { (t.label) }
                        td { (crate::time::rfc3339(t.expires_ms)) }
                        td { @if t.revoked { (M::Revoked.t(l)) } @else { (M::Active.t(l)) } }
                        td { @if !t.revoked {
                            form.inline method="post" action={"/console/account/tokens/" (t.token_id) "/revoke"} {
                                (csrf_field(c)) button type="submit" { (M::Revoke.t(l)) }
                            }
                        } }
                    } } }
                }
            }
            form method="post" action="/console/account/tokens" {
                (csrf_field(c))
                label for="label" { (M::Label.t(l)) }
                input id="label" name="label" required maxlength="80";
                label for="days" { (M::Days.t(l)) }
                input id="days" name="days" type="number" min="1" max="365" value="90" required;
                button type="submit" { (M::IssueToken.t(l)) }
            }
        },
    )
}

async fn tokens_of(st: &AppState, c: &Caller) -> Result<Vec<api::Token>, ApiError> {
    let who = c.officer.to_string();
    Ok(st.db()?.read(move |r| r.own_tokens(&who)).await?.into_iter().map(api::Token::from).collect())
}

pub async fn account(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let l = lang_of(&headers);
    match tokens_of(&st, &c).await {
        Ok(t) => account_page(&st, &c, l, t, None),
        Err(e) => error_page(l, &e),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    FormBody(f): FormBody<PasswordForm>,
) -> Response {
    let l = lang_of(&headers);
    if let Err(e) = api::password_change(&st, &c, &f.current_password, &f.new_password, "new_password").await
    {
        return error_page(l, &e);
    }
    // Every session of the officer ended with the change; this one continues in a new one.
    let (id, csrf) = match st.sessions.create(c.officer.clone(), st.now()) {
        Ok(s) => s,
        Err(e) => return error_page(l, &e),
    };
    let mut c = c;
    c.via = Via::Session { cookie: id.clone(), csrf };
    let mut r = match tokens_of(&st, &c).await {
        Ok(t) => account_page(&st, &c, l, t, Some(html! { (M::PasswordChanged.t(l)) })),
        Err(e) => error_page(l, &e),
    };
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(SESSION_COOKIE, &id, auth::SESSION_ABSOLUTE_MS / 1000, st.settings.secure_cookies),
    );
    r
}

#[derive(Deserialize)]
pub struct TokenForm {
    label: String,
    days: String,
}

pub async fn create_token(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    FormBody(f): FormBody<TokenForm>,
) -> Response {
    let l = lang_of(&headers);
    let Ok(days) = f.days.trim().parse::<i64>() else {
        return error_page(l, &ApiError::invalid("days", "days is a whole number from 1 to 365"));
    };
    match api::issue_token(&st, &c, &f.label, days).await {
        Ok(t) => match tokens_of(&st, &c).await {
            Ok(list) => account_page(
                &st,
                &c,
                l,
                list,
                Some(html! { (M::NewToken.t(l)) br; code #new-token { (t.token) } }),
            ),
            Err(e) => error_page(l, &e),
        },
        Err(e) => error_page(l, &e),
    }
}

pub async fn revoke_token(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(token_id): Path<String>,
) -> Response {
    match api::revoke_own_token(&st, &c, &token_id).await {
        Ok(()) => see_other("/console/account"),
        Err(e) => error_page(lang_of(&headers), &e),
    }
}

fn kind_name(l: Lang, kind: &str) -> &'static str {
    match (kind, l) {
        ("regional_office", Lang::Id) => "Kantor wilayah",
        ("regional_office", Lang::En) => "Regional office",
        ("immigration_office", Lang::Id) => "Kantor imigrasi",
        ("immigration_office", Lang::En) => "Immigration office",
        ("airport", Lang::Id) => "TPI bandara",
        ("airport", Lang::En) => "Airport",
        ("seaport", Lang::Id) => "TPI pelabuhan",
        ("seaport", Lang::En) => "Seaport",
        ("land_crossing", Lang::Id) => "PLBN (pos lintas batas darat)",
        ("land_crossing", Lang::En) => "Land crossing",
        ("detention_house", Lang::Id) => "Rumah detensi",
        ("detention_house", Lang::En) => "Detention house",
        ("mission_abroad", Lang::Id) => "Perwakilan di luar negeri",
        ("mission_abroad", Lang::En) => "Mission abroad",
        _ => "—",
    }
}

#[derive(Deserialize, Default)]
pub struct PointsForm {
    q: Option<String>,
    kind: Option<String>,
    province: Option<String>,
    page: Option<i64>,
}

/// Rows on a console list page.
pub(crate) const CONSOLE_PAGE_ROWS: i64 = 50;

pub async fn service_points(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let l = lang_of(&headers);
    let f: PointsForm = match crate::error::parse_query(uri.query()) {
        Ok(f) => f,
        Err(e) => return error_page(l, &e),
    };
    let page_no = f.page.unwrap_or(1).clamp(1, 10_000);
    let query = ServicePointQuery {
        q: f.q.clone(),
        kind: f.kind.clone().filter(|k| !k.is_empty()),
        province: f.province.clone().filter(|k| !k.is_empty()),
        parent: None,
        limit: Some(CONSOLE_PAGE_ROWS),
        offset: Some((page_no - 1) * CONSOLE_PAGE_ROWS),
    };
    let filter = match api::service_point_filter(query) {
        Ok(f) => f,
        Err(e) => return error_page(l, &e),
    };
    let db = match st.db() {
        Ok(db) => db,
        Err(e) => return error_page(l, &e),
    };
    let found = db
        .read(move |r| {
            let provinces = r.provinces()?;
            let (rows, total) = r.service_points(&filter)?;
            Ok((provinces, rows, total))
        })
        .await;
    let (provinces, rows, total) = match found {
        Ok(x) => x,
        Err(e) => return error_page(l, &e),
    };
    let here = uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let p = page(l, Some(&c), M::ServicePoints.t(l), &here);
    let q = f.q.clone().unwrap_or_default();
    let kind = f.kind.clone().unwrap_or_default();
    let province = f.province.clone().unwrap_or_default();
    let link = |n: i64| {
        format!(
            "/console/service-points?q={}&kind={}&province={}&page={n}",
            urlencode(&q),
            urlencode(&kind),
            urlencode(&province)
        )
    };
    render(
        &p,
        StatusCode::OK,
        html! {
            form.filters method="get" action="/console/service-points" role="search" {
                label for="q" { (M::Search.t(l)) }
                input id="q" name="q" type="search" value=(q) placeholder=(M::SearchHint.t(l)) autofocus;
                label for="kind" { (M::Kind.t(l)) }
                select id="kind" name="kind" {
                    option value="" { (M::AllKinds.t(l)) }
                    @for k in ServicePointKind::ALL { option value=(k.as_str()) selected[kind == k.as_str()] { (kind_name(l, k.as_str())) } }
                }
                label for="province" { (M::Province.t(l)) }
                select id="province" name="province" {
                    option value="" { (M::AllProvinces.t(l)) }
                    @for pr in &provinces { option value=(pr) selected[&province == pr] { (pr) } }
                }
                button type="submit" id="search" { (M::Filter.t(l)) }
            }
            p.count { (total) " " (M::Found.t(l)) }
            @if rows.is_empty() { p { (M::NothingFound.t(l)) } } @else {
                table id="service-points" {
                    thead { tr { th { (M::Code.t(l)) } th { (M::Name.t(l)) } th { (M::Kind.t(l)) } th { (M::Province.t(l)) } th { (M::City.t(l)) } } }
                    tbody { @for r in &rows { tr {
                        td { a href={"/console/service-points/" (r.code)} { (r.code) } }
                        td { (r.name) }
                        td { (kind_name(l, &r.kind)) }
                        td { (r.province) }
                        td { (r.city.as_deref().unwrap_or("")) }
                    } } }
                }
            }
            nav.pages aria-label="pages" {
                @if page_no > 1 { a href=(link(page_no - 1)) rel="prev" { (M::Previous.t(l)) } }
                @if page_no * CONSOLE_PAGE_ROWS < total { a href=(link(page_no + 1)) rel="next" { (M::Next.t(l)) } }
            }
        },
    )
}

pub async fn service_point(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let l = lang_of(&headers);
    let db = match st.db() {
        Ok(db) => db,
        Err(e) => return error_page(l, &e),
    };
    let lookup = code.clone();
    let found = db
        .read(move |r| {
            let point = r.service_point(&lookup)?;
            let ancestors = r.ancestors(&lookup)?;
            let under = r.service_points(&gapura_store::ServicePointFilter {
                parent_code: Some(lookup.clone()),
                limit: gapura_store::PAGE_ROWS_MAX,
                ..Default::default()
            })?;
            Ok((point, ancestors, under.0))
        })
        .await;
    let (point, ancestors, under) = match found {
        Ok((Some(p), a, u)) => (p, a, u),
        Ok((None, ..)) => {
            return error_page(l, &ApiError::not_found(format!("there is no service point {code:?}")))
        }
        Err(e) => return error_page(l, &e),
    };
    let manage = c.covers(Permission::OfficersManage, &ancestors);
    let p = page(l, Some(&c), &point.name, &format!("/console/service-points/{code}"));
    render(
        &p,
        StatusCode::OK,
        html! {
            dl {
                dt { (M::Code.t(l)) } dd { code { (point.code) } }
                dt { (M::Kind.t(l)) } dd { (kind_name(l, &point.kind)) }
                @if let Some(parent) = &point.parent_code { dt { (M::Parent.t(l)) } dd { a href={"/console/service-points/" (parent)} { (parent) } } }
                dt { (M::Province.t(l)) } dd { (point.province) }
                @if let Some(city) = &point.city { dt { (M::City.t(l)) } dd { (city) } }
                @if let Some(tz) = &point.time_zone { dt { (M::TimeZone.t(l)) } dd { (tz) } }
            }
            @if c.covers(Permission::OfficersRead, &ancestors) {
                p { a href={"/console/officers?point=" (point.code)} { (M::Officers.t(l)) } }
            }
            @if !under.is_empty() {
                h2 { (M::PointsUnder.t(l)) }
                ul { @for u in &under { li { a href={"/console/service-points/" (u.code)} { (u.code) } " — " (u.name) } } }
            }
            @if manage {
                h2 { (M::NewOfficer.t(l)) }
                form method="post" action={"/console/service-points/" (point.code) "/officers"} {
                    (csrf_field(&c))
                    label for="officer" { (M::Login.t(l)) }
                    input id="officer" name="officer" required maxlength="32" pattern="[a-z][a-z0-9._\\-]{2,31}";
                    label for="name" { (M::Name.t(l)) }
                    input id="name" name="name" required maxlength="160";
                    label for="password" { (M::InitialPassword.t(l)) }
                    input id="password" name="password" type="password" autocomplete="new-password" required minlength="12";
                    label for="role" { (M::Role.t(l)) }
                    select id="role" name="role" { option value="" { "—" } @for r in Role::ALL { option value=(r.as_str()) { (r.as_str()) } } }
                    label for="scope" { (M::Scope.t(l)) }
                    input id="scope" name="scope" value={"point:" (point.code)};
                    button type="submit" { (M::Create.t(l)) }
                }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct NewOfficerForm {
    officer: String,
    name: String,
    password: String,
    role: Option<String>,
    scope: Option<String>,
}

pub async fn create_officer(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(code): Path<String>,
    FormBody(f): FormBody<NewOfficerForm>,
) -> Response {
    let l = lang_of(&headers);
    let grants = match (f.role.filter(|r| !r.is_empty()), f.scope.filter(|s| !s.is_empty())) {
        (Some(role), Some(scope)) => vec![GrantRequest { role, scope }],
        _ => Vec::new(),
    };
    let body = api::NewOfficer { officer: f.officer, name: f.name, password: f.password, grants };
    match api::new_officer(&st, &c, &code, body).await {
        Ok(o) => see_other(&format!("/console/officers/{}", o.officer)),
        Err(e) => error_page(l, &e),
    }
}

pub async fn officers(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let l = lang_of(&headers);
    let q: OfficerQuery = match crate::error::parse_query(uri.query()) {
        Ok(q) => q,
        Err(e) => return error_page(l, &e),
    };
    let (text, point) = (q.q.clone().unwrap_or_default(), q.point.clone().unwrap_or_default());
    let rows = match api::list_officers(&st, &c, q).await {
        Ok(r) => r,
        Err(e) => return error_page(l, &e),
    };
    let p = page(l, Some(&c), M::Officers.t(l), "/console/officers");
    render(
        &p,
        StatusCode::OK,
        html! {
            form.filters method="get" action="/console/officers" role="search" {
                label for="q" { (M::Search.t(l)) }
                input id="q" name="q" type="search" value=(text) autofocus;
                label for="point" { (M::HomePoint.t(l)) }
                input id="point" name="point" value=(point);
                button type="submit" { (M::Filter.t(l)) }
            }
            @if rows.is_empty() { p { (M::NothingFound.t(l)) } } @else {
                table id="officers" {
                    thead { tr { th { (M::Login.t(l)) } th { (M::Name.t(l)) } th { (M::HomePoint.t(l)) } th { (M::Roles.t(l)) } th { (M::Status.t(l)) } } }
                    tbody { @for o in &rows { tr {
                        td { a href={"/console/officers/" (o.officer)} { (o.officer) } }
                        td { (o.name) }
                        td { (o.home_point) }
                        td { @for g in &o.grants { span.grant { (g.role) " @ " (g.scope) } " " } }
                        td { @if o.disabled { (M::Disabled.t(l)) } @else { (M::Active.t(l)) } }
                    } } }
                }
            }
            details id="roles" {
                summary { (M::RolesExplained.t(l)) }
                table {
                    thead { tr { th { (M::Role.t(l)) } th { (M::Permissions.t(l)) } } }
                    tbody { @for r in Role::ALL { tr {
                        td { code { (r.as_str()) } }
                        td { @for p in r.permissions() { span.grant { (permission_name(l, *p)) } " " } }
                    } } }
                }
                p { (M::ScopesExplained.t(l)) }
            }
        },
    )
}

fn permission_name(l: Lang, p: Permission) -> &'static str {
    match p {
        Permission::Authenticated => M::PermAuthenticated.t(l),
        Permission::ReferenceRead => M::PermReferenceRead.t(l),
        Permission::OfficersRead => M::PermOfficersRead.t(l),
        Permission::OfficersManage => M::PermOfficersManage.t(l),
        Permission::AuditRead => M::PermAuditRead.t(l),
        Permission::TravelBansRead => M::PermTravelBansRead.t(l),
        Permission::TravelBansManage => M::PermTravelBansManage.t(l),
        Permission::Screen => M::PermScreen.t(l),
    }
}

pub async fn officer(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(officer): Path<String>,
) -> Response {
    let l = lang_of(&headers);
    let d = match api::officer_detail(&st, &c, &officer).await {
        Ok(d) => d,
        Err(e) => return error_page(l, &e),
    };
    let o = &d.officer;
    let grants: Vec<gapura_domain::Grant> = o
        .grants
        .iter()
        .filter_map(|g| {
            Some(gapura_domain::Grant {
                role: Role::parse(&g.role).ok()?,
                scope: gapura_domain::Scope::parse(&g.scope).ok()?,
            })
        })
        .collect();
    let home = o.home_point.clone();
    let ancestors = match st.db() {
        Ok(db) => db.read(move |r| r.ancestors(&home)).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let manage = c.covers(Permission::OfficersManage, &ancestors);
    let p = page(l, Some(&c), &o.name, &format!("/console/officers/{officer}"));
    render(
        &p,
        StatusCode::OK,
        html! {
            dl {
                dt { (M::Login.t(l)) } dd { code { (o.officer) } }
                dt { (M::HomePoint.t(l)) } dd { a href={"/console/service-points/" (o.home_point)} { (o.home_point) } }
                dt { (M::Status.t(l)) } dd #status { @if o.disabled { (M::Disabled.t(l)) } @else { (M::Active.t(l)) } }
            }
            h2 { (M::Roles.t(l)) }
            (grants_table(l, &grants, if manage { Some((&c, o.officer.as_str())) } else { None }))
            @if manage {
                form method="post" action={"/console/officers/" (o.officer) "/grants"} {
                    (csrf_field(&c))
                    label for="role" { (M::Role.t(l)) }
                    select id="role" name="role" { @for r in Role::ALL { option value=(r.as_str()) { (r.as_str()) } } }
                    label for="scope" { (M::Scope.t(l)) }
                    input id="scope" name="scope" value={"point:" (o.home_point)} required;
                    button type="submit" { (M::Grant.t(l)) }
                }
                @if o.disabled {
                    form method="post" action={"/console/officers/" (o.officer) "/enable"} {
                        (csrf_field(&c)) button type="submit" { (M::Enable.t(l)) }
                    }
                } @else {
                    form method="post" action={"/console/officers/" (o.officer) "/disable"} {
                        (csrf_field(&c))
                        label for="reason" { (M::Reason.t(l)) }
                        input id="reason" name="reason" required maxlength="400";
                        button type="submit" { (M::Disable.t(l)) }
                    }
                }
            }
            @if !d.tokens.is_empty() {
                h2 { (M::Tokens.t(l)) }
                ul { @for t in &d.tokens { li { code { (t.token_id) } " " (t.label) " — " (crate::time::rfc3339(t.expires_ms)) @if t.revoked { " (" (M::Revoked.t(l)) ")" } } } }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct GrantForm {
    role: String,
    scope: String,
}

async fn grant_change(
    st: AppState,
    c: Caller,
    headers: HeaderMap,
    officer: String,
    f: GrantForm,
    grant: bool,
) -> Response {
    let g = GrantRequest { role: f.role, scope: f.scope };
    match api::change_grant(&st, &c, &officer, &g, grant).await {
        Ok(_) => see_other(&format!("/console/officers/{officer}")),
        Err(e) => error_page(lang_of(&headers), &e),
    }
}

pub async fn grant(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(officer): Path<String>,
    FormBody(f): FormBody<GrantForm>,
) -> Response {
    grant_change(st, c, headers, officer, f, true).await
}

pub async fn revoke_grant(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(officer): Path<String>,
    FormBody(f): FormBody<GrantForm>,
) -> Response {
    grant_change(st, c, headers, officer, f, false).await
}

#[derive(Deserialize)]
pub struct DisableForm {
    reason: String,
}

pub async fn disable(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(officer): Path<String>,
    FormBody(f): FormBody<DisableForm>,
) -> Response {
    match api::set_disabled(&st, &c, &officer, Some(&f.reason)).await {
        Ok(_) => see_other(&format!("/console/officers/{officer}")),
        Err(e) => error_page(lang_of(&headers), &e),
    }
}

pub async fn enable(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(officer): Path<String>,
) -> Response {
    match api::set_disabled(&st, &c, &officer, None).await {
        Ok(_) => see_other(&format!("/console/officers/{officer}")),
        Err(e) => error_page(lang_of(&headers), &e),
    }
}

pub async fn audit(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let l = lang_of(&headers);
    let q: api::AuditQuery = match crate::error::parse_query(uri.query()) {
        Ok(q) => q,
        Err(e) => return error_page(l, &e),
    };
    let searched = uri.query().is_some();
    let form = (q.officer.clone(), q.subject.clone(), q.from.clone(), q.to.clone());
    let rows = if searched {
        match api::search_audit(&st, &c, q).await {
            Ok(r) => Some(r),
            Err(e) => return error_page(l, &e),
        }
    } else {
        None
    };
    let p = page(l, Some(&c), M::AuditSearch.t(l), "/console/audit");
    let v = |s: &Option<String>| s.clone().unwrap_or_default();
    render(
        &p,
        StatusCode::OK,
        html! {
            p { (M::AuditHint.t(l)) }
            form.filters method="get" action="/console/audit" role="search" {
                label for="officer" { (M::Officer.t(l)) }
                input id="officer" name="officer" value=(v(&form.0)) autofocus;
                label for="subject" { (M::Subject.t(l)) }
                input id="subject" name="subject" value=(v(&form.1));
                label for="from" { (M::From.t(l)) }
                input id="from" name="from" value=(v(&form.2)) placeholder="2026-11-23";
                label for="to" { (M::To.t(l)) }
                input id="to" name="to" value=(v(&form.3)) placeholder="2026-11-24T00:00:00Z";
                button type="submit" { (M::Search.t(l)) }
            }
            @if let Some(rows) = rows {
                @if rows.is_empty() { p { (M::NothingFound.t(l)) } } @else {
                    table id="audit" {
                        thead { tr { th { (M::Time.t(l)) } th { (M::Officer.t(l)) } th { (M::HomePoint.t(l)) } th { (M::Address.t(l)) } th { (M::Record.t(l)) } th { (M::SubjectColumn.t(l)) } th { (M::Route.t(l)) } } }
                        tbody { @for a in &rows { tr {
                            td { (a.time) }
                            td { (a.officer) }
                            td { (a.point) }
                            td { (a.address) }
                            td { (a.record) @if let Some(q) = &a.query { " (" (q) ")" } }
                            td { (a.subject) }
                            td { code { (a.route) } " " small { (a.request_id) } }
                        } } }
                    }
                }
            }
        },
    )
}
