//! The `mamori` binary end to end: the demo hospital, a real SQLite file in a temporary
//! folder, exit codes, and every output format.

use serde_json::Value;

mod support;

use support::{AS_OF, Env, demo_dir};

fn rule_ids(json: &Value) -> Vec<String> {
    let mut ids: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The demo has logs, configurations, vulnerability data and every table: nothing unchecked.
#[test]
fn demo_hospital_leaves_nothing_unchecked() {
    let env = Env::new();
    let (json, _) = env.assess_json(&demo_dir(), &["--no-store"]);
    assert_eq!(json["not_checked"], serde_json::json!([]));
}

/// Every rule of `mamori rules` but the log detections, the holiday rules (they fire only around
/// the year-end closure: tests/checklist.rs) and the backup scan rules (they need a scanned
/// destination: tests/backup.rs).
fn site_checks_the_demo_can_fire(env: &Env) -> Vec<String> {
    let rules: Vec<String> = String::from_utf8(env.run(&["rules"]).stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(String::from))
        .collect();
    assert_eq!(
        rules.len(),
        87,
        "65 site checks (11 of them Active Directory), 11 log detections, 4 traffic detections and 7 mail rules"
    );
    let scan_rules = [
        "backup.encrypted-suspect",
        "backup.ransom-note",
        "backup.mass-change",
    ];
    rules
        .into_iter()
        .filter(|r| {
            !r.starts_with("log.")
                && !r.starts_with("net.")
                && !r.starts_with("ad.")
                && !r.starts_with("mail.")
                && !r.starts_with("holiday.")
                && !scan_rules.contains(&r.as_str())
        })
        .collect()
}

#[test]
fn demo_hospital_fires_every_check_and_reads_every_table() {
    let env = Env::new();
    let (json, out) = env.assess_json(&demo_dir(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json["schema"], "mamori.assess/1");
    assert_eq!(json["site"]["name"], "さくら台総合病院");

    let fired = rule_ids(&json);
    for rule in site_checks_the_demo_can_fire(&env) {
        assert!(
            fired.contains(&rule),
            "site check {rule} does not fire on the demo"
        );
    }
    // The FortiGate backup: evidence quotes its lines, and no secret from it reaches the report.
    let text = json.to_string();
    assert!(!text.contains("DEMOONLY"), "an ENC value leaked");
    assert!(
        text.contains("\"excerpt\":\"set allowaccess ping https ssh fgfm\""),
        "gateway.admin-exposed quotes the allowaccess line"
    );
    // The demo's logs tell the New Year story: spray, success with the leaver's VPN account,
    // a new FortiGate administrator the next night.
    for rule in [
        "log.password-spray",
        "log.success-after-failures",
        "log.off-hours-logon",
        "log.account-created",
    ] {
        assert!(
            fired.contains(&rule.to_owned()),
            "{rule} does not fire on the demo logs"
        );
    }
    let intrusion = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule_id"] == "log.success-after-failures"
                && f["evidence"]["facts"]["account"] == "vpn-abe.y"
        })
        .unwrap();
    let leaver_vpn = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "account.leaver-enabled" && f["severity"] == "critical")
        .unwrap();
    assert_eq!(
        intrusion["evidence"]["facts"]["site_accounts"][0], leaver_vpn["subject"]["key"],
        "the intrusion used the leaver's still-enabled VPN account"
    );
    assert_eq!(
        intrusion["evidence"]["sources"][0]["file"],
        "logs/fortigate-fw01.log"
    );

    let encodings: Vec<(&str, &str)> = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["file"].as_str().unwrap(), i["encoding"].as_str().unwrap()))
        .collect();
    assert!(encodings.contains(&("assets.xlsx", "XLSX")));
    assert!(encodings.contains(&("accounts.csv", "CP932")));
    assert_eq!(json["errors"].as_array().unwrap().len(), 0);

    // The attack paths of the notices rank highest.
    let critical: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "critical")
        .map(|f| f["subject"]["key"].as_str().unwrap())
        .collect();
    assert!(
        critical.contains(&"C02"),
        "catering vendor's open VPN: {critical:?}"
    );
    assert!(critical.contains(&"FW-01/admin"), "{critical:?}");
    // Most of the hospital is in order: findings concern a minority of its 60 assets.
    let asset_subjects: std::collections::HashSet<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"]["kind"] == "asset" && f["severity"] != "info")
        // Gateway findings name a part of the device (`FW-01#wan1`), KEV findings the flaw
        // (`FW-01 CVE-2024-21762`).
        .map(|f| {
            f["subject"]["key"]
                .as_str()
                .unwrap()
                .split(['#', ' '])
                .next()
                .unwrap()
        })
        .collect();
    assert!(asset_subjects.len() < 15, "{asset_subjects:?}");
    // Every finding cites where it came from, except a missing contact role (nothing to cite).
    for f in json["findings"].as_array().unwrap() {
        // A stale feed cites the whole file.
        if f["rule_id"] == "vuln.feed-stale" {
            assert!(
                f["evidence"]["sources"][0]["file"].as_str().is_some(),
                "{f}"
            );
        } else if f["rule_id"] != "contact.missing-role" {
            assert!(
                f["evidence"]["sources"][0]["line"].as_u64().is_some(),
                "{f}"
            );
        }
        assert!(!f["measures"].as_array().unwrap().is_empty());
    }
}

#[test]
fn second_run_marks_new_and_resolved_and_keeps_first_seen() {
    let env = Env::new();
    let site = env.demo_copy();
    let (first, _) = env.assess_json(&site, &[]);
    let total = first["summary"]["total"].as_u64().unwrap();
    assert_eq!(first["summary"]["new"], total);
    assert!(first["run"]["previous_run_id"].is_null());

    let (same, _) = env.assess_json(&site, &[]);
    assert_eq!(same["summary"]["new"], 0);
    assert_eq!(same["summary"]["resolved"], 0);
    assert_eq!(same["run"]["previous_run_id"], first["run"]["id"]);
    assert_eq!(
        same["findings"][0]["first_seen"],
        first["findings"][0]["first_seen"]
    );

    // The phone list is lost: its unverified entry is resolved, every role is now missing.
    std::fs::remove_file(site.join("contacts.csv")).unwrap();
    let (after, _) = env.assess_json(&site, &[]);
    let resolved: Vec<&str> = after["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(resolved.contains(&"contact.unverified"), "{resolved:?}");
    let new: Vec<&str> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["new"] == true)
        .map(|f| f["subject"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["mhlw", "police", "vendor"]);

    let text = env.run(&["assess", site.to_str().unwrap(), "--as-of", AS_OF]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("前回（"), "{text}");
    assert!(text.contains("新規 0・解消 0）"), "{text}");
}

#[test]
fn fail_on_sets_exit_code_one() {
    let env = Env::new();
    let site = demo_dir();
    let site = site.to_str().unwrap();
    let code = |extra: &[&str]| {
        let mut args = vec!["assess", site, "--as-of", AS_OF, "--no-store"];
        args.extend_from_slice(extra);
        env.run(&args).status.code()
    };
    assert_eq!(code(&[]), Some(0));
    assert_eq!(code(&["--fail-on", "critical"]), Some(1));
    assert_eq!(code(&["--fail-on", "高"]), Some(1));
    assert!(
        !env.db().exists(),
        "--no-store must not create the database"
    );
}

#[test]
fn bad_input_exits_two_names_the_cell_and_is_not_recorded() {
    let env = Env::new();
    let site = env.demo_copy();
    std::fs::write(
        site.join("vendors.csv"),
        "id,事業者名,守秘義務契約,事業者確認用回収日\nV01,ミドリ医療システム株式会社,有,2026/13/01\nV02,北斗,たぶん,\n",
    )
    .unwrap();
    let (json, out) = env.assess_json(&site, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("vendors.csv 2行目 [事業者確認用回収日] 「2026/13/01」"),
        "{stderr}"
    );
    assert!(
        stderr.contains("vendors.csv 3行目 [守秘義務契約] 「たぶん」"),
        "{stderr}"
    );
    let errors = json["errors"].as_array().unwrap();
    let in_vendors = errors.iter().filter(|e| e["file"] == "vendors.csv").count();
    assert_eq!(in_vendors, 2, "{errors:?}");
    // checklist.toml names V01 and V02, whose rows were rejected: said too, by line.
    assert!(
        errors
            .iter()
            .all(|e| e["file"] == "vendors.csv" || e["file"] == "checklist.toml"),
        "{errors:?}"
    );
    assert!(json["run"].is_null(), "an incomplete run is not recorded");
    // The other tables were still read and checked.
    assert!(json["summary"]["total"].as_u64().unwrap() > 10);

    let missing = env.run(&["assess", "/nonexistent/site"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("サイトフォルダが見つかりません"));
}

#[test]
fn english_markdown_and_html_outputs() {
    let env = Env::new();
    let site = demo_dir();
    let site = site.to_str().unwrap();
    let en = env.run(&[
        "--lang",
        "en",
        "assess",
        site,
        "--as-of",
        AS_OF,
        "--no-store",
    ]);
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(
        en.starts_with("mamori assessment — さくら台総合病院（hospital）"),
        "{en}"
    );
    assert!(en.contains("Summary: critical 14"), "{en}");
    assert!(
        !en.contains('\x1b'),
        "no colour codes when stdout is not a terminal"
    );

    let md = env.run(&[
        "assess",
        site,
        "--as-of",
        AS_OF,
        "--no-store",
        "--format",
        "md",
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("| 緊急 | 14 |"), "{md}");

    let out = env.dir.path().join("report.html");
    let run = env.run(&[
        "assess",
        site,
        "--as-of",
        AS_OF,
        "--no-store",
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("さくら台総合病院"));
    assert!(String::from_utf8_lossy(&run.stderr).contains("report.html"));
}

#[test]
fn hunt_reports_findings_files_and_writes_an_excel_timeline() {
    let env = Env::new();
    let logs = env.dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let mut auth = String::new();
    for i in 0..12 {
        auth.push_str(&format!(
            "Jan  2 03:00:{i:02} vpn-gw sshd[{}]: Failed password for invalid user admin{i} from 203.0.113.9 port 4{i:03} ssh2\n",
            100 + i
        ));
    }
    auth.push_str("Jan  2 03:01:00 vpn-gw sshd[7]: Accepted password for admin3 from 203.0.113.9 port 5000 ssh2\n");
    std::fs::write(logs.join("auth.log"), &auth).unwrap();
    std::fs::write(logs.join("notes.txt"), "not a log\n").unwrap();

    let timeline = env.dir.path().join("timeline.csv");
    let out = env.run(&[
        "hunt",
        logs.to_str().unwrap(),
        "--as-of",
        "2027-01-05",
        "--format",
        "json",
        "--timeline",
        timeline.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    for expected in [
        "log.bruteforce",
        "log.password-spray",
        "log.success-after-failures",
        "log.off-hours-logon",
    ] {
        assert!(
            rules.contains(&expected),
            "{expected} missing from {rules:?}"
        );
    }
    let success = findings
        .iter()
        .find(|f| f["rule_id"] == "log.success-after-failures")
        .unwrap();
    assert_eq!(success["severity"], "critical");
    assert_eq!(success["evidence"]["facts"]["failures_before"], 12);

    let csv = std::fs::read(&timeline).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFtime_jst,time_utc,kind"),
        "UTF-8 BOM for Excel"
    );
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.lines().count(), 14);
    assert!(
        text.contains(
            "2027-01-02 03:00:00,2027-01-01T18:00:00Z,logon,failure,ssh,vpn-gw,203.0.113.9"
        ),
        "{text}"
    );

    let table = env.run(&["hunt", logs.to_str().unwrap(), "--as-of", "2027-01-05"]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("ログの形式を判別できません"), "{table}");
    assert!(table.contains("log.success-after-failures"));
}

#[test]
fn gateway_audit_reads_configs_quotes_lines_and_skips_what_it_cannot_read() {
    let env = Env::new();
    let configs = demo_dir().join("configs");
    let memo = env.dir.path().join("memo.txt");
    std::fs::write(&memo, "これは設定ファイルではありません\n").unwrap();
    let (configs, memo) = (configs.to_str().unwrap(), memo.to_str().unwrap());

    let table = env.run(&["gateway", "audit", configs, memo]);
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.starts_with("FW-01  FortiGate FG100F  7.0.9 build0444"),
        "{text}"
    );
    assert!(text.contains("インターネット側: wan1"), "{text}");
    assert!(text.contains("gateway.admin-exposed"));
    assert!(
        text.contains("│ 15: set allowaccess ping https ssh fgfm"),
        "{text}"
    );
    assert!(text.contains("set password ********"));
    assert!(!text.contains("DEMOONLY"), "a secret leaked: {text}");
    assert!(text.contains(
        "memo.txt  FortiGate・Cisco ASA・YAMAHA RTX・Palo Alto の設定ファイルではないようです"
    ));

    let json = env.run(&["gateway", "audit", configs, "--format", "json"]);
    let rules: Vec<String> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["rule_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(rules.iter().all(|r| r.starts_with("gateway.")), "{rules:?}");
    // FW-01: every gateway rule once, but five VPN principals: four password-only users (the
    // leaver and the catering vendor among them) and the LDAP server whose MFA is unknown.
    // RT-02 (YAMAHA RTX): the GUI through a pass-all filter list, login and administrator
    // with passwords alone, the built-in administrator, no syslog host.
    assert_eq!(rules.len(), 14 + 5, "{rules:?}");
    assert_eq!(
        rules
            .iter()
            .filter(|r| *r == "gateway.vpn-user-no-mfa")
            .count(),
        5
    );

    let fail = env.run(&["gateway", "audit", configs, "--fail-on", "critical"]);
    assert_eq!(fail.status.code(), Some(1));
    let nothing = env.run(&["gateway", "audit", memo]);
    assert_eq!(
        nothing.status.code(),
        Some(2),
        "no configuration could be read"
    );
}

#[test]
fn vuln_import_is_idempotent_status_reports_and_assess_uses_the_store() {
    let (Some(kev), Some(edge)) = (
        mamori_testing::shared("feeds/kev"),
        mamori_testing::shared("feeds/nvd/edge"),
    ) else {
        return;
    };
    let env = Env::new();
    let broken = env.dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"vulnerabilities": [{"cve": {"id": "CVE-1"#).unwrap();
    let (kev, edge) = (kev.to_str().unwrap(), edge.to_str().unwrap());
    let first = env.run(&["vuln", "import", kev, edge, broken.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&first.stderr);
    // The broken file is reported by name and fails the command; the others are in.
    assert_eq!(first.status.code(), Some(2), "{err}");
    assert!(err.contains("broken.json"), "{err}");
    assert!(err.contains("追加 1276"), "{err}");
    let again = env.run(&["vuln", "import", kev]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{err}");
    assert!(err.contains("追加 0・更新 0・変化なし 1276"), "{err}");

    let status = env.run(&["vuln", "status", "--format", "json", "--as-of", AS_OF]);
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["counts"]["kev"], 1276);
    assert_eq!(
        status["counts"]["cves"],
        22 - 1,
        "one record in two versions"
    );
    let kev_row = status["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "kev")
        .unwrap();
    assert_eq!(kev_row["age_days"], 638);

    // A copy of the demo without its own feeds/: the database alone drives vuln.*.
    let site = env.demo_copy();
    std::fs::remove_dir_all(site.join("feeds")).unwrap();
    let (json, out) = env.assess_json(&site, &["--no-store"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("KEV 1276"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let keys: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "vuln.known-exploited")
        .map(|f| f["subject"]["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"FW-01 CVE-2024-21762"), "{keys:?}");
    // The stored KEV snapshot is from 2025-02-21: stale.
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "vuln.feed-stale" && f["subject"]["key"] == "feed:kev")
    );
}

/// The evaluation day and the failure threshold may be written in Japanese; a day that is no
/// date is refused by the argument parser (clap's own debug checks run in this debug build).
#[test]
fn as_of_and_fail_on_accept_japanese() {
    let env = Env::new();
    let demo = demo_dir();
    let site = demo.to_str().unwrap();
    let out = env.run(&[
        "assess",
        site,
        "--as-of",
        "令和8年11月21日",
        "--fail-on",
        "高",
        "--no-store",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "high findings with --fail-on 高"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["as_of"], "2026-11-21");
    let bad = env.run(&["assess", site, "--as-of", "tomorrow"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("日付として読めません"));
}
