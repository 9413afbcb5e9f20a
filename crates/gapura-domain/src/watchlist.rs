//! Bulk watchlist files (Interpol's stolen and lost travel documents, and notices) as they are
//! imported: the file itself is content stored by its SHA-256, and the import is recorded as
//! one event with its counts. Parsing the files and matching travellers against them is
//! `gapura-screening`'s business, not this crate's.

use gapura_ledger::ContentRef;
use serde::{Deserialize, Serialize};

use crate::officer::check_note;
use crate::reference::check_text;
use crate::ValueError;

/// The longest import id, in characters.
pub const IMPORT_ID_CHARS_MAX: usize = 64;

/// Which list a bulk file updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchlistList {
    /// Stolen and lost travel documents (Interpol SLTD).
    StolenLostDocuments,
    /// Notices about people (Interpol red, yellow, blue, … notices).
    Notices,
}

/// Whether a file replaces the list or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// The file is the whole list.
    Full,
    /// The file adds, changes and removes records of the list.
    Delta,
}

/// How a bulk file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkFormat {
    Csv,
    Jsonl,
}

impl WatchlistList {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchlistList::StolenLostDocuments => "stolen_lost_documents",
            WatchlistList::Notices => "notices",
        }
    }
}
impl ImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Full => "full",
            ImportMode::Delta => "delta",
        }
    }
}
impl BulkFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            BulkFormat::Csv => "csv",
            BulkFormat::Jsonl => "jsonl",
        }
    }
}

/// `watchlist.imported` v1: a bulk file was imported into a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchlistImport {
    /// 1 to 64 characters of A-Z, a-z, 0-9, `.`, `_` and `-`.
    pub import_id: String,
    pub list: WatchlistList,
    pub mode: ImportMode,
    pub format: BulkFormat,
    /// The file, stored by its SHA-256 in the store's content.
    pub content: ContentRef,
    /// The file's name as it was handed in.
    pub file_name: String,
    /// Where the file came from, e.g. `Interpol I-24/7`.
    pub source: String,
    /// Records taken into the list.
    pub accepted: u64,
    /// Records refused (malformed, duplicate).
    pub rejected: u64,
}

impl WatchlistImport {
    pub(crate) fn validate(&self) -> Result<(), ValueError> {
        let id_ok = (1..=IMPORT_ID_CHARS_MAX).contains(&self.import_id.len())
            && self.import_id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !id_ok {
            return Err(ValueError::ImportId(self.import_id.clone()));
        }
        check_note("file_name", &self.file_name, true)?;
        check_text("source", &self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::round_trips;
    use crate::Event;

    #[test]
    fn an_import_round_trips_and_its_id_is_checked() {
        let import = WatchlistImport {
            import_id: "sltd-2026-11-23.full".into(),
            list: WatchlistList::StolenLostDocuments,
            mode: ImportMode::Full,
            format: BulkFormat::Csv,
            content: ContentRef { sha256: gapura_ledger::Hash::of(b"file"), size: 4 },
            file_name: "sltd-full-20261123.csv".into(),
            source: "Interpol I-24/7".into(),
            accepted: 1_204_331,
            rejected: 12,
        };
        let e = Event::WatchlistImported(import.clone());
        e.validate().unwrap();
        assert!(round_trips(&e).unwrap());
        assert_eq!(e.name().name, "watchlist.imported");
        let body = String::from_utf8(e.encode()).unwrap();
        assert!(
            body.contains("\"list\":\"stolen_lost_documents\"") && body.contains("\"format\":\"csv\""),
            "{body}"
        );
        for bad in ["", "with space", "slash/no", &"x".repeat(65)] {
            let mut i = import.clone();
            i.import_id = bad.into();
            assert!(Event::WatchlistImported(i).validate().is_err(), "{bad:?}");
        }
        let mut i = import;
        i.file_name = "a\nb".into();
        assert!(Event::WatchlistImported(i).validate().is_err());
    }
}
