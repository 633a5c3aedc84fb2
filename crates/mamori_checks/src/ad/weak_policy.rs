//! `ad.weak-policy`: a password policy (the domain's default or a fine-grained one) that allows
//! passwords shorter than 12 characters or never locks an account out.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{directory, policy_source, policy_subject};
use crate::{CheckContext, Rule, Text};

/// The shortest password length the guidance accepts.
pub const MIN_LENGTH: u32 = 12;

/// `ad.weak-policy` — Weak password policy.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.weak-policy",
        default_severity: Severity::High,
        title: Text {
            ja: "弱いパスワードポリシー（Active Directory）",
            en: "Weak password policy (Active Directory)",
        },
        rationale: Text {
            ja: "短いパスワードを許し、何度間違えてもロックしない設定では、パスワードの総当たりや使い回しの試行（パスワードスプレー）が止まりません。",
            en: "Short passwords and no lockout let brute force and password spraying run unchecked.",
        },
        remediation: Text {
            ja: "グループポリシーの「パスワードの長さの最小値」を 12 文字以上に、「アカウント ロックアウトのしきい値」を 10 回程度に設定してください。",
            en: "Set the minimum password length to 12 or more and the account lockout threshold to about 10 in Group Policy.",
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
    dir.default_policy
        .iter()
        .chain(&dir.fine_grained)
        .filter_map(|p| {
            let mut ja = Vec::new();
            let mut en = Vec::new();
            if p.min_length < MIN_LENGTH {
                ja.push(format!(
                    "パスワードの最小の長さが {} 文字です（{MIN_LENGTH} 文字以上に）",
                    p.min_length
                ));
                en.push(format!(
                    "minimum length {} (make it {MIN_LENGTH} or more)",
                    p.min_length
                ));
            }
            if p.lockout_threshold == 0 {
                ja.push("何度間違えてもロックアウトされません".to_owned());
                en.push("no lockout after failed logons".to_owned());
            }
            if ja.is_empty() {
                return None;
            }
            let message = Localized::new(
                format!("パスワードポリシー「{}」: {}", p.name, ja.join("、")),
                format!("password policy \"{}\": {}", p.name, en.join(", ")),
            );
            let evidence = Evidence::default()
                .fact("min_length", p.min_length)
                .fact("lockout_threshold", p.lockout_threshold)
                .source(policy_source(dir, p));
            Some(rule.finding(policy_subject(p), rule.default_severity, message, evidence))
        })
        .collect()
}
