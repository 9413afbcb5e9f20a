//! Sealed export segments: written, read back, and refused whole when damaged.

use std::path::{Path, PathBuf};

use gapura_ledger::segment::{read_segment, SegmentError, SegmentInfo, SegmentWriter};
use gapura_ledger::Hash;
use sha2::{Digest, Sha256};

use crate::common::*;

fn write_segment(dir: &Path, entries: &[Vec<u8>], first: u64) -> (PathBuf, SegmentInfo) {
    let path = dir.join("segment-000001.gpl");
    let mut w = SegmentWriter::create(&path, first).unwrap();
    for e in entries {
        w.push(e).unwrap();
    }
    assert_eq!(w.entries(), entries.len() as u64);
    (path.clone(), w.seal().unwrap())
}

fn sample() -> Vec<Vec<u8>> {
    let mut ledger: Vec<Vec<u8>> = series("alpha", &key(1), 3).into_iter().map(|e| e.bytes).collect();
    ledger.extend(series("bravo", &key(2), 2).into_iter().map(|e| e.bytes));
    ledger
}

fn assert_damaged(r: Result<Vec<Vec<u8>>, SegmentError>, what: &str) {
    assert!(matches!(r, Err(SegmentError::Damaged { .. })), "{what}: {r:?}");
}

/// Given entries written to a segment, when read back with its SegmentInfo, then the same
/// bytes come back in order, and the info describes the file.
#[test]
fn segment_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let entries = sample();
    let (path, info) = write_segment(dir.path(), &entries, 11);
    assert_eq!(info.file, "segment-000001.gpl");
    assert_eq!((info.first_store_seq, info.entries), (11, 5));
    let data = std::fs::read(&path).unwrap();
    assert_eq!(&data[..8], b"GPLSEG01");
    assert_eq!(info.sha256, Hash(Sha256::digest(&data[..data.len() - 48]).into()));
    assert_eq!(read_segment(&path, &info).unwrap(), entries);
}

/// An empty segment is sealed and read back as empty.
#[test]
fn empty_segment_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (path, info) = write_segment(dir.path(), &[], 1);
    assert_eq!(info.entries, 0);
    assert!(read_segment(&path, &info).unwrap().is_empty());
}

/// Given a sealed segment, when any byte of the file is flipped, then it is refused as Damaged.
#[test]
fn segment_with_any_flipped_byte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, info) = write_segment(dir.path(), &sample(), 11);
    let good = std::fs::read(&path).unwrap();
    for at in 0..good.len() {
        for xor in [0x01u8, 0xff] {
            let mut bad = good.clone();
            bad[at] ^= xor;
            std::fs::write(&path, &bad).unwrap();
            assert_damaged(read_segment(&path, &info), &format!("byte {at} xor {xor:#x}"));
        }
    }
}

/// Given a sealed segment, when it is cut to any shorter length, then it is refused as Damaged.
#[test]
fn truncated_segment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, info) = write_segment(dir.path(), &sample(), 11);
    let good = std::fs::read(&path).unwrap();
    for len in 0..good.len() {
        std::fs::write(&path, &good[..len]).unwrap();
        assert_damaged(read_segment(&path, &info), &format!("cut to {len} bytes"));
    }
}

/// Given a sealed segment, when bytes are appended (junk, zeros, or a copy of its own seal),
/// then it is refused as Damaged.
#[test]
fn appended_segment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, info) = write_segment(dir.path(), &sample(), 11);
    let good = std::fs::read(&path).unwrap();
    let seal = good[good.len() - 48..].to_vec();
    let entry = sample().remove(0);
    let mut one_more = (entry.len() as u32).to_be_bytes().to_vec();
    one_more.extend_from_slice(&entry);
    for tail in [vec![0u8], vec![0u8; 100], seal, one_more] {
        std::fs::write(&path, [good.as_slice(), &tail].concat()).unwrap();
        assert_damaged(read_segment(&path, &info), &format!("{} bytes appended", tail.len()));
    }
}

/// Given an intact segment, when the manifest's SegmentInfo names a wrong hash, entry count or
/// first store order, then it is refused as Damaged.
#[test]
fn manifest_info_mismatch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, info) = write_segment(dir.path(), &sample(), 11);
    let wrong = [
        SegmentInfo { sha256: Hash([0xab; 32]), ..info.clone() },
        SegmentInfo { entries: 4, ..info.clone() },
        SegmentInfo { entries: 6, ..info.clone() },
        SegmentInfo { first_store_seq: 12, ..info.clone() },
    ];
    for w in wrong {
        assert_damaged(read_segment(&path, &w), &format!("{w:?}"));
    }
    read_segment(&path, &info).unwrap();
}
