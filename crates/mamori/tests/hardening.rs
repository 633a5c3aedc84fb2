//! Incomplete input is never a clean run (issue 22): a damaged log or a CSV whose quote never
//! closes makes `assess` exit 2, keep the run out of the database, and so never report the
//! findings that came from the lost part as resolved — now or on the next run.

use serde_json::Value;

mod support;

use support::Env;

fn rules(json: &Value, key: &str) -> Vec<String> {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_truncated_evtx_never_resolves_its_finding() {
    let Some(evtx) =
        mamori_testing::shared("evtx/evtx-attack-samples/DE_1102_security_log_cleared.evtx")
    else {
        return;
    };
    let env = Env::new();
    let site = env.demo_copy();
    let target = site.join("logs/Security.evtx");
    let bytes = std::fs::read(&evtx).unwrap();
    std::fs::write(&target, &bytes).unwrap();
    let (first, out) = env.assess_json(&site, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(rules(&first, "findings").contains(&"log.audit-log-cleared".to_owned()));

    // One byte short: the cleared-log event is in the first chunk and still read, but the file
    // is incomplete. Bit-flipped: the event is gone. Neither run may call anything resolved.
    let mut flipped = bytes.clone();
    flipped[4096 + 700] ^= 0x04;
    for damaged in [&bytes[..bytes.len() - 1], &flipped[..]] {
        std::fs::write(&target, damaged).unwrap();
        let (json, out) = env.assess_json(&site, &[]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "a damaged log is not a clean run"
        );
        assert!(rules(&json, "resolved").is_empty(), "{}", json["resolved"]);
        assert!(json["run"].is_null(), "the run must not be recorded");
        let errors = json["errors"].to_string();
        assert!(errors.contains("logs/Security.evtx"), "{errors}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("logs/Security.evtx"), "{stderr}");
    }
    // The log removed for real: now it is resolved, against the first (recorded) run.
    std::fs::remove_file(&target).unwrap();
    let (json, out) = env.assess_json(&site, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(rules(&json, "resolved").contains(&"log.audit-log-cleared".to_owned()));
}

#[test]
fn an_unclosed_quote_keeps_every_vendor_and_stops_recording() {
    let env = Env::new();
    let site = env.demo_copy();
    let (_, out) = env.assess_json(&site, &[]);
    assert_eq!(out.status.code(), Some(0));
    let path = site.join("vendors.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let rows = text.lines().filter(|l| !l.trim().is_empty()).count() - 1;
    // A quote opened in the second row's name and never closed.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let (id, rest) = lines[2].split_once(',').unwrap();
    lines[2] = format!("{id},\"{rest}");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let (json, out) = env.assess_json(&site, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(rules(&json, "resolved").is_empty());
    let input = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == "vendors.csv")
        .unwrap();
    assert_eq!(input["rows_read"].as_u64().unwrap() as usize, rows);
    let errors = json["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["file"] == "vendors.csv" && e["line"] == 3),
        "{errors:?}"
    );
}

#[test]
fn hunt_exits_2_on_a_damaged_file_and_names_it() {
    let Some(evtx) = mamori_testing::shared("evtx/deepbluecli/new-user-security.evtx") else {
        return;
    };
    let env = Env::new();
    let bytes = std::fs::read(&evtx).unwrap();
    let short = env.dir.path().join("short.evtx");
    std::fs::write(&short, &bytes[..bytes.len() - 1]).unwrap();
    let out = env.run(&["hunt", short.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("末尾が欠けています"), "{stdout}");
    let out = env.run(&["hunt", evtx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_loops_fifos_and_repeats_change_nothing() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    let site = env.demo_copy();
    let (before, _) = env.assess_json(&site, &["--no-store"]);
    let logs = site.join("logs");
    symlink("/etc", logs.join("etc")).unwrap();
    symlink(&logs, logs.join("loop")).unwrap();
    symlink(logs.join("fortigate-fw01.log"), logs.join("again.log")).unwrap();
    let fifo = logs.join("pipe.log");
    mamori_testing::mkfifo(&fifo);
    let (after, out) = env.assess_json(&site, &["--no-store"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts = |json: &Value| -> Vec<(String, Value)> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_owned(),
                    f["evidence"]["count"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(counts(&before), counts(&after));
    let skipped = after["skipped"].to_string();
    for name in ["logs/etc", "logs/loop", "logs/again.log", "logs/pipe.log"] {
        assert!(skipped.contains(name), "{name} not listed: {skipped}");
    }
    assert!(!after.to_string().contains("shadow"));

    // The same file named twice is read once.
    let log = logs.join("fortigate-fw01.log");
    let log = log.to_str().unwrap();
    let once = env.run(&["hunt", log, "--format", "json"]);
    let twice = env.run(&["hunt", log, log, "--format", "json"]);
    assert_eq!(once.stdout, twice.stdout);
    assert_eq!(twice.status.code(), Some(0));
}

#[test]
fn numbers_near_their_type_limits_are_errors_not_panics() {
    let env = Env::new();
    let site = env.demo_copy();
    let out = env.run(&["checklist", site.to_str().unwrap(), "--fiscal-year=-10001"]);
    assert_eq!(out.status.code(), Some(2));
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    for (key, value) in [
        ("log_bruteforce_window_minutes", "9223372036854775807"),
        ("contact_before_closure_days", "2147483647"),
        ("account_stale_days", "9223372036854775807"),
    ] {
        let kept: String = toml
            .lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect();
        let text = kept.replace(
            "[thresholds]\n",
            &format!("[thresholds]\n{key} = {value}\n"),
        );
        std::fs::write(site.join("site.toml"), &text).unwrap();
        let line = text.lines().position(|l| l.starts_with(key)).unwrap() + 1;
        for cmd in ["assess", "holiday", "checklist"] {
            let out = env.run(&[cmd, site.to_str().unwrap(), "--as-of", "2026-12-28"]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd} {key}: {stderr}");
            assert!(
                stderr.contains(&format!("site.toml {line}行目 [thresholds.{key}]")),
                "{cmd}: {stderr}"
            );
        }
    }
}

#[test]
fn processes_sharing_a_new_database_all_record_their_run() {
    let env = Env::new();
    let site = support::demo_dir();
    for round in 0..3 {
        let db = env.dir.path().join(format!("shared-{round}.db"));
        let children: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_mamori"))
                    .args(["--db", db.to_str().unwrap(), "assess"])
                    .arg(&site)
                    .args(["--as-of", support::AS_OF, "--format", "json"])
                    .env("NO_COLOR", "1")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut ids: Vec<i64> = children
            .into_iter()
            .map(|c| {
                let out = c.wait_with_output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
                let json: Value = serde_json::from_slice(&out.stdout).unwrap();
                json["run"]["id"].as_i64().expect("run recorded")
            })
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, [1, 2, 3, 4], "round {round}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&db).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
    }
}

#[test]
fn a_database_that_cannot_be_written_still_gives_the_report() {
    let env = Env::new();
    // A folder where the database file should be: it can be neither opened nor created.
    let db = env.dir.path().join("not-a-file.db");
    std::fs::create_dir(&db).unwrap();
    let site = support::demo_dir();
    let out = env.run(&[
        "--db",
        db.to_str().unwrap(),
        "assess",
        site.to_str().unwrap(),
        "--as-of",
        support::AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).expect("the report is printed");
    assert!(!json["findings"].as_array().unwrap().is_empty());
    assert!(json["run"].is_null());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not-a-file.db"), "{stderr}");
}

/// Secrets planted on top of real configurations, written the ways a masker can miss them.
#[test]
fn planted_secrets_survive_in_no_output() {
    let (Some(asa), Some(fgt)) = (
        mamori_testing::shared("configs/cisco_asa/cutaway_asa-9x-insecure.txt"),
        mamori_testing::shared("configs/fortigate/abdelrahman_hq-fortigate.conf"),
    ) else {
        return;
    };
    let env = Env::new();
    let mut asa_text = std::fs::read_to_string(asa).unwrap();
    asa_text.push_str("username alice passw\rord Planted1Secret privilege 15\n");
    asa_text.push_str("username bob pasword Planted2Secret privilege 0\n");
    asa_text.push_str("username carol password \"Planted3Secret privilege 15\n");
    let mut fgt_text = std::fs::read_to_string(fgt).unwrap();
    fgt_text.push_str("config system admin\n    edit \"eve\"\n        set pass\rwd Planted4Secret\n        \"set passwd Planted5Secret\n    next\nend\n");
    let dir = env.dir.path();
    std::fs::write(dir.join("asa.cfg"), asa_text).unwrap();
    std::fs::write(dir.join("fgt.conf"), fgt_text).unwrap();
    let asa = dir.join("asa.cfg");
    let fgt = dir.join("fgt.conf");
    for format in ["table", "json"] {
        for lang in ["ja", "en"] {
            let out = env.run(&[
                "--lang",
                lang,
                "gateway",
                "audit",
                asa.to_str().unwrap(),
                fgt.to_str().unwrap(),
                "--format",
                format,
            ]);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(all.contains("asa.cfg"), "{all}");
            for n in 1..=5 {
                assert!(
                    !all.contains(&format!("Planted{n}Secret")),
                    "secret {n} in {format}/{lang}"
                );
            }
        }
    }
}

/// A CVE whose lastModified is garbage is refused by name (exit 2) and does not block the
/// real record's later import; a KEV entry with a garbage date likewise.
#[test]
fn feed_records_with_unreadable_dates_or_ids_are_refused_by_name() {
    let (Some(nvd), Some(kev)) = (
        mamori_testing::shared("feeds/nvd/cves-2023.json"),
        mamori_testing::shared("feeds/kev/known_exploited_vulnerabilities_2025-02-21.json"),
    ) else {
        return;
    };
    let env = Env::new();
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&nvd).unwrap()).unwrap();
    let items = doc["vulnerabilities"].as_array_mut().unwrap();
    let total = items.len();
    let first_id = items[0]["cve"]["id"].as_str().unwrap().to_owned();
    items[0]["cve"]["lastModified"] = Value::from("garbage");
    items[1]["cve"]["id"] = Value::from("CVE-ABCD");
    let bad = env.dir.path().join("nvd-bad.json");
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = env.run(&["vuln", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("#1 {first_id}: lastModified is not a date")),
        "{stderr}"
    );
    assert!(stderr.contains("#2 CVE-ABCD: not a CVE id"), "{stderr}");
    assert!(stderr.contains(&format!("追加 {}", total - 2)), "{stderr}");
    // The real file: the refused record is added now, nothing blocks it.
    let out = env.run(&["vuln", "import", nvd.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("追加 2・"), "{stderr}");

    let mut catalog: Value = serde_json::from_slice(&std::fs::read(&kev).unwrap()).unwrap();
    let entries = catalog["vulnerabilities"].as_array_mut().unwrap();
    let cve = entries[3]["cveID"].as_str().unwrap().to_owned();
    entries[3]["dateAdded"] = Value::from("9999-99-99");
    let bad = env.dir.path().join("kev-bad.json");
    std::fs::write(&bad, serde_json::to_vec(&catalog).unwrap()).unwrap();
    let out = env.run(&["vuln", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("#4 {cve}: dateAdded is not a date")),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn evidence_files_are_checked_after_resolving_links() {
    let env = Env::new();
    let site = env.demo_copy();
    let evidence = site.join("evidence/2026/officer-appointment.txt");
    std::fs::remove_file(&evidence).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &evidence).unwrap();
    let (json, out) = env.assess_json(&site, &[]);
    assert_eq!(out.status.code(), Some(2));
    let errors = json["errors"].as_array().unwrap();
    let e = errors
        .iter()
        .find(|e| e["file"] == "checklist.toml")
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert_eq!(e["line"], 11, "the entry's first line");
    assert!(
        e["message"]["ja"]
            .as_str()
            .unwrap()
            .contains("フォルダの外"),
        "{e}"
    );
}

/// A check that had nothing to read vouches for nothing: without configs/ and feeds/, the
/// checklist items judged by gateway and vulnerability rules say 未確認, never 問題なし.
#[test]
fn checklist_items_whose_rules_read_nothing_are_not_checked() {
    let env = Env::new();
    let site = env.demo_copy();
    let observations = |env: &Env| -> Vec<(String, String)> {
        let out = env.run(&[
            "checklist",
            site.to_str().unwrap(),
            "--as-of",
            support::AS_OF,
            "--format",
            "json",
        ]);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["rows"].as_array().unwrap().clone())
            .map(|r| {
                (
                    r["key"].as_str().unwrap().to_owned(),
                    r["observation"]["ja"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let of = |list: &[(String, String)], key: &str| -> String {
        list.iter().find(|(k, _)| k == key).unwrap().1.clone()
    };
    // The observations name rules by title: the titles of the gateway and vulnerability rules.
    let rules = String::from_utf8(env.run(&["rules"]).stdout).unwrap();
    let titles: Vec<String> = rules
        .lines()
        .filter(|l| l.starts_with("gateway.") || l.starts_with("vuln."))
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        titles.contains(&"ログを外部に保存していない".to_owned()),
        "{titles:?}"
    );
    let with_data = observations(&env);
    assert!(of(&with_data, "access-log").contains("ログを外部に保存していない"));
    assert!(of(&with_data, "bcp-threat-info").contains("脆弱性情報が古い"));
    std::fs::remove_dir_all(site.join("configs")).unwrap();
    std::fs::remove_dir_all(site.join("feeds")).unwrap();
    let without = observations(&env);
    for (key, o) in &without {
        assert!(
            !(o.contains("問題なし") && titles.iter().any(|t| o.contains(t.as_str()))),
            "{key}: {o}"
        );
    }
    let access_log = of(&without, "access-log");
    assert!(
        access_log.starts_with("未確認") && access_log.contains("configs/"),
        "{access_log}"
    );
    // An absent optional folder is not an input, skipped or not.
    let (json, _) = env.assess_json(&site, &["--no-store"]);
    let listed = format!("{}{}", json["skipped"], json["errors"]);
    assert!(!listed.contains("configs"), "{listed}");
    let threat_info = of(&without, "bcp-threat-info");
    assert!(
        threat_info.starts_with("未確認") && threat_info.contains("feeds/"),
        "{threat_info}"
    );
}

/// A report with input left out says so first, in every format a person reads.
#[test]
fn an_incomplete_report_says_so_at_the_top() {
    let env = Env::new();
    let site = env.demo_copy();
    let path = site.join("vendors.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let clean = env.run(&[
        "assess",
        site.to_str().unwrap(),
        "--as-of",
        support::AS_OF,
        "--no-store",
    ]);
    assert!(!String::from_utf8_lossy(&clean.stdout).contains("この報告は不完全です"));
    // One vendor row with a checklist date that is no date: one error; the row is kept with
    // that date unknown (its answers in checklist.toml still name a known vendor).
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replacen("2026-06-10", "2026/13/45", 1);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    for (format, lang, needle) in [
        ("terminal", "ja", "入力エラー 1 件 — この報告は不完全です"),
        ("md", "ja", "> **入力エラー 1 件 — この報告は不完全です"),
        (
            "html",
            "ja",
            "<p class=\"incomplete\">入力エラー 1 件 — この報告は不完全です",
        ),
        (
            "terminal",
            "en",
            "1 input error — this report is incomplete",
        ),
    ] {
        let out = env.run(&[
            "--lang",
            lang,
            "assess",
            site.to_str().unwrap(),
            "--as-of",
            support::AS_OF,
            "--no-store",
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let at = stdout
            .find(needle)
            .unwrap_or_else(|| panic!("{format}/{lang}: {stdout}"));
        // Before the first finding: at the top, not after pages of findings.
        let first_finding = stdout
            .find("━━")
            .or_else(|| stdout.find("## "))
            .unwrap_or(usize::MAX);
        assert!(
            at < first_finding,
            "{format}/{lang}: the notice comes after the findings"
        );
    }
}
