//! `gateway.vpn-exposed`: an SSL-VPN / WebVPN portal listens on an internet-facing interface.
//! That is what a VPN is for, so on its own it is information: it says which device's
//! firmware must be watched. When vulnerability data is loaded and the device's firmware is
//! on a known-exploited version (`vuln.known-exploited` with the version compared), it becomes
//! critical: that is 半田病院's FortiGate.

use mamori_model::{Finding, Localized, Severity};

use super::{device, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.vpn-exposed` — SSL-VPN listening on the internet. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.vpn-exposed",
        default_severity: Severity::Info,
        title: Text {
            ja: "SSL-VPN がインターネットに公開されている",
            en: "SSL-VPN listening on the internet",
        },
        rationale: Text {
            ja: "インターネットに公開された SSL-VPN は、半田病院・大阪急性期・総合医療センターの侵入口になった FortiGate の脆弱性（CVE-2018-13379 など）が直接狙う場所です。公開している装置を把握し、ファームウェアを最新に保つ必要があります。",
            en: "An SSL-VPN portal on the internet is exactly what the FortiGate flaws behind the Handa and Osaka attacks (CVE-2018-13379 and others) target; know which devices expose one and keep their firmware current.",
        },
        remediation: Text {
            ja: "ファームウェアが最新で、既知の悪用された脆弱性（KEV）に該当しないことを確認してください。使っていない VPN は無効にし、使う場合は接続元の制限と多要素認証を設定してください。",
            en: "Make sure the firmware is current and not on a known-exploited version; disable the VPN if unused, otherwise restrict its sources and require MFA.",
        },
        measures: &["patch.gateway-devices", "supply-chain.connection-points"],
        checklist: &["security-patches", "remote-maintenance"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in &ctx.site.gateways {
        for vpn in &g.vpn {
            let wan: Vec<&str> = vpn
                .interfaces
                .iter()
                .filter(|i| g.is_wan(i))
                .map(String::as_str)
                .collect();
            if wan.is_empty() {
                continue;
            }
            let interfaces = wan.join(", ");
            let port = vpn.port.map(|p| format!(":{p}")).unwrap_or_default();
            let firmware = g.firmware.as_ref().map_or("不明", |f| f.version.as_str());
            let message = Localized::new(
                format!(
                    "{} の {} がインターネット側インターフェース {interfaces}{port} で待ち受けています（ファームウェア {firmware}）",
                    device(g),
                    vpn.kind
                ),
                format!(
                    "{}: {} listens on internet-facing {interfaces}{port} (firmware {})",
                    g.label(),
                    vpn.kind,
                    g.firmware
                        .as_ref()
                        .map_or("unknown", |f| f.version.as_str())
                ),
            );
            let mut evidence = quoted(g, &vpn.lines).fact("interfaces", interfaces.as_str());
            let exploited = known_exploited(ctx, g.asset.as_deref());
            let mut severity = rule.default_severity;
            let mut message = message;
            if !exploited.is_empty() {
                severity = Severity::Critical;
                let list = exploited.join(", ");
                message.ja.push_str(&format!(
                    "。このファームウェアには悪用が確認された脆弱性 {list} があります"
                ));
                message
                    .en
                    .push_str(&format!("; the firmware has known exploited flaws: {list}"));
                evidence = evidence.fact("known_exploited", list);
            }
            findings.push(rule.finding(
                subject(ctx, g, Some(&vpn.kind)),
                severity,
                message,
                evidence,
            ));
        }
    }
    findings
}

/// KEV CVEs matched on the linked asset by version (not by product name alone).
fn known_exploited(ctx: &CheckContext, asset: Option<&str>) -> Vec<String> {
    let (Some(id), Some(site)) = (asset, ctx.vuln_matches()) else {
        return Vec::new();
    };
    site.iter()
        .filter(|av| av.asset.id == id)
        .flat_map(|av| av.matches.iter())
        .filter(|m| {
            matches!(m.how, mamori_vuln::How::Configuration { .. })
                && crate::vuln::kev_facts(m).is_some()
        })
        .map(|m| m.cve.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{check, fortigate, site_with};

    const VPN: &str = "config system interface\n edit \"wan1\"\n next\n edit \"internal\"\n  set role lan\n next\nend\nconfig vpn ssl settings\n set source-interface \"IFACE\"\nend\n";

    #[test]
    fn on_wan_it_is_reported_bound_inside_it_is_not() {
        let wan = check(
            &RULE,
            &site_with(vec![fortigate(&VPN.replace("IFACE", "wan1"))]),
        );
        assert_eq!(wan.len(), 1);
        assert_eq!(wan[0].severity, Severity::Info);
        let inside = check(
            &RULE,
            &site_with(vec![fortigate(&VPN.replace("IFACE", "internal"))]),
        );
        assert!(inside.is_empty());
    }
}
