//! `account.shared`: a shared or generic account (admin, user, test, guest, `user01`…).
//!
//! Shared IDs make every action anonymous and their passwords travel by word of mouth; generic
//! names are the first ones password-spraying tools try. A trailing number (`test01`) does not
//! make a generic name personal.

use mamori_model::site::Account;
use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text, account_label, account_subject};

/// `account.shared` — Shared or generic account. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "account.shared",
        default_severity: Severity::Medium,
        title: Text {
            ja: "共用・汎用のアカウント",
            en: "Shared or generic account",
        },
        rationale: Text {
            ja: "共用IDでは誰が操作したか分からず、パスワードも広まりがちです。admin や user などの名前は攻撃ツールが真っ先に試します。",
            en: "Shared IDs make actions anonymous and passwords spread; names like admin or user are the first that attack tools try.",
        },
        remediation: Text {
            ja: "利用者ごとの個人アカウントに切り替え、共用アカウントは無効化してください。どうしても必要な場合は、名前を推測しにくいものに変え、長く固有のパスワードと利用記録を残す運用にしてください。",
            en: "Move users to personal accounts and disable the shared one. Where one is unavoidable, rename it, give it a long unique password and log who uses it.",
        },
        measures: &["accounts.strong-passwords", "accounts.review-privileges"],
        checklist: &["access-rights", "password-rules"],
    },
    run,
};

/// The generic name an account's username matches, if any.
fn generic_name<'a>(account: &Account, generic: &'a [String]) -> Option<&'a str> {
    let name = account.username.to_lowercase();
    let name = name.rsplit(['\\', '/']).next().unwrap_or(&name);
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    generic
        .iter()
        .find(|g| g.as_str() == name || g.as_str() == stem)
        .map(String::as_str)
}

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let generic = &ctx.site.config.thresholds.generic_usernames;
    let mut findings = Vec::new();
    for account in ctx.site.accounts.iter().filter(|a| a.is_enabled()) {
        let marked_shared = account.shared == Some(true);
        let generic_match = generic_name(account, generic);
        if !marked_shared && generic_match.is_none() {
            continue;
        }
        let severity = match (account.is_privileged(), ctx.account_on_boundary(account)) {
            (true, true) => Severity::Critical,
            (true, false) | (false, true) => Severity::High,
            _ => rule.default_severity,
        };
        let (why_ja, why_en) = if marked_shared {
            ("共用と記載".to_owned(), "marked as shared".to_owned())
        } else {
            let g = generic_match.unwrap_or_default();
            (format!("汎用名「{g}」"), format!("generic name \"{g}\""))
        };
        let message = Localized::new(
            format!(
                "「{}」のアカウント {} は共用・汎用のアカウントです（{}）",
                account.system,
                account_label(account),
                why_ja
            ),
            format!(
                "account {} on {} is shared or generic ({})",
                account.username, account.system, why_en
            ),
        );
        let mut evidence = Evidence::default()
            .fact("marked_shared", marked_shared)
            .fact("privileged", account.is_privileged())
            .source(account.origin.clone());
        if let Some(g) = generic_match {
            evidence = evidence.fact("generic_name", g);
        }
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
    fn fires_for_marked_shared_and_generic_names() {
        let mut ward = account("電子カルテ", "ward3f");
        ward.shared = Some(true);
        let mut admin = account("VPN", "Administrator");
        admin.privileged = Some(true);
        let site = Site {
            accounts: vec![
                ward,
                admin,
                account("AD", "test01"),
                account("AD", "HOSP\\guest"),
            ],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        let ids: Vec<_> = f.iter().map(|f| f.subject.key.as_str()).collect();
        assert_eq!(
            ids,
            [
                "電子カルテ/ward3f",
                "VPN/administrator",
                "AD/test01",
                "AD/hosp\\guest"
            ]
        );
        assert_eq!(f[1].severity, Severity::Critical);
        assert_eq!(f[2].evidence.facts["generic_name"], "test");
    }

    #[test]
    fn silent_for_personal_and_disabled_accounts() {
        let mut disabled = account("AD", "guest");
        disabled.enabled = Some(false);
        let site = Site {
            accounts: vec![
                account("AD", "yamada.t"),
                account("AD", "testuser-yamada"),
                disabled,
            ],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
