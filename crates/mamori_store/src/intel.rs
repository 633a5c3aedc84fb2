//! Blocklists in the store (`mamori intel import`, `intel status`): one row per list, replaced
//! whole in one statement by a re-import, so a list is either the old one or the new one.

use jiff::Timestamp;
use mamori_vuln::blocklist::{BlockList, Intel, read_blocklist};
use sqlx::Row;

use crate::{Store, StoreError};

/// A stored list as `intel status` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntelRow {
    /// The list's name (its file name).
    pub name: String,
    /// The file it was imported from.
    pub source: String,
    /// The date the list states, as written.
    pub stamp: Option<String>,
    /// When it was imported.
    pub imported_at: String,
    /// Names listed.
    pub domains: i64,
    /// Addresses listed.
    pub addresses: i64,
    /// Networks listed.
    pub networks: i64,
    /// Host-less URL paths listed.
    pub paths: i64,
    /// Lines left out when it was read.
    pub problems: i64,
}

/// The list's entries, one per line, in a form `read_blocklist` reads back as they were.
fn entries_text(list: &BlockList) -> String {
    let mut lines: Vec<String> = list.domains.iter().cloned().collect();
    lines.extend(list.addresses.iter().map(ToString::to_string));
    lines.extend(list.networks.iter().map(|(net, p)| format!("{net}/{p}")));
    lines.extend(list.paths.iter().cloned());
    lines.sort_unstable();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

impl Store {
    /// Stores one list, replacing a list of the same name.
    pub async fn import_blocklist(
        &self,
        list: &BlockList,
        source: &str,
        imported_at: Timestamp,
    ) -> Result<(), StoreError> {
        let packed = zstd::encode_all(entries_text(list).as_bytes(), 3)
            .map_err(|e| StoreError::Corrupt(format!("compressing {}: {e}", list.name)))?;
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO intel_lists (name, source, stamp, imported_at, domains, addresses,
               networks, paths, problems, entries)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(name) DO UPDATE SET source = excluded.source, stamp = excluded.stamp,
               imported_at = excluded.imported_at, domains = excluded.domains,
               addresses = excluded.addresses, networks = excluded.networks,
               paths = excluded.paths, problems = excluded.problems, entries = excluded.entries",
        )
        .bind(&list.name)
        .bind(source)
        .bind(&list.date)
        .bind(imported_at.to_string())
        .bind(count(list.domains.len()))
        .bind(count(list.addresses.len()))
        .bind(count(list.networks.len()))
        .bind(count(list.paths.len()))
        .bind(count(list.problems.len()))
        .bind(packed)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every stored list, by name.
    pub async fn intel_status(&self) -> Result<Vec<IntelRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, source, stamp, imported_at, domains, addresses, networks, paths, problems
             FROM intel_lists ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| IntelRow {
                name: r.get(0),
                source: r.get(1),
                stamp: r.get(2),
                imported_at: r.get(3),
                domains: r.get(4),
                addresses: r.get(5),
                networks: r.get(6),
                paths: r.get(7),
                problems: r.get(8),
            })
            .collect())
    }

    /// Every stored list, ready for matching.
    pub async fn load_intel(&self) -> Result<Intel, StoreError> {
        let rows = sqlx::query("SELECT name, stamp, entries FROM intel_lists ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let mut intel = Intel::default();
        for row in rows {
            let name: String = row.get(0);
            let packed: Vec<u8> = row.get(2);
            let text = zstd::decode_all(packed.as_slice())
                .map_err(|e| StoreError::Corrupt(format!("blocklist {name}: {e}")))?;
            let mut list = read_blocklist(&name, &String::from_utf8_lossy(&text));
            list.date = row.get(1);
            intel.lists.push(list);
        }
        Ok(intel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_list_comes_back_as_it_was_and_a_reimport_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("m.db")).await.unwrap();
        let text = "# Last updated: 2026-12-01\n0.0.0.0 evil.example\nbad.example.net\n198.51.100.7\n203.0.113.0/24\n/payload.exe\n";
        let list = read_blocklist("trail.txt", text);
        let at = Timestamp::from_second(1_800_000_000).unwrap();
        store
            .import_blocklist(&list, "feeds/trail.txt", at)
            .await
            .unwrap();
        let loaded = store.load_intel().await.unwrap();
        assert_eq!(loaded.lists.len(), 1);
        let back = &loaded.lists[0];
        assert_eq!(back.domains, list.domains);
        assert_eq!(back.addresses, list.addresses);
        assert_eq!(back.networks, list.networks);
        assert_eq!(back.paths, list.paths);
        assert_eq!(back.date, list.date);
        assert_eq!(loaded.match_domain("cdn.evil.example").len(), 1);
        let smaller = read_blocklist("trail.txt", "evil.example\n");
        store
            .import_blocklist(&smaller, "feeds/trail.txt", at)
            .await
            .unwrap();
        let status = store.intel_status().await.unwrap();
        assert_eq!(
            (status.len(), status[0].domains, status[0].addresses),
            (1, 1, 0)
        );
    }
}
