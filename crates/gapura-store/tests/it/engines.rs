//! What is specific to the engines: durability settings are enforced, the two schemas are
//! the same, and a ledger moves SQLite → PostgreSQL → SQLite with identical state and heads.

use std::collections::BTreeSet;

use gapura_store::postgres::{check_postgres_durability, PgConn, ScratchDatabase};
use gapura_store::sqlite::{check_sqlite_durability, SqliteConn};
use gapura_store::{ImportOptions, Location, Store, StoreError, VerifyOptions};

use crate::support::*;

/// SQLite without a WAL journal (an in-memory database) is refused by name.
#[test]
fn sqlite_without_wal_is_refused() {
    let mut c = SqliteConn::scratch().unwrap();
    match check_sqlite_durability(&mut c) {
        Err(StoreError::Durability { setting, .. }) => assert!(setting.contains("journal_mode")),
        other => panic!("{other:?}"),
    }
}

/// PostgreSQL with `synchronous_commit = off` is refused before anything is written.
#[test]
fn postgres_with_synchronous_commit_off_is_refused() {
    let Some(base) = postgres_base() else {
        eprintln!(
            "skipped: postgres_with_synchronous_commit_off_is_refused (GAPURA_TEST_POSTGRES_URL is not set)"
        );
        return;
    };
    let db = ScratchDatabase::create(&base, "durability").unwrap();
    let name = db.url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin.batch_execute(&format!("ALTER DATABASE {name} SET synchronous_commit = off")).unwrap();
    match Store::create_empty(&Location::Postgres(db.url.clone())) {
        Err(StoreError::Durability { setting, found, .. }) => {
            assert_eq!((setting.as_str(), found.as_str()), ("PostgreSQL synchronous_commit", "off"))
        }
        other => panic!("{other:?}"),
    }
    let mut c = PgConn::open(&base, false).unwrap();
    check_postgres_durability(&mut c).expect("the server's default is durable");
}

fn family(t: &str) -> &'static str {
    match t.to_ascii_lowercase().as_str() {
        "bigint" | "integer" | "int8" => "int",
        "text" => "text",
        "blob" | "bytea" => "bytes",
        _ => "other",
    }
}

/// The one migration tree gives the same tables, columns and column types on both engines.
#[test]
fn both_engines_have_the_same_schema() {
    let Some(base) = postgres_base() else {
        eprintln!("skipped: both_engines_have_the_same_schema (GAPURA_TEST_POSTGRES_URL is not set)");
        return;
    };
    let lite = Place::new(Kind::Sqlite, "schema");
    let mut s = Store::create_empty(&lite.location).unwrap();
    let db = ScratchDatabase::create(&base, "schema").unwrap();
    let mut p = Store::create_empty(&Location::Postgres(db.url.clone())).unwrap();
    let cols = |rows: Vec<Vec<gapura_store::sql::Value>>| -> BTreeSet<(String, String, &'static str)> {
        rows.into_iter()
            .map(|r| {
                (
                    r[0].text().unwrap().to_owned(),
                    r[1].text().unwrap().to_owned(),
                    family(r[2].text().unwrap()),
                )
            })
            .collect()
    };
    let a = cols(
        s.raw_query("SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'", &[])
            .unwrap(),
    );
    let b = cols(
        p.raw_query(
            "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = 'public'",
            &[],
        )
        .unwrap(),
    );
    assert!(a.iter().all(|c| c.2 != "other"), "{a:?}");
    assert_eq!(a, b);
}

/// SQLite → PostgreSQL → SQLite: identical projections and identical series heads, and the
/// continued series verifies on every hop.
#[test]
fn sqlite_to_postgres_to_sqlite_gives_identical_state_and_heads() {
    if postgres_base().is_none() {
        eprintln!("skipped: sqlite_to_postgres_to_sqlite_gives_identical_state_and_heads (GAPURA_TEST_POSTGRES_URL is not set)");
        return;
    }
    let a = Place::new(Kind::Sqlite, "a");
    let mut sa = a.init("centre");
    sa.append(&actor(), &gapura_domain::demo::reference_events().unwrap(), NOW).unwrap();
    let post = Place::new(Kind::Sqlite, "post");
    let mut sp = post.init("post-batam");
    sp.append(&actor(), &(0..30).map(|i| marker("crossings", i)).collect::<Vec<_>>(), NOW).unwrap();
    sp.checkpoint_now(NOW).unwrap();
    let cps = sp.checkpoints().unwrap();
    sa.ingest(all_entries(&mut sp), &cps).unwrap();
    let ex1 = a.dir.path().join("ex1");
    sa.export(&ex1, NOW, &mut |_, _| {}).unwrap();

    let b = Place::new(Kind::Postgres, "b");
    let key = ImportOptions { key_path: Some(a.key_path()), ..Default::default() };
    let (mut sb, _) = Store::import(&ex1, &b.location, &key, NOW, &mut |_, _| {}).unwrap();
    assert_eq!(sb.state_digest().unwrap(), sa.state_digest().unwrap());
    assert_eq!(sb.series_rows().unwrap(), sa.series_rows().unwrap());
    verify(&mut sb, &VerifyOptions { deep: true, ..Default::default() }).expect("verifies on PostgreSQL");
    let ex2 = b.dir.path().join("ex2");
    sb.export(&ex2, NOW, &mut |_, _| {}).unwrap();

    let c = Place::new(Kind::Sqlite, "c");
    let (mut sc, _) = Store::import(&ex2, &c.location, &key, NOW, &mut |_, _| {}).unwrap();
    assert_eq!(sc.state_digest().unwrap(), sa.state_digest().unwrap());
    assert_eq!(sc.series_rows().unwrap(), sa.series_rows().unwrap());
    assert_eq!(sc.checkpoints().unwrap(), sb.checkpoints().unwrap());
    sc.append(&actor(), &[marker("after", 1)], NOW).expect("the centre's series continues");
    verify(&mut sc, &VerifyOptions { deep: true, ..Default::default() }).expect("verifies");
}
