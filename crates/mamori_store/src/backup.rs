//! Backup manifests: what each scanned destination held, kept until the next scan replaces it.

use mamori_model::backup::ManifestEntry;

use crate::{Store, StoreError};

impl Store {
    /// The manifest of the previous scan of `destination` for `site_key`, with when it was
    /// made; `None` before the first scan.
    pub async fn backup_manifest(
        &self,
        site_key: &str,
        destination: &str,
    ) -> Result<Option<(String, Vec<ManifestEntry>)>, StoreError> {
        let head: Option<(String,)> = sqlx::query_as(
            "SELECT scanned_at FROM backup_manifests WHERE site_key = ?1 AND destination = ?2",
        )
        .bind(site_key)
        .bind(destination)
        .fetch_optional(&self.pool)
        .await?;
        let Some((scanned_at,)) = head else {
            return Ok(None);
        };
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT path, size, modified, fingerprint FROM backup_manifest_files
             WHERE site_key = ?1 AND destination = ?2",
        )
        .bind(site_key)
        .bind(destination)
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .into_iter()
            .map(|(path, size, modified, fingerprint)| ManifestEntry {
                path,
                size: size as u64,
                modified,
                // Stored as the same 64 bits, signed.
                fingerprint: fingerprint as u64,
            })
            .collect();
        Ok(Some((scanned_at, entries)))
    }

    /// Replaces the manifest of `destination` for `site_key`, in one transaction.
    pub async fn save_backup_manifest(
        &self,
        site_key: &str,
        destination: &str,
        scanned_at: &str,
        entries: &[ManifestEntry],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM backup_manifest_files WHERE site_key = ?1 AND destination = ?2")
            .bind(site_key)
            .bind(destination)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO backup_manifests (site_key, destination, scanned_at, files)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(site_key, destination)
             DO UPDATE SET scanned_at = excluded.scanned_at, files = excluded.files",
        )
        .bind(site_key)
        .bind(destination)
        .bind(scanned_at)
        .bind(entries.len() as i64)
        .execute(&mut *tx)
        .await?;
        // Many rows per statement: one statement per file made a 100,000-file manifest take
        // 5 s (the per-query overhead), 500 per statement takes a fraction of it.
        for chunk in entries.chunks(500) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO backup_manifest_files
                 (site_key, destination, path, size, modified, fingerprint) ",
            );
            insert.push_values(chunk, |mut row, e| {
                row.push_bind(site_key)
                    .push_bind(destination)
                    .push_bind(&e.path)
                    .push_bind(e.size as i64)
                    .push_bind(e.modified)
                    .push_bind(e.fingerprint as i64);
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
