//! The `gapura` binary as operators use it: each test runs real processes. PostgreSQL halves
//! run when `GAPURA_TEST_POSTGRES_URL` is set and say they are skipped otherwise.

use std::path::Path;
use std::process::{Command, Output};

use gapura_store::postgres::ScratchDatabase;
use gapura_store::sql::Value;
use gapura_store::{Location, Store};

fn gapura(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gapura"))
        .env_remove("GAPURA_DATABASE")
        .env_remove("GAPURA_KEY")
        .args(["--database", db])
        .args(args)
        .output()
        .expect("run gapura")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "gapura failed: {}", text(&o));
    text(&o)
}

fn postgres() -> Option<String> {
    gapura_store::postgres::test_server_from_env().unwrap_or_else(|e| panic!("{e}"))
}

fn digest(out: &str) -> String {
    out.lines().find_map(|l| l.strip_prefix("state digest: ")).expect("status prints a digest").to_owned()
}

/// `init --demo` loads 431 service points, verifies, and a flipped byte makes `ledger verify`
/// fail with exit code 3, naming the site and sequence.
#[test]
fn demo_store_verifies_and_a_flipped_byte_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data");
    let db = db.to_str().unwrap();
    let out = ok(gapura(db, &["init", "--demo"]));
    assert!(out.contains("431 service points"), "{out}");
    let out = ok(gapura(db, &["ledger", "verify", "--deep"]));
    // 708 entries of reference data and demo officers, 11 of demo travel-ban orders (9 issued,
    // 1 extended, 1 revoked).
    assert!(out.contains("ledger intact: 719 entries"), "reference data, demo officers and orders: {out}");
    {
        let mut s = Store::open(&Location::Sqlite(db.into()), None).unwrap();
        let rows = s.raw_query("SELECT entry FROM ledger_entries WHERE store_seq = 300", &[]).unwrap();
        let mut b = rows[0][0].blob().unwrap().to_vec();
        let n = b.len();
        b[n - 5] ^= 4;
        s.raw_execute("UPDATE ledger_entries SET entry = $1 WHERE store_seq = 300", &[Value::Blob(b)])
            .unwrap();
    }
    let o = gapura(db, &["ledger", "verify"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("site centre, sequence 300"), "{}", text(&o));
}

/// Export, offline verification (with and without the right trusted keys), and import into
/// a new store with the site's key: same state digest, and the series continues.
#[test]
fn export_verify_offline_and_import_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let a = a.to_str().unwrap();
    ok(gapura(a, &["init", "--demo", "--site", "centre"]));
    let status_a = ok(gapura(a, &["status"]));
    let ex = tmp.path().join("export");
    ok(gapura(a, &["ledger", "export", "--to", ex.to_str().unwrap()]));
    let key_line = ok(gapura(a, &["ledger", "public-key"]));
    let keys = tmp.path().join("trusted.txt");
    std::fs::write(&keys, &key_line).unwrap();
    let out = ok(gapura(
        "unused",
        &["ledger", "verify", "--from", ex.to_str().unwrap(), "--trusted-keys", keys.to_str().unwrap()],
    ));
    assert!(out.contains("(trusted)"), "{out}");
    let other = tmp.path().join("other.txt");
    std::fs::write(&other, "ab".repeat(16) + &"cd".repeat(16) + "\n").unwrap();
    let o = gapura(
        "unused",
        &["ledger", "verify", "--from", ex.to_str().unwrap(), "--trusted-keys", other.to_str().unwrap()],
    );
    // An arbitrary 32-byte string may not even be a valid key; both are refusals with reasons.
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));

    let b = tmp.path().join("b");
    let b = b.to_str().unwrap();
    let key = Path::new(a).join("site.key");
    let out =
        ok(gapura(b, &["--key", key.to_str().unwrap(), "ledger", "import", "--from", ex.to_str().unwrap()]));
    assert!(out.contains("continues series centre"), "{out}");
    assert_eq!(digest(&ok(gapura(b, &["status"]))), digest(&status_a));
    ok(gapura(b, &["drill", "append", "--count", "3"]));
    ok(gapura(b, &["ledger", "verify", "--deep", "--checkpoints", ex.join("checkpoints").to_str().unwrap()]));
}

/// Bad input gets a clear error naming what was wrong, and nothing already recorded is lost.
#[test]
fn bad_input_is_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data");
    let db = db.to_str().unwrap();
    let o = gapura(db, &["init", "--site", "Bad Site"]);
    assert!(!o.status.success() && text(&o).contains("--site"), "{}", text(&o));
    ok(gapura(db, &["init"]));
    let o = gapura(db, &["init"]);
    assert!(!o.status.success() && text(&o).contains("already exists"), "{}", text(&o));
    ok(gapura(db, &["ledger", "verify"]));
    let o = gapura(db, &["ledger", "verify", "--from", tmp.path().join("nothing").to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("manifest.json"), "{}", text(&o));
    let o = gapura(tmp.path().join("absent").to_str().unwrap(), &["status"]);
    assert!(!o.status.success() && text(&o).contains("gapura init"), "{}", text(&o));
    let ex = tmp.path().join("ex");
    ok(gapura(db, &["ledger", "export", "--to", ex.to_str().unwrap()]));
    let o = gapura(db, &["ledger", "export", "--to", ex.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("empty directory"), "{}", text(&o));
    // A manifest pointing outside its export is refused.
    let manifest = ex.join("manifest.json");
    let good = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, good.replace("00000001.seg", "../../x.seg")).unwrap();
    let o = gapura(db, &["ledger", "verify", "--from", ex.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("not of the form"), "{}", text(&o));
    std::fs::write(&manifest, good).unwrap();
    // A damaged segment is refused by import before anything is written.
    let seg = ex.join("segments/00000001.seg");
    let mut bytes = std::fs::read(&seg).unwrap();
    bytes[20] ^= 1;
    std::fs::write(&seg, bytes).unwrap();
    let target = tmp.path().join("target");
    let o = gapura(target.to_str().unwrap(), &["ledger", "import", "--from", ex.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("seal"), "{}", text(&o));
    assert!(!target.join("gapura.sqlite3").exists(), "a refused import creates no store");
}

fn two_processes_append_at_once(db: &str, key: Option<&str>) {
    let mut base = vec!["--database", db];
    if let Some(k) = key {
        base.extend(["--key", k]);
    }
    let spawn = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_gapura"))
            .args(&base)
            .args(["drill", "append", "--count", "150", "--drill", name])
            .output()
            .expect("spawn")
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn("process-a"));
        let b = s.spawn(|| spawn("process-b"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success() && b.status.success(), "{} {}", text(&a), text(&b));
    let mut seqs: Vec<u64> = [&a, &b]
        .iter()
        .flat_map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(|l| l.split(' ').nth(1).unwrap().parse().unwrap())
                .collect::<Vec<u64>>()
        })
        .collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (2..=301).collect::<Vec<u64>>(),
        "the two processes' acknowledgements are gapless and disjoint"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_gapura"))
        .args(&base)
        .args(["ledger", "verify", "--deep"])
        .output()
        .unwrap();
    assert!(text(&o).contains("ledger intact: 301 entries"), "{}", text(&o));
}

/// Two OS processes appending to one SQLite store at once: gapless, disjoint, verified.
#[test]
fn two_processes_append_at_once_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data");
    ok(gapura(db.to_str().unwrap(), &["init"]));
    two_processes_append_at_once(db.to_str().unwrap(), None);
}

/// Two OS processes appending to one PostgreSQL store at once: gapless, disjoint, verified.
#[test]
fn two_processes_append_at_once_on_postgres() {
    let Some(base) = postgres() else {
        eprintln!("skipped: two_processes_append_at_once_on_postgres (GAPURA_TEST_POSTGRES_URL is not set)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let db = ScratchDatabase::create(&base, "twoproc").unwrap();
    let key = tmp.path().join("site.key");
    let o = gapura(&db.url, &["init"]);
    assert!(!o.status.success() && text(&o).contains("--key"), "PostgreSQL without a key path: {}", text(&o));
    ok(gapura(&db.url, &["--key", key.to_str().unwrap(), "init"]));
    two_processes_append_at_once(&db.url, Some(key.to_str().unwrap()));
}

/// SIGKILL at random moments loses no acknowledged append (a few trials here; the
/// benchmark run does at least 100). SQLite always, PostgreSQL when configured.
#[test]
fn crash_drill_loses_no_acknowledged_append() {
    let o = Command::new(env!("CARGO_BIN_EXE_gapura"))
        .args(["drill", "crash", "--trials", "8", "--seed", "7"])
        .output()
        .unwrap();
    assert!(o.status.success() && text(&o).contains("crash drill passed: 8 trials"), "{}", text(&o));
    match postgres() {
        Some(url) => {
            let o = Command::new(env!("CARGO_BIN_EXE_gapura"))
                .args(["drill", "crash", "--trials", "5", "--seed", "11", "--postgres", &url])
                .output()
                .unwrap();
            assert!(o.status.success() && text(&o).contains("crash drill passed: 5 trials"), "{}", text(&o));
        }
        None => eprintln!("skipped: crash drill on PostgreSQL (GAPURA_TEST_POSTGRES_URL is not set)"),
    }
}

/// Key rotation from the command line: the new key signs, the old trust anchor still holds.
#[test]
fn key_rotation_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data");
    let db = db.to_str().unwrap();
    ok(gapura(db, &["init"]));
    let genesis = ok(gapura(db, &["ledger", "public-key"]));
    let keys = tmp.path().join("trusted.txt");
    std::fs::write(&keys, &genesis).unwrap();
    let out = ok(gapura(db, &["ledger", "rotate-key"]));
    assert!(out.contains("rotated"), "{out}");
    assert_ne!(ok(gapura(db, &["ledger", "public-key"])), genesis);
    ok(gapura(db, &["drill", "append", "--count", "2"]));
    let out = ok(gapura(db, &["ledger", "verify", "--trusted-keys", keys.to_str().unwrap()]));
    assert!(out.contains("(trusted)"), "{out}");
}

/// Content from the command line: stored by hash, listed, and written back byte for byte.
#[test]
fn content_put_list_get() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("data");
    let db = db.to_str().unwrap();
    ok(gapura(db, &["init"]));
    let file = tmp.path().join("sltd-delta.csv");
    let body: String = (0..20_000).map(|i| format!("X{i:08},IDN,P,stolen\n")).collect();
    std::fs::write(&file, &body).unwrap();
    let out = ok(gapura(db, &["content", "put", file.to_str().unwrap()]));
    let sha = out.split_whitespace().next().unwrap().to_owned();
    assert!(ok(gapura(db, &["content", "list"])).contains(&sha));
    let back = tmp.path().join("back.csv");
    ok(gapura(db, &["content", "get", &sha, "--to", back.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(&back).unwrap(), body);
    let o = gapura(db, &["content", "get", &"0".repeat(64), "--to", back.to_str().unwrap()]);
    assert!(!o.status.success() && text(&o).contains("holds no content with SHA-256 0000"), "{}", text(&o));
    assert!(!tmp.path().join("back.partial").exists(), "nothing half-written is left");
}

/// Sends one HTTP/1.1 request on a fresh connection and returns the status and body.
fn http(addr: &str, method: &str, path: &str, token: Option<&str>) -> (u16, String) {
    try_http(addr, method, path, token, "").expect("the server answers")
}

/// Like `http`, with a JSON body; `None` if the connection was refused or cut.
fn try_http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let ct = if body.is_empty() { "" } else { "Content-Type: application/json\r\n" };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}{ct}Connection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split(' ').nth(1).and_then(|c| c.parse().ok())?;
    Some((status, out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default()))
}

/// A fresh production store has no officer at all; the first administrator is made on the
/// command line; `gapura serve` answers, and on SIGTERM it finishes, commits every queued
/// audit record and leaves a ledger that verifies.
fn serve_and_stop(db: &str, key: Option<&str>) {
    use std::io::{BufRead, Write};
    let mut base = vec!["--database", db];
    if let Some(k) = key {
        base.extend(["--key", k]);
    }
    let run = |args: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_gapura"))
            .env_remove("GAPURA_DATABASE")
            .env_remove("GAPURA_KEY")
            .args(&base)
            .args(args)
            .output()
            .expect("run gapura")
    };
    ok(run(&["init", "--reference"]));
    let status = ok(run(&["status"]));
    assert!(status.contains("officers: 0 rows"), "no default credentials: {status}");
    let mut create = Command::new(env!("CARGO_BIN_EXE_gapura"))
        .args(&base)
        .args([
            "officer",
            "create",
            "--login",
            "first.admin",
            "--name",
            "Tri Wahyuningsih",
            "--point",
            "KANIM-JKS",
        ])
        .args(["--role", "system-administrator", "--scope", "national", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .output_with_stdin("a long first passphrase\n");
    assert!(create.status.success(), "{}", text(&create));
    create = run(&[
        "officer",
        "create",
        "--login",
        "first.admin",
        "--name",
        "X",
        "--point",
        "KANIM-JKS",
        "--role",
        "auditor",
        "--scope",
        "national",
        "--password-stdin",
    ]);
    assert!(!create.status.success(), "a second officer with the same login is refused");
    let token =
        String::from_utf8(ok_out(run(&["officer", "token", "--login", "first.admin", "--label", "test"])))
            .unwrap();
    let token = token.trim().to_owned();

    let mut child = Command::new(env!("CARGO_BIN_EXE_gapura"))
        .env("GAPURA_LOG", "warn")
        .args(&base)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start gapura serve");
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    let mut ready = false;
    for _ in 0..100 {
        if http(&addr, "GET", "/readyz", None).0 == 200 {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(ready, "the server became ready");
    assert_eq!(http(&addr, "GET", "/api/v1/officers", None).0, 401);
    for _ in 0..20 {
        let (code, body) = http(&addr, "GET", "/api/v1/officers", Some(&token));
        assert_eq!(code, 200, "{body}");
    }
    let _ = std::io::stdout().flush();
    // Appends in flight when SIGTERM arrives: each one acknowledged must be in the store.
    let writers: Vec<_> = (0..6)
        .map(|i| {
            let (addr, token) = (addr.clone(), token.clone());
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for n in 0..2_000 {
                    let body = format!("{{\"label\": \"in flight {i}-{n}\", \"days\": 1}}");
                    match try_http(&addr, "POST", "/api/v1/me/tokens", Some(&token), &body) {
                        Some((201, b)) => acknowledged.push(b),
                        Some((code, b)) => panic!("an append was refused during shutdown: {code} {b}"),
                        None => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "serve exits 0 after SIGTERM: {exit:?}");
    let acknowledged: Vec<String> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    assert!(!acknowledged.is_empty(), "some appends were made before the stop");
    let status = ok(run(&["status"]));
    assert!(status.contains("audit_reads: 20 rows"), "every audited read was committed: {status}");
    ok(run(&["ledger", "verify", "--deep"]));
    let key_path = key.map(std::path::PathBuf::from);
    let mut store = Store::open(&Location::parse(db), key_path.as_deref()).unwrap();
    let tokens = store.count_rows("officer_tokens").unwrap() as usize;
    assert_eq!(tokens, acknowledged.len() + 1, "every acknowledged token (and the CLI's) is stored");
    for body in &acknowledged {
        let id = body.split("\"token_id\":\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
        let rows =
            store.raw_query("SELECT label FROM officer_tokens WHERE token_id = $1", &[id.into()]).unwrap();
        assert_eq!(rows.len(), 1, "acknowledged token {id} is in the store");
    }
}

trait OutputWithStdin {
    fn output_with_stdin(&mut self, input: &str) -> Output;
}
impl OutputWithStdin for Command {
    fn output_with_stdin(&mut self, input: &str) -> Output {
        use std::io::Write;
        let mut child =
            self.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }
}

fn ok_out(o: Output) -> Vec<u8> {
    assert!(o.status.success(), "gapura failed: {}", text(&o));
    o.stdout
}

#[test]
fn serve_answers_and_stops_cleanly_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    serve_and_stop(dir.path().join("store").to_str().unwrap(), None);
}

#[test]
fn serve_answers_and_stops_cleanly_on_postgres() {
    let Some(server) = postgres() else {
        eprintln!("skipped: serve on PostgreSQL (set GAPURA_TEST_POSTGRES_URL)");
        return;
    };
    let db = ScratchDatabase::create(&server, "serve").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("site.key");
    serve_and_stop(&db.url, Some(key.to_str().unwrap()));
}

/// Bulk files enter the ledger as content plus one event; screening reads them back from the
/// ledger, on its own or from a saved index that is brought up to date; a delta removes.
#[test]
fn watchlist_import_screen_and_saved_index() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s");
    let db = db.to_str().unwrap();
    ok(gapura(db, &["init", "--demo"]));
    let full = dir.path().join("sltd.csv");
    std::fs::write(&full, "document_number,issuing_country,document_type,status\nC1234567,IDN,passport,stolen\nX9,QQQ,passport,stolen\n").unwrap();
    let json = |o: Output| -> serde_json::Value {
        assert!(o.status.success(), "gapura failed: {}", text(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let report = json(gapura(
        db,
        &["watchlist", "import", "--list", "stolen-lost-documents", "--mode", "full", full.to_str().unwrap()],
    ));
    assert_eq!((report["accepted"].as_u64(), report["rejected"].as_u64()), (Some(1), Some(1)));
    assert_eq!(report["rejections"][0]["line"], 3);
    assert_eq!(report["rejections"][0]["field"], "issuing_country");
    let screen = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "screen",
            "--surname",
            "LESTARI",
            "--given-names",
            "DEWI",
            "--document-number",
            "C1234567",
            "--issuing-state",
            "IDN",
            "--direction",
            "exit",
            "--date",
            "2026-11-23",
        ];
        args.extend_from_slice(extra);
        json(gapura(db, &args))
    };
    let s = screen(&[]);
    assert_eq!(s["effect"], "stop");
    assert_eq!(s["hits"][0]["rule"]["code"], "document_reported_stolen");
    // A saved index, then a delta recorded after it: screening catches up from the ledger.
    ok(gapura(db, &["watchlist", "index"]));
    assert!(std::path::Path::new(db).join("screening.idx").exists());
    let delta = dir.path().join("delta.csv");
    std::fs::write(
        &delta,
        "document_number,issuing_country,document_type,status,action\nC1234567,IDN,,,remove\n",
    )
    .unwrap();
    ok(gapura(db, &["watchlist", "import", "--list", "sltd", "--mode", "delta", delta.to_str().unwrap()]));
    let s = screen(&[]);
    assert!(s["hits"].as_array().unwrap().iter().all(|h| h["list"] != "stolen_lost_document"), "{s}");
    // A file that cannot be read as a whole records nothing.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "number,status\n1,stolen\n").unwrap();
    let o = gapura(db, &["watchlist", "import", "--list", "sltd", "--mode", "full", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("issuing_country"), "{}", text(&o));
    // A damaged saved index is refused, not used.
    let idx = std::path::Path::new(db).join("screening.idx");
    let mut bytes = std::fs::read(&idx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&idx, bytes).unwrap();
    let o = gapura(db, &["screen", "--surname", "X", "--direction", "entry"]);
    assert!(!o.status.success() && text(&o).contains("damaged"), "{}", text(&o));
}
