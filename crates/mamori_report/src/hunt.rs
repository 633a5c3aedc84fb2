//! The `mamori hunt` report: findings as a table, then what was read from each file.

use std::fmt::Write as _;

use mamori_model::{Finding, Lang, Localized, tr};
use serde::Serialize;

/// One file's reading summary, as the hunt engine reports it.
#[derive(Clone, Debug, Serialize)]
pub struct HuntFile {
    /// The file as named.
    pub file: String,
    /// The format read (`evtx`, `syslog`, …, `unknown`, `skipped`).
    pub format: String,
    /// Records or lines read.
    pub records: u64,
    /// Security events taken from them.
    pub events: u64,
    /// Records not read, by reason.
    pub skipped: Vec<(String, u64)>,
    /// Why the file could not be read at all.
    pub error: Option<Localized>,
    /// What of the file was lost (truncated, corrupt, broken off): the file was read in part.
    pub damaged: Vec<Localized>,
}

/// JSON lines: one finding per line, the same `Finding` JSON as `assess`.
pub fn render_hunt_json(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&serde_json::to_string(f).expect("finding serialises"));
        out.push('\n');
    }
    out
}

/// `mamori hunt` as a table: findings, then what each file gave or lost.
pub fn render_hunt_table(findings: &[Finding], files: &[HuntFile], lang: Lang) -> String {
    let mut out = String::new();
    let w = &mut out;
    if findings.is_empty() {
        writeln!(w, "{}", tr(lang, "指摘事項はありません。", "No findings.")).unwrap();
    } else {
        writeln!(
            w,
            "{:<6} {:<28} {:>6}  {:<25} {}",
            tr(lang, "重要度", "sev"),
            tr(lang, "ルール", "rule"),
            tr(lang, "件数", "count"),
            tr(lang, "最初 (UTC)", "first (UTC)"),
            tr(lang, "内容", "what")
        )
        .unwrap();
    }
    for f in findings {
        let first = f
            .evidence
            .first_seen
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "-".into());
        writeln!(
            w,
            "{:<6} {:<28} {:>6}  {:<25} {}",
            f.severity.label(lang),
            f.rule_id,
            f.evidence.count.unwrap_or(1),
            first,
            f.message.get(lang)
        )
        .unwrap();
    }
    writeln!(w, "\n{}", tr(lang, "読み込んだファイル", "Files read")).unwrap();
    for file in files {
        match &file.error {
            Some(e) => writeln!(w, "  {}  {}", file.file, e.get(lang)).unwrap(),
            None => {
                let skipped: u64 = file.skipped.iter().map(|(_, n)| n).sum();
                let mut line = match lang {
                    Lang::Ja => format!(
                        "  {}  {}  {}件中 {}件のイベント",
                        file.file, file.format, file.records, file.events
                    ),
                    Lang::En => format!(
                        "  {}  {}  {} events from {} records",
                        file.file, file.format, file.events, file.records
                    ),
                };
                if skipped > 0 {
                    let reasons: Vec<String> = file
                        .skipped
                        .iter()
                        .map(|(r, n)| format!("{r} ×{n}"))
                        .collect();
                    write!(
                        line,
                        "  {}: {}",
                        tr(lang, "読み飛ばし", "skipped"),
                        reasons.join(", ")
                    )
                    .unwrap();
                }
                writeln!(w, "{line}").unwrap();
            }
        }
        for d in &file.damaged {
            writeln!(
                w,
                "    {} {}",
                tr(lang, "⚠ 一部しか読めていません:", "⚠ read only in part:"),
                d.get(lang)
            )
            .unwrap();
        }
    }
    if files.iter().any(|f| !f.damaged.is_empty()) {
        writeln!(
            w,
            "\n{}",
            tr(
                lang,
                "壊れている・途中で切れているファイルがあります。そのファイルにあった攻撃の痕跡は見落としているおそれがあります。元のログ（機器やサーバーにあるもの）をもう一度書き出して確認してください。",
                "Some files are damaged or truncated: traces of an attack in them may have been missed. Export the original logs from the device or server again and check them."
            )
        )
        .unwrap();
    }
    out
}
