//! `gateway.admin-exposed`: a management service (GUI, SSH, Telnet, HTTP, FortiManager's FGFM)
//! listens on an internet-facing interface. Trusted hosts restrict who may log in, not who
//! can reach the service, so pre-authentication flaws (CVE-2022-40684, CVE-2024-55591,
//! CVE-2024-23113) stay reachable; critical when the device also lets an administrator in
//! from anywhere.

use std::collections::BTreeMap;

use mamori_model::gateway::{Management, Trust};
use mamori_model::{Finding, Lang, Localized, Severity};

use super::{device, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.admin-exposed` — Management interface reachable from the internet. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.admin-exposed",
        default_severity: Severity::High,
        title: Text {
            ja: "管理画面がインターネット側に公開されている",
            en: "Management interface reachable from the internet",
        },
        rationale: Text {
            ja: "VPN 装置の管理画面（HTTPS/SSH など）がインターネット側で待ち受けていると、認証前に悪用できる脆弱性やパスワードの総当たりに直接さらされます。厚生労働省の注意喚起は、管理インターフェースへのインターネットからのアクセス制限を求めています。",
            en: "A management service (HTTPS, SSH, …) listening on the internet side is exposed directly to pre-authentication flaws and password guessing; the MHLW notices ask to restrict management interfaces from the internet.",
        },
        remediation: Text {
            ja: "WAN 側インターフェースの管理アクセス（allowaccess の https/http/ssh/telnet/fgfm、ASA の http/ssh/telnet 行）を外し、管理は院内の管理用ネットワークからだけ行ってください。どうしても外部から管理する場合は接続元を保守事業者の固定 IP に限定し（FortiGate はローカルインポリシー）、多要素認証を設定してください。",
            en: "Remove management access from WAN interfaces (allowaccess https/http/ssh/telnet/fgfm; ASA http/ssh/telnet lines) and manage the device from an internal management network. If remote management is unavoidable, allow only the vendor's fixed addresses (FortiGate: local-in policy) and require MFA.",
        },
        measures: &[
            "gateway.restrict-admin-interface",
            "supply-chain.connection-points",
        ],
        checklist: &["source-restriction", "unneeded-services"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        let mut by_interface: BTreeMap<&str, Vec<&Management>> = BTreeMap::new();
        for m in &g.management {
            if g.is_wan(&m.interface) && m.open_to_internet() {
                by_interface.entry(&m.interface).or_default().push(m);
            }
        }
        // ASA has no per-account restriction: its management lines are the only one.
        let admin_from_anywhere = g.admins.is_empty()
            || g.admins
                .iter()
                .any(|a| !matches!(a.trust, Trust::Restricted(_)) || !a.has_password);
        for (interface, services) in by_interface {
            let anyone = services.iter().any(|m| m.open_to_anyone());
            let severity = if anyone && admin_from_anywhere {
                Severity::Critical
            } else {
                rule.default_severity
            };
            let names: Vec<String> = services.iter().map(|m| m.service.to_string()).collect();
            let names = names.join(", ");
            let reasons = |lang| {
                let wan = g
                    .interface(interface)
                    .map(|i| i.wan.as_slice())
                    .unwrap_or_default();
                let labels: Vec<&str> = wan.iter().map(|r| r.label(lang)).collect();
                labels
            };
            let message = Localized::new(
                format!(
                    "{} のインターネット側インターフェース {interface}（判定: {}）で管理用サービス {names} に{}接続できます",
                    device(g),
                    reasons(Lang::Ja).join("・"),
                    if anyone {
                        "誰でも"
                    } else {
                        "広い範囲から"
                    }
                ),
                format!(
                    "{}: management ({names}) is reachable from {} on internet-facing interface {interface} ({})",
                    g.label(),
                    if anyone { "anywhere" } else { "a broad range" },
                    reasons(Lang::En).join(", ")
                ),
            );
            let mut lines: Vec<_> = g
                .interface(interface)
                .map(|i| i.line.clone())
                .into_iter()
                .collect();
            lines.extend(services.iter().flat_map(|m| m.lines.iter().cloned()));
            lines.sort_by_key(|l| l.line);
            lines.dedup();
            let evidence = quoted(g, &lines)
                .fact("interface", interface)
                .fact("services", names.as_str())
                .fact("any_source", anyone);
            findings.push(rule.finding(
                subject(ctx, g, Some(interface)),
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
    fn fortigate_gui_on_wan_with_an_unrestricted_admin_is_critical() {
        let g = fortigate(
            "config system interface\n edit \"wan1\"\n  set allowaccess ping https ssh\n next\n edit \"internal\"\n  set allowaccess https ssh\n  set role lan\n next\nend\nconfig system admin\n edit \"admin\"\n  set password ENC x\n next\nend\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        assert_eq!(findings.len(), 1, "the internal interface is not reported");
        let f = &findings[0];
        assert_eq!(f.severity, Severity::Critical);
        assert!(f.message.ja.contains("wan1"), "{}", f.message.ja);
        assert!(f.message.en.contains("HTTPS, SSH"));
        let quoted: Vec<_> = f
            .evidence
            .sources
            .iter()
            .filter_map(|s| s.excerpt.as_deref())
            .collect();
        assert_eq!(quoted, ["edit \"wan1\"", "set allowaccess ping https ssh"]);
    }

    #[test]
    fn asa_any_source_versus_single_host() {
        let base = "interface G0/0\n nameif outside\n security-level 0\n!\nhttp server enable\n";
        let open = check(
            &RULE,
            &site_with(vec![asa(&format!("{base}ssh 0.0.0.0 0.0.0.0 outside\n"))]),
        );
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].severity, Severity::Critical);
        let host = check(
            &RULE,
            &site_with(vec![asa(&format!(
                "{base}ssh 198.51.100.7 255.255.255.255 outside\nhttp 198.51.100.7 255.255.255.255 outside\n"
            ))]),
        );
        assert!(host.is_empty(), "{host:?}");
    }

    #[test]
    fn restricted_admins_keep_it_high() {
        let g = fortigate(
            "config system interface\n edit \"port1\"\n  set role wan\n  set allowaccess https\n next\nend\nconfig system admin\n edit \"ops\"\n  set trusthost1 10.0.0.0 255.0.0.0\n  set password ENC x\n next\nend\n",
        );
        let findings = check(&RULE, &site_with(vec![g]));
        assert_eq!(findings[0].severity, Severity::High);
    }
}
