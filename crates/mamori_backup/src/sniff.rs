//! Content that does not match its name: the bytes of a file compared with what its extension
//! promises (magic numbers, text), and the Shannon entropy of sampled blocks. Encrypted data
//! is indistinguishable from random (~8 bits per byte); text is far below (Japanese UTF-8 ~5–6).
//! Formats that are compressed or encrypted by design are judged by their header alone, and
//! files of unknown type (backup software containers, restic packs) are not judged at all.

pub use mamori_model::backup::Suspicion;

/// The sampled blocks of a file: its start, and where it is large, its middle and end.
pub struct Sample<'a> {
    /// The first bytes (up to the sample size).
    pub first: &'a [u8],
    /// Other sampled blocks (middle, end).
    pub others: &'a [&'a [u8]],
}

/// Bits per byte above which a block of at least [`ENTROPY_MIN_BLOCK`] bytes is taken for
/// encrypted: random 4 KiB blocks measure ~7.95, compressed text ~7.6–7.9, text below 6.5.
const ENTROPY_RANDOM: f32 = 7.5;
/// Shorter blocks cannot show high entropy reliably.
const ENTROPY_MIN_BLOCK: usize = 1024;

/// What an extension promises.
enum Promise {
    /// These bytes at this offset (any one of the alternatives).
    Magic(&'static str, usize, &'static [&'static [u8]]),
    /// Text: compressible, few NUL bytes.
    Text,
    /// Compressed or encrypted by design, or unknown: not judged by content.
    Nothing,
}

fn promise(extension: &str) -> Promise {
    const ZIP: &[&[u8]] = &[b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];
    const OLE: &[&[u8]] = &[b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];
    match extension {
        "pdf" => Promise::Magic("PDF", 0, &[b"%PDF"]),
        "zip" | "docx" | "xlsx" | "pptx" | "odt" | "ods" | "jar" => {
            Promise::Magic("ZIP (docx/xlsx)", 0, ZIP)
        }
        "doc" | "xls" | "ppt" | "msg" => Promise::Magic("Office (OLE)", 0, OLE),
        "gz" | "tgz" => Promise::Magic("gzip", 0, &[b"\x1F\x8B"]),
        "zst" => Promise::Magic("zstd", 0, &[b"\x28\xB5\x2F\xFD"]),
        "bz2" => Promise::Magic("bzip2", 0, &[b"BZh"]),
        "xz" => Promise::Magic("xz", 0, &[b"\xFD7zXZ\x00"]),
        "7z" => Promise::Magic("7z", 0, &[b"7z\xBC\xAF\x27\x1C"]),
        "png" => Promise::Magic("PNG", 0, &[b"\x89PNG"]),
        "jpg" | "jpeg" => Promise::Magic("JPEG", 0, &[b"\xFF\xD8\xFF"]),
        "gif" => Promise::Magic("GIF", 0, &[b"GIF8"]),
        "bmp" => Promise::Magic("BMP", 0, &[b"BM"]),
        "tif" | "tiff" => Promise::Magic("TIFF", 0, &[b"II*\x00", b"MM\x00*"]),
        "evtx" => Promise::Magic("EVTX", 0, &[b"ElfFile\x00"]),
        "sqlite" | "sqlite3" | "db" => Promise::Magic("SQLite", 0, &[b"SQLite format 3\x00"]),
        "dcm" => Promise::Magic("DICOM", 128, &[b"DICM"]),
        "rtf" => Promise::Magic("RTF", 0, &[b"{\\rtf"]),
        "txt" | "csv" | "tsv" | "log" | "xml" | "json" | "eml" | "ini" | "conf" | "cfg" | "yml"
        | "yaml" | "html" | "htm" | "md" | "sql" | "xsd" | "hl7" | "bat" | "ps1" | "psd1"
        | "sh" | "toml" | "asa" => Promise::Text,
        _ => Promise::Nothing,
    }
}

/// The extension of a file name, lower case, without the dot.
pub fn extension_of(name: &str) -> String {
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, ext)| ext.to_lowercase())
        .unwrap_or_default()
}

/// Judges one file by its name and sampled bytes; `None` when nothing is wrong.
pub fn judge(name: &str, sample: &Sample) -> Option<Suspicion> {
    if let Some(extension) = crate::names::ransomware_extension(name) {
        return Some(Suspicion::Extension {
            extension: extension.to_owned(),
        });
    }
    if sample.first.is_empty() {
        return None;
    }
    match promise(&extension_of(name)) {
        Promise::Magic(expected, offset, alternatives) => {
            let at = sample.first.get(offset..).unwrap_or_default();
            let matches = alternatives.iter().any(|m| at.starts_with(m));
            // A file shorter than its magic cannot be judged by it.
            let judged = sample.first.len() >= offset + alternatives[0].len();
            (judged && !matches).then_some(Suspicion::Magic { expected })
        }
        Promise::Text => text_suspicion(sample),
        Promise::Nothing => None,
    }
}

/// Text that reads as random, or holds the control bytes text never has (random bytes are
/// 11 % of them; UTF-8, CP932 and ASCII text none). UTF-16 text, marked, is let be.
fn text_suspicion(sample: &Sample) -> Option<Suspicion> {
    let utf16 = sample.first.starts_with(b"\xFF\xFE") || sample.first.starts_with(b"\xFE\xFF");
    let control = sample
        .first
        .iter()
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b) && b != 0x1B || b == 0x7F)
        .count();
    if !utf16 && sample.first.len() >= 32 && control * 20 > sample.first.len() {
        return Some(Suspicion::Magic { expected: "text" });
    }
    let bits = std::iter::once(sample.first)
        .chain(sample.others.iter().copied())
        .filter(|b| b.len() >= ENTROPY_MIN_BLOCK)
        .map(entropy)
        .fold(0.0f32, f32::max);
    (bits > ENTROPY_RANDOM).then_some(Suspicion::Entropy { bits })
}

/// Shannon entropy in bits per byte.
pub fn entropy(block: &[u8]) -> f32 {
    if block.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in block {
        counts[usize::from(b)] += 1;
    }
    let n = block.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge_bytes(name: &str, bytes: &[u8]) -> Option<Suspicion> {
        judge(
            name,
            &Sample {
                first: bytes,
                others: &[],
            },
        )
    }

    /// Bytes that look random: a xorshift stream (what encryption output looks like).
    fn random(n: usize) -> Vec<u8> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn encrypted_text_and_headers_are_told_from_real_ones() {
        let text = "日付,患者ID,点数\n2026-11-20,P0001,1200\n".repeat(100);
        assert_eq!(judge_bytes("請求.csv", text.as_bytes()), None);
        assert_eq!(
            judge_bytes("請求.csv", &random(8192)),
            Some(Suspicion::Magic { expected: "text" })
        );
        // Encrypted only in the middle (intermittent encryption): the sampled block reads as
        // random.
        let middle = random(8192);
        let others: [&[u8]; 1] = [&middle];
        let sample = Sample {
            first: text.as_bytes(),
            others: &others,
        };
        assert!(matches!(
            judge("請求.csv", &sample),
            Some(Suspicion::Entropy { bits }) if bits > 7.9
        ));
        assert_eq!(
            judge_bytes("紹介状.pdf", &random(100)),
            Some(Suspicion::Magic { expected: "PDF" })
        );
        assert_eq!(judge_bytes("紹介状.pdf", b"%PDF-1.7\n..."), None);
        // Compressed by design: random-looking content is expected.
        assert_eq!(judge_bytes("backup.vbk", &random(8192)), None);
        assert_eq!(judge_bytes("data.zst", b"\x28\xB5\x2F\xFD rest"), None);
        assert!(matches!(
            judge_bytes("カルテ.csv.lockbit", b"x"),
            Some(Suspicion::Extension { .. })
        ));
        assert!((entropy(&random(65536)) - 8.0).abs() < 0.01);
    }
}
