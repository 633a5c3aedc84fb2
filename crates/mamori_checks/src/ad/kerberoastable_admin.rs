//! `ad.kerberoastable-admin`: a privileged account with a service principal name — any domain
//! user can ask for a ticket encrypted with its password and crack it offline.

use mamori_model::{Finding, Localized, Severity};

use super::{directory, user_evidence, user_subject};
use crate::{CheckContext, Rule, Text};

/// `ad.kerberoastable-admin` — Privileged account open to Kerberoasting.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.kerberoastable-admin",
        default_severity: Severity::Critical,
        title: Text {
            ja: "SPN の付いた管理者アカウント（Kerberoasting）",
            en: "Privileged account with an SPN (Kerberoasting)",
        },
        rationale: Text {
            ja: "サービスプリンシパル名（SPN）の付いたアカウントは、ドメインの誰でもそのパスワードで暗号化されたチケットを取得でき、手元で解読を試せます。管理者アカウントなら、解けた時点でドメイン全体が奪われます。",
            en: "Any domain user can request a ticket encrypted with the password of an account that has an SPN and crack it offline; for an administrator, the whole domain falls with it.",
        },
        remediation: Text {
            ja: "サービスを管理者権限のない専用アカウント（できれば gMSA）で動かし、管理者アカウントから SPN を外してください。外せない間は 25 文字以上のランダムなパスワードにしてください。",
            en: "Run the service under a dedicated unprivileged account (a gMSA if possible) and remove the SPN from the administrator; until then give it a random password of 25+ characters.",
        },
        measures: &["accounts.review-privileges", "accounts.strong-passwords"],
        checklist: &["access-rights"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    dir.users
        .iter()
        .filter(|u| u.enabled() && u.is_privileged() && !u.spns.is_empty())
        // krbtgt has an SPN by design and cannot be used to log on.
        .filter(|u| !u.sam.eq_ignore_ascii_case("krbtgt"))
        .map(|user| {
            let message = Localized::new(
                format!(
                    "管理者アカウント {} に SPN（{}）が付いています",
                    user.sam,
                    user.spns.join("、")
                ),
                format!(
                    "the privileged account {} has SPNs ({})",
                    user.sam,
                    user.spns.join(", ")
                ),
            );
            let evidence = user_evidence(dir, user).fact("spns", user.spns.clone());
            rule.finding(user_subject(user), rule.default_severity, message, evidence)
        })
        .collect()
}
