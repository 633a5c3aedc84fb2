//! `asset.version-unknown`: an internet-facing or gateway/VPN device whose version the ledger
//! does not give. Without it nobody can tell whether a known-exploited flaw applies.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{asset_label, asset_subject, exposure_note};
use crate::{CheckContext, Rule, Text};

/// `asset.version-unknown` — Version of an exposed device unknown. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.version-unknown",
        default_severity: Severity::High,
        title: Text {
            ja: "外部に接する機器のバージョンが不明",
            en: "Version of an exposed device unknown",
        },
        rationale: Text {
            ja: "バージョンが分からなければ、悪用されている脆弱性に当たるかどうか判断できません。",
            en: "Without the version nobody can tell whether an exploited vulnerability applies.",
        },
        remediation: Text {
            ja: "機器の管理画面や保守事業者の報告でファームウェア・ソフトウェアのバージョンを確認し、台帳に記入してください。",
            en: "Read the firmware or software version from the device or the vendor's report and record it in the ledger.",
        },
        measures: &["assets.inventory", "supply-chain.connection-points"],
        checklist: &["ledger", "security-patches"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    ctx.site
        .assets
        .iter()
        // A linked configuration backup that states the version answers the question.
        .filter(|a| a.is_exposed() && ctx.site.effective_version(a).is_empty())
        .map(|asset| {
            let (exp_ja, exp_en) = exposure_note(asset);
            let message = Localized::new(
                format!(
                    "{} のバージョンが台帳にありません（{}）",
                    asset_label(asset),
                    exp_ja
                ),
                format!(
                    "{} has no version in the ledger ({})",
                    asset_label(asset),
                    exp_en
                ),
            );
            let evidence = Evidence::default()
                .fact(
                    "product",
                    format!("{} {}", asset.vendor, asset.product).trim(),
                )
                .source(asset.origin.clone());
            rule.finding(
                asset_subject(asset),
                rule.default_severity,
                message,
                evidence,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{AssetKind, Site};

    #[test]
    fn fires_for_exposed_devices_without_version() {
        let mut web = asset("WEB-01", AssetKind::Server);
        web.internet_facing = Some(true);
        let site = Site {
            assets: vec![
                asset("VPN-01", AssetKind::Vpn),
                web,
                asset("PC-01", AssetKind::Pc),
            ],
            ..Site::default()
        };
        let keys: Vec<_> = check(&RULE, &site)
            .into_iter()
            .map(|f| f.subject.key)
            .collect();
        assert_eq!(keys, ["VPN-01", "WEB-01"]);
    }

    #[test]
    fn silent_when_version_known() {
        let mut vpn = asset("VPN-01", AssetKind::Vpn);
        vpn.version = "7.0.12".into();
        let site = Site {
            assets: vec![vpn],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
