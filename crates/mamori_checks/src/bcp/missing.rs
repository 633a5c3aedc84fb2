//! `bcp.missing`: a device holding patient data with no plan in the BCP一覧 — or no BCP一覧 at
//! all. The notices ask for a plan that assumes a cyberattack has taken the systems down.

use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};

use crate::{CheckContext, Rule, Text};

/// `bcp.missing` — no plan for working without the system.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "bcp.missing",
        default_severity: Severity::Medium,
        title: Text {
            ja: "止まったときの計画（BCP）がない",
            en: "No continuity plan for the system",
        },
        rationale: Text {
            ja: "電子カルテが止まった病院は、紙での運用の手順がないまま何週間も診療を制限しました。止まったときにどう診療を続け、いつまでに戻すかを決めておく必要があります。",
            en: "Hospitals whose records system stopped limited care for weeks without a paper procedure; decide how care continues and when the system must be back.",
        },
        remediation: Text {
            ja: "このシステムが止まったときの運用（紙カルテ、手書き伝票など）と目標復旧時間を決め、BCP一覧に書いてください。計画と用紙は印刷して保管してください。",
            en: "Decide how to work while the system is down and its target restore time, record them in the BCP list, and keep the plan and forms on paper.",
        },
        measures: &["respond.bcp"],
        checklist: &["bcp"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let site = ctx.site;
    let patient: Vec<_> = crate::backup::patient_data_assets(site).collect();
    if patient.is_empty() && site.bcp.is_empty() && !site.assets.is_empty() {
        let message = Localized::new(
            "BCP一覧（システムが止まったときの計画）がありません",
            "there is no continuity plan (BCP list)",
        );
        let subject = Subject::new(SubjectKind::Site, "bcp", "BCP一覧");
        return vec![rule.finding(subject, rule.default_severity, message, Evidence::default())];
    }
    patient
        .into_iter()
        .filter(|a| !site.bcp.iter().any(|p| crate::backup::covers(&p.system, a)))
        .map(|asset| {
            let label = crate::assets::asset_label(asset);
            let message = Localized::new(
                format!("{label} が止まったときの計画が BCP一覧にありません"),
                format!("no continuity plan for {label}"),
            );
            crate::assets::asset_finding(rule, asset, message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::backup::BcpPlan;
    use mamori_model::site::{Asset, AssetKind, Site};

    #[test]
    fn each_patient_data_device_needs_a_plan() {
        let asset = |id: &str, name: &str| Asset {
            id: id.into(),
            name: name.into(),
            kind: Some(AssetKind::Server),
            ..Asset::default()
        };
        let site = Site {
            assets: vec![asset("S1", "電子カルテサーバ"), asset("S2", "レセコン")],
            bcp: vec![BcpPlan {
                system: "電子カルテ".into(),
                ..BcpPlan::default()
            }],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject.key, "S2");
    }
}
