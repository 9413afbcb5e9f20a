//! The verification report: every check of passive authentication with its outcome and,
//! when it did not pass, a named reason. A caller (a gate, an officer's console, the CLI)
//! reads which check failed and why; nothing is ever summarised as just "invalid".

use serde::Serialize;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check was made and succeeded.
    Passed,
    /// The check was made and failed: the data is not authentic, or not trusted.
    Failed,
    /// The check could not be made (an earlier check failed, an input is missing, or the
    /// algorithm or curve is one this build cannot verify); the reason says which.
    NotChecked,
}

/// Why a check failed or was not made. Each variant's `code` (snake_case) is stable: callers
/// and the API may match on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// A structure did not decode.
    Malformed { structure: String, field: String, reason: String },
    /// A data group listed in the SOD, and mandatory (DG1, DG2), was not given.
    MissingDataGroup { number: u8 },
    /// An optional data group listed in the SOD was not given (for example DG3/DG4, which
    /// need Extended Access Control to read): its hash could not be compared.
    DataGroupNotRead { number: u8 },
    /// A data group was given that the SOD does not list: it is not signed.
    ExtraDataGroup { number: u8 },
    /// The data group's hash differs from the one the SOD signs.
    HashMismatch { number: u8, expected: String, actual: String },
    /// An algorithm this verifier does not implement.
    UnsupportedAlgorithm { oid: String, role: String },
    /// An elliptic curve this build cannot verify; the name says which.
    UnsupportedCurve { oid: String, name: String },
    /// A public key this verifier cannot use (for example explicit curve parameters).
    UnsupportedKey { detail: String },
    /// The SignerInfo has no signed attributes (Doc 9303 Part 10 requires them).
    SignedAttributesAbsent,
    /// A required signed attribute is absent or appears more than once.
    BadAttribute { attribute: String, detail: String },
    /// The content-type attribute (or eContentType) is not id-icao-ldsSecurityObject.
    ContentTypeMismatch { expected: String, actual: String },
    /// The messageDigest attribute is not the hash of the eContent.
    MessageDigestMismatch { expected: String, actual: String },
    /// No certificate in the SOD matches the SignerInfo's signer identifier.
    DocumentSignerNotFound { detail: String },
    /// A signature did not verify.
    SignatureInvalid { detail: String },
    /// A certificate is not yet valid at the verification time.
    NotYetValid { not_before: String, at: String },
    /// A certificate has expired at the verification time.
    Expired { not_after: String, at: String },
    /// No trusted CSCA has the Document Signer certificate's issuer as its subject.
    UntrustedIssuer { issuer: String },
    /// A CSCA with the right subject was found, but none of their keys signed the certificate.
    CertificateSignatureInvalid { issuer: String, detail: String },
    /// The Document Signer's serial number is on a CRL of its CSCA.
    Revoked { serial: String, revocation_date: String, crl_issuer: String },
    /// No CRL from the Document Signer's CSCA was given.
    NoCrl { issuer: String },
    /// A CRL for the CSCA did not verify with its key.
    CrlSignatureInvalid { issuer: String, detail: String },
    /// The check needs an earlier one that failed or was not made.
    Prerequisite { check: String },
}

/// One check: its outcome, its reason when it did not pass, and what was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// A sentence for people: what was checked, with what algorithm or against what.
    pub detail: String,
}

impl Check {
    pub(crate) fn passed(detail: impl Into<String>) -> Self {
        Check { outcome: Outcome::Passed, reason: None, detail: detail.into() }
    }
    pub(crate) fn failed(reason: Reason, detail: impl Into<String>) -> Self {
        Check { outcome: Outcome::Failed, reason: Some(reason), detail: detail.into() }
    }
    pub(crate) fn not_checked(reason: Reason, detail: impl Into<String>) -> Self {
        Check { outcome: Outcome::NotChecked, reason: Some(reason), detail: detail.into() }
    }
    pub(crate) fn prerequisite(check: &str) -> Self {
        Check::not_checked(
            Reason::Prerequisite { check: check.to_string() },
            format!("not checked: {check} did not pass"),
        )
    }
    pub fn is_passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }
}

/// The hash check of one data group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataGroupCheck {
    pub number: u8,
    #[serde(flatten)]
    pub check: Check,
}

/// The data-group hash checks: overall, and one line per data group in the SOD or given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataGroupHashes {
    #[serde(flatten)]
    pub check: Check,
    pub groups: Vec<DataGroupCheck>,
}

/// What a certificate is, for people reading the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub signature_algorithm: String,
}

/// What the SOD declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SodSummary {
    pub lds_security_object_version: u8,
    pub data_group_hash_algorithm: String,
    pub signer_digest_algorithm: String,
    pub signature_algorithm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lds_version: Option<String>,
    pub data_groups: Vec<u8>,
}

/// The result of passive authentication. `passed` is true only if every check passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The verification time the caller gave (RFC 3339, UTC).
    pub verified_at: String,
    pub passed: bool,
    pub sod_parsed: Check,
    pub data_group_hashes: DataGroupHashes,
    pub signed_attributes: Check,
    pub signature: Check,
    pub ds_certificate_validity: Check,
    pub chain_to_csca: Check,
    pub csca_validity: Check,
    pub revocation: Check,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sod: Option<SodSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_signer: Option<CertificateSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csca: Option<CertificateSummary>,
}

impl Report {
    /// The top-level checks by name, in the order they are made.
    pub fn checks(&self) -> [(&'static str, &Check); 8] {
        [
            ("sod_parsed", &self.sod_parsed),
            ("data_group_hashes", &self.data_group_hashes.check),
            ("signed_attributes", &self.signed_attributes),
            ("signature", &self.signature),
            ("ds_certificate_validity", &self.ds_certificate_validity),
            ("chain_to_csca", &self.chain_to_csca),
            ("csca_validity", &self.csca_validity),
            ("revocation", &self.revocation),
        ]
    }

    /// The names of the checks that did not pass.
    pub fn not_passed(&self) -> Vec<&'static str> {
        self.checks().iter().filter(|(_, c)| !c.is_passed()).map(|(n, _)| *n).collect()
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail: no maps with non-string keys, no
        // custom serialisers.
        serde_json::to_string_pretty(self).expect("report serialises")
    }
}
