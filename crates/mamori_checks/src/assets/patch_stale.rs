//! `asset.patch-stale`: patches not applied for too long.
//!
//! Gateways, VPN devices and anything internet-facing get `thresholds.gateway_patch_days`
//! (30 by default: the VPN flaws behind the Japanese hospital attacks were exploited within
//! weeks of the fix), everything else `thresholds.patch_days` (90: one quarterly maintenance
//! window). An exposed device with no patch date at all is reported too, because nobody knows.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{asset_label, asset_subject, exposure_note};
use crate::{CheckContext, Rule, Text};

/// `asset.patch-stale` — Security patches not applied for too long. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.patch-stale",
        default_severity: Severity::Medium,
        title: Text {
            ja: "セキュリティパッチが長期間適用されていない",
            en: "Security patches not applied for too long",
        },
        rationale: Text {
            ja: "半田病院・大阪急性期・総合医療センターでは、修正済みの脆弱性が残った VPN 装置から侵入されました。",
            en: "At Handa and Osaka the attackers came in through VPN devices whose flaws had already been fixed by the vendor.",
        },
        remediation: Text {
            ja: "最新のファームウェア・更新プログラムを適用し、適用日を台帳に記録してください。VPN・ゲートウェイ機器は保守事業者と月 1 回以上の確認日を決めてください。",
            en: "Apply the current firmware and updates and record the date in the ledger; agree a monthly check with the vendor for VPN and gateway devices.",
        },
        measures: &["patch.gateway-devices", "patch.firmware-definitions"],
        checklist: &["security-patches"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let t = &ctx.site.config.thresholds;
    let mut findings = Vec::new();
    for asset in &ctx.site.assets {
        let exposed = asset.is_exposed();
        let threshold = if exposed {
            t.gateway_patch_days
        } else {
            t.patch_days
        };
        let severity = if exposed {
            Severity::High
        } else {
            rule.default_severity
        };
        let (exp_ja, exp_en) = exposure_note(asset);
        let (message, evidence) = match asset.last_patched {
            Some(day) => {
                let days = ctx.days_since(day);
                if days <= threshold {
                    continue;
                }
                (
                    Localized::new(
                        format!(
                            "{} は {} 日間パッチが適用されていません（最終適用 {}、{}は {} 日以内が目安）",
                            asset_label(asset),
                            days,
                            day,
                            exp_ja,
                            threshold
                        ),
                        format!(
                            "{} has gone {} days without patches (last {}; {} devices: {} days)",
                            asset_label(asset),
                            days,
                            day,
                            exp_en,
                            threshold
                        ),
                    ),
                    Evidence::default()
                        .fact("last_patched", day.to_string())
                        .fact("days_since", days),
                )
            }
            None if exposed => (
                Localized::new(
                    format!(
                        "{} の最終パッチ適用日が台帳にありません（{}）",
                        asset_label(asset),
                        exp_ja
                    ),
                    format!(
                        "{} has no last-patched date in the ledger ({})",
                        asset_label(asset),
                        exp_en
                    ),
                ),
                Evidence::default().fact("last_patched", serde_json::Value::Null),
            ),
            None => continue,
        };
        let evidence = evidence
            .fact("threshold_days", threshold)
            .fact("exposed", exposed)
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
    fn gateways_after_30_days_others_after_90_and_unknown_exposed() {
        let mut fw = asset("FW-01", AssetKind::Gateway);
        fw.last_patched = Some(days_ago(31));
        let mut srv = asset("SRV-01", AssetKind::Server);
        srv.last_patched = Some(days_ago(91));
        let mut web = asset("WEB-01", AssetKind::Server);
        web.internet_facing = Some(true);
        let site = Site {
            assets: vec![fw, srv, web],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.subject.key.as_str(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("FW-01", Severity::High),
                ("SRV-01", Severity::Medium),
                ("WEB-01", Severity::High)
            ]
        );
    }

    #[test]
    fn silent_when_recent_or_internal_unknown() {
        let mut fw = asset("FW-01", AssetKind::Gateway);
        fw.last_patched = Some(days_ago(30));
        let mut pc = asset("PC-01", AssetKind::Pc);
        pc.last_patched = Some(days_ago(60));
        let site = Site {
            assets: vec![fw, pc, asset("PC-02", AssetKind::Pc)],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
