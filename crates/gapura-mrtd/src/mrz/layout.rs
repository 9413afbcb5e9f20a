//! Where each field sits in each of the five formats (Doc 9303 Parts 4–7), as data, so the
//! parser, the renderer and the reader-mode search read one table rather than five copies.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The five MRZ formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// 3 lines of 30: identity cards and other ID-1 documents (Doc 9303 Part 5).
    Td1,
    /// 2 lines of 36: ID-2 official travel documents (Part 6).
    Td2,
    /// 2 lines of 44: passports (Part 4).
    Td3,
    /// 2 lines of 44: full-page visas (Part 7).
    MrvA,
    /// 2 lines of 36: smaller visas that leave the passport page's clear zone (Part 7).
    MrvB,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
            Format::MrvA => "MRV-A",
            Format::MrvB => "MRV-B",
        })
    }
}

/// A run of characters: line (0-based), first column (0-based), length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub line: usize,
    pub start: usize,
    pub len: usize,
}

impl Span {
    const fn new(line: usize, start: usize, len: usize) -> Self {
        Self { line, start, len }
    }

    pub(crate) fn contains(self, line: usize, column: usize) -> bool {
        line == self.line && column >= self.start && column < self.start + self.len
    }

    pub(crate) fn location(self) -> super::error::Location {
        super::error::Location {
            line: self.line + 1,
            first_column: self.start + 1,
            last_column: self.start + self.len.max(1),
        }
    }
}

/// Field positions of one format.
pub(crate) struct Layout {
    pub lines: usize,
    pub width: usize,
    pub document_code: Span,
    pub issuing_state: Span,
    pub name: Span,
    pub number: Span,
    pub number_check: Span,
    pub nationality: Span,
    pub birth: Span,
    pub birth_check: Span,
    pub sex: Span,
    pub expiry: Span,
    pub expiry_check: Span,
    pub optional: Span,
    /// TD3: the personal number's own check digit.
    pub optional_check: Option<Span>,
    /// TD1: optional data 2.
    pub optional2: Option<Span>,
    pub composite: Option<Span>,
    /// The spans the composite digit covers, in order.
    pub composite_covers: &'static [Span],
    /// TD1 and TD2: numbers longer than nine characters continue in the optional data.
    pub number_may_continue: bool,
}

const TD1: Layout = Layout {
    lines: 3,
    width: 30,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    number: Span::new(0, 5, 9),
    number_check: Span::new(0, 14, 1),
    optional: Span::new(0, 15, 15),
    birth: Span::new(1, 0, 6),
    birth_check: Span::new(1, 6, 1),
    sex: Span::new(1, 7, 1),
    expiry: Span::new(1, 8, 6),
    expiry_check: Span::new(1, 14, 1),
    nationality: Span::new(1, 15, 3),
    optional2: Some(Span::new(1, 18, 11)),
    composite: Some(Span::new(1, 29, 1)),
    composite_covers: &[Span::new(0, 5, 25), Span::new(1, 0, 7), Span::new(1, 8, 7), Span::new(1, 18, 11)],
    name: Span::new(2, 0, 30),
    optional_check: None,
    number_may_continue: true,
};

const TD2: Layout = Layout {
    lines: 2,
    width: 36,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    name: Span::new(0, 5, 31),
    number: Span::new(1, 0, 9),
    number_check: Span::new(1, 9, 1),
    nationality: Span::new(1, 10, 3),
    birth: Span::new(1, 13, 6),
    birth_check: Span::new(1, 19, 1),
    sex: Span::new(1, 20, 1),
    expiry: Span::new(1, 21, 6),
    expiry_check: Span::new(1, 27, 1),
    optional: Span::new(1, 28, 7),
    optional_check: None,
    optional2: None,
    composite: Some(Span::new(1, 35, 1)),
    composite_covers: &[Span::new(1, 0, 10), Span::new(1, 13, 7), Span::new(1, 21, 14)],
    number_may_continue: true,
};

const TD3: Layout = Layout {
    lines: 2,
    width: 44,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    name: Span::new(0, 5, 39),
    number: Span::new(1, 0, 9),
    number_check: Span::new(1, 9, 1),
    nationality: Span::new(1, 10, 3),
    birth: Span::new(1, 13, 6),
    birth_check: Span::new(1, 19, 1),
    sex: Span::new(1, 20, 1),
    expiry: Span::new(1, 21, 6),
    expiry_check: Span::new(1, 27, 1),
    optional: Span::new(1, 28, 14),
    optional_check: Some(Span::new(1, 42, 1)),
    optional2: None,
    composite: Some(Span::new(1, 43, 1)),
    composite_covers: &[Span::new(1, 0, 10), Span::new(1, 13, 7), Span::new(1, 21, 22)],
    number_may_continue: false,
};

const MRV_A: Layout = Layout {
    lines: 2,
    width: 44,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    name: Span::new(0, 5, 39),
    number: Span::new(1, 0, 9),
    number_check: Span::new(1, 9, 1),
    nationality: Span::new(1, 10, 3),
    birth: Span::new(1, 13, 6),
    birth_check: Span::new(1, 19, 1),
    sex: Span::new(1, 20, 1),
    expiry: Span::new(1, 21, 6),
    expiry_check: Span::new(1, 27, 1),
    optional: Span::new(1, 28, 16),
    optional_check: None,
    optional2: None,
    composite: None,
    composite_covers: &[],
    number_may_continue: false,
};

const MRV_B: Layout = Layout {
    lines: 2,
    width: 36,
    document_code: Span::new(0, 0, 2),
    issuing_state: Span::new(0, 2, 3),
    name: Span::new(0, 5, 31),
    number: Span::new(1, 0, 9),
    number_check: Span::new(1, 9, 1),
    nationality: Span::new(1, 10, 3),
    birth: Span::new(1, 13, 6),
    birth_check: Span::new(1, 19, 1),
    sex: Span::new(1, 20, 1),
    expiry: Span::new(1, 21, 6),
    expiry_check: Span::new(1, 27, 1),
    optional: Span::new(1, 28, 8),
    optional_check: None,
    optional2: None,
    composite: None,
    composite_covers: &[],
    number_may_continue: false,
};

impl Format {
    pub(crate) fn layout(self) -> &'static Layout {
        match self {
            Format::Td1 => &TD1,
            Format::Td2 => &TD2,
            Format::Td3 => &TD3,
            Format::MrvA => &MRV_A,
            Format::MrvB => &MRV_B,
        }
    }

    /// The allowed first letters of the document code, and how to say so in an error.
    pub(crate) fn document_letters(self) -> (&'static [char], &'static str) {
        match self {
            // Doc 9303 Parts 5 and 6: A, C or I for official travel documents.
            Format::Td1 | Format::Td2 => (&['A', 'C', 'I'], "A, C or I then a letter or <"),
            Format::Td3 => (&['P'], "P then a letter or <"),
            Format::MrvA | Format::MrvB => (&['V'], "V then a letter or <"),
        }
    }
}
