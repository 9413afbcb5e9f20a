//! Property tests: the entry encoding round-trips and never panics, and any single flipped
//! byte in a stored ledger is caught — with the limit the ADR states for the unsigned tail.

use std::sync::OnceLock;

use gapura_ledger::{
    ActorId, Checkpoint, DecodeError, Entry, EntryDraft, EventType, Hash, SiteId, TimeZoneName,
    VerifyFailure, VerifyProblem,
};
use proptest::prelude::*;
use proptest::sample::Index;
use sha2::{Digest, Sha256};

use crate::common::*;

fn site_id() -> impl Strategy<Value = SiteId> {
    "[a-z][a-z0-9-]{0,31}".prop_map(|s| SiteId::parse(&s).unwrap())
}
fn actor_id() -> impl Strategy<Value = ActorId> {
    "[!-~]{1,64}".prop_map(|s| ActorId::parse(&s).unwrap())
}
fn event_type() -> impl Strategy<Value = EventType> {
    "[a-z][a-z0-9_]{0,30}\\.[a-z][a-z0-9_]{0,30}".prop_map(|s| EventType::parse(&s).unwrap())
}
fn time_zone() -> impl Strategy<Value = TimeZoneName> {
    prop_oneof![Just("UTC".to_string()), "[A-Z][A-Za-z0-9_+-]{0,20}/[A-Za-z0-9_+/-]{1,30}",]
        .prop_map(|s| TimeZoneName::parse(&s).unwrap())
}

/// The place of an entry in its chain: sequence 1 always has the zero previous hash.
fn place() -> impl Strategy<Value = (u64, Hash)> {
    prop_oneof![Just((1u64, Hash::ZERO)), (2..=u64::MAX, any::<[u8; 32]>()).prop_map(|(s, h)| (s, Hash(h))),]
}

fn valid_entry_bytes() -> Vec<u8> {
    series("mutant", &key(9), 2)[1].bytes.clone()
}

/// Checks what must hold of any successful decode: the hash is SHA-256 of exactly the input,
/// and sealing the decoded fields again gives the input back (one encoding per entry).
fn check_decoded(input: &[u8], e: &Entry) {
    assert_eq!(e.bytes, input);
    assert_eq!(e.hash.0, <[u8; 32]>::from(Sha256::digest(input)));
    let draft = EntryDraft {
        time_ms: e.time_ms,
        actor: e.actor.clone(),
        event_type: e.event_type.clone(),
        schema_version: e.schema_version,
        body: e.body.clone(),
    };
    let again = Entry::seal(&e.site, &e.time_zone, e.site_seq, e.prev_hash, &draft).unwrap();
    assert_eq!(&again, e);
}

#[derive(Debug, Clone)]
enum Mutation {
    Set(Index, u8),
    Insert(Index, u8),
    Remove(Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<Index>().prop_map(Mutation::Remove),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match m {
        Mutation::Set(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Insert(i, b) => bytes.insert(i.index(bytes.len() + 1), *b),
        Mutation::Remove(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len())),
    }
}

/// Two interleaved series of four entries, their checkpoints over both heads.
struct Fixture {
    ledger: Vec<Entry>,
    head_checkpoints: Vec<Checkpoint>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let (ka, kb) = (key(1), key(2));
        let a = series("alpha", &ka, 4);
        let b = series("bravo", &kb, 4);
        let ledger = vec![
            a[0].clone(),
            b[0].clone(),
            a[1].clone(),
            b[1].clone(),
            a[2].clone(),
            a[3].clone(),
            b[2].clone(),
            b[3].clone(),
        ];
        let head_checkpoints = vec![checkpoint(&ka, &a[3]), checkpoint(&kb, &b[3])];
        Fixture { ledger, head_checkpoints }
    })
}

/// Verifies `ledger` with entry `which` having byte `at` xor-ed with `xor`.
fn verify_flipped(
    which: usize,
    at: usize,
    xor: u8,
    with_hash: bool,
    checkpoints: Vec<Checkpoint>,
) -> Result<(), VerifyFailure> {
    let f = fixture();
    let mut v = gapura_ledger::LedgerVerifier::new(None, checkpoints);
    for (i, e) in f.ledger.iter().enumerate() {
        let mut bytes = e.bytes.clone();
        if i == which {
            bytes[at] ^= xor;
        }
        v.push(i as u64 + 1, with_hash.then_some(e.hash), bytes)?;
    }
    v.finish(Some(f.ledger.len() as u64)).map(|_| ())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Given arbitrary valid field values, when sealed and decoded again, then every field is
    /// kept, the hash is SHA-256 of the bytes, and the length is what the layout says.
    #[test]
    fn seal_then_decode_keeps_every_field(
        site in site_id(),
        zone in time_zone(),
        (seq, prev) in place(),
        time_ms in any::<i64>(),
        actor in actor_id(),
        event in event_type(),
        version in any::<u16>(),
        body in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let draft = EntryDraft { time_ms, actor: actor.clone(), event_type: event.clone(), schema_version: version, body: body.clone() };
        let e = Entry::seal(&site, &zone, seq, prev, &draft).unwrap();
        let d = Entry::decode(e.bytes.clone()).unwrap();
        prop_assert_eq!(&d, &e);
        prop_assert_eq!(&d.site, &site);
        prop_assert_eq!(d.site_seq, seq);
        prop_assert_eq!(d.prev_hash, prev);
        prop_assert_eq!(d.time_ms, time_ms);
        prop_assert_eq!(&d.time_zone, &zone);
        prop_assert_eq!(&d.actor, &actor);
        prop_assert_eq!(&d.event_type, &event);
        prop_assert_eq!(d.schema_version, version);
        prop_assert_eq!(&d.body, &body);
        prop_assert_eq!(d.hash.0, <[u8; 32]>::from(Sha256::digest(&e.bytes)));
        let names = site.as_str().len() + zone.as_str().len() + actor.as_str().len() + event.as_str().len();
        prop_assert_eq!(e.bytes.len(), 4 + 1 + 4 + 8 + 32 + 8 + 2 + 4 + names + body.len());
    }

    /// Given arbitrary bytes (bare, or behind a valid magic and version), when decoded, then
    /// decoding returns without panicking, and anything it accepts is a canonical entry.
    #[test]
    fn decode_never_panics_on_arbitrary_bytes(
        raw in proptest::collection::vec(any::<u8>(), 0..400),
        prefixed in any::<bool>(),
    ) {
        let input = if prefixed { [b"GPLE\x01".as_slice(), &raw].concat() } else { raw };
        if let Ok(e) = Entry::decode(input.clone()) {
            check_decoded(&input, &e);
        }
    }

    /// Given a valid entry, when up to four random mutations are applied and it is decoded,
    /// then decoding does not panic and whatever it accepts is canonical.
    #[test]
    fn decode_never_panics_on_mutated_entries(
        mutations in proptest::collection::vec(mutation(), 1..5),
    ) {
        let mut input = valid_entry_bytes();
        for m in &mutations {
            apply(&mut input, m);
        }
        if let Ok(e) = Entry::decode(input.clone()) {
            check_decoded(&input, &e);
        }
    }

    /// Given a valid two-series ledger with stored hashes, when any byte of any entry is
    /// flipped, then verification fails at that very entry.
    #[test]
    fn any_flipped_byte_fails_with_stored_hashes(
        which in 0usize..8,
        at in any::<Index>(),
        xor in 1u8..=255,
    ) {
        let at = at.index(fixture().ledger[which].bytes.len());
        let err = verify_flipped(which, at, xor, true, vec![]).unwrap_err();
        prop_assert_eq!(err.store_seq, Some(which as u64 + 1));
        prop_assert!(
            matches!(err.problem, VerifyProblem::StoredHashMismatch { .. } | VerifyProblem::Undecodable(_)),
            "{err}"
        );
    }

    /// Given the same ledger without stored hashes but with checkpoints over both heads, when
    /// any byte of any entry is flipped, then verification fails (at that entry or later).
    #[test]
    fn any_flipped_byte_fails_with_head_checkpoints(
        which in 0usize..8,
        at in any::<Index>(),
        xor in 1u8..=255,
    ) {
        let f = fixture();
        let at = at.index(f.ledger[which].bytes.len());
        let err = verify_flipped(which, at, xor, false, f.head_checkpoints.clone()).unwrap_err();
        prop_assert!(err.store_seq.is_none_or(|n| n > which as u64), "{err}");
    }
}

/// The unflipped fixture verifies in both modes: the flip tests above fail because of the flip.
#[test]
fn fixture_ledger_verifies_untouched() {
    let f = fixture();
    let s = run_with(&f.ledger, true, None, vec![]).unwrap();
    assert_eq!(s.entries, 8);
    let s = run_with(&f.ledger, false, None, f.head_checkpoints.clone()).unwrap();
    assert_eq!(s.checkpoints, 2);
    assert!(s.series.iter().all(|x| x.checkpointed == 4 && x.entries == 4));
}

/// Every byte position of every entry, three xor patterns, both protections: always caught.
#[test]
fn every_flipped_byte_position_fails_in_both_modes() {
    let f = fixture();
    for (which, e) in f.ledger.iter().enumerate() {
        for at in 0..e.bytes.len() {
            for xor in [0x01, 0x80, 0xff] {
                assert!(
                    verify_flipped(which, at, xor, true, vec![]).is_err(),
                    "hash: entry {which} byte {at}"
                );
                assert!(
                    verify_flipped(which, at, xor, false, f.head_checkpoints.clone()).is_err(),
                    "checkpoint: entry {which} byte {at} xor {xor:#x}"
                );
            }
        }
    }
}

/// The documented limit ("after the last checkpoint", ADR 0003): given no stored hashes, when
/// a body byte of the last entry of a series is changed, then nothing catches it unless a
/// checkpoint covers that entry.
#[test]
fn change_after_last_checkpoint_is_not_detectable_without_stored_hash() {
    let f = fixture();
    let last = f.ledger.len() - 1; // bravo, sequence 4
    let at = f.ledger[last].bytes.len() - 1; // last byte of its body
    let bravo = site("bravo");

    // No checkpoints: accepted, with a different head.
    let mut v = gapura_ledger::LedgerVerifier::new(None, vec![]);
    for (i, e) in f.ledger.iter().enumerate() {
        let mut bytes = e.bytes.clone();
        if i == last {
            bytes[at] ^= 0x01;
        }
        v.push(i as u64 + 1, None, bytes).unwrap();
    }
    let s = v.finish(None).unwrap();
    let head = s.series.iter().find(|x| x.site == bravo).unwrap();
    assert_eq!(head.entries, 4);
    assert_ne!(head.head, f.ledger[last].hash, "the altered entry was accepted as the head");

    // A checkpoint over bravo's sequence 3 only: still accepted, and the summary says the
    // last entry lies after the last checkpoint.
    let cp3 = checkpoint(&key(2), &f.ledger[6]);
    assert_eq!((cp3.site.as_str(), cp3.count), ("bravo", 3));
    verify_flipped(last, at, 0x01, false, vec![cp3.clone()]).unwrap();
    let s = run_with(&f.ledger, false, None, vec![cp3]).unwrap();
    let head = s.series.iter().find(|x| x.site == bravo).unwrap();
    assert_eq!((head.checkpointed, head.entries), (3, 4));

    // The same change is caught by a stored hash, or by a checkpoint over the head.
    let err = verify_flipped(last, at, 0x01, true, vec![]).unwrap_err();
    assert!(matches!(err.problem, VerifyProblem::StoredHashMismatch { .. }));
    let err = verify_flipped(last, at, 0x01, false, f.head_checkpoints.clone()).unwrap_err();
    assert!(matches!(err.problem, VerifyProblem::CheckpointMismatch { count: 4, .. }), "{err}");
    assert_eq!((err.site, err.site_seq), (Some(bravo), Some(4)));

    // Likewise, dropping the last entry is invisible without a checkpoint over it.
    run_with(&f.ledger[..last], false, None, vec![]).unwrap();
}

/// Decoding names what is wrong: each malformation gives its own error.
#[test]
fn decode_reports_each_malformation() {
    let good = valid_entry_bytes();
    let with = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        f(&mut b);
        Entry::decode(b).unwrap_err()
    };
    assert_eq!(with(&|b| b[0] = b'X'), DecodeError::Magic);
    assert_eq!(with(&|b| b[4] = 2), DecodeError::Format(2));
    assert_eq!(with(&|b| b.push(0)), DecodeError::TrailingBytes(1));
    assert!(matches!(
        with(&|b| {
            b.pop();
        }),
        DecodeError::Truncated { field: "body", .. }
    ));
    assert!(matches!(with(&|b| b.truncate(3)), DecodeError::Truncated { field: "magic", .. }));
    // site "mutant" is 6 bytes at offset 6: sequence starts at byte 12.
    assert_eq!(with(&|b| b[12..20].copy_from_slice(&0u64.to_be_bytes())), DecodeError::ZeroSequence);
    assert!(matches!(with(&|b| b[6] = b'M'), DecodeError::Field { field: "site", .. }));
    let e = series("mutant", &key(9), 1).remove(0);
    let mut b = e.bytes.clone();
    b[20] = 1; // first byte of the previous hash of a sequence-1 entry
    assert!(matches!(Entry::decode(b).unwrap_err(), DecodeError::Field { field: "prev_hash", .. }));
}
