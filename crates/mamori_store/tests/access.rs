//! The dashboard's tables on a real SQLite file: the audit log refuses edits and deletions,
//! an edit behind the store's back breaks the chain where it was made; a used TOTP step is
//! refused; finding statuses are kept per site and cleared on request.

use mamori_model::access::{Decision, DecisionStatus, Role, User};
use mamori_store::Store;
use mamori_store::access::AuditEntry;
use mamori_store::incident::verify_chain;

#[tokio::test(flavor = "current_thread")]
async fn the_audit_log_is_append_only_and_chained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let store = Store::open(&path).await.unwrap();
    for (who, kind) in [
        ("admin", "login"),
        ("staff", "login-failed"),
        ("staff", "lockout"),
    ] {
        let entry = AuditEntry {
            at: "2026-12-05T00:00:00Z",
            who,
            kind,
            text: "{\"from\":\"127.0.0.1\"}",
        };
        store.append_audit(&entry).await.unwrap();
    }
    assert_eq!(verify_chain(&store.audit_log(None).await.unwrap()), Ok(()));
    assert_eq!(
        store.audit_log(Some(1)).await.unwrap()[0].kind,
        "lockout",
        "newest first"
    );
    store.close().await;

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    for sql in [
        "UPDATE audit_log SET who = 'x' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
    ] {
        let refused = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{refused}");
    }
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET who = 'someone' WHERE seq = 2")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::open(&path).await.unwrap();
    assert_eq!(verify_chain(&store.audit_log(None).await.unwrap()), Err(2));
}

#[tokio::test(flavor = "current_thread")]
async fn users_totp_steps_and_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    let user = User {
        id: 0,
        name: "高橋".into(),
        role: Role::Admin,
        vendor: None,
        has_totp: true,
        disabled: false,
        created_at: "2026-12-05T00:00:00Z".into(),
    };
    let id = store
        .add_user(&user, "$argon2id$x", Some("SECRET"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store.add_user(&user, "h", None).await.unwrap(),
        None,
        "the name is taken"
    );
    assert!(store.use_totp_step(id, 100).await.unwrap());
    assert!(
        !store.use_totp_step(id, 100).await.unwrap(),
        "the same step twice"
    );
    assert!(
        !store.use_totp_step(id, 99).await.unwrap(),
        "an earlier step"
    );
    assert!(store.use_totp_step(id, 101).await.unwrap());
    store
        .create_session("h1", id, "csrf", 10, "127.0.0.1")
        .await
        .unwrap();
    assert!(store.session("h1").await.unwrap().is_some());
    assert!(
        store
            .update_user("高橋", None, None, Some(true))
            .await
            .unwrap()
    );
    assert!(
        store.session("h1").await.unwrap().is_none(),
        "disabling ends the sessions"
    );
    assert!(store.user("高橋").await.unwrap().unwrap().user.disabled);

    let d = Decision {
        finding_id: "abc".into(),
        status: DecisionStatus::Accepted,
        reason: "更新は保守契約の更新時".into(),
        owner: "高橋".into(),
        due: Some("2027-01-31".into()),
        accepted_on: Some("2026-12-05".into()),
        updated_by: "高橋".into(),
        updated_at: "2026-12-05T00:00:00Z".into(),
    };
    assert_eq!(
        store.set_decision("site-a", "abc", Some(&d)).await.unwrap(),
        None
    );
    assert_eq!(
        store.decision("site-a", "abc").await.unwrap(),
        Some(d.clone())
    );
    assert_eq!(
        store.decision("site-b", "abc").await.unwrap(),
        None,
        "per site"
    );
    assert_eq!(
        store.set_decision("site-a", "abc", None).await.unwrap(),
        Some(d)
    );
    assert!(store.decisions("site-a").await.unwrap().is_empty());
}
