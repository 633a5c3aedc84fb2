//! Importing real feed files into a real SQLite file: idempotence, newer-wins, rollback.

use std::path::Path;

use jiff::Timestamp;
use mamori_store::{ImportCounts, Store};
use mamori_testing::shared;
use mamori_vuln::feeds::read_feed;
use mamori_vuln::{Item, VulnDb};

async fn import(store: &Store, path: &Path) -> ImportCounts {
    let mut items = Vec::new();
    let file = read_feed(path, &mut |i| items.push(i)).unwrap();
    let mut tx = store.begin_import().await.unwrap();
    tx.add(items).await.unwrap();
    tx.finish(&file, &path.display().to_string(), Timestamp::now())
        .await
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn reimport_is_a_no_op_and_a_newer_record_replaces_the_older() {
    let (Some(kev), Some(edge)) = (shared("feeds/kev"), shared("feeds/nvd/edge")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    let catalog = kev.join("known_exploited_vulnerabilities_2025-02-21.json");
    let first = import(&store, &catalog).await;
    assert_eq!(
        first,
        ImportCounts {
            added: 1276,
            updated: 0,
            unchanged: 0
        }
    );
    let again = import(&store, &catalog).await;
    assert_eq!(
        again,
        ImportCounts {
            added: 0,
            updated: 0,
            unchanged: 1276
        }
    );

    let old = edge.join("snapshots/CVE-2025-24472_lastModified-2025-02-11.json");
    let new = edge.join("CVE-2025-24472.json");
    assert_eq!(import(&store, &old).await.added, 1);
    assert_eq!(import(&store, &new).await.updated, 1);
    // The older copy again: unchanged, the analysed record stays.
    assert_eq!(import(&store, &old).await.unchanged, 1);
    let loaded = store
        .load_vuln(&["o:fortinet:fortios".into()])
        .await
        .unwrap();
    let mut db = VulnDb::new();
    for item in loaded.items {
        db.add(item);
    }
    let r = db.cve("CVE-2025-24472").unwrap();
    assert_eq!(r.status, "Analyzed");
    assert_eq!(store.vuln_counts().await.unwrap(), [1, 1276, 0, 0]);
    let status = store.feed_status().await.unwrap();
    assert_eq!(status.len(), 3);
    assert!(
        status
            .iter()
            .any(|f| f.kind == "kev" && f.stamp.as_deref() == Some("2025-02-21T17:07:48.4896Z"))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_unfinished_import_leaves_nothing_and_loading_is_by_product() {
    let Some(edge) = shared("feeds/nvd/edge") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    {
        let mut items = Vec::new();
        read_feed(&edge.join("CVE-2024-21762.json"), &mut |i| items.push(i)).unwrap();
        let mut tx = store.begin_import().await.unwrap();
        tx.add(items).await.unwrap();
        // Dropped without finish: a file that failed half-way.
    }
    assert_eq!(store.vuln_counts().await.unwrap(), [0, 0, 0, 0]);
    for f in [
        "CVE-2024-21762.json",
        "CVE-2020-3452.json",
        "CVE-2021-34527.json",
    ] {
        import(&store, &edge.join(f)).await;
    }
    let ids = |items: &[Item]| {
        let mut v: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                Item::Cve(r) => Some(r.id.clone()),
                _ => None,
            })
            .collect();
        v.sort();
        v
    };
    let asa = store
        .load_vuln(&["o:cisco:adaptive_security_appliance_software".into()])
        .await
        .unwrap();
    assert_eq!(ids(&asa.items), ["CVE-2020-3452"]);
    let both = store
        .load_vuln(&[
            "o:fortinet:fortios".into(),
            "o:microsoft:windows_server_2019".into(),
        ])
        .await
        .unwrap();
    assert_eq!(ids(&both.items), ["CVE-2021-34527", "CVE-2024-21762"]);
}

/// Loading reads each CVE's configurations narrowed to the requested products, joined back
/// into one record when it names several of them; rows imported before narrowing existed
/// (NULL columns) are read whole. Both give the same matches as the file itself.
#[tokio::test(flavor = "current_thread")]
async fn narrowed_rows_load_back_into_records_that_match_like_the_file() {
    use mamori_vuln::products::map_asset;
    let Some(edge) = shared("feeds/nvd/edge") else {
        return;
    };
    let file = edge.join("CVE-2021-34527.json");
    let mut from_file = VulnDb::new();
    read_feed(&file, &mut |i| from_file.add(i)).unwrap();
    let whole = from_file.cve("CVE-2021-34527").unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let store = Store::open(&path).await.unwrap();
    import(&store, &file).await;
    let products = [
        "o:microsoft:windows_server_2019".to_owned(),
        "o:microsoft:windows_10_1809".to_owned(),
    ];
    let criteria = |r: &mamori_vuln::record::CveRecord| -> usize {
        r.configurations
            .iter()
            .flat_map(|c| &c.nodes)
            .map(|n| n.matches.len())
            .sum()
    };
    let narrowed = load_db(&store, &products).await;
    let record = narrowed.cve("CVE-2021-34527").unwrap();
    assert!(
        record.description.is_empty(),
        "loading skips the description"
    );
    assert!(
        (2..criteria(&whole) / 4).contains(&criteria(record)),
        "{} of {} criteria",
        criteria(record),
        criteria(&whole)
    );

    // The same rows as an older mamori wrote them.
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE vuln_cves SET summary = NULL")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE vuln_cve_products SET configurations = NULL")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::open(&path).await.unwrap();
    let legacy = load_db(&store, &products).await;
    assert_eq!(
        legacy.cve("CVE-2021-34527").unwrap().configurations,
        whole.configurations
    );

    let mut hits = 0;
    for (product, version) in [
        ("Windows Server 2019", "10.0.17763.2028"),
        ("Windows Server 2019", "10.0.17763.2029"),
        ("Windows 10 Enterprise 1809", "10.0.17763.1999"),
        ("Windows 10 Enterprise 1809", "10.0.17763.2029"),
    ] {
        let mapped = map_asset("Microsoft", product, version, "", &[]).unwrap();
        let ids = |db: &VulnDb| -> Vec<String> {
            db.match_asset(&mapped, &[])
                .into_iter()
                .map(|m| m.cve)
                .collect()
        };
        assert_eq!(ids(&narrowed), ids(&from_file), "{product} {version}");
        assert_eq!(ids(&legacy), ids(&from_file), "{product} {version}");
        hits += ids(&from_file).len();
    }
    assert_eq!(hits, 2, "the builds before the fix");
}

async fn load_db(store: &Store, products: &[String]) -> VulnDb {
    let mut db = VulnDb::new();
    for item in store.load_vuln(products).await.unwrap().items {
        db.add(item);
    }
    db
}
