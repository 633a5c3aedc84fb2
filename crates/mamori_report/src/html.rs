//! The HTML report (`--format html`): one self-contained, printable file (inline CSS, no
//! scripts, no external resources), so it can be mailed or handed to an inspector as is.
//! askama escapes every value.

use askama::Template;
use mamori_model::{Lang, Severity, tr};

use crate::{Report, local_time, quoted_lines, site_kind_label, sources_line};

struct FindingView {
    message: String,
    new: bool,
    sources: String,
    /// Configuration lines that prove it (secrets already masked).
    quotes: Vec<String>,
    first_seen: String,
}

struct RuleView {
    title: String,
    rule_id: String,
    remediation: String,
    checklist: String,
    findings: Vec<FindingView>,
}

struct GroupView {
    label: &'static str,
    class: &'static str,
    count: usize,
    rules: Vec<RuleView>,
}

/// The checklist section: one row per item of this fiscal year's 医療機関確認用.
struct ChecklistHtml {
    title: String,
    columns: [&'static str; 6],
    rows: Vec<[String; 6]>,
    /// Rows whose answer contradicts the checks.
    flagged: Vec<bool>,
}

struct Labels {
    heading: &'static str,
    as_of: &'static str,
    generated: &'static str,
    compared: &'static str,
    severity: &'static str,
    count: &'static str,
    total: &'static str,
    new: &'static str,
    resolved: &'static str,
    fix: &'static str,
    checklist: &'static str,
    first_seen: &'static str,
    none: &'static str,
    inputs: &'static str,
    errors: &'static str,
    this_week: &'static str,
    not_checked: &'static str,
}

#[derive(Template)]
#[template(path = "report.html")]
struct HtmlReport {
    lang: &'static str,
    l: Labels,
    site_name: String,
    site_kind: &'static str,
    as_of: String,
    generated: String,
    previous: Option<String>,
    summary: Vec<(&'static str, &'static str, usize)>,
    total: usize,
    new_count: usize,
    groups: Vec<GroupView>,
    resolved: Vec<(String, String)>,
    inputs: Vec<String>,
    errors: Vec<String>,
    incomplete: Option<String>,
    checklist: Option<ChecklistHtml>,
    /// (severity class, severity label, what to do, who and how long).
    this_week: Vec<(&'static str, &'static str, String, String)>,
    /// (what was not checked, what is missing).
    not_checked: Vec<(String, String)>,
}

/// 「まず今週やること」 as (severity class, severity label, what to do, who and how long).
fn this_week(report: &Report, lang: Lang) -> Vec<(&'static str, &'static str, String, String)> {
    report
        .this_week
        .iter()
        .map(|a| {
            (
                a.severity.map_or("", class),
                a.severity.map_or("", |s| s.label(lang)),
                a.title.get(lang).to_owned(),
                crate::this_week::who_and_effort(a, lang),
            )
        })
        .collect()
}

fn class(s: Severity) -> &'static str {
    s.as_str()
}

/// The fixed words of the report in `lang`.
fn labels(lang: Lang) -> Labels {
    Labels {
        heading: tr(lang, "mamori 評価レポート", "mamori assessment"),
        as_of: tr(lang, "評価日", "As of"),
        generated: tr(lang, "作成", "Generated"),
        compared: tr(lang, "比較した前回", "Compared with"),
        severity: tr(lang, "重要度", "Severity"),
        count: tr(lang, "件数", "Count"),
        total: tr(lang, "計", "Total"),
        new: tr(lang, "新規", "NEW"),
        resolved: tr(lang, "前回から解消", "Resolved since the previous run"),
        fix: tr(lang, "対策", "Fix"),
        checklist: tr(lang, "チェックリスト", "MHLW checklist"),
        first_seen: tr(lang, "初回検出", "first seen"),
        none: tr(lang, "指摘事項はありません。", "No findings."),
        inputs: tr(lang, "入力", "Inputs"),
        this_week: tr(lang, "まず今週やること", "This week, first"),
        not_checked: tr(
            lang,
            "未確認（読むものがなかった点検。問題なしという意味ではありません）",
            "Not checked (nothing to read: this does not mean no problem)",
        ),
        errors: tr(
            lang,
            "入力エラー（読めていないセルや行）",
            "Input errors (cells or rows not read)",
        ),
    }
}

/// The whole report as one self-contained, printable HTML file (escaped).
pub fn render_html(report: &Report, lang: Lang) -> String {
    let l = labels(lang);
    let groups = report
        .groups()
        .into_iter()
        .map(|g| GroupView {
            label: g.severity.label(lang),
            class: class(g.severity),
            count: g.rules.iter().map(|r| r.findings.len()).sum(),
            rules: g
                .rules
                .iter()
                .map(|r| {
                    let first = r.first();
                    RuleView {
                        title: first.title.get(lang).to_owned(),
                        rule_id: report.rule_tag(r.rule_id, "[", "]"),
                        remediation: first.remediation.get(lang).to_owned(),
                        checklist: report.checklist_labels(first, lang).join(" / "),
                        findings: r
                            .findings
                            .iter()
                            .map(|f| FindingView {
                                message: f.finding.message.get(lang).to_owned(),
                                new: f.new,
                                sources: sources_line(&f.finding, 3),
                                quotes: quoted_lines(&f.finding, 6),
                                first_seen: f.first_seen.map(local_time).unwrap_or_default(),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let inputs = report
        .inputs
        .iter()
        .map(|i| {
            let mut line = format!(
                "{} ({}) — {} {}",
                i.file,
                i.encoding,
                i.rows_read,
                tr(lang, "行", "rows")
            );
            for note in &i.notes {
                line.push_str(&format!(" — {}", note.get(lang)));
            }
            line
        })
        .chain(
            report
                .skipped
                .iter()
                .map(|s| format!("{} — {}", s.file, s.reason.get(lang))),
        )
        .collect();
    let page = HtmlReport {
        lang: match lang {
            Lang::Ja => "ja",
            Lang::En => "en",
        },
        l,
        site_name: report.site.name.clone(),
        site_kind: site_kind_label(report.site.kind, lang),
        as_of: report.as_of.to_string(),
        generated: local_time(report.generated_at),
        previous: report
            .run
            .as_ref()
            .and_then(|r| r.previous_run_at)
            .map(local_time),
        summary: Severity::ALL_DESCENDING
            .iter()
            .map(|s| (s.label(lang), class(*s), report.count(*s)))
            .collect(),
        total: report.findings.len(),
        new_count: report.findings.iter().filter(|f| f.new).count(),
        groups,
        resolved: report
            .resolved
            .iter()
            .map(|f| {
                (
                    f.message.get(lang).to_owned(),
                    report.rule_tag(&f.rule_id, "", ""),
                )
            })
            .collect(),
        inputs,
        errors: report.errors.iter().map(|e| e.describe(lang)).collect(),
        incomplete: [
            report.incomplete_notice(lang),
            report
                .open_incident
                .as_ref()
                .map(|i| i.get(lang).to_owned()),
        ]
        .into_iter()
        .flatten()
        .reduce(|a, b| format!("{a} / {b}")),
        this_week: this_week(report, lang),
        not_checked: report
            .not_checked
            .iter()
            .map(|n| (n.what.get(lang).to_owned(), n.why.get(lang).to_owned()))
            .collect(),
        checklist: report.checklist.as_ref().map(|c| checklist_html(c, lang)),
    };
    page.render().expect("the report template renders")
}

fn checklist_html(c: &crate::checklist::ChecklistSection, lang: Lang) -> ChecklistHtml {
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    ChecklistHtml {
        title: c.title.clone(),
        columns: match lang {
            Lang::Ja => [
                "番号",
                "項目",
                "回答",
                "確認日",
                "目標日",
                "mamori の確認結果",
            ],
            Lang::En => [
                "No.",
                "Item",
                "Answer",
                "Checked",
                "Target date",
                "mamori's observation",
            ],
        },
        rows: c
            .rows
            .iter()
            .map(|r| {
                let mut observation = r.observation.get(lang).to_owned();
                if let Some(s) = &r.suggestion {
                    observation.push_str(&format!(
                        " ({}: {})",
                        tr(lang, "提案", "suggests"),
                        s.get(lang)
                    ));
                }
                [
                    crate::checklist::shown_number(r),
                    r.item.get(lang).to_owned(),
                    r.answer.as_ref().map_or_else(
                        || tr(lang, "未回答", "—").to_owned(),
                        |a| a.get(lang).to_owned(),
                    ),
                    date(r.checked_on),
                    date(r.target_date),
                    observation,
                ]
            })
            .collect(),
        flagged: c.rows.iter().map(|r| r.contradicted).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn self_contained_and_escaped() {
        let html = render_html(&report(), Lang::Ja);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"ja\">"));
        assert!(html.contains("みなと中央病院"));
        assert!(
            html.contains("FW-01 のメッセージ &#60;b&#62;")
                || html.contains("FW-01 のメッセージ &lt;b&gt;"),
            "{html}"
        );
        assert!(!html.contains("<b>"), "message markup must be escaped");
        for external in ["<script", "src=\"http", "href=\"http", "@import"] {
            assert!(!html.contains(external), "not self-contained: {external}");
        }
        assert!(html.contains("class=\"sev critical\""));
    }
}
