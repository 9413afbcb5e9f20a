//! Keeping a watchlist current from the ledger: travel-ban orders as they are issued,
//! extended and revoked, and bulk Interpol files as they are imported (read back from the
//! store's content by hash). The caller supplies the entries and the content through
//! [`LedgerSource`]; the watchlist remembers the store position it reflects, so catching up
//! reads only what is new.

use std::io::Write;

use gapura_domain::{Decoded, Event, ImportMode, OrderIssued, WatchlistImport, WatchlistList};
use gapura_ledger::{Entry, Hash};

use crate::bulk::{BulkError, BulkReader, Record};
use crate::documents::{fingerprint, DocumentSet};
use crate::watchlist::{notice_key, order_key, Listing, Person, PersonDocument, Watchlist};

/// Entries read from the source per call while catching up.
pub const FEED_BATCH_ENTRIES: usize = 4096;

/// Where a watchlist reads the ledger from.
pub trait LedgerSource {
    /// Entries in store order after position `after` (at most `limit`), each with its store
    /// position.
    fn entries_after(&mut self, after: u64, limit: usize) -> Result<Vec<(u64, Vec<u8>)>, String>;
    /// Writes the content with this SHA-256 to `out`.
    fn content(&mut self, sha256: &Hash, out: &mut dyn Write) -> Result<u64, String>;
}

/// Why the watchlist could not be brought up to date. It stays at the last entry applied.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// Reading entries or content failed.
    #[error("reading the ledger: {0}")]
    Source(String),
    /// An entry or its event could not be decoded.
    #[error("entry at store position {position}: {reason}")]
    Entry { position: u64, reason: String },
    /// A bulk file recorded in the ledger cannot be read as its import said.
    #[error("import {import_id}: {reason}")]
    Import { import_id: String, reason: String },
}

/// What a catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CatchUp {
    pub entries_read: u64,
    pub events_applied: u64,
    pub position: u64,
}

/// The listed person an order's issue describes.
pub fn order_person(o: &OrderIssued) -> Person {
    Person {
        names: o.subject.names.clone(),
        sex: o.subject.sex,
        date_of_birth: o.subject.date_of_birth,
        nationality: o.subject.nationality.as_ref().map(|c| c.as_str().to_owned()),
        documents: o
            .subject
            .documents
            .iter()
            .map(|d| PersonDocument {
                issuing_state: d.issuing_state.as_str().to_owned(),
                number: d.number.clone(),
            })
            .collect(),
        listing: Listing::TravelBanOrder {
            order_id: o.order_id.as_str().to_owned(),
            kind: o.kind,
            start: o.start,
            last_day: o.last_day,
        },
    }
}

impl Watchlist {
    /// Reads every entry after the watchlist's position and applies the events that concern
    /// it.
    pub fn catch_up(&mut self, source: &mut dyn LedgerSource) -> Result<CatchUp, FeedError> {
        let mut done = CatchUp { position: self.position, ..CatchUp::default() };
        loop {
            let batch = source.entries_after(self.position, FEED_BATCH_ENTRIES).map_err(FeedError::Source)?;
            if batch.is_empty() {
                break;
            }
            for (position, bytes) in batch {
                let entry =
                    Entry::decode(bytes).map_err(|e| FeedError::Entry { position, reason: e.to_string() })?;
                let decoded = Event::decode(entry.event_type.as_str(), entry.schema_version, &entry.body)
                    .map_err(|e| FeedError::Entry { position, reason: e.to_string() })?;
                if let Decoded::Domain(event) = decoded {
                    if self.apply(&event, source)? {
                        done.events_applied += 1;
                    }
                }
                self.position = position;
                done.entries_read += 1;
            }
        }
        self.seal();
        done.position = self.position;
        Ok(done)
    }

    /// Applies one event; returns whether it concerned the watchlist.
    pub fn apply(&mut self, event: &Event, source: &mut dyn LedgerSource) -> Result<bool, FeedError> {
        match event {
            Event::TravelBanIssued(o) => self.upsert(order_person(o)),
            Event::TravelBanExtended(x) => {
                self.update_listing(&order_key(x.order_id.as_str()), |l| {
                    if let Listing::TravelBanOrder { last_day, .. } = l {
                        *last_day = Some(x.new_last_day);
                    }
                });
            }
            Event::TravelBanRevoked(r) => {
                self.remove(&order_key(r.order_id.as_str()));
            }
            Event::WatchlistImported(import) => self.import(import, source)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn import(&mut self, import: &WatchlistImport, source: &mut dyn LedgerSource) -> Result<(), FeedError> {
        let fail = |reason: String| FeedError::Import { import_id: import.import_id.clone(), reason };
        let mut docs: Vec<(u64, Option<crate::documents::DocumentListing>)> = Vec::new();
        let mut people: Vec<Record> = Vec::new();
        let list = import.list;
        let report = {
            let mut sink = |r: Record| match r {
                Record::Document { issuing_state, number, listing } => {
                    docs.push((fingerprint(&issuing_state, &number), listing))
                }
                other => people.push(other),
            };
            let mut reader = BulkReader::new(list, import.format, import.mode, &mut sink);
            source.content(&import.content.sha256, &mut reader).map_err(&fail)?;
            reader.finish().map_err(|e: BulkError| fail(e.to_string()))?
        };
        if report.accepted != import.accepted {
            return Err(fail(format!(
                "the file gives {} records where the import recorded {}: it was read by another version of the reader",
                report.accepted, import.accepted
            )));
        }
        match (list, import.mode) {
            (WatchlistList::StolenLostDocuments, ImportMode::Full) => {
                let pairs = docs.into_iter().filter_map(|(fp, l)| l.map(|l| (fp, l))).collect();
                self.set_documents(DocumentSet::build(pairs));
            }
            (WatchlistList::StolenLostDocuments, ImportMode::Delta) => self.apply_document_delta(docs),
            (WatchlistList::Notices, mode) => {
                if mode == ImportMode::Full {
                    self.clear_notices();
                }
                for r in people {
                    match r {
                        Record::Notice(p) => self.upsert(p),
                        Record::NoticeRemoved(id) => {
                            self.remove(&notice_key(&id));
                        }
                        Record::Document { .. } => {}
                    }
                }
            }
        }
        Ok(())
    }
}
