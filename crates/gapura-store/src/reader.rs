//! Reads for the server: a connection of its own beside the writer, typed queries over the
//! projections, and the one door to personal data ([`Personal`]), which records every read
//! through a [`ReadAudit`] before it returns a row. Written once for both engines.

use gapura_domain::{
    Date, Event, Grant, OfficerId, OrderExtended, OrderId, OrderIssued, OrderKind, OrderRevoked, OrderState,
    OrderStatus, Reason, ReasonCategory, Role, Scope, ServicePointCode, Subject,
};

use crate::postgres::PgConn;
use crate::sql::{Conn, Row, Value};
use crate::sqlite::SqliteConn;
use crate::{Location, StoreError, DB_FILE};

/// The most rows a list or search returns in one page.
pub const PAGE_ROWS_MAX: i64 = 500;
/// How deep a chain of parent service points may go before it is taken as a cycle.
const SERVICE_POINT_DEPTH_MAX: i64 = 8;

/// A read connection to a store.
pub struct Reader {
    pub(crate) conn: Box<dyn Conn>,
}

/// A service point as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServicePointRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
    pub province: String,
    pub city: Option<String>,
    pub time_zone: Option<String>,
}

/// Which service points to list. Text matches code, name, province or city, ignoring case.
#[derive(Debug, Clone, Default)]
pub struct ServicePointFilter {
    pub text: Option<String>,
    pub kind: Option<String>,
    pub province: Option<String>,
    pub parent_code: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// What authentication needs to know about an officer: not a read of their personal data by
/// another officer, so it is not audited.
#[derive(Debug, Clone)]
pub struct Account {
    pub officer: OfficerId,
    pub home_point: ServicePointCode,
    pub password_hash: String,
    pub disabled: bool,
    pub grants: Vec<Grant>,
    /// When the account last changed (password, status): the server ends console sessions
    /// opened before it, in every process serving the store.
    pub changed_ms: i64,
}

/// An officer as an administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OfficerRow {
    pub officer: String,
    pub name: String,
    pub home_point: String,
    pub disabled: bool,
    pub grants: Vec<Grant>,
    pub created_ms: i64,
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenRow {
    pub token_id: String,
    pub officer: String,
    pub label: String,
    pub issued_ms: i64,
    pub expires_ms: i64,
    pub revoked: bool,
}

/// Which officers to list: those whose home point lies in `within` (all if `None`).
#[derive(Debug, Clone, Default)]
pub struct OfficerFilter {
    pub text: Option<String>,
    pub home_point: Option<String>,
    pub within: Option<Vec<String>>,
    pub limit: i64,
}

/// One audit record of a read, one row per subject.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub site: String,
    pub site_seq: i64,
    pub time_ms: i64,
    pub officer: String,
    pub point: String,
    pub address: String,
    pub request_id: String,
    pub route: String,
    pub record: String,
    pub subject: String,
    pub query: Option<String>,
}

/// Which audit records to find: newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub officer: Option<String>,
    pub subject: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only reads made at these points (all if `None`).
    pub within: Option<Vec<String>>,
    pub limit: i64,
}

/// Which travel-ban orders to list, newest first. Text matches any of the subject's names,
/// the order id or the decision number, ignoring case.
#[derive(Debug, Clone, Default)]
pub struct TravelBanFilter {
    pub text: Option<String>,
    pub kind: Option<OrderKind>,
    pub status: Option<OrderStatus>,
    /// The day the status is computed for: the caller's today (in WIB).
    pub today: Date,
    pub limit: i64,
    pub offset: i64,
}

/// A travel-ban order as it stands, with the subject as the decision describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TravelBanRow {
    pub order_id: OrderId,
    pub kind: OrderKind,
    pub authority: String,
    pub legal_basis: String,
    pub decision_number: String,
    pub decision_date: Date,
    pub subject: Subject,
    pub reason: Reason,
    pub start: Date,
    /// The current last day (moved by extensions); `None` for life.
    pub last_day: Option<Date>,
    pub extensions: u32,
    pub revoked: Option<OrderRevoked>,
    /// The actor who recorded the issue (`officer:…` or `system:…`).
    pub issued_by: String,
    pub issued_ms: i64,
    pub changed_ms: i64,
}

impl TravelBanRow {
    /// Where the order stands on `today`.
    pub fn status(&self, today: Date) -> OrderStatus {
        OrderStatus::of(self.start, self.last_day, self.revoked.is_some(), today)
    }
}

/// One step of an order's history: its issue, an extension or its revocation, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TravelBanStep {
    /// The ledger entry that records it.
    pub site: String,
    pub site_seq: i64,
    /// Who recorded it (`officer:…` or `system:…`).
    pub actor: String,
    pub at_ms: i64,
    /// `Event::TravelBanIssued`, `TravelBanExtended` or `TravelBanRevoked`.
    pub event: Event,
}

/// A travel-ban authority (reference data).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuthorityRow {
    pub code: String,
    pub name: String,
    pub legal_basis: String,
}

/// A bulk watchlist import: its file and counts, never its records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WatchlistImportRow {
    pub import_id: String,
    pub list: String,
    pub mode: String,
    pub format: String,
    pub sha256: String,
    pub size: i64,
    pub file_name: String,
    pub source: String,
    pub accepted: i64,
    pub rejected: i64,
    pub imported_by: String,
    pub imported_ms: i64,
}

/// Where a read of personal data is recorded. The server implements it with the request's
/// officer, point, address and id.
pub trait ReadAudit {
    /// Called once per read, with the kind of record, the subjects returned (`kind:id`), and
    /// the search terms if it was a search.
    fn record(&mut self, record: &str, subjects: Vec<String>, query: Option<String>);
}

fn bad(what: &str) -> impl Fn(gapura_domain::ValueError) -> StoreError + '_ {
    move |e| StoreError::Schema(format!("{what}: {e}"))
}

fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// A `LIKE` pattern for text kept in capitals (`names_search`, order ids): the search words
/// in capitals, separated by one space as names are kept.
fn like_pattern_upper(text: &str) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    let escaped: String = words
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

fn page(limit: i64) -> i64 {
    if limit <= 0 {
        PAGE_ROWS_MAX
    } else {
        limit.min(PAGE_ROWS_MAX)
    }
}

/// Appends `AND column IN ($n, …)` for a set of codes; an empty set matches nothing.
fn push_in(sql: &mut String, params: &mut Vec<Value>, column: &str, codes: &[String]) {
    if codes.is_empty() {
        sql.push_str(" AND 1 = 0");
        return;
    }
    let marks: Vec<String> = codes
        .iter()
        .map(|c| {
            params.push(c.as_str().into());
            format!("${}", params.len())
        })
        .collect();
    sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
}

impl Reader {
    /// Opens a read connection to an existing store.
    pub fn open(location: &Location) -> Result<Reader, StoreError> {
        let conn: Box<dyn Conn> = match location {
            Location::Sqlite(dir) => {
                let db = dir.join(DB_FILE);
                if !db.exists() {
                    return Err(StoreError::NotFound(dir.display().to_string()));
                }
                Box::new(SqliteConn::open(&db, false)?)
            }
            Location::Postgres(url) => Box::new(PgConn::open(url, false)?),
        };
        Ok(Reader { conn })
    }

    /// The number of entries in the store: also the cheapest proof the database answers.
    pub fn entry_count(&mut self) -> Result<u64, StoreError> {
        let rows = self.conn.query("SELECT store_seq_head FROM ledger_counter WHERE id = 1", &[])?;
        let n = rows.first().and_then(|r| r.first()).map(Value::int).transpose()?.unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub fn service_points(
        &mut self,
        f: &ServicePointFilter,
    ) -> Result<(Vec<ServicePointRow>, i64), StoreError> {
        let mut params: Vec<Value> = Vec::new();
        let mut sql = String::from(" FROM service_points WHERE 1 = 1");
        if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
            params.push(like_pattern(t.trim()).into());
            let n = params.len();
            sql.push_str(&format!(
                " AND (LOWER(code) LIKE ${n} ESCAPE '\\' OR LOWER(name) LIKE ${n} ESCAPE '\\'
                   OR LOWER(province) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(city, '')) LIKE ${n} ESCAPE '\\')"
            ));
        }
        for (column, value) in [("kind", &f.kind), ("province", &f.province), ("parent_code", &f.parent_code)]
        {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                params.push(v.into());
                sql.push_str(&format!(" AND {column} = ${}", params.len()));
            }
        }
        let total = self.conn.query(&format!("SELECT COUNT(*){sql}"), &params)?;
        let total = total.first().and_then(|r| r.first()).map(Value::int).transpose()?.unwrap_or(0);
        params.push(page(f.limit).into());
        params.push(f.offset.max(0).into());
        let rows = self.conn.query(
            &format!(
                "SELECT code, name, kind, parent_code, province, city, time_zone{sql} ORDER BY code LIMIT ${} OFFSET ${}",
                params.len() - 1,
                params.len()
            ),
            &params,
        )?;
        Ok((rows.iter().map(service_point_row).collect::<Result<_, _>>()?, total))
    }

    pub fn service_point(&mut self, code: &str) -> Result<Option<ServicePointRow>, StoreError> {
        let rows = self.conn.query(
            "SELECT code, name, kind, parent_code, province, city, time_zone FROM service_points WHERE code = $1",
            &[code.into()],
        )?;
        rows.first().map(service_point_row).transpose()
    }

    /// The provinces (or host countries) that service points are in, for filters.
    pub fn provinces(&mut self) -> Result<Vec<String>, StoreError> {
        let rows = self.conn.query("SELECT DISTINCT province FROM service_points", &[])?;
        let mut out: Vec<String> =
            rows.iter().map(|r| r[0].text().map(str::to_owned)).collect::<Result<_, _>>()?;
        out.sort();
        Ok(out)
    }

    /// The point itself, then its parent, its parent's parent, …; empty if it does not exist.
    pub fn ancestors(&mut self, code: &str) -> Result<Vec<ServicePointCode>, StoreError> {
        let rows = self.conn.query(
            &format!(
                "WITH RECURSIVE up (code, parent_code, depth) AS (
                   SELECT code, parent_code, 0 FROM service_points WHERE code = $1
                   UNION ALL
                   SELECT s.code, s.parent_code, up.depth + 1 FROM service_points s
                     JOIN up ON s.code = up.parent_code WHERE up.depth < {SERVICE_POINT_DEPTH_MAX})
                 SELECT code FROM up ORDER BY depth"
            ),
            &[code.into()],
        )?;
        rows.iter()
            .map(|r| ServicePointCode::parse(r[0].text()?).map_err(bad("service_points.code")))
            .collect()
    }

    /// Every service point a set of scopes covers; `None` if one of them is national.
    pub fn points_within(&mut self, scopes: &[Scope]) -> Result<Option<Vec<String>>, StoreError> {
        if scopes.iter().any(|s| matches!(s, Scope::National)) {
            return Ok(None);
        }
        let mut out = Vec::new();
        for scope in scopes {
            match scope {
                Scope::National => {}
                Scope::Point(p) => out.push(p.to_string()),
                Scope::Region(r) => {
                    let rows = self.conn.query(
                        &format!(
                            "WITH RECURSIVE down (code, depth) AS (
                               SELECT code, 0 FROM service_points WHERE code = $1
                               UNION ALL
                               SELECT s.code, down.depth + 1 FROM service_points s
                                 JOIN down ON s.parent_code = down.code WHERE down.depth < {SERVICE_POINT_DEPTH_MAX})
                             SELECT code FROM down"
                        ),
                        &[r.as_str().into()],
                    )?;
                    for row in rows {
                        out.push(row[0].text()?.to_owned());
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(Some(out))
    }

    /// The account an officer signs in with, or `None` if there is no such officer.
    pub fn account(&mut self, officer: &str) -> Result<Option<Account>, StoreError> {
        let rows = self.conn.query(
            "SELECT officer, home_point, password_hash, disabled, changed_ms FROM officers WHERE officer = $1",
            &[officer.into()],
        )?;
        let Some(r) = rows.first() else { return Ok(None) };
        Ok(Some(Account {
            officer: OfficerId::parse(r[0].text()?).map_err(bad("officers.officer"))?,
            home_point: ServicePointCode::parse(r[1].text()?).map_err(bad("officers.home_point"))?,
            password_hash: r[2].text()?.to_owned(),
            disabled: r[3].int()? != 0,
            changed_ms: r[4].int()?,
            grants: grants(self.conn.as_mut(), officer)?,
        }))
    }

    /// The live token whose secret hashes to `secret_sha256`, with its officer.
    pub fn token(&mut self, secret_sha256: &str, now_ms: i64) -> Result<Option<TokenRow>, StoreError> {
        let rows = self.conn.query(
            "SELECT token_id, officer, label, issued_ms, expires_ms, revoked FROM officer_tokens
             WHERE secret_sha256 = $1 AND revoked = 0 AND expires_ms > $2",
            &[secret_sha256.into(), now_ms.into()],
        )?;
        rows.first().map(token_row).transpose()
    }

    /// An officer's own tokens (their own account: not audited).
    pub fn own_tokens(&mut self, officer: &str) -> Result<Vec<TokenRow>, StoreError> {
        let rows = self.conn.query(
            "SELECT token_id, officer, label, issued_ms, expires_ms, revoked FROM officer_tokens
             WHERE officer = $1 ORDER BY issued_ms DESC, token_id",
            &[officer.into()],
        )?;
        rows.iter().map(token_row).collect()
    }

    /// Whether a travel-ban authority is registered.
    pub fn authority_exists(&mut self, code: &str) -> Result<bool, StoreError> {
        let rows = self.conn.query("SELECT 1 FROM travel_ban_authorities WHERE code = $1", &[code.into()])?;
        Ok(!rows.is_empty())
    }

    /// Every registered travel-ban authority, by code.
    pub fn authorities(&mut self) -> Result<Vec<AuthorityRow>, StoreError> {
        let rows = self.conn.query("SELECT code, name, legal_basis FROM travel_ban_authorities", &[])?;
        let mut out: Vec<AuthorityRow> = rows
            .iter()
            .map(|r| {
                Ok(AuthorityRow {
                    code: r[0].text()?.to_owned(),
                    name: r[1].text()?.to_owned(),
                    legal_basis: r[2].text()?.to_owned(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    /// What the rules need to decide on an extension or a revocation of an order: its
    /// history folded by the domain (`OrderState`). Used for decisions, not returned as a
    /// record about the person, so not audited; `None` if there is no such order.
    pub fn order_state(&mut self, order_id: &str) -> Result<Option<OrderState>, StoreError> {
        let steps = history_of(self.conn.as_mut(), order_id)?;
        Ok(OrderState::from_events(steps.iter().map(|s| &s.event)))
    }

    /// The bulk watchlist imports, newest first: files and counts, no records about people.
    pub fn watchlist_imports(&mut self) -> Result<Vec<WatchlistImportRow>, StoreError> {
        let rows = self.conn.query(
            "SELECT import_id, list, mode, format, sha256, size, file_name, source, accepted, rejected,
               imported_by, imported_ms FROM watchlist_imports ORDER BY imported_ms DESC, import_id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(WatchlistImportRow {
                    import_id: r[0].text()?.to_owned(),
                    list: r[1].text()?.to_owned(),
                    mode: r[2].text()?.to_owned(),
                    format: r[3].text()?.to_owned(),
                    sha256: r[4].text()?.to_owned(),
                    size: r[5].int()?,
                    file_name: r[6].text()?.to_owned(),
                    source: r[7].text()?.to_owned(),
                    accepted: r[8].int()?,
                    rejected: r[9].int()?,
                    imported_by: r[10].text()?.to_owned(),
                    imported_ms: r[11].int()?,
                })
            })
            .collect()
    }

    /// The door to personal data: every read through it is recorded by `audit`.
    pub fn personal<'a>(&'a mut self, audit: &'a mut dyn ReadAudit) -> Personal<'a> {
        Personal { conn: self.conn.as_mut(), audit }
    }
}

fn service_point_row(r: &Row) -> Result<ServicePointRow, StoreError> {
    Ok(ServicePointRow {
        code: r[0].text()?.to_owned(),
        name: r[1].text()?.to_owned(),
        kind: r[2].text()?.to_owned(),
        parent_code: r[3].opt_text()?.map(str::to_owned),
        province: r[4].text()?.to_owned(),
        city: r[5].opt_text()?.map(str::to_owned),
        time_zone: r[6].opt_text()?.map(str::to_owned),
    })
}

fn token_row(r: &Row) -> Result<TokenRow, StoreError> {
    Ok(TokenRow {
        token_id: r[0].text()?.to_owned(),
        officer: r[1].text()?.to_owned(),
        label: r[2].text()?.to_owned(),
        issued_ms: r[3].int()?,
        expires_ms: r[4].int()?,
        revoked: r[5].int()? != 0,
    })
}

fn date(v: &Value, what: &str) -> Result<Date, StoreError> {
    v.text()?.parse().map_err(|e| StoreError::Schema(format!("{what}: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Schema(format!("{what}: {e}")))
}

const TRAVEL_BAN_COLUMNS: &str = "order_id, kind, authority, legal_basis, decision_number, decision_date,
    subject_json, reason_category, reason_text, start_date, last_day, extended_count, revoked_json,
    issued_by, issued_ms, changed_ms";

fn travel_ban_row(r: &Row) -> Result<TravelBanRow, StoreError> {
    Ok(TravelBanRow {
        order_id: OrderId::parse(r[0].text()?).map_err(bad("travel_ban_orders.order_id"))?,
        kind: OrderKind::parse(r[1].text()?).map_err(bad("travel_ban_orders.kind"))?,
        authority: r[2].text()?.to_owned(),
        legal_basis: r[3].text()?.to_owned(),
        decision_number: r[4].text()?.to_owned(),
        decision_date: date(&r[5], "travel_ban_orders.decision_date")?,
        subject: from_json(r[6].text()?, "travel_ban_orders.subject_json")?,
        reason: Reason {
            category: ReasonCategory::parse(r[7].text()?)
                .map_err(bad("travel_ban_orders.reason_category"))?,
            text: r[8].text()?.to_owned(),
        },
        start: date(&r[9], "travel_ban_orders.start_date")?,
        last_day: match &r[10] {
            Value::Null => None,
            v => Some(date(v, "travel_ban_orders.last_day")?),
        },
        extensions: u32::try_from(r[11].int()?).unwrap_or(u32::MAX),
        revoked: r[12].opt_text()?.map(|j| from_json(j, "travel_ban_orders.revoked_json")).transpose()?,
        issued_by: r[13].text()?.to_owned(),
        issued_ms: r[14].int()?,
        changed_ms: r[15].int()?,
    })
}

/// An order's history in the order it was recorded.
fn history_of(conn: &mut dyn Conn, order_id: &str) -> Result<Vec<TravelBanStep>, StoreError> {
    let rows = conn.query(
        "SELECT site, site_seq, action, actor, at_ms, body_json FROM travel_ban_history
         WHERE order_id = $1 ORDER BY at_ms, site, site_seq",
        &[order_id.into()],
    )?;
    rows.iter()
        .map(|r| {
            let body = r[5].text()?;
            let what = "travel_ban_history.body_json";
            let event = match r[2].text()? {
                "issued" => Event::TravelBanIssued(from_json::<OrderIssued>(body, what)?),
                "extended" => Event::TravelBanExtended(from_json::<OrderExtended>(body, what)?),
                "revoked" => Event::TravelBanRevoked(from_json::<OrderRevoked>(body, what)?),
                other => return Err(StoreError::Schema(format!("travel_ban_history.action {other:?}"))),
            };
            Ok(TravelBanStep {
                site: r[0].text()?.to_owned(),
                site_seq: r[1].int()?,
                actor: r[3].text()?.to_owned(),
                at_ms: r[4].int()?,
                event,
            })
        })
        .collect()
}

fn grants(conn: &mut dyn Conn, officer: &str) -> Result<Vec<Grant>, StoreError> {
    let rows = conn.query(
        "SELECT role, scope FROM officer_grants WHERE officer = $1 ORDER BY role, scope",
        &[officer.into()],
    )?;
    rows.iter()
        .map(|r| {
            Ok(Grant {
                role: Role::parse(r[0].text()?).map_err(bad("officer_grants.role"))?,
                scope: Scope::parse(r[1].text()?).map_err(bad("officer_grants.scope"))?,
            })
        })
        .collect()
}

/// Reads of people's records. Only [`Reader::personal`] makes one, and every method records
/// what it returned before returning it.
pub struct Personal<'a> {
    conn: &'a mut dyn Conn,
    audit: &'a mut dyn ReadAudit,
}

impl Personal<'_> {
    pub fn officers(&mut self, f: &OfficerFilter) -> Result<Vec<OfficerRow>, StoreError> {
        let mut params: Vec<Value> = Vec::new();
        let mut sql =
            String::from("SELECT officer, name, home_point, disabled, created_ms FROM officers WHERE 1 = 1");
        if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
            params.push(like_pattern(t.trim()).into());
            let n = params.len();
            sql.push_str(&format!(
                " AND (LOWER(officer) LIKE ${n} ESCAPE '\\' OR LOWER(name) LIKE ${n} ESCAPE '\\')"
            ));
        }
        if let Some(p) = f.home_point.as_deref().filter(|p| !p.is_empty()) {
            params.push(p.into());
            sql.push_str(&format!(" AND home_point = ${}", params.len()));
        }
        if let Some(within) = &f.within {
            push_in(&mut sql, &mut params, "home_point", within);
        }
        params.push(page(f.limit).into());
        sql.push_str(&format!(" ORDER BY officer LIMIT ${}", params.len()));
        let rows = self.conn.query(&sql, &params)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let officer = r[0].text()?.to_owned();
            out.push(OfficerRow {
                grants: grants(self.conn, &officer)?,
                officer,
                name: r[1].text()?.to_owned(),
                home_point: r[2].text()?.to_owned(),
                disabled: r[3].int()? != 0,
                created_ms: r[4].int()?,
            });
        }
        let query = [f.text.as_deref(), f.home_point.as_deref()]
            .iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        self.audit.record(
            "officer",
            out.iter().map(|o| format!("officer:{}", o.officer)).collect(),
            Some(query).filter(|q| !q.is_empty()),
        );
        Ok(out)
    }

    pub fn officer(&mut self, officer: &str) -> Result<Option<(OfficerRow, Vec<TokenRow>)>, StoreError> {
        let rows = self.conn.query(
            "SELECT officer, name, home_point, disabled, created_ms FROM officers WHERE officer = $1",
            &[officer.into()],
        )?;
        let found = match rows.first() {
            None => None,
            Some(r) => {
                let row = OfficerRow {
                    officer: r[0].text()?.to_owned(),
                    name: r[1].text()?.to_owned(),
                    home_point: r[2].text()?.to_owned(),
                    disabled: r[3].int()? != 0,
                    created_ms: r[4].int()?,
                    grants: grants(self.conn, officer)?,
                };
                let tokens = self.conn.query(
                    "SELECT token_id, officer, label, issued_ms, expires_ms, revoked FROM officer_tokens
                     WHERE officer = $1 ORDER BY issued_ms DESC, token_id",
                    &[officer.into()],
                )?;
                Some((row, tokens.iter().map(token_row).collect::<Result<_, _>>()?))
            }
        };
        let subjects = found.iter().map(|(o, _)| format!("officer:{}", o.officer)).collect();
        self.audit.record("officer", subjects, None);
        Ok(found)
    }

    /// Searches the travel-ban orders; returns a page of them and how many match in all.
    pub fn travel_bans(&mut self, f: &TravelBanFilter) -> Result<(Vec<TravelBanRow>, i64), StoreError> {
        let mut params: Vec<Value> = Vec::new();
        let mut sql = String::from(" FROM travel_ban_orders WHERE 1 = 1");
        if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
            params.push(like_pattern_upper(t).into());
            let n = params.len();
            sql.push_str(&format!(
                " AND (names_search LIKE ${n} ESCAPE '\\' OR order_id LIKE ${n} ESCAPE '\\'
                   OR UPPER(decision_number) LIKE ${n} ESCAPE '\\')"
            ));
        }
        if let Some(k) = f.kind {
            params.push(k.as_str().into());
            sql.push_str(&format!(" AND kind = ${}", params.len()));
        }
        if let Some(status) = f.status {
            // Dates are kept as YYYY-MM-DD, which sorts as text in calendar order.
            if status != OrderStatus::Revoked {
                params.push(f.today.to_string().into());
            }
            let t = params.len();
            sql.push_str(&match status {
                OrderStatus::Revoked => " AND revoked = 1".to_owned(),
                OrderStatus::Scheduled => format!(" AND revoked = 0 AND start_date > ${t}"),
                OrderStatus::InForce => format!(
                    " AND revoked = 0 AND start_date <= ${t} AND (last_day IS NULL OR last_day >= ${t})"
                ),
                OrderStatus::Ended => format!(" AND revoked = 0 AND last_day < ${t}"),
            });
        }
        let total = self.conn.query(&format!("SELECT COUNT(*){sql}"), &params)?;
        let total = total.first().and_then(|r| r.first()).map(Value::int).transpose()?.unwrap_or(0);
        params.push(page(f.limit).into());
        params.push(f.offset.max(0).into());
        let rows = self.conn.query(
            &format!(
                "SELECT {TRAVEL_BAN_COLUMNS}{sql} ORDER BY issued_ms DESC, order_id LIMIT ${} OFFSET ${}",
                params.len() - 1,
                params.len()
            ),
            &params,
        )?;
        let out: Vec<TravelBanRow> = rows.iter().map(travel_ban_row).collect::<Result<_, _>>()?;
        let query = [
            f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned),
            f.kind.map(|k| format!("kind={k}")),
            f.status.map(|s| format!("status={s}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        self.audit.record(
            "travel_ban",
            out.iter().map(|o| format!("travel_ban:{}", o.order_id)).collect(),
            Some(query).filter(|q| !q.is_empty()),
        );
        Ok((out, total))
    }

    /// One order with its history (issue, extensions, revocation), oldest first.
    pub fn travel_ban(
        &mut self,
        order_id: &str,
    ) -> Result<Option<(TravelBanRow, Vec<TravelBanStep>)>, StoreError> {
        let rows = self.conn.query(
            &format!("SELECT {TRAVEL_BAN_COLUMNS} FROM travel_ban_orders WHERE order_id = $1"),
            &[order_id.into()],
        )?;
        let found = match rows.first() {
            None => None,
            Some(r) => Some((travel_ban_row(r)?, history_of(self.conn, order_id)?)),
        };
        let subjects = found.iter().map(|(o, _)| format!("travel_ban:{}", o.order_id)).collect();
        self.audit.record("travel_ban", subjects, None);
        Ok(found)
    }

    /// Audit records are themselves records about officers: reading them is recorded too.
    pub fn audit_reads(&mut self, f: &AuditFilter) -> Result<Vec<AuditRow>, StoreError> {
        let mut params: Vec<Value> = Vec::new();
        let mut sql = String::from(
            "SELECT site, site_seq, time_ms, officer, point, address, request_id, route, record, subject, query
             FROM audit_reads WHERE 1 = 1",
        );
        for (column, value) in [("officer", &f.officer), ("subject", &f.subject)] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                params.push(v.into());
                sql.push_str(&format!(" AND {column} = ${}", params.len()));
            }
        }
        if let Some(from) = f.from_ms {
            params.push(from.into());
            sql.push_str(&format!(" AND time_ms >= ${}", params.len()));
        }
        if let Some(to) = f.to_ms {
            params.push(to.into());
            sql.push_str(&format!(" AND time_ms < ${}", params.len()));
        }
        if let Some(within) = &f.within {
            push_in(&mut sql, &mut params, "point", within);
        }
        params.push(page(f.limit).into());
        sql.push_str(&format!(
            " ORDER BY time_ms DESC, site, site_seq DESC, subject LIMIT ${}",
            params.len()
        ));
        let rows = self.conn.query(&sql, &params)?;
        let out: Vec<AuditRow> = rows
            .iter()
            .map(|r| {
                Ok(AuditRow {
                    site: r[0].text()?.to_owned(),
                    site_seq: r[1].int()?,
                    time_ms: r[2].int()?,
                    officer: r[3].text()?.to_owned(),
                    point: r[4].text()?.to_owned(),
                    address: r[5].text()?.to_owned(),
                    request_id: r[6].text()?.to_owned(),
                    route: r[7].text()?.to_owned(),
                    record: r[8].text()?.to_owned(),
                    subject: r[9].text()?.to_owned(),
                    query: r[10].opt_text()?.map(str::to_owned),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let mut subjects: Vec<String> = out.iter().map(|a| format!("officer:{}", a.officer)).collect();
        subjects.sort();
        subjects.dedup();
        let query = [
            f.officer.as_ref().map(|o| format!("officer={o}")),
            f.subject.as_ref().map(|s| format!("subject={s}")),
            f.from_ms.map(|t| format!("from_ms={t}")),
            f.to_ms.map(|t| format!("to_ms={t}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        self.audit.record("audit_read", subjects, Some(query).filter(|q| !q.is_empty()));
        Ok(out)
    }
}
