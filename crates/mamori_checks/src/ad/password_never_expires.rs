//! `ad.password-never-expires`: enabled accounts whose password never expires — privileged
//! ones first (High), the others Medium.

use mamori_model::directory::uac;
use mamori_model::{Finding, Localized, Severity};

use super::{directory, user_evidence, user_subject};
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
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let mut users: Vec<_> = dir
        .users
        .iter()
        .filter(|u| u.enabled() && u.has(uac::PASSWORD_NEVER_EXPIRES))
        .collect();
    users.sort_by_key(|u| (!u.is_privileged(), u.sam.clone()));
    users
        .into_iter()
        .map(|user| {
            let (severity, ja, en) = if user.is_privileged() {
                (Severity::High, "特権グループの", "privileged ")
            } else {
                (rule.default_severity, "", "")
            };
            let message = Localized::new(
                format!("{ja}アカウント {} のパスワードは無期限です", user.sam),
                format!("the {en}account {}'s password never expires", user.sam),
            );
            rule.finding(
                user_subject(user),
                severity,
                message,
                user_evidence(dir, user),
            )
        })
        .collect()
}
