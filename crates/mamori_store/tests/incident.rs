//! The incident log on a real SQLite file: lines chain, the database refuses edits, and an
//! edit made behind its back (triggers dropped, a line rewritten) is found by the chain check
//! at the line edited.

use mamori_store::Store;
use mamori_store::incident::verify_chain;

#[tokio::test(flavor = "current_thread")]
async fn an_edit_behind_the_stores_back_breaks_the_chain_at_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let store = Store::open(&path).await.unwrap();
    let i = store
        .start_incident("clinic", "受付PCに脅迫文", "2026-12-30T01:00:00Z", "事務長")
        .await
        .unwrap();
    assert!(store.open_incident("clinic").await.unwrap().is_some());
    for (at, text) in [
        ("2026-12-30T01:05:00Z", "LAN ケーブルを抜いた"),
        ("2026-12-30T01:10:00Z", "保守業者に電話"),
    ] {
        store
            .append_incident_log(i.id, at, "事務長", "log", text)
            .await
            .unwrap();
    }
    let log = store.incident_log(i.id).await.unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(verify_chain(&log), Ok(()));
    store.close().await;

    // The database refuses an edit…
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let refused = sqlx::query("UPDATE incident_log SET text = 'x' WHERE seq = 2")
        .execute(&pool)
        .await;
    assert!(refused.is_err());
    // …and one made after dropping its guard is found where it was made.
    sqlx::query("DROP TRIGGER incident_log_no_update")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE incident_log SET text = 'ケーブルは抜かなかった' WHERE seq = 2")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::open(&path).await.unwrap();
    let log = store.incident_log(i.id).await.unwrap();
    assert_eq!(verify_chain(&log), Err(2));
    store
        .close_incident(i.id, "2026-12-31T00:00:00Z", "事務長")
        .await
        .unwrap();
    assert!(store.open_incident("clinic").await.unwrap().is_none());
}
