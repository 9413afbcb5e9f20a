//! ICAO Doc 9303 travel documents: machine-readable zones (`mrz`) and ePassport passive
//! authentication (`pa`).
//!
//! What it is for: reading and writing MRZs exactly as Doc 9303 specifies, and checking that
//! a chip's data groups were signed by a Document Signer chained to a trusted CSCA. What it
//! is not for: deciding whether a traveller may cross (that is the crossing workflow's
//! business), or talking to a chip reader.

pub mod mrz;
#[cfg(feature = "pa")]
pub mod pa;
