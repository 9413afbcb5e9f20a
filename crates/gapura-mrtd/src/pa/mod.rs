//! Passive authentication (Doc 9303 Parts 10, 11 and 12): parsing EF.SOD and data groups,
//! verifying them against a trust store of CSCAs and CRLs, and — for the passport service
//! and tests — issuing a test PKI and personalised chip data.
//!
//! What it is for: answering "were these data groups signed by a Document Signer of a
//! trusted CSCA, valid and unrevoked at this time?" with a [`Report`] naming each check.
//! What it is not for: reading a chip (BAC/PACE, secure messaging), active or chip
//! authentication, or deciding whether a traveller may cross.
//!
//! Cryptography is RustCrypto's stable generation; Brainpool curves are verified in the
//! isolated [`brainpool`] module on the new generation, exchanging bytes only (ADR 0010).
//!
//! ```text
//! let mut trust = TrustStore::new();
//! trust.load_dir(Path::new("trust"), at)?;
//! let report = verify(&sod_bytes, &data_groups, &trust, at);
//! println!("{}", report.to_json());
//! ```

mod algorithms;
pub mod brainpool;
mod certs;
mod error;
pub mod issue;
mod lds;
mod report;
mod sod;
mod tlv;
mod trust;
mod verify;

pub use algorithms::DigestAlgorithm;
pub use error::{IssueError, ParseError, TrustError};
pub use lds::{data_group_number_of_tag, data_group_tag, DataGroups, Dg1};
pub use report::{
    CertificateSummary, Check, DataGroupCheck, DataGroupHashes, Outcome, Reason, Report, SodSummary,
};
pub use sod::Sod;
pub use trust::{LoadSummary, TrustStore};
pub use verify::verify;

/// Largest EF.SOD accepted, in bytes. Real SODs are 1.5–8 KiB (a DS certificate and up to
/// 16 hashes); 64 KiB leaves room for a chain of certificates.
pub const SOD_BYTES_MAX: usize = 64 * 1024;
/// Largest data group accepted, in bytes. Face images (DG2) are 15–50 KiB, fingerprints
/// (DG3) up to a few hundred KiB.
pub const DATA_GROUP_BYTES_MAX: usize = 1024 * 1024;
/// Most certificates carried in an SOD's SignedData (ICAO: the DS certificate only).
pub const SOD_CERTIFICATES_MAX: usize = 8;
/// Largest certificate accepted, in bytes.
pub const CERTIFICATE_BYTES_MAX: usize = 16 * 1024;
/// Largest master list file accepted, in bytes (ICAO's is about 1–2 MiB).
pub const MASTER_LIST_BYTES_MAX: usize = 16 * 1024 * 1024;
/// Most CSCA certificates in one master list (ICAO's holds under a thousand).
pub const MASTER_LIST_CERTIFICATES_MAX: usize = 10_000;
/// Most CSCA certificates in a trust store.
pub const TRUST_STORE_CSCAS_MAX: usize = 50_000;
/// Largest CRL file accepted, in bytes.
pub const CRL_BYTES_MAX: usize = 8 * 1024 * 1024;
/// Most entries in one CRL.
pub const CRL_ENTRIES_MAX: usize = 200_000;
/// Most CRLs in a trust store.
pub const TRUST_STORE_CRLS_MAX: usize = 10_000;
/// Most files read from one trust or CRL directory.
pub const TRUST_DIR_FILES_MAX: usize = 10_000;
/// Largest RSA modulus accepted, in bits (the rsa crate's default stops at 4096; some CSCAs
/// use more).
pub const RSA_MODULUS_BITS_MAX: usize = 8192;

/// `YYYY-MM-DD` as the start of that day (00:00:00 UTC), for verification times.
pub fn parse_date(s: &str) -> Option<std::time::SystemTime> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u16>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let dt = der::DateTime::new(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?, 0, 0, 0).ok()?;
    Some(std::time::UNIX_EPOCH + dt.unix_duration())
}
