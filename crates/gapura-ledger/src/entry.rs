//! One ledger entry: its envelope, its body, and the exact bytes that are hashed and stored.
//!
//! Layout of format version 1 (all integers big-endian):
//!
//! | field | encoding |
//! |---|---|
//! | magic | the 4 bytes `GPLE` |
//! | format | u8, `1` |
//! | site | u8 length + UTF-8 |
//! | site sequence | u64, first entry of a series is 1 |
//! | previous hash | 32 bytes, SHA-256 of the previous entry's bytes; zeros for sequence 1 |
//! | time | i64, milliseconds since 1970-01-01T00:00:00Z |
//! | time zone | u8 length + UTF-8, the site's IANA zone name |
//! | actor | u8 length + UTF-8 |
//! | event type | u8 length + UTF-8 |
//! | schema version | u16 |
//! | body | u32 length + bytes (canonical JSON) |
//!
//! The entry hash is SHA-256 over all of these bytes. Nothing may follow the body.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The largest encoded entry the ledger accepts, in bytes. Bulk content (photos, stolen
/// document files) is stored by hash and referenced from an event, never inlined.
pub const ENTRY_BYTES_MAX: usize = 64 * 1024;
/// The entry encoding this build writes.
pub const ENTRY_FORMAT_VERSION: u8 = 1;
const ENTRY_MAGIC: &[u8; 4] = b"GPLE";
const NAME_BYTES_MAX: usize = 64;

/// A value given to the ledger that does not have the required form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// A site id is 1 to 32 characters of `a-z`, `0-9` and `-`, starting with a letter.
    #[error("site id {0:?} must be 1 to 32 characters of a-z, 0-9 and '-', starting with a letter")]
    SiteId(String),
    /// An actor is 1 to 64 printable ASCII characters without spaces.
    #[error("actor {0:?} must be 1 to 64 printable ASCII characters without spaces")]
    Actor(String),
    /// An event type is `area.past_tense_verb`: lowercase words joined by `_`, one `.`.
    #[error(
        "event type {0:?} must look like 'area.thing_happened' (lowercase, one dot, at most 64 characters)"
    )]
    EventType(String),
    /// A time zone is an IANA name such as `Asia/Jakarta` or `UTC`.
    #[error("time zone {0:?} must be an IANA zone name such as Asia/Jakarta or UTC")]
    TimeZone(String),
    /// A hash is 64 hexadecimal digits.
    #[error("hash {0:?} must be 64 hexadecimal digits")]
    Hash(String),
}

crate::validated_string!(
    /// The site that owns a series: the centre, a border post, an office running a node.
    SiteId,
    ValueError,
    |s| {
        (1..=32).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    },
    ValueError::SiteId
);
crate::validated_string!(
    /// Who caused an event: `officer:<id>`, `system:<component>`, `device:<id>`.
    ActorId,
    ValueError,
    |s| (1..=NAME_BYTES_MAX).contains(&s.len()) && s.chars().all(|c| c.is_ascii_graphic()),
    ValueError::Actor
);
crate::validated_string!(
    /// A stable event name, e.g. `service_point.registered`.
    EventType,
    ValueError,
    |s| {
        let mut parts = s.split('.');
        let word = |w: &str| {
            !w.is_empty()
                && w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        s.len() <= NAME_BYTES_MAX
            && matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if word(a) && word(b))
    },
    ValueError::EventType
);
crate::validated_string!(
    /// An IANA time zone name. Only its form is checked here: `Area/Location` or `UTC`.
    TimeZoneName,
    ValueError,
    |s| {
        (1..=NAME_BYTES_MAX).contains(&s.len())
            && (s == "UTC"
                || (s.contains('/')
                    && s.starts_with(|c: char| c.is_ascii_uppercase())
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))))
    },
    ValueError::TimeZone
);

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    pub const ZERO: Hash = Hash([0; 32]);

    pub fn of(bytes: &[u8]) -> Hash {
        Hash(Sha256::digest(bytes).into())
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    pub fn from_hex(s: &str) -> Result<Hash, ValueError> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| ValueError::Hash(s.to_owned()))?;
        Ok(Hash(out))
    }
    pub fn from_slice(b: &[u8]) -> Option<Hash> {
        <[u8; 32]>::try_from(b).ok().map(Hash)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}
impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}
impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}
impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Hash::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// Everything of an entry except its place in the chain, which the store assigns under its
/// append lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDraft {
    pub time_ms: i64,
    pub actor: ActorId,
    pub event_type: EventType,
    pub schema_version: u16,
    pub body: Vec<u8>,
}

/// A decoded entry. `bytes` are exactly what was hashed; the other fields are read from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub site: SiteId,
    pub site_seq: u64,
    pub prev_hash: Hash,
    pub time_ms: i64,
    pub time_zone: TimeZoneName,
    pub actor: ActorId,
    pub event_type: EventType,
    pub schema_version: u16,
    pub body: Vec<u8>,
    pub hash: Hash,
    pub bytes: Vec<u8>,
}

/// Why a byte string is not a well-formed entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The entry is larger than `ENTRY_BYTES_MAX`.
    #[error("entry is {size} bytes, more than the maximum of {max}")]
    TooLarge { size: usize, max: usize },
    /// The bytes end before the named field is complete.
    #[error("entry ends inside field '{field}' at byte {offset}")]
    Truncated { field: &'static str, offset: usize },
    /// The entry does not start with the magic bytes `GPLE`.
    #[error("entry does not start with the magic bytes GPLE")]
    Magic,
    /// The entry uses a format version this build does not read.
    #[error("entry format version {0} is not known (this build reads version 1)")]
    Format(u8),
    /// A text field is not valid UTF-8 or not of its required form.
    #[error("field '{field}' at byte {offset} is invalid: {reason}")]
    Field { field: &'static str, offset: usize, reason: String },
    /// A sequence number of 0 (series start at 1).
    #[error("site sequence 0 is not allowed; series start at 1")]
    ZeroSequence,
    /// Bytes follow the body.
    #[error("{0} bytes follow the body")]
    TrailingBytes(usize),
}

impl Entry {
    /// Encodes a new entry at `site_seq` after `prev_hash`.
    pub fn seal(
        site: &SiteId,
        time_zone: &TimeZoneName,
        site_seq: u64,
        prev_hash: Hash,
        draft: &EntryDraft,
    ) -> Result<Entry, DecodeError> {
        let mut b = Vec::with_capacity(96 + draft.body.len());
        b.extend_from_slice(ENTRY_MAGIC);
        b.push(ENTRY_FORMAT_VERSION);
        put_name(&mut b, site.as_str());
        b.extend_from_slice(&site_seq.to_be_bytes());
        b.extend_from_slice(&prev_hash.0);
        b.extend_from_slice(&draft.time_ms.to_be_bytes());
        put_name(&mut b, time_zone.as_str());
        put_name(&mut b, draft.actor.as_str());
        put_name(&mut b, draft.event_type.as_str());
        b.extend_from_slice(&draft.schema_version.to_be_bytes());
        let body_len = u32::try_from(draft.body.len()).unwrap_or(u32::MAX);
        b.extend_from_slice(&body_len.to_be_bytes());
        b.extend_from_slice(&draft.body);
        Entry::decode(b)
    }

    /// Decodes stored bytes, checking every field's form. Never panics on any input.
    pub fn decode(bytes: Vec<u8>) -> Result<Entry, DecodeError> {
        if bytes.len() > ENTRY_BYTES_MAX {
            return Err(DecodeError::TooLarge { size: bytes.len(), max: ENTRY_BYTES_MAX });
        }
        let mut r = Reader { b: &bytes, at: 0 };
        if r.take(4, "magic")? != ENTRY_MAGIC {
            return Err(DecodeError::Magic);
        }
        let format = r.take(1, "format")?[0];
        if format != ENTRY_FORMAT_VERSION {
            return Err(DecodeError::Format(format));
        }
        let site = r.name("site", SiteId::parse)?;
        let site_seq = u64::from_be_bytes(r.array("site_seq")?);
        if site_seq == 0 {
            return Err(DecodeError::ZeroSequence);
        }
        let prev_hash = Hash(r.array("prev_hash")?);
        let time_ms = i64::from_be_bytes(r.array("time_ms")?);
        let time_zone = r.name("time_zone", TimeZoneName::parse)?;
        let actor = r.name("actor", ActorId::parse)?;
        let event_type = r.name("event_type", EventType::parse)?;
        let schema_version = u16::from_be_bytes(r.array("schema_version")?);
        let body_len = u32::from_be_bytes(r.array("body_length")?) as usize;
        let body = r.take(body_len, "body")?.to_vec();
        if r.at != bytes.len() {
            return Err(DecodeError::TrailingBytes(bytes.len() - r.at));
        }
        if site_seq == 1 && prev_hash != Hash::ZERO {
            return Err(DecodeError::Field {
                field: "prev_hash",
                offset: 0,
                reason: "the first entry of a series must have an all-zero previous hash".into(),
            });
        }
        let hash = Hash::of(&bytes);
        Ok(Entry {
            site,
            site_seq,
            prev_hash,
            time_ms,
            time_zone,
            actor,
            event_type,
            schema_version,
            body,
            hash,
            bytes,
        })
    }
}

fn put_name(b: &mut Vec<u8>, s: &str) {
    // Every name type is validated to at most 64 bytes, so the length fits in a u8.
    debug_assert!(s.len() <= NAME_BYTES_MAX);
    b.push(s.len() as u8);
    b.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.ok_or(DecodeError::Truncated { field, offset: self.at })?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let s = self.take(N, field)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn name<T>(
        &mut self,
        field: &'static str,
        parse: fn(&str) -> Result<T, ValueError>,
    ) -> Result<T, DecodeError> {
        let offset = self.at;
        let len = self.take(1, field)?[0] as usize;
        let raw = self.take(len, field)?;
        let s = std::str::from_utf8(raw).map_err(|_| DecodeError::Field {
            field,
            offset,
            reason: "not UTF-8".into(),
        })?;
        parse(s).map_err(|e| DecodeError::Field { field, offset, reason: e.to_string() })
    }
}
