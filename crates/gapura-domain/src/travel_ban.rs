//! Travel-ban orders ("cekal"): prevention (a ban on leaving Indonesia), temporary prevention
//! (an urgent 20-day prevention) and deterrence (a ban on entering, for foreigners), as issued,
//! extended and revoked by decision of a registered authority.
//!
//! The rules are pure functions in the shape of an event-sourced aggregate: `issue`, `extend`
//! and `revoke` decide on a command, given today's date (the caller's, in WIB) and what was
//! looked up beforehand (whether the authority is registered, the order's state), and return
//! the event to record or a [`Refusal`] with a stable code. [`OrderState`] is built from the
//! issued event and folded with later ones. An order that is not extended ends by itself:
//! there is no event for it, its status is computed from the date ([`OrderState::status`]).
//!
//! Readings of the law that the rules encode (UU 6/2011 Pasal 97 and 102, as amended):
//!
//! - Periods are counted in calendar days, with `last_day` the last day the order is in force
//!   (inclusive). A period of N months from `start` ends on the day before the same day N
//!   months later: `last_day ≤ start + N months − 1 day`. A day past the end of the later month
//!   is taken as that month's last day (31 August + 6 months = 28 February), so a period is
//!   never longer than N months.
//! - An extension is a further period that begins the day after the current last day, so it
//!   is bounded the same way: `new_last_day ≤ (last_day + 1 day) + N months − 1 day`.
//! - A prevention order lasts at most 6 months and may be extended once, by at most 6 months.
//! - A temporary prevention order lasts at most 20 days (`last_day ≤ start + 19 days`) and is
//!   never extended; a longer ban needs a prevention order.
//! - A deterrence order lasts at most 10 years and may be extended, each time by at most 10
//!   years; it may be for life (no last day) only for terrorism or narcotics, and a life order
//!   has nothing to extend. Deterrence is a ban on entering, so it applies only to foreigners:
//!   the subject's nationality must be known and not Indonesian.
//! - Only a deterrence order may be for life.
//! - A decision cannot be dated after today, an order cannot start before its decision, and an
//!   extension or revocation cannot be dated before the order's own decision.
//! - A revoked order, or one that has ended, cannot be extended or revoked: a new order is
//!   needed.

use jiff::civil::Date;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

use crate::officer::check_note;
use crate::reference::check_text;
use crate::{AuthorityCode, CountryCode, Event, PartialDate, Sex, ValueError};

/// The most names (the primary name and its aliases) a subject carries.
pub const SUBJECT_NAMES_MAX: usize = 8;
/// The longest name of a person, in characters.
pub const PERSON_NAME_CHARS_MAX: usize = 120;
/// The most travel documents a subject carries.
pub const SUBJECT_DOCUMENTS_MAX: usize = 8;
/// The longest document number, in characters.
pub const DOCUMENT_NUMBER_CHARS_MAX: usize = 20;
/// The years an order's dates may lie in: a guard against typing errors that also keeps date
/// arithmetic (at most 10 years on) far inside the calendar's range.
pub const ORDER_YEAR_MIN: i16 = crate::person::DATE_YEAR_MIN;
pub const ORDER_YEAR_MAX: i16 = crate::person::DATE_YEAR_MAX;
/// A prevention order's longest period, and its longest extension, in months.
pub const PREVENTION_MONTHS_MAX: i32 = 6;
/// How often a prevention order may be extended.
pub const PREVENTION_EXTENSIONS_MAX: u32 = 1;
/// A temporary prevention order's longest period, in days.
pub const TEMPORARY_PREVENTION_DAYS_MAX: i32 = 20;
/// A deterrence order's longest period, and its longest extension each time, in years.
pub const DETERRENCE_YEARS_MAX: i32 = 10;
/// Indonesia's country code: its citizens cannot be the subject of a deterrence order.
pub const INDONESIA: &str = "IDN";

/// Crockford's base32 alphabet (no I, L, O, U), in capitals.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn order_id_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && s.starts_with("TB-")
        && b[3..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..].iter().all(|c| CROCKFORD.contains(c))
}

gapura_ledger::validated_string!(
    /// A travel-ban order's id: `TB-`, the year it was issued, `-` and eight characters of
    /// Crockford base32 in capitals, e.g. `TB-2026-7K3M9QPX`.
    OrderId,
    ValueError,
    order_id_ok,
    ValueError::OrderId
);

impl OrderId {
    /// An order id for `year` from five random bytes (40 bits, eight base32 characters).
    pub fn from_random(year: i16, random: [u8; 5]) -> OrderId {
        let mut bits = random.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut tail = [0u8; 8];
        for c in tail.iter_mut().rev() {
            *c = CROCKFORD[(bits & 31) as usize];
            bits >>= 5;
        }
        let tail = String::from_utf8_lossy(&tail).into_owned();
        OrderId(format!("TB-{:04}-{tail}", year.clamp(0, 9999)))
    }
}

gapura_ledger::validated_string!(
    /// An Indonesian national identity number (Nomor Induk Kependudukan): 16 digits.
    Nik,
    ValueError,
    |s| s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit()),
    ValueError::Nik
);

/// Declares an enum written as snake_case words on the wire, with its list and parser.
macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident => $s:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $s)] $variant,)+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The names as written on the wire, in order.
            pub const NAMES: &'static [&'static str] = &[$($s,)+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s,)+ }
            }
            pub fn parse(s: &str) -> Result<$name, ValueError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| ValueError::OneOf {
                    field: $field,
                    value: s.to_owned(),
                    allowed: Self::NAMES,
                })
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// What an order forbids.
    OrderKind, "kind" {
        /// Pencegahan: the subject may not leave Indonesia (citizens and foreigners).
        Prevention => "prevention",
        /// Pencegahan sementara: an urgent prevention of at most 20 days, never extended.
        TemporaryPrevention => "temporary_prevention",
        /// Penangkalan: the subject, a foreigner, may not enter Indonesia.
        Deterrence => "deterrence",
    }
);

named_enum!(
    /// Why an order was made, as a category; the decision's own words go in the reason text.
    ReasonCategory, "reason.category" {
        Tax => "tax",
        StateReceivables => "state_receivables",
        Criminal => "criminal",
        Corruption => "corruption",
        Narcotics => "narcotics",
        Terrorism => "terrorism",
        ImmigrationOffence => "immigration_offence",
        PublicOrder => "public_order",
        Other => "other",
    }
);

named_enum!(
    /// The kind of a document the subject is known to hold.
    DocumentKind, "documents.kind" {
        Passport => "passport",
        IdentityCard => "identity_card",
        Visa => "visa",
        Other => "other",
    }
);

named_enum!(
    /// Where an order stands on a given day. Computed, never recorded: an order ends by itself.
    OrderStatus, "status" {
        /// Issued, but its first day is still to come.
        Scheduled => "scheduled",
        /// Between its first and its last day (inclusive), or for life.
        InForce => "in_force",
        /// Its last day has passed without an extension.
        Ended => "ended",
        /// Revoked by a later decision.
        Revoked => "revoked",
    }
);

impl OrderStatus {
    /// The status on `today` of an order running from `start` to `last_day` (`None`: for life).
    pub fn of(start: Date, last_day: Option<Date>, revoked: bool, today: Date) -> OrderStatus {
        if revoked {
            OrderStatus::Revoked
        } else if today < start {
            OrderStatus::Scheduled
        } else if last_day.is_none_or(|l| today <= l) {
            OrderStatus::InForce
        } else {
            OrderStatus::Ended
        }
    }
}

/// A travel document the subject is known to hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectDocument {
    /// 1 to 20 characters of A-Z and 0-9, in capitals (see [`document_number`]).
    pub number: String,
    pub issuing_state: CountryCode,
    pub kind: DocumentKind,
}

/// The person an order names, as the decision describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// 1 to 8 names: the first is the primary full name in natural order (`Muhammad Rizki
    /// Pratama`), the others aliases and other spellings.
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<SubjectDocument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nik: Option<Nik>,
    /// The SHA-256 (64 lower-case hex digits) of a photo held in the store's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_sha256: Option<String>,
}

impl Subject {
    /// The primary full name.
    pub fn primary_name(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or("")
    }

    /// Checks every value the subject carries beyond its type.
    pub fn validate(&self) -> Result<(), ValueError> {
        if !(1..=SUBJECT_NAMES_MAX).contains(&self.names.len()) {
            return Err(ValueError::Count { field: "subject.names", min: 1, max: SUBJECT_NAMES_MAX });
        }
        for n in &self.names {
            if person_name(n)? != *n {
                return Err(ValueError::PersonName(n.clone()));
            }
        }
        if let Some(p) = &self.place_of_birth {
            check_text("subject.place_of_birth", p)?;
        }
        if self.documents.len() > SUBJECT_DOCUMENTS_MAX {
            return Err(ValueError::Count { field: "subject.documents", min: 0, max: SUBJECT_DOCUMENTS_MAX });
        }
        for d in &self.documents {
            if document_number(&d.number)? != d.number {
                return Err(ValueError::DocumentNumber(d.number.clone()));
            }
        }
        if let Some(h) = &self.photo_sha256 {
            if photo_sha256(h)? != *h {
                return Err(ValueError::Sha256(h.clone()));
            }
        }
        Ok(())
    }
}

/// Whether `c` may begin a name: a letter A-Z or a-z, or any character beyond ASCII that is
/// neither a control character nor white space (names are written in many scripts and with
/// diacritics; their only space is the ASCII one).
fn name_first(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
}

/// Whether `c` may stand inside a name: what may begin one, a space, `'`, `.`, `-` or `,`.
fn name_inner(c: char) -> bool {
    name_first(c) || matches!(c, ' ' | '\'' | '.' | '-' | ',')
}

/// A person's name as it is kept: 1 to 120 characters that begin with a letter (A-Z, a-z, or
/// any character beyond ASCII but control characters and white space), then letters, spaces
/// and `'`, `.`, `-`, `,`, and do not end with a space; runs of spaces are made one, so that
/// a name is found however it was spaced. The API's schema states the same rule as a pattern
/// (`gapura-server`'s `PERSON_NAME_PATTERN`, checked against this function by a test).
pub fn person_name(s: &str) -> Result<String, ValueError> {
    let n = s.chars().count();
    let ok = (1..=PERSON_NAME_CHARS_MAX).contains(&n)
        && s.chars().next().is_some_and(name_first)
        && s.chars().all(name_inner)
        && !s.ends_with(' ');
    if !ok {
        return Err(ValueError::PersonName(s.to_owned()));
    }
    let mut name = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == ' ' && name.ends_with(' ')) {
            name.push(c);
        }
    }
    Ok(name)
}

/// A document number as it is kept: in capitals; 1 to 20 characters of A-Z, 0-9 (a-z are
/// taken as capitals).
pub fn document_number(s: &str) -> Result<String, ValueError> {
    let number = s.to_ascii_uppercase();
    let ok = (1..=DOCUMENT_NUMBER_CHARS_MAX).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(number)
    } else {
        Err(ValueError::DocumentNumber(s.to_owned()))
    }
}

/// A SHA-256 as it is kept: 64 lower-case hex digits (capitals are taken as lower case).
pub fn photo_sha256(s: &str) -> Result<String, ValueError> {
    let h = s.to_ascii_lowercase();
    if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(h)
    } else {
        Err(ValueError::Sha256(s.to_owned()))
    }
}

/// Checks that a date lies in the years an order may name.
pub fn check_order_date(field: &'static str, d: Date) -> Result<(), ValueError> {
    if (ORDER_YEAR_MIN..=ORDER_YEAR_MAX).contains(&d.year()) {
        Ok(())
    } else {
        Err(ValueError::DateRange { field, value: d.to_string(), min: ORDER_YEAR_MIN, max: ORDER_YEAR_MAX })
    }
}

/// Why an order was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub category: ReasonCategory,
    /// The decision's grounds in its own words: 1 to 400 characters.
    pub text: String,
}

/// `travel_ban.order_issued` v1: an order as its decision made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderIssued {
    pub order_id: OrderId,
    pub kind: OrderKind,
    /// The registered authority whose decision this is.
    pub authority: AuthorityCode,
    /// The provision the decision rests on, e.g. `UU 6/2011 Pasal 91 ayat (1)`.
    pub legal_basis: String,
    pub decision_number: String,
    pub decision_date: Date,
    pub subject: Subject,
    pub reason: Reason,
    /// The first day in force.
    pub start: Date,
    /// The last day in force (inclusive); `None` for life.
    pub last_day: Option<Date>,
}

/// `travel_ban.order_extended` v1: a later decision moved the last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderExtended {
    pub order_id: OrderId,
    pub decision_number: String,
    pub legal_basis: String,
    pub decision_date: Date,
    pub previous_last_day: Date,
    pub new_last_day: Date,
}

/// `travel_ban.order_revoked` v1: a later decision lifted the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRevoked {
    pub order_id: OrderId,
    pub decision_number: String,
    pub decision_date: Date,
    /// Why, in the decision's words: 1 to 400 characters.
    pub reason: String,
}

impl OrderIssued {
    pub(crate) fn validate(&self) -> Result<(), ValueError> {
        check_text("legal_basis", &self.legal_basis)?;
        check_text("decision_number", &self.decision_number)?;
        check_order_date("decision_date", self.decision_date)?;
        check_order_date("start", self.start)?;
        if let Some(l) = self.last_day {
            check_order_date("last_day", l)?;
        }
        self.subject.validate()?;
        check_note("reason.text", &self.reason.text, true)
    }
}

impl OrderExtended {
    pub(crate) fn validate(&self) -> Result<(), ValueError> {
        check_text("decision_number", &self.decision_number)?;
        check_text("legal_basis", &self.legal_basis)?;
        check_order_date("decision_date", self.decision_date)?;
        check_order_date("previous_last_day", self.previous_last_day)?;
        check_order_date("new_last_day", self.new_last_day)
    }
}

impl OrderRevoked {
    pub(crate) fn validate(&self) -> Result<(), ValueError> {
        check_text("decision_number", &self.decision_number)?;
        check_order_date("decision_date", self.decision_date)?;
        check_note("reason", &self.reason, true)
    }
}

/// Issue an order: the decision as the administrator entered it, its values already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueOrder {
    pub order_id: OrderId,
    pub kind: OrderKind,
    pub authority: AuthorityCode,
    pub legal_basis: String,
    pub decision_number: String,
    pub decision_date: Date,
    pub subject: Subject,
    pub reason: Reason,
    pub start: Date,
    pub last_day: Option<Date>,
}

/// Extend an order to a new last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendOrder {
    pub decision_number: String,
    pub legal_basis: String,
    pub decision_date: Date,
    pub new_last_day: Date,
}

/// Revoke an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeOrder {
    pub decision_number: String,
    pub decision_date: Date,
    pub reason: String,
}

/// Why a command on an order was refused. Each has a stable snake_case [`code`](Refusal::code)
/// and a message that names the rule and the figures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// `prevention_period_max`: a prevention order lasts at most 6 months.
    #[error("a prevention order lasts at most {PREVENTION_MONTHS_MAX} months: from {start} the last day can be {max}, not {last_day}")]
    PreventionPeriodMax { start: Date, max: Date, last_day: Date },
    /// `prevention_extended_once`: a prevention order is extended once at most.
    #[error("a prevention order may be extended only once, and {order_id} already was (its last day is now {last_day}); a new order is needed")]
    PreventionExtendedOnce { order_id: OrderId, last_day: Date },
    /// `prevention_extension_max`: an extension adds at most 6 months.
    #[error("a prevention order may be extended by at most {PREVENTION_MONTHS_MAX} months: after the last day {current} the new last day can be {max}, not {new_last_day}")]
    PreventionExtensionMax { current: Date, max: Date, new_last_day: Date },
    /// `temporary_prevention_period_max`: a temporary prevention lasts at most 20 days.
    #[error("a temporary prevention order lasts at most {TEMPORARY_PREVENTION_DAYS_MAX} days: from {start} the last day can be {max}, not {last_day}")]
    TemporaryPreventionPeriodMax { start: Date, max: Date, last_day: Date },
    /// `temporary_prevention_not_extendable`.
    #[error("a temporary prevention order lasts at most {TEMPORARY_PREVENTION_DAYS_MAX} days and cannot be extended; a longer ban needs a prevention order")]
    TemporaryPreventionNotExtendable,
    /// `deterrence_period_max`: a deterrence order lasts at most 10 years.
    #[error("a deterrence order lasts at most {DETERRENCE_YEARS_MAX} years: from {start} the last day can be {max}, not {last_day}")]
    DeterrencePeriodMax { start: Date, max: Date, last_day: Date },
    /// `deterrence_extension_max`: each extension adds at most 10 years.
    #[error("a deterrence order may be extended by at most {DETERRENCE_YEARS_MAX} years at a time: after the last day {current} the new last day can be {max}, not {new_last_day}")]
    DeterrenceExtensionMax { current: Date, max: Date, new_last_day: Date },
    /// `life_requires_terrorism_or_narcotics`.
    #[error("a deterrence order for life is allowed only for terrorism or narcotics, not for {category}")]
    LifeRequiresTerrorismOrNarcotics { category: ReasonCategory },
    /// `life_order_not_extendable`.
    #[error("{order_id} is a deterrence order for life: it has no last day to extend")]
    LifeOrderNotExtendable { order_id: OrderId },
    /// `deterrence_requires_foreigner`: deterrence bans entering, so only foreigners.
    #[error("a deterrence order (a ban on entering) applies only to foreigners: the subject's nationality is {}", nationality.as_ref().map_or("not given", |c| c.as_str()))]
    DeterrenceRequiresForeigner { nationality: Option<CountryCode> },
    /// `period_required`: only deterrence may be for life.
    #[error("a {kind} order needs a last day; only a deterrence order may be for life")]
    PeriodRequired { kind: OrderKind },
    /// `period_ends_before_start`.
    #[error("the last day {last_day} is before the first day {start}")]
    PeriodEndsBeforeStart { start: Date, last_day: Date },
    /// `decision_in_future`.
    #[error("the decision is dated {decision_date}, after today ({today})")]
    DecisionInFuture { decision_date: Date, today: Date },
    /// `decision_before_order`: a later decision cannot predate the order's own.
    #[error(
        "the decision is dated {decision_date}, before the order's own decision of {order_decision_date}"
    )]
    DecisionBeforeOrder { decision_date: Date, order_decision_date: Date },
    /// `start_before_decision`.
    #[error("the order would start on {start}, before its decision of {decision_date}")]
    StartBeforeDecision { start: Date, decision_date: Date },
    /// `unknown_authority`.
    #[error("{authority} is not a registered travel-ban authority")]
    UnknownAuthority { authority: AuthorityCode },
    /// `extension_not_later`.
    #[error("an extension must end after the current last day {current}; {new_last_day} does not")]
    ExtensionNotLater { current: Date, new_last_day: Date },
    /// `order_revoked`.
    #[error("{order_id} was revoked by decision {decision_number} of {decision_date}; a revoked order cannot be changed, a new order is needed")]
    OrderRevoked { order_id: OrderId, decision_number: String, decision_date: Date },
    /// `order_ended`.
    #[error(
        "{order_id} ended on {last_day}; an ended order cannot be extended or revoked, a new order is needed"
    )]
    OrderEnded { order_id: OrderId, last_day: Date },
}

impl Refusal {
    /// The stable code of the rule, as the API reports it.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::PreventionPeriodMax { .. } => "prevention_period_max",
            Refusal::PreventionExtendedOnce { .. } => "prevention_extended_once",
            Refusal::PreventionExtensionMax { .. } => "prevention_extension_max",
            Refusal::TemporaryPreventionPeriodMax { .. } => "temporary_prevention_period_max",
            Refusal::TemporaryPreventionNotExtendable => "temporary_prevention_not_extendable",
            Refusal::DeterrencePeriodMax { .. } => "deterrence_period_max",
            Refusal::DeterrenceExtensionMax { .. } => "deterrence_extension_max",
            Refusal::LifeRequiresTerrorismOrNarcotics { .. } => "life_requires_terrorism_or_narcotics",
            Refusal::LifeOrderNotExtendable { .. } => "life_order_not_extendable",
            Refusal::DeterrenceRequiresForeigner { .. } => "deterrence_requires_foreigner",
            Refusal::PeriodRequired { .. } => "period_required",
            Refusal::PeriodEndsBeforeStart { .. } => "period_ends_before_start",
            Refusal::DecisionInFuture { .. } => "decision_in_future",
            Refusal::DecisionBeforeOrder { .. } => "decision_before_order",
            Refusal::StartBeforeDecision { .. } => "start_before_decision",
            Refusal::UnknownAuthority { .. } => "unknown_authority",
            Refusal::ExtensionNotLater { .. } => "extension_not_later",
            Refusal::OrderRevoked { .. } => "order_revoked",
            Refusal::OrderEnded { .. } => "order_ended",
        }
    }

    /// The field of the command at fault, named as the API names it; `None` when the
    /// order's state, not a field, is the reason.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Refusal::PreventionPeriodMax { .. }
            | Refusal::TemporaryPreventionPeriodMax { .. }
            | Refusal::DeterrencePeriodMax { .. }
            | Refusal::LifeRequiresTerrorismOrNarcotics { .. }
            | Refusal::PeriodRequired { .. }
            | Refusal::PeriodEndsBeforeStart { .. } => Some("last_day"),
            Refusal::PreventionExtensionMax { .. }
            | Refusal::DeterrenceExtensionMax { .. }
            | Refusal::ExtensionNotLater { .. } => Some("new_last_day"),
            Refusal::DeterrenceRequiresForeigner { .. } => Some("subject.nationality"),
            Refusal::DecisionInFuture { .. } | Refusal::DecisionBeforeOrder { .. } => Some("decision_date"),
            Refusal::StartBeforeDecision { .. } => Some("start"),
            Refusal::UnknownAuthority { .. } => Some("authority"),
            Refusal::PreventionExtendedOnce { .. }
            | Refusal::TemporaryPreventionNotExtendable
            | Refusal::LifeOrderNotExtendable { .. }
            | Refusal::OrderRevoked { .. }
            | Refusal::OrderEnded { .. } => None,
        }
    }

    /// Every code, for documents and tests.
    pub const CODES: &'static [&'static str] = &[
        "prevention_period_max",
        "prevention_extended_once",
        "prevention_extension_max",
        "temporary_prevention_period_max",
        "temporary_prevention_not_extendable",
        "deterrence_period_max",
        "deterrence_extension_max",
        "life_requires_terrorism_or_narcotics",
        "life_order_not_extendable",
        "deterrence_requires_foreigner",
        "period_required",
        "period_ends_before_start",
        "decision_in_future",
        "decision_before_order",
        "start_before_decision",
        "unknown_authority",
        "extension_not_later",
        "order_revoked",
        "order_ended",
    ];
}

/// The last day of a period of `months` calendar months beginning on `first`.
pub fn last_day_of_months(first: Date, months: i32) -> Date {
    day_before(first.checked_add(months.months()).unwrap_or(Date::MAX))
}

/// The last day of a period of `years` calendar years beginning on `first`.
pub fn last_day_of_years(first: Date, years: i32) -> Date {
    day_before(first.checked_add(years.years()).unwrap_or(Date::MAX))
}

/// The last day of a period of `days` days beginning on `first`.
pub fn last_day_of_days(first: Date, days: i32) -> Date {
    day_before(first.checked_add(days.days()).unwrap_or(Date::MAX))
}

fn day_before(d: Date) -> Date {
    d.yesterday().unwrap_or(d)
}

fn day_after(d: Date) -> Date {
    d.tomorrow().unwrap_or(d)
}

/// The latest last day an order of `kind` starting on `start` may have; `None` when it may
/// be for life (which [`issue`] allows only for terrorism and narcotics).
pub fn longest_last_day(kind: OrderKind, start: Date) -> Date {
    match kind {
        OrderKind::Prevention => last_day_of_months(start, PREVENTION_MONTHS_MAX),
        OrderKind::TemporaryPrevention => last_day_of_days(start, TEMPORARY_PREVENTION_DAYS_MAX),
        OrderKind::Deterrence => last_day_of_years(start, DETERRENCE_YEARS_MAX),
    }
}

/// Decides whether an order may be issued as `cmd` describes it on `today`, given whether its
/// authority is registered (looked up by the caller).
pub fn issue(cmd: IssueOrder, today: Date, known_authority: bool) -> Result<OrderIssued, Refusal> {
    if !known_authority {
        return Err(Refusal::UnknownAuthority { authority: cmd.authority });
    }
    if cmd.decision_date > today {
        return Err(Refusal::DecisionInFuture { decision_date: cmd.decision_date, today });
    }
    if cmd.start < cmd.decision_date {
        return Err(Refusal::StartBeforeDecision { start: cmd.start, decision_date: cmd.decision_date });
    }
    if cmd.kind == OrderKind::Deterrence
        && cmd.subject.nationality.as_ref().is_none_or(|c| c.as_str() == INDONESIA)
    {
        return Err(Refusal::DeterrenceRequiresForeigner { nationality: cmd.subject.nationality.clone() });
    }
    match cmd.last_day {
        None => match cmd.kind {
            OrderKind::Prevention | OrderKind::TemporaryPrevention => {
                return Err(Refusal::PeriodRequired { kind: cmd.kind })
            }
            OrderKind::Deterrence => {
                if !matches!(cmd.reason.category, ReasonCategory::Terrorism | ReasonCategory::Narcotics) {
                    return Err(Refusal::LifeRequiresTerrorismOrNarcotics { category: cmd.reason.category });
                }
            }
        },
        Some(last_day) => {
            if last_day < cmd.start {
                return Err(Refusal::PeriodEndsBeforeStart { start: cmd.start, last_day });
            }
            let max = longest_last_day(cmd.kind, cmd.start);
            if last_day > max {
                let start = cmd.start;
                return Err(match cmd.kind {
                    OrderKind::Prevention => Refusal::PreventionPeriodMax { start, max, last_day },
                    OrderKind::TemporaryPrevention => {
                        Refusal::TemporaryPreventionPeriodMax { start, max, last_day }
                    }
                    OrderKind::Deterrence => Refusal::DeterrencePeriodMax { start, max, last_day },
                });
            }
        }
    }
    Ok(OrderIssued {
        order_id: cmd.order_id,
        kind: cmd.kind,
        authority: cmd.authority,
        legal_basis: cmd.legal_basis,
        decision_number: cmd.decision_number,
        decision_date: cmd.decision_date,
        subject: cmd.subject,
        reason: cmd.reason,
        start: cmd.start,
        last_day: cmd.last_day,
    })
}

/// What the rules need to know about an order to decide on an extension or a revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderState {
    pub order_id: OrderId,
    pub kind: OrderKind,
    pub reason_category: ReasonCategory,
    pub decision_date: Date,
    pub start: Date,
    /// The current last day (moved by extensions); `None` for life.
    pub last_day: Option<Date>,
    /// How many times it was extended.
    pub extensions: u32,
    pub revoked: Option<OrderRevoked>,
}

impl OrderState {
    /// The state of a newly issued order.
    pub fn issued(e: &OrderIssued) -> OrderState {
        OrderState {
            order_id: e.order_id.clone(),
            kind: e.kind,
            reason_category: e.reason.category,
            decision_date: e.decision_date,
            start: e.start,
            last_day: e.last_day,
            extensions: 0,
            revoked: None,
        }
    }

    /// Folds a later event into the state; events of other orders (and other kinds of event)
    /// change nothing.
    pub fn evolve(&mut self, event: &Event) {
        match event {
            Event::TravelBanExtended(x) if x.order_id == self.order_id => {
                self.last_day = Some(x.new_last_day);
                self.extensions += 1;
            }
            Event::TravelBanRevoked(r) if r.order_id == self.order_id => self.revoked = Some(r.clone()),
            _ => {}
        }
    }

    /// The state an order's events build: the first must be its issue, the rest are folded in.
    /// `None` if the first is not an issue.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<OrderState> {
        let mut events = events.into_iter();
        let Some(Event::TravelBanIssued(first)) = events.next() else { return None };
        let mut state = OrderState::issued(first);
        for e in events {
            state.evolve(e);
        }
        Some(state)
    }

    /// Where the order stands on `today`.
    pub fn status(&self, today: Date) -> OrderStatus {
        OrderStatus::of(self.start, self.last_day, self.revoked.is_some(), today)
    }

    /// Refuses a change to an order that was revoked or has ended.
    fn check_open(&self, today: Date) -> Result<(), Refusal> {
        if let Some(r) = &self.revoked {
            return Err(Refusal::OrderRevoked {
                order_id: self.order_id.clone(),
                decision_number: r.decision_number.clone(),
                decision_date: r.decision_date,
            });
        }
        if let (OrderStatus::Ended, Some(last_day)) = (self.status(today), self.last_day) {
            return Err(Refusal::OrderEnded { order_id: self.order_id.clone(), last_day });
        }
        Ok(())
    }

    fn check_decision(&self, decision_date: Date, today: Date) -> Result<(), Refusal> {
        if decision_date > today {
            return Err(Refusal::DecisionInFuture { decision_date, today });
        }
        if decision_date < self.decision_date {
            return Err(Refusal::DecisionBeforeOrder {
                decision_date,
                order_decision_date: self.decision_date,
            });
        }
        Ok(())
    }
}

/// Decides whether `state`'s order may be extended as `cmd` asks on `today`.
pub fn extend(state: &OrderState, cmd: ExtendOrder, today: Date) -> Result<OrderExtended, Refusal> {
    state.check_open(today)?;
    let current = match (state.kind, state.last_day) {
        (OrderKind::TemporaryPrevention, _) => return Err(Refusal::TemporaryPreventionNotExtendable),
        (_, None) => return Err(Refusal::LifeOrderNotExtendable { order_id: state.order_id.clone() }),
        (OrderKind::Prevention, Some(last_day)) if state.extensions >= PREVENTION_EXTENSIONS_MAX => {
            return Err(Refusal::PreventionExtendedOnce { order_id: state.order_id.clone(), last_day })
        }
        (_, Some(current)) => current,
    };
    state.check_decision(cmd.decision_date, today)?;
    let new_last_day = cmd.new_last_day;
    if new_last_day <= current {
        return Err(Refusal::ExtensionNotLater { current, new_last_day });
    }
    // The extension is a further period beginning the day after the current last day.
    let first = day_after(current);
    match state.kind {
        OrderKind::Prevention => {
            let max = last_day_of_months(first, PREVENTION_MONTHS_MAX);
            if new_last_day > max {
                return Err(Refusal::PreventionExtensionMax { current, max, new_last_day });
            }
        }
        OrderKind::Deterrence => {
            let max = last_day_of_years(first, DETERRENCE_YEARS_MAX);
            if new_last_day > max {
                return Err(Refusal::DeterrenceExtensionMax { current, max, new_last_day });
            }
        }
        OrderKind::TemporaryPrevention => return Err(Refusal::TemporaryPreventionNotExtendable),
    }
    Ok(OrderExtended {
        order_id: state.order_id.clone(),
        decision_number: cmd.decision_number,
        legal_basis: cmd.legal_basis,
        decision_date: cmd.decision_date,
        previous_last_day: current,
        new_last_day,
    })
}

/// Decides whether `state`'s order may be revoked as `cmd` asks on `today`.
pub fn revoke(state: &OrderState, cmd: RevokeOrder, today: Date) -> Result<OrderRevoked, Refusal> {
    state.check_open(today)?;
    state.check_decision(cmd.decision_date, today)?;
    Ok(OrderRevoked {
        order_id: state.order_id.clone(),
        decision_number: cmd.decision_number,
        decision_date: cmd.decision_date,
        reason: cmd.reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::round_trips;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-11-23";

    fn subject(nationality: Option<&str>) -> Subject {
        Subject {
            names: vec!["Soekardjo Wirjosoedarmo".into(), "Sukarjo Wiryosudarmo".into()],
            sex: Some(Sex::M),
            place_of_birth: Some("Madiun".into()),
            date_of_birth: Some(PartialDate::parse("1971-03-XX").unwrap()),
            nationality: nationality.map(|c| CountryCode::parse(c).unwrap()),
            documents: vec![SubjectDocument {
                number: "C1234567".into(),
                issuing_state: CountryCode::parse("IDN").unwrap(),
                kind: DocumentKind::Passport,
            }],
            nik: Some(Nik::parse("3577011203710004").unwrap()),
            photo_sha256: Some("ab".repeat(32)),
        }
    }

    fn cmd(kind: OrderKind, start: &str, last_day: Option<&str>) -> IssueOrder {
        IssueOrder {
            order_id: OrderId::parse("TB-2026-7K3M9QPX").unwrap(),
            kind,
            authority: AuthorityCode::parse("JAKSA-AGUNG").unwrap(),
            legal_basis: "UU 6/2011 Pasal 91 ayat (2) huruf b".into(),
            decision_number: "KEP-123/D/Dsp.4/11/2026".into(),
            decision_date: d("2026-11-20"),
            subject: subject(Some("IDN")),
            reason: Reason {
                category: ReasonCategory::Corruption,
                text: "Tersangka tindak pidana korupsi".into(),
            },
            start: d(start),
            last_day: last_day.map(d),
        }
    }

    fn deterrence(start: &str, last_day: Option<&str>, category: ReasonCategory) -> IssueOrder {
        let mut c = cmd(OrderKind::Deterrence, start, last_day);
        c.subject = subject(Some("MYS"));
        c.reason.category = category;
        c
    }

    fn refused(r: Result<impl std::fmt::Debug, Refusal>) -> Refusal {
        r.expect_err("refused")
    }

    fn state_of(c: IssueOrder) -> OrderState {
        OrderState::issued(&issue(c, d(TODAY), true).unwrap())
    }

    fn ext(decision: &str, new_last_day: &str) -> ExtendOrder {
        ExtendOrder {
            decision_number: "KEP-200/2027".into(),
            legal_basis: "UU 6/2011 Pasal 97 ayat (1)".into(),
            decision_date: d(decision),
            new_last_day: d(new_last_day),
        }
    }

    fn rev(decision: &str) -> RevokeOrder {
        RevokeOrder {
            decision_number: "KEP-300/2026".into(),
            decision_date: d(decision),
            reason: "Perkara dihentikan".into(),
        }
    }

    #[test]
    fn order_ids_are_made_from_random_bytes_and_parsed_strictly() {
        let id = OrderId::from_random(2026, [0xff; 5]);
        assert_eq!(id.as_str(), "TB-2026-ZZZZZZZZ");
        assert_eq!(OrderId::from_random(2026, [0; 5]).as_str(), "TB-2026-00000000");
        assert_eq!(
            OrderId::parse(OrderId::from_random(2031, [1, 2, 3, 4, 5]).as_str()).unwrap().as_str().len(),
            16
        );
        for bad in [
            "TB-2026-7K3M9QP",
            "TB-2026-7K3M9QPI",
            "tb-2026-7K3M9QPX",
            "TB-26-7K3M9QPXAB",
            "TB-2026-7k3m9qpx",
            "TB_2026-7K3M9QPX",
        ] {
            assert!(OrderId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_numbers_and_hashes_are_kept_in_one_form() {
        assert_eq!(person_name("Moch.  Rizki   Pratama").unwrap(), "Moch. Rizki Pratama");
        assert_eq!(person_name("Ni Luh Putu Ayu, S.H.").unwrap(), "Ni Luh Putu Ayu, S.H.");
        assert_eq!(person_name("O'Neil-Ryan").unwrap(), "O'Neil-Ryan");
        assert_eq!(person_name("Nguyễn Văn Thành").unwrap(), "Nguyễn Văn Thành");
        assert_eq!(person_name("A").unwrap(), "A");
        for bad in [
            "",
            " ",
            " Budi",
            "Budi ",
            "...",
            ".Budi",
            "Budi 2",
            "Budi\u{7}",
            "Budi\u{85}x",
            "Budi_S",
            "\u{a0}Budi",
            "Budi\u{3000}Santoso",
            &"a".repeat(121),
        ] {
            assert!(person_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(document_number("c1234567").unwrap(), "C1234567");
        assert!(document_number("C-1234567").is_err() && document_number(" C1234567").is_err());
        assert!(document_number(&"1".repeat(21)).is_err());
        assert_eq!(photo_sha256(&"AB".repeat(32)).unwrap(), "ab".repeat(32));
        assert!(photo_sha256("abc").is_err());
        assert!(Nik::parse("357701120371000").is_err() && Nik::parse("3577011203710004").is_ok());
        let mut s = subject(None);
        s.names.clear();
        assert!(matches!(s.validate(), Err(ValueError::Count { .. })));
        s.names = vec!["Budi".into(); 9];
        assert!(matches!(s.validate(), Err(ValueError::Count { .. })));
        s.names = vec!["budi  santoso".into()];
        assert!(matches!(s.validate(), Err(ValueError::PersonName(_))), "stored names are normalised");
    }

    #[test]
    fn a_prevention_order_lasts_at_most_six_months() {
        let ok = issue(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-05-22")), d(TODAY), true);
        assert!(ok.is_ok(), "{ok:?}");
        let r = refused(issue(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-06-01")), d(TODAY), true));
        assert_eq!(r.code(), "prevention_period_max");
        assert_eq!(
            r.to_string(),
            "a prevention order lasts at most 6 months: from 2026-11-23 the last day can be 2027-05-22, not 2027-06-01"
        );
        assert_eq!(r.field(), Some("last_day"));
        let r = refused(issue(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-05-23")), d(TODAY), true));
        assert_eq!(r.code(), "prevention_period_max", "one day too many");
    }

    #[test]
    fn months_end_on_the_last_day_of_a_shorter_month() {
        // 31 August + 6 months is 28 February (there is no 31st); the period ends the day before.
        assert_eq!(last_day_of_months(d("2026-08-31"), 6), d("2027-02-27"));
        assert_eq!(last_day_of_months(d("2027-08-31"), 6), d("2028-02-28"), "2028 is a leap year");
        assert_eq!(last_day_of_months(d("2026-03-01"), 6), d("2026-08-31"));
        assert_eq!(last_day_of_months(d("2026-08-30"), 6), d("2027-02-27"));
        assert_eq!(last_day_of_years(d("2028-02-29"), 10), d("2038-02-27"));
        assert_eq!(last_day_of_days(d("2026-12-25"), 20), d("2027-01-13"));
        let mut c = cmd(OrderKind::Prevention, "2026-08-31", Some("2027-02-28"));
        c.decision_date = d("2026-08-31");
        let r = refused(issue(c.clone(), d(TODAY), true));
        assert_eq!(r.code(), "prevention_period_max");
        assert!(r.to_string().contains("the last day can be 2027-02-27"), "{r}");
        c.last_day = Some(d("2027-02-27"));
        let s = OrderState::issued(&issue(c, d("2026-08-31"), true).unwrap());
        // Its one extension is a further period from 28 February: to 27 August at most.
        let r = refused(extend(&s, ext("2027-02-01", "2027-08-28"), d("2027-02-01")));
        assert_eq!(r.code(), "prevention_extension_max");
        assert!(r.to_string().contains("the new last day can be 2027-08-27"), "{r}");
        assert!(extend(&s, ext("2027-02-01", "2027-08-27"), d("2027-02-01")).is_ok());
    }

    #[test]
    fn a_prevention_order_is_extended_once_by_at_most_six_months() {
        let s = state_of(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-05-22")));
        let r = refused(extend(&s, ext("2027-05-01", "2027-11-23"), d("2027-05-01")));
        assert_eq!(r.code(), "prevention_extension_max");
        assert_eq!(
            r.to_string(),
            "a prevention order may be extended by at most 6 months: after the last day 2027-05-22 the new last day can be 2027-11-22, not 2027-11-23"
        );
        let e = extend(&s, ext("2027-05-01", "2027-11-22"), d("2027-05-01")).unwrap();
        assert_eq!((e.previous_last_day, e.new_last_day), (d("2027-05-22"), d("2027-11-22")));
        let mut s2 = s.clone();
        s2.evolve(&Event::TravelBanExtended(e));
        assert_eq!((s2.last_day, s2.extensions), (Some(d("2027-11-22")), 1));
        let r = refused(extend(&s2, ext("2027-06-01", "2027-12-01"), d("2027-06-01")));
        assert_eq!(r.code(), "prevention_extended_once");
        assert_eq!(r.field(), None);
    }

    #[test]
    fn a_temporary_prevention_lasts_twenty_days_and_is_never_extended() {
        assert!(issue(cmd(OrderKind::TemporaryPrevention, "2026-11-23", Some("2026-12-12")), d(TODAY), true)
            .is_ok());
        let r = refused(issue(
            cmd(OrderKind::TemporaryPrevention, "2026-11-23", Some("2026-12-13")),
            d(TODAY),
            true,
        ));
        assert_eq!(r.code(), "temporary_prevention_period_max");
        assert!(r.to_string().contains("the last day can be 2026-12-12, not 2026-12-13"), "{r}");
        let s = state_of(cmd(OrderKind::TemporaryPrevention, "2026-11-23", Some("2026-11-30")));
        let r = refused(extend(&s, ext(TODAY, "2026-12-05"), d(TODAY)));
        assert_eq!(r.code(), "temporary_prevention_not_extendable");
    }

    #[test]
    fn a_deterrence_order_lasts_ten_years_and_each_extension_ten_more() {
        let ok =
            issue(deterrence("2026-11-23", Some("2036-11-22"), ReasonCategory::Criminal), d(TODAY), true);
        assert!(ok.is_ok(), "{ok:?}");
        let r = refused(issue(
            deterrence("2026-11-23", Some("2036-11-23"), ReasonCategory::Criminal),
            d(TODAY),
            true,
        ));
        assert_eq!(r.code(), "deterrence_period_max");
        let s = state_of(deterrence("2026-11-23", Some("2036-11-22"), ReasonCategory::Criminal));
        let r = refused(extend(&s, ext("2036-01-01", "2046-11-23"), d("2036-01-01")));
        assert_eq!(r.code(), "deterrence_extension_max");
        assert!(r.to_string().contains("can be 2046-11-22"), "{r}");
        let e = extend(&s, ext("2036-01-01", "2046-11-22"), d("2036-01-01")).unwrap();
        let mut s2 = s.clone();
        s2.evolve(&Event::TravelBanExtended(e));
        // Deterrence may be extended again, each time by at most 10 years.
        assert!(extend(&s2, ext("2046-01-01", "2056-11-22"), d("2046-01-01")).is_ok());
    }

    #[test]
    fn only_terrorism_and_narcotics_deter_for_life_and_life_is_not_extended() {
        for category in [ReasonCategory::Terrorism, ReasonCategory::Narcotics] {
            assert!(issue(deterrence("2026-11-23", None, category), d(TODAY), true).is_ok());
        }
        let r = refused(issue(deterrence("2026-11-23", None, ReasonCategory::Criminal), d(TODAY), true));
        assert_eq!(r.code(), "life_requires_terrorism_or_narcotics");
        assert!(r.to_string().ends_with("not for criminal"), "{r}");
        let s = state_of(deterrence("2026-11-23", None, ReasonCategory::Terrorism));
        assert_eq!(s.status(d("2099-01-01")), OrderStatus::InForce);
        let r = refused(extend(&s, ext(TODAY, "2040-01-01"), d(TODAY)));
        assert_eq!(r.code(), "life_order_not_extendable");
        for kind in [OrderKind::Prevention, OrderKind::TemporaryPrevention] {
            let r = refused(issue(cmd(kind, "2026-11-23", None), d(TODAY), true));
            assert_eq!(r.code(), "period_required");
        }
    }

    #[test]
    fn deterrence_is_for_foreigners_only() {
        let mut c = deterrence("2026-11-23", Some("2030-01-01"), ReasonCategory::Criminal);
        c.subject.nationality = None;
        let r = refused(issue(c.clone(), d(TODAY), true));
        assert_eq!(r.code(), "deterrence_requires_foreigner");
        assert!(r.to_string().ends_with("is not given"), "{r}");
        c.subject.nationality = Some(CountryCode::parse("IDN").unwrap());
        let r = refused(issue(c, d(TODAY), true));
        assert_eq!((r.code(), r.field()), ("deterrence_requires_foreigner", Some("subject.nationality")));
        // Prevention applies to citizens and foreigners alike.
        let mut p = cmd(OrderKind::Prevention, "2026-11-23", Some("2027-01-01"));
        p.subject.nationality = Some(CountryCode::parse("SGP").unwrap());
        assert!(issue(p, d(TODAY), true).is_ok());
    }

    #[test]
    fn dates_must_be_in_order_and_not_in_the_future() {
        let r = refused(issue(cmd(OrderKind::Prevention, "2026-11-23", Some("2026-11-22")), d(TODAY), true));
        assert_eq!(r.code(), "period_ends_before_start");
        let mut c = cmd(OrderKind::Prevention, "2026-11-25", Some("2027-01-01"));
        c.decision_date = d("2026-11-24");
        let r = refused(issue(c.clone(), d(TODAY), true));
        assert_eq!((r.code(), r.field()), ("decision_in_future", Some("decision_date")));
        assert_eq!(r.to_string(), "the decision is dated 2026-11-24, after today (2026-11-23)");
        c.decision_date = d("2026-11-23");
        c.start = d("2026-11-22");
        let r = refused(issue(c.clone(), d(TODAY), true));
        assert_eq!((r.code(), r.field()), ("start_before_decision", Some("start")));
        c.start = d("2026-11-25");
        let r = refused(issue(c.clone(), d(TODAY), false));
        assert_eq!((r.code(), r.field()), ("unknown_authority", Some("authority")));
        // A single day is a valid period; an order may start later than today.
        c.last_day = Some(d("2026-11-25"));
        let s = OrderState::issued(&issue(c, d(TODAY), true).unwrap());
        assert_eq!(s.status(d(TODAY)), OrderStatus::Scheduled);
        let r = refused(extend(&s, ext("2026-11-22", "2026-12-01"), d(TODAY)));
        assert_eq!(r.code(), "decision_before_order");
        let r = refused(extend(&s, ext("2026-11-24", "2026-12-01"), d(TODAY)));
        assert_eq!(r.code(), "decision_in_future");
        let r = refused(extend(&s, ext(TODAY, "2026-11-25"), d(TODAY)));
        assert_eq!((r.code(), r.field()), ("extension_not_later", Some("new_last_day")));
        let r = refused(revoke(&s, rev("2026-11-24"), d(TODAY)));
        assert_eq!(r.code(), "decision_in_future");
    }

    #[test]
    fn an_order_ends_by_itself_the_day_after_its_last_day() {
        let s = state_of(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-05-22")));
        assert_eq!(s.status(d("2026-11-22")), OrderStatus::Scheduled);
        assert_eq!(s.status(d("2026-11-23")), OrderStatus::InForce);
        assert_eq!(s.status(d("2027-05-22")), OrderStatus::InForce);
        assert_eq!(s.status(d("2027-05-23")), OrderStatus::Ended);
        let r = refused(extend(&s, ext("2027-05-23", "2027-06-01"), d("2027-05-23")));
        assert_eq!(r.code(), "order_ended");
        assert!(r.to_string().contains("ended on 2027-05-22"), "{r}");
        let r = refused(revoke(&s, rev("2027-05-23"), d("2027-05-23")));
        assert_eq!(r.code(), "order_ended");
        // On its last day it may still be extended.
        assert!(extend(&s, ext("2027-05-22", "2027-06-01"), d("2027-05-22")).is_ok());
    }

    #[test]
    fn a_revoked_order_stays_revoked() {
        let mut s = state_of(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-05-22")));
        let r = revoke(&s, rev(TODAY), d(TODAY)).unwrap();
        s.evolve(&Event::TravelBanRevoked(r));
        assert_eq!(s.status(d(TODAY)), OrderStatus::Revoked);
        assert_eq!(s.status(d("2030-01-01")), OrderStatus::Revoked);
        let r = refused(revoke(&s, rev(TODAY), d(TODAY)));
        assert_eq!(r.code(), "order_revoked");
        assert!(r.to_string().contains("KEP-300/2026 of 2026-11-23"), "{r}");
        let r = refused(extend(&s, ext(TODAY, "2027-06-01"), d(TODAY)));
        assert_eq!(r.code(), "order_revoked");
        // Events of other orders change nothing.
        let mut other = rev(TODAY);
        other.reason = "x".into();
        let before = s.clone();
        s.evolve(&Event::TravelBanExtended(OrderExtended {
            order_id: OrderId::parse("TB-2026-00000000").unwrap(),
            decision_number: "X".into(),
            legal_basis: "Y".into(),
            decision_date: d(TODAY),
            previous_last_day: d(TODAY),
            new_last_day: d("2027-01-01"),
        }));
        assert_eq!(s, before);
    }

    #[test]
    fn every_refusal_has_its_listed_code() {
        let mut codes: Vec<&str> = Refusal::CODES.to_vec();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Refusal::CODES.len());
    }

    #[test]
    fn order_events_round_trip_and_validate() {
        let issued =
            issue(cmd(OrderKind::Prevention, "2026-11-23", Some("2027-05-22")), d(TODAY), true).unwrap();
        let life = issue(deterrence("2026-11-23", None, ReasonCategory::Narcotics), d(TODAY), true).unwrap();
        let mut bare = issued.clone();
        bare.subject = Subject {
            names: vec!["Tjoa Kiem Liong".into()],
            sex: None,
            place_of_birth: None,
            date_of_birth: None,
            nationality: None,
            documents: Vec::new(),
            nik: None,
            photo_sha256: None,
        };
        let s = OrderState::issued(&issued);
        let extended = extend(&s, ext("2027-05-01", "2027-11-22"), d("2027-05-01")).unwrap();
        let revoked = revoke(&s, rev(TODAY), d(TODAY)).unwrap();
        let events = [
            Event::TravelBanIssued(issued),
            Event::TravelBanIssued(life),
            Event::TravelBanIssued(bare),
            Event::TravelBanExtended(extended),
            Event::TravelBanRevoked(revoked),
        ];
        for e in &events {
            e.validate().unwrap_or_else(|v| panic!("{v}: {e:?}"));
            assert!(round_trips(e).unwrap(), "{e:?}");
        }
        assert_eq!(events[0].name().name, "travel_ban.order_issued");
        assert_eq!(events[3].name().name, "travel_ban.order_extended");
        assert_eq!(events[4].name().name, "travel_ban.order_revoked");
        let body = String::from_utf8(events[2].encode()).unwrap();
        assert!(!body.contains("null"), "absent values are left out: {body}");
        assert!(body.contains("\"start\":\"2026-11-23\""), "{body}");
        assert!(body.contains("\"last_day\":\"2027-05-22\""), "{body}");
        let life_body = String::from_utf8(events[1].encode()).unwrap();
        assert!(life_body.contains("\"last_day\":null"), "for life is written out: {life_body}");

        // Values are checked beyond their types: control characters, empty texts, dates.
        let Event::TravelBanIssued(mut bad) = events[0].clone() else { unreachable!() };
        bad.reason.text = "line\nbreak".into();
        assert!(Event::TravelBanIssued(bad.clone()).validate().is_err());
        bad.reason.text = "ok".into();
        bad.decision_number = String::new();
        assert!(Event::TravelBanIssued(bad.clone()).validate().is_err());
        bad.decision_number = "KEP-1".into();
        bad.start = d("1899-12-31");
        assert!(Event::TravelBanIssued(bad.clone()).validate().is_err());
        bad.start = d("2026-11-23");
        bad.subject.documents[0].number = "c1234567".into();
        assert!(Event::TravelBanIssued(bad).validate().is_err(), "document numbers are kept in capitals");
        let Event::TravelBanRevoked(mut r) = events[4].clone() else { unreachable!() };
        r.reason = String::new();
        assert!(Event::TravelBanRevoked(r).validate().is_err());
        assert!(matches!(
            Event::decode("travel_ban.order_issued", 1, b"{\"order_id\":\"TB-2026-7K3M9QPX\"}"),
            Err(crate::EventError::Body { .. })
        ));
    }
}
