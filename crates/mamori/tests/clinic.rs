//! A clinic's own ledgers, written the way an office manager writes them in Excel from the docs
//! (`tests/data/clinic-handmade`: CP932, Japanese file names, a title row above the header, a
//! `No.` column instead of ids, the system written once above its accounts, 不明/？/わからない,
//! 業者管理, full-width dates, the clinic's own internet line beside the vendor's VPN). Every
//! row is read or kept with the unknown field, nothing is reported about 「」, the leaver's
//! account is found.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::Env;

fn clinic_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/clinic-handmade")
}

fn findings<'a>(json: &'a Value, rule: &str) -> Vec<&'a Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .collect()
}

#[test]
fn every_row_of_a_handmade_clinic_folder_is_read() {
    let env = Env::new();
    let (json, out) = env.assess_json(&clinic_dir(), &["--no-store"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(json["errors"], serde_json::json!([]), "no input errors");
    let read: Vec<(String, u64, u64)> = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["file"].as_str().unwrap().to_owned(),
                i["rows_read"].as_u64().unwrap(),
                i["rows_rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    for (file, rows) in [
        ("機器台帳.csv", 5),
        ("事業者一覧.csv", 1),
        ("接続点一覧.csv", 2),
        ("アカウント一覧.csv", 5),
        ("職員名簿.csv", 4),
        ("緊急連絡先.csv", 3),
    ] {
        assert!(
            read.contains(&(file.to_owned(), rows, 0)),
            "{file}: {rows} rows expected in {read:?}"
        );
    }
    // The accounts under a system written once are that system's: the inputs say so.
    let accounts = &json["inputs"].as_array().unwrap()[3];
    assert!(
        accounts["notes"][0]["ja"]
            .as_str()
            .unwrap()
            .contains("「システム」の空欄 3 個"),
        "{accounts}"
    );

    // The leaver's electronic-medical-record account (the file's 4th line).
    let leaver = findings(&json, "account.leaver-enabled");
    assert_eq!(leaver.len(), 1);
    assert_eq!(leaver[0]["subject"]["key"], "電子カルテ/tanaka");
    // The shared login `user` is an account, not the header.
    assert!(
        findings(&json, "account.shared")
            .iter()
            .any(|f| f["subject"]["key"] == "電子カルテ/user")
    );

    // Unknowns are kept and asked about — the vendor where the ledger says 業者管理.
    let unknown = findings(&json, "ledger.unknown-value");
    let router = unknown
        .iter()
        .find(|f| f["subject"]["key"] == "4")
        .expect("the VPN router's unknown cells");
    assert!(
        router["message"]["ja"]
            .as_str()
            .unwrap()
            .ends_with("みどり電算に確認してください"),
        "{router}"
    );
    assert_eq!(
        router["evidence"]["facts"]["fields"],
        serde_json::json!(["internet_facing", "last_patched"])
    );
    assert!(unknown.iter().any(|f| f["subject"]["key"] == "C2"));

    // The clinic's own internet line is no vendor connection point.
    assert!(
        findings(&json, "connection.no-source-restriction")
            .iter()
            .all(|f| f["subject"]["key"] != "C1")
    );

    // No logs, no configurations, no vulnerability data: said, never passed over in silence.
    let not_checked: Vec<&str> = json["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["rules"].as_array().unwrap())
        .map(|r| r.as_str().unwrap())
        .collect();
    for rule in [
        "log.bruteforce",
        "gateway.admin-exposed",
        "vuln.known-exploited",
    ] {
        assert!(not_checked.contains(&rule), "{rule} in {not_checked:?}");
    }
    assert!(!not_checked.iter().any(|r| r.starts_with("account.")));

    // No empty names, no English codes inside Japanese sentences.
    let text = json["findings"].to_string();
    assert!(!text.contains("「」"), "an empty name in a finding");
    for f in json["findings"].as_array().unwrap() {
        let ja = f["message"]["ja"].as_str().unwrap();
        for code in [
            "/ vpn /",
            "/ internet",
            "remote-desktop",
            "（police）",
            "（vendor）",
            "（internal）",
            "（mhlw）",
        ] {
            assert!(!ja.contains(code), "{code} in {ja}");
        }
    }
}

/// Reports for people speak words: rule ids only with `--verbose` (JSON always has them).
#[test]
fn rule_ids_only_when_asked_for() {
    let env = Env::new();
    let dir = clinic_dir();
    let site = dir.to_str().unwrap();
    for format in ["terminal", "md", "html"] {
        let args = [
            "assess",
            site,
            "--as-of",
            support::AS_OF,
            "--no-store",
            "--format",
            format,
        ];
        let plain = String::from_utf8(env.run(&args).stdout).unwrap();
        assert!(plain.contains("退職者のアカウントが有効のまま"), "{format}");
        assert!(
            !plain.contains("account.leaver-enabled"),
            "{format}: {plain}"
        );
        let verbose: Vec<&str> = std::iter::once("--verbose").chain(args).collect();
        let shown = String::from_utf8(env.run(&verbose).stdout).unwrap();
        assert!(
            shown.contains("account.leaver-enabled"),
            "{format} --verbose"
        );
    }
}
