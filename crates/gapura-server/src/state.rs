//! What every request shares: the store (one writer thread, a pool of readers), the audit
//! queue, sessions, the login limiter, readiness, and the clock.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use gapura_domain::Event;
use gapura_ledger::ActorId;
use gapura_store::{Ack, GroupHandle, Location, Personal, ReadAudit, Reader, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::auth::{Caller, LoginLimiter, Sessions};
use crate::error::ApiError;

/// Read connections kept open for requests; more requests wait for one.
pub const READERS_MAX: usize = 8;
/// Audit records that may wait for their commit; a read waits for room beyond this.
pub const AUDIT_QUEUE_MAX: usize = 10_000;
/// The most audit events committed in one append.
pub const AUDIT_BATCH_EVENTS_MAX: usize = 1_024;

pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Where the server is in its life; `/readyz` answers 200 only when `Ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Starting = 0,
    Migrating = 1,
    Replaying = 2,
    Ready = 3,
    Stopping = 4,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Starting => "starting",
            Phase::Migrating => "migrating",
            Phase::Replaying => "replaying",
            Phase::Ready => "ready",
            Phase::Stopping => "stopping",
        }
    }
}

#[derive(Default)]
pub struct Readiness(AtomicU8);

impl Readiness {
    pub fn set(&self, p: Phase) {
        self.0.store(p as u8, Ordering::SeqCst);
    }
    pub fn get(&self) -> Phase {
        match self.0.load(Ordering::SeqCst) {
            1 => Phase::Migrating,
            2 => Phase::Replaying,
            3 => Phase::Ready,
            4 => Phase::Stopping,
            _ => Phase::Starting,
        }
    }
}

/// The store as requests see it: appends through the group committer, reads on a pool of
/// connections of their own, all on blocking threads.
pub struct Db {
    location: Location,
    clock: Clock,
    writer: GroupHandle,
    readers: Mutex<Vec<Reader>>,
    permits: tokio::sync::Semaphore,
    audit: mpsc::Sender<AuditMsg>,
    /// The last store position this server's appends reached (audit batches aside).
    appended: std::sync::atomic::AtomicU64,
}

/// How the server behaves, from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Set the `Secure` flag on cookies. Off only for plain-HTTP development.
    pub secure_cookies: bool,
    /// Demo logins printed on the login page (only `gapura demo` sets them).
    pub demo_logins: Vec<(String, String)>,
    /// Where the watchlist index is saved and loaded (default: `screening.idx` in a SQLite
    /// store's directory; none for PostgreSQL, whose server then rebuilds it at start).
    pub screening_index: Option<std::path::PathBuf>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

pub struct Shared {
    pub db: OnceLock<Arc<Db>>,
    pub readiness: Readiness,
    pub sessions: Sessions,
    pub limiter: LoginLimiter,
    pub clock: Clock,
    pub settings: Settings,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// Entries still to replay while replaying (the projection lag), else 0.
    pub replay_left: std::sync::atomic::AtomicU64,
    /// Held while a decision on a travel-ban order is checked against the rules and recorded,
    /// so that two requests cannot both pass a rule only one of them may (within this process).
    pub decisions: tokio::sync::Mutex<()>,
    /// The watchlist screening asks (loaded when a store is attached).
    pub screener: Arc<crate::screening::Screener>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn now(&self) -> i64 {
        (self.clock)()
    }
    pub fn db(&self) -> Result<Arc<Db>, ApiError> {
        self.db.get().cloned().ok_or_else(ApiError::not_ready)
    }
}

impl Db {
    pub fn new(location: Location, clock: Clock, writer: GroupHandle, audit: mpsc::Sender<AuditMsg>) -> Db {
        Db {
            location,
            clock,
            writer,
            readers: Mutex::new(Vec::new()),
            permits: tokio::sync::Semaphore::new(READERS_MAX),
            audit,
            appended: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Runs `f` on a read connection on a blocking thread.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Reader) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::internal(&e))?;
        let db = self.clone();
        let out = tokio::task::spawn_blocking(move || {
            let pooled = db.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut reader = match pooled {
                Some(r) => r,
                None => Reader::open(&db.location)?,
            };
            let out = f(&mut reader);
            // A connection whose query failed may be broken: open a fresh one next time.
            if out.is_ok() {
                db.readers.lock().unwrap_or_else(|p| p.into_inner()).push(reader);
            }
            out
        })
        .await
        .map_err(|e| ApiError::internal(&e))?;
        out.map_err(ApiError::from)
    }

    /// Reads people's records: everything `f` returns through [`Personal`] is recorded as
    /// `audit.personal_data_read` for `caller` before this returns.
    pub async fn personal<T: Send + 'static>(
        self: &Arc<Self>,
        caller: &Caller,
        f: impl FnOnce(&mut Personal<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let mut audit = RequestAudit { caller: caller.clone(), now_ms: (self.clock)(), events: Vec::new() };
        let (out, audit) = self
            .read(move |r| {
                let out = f(&mut r.personal(&mut audit));
                Ok((out, audit))
            })
            .await?;
        self.queue_audit(caller, audit.events).await?;
        out.map_err(ApiError::from)
    }

    /// Queues an audit event; it commits with the next batch.
    pub async fn audit(&self, actor: ActorId, event: Event) -> Result<(), ApiError> {
        self.audit
            .send(AuditMsg::Record(actor, Box::new(event)))
            .await
            .map_err(|_| ApiError::internal(&"the audit queue has stopped"))
    }

    /// Appends events and returns once they are committed.
    pub async fn append(&self, actor: ActorId, events: Vec<Event>) -> Result<Vec<Ack>, ApiError> {
        let writer = self.writer.clone();
        let acks = tokio::task::spawn_blocking(move || writer.append(&actor, &events))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|e| match e {
                StoreError::Invalid(m) => ApiError::invalid("body", m),
                e => ApiError::from(e),
            })?;
        metrics::counter!("gapura_ledger_appends_total").increment(acks.len() as u64);
        if let Some(last) = acks.last() {
            self.appended.fetch_max(last.store_seq, Ordering::SeqCst);
        }
        Ok(acks)
    }

    /// The last store position reached by this server's appends through [`Db::append`].
    pub fn last_appended(&self) -> u64 {
        self.appended.load(Ordering::SeqCst)
    }

    /// Records a read of personal data made without the store (a screening against the
    /// watchlist in memory): what kind, whose records were shown, what was searched.
    pub async fn audit_read(
        &self,
        caller: &Caller,
        record: &str,
        subjects: Vec<String>,
        query: Option<String>,
    ) -> Result<(), ApiError> {
        let mut audit = RequestAudit { caller: caller.clone(), now_ms: (self.clock)(), events: Vec::new() };
        audit.record(record, subjects, query);
        self.queue_audit(caller, audit.events).await
    }

    async fn queue_audit(&self, caller: &Caller, events: Vec<Event>) -> Result<(), ApiError> {
        for event in events {
            self.audit(caller.actor(), event).await?;
        }
        Ok(())
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // A PostgreSQL reader owns a small runtime of its own, which may not be dropped on a
        // thread that drives async tasks (the server's last state is dropped on one).
        let readers = std::mem::take(self.readers.get_mut().unwrap_or_else(|p| p.into_inner()));
        if !readers.is_empty() {
            let _ = std::thread::spawn(move || drop(readers)).join();
        }
    }
}

struct RequestAudit {
    caller: Caller,
    now_ms: i64,
    events: Vec<Event>,
}

impl ReadAudit for RequestAudit {
    fn record(&mut self, record: &str, subjects: Vec<String>, query: Option<String>) {
        let mut chunks: Vec<Vec<String>> =
            subjects.chunks(gapura_domain::AUDIT_SUBJECTS_MAX).map(<[String]>::to_vec).collect();
        if chunks.is_empty() {
            chunks.push(Vec::new());
        }
        let query = query.map(|q| q.chars().take(gapura_domain::NOTE_CHARS_MAX).collect::<String>());
        for subjects in chunks {
            self.events.push(Event::PersonalDataRead(gapura_domain::PersonalDataRead {
                officer: self.caller.officer.clone(),
                point: self.caller.home_point.clone(),
                read_ms: self.now_ms,
                address: self.caller.address.clone(),
                request_id: self.caller.request_id.clone(),
                route: self.caller.route.clone(),
                record: record.to_owned(),
                subjects,
                query: query.clone(),
            }));
        }
    }
}

pub enum AuditMsg {
    Record(ActorId, Box<Event>),
    /// Commit everything queued, then answer.
    Flush(oneshot::Sender<()>),
}

/// Commits audit events in batches: whatever has queued while the previous batch was being
/// committed goes into the next one. Stops when every sender is gone, after a last commit.
pub async fn run_audit_writer(mut rx: mpsc::Receiver<AuditMsg>, writer: GroupHandle) {
    let mut waiting_flush: Vec<oneshot::Sender<()>> = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut batch = Vec::new();
        let mut take = |m: AuditMsg, batch: &mut Vec<(ActorId, Event)>| match m {
            AuditMsg::Record(a, e) => batch.push((a, *e)),
            AuditMsg::Flush(done) => waiting_flush.push(done),
        };
        take(first, &mut batch);
        while batch.len() < AUDIT_BATCH_EVENTS_MAX {
            match rx.try_recv() {
                Ok(m) => take(m, &mut batch),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            let w = writer.clone();
            let n = batch.len();
            let result = tokio::task::spawn_blocking(move || w.append_as(&batch)).await;
            match result {
                Ok(Ok(_)) => metrics::counter!("gapura_ledger_appends_total").increment(n as u64),
                Ok(Err(e)) => {
                    metrics::counter!("gapura_audit_failures_total").increment(n as u64);
                    tracing::error!(error = %e, events = n, "audit events could not be committed");
                }
                Err(e) => tracing::error!(error = %e, events = n, "the audit writer's task failed"),
            }
        }
        metrics::gauge!("gapura_audit_queue_depth").set(rx.len() as f64);
        for done in waiting_flush.drain(..) {
            let _ = done.send(());
        }
    }
}

impl Db {
    /// Waits until every audit event queued before this call is committed.
    pub async fn flush_audit(&self) {
        let (tx, rx) = oneshot::channel();
        if self.audit.send(AuditMsg::Flush(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }
}
