//! `bcp.rto-undefined`: a plan for a system with patient data (電子カルテ, PACS, レセコン) that
//! sets no target restore time. Without one, nobody can tell whether the backups and the vendor
//! can bring it back in time.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text};

/// `bcp.rto-undefined` — no target restore time.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "bcp.rto-undefined",
        default_severity: Severity::Medium,
        title: Text {
            ja: "目標復旧時間が決まっていない",
            en: "No target restore time",
        },
        rationale: Text {
            ja: "いつまでに戻すかが決まっていないと、バックアップの取り方や保守契約がそれに間に合うかを確かめられません。",
            en: "Without a target, nobody can check that the backups and the maintenance contract can meet it.",
        },
        remediation: Text {
            ja: "診療への影響から、このシステムをいつまでに戻すか（例: 24時間）を決め、BCP一覧に書いてください。保守事業者にその時間で戻せるか確かめてください。",
            en: "Decide from the impact on care by when the system must be back (e.g. 24 hours), record it, and confirm the vendor can meet it.",
        },
        measures: &["respond.bcp"],
        checklist: &["bcp"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    ctx.site
        .bcp
        .iter()
        .filter(|p| p.rto_hours.is_none() && super::holds_patient_data(ctx.site, p))
        .map(|plan| {
            let system = super::system_of(ctx.site, plan);
            let label = system.label();
            let message = Localized::new(
                format!("{label} の目標復旧時間が BCP一覧にありません"),
                format!("{label}: no target restore time in the plan"),
            );
            let evidence = Evidence::default().source(plan.origin.clone());
            rule.finding(system.subject(), rule.default_severity, message, evidence)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::backup::BcpPlan;
    use mamori_model::site::Site;

    #[test]
    fn records_systems_need_a_target_others_may_not() {
        let plan = |system: &str| BcpPlan {
            system: system.into(),
            ..BcpPlan::default()
        };
        let site = Site {
            bcp: vec![plan("電子カルテ"), plan("給食システム")],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject.key, "電子カルテ");
    }
}
