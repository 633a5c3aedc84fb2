//! `configs/`: gateway configuration backups, read into [`Gateway`] facts and tied to the
//! ledger's assets.
//!
//! A configuration belongs to an asset when, in this order, its serial number equals the
//! asset's `serial`, its hostname equals the asset's id or name, or one of its interface
//! addresses equals the asset's `ip` (case-insensitive, first rule that gives exactly one
//! asset wins). An unlinked configuration is still checked; its findings name its hostname.

use std::net::IpAddr;
use std::path::Path;

use mamori_model::gateway::Gateway;
use mamori_model::input::{InputSummary, SkippedInput};
use mamori_model::site::{Asset, Site};

use super::SiteLoad;
use crate::configs::read_config_files;

/// Reads every file under `dir/configs/` (subfolders too) into `load`. The folder is optional:
/// without it there is nothing to say (the checks that need it say 未確認 themselves).
pub fn load_gateways(dir: &Path, load: &mut SiteLoad) {
    let configs = dir.join(super::CONFIGS_DIR);
    if std::fs::symlink_metadata(&configs).is_err() {
        return;
    }
    let relative = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    for config in read_config_files(&[configs], Some(dir), relative) {
        match config.result {
            Ok(gateway) => {
                load.inputs.push(InputSummary {
                    file: config.file,
                    table: "configs",
                    encoding: gateway.format.as_str(),
                    rows_read: config.lines,
                    rows_rejected: gateway.problems.len(),
                    ignored_columns: Vec::new(),
                    notes: Vec::new(),
                });
                load.site.gateways.push(gateway);
            }
            Err(reason) => load.skipped.push(SkippedInput {
                file: config.file,
                reason,
            }),
        }
    }
    link_gateways(&mut load.site);
}

/// Ties each configuration to its asset (see the module doc).
pub fn link_gateways(site: &mut Site) {
    let Site {
        assets, gateways, ..
    } = site;
    for g in gateways.iter_mut() {
        g.asset = find_asset(assets, g).map(|a| a.id.clone());
    }
}

fn find_asset<'a>(assets: &'a [Asset], g: &Gateway) -> Option<&'a Asset> {
    let unique = |matches: Vec<&'a Asset>| (matches.len() == 1).then(|| matches[0]);
    let same = |a: &str, b: &str| !a.is_empty() && a.trim().eq_ignore_ascii_case(b.trim());
    let by_serial = assets
        .iter()
        .filter(|a| same(&a.serial, &g.serial))
        .collect();
    if let Some(a) = unique(by_serial) {
        return Some(a);
    }
    let by_name = assets
        .iter()
        .filter(|a| same(&g.hostname, &a.id) || same(&g.hostname, &a.name))
        .collect();
    if let Some(a) = unique(by_name) {
        return Some(a);
    }
    let addresses: Vec<IpAddr> = g
        .interfaces
        .iter()
        .flat_map(|i| i.addresses.iter().copied())
        .collect();
    let by_ip = assets
        .iter()
        .filter(|a| {
            let ip = a.ip.split('/').next().unwrap_or_default().trim();
            ip.parse::<IpAddr>().is_ok_and(|ip| addresses.contains(&ip))
        })
        .collect();
    unique(by_ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(id: &str, name: &str, ip: &str, serial: &str) -> Asset {
        Asset {
            id: id.into(),
            name: name.into(),
            ip: ip.into(),
            serial: serial.into(),
            ..Asset::default()
        }
    }

    use crate::configs::read_config;

    fn gateway(hostname: &str, serial: &str, ip: &str) -> Gateway {
        let text = format!(
            ": Serial Number: {serial}\nASA Version 9.8(4)\nhostname {hostname}\ninterface G0/0\n nameif outside\n ip address {ip} 255.255.255.0\n"
        );
        read_config("asa.cfg", text.as_bytes()).unwrap()
    }

    fn linked(assets: Vec<Asset>, g: Gateway) -> Option<String> {
        let mut site = Site {
            assets,
            gateways: vec![g],
            ..Site::default()
        };
        link_gateways(&mut site);
        site.gateways[0].asset.clone()
    }

    #[test]
    fn serial_then_hostname_then_address() {
        let assets = vec![
            asset("FW-01", "本館FW", "203.0.113.10", "JAD1234"),
            asset("FW-02", "asa-east", "203.0.113.20/28", ""),
        ];
        assert_eq!(
            linked(assets.clone(), gateway("fw-01", "JAD1234", "10.0.0.1")).as_deref(),
            Some("FW-01")
        );
        assert_eq!(
            linked(assets.clone(), gateway("ASA-EAST", "X", "10.0.0.1")).as_deref(),
            Some("FW-02")
        );
        assert_eq!(
            linked(assets.clone(), gateway("other", "X", "203.0.113.20")).as_deref(),
            Some("FW-02")
        );
        assert_eq!(linked(assets, gateway("other", "X", "10.9.9.9")), None);
    }

    #[test]
    fn ambiguous_names_do_not_link() {
        let assets = vec![asset("A", "fw", "", ""), asset("B", "fw", "", "")];
        assert_eq!(linked(assets, gateway("fw", "X", "10.0.0.1")), None);
    }
}
