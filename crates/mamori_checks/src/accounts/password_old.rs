//! `account.password-old`: a password unchanged for longer than
//! `thresholds.password_max_age_days` (365 by default).
//!
//! Forced periodic changes are no longer recommended for ordinary users, so the default is long:
//! it catches passwords set before a leak or before staff changed, not routine ageing.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text, account_label, account_subject};

/// `account.password-old` — Password not changed for a long time. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "account.password-old",
        default_severity: Severity::Low,
        title: Text {
            ja: "長期間変更されていないパスワード",
            en: "Password not changed for a long time",
        },
        rationale: Text {
            ja: "長く同じパスワードは、過去の漏えいや退職者・業者に知られたままの可能性があります。悪用済みの脆弱性があった機器では変更が必須です。",
            en: "A long-unchanged password may be known from an old leak, a leaver or a vendor; after an exploited flaw it must be changed.",
        },
        remediation: Text {
            ja: "パスワードを長く推測されにくいものに変更してください。とくに管理者・VPN・保守用のアカウントを優先し、他のシステムと同じパスワードは使わないでください。",
            en: "Change it to a long, hard-to-guess password, administrator, VPN and maintenance accounts first, and never reuse it on another system.",
        },
        measures: &["accounts.strong-passwords"],
        checklist: &["password-rules"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let threshold = ctx.site.config.thresholds.password_max_age_days;
    let mut findings = Vec::new();
    for account in ctx.site.accounts.iter().filter(|a| a.is_enabled()) {
        let Some(set) = account.password_last_set else {
            continue;
        };
        let days = ctx.days_since(set);
        if days <= threshold {
            continue;
        }
        let severity = if account.is_privileged() || ctx.account_on_boundary(account) {
            Severity::Medium
        } else {
            rule.default_severity
        };
        let message = Localized::new(
            format!(
                "「{}」のアカウント {} のパスワードは {} 日間変更されていません（最終変更 {}）",
                account.system,
                account_label(account),
                days,
                set
            ),
            format!(
                "password of {} on {} unchanged for {} days (last set {})",
                account.username, account.system, days, set
            ),
        );
        let evidence = Evidence::default()
            .fact("password_last_set", set.to_string())
            .fact("days_since", days)
            .fact("threshold_days", threshold)
            .source(account.origin.clone());
        findings.push(rule.finding(account_subject(account), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::Site;

    #[test]
    fn fires_past_a_year_and_ranks_admins_higher() {
        let mut old = account("AD", "nurse01");
        old.password_last_set = Some(days_ago(366));
        let mut admin = account("AD", "admin-ad");
        admin.password_last_set = Some(days_ago(1000));
        admin.privileged = Some(true);
        let site = Site {
            accounts: vec![old, admin],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].severity, f[1].severity),
            (Severity::Low, Severity::Medium)
        );
    }

    #[test]
    fn silent_for_recent_or_unknown() {
        let mut recent = account("AD", "nurse02");
        recent.password_last_set = Some(days_ago(365));
        let site = Site {
            accounts: vec![recent, account("AD", "nurse03")],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
