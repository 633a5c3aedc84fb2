//! `backup scan` and the scans `assess` runs (site.toml `[backup] scan`): each destination
//! walked and sampled by `mamori_backup`, compared with its previous manifest in the store
//! (what changed since), its new manifest kept, and the `backup.*` checks run on the result.

use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::civil::Date;
use mamori_backup::{ScanOptions, scan_destination};
use mamori_checks::{CheckContext, run_group};
use mamori_model::Finding;
use mamori_model::backup::{Changes, DestinationScan};
use mamori_model::input::InputError;
use mamori_model::site::Site;
use mamori_store::Store;

use crate::{Clock, SiteFolder};

/// The store key of manifests scanned without a site folder.
const NO_SITE: &str = "";

/// What `backup scan` is asked to do.
pub struct BackupScanOptions {
    /// The destinations (folders, mounted shares).
    pub paths: Vec<PathBuf>,
    /// The site whose backup ledger, thresholds and id apply.
    pub site: Option<SiteFolder>,
    /// The evaluation day (default: today in Japan).
    pub as_of: Option<Date>,
    /// Overrides `thresholds.backup_max_age_days`.
    pub max_age_days: Option<i64>,
    /// Overrides `thresholds.backup_min_generations`.
    pub min_generations: Option<i64>,
    /// The database holding the previous manifests.
    pub db: PathBuf,
    /// Where "now" comes from.
    pub clock: Clock,
}

/// What the scan found.
pub struct BackupScanOutcome {
    /// Each destination scanned.
    pub scans: Vec<DestinationScan>,
    /// The backup checks' findings (the ledger's too when a site was given).
    pub findings: Vec<Finding>,
}

/// Scans the destinations and runs the backup checks. `Err` with input errors when the site
/// folder cannot be used; a database that cannot be opened is an error too (the changes since
/// the last scan are part of the answer).
pub async fn scan(
    opts: &BackupScanOptions,
) -> anyhow::Result<Result<BackupScanOutcome, Vec<InputError>>> {
    let as_of = opts.as_of.unwrap_or_else(|| opts.clock.today());
    let mut site = match &opts.site {
        Some(folder) => match folder.load(as_of, &opts.clock) {
            Ok(load) => load.site,
            Err(errors) => return Ok(Err(errors)),
        },
        None => Site::default(),
    };
    let t = &mut site.config.thresholds;
    if let Some(days) = opts.max_age_days {
        t.backup_max_age_days = days;
    }
    if let Some(n) = opts.min_generations {
        t.backup_min_generations = n;
    }
    let store = Store::open(&opts.db)
        .await
        .with_context(|| format!("database {}", opts.db.display()))?;
    let key = if opts.site.is_some() {
        site.config.id.clone()
    } else {
        NO_SITE.to_owned()
    };
    let now = opts.clock.now().to_string();
    site.backup_scans = scan_all(&opts.paths, Some(&store), &key, &now, true).await?;
    store.close().await;
    let findings = run_group(&CheckContext::new(&site, as_of), "backup");
    Ok(Ok(BackupScanOutcome {
        scans: site.backup_scans,
        findings,
    }))
}

/// Scans each destination (on the blocking pool: it reads disks and uses every core), fills in
/// what changed since the manifest stored for `site_key`, and stores the new manifest when
/// `save`.
pub async fn scan_all(
    paths: &[PathBuf],
    store: Option<&Store>,
    site_key: &str,
    now: &str,
    save: bool,
) -> anyhow::Result<Vec<DestinationScan>> {
    let mut scans = Vec::new();
    for path in paths {
        let root = path.clone();
        let mut scan =
            tokio::task::spawn_blocking(move || scan_destination(&root, ScanOptions::default()))
                .await
                .context("the scan stopped")?;
        let destination = destination_key(path);
        if let Some(store) = store {
            if let Some((at, previous)) = store.backup_manifest(site_key, &destination).await? {
                scan.changes = Some(Changes::between(&previous, &at, &scan.manifest));
            }
            if save {
                store
                    .save_backup_manifest(site_key, &destination, now, &scan.manifest)
                    .await?;
            }
        }
        scans.push(scan);
    }
    Ok(scans)
}

/// A destination's key in the store: its absolute path, so that `./nas` and `/mnt/nas` are one.
fn destination_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}
