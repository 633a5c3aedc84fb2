//! `mamori vuln update` against a feed mirror on loopback: a small HTTP server in the test
//! serves the shared real feeds under the publishers' file names, can break a transfer half-way,
//! and logs every request, so resuming, hash checks and the offline message are seen end to end.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use flate2::{Compression, write::GzEncoder};
use serde_json::Value;
use sha2::{Digest, Sha256};

#[derive(Default)]
struct Served {
    files: HashMap<String, Vec<u8>>,
    /// Name → bytes after which the next full transfer of it is cut off.
    cut: HashMap<String, usize>,
    /// `GET /name` or `GET /name Range: bytes=N-`, in order.
    log: Vec<String>,
}

struct Mirror {
    url: String,
    served: Arc<Mutex<Served>>,
}

impl Mirror {
    fn start(files: HashMap<String, Vec<u8>>) -> Mirror {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let served = Arc::new(Mutex::new(Served {
            files,
            ..Served::default()
        }));
        let state = served.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = state.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Mirror { url, served }
    }

    fn log(&self) -> Vec<String> {
        std::mem::take(&mut self.served.lock().unwrap().log)
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<Served>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    reader.read_line(&mut request).unwrap();
    let path = request
        .split(' ')
        .nth(1)
        .unwrap_or("/")
        .trim_start_matches('/');
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("range")
        {
            range = v
                .trim()
                .strip_prefix("bytes=")
                .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
        }
    }
    let (body, cut) = {
        let mut s = state.lock().unwrap();
        s.log.push(match range {
            Some(n) => format!("GET /{path} Range: bytes={n}-"),
            None => format!("GET /{path}"),
        });
        let body = s.files.get(path).cloned();
        let cut = if range.is_none() {
            s.cut.remove(path)
        } else {
            None
        };
        (body, cut)
    };
    let Some(body) = body else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let head = match range {
        Some(n) if n >= body.len() => {
            let _ = write!(
                stream,
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                body.len()
            );
            return;
        }
        Some(n) => format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {n}-{}/{}\r\nContent-Length: {}\r\n",
            body.len() - 1,
            body.len(),
            body.len() - n
        ),
        None => format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n", body.len()),
    };
    let _ = stream.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes());
    let from = range.unwrap_or(0);
    let to = cut.unwrap_or(body.len());
    let _ = stream.write_all(&body[from..to]);
    // Dropping the stream after a cut: the client sees the body end early.
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// NVD's `.meta` for a JSON document and its gzip file, CRLF as published.
fn nvd_meta(json: &[u8], gz: &[u8]) -> Vec<u8> {
    format!(
        "lastModifiedDate:2026-11-20T03:00:01-05:00\r\nsize:{}\r\nzipSize:0\r\ngzSize:{}\r\nsha256:{}\r\n",
        json.len(),
        gz.len(),
        sha256_hex(json)
    )
    .into_bytes()
}

fn this_year() -> i32 {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
        .into()
}

/// The shared real feeds under the publishers' names. NVD: the real 2023 API page as the 2023
/// year file, one real edge record (FortiOS CVE-2022-40684) as the modified feed, the other
/// years empty pages.
fn mirror_files(shared: &Path) -> HashMap<String, Vec<u8>> {
    let read = |rel: &str| std::fs::read(shared.join(rel)).unwrap();
    let mut files = HashMap::new();
    files.insert(
        "known_exploited_vulnerabilities.json".to_owned(),
        read("kev/known_exploited_vulnerabilities_2025-02-21.json"),
    );
    files.insert(
        "jvndb.rdf".to_owned(),
        read("jvn/dataFeed_jvndb_rss_hnd.xml"),
    );
    let epss = "#model_version:v2025.03.14,score_date:2026-11-20T12:55:00Z\ncve,epss,percentile\nCVE-2022-40684,0.94,0.999\nCVE-2018-13379,0.93,0.998\n";
    files.insert(
        "epss_scores-current.csv.gz".to_owned(),
        gzip(epss.as_bytes()),
    );
    let edge: Value = serde_json::from_slice(&read("nvd/edge/CVE-2022-40684.json")).unwrap();
    let record = edge.get("cve").cloned().unwrap_or(edge);
    let page = |vulns: Vec<Value>| {
        serde_json::to_vec(&serde_json::json!({
            "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-11-20T08:00:00.000",
            "vulnerabilities": vulns,
        }))
        .unwrap()
    };
    let mut nvd = vec![(
        "modified".to_owned(),
        page(vec![serde_json::json!({"cve": record})]),
    )];
    for year in 2002..=this_year() {
        let json = if year == 2023 {
            read("nvd/cves-2023.json")
        } else {
            page(Vec::new())
        };
        nvd.push((year.to_string(), json));
    }
    for (name, json) in nvd {
        let gz = gzip(&json);
        files.insert(format!("nvdcve-2.0-{name}.meta"), nvd_meta(&json, &gz));
        files.insert(format!("nvdcve-2.0-{name}.json.gz"), gz);
    }
    files
}

mod support;

use support::Env;

impl Env {
    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn update(&self, mirror: &str, extra: &[&str]) -> (Output, String) {
        let cache = self.cache();
        let mut args = vec![
            "vuln",
            "update",
            "--mirror",
            mirror,
            "--cache",
            cache.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out, err)
    }

    fn counts(&self) -> Value {
        let out = self.run(&["vuln", "status", "--format", "json"]);
        let status: Value = serde_json::from_slice(&out.stdout).unwrap();
        status["counts"].clone()
    }
}

#[test]
fn update_fetches_checks_resumes_and_imports_then_skips_what_has_not_changed() {
    let Some(shared) = mamori_testing::shared("feeds") else {
        return;
    };
    let mirror = Mirror::start(mirror_files(&shared));
    // The KEV transfer breaks after 300 kB; the RSS was half fetched by an earlier run.
    mirror
        .served
        .lock()
        .unwrap()
        .cut
        .insert("known_exploited_vulnerabilities.json".into(), 300_000);
    let env = Env::new();
    std::fs::create_dir_all(env.cache()).unwrap();
    let rss = std::fs::read(shared.join("jvn/dataFeed_jvndb_rss_hnd.xml")).unwrap();
    std::fs::write(env.cache().join("jvndb.rdf.part"), &rss[..1000]).unwrap();

    let (out, err) = env.update(&mirror.url, &[]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let log = mirror.log();
    assert!(
        log.contains(&"GET /known_exploited_vulnerabilities.json Range: bytes=300000-".into()),
        "{log:?}"
    );
    assert!(
        log.contains(&"GET /jvndb.rdf Range: bytes=1000-".into()),
        "{log:?}"
    );
    assert!(err.contains("続きから"), "{err}");
    // First update: every NVD year, then the modified feed.
    assert!(
        log.contains(&"GET /nvdcve-2.0-2002.json.gz".into()),
        "{log:?}"
    );
    assert!(
        err.contains("NVD の年別ファイルをすべて取得します"),
        "{err}"
    );
    let counts = env.counts();
    assert_eq!(counts["kev"], 1276);
    assert_eq!(counts["epss"], 2);
    assert!(counts["jvn"].as_i64().unwrap() > 0, "{counts}");
    // The 2023 page's 200 records and the modified feed's one.
    assert_eq!(counts["cves"], 201, "{counts}");
    let left: Vec<_> = std::fs::read_dir(env.cache())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let kev = std::fs::read(env.cache().join("known_exploited_vulnerabilities.json")).unwrap();
    assert_eq!(
        kev,
        std::fs::read(shared.join("kev/known_exploited_vulnerabilities_2025-02-21.json")).unwrap()
    );

    // Second run: the years are recent enough, the modified feed's .meta has not changed.
    let (out, err) = env.update(&mirror.url, &[]);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let log = mirror.log();
    assert!(!log.iter().any(|l| l.contains(".json.gz")), "{log:?}");
    assert!(
        log.contains(&"GET /nvdcve-2.0-modified.meta".into()),
        "{log:?}"
    );
    assert!(
        err.contains("nvdcve-2.0-modified.json.gz: 前回から変化なし"),
        "{err}"
    );
    assert!(err.contains("変化なし 1276"), "{err}");
}

#[test]
fn a_file_that_does_not_match_its_published_hash_is_not_loaded() {
    let Some(shared) = mamori_testing::shared("feeds") else {
        return;
    };
    let mut files = mirror_files(&shared);
    let meta = String::from_utf8(files["nvdcve-2.0-modified.meta"].clone()).unwrap();
    let sha = meta
        .lines()
        .find_map(|l| l.strip_prefix("sha256:"))
        .unwrap()
        .to_owned();
    let forged = meta.replace(&sha, &"0".repeat(64));
    files.insert("nvdcve-2.0-modified.meta".into(), forged.into_bytes());
    // JVN year files, each listed in checksum.txt; 2010's entry does not match.
    let detail =
        std::fs::read(shared.join("jvn/getVulnDetailInfo_hnd_JVNDB-2018-009328.xml")).unwrap();
    let mut sums = Vec::new();
    for year in 2002..=this_year() {
        let name = format!("jvndb_detail_{year}.rdf");
        let sha = if year == 2010 {
            "AB".repeat(32)
        } else {
            sha256_hex(&detail)
        };
        sums.push(serde_json::json!({"url": format!("https://jvndb.jvn.jp/ja/feed/detail/{name}"), "sha256": sha, "lastModified": "2026-11-20T10:00:00+09:00"}));
        files.insert(name, detail.clone());
    }
    files.insert("checksum.txt".into(), serde_json::to_vec(&sums).unwrap());
    let mirror = Mirror::start(files);
    let env = Env::new();

    let (out, err) = env.update(&mirror.url, &["--feeds", "nvd,jvn", "--full"]);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("nvdcve-2.0-modified.json.gz: 内容が公表されたハッシュ値と一致しません"),
        "{err}"
    );
    assert!(
        err.contains("jvndb_detail_2010.rdf: 内容が公表されたハッシュ値と一致しません"),
        "{err}"
    );
    assert!(!env.cache().join("nvdcve-2.0-modified.json.gz").exists());
    assert!(
        !env.cache()
            .join("nvdcve-2.0-modified.json.gz.part")
            .exists()
    );
    // The other files were checked and loaded.
    let counts = env.counts();
    assert_eq!(
        counts["cves"], 200,
        "the 2023 year file without the refused modified feed"
    );
    assert!(counts["jvn"].as_i64().unwrap() > 0, "{counts}");
    assert!(env.cache().join("jvndb_detail_2011.rdf.sha256").exists());
}

#[test]
fn an_unreachable_publisher_is_reported_with_what_to_do_offline() {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let env = Env::new();
    let (out, err) = env.update(&url, &["--feeds", "kev"]);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("に接続できません"), "{err}");
    assert!(err.contains("mamori vuln import"), "{err}");
    assert!(
        err.contains(&format!("{url}/known_exploited_vulnerabilities.json")),
        "{err}"
    );

    // Unencrypted addresses elsewhere are refused before anything is sent.
    let (out, err) = env.update("http://mirror.example.jp/feeds", &["--feeds", "kev"]);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("https://"), "{err}");
}
