//! Gapura's domain: value types and the events that change the system's state, with their
//! stable names, schema versions and upcasts from older versions.
//!
//! Pure: no IO, no clock, no SQL. Storage applies these events to projections
//! (`gapura-store`); the ledger's own events (series opened, key rotated) belong to
//! `gapura-ledger`, not here.

pub mod demo;
mod event;
mod officer;
mod person;
mod reference;
pub mod travel_ban;
mod watchlist;

pub use event::{Decoded, Event, EventError, EventName, ServicePointRegisteredV1};
pub use jiff::civil::Date;
pub use officer::{
    Grant, LoginAttempt, OfficerCreated, OfficerGrant, OfficerId, OfficerStatus, PasswordChanged, Permission,
    PersonalDataRead, Role, Scope, TokenIssued, TokenRevoked, AUDIT_SUBJECTS_MAX, NOTE_CHARS_MAX,
};
pub use person::{
    parse_date_exact, today_wib, PartialDate, PartialDateError, Sex, DATE_PATTERN, DATE_YEAR_MAX,
    DATE_YEAR_MIN, PARTIAL_DATE_PATTERN,
};
pub use reference::{
    indonesian_province_time_zone, AuthorityCode, CountryCode, ServicePoint, ServicePointCode,
    ServicePointKind, ValueError, NAME_CHARS_MAX,
};
pub use travel_ban::{
    DocumentKind, Nik, OrderExtended, OrderId, OrderIssued, OrderKind, OrderRevoked, OrderState, OrderStatus,
    Reason, ReasonCategory, Refusal, Subject, SubjectDocument,
};
pub use watchlist::{BulkFormat, ImportMode, WatchlistImport, WatchlistList};
