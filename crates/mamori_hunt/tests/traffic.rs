//! Traffic logs on real data: the shared Zeek logs (WRCCDC 2018), IIS and Squid lines read
//! whole; a Zeek `dns.log` made from the shared `rdp.log`'s hosts with queries to listed
//! domains inserted — each found with its client, nothing else flagged; beaconing and the
//! year-end rule on connection logs built on top.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mamori_hunt::{HuntConfig, ReadOptions, TimeContext};
use mamori_model::Finding;
use mamori_vuln::blocklist::{Intel, read_blocklist};

fn tc() -> TimeContext {
    TimeContext {
        zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
        reference: jiff::civil::date(2027, 1, 31),
    }
}

fn hunt(path: &Path, intel: Intel) -> (mamori_hunt::HuntInput, Vec<Finding>) {
    let config = HuntConfig {
        intel: Arc::new(intel),
        ..HuntConfig::default()
    };
    mamori_hunt::hunt(&[path.to_owned()], &ReadOptions::new(tc()), &config)
}

fn shared_lists() -> Option<Intel> {
    let dir = mamori_testing::shared("feeds/blocklists")?;
    let mut intel = Intel::default();
    for name in ["maltrail_lockbit.txt", "urlhaus_hostfile_2020-10-11.txt"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        intel.lists.push(read_blocklist(name, &text));
    }
    Some(intel)
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_shared_zeek_logs_are_read_whole() {
    let Some(dir) = mamori_testing::shared("vendor/zeek") else {
        return;
    };
    let (input, findings) = hunt(&dir.join("rdp.log.gz"), Intel::default());
    let file = &input.files[0];
    assert_eq!(file.format, "zeek");
    // Every data line (the file has 4,122; SOURCES.md says 4,123); the 9 header lines read as
    // the header, none skipped otherwise.
    assert_eq!(
        (file.records, file.events),
        (4131, 4122),
        "{:?}",
        file.skipped
    );
    assert_eq!(file.skipped.values().sum::<u64>(), 7, "{:?}", file.skipped);
    assert!(
        findings.is_empty(),
        "internal RDP scanning is no traffic finding: {findings:?}"
    );
    let scanner = "10.164.94.120".parse().ok();
    let from_scanner: u64 = input
        .traffic
        .pairs
        .iter()
        .filter(|((c, _), _)| *c == scanner)
        .map(|(_, s)| s.count)
        .sum();
    assert_eq!(
        from_scanner, 4116,
        "SOURCES.md: 4116 connections from the scanner"
    );
}

/// A Zeek dns.log with the shared rdp.log's clients asking for the hosts they connected to,
/// and three of them asking for listed domains.
fn dns_log_from_rdp(rdp: &str, listed: &[(&str, &str)]) -> String {
    let mut out = String::from(
        "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\tqclass\tqclass_name\tqtype\tqtype_name\n",
    );
    for (i, line) in rdp.lines().filter(|l| !l.starts_with('#')).enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let host = format!("srv-{}.wrccdc.example", f[4].replace('.', "-"));
        out.push_str(&format!(
            "{}\tC{i}\t{}\t5353\t10.0.0.53\t53\tudp\t{i}\t{host}\t1\tC_INTERNET\t1\tA\n",
            f[0], f[2]
        ));
        // Each listed query once, spread through the day.
        if i % 1000 == 500
            && let Some((client, name)) = listed.get(i / 1000)
        {
            out.push_str(&format!(
                "{}\tL{i}\t{client}\t5353\t10.0.0.53\t53\tudp\t{i}\t{name}\t1\tC_INTERNET\t1\tA\n",
                f[0]
            ));
        }
    }
    out
}

#[test]
fn listed_domains_in_a_dns_log_are_found_with_their_client() {
    let (Some(dir), Some(intel)) = (mamori_testing::shared("vendor/zeek"), shared_lists()) else {
        return;
    };
    let listed = [
        ("10.128.0.233", "lockbit-decryptor.com"),
        ("10.0.0.227", "www.lockbit-blog.com"),
        ("10.128.0.44", "cdn.21robo.com"),
    ];
    let text = dns_log_from_rdp(&gunzip(&dir.join("rdp.log.gz")), &listed);
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("dns.log");
    std::fs::write(&path, text).unwrap();
    let (input, findings) = hunt(&path, intel);
    assert_eq!(input.files[0].format, "zeek");
    let mut got: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            let facts = &f.evidence.facts;
            (
                f.rule_id.clone(),
                f.evidence.entities().host.clone().unwrap_or_default(),
                facts["destinations"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String)> = listed
        .iter()
        .map(|(c, n)| ("net.blocklisted-domain".into(), (*c).into(), (*n).into()))
        .collect();
    want.sort();
    assert_eq!(got, want, "each listed query with its client, nothing else");
    assert!(
        findings
            .iter()
            .all(|f| f.evidence.count.unwrap() >= 1 && f.evidence.first_seen.is_some())
    );
}

#[test]
fn iis_and_squid_lines_are_read() {
    let (Some(iis), Some(squid)) = (
        mamori_testing::shared("vendor/proxy-dns/plaso-iis/iis6.log"),
        mamori_testing::shared("vendor/proxy-dns/wazuh-ruleset-tests/squid_rules.ini"),
    ) else {
        return;
    };
    let (input, _) = hunt(&iis, Intel::default());
    assert_eq!(input.files[0].format, "iis");
    assert_eq!(
        input.files[0].events, 12,
        "plaso: 12 events; {:?}",
        input.files[0].skipped
    );
    // The two Squid lines of the Wazuh tests, as an access.log.
    let lines = wazuh_log_lines(&squid);
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("access.log");
    std::fs::write(&path, lines).unwrap();
    let list = read_blocklist("test-list", "www.ossec.net\n");
    let (input, findings) = hunt(&path, Intel { lists: vec![list] });
    assert_eq!((input.files[0].format, input.files[0].events), ("squid", 2));
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].evidence.entities().host.as_deref(),
        Some("192.168.1.210")
    );
}

/// The log lines of a Wazuh ruleset test (`log N pass = LINE`), as a log file.
fn wazuh_log_lines(ini: &Path) -> String {
    std::fs::read_to_string(ini)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once(" pass = ")
                .map(|(_, line)| format!("{line}\n"))
        })
        .collect()
}

/// A Zeek conn.log: the given (second, client, address) connections.
fn conn_log(rows: &[(i64, &str, &str)]) -> String {
    let mut out = String::from(
        "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n",
    );
    for (i, (ts, client, dest)) in rows.iter().enumerate() {
        out.push_str(&format!(
            "{ts}.000000\tC{i}\t{client}\t50000\t{dest}\t443\ttcp\n"
        ));
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_steady_rhythm_is_beaconing_and_people_are_not() {
    let start = 1_796_000_000; // 2026-11
    let mut rows = Vec::new();
    // Every 5 minutes (give or take 40 s) for 6 hours to one address.
    for i in 0..72 {
        rows.push((
            start + i * 300 + (i % 3) * 20,
            "192.168.10.23",
            "203.0.113.50",
        ));
    }
    // Browsing: bursts at irregular times to another.
    for (k, gap) in [0, 2, 3, 40, 41, 90, 200, 201, 202, 260, 330, 331, 345, 500]
        .iter()
        .enumerate()
    {
        rows.push((
            start + gap * 60 + k as i64,
            "192.168.10.40",
            "198.51.100.80",
        ));
    }
    rows.sort();
    let work = tempfile::tempdir().unwrap();
    let path = write(work.path(), "conn.log", &conn_log(&rows));
    let (_, findings) = hunt(&path, Intel::default());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.rule_id, "net.beaconing");
    assert_eq!(f.evidence.entities().host.as_deref(), Some("192.168.10.23"));
    assert_eq!(f.evidence.facts["interval_minutes"], 5);
    assert!(f.message.ja.contains("約 5 分ごと"));
}

#[test]
fn a_rare_destination_first_seen_over_the_closure_is_listed() {
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
    let at = |m: i8, d: i8, y: i16| {
        jiff::civil::date(y, m, d)
            .at(10, 0, 0, 0)
            .to_zoned(zone.clone())
            .unwrap()
            .timestamp()
            .as_second()
    };
    let mut rows = Vec::new();
    for day in 10..=31 {
        rows.push((at(12, day, 2026), "192.168.1.10", "198.51.100.1"));
        rows.push((at(12, day, 2026), "192.168.1.11", "198.51.100.2"));
    }
    rows.push((at(12, 30, 2026), "192.168.1.99", "203.0.113.66"));
    rows.push((at(1, 10, 2027), "192.168.1.12", "203.0.113.77"));
    rows.sort();
    let work = tempfile::tempdir().unwrap();
    let path = write(work.path(), "conn.log", &conn_log(&rows));
    let (_, findings) = hunt(&path, Intel::default());
    let news: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule_id == "net.new-destination-after-holiday")
        .collect();
    assert_eq!(news.len(), 1, "{findings:#?}");
    assert_eq!(
        news[0].evidence.entities().host.as_deref(),
        Some("192.168.1.99")
    );
    assert_eq!(news[0].evidence.facts["destinations"][0], "203.0.113.66");
    // Logs that start inside the closure have no baseline: nothing is "new".
    let late: Vec<_> = rows
        .iter()
        .filter(|r| r.0 >= at(12, 29, 2026))
        .copied()
        .collect();
    let path = write(work.path(), "late.log", &conn_log(&late));
    let (_, findings) = hunt(&path, Intel::default());
    assert!(
        findings
            .iter()
            .all(|f| f.rule_id != "net.new-destination-after-holiday")
    );
}

#[test]
fn fortigate_traffic_and_web_filter_lines_are_matched_beside_its_logons() {
    let Some(ini) = mamori_testing::shared("vendor/wazuh-ruleset-tests/fortigate.ini") else {
        return;
    };
    let lines = wazuh_log_lines(&ini);
    let work = tempfile::tempdir().unwrap();
    let path = write(work.path(), "fortigate.log", &lines);
    let list = read_blocklist("test-list", "morrishittu.ddns.net\n195.8.215.136\n");
    let (input, findings) = hunt(&path, Intel { lists: vec![list] });
    assert_eq!(input.files[0].format, "fortigate");
    assert!(input.events.total() > 0, "its logons are still events");
    let mut got: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.rule_id.starts_with("net."))
        .map(|f| {
            (
                f.rule_id.clone(),
                f.evidence.entities().host.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "net.blocklisted-domain".to_owned(),
                "10.1.100.11".to_owned()
            ),
            ("net.blocklisted-ip".to_owned(), "10.1.100.22".to_owned()),
        ]
    );
}

#[test]
fn rtx_inspection_logs_by_syslog_show_a_beacon_and_a_listed_address() {
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
    let start = jiff::civil::date(2026, 12, 5)
        .at(9, 0, 0, 0)
        .to_zoned(zone)
        .unwrap();
    let mut text = String::new();
    for i in 0..48 {
        let t = start
            .checked_add(jiff::SignedDuration::from_secs(i * 600 + (i % 2) * 30))
            .unwrap();
        let stamp = t.strftime("%b %e %H:%M:%S");
        text.push_str(&format!("{stamp} 192.168.100.1 [INSPECT] LAN2[out][101098] TCP 192.168.100.23:{} > 203.0.113.50:443 ({})\n", 50000 + i, t.strftime("%Y/%m/%d %H:%M:%S")));
        if i == 7 {
            text.push_str(&format!("{stamp} 192.168.100.1 PP[01] Rejected at IN(2000) filter: TCP 198.51.100.66:40404 > 192.168.100.1:23\n"));
        }
    }
    let work = tempfile::tempdir().unwrap();
    let path = write(work.path(), "rtx.log", &text);
    let list = read_blocklist("scanners", "198.51.100.66\n");
    let (input, findings) = hunt(&path, Intel { lists: vec![list] });
    assert_eq!(input.files[0].format, "syslog");
    let mut rules: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        ["net.beaconing", "net.blocklisted-ip"],
        "{findings:#?}"
    );
    let beacon = findings
        .iter()
        .find(|f| f.rule_id == "net.beaconing")
        .unwrap();
    assert_eq!(beacon.evidence.facts["interval_minutes"], 10);
    let listed = findings
        .iter()
        .find(|f| f.rule_id == "net.blocklisted-ip")
        .unwrap();
    assert!(
        listed.message.ja.contains("このサーバーに"),
        "{}",
        listed.message.ja
    );
}
