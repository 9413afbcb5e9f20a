//! Storage for Gapura: the ledger's tables and the projections, on SQLite (the embedded
//! default, a directory) or PostgreSQL (a `postgres://` URL), behind one connection seam so
//! that no business logic is written twice.
//!
//! What it is for: appending entries (group-committed), ingesting other sites' series,
//! verifying, replaying, exporting and importing. What it is not for: the entry format and
//! verification rules (`gapura-ledger`), the meaning of events (`gapura-domain`), HTTP.

mod content;
mod export;
mod feed;
mod group;
pub mod postgres;
pub mod project;
mod reader;
pub mod schema;
pub mod sql;
pub mod sqlite;
mod store;

use std::fmt;
use std::path::PathBuf;

pub use content::{CONTENT_BYTES_MAX, CONTENT_CHUNK_BYTES};
pub use export::{read_checkpoint_dir, verify_export, ExportReport, ImportOptions};
pub use group::{GroupCommitter, GroupHandle, GROUP_COMMIT_EVENTS_MAX};
pub use reader::{
    Account, AuditFilter, AuditRow, AuthorityRow, OfficerFilter, OfficerRow, Personal, ReadAudit, Reader,
    ServicePointFilter, ServicePointRow, TokenRow, TravelBanFilter, TravelBanRow, TravelBanStep,
    WatchlistImportRow, PAGE_ROWS_MAX,
};
pub use store::{
    Ack, IngestRefusal, IngestReport, ReplayReport, SeriesRow, Store, VerifyOptions,
    CHECKPOINT_INTERVAL_ENTRIES, CHECKPOINT_INTERVAL_MS, DB_FILE, KEY_FILE,
};

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A directory holding the SQLite database and the site's key.
    Sqlite(PathBuf),
    /// A PostgreSQL database.
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` names PostgreSQL; anything else is a directory.
    pub fn parse(s: &str) -> Location {
        if postgres::is_postgres_url(s) {
            Location::Postgres(s.to_owned())
        } else {
            Location::Sqlite(PathBuf::from(s))
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(d) => write!(f, "{}", d.display()),
            Location::Postgres(url) => {
                // Never print a password that the URL may carry.
                match (url.find("://"), url.rfind('@')) {
                    (Some(s), Some(at)) if at > s => {
                        let userinfo = &url[s + 3..at];
                        let user = userinfo.split(':').next().unwrap_or("");
                        write!(f, "{}{}@{}", &url[..s + 3], user, &url[at + 1..])
                    }
                    _ => f.write_str(url),
                }
            }
        }
    }
}

/// Everything that can go wrong in the store, each with what an operator needs to act.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("SQLite: {0}")]
    Sqlite(String),
    /// PostgreSQL reported an error.
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// The database is not configured so that an acknowledged commit survives a crash.
    #[error(
        "{setting} is {found:?}; Gapura requires {required} so that an acknowledged append survives a crash"
    )]
    Durability { setting: String, found: String, required: String },
    /// The location is malformed.
    #[error("store location {0}")]
    Location(String),
    /// No store exists at the location.
    #[error("no Gapura store at {0}; create one with `gapura init` or `gapura ledger import`")]
    NotFound(String),
    /// The store holds no content with this hash.
    #[error("the store holds no content with SHA-256 {0}")]
    ContentNotFound(gapura_ledger::Hash),
    /// A store already exists at the location.
    #[error("a Gapura store already exists at {0}")]
    AlreadyExists(String),
    /// The schema is not what this build expects.
    #[error("store schema: {0}")]
    Schema(String),
    /// A site key could not be used.
    #[error(transparent)]
    Key(#[from] gapura_ledger::KeyError),
    /// The store has no site of its own, or its key is not available: it can be read,
    /// verified and exported, not appended to.
    #[error("this store cannot append: {0}")]
    CannotAppend(String),
    /// An event was refused before anything was written.
    #[error("event refused: {0}")]
    Invalid(String),
    /// An ingested batch was refused whole; nothing of it was recorded.
    #[error("ingest refused: {0}")]
    Refused(IngestRefusal),
    /// A stored event could not be read.
    #[error("site {site}, sequence {site_seq}: {source}")]
    Event { site: String, site_seq: u64, source: gapura_domain::EventError },
    /// The ledger does not verify; nothing was changed.
    #[error("the ledger does not verify: {0}")]
    Corrupt(gapura_ledger::VerifyFailure),
    /// An export could not be read or written.
    #[error(transparent)]
    Export(#[from] gapura_ledger::segment::SegmentError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
}
