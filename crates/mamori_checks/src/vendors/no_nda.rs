//! `vendor.no-nda`: a vendor without a confidentiality agreement (守秘義務契約). The notices
//! themselves may only be shown to vendors under one, and a vendor that maintains systems sees
//! patient data and the hospital's weaknesses.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{has_access, vendor_label, vendor_subject};
use crate::{CheckContext, Rule, Text};

/// `vendor.no-nda` — Vendor without a confidentiality agreement. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "vendor.no-nda",
        default_severity: Severity::Medium,
        title: Text {
            ja: "守秘義務契約のない事業者",
            en: "Vendor without a confidentiality agreement",
        },
        rationale: Text {
            ja: "保守事業者は患者情報や院内の弱点に触れます。注意喚起の情報も守秘義務契約を結んだ事業者にしか共有できません。",
            en: "Maintenance vendors see patient data and the hospital's weak points; the security notices may only be shared with vendors under a confidentiality agreement.",
        },
        remediation: Text {
            ja: "守秘義務（秘密保持）契約を締結し、締結日を事業者一覧に記録してください。",
            en: "Sign a confidentiality agreement and record it in the vendor list.",
        },
        measures: &[
            "supply-chain.vendor-posture",
            "confidentiality.need-to-know",
        ],
        checklist: &["remote-maintenance"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    ctx.site
        .vendors
        .iter()
        .filter(|v| v.nda != Some(true))
        .map(|v| {
            let access = has_access(ctx.site, v);
            let severity = if access {
                Severity::High
            } else {
                rule.default_severity
            };
            let (note_ja, note_en) = match v.nda {
                Some(false) => ("未締結", "none"),
                _ => ("記載なし", "not recorded"),
            };
            let message = Localized::new(
                format!(
                    "{} と守秘義務契約がありません（{}）",
                    vendor_label(v),
                    note_ja
                ),
                format!(
                    "no confidentiality agreement with {} ({})",
                    vendor_label(v),
                    note_en
                ),
            );
            let evidence = Evidence::default()
                .fact("nda", v.nda.map_or("unknown", |_| "no"))
                .fact("has_access", access)
                .source(v.origin.clone());
            rule.finding(vendor_subject(v), severity, message, evidence)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{AssetKind, Site, Vendor};

    fn vendor(id: &str, nda: Option<bool>) -> Vendor {
        Vendor {
            id: id.into(),
            nda,
            origin: origin("vendors.csv", 2),
            ..Vendor::default()
        }
    }

    #[test]
    fn fires_higher_for_vendors_with_access() {
        let mut fw = asset("FW-01", AssetKind::Gateway);
        fw.managed_by = "V1".into();
        let site = Site {
            vendors: vec![vendor("V1", Some(false)), vendor("V2", None)],
            assets: vec![fw],
            ..Site::default()
        };
        let sev: Vec<_> = check(&RULE, &site).iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::High, Severity::Medium]);
    }

    #[test]
    fn silent_with_nda() {
        let site = Site {
            vendors: vec![vendor("V1", Some(true))],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
