//! Small builders shared by the tests: series of entries, key rotations, and a verifier run.

use gapura_ledger::{
    canonical_json, ActorId, Checkpoint, Entry, EntryDraft, EventType, Hash, KeyRotated, LedgerVerifier,
    SeriesOpened, SiteId, SiteKey, TimeZoneName, TrustedKeys, VerifyFailure, VerifySummary,
    EVENT_KEY_ROTATED, EVENT_SERIES_OPENED,
};

/// A fixed start time for synthetic entries (2026-09-21T...Z); each entry adds one second.
pub const T0: i64 = 1_790_000_000_000;

pub fn site(s: &str) -> SiteId {
    SiteId::parse(s).unwrap()
}

pub fn tz() -> TimeZoneName {
    TimeZoneName::parse("Asia/Jakarta").unwrap()
}

pub fn key(n: u8) -> SiteKey {
    SiteKey::from_seed([n; 32])
}

pub fn draft(time_ms: i64, actor: &str, event_type: &str, schema_version: u16, body: Vec<u8>) -> EntryDraft {
    EntryDraft {
        time_ms,
        actor: ActorId::parse(actor).unwrap(),
        event_type: EventType::parse(event_type).unwrap(),
        schema_version,
        body,
    }
}

/// The first entry of a series, naming `key` as the series' key.
pub fn genesis(site_id: &SiteId, key: &SiteKey) -> Entry {
    let body = canonical_json(&SeriesOpened { public_key: key.public() }).unwrap();
    let d = draft(T0, "system:ledger", EVENT_SERIES_OPENED, 1, body);
    Entry::seal(site_id, &tz(), 1, Hash::ZERO, &d).unwrap()
}

/// The entry after `prev` in its series.
pub fn next(prev: &Entry, event_type: &str, schema_version: u16, body: Vec<u8>) -> Entry {
    let seq = prev.site_seq + 1;
    let d = draft(T0 + seq as i64 * 1000, "officer:0001", event_type, schema_version, body);
    Entry::seal(&prev.site, &prev.time_zone, seq, prev.hash, &d).unwrap()
}

/// An ordinary event after `prev`, with a small JSON body naming its sequence.
pub fn plain(prev: &Entry) -> Entry {
    let body = canonical_json(&serde_json::json!({"n": prev.site_seq + 1, "note": "synthetic"})).unwrap();
    next(prev, "test.thing_happened", 1, body)
}

/// A valid series of `n` entries: a genesis naming `key`, then `n - 1` ordinary events.
pub fn series(site_name: &str, key: &SiteKey, n: u64) -> Vec<Entry> {
    let mut out = vec![genesis(&site(site_name), key)];
    while (out.len() as u64) < n {
        let e = plain(out.last().unwrap());
        out.push(e);
    }
    out
}

/// A `ledger.key_rotated` entry after `prev`, signed by `signer` (normally the old key).
pub fn rotation(prev: &Entry, signer: &SiteKey, new: &SiteKey) -> Entry {
    let body = KeyRotated::new(signer, &prev.site, prev.site_seq + 1, &prev.hash, new.public());
    next(prev, EVENT_KEY_ROTATED, 1, canonical_json(&body).unwrap())
}

/// A checkpoint by `key` over `entry` (its count and hash).
pub fn checkpoint(key: &SiteKey, entry: &Entry) -> Checkpoint {
    Checkpoint::sign(key, &entry.site, entry.site_seq, entry.hash, T0 + 3_600_000)
}

pub fn trusting(keys: &[&SiteKey]) -> Option<TrustedKeys> {
    Some(TrustedKeys(keys.iter().map(|k| k.public()).collect()))
}

/// Pushes `entries` in store order 1, 2, ... (with their stored hash when `with_hash`), then
/// finishes. Returns the first failure.
pub fn run_with(
    entries: &[Entry],
    with_hash: bool,
    trusted: Option<TrustedKeys>,
    checkpoints: Vec<Checkpoint>,
) -> Result<VerifySummary, VerifyFailure> {
    let mut v = LedgerVerifier::new(trusted, checkpoints);
    for (i, e) in entries.iter().enumerate() {
        v.push(i as u64 + 1, with_hash.then_some(e.hash), e.bytes.clone())?;
    }
    v.finish(Some(entries.len() as u64))
}

/// `run_with`, stored hashes supplied.
pub fn run(
    entries: &[Entry],
    trusted: Option<TrustedKeys>,
    checkpoints: Vec<Checkpoint>,
) -> Result<VerifySummary, VerifyFailure> {
    run_with(entries, true, trusted, checkpoints)
}
