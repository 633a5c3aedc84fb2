//! Runs recorded in a real SQLite file: first_seen kept, new and resolved told apart.

use jiff::civil::date;
use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};
use mamori_store::{FindingFilter, FindingStatus, NewRun, Page, Store};

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
        keep_runs: mamori_store::DEFAULT_KEEP_RUNS,
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

fn with_severity(mut f: Finding, severity: Severity) -> Finding {
    f.severity = severity;
    f
}

/// Two runs of the demo site: the second drops `first[0]`.
async fn two_runs(dir: &std::path::Path) -> (Store, [Finding; 3], i64, i64) {
    let store = Store::open(&dir.join("mamori.db")).await.unwrap();
    let inputs = serde_json::json!({});
    let first = [
        with_severity(finding("asset.av-stale", "PC-01"), Severity::Medium),
        with_severity(finding("asset.eol", "PC-01"), Severity::Critical),
        finding("asset.eol", "PC-02"),
    ];
    let r1 = store
        .record_run(&run(&first, "2026-11-20T00:00:00Z", &inputs))
        .await
        .unwrap();
    let second = [first[1].clone(), first[2].clone()];
    let r2 = store
        .record_run(&run(&second, "2026-11-21T00:00:00Z", &inputs))
        .await
        .unwrap();

    (store, first, r1.run_id, r2.run_id)
}

#[tokio::test(flavor = "current_thread")]
async fn the_read_side_lists_runs_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, r1, r2) = two_runs(dir.path()).await;
    let runs = store
        .list_runs(Some("demo"), Page::first(10))
        .await
        .unwrap();
    let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
    assert_eq!(ids, [r2, r1], "newest first");
    assert_eq!((runs[0].finding_count, runs[0].findings_kept), (2, true));
    assert_eq!(runs[1].as_of, date(2026, 11, 21));
    assert_eq!(
        store
            .list_runs(
                None,
                Page {
                    offset: 1,
                    limit: 1
                }
            )
            .await
            .unwrap()[0]
            .id,
        r1
    );
    assert!(
        store
            .list_runs(Some("other"), Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.run(r1).await.unwrap().unwrap().finding_count, 3);

    store.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_read_side_filters_findings_and_tells_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let (store, first, r1, r2) = two_runs(dir.path()).await;
    let all = store
        .run_findings(r1, &FindingFilter::default(), Page::first(10))
        .await
        .unwrap();
    let order: Vec<(&str, &str)> = all
        .iter()
        .map(|f| (f.rule_id.as_str(), f.subject.key.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("asset.eol", "PC-01"),
            ("asset.eol", "PC-02"),
            ("asset.av-stale", "PC-01")
        ],
        "most severe first"
    );
    let by_subject = FindingFilter {
        subject_key: Some("PC-01".into()),
        ..FindingFilter::default()
    };
    assert_eq!(
        store
            .run_findings(r1, &by_subject, Page::first(10))
            .await
            .unwrap()
            .len(),
        2
    );
    let severe = FindingFilter {
        min_severity: Some(Severity::High),
        rule_id: Some("asset.eol".into()),
        ..FindingFilter::default()
    };
    assert_eq!(
        store
            .run_findings(r1, &severe, Page::first(10))
            .await
            .unwrap()
            .len(),
        2
    );
    let page = store
        .run_findings(
            r1,
            &FindingFilter::default(),
            Page {
                offset: 2,
                limit: 5,
            },
        )
        .await
        .unwrap();
    assert_eq!(page[0].rule_id, "asset.av-stale");

    let gone = store
        .finding_history("demo", &first[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, FindingStatus::Resolved);
    assert_eq!((gone.first_seen_run, gone.resolved_run), (r1, Some(r2)));
    let kept = store
        .finding_history("demo", &first[1].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.status, FindingStatus::Open);
    assert_eq!((kept.first_seen_run, kept.last_seen_run), (r1, r2));
    assert!(
        store
            .finding_history("demo", "nope")
            .await
            .unwrap()
            .is_none()
    );
    store.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn retention_keeps_the_latest_runs_whole_and_the_rest_as_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("mamori.db")).await.unwrap();
    let inputs = serde_json::json!({});
    let findings = [finding("asset.eol", "PC-01")];
    let mut ids = Vec::new();
    for day in 1..=5 {
        let mut new_run = run(&findings, &format!("2026-11-0{day}T00:00:00Z"), &inputs);
        new_run.keep_runs = 2;
        ids.push(store.record_run(&new_run).await.unwrap().run_id);
    }
    let runs = store
        .list_runs(Some("demo"), Page::first(10))
        .await
        .unwrap();
    let kept: Vec<bool> = runs.iter().map(|r| r.findings_kept).collect();
    assert_eq!(kept, [true, true, false, false, false]);
    assert_eq!(runs.len(), 5, "summaries are kept forever");
    let none = store
        .run_findings(ids[0], &FindingFilter::default(), Page::first(10))
        .await
        .unwrap();
    assert!(none.is_empty());
    let latest = store
        .run_findings(ids[4], &FindingFilter::default(), Page::first(10))
        .await
        .unwrap();
    assert_eq!(latest.len(), 1);
    // First seen survives pruning.
    let h = store
        .finding_history("demo", &findings[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(h.first_seen_run, ids[0]);
    store.close().await;
}
