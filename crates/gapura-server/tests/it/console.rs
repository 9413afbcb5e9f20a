//! The console: login and its limits, sessions, CSRF, languages, pages by role.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use crate::{set_cookie, TestApp};
use gapura_server::auth::{
    LOGIN_FAILURES_PER_ACCOUNT_MAX, LOGIN_FAILURE_WINDOW_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS,
};
use gapura_server::demo::DEMO_PASSWORD;

#[tokio::test]
async fn the_login_page_speaks_indonesian_unless_asked_otherwise() {
    let app = TestApp::new().await;
    let r = app.console(Method::GET, "/console/login", None, &[]).await;
    assert!(r.text().contains("Masuk") && r.text().contains("lang=\"id\""));
    let r = app
        .send(
            Request::get("/console/login")
                .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.text().contains("Sign in"));
    // The choice is remembered in a cookie and beats the browser's preference.
    let r = app.console(Method::GET, "/console/lang/en?back=/console/service-points", None, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/console/service-points");
    assert_eq!(set_cookie(&r.headers, "gapura_lang").as_deref(), Some("en"));
    let r = app
        .send(
            Request::get("/console/login")
                .header(header::COOKIE, "gapura_lang=id")
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.text().contains("Kata sandi"));
    // Never back to another site.
    let r = app.console(Method::GET, "/console/lang/en?back=//evil.example/", None, &[]).await;
    assert_eq!(r.headers[header::LOCATION], "/console");
}

#[tokio::test]
async fn signing_in_sets_a_strict_session_cookie_and_goes_back_where_asked() {
    let app = TestApp::new().await;
    let r = app.console(Method::GET, "/console/officers?q=dewi", None, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/console/login?next=%2Fconsole%2Fofficers%3Fq%3Ddewi");
    let r = app.try_login("admin", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("gapura_session="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    let s = app.login("admin", DEMO_PASSWORD).await;
    let r = app.console(Method::GET, "/console", Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    let r = app.console(Method::POST, "/console/logout", Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.console(Method::GET, "/console", Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the session ended at logout");
}

#[tokio::test]
async fn a_wrong_password_is_told_plainly_and_never_which_part_was_wrong() {
    let mut app = TestApp::new().await;
    let wrong_pw = app.try_login("admin", "not the password").await;
    let no_such = app.try_login("nobody.here", "not the password").await;
    assert_eq!(wrong_pw.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_such.status, StatusCode::UNAUTHORIZED);
    assert!(wrong_pw.text().contains("Nama pengguna atau kata sandi salah."));
    let strip = |t: String| {
        t.split("name=\"csrf\" value=\"").map(|p| p.get(32..).unwrap_or("").to_owned()).collect::<String>()
    };
    assert_eq!(strip(wrong_pw.text()), strip(no_such.text()), "the same page for an unknown login");
    // Failures for existing accounts are recorded; names that match no account are not (a
    // password typed into the login box must not land in the ledger).
    let location = app.stop().await;
    let mut store = gapura_store::Store::open(&location, None).unwrap();
    assert_eq!(store.count_rows("login_events").unwrap(), 1);
}

#[tokio::test]
async fn failed_logins_are_limited_per_account_and_per_address() {
    let app = TestApp::new().await;
    for _ in 0..LOGIN_FAILURES_PER_ACCOUNT_MAX {
        assert_eq!(app.try_login("border.cgk", "guess guess guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app.try_login("border.cgk", DEMO_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(locked.text().contains("Terlalu banyak percobaan gagal"));
    // Another account from the same address is not locked yet…
    app.login("auditor", DEMO_PASSWORD).await;
    // …until the address has failed too often.
    for i in 0..20 {
        app.try_login(&format!("officer{i}"), "guess guess guess").await;
    }
    assert_eq!(app.try_login("auditor", DEMO_PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    app.advance_ms(LOGIN_FAILURE_WINDOW_MS);
    app.login("border.cgk", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts() {
    let app = TestApp::new().await;
    let s = app.login("border.cgk", DEMO_PASSWORD).await;
    app.advance_ms(SESSION_IDLE_MS - 1_000);
    assert_eq!(app.console(Method::GET, "/console", Some(&s), &[]).await.status, StatusCode::OK);
    app.advance_ms(SESSION_IDLE_MS);
    assert_eq!(app.console(Method::GET, "/console", Some(&s), &[]).await.status, StatusCode::SEE_OTHER);

    let s = app.login("border.cgk", DEMO_PASSWORD).await;
    let mut elapsed = 0;
    while elapsed + SESSION_IDLE_MS / 2 < SESSION_ABSOLUTE_MS {
        app.advance_ms(SESSION_IDLE_MS / 2);
        elapsed += SESSION_IDLE_MS / 2;
        assert_eq!(app.console(Method::GET, "/console", Some(&s), &[]).await.status, StatusCode::OK);
    }
    app.advance_ms(SESSION_IDLE_MS / 2);
    assert_eq!(app.console(Method::GET, "/console", Some(&s), &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_form_without_the_session_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let s = app.login("admin", DEMO_PASSWORD).await;
    let r = app
        .console(
            Method::POST,
            "/console/officers/border.cgk/disable",
            Some(&s),
            &[("reason", "x"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("csrf_failed"));
    let r = app.console(Method::GET, "/console/officers/border.cgk", Some(&s), &[]).await;
    assert!(r.text().contains("Aktif"), "nothing changed");
    let r = app
        .console(Method::POST, "/console/officers/border.cgk/disable", Some(&s), &[("reason", "moved")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn disabling_an_officer_ends_their_sessions_at_once() {
    let app = TestApp::new().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let officer = app.login("border.cgk", DEMO_PASSWORD).await;
    app.console(
        Method::POST,
        "/console/officers/border.cgk/disable",
        Some(&admin),
        &[("reason", "left the service")],
    )
    .await;
    assert_eq!(app.console(Method::GET, "/console", Some(&officer), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.try_login("border.cgk", DEMO_PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn service_points_are_found_by_text_kind_and_province() {
    let app = TestApp::new().await;
    let s = app.login("border.cgk", DEMO_PASSWORD).await;
    let r = app.console(Method::GET, "/console/service-points?q=soekarno", Some(&s), &[]).await;
    assert!(r.text().contains("TPI-CGK") && r.text().contains("KANIM-SOETTA"));
    let r =
        app.console(Method::GET, "/console/service-points?kind=airport&province=Bali", Some(&s), &[]).await;
    let t = r.text();
    assert!(t.contains("TPI-DPS") && !t.contains("TPI-CGK"), "{t}");
    let r = app.console(Method::GET, "/console/service-points?kind=airport", Some(&s), &[]).await;
    assert!(r.text().contains("38 ditemukan"));
    let r = app.console(Method::GET, "/console/service-points?q=zzzz", Some(&s), &[]).await;
    assert!(r.text().contains("Tidak ada hasil."));
    let r = app.console(Method::GET, "/console/service-points/KANWIL-BANTEN", Some(&s), &[]).await;
    assert!(r.text().contains("TPI-CGK"), "points under a regional office are listed");
    let r = app.console(Method::GET, "/console/service-points?kind=castle", Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn navigation_shows_what_each_role_may_use() {
    let app = TestApp::new().await;
    for (login, shows, hides) in [
        (
            "border.cgk",
            vec!["/console/service-points"],
            vec!["/console/officers", "/console/audit", "/console/travel-bans"],
        ),
        ("admin", vec!["/console/officers"], vec!["/console/audit", "/console/travel-bans"]),
        ("auditor", vec!["/console/audit", "/console/travel-bans"], vec!["/console/officers\""]),
        ("cekal.pusat", vec!["/console/travel-bans"], vec!["/console/officers", "/console/audit"]),
        ("supervisor.cgk", vec!["/console/travel-bans", "/console/officers"], vec!["/console/audit"]),
    ] {
        let s = app.login(login, DEMO_PASSWORD).await;
        let t = app.console(Method::GET, "/console", Some(&s), &[]).await.text();
        for link in shows {
            assert!(t.contains(link), "{login} should see {link}");
        }
        for link in hides {
            assert!(!t.contains(&format!("href=\"{link}")), "{login} should not see {link}");
        }
    }
    let s = app.login("border.cgk", DEMO_PASSWORD).await;
    let r = app.console(Method::GET, "/console/audit", Some(&s), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("Akses ditolak") && r.text().contains("audit_read"));
}

#[tokio::test]
async fn an_administrator_creates_an_officer_and_grants_roles_in_the_console() {
    let app = TestApp::new().await;
    let s = app.login("admin.banten", DEMO_PASSWORD).await;
    let form = [
        ("officer", "putu.a"),
        ("name", "Putu Ariani"),
        ("password", "twelve chars ok"),
        ("role", "border-officer"),
        ("scope", "point:TPI-CGK"),
    ];
    let r = app.console(Method::POST, "/console/service-points/TPI-CGK/officers", Some(&s), &form).await;
    assert_eq!(
        (r.status, r.headers[header::LOCATION].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/console/officers/putu.a")
    );
    let r = app
        .console(
            Method::POST,
            "/console/officers/putu.a/grants",
            Some(&s),
            &[("role", "supervisor"), ("scope", "national")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a regional administrator cannot grant national roles");
    let r = app
        .console(
            Method::POST,
            "/console/officers/putu.a/grants",
            Some(&s),
            &[("role", "supervisor"), ("scope", "region:KANWIL-BANTEN")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.console(Method::GET, "/console/officers/putu.a", Some(&s), &[]).await.text();
    assert!(page.contains("region:KANWIL-BANTEN") && page.contains("Putu Ariani"));
    let r = app.console(Method::POST, "/console/service-points/KANIM-JKS/officers", Some(&s), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "KANIM-JKS is outside Banten");
    let list = app.console(Method::GET, "/console/officers", Some(&s), &[]).await.text();
    assert!(
        list.contains("putu.a") && !list.contains("passport.jks"),
        "only officers of the region are listed"
    );
    assert!(
        list.contains("Peran dan kewenangannya") && list.contains("mengelola petugas dan peran"),
        "roles are explained"
    );
}

#[tokio::test]
async fn pages_need_nothing_from_outside_the_binary() {
    let app = TestApp::new().await;
    let s = app.login("admin", DEMO_PASSWORD).await;
    for path in
        ["/console", "/console/service-points", "/console/officers", "/console/account", "/console/login"]
    {
        let t = app.console(Method::GET, path, Some(&s), &[]).await.text();
        for attr in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
            assert!(!t.contains(attr), "{path} refers outside: {attr}");
        }
        let css = t
            .split("rel=\"stylesheet\" href=\"")
            .nth(1)
            .map(|x| x[..x.find('"').unwrap()].to_owned())
            .unwrap();
        let r = app.console(Method::GET, &css, None, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
        assert!(t.len() < 40_000, "{path} is {} bytes", t.len());
    }
}

#[tokio::test]
async fn an_officer_issues_and_revokes_a_token_and_changes_their_password() {
    let app = TestApp::new().await;
    let s = app.login("passport.jks", DEMO_PASSWORD).await;
    let r = app
        .console(
            Method::POST,
            "/console/account/tokens",
            Some(&s),
            &[("label", "desk scanner"), ("days", "30")],
        )
        .await;
    let t = r.text();
    let token = t
        .split("id=\"new-token\">")
        .nth(1)
        .map(|x| x[..x.find('<').unwrap()].to_owned())
        .expect("the token is shown once");
    assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::OK);
    let again = app.console(Method::GET, "/console/account", Some(&s), &[]).await.text();
    assert!(!again.contains(&token), "never shown again");
    let r = app
        .console(
            Method::POST,
            "/console/account/password",
            Some(&s),
            &[("current_password", DEMO_PASSWORD), ("new_password", "another long passphrase")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = set_cookie(&r.headers, "gapura_session").expect("a new session continues");
    let csrf = crate::csrf_in(&r.text()).unwrap();
    let s2 = crate::Session { cookie, csrf };
    assert_eq!(app.console(Method::GET, "/console", Some(&s2), &[]).await.status, StatusCode::OK);
    assert_eq!(app.console(Method::GET, "/console", Some(&s), &[]).await.status, StatusCode::SEE_OTHER);
}

/// The value of the first form field named `name` as a page renders it.
fn value_of(page: &str, name: &str) -> Option<String> {
    let start = page.find(&format!("name=\"{name}\""))?;
    let tag = &page[start..start + page[start..].find('>')?];
    let i = tag.find("value=\"")? + "value=\"".len();
    Some(tag[i..i + tag[i..].find('"')?].to_owned())
}

#[tokio::test]
async fn a_travel_ban_administrator_issues_extends_and_revokes_an_order_in_the_console() {
    let app = TestApp::new().await;
    let s = app.login("cekal.pusat", DEMO_PASSWORD).await;
    let list = app.console(Method::GET, "/console/travel-bans", Some(&s), &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    let t = list.text();
    assert!(
        t.contains("Soedjarwo Tjiptohadikoesoemo") && t.contains("Sujarwo Ciptohadikusumo"),
        "the demo's orders"
    );
    assert!(t.contains("9 ditemukan") && t.contains("2026-11-23"), "count and today");
    assert!(t.contains("href=\"/console/travel-bans/new\""));
    let t =
        app.console(Method::GET, "/console/travel-bans?q=nyoman&status=revoked", Some(&s), &[]).await.text();
    assert!(t.contains("Njoman Wirasoedarsana") && t.contains("1 ditemukan"), "{t}");
    let t = app
        .console(Method::GET, "/console/travel-bans?kind=deterrence&status=scheduled", Some(&s), &[])
        .await
        .text();
    assert!(t.contains("Tidak ada hasil."));

    let form = app.console(Method::GET, "/console/travel-bans/new", Some(&s), &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text().contains("BNPT") && form.text().contains("value=\"2026-11-23\""),
        "authorities, today"
    );

    // A refusal shows the form again, with the rule's message and what was typed.
    let mut fields = vec![
        ("kind", "temporary_prevention"),
        ("authority", "POLRI"),
        ("decision_number", "KEP-500/POLRI/11/2026"),
        ("decision_date", "2026-11-23"),
        ("names", "Oemar Bakrie Tjokro\r\nUmar Bakri Cokro\r\n"),
        ("sex", "M"),
        ("date_of_birth", "1970-XX-XX"),
        ("nationality", "idn"),
        ("document_number", "c1102934"),
        ("document_state", "idn"),
        ("document_kind", "passport"),
        ("reason_category", "criminal"),
        ("reason_text", "Tersangka perkara rekaan"),
        ("start", "2026-11-23"),
        ("last_day", "2026-12-31"),
    ];
    let r = app.console(Method::POST, "/console/travel-bans", Some(&s), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let t = r.text();
    assert!(
        t.contains("data-code=\"temporary_prevention_period_max\"") && t.contains("Ditolak menurut aturan"),
        "{t}"
    );
    assert!(t.contains("the last day can be 2026-12-12, not 2026-12-31"), "{t}");
    assert!(
        t.contains("Oemar Bakrie Tjokro")
            && value_of(&t, "decision_number").as_deref() == Some("KEP-500/POLRI/11/2026")
    );
    fields.retain(|(k, _)| *k != "last_day");
    fields.push(("last_day", "2026-12-12"));
    let r = app.console(Method::POST, "/console/travel-bans", Some(&s), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let at = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(at.starts_with("/console/travel-bans/TB-2026-"), "{at}");
    let t = app.console(Method::GET, &at, Some(&s), &[]).await.text();
    assert!(
        t.contains("Umar Bakri Cokro") && t.contains("C1102934") && t.contains("officer:cekal.pusat"),
        "{t}"
    );
    assert!(t.contains("data-status=\"in_force\"") && t.contains("data-action=\"issued\""));
    assert!(!t.contains("id=\"extend-form\""), "a temporary prevention cannot be extended: no form");

    // A prevention order: extended (a refusal first), then revoked.
    let prevention = [
        ("kind", "prevention"),
        ("authority", "KPK"),
        ("decision_number", "KEP-77/01-23/11/2026"),
        ("decision_date", "2026-11-23"),
        ("names", "Bambang Soedibjo"),
        ("reason_category", "corruption"),
        ("reason_text", "Saksi perkara rekaan"),
        ("start", "2026-11-23"),
        ("last_day", "2027-05-22"),
    ];
    let r = app.console(Method::POST, "/console/travel-bans", Some(&s), &prevention).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let at = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let extend = |new_last_day: &'static str| {
        vec![
            ("decision_number", "KEP-78/01-23/05/2027"),
            ("legal_basis", "UU 6/2011 Pasal 97 ayat (1)"),
            ("decision_date", "2026-11-23"),
            ("new_last_day", new_last_day),
        ]
    };
    let r = app.console(Method::POST, &format!("{at}/extensions"), Some(&s), &extend("2027-12-31")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = r.text();
    assert!(
        t.contains("data-code=\"prevention_extension_max\"")
            && t.contains("the new last day can be 2027-11-22"),
        "{t}"
    );
    assert_eq!(value_of(&t, "new_last_day").as_deref(), Some("2027-12-31"), "what was typed stays");
    let r = app.console(Method::POST, &format!("{at}/extensions"), Some(&s), &extend("2027-11-22")).await;
    assert_eq!(
        (r.status, r.headers[header::LOCATION].to_str().unwrap()),
        (StatusCode::SEE_OTHER, at.as_str())
    );
    let t = app.console(Method::GET, &at, Some(&s), &[]).await.text();
    assert!(t.contains("data-action=\"extended\"") && t.contains("2027-05-22 → 2027-11-22"), "{t}");
    assert!(
        !t.contains("id=\"extend-form\"") && t.contains("id=\"revoke-form\""),
        "extended once, a prevention order can only be revoked"
    );
    let revoke = [
        ("decision_number", "KEP-80/2026"),
        ("decision_date", "2026-11-23"),
        ("reason", "Perkara dihentikan"),
    ];
    let r = app.console(Method::POST, &format!("{at}/revocation"), Some(&s), &revoke).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let t = app.console(Method::GET, &at, Some(&s), &[]).await.text();
    assert!(
        t.contains("data-status=\"revoked\"")
            && t.contains("data-action=\"revoked\"")
            && t.contains("Perkara dihentikan")
    );
    assert!(
        !t.contains("id=\"revoke-form\"") && !t.contains("id=\"extend-form\""),
        "a revoked order has no forms"
    );
    let r = app.console(Method::POST, &format!("{at}/revocation"), Some(&s), &revoke).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("data-code=\"order_revoked\""));

    // An auditor reads the orders but is offered no form; a border officer is refused.
    let a = app.login("auditor", DEMO_PASSWORD).await;
    let t = app.console(Method::GET, &at, Some(&a), &[]).await.text();
    assert!(t.contains("Bambang Soedibjo") && !t.contains("/console/travel-bans/new"));
    let r = app.console(Method::GET, "/console/travel-bans/new", Some(&a), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let b = app.login("border.cgk", DEMO_PASSWORD).await;
    let r = app.console(Method::GET, "/console/travel-bans", Some(&b), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("travel_bans_read"));
}
