//! ECDSA on brainpoolP256r1 and brainpoolP384r1, on the *new* RustCrypto generation
//! (bp256/bp384 0.14, ecdsa 0.17, der 0.8): the stable generation has no Brainpool
//! arithmetic (ADR 0010).
//!
//! Architecture Invariant: only bytes cross this module's boundary (SEC1 points, prehashes,
//! DER or r‖s signatures, secret scalars). No type of either generation is passed to the
//! other, so the two sets of crates never have to agree on a version.

use ecdsa17::signature::hazmat::{PrehashSigner, PrehashVerifier};

/// A Brainpool curve this module can verify on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256r1,
    P384r1,
}

impl Curve {
    /// The curve named by `oid`; `None` for every other curve (brainpoolP224r1, P320r1,
    /// P512r1 and the twisted curves are not implemented by the new generation either).
    pub fn from_oid(oid: &const_oid::ObjectIdentifier) -> Option<Curve> {
        match *oid {
            super::algorithms::oids::BRAINPOOL_P256R1 => Some(Curve::P256r1),
            super::algorithms::oids::BRAINPOOL_P384R1 => Some(Curve::P384r1),
            _ => None,
        }
    }

    pub fn oid(self) -> const_oid::ObjectIdentifier {
        match self {
            Curve::P256r1 => super::algorithms::oids::BRAINPOOL_P256R1,
            Curve::P384r1 => super::algorithms::oids::BRAINPOOL_P384R1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Curve::P256r1 => "brainpoolP256r1",
            Curve::P384r1 => "brainpoolP384r1",
        }
    }

    /// The length of a secret scalar in bytes.
    pub fn scalar_len(self) -> usize {
        match self {
            Curve::P256r1 => 32,
            Curve::P384r1 => 48,
        }
    }
}

/// Verifies an ECDSA signature over `prehash` with the SEC1-encoded `point`. `plain`: the
/// signature is r‖s (BSI TR-03111) rather than a DER Ecdsa-Sig-Value.
pub(crate) fn verify_prehash(
    curve: Curve,
    point: &[u8],
    prehash: &[u8],
    signature: &[u8],
    plain: bool,
) -> Result<(), String> {
    macro_rules! verify {
        ($c:ty) => {{
            let vk = ecdsa17::VerifyingKey::<$c>::from_sec1_bytes(point)
                .map_err(|e| format!("public key: {e}"))?;
            let sig = if plain {
                ecdsa17::Signature::<$c>::from_slice(signature)
            } else {
                ecdsa17::Signature::<$c>::from_der(signature)
            }
            .map_err(|e| format!("signature encoding: {e}"))?;
            vk.verify_prehash(prehash, &sig).map_err(|e| e.to_string())
        }};
    }
    match curve {
        Curve::P256r1 => verify!(bp256::BrainpoolP256r1),
        Curve::P384r1 => verify!(bp384::BrainpoolP384r1),
    }
}

/// The uncompressed SEC1 public point of a secret scalar (issuing side).
pub(crate) fn public_point(curve: Curve, secret: &[u8]) -> Result<Vec<u8>, String> {
    macro_rules! point {
        ($c:ty) => {{
            let sk = ecdsa17::SigningKey::<$c>::from_slice(secret).map_err(|e| e.to_string())?;
            Ok(sk.verifying_key().to_sec1_point(false).as_bytes().to_vec())
        }};
    }
    match curve {
        Curve::P256r1 => point!(bp256::BrainpoolP256r1),
        Curve::P384r1 => point!(bp384::BrainpoolP384r1),
    }
}

/// A DER ECDSA signature over `prehash` (deterministic, RFC 6979) by a secret scalar
/// (issuing side).
pub(crate) fn sign_prehash(curve: Curve, secret: &[u8], prehash: &[u8]) -> Result<Vec<u8>, String> {
    macro_rules! sign {
        ($c:ty) => {{
            let sk = ecdsa17::SigningKey::<$c>::from_slice(secret).map_err(|e| e.to_string())?;
            let sig: ecdsa17::Signature<$c> = sk.sign_prehash(prehash).map_err(|e| e.to_string())?;
            Ok(sig.to_der().as_bytes().to_vec())
        }};
    }
    match curve {
        Curve::P256r1 => sign!(bp256::BrainpoolP256r1),
        Curve::P384r1 => sign!(bp384::BrainpoolP384r1),
    }
}
