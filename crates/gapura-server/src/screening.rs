//! Screening over HTTP: the server holds its own watchlist (`gapura-screening`), loaded at
//! start from the saved index when that index was built from this ledger, else rebuilt from
//! the ledger; kept current by a background task and, before a screen, from whatever this
//! server has appended since; saved again after a rebuild and when the server stops.
//! `POST /api/v1/screenings` and the console's screening page ask it, and every answer is
//! recorded as a read of personal data: who screened whom, and which listings they were shown.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::{Extension, Json};
use gapura_ledger::Hash;
use gapura_screening::feed::{CatchUp, FeedError, LedgerSource};
use gapura_screening::{Direction, Query, QueryError, Screening, ScreeningRequest, Watchlist};
use gapura_store::{Location, Reader, StoreError};
use schemars::JsonSchema;
use serde::Serialize;
use tokio::sync::watch;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{AppState, Db};
use crate::travel_bans::InputBody;

/// The saved index's file name in a SQLite store's directory.
pub const INDEX_FILE: &str = "screening.idx";
/// How long a screening request waits for the watchlist's first load before it is told to
/// come back (503).
pub const LOAD_WAIT: Duration = Duration::from_secs(2);
/// How often the background task looks for entries appended by others (other servers on the
/// same PostgreSQL store, imports and ingests by the command line).
pub const CATCH_UP_EVERY: Duration = Duration::from_secs(1);

/// Where the watchlist is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchlistState {
    Loading,
    Ready,
    /// The ledger holds an entry the watchlist cannot apply; screening would miss what comes
    /// after it, so it answers 503 until the entry can be applied.
    Failed(String),
}

/// The server's watchlist and what keeps it current.
pub struct Screener {
    watchlist: RwLock<Watchlist>,
    state: watch::Sender<WatchlistState>,
    /// Held by whoever is catching up, so that two do not read the same entries.
    catching_up: Mutex<()>,
    /// Where the index is saved and loaded from, if anywhere (set when a store is attached).
    pub index: std::sync::OnceLock<PathBuf>,
}

/// The default index file of a store: `screening.idx` in a SQLite store's directory; a
/// PostgreSQL store has no directory of its own.
pub fn default_index_path(loc: &Location) -> Option<PathBuf> {
    match loc {
        Location::Sqlite(dir) => Some(dir.join(INDEX_FILE)),
        _ => None,
    }
}

/// The store as a watchlist reads it.
pub struct ReaderSource<'a>(pub &'a mut Reader);

impl LedgerSource for ReaderSource<'_> {
    fn entries_after(&mut self, after: u64, limit: usize) -> Result<Vec<(u64, Vec<u8>)>, String> {
        self.0.entries_after(after, limit as i64).map_err(|e| e.to_string())
    }
    fn content(&mut self, sha256: &Hash, out: &mut dyn Write) -> Result<u64, String> {
        self.0.read_content(sha256, out).map_err(|e| e.to_string())
    }
}

/// The identity a saved index records: the hash of the entry at its position.
pub fn identity_at(reader: &mut Reader, position: u64) -> Result<Option<String>, StoreError> {
    if position == 0 {
        return Ok(Some(String::new()));
    }
    reader.entry_hash_at(position)
}

/// Reads a saved index; `None` (with a note on standard error or in the log) when it is
/// missing, unreadable, or was built from another ledger.
pub fn load_saved(reader: &mut Reader, path: &std::path::Path) -> Option<Watchlist> {
    let f = std::fs::File::open(path).ok()?;
    match Watchlist::load(&mut std::io::BufReader::with_capacity(1 << 20, f)) {
        Ok((w, info)) => match identity_at(reader, info.position) {
            Ok(Some(here)) if here == info.identity => Some(w),
            Ok(_) => {
                tracing::warn!(index = %path.display(), "the saved watchlist index was built from another ledger (or one since restored); rebuilding from the ledger");
                None
            }
            Err(e) => {
                tracing::warn!(index = %path.display(), error = %e, "could not check the saved watchlist index; rebuilding from the ledger");
                None
            }
        },
        Err(e) => {
            tracing::warn!(index = %path.display(), error = %e, "the saved watchlist index cannot be read; rebuilding from the ledger");
            None
        }
    }
}

/// Saves a watchlist with the identity of its position: written beside the file, synced,
/// then renamed over it, so a crash leaves the old index or the new one, never half of one.
pub fn save_index(w: &mut Watchlist, identity: &str, path: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let tmp = path.with_extension("partial");
    let f = std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut bw = std::io::BufWriter::with_capacity(1 << 20, f);
    w.save(identity, &mut bw).context("writing the index")?;
    bw.into_inner().map_err(|e| e.into_error()).and_then(|f| f.sync_all()).context("syncing the index")?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

impl Default for Screener {
    fn default() -> Screener {
        Screener::new()
    }
}

impl Screener {
    pub fn new() -> Screener {
        Screener {
            watchlist: RwLock::new(Watchlist::new()),
            state: watch::channel(WatchlistState::Loading).0,
            catching_up: Mutex::new(()),
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn state(&self) -> WatchlistState {
        self.state.borrow().clone()
    }

    /// The store position the watchlist reflects.
    pub fn position(&self) -> u64 {
        self.watchlist.read().unwrap_or_else(|p| p.into_inner()).position()
    }

    /// Starts from the saved index if it belongs to this ledger, catches up, and saves the
    /// index when that took more than the saved one. Returns the catch-up.
    fn load(&self, reader: &mut Reader) -> Result<CatchUp, FeedError> {
        let saved = self.index.get().and_then(|p| load_saved(reader, p));
        let from_saved = saved.is_some();
        if let Some(w) = saved {
            *self.watchlist.write().unwrap_or_else(|p| p.into_inner()) = w;
        }
        let done = self.catch_up(reader)?;
        if !from_saved || done.events_applied > 0 {
            self.save(reader);
        }
        Ok(done)
    }

    /// Applies every entry after the watchlist's position. The write lock is taken only when
    /// there is something to apply.
    pub fn catch_up(&self, reader: &mut Reader) -> Result<CatchUp, FeedError> {
        let _one = self.catching_up.lock().unwrap_or_else(|p| p.into_inner());
        let position = self.position();
        let newer = reader.entries_after(position, 1).map_err(|e| FeedError::Source(e.to_string()))?;
        if newer.is_empty() {
            return Ok(CatchUp { position, ..CatchUp::default() });
        }
        let mut w = self.watchlist.write().unwrap_or_else(|p| p.into_inner());
        let done = w.catch_up(&mut ReaderSource(reader));
        metrics::gauge!("gapura_watchlist_position").set(w.position() as f64);
        done
    }

    /// Saves the index, if the server has one; a failure is logged, since the ledger can
    /// always rebuild the watchlist.
    pub fn save(&self, reader: &mut Reader) {
        let Some(path) = self.index.get() else { return };
        let _one = self.catching_up.lock().unwrap_or_else(|p| p.into_inner());
        let mut w = self.watchlist.write().unwrap_or_else(|p| p.into_inner());
        let started = std::time::Instant::now();
        let saved = identity_at(reader, w.position())
            .map_err(anyhow::Error::from)
            .and_then(|id| save_index(&mut w, &id.unwrap_or_default(), path));
        match saved {
            Ok(()) => {
                tracing::info!(index = %path.display(), position = w.position(), ms = started.elapsed().as_millis() as u64, "saved the watchlist index")
            }
            Err(e) => {
                tracing::warn!(index = %path.display(), error = %format!("{e:#}"), "could not save the watchlist index")
            }
        }
    }

    pub fn screen(&self, q: &Query) -> (Screening, u64) {
        let w = self.watchlist.read().unwrap_or_else(|p| p.into_inner());
        (w.screen(q), w.position())
    }

    /// Waits (at most [`LOAD_WAIT`]) for the first load; 503 while loading or failed.
    async fn ready(&self) -> Result<(), ApiError> {
        let mut rx = self.state.subscribe();
        let waited = tokio::time::timeout(LOAD_WAIT, rx.wait_for(|s| *s != WatchlistState::Loading)).await;
        match waited.ok().and_then(Result::ok).map(|s| s.clone()) {
            Some(WatchlistState::Ready) => Ok(()),
            Some(WatchlistState::Failed(why)) => Err(unavailable(&why)),
            _ => Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "watchlist_loading",
                "the watchlist is still loading; try again in a few seconds",
            )),
        }
    }

    fn settle(&self, result: &Result<CatchUp, FeedError>) {
        match result {
            Ok(_) => {
                self.state.send_if_modified(|s| {
                    let changed = *s != WatchlistState::Ready;
                    *s = WatchlistState::Ready;
                    changed
                });
            }
            Err(e) => {
                tracing::error!(error = %e, "the watchlist cannot be brought up to date; screening answers 503");
                let why = e.to_string();
                self.state.send_if_modified(|s| {
                    let next = WatchlistState::Failed(why.clone());
                    let changed = *s != next;
                    *s = next;
                    changed
                });
            }
        }
    }
}

fn unavailable(why: &str) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "watchlist_unavailable",
        format!("the watchlist cannot be brought up to date, so a screen could miss a listing: {why}"),
    )
}

/// Loads the watchlist, then keeps it current until the server stops.
pub async fn run(st: AppState) {
    let Ok(db) = st.db() else { return };
    let sc = st.screener.clone();
    let started = std::time::Instant::now();
    let loaded = {
        let sc = sc.clone();
        db.read(move |r| Ok(sc.load(r))).await
    };
    match loaded {
        Ok(result) => {
            if let Ok(done) = &result {
                let c = sc.watchlist.read().unwrap_or_else(|p| p.into_inner()).counts();
                tracing::info!(
                    position = done.position,
                    applied = done.events_applied,
                    orders = c.orders,
                    notices = c.notices,
                    documents = c.documents,
                    ms = started.elapsed().as_millis() as u64,
                    "watchlist loaded"
                );
            }
            sc.settle(&result);
        }
        Err(e) => sc.settle(&Err(FeedError::Source(e.body.message))),
    }
    loop {
        tokio::time::sleep(CATCH_UP_EVERY).await;
        let s = sc.clone();
        match db.read(move |r| Ok(s.catch_up(r))).await {
            Ok(result) => sc.settle(&result),
            Err(e) => {
                tracing::warn!(error = %e.body.message, "could not read the ledger to update the watchlist")
            }
        }
    }
}

/// Saves the index as the server stops, so the next start loads rather than rebuilds.
pub async fn save_on_stop(st: &AppState) {
    let Ok(db) = st.db() else { return };
    if st.screener.index.get().is_none() || st.screener.state() != WatchlistState::Ready {
        return;
    }
    let sc = st.screener.clone();
    let _ = db
        .read(move |r| {
            let _ = sc.catch_up(r);
            sc.save(r);
            Ok(())
        })
        .await;
}

/// A screening's answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScreeningAnswer {
    #[serde(flatten)]
    pub screening: Screening,
    pub direction: Direction,
    /// The date screened for (the crossing's).
    pub date: String,
    /// The ledger position (store order) the watchlist reflected.
    pub watchlist_position: u64,
}

fn query_error(e: QueryError) -> ApiError {
    match e {
        QueryError::Field { field, message } => ApiError::bad_input(field, message),
        QueryError::NothingToScreen => ApiError::refused(
            "nothing_to_screen",
            "give a name (a word that is not only a title or particle) or a document to screen",
            Some("surname"),
        ),
    }
}

/// What the audit record says was searched.
fn audit_query(q: &Query) -> String {
    let mut s = format!(
        "{} {}: {}, {}",
        match q.direction {
            Direction::Entry => "entry",
            Direction::Exit => "exit",
        },
        q.date,
        q.surname.trim(),
        q.given_names.trim()
    );
    if let Some(d) = q.date_of_birth {
        s.push_str(&format!("; born {d}"));
    }
    if let Some(d) = &q.document {
        s.push_str(&format!("; document {}:{}", d.issuing_state, d.number));
    }
    s
}

/// Screens one request: brings the watchlist up to what this server has appended, screens,
/// and records the read.
pub async fn screen_request(
    st: &AppState,
    c: &Caller,
    req: ScreeningRequest,
) -> Result<ScreeningAnswer, ApiError> {
    let q = req.into_query(crate::travel_bans::today(st)).map_err(query_error)?;
    let db: Arc<Db> = st.db()?;
    let sc = st.screener.clone();
    sc.ready().await?;
    if db.last_appended() > sc.position() {
        let s = sc.clone();
        let caught = db.read(move |r| Ok(s.catch_up(r))).await?;
        sc.settle(&caught);
        caught.map_err(|e| unavailable(&e.to_string()))?;
    }
    let (date, direction, summary) = (q.date.to_string(), q.direction, audit_query(&q));
    let s = sc.clone();
    let (screening, watchlist_position) =
        tokio::task::spawn_blocking(move || s.screen(&q)).await.map_err(|e| ApiError::internal(&e))?;
    let subjects = screening.hits.iter().map(|h| format!("{}:{}", h.list, h.reference)).collect();
    db.audit_read(c, "screening", subjects, Some(summary)).await?;
    metrics::counter!("gapura_screenings_total", "effect" => effect_name(&screening)).increment(1);
    Ok(ScreeningAnswer { screening, direction, date, watchlist_position })
}

fn effect_name(s: &Screening) -> &'static str {
    match s.effect {
        gapura_screening::Effect::Stop => "stop",
        gapura_screening::Effect::Refer => "refer",
        gapura_screening::Effect::None => "none",
    }
}

pub async fn screen(
    State(st): State<AppState>,
    Extension(c): Extension<Caller>,
    InputBody(req): InputBody<ScreeningRequest>,
) -> Result<Json<ScreeningAnswer>, ApiError> {
    Ok(Json(screen_request(&st, &c, req).await?))
}

#[cfg(test)]
mod tests {
    use gapura_screening::{COUNTRY_PATTERN, DOCUMENT_NUMBER_PATTERN, TEXT_PATTERN};
    use proptest::prelude::*;
    use regex_automata::meta::Regex;

    use super::*;

    fn read(body: serde_json::Value) -> Result<Query, QueryError> {
        let r: ScreeningRequest = serde_json::from_value(body).unwrap();
        r.into_query("2026-11-23".parse().unwrap())
    }

    fn field_accepted(field: &str, v: &str) -> bool {
        let body = match field {
            "nationality" => json_body(serde_json::json!({"surname": "Pratama", "nationality": v})),
            "document.number" => {
                json_body(serde_json::json!({"document": {"number": v, "issuing_state": "IDN"}}))
            }
            "document.issuing_state" => {
                json_body(serde_json::json!({"document": {"number": "A1", "issuing_state": v}}))
            }
            _ => json_body(serde_json::json!({"surname": "Pratama", "given_names": v})),
        };
        match read(body) {
            Ok(_) => true,
            Err(QueryError::Field { field: f, .. }) => {
                assert_eq!(f, field, "{v:?} refused for another field");
                false
            }
            Err(QueryError::NothingToScreen) => unreachable!(),
        }
    }

    fn json_body(mut v: serde_json::Value) -> serde_json::Value {
        v["direction"] = serde_json::json!("exit");
        v
    }

    proptest! {
        /// The schema's patterns and the request's checks accept the same strings, so that
        /// what the OpenAPI document allows is screened and what it forbids is refused.
        #[test]
        fn the_request_patterns_and_checks_agree(
            s in "[A-Za-z0-9< \\-\u{7}\u{85}é]{0,4}",
            long in "[A-Z0-9]{30,34}",
        ) {
            let country = Regex::new(COUNTRY_PATTERN).unwrap();
            prop_assert_eq!(country.is_match(&s), field_accepted("nationality", &s), "nationality {:?}", s);
            prop_assert_eq!(country.is_match(&s), field_accepted("document.issuing_state", &s), "state {:?}", s);
            let number = Regex::new(DOCUMENT_NUMBER_PATTERN).unwrap();
            for n in [&s, &long] {
                let schema = number.is_match(n) && n.chars().count() <= 32;
                prop_assert_eq!(schema, field_accepted("document.number", n), "number {:?}", n);
            }
            let text = Regex::new(TEXT_PATTERN).unwrap();
            prop_assert_eq!(text.is_match(&s), field_accepted("given_names", &s), "text {:?}", s);
        }
    }
}
