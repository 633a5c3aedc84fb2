//! The gateway facts of a PAN-OS configuration tree (`panos`).
//!
//! - Interfaces: the management port (`deviceconfig system ip-address`) and the layer-3
//!   Ethernet interfaces and subinterfaces. One faces the internet when its zone is named for
//!   it (`untrust`, `outside`, `internet`, `wan`…), it is the exit of a default route in a
//!   virtual router, it gets its address by DHCP or PPPoE, or — last resort — it has a public
//!   address.
//! - Management: the management port's services (HTTPS and SSH unless disabled, HTTP and
//!   Telnet when enabled) restricted by `permitted-ip`; on a data interface, what its
//!   `interface-management-profile` allows, restricted by the profile's `permitted-ip`.
//! - Administrators (`mgt-config users`): restricted per device, not per account; MFA from
//!   their authentication profile (a RADIUS/SAML/LDAP server: unknown; `multi-factor-auth`:
//!   configured; the local database: none).
//! - GlobalProtect portals and gateways and the authentication profiles users log in with.
//! - Log destinations: syslog servers of profiles that some log forwarding sends to, Panorama.
//! - TLS: SSL/TLS service profiles allowing TLS 1.0 or 1.1.

use std::net::IpAddr;

use mamori_model::gateway::{
    Admin, ConfigFormat, Firmware, Gateway, Interface, Management, Mfa, MgmtService, Network,
    Trust, VpnListener, VpnPrincipal, WanReason, is_public,
};

use super::panos::{Node, PanosConfig};

/// The name of the management port among the interfaces.
const MGT: &str = "management";

/// The gateway facts of a parsed configuration.
pub fn gateway(file: &str, config: &PanosConfig) -> Gateway {
    let mut g = Gateway::new(file, ConfigFormat::PanOs);
    g.problems = config.problems.clone();
    let empty = Node::default();
    let device = config.root.entries(&["devices"]).next().unwrap_or(&empty);
    let vsys: Vec<&Node> = device.entries(&["vsys"]).collect();
    g.firmware = firmware(config);
    if let Some(h) = device.path(&["deviceconfig", "system", "hostname"]) {
        g.hostname = h.text.clone();
        g.origin_line = h.line;
    }
    read_interfaces(config, device, &vsys, &mut g);
    read_management(config, device, &mut g);
    read_admins(config, device, &mut g);
    read_globalprotect(config, device, &vsys, &mut g);
    read_logging(config, device, &mut g);
    read_tls(config, device, &mut g);
    super::keep_public_address_as_last_resort(&mut g.interfaces);
    g
}

/// `detail-version` is the exact release; the `version` attribute is the configuration's
/// schema (major.minor.0): only part of the version.
fn firmware(config: &PanosConfig) -> Option<Firmware> {
    let mut sw = Vec::new();
    config.root.descendants("sw-version", &mut sw);
    let (version, partial, line) = if let Some(v) = &config.detail_version {
        (v.clone(), false, 1)
    } else if let Some(n) = sw.first().filter(|n| !n.text.is_empty()) {
        (n.text.clone(), false, n.line)
    } else {
        let v = config.version.as_ref()?;
        let major_minor: Vec<&str> = v.split('.').take(2).collect();
        (major_minor.join("."), true, 1)
    };
    Some(Firmware {
        version,
        partial,
        build: None,
        line: config.cite(line),
    })
}

fn read_interfaces(config: &PanosConfig, device: &Node, vsys: &[&Node], g: &mut Gateway) {
    if let Some(ip) = device.path(&["deviceconfig", "system", "ip-address"]) {
        let addresses: Vec<IpAddr> = ip.text.parse().into_iter().collect();
        let wan = addresses
            .iter()
            .any(|a| is_public(*a))
            .then_some(WanReason::PublicAddress);
        g.interfaces.push(Interface {
            name: MGT.into(),
            detail: "MGT".into(),
            addresses,
            wan: wan.into_iter().collect(),
            line: config.cite(ip.line),
        });
    }
    for port in layer3_ports(device) {
        let Some(name) = port.name.clone() else {
            continue;
        };
        let l3 = port.child("layer3").unwrap_or(port);
        let mut wan = Vec::new();
        let addresses: Vec<IpAddr> = l3
            .entries(&["ip"])
            .filter_map(|e| e.name.as_deref())
            .filter_map(|a| a.split('/').next()?.parse().ok())
            .collect();
        if l3.child("dhcp-client").is_some()
            || l3
                .path(&["pppoe"])
                .is_some_and(|p| p.flag(&["enable"]) != Some(false))
        {
            wan.push(WanReason::ProviderAddress);
        }
        if addresses.iter().any(|a| is_public(*a)) {
            wan.push(WanReason::PublicAddress);
        }
        g.interfaces.push(Interface {
            name,
            detail: String::new(),
            addresses,
            wan,
            line: config.cite(port.line),
        });
    }
    for v in vsys {
        for zone in v.entries(&["zone"]) {
            let zone_name = zone.name.clone().unwrap_or_default();
            let outside = outside_zone(&zone_name);
            for member in zone.members(&["network", "layer3"]) {
                if let Some(i) = g.interfaces.iter_mut().find(|i| i.name == member) {
                    i.detail = format!("zone {zone_name}");
                    if outside {
                        i.wan.push(WanReason::Name);
                    }
                }
            }
        }
    }
    for router in device.entries(&["network", "virtual-router"]) {
        for route in router.entries(&["routing-table", "ip", "static-route"]) {
            if route.text_at(&["destination"]) != Some("0.0.0.0/0") {
                continue;
            }
            if let Some(exit) = route.text_at(&["interface"])
                && let Some(i) = g.interfaces.iter_mut().find(|i| i.name == exit)
            {
                i.wan.push(WanReason::DefaultRoute);
            }
        }
    }
}

/// The Ethernet and aggregate interfaces and their layer-3 subinterfaces (`units`).
fn layer3_ports(device: &Node) -> Vec<&Node> {
    let mut ports = Vec::new();
    for kind in ["ethernet", "aggregate-ethernet"] {
        for port in device.entries(&["network", "interface", kind]) {
            ports.push(port);
            ports.extend(port.entries(&["layer3", "units"]));
        }
    }
    ports
}

/// Zone names people give the internet side.
fn outside_zone(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["untrust", "outside", "internet", "wan", "external", "isp"]
        .iter()
        .any(|w| n.contains(w))
}

fn read_management(config: &PanosConfig, device: &Node, g: &mut Gateway) {
    let system = device.path(&["deviceconfig", "system"]);
    if let Some(system) = system.filter(|_| g.interface(MGT).is_some()) {
        let allowed = permitted(system);
        // Enabled unless disabled: HTTPS and SSH; enabled only when said: HTTP and Telnet.
        for (service, tag, default_on) in [
            (MgmtService::Https, "disable-https", true),
            (MgmtService::Ssh, "disable-ssh", true),
            (MgmtService::Http, "disable-http", false),
            (MgmtService::Telnet, "disable-telnet", false),
        ] {
            let disabled = system.path(&["service", tag]);
            let on = disabled
                .and_then(|d| match d.text.as_str() {
                    "yes" => Some(false),
                    "no" => Some(true),
                    _ => None,
                })
                .unwrap_or(default_on);
            if !on {
                continue;
            }
            let mut lines = vec![config.cite(system.line)];
            lines.extend(disabled.map(|d| config.cite(d.line)));
            lines.extend(allowed.1.iter().map(|&l| config.cite(l)));
            g.management.push(Management {
                service,
                interface: MGT.into(),
                allowed: allowed.0.clone(),
                lines,
            });
        }
    }
    for port in layer3_ports(device) {
        let l3 = port.child("layer3").unwrap_or(port);
        let (Some(name), Some(profile_name)) = (
            port.name.as_deref(),
            l3.text_at(&["interface-management-profile"]),
        ) else {
            continue;
        };
        let Some(profile) = device.entry(
            &["network", "profiles", "interface-management-profile"],
            profile_name,
        ) else {
            continue;
        };
        let allowed = permitted(profile);
        for (service, tag) in [
            (MgmtService::Https, "https"),
            (MgmtService::Http, "http"),
            (MgmtService::Ssh, "ssh"),
            (MgmtService::Telnet, "telnet"),
        ] {
            let Some(on) = profile.child(tag).filter(|n| n.text == "yes") else {
                continue;
            };
            let mut lines = vec![config.cite(port.line), config.cite(on.line)];
            lines.extend(allowed.1.iter().map(|&l| config.cite(l)));
            g.management.push(Management {
                service,
                interface: name.to_owned(),
                allowed: allowed.0.clone(),
                lines,
            });
        }
    }
}

/// The `permitted-ip` entries under `node`: the networks (`None` when there are none: anyone)
/// and their lines. An entry that is not an address (an address object, whose members the
/// configuration keeps elsewhere) is taken as a narrow restriction.
fn permitted(node: &Node) -> (Option<Vec<Network>>, Vec<u64>) {
    let entries: Vec<&Node> = node.entries(&["permitted-ip"]).collect();
    if entries.is_empty() {
        return (None, Vec::new());
    }
    let nets = entries
        .iter()
        .map(|e| {
            let text = e.name.as_deref().unwrap_or("");
            network(text).unwrap_or(Network {
                addr: IpAddr::from([0, 0, 0, 0]),
                prefix: 32,
            })
        })
        .collect();
    (Some(nets), entries.iter().map(|e| e.line).collect())
}

fn network(text: &str) -> Option<Network> {
    let (addr, prefix) = text.split_once('/').unwrap_or((text, ""));
    let addr: IpAddr = addr.parse().ok()?;
    let prefix = match (prefix, addr) {
        ("", IpAddr::V4(_)) => 32,
        ("", IpAddr::V6(_)) => 128,
        (p, _) => p.parse().ok()?,
    };
    Some(Network { addr, prefix })
}

/// An authentication profile (device or shared) by name.
fn auth_profile<'a>(config: &'a PanosConfig, device: &'a Node, name: &str) -> Option<&'a Node> {
    device
        .entry(&["deviceconfig", "authentication-profile"], name)
        .or_else(|| {
            config
                .root
                .entry(&["shared", "authentication-profile"], name)
        })
        .or_else(|| {
            device
                .entries(&["vsys"])
                .find_map(|v| v.entry(&["authentication-profile"], name))
        })
}

/// What a login through this authentication profile needs besides a password.
fn profile_mfa(config: &PanosConfig, device: &Node, name: &str) -> Mfa {
    let Some(profile) = auth_profile(config, device, name) else {
        return Mfa::Unknown(name.to_owned());
    };
    if profile.flag(&["multi-factor-auth", "mfa-enable"]) == Some(true) {
        return Mfa::Configured(format!("multi-factor-auth ({name})"));
    }
    let method = profile
        .child("method")
        .and_then(|m| m.children.first())
        .map(|m| m.tag.clone());
    match method.as_deref() {
        None | Some("local-database") | Some("none") => Mfa::None,
        Some(server) => {
            let profile_name = profile
                .path(&["method", server, "server-profile"])
                .map(|s| s.text.clone())
                .filter(|s| !s.is_empty());
            Mfa::Unknown(format!(
                "{}{}",
                server.to_uppercase(),
                profile_name.map(|p| format!(" {p}")).unwrap_or_default()
            ))
        }
    }
}

fn read_admins(config: &PanosConfig, device: &Node, g: &mut Gateway) {
    for user in config.root.entries(&["mgt-config", "users"]) {
        let Some(name) = user.name.clone() else {
            continue;
        };
        let mut lines = vec![config.cite(user.line)];
        let profile = user.child("authentication-profile");
        let mfa = match profile {
            Some(p) => {
                lines.push(config.cite(p.line));
                profile_mfa(config, device, &p.text)
            }
            None => Mfa::None,
        };
        let hash = user.child("phash");
        if let Some(h) = hash {
            lines.push(config.cite(h.line));
        }
        g.admins.push(Admin {
            name,
            trust: Trust::DeviceWide,
            mfa,
            has_password: hash.is_some_and(|h| !h.text.is_empty()) || profile.is_some(),
            lines,
        });
    }
}

fn read_globalprotect(config: &PanosConfig, device: &Node, vsys: &[&Node], g: &mut Gateway) {
    for v in vsys {
        for (kind, list, config_path) in [
            (
                "GlobalProtect portal",
                "global-protect-portal",
                &["portal-config"][..],
            ),
            ("GlobalProtect gateway", "global-protect-gateway", &[][..]),
        ] {
            for entry in v.entries(&["global-protect", list]) {
                let settings = entry.path(config_path).unwrap_or(entry);
                let interface = settings
                    .text_at(&["local-address", "interface"])
                    .map(str::to_owned);
                let mut lines = vec![config.cite(entry.line)];
                if let Some(i) = settings.path(&["local-address", "interface"]) {
                    lines.push(config.cite(i.line));
                }
                g.vpn.push(VpnListener {
                    kind: kind.to_owned(),
                    interfaces: interface.into_iter().collect(),
                    port: None,
                    any_source: true,
                    lines: lines.clone(),
                });
                for auth in settings.entries(&["client-auth"]) {
                    let Some(profile) = auth.path(&["authentication-profile"]) else {
                        continue;
                    };
                    let mfa = match profile_mfa(config, device, &profile.text) {
                        // A client certificate required beside the password is a second factor.
                        Mfa::None if settings.text_at(&["certificate-profile"]).is_some() => {
                            Mfa::Configured("client certificate".into())
                        }
                        m => m,
                    };
                    g.vpn_principals.push(VpnPrincipal {
                        name: profile.text.clone(),
                        kind: "auth-profile",
                        via: format!("{kind} {}", entry.name.as_deref().unwrap_or("")),
                        mfa,
                        lines: vec![config.cite(auth.line), config.cite(profile.line)],
                    });
                }
            }
        }
    }
}

fn read_logging(config: &PanosConfig, device: &Node, g: &mut Gateway) {
    let mut sends = Vec::new();
    config.root.descendants("send-syslog", &mut sends);
    let used: Vec<&str> = sends.iter().flat_map(|s| s.members(&[])).collect();
    let mut profiles: Vec<&Node> = config
        .root
        .entries(&["shared", "log-settings", "syslog"])
        .collect();
    for v in device.entries(&["vsys"]) {
        profiles.extend(v.entries(&["log-settings", "syslog"]));
    }
    for profile in profiles {
        if !profile.name.as_deref().is_some_and(|n| used.contains(&n)) {
            continue;
        }
        for server in profile.entries(&["server"]) {
            let line = server.path(&["server"]).map_or(server.line, |s| s.line);
            g.log_destinations.push(config.cite(line));
        }
    }
    let mut panorama = Vec::new();
    if let Some(system) = device.path(&["deviceconfig", "system"]) {
        system.descendants("panorama-server", &mut panorama);
    }
    g.log_destinations.extend(
        panorama
            .iter()
            .filter(|p| !p.text.is_empty())
            .map(|p| config.cite(p.line)),
    );
}

fn read_tls(config: &PanosConfig, device: &Node, g: &mut Gateway) {
    let mut profiles: Vec<&Node> = config
        .root
        .entries(&["shared", "ssl-tls-service-profile"])
        .collect();
    for v in device.entries(&["vsys"]) {
        profiles.extend(v.entries(&["ssl-tls-service-profile"]));
    }
    for p in profiles {
        if let Some(min) = p.path(&["protocol-settings", "min-version"])
            && matches!(min.text.as_str(), "tls1-0" | "tls1-1")
        {
            g.weak_tls.push(config.cite(min.line));
        }
    }
}
