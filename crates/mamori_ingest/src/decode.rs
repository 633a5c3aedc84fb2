//! Text decoding at the edge: UTF-8 (with or without BOM) or CP932.
//!
//! Excel on Japanese Windows saves CSV as CP932 (Shift_JIS with Microsoft's extensions), so a
//! file that is not valid UTF-8 is decoded as CP932. `encoding_rs::SHIFT_JIS` is the WHATWG
//! Shift_JIS decoder, which is CP932 (NEC and IBM extension characters included).

use std::borrow::Cow;

/// Which encoding a text was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's 「CSV UTF-8」).
    Utf8Bom,
    /// CP932 (Shift_JIS with Microsoft's extensions): Excel's plain CSV on Japanese Windows.
    Cp932,
}

impl TextEncoding {
    /// The name shown in the inputs summary.
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Cp932 => "CP932",
        }
    }
}

/// Text decoded line by line: each line UTF-8 when it is valid UTF-8, else CP932. A ledger
/// appended to by two programs (Excel's CP932 and a UTF-8 export) is then read right, and a
/// line neither encoding can read is named instead of failing the whole file.
pub struct LineDecoded<'a> {
    /// The decoded text; borrowed when the bytes were UTF-8 already.
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-8 (BOM)`, `CP932`, or `CP932+UTF-8` when lines of both were found.
    pub encoding: &'static str,
    /// 1-based lines with bytes neither UTF-8 nor CP932 can read (replaced by U+FFFD).
    pub undecodable: Vec<u64>,
}

/// Decodes `bytes` line by line (see [`LineDecoded`]).
pub fn decode_lines(bytes: &[u8]) -> LineDecoded<'_> {
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if let Ok(s) = std::str::from_utf8(bytes) {
        let encoding = if bom {
            TextEncoding::Utf8Bom
        } else {
            TextEncoding::Utf8
        };
        return LineDecoded {
            text: Cow::Borrowed(s),
            encoding: encoding.as_str(),
            undecodable: Vec::new(),
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let (mut utf8, mut cp932, mut undecodable) = (false, false, Vec::new());
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let (decoded, had_errors) = decode_line(line);
        match decoded {
            Cow::Borrowed(s) => utf8 |= !s.is_ascii(),
            Cow::Owned(_) => cp932 = true,
        }
        if had_errors {
            undecodable.push(i as u64 + 1);
        }
        text.push_str(&decoded);
    }
    let encoding = match (utf8, bom) {
        (true, _) | (false, true) => "CP932+UTF-8",
        (false, false) => TextEncoding::Cp932.as_str(),
    };
    debug_assert!(cp932);
    LineDecoded {
        text: Cow::Owned(text),
        encoding,
        undecodable,
    }
}

/// One line (or any run of bytes) as text: UTF-8 when it is valid UTF-8, else CP932; `true`
/// when bytes neither could read were replaced by U+FFFD. Log lines are decoded with this one
/// by one, so a log appended to by programs of two eras is read right.
pub fn decode_line(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes),
    }
}

/// The character an XML entity reference stands for: a character reference (`&#233;`) or
/// one of the five predefined entities; `None` for others (a DTD's, which mamori does not
/// read). For the XML readers (Windows event exports, PAN-OS configurations).
pub fn xml_entity(r: &quick_xml::events::BytesRef) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        _ => match r.as_ref() {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_including_nec_extensions() {
        // "機器台帳①" in CP932; ① (0x8740) is an NEC special character, absent from JIS X 0208.
        let bytes = encoding_rs::SHIFT_JIS
            .encode("機器台帳①,髙橋")
            .0
            .into_owned();
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode_lines(&bytes);
        assert_eq!((d.text.as_ref(), d.encoding), ("機器台帳①,髙橋", "CP932"));
        assert_eq!(decode_lines(b"\xEF\xBB\xBFid\n").encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn lines_are_decoded_each_in_their_own_encoding() {
        let mut bytes = encoding_rs::SHIFT_JIS
            .encode("id,名称\nA-1,受付PC\n")
            .0
            .into_owned();
        bytes.extend_from_slice("A-2,電子カルテ\n".as_bytes());
        bytes.extend_from_slice(b"A-3,\x82\xFF\xFF\n");
        bytes.extend(encoding_rs::SHIFT_JIS.encode("A-4,レセコン\n").0.iter());
        let d = decode_lines(&bytes);
        assert_eq!(d.encoding, "CP932+UTF-8");
        assert_eq!(d.undecodable, [4]);
        let lines: Vec<&str> = d.text.lines().collect();
        assert_eq!(lines[1], "A-1,受付PC");
        assert_eq!(lines[2], "A-2,電子カルテ");
        assert!(lines[3].starts_with("A-3,") && lines[3].contains('\u{FFFD}'));
        assert_eq!(lines[4], "A-4,レセコン");
        assert_eq!(decode_lines("id\n".as_bytes()).encoding, "UTF-8");
    }
}
