//! The issuing side: a test PKI (CSCA, Document Signers, master list signers, CRLs) and
//! personalisation of a chip data set (DG1 from MRZ lines, DG2 with a face image record,
//! EF.SOD signed by a Document Signer).
//!
//! Used by the passport service later and by tests now. It makes real signatures with
//! RustCrypto keys held in memory: it is not a production CA (no HSM, no key ceremony, no
//! audit trail), and its certificates carry only the extensions passive authentication
//! needs (basicConstraints, keyUsage, subject and authority key identifiers).

use std::str::FromStr;
use std::time::{Duration, SystemTime};

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, BitString, GeneralizedTime, ObjectIdentifier, OctetString, SetOfVec, UtcTime};
use der::{Decode, Encode};
use rand_core::{OsRng, RngCore};
use rsa::pkcs1::{EncodeRsaPublicKey, RsaPssParams};
use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey};
use signature::hazmat::PrehashSigner;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::attr::Attribute;
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use super::algorithms::{oids, DigestAlgorithm};
use super::brainpool::Curve as BrainpoolCurve;
use super::error::IssueError;
use super::lds::{CscaMasterList, DataGroupHash, DataGroups, LdsSecurityObject, SetOfOrUnsorted};
use super::tlv;

fn enc(what: &'static str) -> impl Fn(der::Error) -> IssueError {
    move |e| IssueError::Encoding { what, reason: e.to_string() }
}

fn sign_err(what: &'static str) -> impl Fn(String) -> IssueError {
    move |reason| IssueError::Signing { what, reason }
}

/// A private key of the test PKI with the signature scheme it signs with.
pub struct SigningKey(KeyInner);

enum KeyInner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Rsa { key: Box<RsaPrivateKey>, pss: bool },
    Brainpool(BrainpoolCurve, Vec<u8>),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "SigningKey({})", self.describe())
    }
}

impl SigningKey {
    /// ECDSA on P-256, signing with SHA-256.
    pub fn generate_p256() -> Self {
        SigningKey(KeyInner::P256(p256::ecdsa::SigningKey::random(&mut OsRng)))
    }

    /// ECDSA on P-384, signing with SHA-384.
    pub fn generate_p384() -> Self {
        SigningKey(KeyInner::P384(p384::ecdsa::SigningKey::random(&mut OsRng)))
    }

    /// RSA with a modulus of `bits`, signing PKCS#1 v1.5 (or PSS if `pss`) with SHA-256.
    /// Slow: seconds for 2048 bits in an unoptimised build.
    pub fn generate_rsa(bits: usize, pss: bool) -> Result<Self, IssueError> {
        let key = RsaPrivateKey::new(&mut OsRng, bits)
            .map_err(|e| IssueError::Signing { what: "RSA key generation", reason: e.to_string() })?;
        Ok(SigningKey(KeyInner::Rsa { key: Box::new(key), pss }))
    }

    /// The same RSA key, signing with the other padding (PKCS#1 v1.5 or PSS).
    pub fn rsa_with_padding(&self, pss: bool) -> Option<Self> {
        match &self.0 {
            KeyInner::Rsa { key, .. } => Some(SigningKey(KeyInner::Rsa { key: key.clone(), pss })),
            _ => None,
        }
    }

    /// ECDSA on brainpoolP256r1 (SHA-256) or brainpoolP384r1 (SHA-384).
    pub fn generate_brainpool(curve: BrainpoolCurve) -> Result<Self, IssueError> {
        // A random scalar is below the group order with overwhelming probability; retry the
        // rare one that is not.
        for _ in 0..8 {
            let mut secret = vec![0u8; curve.scalar_len()];
            OsRng.fill_bytes(&mut secret);
            if super::brainpool::public_point(curve, &secret).is_ok() {
                return Ok(SigningKey(KeyInner::Brainpool(curve, secret)));
            }
        }
        Err(IssueError::Signing {
            what: "Brainpool key generation",
            reason: "no valid scalar in 8 draws".into(),
        })
    }

    fn describe(&self) -> String {
        match &self.0 {
            KeyInner::P256(_) => "ECDSA P-256".into(),
            KeyInner::P384(_) => "ECDSA P-384".into(),
            KeyInner::Rsa { key, pss } => {
                format!(
                    "RSA-{} {}",
                    rsa::traits::PublicKeyParts::size(key.as_ref()) * 8,
                    if *pss { "PSS" } else { "PKCS#1 v1.5" }
                )
            }
            KeyInner::Brainpool(c, _) => format!("ECDSA {}", c.name()),
        }
    }

    /// The hash this key signs with.
    pub fn digest(&self) -> DigestAlgorithm {
        match &self.0 {
            KeyInner::P384(_) | KeyInner::Brainpool(BrainpoolCurve::P384r1, _) => DigestAlgorithm::Sha384,
            _ => DigestAlgorithm::Sha256,
        }
    }

    fn ec_spki(curve: ObjectIdentifier, point: &[u8]) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
        Ok(SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: oids::EC_PUBLIC_KEY,
                parameters: Some(Any::encode_from(&curve).map_err(enc("curve OID"))?),
            },
            subject_public_key: BitString::from_bytes(point).map_err(enc("EC point"))?,
        })
    }

    /// The SubjectPublicKeyInfo of the key.
    pub(crate) fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
        match &self.0 {
            KeyInner::P256(k) => {
                Self::ec_spki(oids::P256, k.verifying_key().to_encoded_point(false).as_bytes())
            }
            KeyInner::P384(k) => {
                Self::ec_spki(oids::P384, k.verifying_key().to_encoded_point(false).as_bytes())
            }
            KeyInner::Brainpool(c, s) => Self::ec_spki(
                c.oid(),
                &super::brainpool::public_point(*c, s).map_err(sign_err("Brainpool public key"))?,
            ),
            KeyInner::Rsa { key, .. } => {
                let pkcs1 = key
                    .to_public_key()
                    .to_pkcs1_der()
                    .map_err(|e| IssueError::Encoding { what: "RSA public key", reason: e.to_string() })?;
                Ok(SubjectPublicKeyInfoOwned {
                    algorithm: AlgorithmIdentifierOwned {
                        oid: oids::RSA_ENCRYPTION,
                        parameters: Some(Any::null()),
                    },
                    subject_public_key: BitString::from_bytes(pkcs1.as_bytes())
                        .map_err(enc("RSA public key"))?,
                })
            }
        }
    }

    /// The signature AlgorithmIdentifier this key writes.
    pub(crate) fn signature_algorithm(&self) -> Result<AlgorithmIdentifierOwned, IssueError> {
        let plain = |oid| Ok(AlgorithmIdentifierOwned { oid, parameters: None });
        match (&self.0, self.digest()) {
            (KeyInner::Rsa { pss: false, .. }, _) => {
                Ok(AlgorithmIdentifierOwned { oid: oids::SHA256_RSA, parameters: Some(Any::null()) })
            }
            (KeyInner::Rsa { pss: true, .. }, _) => {
                let params =
                    RsaPssParams::new::<sha2::Sha256>(32).to_der().map_err(enc("RSASSA-PSS parameters"))?;
                Ok(AlgorithmIdentifierOwned {
                    oid: oids::RSA_PSS,
                    parameters: Some(Any::from_der(&params).map_err(enc("RSASSA-PSS parameters"))?),
                })
            }
            (_, DigestAlgorithm::Sha384) => plain(oids::ECDSA_SHA384),
            _ => plain(oids::ECDSA_SHA256),
        }
    }

    /// Signs `message` (hashing it with [`Self::digest`]); ECDSA signatures are DER.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, IssueError> {
        let prehash = self.digest().digest(message);
        let err = sign_err("signature");
        match &self.0 {
            KeyInner::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign_prehash(&prehash).map_err(|e| err(e.to_string()))?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            KeyInner::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign_prehash(&prehash).map_err(|e| err(e.to_string()))?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            KeyInner::Brainpool(c, s) => super::brainpool::sign_prehash(*c, s, &prehash).map_err(err),
            KeyInner::Rsa { key, pss: false } => {
                key.sign(Pkcs1v15Sign::new::<sha2::Sha256>(), &prehash).map_err(|e| err(e.to_string()))
            }
            KeyInner::Rsa { key, pss: true } => key
                .sign_with_rng(&mut OsRng, Pss::new_with_salt::<sha2::Sha256>(32), &prehash)
                .map_err(|e| err(e.to_string())),
        }
    }
}

/// X.509 time: UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5).
fn x509_time(t: SystemTime) -> Result<Time, IssueError> {
    let d =
        t.duration_since(SystemTime::UNIX_EPOCH).map_err(|_| IssueError::Input("time before 1970".into()))?;
    // Certificates carry whole seconds.
    let d = Duration::from_secs(d.as_secs());
    if d.as_secs() < 2_524_608_000 {
        Ok(Time::UtcTime(UtcTime::from_unix_duration(d).map_err(enc("UTCTime"))?))
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_unix_duration(d).map_err(enc("GeneralizedTime"))?))
    }
}

fn extension<T: Encode + const_oid::AssociatedOid>(
    critical: bool,
    value: &T,
) -> Result<Extension, IssueError> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(enc("extension"))?).map_err(enc("extension"))?,
    })
}

fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Result<OctetString, IssueError> {
    // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subject public key bits.
    OctetString::new(DigestAlgorithm::Sha1.digest(spki.subject_public_key.raw_bytes()))
        .map_err(enc("key identifier"))
}

/// A certificate with its DER.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    pub(crate) certificate: Certificate,
    pub der: Vec<u8>,
}

impl IssuedCertificate {
    fn new(certificate: Certificate) -> Result<Self, IssueError> {
        let der = certificate.to_der().map_err(enc("certificate"))?;
        Ok(IssuedCertificate { certificate, der })
    }

    /// The serial number's bytes (big-endian, as encoded).
    pub fn serial(&self) -> Vec<u8> {
        self.certificate.tbs_certificate.serial_number.as_bytes().to_vec()
    }

    /// The certificate as PEM.
    pub fn pem(&self) -> String {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der).unwrap_or_default()
    }
}

/// What a certificate is for.
enum Role {
    Csca,
    Signer,
}

// The arguments are the fields of a certificate; a struct holding them would only rename them.
#[allow(clippy::too_many_arguments)]
fn issue_certificate(
    issuer_name: &Name,
    issuer_key: &SigningKey,
    issuer_spki: &SubjectPublicKeyInfoOwned,
    subject: Name,
    subject_spki: SubjectPublicKeyInfoOwned,
    serial: u64,
    not_before: SystemTime,
    not_after: SystemTime,
    role: Role,
) -> Result<IssuedCertificate, IssueError> {
    let mut extensions = vec![
        extension(false, &SubjectKeyIdentifier(key_id(&subject_spki)?))?,
        extension(
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(key_id(issuer_spki)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
    ];
    match role {
        Role::Csca => {
            extensions.push(extension(true, &BasicConstraints { ca: true, path_len_constraint: Some(0) })?);
            extensions.push(extension(true, &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign))?);
        }
        Role::Signer => extensions.push(extension(true, &KeyUsage(KeyUsages::DigitalSignature.into()))?),
    }
    // Serial numbers are positive INTEGERs: a leading zero byte keeps the top bit clear.
    let mut serial_bytes = vec![0u8];
    serial_bytes.extend_from_slice(&serial.to_be_bytes());
    while serial_bytes.len() > 1 && serial_bytes[0] == 0 && serial_bytes[1] & 0x80 == 0 {
        serial_bytes.remove(0);
    }
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial_bytes).map_err(enc("serial number"))?,
        signature: issuer_key.signature_algorithm()?,
        issuer: issuer_name.clone(),
        validity: Validity { not_before: x509_time(not_before)?, not_after: x509_time(not_after)? },
        subject,
        subject_public_key_info: subject_spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    let signature = issuer_key.sign(&tbs.to_der().map_err(enc("tbsCertificate"))?)?;
    IssuedCertificate::new(Certificate {
        signature_algorithm: tbs.signature.clone(),
        tbs_certificate: tbs,
        signature: BitString::from_bytes(&signature).map_err(enc("signature"))?,
    })
}

fn name(dn: &str) -> Result<Name, IssueError> {
    Name::from_str(dn).map_err(|e| IssueError::Input(format!("distinguished name {dn:?}: {e}")))
}

/// A Country Signing CA of the test PKI.
#[derive(Debug)]
pub struct Csca {
    key: SigningKey,
    pub certificate: IssuedCertificate,
}

/// A certificate holder that signs: a Document Signer, or a master list signer.
#[derive(Debug)]
pub struct Signer {
    key: SigningKey,
    pub certificate: IssuedCertificate,
}

impl Csca {
    /// A self-signed CSCA with distinguished name `dn` (RFC 4514, e.g.
    /// `CN=Gapura Test CSCA,O=Gapura,C=UT`).
    pub fn new(
        dn: &str,
        key: SigningKey,
        serial: u64,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Csca, IssueError> {
        let n = name(dn)?;
        let spki = key.spki()?;
        let certificate = issue_certificate(
            &n,
            &key,
            &spki,
            n.clone(),
            spki.clone(),
            serial,
            not_before,
            not_after,
            Role::Csca,
        )?;
        Ok(Csca { key, certificate })
    }

    /// Issues a Document Signer (or master list signer) certificate for `key`.
    pub fn issue_signer(
        &self,
        dn: &str,
        key: SigningKey,
        serial: u64,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Signer, IssueError> {
        let subject_spki = key.spki()?;
        let tbs = &self.certificate.certificate.tbs_certificate;
        let certificate = issue_certificate(
            &tbs.subject,
            &self.key,
            &tbs.subject_public_key_info,
            name(dn)?,
            subject_spki,
            serial,
            not_before,
            not_after,
            Role::Signer,
        )?;
        Ok(Signer { key, certificate })
    }

    /// A CRL (v2) listing `revoked` (serial bytes as [`IssuedCertificate::serial`] gives
    /// them, and revocation time), signed by this CSCA.
    pub fn crl(
        &self,
        revoked: &[(Vec<u8>, SystemTime)],
        this_update: SystemTime,
        next_update: SystemTime,
    ) -> Result<Vec<u8>, IssueError> {
        let entries = revoked
            .iter()
            .map(|(serial, at)| {
                Ok(RevokedCert {
                    serial_number: SerialNumber::new(serial).map_err(enc("serial number"))?,
                    revocation_date: x509_time(*at)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, IssueError>>()?;
        let tbs = TbsCertList {
            version: Version::V2,
            signature: self.key.signature_algorithm()?,
            issuer: self.certificate.certificate.tbs_certificate.subject.clone(),
            this_update: x509_time(this_update)?,
            next_update: Some(x509_time(next_update)?),
            revoked_certificates: if entries.is_empty() { None } else { Some(entries) },
            crl_extensions: None,
        };
        let signature = self.key.sign(&tbs.to_der().map_err(enc("tbsCertList"))?)?;
        CertificateList {
            signature_algorithm: tbs.signature.clone(),
            tbs_cert_list: tbs,
            signature: BitString::from_bytes(&signature).map_err(enc("CRL signature"))?,
        }
        .to_der()
        .map_err(enc("CRL"))
    }
}

impl Signer {
    /// A CMS SignedData (as a ContentInfo, DER) over `econtent` of type `econtent_type`,
    /// with the signed attributes Doc 9303 requires (contentType, messageDigest) and this
    /// signer's certificate. The SignerInfo's digestAlgorithm is the hash the key signs
    /// with, as RFC 5652 §5.4 and RFC 5753 require (OpenSSL hashes the signed attributes
    /// with it).
    fn signed_data(&self, econtent_type: ObjectIdentifier, econtent: Vec<u8>) -> Result<Vec<u8>, IssueError> {
        let digest = self.key.digest();
        let attr = |oid, value: Any| -> Result<Attribute, IssueError> {
            Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(enc("attribute"))? })
        };
        let md = OctetString::new(digest.digest(&econtent)).map_err(enc("messageDigest"))?;
        let attrs = SetOfVec::try_from(vec![
            attr(oids::CONTENT_TYPE, Any::encode_from(&econtent_type).map_err(enc("contentType"))?)?,
            attr(oids::MESSAGE_DIGEST, Any::encode_from(&md).map_err(enc("messageDigest"))?)?,
        ])
        .map_err(enc("signed attributes"))?;
        let signature = self.key.sign(&attrs.to_der().map_err(enc("signed attributes"))?)?;
        let cert = &self.certificate.certificate;
        let si = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: cert.tbs_certificate.issuer.clone(),
                serial_number: cert.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: digest.algorithm_identifier(),
            signed_attrs: Some(attrs),
            signature_algorithm: self.key.signature_algorithm()?,
            signature: OctetString::new(signature).map_err(enc("signature"))?,
            unsigned_attrs: None,
        };
        let sd = SignedData {
            version: CmsVersion::V3,
            digest_algorithms: SetOfVec::try_from(vec![digest.algorithm_identifier()])
                .map_err(enc("digestAlgorithms"))?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type,
                econtent: Some(
                    Any::encode_from(&OctetString::new(econtent).map_err(enc("eContent"))?)
                        .map_err(enc("eContent"))?,
                ),
            },
            certificates: Some(CertificateSet(
                SetOfVec::try_from(vec![CertificateChoices::Certificate(cert.clone())])
                    .map_err(enc("certificates"))?,
            )),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![si]).map_err(enc("signerInfos"))?),
        };
        ContentInfo {
            content_type: oids::SIGNED_DATA,
            content: Any::encode_from(&sd).map_err(enc("SignedData"))?,
        }
        .to_der()
        .map_err(enc("ContentInfo"))
    }

    /// EF.SOD over `data_groups`, their hashes made with `hash` (tag 77 around the CMS).
    pub fn sign_sod(&self, data_groups: &DataGroups, hash: DigestAlgorithm) -> Result<Vec<u8>, IssueError> {
        let hashes = data_groups
            .iter()
            .map(|(n, bytes)| {
                Ok(DataGroupHash {
                    data_group_number: n,
                    data_group_hash_value: OctetString::new(hash.digest(bytes)).map_err(enc("hash"))?,
                })
            })
            .collect::<Result<Vec<_>, IssueError>>()?;
        let lds = LdsSecurityObject {
            version: 0,
            hash_algorithm: hash.algorithm_identifier(),
            data_group_hash_values: hashes,
            lds_version_info: None,
        };
        let ci =
            self.signed_data(oids::LDS_SECURITY_OBJECT, lds.to_der().map_err(enc("LDSSecurityObject"))?)?;
        Ok(tlv::write(0x77, &ci))
    }

    /// An ICAO master list carrying `cscas` (DER certificates), signed by this signer.
    pub fn sign_master_list(&self, cscas: &[Vec<u8>]) -> Result<Vec<u8>, IssueError> {
        let certs = cscas
            .iter()
            .map(|d| {
                Certificate::from_der(d).map_err(|e| IssueError::Input(format!("CSCA certificate: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let list = CscaMasterList {
            version: 0,
            cert_list: SetOfOrUnsorted::sorted(certs).map_err(enc("certList"))?,
        };
        self.signed_data(oids::CSCA_MASTER_LIST, list.to_der().map_err(enc("CscaMasterList"))?)
    }
}

/// DG1 from MRZ lines (2×44 TD3, 2×36 TD2, or 3×30 TD1; A–Z, 0–9 and `<` only).
pub fn dg1_from_mrz(lines: &[&str]) -> Result<Vec<u8>, IssueError> {
    let width = lines.first().map_or(0, |l| l.len());
    let shape_ok =
        matches!((lines.len(), width), (2, 44) | (2, 36) | (3, 30)) && lines.iter().all(|l| l.len() == width);
    if !shape_ok {
        return Err(IssueError::Input(format!(
            "MRZ of {} line(s) of {width}: expected 2×44, 2×36 or 3×30",
            lines.len()
        )));
    }
    let mrz: String = lines.concat();
    if let Some(c) = mrz.chars().find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<')) {
        return Err(IssueError::Input(format!("MRZ character {c:?} is not A-Z, 0-9 or <")));
    }
    Ok(tlv::write(0x61, &tlv::write(0x5F1F, mrz.as_bytes())))
}

/// Largest face image placed in DG2 by [`dg2_from_face_image`], in bytes.
pub const FACE_IMAGE_BYTES_MAX: usize = 512 * 1024;

/// DG2 with one face: the Biometric Information Group Template of Doc 9303 Part 10 §4.7.2
/// around a minimal ISO/IEC 19794-5:2005-shaped facial record (record header, one facial
/// information block with no feature points, image information, then `jpeg` as image
/// data). It is shaped like the standard to exercise hashing and parsing; it is not a
/// conformance-tested biometric record.
pub fn dg2_from_face_image(jpeg: &[u8], width: u16, height: u16) -> Result<Vec<u8>, IssueError> {
    if jpeg.len() > FACE_IMAGE_BYTES_MAX {
        return Err(IssueError::Input(format!(
            "face image of {} bytes exceeds FACE_IMAGE_BYTES_MAX",
            jpeg.len()
        )));
    }
    let facial_len = 20 + 12 + jpeg.len();
    let record_len = 14 + facial_len;
    let mut record = Vec::with_capacity(record_len);
    record.extend_from_slice(b"FAC\0"); // format identifier
    record.extend_from_slice(b"010\0"); // version of the standard
    record.extend_from_slice(&(record_len as u32).to_be_bytes());
    record.extend_from_slice(&1u16.to_be_bytes()); // one facial image
                                                   // Facial information: block length, no feature points, gender/eyes/hair unspecified,
                                                   // no feature mask, neutral expression, pose angles and uncertainties unspecified.
    record.extend_from_slice(&(facial_len as u32).to_be_bytes());
    record.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    // Image information: full frontal, JPEG, width, height, sRGB, digital camera, no device, quality unspecified.
    record.push(1);
    record.push(0);
    record.extend_from_slice(&width.to_be_bytes());
    record.extend_from_slice(&height.to_be_bytes());
    record.extend_from_slice(&[1, 2, 0, 0, 0, 0]);
    record.extend_from_slice(jpeg);
    debug_assert_eq!(record.len(), record_len);

    let header = [
        tlv::write(0x80, &[0x01, 0x01]), // ICAO header version 1.1
        tlv::write(0x81, &[0x02]),       // biometric type: facial features
        tlv::write(0x87, &[0x01, 0x01]), // format owner: ISO/IEC JTC 1/SC 37
        tlv::write(0x88, &[0x00, 0x08]), // format type: face image (19794-5)
    ]
    .concat();
    let bit = [tlv::write(0xA1, &header), tlv::write(0x5F2E, &record)].concat();
    let group = [tlv::write(0x02, &[1]), tlv::write(0x7F60, &bit)].concat();
    Ok(tlv::write(0x75, &tlv::write(0x7F61, &group)))
}

/// A few bytes shaped like a JPEG (SOI, a comment naming it synthetic, EOI): a stand-in
/// face for tests and demonstrations. No real person's image is ever used.
pub fn synthetic_face_image() -> Vec<u8> {
    [&[0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x1C][..], b"Gapura synthetic test face", &[0xFF, 0xD9]].concat()
}

/// A personalised chip data set.
#[derive(Debug, Clone)]
pub struct ChipData {
    pub sod: Vec<u8>,
    pub data_groups: DataGroups,
}

/// Personalises a chip: DG1 from `mrz_lines`, DG2 from `face_jpeg`, and EF.SOD over them
/// signed by `document_signer` with data-group hashes made with `hash`.
pub fn personalise(
    document_signer: &Signer,
    mrz_lines: &[&str],
    face_jpeg: &[u8],
    hash: DigestAlgorithm,
) -> Result<ChipData, IssueError> {
    let mut data_groups = DataGroups::new();
    let insert = |dgs: &mut DataGroups, n, b| dgs.insert(n, b).map_err(|e| IssueError::Input(e.to_string()));
    insert(&mut data_groups, 1, dg1_from_mrz(mrz_lines)?)?;
    insert(&mut data_groups, 2, dg2_from_face_image(face_jpeg, 480, 640)?)?;
    let sod = document_signer.sign_sod(&data_groups, hash)?;
    Ok(ChipData { sod, data_groups })
}

impl ChipData {
    /// Writes `EF.SOD` and `DG<n>.bin` into `dir` (the layout `gapura document verify` reads).
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::write(dir.join("EF.SOD"), &self.sod)?;
        for (n, bytes) in self.data_groups.iter() {
            std::fs::write(dir.join(format!("DG{n}.bin")), bytes)?;
        }
        Ok(())
    }
}
