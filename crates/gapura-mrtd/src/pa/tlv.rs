//! BER-TLV as the LDS uses it (Doc 9303 Part 10 §4): one- or two-byte tags (`5F1F`,
//! `7F61`) and definite lengths of up to three bytes. The `der` crate cannot read these
//! tags (its tag numbers stop at 30), so data-group templates are read here; everything
//! inside the SOD's CMS is read by `der`.

use super::error::ParseError;

/// One TLV: its tag (one or two bytes, as written), its value, and what follows it.
pub(crate) struct Tlv<'a> {
    pub tag: u16,
    pub value: &'a [u8],
    pub rest: &'a [u8],
}

/// Reads one TLV from the front of `input`. `structure` names the file for errors.
pub(crate) fn read<'a>(structure: &'static str, input: &'a [u8]) -> Result<Tlv<'a>, ParseError> {
    let err = |field: &str, reason: &str| ParseError::new(structure, field, reason);
    let (&first, mut rest) =
        input.split_first().ok_or_else(|| err("tag", "no bytes where a tag was expected"))?;
    let mut tag = u16::from(first);
    if first & 0x1F == 0x1F {
        // A two-byte tag; three-byte tags do not occur in the LDS and are refused.
        let (&second, r) = rest.split_first().ok_or_else(|| err("tag", "truncated two-byte tag"))?;
        if second & 0x80 != 0 {
            return Err(err("tag", "tags longer than two bytes are not used by the LDS"));
        }
        tag = (tag << 8) | u16::from(second);
        rest = r;
    }
    let field = format!("length of tag {tag:02X}");
    let (&l0, r) = rest.split_first().ok_or_else(|| ParseError::new(structure, field.clone(), "missing"))?;
    rest = r;
    let len = match l0 {
        0x00..=0x7F => usize::from(l0),
        0x81..=0x83 => {
            let n = usize::from(l0 - 0x80);
            if rest.len() < n {
                return Err(ParseError::new(structure, field, "truncated"));
            }
            let (lb, r) = rest.split_at(n);
            rest = r;
            lb.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        }
        _ => {
            return Err(ParseError::new(
                structure,
                field,
                format!("length byte {l0:02X} is indefinite or too long"),
            ))
        }
    };
    if rest.len() < len {
        return Err(ParseError::new(
            structure,
            format!("value of tag {tag:02X}"),
            format!("declares {len} bytes, {} remain", rest.len()),
        ));
    }
    let (value, rest) = rest.split_at(len);
    Ok(Tlv { tag, value, rest })
}

/// Reads exactly one TLV with tag `tag` filling `input`.
pub(crate) fn read_only<'a>(
    structure: &'static str,
    input: &'a [u8],
    tag: u16,
) -> Result<&'a [u8], ParseError> {
    let t = read(structure, input)?;
    if t.tag != tag {
        return Err(ParseError::new(structure, "tag", format!("expected {tag:02X}, found {:02X}", t.tag)));
    }
    if !t.rest.is_empty() {
        return Err(ParseError::new(
            structure,
            format!("after tag {tag:02X}"),
            format!("{} trailing bytes", t.rest.len()),
        ));
    }
    Ok(t.value)
}

/// Encodes one TLV (definite length, shortest form).
pub(crate) fn write(tag: u16, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    if tag > 0xFF {
        out.extend_from_slice(&tag.to_be_bytes());
    } else {
        out.push(tag as u8);
    }
    let len = value.len();
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        _ => out.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(value);
    out
}
