//! `gapura mrz parse` and `gapura mrz render`: the MRZ library over standard input and output,
//! for scanners, scripts and people checking a document by hand.
//!
//! Exit codes: 0 success; 1 the MRZ (or document) was refused, with the reason on standard
//! error; 2 a usage error (a `--today` that is not a date, input that is not a document's JSON).

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use gapura_mrtd::mrz::{self, CalendarDate};

/// The most bytes read from standard input: far more than any MRZ or its JSON, and small enough
/// that a mistaken pipe of a large file ends at once (the library refuses long input anyway).
const STDIN_BYTES_MAX: u64 = 64 * 1024;

const SECONDS_PER_DAY: u64 = 86_400;

fn read_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin().take(STDIN_BYTES_MAX).read_to_end(&mut bytes).context("reading standard input")?;
    // Not UTF-8 is not a reason to stop: the parser names the offending character and column.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Today's date in UTC: the CLI is the edge where the clock is read, never the library.
fn today_utc() -> anyhow::Result<CalendarDate> {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).context("reading the system clock")?.as_secs();
    Ok(CalendarDate::from_days_since_unix_epoch((seconds / SECONDS_PER_DAY) as i64))
}

fn print_json(value: serde_json::Value) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(&value).context("encoding JSON")?;
    writeln!(std::io::stdout(), "{json}").context("writing standard output")
}

/// `gapura mrz parse [--reader] [--today YYYY-MM-DD]`: MRZ lines on stdin, the document as JSON.
pub fn parse_cmd(reader_mode: bool, today: Option<&str>) -> anyhow::Result<ExitCode> {
    let reference = match today {
        Some(text) => match text.parse::<CalendarDate>() {
            Ok(date) => date,
            Err(e) => {
                eprintln!("error: --today: {e}");
                return Ok(ExitCode::from(2));
            }
        },
        None => today_utc()?,
    };
    let input = read_stdin()?;
    if reader_mode {
        print_json(serde_json::to_value(mrz::read(&input, reference)).context("encoding the report")?)?;
        return Ok(ExitCode::SUCCESS);
    }
    match mrz::parse(&input, reference) {
        Ok(parsed) => {
            print_json(serde_json::to_value(&parsed).context("encoding the document")?)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `gapura mrz render`: a document's JSON (as `parse` prints it) on stdin, its MRZ lines out.
pub fn render_cmd() -> anyhow::Result<ExitCode> {
    let input = read_stdin()?;
    let document: mrz::Document = match serde_json::from_str(&input) {
        Ok(document) => document,
        Err(e) => {
            eprintln!("error: standard input is not a document's JSON: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    match mrz::render(&document) {
        Ok(lines) => {
            let mut out = std::io::stdout().lock();
            for line in lines {
                writeln!(out, "{line}").context("writing standard output")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
