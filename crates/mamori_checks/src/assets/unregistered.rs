//! `asset.unregistered`: a device that answered a network scan (nmap XML in `scans/`) but that
//! the 機器台帳 does not list — by address (the ledger's or a linked gateway configuration's)
//! or by host name against an asset's id or name. With no ledger at all, one finding.

use mamori_model::discovery::DiscoveredHost;
use mamori_model::{Finding, Localized, Severity, SourceRef, Subject, SubjectKind};

use super::scan::{LedgerIndex, host_evidence, host_key, merged};
use crate::{CheckContext, Rule, Text};

/// `asset.unregistered` — Device on the network missing from the ledger.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "asset.unregistered",
        default_severity: Severity::Medium,
        title: Text {
            ja: "台帳にない機器がネットワーク上にある",
            en: "Device on the network missing from the asset ledger",
        },
        rationale: Text {
            ja: "台帳にない機器は、更新もパスワードも誰も確かめていません。業者が持ち込んだ機器や忘れられた古い端末が、侵入の足がかりになります。厚労省のチェックリストは、医療機器も含めてすべての情報機器を台帳で管理することを求めています。",
            en: "Nobody checks the updates or passwords of a device the ledger does not list; a vendor's box or a forgotten old PC becomes the way in. The MHLW checklist asks for every device, medical devices included, in the ledger.",
        },
        remediation: Text {
            ja: "何の機器か（設置場所・持ち主・保守事業者）を確かめて機器台帳に追加し、IP アドレスも記入してください。不要な機器ならネットワークから外してください。リモート接続やファイル共有が開いている機器を最優先に。",
            en: "Find out what the device is (where, whose, which vendor maintains it), add it to the ledger with its IP address, or take it off the network if it is not needed; devices with remote access or file sharing open first.",
        },
        measures: &["assets.inventory"],
        checklist: &["ledger"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let hosts = merged(&ctx.site.discovered);
    if hosts.is_empty() {
        return Vec::new();
    }
    if ctx.site.assets.is_empty() {
        return vec![no_ledger(&hosts, rule)];
    }
    let ledger = LedgerIndex::of(ctx.site);
    hosts
        .into_iter()
        .filter(|h| ledger.find(h).is_none())
        .map(|h| unregistered(&h, rule))
        .collect()
}

fn unregistered(host: &DiscoveredHost, rule: &Rule) -> Finding {
    let remote = host.remote_access();
    let (severity, open_ja, open_en) = if remote.is_empty() {
        (rule.default_severity, String::new(), String::new())
    } else {
        (
            Severity::High,
            format!("。{} が開いています", remote.join("・")),
            format!("; {} open", remote.join(", ")),
        )
    };
    let label = host.label();
    // 「機器 10.0.20.150 が」 but 「機器 pc-1（10.0.20.99）が」: no space after the bracket.
    let at = if host.ips.is_empty() || host.hostnames.is_empty() {
        " ".to_owned()
    } else {
        format!("（{}）", host.ips.join("、"))
    };
    let message = Localized::new(
        format!("ネットワーク上の機器 {label}{at}が機器台帳にありません{open_ja}"),
        format!("the device {label} found on the network is not in the asset ledger{open_en}"),
    );
    rule.finding(
        Subject::new(SubjectKind::Host, host_key(host), label),
        severity,
        message,
        host_evidence(host),
    )
}

/// No ledger at all: one finding for everything the scans found.
fn no_ledger(hosts: &[DiscoveredHost], rule: &Rule) -> Finding {
    let names: Vec<String> = hosts.iter().map(DiscoveredHost::label).collect();
    crate::no_ledger_finding(
        rule,
        "scan-ledger",
        &names,
        "ネットワーク上で見つかった機器",
        &format!("the {} devices found on the network", names.len()),
        SourceRef {
            file: hosts[0].file.clone(),
            ..SourceRef::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use mamori_model::discovery::{DiscoveredHost, OpenPort};
    use mamori_model::site::{Asset, Site};

    use crate::testing::check_on;

    fn host(ip: &str, name: &str, ports: &[u16]) -> DiscoveredHost {
        DiscoveredHost {
            file: "scans/a.xml".into(),
            line: 9,
            ips: vec![ip.into()],
            hostnames: if name.is_empty() {
                Vec::new()
            } else {
                vec![name.into()]
            },
            ports: ports
                .iter()
                .map(|&port| OpenPort {
                    protocol: "tcp".into(),
                    port,
                    ..OpenPort::default()
                })
                .collect(),
            ..DiscoveredHost::default()
        }
    }

    fn severities(site: &Site) -> Vec<(String, String)> {
        check_on(&super::RULE, site, jiff::civil::date(2026, 12, 5))
            .into_iter()
            .map(|f| (f.subject.key, f.severity.to_string()))
            .collect()
    }

    #[test]
    fn devices_are_matched_by_address_or_name_and_open_doors_raise_the_severity() {
        let mut site = Site {
            assets: vec![
                Asset {
                    id: "A-1".into(),
                    name: "受付PC".into(),
                    ip: "192.168.1.10、10.0.0.10".into(),
                    ..Asset::default()
                },
                Asset {
                    id: "PACS-01".into(),
                    ..Asset::default()
                },
            ],
            discovered: vec![
                host("10.0.0.10", "", &[445]),
                host("192.168.1.50", "pacs-01.hosp.local", &[104]),
                host("192.168.1.77", "", &[3389]),
                host("192.168.1.78", "", &[80]),
            ],
            ..Site::default()
        };
        assert_eq!(
            severities(&site),
            [
                ("192.168.1.77".to_owned(), "high".to_owned()),
                ("192.168.1.78".to_owned(), "medium".to_owned())
            ]
        );
        // A second scan finds SMB open on .78: one device, its ports combined.
        site.discovered.push(host("192.168.1.78", "", &[445]));
        assert_eq!(
            severities(&site)[1],
            ("192.168.1.78".to_owned(), "high".to_owned())
        );

        site.assets.clear();
        let one = check_on(&super::RULE, &site, jiff::civil::date(2026, 12, 5));
        assert_eq!(one.len(), 1, "no ledger: one finding");
        assert_eq!(one[0].evidence.count, Some(4));

        site.discovered.clear();
        assert!(severities(&site).is_empty(), "no scan: nothing said");
    }
}
