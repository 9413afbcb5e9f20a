//! The storage behaviour story: every test runs once per engine — always on SQLite, and on
//! PostgreSQL when `GAPURA_TEST_POSTGRES_URL` names a server (CI sets it). Without it the
//! PostgreSQL half says it is skipped; with `GAPURA_REQUIRE_POSTGRES=1` a missing URL fails.

mod engines;
mod props;
mod story;
mod support;
mod tamper;
mod travel_bans;
mod upcast;
