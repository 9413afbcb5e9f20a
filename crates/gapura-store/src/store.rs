//! The store: one connection, the site's identity and key, and every operation on the ledger.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gapura_domain::Event;
use gapura_ledger::{
    canonical_json, ActorId, Checkpoint, Entry, EntryDraft, EventType, Hash, KeyRotated, LedgerVerifier,
    PublicKey, SeriesHead, SeriesOpened, SiteId, SiteKey, TimeZoneName, TrustedKeys, VerifyFailure,
    VerifyProblem, VerifySummary, EVENT_KEY_ROTATED, EVENT_SERIES_OPENED,
};

use crate::postgres::PgConn;
use crate::sql::{in_write_tx, Conn, Engine, Value};
use crate::sqlite::SqliteConn;
use crate::{project, schema, Location, StoreError};

/// A checkpoint is signed when this many entries have been appended since the last one.
pub const CHECKPOINT_INTERVAL_ENTRIES: u64 = 1_000;
/// …or when this much time has passed since the last one and the head has moved, in ms.
pub const CHECKPOINT_INTERVAL_MS: i64 = 60_000;
/// The SQLite database file inside a store directory.
pub const DB_FILE: &str = "gapura.sqlite3";
/// The site's private key inside a SQLite store directory.
pub const KEY_FILE: &str = "site.key";
/// A rotated-to key waits under this name until the rotation has committed.
const NEXT_KEY_FILE: &str = "site.key.next";
/// Rows per multi-row INSERT of entries.
const INSERT_ROWS_MAX: usize = 200;
/// Entries read per page when walking the ledger.
pub(crate) const READ_PAGE_ENTRIES: i64 = 5_000;

/// What an acknowledged append returns: where the entry is, and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub store_seq: u64,
    pub site_seq: u64,
    pub hash: Hash,
}

/// Why an ingested batch was refused. Nothing of a refused batch is recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestRefusal {
    /// The store already holds a different entry at this place in the series.
    #[error("site {site}, sequence {site_seq}: conflicts with the entry already recorded there (recorded {recorded}, offered {offered})")]
    Conflict { site: SiteId, site_seq: u64, recorded: Hash, offered: Hash },
    /// The entry does not follow the series' head: entries are missing before it.
    #[error("site {site}, sequence {found}: the series' next entry is {expected}; entries are missing")]
    Gap { site: SiteId, expected: u64, found: u64 },
    /// The entry breaks the series' chain or key rules.
    #[error("site {site}, sequence {site_seq}: {problem}")]
    Chain { site: SiteId, site_seq: u64, problem: String },
    /// The entry's bytes are not a valid entry.
    #[error("entry {index} of the batch is not a valid entry: {reason}")]
    Undecodable { index: usize, reason: String },
    /// A checkpoint does not match the series or its signature is invalid.
    #[error("checkpoint of site {site} at count {count}: {reason}")]
    Checkpoint { site: SiteId, count: u64, reason: String },
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub appended: u64,
    pub duplicates: u64,
    pub checkpoints: u64,
}

/// What a replay did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayReport {
    pub entries: u64,
    pub millis: u128,
}

/// How to verify.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub trusted: Option<TrustedKeys>,
    /// Checkpoints held elsewhere (another site, an earlier export, an auditor's copy).
    pub checkpoints: Vec<Checkpoint>,
    /// Also replay into a scratch database and compare every projection row.
    pub deep: bool,
}

/// One series as the store records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRow {
    pub site: SiteId,
    pub entries: u64,
    pub head: Hash,
    pub time_zone: String,
    pub keys: Vec<PublicKey>,
}

pub(crate) struct Home {
    pub site: SiteId,
    pub time_zone: TimeZoneName,
    pub key: Option<SiteKey>,
    pub key_path: Option<PathBuf>,
}

/// A Gapura store.
pub struct Store {
    pub(crate) conn: Box<dyn Conn>,
    pub(crate) location: Location,
    pub(crate) home: Option<Home>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.location)
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.display().to_string(), source }
}

fn one(rows: Vec<Vec<Value>>) -> Option<Vec<Value>> {
    rows.into_iter().next()
}

impl Store {
    /// Opens an existing store. `key_path` names the site key (required for PostgreSQL stores
    /// that append; a SQLite store finds `site.key` in its directory).
    pub fn open(location: &Location, key_path: Option<&Path>) -> Result<Store, StoreError> {
        let conn: Box<dyn Conn> = match location {
            Location::Sqlite(dir) => {
                let db = dir.join(DB_FILE);
                if !db.exists() {
                    return Err(StoreError::NotFound(dir.display().to_string()));
                }
                Box::new(SqliteConn::open(&db, false)?)
            }
            Location::Postgres(url) => Box::new(PgConn::open(url, false).map_err(|e| match e {
                StoreError::Postgres(m) if m.contains("3D000") => StoreError::NotFound(location.to_string()),
                e => e,
            })?),
        };
        let mut store = Store { conn, location: location.clone(), home: None };
        schema::migrate(store.conn.as_mut())?;
        if store.meta("home_site")?.is_none() && store.series_rows()?.is_empty() {
            return Err(StoreError::NotFound(location.to_string()));
        }
        store.load_home(key_path)?;
        Ok(store)
    }

    /// Creates a store with no site of its own yet (the first step of `init` and `import`).
    /// Refuses a location that already holds a store.
    pub fn create_empty(location: &Location) -> Result<Store, StoreError> {
        let conn: Box<dyn Conn> = match location {
            Location::Sqlite(dir) => {
                let db = dir.join(DB_FILE);
                if db.exists() {
                    return Err(StoreError::AlreadyExists(dir.display().to_string()));
                }
                std::fs::create_dir_all(dir).map_err(io_err(dir))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                        .map_err(io_err(dir))?;
                }
                Box::new(SqliteConn::open(&db, true)?)
            }
            Location::Postgres(url) => Box::new(PgConn::open(url, true)?),
        };
        let mut store = Store { conn, location: location.clone(), home: None };
        schema::migrate(store.conn.as_mut())?;
        if store.meta("home_site")?.is_some() || !store.series_rows()?.is_empty() {
            return Err(StoreError::AlreadyExists(location.to_string()));
        }
        Ok(store)
    }

    /// Creates a store whose own series is `site`, with a new key, and opens the series.
    /// For SQLite the key goes to `site.key` in the directory; for PostgreSQL to `key_path`.
    pub fn init(
        location: &Location,
        site: SiteId,
        time_zone: TimeZoneName,
        key_path: Option<&Path>,
        now_ms: i64,
    ) -> Result<Store, StoreError> {
        let key_path = Self::key_path_for(location, key_path)?;
        if key_path.exists() {
            return Err(StoreError::AlreadyExists(format!(
                "{} (a key file is already there; a new store gets a new key)",
                key_path.display()
            )));
        }
        let mut store = Self::create_empty(location)?;
        let key = SiteKey::generate()?;
        key.write_file(&key_path)?;
        store.open_series(site, time_zone, key, key_path, now_ms)?;
        Ok(store)
    }

    fn key_path_for(location: &Location, key_path: Option<&Path>) -> Result<PathBuf, StoreError> {
        match (location, key_path) {
            (_, Some(p)) => Ok(p.to_owned()),
            (Location::Sqlite(dir), None) => Ok(dir.join(KEY_FILE)),
            (Location::Postgres(_), None) => Err(StoreError::CannotAppend(
                "a PostgreSQL store keeps its site key outside the database: give its path with --key or GAPURA_KEY".into(),
            )),
        }
    }

    /// Makes `site` this store's own series, opening it with `key`.
    pub(crate) fn open_series(
        &mut self,
        site: SiteId,
        time_zone: TimeZoneName,
        key: SiteKey,
        key_path: PathBuf,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        if self.series_head(&site)?.is_some() {
            return Err(StoreError::AlreadyExists(format!("series {site} in {}", self.location)));
        }
        let body = canonical_json(&SeriesOpened { public_key: key.public() })
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        in_write_tx(self.conn.as_mut(), |c| {
            set_meta(c, "home_site", site.as_str())?;
            set_meta(c, "home_time_zone", time_zone.as_str())
        })?;
        self.home = Some(Home { site, time_zone, key: Some(key), key_path: Some(key_path) });
        let draft = EntryDraft {
            time_ms: now_ms,
            actor: ActorId::parse("system:ledger").map_err(|e| StoreError::Invalid(e.to_string()))?,
            event_type: EventType::parse(EVENT_SERIES_OPENED)
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
            schema_version: 1,
            body,
        };
        self.append_drafts(&[draft], now_ms)?;
        Ok(())
    }

    /// After an import: takes the series whose key in force is `key` as this store's own.
    pub(crate) fn adopt_series(&mut self, key: SiteKey, key_path: PathBuf) -> Result<SiteId, StoreError> {
        let public = key.public();
        let series = self.series_rows()?;
        let Some(s) = series.iter().find(|s| s.keys.last() == Some(&public)) else {
            return Err(StoreError::CannotAppend(format!(
                "the key {} ({public}) is not the current key of any series in this store",
                key_path.display()
            )));
        };
        let tz = TimeZoneName::parse(&s.time_zone).map_err(|e| StoreError::Schema(e.to_string()))?;
        in_write_tx(self.conn.as_mut(), |c| {
            set_meta(c, "home_site", s.site.as_str())?;
            set_meta(c, "home_time_zone", tz.as_str())
        })?;
        let site = s.site.clone();
        self.home =
            Some(Home { site: site.clone(), time_zone: tz, key: Some(key), key_path: Some(key_path) });
        Ok(site)
    }

    fn load_home(&mut self, key_path: Option<&Path>) -> Result<(), StoreError> {
        let Some(site) = self.meta("home_site")? else { return Ok(()) };
        let site = SiteId::parse(&site).map_err(|e| StoreError::Schema(e.to_string()))?;
        let tz = self.meta("home_time_zone")?.unwrap_or_else(|| "UTC".into());
        let time_zone = TimeZoneName::parse(&tz).map_err(|e| StoreError::Schema(e.to_string()))?;
        let path = match (&self.location, key_path) {
            (_, Some(p)) => Some(p.to_owned()),
            (Location::Sqlite(dir), None) => Some(dir.join(KEY_FILE)),
            (Location::Postgres(_), None) => None,
        };
        let current = self.series_keys(&site)?.last().copied();
        let mut key = None;
        if let Some(p) = &path {
            if p.exists() {
                let k = SiteKey::read_file(p)?;
                if Some(k.public()) == current {
                    key = Some(k);
                } else if let Some(k) = self.finish_rotation(p, current)? {
                    key = Some(k);
                } else {
                    return Err(StoreError::CannotAppend(format!(
                        "the key in {} ({}) is not the current key of series {site} ({}); use the site's current key",
                        p.display(),
                        k.public(),
                        current.map(|k| k.to_hex()).unwrap_or_else(|| "none".into())
                    )));
                }
            }
        }
        self.home = Some(Home { site, time_zone, key, key_path: path });
        Ok(())
    }

    /// A rotation commits before the new key file is moved into place; if the process died in
    /// between, the next open finishes the move.
    fn finish_rotation(
        &self,
        key_path: &Path,
        current: Option<PublicKey>,
    ) -> Result<Option<SiteKey>, StoreError> {
        let next = next_key_path(key_path);
        if !next.exists() {
            return Ok(None);
        }
        let k = SiteKey::read_file(&next)?;
        if Some(k.public()) != current {
            return Ok(None);
        }
        std::fs::rename(&next, key_path).map_err(io_err(key_path))?;
        Ok(Some(k))
    }

    pub fn location(&self) -> &Location {
        &self.location
    }
    pub fn engine(&self) -> Engine {
        self.conn.engine()
    }
    /// This store's own series, if it has one.
    pub fn home_site(&self) -> Option<&SiteId> {
        self.home.as_ref().map(|h| &h.site)
    }
    /// The public key this store signs with, if its key is available.
    pub fn public_key(&self) -> Option<PublicKey> {
        self.home.as_ref().and_then(|h| h.key.as_ref()).map(|k| k.public())
    }

    pub(crate) fn meta(&mut self, name: &str) -> Result<Option<String>, StoreError> {
        let rows = self.conn.query("SELECT value FROM store_meta WHERE name = $1", &[name.into()])?;
        one(rows).map(|r| r[0].text().map(str::to_owned)).transpose()
    }

    /// The number of entries the store holds (its store-order head).
    pub fn entry_count(&mut self) -> Result<u64, StoreError> {
        counter(self.conn.as_mut(), false)
    }

    /// Every series the store holds, with its keys in order of use.
    pub fn series_rows(&mut self) -> Result<Vec<SeriesRow>, StoreError> {
        let rows = self
            .conn
            .query("SELECT site, entries, head_hash, time_zone FROM ledger_series ORDER BY site", &[])?;
        let mut out = Vec::new();
        for r in rows {
            let site = SiteId::parse(r[0].text()?).map_err(|e| StoreError::Schema(e.to_string()))?;
            let keys = self.series_keys(&site)?;
            out.push(SeriesRow {
                site,
                entries: r[1].int()? as u64,
                head: Hash::from_slice(r[2].blob()?)
                    .ok_or_else(|| StoreError::Schema("head_hash is not 32 bytes".into()))?,
                time_zone: r[3].text()?.to_owned(),
                keys,
            });
        }
        Ok(out)
    }

    fn series_keys(&mut self, site: &SiteId) -> Result<Vec<PublicKey>, StoreError> {
        let rows = self.conn.query(
            "SELECT public_key FROM ledger_keys WHERE site = $1 ORDER BY from_seq",
            &[site.as_str().into()],
        )?;
        rows.iter()
            .map(|r| PublicKey::from_hex(r[0].text()?).map_err(|e| StoreError::Schema(e.to_string())))
            .collect()
    }

    fn series_head(&mut self, site: &SiteId) -> Result<Option<SeriesHead>, StoreError> {
        load_head(self.conn.as_mut(), site)
    }

    /// Appends events to this store's own series in one transaction: all or none. The
    /// projections they change are updated in the same transaction.
    pub fn append(&mut self, actor: &ActorId, events: &[Event], now_ms: i64) -> Result<Vec<Ack>, StoreError> {
        let drafts = drafts(actor, events, now_ms)?;
        self.append_drafts(&drafts, now_ms)
    }

    /// Appends already-encoded drafts (used by the group committer and by fixtures that write
    /// old schema versions). Checked the same way as any append.
    pub fn append_drafts(&mut self, drafts: &[EntryDraft], now_ms: i64) -> Result<Vec<Ack>, StoreError> {
        let home = self.home.as_ref().ok_or_else(|| {
            StoreError::CannotAppend("it has no site of its own (it was imported without a key)".into())
        })?;
        let key = home.key.as_ref().ok_or_else(|| {
            StoreError::CannotAppend(format!(
                "the key of site {} is not available{}",
                home.site,
                home.key_path.as_ref().map(|p| format!(" (looked for {})", p.display())).unwrap_or_default()
            ))
        })?;
        let (site, tz) = (home.site.clone(), home.time_zone.clone());
        in_write_tx(self.conn.as_mut(), |c| {
            let mut store_seq = counter(c, true)?;
            let mut head = load_head(c, &site)?;
            let mut acks = Vec::with_capacity(drafts.len());
            let mut rows = Vec::with_capacity(drafts.len());
            let mut writes = project::WriteBuffer::new(c.engine());
            for d in drafts {
                let (seq, prev) = head.as_ref().map_or((1, Hash::ZERO), |h| (h.count + 1, h.head));
                let entry =
                    Entry::seal(&site, &tz, seq, prev, d).map_err(|e| StoreError::Invalid(e.to_string()))?;
                match &mut head {
                    Some(h) => h.extend(&entry),
                    None => SeriesHead::genesis(&entry).map(|h| head = Some(h)),
                }
                .map_err(|p| StoreError::Invalid(format!("entry {seq} of series {site}: {p}")))?;
                ledger_effects(c, &entry)?;
                project::apply(&mut writes, &entry)?;
                store_seq += 1;
                acks.push(Ack { store_seq, site_seq: seq, hash: entry.hash });
                rows.push((store_seq, entry));
            }
            // Everything this append writes goes in one pipeline after its last read.
            insert_entries(&mut writes, &rows)?;
            if let Some(h) = &head {
                save_head(&mut writes, h, tz.as_str())?;
                let last = last_checkpoint(c, &site)?;
                maybe_checkpoint(&mut writes, key, h, last, now_ms, false)?;
            }
            set_counter(&mut writes, store_seq)?;
            writes.flush(c)?;
            Ok(acks)
        })
    }

    /// Signs a checkpoint of this store's own series now, if its head has moved since the
    /// last one. Called on close and before an export.
    pub fn checkpoint_now(&mut self, now_ms: i64) -> Result<Option<Checkpoint>, StoreError> {
        let Some(Home { site, key: Some(key), .. }) = &self.home else { return Ok(None) };
        let site = site.clone();
        in_write_tx(self.conn.as_mut(), |c| {
            counter(c, true)?;
            match load_head(c, &site)? {
                Some(h) => {
                    let last = last_checkpoint(c, &site)?;
                    maybe_checkpoint(c, key, &h, last, now_ms, true)
                }
                None => Ok(None),
            }
        })
    }

    /// Rotates this store's key: appends `ledger.key_rotated` signed by the old key, then
    /// puts the new key in place of the old. Returns the new public key.
    pub fn rotate_key(&mut self, new_key_path: Option<&Path>, now_ms: i64) -> Result<PublicKey, StoreError> {
        let site = self
            .home_site()
            .cloned()
            .ok_or_else(|| StoreError::CannotAppend("it has no site of its own".into()))?;
        let head = self
            .series_head(&site)?
            .ok_or_else(|| StoreError::Schema(format!("series {site} has no entries")))?;
        let home =
            self.home.as_ref().ok_or_else(|| StoreError::CannotAppend("it has no site of its own".into()))?;
        let (Some(old), Some(key_path)) = (home.key.as_ref(), home.key_path.clone()) else {
            return Err(StoreError::CannotAppend(format!("the key of site {} is not available", home.site)));
        };
        let new = SiteKey::generate()?;
        let staged = new_key_path.map(Path::to_owned).unwrap_or_else(|| next_key_path(&key_path));
        new.write_file(&staged)?;
        // The rotation is signed over its own place in the chain; if another writer appends
        // first, the chain rules refuse the rotation rather than record a mis-signed one.
        let body = KeyRotated::new(old, &site, head.count + 1, &head.head, new.public());
        let draft = EntryDraft {
            time_ms: now_ms,
            actor: ActorId::parse("system:ledger").map_err(|e| StoreError::Invalid(e.to_string()))?,
            event_type: EventType::parse(EVENT_KEY_ROTATED)
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
            schema_version: 1,
            body: canonical_json(&body).map_err(|e| StoreError::Invalid(e.to_string()))?,
        };
        self.append_drafts(&[draft], now_ms)?;
        let final_path = if new_key_path.is_some() {
            staged
        } else {
            let retired = key_path.with_extension(format!("key.retired-{now_ms}"));
            std::fs::rename(&key_path, &retired).map_err(io_err(&key_path))?;
            std::fs::rename(&staged, &key_path).map_err(io_err(&key_path))?;
            key_path
        };
        let public = new.public();
        if let Some(h) = self.home.as_mut() {
            h.key = Some(new);
            h.key_path = Some(final_path);
        }
        self.checkpoint_now(now_ms)?;
        Ok(public)
    }

    /// Records another store's entries (and checkpoints) in this store, in the order given.
    /// Entries already held are skipped; a different entry at a held place, a gap, or a
    /// broken chain refuses the whole batch. Projections are updated as for an append.
    pub fn ingest(
        &mut self,
        entries: Vec<Vec<u8>>,
        checkpoints: &[Checkpoint],
    ) -> Result<IngestReport, StoreError> {
        in_write_tx(self.conn.as_mut(), |c| ingest_in_tx(c, entries, checkpoints))
    }

    /// Entries in store order after `after`, at most `limit`: (store order, bytes).
    pub fn read_entries(&mut self, after: u64, limit: i64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        crate::feed::entries_after(self.conn.as_mut(), after, limit)
    }

    /// Every checkpoint the store holds.
    pub fn checkpoints(&mut self) -> Result<Vec<Checkpoint>, StoreError> {
        let rows = self.conn.query(
            "SELECT site, entry_count, head_hash, time_ms, public_key, signature FROM ledger_checkpoints ORDER BY site, entry_count",
            &[],
        )?;
        rows.into_iter()
            .map(|r| {
                let bad = |e: String| StoreError::Schema(format!("ledger_checkpoints: {e}"));
                Ok(Checkpoint {
                    site: SiteId::parse(r[0].text()?).map_err(|e| bad(e.to_string()))?,
                    count: r[1].int()? as u64,
                    head: Hash::from_slice(r[2].blob()?).ok_or_else(|| bad("head is not 32 bytes".into()))?,
                    time_ms: r[3].int()?,
                    public_key: PublicKey::from_hex(r[4].text()?).map_err(|e| bad(e.to_string()))?,
                    signature: r[5].text()?.to_owned(),
                })
            })
            .collect()
    }

    /// Walks every entry in store order and checks everything the ledger promises; with
    /// `deep`, also rebuilds the projections in a scratch database and compares every row.
    /// `Ok(Err(_))` is a ledger that does not verify; `Err(_)` is a store that could not be read.
    pub fn verify(
        &mut self,
        opts: &VerifyOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Result<VerifySummary, VerifyFailure>, StoreError> {
        self.conn.begin_read()?;
        let result = self.verify_snapshot(opts, progress);
        // Nothing was written: ending the snapshot cannot lose anything.
        let _ = self.conn.rollback();
        result
    }

    fn verify_snapshot(
        &mut self,
        opts: &VerifyOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Result<VerifySummary, VerifyFailure>, StoreError> {
        let total = self.entry_count()?;
        let mut cps = self.checkpoints()?;
        cps.extend(opts.checkpoints.iter().cloned());
        let mut v = LedgerVerifier::new(opts.trusted.clone(), cps);
        let mut scratch = if opts.deep {
            let mut s = SqliteConn::scratch()?;
            schema::migrate(&mut s)?;
            s.begin_write()?;
            Some(s)
        } else {
            None
        };
        let mut after = 0u64;
        loop {
            let rows = self.conn.query(
                "SELECT store_seq, site, site_seq, entry_hash, event_type, time_ms, entry FROM ledger_entries
                 WHERE store_seq > $1 ORDER BY store_seq LIMIT $2",
                &[after.into(), READ_PAGE_ENTRIES.into()],
            )?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                let store_seq = r[0].int()? as u64;
                after = store_seq;
                let stored_hash = Hash::from_slice(r[3].blob()?).unwrap_or_default();
                let entry = match v.push(store_seq, Some(stored_hash), r[6].blob()?.to_vec()) {
                    Ok(e) => e,
                    Err(f) => return Ok(Err(f)),
                };
                if let Some(f) = column_mismatch(&r, &entry, store_seq) {
                    return Ok(Err(f));
                }
                if let Some(s) = scratch.as_mut() {
                    project::apply(s, &entry)?;
                }
            }
            progress(after, total);
        }
        for s in self.series_rows()? {
            if let Err(f) = v.check_recorded_head(&s.site, s.entries, &s.head) {
                return Ok(Err(f));
            }
        }
        let summary = match v.finish(Some(total)) {
            Ok(s) => s,
            Err(f) => return Ok(Err(f)),
        };
        if let Some(f) = self.check_series_recorded(&summary)? {
            return Ok(Err(f));
        }
        if opts.deep {
            for c in self.content_list()? {
                if let Err(f) = self.check_content(&c.sha256, None)? {
                    return Ok(Err(f));
                }
            }
        }
        if let Some(mut s) = scratch {
            s.commit()?;
            let replayed = project::dump(&mut s)?;
            let stored = project::dump(self.conn.as_mut())?;
            if let Some(f) = compare_dumps(&stored, &replayed) {
                return Ok(Err(f));
            }
        }
        Ok(Ok(summary))
    }

    fn check_series_recorded(
        &mut self,
        summary: &VerifySummary,
    ) -> Result<Option<VerifyFailure>, StoreError> {
        let recorded: Vec<SiteId> = self.series_rows()?.into_iter().map(|s| s.site).collect();
        for s in &summary.series {
            if !recorded.contains(&s.site) {
                return Ok(Some(VerifyFailure {
                    site: Some(s.site.clone()),
                    site_seq: None,
                    store_seq: None,
                    problem: VerifyProblem::HeadMismatch {
                        recorded: "no series".into(),
                        computed: format!("{} entries, head {}", s.entries, s.head),
                    },
                }));
            }
        }
        Ok(None)
    }

    /// Rebuilds every projection from the ledger in one transaction, verifying the chain as
    /// it goes: a ledger that does not verify is not replayed, and the old projections stay.
    pub fn replay(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<ReplayReport, StoreError> {
        let started = std::time::Instant::now();
        let total = self.entry_count()?;
        let cps = self.checkpoints()?;
        let entries = in_write_tx(self.conn.as_mut(), |c| {
            let mut v = LedgerVerifier::new(None, cps);
            project::clear(c)?;
            let mut after = 0u64;
            loop {
                let rows = c.query(
                    "SELECT store_seq, entry_hash, entry FROM ledger_entries WHERE store_seq > $1 ORDER BY store_seq LIMIT $2",
                    &[after.into(), READ_PAGE_ENTRIES.into()],
                )?;
                if rows.is_empty() {
                    break;
                }
                let mut writes = project::WriteBuffer::new(c.engine());
                for r in rows {
                    after = r[0].int()? as u64;
                    let stored = Hash::from_slice(r[1].blob()?).unwrap_or_default();
                    let entry =
                        v.push(after, Some(stored), r[2].blob()?.to_vec()).map_err(StoreError::Corrupt)?;
                    project::apply(&mut writes, &entry)?;
                }
                writes.flush(c)?;
                progress(after, total);
            }
            v.finish(Some(total)).map_err(StoreError::Corrupt)?;
            Ok(after)
        })?;
        Ok(ReplayReport { entries, millis: started.elapsed().as_millis() })
    }

    /// Every projection row, canonically ordered: two stores in the same state give equal dumps.
    pub fn projection_dump(&mut self) -> Result<project::ProjectionDump, StoreError> {
        project::dump(self.conn.as_mut())
    }

    /// A SHA-256 over the canonical projection dump: equal state, equal digest, on any engine.
    pub fn state_digest(&mut self) -> Result<Hash, StoreError> {
        Ok(Hash::of(format!("{:?}", self.projection_dump()?).as_bytes()))
    }

    /// Rows in a projection table (for the CLI's summary).
    pub fn count_rows(&mut self, table: &str) -> Result<u64, StoreError> {
        if !schema::PROJECTIONS.iter().any(|(t, _)| *t == table) {
            return Err(StoreError::Invalid(format!("{table} is not a projection table")));
        }
        let rows = self.conn.query(&format!("SELECT COUNT(*) FROM {table}"), &[])?;
        Ok(one(rows).map(|r| r[0].int()).transpose()?.unwrap_or(0) as u64)
    }

    /// Direct SQL, for tamper drills and tests that must edit a store as an attacker would.
    pub fn raw_execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        self.conn.execute(sql, params)
    }
    /// Direct SQL query, for drills and tests.
    pub fn raw_query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, StoreError> {
        self.conn.query(sql, params)
    }

    /// Checkpoints the head if it moved, then closes the store.
    pub fn close(mut self, now_ms: i64) -> Result<(), StoreError> {
        self.checkpoint_now(now_ms)?;
        Ok(())
    }
}

fn next_key_path(key_path: &Path) -> PathBuf {
    key_path.with_file_name(
        key_path
            .file_name()
            .map(|n| format!("{}.next", n.to_string_lossy()))
            .unwrap_or_else(|| NEXT_KEY_FILE.into()),
    )
}

pub(crate) fn drafts(actor: &ActorId, events: &[Event], now_ms: i64) -> Result<Vec<EntryDraft>, StoreError> {
    events
        .iter()
        .map(|e| {
            e.validate().map_err(|v| StoreError::Invalid(v.to_string()))?;
            let n = e.name();
            Ok(EntryDraft {
                time_ms: now_ms,
                actor: actor.clone(),
                event_type: EventType::parse(n.name).map_err(|v| StoreError::Invalid(v.to_string()))?,
                schema_version: n.version,
                body: e.encode(),
            })
        })
        .collect()
}

fn set_meta(c: &mut dyn Conn, name: &str, value: &str) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO store_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        &[name.into(), value.into()],
    )?;
    Ok(())
}

/// Reads the store-order head; with `lock`, takes the append lock on PostgreSQL (SQLite
/// already holds it from `BEGIN IMMEDIATE`).
fn counter(c: &mut dyn Conn, lock: bool) -> Result<u64, StoreError> {
    let sql = if lock && c.engine() == Engine::Postgres {
        "SELECT store_seq_head FROM ledger_counter WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT store_seq_head FROM ledger_counter WHERE id = 1"
    };
    let row =
        one(c.query(sql, &[])?).ok_or_else(|| StoreError::Schema("ledger_counter has no row".into()))?;
    Ok(row[0].int()? as u64)
}

fn set_counter(c: &mut dyn Conn, n: u64) -> Result<(), StoreError> {
    c.execute("UPDATE ledger_counter SET store_seq_head = $1 WHERE id = 1", &[n.into()])?;
    Ok(())
}

fn load_head(c: &mut dyn Conn, site: &SiteId) -> Result<Option<SeriesHead>, StoreError> {
    // One round trip: the head and the key in force.
    let Some(r) = one(c.query(
        "SELECT s.entries, s.head_hash,
                (SELECT k.public_key FROM ledger_keys k WHERE k.site = s.site ORDER BY k.from_seq DESC LIMIT 1)
         FROM ledger_series s WHERE s.site = $1",
        &[site.as_str().into()],
    )?) else {
        return Ok(None);
    };
    let key = r[2].opt_text()?.ok_or_else(|| StoreError::Schema(format!("series {site} has no key")))?;
    Ok(Some(SeriesHead {
        site: site.clone(),
        count: r[0].int()? as u64,
        head: Hash::from_slice(r[1].blob()?)
            .ok_or_else(|| StoreError::Schema("head_hash is not 32 bytes".into()))?,
        key: PublicKey::from_hex(key).map_err(|e| StoreError::Schema(e.to_string()))?,
    }))
}

fn save_head(c: &mut dyn Conn, h: &SeriesHead, time_zone: &str) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO ledger_series (site, entries, head_hash, time_zone) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site) DO UPDATE SET entries = excluded.entries, head_hash = excluded.head_hash, time_zone = excluded.time_zone",
        &[h.site.as_str().into(), h.count.into(), h.head.0.to_vec().into(), time_zone.into()],
    )?;
    Ok(())
}

/// Records what the ledger's own events change: the keys of a series.
fn ledger_effects(c: &mut dyn Conn, entry: &Entry) -> Result<(), StoreError> {
    let key = match entry.event_type.as_str() {
        EVENT_SERIES_OPENED => serde_json::from_slice::<SeriesOpened>(&entry.body).ok().map(|b| b.public_key),
        EVENT_KEY_ROTATED => serde_json::from_slice::<KeyRotated>(&entry.body).ok().map(|b| b.new_public_key),
        _ => return Ok(()),
    };
    // The chain rules (SeriesHead) have already accepted the body, so the key is present.
    let key = key.ok_or_else(|| StoreError::Invalid(format!("{} has no key", entry.event_type)))?;
    c.execute(
        "INSERT INTO ledger_keys (site, from_seq, public_key) VALUES ($1, $2, $3)",
        &[entry.site.as_str().into(), entry.site_seq.into(), key.to_hex().into()],
    )?;
    Ok(())
}

pub(crate) fn insert_entries(c: &mut dyn Conn, rows: &[(u64, Entry)]) -> Result<(), StoreError> {
    for chunk in rows.chunks(INSERT_ROWS_MAX) {
        let mut sql = String::from(
            "INSERT INTO ledger_entries (store_seq, site, site_seq, entry_hash, event_type, time_ms, entry) VALUES ",
        );
        let mut params = Vec::with_capacity(chunk.len() * 7);
        for (i, (store_seq, e)) in chunk.iter().enumerate() {
            let b = i * 7;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},${},${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
            params.extend([
                Value::from(*store_seq),
                e.site.as_str().into(),
                e.site_seq.into(),
                e.hash.0.to_vec().into(),
                e.event_type.as_str().into(),
                e.time_ms.into(),
                e.bytes.clone().into(),
            ]);
        }
        c.execute(&sql, &params)?;
    }
    Ok(())
}

/// The count and time of a series' last checkpoint ((0, i64::MIN) when it has none).
fn last_checkpoint(c: &mut dyn Conn, site: &SiteId) -> Result<(u64, i64), StoreError> {
    let last = one(c.query(
        "SELECT entry_count, time_ms FROM ledger_checkpoints WHERE site = $1 ORDER BY entry_count DESC LIMIT 1",
        &[site.as_str().into()],
    )?);
    Ok(match last {
        Some(r) => (r[0].int()? as u64, r[1].int()?),
        None => (0, i64::MIN),
    })
}

/// Signs a checkpoint of `head` if one is due (or `force`d), writing it through `c`.
fn maybe_checkpoint(
    c: &mut dyn Conn,
    key: &SiteKey,
    head: &SeriesHead,
    (last_count, last_ms): (u64, i64),
    now_ms: i64,
    force: bool,
) -> Result<Option<Checkpoint>, StoreError> {
    let due = head.count - last_count >= CHECKPOINT_INTERVAL_ENTRIES
        || now_ms.saturating_sub(last_ms) >= CHECKPOINT_INTERVAL_MS;
    if head.count <= last_count || !(force || due) {
        return Ok(None);
    }
    if key.public() != head.key {
        // Only a rotation committing in this very transaction makes the key in hand stale:
        // the old key must not sign past its rotation, so the checkpoint waits for the new key
        // (rotate_key signs one at once). Anywhere else this is our bug.
        if !force {
            return Ok(None);
        }
        return Err(StoreError::CannotAppend(format!(
            "the key in use is not the current key of series {}",
            head.site
        )));
    }
    let cp = Checkpoint::sign(key, &head.site, head.count, head.head, now_ms);
    insert_checkpoint(c, &cp)?;
    Ok(Some(cp))
}

fn insert_checkpoint(c: &mut dyn Conn, cp: &Checkpoint) -> Result<u64, StoreError> {
    c.execute(
        "INSERT INTO ledger_checkpoints (site, entry_count, head_hash, time_ms, public_key, signature)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (site, entry_count) DO NOTHING",
        &[
            cp.site.as_str().into(),
            cp.count.into(),
            cp.head.0.to_vec().into(),
            cp.time_ms.into(),
            cp.public_key.to_hex().into(),
            cp.signature.clone().into(),
        ],
    )
}

pub(crate) fn ingest_in_tx(
    c: &mut dyn Conn,
    entries: Vec<Vec<u8>>,
    checkpoints: &[Checkpoint],
) -> Result<IngestReport, StoreError> {
    let mut store_seq = counter(c, true)?;
    let mut heads: HashMap<SiteId, (Option<SeriesHead>, String)> = HashMap::new();
    let mut pending: Vec<(u64, Entry)> = Vec::new();
    let mut pending_hash: HashMap<(SiteId, u64), Hash> = HashMap::new();
    let mut report = IngestReport::default();
    let mut writes = project::WriteBuffer::new(c.engine());
    for (index, bytes) in entries.into_iter().enumerate() {
        let entry = Entry::decode(bytes)
            .map_err(|e| StoreError::Refused(IngestRefusal::Undecodable { index, reason: e.to_string() }))?;
        if !heads.contains_key(&entry.site) {
            let h = load_head(c, &entry.site)?;
            heads.insert(entry.site.clone(), (h, entry.time_zone.to_string()));
        }
        let (head, tz) = heads.get_mut(&entry.site).unwrap_or_else(|| unreachable!("inserted above"));
        let count = head.as_ref().map_or(0, |h| h.count);
        if entry.site_seq <= count {
            let recorded = match pending_hash.get(&(entry.site.clone(), entry.site_seq)) {
                Some(h) => *h,
                None => {
                    let r = one(c.query(
                        "SELECT entry_hash FROM ledger_entries WHERE site = $1 AND site_seq = $2",
                        &[entry.site.as_str().into(), entry.site_seq.into()],
                    )?)
                    .ok_or_else(|| {
                        StoreError::Schema(format!("series {} lacks entry {}", entry.site, entry.site_seq))
                    })?;
                    Hash::from_slice(r[0].blob()?).unwrap_or_default()
                }
            };
            if recorded != entry.hash {
                return Err(StoreError::Refused(IngestRefusal::Conflict {
                    site: entry.site,
                    site_seq: entry.site_seq,
                    recorded,
                    offered: entry.hash,
                }));
            }
            report.duplicates += 1;
            continue;
        }
        if entry.site_seq > count + 1 {
            return Err(StoreError::Refused(IngestRefusal::Gap {
                site: entry.site,
                expected: count + 1,
                found: entry.site_seq,
            }));
        }
        let chain = |p: VerifyProblem| {
            StoreError::Refused(IngestRefusal::Chain {
                site: entry.site.clone(),
                site_seq: entry.site_seq,
                problem: p.to_string(),
            })
        };
        match head {
            Some(h) => h.extend(&entry).map_err(chain)?,
            None => *head = Some(SeriesHead::genesis(&entry).map_err(chain)?),
        }
        *tz = entry.time_zone.to_string();
        ledger_effects(c, &entry)?;
        project::apply(&mut writes, &entry)?;
        store_seq += 1;
        pending_hash.insert((entry.site.clone(), entry.site_seq), entry.hash);
        pending.push((store_seq, entry));
        report.appended += 1;
        if pending.len() >= INSERT_ROWS_MAX * 10 {
            writes.flush(c)?;
            insert_entries(c, &pending)?;
            pending.clear();
            pending_hash.clear();
        }
    }
    writes.flush(c)?;
    insert_entries(c, &pending)?;
    for (head, tz) in heads.values() {
        if let Some(h) = head {
            save_head(c, h, tz)?;
        }
    }
    set_counter(c, store_seq)?;
    for cp in checkpoints {
        let refuse = |reason: String| {
            StoreError::Refused(IngestRefusal::Checkpoint { site: cp.site.clone(), count: cp.count, reason })
        };
        if !cp.signature_valid() {
            return Err(refuse("its signature is invalid".into()));
        }
        let at = one(c.query(
            "SELECT entry_hash FROM ledger_entries WHERE site = $1 AND site_seq = $2",
            &[cp.site.as_str().into(), cp.count.into()],
        )?);
        let Some(at) = at else {
            return Err(refuse("the store does not hold the entry it vouches for".into()));
        };
        if Hash::from_slice(at[0].blob()?) != Some(cp.head) {
            return Err(refuse("its head is not the entry recorded at its count".into()));
        }
        let key_ok = one(c.query(
            "SELECT public_key FROM ledger_keys WHERE site = $1 AND from_seq <= $2 ORDER BY from_seq DESC LIMIT 1",
            &[cp.site.as_str().into(), cp.count.into()],
        )?)
        .is_some_and(|r| r[0].text().ok() == Some(cp.public_key.to_hex().as_str()));
        if !key_ok {
            return Err(refuse("it is not signed by the series' key at that count".into()));
        }
        report.checkpoints += insert_checkpoint(c, cp)?;
    }
    Ok(report)
}

fn column_mismatch(r: &[Value], e: &Entry, store_seq: u64) -> Option<VerifyFailure> {
    let checks: [(&'static str, Value, Value); 4] = [
        ("site", r[1].clone(), e.site.as_str().into()),
        ("site_seq", r[2].clone(), e.site_seq.into()),
        ("event_type", r[4].clone(), e.event_type.as_str().into()),
        ("time_ms", r[5].clone(), e.time_ms.into()),
    ];
    checks.into_iter().find(|(_, a, b)| a != b).map(|(column, stored, in_entry)| VerifyFailure {
        site: Some(e.site.clone()),
        site_seq: Some(e.site_seq),
        store_seq: Some(store_seq),
        problem: VerifyProblem::ColumnMismatch {
            column,
            stored: format!("{stored:?}"),
            in_entry: format!("{in_entry:?}"),
        },
    })
}

fn compare_dumps(
    stored: &project::ProjectionDump,
    replayed: &project::ProjectionDump,
) -> Option<VerifyFailure> {
    for ((table, a), (_, b)) in stored.iter().zip(replayed) {
        if a == b {
            continue;
        }
        let detail = match a.iter().zip(b).find(|(x, y)| x != y) {
            Some((x, y)) => format!("stored row {x:?} differs from the replayed row {y:?}"),
            None => format!("{} rows are stored but replaying the ledger gives {}", a.len(), b.len()),
        };
        return Some(VerifyFailure {
            site: None,
            site_seq: None,
            store_seq: None,
            problem: VerifyProblem::Projection { table: (*table).to_owned(), detail },
        });
    }
    None
}
