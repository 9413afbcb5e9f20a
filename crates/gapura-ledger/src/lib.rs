//! The ledger's wire format and its rules: how one entry is encoded and hashed, how entries of
//! a site's series chain together, how checkpoints are signed, how site keys are kept and
//! rotated, how an export is sealed, and how all of it is verified.
//!
//! This crate is the only place that knows the bytes of an entry. It does no database IO and
//! reads no clock: callers pass time in. It is not the place for domain events (they live in
//! `gapura-domain`) nor for storage (`gapura-store`).

/// Declares a string newtype that can only hold values passing `$check`: parsed once with
/// `parse`, carried as a type afterwards, and (de)serialised as a plain string that is
/// checked again on the way in. Shared by the ledger's names and the domain's codes.
#[macro_export]
macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident, $err_ty:ty, $check:expr, $err:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses and validates the value.
            pub fn parse(s: &str) -> ::core::result::Result<Self, $err_ty> {
                let ok: fn(&str) -> bool = $check;
                if ok(s) { Ok(Self(s.to_owned())) } else { Err($err(s.to_owned())) }
            }
            pub fn as_str(&self) -> &str { &self.0 }
        }
        impl ::core::convert::TryFrom<String> for $name {
            type Error = $err_ty;
            fn try_from(s: String) -> ::core::result::Result<Self, $err_ty> { Self::parse(&s) }
        }
        impl ::core::convert::From<$name> for String {
            fn from(v: $name) -> String { v.0 }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result { f.write_str(&self.0) }
        }
        impl ::core::str::FromStr for $name {
            type Err = $err_ty;
            fn from_str(s: &str) -> ::core::result::Result<Self, $err_ty> { Self::parse(s) }
        }
    };
}

mod checkpoint;
mod entry;
mod key;
pub mod segment;
mod verify;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use entry::{
    ActorId, DecodeError, Entry, EntryDraft, EventType, Hash, SiteId, TimeZoneName, ValueError,
    ENTRY_BYTES_MAX, ENTRY_FORMAT_VERSION,
};
pub use key::{KeyError, PublicKey, SiteKey};
pub use verify::{
    KeyRotated, LedgerVerifier, SeriesHead, SeriesOpened, SeriesSummary, TrustedKeys, VerifyFailure,
    VerifyProblem, VerifySummary, EVENT_KEY_ROTATED, EVENT_SERIES_OPENED,
};

/// Large or bulk content (a photo, a stolen-document file) as an event refers to it: by the
/// SHA-256 of its bytes and its size. The bytes live in the store's content table, never in
/// an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct ContentRef {
    pub sha256: Hash,
    pub size: u64,
}

/// Canonical JSON for event bodies: object keys sorted, no insignificant white space.
///
/// `serde_json::Value` keeps objects in a `BTreeMap` (the crate is built without
/// `preserve_order`), so serialising a `Value` yields sorted keys.
pub fn canonical_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let value = serde_json::to_value(value)?;
    serde_json::to_vec(&value)
}
