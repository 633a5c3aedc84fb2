//! An incident's records: the action log whose every line's hash covers the previous line's
//! (editing or deleting a line breaks the chain where it happened), and the evidence files by
//! SHA-256. The store keeps them; reports show them.

use sha2::{Digest, Sha256};

/// An incident.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Incident {
    /// Its id.
    pub id: i64,
    /// What happened, as first written.
    pub summary: String,
    /// When it was opened (RFC 3339).
    pub started_at: String,
    /// When it was closed; `None` while open.
    pub closed_at: Option<String>,
}

/// One line of an incident's action log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LogLine {
    /// 1, 2, 3…
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub who: String,
    /// `start`, `log`, `evidence`, `close`.
    pub kind: String,
    /// What.
    pub text: String,
    /// The previous line's hash (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of the previous hash and this line's fields.
    pub hash: String,
}

/// One evidence file as recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceFile {
    /// The path as given.
    pub path: String,
    /// Its SHA-256, lower-case hex (as `sha256sum` prints it).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, when readable.
    pub modified: Option<String>,
}

/// The hash of a log line: SHA-256 over the previous hash and the fields, each followed by a
/// NUL so that no two different lines hash alike.
pub fn chain_hash(prev: &str, seq: i64, at: &str, who: &str, kind: &str, text: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, who, kind, text] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl LogLine {
    /// The line that follows `last` (its seq and hash; `None` for the first line), chained to
    /// it: what the incident log and the audit log both append.
    pub fn next(
        last: Option<(i64, String)>,
        at: &str,
        who: &str,
        kind: &str,
        text: &str,
    ) -> LogLine {
        let (seq, prev_hash) = last.map_or((1, "0".repeat(64)), |(s, h)| (s + 1, h));
        let hash = chain_hash(&prev_hash, seq, at, who, kind, text);
        LogLine {
            seq,
            at: at.to_owned(),
            who: who.to_owned(),
            kind: kind.to_owned(),
            text: text.to_owned(),
            prev_hash,
            hash,
        }
    }
}

/// Checks the chain: `Err(seq)` names the first line whose hash or link does not add up.
pub fn verify_chain(lines: &[LogLine]) -> Result<(), i64> {
    let mut prev = "0".repeat(64);
    for (i, l) in lines.iter().enumerate() {
        let expected = chain_hash(&prev, l.seq, &l.at, &l.who, &l.kind, &l.text);
        if l.seq != i as i64 + 1 || l.prev_hash != prev || l.hash != expected {
            return Err(i as i64 + 1);
        }
        prev = l.hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_line_breaks_the_chain_where_it_was_edited() {
        let mut lines = Vec::new();
        let mut prev = "0".repeat(64);
        for (seq, text) in [(1, "開始"), (2, "NAS を切り離した"), (3, "警察に連絡")] {
            let hash = chain_hash(&prev, seq, "2026-12-30T01:00:00Z", "事務長", "log", text);
            lines.push(LogLine {
                seq,
                at: "2026-12-30T01:00:00Z".into(),
                who: "事務長".into(),
                kind: "log".into(),
                text: text.into(),
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        assert_eq!(verify_chain(&lines), Ok(()));
        let mut edited = lines.clone();
        edited[1].text = "NAS は無事だった".into();
        assert_eq!(verify_chain(&edited), Err(2));
        let mut removed = lines.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed), Err(2));
    }
}
