//! EF.SOD, the Document Security Object (Doc 9303 Part 10 §4.6.2): tag 77 around a CMS
//! ContentInfo whose SignedData encapsulates an LDSSecurityObject. Parsing only: checks are
//! made by [`super::verify`].

use std::collections::BTreeMap;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerInfo};
use der::asn1::OctetString;
use der::{Decode, Encode};
use x509_cert::Certificate;

use super::algorithms::{oids, DigestAlgorithm};
use super::error::ParseError;
use super::lds::LdsSecurityObject;
use super::{tlv, SOD_BYTES_MAX, SOD_CERTIFICATES_MAX};

/// A parsed EF.SOD.
#[derive(Debug, Clone)]
pub struct Sod {
    pub(crate) signed_data: SignedData,
    /// The eContent octets as signed (what the messageDigest attribute hashes).
    pub(crate) econtent: Vec<u8>,
    pub(crate) lds: LdsSecurityObject,
}

fn der_err<'a>(structure: &'static str, field: &'a str) -> impl Fn(der::Error) -> ParseError + 'a {
    move |e| ParseError::new(structure, field, e.to_string())
}

/// The parts of a SignedData that its signature does not cover, held to the one value
/// Doc 9303 and RFC 5652 allow, so that no byte of an SOD can change unnoticed: versions,
/// the digestAlgorithms set, and absent-or-NULL parameters of the digest algorithm.
pub(crate) fn check_shape(sd: &SignedData) -> Result<(), ParseError> {
    use cms::content_info::CmsVersion;
    use cms::signed_data::SignerIdentifier;
    if sd.version != CmsVersion::V3 {
        return Err(ParseError::new(
            "SignedData",
            "version",
            format!("{:?}; Doc 9303 requires v3", sd.version),
        ));
    }
    let [si] = sd.signer_infos.0.as_slice() else {
        return Err(ParseError::new(
            "SignedData",
            "signerInfos",
            format!("{} SignerInfos; Doc 9303 requires exactly one", sd.signer_infos.0.len()),
        ));
    };
    let expected = match si.sid {
        SignerIdentifier::IssuerAndSerialNumber(_) => CmsVersion::V1,
        SignerIdentifier::SubjectKeyIdentifier(_) => CmsVersion::V3,
    };
    if si.version != expected {
        return Err(ParseError::new(
            "SignerInfo",
            "version",
            format!("{:?} does not match the kind of sid (RFC 5652 §5.3 requires {expected:?})", si.version),
        ));
    }
    if !crate::pa::algorithms::null_or_absent(&si.digest_alg) {
        return Err(ParseError::new("SignerInfo", "digestAlgorithm.parameters", "must be absent or NULL"));
    }
    if !sd.digest_algorithms.iter().any(|a| a.oid == si.digest_alg.oid) {
        return Err(ParseError::new(
            "SignedData",
            "digestAlgorithms",
            format!("does not list the SignerInfo's digestAlgorithm {}", si.digest_alg.oid),
        ));
    }
    if let Some(bad) = sd.digest_algorithms.iter().find(|a| !crate::pa::algorithms::null_or_absent(a)) {
        return Err(ParseError::new(
            "SignedData",
            "digestAlgorithms",
            format!("parameters of {} must be absent or NULL", bad.oid),
        ));
    }
    Ok(())
}

impl Sod {
    /// Parses the bytes of EF.SOD as read from the chip (starting with tag 77).
    pub fn parse(bytes: &[u8]) -> Result<Sod, ParseError> {
        if bytes.len() > SOD_BYTES_MAX {
            return Err(ParseError::new(
                "EF.SOD",
                "length",
                format!("{} bytes exceeds SOD_BYTES_MAX ({SOD_BYTES_MAX})", bytes.len()),
            ));
        }
        let inner = tlv::read_only("EF.SOD", bytes, 0x77)?;
        let ci = ContentInfo::from_der(inner).map_err(der_err("ContentInfo", "(whole)"))?;
        if ci.content_type != oids::SIGNED_DATA {
            return Err(ParseError::new(
                "ContentInfo",
                "contentType",
                format!("{} is not id-signedData", ci.content_type),
            ));
        }
        let sd: SignedData = ci.content.decode_as().map_err(der_err("SignedData", "(whole)"))?;
        check_shape(&sd)?;
        if let Some(certs) = &sd.certificates {
            if certs.0.len() > SOD_CERTIFICATES_MAX {
                return Err(ParseError::new(
                    "SignedData",
                    "certificates",
                    format!("{} exceeds SOD_CERTIFICATES_MAX ({SOD_CERTIFICATES_MAX})", certs.0.len()),
                ));
            }
        }
        let econtent = sd
            .encap_content_info
            .econtent
            .as_ref()
            .ok_or_else(|| {
                ParseError::new(
                    "EncapsulatedContentInfo",
                    "eContent",
                    "absent (the SOD must carry the LDSSecurityObject)",
                )
            })?
            .decode_as::<OctetString>()
            .map_err(der_err("EncapsulatedContentInfo", "eContent"))?
            .into_bytes();
        let lds = LdsSecurityObject::from_der(&econtent).map_err(der_err("LDSSecurityObject", "(whole)"))?;
        if lds.version > 1 {
            return Err(ParseError::new(
                "LDSSecurityObject",
                "version",
                format!("{} is neither v0 nor v1", lds.version),
            ));
        }
        if lds.data_group_hash_values.len() > 16 {
            return Err(ParseError::new(
                "LDSSecurityObject",
                "dataGroupHashValues",
                "more than 16 data groups",
            ));
        }
        let mut seen = [false; 17];
        for (i, h) in lds.data_group_hash_values.iter().enumerate() {
            let n = usize::from(h.data_group_number);
            if !(1..=16).contains(&n) {
                return Err(ParseError::new(
                    "LDSSecurityObject",
                    format!("dataGroupHashValues[{i}].dataGroupNumber"),
                    format!("{n} is not 1..16"),
                ));
            }
            if std::mem::replace(&mut seen[n], true) {
                return Err(ParseError::new(
                    "LDSSecurityObject",
                    format!("dataGroupHashValues[{i}].dataGroupNumber"),
                    format!("DG{n} listed twice"),
                ));
            }
        }
        Ok(Sod { signed_data: sd, econtent, lds })
    }

    pub(crate) fn signer_info(&self) -> &SignerInfo {
        // Parse refused anything but exactly one SignerInfo.
        self.signed_data.signer_infos.0.get(0).expect("one SignerInfo, checked at parse")
    }

    /// The data-group hash algorithm, if it is one this verifier implements.
    pub fn hash_algorithm(&self) -> Option<DigestAlgorithm> {
        DigestAlgorithm::from_oid(&self.lds.hash_algorithm.oid)
    }

    /// The OID of the data-group hash algorithm, as written.
    pub fn hash_algorithm_oid(&self) -> String {
        self.lds.hash_algorithm.oid.to_string()
    }

    /// The hashes the SOD signs: data group number → hash.
    pub fn data_group_hashes(&self) -> BTreeMap<u8, Vec<u8>> {
        self.lds
            .data_group_hash_values
            .iter()
            .map(|h| (h.data_group_number, h.data_group_hash_value.as_bytes().to_vec()))
            .collect()
    }

    /// LDSSecurityObject version (0 or 1).
    pub fn version(&self) -> u8 {
        self.lds.version
    }

    /// `ldsVersion` from LDSVersionInfo (v1 only), e.g. "0108".
    pub fn lds_version(&self) -> Option<String> {
        self.lds.lds_version_info.as_ref().map(|v| v.lds_version.to_string())
    }

    /// The certificates carried in SignedData.certificates.
    pub(crate) fn certificates(&self) -> Vec<&Certificate> {
        match &self.signed_data.certificates {
            Some(set) => set
                .0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// The DER of every certificate carried in the SOD (usually just the Document Signer's).
    pub fn certificates_der(&self) -> Vec<Vec<u8>> {
        self.certificates().into_iter().filter_map(|c| c.to_der().ok()).collect()
    }
}
