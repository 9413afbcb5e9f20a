//! Health, readiness, metrics, the API's documents, static assets, and the fallback.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use maud::html;

use crate::error::ApiError;
use crate::state::{AppState, Phase};

/// How long `/readyz` waits for the database before calling it unreachable.
pub const READY_DB_TIMEOUT_MS: u64 = 2_000;

pub async fn healthz() -> &'static str {
    "ok\n"
}

pub async fn readyz(State(st): State<AppState>) -> Response {
    let phase = st.readiness.get();
    if phase != Phase::Ready {
        return (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {}\n", phase.as_str())).into_response();
    }
    let Ok(db) = st.db() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: no store\n").into_response();
    };
    let probe = db.read(|r| r.entry_count());
    match tokio::time::timeout(std::time::Duration::from_millis(READY_DB_TIMEOUT_MS), probe).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready\n").into_response(),
        Ok(Err(_)) | Err(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, "not ready: the database does not answer\n").into_response()
        }
    }
}

pub async fn metrics(State(st): State<AppState>) -> Response {
    if let Ok(db) = st.db() {
        if let Ok(Ok(n)) = tokio::time::timeout(
            std::time::Duration::from_millis(READY_DB_TIMEOUT_MS),
            db.read(|r| r.entry_count()),
        )
        .await
        {
            metrics::gauge!("gapura_ledger_head_entries").set(n as f64);
        }
    }
    metrics::gauge!("gapura_projection_lag_entries")
        .set(st.replay_left.load(std::sync::atomic::Ordering::Relaxed) as f64);
    metrics::gauge!("gapura_sessions").set(st.sessions.len() as f64);
    metrics::gauge!("gapura_ready").set(if st.readiness.get() == Phase::Ready { 1.0 } else { 0.0 });
    let mut r = st.metrics.render().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    r
}

pub async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

pub async fn api_docs(headers: HeaderMap) -> Response {
    let _ = headers;
    let doc = crate::openapi::document();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let markup = html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Gapura API" }
                link rel="stylesheet" href=(crate::assets::stylesheet_path());
            }
            body {
                main id="content" {
                    h1 { "Gapura API " (doc["info"]["version"].as_str().unwrap_or("")) }
                    p { "Every endpoint under " code { "/api/v1" } " needs " code { "Authorization: Bearer <token>" }
                        " (issue one in the console under My account). Errors share one body: "
                        code { "{\"code\", \"message\", \"field\"?, \"position\"?}" } ". The machine-readable document is "
                        a href="/api/openapi.json" { "/api/openapi.json" } " (OpenAPI 3.1)." }
                    @for (path, ops) in &paths {
                        @if let Some(ops) = ops.as_object() {
                            @for (method, op) in ops {
                                section.endpoint {
                                    h2 { code { (method.to_uppercase()) " " (path) } }
                                    p { (op["summary"].as_str().unwrap_or("")) }
                                    @if let Some(p) = op["x-gapura-permission"].as_str() { p { "Permission: " code { (p) } } }
                                    @if let Some(params) = op["parameters"].as_array() {
                                        ul { @for prm in params { li { code { (prm["name"].as_str().unwrap_or("")) } " (" (prm["in"].as_str().unwrap_or("")) ") " (prm["description"].as_str().unwrap_or("")) } } }
                                    }
                                    @if let Some(b) = op.get("requestBody") { details { summary { "Request body" } pre { (serde_json::to_string_pretty(&b["content"]["application/json"]["schema"]).unwrap_or_default()) } } }
                                }
                            }
                        }
                    }
                    details { summary { "Schemas" } pre { (serde_json::to_string_pretty(&doc["components"]["schemas"]).unwrap_or_default()) } }
                }
            }
        }
    };
    markup.into_response()
}

/// Assets are named with their content's hash, so they may be cached for a year.
pub async fn static_file(Path(file): Path<String>) -> Response {
    match crate::assets::find(&file) {
        Some((bytes, mime)) => (
            [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
            bytes,
        )
            .into_response(),
        None => ApiError::not_found(format!("no asset {file:?}")).into_response(),
    }
}

pub async fn root() -> Response {
    axum::response::Redirect::to("/console").into_response()
}

pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let e = ApiError::not_found(format!("nothing is served at {}", uri.path()));
    if uri.path().starts_with("/console") {
        crate::console::error_page(crate::console::lang_of(&headers), &e)
    } else {
        e.into_response()
    }
}
