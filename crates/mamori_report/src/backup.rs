//! `mamori backup scan`: each destination (files, size, generations, newest backup, what
//! looks encrypted, ransom notes, what changed since the last scan, what could not be read),
//! then the findings.

use std::fmt::Write as _;

use mamori_model::backup::DestinationScan;
use mamori_model::{Finding, Lang, tr};
use serde::Serialize;

/// The table for people.
pub fn render_backup_scan_table(
    scans: &[DestinationScan],
    findings: &[Finding],
    lang: Lang,
) -> String {
    let mut out = String::new();
    for s in scans {
        writeln!(out, "{}", s.root).unwrap();
        let mib = s.bytes as f64 / f64::from(1 << 20);
        let line = match lang {
            Lang::Ja => format!(
                "  ファイル {} 個（{mib:.1} MiB）· 世代 {} · 最新 {}",
                s.files,
                s.generations.len(),
                newest(s)
            ),
            Lang::En => format!(
                "  {} files ({mib:.1} MiB) · {} generations · newest {}",
                s.files,
                s.generations.len(),
                newest(s)
            ),
        };
        writeln!(out, "{line}").unwrap();
        if let Some(r) = s.repository {
            let text = match lang {
                Lang::Ja => format!("  {} のリポジトリとして認識", r.name()),
                Lang::En => format!("  recognised as a {} repository", r.name()),
            };
            writeln!(out, "{text}").unwrap();
        }
        if let Some(c) = &s.changes {
            let text = match lang {
                Lang::Ja => format!(
                    "  前回（{}）から: 消えた・名前が変わった {} · 書き換え {} · 新規 {}（{:.1}%）",
                    c.previous_at, c.gone, c.rewritten, c.added, c.percent
                ),
                Lang::En => format!(
                    "  since {}: {} gone or renamed · {} rewritten · {} new ({:.1}%)",
                    c.previous_at, c.gone, c.rewritten, c.added, c.percent
                ),
            };
            writeln!(out, "{text}").unwrap();
        }
        for p in &s.problems {
            writeln!(out, "  ⚠ {}: {}", p.path, p.reason.get(lang)).unwrap();
        }
    }
    writeln!(out).unwrap();
    if findings.is_empty() {
        writeln!(
            out,
            "{}",
            tr(lang, "指摘事項はありません。", "No findings.")
        )
        .unwrap();
    }
    for f in findings {
        writeln!(
            out,
            "● [{}] {}",
            f.severity.label(lang),
            f.message.get(lang)
        )
        .unwrap();
        writeln!(
            out,
            "  {}: {}",
            tr(lang, "対策", "Fix"),
            f.remediation.get(lang)
        )
        .unwrap();
    }
    out
}

fn newest(s: &DestinationScan) -> String {
    let by_name = s.generations.iter().filter_map(|g| g.date).max();
    match (by_name, s.newest) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.to_string(),
        (None, None) => "-".into(),
    }
}

#[derive(Serialize)]
struct ScanJson<'a> {
    schema: &'static str,
    destinations: &'a [DestinationScan],
    findings: &'a [Finding],
}

/// One JSON document (schema `mamori.backup-scan/1`).
pub fn render_backup_scan_json(scans: &[DestinationScan], findings: &[Finding]) -> String {
    let doc = ScanJson {
        schema: "mamori.backup-scan/1",
        destinations: scans,
        findings,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
