//! Digest and signature algorithms of passive authentication, on the stable RustCrypto
//! generation (ADR 0010). Brainpool keys are handed, as bytes, to [`super::brainpool`].
//!
//! Every algorithm or curve not implemented here comes back as a named
//! [`Reason::UnsupportedAlgorithm`] or [`Reason::UnsupportedCurve`], so the report can say
//! exactly what it could not check.

use const_oid::ObjectIdentifier;
use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, Encode};
use rsa::pkcs1::RsaPssParams;
use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::Digest;
use signature::hazmat::PrehashVerifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::report::Reason;
use super::RSA_MODULUS_BITS_MAX;

pub(crate) mod oids {
    use const_oid::ObjectIdentifier as O;
    pub const SHA1: O = O::new_unwrap("1.3.14.3.2.26");
    pub const SHA224: O = O::new_unwrap("2.16.840.1.101.3.4.2.4");
    pub const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");

    pub const RSA_ENCRYPTION: O = O::new_unwrap("1.2.840.113549.1.1.1");
    pub const RSA_PSS: O = O::new_unwrap("1.2.840.113549.1.1.10");
    pub const MGF1: O = O::new_unwrap("1.2.840.113549.1.1.8");
    pub const SHA1_RSA: O = O::new_unwrap("1.2.840.113549.1.1.5");
    pub const SHA224_RSA: O = O::new_unwrap("1.2.840.113549.1.1.14");
    pub const SHA256_RSA: O = O::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_RSA: O = O::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_RSA: O = O::new_unwrap("1.2.840.113549.1.1.13");

    pub const EC_PUBLIC_KEY: O = O::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_SHA1: O = O::new_unwrap("1.2.840.10045.4.1");
    pub const ECDSA_SHA224: O = O::new_unwrap("1.2.840.10045.4.3.1");
    pub const ECDSA_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
    /// BSI TR-03111 ecdsa-plain-signatures: r‖s instead of a DER SEQUENCE (used by
    /// several European issuers).
    pub const ECDSA_PLAIN_PREFIX: &str = "0.4.0.127.0.7.1.1.4.1.";

    pub const P256: O = O::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: O = O::new_unwrap("1.3.132.0.34");
    pub const P521: O = O::new_unwrap("1.3.132.0.35");
    pub const P224: O = O::new_unwrap("1.3.132.0.33");
    pub const BRAINPOOL_P224R1: O = O::new_unwrap("1.3.36.3.3.2.8.1.1.5");
    pub const BRAINPOOL_P256R1: O = O::new_unwrap("1.3.36.3.3.2.8.1.1.7");
    pub const BRAINPOOL_P320R1: O = O::new_unwrap("1.3.36.3.3.2.8.1.1.9");
    pub const BRAINPOOL_P384R1: O = O::new_unwrap("1.3.36.3.3.2.8.1.1.11");
    pub const BRAINPOOL_P512R1: O = O::new_unwrap("1.3.36.3.3.2.8.1.1.13");

    pub const SIGNED_DATA: O = O::new_unwrap("1.2.840.113549.1.7.2");
    pub const CONTENT_TYPE: O = O::new_unwrap("1.2.840.113549.1.9.3");
    pub const MESSAGE_DIGEST: O = O::new_unwrap("1.2.840.113549.1.9.4");
    /// id-icao-mrtd-security-ldsSecurityObject.
    pub const LDS_SECURITY_OBJECT: O = O::new_unwrap("2.23.136.1.1.1");
    /// id-icao-cscaMasterList.
    pub const CSCA_MASTER_LIST: O = O::new_unwrap("2.23.136.1.1.2");
}

/// A hash algorithm of the SOD (data groups, signed attributes, signatures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            oids::SHA1 => DigestAlgorithm::Sha1,
            oids::SHA224 => DigestAlgorithm::Sha224,
            oids::SHA256 => DigestAlgorithm::Sha256,
            oids::SHA384 => DigestAlgorithm::Sha384,
            oids::SHA512 => DigestAlgorithm::Sha512,
            _ => return None,
        })
    }

    pub fn oid(self) -> ObjectIdentifier {
        match self {
            DigestAlgorithm::Sha1 => oids::SHA1,
            DigestAlgorithm::Sha224 => oids::SHA224,
            DigestAlgorithm::Sha256 => oids::SHA256,
            DigestAlgorithm::Sha384 => oids::SHA384,
            DigestAlgorithm::Sha512 => oids::SHA512,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "sha1",
            DigestAlgorithm::Sha224 => "sha224",
            DigestAlgorithm::Sha256 => "sha256",
            DigestAlgorithm::Sha384 => "sha384",
            DigestAlgorithm::Sha512 => "sha512",
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
            DigestAlgorithm::Sha224 => sha2::Sha224::digest(data).to_vec(),
            DigestAlgorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
            DigestAlgorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
            DigestAlgorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// The AlgorithmIdentifier as issuers write it (parameters absent).
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned { oid: self.oid(), parameters: None }
    }
}

/// Why a signature was not verified: it is wrong, or we cannot check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SigFailure {
    Invalid(String),
    Unsupported(Reason),
}

fn unsupported_alg(oid: &ObjectIdentifier, role: &str) -> SigFailure {
    SigFailure::Unsupported(Reason::UnsupportedAlgorithm { oid: oid.to_string(), role: role.into() })
}

/// The name of a curve OID, for reports.
pub(crate) fn curve_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    Some(match *oid {
        oids::P256 => "P-256",
        oids::P384 => "P-384",
        oids::P521 => "P-521",
        oids::P224 => "P-224",
        oids::BRAINPOOL_P224R1 => "brainpoolP224r1",
        oids::BRAINPOOL_P256R1 => "brainpoolP256r1",
        oids::BRAINPOOL_P320R1 => "brainpoolP320r1",
        oids::BRAINPOOL_P384R1 => "brainpoolP384r1",
        oids::BRAINPOOL_P512R1 => "brainpoolP512r1",
        _ => return None,
    })
}

/// A human name for a signature AlgorithmIdentifier.
pub(crate) fn signature_algorithm_name(alg: &AlgorithmIdentifierOwned) -> String {
    let name = match alg.oid {
        oids::RSA_ENCRYPTION => "rsaEncryption",
        oids::RSA_PSS => "RSASSA-PSS",
        oids::SHA1_RSA => "sha1WithRSAEncryption",
        oids::SHA224_RSA => "sha224WithRSAEncryption",
        oids::SHA256_RSA => "sha256WithRSAEncryption",
        oids::SHA384_RSA => "sha384WithRSAEncryption",
        oids::SHA512_RSA => "sha512WithRSAEncryption",
        oids::EC_PUBLIC_KEY => "id-ecPublicKey",
        oids::ECDSA_SHA1 => "ecdsa-with-SHA1",
        oids::ECDSA_SHA224 => "ecdsa-with-SHA224",
        oids::ECDSA_SHA256 => "ecdsa-with-SHA256",
        oids::ECDSA_SHA384 => "ecdsa-with-SHA384",
        oids::ECDSA_SHA512 => "ecdsa-with-SHA512",
        _ => return alg.oid.to_string(),
    };
    name.to_string()
}

enum Scheme {
    Pkcs1(DigestAlgorithm),
    Pss {
        hash: DigestAlgorithm,
        salt_len: usize,
    },
    /// `plain`: TR-03111 r‖s encoding rather than DER.
    Ecdsa {
        hash: DigestAlgorithm,
        plain: bool,
    },
}

/// Whether an AlgorithmIdentifier's parameters are absent or NULL, the only values a hash,
/// PKCS#1 v1.5 or ECDSA algorithm identifier may carry (RFC 5754, RFC 4055, RFC 5758).
pub(crate) fn null_or_absent(alg: &AlgorithmIdentifierOwned) -> bool {
    alg.parameters.as_ref().is_none_or(|p| p.is_null())
}

fn scheme(
    alg: &AlgorithmIdentifierOwned,
    digest_hint: Option<DigestAlgorithm>,
) -> Result<Scheme, SigFailure> {
    use DigestAlgorithm::*;
    // Parameters are not covered by the signature they describe: anything but the one
    // allowed value is refused, so that no byte of a signed object changes unnoticed.
    if alg.oid != oids::RSA_PSS && !null_or_absent(alg) {
        return Err(SigFailure::Invalid(format!(
            "parameters of {} must be absent or NULL",
            signature_algorithm_name(alg)
        )));
    }
    let hint =
        || digest_hint.ok_or_else(|| unsupported_alg(&alg.oid, "signature without a digest algorithm"));
    Ok(match alg.oid {
        oids::SHA1_RSA => Scheme::Pkcs1(Sha1),
        oids::SHA224_RSA => Scheme::Pkcs1(Sha224),
        oids::SHA256_RSA => Scheme::Pkcs1(Sha256),
        oids::SHA384_RSA => Scheme::Pkcs1(Sha384),
        oids::SHA512_RSA => Scheme::Pkcs1(Sha512),
        // CMS allows rsaEncryption as the signature algorithm, the hash then being the
        // SignerInfo's digestAlgorithm (RFC 5754 §3.2); some issuers write it.
        oids::RSA_ENCRYPTION => Scheme::Pkcs1(hint()?),
        oids::RSA_PSS => pss_scheme(alg)?,
        oids::ECDSA_SHA1 => Scheme::Ecdsa { hash: Sha1, plain: false },
        oids::ECDSA_SHA224 => Scheme::Ecdsa { hash: Sha224, plain: false },
        oids::ECDSA_SHA256 => Scheme::Ecdsa { hash: Sha256, plain: false },
        oids::ECDSA_SHA384 => Scheme::Ecdsa { hash: Sha384, plain: false },
        oids::ECDSA_SHA512 => Scheme::Ecdsa { hash: Sha512, plain: false },
        oids::EC_PUBLIC_KEY => Scheme::Ecdsa { hash: hint()?, plain: false },
        ref o => {
            let s = o.to_string();
            let hash = match s.strip_prefix(oids::ECDSA_PLAIN_PREFIX) {
                Some("1") => Sha1,
                Some("2") => Sha224,
                Some("3") => Sha256,
                Some("4") => Sha384,
                Some("5") => Sha512,
                _ => return Err(unsupported_alg(o, "signature")),
            };
            Scheme::Ecdsa { hash, plain: true }
        }
    })
}

fn pss_scheme(alg: &AlgorithmIdentifierOwned) -> Result<Scheme, SigFailure> {
    let params_der = match &alg.parameters {
        Some(p) => p.to_der().map_err(|e| SigFailure::Invalid(format!("RSASSA-PSS parameters: {e}")))?,
        // Absent parameters mean every default: SHA-1, MGF1 with SHA-1, 20-byte salt.
        None => return Ok(Scheme::Pss { hash: DigestAlgorithm::Sha1, salt_len: 20 }),
    };
    let params = RsaPssParams::from_der(&params_der)
        .map_err(|e| SigFailure::Invalid(format!("RSASSA-PSS parameters do not decode: {e}")))?;
    let hash = DigestAlgorithm::from_oid(&params.hash.oid)
        .ok_or_else(|| unsupported_alg(&params.hash.oid, "RSASSA-PSS hash"))?;
    if params.mask_gen.oid != oids::MGF1 {
        return Err(unsupported_alg(&params.mask_gen.oid, "RSASSA-PSS mask generation function"));
    }
    let mgf_hash = params.mask_gen.parameters.as_ref().map(|p| p.oid);
    if mgf_hash != Some(params.hash.oid) {
        // The rsa crate's PSS uses one hash for the message and MGF1; every issuer we know
        // does the same. A differing MGF1 hash is named rather than guessed at.
        return Err(SigFailure::Unsupported(Reason::UnsupportedAlgorithm {
            oid: mgf_hash.map(|o| o.to_string()).unwrap_or_default(),
            role: format!("RSASSA-PSS MGF1 hash differing from the message hash {}", hash.name()),
        }));
    }
    if params.trailer_field != rsa::pkcs1::TrailerField::BC {
        return Err(SigFailure::Invalid("RSASSA-PSS trailerField is not 1 (0xBC)".into()));
    }
    Ok(Scheme::Pss { hash, salt_len: usize::from(params.salt_len) })
}

/// The hash a signature algorithm identifier names, if it names one (rsaEncryption and
/// id-ecPublicKey do not).
pub(crate) fn named_digest(alg: &AlgorithmIdentifierOwned) -> Option<DigestAlgorithm> {
    match scheme(alg, None).ok()? {
        Scheme::Pkcs1(h) | Scheme::Pss { hash: h, .. } | Scheme::Ecdsa { hash: h, .. } => Some(h),
    }
}

/// The public key of a certificate, as the verifier can use it.
enum Key {
    Rsa(RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Brainpool(super::brainpool::Curve, Vec<u8>),
}

fn key(spki: &SubjectPublicKeyInfoOwned) -> Result<Key, SigFailure> {
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| SigFailure::Invalid("subjectPublicKey has unused bits".into()))?;
    match spki.algorithm.oid {
        oids::RSA_ENCRYPTION | oids::RSA_PSS => {
            let k = rsa::pkcs1::RsaPublicKey::from_der(bits)
                .map_err(|e| SigFailure::Invalid(format!("RSA public key does not decode: {e}")))?;
            let n = BigUint::from_bytes_be(k.modulus.as_bytes());
            let e = BigUint::from_bytes_be(k.public_exponent.as_bytes());
            RsaPublicKey::new_with_max_size(n, e, RSA_MODULUS_BITS_MAX)
                .map(Key::Rsa)
                .map_err(|e| SigFailure::Invalid(format!("RSA public key refused: {e}")))
        }
        oids::EC_PUBLIC_KEY => {
            let params = spki.algorithm.parameters.as_ref().ok_or_else(|| {
                SigFailure::Unsupported(Reason::UnsupportedKey {
                    detail: "EC key without curve parameters".into(),
                })
            })?;
            let curve: Oid = match params.decode_as::<Oid>() {
                Ok(c) => c,
                Err(_) => {
                    // Explicit ECParameters (a SEQUENCE of prime, coefficients, base point)
                    // are written by some issuers; matching them to a named curve is not done
                    // yet, and is named here so the report says so.
                    return Err(SigFailure::Unsupported(Reason::UnsupportedKey {
                        detail: "EC key with explicit domain parameters (not a named curve)".into(),
                    }));
                }
            };
            let bad = |e: String| SigFailure::Invalid(format!("EC public key does not decode: {e}"));
            match curve {
                oids::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(Key::P256)
                    .map_err(|e| bad(e.to_string())),
                oids::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(Key::P384)
                    .map_err(|e| bad(e.to_string())),
                oids::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(Key::P521)
                    .map_err(|e| bad(e.to_string())),
                ref c => match super::brainpool::Curve::from_oid(c) {
                    Some(bp) => Ok(Key::Brainpool(bp, bits.to_vec())),
                    None => Err(SigFailure::Unsupported(Reason::UnsupportedCurve {
                        oid: c.to_string(),
                        name: curve_name(c).unwrap_or("unknown").to_string(),
                    })),
                },
            }
        }
        ref o => Err(unsupported_alg(o, "public key")),
    }
}

/// Verifies `signature` over `message` with the key in `spki`, by the algorithm `alg`
/// (`digest_hint`: the SignerInfo's digestAlgorithm, for algorithm identifiers that name no
/// hash). On success, says what was verified (e.g. "ecdsa-with-SHA256 on P-256").
pub(crate) fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    alg: &AlgorithmIdentifierOwned,
    digest_hint: Option<DigestAlgorithm>,
    message: &[u8],
    signature: &[u8],
) -> Result<String, SigFailure> {
    let scheme = scheme(alg, digest_hint)?;
    let key = key(spki)?;
    let invalid = |what: &str, e: String| SigFailure::Invalid(format!("{what}: {e}"));
    match (scheme, key) {
        (Scheme::Pkcs1(h), Key::Rsa(k)) => {
            let hashed = h.digest(message);
            let padding = match h {
                DigestAlgorithm::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
                DigestAlgorithm::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
                DigestAlgorithm::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
                DigestAlgorithm::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
                DigestAlgorithm::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            k.verify(padding, &hashed, signature).map_err(|e| invalid("RSA PKCS#1 v1.5", e.to_string()))?;
            Ok(format!(
                "RSA PKCS#1 v1.5 with {} ({} bits)",
                h.name(),
                rsa::traits::PublicKeyParts::size(&k) * 8
            ))
        }
        (Scheme::Pss { hash, salt_len }, Key::Rsa(k)) => {
            let hashed = hash.digest(message);
            let padding = match hash {
                DigestAlgorithm::Sha1 => Pss::new_with_salt::<sha1::Sha1>(salt_len),
                DigestAlgorithm::Sha224 => Pss::new_with_salt::<sha2::Sha224>(salt_len),
                DigestAlgorithm::Sha256 => Pss::new_with_salt::<sha2::Sha256>(salt_len),
                DigestAlgorithm::Sha384 => Pss::new_with_salt::<sha2::Sha384>(salt_len),
                DigestAlgorithm::Sha512 => Pss::new_with_salt::<sha2::Sha512>(salt_len),
            };
            k.verify(padding, &hashed, signature).map_err(|e| invalid("RSASSA-PSS", e.to_string()))?;
            Ok(format!("RSASSA-PSS with {}, salt {} bytes", hash.name(), salt_len))
        }
        (Scheme::Ecdsa { hash, plain }, key) => {
            let prehash = hash.digest(message);
            let what = |curve: &str| {
                format!("ECDSA with {} on {curve}{}", hash.name(), if plain { " (plain r||s)" } else { "" })
            };
            macro_rules! ec {
                ($vk:expr, $sig:ty, $curve:expr) => {{
                    let sig = if plain { <$sig>::from_slice(signature) } else { <$sig>::from_der(signature) }
                        .map_err(|e| invalid("ECDSA signature encoding", e.to_string()))?;
                    $vk.verify_prehash(&prehash, &sig).map_err(|e| invalid("ECDSA", e.to_string()))?;
                    Ok(what($curve))
                }};
            }
            match key {
                Key::P256(vk) => ec!(vk, p256::ecdsa::Signature, "P-256"),
                Key::P384(vk) => ec!(vk, p384::ecdsa::Signature, "P-384"),
                Key::P521(vk) => ec!(vk, p521::ecdsa::Signature, "P-521"),
                Key::Brainpool(curve, point) => {
                    super::brainpool::verify_prehash(curve, &point, &prehash, signature, plain)
                        .map_err(|e| invalid("ECDSA", e))?;
                    Ok(what(curve.name()))
                }
                Key::Rsa(_) => {
                    Err(SigFailure::Invalid("an ECDSA signature algorithm with an RSA key".into()))
                }
            }
        }
        (_, _) => Err(SigFailure::Invalid("an RSA signature algorithm with an EC key".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::{Any, BitString};

    fn ec_spki(params: Any) -> SubjectPublicKeyInfoOwned {
        SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned { oid: oids::EC_PUBLIC_KEY, parameters: Some(params) },
            subject_public_key: BitString::from_bytes(&[0x04; 129]).unwrap(),
        }
    }

    fn ecdsa_sha256() -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned { oid: oids::ECDSA_SHA256, parameters: None }
    }

    /// A curve this build cannot verify is named, never reported as a bad signature.
    #[test]
    fn an_unimplemented_curve_is_named() {
        for (oid, name) in [
            (oids::BRAINPOOL_P512R1, "brainpoolP512r1"),
            (oids::BRAINPOOL_P224R1, "brainpoolP224r1"),
            (oids::P224, "P-224"),
        ] {
            let r = verify_signature(
                &ec_spki(Any::encode_from(&oid).unwrap()),
                &ecdsa_sha256(),
                None,
                b"m",
                &[0x30, 0x00],
            );
            assert_eq!(
                r,
                Err(SigFailure::Unsupported(Reason::UnsupportedCurve {
                    oid: oid.to_string(),
                    name: name.into()
                }))
            );
        }
    }

    /// Explicit domain parameters are named as such.
    #[test]
    fn explicit_curve_parameters_are_named() {
        let explicit = Any::new(der::Tag::Sequence, vec![0x02, 0x01, 0x01]).unwrap();
        let r = verify_signature(&ec_spki(explicit), &ecdsa_sha256(), None, b"m", &[0x30, 0x00]);
        assert!(matches!(r, Err(SigFailure::Unsupported(Reason::UnsupportedKey { .. }))), "{r:?}");
    }

    /// An unknown signature algorithm is named with its OID.
    #[test]
    fn an_unknown_signature_algorithm_is_named() {
        let alg = AlgorithmIdentifierOwned { oid: ObjectIdentifier::new_unwrap("1.2.3.4"), parameters: None };
        let r = verify_signature(&ec_spki(Any::encode_from(&oids::P256).unwrap()), &alg, None, b"m", &[]);
        assert_eq!(
            r,
            Err(SigFailure::Unsupported(Reason::UnsupportedAlgorithm {
                oid: "1.2.3.4".into(),
                role: "signature".into()
            }))
        );
    }
}
