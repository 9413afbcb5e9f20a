//! `gapura officer …`: officer accounts from the command line. This is how the first system
//! administrator of a fresh production store is made: there are no default credentials.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use gapura_domain::{Event, OfficerId, TokenIssued};
use gapura_ledger::ActorId;
use gapura_store::{Location, Reader, Store};

use crate::{now_ms, OfficerCommand};

fn api_err(e: gapura_server::error::ApiError) -> anyhow::Error {
    match e.body.field {
        Some(f) => anyhow::anyhow!("{f}: {}", e.body.message),
        None => anyhow::anyhow!(e.body.message),
    }
}

fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("password: ").context("reading the password from the terminal")?;
    let again =
        rpassword::prompt_password("password again: ").context("reading the password from the terminal")?;
    if first != again {
        bail!("the two passwords differ");
    }
    Ok(first)
}

fn actor() -> Result<ActorId> {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    let user: String = user.chars().filter(|c| c.is_ascii_graphic()).take(40).collect();
    ActorId::parse(&format!("system:cli:{}", if user.is_empty() { "operator" } else { &user }))
        .context("the command line's actor id")
}

pub fn run(location: &Location, key: Option<&Path>, cmd: &OfficerCommand) -> Result<ExitCode> {
    let mut reader = Reader::open(location).with_context(|| format!("opening {location}"))?;
    match cmd {
        OfficerCommand::Create { login, name, point, role, scope, password_stdin } => {
            let id = OfficerId::parse(login).context("--login")?;
            if reader.account(id.as_str())?.is_some() {
                bail!("an officer {id} already exists");
            }
            if reader.service_point(point)?.is_none() {
                bail!(
                    "there is no service point {point:?} in this store; load the reference data first (`gapura init --reference` on a new store)"
                );
            }
            let password = read_password(*password_stdin)?;
            gapura_server::auth::check_password(&password, id.as_str(), "password").map_err(api_err)?;
            let events = gapura_server::demo::officer_events(
                login,
                name,
                point,
                &password,
                &[(role.clone(), scope.clone())],
            )
            .map_err(api_err)?;
            let mut store =
                Store::open(location, key).with_context(|| format!("opening {location} to append"))?;
            store.append(&actor()?, &events, now_ms()).context("recording the officer")?;
            store.close(now_ms())?;
            println!("created officer {id} at {point} as {role} for {scope}");
        }
        OfficerCommand::Token { login, label, days } => {
            let Some(account) = reader.account(login)? else { bail!("there is no officer {login:?}") };
            if account.disabled {
                bail!("{login} is disabled");
            }
            if !(1..=gapura_server::auth::TOKEN_DAYS_MAX).contains(days) || label.trim().is_empty() {
                bail!("--days is 1 to {} and --label may not be empty", gapura_server::auth::TOKEN_DAYS_MAX);
            }
            let (token, token_id, secret_sha256) = gapura_server::auth::new_token();
            let event = Event::TokenIssued(TokenIssued {
                officer: account.officer.clone(),
                token_id: token_id.clone(),
                secret_sha256,
                label: label.trim().to_owned(),
                expires_ms: now_ms() + days * 86_400_000,
            });
            let mut store =
                Store::open(location, key).with_context(|| format!("opening {location} to append"))?;
            store.append(&actor()?, &[event], now_ms()).context("recording the token")?;
            store.close(now_ms())?;
            eprintln!("token {token_id} for {login}, valid {days} days; it is shown only now:");
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
