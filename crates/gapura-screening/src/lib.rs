//! Screening: is this traveller, or this document, on a list?
//!
//! A [`Watchlist`] holds the subjects of travel-ban orders and Interpol notices (their names in
//! an index built for Indonesian and regional names) and the Interpol stolen and lost travel
//! documents (a compact fingerprint set for 100 million numbers). [`Watchlist::screen`]
//! answers a [`Query`] with hits, each scored and explained: which fields matched and how,
//! and which rule applies for the direction of travel.
//!
//! Pure: no IO but reading and writing saved indexes through `std::io` traits; the watchlist
//! is fed from ledger events by the caller (see `feed`).

pub mod bulk;
pub mod documents;
pub mod eval;
pub mod feed;
mod names;
pub mod normalize;
mod request;
pub mod snapshot;
mod watchlist;

pub use gapura_domain::OrderKind;
pub use names::{NameComparison, TokenPair, NAME_TOKENS_MAX, SINGLE_TOKEN_CANDIDATES_MAX};
pub use normalize::TokenMatch;
pub use request::{
    query_from_json, QueryError, RequestDocument, ScreeningRequest, COUNTRY_PATTERN, DOCUMENT_NUMBER_PATTERN,
    DOCUMENT_TYPE_CHARS_MAX, QUERY_NAME_CHARS_MAX, TEXT_PATTERN,
};
pub use watchlist::{
    compare_dates, notice_key, order_key, DateMatch, Direction, Effect, FieldMatch, Hit, Listing, Person,
    PersonDocument, Query, QueryDocument, Rule, Screening, Watchlist, WatchlistCounts, DEFAULT_THRESHOLD,
    HITS_MAX, PERSON_DOCUMENTS_MAX, PERSON_NAMES_MAX,
};
