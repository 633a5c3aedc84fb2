//! Vulnerability feeds in the store: imported file by file, each in one transaction (a file
//! that fails to parse half-way leaves nothing behind), idempotently (a record already there
//! and not newer is left alone and counted as unchanged).

use std::collections::HashMap;

use jiff::Timestamp;
use mamori_vuln::record::Configuration;
use mamori_vuln::record::{CveRecord, Epss, JvnRecord, KevEntry};
use mamori_vuln::{FeedFile, Item, db::narrowed_by_product};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use crate::{Store, StoreError};

/// Rows per statement (at most 3 parameters a row: far below SQLite's limit).
const CHUNK: usize = 2000;

/// What an import did to the stored records: the user sees whether a re-import changed
/// anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Records new to the database.
    pub added: u64,
    /// Records replaced by a newer version (newer `lastModified`, a changed KEV entry).
    pub updated: u64,
    /// Records already stored as they are.
    pub unchanged: u64,
}

/// One file's import, open until [`FeedImport::finish`]; dropping it rolls back.
pub struct FeedImport<'s> {
    tx: Transaction<'s, Sqlite>,
    /// What the import has done so far.
    pub counts: ImportCounts,
}

/// An imported file as `vuln status` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedRow {
    /// `kev`, `nvd`, `jvn`, `epss`.
    pub kind: String,
    /// The file it came from.
    pub source: String,
    /// The format as read.
    pub format: String,
    /// The data's own date: how stale it is is judged by this, not by the import time.
    pub stamp: Option<String>,
    /// When it was imported.
    pub imported_at: String,
    /// Records read from the file.
    pub records: i64,
    /// Records it added.
    pub added: i64,
    /// Records it updated.
    pub updated: i64,
}

/// What `assess` needs from the store for one site.
#[derive(Default)]
pub struct LoadedVuln {
    /// The records naming the site's products (CVE summaries with narrowed configurations,
    /// KEV, EPSS).
    pub items: Vec<Item>,
    /// CVEs in KEV that NVD has analysed (their records may not be among `items`).
    pub analysed_kev: Vec<String>,
    /// The imported files, for the feed-age check.
    pub feeds: Vec<FeedRow>,
}

/// What loading keeps of a record besides its narrowed configurations.
fn summary(record: &CveRecord) -> CveRecord {
    CveRecord {
        id: record.id.clone(),
        last_modified: record.last_modified.clone(),
        published: record.published.clone(),
        status: record.status.clone(),
        description: String::new(),
        cvss: record.cvss.clone(),
        configurations: Vec::new(),
        kev_mirror: record.kev_mirror.clone(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

impl Store {
    /// Starts one file's import: everything it adds is one transaction, so a file broken
    /// half-way leaves nothing behind.
    pub async fn begin_import(&self) -> Result<FeedImport<'_>, StoreError> {
        Ok(FeedImport {
            tx: self.pool.begin().await?,
            counts: ImportCounts::default(),
        })
    }

    /// Every imported file, newest import first.
    pub async fn feed_status(&self) -> Result<Vec<FeedRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, source, format, stamp, imported_at, records, added, updated
             FROM vuln_feeds ORDER BY imported_at DESC, kind, source",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| FeedRow {
                kind: r.get(0),
                source: r.get(1),
                format: r.get(2),
                stamp: r.get(3),
                imported_at: r.get(4),
                records: r.get(5),
                added: r.get(6),
                updated: r.get(7),
            })
            .collect())
    }

    /// Record counts per table: CVEs, KEV entries, JVN entries, EPSS scores.
    pub async fn vuln_counts(&self) -> Result<[i64; 4], StoreError> {
        let mut out = [0; 4];
        for (slot, table) in out.iter_mut().zip([
            "SELECT COUNT(*) FROM vuln_cves",
            "SELECT COUNT(*) FROM vuln_kev",
            "SELECT COUNT(*) FROM vuln_jvn",
            "SELECT COUNT(*) FROM vuln_epss",
        ]) {
            *slot = sqlx::query(table).fetch_one(&self.pool).await?.get(0);
        }
        Ok(out)
    }

    /// Every JVN entry: their Japanese maker and product names map ledger rows, so they are
    /// needed before the site's products are known.
    pub async fn load_jvn(&self) -> Result<Vec<JvnRecord>, StoreError> {
        sqlx::query("SELECT id, record FROM vuln_jvn")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|row| from_json(row.get::<&str, _>(1), row.get::<&str, _>(0)))
            .collect()
    }

    /// The CVEs whose criteria name one of `products` (`o:fortinet:fortios`), the KEV catalog
    /// and their EPSS scores (JVN: [`Store::load_jvn`]).
    pub async fn load_vuln(&self, products: &[String]) -> Result<LoadedVuln, StoreError> {
        let mut out = LoadedVuln {
            feeds: self.feed_status().await?,
            ..LoadedVuln::default()
        };
        // A CVE naming several of the site's products comes once per product, each with its
        // narrowed configurations: they are joined back into one record.
        let mut records: HashMap<String, CveRecord> = HashMap::new();
        for chunk in products.chunks(CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "SELECT p.cve_id, COALESCE(c.summary, c.record), p.configurations
                 FROM vuln_cve_products p JOIN vuln_cves c ON c.id = p.cve_id
                 WHERE p.product IN (",
            );
            let mut list = q.separated(", ");
            for p in chunk {
                list.push_bind(p);
            }
            q.push(")");
            for row in q.build().fetch_all(&self.pool).await? {
                let id: &str = row.get(0);
                let narrowed: Option<&str> = row.get(2);
                match (records.get_mut(id), narrowed) {
                    (Some(record), Some(configs)) => {
                        record
                            .configurations
                            .extend(from_json::<Vec<Configuration>>(configs, id)?)
                    }
                    // Imported before narrowing: the whole record is already there.
                    (Some(_), None) => {}
                    (None, _) => {
                        let mut record: CveRecord = from_json(row.get::<&str, _>(1), id)?;
                        if let Some(configs) = narrowed {
                            record.configurations = from_json(configs, id)?;
                        }
                        records.insert(id.to_owned(), record);
                    }
                }
            }
        }
        let mut cve_ids: Vec<String> = records.keys().cloned().collect();
        out.items.extend(records.into_values().map(Item::Cve));
        for row in sqlx::query("SELECT cve_id, record FROM vuln_kev")
            .fetch_all(&self.pool)
            .await?
        {
            let id: String = row.get(0);
            out.items
                .push(Item::Kev(from_json(row.get::<&str, _>(1), &id)?));
            cve_ids.push(id);
        }
        out.analysed_kev = sqlx::query(
            // CROSS JOIN keeps KEV (~1,300 rows) as the outer loop: the planner may otherwise
            // scan every stored CVE's record text with LIKE.
            "SELECT c.id FROM vuln_kev k CROSS JOIN vuln_cves c ON c.id = k.cve_id
             WHERE c.record LIKE '%\"configurations\"%'",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
        cve_ids.sort();
        cve_ids.dedup();
        for chunk in cve_ids.chunks(CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "SELECT cve_id, score, percentile FROM vuln_epss WHERE cve_id IN (",
            );
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(id);
            }
            q.push(")");
            for row in q.build().fetch_all(&self.pool).await? {
                let (score, percentile): (f64, f64) = (row.get(1), row.get(2));
                #[allow(clippy::cast_possible_truncation)]
                out.items.push(Item::Epss(
                    row.get(0),
                    Epss {
                        score: score as f32,
                        percentile: percentile as f32,
                    },
                ));
            }
        }
        Ok(out)
    }
}

impl FeedImport<'_> {
    /// Adds a batch of records (any kinds).
    pub async fn add(&mut self, items: Vec<Item>) -> Result<(), StoreError> {
        let (mut cves, mut kev, mut epss, mut jvn) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for item in items {
            match item {
                Item::Cve(r) => cves.push(r),
                Item::Kev(k) => kev.push(k),
                Item::Epss(id, e) => epss.push((id, e)),
                Item::Jvn(j) => jvn.push(j),
            }
        }
        for chunk in cves.chunks(CHUNK) {
            self.add_cves(chunk).await?;
        }
        for chunk in kev.chunks(CHUNK) {
            self.add_kev(chunk).await?;
        }
        for chunk in epss.chunks(CHUNK) {
            self.add_epss(chunk).await?;
        }
        for chunk in jvn.chunks(CHUNK) {
            self.add_jvn(chunk).await?;
        }
        Ok(())
    }

    /// `key → value` of the rows already stored for `ids`.
    async fn existing(
        &mut self,
        select: &'static str,
        ids: impl Iterator<Item = &str>,
    ) -> Result<HashMap<String, String>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(select);
        q.push(" (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(id.to_owned());
        }
        q.push(")");
        Ok(q.build()
            .fetch_all(&mut *self.tx)
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    /// Keeps the newest copy of each id within the batch, then splits off what the store
    /// already has at least as new.
    fn newer<'a, T>(
        &mut self,
        batch: &'a [T],
        id: impl Fn(&T) -> &str,
        stamp: impl Fn(&T) -> &str,
        stored: &HashMap<String, String>,
    ) -> Vec<(&'a T, bool)> {
        let mut newest: HashMap<&str, &T> = HashMap::new();
        for r in batch {
            match newest.get(id(r)) {
                Some(prev) if stamp(prev) >= stamp(r) => {}
                _ => {
                    newest.insert(id(r), r);
                }
            }
        }
        let mut out = Vec::new();
        for r in newest.into_values() {
            match stored.get(id(r)) {
                Some(old) if old.as_str() >= stamp(r) => self.counts.unchanged += 1,
                Some(_) => {
                    self.counts.updated += 1;
                    out.push((r, true));
                }
                None => {
                    self.counts.added += 1;
                    out.push((r, false));
                }
            }
        }
        out
    }

    async fn add_cves(&mut self, batch: &[CveRecord]) -> Result<(), StoreError> {
        let stored = self
            .existing(
                "SELECT id, last_modified FROM vuln_cves WHERE id IN",
                batch.iter().map(|r| r.id.as_str()),
            )
            .await?;
        let write = self.newer(batch, |r| &r.id, |r| &r.last_modified, &stored);
        if write.is_empty() {
            return Ok(());
        }
        let bodies = write
            .iter()
            .map(|(r, _)| Ok((json(r)?, json(&summary(r))?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO vuln_cves (id, last_modified, record, summary) ",
        );
        q.push_values(
            write.iter().zip(&bodies),
            |mut row, ((r, _), (body, sum))| {
                row.push_bind(&r.id)
                    .push_bind(&r.last_modified)
                    .push_bind(body)
                    .push_bind(sum);
            },
        );
        q.push(
            " ON CONFLICT(id) DO UPDATE SET last_modified = excluded.last_modified,
              record = excluded.record, summary = excluded.summary",
        );
        q.build().execute(&mut *self.tx).await?;
        let replaced: Vec<&str> = write
            .iter()
            .filter(|(_, replaced)| *replaced)
            .map(|(r, _)| r.id.as_str())
            .collect();
        if !replaced.is_empty() {
            let mut q =
                QueryBuilder::<Sqlite>::new("DELETE FROM vuln_cve_products WHERE cve_id IN (");
            let mut list = q.separated(", ");
            for id in replaced {
                list.push_bind(id);
            }
            q.push(")");
            q.build().execute(&mut *self.tx).await?;
        }
        let mut keys: Vec<(String, &str, String)> = Vec::new();
        for (r, _) in &write {
            for (key, configs) in narrowed_by_product(r) {
                keys.push((key, r.id.as_str(), json(&configs)?));
            }
        }
        for chunk in keys.chunks(CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT OR IGNORE INTO vuln_cve_products (product, cve_id, configurations) ",
            );
            q.push_values(chunk, |mut row, (k, id, configs)| {
                row.push_bind(k).push_bind(*id).push_bind(configs);
            });
            q.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn add_kev(&mut self, batch: &[KevEntry]) -> Result<(), StoreError> {
        let stored = self
            .existing(
                "SELECT cve_id, record FROM vuln_kev WHERE cve_id IN",
                batch.iter().map(|k| k.cve.as_str()),
            )
            .await?;
        // KEV entries carry no modification date: an entry that reads differently replaces
        // the stored one (CISA updates notes and the ransomware flag).
        let mut write = Vec::new();
        for k in batch {
            let body = json(k)?;
            match stored.get(&k.cve) {
                Some(old) if *old == body => self.counts.unchanged += 1,
                Some(_) => {
                    self.counts.updated += 1;
                    write.push((k, body));
                }
                None => {
                    self.counts.added += 1;
                    write.push((k, body));
                }
            }
        }
        if write.is_empty() {
            return Ok(());
        }
        let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO vuln_kev (cve_id, record) ");
        q.push_values(&write, |mut row, (k, body)| {
            row.push_bind(&k.cve).push_bind(body);
        });
        q.push(" ON CONFLICT(cve_id) DO UPDATE SET record = excluded.record");
        q.build().execute(&mut *self.tx).await?;
        Ok(())
    }

    async fn add_epss(&mut self, batch: &[(String, Epss)]) -> Result<(), StoreError> {
        let stored = self
            .existing(
                "SELECT cve_id, score || '/' || percentile FROM vuln_epss WHERE cve_id IN",
                batch.iter().map(|(id, _)| id.as_str()),
            )
            .await?;
        let mut write = Vec::new();
        for (id, e) in batch {
            let same = stored.get(id).is_some_and(|old| {
                let mut parts = old.split('/').map(|p| p.parse::<f64>().unwrap_or(-1.0));
                let (s, p) = (parts.next().unwrap_or(-1.0), parts.next().unwrap_or(-1.0));
                (s - f64::from(e.score)).abs() < 1e-6 && (p - f64::from(e.percentile)).abs() < 1e-6
            });
            match (stored.contains_key(id), same) {
                (true, true) => self.counts.unchanged += 1,
                (true, false) => {
                    self.counts.updated += 1;
                    write.push((id, e));
                }
                (false, _) => {
                    self.counts.added += 1;
                    write.push((id, e));
                }
            }
        }
        if write.is_empty() {
            return Ok(());
        }
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT INTO vuln_epss (cve_id, score, percentile) ");
        q.push_values(&write, |mut row, (id, e)| {
            row.push_bind(*id)
                .push_bind(f64::from(e.score))
                .push_bind(f64::from(e.percentile));
        });
        q.push(
            " ON CONFLICT(cve_id) DO UPDATE SET score = excluded.score,
              percentile = excluded.percentile",
        );
        q.build().execute(&mut *self.tx).await?;
        Ok(())
    }

    async fn add_jvn(&mut self, batch: &[JvnRecord]) -> Result<(), StoreError> {
        let stored = self
            .existing(
                "SELECT id, last_modified FROM vuln_jvn WHERE id IN",
                batch.iter().map(|j| j.id.as_str()),
            )
            .await?;
        let write = self.newer(batch, |j| &j.id, |j| &j.last_modified, &stored);
        if write.is_empty() {
            return Ok(());
        }
        let bodies = write
            .iter()
            .map(|(j, _)| json(j))
            .collect::<Result<Vec<_>, _>>()?;
        let mut q =
            QueryBuilder::<Sqlite>::new("INSERT INTO vuln_jvn (id, last_modified, record) ");
        q.push_values(write.iter().zip(&bodies), |mut row, ((j, _), body)| {
            row.push_bind(&j.id)
                .push_bind(&j.last_modified)
                .push_bind(body);
        });
        q.push(
            " ON CONFLICT(id) DO UPDATE SET last_modified = excluded.last_modified,
              record = excluded.record",
        );
        q.build().execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Records the file and commits everything it brought.
    pub async fn finish(
        mut self,
        file: &FeedFile,
        source: &str,
        imported_at: Timestamp,
    ) -> Result<ImportCounts, StoreError> {
        sqlx::query(
            "INSERT INTO vuln_feeds (kind, source, format, stamp, imported_at, records, added, updated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(kind, source) DO UPDATE SET format = excluded.format,
               stamp = excluded.stamp, imported_at = excluded.imported_at,
               records = excluded.records, added = excluded.added, updated = excluded.updated",
        )
        .bind(file.kind.as_str())
        .bind(source)
        .bind(&file.format)
        .bind(&file.stamp)
        .bind(imported_at.to_string())
        .bind(i64::try_from(file.records).unwrap_or(i64::MAX))
        .bind(i64::try_from(self.counts.added).unwrap_or(i64::MAX))
        .bind(i64::try_from(self.counts.updated).unwrap_or(i64::MAX))
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(self.counts)
    }
}
