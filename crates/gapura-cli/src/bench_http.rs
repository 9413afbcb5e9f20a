//! `gapura bench http`: the real server on 127.0.0.1, driven by concurrent keep-alive HTTP/1.1
//! clients in the same process, against the baseline of `GET /healthz` measured in the same
//! run (the HTTP stack alone: no store read, no authentication).
//!
//! It measures a plain authenticated read, a search and an audited read of personal data on
//! SQLite, the reads again on PostgreSQL when a URL is given, and then checks that every
//! audited read that answered 200 left exactly one `audit_reads` row. It is not a load test of
//! a deployment: clients and server share one runtime and the machine's cores.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use gapura_domain::{Event, OfficerId, TokenIssued};
use gapura_ledger::{ActorId, SiteId, TimeZoneName};

use crate::bench::{fmt_int, fmt_latency, fmt_rate, fmt_ratio};
use gapura_server::{AppState, Settings};
use gapura_store::postgres::{is_postgres_url, ScratchDatabase};
use gapura_store::sql::Value;
use gapura_store::{Location, Store};
use hyper_util::rt::TokioIo;

use crate::now_ms;

/// Length of each phase unless `--seconds` says otherwise, in seconds.
const PHASE_DEFAULT_S: u64 = 5;
/// The longest phase `--seconds` accepts, in seconds.
const PHASE_MAX_S: u64 = 3_600;
/// Concurrent keep-alive connections unless `--connections` says otherwise.
const CONNECTIONS_DEFAULT: usize = 16;
/// The most connections `--connections` accepts.
const CONNECTIONS_MAX: usize = 1_024;
/// The largest response body a client reads, in bytes (a page of 50 service points is ~15 KiB).
const RESPONSE_BYTES_MAX: usize = 1 << 20;
/// How long the bench's tokens stay valid, in milliseconds.
const TOKEN_LIFETIME_MS: i64 = 86_400_000;
/// Where the PostgreSQL URL comes from when `--postgres` is not given.
const POSTGRES_URL_ENV: &str = "GAPURA_TEST_POSTGRES_URL";
/// A demo officer with `reference.read` and no right to read other officers.
const READER_LOGIN: &str = "border.cgk";
/// A demo system administrator with a national scope.
const ADMIN_LOGIN: &str = "admin";

/// Requests per second of the real server: plain reads, a search and audited reads against
/// `GET /healthz`, on SQLite and PostgreSQL.
#[derive(clap::Args)]
pub struct HttpBench {
    /// Seconds per phase.
    #[arg(long, default_value_t = PHASE_DEFAULT_S)]
    seconds: u64,
    /// Concurrent keep-alive HTTP/1.1 connections, each sending one request at a time.
    #[arg(long, default_value_t = CONNECTIONS_DEFAULT)]
    connections: usize,
    /// A PostgreSQL server (any database on it: a scratch database is created and dropped).
    /// Without one, the PostgreSQL rows are skipped.
    #[arg(long, env = POSTGRES_URL_ENV, hide_env_values = true)]
    postgres: Option<String>,
    /// Directory for the SQLite store (a fresh subdirectory is made inside and removed after).
    /// Default: ./target/bench if ./target exists, else the system temp directory.
    #[arg(long)]
    dir: Option<PathBuf>,
}

struct Phase {
    name: &'static str,
    path: &'static str,
    /// Whose bearer token the requests carry (a fresh token per phase), if any.
    login: Option<&'static str>,
    /// Each 200 answer queues one `audit.personal_data_read` event.
    audited: bool,
}

const fn phase(name: &'static str, path: &'static str, login: Option<&'static str>, audited: bool) -> Phase {
    Phase { name, path, login, audited }
}
const HEALTHZ: Phase = phase("baseline: health", "/healthz", None, false);
const POINT: Phase = phase("one service point", "/api/v1/service-points/TPI-CGK", Some(READER_LOGIN), false);
const SEARCH: Phase = phase("search", "/api/v1/service-points?q=bandara&limit=50", Some(READER_LOGIN), false);
const OFFICER: Phase = phase("one officer (audited)", "/api/v1/officers/border.cgk", Some(ADMIN_LOGIN), true);

/// Requests timed one by one over a phase.
struct Sample {
    elapsed: Duration,
    /// Sorted ascending.
    latencies: Vec<Duration>,
    non_ok: u64,
    /// The first answer that was not 200: its status and body.
    first_non_ok: Option<String>,
    /// CPU time of the whole process (server and clients) over the phase, when known.
    cpu: Option<Duration>,
}

impl Sample {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    fn cpu_per_request(&self) -> Option<Duration> {
        let n = u32::try_from(self.latencies.len()).ok().filter(|n| *n > 0)?;
        self.cpu.map(|c| c / n)
    }
    /// Nearest-rank percentile.
    fn percentile(&self, p: u64) -> Option<Duration> {
        let n = self.latencies.len() as u64;
        let rank = (p * n).div_ceil(100).clamp(1, n.max(1));
        self.latencies.get((rank - 1) as usize).copied()
    }
}

struct Row {
    phase: &'static Phase,
    engine: &'static str,
    /// `Err` holds why the phase could not be measured.
    sample: Result<Sample, String>,
}

/// One engine's audit check: 200 answers of audited phases against the rows stored.
struct AuditCheck {
    engine: &'static str,
    answered: u64,
    rows: Result<u64, String>,
}

pub fn run(b: &HttpBench) -> Result<ExitCode> {
    let started = Instant::now();
    let log = |msg: &str| eprintln!("[bench {:>7.1} s] {msg}", started.elapsed().as_secs_f64());
    if b.seconds == 0 || b.seconds > PHASE_MAX_S {
        bail!("--seconds must be between 1 and {PHASE_MAX_S}");
    }
    if b.connections == 0 || b.connections > CONNECTIONS_MAX {
        bail!("--connections must be between 1 and {CONNECTIONS_MAX}");
    }
    let postgres = b.postgres.clone().filter(|u| !u.trim().is_empty());
    if postgres.as_deref().is_some_and(|u| !is_postgres_url(u)) {
        bail!("--postgres must be a postgres:// or postgresql:// URL");
    }
    let parent = crate::bench::bench_parent(b.dir.as_deref())?;
    let dir = tempfile::Builder::new()
        .prefix("gapura-bench-http-")
        .tempdir_in(&parent)
        .with_context(|| format!("creating a directory in {}", parent.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the tokio runtime")?;
    let workers = runtime.metrics().num_workers();
    let mut rows = Vec::new();
    let mut audits = Vec::new();

    // SQLite. Stores are built, counted and dropped here, outside the runtime: the synchronous
    // PostgreSQL client panics inside async code.
    let sqlite = Location::Sqlite(dir.path().join("store"));
    log(&format!("building a SQLite store at {sqlite}"));
    let mut store = build_store(&sqlite, None)?;
    let sqlite_version = text_of(store.raw_query("SELECT sqlite_version()", &[]));
    let phases = [&HEALTHZ, &POINT, &SEARCH, &OFFICER];
    let sqlite_rows = runtime.block_on(serve_and_drive(store, "SQLite", &phases, b, &log))?;
    audits.push(audit_check("SQLite", &sqlite_rows, &sqlite, None));
    rows.extend(sqlite_rows);

    // PostgreSQL.
    let mut pg_version = "skipped: no PostgreSQL URL (--postgres or GAPURA_TEST_POSTGRES_URL)".to_owned();
    if let Some(url) = &postgres {
        let scratch = ScratchDatabase::create(url, "benchhttp")
            .with_context(|| format!("creating a scratch database on {}", Location::Postgres(url.clone())))?;
        let location = Location::Postgres(scratch.url.clone());
        let key = dir.path().join("pg-site.key");
        log(&format!("building a PostgreSQL store at {location}"));
        let mut store = build_store(&location, Some(&key))?;
        pg_version = text_of(store.raw_query("SHOW server_version", &[]));
        let pg_rows = runtime.block_on(serve_and_drive(store, "PostgreSQL", &[&POINT, &OFFICER], b, &log))?;
        audits.push(audit_check("PostgreSQL", &pg_rows, &location, Some(&key)));
        rows.extend(pg_rows);
        drop(scratch);
    }
    drop(runtime);

    let facts = [
        ("CPUs (nproc)", std::thread::available_parallelism().map_or("unknown".into(), |n| n.to_string())),
        ("tokio worker threads (server and clients share them)", workers.to_string()),
        (
            "connections",
            format!("{} keep-alive HTTP/1.1 on 127.0.0.1, one request at a time each", b.connections),
        ),
        ("phases", format!("{} s each", b.seconds)),
        ("SQLite", sqlite_version),
        ("PostgreSQL", pg_version),
    ];
    let (md, ok) = report(&facts, &rows, &audits);
    print!("{md}");
    log(if ok { "done" } else { "done: some rows FAILED" });
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A store holding the reference data and the demo officers, as the server's tests build it.
fn build_store(location: &Location, key: Option<&Path>) -> Result<Store> {
    let site = SiteId::parse("bench").context("the bench site id")?;
    let tz = TimeZoneName::parse("Asia/Jakarta").context("the bench time zone")?;
    let actor = ActorId::parse("system:bench").context("the bench actor id")?;
    let mut store = Store::init(location, site, tz, key, now_ms())
        .with_context(|| format!("creating a store at {location}"))?;
    let reference = gapura_domain::demo::reference_events().context("reading the reference data")?;
    store.append(&actor, &reference, now_ms()).context("loading the reference data")?;
    let officers = gapura_server::demo::demo_officer_events().map_err(|e| anyhow!(e.body.message))?;
    store.append(&actor, &officers, now_ms()).context("creating the demo officers")?;
    Ok(store)
}

/// The first column of the first row of a one-value query, or why there is none.
fn text_of(rows: Result<Vec<Vec<Value>>, gapura_store::StoreError>) -> String {
    match rows.as_ref().map(|r| r.first().and_then(|r| r.first())) {
        Ok(Some(Value::Text(s))) => s.clone(),
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("unknown ({e})"),
    }
}

/// Serves the app on 127.0.0.1:0 over `store`, runs each phase, then stops the server the way
/// SIGTERM does (queued audit events commit) and returns the rows.
async fn serve_and_drive(
    store: Store,
    engine: &'static str,
    phases: &[&'static Phase],
    b: &HttpBench,
    log: &impl Fn(&str),
) -> Result<Vec<Row>> {
    let settings = Settings { secure_cookies: true, demo_logins: Vec::new(), screening_index: None };
    let state = gapura_server::new_state(settings, gapura_server::system_clock());
    let running = gapura_server::attach(&state, store);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("listening on 127.0.0.1")?;
    let addr = listener.local_addr().context("reading the listening address")?;
    let (server, stop_tx) = gapura_server::spawn_http(listener, state.clone());

    let mut rows = Vec::new();
    for &phase in phases {
        log(&format!("{engine}: {} (GET {}) for {} s", phase.name, phase.path, b.seconds));
        let token = match phase.login {
            Some(login) => Some(issue_token(&state, login).await?),
            None => None,
        };
        let sample = drive(addr, phase.path, token, Duration::from_secs(b.seconds), b.connections)
            .await
            .map_err(|e| format!("{e:#}"));
        if let Ok(s) = &sample {
            log(&format!(
                "  {} requests/s, p50 {}, p99 {}, CPU {} a request, {} not 200",
                fmt_rate(s.rate()),
                fmt_latency(s.percentile(50)),
                fmt_latency(s.percentile(99)),
                fmt_latency(s.cpu_per_request()),
                s.non_ok
            ));
        }
        rows.push(Row { phase, engine, sample });
    }

    log(&format!("{engine}: stopping the server (queued audit events commit)"));
    let _ = stop_tx.send(());
    server.await.context("the server task")?.context("serving")?;
    running.stop().await.context("stopping the store")?;
    Ok(rows)
}

/// A bearer token for `officer`, issued through the ledger as the console issues one.
async fn issue_token(state: &AppState, officer: &str) -> Result<HeaderValue> {
    let (token, token_id, secret_sha256) = gapura_server::auth::new_token();
    let event = Event::TokenIssued(TokenIssued {
        officer: OfficerId::parse(officer).with_context(|| format!("the officer id {officer}"))?,
        token_id,
        secret_sha256,
        label: "bench http".into(),
        expires_ms: state.now() + TOKEN_LIFETIME_MS,
    });
    let db = state.db().map_err(|e| anyhow!(e.body.message))?;
    let actor = ActorId::parse("system:bench").context("the bench actor id")?;
    db.append(actor, vec![event])
        .await
        .map_err(|e| anyhow!("issuing a token to {officer}: {}", e.body.message))?;
    HeaderValue::from_str(&format!("Bearer {token}")).context("the Authorization header")
}

/// `connections` clients, each on its own keep-alive connection sending `GET path` one request
/// after another until the phase ends. The clock starts once every connection is open.
async fn drive(
    addr: SocketAddr,
    path: &'static str,
    token: Option<HeaderValue>,
    phase: Duration,
    connections: usize,
) -> Result<Sample> {
    let mut senders = Vec::with_capacity(connections);
    for _ in 0..connections {
        let stream =
            tokio::net::TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true).context("setting TCP_NODELAY")?;
        let (sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(TokioIo::new(stream))
            .await
            .context("HTTP handshake")?;
        senders.push((sender, tokio::spawn(conn)));
    }
    let host = HeaderValue::from_str(&addr.to_string()).context("the Host header")?;
    let cpu_before = process_cpu();
    let started = Instant::now();
    let deadline = started + phase;
    let clients: Vec<_> = senders
        .into_iter()
        .map(|(mut sender, conn)| {
            let (host, token) = (host.clone(), token.clone());
            tokio::spawn(async move {
                let (mut latencies, mut non_ok, mut first_non_ok) = (Vec::new(), 0u64, None);
                while Instant::now() < deadline {
                    let mut req = Request::get(path).header(header::HOST, host.clone());
                    if let Some(t) = &token {
                        req = req.header(header::AUTHORIZATION, t.clone());
                    }
                    let req = req.body(Body::empty()).context("building a request")?;
                    let t = Instant::now();
                    sender.ready().await.context("waiting for the connection")?;
                    let resp = sender.send_request(req).await.context("sending a request")?;
                    let status = resp.status();
                    let body = axum::body::to_bytes(Body::new(resp.into_body()), RESPONSE_BYTES_MAX)
                        .await
                        .context("reading a response")?;
                    latencies.push(t.elapsed());
                    if status != StatusCode::OK {
                        non_ok += 1;
                        first_non_ok
                            .get_or_insert_with(|| format!("{status}: {}", String::from_utf8_lossy(&body)));
                    }
                }
                drop(sender);
                let _ = conn.await;
                anyhow::Ok((latencies, non_ok, first_non_ok))
            })
        })
        .collect();
    let mut all = Sample { elapsed: phase, latencies: Vec::new(), non_ok: 0, first_non_ok: None, cpu: None };
    for c in clients {
        let (latencies, non_ok, first_non_ok) = c.await.context("a client task failed")??;
        all.latencies.extend(latencies);
        all.non_ok += non_ok;
        all.first_non_ok = all.first_non_ok.or(first_non_ok);
    }
    all.elapsed = started.elapsed();
    all.cpu = process_cpu().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    all.latencies.sort_unstable();
    Ok(all)
}

/// User and system CPU time of this process, all threads, from /proc/self/stat (Linux only).
fn process_cpu() -> Option<Duration> {
    // Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis,
    // in USER_HZ ticks, which Linux fixes at 100 per second for user space.
    const USER_HZ: u64 = 100;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let ticks = fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 1000 / USER_HZ))
}

/// Counts the `audit_reads` rows of a stopped server's store against its audited 200 answers.
fn audit_check(engine: &'static str, rows: &[Row], location: &Location, key: Option<&Path>) -> AuditCheck {
    let answered = rows
        .iter()
        .filter(|r| r.phase.audited)
        .filter_map(|r| r.sample.as_ref().ok())
        .map(|s| s.latencies.len() as u64 - s.non_ok)
        .sum();
    let rows = Store::open(location, key)
        .and_then(|mut s| s.count_rows("audit_reads"))
        .map_err(|e| format!("counting audit_reads at {location}: {e}"));
    AuditCheck { engine, answered, rows }
}

/// The Markdown report, and whether every phase and every audit check passed.
fn report(facts: &[(&str, String)], rows: &[Row], audits: &[AuditCheck]) -> (String, bool) {
    let mut ok = true;
    let mut md = String::from("# gapura bench http\n\n");
    let _ = writeln!(md, "Command: `{}`\n", command_line());
    md.push_str("| fact | value |\n|---|---|\n");
    for (fact, value) in facts {
        let _ = writeln!(md, "| {fact} | {} |", value.replace(['\n', '|'], " "));
    }
    let baseline = rows.iter().find(|r| r.phase.path == HEALTHZ.path).and_then(|r| r.sample.as_ref().ok());
    md.push_str(concat!(
        "\n## Requests\n\nBaseline: `GET /healthz` on the same server in the same run (no store read, ",
        "no authentication). \"× plain read\" compares with `GET /api/v1/service-points/TPI-CGK` on the ",
        "same engine. \"CPU a request\" is the whole process's CPU time (server, clients, writer) over ",
        "the phase divided by its requests.\n\n",
        "| phase | request | engine | requests | requests/s | p50 | p99 | CPU a request | not 200 | × /healthz | × plain read |\n",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    ));
    for r in rows {
        let head = format!("| {} | `GET {}` | {} |", r.phase.name, r.phase.path, r.engine);
        let s = match &r.sample {
            Ok(s) => s,
            Err(e) => {
                ok = false;
                let _ = writeln!(md, "{head} **FAILED**: {} | | | | | | | |", e.replace(['\n', '|'], " "));
                continue;
            }
        };
        let ratio = |base: Option<&Sample>| base.map_or("n/a".into(), |b| fmt_ratio(s.rate() / b.rate()));
        let plain = rows
            .iter()
            .find(|p| p.engine == r.engine && p.phase.path == POINT.path)
            .and_then(|p| p.sample.as_ref().ok());
        let failed = if s.non_ok == 0 {
            "0".to_owned()
        } else {
            ok = false;
            format!(
                "**{}** (first: {})",
                s.non_ok,
                s.first_non_ok.as_deref().unwrap_or("").replace(['\n', '|'], " ")
            )
        };
        let _ = writeln!(
            md,
            "{head} {} | {} | {} | {} | {} | {failed} | {} | {} |",
            fmt_int(s.latencies.len() as u64),
            fmt_rate(s.rate()),
            fmt_latency(s.percentile(50)),
            fmt_latency(s.percentile(99)),
            fmt_latency(s.cpu_per_request()),
            ratio(baseline),
            if r.phase.path == HEALTHZ.path { "".into() } else { ratio(plain) },
        );
    }
    md.push_str(concat!(
        "\n## Audit records\n\nAfter the phases the server is stopped as SIGTERM stops it (queued audit ",
        "events commit); then the store is opened and its `audit_reads` rows are counted. Each audited ",
        "read of one officer must leave exactly one row.\n\n",
        "| engine | audited reads answered 200 | `audit_reads` rows | verdict |\n|---|---:|---:|---|\n",
    ));
    for a in audits {
        let (rows, verdict) = match &a.rows {
            Ok(n) if *n == a.answered => (fmt_int(*n), "equal".to_owned()),
            Ok(n) => (fmt_int(*n), "**MISMATCH**".to_owned()),
            Err(e) => ("n/a".into(), format!("**FAILED**: {}", e.replace(['\n', '|'], " "))),
        };
        ok &= verdict == "equal";
        let _ = writeln!(md, "| {} | {} | {rows} | {verdict} |", a.engine, fmt_int(a.answered));
    }
    md.push('\n');
    (md, ok)
}

/// The command line as given, with any password in a PostgreSQL URL hidden.
fn command_line() -> String {
    std::env::args()
        .map(|a| match a.split_once('=') {
            _ if is_postgres_url(&a) => Location::Postgres(a).to_string(),
            Some((flag, url)) if flag.starts_with("--") && is_postgres_url(url) => {
                format!("{flag}={}", Location::Postgres(url.to_owned()))
            }
            _ => a,
        })
        .collect::<Vec<_>>()
        .join(" ")
}
