//! `gapura bench mrtd`: ICAO 9303 travel documents, each measurement against a baseline taken
//! in the same run, printed as Markdown.
//!
//! MRZ: a set of invented documents of all five formats is rendered with `mrz::render`, then
//! `mrz::parse` runs over the lines on one thread. The baseline is the raw 7-3-1 computation
//! (`mrz::check_digit`) over every field a check digit covers, compared with the printed digit:
//! the least any parser must do. Reader mode (`mrz::read`) runs over the same lines with one
//! look-alike misread each.
//!
//! Passive authentication: a test PKI per algorithm (`pa::issue`), one personalised chip each,
//! written as EF.SOD, DG1.bin, DG2.bin, the CSCA's PEM and a CRL; `pa::verify` runs
//! in-process, then `gapura document verify` and `openssl cms -verify` run as processes on the
//! same files, interleaved. OpenSSL is the named baseline: it checks the CMS signature, the
//! chain, validity and the CRL, but not the data-group hashes (it does not know about them).
//!
//! It is not a test: correctness is the test suites' business. The bench only refuses to time
//! an operation whose results are wrong, and says so in the report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context, Result};
use gapura_mrtd::mrz::{self, CalendarDate, Document, Format, MrzDate, Name, Sex};
use gapura_mrtd::pa::brainpool::Curve;
use gapura_mrtd::pa::issue::{personalise, Csca, SigningKey};
use gapura_mrtd::pa::{self, DataGroups, DigestAlgorithm, TrustStore};

use crate::bench::{
    command_line, fmt_bytes, fmt_int, fmt_latency, fmt_rate, fmt_ratio, memory_total, one_line, per_second,
    Log, Outcome, RunDir, Sample, PHASE_DEFAULT_S, PHASE_MAX_S,
};

/// Invented documents in the MRZ set unless `--documents` says otherwise.
const MRZ_DOCUMENTS_DEFAULT: usize = 1_000;
/// The most documents `--documents` accepts.
const MRZ_DOCUMENTS_MAX: usize = 1_000_000;
/// Runs of each command in the process comparison unless `--runs` says otherwise.
const PROCESS_RUNS_DEFAULT: u64 = 200;
/// The most runs `--runs` accepts.
const PROCESS_RUNS_MAX: u64 = 100_000;
/// The seed of the invented documents (and of the face image's filler bytes).
const SEED: u64 = 0x6170_7572_612d_6d72;
/// Calls timed to estimate what timing one call adds (two clock reads).
const CLOCK_PROBE_CALLS: u32 = 1_000_000;
/// Bytes of the synthetic face image in DG2 (real ones are 15–50 KiB).
const FACE_IMAGE_BYTES: usize = 16 * 1024;
/// RSA modulus of the RSA CSCA and Document Signers, in bits.
const RSA_BITS: usize = 2048;
const SECONDS_PER_DAY: u64 = 86_400;
/// How far before now the certificates and the CRL start, in days.
const VALID_BEFORE_NOW_DAYS: u64 = 1;
/// How long the CSCAs stay valid after now, in days.
const CSCA_VALID_DAYS: u64 = 15 * 365;
/// How long the Document Signers stay valid after now, in days.
const DS_VALID_DAYS: u64 = 10 * 365;
/// How long the CRL stays current after now (its nextUpdate), in days.
const CRL_NEXT_UPDATE_DAYS: u64 = 30;
/// The serial the CRL revokes: not one of the bench's signers, so every DS passes revocation
/// while the CRL still has an entry to search.
const REVOKED_SERIAL: [u8; 2] = [0x03, 0xE7];
/// The oldest invented holder, in years (under 100, the birth-century rule's horizon).
const HOLDER_AGE_MAX_YEARS: u64 = 95;
/// Expiry dates lie from this many years before the reference date …
const EXPIRED_YEARS_MAX: u64 = 5;
/// … to this many after it.
const EXPIRY_AHEAD_YEARS_MAX: u64 = 10;
const DAYS_PER_YEAR: u64 = 365;

/// MRZ parses per second against the raw check-digit computation, and passive authentication
/// against `openssl cms -verify` on the same files.
#[derive(clap::Args)]
pub struct MrtdBench {
    /// Seconds per in-process phase.
    #[arg(long, default_value_t = PHASE_DEFAULT_S)]
    seconds: u64,
    /// Directory for the chip files and trust stores (a fresh subdirectory is made inside).
    /// Default: ./target/bench if ./target exists, else the system temp directory.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Invented documents in the MRZ set.
    #[arg(long, default_value_t = MRZ_DOCUMENTS_DEFAULT)]
    documents: usize,
    /// Runs of each command (`true`, `gapura document verify`, `openssl cms -verify`) in the
    /// process comparison.
    #[arg(long, default_value_t = PROCESS_RUNS_DEFAULT)]
    runs: u64,
    /// Keep the chip files and trust stores instead of deleting them at the end.
    #[arg(long)]
    keep: bool,
}

pub fn run(b: &MrtdBench) -> Result<ExitCode> {
    let log = Log { started: Instant::now() };
    if b.seconds == 0 || b.seconds > PHASE_MAX_S {
        bail!("--seconds must be between 1 and {PHASE_MAX_S}");
    }
    if b.documents == 0 || b.documents > MRZ_DOCUMENTS_MAX {
        bail!("--documents must be between 1 and {}", fmt_int(MRZ_DOCUMENTS_MAX as u64));
    }
    if b.runs == 0 || b.runs > PROCESS_RUNS_MAX {
        bail!("--runs must be between 1 and {}", fmt_int(PROCESS_RUNS_MAX));
    }
    let path = crate::bench::fresh_run_dir(b.dir.as_deref(), "mrtd")?;
    let run_dir = RunDir { path, keep: b.keep };
    let phase = Duration::from_secs(b.seconds);

    let load_before = load_average();
    let clock = clock_cost();
    let openssl = openssl_version().map_err(|e| format!("{e:#}"));
    let mut ok = true;

    log.line("1. MRZ: inventing and rendering the documents");
    let today = today_utc()?;
    let set = mrz_set(b.documents, today)?;
    let mrz_rows = mrz_bench(&set, today, phase, &log, &mut ok);

    log.line("2. passive authentication: issuing the test PKI and the chips");
    let chips = issue_chips(&run_dir.path, &log)?;
    let pa_rows = pa_bench(&chips, phase, b.runs, openssl.as_ref().ok(), &log, &mut ok);

    let load_after = load_average();
    let mut md = String::from("# gapura bench mrtd\n\n");
    let _ = writeln!(md, "Command: `{}`\n", command_line());
    md.push_str("| fact | value |\n|---|---|\n");
    let facts = [
        (
            "CPUs (nproc)",
            std::thread::available_parallelism().map_or_else(|e| format!("unknown ({e})"), |n| n.to_string()),
        ),
        ("CPU model", cpu_model()),
        ("memory (MemTotal)", memory_total()),
        (
            "build",
            if cfg!(debug_assertions) { "debug (not comparable: use --release)" } else { "release" }.into(),
        ),
        ("commit", commit()),
        ("OpenSSL", openssl.clone().unwrap_or_else(|e| format!("skipped: {e}"))),
        ("bench directory", format!("`{}`", run_dir.path.display())),
        (
            "phases",
            format!(
                "{} s per in-process phase; {} runs of each command in the process comparison",
                b.seconds,
                fmt_int(b.runs)
            ),
        ),
        (
            "load average (1, 5, 15 min) before and after",
            format!("{load_before} → {load_after} (other work on this machine shares its cores)"),
        ),
        ("timing one call adds (two clock reads)", format!("{:.0} ns", clock.as_secs_f64() * 1e9)),
    ];
    for (fact, value) in facts {
        let _ = writeln!(md, "| {fact} | {} |", one_line(&value));
    }
    md.push('\n');
    md.push_str(&mrz_report(&set, today, &mrz_rows));
    md.push_str(&pa_report(&chips, b.runs, &pa_rows));
    if b.keep {
        let _ = writeln!(md, "Kept the chip files and trust stores in `{}`.\n", run_dir.path.display());
    }
    if !ok {
        md.push_str("**Some rows FAILED: see above.**\n\n");
    }
    print!("{md}");
    drop(run_dir);
    log.line(if ok { "done" } else { "done: some rows FAILED" });
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

// ---------------------------------------------------------------------------------------------
// Facts.

/// Today's date in UTC (the CLI is where the clock is read; the library never reads it).
fn today_utc() -> Result<CalendarDate> {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).context("reading the system clock")?.as_secs();
    Ok(CalendarDate::from_days_since_unix_epoch((seconds / SECONDS_PER_DAY) as i64))
}

/// What timing one call adds: an `Instant::now()` before and an `elapsed()` after.
fn clock_cost() -> Duration {
    let started = Instant::now();
    for _ in 0..CLOCK_PROBE_CALLS {
        let t = Instant::now();
        std::hint::black_box(t.elapsed());
    }
    started.elapsed() / CLOCK_PROBE_CALLS
}

/// The 1, 5 and 15 minute load averages, from /proc/loadavg.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|e| format!("unknown ({e})"))
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no model name in /proc/cpuinfo)".into())
}

/// Standard output of a command that succeeded, trimmed.
fn output_of(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program).args(args).output().with_context(|| format!("running {program}"))?;
    if !out.status.success() {
        bail!("{program} {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The commit, and whether the working tree (and this bench's own file) differs from it.
fn commit() -> String {
    let head = match output_of("git", &["rev-parse", "--short", "HEAD"]) {
        Ok(h) => h,
        Err(e) => return format!("unknown ({e:#})"),
    };
    let changed = output_of("git", &["status", "--porcelain"]).map(|s| s.lines().count()).unwrap_or(0);
    let own = output_of("git", &["status", "--porcelain", "--", "crates/gapura-cli/src/bench_mrtd.rs"])
        .map(|s| !s.is_empty())
        .unwrap_or(false);
    match (changed, own) {
        (0, _) => format!("{head} (clean working tree)"),
        (n, true) => format!("{head}, with {n} uncommitted path(s) including this bench (`bench_mrtd.rs`)"),
        (n, false) => format!("{head}, with {n} uncommitted path(s) (this bench's code is committed)"),
    }
}

fn openssl_version() -> Result<String> {
    output_of("openssl", &["version"]).map_err(|e| anyhow!("openssl is not usable here: {e:#}"))
}

// ---------------------------------------------------------------------------------------------
// Invented documents.

use crate::drill::Rng;

impl Rng {
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
    fn text(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Invented surnames, some with the diacritics, ligatures and punctuation that rendering
/// transliterates (Doc 9303 Part 3 §6). No real person is meant.
const SURNAMES: &[&str] = &[
    "SETIAWATI",
    "WIRANATAKUSUMA",
    "Hartono-Ødegård",
    "Ñandúbay",
    "O'Tríoda",
    "Strauß-Lévêque",
    "Þórvaldsdóttir",
    "Çelikdağ",
    "VAN DER BRUGGENHEIM",
    "Æbeltoft",
    "Łużyńska",
    "PRAMUDYAWARDHANA SUKARNAPUTRI",
];

const GIVEN_NAMES: &[&str] =
    &["RANI AYU", "Joëlle", "BAGUS", "Ingrīda Mārīte", "SRI", "Zoë-Ånna", "DEWI KARTIKA", "Ömer", "Ĳsbrand"];

/// The formats in the order documents cycle through them.
const FORMATS: [Format; 5] = [Format::Td1, Format::Td2, Format::Td3, Format::MrvA, Format::MrvB];

/// A check digit's place: the characters it covers (line, first column, length; 0-based)
/// and where it is printed.
struct DigitPlace {
    covers: &'static [(usize, usize, usize)],
    digit: (usize, usize),
}

const fn place(covers: &'static [(usize, usize, usize)], line: usize, column: usize) -> DigitPlace {
    DigitPlace { covers, digit: (line, column) }
}

/// Where the check digits are (Doc 9303 Parts 4–7), written out here independently of the
/// library's own layout so that the baseline cross-checks the renderer. The document-number
/// digit of a TD1 or TD2 number longer than nine characters moves into the optional data and
/// is found from the lines, as any parser must find it.
fn digit_places(format: Format) -> &'static [DigitPlace] {
    const TD1: &[DigitPlace] = &[
        place(&[(0, 5, 9)], 0, 14),
        place(&[(1, 0, 6)], 1, 6),
        place(&[(1, 8, 6)], 1, 14),
        place(&[(0, 5, 25), (1, 0, 7), (1, 8, 7), (1, 18, 11)], 1, 29),
    ];
    const TD2: &[DigitPlace] = &[
        place(&[(1, 0, 9)], 1, 9),
        place(&[(1, 13, 6)], 1, 19),
        place(&[(1, 21, 6)], 1, 27),
        place(&[(1, 0, 10), (1, 13, 7), (1, 21, 14)], 1, 35),
    ];
    const TD3: &[DigitPlace] = &[
        place(&[(1, 0, 9)], 1, 9),
        place(&[(1, 13, 6)], 1, 19),
        place(&[(1, 21, 6)], 1, 27),
        place(&[(1, 28, 14)], 1, 42),
        place(&[(1, 0, 10), (1, 13, 7), (1, 21, 22)], 1, 43),
    ];
    const MRV: &[DigitPlace] =
        &[place(&[(1, 0, 9)], 1, 9), place(&[(1, 13, 6)], 1, 19), place(&[(1, 21, 6)], 1, 27)];
    match format {
        Format::Td1 => TD1,
        Format::Td2 => TD2,
        Format::Td3 => TD3,
        Format::MrvA | Format::MrvB => MRV,
    }
}

/// The document number (principal part), birth and expiry spans: where a look-alike misread
/// is made for reader mode (line, first column, length; 0-based).
fn misread_spans(format: Format) -> [(usize, usize, usize); 3] {
    match format {
        Format::Td1 => [(0, 5, 9), (1, 0, 6), (1, 8, 6)],
        _ => [(1, 0, 9), (1, 13, 6), (1, 21, 6)],
    }
}

/// The optional data span of the formats whose document number may continue there.
fn continuation_span(format: Format) -> Option<(usize, usize, usize)> {
    match format {
        Format::Td1 => Some((0, 15, 15)),
        Format::Td2 => Some((1, 28, 7)),
        _ => None,
    }
}

/// One check digit as the baseline computes it.
struct CheckField {
    covered: String,
    printed: char,
}

impl CheckField {
    /// What any parser must do for this field: compute the digit and compare. A TD3 personal
    /// number that is all fillers may carry `<` as its digit.
    fn holds(&self) -> bool {
        if self.printed == '<' {
            return self.covered.bytes().all(|b| b == b'<');
        }
        mrz::check_digit(&self.covered) == Some(self.printed)
    }
}

struct MrzCase {
    format: Format,
    lines: Vec<String>,
    /// The lines joined by newlines, as a scanner delivers them.
    text: String,
    checks: Vec<CheckField>,
    /// The same lines with one look-alike misread (`None` if no character had a look-alike).
    misread: Option<String>,
}

struct MrzSet {
    cases: Vec<MrzCase>,
    /// Documents whose TD1/TD2 number continues into the optional data.
    long_numbers: usize,
    /// Documents with an unknown month and day of birth (`<<<<`).
    unknown_birth_parts: usize,
    /// Documents whose name field was truncated when rendered.
    truncated_names: usize,
}

fn invent_document(rng: &mut Rng, format: Format, today: CalendarDate, codes: &[&'static str]) -> Document {
    let document_code = match format {
        Format::Td1 | Format::Td2 => *rng.pick(&["I", "ID", "A", "C", "IR"]),
        Format::Td3 => *rng.pick(&["P", "PD", "PO"]),
        Format::MrvA | Format::MrvB => *rng.pick(&["V", "VS"]),
    };
    // TD1 and TD2 numbers may run past nine characters into the optional data.
    let long = matches!(format, Format::Td1 | Format::Td2) && rng.one_in(5);
    let number_len = if long { 10 + rng.below(3) as usize } else { 6 + rng.below(4) as usize };
    let document_number = format!("{}{}", rng.text(LETTERS, 1), rng.text(ALNUM, number_len - 1));
    let optional_max = match (format, long) {
        (Format::Td1, true) => 15 - (number_len - 9) - 2,
        (Format::Td1, false) => 15,
        (Format::Td2, true) => 0,
        (Format::Td2, false) => 7,
        (Format::Td3, _) => 14,
        (Format::MrvA, _) => 16,
        (Format::MrvB, _) => 8,
    };
    let optional_data = if optional_max == 0 || rng.one_in(2) {
        String::new()
    } else {
        let len = 1 + rng.below(optional_max as u64) as usize;
        rng.text(ALNUM, len)
    };
    let optional_data_2 = (format == Format::Td1).then(|| {
        if rng.one_in(2) {
            String::new()
        } else {
            let len = 1 + rng.below(11) as usize;
            rng.text(DIGITS, len)
        }
    });
    let today_days = today.days_since_unix_epoch();
    let birth = CalendarDate::from_days_since_unix_epoch(
        today_days - 1 - rng.below(HOLDER_AGE_MAX_YEARS * DAYS_PER_YEAR) as i64,
    );
    let date_of_birth = if rng.one_in(40) {
        MrzDate::new(Some(birth.year()), None, None).unwrap_or(MrzDate::from(birth))
    } else {
        MrzDate::from(birth)
    };
    let expiry = CalendarDate::from_days_since_unix_epoch(
        today_days - (EXPIRED_YEARS_MAX * DAYS_PER_YEAR) as i64
            + rng.below((EXPIRED_YEARS_MAX + EXPIRY_AHEAD_YEARS_MAX) * DAYS_PER_YEAR) as i64,
    );
    let secondary = if rng.one_in(8) {
        String::new()
    } else if rng.one_in(3) {
        format!("{} {}", rng.pick(GIVEN_NAMES), rng.pick(GIVEN_NAMES))
    } else {
        (*rng.pick(GIVEN_NAMES)).to_owned()
    };
    Document {
        format,
        document_code: document_code.to_owned(),
        issuing_state: (*rng.pick(codes)).to_owned(),
        document_number,
        name: Name {
            primary_identifier: (*rng.pick(SURNAMES)).to_owned(),
            secondary_identifier: secondary,
            truncated: false,
        },
        nationality: (*rng.pick(codes)).to_owned(),
        date_of_birth,
        sex: *rng.pick(&[Sex::Male, Sex::Female, Sex::Unspecified, Sex::UnspecifiedFiller]),
        date_of_expiry: MrzDate::from(expiry),
        optional_data,
        optional_data_2,
    }
}

fn char_at(lines: &[String], line: usize, column: usize) -> Option<char> {
    lines.get(line).and_then(|l| l.as_bytes().get(column)).map(|b| char::from(*b))
}

fn span_text(lines: &[String], (line, start, len): (usize, usize, usize)) -> String {
    lines.get(line).and_then(|l| l.get(start..start + len)).unwrap_or("").to_owned()
}

/// The check-digit fields of rendered lines, found as a parser finds them.
fn check_fields(format: Format, lines: &[String]) -> Result<Vec<CheckField>> {
    let mut fields = Vec::new();
    for (i, p) in digit_places(format).iter().enumerate() {
        let mut covered: String = p.covers.iter().map(|s| span_text(lines, *s)).collect();
        let mut digit = p.digit;
        // The document number (the first place) continues when its digit position holds '<'.
        if i == 0 && char_at(lines, digit.0, digit.1) == Some('<') {
            let Some(span) = continuation_span(format) else {
                bail!("{format}: '<' in the document number's check-digit position");
            };
            let optional = span_text(lines, span);
            let run = optional.find('<').unwrap_or(optional.len());
            if run < 2 {
                bail!("{format}: a continued document number without its continuation");
            }
            covered.push_str(&optional[..run - 1]);
            digit = (span.0, span.1 + run - 1);
        }
        let printed = char_at(lines, digit.0, digit.1)
            .ok_or_else(|| anyhow!("{format}: no check digit at {digit:?}"))?;
        fields.push(CheckField { covered, printed });
    }
    Ok(fields)
}

/// The lines with one look-alike misread at a random character of the document number or a
/// date that has a look-alike (OCR-B: 0/O, 1/I, 2/Z, 5/S, 8/B).
fn misread(rng: &mut Rng, format: Format, lines: &[String]) -> Option<String> {
    let mut candidates = Vec::new();
    for (line, start, len) in misread_spans(format) {
        for column in start..start + len {
            let Some(c) = char_at(lines, line, column) else { continue };
            for (digit, letter) in mrz::LOOK_ALIKES {
                if c == digit {
                    candidates.push((line, column, letter));
                } else if c == letter {
                    candidates.push((line, column, digit));
                }
            }
        }
    }
    if candidates.is_empty() {
        return None;
    }
    let (line, column, replacement) = *rng.pick(&candidates);
    let mut changed = lines.to_vec();
    let mut chars: Vec<char> = changed[line].chars().collect();
    chars[column] = replacement;
    changed[line] = chars.into_iter().collect();
    Some(changed.join("\n"))
}

/// Invents `n` documents cycling through the five formats, renders them, and checks that each
/// parses and renders back to the same lines before anything is timed.
fn mrz_set(n: usize, today: CalendarDate) -> Result<MrzSet> {
    let mut rng = Rng(SEED);
    let codes: Vec<&'static str> = mrz::icao_codes().map(|c| c.code).collect();
    let mut set =
        MrzSet { cases: Vec::with_capacity(n), long_numbers: 0, unknown_birth_parts: 0, truncated_names: 0 };
    for i in 0..n {
        let format = FORMATS[i % FORMATS.len()];
        let doc = invent_document(&mut rng, format, today, &codes);
        let lines =
            mrz::render(&doc).map_err(|e| anyhow!("rendering invented document {i} ({format}): {e}"))?;
        let text = lines.join("\n");
        let parsed = mrz::parse(&text, today)
            .map_err(|e| anyhow!("invented document {i} ({format}) does not parse back: {e}\n{text}"))?;
        let again = mrz::render(&parsed.document)
            .map_err(|e| anyhow!("invented document {i} ({format}) does not render again: {e}"))?;
        if again != lines {
            bail!(
                "invented document {i} ({format}) renders differently after parsing:\n{text}\n{}",
                again.join("\n")
            );
        }
        let checks = check_fields(format, &lines)?;
        if let Some(bad) = checks.iter().find(|c| !c.holds()) {
            bail!("invented document {i} ({format}): the baseline's digit over {:?} is not the printed {:?}: the bench's layout table is wrong\n{text}", bad.covered, bad.printed);
        }
        set.long_numbers += usize::from(doc.document_number.len() > 9);
        set.unknown_birth_parts += usize::from(doc.date_of_birth.month().is_none());
        set.truncated_names += usize::from(parsed.document.name.truncated);
        let misread = misread(&mut rng, format, &lines);
        set.cases.push(MrzCase { format, lines, text, checks, misread });
    }
    Ok(set)
}

// ---------------------------------------------------------------------------------------------
// MRZ measurements.

/// A latency that may be under a microsecond (MRZ calls): nanoseconds below 1 µs, two
/// decimals below 10 µs, and as the other benches write it above.
fn fmt_short_latency(d: Option<Duration>) -> String {
    match d {
        Some(d) if d < Duration::from_micros(1) => format!("{} ns", d.as_nanos()),
        Some(d) if d < Duration::from_micros(10) => format!("{:.2} µs", d.as_secs_f64() * 1e6),
        other => fmt_latency(other),
    }
}

/// A single-threaded measurement over a set: the rate from passes timed as a whole, the
/// latencies from alternate passes that time each call.
struct Measured {
    ops: u64,
    elapsed: Duration,
    latency: Sample,
    /// Each timed call's format (index into `FORMATS`), in the order of `by_format`.
    by_format: Vec<Vec<Duration>>,
}

impl Measured {
    fn rate(&self) -> f64 {
        per_second(self.ops, self.elapsed)
    }
}

/// Runs `op` over `items` for `phase`, alternating whole-pass timing and per-call timing.
/// `op` returns false when a result is wrong, which fails the measurement.
fn measure<T>(items: &[(usize, T)], phase: Duration, mut op: impl FnMut(&T) -> bool) -> Result<Measured> {
    if items.is_empty() {
        bail!("nothing to measure");
    }
    let (mut ops, mut elapsed) = (0u64, Duration::ZERO);
    let mut latencies = Vec::new();
    let mut by_format = vec![Vec::new(); FORMATS.len()];
    let mut latency_elapsed = Duration::ZERO;
    let mut wrong = 0u64;
    let started = Instant::now();
    let mut pass = 0u64;
    while started.elapsed() < phase || pass < 2 {
        if pass.is_multiple_of(2) {
            let t = Instant::now();
            for (_, item) in items {
                wrong += u64::from(!op(item));
            }
            elapsed += t.elapsed();
            ops += items.len() as u64;
        } else {
            let pass_started = Instant::now();
            for (format, item) in items {
                let t = Instant::now();
                let right = op(item);
                let d = t.elapsed();
                wrong += u64::from(!right);
                latencies.push(d);
                by_format[*format].push(d);
            }
            latency_elapsed += pass_started.elapsed();
        }
        pass += 1;
    }
    if wrong > 0 {
        bail!("{wrong} call(s) gave a wrong result");
    }
    for v in &mut by_format {
        v.sort_unstable();
    }
    Ok(Measured { ops, elapsed, latency: Sample::new(latencies, latency_elapsed), by_format })
}

fn format_index(format: Format) -> usize {
    FORMATS.iter().position(|f| *f == format).unwrap_or(0)
}

struct MrzRows {
    baseline: Outcome<Measured>,
    parse: Outcome<Measured>,
    read: Outcome<Measured>,
}

fn outcome<T>(r: Result<T>, ok: &mut bool) -> Outcome<T> {
    match r {
        Ok(t) => Outcome::Done(t),
        Err(e) => {
            *ok = false;
            Outcome::Failed(format!("{e:#}"))
        }
    }
}

fn log_measured(log: &Log, label: &str, o: &Outcome<Measured>) {
    match o {
        Outcome::Done(m) => log.line(format_args!(
            "   {label}: {} documents/s, p50 {}, p99 {}",
            fmt_rate(m.rate()),
            fmt_short_latency(m.latency.percentile(50)),
            fmt_short_latency(m.latency.percentile(99))
        )),
        other => log.line(format_args!("   {label}: {}", other.why_not().unwrap_or_default())),
    }
}

fn mrz_bench(set: &MrzSet, today: CalendarDate, phase: Duration, log: &Log, ok: &mut bool) -> MrzRows {
    let idx = |c: &MrzCase| format_index(c.format);
    let checks: Vec<(usize, &[CheckField])> =
        set.cases.iter().map(|c| (idx(c), c.checks.as_slice())).collect();
    log.line(format_args!("1. baseline: check digits for {} s", phase.as_secs()));
    let baseline = outcome(
        measure(&checks, phase, |fields| {
            let mut all = true;
            for f in *fields {
                all &= std::hint::black_box(f).holds();
            }
            all
        }),
        ok,
    );
    log_measured(log, "check digits", &baseline);

    let texts: Vec<(usize, &str)> = set.cases.iter().map(|c| (idx(c), c.text.as_str())).collect();
    log.line(format_args!("1. strict parse for {} s", phase.as_secs()));
    let parse = outcome(
        measure(&texts, phase, |t| std::hint::black_box(mrz::parse(std::hint::black_box(t), today)).is_ok()),
        ok,
    );
    log_measured(log, "parse", &parse);

    // Reader mode must propose the original lines among its corrections for every misread.
    let misread: Vec<(usize, (&str, &[String]))> = set
        .cases
        .iter()
        .filter_map(|c| c.misread.as_deref().map(|m| (idx(c), (m, c.lines.as_slice()))))
        .collect();
    log.line(format_args!("1. reader mode on {} misread documents for {} s", misread.len(), phase.as_secs()));
    let read = outcome(
        measure(&misread, phase, |(text, original)| {
            let report = std::hint::black_box(mrz::read(std::hint::black_box(text), today));
            !report.failures.is_empty() && report.corrections.iter().any(|c| c.lines.as_slice() == *original)
        }),
        ok,
    );
    log_measured(log, "reader mode", &read);
    MrzRows { baseline, parse, read }
}

fn mrz_report(set: &MrzSet, today: CalendarDate, rows: &MrzRows) -> String {
    let n = set.cases.len();
    let count = |f: Format| set.cases.iter().filter(|c| c.format == f).count();
    let digits: usize = set.cases.iter().map(|c| c.checks.len()).sum();
    let chars: usize = set.cases.iter().flat_map(|c| &c.checks).map(|f| f.covered.len()).sum();
    let misread = set.cases.iter().filter(|c| c.misread.is_some()).count();
    let mut md = String::from("## 1. MRZ parsing, one thread (`mrz::parse`, `mrz::read`)\n\n");
    let _ = writeln!(
        md,
        "{} invented documents (TD1 {}, TD2 {}, TD3 {}, MRV-A {}, MRV-B {}; {} with a TD1/TD2 number continued in the optional data, {} with an unknown birth month and day, {} with a truncated name), rendered with `mrz::render` and checked to parse and render back to the same lines before any timing. Reference date {today}; seed {SEED:#x}.\n",
        fmt_int(n as u64),
        count(Format::Td1),
        count(Format::Td2),
        count(Format::Td3),
        count(Format::MrvA),
        count(Format::MrvB),
        set.long_numbers,
        set.unknown_birth_parts,
        set.truncated_names,
    );
    let _ = writeln!(
        md,
        "Baseline: the raw 7-3-1 computation, `mrz::check_digit`, over the characters of every field a check digit covers, compared with the printed digit ({:.1} digits and {:.0} characters per document on average): the least any parser must do. Reader mode runs on the same lines with one look-alike misread each ({} of {} documents had a character with a look-alike in the number or a date), and every call must propose the original lines. Rates come from passes timed as a whole; p50 and p99 from alternate passes that time each call.\n",
        digits as f64 / n.max(1) as f64,
        chars as f64 / n.max(1) as f64,
        fmt_int(misread as u64),
        fmt_int(n as u64),
    );
    md.push_str("| operation | documents | documents/s | p50 | p99 | × check digits | × strict parse |\n|---|---:|---:|---:|---:|---:|---:|\n");
    let base = rows.baseline.done().map(Measured::rate);
    let parse = rows.parse.done().map(Measured::rate);
    for (name, o) in [
        ("baseline: check digits (`mrz::check_digit` per covered field)", &rows.baseline),
        ("strict parse (`mrz::parse`)", &rows.parse),
        ("reader mode, one look-alike misread (`mrz::read`)", &rows.read),
    ] {
        match o.done() {
            Some(m) => {
                let r = m.rate();
                let _ = writeln!(
                    md,
                    "| {name} | {} | {} | {} | {} | {} | {} |",
                    fmt_int(m.ops),
                    fmt_rate(r),
                    fmt_short_latency(m.latency.percentile(50)),
                    fmt_short_latency(m.latency.percentile(99)),
                    base.map_or("n/a".into(), |b| fmt_ratio(r / b)),
                    parse.map_or("n/a".into(), |p| fmt_ratio(r / p)),
                );
            }
            None => {
                let _ = writeln!(md, "| {name} | {} | | | | | |", o.why_not().unwrap_or_default());
            }
        }
    }
    md.push_str("\nBy format (p50 per document, from the per-call passes):\n\n| format | documents | check digits | strict parse | reader mode |\n|---|---:|---:|---:|---:|\n");
    for (i, f) in FORMATS.iter().enumerate() {
        let p50 = |o: &Outcome<Measured>| {
            o.done().map_or("n/a".into(), |m| {
                let v = &m.by_format[i];
                let rank = (v.len() * 50).div_ceil(100).clamp(1, v.len().max(1));
                fmt_short_latency(v.get(rank - 1).copied())
            })
        };
        let _ = writeln!(
            md,
            "| {f} | {} | {} | {} | {} |",
            count(*f),
            p50(&rows.baseline),
            p50(&rows.parse),
            p50(&rows.read)
        );
    }
    md.push('\n');
    md
}

// ---------------------------------------------------------------------------------------------
// Passive authentication.

/// One algorithm's chip: its directory holds EF.SOD, DG1.bin, DG2.bin, sod.cms (the CMS
/// ContentInfo without EF.SOD's tag 77), trust/ with csca.pem and crl.pem, and
/// openssl-ca.pem (both in one file, for OpenSSL).
struct Chip {
    name: String,
    csca: String,
    dir: PathBuf,
    sod_bytes: usize,
    dg2_bytes: usize,
}

fn days(n: u64) -> Duration {
    Duration::from_secs(n * SECONDS_PER_DAY)
}

/// A face image stand-in of `FACE_IMAGE_BYTES`: JPEG-shaped (SOI, one comment segment of
/// filler bytes, EOI), with no image and no person in it.
fn synthetic_face(rng: &mut Rng) -> Vec<u8> {
    let filler = FACE_IMAGE_BYTES - 8;
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xFE];
    jpeg.extend_from_slice(&((filler + 2) as u16).to_be_bytes());
    jpeg.extend((0..filler).map(|_| rng.below(255) as u8));
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

/// PEM of a DER document (RFC 7468: base64 in lines of 64).
fn pem(label: &str, der: &[u8]) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::with_capacity(der.len() * 4 / 3 + 4);
    for chunk in der.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(B64[(n >> (18 - 6 * i) & 0x3F) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    let _ = writeln!(out, "-----END {label}-----");
    out
}

/// EF.SOD's content: the CMS ContentInfo inside tag 77 (definite length, as Doc 9303 writes it).
fn strip_sod_wrapper(sod: &[u8]) -> Result<&[u8]> {
    let (&tag, rest) = sod.split_first().ok_or_else(|| anyhow!("EF.SOD is empty"))?;
    if tag != 0x77 {
        bail!("EF.SOD starts with tag {tag:02X}, not 77");
    }
    let (&first, rest) = rest.split_first().ok_or_else(|| anyhow!("EF.SOD has no length"))?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let k = usize::from(first & 0x7F);
        if k == 0 || k > 3 || rest.len() < k {
            bail!("EF.SOD's length of {k} bytes is not a definite length this bench reads");
        }
        (rest[..k].iter().fold(0usize, |n, b| n << 8 | usize::from(*b)), &rest[k..])
    };
    if rest.len() != len {
        bail!("EF.SOD's length says {len} bytes but {} follow", rest.len());
    }
    Ok(rest)
}

/// Issues a CSCA and a Document Signer per algorithm, personalises a chip each (an invented
/// holder on a TD3 of Utopia), and writes the files.
fn issue_chips(dir: &Path, log: &Log) -> Result<Vec<Chip>> {
    let now = SystemTime::now();
    let start = now - days(VALID_BEFORE_NOW_DAYS);
    let (csca_end, ds_end) = (now + days(CSCA_VALID_DAYS), now + days(DS_VALID_DAYS));
    let mut rng = Rng(SEED ^ 0xFACE);
    let face = synthetic_face(&mut rng);
    let holder = Document {
        format: Format::Td3,
        document_code: "P".into(),
        issuing_state: "UTO".into(),
        document_number: "X4B7Q2C90".into(),
        name: Name {
            primary_identifier: "SETIAWATI".into(),
            secondary_identifier: "RANI AYU".into(),
            truncated: false,
        },
        nationality: "UTO".into(),
        date_of_birth: "1992-03-15".parse().context("the holder's birth date")?,
        sex: Sex::Female,
        date_of_expiry: "2034-06-30".parse().context("the holder's expiry date")?,
        optional_data: String::new(),
        optional_data_2: None,
    };
    let lines = mrz::render(&holder).context("rendering the holder's MRZ")?;
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();

    log.line(format_args!("   generating RSA-{RSA_BITS} keys (CSCA and two Document Signers)"));
    let rsa = |what: &str| {
        SigningKey::generate_rsa(RSA_BITS, false).with_context(|| format!("generating the RSA key of {what}"))
    };
    let rsa_csca_key = rsa("the RSA CSCA")?;
    let rsa_ds_key = rsa("the RSA Document Signer")?;
    let rsa_pss_key = rsa("the RSA-PSS Document Signer")?
        .rsa_with_padding(true)
        .ok_or_else(|| anyhow!("an RSA key without RSA padding"))?;
    let bp = |c: Curve| SigningKey::generate_brainpool(c).context("generating a Brainpool key");
    // (DS algorithm, CSCA algorithm, CSCA, DS key) of the elliptic-curve chips; the RSA CSCA
    // signs both RSA Document Signers below.
    let rsa_csca = Csca::new("CN=Bench CSCA RSA,O=Gapura Bench,C=UT", rsa_csca_key, 2, start, csca_end)
        .context("issuing the RSA CSCA")?;
    let mut specs: Vec<(String, String, Csca, SigningKey)> = Vec::new();
    let ec = |dn: &str, key: SigningKey, serial| Csca::new(dn, key, serial, start, csca_end);
    specs.push((
        "ECDSA P-256".into(),
        "ECDSA P-256".into(),
        ec("CN=Bench CSCA P-256,O=Gapura Bench,C=UT", SigningKey::generate_p256(), 1)
            .context("issuing the P-256 CSCA")?,
        SigningKey::generate_p256(),
    ));
    specs.push((
        "ECDSA P-384".into(),
        "ECDSA P-384".into(),
        ec("CN=Bench CSCA P-384,O=Gapura Bench,C=UT", SigningKey::generate_p384(), 3)
            .context("issuing the P-384 CSCA")?,
        SigningKey::generate_p384(),
    ));
    specs.push((
        "ECDSA brainpoolP256r1".into(),
        "ECDSA brainpoolP256r1".into(),
        ec("CN=Bench CSCA brainpoolP256r1,O=Gapura Bench,C=UT", bp(Curve::P256r1)?, 4)
            .context("issuing the Brainpool CSCA")?,
        bp(Curve::P256r1)?,
    ));
    let mut chips = Vec::new();
    let mut write_chip = |name: &str,
                          csca_alg: &str,
                          csca: &Csca,
                          ds_key: SigningKey,
                          serial: u64|
     -> Result<()> {
        let slug: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let chip_dir = dir.join(&slug);
        let trust = chip_dir.join("trust");
        std::fs::create_dir_all(&trust).with_context(|| format!("creating {}", trust.display()))?;
        let ds = csca
            .issue_signer(&format!("CN=Bench DS {slug},O=Gapura Bench,C=UT"), ds_key, serial, start, ds_end)
            .with_context(|| format!("issuing the {name} Document Signer"))?;
        let chip = personalise(&ds, &lines, &face, DigestAlgorithm::Sha256)
            .with_context(|| format!("personalising the {name} chip"))?;
        chip.write_to(&chip_dir).with_context(|| format!("writing the chip to {}", chip_dir.display()))?;
        let cms = strip_sod_wrapper(&chip.sod)?;
        std::fs::write(chip_dir.join("sod.cms"), cms).context("writing sod.cms")?;
        std::fs::write(trust.join("csca.pem"), csca.certificate.pem()).context("writing csca.pem")?;
        let crl = csca
            .crl(&[(REVOKED_SERIAL.to_vec(), start)], start, now + days(CRL_NEXT_UPDATE_DAYS))
            .with_context(|| format!("issuing the {name} CSCA's CRL"))?;
        std::fs::write(trust.join("crl.pem"), pem("X509 CRL", &crl)).context("writing crl.pem")?;
        // OpenSSL's cms command takes CRLs only inside its -CAfile.
        let both = format!("{}{}", csca.certificate.pem(), pem("X509 CRL", &crl));
        std::fs::write(chip_dir.join(OPENSSL_CA_FILE), both).context("writing the OpenSSL CA file")?;
        chips.push(Chip {
            name: name.to_owned(),
            csca: csca_alg.to_owned(),
            dir: chip_dir,
            sod_bytes: chip.sod.len(),
            dg2_bytes: chip.data_groups.get(2).map_or(0, <[u8]>::len),
        });
        Ok(())
    };
    for (i, (name, csca_alg, csca, key)) in specs.into_iter().enumerate() {
        write_chip(&name, &csca_alg, &csca, key, 10 + i as u64)?;
    }
    let rsa_name = format!("RSA-{RSA_BITS}");
    write_chip(
        &format!("{rsa_name} PKCS#1 v1.5"),
        &format!("{rsa_name} PKCS#1 v1.5"),
        &rsa_csca,
        rsa_ds_key,
        20,
    )?;
    write_chip(&format!("{rsa_name} PSS"), &format!("{rsa_name} PKCS#1 v1.5"), &rsa_csca, rsa_pss_key, 21)?;
    // P-256 and RSA-2048 PKCS#1 v1.5 first in the report: the two every issuer's verifier meets.
    chips.sort_by_key(|c| (!c.name.contains("P-256"), !c.name.contains("PKCS"), c.name.clone()));
    Ok(chips)
}

/// A command run as a process per verification, from the chip's directory.
struct Proc {
    program: PathBuf,
    args: Vec<String>,
}

impl Proc {
    fn display(&self, program_name: &str) -> String {
        format!("{program_name} {}", self.args.join(" "))
    }

    fn command(&self, dir: &Path) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args).current_dir(dir);
        c
    }

    /// One run with its output captured: `Ok` if it exits 0, else its stderr.
    fn check(&self, dir: &Path) -> Result<()> {
        let out =
            self.command(dir).output().with_context(|| format!("running {}", self.program.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            bail!(
                "exit {}: {}",
                out.status.code().map_or("by signal".into(), |c| c.to_string()),
                String::from_utf8_lossy(&out.stderr).trim()
            )
        }
    }

    /// One timed run with its output discarded; it must exit 0.
    fn timed(&self, dir: &Path) -> Result<Duration> {
        let t = Instant::now();
        let status = self
            .command(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("running {}", self.program.display()))?;
        let d = t.elapsed();
        if !status.success() {
            bail!("{} exited with {status} during the timed runs", self.program.display());
        }
        Ok(d)
    }
}

/// The chip directory's CA file for OpenSSL: the CSCA and its CRL in one PEM file.
const OPENSSL_CA_FILE: &str = "openssl-ca.pem";
const OPENSSL_ARGS: [&str; 12] = [
    "cms",
    "-verify",
    "-inform",
    "DER",
    "-in",
    "sod.cms",
    "-CAfile",
    OPENSSL_CA_FILE,
    "-crl_check",
    "-binary",
    "-out",
    "/dev/null",
];
/// Tried when OpenSSL refuses the Document Signer for its S/MIME purpose.
const OPENSSL_PURPOSE_ANY: [&str; 2] = ["-purpose", "any"];

struct PaRow {
    in_process: Outcome<Sample>,
    gapura: Outcome<Sample>,
    openssl: Outcome<Sample>,
    /// The exact OpenSSL command used, from the chip's directory.
    openssl_command: Option<String>,
    /// OpenSSL rejected a copy of sod.cms with its last (signature) byte flipped.
    openssl_rejects_tampering: Option<bool>,
}

struct PaRows {
    floor: Outcome<Sample>,
    gapura_command: String,
    rows: Vec<PaRow>,
}

fn in_process(chip: &Chip, phase: Duration) -> Result<Sample> {
    let at = SystemTime::now();
    let sod = std::fs::read(chip.dir.join("EF.SOD")).context("reading EF.SOD")?;
    let mut groups = DataGroups::new();
    for n in [1u8, 2] {
        let bytes = std::fs::read(chip.dir.join(format!("DG{n}.bin")))
            .with_context(|| format!("reading DG{n}.bin"))?;
        groups.insert(n, bytes).with_context(|| format!("DG{n}.bin"))?;
    }
    let mut trust = TrustStore::new();
    let loaded = trust.load_dir(&chip.dir.join("trust"), at).context("loading the trust store")?;
    if loaded.crls == 0 {
        bail!("the trust store holds no CRL");
    }
    let first = pa::verify(&sod, &groups, &trust, at);
    if !first.passed {
        bail!("the first verification did not pass: {}", first.not_passed().join(", "));
    }
    let mut latencies = Vec::new();
    let mut failed = 0u64;
    let started = Instant::now();
    while started.elapsed() < phase {
        let t = Instant::now();
        let report = pa::verify(std::hint::black_box(&sod), &groups, &trust, at);
        latencies.push(t.elapsed());
        failed += u64::from(!std::hint::black_box(report).passed);
    }
    let elapsed = started.elapsed();
    if failed > 0 {
        bail!("{failed} verification(s) did not pass");
    }
    Ok(Sample::new(latencies, elapsed))
}

/// A copy of sod.cms with its last byte (inside the signature) flipped: OpenSSL must reject it,
/// which shows the baseline really verifies.
fn openssl_rejects_tampering(openssl: &Proc, chip: &Chip) -> Result<bool> {
    let mut cms = std::fs::read(chip.dir.join("sod.cms")).context("reading sod.cms")?;
    if let Some(last) = cms.last_mut() {
        *last ^= 0x01;
    }
    std::fs::write(chip.dir.join("sod-tampered.cms"), &cms).context("writing sod-tampered.cms")?;
    let args =
        openssl.args.iter().map(|a| if a == "sod.cms" { "sod-tampered.cms".into() } else { a.clone() });
    let tampered = Proc { program: openssl.program.clone(), args: args.collect() };
    let rejected = tampered.check(&chip.dir).is_err();
    std::fs::remove_file(chip.dir.join("sod-tampered.cms")).context("removing sod-tampered.cms")?;
    Ok(rejected)
}

/// Finds the OpenSSL command that accepts the chip: the plain one, else with `-purpose any`.
fn openssl_for(chip: &Chip) -> Result<Proc> {
    let plain =
        Proc { program: "openssl".into(), args: OPENSSL_ARGS.iter().map(|a| a.to_string()).collect() };
    let first = match plain.check(&chip.dir) {
        Ok(()) => return Ok(plain),
        Err(e) => e,
    };
    let mut args = plain.args.clone();
    args.splice(2..2, OPENSSL_PURPOSE_ANY.iter().map(|a| a.to_string()));
    let any = Proc { program: "openssl".into(), args };
    match any.check(&chip.dir) {
        Ok(()) => Ok(any),
        Err(e) => bail!("openssl refuses the chip: {first:#}; with -purpose any: {e:#}"),
    }
}

fn log_sample(log: &Log, label: &str, o: &Outcome<Sample>) {
    match o {
        Outcome::Done(s) => log.line(format_args!(
            "   {label}: {} verifications/s, p50 {}, p99 {}",
            fmt_rate(s.rate()),
            fmt_latency(s.percentile(50)),
            fmt_latency(s.percentile(99))
        )),
        other => log.line(format_args!("   {label}: {}", other.why_not().unwrap_or_default())),
    }
}

/// `runs` timed runs of each command, interleaved so that both see the same machine.
fn interleaved(procs: &[&Proc], dir: &Path, runs: u64) -> Vec<Result<Vec<Duration>>> {
    let mut latencies: Vec<Result<Vec<Duration>>> = procs.iter().map(|_| Ok(Vec::new())).collect();
    for _ in 0..runs {
        for (p, l) in procs.iter().zip(latencies.iter_mut()) {
            if let Ok(v) = l {
                match p.timed(dir) {
                    Ok(d) => v.push(d),
                    Err(e) => *l = Err(e),
                }
            }
        }
    }
    latencies
}

/// Adds `p`, if any, to the commands run in turn, and says where it is.
fn push_slot<'a>(procs: &mut Vec<&'a Proc>, p: Option<&'a Proc>) -> Option<usize> {
    p.map(|p| {
        procs.push(p);
        procs.len() - 1
    })
}

/// Process runs as a sample whose rate is runs over the time spent in them.
fn process_sample(latencies: Vec<Duration>) -> Sample {
    let total = latencies.iter().sum();
    Sample::new(latencies, total)
}

fn pa_bench(
    chips: &[Chip],
    phase: Duration,
    runs: u64,
    openssl: Option<&String>,
    log: &Log,
    ok: &mut bool,
) -> PaRows {
    let gapura = match std::env::current_exe() {
        Ok(exe) => Ok(Proc {
            program: exe,
            args: ["document", "verify", "--dir", ".", "--trust", "trust"].map(String::from).to_vec(),
        }),
        Err(e) => Err(format!("cannot find this executable: {e}")),
    };
    let gapura_command = gapura.as_ref().map_or("gapura document verify".into(), |g| g.display("gapura"));
    // The floor runs interleaved with every algorithm's commands, so that it sees the same
    // machine; its runs are pooled into one row.
    let floor_proc = Proc { program: "true".into(), args: Vec::new() };
    let mut floor = match floor_proc.check(Path::new(".")) {
        Ok(()) => Outcome::Done(Vec::new()),
        Err(e) => Outcome::Skipped(format!("`true` does not run here: {e:#}")),
    };

    let mut rows = Vec::new();
    for chip in chips {
        log.line(format_args!("2. {}: pa::verify in-process for {} s", chip.name, phase.as_secs()));
        let in_process = outcome(in_process(chip, phase), ok);
        log_sample(log, "in-process", &in_process);

        let mut openssl_row: Outcome<Sample> =
            Outcome::Skipped("openssl is not installed or does not run".into());
        let mut openssl_proc = None;
        if openssl.is_some() {
            match openssl_for(chip) {
                Ok(p) => openssl_proc = Some(p),
                Err(e) => {
                    *ok = false;
                    openssl_row = Outcome::Failed(format!("{e:#}"));
                }
            }
        }
        let tamper = openssl_proc.as_ref().and_then(|p| match openssl_rejects_tampering(p, chip) {
            Ok(rejected) => {
                *ok &= rejected;
                Some(rejected)
            }
            Err(e) => {
                log.line(format_args!("   tampering check: {e:#}"));
                None
            }
        });
        let mut gapura_row: Outcome<Sample> = Outcome::Failed(String::new());
        let gapura_proc = match &gapura {
            Err(e) => {
                *ok = false;
                gapura_row = Outcome::Failed(e.clone());
                None
            }
            Ok(g) => match g.check(&chip.dir) {
                Ok(()) => Some(g),
                Err(e) => {
                    *ok = false;
                    gapura_row = Outcome::Failed(format!("gapura document verify did not pass: {e:#}"));
                    None
                }
            },
        };

        log.line(format_args!("2. {}: processes, {runs} runs of each, interleaved", chip.name));
        let mut procs: Vec<&Proc> = Vec::new();
        let floor_i = push_slot(&mut procs, matches!(floor, Outcome::Done(_)).then_some(&floor_proc));
        let gapura_i = push_slot(&mut procs, gapura_proc);
        let openssl_i = push_slot(&mut procs, openssl_proc.as_ref());
        let mut results: Vec<Option<Result<Vec<Duration>>>> =
            interleaved(&procs, &chip.dir, runs).into_iter().map(Some).collect();
        let mut take = |i: Option<usize>| i.and_then(|i| results.get_mut(i).and_then(Option::take));
        if let Some(r) = take(floor_i) {
            floor = match (floor, r) {
                (Outcome::Done(mut all), Ok(v)) => {
                    all.extend(v);
                    Outcome::Done(all)
                }
                (_, Err(e)) => {
                    *ok = false;
                    Outcome::Failed(format!("{e:#}"))
                }
                (other, Ok(_)) => other,
            };
        }
        if let Some(r) = take(gapura_i) {
            gapura_row = outcome(r.map(process_sample), ok);
        }
        if let Some(r) = take(openssl_i) {
            openssl_row = outcome(r.map(process_sample), ok);
        }
        log_sample(log, "gapura document verify", &gapura_row);
        log_sample(log, "openssl cms -verify", &openssl_row);
        rows.push(PaRow {
            in_process,
            gapura: gapura_row,
            openssl: openssl_row,
            openssl_command: openssl_proc.as_ref().map(|p| p.display("openssl")),
            openssl_rejects_tampering: tamper,
        });
    }
    let floor = match floor {
        Outcome::Done(v) => Outcome::Done(process_sample(v)),
        Outcome::Skipped(s) => Outcome::Skipped(s),
        Outcome::Failed(s) => Outcome::Failed(s),
    };
    log_sample(log, "true (all algorithms)", &floor);
    PaRows { floor, gapura_command, rows }
}

fn pa_report(chips: &[Chip], runs: u64, pa: &PaRows) -> String {
    let mut md =
        String::from("## 2. Passive authentication (`pa::verify`) against `openssl cms -verify`\n\n");
    let (sod, dg2) = chips.first().map_or((0, 0), |c| (c.sod_bytes, c.dg2_bytes));
    let _ = writeln!(
        md,
        "Per algorithm, a CSCA and a Document Signer issued with `pa::issue`, and one chip personalised with `pa::issue::personalise` (an invented holder on a TD3 of Utopia; DG1, and DG2 with a {} synthetic face image; data-group hashes SHA-256; EF.SOD of about {}). Each chip's directory holds `EF.SOD`, `DG1.bin`, `DG2.bin`, `sod.cms` (EF.SOD without its tag 77 wrapper: the CMS ContentInfo) and `trust/` with `csca.pem` and a CRL of the CSCA (`crl.pem`, one entry, not the Document Signer), so that every check runs, revocation included; `openssl-ca.pem` holds the same certificate and CRL for OpenSSL, whose `cms` command reads CRLs only from its `-CAfile`.\n",
        fmt_bytes(dg2 as u64),
        fmt_bytes(sod as u64)
    );
    md.push_str(concat!(
        "Baseline: `openssl cms -verify` on the same files, a process per verification. It checks the ",
        "signed attributes, the signature, the chain to the CSCA, validity and the CRL; it does not ",
        "hash the data groups (it knows nothing of them), which `pa::verify` does.\n\n",
    ));
    let openssl_rate = |r: &PaRow| r.openssl.done().map(Sample::rate);
    md.push_str(concat!(
        "### In-process: `pa::verify` on one thread\n\nThe trust store is loaded once; each call parses ",
        "EF.SOD and runs every check. The last column divides by OpenSSL's per-process rate of the next ",
        "table, **which includes OpenSSL's process start-up**: it says what a server verifying in-process ",
        "gains over shelling out to OpenSSL, not that our cryptography is faster.\n\n",
    ));
    md.push_str("| Document Signer | CSCA | verifications | verifications/s | p50 | p99 | × openssl (per process) |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (chip, row) in chips.iter().zip(&pa.rows) {
        match row.in_process.done() {
            Some(s) => {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    chip.name,
                    chip.csca,
                    fmt_int(s.ops),
                    fmt_rate(s.rate()),
                    fmt_latency(s.percentile(50)),
                    fmt_latency(s.percentile(99)),
                    openssl_rate(row).map_or("n/a".into(), |o| fmt_ratio(s.rate() / o))
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | | | | |",
                    chip.name,
                    chip.csca,
                    row.in_process.why_not().unwrap_or_default()
                );
            }
        }
    }
    let _ = writeln!(
        md,
        "\n### As processes: `gapura document verify` against `openssl cms -verify`\n\n{} runs of each command per algorithm, in turn (`true`, `gapura`, `openssl`, `true`, …), from the chip's directory, output discarded, each timed from spawn to exit (wall time); `true` is the floor: what starting any process costs here, pooled over all algorithms. Every run must exit 0. `gapura` loads the trust directory (certificate and CRL), reads the files, verifies and prints the JSON report; `openssl` loads its configuration, the CA file and the CRL, and verifies. Commands:\n",
        fmt_int(runs)
    );
    let _ = writeln!(md, "- `{}`", pa.gapura_command);
    let mut openssl_commands: Vec<&str> =
        pa.rows.iter().filter_map(|r| r.openssl_command.as_deref()).collect();
    openssl_commands.sort_unstable();
    openssl_commands.dedup();
    for c in &openssl_commands {
        let _ = writeln!(md, "- `{c}`");
    }
    let tamper: Vec<String> = chips
        .iter()
        .zip(&pa.rows)
        .filter_map(|(c, r)| {
            r.openssl_rejects_tampering.map(|t| format!("{} {}", c.name, if t { "yes" } else { "**NO**" }))
        })
        .collect();
    if !tamper.is_empty() {
        let _ = writeln!(
            md,
            "\nOpenSSL rejects a copy of `sod.cms` with the last byte of the signature flipped: {}.",
            tamper.join(", ")
        );
    }
    md.push_str("\n| Document Signer | command | runs | verifications/s | p50 | p99 | × openssl |\n|---|---|---:|---:|---:|---:|---:|\n");
    match pa.floor.done() {
        Some(s) => {
            let _ = writeln!(
                md,
                "| (none) | `true`: the process start-up floor (all algorithms) | {} | {} | {} | {} | |",
                fmt_int(s.ops),
                fmt_rate(s.rate()),
                fmt_latency(s.percentile(50)),
                fmt_latency(s.percentile(99))
            );
        }
        None => {
            let _ = writeln!(md, "| (none) | `true` | {} | | | | |", pa.floor.why_not().unwrap_or_default());
        }
    }
    for (chip, row) in chips.iter().zip(&pa.rows) {
        let base = openssl_rate(row);
        for (command, o) in
            [("`gapura document verify`", &row.gapura), ("`openssl cms -verify`", &row.openssl)]
        {
            match o.done() {
                Some(s) => {
                    let _ = writeln!(
                        md,
                        "| {} | {command} | {} | {} | {} | {} | {} |",
                        chip.name,
                        fmt_int(s.ops),
                        fmt_rate(s.rate()),
                        fmt_latency(s.percentile(50)),
                        fmt_latency(s.percentile(99)),
                        base.map_or("n/a".into(), |b| fmt_ratio(s.rate() / b))
                    );
                }
                None => {
                    let _ = writeln!(
                        md,
                        "| {} | {command} | {} | | | | |",
                        chip.name,
                        o.why_not().unwrap_or_default()
                    );
                }
            }
        }
    }
    md.push('\n');
    md
}
