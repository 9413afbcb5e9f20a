//! The stolen and lost travel documents: a compact set of 64-bit fingerprints of
//! (issuing state, document number), with a status byte each.
//!
//! Layout: the fingerprints are sorted; the top `bucket_bits` bits choose a bucket (an offset
//! table of `2^bucket_bits + 1` u32), and only the remaining bits are stored, in
//! `remainder_bytes` bytes per document, beside one attribute byte. At 100 million documents
//! that is 2^24 buckets (64 MiB of offsets) and 5 + 1 bytes per document: about 6.7 bytes per
//! document, 670 MB in all. Two different documents share a fingerprint with probability
//! 2^-64 per pair: for one lookup against 100 million documents, a false hit has probability
//! about 5 × 10^-12, and the hit names the number and state the officer then checks.
//!
//! Changes after the last build (deltas, single additions) sit in a small overlay that a
//! lookup consults first; `compact` merges it.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of the fingerprint hash: fixed, so saved indexes stay readable.
const FINGERPRINT_SEED: u64 = 0x4741_5055_5241_0001;
/// Changes held in the overlay before `apply_delta` merges them into the sorted arrays.
pub const OVERLAY_ENTRIES_MAX: usize = 1 << 20;
/// The longest document number, in characters after normalisation.
pub const DOCUMENT_NUMBER_CHARS_MAX: usize = 32;

/// What a list says about a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Stolen,
    Lost,
    Revoked,
    Invalidated,
}

/// The kind of a listed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    Passport,
    IdentityCard,
    Visa,
    Blank,
    Other,
}

impl DocumentStatus {
    pub const ALL: [DocumentStatus; 4] =
        [DocumentStatus::Stolen, DocumentStatus::Lost, DocumentStatus::Revoked, DocumentStatus::Invalidated];
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Stolen => "stolen",
            DocumentStatus::Lost => "lost",
            DocumentStatus::Revoked => "revoked",
            DocumentStatus::Invalidated => "invalidated",
        }
    }
    pub fn parse(s: &str) -> Option<DocumentStatus> {
        let s = s.trim().to_ascii_lowercase();
        DocumentStatus::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl DocumentType {
    pub const ALL: [DocumentType; 5] = [
        DocumentType::Passport,
        DocumentType::IdentityCard,
        DocumentType::Visa,
        DocumentType::Blank,
        DocumentType::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Passport => "passport",
            DocumentType::IdentityCard => "identity_card",
            DocumentType::Visa => "visa",
            DocumentType::Blank => "blank",
            DocumentType::Other => "other",
        }
    }
    /// Reads a type name, or an ICAO 9303 document code's first letter (P, I/A/C, V).
    pub fn parse(s: &str) -> Option<DocumentType> {
        let t = s.trim().to_ascii_lowercase();
        if let Some(d) = DocumentType::ALL.into_iter().find(|d| d.as_str() == t) {
            return Some(d);
        }
        match t.as_str() {
            "p" | "pp" | "pa" | "pd" | "ps" | "po" => Some(DocumentType::Passport),
            "i" | "id" | "a" | "c" | "ac" | "ic" => Some(DocumentType::IdentityCard),
            "v" | "vi" => Some(DocumentType::Visa),
            _ => None,
        }
    }
}

/// A document's listing: its status and type, packed in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DocumentListing {
    pub status: DocumentStatus,
    pub document_type: DocumentType,
}

impl DocumentListing {
    fn pack(self) -> u8 {
        let s = DocumentStatus::ALL.iter().position(|x| *x == self.status).unwrap_or(0) as u8;
        let t = DocumentType::ALL.iter().position(|x| *x == self.document_type).unwrap_or(0) as u8;
        (s << 4) | t
    }
    fn unpack(b: u8) -> DocumentListing {
        DocumentListing {
            status: DocumentStatus::ALL[((b >> 4) as usize).min(3)],
            document_type: DocumentType::ALL[((b & 0x0f) as usize).min(4)],
        }
    }
}

/// A document number as compared: upper case, only A–Z and 0–9 (spaces, `<`, `-` and other
/// fillers dropped), as both lists and machine-readable zones write it.
pub fn normalise_number(number: &str) -> String {
    number.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The fingerprint of (issuing state, normalised number).
pub fn fingerprint(issuing_state: &str, number: &str) -> u64 {
    let mut key = Vec::with_capacity(4 + number.len());
    key.extend(issuing_state.trim().bytes().map(|b| b.to_ascii_uppercase()));
    key.push(b':');
    key.extend(normalise_number(number).bytes());
    xxh3_64_with_seed(&key, FINGERPRINT_SEED)
}

/// The set of listed documents.
#[derive(Debug, Clone, Default)]
pub struct DocumentSet {
    bucket_bits: u32,
    offsets: Vec<u32>,
    remainders: Vec<u8>,
    attributes: Vec<u8>,
    overlay: HashMap<u64, Option<u8>>,
}

fn bucket_bits_for(n: usize) -> u32 {
    // About four documents per bucket, between 2^8 and 2^28 buckets.
    let quarter = (n / 4).max(1) as u64;
    (64 - quarter.leading_zeros()).clamp(8, 28)
}

fn remainder_bytes(bucket_bits: u32) -> usize {
    (64 - bucket_bits as usize).div_ceil(8)
}

impl DocumentSet {
    /// Builds the set from (fingerprint, listing) pairs; a later pair for the same fingerprint
    /// wins.
    pub fn build(mut pairs: Vec<(u64, DocumentListing)>) -> DocumentSet {
        // Stable sort keeps input order among equal fingerprints, so the last one wins below.
        pairs.sort_by_key(|p| p.0);
        let mut deduped: Vec<(u64, u8)> = Vec::with_capacity(pairs.len());
        for (fp, l) in pairs {
            match deduped.last_mut() {
                Some(last) if last.0 == fp => last.1 = l.pack(),
                _ => deduped.push((fp, l.pack())),
            }
        }
        Self::from_sorted(&deduped)
    }

    fn from_sorted(sorted: &[(u64, u8)]) -> DocumentSet {
        let bucket_bits = bucket_bits_for(sorted.len());
        let rb = remainder_bytes(bucket_bits);
        let buckets = 1usize << bucket_bits;
        let mut offsets = vec![0u32; buckets + 1];
        let mut remainders = Vec::with_capacity(sorted.len() * rb);
        let mut attributes = Vec::with_capacity(sorted.len());
        for (fp, a) in sorted {
            offsets[(fp >> (64 - bucket_bits)) as usize + 1] += 1;
            remainders.extend_from_slice(&fp.to_le_bytes()[..rb]);
            attributes.push(*a);
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        DocumentSet { bucket_bits, offsets, remainders, attributes, overlay: HashMap::new() }
    }

    /// Documents held, counting the overlay.
    pub fn len(&self) -> usize {
        let removed =
            self.overlay.iter().filter(|(fp, v)| v.is_none() && self.find_sorted(**fp).is_some()).count();
        let added =
            self.overlay.iter().filter(|(fp, v)| v.is_some() && self.find_sorted(**fp).is_none()).count();
        self.attributes.len() + added - removed
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of memory the set's arrays hold.
    pub fn memory_bytes(&self) -> usize {
        self.offsets.len() * 4 + self.remainders.len() + self.attributes.len() + self.overlay.len() * 24
    }

    fn find_sorted(&self, fp: u64) -> Option<u8> {
        if self.offsets.is_empty() {
            return None;
        }
        let rb = remainder_bytes(self.bucket_bits);
        let b = (fp >> (64 - self.bucket_bits)) as usize;
        let (lo, hi) = (self.offsets[b] as usize, self.offsets[b + 1] as usize);
        let want = &fp.to_le_bytes()[..rb];
        (lo..hi).find(|i| &self.remainders[i * rb..(i + 1) * rb] == want).map(|i| self.attributes[i])
    }

    /// The listing of a document, if it is listed.
    pub fn lookup(&self, issuing_state: &str, number: &str) -> Option<DocumentListing> {
        self.lookup_fingerprint(fingerprint(issuing_state, number))
    }

    pub fn lookup_fingerprint(&self, fp: u64) -> Option<DocumentListing> {
        if let Some(v) = self.overlay.get(&fp) {
            return v.map(DocumentListing::unpack);
        }
        self.find_sorted(fp).map(DocumentListing::unpack)
    }

    /// Adds (Some) or removes (None) documents; merges into the sorted arrays when the
    /// overlay grows past `OVERLAY_ENTRIES_MAX`.
    pub fn apply_delta(&mut self, changes: impl IntoIterator<Item = (u64, Option<DocumentListing>)>) {
        for (fp, l) in changes {
            self.overlay.insert(fp, l.map(DocumentListing::pack));
        }
        if self.overlay.len() > OVERLAY_ENTRIES_MAX {
            self.compact();
        }
    }

    /// Merges the overlay into the sorted arrays.
    pub fn compact(&mut self) {
        if self.overlay.is_empty() {
            return;
        }
        let rb = remainder_bytes(self.bucket_bits);
        let mut merged: Vec<(u64, u8)> = Vec::with_capacity(self.attributes.len() + self.overlay.len());
        for b in 0..self.offsets.len().saturating_sub(1) {
            for i in self.offsets[b] as usize..self.offsets[b + 1] as usize {
                let mut bytes = [0u8; 8];
                bytes[..rb].copy_from_slice(&self.remainders[i * rb..(i + 1) * rb]);
                let low = u64::from_le_bytes(bytes) & (u64::MAX >> self.bucket_bits);
                let fp = ((b as u64) << (64 - self.bucket_bits)) | low;
                if !self.overlay.contains_key(&fp) {
                    merged.push((fp, self.attributes[i]));
                }
            }
        }
        merged.extend(self.overlay.drain().filter_map(|(fp, v)| v.map(|a| (fp, a))));
        merged.sort_unstable_by_key(|p| p.0);
        *self = Self::from_sorted(&merged);
    }

    /// Writes the set (compacted) to `out`: bucket bits, counts, then the raw arrays.
    pub fn write_to(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.compact();
        out.write_all(&self.bucket_bits.to_le_bytes())?;
        out.write_all(&(self.attributes.len() as u64).to_le_bytes())?;
        let mut offsets = Vec::with_capacity(self.offsets.len() * 4);
        for o in &self.offsets {
            offsets.extend_from_slice(&o.to_le_bytes());
        }
        out.write_all(&(self.offsets.len() as u64).to_le_bytes())?;
        out.write_all(&offsets)?;
        out.write_all(&self.remainders)?;
        out.write_all(&self.attributes)
    }

    /// Reads a set written by `write_to`, checking that its parts agree.
    pub fn read_from(input: &mut dyn std::io::Read) -> std::io::Result<DocumentSet> {
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut b4 = [0u8; 4];
        let mut b8 = [0u8; 8];
        input.read_exact(&mut b4)?;
        let bucket_bits = u32::from_le_bytes(b4);
        input.read_exact(&mut b8)?;
        let n = u64::from_le_bytes(b8) as usize;
        input.read_exact(&mut b8)?;
        let n_offsets = u64::from_le_bytes(b8) as usize;
        if n == 0 && n_offsets == 0 {
            return Ok(DocumentSet::default());
        }
        if !(8..=28).contains(&bucket_bits)
            || n_offsets != (1usize << bucket_bits) + 1
            || n > u32::MAX as usize
        {
            return Err(bad("document set header is inconsistent"));
        }
        let mut raw = vec![0u8; n_offsets * 4];
        input.read_exact(&mut raw)?;
        let offsets: Vec<u32> =
            raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        if offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last().copied() != Some(n as u32) {
            return Err(bad("document set offsets are not ascending to the document count"));
        }
        let mut remainders = vec![0u8; n * remainder_bytes(bucket_bits)];
        input.read_exact(&mut remainders)?;
        let mut attributes = vec![0u8; n];
        input.read_exact(&mut attributes)?;
        Ok(DocumentSet { bucket_bits, offsets, remainders, attributes, overlay: HashMap::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(s: DocumentStatus) -> DocumentListing {
        DocumentListing { status: s, document_type: DocumentType::Passport }
    }

    #[test]
    fn lookups_find_every_listed_document_and_no_other() {
        let pairs: Vec<_> = (0..50_000u32)
            .map(|i| (fingerprint("XKA", &format!("K{i:08}")), listing(DocumentStatus::Stolen)))
            .collect();
        let mut set = DocumentSet::build(pairs);
        assert_eq!(set.len(), 50_000);
        for i in 0..50_000u32 {
            assert!(set.lookup("XKA", &format!("K{i:08}")).is_some());
            assert!(set.lookup("XKA", &format!("J{i:08}")).is_none());
            assert!(set.lookup("XKB", &format!("K{i:08}")).is_none());
        }
        assert_eq!(set.lookup("xka", "k 0000 0042").map(|l| l.status), Some(DocumentStatus::Stolen));
        set.apply_delta([
            (fingerprint("XKA", "K00000042"), None),
            (fingerprint("XKA", "NEW1"), Some(listing(DocumentStatus::Lost))),
        ]);
        assert!(set.lookup("XKA", "K00000042").is_none());
        assert_eq!(set.lookup("XKA", "NEW1").map(|l| l.status), Some(DocumentStatus::Lost));
        assert_eq!(set.len(), 50_000);
        let mut bytes = Vec::new();
        set.write_to(&mut bytes).unwrap();
        let back = DocumentSet::read_from(&mut bytes.as_slice()).unwrap();
        assert!(back.lookup("XKA", "K00000042").is_none());
        assert!(back.lookup("XKA", "NEW1").is_some());
        assert!(back.lookup("XKA", "K00049999").is_some());
        assert_eq!(back.len(), 50_000);
        assert!(DocumentSet::read_from(&mut &bytes[..bytes.len() - 1]).is_err());
    }
}
