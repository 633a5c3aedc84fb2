//! Devices found on the network by a scan (nmap's XML output in the site folder's `scans/`):
//! what answers, at which address, with which services — to be compared with the 機器台帳,
//! because a device nobody listed is a device nobody patches.

use jiff::Timestamp;
use serde::Serialize;

/// One host a scan found up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiscoveredHost {
    /// The scan file it came from (relative to the site folder).
    pub file: String,
    /// Line of the `<host>` element in that file.
    pub line: u64,
    /// When the scan ran (`<nmaprun start>`), if it says.
    pub scanned_at: Option<Timestamp>,
    /// IPv4 and IPv6 addresses.
    pub ips: Vec<String>,
    /// The MAC address (only seen on the scanner's own network segment).
    pub mac: String,
    /// The network card's maker as nmap names it from the MAC prefix.
    pub mac_vendor: String,
    /// Host names: given on the command line or found by reverse DNS.
    pub hostnames: Vec<String>,
    /// Open ports with what answered on them.
    pub ports: Vec<OpenPort>,
    /// nmap's best operating-system guess, if it made one.
    pub os: String,
}

/// One open port.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OpenPort {
    /// `tcp` or `udp`.
    pub protocol: String,
    /// The port number.
    pub port: u16,
    /// The service nmap names (`ssh`, `ms-wbt-server`…), from its probe or its port table.
    pub service: String,
    /// Product and version when service detection (`-sV`) recognised them.
    pub product: String,
    /// The product's version.
    pub version: String,
}

/// Services that let someone log on to a device or take its files: reachable on an unlisted
/// device, they make it urgent. Each with its usual port and nmap's service names, so that SSH
/// moved to another port is still SSH.
pub const REMOTE_ACCESS: &[(&str, u16, &[&str])] = &[
    ("FTP", 21, &["ftp"]),
    ("SSH", 22, &["ssh"]),
    ("Telnet", 23, &["telnet"]),
    ("NetBIOS", 139, &["netbios-ssn"]),
    ("SMB", 445, &["microsoft-ds", "smb"]),
    ("RDP", 3389, &["ms-wbt-server", "rdp"]),
    ("VNC", 5900, &["vnc"]),
    ("WinRM", 5985, &["wsman", "winrm"]),
];

/// Services that send passwords and data unencrypted: Telnet and FTP.
pub const CLEARTEXT: &[(&str, u16, &[&str])] =
    &[("Telnet", 23, &["telnet"]), ("FTP", 21, &["ftp"])];

impl DiscoveredHost {
    /// A name for people: the first host name, else the first address, else the MAC.
    pub fn label(&self) -> String {
        self.hostnames
            .first()
            .or(self.ips.first())
            .cloned()
            .unwrap_or_else(|| self.mac.clone())
    }

    /// The remote-access services ([`REMOTE_ACCESS`]) open on it, by name, each once.
    pub fn remote_access(&self) -> Vec<&'static str> {
        self.services_in(REMOTE_ACCESS)
    }

    /// The services of `table` (name, usual port, nmap's names) open on it over TCP, each once:
    /// by nmap's service name, or by the usual port when nmap names none.
    pub fn services_in(&self, table: &[(&'static str, u16, &[&str])]) -> Vec<&'static str> {
        let mut found: Vec<&'static str> = Vec::new();
        for p in self.ports.iter().filter(|p| p.protocol == "tcp") {
            let service = p.service.to_ascii_lowercase();
            let hit = table.iter().find(|(_, port, names)| {
                names.contains(&service.as_str())
                    || (*port == p.port && (service.is_empty() || service == "unknown"))
            });
            if let Some((name, _, _)) = hit
                && !found.contains(name)
            {
                found.push(name);
            }
        }
        found
    }
}
