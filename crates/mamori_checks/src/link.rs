//! Ties findings from logs to the site: the accounts and devices of the ledgers whose user
//! name, IP address, id or name appear in a finding's evidence. A VPN spray that succeeded with
//! a leaver's account then names that account's row in `accounts.csv`.

use std::collections::{BTreeSet, HashMap};

use mamori_model::Finding;
use mamori_model::site::Site;
use serde_json::Value;

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
        let facts = &f.evidence.facts;
        let mut names = Vec::new();
        for key in ["account", "accounts", "member", "failed_accounts"] {
            collect(facts.get(key), &mut names);
        }
        let mut hosts = Vec::new();
        for key in ["host", "hosts", "source", "sources"] {
            collect(facts.get(key), &mut hosts);
        }
        let linked_accounts: BTreeSet<&String> = names
            .iter()
            .filter_map(|n| accounts.get(&n.to_lowercase()))
            .flatten()
            .collect();
        let linked_assets: BTreeSet<&String> = hosts
            .iter()
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
            f.evidence
                .facts
                .insert("site_accounts".into(), accounts_list.into());
        }
        if !assets_list.is_empty() {
            note_ja.push(format!("機器 {}", assets_list.join(", ")));
            note_en.push(format!("devices {}", assets_list.join(", ")));
            f.evidence
                .facts
                .insert("site_assets".into(), assets_list.into());
        }
        if !note_ja.is_empty() {
            f.message
                .ja
                .push_str(&format!("［{}］", note_ja.join("、")));
            f.message.en.push_str(&format!(" [{}]", note_en.join("; ")));
        }
    }
}

fn collect(value: Option<&Value>, out: &mut Vec<String>) {
    match value {
        Some(Value::String(s)) if !s.is_empty() => out.push(s.clone()),
        Some(Value::Array(items)) => items.iter().for_each(|v| collect(Some(v), out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mamori_model::site::{Account, Asset};
    use mamori_model::{Evidence, Localized, Severity, Subject, SubjectKind};

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
            evidence: Evidence::default()
                .fact("account", "VPN-ABE.Y")
                .fact("host", "FW-01")
                .fact("source", "198.51.100.7"),
            measures: vec![],
            checklist_items: vec![],
            remediation: Localized::default(),
        }];
        link_to_site(&mut f, &site);
        assert_eq!(
            f[0].evidence.facts["site_accounts"],
            serde_json::json!(["FW-01/vpn-abe.y"])
        );
        assert_eq!(
            f[0].evidence.facts["site_assets"],
            serde_json::json!(["FW-01"])
        );
    }
}
