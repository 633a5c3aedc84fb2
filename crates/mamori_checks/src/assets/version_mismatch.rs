//! `asset.version-mismatch`: the ledger says one firmware version, the device's configuration
//! backup (`configs/`) another. The backup is what the device runs; vulnerability matching
//! uses it (`Site::effective_version`), and the ledger should be corrected.

use mamori_model::{Finding, Localized, Severity, SourceRef};

use super::{asset_label, asset_subject};
use crate::{CheckContext, Rule, Text};

/// `asset.version-mismatch` — Ledger version differs from the device's configuration. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.version-mismatch",
        default_severity: Severity::Medium,
        title: Text {
            ja: "台帳と設定ファイルでバージョンが違う",
            en: "Ledger version differs from the device's configuration",
        },
        rationale: Text {
            ja: "台帳のバージョンが古いままだと、脆弱性に当たる機器を見落とします。半田病院の FortiGate は導入以来ファームウェアが更新されていないことに誰も気づいていませんでした。",
            en: "A stale ledger version hides devices that a vulnerability applies to; nobody noticed that the Handa hospital's FortiGate had never been updated since installation.",
        },
        remediation: Text {
            ja: "機器の実際のバージョン（設定ファイルの値）を台帳に記入してください。バージョンアップのたびに台帳と設定のバックアップを更新する手順にしてください。",
            en: "Record the device's actual version (from its configuration) in the ledger, and update both ledger and backup with every firmware upgrade.",
        },
        measures: &["assets.inventory", "patch.gateway-devices"],
        checklist: &["ledger", "security-patches"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        let (Some(asset), Some(fw)) = (
            g.asset.as_deref().and_then(|id| ctx.site.asset(id)),
            g.firmware.as_ref(),
        ) else {
            continue;
        };
        let ledger = version_numbers(&asset.version);
        let config = version_numbers(&fw.version);
        if !ledger.is_empty() && (ledger.starts_with(&config) || config.starts_with(&ledger)) {
            continue;
        }
        let (severity, message) = if asset.version.is_empty() {
            (
                Severity::Low,
                Localized::new(
                    format!(
                        "{} のバージョンが台帳にありません。設定ファイル {} では {} です",
                        asset_label(asset),
                        g.file,
                        fw.version
                    ),
                    format!(
                        "{} has no version in the ledger; its configuration {} says {}",
                        asset_label(asset),
                        g.file,
                        fw.version
                    ),
                ),
            )
        } else {
            (
                if asset.is_exposed() {
                    Severity::High
                } else {
                    rule.default_severity
                },
                Localized::new(
                    format!(
                        "{} のバージョンは台帳では {} ですが、設定ファイル {} では {} です",
                        asset_label(asset),
                        asset.version,
                        g.file,
                        fw.version
                    ),
                    format!(
                        "{}: the ledger says {} but its configuration {} says {}",
                        asset_label(asset),
                        asset.version,
                        g.file,
                        fw.version
                    ),
                ),
            )
        };
        let evidence = mamori_model::Evidence::default()
            .fact("ledger_version", asset.version.as_str())
            .fact("config_version", fw.version.as_str())
            .source(asset.origin.clone())
            .source(SourceRef::quote(&g.file, fw.line.line, &fw.line.text));
        findings.push(rule.finding(asset_subject(asset), severity, message, evidence));
    }
    findings
}

/// The numbers of a version as vendors and people write it: `v6.0.4`, `6.0.4,build0231`,
/// `9.8(4)`, `FortiOS 6.0.4` → [6, 0, 4]. Build numbers are left out (ledgers rarely have
/// them).
fn version_numbers(text: &str) -> Vec<u64> {
    let lower = text.to_ascii_lowercase();
    let cut = lower.find("build").unwrap_or(lower.len());
    lower[..cut]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{asset, check, fortigate};
    use mamori_model::site::{AssetKind, Site};

    fn linked(ledger: &str, header: &str) -> Vec<Finding> {
        let mut a = asset("FW-01", AssetKind::Vpn);
        a.version = ledger.into();
        let mut g = fortigate(&format!("{header}\n"));
        g.asset = Some("FW-01".into());
        let site = Site {
            assets: vec![a],
            gateways: vec![g],
            ..Site::default()
        };
        check(&RULE, &site)
    }

    #[test]
    fn versions_compare_by_their_numbers() {
        let header = "#config-version=FGT60E-6.0.4-FW-build0231-190107:opmode=0:vdom=0";
        assert!(linked("v6.0.4", header).is_empty());
        assert!(linked("FortiOS 6.0.4 build0231", header).is_empty());
        assert!(
            linked("6.0", header).is_empty(),
            "less precise is not a disagreement"
        );
        let f = linked("6.0.11", header);
        assert_eq!(f[0].severity, Severity::High);
        assert!(
            f[0].message.ja.contains("台帳では 6.0.11"),
            "{}",
            f[0].message.ja
        );
        assert_eq!(linked("", header)[0].severity, Severity::Low);
        assert_eq!(version_numbers("9.8(4)"), [9, 8, 4]);
    }
}
