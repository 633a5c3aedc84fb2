//! `gateway.weak-tls`: the SSL-VPN or the management GUI allows TLS below 1.2 (or SSL).
//! Only explicit settings are judged: defaults differ between firmware versions.

use mamori_model::{Finding, Localized, Severity};

use super::{device, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.weak-tls` — TLS below 1.2 allowed. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.weak-tls",
        default_severity: Severity::Medium,
        title: Text {
            ja: "古い TLS/SSL を許可している",
            en: "TLS below 1.2 allowed",
        },
        rationale: Text {
            ja: "TLS 1.0/1.1 や SSL には既知の弱点があり、通信の盗聴や改ざんにつながります。医療情報システムの安全管理ガイドラインも TLS 1.2 以上を求めています。",
            en: "TLS 1.0/1.1 and SSL have known weaknesses that allow eavesdropping or tampering; the MHLW security guideline for medical information systems asks for TLS 1.2 or later.",
        },
        remediation: Text {
            ja: "最低バージョンを TLS 1.2 にしてください（FortiGate: ssl-min-proto-ver tls1-2、ASA: ssl server-version tlsv1.2）。古い VPN クライアントが残っている場合は更新してください。",
            en: "Set the minimum to TLS 1.2 (FortiGate: ssl-min-proto-ver tls1-2; ASA: ssl server-version tlsv1.2) and update old VPN clients.",
        },
        measures: &["patch.gateway-devices"],
        checklist: &["unneeded-services"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in ctx.site.gateways.iter().filter(|g| !g.weak_tls.is_empty()) {
        let settings: Vec<&str> = g.weak_tls.iter().map(|l| l.text.as_str()).collect();
        let message = Localized::new(
            format!(
                "{} は TLS 1.2 未満の接続を許可しています（{}）",
                device(g),
                settings.join(" / ")
            ),
            format!(
                "{} allows TLS below 1.2 ({})",
                g.label(),
                settings.join(" / ")
            ),
        );
        let evidence = quoted(g, &g.weak_tls);
        findings.push(rule.finding(
            subject(ctx, g, Some("tls")),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{asa, check, fortigate, site_with};

    #[test]
    fn explicit_old_versions_only() {
        assert_eq!(
            check(&RULE, &site_with(vec![asa("ssl server-version tlsv1\n")])).len(),
            1
        );
        assert!(check(&RULE, &site_with(vec![asa("ssl server-version tlsv1.2\n")])).is_empty());
        let fg = fortigate("config vpn ssl settings\n set ssl-min-proto-ver tls1-1\nend\n");
        assert_eq!(check(&RULE, &site_with(vec![fg])).len(), 1);
        let fg = fortigate("config vpn ssl settings\n set ssl-min-proto-ver tls1-2\nend\n");
        assert!(check(&RULE, &site_with(vec![fg])).is_empty());
    }
}
