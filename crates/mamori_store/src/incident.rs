//! Incidents: one open at a time per site, an append-only action log where each line's hash
//! covers the previous line's (`chain_hash`), and evidence files recorded by SHA-256.

pub use mamori_model::incident::{EvidenceFile, Incident, LogLine, chain_hash, verify_chain};

use crate::{Store, StoreError};

type IncidentRow = (i64, String, String, Option<String>);

impl Store {
    /// The site's open incident, if any.
    pub async fn open_incident(&self, site_key: &str) -> Result<Option<Incident>, StoreError> {
        let row: Option<IncidentRow> = sqlx::query_as(
            "SELECT id, summary, started_at, closed_at FROM incidents
             WHERE site_key = ?1 AND closed_at IS NULL ORDER BY id DESC LIMIT 1",
        )
        .bind(site_key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, summary, started_at, closed_at)| Incident {
            id,
            summary,
            started_at,
            closed_at,
        }))
    }

    /// Opens an incident and writes its first log line.
    pub async fn start_incident(
        &self,
        site_key: &str,
        summary: &str,
        at: &str,
        who: &str,
    ) -> Result<Incident, StoreError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO incidents (site_key, summary, started_at) VALUES (?1, ?2, ?3) RETURNING id",
        )
        .bind(site_key)
        .bind(summary)
        .bind(at)
        .fetch_one(&self.pool)
        .await?;
        self.append_incident_log(id, at, who, "start", summary)
            .await?;
        Ok(Incident {
            id,
            summary: summary.to_owned(),
            started_at: at.to_owned(),
            closed_at: None,
        })
    }

    /// Appends a line to an incident's log, chained to the last one.
    pub async fn append_incident_log(
        &self,
        incident: i64,
        at: &str,
        who: &str,
        kind: &str,
        text: &str,
    ) -> Result<LogLine, StoreError> {
        let mut tx = self.pool.begin().await?;
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, hash FROM incident_log WHERE incident_id = ?1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(incident)
        .fetch_optional(&mut *tx)
        .await?;
        let line = LogLine::next(last, at, who, kind, text);
        let insert = sqlx::query(
            "INSERT INTO incident_log (incident_id, seq, at, who, kind, text, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(incident);
        bind_line(insert, &line).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(line)
    }

    /// Closes an incident (a last log line, then the close time).
    pub async fn close_incident(
        &self,
        incident: i64,
        at: &str,
        who: &str,
    ) -> Result<(), StoreError> {
        self.append_incident_log(incident, at, who, "close", "")
            .await?;
        sqlx::query("UPDATE incidents SET closed_at = ?2 WHERE id = ?1")
            .bind(incident)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// An incident's log, in order.
    pub async fn incident_log(&self, incident: i64) -> Result<Vec<LogLine>, StoreError> {
        let rows: Vec<LineRow> = sqlx::query_as(
            "SELECT seq, at, who, kind, text, prev_hash, hash FROM incident_log
             WHERE incident_id = ?1 ORDER BY seq",
        )
        .bind(incident)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(line_of).collect())
    }

    /// Records evidence files of an incident.
    pub async fn add_incident_evidence(
        &self,
        incident: i64,
        files: &[EvidenceFile],
        at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for f in files {
            sqlx::query(
                "INSERT INTO incident_evidence (incident_id, path, sha256, size, modified, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(incident)
            .bind(&f.path)
            .bind(&f.sha256)
            .bind(f.size as i64)
            .bind(&f.modified)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// An incident's evidence files, in the order recorded.
    pub async fn incident_evidence(&self, incident: i64) -> Result<Vec<EvidenceFile>, StoreError> {
        let rows: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT path, sha256, size, modified FROM incident_evidence
             WHERE incident_id = ?1 ORDER BY rowid",
        )
        .bind(incident)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(path, sha256, size, modified)| EvidenceFile {
                path,
                sha256,
                size: size as u64,
                modified,
            })
            .collect())
    }
}

/// A chained log line's columns as stored (incident log and audit log), in table order.
pub(crate) type LineRow = (i64, String, String, String, String, String, String);

/// The line a stored row holds.
pub(crate) fn line_of((seq, at, who, kind, text, prev_hash, hash): LineRow) -> LogLine {
    LogLine {
        seq,
        at,
        who,
        kind,
        text,
        prev_hash,
        hash,
    }
}

/// Binds a line's columns (`seq` … `hash`, in table order) after those already bound: the SQL
/// stays per table, static as sqlx wants it.
pub(crate) fn bind_line<'q>(
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    line: &'q LogLine,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    query
        .bind(line.seq)
        .bind(&line.at)
        .bind(&line.who)
        .bind(&line.kind)
        .bind(&line.text)
        .bind(&line.prev_hash)
        .bind(&line.hash)
}
