//! Where each feed is published, what to fetch on an update, and the integrity data the
//! publishers put beside their files (NVD `.meta`, JVN `checksum.txt`). Pure: the download
//! itself lives in the `mamori` binary.

use std::collections::HashMap;

use crate::feeds::FeedKind;

/// CISA's KEV catalog JSON.
pub const KEV_URL: &str =
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
/// NVD's yearly and `modified` JSON 2.0 feeds.
pub const NVD_BASE: &str = "https://nvd.nist.gov/feeds/json/cve/2.0";
/// FIRST's current EPSS scores.
pub const EPSS_URL: &str = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
/// JVN iPedia's RSS of recent changes.
pub const JVN_RSS_URL: &str = "https://jvndb.jvn.jp/ja/rss/jvndb.rdf";
/// JVN iPedia's yearly detail files.
pub const JVN_DETAIL_BASE: &str = "https://jvndb.jvn.jp/ja/feed/detail";
/// JVN iPedia's checksums of its feed files.
pub const JVN_CHECKSUM_URL: &str = "https://jvndb.jvn.jp/ja/feed/checksum.txt";

/// NVD's first year feed.
pub const NVD_FIRST_YEAR: i16 = 2002;
/// NVD's `modified` feed covers this many days; an update after a longer gap needs the years.
pub const NVD_MODIFIED_DAYS: i64 = 8;
/// JVN iPedia's yearly detail feeds start here (older entries are few and mostly pre-CPE).
pub const JVN_FIRST_YEAR: i16 = 2002;

/// How a downloaded file is checked before it is imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Integrity {
    /// Only the length the server announced.
    Length,
    /// NVD: the `.meta` file beside the feed gives the gzip size and the SHA-256 of the JSON
    /// inside.
    NvdMeta {
        /// Where the `.meta` file is.
        meta_url: String,
    },
    /// JVN: `checksum.txt` lists the SHA-256 of each feed file.
    JvnChecksum,
}

/// One file to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    /// Which feed.
    pub kind: FeedKind,
    /// File name in the cache folder (and on a mirror).
    pub name: String,
    /// Where to get it.
    pub url: String,
    /// How to check it arrived whole.
    pub integrity: Integrity,
}

/// What an update should fetch.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The feeds to fetch.
    pub kinds: Vec<FeedKind>,
    /// Every NVD year file before the `modified` feed.
    pub nvd_years: bool,
    /// Every JVN iPedia yearly detail file before the RSS of recent changes.
    pub jvn_years: bool,
    /// This year, the last NVD/JVN yearly file.
    pub current_year: i16,
    /// Serve every file from `MIRROR/NAME` instead of the publishers' addresses.
    pub mirror: Option<String>,
}

impl Plan {
    /// The files to fetch, in order.
    pub fn downloads(&self) -> Vec<Download> {
        let mut out = Vec::new();
        for &kind in &self.kinds {
            match kind {
                FeedKind::Kev => out.push(download(kind, KEV_URL, Integrity::Length)),
                FeedKind::Epss => out.push(download(kind, EPSS_URL, Integrity::Length)),
                FeedKind::Nvd => {
                    let mut names: Vec<String> = Vec::new();
                    if self.nvd_years {
                        names.extend(
                            (NVD_FIRST_YEAR..=self.current_year)
                                .map(|y| format!("nvdcve-2.0-{y}.json.gz")),
                        );
                    }
                    // After the years: the newest version of a record is imported last.
                    names.push("nvdcve-2.0-modified.json.gz".into());
                    for name in names {
                        let url = format!("{NVD_BASE}/{name}");
                        let meta = url.replace(".json.gz", ".meta");
                        out.push(download(kind, &url, Integrity::NvdMeta { meta_url: meta }));
                    }
                }
                FeedKind::Jvn => {
                    if self.jvn_years {
                        for y in JVN_FIRST_YEAR..=self.current_year {
                            let url = format!("{JVN_DETAIL_BASE}/jvndb_detail_{y}.rdf");
                            out.push(download(kind, &url, Integrity::JvnChecksum));
                        }
                    }
                    out.push(download(kind, JVN_RSS_URL, Integrity::Length));
                }
            }
        }
        if let Some(mirror) = &self.mirror {
            for d in &mut out {
                d.url = self.mirrored(&d.url);
                if let Integrity::NvdMeta { meta_url } = &mut d.integrity {
                    *meta_url = self.mirrored(meta_url);
                }
                debug_assert!(d.url.starts_with(mirror.trim_end_matches('/')));
            }
        }
        out
    }

    /// The address of a publisher's file on the mirror, when one is set: `MIRROR/NAME`.
    pub fn mirrored(&self, url: &str) -> String {
        match &self.mirror {
            Some(m) => format!("{}/{}", m.trim_end_matches('/'), file_name(url)),
            None => url.to_owned(),
        }
    }
}

fn download(kind: FeedKind, url: &str, integrity: Integrity) -> Download {
    Download {
        kind,
        name: file_name(url).to_owned(),
        url: url.to_owned(),
        integrity,
    }
}

fn file_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

/// The fields of an NVD `.meta` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NvdMeta {
    /// When NVD last changed the feed.
    pub last_modified: String,
    /// Bytes of the JSON inside the gzip file.
    pub size: u64,
    /// Bytes of the gzip file.
    pub gz_size: u64,
    /// Upper-case hex SHA-256 of the JSON inside.
    pub sha256: String,
}

/// Reads `key:value` lines (CRLF or LF); the error names the first field missing or malformed.
pub fn parse_nvd_meta(text: &str) -> Result<NvdMeta, String> {
    let fields: HashMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let get = |k: &str| fields.get(k).copied().ok_or_else(|| format!("no `{k}`"));
    let number = |k: &str| {
        get(k)?
            .parse::<u64>()
            .map_err(|_| format!("`{k}` is not a number"))
    };
    let sha256 = get("sha256")?.to_ascii_uppercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("`sha256` is not a SHA-256 hex digest".into());
    }
    Ok(NvdMeta {
        last_modified: get("lastModifiedDate")?.to_owned(),
        size: number("size")?,
        gz_size: number("gzSize")?,
        sha256,
    })
}

/// JVN's `checksum.txt`: a JSON list of `{"url", "sha256", "lastModified"}`. Returns the
/// SHA-256 (upper case) per file name, since a mirror serves the same names elsewhere.
pub fn parse_jvn_checksums(text: &str) -> Result<HashMap<String, String>, String> {
    #[derive(serde::Deserialize)]
    struct Entry {
        url: String,
        sha256: String,
    }
    let entries: Vec<Entry> =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
    Ok(entries
        .into_iter()
        .map(|e| (file_name(&e.url).to_owned(), e.sha256.to_ascii_uppercase()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(kinds: &[FeedKind], full: bool, mirror: Option<&str>) -> Plan {
        Plan {
            kinds: kinds.to_vec(),
            nvd_years: full,
            jvn_years: full,
            current_year: 2026,
            mirror: mirror.map(str::to_owned),
        }
    }

    #[test]
    fn a_routine_update_fetches_the_recent_changes_only() {
        let d = plan(&FeedKind::ALL, false, None).downloads();
        let names: Vec<&str> = d.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "known_exploited_vulnerabilities.json",
                "nvdcve-2.0-modified.json.gz",
                "jvndb.rdf",
                "epss_scores-current.csv.gz"
            ]
        );
        assert_eq!(
            d[1].integrity,
            Integrity::NvdMeta {
                meta_url: format!("{NVD_BASE}/nvdcve-2.0-modified.meta")
            }
        );
    }

    #[test]
    fn a_full_update_fetches_every_year_before_the_modified_feed() {
        let d = plan(&[FeedKind::Nvd, FeedKind::Jvn], true, None).downloads();
        let nvd: Vec<&str> = d
            .iter()
            .filter(|d| d.kind == FeedKind::Nvd)
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(nvd.len(), 2026 - 2002 + 2);
        assert_eq!(nvd[0], "nvdcve-2.0-2002.json.gz");
        assert_eq!(nvd[24], "nvdcve-2.0-2026.json.gz");
        assert_eq!(nvd[25], "nvdcve-2.0-modified.json.gz");
        let jvn: Vec<&Download> = d.iter().filter(|d| d.kind == FeedKind::Jvn).collect();
        assert_eq!(
            jvn[0].url,
            format!("{JVN_DETAIL_BASE}/jvndb_detail_2002.rdf")
        );
        assert_eq!(jvn[0].integrity, Integrity::JvnChecksum);
        assert_eq!(jvn.last().unwrap().name, "jvndb.rdf");
    }

    #[test]
    fn a_mirror_serves_the_same_names() {
        let d = plan(
            &[FeedKind::Nvd],
            false,
            Some("http://127.0.0.1:8080/feeds/"),
        )
        .downloads();
        assert_eq!(
            d[0].url,
            "http://127.0.0.1:8080/feeds/nvdcve-2.0-modified.json.gz"
        );
        assert_eq!(
            d[0].integrity,
            Integrity::NvdMeta {
                meta_url: "http://127.0.0.1:8080/feeds/nvdcve-2.0-modified.meta".into()
            }
        );
    }

    #[test]
    fn nvd_meta_is_read_with_crlf_and_checked() {
        let text = "lastModifiedDate:2026-11-20T03:00:01-05:00\r\nsize:123\r\nzipSize:40\r\ngzSize:39\r\nsha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\r\n";
        let m = parse_nvd_meta(text).unwrap();
        assert_eq!(m.last_modified, "2026-11-20T03:00:01-05:00");
        assert_eq!((m.size, m.gz_size), (123, 39));
        assert!(m.sha256.starts_with("ABCDEF"));
        assert_eq!(
            parse_nvd_meta("size:1\ngzSize:1\nsha256:00").unwrap_err(),
            "`sha256` is not a SHA-256 hex digest"
        );
        assert_eq!(
            parse_nvd_meta(&text.replace("gzSize:39", "gzSize:x")).unwrap_err(),
            "`gzSize` is not a number"
        );
        assert_eq!(
            parse_nvd_meta("<html>Not Found</html>").unwrap_err(),
            "no `sha256`"
        );
    }

    #[test]
    fn jvn_checksums_are_keyed_by_file_name() {
        let text = r#"[{"url":"https://jvndb.jvn.jp/ja/feed/detail/jvndb_detail_2025.rdf","sha256":"ab12","lastModified":"2026-11-20T10:00:00+09:00"}]"#;
        let sums = parse_jvn_checksums(text).unwrap();
        assert_eq!(sums["jvndb_detail_2025.rdf"], "AB12");
        assert!(parse_jvn_checksums("not json").is_err());
    }
}
