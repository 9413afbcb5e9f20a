//! Verification of a whole ledger in one streaming pass, in the order the store received
//! entries. Used on a live store and on an export alike, so the two can never disagree.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Checkpoint, DecodeError, Entry, Hash, PublicKey, SiteId, SiteKey};

/// The first entry of every series: it names the key that signs the series' checkpoints.
pub const EVENT_SERIES_OPENED: &str = "ledger.series_opened";
/// A key rotation: the new key, with a signature by the key it replaces.
pub const EVENT_KEY_ROTATED: &str = "ledger.key_rotated";
const ROTATION_DOMAIN: &[u8] = b"gapura-key-rotation-v1\0";

/// Body of `ledger.series_opened` (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesOpened {
    pub public_key: PublicKey,
}

/// Body of `ledger.key_rotated` (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRotated {
    pub new_public_key: PublicKey,
    /// Signature by the old key over `KeyRotated::message`, hexadecimal.
    pub signature: String,
}

impl KeyRotated {
    /// What the old key signs: the series, the place of the rotation in it, and the new key.
    pub fn message(site: &SiteId, site_seq: u64, prev_hash: &Hash, new_key: &PublicKey) -> Vec<u8> {
        let mut m = ROTATION_DOMAIN.to_vec();
        m.push(site.as_str().len() as u8);
        m.extend_from_slice(site.as_str().as_bytes());
        m.extend_from_slice(&site_seq.to_be_bytes());
        m.extend_from_slice(&prev_hash.0);
        m.extend_from_slice(&new_key.0);
        m
    }
    pub fn new(old: &SiteKey, site: &SiteId, site_seq: u64, prev_hash: &Hash, new_key: PublicKey) -> Self {
        let sig = old.sign(&Self::message(site, site_seq, prev_hash, &new_key));
        KeyRotated { new_public_key: new_key, signature: hex::encode(sig) }
    }
}

/// The public keys an auditor trusts as the genesis keys of series.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys(pub BTreeSet<PublicKey>);

impl TrustedKeys {
    /// One key per line, 64 hex digits, optionally followed by white space and a comment.
    /// Lines starting with `#` are comments.
    pub fn parse(text: &str) -> Result<TrustedKeys, String> {
        let mut set = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let word = line.split_whitespace().next().unwrap_or_default();
            let key = PublicKey::from_hex(word).map_err(|e| format!("line {}: {e}", i + 1))?;
            set.insert(key);
        }
        Ok(TrustedKeys(set))
    }
}

/// What is wrong with an entry or with the ledger as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyProblem {
    /// The stored bytes are not a well-formed entry.
    Undecodable(DecodeError),
    /// The hash stored beside the entry is not the SHA-256 of its bytes.
    StoredHashMismatch { stored: Hash, computed: Hash },
    /// A column stored beside the entry disagrees with the entry's own bytes.
    ColumnMismatch { column: &'static str, stored: String, in_entry: String },
    /// The store-wide order has a gap or repeats a number.
    StoreOrderGap { expected: u64, found: u64 },
    /// The series skips or repeats a sequence number.
    SequenceGap { expected: u64, found: u64 },
    /// The entry's previous hash is not the hash of the entry before it.
    BrokenChain { expected: Hash, found: Hash },
    /// The first entry of a series is not `ledger.series_opened` or its body is invalid.
    BadGenesis(String),
    /// A key rotation is malformed or not signed by the key it replaces.
    BadRotation(String),
    /// The series' genesis key is not among the trusted keys.
    UntrustedKey(PublicKey),
    /// A checkpoint's head is not the hash of the entry at its count.
    CheckpointMismatch { count: u64, checkpoint_head: Hash, entry_hash: Hash },
    /// A checkpoint was not signed by the key in force for the series at its count.
    CheckpointWrongKey { count: u64, signed_by: PublicKey, key_in_force: PublicKey },
    /// A checkpoint's signature does not verify.
    CheckpointBadSignature { count: u64 },
    /// A checkpoint vouches for more entries than the series has: its tail is missing.
    Truncated { checkpoint_count: u64, entries: u64 },
    /// The store's recorded head of a series disagrees with its entries.
    HeadMismatch { recorded: String, computed: String },
    /// A projection row differs from what replaying the ledger gives: it was edited directly.
    Projection { table: String, detail: String },
    /// Stored content no longer hashes to the hash it is stored (and referenced) under.
    Content { sha256: Hash, detail: String },
}

impl fmt::Display for VerifyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyProblem::*;
        match self {
            Undecodable(e) => write!(f, "the stored bytes are not a valid entry: {e}"),
            StoredHashMismatch { stored, computed } => write!(
                f,
                "the entry's bytes hash to {computed}, but {stored} is stored beside them: the entry was altered"
            ),
            ColumnMismatch { column, stored, in_entry } => write!(
                f,
                "column '{column}' holds {stored:?} but the entry's bytes say {in_entry:?}"
            ),
            StoreOrderGap { expected, found } => {
                write!(f, "store order expected number {expected} but found {found}")
            }
            SequenceGap { expected, found } => write!(
                f,
                "expected site sequence {expected} but found {found}: entries are missing, duplicated or reordered"
            ),
            BrokenChain { expected, found } => write!(
                f,
                "previous hash is {found} but the previous entry hashes to {expected}: the chain is broken"
            ),
            BadGenesis(why) => write!(f, "the series does not open properly: {why}"),
            BadRotation(why) => write!(f, "invalid key rotation: {why}"),
            UntrustedKey(k) => write!(f, "the series is signed by key {k}, which is not among the trusted keys"),
            CheckpointMismatch { count, checkpoint_head, entry_hash } => write!(
                f,
                "the checkpoint at count {count} names head {checkpoint_head}, but the entry there hashes to {entry_hash}"
            ),
            CheckpointWrongKey { count, signed_by, key_in_force } => write!(
                f,
                "the checkpoint at count {count} is signed by {signed_by}, but the series' key at that point is {key_in_force}"
            ),
            CheckpointBadSignature { count } => {
                write!(f, "the checkpoint at count {count} has an invalid signature")
            }
            Truncated { checkpoint_count, entries } => write!(
                f,
                "a signed checkpoint vouches for {checkpoint_count} entries but only {entries} are present: the tail was removed"
            ),
            Content { sha256, detail } => write!(f, "content {sha256}: {detail}"),
            Projection { table, detail } => write!(
                f,
                "projection table {table} does not match the ledger: {detail}"
            ),
            HeadMismatch { recorded, computed } => write!(
                f,
                "the store records the series head as {recorded} but its entries give {computed}"
            ),
        }
    }
}

/// The first problem found, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub site: Option<SiteId>,
    pub site_seq: Option<u64>,
    pub store_seq: Option<u64>,
    pub problem: VerifyProblem,
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.site, self.site_seq) {
            (Some(s), Some(q)) => write!(f, "site {s}, sequence {q}")?,
            (Some(s), None) => write!(f, "site {s}")?,
            _ => write!(f, "ledger")?,
        }
        if let Some(n) = self.store_seq {
            write!(f, " (store order {n})")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for VerifyFailure {}

/// What a successful verification covered, per series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesSummary {
    pub site: SiteId,
    pub entries: u64,
    pub head: Hash,
    pub key: PublicKey,
    /// The highest count covered by a valid checkpoint, 0 if none.
    pub checkpointed: u64,
    pub key_trusted: bool,
}

/// What a successful verification covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifySummary {
    pub entries: u64,
    pub checkpoints: u64,
    pub series: Vec<SeriesSummary>,
    /// False when no trusted keys were given: keys were taken from the series themselves.
    pub keys_anchored: bool,
}

/// The rules that bind one entry to the one before it in its series: used when verifying and
/// when a store ingests another site's entries, so both apply the same rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesHead {
    pub site: SiteId,
    /// Entries in the series so far; also the last site sequence.
    pub count: u64,
    pub head: Hash,
    /// The key in force: the genesis key or the latest rotated-to key.
    pub key: PublicKey,
}

impl SeriesHead {
    /// Starts a series from its first entry.
    pub fn genesis(entry: &Entry) -> Result<SeriesHead, VerifyProblem> {
        if entry.site_seq != 1 {
            return Err(VerifyProblem::SequenceGap { expected: 1, found: entry.site_seq });
        }
        let key = genesis_key(entry).map_err(VerifyProblem::BadGenesis)?;
        Ok(SeriesHead { site: entry.site.clone(), count: 1, head: entry.hash, key })
    }

    /// Extends the series by `entry`, or says why it does not follow.
    pub fn extend(&mut self, entry: &Entry) -> Result<(), VerifyProblem> {
        if entry.site_seq != self.count + 1 {
            return Err(VerifyProblem::SequenceGap { expected: self.count + 1, found: entry.site_seq });
        }
        if entry.prev_hash != self.head {
            return Err(VerifyProblem::BrokenChain { expected: self.head, found: entry.prev_hash });
        }
        if entry.event_type.as_str() == EVENT_SERIES_OPENED {
            return Err(VerifyProblem::BadGenesis("a series is opened again in its middle".into()));
        }
        if entry.event_type.as_str() == EVENT_KEY_ROTATED {
            self.key = rotated_key(entry, &self.key).map_err(VerifyProblem::BadRotation)?;
        }
        self.count = entry.site_seq;
        self.head = entry.hash;
        Ok(())
    }
}

struct SeriesState {
    chain: SeriesHead,
    key_trusted: bool,
    checkpointed: u64,
    pending: VecDeque<Checkpoint>,
}

/// Streaming verifier. Feed entries in store order with `push`, then call `finish`.
pub struct LedgerVerifier {
    trusted: Option<TrustedKeys>,
    series: BTreeMap<SiteId, SeriesState>,
    checkpoints: BTreeMap<SiteId, VecDeque<Checkpoint>>,
    next_store_seq: u64,
    checkpoints_checked: u64,
}

impl LedgerVerifier {
    /// `checkpoints` may come from the store itself and from copies held elsewhere; they are
    /// all checked against the entries.
    pub fn new(trusted: Option<TrustedKeys>, checkpoints: Vec<Checkpoint>) -> LedgerVerifier {
        let mut by_site: BTreeMap<SiteId, Vec<Checkpoint>> = BTreeMap::new();
        for cp in checkpoints {
            by_site.entry(cp.site.clone()).or_default().push(cp);
        }
        let checkpoints = by_site
            .into_iter()
            .map(|(site, mut cps)| {
                cps.sort_by(|a, b| (a.count, &a.signature).cmp(&(b.count, &b.signature)));
                cps.dedup();
                (site, cps.into())
            })
            .collect();
        LedgerVerifier {
            trusted,
            series: BTreeMap::new(),
            checkpoints,
            next_store_seq: 1,
            checkpoints_checked: 0,
        }
    }

    /// Checks one stored entry. `stored_hash` is the hash kept beside it, if the medium keeps one.
    pub fn push(
        &mut self,
        store_seq: u64,
        stored_hash: Option<Hash>,
        bytes: Vec<u8>,
    ) -> Result<Entry, VerifyFailure> {
        let fail = |site: Option<&SiteId>, seq: Option<u64>, problem| VerifyFailure {
            site: site.cloned(),
            site_seq: seq,
            store_seq: Some(store_seq),
            problem,
        };
        if store_seq != self.next_store_seq {
            return Err(fail(
                None,
                None,
                VerifyProblem::StoreOrderGap { expected: self.next_store_seq, found: store_seq },
            ));
        }
        self.next_store_seq += 1;
        let entry = Entry::decode(bytes).map_err(|e| fail(None, None, VerifyProblem::Undecodable(e)))?;
        if let Some(stored) = stored_hash {
            if stored != entry.hash {
                return Err(fail(
                    Some(&entry.site),
                    Some(entry.site_seq),
                    VerifyProblem::StoredHashMismatch { stored, computed: entry.hash },
                ));
            }
        }
        let at = |p| fail(Some(&entry.site), Some(entry.site_seq), p);
        let state = match self.series.get_mut(&entry.site) {
            Some(state) => {
                state.chain.extend(&entry).map_err(at)?;
                state
            }
            None => {
                let chain = SeriesHead::genesis(&entry).map_err(at)?;
                let key_trusted = match &self.trusted {
                    Some(t) if !t.0.contains(&chain.key) => {
                        return Err(at(VerifyProblem::UntrustedKey(chain.key)))
                    }
                    Some(_) => true,
                    None => false,
                };
                let pending = self.checkpoints.remove(&entry.site).unwrap_or_default();
                self.series.entry(entry.site.clone()).or_insert(SeriesState {
                    chain,
                    key_trusted,
                    checkpointed: 0,
                    pending,
                })
            }
        };
        let seq = entry.site_seq;
        let site = &entry.site;
        while let Some(cp) = state.pending.front().filter(|cp| cp.count <= seq).cloned() {
            state.pending.pop_front();
            if cp.count < seq {
                // Only a count of 0 can be met late: every other count was met in order.
                return Err(fail(
                    Some(site),
                    Some(cp.count),
                    VerifyProblem::CheckpointBadSignature { count: cp.count },
                ));
            }
            if cp.head != entry.hash {
                return Err(fail(
                    Some(site),
                    Some(seq),
                    VerifyProblem::CheckpointMismatch {
                        count: cp.count,
                        checkpoint_head: cp.head,
                        entry_hash: entry.hash,
                    },
                ));
            }
            if cp.public_key != state.chain.key {
                return Err(fail(
                    Some(site),
                    Some(seq),
                    VerifyProblem::CheckpointWrongKey {
                        count: cp.count,
                        signed_by: cp.public_key,
                        key_in_force: state.chain.key,
                    },
                ));
            }
            if !cp.signature_valid() {
                return Err(fail(
                    Some(site),
                    Some(seq),
                    VerifyProblem::CheckpointBadSignature { count: cp.count },
                ));
            }
            state.checkpointed = cp.count;
            self.checkpoints_checked += 1;
        }
        Ok(entry)
    }

    /// Compares a head recorded by the store with what the entries gave.
    pub fn check_recorded_head(&self, site: &SiteId, count: u64, head: &Hash) -> Result<(), VerifyFailure> {
        let computed = self.series.get(site).map(|s| (s.chain.count, s.chain.head));
        if computed != Some((count, *head)) {
            return Err(VerifyFailure {
                site: Some(site.clone()),
                site_seq: None,
                store_seq: None,
                problem: VerifyProblem::HeadMismatch {
                    recorded: format!("{count} entries, head {head}"),
                    computed: match computed {
                        Some((n, h)) => format!("{n} entries, head {h}"),
                        None => "no entries".into(),
                    },
                },
            });
        }
        Ok(())
    }

    /// Checks what only the end can tell: checkpoints beyond the last entry (a truncated tail)
    /// and store-wide counts.
    pub fn finish(self, store_entries: Option<u64>) -> Result<VerifySummary, VerifyFailure> {
        let entries = self.next_store_seq - 1;
        if let Some(n) = store_entries {
            if n != entries {
                return Err(VerifyFailure {
                    site: None,
                    site_seq: None,
                    store_seq: Some(entries + 1),
                    problem: VerifyProblem::StoreOrderGap { expected: n, found: entries },
                });
            }
        }
        for (site, cps) in &self.checkpoints {
            if let Some(cp) = cps.back() {
                return Err(VerifyFailure {
                    site: Some(site.clone()),
                    site_seq: None,
                    store_seq: None,
                    problem: VerifyProblem::Truncated { checkpoint_count: cp.count, entries: 0 },
                });
            }
        }
        let mut series = Vec::new();
        for (site, s) in self.series {
            if let Some(cp) = s.pending.back() {
                return Err(VerifyFailure {
                    site: Some(site),
                    site_seq: Some(s.chain.count + 1),
                    store_seq: None,
                    problem: VerifyProblem::Truncated { checkpoint_count: cp.count, entries: s.chain.count },
                });
            }
            series.push(SeriesSummary {
                site,
                entries: s.chain.count,
                head: s.chain.head,
                key: s.chain.key,
                checkpointed: s.checkpointed,
                key_trusted: s.key_trusted,
            });
        }
        Ok(VerifySummary {
            entries,
            checkpoints: self.checkpoints_checked,
            series,
            keys_anchored: self.trusted.is_some(),
        })
    }
}

fn genesis_key(entry: &Entry) -> Result<PublicKey, String> {
    if entry.event_type.as_str() != EVENT_SERIES_OPENED {
        return Err(format!("entry 1 is '{}', not '{EVENT_SERIES_OPENED}'", entry.event_type));
    }
    if entry.schema_version != 1 {
        return Err(format!("{EVENT_SERIES_OPENED} version {} is not known", entry.schema_version));
    }
    let body: SeriesOpened =
        serde_json::from_slice(&entry.body).map_err(|e| format!("its body is invalid: {e}"))?;
    Ok(body.public_key)
}

fn rotated_key(entry: &Entry, old: &PublicKey) -> Result<PublicKey, String> {
    if entry.schema_version != 1 {
        return Err(format!("{EVENT_KEY_ROTATED} version {} is not known", entry.schema_version));
    }
    let body: KeyRotated =
        serde_json::from_slice(&entry.body).map_err(|e| format!("its body is invalid: {e}"))?;
    let sig = hex::decode(&body.signature).map_err(|_| "the signature is not hexadecimal".to_string())?;
    let msg = KeyRotated::message(&entry.site, entry.site_seq, &entry.prev_hash, &body.new_public_key);
    if !old.verifies(&msg, &sig) {
        return Err(format!("it is not signed by the key it replaces ({old})"));
    }
    Ok(body.new_public_key)
}
