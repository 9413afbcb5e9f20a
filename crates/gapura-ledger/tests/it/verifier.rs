//! The streaming verifier's rules, one test each: every failure names its problem, its site and
//! its sequence.

use gapura_ledger::{
    canonical_json, Checkpoint, Entry, Hash, LedgerVerifier, SeriesOpened, SiteId, VerifyFailure,
    VerifyProblem, EVENT_SERIES_OPENED,
};

use crate::common::*;

fn assert_at(err: &VerifyFailure, site_name: &str, seq: Option<u64>) {
    assert_eq!(err.site, Some(site(site_name)), "{err}");
    assert_eq!(err.site_seq, seq, "{err}");
}

/// A clean two-series ledger with checkpoints and trusted keys verifies, and the summary says
/// what it covered.
#[test]
fn valid_ledger_verifies_and_summarises() {
    let (ka, kb) = (key(1), key(2));
    let a = series("alpha", &ka, 3);
    let b = series("bravo", &kb, 2);
    let ledger = vec![a[0].clone(), b[0].clone(), a[1].clone(), b[1].clone(), a[2].clone()];
    let cps = vec![checkpoint(&ka, &a[1]), checkpoint(&ka, &a[2]), checkpoint(&kb, &b[1])];
    let s = run(&ledger, trusting(&[&ka, &kb]), cps).unwrap();
    assert_eq!((s.entries, s.checkpoints, s.keys_anchored), (5, 3, true));
    assert_eq!(s.series.len(), 2);
    let sa = &s.series[0];
    assert_eq!((sa.site.as_str(), sa.entries, sa.head, sa.key), ("alpha", 3, a[2].hash, ka.public()));
    assert_eq!((sa.checkpointed, sa.key_trusted), (3, true));
    assert_eq!((s.series[1].entries, s.series[1].checkpointed), (2, 2));
}

/// Given a series missing sequence 2, then it fails with SequenceGap at the entry found.
#[test]
fn gap_in_a_series() {
    let a = series("alpha", &key(1), 3);
    let err = run(&[a[0].clone(), a[2].clone()], None, vec![]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::SequenceGap { expected: 2, found: 3 });
    assert_at(&err, "alpha", Some(3));
    assert_eq!(err.store_seq, Some(2));
}

/// Given sequence 2 stored twice, then the second copy fails with SequenceGap.
#[test]
fn duplicate_sequence() {
    let a = series("alpha", &key(1), 3);
    let err = run(&[a[0].clone(), a[1].clone(), a[1].clone()], None, vec![]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::SequenceGap { expected: 3, found: 2 });
    assert_at(&err, "alpha", Some(2));
    assert_eq!(err.store_seq, Some(3));
}

/// Given sequences 2 and 3 stored in swapped order, then it fails at the early 3.
#[test]
fn reordered_entries() {
    let a = series("alpha", &key(1), 4);
    let err = run(&[a[0].clone(), a[2].clone(), a[1].clone(), a[3].clone()], None, vec![]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::SequenceGap { expected: 2, found: 3 });
    assert_at(&err, "alpha", Some(3));
}

/// Given an entry whose previous hash is not its predecessor's hash, then BrokenChain.
#[test]
fn broken_prev_hash() {
    let a = series("alpha", &key(1), 2);
    let d = draft(T0, "officer:0001", "test.thing_happened", 1, b"{}".to_vec());
    let wrong = Entry::seal(&a[1].site, &tz(), 3, a[0].hash, &d).unwrap();
    let err = run(&[a[0].clone(), a[1].clone(), wrong], None, vec![]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::BrokenChain { expected: a[1].hash, found: a[0].hash });
    assert_at(&err, "alpha", Some(3));
}

/// Given a series whose first entry is an ordinary event, then BadGenesis at sequence 1.
#[test]
fn series_not_starting_with_series_opened() {
    let d = draft(T0, "officer:0001", "test.thing_happened", 1, b"{}".to_vec());
    let first = Entry::seal(&site("alpha"), &tz(), 1, Hash::ZERO, &d).unwrap();
    let err = run(&[first], None, vec![]).unwrap_err();
    assert!(
        matches!(&err.problem, VerifyProblem::BadGenesis(why) if why.contains("test.thing_happened")),
        "{err}"
    );
    assert_at(&err, "alpha", Some(1));
}

/// Given a series_opened whose body is not a SeriesOpened or whose version is unknown, then
/// BadGenesis.
#[test]
fn series_opened_with_bad_body_or_version() {
    let body = canonical_json(&SeriesOpened { public_key: key(1).public() }).unwrap();
    for (version, body) in [(1, b"{\"public_key\":\"00\"}".to_vec()), (2, body)] {
        let d = draft(T0, "system:ledger", EVENT_SERIES_OPENED, version, body);
        let first = Entry::seal(&site("alpha"), &tz(), 1, Hash::ZERO, &d).unwrap();
        let err = run(&[first], None, vec![]).unwrap_err();
        assert!(matches!(err.problem, VerifyProblem::BadGenesis(_)), "{err}");
        assert_at(&err, "alpha", Some(1));
    }
}

/// Given a series that is "opened" again at sequence 3, then BadGenesis there.
#[test]
fn second_series_opened_in_the_middle() {
    let k = key(1);
    let a = series("alpha", &k, 2);
    let body = canonical_json(&SeriesOpened { public_key: key(66).public() }).unwrap();
    let reopen = next(&a[1], EVENT_SERIES_OPENED, 1, body);
    let err = run(&[a[0].clone(), a[1].clone(), reopen], None, vec![]).unwrap_err();
    assert!(matches!(&err.problem, VerifyProblem::BadGenesis(why) if why.contains("again")), "{err}");
    assert_at(&err, "alpha", Some(3));
}

/// Given a correctly signed checkpoint at count 2 naming another head, then CheckpointMismatch.
#[test]
fn checkpoint_head_mismatch() {
    let k = key(1);
    let a = series("alpha", &k, 3);
    let cp = Checkpoint::sign(&k, &a[1].site, 2, a[2].hash, T0);
    let err = run(&a, None, vec![cp]).unwrap_err();
    assert_eq!(
        err.problem,
        VerifyProblem::CheckpointMismatch { count: 2, checkpoint_head: a[2].hash, entry_hash: a[1].hash }
    );
    assert_at(&err, "alpha", Some(2));
}

/// Given a checkpoint whose signature was altered, or whose time was changed after signing,
/// then CheckpointBadSignature.
#[test]
fn checkpoint_bad_signature() {
    let k = key(1);
    let a = series("alpha", &k, 3);
    let good = checkpoint(&k, &a[1]);
    let mut bad_sig = good.clone();
    let mut sig = hex::decode(&bad_sig.signature).unwrap();
    sig[10] ^= 0x04;
    bad_sig.signature = hex::encode(sig);
    let mut moved_time = good.clone();
    moved_time.time_ms += 1;
    let mut not_hex = good.clone();
    not_hex.signature = "zz".into();
    for cp in [bad_sig, moved_time, not_hex] {
        let err = run(&a, None, vec![cp]).unwrap_err();
        assert_eq!(err.problem, VerifyProblem::CheckpointBadSignature { count: 2 });
        assert_at(&err, "alpha", Some(2));
    }
    run(&a, None, vec![good]).unwrap();
}

/// Given a valid signature by a key that is not the series' key, then CheckpointWrongKey.
#[test]
fn checkpoint_signed_by_a_different_key() {
    let (k, other) = (key(1), key(2));
    let a = series("alpha", &k, 3);
    let err = run(&a, None, vec![checkpoint(&other, &a[2])]).unwrap_err();
    assert_eq!(
        err.problem,
        VerifyProblem::CheckpointWrongKey { count: 3, signed_by: other.public(), key_in_force: k.public() }
    );
    assert_at(&err, "alpha", Some(3));
}

/// Given a checkpoint held elsewhere over 5 entries and a store holding only 3, then finish
/// reports Truncated, pointing at the first missing sequence.
#[test]
fn truncated_tail_caught_by_a_checkpoint_held_elsewhere() {
    let k = key(1);
    let full = series("alpha", &k, 5);
    let cp = checkpoint(&k, &full[4]);
    let err = run(&full[..3], None, vec![cp.clone()]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::Truncated { checkpoint_count: 5, entries: 3 });
    assert_at(&err, "alpha", Some(4));
    run(&full, None, vec![cp]).unwrap();
}

/// Given a checkpoint for a site of which no entry at all remains, then finish reports
/// Truncated with 0 entries for that site.
#[test]
fn truncated_site_with_no_entries_at_all() {
    let gone = series("gone", &key(2), 2);
    let kept = series("alpha", &key(1), 2);
    let err = run(&kept, None, vec![checkpoint(&key(2), &gone[1])]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::Truncated { checkpoint_count: 2, entries: 0 });
    assert_at(&err, "gone", None);
}

/// Given trusted keys that do not include a series' genesis key, then UntrustedKey at its
/// genesis.
#[test]
fn untrusted_genesis_key() {
    let (k, stranger) = (key(1), key(2));
    let a = series("alpha", &k, 2);
    let err = run(&a, trusting(&[&stranger]), vec![]).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::UntrustedKey(k.public()));
    assert_at(&err, "alpha", Some(1));
    assert!(run(&a, trusting(&[&stranger, &k]), vec![]).unwrap().series[0].key_trusted);
}

/// Given a history rewritten from its genesis and re-signed with an attacker's key, then it
/// passes self-consistency (no trusted keys) but fails once the real key is trusted.
#[test]
fn full_rewrite_resigned_with_attacker_key() {
    let (real, attacker) = (key(1), key(99));
    let forged = series("alpha", &attacker, 4);
    let forged_cps = vec![checkpoint(&attacker, &forged[1]), checkpoint(&attacker, &forged[3])];

    let s = run(&forged, None, forged_cps.clone()).unwrap();
    assert!(!s.keys_anchored && !s.series[0].key_trusted);
    assert_eq!(s.series[0].key, attacker.public());

    let err = run(&forged, trusting(&[&real]), forged_cps).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::UntrustedKey(attacker.public()));
    assert_at(&err, "alpha", Some(1));
}

/// Given a valid rotation at sequence 3, then checkpoints before it by the old key and after
/// it by the new key verify, and the summary names the new key.
#[test]
fn key_rotation_then_checkpoints_by_the_new_key_verify() {
    let (old, new) = (key(1), key(2));
    let mut a = series("alpha", &old, 2);
    a.push(rotation(&a[1], &old, &new));
    a.push(plain(&a[2]));
    let cps = vec![checkpoint(&old, &a[1]), checkpoint(&new, &a[2]), checkpoint(&new, &a[3])];
    let s = run(&a, trusting(&[&old]), cps).unwrap();
    assert_eq!((s.checkpoints, s.series[0].checkpointed), (3, 4));
    assert_eq!(s.series[0].key, new.public());
    assert!(s.series[0].key_trusted);
}

/// Given a valid rotation, when a later checkpoint is still signed by the old key, then
/// CheckpointWrongKey names both keys.
#[test]
fn checkpoint_after_rotation_by_the_old_key_fails() {
    let (old, new) = (key(1), key(2));
    let mut a = series("alpha", &old, 2);
    a.push(rotation(&a[1], &old, &new));
    a.push(plain(&a[2]));
    let err = run(&a, None, vec![checkpoint(&old, &a[3])]).unwrap_err();
    assert_eq!(
        err.problem,
        VerifyProblem::CheckpointWrongKey { count: 4, signed_by: old.public(), key_in_force: new.public() }
    );
    assert_at(&err, "alpha", Some(4));
}

/// The rotation entry itself is "after" the rotation: a checkpoint at its count must be signed
/// by the new key, and one by the old key fails with CheckpointWrongKey.
#[test]
fn checkpoint_at_the_rotation_entry_needs_the_new_key() {
    let (old, new) = (key(1), key(2));
    let mut a = series("alpha", &old, 2);
    a.push(rotation(&a[1], &old, &new));
    let err = run(&a, None, vec![checkpoint(&old, &a[2])]).unwrap_err();
    assert_eq!(
        err.problem,
        VerifyProblem::CheckpointWrongKey { count: 3, signed_by: old.public(), key_in_force: new.public() }
    );
    assert_at(&err, "alpha", Some(3));
    run(&a, None, vec![checkpoint(&new, &a[2])]).unwrap();
}

/// Given a rotation signed by some key other than the one it replaces, then BadRotation.
#[test]
fn rotation_signed_by_the_wrong_key_fails() {
    let (old, new, thief) = (key(1), key(2), key(3));
    let mut a = series("alpha", &old, 2);
    a.push(rotation(&a[1], &thief, &new));
    let err = run(&a, None, vec![]).unwrap_err();
    assert!(matches!(&err.problem, VerifyProblem::BadRotation(_)), "{err}");
    assert_at(&err, "alpha", Some(3));
}

/// Given a rotation signed for another place in the chain (replayed from sequence 3 to 4),
/// then BadRotation.
#[test]
fn rotation_replayed_at_another_place_fails() {
    let (old, new) = (key(1), key(2));
    let mut a = series("alpha", &old, 3);
    let signed_for_3 = gapura_ledger::KeyRotated::new(&old, &a[1].site, 3, &a[1].hash, new.public());
    a.push(next(&a[2], gapura_ledger::EVENT_KEY_ROTATED, 1, canonical_json(&signed_for_3).unwrap()));
    let err = run(&a, None, vec![]).unwrap_err();
    assert!(matches!(&err.problem, VerifyProblem::BadRotation(_)), "{err}");
    assert_at(&err, "alpha", Some(4));
}

/// Given store order numbers 1 then 3, then StoreOrderGap at store order 3.
#[test]
fn store_order_gap() {
    let a = series("alpha", &key(1), 2);
    let mut v = LedgerVerifier::new(None, vec![]);
    v.push(1, Some(a[0].hash), a[0].bytes.clone()).unwrap();
    let err = v.push(3, Some(a[1].hash), a[1].bytes.clone()).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::StoreOrderGap { expected: 2, found: 3 });
    assert_eq!(err.store_seq, Some(3));
}

/// Given 2 entries pushed, when finish is told the store holds 3, then StoreOrderGap.
#[test]
fn finish_with_wrong_total_fails() {
    let a = series("alpha", &key(1), 2);
    let mut v = LedgerVerifier::new(None, vec![]);
    for (i, e) in a.iter().enumerate() {
        v.push(i as u64 + 1, Some(e.hash), e.bytes.clone()).unwrap();
    }
    let err = v.finish(Some(3)).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::StoreOrderGap { expected: 3, found: 2 });
    assert_eq!(err.store_seq, Some(3));
}

/// Given a stored hash that is not the SHA-256 of the bytes, then StoredHashMismatch there.
#[test]
fn stored_hash_mismatch() {
    let a = series("alpha", &key(1), 2);
    let mut v = LedgerVerifier::new(None, vec![]);
    v.push(1, Some(a[0].hash), a[0].bytes.clone()).unwrap();
    let err = v.push(2, Some(a[0].hash), a[1].bytes.clone()).unwrap_err();
    assert_eq!(err.problem, VerifyProblem::StoredHashMismatch { stored: a[0].hash, computed: a[1].hash });
    assert_at(&err, "alpha", Some(2));
}

/// Given the store's recorded head, then check_recorded_head accepts the true one and reports
/// HeadMismatch for a wrong count, a wrong hash, or a site without entries.
#[test]
fn check_recorded_head_mismatch() {
    let a = series("alpha", &key(1), 3);
    let mut v = LedgerVerifier::new(None, vec![]);
    for (i, e) in a.iter().enumerate() {
        v.push(i as u64 + 1, None, e.bytes.clone()).unwrap();
    }
    let alpha = site("alpha");
    v.check_recorded_head(&alpha, 3, &a[2].hash).unwrap();
    for (s, n, h) in [(&alpha, 2, a[2].hash), (&alpha, 3, a[1].hash), (&site("nowhere"), 3, a[2].hash)] {
        let err = v.check_recorded_head(s, n, &h).unwrap_err();
        assert!(matches!(err.problem, VerifyProblem::HeadMismatch { .. }), "{err}");
        assert_eq!(err.site.as_ref(), Some(s));
    }
    let err = v.check_recorded_head(&site("nowhere"), 1, &Hash::ZERO).unwrap_err();
    assert!(matches!(&err.problem, VerifyProblem::HeadMismatch { computed, .. } if computed == "no entries"));
}

/// The same checkpoint supplied twice (store copy and external copy) counts once.
#[test]
fn duplicate_checkpoint_copies_count_once() {
    let k = key(1);
    let a = series("alpha", &k, 2);
    let cp = checkpoint(&k, &a[1]);
    let s = run(&a, None, vec![cp.clone(), cp]).unwrap();
    assert_eq!(s.checkpoints, 1);
}

/// Series are independent: a site's checkpoints are checked against that site's entries only.
#[test]
fn checkpoint_of_one_site_is_not_applied_to_another() {
    let (ka, kb) = (key(1), key(2));
    let a = series("alpha", &ka, 2);
    let b = series("bravo", &kb, 2);
    let ledger = [a.clone(), b.clone()].concat();
    let mut cp = checkpoint(&kb, &b[1]);
    cp.site = SiteId::parse("alpha").unwrap(); // relabelled: signature no longer matches
    let err = run(&ledger, None, vec![cp]).unwrap_err();
    assert_at(&err, "alpha", Some(2));
    assert!(matches!(err.problem, VerifyProblem::CheckpointMismatch { .. }), "{err}");
}
