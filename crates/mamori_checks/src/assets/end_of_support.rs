//! `asset.end-of-support`: a device past its end of support (no more patches), or within
//! `thresholds.end_of_support_warn_days` (180 by default, about the time a replacement takes
//! to budget and procure) of it.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{asset_label, asset_subject, exposure_note};
use crate::{CheckContext, Rule, Text};

/// `asset.end-of-support` — Device past (or near) end of support. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.end-of-support",
        default_severity: Severity::High,
        title: Text {
            ja: "サポートが終了した（まもなく終了する）機器",
            en: "Device past (or near) end of support",
        },
        rationale: Text {
            ja: "サポート終了後は脆弱性が見つかっても修正されません。岡山県精神科医療センターではサポート切れの VPN 機器が侵入口になりました。",
            en: "No fixes arrive after end of support; an end-of-support VPN device was the way in at the Okayama psychiatric centre.",
        },
        remediation: Text {
            ja: "後継機種・後継版への更新を計画してください。更新まではインターネットや外部からの接続を止めるか、接続元を限定してください。",
            en: "Plan the replacement; until then cut it off from the internet and outside connections, or restrict who can reach it.",
        },
        measures: &["patch.gateway-devices", "assets.inventory"],
        checklist: &["security-patches", "ledger"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let warn_days = ctx.site.config.thresholds.end_of_support_warn_days;
    let mut findings = Vec::new();
    for asset in &ctx.site.assets {
        let Some(eos) = asset.end_of_support else {
            continue;
        };
        let days_past = ctx.days_since(eos);
        let ended = days_past >= 0;
        if !ended && -days_past > warn_days {
            continue;
        }
        let severity = match (ended, asset.is_exposed()) {
            (true, true) => Severity::Critical,
            (true, false) => rule.default_severity,
            (false, true) => Severity::Medium,
            (false, false) => Severity::Low,
        };
        let (exp_ja, exp_en) = exposure_note(asset);
        let message = if ended {
            Localized::new(
                format!(
                    "{} はサポートが終了しています（{} 終了、{}）",
                    asset_label(asset),
                    eos,
                    exp_ja
                ),
                format!(
                    "{} is past end of support ({}, {})",
                    asset_label(asset),
                    eos,
                    exp_en
                ),
            )
        } else {
            Localized::new(
                format!(
                    "{} は {} 日後にサポートが終了します（{}、{}）",
                    asset_label(asset),
                    -days_past,
                    eos,
                    exp_ja
                ),
                format!(
                    "{} reaches end of support in {} days ({}, {})",
                    asset_label(asset),
                    -days_past,
                    eos,
                    exp_en
                ),
            )
        };
        let evidence = Evidence::default()
            .fact("end_of_support", eos.to_string())
            .fact("days_past", days_past)
            .fact("exposed", asset.is_exposed())
            .fact(
                "product",
                format!("{} {} {}", asset.vendor, asset.product, asset.version).trim(),
            )
            .source(asset.origin.clone());
        findings.push(rule.finding(asset_subject(asset), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{AssetKind, Site};

    #[test]
    fn fires_when_ended_and_warns_when_near() {
        let mut vpn = asset("VPN-01", AssetKind::Vpn);
        vpn.end_of_support = Some(days_ago(1));
        let mut pc = asset("PC-01", AssetKind::Pc);
        pc.end_of_support = Some(days_ago(0));
        let mut soon = asset("SRV-01", AssetKind::Server);
        soon.end_of_support = Some(days_ago(-100));
        let site = Site {
            assets: vec![vpn, pc, soon],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        let sev: Vec<_> = f.iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::Critical, Severity::High, Severity::Low]);
    }

    #[test]
    fn silent_far_from_end_or_unknown() {
        let mut later = asset("SRV-01", AssetKind::Server);
        later.end_of_support = Some(days_ago(-181));
        let site = Site {
            assets: vec![later, asset("PC-02", AssetKind::Pc)],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
