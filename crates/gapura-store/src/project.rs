//! Projections: the tables users query, changed by events in the same transaction as the
//! entry that records them, and rebuilt from the ledger by replay. Written once for both
//! engines.

use gapura_domain::{Decoded, Event};
use gapura_ledger::Entry;

use crate::sql::{Conn, Value};
use crate::StoreError;

/// Applies one entry's event to the projection tables.
pub fn apply(conn: &mut dyn Conn, entry: &Entry) -> Result<(), StoreError> {
    let decoded =
        Event::decode(entry.event_type.as_str(), entry.schema_version, &entry.body).map_err(|e| {
            StoreError::Event { site: entry.site.to_string(), site_seq: entry.site_seq, source: e }
        })?;
    let Decoded::Domain(event) = decoded else { return Ok(()) };
    match event {
        Event::ServicePointRegistered(sp) => {
            conn.execute(
                "INSERT INTO service_points (code, name, kind, parent_code, province, city, time_zone)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                   parent_code = excluded.parent_code, province = excluded.province,
                   city = excluded.city, time_zone = excluded.time_zone",
                &[
                    sp.code.as_str().into(),
                    sp.name.into(),
                    sp.kind.as_str().into(),
                    sp.parent_code.map(String::from).into(),
                    sp.province.into(),
                    sp.city.into(),
                    sp.time_zone.into(),
                ],
            )?;
        }
        Event::ServicePointRenamed { code, name } => {
            conn.execute(
                "UPDATE service_points SET name = $2 WHERE code = $1",
                &[code.as_str().into(), name.into()],
            )?;
        }
        Event::CountryRegistered { code, name } => {
            conn.execute(
                "INSERT INTO countries (code, name) VALUES ($1, $2)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                &[code.as_str().into(), name.into()],
            )?;
        }
        Event::AuthorityRegistered { code, name, legal_basis } => {
            conn.execute(
                "INSERT INTO travel_ban_authorities (code, name, legal_basis) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, legal_basis = excluded.legal_basis",
                &[code.as_str().into(), name.into(), legal_basis.into()],
            )?;
        }
        Event::DrillMarkerRecorded { drill, number, .. } => {
            conn.execute(
                "INSERT INTO drill_markers (drill, markers, last_number) VALUES ($1, 1, $2)
                 ON CONFLICT (drill) DO UPDATE SET markers = drill_markers.markers + 1,
                   last_number = excluded.last_number",
                &[drill.into(), Value::from(number)],
            )?;
        }
    }
    Ok(())
}

/// Collects the writes of `apply` so that a batch of entries sends its projection writes as
/// one pipeline (`Conn::execute_many`) instead of one round trip each. Projections only
/// write, so nothing needs to be read back before the flush.
pub struct WriteBuffer {
    engine: crate::sql::Engine,
    pub stmts: Vec<(String, Vec<Value>)>,
}

impl WriteBuffer {
    pub fn new(engine: crate::sql::Engine) -> WriteBuffer {
        WriteBuffer { engine, stmts: Vec::new() }
    }
    /// Sends the collected writes, in order, on `conn`'s transaction.
    pub fn flush(&mut self, conn: &mut dyn Conn) -> Result<(), StoreError> {
        conn.execute_many(&self.stmts)?;
        self.stmts.clear();
        Ok(())
    }
}

impl Conn for WriteBuffer {
    fn engine(&self) -> crate::sql::Engine {
        self.engine
    }
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        self.stmts.push((sql.to_owned(), params.to_vec()));
        Ok(1)
    }
    fn query(&mut self, sql: &str, _: &[Value]) -> Result<Vec<crate::sql::Row>, StoreError> {
        Err(StoreError::Schema(format!("a projection may only write; it tried to read: {sql}")))
    }
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Err(StoreError::Schema(format!("a projection may only write single statements: {sql}")))
    }
    fn begin_write(&mut self) -> Result<(), StoreError> {
        Err(StoreError::Schema("a projection may not manage transactions".into()))
    }
    fn begin_read(&mut self) -> Result<(), StoreError> {
        self.begin_write()
    }
    fn commit(&mut self) -> Result<(), StoreError> {
        self.begin_write()
    }
    fn rollback(&mut self) -> Result<(), StoreError> {
        self.begin_write()
    }
}

/// Empties every projection table (the start of a replay).
pub fn clear(conn: &mut dyn Conn) -> Result<(), StoreError> {
    for (table, _) in crate::schema::PROJECTIONS {
        conn.execute(&format!("DELETE FROM {table}"), &[])?;
    }
    Ok(())
}

/// Every projection row, table by table, in a canonical order.
pub type ProjectionDump = Vec<(&'static str, Vec<crate::sql::Row>)>;

/// Reads every projection row, table by table, in a canonical order.
pub fn dump(conn: &mut dyn Conn) -> Result<ProjectionDump, StoreError> {
    let mut out = Vec::new();
    for (table, key) in crate::schema::PROJECTIONS {
        // Sorted here, not by ORDER BY: text collation differs between the engines.
        let mut rows = conn.query(&format!("SELECT * FROM {table} ORDER BY {key}"), &[])?;
        rows.sort();
        out.push((*table, rows));
    }
    Ok(out)
}
