//! Reports: a finished [`Report`] in, text out. Japanese first, English with `Lang::En`.
//!
//! Renderers compute nothing about the site: every number they print is in the `Report`. They
//! return strings; only the binary writes to stdout.

#![warn(missing_docs)]

pub mod access;
pub mod backup;
pub mod checklist;
mod gateway;
pub mod holiday;
mod html;
mod hunt;
pub mod incident;
mod init;
mod json;
pub mod mail;
mod markdown;
mod terminal;
pub mod this_week;
pub mod vuln;
pub mod watch;

use jiff::Timestamp;
use jiff::civil::Date;
use mamori_model::catalog;
use mamori_model::input::{InputError, InputSummary, SkippedInput};
use mamori_model::site::{SiteKind, fiscal_year};
use mamori_model::{Finding, Lang, Severity};
use serde::Serialize;

pub use gateway::render_gateway_table;
pub use html::render_html;
pub use hunt::{HuntFile, render_hunt_json, render_hunt_table};
pub use init::render_init;

/// `mamori rules`: every rule with its id, default severity and title, one per line.
pub fn render_rules(rules: &[&mamori_model::RuleInfo], lang: Lang) -> String {
    rules
        .iter()
        .map(|r| {
            let title = match lang {
                Lang::Ja => r.title.ja,
                Lang::En => r.title.en,
            };
            format!(
                "{:<34} {:<8} {}\n",
                r.id,
                r.default_severity.label(lang),
                title
            )
        })
        .collect()
}

/// The note after an assessment that read its vulnerability data from the database.
pub fn vuln_note([cves, kev, jvn, epss]: [i64; 4], lang: Lang) -> String {
    format!(
        "{}: CVE {cves} / KEV {kev} / JVN {jvn} / EPSS {epss}",
        mamori_model::tr(
            lang,
            "脆弱性情報（データベース）",
            "Vulnerability data (database)"
        )
    )
}
pub use json::render_json;
pub use markdown::render_markdown;
pub use terminal::render_terminal;

/// A finding as reported: with its history in the store.
#[derive(Clone, Debug, Serialize)]
pub struct ReportedFinding {
    /// The finding itself.
    #[serde(flatten)]
    pub finding: Finding,
    /// Not in the previous run of this site (true for every finding of a first run).
    pub new: bool,
    /// When the store first saw it; `None` when the run was not recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<Timestamp>,
}

/// The comparison with the site's previous run, when the run was recorded.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    /// The run just recorded.
    pub id: i64,
    /// The run it was compared with.
    pub previous_run_id: Option<i64>,
    /// When that run started.
    pub previous_run_at: Option<Timestamp>,
}

/// Who the report is about.
#[derive(Clone, Debug, Serialize)]
pub struct SiteInfo {
    /// site.toml's `id`.
    pub id: String,
    /// The institution's name.
    pub name: String,
    /// Hospital or clinic.
    pub kind: SiteKind,
}

/// Everything an assess report shows.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Who the report is about.
    pub site: SiteInfo,
    /// The evaluation day.
    pub as_of: Date,
    /// When the run started.
    pub generated_at: Timestamp,
    /// The mamori version that made it.
    pub tool_version: String,
    /// The comparison with the previous run; `None` when the run was not recorded.
    pub run: Option<RunInfo>,
    /// Sorted: severity (highest first), rule, subject.
    pub findings: Vec<ReportedFinding>,
    /// Findings of the previous run that this one no longer has.
    pub resolved: Vec<Finding>,
    /// Files read, with encodings and row counts.
    pub inputs: Vec<InputSummary>,
    /// Files and folders not read, with the reason.
    pub skipped: Vec<SkippedInput>,
    /// Rows, cells and files left out: the report is incomplete when there are any.
    pub errors: Vec<InputError>,
    /// This fiscal year's 医療機関確認用, answers next to mamori's observations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checklist: Option<checklist::ChecklistSection>,
    /// 「まず今週やること」: the few actions that remove the most risk ([`this_week::plan`]).
    pub this_week: Vec<this_week::Action>,
    /// What could not be checked at all because there was nothing to read (no logs, no
    /// configurations, no vulnerability data, an empty table): never to be taken for 問題なし.
    pub not_checked: Vec<NotChecked>,
    /// The site's open incident, said first in every report (`None`: none open).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_incident: Option<mamori_model::Localized>,
    /// Show rule ids in the reports for people (`--verbose`); JSON always has them. Without
    /// it the reports speak only words: a hospital administrator reads titles, not codes.
    #[serde(skip)]
    pub show_rule_ids: bool,
    /// Why the run was not recorded (`--no-store`, input errors, a database error): the header
    /// says the real reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_recorded: Option<mamori_model::Localized>,
}

/// A part of the checks that had nothing to read.
#[derive(Clone, Debug, Serialize)]
pub struct NotChecked {
    /// What was not checked, for people (「ゲートウェイ設定の点検」).
    pub what: mamori_model::Localized,
    /// What is missing, and what to add (「configs/ に設定ファイルがありません」).
    pub why: mamori_model::Localized,
    /// The rules that had nothing to read.
    pub rules: Vec<&'static str>,
}

/// Counts per severity, plus new and resolved.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Critical findings.
    pub critical: usize,
    /// High findings.
    pub high: usize,
    /// Medium findings.
    pub medium: usize,
    /// Low findings.
    pub low: usize,
    /// Informational findings.
    pub info: usize,
    /// All findings.
    pub total: usize,
    /// Findings new since the previous run.
    pub new: usize,
    /// Findings resolved since the previous run.
    pub resolved: usize,
}

impl Report {
    /// ` [rule.id]` when rule ids are shown, else nothing.
    pub fn rule_tag(&self, rule_id: &str, open: &str, close: &str) -> String {
        if self.show_rule_ids {
            format!("{open}{rule_id}{close}")
        } else {
            String::new()
        }
    }

    /// The line every report starts with when input was left out: an incomplete report must
    /// not read as a clean one. `None` when nothing was left out.
    pub fn incomplete_notice(&self, lang: Lang) -> Option<String> {
        let n = self.errors.len();
        (n > 0).then(|| match lang {
            Lang::Ja => format!(
                "入力エラー {n} 件 — この報告は不完全です。読めなかったセル・行・ファイルにある問題はここに出ていません（エラーの一覧は入力の欄にあります）。"
            ),
            Lang::En => format!(
                "{n} input {errors} — this report is incomplete: problems in the cells, rows and files that could not be read are not in it (the errors are listed with the inputs).",
                errors = if n == 1 { "error" } else { "errors" }
            ),
        })
    }

    /// Counts per severity, new and resolved: the last line of the terminal report.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            total: self.findings.len(),
            resolved: self.resolved.len(),
            ..Summary::default()
        };
        for f in &self.findings {
            *match f.finding.severity {
                Severity::Critical => &mut s.critical,
                Severity::High => &mut s.high,
                Severity::Medium => &mut s.medium,
                Severity::Low => &mut s.low,
                Severity::Info => &mut s.info,
            } += 1;
            s.new += usize::from(f.new);
        }
        s
    }

    /// Findings of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.severity == severity)
            .count()
    }

    /// Findings grouped for reading: per severity (highest first), then per rule.
    pub fn groups(&self) -> Vec<SeverityGroup<'_>> {
        let mut groups = Vec::new();
        for severity in Severity::ALL_DESCENDING {
            let mut rules: Vec<RuleGroup<'_>> = Vec::new();
            for f in self
                .findings
                .iter()
                .filter(|f| f.finding.severity == severity)
            {
                match rules.last_mut() {
                    Some(g) if g.rule_id == f.finding.rule_id => g.findings.push(f),
                    _ => rules.push(RuleGroup {
                        rule_id: &f.finding.rule_id,
                        findings: vec![f],
                    }),
                }
            }
            if !rules.is_empty() {
                groups.push(SeverityGroup { severity, rules });
            }
        }
        groups
    }

    /// 「2-⑬ 接続元制限…」: the checklist items a finding relates to, numbered as in the
    /// checklist version of the report's fiscal year.
    pub fn checklist_labels(&self, finding: &Finding, lang: Lang) -> Vec<String> {
        let Some(list) = catalog::checklist_for("institution", fiscal_year(self.as_of)) else {
            return Vec::new();
        };
        finding
            .checklist_items
            .iter()
            .filter_map(|key| list.items.iter().find(|i| &i.key == key))
            .map(|i| format!("{} {}", i.display_number(), i.summary().get(lang)))
            .collect()
    }
}

/// Findings of one severity, by rule: how every report lays them out.
pub struct SeverityGroup<'a> {
    /// The severity.
    pub severity: Severity,
    /// Its rules, each with its findings.
    pub rules: Vec<RuleGroup<'a>>,
}

/// Findings of one rule.
pub struct RuleGroup<'a> {
    /// The rule's id.
    pub rule_id: &'a str,
    /// Its findings, in report order.
    pub findings: Vec<&'a ReportedFinding>,
}

impl RuleGroup<'_> {
    /// Every finding of a rule shares its title and remediation.
    pub fn first(&self) -> &Finding {
        &self.findings[0].finding
    }
}

/// 「病院」/「診療所」.
pub(crate) fn site_kind_label(kind: SiteKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (SiteKind::Hospital, Lang::Ja) => "病院",
        (SiteKind::Clinic, Lang::Ja) => "診療所",
        (SiteKind::Hospital, Lang::En) => "hospital",
        (SiteKind::Clinic, Lang::En) => "clinic",
    }
}

/// Local (Asia/Tokyo) time of a timestamp, to the minute.
pub(crate) fn local_time(ts: Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    ts.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string()
}

/// The source references of a finding as `file:line` list, at most `limit` of them.
pub(crate) fn sources_line(f: &Finding, limit: usize) -> String {
    let mut parts: Vec<String> = f
        .evidence
        .sources
        .iter()
        .take(limit)
        .map(ToString::to_string)
        .collect();
    if f.evidence.sources.len() > limit {
        parts.push(format!("… +{}", f.evidence.sources.len() - limit));
    }
    parts.join(", ")
}

/// The quoted lines of a finding's evidence (configuration lines), `LINE: text`, at most
/// `limit`.
pub(crate) fn quoted_lines(f: &Finding, limit: usize) -> Vec<String> {
    f.evidence
        .sources
        .iter()
        .filter_map(|s| Some((s.line.unwrap_or_default(), s.excerpt.as_deref()?)))
        .take(limit)
        .map(|(line, text)| format!("{line}: {text}"))
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use mamori_model::{Evidence, Localized, SourceRef, Subject, SubjectKind};

    pub fn finding(rule: &str, severity: Severity, key: &str) -> Finding {
        let subject = Subject::new(SubjectKind::Asset, key, format!("{key}機器"));
        Finding {
            id: Finding::stable_id(rule, &subject),
            rule_id: rule.into(),
            severity,
            subject,
            title: Localized::new(format!("{rule}の題"), format!("{rule} title")),
            message: Localized::new(
                format!("{key} のメッセージ <b>"),
                format!("{key} message <b>"),
            ),
            evidence: Evidence::default()
                .fact("days", 40)
                .source(SourceRef::row("assets.csv", 3)),
            measures: vec!["patch.gateway-devices".into()],
            checklist_items: vec!["security-patches".into()],
            remediation: Localized::new("パッチを適用する", "apply patches"),
        }
    }

    pub fn report() -> Report {
        let f = |rule, sev, key, new| ReportedFinding {
            finding: finding(rule, sev, key),
            new,
            first_seen: Some("2026-11-01T00:00:00Z".parse().unwrap()),
        };
        Report {
            site: SiteInfo {
                id: "demo".into(),
                name: "みなと中央病院".into(),
                kind: SiteKind::Hospital,
            },
            as_of: jiff::civil::date(2026, 11, 21),
            generated_at: "2026-11-21T01:00:00Z".parse().unwrap(),
            tool_version: "0.1.0".into(),
            run: Some(RunInfo {
                id: 2,
                previous_run_id: Some(1),
                previous_run_at: Some("2026-11-01T00:00:00Z".parse().unwrap()),
            }),
            findings: vec![
                f("asset.patch-stale", Severity::Critical, "FW-01", true),
                f("asset.patch-stale", Severity::High, "SRV-01", false),
                f("asset.patch-stale", Severity::High, "SRV-02", false),
                f("asset.av-stale", Severity::Medium, "PC-01", false),
            ],
            resolved: vec![finding("asset.av-stale", Severity::Medium, "PC-09")],
            inputs: vec![InputSummary {
                file: "assets.csv".into(),
                table: "assets",
                encoding: "CP932",
                rows_read: 4,
                rows_rejected: 1,
                ignored_columns: vec!["備考".into()],
                notes: Vec::new(),
            }],
            skipped: vec![SkippedInput {
                file: "logs/".into(),
                reason: Localized::new("未対応: ログ", "not yet supported: logs"),
            }],
            errors: vec![InputError {
                file: "assets.csv".into(),
                line: Some(5),
                column: Some("最終パッチ適用日".into()),
                value: Some("2026/13/1".into()),
                message: Localized::new("日付として読めません", "not a date"),
            }],
            checklist: None,
            this_week: Vec::new(),
            not_checked: Vec::new(),
            open_incident: None,
            show_rule_ids: true,
            not_recorded: None,
        }
    }

    #[test]
    fn summary_and_groups() {
        let r = report();
        let s = r.summary();
        assert_eq!(
            (s.critical, s.high, s.medium, s.total, s.new, s.resolved),
            (1, 2, 1, 4, 1, 1)
        );
        let groups = r.groups();
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[1].rules[0].findings.len(), 2);
        let labels = r.checklist_labels(&r.findings[0].finding, Lang::Ja);
        assert_eq!(labels.len(), 1);
        assert!(labels[0].starts_with("2-⑥ "), "{labels:?}");
    }
}
