//! Vulnerability data for one site: the feed files kept in its folder, and what the database
//! holds for the site's products.

use std::path::{Path, PathBuf};

use anyhow::Context;
use mamori_model::Localized;
use mamori_model::site::Site;
use mamori_store::Store;
use mamori_vuln::feeds::{FeedError, read_feed};
use mamori_vuln::products::map_asset;
use mamori_vuln::{FeedFile, FeedKind, FeedSource, Item, Loaded, VulnDb};

use crate::SiteFolder;

/// What a site's pipeline learned about vulnerability data: the data, and the feed files of
/// the site folder (read or skipped).
pub struct SiteVuln {
    /// The records loaded, for matching.
    pub loaded: Loaded,
    /// Each file of `feeds/`, read or why not.
    pub files: Vec<(PathBuf, Result<FeedFile, FeedError>)>,
    /// Entries of `feeds/` not read (links outside the site folder, FIFOs…), with the reason.
    pub skipped: Vec<(PathBuf, Localized)>,
    /// Record counts taken from the database (CVE, KEV, JVN, EPSS), when it had any.
    pub from_store: Option<[i64; 4]>,
}

/// What the database holds: each imported file, and the record counts.
pub struct VulnStatus {
    /// Every imported file with its kind, own date and counts.
    pub rows: Vec<mamori_store::FeedRow>,
    /// CVE, KEV, JVN and EPSS records.
    pub counts: [i64; 4],
}

/// The vulnerability data in the database at `db`.
pub async fn status(db: &Path) -> anyhow::Result<VulnStatus> {
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    let rows = store.feed_status().await?;
    let counts = store.vuln_counts().await?;
    store.close().await;
    Ok(VulnStatus { rows, counts })
}

/// The status as the report shows it: each file's age from `as_of`, and each kind's newest
/// data.
pub fn status_report(
    status: VulnStatus,
    db: &Path,
    as_of: jiff::civil::Date,
) -> mamori_report::vuln::VulnStatusReport {
    use mamori_checks::vuln::feed_stale::stamp_date;
    use mamori_report::vuln::{FeedStatus, KindStatus, VulnStatusReport};
    let age = |stamp: Option<&str>| {
        stamp
            .and_then(stamp_date)
            .and_then(|d| d.until(as_of).ok())
            .map(|s| i64::from(s.get_days()))
    };
    let kinds = FeedKind::ALL
        .iter()
        .filter_map(|kind| {
            let newest = status
                .rows
                .iter()
                .filter(|r| r.kind == kind.as_str())
                .filter_map(|r| r.stamp.clone())
                .max()?;
            Some(KindStatus {
                label: kind.label(),
                kind: kind.as_str(),
                age_days: age(Some(&newest)),
                newest,
            })
        })
        .collect();
    let feeds = status
        .rows
        .into_iter()
        .map(|r| FeedStatus {
            age_days: age(r.stamp.as_deref()),
            kind: r.kind,
            source: r.source,
            format: r.format,
            data_date: r.stamp,
            imported_at: r.imported_at,
            records: r.records,
            added: r.added,
            updated: r.updated,
        })
        .collect();
    VulnStatusReport {
        database: db.display().to_string(),
        counts: status.counts,
        feeds,
        kinds,
    }
}

/// Reads `SITE_DIR/feeds/` and, when the database at `db` holds vulnerability data, the
/// records for the site's products. `None` when there is neither.
pub async fn load_for_site(
    folder: &SiteFolder,
    site: &Site,
    db: Option<&Path>,
) -> anyhow::Result<Option<SiteVuln>> {
    let mut loaded = Loaded {
        db: VulnDb::new(),
        feeds: Vec::new(),
    };
    let (mut files, mut skipped) = (Vec::new(), Vec::new());
    let feeds_dir = folder.feeds();
    if feeds_dir.is_dir() {
        let walked = mamori_ingest::files::walk_within(&feeds_dir, folder.root());
        skipped = walked.skipped;
        for path in walked.files {
            let db_ref = &mut loaded.db;
            let result = read_feed(&path, &mut |item| db_ref.add(item));
            if let Ok(f) = &result {
                loaded.feeds.push(FeedSource {
                    kind: f.kind,
                    source: folder.relative(&path),
                    stamp: f.stamp.clone(),
                });
            }
            files.push((path, result));
        }
    }
    let mut from_store = None;
    if let Some(db) = db.filter(|p| p.exists()) {
        let store = Store::open(db)
            .await
            .with_context(|| format!("database {}", db.display()))?;
        let counts = store.vuln_counts().await?;
        if counts.iter().any(|&c| c > 0) {
            load_from_store(&store, site, &mut loaded).await?;
            from_store = Some(counts);
        }
        store.close().await;
    }
    if files.is_empty() && skipped.is_empty() && from_store.is_none() {
        return Ok(None);
    }
    Ok(Some(SiteVuln {
        loaded,
        files,
        skipped,
        from_store,
    }))
}

/// JVN whole (its Japanese product names map ledger rows), then only the CVEs naming the
/// products the site's ledger maps to.
async fn load_from_store(store: &Store, site: &Site, loaded: &mut Loaded) -> anyhow::Result<()> {
    for j in store.load_jvn().await? {
        loaded.db.add(Item::Jvn(j));
    }
    let jvn = loaded.db.jvn();
    // Ledgers repeat the same model thousands of times: map each once.
    let mut models: Vec<(&str, &str, &str, &str)> = site
        .assets
        .iter()
        .map(|a| {
            let version = site.effective_version(a);
            (
                a.vendor.as_str(),
                a.product.as_str(),
                version,
                a.cpe.as_str(),
            )
        })
        .collect();
    models.sort_unstable();
    models.dedup();
    let mut keys: Vec<String> = models
        .into_iter()
        .filter_map(|(vendor, product, version, cpe)| {
            map_asset(vendor, product, version, cpe, jvn).ok()
        })
        .flat_map(|m| m.product_keys())
        .collect();
    keys.sort();
    keys.dedup();
    let stored = store.load_vuln(&keys).await?;
    for item in stored.items {
        loaded.db.add(item);
    }
    loaded.db.mark_analysed(stored.analysed_kev);
    for row in stored.feeds {
        if let Some(kind) = FeedKind::parse(&row.kind) {
            loaded.feeds.push(FeedSource {
                kind,
                source: row.source,
                stamp: row.stamp,
            });
        }
    }
    Ok(())
}
