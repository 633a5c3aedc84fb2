//! `mamori vuln import|status`, and loading vulnerability data for `assess`.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc;

use anyhow::Context;
use jiff::Timestamp;
use mamori_checks::vuln::feed_stale::stamp_date;
use mamori_model::{Lang, tr};
use mamori_store::{Store, default_db_path};
use mamori_vuln::feeds::{FeedError, read_feed};
use mamori_vuln::{FeedFile, FeedKind, Item};

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntFormat, VulnImportArgs, VulnStatusArgs};
use crate::output;

/// Records handed from the reading thread to the database per batch.
const BATCH: usize = 5000;

pub fn import(global: &GlobalArgs, args: &VulnImportArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let db = global.db.clone().unwrap_or_else(default_db_path);
    let walked = mamori_ingest::files::walk(&args.paths);
    for (path, why) in &walked.skipped {
        output::note(&format!("{}: {}", path.display(), why.get(lang)));
    }
    let files = walked.files;
    let progress = std::io::stderr().is_terminal();
    let rt = crate::runtime()?;
    let (mut imported, mut failed) = (0, 0);
    rt.block_on(async {
        let store = Store::open(&db)
            .await
            .with_context(|| format!("database {}", db.display()))?;
        for path in &files {
            match import_and_report(&store, path, progress, lang).await {
                Imported::Loaded => imported += 1,
                // Loaded, but records were refused: not a clean import.
                Imported::Partial => (imported, failed) = (imported + 1, failed + 1),
                Imported::Skipped => {}
                Imported::Failed => failed += 1,
            }
        }
        store.close().await;
        Ok::<_, anyhow::Error>(())
    })?;
    output::note(&format!(
        "{}: {}",
        tr(lang, "データベース", "database"),
        db.display()
    ));
    Ok(if imported == 0 || failed > 0 {
        Outcome::InputErrors
    } else {
        Outcome::Ok
    })
}

/// How importing one file went.
#[derive(PartialEq, Eq)]
pub(crate) enum Imported {
    Loaded,
    /// Loaded, with records that could not be read or were refused (named on stderr).
    Partial,
    /// Not a feed (a schema, a CPE dictionary…): said, not a failure.
    Skipped,
    Failed,
}

/// Imports one file and says how it went.
pub(crate) async fn import_and_report(
    store: &Store,
    path: &Path,
    progress: bool,
    lang: Lang,
) -> Imported {
    match import_file(store, path, progress, lang).await {
        Ok(Some((file, counts))) => {
            report_import(path, &file, &counts, lang);
            if file.problems.is_empty() {
                Imported::Loaded
            } else {
                Imported::Partial
            }
        }
        Ok(None) => Imported::Skipped,
        Err(e) => {
            output::error(&format!("{e:#}"));
            Imported::Failed
        }
    }
}

/// One line per imported file, and the first records that could not be read.
fn report_import(path: &Path, file: &FeedFile, counts: &mamori_store::ImportCounts, lang: Lang) {
    output::note(&format!(
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
        output::error(&format!(
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
            output::note(&format!(
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
    progress: bool,
    lang: Lang,
) -> anyhow::Result<Option<(FeedFile, mamori_store::ImportCounts)>> {
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
            output::progress(&format!(
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
        output::progress("");
    }
    let file = match read {
        Ok(file) => file,
        Err(FeedError::NotAFeed { path, reason }) => {
            output::note(&format!(
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

pub fn status(global: &GlobalArgs, args: &VulnStatusArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let db = global.db.clone().unwrap_or_else(default_db_path);
    let as_of = args.as_of.unwrap_or_else(mamori_app::today_in_tokyo);
    let (rows, counts) = crate::runtime()?.block_on(async {
        let store = Store::open(&db)
            .await
            .with_context(|| format!("database {}", db.display()))?;
        let rows = store.feed_status().await?;
        let counts = store.vuln_counts().await?;
        store.close().await;
        Ok::<_, anyhow::Error>((rows, counts))
    })?;
    let age = |stamp: Option<&str>| {
        stamp
            .and_then(stamp_date)
            .and_then(|d| d.until(as_of).ok())
            .map(|s| i64::from(s.get_days()))
    };
    if args.format == HuntFormat::Json {
        let feeds: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "kind": r.kind, "source": r.source, "format": r.format, "data_date": r.stamp,
                    "age_days": age(r.stamp.as_deref()), "imported_at": r.imported_at,
                    "records": r.records, "added": r.added, "updated": r.updated,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "database": db.display().to_string(),
            "counts": { "cves": counts[0], "kev": counts[1], "jvn": counts[2], "epss": counts[3] },
            "feeds": feeds,
        });
        output::stdout(&format!("{doc:#}\n"))?;
        return Ok(Outcome::Ok);
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{}: {}\n{}: CVE {} / KEV {} / JVN {} / EPSS {}\n\n",
        tr(lang, "データベース", "Database"),
        db.display(),
        tr(lang, "件数", "Records"),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    ));
    if rows.is_empty() {
        out.push_str(tr(
            lang,
            "脆弱性情報はまだ読み込まれていません。`mamori vuln import ファイル` で読み込んでください。\n",
            "No vulnerability data loaded yet: run `mamori vuln import FILE`.\n",
        ));
    }
    for kind in FeedKind::ALL {
        let of_kind: Vec<_> = rows.iter().filter(|r| r.kind == kind.as_str()).collect();
        let Some(newest) = of_kind.iter().filter_map(|r| r.stamp.as_deref()).max() else {
            continue;
        };
        let days = age(Some(newest));
        let stale = days.is_some_and(|d| d > 7);
        out.push_str(&format!(
            "{:<11} {} {}{}\n",
            kind.label(),
            &newest[..newest.len().min(10)],
            days.map_or_else(String::new, |d| format!(
                "({d} {})",
                tr(lang, "日前", "days ago")
            )),
            if stale {
                tr(lang, "  ← 7日以上前の情報です", "  ← older than 7 days")
            } else {
                ""
            }
        ));
        for r in of_kind {
            out.push_str(&format!(
                "    {} [{}] {} {}\n",
                r.source,
                r.format,
                r.records,
                tr(lang, "件", "records")
            ));
        }
    }
    output::stdout(&out)?;
    Ok(Outcome::Ok)
}
