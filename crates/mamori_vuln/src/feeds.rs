//! Reading feed files of any supported kind: the format is told by content, not by name, and
//! `.gz` is undone on the way in. Each record is handed to a sink as it is read, so an NVD
//! "all CVEs" file streams through without being held.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::nvd::RecordProblem;
use crate::record::{CveRecord, Epss, JvnRecord, KevEntry};
use crate::{epss, jvn, kev, nvd};

/// The vulnerability feeds mamori reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedKind {
    /// CISA's Known Exploited Vulnerabilities catalog.
    Kev,
    /// NIST's National Vulnerability Database (CVE API 2.0 JSON).
    Nvd,
    /// JVN iPedia (Japanese vulnerability database).
    Jvn,
    /// FIRST's EPSS scores.
    Epss,
}

impl FeedKind {
    /// Every feed, in the order they are listed.
    pub const ALL: [FeedKind; 4] = [FeedKind::Kev, FeedKind::Nvd, FeedKind::Jvn, FeedKind::Epss];

    /// The feed's name in `--feed`, the store and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::Kev => "kev",
            FeedKind::Nvd => "nvd",
            FeedKind::Jvn => "jvn",
            FeedKind::Epss => "epss",
        }
    }

    /// Parses a `--feed` value.
    pub fn parse(s: &str) -> Option<FeedKind> {
        FeedKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The feed's name for people.
    pub fn label(self) -> &'static str {
        match self {
            FeedKind::Kev => "CISA KEV",
            FeedKind::Nvd => "NVD",
            FeedKind::Jvn => "JVN iPedia",
            FeedKind::Epss => "FIRST EPSS",
        }
    }
}

/// One record of any feed.
#[derive(Clone, Debug)]
pub enum Item {
    /// A CVE record (NVD or JVN).
    Cve(CveRecord),
    /// A KEV catalog entry.
    Kev(KevEntry),
    /// An EPSS score of a CVE.
    Epss(String, Epss),
    /// A JVN iPedia entry.
    Jvn(JvnRecord),
}

/// What one file held.
#[derive(Clone, Debug)]
pub struct FeedFile {
    /// The file read.
    pub path: PathBuf,
    /// Which feed it is.
    pub kind: FeedKind,
    /// `KEV JSON`, `NVD CVE API 2.0 JSON (gzip)`…
    pub format: String,
    /// The feed's own date: KEV `dateReleased`, NVD `timestamp` (else the newest
    /// `lastModified`), EPSS `score_date`, JVN the newest modification.
    pub stamp: Option<String>,
    /// Records read.
    pub records: usize,
    /// Records that could not be read, by position.
    pub problems: Vec<RecordProblem>,
}

/// Why a feed file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Not a feed mamori reads (a schema, a blocklist, a memo); not an error in a folder.
    #[error("{path}: {reason}")]
    NotAFeed {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        reason: String,
    },
    /// The file is broken in a way that stops reading.
    #[error("{path}: {format}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The format it was read as.
        format: String,
        /// What was wrong.
        message: String,
    },
}

const SNIFF: usize = 64 * 1024;

/// Reads one feed file, handing every record to `sink`.
pub fn read_feed(path: &Path, sink: &mut dyn FnMut(Item)) -> Result<FeedFile, FeedError> {
    let io = |source| FeedError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = BufReader::new(File::open(path).map_err(io)?);
    let mut magic = [0u8; 2];
    let n = read_up_to(&mut file, &mut magic).map_err(io)?;
    let head = Cursor::new(magic[..n].to_vec());
    let (mut reader, gzip): (Box<dyn Read>, bool) = if magic == [0x1f, 0x8b] {
        (Box::new(MultiGzDecoder::new(head.chain(file))), true)
    } else {
        (Box::new(head.chain(file)), false)
    };
    let mut prefix = vec![0u8; SNIFF];
    let got = read_up_to(&mut reader, &mut prefix).map_err(io)?;
    prefix.truncate(got);
    let kind_format = sniff(&prefix).map_err(|reason| FeedError::NotAFeed {
        path: path.to_owned(),
        reason,
    })?;
    let (kind, format) = kind_format;
    let format = if gzip {
        format!("{format} (gzip)")
    } else {
        format.to_owned()
    };
    let full = Cursor::new(prefix).chain(reader);
    let parse = |message: String| FeedError::Parse {
        path: path.to_owned(),
        format: format.clone(),
        message,
    };
    let mut out = FeedFile {
        path: path.to_owned(),
        kind,
        format: format.clone(),
        stamp: None,
        records: 0,
        problems: Vec::new(),
    };
    match (kind, format.starts_with("KEV CSV")) {
        (FeedKind::Nvd, _) => {
            let mut newest = String::new();
            let info = nvd::read_nvd(full, &mut |r| {
                if r.last_modified > newest {
                    newest.clone_from(&r.last_modified);
                }
                sink(Item::Cve(r));
            })
            .map_err(|e| parse(e.to_string()))?;
            out.stamp = info.timestamp.or((!newest.is_empty()).then_some(newest));
            out.records = info.records;
            out.problems = info.problems;
        }
        (FeedKind::Kev, true) => {
            let f = kev::read_csv(full).map_err(|e| parse(e.to_string()))?;
            out.stamp = f.date_released;
            finish_kev(f.entries, f.problems, &mut out, sink);
        }
        (FeedKind::Kev, false) => {
            let f = kev::read_json(full).map_err(|e| parse(e.to_string()))?;
            out.stamp = f.date_released.or(f.catalog_version);
            finish_kev(f.entries, f.problems, &mut out, sink);
        }
        (FeedKind::Epss, _) => {
            let f = epss::read_epss(full).map_err(|e| parse(e.to_string()))?;
            out.stamp = f.score_date;
            out.records = f.scores.len() + f.problems.len();
            out.problems = f.problems;
            for (cve, e) in f.scores {
                sink(Item::Epss(cve, e));
            }
        }
        (FeedKind::Jvn, _) => {
            let mut bytes = Vec::new();
            let mut full = full;
            full.read_to_end(&mut bytes).map_err(io)?;
            let text = String::from_utf8_lossy(&bytes);
            let records = if text.trim_start().starts_with('<') {
                jvn::read_xml(&text).map_err(|e| parse(e.to_string()))?
            } else {
                let value: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| parse(e.to_string()))?;
                jvn::read_json(&value).ok_or_else(|| parse("no JVN entries in this JSON".into()))?
            };
            out.stamp = records.iter().map(|r| r.last_modified.clone()).max();
            out.records = records.len();
            for r in records {
                sink(Item::Jvn(r));
            }
        }
    }
    Ok(out)
}

fn finish_kev(
    entries: Vec<KevEntry>,
    problems: Vec<RecordProblem>,
    out: &mut FeedFile,
    sink: &mut dyn FnMut(Item),
) {
    out.records = entries.len() + problems.len();
    out.problems = problems;
    for e in entries {
        sink(Item::Kev(e));
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Which feed the first bytes belong to, or why the file is not one.
fn sniff(prefix: &[u8]) -> Result<(FeedKind, &'static str), String> {
    let text = String::from_utf8_lossy(prefix);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return Err("empty file".into());
    }
    if t.starts_with('{') || t.starts_with('[') {
        if t.contains("json-schema.org") {
            return Err("a JSON schema, not feed data".into());
        }
        if t.contains("\"catalogVersion\"") || t.contains("\"cveID\"") {
            return Ok((FeedKind::Kev, "KEV JSON"));
        }
        if t.contains("\"matchStrings\"") {
            return Err("not yet supported: NVD match criteria (cpematch) data".into());
        }
        if t.contains("\"NVD_CPE\"") {
            return Err("not yet supported: the NVD CPE dictionary".into());
        }
        if t.contains("jvndb") || t.contains("myjvn") {
            return Ok((FeedKind::Jvn, "MyJVN JSON"));
        }
        if t.contains("\"NVD_CVE\"")
            || t.contains("\"vulnerabilities\"")
            || (t.contains("\"CVE-") && t.contains("\"sourceIdentifier\""))
        {
            return Ok((FeedKind::Nvd, "NVD CVE API 2.0 JSON"));
        }
        return Err("JSON, but not KEV, NVD, JVN or EPSS data".into());
    }
    if t.starts_with('<') {
        if t.contains("<xs:schema") || t.contains("<xsd:schema") {
            return Err("an XML schema, not feed data".into());
        }
        if t.contains("VULDEF") || t.contains("<Vulinfo") {
            return Ok((FeedKind::Jvn, "JVN VULDEF XML"));
        }
        if t.contains("jvn") && (t.contains("rdf:RDF") || t.contains("sec:identifier")) {
            return Ok((FeedKind::Jvn, "JVN RSS XML"));
        }
        return Err("XML, but not a JVN feed".into());
    }
    let first = t.lines().next().unwrap_or_default();
    if first.starts_with("cveID,") {
        return Ok((FeedKind::Kev, "KEV CSV"));
    }
    if first.starts_with("#model_version") || first.starts_with("cve,epss") {
        return Ok((FeedKind::Epss, "EPSS CSV"));
    }
    if prefix.iter().take(512).any(|&b| b == 0) {
        return Err("binary file".into());
    }
    if prefix.starts_with(b"PK") {
        return Err("not yet supported: .zip feeds (use the .json.gz files)".into());
    }
    Err("not a vulnerability feed".into())
}

/// For `--feeds`: `kev`, `nvd`, `jvn` or `epss`.
impl std::str::FromStr for FeedKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FeedKind::parse(s).ok_or_else(|| "kev, nvd, jvn, epss".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_is_read_through_and_format_told_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.bin");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(br#"{"format":"NVD_CVE","timestamp":"2099-01-01T00:00:00.000","vulnerabilities":[{"cve":{"id":"CVE-2099-0001","lastModified":"2099-01-01T00:00:00.000"}}]}"#).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let mut n = 0;
        let f = read_feed(&path, &mut |_| n += 1).unwrap();
        assert_eq!((f.kind, n, f.records), (FeedKind::Nvd, 1, 1));
        assert_eq!(f.format, "NVD CVE API 2.0 JSON (gzip)");
        assert_eq!(f.stamp.as_deref(), Some("2099-01-01T00:00:00.000"));
    }

    #[test]
    fn non_feeds_are_told_apart_from_broken_feeds() {
        let dir = tempfile::tempdir().unwrap();
        let memo = dir.path().join("memo.txt");
        std::fs::write(&memo, "保守業者への連絡メモ").unwrap();
        assert!(matches!(
            read_feed(&memo, &mut |_| {}),
            Err(FeedError::NotAFeed { .. })
        ));
        let broken = dir.path().join("kev.json");
        std::fs::write(&broken, r#"{"catalogVersion": "x", "vulnerabilities": [ "#).unwrap();
        let err = read_feed(&broken, &mut |_| {}).unwrap_err();
        assert!(matches!(err, FeedError::Parse { .. }));
        assert!(err.to_string().contains("kev.json"), "{err}");
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        assert!(matches!(
            read_feed(&empty, &mut |_| {}),
            Err(FeedError::NotAFeed { .. })
        ));
    }
}
