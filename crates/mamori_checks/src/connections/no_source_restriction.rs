//! `connection.no-source-restriction`: a connection point that accepts connections from any
//! address. A remote-maintenance VPN or remote desktop open to the whole internet is how the
//! Okayama and Osaka attacks started, so those rank critical; an unknown setting ranks one
//! step lower than a known-open one.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{connection_label, connection_subject};
use crate::{CheckContext, Rule, Text};
use mamori_model::site::ConnectionKind;

/// `connection.no-source-restriction` — Connection point without source restriction. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "connection.no-source-restriction",
        default_severity: Severity::High,
        title: Text {
            ja: "接続元が制限されていない接続点",
            en: "Connection point without source restriction",
        },
        rationale: Text {
            ja: "接続元を制限していない VPN やリモート接続には、世界中の誰でもパスワードを試せます。岡山県精神科医療センターでは、接続元制限のない保守用 VPN が侵入口になりました。",
            en: "Anyone on the internet can try passwords on a VPN or remote access line that accepts any source; an unrestricted maintenance VPN was the way in at the Okayama psychiatric centre.",
        },
        remediation: Text {
            ja: "接続してよい送信元（保守事業者の固定 IP アドレスなど）だけを許可してください。常時接続が不要なら、保守作業の時だけ回線を有効にしてください。",
            en: "Allow only the sources that should connect (e.g. the vendor's fixed IP addresses); if the line need not be always on, enable it only for maintenance.",
        },
        measures: &[
            "supply-chain.connection-points",
            "gateway.restrict-admin-interface",
        ],
        checklist: &["source-restriction", "remote-maintenance"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for c in &ctx.site.connections {
        // The site's own internet line is how it goes out, not a way in for someone else: the
        // gateway checks judge what it exposes.
        if c.source_restricted == Some(true) || c.kind == Some(ConnectionKind::Internet) {
            continue;
        }
        let remote = c.kind.is_some_and(|k| k.is_remote_access());
        let known_open = c.source_restricted == Some(false);
        let severity = match (remote, known_open) {
            (true, true) => Severity::Critical,
            (true, false) => Severity::High,
            (false, true) => rule.default_severity,
            (false, false) => Severity::Medium,
        };
        let (label_ja, label_en) = connection_label(ctx.site, c);
        let message = if known_open {
            Localized::new(
                format!("接続点 {}（{}）は接続元を制限していません", c.id, label_ja),
                format!("connection {} ({}) accepts any source", c.id, label_en),
            )
        } else {
            Localized::new(
                format!(
                    "接続点 {}（{}）の接続元制限が台帳に記載されていません",
                    c.id, label_ja
                ),
                format!(
                    "connection {} ({}) has no recorded source restriction",
                    c.id, label_en
                ),
            )
        };
        let evidence = Evidence::default()
            .fact(
                "source_restricted",
                c.source_restricted.map_or("unknown", |_| "no"),
            )
            .fact("kind", c.kind.map_or("unknown", |k| k.as_str()))
            .fact("always_on", c.always_on)
            .source(c.origin.clone());
        findings.push(rule.finding(connection_subject(ctx.site, c), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{Connection, ConnectionKind, Site};

    fn conn(id: &str, kind: ConnectionKind, restricted: Option<bool>) -> Connection {
        Connection {
            id: id.into(),
            kind: Some(kind),
            source_restricted: restricted,
            origin: origin("connections.csv", 2),
            ..Connection::default()
        }
    }

    #[test]
    fn open_vendor_vpn_is_critical_unknown_is_high() {
        let site = Site {
            connections: vec![
                conn("C1", ConnectionKind::Vpn, Some(false)),
                conn("C2", ConnectionKind::RemoteDesktop, None),
                conn("C3", ConnectionKind::Cloud, Some(false)),
            ],
            ..Site::default()
        };
        let sev: Vec<_> = check(&RULE, &site).iter().map(|f| f.severity).collect();
        assert_eq!(sev, [Severity::Critical, Severity::High, Severity::High]);
    }

    #[test]
    fn silent_when_restricted() {
        let site = Site {
            connections: vec![conn("C1", ConnectionKind::Vpn, Some(true))],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
