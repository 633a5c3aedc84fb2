//! Runs recorded in a real SQLite file: first_seen kept, new and resolved told apart.

use jiff::civil::date;
use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};
use mamori_store::{NewRun, Store};

fn finding(rule: &str, key: &str) -> Finding {
    let subject = Subject::new(SubjectKind::Asset, key, key);
    Finding {
        id: Finding::stable_id(rule, &subject),
        rule_id: rule.into(),
        severity: Severity::High,
        subject,
        title: Localized::new("題", "title"),
        message: Localized::new("メッセージ", "message"),
        evidence: Evidence::default().fact("n", 1),
        measures: vec!["assets.inventory".into()],
        checklist_items: vec![],
        remediation: Localized::new("対策", "fix"),
    }
}

fn run<'a>(findings: &'a [Finding], at: &str, inputs: &'a serde_json::Value) -> NewRun<'a> {
    NewRun {
        site_key: "demo",
        site_name: "デモ病院",
        kind: "assess",
        started_at: at.parse().unwrap(),
        as_of: date(2026, 11, 21),
        tool_version: "test",
        inputs,
        findings,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn second_run_reports_new_and_resolved_and_keeps_first_seen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/mamori.db");
    let inputs = serde_json::json!({"files": []});
    let a = finding("asset.patch-stale", "FW-01");
    let b = finding("asset.av-stale", "PC-01");
    let c = finding("asset.av-stale", "PC-02");

    let store = Store::open(&path).await.unwrap();
    let first = store
        .record_run(&run(
            &[a.clone(), b.clone()],
            "2026-11-01T00:00:00Z",
            &inputs,
        ))
        .await
        .unwrap();
    assert_eq!(first.previous_run_id, None);
    assert_eq!(first.new_ids.len(), 2);
    store.close().await;

    // Reopen: the schema is migrated once and the data is still there.
    let store = Store::open(&path).await.unwrap();
    let second = store
        .record_run(&run(
            &[a.clone(), c.clone()],
            "2026-11-21T00:00:00Z",
            &inputs,
        ))
        .await
        .unwrap();
    assert_eq!(second.previous_run_id, Some(first.run_id));
    assert_eq!(second.new_ids.iter().collect::<Vec<_>>(), [&c.id]);
    assert_eq!(second.resolved.len(), 1);
    assert_eq!(second.resolved[0], b);
    assert_eq!(second.first_seen[&a.id].to_string(), "2026-11-01T00:00:00Z");
    assert_eq!(second.first_seen[&c.id].to_string(), "2026-11-21T00:00:00Z");

    // A resolved finding that comes back is new again relative to the previous run.
    let third = store
        .record_run(&run(
            &[a.clone(), b.clone()],
            "2026-11-22T00:00:00Z",
            &inputs,
        ))
        .await
        .unwrap();
    assert!(third.new_ids.contains(&b.id));
    assert_eq!(third.resolved[0].id, c.id);
    assert_eq!(store.run_count("demo").await.unwrap(), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn unwritable_location_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = Store::open(&file.join("mamori.db")).await.err().unwrap();
    assert!(err.to_string().contains("a-file"), "{err}");
}
