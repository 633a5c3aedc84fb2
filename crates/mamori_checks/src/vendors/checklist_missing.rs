//! `vendor.checklist-missing`: the vendor's 事業者確認用 checklist has not come back in the
//! current fiscal year (April–March of `--as-of`), by the vendors table's date or the vendor's
//! record in `checklist.toml`. The prefecture's on-site inspection checks
//! one per vendor per year.

use mamori_model::site::{fiscal_year, reiwa};
use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{has_access, vendor_label, vendor_subject};
use crate::{CheckContext, Rule, Text};

/// `vendor.checklist-missing` — Vendor checklist not returned this fiscal year. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "vendor.checklist-missing",
        default_severity: Severity::Medium,
        title: Text {
            ja: "今年度の事業者確認用チェックリストが未回収",
            en: "Vendor checklist not returned this fiscal year",
        },
        rationale: Text {
            ja: "立入検査では、医療機関確認用とあわせて事業者ごとの事業者確認用チェックリストが確認されます。事業者側の対策状況を知る手段でもあります。",
            en: "The on-site inspection checks one vendor checklist per vendor each fiscal year; it is also how the hospital learns the vendor's security posture.",
        },
        remediation: Text {
            ja: "事業者確認用チェックリストを事業者に送付して回収し、回収日を checklist.toml（または事業者一覧）に記録してください。「いいえ」の項目は目標日を確認してください。",
            en: "Send the vendor checklist, collect it and record the date returned; check the target dates of any 'no' answers.",
        },
        measures: &["supply-chain.vendor-posture"],
        checklist: &["remote-maintenance", "mds-sds"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let fy = fiscal_year(ctx.as_of);
    let mut findings = Vec::new();
    for v in &ctx.site.vendors {
        // The vendors table's date or checklist.toml's record, whichever is later.
        let returned = ctx
            .site
            .checklist
            .vendors
            .iter()
            .filter(|c| c.vendor == v.id)
            .filter_map(|c| c.returned_on)
            .chain(v.checklist_returned)
            .max();
        if returned.is_some_and(|d| fiscal_year(d) == fy && d <= ctx.as_of) {
            continue;
        }
        let severity = if has_access(ctx.site, v) {
            rule.default_severity
        } else {
            Severity::Low
        };
        let reiwa = reiwa(fy);
        let message = match returned {
            Some(d) => Localized::new(
                format!(
                    "{} の事業者確認用チェックリストが令和{}年度分は未回収です（前回回収 {}）",
                    vendor_label(v),
                    reiwa,
                    d
                ),
                format!(
                    "vendor checklist for FY{} not yet returned by {} (last returned {})",
                    fy,
                    vendor_label(v),
                    d
                ),
            ),
            None => Localized::new(
                format!(
                    "{} の事業者確認用チェックリストを回収した記録がありません",
                    vendor_label(v)
                ),
                format!(
                    "no record of a returned vendor checklist from {}",
                    vendor_label(v)
                ),
            ),
        };
        let mut evidence = Evidence::default()
            .fact("fiscal_year", fy)
            .source(v.origin.clone());
        if let Some(d) = returned {
            evidence = evidence.fact("last_returned", d.to_string());
        }
        findings.push(rule.finding(vendor_subject(v), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use jiff::civil::date;
    use mamori_model::site::{Site, Vendor};

    fn vendor(id: &str, returned: Option<jiff::civil::Date>) -> Vendor {
        Vendor {
            id: id.into(),
            checklist_returned: returned,
            origin: origin("vendors.csv", 2),
            ..Vendor::default()
        }
    }

    #[test]
    fn fires_for_last_years_or_missing_checklist() {
        let site = Site {
            vendors: vec![vendor("V1", Some(date(2026, 3, 31))), vendor("V2", None)],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].evidence.facts["fiscal_year"], 2026);
        assert!(f[0].message.ja.contains("令和8年度"), "{}", f[0].message.ja);
    }

    #[test]
    fn silent_when_returned_this_fiscal_year() {
        let site = Site {
            vendors: vec![vendor("V1", Some(date(2026, 4, 1)))],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
        // In March 2027 an April 2026 return still counts; in April 2027 it no longer does.
        assert!(check_on(&RULE, &site, date(2027, 3, 31)).is_empty());
        assert_eq!(check_on(&RULE, &site, date(2027, 4, 1)).len(), 1);
    }
}
