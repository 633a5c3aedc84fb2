//! `bcp.stale`: a plan not reviewed within `thresholds.bcp_review_days` (a year), or never.
//! Systems, vendors and phone numbers change; an old plan sends people to the wrong place.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text};

/// `bcp.stale` — the plan has not been reviewed for a year.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "bcp.stale",
        default_severity: Severity::Low,
        title: Text {
            ja: "BCP を 1 年以上見直していない",
            en: "Continuity plan not reviewed for a year",
        },
        rationale: Text {
            ja: "システムや事業者、連絡先は変わります。古い計画では、いざという時に手順や連絡先が合いません。",
            en: "Systems, vendors and contacts change; an old plan's steps and numbers no longer fit.",
        },
        remediation: Text {
            ja: "年 1 回以上、計画を読み合わせて見直し、見直した日を BCP一覧に記録してください。",
            en: "Review the plan at least once a year and record the day.",
        },
        measures: &["respond.bcp"],
        checklist: &["bcp"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let limit = ctx.site.config.thresholds.bcp_review_days;
    let mut findings = Vec::new();
    for plan in &ctx.site.bcp {
        let system = super::system_of(ctx.site, plan);
        let label = system.label();
        let (ja, en) = match plan.last_review {
            None => (
                format!("{label} の BCP を見直した日が記録されていません"),
                format!("{label}: no review of the plan recorded"),
            ),
            Some(day) if ctx.days_since(day) > limit => (
                format!(
                    "{label} の BCP は {} 日間見直されていません（最終見直し {day}）",
                    ctx.days_since(day)
                ),
                format!(
                    "{label}: plan not reviewed for {} days (last {day})",
                    ctx.days_since(day)
                ),
            ),
            Some(_) => continue,
        };
        let evidence = Evidence::default()
            .fact("max_age_days", limit)
            .source(plan.origin.clone());
        findings.push(rule.finding(
            system.subject(),
            rule.default_severity,
            Localized::new(ja, en),
            evidence,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use jiff::civil::date;
    use mamori_model::backup::BcpPlan;
    use mamori_model::site::Site;

    #[test]
    fn reviewed_this_year_is_quiet() {
        let plan = |system: &str, review| BcpPlan {
            system: system.into(),
            last_review: review,
            ..BcpPlan::default()
        };
        let site = Site {
            bcp: vec![
                plan("電子カルテ", Some(date(2026, 4, 1))),
                plan("PACS", Some(date(2025, 4, 1))),
                plan("レセコン", None),
            ],
            ..Site::default()
        };
        let f = check_on(&RULE, &site, date(2026, 11, 21));
        let keys: Vec<&str> = f.iter().map(|f| f.subject.key.as_str()).collect();
        assert_eq!(keys, ["PACS", "レセコン"]);
    }
}
