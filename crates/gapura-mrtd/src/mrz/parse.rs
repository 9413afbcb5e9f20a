//! Reading lines into a document. One lenient pass collects every failure and builds the
//! document when every field could be read; strict mode and reader mode are both views of it,
//! so they can never disagree about what is wrong.

use super::check::check_digit_of;
use super::codes::icao_code;
use super::date::{resolve_year, CalendarDate, MrzDate, YearRule};
use super::error::{Field, Location, MrzError, Problem};
use super::layout::{Format, Span};
use super::name::{parse_field, Name};
use super::{CheckDigits, Document, DocumentType, Mrz, Sex, MRZ_INPUT_CHARS_MAX};

/// Splits input into lines of characters and decides the format from their shape.
///
/// Surrounding whitespace and blank lines are dropped (scanners add them); nothing else is
/// forgiven here, so a lowercase or non-ASCII character is reported where it stands.
pub(crate) fn split(text: &str) -> Result<(Format, Vec<Vec<char>>), MrzError> {
    let count = text.chars().take(MRZ_INPUT_CHARS_MAX + 1).count();
    if count > MRZ_INPUT_CHARS_MAX {
        return Err(MrzError::InputTooLong { found: text.chars().count(), max: MRZ_INPUT_CHARS_MAX });
    }
    let lines: Vec<Vec<char>> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| l.chars().collect()).collect();
    let format = detect(&lines)?;
    Ok((format, lines))
}

fn detect(lines: &[Vec<char>]) -> Result<Format, MrzError> {
    let visa = lines.first().and_then(|l| l.first()) == Some(&'V');
    match lines {
        [a, b, c] => {
            for (i, line) in [a, b, c].into_iter().enumerate() {
                if line.len() != 30 {
                    return Err(MrzError::LineLength {
                        line: i + 1,
                        expected: 30,
                        found: line.len(),
                        format: Format::Td1,
                    });
                }
            }
            Ok(Format::Td1)
        }
        [a, b] => {
            let format_of = |len: usize| match (len, visa) {
                (36, true) => Some(Format::MrvB),
                (36, false) => Some(Format::Td2),
                (44, true) => Some(Format::MrvA),
                (44, false) => Some(Format::Td3),
                _ => None,
            };
            match (format_of(a.len()), format_of(b.len())) {
                (Some(f), _) if a.len() == b.len() => Ok(f),
                (Some(f), _) => {
                    Err(MrzError::LineLength { line: 2, expected: a.len(), found: b.len(), format: f })
                }
                (None, Some(f)) => {
                    Err(MrzError::LineLength { line: 1, expected: b.len(), found: a.len(), format: f })
                }
                (None, None) => Err(MrzError::UnknownFormat { first: a.len(), second: b.len() }),
            }
        }
        _ => Err(MrzError::LineCount { found: lines.len() }),
    }
}

/// The outcome of the lenient pass.
pub(crate) struct Analysis {
    /// Present when every field could be read (check-digit and code failures do not prevent it).
    pub mrz: Option<Mrz>,
    /// Every failure, in reading order.
    pub errors: Vec<MrzError>,
}

struct Reader<'a> {
    lines: &'a [Vec<char>],
    errors: Vec<MrzError>,
}

fn is_alpha_or_filler(c: char) -> bool {
    c.is_ascii_uppercase() || c == '<'
}

fn is_mrz_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<'
}

impl Reader<'_> {
    /// The characters of a span; empty rather than a panic if the span were ever out of range.
    fn chars(&self, span: Span) -> &[char] {
        self.lines.get(span.line).and_then(|l| l.get(span.start..span.start + span.len)).unwrap_or(&[])
    }

    fn text(&self, span: Span) -> String {
        self.chars(span).iter().collect()
    }

    fn fail(&mut self, location: Location, field: Field, problem: Problem) {
        self.errors.push(MrzError::Field { location, field, problem });
    }

    /// Checks every character of `span` against `allowed`; records the failure and says so.
    fn expect(
        &mut self,
        span: Span,
        field: Field,
        allowed: fn(char) -> bool,
        expected: &'static str,
    ) -> bool {
        if self.chars(span).iter().all(|c| allowed(*c)) {
            return true;
        }
        let found = self.text(span);
        self.fail(span.location(), field, Problem::Characters { expected, found });
        false
    }

    /// Verifies a check digit printed at `digit` over `data`. `covered` is where an error
    /// points (the field and its digit). Returns the printed digit when it is one.
    fn check(
        &mut self,
        data: &[char],
        digit: Span,
        field: Field,
        covered: Location,
        filler_if_empty: bool,
    ) -> Option<char> {
        let printed = *self.chars(digit).first()?;
        if filler_if_empty && printed == '<' && data.iter().all(|c| *c == '<') {
            return Some(printed);
        }
        if !printed.is_ascii_digit() {
            self.fail(
                digit.location(),
                field,
                Problem::Characters { expected: "a check digit 0-9", found: printed.to_string() },
            );
            return None;
        }
        // Characters that are not MRZ characters were reported by the field's own check.
        let computed = check_digit_of(data.iter().copied())?;
        if computed != printed {
            self.fail(covered, field, Problem::CheckDigit { printed, computed });
        }
        Some(printed)
    }

    fn code(&mut self, span: Span, field: Field) -> Option<String> {
        let chars = self.chars(span);
        let text: String = chars.iter().collect();
        let code = text.trim_end_matches('<');
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase()) {
            self.fail(
                span.location(),
                field,
                Problem::Characters {
                    expected: "a code of letters A-Z (fillers only after it, as in D<<)",
                    found: text.clone(),
                },
            );
            return None;
        }
        if icao_code(code).is_none() {
            self.fail(span.location(), field, Problem::UnknownCode { found: code.to_string() });
        }
        Some(code.to_string())
    }

    fn date(
        &mut self,
        span: Span,
        digit: Span,
        field: Field,
        rule: YearRule,
        reference: CalendarDate,
    ) -> (Option<MrzDate>, Option<char>) {
        let chars = self.chars(span).to_vec();
        let covered = Location { last_column: digit.start + 1, ..span.location() };
        let found: String = chars.iter().collect();
        let pair = |i: usize| -> Result<Option<u8>, ()> {
            match (chars.get(i), chars.get(i + 1)) {
                (Some('<'), Some('<')) => Ok(None),
                (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
                    Ok(Some((*a as u8 - b'0') * 10 + (*b as u8 - b'0')))
                }
                _ => Err(()),
            }
        };
        let (Ok(yy), Ok(month), Ok(day)) = (pair(0), pair(2), pair(4)) else {
            self.fail(
                span.location(),
                field,
                Problem::Characters { expected: "YYMMDD digits (<< for an unknown part)", found },
            );
            // The check digit is not judged over characters a date cannot hold: the format
            // error is the cause, and reporting both would point at the wrong column first.
            return (None, None);
        };
        let printed = self.check(&chars, digit, field, covered, false);
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                self.fail(
                    span.location(),
                    field,
                    Problem::Date { found, reason: format!("month {m} does not exist") },
                );
                return (None, printed);
            }
        }
        let year = yy.map(|yy| resolve_year(yy, month, day, reference, rule));
        match MrzDate::new(year, month, day) {
            Ok(date) => (Some(date), printed),
            Err(e) => {
                self.fail(span.location(), field, Problem::Date { found, reason: e.to_string() });
                (None, printed)
            }
        }
    }
}

/// The lenient pass over lines already shaped as `format`.
pub(crate) fn analyse(format: Format, lines: &[Vec<char>], reference: CalendarDate) -> Analysis {
    let layout = format.layout();
    let mut r = Reader { lines, errors: Vec::new() };

    // Document code.
    let code_chars = r.chars(layout.document_code).to_vec();
    let (letters, expected) = format.document_letters();
    let code_ok = code_chars.first().is_some_and(|c| letters.contains(c))
        && code_chars.get(1).is_some_and(|c| is_alpha_or_filler(*c));
    let document_code = if code_ok {
        Some(code_chars.iter().collect::<String>().trim_end_matches('<').to_string())
    } else {
        let found = code_chars.iter().collect();
        r.fail(
            layout.document_code.location(),
            Field::DocumentCode,
            Problem::DocumentCode { found, expected },
        );
        None
    };

    let issuing_state = r.code(layout.issuing_state, Field::IssuingState);

    // Name.
    let name = if r.expect(layout.name, Field::Name, is_alpha_or_filler, "letters A-Z or <") {
        let name: Name = parse_field(r.chars(layout.name));
        if name.primary_identifier.trim().is_empty() && name.secondary_identifier.trim().is_empty() {
            let found = r.text(layout.name);
            r.fail(layout.name.location(), Field::Name, Problem::Characters { expected: "a name", found });
            None
        } else {
            Some(name)
        }
    } else {
        None
    };

    // Document number, possibly continued in the optional data (TD1, TD2).
    let number_ok = r.expect(layout.number, Field::DocumentNumber, is_mrz_char, "A-Z, 0-9 or <");
    let optional_ok = r.expect(layout.optional, Field::OptionalData, is_mrz_char, "A-Z, 0-9 or <");
    let principal = r.chars(layout.number).to_vec();
    let continues = layout.number_may_continue && r.chars(layout.number_check).first() == Some(&'<');
    let (document_number, number_digit, optional_data) = if continues {
        let optional = r.chars(layout.optional).to_vec();
        let run = optional.iter().position(|c| *c == '<').unwrap_or(optional.len());
        if run < 2 || !optional_ok {
            let found: String = optional.iter().collect();
            r.fail(layout.optional.location(), Field::DocumentNumber, Problem::MissingContinuation { found });
            (None, None, None)
        } else {
            let digit = Span { line: layout.optional.line, start: layout.optional.start + run - 1, len: 1 };
            let mut data = principal.clone();
            data.extend_from_slice(&optional[..run - 1]);
            let first = if format == Format::Td1 { layout.number.start } else { layout.optional.start };
            let covered = Location { first_column: first + 1, ..digit.location() };
            let printed = r.check(&data, digit, Field::DocumentNumber, covered, false);
            let rest: String = optional.get(run + 1..).unwrap_or(&[]).iter().collect();
            let number: String = data.iter().collect();
            let number = number.trim_end_matches('<').to_string();
            (number_ok.then_some(number), printed, Some(rest.trim_end_matches('<').to_string()))
        }
    } else {
        let covered = Location { last_column: layout.number_check.start + 1, ..layout.number.location() };
        let printed = r.check(&principal, layout.number_check, Field::DocumentNumber, covered, false);
        let number: String = principal.iter().collect();
        let number = number.trim_end_matches('<').to_string();
        let optional = r.text(layout.optional).trim_end_matches('<').to_string();
        (number_ok.then_some(number), printed, optional_ok.then_some(optional))
    };
    let document_number = match document_number {
        Some(n) if n.is_empty() => {
            let found = r.text(layout.number);
            r.fail(
                layout.number.location(),
                Field::DocumentNumber,
                Problem::Characters { expected: "a document number", found },
            );
            None
        }
        other => other,
    };

    let nationality = r.code(layout.nationality, Field::Nationality);

    let (date_of_birth, birth_digit) =
        r.date(layout.birth, layout.birth_check, Field::DateOfBirth, YearRule::Birth, reference);

    let sex = match r.chars(layout.sex).first() {
        Some('M') => Some(Sex::Male),
        Some('F') => Some(Sex::Female),
        Some('X') => Some(Sex::Unspecified),
        Some('<') => Some(Sex::UnspecifiedFiller),
        _ => {
            let found = r.text(layout.sex);
            r.fail(
                layout.sex.location(),
                Field::Sex,
                Problem::Characters { expected: "M, F, X or <", found },
            );
            None
        }
    };

    let (date_of_expiry, expiry_digit) =
        r.date(layout.expiry, layout.expiry_check, Field::DateOfExpiry, YearRule::Expiry, reference);

    // TD3: the personal number has its own check digit, which may be `<` when it is empty.
    let optional_digit = layout.optional_check.and_then(|digit| {
        let data = r.chars(layout.optional).to_vec();
        let covered = Location { last_column: digit.start + 1, ..layout.optional.location() };
        r.check(&data, digit, Field::OptionalData, covered, true)
    });

    let optional_data_2 = match layout.optional2 {
        Some(span) => {
            if r.expect(span, Field::OptionalData2, is_mrz_char, "A-Z, 0-9 or <") {
                Some(Some(r.text(span).trim_end_matches('<').to_string()))
            } else {
                None
            }
        }
        None => Some(None),
    };

    let composite_digit = layout.composite.and_then(|digit| {
        let data: Vec<char> = layout.composite_covers.iter().flat_map(|s| r.chars(*s).to_vec()).collect();
        r.check(&data, digit, Field::Composite, digit.location(), false)
    });

    let mut errors = r.errors;
    errors.sort_by_key(|e| e.location().map(|l| (l.line, l.first_column)));

    let check_digits = number_digit.zip(birth_digit).zip(expiry_digit).map(|((n, b), e)| CheckDigits {
        document_number: n,
        date_of_birth: b,
        date_of_expiry: e,
        optional_data: optional_digit,
        composite: composite_digit,
    });
    let mrz = (|| {
        let document_code = document_code?;
        let document_type = match document_code.chars().next() {
            Some('P') => DocumentType::Passport,
            Some('V') => DocumentType::Visa,
            _ => DocumentType::OfficialTravelDocument,
        };
        Some(Mrz {
            document: Document {
                format,
                document_code,
                issuing_state: issuing_state?,
                document_number: document_number?,
                name: name?,
                nationality: nationality?,
                date_of_birth: date_of_birth?,
                sex: sex?,
                date_of_expiry: date_of_expiry?,
                optional_data: optional_data?,
                optional_data_2: optional_data_2?,
            },
            document_type,
            check_digits: check_digits?,
        })
    })();
    Analysis { mrz, errors }
}
