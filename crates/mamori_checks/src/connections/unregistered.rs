//! `connection.unregistered`: a connection point whose vendor or device is not in the tables,
//! or a vendor line with no vendor named. A connection nobody can attribute is a connection
//! nobody manages — the Osaka attack came through a contractor's line the hospital did not track.

use mamori_model::site::ConnectionKind;
use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{connection_label, connection_subject};
use crate::{CheckContext, Rule, Text};

/// `connection.unregistered` — Connection point to an unregistered vendor or device. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "connection.unregistered",
        default_severity: Severity::Medium,
        title: Text {
            ja: "台帳にない事業者・機器につながる接続点",
            en: "Connection point to an unregistered vendor or device",
        },
        rationale: Text {
            ja: "大阪急性期・総合医療センターでは、給食委託事業者のシステムとの接続から侵入されました。相手先や機器が台帳にない接続は、誰も管理していない接続です。",
            en: "At the Osaka general medical centre the attackers came in over the catering contractor's connection; a connection whose other end is not in the registers is one nobody manages.",
        },
        remediation: Text {
            ja: "接続の相手先事業者と院内側の機器を確認し、事業者一覧と機器台帳に登録してください。不要な接続なら撤去してください。",
            en: "Identify the vendor and the device at each end and register them in the vendor list and device ledger; remove the connection if it is not needed.",
        },
        measures: &[
            "supply-chain.connection-points",
            "supply-chain.vendor-posture",
            "assets.inventory",
        ],
        checklist: &["remote-maintenance", "ledger"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let site = ctx.site;
    let mut findings = Vec::new();
    for c in &site.connections {
        let mut problems_ja = Vec::new();
        let mut problems_en = Vec::new();
        if c.vendor.is_empty() {
            if c.kind != Some(ConnectionKind::Internet) {
                problems_ja.push("接続先の事業者が未記入".to_owned());
                problems_en.push("no vendor named".to_owned());
            }
        } else if !site.vendors.iter().any(|v| v.id == c.vendor) {
            problems_ja.push(format!("事業者「{}」が事業者一覧にない", c.vendor));
            problems_en.push(format!("vendor \"{}\" is not in the vendor list", c.vendor));
        }
        if !c.asset.is_empty() && !site.assets.iter().any(|a| a.id == c.asset) {
            problems_ja.push(format!("機器「{}」が機器台帳にない", c.asset));
            problems_en.push(format!("device \"{}\" is not in the ledger", c.asset));
        }
        if problems_ja.is_empty() {
            continue;
        }
        let severity = if c.kind.is_some_and(|k| k.is_remote_access()) {
            Severity::High
        } else {
            rule.default_severity
        };
        let (label_ja, label_en) = connection_label(site, c);
        let message = Localized::new(
            format!(
                "接続点 {}（{}）: {}",
                c.id,
                label_ja,
                problems_ja.join("、")
            ),
            format!(
                "connection {} ({}): {}",
                c.id,
                label_en,
                problems_en.join("; ")
            ),
        );
        let evidence = Evidence::default()
            .fact("vendor", c.vendor.clone())
            .fact("asset", c.asset.clone())
            .fact("problems", problems_en)
            .source(c.origin.clone());
        findings.push(rule.finding(connection_subject(site, c), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{AssetKind, Connection, Site, Vendor};

    fn conn(id: &str, vendor: &str, asset: &str, kind: ConnectionKind) -> Connection {
        Connection {
            id: id.into(),
            vendor: vendor.into(),
            asset: asset.into(),
            kind: Some(kind),
            origin: origin("connections.csv", 2),
            ..Connection::default()
        }
    }

    fn site(connections: Vec<Connection>) -> Site {
        Site {
            vendors: vec![Vendor {
                id: "V1".into(),
                ..Vendor::default()
            }],
            assets: vec![asset("FW-01", AssetKind::Gateway)],
            connections,
            ..Site::default()
        }
    }

    #[test]
    fn fires_for_unknown_vendor_unknown_asset_or_no_vendor() {
        let f = check(
            &RULE,
            &site(vec![
                conn("C1", "V9", "FW-01", ConnectionKind::Vpn),
                conn("C2", "V1", "SRV-99", ConnectionKind::LeasedLine),
                conn("C3", "", "", ConnectionKind::RemoteDesktop),
            ]),
        );
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.subject.key.as_str(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("C1", Severity::High),
                ("C2", Severity::Medium),
                ("C3", Severity::High)
            ]
        );
    }

    #[test]
    fn silent_for_registered_ends_and_plain_internet_uplink() {
        let f = check(
            &RULE,
            &site(vec![
                conn("C1", "V1", "FW-01", ConnectionKind::Vpn),
                conn("C2", "", "FW-01", ConnectionKind::Internet),
            ]),
        );
        assert!(f.is_empty());
    }
}
