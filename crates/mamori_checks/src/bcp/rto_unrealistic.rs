//! `bcp.rto-unrealistic`: the last restore test of a system took longer than its plan's target
//! restore time. The target is then a wish: the backup, the hardware or the vendor's contract
//! must change, or the target must.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text};

/// `bcp.rto-unrealistic` — the last restore took longer than the target.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "bcp.rto-unrealistic",
        default_severity: Severity::High,
        title: Text {
            ja: "復元訓練が目標復旧時間に間に合っていない",
            en: "Restore drill slower than the target restore time",
        },
        rationale: Text {
            ja: "訓練で目標の時間に戻せなかったなら、本番ではさらにかかります。計画どおりに診療を再開できません。",
            en: "If the drill missed the target, a real restore will take longer still: care cannot resume as planned.",
        },
        remediation: Text {
            ja: "戻すのに時間がかかった原因（データ量、回線、手順、保守の駆けつけ時間）を保守事業者と確かめ、手順か目標を見直してください。",
            en: "Find out with the vendor what made the restore slow (data size, network, procedure, on-site time) and change the procedure or the target.",
        },
        measures: &["respond.bcp", "respond.backup"],
        checklist: &["bcp"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for plan in &ctx.site.bcp {
        let Some(rto) = plan.rto_hours else {
            continue;
        };
        let system = super::system_of(ctx.site, plan);
        let Some(test) = crate::backup::restore_untested::last_test(ctx.site, &system) else {
            continue;
        };
        let Some(minutes) = test.minutes.filter(|&m| m > rto * 60) else {
            continue;
        };
        let label = system.label();
        let message = Localized::new(
            format!(
                "{label} の最後の復元（{}）は {minutes} 分かかり、目標の {rto} 時間に間に合っていません",
                test.day
            ),
            format!(
                "{label}: the last restore ({}) took {minutes} minutes, over the {rto}-hour target",
                test.day
            ),
        );
        let evidence = Evidence::default()
            .fact("restore_minutes", minutes)
            .fact("rto_hours", rto)
            .source(test.origin)
            .source(plan.origin.clone());
        findings.push(rule.finding(system.subject(), rule.default_severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use jiff::civil::date;
    use mamori_model::backup::{BcpPlan, RestoreDrill};
    use mamori_model::site::Site;

    #[test]
    fn a_six_hour_restore_misses_a_four_hour_target() {
        let site = Site {
            bcp: vec![BcpPlan {
                system: "電子カルテ".into(),
                rto_hours: Some(4),
                ..BcpPlan::default()
            }],
            restore_drills: vec![RestoreDrill {
                system: "電子カルテ".into(),
                date: Some(date(2026, 3, 1)),
                minutes: Some(360),
                succeeded: Some(true),
                ..RestoreDrill::default()
            }],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.ja.contains("360 分"));
    }
}
