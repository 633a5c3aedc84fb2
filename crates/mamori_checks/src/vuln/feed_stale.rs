//! `vuln.feed-stale`: the vulnerability data used is older than
//! `thresholds.vuln_feed_max_age_days` (7 by default: CISA adds KEV entries most weekdays, and
//! a week is as long as a freshly exploited VPN flaw should go unnoticed). Also raised when
//! NVD or JVN data is loaded without the KEV catalog, which is what ranks the results.

use jiff::civil::Date;
use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};
use mamori_vuln::FeedKind;

use crate::{CheckContext, Rule, Text};

/// `vuln.feed-stale` — Vulnerability data is out of date. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "vuln.feed-stale",
        default_severity: Severity::Medium,
        title: Text {
            ja: "脆弱性情報が古い",
            en: "Vulnerability data is out of date",
        },
        rationale: Text {
            ja: "VPN 機器の脆弱性は公表から数日で悪用されます。古い脆弱性情報で照合しても、新たに悪用が始まった脆弱性は見つかりません。",
            en: "VPN flaws are exploited within days of disclosure; matching against old data misses what attackers started using since.",
        },
        remediation: Text {
            ja: "`mamori vuln update` で最新の情報を取得するか、インターネットに接続できない環境では別の端末で取得したファイルを `mamori vuln import` で読み込んでください。",
            en: "Run `mamori vuln update`, or on a closed network fetch the files elsewhere and load them with `mamori vuln import`.",
        },
        measures: &["patch.gateway-devices"],
        checklist: &["security-patches"],
    },
    run,
};

/// `2025-02-21T17:07:48Z`, `2025-02-21`, `2025.02.21` → the date.
pub fn stamp_date(stamp: &str) -> Option<Date> {
    let head: String = stamp
        .chars()
        .take(10)
        .map(|c| if c == '.' { '-' } else { c })
        .collect();
    head.parse().ok()
}

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(loaded) = ctx.vuln else {
        return Vec::new();
    };
    let max_age = ctx.site.config.thresholds.vuln_feed_max_age_days;
    let mut findings = Vec::new();
    let subject = |kind: FeedKind| {
        Subject::new(
            SubjectKind::Site,
            format!("feed:{}", kind.as_str()),
            kind.label(),
        )
    };
    for kind in FeedKind::ALL {
        let sources: Vec<_> = loaded.feeds.iter().filter(|f| f.kind == kind).collect();
        if sources.is_empty() {
            continue;
        }
        let newest = sources
            .iter()
            .filter_map(|f| f.stamp.as_deref().and_then(stamp_date))
            .max();
        let (age, date_text) = match newest {
            Some(d) => (ctx.days_since(d), d.to_string()),
            None => (i64::MAX, "不明".to_owned()),
        };
        if age <= max_age {
            continue;
        }
        let age_text = if age == i64::MAX {
            "?".to_owned()
        } else {
            age.to_string()
        };
        let message = Localized::new(
            format!(
                "{} の情報は {date_text} 時点のもので、{age_text} 日経っています（基準 {max_age} 日）",
                kind.label()
            ),
            format!(
                "{} data is from {}, {age_text} days old (limit {max_age})",
                kind.label(),
                if newest.is_some() {
                    date_text.as_str()
                } else {
                    "an unknown date"
                }
            ),
        );
        let mut evidence = Evidence::default()
            .fact("feed", kind.as_str())
            .fact("max_age_days", max_age);
        if let Some(d) = newest {
            evidence = evidence
                .fact("data_date", d.to_string())
                .fact("age_days", age);
        }
        for f in sources {
            evidence = evidence.source(mamori_model::SourceRef {
                file: f.source.clone(),
                ..Default::default()
            });
        }
        findings.push(rule.finding(subject(kind), rule.default_severity, message, evidence));
    }
    let has = |k: FeedKind| loaded.feeds.iter().any(|f| f.kind == k);
    if !has(FeedKind::Kev) && (has(FeedKind::Nvd) || has(FeedKind::Jvn)) {
        findings.push(rule.finding(
            subject(FeedKind::Kev),
            rule.default_severity,
            Localized::new(
                "CISA KEV（悪用が確認された脆弱性の一覧）が読み込まれていないため、悪用の有無で優先度を付けられません",
                "The CISA KEV catalog is not loaded, so findings cannot be ranked by known exploitation",
            ),
            Evidence::default().fact("feed", "kev").fact("loaded", false),
        ));
    }
    findings
}
