//! `mamori vuln status`: the vulnerability data in the database, by kind, with its age.

use mamori_model::{Lang, tr};

/// One imported file.
pub struct FeedStatus {
    /// `kev`, `nvd`, `jvn`, `epss`.
    pub kind: String,
    /// Where it was read from.
    pub source: String,
    /// The format as read.
    pub format: String,
    /// The data's own date (release date, timestamp, newest entry).
    pub data_date: Option<String>,
    /// Days from that date to the evaluation day.
    pub age_days: Option<i64>,
    /// When it was imported.
    pub imported_at: String,
    /// Records read, added and updated.
    pub records: i64,
    /// Records added.
    pub added: i64,
    /// Records updated.
    pub updated: i64,
}

/// The newest data of one kind.
pub struct KindStatus {
    /// `KEV`, `NVD`, … as people read it.
    pub label: &'static str,
    /// The kind's key, as in [`FeedStatus::kind`].
    pub kind: &'static str,
    /// The newest data date of the kind.
    pub newest: String,
    /// Its age in days.
    pub age_days: Option<i64>,
}

/// What `vuln status` shows.
pub struct VulnStatusReport {
    /// The database file.
    pub database: String,
    /// CVE, KEV, JVN and EPSS records.
    pub counts: [i64; 4],
    /// Every imported file.
    pub feeds: Vec<FeedStatus>,
    /// Each kind that has data, in the usual order.
    pub kinds: Vec<KindStatus>,
}

/// The status as one JSON document.
pub fn render_vuln_status_json(r: &VulnStatusReport) -> String {
    let feeds: Vec<serde_json::Value> = r
        .feeds
        .iter()
        .map(|f| {
            serde_json::json!({
                "kind": f.kind, "source": f.source, "format": f.format, "data_date": f.data_date,
                "age_days": f.age_days, "imported_at": f.imported_at,
                "records": f.records, "added": f.added, "updated": f.updated,
            })
        })
        .collect();
    let [cves, kev, jvn, epss] = r.counts;
    let doc = serde_json::json!({
        "database": r.database,
        "counts": { "cves": cves, "kev": kev, "jvn": jvn, "epss": epss },
        "feeds": feeds,
    });
    format!("{doc:#}\n")
}

/// The status as text: counts, then each kind's newest date (stale past 7 days) and files.
pub fn render_vuln_status_table(r: &VulnStatusReport, lang: Lang) -> String {
    let [cves, kev, jvn, epss] = r.counts;
    let mut out = format!(
        "{}: {}\n{}: CVE {cves} / KEV {kev} / JVN {jvn} / EPSS {epss}\n\n",
        tr(lang, "データベース", "Database"),
        r.database,
        tr(lang, "件数", "Records"),
    );
    if r.feeds.is_empty() {
        out.push_str(tr(
            lang,
            "脆弱性情報はまだ読み込まれていません。`mamori vuln import ファイル` で読み込んでください。\n",
            "No vulnerability data loaded yet: run `mamori vuln import FILE`.\n",
        ));
    }
    for k in &r.kinds {
        let stale = k.age_days.is_some_and(|d| d > 7);
        out.push_str(&format!(
            "{:<11} {} {}{}\n",
            k.label,
            &k.newest[..k.newest.len().min(10)],
            k.age_days.map_or_else(String::new, |d| format!(
                "({d} {})",
                tr(lang, "日前", "days ago")
            )),
            if stale {
                tr(lang, "  ← 7日以上前の情報です", "  ← older than 7 days")
            } else {
                ""
            }
        ));
        for f in r.feeds.iter().filter(|f| f.kind == k.kind) {
            out.push_str(&format!(
                "    {} [{}] {} {}\n",
                f.source,
                f.format,
                f.records,
                tr(lang, "件", "records")
            ));
        }
    }
    out
}
