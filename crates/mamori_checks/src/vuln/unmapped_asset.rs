//! `vuln.unmapped-asset`: a device mamori cannot name in NVD/JVN terms, so no vulnerability
//! data is matched against it. Said out loud rather than silently skipped.

use mamori_model::{Evidence, Finding, Localized, Severity};
use mamori_vuln::products::Unmapped;

use crate::assets::{asset_label, asset_subject};
use crate::{CheckContext, Rule, Text};

/// `vuln.unmapped-asset` — Device not matched against vulnerability data. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "vuln.unmapped-asset",
        default_severity: Severity::Info,
        title: Text {
            ja: "脆弱性情報と照合できない機器",
            en: "Device not matched against vulnerability data",
        },
        rationale: Text {
            ja: "メーカー・型番から CPE（脆弱性データベースでの製品名）が決まらない機器は、既知の脆弱性があっても mamori は気づけません。",
            en: "When a device's maker and model give no CPE (the product name vulnerability databases use), mamori cannot notice its known flaws.",
        },
        remediation: Text {
            ja: "資産台帳の cpe 列に CPE 名（例: cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*）を記入するか、メーカー・型番を正式名称で記入してください。",
            en: "Fill in the ledger's cpe column (e.g. cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*), or give the maker and model by their official names.",
        },
        measures: &["assets.inventory"],
        checklist: &["ledger"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(site) = ctx.vuln_matches() else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for av in site {
        let Err(why) = &av.mapped else { continue };
        let a = av.asset;
        let what = format!("{} {}", a.vendor, a.product).trim().to_owned();
        let message = match why {
            Unmapped::NoProduct => Localized::new(
                format!(
                    "{} はメーカー・型番が空欄のため、脆弱性情報と照合していません",
                    asset_label(a)
                ),
                format!(
                    "{}: maker and model are empty, so no vulnerability data was matched",
                    asset_label(a)
                ),
            ),
            Unmapped::Unknown => Localized::new(
                format!(
                    "{} の「{what}」に対応する CPE がわからないため、脆弱性情報と照合していません",
                    asset_label(a)
                ),
                format!(
                    "{}: no CPE known for \"{what}\", so no vulnerability data was matched",
                    asset_label(a)
                ),
            ),
            Unmapped::BadCpe(value) => Localized::new(
                format!(
                    "{} の cpe 列「{value}」を CPE 名として読めないため、照合していません",
                    asset_label(a)
                ),
                format!(
                    "{}: the cpe column \"{value}\" is not a CPE name, so nothing was matched",
                    asset_label(a)
                ),
            ),
        };
        let evidence = Evidence::default()
            .fact("vendor", a.vendor.as_str())
            .fact("product", a.product.as_str())
            .source(a.origin.clone());
        findings.push(rule.finding(asset_subject(a), rule.default_severity, message, evidence));
    }
    findings
}
