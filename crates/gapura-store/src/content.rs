//! Content stored by hash: photos, bulk files. An event refers to content by its SHA-256 and
//! size (`gapura_ledger::ContentRef`); the bytes live here, in chunks, never in an entry.
//! Content is immutable and deduplicated: storing the same bytes twice stores them once.

use std::io::{Read, Write};
use std::path::Path;

use gapura_ledger::{ContentRef, Hash, VerifyFailure, VerifyProblem};
use sha2::{Digest, Sha256};

use crate::sql::{in_write_tx, Conn, Value};
use crate::{Store, StoreError};

/// Bytes per stored chunk.
pub const CONTENT_CHUNK_BYTES: usize = 1 << 20;
/// The largest content item, in bytes (a national stolen-document file fits many times).
pub const CONTENT_BYTES_MAX: u64 = 32 << 30;

fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn hash_stream(r: &mut dyn Read, what: &str) -> Result<ContentRef, StoreError> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; CONTENT_CHUNK_BYTES];
    let mut size = 0u64;
    loop {
        let n = read_full(r, &mut buf).map_err(|source| StoreError::Io { path: what.into(), source })?;
        if n == 0 {
            break;
        }
        size += n as u64;
        if size > CONTENT_BYTES_MAX {
            return Err(StoreError::Invalid(format!(
                "{what} is larger than the content limit of {CONTENT_BYTES_MAX} bytes"
            )));
        }
        h.update(&buf[..n]);
    }
    Ok(ContentRef { sha256: Hash(h.finalize().into()), size })
}

impl Store {
    /// Stores a file's bytes by their hash (streamed in chunks, in one transaction) and
    /// returns the reference an event should carry. A file that changes while it is read is
    /// refused.
    pub fn put_content_file(&mut self, path: &Path) -> Result<ContentRef, StoreError> {
        let open = || {
            std::fs::File::open(path)
                .map_err(|source| StoreError::Io { path: path.display().to_string(), source })
        };
        let what = path.display().to_string();
        let expected = hash_stream(&mut open()?, &what)?;
        self.put_content_checked(&mut open()?, expected, &what)
    }

    /// Stores bytes by their hash and returns the reference an event should carry.
    pub fn put_content(&mut self, bytes: &[u8]) -> Result<ContentRef, StoreError> {
        let expected = hash_stream(&mut &bytes[..], "content")?;
        self.put_content_checked(&mut &bytes[..], expected, "content")
    }

    fn put_content_checked(
        &mut self,
        r: &mut dyn Read,
        expected: ContentRef,
        what: &str,
    ) -> Result<ContentRef, StoreError> {
        if self.content_info(&expected.sha256)?.is_some() {
            return Ok(expected);
        }
        in_write_tx(self.conn.as_mut(), |c| {
            let mut h = Sha256::new();
            let mut buf = vec![0u8; CONTENT_CHUNK_BYTES];
            let (mut size, mut chunk_no) = (0u64, 0i64);
            let key = Value::Blob(expected.sha256.0.to_vec());
            loop {
                let n =
                    read_full(r, &mut buf).map_err(|source| StoreError::Io { path: what.into(), source })?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
                size += n as u64;
                c.execute(
                    "INSERT INTO content_chunks (sha256, chunk_no, bytes) VALUES ($1, $2, $3)",
                    &[key.clone(), chunk_no.into(), buf[..n].to_vec().into()],
                )?;
                chunk_no += 1;
            }
            if (Hash(h.finalize().into()), size) != (expected.sha256, expected.size) {
                return Err(StoreError::Invalid(format!(
                    "{what} changed while it was being stored; nothing was stored"
                )));
            }
            c.execute(
                "INSERT INTO content_blobs (sha256, size, chunks) VALUES ($1, $2, $3)",
                &[key, size.into(), chunk_no.into()],
            )?;
            Ok(expected)
        })
    }

    /// The size of stored content, or `None` if the store does not hold it.
    pub fn content_info(&mut self, sha256: &Hash) -> Result<Option<ContentRef>, StoreError> {
        content_info(self.conn.as_mut(), sha256)
    }

    /// Every content item the store holds.
    pub fn content_list(&mut self) -> Result<Vec<ContentRef>, StoreError> {
        let rows = self.conn.query("SELECT sha256, size FROM content_blobs ORDER BY sha256", &[])?;
        rows.iter()
            .map(|r| {
                let sha256 = Hash::from_slice(r[0].blob()?)
                    .ok_or_else(|| StoreError::Schema("content hash is not 32 bytes".into()))?;
                Ok(ContentRef { sha256, size: r[1].int()? as u64 })
            })
            .collect()
    }

    /// Writes stored content to `out`, checking its hash as it goes. On `Err` the bytes
    /// written so far must be discarded: they do not hash to what was asked for.
    pub fn read_content(&mut self, sha256: &Hash, out: &mut dyn Write) -> Result<u64, StoreError> {
        match self.check_content(sha256, Some(out))? {
            Ok(size) => Ok(size),
            Err(f) => Err(StoreError::Corrupt(f)),
        }
    }

    /// Re-hashes one content item; `Ok(Err(_))` says how it is damaged.
    pub(crate) fn check_content(
        &mut self,
        sha256: &Hash,
        out: Option<&mut dyn Write>,
    ) -> Result<Result<u64, VerifyFailure>, StoreError> {
        check_content(self.conn.as_mut(), sha256, out)
    }
}

/// Re-hashes one content item; `Ok(Err(_))` says how it is damaged.
pub(crate) fn check_content(
    conn: &mut dyn Conn,
    sha256: &Hash,
    mut out: Option<&mut dyn Write>,
) -> Result<Result<u64, VerifyFailure>, StoreError> {
    let fail = |detail: String| VerifyFailure {
        site: None,
        site_seq: None,
        store_seq: None,
        problem: VerifyProblem::Content { sha256: *sha256, detail },
    };
    let Some(info) = content_info(conn, sha256)? else {
        return Err(StoreError::ContentNotFound(*sha256));
    };
    let key = Value::Blob(sha256.0.to_vec());
    let chunks =
        conn.query("SELECT chunks FROM content_blobs WHERE sha256 = $1", std::slice::from_ref(&key))?;
    let chunks = chunks.first().map(|r| r[0].int()).transpose()?.unwrap_or(0);
    let mut h = Sha256::new();
    let mut size = 0u64;
    for chunk_no in 0..chunks {
        let rows = conn.query(
            "SELECT bytes FROM content_chunks WHERE sha256 = $1 AND chunk_no = $2",
            &[key.clone(), chunk_no.into()],
        )?;
        let Some(row) = rows.first() else {
            return Ok(Err(fail(format!("chunk {chunk_no} of {chunks} is missing"))));
        };
        let bytes = row[0].blob()?;
        h.update(bytes);
        size += bytes.len() as u64;
        if let Some(w) = out.as_mut() {
            w.write_all(bytes).map_err(|source| StoreError::Io { path: "output".into(), source })?;
        }
    }
    let extra = conn.query(
        "SELECT COUNT(*) FROM content_chunks WHERE sha256 = $1 AND chunk_no >= $2",
        &[key, chunks.into()],
    )?;
    if extra.first().map(|r| r[0].int()).transpose()?.unwrap_or(0) > 0 {
        return Ok(Err(fail("it has chunks beyond its recorded count".into())));
    }
    let got = Hash(h.finalize().into());
    if got != *sha256 || size != info.size {
        return Ok(Err(fail(format!("its {size} stored bytes hash to {got} (recorded size {})", info.size))));
    }
    Ok(Ok(size))
}

/// The size of stored content, or `None` if the store does not hold it.
pub(crate) fn content_info(conn: &mut dyn Conn, sha256: &Hash) -> Result<Option<ContentRef>, StoreError> {
    let rows = conn.query("SELECT size FROM content_blobs WHERE sha256 = $1", &[sha256.0.to_vec().into()])?;
    rows.first().map(|r| Ok(ContentRef { sha256: *sha256, size: r[0].int()? as u64 })).transpose()
}
