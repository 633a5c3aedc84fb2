//! Importing feed files into the database (`vuln import`, and `vuln update` after its
//! downloads): one file in one transaction, read on its own thread and handed over in batches,
//! so a large NVD file streams through with bounded memory.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::Context;
use jiff::Timestamp;
use mamori_model::{Lang, tr};
use mamori_store::Store;
use mamori_vuln::feeds::{FeedError, read_feed};
use mamori_vuln::{FeedFile, Item};

use crate::Reporter;

/// Records handed from the reading thread to the database per batch.
const BATCH: usize = 5000;

/// What `vuln import` did.
pub struct ImportOutcome {
    /// Files loaded (with or without refused records).
    pub imported: usize,
    /// Files that failed, or whose records were partly refused.
    pub failed: usize,
}

impl ImportOutcome {
    /// Nothing loaded, or something failed: not a clean import.
    pub fn is_incomplete(&self) -> bool {
        self.imported == 0 || self.failed > 0
    }
}

/// Imports every feed file under `paths` (folders walked, links kept inside them) into the
/// database at `db`, saying how each went.
pub async fn import(
    paths: &[PathBuf],
    db: &Path,
    reporter: &dyn Reporter,
    lang: Lang,
) -> anyhow::Result<ImportOutcome> {
    let walked = mamori_ingest::files::walk(paths);
    for (path, why) in &walked.skipped {
        reporter.note(&format!("{}: {}", path.display(), why.get(lang)));
    }
    let (mut imported, mut failed) = (0, 0);
    let store = Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    for path in &walked.files {
        match import_and_report(&store, path, reporter, lang).await {
            Imported::Loaded => imported += 1,
            // Loaded, but records were refused: not a clean import.
            Imported::Partial => (imported, failed) = (imported + 1, failed + 1),
            Imported::Skipped => {}
            Imported::Failed => failed += 1,
        }
    }
    store.close().await;
    reporter.note(&format!(
        "{}: {}",
        tr(lang, "データベース", "database"),
        db.display()
    ));
    Ok(ImportOutcome { imported, failed })
}

/// How importing one file went.
#[derive(PartialEq, Eq)]
pub enum Imported {
    /// Every record read and stored.
    Loaded,
    /// Loaded, with records that could not be read or were refused (named on stderr).
    Partial,
    /// Not a feed (a schema, a CPE dictionary…): said, not a failure.
    Skipped,
    /// The file could not be read or stored: nothing of it was kept.
    Failed,
}

/// Imports one file and says how it went.
pub async fn import_and_report(
    store: &Store,
    path: &Path,
    reporter: &dyn Reporter,
    lang: Lang,
) -> Imported {
    match import_file(store, path, reporter, lang).await {
        Ok(Some((file, counts))) => {
            report_import(path, &file, &counts, reporter, lang);
            if file.problems.is_empty() {
                Imported::Loaded
            } else {
                Imported::Partial
            }
        }
        Ok(None) => Imported::Skipped,
        Err(e) => {
            reporter.error(&format!("{e:#}"));
            Imported::Failed
        }
    }
}

/// One line per imported file, and the first records that could not be read.
fn report_import(
    path: &Path,
    file: &FeedFile,
    counts: &mamori_store::ImportCounts,
    reporter: &dyn Reporter,
    lang: Lang,
) {
    reporter.note(&format!(
        "{}: {} {} {}（{} {}・{} {}・{} {}）",
        path.display(),
        file.format,
        file.records,
        tr(lang, "件", "records"),
        tr(lang, "追加", "added"),
        counts.added,
        tr(lang, "更新", "updated"),
        counts.updated,
        tr(lang, "変化なし", "unchanged"),
        counts.unchanged,
    ));
    if !file.problems.is_empty() {
        reporter.error(&format!(
            "{}: {} {}",
            path.display(),
            file.problems.len(),
            tr(
                lang,
                "件のレコードを読めませんでした",
                "records could not be read"
            ),
        ));
        for p in file.problems.iter().take(5) {
            reporter.note(&format!(
                "  #{} {}: {}",
                p.index,
                p.id.as_deref().unwrap_or("-"),
                p.message
            ));
        }
    }
}

/// One file in one transaction: the reader runs on its own thread and hands batches over, so
/// a large NVD file streams through with bounded memory.
async fn import_file(
    store: &Store,
    path: &Path,
    reporter: &dyn Reporter,
    lang: Lang,
) -> anyhow::Result<Option<(FeedFile, mamori_store::ImportCounts)>> {
    let progress = reporter.wants_progress();
    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(2);
    let reader_path = path.to_owned();
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH);
        let result = read_feed(&reader_path, &mut |item| {
            batch.push(item);
            if batch.len() >= BATCH {
                // The receiver only goes away on a database error, reported there.
                let _ = tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        });
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        result
    });
    let mut import = store.begin_import().await?;
    let mut seen = 0usize;
    // Blocking receive between awaits: the reader is an OS thread, SQLite has its own.
    while let Ok(batch) = rx.recv() {
        seen += batch.len();
        import.add(batch).await?;
        if progress {
            reporter.progress(&format!(
                "{}: {seen} {}",
                path.display(),
                tr(lang, "件…", "records…")
            ));
        }
    }
    let read = reader
        .join()
        .map_err(|_| anyhow::anyhow!("{}: reader thread failed", path.display()))?;
    if progress {
        reporter.progress("");
    }
    let file = match read {
        Ok(file) => file,
        Err(FeedError::NotAFeed { path, reason }) => {
            reporter.note(&format!(
                "{}: {} ({reason})",
                path.display(),
                tr(lang, "読み込みませんでした", "skipped")
            ));
            return Ok(None);
        }
        // Dropping `import` rolls the file back: nothing half-written.
        Err(e) => return Err(e.into()),
    };
    let source = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string();
    let counts = import.finish(&file, &source, Timestamp::now()).await?;
    Ok(Some((file, counts)))
}
