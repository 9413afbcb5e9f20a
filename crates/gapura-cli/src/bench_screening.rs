//! `gapura bench screening`: screening latency and throughput against a million invented
//! watchlist names and a hundred million document numbers, beside PostgreSQL doing the same
//! queries on the same data (pg_trgm similarity for names, a primary-key lookup for
//! documents), and the memory the index uses.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use gapura_domain::{OrderKind, PartialDate, Sex};
use gapura_screening::documents::{fingerprint, DocumentListing, DocumentSet, DocumentStatus, DocumentType};
use gapura_screening::{Direction, Listing, Person, Query, QueryDocument, Watchlist};
use jiff::civil::date;

use crate::bench::{fmt_bytes, fmt_int, fmt_latency, fmt_rate, fmt_ratio, Log, RunDir, Sample};
use crate::drill::Rng;

/// Queries per phase (half listed people with a variation, half people not listed).
const QUERIES_DEFAULT: usize = 2_000;
const NAMES_MAX: usize = 10_000_000;
const DOCUMENTS_MAX: u64 = 1_000_000_000;
/// Document lookups timed.
const DOCUMENT_LOOKUPS: usize = 200_000;
/// Rows per PostgreSQL COPY batch.
const COPY_ROWS: u64 = 1_000_000;

#[derive(clap::Args)]
pub(crate) struct ScreeningBench {
    /// Listed people (each with one name).
    #[arg(long, default_value_t = 1_000_000)]
    names: usize,
    /// Stolen and lost document numbers.
    #[arg(long, default_value_t = 100_000_000)]
    documents: u64,
    /// Document numbers loaded into PostgreSQL for its baseline (default: all of them).
    #[arg(long)]
    pg_documents: Option<u64>,
    /// Screening queries timed.
    #[arg(long, default_value_t = QUERIES_DEFAULT)]
    queries: usize,
    /// A PostgreSQL server (a scratch database is created and dropped). Without it the
    /// PostgreSQL rows are skipped.
    #[arg(long, env = "GAPURA_TEST_POSTGRES_URL", hide_env_values = true)]
    postgres: Option<String>,
    /// Directory for the saved index (a fresh subdirectory is made inside).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Also write the Markdown report here.
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    keep: bool,
}

const GIVEN: &[&str] = &[
    "Agus",
    "Budi",
    "Dewi",
    "Sri",
    "Siti",
    "Eko",
    "Joko",
    "Rina",
    "Wahyu",
    "Yusuf",
    "Ahmad",
    "Rizki",
    "Putri",
    "Indah",
    "Fajar",
    "Hendra",
    "Rudi",
    "Yanti",
    "Lestari",
    "Bayu",
    "Dian",
    "Nur",
    "Fitri",
    "Andi",
    "Arif",
    "Bambang",
    "Slamet",
    "Suryani",
    "Wulan",
    "Ratna",
    "Hadi",
    "Teguh",
    "Imam",
    "Ilham",
    "Reza",
    "Fauzi",
    "Gilang",
    "Aditya",
    "Nanda",
    "Kurnia",
    "Ayu",
    "Made",
    "Wayan",
    "Ketut",
    "Nyoman",
    "Komang",
    "Putu",
    "Gede",
    "Ikhsan",
    "Hasan",
    "Husein",
    "Abdul",
    "Rahmat",
    "Hidayat",
    "Taufik",
    "Zainal",
    "Syamsul",
    "Cahya",
    "Jaya",
    "Wati",
    "Citra",
    "Anisa",
    "Aisyah",
    "Fatimah",
    "Khadijah",
    "Umar",
    "Usman",
    "Ali",
    "Ibrahim",
    "Ismail",
    "Yohanes",
    "Maria",
    "Paulus",
    "Stefanus",
    "Wei",
    "Ming",
    "Hui",
    "Ling",
    "Tjandra",
    "Liong",
    "Kiong",
    "Sutrisno",
    "Suparman",
    "Sugiharto",
    "Purnomo",
];
const FAMILY: &[&str] = &[
    "Santoso",
    "Wijaya",
    "Kurniawan",
    "Setiawan",
    "Saputra",
    "Hidayat",
    "Pratama",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Sitompul",
    "Hutapea",
    "Manurung",
    "Tan",
    "Lim",
    "Gunawan",
    "Halim",
    "Susanto",
    "Hartono",
    "Suharto",
    "Sulistyo",
    "Prasetyo",
    "Wibowo",
    "Kusuma",
    "Permana",
    "Ramadhan",
    "Firmansyah",
    "Syahputra",
    "Sinaga",
    "Tambunan",
    "Pardede",
    "Batubara",
    "Ginting",
    "Tarigan",
    "Sembiring",
    "Purba",
    "Damanik",
    "Rahman",
    "Hakim",
    "Maulana",
    "Alamsyah",
    "Kartika",
    "Wulandari",
    "Anggraini",
    "Puspita",
    "Handayani",
];
const SYLLABLES: &[&str] = &[
    "su", "har", "ti", "wi", "ja", "ya", "ko", "mo", "no", "ra", "di", "sa", "ri", "na", "to", "wan", "pra",
    "se", "tia", "bu", "dar", "man", "ma", "ha", "ni", "ta", "ka", "la", "lin", "dra", "tri", "yo", "yan",
    "ro", "ba", "nu", "gra", "han", "sen", "ran", "tan", "mar", "lis", "wa", "go", "pur", "kar", "sun",
    "dan", "to", "sri", "jo", "ning",
];
const NATIONALITIES: &[&str] =
    &["IDN", "IDN", "IDN", "IDN", "MYS", "SGP", "AUS", "CHN", "IND", "PHL", "THA", "NLD", "YEM", "SAU"];
const STATES: &[&str] = &[
    "IDN", "MYS", "SGP", "AUS", "CHN", "IND", "PHL", "THA", "NLD", "YEM", "SAU", "USA", "GBR", "DEU", "FRA",
    "JPN", "KOR", "VNM", "PAK", "BGD", "TUR", "RUS", "BRA", "NGA", "EGY", "ITA", "ESP", "CAN", "NZL", "ZAF",
];

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

fn invented_word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(pick(rng, SYLLABLES));
    }
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

fn invented_person(rng: &mut Rng) -> (Vec<String>, PartialDate, Sex, &'static str) {
    let sex = if rng.below(2) == 0 { Sex::M } else { Sex::F };
    let parts = match rng.below(100) {
        0..=14 => 1,
        15..=54 => 2,
        55..=89 => 3,
        _ => 4,
    };
    let mut words = Vec::new();
    if sex == Sex::M && rng.below(100) < 12 {
        words.push("Muhammad".to_owned());
    }
    while words.len() < parts {
        let w = match rng.below(3) {
            0 => pick(rng, GIVEN).to_owned(),
            1 => invented_word(rng),
            _ if words.len() + 1 == parts => pick(rng, FAMILY).to_owned(),
            _ => invented_word(rng),
        };
        words.push(w);
    }
    let dob = PartialDate::new(
        Some(1940 + rng.below(66) as u16),
        Some(1 + rng.below(12) as u8),
        Some(1 + rng.below(28) as u8),
    )
    .unwrap_or_else(|_| PartialDate::parse("1970-01-01").expect("a fixed date"));
    (words, dob, sex, pick(rng, NATIONALITIES))
}

/// A variation of a listed name as a document might carry it.
fn vary(rng: &mut Rng, words: &[String]) -> Vec<String> {
    let mut w: Vec<String> = words.iter().map(|s| s.to_uppercase()).collect();
    match rng.below(6) {
        0 => {
            // Old spelling.
            for x in &mut w {
                *x = x.replace('U', "OE").replace('J', "DJ").replace('C', "TJ").replace('Y', "J");
            }
        }
        1 => {
            // One typo in the longest word.
            if let Some(x) = w.iter_mut().max_by_key(|x| x.len()) {
                if x.len() >= 5 {
                    let i = 1 + rng.below(x.len() as u64 - 2) as usize;
                    let mut b = x.clone().into_bytes();
                    b.swap(i, i + 1);
                    *x = String::from_utf8(b).unwrap_or_default();
                }
            }
        }
        2 if w.len() >= 3 => {
            w.remove(1);
        }
        3 if w.len() >= 2 => w.rotate_left(1),
        4 if w.len() >= 2 => {
            let first = w[0].chars().next().unwrap_or('A');
            w[0] = first.to_string();
        }
        _ => {}
    }
    w
}

fn query_of(words: &[String], dob: PartialDate, sex: Sex, nat: &str, rng: &mut Rng) -> Query {
    let (given, surname) = if words.len() == 1 {
        (vec![], words.to_vec())
    } else {
        (words[..words.len() - 1].to_vec(), words[words.len() - 1..].to_vec())
    };
    Query {
        surname: surname.join(" "),
        given_names: given.join(" "),
        date_of_birth: Some(dob),
        sex: Some(sex),
        nationality: Some(nat.to_owned()),
        document: Some(QueryDocument {
            number: format!("Q{:08}", rng.below(100_000_000)),
            issuing_state: nat.to_owned(),
            document_type: Some("P".into()),
        }),
        direction: Direction::Exit,
        date: date(2026, 11, 23),
    }
}

/// The i-th listed document (i below 10^9): a letter A–M and nine digits, distinct for every
/// i (multiplying by a number prime to 10^9 permutes the residues); numbers starting with N–Z
/// are never listed.
fn document(i: u64) -> (&'static str, String) {
    let state = STATES[(i.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40) as usize % STATES.len()];
    let letter = (b'A' + (i % 13) as u8) as char;
    (state, format!("{letter}{:09}", (i / 13).wrapping_mul(387_420_489) % 1_000_000_000))
}

fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
        .map_or(0, |pages| pages * 4096)
}

fn time_each<T>(items: &[T], mut f: impl FnMut(&T)) -> Sample {
    let started = Instant::now();
    let mut lat = Vec::with_capacity(items.len());
    for it in items {
        let t = Instant::now();
        f(it);
        lat.push(t.elapsed());
    }
    Sample::new(lat, started.elapsed())
}

fn row(md: &mut String, what: &str, s: &Sample, baseline: Option<&Sample>) {
    let ratio = baseline.map_or("—".to_owned(), |b| fmt_ratio(s.rate() / b.rate()));
    md.push_str(&format!(
        "| {what} | {} | {} | {} | {} |\n",
        fmt_rate(s.rate()),
        fmt_latency(s.percentile(50)),
        fmt_latency(s.percentile(99)),
        ratio
    ));
}

pub(crate) fn run(b: &ScreeningBench) -> Result<ExitCode> {
    let log = Log { started: Instant::now() };
    if b.names == 0 || b.names > NAMES_MAX {
        bail!("--names must be between 1 and {}", fmt_int(NAMES_MAX as u64));
    }
    if b.documents == 0 || b.documents > DOCUMENTS_MAX {
        bail!("--documents must be between 1 and {}", fmt_int(DOCUMENTS_MAX));
    }
    if b.queries == 0 || b.queries > 1_000_000 {
        bail!("--queries must be between 1 and 1,000,000");
    }
    let run_dir = RunDir { path: crate::bench::fresh_run_dir(b.dir.as_deref(), "screening")?, keep: b.keep };

    log.line(format_args!("1. inventing {} listed people", fmt_int(b.names as u64)));
    let mut rng = Rng(20_240_620);
    let mut people = Vec::with_capacity(b.names);
    for _ in 0..b.names {
        people.push(invented_person(&mut rng));
    }
    let rss_before = resident_bytes();
    let t = Instant::now();
    let mut w = Watchlist::new();
    for (i, (words, dob, sex, nat)) in people.iter().enumerate() {
        w.upsert(Person {
            names: vec![words.join(" ")],
            sex: Some(*sex),
            date_of_birth: Some(*dob),
            nationality: Some((*nat).to_owned()),
            documents: vec![],
            listing: Listing::TravelBanOrder {
                order_id: format!("TB-2026-{i:08}"),
                kind: OrderKind::Prevention,
                start: date(2026, 1, 1),
                last_day: Some(date(2027, 6, 30)),
            },
        });
    }
    w.seal();
    let names_build = t.elapsed();
    let names_rss = resident_bytes().saturating_sub(rss_before);
    log.line(format_args!(
        "   name index built in {:.1} s, {} resident",
        names_build.as_secs_f64(),
        fmt_bytes(names_rss)
    ));

    log.line(format_args!("2. building the document set of {} numbers", fmt_int(b.documents)));
    let t = Instant::now();
    let mut pairs = Vec::with_capacity(b.documents as usize);
    for i in 0..b.documents {
        let (state, number) = document(i);
        pairs.push((
            fingerprint(state, &number),
            DocumentListing { status: DocumentStatus::Stolen, document_type: DocumentType::Passport },
        ));
    }
    let docs = DocumentSet::build(pairs);
    let docs_build = t.elapsed();
    let docs_bytes = docs.memory_bytes();
    w.set_documents(docs);
    log.line(format_args!("   built in {:.1} s, {}", docs_build.as_secs_f64(), fmt_bytes(docs_bytes as u64)));

    // Queries: half listed people with a variation, half invented people not listed.
    let mut qrng = Rng(7_243);
    let mut queries = Vec::with_capacity(b.queries);
    let mut targets = Vec::with_capacity(b.queries);
    for i in 0..b.queries {
        if i % 2 == 0 {
            let k = qrng.below(people.len() as u64) as usize;
            let (words, dob, sex, nat) = &people[k];
            let varied = vary(&mut qrng, words);
            queries.push(query_of(&varied, *dob, *sex, nat, &mut qrng));
            targets.push(Some(format!("TB-2026-{k:08}")));
        } else {
            let mut other = Rng(qrng.next() ^ 0xABCD);
            let (words, dob, sex, nat) = invented_person(&mut other);
            queries.push(query_of(&words, dob, sex, nat, &mut qrng));
            targets.push(None);
        }
    }

    log.line("3. screening (names and document), one thread");
    let mut found = 0usize;
    let mut hits_on_unlisted = 0usize;
    let mut scored = 0usize;
    let idx: Vec<usize> = (0..queries.len()).collect();
    let ours = time_each(&idx, |i| {
        let s = w.screen(&queries[*i]);
        scored += s.names_scored;
        match &targets[*i] {
            Some(t) => found += usize::from(s.hits.iter().any(|h| &h.reference == t)),
            None => hits_on_unlisted += usize::from(!s.hits.is_empty()),
        }
    });
    let two = {
        let started = Instant::now();
        std::thread::scope(|sc| {
            for part in 0..2 {
                let w = &w;
                let queries = &queries;
                sc.spawn(move || {
                    for q in queries.iter().skip(part).step_by(2) {
                        std::hint::black_box(w.screen(q));
                    }
                });
            }
        });
        queries.len() as f64 / started.elapsed().as_secs_f64()
    };

    log.line("4. document lookups alone");
    let mut drng = Rng(99);
    let probes: Vec<(&str, String)> = (0..DOCUMENT_LOOKUPS)
        .map(|i| {
            if i % 2 == 0 {
                document(drng.below(b.documents))
            } else {
                (
                    pick(&mut drng, STATES),
                    format!("{}{:09}", (b'N' + drng.below(13) as u8) as char, drng.below(1_000_000_000)),
                )
            }
        })
        .collect();
    let mut doc_found = 0usize;
    let doc_sample =
        time_each(&probes, |(s, n)| doc_found += usize::from(w.document_listing(s, n).is_some()));

    log.line("5. saving and loading the whole index");
    let path = run_dir.path.join("screening.idx");
    let t = Instant::now();
    {
        let f = std::fs::File::create(&path).context("creating the saved index")?;
        let mut bw = std::io::BufWriter::new(f);
        w.save("bench", &mut bw)?;
        bw.flush()?;
    }
    let save_time = t.elapsed();
    let file_size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    drop(w);
    let t = Instant::now();
    let loaded = {
        let f = std::fs::File::open(&path).context("opening the saved index")?;
        Watchlist::load(&mut std::io::BufReader::with_capacity(1 << 20, f))?.0
    };
    let load_time = t.elapsed();
    let check = loaded.screen(&queries[0]);
    drop(loaded);

    let pg = match &b.postgres {
        Some(url) => {
            log.line("6. PostgreSQL: the same names with pg_trgm, the same documents with a primary key");
            Some(pg_baseline(
                url,
                &people,
                &queries,
                &targets,
                b.documents.min(b.pg_documents.unwrap_or(b.documents)),
                &probes,
                &log,
            ))
        }
        None => None,
    };

    let mut md = String::from("# gapura bench screening\n\n");
    md.push_str(&format!(
        "{} listed names, {} listed documents, {} queries (half listed people with a variation: old spelling, a transposed letter, a dropped middle name, reordered, an initial; half invented people not listed). One machine: {} cores, {}.\n\n",
        fmt_int(b.names as u64),
        fmt_int(b.documents),
        fmt_int(b.queries as u64),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        crate::bench::memory_total()
    ));
    md.push_str("| what | per second | p50 | p99 | vs PostgreSQL |\n|---|---|---|---|---|\n");
    let pg_names = pg.as_ref().and_then(|p| p.as_ref().ok()).map(|p| &p.names);
    let pg_docs = pg.as_ref().and_then(|p| p.as_ref().ok()).map(|p| &p.docs);
    row(&mut md, "Gapura screen (names + document), 1 thread", &ours, pg_names);
    md.push_str(&format!("| Gapura screen, 2 threads | {} | | | |\n", fmt_rate(two)));
    if let Some(p) = pg_names {
        row(&mut md, "PostgreSQL pg_trgm `%` on the full name, top 10 by similarity", p, None);
    }
    row(&mut md, "Gapura document lookup", &doc_sample, pg_docs);
    if let Some(p) = pg_docs {
        row(&mut md, "PostgreSQL primary-key lookup (issuing state, number)", p, None);
    }
    md.push('\n');
    md.push_str(&format!(
        "- Listed people found among the hits: {}/{} (Gapura, threshold {}); hits on people not listed: {}/{}.\n",
        found,
        b.queries.div_ceil(2),
        check.threshold,
        hits_on_unlisted,
        b.queries / 2
    ));
    if let Some(Ok(p)) = &pg {
        md.push_str(&format!(
            "- pg_trgm (default similarity threshold 0.3): listed people among its top 10: {}/{}; queries with any result for people not listed: {}/{}.\n",
            p.found,
            b.queries.div_ceil(2),
            p.unlisted_results,
            b.queries / 2
        ));
        md.push_str(&format!("- PostgreSQL held {} documents for its baseline.\n", fmt_int(p.documents)));
    }
    if let Some(Err(e)) = &pg {
        md.push_str(&format!("- PostgreSQL baseline not measured: {e}\n"));
    }
    md.push_str(&format!(
        "- Names scored per query after candidate selection: {:.0} on average.\n",
        scored as f64 / b.queries as f64
    ));
    md.push_str(&format!(
        "- Memory: name index and listed people {} resident (built in {:.1} s); document set {} ({:.2} bytes per document, built in {:.1} s); {} of {} probes found (half were listed).\n",
        fmt_bytes(names_rss),
        names_build.as_secs_f64(),
        fmt_bytes(docs_bytes as u64),
        docs_bytes as f64 / b.documents as f64,
        docs_build.as_secs_f64(),
        fmt_int(doc_found as u64),
        fmt_int(probes.len() as u64)
    ));
    md.push_str(&format!(
        "- Saved index: {} written in {:.1} s, loaded (checksum checked, name index rebuilt) in {:.1} s.\n",
        fmt_bytes(file_size),
        save_time.as_secs_f64(),
        load_time.as_secs_f64()
    ));
    md.push_str(&eval_section()?);
    md.push_str(&format!("\nCommand: `{}`\n", crate::bench::command_line()));
    print!("{md}");
    if let Some(out) = &b.out {
        std::fs::write(out, &md).with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

struct PgResult {
    names: Sample,
    docs: Sample,
    found: usize,
    unlisted_results: usize,
    documents: u64,
}

fn pg_baseline(
    url: &str,
    people: &[(Vec<String>, PartialDate, Sex, &'static str)],
    queries: &[Query],
    targets: &[Option<String>],
    documents: u64,
    probes: &[(&str, String)],
    log: &Log,
) -> Result<PgResult, String> {
    let go = || -> Result<PgResult> {
        let mut admin =
            postgres::Client::connect(url, postgres::NoTls).context("connecting to PostgreSQL")?;
        let db = format!("gapura_bench_screening_{}", std::process::id());
        admin.batch_execute(&format!("CREATE DATABASE {db}"))?;
        let result = (|| -> Result<PgResult> {
            let scratch = replace_database(url, &db);
            let mut c = postgres::Client::connect(&scratch, postgres::NoTls)?;
            c.batch_execute(
                "CREATE EXTENSION IF NOT EXISTS pg_trgm;
                 CREATE TABLE names (id bigint PRIMARY KEY, name text NOT NULL);
                 CREATE TABLE documents (issuing_state char(3) NOT NULL, number text NOT NULL,
                   status text NOT NULL, PRIMARY KEY (issuing_state, number));",
            )?;
            {
                let mut wr = c.copy_in("COPY names (id, name) FROM STDIN")?;
                for (i, (words, ..)) in people.iter().enumerate() {
                    writeln!(wr, "{i}\t{}", words.join(" ").to_uppercase())?;
                }
                wr.finish()?;
            }
            c.batch_execute(
                "CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops); ANALYZE names;",
            )?;
            log.line("   names loaded and indexed; loading documents");
            let mut start = 0;
            while start < documents {
                let end = (start + COPY_ROWS).min(documents);
                let mut wr = c.copy_in("COPY documents (issuing_state, number, status) FROM STDIN")?;
                let mut buf = String::with_capacity(24 * COPY_ROWS as usize);
                for i in start..end {
                    let (s, n) = document(i);
                    buf.push_str(s);
                    buf.push('\t');
                    buf.push_str(&n);
                    buf.push_str("\tstolen\n");
                }
                wr.write_all(buf.as_bytes())?;
                if let Err(e) = wr.finish() {
                    return Err(anyhow::anyhow!(e)).context("COPY into documents");
                }
                start = end;
                if start % (documents / 10).max(1) < COPY_ROWS {
                    log.line(format_args!("   {} / {} documents", fmt_int(start), fmt_int(documents)));
                }
            }
            c.batch_execute("ANALYZE documents")?;
            let stmt = c.prepare(
                "SELECT id FROM names WHERE name % $1 ORDER BY similarity(name, $1) DESC LIMIT 10",
            )?;
            let mut found = 0;
            let mut unlisted_results = 0;
            let idx: Vec<usize> = (0..queries.len()).collect();
            let mut err = None;
            let names = time_each(&idx, |i| {
                let q = &queries[*i];
                let text = format!("{} {}", q.given_names, q.surname).trim().to_uppercase();
                match c.query(&stmt, &[&text]) {
                    Ok(rows) => match &targets[*i] {
                        Some(t) => {
                            let id: i64 = t.trim_start_matches("TB-2026-").parse().unwrap_or(-1);
                            found += usize::from(rows.iter().any(|r| r.get::<_, i64>(0) == id));
                        }
                        None => unlisted_results += usize::from(!rows.is_empty()),
                    },
                    Err(e) => err = Some(e),
                }
            });
            if let Some(e) = err {
                return Err(e).context("the pg_trgm query");
            }
            let dstmt = c.prepare("SELECT status FROM documents WHERE issuing_state = $1 AND number = $2")?;
            let docs = time_each(probes, |(s, n)| {
                if let Err(e) = c.query(&dstmt, &[s, n]) {
                    err = Some(e);
                }
            });
            if let Some(e) = err {
                return Err(e).context("the document query");
            }
            Ok(PgResult { names, docs, found, unlisted_results, documents })
        })();
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))?;
        result
    };
    go().map_err(|e| format!("{e:#}"))
}

fn replace_database(url: &str, db: &str) -> String {
    match url.rfind('/') {
        Some(i) if url[..i].contains("://") && !url[..i].ends_with('/') => {
            let rest = &url[i + 1..];
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{}/{db}{query}", &url[..i])
        }
        _ => format!("{url}/{db}"),
    }
}

/// Recall and precision on the evaluation set, and how fast it is screened (for the table
/// beside OpenSanctions' matcher, which `scripts/bench-nomenklatura` measures).
fn eval_section() -> Result<String> {
    use gapura_screening::eval::{evaluate, read_pairs};
    let pairs = read_pairs(include_str!("../../gapura-screening/testdata/eval/pairs.jsonl"))
        .map_err(|e| anyhow::anyhow!(e))?;
    let r =
        evaluate(&pairs, gapura_screening::DEFAULT_THRESHOLD, &[0.7, 0.9]).map_err(|e| anyhow::anyhow!(e))?;
    let c = r.at_threshold;
    let mut md = format!(
        "\n## Evaluation set ({} pairs of invented people)\n\n| threshold | recall | precision | TP | FP | TN | FN |\n|---|---|---|---|---|---|---|\n",
        pairs.len()
    );
    for c in std::iter::once(&c).chain(&r.sweep) {
        md.push_str(&format!(
            "| {} | {:.3} | {:.3} | {} | {} | {} | {} |\n",
            c.threshold,
            c.recall(),
            c.precision(),
            c.true_positives,
            c.false_positives,
            c.true_negatives,
            c.false_negatives
        ));
    }
    md.push_str(&format!(
        "\nAll {} queries screened against a watchlist of all {} listed sides in {:.3} s: {} queries per second, each against the whole list (at least one pair scored per query).\n",
        pairs.len(),
        pairs.len(),
        r.screening_time.as_secs_f64(),
        fmt_rate(pairs.len() as f64 / r.screening_time.as_secs_f64())
    ));
    Ok(md)
}
