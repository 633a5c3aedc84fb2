//! `account.stale`: an enabled account nobody has logged on with for a long time
//! (`thresholds.account_stale_days`, 90 by default: a quarter covers rotations, leave and
//! seasonal work, while an account unused for longer is one nobody would miss or notice).

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text, account_label, account_subject};

/// `account.stale` — Account unused for a long time. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "account.stale",
        default_severity: Severity::Low,
        title: Text {
            ja: "長期間使われていないアカウント",
            en: "Account unused for a long time",
        },
        rationale: Text {
            ja: "使われていないアカウントは不正利用されても気づかれにくく、攻撃者の潜伏先になります。",
            en: "Unused accounts hide misuse and give attackers a quiet foothold.",
        },
        remediation: Text {
            ja: "利用者と必要性を確認し、不要なら無効化・削除してください。保守用など時々使うものは、使う時だけ有効にする運用にしてください。",
            en: "Confirm who needs the account; disable or delete it if nobody does. Enable occasional-use accounts (e.g. maintenance) only when needed.",
        },
        measures: &["accounts.remove-unneeded"],
        checklist: &["unneeded-accounts"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let threshold = ctx.site.config.thresholds.account_stale_days;
    let mut findings = Vec::new();
    for account in ctx.site.accounts.iter().filter(|a| a.is_enabled()) {
        let Some(last) = account.last_logon else {
            continue;
        };
        let days = ctx.days_since(last);
        if days <= threshold {
            continue;
        }
        let severity = match (account.is_privileged(), ctx.account_on_boundary(account)) {
            (true, true) => Severity::High,
            (true, false) | (false, true) => Severity::Medium,
            _ => rule.default_severity,
        };
        let message = Localized::new(
            format!(
                "「{}」のアカウント {} は {} 日間ログオンがありません（最終ログオン {}）",
                account.system,
                account_label(account),
                days,
                last
            ),
            format!(
                "account {} on {} has not logged on for {} days (last logon {})",
                account.username, account.system, days, last
            ),
        );
        let evidence = Evidence::default()
            .fact("last_logon", last.to_string())
            .fact("days_since", days)
            .fact("threshold_days", threshold)
            .fact("privileged", account.is_privileged())
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
    fn fires_after_threshold_and_ranks_privileged_higher() {
        let mut old = account("AD", "old");
        old.last_logon = Some(days_ago(91));
        let mut old_admin = account("VPN", "admin2");
        old_admin.last_logon = Some(days_ago(400));
        old_admin.privileged = Some(true);
        let site = Site {
            accounts: vec![old, old_admin],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].severity, f[1].severity),
            (Severity::Low, Severity::High)
        );
        assert_eq!(f[0].evidence.facts["days_since"], 91);
    }

    #[test]
    fn silent_within_threshold_disabled_or_unknown() {
        let mut recent = account("AD", "recent");
        recent.last_logon = Some(days_ago(90));
        let mut disabled = account("AD", "gone");
        disabled.last_logon = Some(days_ago(500));
        disabled.enabled = Some(false);
        let unknown = account("AD", "unknown");
        let mut site = Site {
            accounts: vec![recent, disabled, unknown],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
        // A site that tolerates less sees the 90-day account.
        site.config.thresholds.account_stale_days = 60;
        assert_eq!(check(&RULE, &site).len(), 1);
    }
}
