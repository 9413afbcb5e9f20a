//! The route table: every route the server answers, with the permission it needs and the
//! scope it is checked against. The router is built from this table only, so a route cannot
//! exist without a declared access; `guard` enforces it before any handler runs.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use gapura_domain::{Permission, ServicePointCode};

use crate::auth::{sha256_hex, Caller, Via};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{api, console, ops, screening, screening_pages, travel_ban_pages, travel_bans, RequestCtx};

/// The largest request body accepted, in bytes.
pub const BODY_BYTES_MAX: usize = 64 * 1024;

/// Where a route lives; it decides how callers authenticate and how refusals look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/api/v1`: bearer tokens, JSON.
    Api,
    /// `/console`: session cookies with CSRF tokens, HTML.
    Console,
    /// Health, metrics, documents and static files.
    Ops,
}

/// Which service point a route's permission is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Holding the permission in any scope is enough; the handler limits what it returns to
    /// the caller's scopes.
    Any,
    /// The service point named by this path parameter.
    Point(&'static str),
    /// The home point of the officer named by this path parameter.
    Officer(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credential needed. Each public route is listed in a test.
    Public,
    Officer(Permission, Target),
}

/// How a route is described in the OpenAPI document.
#[derive(Clone, Default)]
pub struct ApiDoc {
    pub query: Option<fn(&mut schemars::SchemaGenerator) -> schemars::Schema>,
    pub request: Option<fn(&mut schemars::SchemaGenerator) -> schemars::Schema>,
    pub response: Option<fn(&mut schemars::SchemaGenerator) -> schemars::Schema>,
    pub success: u16,
    /// Failed attempts are limited: the route may answer 429.
    pub limited: bool,
}

#[derive(Clone)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub surface: Surface,
    pub access: Access,
    pub summary: &'static str,
    /// The route returns records about people; each such read must leave an audit record.
    pub reads_personal: bool,
    pub doc: ApiDoc,
}

pub struct Route {
    pub info: RouteInfo,
    handler: MethodRouter<AppState>,
}

fn filter(m: &Method) -> MethodFilter {
    match *m {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::DELETE => MethodFilter::DELETE,
        Method::PATCH => MethodFilter::PATCH,
        _ => MethodFilter::GET,
    }
}

impl Route {
    pub fn new<H, T>(surface: Surface, method: Method, path: &'static str, access: Access, h: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route {
            handler: on(filter(&method), h),
            info: RouteInfo {
                method,
                path,
                surface,
                access,
                summary: "",
                reads_personal: false,
                doc: ApiDoc { success: 200, ..ApiDoc::default() },
            },
        }
    }
    pub fn summary(mut self, s: &'static str) -> Route {
        self.info.summary = s;
        self
    }
    pub fn personal(mut self) -> Route {
        self.info.reads_personal = true;
        self
    }
    pub fn query<Q: schemars::JsonSchema>(mut self) -> Route {
        self.info.doc.query = Some(|g| g.subschema_for::<Q>());
        self
    }
    pub fn request<B: schemars::JsonSchema>(mut self) -> Route {
        self.info.doc.request = Some(|g| g.subschema_for::<B>());
        self
    }
    pub fn response<R: schemars::JsonSchema>(mut self) -> Route {
        self.info.doc.response = Some(|g| g.subschema_for::<R>());
        self
    }
    pub fn limited(mut self) -> Route {
        self.info.doc.limited = true;
        self
    }
    pub fn success(mut self, status: u16) -> Route {
        self.info.doc.success = status;
        self
    }
}

fn need(p: Permission, t: Target) -> Access {
    Access::Officer(p, t)
}

/// Every route of the server.
pub fn table() -> Vec<Route> {
    use Method as M;
    use Permission::*;
    use Surface::*;
    use Target::*;
    vec![
        // Operations and documents.
        Route::new(Ops, M::GET, "/healthz", Access::Public, ops::healthz).summary("The process is alive."),
        Route::new(Ops, M::GET, "/readyz", Access::Public, ops::readyz)
            .summary("Ready to serve: not while migrating, replaying or with the database unreachable."),
        Route::new(Ops, M::GET, "/metrics", Access::Public, ops::metrics).summary("Prometheus metrics."),
        Route::new(Ops, M::GET, "/api/openapi.json", Access::Public, ops::openapi)
            .summary("This API's OpenAPI 3.1 document."),
        Route::new(Ops, M::GET, "/api/docs", Access::Public, ops::api_docs)
            .summary("The API documentation page."),
        Route::new(Ops, M::GET, "/static/{file}", Access::Public, ops::static_file)
            .summary("Console assets."),
        Route::new(Ops, M::GET, "/", Access::Public, ops::root).summary("Redirects to the console."),
        // The API.
        Route::new(Api, M::GET, "/api/v1/me", need(Authenticated, Any), api::me)
            .summary("The calling officer's account, roles and scopes.")
            .response::<api::Me>(),
        Route::new(Api, M::POST, "/api/v1/me/password", need(Authenticated, Any), api::change_password)
            .summary("Change the calling officer's password.")
            .request::<api::PasswordChange>()
            .limited()
            .success(204),
        Route::new(Api, M::GET, "/api/v1/me/tokens", need(Authenticated, Any), api::my_tokens)
            .summary("The calling officer's API tokens (never their secrets).")
            .response::<Vec<api::Token>>(),
        Route::new(Api, M::POST, "/api/v1/me/tokens", need(Authenticated, Any), api::create_token)
            .summary("Issue an API token to the calling officer; its secret is shown once.")
            .request::<api::TokenRequest>()
            .response::<api::NewToken>()
            .success(201),
        Route::new(
            Api,
            M::DELETE,
            "/api/v1/me/tokens/{token_id}",
            need(Authenticated, Any),
            api::revoke_token,
        )
        .summary("Revoke one of the calling officer's tokens.")
        .success(204),
        Route::new(Api, M::GET, "/api/v1/service-points", need(ReferenceRead, Any), api::service_points)
            .summary("Service points, with search and filters.")
            .query::<api::ServicePointQuery>()
            .response::<api::ServicePointPage>(),
        Route::new(
            Api,
            M::GET,
            "/api/v1/service-points/{code}",
            need(ReferenceRead, Any),
            api::service_point,
        )
        .summary("One service point.")
        .response::<api::ServicePoint>(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/service-points/{code}/officers",
            need(OfficersManage, Point("code")),
            api::create_officer,
        )
        .summary("Create an officer whose home is this service point.")
        .request::<api::NewOfficer>()
        .response::<api::Officer>()
        .success(201)
        .personal(),
        Route::new(Api, M::GET, "/api/v1/officers", need(OfficersRead, Any), api::officers)
            .summary("Officers within the caller's scopes.")
            .query::<api::OfficerQuery>()
            .response::<Vec<api::Officer>>()
            .personal(),
        Route::new(
            Api,
            M::GET,
            "/api/v1/officers/{officer}",
            need(OfficersRead, Officer("officer")),
            api::officer,
        )
        .summary("One officer, with roles and tokens.")
        .response::<api::OfficerDetail>()
        .personal(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/officers/{officer}/grants",
            need(OfficersManage, Officer("officer")),
            api::grant,
        )
        .summary("Grant a role for a scope within the caller's own.")
        .request::<api::GrantBody>()
        .response::<api::Officer>()
        .personal(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/officers/{officer}/grants/revoke",
            need(OfficersManage, Officer("officer")),
            api::revoke_grant,
        )
        .summary("Revoke a role.")
        .request::<api::GrantBody>()
        .response::<api::Officer>()
        .personal(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/officers/{officer}/disable",
            need(OfficersManage, Officer("officer")),
            api::disable,
        )
        .summary("Disable an officer: their sessions and tokens stop working at once.")
        .request::<api::DisableBody>()
        .response::<api::Officer>()
        .personal(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/officers/{officer}/enable",
            need(OfficersManage, Officer("officer")),
            api::enable,
        )
        .summary("Enable a disabled officer.")
        .response::<api::Officer>()
        .personal(),
        Route::new(Api, M::GET, "/api/v1/audit/reads", need(AuditRead, Any), api::audit_reads)
            .summary("Audit records of reads of personal data, newest first, within the caller's scopes.")
            .query::<api::AuditQuery>()
            .response::<Vec<api::AuditRecord>>()
            .personal(),
        Route::new(Api, M::GET, "/api/v1/travel-bans", need(TravelBansRead, Any), travel_bans::list)
            .summary("Travel-ban orders, newest first, searched by name, alias, order id or decision number, by kind and by status today.")
            .query::<travel_bans::TravelBanQuery>()
            .response::<travel_bans::TravelBanPage>()
            .personal(),
        Route::new(Api, M::POST, "/api/v1/screenings", need(Screen, Any), screening::screen)
            .summary("Screen a traveller and their document against travel-ban orders and Interpol data: hits with scores, what matched and how, and the rule each brings into play for the direction of travel. Recorded as a read of personal data.")
            .request::<gapura_screening::ScreeningRequest>()
            .response::<screening::ScreeningAnswer>()
            .personal(),
        Route::new(Api, M::POST, "/api/v1/travel-bans", need(TravelBansManage, Any), travel_bans::create)
            .summary("Issue a travel-ban order; a rule's refusal answers 422 with the rule's code.")
            .request::<travel_bans::NewTravelBan>()
            .response::<travel_bans::TravelBanDetail>()
            .success(201)
            .personal(),
        Route::new(Api, M::GET, "/api/v1/travel-bans/{order}", need(TravelBansRead, Any), travel_bans::one)
            .summary("One travel-ban order with its history.")
            .response::<travel_bans::TravelBanDetail>()
            .personal(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/travel-bans/{order}/extensions",
            need(TravelBansManage, Any),
            travel_bans::extension,
        )
        .summary("Extend a travel-ban order to a new last day.")
        .request::<travel_bans::ExtensionBody>()
        .response::<travel_bans::TravelBanDetail>()
        .personal(),
        Route::new(
            Api,
            M::POST,
            "/api/v1/travel-bans/{order}/revocation",
            need(TravelBansManage, Any),
            travel_bans::revocation,
        )
        .summary("Revoke a travel-ban order.")
        .request::<travel_bans::RevocationBody>()
        .response::<travel_bans::TravelBanDetail>()
        .personal(),
        Route::new(
            Api,
            M::GET,
            "/api/v1/travel-ban-authorities",
            need(ReferenceRead, Any),
            travel_bans::authorities,
        )
        .summary("The authorities that may request or order a travel ban, with their legal basis.")
        .response::<Vec<travel_bans::Authority>>(),
        // The console.
        Route::new(Console, M::GET, "/console/login", Access::Public, console::login_page)
            .summary("Sign in."),
        Route::new(Console, M::POST, "/console/login", Access::Public, console::login).summary("Sign in."),
        Route::new(Console, M::GET, "/console/lang/{lang}", Access::Public, console::set_language)
            .summary("Switch the console's language."),
        Route::new(Console, M::POST, "/console/logout", need(Authenticated, Any), console::logout)
            .summary("Sign out."),
        Route::new(Console, M::GET, "/console", need(Authenticated, Any), console::home).summary("Home."),
        Route::new(Console, M::GET, "/console/account", need(Authenticated, Any), console::account)
            .summary("Own account, password and tokens."),
        Route::new(
            Console,
            M::POST,
            "/console/account/password",
            need(Authenticated, Any),
            console::change_password,
        )
        .summary("Change own password."),
        Route::new(
            Console,
            M::POST,
            "/console/account/tokens",
            need(Authenticated, Any),
            console::create_token,
        )
        .summary("Issue an API token."),
        Route::new(
            Console,
            M::POST,
            "/console/account/tokens/{token_id}/revoke",
            need(Authenticated, Any),
            console::revoke_token,
        )
        .summary("Revoke an API token."),
        Route::new(
            Console,
            M::GET,
            "/console/service-points",
            need(ReferenceRead, Any),
            console::service_points,
        )
        .summary("Service points."),
        Route::new(
            Console,
            M::GET,
            "/console/service-points/{code}",
            need(ReferenceRead, Any),
            console::service_point,
        )
        .summary("A service point."),
        Route::new(
            Console,
            M::POST,
            "/console/service-points/{code}/officers",
            need(OfficersManage, Point("code")),
            console::create_officer,
        )
        .summary("Create an officer at a service point.")
        .personal(),
        Route::new(Console, M::GET, "/console/officers", need(OfficersRead, Any), console::officers)
            .summary("Officers.")
            .personal(),
        Route::new(
            Console,
            M::GET,
            "/console/officers/{officer}",
            need(OfficersRead, Officer("officer")),
            console::officer,
        )
        .summary("An officer.")
        .personal(),
        Route::new(
            Console,
            M::POST,
            "/console/officers/{officer}/grants",
            need(OfficersManage, Officer("officer")),
            console::grant,
        )
        .summary("Grant a role.")
        .personal(),
        Route::new(
            Console,
            M::POST,
            "/console/officers/{officer}/grants/revoke",
            need(OfficersManage, Officer("officer")),
            console::revoke_grant,
        )
        .summary("Revoke a role.")
        .personal(),
        Route::new(
            Console,
            M::POST,
            "/console/officers/{officer}/disable",
            need(OfficersManage, Officer("officer")),
            console::disable,
        )
        .summary("Disable an officer.")
        .personal(),
        Route::new(
            Console,
            M::POST,
            "/console/officers/{officer}/enable",
            need(OfficersManage, Officer("officer")),
            console::enable,
        )
        .summary("Enable an officer.")
        .personal(),
        Route::new(Console, M::GET, "/console/audit", need(AuditRead, Any), console::audit)
            .summary("Audit search.")
            .personal(),
        Route::new(Console, M::GET, "/console/screening", need(Screen, Any), screening_pages::form)
            .summary("Screen a traveller and their document."),
        Route::new(Console, M::POST, "/console/screening", need(Screen, Any), screening_pages::screen)
            .summary("Screen a traveller and their document.")
            .personal(),
        Route::new(Console, M::GET, "/console/travel-bans", need(TravelBansRead, Any), travel_ban_pages::list)
            .summary("Travel-ban orders.")
            .personal(),
        Route::new(
            Console,
            M::GET,
            "/console/travel-bans/new",
            need(TravelBansManage, Any),
            travel_ban_pages::new_form,
        )
        .summary("The form for a new travel-ban order."),
        Route::new(Console, M::POST, "/console/travel-bans", need(TravelBansManage, Any), travel_ban_pages::create)
            .summary("Issue a travel-ban order.")
            .personal(),
        Route::new(
            Console,
            M::GET,
            "/console/travel-bans/{order}",
            need(TravelBansRead, Any),
            travel_ban_pages::detail,
        )
        .summary("A travel-ban order and its history.")
        .personal(),
        Route::new(
            Console,
            M::POST,
            "/console/travel-bans/{order}/extensions",
            need(TravelBansManage, Any),
            travel_ban_pages::extend,
        )
        .summary("Extend a travel-ban order.")
        .personal(),
        Route::new(
            Console,
            M::POST,
            "/console/travel-bans/{order}/revocation",
            need(TravelBansManage, Any),
            travel_ban_pages::revoke,
        )
        .summary("Revoke a travel-ban order.")
        .personal(),
    ]
}

/// Builds the router from the table, each route behind its guard.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for route in table() {
        let info = Arc::new(route.info);
        let guarded =
            route.handler.layer(axum::middleware::from_fn_with_state((state.clone(), info.clone()), guard));
        router = router.route(info.path, guarded);
    }
    router.fallback(ops::not_found).with_state(state)
}

fn refuse(info: &RouteInfo, lang_src: &axum::http::request::Parts, e: ApiError) -> Response {
    match info.surface {
        Surface::Console => console::error_page(console::lang_of(&lang_src.headers), &e),
        _ => e.into_response(),
    }
}

/// A refusal once the caller is known: the console keeps its shell around the refusal.
fn refuse_caller(
    info: &RouteInfo,
    parts: &axum::http::request::Parts,
    caller: &Caller,
    e: ApiError,
) -> Response {
    match info.surface {
        Surface::Console => {
            let here = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/console");
            console::error_page_for(console::lang_of(&parts.headers), Some(caller), here, &e)
        }
        _ => e.into_response(),
    }
}

/// Authenticates the caller, checks the route's permission and scope, checks the CSRF token
/// of a console form, and hands the handler a [`Caller`].
async fn guard(
    State((state, info)): State<(AppState, Arc<RouteInfo>)>,
    req: Request,
    next: Next,
) -> Response {
    let Access::Officer(permission, target) = info.access else { return next.run(req).await };
    let (mut parts, body) = req.into_parts();
    let ctx = parts.extensions.get::<RequestCtx>().cloned().unwrap_or_default();
    let now = state.now();
    let db = match state.db() {
        Ok(db) => db,
        Err(e) => return refuse(&info, &parts, e),
    };

    // Who is calling.
    let mut session_opened_ms = None;
    let (officer, via) = match info.surface {
        Surface::Api => {
            let token = parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty());
            let Some(token) = token else { return ApiError::unauthenticated().into_response() };
            let hash = sha256_hex(token);
            match db.read(move |r| r.token(&hash, now)).await {
                Ok(Some(t)) => (t.officer, Via::Token { token_id: t.token_id }),
                Ok(None) => {
                    return ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_token",
                        "the bearer token is unknown, revoked or expired",
                    )
                    .into_response()
                }
                Err(e) => return e.into_response(),
            }
        }
        _ => {
            let cookie = console::session_cookie(&parts.headers);
            let session = cookie.as_deref().and_then(|c| state.sessions.touch(c, now));
            match (session, cookie) {
                (Some(s), Some(c)) => {
                    session_opened_ms = Some(s.created_ms);
                    (s.officer.to_string(), Via::Session { cookie: c, csrf: s.csrf })
                }
                _ => return console::to_login(&parts),
            }
        }
    };
    let who = officer.clone();
    let account = match db.read(move |r| r.account(&who)).await {
        Ok(a) => a,
        Err(e) => return refuse(&info, &parts, e),
    };
    // A session opened before the account last changed (password, status) has ended, also
    // when the change was made through another server process.
    let stale = session_opened_ms.zip(account.as_ref()).is_some_and(|(opened, a)| opened < a.changed_ms);
    let account = match account {
        Some(a) if !a.disabled && !stale => a,
        _ => {
            if let Via::Session { cookie, .. } = &via {
                state.sessions.remove(cookie);
            }
            return match info.surface {
                Surface::Api => ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "account_disabled",
                    "the account this token belongs to is disabled",
                )
                .into_response(),
                _ => console::to_login(&parts),
            };
        }
    };
    let route = format!("{} {}", info.method, info.path);
    let caller = Caller {
        officer: account.officer.clone(),
        home_point: account.home_point.clone(),
        grants: account.grants.clone(),
        address: ctx.address.clone(),
        request_id: ctx.id.clone(),
        route,
        via,
    };

    // May they?
    if !caller.has(permission) {
        return refuse_caller(
            &info,
            &parts,
            &caller,
            ApiError::forbidden(format!(
                "this needs the permission {}, which none of your roles carries",
                permission.as_str()
            )),
        );
    }
    let point_param = match target {
        Target::Any => None,
        Target::Point(p) | Target::Officer(p) => {
            let params = match RawPathParams::from_request_parts(&mut parts, &state).await {
                Ok(p) => p,
                Err(e) => {
                    return refuse_caller(
                        &info,
                        &parts,
                        &caller,
                        ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", e.to_string()),
                    )
                }
            };
            let value = params.iter().find(|(k, _)| *k == p).map(|(_, v)| v.to_owned());
            Some(value.unwrap_or_default())
        }
    };
    if let Some(value) = point_param {
        let point = match target {
            Target::Officer(_) => {
                let v = value.clone();
                match db.read(move |r| r.account(&v)).await {
                    Ok(Some(a)) => a.home_point.to_string(),
                    Ok(None) => {
                        return refuse_caller(
                            &info,
                            &parts,
                            &caller,
                            ApiError::not_found(format!("there is no officer {value:?}")),
                        )
                    }
                    Err(e) => return refuse_caller(&info, &parts, &caller, e),
                }
            }
            _ => value,
        };
        let p = point.clone();
        let ancestors = match db.read(move |r| r.ancestors(&p)).await {
            Ok(a) => a,
            Err(e) => return refuse_caller(&info, &parts, &caller, e),
        };
        if ancestors.is_empty() {
            return refuse_caller(
                &info,
                &parts,
                &caller,
                ApiError::not_found(format!("there is no service point {point:?}")),
            );
        }
        if !caller.covers(permission, &ancestors) {
            return refuse_caller(
                &info,
                &parts,
                &caller,
                ApiError::forbidden(match target {
                    Target::Officer(_) => format!(
                        "your roles carry {} only for other service points than this officer's",
                        permission.as_str()
                    ),
                    _ => format!(
                        "your roles carry {} only for other service points, not for {point}",
                        permission.as_str()
                    ),
                }),
            );
        }
    }

    // A console form must carry the session's CSRF token.
    let body = if info.surface == Surface::Console && parts.method != Method::GET {
        let bytes = match axum::body::to_bytes(body, BODY_BYTES_MAX).await {
            Ok(b) => b,
            Err(_) => {
                return refuse_caller(
                    &info,
                    &parts,
                    &caller,
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        format!("a form is at most {BODY_BYTES_MAX} bytes"),
                    ),
                )
            }
        };
        let sent = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
        let expected = caller.csrf().unwrap_or_default();
        if sent.map(|s| sha256_hex(&s)) != Some(sha256_hex(expected)) {
            return refuse_caller(
                &info,
                &parts,
                &caller,
                ApiError::forbidden(
                    "the form's security token is missing or stale; reload the page and try again",
                )
                .with_code("csrf_failed"),
            );
        }
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(caller);
    next.run(Request::from_parts(parts, body)).await
}

impl ApiError {
    fn with_code(mut self, code: &str) -> ApiError {
        self.body.code = code.into();
        self
    }
}

/// The point a path parameter names, parsed.
pub fn point_code(code: &str) -> Result<ServicePointCode, ApiError> {
    ServicePointCode::parse(code).map_err(|e| ApiError::invalid("code", e.to_string()))
}

/// Sets the caching headers of a page that carries personal data or a session.
pub fn private(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}
