//! The Logical Data Structure (Doc 9303 Part 10): data groups as files of the chip, and the
//! ASN.1 the SOD and master lists carry (Doc 9303 Part 10 §4.6.2, Part 12 §9).

use std::collections::BTreeMap;

use der::asn1::{OctetString, PrintableString, SetOfVec};
use der::{Reader, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::error::ParseError;
use super::{tlv, DATA_GROUP_BYTES_MAX};

/// The first byte (tag) of each data group's file, DG1..DG16 (Doc 9303 Part 10 table 34).
const DATA_GROUP_TAGS: [u8; 16] =
    [0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70];

/// The tag that opens data group `number` (1..=16).
pub fn data_group_tag(number: u8) -> Option<u8> {
    DATA_GROUP_TAGS.get(usize::from(number).checked_sub(1)?).copied()
}

/// The data group that a file's first byte announces.
pub fn data_group_number_of_tag(tag: u8) -> Option<u8> {
    DATA_GROUP_TAGS.iter().position(|t| *t == tag).map(|i| i as u8 + 1)
}

/// Data groups as read from a chip: number → the file's bytes exactly as read (the SOD signs
/// these bytes, so they are kept whole and never re-encoded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataGroups(BTreeMap<u8, Vec<u8>>);

impl DataGroups {
    pub fn new() -> Self {
        DataGroups(BTreeMap::new())
    }

    /// Adds data group `number`; refuses numbers outside 1..=16 and files larger than
    /// [`DATA_GROUP_BYTES_MAX`]. The tag is not checked here: the hash check decides.
    pub fn insert(&mut self, number: u8, bytes: Vec<u8>) -> Result<(), ParseError> {
        let structure = "data groups";
        if data_group_tag(number).is_none() {
            return Err(ParseError::new(structure, "number", format!("DG{number} is not DG1..DG16")));
        }
        if bytes.len() > DATA_GROUP_BYTES_MAX {
            return Err(ParseError::new(
                structure,
                format!("DG{number}"),
                format!("{} bytes exceeds DATA_GROUP_BYTES_MAX ({DATA_GROUP_BYTES_MAX})", bytes.len()),
            ));
        }
        self.0.insert(number, bytes);
        Ok(())
    }

    pub fn get(&self, number: u8) -> Option<&[u8]> {
        self.0.get(&number).map(Vec::as_slice)
    }

    pub fn get_mut(&mut self, number: u8) -> Option<&mut Vec<u8>> {
        self.0.get_mut(&number)
    }

    pub fn remove(&mut self, number: u8) -> Option<Vec<u8>> {
        self.0.remove(&number)
    }

    pub fn numbers(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.keys().copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u8, &[u8])> {
        self.0.iter().map(|(n, b)| (*n, b.as_slice()))
    }
}

/// DG1: the MRZ as stored on the chip (tag 61, MRZ in 5F1F, lines concatenated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dg1 {
    /// The MRZ characters, all lines concatenated (88 for TD3, 72 for TD2, 90 for TD1).
    pub mrz: String,
}

impl Dg1 {
    pub fn parse(bytes: &[u8]) -> Result<Dg1, ParseError> {
        let inner = tlv::read_only("DG1", bytes, 0x61)?;
        let mrz = tlv::read_only("DG1", inner, 0x5F1F)?;
        if !matches!(mrz.len(), 88 | 72 | 90) {
            return Err(ParseError::new(
                "DG1",
                "tag 5F1F",
                format!("MRZ of {} characters; expected 88 (TD3), 72 (TD2) or 90 (TD1)", mrz.len()),
            ));
        }
        if let Some(i) =
            mrz.iter().position(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'<'))
        {
            return Err(ParseError::new(
                "DG1",
                format!("tag 5F1F, character {}", i + 1),
                "not A-Z, 0-9 or <",
            ));
        }
        // Checked above: ASCII only.
        Ok(Dg1 { mrz: String::from_utf8_lossy(mrz).into_owned() })
    }

    /// The MRZ cut into its lines (2×44, 2×36 or 3×30).
    pub fn lines(&self) -> Vec<&str> {
        let width = match self.mrz.len() {
            88 => 44,
            72 => 36,
            _ => 30,
        };
        (0..self.mrz.len() / width).map(|i| &self.mrz[i * width..(i + 1) * width]).collect()
    }
}

/// DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING }
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct DataGroupHash {
    pub data_group_number: u8,
    pub data_group_hash_value: OctetString,
}

/// LDSVersionInfo ::= SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString }
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct LdsVersionInfo {
    pub lds_version: PrintableString,
    pub unicode_version: PrintableString,
}

/// LDSSecurityObject (Doc 9303 Part 10 §4.6.2.2).
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct LdsSecurityObject {
    pub version: u8,
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub data_group_hash_values: Vec<DataGroupHash>,
    #[asn1(optional = "true")]
    pub lds_version_info: Option<LdsVersionInfo>,
}

/// CscaMasterList ::= SEQUENCE { version INTEGER (v0), certList SET OF Certificate }
/// (Doc 9303 Part 12 §9). Decoded as a SEQUENCE OF so that an unsorted set from a real
/// issuer still reads (DER's SET OF order is not what we authenticate: the signature is).
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct CscaMasterList {
    pub version: u8,
    pub cert_list: SetOfOrUnsorted,
}

/// The certificate SET OF of a master list, read in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SetOfOrUnsorted(pub Vec<Certificate>);

impl<'a> der::DecodeValue<'a> for SetOfOrUnsorted {
    fn decode_value<R: der::Reader<'a>>(reader: &mut R, header: der::Header) -> der::Result<Self> {
        reader.read_nested(header.length, |r| {
            let mut certs = Vec::new();
            while !r.is_finished() {
                if certs.len() >= super::MASTER_LIST_CERTIFICATES_MAX {
                    return Err(der::Tag::Set.length_error());
                }
                certs.push(r.decode()?);
            }
            Ok(SetOfOrUnsorted(certs))
        })
    }
}

impl der::EncodeValue for SetOfOrUnsorted {
    fn value_len(&self) -> der::Result<der::Length> {
        self.0.iter().try_fold(der::Length::ZERO, |acc, c| acc + der::Encode::encoded_len(c)?)
    }
    fn encode_value(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        self.0.iter().try_for_each(|c| der::Encode::encode(c, writer))
    }
}

impl der::FixedTag for SetOfOrUnsorted {
    const TAG: der::Tag = der::Tag::Set;
}

impl SetOfOrUnsorted {
    /// Sorted as DER requires, for writing.
    pub fn sorted(certs: Vec<Certificate>) -> der::Result<Self> {
        let set = SetOfVec::try_from(certs)?;
        Ok(SetOfOrUnsorted(set.into_vec()))
    }
}
