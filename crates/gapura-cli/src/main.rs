//! `gapura`: the one binary. Each subcommand finds its store from `--database` (a directory
//! for SQLite, a `postgres://` URL) or `GAPURA_DATABASE`, defaulting to `./gapura-data`.

mod bench;
mod bench_http;
mod bench_mrtd;
mod bench_screening;
mod document;
mod drill;
mod mrz;
mod officer;
mod watchlist;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use gapura_domain::{demo, Event};
use gapura_ledger::{ActorId, SiteId, TimeZoneName, TrustedKeys, VerifySummary};
use gapura_store::{
    read_checkpoint_dir, verify_export, ImportOptions, Location, Store, StoreError, VerifyOptions,
};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(name = "gapura", version, about = "Gapura immigration management: ledger, stores and tools")]
struct Cli {
    /// The store: a directory (SQLite) or a postgres:// URL.
    #[arg(long, global = true, env = "GAPURA_DATABASE", default_value = "./gapura-data")]
    database: String,
    /// The site's private key file (required for a PostgreSQL store that appends; a SQLite
    /// store keeps `site.key` in its directory).
    #[arg(long, global = true, env = "GAPURA_KEY")]
    key: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create and migrate a store and the site's key; with --reference, load the reference
    /// data (service points, countries, authorities); with --demo, also the demo officers.
    Init {
        #[arg(long)]
        demo: bool,
        #[arg(long)]
        reference: bool,
        /// This store's site id (its series).
        #[arg(long, default_value = "centre")]
        site: String,
        /// The site's IANA time zone.
        #[arg(long, default_value = "Asia/Jakarta")]
        time_zone: String,
    },
    /// Create the demo store if there is none, verify it, replay it, show what it holds, and
    /// serve it with the demo officers' logins.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Serve the API and the console until SIGTERM.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Send cookies without the Secure flag: only for plain HTTP outside localhost, never in production.
        #[arg(long)]
        insecure_cookies: bool,
        /// Rebuild every projection from the ledger before serving.
        #[arg(long)]
        replay: bool,
        /// Log JSON lines instead of text.
        #[arg(long)]
        log_json: bool,
        /// Where the screening watchlist's index is loaded at start and saved (default:
        /// screening.idx in a SQLite store's directory; a PostgreSQL server without it rebuilds
        /// the watchlist from the ledger at every start).
        #[arg(long)]
        screening_index: Option<std::path::PathBuf>,
    },
    #[command(subcommand)]
    Officer(OfficerCommand),
    /// Travel-ban and Interpol lists: bulk imports, status, the saved screening index.
    #[command(subcommand)]
    Watchlist(watchlist::WatchlistCommand),
    /// Screen a traveller (flags) or a batch of JSON lines against the watchlist; prints JSON.
    Screen(watchlist::ScreenArgs),
    /// ICAO 9303 machine-readable zones.
    #[command(subcommand)]
    Mrz(MrzCommand),
    /// ePassport chip data: passive authentication.
    #[command(subcommand)]
    Document(DocumentCommand),
    /// Show what the store holds: series, heads, projections, state digest.
    Status,
    /// Rebuild every projection from the ledger.
    Replay,
    #[command(subcommand)]
    Ledger(LedgerCommand),
    #[command(subcommand)]
    Content(ContentCommand),
    #[command(subcommand)]
    Drill(DrillCommand),
    /// Measure the ledger against named baselines and print a Markdown report.
    Bench(bench::BenchArgs),
}

#[derive(Subcommand)]
enum DocumentCommand {
    /// Verify EF.SOD (or sod.bin) and DG1.bin…DG16.bin in --dir against a trust store; prints
    /// the JSON report; exit 0 if every check passed, 3 if one failed or could not be made.
    Verify {
        #[arg(long)]
        dir: PathBuf,
        /// CSCA certificates (DER/PEM), ICAO master lists and CRLs.
        #[arg(long)]
        trust: PathBuf,
        /// More CRLs (DER/PEM).
        #[arg(long)]
        crls: Option<PathBuf>,
        /// Verification time, YYYY-MM-DD (00:00 UTC); default: now.
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum MrzCommand {
    /// Read MRZ lines on standard input and print the document as JSON (strict: any failure
    /// is an error on standard error and a non-zero exit).
    Parse {
        /// Reader mode: print failures and proposed look-alike corrections, and exit 0.
        #[arg(long)]
        reader: bool,
        /// Reference date for two-digit years (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<String>,
    },
    /// Read a document's JSON on standard input and print its MRZ lines.
    Render,
}

/// Officer accounts, from the command line: how the first administrator of a new store is
/// made (there are no default credentials outside the demo).
#[derive(Subcommand)]
enum OfficerCommand {
    /// Create an officer with one role; asks for the password (or reads it from stdin).
    Create {
        /// The login: 3-32 characters of a-z, 0-9, '.', '-', '_'.
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// The officer's home service point (its code).
        #[arg(long)]
        point: String,
        /// border-officer, passport-officer, visa-officer, travel-ban-administrator, supervisor, system-administrator or auditor.
        #[arg(long)]
        role: String,
        /// national, region:CODE or point:CODE.
        #[arg(long)]
        scope: String,
        /// Read the password from the first line of standard input instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Issue an API token to an officer and print it (shown once).
    Token {
        #[arg(long)]
        login: String,
        #[arg(long)]
        label: String,
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Walk every series and check hashes, chains, checkpoints and keys.
    Verify {
        /// Public keys (one per line, hex) that series must open with.
        #[arg(long)]
        trusted_keys: Option<PathBuf>,
        /// A directory of checkpoint files held elsewhere (*.jsonl), e.g. an earlier export's `checkpoints/`.
        #[arg(long)]
        checkpoints: Option<PathBuf>,
        /// Also rebuild the projections in a scratch database and compare every row.
        #[arg(long)]
        deep: bool,
        /// Verify an export directory offline instead of a store.
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// Write the ledger as sealed segment files with checkpoints and public keys.
    Export {
        #[arg(long)]
        to: PathBuf,
    },
    /// Verify an export and restore it into the store named by --database (created if absent).
    Import {
        #[arg(long)]
        from: PathBuf,
        /// Continue no series: open a new series for this site with a new key.
        #[arg(long)]
        site: Option<String>,
        #[arg(long, default_value = "Asia/Jakarta")]
        time_zone: String,
        #[arg(long)]
        trusted_keys: Option<PathBuf>,
    },
    /// Replace the site's key: the rotation is an event signed by the old key.
    RotateKey {
        /// Where to write the new key (PostgreSQL stores); a SQLite store replaces site.key.
        #[arg(long)]
        new_key: Option<PathBuf>,
    },
    /// Print this site's public key (to give to auditors and other sites as a trust anchor).
    PublicKey,
    /// Sign a checkpoint of the head now and copy every checkpoint into a directory held elsewhere.
    Checkpoint {
        #[arg(long)]
        to: Option<PathBuf>,
    },
}

/// Large or bulk content (a photo, a stolen-document file), stored by its SHA-256 and referred
/// to from events; never inside an entry.
#[derive(Subcommand)]
enum ContentCommand {
    /// Store a file; prints its SHA-256 and size (the reference an event carries).
    Put { file: PathBuf },
    /// Write stored content to a file, checking its hash.
    Get {
        sha256: String,
        #[arg(long)]
        to: PathBuf,
    },
    /// List stored content.
    List,
}

#[derive(Subcommand)]
enum DrillCommand {
    /// Append synthetic events, printing one line per acknowledged entry (for crash drills).
    Append {
        #[arg(long, default_value_t = 100)]
        count: u64,
        /// Events per transaction.
        #[arg(long, default_value_t = 1)]
        batch: u64,
        #[arg(long, default_value = "drill")]
        drill: String,
        /// Bytes of padding per event body.
        #[arg(long, default_value_t = 64)]
        padding: usize,
    },
    /// Kill an appending process at random moments and check that every acknowledged entry
    /// survived and the ledger verifies. Uses a fresh scratch store; prints the seed.
    Crash {
        #[arg(long, default_value_t = 20)]
        trials: u64,
        #[arg(long, default_value_t = 2024_06_20)]
        seed: u64,
        /// Run against a scratch database on this PostgreSQL server instead of SQLite.
        #[arg(long)]
        postgres: Option<String>,
        /// Keep the drill's store in this directory instead of a temporary one.
        #[arg(long)]
        keep_dir: Option<PathBuf>,
    },
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn open(cli: &Cli) -> Result<Store> {
    let loc = Location::parse(&cli.database);
    Store::open(&loc, cli.key.as_deref()).with_context(|| format!("opening the store at {loc}"))
}

fn progress_bar(label: &str) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} entries, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(label.to_owned());
    pb
}

fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Init { demo, reference, site, time_zone } => {
            let store = init(&cli, site, time_zone, *reference || *demo, *demo)?;
            store.close(now_ms())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { listen } => demo_cmd(&cli, *listen),
        Command::Serve { listen, insecure_cookies, replay, log_json, screening_index } => {
            let settings = gapura_server::Settings {
                secure_cookies: !insecure_cookies,
                demo_logins: Vec::new(),
                screening_index: screening_index.clone(),
            };
            serve(&cli, *listen, settings, *replay, *log_json)
        }
        Command::Mrz(MrzCommand::Parse { reader, today }) => mrz::parse_cmd(*reader, today.as_deref()),
        Command::Mrz(MrzCommand::Render) => mrz::render_cmd(),
        Command::Document(DocumentCommand::Verify { dir, trust, crls, at }) => {
            document::verify_cmd(dir, trust, crls.as_deref(), at.as_deref())
        }
        Command::Officer(cmd) => officer::run(&Location::parse(&cli.database), cli.key.as_deref(), cmd),
        Command::Watchlist(cmd) => watchlist::run(&Location::parse(&cli.database), cli.key.as_deref(), cmd),
        Command::Screen(args) => watchlist::screen(&Location::parse(&cli.database), cli.key.as_deref(), args),
        Command::Status => {
            let mut store = open(&cli)?;
            print_status(&mut store)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Replay => {
            let mut store = open(&cli)?;
            replay(&mut store)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ledger(cmd) => ledger(&cli, cmd),
        Command::Content(cmd) => content(&cli, cmd),
        Command::Drill(DrillCommand::Append { count, batch, drill, padding }) => {
            drill_append(&cli, *count, *batch, drill, *padding)
        }
        Command::Drill(DrillCommand::Crash { trials, seed, postgres, keep_dir }) => {
            drill::crash(*trials, *seed, postgres.as_deref(), keep_dir.as_deref())
        }
        Command::Bench(args) => bench::run(args),
    }
}

fn init(cli: &Cli, site: &str, tz: &str, with_reference: bool, with_demo: bool) -> Result<Store> {
    let loc = Location::parse(&cli.database);
    let site = SiteId::parse(site).context("--site")?;
    let tz = TimeZoneName::parse(tz).context("--time-zone")?;
    let mut store = Store::init(&loc, site.clone(), tz, cli.key.as_deref(), now_ms())
        .with_context(|| format!("creating a store at {loc}"))?;
    println!(
        "created store at {loc} for site {site}; public key {}",
        store.public_key().map(|k| k.to_hex()).unwrap_or_default()
    );
    if with_reference {
        let events = demo::reference_events().context("reading the reference data")?;
        let actor = ActorId::parse("system:demo").context("actor")?;
        let acks = store.append(&actor, &events, now_ms()).context("loading the demo data")?;
        println!(
            "loaded the reference data: {} events ({} service points, {} countries, {} travel-ban authorities)",
            acks.len(),
            store.count_rows("service_points")?,
            store.count_rows("countries")?,
            store.count_rows("travel_ban_authorities")?
        );
    }
    if with_demo {
        let events =
            gapura_server::demo::demo_officer_events().map_err(|e| anyhow::anyhow!(e.body.message))?;
        let actor = ActorId::parse("system:demo").context("actor")?;
        store
            .append(&actor, &events, now_ms())
            .context("creating the demo officers and travel-ban orders")?;
        println!(
            "created {} demo officers and {} invented travel-ban orders",
            gapura_server::demo::DEMO_OFFICERS.len(),
            store.count_rows("travel_ban_orders")?
        );
    }
    Ok(store)
}

fn serve(
    cli: &Cli,
    listen: std::net::SocketAddr,
    settings: gapura_server::Settings,
    replay: bool,
    log_json: bool,
) -> Result<ExitCode> {
    gapura_server::init_logging(log_json);
    let demo = !settings.demo_logins.is_empty();
    let logins = settings.demo_logins.clone();
    let opts = gapura_server::ServeOptions {
        location: Location::parse(&cli.database),
        key: cli.key.clone(),
        listen,
        settings,
        replay,
    };
    let rt =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    rt.block_on(gapura_server::serve(opts, |addr| {
        println!("\nGapura is serving at http://{addr}/console (API: http://{addr}/api/docs); stop with Ctrl-C or SIGTERM");
        if demo {
            println!("demo logins (password for each: {}):", gapura_server::demo::DEMO_PASSWORD);
            for (login, _) in &logins {
                println!("  {login}");
            }
        }
        let _ = std::io::stdout().flush();
    }))?;
    Ok(ExitCode::SUCCESS)
}

fn demo_cmd(cli: &Cli, listen: std::net::SocketAddr) -> Result<ExitCode> {
    let loc = Location::parse(&cli.database);
    let mut store = match Store::open(&loc, cli.key.as_deref()) {
        Ok(s) => {
            println!("using the existing store at {loc}");
            s
        }
        Err(StoreError::NotFound(_)) => init(cli, "centre", "Asia/Jakarta", true, true)?,
        Err(e) => return Err(e).with_context(|| format!("opening {loc}")),
    };
    store.checkpoint_now(now_ms())?;
    let code = verify_store(&mut store, &VerifyOptions { deep: true, ..Default::default() })?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    replay(&mut store)?;
    print_status(&mut store)?;
    store.close(now_ms())?;
    // Cookies carry the Secure flag unless the demo is served on this machine only, where
    // browsers accept plain HTTP.
    let settings = gapura_server::Settings {
        secure_cookies: !listen.ip().is_loopback(),
        demo_logins: gapura_server::demo::demo_logins(),
        screening_index: None,
    };
    serve(cli, listen, settings, false, false)
}

fn print_status(store: &mut Store) -> Result<()> {
    println!("store: {} ({:?})", store.location(), store.engine());
    match (store.home_site().cloned(), store.public_key()) {
        (Some(s), Some(k)) => println!("own site: {s}, public key {k}"),
        (Some(s), None) => println!("own site: {s} (key not available: read-only)"),
        (None, _) => println!("own site: none (imported without a key: read-only)"),
    }
    println!("entries: {}", store.entry_count()?);
    for s in store.series_rows()? {
        println!(
            "series {}: {} entries, head {}, {} key(s), time zone {}",
            s.site,
            s.entries,
            s.head,
            s.keys.len(),
            s.time_zone
        );
    }
    for t in
        ["service_points", "countries", "travel_ban_authorities", "officers", "audit_reads", "drill_markers"]
    {
        println!("{t}: {} rows", store.count_rows(t)?);
    }
    println!("state digest: {}", store.state_digest()?);
    Ok(())
}

fn replay(store: &mut Store) -> Result<()> {
    let pb = progress_bar("replay");
    let started = Instant::now();
    let report = store
        .replay(&mut |done, total| {
            pb.set_length(total);
            pb.set_position(done);
        })
        .context("replaying the ledger")?;
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    println!(
        "replayed {} entries in {secs:.2} s ({:.0} events/s)",
        report.entries,
        report.entries as f64 / secs
    );
    Ok(())
}

fn trusted(path: &Option<PathBuf>) -> Result<Option<TrustedKeys>> {
    path.as_ref()
        .map(|p| {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            TrustedKeys::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        })
        .transpose()
}

fn report_verify(result: Result<VerifySummary, gapura_ledger::VerifyFailure>, secs: f64) -> ExitCode {
    match result {
        Ok(s) => {
            println!(
                "ledger intact: {} entries in {} series, {} checkpoints checked ({:.0} entries/s)",
                s.entries,
                s.series.len(),
                s.checkpoints,
                s.entries as f64 / secs.max(1e-9)
            );
            for x in &s.series {
                let after = x.entries - x.checkpointed;
                println!(
                    "  {}: {} entries, head {}, key {}{}; {}",
                    x.site,
                    x.entries,
                    x.head,
                    x.key,
                    if x.key_trusted { " (trusted)" } else { "" },
                    if after == 0 {
                        "all covered by a signed checkpoint".to_string()
                    } else {
                        format!("{after} entries after the last signed checkpoint (chain-protected only)")
                    }
                );
            }
            if !s.keys_anchored {
                println!("note: no --trusted-keys given: keys were taken from the series themselves; a rewrite re-signed with a new key is only caught against trusted keys");
            }
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("LEDGER DOES NOT VERIFY: {f}");
            ExitCode::from(3)
        }
    }
}

fn verify_store(store: &mut Store, opts: &VerifyOptions) -> Result<ExitCode> {
    let pb = progress_bar(if opts.deep { "verify --deep" } else { "verify" });
    let started = Instant::now();
    let result = store.verify(opts, &mut |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })?;
    pb.finish_and_clear();
    Ok(report_verify(result, started.elapsed().as_secs_f64()))
}

fn ledger(cli: &Cli, cmd: &LedgerCommand) -> Result<ExitCode> {
    match cmd {
        LedgerCommand::Verify { trusted_keys, checkpoints, deep, from } => {
            let trusted = trusted(trusted_keys)?;
            let extra = match checkpoints {
                Some(d) => read_checkpoint_dir(d)
                    .with_context(|| format!("reading checkpoints from {}", d.display()))?,
                None => Vec::new(),
            };
            if let Some(dir) = from {
                if *deep {
                    bail!(
                        "--deep compares a store's projections; an export has none. Import it to check them."
                    );
                }
                let pb = progress_bar("verify export");
                let started = Instant::now();
                let result = verify_export(dir, trusted, extra, &mut |d, t| {
                    pb.set_length(t);
                    pb.set_position(d);
                })
                .with_context(|| format!("reading the export at {}", dir.display()))?;
                pb.finish_and_clear();
                return Ok(report_verify(result, started.elapsed().as_secs_f64()));
            }
            let mut store = open(cli)?;
            verify_store(&mut store, &VerifyOptions { trusted, checkpoints: extra, deep: *deep })
        }
        LedgerCommand::Export { to } => {
            let mut store = open(cli)?;
            let pb = progress_bar("export");
            let report = store
                .export(to, now_ms(), &mut |d, t| {
                    pb.set_length(t);
                    pb.set_position(d);
                })
                .with_context(|| format!("exporting to {}", to.display()))?;
            pb.finish_and_clear();
            println!(
                "exported {} entries in {} segment(s), {} checkpoint(s), {} series to {}",
                report.manifest.entries,
                report.manifest.segments.len(),
                report.checkpoints,
                report.manifest.series.len(),
                to.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Import { from, site, time_zone, trusted_keys } => {
            let loc = Location::parse(&cli.database);
            let new_site = match site {
                Some(s) => Some((
                    SiteId::parse(s).context("--site")?,
                    TimeZoneName::parse(time_zone).context("--time-zone")?,
                )),
                None => None,
            };
            let opts = ImportOptions { key_path: cli.key.clone(), new_site, trusted: trusted(trusted_keys)? };
            let pb = progress_bar("import");
            let started = Instant::now();
            let (mut store, summary) = Store::import(from, &loc, &opts, now_ms(), &mut |d, t| {
                pb.set_length(t);
                pb.set_position(d);
            })
            .with_context(|| format!("importing {} into {loc}", from.display()))?;
            pb.finish_and_clear();
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            println!(
                "imported {} entries of {} series into {loc} in {secs:.2} s ({:.0} entries/s)",
                summary.entries,
                summary.series.len(),
                summary.entries as f64 / secs
            );
            match store.home_site() {
                Some(s) => println!("this store continues series {s}"),
                None => println!("no key given: the store can be read, verified and exported, not appended to (give --key or --site)"),
            }
            print_status(&mut store)?;
            store.close(now_ms())?;
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::RotateKey { new_key } => {
            let mut store = open(cli)?;
            let key = store.rotate_key(new_key.as_deref(), now_ms()).context("rotating the key")?;
            println!("rotated: the new public key is {key}");
            if let Some(p) = new_key {
                println!("point --key / GAPURA_KEY at {} from now on", p.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::PublicKey => {
            let store = open(cli)?;
            match (store.public_key(), store.home_site()) {
                (Some(k), Some(s)) => println!("{k} {s}"),
                _ => bail!("this store's key is not available"),
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Checkpoint { to } => {
            let mut store = open(cli)?;
            if let Some(cp) = store.checkpoint_now(now_ms())? {
                println!("signed a checkpoint of {} at {} entries", cp.site, cp.count);
            }
            if let Some(dir) = to {
                write_checkpoints(&mut store, dir)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn content(cli: &Cli, cmd: &ContentCommand) -> Result<ExitCode> {
    let mut store = open(cli)?;
    match cmd {
        ContentCommand::Put { file } => {
            let c = store.put_content_file(file).with_context(|| format!("storing {}", file.display()))?;
            println!("{} {}", c.sha256, c.size);
        }
        ContentCommand::Get { sha256, to } => {
            let hash = gapura_ledger::Hash::from_hex(sha256).context("the SHA-256 argument")?;
            let tmp = to.with_extension("partial");
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?,
            );
            let result = store.read_content(&hash, &mut f);
            drop(f);
            if let Err(e) = result {
                // Never leave bytes that failed their hash check where they could be used.
                let _ = std::fs::remove_file(&tmp);
                return Err(e).context(format!("reading content {hash}"));
            }
            std::fs::rename(&tmp, to).with_context(|| format!("writing {}", to.display()))?;
            println!("wrote {} ({})", to.display(), hash);
        }
        ContentCommand::List => {
            for c in store.content_list()? {
                println!("{} {}", c.sha256, c.size);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_checkpoints(store: &mut Store, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let cps = store.checkpoints()?;
    let mut text = String::new();
    for cp in &cps {
        text.push_str(&serde_json::to_string(cp)?);
        text.push('\n');
    }
    let path = dir.join(format!("checkpoints-{}.jsonl", now_ms()));
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {} checkpoint(s) to {}", cps.len(), path.display());
    Ok(())
}

fn drill_append(cli: &Cli, count: u64, batch: u64, drill: &str, padding: usize) -> Result<ExitCode> {
    let mut store = open(cli)?;
    let actor = ActorId::parse("system:drill")?;
    let pad = "x".repeat(padding);
    let out = std::io::stdout();
    let mut n = 0u64;
    while n < count {
        let k = batch.max(1).min(count - n);
        let events: Vec<Event> = (0..k)
            .map(|i| Event::DrillMarkerRecorded {
                drill: drill.to_owned(),
                number: n + i + 1,
                padding: pad.clone(),
            })
            .collect();
        let acks = store.append(&actor, &events, now_ms()).context("appending")?;
        let mut lock = out.lock();
        for a in acks {
            writeln!(lock, "ack {} {} {}", a.store_seq, a.site_seq, a.hash)?;
        }
        lock.flush()?;
        n += k;
    }
    store.close(now_ms())?;
    Ok(ExitCode::SUCCESS)
}
