//! `vendor.mds-sds-missing`: no MDS/SDS (医療情報セキュリティ開示書) received from the vendor.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{has_access, vendor_label, vendor_subject};
use crate::{CheckContext, Rule, Text};

/// `vendor.mds-sds-missing` — No MDS/SDS security disclosure from the vendor. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "vendor.mds-sds-missing",
        default_severity: Severity::Low,
        title: Text {
            ja: "MDS/SDS（医療情報セキュリティ開示書）を受け取っていない",
            en: "No MDS/SDS security disclosure from the vendor",
        },
        rationale: Text {
            ja: "MDS/SDS は、製品やサービスがどんなセキュリティ機能を持つかを事業者が開示する書類で、チェックリストでも提出を求めることになっています。",
            en: "The MDS/SDS is the vendor's disclosure of a product's or service's security features; the MHLW checklist asks for it.",
        },
        remediation: Text {
            ja: "事業者に MDS/SDS の提出を依頼し、受領日を事業者一覧に記録してください。",
            en: "Ask the vendor for its MDS/SDS and record the date received.",
        },
        measures: &["supply-chain.vendor-posture"],
        checklist: &["mds-sds"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    ctx.site
        .vendors
        .iter()
        .filter(|v| v.mds_sds_received.is_none())
        .map(|v| {
            let access = has_access(ctx.site, v);
            let severity = if access {
                Severity::Medium
            } else {
                rule.default_severity
            };
            let message = Localized::new(
                format!(
                    "{} から MDS/SDS を受け取った記録がありません",
                    vendor_label(v)
                ),
                format!("no MDS/SDS received from {}", vendor_label(v)),
            );
            let evidence = Evidence::default()
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
    use mamori_model::site::{Site, Vendor};

    #[test]
    fn fires_without_and_silent_with_mds_sds() {
        let site = Site {
            vendors: vec![
                Vendor {
                    id: "V1".into(),
                    ..Vendor::default()
                },
                Vendor {
                    id: "V2".into(),
                    mds_sds_received: Some(days_ago(100)),
                    ..Vendor::default()
                },
            ],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject.key, "V1");
    }
}
