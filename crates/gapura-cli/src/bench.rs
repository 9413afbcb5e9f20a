//! `gapura bench`: measurements, each against a baseline measured in the same
//! run, printed as Markdown.
//!
//! `gapura bench ledger` measures, in order: the directory's raw fsync rate (the physical
//! limit of one durable commit at a time); single appends and group-committed appends on
//! SQLite and PostgreSQL against it; and a large SQLite ledger built through the batched
//! path, then verified, replayed, exported and imported, each against the raw SHA-256 rate
//! over the same entries (the physical limit of verification). `gapura bench http`
//! (`bench_http.rs`) measures the server's reads and audited reads against its own
//! `/healthz`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context, Result};
use gapura_domain::Event;
use gapura_ledger::segment::{read_segment, Manifest};
use gapura_ledger::{ActorId, EntryDraft, EventType, Hash, SiteId, TimeZoneName};
use gapura_store::postgres::{is_postgres_url, ScratchDatabase};
use gapura_store::sql::Value;
use gapura_store::{verify_export, GroupCommitter, ImportOptions, Location, Store, VerifyOptions, DB_FILE};

use crate::now_ms;

/// Events in the large ledger unless `--events` says otherwise.
const LEDGER_EVENTS_DEFAULT: u64 = 10_000_000;
/// The most events `--events` accepts.
const LEDGER_EVENTS_MAX: u64 = 1_000_000_000;
/// Length of each throughput phase unless `--seconds` says otherwise, in seconds.
pub(crate) const PHASE_DEFAULT_S: u64 = 5;
/// The longest throughput phase `--seconds` accepts, in seconds.
pub(crate) const PHASE_MAX_S: u64 = 3_600;
/// Bytes written before each fsync of the physical baseline.
const FSYNC_WRITE_BYTES: usize = 256;
/// Threads appending through the group committer.
const GROUP_THREADS: usize = 16;
/// Drafts per transaction when building the large ledger.
const BUILD_BATCH_EVENTS: u64 = 10_000;
/// Distinct drill names the synthetic events cycle through (`gate-0` … `gate-89`).
const DRILL_GATES: u64 = 90;
/// Progress lines per long phase.
const PROGRESS_STEPS: u64 = 10;
/// Where the PostgreSQL URL comes from when `--postgres` is not given.
const POSTGRES_URL_ENV: &str = "GAPURA_TEST_POSTGRES_URL";
/// The segment files' directory inside an export (the layout `Store::export` writes).
const EXPORT_SEGMENTS_DIR: &str = "segments";

/// Measure the ledger against named baselines and print a Markdown report.
#[derive(clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(clap::Subcommand)]
enum BenchWhat {
    /// The fsync rate; single and group-committed appends on SQLite and PostgreSQL; a large
    /// ledger's build, verify, replay, export and import against the raw SHA-256 rate.
    Ledger(LedgerBench),
    /// Requests per second of the real server: plain reads, a search and audited reads
    /// against `GET /healthz`, on SQLite and PostgreSQL.
    Http(crate::bench_http::HttpBench),
    /// ICAO 9303 travel documents: MRZ parses against the raw check-digit computation, and
    /// passive authentication against `openssl cms -verify` on the same files.
    Mrtd(crate::bench_mrtd::MrtdBench),
    /// Screening against a million names and a hundred million documents, beside PostgreSQL
    /// (pg_trgm and a primary key) on the same data; the index's memory and load time.
    Screening(crate::bench_screening::ScreeningBench),
}

#[derive(clap::Args)]
struct LedgerBench {
    /// Directory for the stores, the export and the fsync probe (a fresh subdirectory is made
    /// inside). Default: ./target/bench if ./target exists, else the system temp directory.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Events in the large ledger (SQLite).
    #[arg(long, default_value_t = LEDGER_EVENTS_DEFAULT)]
    events: u64,
    /// A PostgreSQL server on this machine (any database on it: scratch databases are created
    /// and dropped). Without one, the PostgreSQL rows are skipped.
    #[arg(long, env = POSTGRES_URL_ENV, hide_env_values = true)]
    postgres: Option<String>,
    /// Seconds per throughput phase.
    #[arg(long, default_value_t = PHASE_DEFAULT_S)]
    seconds: u64,
    /// Also write the Markdown report to this file (rewritten as each section finishes).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Keep the stores and the export instead of deleting them at the end.
    #[arg(long)]
    keep: bool,
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    match &args.what {
        BenchWhat::Ledger(b) => ledger(b),
        BenchWhat::Http(b) => crate::bench_http::run(b),
        BenchWhat::Mrtd(b) => crate::bench_mrtd::run(b),
        BenchWhat::Screening(b) => crate::bench_screening::run(b),
    }
}

// ---------------------------------------------------------------------------------------------
// Small pieces: samples, formatting, logging, the report.

/// Operations timed one by one over a phase.
pub(crate) struct Sample {
    pub(crate) ops: u64,
    elapsed: Duration,
    /// Sorted ascending.
    latencies: Vec<Duration>,
}

impl Sample {
    pub(crate) fn new(mut latencies: Vec<Duration>, elapsed: Duration) -> Sample {
        latencies.sort_unstable();
        Sample { ops: latencies.len() as u64, elapsed, latencies }
    }
    pub(crate) fn rate(&self) -> f64 {
        per_second(self.ops, self.elapsed)
    }
    /// Nearest-rank percentile.
    pub(crate) fn percentile(&self, p: u64) -> Option<Duration> {
        let n = self.latencies.len() as u64;
        if n == 0 {
            return None;
        }
        let rank = (p * n).div_ceil(100).clamp(1, n);
        self.latencies.get((rank - 1) as usize).copied()
    }
}

/// What became of one measured row.
pub(crate) enum Outcome<T> {
    Done(T),
    Skipped(String),
    Failed(String),
}

impl<T> Outcome<T> {
    pub(crate) fn done(&self) -> Option<&T> {
        match self {
            Outcome::Done(t) => Some(t),
            _ => None,
        }
    }
    /// The text for a row that has no numbers.
    pub(crate) fn why_not(&self) -> Option<String> {
        match self {
            Outcome::Done(_) => None,
            Outcome::Skipped(s) => Some(format!("skipped: {s}")),
            Outcome::Failed(s) => Some(format!("**FAILED**: {}", one_line(s))),
        }
    }
}

/// The parent of benchmark directories: `--dir`, else ./target/bench if ./target exists,
/// else the system temp directory (created if absent).
pub(crate) fn bench_parent(dir: Option<&Path>) -> Result<PathBuf> {
    let parent = match dir {
        Some(d) => d.to_owned(),
        None if Path::new("target").is_dir() => PathBuf::from("target").join("bench"),
        None => std::env::temp_dir(),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    Ok(parent)
}

/// A new directory for one benchmark run, named by the benchmark, the time and the process.
pub(crate) fn fresh_run_dir(dir: Option<&Path>, bench: &str) -> Result<PathBuf> {
    let parent = bench_parent(dir)?;
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let path = parent.join(format!("gapura-bench-{bench}-{stamp}-{}", std::process::id()));
    std::fs::create_dir(&path).with_context(|| format!("creating {}", path.display()))?;
    std::fs::canonicalize(&path).with_context(|| format!("resolving {}", path.display()))
}

pub(crate) fn per_second(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\n', '|'], " ")
}

pub(crate) fn fmt_int(n: u64) -> String {
    let digits = n.to_string();
    let mut groups: Vec<&str> = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(",")
}

pub(crate) fn fmt_rate(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".into();
    }
    if r >= 100.0 {
        fmt_int(r.round() as u64)
    } else {
        format!("{r:.1}")
    }
}

pub(crate) fn fmt_ratio(r: f64) -> String {
    if !r.is_finite() {
        "n/a".into()
    } else if r >= 10.0 {
        format!("{r:.1}×")
    } else if r >= 0.1 {
        format!("{r:.2}×")
    } else {
        format!("{r:.4}×")
    }
}

pub(crate) fn fmt_latency(d: Option<Duration>) -> String {
    match d {
        None => "n/a".into(),
        Some(d) if d < Duration::from_millis(1) => format!("{:.0} µs", d.as_secs_f64() * 1e6),
        Some(d) => format!("{:.2} ms", d.as_secs_f64() * 1e3),
    }
}

fn fmt_secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

pub(crate) fn fmt_bytes(b: u64) -> String {
    const KIB: f64 = 1024.0;
    let f = b as f64;
    if f >= KIB * KIB * KIB {
        format!("{:.2} GiB", f / (KIB * KIB * KIB))
    } else if f >= KIB * KIB {
        format!("{:.1} MiB", f / (KIB * KIB))
    } else if f >= KIB {
        format!("{:.1} KiB", f / KIB)
    } else {
        format!("{b} B")
    }
}

/// Progress lines on stderr, stamped with the time since the run started.
pub(crate) struct Log {
    pub(crate) started: Instant,
}

impl Log {
    pub(crate) fn line(&self, msg: impl std::fmt::Display) {
        eprintln!("[bench {:>7.1} s] {msg}", self.started.elapsed().as_secs_f64());
    }

    /// A progress callback that prints a line each time another tenth of the total is done.
    fn steps<'a>(&'a self, label: &'a str) -> impl FnMut(u64, u64) + 'a {
        let started = Instant::now();
        let mut printed = 0u64;
        move |done, total| {
            if total == 0 {
                return;
            }
            let step = (done.min(total).saturating_mul(PROGRESS_STEPS)) / total;
            if step > printed && step < PROGRESS_STEPS {
                printed = step;
                self.line(format_args!(
                    "  {label}: {}/{} ({} events/s so far)",
                    fmt_int(done),
                    fmt_int(total),
                    fmt_rate(per_second(done, started.elapsed()))
                ));
            }
        }
    }
}

/// The Markdown report: printed to stdout section by section, and rewritten to `--out` after
/// every section (with any results still pending) so that partial results survive.
struct Report {
    text: String,
    out: Option<PathBuf>,
}

impl Report {
    fn emit(&mut self, section: &str) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(section.as_bytes()).context("writing the report to stdout")?;
        stdout.flush().context("writing the report to stdout")?;
        self.text.push_str(section);
        self.save(None)
    }

    fn save(&self, pending: Option<&str>) -> Result<()> {
        if let Some(path) = &self.out {
            let mut text = self.text.clone();
            if let Some(p) = pending {
                text.push_str(p);
            }
            std::fs::write(path, text)
                .with_context(|| format!("writing the report to {}", path.display()))?;
        }
        Ok(())
    }
}

/// The run's directory: deleted on the way out unless `--keep`.
pub(crate) struct RunDir {
    pub(crate) path: PathBuf,
    pub(crate) keep: bool,
}

impl Drop for RunDir {
    fn drop(&mut self) {
        if !self.keep && self.path.exists() {
            if let Err(e) = std::fs::remove_dir_all(&self.path) {
                eprintln!("bench: could not remove {}: {e}", self.path.display());
            }
        }
    }
}

fn bench_actor() -> Result<ActorId> {
    ActorId::parse("system:bench").context("the bench actor id")
}

fn marker(n: u64) -> Event {
    Event::DrillMarkerRecorded {
        drill: format!("gate-{}", n % DRILL_GATES),
        number: n,
        padding: String::new(),
    }
}

fn text_of(rows: &[Vec<Value>]) -> String {
    match rows.first().and_then(|r| r.first()) {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Int(i)) => i.to_string(),
        Some(v) => format!("{v:?}"),
        None => "(no row)".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Machine facts.

pub(crate) fn memory_total() -> String {
    let text = match std::fs::read_to_string("/proc/meminfo") {
        Ok(t) => t,
        Err(e) => return format!("unknown (/proc/meminfo: {e})"),
    };
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|kib| fmt_bytes(kib.saturating_mul(1024)))
        .unwrap_or_else(|| "unknown (no MemTotal in /proc/meminfo)".into())
}

/// `/proc/mounts` escapes space, tab, newline and backslash as octal.
fn unescape_mount(s: &str) -> String {
    s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")
}

/// The file system holding `path`, from the longest matching mount point in /proc/mounts.
fn filesystem_of(path: &Path) -> String {
    let path = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(e) => return format!("unknown ({}: {e})", path.display()),
    };
    let mounts = match std::fs::read_to_string("/proc/mounts") {
        Ok(t) => t,
        Err(e) => return format!("unknown (/proc/mounts: {e})"),
    };
    let mut best: Option<(PathBuf, String, String)> = None;
    for line in mounts.lines() {
        let mut f = line.split_whitespace();
        let (Some(dev), Some(mnt), Some(fs)) = (f.next(), f.next(), f.next()) else { continue };
        let mnt = PathBuf::from(unescape_mount(mnt));
        if path.starts_with(&mnt)
            && best.as_ref().is_none_or(|(m, _, _)| mnt.components().count() >= m.components().count())
        {
            best = Some((mnt, dev.to_owned(), fs.to_owned()));
        }
    }
    match best {
        Some((mnt, dev, fs)) => format!("{fs} ({dev} mounted on {})", mnt.display()),
        None => "unknown (no mount point in /proc/mounts)".into(),
    }
}

/// The command line as given, with any password in a PostgreSQL URL hidden.
pub(crate) fn command_line() -> String {
    let quote = |a: &str| {
        if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c)) {
            a.to_owned()
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    let hide = |a: String| -> String {
        if is_postgres_url(&a) {
            return Location::Postgres(a).to_string();
        }
        match a.split_once('=') {
            Some((flag, url)) if flag.starts_with("--") && is_postgres_url(url) => {
                format!("{flag}={}", Location::Postgres(url.to_owned()))
            }
            _ => a,
        }
    };
    std::env::args_os().map(|a| quote(&hide(a.to_string_lossy().into_owned()))).collect::<Vec<_>>().join(" ")
}

/// The host a PostgreSQL URL names (empty for a Unix socket).
fn postgres_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = hostport.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("").to_owned();
    }
    hostport.split(':').next().unwrap_or("").to_owned()
}

// ---------------------------------------------------------------------------------------------
// The benchmark.

struct Setup {
    run: RunDir,
    events: u64,
    phase: Duration,
    postgres: Option<String>,
    log: Log,
}

fn ledger(b: &LedgerBench) -> Result<ExitCode> {
    let log = Log { started: Instant::now() };
    if b.events == 0 || b.events > LEDGER_EVENTS_MAX {
        bail!("--events must be between 1 and {}", fmt_int(LEDGER_EVENTS_MAX));
    }
    if b.seconds == 0 || b.seconds > PHASE_MAX_S {
        bail!("--seconds must be between 1 and {PHASE_MAX_S}");
    }
    let postgres = b.postgres.clone().filter(|u| !u.trim().is_empty());
    if let Some(url) = &postgres {
        if !is_postgres_url(url) {
            bail!("--postgres must be a postgres:// or postgresql:// URL");
        }
        let host = postgres_host(url);
        if !["", "127.0.0.1", "localhost", "::1"].contains(&host.as_str()) {
            bail!(
                "--postgres names host {host:?}: the benchmark compares against this machine's fsync rate, so the server must be on this machine (127.0.0.1)"
            );
        }
    }
    let path = fresh_run_dir(b.dir.as_deref(), "ledger")?;
    let setup = Setup {
        run: RunDir { path, keep: b.keep },
        events: b.events,
        phase: Duration::from_secs(b.seconds),
        postgres,
        log,
    };
    let mut report = Report { text: String::new(), out: b.out.clone() };
    let ok = bench_ledger(&setup, &mut report)?;
    let dir = setup.run.path.clone();
    let keep = setup.run.keep;
    drop(setup);
    let mut tail = String::new();
    if keep {
        let _ = writeln!(tail, "Kept the stores and the export in `{}`.\n", dir.display());
    }
    if !ok {
        let _ = writeln!(tail, "**Some rows FAILED: see above.**\n");
    }
    if !tail.is_empty() {
        report.emit(&tail)?;
    }
    eprintln!(
        "bench: done{}",
        b.out.as_ref().map(|p| format!("; report written to {}", p.display())).unwrap_or_default()
    );
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Runs every phase; `Ok(false)` if some row failed (its reason is in the report).
fn bench_ledger(s: &Setup, report: &mut Report) -> Result<bool> {
    let dir = &s.run.path;
    let site = SiteId::parse("bench").context("the bench site id")?;
    let tz = TimeZoneName::parse("Asia/Jakarta").context("the bench time zone")?;
    let mut ok = true;

    // The stores of the append phases, opened first so that the facts can come from them.
    s.log.line("opening the append stores");
    let sqlite_loc = Location::Sqlite(dir.join("sqlite-appends"));
    let mut sqlite = Store::init(&sqlite_loc, site.clone(), tz.clone(), None, now_ms())
        .with_context(|| format!("creating a SQLite store at {sqlite_loc}"))?;
    let pg_scratch = match &s.postgres {
        Some(url) => Some(ScratchDatabase::create(url, "benchappend").with_context(|| {
            format!("creating a scratch database on {}", Location::Postgres(url.clone()))
        })?),
        None => None,
    };
    let mut pg = match &pg_scratch {
        Some(db) => {
            let loc = Location::Postgres(db.url.clone());
            Some(
                Store::init(&loc, site.clone(), tz.clone(), Some(&dir.join("pg-appends.key")), now_ms())
                    .with_context(|| format!("creating a PostgreSQL store at {loc}"))?,
            )
        }
        None => None,
    };

    // Facts.
    let mut md = String::from("# gapura bench ledger\n\n");
    let _ = writeln!(md, "Command: `{}`\n", command_line());
    md.push_str("| fact | value |\n|---|---|\n");
    let cpus = std::thread::available_parallelism()
        .map(|n| n.to_string())
        .unwrap_or_else(|e| format!("unknown ({e})"));
    let _ = writeln!(md, "| CPUs (nproc) | {cpus} |");
    let _ = writeln!(md, "| memory (MemTotal) | {} |", memory_total());
    let _ = writeln!(md, "| bench directory | `{}` |", dir.display());
    let _ = writeln!(md, "| its file system | {} |", filesystem_of(dir));
    let sqlite_version =
        text_of(&sqlite.raw_query("SELECT sqlite_version()", &[]).context("asking SQLite its version")?);
    let journal =
        text_of(&sqlite.raw_query("PRAGMA journal_mode", &[]).context("asking SQLite its journal mode")?);
    let sync = text_of(
        &sqlite.raw_query("PRAGMA synchronous", &[]).context("asking SQLite its synchronous setting")?,
    );
    let _ = writeln!(md, "| SQLite | {sqlite_version} (journal_mode={journal}, synchronous={sync}) |");
    match pg.as_mut() {
        Some(p) => {
            let mut show = |what: &str| -> String {
                p.raw_query(&format!("SHOW {what}"), &[])
                    .map(|r| text_of(&r))
                    .unwrap_or_else(|e| format!("not visible ({e})"))
            };
            let version = show("server_version");
            let commit = show("synchronous_commit");
            let fsync = show("fsync");
            let method = show("wal_sync_method");
            let data = show("data_directory");
            let data_fs = if Path::new(&data).is_dir() {
                filesystem_of(Path::new(&data))
            } else {
                "not readable here".into()
            };
            let _ = writeln!(
                md,
                "| PostgreSQL | {version} (synchronous_commit={commit}, fsync={fsync}, wal_sync_method={method}) |"
            );
            let _ = writeln!(md, "| PostgreSQL data directory | `{data}`: {data_fs} |");
        }
        None => {
            let _ = writeln!(
                md,
                "| PostgreSQL | skipped: no PostgreSQL URL (--postgres or {POSTGRES_URL_ENV}) |"
            );
        }
    }
    let _ = writeln!(
        md,
        "| phases | {} s per throughput phase; large ledger of {} events |\n",
        s.phase.as_secs(),
        fmt_int(s.events)
    );
    report.emit(&md)?;

    // 1. The physical baseline.
    s.log.line(format_args!("1. fsync baseline for {} s", s.phase.as_secs()));
    let fsync = fsync_rate(dir, s.phase)?;
    s.log.line(format_args!("   {} fsyncs/s", fmt_rate(fsync.rate())));
    let mut md = String::from("## 1. Physical baseline: fsync rate of the bench directory\n\n");
    md.push_str("| baseline | operations | fsyncs/s | p50 | p99 |\n|---|---:|---:|---:|---:|\n");
    let _ = writeln!(
        md,
        "| append {FSYNC_WRITE_BYTES} B to a file + `sync_data()` (fdatasync) | {} | {} | {} | {} |\n",
        fmt_int(fsync.ops),
        fmt_rate(fsync.rate()),
        fmt_latency(fsync.percentile(50)),
        fmt_latency(fsync.percentile(99))
    );
    report.emit(&md)?;

    // 2. Single appends.
    s.log.line(format_args!("2. single appends on SQLite for {} s", s.phase.as_secs()));
    let single_sqlite = outcome(single_appends(&mut sqlite, s.phase), &mut ok);
    log_sample(&s.log, "   SQLite", &single_sqlite);
    let single_pg = match pg.as_mut() {
        Some(p) => {
            s.log.line(format_args!("2. single appends on PostgreSQL for {} s", s.phase.as_secs()));
            outcome(single_appends(p, s.phase), &mut ok)
        }
        None => Outcome::Skipped("no PostgreSQL URL".into()),
    };
    log_sample(&s.log, "   PostgreSQL", &single_pg);
    let mut md = String::from("## 2. Single append: one event per transaction (`Store::append`)\n\n");
    md.push_str("Baseline: the fsync rate of section 1.\n\n");
    md.push_str("| engine | events | events/s | p50 latency | p99 latency | × fsync rate |\n|---|---:|---:|---:|---:|---:|\n");
    for (engine, o) in [("SQLite", &single_sqlite), ("PostgreSQL", &single_pg)] {
        throughput_row(&mut md, engine, o, None, &fsync);
    }
    md.push('\n');
    report.emit(&md)?;

    // 3. Group commit.
    s.log.line(format_args!(
        "3. group commit, {GROUP_THREADS} threads, on SQLite for {} s",
        s.phase.as_secs()
    ));
    let group_sqlite = outcome(group_appends(sqlite, s.phase), &mut ok);
    log_sample(&s.log, "   SQLite", &group_sqlite);
    let group_pg = match pg.take() {
        Some(p) => {
            s.log.line(format_args!(
                "3. group commit, {GROUP_THREADS} threads, on PostgreSQL for {} s",
                s.phase.as_secs()
            ));
            outcome(group_appends(p, s.phase), &mut ok)
        }
        None => Outcome::Skipped("no PostgreSQL URL".into()),
    };
    log_sample(&s.log, "   PostgreSQL", &group_pg);
    drop(pg_scratch);
    let mut md = format!(
        "## 3. Group commit: {GROUP_THREADS} threads, one event per call (`GroupCommitter` handle `append`)\n\n"
    );
    md.push_str(
        "Baselines: the single append of section 2 on the same engine, and the fsync rate of section 1.\n\n",
    );
    md.push_str(
        "| engine | events | events/s | p50 latency | p99 latency | × single append | × fsync rate |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for (engine, o, single) in
        [("SQLite", &group_sqlite, &single_sqlite), ("PostgreSQL", &group_pg, &single_pg)]
    {
        throughput_row(&mut md, engine, o, Some(single), &fsync);
    }
    md.push('\n');
    report.emit(&md)?;

    // 4. The large ledger.
    large_ledger(s, &site, &tz, report, &mut ok)?;
    Ok(ok)
}

fn outcome<T>(r: Result<T>, ok: &mut bool) -> Outcome<T> {
    match r {
        Ok(t) => Outcome::Done(t),
        Err(e) => {
            *ok = false;
            Outcome::Failed(format!("{e:#}"))
        }
    }
}

/// One engine's row of a throughput table; with `single`, the row has the extra
/// "× single append" column of the group-commit table.
fn throughput_row(
    md: &mut String,
    engine: &str,
    o: &Outcome<Sample>,
    single: Option<&Outcome<Sample>>,
    fsync: &Sample,
) {
    match o.done() {
        Some(x) => {
            let vs_single = single
                .map(|s| format!(" {} |", s.done().map_or("n/a".into(), |y| fmt_ratio(x.rate() / y.rate()))))
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "| {engine} | {} | {} | {} | {} |{vs_single} {} |",
                fmt_int(x.ops),
                fmt_rate(x.rate()),
                fmt_latency(x.percentile(50)),
                fmt_latency(x.percentile(99)),
                fmt_ratio(x.rate() / fsync.rate())
            );
        }
        None => {
            let empty = " |".repeat(4 + usize::from(single.is_some()));
            let _ = writeln!(md, "| {engine} | {} |{empty}", o.why_not().unwrap_or_default());
        }
    }
}

fn log_sample(log: &Log, label: &str, o: &Outcome<Sample>) {
    match o {
        Outcome::Done(x) => log.line(format_args!(
            "{label}: {} events/s, p50 {}, p99 {}",
            fmt_rate(x.rate()),
            fmt_latency(x.percentile(50)),
            fmt_latency(x.percentile(99))
        )),
        other => log.line(format_args!("{label}: {}", other.why_not().unwrap_or_default())),
    }
}

/// Appends `FSYNC_WRITE_BYTES` at the end of a file and fdatasyncs it, for `phase`.
fn fsync_rate(dir: &Path, phase: Duration) -> Result<Sample> {
    let path = dir.join("fsync-probe");
    let mut f = std::fs::OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    let block = [0x5a_u8; FSYNC_WRITE_BYTES];
    let mut latencies = Vec::new();
    let started = Instant::now();
    while started.elapsed() < phase {
        let t = Instant::now();
        f.write_all(&block).with_context(|| format!("writing {}", path.display()))?;
        f.sync_data().with_context(|| format!("syncing {}", path.display()))?;
        latencies.push(t.elapsed());
    }
    let elapsed = started.elapsed();
    drop(f);
    std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    Ok(Sample::new(latencies, elapsed))
}

/// One event per `Store::append`, for `phase`.
fn single_appends(store: &mut Store, phase: Duration) -> Result<Sample> {
    let actor = bench_actor()?;
    let mut latencies = Vec::new();
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < phase {
        n += 1;
        let events = [marker(n)];
        let t = Instant::now();
        store.append(&actor, &events, now_ms()).context("appending one event")?;
        latencies.push(t.elapsed());
    }
    Ok(Sample::new(latencies, started.elapsed()))
}

/// `GROUP_THREADS` threads each appending one event at a time through a group committer,
/// for `phase`. The store is consumed (its writer is shut down at the end).
fn group_appends(store: Store, phase: Duration) -> Result<Sample> {
    let actor = bench_actor()?;
    let committer = GroupCommitter::start(store, Arc::new(now_ms));
    let next = AtomicU64::new(1_000_000_000);
    let started = Instant::now();
    let deadline = started + phase;
    let results: Vec<Result<Vec<Duration>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..GROUP_THREADS)
            .map(|_| {
                let handle = committer.handle();
                let (actor, next) = (&actor, &next);
                scope.spawn(move || -> Result<Vec<Duration>> {
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline {
                        let events = [marker(next.fetch_add(1, Ordering::Relaxed))];
                        let t = Instant::now();
                        handle.append(actor, &events).context("appending through the group committer")?;
                        latencies.push(t.elapsed());
                    }
                    Ok(latencies)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(anyhow!("a bench thread panicked"))))
            .collect()
    });
    let elapsed = started.elapsed();
    drop(committer.shutdown());
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    Ok(Sample::new(all, elapsed))
}

/// Bytes of every file under `dir`.
fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0u64;
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let e = e.with_context(|| format!("listing {}", d.display()))?;
            let m = e.metadata().with_context(|| format!("reading {}", e.path().display()))?;
            if m.is_dir() {
                todo.push(e.path());
            } else {
                total += m.len();
            }
        }
    }
    Ok(total)
}

/// A SQLite store directory's bytes, and what they are made of: the database file and its WAL
/// (which keeps the size of the largest transaction since it was last truncated).
fn sqlite_store_size(dir: &Path) -> Result<(u64, String)> {
    let total = dir_size(dir)?;
    let len = |name: String| -> Result<u64> {
        let p = dir.join(name);
        match std::fs::metadata(&p) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
        }
    };
    let db = len(DB_FILE.to_owned())?;
    let wal = len(format!("{DB_FILE}-wal"))?;
    Ok((total, format!("database {} + WAL {}", fmt_bytes(db), fmt_bytes(wal))))
}

/// A size row: its label (with any detail) and the size.
fn size_row(label: &str, r: Result<(u64, String)>, ok: &mut bool) -> (String, Outcome<u64>) {
    match r {
        Ok((n, detail)) if detail.is_empty() => (label.to_owned(), Outcome::Done(n)),
        Ok((n, detail)) => (format!("{label} ({detail})"), Outcome::Done(n)),
        Err(e) => (label.to_owned(), outcome(Err(e), ok)),
    }
}

fn pg_database_size(store: &mut Store) -> Result<u64> {
    let rows = store
        .raw_query("SELECT pg_database_size(current_database())", &[])
        .context("asking PostgreSQL the database's size")?;
    match rows.first().and_then(|r| r.first()) {
        Some(Value::Int(n)) => Ok(u64::try_from(*n).unwrap_or(0)),
        other => bail!("pg_database_size returned {other:?}"),
    }
}

/// One timed operation on the large ledger.
struct Timed {
    entries: u64,
    elapsed: Duration,
}

/// Where an import goes: the location, and the scratch database that holds it (PostgreSQL).
type ImportTarget = (Location, Option<ScratchDatabase>);

struct Op {
    name: &'static str,
    note: String,
    outcome: Outcome<Timed>,
}

/// The raw SHA-256 rate over every entry of an export, held in memory (reading and checking
/// the segment files is not timed).
struct ShaBaseline {
    entries: u64,
    bytes: u64,
    elapsed: Duration,
}

fn sha_baseline(export: &Path) -> Result<ShaBaseline> {
    let manifest =
        Manifest::read(export).with_context(|| format!("reading the manifest in {}", export.display()))?;
    let mut b = ShaBaseline { entries: 0, bytes: 0, elapsed: Duration::ZERO };
    for seg in &manifest.segments {
        let path = export.join(EXPORT_SEGMENTS_DIR).join(&seg.file);
        let entries = read_segment(&path, seg).with_context(|| format!("reading {}", path.display()))?;
        let t = Instant::now();
        for e in &entries {
            std::hint::black_box(Hash::of(std::hint::black_box(e)));
        }
        b.elapsed += t.elapsed();
        b.entries += entries.len() as u64;
        b.bytes += entries.iter().map(|e| e.len() as u64).sum::<u64>();
    }
    Ok(b)
}

fn large_table(
    ops: &[Op],
    sizes: &[(String, Outcome<u64>)],
    sha: Option<&ShaBaseline>,
    events: u64,
) -> String {
    let mut md = format!("## 4. Large ledger: {} events on SQLite\n\n", fmt_int(events));
    match sha {
        Some(b) => {
            let _ = writeln!(
                md,
                "Baseline: raw SHA-256 over every entry's bytes, in memory (from the export's segments): {} entries, {}, {} → **{} entries/s** ({:.0} MiB/s). Every rate below is a ratio to it.\n",
                fmt_int(b.entries),
                fmt_bytes(b.bytes),
                fmt_secs(b.elapsed),
                fmt_rate(per_second(b.entries, b.elapsed)),
                b.bytes as f64 / (1024.0 * 1024.0) / b.elapsed.as_secs_f64().max(1e-9)
            );
        }
        None => md.push_str(
            "Baseline: raw SHA-256 over every entry's bytes (pending: measured after the export).\n\n",
        ),
    }
    md.push_str("| operation | entries | time | events/s | × SHA-256 rate | what it does |\n|---|---:|---:|---:|---:|---|\n");
    let sha_rate = sha.map(|b| per_second(b.entries, b.elapsed));
    for op in ops {
        match &op.outcome {
            Outcome::Done(t) => {
                let rate = per_second(t.entries, t.elapsed);
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} |",
                    op.name,
                    fmt_int(t.entries),
                    fmt_secs(t.elapsed),
                    fmt_rate(rate),
                    sha_rate.map_or("pending".into(), |s| fmt_ratio(rate / s)),
                    op.note
                );
            }
            o => {
                let _ =
                    writeln!(md, "| {} | {} | | | | {} |", op.name, o.why_not().unwrap_or_default(), op.note);
            }
        }
    }
    md.push_str("\n| on disk | size | bytes per entry |\n|---|---:|---:|\n");
    let entries =
        sha.map(|b| b.entries).or_else(|| ops.first().and_then(|o| o.outcome.done()).map(|t| t.entries));
    for (what, o) in sizes {
        match o {
            Outcome::Done(n) => {
                let per = entries
                    .filter(|e| *e > 0)
                    .map_or("n/a".into(), |e| format!("{:.0}", *n as f64 / e as f64));
                let _ = writeln!(md, "| {what} | {} | {per} |", fmt_bytes(*n));
            }
            o => {
                let _ = writeln!(md, "| {what} | {} | |", o.why_not().unwrap_or_default());
            }
        }
    }
    md.push('\n');
    md
}

fn large_ledger(
    s: &Setup,
    site: &SiteId,
    tz: &TimeZoneName,
    report: &mut Report,
    ok: &mut bool,
) -> Result<()> {
    let dir = &s.run.path;
    let mut ops: Vec<Op> = Vec::new();
    let mut sizes: Vec<(String, Outcome<u64>)> = Vec::new();
    let checkpoint = |ops: &[Op], sizes: &[(String, Outcome<u64>)], report: &Report| {
        report.save(Some(&large_table(ops, sizes, None, s.events)))
    };

    // Build.
    let big_dir = dir.join("large");
    let loc = Location::Sqlite(big_dir.clone());
    let mut store = Store::init(&loc, site.clone(), tz.clone(), None, now_ms())
        .with_context(|| format!("creating a SQLite store at {loc}"))?;
    let actor = bench_actor()?;
    let name = marker(0).name();
    let event_type = EventType::parse(name.name).context("the drill event type")?;
    s.log.line(format_args!(
        "4. building {} events, {} per transaction",
        fmt_int(s.events),
        fmt_int(BUILD_BATCH_EVENTS)
    ));
    let mut progress = s.log.steps("build");
    let started = Instant::now();
    let mut done = 0u64;
    while done < s.events {
        let k = BUILD_BATCH_EVENTS.min(s.events - done);
        let now = now_ms();
        let drafts: Vec<EntryDraft> = (done + 1..=done + k)
            .map(|n| EntryDraft {
                time_ms: now,
                actor: actor.clone(),
                event_type: event_type.clone(),
                schema_version: name.version,
                body: marker(n).encode(),
            })
            .collect();
        store
            .append_drafts(&drafts, now)
            .with_context(|| format!("appending events {}..={}", done + 1, done + k))?;
        done += k;
        progress(done, s.events);
    }
    let built = started.elapsed();
    drop(progress);
    let total = store.entry_count().context("counting the entries")?;
    s.log.line(format_args!(
        "   built {} events in {} ({} events/s); the store holds {} entries",
        fmt_int(s.events),
        fmt_secs(built),
        fmt_rate(per_second(s.events, built)),
        fmt_int(total)
    ));
    ops.push(Op {
        name: "build (`append_drafts`)",
        note: format!("{} drafts per transaction, one fsync each", fmt_int(BUILD_BATCH_EVENTS)),
        outcome: Outcome::Done(Timed { entries: s.events, elapsed: built }),
    });
    sizes.push(size_row("SQLite store after the build", sqlite_store_size(&big_dir), ok));
    checkpoint(&ops, &sizes, report)?;

    // Verify, deep verify, replay.
    for (op_name, deep, note) in [
        ("verify", false, "hashes, chains, checkpoint signatures, stored columns"),
        ("verify --deep", true, "as verify, and rebuilds the projections in memory and compares every row"),
    ] {
        s.log.line(format_args!("4. {op_name}"));
        let mut progress = s.log.steps(op_name);
        let t = Instant::now();
        let r = store.verify(&VerifyOptions { deep, ..Default::default() }, &mut progress);
        let elapsed = t.elapsed();
        let result = match r {
            Ok(Ok(summary)) if summary.entries == total => Ok(Timed { entries: summary.entries, elapsed }),
            Ok(Ok(summary)) => Err(anyhow!("verified {} entries of {total}", summary.entries)),
            Ok(Err(f)) => Err(anyhow!("the ledger does not verify: {f}")),
            Err(e) => Err(anyhow!(e).context(op_name)),
        };
        let o = outcome(result, ok);
        log_timed(&s.log, op_name, &o);
        ops.push(Op { name: op_name, note: note.into(), outcome: o });
        checkpoint(&ops, &sizes, report)?;
    }
    s.log.line("4. replay");
    let mut progress = s.log.steps("replay");
    let t = Instant::now();
    let r = store.replay(&mut progress).context("replaying");
    let elapsed = t.elapsed();
    let o = outcome(r.map(|rep| Timed { entries: rep.entries, elapsed }), ok);
    log_timed(&s.log, "replay", &o);
    ops.push(Op {
        name: "replay",
        note: "verifies the chain and rebuilds every projection in one transaction".into(),
        outcome: o,
    });
    checkpoint(&ops, &sizes, report)?;

    // Export; the SHA-256 baseline comes from its segments.
    let export_dir = dir.join("export");
    s.log.line(format_args!("4. export to {}", export_dir.display()));
    let mut progress = s.log.steps("export");
    let t = Instant::now();
    let exported = store
        .export(&export_dir, now_ms(), &mut progress)
        .with_context(|| format!("exporting to {}", export_dir.display()))?;
    let elapsed = t.elapsed();
    let o = Outcome::Done(Timed { entries: exported.manifest.entries, elapsed });
    log_timed(&s.log, "export", &o);
    ops.push(Op {
        name: "export",
        note: format!(
            "verifies and writes {} sealed segment file(s), fsynced",
            exported.manifest.segments.len()
        ),
        outcome: o,
    });
    drop(store);
    sizes.push(size_row("export directory", dir_size(&export_dir).map(|n| (n, String::new())), ok));
    checkpoint(&ops, &sizes, report)?;
    s.log.line("4. SHA-256 baseline over the export's entries");
    let sha = sha_baseline(&export_dir)?;
    s.log.line(format_args!(
        "   {} entries/s ({} in {})",
        fmt_rate(per_second(sha.entries, sha.elapsed)),
        fmt_bytes(sha.bytes),
        fmt_secs(sha.elapsed)
    ));
    let checkpoint = |ops: &[Op], sizes: &[(String, Outcome<u64>)], report: &Report| {
        report.save(Some(&large_table(ops, sizes, Some(&sha), s.events)))
    };

    // Verify the export offline.
    s.log.line("4. verify the export");
    let mut progress = s.log.steps("verify export");
    let t = Instant::now();
    let r = verify_export(&export_dir, None, Vec::new(), &mut progress);
    let elapsed = t.elapsed();
    let result = match r {
        Ok(Ok(summary)) => Ok(Timed { entries: summary.entries, elapsed }),
        Ok(Err(f)) => Err(anyhow!("the export does not verify: {f}")),
        Err(e) => Err(anyhow!(e).context("reading the export")),
    };
    let o = outcome(result, ok);
    log_timed(&s.log, "verify export", &o);
    ops.push(Op {
        name: "verify the export (`verify_export`)",
        note: "offline, from the segment files: seals, hashes, chains, checkpoints".into(),
        outcome: o,
    });
    checkpoint(&ops, &sizes, report)?;

    // Import into SQLite and PostgreSQL.
    let sqlite_import = dir.join("import-sqlite");
    let targets: Vec<(&'static str, Outcome<ImportTarget>)> = vec![
        ("import into a new SQLite store", Outcome::Done((Location::Sqlite(sqlite_import.clone()), None))),
        (
            "import into PostgreSQL",
            match &s.postgres {
                None => Outcome::Skipped("no PostgreSQL URL".into()),
                Some(url) => match ScratchDatabase::create(url, "benchimport") {
                    Ok(db) => Outcome::Done((Location::Postgres(db.url.clone()), Some(db))),
                    Err(e) => {
                        *ok = false;
                        Outcome::Failed(format!("creating a scratch database: {e}"))
                    }
                },
            },
        ),
    ];
    for (op_name, target) in targets {
        let (loc, scratch) = match target {
            Outcome::Done(t) => t,
            Outcome::Skipped(why) => {
                s.log.line(format_args!("4. {op_name}: skipped: {why}"));
                ops.push(Op { name: op_name, note: String::new(), outcome: Outcome::Skipped(why.clone()) });
                sizes.push((op_name.to_string(), Outcome::Skipped(why)));
                continue;
            }
            Outcome::Failed(why) => {
                ops.push(Op { name: op_name, note: String::new(), outcome: Outcome::Failed(why.clone()) });
                continue;
            }
        };
        s.log.line(format_args!("4. {op_name} ({loc})"));
        let mut progress = s.log.steps(op_name);
        let t = Instant::now();
        let r = Store::import(&export_dir, &loc, &ImportOptions::default(), now_ms(), &mut progress);
        let elapsed = t.elapsed();
        let size_label = match loc {
            Location::Sqlite(_) => "SQLite store after the import",
            Location::Postgres(_) => "PostgreSQL database after the import (`pg_database_size`)",
        };
        let (o, size) = match r {
            Ok((mut imported, summary)) => {
                let size = match &loc {
                    Location::Sqlite(d) => {
                        drop(imported);
                        sqlite_store_size(d)
                    }
                    Location::Postgres(_) => pg_database_size(&mut imported).map(|n| (n, String::new())),
                };
                (Outcome::Done(Timed { entries: summary.entries, elapsed }), size_row(size_label, size, ok))
            }
            Err(e) => {
                *ok = false;
                let why = format!("{:#}", anyhow!(e).context(format!("importing into {loc}")));
                (Outcome::Failed(why.clone()), (size_label.to_owned(), Outcome::Failed(why)))
            }
        };
        drop(scratch);
        log_timed(&s.log, op_name, &o);
        ops.push(Op {
            name: op_name,
            note: "verifies the export, then ingests it, rebuilding the projections".into(),
            outcome: o,
        });
        sizes.push(size);
        checkpoint(&ops, &sizes, report)?;
    }

    report.emit(&large_table(&ops, &sizes, Some(&sha), s.events))?;
    Ok(())
}

fn log_timed(log: &Log, label: &str, o: &Outcome<Timed>) {
    match o {
        Outcome::Done(t) => log.line(format_args!(
            "   {label}: {} entries in {} ({} events/s)",
            fmt_int(t.entries),
            fmt_secs(t.elapsed),
            fmt_rate(per_second(t.entries, t.elapsed))
        )),
        other => log.line(format_args!("   {label}: {}", other.why_not().unwrap_or_default())),
    }
}
