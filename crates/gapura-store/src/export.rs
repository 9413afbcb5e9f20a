//! Export (sealed segments, checkpoints, public keys) and import into any engine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gapura_ledger::segment::{
    read_segment, Manifest, SegmentWriter, SeriesInfo, EXPORT_FORMAT, MANIFEST_FILE, SEGMENT_ENTRIES_MAX,
};
use gapura_ledger::{
    Checkpoint, LedgerVerifier, SiteId, SiteKey, TimeZoneName, TrustedKeys, VerifyFailure, VerifyProblem,
    VerifySummary,
};

use sha2::Digest;

use crate::store::READ_PAGE_ENTRIES;
use crate::{Location, Store, StoreError, KEY_FILE};

/// Entries ingested per transaction during an import.
const IMPORT_BATCH_ENTRIES: usize = 20_000;
const CHECKPOINTS_DIR: &str = "checkpoints";
const SEGMENTS_DIR: &str = "segments";
const PUBLIC_KEYS_FILE: &str = "public-keys.txt";
const CONTENT_DIR: &str = "content";

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportReport {
    pub manifest: Manifest,
    pub checkpoints: u64,
}

/// How an import chooses the new store's own series.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The private key of one of the imported series: the store continues that series.
    pub key_path: Option<PathBuf>,
    /// Or: open a new series for this site, with a new key.
    pub new_site: Option<(SiteId, TimeZoneName)>,
    /// Public keys the export's series must open with.
    pub trusted: Option<TrustedKeys>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.display().to_string(), source }
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(io(dir))
}

impl Store {
    /// Writes every entry as sealed segment files, with every checkpoint and the series'
    /// public keys. Never writes a private key. Refuses a directory that is not empty, and
    /// refuses to export a ledger that does not verify.
    pub fn export(
        &mut self,
        dir: &Path,
        now_ms: i64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ExportReport, StoreError> {
        if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
            return Err(StoreError::AlreadyExists(format!(
                "{} (an export needs an empty directory)",
                dir.display()
            )));
        }
        self.checkpoint_now(now_ms)?;
        self.conn.begin_read()?;
        let result = self.export_snapshot(dir, now_ms, progress);
        // Nothing was written to the store: ending the snapshot cannot lose anything.
        let _ = self.conn.rollback();
        result
    }

    fn export_snapshot(
        &mut self,
        dir: &Path,
        now_ms: i64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ExportReport, StoreError> {
        // Checkpoints first, then the count: every checkpoint read covers entries we export.
        let checkpoints = self.checkpoints()?;
        let total = self.entry_count()?;
        let seg_dir = dir.join(SEGMENTS_DIR);
        std::fs::create_dir_all(&seg_dir).map_err(io(&seg_dir))?;
        // An export holds personal data (officers, audit records, later travellers): only its
        // owner may read it (ADR 0008).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
        }
        let mut v = LedgerVerifier::new(None, checkpoints.clone());
        let mut segments = Vec::new();
        let mut writer: Option<SegmentWriter> = None;
        let mut after = 0u64;
        while after < total {
            let page = self.read_entries(after, READ_PAGE_ENTRIES.min((total - after) as i64))?;
            if page.is_empty() {
                break;
            }
            for (store_seq, bytes) in page {
                after = store_seq;
                v.push(store_seq, None, bytes.clone()).map_err(StoreError::Corrupt)?;
                if writer.as_ref().is_some_and(|w| w.entries() >= SEGMENT_ENTRIES_MAX) {
                    segments
                        .push(writer.take().map(|w| w.seal()).transpose()?.unwrap_or_else(|| unreachable!()));
                }
                if writer.is_none() {
                    let path = seg_dir.join(format!("{:08}.seg", segments.len() + 1));
                    writer = Some(SegmentWriter::create(&path, store_seq)?);
                }
                if let Some(w) = writer.as_mut() {
                    w.push(&bytes)?;
                }
            }
            progress(after, total);
        }
        if let Some(w) = writer.take() {
            segments.push(w.seal()?);
        }
        let summary = v.finish(Some(total)).map_err(StoreError::Corrupt)?;
        let cp_dir = dir.join(CHECKPOINTS_DIR);
        std::fs::create_dir_all(&cp_dir).map_err(io(&cp_dir))?;
        let mut by_site: BTreeMap<&SiteId, String> = BTreeMap::new();
        for cp in &checkpoints {
            let line = serde_json::to_string(cp).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let text = by_site.entry(&cp.site).or_default();
            text.push_str(&line);
            text.push('\n');
        }
        for (site, text) in &by_site {
            let path = cp_dir.join(format!("{site}.jsonl"));
            std::fs::write(&path, text).map_err(io(&path))?;
        }
        let rows = self.series_rows()?;
        let mut keys_text = String::from("# Public keys of the series in this export, in order of use.\n# Trust anchors should come from the sites themselves, not from this file.\n");
        let series: Vec<SeriesInfo> = summary
            .series
            .iter()
            .map(|s| {
                let public_keys =
                    rows.iter().find(|r| r.site == s.site).map(|r| r.keys.clone()).unwrap_or_default();
                for k in &public_keys {
                    keys_text.push_str(&format!("{k} {}\n", s.site));
                }
                SeriesInfo { site: s.site.clone(), entries: s.entries, head: s.head, public_keys }
            })
            .collect();
        let keys_path = dir.join(PUBLIC_KEYS_FILE);
        std::fs::write(&keys_path, keys_text).map_err(io(&keys_path))?;
        let content = self.content_list()?;
        if !content.is_empty() {
            let content_dir = dir.join(CONTENT_DIR);
            std::fs::create_dir_all(&content_dir).map_err(io(&content_dir))?;
            for c in &content {
                let path = content_dir.join(c.sha256.to_hex());
                let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io(&path))?);
                // read_content checks the hash as it streams: damaged content is not exported.
                self.read_content(&c.sha256, &mut f)?;
                let f = f.into_inner().map_err(|e| StoreError::Io {
                    path: path.display().to_string(),
                    source: e.into_error(),
                })?;
                f.sync_all().map_err(io(&path))?;
            }
            sync_dir(&content_dir)?;
        }
        let manifest = Manifest {
            content,
            format: EXPORT_FORMAT.into(),
            exported_at_ms: now_ms,
            exported_by: self.home_site().cloned(),
            entries: total,
            segments,
            series,
        };
        let tmp = dir.join("manifest.json.tmp");
        let text = serde_json::to_string_pretty(&manifest).map_err(|e| StoreError::Invalid(e.to_string()))?;
        std::fs::write(&tmp, text).map_err(io(&tmp))?;
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io(&tmp))?;
        std::fs::rename(&tmp, dir.join(MANIFEST_FILE)).map_err(io(dir))?;
        sync_dir(&cp_dir)?;
        sync_dir(&seg_dir)?;
        sync_dir(dir)?;
        Ok(ExportReport { manifest, checkpoints: checkpoints.len() as u64 })
    }

    /// Verifies an export, creates the target store if absent (or opens it), and ingests
    /// every entry and checkpoint, rebuilding the projections as it goes.
    pub fn import(
        from: &Path,
        to: &Location,
        opts: &ImportOptions,
        now_ms: i64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(Store, VerifySummary), StoreError> {
        let summary = verify_export(from, opts.trusted.clone(), Vec::new(), &mut |_, _| {})?
            .map_err(StoreError::Corrupt)?;
        let manifest = Manifest::read(from)?;
        let checkpoints = read_checkpoint_dir(&from.join(CHECKPOINTS_DIR))?;
        let exists = match to {
            Location::Sqlite(dir) => dir.join(crate::DB_FILE).exists(),
            Location::Postgres(_) => false,
        };
        let mut store = if exists {
            Store::open(to, opts.key_path.as_deref())?
        } else {
            match Store::create_empty(to) {
                Ok(s) => s,
                Err(StoreError::AlreadyExists(_)) => Store::open(to, opts.key_path.as_deref())?,
                Err(e) => return Err(e),
            }
        };
        let mut done = 0u64;
        for seg in &manifest.segments {
            let entries = read_segment(&from.join(SEGMENTS_DIR).join(&seg.file), seg)?;
            let mut entries = entries.into_iter().peekable();
            while entries.peek().is_some() {
                let chunk: Vec<Vec<u8>> = entries.by_ref().take(IMPORT_BATCH_ENTRIES).collect();
                done += chunk.len() as u64;
                store.ingest(chunk, &[])?;
                progress(done, manifest.entries);
            }
        }
        store.ingest(Vec::new(), &checkpoints)?;
        for c in &manifest.content {
            let stored = store.put_content_file(&from.join(CONTENT_DIR).join(c.sha256.to_hex()))?;
            if stored != *c {
                return Err(StoreError::Invalid(format!("content {} changed during the import", c.sha256)));
            }
        }
        if store.home_site().is_none() {
            if let Some(path) = &opts.key_path {
                let key = SiteKey::read_file(path)?;
                let installed = match to {
                    Location::Sqlite(dir) => {
                        let dest = dir.join(KEY_FILE);
                        if !dest.exists() {
                            key.write_file(&dest)?;
                        }
                        dest
                    }
                    Location::Postgres(_) => path.clone(),
                };
                store.adopt_series(key, installed)?;
            } else if let Some((site, tz)) = &opts.new_site {
                let key_path = match to {
                    Location::Sqlite(dir) => dir.join(KEY_FILE),
                    Location::Postgres(_) => {
                        return Err(StoreError::CannotAppend(
                            "a new site on PostgreSQL needs --key naming where its new key is written".into(),
                        ))
                    }
                };
                let key = SiteKey::generate()?;
                key.write_file(&key_path)?;
                store.open_series(site.clone(), tz.clone(), key, key_path, now_ms)?;
            }
        }
        Ok((store, summary))
    }
}

/// Reads every `*.jsonl` checkpoint file in a directory (none if it does not exist).
pub fn read_checkpoint_dir(dir: &Path) -> Result<Vec<Checkpoint>, StoreError> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl" || x == "json"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(io(&f))?;
        out.extend(
            Checkpoint::parse_lines(&f.display().to_string(), &text)
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        );
    }
    Ok(out)
}

/// Verifies an export offline, with public keys only: seals, chains, checkpoints (the
/// export's own and `extra` ones held elsewhere), trusted keys, and the manifest's heads.
pub fn verify_export(
    dir: &Path,
    trusted: Option<TrustedKeys>,
    extra: Vec<Checkpoint>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Result<VerifySummary, VerifyFailure>, StoreError> {
    let manifest = Manifest::read(dir)?;
    let mut cps = read_checkpoint_dir(&dir.join(CHECKPOINTS_DIR))?;
    cps.extend(extra);
    let mut v = LedgerVerifier::new(trusted, cps);
    let mut next = 1u64;
    for seg in &manifest.segments {
        let entries = read_segment(&dir.join(SEGMENTS_DIR).join(&seg.file), seg)?;
        if seg.first_store_seq != next {
            return Ok(Err(VerifyFailure {
                site: None,
                site_seq: None,
                store_seq: Some(seg.first_store_seq),
                problem: VerifyProblem::StoreOrderGap { expected: next, found: seg.first_store_seq },
            }));
        }
        for bytes in entries {
            if let Err(f) = v.push(next, None, bytes) {
                return Ok(Err(f));
            }
            next += 1;
        }
        progress(next - 1, manifest.entries);
    }
    for s in &manifest.series {
        if let Err(f) = v.check_recorded_head(&s.site, s.entries, &s.head) {
            return Ok(Err(f));
        }
    }
    for c in &manifest.content {
        let path = dir.join(CONTENT_DIR).join(c.sha256.to_hex());
        let fail = |detail: String| VerifyFailure {
            site: None,
            site_seq: None,
            store_seq: None,
            problem: VerifyProblem::Content { sha256: c.sha256, detail },
        };
        let mut f = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => return Ok(Err(fail(format!("its file {} cannot be read: {e}", path.display())))),
        };
        let mut h = sha2::Sha256::new();
        let size = std::io::copy(&mut f, &mut h).map_err(io(&path))?;
        let got = gapura_ledger::Hash(h.finalize().into());
        if got != c.sha256 || size != c.size {
            return Ok(Err(fail(format!("its file holds {size} bytes hashing to {got}"))));
        }
    }
    Ok(v.finish(Some(manifest.entries)))
}
