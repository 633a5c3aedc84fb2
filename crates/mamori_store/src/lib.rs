//! The store: the only crate that speaks SQL.
//!
//! SQLite by default — one file, WAL, migrations embedded in the binary and applied on open.
//! Every write of a run happens in one transaction, so a crash leaves either the whole run or
//! none of it. PostgreSQL (for groups running one server for many sites) will be a second
//! implementation behind the same API; keep SQL dialect-neutral where it costs nothing.

#![warn(missing_docs)]

pub mod access;
mod alerts;
mod backup;
pub mod history;
pub mod incident;
mod intel;
mod read;
mod vuln;

pub use intel::IntelRow;
pub use read::{FindingFilter, FindingHistory, FindingStatus, Page, RunSummary};
pub use vuln::{FeedImport, FeedRow, ImportCounts, LoadedVuln};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use mamori_model::Finding;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

/// Why the store could not do what was asked; each names the file or the stored value, so
/// that the person at the terminal knows what to look at.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file cannot be opened (permissions, a folder in its place, not SQLite).
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: sqlx::Error,
    },
    /// The folder for the database, or the file itself, cannot be created.
    #[error("cannot create the folder for the database {path}: {source}")]
    CreateDir {
        /// The folder or file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The schema cannot be brought up to date (a newer mamori wrote this database?).
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A statement failed (disk full, a lock held too long).
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    /// A stored value cannot be read back: the file was edited or damaged.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Where the database lives when `--db` is not given: the per-user data folder
/// (`~/.local/share/mamori/mamori.db` on Linux, `%LOCALAPPDATA%\mamori\mamori.db` on Windows).
pub fn default_db_path() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mamori")
        .join("mamori.db")
}

/// How long a command waits for another one's write (a `vuln import` of a large feed holds
/// its file's transaction for up to a minute) before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Creates the database file readable by its owner only (it holds a map of the hospital's
/// weaknesses); SQLite gives its `-wal` and `-shm` files the same permissions.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// An exclusive lock on `PATH.lock`, held while the schema is brought up to date; waits for
/// another process holding it.
fn migration_lock(path: &Path) -> std::io::Result<std::fs::File> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(PathBuf::from(name))?;
    file.lock()?;
    Ok(file)
}

/// Rows per multi-row INSERT.
const INSERT_CHUNK: usize = 1000;

/// The database: runs and their findings, and vulnerability data. Every pipeline that keeps or
/// reads history goes through it, so SQL stays in this crate.
pub struct Store {
    pool: SqlitePool,
}

/// One run to record.
pub struct NewRun<'a> {
    /// The site's key (site.toml `id`): runs of one site are compared with each other.
    pub site_key: &'a str,
    /// The institution's name, kept as it was at the time of the run.
    pub site_name: &'a str,
    /// `assess` for now; `hunt` and `vuln` later.
    pub kind: &'a str,
    /// When the run started: first/last seen are measured in it.
    pub started_at: Timestamp,
    /// The evaluation day the findings were judged on.
    pub as_of: Date,
    /// The mamori version, so that a change of rules can be told from a change of the site.
    pub tool_version: &'a str,
    /// JSON describing the inputs read and skipped.
    pub inputs: &'a serde_json::Value,
    /// Every finding of the run.
    pub findings: &'a [Finding],
    /// How many of the site's latest runs (of this kind) keep their full findings; older runs
    /// keep only their summary row (site.toml `[database] keep_runs`, default 100).
    pub keep_runs: u32,
}

pub use mamori_model::site::DEFAULT_KEEP_RUNS;

/// What the store knows about a recorded run's findings compared with the previous run.
#[derive(Debug)]
pub struct RunRecord {
    /// The run just recorded.
    pub run_id: i64,
    /// The site's run it was compared with, if any.
    pub previous_run_id: Option<i64>,
    /// When that run started, for "compared with the run of …".
    pub previous_started_at: Option<Timestamp>,
    /// When each current finding was first seen (this run for new ones).
    pub first_seen: HashMap<String, Timestamp>,
    /// Ids of current findings absent from the previous run (all of them on a first run).
    pub new_ids: HashSet<String>,
    /// Findings of the previous run that this run no longer has.
    pub resolved: Vec<Finding>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_with_connections(path, 1).await
    }

    /// [`Store::open`] with up to `connections` connections, for a server answering many
    /// requests at once (WAL lets readers run side by side; writers wait their turn).
    pub async fn open_with_connections(path: &Path, connections: u32) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        create_private(path).map_err(|source| StoreError::CreateDir {
            path: path.to_owned(),
            source,
        })?;
        // Two processes opening a new database at once would both apply the migrations (sqlx
        // takes no lock on SQLite), and switching a new file to WAL can fail at once with
        // "database is locked" instead of waiting: one process opens and migrates at a time,
        // the others wait on a lock file beside the database.
        let lock = migration_lock(path).map_err(|source| StoreError::CreateDir {
            path: path.to_owned(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(connections.max(1))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
        let migrated = sqlx::migrate!("./migrations/sqlite").run(&pool).await;
        drop(lock);
        migrated?;
        Ok(Store { pool })
    }

    /// Records a run and its findings in one transaction, and compares it with the site's
    /// previous run of the same kind.
    pub async fn record_run(&self, run: &NewRun<'_>) -> Result<RunRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = run.started_at.to_string();

        sqlx::query(
            "INSERT INTO sites (key, name, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(key) DO UPDATE SET name = excluded.name",
        )
        .bind(run.site_key)
        .bind(run.site_name)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let site_id: i64 = sqlx::query("SELECT id FROM sites WHERE key = ?1")
            .bind(run.site_key)
            .fetch_one(&mut *tx)
            .await?
            .get(0);

        let previous = sqlx::query(
            "SELECT id, started_at FROM runs WHERE site_id = ?1 AND kind = ?2
             ORDER BY id DESC LIMIT 1",
        )
        .bind(site_id)
        .bind(run.kind)
        .fetch_optional(&mut *tx)
        .await?;
        let (previous_run_id, previous_started_at) = match previous {
            Some(row) => {
                let at: String = row.get(1);
                (Some(row.get::<i64, _>(0)), Some(parse_ts(&at)?))
            }
            None => (None, None),
        };

        let run_id: i64 = sqlx::query(
            "INSERT INTO runs (site_id, kind, started_at, as_of, tool_version, finding_count, inputs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )
        .bind(site_id)
        .bind(run.kind)
        .bind(&now)
        .bind(run.as_of.to_string())
        .bind(run.tool_version)
        .bind(run.findings.len() as i64)
        .bind(run.inputs.to_string())
        .fetch_one(&mut *tx)
        .await?
        .get(0);

        // The previous run's finding ids, to tell new from old and to list what was resolved.
        let mut previous_ids: HashSet<String> = HashSet::new();
        if let Some(prev) = previous_run_id {
            let rows = sqlx::query("SELECT finding_id FROM run_findings WHERE run_id = ?1")
                .bind(prev)
                .fetch_all(&mut *tx)
                .await?;
            previous_ids.extend(rows.into_iter().map(|row| row.get::<String, _>(0)));
        }

        let comparison = history::compare(
            previous_run_id.map(|_| &previous_ids),
            run.findings.iter().map(|f| f.id.as_str()),
        );
        insert_findings(&mut tx, site_id, run_id, &now, run.findings).await?;
        let resolved = resolve(
            &mut tx,
            site_id,
            run_id,
            previous_run_id,
            &comparison.resolved,
        )
        .await?;
        let first_seen = first_seen(&mut tx, site_id, &comparison).await?;
        prune(&mut tx, site_id, run.kind, run.keep_runs).await?;
        tx.commit().await?;

        let new_ids = comparison.new;
        Ok(RunRecord {
            run_id,
            previous_run_id,
            previous_started_at,
            first_seen,
            new_ids,
            resolved,
        })
    }

    /// How many runs are recorded for a site (all kinds).
    pub async fn run_count(&self, site_key: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) FROM runs JOIN sites ON sites.id = runs.site_id WHERE sites.key = ?1",
        )
        .bind(site_key)
        .fetch_one(&self.pool)
        .await?
        .get(0))
    }

    /// Closes the database cleanly (the WAL is checkpointed), so the file can be copied.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// A run's findings (their JSON, in multi-row statements) and the life of each finding.
async fn insert_findings(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    site_id: i64,
    run_id: i64,
    now: &str,
    findings: &[Finding],
) -> Result<(), StoreError> {
    let bodies = findings
        .iter()
        .map(|f| {
            serde_json::to_string(f)
                .map_err(|e| StoreError::Corrupt(format!("finding {}: {e}", f.id)))
        })
        .collect::<Result<Vec<String>, _>>()?;
    // Multi-row statements: one round trip per chunk instead of two per finding (a site
    // with tens of thousands of findings took seconds otherwise). 6 parameters per row
    // keeps a chunk far below SQLite's limit of 32,766 bound parameters.
    for (chunk, chunk_bodies) in findings
        .chunks(INSERT_CHUNK)
        .zip(bodies.chunks(INSERT_CHUNK))
    {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO run_findings (run_id, finding_id, rule_id, severity, subject_key, body) ",
        );
        insert.push_values(chunk.iter().zip(chunk_bodies), |mut row, (f, body)| {
            row.push_bind(run_id)
                .push_bind(&f.id)
                .push_bind(&f.rule_id)
                .push_bind(f.severity.as_str())
                .push_bind(&f.subject.key)
                .push_bind(body);
        });
        insert.build().execute(&mut **tx).await?;

        let mut upsert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO findings (site_id, finding_id, rule_id, status, first_seen_run,
                 first_seen_at, last_seen_run, last_seen_at) ",
        );
        upsert.push_values(chunk, |mut row, f| {
            row.push_bind(site_id)
                .push_bind(&f.id)
                .push_bind(&f.rule_id)
                .push_bind("open")
                .push_bind(run_id)
                .push_bind(now)
                .push_bind(run_id)
                .push_bind(now);
        });
        upsert.push(
            " ON CONFLICT(site_id, finding_id) DO UPDATE SET status = 'open',
                 last_seen_run = excluded.last_seen_run,
                 last_seen_at = excluded.last_seen_at, resolved_run = NULL",
        );
        upsert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Marks the findings gone since the previous run resolved and returns them as that run
/// reported them.
async fn resolve(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    site_id: i64,
    run_id: i64,
    previous_run_id: Option<i64>,
    gone: &[String],
) -> Result<Vec<Finding>, StoreError> {
    let mut resolved = Vec::new();
    for id in gone {
        sqlx::query(
            "UPDATE findings SET status = 'resolved', resolved_run = ?3
             WHERE site_id = ?1 AND finding_id = ?2",
        )
        .bind(site_id)
        .bind(id)
        .bind(run_id)
        .execute(&mut **tx)
        .await?;
        let body: String =
            sqlx::query("SELECT body FROM run_findings WHERE run_id = ?1 AND finding_id = ?2")
                .bind(previous_run_id)
                .bind(id)
                .fetch_one(&mut **tx)
                .await?
                .get(0);
        let finding: Finding = serde_json::from_str(&body)
            .map_err(|e| StoreError::Corrupt(format!("stored finding {id}: {e}")))?;
        resolved.push(finding);
    }
    resolved.sort_by(|a, b| (&a.rule_id, &a.subject.key).cmp(&(&b.rule_id, &b.subject.key)));
    Ok(resolved)
}

/// When each finding of this run was first seen.
async fn first_seen(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    site_id: i64,
    comparison: &history::Comparison,
) -> Result<HashMap<String, Timestamp>, StoreError> {
    let mut first_seen = HashMap::with_capacity(comparison.new.len() + comparison.kept.len());
    let rows = sqlx::query(
        "SELECT finding_id, first_seen_at FROM findings WHERE site_id = ?1 AND status = 'open'",
    )
    .bind(site_id)
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let id: String = row.get(0);
        if comparison.new.contains(&id) || comparison.kept.contains(&id) {
            let at: String = row.get(1);
            first_seen.insert(id, parse_ts(&at)?);
        }
    }
    Ok(first_seen)
}

/// Keeps the full findings of the site's latest `keep` runs of `kind`; older runs keep their
/// summary row (and the findings' first/last seen), not their findings.
async fn prune(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    site_id: i64,
    kind: &str,
    keep: u32,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE runs SET findings_pruned = 1
         WHERE site_id = ?1 AND kind = ?2 AND findings_pruned = 0 AND id NOT IN
             (SELECT id FROM runs WHERE site_id = ?1 AND kind = ?2 ORDER BY id DESC LIMIT ?3)",
    )
    .bind(site_id)
    .bind(kind)
    .bind(i64::from(keep.max(1)))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM run_findings WHERE run_id IN
             (SELECT id FROM runs WHERE site_id = ?1 AND kind = ?2 AND findings_pruned = 1)",
    )
    .bind(site_id)
    .bind(kind)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) fn parse_ts(s: &str) -> Result<Timestamp, StoreError> {
    Timestamp::from_str(s).map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}
