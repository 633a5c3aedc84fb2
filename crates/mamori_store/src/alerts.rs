//! Live alerts of `mamori watch`.

use mamori_model::Finding;
use sqlx::Row;

use crate::{Store, StoreError};

impl Store {
    /// Records an alert (the finding as raised at `at`).
    pub async fn record_alert(
        &self,
        site_key: &str,
        at: &str,
        finding: &Finding,
    ) -> Result<(), StoreError> {
        let body =
            serde_json::to_string(finding).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO alerts (site_key, finding_id, rule_id, severity, at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(site_key)
        .bind(&finding.id)
        .bind(&finding.rule_id)
        .bind(finding.severity.as_str())
        .bind(at)
        .bind(body)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The site's latest alerts, newest first: (when, finding).
    pub async fn alerts(
        &self,
        site_key: &str,
        limit: u32,
    ) -> Result<Vec<(String, Finding)>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, body FROM alerts WHERE site_key = ?1 ORDER BY id DESC LIMIT ?2",
        )
        .bind(site_key)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let body: String = r.get(1);
                let f = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("alert: {e}")))?;
                Ok((r.get(0), f))
            })
            .collect()
    }
}
