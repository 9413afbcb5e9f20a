//! What every engine must do: append and read back, ingest another site's series exactly
//! once, stay gapless under concurrent writers, commit atomically, replay, export and import.

use gapura_domain::Event;
use gapura_ledger::{Entry, EntryDraft, EventType, TrustedKeys};
use gapura_store::sql::Value;
use gapura_store::{
    GroupCommitter, ImportOptions, IngestRefusal, Location, Store, StoreError, VerifyOptions,
};

use crate::stories;
use crate::support::*;

stories!(
    append_and_read_back,
    ingest_is_exactly_once_and_refuses_conflicts_and_gaps,
    concurrent_writers_stay_gapless,
    group_commit_acknowledges_every_append_in_order,
    a_failing_transaction_leaves_nothing_behind,
    replay_rebuilds_the_same_state,
    export_import_round_trip_on_the_same_engine,
    key_rotation_is_signed_by_the_old_key_and_survives_reopen,
    a_store_without_its_key_reads_but_does_not_append,
    init_refuses_an_existing_store,
    verify_and_export_during_appends_see_a_consistent_snapshot,
    content_is_stored_by_hash_travels_with_exports_and_tampering_is_caught,
);

/// Content larger than a chunk is stored once by its hash, read back exactly, carried by an
/// export into another store, and a damaged chunk is caught by deep verification, by
/// reading, and by offline verification of an export.
fn content_is_stored_by_hash_travels_with_exports_and_tampering_is_caught(kind: Kind) {
    let place = Place::new(kind, "content");
    let mut store = place.init("centre");
    let big: Vec<u8> =
        (0..(gapura_store::CONTENT_CHUNK_BYTES * 2 + 12_345)).map(|i| (i * 31 % 251) as u8).collect();
    let file = place.dir.path().join("stolen-documents.csv");
    std::fs::write(&file, &big).unwrap();
    let r = store.put_content_file(&file).expect("store a file");
    assert_eq!((r.sha256, r.size), (gapura_ledger::Hash::of(&big), big.len() as u64));
    assert_eq!(store.put_content(&big).unwrap(), r, "the same bytes are stored once");
    let photo = store.put_content(b"\xff\xd8 synthetic face image").unwrap();
    assert_eq!(store.content_list().unwrap().len(), 2);
    let mut back = Vec::new();
    assert_eq!(store.read_content(&r.sha256, &mut back).unwrap(), big.len() as u64);
    assert_eq!(back, big);

    let out = place.dir.path().join("export");
    store.export(&out, NOW, &mut |_, _| {}).unwrap();
    let copy = Place::new(kind, "content-copy");
    let (mut restored, _) =
        Store::import(&out, &copy.location, &ImportOptions::default(), NOW, &mut |_, _| {}).unwrap();
    assert_eq!(restored.content_list().unwrap(), store.content_list().unwrap());
    let mut back = Vec::new();
    restored.read_content(&photo.sha256, &mut back).unwrap();
    assert_eq!(back, b"\xff\xd8 synthetic face image");

    // Damage one chunk in the database.
    store
        .raw_execute(
            "UPDATE content_chunks SET bytes = $1 WHERE sha256 = $2 AND chunk_no = 1",
            &[Value::Blob(vec![0u8; 10]), Value::Blob(r.sha256.0.to_vec())],
        )
        .unwrap();
    verify(&mut store, &VerifyOptions::default()).expect("the ledger itself is intact");
    let f = verify(&mut store, &VerifyOptions { deep: true, ..Default::default() })
        .expect_err("deep verify checks content");
    assert!(
        matches!(f.problem, gapura_ledger::VerifyProblem::Content { sha256, .. } if sha256 == r.sha256),
        "{f}"
    );
    assert!(matches!(store.read_content(&r.sha256, &mut Vec::new()), Err(StoreError::Corrupt(_))));
    // Damage the exported file.
    let exported = out.join("content").join(r.sha256.to_hex());
    let mut bytes = std::fs::read(&exported).unwrap();
    bytes[7] ^= 1;
    std::fs::write(&exported, bytes).unwrap();
    let f = gapura_store::verify_export(&out, None, Vec::new(), &mut |_, _| {})
        .unwrap()
        .expect_err("offline verify checks content");
    assert!(matches!(f.problem, gapura_ledger::VerifyProblem::Content { .. }), "{f}");
}

/// Verifying and exporting while another connection appends never raises a false alarm:
/// both read one snapshot.
fn verify_and_export_during_appends_see_a_consistent_snapshot(kind: Kind) {
    let place = Place::new(kind, "snapshot");
    let mut store = place.init("centre");
    store.append(&actor(), &(0..200).map(|i| marker("before", i)).collect::<Vec<_>>(), NOW).unwrap();
    let (loc, key) = (place.location.clone(), place.key.clone());
    let writer = std::thread::spawn(move || {
        let mut w = Store::open(&loc, key.as_deref()).expect("open");
        for i in 0..400 {
            w.append(&actor(), &[marker("during", i)], NOW + i as i64 * 1_000).expect("append");
        }
    });
    let mut runs = 0;
    while !writer.is_finished() || runs < 3 {
        verify(&mut store, &VerifyOptions { deep: runs % 2 == 0, ..Default::default() })
            .expect("a consistent snapshot verifies");
        let out = place.dir.path().join(format!("export-{runs}"));
        store.export(&out, NOW, &mut |_, _| {}).expect("export during appends");
        gapura_store::verify_export(&out, None, Vec::new(), &mut |_, _| {})
            .unwrap()
            .expect("the export verifies");
        runs += 1;
    }
    writer.join().unwrap();
    assert_eq!(verify(&mut store, &VerifyOptions::default()).unwrap().entries, 601);
}

/// Appended events come back as the same bytes, chained, and the projections show them.
fn append_and_read_back(kind: Kind) {
    let place = Place::new(kind, "append");
    let mut store = place.init("centre");
    let acks = store
        .append(
            &actor(),
            &[point("TPI-BTM", "TPI Batam Center"), point("TPI-TBK", "TPI Tanjung Balai Karimun")],
            NOW,
        )
        .expect("append");
    assert_eq!(acks.iter().map(|a| (a.store_seq, a.site_seq)).collect::<Vec<_>>(), vec![(2, 2), (3, 3)]);
    let entries = all_entries(&mut store);
    assert_eq!(entries.len(), 3);
    let e = Entry::decode(entries[2].clone()).expect("decodes");
    assert_eq!(e.hash, acks[1].hash);
    assert_eq!(e.prev_hash, acks[0].hash);
    assert_eq!(e.event_type.as_str(), "service_point.registered");
    assert_eq!(store.count_rows("service_points").unwrap(), 2);
    store.close(NOW).unwrap();
    let mut store = place.open();
    let summary = verify(&mut store, &VerifyOptions::default()).expect("verifies");
    assert_eq!(summary.entries, 3);
    assert_eq!(summary.series[0].checkpointed, 3, "the clean close signed a checkpoint of the head");
}

/// A post's series ingested by the centre: again is a no-op, a different entry at a held
/// place is refused by name, a gap is refused, and a refused batch records nothing.
fn ingest_is_exactly_once_and_refuses_conflicts_and_gaps(kind: Kind) {
    let post_place = Place::new(Kind::Sqlite, "post");
    let mut post = post_place.init("post-entikong");
    post.append(&actor(), &[marker("crossings", 1), marker("crossings", 2)], NOW).unwrap();
    post.checkpoint_now(NOW + 1).unwrap();
    let post_entries = all_entries(&mut post);
    let post_cps = post.checkpoints().unwrap();

    let centre_place = Place::new(kind, "centre");
    let mut centre = centre_place.init("centre");
    let r = centre.ingest(post_entries.clone(), &post_cps).expect("ingest");
    assert_eq!((r.appended, r.duplicates), (3, 0));
    let r = centre.ingest(post_entries.clone(), &post_cps).expect("ingest again");
    assert_eq!((r.appended, r.duplicates), (0, 3), "handing over twice records once");
    assert_eq!(centre.count_rows("drill_markers").unwrap(), 1);

    // The same site id with other bytes at sequence 1: refused by name.
    let impostor_place = Place::new(Kind::Sqlite, "impostor");
    let mut impostor = impostor_place.init("post-entikong");
    let before = centre.entry_count().unwrap();
    match centre.ingest(all_entries(&mut impostor), &[]) {
        Err(StoreError::Refused(IngestRefusal::Conflict { site, site_seq: 1, .. })) => {
            assert_eq!(site.as_str(), "post-entikong")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // A gap: the post's next entries without the one before them.
    post.append(&actor(), &[marker("crossings", 3), marker("crossings", 4)], NOW).unwrap();
    let later = all_entries(&mut post);
    match centre.ingest(vec![later[4].clone()], &[]) {
        Err(StoreError::Refused(IngestRefusal::Gap { expected: 4, found: 5, .. })) => {}
        other => panic!("expected a gap, got {other:?}"),
    }
    // A batch with a good entry followed by a bad one records neither.
    let mut bad = later[4].clone();
    let n = bad.len();
    bad[n - 2] ^= 1;
    assert!(centre.ingest(vec![later[3].clone(), bad], &[]).is_err());
    assert_eq!(centre.entry_count().unwrap(), before, "a refused batch records nothing");
    let r = centre.ingest(later, &[]).expect("the rest of the series");
    assert_eq!((r.appended, r.duplicates), (2, 3));
    let summary = verify(&mut centre, &VerifyOptions::default()).expect("verifies");
    assert_eq!(summary.series.len(), 2);
}

/// Two connections (as two processes would) appending at once give gapless series and store
/// order. The cross-process version of this test lives in the CLI's tests.
fn concurrent_writers_stay_gapless(kind: Kind) {
    let place = Place::new(kind, "concurrent");
    place.init("centre").close(NOW).unwrap();
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let (loc, key) = (place.location.clone(), place.key.clone());
            std::thread::spawn(move || {
                let mut s = Store::open(&loc, key.as_deref()).expect("open");
                for i in 0..40 {
                    s.append(&actor(), &[marker(&format!("writer-{t}"), i)], NOW).expect("append");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    let mut store = place.open();
    let seqs: Vec<i64> = store
        .raw_query("SELECT store_seq FROM ledger_entries ORDER BY store_seq", &[])
        .unwrap()
        .into_iter()
        .map(|r| r[0].int().unwrap())
        .collect();
    assert_eq!(seqs, (1..=81).collect::<Vec<i64>>());
    let summary = verify(&mut store, &VerifyOptions::default()).expect("verifies");
    assert_eq!(summary.series[0].entries, 81);
}

/// Many threads appending through the group committer: every append is acknowledged, in a
/// gapless order, and the ledger verifies.
fn group_commit_acknowledges_every_append_in_order(kind: Kind) {
    let place = Place::new(kind, "group");
    let store = place.init("centre");
    let gc = GroupCommitter::start(store, std::sync::Arc::new(|| NOW));
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let h = gc.handle();
            std::thread::spawn(move || {
                (0..50)
                    .map(|i| {
                        h.append(&actor(), &[marker(&format!("gate-{t}"), i)]).expect("append")[0].store_seq
                    })
                    .collect::<Vec<u64>>()
            })
        })
        .collect();
    let mut all: Vec<u64> = threads.into_iter().flat_map(|t| t.join().expect("thread")).collect();
    // A bad request in a group must not fail the others.
    let h = gc.handle();
    let bad = h.append(
        &actor(),
        &[Event::CountryRegistered {
            code: gapura_domain::CountryCode::parse("IDN").unwrap(),
            name: "".into(),
        }],
    );
    assert!(matches!(bad, Err(StoreError::Invalid(_))), "{bad:?}");
    let mut store = gc.shutdown();
    assert!(h.append(&actor(), &[marker("late", 1)]).is_err(), "a handle outliving the writer is told so");
    all.sort();
    assert_eq!(all, (2..=301).collect::<Vec<u64>>());
    assert_eq!(store.count_rows("drill_markers").unwrap(), 6);
    verify(&mut store, &VerifyOptions::default()).expect("verifies");
}

/// An error in the middle of a transaction rolls back its entries, projections and counters.
fn a_failing_transaction_leaves_nothing_behind(kind: Kind) {
    let place = Place::new(kind, "atomic");
    let mut store = place.init("centre");
    let before = (store.entry_count().unwrap(), store.state_digest().unwrap());
    let good = EntryDraft {
        time_ms: NOW,
        actor: actor(),
        event_type: EventType::parse("service_point.registered").unwrap(),
        schema_version: 2,
        body: match point("TPI-DUM", "TPI Dumai") {
            e @ Event::ServicePointRegistered(_) => e.encode(),
            _ => unreachable!(),
        },
    };
    let unknown =
        EntryDraft { event_type: EventType::parse("future.thing_happened").unwrap(), ..good.clone() };
    let err = store.append_drafts(&[good, unknown], NOW).expect_err("the second event is unknown");
    assert!(err.to_string().contains("future.thing_happened"), "{err}");
    assert_eq!((store.entry_count().unwrap(), store.state_digest().unwrap()), before);
    assert_eq!(
        store.count_rows("service_points").unwrap(),
        0,
        "the first event's projection was rolled back"
    );
    store.append(&actor(), &[marker("after", 1)], NOW).expect("the store still appends");
    verify(&mut store, &VerifyOptions::default()).expect("verifies");
}

/// Replaying the whole ledger gives the state that appending built.
fn replay_rebuilds_the_same_state(kind: Kind) {
    let place = Place::new(kind, "replay");
    let mut store = place.init("centre");
    store.append(&actor(), &gapura_domain::demo::reference_events().unwrap(), NOW).unwrap();
    store
        .append(
            &actor(),
            &[Event::ServicePointRenamed {
                code: gapura_domain::ServicePointCode::parse("TPI-CGK").unwrap(),
                name: "TPI Bandara Soekarno-Hatta Terminal 3".into(),
            }],
            NOW,
        )
        .unwrap();
    let incremental = store.projection_dump().unwrap();
    store.raw_execute("DELETE FROM countries", &[]).unwrap();
    store.raw_execute("UPDATE service_points SET name = $1", &[Value::from("wrong")]).unwrap();
    let report = store.replay(&mut |_, _| {}).expect("replay");
    assert_eq!(report.entries, store.entry_count().unwrap());
    assert_eq!(store.projection_dump().unwrap(), incremental);
}

/// Export then import into a new store on the same engine: same state, same heads; the key
/// continues the series; without a key the copy is read-only.
fn export_import_round_trip_on_the_same_engine(kind: Kind) {
    let src = Place::new(kind, "src");
    let mut store = src.init("centre");
    store.append(&actor(), &gapura_domain::demo::reference_events().unwrap(), NOW).unwrap();
    let out = src.dir.path().join("export");
    store.export(&out, NOW, &mut |_, _| {}).expect("export");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "an export holds personal data: owner only");
    }
    let digest = store.state_digest().unwrap();
    let heads = store.series_rows().unwrap();

    let dst = Place::new(kind, "dst");
    let opts = ImportOptions { key_path: Some(src.key_path()), ..Default::default() };
    let (mut copy, summary) = Store::import(&out, &dst.location, &opts, NOW, &mut |_, _| {}).expect("import");
    assert_eq!(summary.entries, store.entry_count().unwrap());
    assert_eq!(copy.state_digest().unwrap(), digest);
    assert_eq!(copy.series_rows().unwrap(), heads);
    assert_eq!(copy.home_site().map(|s| s.as_str()), Some("centre"));
    copy.append(&actor(), &[marker("after-restore", 1)], NOW)
        .expect("the restored site continues its series");
    verify(&mut copy, &VerifyOptions { deep: true, ..Default::default() }).expect("verifies deep");

    let ro = Place::new(kind, "readonly");
    let (mut ro_store, _) =
        Store::import(&out, &ro.location, &ImportOptions::default(), NOW, &mut |_, _| {}).expect("import");
    assert!(matches!(ro_store.append(&actor(), &[marker("x", 1)], NOW), Err(StoreError::CannotAppend(_))));
    // Importing the same export again into an existing store is a no-op.
    drop(ro_store);
    let (mut again, _) =
        Store::import(&out, &ro.location, &ImportOptions::default(), NOW, &mut |_, _| {}).expect("re-import");
    assert_eq!(again.entry_count().unwrap(), summary.entries);
    ro_store = again;
    assert_eq!(ro_store.state_digest().unwrap(), digest);
}

/// A rotated key signs later checkpoints; the rotation is verified against the old key, the
/// store reopens with the new key, and a trusted genesis key still anchors the series.
fn key_rotation_is_signed_by_the_old_key_and_survives_reopen(kind: Kind) {
    let place = Place::new(kind, "rotate");
    let mut store = place.init("centre");
    let genesis = store.public_key().unwrap();
    let new_key_path = match kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(place.dir.path().join("site-2.key")),
    };
    // Far enough after the last checkpoint that one is due during the rotation itself.
    let later = NOW + gapura_store::CHECKPOINT_INTERVAL_MS * 2;
    let new = store.rotate_key(new_key_path.as_deref(), later).expect("rotate");
    assert_ne!(new, genesis);
    assert!(!place.key_path().with_file_name("site.key.next").exists(), "no staged key is left behind");
    store.append(&actor(), &[marker("after-rotation", 1)], later + 2).unwrap();
    store.close(later + 3).unwrap();
    let mut store =
        Store::open(&place.location, new_key_path.as_deref().or(place.key.as_deref())).expect("reopen");
    assert_eq!(store.public_key(), Some(new));
    let trusted = TrustedKeys([genesis].into_iter().collect());
    let summary = verify(&mut store, &VerifyOptions { trusted: Some(trusted), ..Default::default() })
        .expect("verifies");
    assert_eq!(summary.series[0].key, new);
    assert_eq!(summary.series[0].checkpointed, summary.series[0].entries);
    // The old key no longer opens the store for appending.
    if let Kind::Postgres = kind {
        let old = Store::open(&place.location, place.key.as_deref());
        assert!(matches!(old, Err(StoreError::CannotAppend(_))), "{old:?}");
    }
}

/// Without its key a store can be read and verified but refuses to append, saying why.
fn a_store_without_its_key_reads_but_does_not_append(kind: Kind) {
    let place = Place::new(kind, "nokey");
    place.init("centre").close(NOW).unwrap();
    std::fs::rename(place.key_path(), place.dir.path().join("moved.key")).unwrap();
    let mut store = Store::open(&place.location, place.key.as_deref()).expect("opens without key");
    verify(&mut store, &VerifyOptions::default()).expect("verifies");
    let err = store.append(&actor(), &[marker("x", 1)], NOW).expect_err("no key");
    assert!(err.to_string().contains("key"), "{err}");
}

/// Creating a store where one exists is refused, and the existing store is untouched.
fn init_refuses_an_existing_store(kind: Kind) {
    let place = Place::new(kind, "exists");
    let mut store = place.init("centre");
    let digest = store.state_digest().unwrap();
    drop(store);
    if let Location::Postgres(_) = place.location {
        std::fs::rename(place.key_path(), place.dir.path().join("old.key")).unwrap();
    } else {
        // For SQLite, the database file itself marks the store.
    }
    let again = Store::init(&place.location, site_id("centre"), tz(), place.key.as_deref(), NOW);
    assert!(matches!(again, Err(StoreError::AlreadyExists(_))), "{again:?}");
    if let Location::Postgres(_) = place.location {
        std::fs::rename(place.dir.path().join("old.key"), place.key_path()).unwrap();
    }
    assert_eq!(place.open().state_digest().unwrap(), digest);
}
