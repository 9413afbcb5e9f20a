//! Passive authentication: the checks of Doc 9303 Part 11 §5.1, each reported on its own.
//!
//! The verifier never returns an error: whatever it is given, it returns a [`Report`] that
//! says which checks passed, which failed and why, and which could not be made.

use std::collections::BTreeSet;
use std::time::SystemTime;

use cms::signed_data::{SignedData, SignerIdentifier};
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::Encode;
use x509_cert::Certificate;

use super::algorithms::{
    named_digest, oids, signature_algorithm_name, verify_signature, DigestAlgorithm, SigFailure,
};
use super::certs::{self, rfc3339, unix};
use super::lds::DataGroups;
use super::report::{Check, DataGroupCheck, DataGroupHashes, Outcome, Reason, Report, SodSummary};
use super::sod::Sod;
use super::trust::TrustStore;

/// Data groups every chip must carry and every reader can read after BAC/PACE (Doc 9303
/// Part 10 §4.7): missing one fails. The others (DG3 and DG4 need Extended Access
/// Control) are reported as not read.
const MANDATORY_DATA_GROUPS: [u8; 2] = [1, 2];

/// Verifies the chip's EF.SOD and data groups against the trust store at time `at`.
pub fn verify(sod_bytes: &[u8], data_groups: &DataGroups, trust: &TrustStore, at: SystemTime) -> Report {
    let verified_at = rfc3339(unix(at));
    let sod = match Sod::parse(sod_bytes) {
        Ok(s) => s,
        Err(e) => {
            let p = || Check::prerequisite("sod_parsed");
            return Report {
                verified_at,
                passed: false,
                sod_parsed: Check::failed(
                    Reason::Malformed {
                        structure: e.structure.to_string(),
                        field: e.field.clone(),
                        reason: e.reason.clone(),
                    },
                    e.to_string(),
                ),
                data_group_hashes: DataGroupHashes { check: p(), groups: Vec::new() },
                signed_attributes: p(),
                signature: p(),
                ds_certificate_validity: p(),
                chain_to_csca: p(),
                csca_validity: p(),
                revocation: p(),
                sod: None,
                document_signer: None,
                csca: None,
            };
        }
    };
    let si = sod.signer_info();
    let summary = SodSummary {
        lds_security_object_version: sod.version(),
        data_group_hash_algorithm: sod
            .hash_algorithm()
            .map(|h| h.name().to_string())
            .unwrap_or_else(|| sod.hash_algorithm_oid()),
        signer_digest_algorithm: DigestAlgorithm::from_oid(&si.digest_alg.oid)
            .map(|h| h.name().to_string())
            .unwrap_or_else(|| si.digest_alg.oid.to_string()),
        signature_algorithm: signature_algorithm_name(&si.signature_algorithm),
        lds_version: sod.lds_version(),
        data_groups: sod.data_group_hashes().keys().copied().collect(),
    };
    let data_group_hashes = check_data_groups(&sod, data_groups);
    let signer = check_signer(
        &sod.signed_data,
        &sod.certificates(),
        &sod.econtent,
        oids::LDS_SECURITY_OBJECT,
        "LDSSecurityObject",
    );

    let (ds_validity, chain, csca_validity, revocation, csca) = match signer.signer {
        None => {
            let p = || Check::prerequisite("signature");
            (p(), p(), p(), p(), None)
        }
        Some(ds) => {
            let ds_validity = certs::validity_check(ds, at, "the Document Signer certificate");
            match certs::find_issuer(ds, trust.cscas()) {
                Err(chain) => {
                    let p = || Check::prerequisite("chain_to_csca");
                    (ds_validity, chain, p(), p(), None)
                }
                Ok((csca, desc)) => {
                    let chain =
                        Check::passed(format!("signed by CSCA {} ({desc})", csca.tbs_certificate.subject));
                    let csca_validity = certs::validity_check(csca, at, "the CSCA certificate");
                    let revocation = trust.revocation_check(ds, csca, at);
                    (ds_validity, chain, csca_validity, revocation, Some(csca))
                }
            }
        }
    };
    let mut report = Report {
        verified_at,
        passed: false,
        sod_parsed: Check::passed(format!(
            "EF.SOD of {} bytes: LDSSecurityObject v{} over {} data groups",
            sod_bytes.len(),
            sod.version(),
            summary.data_groups.len()
        )),
        data_group_hashes,
        signed_attributes: signer.signed_attributes,
        signature: signer.signature,
        ds_certificate_validity: ds_validity,
        chain_to_csca: chain,
        csca_validity,
        revocation,
        sod: Some(summary),
        document_signer: signer.signer.map(certs::summary),
        csca: csca.map(certs::summary),
    };
    report.passed = report.checks().iter().all(|(_, c)| c.is_passed());
    report
}

fn check_data_groups(sod: &Sod, given: &DataGroups) -> DataGroupHashes {
    let signed = sod.data_group_hashes();
    let Some(alg) = sod.hash_algorithm() else {
        let reason =
            Reason::UnsupportedAlgorithm { oid: sod.hash_algorithm_oid(), role: "data group hash".into() };
        return DataGroupHashes {
            check: Check::not_checked(
                reason,
                format!("data-group hash algorithm {} is not implemented", sod.hash_algorithm_oid()),
            ),
            groups: Vec::new(),
        };
    };
    let numbers: BTreeSet<u8> = signed.keys().copied().chain(given.numbers()).collect();
    let mut groups = Vec::new();
    for n in numbers {
        let check = match (signed.get(&n), given.get(n)) {
            (Some(expected), Some(bytes)) => {
                let actual = alg.digest(bytes);
                if actual == *expected {
                    Check::passed(format!("{} of DG{n} matches", alg.name()))
                } else {
                    Check::failed(
                        Reason::HashMismatch {
                            number: n,
                            expected: hex::encode(expected),
                            actual: hex::encode(&actual),
                        },
                        format!("DG{n} differs from what the SOD signs"),
                    )
                }
            }
            (Some(_), None) if MANDATORY_DATA_GROUPS.contains(&n) => Check::failed(
                Reason::MissingDataGroup { number: n },
                format!("DG{n} is listed in the SOD and mandatory, but was not given"),
            ),
            (Some(_), None) => Check::not_checked(
                Reason::DataGroupNotRead { number: n },
                format!("DG{n} is listed in the SOD but was not read"),
            ),
            (None, _) => Check::failed(
                Reason::ExtraDataGroup { number: n },
                format!("DG{n} was given but the SOD does not sign it"),
            ),
        };
        groups.push(DataGroupCheck { number: n, check });
    }
    let failed: Vec<&DataGroupCheck> = groups.iter().filter(|g| g.check.outcome == Outcome::Failed).collect();
    let check = match failed.first() {
        Some(first) => Check {
            outcome: Outcome::Failed,
            reason: first.check.reason.clone(),
            detail: format!(
                "failed: {}",
                failed.iter().map(|g| format!("DG{}", g.number)).collect::<Vec<_>>().join(", ")
            ),
        },
        None => {
            let matched: Vec<String> =
                groups.iter().filter(|g| g.check.is_passed()).map(|g| format!("DG{}", g.number)).collect();
            let unread: Vec<String> =
                groups.iter().filter(|g| !g.check.is_passed()).map(|g| format!("DG{}", g.number)).collect();
            let mut d = format!("{} match the SOD ({})", matched.join(", "), alg.name());
            if !unread.is_empty() {
                d.push_str(&format!("; not read: {}", unread.join(", ")));
            }
            Check::passed(d)
        }
    };
    DataGroupHashes { check, groups }
}

/// The signed-attributes and signature checks of a SignedData, and the signer's certificate.
pub(crate) struct SignerChecks<'a> {
    pub signed_attributes: Check,
    pub signature: Check,
    /// The certificate matching the SignerInfo's identifier, if one was carried.
    pub signer: Option<&'a Certificate>,
}

/// Checks the one SignerInfo of `sd` (the caller has made sure there is exactly one):
/// the content-type and messageDigest attributes, and the signature over the DER of the
/// signed attributes by the key of the matching certificate among `certificates`.
pub(crate) fn check_signer<'a>(
    sd: &SignedData,
    certificates: &[&'a Certificate],
    econtent: &[u8],
    expected_type: ObjectIdentifier,
    type_name: &str,
) -> SignerChecks<'a> {
    let Some(si) = sd.signer_infos.0.get(0) else {
        let r = || Reason::Malformed {
            structure: "SignedData".into(),
            field: "signerInfos".into(),
            reason: "empty".into(),
        };
        return SignerChecks {
            signed_attributes: Check::failed(r(), "no SignerInfo"),
            signature: Check::failed(r(), "no SignerInfo"),
            signer: None,
        };
    };
    let digest = DigestAlgorithm::from_oid(&si.digest_alg.oid);
    let signer = certificates.iter().copied().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate.issuer == ias.issuer && c.tbs_certificate.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            certs::subject_key_id(c).as_deref() == Some(ski.0.as_bytes())
        }
    });

    let signed_attributes = check_signed_attributes(
        sd,
        si.signed_attrs.as_ref(),
        digest,
        &si.digest_alg.oid,
        econtent,
        expected_type,
        type_name,
    );
    let signature = match (&si.signed_attrs, signer) {
        (None, _) => Check::prerequisite("signed_attributes"),
        (_, None) => Check::failed(
            Reason::DocumentSignerNotFound {
                detail: format!(
                    "{} certificate(s) carried, none matches the SignerInfo's sid",
                    certificates.len()
                ),
            },
            "the signer's certificate is not in SignedData.certificates",
        ),
        (Some(_), Some(_))
            if named_digest(&si.signature_algorithm).zip(digest).is_some_and(|(s, d)| s != d) =>
        {
            Check::failed(
                Reason::SignatureInvalid {
                    detail: format!(
                        "signatureAlgorithm {} names another hash than digestAlgorithm {}",
                        signature_algorithm_name(&si.signature_algorithm),
                        digest.map_or("", |d| d.name())
                    ),
                },
                "the SignerInfo's signature and digest algorithms disagree (RFC 5652 §5.4)",
            )
        }
        (Some(attrs), Some(cert)) => match attrs.to_der() {
            // DER of the attributes as a SET OF (tag 31), as RFC 5652 §5.4 says is signed;
            // the attributes decoded as strict DER, so this re-encoding is the signed bytes.
            Err(e) => Check::failed(
                Reason::SignatureInvalid { detail: format!("re-encoding signed attributes: {e}") },
                "signed attributes do not encode",
            ),
            Ok(message) => match verify_signature(
                &cert.tbs_certificate.subject_public_key_info,
                &si.signature_algorithm,
                digest,
                &message,
                si.signature.as_bytes(),
            ) {
                Ok(desc) => {
                    Check::passed(format!("signature by {} verifies: {desc}", cert.tbs_certificate.subject))
                }
                Err(SigFailure::Invalid(detail)) => Check::failed(
                    Reason::SignatureInvalid { detail },
                    "the signature over the signed attributes does not verify",
                ),
                Err(SigFailure::Unsupported(r)) => {
                    Check::not_checked(r, "the signature uses an algorithm or curve this build cannot verify")
                }
            },
        },
    };
    SignerChecks { signed_attributes, signature, signer }
}

fn check_signed_attributes(
    sd: &SignedData,
    attrs: Option<&x509_cert::attr::Attributes>,
    digest: Option<DigestAlgorithm>,
    digest_oid: &ObjectIdentifier,
    econtent: &[u8],
    expected_type: ObjectIdentifier,
    type_name: &str,
) -> Check {
    let Some(attrs) = attrs else {
        return Check::failed(
            Reason::SignedAttributesAbsent,
            "the SignerInfo has no signed attributes (Doc 9303 requires them)",
        );
    };
    let econtent_type = sd.encap_content_info.econtent_type;
    if econtent_type != expected_type {
        return Check::failed(
            Reason::ContentTypeMismatch {
                expected: expected_type.to_string(),
                actual: econtent_type.to_string(),
            },
            format!("eContentType is not {type_name}"),
        );
    }
    let single = |oid: ObjectIdentifier, name: &str| -> Result<der::asn1::Any, Check> {
        let mut found = attrs.iter().filter(|a| a.oid == oid);
        let bad = |detail: &str| {
            Check::failed(
                Reason::BadAttribute { attribute: name.into(), detail: detail.into() },
                format!("signed attribute {name}: {detail}"),
            )
        };
        let a = found.next().ok_or_else(|| bad("absent"))?;
        if found.next().is_some() {
            return Err(bad("appears more than once"));
        }
        if a.values.len() != 1 {
            return Err(bad("must have exactly one value"));
        }
        a.values.get(0).cloned().ok_or_else(|| bad("no value"))
    };
    let ct = match single(oids::CONTENT_TYPE, "contentType") {
        Ok(v) => v,
        Err(c) => return c,
    };
    match ct.decode_as::<ObjectIdentifier>() {
        Ok(oid) if oid == econtent_type => {}
        Ok(oid) => {
            return Check::failed(
                Reason::ContentTypeMismatch { expected: econtent_type.to_string(), actual: oid.to_string() },
                "the contentType attribute differs from eContentType",
            )
        }
        Err(e) => {
            return Check::failed(
                Reason::BadAttribute { attribute: "contentType".into(), detail: e.to_string() },
                "contentType is not an OID",
            )
        }
    }
    let md = match single(oids::MESSAGE_DIGEST, "messageDigest") {
        Ok(v) => v,
        Err(c) => return c,
    };
    let md = match md.decode_as::<OctetString>() {
        Ok(o) => o,
        Err(e) => {
            return Check::failed(
                Reason::BadAttribute { attribute: "messageDigest".into(), detail: e.to_string() },
                "messageDigest is not an OCTET STRING",
            )
        }
    };
    let Some(digest) = digest else {
        return Check::not_checked(
            Reason::UnsupportedAlgorithm {
                oid: digest_oid.to_string(),
                role: "SignerInfo digestAlgorithm".into(),
            },
            "the SignerInfo's digest algorithm is not implemented",
        );
    };
    let actual = digest.digest(econtent);
    if actual != md.as_bytes() {
        return Check::failed(
            Reason::MessageDigestMismatch {
                expected: hex::encode(md.as_bytes()),
                actual: hex::encode(&actual),
            },
            format!("messageDigest is not the {} of the {type_name}", digest.name()),
        );
    }
    Check::passed(format!("contentType is {type_name}; messageDigest is its {}", digest.name()))
}
