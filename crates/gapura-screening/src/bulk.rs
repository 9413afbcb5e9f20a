//! Reading Interpol bulk files: stolen and lost travel documents, and notices, in CSV (with a
//! header line) or JSON lines, as a whole list or as a delta. Lines are read as a stream, so a
//! file of 100 million lines is never held in memory; each bad line is rejected with its line,
//! column and field, and the rest are taken.
//!
//! Columns (CSV header names, JSON keys):
//! - stolen and lost documents: `document_number`, `issuing_country`, `document_type`
//!   (`passport`, `identity_card`, `visa`, `blank`, `other`, or an ICAO code such as `P`),
//!   `status` (`stolen`, `lost`, `revoked`, `invalidated`), and in a delta `action` (`add`,
//!   the default, or `remove`);
//! - notices: `notice_id`, `kind` (`red`, `yellow`, `blue`, `green`, `black`, `orange`,
//!   `purple`, `un_special`), `surname`, `given_names`, `date_of_birth` (`1975-03-XX` for
//!   unknown parts), `nationality`, `sex`, `aliases` (`;`-separated in CSV, an array in JSON),
//!   and in a delta `action`.

use std::io::Write;

use gapura_domain::{BulkFormat, ImportMode, PartialDate, Sex, WatchlistList};

use crate::documents::{
    normalise_number, DocumentListing, DocumentStatus, DocumentType, DOCUMENT_NUMBER_CHARS_MAX,
};
use crate::watchlist::{Listing, Person};

/// The longest line of a bulk file, in bytes.
pub const LINE_BYTES_MAX: usize = 16 * 1024;
/// Rejections kept with their details in a report (all are counted).
pub const REJECTIONS_SHOWN_MAX: usize = 1000;
/// The longest name or alias in a notice, in characters.
pub const NOTICE_NAME_CHARS_MAX: usize = 160;
/// Aliases read from one notice.
pub const NOTICE_ALIASES_MAX: usize = 15;

/// Notice kinds Interpol issues.
pub const NOTICE_KINDS: &[&str] =
    &["red", "yellow", "blue", "green", "black", "orange", "purple", "un_special"];

/// One record read from a bulk file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A document to list (`Some`) or to take off the list (`None`).
    Document { issuing_state: String, number: String, listing: Option<DocumentListing> },
    /// A notice to list.
    Notice(Person),
    /// A notice to take off the list, by id.
    NoticeRemoved(String),
}

/// A line that was not taken.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub line: u64,
    /// 1-based column (CSV field number, or character position of a JSON error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
}

/// What reading a file found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BulkReport {
    /// Lines read, not counting the header and blank lines.
    pub records: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// The first `REJECTIONS_SHOWN_MAX` rejections.
    pub rejections: Vec<Rejection>,
    /// CSV columns that were present but not used.
    pub ignored_columns: Vec<String>,
}

/// Why a whole file cannot be read (as opposed to a line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulkError {
    /// The CSV header lacks a required column.
    #[error("line 1: the header has no {0:?} column (required: {1})")]
    MissingColumn(String, String),
    /// The CSV header names a column twice.
    #[error("line 1: the header names the column {0:?} twice")]
    DuplicateColumn(String),
    /// The CSV header line cannot be read as CSV.
    #[error("line 1, column {column}: the header cannot be read: {reason}")]
    Header { column: u64, reason: String },
    /// The file has no header line.
    #[error("the file is empty: a CSV file starts with a header line")]
    Empty,
}

/// Reads a bulk file line by line as bytes are written to it; records go to `sink`.
pub struct BulkReader<'a> {
    list: WatchlistList,
    format: BulkFormat,
    mode: ImportMode,
    columns: Option<Vec<Option<Column>>>,
    line: u64,
    partial: Vec<u8>,
    overlong: bool,
    sink: &'a mut dyn FnMut(Record),
    report: BulkReport,
    fatal: Option<BulkError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    DocumentNumber,
    IssuingCountry,
    DocumentType,
    Status,
    Action,
    NoticeId,
    Kind,
    Surname,
    GivenNames,
    DateOfBirth,
    Nationality,
    Sex,
    Aliases,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::DocumentNumber => "document_number",
            Column::IssuingCountry => "issuing_country",
            Column::DocumentType => "document_type",
            Column::Status => "status",
            Column::Action => "action",
            Column::NoticeId => "notice_id",
            Column::Kind => "kind",
            Column::Surname => "surname",
            Column::GivenNames => "given_names",
            Column::DateOfBirth => "date_of_birth",
            Column::Nationality => "nationality",
            Column::Sex => "sex",
            Column::Aliases => "aliases",
        }
    }
    fn for_list(list: WatchlistList) -> (&'static [Column], &'static [Column]) {
        use Column::*;
        match list {
            WatchlistList::StolenLostDocuments => {
                (&[DocumentNumber, IssuingCountry, DocumentType, Status], &[Action])
            }
            WatchlistList::Notices => {
                (&[NoticeId, Kind, Surname, GivenNames], &[DateOfBirth, Nationality, Sex, Aliases, Action])
            }
        }
    }
}

type Fields = Vec<(Column, String, Option<Vec<String>>, u64)>;

fn reject(line: u64, column: Option<u64>, field: Option<&str>, reason: impl Into<String>) -> Rejection {
    Rejection { line, column, field: field.map(str::to_owned), reason: reason.into() }
}

impl<'a> BulkReader<'a> {
    pub fn new(
        list: WatchlistList,
        format: BulkFormat,
        mode: ImportMode,
        sink: &'a mut dyn FnMut(Record),
    ) -> Self {
        BulkReader {
            list,
            format,
            mode,
            columns: None,
            line: 0,
            partial: Vec::new(),
            overlong: false,
            sink,
            report: BulkReport::default(),
            fatal: None,
        }
    }

    /// Reads what remains and returns the report, or why the file as a whole is unreadable.
    pub fn finish(mut self) -> Result<BulkReport, BulkError> {
        if !self.partial.is_empty() || self.overlong {
            let rest = std::mem::take(&mut self.partial);
            self.take_line(&rest);
        }
        if let Some(e) = self.fatal {
            return Err(e);
        }
        if self.format == BulkFormat::Csv && self.columns.is_none() {
            return Err(BulkError::Empty);
        }
        Ok(self.report)
    }

    fn rejected(&mut self, r: Rejection) {
        self.report.rejected += 1;
        if self.report.rejections.len() < REJECTIONS_SHOWN_MAX {
            self.report.rejections.push(r);
        }
    }

    fn take_line(&mut self, raw: &[u8]) {
        self.line += 1;
        let line = self.line;
        if self.fatal.is_some() {
            return;
        }
        if std::mem::take(&mut self.overlong) || raw.len() > LINE_BYTES_MAX {
            self.report.records += 1;
            self.rejected(reject(
                line,
                None,
                None,
                format!("the line is longer than {LINE_BYTES_MAX} bytes"),
            ));
            return;
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if line == 1 { raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw) } else { raw };
        let Ok(text) = std::str::from_utf8(raw) else {
            self.report.records += 1;
            self.rejected(reject(line, None, None, "the line is not UTF-8"));
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        if self.format == BulkFormat::Csv && self.columns.is_none() {
            self.read_header(text);
            return;
        }
        self.report.records += 1;
        let fields = match self.format {
            BulkFormat::Csv => self.csv_fields(text, line),
            BulkFormat::Jsonl => json_fields(self.list, text, line),
        };
        let result = fields.and_then(|f| self.record(&f, line));
        match result {
            Ok(rec) => {
                self.report.accepted += 1;
                (self.sink)(rec);
            }
            Err(r) => self.rejected(r),
        }
    }

    fn read_header(&mut self, text: &str) {
        let (required, optional) = Column::for_list(self.list);
        let names = match split_csv(text) {
            Ok(n) => n,
            Err((col, reason)) => {
                self.fatal = Some(BulkError::MissingColumn(
                    format!("(unreadable header: column {col}: {reason})"),
                    required_list(required),
                ));
                return;
            }
        };
        let mut cols = Vec::new();
        for n in &names {
            let n = n.trim().to_ascii_lowercase();
            let c = required.iter().chain(optional).copied().find(|c| c.name() == n);
            if let Some(c) = c {
                if cols.contains(&Some(c)) {
                    self.fatal = Some(BulkError::DuplicateColumn(n));
                    return;
                }
            } else {
                self.report.ignored_columns.push(n);
            }
            cols.push(c);
        }
        for r in required {
            if !cols.contains(&Some(*r)) {
                self.fatal = Some(BulkError::MissingColumn(r.name().to_owned(), required_list(required)));
                return;
            }
        }
        self.columns = Some(cols);
    }

    fn csv_fields(&self, text: &str, line: u64) -> Result<Fields, Rejection> {
        let values = split_csv(text).map_err(|(col, reason)| reject(line, Some(col), None, reason))?;
        let cols = self.columns.as_deref().unwrap_or(&[]);
        if values.len() != cols.len() {
            return Err(reject(
                line,
                None,
                None,
                format!("the line has {} fields; the header has {}", values.len(), cols.len()),
            ));
        }
        Ok(values
            .into_iter()
            .zip(cols)
            .enumerate()
            .filter_map(|(i, (v, c))| c.map(|c| (c, v, None, i as u64 + 1)))
            .collect())
    }

    fn record(&self, f: &Fields, line: u64) -> Result<Record, Rejection> {
        let get = |c: Column| f.iter().find(|x| x.0 == c);
        let text = |c: Column| get(c).map(|x| x.1.trim()).unwrap_or("");
        let col = |c: Column| get(c).map(|x| x.3);
        let bad = |c: Column, reason: String| reject(line, col(c), Some(c.name()), reason);
        let remove = match text(Column::Action).to_ascii_lowercase().as_str() {
            "" | "add" | "update" => false,
            "remove" | "delete" => true,
            other => return Err(bad(Column::Action, format!("{other:?} is not add or remove"))),
        };
        if remove && self.mode == ImportMode::Full {
            return Err(bad(
                Column::Action,
                "a full list cannot remove records; import it as a delta".into(),
            ));
        }
        match self.list {
            WatchlistList::StolenLostDocuments => {
                let number = normalise_number(text(Column::DocumentNumber));
                if number.is_empty() || number.len() > DOCUMENT_NUMBER_CHARS_MAX {
                    return Err(bad(
                        Column::DocumentNumber,
                        format!("must have 1 to {DOCUMENT_NUMBER_CHARS_MAX} letters and digits"),
                    ));
                }
                let state = text(Column::IssuingCountry).to_ascii_uppercase();
                if gapura_mrtd::mrz::icao_code(&state).is_none() {
                    return Err(bad(
                        Column::IssuingCountry,
                        format!("{state:?} is not an ICAO 9303 country code"),
                    ));
                }
                if remove {
                    return Ok(Record::Document { issuing_state: state, number, listing: None });
                }
                let document_type = DocumentType::parse(text(Column::DocumentType)).ok_or_else(|| {
                    bad(
                        Column::DocumentType,
                        format!(
                            "{:?} is not passport, identity_card, visa, blank or other",
                            text(Column::DocumentType)
                        ),
                    )
                })?;
                let status = DocumentStatus::parse(text(Column::Status)).ok_or_else(|| {
                    bad(
                        Column::Status,
                        format!("{:?} is not stolen, lost, revoked or invalidated", text(Column::Status)),
                    )
                })?;
                Ok(Record::Document {
                    issuing_state: state,
                    number,
                    listing: Some(DocumentListing { status, document_type }),
                })
            }
            WatchlistList::Notices => {
                let id = text(Column::NoticeId);
                if id.is_empty()
                    || id.len() > 64
                    || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b))
                {
                    return Err(bad(
                        Column::NoticeId,
                        "must be 1 to 64 characters of A-Z, a-z, 0-9, '/', '-', '_', '.'".into(),
                    ));
                }
                if remove {
                    return Ok(Record::NoticeRemoved(id.to_owned()));
                }
                let kind = text(Column::Kind).to_ascii_lowercase();
                if !NOTICE_KINDS.contains(&kind.as_str()) {
                    return Err(bad(
                        Column::Kind,
                        format!("{kind:?} is not one of {}", NOTICE_KINDS.join(", ")),
                    ));
                }
                let surname = text(Column::Surname);
                let given = text(Column::GivenNames);
                let mut names = Vec::new();
                let primary = format!("{given} {surname}").trim().to_owned();
                if crate::normalize::tokens(&primary).is_empty() {
                    return Err(bad(
                        Column::Surname,
                        "the notice names nobody: surname and given names are empty".into(),
                    ));
                }
                for (c, v) in [(Column::Surname, surname), (Column::GivenNames, given)] {
                    check_name(v).map_err(|r| bad(c, r))?;
                }
                names.push(primary);
                let aliases: Vec<String> = match get(Column::Aliases) {
                    Some((_, _, Some(list), _)) => list.clone(),
                    Some((_, v, None, _)) => {
                        v.split(';').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
                    }
                    None => Vec::new(),
                };
                if aliases.len() > NOTICE_ALIASES_MAX {
                    return Err(bad(Column::Aliases, format!("at most {NOTICE_ALIASES_MAX} aliases")));
                }
                for a in aliases {
                    check_name(&a).map_err(|r| bad(Column::Aliases, r))?;
                    names.push(a);
                }
                let date_of_birth = match text(Column::DateOfBirth) {
                    "" => None,
                    d => Some(PartialDate::parse(d).map_err(|e| bad(Column::DateOfBirth, e.to_string()))?),
                };
                let nationality = match text(Column::Nationality).to_ascii_uppercase() {
                    n if n.is_empty() => None,
                    n if gapura_mrtd::mrz::icao_code(&n).is_some() => Some(n),
                    n => {
                        return Err(bad(
                            Column::Nationality,
                            format!("{n:?} is not an ICAO 9303 country code"),
                        ))
                    }
                };
                let sex = match text(Column::Sex) {
                    "" => None,
                    s => Some(
                        Sex::parse(s).ok_or_else(|| bad(Column::Sex, format!("{s:?} is not M, F or X")))?,
                    ),
                };
                Ok(Record::Notice(Person {
                    names,
                    sex,
                    date_of_birth,
                    nationality,
                    documents: Vec::new(),
                    listing: Listing::InterpolNotice { notice_id: id.to_owned(), kind },
                }))
            }
        }
    }
}

fn required_list(cols: &[Column]) -> String {
    cols.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

fn check_name(v: &str) -> Result<(), String> {
    if v.chars().count() > NOTICE_NAME_CHARS_MAX {
        return Err(format!("longer than {NOTICE_NAME_CHARS_MAX} characters"));
    }
    if v.chars().any(char::is_control) {
        return Err("contains a control character".into());
    }
    Ok(())
}

impl Write for BulkReader<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|b| *b == b'\n') {
            if self.overlong {
                self.take_line(&[]);
            } else if self.partial.is_empty() {
                self.take_line(&rest[..i]);
            } else {
                self.partial.extend_from_slice(&rest[..i]);
                let line = std::mem::take(&mut self.partial);
                self.take_line(&line);
            }
            rest = &rest[i + 1..];
        }
        if !self.overlong {
            self.partial.extend_from_slice(rest);
            if self.partial.len() > LINE_BYTES_MAX {
                self.partial.clear();
                self.overlong = true;
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). Errors give the
/// 1-based field number.
fn split_csv(line: &str) -> Result<Vec<String>, (u64, String)> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    loop {
        let n = out.len() as u64 + 1;
        match chars.next() {
            None => {
                if quoted {
                    return Err((n, "a quoted field is not closed".into()));
                }
                out.push(std::mem::take(&mut field));
                return Ok(out);
            }
            Some('"') if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            Some('"') if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            Some('"') => return Err((n, "a quote inside an unquoted field".into())),
            Some(',') if !quoted => {
                out.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            Some(c) if was_quoted && !quoted => return Err((n, format!("{c:?} after a closing quote"))),
            Some(c) => field.push(c),
        }
    }
}

fn json_fields(list: WatchlistList, text: &str, line: u64) -> Result<Fields, Rejection> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| reject(line, Some(e.column() as u64), None, format!("not a JSON object: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(reject(line, Some(1), None, "a line must be one JSON object"));
    };
    let (required, optional) = Column::for_list(list);
    let mut out = Vec::new();
    for (k, v) in &map {
        let Some(c) = required.iter().chain(optional).copied().find(|c| c.name() == k) else {
            return Err(reject(line, None, Some(k), "unknown field"));
        };
        match (c, v) {
            (_, serde_json::Value::Null) => {}
            (_, serde_json::Value::String(s)) => out.push((c, s.clone(), None, 0)),
            (Column::Aliases, serde_json::Value::Array(items)) => {
                let mut list = Vec::new();
                for i in items {
                    match i {
                        serde_json::Value::String(s) => list.push(s.clone()),
                        _ => return Err(reject(line, None, Some(k), "aliases must be strings")),
                    }
                }
                out.push((c, String::new(), Some(list), 0));
            }
            _ => return Err(reject(line, None, Some(k), "must be a string")),
        }
    }
    for r in required {
        let optional_name =
            list == WatchlistList::Notices && matches!(r, Column::Surname | Column::GivenNames);
        if !optional_name && !out.iter().any(|f| f.0 == *r) {
            // A removal needs only its id.
            let removal =
                map.get("action").and_then(|a| a.as_str()).is_some_and(|a| a == "remove" || a == "delete");
            let id_only = matches!(r, Column::Kind | Column::DocumentType | Column::Status);
            if !(removal && id_only) {
                return Err(reject(line, None, Some(r.name()), "missing"));
            }
        }
    }
    Ok(out)
}

/// Reads a whole file held in memory: a convenience for tests and small files.
pub fn read_all(
    list: WatchlistList,
    format: BulkFormat,
    mode: ImportMode,
    bytes: &[u8],
) -> Result<(Vec<Record>, BulkReport), BulkError> {
    let mut records = Vec::new();
    let mut sink = |r| records.push(r);
    let mut reader = BulkReader::new(list, format, mode, &mut sink);
    let _ = reader.write_all(bytes);
    let report = reader.finish()?;
    Ok((records, report))
}
