//! Validated names, hashes and the entry size limit.

use gapura_ledger::{
    ActorId, DecodeError, Entry, EventType, Hash, SiteId, TimeZoneName, ValueError, ENTRY_BYTES_MAX,
};

use crate::common::*;

/// Site ids: 1 to 32 of a-z, 0-9, '-', starting with a letter.
#[test]
fn site_id_accepts_and_rejects() {
    for ok in ["a", "jkt-centre", "pos-entikong-2", &"s".repeat(32)] {
        assert!(SiteId::parse(ok).is_ok(), "{ok:?}");
    }
    for bad in ["", "Jkt", "1site", "-site", "site_a", "site a", "sité", &"s".repeat(33)] {
        assert_eq!(SiteId::parse(bad), Err(ValueError::SiteId(bad.into())), "{bad:?}");
    }
}

/// Actors: 1 to 64 printable ASCII characters, no spaces.
#[test]
fn actor_id_accepts_and_rejects() {
    for ok in ["officer:0001", "system:ledger", "device:gate-07", "x", &"a".repeat(64)] {
        assert!(ActorId::parse(ok).is_ok(), "{ok:?}");
    }
    for bad in ["", "officer 1", "officer:\t1", "officer:é", "line\n", &"a".repeat(65)] {
        assert_eq!(ActorId::parse(bad), Err(ValueError::Actor(bad.into())), "{bad:?}");
    }
}

/// Event types: `area.thing_happened`, lowercase, exactly one dot, at most 64 characters.
#[test]
fn event_type_accepts_and_rejects() {
    let longest = format!("a.{}", "b".repeat(62));
    for ok in ["ledger.series_opened", "service_point.registered", "v2.x9", longest.as_str()] {
        assert!(EventType::parse(ok).is_ok(), "{ok:?}");
    }
    let too_long = format!("a.{}", "b".repeat(63));
    for bad in [
        "",
        "ledger",
        "ledger.",
        ".opened",
        "a.b.c",
        "Ledger.opened",
        "ledger.Opened",
        "ledger._opened",
        "ledger.1opened",
        "ledger.series-opened",
        too_long.as_str(),
    ] {
        assert_eq!(EventType::parse(bad), Err(ValueError::EventType(bad.into())), "{bad:?}");
    }
}

/// Time zones: `UTC` or an `Area/Location` IANA-shaped name.
#[test]
fn time_zone_accepts_and_rejects() {
    for ok in [
        "UTC",
        "Asia/Jakarta",
        "Asia/Makassar",
        "America/Argentina/Buenos_Aires",
        "Etc/GMT+7",
        "America/Port-au-Prince",
    ] {
        assert!(TimeZoneName::parse(ok).is_ok(), "{ok:?}");
    }
    for bad in ["", "utc", "Jakarta", "asia/jakarta", "/Jakarta", "Asia/Jakarta ", "Asia/Jakárta", "+07:00"]
    {
        assert_eq!(TimeZoneName::parse(bad), Err(ValueError::TimeZone(bad.into())), "{bad:?}");
    }
}

/// Names also validate when read through serde, so a JSON body cannot smuggle a bad one.
#[test]
fn names_validate_through_serde() {
    assert_eq!(serde_json::from_str::<SiteId>("\"jkt\"").unwrap().as_str(), "jkt");
    assert!(serde_json::from_str::<SiteId>("\"JKT\"").is_err());
    assert!(serde_json::from_str::<EventType>("\"a.b.c\"").is_err());
}

/// Hashes: exactly 64 hexadecimal digits.
#[test]
fn hash_hex_accepts_and_rejects() {
    let h = Hash::of(b"abc");
    assert_eq!(h.to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(Hash::from_hex(&h.to_hex()), Ok(h));
    for bad in ["", "00", &"g".repeat(64), &"0".repeat(66)] {
        assert!(Hash::from_hex(bad).is_err(), "{bad:?}");
    }
}

/// Given a body that makes the entry exactly ENTRY_BYTES_MAX, then it seals; one byte more
/// and sealing refuses it with TooLarge.
#[test]
fn seal_refuses_an_entry_over_the_maximum() {
    let overhead = Entry::seal(
        &site("alpha"),
        &tz(),
        2,
        Hash([1; 32]),
        &draft(T0, "officer:0001", "test.big_body", 1, vec![]),
    )
    .unwrap()
    .bytes
    .len();
    let seal_with = |n: usize| {
        let d = draft(T0, "officer:0001", "test.big_body", 1, vec![b'x'; n]);
        Entry::seal(&site("alpha"), &tz(), 2, Hash([1; 32]), &d)
    };
    let max = seal_with(ENTRY_BYTES_MAX - overhead).unwrap();
    assert_eq!(max.bytes.len(), ENTRY_BYTES_MAX);
    assert_eq!(
        seal_with(ENTRY_BYTES_MAX - overhead + 1).unwrap_err(),
        DecodeError::TooLarge { size: ENTRY_BYTES_MAX + 1, max: ENTRY_BYTES_MAX }
    );
    assert!(matches!(seal_with(1 << 20).unwrap_err(), DecodeError::TooLarge { .. }));
}

/// Given a sequence-1 entry with a non-zero previous hash, or a sequence of 0, then sealing
/// refuses it.
#[test]
fn seal_refuses_impossible_places() {
    let d = draft(T0, "officer:0001", "test.thing_happened", 1, vec![]);
    assert_eq!(Entry::seal(&site("alpha"), &tz(), 0, Hash::ZERO, &d).unwrap_err(), DecodeError::ZeroSequence);
    assert!(matches!(
        Entry::seal(&site("alpha"), &tz(), 1, Hash([1; 32]), &d).unwrap_err(),
        DecodeError::Field { field: "prev_hash", .. }
    ));
}
