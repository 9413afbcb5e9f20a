//! Health, readiness, metrics and logs.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::TestApp;
use gapura_server::demo::DEMO_PASSWORD;

#[tokio::test]
async fn healthz_is_alive_and_readyz_waits_for_the_store() {
    let app = TestApp::new().await;
    assert_eq!(app.api(Method::GET, "/healthz", None, None).await.status, StatusCode::OK);
    let r = app.api(Method::GET, "/readyz", None, None).await;
    assert_eq!((r.status, r.text().as_str()), (StatusCode::OK, "ready\n"));

    // A server whose store is not attached yet (migrating, replaying) is alive, not ready.
    let state = gapura_server::new_state(
        gapura_server::Settings { secure_cookies: true, demo_logins: vec![], screening_index: None },
        gapura_server::system_clock(),
    );
    state.readiness.set(gapura_server::Phase::Migrating);
    let router = gapura_server::app(state.clone());
    use tower::ServiceExt;
    let get = |p: &str| axum::http::Request::get(p).body(axum::body::Body::empty()).unwrap();
    let r = router.clone().oneshot(get("/readyz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let r = router.clone().oneshot(get("/healthz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = router.clone().oneshot(get("/api/v1/me")).await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "no request reaches a store that is not there");
}

#[tokio::test]
async fn metrics_count_requests_appends_and_the_ledger_head() {
    let app = TestApp::new().await;
    let t = app.token("admin").await;
    app.api(Method::GET, "/api/v1/service-points", Some(&t), None).await;
    let m = app.api(Method::GET, "/metrics", None, None).await.text();
    for name in [
        "gapura_http_requests_total{",
        "gapura_http_request_duration_seconds_bucket{",
        "gapura_ledger_appends_total",
        "gapura_ledger_head_entries",
        "gapura_projection_lag_entries 0",
        "gapura_ready 1",
    ] {
        assert!(m.contains(name), "metrics lack {name}:\n{m}");
    }
    assert!(m.contains("route=\"/api/v1/service-points\""), "requests are labelled by route template");
}

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);
impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary from the moment it is first called.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = Buffer(buf.clone());
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,gapura_server=trace,gapura_store=trace",
            ))
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
        buf
    })
    .clone()
}

#[tokio::test]
async fn no_log_line_carries_personal_data_a_password_or_a_token() {
    let logs = captured_logs();
    let app = TestApp::new().await;
    let admin = app.token("admin").await;
    let officer_pw = "Kartikasari's secret 77";
    let body = json!({"officer": "wulan.k", "name": "Wulan Kartikasari", "password": officer_pw});
    let r = app.api(Method::POST, "/api/v1/service-points/TPI-CGK/officers", Some(&admin), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED);
    app.api(Method::GET, "/api/v1/officers/wulan.k", Some(&admin), None).await;
    app.api(Method::GET, "/api/v1/officers?q=Kartikasari", Some(&admin), None).await;
    app.api(Method::GET, "/api/v1/officers/no.such.person", Some(&admin), None).await;
    app.try_login("wulan.k", officer_pw).await;
    app.try_login("wulan.k", "Wrong-Password-Typed").await;
    app.try_login("Password-In-The-Login-Box", "x").await;
    app.api(Method::GET, "/api/v1/me", Some("gapura_deadbeef_leaked-token-value"), None).await;
    app.api(
        Method::POST,
        "/api/v1/me/password",
        Some(&admin),
        Some(json!({"current_password": "Wrong-Current-Pw", "new_password": "x"})),
    )
    .await;
    app.state.db().unwrap().flush_audit().await;

    let text = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(text.contains("request_id"), "requests are logged with their id");
    for secret in [
        officer_pw,
        "Kartikasari",
        "Wrong-Password-Typed",
        "Password-In-The-Login-Box",
        "leaked-token-value",
        &admin,
        "Wrong-Current-Pw",
        "no.such.person",
        DEMO_PASSWORD,
    ] {
        assert!(!text.contains(secret), "a log line carries {secret:?}");
    }
}
