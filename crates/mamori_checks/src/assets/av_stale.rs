//! `asset.av-stale`: antivirus definitions older than `thresholds.av_days` (7 by default:
//! vendors publish several times a day, so a week-old set means updates have stopped).
//! Devices without a definitions date are skipped: not every device runs antivirus.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{asset_label, asset_subject};
use crate::{CheckContext, Rule, Text};

/// `asset.av-stale` — Antivirus definitions out of date. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.av-stale",
        default_severity: Severity::Medium,
        title: Text {
            ja: "ウイルス対策ソフトの定義ファイルが古い",
            en: "Antivirus definitions out of date",
        },
        rationale: Text {
            ja: "定義ファイルが止まっている端末では新しいマルウェアを検知できません。更新停止は攻撃者が対策ソフトを無効化した兆候のこともあります。",
            en: "A device with stalled definitions misses new malware; stalled updates can also mean an attacker switched protection off.",
        },
        remediation: Text {
            ja: "定義ファイルを更新し、自動更新が止まった原因（ライセンス切れ、通信制限、無効化）を確認してください。",
            en: "Update the definitions and find out why automatic updates stopped (expired licence, blocked traffic, protection disabled).",
        },
        measures: &["patch.firmware-definitions"],
        checklist: &["security-patches"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let threshold = ctx.site.config.thresholds.av_days;
    let mut findings = Vec::new();
    for asset in &ctx.site.assets {
        let Some(day) = asset.av_updated else {
            continue;
        };
        let days = ctx.days_since(day);
        if days <= threshold {
            continue;
        }
        let message = Localized::new(
            format!(
                "{} のウイルス定義ファイルは {} 日間更新されていません（最終更新 {}）",
                asset_label(asset),
                days,
                day
            ),
            format!(
                "antivirus definitions on {} are {} days old (last updated {})",
                asset_label(asset),
                days,
                day
            ),
        );
        let evidence = Evidence::default()
            .fact("av_updated", day.to_string())
            .fact("days_since", days)
            .fact("threshold_days", threshold)
            .source(asset.origin.clone());
        findings.push(rule.finding(
            asset_subject(asset),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{AssetKind, Site};

    #[test]
    fn fires_after_a_week_only() {
        let mut stale = asset("PC-01", AssetKind::Pc);
        stale.av_updated = Some(days_ago(8));
        let mut fresh = asset("PC-02", AssetKind::Pc);
        fresh.av_updated = Some(days_ago(7));
        let site = Site {
            assets: vec![stale, fresh, asset("MD-01", AssetKind::MedicalDevice)],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject.key, "PC-01");
        assert_eq!(f[0].evidence.facts["days_since"], 8);
    }

    #[test]
    fn silent_when_all_current() {
        let mut fresh = asset("PC-02", AssetKind::Pc);
        fresh.av_updated = Some(days_ago(0));
        let site = Site {
            assets: vec![fresh],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
