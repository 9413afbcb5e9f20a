//! `gapura document verify`: passive authentication of a chip's files in a directory,
//! against a trust store of CSCA certificates, master lists and CRLs. It prints the JSON
//! report of `gapura_mrtd::pa` and exits 0 if every check passed, 3 if a check failed or
//! could not be made (as `ledger verify` does), and 1 on IO or usage errors.

use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{bail, Context, Result};
use gapura_mrtd::pa::{self, DataGroups, TrustStore};

/// The names EF.SOD may have in the directory, tried in order.
const SOD_FILE_NAMES: [&str; 2] = ["EF.SOD", "sod.bin"];

/// Reads `path` if it is no larger than `max` bytes.
fn read_limited(path: &Path, max: usize, limit_name: &str) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    if len > max as u64 {
        bail!("{} is {len} bytes, more than {limit_name} ({max})", path.display());
    }
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Verifies `dir` (EF.SOD or sod.bin, and DG1.bin … DG16.bin) against the trust store in
/// `trust` (certificates in DER or PEM, ICAO master lists, CRLs) and the CRLs in `crls`, at
/// `at` (`YYYY-MM-DD`, 00:00 UTC; default: now).
pub fn verify_cmd(dir: &Path, trust: &Path, crls: Option<&Path>, at: Option<&str>) -> Result<ExitCode> {
    let at = match at {
        Some(s) => match pa::parse_date(s) {
            Some(t) => t,
            None => bail!("--at {s:?}: expected a date as YYYY-MM-DD"),
        },
        None => SystemTime::now(),
    };
    let Some(sod_path) = SOD_FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) else {
        bail!("{}: no EF.SOD or sod.bin", dir.display());
    };
    let sod = read_limited(&sod_path, pa::SOD_BYTES_MAX, "SOD_BYTES_MAX")?;
    let mut data_groups = DataGroups::new();
    for n in 1..=16u8 {
        let path = dir.join(format!("DG{n}.bin"));
        if path.is_file() {
            let bytes = read_limited(&path, pa::DATA_GROUP_BYTES_MAX, "DATA_GROUP_BYTES_MAX")?;
            data_groups.insert(n, bytes).with_context(|| format!("reading {}", path.display()))?;
        }
    }
    let mut store = TrustStore::new();
    let loaded = store
        .load_dir(trust, at)
        .with_context(|| format!("loading the trust store from {}", trust.display()))?;
    let mut crl_count = loaded.crls;
    if let Some(crls) = crls {
        crl_count +=
            store.load_crl_dir(crls).with_context(|| format!("loading CRLs from {}", crls.display()))?;
    }
    eprintln!(
        "trust store: {} CSCA certificate(s) ({} from {} master list(s)), {crl_count} CRL(s)",
        store.csca_count(),
        loaded.certificates_from_master_lists,
        loaded.master_lists
    );
    let report = pa::verify(&sod, &data_groups, &store, at);
    println!("{}", report.to_json());
    if report.passed {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("PASSIVE AUTHENTICATION DID NOT PASS: {}", report.not_passed().join(", "));
        Ok(ExitCode::from(3))
    }
}
