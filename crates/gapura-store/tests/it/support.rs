//! One harness per engine: a fresh store location, its key path, and helpers.

use std::path::PathBuf;

use gapura_domain::{Event, ServicePoint, ServicePointCode, ServicePointKind};
use gapura_ledger::{ActorId, SiteId, TimeZoneName};
use gapura_store::postgres::ScratchDatabase;
use gapura_store::{Location, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh place for a store on one engine, removed when dropped.
pub struct Place {
    pub location: Location,
    pub key: Option<PathBuf>,
    pub dir: tempfile::TempDir,
    _db: Option<ScratchDatabase>,
}

pub fn postgres_base() -> Option<String> {
    gapura_store::postgres::test_server_from_env().unwrap_or_else(|e| panic!("{e}"))
}

impl Place {
    /// A fresh place; for PostgreSQL the caller has checked that a server is configured.
    pub fn new(kind: Kind, label: &str) -> Place {
        Self::try_new(kind, label).expect("a PostgreSQL server (GAPURA_TEST_POSTGRES_URL)")
    }

    /// `None` (after saying so) when the engine is PostgreSQL and no server is configured.
    pub fn try_new(kind: Kind, label: &str) -> Option<Place> {
        let dir = tempfile::tempdir().expect("temp dir");
        match kind {
            Kind::Sqlite => Some(Place {
                location: Location::Sqlite(dir.path().join("store")),
                key: None,
                dir,
                _db: None,
            }),
            Kind::Postgres => {
                let Some(base) = postgres_base() else {
                    eprintln!("skipped: {label} on PostgreSQL (GAPURA_TEST_POSTGRES_URL is not set)");
                    return None;
                };
                let db = ScratchDatabase::create(&base, label).expect("create scratch database");
                Some(Place {
                    location: Location::Postgres(db.url.clone()),
                    key: Some(dir.path().join("site.key")),
                    dir,
                    _db: Some(db),
                })
            }
        }
    }

    pub fn init(&self, site: &str) -> Store {
        Store::init(&self.location, site_id(site), tz(), self.key.as_deref(), NOW).expect("init store")
    }

    pub fn open(&self) -> Store {
        Store::open(&self.location, self.key.as_deref()).expect("open store")
    }

    /// Where this engine's key file is (inside the directory for SQLite).
    pub fn key_path(&self) -> PathBuf {
        match &self.location {
            Location::Sqlite(d) => d.join(gapura_store::KEY_FILE),
            Location::Postgres(_) => self.key.clone().expect("postgres places have a key path"),
        }
    }
}

/// A fixed clock for tests: 2026-11-23T00:00:00Z.
pub const NOW: i64 = 1_795_392_000_000;

pub fn site_id(s: &str) -> SiteId {
    SiteId::parse(s).expect("site id")
}
pub fn tz() -> TimeZoneName {
    TimeZoneName::parse("Asia/Jakarta").expect("tz")
}
pub fn actor() -> ActorId {
    ActorId::parse("officer:test-01").expect("actor")
}

pub fn point(code: &str, name: &str) -> Event {
    Event::ServicePointRegistered(ServicePoint {
        code: ServicePointCode::parse(code).expect("code"),
        name: name.into(),
        kind: ServicePointKind::Seaport,
        parent_code: None,
        province: "Kepulauan Riau".into(),
        city: Some("Batam".into()),
        time_zone: Some("Asia/Jakarta".into()),
    })
}

pub fn marker(drill: &str, number: u64) -> Event {
    Event::DrillMarkerRecorded { drill: drill.into(), number, padding: String::new() }
}

/// Every entry of a store in store order.
pub fn all_entries(store: &mut Store) -> Vec<Vec<u8>> {
    store.read_entries(0, i64::MAX).expect("read entries").into_iter().map(|(_, b)| b).collect()
}

/// Verifies with default options and returns the outcome.
pub fn verify(
    store: &mut Store,
    opts: &gapura_store::VerifyOptions,
) -> Result<gapura_ledger::VerifySummary, gapura_ledger::VerifyFailure> {
    store.verify(opts, &mut |_, _| {}).expect("store readable")
}

/// Declares each story once per engine: `sqlite::name` always, `postgres::name` when a
/// server is configured (and says it is skipped otherwise).
#[macro_export]
macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::support::Kind::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                if $crate::support::postgres_base().is_none() {
                    eprintln!("skipped: {} on PostgreSQL (GAPURA_TEST_POSTGRES_URL is not set)", stringify!($name));
                    return;
                }
                super::$name($crate::support::Kind::Postgres)
            } )*
        }
    };
}
