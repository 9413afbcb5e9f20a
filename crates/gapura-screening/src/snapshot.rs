//! Saving and loading a watchlist, so that a border post starts in seconds instead of
//! re-reading every bulk file: the listed people, the document set's arrays as they are in
//! memory, the store position the watchlist reflects and the identity of the entry there
//! (so a saved index is never used against another ledger), and a SHA-256 of it all.
//! The name index is rebuilt from the people as the file is read.

use std::io::{Read, Write};

use sha2::{Digest, Sha256};

use crate::documents::DocumentSet;
use crate::watchlist::{Person, Watchlist};

const MAGIC: &[u8] = b"GAPURA-SCREENING-INDEX\n";
const VERSION: u32 = 1;
/// The largest serialised person, in bytes.
pub const PERSON_BYTES_MAX: usize = 1 << 20;
/// The longest store identity recorded in a saved index, in bytes.
pub const IDENTITY_BYTES_MAX: usize = 1024;

/// Why a saved index cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("reading or writing the saved index: {0}")]
    Io(#[from] std::io::Error),
    /// Not a saved index, or one of another version.
    #[error("not a Gapura screening index of version {VERSION}")]
    Format,
    /// The file's checksum does not match its contents.
    #[error("the saved index is damaged: its SHA-256 does not match its contents")]
    Checksum,
    /// A part of the file is malformed.
    #[error("the saved index is malformed: {0}")]
    Malformed(String),
}

/// What a saved index says about where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    pub position: u64,
    /// What the caller recorded to recognise its ledger (e.g. the hash of the entry at
    /// `position`).
    pub identity: String,
}

struct Hashing<T> {
    inner: T,
    hash: Sha256,
}
impl<T: Write> Write for Hashing<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
impl<T: Read> Read for Hashing<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

impl Watchlist {
    /// Writes the watchlist with the identity of the ledger it reflects.
    pub fn save(&mut self, identity: &str, out: &mut dyn Write) -> Result<(), SnapshotError> {
        if identity.len() > IDENTITY_BYTES_MAX {
            return Err(SnapshotError::Malformed("the identity is too long".into()));
        }
        let mut w = Hashing { inner: out, hash: Sha256::new() };
        w.write_all(MAGIC)?;
        w.write_all(&VERSION.to_le_bytes())?;
        w.write_all(&self.position.to_le_bytes())?;
        w.write_all(&(identity.len() as u32).to_le_bytes())?;
        w.write_all(identity.as_bytes())?;
        let active: Vec<&Person> =
            self.persons.iter().zip(&self.active).filter(|(_, a)| **a).map(|(p, _)| p).collect();
        w.write_all(&(active.len() as u64).to_le_bytes())?;
        for p in active {
            let bytes = serde_json::to_vec(p).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
            w.write_all(&(bytes.len() as u32).to_le_bytes())?;
            w.write_all(&bytes)?;
        }
        self.documents.write_to(&mut w)?;
        let digest = w.hash.finalize();
        w.inner.write_all(&digest)?;
        w.inner.flush()?;
        Ok(())
    }

    /// Reads a saved watchlist, checking its checksum before returning it.
    pub fn load(input: &mut dyn Read) -> Result<(Watchlist, SnapshotInfo), SnapshotError> {
        let mut r = Hashing { inner: input, hash: Sha256::new() };
        let mut magic = vec![0u8; MAGIC.len()];
        r.read_exact(&mut magic).map_err(|_| SnapshotError::Format)?;
        let mut b4 = [0u8; 4];
        let mut b8 = [0u8; 8];
        r.read_exact(&mut b4).map_err(|_| SnapshotError::Format)?;
        if magic != MAGIC || u32::from_le_bytes(b4) != VERSION {
            return Err(SnapshotError::Format);
        }
        r.read_exact(&mut b8)?;
        let position = u64::from_le_bytes(b8);
        r.read_exact(&mut b4)?;
        let n = u32::from_le_bytes(b4) as usize;
        if n > IDENTITY_BYTES_MAX {
            return Err(SnapshotError::Malformed("identity too long".into()));
        }
        let mut identity = vec![0u8; n];
        r.read_exact(&mut identity)?;
        let identity = String::from_utf8(identity)
            .map_err(|_| SnapshotError::Malformed("identity is not UTF-8".into()))?;
        r.read_exact(&mut b8)?;
        let persons = u64::from_le_bytes(b8);
        let mut w = Watchlist::new();
        let mut buf = Vec::new();
        for i in 0..persons {
            r.read_exact(&mut b4)?;
            let len = u32::from_le_bytes(b4) as usize;
            if len > PERSON_BYTES_MAX {
                return Err(SnapshotError::Malformed(format!("person {i} is {len} bytes")));
            }
            buf.resize(len, 0);
            r.read_exact(&mut buf)?;
            let p: Person = serde_json::from_slice(&buf)
                .map_err(|e| SnapshotError::Malformed(format!("person {i}: {e}")))?;
            w.upsert(p);
        }
        w.documents = DocumentSet::read_from(&mut r)?;
        let computed = std::mem::take(&mut r.hash).finalize();
        let mut stored = [0u8; 32];
        r.inner.read_exact(&mut stored).map_err(|_| SnapshotError::Checksum)?;
        if computed.as_slice() != stored {
            return Err(SnapshotError::Checksum);
        }
        let mut extra = [0u8; 1];
        if r.inner.read(&mut extra)? != 0 {
            return Err(SnapshotError::Malformed("bytes after the checksum".into()));
        }
        w.position = position;
        w.seal();
        Ok((w, SnapshotInfo { position, identity }))
    }
}
