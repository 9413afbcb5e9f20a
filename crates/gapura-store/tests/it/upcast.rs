//! The committed export of a version 1 ledger (`tests/fixtures/ledger-v1-export`) still
//! imports and verifies on every engine, and its v1 events are read as v2.

use std::path::PathBuf;

use gapura_domain::ServicePointRegisteredV1;
use gapura_ledger::{EntryDraft, EventType, TrustedKeys};
use gapura_store::sql::Value;
use gapura_store::{verify_export, ImportOptions, Store, VerifyOptions};

use crate::stories;
use crate::support::*;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger-v1-export")
}

stories!(the_v1_export_imports_verifies_and_upcasts);

/// Imported on each engine, the v1 ledger verifies against its published keys and its v1
/// service points are projected with v2 kinds and time zones.
fn the_v1_export_imports_verifies_and_upcasts(kind: Kind) {
    let keys = std::fs::read_to_string(fixture().join("public-keys.txt")).expect("fixture keys");
    let trusted = TrustedKeys::parse(&keys).expect("keys parse");
    verify_export(&fixture(), Some(trusted.clone()), Vec::new(), &mut |_, _| {})
        .expect("readable")
        .expect("the v1 export verifies offline");
    let place = Place::new(kind, "v1");
    let opts = ImportOptions { trusted: Some(trusted.clone()), ..Default::default() };
    let (mut store, summary) =
        Store::import(&fixture(), &place.location, &opts, NOW, &mut |_, _| {}).expect("import");
    assert_eq!(summary.series.len(), 1);
    verify(&mut store, &VerifyOptions { trusted: Some(trusted), deep: true, ..Default::default() })
        .expect("verifies");
    let rows = store
        .raw_query(
            "SELECT kind, time_zone, parent_code FROM service_points WHERE code = $1",
            &[Value::from("TPI-DPS")],
        )
        .unwrap();
    assert_eq!(rows[0], vec![Value::from("airport"), Value::from("Asia/Makassar"), Value::Null]);
    let rows = store
        .raw_query("SELECT kind, time_zone FROM service_points WHERE code = $1", &[Value::from("KBRI-TYO")])
        .unwrap();
    assert_eq!(rows[0], vec![Value::from("mission_abroad"), Value::Null]);
    let v1 = store
        .raw_query("SELECT COUNT(*) FROM ledger_entries WHERE event_type = 'service_point.registered'", &[])
        .unwrap();
    assert_eq!(v1[0][0], Value::Int(6));
}

/// Writes the fixture. Run once, by hand, with GAPURA_WRITE_FIXTURES=1; the output is
/// committed and must never be regenerated for an existing format.
#[test]
fn write_v1_fixture_when_asked() {
    if std::env::var("GAPURA_WRITE_FIXTURES").as_deref() != Ok("1") {
        return;
    }
    let place = Place::new(Kind::Sqlite, "fixture");
    let mut store = place.init("centre");
    let points = [
        ("KANWIL-BALI", "Kantor Wilayah Bali", "kanwil", "Bali"),
        ("TPI-DPS", "TPI Bandara I Gusti Ngurah Rai", "tpi_udara", "Bali"),
        ("TPI-BTM", "TPI Pelabuhan Batam Center", "tpi_laut", "Kepulauan Riau"),
        ("PLBN-SKOUW", "TPI PLBN Skouw", "tpi_darat", "Papua"),
        ("RUDENIM-JKT", "Rumah Detensi Imigrasi Jakarta", "rudenim", "DKI Jakarta"),
        ("KBRI-TYO", "KBRI Tokyo", "perwakilan", "Japan"),
    ];
    let drafts: Vec<EntryDraft> = points
        .iter()
        .map(|(code, name, kind, region)| EntryDraft {
            time_ms: NOW,
            actor: actor(),
            event_type: EventType::parse("service_point.registered").unwrap(),
            schema_version: 1,
            body: ServicePointRegisteredV1 {
                code: gapura_domain::ServicePointCode::parse(code).unwrap(),
                name: (*name).into(),
                kind: (*kind).into(),
                region: (*region).into(),
            }
            .encode(),
        })
        .collect();
    store.append_drafts(&drafts, NOW).unwrap();
    let out = fixture();
    let _ = std::fs::remove_dir_all(&out);
    store.export(&out, NOW, &mut |_, _| {}).unwrap();
}
