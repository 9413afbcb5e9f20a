//! The trust store: CSCA certificates (from files and from ICAO master lists) and CRLs.
//!
//! A master list is accepted only if its signature verifies with its signer's certificate
//! and that certificate chains to a CSCA *already* in the store, valid at the time given:
//! load the issuing state's CSCA (from a file) before its master list. A master list never
//! vouches for itself, even when it contains its own signer's CSCA.

use std::path::Path;
use std::time::SystemTime;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::OctetString;
use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_cert::Certificate;

use super::algorithms::{oids, SigFailure};
use super::certs::{self, rfc3339};
use super::error::TrustError;
use super::lds::CscaMasterList;
use super::report::{Check, Reason};
use super::verify::check_signer;
use super::{
    CERTIFICATE_BYTES_MAX, CRL_BYTES_MAX, CRL_ENTRIES_MAX, MASTER_LIST_BYTES_MAX, TRUST_DIR_FILES_MAX,
    TRUST_STORE_CRLS_MAX, TRUST_STORE_CSCAS_MAX,
};

/// Trusted CSCA certificates and the CRLs of their issuers.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    cscas: Vec<Certificate>,
    crls: Vec<CertificateList>,
}

/// What loading a directory added.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LoadSummary {
    pub certificates: usize,
    pub master_lists: usize,
    pub certificates_from_master_lists: usize,
    pub crls: usize,
}

enum FileKind {
    Certificates(Vec<Certificate>),
    Crls(Vec<CertificateList>),
    MasterList(Vec<u8>),
}

fn malformed(what: &str, reason: impl ToString) -> TrustError {
    TrustError::Malformed { what: what.to_string(), reason: reason.to_string() }
}

/// The DER documents in `bytes`: one DER document, or every PEM block.
fn der_documents(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    if bytes.first() == Some(&0x30) {
        return vec![(String::new(), bytes.to_vec())];
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return Vec::new() };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = &rest[start..];
        let Some(end_marker) = block.find("-----END ") else { break };
        let Some(end_line) = block[end_marker..].find('\n').map(|i| end_marker + i + 1).or(Some(block.len()))
        else {
            break;
        };
        if let Ok((label, der)) = der::pem::decode_vec(&block.as_bytes()[..end_line]) {
            out.push((label.to_string(), der));
        }
        rest = &block[end_line..];
    }
    out
}

fn classify(what: &str, bytes: &[u8]) -> Result<FileKind, TrustError> {
    let docs = der_documents(bytes);
    if docs.is_empty() {
        return Err(malformed(what, "neither DER nor PEM"));
    }
    let mut certs = Vec::new();
    let mut crls = Vec::new();
    for (label, der) in docs {
        if let Ok(c) = Certificate::from_der(&der) {
            if der.len() > CERTIFICATE_BYTES_MAX {
                return Err(TrustError::TooLarge {
                    what: what.into(),
                    limit_name: "CERTIFICATE_BYTES_MAX",
                    limit: CERTIFICATE_BYTES_MAX,
                });
            }
            certs.push(c);
        } else if let Ok(c) = CertificateList::from_der(&der) {
            crls.push(c);
        } else if ContentInfo::from_der(&der).is_ok() && label != "CERTIFICATE" {
            if !certs.is_empty() || !crls.is_empty() {
                return Err(malformed(what, "a master list mixed with certificates in one file"));
            }
            return Ok(FileKind::MasterList(der));
        } else {
            return Err(malformed(
                what,
                format!(
                    "not a certificate, CRL or master list{}",
                    if label.is_empty() { String::new() } else { format!(" (PEM {label})") }
                ),
            ));
        }
    }
    match (certs.is_empty(), crls.is_empty()) {
        (false, true) => Ok(FileKind::Certificates(certs)),
        (true, false) => Ok(FileKind::Crls(crls)),
        _ => Err(malformed(what, "certificates and CRLs mixed in one file")),
    }
}

impl TrustStore {
    pub fn new() -> Self {
        TrustStore::default()
    }

    pub fn cscas(&self) -> &[Certificate] {
        &self.cscas
    }

    pub fn csca_count(&self) -> usize {
        self.cscas.len()
    }

    pub fn crl_count(&self) -> usize {
        self.crls.len()
    }

    fn push_csca(&mut self, cert: Certificate) -> Result<bool, TrustError> {
        if self.cscas.contains(&cert) {
            return Ok(false);
        }
        if self.cscas.len() >= TRUST_STORE_CSCAS_MAX {
            return Err(TrustError::TooLarge {
                what: "trust store".into(),
                limit_name: "TRUST_STORE_CSCAS_MAX",
                limit: TRUST_STORE_CSCAS_MAX,
            });
        }
        self.cscas.push(cert);
        Ok(true)
    }

    fn push_crl(&mut self, crl: CertificateList) -> Result<(), TrustError> {
        let entries = crl.tbs_cert_list.revoked_certificates.as_ref().map_or(0, Vec::len);
        if entries > CRL_ENTRIES_MAX {
            return Err(TrustError::TooLarge {
                what: format!("CRL of {}", crl.tbs_cert_list.issuer),
                limit_name: "CRL_ENTRIES_MAX",
                limit: CRL_ENTRIES_MAX,
            });
        }
        if self.crls.len() >= TRUST_STORE_CRLS_MAX {
            return Err(TrustError::TooLarge {
                what: "trust store".into(),
                limit_name: "TRUST_STORE_CRLS_MAX",
                limit: TRUST_STORE_CRLS_MAX,
            });
        }
        if !self.crls.contains(&crl) {
            self.crls.push(crl);
        }
        Ok(())
    }

    /// Trusts the CSCA certificate(s) in `bytes` (one DER certificate, or PEM blocks).
    /// Returns how many were new.
    pub fn add_csca(&mut self, bytes: &[u8]) -> Result<usize, TrustError> {
        match classify("CSCA certificate", bytes)? {
            FileKind::Certificates(cs) => {
                cs.into_iter().try_fold(0, |n, c| Ok(n + usize::from(self.push_csca(c)?)))
            }
            _ => Err(malformed("CSCA certificate", "not a certificate")),
        }
    }

    /// Adds the CRL(s) in `bytes` (DER or PEM). Their signatures are checked when used,
    /// against the CSCA that chains the Document Signer.
    pub fn add_crl(&mut self, bytes: &[u8]) -> Result<usize, TrustError> {
        if bytes.len() > CRL_BYTES_MAX {
            return Err(TrustError::TooLarge {
                what: "CRL".into(),
                limit_name: "CRL_BYTES_MAX",
                limit: CRL_BYTES_MAX,
            });
        }
        match classify("CRL", bytes)? {
            FileKind::Crls(cs) => cs.into_iter().try_fold(0, |n, c| self.push_crl(c).map(|_| n + 1)),
            _ => Err(malformed("CRL", "not a CRL")),
        }
    }

    /// Verifies an ICAO master list (CMS SignedData over a CscaMasterList) and trusts the
    /// CSCA certificates it carries. The signer must chain to a CSCA already trusted, and
    /// both certificates must be valid at `at`. Returns how many certificates were new.
    pub fn add_master_list(&mut self, bytes: &[u8], at: SystemTime) -> Result<usize, TrustError> {
        let reject = |reason: String| TrustError::MasterListRejected { what: "signature".into(), reason };
        if bytes.len() > MASTER_LIST_BYTES_MAX {
            return Err(TrustError::TooLarge {
                what: "master list".into(),
                limit_name: "MASTER_LIST_BYTES_MAX",
                limit: MASTER_LIST_BYTES_MAX,
            });
        }
        let der = match der_documents(bytes).into_iter().next() {
            Some((_, d)) => d,
            None => return Err(malformed("master list", "neither DER nor PEM")),
        };
        let ci = ContentInfo::from_der(&der).map_err(|e| malformed("master list ContentInfo", e))?;
        if ci.content_type != oids::SIGNED_DATA {
            return Err(malformed("master list ContentInfo", "contentType is not id-signedData"));
        }
        let sd: SignedData = ci.content.decode_as().map_err(|e| malformed("master list SignedData", e))?;
        super::sod::check_shape(&sd).map_err(|e| malformed("master list", e))?;
        let econtent = sd
            .encap_content_info
            .econtent
            .as_ref()
            .ok_or_else(|| malformed("master list", "eContent absent"))?
            .decode_as::<OctetString>()
            .map_err(|e| malformed("master list eContent", e))?
            .into_bytes();
        let carried: Vec<&Certificate> = match &sd.certificates {
            Some(set) => set
                .0
                .iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c),
                    _ => None,
                })
                .collect(),
            None => Vec::new(),
        };
        let checks = check_signer(&sd, &carried, &econtent, oids::CSCA_MASTER_LIST, "CscaMasterList");
        for (name, c) in [("signed attributes", &checks.signed_attributes), ("signature", &checks.signature)]
        {
            if !c.is_passed() {
                return Err(reject(format!("{name}: {} ({:?})", c.detail, c.reason)));
            }
        }
        let signer = checks.signer.ok_or_else(|| reject("no signer certificate".into()))?;
        let chain = |c: Check| TrustError::MasterListRejected {
            what: "signer chain".into(),
            reason: format!("{} ({:?})", c.detail, c.reason),
        };
        let v = certs::validity_check(signer, at, "the master list signer's certificate");
        if !v.is_passed() {
            return Err(chain(v));
        }
        let (csca, _) = certs::find_issuer(signer, &self.cscas).map_err(chain)?;
        let v = certs::validity_check(csca, at, "the CSCA of the master list signer");
        if !v.is_passed() {
            return Err(chain(v));
        }
        let list = CscaMasterList::from_der(&econtent).map_err(|e| malformed("CscaMasterList", e))?;
        if list.version != 0 {
            return Err(malformed("CscaMasterList", format!("version {} is not v0", list.version)));
        }
        let mut added = 0;
        for c in list.cert_list.0 {
            if c.to_der().map_or(true, |d| d.len() > CERTIFICATE_BYTES_MAX) {
                return Err(TrustError::TooLarge {
                    what: "master list certificate".into(),
                    limit_name: "CERTIFICATE_BYTES_MAX",
                    limit: CERTIFICATE_BYTES_MAX,
                });
            }
            added += usize::from(self.push_csca(c)?);
        }
        Ok(added)
    }

    /// Loads every file of `dir` (not recursive): certificates (DER or PEM) first, then
    /// master lists (so that a CSCA file in the same directory can anchor them), and CRLs.
    /// Any file that does not load is an error naming it: a trust store is not half-loaded.
    pub fn load_dir(&mut self, dir: &Path, at: SystemTime) -> Result<LoadSummary, TrustError> {
        let io = |path: &Path, source| TrustError::Io { path: path.display().to_string(), source };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .map(|e| e.map(|e| e.path()).map_err(|e| io(dir, e)))
            .collect::<Result<_, _>>()?;
        paths.retain(|p| p.is_file());
        if paths.len() > TRUST_DIR_FILES_MAX {
            return Err(TrustError::TooLarge {
                what: dir.display().to_string(),
                limit_name: "TRUST_DIR_FILES_MAX",
                limit: TRUST_DIR_FILES_MAX,
            });
        }
        paths.sort();
        let mut summary = LoadSummary::default();
        let mut master_lists = Vec::new();
        for p in &paths {
            let len = std::fs::metadata(p).map_err(|e| io(p, e))?.len();
            if len > MASTER_LIST_BYTES_MAX as u64 {
                return Err(TrustError::TooLarge {
                    what: p.display().to_string(),
                    limit_name: "MASTER_LIST_BYTES_MAX",
                    limit: MASTER_LIST_BYTES_MAX,
                });
            }
            let bytes = std::fs::read(p).map_err(|e| io(p, e))?;
            let name = p.display().to_string();
            match classify(&name, &bytes)? {
                FileKind::Certificates(cs) => {
                    for c in cs {
                        summary.certificates += usize::from(self.push_csca(c)?);
                    }
                }
                FileKind::Crls(cs) => {
                    for c in cs {
                        self.push_crl(c)?;
                        summary.crls += 1;
                    }
                }
                FileKind::MasterList(der) => master_lists.push((name, der)),
            }
        }
        for (name, der) in master_lists {
            let n = self.add_master_list(&der, at).map_err(|e| match e {
                TrustError::MasterListRejected { what, reason } => {
                    TrustError::MasterListRejected { what: format!("{name}: {what}"), reason }
                }
                other => other,
            })?;
            summary.master_lists += 1;
            summary.certificates_from_master_lists += n;
        }
        Ok(summary)
    }

    /// Loads every CRL file of `dir` (DER or PEM).
    pub fn load_crl_dir(&mut self, dir: &Path) -> Result<usize, TrustError> {
        let io = |path: &Path, source| TrustError::Io { path: path.display().to_string(), source };
        let mut n = 0;
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        if entries.len() > TRUST_DIR_FILES_MAX {
            return Err(TrustError::TooLarge {
                what: dir.display().to_string(),
                limit_name: "TRUST_DIR_FILES_MAX",
                limit: TRUST_DIR_FILES_MAX,
            });
        }
        entries.sort();
        for p in entries {
            if std::fs::metadata(&p).map_err(|e| io(&p, e))?.len() > CRL_BYTES_MAX as u64 {
                return Err(TrustError::TooLarge {
                    what: p.display().to_string(),
                    limit_name: "CRL_BYTES_MAX",
                    limit: CRL_BYTES_MAX,
                });
            }
            let bytes = std::fs::read(&p).map_err(|e| io(&p, e))?;
            n += self.add_crl(&bytes).map_err(|e| match e {
                TrustError::Malformed { reason, .. } => malformed(&p.display().to_string(), reason),
                other => other,
            })?;
        }
        Ok(n)
    }

    /// The revocation check of a Document Signer chained to `csca`: every CRL issued under
    /// the CSCA's name must verify with the key of a trusted CSCA of that name (the one that
    /// chained the DS, or another after a key rollover), and none may list the DS's serial. A CRL
    /// past its nextUpdate is still used (a stale list still proves what it revokes) and the
    /// detail says it is stale.
    pub(crate) fn revocation_check(&self, ds: &Certificate, csca: &Certificate, at: SystemTime) -> Check {
        let issuer = &csca.tbs_certificate.subject;
        let crls: Vec<&CertificateList> =
            self.crls.iter().filter(|c| c.tbs_cert_list.issuer == *issuer).collect();
        if crls.is_empty() {
            return Check::not_checked(
                Reason::NoCrl { issuer: issuer.to_string() },
                format!("no CRL of {issuer} was given"),
            );
        }
        let now = certs::unix(at);
        let mut notes = Vec::new();
        for crl in crls {
            let tbs = &crl.tbs_cert_list;
            // After a CSCA key rollover, the old and the new CSCA certificate share a name and
            // either key may have signed a genuine CRL: the one that chained the Document
            // Signer is tried first, then every other trusted CSCA of the same name.
            let mut verdict = certs::verify_crl_signature(crl, csca).map(|_| ());
            if verdict.is_err() {
                for other in self.cscas.iter().filter(|c| c.tbs_certificate.subject == *issuer && *c != csca)
                {
                    if certs::verify_crl_signature(crl, other).is_ok() {
                        verdict = Ok(());
                        break;
                    }
                }
            }
            match verdict {
                Ok(()) => {}
                Err(SigFailure::Invalid(detail)) => {
                    return Check::failed(
                        Reason::CrlSignatureInvalid { issuer: issuer.to_string(), detail },
                        format!(
                            "a CRL named {issuer} (thisUpdate {}) does not verify with the CSCA's key",
                            certs::time_string(&tbs.this_update)
                        ),
                    )
                }
                Err(SigFailure::Unsupported(r)) => {
                    return Check::not_checked(
                        r,
                        "the CRL's signature algorithm cannot be verified by this build",
                    )
                }
            }
            if let Some(entry) = tbs
                .revoked_certificates
                .iter()
                .flatten()
                .find(|r| r.serial_number == ds.tbs_certificate.serial_number)
            {
                return Check::failed(
                    Reason::Revoked {
                        serial: hex::encode_upper(entry.serial_number.as_bytes()),
                        revocation_date: certs::time_string(&entry.revocation_date),
                        crl_issuer: issuer.to_string(),
                    },
                    format!(
                        "the Document Signer certificate was revoked on {}",
                        certs::time_string(&entry.revocation_date)
                    ),
                );
            }
            let stale = tbs.next_update.map(|n| n.to_unix_duration() < now).unwrap_or(false);
            notes.push(format!(
                "CRL of {}{}",
                rfc3339(tbs.this_update.to_unix_duration()),
                if stale { " (past its nextUpdate)" } else { "" }
            ));
        }
        Check::passed(format!("not revoked: {}", notes.join("; ")))
    }
}
