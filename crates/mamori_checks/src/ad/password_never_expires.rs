//! `ad.password-never-expires`: enabled accounts whose password never expires — privileged
//! ones first (High), the others Medium.

use mamori_model::directory::uac;
use mamori_model::{Finding, Localized, Severity};

use super::users_flagged;
use crate::{CheckContext, Rule, Text};

/// `ad.password-never-expires` — Password that never expires.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.password-never-expires",
        default_severity: Severity::Medium,
        title: Text {
            ja: "パスワードが無期限のアカウント（Active Directory）",
            en: "Password never expires (Active Directory)",
        },
        rationale: Text {
            ja: "無期限のパスワードは何年も同じまま使われ、漏れたり推測されたりしても使い続けられます。管理者アカウントでは特に危険です。",
            en: "A password that never expires stays the same for years and keeps working after it leaks or is guessed — worst on administrator accounts.",
        },
        remediation: Text {
            ja: "「パスワードを無期限にする」を外し、長く推測されにくいパスワードに変えてください。サービス用アカウントは gMSA（グループ管理サービスアカウント）への切り替えを検討してください。",
            en: "Clear \"password never expires\" and set a long, hard-to-guess password; move service accounts to group managed service accounts (gMSA).",
        },
        measures: &["accounts.strong-passwords"],
        checklist: &["password-rules"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    users_flagged(ctx, rule, uac::PASSWORD_NEVER_EXPIRES, |user, ja, en| {
        Localized::new(
            format!("{ja}アカウント {} のパスワードは無期限です", user.sam),
            format!("the {en}account {}'s password never expires", user.sam),
        )
    })
}
