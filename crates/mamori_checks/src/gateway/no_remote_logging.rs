//! `gateway.no-remote-logging`: the gateway sends its logs nowhere (no syslog server,
//! FortiAnalyzer or cloud logging switched on). Its own memory is small and is lost or wiped
//! with the device, exactly when the logs are needed to know how the attacker got in.

use mamori_model::{Finding, Localized, Severity};

use super::{device, quoted, subject};
use crate::{CheckContext, Rule, Text};

/// `gateway.no-remote-logging` — No remote log destination. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "gateway.no-remote-logging",
        default_severity: Severity::Medium,
        title: Text {
            ja: "ログを外部に保存していない",
            en: "No remote log destination",
        },
        rationale: Text {
            ja: "VPN 装置のログが装置の中にしかないと、容量不足で消えたり、攻撃者に消されたりして、侵入経路を調べられなくなります。注意喚起はログの保存と定期的な確認を求めています。",
            en: "Logs kept only on the device roll over or are wiped by the attacker, and then nobody can tell how they got in; the notices ask to keep logs and review them.",
        },
        remediation: Text {
            ja: "syslog サーバや FortiAnalyzer などの外部の保存先を設定し、少なくとも 1 年分を保管してください（FortiGate: config log syslogd setting、ASA: logging enable と logging host）。",
            en: "Send logs to a syslog server or FortiAnalyzer and keep at least a year (FortiGate: config log syslogd setting; ASA: logging enable and logging host).",
        },
        measures: &["logs.kept", "detect.log-review"],
        checklist: &["access-log"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for g in ctx
        .site
        .gateways
        .iter()
        .filter(|g| g.log_destinations.is_empty())
    {
        let message = Localized::new(
            format!(
                "{} のログの送信先（syslog・FortiAnalyzer など）が設定されていません",
                device(g)
            ),
            format!(
                "{} sends its logs nowhere (no syslog server or FortiAnalyzer)",
                g.label()
            ),
        );
        let evidence = quoted(g, g.firmware.as_ref().map(|f| &f.line));
        findings.push(rule.finding(
            subject(ctx, g, Some("logging")),
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
    fn a_syslog_server_is_enough() {
        assert_eq!(check(&RULE, &site_with(vec![fortigate("")])).len(), 1);
        let fg = fortigate(
            "config log syslogd setting\n set status enable\n set server \"10.0.0.5\"\nend\n",
        );
        assert!(check(&RULE, &site_with(vec![fg])).is_empty());
        let asa_ok = asa("logging enable\nlogging host inside 10.0.0.5\n");
        assert!(check(&RULE, &site_with(vec![asa_ok])).is_empty());
    }
}
