//! Gapura's HTTP server: the JSON API under `/api/v1`, the officers' console under
//! `/console`, health and metrics. The only crate that knows HTTP.
//!
//! What it is for: authenticating officers and API clients, checking every route's declared
//! permission against the caller's roles and scopes, recording every read of personal data,
//! and turning requests into store reads and ledger appends. What it is not for: the rules of
//! the domain (`gapura-domain`) or SQL (`gapura-store`).

pub mod api;
mod assets;
pub mod auth;
pub mod console;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod login;
pub mod openapi;
mod ops;
pub mod routes;
pub mod screening;
pub mod screening_pages;
pub mod state;
mod time;
pub mod travel_ban_pages;
pub mod travel_bans;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use gapura_store::{GroupCommitter, Location, Store};
use tracing::Instrument;

use crate::error::ApiError;
pub use crate::state::{AppState, Clock, Phase, Settings};
use crate::state::{Db, Shared};

/// What the request layer knows before routing: its id and where it came from.
#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub id: String,
    pub address: String,
}

impl Default for RequestCtx {
    fn default() -> RequestCtx {
        RequestCtx { id: auth::random_hex(8), address: "unknown".into() }
    }
}

/// The process's Prometheus recorder, installed once.
fn metrics_handle() -> metrics_exporter_prometheus::PrometheusHandle {
    static HANDLE: std::sync::OnceLock<metrics_exporter_prometheus::PrometheusHandle> =
        std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
                .set_buckets(&[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
                .map(|b| b.build_recorder())
                .unwrap_or_else(|_| metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            // Another recorder may already be installed (a test harness); ours still renders.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    })
}

/// Shared state with no store yet (`/readyz` says "starting" until one is attached).
pub fn new_state(settings: Settings, clock: Clock) -> AppState {
    AppState(Arc::new(Shared {
        db: std::sync::OnceLock::new(),
        readiness: state::Readiness::default(),
        sessions: auth::Sessions::default(),
        limiter: auth::LoginLimiter::default(),
        clock,
        settings,
        metrics: metrics_handle(),
        replay_left: std::sync::atomic::AtomicU64::new(0),
        decisions: tokio::sync::Mutex::new(()),
        screener: Arc::new(screening::Screener::new()),
    }))
}

/// A running store behind a state: the writer thread and the audit writer task.
pub struct Running {
    committer: GroupCommitter,
    audit_task: tokio::task::JoinHandle<()>,
    watchlist_task: tokio::task::JoinHandle<()>,
    state: AppState,
}

/// Attaches an opened store to `state`: starts the group committer and the audit writer, and
/// marks the server ready. Call inside a tokio runtime.
pub fn attach(state: &AppState, store: Store) -> Running {
    let location = store.location().clone();
    let index = state.settings.screening_index.clone().or_else(|| screening::default_index_path(&location));
    let committer = GroupCommitter::start(store, state.clock.clone());
    let (tx, rx) = tokio::sync::mpsc::channel(state::AUDIT_QUEUE_MAX);
    let audit_task = tokio::spawn(state::run_audit_writer(rx, committer.handle()));
    let db = Db::new(location, state.clock.clone(), committer.handle(), tx);
    // Attached once per state; a second attach keeps the first store.
    let _ = state.db.set(Arc::new(db));
    if let Some(path) = index {
        let _ = state.screener.index.set(path);
    }
    let watchlist_task = tokio::spawn(screening::run(state.clone()));
    state.readiness.set(Phase::Ready);
    Running { committer, audit_task, watchlist_task, state: state.clone() }
}

impl Running {
    /// Commits every queued audit event, stops the writer, and signs a final checkpoint.
    pub async fn stop(self) -> Result<(), gapura_store::StoreError> {
        self.state.readiness.set(Phase::Stopping);
        self.watchlist_task.abort();
        screening::save_on_stop(&self.state).await;
        if let Ok(db) = self.state.db() {
            db.flush_audit().await;
        }
        self.audit_task.abort();
        let committer = self.committer;
        let now = self.state.now();
        tokio::task::spawn_blocking(move || committer.shutdown().close(now))
            .await
            .map_err(|e| gapura_store::StoreError::CannotAppend(format!("the writer thread failed: {e}")))?
    }
}

/// The whole application: routes from the table, each behind its guard, inside the request
/// layer (ids, logs, metrics, error bodies, panics, compression, body limit).
pub fn app(state: AppState) -> Router {
    with_request_layers(routes::router(state.clone()), state)
}

/// Wraps a router in the request layer. Public so that tests can put a route of their own
/// (one that panics, say) behind exactly the layers the real routes have.
pub fn with_request_layers(router: Router, state: AppState) -> Router {
    router
        .layer(axum::extract::DefaultBodyLimit::max(routes::BODY_BYTES_MAX))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal(&"a handler panicked").into_response()
        }))
        .layer(axum::middleware::from_fn_with_state(state, observe))
}

/// Gives the request an id, logs it (method, route template, status, time: never its path,
/// query or body, which may carry personal data), counts it, and makes every error under
/// `/api` carry the one error body.
async fn observe(State(_st): State<AppState>, mut req: Request, next: Next) -> Response {
    let ctx = RequestCtx {
        id: auth::random_hex(8),
        address: req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into()),
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_owned();
    let is_api = req.uri().path().starts_with("/api");
    req.extensions_mut().insert(ctx.clone());
    let start = Instant::now();
    let span = tracing::info_span!("request", request_id = %ctx.id);
    let mut resp = next.run(req).instrument(span.clone()).await;
    let status = resp.status();
    if is_api && (status.is_client_error() || status.is_server_error()) && !is_json(&resp) {
        resp = uniform_error(status);
    }
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ctx.id) {
        h.insert("x-request-id", v);
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    let elapsed = start.elapsed();
    let status_s = resp.status().as_u16().to_string();
    metrics::counter!("gapura_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status_s)
        .increment(1);
    metrics::histogram!("gapura_http_request_duration_seconds", "route" => route.clone())
        .record(elapsed.as_secs_f64());
    span.in_scope(|| {
        tracing::info!(method = %method, route = %route, status = resp.status().as_u16(), latency_ms = elapsed.as_millis() as u64, "request");
    });
    resp
}

fn is_json(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn uniform_error(status: StatusCode) -> Response {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "nothing is served at this path"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this path does not answer this method"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "send the body as application/json"),
        StatusCode::BAD_REQUEST => ("bad_request", "the request could not be read"),
        s if s.is_server_error() => {
            return ApiError::internal(&format!("status {s} without a body")).into_response()
        }
        _ => ("bad_request", "the request was refused"),
    };
    ApiError::new(status, code, message).into_response()
}

/// How `gapura serve` runs.
pub struct ServeOptions {
    pub location: Location,
    pub key: Option<PathBuf>,
    pub listen: SocketAddr,
    pub settings: Settings,
    /// Rebuild every projection from the ledger before serving (after an upgrade that adds
    /// a projection). `/readyz` says "replaying" meanwhile.
    pub replay: bool,
}

/// A running HTTP server task and the sender that starts its graceful shutdown (no new
/// connections; requests in flight finish).
pub type HttpTask = tokio::task::JoinHandle<std::io::Result<()>>;

/// Serves `app(state)` on `listener` in a task, with client addresses for the audit and the
/// login limiter.
pub fn spawn_http(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> (HttpTask, tokio::sync::oneshot::Sender<()>) {
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, service)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await
    });
    (task, stop_tx)
}

/// Serves until SIGTERM or Ctrl-C: then stops taking requests, lets in-flight requests (and
/// their appends) finish, commits queued audit events, and signs a final checkpoint.
pub async fn serve(opts: ServeOptions, on_listening: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    use anyhow::Context;
    let state = new_state(opts.settings.clone(), system_clock());
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .with_context(|| format!("listening on {}", opts.listen))?;
    let addr = listener.local_addr().context("reading the listening address")?;
    let (server, stop_tx) = spawn_http(listener, state.clone());
    on_listening(addr);

    state.readiness.set(Phase::Migrating);
    let (location, key) = (opts.location.clone(), opts.key.clone());
    let mut store = tokio::task::spawn_blocking(move || Store::open(&location, key.as_deref()))
        .await
        .context("opening the store")?
        .with_context(|| format!("opening the store at {}", opts.location))?;
    if opts.replay {
        state.readiness.set(Phase::Replaying);
        let st = state.clone();
        store = tokio::task::spawn_blocking(move || -> anyhow::Result<Store> {
            store
                .replay(&mut |done, total| {
                    st.replay_left.store(total.saturating_sub(done), std::sync::atomic::Ordering::Relaxed)
                })
                .context("replaying the ledger")?;
            Ok(store)
        })
        .await
        .context("replaying")??;
        state.replay_left.store(0, std::sync::atomic::Ordering::Relaxed);
    }
    let running = attach(&state, store);
    tracing::info!(address = %addr, "ready");

    shutdown_signal().await;
    tracing::info!("stopping: no new requests; waiting for those in flight");
    state.readiness.set(Phase::Stopping);
    let _ = stop_tx.send(());
    match server.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "the server stopped with an error"),
        Err(e) => tracing::error!(error = %e, "the server task failed"),
    }
    running.stop().await.context("closing the store")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Logs as JSON lines (`json`) or text, filtered by `GAPURA_LOG` (default `info`).
pub fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GAPURA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
