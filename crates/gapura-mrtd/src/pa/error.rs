//! Errors at the boundaries of passive authentication: parsing chip files, loading a trust
//! store, issuing test documents. A failed *check* is not an error: it is a line of the
//! [`Report`](super::Report).

use thiserror::Error;

/// What was wrong with a chip file, naming the structure and the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{structure}: {field}: {reason}")]
pub struct ParseError {
    /// The structure being read, e.g. `EF.SOD`, `SignedData`, `LDSSecurityObject`, `DG1`.
    pub structure: &'static str,
    /// The field inside it, e.g. `eContent`, `dataGroupHashValues[2]`, `tag 5F1F`.
    pub field: String,
    /// What was expected or what the decoder said.
    pub reason: String,
}

impl ParseError {
    pub(crate) fn new(structure: &'static str, field: impl Into<String>, reason: impl Into<String>) -> Self {
        ParseError { structure, field: field.into(), reason: reason.into() }
    }
}

/// Why a certificate, master list or CRL could not be added to a trust store.
#[derive(Debug, Error)]
pub enum TrustError {
    /// A file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A certificate, CRL or master list did not decode.
    #[error("{what}: {reason}")]
    Malformed { what: String, reason: String },
    /// A file or collection is larger than the named limit allows.
    #[error("{what} exceeds {limit_name} ({limit})")]
    TooLarge { what: String, limit_name: &'static str, limit: usize },
    /// A master list's signature, or its signer's chain to a trusted CSCA, did not verify.
    #[error("master list {what}: {reason}")]
    MasterListRejected { what: String, reason: String },
}

/// Why a test PKI or a chip data set could not be issued.
#[derive(Debug, Error)]
pub enum IssueError {
    /// An input (MRZ lines, dates, image) is outside what the format allows.
    #[error("{0}")]
    Input(String),
    /// Encoding a structure failed (our own bug, or a value too large for the format).
    #[error("encoding {what}: {reason}")]
    Encoding { what: &'static str, reason: String },
    /// The signing library refused to sign.
    #[error("signing {what}: {reason}")]
    Signing { what: &'static str, reason: String },
}
