//! `mamori backup scan` and the scans `assess` runs: a healthy destination is quiet; after its
//! files are encrypted in place and a ransom note dropped, the next scan reports the encrypted
//! files, the note and the mass change since the first scan (exit 1), and `assess` of a site
//! whose site.toml names the destination reports them too.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{AS_OF, Env, demo_dir};

/// Three nightly generations of the demo hospital's own tables.
fn healthy(root: &Path) {
    for day in ["2026-11-18", "2026-11-19", "2026-11-20"] {
        let generation = root.join(day);
        std::fs::create_dir_all(&generation).unwrap();
        for name in [
            "staff.csv",
            "vendors.csv",
            "contacts.csv",
            "assets.xlsx",
            "checklist.toml",
        ] {
            std::fs::copy(demo_dir().join(name), generation.join(name)).unwrap();
        }
    }
}

fn encrypt(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let out: Vec<u8> = bytes
        .iter()
        .map(|b| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b ^ (x >> 40) as u8
        })
        .collect();
    std::fs::write(path, out).unwrap();
}

fn scan(env: &Env, root: &Path) -> (Value, Option<i32>) {
    let out = env.run(&[
        "backup",
        "scan",
        root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (json, out.status.code())
}

fn rules(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn an_encrypted_destination_is_caught_by_the_next_scan_and_by_assess() {
    let env = Env::new();
    let root = env.dir.path().join("nas");
    healthy(&root);
    let (first, code) = scan(&env, &root);
    assert_eq!(code, Some(0), "{first}");
    assert_eq!(first["schema"], "mamori.backup-scan/1");
    let dest = &first["destinations"][0];
    assert_eq!(dest["files"], 15);
    assert_eq!(dest["generations"].as_array().unwrap().len(), 3);
    assert!(rules(&first).is_empty(), "{:?}", rules(&first));

    // The attack: two generations encrypted in place, a note in the newest.
    for day in ["2026-11-18", "2026-11-19"] {
        for entry in std::fs::read_dir(root.join(day)).unwrap() {
            encrypt(&entry.unwrap().path());
        }
    }
    std::fs::write(root.join("2026-11-20/HOW_TO_DECRYPT.txt"), "pay").unwrap();
    let (second, code) = scan(&env, &root);
    assert_eq!(code, Some(1));
    let found = rules(&second);
    for rule in [
        "backup.encrypted-suspect",
        "backup.ransom-note",
        "backup.mass-change",
    ] {
        assert!(found.contains(&rule.to_owned()), "{rule} in {found:?}");
    }
    let changes = &second["destinations"][0]["changes"];
    assert_eq!(changes["rewritten"], 10);
    assert_eq!(changes["added"], 1);
    let suspect = second["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "backup.encrypted-suspect")
        .unwrap();
    assert_eq!(suspect["evidence"]["count"], 10);
    assert_eq!(suspect["severity"], "critical");

    // assess of a site whose site.toml names the destination.
    let site = env.demo_copy();
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    let toml = format!("{toml}\n[backup]\nscan = [\"{}\"]\n", root.display());
    std::fs::write(site.join("site.toml"), toml).unwrap();
    let (json, out) = env.assess_json(&site, &["--no-store"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(found.contains(&"backup.ransom-note") && found.contains(&"backup.encrypted-suspect"));
}
