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
    let event_kind =
        if matches!(event, Event::LoginSucceeded(_)) { LoginKind::Succeeded } else { LoginKind::Other };
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
        Event::OfficerCreated(o) => {
            conn.execute(
                "INSERT INTO officers (officer, name, home_point, password_hash, disabled, created_ms, changed_ms)
                 VALUES ($1, $2, $3, $4, 0, $5, $5)
                 ON CONFLICT (officer) DO UPDATE SET name = excluded.name, home_point = excluded.home_point,
                   password_hash = excluded.password_hash, changed_ms = excluded.changed_ms",
                &[
                    o.officer.as_str().into(),
                    o.name.into(),
                    o.home_point.as_str().into(),
                    o.password_hash.into(),
                    entry.time_ms.into(),
                ],
            )?;
        }
        Event::RoleGranted(g) => {
            conn.execute(
                "INSERT INTO officer_grants (officer, role, scope, granted_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (officer, role, scope) DO NOTHING",
                &[
                    g.officer.as_str().into(),
                    g.role.as_str().into(),
                    g.scope.to_string().into(),
                    entry.time_ms.into(),
                ],
            )?;
        }
        Event::RoleRevoked(g) => {
            conn.execute(
                "DELETE FROM officer_grants WHERE officer = $1 AND role = $2 AND scope = $3",
                &[g.officer.as_str().into(), g.role.as_str().into(), g.scope.to_string().into()],
            )?;
        }
        Event::PasswordChanged(p) => {
            conn.execute(
                "UPDATE officers SET password_hash = $2, changed_ms = $3 WHERE officer = $1",
                &[p.officer.as_str().into(), p.password_hash.into(), entry.time_ms.into()],
            )?;
        }
        Event::OfficerDisabled(d) => set_disabled(conn, &d.officer, true, entry.time_ms)?,
        Event::OfficerEnabled(d) => set_disabled(conn, &d.officer, false, entry.time_ms)?,
        Event::TokenIssued(t) => {
            conn.execute(
                "INSERT INTO officer_tokens (token_id, officer, secret_sha256, label, issued_ms, expires_ms, revoked)
                 VALUES ($1, $2, $3, $4, $5, $6, 0)",
                &[
                    t.token_id.into(),
                    t.officer.as_str().into(),
                    t.secret_sha256.into(),
                    t.label.into(),
                    entry.time_ms.into(),
                    t.expires_ms.into(),
                ],
            )?;
        }
        Event::TokenRevoked(t) => {
            conn.execute(
                "UPDATE officer_tokens SET revoked = 1 WHERE token_id = $1 AND officer = $2",
                &[t.token_id.into(), t.officer.as_str().into()],
            )?;
        }
        Event::PersonalDataRead(r) => {
            // One row per subject so that "who read this person" is one index lookup; a read
            // that returned nobody is kept as one row with an empty subject.
            let subjects = if r.subjects.is_empty() { vec![String::new()] } else { r.subjects };
            for subject in subjects {
                conn.execute(
                    "INSERT INTO audit_reads (site, site_seq, subject, time_ms, officer, point, address,
                       request_id, route, record, query)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                     ON CONFLICT (site, site_seq, subject) DO NOTHING",
                    &[
                        entry.site.as_str().into(),
                        Value::from(entry.site_seq),
                        subject.into(),
                        r.read_ms.into(),
                        r.officer.as_str().into(),
                        r.point.as_str().into(),
                        r.address.clone().into(),
                        r.request_id.clone().into(),
                        r.route.clone().into(),
                        r.record.clone().into(),
                        r.query.clone().into(),
                    ],
                )?;
            }
        }
        Event::LoginSucceeded(l) | Event::LoginFailed(l) => {
            let succeeded = i64::from(matches!(event_kind, LoginKind::Succeeded));
            conn.execute(
                "INSERT INTO login_events (site, site_seq, time_ms, officer, address, succeeded, reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    entry.site.as_str().into(),
                    Value::from(entry.site_seq),
                    entry.time_ms.into(),
                    l.officer.as_str().into(),
                    l.address.into(),
                    succeeded.into(),
                    l.reason.into(),
                ],
            )?;
        }
        Event::TravelBanIssued(o) => {
            let names_search =
                o.subject.names.iter().map(|n| n.to_uppercase()).collect::<Vec<_>>().join(NAMES_SEPARATOR);
            conn.execute(
                "INSERT INTO travel_ban_orders (order_id, kind, authority, legal_basis, decision_number,
                   decision_date, subject_json, primary_name, names_search, nationality, date_of_birth,
                   reason_category, reason_text, start_date, last_day, extended_count, revoked, revoked_json,
                   issued_by, issued_ms, changed_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, 0, NULL, $16, $17, $17)",
                &[
                    o.order_id.as_str().into(),
                    o.kind.as_str().into(),
                    o.authority.as_str().into(),
                    o.legal_basis.clone().into(),
                    o.decision_number.clone().into(),
                    o.decision_date.to_string().into(),
                    json(&o.subject)?.into(),
                    o.subject.primary_name().into(),
                    names_search.into(),
                    o.subject.nationality.as_ref().map(|c| c.as_str()).into(),
                    o.subject.date_of_birth.map(|d| d.to_string()).into(),
                    o.reason.category.as_str().into(),
                    o.reason.text.clone().into(),
                    o.start.to_string().into(),
                    o.last_day.map(|d| d.to_string()).into(),
                    entry.actor.as_str().into(),
                    entry.time_ms.into(),
                ],
            )?;
            history(conn, entry, &o.order_id, "issued", json(&o)?)?;
        }
        Event::TravelBanExtended(x) => {
            conn.execute(
                "UPDATE travel_ban_orders SET last_day = $2, extended_count = extended_count + 1, changed_ms = $3
                 WHERE order_id = $1",
                &[x.order_id.as_str().into(), x.new_last_day.to_string().into(), entry.time_ms.into()],
            )?;
            history(conn, entry, &x.order_id, "extended", json(&x)?)?;
        }
        Event::TravelBanRevoked(r) => {
            let body = json(&r)?;
            conn.execute(
                "UPDATE travel_ban_orders SET revoked = 1, revoked_json = $2, changed_ms = $3 WHERE order_id = $1",
                &[r.order_id.as_str().into(), body.clone().into(), entry.time_ms.into()],
            )?;
            history(conn, entry, &r.order_id, "revoked", body)?;
        }
        Event::WatchlistImported(w) => {
            // An import id names one import: a second with the same id fails its append.
            conn.execute(
                "INSERT INTO watchlist_imports (import_id, list, mode, format, sha256, size, file_name, source,
                   accepted, rejected, imported_by, imported_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &[
                    w.import_id.into(),
                    w.list.as_str().into(),
                    w.mode.as_str().into(),
                    w.format.as_str().into(),
                    w.content.sha256.to_hex().into(),
                    Value::from(w.content.size),
                    w.file_name.into(),
                    w.source.into(),
                    Value::from(w.accepted),
                    Value::from(w.rejected),
                    entry.actor.as_str().into(),
                    entry.time_ms.into(),
                ],
            )?;
        }
    }
    Ok(())
}

/// Separates a subject's names in `travel_ban_orders.names_search`, so that a search does not
/// match across two names.
pub const NAMES_SEPARATOR: &str = " | ";

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    let bytes = gapura_ledger::canonical_json(v).map_err(|e| StoreError::Schema(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| StoreError::Schema(e.to_string()))
}

/// Records one step of an order's history, keyed by the entry that recorded it.
fn history(
    conn: &mut dyn Conn,
    entry: &Entry,
    order_id: &gapura_domain::OrderId,
    action: &str,
    body_json: String,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO travel_ban_history (site, site_seq, order_id, action, actor, at_ms, body_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            entry.site.as_str().into(),
            Value::from(entry.site_seq),
            order_id.as_str().into(),
            action.into(),
            entry.actor.as_str().into(),
            entry.time_ms.into(),
            body_json.into(),
        ],
    )?;
    Ok(())
}

enum LoginKind {
    Succeeded,
    Other,
}

fn set_disabled(
    conn: &mut dyn Conn,
    officer: &gapura_domain::OfficerId,
    disabled: bool,
    time_ms: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE officers SET disabled = $2, changed_ms = $3 WHERE officer = $1",
        &[officer.as_str().into(), i64::from(disabled).into(), time_ms.into()],
    )?;
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
