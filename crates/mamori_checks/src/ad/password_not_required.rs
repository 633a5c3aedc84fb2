//! `ad.password-not-required`: enabled accounts allowed to have no password at all
//! (`userAccountControl` PASSWD_NOTREQD) — privileged ones first (High), the others Medium.

use mamori_model::directory::uac;
use mamori_model::{Finding, Localized, Severity};

use super::users_flagged;
use crate::{CheckContext, Rule, Text};

/// `ad.password-not-required` — Account allowed to have no password (Active Directory).
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.password-not-required",
        default_severity: Severity::Medium,
        title: Text {
            ja: "パスワードなしを許されたアカウント（Active Directory）",
            en: "Account allowed to have no password (Active Directory)",
        },
        rationale: Text {
            ja: "この設定のアカウントは、パスワードの長さや複雑さの決まりに関係なく空のパスワードにできます。スクリプトや古い移行で付いたまま忘れられていることが多く、誰でもログオンできる入口になりえます。",
            en: "An account with this setting may be given an empty password whatever the password policy says. Scripts and old migrations leave it behind, and it can become a door anyone can open.",
        },
        remediation: Text {
            ja: "パスワードを設定したうえで、PowerShell で Set-ADUser ユーザー名 -PasswordNotRequired $false を実行してこの設定を外してください（画面からは外せません）。使っていないアカウントなら無効にしてください。",
            en: "Set a password, then clear the setting with PowerShell: Set-ADUser NAME -PasswordNotRequired $false (the console cannot clear it). Disable the account if it is no longer used.",
        },
        measures: &["accounts.strong-passwords"],
        checklist: &["password-rules"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    users_flagged(ctx, rule, uac::PASSWORD_NOT_REQUIRED, |user, ja, en| {
        Localized::new(
            format!(
                "{ja}アカウント {} はパスワードなしでも使える設定です",
                user.sam
            ),
            format!(
                "the {en}account {} is allowed to have no password",
                user.sam
            ),
        )
    })
}
