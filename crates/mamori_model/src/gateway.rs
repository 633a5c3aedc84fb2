//! What a gateway's configuration backup says, vendor-neutral: the facts the `gateway.*` checks
//! judge. The vendor parsers (`mamori_ingest::configs`) fill it; every fact keeps the lines
//! that prove it, already masked, so a finding can quote them.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

/// One configuration line as evidence; secrets in it are already replaced by `********`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConfigLine {
    /// 1-based line number in the file.
    pub line: u64,
    /// The line as written, secrets masked.
    pub text: String,
}

impl ConfigLine {
    /// A line of evidence (`text` already masked).
    pub fn new(line: u64, text: impl Into<String>) -> Self {
        Self {
            line,
            text: text.into(),
        }
    }
}

/// The configuration formats mamori reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigFormat {
    /// Fortinet FortiOS (FortiGate) `show full-configuration` backups.
    Fortios,
    /// Cisco ASA `show running-config`.
    CiscoAsa,
    /// YAMAHA RTX `show config` or a saved config file.
    YamahaRtx,
    /// Palo Alto PAN-OS: the XML running configuration or the `set` command form.
    PanOs,
}

impl ConfigFormat {
    /// The format's name in JSON and `--format`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigFormat::Fortios => "fortios",
            ConfigFormat::YamahaRtx => "yamaha-rtx",
            ConfigFormat::CiscoAsa => "cisco-asa",
            ConfigFormat::PanOs => "panos",
        }
    }

    /// The product as a ledger would name it.
    pub fn product(self) -> &'static str {
        match self {
            ConfigFormat::Fortios => "FortiGate",
            ConfigFormat::YamahaRtx => "YAMAHA RTX",
            ConfigFormat::CiscoAsa => "Cisco ASA",
            ConfigFormat::PanOs => "Palo Alto PAN-OS",
        }
    }
}

/// A gateway (firewall / VPN device) as its configuration describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gateway {
    /// The file as given (relative to the site folder when read from one).
    pub file: String,
    /// Which vendor's format it was read as.
    pub format: ConfigFormat,
    /// `FGT60E`, `ASA5515`; empty when the file does not say.
    pub model: String,
    /// The device's host name: how people know it, and how it is tied to the 機器台帳.
    pub hostname: String,
    /// The serial number: ties the backup to its ledger row.
    pub serial: String,
    /// The firmware the backup was taken from: what vulnerability matching needs.
    pub firmware: Option<Firmware>,
    /// Its interfaces, with why each is taken to face the internet.
    pub interfaces: Vec<Interface>,
    /// Management services and where they listen.
    pub management: Vec<Management>,
    /// Its administrator accounts.
    pub admins: Vec<Admin>,
    /// Remote-access VPN portals (FortiGate SSL-VPN, ASA WebVPN/AnyConnect, RTX L2TP/IPsec,
    /// PAN-OS GlobalProtect).
    pub vpn: Vec<VpnListener>,
    /// Who can log in to the VPN, and with what.
    pub vpn_principals: Vec<VpnPrincipal>,
    /// Settings that allow TLS below 1.2 (or SSL).
    pub weak_tls: Vec<ConfigLine>,
    /// Remote log destinations (syslog, FortiAnalyzer, …) that are switched on.
    pub log_destinations: Vec<ConfigLine>,
    /// Lines that could not be read; the checks still run on what could.
    pub problems: Vec<ConfigLine>,
    /// The ledger asset this configuration belongs to, once linked (asset id).
    pub asset: Option<String>,
    /// Line where the file starts (first line), for findings about the whole device.
    pub origin_line: u64,
}

impl Gateway {
    /// A gateway with nothing known yet but its file and format; the readers fill in the rest.
    pub fn new(file: impl Into<String>, format: ConfigFormat) -> Self {
        Self {
            file: file.into(),
            format,
            model: String::new(),
            hostname: String::new(),
            serial: String::new(),
            firmware: None,
            interfaces: Vec::new(),
            management: Vec::new(),
            admins: Vec::new(),
            vpn: Vec::new(),
            vpn_principals: Vec::new(),
            weak_tls: Vec::new(),
            log_destinations: Vec::new(),
            problems: Vec::new(),
            asset: None,
            origin_line: 1,
        }
    }

    /// The interface with this name.
    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
    }

    /// Does this interface face the internet (see [`WanReason`])?
    pub fn is_wan(&self, name: &str) -> bool {
        self.interface(name).is_some_and(Interface::is_wan)
    }

    /// A name for people: hostname, else the file name.
    pub fn label(&self) -> String {
        if self.hostname.is_empty() {
            self.file.clone()
        } else {
            self.hostname.clone()
        }
    }
}

/// Firmware as the configuration states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Firmware {
    /// As the vendor writes it: `7.0.14`, `9.16(4)85`.
    pub version: String,
    /// Only part of the version is known (FortiOS `v6` headers, `5.02`).
    pub partial: bool,
    /// The build number, when given (FortiOS `build1234`).
    pub build: Option<String>,
    /// The line that states it.
    pub line: ConfigLine,
}

/// A network interface and whether it faces the internet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interface {
    /// Its name in the configuration (`wan1`, `outside`).
    pub name: String,
    /// FortiOS VDOM or ASA hardware port, when it helps a person find it.
    pub detail: String,
    /// Its addresses.
    pub addresses: Vec<IpAddr>,
    /// Why mamori takes this interface to face the internet; empty when it does not.
    pub wan: Vec<WanReason>,
    /// The line that defines it.
    pub line: ConfigLine,
}

impl Interface {
    /// Faces the internet for at least one reason.
    pub fn is_wan(&self) -> bool {
        !self.wan.is_empty()
    }
}

/// How mamori decides that an interface faces the internet. Any one reason is enough; all
/// are kept so a report can say why. (docs/gateway.md explains each.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WanReason {
    /// FortiOS `set role wan`.
    Role,
    /// The device of a default route (`0.0.0.0/0`).
    DefaultRoute,
    /// Address from the provider: DHCP or PPPoE.
    ProviderAddress,
    /// A member of SD-WAN (FortiOS `system sdwan` / `virtual-wan-link`).
    SdWan,
    /// Cisco ASA `security-level 0`.
    SecurityLevelZero,
    /// Named for it: ASA `nameif outside`, FortiGate's factory `wan`/`wan1`/`wan2` ports
    /// (whose `role wan` is a default and so absent from backups).
    Name,
    /// A public (globally routable) address.
    PublicAddress,
}

impl WanReason {
    /// Why, in words for a report.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::tr;
        match self {
            WanReason::Role => tr(lang, "role wan の設定", "role wan"),
            WanReason::DefaultRoute => tr(lang, "デフォルトルートの出口", "default route"),
            WanReason::ProviderAddress => tr(
                lang,
                "DHCP/PPPoE でアドレスを取得",
                "address from DHCP/PPPoE",
            ),
            WanReason::SdWan => tr(lang, "SD-WAN のメンバー", "SD-WAN member"),
            WanReason::SecurityLevelZero => tr(lang, "security-level 0", "security-level 0"),
            WanReason::Name => tr(lang, "インターフェース名", "interface name"),
            WanReason::PublicAddress => tr(lang, "グローバル IP アドレス", "public address"),
        }
    }
}

/// Management protocols mamori looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MgmtService {
    /// The web GUI over TLS.
    Https,
    /// The web GUI without encryption.
    Http,
    /// SSH.
    Ssh,
    /// Telnet: passwords in the clear.
    Telnet,
    /// FortiManager tunnel (fgfmd, CVE-2024-23113).
    Fgfm,
}

impl fmt::Display for MgmtService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MgmtService::Https => "HTTPS",
            MgmtService::Http => "HTTP",
            MgmtService::Ssh => "SSH",
            MgmtService::Telnet => "Telnet",
            MgmtService::Fgfm => "FGFM",
        })
    }
}

/// A management service reachable on an interface.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Management {
    /// Which protocol.
    pub service: MgmtService,
    /// The interface it listens on.
    pub interface: String,
    /// Networks allowed to connect; `None` when the interface accepts everyone (FortiOS
    /// `allowaccess`: trusted hosts restrict logins, not the listening service).
    pub allowed: Option<Vec<Network>>,
    /// The lines that enable or restrict it.
    pub lines: Vec<ConfigLine>,
}

impl Management {
    /// Reachable from anywhere, or from networks of at least /16 ([`Network::is_broad`]).
    pub fn open_to_internet(&self) -> bool {
        self.allowed
            .as_ref()
            .is_none_or(|nets| nets.iter().any(Network::is_broad))
    }

    /// Reachable from any address at all (`0.0.0.0/0`, or no restriction).
    pub fn open_to_anyone(&self) -> bool {
        self.allowed
            .as_ref()
            .is_none_or(|nets| nets.iter().any(|n| n.prefix == 0))
    }
}

/// An address and prefix length (`0.0.0.0/0` is anyone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Network {
    /// The network's address.
    pub addr: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

impl Network {
    /// 65,536 addresses or more: not a restriction to a known partner.
    pub fn is_broad(&self) -> bool {
        match self.addr {
            IpAddr::V4(_) => self.prefix <= 16,
            IpAddr::V6(_) => self.prefix <= 32,
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// An administrator account of the device.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Admin {
    /// The login name.
    pub name: String,
    /// Where it may log in from.
    pub trust: Trust,
    /// Whether a login needs a second factor.
    pub mfa: Mfa,
    /// `false` when the backup shows no password at all (FortiOS: an empty password).
    pub has_password: bool,
    /// The account definition and the lines that bear on it.
    pub lines: Vec<ConfigLine>,
}

/// Where an administrator may log in from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "lines")]
pub enum Trust {
    /// No restriction on this account.
    Anywhere,
    /// Restricted to trusted hosts (the lines that say so).
    Restricted(Vec<ConfigLine>),
    /// The device restricts management per service and interface, not per account (Cisco
    /// ASA `http`/`ssh` lines); `gateway.admin-exposed` judges those.
    DeviceWide,
}

/// Whether a login needs more than a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum Mfa {
    /// A password alone.
    None,
    /// A second factor is configured (`fortitoken`, `email`, a certificate…).
    Configured(String),
    /// Delegated to a RADIUS/LDAP/SAML/TACACS+ server: the device cannot tell (the server name).
    Unknown(String),
}

/// A remote-access VPN portal and where it listens.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VpnListener {
    /// `SSL-VPN`, `AnyConnect/WebVPN`.
    pub kind: String,
    /// The interfaces it listens on.
    pub interfaces: Vec<String>,
    /// The port, when not the default.
    pub port: Option<u16>,
    /// No source-address restriction.
    pub any_source: bool,
    /// The lines that define it.
    pub lines: Vec<ConfigLine>,
}

/// Someone (a user, a group reached through a server, an ASA tunnel group) who can log in to
/// the VPN.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VpnPrincipal {
    /// The user, group or tunnel group name.
    pub name: String,
    /// `user`, `remote-server`, `tunnel-group`.
    pub kind: &'static str,
    /// The group or rule through which it reaches the VPN.
    pub via: String,
    /// Whether its login needs a second factor.
    pub mfa: Mfa,
    /// The lines that define it.
    pub lines: Vec<ConfigLine>,
}

/// RFC 1918, CGNAT, loopback, link-local, unique-local and other non-global addresses.
/// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) count as public:
/// sanitised configurations use them in place of the real public address.
pub fn is_public(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b))
                || a == 0
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linked_configuration_gives_the_version_to_match() {
        use crate::site::{Asset, Site};
        let asset = Asset {
            id: "FW-01".into(),
            version: "7.0.12".into(),
            ..Asset::default()
        };
        let firmware = |version: &str, partial| Firmware {
            version: version.into(),
            partial,
            build: None,
            line: ConfigLine::new(1, "#config-version=…"),
        };
        let mut g = Gateway::new("configs/FW-01.conf", ConfigFormat::Fortios);
        g.firmware = Some(firmware("7.0.9", false));
        let mut site = Site {
            assets: vec![asset.clone()],
            gateways: vec![g],
            ..Site::default()
        };
        assert_eq!(site.effective_version(&asset), "7.0.12", "not linked yet");
        site.gateways[0].asset = Some("FW-01".into());
        assert_eq!(site.effective_version(&asset), "7.0.9");
        // A header that gives only part of the version does not override the ledger.
        site.gateways[0].firmware = Some(firmware("6", true));
        assert_eq!(site.effective_version(&asset), "7.0.12");
    }

    #[test]
    fn public_addresses() {
        for private in [
            "10.1.2.3",
            "172.16.19.2",
            "192.168.1.1",
            "100.64.0.1",
            "fe80::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["203.0.113.2", "40.40.40.1", "8.8.8.8", "2001:db8::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn broad_networks() {
        let net = |s: &str, prefix| Network {
            addr: s.parse().unwrap(),
            prefix,
        };
        let any = Management {
            service: MgmtService::Ssh,
            interface: "outside".into(),
            allowed: Some(vec![net("0.0.0.0", 0)]),
            lines: vec![],
        };
        assert!(any.open_to_anyone() && any.open_to_internet());
        let host = Management {
            allowed: Some(vec![net("198.51.100.7", 32)]),
            ..any.clone()
        };
        assert!(!host.open_to_anyone() && !host.open_to_internet());
        let slash8 = Management {
            allowed: Some(vec![net("10.0.0.0", 8)]),
            ..any
        };
        assert!(!slash8.open_to_anyone() && slash8.open_to_internet());
    }
}
