//! An attacker with write access to the database, on each engine: every edit to the ledger
//! is caught by `verify`, projection edits by `verify --deep`, a re-signed rewrite by trusted
//! keys, and a truncated tail by checkpoints held elsewhere.

use gapura_ledger::{Entry, Hash, TrustedKeys, VerifyProblem};
use gapura_store::sql::Value;
use gapura_store::{Store, VerifyOptions};

use crate::stories;
use crate::support::*;

stories!(
    a_changed_entry_is_caught,
    a_changed_entry_with_its_hash_recomputed_is_caught,
    a_deleted_entry_is_caught,
    a_deleted_entry_with_renumbered_order_is_caught,
    reordered_entries_are_caught,
    an_inserted_entry_with_the_chain_recomputed_is_caught_by_checkpoints,
    an_inserted_foreign_series_is_caught_by_trusted_keys,
    an_edited_projection_row_is_caught_by_deep_verify,
    a_rewrite_re_signed_with_another_key_is_caught_by_trusted_keys,
    a_truncated_tail_is_caught_by_checkpoints_held_elsewhere,
    a_changed_index_column_is_caught,
);

/// A store of one series with 12 entries, closed (so its head is checkpointed).
fn victim(kind: Kind, label: &str) -> (Place, Store) {
    let place = Place::new(kind, label);
    let mut store = place.init("centre");
    let events: Vec<_> = (1..=11).map(|i| marker("crossings", i)).collect();
    store.append(&actor(), &events, NOW).unwrap();
    store.close(NOW).unwrap();
    let store = place.open();
    (place, store)
}

fn entry_at(store: &mut Store, store_seq: i64) -> Vec<u8> {
    let rows = store
        .raw_query("SELECT entry FROM ledger_entries WHERE store_seq = $1", &[store_seq.into()])
        .unwrap();
    rows[0][0].blob().unwrap().to_vec()
}

fn problem(store: &mut Store, opts: &VerifyOptions) -> (Option<String>, Option<u64>, VerifyProblem) {
    let f = verify(store, opts).expect_err("tampering must be caught");
    (f.site.map(|s| s.to_string()), f.site_seq, f.problem)
}

/// One byte of an entry changed: its bytes no longer hash to the stored hash.
fn a_changed_entry_is_caught(kind: Kind) {
    let (_p, mut store) = victim(kind, "changed");
    let mut e = entry_at(&mut store, 5);
    let n = e.len();
    e[n - 3] ^= 0x20;
    store.raw_execute("UPDATE ledger_entries SET entry = $1 WHERE store_seq = 5", &[e.into()]).unwrap();
    let (site, seq, p) = problem(&mut store, &VerifyOptions::default());
    assert_eq!((site.as_deref(), seq), (Some("centre"), Some(5)));
    assert!(matches!(p, VerifyProblem::StoredHashMismatch { .. }), "{p:?}");
}

/// The attacker also updates the stored hash: the next entry's link breaks.
fn a_changed_entry_with_its_hash_recomputed_is_caught(kind: Kind) {
    let (_p, mut store) = victim(kind, "rehash");
    let mut e = entry_at(&mut store, 5);
    let n = e.len();
    e[n - 3] ^= 0x20;
    let h = Hash::of(&e);
    store
        .raw_execute(
            "UPDATE ledger_entries SET entry = $1, entry_hash = $2 WHERE store_seq = 5",
            &[e.into(), h.0.to_vec().into()],
        )
        .unwrap();
    let (_, seq, p) = problem(&mut store, &VerifyOptions::default());
    assert_eq!(seq, Some(6));
    assert!(matches!(p, VerifyProblem::BrokenChain { .. }), "{p:?}");
}

/// A row deleted from the middle: the store order has a hole.
fn a_deleted_entry_is_caught(kind: Kind) {
    let (_p, mut store) = victim(kind, "deleted");
    store.raw_execute("DELETE FROM ledger_entries WHERE store_seq = 7", &[]).unwrap();
    let (_, _, p) = problem(&mut store, &VerifyOptions::default());
    assert!(matches!(p, VerifyProblem::StoreOrderGap { expected: 7, found: 8 }), "{p:?}");
}

/// A row deleted and the store order renumbered to hide it: the series has a hole.
fn a_deleted_entry_with_renumbered_order_is_caught(kind: Kind) {
    let (_p, mut store) = victim(kind, "renumber");
    store.raw_execute("DELETE FROM ledger_entries WHERE store_seq = 7", &[]).unwrap();
    for s in 8..=12i64 {
        store
            .raw_execute(
                "UPDATE ledger_entries SET store_seq = $1 WHERE store_seq = $2",
                &[(s - 1).into(), s.into()],
            )
            .unwrap();
    }
    store.raw_execute("UPDATE ledger_counter SET store_seq_head = 11", &[]).unwrap();
    let (_, seq, p) = problem(&mut store, &VerifyOptions::default());
    assert_eq!(seq, Some(8));
    assert!(matches!(p, VerifyProblem::SequenceGap { expected: 7, found: 8 }), "{p:?}");
}

/// Two entries swapped (bytes, hashes and index columns): the series is out of order.
fn reordered_entries_are_caught(kind: Kind) {
    let (_p, mut store) = victim(kind, "reorder");
    let rows = store
        .raw_query("SELECT store_seq, site_seq, entry_hash, entry FROM ledger_entries WHERE store_seq IN (4, 9) ORDER BY store_seq", &[])
        .unwrap();
    store.raw_execute("DELETE FROM ledger_entries WHERE store_seq IN (4, 9)", &[]).unwrap();
    for (target, src) in [(4i64, &rows[1]), (9, &rows[0])] {
        store
            .raw_execute(
                "INSERT INTO ledger_entries (store_seq, site, site_seq, entry_hash, event_type, time_ms, entry)
                 VALUES ($1, 'centre', $2, $3, 'drill.marker_recorded', $4, $5)",
                &[target.into(), src[1].clone(), src[2].clone(), NOW.into(), src[3].clone()],
            )
            .unwrap();
    }
    let (_, seq, p) = problem(&mut store, &VerifyOptions::default());
    assert_eq!(seq, Some(9));
    assert!(matches!(p, VerifyProblem::SequenceGap { expected: 4, found: 9 }), "{p:?}");
}

/// An entry inserted in the middle and every later entry re-chained and renumbered: the
/// chain is consistent again, but the signed checkpoint no longer matches the head.
fn an_inserted_entry_with_the_chain_recomputed_is_caught_by_checkpoints(kind: Kind) {
    let (_p, mut store) = victim(kind, "insert");
    let entries: Vec<Entry> =
        all_entries(&mut store).into_iter().map(|b| Entry::decode(b).unwrap()).collect();
    let mut forged: Vec<Entry> = entries[..6].to_vec();
    let extra = gapura_ledger::EntryDraft {
        time_ms: NOW,
        actor: actor(),
        event_type: gapura_ledger::EventType::parse("drill.marker_recorded").unwrap(),
        schema_version: 1,
        body: marker("forged", 99).encode(),
    };
    let mut later: Vec<gapura_ledger::EntryDraft> = vec![extra];
    later.extend(entries[6..].iter().map(|e| gapura_ledger::EntryDraft {
        time_ms: e.time_ms,
        actor: e.actor.clone(),
        event_type: e.event_type.clone(),
        schema_version: e.schema_version,
        body: e.body.clone(),
    }));
    for d in later {
        let prev = forged.last().unwrap();
        forged.push(Entry::seal(&site_id("centre"), &tz(), prev.site_seq + 1, prev.hash, &d).unwrap());
    }
    store.raw_execute("DELETE FROM ledger_entries", &[]).unwrap();
    for (i, e) in forged.iter().enumerate() {
        store
            .raw_execute(
                "INSERT INTO ledger_entries (store_seq, site, site_seq, entry_hash, event_type, time_ms, entry) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[(i as i64 + 1).into(), "centre".into(), (e.site_seq as i64).into(), e.hash.0.to_vec().into(), e.event_type.as_str().into(), e.time_ms.into(), e.bytes.clone().into()],
            )
            .unwrap();
    }
    let last = forged.last().unwrap();
    store
        .raw_execute("UPDATE ledger_counter SET store_seq_head = $1", &[(forged.len() as i64).into()])
        .unwrap();
    store
        .raw_execute(
            "UPDATE ledger_series SET entries = $1, head_hash = $2",
            &[(last.site_seq as i64).into(), last.hash.0.to_vec().into()],
        )
        .unwrap();
    let (_, seq, p) = problem(&mut store, &VerifyOptions::default());
    assert_eq!(seq, Some(12), "the checkpoint at count 12 no longer names the entry there");
    assert!(matches!(p, VerifyProblem::CheckpointMismatch { count: 12, .. }), "{p:?}");
}

/// A whole forged series slipped in (with a key of the attacker's own): consistent by
/// itself, caught as soon as verification is given the trusted keys.
fn an_inserted_foreign_series_is_caught_by_trusted_keys(kind: Kind) {
    let (p, mut store) = victim(kind, "foreign");
    let genesis = Entry::decode(entry_at(&mut store, 1)).unwrap();
    let trusted_key =
        serde_json::from_slice::<gapura_ledger::SeriesOpened>(&genesis.body).unwrap().public_key;
    let forger_place = Place::new(Kind::Sqlite, "forger");
    let mut forger = forger_place.init("post-evil");
    let entries = all_entries(&mut forger);
    store.ingest(entries, &[]).expect("a well-formed series is accepted by ingest");
    verify(&mut store, &VerifyOptions::default()).expect("without trust anchors it is self-consistent");
    let opts = VerifyOptions {
        trusted: Some(TrustedKeys([trusted_key].into_iter().collect())),
        ..Default::default()
    };
    let (site, _, prob) = problem(&mut store, &opts);
    assert_eq!(site.as_deref(), Some("post-evil"));
    assert!(matches!(prob, VerifyProblem::UntrustedKey(_)), "{prob:?}");
    drop(p);
}

/// A projection row edited directly: the ledger is intact, `--deep` finds the row.
fn an_edited_projection_row_is_caught_by_deep_verify(kind: Kind) {
    let (_p, mut store) = victim(kind, "projection");
    store.raw_execute("UPDATE drill_markers SET markers = 500", &[]).unwrap();
    verify(&mut store, &VerifyOptions::default()).expect("the ledger itself is intact");
    let (_, _, p) = problem(&mut store, &VerifyOptions { deep: true, ..Default::default() });
    match p {
        VerifyProblem::Projection { table, detail } => {
            assert_eq!(table, "drill_markers");
            assert!(detail.contains("500"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    store.raw_execute("DELETE FROM drill_markers", &[]).unwrap();
    let (_, _, p) = problem(&mut store, &VerifyOptions { deep: true, ..Default::default() });
    assert!(matches!(p, VerifyProblem::Projection { .. }), "a deleted projection row is caught too: {p:?}");
}

/// The attacker replaces the whole ledger with a rewritten history, every hash recomputed
/// and every checkpoint re-signed with a key of their own.
fn a_rewrite_re_signed_with_another_key_is_caught_by_trusted_keys(kind: Kind) {
    let (_p, mut store) = victim(kind, "resign");
    let original_key = store.public_key().unwrap();
    let forger_place = Place::new(Kind::Sqlite, "forger");
    let mut forger = forger_place.init("centre");
    forger.append(&actor(), &(1..=11).map(|i| marker("rewritten", i)).collect::<Vec<_>>(), NOW).unwrap();
    forger.checkpoint_now(NOW).unwrap();
    for table in ["ledger_entries", "ledger_series", "ledger_keys", "ledger_checkpoints", "ledger_counter"] {
        let rows = forger.raw_query(&format!("SELECT * FROM {table}"), &[]).unwrap();
        store.raw_execute(&format!("DELETE FROM {table}"), &[]).unwrap();
        for r in rows {
            let ph: Vec<String> = (1..=r.len()).map(|i| format!("${i}")).collect();
            store.raw_execute(&format!("INSERT INTO {table} VALUES ({})", ph.join(", ")), &r).unwrap();
        }
    }
    store.raw_execute("DELETE FROM drill_markers", &[]).unwrap();
    store.replay(&mut |_, _| {}).unwrap();
    verify(&mut store, &VerifyOptions { deep: true, ..Default::default() })
        .expect("self-consistent without trust anchors");
    let opts = VerifyOptions {
        trusted: Some(TrustedKeys([original_key].into_iter().collect())),
        ..Default::default()
    };
    let (site, seq, p) = problem(&mut store, &opts);
    assert_eq!((site.as_deref(), seq), (Some("centre"), Some(1)));
    assert!(matches!(p, VerifyProblem::UntrustedKey(_)), "{p:?}");
}

/// The last entries removed, with the head and counters patched and the store's own later
/// checkpoints deleted: a checkpoint held elsewhere (an earlier export) proves the loss.
fn a_truncated_tail_is_caught_by_checkpoints_held_elsewhere(kind: Kind) {
    let (p, mut store) = victim(kind, "truncate");
    let export = p.dir.path().join("earlier-export");
    store.export(&export, NOW, &mut |_, _| {}).unwrap();
    let held_elsewhere = gapura_store::read_checkpoint_dir(&export.join("checkpoints")).unwrap();
    let keep = 8i64;
    store.raw_execute("DELETE FROM ledger_entries WHERE store_seq > $1", &[keep.into()]).unwrap();
    // The store's own checkpoints still vouch for the lost entries.
    let (_, _, prob) = problem(&mut store, &VerifyOptions::default());
    assert!(
        matches!(
            prob,
            VerifyProblem::HeadMismatch { .. }
                | VerifyProblem::StoreOrderGap { .. }
                | VerifyProblem::Truncated { .. }
        ),
        "{prob:?}"
    );
    // A careful attacker patches everything the store itself holds.
    let head = Entry::decode(entry_at(&mut store, keep)).unwrap();
    store.raw_execute("UPDATE ledger_counter SET store_seq_head = $1", &[keep.into()]).unwrap();
    store
        .raw_execute(
            "UPDATE ledger_series SET entries = $1, head_hash = $2",
            &[keep.into(), head.hash.0.to_vec().into()],
        )
        .unwrap();
    store.raw_execute("DELETE FROM ledger_checkpoints WHERE entry_count > $1", &[keep.into()]).unwrap();
    verify(&mut store, &VerifyOptions::default())
        .expect("with nothing held elsewhere the loss is invisible (documented)");
    let opts = VerifyOptions { checkpoints: held_elsewhere, ..Default::default() };
    let (site, _, prob) = problem(&mut store, &opts);
    assert_eq!(site.as_deref(), Some("centre"));
    assert!(matches!(prob, VerifyProblem::Truncated { checkpoint_count: 12, entries: 8 }), "{prob:?}");
}

/// An index column beside the entry edited (so queries would lie): caught.
fn a_changed_index_column_is_caught(kind: Kind) {
    let (_p, mut store) = victim(kind, "column");
    store
        .raw_execute(
            "UPDATE ledger_entries SET event_type = $1 WHERE store_seq = 3",
            &[Value::from("service_point.registered")],
        )
        .unwrap();
    let (_, seq, p) = problem(&mut store, &VerifyOptions::default());
    assert_eq!(seq, Some(3));
    assert!(matches!(p, VerifyProblem::ColumnMismatch { column: "event_type", .. }), "{p:?}");
}
