//! Names: reading the MRZ name field into primary and secondary identifiers, writing them back
//! (with truncation when they do not fit), and transliterating a name as printed in the visual
//! zone into MRZ characters following Doc 9303 Part 3 (§4.6 and the Latin table of §6).
//!
//! Choices where Doc 9303 offers alternatives (the recommended one is taken in each case, so a
//! name written by Gapura is what most issuers print):
//! - Ä → AE, Å → AA, Æ → AE, Ö → OE, Ø → OE, Ü → UE, Œ → OE, ß → SS, Þ → TH, Ĳ → IJ, Ð → D;
//!   the alternatives `A`/`O`/`U` for Ä/Ö/Ü and `NXX`/`UXX` for Ñ/Ü are not produced.
//! - Ñ → N; every other Latin letter with a diacritic → its base letter.
//! - Apostrophes (and the other punctuation of §4.6 that is not a separator) are omitted:
//!   O'CONNOR → OCONNOR. Spaces, hyphens and commas separate components and become one `<`.
//! - Scripts other than Latin (Cyrillic, Greek, Arabic, …) are refused with the offending
//!   character rather than guessed at: their tables are not implemented yet.

use serde::{Deserialize, Serialize};

/// A holder's name as the MRZ states it, in MRZ letters, components separated by spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The primary identifier (usually the surname), components separated by single spaces.
    pub primary_identifier: String,
    /// The secondary identifier (usually the given names); empty when there is none.
    pub secondary_identifier: String,
    /// The name field is full and ends in a letter: per Doc 9303 Part 3 §4.6 this is how a
    /// truncated name is shown, so the name on the document may be longer. Derived when
    /// parsing; ignored when rendering (which decides it from the length).
    #[serde(default)]
    pub truncated: bool,
}

/// Why a name could not be written in MRZ characters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// A character with no transliteration in the Latin table.
    #[error("{character:?} (character {position} of {text:?}) has no MRZ transliteration")]
    Untransliterable { character: char, position: usize, text: String },
    /// Nothing left once transliterated (both identifiers empty).
    #[error("the name is empty")]
    Empty,
}

/// Reads a name field (characters already checked to be `A`–`Z` or `<`).
pub(crate) fn parse_field(field: &[char]) -> Name {
    let truncated = field.last().is_some_and(|c| c.is_ascii_uppercase());
    let text: String = field.iter().collect();
    let text = text.trim_end_matches('<');
    let (primary, secondary) = match text.find("<<") {
        Some(i) => (&text[..i], &text[i + 2..]),
        None => (text, ""),
    };
    Name {
        primary_identifier: primary.replace('<', " "),
        secondary_identifier: secondary.replace('<', " "),
        truncated,
    }
}

/// Writes a name into a field of `width` characters, truncating it if it is too long.
///
/// Truncation (Doc 9303 Part 3 §4.6): characters are cut from the end so the field is full and
/// its last character is a letter, the sign readers use to know a name was cut. When the cut
/// would land on a separator, the letter after it is kept as an initial and the characters
/// before the separator are shortened instead, so the last visible component is not lost.
pub(crate) fn render_field(name: &Name, width: usize) -> Result<String, NameError> {
    let primary = to_mrz(&name.primary_identifier)?;
    let secondary = to_mrz(&name.secondary_identifier)?;
    if primary.is_empty() && secondary.is_empty() {
        return Err(NameError::Empty);
    }
    let full: Vec<char> = if secondary.is_empty() {
        primary.chars().collect()
    } else {
        format!("{primary}<<{secondary}").chars().collect()
    };
    let mut field = if full.len() <= width { full } else { truncate(&full, width) };
    field.resize(width, '<');
    Ok(field.into_iter().collect())
}

/// An identifier already in MRZ letters is written verbatim (spaces as `<`), so a parsed name
/// renders back exactly, odd separators included; anything else is transliterated.
fn to_mrz(identifier: &str) -> Result<String, NameError> {
    if identifier.chars().all(|c| c.is_ascii_uppercase() || c == ' ') {
        return Ok(identifier.replace(' ', "<"));
    }
    transliterate(identifier).or_else(empty_ok)
}

fn empty_ok(e: NameError) -> Result<String, NameError> {
    match e {
        NameError::Empty => Ok(String::new()),
        other => Err(other),
    }
}

fn truncate(full: &[char], width: usize) -> Vec<char> {
    let cut = &full[..width.min(full.len())];
    if cut.last().is_some_and(|c| *c != '<') {
        return cut.to_vec();
    }
    // The cut ends on separators: find the whole run of them in the full name and the letter
    // after it, and make room for "run + letter" by shortening what comes before.
    let run_start = cut.iter().rposition(|c| *c != '<').map_or(0, |i| i + 1);
    let run_end = full[run_start..].iter().position(|c| *c != '<').map_or(full.len(), |i| run_start + i);
    let Some(initial) = full.get(run_end) else {
        return cut.to_vec();
    };
    let run = run_end - run_start;
    let keep = width.saturating_sub(run + 1);
    let mut prefix: Vec<char> = full[..keep.min(run_start)].to_vec();
    // Shortening can itself end on a separator (one-letter components); drop those so the
    // separators are not doubled.
    while prefix.last() == Some(&'<') {
        prefix.pop();
    }
    if prefix.is_empty() {
        return cut.to_vec();
    }
    prefix.extend(std::iter::repeat_n('<', run));
    prefix.push(*initial);
    prefix
}

/// Transliterates a name (or one identifier) into MRZ characters: `A`–`Z`, with `<` between
/// components. Uppercases first, so `Müller-Lüdenscheidt` gives `MUELLER<LUEDENSCHEIDT`.
pub fn transliterate(text: &str) -> Result<String, NameError> {
    let mut out = String::with_capacity(text.len());
    let mut pending_separator = false;
    for (position, original) in text.chars().enumerate() {
        for c in original.to_uppercase() {
            if is_separator(c) {
                pending_separator = !out.is_empty();
                continue;
            }
            if is_omitted(c) {
                continue;
            }
            let Some(latin) = latin(c) else {
                return Err(NameError::Untransliterable {
                    character: original,
                    position: position + 1,
                    text: text.to_string(),
                });
            };
            if pending_separator {
                out.push('<');
                pending_separator = false;
            }
            out.push_str(latin);
        }
    }
    if out.is_empty() {
        return Err(NameError::Empty);
    }
    Ok(out)
}

/// Characters that separate name components (Doc 9303 Part 3 §4.6: spaces, hyphens, commas).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '<'
            | '-'
            | ','
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{00A0}'
            | '\t'
    )
}

/// Punctuation dropped without a separator (Doc 9303 Part 3 §4.6: apostrophes are omitted).
fn is_omitted(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' | '.')
}

/// The recommended MRZ transliteration of one uppercase Latin letter (Doc 9303 Part 3 §6).
fn latin(c: char) -> Option<&'static str> {
    const LETTERS: [&str; 26] = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T",
        "U", "V", "W", "X", "Y", "Z",
    ];
    if c.is_ascii_uppercase() {
        return LETTERS.get((c as u8 - b'A') as usize).copied();
    }
    Some(match c {
        'Á' | 'À' | 'Â' | 'Ã' | 'Ă' | 'Ā' | 'Ą' | 'Ǎ' | 'Ȧ' => "A",
        'Ä' => "AE",
        'Å' => "AA",
        'Æ' => "AE",
        'Ć' | 'Ĉ' | 'Č' | 'Ċ' | 'Ç' => "C",
        'Ð' | 'Ď' | 'Đ' => "D",
        'É' | 'È' | 'Ê' | 'Ë' | 'Ě' | 'Ė' | 'Ē' | 'Ę' | 'Ĕ' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'Ĥ' | 'Ħ' => "H",
        'I' | 'Í' | 'Ì' | 'Î' | 'Ï' | 'Ĩ' | 'İ' | 'Ī' | 'Į' | 'Ĭ' => "I",
        'Ĳ' => "IJ",
        'Ĵ' => "J",
        'Ķ' => "K",
        'Ł' | 'Ĺ' | 'Ľ' | 'Ļ' | 'Ŀ' => "L",
        'Ń' | 'Ñ' | 'Ň' | 'Ņ' | 'Ŋ' => "N",
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ő' | 'Ō' | 'Ŏ' => "O",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'Ŕ' | 'Ř' | 'Ŗ' => "R",
        'Ś' | 'Ŝ' | 'Š' | 'Ş' | 'Ș' => "S",
        'ẞ' => "SS",
        'Ť' | 'Ţ' | 'Ŧ' | 'Ț' => "T",
        'Þ' => "TH",
        'Ú' | 'Ù' | 'Û' | 'Ũ' | 'Ŭ' | 'Ű' | 'Ů' | 'Ū' | 'Ų' => "U",
        'Ü' => "UE",
        'Ŵ' => "W",
        'Ý' | 'Ŷ' | 'Ÿ' => "Y",
        'Ź' | 'Ž' | 'Ż' => "Z",
        _ => return None,
    })
}
