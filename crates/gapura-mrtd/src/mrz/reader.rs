//! Reader mode, for document scanners: report every failure, and propose the corrections that
//! restore every check digit when characters were misread as their look-alikes.
//!
//! The search is exhaustive up to a bound and minimal: it tries one changed character, then
//! two, …, up to [`CORRECTION_CHANGES_MAX`], over the characters of the fields whose checks
//! fail, and returns every correction of the smallest size that works. Letters are only turned
//! into digits where the standard allows digits only (dates, check digits), which keeps the
//! search small and the proposals plausible.

use serde::Serialize;

use super::date::CalendarDate;
use super::error::{Field, MrzError};
use super::layout::{Format, Span};
use super::parse::{analyse, split};
use super::Mrz;

/// OCR look-alikes Doc 9303's font (OCR-B) is known for: (digit, letter).
pub const LOOK_ALIKES: [(char, char); 5] = [('0', 'O'), ('1', 'I'), ('2', 'Z'), ('5', 'S'), ('8', 'B')];

/// The most characters one proposed correction changes. Three covers a misread in each of a
/// date, a number and a check digit; more and the proposal is a guess, not a correction.
pub const CORRECTION_CHANGES_MAX: usize = 3;

/// The most candidate corrections tried per document: bounds the work a hostile or badly
/// scanned input can cause (each try is one parse of two or three short lines).
pub const CORRECTION_CANDIDATES_MAX: usize = 20_000;

/// The most corrections proposed: beyond this the scan is too ambiguous to choose from and
/// should be repeated.
pub const CORRECTIONS_PROPOSED_MAX: usize = 8;

/// One changed character (1-based line and column, as errors count them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub line: usize,
    pub column: usize,
    pub found: char,
    pub replacement: char,
}

/// A set of changes after which every check digit holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Correction {
    pub changes: Vec<Change>,
    /// The lines with the changes applied.
    pub lines: Vec<String>,
    /// The document those lines give, when every field can be read.
    pub document: Option<Mrz>,
}

/// What reader mode says about a scan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReaderReport {
    /// The format, when the lines have the shape of one.
    pub format: Option<Format>,
    /// The document as read, when every field could be read (even if check digits fail).
    pub document: Option<Mrz>,
    /// Every failure, in reading order; empty when the scan is good.
    pub failures: Vec<MrzError>,
    /// Corrections restoring every check digit with the fewest look-alike changes.
    pub corrections: Vec<Correction>,
    /// False when a bound stopped the search, so more corrections may exist.
    pub corrections_complete: bool,
}

/// Reader mode over raw input.
pub(crate) fn read(text: &str, reference: CalendarDate) -> ReaderReport {
    let (format, lines) = match split(text) {
        Ok(split) => split,
        Err(e) => {
            return ReaderReport {
                format: None,
                document: None,
                failures: vec![e],
                corrections: Vec::new(),
                corrections_complete: true,
            }
        }
    };
    let analysis = analyse(format, &lines, reference);
    let (corrections, corrections_complete) = search(format, &lines, &analysis.errors, reference);
    ReaderReport {
        format: Some(format),
        document: analysis.mrz,
        failures: analysis.errors,
        corrections,
        corrections_complete,
    }
}

/// Whether a failure is one a look-alike correction could be meant to fix.
fn check_related(format: Format, e: &MrzError) -> bool {
    e.is_check_digit()
        || matches!(
            e.field(),
            Some(Field::DocumentNumber | Field::DateOfBirth | Field::DateOfExpiry | Field::Composite)
        )
        || (format == Format::Td3 && e.field() == Some(Field::OptionalData))
}

fn search(
    format: Format,
    lines: &[Vec<char>],
    errors: &[MrzError],
    reference: CalendarDate,
) -> (Vec<Correction>, bool) {
    if !errors.iter().any(|e| check_related(format, e)) {
        return (Vec::new(), true);
    }
    let layout = format.layout();
    let numeric: Vec<Span> =
        [layout.birth, layout.birth_check, layout.expiry, layout.expiry_check, layout.number_check]
            .into_iter()
            .chain(layout.optional_check)
            .chain(layout.composite)
            .collect();

    // The spans whose characters may hold the misread.
    let mut spans: Vec<Span> = Vec::new();
    for e in errors.iter().filter(|e| check_related(format, e)) {
        if let Some(l) = e.location() {
            spans.push(Span {
                line: l.line - 1,
                start: l.first_column - 1,
                len: l.last_column + 1 - l.first_column,
            });
        }
        match e.field() {
            Some(Field::DocumentNumber) => spans.extend([layout.number, layout.number_check]),
            Some(Field::DateOfBirth) => spans.extend([layout.birth, layout.birth_check]),
            Some(Field::DateOfExpiry) => spans.extend([layout.expiry, layout.expiry_check]),
            Some(Field::Composite) => {
                // Fields without a check digit of their own are covered by the composite only.
                match format {
                    Format::Td1 => spans.extend([layout.optional].into_iter().chain(layout.optional2)),
                    Format::Td2 => spans.push(layout.optional),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    let mut positions: Vec<(usize, usize, char)> = Vec::new();
    for span in spans {
        for column in span.start..span.start + span.len {
            let Some(found) = lines.get(span.line).and_then(|l| l.get(column)).copied() else { continue };
            let is_numeric = numeric.iter().any(|s| s.contains(span.line, column));
            let Some(replacement) = look_alike(found, is_numeric) else { continue };
            if !positions.iter().any(|(l, c, _)| *l == span.line && *c == column) {
                positions.push((span.line, column, replacement));
            }
        }
    }
    positions.sort_unstable();

    let mut tried = 0usize;
    let mut found: Vec<Correction> = Vec::new();
    let mut complete = true;
    for size in 1..=CORRECTION_CHANGES_MAX.min(positions.len()) {
        let mut chosen: Vec<usize> = (0..size).collect();
        loop {
            if tried >= CORRECTION_CANDIDATES_MAX {
                complete = false;
                break;
            }
            tried += 1;
            let mut candidate = lines.to_vec();
            let mut changes = Vec::with_capacity(size);
            for &i in &chosen {
                let (line, column, replacement) = positions[i];
                if let Some(c) = candidate.get_mut(line).and_then(|l| l.get_mut(column)) {
                    changes.push(Change { line: line + 1, column: column + 1, found: *c, replacement });
                    *c = replacement;
                }
            }
            let analysis = analyse(format, &candidate, reference);
            if !analysis.errors.iter().any(|e| check_related(format, e)) {
                if found.len() == CORRECTIONS_PROPOSED_MAX {
                    complete = false;
                    break;
                }
                found.push(Correction {
                    changes,
                    lines: candidate.iter().map(|l| l.iter().collect()).collect(),
                    document: analysis.mrz,
                });
            }
            if !next_combination(&mut chosen, positions.len()) {
                break;
            }
        }
        if !found.is_empty() || !complete {
            break;
        }
    }
    (found, complete)
}

/// The look-alike of `c`; in digit-only positions only letters are replaced (by digits).
fn look_alike(c: char, numeric: bool) -> Option<char> {
    LOOK_ALIKES.iter().find_map(|(digit, letter)| {
        if c == *letter {
            Some(*digit)
        } else if c == *digit && !numeric {
            Some(*letter)
        } else {
            None
        }
    })
}

/// Advances `chosen` (strictly increasing indices below `n`) to the next combination.
fn next_combination(chosen: &mut [usize], n: usize) -> bool {
    let k = chosen.len();
    for i in (0..k).rev() {
        if chosen[i] < n - k + i {
            chosen[i] += 1;
            for j in i + 1..k {
                chosen[j] = chosen[j - 1] + 1;
            }
            return true;
        }
    }
    false
}
