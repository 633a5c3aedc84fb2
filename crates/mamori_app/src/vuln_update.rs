//! `mamori vuln update`: fetches the feeds over HTTPS into a cache folder, checks each file
//! against what its publisher announces (NVD `.meta`, JVN `checksum.txt`, the announced
//! length), then imports it exactly like `vuln import`. An interrupted download resumes from
//! its `.part` file, in the same run or the next.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use jiff::{Timestamp, tz::TimeZone};
use mamori_model::{Lang, tr};
use mamori_store::Store;
use mamori_vuln::FeedKind;
use mamori_vuln::sources::{self, Download, Integrity, NvdMeta, Plan};
use sha2::{Digest, Sha256};

use crate::Reporter;
use crate::vuln_import::{Imported, import_and_report};

/// Attempts per file when the connection breaks mid-transfer (each resumes where it stopped).
const ATTEMPTS: u32 = 4;

/// What to fetch and where.
pub struct UpdateOptions {
    /// The database the files are imported into.
    pub db: PathBuf,
    /// The download folder (default: `feeds/` beside the database).
    pub cache: Option<PathBuf>,
    /// A mirror to fetch from instead of the publishers (`--mirror`, `MAMORI_FEED_MIRROR`).
    pub mirror: Option<String>,
    /// The kinds of feed to fetch.
    pub kinds: Vec<FeedKind>,
    /// Every NVD and JVN year file, whatever the database holds.
    pub full: bool,
}

/// How the update went.
pub struct UpdateOutcome {
    /// Files that could not be fetched, checked or imported (or had records refused).
    pub failures: usize,
}

/// Fetches, checks and imports the feeds. Blocking (HTTPS downloads): an async caller runs it
/// on a worker thread.
pub fn update(
    opts: &UpdateOptions,
    reporter: &dyn Reporter,
    lang: Lang,
) -> anyhow::Result<UpdateOutcome> {
    let db = &opts.db;
    let cache = opts.cache.clone().unwrap_or_else(|| {
        db.parent()
            .map_or_else(|| PathBuf::from("feeds"), |p| p.join("feeds"))
    });
    fs::create_dir_all(&cache)
        .with_context(|| format!("cannot create the download folder {}", cache.display()))?;
    if let Some(mirror) = &opts.mirror {
        allowed_url(mirror, lang)?;
    }
    let mut kinds: Vec<FeedKind> = Vec::new();
    for kind in &opts.kinds {
        if !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let nvd_years =
        opts.full || (kinds.contains(&FeedKind::Nvd) && rt.block_on(nvd_needs_years(db))?);
    let plan = Plan {
        kinds,
        nvd_years,
        jvn_years: opts.full,
        current_year: Timestamp::now().to_zoned(TimeZone::UTC).year(),
        mirror: opts.mirror.clone(),
    };
    let downloads = plan.downloads();
    if nvd_years && !opts.full {
        reporter.note(tr(
            lang,
            "NVD の年別ファイルをすべて取得します（初回、または前回の取得から 8 日以上たっているため）。",
            "Fetching every NVD year file (first update, or more than 8 days since the last one).",
        ));
    }
    reporter.note(&format!(
        "{}: {} {} → {}",
        tr(lang, "取得", "Fetching"),
        downloads.len(),
        tr(lang, "ファイル", "files"),
        cache.display()
    ));

    let fetcher = Fetcher {
        agent: agent(),
        progress: reporter.wants_progress(),
        lang,
        reporter,
    };
    let mut jvn_sums: Option<HashMap<String, String>> = None;
    let mut fetched = Vec::new();
    let mut failures = 0usize;
    let mut offline = false;
    for d in &downloads {
        let result = match &d.integrity {
            Integrity::JvnChecksum => {
                let sums = jvn_sums.get_or_insert_with(|| fetcher.jvn_checksums(&plan));
                fetcher.fetch(d, &cache, sums.get(&d.name).map(String::as_str))
            }
            _ => fetcher.fetch(d, &cache, None),
        };
        match result {
            Ok(Fetched::New(path, note)) => fetched.push((path, note)),
            Ok(Fetched::Unchanged) => reporter.note(&format!(
                "{}: {}",
                d.name,
                tr(lang, "前回から変化なし", "unchanged since last time")
            )),
            Err(e) => {
                failures += 1;
                reporter.error(&format!("{}: {e:#}", d.name));
                if e.downcast_ref::<Unreachable>().is_some() {
                    offline = true;
                    break;
                }
            }
        }
    }

    rt.block_on(async {
        let store = Store::open(db)
            .await
            .with_context(|| format!("database {}", db.display()))?;
        for (path, note) in &fetched {
            let imported = import_and_report(&store, path, reporter, lang).await;
            if imported == Imported::Failed {
                failures += 1;
                continue;
            }
            // Records refused by name: the file is in, but the update is not clean.
            if imported == Imported::Partial {
                failures += 1;
            }
            if let Some((note_path, text)) = note {
                fs::write(note_path, text)
                    .with_context(|| format!("cannot write {}", note_path.display()))?;
            }
        }
        store.close().await;
        Ok::<_, anyhow::Error>(())
    })?;
    reporter.note(&format!(
        "{}: {}",
        tr(lang, "データベース", "database"),
        db.display()
    ));
    if offline {
        offline_advice(reporter, lang, &downloads);
    }
    Ok(UpdateOutcome { failures })
}

/// The `modified` feed holds 8 days of changes: without the year files, or after a longer gap,
/// records changed in between would be missed.
async fn nvd_needs_years(db: &Path) -> anyhow::Result<bool> {
    if !db.exists() {
        return Ok(true);
    }
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    let rows = store.feed_status().await?;
    store.close().await;
    let nvd: Vec<_> = rows.iter().filter(|r| r.kind == "nvd").collect();
    let has_years = nvd.iter().any(|r| is_year_feed(&r.source));
    let newest = nvd
        .iter()
        .filter(|r| is_year_feed(&r.source) || r.source.ends_with("nvdcve-2.0-modified.json.gz"))
        .filter_map(|r| r.imported_at.parse::<Timestamp>().ok())
        .max();
    let fresh = newest.is_some_and(|t| {
        Timestamp::now().duration_since(t).as_secs() < sources::NVD_MODIFIED_DAYS * 86_400
    });
    Ok(!(has_years && fresh))
}

fn is_year_feed(source: &str) -> bool {
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    name.strip_prefix("nvdcve-2.0-")
        .and_then(|r| r.strip_suffix(".json.gz"))
        .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
}

/// Plain `http://` only to this machine (a test or a local mirror through a tunnel): feeds decide
/// what mamori calls critical, so they are not taken unencrypted from a network.
fn allowed_url(url: &str, lang: Lang) -> anyhow::Result<()> {
    if url.starts_with("https://") {
        return Ok(());
    }
    let authority = url
        .strip_prefix("http://")
        .map(|r| r.split('/').next().unwrap_or(""));
    let host = authority.map(|a| match a.strip_prefix("[::1]") {
        Some(_) => "[::1]",
        None => a.split(':').next().unwrap_or(""),
    });
    match host {
        Some("127.0.0.1" | "localhost" | "[::1]") => Ok(()),
        _ => bail!(
            "{url}: {}",
            tr(
                lang,
                "取得先は https:// で指定してください（暗号化されていない http:// はこのコンピュータ自身の場合だけ使えます）",
                "use an https:// address (plain http:// is allowed only to this machine)",
            )
        ),
    }
}

fn offline_advice(reporter: &dyn Reporter, lang: Lang, downloads: &[Download]) {
    reporter.note(tr(
        lang,
        "インターネットにつながっていないか、プロキシの設定（HTTPS_PROXY）が必要な可能性があります。\n閉域網の場合は、接続できる端末で次のファイルを取得し、USB メモリなどで運んで `mamori vuln import フォルダ` で読み込んでください:",
        "This machine seems to be offline, or needs a proxy (HTTPS_PROXY).\nOn a closed network, download these files on a connected machine, carry them over and load them with `mamori vuln import FOLDER`:",
    ));
    // Year files as one pattern line: 25 near-identical addresses help nobody.
    let mut lines: Vec<String> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for d in downloads {
        let year = d
            .name
            .char_indices()
            .find_map(|(i, _)| {
                d.name
                    .get(i..i + 4)
                    .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
            })
            .filter(|y| y.starts_with("19") || y.starts_with("20"));
        let line = match year {
            Some(y) => {
                years.extend(y.parse::<i32>().ok());
                d.url.replace(y, "{YYYY}")
            }
            None => d.url.clone(),
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    let span = match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) => format!("  (YYYY = {a}{}{b})", tr(lang, "〜", "–")),
        _ => String::new(),
    };
    for line in lines {
        let note = if line.contains("{YYYY}") {
            span.as_str()
        } else {
            ""
        };
        reporter.note(&format!("  {line}{note}"));
    }
}

fn agent() -> ureq::Agent {
    // The OS trust store: hospital proxies that inspect TLS install their own CA there.
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("mamori/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The publisher cannot be reached at all (DNS, connection, proxy): the next files would fail
/// the same way.
#[derive(Debug)]
struct Unreachable(String);

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreachable {}

enum Fetched {
    /// A new file, and the integrity note to keep beside it once it is imported (so an import
    /// that failed is retried next time rather than taken as unchanged).
    New(PathBuf, Option<(PathBuf, String)>),
    Unchanged,
}

struct Fetcher<'r> {
    agent: ureq::Agent,
    progress: bool,
    lang: Lang,
    reporter: &'r dyn Reporter,
}

/// What a publisher announced for a file: what the download must match, and the text kept
/// beside it once imported (an unchanged announcement next time means an unchanged file).
enum Announced {
    /// The feed's `.meta`.
    Nvd { meta: NvdMeta, text: String },
    /// Its line in JVN's `checksum.txt`.
    Jvn { sha256: String },
}

impl Announced {
    fn note(&self, cache: &Path, name: &str) -> (PathBuf, String) {
        match self {
            Announced::Nvd { text, .. } => (cache.join(format!("{name}.meta")), text.clone()),
            Announced::Jvn { sha256 } => (cache.join(format!("{name}.sha256")), sha256.clone()),
        }
    }
}

impl Fetcher<'_> {
    fn fetch(
        &self,
        d: &Download,
        cache: &Path,
        jvn_sha256: Option<&str>,
    ) -> anyhow::Result<Fetched> {
        allowed_url(&d.url, self.lang)?;
        let dest = cache.join(&d.name);
        let part = cache.join(format!("{}.part", d.name));
        let announced = match &d.integrity {
            Integrity::NvdMeta { meta_url } => {
                let text = self.small_text(meta_url)?;
                let meta = sources::parse_nvd_meta(&text).map_err(|e| {
                    anyhow!(
                        "{meta_url}: {} ({e})",
                        tr(
                            self.lang,
                            "NVD の .meta を読めません",
                            "not an NVD .meta file"
                        )
                    )
                })?;
                Some(Announced::Nvd { meta, text })
            }
            Integrity::JvnChecksum => jvn_sha256.map(|s| Announced::Jvn {
                sha256: s.to_owned(),
            }),
            Integrity::Length => None,
        };
        let note = announced.as_ref().map(|a| a.note(cache, &d.name));
        if let Some((path, text)) = &note
            && dest.exists()
            && fs::read_to_string(path).ok().as_deref() == Some(text.as_str())
        {
            return Ok(Fetched::Unchanged);
        }
        self.download(&d.url, &part, &d.name)?;
        if let Some(a) = &announced
            && let Err(e) = self.verify(a, &part, &d.name)
        {
            let _ = fs::remove_file(&part);
            return Err(e);
        }
        fs::rename(&part, &dest)
            .with_context(|| format!("cannot move {} into place", part.display()))?;
        Ok(Fetched::New(dest, note))
    }

    /// NVD publishes the gzip size and the digest of the JSON inside; JVN the file's digest.
    fn verify(&self, announced: &Announced, part: &Path, name: &str) -> anyhow::Result<()> {
        let hash_differs = (
            "内容が公表されたハッシュ値と一致しません。改ざんまたは破損のおそれがあるため読み込みません",
            "content does not match the published hash: possibly tampered with or damaged, not loaded",
        );
        match announced {
            Announced::Nvd { meta, .. } => {
                let got = fs::metadata(part)?.len();
                if got != meta.gz_size {
                    return Err(self.mismatch(
                        (
                            "大きさが公表値と違います",
                            "size differs from the published one",
                        ),
                        "",
                        meta.gz_size,
                        got,
                    ));
                }
                let gz = flate2::read::GzDecoder::new(BufReader::new(File::open(part)?));
                let (digest, size) = sha256_of(gz).with_context(|| format!("{name}: gzip"))?;
                if digest != meta.sha256 || size != meta.size {
                    return Err(self.mismatch(hash_differs, "SHA-256 ", &meta.sha256, digest));
                }
            }
            Announced::Jvn { sha256 } => {
                let (digest, _) = sha256_of(BufReader::new(File::open(part)?))?;
                if &digest != sha256 {
                    return Err(self.mismatch(hash_differs, "SHA-256 ", sha256, digest));
                }
            }
        }
        Ok(())
    }

    fn mismatch(
        &self,
        (ja, en): (&str, &str),
        what: &str,
        published: impl std::fmt::Display,
        received: impl std::fmt::Display,
    ) -> anyhow::Error {
        anyhow!(
            "{} ({what}{} {published}, {} {received})",
            tr(self.lang, ja, en),
            tr(self.lang, "公表", "published"),
            tr(self.lang, "取得", "received")
        )
    }

    /// Streams `url` into `part`, resuming from what is already there (HTTP Range) after a
    /// broken connection, here or in an earlier run.
    fn download(&self, url: &str, part: &Path, name: &str) -> anyhow::Result<()> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let have = fs::metadata(part).map(|m| m.len()).unwrap_or(0);
            let mut request = self.agent.get(url);
            if have > 0 {
                request = request.header("Range", format!("bytes={have}-"));
            }
            let response = match request.call() {
                Ok(r) => r,
                // The part already holds the whole file.
                Err(ureq::Error::StatusCode(416)) if have > 0 => return Ok(()),
                Err(e) if attempt < ATTEMPTS && transient(&e) => {
                    std::thread::sleep(backoff(attempt));
                    continue;
                }
                Err(e) => return Err(classify(url, e, self.lang)),
            };
            let resumed = response.status() == 206;
            let total = if resumed {
                content_range_total(response.headers(), have)
                    .ok_or_else(|| anyhow!("{url}: unexpected Content-Range"))?
            } else {
                response
                    .headers()
                    .get("content-length")
                    .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            let mut file = OpenOptions::new()
                .create(true)
                .write(true)
                .append(resumed)
                .truncate(!resumed)
                .open(part)
                .with_context(|| format!("cannot write {}", part.display()))?;
            let mut done = if resumed { have } else { 0 };
            let mut body = response.into_body().into_reader();
            let mut buf = vec![0u8; 64 * 1024];
            let mut shown = Instant::now();
            let broken = loop {
                match body.read(&mut buf) {
                    Ok(0) => break None,
                    Ok(n) => {
                        file.write_all(&buf[..n])
                            .with_context(|| format!("cannot write {}", part.display()))?;
                        done += n as u64;
                        if self.progress && shown.elapsed() > Duration::from_millis(200) {
                            shown = Instant::now();
                            self.reporter.progress(&progress_line(name, done, total));
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => break Some(e),
                }
            };
            file.flush()?;
            if self.progress {
                self.reporter.progress("");
            }
            if broken.is_none() && (total == 0 || done == total) {
                return Ok(());
            }
            if attempt >= ATTEMPTS {
                let why = broken.map_or_else(|| format!("{done}/{total}"), |e| e.to_string());
                bail!(
                    "{url}: {} ({why}); {}",
                    tr(
                        self.lang,
                        "転送が途中で切れました",
                        "the transfer broke off"
                    ),
                    tr(
                        self.lang,
                        "もう一度実行すると続きから取得します",
                        "run again to resume"
                    )
                );
            }
            self.reporter.note(&format!(
                "{name}: {} ({done}/{total})",
                tr(
                    self.lang,
                    "接続が切れたため続きから再取得します",
                    "connection broke, resuming"
                )
            ));
            std::thread::sleep(backoff(attempt));
        }
    }

    /// A small text file (`.meta`, `checksum.txt`), whole.
    fn small_text(&self, url: &str) -> anyhow::Result<String> {
        allowed_url(url, self.lang)?;
        let mut response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| classify(url, e, self.lang))?;
        response
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
            .with_context(|| format!("{url}: cannot read the response"))
    }

    /// JVN's checksum list; without it the detail files are checked by length only, and the
    /// user is told so.
    fn jvn_checksums(&self, plan: &Plan) -> HashMap<String, String> {
        let url = plan.mirrored(sources::JVN_CHECKSUM_URL);
        match self
            .small_text(&url)
            .and_then(|t| sources::parse_jvn_checksums(&t).map_err(|e| anyhow!("{url}: {e}")))
        {
            Ok(sums) => sums,
            Err(e) => {
                self.reporter.error(&format!(
                    "{e:#}: {}",
                    tr(
                        self.lang,
                        "JVN のチェックサム一覧がないため、年別ファイルは大きさだけで確認します",
                        "no JVN checksum list: year files are checked by length only"
                    )
                ));
                HashMap::new()
            }
        }
    }
}

/// Turns ureq's error into one a hospital administrator can act on; the ones that mean "cannot
/// reach the publisher at all" become [`FetchError::Unreachable`].
fn classify(url: &str, e: ureq::Error, lang: Lang) -> anyhow::Error {
    let host = url.split('/').nth(2).unwrap_or(url);
    let unreachable = |detail: &str| {
        anyhow::Error::new(Unreachable(format!(
            "{host} {}",
            match lang {
                Lang::Ja => format!("に接続できません（{detail}）"),
                Lang::En => format!("cannot be reached ({detail})"),
            }
        )))
    };
    match e {
        ureq::Error::HostNotFound => unreachable("DNS"),
        ureq::Error::ConnectionFailed => unreachable("connection failed"),
        ureq::Error::Timeout(t) => unreachable(&format!("timeout: {t}")),
        ureq::Error::Io(io) if io_unreachable(&io) => unreachable(&io.to_string()),
        ureq::Error::ConnectProxyFailed(p) => unreachable(&format!("proxy: {p}")),
        ureq::Error::StatusCode(code) => anyhow!(
            "{url}: HTTP {code}{}",
            if code == 404 {
                tr(
                    lang,
                    "（公開元にこのファイルがありません）",
                    " (no such file at the publisher)",
                )
            } else {
                ""
            }
        ),
        other => anyhow!("{url}: {other}"),
    }
}

/// No route to the host at all. A failed name lookup comes from getaddrinfo as an
/// uncategorised error, so it is told by its message.
fn io_unreachable(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | HostUnreachable | NetworkUnreachable | AddrNotAvailable | TimedOut
    ) || e.to_string().contains("lookup address")
}

/// Worth another try: a server error or a connection that broke after it was made.
fn transient(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::StatusCode(code) => (500..600).contains(code),
        ureq::Error::Io(io) => !io_unreachable(io),
        ureq::Error::Protocol(_) => true,
        _ => false,
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * 2u64.pow(attempt.min(5)))
}

/// `Content-Range: bytes START-END/TOTAL`, checked against where the part file stops.
fn content_range_total(headers: &ureq::http::HeaderMap, have: u64) -> Option<u64> {
    let value = headers.get("content-range")?.to_str().ok()?;
    let (range, total) = value.strip_prefix("bytes ")?.split_once('/')?;
    let start: u64 = range.split_once('-')?.0.parse().ok()?;
    (start == have).then(|| total.parse().ok())?
}

fn sha256_of(mut reader: impl Read) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    Ok((hex, size))
}

fn progress_line(name: &str, done: u64, total: u64) -> String {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    if total > 0 {
        format!(
            "{name}: {:.1} / {:.1} MiB ({}%)",
            mib(done),
            mib(total),
            done * 100 / total
        )
    } else {
        format!("{name}: {:.1} MiB", mib(done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_feeds_are_told_from_the_others() {
        assert!(is_year_feed(
            "/var/lib/mamori/feeds/nvdcve-2.0-2024.json.gz"
        ));
        assert!(!is_year_feed("/x/nvdcve-2.0-modified.json.gz"));
        assert!(!is_year_feed(
            "examples/demo-hospital/feeds/nvdcve-demo.json"
        ));
    }

    #[test]
    fn plain_http_is_refused_except_to_this_machine() {
        assert!(allowed_url("https://nvd.nist.gov/feeds", Lang::En).is_ok());
        assert!(allowed_url("http://127.0.0.1:8080/m", Lang::En).is_ok());
        assert!(allowed_url("http://localhost/m", Lang::En).is_ok());
        assert!(allowed_url("http://mirror.hospital.local/m", Lang::En).is_err());
        assert!(allowed_url("http://127.0.0.1.evil.example/m", Lang::En).is_err());
        assert!(allowed_url("ftp://127.0.0.1/m", Lang::En).is_err());
    }

    #[test]
    fn content_range_must_continue_the_part_file() {
        let mut h = ureq::http::HeaderMap::new();
        h.insert("content-range", "bytes 100-199/200".parse().unwrap());
        assert_eq!(content_range_total(&h, 100), Some(200));
        assert_eq!(content_range_total(&h, 50), None);
    }
}
