//! The Markdown report (`--format md`): for pasting into a ticket, a wiki or an e-mail. Every
//! finding is listed (no cut-off), grouped like the terminal report.

use std::fmt::Write as _;

use mamori_model::{Lang, Severity, tr};

use crate::{Report, local_time, quoted_lines, site_kind_label, sources_line};

/// Escapes the characters Markdown would read as markup inside table cells and text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The report as Markdown, to paste into a ticket or an e-mail.
pub fn render_markdown(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let w = &mut out;
    write_header(w, report, lang);
    write_findings(w, report, lang);
    write_rest(w, report, lang);
    out
}

/// The site, the evaluation day, and the counts by severity.
fn write_header(w: &mut String, report: &Report, lang: Lang) {
    writeln!(
        w,
        "# {} — {}（{}）\n",
        tr(lang, "mamori 評価レポート", "mamori assessment"),
        md(&report.site.name),
        site_kind_label(report.site.kind, lang)
    )
    .unwrap();
    writeln!(
        w,
        "- {}: {}\n- {}: {}",
        tr(lang, "評価日", "As of"),
        report.as_of,
        tr(lang, "作成", "Generated"),
        local_time(report.generated_at)
    )
    .unwrap();
    if let Some(prev) = report.run.as_ref().and_then(|r| r.previous_run_at) {
        writeln!(
            w,
            "- {}: {}",
            tr(lang, "比較した前回", "Compared with"),
            local_time(prev)
        )
        .unwrap();
    }
    if let Some(notice) = report.incomplete_notice(lang) {
        writeln!(w, "\n> **{}**", md(&notice)).unwrap();
    }
    if let Some(incident) = &report.open_incident {
        writeln!(w, "\n> **{}**", md(incident.get(lang))).unwrap();
    }
    if !report.this_week.is_empty() {
        writeln!(
            w,
            "\n## {}\n",
            tr(lang, "まず今週やること", "This week, first")
        )
        .unwrap();
        for (i, a) in report.this_week.iter().enumerate() {
            let severity = a
                .severity
                .map_or(String::new(), |s| format!("**{}** ", s.label(lang)));
            writeln!(
                w,
                "{}. {severity}{} {}",
                i + 1,
                md(a.title.get(lang)),
                crate::this_week::who_and_effort(a, lang)
            )
            .unwrap();
        }
    }
    if !report.not_checked.is_empty() {
        writeln!(
            w,
            "\n## {}\n",
            tr(
                lang,
                "未確認（読むものがなかった点検。問題なしという意味ではありません）",
                "Not checked (nothing to read: this does not mean no problem)"
            )
        )
        .unwrap();
        for n in &report.not_checked {
            writeln!(w, "- {}: {}", md(n.what.get(lang)), md(n.why.get(lang))).unwrap();
        }
    }
    let s = report.summary();
    writeln!(
        w,
        "\n| {} | {} |\n|---|---:|",
        tr(lang, "重要度", "Severity"),
        tr(lang, "件数", "Count")
    )
    .unwrap();
    for sev in Severity::ALL_DESCENDING {
        writeln!(w, "| {} | {} |", sev.label(lang), report.count(sev)).unwrap();
    }
    writeln!(
        w,
        "| **{}** | **{}** |\n\n{}: {} / {}: {}\n",
        tr(lang, "計", "Total"),
        s.total,
        tr(lang, "新規", "New"),
        s.new,
        tr(lang, "解消", "Resolved"),
        s.resolved
    )
    .unwrap();
}

/// Findings by severity, then by rule, with fix and checklist.
fn write_findings(w: &mut String, report: &Report, lang: Lang) {
    for group in report.groups() {
        writeln!(w, "## {}\n", group.severity.label(lang)).unwrap();
        for rule in &group.rules {
            let first = rule.first();
            writeln!(
                w,
                "### {}{}\n",
                md(first.title.get(lang)),
                report.rule_tag(rule.rule_id, " (`", "`)")
            )
            .unwrap();
            for f in &rule.findings {
                let new = if f.new {
                    tr(lang, "**新規** ", "**NEW** ")
                } else {
                    ""
                };
                writeln!(
                    w,
                    "- {new}{} — `{}`",
                    md(f.finding.message.get(lang)),
                    sources_line(&f.finding, 3)
                )
                .unwrap();
                for quote in quoted_lines(&f.finding, 6) {
                    writeln!(w, "  - `{}`", quote.replace('`', "'")).unwrap();
                }
            }
            writeln!(
                w,
                "\n**{}**: {}\n",
                tr(lang, "対策", "Fix"),
                md(first.remediation.get(lang))
            )
            .unwrap();
            let items = report.checklist_labels(first, lang);
            if !items.is_empty() {
                writeln!(
                    w,
                    "{}: {}\n",
                    tr(lang, "チェックリスト", "MHLW checklist"),
                    md(&items.join(" / "))
                )
                .unwrap();
            }
        }
    }
}

/// What was resolved, the inputs, and the input errors.
fn write_rest(w: &mut String, report: &Report, lang: Lang) {
    if !report.resolved.is_empty() {
        writeln!(
            w,
            "## {}\n",
            tr(lang, "前回から解消", "Resolved since the previous run")
        )
        .unwrap();
        for f in &report.resolved {
            writeln!(
                w,
                "- {}{}",
                md(f.message.get(lang)),
                report.rule_tag(&f.rule_id, " (`", "`)")
            )
            .unwrap();
        }
        writeln!(w).unwrap();
    }
    writeln!(w, "## {}\n", tr(lang, "入力", "Inputs")).unwrap();
    for i in &report.inputs {
        writeln!(
            w,
            "- `{}` ({}): {} {}",
            i.file,
            i.encoding,
            i.rows_read,
            tr(lang, "行", "rows")
        )
        .unwrap();
        for note in &i.notes {
            writeln!(w, "  - {}", md(note.get(lang))).unwrap();
        }
    }
    for sk in &report.skipped {
        writeln!(w, "- `{}`: {}", sk.file, md(sk.reason.get(lang))).unwrap();
    }
    if !report.errors.is_empty() {
        writeln!(w, "\n### {}\n", tr(lang, "入力エラー", "Input errors")).unwrap();
        for e in &report.errors {
            writeln!(w, "- {}", md(&e.describe(lang))).unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn lists_every_finding_and_escapes_markup() {
        let text = render_markdown(&report(), Lang::Ja);
        assert!(text.starts_with("# mamori 評価レポート — みなと中央病院（病院）\n"));
        assert!(text.contains("| 緊急 | 1 |"));
        assert!(text.contains("## 高\n\n### asset.patch-staleの題 (`asset.patch-stale`)\n\n- SRV-01 のメッセージ \\<b\\> — `assets.csv:3`\n- SRV-02"), "{text}");
        assert!(text.contains("- **新規** FW-01"));
        assert!(text.contains("## 前回から解消"));
    }
}
