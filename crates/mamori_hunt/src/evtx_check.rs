//! Is an EVTX file whole? The parser reads what it can and says nothing about what it cannot:
//! a file one byte short loses its last chunk without an error, and a flipped bit inside a
//! record can turn the event into another one. This pass reads the file's structure on its own
//! — its size against whole chunks, each chunk's magic and both CRC32 checksums, the file
//! header's checksum — so that a damaged file is never taken for a clean one.

use std::io::{Read, Seek, SeekFrom};

use mamori_model::Localized;

const FILE_HEADER: u64 = 4096;
const CHUNK: u64 = 65536;

/// What is wrong with an EVTX file's structure; empty when it is whole.
pub(crate) fn damage<R: Read + Seek>(file: &mut R) -> Vec<Localized> {
    let mut found = Vec::new();
    let Ok(len) = file.seek(SeekFrom::End(0)) else {
        return found;
    };
    if len < FILE_HEADER {
        found.push(Localized::new(
            format!("ファイルヘッダーが途中で切れています（{len} バイト）"),
            format!("the file header is cut short ({len} bytes)"),
        ));
        return found;
    }
    if file.seek(SeekFrom::Start(0)).is_ok()
        && let Ok(header) = evtx::EvtxFileHeader::from_stream(file)
        && !header.validate_checksum()
    {
        found.push(Localized::new(
            "ファイルヘッダーのチェックサムが一致しません",
            "the file header's checksum does not match",
        ));
    }
    let partial = (len - FILE_HEADER) % CHUNK;
    if partial != 0 {
        let chunk = (len - FILE_HEADER) / CHUNK + 1;
        found.push(Localized::new(
            format!(
                "ファイルの末尾が欠けています（{chunk} 番目のチャンクが {partial} バイトしかなく、その記録は読めません）"
            ),
            format!(
                "the file is truncated (chunk {chunk} has only {partial} bytes; its records cannot be read)"
            ),
        ));
    }
    let whole = (len - FILE_HEADER) / CHUNK;
    let mut bad = Vec::new();
    let mut buf = vec![0u8; CHUNK as usize];
    for n in 0..whole {
        if file.seek(SeekFrom::Start(FILE_HEADER + n * CHUNK)).is_err()
            || file.read_exact(&mut buf).is_err()
        {
            bad.push(n + 1);
            continue;
        }
        if buf.iter().all(|&b| b == 0) {
            continue; // never written: not damage
        }
        match evtx::EvtxChunkData::new(std::mem::take(&mut buf), false) {
            Ok(chunk) => {
                if !chunk.validate_checksum() {
                    bad.push(n + 1);
                }
                buf = chunk.data;
            }
            Err(_) => {
                bad.push(n + 1);
                buf = vec![0u8; CHUNK as usize];
            }
        }
    }
    if !bad.is_empty() {
        let list = list(&bad);
        found.push(Localized::new(
            format!(
                "{} 個のチャンクが壊れています（{list} 番目: 見出しまたはチェックサムが一致しません）。中の記録は欠けているか、書き換わっているおそれがあります",
                bad.len()
            ),
            format!(
                "{} chunk(s) are damaged (no. {list}: bad magic or checksum); their records may be missing or altered",
                bad.len()
            ),
        ));
    }
    found
}

/// `1, 2, 5` — at most ten numbers, then `…`.
fn list(numbers: &[u64]) -> String {
    let mut s: Vec<String> = numbers.iter().take(10).map(u64::to_string).collect();
    if numbers.len() > 10 {
        s.push("…".into());
    }
    s.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn short_garbage_and_zero_chunks() {
        assert_eq!(damage(&mut Cursor::new(vec![0u8; 100])).len(), 1);
        // A header of zeros (checksum 0 ≠ CRC of zeros) and one empty chunk: the header is
        // reported, the empty chunk is not.
        let bytes = vec![0u8; (FILE_HEADER + CHUNK) as usize];
        let d = damage(&mut Cursor::new(bytes));
        assert!(d.iter().all(|l| !l.ja.contains("チャンク")), "{d:?}");
    }
}
