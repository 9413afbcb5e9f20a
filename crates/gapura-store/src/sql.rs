//! The seam between the engines: a connection that runs SQL of the common subset with `$n`
//! placeholders and returns plain values. Everything above this trait is written once.

use crate::StoreError;

/// The two storage engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A SQL value of the types Gapura stores: 64-bit integers, text, bytes, and null.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    pub fn int(&self) -> Result<i64, StoreError> {
        match self {
            Value::Int(i) => Ok(*i),
            other => Err(StoreError::Schema(format!("expected an integer, found {other:?}"))),
        }
    }
    pub fn text(&self) -> Result<&str, StoreError> {
        match self {
            Value::Text(s) => Ok(s),
            other => Err(StoreError::Schema(format!("expected text, found {other:?}"))),
        }
    }
    pub fn blob(&self) -> Result<&[u8], StoreError> {
        match self {
            Value::Blob(b) => Ok(b),
            other => Err(StoreError::Schema(format!("expected bytes, found {other:?}"))),
        }
    }
    pub fn opt_text(&self) -> Result<Option<&str>, StoreError> {
        match self {
            Value::Null => Ok(None),
            v => v.text().map(Some),
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Value {
        // Counts and sequence numbers stay far below i64::MAX; saturate rather than wrap.
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Value {
        Value::Blob(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

pub type Row = Vec<Value>;

/// One database connection. SQL uses `$1`, `$2`… placeholders on both engines.
pub trait Conn: Send {
    fn engine(&self) -> Engine;
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs statements in order, as one pipeline where the engine can (PostgreSQL sends them
    /// in one round trip); stops at the first error, which fails the transaction.
    fn execute_many(&mut self, stmts: &[(String, Vec<Value>)]) -> Result<(), StoreError> {
        for (sql, params) in stmts {
            self.execute(sql, params)?;
        }
        Ok(())
    }
    /// Runs several statements without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// Starts a transaction that holds the engine's write lock from its first statement
    /// (SQLite `BEGIN IMMEDIATE`); PostgreSQL takes its lock on the counter row.
    fn begin_write(&mut self) -> Result<(), StoreError>;
    /// Starts a read-only transaction that sees one consistent snapshot of the store, so a
    /// long read (verify, export) is not confused by appends made meanwhile.
    fn begin_read(&mut self) -> Result<(), StoreError>;
    fn commit(&mut self) -> Result<(), StoreError>;
    fn rollback(&mut self) -> Result<(), StoreError>;
}

/// Runs `f` in a write transaction: commits on success, rolls back on any error.
pub fn in_write_tx<T>(
    conn: &mut dyn Conn,
    f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.begin_write()?;
    match f(conn) {
        Ok(v) => {
            conn.commit()?;
            Ok(v)
        }
        Err(e) => {
            // The original error matters more than a failed rollback, which the engine undoes
            // anyway when the connection closes.
            let _ = conn.rollback();
            Err(e)
        }
    }
}
