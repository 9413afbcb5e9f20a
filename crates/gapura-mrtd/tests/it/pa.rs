//! Passive authentication: personalised chip data verifies, and every kind of tampering
//! fails with its own reason. The test PKI is made once per test binary (RSA key generation
//! is the slow part) and every document holder is invented.

use std::sync::OnceLock;
use std::time::SystemTime;

use gapura_mrtd::pa::brainpool::Curve;
use gapura_mrtd::pa::issue::{personalise, synthetic_face_image, ChipData, Csca, Signer, SigningKey};
use gapura_mrtd::pa::{
    parse_date, verify, DataGroups, Dg1, DigestAlgorithm, Outcome, Reason, Report, Sod, TrustError,
    TrustStore,
};
use proptest::prelude::*;

/// An invented holder on a specimen-style TD3 of Utopia.
const MRZ: [&str; 2] =
    ["P<UTOSETIAWATI<<RANI<AYU<<<<<<<<<<<<<<<<<<<<", "X1234567<8UTO9203151F3406305<<<<<<<<<<<<<<06"];

fn day(s: &str) -> SystemTime {
    parse_date(s).expect("test date")
}

/// The verification time of most tests: inside every validity period below.
fn now() -> SystemTime {
    day("2026-06-01")
}

struct Pki {
    csca: Csca,
    ds_p256: Signer,
    ds_p384: Signer,
    csca_rsa: Csca,
    ds_rsa: Signer,
    ds_rsa_pss: Signer,
    csca_bp: Csca,
    ds_bp256: Signer,
    ds_bp384: Signer,
    /// A CSCA with its own name, and another that impersonates `csca`'s name with its own key.
    other_csca: Csca,
    ds_other: Signer,
    impostor_csca: Csca,
    ds_impostor: Signer,
    ml_signer: Signer,
}

const CSCA_DN: &str = "CN=Gapura Test CSCA,O=Gapura,C=UT";

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let (cb, ca) = (day("2024-01-01"), day("2039-01-01"));
        let (db, da) = (day("2025-01-01"), day("2036-01-01"));
        let csca = Csca::new(CSCA_DN, SigningKey::generate_p256(), 1, cb, ca).unwrap();
        let ds = |c: &Csca, k: SigningKey, serial| {
            c.issue_signer(&format!("CN=Gapura Test DS {serial},O=Gapura,C=UT"), k, serial, db, da).unwrap()
        };
        let ds_p256 = ds(&csca, SigningKey::generate_p256(), 10);
        let ds_p384 = ds(&csca, SigningKey::generate_p384(), 11);
        // 2048-bit keys, made once: the rsa crate is built optimised (workspace profile).
        let csca_rsa = Csca::new(
            "CN=Gapura Test CSCA RSA,O=Gapura,C=UT",
            SigningKey::generate_rsa(2048, false).unwrap(),
            2,
            cb,
            ca,
        )
        .unwrap();
        let rsa_ds_key = SigningKey::generate_rsa(2048, false).unwrap();
        let pss_key = rsa_ds_key.rsa_with_padding(true).unwrap();
        let ds_rsa = ds(&csca_rsa, rsa_ds_key, 20);
        let ds_rsa_pss = ds(&csca_rsa, pss_key, 21);
        let csca_bp = Csca::new(
            "CN=Gapura Test CSCA Brainpool,O=Gapura,C=UT",
            SigningKey::generate_brainpool(Curve::P384r1).unwrap(),
            3,
            cb,
            ca,
        )
        .unwrap();
        let ds_bp256 = ds(&csca_bp, SigningKey::generate_brainpool(Curve::P256r1).unwrap(), 30);
        let ds_bp384 = ds(&csca_bp, SigningKey::generate_brainpool(Curve::P384r1).unwrap(), 31);
        let other_csca =
            Csca::new("CN=Other CSCA,O=Elsewhere,C=XO", SigningKey::generate_p256(), 4, cb, ca).unwrap();
        let ds_other = ds(&other_csca, SigningKey::generate_p256(), 40);
        let impostor_csca = Csca::new(CSCA_DN, SigningKey::generate_p256(), 5, cb, ca).unwrap();
        let ds_impostor = ds(&impostor_csca, SigningKey::generate_p256(), 10);
        let ml_signer = csca
            .issue_signer(
                "CN=Gapura Test Master List Signer,O=Gapura,C=UT",
                SigningKey::generate_p256(),
                90,
                db,
                da,
            )
            .unwrap();
        Pki {
            csca,
            ds_p256,
            ds_p384,
            csca_rsa,
            ds_rsa,
            ds_rsa_pss,
            csca_bp,
            ds_bp256,
            ds_bp384,
            other_csca,
            ds_other,
            impostor_csca,
            ds_impostor,
            ml_signer,
        }
    })
}

fn chip(ds: &Signer, hash: DigestAlgorithm) -> ChipData {
    personalise(ds, &MRZ, &synthetic_face_image(), hash).unwrap()
}

fn trust_all() -> TrustStore {
    let p = pki();
    let mut t = TrustStore::new();
    for c in [&p.csca, &p.csca_rsa, &p.csca_bp] {
        t.add_csca(&c.certificate.der).unwrap();
    }
    // Empty CRLs: revocation is checked and nothing is revoked.
    for c in [&p.csca, &p.csca_rsa, &p.csca_bp] {
        t.add_crl(&c.crl(&[], day("2026-01-01"), day("2026-12-31")).unwrap()).unwrap();
    }
    t
}

/// Given chip data and a trust store, verifies at `at`.
fn check(chip: &ChipData, trust: &TrustStore, at: SystemTime) -> Report {
    verify(&chip.sod, &chip.data_groups, trust, at)
}

fn assert_only_failed(report: &Report, failing: &[&str]) {
    let mut not_passed = report.not_passed();
    not_passed.sort();
    let mut want = failing.to_vec();
    want.sort();
    assert_eq!(not_passed, want, "{}", report.to_json());
    assert!(!report.passed);
}

#[test]
fn personalised_chip_verifies_on_every_supported_algorithm() {
    let p = pki();
    let trust = trust_all();
    for (ds, hash, what) in [
        (&p.ds_p256, DigestAlgorithm::Sha256, "ECDSA with sha256 on P-256"),
        (&p.ds_p384, DigestAlgorithm::Sha384, "ECDSA with sha384 on P-384"),
        (&p.ds_rsa, DigestAlgorithm::Sha256, "RSA PKCS#1 v1.5 with sha256"),
        (&p.ds_rsa_pss, DigestAlgorithm::Sha512, "RSASSA-PSS with sha256, salt 32"),
        (&p.ds_bp256, DigestAlgorithm::Sha1, "ECDSA with sha256 on brainpoolP256r1"),
        (&p.ds_bp384, DigestAlgorithm::Sha224, "ECDSA with sha384 on brainpoolP384r1"),
    ] {
        let r = check(&chip(ds, hash), &trust, now());
        assert!(r.passed, "{what}: {}", r.to_json());
        assert!(r.signature.detail.contains(what), "{what}: {}", r.signature.detail);
        assert_eq!(r.sod.as_ref().unwrap().data_group_hash_algorithm, hash.name());
    }
}

#[test]
fn report_serialises_every_check_by_name() {
    let r = check(&chip(&pki().ds_p256, DigestAlgorithm::Sha256), &trust_all(), now());
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    for name in [
        "sod_parsed",
        "data_group_hashes",
        "signed_attributes",
        "signature",
        "ds_certificate_validity",
        "chain_to_csca",
        "csca_validity",
        "revocation",
    ] {
        assert_eq!(v[name]["outcome"], "passed", "{name}");
    }
    assert_eq!(v["data_group_hashes"]["groups"][0]["number"], 1);
    assert_eq!(v["verified_at"], "2026-06-01T00:00:00Z");
    assert_eq!(v["document_signer"]["serial"], "0A");
}

#[test]
fn a_changed_data_group_fails_the_hash_check_only() {
    let mut c = chip(&pki().ds_p256, DigestAlgorithm::Sha256);
    let dg1 = c.data_groups.get_mut(1).unwrap();
    let last = dg1.len() - 1;
    dg1[last] = b'7';
    let r = check(&c, &trust_all(), now());
    assert_only_failed(&r, &["data_group_hashes"]);
    assert!(matches!(r.data_group_hashes.check.reason, Some(Reason::HashMismatch { number: 1, .. })));
}

#[test]
fn a_missing_mandatory_or_an_unsigned_data_group_fails_with_its_own_reason() {
    let trust = trust_all();
    let mut c = chip(&pki().ds_p256, DigestAlgorithm::Sha256);
    c.data_groups.remove(2);
    let r = check(&c, &trust, now());
    assert_only_failed(&r, &["data_group_hashes"]);
    assert_eq!(r.data_group_hashes.check.reason, Some(Reason::MissingDataGroup { number: 2 }));

    let mut c = chip(&pki().ds_p256, DigestAlgorithm::Sha256);
    c.data_groups.insert(11, vec![0x6B, 0x00]).unwrap();
    let r = check(&c, &trust, now());
    assert_eq!(r.data_group_hashes.check.reason, Some(Reason::ExtraDataGroup { number: 11 }));
}

#[test]
fn an_optional_data_group_not_read_is_reported_not_checked_without_failing() {
    let p = pki();
    let mut dgs = chip(&p.ds_p256, DigestAlgorithm::Sha256).data_groups;
    dgs.insert(3, vec![0x63, 0x01, 0x00]).unwrap();
    let sod = p.ds_p256.sign_sod(&dgs, DigestAlgorithm::Sha256).unwrap();
    dgs.remove(3);
    let r = verify(&sod, &dgs, &trust_all(), now());
    assert!(r.passed, "{}", r.to_json());
    let dg3 = r.data_group_hashes.groups.iter().find(|g| g.number == 3).unwrap();
    assert_eq!(dg3.check.outcome, Outcome::NotChecked);
    assert_eq!(dg3.check.reason, Some(Reason::DataGroupNotRead { number: 3 }));
}

#[test]
fn a_changed_sod_signature_fails_the_signature_check() {
    let mut c = chip(&pki().ds_p256, DigestAlgorithm::Sha256);
    // The SignerInfo's signature is the SOD's last field (no unsigned attributes).
    *c.sod.last_mut().unwrap() ^= 0x01;
    let r = check(&c, &trust_all(), now());
    assert_only_failed(&r, &["signature"]);
    assert!(matches!(r.signature.reason, Some(Reason::SignatureInvalid { .. })));
}

#[test]
fn a_changed_signed_hash_fails_the_message_digest_and_the_data_group() {
    let c = chip(&pki().ds_p256, DigestAlgorithm::Sha256);
    let dg1_hash = DigestAlgorithm::Sha256.digest(c.data_groups.get(1).unwrap());
    let at = c.sod.windows(32).position(|w| w == dg1_hash.as_slice()).unwrap();
    let mut sod = c.sod.clone();
    sod[at] ^= 0x80;
    let r = verify(&sod, &c.data_groups, &trust_all(), now());
    assert_only_failed(&r, &["data_group_hashes", "signed_attributes"]);
    assert!(matches!(r.signed_attributes.reason, Some(Reason::MessageDigestMismatch { .. })));
}

#[test]
fn a_document_signer_of_an_untrusted_csca_fails_the_chain() {
    let r = check(&chip(&pki().ds_other, DigestAlgorithm::Sha256), &trust_all(), now());
    assert_only_failed(&r, &["chain_to_csca", "csca_validity", "revocation"]);
    assert_eq!(
        r.chain_to_csca.reason,
        Some(Reason::UntrustedIssuer { issuer: "CN=Other CSCA,O=Elsewhere,C=XO".into() })
    );
    assert_eq!(r.csca_validity.reason, Some(Reason::Prerequisite { check: "chain_to_csca".into() }));
    // Trusting that CSCA is what makes the chain.
    let mut trust = trust_all();
    trust.add_csca(&pki().other_csca.certificate.pem().into_bytes()).unwrap();
    assert!(check(&chip(&pki().ds_other, DigestAlgorithm::Sha256), &trust, now()).chain_to_csca.is_passed());
}

#[test]
fn a_document_signer_of_an_impostor_with_a_trusted_name_fails_the_certificate_signature() {
    let r = check(&chip(&pki().ds_impostor, DigestAlgorithm::Sha256), &trust_all(), now());
    assert_only_failed(&r, &["chain_to_csca", "csca_validity", "revocation"]);
    assert!(
        matches!(r.chain_to_csca.reason, Some(Reason::CertificateSignatureInvalid { .. })),
        "{}",
        r.to_json()
    );
}

#[test]
fn an_empty_trust_store_trusts_nothing() {
    let r = check(&chip(&pki().ds_p256, DigestAlgorithm::Sha256), &TrustStore::new(), now());
    assert_only_failed(&r, &["chain_to_csca", "csca_validity", "revocation"]);
    assert!(matches!(r.chain_to_csca.reason, Some(Reason::UntrustedIssuer { .. })));
}

#[test]
fn an_expired_or_not_yet_valid_document_signer_fails_its_validity() {
    let c = chip(&pki().ds_p256, DigestAlgorithm::Sha256);
    let trust = trust_all();
    let r = check(&c, &trust, day("2036-06-01"));
    // The CRL is past its nextUpdate then; it is still used and the detail says so.
    assert_only_failed(&r, &["ds_certificate_validity"]);
    assert!(matches!(r.ds_certificate_validity.reason, Some(Reason::Expired { .. })));
    assert!(r.revocation.detail.contains("past its nextUpdate"));

    let r = check(&c, &trust, day("2024-06-01"));
    assert_only_failed(&r, &["ds_certificate_validity"]);
    assert!(matches!(r.ds_certificate_validity.reason, Some(Reason::NotYetValid { .. })));

    let r = check(&c, &trust, day("2040-01-01"));
    assert_only_failed(&r, &["ds_certificate_validity", "csca_validity"]);
}

#[test]
fn a_revoked_document_signer_fails_revocation() {
    let p = pki();
    let mut trust = TrustStore::new();
    trust.add_csca(&p.csca.certificate.der).unwrap();
    let crl = p
        .csca
        .crl(&[(p.ds_p256.certificate.serial(), day("2026-03-01"))], day("2026-03-01"), day("2026-09-01"))
        .unwrap();
    trust.add_crl(&crl).unwrap();
    let r = check(&chip(&p.ds_p256, DigestAlgorithm::Sha256), &trust, now());
    assert_only_failed(&r, &["revocation"]);
    assert!(
        matches!(&r.revocation.reason, Some(Reason::Revoked { serial, .. }) if serial == "0A"),
        "{}",
        r.to_json()
    );
    // The same CRL does not touch another Document Signer of the CSCA.
    assert!(check(&chip(&p.ds_p384, DigestAlgorithm::Sha256), &trust, now()).passed);
}

#[test]
fn a_crl_not_signed_by_the_csca_fails_revocation_and_no_crl_is_not_checked() {
    let p = pki();
    let mut trust = TrustStore::new();
    trust.add_csca(&p.csca.certificate.der).unwrap();
    let r = check(&chip(&p.ds_p256, DigestAlgorithm::Sha256), &trust, now());
    assert_only_failed(&r, &["revocation"]);
    assert_eq!(r.revocation.outcome, Outcome::NotChecked);
    assert!(matches!(r.revocation.reason, Some(Reason::NoCrl { .. })));

    // The impostor has the trusted CSCA's name: its CRL is found, and refused.
    trust.add_crl(&p.impostor_csca.crl(&[], day("2026-01-01"), day("2026-12-31")).unwrap()).unwrap();
    let r = check(&chip(&p.ds_p256, DigestAlgorithm::Sha256), &trust, now());
    assert_only_failed(&r, &["revocation"]);
    assert!(matches!(r.revocation.reason, Some(Reason::CrlSignatureInvalid { .. })));
}

/// After a CSCA key rollover both certificates share the name: a CRL signed with the new
/// key is genuine for a Document Signer of the old key, and may still revoke it.
#[test]
fn a_crl_signed_after_a_csca_key_rollover_is_accepted() {
    let p = pki();
    let mut trust = TrustStore::new();
    trust.add_csca(&p.csca.certificate.der).unwrap();
    // Here the "impostor" plays the rolled-over CSCA: same name, new key, and trusted.
    trust.add_csca(&p.impostor_csca.certificate.der).unwrap();
    trust.add_crl(&p.impostor_csca.crl(&[], day("2026-01-01"), day("2026-12-31")).unwrap()).unwrap();
    let r = check(&chip(&p.ds_p256, DigestAlgorithm::Sha256), &trust, now());
    assert!(r.passed, "{}", r.to_json());
    trust
        .add_crl(
            &p.impostor_csca
                .crl(
                    &[(p.ds_p256.certificate.serial(), day("2026-02-01"))],
                    day("2026-02-01"),
                    day("2026-12-31"),
                )
                .unwrap(),
        )
        .unwrap();
    let r = check(&chip(&p.ds_p256, DigestAlgorithm::Sha256), &trust, now());
    assert!(matches!(r.revocation.reason, Some(Reason::Revoked { .. })), "{}", r.to_json());
}

#[test]
fn garbage_instead_of_an_sod_is_named_where_it_breaks() {
    let dgs = DataGroups::new();
    let trust = TrustStore::new();
    let r = verify(&[0x77, 0x03, 0x30, 0x01, 0x00], &dgs, &trust, now());
    assert_eq!(r.sod_parsed.outcome, Outcome::Failed);
    assert!(
        matches!(&r.sod_parsed.reason, Some(Reason::Malformed { structure, .. }) if structure == "ContentInfo"),
        "{}",
        r.to_json()
    );
    assert_eq!(r.signature.reason, Some(Reason::Prerequisite { check: "sod_parsed".into() }));

    let e = Sod::parse(&[0x30, 0x00]).unwrap_err();
    assert_eq!((e.structure, e.field.as_str()), ("EF.SOD", "tag"));
    let e = Sod::parse(&[0x77, 0x82, 0x10]).unwrap_err();
    assert_eq!(e.structure, "EF.SOD");
}

#[test]
fn sod_and_dg1_parse_to_what_was_personalised() {
    let c = chip(&pki().ds_p256, DigestAlgorithm::Sha384);
    let sod = Sod::parse(&c.sod).unwrap();
    assert_eq!(sod.hash_algorithm(), Some(DigestAlgorithm::Sha384));
    assert_eq!(sod.data_group_hashes().keys().copied().collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(sod.certificates_der(), vec![pki().ds_p256.certificate.der.clone()]);
    let dg1 = Dg1::parse(c.data_groups.get(1).unwrap()).unwrap();
    assert_eq!(dg1.lines(), MRZ.to_vec());
    assert_eq!(c.data_groups.get(2).unwrap()[0], 0x75);
}

fn master_list_trust(ml: &[u8]) -> Result<(TrustStore, usize), TrustError> {
    let mut t = TrustStore::new();
    t.add_csca(&pki().csca.certificate.der).unwrap();
    let n = t.add_master_list(ml, now())?;
    Ok((t, n))
}

#[test]
fn a_master_list_round_trip_trusts_its_cscas() {
    let p = pki();
    let ml = p
        .ml_signer
        .sign_master_list(&[
            p.csca_rsa.certificate.der.clone(),
            p.csca_bp.certificate.der.clone(),
            p.csca.certificate.der.clone(),
        ])
        .unwrap();
    let (trust, added) = master_list_trust(&ml).unwrap();
    assert_eq!((added, trust.csca_count()), (2, 3));
    let r = check(&chip(&p.ds_rsa, DigestAlgorithm::Sha256), &trust, now());
    assert_only_failed(&r, &["revocation"]); // no CRL loaded
    assert!(r.chain_to_csca.is_passed());

    // Without its signer's CSCA already trusted, a master list vouches for nothing.
    let e = TrustStore::new().add_master_list(&ml, now()).unwrap_err();
    assert!(matches!(e, TrustError::MasterListRejected { .. }), "{e}");
    // A changed byte in the list is refused.
    let mut bad = ml.clone();
    let i = bad.len() / 2;
    bad[i] ^= 0x01;
    assert!(master_list_trust(&bad).is_err());
    // A master list signed by a signer from an untrusted CSCA is refused.
    let ml_other = p.ds_other.sign_master_list(std::slice::from_ref(&p.csca_rsa.certificate.der)).unwrap();
    assert!(matches!(master_list_trust(&ml_other).unwrap_err(), TrustError::MasterListRejected { .. }));
}

#[test]
fn a_trust_directory_loads_pem_der_master_lists_and_crls() {
    let p = pki();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("csca.pem"), p.csca.certificate.pem()).unwrap();
    std::fs::write(dir.path().join("bp.der"), &p.csca_bp.certificate.der).unwrap();
    let ml = p.ml_signer.sign_master_list(std::slice::from_ref(&p.csca_rsa.certificate.der)).unwrap();
    std::fs::write(dir.path().join("a-master-list.ml"), ml).unwrap();
    std::fs::write(
        dir.path().join("rsa.crl"),
        p.csca_rsa.crl(&[], day("2026-01-01"), day("2026-12-31")).unwrap(),
    )
    .unwrap();
    let mut trust = TrustStore::new();
    let s = trust.load_dir(dir.path(), now()).unwrap();
    assert_eq!((s.certificates, s.master_lists, s.certificates_from_master_lists, s.crls), (2, 1, 1, 1));
    assert!(check(&chip(&p.ds_rsa_pss, DigestAlgorithm::Sha256), &trust, now()).passed);

    std::fs::write(dir.path().join("junk.txt"), "not a certificate").unwrap();
    assert!(matches!(TrustStore::new().load_dir(dir.path(), now()), Err(TrustError::Malformed { .. })));
}

/// Which check must fail when byte `i` of data group `n` changes: the data group's hash.
fn dg_flip_fails(c: &ChipData, n: u8, i: usize, bit: u8) {
    let mut dgs = c.data_groups.clone();
    let dg = dgs.get_mut(n).unwrap();
    let i = i % dg.len();
    dg[i] ^= 1 << bit;
    let r = verify(&c.sod, &dgs, &trust_all(), now());
    assert_only_failed(&r, &["data_group_hashes"]);
    assert!(
        matches!(r.data_group_hashes.check.reason, Some(Reason::HashMismatch { number, .. }) if number == n)
    );
}

fn shared_chip() -> &'static ChipData {
    static CHIP: OnceLock<ChipData> = OnceLock::new();
    CHIP.get_or_init(|| chip(&pki().ds_p256, DigestAlgorithm::Sha256))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Flipping any bit of DG1 or DG2 fails exactly that data group's hash.
    #[test]
    fn any_changed_data_group_byte_is_rejected(dg in 1u8..=2, i in any::<usize>(), bit in 0u8..8) {
        dg_flip_fails(shared_chip(), dg, i, bit);
    }

    /// Flipping any bit of the SOD fails verification (which check depends on the byte).
    #[test]
    fn any_changed_sod_byte_is_rejected(i in any::<usize>(), bit in 0u8..8) {
        let c = shared_chip();
        let mut sod = c.sod.clone();
        let i = i % sod.len();
        sod[i] ^= 1 << bit;
        let r = verify(&sod, &c.data_groups, &trust_all(), now());
        prop_assert!(!r.passed, "byte {} bit {} changed and still passed", i, bit);
    }

    /// Arbitrary bytes never panic the parser or the verifier.
    #[test]
    fn arbitrary_sod_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Sod::parse(&bytes);
        let mut with_tag = vec![0x77, 0x82, (bytes.len() >> 8) as u8, bytes.len() as u8];
        with_tag.extend_from_slice(&bytes);
        let r = verify(&with_tag, &DataGroups::new(), &TrustStore::new(), now());
        prop_assert!(!r.passed);
        let _ = Dg1::parse(&bytes);
    }
}

/// With `GAPURA_PA_FIXTURES_DIR` set, writes a chip per algorithm and its CSCA there, for
/// checking with another implementation (`openssl cms -verify`) and for benchmarks.
#[test]
fn writes_fixtures_for_other_verifiers_when_asked() {
    let Some(out) = std::env::var_os("GAPURA_PA_FIXTURES_DIR") else { return };
    let p = pki();
    for (name, ds, csca) in [
        ("p256", &p.ds_p256, &p.csca),
        ("p384", &p.ds_p384, &p.csca),
        ("rsa", &p.ds_rsa, &p.csca_rsa),
        ("rsa-pss", &p.ds_rsa_pss, &p.csca_rsa),
        ("bp256", &p.ds_bp256, &p.csca_bp),
        ("bp384", &p.ds_bp384, &p.csca_bp),
    ] {
        let dir = std::path::Path::new(&out).join(name);
        std::fs::create_dir_all(dir.join("trust")).unwrap();
        chip(ds, DigestAlgorithm::Sha256).write_to(&dir).unwrap();
        std::fs::write(dir.join("trust/csca.pem"), csca.certificate.pem()).unwrap();
    }
}

/// With `GAPURA_SLOW_TESTS` set: every bit of every byte of an SOD, flipped one at a time,
/// fails verification (the property test above samples this).
#[test]
fn every_changed_sod_bit_is_rejected_when_slow_tests_are_on() {
    if std::env::var_os("GAPURA_SLOW_TESTS").is_none() {
        return;
    }
    let c = shared_chip();
    let trust = trust_all();
    for i in 0..c.sod.len() {
        for bit in 0..8 {
            let mut sod = c.sod.clone();
            sod[i] ^= 1 << bit;
            assert!(
                !verify(&sod, &c.data_groups, &trust, now()).passed,
                "byte {i} bit {bit} changed and still passed"
            );
        }
    }
}
