//! Writing a document as MRZ lines: every value is checked against its format, and every check
//! digit is computed here (a caller never supplies one, so none can be wrong).

use super::check::check_digit_of;
use super::codes::icao_code;
use super::error::{Field, RenderError};
use super::layout::{Format, Span};
use super::name::render_field;
use super::{Document, Sex};

struct Grid {
    format: Format,
    lines: Vec<Vec<char>>,
}

impl Grid {
    fn put(&mut self, span: Span, text: &str) {
        if let Some(line) = self.lines.get_mut(span.line) {
            for (i, c) in text.chars().take(span.len).enumerate() {
                if let Some(slot) = line.get_mut(span.start + i) {
                    *slot = c;
                }
            }
        }
    }

    fn chars(&self, span: Span) -> Vec<char> {
        self.lines
            .get(span.line)
            .and_then(|l| l.get(span.start..span.start + span.len))
            .unwrap_or(&[])
            .to_vec()
    }

    fn refuse(&self, field: Field, reason: impl Into<String>) -> RenderError {
        RenderError::Field { format: self.format, field, reason: reason.into() }
    }

    /// Checks a free-text field (number, optional data) and returns it.
    fn mrz_text<'a>(&self, field: Field, text: &'a str, most: usize) -> Result<&'a str, RenderError> {
        if !text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<') {
            return Err(self.refuse(field, format!("{text:?}: expected only A-Z, 0-9 or <")));
        }
        if text.len() > most {
            return Err(
                self.refuse(field, format!("{text:?} has {} characters; at most {most} fit", text.len()))
            );
        }
        Ok(text)
    }

    fn code(&mut self, span: Span, field: Field, code: &str) -> Result<(), RenderError> {
        if code.contains('<') || icao_code(code).is_none() {
            return Err(
                self.refuse(field, format!("{code:?} is not an ISO 3166-1 alpha-3 code or a Doc 9303 code"))
            );
        }
        self.put(span, code);
        Ok(())
    }
}

fn digit(chars: &[char]) -> char {
    // Every character was checked to be an MRZ character, so a digit always exists; '<' would
    // only appear if that invariant broke, and would then fail any later parse loudly.
    check_digit_of(chars.iter().copied()).unwrap_or('<')
}

/// Renders `document` as its MRZ lines.
pub(crate) fn render(document: &Document) -> Result<Vec<String>, RenderError> {
    let format = document.format;
    let layout = format.layout();
    let mut g = Grid { format, lines: vec![vec!['<'; layout.width]; layout.lines] };

    let (letters, expected) = format.document_letters();
    let code: Vec<char> = document.document_code.chars().collect();
    let code_ok = matches!(code.len(), 1 | 2)
        && code.first().is_some_and(|c| letters.contains(c))
        && code.get(1).is_none_or(|c| c.is_ascii_uppercase() || *c == '<');
    if !code_ok {
        return Err(
            g.refuse(Field::DocumentCode, format!("{:?}: expected {expected}", document.document_code))
        );
    }
    g.put(layout.document_code, &document.document_code);
    g.code(layout.issuing_state, Field::IssuingState, &document.issuing_state)?;
    g.put(layout.name, &render_field(&document.name, layout.name.len)?);

    // Document number, continued in the optional data when longer than nine (TD1, TD2).
    let number = &document.document_number;
    let most = if layout.number_may_continue {
        layout.number.len + layout.optional.len - 1
    } else {
        layout.number.len
    };
    g.mrz_text(Field::DocumentNumber, number, most)?;
    if number.is_empty() || number.ends_with('<') {
        return Err(g.refuse(Field::DocumentNumber, format!("{number:?}: expected a number not ending in <")));
    }
    let number_chars: Vec<char> = number.chars().collect();
    let optional = document.optional_data.trim_end_matches('<');
    if number_chars.len() <= layout.number.len {
        g.put(layout.number, number);
        let d = digit(&g.chars(layout.number));
        g.put(layout.number_check, &d.to_string());
        let most = layout.optional.len;
        g.put(layout.optional, g.mrz_text(Field::OptionalData, optional, most)?);
    } else {
        let (principal, rest) = number_chars.split_at(layout.number.len);
        let principal: String = principal.iter().collect();
        let rest: String = rest.iter().collect();
        let d = digit(&number_chars);
        let mut continued = format!("{rest}{d}");
        if !optional.is_empty() {
            continued.push('<');
            continued.push_str(optional);
        }
        if continued.len() > layout.optional.len {
            return Err(g.refuse(
                Field::OptionalData,
                format!("the number's continuation and check digit and the optional data {optional:?} need {} characters; {} fit", continued.len(), layout.optional.len),
            ));
        }
        g.mrz_text(Field::OptionalData, optional, layout.optional.len)?;
        g.put(layout.number, &principal);
        g.put(layout.number_check, "<");
        g.put(layout.optional, &continued);
    }

    g.code(layout.nationality, Field::Nationality, &document.nationality)?;
    for (date, span, check) in [
        (document.date_of_birth, layout.birth, layout.birth_check),
        (document.date_of_expiry, layout.expiry, layout.expiry_check),
    ] {
        g.put(span, &date.to_mrz());
        let d = digit(&g.chars(span));
        g.put(check, &d.to_string());
    }
    g.put(
        layout.sex,
        match document.sex {
            Sex::Male => "M",
            Sex::Female => "F",
            Sex::Unspecified => "X",
            Sex::UnspecifiedFiller => "<",
        },
    );

    if let Some(check) = layout.optional_check {
        // An empty personal number gets `<` as its check digit, as Doc 9303 Part 4 allows.
        let data = g.chars(layout.optional);
        let d = if data.iter().all(|c| *c == '<') { '<' } else { digit(&data) };
        g.put(check, &d.to_string());
    }
    match (layout.optional2, document.optional_data_2.as_deref()) {
        (Some(span), Some(text)) => {
            let text = g.mrz_text(Field::OptionalData2, text.trim_end_matches('<'), span.len)?;
            g.put(span, text);
        }
        (None, Some(text)) if !text.trim_end_matches('<').is_empty() => {
            return Err(g.refuse(Field::OptionalData2, "only TD1 has optional data 2"));
        }
        _ => {}
    }
    if let Some(span) = layout.composite {
        let covered: Vec<char> = layout.composite_covers.iter().flat_map(|s| g.chars(*s)).collect();
        let d = digit(&covered);
        g.put(span, &d.to_string());
    }
    Ok(g.lines.iter().map(|l| l.iter().collect()).collect())
}
