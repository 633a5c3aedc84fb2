//! Text decoding at the edge: UTF-8 (with or without BOM) or CP932.
//!
//! Excel on Japanese Windows saves CSV as CP932 (Shift_JIS with Microsoft's extensions), so a
//! file that is not valid UTF-8 is decoded as CP932. `encoding_rs::SHIFT_JIS` is the WHATWG
//! Shift_JIS decoder, which is CP932 (NEC and IBM extension characters included).

use std::borrow::Cow;

/// Which encoding a text was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Cp932,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Cp932 => "CP932",
        }
    }
}

/// Text that could not be decoded: neither UTF-8 nor CP932.
#[derive(Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based line of the first byte that is invalid in both encodings.
    pub line: u64,
}

/// Decodes `bytes`, detecting the encoding.
pub fn decode_text(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8Bom)),
            Err(e) => Err(DecodeError {
                line: line_of(rest, e.valid_up_to()),
            }),
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(s), TextEncoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        let offset = text.find('\u{FFFD}').map_or(0, |char_offset| {
            // Re-encode the valid prefix to find the byte offset of the first bad character.
            encoding_rs::SHIFT_JIS.encode(&text[..char_offset]).0.len()
        });
        return Err(DecodeError {
            line: line_of(bytes, offset),
        });
    }
    Ok((text, TextEncoding::Cp932))
}

fn line_of(bytes: &[u8], offset: usize) -> u64 {
    let offset = offset.min(bytes.len());
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let (s, e) = decode_text("名称,IP\n".as_bytes()).unwrap();
        assert_eq!((s.as_ref(), e), ("名称,IP\n", TextEncoding::Utf8));
        let (s, e) = decode_text(b"\xEF\xBB\xBFid\n").unwrap();
        assert_eq!((s.as_ref(), e), ("id\n", TextEncoding::Utf8Bom));
    }

    #[test]
    fn cp932_including_nec_extensions() {
        // "機器台帳①" in CP932; ① (0x8740) is an NEC special character, absent from JIS X 0208.
        let bytes = encoding_rs::SHIFT_JIS
            .encode("機器台帳①,髙橋")
            .0
            .into_owned();
        assert!(std::str::from_utf8(&bytes).is_err());
        let (s, e) = decode_text(&bytes).unwrap();
        assert_eq!((s.as_ref(), e), ("機器台帳①,髙橋", TextEncoding::Cp932));
    }

    #[test]
    fn garbage_names_the_line() {
        let bytes = b"id,name\nA-1,ok\nA-2,\x82\xFF\xFF\n";
        assert_eq!(decode_text(bytes).unwrap_err(), DecodeError { line: 3 });
    }
}
