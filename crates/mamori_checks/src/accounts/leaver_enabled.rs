//! `account.leaver-enabled`: an enabled account of someone who has left.
//!
//! A leaver's account is a password nobody watches: if it leaks, its use looks like normal
//! work. The roster is matched on 職員番号; an account without one is matched on the name,
//! ignoring spaces, and the finding says so.

use std::collections::HashMap;

use mamori_model::site::Staff;
use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text, account_label, account_subject};

/// `account.leaver-enabled` — Account of a leaver still enabled. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "account.leaver-enabled",
        default_severity: Severity::High,
        title: Text {
            ja: "退職者のアカウントが有効のまま",
            en: "Account of a leaver still enabled",
        },
        rationale: Text {
            ja: "退職者のアカウントは誰も使っていないため、不正利用されても気づけません。",
            en: "Nobody uses a leaver's account, so its misuse goes unnoticed.",
        },
        remediation: Text {
            ja: "退職日にアカウントを無効化し、不要なら削除してください。VPN や管理者権限のアカウントは最優先で止め、退職手続きにアカウント停止を組み込んでください。",
            en: "Disable the account on the leaving date and delete it if no longer needed. Stop VPN and administrator accounts first, and make account removal part of the leaving procedure.",
        },
        measures: &["accounts.remove-unneeded", "accounts.review-privileges"],
        checklist: &["unneeded-accounts"],
    },
    run,
};

fn compact(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let leavers: Vec<&Staff> = ctx
        .site
        .staff
        .iter()
        .filter(|s| s.has_left(ctx.as_of))
        .collect();
    let by_id: HashMap<&str, &Staff> = leavers
        .iter()
        .map(|s| (s.employee_id.as_str(), *s))
        .collect();
    let by_name: HashMap<String, &Staff> = leavers
        .iter()
        .filter(|s| !s.name.is_empty())
        .map(|s| (compact(&s.name), *s))
        .collect();

    let mut findings = Vec::new();
    for account in ctx.site.accounts.iter().filter(|a| a.is_enabled()) {
        let (person, matched_on) = if !account.employee_id.is_empty() {
            (by_id.get(account.employee_id.as_str()), "employee_id")
        } else if !account.display_name.is_empty() {
            (by_name.get(&compact(&account.display_name)), "name")
        } else {
            continue;
        };
        let Some(person) = person else { continue };
        let boundary = ctx.account_on_boundary(account);
        let severity = if account.is_privileged() || boundary {
            Severity::Critical
        } else {
            rule.default_severity
        };
        let left = person
            .left_on
            .map_or_else(|| "退職済".to_owned(), |d| format!("{d} 退職"));
        let left_en = person
            .left_on
            .map_or_else(|| "has left".to_owned(), |d| format!("left on {d}"));
        let message = Localized::new(
            format!(
                "{} の「{}」アカウント {} が有効のままです（{}）",
                person.name,
                account.system,
                account_label(account),
                left
            ),
            format!(
                "{}'s account {} on {} is still enabled ({})",
                person.name, account.username, account.system, left_en
            ),
        );
        let mut evidence = Evidence::default()
            .fact("employee_id", person.employee_id.clone())
            .fact("matched_on", matched_on)
            .fact("privileged", account.is_privileged())
            .fact("boundary_system", boundary)
            .source(account.origin.clone())
            .source(person.origin.clone());
        if let Some(d) = person.left_on {
            evidence = evidence.fact("left_on", d.to_string());
        }
        findings.push(rule.finding(account_subject(account), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{Site, StaffStatus};

    fn leaver(id: &str, name: &str) -> Staff {
        Staff {
            employee_id: id.into(),
            name: name.into(),
            status: Some(StaffStatus::Left),
            left_on: Some(days_ago(40)),
            origin: origin("staff.csv", 5),
            ..Staff::default()
        }
    }

    #[test]
    fn fires_for_enabled_account_of_leaver_by_id_and_by_name() {
        let mut by_id = account("電子カルテ", "tanaka");
        by_id.employee_id = "E010".into();
        let mut by_name = account("VPN", "suzuki");
        by_name.display_name = "鈴木 一郎".into();
        let site = Site {
            staff: vec![leaver("E010", "田中 花子"), leaver("E011", "鈴木一郎")],
            accounts: vec![by_id, by_name],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[0].evidence.sources.len(), 2);
        assert_eq!(f[1].severity, Severity::Critical, "VPN account of a leaver");
        assert_eq!(f[1].evidence.facts["matched_on"], "name");
    }

    #[test]
    fn silent_for_disabled_accounts_active_staff_and_future_leavers() {
        let mut disabled = account("AD", "tanaka");
        disabled.employee_id = "E010".into();
        disabled.enabled = Some(false);
        let mut active = account("AD", "sato");
        active.employee_id = "E020".into();
        let mut leaving_later = account("AD", "ito");
        leaving_later.employee_id = "E030".into();
        let mut future = leaver("E030", "伊藤");
        future.left_on = Some(days_ago(-10));
        let site = Site {
            staff: vec![
                leaver("E010", "田中"),
                Staff {
                    employee_id: "E020".into(),
                    status: Some(StaffStatus::Active),
                    ..Staff::default()
                },
                future,
            ],
            accounts: vec![disabled, active, leaving_later],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
