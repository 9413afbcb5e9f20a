//! Signed checkpoints: a site's statement "my series has `count` entries and its head is `head`".

use serde::{Deserialize, Serialize};

use crate::{Hash, PublicKey, SiteId, SiteKey};

const CHECKPOINT_DOMAIN: &[u8] = b"gapura-checkpoint-v1\0";

/// A signed statement of a series' length and head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub site: SiteId,
    /// Number of entries in the series, which is also the head's site sequence.
    pub count: u64,
    pub head: Hash,
    pub time_ms: i64,
    pub public_key: PublicKey,
    /// Ed25519 signature, hexadecimal.
    pub signature: String,
}

/// Why a checkpoint line could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// A line of a checkpoint file is not a checkpoint.
    #[error("{file}:{line}: not a checkpoint: {reason}")]
    Parse { file: String, line: usize, reason: String },
}

impl Checkpoint {
    /// The exact bytes that are signed.
    pub fn message(site: &SiteId, count: u64, head: &Hash, time_ms: i64) -> Vec<u8> {
        let mut m = Vec::with_capacity(CHECKPOINT_DOMAIN.len() + 80);
        m.extend_from_slice(CHECKPOINT_DOMAIN);
        m.push(site.as_str().len() as u8);
        m.extend_from_slice(site.as_str().as_bytes());
        m.extend_from_slice(&count.to_be_bytes());
        m.extend_from_slice(&head.0);
        m.extend_from_slice(&time_ms.to_be_bytes());
        m
    }

    pub fn sign(key: &SiteKey, site: &SiteId, count: u64, head: Hash, time_ms: i64) -> Checkpoint {
        let sig = key.sign(&Self::message(site, count, &head, time_ms));
        Checkpoint {
            site: site.clone(),
            count,
            head,
            time_ms,
            public_key: key.public(),
            signature: hex::encode(sig),
        }
    }

    /// True when the signature is valid for the stated public key.
    pub fn signature_valid(&self) -> bool {
        let Ok(sig) = hex::decode(&self.signature) else { return false };
        let msg = Self::message(&self.site, self.count, &self.head, self.time_ms);
        self.public_key.verifies(&msg, &sig)
    }

    /// Reads checkpoints written one JSON object per line.
    pub fn parse_lines(file: &str, text: &str) -> Result<Vec<Checkpoint>, CheckpointError> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let cp = serde_json::from_str(line).map_err(|e| CheckpointError::Parse {
                file: file.to_owned(),
                line: i + 1,
                reason: e.to_string(),
            })?;
            out.push(cp);
        }
        Ok(out)
    }
}
