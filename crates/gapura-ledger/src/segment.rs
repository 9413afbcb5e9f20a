//! Sealed export segments and the export manifest.
//!
//! A segment file is `GPLSEG01`, the u64 store order of its first entry, then each entry as
//! a u32 length and its bytes, then the seal: `GPLSEND1`, the u64 entry count, and the SHA-256
//! of every byte before the seal. A segment whose seal does not match is refused whole.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Hash, PublicKey, SiteId, ENTRY_BYTES_MAX};

const SEGMENT_MAGIC: &[u8; 8] = b"GPLSEG01";
const SEAL_MAGIC: &[u8; 8] = b"GPLSEND1";
/// Entries per export segment file.
pub const SEGMENT_ENTRIES_MAX: u64 = 250_000;
/// The name of the manifest in an export directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The export format this build writes and reads.
pub const EXPORT_FORMAT: &str = "gapura-ledger-export-v1";

/// Why an export could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A segment file is damaged: the named check failed.
    #[error("segment {path}: {reason}")]
    Damaged { path: String, reason: String },
    /// The manifest is missing or not understood.
    #[error("manifest {path}: {reason}")]
    Manifest { path: String, reason: String },
}

/// One segment as listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentInfo {
    pub file: String,
    pub first_store_seq: u64,
    pub entries: u64,
    pub sha256: Hash,
}

/// One series as listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesInfo {
    pub site: SiteId,
    pub entries: u64,
    pub head: Hash,
    pub public_keys: Vec<PublicKey>,
}

/// `manifest.json` of an export directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub exported_at_ms: i64,
    pub exported_by: Option<SiteId>,
    pub entries: u64,
    pub segments: Vec<SegmentInfo>,
    pub series: Vec<SeriesInfo>,
    /// Content stored by hash, one file per item under `content/` (absent in older exports).
    #[serde(default)]
    pub content: Vec<crate::ContentRef>,
}

impl Manifest {
    pub fn read(dir: &Path) -> Result<Manifest, SegmentError> {
        let path = dir.join(MANIFEST_FILE);
        let p = path.display().to_string();
        let text =
            std::fs::read_to_string(&path).map_err(|source| SegmentError::Io { path: p.clone(), source })?;
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| SegmentError::Manifest { path: p.clone(), reason: e.to_string() })?;
        if let Some(bad) = m.segments.iter().find(|s| !segment_name_ok(&s.file)) {
            return Err(SegmentError::Manifest {
                path: p,
                reason: format!("segment file name {:?} is not of the form NNNNNNNN.seg", bad.file),
            });
        }
        if m.format != EXPORT_FORMAT {
            return Err(SegmentError::Manifest {
                path: p,
                reason: format!("format {:?} is not {EXPORT_FORMAT:?}", m.format),
            });
        }
        Ok(m)
    }
}

/// Segment files are named by eight digits and `.seg`: a manifest from an untrusted export can
/// never point outside its `segments/` directory.
fn segment_name_ok(name: &str) -> bool {
    name.len() == 12 && name.ends_with(".seg") && name[..8].bytes().all(|b| b.is_ascii_digit())
}

/// Writes one segment file, hashing as it goes.
pub struct SegmentWriter {
    path: PathBuf,
    out: BufWriter<std::fs::File>,
    hasher: Sha256,
    first_store_seq: u64,
    entries: u64,
}

impl SegmentWriter {
    pub fn create(path: &Path, first_store_seq: u64) -> Result<SegmentWriter, SegmentError> {
        let f = std::fs::File::create(path)
            .map_err(|source| SegmentError::Io { path: path.display().to_string(), source })?;
        let mut w = SegmentWriter {
            path: path.to_owned(),
            out: BufWriter::with_capacity(1 << 20, f),
            hasher: Sha256::new(),
            first_store_seq,
            entries: 0,
        };
        w.put(SEGMENT_MAGIC)?;
        w.put(&first_store_seq.to_be_bytes())?;
        Ok(w)
    }

    fn put(&mut self, b: &[u8]) -> Result<(), SegmentError> {
        self.hasher.update(b);
        self.out
            .write_all(b)
            .map_err(|source| SegmentError::Io { path: self.path.display().to_string(), source })
    }

    pub fn push(&mut self, entry: &[u8]) -> Result<(), SegmentError> {
        self.put(&(entry.len() as u32).to_be_bytes())?;
        self.put(entry)?;
        self.entries += 1;
        Ok(())
    }

    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Writes the seal, flushes and syncs the file.
    pub fn seal(mut self) -> Result<SegmentInfo, SegmentError> {
        let io = |path: &Path| {
            let p = path.display().to_string();
            move |source| SegmentError::Io { path: p, source }
        };
        let digest = Hash(self.hasher.clone().finalize().into());
        self.out.write_all(SEAL_MAGIC).map_err(io(&self.path))?;
        self.out.write_all(&self.entries.to_be_bytes()).map_err(io(&self.path))?;
        self.out.write_all(&digest.0).map_err(io(&self.path))?;
        let f = self.out.into_inner().map_err(|e| SegmentError::Io {
            path: self.path.display().to_string(),
            source: e.into_error(),
        })?;
        f.sync_all().map_err(io(&self.path))?;
        Ok(SegmentInfo {
            file: self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            first_store_seq: self.first_store_seq,
            entries: self.entries,
            sha256: digest,
        })
    }
}

/// Reads a whole segment file and checks its seal against itself and against the manifest.
/// Returns the entries' bytes in order.
pub fn read_segment(path: &Path, expected: &SegmentInfo) -> Result<Vec<Vec<u8>>, SegmentError> {
    let p = path.display().to_string();
    let damaged = |reason: String| SegmentError::Damaged { path: p.clone(), reason };
    let f = std::fs::File::open(path).map_err(|source| SegmentError::Io { path: p.clone(), source })?;
    let mut data = Vec::new();
    BufReader::new(f)
        .read_to_end(&mut data)
        .map_err(|source| SegmentError::Io { path: p.clone(), source })?;
    const SEAL_LEN: usize = 8 + 8 + 32;
    if data.len() < 16 + SEAL_LEN || &data[..8] != SEGMENT_MAGIC {
        return Err(damaged("it does not start with GPLSEG01 or is too short".into()));
    }
    let (content, seal) = data.split_at(data.len() - SEAL_LEN);
    if &seal[..8] != SEAL_MAGIC {
        return Err(damaged("its seal is missing (the file was cut short or appended to)".into()));
    }
    let digest = Hash(Sha256::digest(content).into());
    let sealed_digest = Hash::from_slice(&seal[16..]).unwrap_or_default();
    if digest != sealed_digest {
        return Err(damaged(format!("its content hashes to {digest} but its seal says {sealed_digest}")));
    }
    if digest != expected.sha256 {
        return Err(damaged(format!("its hash {digest} is not the manifest's {}", expected.sha256)));
    }
    let first = u64::from_be_bytes(content[8..16].try_into().unwrap_or_default());
    if first != expected.first_store_seq {
        return Err(damaged(format!(
            "it starts at store order {first}, the manifest says {}",
            expected.first_store_seq
        )));
    }
    let count = u64::from_be_bytes(seal[8..16].try_into().unwrap_or_default());
    let mut entries = Vec::with_capacity(count.min(SEGMENT_ENTRIES_MAX) as usize);
    let mut at = 16;
    while at < content.len() {
        let len_bytes: [u8; 4] = content
            .get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| damaged(format!("entry length cut at byte {at}")))?;
        let len = u32::from_be_bytes(len_bytes) as usize;
        if len > ENTRY_BYTES_MAX {
            return Err(damaged(format!(
                "entry at byte {at} claims {len} bytes, more than {ENTRY_BYTES_MAX}"
            )));
        }
        let body = content
            .get(at + 4..at + 4 + len)
            .ok_or_else(|| damaged(format!("entry at byte {at} is cut short")))?;
        entries.push(body.to_vec());
        at += 4 + len;
    }
    if entries.len() as u64 != count || count != expected.entries {
        return Err(damaged(format!(
            "it holds {} entries, its seal says {count}, the manifest says {}",
            entries.len(),
            expected.entries
        )));
    }
    Ok(entries)
}
