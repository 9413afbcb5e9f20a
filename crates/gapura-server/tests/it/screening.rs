//! `POST /api/v1/screenings` and the console's screening page: the server's own watchlist,
//! fed from the ledger, current as soon as an order is recorded, audited, and saved.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::{Reply, TestApp};

fn code(r: &Reply) -> String {
    r.json()["code"].as_str().unwrap_or_default().to_owned()
}

/// A prevention order against an invented person, issued through the API; returns its id.
async fn issue_order(app: &TestApp, token: &str) -> String {
    let body = json!({
        "kind": "prevention",
        "authority": "KPK",
        "decision_number": "KEP-77/SCREEN/2026",
        "decision_date": "2026-11-20",
        "subject": {
            "names": ["Djoko Soepriadi Tjahjono"],
            "sex": "M",
            "date_of_birth": "1968-04-17",
            "nationality": "IDN",
            "documents": [{"number": "B4410972", "issuing_state": "IDN", "kind": "passport"}]
        },
        "reason": {"category": "corruption", "text": "Tersangka perkara rekaan"},
        "start": "2026-11-23",
        "last_day": "2027-05-22"
    });
    let r = app.api(Method::POST, "/api/v1/travel-bans", Some(token), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["order_id"].as_str().unwrap().to_owned()
}

async fn screen(app: &TestApp, token: &str, body: Value) -> Reply {
    app.api(Method::POST, "/api/v1/screenings", Some(token), Some(body)).await
}

fn hit_for<'a>(answer: &'a Value, reference: &str) -> Option<&'a Value> {
    answer["hits"].as_array().unwrap().iter().find(|h| h["reference"] == reference)
}

async fn order_is_screened_at_once_and_explained(app: &TestApp) {
    let t = app.token("cekal.pusat").await;
    let id = issue_order(app, &t).await;
    // Read from the document in the new spelling, with the date of birth day and month
    // swapped: the order issued a moment ago stops the exit.
    let traveller = json!({"surname": "Tjahjono", "given_names": "Joko Supriadi",
        "date_of_birth": "1968-04-17", "sex": "M", "nationality": "IDN", "direction": "exit"});
    let r = screen(app, &t, traveller.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let a = r.json();
    assert_eq!(a["effect"], "stop", "{a:#}");
    assert_eq!(a["direction"], "exit");
    assert_eq!(a["date"], "2026-11-23", "today in WIB when no date is given");
    let hit = hit_for(&a, &id).unwrap_or_else(|| panic!("no hit for {id}: {a:#}"));
    assert_eq!(hit["list"], "travel_ban_order");
    assert_eq!(hit["rule"]["code"], "prevention_order_stops_exit");
    let name =
        hit["matched"].as_array().unwrap().iter().find(|m| m["field"] == "name").expect("a name field");
    assert!(name["how"].as_array().unwrap().contains(&json!("spelling_variant")), "{name:#}");
    assert!(a["watchlist_position"].as_u64().unwrap() > 0);

    // The same person arriving: a prevention order does not stop an entry; shown for information.
    let mut entry = traveller.clone();
    entry["direction"] = json!("entry");
    let a = screen(app, &t, entry).await.json();
    assert_eq!(hit_for(&a, &id).unwrap()["rule"]["code"], "prevention_order_not_for_entry");
    assert_eq!(hit_for(&a, &id).unwrap()["rule"]["effect"], "none");

    // The passport alone, with no name: the order's document matches.
    let by_doc = json!({"document": {"number": "B4410972", "issuing_state": "IDN", "document_type": "passport"},
        "direction": "exit"});
    let a = screen(app, &t, by_doc).await.json();
    assert_eq!(
        hit_for(&a, &id).map(|h| h["rule"]["code"].clone()),
        Some(json!("prevention_order_stops_exit"))
    );

    // A crossing after the order's last day: it has ended by itself.
    let mut later = traveller.clone();
    later["date"] = json!("2027-05-23");
    let a = screen(app, &t, later).await.json();
    assert!(hit_for(&a, &id).is_none(), "an ended order still hits: {a:#}");

    // Revoked: no longer a hit, at once.
    let rev =
        json!({"decision_number": "KEP-78/SCREEN/2026", "decision_date": "2026-11-23", "reason": "Dicabut"});
    let r = app.api(Method::POST, &format!("/api/v1/travel-bans/{id}/revocation"), Some(&t), Some(rev)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let a = screen(app, &t, traveller).await.json();
    assert!(hit_for(&a, &id).is_none(), "a revoked order still hits: {a:#}");
}

#[tokio::test]
async fn an_order_is_screened_as_soon_as_it_is_issued_and_stops_only_its_direction() {
    let app = TestApp::new().await;
    order_is_screened_at_once_and_explained(&app).await;
}

#[tokio::test]
async fn an_order_is_screened_on_postgresql_too() {
    let Some(app) = TestApp::postgres().await else { return };
    order_is_screened_at_once_and_explained(&app).await;
}

#[tokio::test]
async fn bad_screening_requests_name_the_field_and_an_empty_one_is_refused() {
    let app = TestApp::new().await;
    let t = app.token("border.cgk").await;
    let base = json!({"surname": "Tjahjono", "given_names": "Joko", "direction": "exit"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("date_of_birth", json!("1968-13-01")), "date_of_birth"),
        (with("date_of_birth", json!("1968")), "date_of_birth"),
        (with("sex", json!("m")), "sex"),
        (with("nationality", json!("idn")), "nationality"),
        (with("date", json!("2026-02-30")), "date"),
        (with("surname", json!("x".repeat(121))), "surname"),
        (with("given_names", json!("Joko\u{7}")), "given_names"),
        (with("document", json!({"number": "<<<", "issuing_state": "IDN"})), "document.number"),
        (with("document", json!({"number": "A1", "issuing_state": "Indonesia"})), "document.issuing_state"),
    ];
    for (body, field) in cases {
        let r = screen(&app, &t, body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{body}");
    }
    // Not a field of the request, a direction that is neither, no direction at all.
    for body in
        [with("threshold", json!(0.1)), with("direction", json!("sideways")), json!({"surname": "Tjahjono"})]
    {
        let r = screen(&app, &t, body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
    }
    // Readable, but nothing to screen: only a title, no document.
    let r = screen(&app, &t, json!({"surname": "", "given_names": "Haji", "direction": "entry"})).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "nothing_to_screen"));

    // Who may screen: not the auditor, not without a credential.
    let auditor = app.token("auditor").await;
    assert_eq!(screen(&app, &auditor, base.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app.api(Method::POST, "/api/v1/screenings", None, Some(base)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_screening_is_audited_with_what_was_searched_and_what_was_shown() {
    let app = TestApp::new().await;
    let cekal = app.token("cekal.pusat").await;
    let id = issue_order(&app, &cekal).await;
    let t = app.token("border.cgk").await;
    let r = screen(
        &app,
        &t,
        json!({"surname": "Tjahjono", "given_names": "Djoko Soepriadi",
        "date_of_birth": "1968-04-17", "direction": "exit"}),
    )
    .await;
    assert_eq!(r.json()["effect"], "stop");
    app.state.db().unwrap().flush_audit().await;
    let auditor = app.token("auditor").await;
    let rows = app
        .api(Method::GET, "/api/v1/audit/reads?officer=border.cgk&limit=10", Some(&auditor), None)
        .await
        .json();
    let rows = rows.as_array().unwrap_or_else(|| panic!("{rows:#}"));
    let subject = format!("travel_ban_order:{id}");
    let rec = rows
        .iter()
        .find(|a| a["record"] == "screening" && a["subject"] == subject.as_str())
        .unwrap_or_else(|| panic!("no screening record of {subject}: {rows:#?}"));
    assert_eq!(rec["route"], "POST /api/v1/screenings");
    assert_eq!(rec["point"], "TPI-CGK");
    let q = rec["query"].as_str().unwrap();
    assert!(q.contains("exit 2026-11-23") && q.contains("Tjahjono") && q.contains("1968-04-17"), "{q}");
}

#[tokio::test]
async fn the_watchlist_index_is_saved_and_belongs_to_its_ledger() {
    let mut app = TestApp::new().await;
    let t = app.token("cekal.pusat").await;
    issue_order(&app, &t).await;
    let r = screen(&app, &t, json!({"surname": "Tjahjono", "direction": "exit"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let position = r.json()["watchlist_position"].as_u64().unwrap();
    let location = app.stop().await;
    let gapura_store::Location::Sqlite(dir) = &location else { unreachable!() };
    let path = dir.join(gapura_server::screening::INDEX_FILE);
    // Saved as the server stopped, at least as far as the screen saw, and recognised as this
    // ledger's.
    let mut reader = gapura_store::Reader::open(&location).unwrap();
    let w = gapura_server::screening::load_saved(&mut reader, &path).expect("a saved index of this ledger");
    assert!(w.position() >= position, "{} < {position}", w.position());
    assert!(w.counts().orders >= 1);
    // An index from another ledger is not taken.
    let other = TestApp::new().await;
    let mut other_reader = other.reader().await;
    assert!(gapura_server::screening::load_saved(&mut other_reader, &path).is_none());
}

#[tokio::test]
async fn an_officer_screens_a_traveller_on_the_console() {
    let app = TestApp::new().await;
    let cekal = app.token("cekal.pusat").await;
    let id = issue_order(&app, &cekal).await;
    let s = app.login("border.cgk", gapura_server::demo::DEMO_PASSWORD).await;
    let form = app.console(Method::GET, "/console/screening", Some(&s), &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("id=\"screening-form\""));
    let r = app
        .console(
            Method::POST,
            "/console/screening",
            Some(&s),
            &[
                ("surname", "tjahjono"),
                ("given_names", "djoko s."),
                ("nationality", "idn"),
                ("date_of_birth", "1968-04-xx"),
                ("direction", "exit"),
                ("date", "2026-11-23"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(page.contains("data-effect=\"stop\""), "{page}");
    assert!(page.contains(&id) && page.contains("prevention_order_stops_exit"), "{page}");
    assert!(page.contains("value=\"tjahjono\""), "the form keeps what was typed");
    // A field the console cannot read is shown beside the form, which keeps what was typed.
    let r = app
        .console(
            Method::POST,
            "/console/screening",
            Some(&s),
            &[("surname", "Tjahjono"), ("date_of_birth", "1968-02-30"), ("direction", "exit")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("date_of_birth") && r.text().contains("value=\"1968-02-30\""));
}
