//! A password login, shared by the console and the command line's checks: the limiter first,
//! then the account, then argon2 on a blocking thread; each outcome for an existing account is
//! recorded as an `auth.*` event.

use gapura_domain::{Event, LoginAttempt, OfficerId};
use gapura_ledger::ActorId;

use crate::auth;
use crate::error::ApiError;
use crate::state::AppState;

pub enum Failure {
    /// The account or the address is locked for this many more milliseconds.
    Locked(i64),
    /// Unknown login, wrong password, or disabled account: the caller is not told which.
    Wrong,
    Error(ApiError),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        Failure::Error(e)
    }
}

pub async fn attempt(
    st: &AppState,
    login: &str,
    password: &str,
    address: &str,
) -> Result<OfficerId, Failure> {
    let now = st.now();
    let login = login.trim().to_ascii_lowercase();
    if let Err(wait) = st.limiter.check(&login, address, now) {
        metrics::counter!("gapura_logins_total", "outcome" => "locked").increment(1);
        return Err(Failure::Locked(wait));
    }
    let db = st.db()?;
    let account = match OfficerId::parse(&login) {
        Ok(id) => db.read(move |r| r.account(id.as_str())).await?,
        Err(_) => None,
    };
    let hash =
        account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| auth::decoy_hash().to_owned());
    let pw = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&pw, &hash))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let record = |ok: bool, officer: &OfficerId, reason: &str| {
        let attempt =
            LoginAttempt { officer: officer.clone(), address: address.to_owned(), reason: reason.to_owned() };
        let actor = ActorId::parse(&format!("officer:{officer}")).unwrap_or_else(|e| unreachable!("{e}"));
        (actor, if ok { Event::LoginSucceeded(attempt) } else { Event::LoginFailed(attempt) })
    };
    match account {
        Some(a) if matches && !a.disabled => {
            st.limiter.succeed(&login);
            let (actor, event) = record(true, &a.officer, "");
            db.audit(actor, event).await?;
            metrics::counter!("gapura_logins_total", "outcome" => "succeeded").increment(1);
            Ok(a.officer)
        }
        other => {
            st.limiter.fail(&login, address, now);
            if let Some(a) = other {
                let reason = if a.disabled { "account disabled" } else { "wrong password" };
                let (actor, event) = record(false, &a.officer, reason);
                db.audit(actor, event).await?;
            }
            metrics::counter!("gapura_logins_total", "outcome" => "failed").increment(1);
            Err(Failure::Wrong)
        }
    }
}
