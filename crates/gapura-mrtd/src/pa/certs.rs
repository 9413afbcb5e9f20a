//! Certificate and CRL helpers shared by the verifier and the trust store: validity at a
//! given time, signature by an issuer's key, summaries for reports.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::Encode;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};
use x509_cert::time::Time;
use x509_cert::Certificate;

use super::algorithms::{signature_algorithm_name, verify_signature, SigFailure};
use super::report::{CertificateSummary, Check, Reason};

/// Seconds since the Unix epoch of `at` (times before 1970 count as 1970: no certificate
/// of an ePassport PKI predates it).
pub(crate) fn unix(at: SystemTime) -> Duration {
    at.duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// RFC 3339 (UTC) for reports.
pub(crate) fn rfc3339(d: Duration) -> String {
    match der::DateTime::from_unix_duration(d) {
        Ok(dt) => dt.to_string(),
        Err(_) => format!("@{}", d.as_secs()),
    }
}

pub(crate) fn time_string(t: &Time) -> String {
    rfc3339(t.to_unix_duration())
}

/// Whether `cert` is valid at `at` (both ends inclusive, as RFC 5280 §4.1.2.5 says).
pub(crate) fn validity_check(cert: &Certificate, at: SystemTime, what: &str) -> Check {
    let v = &cert.tbs_certificate.validity;
    let now = unix(at);
    let (nb, na) = (v.not_before.to_unix_duration(), v.not_after.to_unix_duration());
    if now < nb {
        Check::failed(
            Reason::NotYetValid { not_before: rfc3339(nb), at: rfc3339(now) },
            format!("{what} is not valid before {}", rfc3339(nb)),
        )
    } else if now > na {
        Check::failed(
            Reason::Expired { not_after: rfc3339(na), at: rfc3339(now) },
            format!("{what} expired at {}", rfc3339(na)),
        )
    } else {
        Check::passed(format!("{what} is valid from {} to {}", rfc3339(nb), rfc3339(na)))
    }
}

/// Verifies that `issuer`'s key signed `cert`.
pub(crate) fn verify_cert_signature(cert: &Certificate, issuer: &Certificate) -> Result<String, SigFailure> {
    let tbs = cert
        .tbs_certificate
        .to_der()
        .map_err(|e| SigFailure::Invalid(format!("re-encoding tbsCertificate: {e}")))?;
    let sig =
        cert.signature.as_bytes().ok_or_else(|| SigFailure::Invalid("signature has unused bits".into()))?;
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        &cert.signature_algorithm,
        None,
        &tbs,
        sig,
    )
}

/// Verifies that `issuer`'s key signed `crl`.
pub(crate) fn verify_crl_signature(
    crl: &CertificateList,
    issuer: &Certificate,
) -> Result<String, SigFailure> {
    let tbs = crl
        .tbs_cert_list
        .to_der()
        .map_err(|e| SigFailure::Invalid(format!("re-encoding tbsCertList: {e}")))?;
    let sig =
        crl.signature.as_bytes().ok_or_else(|| SigFailure::Invalid("signature has unused bits".into()))?;
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        &crl.signature_algorithm,
        None,
        &tbs,
        sig,
    )
}

fn extension<'a, T: der::Decode<'a> + const_oid::AssociatedOid>(cert: &'a Certificate) -> Option<T> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == T::OID)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

pub(crate) fn subject_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    extension::<SubjectKeyIdentifier>(cert).map(|s| s.0.as_bytes().to_vec())
}

pub(crate) fn authority_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    extension::<AuthorityKeyIdentifier>(cert).and_then(|a| a.key_identifier).map(|k| k.as_bytes().to_vec())
}

/// Finds, among `candidates` whose subject is `cert`'s issuer, the one whose key signed
/// `cert`. Candidates whose subject key identifier matches `cert`'s authority key identifier
/// are tried first (a CSCA may have several keys under one name after a key rollover).
pub(crate) fn find_issuer<'a>(
    cert: &Certificate,
    candidates: &'a [Certificate],
) -> Result<(&'a Certificate, String), Check> {
    let issuer = &cert.tbs_certificate.issuer;
    let mut named: Vec<&Certificate> =
        candidates.iter().filter(|c| c.tbs_certificate.subject == *issuer).collect();
    if named.is_empty() {
        return Err(Check::failed(
            Reason::UntrustedIssuer { issuer: issuer.to_string() },
            format!("no trusted CSCA has the subject {issuer}"),
        ));
    }
    let aki = authority_key_id(cert);
    named.sort_by_key(|c| aki.is_none() || subject_key_id(c) != aki);
    let mut failures = Vec::new();
    for c in &named {
        match verify_cert_signature(cert, c) {
            Ok(desc) => return Ok((c, desc)),
            Err(f) => failures.push(f),
        }
    }
    // A signature that is wrong under every candidate key fails; one that could not be
    // checked under any (unsupported curve or algorithm) is named as not checked.
    let invalid: Vec<String> = failures
        .iter()
        .filter_map(|f| match f {
            SigFailure::Invalid(d) => Some(d.clone()),
            SigFailure::Unsupported(_) => None,
        })
        .collect();
    if invalid.is_empty() {
        if let Some(SigFailure::Unsupported(r)) = failures.into_iter().next() {
            return Err(Check::not_checked(
                r,
                format!("the key of CSCA {issuer} uses an algorithm this build cannot verify"),
            ));
        }
    }
    Err(Check::failed(
        Reason::CertificateSignatureInvalid { issuer: issuer.to_string(), detail: invalid.join("; ") },
        format!(
            "{} CSCA certificate(s) named {issuer}, none of whose keys signed this certificate",
            named.len()
        ),
    ))
}

/// A summary of `cert` for reports.
pub(crate) fn summary(cert: &Certificate) -> CertificateSummary {
    let t = &cert.tbs_certificate;
    CertificateSummary {
        subject: t.subject.to_string(),
        issuer: t.issuer.to_string(),
        serial: hex::encode_upper(t.serial_number.as_bytes()),
        not_before: time_string(&t.validity.not_before),
        not_after: time_string(&t.validity.not_after),
        signature_algorithm: signature_algorithm_name(&cert.signature_algorithm),
    }
}
