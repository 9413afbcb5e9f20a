//! A browser test in headless Chromium.
//!
//! The real server listens on a loopback port; Debian's Chromium, driven over WebDriver by
//! `chromedriver`, signs in, switches the language, finds a service point, signs out, and is
//! refused pages its roles do not allow. Without Chromium the test is skipped (installed by
//! `scripts/install-browser`), unless `GAPURA_REQUIRE_BROWSER=1`.

use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use gapura_server::Settings;
use serde_json::json;

use crate::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
const SKIPPED: &str = "skipped: browser test (run scripts/install-browser)";
const PASSWORD: &str = gapura_server::demo::DEMO_PASSWORD;
/// The longest any single wait (a page, an element, a text) may take.
const WAIT: Duration = Duration::from_secs(10);
/// The longest the whole walk through the console may take.
const FLOW: Duration = Duration::from_secs(45);

/// `chromedriver` on the PATH (Debian puts it in /usr/bin).
fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .map(|d| d.join("chromedriver"))
        .find(|p| p.is_file())
}

/// A free loopback port (a small race with other processes is accepted).
fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The running `chromedriver`, in its own process group with the browsers it starts. Dropping
/// it ends the WebDriver session (which quits Chromium) and then the whole group, also when
/// the test panics.
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        Driver { child, port, session: None }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Ends the session with a plain blocking request, as `Drop` cannot wait on a future.
    fn delete_session(&mut self) {
        let Some(id) = self.session.take() else { return };
        let Ok(mut s) = TcpStream::connect_timeout(&([127, 0, 0, 1], self.port).into(), WAIT) else {
            return;
        };
        let _ = s.set_read_timeout(Some(WAIT));
        let _ = s.set_write_timeout(Some(WAIT));
        let req = format!(
            "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        if s.write_all(req.as_bytes()).is_ok() {
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.delete_session();
        // The group is chromedriver's own (process_group(0)): it and any browser left behind.
        let pgid = self.child.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session on headless Chromium whose browser prefers Indonesian.
async fn connect(driver: &mut Driver) -> Client {
    let caps = json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": { "implicit": 0, "pageLoad": WAIT.as_millis() as u64, "script": WAIT.as_millis() as u64 },
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--lang=id-ID",
            ],
            "prefs": { "intl.accept_languages": "id-ID,id" },
        },
    });
    let serde_json::Value::Object(caps) = caps else { unreachable!() };
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    let deadline = Instant::now() + WAIT;
    loop {
        // chromedriver takes a moment to listen; the session start itself launches Chromium.
        match tokio::time::timeout(WAIT * 2, builder.connect(&driver.url())).await {
            Ok(Ok(client)) => {
                driver.session = client.session_id().await.ok().flatten();
                return client;
            }
            Ok(Err(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(Err(e)) => panic!("no WebDriver session from chromedriver: {e}"),
            Err(_) => panic!("starting Chromium through chromedriver took over {:?}", WAIT * 2),
        }
    }
}

/// Polls `probe` until it yields `Ok(value)`; `Err(seen)` says what it saw instead, and
/// WebDriver errors (no such element yet, a page still loading) also count as "not yet".
/// Panics after [`WAIT`] with `what` and the last thing seen.
async fn wait_for<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Result<T, String>, CmdError>>,
{
    let deadline = Instant::now() + WAIT;
    let mut last: String;
    loop {
        match tokio::time::timeout(WAIT, probe()).await {
            Ok(Ok(Ok(v))) => return v,
            Ok(Ok(Err(seen))) => last = seen,
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => last = "a WebDriver command hung".into(),
        }
        if Instant::now() >= deadline {
            panic!("waited {WAIT:?} for {what}; last seen: {last}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for an element to be on the page.
async fn wait_element(c: &Client, css: &str) -> Element {
    wait_for(&format!("an element {css:?}"), || async { Ok(Ok(c.find(Locator::Css(css)).await?)) }).await
}

/// The visible text of the first element matching `css`, once it contains `needle`.
async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    wait_for(&format!("{css:?} to show {needle:?}"), || async {
        let text = c.find(Locator::Css(css)).await?.text().await?;
        Ok(if text.contains(needle) { Ok(text) } else { Err(format!("{css:?} reads {text:?}")) })
    })
    .await
}

/// The page's path and query, once `pred` holds for them.
async fn wait_path(c: &Client, what: &str, pred: impl Fn(&str) -> bool) -> String {
    wait_for(what, || async {
        let url = c.current_url().await?;
        let here = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        Ok(if pred(&here) { Ok(here) } else { Err(format!("the page is {here}")) })
    })
    .await
}

/// Waits until the page's `lang` attribute is `lang`.
async fn wait_lang(c: &Client, lang: &str) {
    wait_for(&format!("the page in language {lang:?}"), || async {
        let l = c.find(Locator::Css("html")).await?.attr("lang").await?;
        Ok(if l.as_deref() == Some(lang) { Ok(()) } else { Err(format!("html lang={l:?}")) })
    })
    .await
}

/// Waits until the element with this id has the keyboard focus.
async fn wait_focus(c: &Client, id: &str) {
    wait_for(&format!("#{id} to have the focus"), || async {
        let focused = c.active_element().await?.attr("id").await?;
        Ok(if focused.as_deref() == Some(id) { Ok(()) } else { Err(format!("the focus is on #{focused:?}")) })
    })
    .await
}

/// With `GAPURA_BROWSER_SCREENSHOTS=<dir>`, saves what the browser shows as `<dir>/<name>.png`,
/// for a person to look at.
async fn shot(c: &Client, name: &str) {
    let Some(dir) = std::env::var_os("GAPURA_BROWSER_SCREENSHOTS") else { return };
    let png = c.screenshot().await.unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
}

/// Signs in on the login page already shown, with the keyboard: the login field has the
/// focus, Enter in the password field submits.
async fn sign_in(c: &Client, login: &str) {
    let field = wait_element(c, "#login").await;
    wait_focus(c, "login").await;
    field.send_keys(login).await.unwrap();
    let password = c.find(Locator::Id("password")).await.unwrap();
    password.send_keys(&format!("{PASSWORD}{}", &*Key::Enter)).await.unwrap();
    wait_path(c, &format!("{login}'s sign-in to leave the login page"), |p| !p.starts_with("/console/login"))
        .await;
}

/// The refusal page for a page this officer may not open.
async fn assert_refused(c: &Client, base: &str, path: &str) {
    c.goto(&format!("{base}{path}")).await.unwrap();
    let problem = wait_element(c, "div.problem[role=alert]").await;
    assert_eq!(problem.attr("data-code").await.unwrap().as_deref(), Some("forbidden"), "{path}");
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Access refused", "{path}");
    let why = problem.text().await.unwrap();
    assert!(why.contains("Your roles do not allow this page or action."), "{path}: {why}");
    let here = c.current_url().await.unwrap();
    assert_eq!(here.path(), path, "a refusal stays on the refused address");
    shot(c, &format!("7-refused{}", path.replace('/', "-"))).await;
}

/// The walk through the console.
async fn walk(c: Client, base: String) {
    // Not signed in: the console sends the browser to the login page, in Indonesian.
    c.goto(&format!("{base}/console")).await.unwrap();
    wait_path(&c, "the login page", |p| p.starts_with("/console/login")).await;
    wait_lang(&c, "id").await;
    wait_text(&c, "h1", "Masuk").await;
    assert_eq!(c.find(Locator::Id("sign-in")).await.unwrap().text().await.unwrap(), "Masuk");
    shot(&c, "1-login-id").await;

    sign_in(&c, "admin").await;
    wait_path(&c, "the home page", |p| p == "/console").await;
    wait_text(&c, "h1", "Selamat datang, admin").await;
    wait_text(&c, "#sign-out", "Keluar").await;
    shot(&c, "2-home-id").await;

    // English, chosen by a link in the header; the choice outlives the page.
    c.find(Locator::Id("lang-en")).await.unwrap().click().await.unwrap();
    wait_lang(&c, "en").await;
    wait_path(&c, "the language switch to come back home", |p| p == "/console").await;
    wait_text(&c, "#sign-out", "Sign out").await;
    wait_text(&c, "h1", "Welcome, admin").await;
    assert!(c.find(Locator::Id("lang-id")).await.is_ok(), "Indonesian is offered as a link");
    assert!(c.find(Locator::Id("lang-en")).await.is_err(), "English, current, is not a link");
    shot(&c, "3-home-en").await;

    // A service point, found by name.
    c.find(Locator::LinkText("Service points")).await.unwrap().click().await.unwrap();
    wait_path(&c, "the service points page", |p| p == "/console/service-points").await;
    wait_lang(&c, "en").await;
    wait_text(&c, "h1", "Service points").await;
    let q = c.find(Locator::Id("q")).await.unwrap();
    wait_focus(&c, "q").await;
    q.send_keys(&format!("Soekarno{}", &*Key::Enter)).await.unwrap();
    wait_path(&c, "the search", |p| p.contains("q=Soekarno")).await;
    wait_text(&c, "#service-points", "TPI-CGK").await;
    shot(&c, "4-search").await;
    c.find(Locator::Css("#service-points a[href='/console/service-points/TPI-CGK']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_path(&c, "the service point's page", |p| p == "/console/service-points/TPI-CGK").await;
    wait_text(&c, "h1", "TPI Bandara Soekarno-Hatta").await;
    wait_text(&c, "main dl", "Airport").await;
    shot(&c, "5-point").await;

    // Signing out ends the session: back to the login page, still in English.
    c.find(Locator::Id("sign-out")).await.unwrap().click().await.unwrap();
    wait_path(&c, "the login page after signing out", |p| p.starts_with("/console/login")).await;
    wait_text(&c, "h1", "Sign in").await;
    assert!(c.find(Locator::Id("sign-out")).await.is_err(), "no sign-out button when signed out");
    shot(&c, "6-signed-out").await;
    c.goto(&format!("{base}/console")).await.unwrap();
    wait_path(&c, "the console to want a sign-in again", |p| p.starts_with("/console/login")).await;

    // A border officer: no audit, no officers, and a clear refusal when trying.
    sign_in(&c, "border.cgk").await;
    wait_text(&c, "h1", "Welcome, border.cgk").await;
    let nav = c.find(Locator::Css("nav[aria-label=main]")).await.unwrap().text().await.unwrap();
    assert!(nav.contains("Service points") && !nav.contains("Audit") && !nav.contains("Officers"), "{nav}");
    assert_refused(&c, &base, "/console/audit").await;
    assert_refused(&c, &base, "/console/officers").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_signs_in_switches_language_finds_a_point_and_is_refused() {
    let driver_bin = chromedriver();
    if !Path::new(CHROMIUM).is_file() || driver_bin.is_none() {
        if std::env::var("GAPURA_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{SKIPPED}");
        }
        eprintln!("{SKIPPED}");
        return;
    }
    let started = Instant::now();

    let app = TestApp::with_settings(Settings {
        secure_cookies: true,
        demo_logins: Vec::new(),
        screening_index: None,
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = gapura_server::app(app.state.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await
    });

    let mut driver = Driver::start(driver_bin.as_deref().unwrap());
    let client = connect(&mut driver).await;

    // The walk runs as its own task so that a failed check still lets the browser be closed.
    let mut walking = tokio::spawn(walk(client.clone(), base));
    let outcome = tokio::time::timeout(FLOW, &mut walking).await;
    walking.abort();
    if outcome.as_ref().map_or(true, |r| r.is_err()) {
        let seen = tokio::time::timeout(WAIT, async {
            let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            let text = match client.find(Locator::Css("body")).await {
                Ok(b) => b.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            format!("browser test failed on {url}; the page reads:\n{text}")
        })
        .await;
        eprintln!("{}", seen.unwrap_or_else(|_| "browser test failed; the browser does not answer".into()));
    }
    if tokio::time::timeout(WAIT, client.close()).await.is_ok_and(|r| r.is_ok()) {
        driver.session = None;
    }
    drop(driver);
    server.abort();

    match outcome {
        Err(_) => panic!("the browser test took over {FLOW:?}"),
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(e)) => panic!("{e}"),
        Ok(Ok(())) => eprintln!("browser test passed in {:.1} s", started.elapsed().as_secs_f64()),
    }
}
