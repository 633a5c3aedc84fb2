//! `ad.privileged-stale`: an enabled member of a privileged group (Domain Admins and the rest,
//! nested memberships included) that has not logged on for `account_stale_days`, or never.

use mamori_model::{Finding, Localized, Severity};

use super::{days_since, directory, user_evidence, user_subject};
use crate::{CheckContext, Rule, Text};

/// `ad.privileged-stale` — Forgotten privileged account.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.privileged-stale",
        default_severity: Severity::High,
        title: Text {
            ja: "使われていない管理者アカウント（Active Directory）",
            en: "Unused privileged account (Active Directory)",
        },
        rationale: Text {
            ja: "誰も使っていない管理者アカウントは、乗っ取られても気づかれません。大阪・岡山の事案でも、残っていた管理者アカウントが使われました。",
            en: "A privileged account nobody uses can be taken over unnoticed; forgotten administrator accounts were used in the Osaka and Okayama incidents.",
        },
        remediation: Text {
            ja: "誰のためのアカウントか確かめ、不要なら無効にして特権グループから外してください。必要なものはパスワードを変え、使う時だけ有効にしてください。",
            en: "Find out whose account it is; disable it and remove it from privileged groups if unneeded. Otherwise change its password and enable it only when used.",
        },
        measures: &["accounts.remove-unneeded", "accounts.review-privileges"],
        checklist: &["unneeded-accounts", "access-rights"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let threshold = ctx.site.config.thresholds.account_stale_days;
    let mut findings = Vec::new();
    for user in dir
        .users
        .iter()
        .filter(|u| u.enabled() && u.is_privileged())
    {
        let (ja, en) = match user.last_logon {
            Some(t) if days_since(ctx, t) > threshold => {
                let days = days_since(ctx, t);
                (
                    format!("{days} 日間ログオンがありません"),
                    format!("has not logged on for {days} days"),
                )
            }
            None if user.created.is_some_and(|c| days_since(ctx, c) > threshold) => (
                "一度もログオンしていません".to_owned(),
                "has never logged on".to_owned(),
            ),
            _ => continue,
        };
        let groups: Vec<&str> = user.privileged.iter().map(|g| g.name()).collect();
        let message = Localized::new(
            format!(
                "特権グループ（{}）のアカウント {} は{ja}",
                groups.join("、"),
                user.sam
            ),
            format!("{} in {} {en}", user.sam, groups.join(", ")),
        );
        let evidence = user_evidence(dir, user).fact("threshold_days", threshold);
        findings.push(rule.finding(user_subject(user), rule.default_severity, message, evidence));
    }
    findings
}
