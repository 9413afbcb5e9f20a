//! Drills: deterministic from a seed, and a failing drill prints the seed that replays it.
//!
//! The crash drill starts a child `gapura drill append` that prints a line per acknowledged
//! entry, SIGKILLs it at a random moment, and then checks that every acknowledged entry is in
//! the store with the hash it was acknowledged with, and that the whole ledger verifies.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use gapura_ledger::{Hash, SiteId, TimeZoneName};
use gapura_store::postgres::ScratchDatabase;
use gapura_store::sql::Value;
use gapura_store::{Location, Store, VerifyOptions};

/// The longest a child may run before it is killed, in ms.
const CRASH_AFTER_MS_MAX: u64 = 400;
/// Entries one child is asked to append (it is killed long before it finishes).
const CHILD_APPEND_COUNT: u64 = 1_000_000;

/// SplitMix64: a small deterministic generator for drill schedules (not for cryptography).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Acked {
    store_seq: u64,
    hash: Hash,
}

fn parse_ack(line: &str) -> Option<Acked> {
    let mut w = line.split_whitespace();
    if w.next()? != "ack" {
        return None;
    }
    let store_seq = w.next()?.parse().ok()?;
    let _site_seq: u64 = w.next()?.parse().ok()?;
    let hash = Hash::from_hex(w.next()?).ok()?;
    Some(Acked { store_seq, hash })
}

/// Runs `trials` crash trials against a fresh store on the chosen engine.
pub fn crash(trials: u64, seed: u64, postgres: Option<&str>, keep_dir: Option<&Path>) -> Result<ExitCode> {
    let tmp = tempfile::tempdir().context("creating a scratch directory")?;
    let dir = keep_dir.unwrap_or(tmp.path());
    let scratch = postgres
        .map(|url| ScratchDatabase::create(url, "crash"))
        .transpose()
        .context("creating a scratch database")?;
    let (location, key) = match &scratch {
        Some(db) => (Location::Postgres(db.url.clone()), Some(dir.join("site.key"))),
        None => (Location::Sqlite(dir.join("store")), None),
    };
    let site = SiteId::parse("post-drill")?;
    let tz = TimeZoneName::parse("Asia/Jakarta")?;
    Store::init(&location, site, tz, key.as_deref(), crate::now_ms())?.close(crate::now_ms())?;
    let exe = std::env::current_exe().context("finding the gapura binary")?;
    let db_arg = match &location {
        Location::Sqlite(d) => d.display().to_string(),
        Location::Postgres(u) => u.clone(),
    };
    let mut rng = Rng(seed);
    let mut acked_total = 0u64;
    println!(
        "crash drill: {trials} trials on {:?}, seed {seed}",
        if scratch.is_some() { "PostgreSQL" } else { "SQLite" }
    );
    for trial in 1..=trials {
        let batch = 1 + rng.below(8);
        let kill_after = 5 + rng.below(CRASH_AFTER_MS_MAX);
        let mut cmd = Command::new(&exe);
        cmd.args(["--database", &db_arg, "drill", "append", "--drill", &format!("trial-{trial}")])
            .args(["--count", &CHILD_APPEND_COUNT.to_string(), "--batch", &batch.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(k) = &key {
            cmd.args(["--key", &k.display().to_string()]);
        }
        let mut child = cmd.spawn().context("starting the appending child")?;
        let stdout = child.stdout.take().context("child stdout")?;
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            // Only whole lines count: a line cut by the kill was still committed, and is
            // checked like any other by the verify below, but it is not claimed as acked.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(a) = parse_ack(&line) {
                    let _ = tx.send(a);
                }
            }
        });
        std::thread::sleep(Duration::from_millis(kill_after));
        child.kill().context("SIGKILL the child")?;
        let _ = child.wait();
        let _ = reader.join();
        let acked: Vec<Acked> = rx.try_iter().collect();
        let mut store = Store::open(&location, key.as_deref()).with_context(|| {
            format!("trial {trial}: reopening after the kill (replay with --seed {seed})")
        })?;
        for a in &acked {
            let rows = store.raw_query(
                "SELECT entry_hash FROM ledger_entries WHERE store_seq = $1",
                &[Value::from(a.store_seq)],
            )?;
            let found = rows.first().and_then(|r| r[0].blob().ok()).and_then(Hash::from_slice);
            if found != Some(a.hash) {
                bail!(
                    "trial {trial}: acknowledged entry at store order {} is {} after the crash (seed {seed} replays this drill)",
                    a.store_seq,
                    if found.is_some() { "different" } else { "missing" }
                );
            }
        }
        if let Err(f) = store.verify(&VerifyOptions::default(), &mut |_, _| {})? {
            bail!("trial {trial}: the ledger does not verify after the crash: {f} (seed {seed} replays this drill)");
        }
        acked_total += acked.len() as u64;
        println!("trial {trial}: killed after {kill_after} ms (batch {batch}): {} acknowledged, all present; ledger verifies", acked.len());
    }
    let mut store = Store::open(&location, key.as_deref())?;
    println!(
        "crash drill passed: {trials} trials, {acked_total} acknowledged entries, all present; {} entries in the store, ledger verifies",
        store.entry_count()?
    );
    Ok(ExitCode::SUCCESS)
}
