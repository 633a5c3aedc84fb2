//! `gateway.admin-no-trusthost`: an administrator account that may log in from any address
//! (FortiOS `trusthostN` unset). Each account is judged on its own: trusted hosts on one
//! administrator do not protect another. Cisco ASA restricts management per service and
//! interface instead, which `gateway.admin-exposed` judges.

use mamori_model::gateway::Trust;
use mamori_model::{Finding, Localized, Severity};

use super::{device, management_on_wan, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.admin-no-trusthost` — Administrator without trusted hosts. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.admin-no-trusthost",
        default_severity: Severity::Medium,
        title: Text {
            ja: "ログイン元が制限されていない管理者アカウント",
            en: "Administrator without trusted hosts",
        },
        rationale: Text {
            ja: "管理者アカウントにログイン元の制限（信頼済みホスト）がないと、パスワードが漏れた時点でどこからでも装置を乗っ取られます。半田病院では VPN 装置の認証情報が漏えいし、公開されていました。",
            en: "Without trusted hosts an administrator account can be used from anywhere once its password leaks; the Handa hospital's VPN credentials had been leaked and published.",
        },
        remediation: Text {
            ja: "すべての管理者アカウントに trusthost（管理用端末や保守事業者の固定 IP）を設定してください。1 つでも制限のないアカウントが残ると、そこから入られます。",
            en: "Set trusted hosts (the management PCs, the vendor's fixed addresses) on every administrator account; one unrestricted account is enough to get in.",
        },
        measures: &["gateway.restrict-admin-interface"],
        checklist: &["source-restriction"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        let exposed = management_on_wan(g);
        for admin in g.admins.iter().filter(|a| a.trust == Trust::Anywhere) {
            let severity = if exposed {
                Severity::High
            } else {
                rule.default_severity
            };
            let message = Localized::new(
                format!(
                    "{} の管理者 {} にログイン元の制限（trusthost）がありません{}",
                    device(g),
                    admin.name,
                    if exposed {
                        "。管理画面はインターネット側にも公開されています"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{}: administrator {} may log in from any address{}",
                    g.label(),
                    admin.name,
                    if exposed {
                        "; management is reachable from the internet"
                    } else {
                        ""
                    }
                ),
            );
            let evidence = quoted(g, &admin.lines[..1]).fact("admin", admin.name.as_str());
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
    fn one_restricted_admin_does_not_cover_another() {
        let g = fortigate(
            "config system admin\n edit \"admin\"\n  set trusthost1 192.168.10.0 255.255.255.0\n  set password ENC x\n next\n edit \"vendor\"\n  set password ENC y\n next\nend\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.ja.contains("vendor"));
        assert_eq!(findings[0].severity, Severity::Medium);
        assert_eq!(
            findings[0].evidence.sources[0].excerpt.as_deref(),
            Some("edit \"vendor\"")
        );
    }

    #[test]
    fn asa_accounts_are_left_to_admin_exposed() {
        let g = asa("username admin password x privilege 15\n");
        assert!(check(&RULE, &site_with(vec![g])).is_empty());
    }
}
