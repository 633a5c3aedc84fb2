//! What the scan rules share: the hosts of `scans/` merged across files, and the ledger indexed
//! by address and name so each host finds its asset.

use std::collections::HashMap;

use mamori_model::discovery::DiscoveredHost;
use mamori_model::site::{Asset, Site};
use mamori_model::{Evidence, SourceRef};

/// One host per address (or MAC) however many scans found it, its open ports combined.
pub(crate) fn merged(found: &[DiscoveredHost]) -> Vec<DiscoveredHost> {
    let mut out: Vec<DiscoveredHost> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for host in found {
        match index.get(&host_key(host)) {
            Some(&at) => {
                let known = &mut out[at];
                for port in &host.ports {
                    if !known
                        .ports
                        .iter()
                        .any(|p| p.port == port.port && p.protocol == port.protocol)
                    {
                        known.ports.push(port.clone());
                    }
                }
            }
            None => {
                index.insert(host_key(host), out.len());
                out.push(host.clone());
            }
        }
    }
    out
}

/// The key a host is known by in findings: its first address, else its MAC.
pub(crate) fn host_key(host: &DiscoveredHost) -> String {
    host.ips
        .first()
        .cloned()
        .unwrap_or_else(|| host.mac.clone())
}

/// What the scan saw of a host: addresses, names, open ports with their services, MAC and maker,
/// OS guess, when it was scanned, and the `<host>` line of the scan file.
pub(crate) fn host_evidence(host: &DiscoveredHost) -> Evidence {
    let ports: Vec<String> = host
        .ports
        .iter()
        .map(|p| {
            format!(
                "{}/{} {} {} {}",
                p.port, p.protocol, p.service, p.product, p.version
            )
            .trim()
            .to_owned()
        })
        .collect();
    let mut evidence = Evidence::default()
        .fact("addresses", host.ips.join(", "))
        .fact("host_names", host.hostnames.join(", "))
        .fact("open_ports", ports.join("; "))
        .source(SourceRef {
            file: host.file.clone(),
            line: Some(host.line),
            ..SourceRef::default()
        });
    if !host.mac.is_empty() {
        evidence = evidence.fact("mac", format!("{} {}", host.mac, host.mac_vendor).trim());
    }
    if !host.os.is_empty() {
        evidence = evidence.fact("os_guess", host.os.clone());
    }
    evidence.first_seen = host.scanned_at;
    evidence
}

/// The ledger by address (its `ip` cell, and the interfaces of a gateway configuration tied to
/// it) and by lower-cased id and name.
pub(crate) struct LedgerIndex<'a> {
    by_ip: HashMap<String, &'a Asset>,
    by_name: HashMap<String, &'a Asset>,
}

impl<'a> LedgerIndex<'a> {
    pub(crate) fn of(site: &'a Site) -> Self {
        let mut by_ip = HashMap::new();
        let mut by_name = HashMap::new();
        for asset in &site.assets {
            for ip in addresses(&asset.ip) {
                by_ip.entry(ip).or_insert(asset);
            }
            for name in [&asset.id, &asset.name] {
                if !name.is_empty() {
                    by_name.entry(name.to_lowercase()).or_insert(asset);
                }
            }
        }
        for g in &site.gateways {
            let Some(asset) = g.asset.as_deref().and_then(|id| site.asset(id)) else {
                continue;
            };
            for i in &g.interfaces {
                for ip in &i.addresses {
                    by_ip.entry(ip.to_string()).or_insert(asset);
                }
            }
        }
        LedgerIndex { by_ip, by_name }
    }

    /// The asset a host is: by an address, else by its host name (whole, or the part before the
    /// first dot) as an asset's id or name.
    pub(crate) fn find(&self, host: &DiscoveredHost) -> Option<&'a Asset> {
        host.ips
            .iter()
            .find_map(|ip| self.by_ip.get(ip).copied())
            .or_else(|| {
                host.hostnames.iter().find_map(|n| {
                    let n = n.to_lowercase();
                    let short = n.split('.').next().unwrap_or_default().to_owned();
                    self.by_name
                        .get(&n)
                        .or_else(|| self.by_name.get(&short))
                        .copied()
                })
            })
    }
}

/// The ledger's address cell may hold several (`192.168.1.10, 10.0.0.10`).
fn addresses(cell: &str) -> Vec<String> {
    cell.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .filter(|s| s.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_owned)
        .collect()
}
