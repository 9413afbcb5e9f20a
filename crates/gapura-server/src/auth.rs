//! Who is calling: passwords (argon2id), console sessions with CSRF tokens, API bearer
//! tokens, and the limiter of failed logins. What a caller may do is `gapura-domain`'s
//! business (`Role::permissions`, `Scope`); `routes.rs` applies it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use gapura_domain::{Grant, OfficerId, Permission, Scope, ServicePointCode};
use gapura_ledger::ActorId;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The shortest password accepted, in characters.
pub const PASSWORD_CHARS_MIN: usize = 12;
/// The longest password accepted, in characters (a long passphrase fits).
pub const PASSWORD_CHARS_MAX: usize = 128;
/// The longest password accepted, in bytes (hashing cost is bounded by it).
pub const PASSWORD_BYTES_MAX: usize = 512;
/// A console session ends after this long without a request.
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// A console session ends this long after login, whatever happens (one shift).
pub const SESSION_ABSOLUTE_MS: i64 = 12 * 60 * 60 * 1000;
/// Live console sessions held at once; a login beyond it is refused until some end.
pub const SESSIONS_MAX: usize = 20_000;
/// Failed logins for one account within the window before it is locked for the window.
pub const LOGIN_FAILURES_PER_ACCOUNT_MAX: usize = 5;
/// Failed logins from one network address within the window before it is locked out.
pub const LOGIN_FAILURES_PER_ADDRESS_MAX: usize = 20;
/// The window over which failed logins are counted.
pub const LOGIN_FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Accounts and addresses the limiter remembers; the oldest are forgotten beyond it.
pub const LIMITER_KEYS_MAX: usize = 100_000;
/// The longest life of an API token, in days.
pub const TOKEN_DAYS_MAX: i64 = 365;
/// The prefix of every API token, so a leaked one is recognisable in a scan.
pub const TOKEN_PREFIX: &str = "gapura_";

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The operating system's generator failing is not recoverable for an auth server.
    getrandom::fill(&mut buf).unwrap_or_else(|e| panic!("the system random generator failed: {e}"));
    hex::encode(buf)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Checks a new password against the policy; `field` names the form field at fault.
pub fn check_password(password: &str, officer: &str, field: &str) -> Result<(), ApiError> {
    if password.len() > PASSWORD_BYTES_MAX {
        return Err(ApiError::invalid(field, format!("a password is at most {PASSWORD_BYTES_MAX} bytes")));
    }
    if password.chars().count() > PASSWORD_CHARS_MAX {
        return Err(ApiError::invalid(
            field,
            format!("a password is at most {PASSWORD_CHARS_MAX} characters"),
        ));
    }
    if password.chars().count() < PASSWORD_CHARS_MIN {
        return Err(ApiError::invalid(
            field,
            format!("a password has at least {PASSWORD_CHARS_MIN} characters"),
        ));
    }
    if password.to_lowercase().contains(&officer.to_lowercase()) {
        return Err(ApiError::invalid(field, "a password may not contain the officer's login"));
    }
    Ok(())
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::internal(&e))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::internal(&e))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(&e))
}

/// Whether `password` matches `phc`. A malformed stored hash matches nothing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    if password.len() > PASSWORD_BYTES_MAX {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash that matches no password, verified when a login names no account so that the
/// answer takes as long as for a real one.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_hex(16)).unwrap_or_default())
}

/// A new API token: what the client is given once, its public id, and the hash stored.
pub fn new_token() -> (String, String, String) {
    let token_id = random_hex(8);
    let secret = format!("{TOKEN_PREFIX}{token_id}_{}", random_hex(32));
    let hash = sha256_hex(&secret);
    (secret, token_id, hash)
}

#[derive(Debug, Clone)]
pub struct Session {
    pub officer: OfficerId,
    pub created_ms: i64,
    pub last_seen_ms: i64,
    pub csrf: String,
}

/// Console sessions, held in memory: a restart signs every officer out (API tokens, which
/// are ledger events, survive it). Keys are SHA-256 of the cookie value.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Opens a session; returns the cookie value and the CSRF token.
    pub fn create(&self, officer: OfficerId, now_ms: i64) -> Result<(String, String), ApiError> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SESSIONS_MAX {
            map.retain(|_, s| live(s, now_ms));
        }
        if map.len() >= SESSIONS_MAX {
            return Err(ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "too_many_sessions",
                format!("the server holds its limit of {SESSIONS_MAX} sessions; try again later"),
            ));
        }
        let id = random_hex(32);
        let csrf = random_hex(32);
        map.insert(
            sha256_hex(&id),
            Session { officer, created_ms: now_ms, last_seen_ms: now_ms, csrf: csrf.clone() },
        );
        Ok((id, csrf))
    }

    /// The live session for a cookie value, marked as seen now; ends it if it has timed out.
    pub fn touch(&self, id: &str, now_ms: i64) -> Option<Session> {
        let key = sha256_hex(id);
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let s = map.get_mut(&key)?;
        if !live(s, now_ms) {
            map.remove(&key);
            return None;
        }
        s.last_seen_ms = now_ms;
        Some(s.clone())
    }

    pub fn remove(&self, id: &str) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).remove(&sha256_hex(id));
    }

    /// Ends every session of an officer (disabled, or password changed elsewhere).
    pub fn remove_officer(&self, officer: &OfficerId) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, s| &s.officer != officer);
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn live(s: &Session, now_ms: i64) -> bool {
    now_ms - s.last_seen_ms < SESSION_IDLE_MS && now_ms - s.created_ms < SESSION_ABSOLUTE_MS
}

/// Counts failed logins per account and per source address over a sliding window.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl LoginLimiter {
    /// `Err(ms)` with how long to wait if either the account or the address is locked.
    pub fn check(&self, account: &str, address: &str, now_ms: i64) -> Result<(), i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0;
        for (key, max) in [
            (format!("a:{account}"), LOGIN_FAILURES_PER_ACCOUNT_MAX),
            (format!("n:{address}"), LOGIN_FAILURES_PER_ADDRESS_MAX),
        ] {
            if let Some(q) = map.get_mut(&key) {
                while q.front().is_some_and(|t| now_ms - t >= LOGIN_FAILURE_WINDOW_MS) {
                    q.pop_front();
                }
                if q.len() >= max {
                    let oldest = q.front().copied().unwrap_or(now_ms);
                    wait = wait.max(LOGIN_FAILURE_WINDOW_MS - (now_ms - oldest));
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    pub fn fail(&self, account: &str, address: &str, now_ms: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= LIMITER_KEYS_MAX {
            map.retain(|_, q| q.back().is_some_and(|t| now_ms - t < LOGIN_FAILURE_WINDOW_MS));
            if map.len() >= LIMITER_KEYS_MAX {
                map.clear();
            }
        }
        for key in [format!("a:{account}"), format!("n:{address}")] {
            let q = map.entry(key).or_default();
            q.push_back(now_ms);
            while q.len() > LOGIN_FAILURES_PER_ADDRESS_MAX {
                q.pop_front();
            }
        }
    }

    /// A successful login clears its account's failures (not its address's).
    pub fn succeed(&self, account: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(&format!("a:{account}"));
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    Session { cookie: String, csrf: String },
    Token { token_id: String },
}

/// An authenticated officer making this request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub officer: OfficerId,
    pub home_point: ServicePointCode,
    pub grants: Vec<Grant>,
    pub address: String,
    pub request_id: String,
    /// `METHOD /path/{template}` of the route serving the request.
    pub route: String,
    pub via: Via,
}

impl Caller {
    pub fn actor(&self) -> ActorId {
        // An officer id is a valid actor suffix by construction (ASCII graphic characters).
        ActorId::parse(&format!("officer:{}", self.officer))
            .unwrap_or_else(|e| unreachable!("officer ids are valid actor ids: {e}"))
    }

    /// The scopes in which the caller holds `p` (for `Authenticated`: national, it is about
    /// their own account).
    pub fn scopes(&self, p: Permission) -> Vec<Scope> {
        if p == Permission::Authenticated {
            return vec![Scope::National];
        }
        let mut out: Vec<Scope> = self
            .grants
            .iter()
            .filter(|g| g.role.permissions().contains(&p))
            .map(|g| g.scope.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn has(&self, p: Permission) -> bool {
        !self.scopes(p).is_empty()
    }

    /// Whether the caller holds `p` for the point whose chain of parents is `ancestors`.
    pub fn covers(&self, p: Permission, ancestors: &[ServicePointCode]) -> bool {
        self.scopes(p).iter().any(|s| s.covers(ancestors))
    }

    pub fn csrf(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf, .. } => Some(csrf),
            Via::Token { .. } => None,
        }
    }
}
