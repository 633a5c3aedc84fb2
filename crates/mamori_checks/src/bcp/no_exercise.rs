//! `bcp.no-exercise`: a plan never exercised, or not within `thresholds.backup_restore_test_days`
//! (a year), or whose last exercise failed. A plan nobody has walked through fails at the first
//! missing form or phone number.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text};

/// `bcp.no-exercise` — the plan has not been tried.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "bcp.no-exercise",
        default_severity: Severity::Medium,
        title: Text {
            ja: "BCP の訓練をしていない",
            en: "Continuity plan not exercised",
        },
        rationale: Text {
            ja: "紙での運用や連絡の手順は、一度やってみると足りない用紙や連絡先が見つかります。BCP の確認表も訓練の実施を尋ねています。",
            en: "Walking through the paper procedure finds the missing forms and numbers; the MHLW BCP checklist asks for exercises.",
        },
        remediation: Text {
            ja: "年 1 回以上、システムが止まった想定で紙運用と連絡の訓練を行い、日付と結果を BCP一覧に記録してください。",
            en: "Exercise the plan (paper procedure, calls) at least once a year and record the day and result.",
        },
        measures: &["respond.bcp"],
        checklist: &["bcp"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let limit = ctx.site.config.thresholds.backup_restore_test_days;
    let mut findings = Vec::new();
    for plan in &ctx.site.bcp {
        let system = super::system_of(ctx.site, plan);
        let label = system.label();
        let (severity, ja, en) = match plan.last_exercise {
            None => (
                rule.default_severity,
                format!("{label} の BCP は訓練した記録がありません"),
                format!("{label}: the plan has never been exercised"),
            ),
            Some(day) if plan.exercise_succeeded == Some(false) => (
                Severity::High,
                format!("{label} の BCP の最後の訓練（{day}）はうまくいっていません"),
                format!("{label}: the last exercise ({day}) failed"),
            ),
            Some(day) if ctx.days_since(day) > limit => (
                rule.default_severity,
                format!(
                    "{label} の BCP の最後の訓練は {} 日前です（{day}）",
                    ctx.days_since(day)
                ),
                format!(
                    "{label}: last exercise {} days ago ({day})",
                    ctx.days_since(day)
                ),
            ),
            Some(_) => continue,
        };
        let evidence = Evidence::default()
            .fact("max_age_days", limit)
            .source(plan.origin.clone());
        findings.push(rule.finding(system.subject(), severity, Localized::new(ja, en), evidence));
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
    fn a_failed_exercise_is_high() {
        let site = Site {
            bcp: vec![BcpPlan {
                system: "電子カルテ".into(),
                last_exercise: Some(date(2026, 9, 1)),
                exercise_succeeded: Some(false),
                ..BcpPlan::default()
            }],
            ..Site::default()
        };
        let f = check_on(&RULE, &site, date(2026, 11, 21));
        assert_eq!(f[0].severity, Severity::High);
    }
}
