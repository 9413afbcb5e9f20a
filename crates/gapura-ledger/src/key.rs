//! Site signing keys: Ed25519, kept in a file outside the database, never exported.

use std::fmt;
use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

const KEY_FILE_HEADER: &str = "gapura-site-key-v1";

/// Why a key could not be made, read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("key file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// The key file's contents are not a Gapura site key.
    #[error("key file {path} is not a Gapura site key: {reason}")]
    Format { path: String, reason: String },
    /// The key file can be read by users other than its owner.
    #[error("key file {path} has permissions {mode:o}; it must be readable by its owner only (chmod 600)")]
    Permissions { path: String, mode: u32 },
    /// The operating system gave no randomness.
    #[error("no randomness for a new key: {0}")]
    Random(String),
    /// A public key in text is not 64 hexadecimal digits of a valid Ed25519 point.
    #[error("public key {0:?} is not 64 hexadecimal digits of an Ed25519 key")]
    Public(String),
}

/// An Ed25519 public key, shown as 64 hexadecimal digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
    pub fn from_hex(s: &str) -> Result<PublicKey, KeyError> {
        let mut b = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut b).map_err(|_| KeyError::Public(s.to_owned()))?;
        VerifyingKey::from_bytes(&b).map_err(|_| KeyError::Public(s.to_owned()))?;
        Ok(PublicKey(b))
    }
    /// Checks an Ed25519 signature over `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(&self.0) else { return false };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else { return false };
        key.verify(message, &sig).is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}
impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}
impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PublicKey::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// A site's private signing key. It deliberately implements neither `Debug` output of the
/// secret nor `Serialize`: it leaves the process only through `write_file`.
pub struct SiteKey(SigningKey);

impl fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SiteKey(public {})", self.public())
    }
}

impl SiteKey {
    /// A new key from the operating system's randomness.
    pub fn generate() -> Result<SiteKey, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(SiteKey(SigningKey::from_bytes(&seed)))
    }
    /// A key from a fixed seed: for test vectors and deterministic drills only.
    pub fn from_seed(seed: [u8; 32]) -> SiteKey {
        SiteKey(SigningKey::from_bytes(&seed))
    }
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// Writes the key to a new file readable by its owner only. Refuses to overwrite.
    pub fn write_file(&self, path: &Path) -> Result<(), KeyError> {
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(path).map_err(io)?;
        let text = format!(
            "{KEY_FILE_HEADER}\nsecret {}\npublic {}\n",
            hex::encode(self.0.to_bytes()),
            self.public()
        );
        f.write_all(text.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
        Ok(())
    }

    /// Reads a key file, refusing one that others can read.
    pub fn read_file(path: &Path) -> Result<SiteKey, KeyError> {
        let p = path.display().to_string();
        let io = |source| KeyError::Io { path: p.clone(), source };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyError::Permissions { path: p.clone(), mode });
            }
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let bad = |reason: &str| KeyError::Format { path: p.clone(), reason: reason.into() };
        let mut lines = text.lines();
        if lines.next() != Some(KEY_FILE_HEADER) {
            return Err(bad("the first line must be 'gapura-site-key-v1'"));
        }
        let secret = lines
            .next()
            .and_then(|l| l.strip_prefix("secret "))
            .ok_or_else(|| bad("the second line must be 'secret <64 hex digits>'"))?;
        let mut seed = [0u8; 32];
        hex::decode_to_slice(secret.trim(), &mut seed)
            .map_err(|_| bad("the secret is not 64 hexadecimal digits"))?;
        let key = SiteKey(SigningKey::from_bytes(&seed));
        if let Some(public) = lines.next().and_then(|l| l.strip_prefix("public ")) {
            if public.trim() != key.public().to_hex() {
                return Err(bad("the public line does not belong to the secret"));
            }
        }
        Ok(key)
    }
}
