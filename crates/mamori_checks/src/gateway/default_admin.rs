//! `gateway.default-admin`: the built-in `admin` / `administrator` account is still there.
//! Its name is the first one every attacker tries; critical when the backup shows no password
//! for it (FortiOS writes no `set password` line for an empty password).

use mamori_model::{Finding, Localized, Severity};

use super::{device, management_on_wan, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.default-admin` — Built-in administrator account still enabled. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.default-admin",
        default_severity: Severity::Medium,
        title: Text {
            ja: "初期管理者アカウント（admin）が残っている",
            en: "Built-in administrator account still enabled",
        },
        rationale: Text {
            ja: "admin / administrator は攻撃者が最初に試すアカウント名です。岡山県精神科医療センターの保守用 VPN は administrator / P@ssw0rd でログインできる状態でした。",
            en: "admin and administrator are the first names an attacker tries; the Okayama psychiatric centre's maintenance VPN accepted administrator / P@ssw0rd.",
        },
        remediation: Text {
            ja: "担当者ごとの名前付き管理者アカウントを作り、初期の admin アカウントは削除するか名前を変えてください。残す場合は長く推測されにくいパスワードと多要素認証、ログイン元の制限を設定してください。",
            en: "Create a named administrator per person and delete or rename the built-in admin; if it must stay, give it a long unguessable password, MFA and trusted hosts.",
        },
        measures: &["accounts.strong-passwords", "accounts.remove-unneeded"],
        checklist: &["password-rules", "unneeded-accounts"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        let exposed = management_on_wan(g);
        for admin in &g.admins {
            let name = admin.name.to_ascii_lowercase();
            if name != "admin" && name != "administrator" {
                continue;
            }
            let severity = if !admin.has_password {
                Severity::Critical
            } else if exposed {
                Severity::High
            } else {
                rule.default_severity
            };
            let message = if admin.has_password {
                Localized::new(
                    format!(
                        "{} に初期管理者アカウント {} が残っています",
                        device(g),
                        admin.name
                    ),
                    format!(
                        "{}: the built-in administrator {} is still enabled",
                        g.label(),
                        admin.name
                    ),
                )
            } else {
                Localized::new(
                    format!(
                        "{} の初期管理者アカウント {} にパスワードが設定されていません（バックアップに password の行がありません）",
                        device(g),
                        admin.name
                    ),
                    format!(
                        "{}: the built-in administrator {} has no password (the backup has no password line)",
                        g.label(),
                        admin.name
                    ),
                )
            };
            let evidence = quoted(g, &admin.lines)
                .fact("admin", admin.name.as_str())
                .fact("has_password", admin.has_password);
            findings.push(rule.finding(
                subject(ctx, g, Some(&admin.name)),
                severity,
                message,
                evidence,
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{asa, check, fortigate, site_with};

    #[test]
    fn empty_password_is_critical_named_admins_are_fine() {
        let g = fortigate(
            "config system admin\n edit \"admin\"\n  set accprofile \"super_admin\"\n next\n edit \"yamada\"\n  set password ENC x\n next\nend\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
        let asa = asa("username Administrator password x privilege 15\n");
        assert_eq!(
            check(&RULE, &site_with(vec![asa]))[0].severity,
            Severity::Medium
        );
    }
}
