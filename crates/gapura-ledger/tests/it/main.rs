//! Integration tests of `gapura-ledger`: the published test vectors, property tests of the
//! entry format and of tamper evidence, the verifier's rules one by one, key files, sealed
//! export segments and the validated names.
//!
//! All data here is synthetic.

// The crate's own API returns `VerifyFailure` by value; the helpers pass it on unchanged.
#![allow(clippy::result_large_err)]

mod common;
mod keys;
mod names;
mod props;
mod segments;
mod vectors;
mod verifier;
