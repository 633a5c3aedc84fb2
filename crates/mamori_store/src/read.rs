//! The read side: runs, one run's findings, a finding's history — what a dashboard lists and
//! what a report of an earlier run shows. Every list is paginated.

use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use mamori_model::{Finding, Severity};
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::{Store, StoreError, parse_ts};

/// A page of a list: `limit` rows after skipping `offset`.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (at most [`Page::MAX`]).
    pub limit: u32,
}

impl Page {
    /// The most rows one page returns.
    pub const MAX: u32 = 1000;

    /// The first `limit` rows.
    pub fn first(limit: u32) -> Self {
        Self { offset: 0, limit }
    }

    fn limit(self) -> i64 {
        i64::from(self.limit.min(Self::MAX))
    }
}

/// One recorded run, without its findings.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// The run's id.
    pub id: i64,
    /// The site's key (site.toml's `id`) and name.
    pub site_key: String,
    /// The institution's name at the time of the run.
    pub site_name: String,
    /// `assess`.
    pub kind: String,
    /// When the run started.
    pub started_at: Timestamp,
    /// The evaluation day.
    pub as_of: Date,
    /// The mamori version that made it.
    pub tool_version: String,
    /// Findings the run had.
    pub finding_count: i64,
    /// Whether the run's full findings are still stored (the retention setting prunes old
    /// runs to their summary).
    pub findings_kept: bool,
}

/// Which findings of a run to list.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    /// Only this finding (its stable id).
    pub finding_id: Option<String>,
    /// Only this rule (`account.leaver-enabled`).
    pub rule_id: Option<String>,
    /// Only rules whose id starts so (`backup.`).
    pub rule_prefix: Option<String>,
    /// Only this subject (its key: an account, a device, a vendor).
    pub subject_key: Option<String>,
    /// Only this severity and above.
    pub min_severity: Option<Severity>,
    /// Only this severity.
    pub severity: Option<Severity>,
    /// Only findings serving this measure (`data/measures.toml` id).
    pub measure: Option<String>,
    /// Only subjects of this kind (`asset`, `account`, `vendor`…).
    pub subject_kind: Option<String>,
    /// Only these subjects, as (kind, key): what a vendor's user may see. `Some(empty)` lists
    /// nothing.
    pub scope: Option<Vec<(String, String)>>,
}

/// Where a finding stands across a site's runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingStatus {
    /// In the site's latest run.
    Open,
    /// Gone in a later run.
    Resolved,
}

/// The life of one finding of a site.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingHistory {
    /// The finding's stable id.
    pub finding_id: String,
    /// Its rule.
    pub rule_id: String,
    /// Open or resolved.
    pub status: FindingStatus,
    /// The run that first had it, and when.
    pub first_seen_run: i64,
    /// When it was first seen.
    pub first_seen_at: Timestamp,
    /// The last run that had it.
    pub last_seen_run: i64,
    /// When it was last seen.
    pub last_seen_at: Timestamp,
    /// The run that no longer had it.
    pub resolved_run: Option<i64>,
}

const RUN_COLUMNS: &str = "SELECT runs.id, sites.key, sites.name, runs.kind, runs.started_at, \
     runs.as_of, runs.tool_version, runs.finding_count, runs.findings_pruned \
     FROM runs JOIN sites ON sites.id = runs.site_id";

fn run_summary(row: &sqlx::sqlite::SqliteRow) -> Result<RunSummary, StoreError> {
    let started: String = row.get(4);
    let as_of: String = row.get(5);
    Ok(RunSummary {
        id: row.get(0),
        site_key: row.get(1),
        site_name: row.get(2),
        kind: row.get(3),
        started_at: parse_ts(&started)?,
        as_of: Date::from_str(&as_of)
            .map_err(|e| StoreError::Corrupt(format!("date {as_of:?}: {e}")))?,
        tool_version: row.get(6),
        finding_count: row.get(7),
        findings_kept: row.get::<i64, _>(8) == 0,
    })
}

/// The `severity_rank` column's value (migration 0008): 0 for critical … 4 for info.
fn rank(s: Severity) -> i64 {
    match s {
        Severity::Critical => 0,
        Severity::High => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
        Severity::Info => 4,
    }
}

/// Appends the filter's conditions (after `WHERE run_id = ?`).
fn push_filter(q: &mut QueryBuilder<Sqlite>, filter: &FindingFilter) {
    if let Some(id) = &filter.finding_id {
        q.push(" AND finding_id = ").push_bind(id);
    }
    if let Some(rule) = &filter.rule_id {
        q.push(" AND rule_id = ").push_bind(rule);
    }
    if let Some(subject) = &filter.subject_key {
        q.push(" AND subject_key = ").push_bind(subject);
    }
    if let Some(prefix) = &filter.rule_prefix {
        q.push(" AND substr(rule_id, 1, length(")
            .push_bind(prefix.clone())
            .push(")) = ")
            .push_bind(prefix.clone());
    }
    if let Some(min) = filter.min_severity {
        q.push(" AND severity_rank <= ").push_bind(rank(min));
    }
    if let Some(severity) = filter.severity {
        q.push(" AND severity_rank = ").push_bind(rank(severity));
    }
    if let Some(measure) = &filter.measure {
        q.push(" AND EXISTS (SELECT 1 FROM json_each(body, '$.measures') WHERE value = ")
            .push_bind(measure)
            .push(")");
    }
    if let Some(kind) = &filter.subject_kind {
        q.push(" AND json_extract(body, '$.subject.kind') = ")
            .push_bind(kind);
    }
    if let Some(scope) = &filter.scope {
        if scope.is_empty() {
            q.push(" AND 0");
        } else {
            // The key list narrows by index first; the kind is checked on those rows only.
            q.push(" AND subject_key IN (");
            let mut keys = q.separated(", ");
            for (_, key) in scope {
                keys.push_bind(key.clone());
            }
            q.push(") AND (json_extract(body, '$.subject.kind') || char(0) || subject_key) IN (");
            let mut list = q.separated(", ");
            for (kind, key) in scope {
                list.push_bind(format!("{kind}\0{key}"));
            }
            q.push(")");
        }
    }
}

impl Store {
    /// How many findings of a run the filter keeps (for paging).
    pub async fn count_run_findings(
        &self,
        run_id: i64,
        filter: &FindingFilter,
    ) -> Result<i64, StoreError> {
        let mut q =
            QueryBuilder::<Sqlite>::new("SELECT count(*) FROM run_findings WHERE run_id = ");
        q.push_bind(run_id);
        push_filter(&mut q, filter);
        Ok(q.build().fetch_one(&self.pool).await?.get(0))
    }

    /// A run's findings counted by severity (most severe first; absent severities are 0).
    pub async fn run_severity_counts(
        &self,
        run_id: i64,
    ) -> Result<Vec<(Severity, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT severity, count(*) FROM run_findings WHERE run_id = ?1 GROUP BY severity",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Severity::ALL_DESCENDING
            .into_iter()
            .map(|s| {
                let n = rows
                    .iter()
                    .find(|(k, _)| k == s.as_str())
                    .map_or(0, |(_, n)| *n);
                (s, n)
            })
            .collect())
    }

    /// A run's findings counted by subject key (for the ledgers: each row's findings).
    pub async fn run_subject_counts(
        &self,
        run_id: i64,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT subject_key, count(*) FROM run_findings WHERE run_id = ?1 GROUP BY subject_key",
        )
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// How many of a site's findings a run brought (first seen in it) and resolved.
    pub async fn run_changes(&self, site_key: &str, run_id: i64) -> Result<(i64, i64), StoreError> {
        let (new, resolved): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(first_seen_run = ?2), 0), COALESCE(SUM(resolved_run = ?2), 0)
             FROM findings JOIN sites ON sites.id = findings.site_id WHERE sites.key = ?1",
        )
        .bind(site_key)
        .bind(run_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((new, resolved))
    }

    /// The ids of a site's findings first seen in `run_id`.
    pub async fn new_in_run(&self, site_key: &str, run_id: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT finding_id FROM findings JOIN sites ON sites.id = findings.site_id
             WHERE sites.key = ?1 AND first_seen_run = ?2",
        )
        .bind(site_key)
        .bind(run_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Recorded runs, newest first; of one site when `site_key` is given.
    pub async fn list_runs(
        &self,
        site_key: Option<&str>,
        page: Page,
    ) -> Result<Vec<RunSummary>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(RUN_COLUMNS);
        if let Some(key) = site_key {
            q.push(" WHERE sites.key = ").push_bind(key);
        }
        q.push(" ORDER BY runs.id DESC LIMIT ")
            .push_bind(page.limit())
            .push(" OFFSET ")
            .push_bind(i64::from(page.offset));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(run_summary).collect()
    }

    /// One run's summary.
    pub async fn run(&self, run_id: i64) -> Result<Option<RunSummary>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(RUN_COLUMNS);
        q.push(" WHERE runs.id = ").push_bind(run_id);
        let row = q.build().fetch_optional(&self.pool).await?;
        row.as_ref().map(run_summary).transpose()
    }

    /// One run's findings (most severe first, then by rule and subject), filtered and paged.
    /// Empty for a run pruned to its summary.
    pub async fn run_findings(
        &self,
        run_id: i64,
        filter: &FindingFilter,
        page: Page,
    ) -> Result<Vec<Finding>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT finding_id, body FROM run_findings WHERE run_id = ",
        );
        q.push_bind(run_id);
        push_filter(&mut q, filter);
        q.push(" ORDER BY severity_rank, rule_id, subject_key, finding_id LIMIT ")
            .push_bind(page.limit())
            .push(" OFFSET ")
            .push_bind(i64::from(page.offset));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let id: String = row.get(0);
                let body: String = row.get(1);
                serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("stored finding {id}: {e}")))
            })
            .collect()
    }

    /// Where one finding of a site stands: first and last seen, open or resolved.
    pub async fn finding_history(
        &self,
        site_key: &str,
        finding_id: &str,
    ) -> Result<Option<FindingHistory>, StoreError> {
        let row = sqlx::query(
            "SELECT finding_id, rule_id, status, first_seen_run, first_seen_at, last_seen_run,
                    last_seen_at, resolved_run
             FROM findings JOIN sites ON sites.id = findings.site_id
             WHERE sites.key = ?1 AND finding_id = ?2",
        )
        .bind(site_key)
        .bind(finding_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let status: String = row.get(2);
        let (first, last): (String, String) = (row.get(4), row.get(6));
        Ok(Some(FindingHistory {
            finding_id: row.get(0),
            rule_id: row.get(1),
            status: match status.as_str() {
                "open" => FindingStatus::Open,
                "resolved" => FindingStatus::Resolved,
                other => return Err(StoreError::Corrupt(format!("finding status {other:?}"))),
            },
            first_seen_run: row.get(3),
            first_seen_at: parse_ts(&first)?,
            last_seen_run: row.get(5),
            last_seen_at: parse_ts(&last)?,
            resolved_run: row.get(7),
        }))
    }
}
