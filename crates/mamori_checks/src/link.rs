//! Ties findings from logs to the site: the accounts and devices of the ledgers whose user
//! name, IP address, id or name appear in a finding's evidence. A VPN spray that succeeded with
//! a leaver's account then names that account's row in `accounts.csv`.

use std::collections::{BTreeSet, HashMap};

use mamori_model::Finding;
use mamori_model::site::Site;

/// Adds `site_accounts` (keys `system/username`) and `site_assets` (asset ids) to the evidence
/// of each finding whose account names or addresses match the site's tables.
pub fn link_to_site(findings: &mut [Finding], site: &Site) {
    let mut accounts: HashMap<String, Vec<String>> = HashMap::new();
    for a in &site.accounts {
        accounts
            .entry(a.username.to_lowercase())
            .or_default()
            .push(a.key());
    }
    let mut assets: HashMap<String, Vec<String>> = HashMap::new();
    for a in &site.assets {
        for name in [&a.id, &a.name, &a.ip] {
            if !name.is_empty() {
                assets
                    .entry(name.to_lowercase())
                    .or_default()
                    .push(a.id.clone());
            }
        }
    }
    for f in findings.iter_mut() {
        let entities = f.evidence.entities();
        let linked_accounts: BTreeSet<&String> = entities
            .account_names()
            .filter_map(|n| accounts.get(&n.to_lowercase()))
            .flatten()
            .collect();
        let linked_assets: BTreeSet<&String> = entities
            .host_names()
            .filter_map(|h| assets.get(&h.to_lowercase()))
            .flatten()
            .collect();
        let accounts_list: Vec<String> = linked_accounts.into_iter().cloned().collect();
        let assets_list: Vec<String> = linked_assets.into_iter().cloned().collect();
        let mut note_ja = Vec::new();
        let mut note_en = Vec::new();
        if !accounts_list.is_empty() {
            note_ja.push(format!("台帳のアカウント {}", accounts_list.join(", ")));
            note_en.push(format!("ledger accounts {}", accounts_list.join(", ")));
            f.evidence.entities_mut().site_accounts = Some(accounts_list);
        }
        if !assets_list.is_empty() {
            note_ja.push(format!("機器 {}", assets_list.join(", ")));
            note_en.push(format!("devices {}", assets_list.join(", ")));
            f.evidence.entities_mut().site_assets = Some(assets_list);
        }
        if !note_ja.is_empty() {
            f.message
                .ja
                .push_str(&format!("［{}］", note_ja.join("、")));
            f.message.en.push_str(&format!(" [{}]", note_en.join("; ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mamori_model::site::{Account, Asset};
    use mamori_model::{Entities, Evidence, Localized, Severity, Subject, SubjectKind};

    #[test]
    fn links_accounts_and_devices_named_in_evidence() {
        let site = Site {
            accounts: vec![Account {
                system: "FW-01".into(),
                username: "vpn-abe.y".into(),
                ..Account::default()
            }],
            assets: vec![Asset {
                id: "FW-01".into(),
                ip: "203.0.113.10".into(),
                ..Asset::default()
            }],
            ..Site::default()
        };
        let mut f = vec![Finding {
            id: "x".into(),
            rule_id: "log.success-after-failures".into(),
            severity: Severity::Critical,
            subject: Subject::new(SubjectKind::Host, "k", "k"),
            title: Localized::default(),
            message: Localized::default(),
            evidence: Evidence::default().with_entities(Entities {
                account: Some("VPN-ABE.Y".into()),
                host: Some("FW-01".into()),
                source: Some("198.51.100.7".into()),
                ..Entities::default()
            }),
            measures: vec![],
            checklist_items: vec![],
            remediation: Localized::default(),
        }];
        link_to_site(&mut f, &site);
        let linked = f[0].evidence.entities();
        assert_eq!(linked.site_accounts, Some(vec!["FW-01/vpn-abe.y".into()]));
        assert_eq!(linked.site_assets, Some(vec!["FW-01".into()]));
    }
}
