//! The PostgreSQL engine: the central site, chosen by a `postgres://` URL.

use std::collections::HashMap;
use std::error::Error;
use std::str::FromStr;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls};
use tokio_postgres::Statement;

use crate::sql::{Conn, Engine, Row, Value};
use crate::StoreError;

/// A connection driven by its own single-threaded runtime: synchronous to its callers, but
/// able to pipeline many statements in one round trip (`execute_many`).
pub struct PgConn {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    statements: HashMap<String, Statement>,
}

/// Prepared statements kept per connection before the cache is cleared.
const STATEMENT_CACHE_CAPACITY: usize = 256;

fn err(e: tokio_postgres::Error) -> StoreError {
    // The database's own message (with its code) is what an operator needs; the Display of
    // postgres::Error alone says only "db error".
    match e.as_db_error() {
        Some(db) => StoreError::Postgres(format!("{} ({})", db.message(), db.code().code())),
        None => StoreError::Postgres(e.to_string()),
    }
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => i.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    postgres::types::to_sql_checked!();
}

/// Whether a URL names a PostgreSQL store.
pub fn is_postgres_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

impl PgConn {
    /// Connects, creating the database first when `create` is set and it does not exist, and
    /// refuses a server that would acknowledge commits before they are on disk.
    pub fn open(url: &str, create: bool) -> Result<PgConn, StoreError> {
        let config =
            tokio_postgres::Config::from_str(url).map_err(|e| StoreError::Location(format!("{url}: {e}")))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| StoreError::Io { path: "a runtime for PostgreSQL".into(), source })?;
        let connected = match rt.block_on(config.connect(NoTls)) {
            Ok(c) => c,
            Err(e) if create && e.as_db_error().is_some_and(|d| d.code().code() == "3D000") => {
                let name = config.get_dbname().unwrap_or("postgres").to_owned();
                let mut admin = config.clone();
                admin.dbname("postgres");
                let (a, conn) = rt.block_on(admin.connect(NoTls)).map_err(err)?;
                rt.spawn(conn);
                rt.block_on(a.batch_execute(&format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""))))
                    .map_err(err)?;
                rt.block_on(config.connect(NoTls)).map_err(err)?
            }
            Err(e) => return Err(err(e)),
        };
        let (client, connection) = connected;
        // The connection task runs whenever this runtime is driven, i.e. inside every block_on.
        rt.spawn(connection);
        let mut c = PgConn { rt, client, statements: HashMap::new() };
        check_postgres_durability(&mut c)?;
        Ok(c)
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        if self.statements.len() >= STATEMENT_CACHE_CAPACITY {
            self.statements.clear();
        }
        let st = self.rt.block_on(self.client.prepare(sql)).map_err(err)?;
        self.statements.insert(sql.to_owned(), st.clone());
        Ok(st)
    }
}

/// Refuses a server with `synchronous_commit` other than `on` (or the stronger
/// `remote_apply`), or with `fsync` off.
pub fn check_postgres_durability(c: &mut dyn Conn) -> Result<(), StoreError> {
    for (setting, allowed) in [("synchronous_commit", &["on", "remote_apply"][..]), ("fsync", &["on"][..])] {
        let rows = c.query(&format!("SHOW {setting}"), &[])?;
        let found = rows.first().and_then(|r| r.first()).and_then(|v| v.text().ok()).unwrap_or("").to_owned();
        if !allowed.contains(&found.as_str()) {
            return Err(StoreError::Durability {
                setting: format!("PostgreSQL {setting}"),
                found,
                required: allowed.join(" or "),
            });
        }
    }
    Ok(())
}

fn params(p: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    p.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgConn {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }
    fn execute(&mut self, sql: &str, p: &[Value]) -> Result<u64, StoreError> {
        let st = self.statement(sql)?;
        self.rt.block_on(self.client.execute(&st, &params(p))).map_err(err)
    }
    fn execute_many(&mut self, stmts: &[(String, Vec<Value>)]) -> Result<(), StoreError> {
        let prepared = stmts.iter().map(|(sql, _)| self.statement(sql)).collect::<Result<Vec<_>, _>>()?;
        let args: Vec<Vec<&(dyn ToSql + Sync)>> = stmts.iter().map(|(_, p)| params(p)).collect();
        // Futures polled together are sent in one pipeline and run in order on the server.
        let client = &self.client;
        let futures = prepared.iter().zip(&args).map(|(st, a)| client.execute(st, a));
        self.rt.block_on(futures_util::future::try_join_all(futures)).map_err(err)?;
        Ok(())
    }
    fn query(&mut self, sql: &str, p: &[Value]) -> Result<Vec<Row>, StoreError> {
        let st = self.statement(sql)?;
        let rows = self.rt.block_on(self.client.query(&st, &params(p))).map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut row = Vec::with_capacity(r.len());
            for (i, col) in r.columns().iter().enumerate() {
                let t = col.type_();
                row.push(if *t == Type::INT8 {
                    r.try_get::<_, Option<i64>>(i).map_err(err)?.map_or(Value::Null, Value::Int)
                } else if *t == Type::INT4 {
                    r.try_get::<_, Option<i32>>(i).map_err(err)?.map_or(Value::Null, |v| Value::Int(v.into()))
                } else if *t == Type::INT2 {
                    r.try_get::<_, Option<i16>>(i).map_err(err)?.map_or(Value::Null, |v| Value::Int(v.into()))
                } else if *t == Type::BOOL {
                    r.try_get::<_, Option<bool>>(i)
                        .map_err(err)?
                        .map_or(Value::Null, |v| Value::Int(v.into()))
                } else if *t == Type::BYTEA {
                    r.try_get::<_, Option<Vec<u8>>>(i).map_err(err)?.map_or(Value::Null, Value::Blob)
                } else if [Type::TEXT, Type::VARCHAR, Type::NAME, Type::BPCHAR].contains(t) {
                    r.try_get::<_, Option<String>>(i).map_err(err)?.map_or(Value::Null, Value::Text)
                } else {
                    return Err(StoreError::Schema(format!(
                        "column {} has unsupported type {t}",
                        col.name()
                    )));
                });
            }
            out.push(row);
        }
        Ok(out)
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.rt.block_on(self.client.batch_execute(sql)).map_err(err)
    }
    fn begin_write(&mut self) -> Result<(), StoreError> {
        self.batch("BEGIN")
    }
    fn begin_read(&mut self) -> Result<(), StoreError> {
        self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }
    fn commit(&mut self) -> Result<(), StoreError> {
        self.batch("COMMIT")
    }
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.batch("ROLLBACK")
    }
}

/// A PostgreSQL database created for a test, drill or benchmark and dropped when this value
/// is dropped. Its name is unique per process, call and time.
pub struct ScratchDatabase {
    base_url: String,
    name: String,
    /// URL of the new database.
    pub url: String,
}

impl ScratchDatabase {
    /// Creates a fresh database on the server named by `base_url` (any database on it).
    pub fn create(base_url: &str, label: &str) -> Result<ScratchDatabase, StoreError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let label: String = label.chars().filter(|c| c.is_ascii_alphanumeric()).take(20).collect();
        let name = format!(
            "gapura_{}_{}_{}_{nanos}",
            label.to_ascii_lowercase(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(base_url, NoTls).map_err(|e| StoreError::Postgres(e.to_string()))?;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| StoreError::Postgres(e.to_string()))?;
        let url = with_database(base_url, &name);
        Ok(ScratchDatabase { base_url: base_url.to_owned(), name, url })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        // Best effort: a leftover scratch database is harmless and visible by its name.
        if let Ok(mut admin) = Client::connect(&self.base_url, NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// The same URL naming another database.
pub fn with_database(url: &str, db: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (url, None),
    };
    let host_start = main.find("://").map_or(0, |i| i + 3);
    let base = match main[host_start..].find('/') {
        Some(slash) => &main[..host_start + slash],
        None => main,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// The PostgreSQL server that tests, drills and benchmarks may use: `GAPURA_TEST_POSTGRES_URL`.
/// `Ok(None)` when it is not set; an error when `GAPURA_REQUIRE_POSTGRES=1` demands one (CI),
/// so that PostgreSQL tests are never silently skipped there.
pub fn test_server_from_env() -> Result<Option<String>, String> {
    match std::env::var("GAPURA_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Ok(Some(u)),
        _ if std::env::var("GAPURA_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            Err("GAPURA_REQUIRE_POSTGRES=1 but GAPURA_TEST_POSTGRES_URL is not set".into())
        }
        _ => Ok(None),
    }
}
