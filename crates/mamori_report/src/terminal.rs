//! The terminal report: grouped by severity, then by rule, with a summary line at the end
//! (the last thing on screen after a long report). Styles are ANSI escapes; the binary prints
//! through `anstream`, which removes them when stdout is not a terminal.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use mamori_model::{Lang, Severity, tr};

use crate::{Report, local_time, quoted_lines, site_kind_label, sources_line};

/// Findings of one rule shown per severity before "…and N more".
const MAX_PER_RULE: usize = 20;

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => Style::new()
            .bold()
            .fg_color(Some(AnsiColor::BrightRed.into())),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        Severity::Info => Style::new().dimmed(),
    }
}

/// The whole report for a terminal.
pub fn render_terminal(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let w = &mut out;
    write_header(w, report, lang);
    write_findings(w, report, lang);
    write_resolved(w, report, lang);
    write_inputs(w, report, lang);
    write_summary(w, report, lang);
    out
}

/// The site, the evaluation day, and what this run is compared with.
fn write_header(w: &mut String, report: &Report, lang: Lang) {
    let (bold, dim) = (bold(), dim());

    writeln!(
        w,
        "{bold}{} — {}（{}）{bold:#}",
        tr(lang, "mamori 評価レポート", "mamori assessment"),
        report.site.name,
        site_kind_label(report.site.kind, lang)
    )
    .unwrap();
    write!(
        w,
        "{dim}{} {} · {} {}",
        tr(lang, "評価日", "as of"),
        report.as_of,
        tr(lang, "作成", "generated"),
        local_time(report.generated_at)
    )
    .unwrap();
    match report.run.as_ref().and_then(|r| r.previous_run_at) {
        Some(prev) => write!(
            w,
            " · {}",
            match lang {
                Lang::Ja => format!("前回（{}）との比較", local_time(prev)),
                Lang::En => format!("compared with the run of {}", local_time(prev)),
            }
        )
        .unwrap(),
        None if report.run.is_some() => {
            write!(w, " · {}", tr(lang, "初回の評価", "first assessment")).unwrap()
        }
        None => {
            let why = report.not_recorded.as_ref().map_or("", |l| l.get(lang));
            write!(w, " · {why}").unwrap()
        }
    }
    writeln!(w, "{dim:#}\n").unwrap();
    if let Some(notice) = report.incomplete_notice(lang) {
        let red = severity_style(Severity::Critical);
        writeln!(w, "{red}{notice}{red:#}\n").unwrap();
    }
    if let Some(incident) = &report.open_incident {
        let red = severity_style(Severity::Critical);
        writeln!(w, "{red}{}{red:#}\n", incident.get(lang)).unwrap();
    }
    write_this_week(w, report, lang);
    write_not_checked(w, report, lang);
}

/// The checks that had nothing to read: said up front, so silence is not taken for 問題なし.
fn write_not_checked(w: &mut String, report: &Report, lang: Lang) {
    if report.not_checked.is_empty() {
        return;
    }
    let (bold, dim) = (bold(), dim());
    writeln!(
        w,
        "{bold}{}{bold:#}",
        tr(
            lang,
            "未確認（読むものがなかった点検。問題なしという意味ではありません）",
            "Not checked (nothing to read: this does not mean no problem)"
        )
    )
    .unwrap();
    for n in &report.not_checked {
        writeln!(
            w,
            "  ・{}  {dim}{}{dim:#}",
            n.what.get(lang),
            n.why.get(lang)
        )
        .unwrap();
    }
    writeln!(w).unwrap();
}

/// 「まず今週やること」, right under the header.
fn write_this_week(w: &mut String, report: &Report, lang: Lang) {
    if report.this_week.is_empty() {
        return;
    }
    let bold = bold();
    writeln!(
        w,
        "{bold}{}{bold:#}",
        tr(lang, "まず今週やること", "This week, first")
    )
    .unwrap();
    for (i, a) in report.this_week.iter().enumerate() {
        let style = a.severity.map(severity_style).unwrap_or_default();
        let severity = a
            .severity
            .map_or(String::new(), |s| format!("{} ", s.label(lang)));
        writeln!(
            w,
            "  {}. {style}{}{style:#}{}  {}",
            i + 1,
            severity,
            a.title.get(lang),
            crate::this_week::who_and_effort(a, lang)
        )
        .unwrap();
    }
    writeln!(w).unwrap();
}

/// Findings by severity, then by rule (at most [`MAX_PER_RULE`] each), with fix and checklist.
fn write_findings(w: &mut String, report: &Report, lang: Lang) {
    let (bold, dim, green) = (bold(), dim(), green());
    if report.findings.is_empty() {
        writeln!(
            w,
            "{green}{}{green:#}\n",
            tr(lang, "指摘事項はありません。", "No findings.")
        )
        .unwrap();
    }
    for group in report.groups() {
        let style = severity_style(group.severity);
        let count: usize = group.rules.iter().map(|r| r.findings.len()).sum();
        writeln!(
            w,
            "{style}━━ {} ({count}) ━━{style:#}",
            group.severity.label(lang)
        )
        .unwrap();
        for rule in &group.rules {
            let first = rule.first();
            writeln!(
                w,
                "{style}●{style:#} {bold}{}{bold:#}{dim}{}{dim:#}",
                first.title.get(lang),
                report.rule_tag(rule.rule_id, "  [", "]")
            )
            .unwrap();
            for f in rule.findings.iter().take(MAX_PER_RULE) {
                let marker = if f.new {
                    format!("{style}{}{style:#} ", tr(lang, "新規", "NEW"))
                } else {
                    String::new()
                };
                let sources = sources_line(&f.finding, 2);
                writeln!(
                    w,
                    "  {marker}{}  {dim}{sources}{dim:#}",
                    f.finding.message.get(lang)
                )
                .unwrap();
                for quote in quoted_lines(&f.finding, 4) {
                    writeln!(w, "      {dim}│ {quote}{dim:#}").unwrap();
                }
            }
            if rule.findings.len() > MAX_PER_RULE {
                let more = rule.findings.len() - MAX_PER_RULE;
                let text = match lang {
                    Lang::Ja => format!("…ほか {more} 件（全件は --format html / json で）"),
                    Lang::En => format!("…and {more} more (all of them with --format html / json)"),
                };
                writeln!(w, "  {dim}{text}{dim:#}").unwrap();
            }
            writeln!(
                w,
                "  {}: {}",
                tr(lang, "対策", "Fix"),
                first.remediation.get(lang)
            )
            .unwrap();
            let items = report.checklist_labels(first, lang);
            if !items.is_empty() {
                writeln!(
                    w,
                    "  {dim}{}: {}{dim:#}",
                    tr(lang, "チェックリスト", "MHLW checklist"),
                    items.join(" / ")
                )
                .unwrap();
            }
        }
        writeln!(w).unwrap();
    }
}

/// What the previous run had and this one no longer has.
fn write_resolved(w: &mut String, report: &Report, lang: Lang) {
    let (dim, green) = (dim(), green());
    if !report.resolved.is_empty() {
        writeln!(
            w,
            "{green}━━ {} ({}) ━━{green:#}",
            tr(lang, "前回から解消", "Resolved since the previous run"),
            report.resolved.len()
        )
        .unwrap();
        for f in &report.resolved {
            writeln!(
                w,
                "  {green}✓{green:#} {}{dim}{}{dim:#}",
                f.message.get(lang),
                report.rule_tag(&f.rule_id, "  [", "]")
            )
            .unwrap();
        }
        writeln!(w).unwrap();
    }
}

/// Every file read or skipped, then the input errors.
fn write_inputs(w: &mut String, report: &Report, lang: Lang) {
    let (bold, dim) = (bold(), dim());
    writeln!(
        w,
        "{bold}{}{bold:#}",
        tr(lang, "読み込んだ入力", "Inputs read")
    )
    .unwrap();
    if report.inputs.is_empty() {
        writeln!(w, "  {}", tr(lang, "（表がありません）", "(no tables)")).unwrap();
    }
    for i in &report.inputs {
        let mut line = match lang {
            Lang::Ja => format!("{}  {}  {}行", i.file, i.encoding, i.rows_read),
            Lang::En => format!("{}  {}  {} rows", i.file, i.encoding, i.rows_read),
        };
        if i.rows_rejected > 0 {
            match lang {
                Lang::Ja => write!(line, "（{}行はエラーのため除外）", i.rows_rejected).unwrap(),
                Lang::En => write!(line, " ({} rejected)", i.rows_rejected).unwrap(),
            }
        }
        if !i.ignored_columns.is_empty() {
            write!(
                line,
                "  {dim}{}: {}{dim:#}",
                tr(lang, "使わなかった列", "unused columns"),
                i.ignored_columns.join(", ")
            )
            .unwrap();
        }
        writeln!(w, "  {line}").unwrap();
        for note in &i.notes {
            writeln!(w, "    {dim}{}{dim:#}", note.get(lang)).unwrap();
        }
    }
    for s in &report.skipped {
        writeln!(w, "  {dim}{}  {}{dim:#}", s.file, s.reason.get(lang)).unwrap();
    }
    if !report.errors.is_empty() {
        let red = severity_style(Severity::High);
        writeln!(
            w,
            "\n{red}{} ({}){red:#}",
            tr(
                lang,
                "入力エラー — 次のセルや行は読めていません",
                "Input errors — these cells or rows could not be read"
            ),
            report.errors.len()
        )
        .unwrap();
        for e in &report.errors {
            writeln!(w, "  {}", e.describe(lang)).unwrap();
        }
    }
}

/// The last line on screen: counts by severity, new and resolved.
fn write_summary(w: &mut String, report: &Report, lang: Lang) {
    let bold = bold();
    let s = report.summary();
    let counts = Severity::ALL_DESCENDING
        .iter()
        .map(|sev| {
            let st = severity_style(*sev);
            format!("{st}{} {}{st:#}", sev.label(lang), report.count(*sev))
        })
        .collect::<Vec<_>>()
        .join(" / ");
    let tail = match lang {
        Lang::Ja => format!("計 {}件・新規 {}・解消 {}", s.total, s.new, s.resolved),
        Lang::En => format!("{} total, {} new, {} resolved", s.total, s.new, s.resolved),
    };
    writeln!(
        w,
        "\n{bold}{}{bold:#} {counts}（{tail}）",
        tr(lang, "まとめ:", "Summary:")
    )
    .unwrap();
}

fn bold() -> Style {
    Style::new().bold()
}

fn dim() -> Style {
    Style::new().dimmed()
}

fn green() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut in_escape = false;
        for c in s.chars() {
            match (in_escape, c) {
                (false, '\x1b') => in_escape = true,
                (true, 'm') => in_escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn japanese_report_groups_and_summarises() {
        let text = strip(&render_terminal(&report(), Lang::Ja));
        assert!(
            text.starts_with("mamori 評価レポート — みなと中央病院（病院）\n"),
            "{text}"
        );
        assert!(text.contains("━━ 緊急 (1) ━━\n● asset.patch-staleの題  [asset.patch-stale]\n  新規 FW-01 のメッセージ <b>  assets.csv:3\n"), "{text}");
        assert!(text.contains("━━ 高 (2) ━━"));
        assert!(text.contains("  対策: パッチを適用する\n  チェックリスト: 2-⑥ "));
        assert!(
            text.contains("━━ 前回から解消 (1) ━━\n  ✓ PC-09 のメッセージ <b>  [asset.av-stale]")
        );
        assert!(
            text.contains("assets.csv  CP932  4行（1行はエラーのため除外）  使わなかった列: 備考")
        );
        assert!(
            text.contains(
                "assets.csv 5行目 [最終パッチ適用日] 「2026/13/1」: 日付として読めません"
            )
        );
        assert!(
            text.trim_end().ends_with(
                "まとめ: 緊急 1 / 高 2 / 中 1 / 低 0 / 情報 0（計 4件・新規 1・解消 1）"
            ),
            "{text}"
        );
    }

    #[test]
    fn english_and_long_rule_groups_are_cut() {
        let mut r = report();
        let template = r.findings[3].clone();
        for i in 0..30 {
            let mut f = template.clone();
            f.finding.subject.key = format!("PC-{i:02}");
            r.findings.push(f);
        }
        let text = strip(&render_terminal(&r, Lang::En));
        assert!(text.contains("━━ medium (31) ━━"));
        assert!(text.contains("…and 11 more"));
        assert!(text.contains("Summary: critical 1 / high 2 / medium 31"));
    }
}
