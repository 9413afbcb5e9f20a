//! The published test vectors in `testdata/vectors.json`.
//!
//! `GAPURA_WRITE_VECTORS=1 cargo test -p gapura-ledger --test it vectors` (re)writes the file
//! from `generate()`; without it the test rebuilds every vector from the file's own fields with
//! the crate's API, checks the file's bytes, hashes and signatures independently of the crate
//! (`sha2`, `ed25519-dalek` and a hand-written encoder of the documented layout), and finally
//! checks that the file is exactly what `generate()` gives.

use std::path::PathBuf;

use ed25519_dalek::{Signature, SigningKey, Verifier, VerifyingKey};
use gapura_ledger::{
    canonical_json, ActorId, Checkpoint, Entry, EntryDraft, EventType, Hash, KeyRotated, LedgerVerifier,
    PublicKey, SiteId, SiteKey, TimeZoneName, TrustedKeys, EVENT_KEY_ROTATED,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const GENESIS_SEED: [u8; 32] = [7; 32];
const ROTATED_SEED: [u8; 32] = [8; 32];
const SITE: &str = "vector-site";
const ZONE: &str = "Asia/Jakarta";
const TIME: i64 = 1_790_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors {
    format: String,
    about: String,
    entries: Vec<EntryVector>,
    checkpoints: Vec<CheckpointVector>,
    key_rotations: Vec<RotationVector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryVector {
    description: String,
    fields: EntryFields,
    entry_hex: String,
    sha256_hex: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFields {
    site: String,
    site_seq: u64,
    /// 64 hexadecimal digits.
    prev_hash: String,
    time_ms: i64,
    time_zone: String,
    actor: String,
    event_type: String,
    schema_version: u16,
    body_utf8: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckpointVector {
    description: String,
    seed_hex: String,
    site: String,
    count: u64,
    head_hex: String,
    time_ms: i64,
    message_hex: String,
    public_key_hex: String,
    signature_hex: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RotationVector {
    description: String,
    old_seed_hex: String,
    new_seed_hex: String,
    site: String,
    site_seq: u64,
    prev_hash_hex: String,
    new_public_key_hex: String,
    message_hex: String,
    signature_hex: String,
    /// The `ledger.key_rotated` body (canonical JSON) that carries this rotation.
    body_utf8: String,
}

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/vectors.json")
}

// ---- building with the crate's API -------------------------------------------------------

fn seal_fields(f: &EntryFields) -> Entry {
    let draft = EntryDraft {
        time_ms: f.time_ms,
        actor: ActorId::parse(&f.actor).unwrap(),
        event_type: EventType::parse(&f.event_type).unwrap(),
        schema_version: f.schema_version,
        body: f.body_utf8.as_bytes().to_vec(),
    };
    Entry::seal(
        &SiteId::parse(&f.site).unwrap(),
        &TimeZoneName::parse(&f.time_zone).unwrap(),
        f.site_seq,
        Hash::from_hex(&f.prev_hash).unwrap(),
        &draft,
    )
    .unwrap()
}

fn seed(hex_text: &str) -> [u8; 32] {
    let mut s = [0u8; 32];
    hex::decode_to_slice(hex_text, &mut s).unwrap();
    s
}

fn entry_vector(description: &str, fields: EntryFields) -> EntryVector {
    let e = seal_fields(&fields);
    EntryVector {
        description: description.into(),
        fields,
        entry_hex: hex::encode(&e.bytes),
        sha256_hex: e.hash.to_hex(),
    }
}

fn checkpoint_vector(
    description: &str,
    seed: [u8; 32],
    count: u64,
    head: Hash,
    time_ms: i64,
) -> CheckpointVector {
    let site = SiteId::parse(SITE).unwrap();
    let cp = Checkpoint::sign(&SiteKey::from_seed(seed), &site, count, head, time_ms);
    CheckpointVector {
        description: description.into(),
        seed_hex: hex::encode(seed),
        site: SITE.into(),
        count,
        head_hex: head.to_hex(),
        time_ms,
        message_hex: hex::encode(Checkpoint::message(&site, count, &head, time_ms)),
        public_key_hex: cp.public_key.to_hex(),
        signature_hex: cp.signature,
    }
}

/// The vectors, from fixed seeds and fixed fields. Changing this changes the published file.
fn generate() -> Vectors {
    let site = SiteId::parse(SITE).unwrap();
    let old = SiteKey::from_seed(GENESIS_SEED);
    let new = SiteKey::from_seed(ROTATED_SEED);
    let mut entries: Vec<EntryVector> = Vec::new();
    let fields =
        |seq: u64, prev: &str, actor: &str, event_type: &str, version: u16, body: String| EntryFields {
            site: SITE.into(),
            site_seq: seq,
            prev_hash: prev.into(),
            time_ms: TIME + (seq as i64 - 1) * 1_500,
            time_zone: ZONE.into(),
            actor: actor.into(),
            event_type: event_type.into(),
            schema_version: version,
            body_utf8: body,
        };
    let json = |v: serde_json::Value| String::from_utf8(canonical_json(&v).unwrap()).unwrap();

    entries.push(entry_vector(
        "genesis: ledger.series_opened naming the key of seed 07 x 32",
        fields(
            1,
            &Hash::ZERO.to_hex(),
            "system:ledger",
            "ledger.series_opened",
            1,
            json(serde_json::json!({"public_key": old.public().to_hex()})),
        ),
    ));
    let prev = entries[0].sha256_hex.clone();
    entries.push(entry_vector(
        "sequence 2, chained to the genesis, with a JSON body",
        fields(
            2,
            &prev,
            "officer:0001",
            "service_point.registered",
            2,
            json(serde_json::json!({
                "code": "CGK-T3-A01",
                "kind": "airport_counter",
                "name": "Terminal 3 arrivals, counter 1",
                "lanes": 4
            })),
        ),
    ));
    let prev = entries[1].sha256_hex.clone();
    entries.push(entry_vector(
        "sequence 3 with an empty body (body length 0)",
        fields(3, &prev, "device:gate-07", "gate.heartbeat_sent", 1, String::new()),
    ));
    let prev = entries[2].sha256_hex.clone();
    entries.push(entry_vector(
        "sequence 4 with non-ASCII UTF-8 in the body (stored as raw UTF-8, not escaped)",
        fields(
            4,
            &prev,
            "officer:0002",
            "traveller.name_recorded",
            1,
            json(serde_json::json!({
                "family_name": "Ñúñez-Sørensen",
                "given_name": "Zoë",
                "note": "東京発 — 確認済み ✓"
            })),
        ),
    ));

    let head4 = Hash::from_hex(&entries[3].sha256_hex).unwrap();
    let rotation = KeyRotated::new(&old, &site, 5, &head4, new.public());
    let rotation_body = String::from_utf8(canonical_json(&rotation).unwrap()).unwrap();
    entries.push(entry_vector(
        "sequence 5: ledger.key_rotated from the key of seed 07 x 32 to the key of seed 08 x 32",
        fields(5, &head4.to_hex(), "system:ledger", EVENT_KEY_ROTATED, 1, rotation_body.clone()),
    ));
    let head5 = Hash::from_hex(&entries[4].sha256_hex).unwrap();

    let checkpoints = vec![
        checkpoint_vector(
            "checkpoint over sequence 4 (before the rotation), signed by the genesis key",
            GENESIS_SEED,
            4,
            head4,
            TIME + 60_000,
        ),
        checkpoint_vector(
            "checkpoint over sequence 5 (the rotation), signed by the rotated-to key",
            ROTATED_SEED,
            5,
            head5,
            TIME + 120_000,
        ),
    ];
    let key_rotations = vec![RotationVector {
        description: "the rotation carried by entry sequence 5".into(),
        old_seed_hex: hex::encode(GENESIS_SEED),
        new_seed_hex: hex::encode(ROTATED_SEED),
        site: SITE.into(),
        site_seq: 5,
        prev_hash_hex: head4.to_hex(),
        new_public_key_hex: new.public().to_hex(),
        message_hex: hex::encode(KeyRotated::message(&site, 5, &head4, &new.public())),
        signature_hex: rotation.signature.clone(),
        body_utf8: rotation_body,
    }];
    Vectors {
        format: "gapura-ledger-test-vectors-v1".into(),
        about: "Entry format version 1, SHA-256 chain, Ed25519 checkpoints and key rotation. \
                Synthetic data. See README.md beside this file."
            .into(),
        entries,
        checkpoints,
        key_rotations,
    }
}

// ---- independent checks (no crate code) --------------------------------------------------

/// The layout of ADR 0001 / entry.rs, written out again by hand.
fn encode_by_hand(f: &EntryFields) -> Vec<u8> {
    let name = |b: &mut Vec<u8>, s: &str| {
        b.push(s.len() as u8);
        b.extend_from_slice(s.as_bytes());
    };
    let mut b = b"GPLE".to_vec();
    b.push(1);
    name(&mut b, &f.site);
    b.extend_from_slice(&f.site_seq.to_be_bytes());
    b.extend_from_slice(&hex::decode(&f.prev_hash).unwrap());
    b.extend_from_slice(&f.time_ms.to_be_bytes());
    name(&mut b, &f.time_zone);
    name(&mut b, &f.actor);
    name(&mut b, &f.event_type);
    b.extend_from_slice(&f.schema_version.to_be_bytes());
    b.extend_from_slice(&(f.body_utf8.len() as u32).to_be_bytes());
    b.extend_from_slice(f.body_utf8.as_bytes());
    b
}

fn checkpoint_message_by_hand(site: &str, count: u64, head_hex: &str, time_ms: i64) -> Vec<u8> {
    let mut m = b"gapura-checkpoint-v1\0".to_vec();
    m.push(site.len() as u8);
    m.extend_from_slice(site.as_bytes());
    m.extend_from_slice(&count.to_be_bytes());
    m.extend_from_slice(&hex::decode(head_hex).unwrap());
    m.extend_from_slice(&time_ms.to_be_bytes());
    m
}

fn rotation_message_by_hand(site: &str, seq: u64, prev_hex: &str, new_key_hex: &str) -> Vec<u8> {
    let mut m = b"gapura-key-rotation-v1\0".to_vec();
    m.push(site.len() as u8);
    m.extend_from_slice(site.as_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&hex::decode(prev_hex).unwrap());
    m.extend_from_slice(&hex::decode(new_key_hex).unwrap());
    m
}

/// Verifies an Ed25519 signature with `ed25519-dalek` directly, from hexadecimal only.
fn ed25519_verifies(public_hex: &str, message_hex: &str, signature_hex: &str) -> bool {
    let pk: [u8; 32] = hex::decode(public_hex).unwrap().try_into().unwrap();
    let sig: [u8; 64] = hex::decode(signature_hex).unwrap().try_into().unwrap();
    let vk = VerifyingKey::from_bytes(&pk).unwrap();
    vk.verify(&hex::decode(message_hex).unwrap(), &Signature::from_bytes(&sig)).is_ok()
}

fn ed25519_public_of_seed(seed_hex: &str) -> String {
    hex::encode(SigningKey::from_bytes(&seed(seed_hex)).verifying_key().to_bytes())
}

// ---- the test ------------------------------------------------------------------------------

/// Given the published vectors, when each is rebuilt from its fields with the crate (and
/// independently of it), then bytes, hashes, messages and signatures are exactly the file's.
#[test]
fn published_vectors_match_the_crate_and_independent_checks() {
    let path = vectors_path();
    if std::env::var("GAPURA_WRITE_VECTORS").as_deref() == Ok("1") {
        let text = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
        eprintln!("wrote {}", path.display());
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with GAPURA_WRITE_VECTORS=1", path.display()));
    let file: Vectors = serde_json::from_str(&text).unwrap();
    assert!(file.entries.len() >= 4 && !file.checkpoints.is_empty() && !file.key_rotations.is_empty());

    for v in &file.entries {
        let d = &v.description;
        // The crate's encoder gives exactly the published bytes and hash.
        let e = seal_fields(&v.fields);
        assert_eq!(hex::encode(&e.bytes), v.entry_hex, "{d}: entry bytes");
        assert_eq!(e.hash.to_hex(), v.sha256_hex, "{d}: entry hash");
        // Independently: the documented layout written out by hand, and SHA-256 by `sha2`.
        assert_eq!(hex::encode(encode_by_hand(&v.fields)), v.entry_hex, "{d}: hand-encoded bytes");
        let digest = Sha256::digest(hex::decode(&v.entry_hex).unwrap());
        assert_eq!(hex::encode(digest), v.sha256_hex, "{d}: sha2 of entry_hex");
        // The published bytes decode back to the published fields.
        let back = Entry::decode(hex::decode(&v.entry_hex).unwrap()).unwrap();
        assert_eq!(back.body, v.fields.body_utf8.as_bytes(), "{d}: decoded body");
        assert_eq!(back.prev_hash.to_hex(), v.fields.prev_hash, "{d}: decoded prev hash");
    }
    // The entries form one chain: each names the hash of the one before it.
    for w in file.entries.windows(2) {
        assert_eq!(w[1].fields.prev_hash, w[0].sha256_hex, "{}: chained", w[1].description);
    }
    // The genesis names the public key of seed 07 x 32.
    assert!(file.entries[0].fields.body_utf8.contains(&SiteKey::from_seed(GENESIS_SEED).public().to_hex()));

    for c in &file.checkpoints {
        let d = &c.description;
        let site = SiteId::parse(&c.site).unwrap();
        let head = Hash::from_hex(&c.head_hex).unwrap();
        let cp = Checkpoint::sign(&SiteKey::from_seed(seed(&c.seed_hex)), &site, c.count, head, c.time_ms);
        assert_eq!(hex::encode(Checkpoint::message(&site, c.count, &head, c.time_ms)), c.message_hex, "{d}");
        assert_eq!(cp.public_key.to_hex(), c.public_key_hex, "{d}: public key");
        assert_eq!(cp.signature, c.signature_hex, "{d}: Ed25519 is deterministic");
        assert!(cp.signature_valid(), "{d}");
        // Independently of the crate.
        assert_eq!(
            hex::encode(checkpoint_message_by_hand(&c.site, c.count, &c.head_hex, c.time_ms)),
            c.message_hex,
            "{d}: hand-built message"
        );
        assert_eq!(ed25519_public_of_seed(&c.seed_hex), c.public_key_hex, "{d}");
        assert!(ed25519_verifies(&c.public_key_hex, &c.message_hex, &c.signature_hex), "{d}: signature");
        // The checkpointed head is the hash of the published entry at that count.
        let at = file.entries.iter().find(|v| v.fields.site_seq == c.count).unwrap();
        assert_eq!(at.sha256_hex, c.head_hex, "{d}: head");
    }

    for r in &file.key_rotations {
        let d = &r.description;
        let site = SiteId::parse(&r.site).unwrap();
        let prev = Hash::from_hex(&r.prev_hash_hex).unwrap();
        let old = SiteKey::from_seed(seed(&r.old_seed_hex));
        let new = SiteKey::from_seed(seed(&r.new_seed_hex));
        assert_eq!(new.public().to_hex(), r.new_public_key_hex, "{d}");
        let body = KeyRotated::new(&old, &site, r.site_seq, &prev, new.public());
        assert_eq!(body.signature, r.signature_hex, "{d}: signature");
        assert_eq!(String::from_utf8(canonical_json(&body).unwrap()).unwrap(), r.body_utf8, "{d}: body");
        assert_eq!(
            hex::encode(KeyRotated::message(&site, r.site_seq, &prev, &new.public())),
            r.message_hex,
            "{d}: message"
        );
        // Independently of the crate.
        assert_eq!(
            hex::encode(rotation_message_by_hand(
                &r.site,
                r.site_seq,
                &r.prev_hash_hex,
                &r.new_public_key_hex
            )),
            r.message_hex,
            "{d}: hand-built message"
        );
        let old_public = ed25519_public_of_seed(&r.old_seed_hex);
        assert!(
            ed25519_verifies(&old_public, &r.message_hex, &r.signature_hex),
            "{d}: signed by the old key"
        );
        // The rotation entry carries exactly this body at this place.
        let at = file.entries.iter().find(|v| v.fields.site_seq == r.site_seq).unwrap();
        assert_eq!(at.fields.event_type, EVENT_KEY_ROTATED, "{d}");
        assert_eq!(at.fields.body_utf8, r.body_utf8, "{d}");
        assert_eq!(at.fields.prev_hash, r.prev_hash_hex, "{d}");
    }

    // The whole file is a valid ledger: anchored on the genesis key, both checkpoints hold.
    let checkpoints: Vec<Checkpoint> = file
        .checkpoints
        .iter()
        .map(|c| Checkpoint {
            site: SiteId::parse(&c.site).unwrap(),
            count: c.count,
            head: Hash::from_hex(&c.head_hex).unwrap(),
            time_ms: c.time_ms,
            public_key: PublicKey::from_hex(&c.public_key_hex).unwrap(),
            signature: c.signature_hex.clone(),
        })
        .collect();
    let trusted = TrustedKeys(std::iter::once(SiteKey::from_seed(GENESIS_SEED).public()).collect());
    let mut verifier = LedgerVerifier::new(Some(trusted), checkpoints);
    for (i, v) in file.entries.iter().enumerate() {
        let stored = Hash::from_hex(&v.sha256_hex).unwrap();
        verifier.push(i as u64 + 1, Some(stored), hex::decode(&v.entry_hex).unwrap()).unwrap();
    }
    let summary = verifier.finish(Some(file.entries.len() as u64)).unwrap();
    assert_eq!(summary.checkpoints, 2);
    assert_eq!(summary.series[0].checkpointed, 5);
    assert_eq!(summary.series[0].key, SiteKey::from_seed(ROTATED_SEED).public());

    // Last, the file is exactly what this build generates (regenerate after a deliberate change).
    assert_eq!(
        file,
        generate(),
        "testdata/vectors.json differs from generate(); if the change is deliberate, rerun with GAPURA_WRITE_VECTORS=1"
    );
}
