//! `connection.no-mfa`: a remote-access or cloud connection where a password alone gets in.
//! Leased lines and the internet uplink carry no logon of their own and are not judged here.

use mamori_model::site::ConnectionKind;
use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{connection_label, connection_subject};
use crate::{CheckContext, Rule, Text};

/// `connection.no-mfa` — Remote connection without multi-factor authentication. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "connection.no-mfa",
        default_severity: Severity::High,
        title: Text {
            ja: "多要素認証のない外部接続",
            en: "Remote connection without multi-factor authentication",
        },
        rationale: Text {
            ja: "VPN やリモート接続がパスワードだけで通れると、漏えい・推測されたパスワード一つで院内に入られます。",
            en: "If a VPN or remote connection needs only a password, one leaked or guessed password opens the internal network.",
        },
        remediation: Text {
            ja: "VPN・リモート接続に多要素認証（ワンタイムパスワード、証明書、認証アプリ）を設定してください。保守事業者の接続も対象です。",
            en: "Require multi-factor authentication (one-time codes, certificates, authenticator app) on VPN and remote access, vendor connections included.",
        },
        measures: &["accounts.mfa", "supply-chain.connection-points"],
        checklist: &["two-factor", "remote-maintenance"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for c in &ctx.site.connections {
        let severity = match c.kind {
            Some(ConnectionKind::Vpn | ConnectionKind::RemoteDesktop) => rule.default_severity,
            Some(ConnectionKind::Cloud) | None => Severity::Medium,
            Some(ConnectionKind::LeasedLine | ConnectionKind::Internet) => continue,
        };
        if c.mfa == Some(true) {
            continue;
        }
        let (label_ja, label_en) = connection_label(ctx.site, c);
        let (note_ja, note_en) = match c.mfa {
            Some(false) => ("パスワードのみ", "password only"),
            _ => ("多要素認証の記載なし", "MFA not recorded"),
        };
        let message = Localized::new(
            format!(
                "接続点 {}（{}）に多要素認証がありません（{}）",
                c.id, label_ja, note_ja
            ),
            format!(
                "connection {} ({}) has no multi-factor authentication ({})",
                c.id, label_en, note_en
            ),
        );
        let evidence = Evidence::default()
            .fact("mfa", c.mfa.map_or("unknown", |_| "no"))
            .fact("kind", c.kind.map_or("unknown", |k| k.as_str()))
            .source(c.origin.clone());
        findings.push(rule.finding(connection_subject(ctx.site, c), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{Connection, Site};

    fn conn(id: &str, kind: ConnectionKind, mfa: Option<bool>) -> Connection {
        Connection {
            id: id.into(),
            kind: Some(kind),
            mfa,
            origin: origin("connections.csv", 2),
            ..Connection::default()
        }
    }

    #[test]
    fn fires_for_password_only_vpn_and_cloud() {
        let site = Site {
            connections: vec![
                conn("C1", ConnectionKind::Vpn, Some(false)),
                conn("C2", ConnectionKind::Cloud, None),
            ],
            ..Site::default()
        };
        let sev: Vec<_> = check(&RULE, &site).iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::High, Severity::Medium]);
    }

    #[test]
    fn silent_with_mfa_and_for_lines_without_logon() {
        let site = Site {
            connections: vec![
                conn("C1", ConnectionKind::Vpn, Some(true)),
                conn("C2", ConnectionKind::LeasedLine, Some(false)),
                conn("C3", ConnectionKind::Internet, None),
            ],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
