//! Detections on the real logs in `../shared/data` (see its SOURCES.md). Expected values are
//! computed here from the raw records — read with the `evtx` crate directly, or by scanning
//! the text — never copied from a description.
//!
//! When the data is absent the tests say so and pass; with `CI=true` they fail instead.

// The skip message must be visible: it is printed on purpose.
#![allow(clippy::print_stderr)]

use std::collections::HashSet;
use std::path::PathBuf;

use mamori_hunt::{HuntConfig, ReadOptions, TimeContext, detect, read_inputs};
use mamori_model::event::{EventKind, Outcome};
use mamori_model::{Finding, Severity};
use serde_json::Value;

use mamori_testing::shared;

fn tc() -> TimeContext {
    TimeContext {
        zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
        reference: jiff::civil::date(2026, 11, 21),
    }
}

fn opts() -> ReadOptions {
    ReadOptions::new(tc())
}

fn findings(path: &PathBuf, cfg: &HuntConfig) -> Vec<Finding> {
    detect(
        read_inputs(std::slice::from_ref(path), &opts())
            .events
            .groups(),
        cfg,
    )
}

fn of_rule<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|f| f.rule_id == rule).collect()
}

/// Raw records of an EVTX file as the `evtx` crate renders them (`Event` objects).
fn raw_events(path: &PathBuf) -> Vec<Value> {
    let mut parser = evtx::EvtxParser::from_path(path).unwrap();
    parser
        .records_json_value()
        .filter_map(Result::ok)
        .filter_map(|r| r.data.get("Event").cloned())
        .collect()
}

fn event_id(e: &Value) -> u64 {
    let id = &e["System"]["EventID"];
    id.as_u64().or_else(|| id["#text"].as_u64()).unwrap_or(0)
}

fn time_created(e: &Value) -> String {
    e["System"]["TimeCreated"]["#attributes"]["SystemTime"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn local_bruteforce_without_source_address() {
    let Some(path) =
        shared("evtx/evtx-to-mitre-attack/ID4776_4625-AccountRestore_local_bruteforce.evtx")
    else {
        return;
    };
    let expected = raw_events(&path)
        .iter()
        .filter(|e| event_id(e) == 4625)
        .count() as u64;
    assert!(expected >= 10);
    let f = findings(&path, &HuntConfig::default());
    let brute = of_rule(&f, "log.bruteforce");
    assert_eq!(brute.len(), 1, "{f:#?}");
    assert_eq!(brute[0].evidence.count, Some(expected));
}

#[test]
fn kerberos_bruteforce_from_ipv4_mapped_address() {
    let Some(path) =
        shared("evtx/evtx-to-mitre-attack/ID4771-Kerberos_brutforce_with_valid_user.evtx")
    else {
        return;
    };
    let raw = raw_events(&path);
    let failures: Vec<&Value> = raw.iter().filter(|e| event_id(e) == 4771).collect();
    let ip = failures[0]["EventData"]["IpAddress"].as_str().unwrap();
    let folded = ip.trim_start_matches("::ffff:");
    let f = findings(&path, &HuntConfig::default());
    let brute = of_rule(&f, "log.bruteforce");
    assert_eq!(brute.len(), 1);
    assert_eq!(brute[0].subject.key, folded);
    assert_eq!(brute[0].evidence.count, Some(failures.len() as u64));
    // One account only: a brute force, not a spray.
    assert!(of_rule(&f, "log.password-spray").is_empty());
}

#[test]
fn password_spray_by_explicit_credentials() {
    let Some(path) = shared("evtx/deepbluecli/password-spray.evtx") else {
        return;
    };
    let raw = raw_events(&path);
    let targets: HashSet<String> = raw
        .iter()
        .filter(|e| event_id(e) == 4648)
        .filter_map(|e| {
            e["EventData"]["TargetUserName"]
                .as_str()
                .map(str::to_lowercase)
        })
        .collect();
    let f = findings(&path, &HuntConfig::default());
    let spray = of_rule(&f, "log.password-spray");
    assert_eq!(spray.len(), 1, "{f:#?}");
    assert_eq!(spray[0].evidence.facts["distinct_accounts"], targets.len());
    // The same file starts by clearing the Security log.
    assert_eq!(of_rule(&f, "log.audit-log-cleared").len(), 1);
}

#[test]
fn new_user_and_admin_group() {
    let Some(path) = shared("evtx/deepbluecli/new-user-security.evtx") else {
        return;
    };
    let raw = raw_events(&path);
    let admin_adds = raw
        .iter()
        .filter(|e| event_id(e) == 4732 && e["EventData"]["TargetSid"] == "S-1-5-32-544")
        .count();
    let f = findings(&path, &HuntConfig::default());
    let created = of_rule(&f, "log.account-created");
    assert_eq!(created.len(), 1);
    let name =
        raw.iter().find(|e| event_id(e) == 4720).unwrap()["EventData"]["TargetUserName"].clone();
    assert_eq!(
        created[0].evidence.entities().account.as_deref(),
        name.as_str()
    );
    assert_eq!(of_rule(&f, "log.admin-group-added").len(), admin_adds);
}

#[test]
fn log_clearing_uses_the_events_own_time() {
    for rel in [
        "evtx/evtx-attack-samples/DE_104_system_log_cleared.evtx",
        "evtx/evtx-attack-samples/DE_1102_security_log_cleared.evtx",
    ] {
        let Some(path) = shared(rel) else { return };
        let raw = raw_events(&path);
        let cleared = raw
            .iter()
            .find(|e| matches!(event_id(e), 104 | 1102))
            .unwrap();
        let expected: jiff::Timestamp = time_created(cleared).parse().unwrap();
        let f = findings(&path, &HuntConfig::default());
        let hits = of_rule(&f, "log.audit-log-cleared");
        assert_eq!(hits.len(), 1, "{rel}");
        assert_eq!(hits[0].evidence.first_seen, Some(expected), "{rel}");
    }
}

#[test]
fn benign_system_log_gives_nothing_at_or_above_medium() {
    let Some(path) = shared("evtx/plaso/System.evtx") else {
        return;
    };
    let records = raw_events(&path).len() as u64;
    let input = read_inputs(std::slice::from_ref(&path), &opts());
    assert_eq!(input.files[0].records, records);
    assert!(input.files[0].skipped.is_empty());
    let f = detect(input.events.groups(), &HuntConfig::default());
    let serious: Vec<_> = f
        .iter()
        .filter(|f| f.severity >= Severity::Medium)
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    // Its service installs are reported, at low severity.
    let installs = raw_events(&path)
        .iter()
        .filter(|e| event_id(e) == 7045)
        .count();
    let reported: u64 = of_rule(&f, "log.service-installed")
        .iter()
        .map(|f| f.evidence.count.unwrap())
        .sum();
    assert_eq!(reported as usize, installs);
}

#[test]
fn mssql_application_channel_is_not_a_windows_logon() {
    let Some(path) =
        shared("evtx/evtx-attack-samples/MSSQL_multiple_failed_logon_EventID_18456.evtx")
    else {
        return;
    };
    let input = read_inputs(std::slice::from_ref(&path), &opts());
    assert!(input.files[0].records > 0);
    assert!(
        input.events.iter().all(|e| e.kind != EventKind::Logon),
        "{:?}",
        input.events
    );
}

#[test]
fn success_after_failures_follows_the_data_order() {
    // In this sample the successful 4624 precedes the 4625 failures (by record id and by
    // TimeCreated), so no success-after-failures may be reported for it.
    let Some(path) =
        shared("evtx/evtx-to-mitre-attack/ID4625-OpenSSH_brutforce_with_valid_users.evtx")
    else {
        return;
    };
    let raw = raw_events(&path);
    let first_failure = raw
        .iter()
        .filter(|e| event_id(e) == 4625)
        .map(time_created)
        .min()
        .unwrap();
    let network_success = raw
        .iter()
        .filter(|e| event_id(e) == 4624 && e["EventData"]["LogonType"] == 3)
        .map(time_created)
        .max()
        .unwrap();
    assert!(network_success < first_failure);
    let f = findings(&path, &HuntConfig::default());
    assert!(
        of_rule(&f, "log.success-after-failures").is_empty(),
        "{f:#?}"
    );

    // Here a failed interactive logon is followed by a successful one of the same account.
    let Some(path) =
        shared("evtx/evtx-attack-samples/CA_4624_4625_LogonType2_LogonProc_chrome.evtx")
    else {
        return;
    };
    let cfg = HuntConfig {
        success_after_failures: 1,
        ..HuntConfig::default()
    };
    let f = findings(&path, &cfg);
    let hits = of_rule(&f, "log.success-after-failures");
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert_eq!(hits[0].severity, Severity::Critical);
    assert_eq!(
        hits[0].evidence.entities().account.as_deref(),
        Some("IEUser")
    );
}

#[test]
fn openssh_text_inside_evtx_is_read() {
    let Some(path) =
        shared("evtx/evtx-to-mitre-attack/ID4-OpenSSH_brutforce_with_valid_users.evtx")
    else {
        return;
    };
    let raw = raw_events(&path);
    let failed = raw
        .iter()
        .filter(|e| {
            e["EventData"]["payload"]
                .as_str()
                .is_some_and(|p| p.starts_with("Failed password"))
        })
        .count();
    let input = read_inputs(std::slice::from_ref(&path), &opts());
    let failures: Vec<_> = input
        .events
        .iter()
        .filter(|e| e.outcome == Outcome::Failure)
        .collect();
    assert_eq!(failures.iter().map(|e| e.count).sum::<u64>(), failed as u64);
    assert!(failures.iter().all(|e| e.source_ip.is_some()));
}

#[test]
fn loghub_openssh_bruteforce_count() {
    let Some(path) = shared("syslog/loghub/OpenSSH_2k.log") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let ip = "183.62.140.253";
    let failed_passwords = text
        .lines()
        .filter(|l| l.contains("Failed password") && l.contains(&format!("from {ip} ")))
        .count() as u64;
    let invalid_users = text
        .lines()
        .filter(|l| l.contains(": Invalid user ") && l.contains(&format!("from {ip}")))
        .count() as u64;
    let f = findings(&path, &HuntConfig::default());
    let brute: Vec<_> = of_rule(&f, "log.bruteforce")
        .into_iter()
        .filter(|f| f.subject.key == ip)
        .collect();
    assert_eq!(brute.len(), 1);
    let by_reason = &brute[0].evidence.facts["by_reason"];
    let counted_passwords: u64 = by_reason
        .as_object()
        .unwrap()
        .iter()
        .filter(|(reason, _)| reason.starts_with("failed password"))
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    assert_eq!(counted_passwords, failed_passwords);
    assert_eq!(
        brute[0].evidence.count,
        Some(failed_passwords + invalid_users)
    );
}

#[test]
fn truncated_and_corrupt_evtx_never_stop_the_other_files() {
    let Some(path) = shared("evtx/deepbluecli/password-spray.evtx") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Cut inside the first chunk, and flip bytes in the middle of the records.
    std::fs::write(
        dir.path().join("a-truncated.evtx"),
        &bytes[..bytes.len() / 3],
    )
    .unwrap();
    let mut corrupt = bytes.clone();
    for b in corrupt[0x1000 + 600..0x1000 + 9000].iter_mut().step_by(7) {
        *b ^= 0xA5;
    }
    std::fs::write(dir.path().join("b-corrupt.evtx"), &corrupt).unwrap();
    std::fs::write(dir.path().join("c-header-only.evtx"), &bytes[..4096]).unwrap();
    std::fs::copy(&path, dir.path().join("d-intact.evtx")).unwrap();

    let input = read_inputs(&[dir.path().to_owned()], &opts());
    assert_eq!(input.files.len(), 4);
    let intact = &input.files[3];
    assert_eq!(intact.records, raw_events(&path).len() as u64);
    // A truncated file yields the records that survived, no more.
    assert!(input.files[0].records <= intact.records);
    // A corrupt chunk is skipped with its reason; the other chunks are still read.
    let corrupt = &input.files[1];
    assert!(
        corrupt
            .skipped
            .keys()
            .any(|r| r.starts_with("broken record")),
        "{corrupt:?}"
    );
    assert!(
        corrupt.events > 0 && corrupt.events < intact.events,
        "{corrupt:?}"
    );
    // A header without chunks is an empty log, not an error.
    assert_eq!(
        (input.files[2].records, input.files[2].error.is_none()),
        (0, true)
    );
}

/// `log N pass = …` lines of one `[section]` of a Wazuh ruleset test file.
fn wazuh_section(text: &str, section: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('[') {
            inside = line.trim() == format!("[{section}]");
        } else if inside
            && let Some((head, raw)) = line.split_once(" = ")
            && head.starts_with("log ")
            && head.ends_with(" pass")
        {
            lines.push(raw.to_owned());
        }
    }
    lines
}

#[test]
fn fortigate_logins_from_wazuh_tests() {
    let Some(path) = shared("vendor/wazuh-ruleset-tests/fortigate.ini") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let read = |lines: &[String]| {
        mamori_hunt::read_log_bytes("fortigate.log", lines.join("\n").as_bytes(), &tc()).1
    };
    for section in [
        "Fortigate: Login failed.",
        "Fortigate: SSL VPN user failed login attempt.",
    ] {
        let lines = wazuh_section(&text, section);
        assert!(!lines.is_empty(), "{section}");
        let events = read(&lines);
        assert_eq!(events.total(), lines.len() as u64, "{section}");
        assert!(
            events
                .iter()
                .all(|e| e.kind == EventKind::Logon && e.outcome == Outcome::Failure)
        );
        assert!(
            events
                .iter()
                .all(|e| e.source_ip.is_some() && !e.user.is_empty()),
            "{events:#?}"
        );
    }
    let success: Vec<String> = text
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(_, raw)| raw.to_owned()))
        .filter(|raw| raw.contains("logdesc=\"Admin login successful\""))
        .collect();
    let events = read(&success);
    assert_eq!(events.total(), success.len() as u64);
    assert!(events.iter().all(|e| e.outcome == Outcome::Success));
}

#[test]
fn cisco_asa_authentication_from_wazuh_tests() {
    let Some(path) = shared("vendor/wazuh-ruleset-tests/cisco_asa.ini") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let read = |lines: &[String]| {
        mamori_hunt::read_log_bytes("asa.log", lines.join("\n").as_bytes(), &tc()).1
    };
    for (section, outcome) in [
        ("cisco asa: Failed login attempt", Outcome::Failure),
        ("cisco asa: Successful login", Outcome::Success),
        (
            "cisco asa: AAA (VPN) authentication failed",
            Outcome::Failure,
        ),
        (
            "cisco asa: AAA (VPN) authentication successful",
            Outcome::Success,
        ),
    ] {
        let lines = wazuh_section(&text, section);
        assert!(!lines.is_empty(), "{section}");
        let events = read(&lines);
        assert_eq!(events.total(), lines.len() as u64, "{section}: {events:#?}");
        assert!(
            events
                .iter()
                .all(|e| e.kind == EventKind::Logon && e.outcome == outcome),
            "{section}"
        );
        assert!(
            events.iter().all(|e| !e.user.is_empty()),
            "{section}: {events:#?}"
        );
    }
    let created = read(&wazuh_section(
        &text,
        "cisco asa: User created or modified on the Firewall",
    ));
    assert_eq!(
        created
            .iter()
            .filter(|e| e.kind == EventKind::AccountCreated)
            .count(),
        1,
        "502101 only, not 502102"
    );
    // Connection and failover messages are not authentication events.
    let noise = read(&wazuh_section(
        &text,
        "cisco asa: Connection limit exceeded",
    ));
    assert!(noise.is_empty());
}

#[test]
fn windows_events_as_json_lines() {
    // Chainsaw's expected JSONL output of `search 4624` over its security_sample.evtx.
    let Some(jsonl) = shared("evtx/chainsaw/clo_search_q_jsonl_simple_string.txt") else {
        return;
    };
    let Some(evtx) = shared("evtx/chainsaw/security_sample.evtx") else {
        return;
    };
    let expected: Vec<u64> = raw_events(&evtx)
        .iter()
        .filter(|e| event_id(e) == 4624)
        .filter_map(|e| e["System"]["EventRecordID"].as_u64())
        .collect();
    let input = read_inputs(std::slice::from_ref(&jsonl), &opts());
    assert_eq!(input.files[0].format, "windows-json");
    // Every 4624 is read; identical ones within a minute are folded, the first representing
    // them, so the representatives' ids are the expected ids in order with some left out.
    assert_eq!(input.events.total(), expected.len() as u64);
    let ids: Vec<u64> = input
        .events
        .iter()
        .filter_map(|e| e.origin.record_id)
        .collect();
    let mut rest = expected.iter();
    assert!(ids.iter().all(|id| rest.any(|e| e == id)), "{ids:?}");
    assert!(
        input
            .events
            .iter()
            .all(|e| e.kind == EventKind::Logon && e.outcome == Outcome::Success)
    );
    assert!(input.events.iter().all(|e| e.time.is_some()));
}

#[test]
fn xml_exports_give_the_same_events_as_the_evtx_files() {
    // The evtx crate renders each record as Event XML, as wevtutil would export it; both paths
    // must yield the same normalised events.
    for rel in [
        "evtx/deepbluecli/new-user-security.evtx",
        "evtx/evtx-to-mitre-attack/ID4771-Kerberos_brutforce_with_valid_user.evtx",
        "evtx/evtx-attack-samples/DE_104_system_log_cleared.evtx",
        "evtx/evtx-attack-samples/DE_RDP_Tunneling_TerminalServices-RemoteConnectionManagerOperational_1149.evtx",
    ] {
        let Some(path) = shared(rel) else { return };
        let mut parser = evtx::EvtxParser::from_path(&path).unwrap();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n");
        for record in parser.records().filter_map(Result::ok) {
            let body = record.data.trim_start();
            let body = body
                .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .unwrap_or(body);
            xml.push_str(body);
            xml.push('\n');
        }
        xml.push_str("</Events>\n");
        let from_xml = mamori_hunt::read_log_bytes("export.xml", xml.as_bytes(), &tc()).1;
        let from_evtx = read_inputs(std::slice::from_ref(&path), &opts()).events;
        assert!(!from_evtx.is_empty(), "{rel}");
        let key = |e: &mamori_hunt::Repeated| {
            (
                e.origin.record_id,
                e.kind,
                e.outcome,
                e.user.clone(),
                e.source_key(),
                e.time,
                e.object.clone(),
                e.count,
            )
        };
        let a: Vec<_> = from_xml.iter().map(key).collect();
        let b: Vec<_> = from_evtx.iter().map(key).collect();
        assert_eq!(a, b, "{rel}");
    }
}

/// Failures (attempts, by line) and the first failure's (local time, source) per line, read
/// through the timeline: folding would merge identical lines of the same minute.
fn failures_by_line(path: &PathBuf) -> std::collections::HashMap<u64, (u32, String, String)> {
    let opts = ReadOptions {
        timeline: true,
        ..opts()
    };
    let input = read_inputs(std::slice::from_ref(path), &opts);
    let mut rows = Vec::new();
    for mut part in input.timeline {
        use std::io::{Read, Seek};
        part.rewind().unwrap();
        part.read_to_end(&mut rows).unwrap();
    }
    let header = mamori_hunt::timeline::HEADER.trim_start_matches('\u{FEFF}');
    let text = format!("{header}{}", String::from_utf8(rows).unwrap());
    let mut by_line = std::collections::HashMap::new();
    for row in csv::Reader::from_reader(text.as_bytes()).deserialize() {
        let row: std::collections::HashMap<String, String> = row.unwrap();
        if row["kind"] != "logon" || row["outcome"] != "failure" {
            continue;
        }
        let line: u64 = row["line"].parse().unwrap();
        let source = if row["source_ip"].is_empty() {
            row["source_host"].clone()
        } else {
            row["source_ip"].clone()
        };
        let entry = by_line
            .entry(line)
            .or_insert((0, row["time_jst"].clone(), source));
        entry.0 += row["repeat"].parse::<u32>().unwrap();
    }
    by_line
}

#[test]
fn fail2ban_sshd_annotations_in_normal_mode() {
    // fail2ban's own test log for its sshd filter: each line is preceded by `# failJSON:`
    // saying whether it is a failure (and of which host, when). mamori follows the filter's
    // normal mode: blocks written for its ddos/extra/aggressive modes, and annotations
    // constrained to those modes, are left out.
    let Some(path) = shared("syslog/fail2ban/sshd") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let got = failures_by_line(&path);
    let mut normal_mode = true;
    let mut pending: Option<Value> = None;
    let (mut checked_true, mut checked_false) = (0, 0);
    for (idx, line) in text.lines().enumerate() {
        let line_no = idx as u64 + 1;
        if let Some(opts) = line.strip_prefix("# filterOptions:") {
            normal_mode = opts.contains("{}") || !opts.contains("\"mode\"");
            continue;
        }
        if let Some(json) = line.strip_prefix("# failJSON:") {
            pending = Some(serde_json::from_str(json).unwrap());
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some(ann) = pending.take() else { continue };
        let constraint = ann["constraint"].as_str().unwrap_or("");
        let other_mode = constraint.contains("mode') ==");
        if !normal_mode || other_mode {
            continue;
        }
        let found = got.get(&line_no);
        if ann["match"] == true {
            checked_true += 1;
            let (n, time, source) =
                found.unwrap_or_else(|| panic!("line {line_no} is a failure: {line}"));
            if ann.get("attempts").is_none() {
                assert_eq!(*n, 1, "line {line_no}: {line}");
            }
            if let Some(host) = ann["host"].as_str() {
                assert_eq!(source, host, "line {line_no}: {line}");
            }
            // Year-less lines: the civil time must match (fail2ban's year is its own).
            if let Some(t) = ann["time"].as_str()
                && !line.starts_with('<')
                && !line.starts_with("20")
            {
                assert_eq!(
                    &time[5..],
                    &t[5..].replace('T', " "),
                    "line {line_no}: {line}"
                );
            }
        } else {
            checked_false += 1;
            assert!(found.is_none(), "line {line_no} is not a failure: {line}");
        }
    }
    eprintln!(
        "fail2ban sshd: {checked_true} failure lines and {checked_false} non-failure lines checked"
    );
    assert!(checked_true > 40 && checked_false > 20);
}

/// The shared OpenSSH log's own lines, replayed: a brute force from one address on 12/9, and
/// 22 hours later a success from it (the real "Accepted password" line, moved). Linked within
/// 14 days, with how long after; not linked with a 0-day link window; not linked when the
/// success comes from elsewhere.
#[test]
fn a_success_days_after_a_brute_force_from_that_address_is_linked() {
    let Some(path) = shared("syslog/loghub/OpenSSH_2k.log") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let failed = text
        .lines()
        .find(|l| l.contains("Failed password for root from 5.36.59.76"))
        .unwrap();
    let accepted = text
        .lines()
        .find(|l| l.contains("Accepted password for fztu from 119.137.62.142"))
        .unwrap();
    let at = |line: &str, stamp: &str| format!("{stamp}{}", &line[15..]);
    let mut lines: Vec<String> = (0..30)
        .map(|i| {
            at(
                failed,
                &format!("Dec  9 02:{:02}:{:02}", i / 6, (i % 6) * 10),
            )
        })
        .collect();
    let success = at(accepted, "Dec 10 00:30:00").replace("119.137.62.142", "5.36.59.76");
    lines.push(success.clone());
    let run = |lines: &[String], cfg: &HuntConfig| {
        let (_, events) =
            mamori_hunt::read_log_bytes("sshd.log", lines.join("\n").as_bytes(), &tc());
        detect(events.groups(), cfg)
    };
    let f = run(&lines, &HuntConfig::default());
    let hits = of_rule(&f, "log.success-after-failures");
    assert_eq!(hits.len(), 1, "{f:#?}");
    let facts = &hits[0].evidence.facts;
    assert_eq!(facts["linked_attack"], "brute force");
    assert_eq!(facts["hours_after"], 22);
    assert!(
        hits[0].message.ja.contains("22 時間後") && hits[0].message.ja.contains("fztu"),
        "{}",
        hits[0].message.ja
    );
    let no_link = HuntConfig {
        success_link: jiff::SignedDuration::ZERO,
        ..HuntConfig::default()
    };
    assert!(of_rule(&run(&lines, &no_link), "log.success-after-failures").is_empty());
    let elsewhere = lines.len() - 1;
    lines[elsewhere] = at(accepted, "Dec 10 00:30:00");
    assert!(
        of_rule(
            &run(&lines, &HuntConfig::default()),
            "log.success-after-failures"
        )
        .is_empty()
    );
}
