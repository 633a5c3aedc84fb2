//! Golden outputs: what the commands print on the demo hospital and on the shared data, recorded
//! so that a refactoring (issue 13: the application layer) can prove it changed nothing.
//!
//! - `golden/demo-assess.json`, `golden/demo-checklist.json`: the demo hospital's `assess` and
//!   `checklist` JSON (`generated_at` normalised), kept whole — the demo is ours.
//! - `golden/shared-*.txt`: for `hunt` on the shared logs and `gateway audit` on the shared
//!   configurations, the SHA-256, size and line count of the JSON (paths normalised), not the
//!   output itself: it quotes data whose licences keep it out of this repository.
//!
//! A change that means to alter an output re-records them with `MAMORI_BLESS=1` and says why in
//! its commit.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

mod support;

use support::{AS_OF, Env, demo_dir};

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn bless() -> bool {
    std::env::var("MAMORI_BLESS").is_ok_and(|v| v == "1")
}

/// Compares `actual` with the recorded file (or records it under `MAMORI_BLESS=1`).
fn check(name: &str, actual: &str) {
    let path = golden(name);
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (record it with MAMORI_BLESS=1)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the recorded output from line {}:\n  recorded: {}\n  now:      {}",
            first + 1,
            expected.lines().nth(first).unwrap_or("(end)"),
            actual.lines().nth(first).unwrap_or("(end)"),
        );
    }
}

/// The digest line kept for an output that may not be stored.
fn digest(output: &str) -> String {
    let hash = Sha256::digest(output.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "sha256 {hex}\nbytes {}\nlines {}\n",
        output.len(),
        output.lines().count()
    )
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Pretty JSON with the run's own time taken out, so that only what mamori found is compared.
fn normalised(json: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    if let Some(t) = v.get_mut("generated_at") {
        *t = serde_json::Value::from("(normalised)");
    }
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn demo_assess_and_checklist_are_unchanged() {
    let env = Env::new();
    let demo = demo_dir();
    let demo = demo.to_str().unwrap();
    let out = env.run(&[
        "assess",
        demo,
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--no-store",
    ]);
    check("demo-assess.json", &normalised(&stdout(&out)));
    let out = env.run(&["checklist", demo, "--as-of", AS_OF, "--format", "json"]);
    check("demo-checklist.json", &normalised(&stdout(&out)));
}

#[test]
fn hunt_and_gateway_audit_on_the_shared_data_are_unchanged() {
    let (Some(evtx), Some(syslog), Some(vendor), Some(configs)) = (
        mamori_testing::shared("evtx"),
        mamori_testing::shared("syslog"),
        mamori_testing::shared("vendor"),
        mamori_testing::shared("configs"),
    ) else {
        return;
    };
    // Run inside the shared data folder with relative paths: findings of a configuration
    // without a hostname are keyed by its path, and their ids must not depend on the machine.
    let root = configs.parent().unwrap().to_owned();
    assert!(evtx.starts_with(&root) && syslog.starts_with(&root) && vendor.starts_with(&root));
    let env = Env::new();
    let hunt = env.run_in(
        &root,
        &[
            "hunt", "--format", "json", "--as-of", AS_OF, "evtx", "syslog", "vendor",
        ],
    );
    check("shared-hunt.txt", &digest(&stdout(&hunt)));
    let gateway = stdout(&env.run_in(&root, &["gateway", "audit", "configs", "--format", "json"]));
    check("shared-gateway.txt", &digest(&gateway));
}
