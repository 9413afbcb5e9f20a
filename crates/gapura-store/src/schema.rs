//! The one migration tree, in the SQL subset that SQLite and PostgreSQL share. Two tokens
//! differ between the engines and are substituted when a migration runs:
//! `BLOB_TYPE` (SQLite `BLOB`, PostgreSQL `BYTEA`) and `SEQ_KEY` (SQLite's rowid alias
//! `INTEGER PRIMARY KEY`, PostgreSQL `BIGINT PRIMARY KEY`; both are 64-bit).

use crate::sql::{in_write_tx, Conn, Engine};
use crate::StoreError;

/// Migrations in order. Never edit one that has shipped: add the next.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "
CREATE TABLE store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE ledger_counter (id BIGINT PRIMARY KEY, store_seq_head BIGINT NOT NULL);
INSERT INTO ledger_counter (id, store_seq_head) VALUES (1, 0);
CREATE TABLE ledger_entries (
    store_seq SEQ_KEY,
    site TEXT NOT NULL,
    site_seq BIGINT NOT NULL,
    entry_hash BLOB_TYPE NOT NULL,
    event_type TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    entry BLOB_TYPE NOT NULL,
    UNIQUE (site, site_seq)
);
CREATE TABLE ledger_series (
    site TEXT PRIMARY KEY,
    entries BIGINT NOT NULL,
    head_hash BLOB_TYPE NOT NULL,
    time_zone TEXT NOT NULL
);
CREATE TABLE ledger_keys (
    site TEXT NOT NULL,
    from_seq BIGINT NOT NULL,
    public_key TEXT NOT NULL,
    PRIMARY KEY (site, from_seq)
);
CREATE TABLE ledger_checkpoints (
    site TEXT NOT NULL,
    entry_count BIGINT NOT NULL,
    head_hash BLOB_TYPE NOT NULL,
    time_ms BIGINT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (site, entry_count)
);
CREATE TABLE service_points (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_code TEXT,
    province TEXT NOT NULL,
    city TEXT,
    time_zone TEXT
);
CREATE INDEX service_points_kind ON service_points (kind);
CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE travel_ban_authorities (code TEXT PRIMARY KEY, name TEXT NOT NULL, legal_basis TEXT NOT NULL);
CREATE TABLE drill_markers (drill TEXT PRIMARY KEY, markers BIGINT NOT NULL, last_number BIGINT NOT NULL);
",
    ),
    (
        2,
        "
CREATE TABLE content_blobs (sha256 BLOB_TYPE PRIMARY KEY, size BIGINT NOT NULL, chunks BIGINT NOT NULL);
CREATE TABLE content_chunks (
    sha256 BLOB_TYPE NOT NULL,
    chunk_no BIGINT NOT NULL,
    bytes BLOB_TYPE NOT NULL,
    PRIMARY KEY (sha256, chunk_no)
);
",
    ),
    (
        3,
        "
CREATE TABLE officers (
    officer TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    home_point TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    changed_ms BIGINT NOT NULL
);
CREATE INDEX officers_home_point ON officers (home_point);
CREATE TABLE officer_grants (
    officer TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    granted_ms BIGINT NOT NULL,
    PRIMARY KEY (officer, role, scope)
);
CREATE TABLE officer_tokens (
    token_id TEXT PRIMARY KEY,
    officer TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    issued_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    revoked BIGINT NOT NULL
);
CREATE INDEX officer_tokens_officer ON officer_tokens (officer);
CREATE TABLE audit_reads (
    site TEXT NOT NULL,
    site_seq BIGINT NOT NULL,
    subject TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    officer TEXT NOT NULL,
    point TEXT NOT NULL,
    address TEXT NOT NULL,
    request_id TEXT NOT NULL,
    route TEXT NOT NULL,
    record TEXT NOT NULL,
    query TEXT,
    PRIMARY KEY (site, site_seq, subject)
);
CREATE INDEX audit_reads_officer ON audit_reads (officer, time_ms);
CREATE INDEX audit_reads_subject ON audit_reads (subject, time_ms);
CREATE INDEX audit_reads_time ON audit_reads (time_ms);
CREATE TABLE login_events (
    site TEXT NOT NULL,
    site_seq BIGINT NOT NULL,
    time_ms BIGINT NOT NULL,
    officer TEXT NOT NULL,
    address TEXT NOT NULL,
    succeeded BIGINT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (site, site_seq)
);
CREATE INDEX login_events_officer ON login_events (officer, time_ms);
",
    ),
    (
        4,
        "
CREATE TABLE travel_ban_orders (
    order_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    authority TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    subject_json TEXT NOT NULL,
    primary_name TEXT NOT NULL,
    names_search TEXT NOT NULL,
    nationality TEXT,
    date_of_birth TEXT,
    reason_category TEXT NOT NULL,
    reason_text TEXT NOT NULL,
    start_date TEXT NOT NULL,
    last_day TEXT,
    extended_count BIGINT NOT NULL,
    revoked BIGINT NOT NULL,
    revoked_json TEXT,
    issued_by TEXT NOT NULL,
    issued_ms BIGINT NOT NULL,
    changed_ms BIGINT NOT NULL
);
CREATE INDEX travel_ban_orders_issued ON travel_ban_orders (issued_ms);
CREATE INDEX travel_ban_orders_last_day ON travel_ban_orders (last_day);
CREATE TABLE travel_ban_history (
    site TEXT NOT NULL,
    site_seq BIGINT NOT NULL,
    order_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    body_json TEXT NOT NULL,
    PRIMARY KEY (site, site_seq)
);
CREATE INDEX travel_ban_history_order ON travel_ban_history (order_id, at_ms);
CREATE TABLE watchlist_imports (
    import_id TEXT PRIMARY KEY,
    list TEXT NOT NULL,
    mode TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    source TEXT NOT NULL,
    accepted BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_ms BIGINT NOT NULL
);
",
    ),
];

/// The projection tables (rebuilt by replay) and the order that makes a dump canonical.
pub const PROJECTIONS: &[(&str, &str)] = &[
    ("service_points", "code"),
    ("countries", "code"),
    ("travel_ban_authorities", "code"),
    ("drill_markers", "drill"),
    ("officers", "officer"),
    ("officer_grants", "officer, role, scope"),
    ("officer_tokens", "token_id"),
    ("audit_reads", "site, site_seq, subject"),
    ("login_events", "site, site_seq"),
    ("travel_ban_orders", "order_id"),
    ("travel_ban_history", "site, site_seq"),
    ("watchlist_imports", "import_id"),
];

/// The schema version this build needs.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

pub fn engine_sql(engine: Engine, sql: &str) -> String {
    let (blob, seq) = match engine {
        Engine::Sqlite => ("BLOB", "INTEGER PRIMARY KEY"),
        Engine::Postgres => ("BYTEA", "BIGINT PRIMARY KEY"),
    };
    sql.replace("BLOB_TYPE", blob).replace("SEQ_KEY", seq)
}

/// Applies every migration the store does not have yet, each in its own transaction.
/// Refuses a store written by a newer build.
pub fn migrate(conn: &mut dyn Conn) -> Result<(), StoreError> {
    conn.batch("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")?;
    let have = conn.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])?;
    let have = have.first().and_then(|r| r.first()).map(|v| v.int()).transpose()?.unwrap_or(0);
    if have > latest() {
        return Err(StoreError::Schema(format!(
            "the store has schema version {have}, newer than this build's {}; use a newer Gapura",
            latest()
        )));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > have) {
        let engine = conn.engine();
        in_write_tx(conn, |c| {
            c.batch(&engine_sql(engine, sql))?;
            c.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[(*version).into()])?;
            Ok(())
        })?;
    }
    Ok(())
}
