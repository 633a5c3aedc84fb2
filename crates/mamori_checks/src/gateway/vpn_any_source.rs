//! `gateway.vpn-any-source`: the internet-facing VPN accepts connections from any address
//! (FortiOS `source-address` unset or `all`; ASA WebVPN without a control-plane ACL on the
//! interface). A maintenance VPN used only by a vendor can and should be limited to its
//! addresses.

use mamori_model::{Finding, Localized, Severity};

use super::{device, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.vpn-any-source` — VPN without source-address restriction. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.vpn-any-source",
        default_severity: Severity::Medium,
        title: Text {
            ja: "接続元が制限されていない VPN",
            en: "VPN without source-address restriction",
        },
        rationale: Text {
            ja: "接続元を制限していない VPN には、世界中の誰でもパスワードを試したり脆弱性を突いたりできます。岡山県精神科医療センターでは「閉域網だから安全」として接続元制限のない保守用 VPN が侵入口になりました。",
            en: "A VPN that accepts any source lets anyone on the internet guess passwords or try exploits; the Okayama centre's maintenance VPN had no source restriction because it was thought to be a closed network.",
        },
        remediation: Text {
            ja: "保守事業者や在宅勤務など、接続してよい送信元の IP アドレスだけを許可してください（FortiGate: vpn ssl settings の source-address、ASA: control-plane の access-group）。",
            en: "Allow only the source addresses that should connect (vendors, remote staff): FortiGate `source-address` in vpn ssl settings, ASA a control-plane access-group.",
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
    for g in &ctx.site.gateways {
        for vpn in g.vpn.iter().filter(|v| v.any_source) {
            if !vpn.interfaces.iter().any(|i| g.is_wan(i)) {
                continue;
            }
            let message = Localized::new(
                format!(
                    "{} の {} はどこからでも接続を受け付けます（接続元の制限なし）",
                    device(g),
                    vpn.kind
                ),
                format!(
                    "{}: {} accepts connections from any address",
                    g.label(),
                    vpn.kind
                ),
            );
            let evidence = quoted(g, &vpn.lines);
            findings.push(rule.finding(
                subject(ctx, g, Some(&vpn.kind)),
                rule.default_severity,
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
    fn source_address_restricts_it() {
        let vpn = "config system interface\n edit \"wan1\"\n next\nend\nconfig vpn ssl settings\n set source-interface \"wan1\"\nSOURCE\nend\n";
        let open = fortigate(&vpn.replace("SOURCE", " set source-address \"all\""));
        assert_eq!(check(&RULE, &site_with(vec![open])).len(), 1);
        let limited = fortigate(&vpn.replace("SOURCE", " set source-address \"VENDOR_NET\""));
        assert!(check(&RULE, &site_with(vec![limited])).is_empty());
    }

    #[test]
    fn asa_control_plane_acl_restricts_it() {
        let base =
            "interface G0/0\n nameif outside\n security-level 0\n!\nwebvpn\n enable outside\n";
        assert_eq!(check(&RULE, &site_with(vec![asa(base)])).len(), 1);
        let acl = format!("{base}access-group VPN_IN in interface outside control-plane\n");
        assert!(check(&RULE, &site_with(vec![asa(&acl)])).is_empty());
    }
}
