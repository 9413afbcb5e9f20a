//! The JSON API: credentials, error bodies, officers, tokens, passwords, audit search.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::{TestApp, T0_MS};

fn code(r: &crate::Reply) -> String {
    r.json()["code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_api_routes() {
    let app = TestApp::new().await;
    let doc = app.api(Method::GET, "/api/openapi.json", None, None).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented: Vec<String> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            documented.push(format!("{} {path}", method.to_uppercase()));
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{method} {path} has no summary");
            assert_eq!(op["security"], json!([{"bearer": []}]), "{method} {path} must need a bearer token");
            assert!(op["responses"]["401"].is_object() && op["responses"]["422"].is_object());
        }
    }
    let mut routes: Vec<String> = gapura_server::routes::table()
        .iter()
        .filter(|r| r.info.surface == gapura_server::routes::Surface::Api)
        .map(|r| format!("{} {}", r.info.method, r.info.path))
        .collect();
    documented.sort();
    routes.sort();
    assert_eq!(documented, routes);
    // Every reference resolves to a schema in the document.
    let text = doc.to_string();
    assert!(
        !text.contains("\"$ref\":\"#/$defs/"),
        "a reference into definitions the document does not carry"
    );
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &piece[..piece.find('"').unwrap()];
        assert!(doc["components"]["schemas"][name].is_object(), "dangling $ref {name}");
    }
    let page = app.api(Method::GET, "/api/docs", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("/api/v1/service-points/{code}"));
}

#[tokio::test]
async fn every_api_endpoint_needs_a_credential() {
    let app = TestApp::new().await;
    let r = app.api(Method::GET, "/api/v1/service-points", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&r), "unauthenticated");
    assert!(r.headers.get(header::WWW_AUTHENTICATE).is_some());
    let r = app.api(Method::GET, "/api/v1/service-points", Some("gapura_0000_nope"), None).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNAUTHORIZED, "invalid_token"));
}

#[tokio::test]
async fn bad_requests_say_what_and_where() {
    let app = TestApp::new().await;
    let t = app.token("admin").await;
    let path = "/api/v1/service-points/TPI-CGK/officers";

    let send_raw = |body: &'static str, ct: &'static str| {
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let r = app.send(send_raw("{\"officer\": \"ab\",\n  \"name\": }", "application/json")).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::BAD_REQUEST, "malformed_json"));
    assert_eq!(r.json()["position"], "2:11");

    let r = app
        .send(send_raw("{\"officer\": \"sari.w\", \"name\": 7, \"password\": \"x\"}", "application/json"))
        .await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"));
    assert_eq!(r.json()["field"], "name");

    let body = json!({"officer": "sari.w", "name": "Sari Wulandari", "password": "long enough password", "grants": [{"role": "pilot", "scope": "national"}]});
    let r = app.api(Method::POST, path, Some(&t), Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "grants[0].role");

    let body = json!({"officer": "sari.w", "name": "Sari Wulandari", "password": "long enough password", "colour": "red"});
    let r = app.api(Method::POST, path, Some(&t), Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.json()["message"].as_str().unwrap().contains("colour"));

    let r = app.send(send_raw("officer=x", "application/x-www-form-urlencoded")).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));

    let big = "x".repeat(gapura_server::routes::BODY_BYTES_MAX + 10);
    let r = app
        .send(
            Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {t}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&r), "payload_too_large");

    let r = app.api(Method::GET, "/api/v1/service-points?limit=abc", Some(&t), None).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("limit")));
    let r = app.api(Method::GET, "/api/v1/service-points?limit=5000", Some(&t), None).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("limit")));
    let r = app.api(Method::GET, "/api/v1/service-points?kind=castle", Some(&t), None).await;
    assert_eq!(r.json()["field"], "kind");

    let r = app.api(Method::GET, "/api/v1/nothing-here", Some(&t), None).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::NOT_FOUND, "not_found"));
    let r = app.api(Method::PUT, "/api/v1/service-points", Some(&t), None).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
    let r = app.api(Method::GET, "/api/v1/service-points/NOPE", Some(&t), None).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_that_shows_nothing_internal() {
    let app = TestApp::new().await;
    let router = axum::Router::new()
        .route(
            "/api/v1/boom",
            axum::routing::get(|| async { panic!("secret internal detail") as &'static str }),
        )
        .with_state(app.state.clone());
    let router = gapura_server::with_request_layers(router, app.state.clone());
    use tower::ServiceExt;
    let resp =
        router.clone().oneshot(Request::get("/api/v1/boom").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = resp.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let body = http_body_util::BodyExt::collect(resp.into_body()).await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("internal_error") && !text.contains("secret"), "{text}");
    assert!(!id.is_empty());
    // The server is still serving.
    let again = router.oneshot(Request::get("/api/v1/boom").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(again.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let r = app.api(Method::GET, "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn an_administrator_manages_officers_through_the_api() {
    let app = TestApp::new().await;
    let admin = app.token("admin").await;
    let body = json!({
        "officer": "sari.w", "name": "Sari Wulandari", "password": "a long initial secret",
        "grants": [{"role": "border-officer", "scope": "point:TPI-CGK"}]
    });
    let r = app
        .api(Method::POST, "/api/v1/service-points/TPI-CGK/officers", Some(&admin), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["grants"], json!([{"role": "border-officer", "scope": "point:TPI-CGK"}]));
    let r = app.api(Method::POST, "/api/v1/service-points/TPI-CGK/officers", Some(&admin), Some(body)).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "officer_exists"));

    let weak = json!({"officer": "budi.s", "name": "Budi Santoso", "password": "short"});
    let r = app.api(Method::POST, "/api/v1/service-points/TPI-CGK/officers", Some(&admin), Some(weak)).await;
    assert_eq!(r.json()["field"], "password");
    let bad = json!({"officer": "Budi S", "name": "Budi Santoso", "password": "a long initial secret"});
    let r = app.api(Method::POST, "/api/v1/service-points/TPI-CGK/officers", Some(&admin), Some(bad)).await;
    assert_eq!(r.json()["field"], "officer");

    let g = json!({"role": "supervisor", "scope": "region:KANWIL-BANTEN"});
    let r = app.api(Method::POST, "/api/v1/officers/sari.w/grants", Some(&admin), Some(g.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app.api(Method::POST, "/api/v1/officers/sari.w/grants", Some(&admin), Some(g.clone())).await;
    assert_eq!(code(&r), "grant_exists");
    let not_region = json!({"role": "supervisor", "scope": "region:TPI-CGK"});
    let r = app.api(Method::POST, "/api/v1/officers/sari.w/grants", Some(&admin), Some(not_region)).await;
    assert_eq!(
        (r.status, r.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("grant.scope"))
    );
    let r = app.api(Method::POST, "/api/v1/officers/sari.w/grants/revoke", Some(&admin), Some(g)).await;
    assert_eq!(r.json()["grants"].as_array().unwrap().len(), 1);

    // Her own token works until she is disabled; then it stops at once.
    let hers = app.token("sari.w").await;
    let r = app.api(Method::GET, "/api/v1/me", Some(&hers), None).await;
    assert_eq!(r.json()["permissions"], json!(["authenticated", "reference_read", "screen"]));
    let r = app
        .api(
            Method::POST,
            "/api/v1/officers/sari.w/disable",
            Some(&admin),
            Some(json!({"reason": "transferred"})),
        )
        .await;
    assert_eq!(r.json()["disabled"], true);
    let r = app.api(Method::GET, "/api/v1/me", Some(&hers), None).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNAUTHORIZED, "account_disabled"));
    let r = app
        .api(Method::POST, "/api/v1/officers/admin/disable", Some(&admin), Some(json!({"reason": "x"})))
        .await;
    assert_eq!(code(&r), "own_account");
    // A point administrator cannot lock out someone whose roles reach beyond the point.
    app.officer("admin.jks", "KANIM-JKS", "system-administrator", "point:KANIM-JKS").await;
    let local = app.token("admin.jks").await;
    let r = app
        .api(Method::POST, "/api/v1/officers/auditor/disable", Some(&local), Some(json!({"reason": "x"})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = app
        .api(
            Method::POST,
            "/api/v1/officers/passport.jks/disable",
            Some(&local),
            Some(json!({"reason": "on leave"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app.api(Method::POST, "/api/v1/officers/sari.w/enable", Some(&admin), None).await;
    assert_eq!(r.json()["disabled"], false);
    let r = app.api(Method::GET, "/api/v1/me", Some(&hers), None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn tokens_are_issued_shown_once_listed_and_revoked() {
    let app = TestApp::new().await;
    let first = app.token("border.cgk").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/me/tokens",
            Some(&first),
            Some(json!({"label": "gate script", "days": 30})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let new = r.json();
    let secret = new["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("gapura_"));
    let list = app.api(Method::GET, "/api/v1/me/tokens", Some(&secret), None).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(!list.to_string().contains(&secret[10..]), "a token list never shows a secret");
    let r = app
        .api(Method::POST, "/api/v1/me/tokens", Some(&first), Some(json!({"label": "x", "days": 9999})))
        .await;
    assert_eq!(r.json()["field"], "days");
    let id = new["token_id"].as_str().unwrap();
    let r = app.api(Method::DELETE, &format!("/api/v1/me/tokens/{id}"), Some(&first), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.api(Method::GET, "/api/v1/me", Some(&secret), None).await;
    assert_eq!(code(&r), "invalid_token");
    // Expiry: the first token lives 30 days.
    app.advance_ms(31 * 86_400_000);
    let r = app.api(Method::GET, "/api/v1/me", Some(&first), None).await;
    assert_eq!(code(&r), "invalid_token");
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let t = app.token("border.cgk").await;
    let other = app.login("border.cgk", gapura_server::demo::DEMO_PASSWORD).await;
    let wrong = json!({"current_password": "not it at all", "new_password": "a brand new passphrase"});
    let r = app.api(Method::POST, "/api/v1/me/password", Some(&t), Some(wrong)).await;
    assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::FORBIDDEN, Some("current_password")));
    let weak =
        json!({"current_password": gapura_server::demo::DEMO_PASSWORD, "new_password": "border.cgk is me"});
    let r = app.api(Method::POST, "/api/v1/me/password", Some(&t), Some(weak)).await;
    assert_eq!(r.json()["field"], "new_password");
    // Guessing the current password with a stolen token is limited too.
    for _ in 1..gapura_server::auth::LOGIN_FAILURES_PER_ACCOUNT_MAX {
        let guess = json!({"current_password": "another guess", "new_password": "a brand new passphrase"});
        app.api(Method::POST, "/api/v1/me/password", Some(&t), Some(guess)).await;
    }
    let ok = json!({"current_password": gapura_server::demo::DEMO_PASSWORD, "new_password": "a brand new passphrase"});
    let r = app.api(Method::POST, "/api/v1/me/password", Some(&t), Some(ok.clone())).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"));
    app.advance_ms(gapura_server::auth::LOGIN_FAILURE_WINDOW_MS);
    let r = app.api(Method::POST, "/api/v1/me/password", Some(&t), Some(ok)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.console(Method::GET, "/console", Some(&other), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the other session ended");
    assert_eq!(
        app.try_login("border.cgk", gapura_server::demo::DEMO_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.login("border.cgk", "a brand new passphrase").await;
}

#[tokio::test]
async fn the_auditor_finds_who_read_whom_when_and_from_where() {
    let app = TestApp::new().await;
    let admin = app.token("admin").await;
    let auditor = app.token("auditor").await;
    let r = app.api(Method::GET, "/api/v1/officers/border.cgk", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::OK);
    app.advance_ms(3_600_000);
    app.api(Method::GET, "/api/v1/officers?q=dewi", Some(&admin), None).await;
    app.state.db().unwrap().flush_audit().await;

    let found =
        app.api(Method::GET, "/api/v1/audit/reads?subject=officer:border.cgk", Some(&auditor), None).await;
    let rows = found.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["query"], "dewi", "newest first");
    let detail = &rows[1];
    assert_eq!(detail["officer"], "admin");
    assert_eq!(detail["point"], "KANIM-JKS");
    assert_eq!(detail["address"], "192.0.2.10");
    assert_eq!(detail["route"], "GET /api/v1/officers/{officer}");
    assert_eq!(detail["time"], "2026-11-23T00:00:00Z");

    let by_time = app
        .api(Method::GET, "/api/v1/audit/reads?officer=admin&from=2026-11-23T00:30:00Z", Some(&auditor), None)
        .await;
    assert_eq!(by_time.json().as_array().unwrap().len(), 1);
    let by_date = app
        .api(
            Method::GET,
            "/api/v1/audit/reads?officer=admin&from=2026-11-22&to=2026-11-23T00:30:00Z",
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(by_date.json().as_array().unwrap().len(), 1);
    let bad = app.api(Method::GET, "/api/v1/audit/reads?from=yesterday", Some(&auditor), None).await;
    assert_eq!((bad.status, bad.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("from")));

    // A regional auditor sees only reads made at points of the region.
    app.officer("auditor.dki", "KANWIL-DKI", "auditor", "region:KANWIL-DKI").await;
    app.officer("auditor.banten", "KANWIL-BANTEN", "auditor", "region:KANWIL-BANTEN").await;
    let dki = app.token("auditor.dki").await;
    let banten = app.token("auditor.banten").await;
    let seen = app.api(Method::GET, "/api/v1/audit/reads?officer=admin", Some(&dki), None).await.json();
    assert_eq!(seen.as_array().unwrap().len(), 2, "admin works at KANIM-JKS, in DKI");
    let seen = app.api(Method::GET, "/api/v1/audit/reads?officer=admin", Some(&banten), None).await.json();
    assert_eq!(seen.as_array().unwrap().len(), 0);
    // Reading the audit records is itself recorded.
    app.state.db().unwrap().flush_audit().await;
    let meta = app.api(Method::GET, "/api/v1/audit/reads?officer=auditor", Some(&auditor), None).await.json();
    assert!(meta.as_array().unwrap().iter().any(|r| r["record"] == "audit_read"));
}

#[tokio::test]
async fn queued_audit_records_survive_a_clean_shutdown() {
    let mut app = TestApp::new().await;
    let admin = app.token("admin").await;
    for _ in 0..50 {
        let r = app.api(Method::GET, "/api/v1/officers", Some(&admin), None).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // No flush: stop straight away, as SIGTERM does.
    let location = app.stop().await;
    let mut store = gapura_store::Store::open(&location, None).unwrap();
    assert_eq!(store.count_rows("audit_reads").unwrap(), 50 * 8, "50 reads of the 8 demo officers");
    let opts = gapura_store::VerifyOptions { deep: true, ..Default::default() };
    let verdict = store.verify(&opts, &mut |_, _| {}).unwrap();
    assert!(verdict.is_ok(), "{verdict:?}");
}

#[tokio::test]
async fn the_server_runs_on_postgresql_too() {
    let Some(mut app) = TestApp::postgres().await else { return };
    let admin = app.token("admin").await;
    let body = json!({"officer": "rina.p", "name": "Rina Pangaribuan", "password": "a long initial secret",
        "grants": [{"role": "auditor", "scope": "region:KANWIL-BANTEN"}]});
    let r =
        app.api(Method::POST, "/api/v1/service-points/KANIM-SOETTA/officers", Some(&admin), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app.api(Method::GET, "/api/v1/service-points?q=SOEKARNO&kind=airport", Some(&admin), None).await;
    let codes: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["TPI-BKS", "TPI-CGK"], "case-insensitive on PostgreSQL too, ordered by code");
    // Travel bans: issued, searched by any name in any case, by status, and refused by rule.
    let cekal = app.token("cekal.pusat").await;
    let r = app.api(Method::POST, "/api/v1/travel-bans", Some(&cekal), Some(order_body())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let found = app
        .api(Method::GET, "/api/v1/travel-bans?q=sutomo%20WIRYO&status=in_force", Some(&cekal), None)
        .await;
    assert_eq!(found.json()["total"], 1, "{}", found.text());
    let found = app.api(Method::GET, "/api/v1/travel-bans?status=ended", Some(&cekal), None).await;
    assert_eq!(found.json()["total"], 1, "the demo's ended order");
    let r = app
        .api(
            Method::POST,
            "/api/v1/travel-bans",
            Some(&cekal),
            Some(with(order_body(), "last_day", json!("2027-06-01"))),
        )
        .await;
    assert_eq!(code(&r), "prevention_period_max");
    app.login("rina.p", "a long initial secret").await;
    app.state.db().unwrap().flush_audit().await;
    let s = app.login("auditor", gapura_server::demo::DEMO_PASSWORD).await;
    let page = app.console(Method::GET, "/console/audit?officer=admin", Some(&s), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("officer:rina.p"), "the creation read rina.p back");
    let location = app.stop().await;
    let count = tokio::task::spawn_blocking(move || {
        gapura_store::Reader::open(&location).unwrap().entry_count().unwrap()
    })
    .await
    .unwrap();
    assert!(count > 700, "{count} entries");
    let _ = T0_MS;
}

/// A valid new order; tests change what they test.
fn order_body() -> serde_json::Value {
    json!({
        "kind": "prevention",
        "authority": "KPK",
        "decision_number": "KEP-41/01-23/11/2026",
        "decision_date": "2026-11-20",
        "subject": {
            "names": ["Raden Mas Soetomo Wirjokoesoemo", "Sutomo Wiryokusumo"],
            "sex": "M",
            "place_of_birth": "Soerakarta",
            "date_of_birth": "1962-05-XX",
            "nationality": "IDN",
            "documents": [{"number": "c7710234", "issuing_state": "IDN", "kind": "passport"}],
            "nik": "3372011505620001"
        },
        "reason": {"category": "corruption", "text": "Saksi perkara rekaan"},
        "start": "2026-11-23",
        "last_day": "2027-05-22"
    })
}

/// `body` with `path` (dot-separated) set to `v`.
fn with(mut body: serde_json::Value, path: &str, v: serde_json::Value) -> serde_json::Value {
    let mut at = &mut body;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        at = &mut at[*p];
    }
    at[parts[parts.len() - 1]] = v;
    body
}

#[tokio::test]
async fn a_travel_ban_is_issued_extended_once_and_revoked_through_the_api() {
    let app = TestApp::new().await;
    let t = app.token("cekal.pusat").await;
    let r = app.api(Method::POST, "/api/v1/travel-bans", Some(&t), Some(order_body())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let o = r.json();
    let id = o["order_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("TB-2026-") && id.len() == 16, "{id}");
    assert_eq!(o["status"], "in_force");
    assert_eq!(o["today"], "2026-11-23");
    assert_eq!(
        o["legal_basis"], "UU 6/2011 Pasal 91 ayat (2) huruf d",
        "the authority's, when none is given"
    );
    assert_eq!(o["subject"]["documents"][0]["number"], "C7710234", "kept in capitals");
    assert_eq!(o["issued_by"], "officer:cekal.pusat");
    assert_eq!(o["history"].as_array().unwrap().len(), 1);

    let ext = json!({"decision_number": "KEP-88/2027", "legal_basis": "UU 6/2011 Pasal 97 ayat (1)",
        "decision_date": "2026-11-23", "new_last_day": "2027-11-22"});
    let path = format!("/api/v1/travel-bans/{id}/extensions");
    let r = app.api(Method::POST, &path, Some(&t), Some(ext.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        (r.json()["last_day"].clone(), r.json()["extensions"].clone()),
        (json!("2027-11-22"), json!(1))
    );
    let r =
        app.api(Method::POST, &path, Some(&t), Some(with(ext, "new_last_day", json!("2027-12-01")))).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "prevention_extended_once"));

    let rev = json!({"decision_number": "KEP-90/2026", "decision_date": "2026-11-23", "reason": "Perkara dihentikan"});
    let rpath = format!("/api/v1/travel-bans/{id}/revocation");
    let r = app.api(Method::POST, &rpath, Some(&t), Some(rev.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "revoked");
    assert_eq!(r.json()["revocation"]["decision_number"], "KEP-90/2026");
    let r = app.api(Method::POST, &rpath, Some(&t), Some(rev)).await;
    assert_eq!(code(&r), "order_revoked");

    // The history names each decision, who recorded it and when, oldest first.
    app.advance_ms(3_600_000);
    let d = app.api(Method::GET, &format!("/api/v1/travel-bans/{id}"), Some(&t), None).await.json();
    let h = d["history"].as_array().unwrap();
    let actions: Vec<&str> = h.iter().map(|s| s["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["issued", "extended", "revoked"]);
    assert!(h.iter().all(|s| s["by"] == "officer:cekal.pusat" && s["at"] == "2026-11-23T00:00:00Z"));
    assert_eq!(
        (h[1]["previous_last_day"].clone(), h[1]["new_last_day"].clone()),
        (json!("2027-05-22"), json!("2027-11-22"))
    );
    assert_eq!(h[2]["reason"], "Perkara dihentikan");
    assert!(h[0]["entry"].as_str().unwrap().starts_with("centre/"));
}

#[tokio::test]
async fn every_rule_refuses_with_its_code_and_field_and_records_nothing() {
    let app = TestApp::new().await;
    let t = app.token("cekal.pusat").await;
    let before = app.api(Method::GET, "/api/v1/travel-bans", Some(&t), None).await.json()["total"].clone();
    let deterrence =
        with(with(order_body(), "kind", json!("deterrence")), "subject.nationality", json!("MYS"));
    let cases = [
        (with(order_body(), "last_day", json!("2027-05-23")), "prevention_period_max", Some("last_day")),
        (
            with(with(order_body(), "kind", json!("temporary_prevention")), "last_day", json!("2026-12-13")),
            "temporary_prevention_period_max",
            Some("last_day"),
        ),
        (
            with(deterrence.clone(), "last_day", json!("2036-11-23")),
            "deterrence_period_max",
            Some("last_day"),
        ),
        (
            with(deterrence.clone(), "last_day", json!(null)),
            "life_requires_terrorism_or_narcotics",
            Some("last_day"),
        ),
        (
            with(deterrence.clone(), "subject.nationality", json!("IDN")),
            "deterrence_requires_foreigner",
            Some("subject.nationality"),
        ),
        (with(order_body(), "last_day", json!(null)), "period_required", Some("last_day")),
        (with(order_body(), "last_day", json!("2026-11-22")), "period_ends_before_start", Some("last_day")),
        (
            with(order_body(), "decision_date", json!("2026-11-24")),
            "decision_in_future",
            Some("decision_date"),
        ),
        (with(order_body(), "start", json!("2026-11-19")), "start_before_decision", Some("start")),
        (with(order_body(), "authority", json!("KPU")), "unknown_authority", Some("authority")),
    ];
    for (body, expected, field) in cases {
        let r = app.api(Method::POST, "/api/v1/travel-bans", Some(&t), Some(body)).await;
        assert_eq!(
            (r.status, code(&r).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{}",
            r.text()
        );
        assert_eq!(r.json()["field"].as_str(), field, "{expected}");
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/travel-bans",
            Some(&t),
            Some(with(order_body(), "last_day", json!("2027-06-01"))),
        )
        .await;
    assert_eq!(
        r.json()["message"],
        "a prevention order lasts at most 6 months: from 2026-11-23 the last day can be 2027-05-22, not 2027-06-01"
    );
    let after = app.api(Method::GET, "/api/v1/travel-bans", Some(&t), None).await.json()["total"].clone();
    assert_eq!(before, after, "a refused order is not recorded");

    // Extensions, on orders of each kind (the demo's and new ones).
    let issue = |body: serde_json::Value| {
        let (app, t) = (&app, &t);
        async move {
            let r = app.api(Method::POST, "/api/v1/travel-bans", Some(t), Some(body)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            r.json()["order_id"].as_str().unwrap().to_owned()
        }
    };
    let prevention = issue(order_body()).await;
    let temporary = issue(with(
        with(order_body(), "kind", json!("temporary_prevention")),
        "last_day",
        json!("2026-12-12"),
    ))
    .await;
    let deter = issue(with(deterrence.clone(), "last_day", json!("2031-11-22"))).await;
    let life =
        issue(with(with(deterrence, "last_day", json!(null)), "reason.category", json!("narcotics"))).await;
    let ext = |new_last_day: &str, decision_date: &str| {
        json!({"decision_number": "KEP-1/2026", "legal_basis": "UU 6/2011 Pasal 97 ayat (1)",
            "decision_date": decision_date, "new_last_day": new_last_day})
    };
    let ended = first_order(&app, &t, "status=ended").await;
    let cases = [
        (&prevention, ext("2027-11-23", "2026-11-23"), "prevention_extension_max", Some("new_last_day")),
        (&prevention, ext("2027-05-22", "2026-11-23"), "extension_not_later", Some("new_last_day")),
        (&prevention, ext("2027-06-01", "2026-11-19"), "decision_before_order", Some("decision_date")),
        (&prevention, ext("2027-06-01", "2026-11-24"), "decision_in_future", Some("decision_date")),
        (&temporary, ext("2026-12-20", "2026-11-23"), "temporary_prevention_not_extendable", None),
        (&deter, ext("2041-11-23", "2026-11-23"), "deterrence_extension_max", Some("new_last_day")),
        (&life, ext("2041-11-22", "2026-11-23"), "life_order_not_extendable", None),
        (&ended, ext("2027-12-01", "2026-11-23"), "order_ended", None),
    ];
    for (id, body, expected, field) in cases {
        let r = app
            .api(Method::POST, &format!("/api/v1/travel-bans/{id}/extensions"), Some(&t), Some(body))
            .await;
        assert_eq!(
            (r.status, code(&r).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{}",
            r.text()
        );
        assert_eq!(r.json()["field"].as_str(), field, "{expected}");
    }
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/travel-bans/{deter}/extensions"),
            Some(&t),
            Some(ext("2041-11-22", "2026-11-23")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "deterrence is extended by up to 10 years: {}", r.text());
    let rev = json!({"decision_number": "KEP-2/2026", "decision_date": "2026-11-23", "reason": "x"});
    let r =
        app.api(Method::POST, &format!("/api/v1/travel-bans/{ended}/revocation"), Some(&t), Some(rev)).await;
    assert_eq!(code(&r), "order_ended");
}

/// A page of orders a search finds.
async fn orders(app: &TestApp, token: &str, query: &str) -> serde_json::Value {
    let r = app.api(Method::GET, &format!("/api/v1/travel-bans?{query}"), Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

/// The id of the first order a search finds.
async fn first_order(app: &TestApp, token: &str, query: &str) -> String {
    let page = orders(app, token, query).await;
    page["items"][0]["order_id"].as_str().unwrap_or_else(|| panic!("no order for {query}")).to_owned()
}

#[tokio::test]
async fn bad_input_to_travel_bans_is_a_400_naming_the_field() {
    let app = TestApp::new().await;
    let t = app.token("cekal.pusat").await;
    let cases = [
        (with(order_body(), "start", json!("23/11/2026")), "start"),
        (with(order_body(), "start", json!("2026-02-30")), "start"),
        (with(order_body(), "decision_date", json!("1899-12-31")), "decision_date"),
        (with(order_body(), "subject.names", json!([])), "subject.names"),
        (with(order_body(), "subject.names", json!(["Soetomo", "Agent 007"])), "subject.names[1]"),
        (with(order_body(), "subject.nik", json!("12345")), "subject.nik"),
        (with(order_body(), "subject.sex", json!("male")), "subject.sex"),
        (with(order_body(), "subject.date_of_birth", json!("62-05-01")), "subject.date_of_birth"),
        (with(order_body(), "subject.nationality", json!("Indonesia")), "subject.nationality"),
        (
            with(
                order_body(),
                "subject.documents",
                json!([{"number": "C-77", "issuing_state": "IDN", "kind": "passport"}]),
            ),
            "subject.documents[0].number",
        ),
        (with(order_body(), "kind", json!("exile")), "kind"),
        (with(order_body(), "reason.category", json!("gossip")), "reason.category"),
        (with(order_body(), "reason.text", json!("two\nlines")), "reason.text"),
        (with(order_body(), "decision_number", json!(41)), "decision_number"),
        (with(order_body(), "colour", json!("red")), "colour"),
    ];
    for (body, field) in cases {
        let r = app.api(Method::POST, "/api/v1/travel-bans", Some(&t), Some(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.text());
        assert_eq!(r.json()["field"].as_str().unwrap_or(""), field, "{}", r.text());
    }
    let mut missing = order_body();
    missing.as_object_mut().unwrap().remove("last_day");
    let r = app.api(Method::POST, "/api/v1/travel-bans", Some(&t), Some(missing)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "last_day must be given, null for life: {}", r.text());
    assert!(r.json()["message"].as_str().unwrap().contains("last_day"));
    for path in ["/api/v1/travel-bans/TB-2026-ZZZZZZZZ", "/api/v1/travel-bans/nonsense"] {
        let r = app.api(Method::GET, path, Some(&t), None).await;
        assert_eq!((r.status, code(&r).as_str()), (StatusCode::NOT_FOUND, "not_found"), "{path}");
    }
    let ext = json!({"decision_number": "K", "legal_basis": "L", "decision_date": "2026-11-23", "new_last_day": "2027-01-01"});
    let r =
        app.api(Method::POST, "/api/v1/travel-bans/TB-2026-ZZZZZZZZ/extensions", Some(&t), Some(ext)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for (q, field) in
        [("kind=exile", "kind"), ("status=asleep", "status"), ("page=0", "page"), ("limit=501", "limit")]
    {
        let r = app.api(Method::GET, &format!("/api/v1/travel-bans?{q}"), Some(&t), None).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{q}");
    }
}

#[tokio::test]
async fn orders_are_found_by_any_spelling_on_record_and_every_read_is_audited() {
    let app = TestApp::new().await;
    let t = app.token("cekal.pusat").await;
    // The demo's orders: the old spelling and the alias in the new one find the same order.
    let old = orders(&app, &t, "q=soedjarwo").await;
    let new = orders(&app, &t, "q=SUJARWO%20cipto").await;
    assert_eq!(old["total"], 1);
    assert_eq!(old["items"][0]["order_id"], new["items"][0]["order_id"]);
    let id = old["items"][0]["order_id"].as_str().unwrap().to_owned();
    assert_eq!(orders(&app, &t, &format!("q={}", id.to_lowercase())).await["total"], 1);
    assert_eq!(orders(&app, &t, "q=KEP-DEMO").await["total"], 9);
    let count = |v: serde_json::Value| v["total"].as_i64().unwrap();
    assert_eq!(count(orders(&app, &t, "status=in_force").await), 6);
    assert_eq!(count(orders(&app, &t, "status=ended").await), 1);
    assert_eq!(count(orders(&app, &t, "status=revoked").await), 1);
    assert_eq!(count(orders(&app, &t, "status=scheduled").await), 1);
    assert_eq!(count(orders(&app, &t, "kind=deterrence").await), 3);
    assert_eq!(count(orders(&app, &t, "kind=deterrence&status=in_force").await), 3);
    let page2 = orders(&app, &t, "limit=4&page=3").await;
    assert_eq!((page2["items"].as_array().unwrap().len(), page2["page"].clone()), (1, json!(3)));
    let life = orders(&app, &t, "q=zielinsky").await;
    assert_eq!(life["items"][0]["last_day"], json!(null));
    assert_eq!(life["items"][0]["reason"]["category"], "terrorism");
    // Orders end by themselves: the last day of the demo's temporary prevention is in 16 days.
    let temporary = orders(&app, &t, "kind=temporary_prevention").await["items"][0]["last_day"].clone();
    assert_eq!(temporary, "2026-12-09");
    app.advance_ms(16 * 86_400_000);
    assert_eq!(orders(&app, &t, "kind=temporary_prevention").await["items"][0]["status"], "in_force");
    app.advance_ms(86_400_000);
    assert_eq!(orders(&app, &t, "kind=temporary_prevention").await["items"][0]["status"], "ended");

    // Who may: a supervisor reads, an auditor reads, neither issues; officers at the border
    // and account administrators do not read.
    let body = order_body();
    for (login, read, issue) in [
        ("supervisor.cgk", StatusCode::OK, StatusCode::FORBIDDEN),
        ("auditor", StatusCode::OK, StatusCode::FORBIDDEN),
        ("border.cgk", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
        ("admin", StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
    ] {
        let tok = app.token(login).await;
        let r = app.api(Method::GET, &format!("/api/v1/travel-bans/{id}"), Some(&tok), None).await;
        assert_eq!(r.status, read, "{login} reading");
        let r = app.api(Method::POST, "/api/v1/travel-bans", Some(&tok), Some(body.clone())).await;
        assert_eq!(r.status, issue, "{login} issuing");
        let r = app.api(Method::GET, "/api/v1/travel-ban-authorities", Some(&tok), None).await;
        assert_eq!(r.status, StatusCode::OK, "{login}: authorities are reference data");
        assert_eq!(r.json().as_array().unwrap().len(), 11);
    }

    // Every read named the orders it returned, under the officer and route that read them.
    app.state.db().unwrap().flush_audit().await;
    let auditor = app.token("auditor").await;
    let r = app
        .api(Method::GET, &format!("/api/v1/audit/reads?subject=travel_ban:{id}"), Some(&auditor), None)
        .await;
    let rows = r.json();
    let rows = rows.as_array().unwrap();
    let routes: Vec<(&str, &str)> =
        rows.iter().map(|a| (a["officer"].as_str().unwrap(), a["route"].as_str().unwrap())).collect();
    assert!(routes.contains(&("cekal.pusat", "GET /api/v1/travel-bans")), "{routes:?}");
    assert!(routes.contains(&("supervisor.cgk", "GET /api/v1/travel-bans/{order}")), "{routes:?}");
    assert!(routes.contains(&("auditor", "GET /api/v1/travel-bans/{order}")), "{routes:?}");
    assert!(!routes.iter().any(|(o, _)| *o == "border.cgk"), "a refused read reads nothing");
    let searched =
        rows.iter().find(|a| a["query"] == "soedjarwo").expect("the search is recorded with its terms");
    assert_eq!(searched["record"], "travel_ban");
    let nothing =
        app.api(Method::GET, "/api/v1/audit/reads?officer=cekal.pusat&limit=500", Some(&auditor), None).await;
    assert!(nothing.json().as_array().unwrap().iter().any(|a| a["query"] == "status=revoked"));
}
