//! The SQLite engine: the embedded default, one directory per store.

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::sql::{Conn, Engine, Row, Value};
use crate::StoreError;

/// How long a writer waits for another process's write lock before giving up, in ms.
pub const SQLITE_BUSY_TIMEOUT_MS: u64 = 30_000;
/// Prepared statements kept per connection.
const STATEMENT_CACHE_CAPACITY: usize = 128;

pub struct SqliteConn {
    conn: rusqlite::Connection,
}

fn err(e: rusqlite::Error) -> StoreError {
    StoreError::Sqlite(e.to_string())
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl SqliteConn {
    /// Opens (creating if asked) the database file and insists on crash-safe settings: WAL
    /// journal and `synchronous=FULL`, so an acknowledged commit survives a crash.
    pub fn open(path: &Path, create: bool) -> Result<SqliteConn, StoreError> {
        use rusqlite::OpenFlags;
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = rusqlite::Connection::open_with_flags(path, flags).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_millis(SQLITE_BUSY_TIMEOUT_MS)).map_err(err)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        let mut c = SqliteConn { conn };
        c.require_durability()?;
        Ok(c)
    }

    /// Opens a database in memory: for scratch replays only, never for a store.
    pub fn scratch() -> Result<SqliteConn, StoreError> {
        let conn = rusqlite::Connection::open_in_memory().map_err(err)?;
        Ok(SqliteConn { conn })
    }

    fn require_durability(&mut self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        self.conn.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        check_sqlite_durability(self)
    }
}

/// Refuses a connection whose journal is not WAL or whose `synchronous` is not FULL.
pub fn check_sqlite_durability(c: &mut dyn Conn) -> Result<(), StoreError> {
    let mode = c.query("PRAGMA journal_mode", &[])?;
    let mode = mode.first().and_then(|r| r.first()).cloned().unwrap_or(Value::Null);
    if mode != Value::Text("wal".into()) {
        return Err(StoreError::Durability {
            setting: "SQLite journal_mode".into(),
            found: format!("{mode:?}"),
            required: "wal".into(),
        });
    }
    let sync = c.query("PRAGMA synchronous", &[])?;
    let sync = sync.first().and_then(|r| r.first()).cloned().unwrap_or(Value::Null);
    if sync != Value::Int(2) && sync != Value::Int(3) {
        return Err(StoreError::Durability {
            setting: "SQLite synchronous".into(),
            found: format!("{sync:?}"),
            required: "FULL (2) or EXTRA (3)".into(),
        });
    }
    Ok(())
}

fn translate(sql: &str) -> String {
    // Gapura's SQL never contains a literal '$': every '$' starts a placeholder.
    sql.replace('$', "?")
}

impl Conn for SqliteConn {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut st = self.conn.prepare_cached(&translate(sql)).map_err(err)?;
        Ok(st.execute(rusqlite::params_from_iter(params.iter())).map_err(err)? as u64)
    }
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut st = self.conn.prepare_cached(&translate(sql)).map_err(err)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params.iter())).map_err(err)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(err)? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i).map_err(err)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Text(v.to_string()),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            out.push(row);
        }
        Ok(out)
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql).map_err(err)
    }
    fn begin_write(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(err)
    }
    fn begin_read(&mut self) -> Result<(), StoreError> {
        // In WAL mode a deferred transaction's first read fixes its snapshot.
        self.conn.execute_batch("BEGIN DEFERRED").map_err(err)
    }
    fn commit(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(err)
    }
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("ROLLBACK").map_err(err)
    }
}
