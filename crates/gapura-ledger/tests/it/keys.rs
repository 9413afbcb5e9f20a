//! Site key files and trusted-key lists.

use std::os::unix::fs::PermissionsExt;

use gapura_ledger::{KeyError, SiteKey, TrustedKeys};

use crate::common::key;

fn set_mode(path: &std::path::Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Given a key written to a new file, when read back, then it is the same key, and the file is
/// readable by its owner only.
#[test]
fn key_file_write_read_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site.key");
    let k = key(3);
    k.write_file(&path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let back = SiteKey::read_file(&path).unwrap();
    assert_eq!(back.public(), k.public());
    assert_eq!(back.sign(b"synthetic message"), k.sign(b"synthetic message"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("gapura-site-key-v1\nsecret "));
    assert!(text.contains(&format!("public {}\n", k.public())));
}

/// Given an existing key file, when another key is written to the same path, then it is
/// refused and the original file is unchanged.
#[test]
fn key_file_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site.key");
    key(3).write_file(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    match key(4).write_file(&path) {
        Err(KeyError::Io { source, .. }) => assert_eq!(source.kind(), std::io::ErrorKind::AlreadyExists),
        other => panic!("expected an AlreadyExists error, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(SiteKey::read_file(&path).unwrap().public(), key(3).public());
}

/// Given a key file others can read (0644, also 0640 and 0604), then reading it is refused
/// with a Permissions error naming the mode.
#[test]
fn key_file_readable_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site.key");
    key(3).write_file(&path).unwrap();
    for mode in [0o644, 0o640, 0o604] {
        set_mode(&path, mode);
        match SiteKey::read_file(&path) {
            Err(KeyError::Permissions { mode: m, .. }) => assert_eq!(m, mode),
            other => panic!("mode {mode:o}: expected Permissions, got {other:?}"),
        }
    }
    set_mode(&path, 0o400);
    SiteKey::read_file(&path).unwrap();
}

/// Given a key file whose public line belongs to another key (or whose header or secret is
/// wrong), then reading it is refused with a Format error.
#[test]
fn key_file_with_mismatched_public_line_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site.key");
    key(3).write_file(&path).unwrap();
    let good = std::fs::read_to_string(&path).unwrap();
    let cases = [
        good.replace(&key(3).public().to_hex(), &key(4).public().to_hex()),
        good.replace("gapura-site-key-v1", "gapura-site-key-v2"),
        good.replace("secret ", "secret zz"),
    ];
    for text in cases {
        std::fs::write(&path, &text).unwrap();
        set_mode(&path, 0o600);
        assert!(matches!(SiteKey::read_file(&path), Err(KeyError::Format { .. })), "{text}");
    }
}

/// Given a trusted-keys text with comments, blank lines and trailing notes, then every key is
/// read; given a bad key on line 4, then the error names line 4.
#[test]
fn trusted_keys_parse_comments_and_bad_line() {
    let (a, b) = (key(1).public(), key(2).public());
    let text = format!("# trusted genesis keys\n\n{a}  centre, 2026\n   # indented comment\n{b}\n");
    let t = TrustedKeys::parse(&text).unwrap();
    assert_eq!(t.0.len(), 2);
    assert!(t.0.contains(&a) && t.0.contains(&b));

    let bad = format!("# keys\n{a}\n\nnot-a-key centre\n{b}\n");
    let err = TrustedKeys::parse(&bad).unwrap_err();
    assert!(err.starts_with("line 4:"), "{err}");
    let short = format!("{}\n", &a.to_hex()[..62]);
    assert!(TrustedKeys::parse(&short).unwrap_err().starts_with("line 1:"));
}
