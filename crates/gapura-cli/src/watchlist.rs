//! `gapura watchlist import|status|index` and `gapura screen`: bulk Interpol files into the
//! ledger, and screening travellers from the command line.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use gapura_domain::{BulkFormat, Event, ImportMode, PartialDate, Sex, WatchlistImport, WatchlistList};
use gapura_ledger::{ActorId, Hash};
use gapura_screening::bulk::BulkReader;
use gapura_screening::feed::LedgerSource;
use gapura_screening::{Direction, Query, QueryDocument, Watchlist};
use gapura_store::{Location, Store};

/// The file a SQLite store keeps its saved screening index in.
/// Lines of a `--batch` file.
const BATCH_LINES_MAX: usize = 1_000_000;

#[derive(Subcommand)]
pub(crate) enum WatchlistCommand {
    /// Import a bulk file (Interpol stolen and lost documents, or notices) into the ledger:
    /// the file is stored as content by its hash and one `watchlist.imported` event records
    /// it with its counts. Prints the report (accepted, rejected lines with line, column and
    /// field) as JSON.
    Import {
        /// Which list the file updates.
        #[arg(long, value_enum)]
        list: ListArg,
        /// `full` replaces the list; `delta` adds and removes records.
        #[arg(long, value_enum)]
        mode: ModeArg,
        /// csv or jsonl; by default from the file's extension.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Where the file came from.
        #[arg(long, default_value = "Interpol I-24/7")]
        source: String,
        /// The import's id (default: list, mode and the file's hash).
        #[arg(long)]
        import_id: Option<String>,
        file: PathBuf,
    },
    /// What the watchlist holds, read from the ledger.
    Status,
    /// Build the screening index from the ledger and save it (default: screening.idx in a
    /// SQLite store's directory), so that `screen` and `serve` start from it.
    Index {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ListArg {
    /// Stolen and lost travel documents.
    #[value(name = "stolen-lost-documents", alias = "sltd")]
    Documents,
    Notices,
}
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ModeArg {
    Full,
    Delta,
}
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    Csv,
    Jsonl,
}
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DirectionArg {
    Entry,
    Exit,
}

/// One traveller to screen, from flags; or `--batch FILE` of JSON lines (the API's request
/// body: surname, given_names, date_of_birth, sex, nationality, document, direction, date).
#[derive(Args)]
pub(crate) struct ScreenArgs {
    #[arg(long, default_value = "")]
    surname: String,
    #[arg(long, default_value = "")]
    given_names: String,
    /// 1975-03-09, or with XX for unknown parts.
    #[arg(long)]
    date_of_birth: Option<String>,
    /// M, F or X.
    #[arg(long)]
    sex: Option<String>,
    #[arg(long)]
    nationality: Option<String>,
    #[arg(long)]
    document_number: Option<String>,
    #[arg(long)]
    issuing_state: Option<String>,
    #[arg(long)]
    document_type: Option<String>,
    #[arg(long, value_enum, default_value = "entry")]
    direction: DirectionArg,
    /// The date of the crossing (default: today in WIB).
    #[arg(long)]
    date: Option<String>,
    /// Screen every JSON line of FILE, printing one JSON answer per line.
    #[arg(long)]
    batch: Option<PathBuf>,
    /// A saved index to start from (default: screening.idx in a SQLite store's directory,
    /// when present); it is brought up to date from the ledger.
    #[arg(long)]
    index: Option<PathBuf>,
    /// Score threshold for a hit (default 0.8).
    #[arg(long)]
    threshold: Option<f32>,
}

struct StoreSource<'a>(&'a mut Store);

impl LedgerSource for StoreSource<'_> {
    fn entries_after(&mut self, after: u64, limit: usize) -> Result<Vec<(u64, Vec<u8>)>, String> {
        self.0.read_entries(after, limit as i64).map_err(|e| e.to_string())
    }
    fn content(&mut self, sha256: &Hash, out: &mut dyn Write) -> Result<u64, String> {
        self.0.read_content(sha256, out).map_err(|e| e.to_string())
    }
}

/// The watchlist brought up to the store's head: from a saved index when one matches this
/// ledger, else from the start of the ledger.
pub(crate) fn load_watchlist(store: &mut Store, index: Option<&Path>) -> Result<Watchlist> {
    let mut w = Watchlist::new();
    if let Some(path) = index.filter(|p| p.exists()) {
        let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let (saved, info) = Watchlist::load(&mut std::io::BufReader::new(f))
            .with_context(|| format!("reading the saved index {}", path.display()))?;
        let here = entry_hash(store, info.position)?;
        if here.as_deref() == Some(info.identity.as_str()) {
            w = saved;
        } else {
            eprintln!(
                "note: the saved index {} was built from another ledger (or one since restored); rebuilding from the ledger",
                path.display()
            );
        }
    }
    w.catch_up(&mut StoreSource(store)).context("bringing the watchlist up to date from the ledger")?;
    Ok(w)
}

fn entry_hash(store: &mut Store, position: u64) -> Result<Option<String>> {
    if position == 0 {
        return Ok(Some(String::new()));
    }
    Ok(store.entry_hash_at(position)?)
}

pub(crate) fn run(loc: &Location, key: Option<&Path>, cmd: &WatchlistCommand) -> Result<ExitCode> {
    let mut store = Store::open(loc, key).with_context(|| format!("opening the store at {loc}"))?;
    match cmd {
        WatchlistCommand::Import { list, mode, format, source, import_id, file } => {
            import(&mut store, *list, *mode, *format, source, import_id.as_deref(), file)
        }
        WatchlistCommand::Status => {
            let w = load_watchlist(&mut store, gapura_server::screening::default_index_path(loc).as_deref())?;
            let c = w.counts();
            println!(
                "{}",
                serde_json::json!({"position": w.position(), "orders": c.orders, "notices": c.notices,
                    "names": c.names, "documents": c.documents,
                    "document_set_bytes": w.document_memory_bytes()})
            );
            Ok(ExitCode::SUCCESS)
        }
        WatchlistCommand::Index { out } => {
            let path = out
                .clone()
                .or_else(|| gapura_server::screening::default_index_path(loc))
                .context("a PostgreSQL store has no directory of its own: name the index file with --out")?;
            let started = std::time::Instant::now();
            let mut w = load_watchlist(&mut store, None)?;
            let identity = entry_hash(&mut store, w.position())?.unwrap_or_default();
            gapura_server::screening::save_index(&mut w, &identity, &path)?;
            let c = w.counts();
            eprintln!(
                "saved {} ({} orders, {} notices, {} documents, position {}) in {:.1} s",
                path.display(),
                c.orders,
                c.notices,
                c.documents,
                w.position(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn import(
    store: &mut Store,
    list: ListArg,
    mode: ModeArg,
    format: Option<FormatArg>,
    source: &str,
    import_id: Option<&str>,
    file: &Path,
) -> Result<ExitCode> {
    let list = match list {
        ListArg::Documents => WatchlistList::StolenLostDocuments,
        ListArg::Notices => WatchlistList::Notices,
    };
    let mode = match mode {
        ModeArg::Full => ImportMode::Full,
        ModeArg::Delta => ImportMode::Delta,
    };
    let format = match format {
        Some(FormatArg::Csv) => BulkFormat::Csv,
        Some(FormatArg::Jsonl) => BulkFormat::Jsonl,
        None => match file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => BulkFormat::Csv,
            Some("jsonl" | "ndjson") => BulkFormat::Jsonl,
            _ => bail!(
                "cannot tell the format of {} from its name: give --format csv or jsonl",
                file.display()
            ),
        },
    };
    // Read the whole file first: nothing is recorded unless it can be read as a file.
    let mut accepted_records = 0u64;
    let report = {
        let mut sink = |_| accepted_records += 1;
        let mut reader = BulkReader::new(list, format, mode, &mut sink);
        let mut f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        std::io::copy(&mut f, &mut reader).with_context(|| format!("reading {}", file.display()))?;
        reader.finish().with_context(|| format!("{} cannot be imported", file.display()))?
    };
    if mode == ImportMode::Full && report.accepted == 0 {
        bail!(
            "{}: no record was accepted ({} rejected); a full import would empty the list, so nothing was recorded",
            file.display(),
            report.rejected
        );
    }
    let content = store.put_content_file(file).with_context(|| format!("storing {}", file.display()))?;
    let import_id = match import_id {
        Some(id) => id.to_owned(),
        None => format!("{}.{}.{}", list.as_str(), mode.as_str(), &content.sha256.to_hex()[..16]),
    };
    let event = Event::WatchlistImported(WatchlistImport {
        import_id: import_id.clone(),
        list,
        mode,
        format,
        content,
        file_name: file.file_name().and_then(|n| n.to_str()).unwrap_or("file").to_owned(),
        source: source.to_owned(),
        accepted: report.accepted,
        rejected: report.rejected,
    });
    event.validate().context("the import's description")?;
    let actor = ActorId::parse("system:watchlist-import").context("actor")?;
    store.append(&actor, &[event], crate::now_ms()).context("recording the import")?;
    println!(
        "{}",
        serde_json::json!({"import_id": import_id, "list": list.as_str(), "mode": mode.as_str(),
            "sha256": content.sha256.to_hex(), "size": content.size, "records": report.records,
            "accepted": report.accepted, "rejected": report.rejected,
            "ignored_columns": report.ignored_columns, "rejections": report.rejections})
    );
    Ok(ExitCode::SUCCESS)
}

fn today_wib() -> jiff::civil::Date {
    gapura_domain::today_wib(crate::now_ms())
}

pub(crate) fn screen(loc: &Location, key: Option<&Path>, a: &ScreenArgs) -> Result<ExitCode> {
    let mut store = Store::open(loc, key).with_context(|| format!("opening the store at {loc}"))?;
    let index = a.index.clone().or_else(|| gapura_server::screening::default_index_path(loc));
    let mut w = load_watchlist(&mut store, index.as_deref())?;
    if let Some(t) = a.threshold {
        if !(0.0..=1.0).contains(&t) {
            bail!("--threshold must be between 0 and 1");
        }
        w.set_threshold(t);
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    if let Some(batch) = &a.batch {
        let f = std::fs::File::open(batch).with_context(|| format!("opening {}", batch.display()))?;
        let mut refused = 0u64;
        for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
            if i >= BATCH_LINES_MAX {
                bail!("{}: more than {BATCH_LINES_MAX} lines", batch.display());
            }
            let line = line.with_context(|| format!("{}: line {}", batch.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            match gapura_screening::query_from_json(&line, today_wib()) {
                Ok(q) => writeln!(out, "{}", serde_json::to_string(&w.screen(&q))?)?,
                Err(e) => {
                    refused += 1;
                    writeln!(
                        out,
                        "{}",
                        serde_json::json!({"line": i + 1, "error": e.to_string(), "field": e.field()})
                    )?;
                }
            }
        }
        return Ok(if refused > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS });
    }
    let q = Query {
        surname: a.surname.clone(),
        given_names: a.given_names.clone(),
        date_of_birth: a
            .date_of_birth
            .as_deref()
            .map(PartialDate::parse)
            .transpose()
            .context("--date-of-birth")?,
        sex: a.sex.as_deref().map(|s| Sex::parse(s).context("--sex must be M, F or X")).transpose()?,
        nationality: a.nationality.clone(),
        document: match (&a.document_number, &a.issuing_state) {
            (Some(n), Some(s)) => Some(QueryDocument {
                number: n.clone(),
                issuing_state: s.clone(),
                document_type: a.document_type.clone(),
            }),
            (None, None) => None,
            _ => bail!("--document-number and --issuing-state go together"),
        },
        direction: match a.direction {
            DirectionArg::Entry => Direction::Entry,
            DirectionArg::Exit => Direction::Exit,
        },
        date: match &a.date {
            Some(d) => d.parse().with_context(|| format!("--date {d:?} is not YYYY-MM-DD"))?,
            None => today_wib(),
        },
    };
    if q.surname.trim().is_empty() && q.given_names.trim().is_empty() && q.document.is_none() {
        bail!("give a name (--surname, --given-names), a document (--document-number, --issuing-state), or --batch");
    }
    writeln!(out, "{}", serde_json::to_string_pretty(&w.screen(&q))?)?;
    Ok(ExitCode::SUCCESS)
}
