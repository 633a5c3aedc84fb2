//! `gateway.telnet-enabled`: Telnet management is allowed on some interface. Telnet sends the
//! administrator's password in clear text over the network.

use mamori_model::gateway::MgmtService;
use mamori_model::{Finding, Localized, Severity};

use super::{device, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.telnet-enabled` — Telnet management enabled. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.telnet-enabled",
        default_severity: Severity::Medium,
        title: Text {
            ja: "Telnet での管理が有効",
            en: "Telnet management enabled",
        },
        rationale: Text {
            ja: "Telnet は管理者のパスワードを暗号化せずに流すため、院内ネットワークに入り込んだ攻撃者に盗み見られます。不要なサービスは止めることが求められています。",
            en: "Telnet carries the administrator's password in clear text, readable by anyone already inside the network; unneeded services should be off.",
        },
        remediation: Text {
            ja: "Telnet を無効にし（FortiGate: allowaccess から telnet を外す、ASA: telnet 行を削除）、管理には SSH か HTTPS を使ってください。",
            en: "Disable Telnet (FortiGate: remove telnet from allowaccess; ASA: delete the telnet lines) and manage over SSH or HTTPS.",
        },
        measures: &["gateway.restrict-admin-interface"],
        checklist: &["unneeded-services"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        for m in g
            .management
            .iter()
            .filter(|m| m.service == MgmtService::Telnet)
        {
            let wan = g.is_wan(&m.interface);
            let severity = if wan {
                Severity::High
            } else {
                rule.default_severity
            };
            let message = Localized::new(
                format!(
                    "{} のインターフェース {} で Telnet による管理が有効です{}",
                    device(g),
                    m.interface,
                    if wan {
                        "（インターネット側）"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{}: Telnet management is enabled on {}{}",
                    g.label(),
                    m.interface,
                    if wan { " (internet-facing)" } else { "" }
                ),
            );
            let evidence = quoted(g, &m.lines).fact("interface", m.interface.as_str());
            findings.push(rule.finding(
                subject(ctx, g, Some(&format!("telnet:{}", m.interface))),
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
    use crate::testing::{asa, check, site_with};

    #[test]
    fn asa_telnet_line_inside() {
        let g = asa(
            "interface G0/1\n nameif inside\n security-level 100\n!\ntelnet 10.10.20.0 255.255.255.0 inside\ntelnet timeout 30\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Medium);
        assert_eq!(
            findings[0].evidence.sources[0].excerpt.as_deref(),
            Some("telnet 10.10.20.0 255.255.255.0 inside")
        );
        assert!(check(&RULE, &site_with(vec![asa("telnet timeout 30\n")])).is_empty());
    }
}
