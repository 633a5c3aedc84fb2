//! A Cisco ASA configuration → [`Gateway`] facts.
//!
//! Management access on an ASA is granted per service, network and interface (`http NET MASK
//! IF` — only with `http server enable` —, `ssh …`, `telnet …`), not per account; local users
//! (`username`) have no second factor of their own, so MFA depends on the `aaa authentication`
//! server group. WebVPN/AnyConnect listens on each `webvpn` → `enable IF`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use mamori_model::gateway::{
    Admin, ConfigFormat, ConfigLine, Firmware, Gateway, Interface, Management, Mfa, MgmtService,
    Network, Trust, VpnListener, VpnPrincipal, WanReason, is_public,
};

use super::asa::{AsaConfig, Command};
use super::{keep_public_address_as_last_resort, mask_prefix};

pub fn gateway(file: &str, config: &AsaConfig) -> Gateway {
    let mut g = Gateway::new(file, ConfigFormat::CiscoAsa);
    g.model = config.hardware.clone().unwrap_or_default();
    g.serial = config.serial.clone().unwrap_or_default();
    if let Some((version, line)) = &config.version {
        g.origin_line = *line;
        g.firmware = Some(Firmware {
            version: version.clone(),
            partial: false,
            build: None,
            line: ConfigLine::new(*line, format!("ASA Version {version}")),
        });
    }
    if let Some(host) = config.top(&["hostname"]).next().and_then(|c| c.word(1)) {
        g.hostname = host.to_owned();
    }
    read_interfaces(config, &mut g);
    read_management(config, &mut g);
    read_admins(config, &mut g);
    read_webvpn(config, &mut g);
    for c in config.top(&["ssl", "server-version"]) {
        let version = c.word(2).unwrap_or_default().to_ascii_lowercase();
        if matches!(version.as_str(), "any" | "sslv3" | "tlsv1" | "tlsv1.1") {
            g.weak_tls.push(cited(c));
        }
    }
    if config.top(&["logging", "enable"]).next().is_some() {
        g.log_destinations = config.top(&["logging", "host"]).map(cited).collect();
    }
    g
}

fn cited(c: &Command) -> ConfigLine {
    ConfigLine::new(c.line, c.text())
}

fn read_interfaces(config: &AsaConfig, g: &mut Gateway) {
    let default_routes: Vec<&str> = config
        .top(&["route"])
        .filter(|c| {
            let (Some(addr), Some(mask)) = (c.word(2), c.word(3)) else {
                return false;
            };
            (addr == "0.0.0.0" || addr == "0") && mask_prefix(mask) == Some(0)
        })
        .filter_map(|c| c.word(1))
        .collect();
    for c in config.top(&["interface"]) {
        let shutdown = c.sub(&["shutdown"]).next().is_some();
        let Some(nameif) = c.sub(&["nameif"]).next().and_then(|n| n.word(1)) else {
            continue;
        };
        if shutdown {
            continue;
        }
        let mut wan = Vec::new();
        let level = c.sub(&["security-level"]).next().and_then(|s| s.word(1));
        if level == Some("0") {
            wan.push(WanReason::SecurityLevelZero);
        }
        if nameif.eq_ignore_ascii_case("outside") {
            wan.push(WanReason::Name);
        }
        if default_routes
            .iter()
            .any(|r| r.eq_ignore_ascii_case(nameif))
        {
            wan.push(WanReason::DefaultRoute);
        }
        let ip = c.sub(&["ip", "address"]).next();
        if ip.is_some_and(|ip| matches!(ip.word(2), Some("dhcp" | "pppoe"))) {
            wan.push(WanReason::ProviderAddress);
        }
        let addresses: Vec<IpAddr> = ip
            .and_then(|ip| ip.word(2))
            .and_then(|a| a.parse().ok())
            .into_iter()
            .collect();
        if addresses.iter().any(|a| is_public(*a)) {
            wan.push(WanReason::PublicAddress);
        }
        g.interfaces.push(Interface {
            name: nameif.to_owned(),
            detail: c.word(1).unwrap_or_default().to_owned(),
            addresses,
            wan,
            line: cited(c),
        });
    }
    keep_public_address_as_last_resort(&mut g.interfaces);
}

/// `http|ssh|telnet NET MASK IF` or `… NET/LEN IF` (IPv6) → the network.
fn network(c: &Command) -> Option<(Network, &str)> {
    let (addr, rest) = (c.word(1)?, &c.words[2..]);
    if let Some((a, len)) = addr.split_once('/') {
        let network = Network {
            addr: a.parse().ok()?,
            prefix: len.parse().ok()?,
        };
        return Some((network, rest.first()?));
    }
    let addr: IpAddr = if addr == "0" {
        IpAddr::from([0, 0, 0, 0])
    } else {
        addr.parse().ok()?
    };
    let prefix = mask_prefix(rest.first()?)?;
    Some((Network { addr, prefix }, rest.get(1)?))
}

fn read_management(config: &AsaConfig, g: &mut Gateway) {
    let http_server = config.top(&["http", "server", "enable"]).next();
    let mut by_service: BTreeMap<(MgmtService, String), Management> = BTreeMap::new();
    for c in &config.commands {
        let service = match c.word(0) {
            Some("http") if http_server.is_some() => MgmtService::Https,
            Some("ssh") => MgmtService::Ssh,
            Some("telnet") => MgmtService::Telnet,
            _ => continue,
        };
        let Some((net, interface)) = network(c) else {
            continue; // `ssh timeout 30`, `http redirect …`
        };
        let m = by_service
            .entry((service, interface.to_ascii_lowercase()))
            .or_insert_with(|| Management {
                service,
                interface: interface.to_owned(),
                allowed: Some(Vec::new()),
                lines: http_server
                    .filter(|_| service == MgmtService::Https)
                    .map(cited)
                    .into_iter()
                    .collect(),
            });
        m.allowed.get_or_insert_with(Vec::new).push(net);
        m.lines.push(cited(c));
    }
    g.management.extend(by_service.into_values());
}

/// The server group that checks management logins: `None` for the local database.
fn management_mfa(config: &AsaConfig) -> (Mfa, Vec<ConfigLine>) {
    let mut lines = Vec::new();
    let mut mfa = Mfa::None;
    for c in config.top(&["aaa", "authentication"]) {
        let is_console_login = c.word(3) == Some("console")
            && matches!(c.word(2), Some("ssh" | "http" | "telnet" | "serial"));
        if !is_console_login {
            continue;
        }
        lines.push(cited(c));
        if let Some(group) = c.word(4)
            && !group.eq_ignore_ascii_case("LOCAL")
        {
            mfa = Mfa::Unknown(server_kind(config, group));
        }
    }
    (mfa, lines)
}

/// `ISE (RADIUS)` from `aaa-server ISE protocol radius`.
fn server_kind(config: &AsaConfig, group: &str) -> String {
    config
        .top(&["aaa-server", group, "protocol"])
        .next()
        .and_then(|c| c.word(3))
        .map_or_else(
            || group.to_owned(),
            |p| format!("{group} ({})", p.to_uppercase()),
        )
}

fn read_admins(config: &AsaConfig, g: &mut Gateway) {
    let (mfa, aaa_lines) = management_mfa(config);
    for c in config.top(&["username"]) {
        let Some(name) = c.word(1) else { continue };
        if c.word(2) == Some("attributes") {
            continue;
        }
        // `service-type remote-access` keeps a user out of the CLI and ASDM: a VPN user only.
        let vpn_only = config
            .top(&["username", name, "attributes"])
            .flat_map(|a| a.sub(&["service-type"]))
            .any(|s| s.word(1) == Some("remote-access"));
        if vpn_only {
            continue;
        }
        let mut lines = vec![cited(c)];
        lines.extend(aaa_lines.iter().cloned());
        g.admins.push(Admin {
            name: name.to_owned(),
            trust: Trust::DeviceWide,
            mfa: mfa.clone(),
            has_password: c.word(2) != Some("nopassword"),
            lines,
        });
    }
}

fn read_webvpn(config: &AsaConfig, g: &mut Gateway) {
    let Some(webvpn) = config.top(&["webvpn"]).find(|c| c.words.len() == 1) else {
        return;
    };
    let enabled: Vec<&Command> = webvpn.sub(&["enable"]).collect();
    if enabled.is_empty() {
        return;
    }
    let control_plane: Vec<&str> = config
        .top(&["access-group"])
        .filter(|c| c.words.last().is_some_and(|w| w == "control-plane"))
        .filter_map(|c| c.word(4))
        .collect();
    for e in &enabled {
        let Some(interface) = e.word(1) else { continue };
        let port = webvpn
            .sub(&["port"])
            .next()
            .and_then(|p| p.word(1)?.parse().ok());
        g.vpn.push(VpnListener {
            kind: "AnyConnect/WebVPN".into(),
            interfaces: vec![interface.to_owned()],
            port: port.or(Some(443)),
            any_source: !control_plane
                .iter()
                .any(|i| i.eq_ignore_ascii_case(interface)),
            lines: vec![cited(webvpn), cited(e)],
        });
    }
    read_tunnel_groups(config, g);
}

/// Remote-access tunnel groups and how they authenticate. Without
/// `authentication-server-group` a tunnel group checks the local database: a password alone.
fn read_tunnel_groups(config: &AsaConfig, g: &mut Gateway) {
    let mut names: Vec<(String, ConfigLine)> = config
        .top(&["tunnel-group"])
        .filter(|c| c.word(2) == Some("type") && c.word(3) == Some("remote-access"))
        .filter_map(|c| Some((c.word(1)?.to_owned(), cited(c))))
        .collect();
    // The built-in group that AnyConnect and clientless users land in.
    if !names.iter().any(|(n, _)| n == "DefaultWEBVPNGroup") {
        let mentioned = config.top(&["tunnel-group", "DefaultWEBVPNGroup"]).next();
        if let Some(c) = mentioned {
            names.push(("DefaultWEBVPNGroup".into(), cited(c)));
        } else if names.is_empty()
            && let Some(webvpn) = config.top(&["webvpn"]).next()
        {
            names.push(("DefaultWEBVPNGroup".into(), cited(webvpn)));
        }
    }
    for (name, defined) in names {
        let mut lines = vec![defined];
        let mut mfa = Mfa::None;
        for general in config.top(&["tunnel-group", &name, "general-attributes"]) {
            for c in &general.children {
                if c.starts_with(&["authentication-server-group"])
                    || c.starts_with(&["secondary-authentication-server-group"])
                {
                    lines.push(cited(c));
                    if let Some(group) = c.word(1)
                        && !group.eq_ignore_ascii_case("LOCAL")
                        && !group.eq_ignore_ascii_case("none")
                    {
                        mfa = Mfa::Unknown(server_kind(config, group));
                    }
                }
            }
        }
        for attrs in config.top(&["tunnel-group", &name, "webvpn-attributes"]) {
            for c in attrs.sub(&["authentication"]) {
                lines.push(cited(c));
                if c.words.iter().any(|w| w == "certificate") {
                    mfa = Mfa::Configured(c.words[1..].join(" "));
                }
            }
        }
        g.vpn_principals.push(VpnPrincipal {
            name: name.clone(),
            kind: "tunnel-group",
            // The user database the group checks passwords against.
            via: match &mfa {
                Mfa::None => "LOCAL".into(),
                Mfa::Unknown(server) | Mfa::Configured(server) => server.clone(),
            },
            mfa,
            lines,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configs::asa::parse;

    fn gw(text: &str) -> Gateway {
        gateway("asa.cfg", &parse(text))
    }

    const BASE: &str = "\
ASA Version 9.16(4)85
hostname hosp-asa
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.0.0.1 255.255.255.0
!
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
aaa authentication ssh console LOCAL
username admin password xyz pbkdf2 privilege 15
username vpnuser password abc privilege 0
username vpnuser attributes
 service-type remote-access
";

    #[test]
    fn interfaces_and_admins() {
        let g = gw(BASE);
        assert_eq!(g.hostname, "hosp-asa");
        assert_eq!(g.firmware.as_ref().unwrap().version, "9.16(4)85");
        assert_eq!(
            g.interface("outside").unwrap().wan,
            [
                WanReason::SecurityLevelZero,
                WanReason::Name,
                WanReason::DefaultRoute
            ]
        );
        assert!(!g.is_wan("inside"));
        assert_eq!(
            g.admins.len(),
            1,
            "a remote-access-only user is not an admin"
        );
        assert_eq!(g.admins[0].mfa, Mfa::None);
        assert_eq!(
            g.admins[0].lines[0].text,
            "username admin password ******** pbkdf2 privilege 15"
        );
    }

    #[test]
    fn any_source_versus_single_host() {
        let g = gw(&format!(
            "{BASE}http server enable\nhttp 0.0.0.0 0.0.0.0 outside\nssh 198.51.100.7 255.255.255.255 outside\nssh 0 0 inside\nssh timeout 30\n"
        ));
        let http = &g.management[0];
        assert_eq!(
            (http.service, http.interface.as_str()),
            (MgmtService::Https, "outside")
        );
        assert!(http.open_to_anyone());
        assert_eq!(http.lines[0].text, "http server enable");
        let ssh_outside = g
            .management
            .iter()
            .find(|m| m.service == MgmtService::Ssh && m.interface == "outside")
            .unwrap();
        assert!(!ssh_outside.open_to_internet());
        assert_eq!(g.management.len(), 3);
    }

    #[test]
    fn http_lines_need_the_http_server() {
        let g = gw(&format!("{BASE}http 0.0.0.0 0.0.0.0 outside\n"));
        assert!(g.management.is_empty());
    }

    #[test]
    fn webvpn_and_tunnel_groups() {
        let g = gw(&format!(
            "{BASE}aaa-server ISE protocol radius\nwebvpn\n enable outside\n anyconnect enable\n\
             tunnel-group RA type remote-access\ntunnel-group RA general-attributes\n address-pool P\n\
             tunnel-group LOCALRA type remote-access\n"
        ));
        assert_eq!(g.vpn[0].interfaces, ["outside"]);
        assert!(g.vpn[0].any_source);
        let ra = &g.vpn_principals[0];
        assert_eq!((ra.name.as_str(), &ra.mfa), ("RA", &Mfa::None));
        let with_ise = gw(&format!(
            "{BASE}aaa-server ISE protocol radius\nwebvpn\n enable outside\n\
             tunnel-group RA type remote-access\ntunnel-group RA general-attributes\n authentication-server-group ISE\n"
        ));
        assert_eq!(
            with_ise.vpn_principals[0].mfa,
            Mfa::Unknown("ISE (RADIUS)".into())
        );
    }

    #[test]
    fn logging_needs_logging_enable() {
        let g = gw(&format!("{BASE}logging host inside 10.0.0.5\n"));
        assert!(g.log_destinations.is_empty());
        let g = gw(&format!(
            "{BASE}logging enable\nlogging host inside 10.0.0.5\n"
        ));
        assert_eq!(g.log_destinations[0].text, "logging host inside 10.0.0.5");
    }
}
