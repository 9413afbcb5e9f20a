//! Reading the ledger in store order and stored content through a `Reader`, for consumers
//! that follow the ledger beside the writer (the screening watchlist in the server).

use std::io::Write;

use gapura_ledger::Hash;

use crate::content::check_content;
use crate::sql::Conn;
use crate::{Reader, Store, StoreError};

impl Reader {
    /// Entries in store order after `after`, at most `limit`: (store order, bytes).
    pub fn entries_after(&mut self, after: u64, limit: i64) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        entries_after(self.conn.as_mut(), after, limit)
    }

    /// Writes stored content to `out`, checking its hash as it goes (see `Store::read_content`).
    pub fn read_content(&mut self, sha256: &Hash, out: &mut dyn Write) -> Result<u64, StoreError> {
        match check_content(self.conn.as_mut(), sha256, Some(out))? {
            Ok(size) => Ok(size),
            Err(f) => Err(StoreError::Corrupt(f)),
        }
    }

    /// The hash of the entry at a store position: what a saved index records to recognise
    /// the ledger it was built from.
    pub fn entry_hash_at(&mut self, position: u64) -> Result<Option<String>, StoreError> {
        entry_hash_at(self.conn.as_mut(), position)
    }
}

impl Store {
    /// The hash of the entry at a store position (see `Reader::entry_hash_at`).
    pub fn entry_hash_at(&mut self, position: u64) -> Result<Option<String>, StoreError> {
        entry_hash_at(self.conn.as_mut(), position)
    }
}

fn entry_hash_at(conn: &mut dyn Conn, position: u64) -> Result<Option<String>, StoreError> {
    let rows = conn.query("SELECT entry FROM ledger_entries WHERE store_seq = $1", &[position.into()])?;
    rows.first().map(|r| r[0].blob().map(|b| Hash::of(b).to_hex())).transpose()
}

/// Entries in store order after `after`, at most `limit`: (store order, bytes).
pub(crate) fn entries_after(
    conn: &mut dyn Conn,
    after: u64,
    limit: i64,
) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
    let rows = conn.query(
        "SELECT store_seq, entry FROM ledger_entries WHERE store_seq > $1 ORDER BY store_seq LIMIT $2",
        &[after.into(), limit.into()],
    )?;
    rows.into_iter().map(|r| Ok((r[0].int()? as u64, r[1].blob()?.to_vec()))).collect()
}
