//! `asset.cleartext-service`: a device that answered a network scan with Telnet or FTP, which
//! carry passwords unencrypted — common on printers, NAS, cameras and medical devices.

use mamori_model::discovery::CLEARTEXT;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::scan::{LedgerIndex, host_evidence, host_key, merged};
use super::{asset_label, asset_subject};
use crate::{CheckContext, Rule, Text};

/// `asset.cleartext-service` — Telnet or FTP open on a device.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.cleartext-service",
        default_severity: Severity::Medium,
        title: Text {
            ja: "暗号化されない接続（Telnet・FTP）が開いている機器",
            en: "Telnet or FTP open on a device",
        },
        rationale: Text {
            ja: "Telnet や FTP は、パスワードも中身も暗号化せずに送ります。院内に入り込んだ攻撃者は通信を盗み見てパスワードを手に入れ、その機器や同じパスワードの機器に入れます。プリンタ・NAS・カメラ・医療機器で出荷時のまま開いていることがよくあります。",
            en: "Telnet and FTP send passwords and data unencrypted: an intruder inside the network reads the password off the wire and logs on to the device, and to every device sharing it. Printers, NAS, cameras and medical devices often ship with them on.",
        },
        remediation: Text {
            ja: "使っていなければ機器の設定で止めてください。必要なら SSH・SFTP など暗号化する方式に切り替えるか、つなげる端末を限ってください。医療機器は保守事業者に相談してください。",
            en: "Turn the service off if unused; otherwise switch to SSH or SFTP, or restrict which hosts may connect. Ask the vendor for medical devices.",
        },
        measures: &[
            "gateway.restrict-admin-interface",
            "accounts.strong-passwords",
        ],
        checklist: &["unneeded-services"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let hosts = merged(&ctx.site.discovered);
    let ledger = LedgerIndex::of(ctx.site);
    hosts
        .iter()
        .filter_map(|host| {
            let open = host.services_in(CLEARTEXT);
            if open.is_empty() {
                return None;
            }
            let asset = ledger.find(host);
            let (subject, label) = match asset {
                Some(a) => (asset_subject(a), asset_label(a)),
                None => (
                    Subject::new(SubjectKind::Host, host_key(host), host.label()),
                    host.label(),
                ),
            };
            // 「複合機（PRN-01）で」 but 「10.0.0.9 で」.
            let sep = if label.ends_with('）') { "" } else { " " };
            let message = Localized::new(
                format!(
                    "{label}{sep}で {} が開いています（パスワードが暗号化されずに流れます）",
                    open.join("・")
                ),
                format!(
                    "{} open on {label} (passwords travel unencrypted)",
                    open.join(", ")
                ),
            );
            Some(rule.finding(subject, rule.default_severity, message, host_evidence(host)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use mamori_model::discovery::{DiscoveredHost, OpenPort};
    use mamori_model::site::{Asset, Site};

    use crate::testing::check_on;

    fn host(ip: &str, ports: &[(u16, &str)]) -> DiscoveredHost {
        DiscoveredHost {
            file: "scans/a.xml".into(),
            ips: vec![ip.into()],
            ports: ports
                .iter()
                .map(|&(port, service)| OpenPort {
                    protocol: "tcp".into(),
                    port,
                    service: service.into(),
                    ..OpenPort::default()
                })
                .collect(),
            ..DiscoveredHost::default()
        }
    }

    #[test]
    fn telnet_and_ftp_by_service_or_usual_port_tied_to_the_asset_when_listed() {
        let site = Site {
            assets: vec![Asset {
                id: "PRN-01".into(),
                name: "複合機".into(),
                ip: "10.0.0.5".into(),
                ..Asset::default()
            }],
            discovered: vec![
                host("10.0.0.5", &[(23, "")]),
                host("10.0.0.9", &[(2121, "ftp"), (80, "http")]),
                host("10.0.0.7", &[(80, "http"), (22, "ssh")]),
                // Port 23 answering as something nmap recognised otherwise is not Telnet.
                host("10.0.0.8", &[(23, "http")]),
            ],
            ..Site::default()
        };
        let found = check_on(&super::RULE, &site, jiff::civil::date(2026, 12, 5));
        let keys: Vec<(String, String)> = found
            .iter()
            .map(|f| (format!("{:?}", f.subject.kind), f.subject.key.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                ("Asset".to_owned(), "PRN-01".to_owned()),
                ("Host".to_owned(), "10.0.0.9".to_owned())
            ]
        );
        assert!(
            found[0]
                .message
                .ja
                .contains("複合機（PRN-01）で Telnet が開いています")
        );
    }
}
