//! The server, driven through its real router: authentication, permissions by role and
//! scope, audit of personal reads, error bodies, the console, operations.

mod access;
mod api;
mod browser;
mod console;
mod ops;
mod screening;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use gapura_domain::Event;
use gapura_ledger::{ActorId, SiteId, TimeZoneName};
use gapura_server::{AppState, Running, Settings};
use gapura_store::{Location, Reader, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The clock every test app starts at: 2026-11-23T00:00:00Z.
pub const T0_MS: i64 = 1_795_392_000_000;

/// The date at T0 in Jakarta (07:00 WIB): "today" for the travel-ban rules.
pub fn t0_date() -> gapura_domain::Date {
    "2026-11-23".parse().unwrap()
}

/// A server on a fresh store holding the reference data, the demo officers and the demo
/// travel-ban orders (dated around T0), with a clock the test moves.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub location: Location,
    pub clock: Arc<AtomicI64>,
    running: Option<Running>,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<gapura_store::postgres::ScratchDatabase>,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A signed-in console session.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

fn build_store(location: &Location, key: Option<&std::path::Path>) -> Store {
    let mut store = Store::init(
        location,
        SiteId::parse("centre").unwrap(),
        TimeZoneName::parse("Asia/Jakarta").unwrap(),
        key,
        T0_MS,
    )
    .unwrap();
    let actor = ActorId::parse("system:test").unwrap();
    store.append(&actor, &gapura_domain::demo::reference_events().unwrap(), T0_MS).unwrap();
    store.append(&actor, &gapura_server::demo::demo_events(t0_date()).unwrap(), T0_MS).unwrap();
    store
}

impl TestApp {
    /// A SQLite store in a temporary directory.
    pub async fn new() -> TestApp {
        TestApp::with_settings(Settings {
            secure_cookies: true,
            demo_logins: Vec::new(),
            screening_index: None,
        })
        .await
    }

    pub async fn with_settings(settings: Settings) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let location = Location::Sqlite(dir.path().join("store"));
        let store = build_store(&location, None);
        TestApp::start(location, store, Some(dir), None, settings)
    }

    /// A PostgreSQL store in a scratch database, or `None` (with a note) without a server.
    pub async fn postgres() -> Option<TestApp> {
        let server = match gapura_store::postgres::test_server_from_env() {
            Ok(Some(s)) => s,
            Ok(None) => {
                eprintln!("skipped: the server on PostgreSQL (set GAPURA_TEST_POSTGRES_URL)");
                return None;
            }
            Err(e) => panic!("{e}"),
        };
        // The synchronous PostgreSQL client may not block a thread that drives async tasks.
        let (db, dir, location, store) = tokio::task::spawn_blocking(move || {
            let db = gapura_store::postgres::ScratchDatabase::create(&server, "server").unwrap();
            let dir = tempfile::tempdir().unwrap();
            let location = Location::Postgres(db.url.clone());
            let key = dir.path().join("site.key");
            let store = build_store(&location, Some(&key));
            (db, dir, location, store)
        })
        .await
        .unwrap();
        let settings = Settings { secure_cookies: true, demo_logins: Vec::new(), screening_index: None };
        Some(TestApp::start(location, store, Some(dir), Some(db), settings))
    }

    fn start(
        location: Location,
        store: Store,
        dir: Option<tempfile::TempDir>,
        pg: Option<gapura_store::postgres::ScratchDatabase>,
        settings: Settings,
    ) -> TestApp {
        let clock = Arc::new(AtomicI64::new(T0_MS));
        let c = clock.clone();
        let state = gapura_server::new_state(settings, Arc::new(move || c.load(Ordering::SeqCst)));
        let running = gapura_server::attach(&state, store);
        let router = gapura_server::app(state.clone());
        TestApp { state, router, location, clock, running: Some(running), _dir: dir, _pg: pg }
    }

    pub fn advance_ms(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let mut req = req;
        if req.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(SocketAddr::from(([192, 0, 2, 10], 40_000))));
        }
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }

    /// An API request with an optional bearer token and JSON body.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => {
                b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap()
            }
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// A bearer token for an officer, issued through the ledger as the console would.
    pub async fn token(&self, officer: &str) -> String {
        let (token, token_id, secret_sha256) = gapura_server::auth::new_token();
        self.append(vec![Event::TokenIssued(gapura_domain::TokenIssued {
            officer: gapura_domain::OfficerId::parse(officer).unwrap(),
            token_id,
            secret_sha256,
            label: "test".into(),
            expires_ms: T0_MS + 30 * 86_400_000,
        })])
        .await;
        token
    }

    pub async fn append(&self, events: Vec<Event>) {
        self.state
            .db()
            .unwrap()
            .append(ActorId::parse("system:test").unwrap(), events)
            .await
            .unwrap_or_else(|e| panic!("{:?}", e.body));
    }

    /// Creates an officer with one grant (password `correct horse battery`).
    pub async fn officer(&self, login: &str, point: &str, role: &str, scope: &str) {
        let events = gapura_server::demo::officer_events(
            login,
            "Invented Person",
            point,
            "correct horse battery",
            &[(role.to_owned(), scope.to_owned())],
        )
        .unwrap();
        self.append(events).await;
    }

    /// A console request with a session cookie (and its CSRF token added to a form).
    pub async fn console(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        form: &[(&str, &str)],
    ) -> Reply {
        let mut b = Request::builder().method(method.clone()).uri(path);
        if let Some(s) = session {
            b = b.header(header::COOKIE, format!("gapura_session={}", s.cookie));
        }
        if method == Method::GET {
            return self.send(b.body(Body::empty()).unwrap()).await;
        }
        let mut fields: Vec<(String, String)> =
            form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if let Some(s) = session {
            if !form.iter().any(|(k, _)| *k == "csrf") {
                fields.push(("csrf".into(), s.csrf.clone()));
            }
        }
        let body = serde_urlencoded::to_string(&fields).unwrap();
        self.send(
            b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Signs in through the login form; panics unless it succeeds.
    pub async fn login(&self, login: &str, password: &str) -> Session {
        let r = self.try_login(login, password).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {login} failed: {}", r.text());
        let cookie = set_cookie(&r.headers, "gapura_session").expect("a session cookie");
        let home = self
            .send(
                Request::get("/console/account")
                    .header(header::COOKIE, format!("gapura_session={cookie}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let csrf = csrf_in(&home.text()).expect("a CSRF field on the account page");
        Session { cookie, csrf }
    }

    pub async fn try_login(&self, login: &str, password: &str) -> Reply {
        let page = self.send(Request::get("/console/login").body(Body::empty()).unwrap()).await;
        let login_cookie = set_cookie(&page.headers, "gapura_login").expect("a login form cookie");
        let csrf = csrf_in(&page.text()).expect("a CSRF field on the login form");
        let body = serde_urlencoded::to_string([
            ("login", login),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/console"),
        ])
        .unwrap();
        self.send(
            Request::post("/console/login")
                .header(header::COOKIE, format!("gapura_login={login_cookie}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Waits until queued audit events are committed, then opens a reader on the store
    /// (SQLite stores only: a PostgreSQL reader may not be used on an async thread).
    pub async fn reader(&self) -> Reader {
        self.state.db().unwrap().flush_audit().await;
        Reader::open(&self.location).unwrap()
    }

    /// Stops like SIGTERM does: queued audit events commit, the store closes.
    /// The app (and its temporary store) lives on, so the test can open the store after.
    pub async fn stop(&mut self) -> Location {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
        self.location.clone()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Dropping a scratch database talks to PostgreSQL synchronously: off the async thread.
        if let Some(pg) = self._pg.take() {
            let _ = std::thread::spawn(move || drop(pg)).join();
        }
    }
}

pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let (kv, _) = v.split_once(';').unwrap_or((v, ""));
        let (k, val) = kv.split_once('=')?;
        (k.trim() == name).then(|| val.trim().to_owned())
    })
}

pub fn csrf_in(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[i + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}
