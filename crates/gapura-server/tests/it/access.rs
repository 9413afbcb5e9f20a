//! Every route × every role × own and other scope.
//!
//! Each route of `routes::table()` declares the permission it needs and the service point it
//! is checked against. These tests walk the table itself, so a new route is covered the day it
//! is added: a route needing an officer fails `every_route_answers_by_role_and_scope` until it
//! has an example request in `example`, and a new public route fails it until it is listed in
//! `PUBLIC`.

use std::collections::{BTreeSet, HashMap};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use gapura_domain::{
    Event, OfficerCreated, OfficerGrant, OfficerId, OfficerStatus, Permission, Role, Scope, ServicePointCode,
    TokenIssued, TokenRevoked,
};
use gapura_server::routes::{table, Access, RouteInfo, Surface, Target};
use serde_json::{json, Value};

use crate::{csrf_in, set_cookie, Reply, Session, TestApp, T0_MS};

/// The password of every officer these tests create.
const PASSWORD: &str = "correct horse battery";

/// Every route that answers without a credential. A route added as `Access::Public` fails
/// `every_route_answers_by_role_and_scope` until someone consciously adds it here.
const PUBLIC: &[&str] = &[
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
    "GET /api/openapi.json",
    "GET /api/docs",
    "GET /static/{file}",
    "GET /",
    "GET /console/login",
    "POST /console/login",
    "GET /console/lang/{lang}",
];

/// The chain of parents of the service points used as targets (itself first), as the
/// reference data has them; checked against the store at the start of the matrix.
fn ancestors(point: &str) -> &'static [&'static str] {
    match point {
        "TPI-CGK" => &["TPI-CGK", "KANWIL-BANTEN"],
        "KANIM-SOETTA" => &["KANIM-SOETTA", "KANWIL-BANTEN"],
        "KANWIL-BANTEN" => &["KANWIL-BANTEN"],
        "KANIM-JKS" => &["KANIM-JKS", "KANWIL-DKI"],
        other => panic!("no ancestors known for {other}"),
    }
}

/// Whether a scope (`point:X`, `region:R`, `national`) covers a point: the rule of the issue,
/// written out here rather than borrowed from the code under test.
fn covers(scope: &str, point: &str) -> bool {
    if scope == "national" {
        return true;
    }
    if let Some(p) = scope.strip_prefix("point:") {
        return p == point;
    }
    if let Some(r) = scope.strip_prefix("region:") {
        return ancestors(point).contains(&r);
    }
    false
}

/// The points a caller with this scope is sent against: its own first, then others.
fn targets(scope: &str) -> &'static [&'static str] {
    match scope {
        "point:TPI-CGK" => &["TPI-CGK", "KANIM-SOETTA", "KANIM-JKS"],
        "region:KANWIL-BANTEN" => &["KANIM-SOETTA", "KANWIL-BANTEN", "KANIM-JKS"],
        _ => &["TPI-CGK", "KANIM-JKS"],
    }
}

fn route_name(info: &RouteInfo) -> String {
    format!("{} {}", info.method, info.path)
}

/// Officers, grants and tokens to append in one go, all with one password hash (argon2 is
/// slow on purpose; hashing once keeps hundreds of officers cheap).
struct Fixtures {
    hash: String,
    events: Vec<Event>,
    n: usize,
    readable: HashMap<String, String>,
    orders: u16,
    readable_order: Option<String>,
}

impl Fixtures {
    fn new() -> Fixtures {
        let hash = gapura_server::auth::hash_password(PASSWORD).unwrap();
        Fixtures { hash, events: Vec::new(), n: 0, readable: HashMap::new(), orders: 0, readable_order: None }
    }

    /// A login no officer has yet.
    fn fresh_login(&mut self) -> String {
        self.n += 1;
        format!("t.{}", self.n)
    }

    fn officer_named(&mut self, login: &str, point: &str, grants: &[(Role, &str)], disabled: bool) {
        let officer = OfficerId::parse(login).unwrap();
        self.events.push(Event::OfficerCreated(OfficerCreated {
            officer: officer.clone(),
            name: "Invented Person".into(),
            home_point: ServicePointCode::parse(point).unwrap(),
            password_hash: self.hash.clone(),
        }));
        for (role, scope) in grants {
            self.events.push(Event::RoleGranted(OfficerGrant {
                officer: officer.clone(),
                role: *role,
                scope: Scope::parse(scope).unwrap(),
            }));
        }
        if disabled {
            self.events.push(Event::OfficerDisabled(OfficerStatus { officer, reason: "on leave".into() }));
        }
    }

    /// A new officer whose home is `point`.
    fn officer(&mut self, point: &str, grants: &[(Role, &str)], disabled: bool) -> String {
        let login = self.fresh_login();
        self.officer_named(&login, point, grants, disabled);
        login
    }

    /// An officer at `point` that is only ever read, shared by every read of that point.
    fn readable_at(&mut self, point: &str) -> String {
        if let Some(l) = self.readable.get(point) {
            return l.clone();
        }
        let scope = format!("point:{point}");
        let l = self.officer(point, &[(Role::BorderOfficer, scope.as_str())], false);
        self.readable.insert(point.to_owned(), l.clone());
        l
    }

    /// A new prevention order in force from T0 (for six months), ready to be read, extended or
    /// revoked: its id.
    fn order(&mut self) -> String {
        self.orders += 1;
        let id = gapura_domain::OrderId::from_random(
            2026,
            [0xac, 0xce, 0x55, (self.orders >> 8) as u8, self.orders as u8],
        );
        let t0: gapura_domain::Date = "2026-11-23".parse().unwrap();
        let cmd = gapura_domain::travel_ban::IssueOrder {
            order_id: id.clone(),
            kind: gapura_domain::OrderKind::Prevention,
            authority: gapura_domain::AuthorityCode::parse("KPK").unwrap(),
            legal_basis: "UU 6/2011 Pasal 91 ayat (2) huruf d".into(),
            decision_number: format!("KEP-ACCESS-{}", self.orders),
            decision_date: t0,
            subject: gapura_domain::Subject {
                names: vec!["Invented Person".into()],
                sex: None,
                place_of_birth: None,
                date_of_birth: None,
                nationality: None,
                documents: Vec::new(),
                nik: None,
                photo_sha256: None,
            },
            reason: gapura_domain::Reason {
                category: gapura_domain::ReasonCategory::Other,
                text: "access matrix".into(),
            },
            start: t0,
            last_day: Some("2027-05-22".parse().unwrap()),
        };
        let issued = gapura_domain::travel_ban::issue(cmd, t0, true).unwrap();
        self.events.push(Event::TravelBanIssued(issued));
        id.to_string()
    }

    /// An order that is only ever read, shared by every read.
    fn readable_order(&mut self) -> String {
        if let Some(o) = &self.readable_order {
            return o.clone();
        }
        let o = self.order();
        self.readable_order = Some(o.clone());
        o
    }

    /// A live API token of `officer`: (bearer secret, token id).
    fn token(&mut self, officer: &str) -> (String, String) {
        self.token_expiring(officer, T0_MS + 30 * 86_400_000)
    }

    fn token_expiring(&mut self, officer: &str, expires_ms: i64) -> (String, String) {
        let (secret, token_id, secret_sha256) = gapura_server::auth::new_token();
        self.events.push(Event::TokenIssued(TokenIssued {
            officer: OfficerId::parse(officer).unwrap(),
            token_id: token_id.clone(),
            secret_sha256,
            label: "access test".into(),
            expires_ms,
        }));
        (secret, token_id)
    }

    async fn commit(&mut self, app: &TestApp) {
        let events = std::mem::take(&mut self.events);
        if !events.is_empty() {
            app.append(events).await;
        }
    }
}

/// What a request carries besides its path.
#[derive(Debug, Clone)]
enum Payload {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
    /// `current_password` and `new_password`, filled in when sent (JSON or form by surface).
    Password,
}

/// A valid request for a route.
#[derive(Debug, Clone)]
struct Example {
    path: String,
    payload: Payload,
    /// Succeeding ends the caller's console session (signing out).
    ends_session: bool,
}

fn ex(path: impl Into<String>, payload: Payload) -> Option<Example> {
    Some(Example { path: path.into(), payload, ends_session: false })
}

fn form(fields: &[(&'static str, &str)]) -> Payload {
    Payload::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

/// A valid request for every route that needs an officer, as `caller` sends it against a
/// target whose service point is `point` (ignored by routes whose target is `Any`). Targets
/// that change state are created fresh per request so that no request depends on another.
///
/// `None` for a route without an example: a new route must get one here, or the matrix fails
/// naming it.
fn example(info: &RouteInfo, caller: &str, point: &str, fx: &mut Fixtures) -> Option<Example> {
    let scope = format!("point:{point}");
    match (info.method.as_str(), info.path) {
        // The API.
        ("GET", "/api/v1/me") => ex("/api/v1/me", Payload::None),
        ("POST", "/api/v1/me/password") => ex("/api/v1/me/password", Payload::Password),
        ("GET", "/api/v1/me/tokens") => ex("/api/v1/me/tokens", Payload::None),
        ("POST", "/api/v1/me/tokens") => {
            ex("/api/v1/me/tokens", Payload::Json(json!({ "label": "access matrix", "days": 30 })))
        }
        ("DELETE", "/api/v1/me/tokens/{token_id}") => {
            let (_, id) = fx.token(caller);
            ex(format!("/api/v1/me/tokens/{id}"), Payload::None)
        }
        ("GET", "/api/v1/service-points") => ex("/api/v1/service-points?q=jakarta&limit=5", Payload::None),
        ("GET", "/api/v1/service-points/{code}") => ex("/api/v1/service-points/KANIM-JKS", Payload::None),
        ("POST", "/api/v1/service-points/{code}/officers") => {
            let login = fx.fresh_login();
            ex(
                format!("/api/v1/service-points/{point}/officers"),
                Payload::Json(json!({
                    "officer": login, "name": "Invented Person", "password": PASSWORD, "grants": []
                })),
            )
        }
        ("GET", "/api/v1/officers") => ex("/api/v1/officers?limit=5", Payload::None),
        ("GET", "/api/v1/officers/{officer}") => {
            ex(format!("/api/v1/officers/{}", fx.readable_at(point)), Payload::None)
        }
        ("POST", "/api/v1/officers/{officer}/grants") => {
            let t = fx.officer(point, &[], false);
            ex(
                format!("/api/v1/officers/{t}/grants"),
                Payload::Json(json!({ "role": "border-officer", "scope": scope })),
            )
        }
        ("POST", "/api/v1/officers/{officer}/grants/revoke") => {
            let t = fx.officer(point, &[(Role::BorderOfficer, scope.as_str())], false);
            ex(
                format!("/api/v1/officers/{t}/grants/revoke"),
                Payload::Json(json!({ "role": "border-officer", "scope": scope })),
            )
        }
        ("POST", "/api/v1/officers/{officer}/disable") => {
            let t = fx.officer(point, &[], false);
            ex(format!("/api/v1/officers/{t}/disable"), Payload::Json(json!({ "reason": "access matrix" })))
        }
        ("POST", "/api/v1/officers/{officer}/enable") => {
            let t = fx.officer(point, &[], true);
            ex(format!("/api/v1/officers/{t}/enable"), Payload::None)
        }
        ("GET", "/api/v1/audit/reads") => ex("/api/v1/audit/reads?limit=5", Payload::None),
        ("POST", "/api/v1/screenings") => ex(
            "/api/v1/screenings",
            Payload::Json(json!({ "surname": "Soeharjo", "given_names": "Bambang", "direction": "exit" })),
        ),
        ("GET", "/api/v1/travel-bans") => {
            ex("/api/v1/travel-bans?q=soe&status=in_force&limit=5", Payload::None)
        }
        ("POST", "/api/v1/travel-bans") => ex("/api/v1/travel-bans", Payload::Json(new_order())),
        ("GET", "/api/v1/travel-bans/{order}") => {
            ex(format!("/api/v1/travel-bans/{}", fx.readable_order()), Payload::None)
        }
        ("POST", "/api/v1/travel-bans/{order}/extensions") => ex(
            format!("/api/v1/travel-bans/{}/extensions", fx.order()),
            Payload::Json(json!({
                "decision_number": "KEP-ACCESS-X", "legal_basis": "UU 6/2011 Pasal 97 ayat (1)",
                "decision_date": "2026-11-23", "new_last_day": "2027-11-22"
            })),
        ),
        ("POST", "/api/v1/travel-bans/{order}/revocation") => ex(
            format!("/api/v1/travel-bans/{}/revocation", fx.order()),
            Payload::Json(json!({
                "decision_number": "KEP-ACCESS-C", "decision_date": "2026-11-23", "reason": "access matrix"
            })),
        ),
        ("GET", "/api/v1/travel-ban-authorities") => ex("/api/v1/travel-ban-authorities", Payload::None),
        // The console.
        ("POST", "/console/logout") => {
            Some(Example { path: "/console/logout".into(), payload: form(&[]), ends_session: true })
        }
        ("GET", "/console") => ex("/console", Payload::None),
        ("GET", "/console/account") => ex("/console/account", Payload::None),
        ("POST", "/console/account/password") => ex("/console/account/password", Payload::Password),
        ("POST", "/console/account/tokens") => {
            ex("/console/account/tokens", form(&[("label", "access matrix"), ("days", "30")]))
        }
        ("POST", "/console/account/tokens/{token_id}/revoke") => {
            let (_, id) = fx.token(caller);
            ex(format!("/console/account/tokens/{id}/revoke"), form(&[]))
        }
        ("GET", "/console/service-points") => ex("/console/service-points?q=jakarta", Payload::None),
        ("GET", "/console/service-points/{code}") => ex("/console/service-points/KANIM-JKS", Payload::None),
        ("POST", "/console/service-points/{code}/officers") => {
            let login = fx.fresh_login();
            ex(
                format!("/console/service-points/{point}/officers"),
                form(&[("officer", &login), ("name", "Invented Person"), ("password", PASSWORD)]),
            )
        }
        ("GET", "/console/officers") => ex("/console/officers?limit=5", Payload::None),
        ("GET", "/console/officers/{officer}") => {
            ex(format!("/console/officers/{}", fx.readable_at(point)), Payload::None)
        }
        ("POST", "/console/officers/{officer}/grants") => {
            let t = fx.officer(point, &[], false);
            ex(
                format!("/console/officers/{t}/grants"),
                form(&[("role", "border-officer"), ("scope", &scope)]),
            )
        }
        ("POST", "/console/officers/{officer}/grants/revoke") => {
            let t = fx.officer(point, &[(Role::BorderOfficer, scope.as_str())], false);
            ex(
                format!("/console/officers/{t}/grants/revoke"),
                form(&[("role", "border-officer"), ("scope", &scope)]),
            )
        }
        ("POST", "/console/officers/{officer}/disable") => {
            let t = fx.officer(point, &[], false);
            ex(format!("/console/officers/{t}/disable"), form(&[("reason", "access matrix")]))
        }
        ("POST", "/console/officers/{officer}/enable") => {
            let t = fx.officer(point, &[], true);
            ex(format!("/console/officers/{t}/enable"), form(&[]))
        }
        // With a query, so that the page searches (and reads records about people).
        ("GET", "/console/audit") => ex("/console/audit?officer=admin", Payload::None),
        ("GET", "/console/screening") => ex("/console/screening", Payload::None),
        ("POST", "/console/screening") => ex(
            "/console/screening",
            form(&[("surname", "Soeharjo"), ("given_names", "Bambang"), ("direction", "exit")]),
        ),
        ("GET", "/console/travel-bans") => ex("/console/travel-bans?q=soe&kind=prevention", Payload::None),
        ("GET", "/console/travel-bans/new") => ex("/console/travel-bans/new", Payload::None),
        ("POST", "/console/travel-bans") => ex(
            "/console/travel-bans",
            form(&[
                ("kind", "prevention"),
                ("authority", "KPK"),
                ("decision_number", "KEP-ACCESS-CONSOLE"),
                ("decision_date", "2026-11-23"),
                ("names", "Invented Person\nInvented P."),
                ("reason_category", "corruption"),
                ("reason_text", "access matrix"),
                ("start", "2026-11-23"),
                ("last_day", "2027-05-22"),
            ]),
        ),
        ("GET", "/console/travel-bans/{order}") => {
            ex(format!("/console/travel-bans/{}", fx.readable_order()), Payload::None)
        }
        ("POST", "/console/travel-bans/{order}/extensions") => ex(
            format!("/console/travel-bans/{}/extensions", fx.order()),
            form(&[
                ("decision_number", "KEP-ACCESS-X"),
                ("legal_basis", "UU 6/2011 Pasal 97 ayat (1)"),
                ("decision_date", "2026-11-23"),
                ("new_last_day", "2027-11-22"),
            ]),
        ),
        ("POST", "/console/travel-bans/{order}/revocation") => ex(
            format!("/console/travel-bans/{}/revocation", fx.order()),
            form(&[
                ("decision_number", "KEP-ACCESS-C"),
                ("decision_date", "2026-11-23"),
                ("reason", "access matrix"),
            ]),
        ),
        _ => None,
    }
}

/// A valid new order, as the API takes it.
fn new_order() -> Value {
    json!({
        "kind": "prevention", "authority": "KPK", "decision_number": "KEP-ACCESS-API",
        "decision_date": "2026-11-23",
        "subject": { "names": ["Invented Person"], "nationality": "IDN" },
        "reason": { "category": "corruption", "text": "access matrix" },
        "start": "2026-11-23", "last_day": "2027-05-22"
    })
}

/// An officer making requests: a bearer token for the API, a console session made on demand.
struct Caller {
    login: String,
    role: Option<Role>,
    scope: &'static str,
    token: String,
    password: String,
    changes: usize,
    session: Option<Session>,
}

impl Caller {
    fn new(login: &str, role: Option<Role>, scope: &'static str, token: String) -> Caller {
        Caller {
            login: login.to_owned(),
            role,
            scope,
            token,
            password: PASSWORD.to_owned(),
            changes: 0,
            session: None,
        }
    }

    fn role_name(&self) -> &'static str {
        self.role.map_or("(no role)", Role::as_str)
    }
}

/// Sends an example as `c`: with its token on the API, in its console session elsewhere
/// (signing in again when a previous request ended the session).
async fn send(app: &TestApp, info: &RouteInfo, c: &mut Caller, e: &Example) -> Reply {
    let new_password = format!("{PASSWORD} {}", c.changes + 1);
    if info.surface == Surface::Api {
        let body = match &e.payload {
            Payload::None => None,
            Payload::Json(v) => Some(v.clone()),
            Payload::Form(_) => panic!("{}: an API example has a form", route_name(info)),
            Payload::Password => {
                Some(json!({ "current_password": c.password, "new_password": new_password }))
            }
        };
        let r = app.api(info.method.clone(), &e.path, Some(&c.token), body).await;
        if r.status.is_success() && matches!(e.payload, Payload::Password) {
            // A new password ends every console session of the officer.
            c.password = new_password;
            c.changes += 1;
            c.session = None;
        }
        return r;
    }
    if c.session.is_none() {
        c.session = Some(app.login(&c.login, &c.password).await);
    }
    let fields: Vec<(&str, String)> = match &e.payload {
        Payload::None => Vec::new(),
        Payload::Form(f) => f.clone(),
        Payload::Json(_) => panic!("{}: a console example has a JSON body", route_name(info)),
        Payload::Password => {
            vec![("current_password", c.password.clone()), ("new_password", new_password.clone())]
        }
    };
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.console(info.method.clone(), &e.path, c.session.as_ref(), &fields).await;
    if succeeded(info, &r) {
        if e.ends_session {
            c.session = None;
        }
        if matches!(e.payload, Payload::Password) {
            // Every session ended with the change; the page carries the new one.
            c.password = new_password;
            c.changes += 1;
            c.session = match (set_cookie(&r.headers, "gapura_session"), csrf_in(&r.text())) {
                (Some(cookie), Some(csrf)) => Some(Session { cookie, csrf }),
                _ => None,
            };
        }
    }
    r
}

/// The error code of a reply: `code` of a JSON error body, `data-code` of a console page.
fn code_of(r: &Reply) -> Option<String> {
    if let Ok(v) = serde_json::from_slice::<Value>(&r.body) {
        return v.get("code").and_then(Value::as_str).map(str::to_owned);
    }
    let text = r.text();
    let i = text.find("data-code=\"")? + "data-code=\"".len();
    let rest = &text[i..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// A status with its error code or redirect target, for a table of mismatches.
fn got(r: &Reply) -> String {
    let mut s = r.status.as_u16().to_string();
    if let Some(loc) = r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()) {
        s.push_str(&format!(" → {loc}"));
    } else if !r.status.is_success() {
        if let Some(code) = code_of(r) {
            s.push_str(&format!(" {code}"));
        }
    }
    s
}

/// Whether a reply is the success of its route: the documented status on the API; on the
/// console a page, or a redirect anywhere but back through the login form (a lost session;
/// signing out redirects to the bare form).
fn succeeded(info: &RouteInfo, r: &Reply) -> bool {
    match info.surface {
        Surface::Api => r.status.as_u16() == info.doc.success,
        _ => {
            let to_login = r
                .headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l.starts_with("/console/login?"));
            r.status.as_u16() < 400 && !to_login
        }
    }
}

fn refused(r: &Reply) -> bool {
    r.status == StatusCode::FORBIDDEN && code_of(r).as_deref() == Some("forbidden")
}

/// Renders rows as an aligned text table.
fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}", w = *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(rows.iter().map(|r| line(r.iter().map(String::as_str).collect())));
    out.join("\n")
}

fn short(role: Option<Role>) -> &'static str {
    match role {
        None => "none",
        Some(Role::BorderOfficer) => "bo",
        Some(Role::PassportOfficer) => "po",
        Some(Role::VisaOfficer) => "vo",
        Some(Role::TravelBanAdministrator) => "tba",
        Some(Role::Supervisor) => "sup",
        Some(Role::SystemAdministrator) => "sa",
        Some(Role::Auditor) => "aud",
    }
}

#[tokio::test]
async fn every_route_answers_by_role_and_scope() {
    let infos: Vec<RouteInfo> = table().into_iter().map(|r| r.info).collect();

    // The public routes are exactly those listed, and every other route has an example.
    let public: BTreeSet<String> =
        infos.iter().filter(|i| i.access == Access::Public).map(route_name).collect();
    let listed: BTreeSet<String> = PUBLIC.iter().map(|s| s.to_string()).collect();
    let mut problems = Vec::new();
    for r in public.difference(&listed) {
        problems.push(format!("{r} is public but not in PUBLIC: list it if it must answer anyone"));
    }
    for r in listed.difference(&public) {
        problems.push(format!("{r} is in PUBLIC but is not a public route of the table"));
    }
    let mut probe = Fixtures {
        hash: String::new(),
        events: Vec::new(),
        n: 0,
        readable: HashMap::new(),
        orders: 0,
        readable_order: None,
    };
    for info in infos.iter().filter(|i| i.access != Access::Public) {
        let name = route_name(info);
        if example(info, "admin", "TPI-CGK", &mut probe).is_none() {
            problems
                .push(format!("{name} needs an officer but has no example request in access.rs `example`"));
        }
        // The guard authenticates by the surface: an Ops route would take a session cookie
        // without checking a form's CSRF token.
        if info.surface == Surface::Ops {
            problems.push(format!("{name} needs an officer on the Ops surface: declare it Api or Console"));
        }
        if let Access::Officer(_, Target::Point(p) | Target::Officer(p)) = info.access {
            if !info.path.contains(&format!("{{{p}}}")) {
                problems.push(format!("{name} is checked against the parameter {p:?}, not in its path"));
            }
        }
    }
    assert!(problems.is_empty(), "the route table and this test disagree:\n{}", problems.join("\n"));

    let app = TestApp::new().await;
    // The oracle's map of the reference data is the store's.
    let mut reader = app.reader().await;
    for p in ["TPI-CGK", "KANIM-SOETTA", "KANWIL-BANTEN", "KANIM-JKS"] {
        let found: Vec<String> = reader.ancestors(p).unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(found, ancestors(p), "the parents of {p} in the reference data");
    }
    drop(reader);

    // One caller per role and scope, plus one without any role; all at home at TPI-CGK.
    let mut fx = Fixtures::new();
    let mut callers = Vec::new();
    let mut kinds: Vec<(Option<Role>, &'static str)> = vec![(None, "")];
    for role in Role::ALL {
        for scope in ["point:TPI-CGK", "region:KANWIL-BANTEN", "national"] {
            kinds.push((Some(role), scope));
        }
    }
    for (role, scope) in kinds {
        let kind = scope.split(':').next().unwrap_or_default();
        let login = format!("c.{}.{}", short(role), if kind.is_empty() { "x" } else { kind });
        let grants: Vec<(Role, &str)> = role.map(|r| (r, scope)).into_iter().collect();
        fx.officer_named(&login, "TPI-CGK", &grants, false);
        let (token, _) = fx.token(&login);
        callers.push(Caller::new(&login, role, scope, token));
    }

    // Plan every request first (its fresh targets are appended in one go), then send them.
    let mut plan: Vec<(usize, usize, Option<&'static str>, Example)> = Vec::new();
    for (ci, c) in callers.iter().enumerate() {
        for (ri, info) in infos.iter().enumerate() {
            let Access::Officer(_, target) = info.access else { continue };
            let points: Vec<Option<&'static str>> = match target {
                Target::Any => vec![None],
                Target::Point(_) | Target::Officer(_) => targets(c.scope).iter().map(|p| Some(*p)).collect(),
            };
            for point in points {
                let e = example(info, &c.login, point.unwrap_or("TPI-CGK"), &mut fx).unwrap();
                plan.push((ci, ri, point, e));
            }
        }
    }
    fx.commit(&app).await;

    let mut mismatches = Vec::new();
    let total = plan.len();
    for (ci, ri, point, e) in plan {
        let info = &infos[ri];
        let c = &mut callers[ci];
        let Access::Officer(permission, target) = info.access else { unreachable!() };
        let holds = permission == Permission::Authenticated
            || c.role.is_some_and(|r| r.permissions().contains(&permission));
        let in_scope = permission == Permission::Authenticated
            || match (target, point) {
                (Target::Any, _) => true,
                (_, Some(p)) => covers(c.scope, p),
                (_, None) => false,
            };
        let expect_ok = holds && in_scope;
        let r = send(&app, info, c, &e).await;
        let ok = if expect_ok { succeeded(info, &r) } else { refused(&r) };
        if !ok {
            let expected = match (expect_ok, info.surface) {
                (true, Surface::Api) => info.doc.success.to_string(),
                (true, _) => "<400".to_owned(),
                (false, _) => "403 forbidden".to_owned(),
            };
            mismatches.push(vec![
                route_name(info),
                c.role_name().to_owned(),
                if c.scope.is_empty() { "-".to_owned() } else { c.scope.to_owned() },
                point.map_or("any".to_owned(), |p| p.to_owned()),
                e.path.clone(),
                expected,
                got(&r),
            ]);
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {total} requests were not answered as their route's permission and scope say:\n{}",
        mismatches.len(),
        render(&["route", "role", "scope", "target", "path", "expected", "got"], &mismatches)
    );
}

/// A path of a route template with plausible values for its parameters.
fn filled(path: &str) -> String {
    path.replace("{code}", "TPI-CGK")
        .replace("{order}", "TB-2026-00000000")
        .replace("{officer}", "border.cgk")
        .replace("{token_id}", "0123456789abcdef")
        .replace("{file}", "missing.css")
        .replace("{lang}", "en")
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn no_credential_is_refused() {
    let app = TestApp::new().await;
    let infos: Vec<RouteInfo> = table().into_iter().map(|r| r.info).collect();
    let mut fx = Fixtures::new();
    fx.officer_named(
        "all.powers",
        "TPI-CGK",
        &[
            (Role::SystemAdministrator, "national"),
            (Role::Auditor, "national"),
            (Role::TravelBanAdministrator, "national"),
        ],
        false,
    );
    let (token, _) = fx.token("all.powers");
    let (revoked, revoked_id) = fx.token("all.powers");
    fx.events.push(Event::TokenRevoked(TokenRevoked {
        officer: OfficerId::parse("all.powers").unwrap(),
        token_id: revoked_id,
    }));
    let (expired, _) = fx.token_expiring("all.powers", T0_MS - 1);
    // Requests carry valid examples, so a check that let one through would act on it.
    let mut examples = HashMap::new();
    for info in infos.iter().filter(|i| i.access != Access::Public) {
        if let Some(e) = example(info, "all.powers", "TPI-CGK", &mut fx) {
            examples.insert(route_name(info), e);
        }
    }
    fx.commit(&app).await;
    let session = app.login("all.powers", PASSWORD).await;

    let mut failures: Vec<Vec<String>> = Vec::new();
    let fail = |failures: &mut Vec<Vec<String>>, info: &RouteInfo, case: &str, expected: &str, r: &Reply| {
        failures.push(vec![route_name(info), case.to_owned(), expected.to_owned(), got(r)]);
    };

    for info in &infos {
        let name = route_name(info);
        let e = examples.get(&name).cloned();
        let path = e.as_ref().map_or_else(|| filled(info.path), |e| e.path.clone());
        let json_body = match e.as_ref().map(|e| &e.payload) {
            Some(Payload::Json(v)) => Some(v.clone()),
            Some(Payload::Password) => {
                Some(json!({ "current_password": PASSWORD, "new_password": "a new long password" }))
            }
            _ => None,
        };
        let fields: Vec<(&str, String)> = match e.as_ref().map(|e| &e.payload) {
            Some(Payload::Form(f)) => f.clone(),
            Some(Payload::Password) => {
                vec![("current_password", PASSWORD.into()), ("new_password", "a new long password".into())]
            }
            _ => Vec::new(),
        };
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();

        if info.path.starts_with("/api/v1") {
            if info.surface != Surface::Api || info.access == Access::Public {
                failures.push(vec![name.clone(), "declaration".into(), "Api, officer".into(), "".into()]);
                continue;
            }
            let cases: [(&str, Option<&str>, &str); 4] = [
                ("no token", None, "unauthenticated"),
                ("garbage token", Some("gapura_0000_not-a-token"), "invalid_token"),
                ("revoked token", Some(revoked.as_str()), "invalid_token"),
                ("expired token", Some(expired.as_str()), "invalid_token"),
            ];
            for (case, t, code) in cases {
                let r = app.api(info.method.clone(), &path, t, json_body.clone()).await;
                let ok = r.status == StatusCode::UNAUTHORIZED
                    && r.json()["code"] == code
                    && r.headers.contains_key(header::WWW_AUTHENTICATE);
                if !ok {
                    fail(&mut failures, info, case, &format!("401 {code}"), &r);
                }
            }
            // Not a bearer credential at all.
            let req = Request::builder()
                .method(info.method.clone())
                .uri(&path)
                .header(header::AUTHORIZATION, "Basic YWRtaW46YWRtaW4=")
                .body(Body::empty())
                .unwrap();
            let r = app.send(req).await;
            if !(r.status == StatusCode::UNAUTHORIZED && r.json()["code"] == "unauthenticated") {
                fail(&mut failures, info, "basic credential", "401 unauthenticated", &r);
            }
            continue;
        }

        if !info.path.starts_with("/console") || info.access == Access::Public {
            continue;
        }
        if info.surface != Surface::Console {
            failures.push(vec![name.clone(), "declaration".into(), "Console".into(), "".into()]);
            continue;
        }
        let bogus = Session { cookie: "0".repeat(64), csrf: "0".repeat(64) };
        for (case, s) in [("no session", None), ("unknown session", Some(&bogus))] {
            let r = app.console(info.method.clone(), &path, s, &fields).await;
            if info.method == Method::GET {
                let to = format!("/console/login?next={}", urlencode(&path));
                let loc = r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok());
                if !(r.status == StatusCode::SEE_OTHER && loc == Some(to.as_str())) {
                    fail(&mut failures, info, case, &format!("303 → {to}"), &r);
                }
            } else if !(r.status == StatusCode::UNAUTHORIZED
                && code_of(&r).as_deref() == Some("unauthenticated"))
            {
                fail(&mut failures, info, case, "401 unauthenticated", &r);
            }
        }
        if info.method == Method::GET {
            continue;
        }
        // A signed-in officer allowed to do it, with a wrong and without a security token.
        let mut wrong = fields.clone();
        wrong.retain(|(k, _)| *k != "csrf");
        wrong.push(("csrf", "0000000000000000000000000000000000000000000000000000000000000000"));
        let r = app.console(info.method.clone(), &path, Some(&session), &wrong).await;
        if !(r.status == StatusCode::FORBIDDEN && r.text().contains("csrf_failed")) {
            fail(&mut failures, info, "wrong csrf", "403 csrf_failed", &r);
        }
        let body = serde_urlencoded::to_string(&fields).unwrap();
        let req = Request::builder()
            .method(info.method.clone())
            .uri(&path)
            .header(header::COOKIE, format!("gapura_session={}", session.cookie))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        if !(r.status == StatusCode::FORBIDDEN && r.text().contains("csrf_failed")) {
            fail(&mut failures, info, "missing csrf", "403 csrf_failed", &r);
        }
    }
    // Nothing sent above was acted on: the session (logout), the password and the token live.
    let home = app.console(Method::GET, "/console", Some(&session), &[]).await;
    if home.status != StatusCode::OK {
        failures.push(vec!["GET /console".into(), "session after refusals".into(), "200".into(), got(&home)]);
    }
    let me = app.api(Method::GET, "/api/v1/me", Some(&token), None).await;
    if me.status != StatusCode::OK {
        failures.push(vec!["GET /api/v1/me".into(), "token after refusals".into(), "200".into(), got(&me)]);
    }
    let again = app.try_login("all.powers", PASSWORD).await;
    if again.status != StatusCode::SEE_OTHER {
        failures.push(vec!["POST /console/login".into(), "old password".into(), "303".into(), got(&again)]);
    }
    // Every public GET answers without a credential (never 401 or 403).
    for info in infos.iter().filter(|i| i.access == Access::Public && i.method == Method::GET) {
        let r = app.send(Request::get(filled(info.path)).body(Body::empty()).unwrap()).await;
        if r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN {
            failures.push(vec![route_name(info), "public".into(), "not 401/403".into(), got(&r)]);
        }
    }
    assert!(
        failures.is_empty(),
        "{} requests without a valid credential were not refused as they should be:\n{}",
        failures.len(),
        render(&["route", "case", "expected", "got"], &failures)
    );
}

#[tokio::test]
async fn personal_reads_are_audited() {
    let app = TestApp::new().await;
    let infos: Vec<RouteInfo> = table().into_iter().map(|r| r.info).collect();
    let mut fx = Fixtures::new();
    // One officer who may call every route, and the demo auditor (national) to look.
    fx.officer_named(
        "all.powers",
        "TPI-CGK",
        &[
            (Role::SystemAdministrator, "national"),
            (Role::Auditor, "national"),
            (Role::TravelBanAdministrator, "national"),
        ],
        false,
    );
    let (token, _) = fx.token("all.powers");
    let (auditor, _) = fx.token("auditor");
    let mut plan = Vec::new();
    for info in infos.iter().filter(|i| i.access != Access::Public) {
        let e = example(info, "all.powers", "TPI-CGK", &mut fx)
            .unwrap_or_else(|| panic!("{} has no example request", route_name(info)));
        plan.push((info, e));
    }
    fx.commit(&app).await;
    let mut c = Caller::new("all.powers", None, "national", token);

    let mut failures: Vec<Vec<String>> = Vec::new();
    let mut sent: Vec<(&RouteInfo, String)> = Vec::new();
    for (info, e) in &plan {
        let r = send(&app, info, &mut c, e).await;
        if !succeeded(info, &r) {
            failures.push(vec![route_name(info), "success".into(), "a success".into(), got(&r)]);
            continue;
        }
        let id = r.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
        sent.push((info, id.to_owned()));
    }
    // Every queued audit event committed; then read them as the auditor, whose own read is
    // recorded under the auditor, not under the officer looked for.
    drop(app.reader().await);
    let r =
        app.api(Method::GET, "/api/v1/audit/reads?officer=all.powers&limit=500", Some(&auditor), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let rows = r.json().as_array().cloned().unwrap_or_default();
    assert!(rows.len() < 500, "too many audit records to check them all: {}", rows.len());
    for (info, id) in &sent {
        let template = route_name(info);
        let mine: Vec<&Value> = rows.iter().filter(|a| a["request_id"] == id.as_str()).collect();
        if info.reads_personal {
            if mine.is_empty() {
                failures.push(vec![template.clone(), "audit".into(), "≥ 1 record".into(), "none".into()]);
            }
            for a in &mine {
                if a["officer"] != "all.powers" || a["route"] != template.as_str() {
                    failures.push(vec![
                        template.clone(),
                        "audit record".into(),
                        format!("all.powers, {template}"),
                        format!("{}, {}", a["officer"], a["route"]),
                    ]);
                }
            }
        } else if !mine.is_empty() {
            failures.push(vec![
                template.clone(),
                "audit".into(),
                "no record".into(),
                format!("{}", mine.len()),
            ]);
        }
    }
    // The auditor's look was itself recorded.
    drop(app.reader().await);
    let r = app.api(Method::GET, "/api/v1/audit/reads?officer=auditor&limit=5", Some(&auditor), None).await;
    let looked = r.json().as_array().cloned().unwrap_or_default();
    if !looked.iter().any(|a| a["route"] == "GET /api/v1/audit/reads" && a["officer"] == "auditor") {
        failures.push(vec![
            "GET /api/v1/audit/reads".into(),
            "auditor's read".into(),
            "recorded".into(),
            "not".into(),
        ]);
    }
    assert!(
        failures.is_empty(),
        "reads of personal data and their audit records disagree:\n{}",
        render(&["route", "check", "expected", "got"], &failures)
    );
}

#[tokio::test]
async fn disabling_ends_access_and_region_admins_stay_in_their_region() {
    let app = TestApp::new().await;
    let mut fx = Fixtures::new();
    fx.officer_named("victim", "TPI-CGK", &[(Role::BorderOfficer, "point:TPI-CGK")], false);
    fx.officer_named("wide.cgk", "TPI-CGK", &[(Role::VisaOfficer, "national")], false);
    let (victim, _) = fx.token("victim");
    let (admin, _) = fx.token("admin");
    let (banten, _) = fx.token("admin.banten");
    fx.commit(&app).await;

    // Disabling ends the console session at once: enabling again does not bring it back.
    let session = app.login("victim", PASSWORD).await;
    assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&victim), None).await.status, StatusCode::OK);
    assert_eq!(app.console(Method::GET, "/console", Some(&session), &[]).await.status, StatusCode::OK);
    let r = app
        .api(Method::POST, "/api/v1/officers/victim/disable", Some(&admin), Some(json!({ "reason": "left" })))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["disabled"], true);
    let r = app.api(Method::POST, "/api/v1/officers/victim/enable", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app.console(Method::GET, "/console/account", Some(&session), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the session outlived the disabling: {}", got(&r));

    // Disabled through the console: the token stops at its next request, the session at once.
    let session = app.login("victim", PASSWORD).await;
    let admin_session = app.login("admin", gapura_server::demo::DEMO_PASSWORD).await;
    let r = app
        .console(
            Method::POST,
            "/console/officers/victim/disable",
            Some(&admin_session),
            &[("reason", "left")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", got(&r));
    for path in ["/api/v1/me", "/api/v1/service-points", "/api/v1/me/tokens"] {
        let r = app.api(Method::GET, path, Some(&victim), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", got(&r));
        assert_eq!(r.json()["code"], "account_disabled", "{path}");
    }
    let r = app
        .api(Method::POST, "/api/v1/me/tokens", Some(&victim), Some(json!({"label": "x", "days": 1})))
        .await;
    assert_eq!((r.status, r.json()["code"].clone()), (StatusCode::UNAUTHORIZED, json!("account_disabled")));
    let r = app.console(Method::GET, "/console", Some(&session), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", got(&r));
    assert_eq!(r.headers[header::LOCATION], "/console/login?next=%2Fconsole");
    let r = app
        .console(Method::POST, "/console/account/tokens", Some(&session), &[("label", "x"), ("days", "1")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", got(&r));
    let r = app.try_login("victim", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a disabled officer signed in");

    // A region administrator grants only within the region.
    for scope in ["national", "point:KANIM-JKS", "region:KANWIL-DKI", "point:TPI-HLP"] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/officers/border.cgk/grants",
                Some(&banten),
                Some(json!({ "role": "supervisor", "scope": scope })),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "granting {scope}: {}", r.text());
        assert_eq!(r.json()["field"], "grant.scope", "granting {scope}");
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/officers/border.cgk/grants",
            Some(&banten),
            Some(json!({ "role": "supervisor", "scope": "point:KANIM-SOETTA" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "granting within the region: {}", r.text());
    // Nor revoke beyond it: a national grant of an officer of the region is not theirs to take.
    let r = app
        .api(
            Method::POST,
            "/api/v1/officers/wide.cgk/grants/revoke",
            Some(&banten),
            Some(json!({ "role": "visa-officer", "scope": "national" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "revoking national: {}", r.text());
    assert_eq!(r.json()["field"], "grant.scope");

    // Nor create officers outside it, or inside it with grants beyond it.
    let new = |login: &str, grants: Value| json!({ "officer": login, "name": "Invented Person", "password": PASSWORD, "grants": grants });
    let r = app
        .api(
            Method::POST,
            "/api/v1/service-points/KANIM-JKS/officers",
            Some(&banten),
            Some(new("n.jks", json!([]))),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["code"], "forbidden");
    let r = app
        .api(
            Method::POST,
            "/api/v1/service-points/KANIM-SOETTA/officers",
            Some(&banten),
            Some(new("n.wide", json!([{ "role": "border-officer", "scope": "national" }]))),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["field"], "grants[0].scope");
    for login in ["n.jks", "n.wide"] {
        let r = app.api(Method::GET, &format!("/api/v1/officers/{login}"), Some(&admin), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{login} was created anyway");
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/service-points/KANIM-SOETTA/officers",
            Some(&banten),
            Some(new("n.soetta", json!([{ "role": "border-officer", "scope": "point:KANIM-SOETTA" }]))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // The same through the console.
    let s = app.login("admin.banten", gapura_server::demo::DEMO_PASSWORD).await;
    let r = app
        .console(
            Method::POST,
            "/console/officers/border.cgk/grants",
            Some(&s),
            &[("role", "auditor"), ("scope", "national")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", got(&r));
    assert!(r.text().contains("grant.scope"), "{}", r.text());
    let r = app
        .console(
            Method::POST,
            "/console/service-points/KANIM-JKS/officers",
            Some(&s),
            &[("officer", "n.jks2"), ("name", "Invented Person"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", got(&r));
}
