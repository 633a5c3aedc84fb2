//! Blocklists as intelligence feeds: `intel import` stores them, `intel status` lists them, and
//! every command that matches names or addresses (`mail check`, `hunt`, `assess`) loads the
//! stored lists together with those in `SITE_DIR/feeds/blocklists/`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use mamori_model::Localized;
use mamori_store::{IntelRow, Store};
use mamori_vuln::blocklist::{BlockList, Intel, read_blocklist};

use crate::{Clock, SiteFolder};

/// One file read as a list.
pub struct ListRead {
    /// The file, as named or found.
    pub file: String,
    /// The list as read (its name is the file name).
    pub list: BlockList,
}

/// What `intel import` did.
#[derive(Default)]
pub struct IntelImport {
    /// Lists stored.
    pub imported: Vec<ListRead>,
    /// Files not stored, with the reason (unreadable, no entry at all).
    pub failed: Vec<(String, Localized)>,
    /// Files left out while walking (links outside, special files).
    pub skipped: Vec<(String, Localized)>,
}

impl IntelImport {
    /// The lists stored, as the report shows them.
    pub fn imported_lists(&self) -> Vec<mamori_report::mail::ListSummary> {
        self.imported
            .iter()
            .map(|one| {
                let l = &one.list;
                let n = |v: usize| v as u64;
                mamori_report::mail::ListSummary {
                    name: l.name.clone(),
                    source: one.file.clone(),
                    stamp: l.date.clone(),
                    imported_at: None,
                    domains: n(l.domains.len()),
                    addresses: n(l.addresses.len()),
                    networks: n(l.networks.len()),
                    paths: n(l.paths.len()),
                    problems: n(l.problems.len()),
                }
            })
            .collect()
    }

    /// Nothing stored, or a file failed.
    pub fn is_incomplete(&self) -> bool {
        self.imported.is_empty() || !self.failed.is_empty()
    }
}

/// Reads every list under `paths` (into `imported`, not yet stored): a file with no entry at
/// all is a failure (a list that lists nothing would make every check look clean).
pub fn read_lists(paths: &[PathBuf]) -> IntelImport {
    let walked = mamori_ingest::files::walk(paths);
    let mut done = IntelImport {
        skipped: walked
            .skipped
            .into_iter()
            .map(|(p, why)| (p.display().to_string(), why))
            .collect(),
        ..IntelImport::default()
    };
    for path in walked.files {
        let file = path.display().to_string();
        match read_list(&path) {
            Ok(list) => done.imported.push(ListRead { file, list }),
            Err(why) => done.failed.push((file, why)),
        }
    }
    done
}

fn read_list(path: &Path) -> Result<BlockList, Localized> {
    let bytes = mamori_ingest::files::read_limited(path)
        .map_err(|e| Localized::new(format!("読めません: {e}"), format!("cannot read: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let list = read_blocklist(&name, &String::from_utf8_lossy(&bytes));
    if list.is_empty() {
        return Err(Localized::new(
            "ドメイン名も IP アドレスも見つかりません（hosts 形式、1 行 1 ドメイン、Maltrail、IP・CIDR の一覧を読めます）",
            "no domain name or IP address found (hosts files, one domain per line, Maltrail trails, IP and CIDR lists are read)",
        ));
    }
    Ok(list)
}

/// Imports the lists under `paths` into the database: each list replaces the stored list of
/// the same name in one statement.
pub async fn import(paths: &[PathBuf], db: &Path, clock: &Clock) -> anyhow::Result<IntelImport> {
    let mut done = read_lists(paths);
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    for one in std::mem::take(&mut done.imported) {
        match store
            .import_blocklist(&one.list, &one.file, clock.now())
            .await
        {
            Ok(()) => done.imported.push(one),
            Err(e) => done.failed.push((
                one.file,
                Localized::new(format!("保存できません: {e}"), format!("cannot store: {e}")),
            )),
        }
    }
    store.close().await;
    Ok(done)
}

/// The stored lists.
pub async fn status(db: &Path) -> anyhow::Result<Vec<mamori_report::mail::ListSummary>> {
    if !db.exists() {
        return Ok(Vec::new());
    }
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    let rows = store.intel_status().await?;
    store.close().await;
    Ok(rows.into_iter().map(summary_of).collect())
}

fn summary_of(row: IntelRow) -> mamori_report::mail::ListSummary {
    let n = |v: i64| u64::try_from(v).unwrap_or_default();
    mamori_report::mail::ListSummary {
        name: row.name,
        source: row.source,
        stamp: row.stamp,
        imported_at: Some(row.imported_at),
        domains: n(row.domains),
        addresses: n(row.addresses),
        networks: n(row.networks),
        paths: n(row.paths),
        problems: n(row.problems),
    }
}

/// The lists to match against: those stored in `db` (when it exists: a read never creates a
/// database) and those in the site's `feeds/blocklists/`. Lists that could not be read are
/// returned with the reason.
pub async fn load(
    db: &Path,
    site: Option<&SiteFolder>,
) -> anyhow::Result<(Intel, Vec<(String, Localized)>)> {
    let mut intel = Intel::default();
    let mut notes = Vec::new();
    if db.exists() {
        let store = Store::open(db)
            .await
            .with_context(|| format!("database {}", db.display()))?;
        intel = store.load_intel().await?;
        store.close().await;
    }
    if let Some(site) = site {
        let folder = site.feeds().join("blocklists");
        if folder.is_dir() {
            let read = read_lists(&[folder]);
            for one in read.imported {
                // The site's copy wins over a stored list of the same name.
                intel.lists.retain(|l| l.name != one.list.name);
                intel.lists.push(one.list);
            }
            notes.extend(read.failed);
        }
    }
    Ok((intel, notes))
}
