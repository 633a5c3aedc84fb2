//! `gateway.vpn-user-no-mfa`: someone reaches the VPN with a password alone — a local user
//! without `two-factor`, or an ASA tunnel group checked against the local database. Users
//! and groups checked by LDAP/RADIUS/SAML are reported as "MFA unknown" (low): a local user
//! with a token is still reachable through an LDAP group without one (and CVE-2020-12812
//! skipped the token for exactly that setup).

use mamori_model::gateway::Mfa;
use mamori_model::{Finding, Localized, Severity};

use super::{device, mfa_unknown_message, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.vpn-user-no-mfa` — VPN user without multi-factor authentication. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.vpn-user-no-mfa",
        default_severity: Severity::High,
        title: Text {
            ja: "パスワードだけで入れる VPN ユーザー",
            en: "VPN user without multi-factor authentication",
        },
        rationale: Text {
            ja: "VPN のパスワードは漏えい・使い回し・総当たりで破られます。大阪急性期・総合医療センターの事案では、以前に漏えいした VPN の認証情報が悪用されたとみられています。多要素認証があればパスワードだけでは入れません。",
            en: "VPN passwords leak, are reused and get guessed; in the Osaka case credentials leaked earlier appear to have been used. With MFA a password alone is not enough.",
        },
        remediation: Text {
            ja: "VPN を使うすべてのユーザーにワンタイムパスワードなどの二要素認証を設定してください（FortiGate: user local の two-factor、ASA: 多要素認証に対応した RADIUS/SAML サーバ）。認証サーバを使う場合は、サーバ側で多要素認証が必須か確認し記録してください。",
            en: "Give every VPN user a second factor (FortiGate: two-factor on the local user; ASA: an MFA-capable RADIUS/SAML server); where a server checks logins, confirm and record that it requires MFA.",
        },
        measures: &["accounts.mfa", "supply-chain.connection-points"],
        checklist: &["two-factor", "remote-maintenance"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        let on_wan = g
            .vpn
            .iter()
            .any(|v| v.interfaces.iter().any(|i| g.is_wan(i)));
        for p in &g.vpn_principals {
            let what = match p.kind {
                "remote-server" => ("認証サーバ", "authentication server"),
                "tunnel-group" => ("トンネルグループ", "tunnel group"),
                "auth-profile" => ("認証プロファイル", "authentication profile"),
                _ => ("ユーザー", "user"),
            };
            let (severity, message) = match &p.mfa {
                Mfa::Configured(_) => continue,
                Mfa::None => (
                    if on_wan {
                        rule.default_severity
                    } else {
                        Severity::Medium
                    },
                    Localized::new(
                        format!(
                            "{} の VPN {} {} はパスワードだけで接続できます（経路: {}）",
                            device(g),
                            what.0,
                            p.name,
                            p.via
                        ),
                        format!(
                            "{}: VPN {} {} connects with a password alone (via {})",
                            g.label(),
                            what.1,
                            p.name,
                            p.via
                        ),
                    ),
                ),
                Mfa::Unknown(server) => {
                    let why = mfa_unknown_message(server);
                    (
                        Severity::Low,
                        Localized::new(
                            format!(
                                "{} の VPN {} {}（経路: {}）: {}",
                                device(g),
                                what.0,
                                p.name,
                                p.via,
                                why.ja
                            ),
                            format!(
                                "{}: VPN {} {} (via {}): {}",
                                g.label(),
                                what.1,
                                p.name,
                                p.via,
                                why.en
                            ),
                        ),
                    )
                }
            };
            let evidence = quoted(g, &p.lines)
                .fact("principal", p.name.as_str())
                .fact("kind", p.kind)
                .fact("via", p.via.as_str())
                .fact(
                    "mfa",
                    if matches!(p.mfa, Mfa::None) {
                        "none"
                    } else {
                        "unknown"
                    },
                );
            findings.push(rule.finding(
                subject(ctx, g, Some(&format!("vpn:{}", p.name))),
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
    use crate::testing::{check, fortigate, site_with};

    #[test]
    fn token_user_in_a_group_reached_through_ldap() {
        let g = fortigate(
            "config system interface\n edit \"wan1\"\n next\nend\nconfig vpn ssl settings\n set source-interface \"wan1\"\n config authentication-rule\n  edit 1\n   set groups \"VPN\"\n  next\n end\nend\n\
             config user local\n edit \"suzuki\"\n  set two-factor fortitoken\n next\n edit \"tanaka\"\n next\nend\n\
             config user ldap\n edit \"AD\"\n  set server \"10.0.0.5\"\n next\nend\n\
             config user group\n edit \"VPN\"\n  set member \"suzuki\" \"tanaka\" \"AD\"\n next\nend\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        let got: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.evidence.facts["principal"].as_str().unwrap().to_owned(),
                    f.severity,
                )
            })
            .collect();
        // suzuki has a token; the LDAP path into the same group is unknown, not fine.
        assert_eq!(
            got,
            [
                ("AD".to_owned(), Severity::Low),
                ("tanaka".to_owned(), Severity::High)
            ]
        );
        assert!(
            findings[0]
                .message
                .ja
                .contains("多要素認証の有無は設定ファイルからは分かりません")
        );
    }
}
