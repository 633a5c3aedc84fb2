//! `gateway.admin-no-mfa`: an administrator who logs in to the gateway with a password alone.
//! Accounts checked by a RADIUS/TACACS+/LDAP server are reported as "MFA unknown" (low), not
//! as fine: the configuration cannot show what the server asks for.

use mamori_model::gateway::Mfa;
use mamori_model::{Finding, Localized, Severity};

use super::{device, management_on_wan, mfa_unknown_message, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.admin-no-mfa` — Administrator without multi-factor authentication. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.admin-no-mfa",
        default_severity: Severity::Medium,
        title: Text {
            ja: "多要素認証のない管理者アカウント",
            en: "Administrator without multi-factor authentication",
        },
        rationale: Text {
            ja: "VPN 装置の管理者権限を奪われると、設定の書き換え・ログの消去・院内への自由な侵入ができてしまいます。厚生労働省と日本医師会は多要素認証の利用を求めています。",
            en: "Whoever takes a gateway's administrator account can rewrite its rules, erase its logs and walk into the hospital network; the MHLW and JMA ask for multi-factor authentication.",
        },
        remediation: Text {
            ja: "管理者アカウントにワンタイムパスワード（FortiToken など）の二要素認証を設定してください。RADIUS 等の認証サーバを使う場合は、サーバ側で多要素認証が必須になっていることを確認し、記録してください。",
            en: "Enable a second factor (FortiToken or another one-time password) on administrator accounts; where a RADIUS or similar server checks logins, confirm and record that it requires MFA.",
        },
        measures: &["accounts.mfa"],
        checklist: &["two-factor"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        let exposed = management_on_wan(g);
        for admin in &g.admins {
            let (severity, message) = match &admin.mfa {
                Mfa::Configured(_) => continue,
                Mfa::None => (
                    if exposed {
                        Severity::High
                    } else {
                        rule.default_severity
                    },
                    Localized::new(
                        format!(
                            "{} の管理者 {} はパスワードだけでログインできます（多要素認証なし）",
                            device(g),
                            admin.name
                        ),
                        format!(
                            "{}: administrator {} logs in with a password alone",
                            g.label(),
                            admin.name
                        ),
                    ),
                ),
                Mfa::Unknown(server) => {
                    let why = mfa_unknown_message(server);
                    (
                        Severity::Low,
                        Localized::new(
                            format!("{} の管理者 {}: {}", device(g), admin.name, why.ja),
                            format!("{}: administrator {}: {}", g.label(), admin.name, why.en),
                        ),
                    )
                }
            };
            let evidence = quoted(g, &admin.lines)
                .fact("admin", admin.name.as_str())
                .fact(
                    "mfa",
                    match &admin.mfa {
                        Mfa::None => "none",
                        _ => "unknown",
                    },
                );
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
    fn token_admins_pass_password_admins_do_not() {
        let g = fortigate(
            "config system admin\n edit \"admin\"\n  set two-factor fortitoken\n next\n edit \"ops\"\n  set password ENC x\n next\n edit \"ad\"\n  set remote-auth enable\n  set remote-group \"RADIUS-ADMINS\"\n next\nend\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        let got: Vec<_> = findings
            .iter()
            .map(|f| (f.subject.key.as_str(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("fg.conf#ops", Severity::Medium),
                ("fg.conf#ad", Severity::Low)
            ]
        );
        assert!(findings[1].message.ja.contains("RADIUS-ADMINS"));
    }

    #[test]
    fn asa_admins_follow_the_aaa_server_group() {
        let local =
            asa("aaa authentication ssh console LOCAL\nusername admin password x privilege 15\n");
        assert_eq!(
            check(&RULE, &site_with(vec![local]))[0].evidence.facts["mfa"],
            "none"
        );
        let radius = asa(
            "aaa-server ISE protocol radius\naaa authentication ssh console ISE LOCAL\nusername admin password x privilege 15\n",
        );
        let f = &check(&RULE, &site_with(vec![radius]))[0];
        assert_eq!(f.severity, Severity::Low);
        assert!(f.message.en.contains("ISE (RADIUS)"), "{}", f.message.en);
    }
}
