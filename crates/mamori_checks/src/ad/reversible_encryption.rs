//! `ad.reversible-encryption`: enabled accounts whose password is stored so it can be
//! recovered (`userAccountControl` ENCRYPTED_TEXT_PWD_ALLOWED) — privileged ones first (High) — and
//! password policies that store every password so (High).

use mamori_model::directory::uac;
use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{directory, policy_source, policy_subject, users_flagged};
use crate::{CheckContext, Rule, Text};

/// `ad.reversible-encryption` — Password stored with reversible encryption (Active Directory).
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.reversible-encryption",
        default_severity: Severity::Medium,
        title: Text {
            ja: "パスワードを元に戻せる形で保存するアカウント（Active Directory）",
            en: "Password stored with reversible encryption (Active Directory)",
        },
        rationale: Text {
            ja: "この設定のアカウントは、パスワードが平文に戻せる形でドメインコントローラーに保存されます。ドメインコントローラーやそのバックアップを盗まれると、パスワードがそのまま読まれます。",
            en: "The domain controller keeps this account's password in a form that can be turned back into the password itself; whoever steals a domain controller or its backup reads it.",
        },
        remediation: Text {
            ja: "アカウントのプロパティ（またはパスワードポリシー）で「暗号化を元に戻せる状態でパスワードを保存する」を外し、パスワードを変えてください（外すだけでは保存済みのパスワードは残ります）。古い認証方式のために必要なら、その機器の更新を検討してください。",
            en: "Clear \"Store password using reversible encryption\" on the account (or in the password policy) and change its password (clearing alone leaves the stored one). If an old authentication method needs it, plan to replace that device.",
        },
        measures: &["accounts.strong-passwords"],
        checklist: &["password-rules"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    // A policy that stores every password reversibly comes first: it covers all its users.
    let mut findings: Vec<Finding> = dir
        .default_policy
        .iter()
        .chain(&dir.fine_grained)
        .filter(|p| p.reversible)
        .map(|p| {
            let message = Localized::new(
                format!(
                    "パスワードポリシー「{}」は、対象のすべてのパスワードを元に戻せる形で保存します",
                    p.name
                ),
                format!(
                    "password policy \"{}\" stores every password it covers with reversible encryption",
                    p.name
                ),
            );
            rule.finding(
                policy_subject(p),
                Severity::High,
                message,
                Evidence::default().source(policy_source(dir, p)),
            )
        })
        .collect();
    findings.extend(users_flagged(
        ctx,
        rule,
        uac::REVERSIBLE_ENCRYPTION,
        |user, ja, en| {
            Localized::new(
                format!(
                    "{ja}アカウント {} のパスワードは元に戻せる形で保存されています",
                    user.sam
                ),
                format!(
                    "the {en}account {}'s password is stored with reversible encryption",
                    user.sam
                ),
            )
        },
    ));
    findings
}
