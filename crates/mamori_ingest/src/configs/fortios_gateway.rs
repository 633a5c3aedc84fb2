//! A FortiOS configuration tree → [`Gateway`] facts.
//!
//! Backups hold only values that differ from the defaults, so an absent setting means the
//! default: `two-factor` absent is no second factor, `trusthostN` absent is anywhere, `vpn ssl
//! settings` without `source-interface` listens nowhere, `status` absent is enabled.

use std::collections::BTreeMap;
use std::net::IpAddr;

use mamori_model::gateway::{
    Admin, ConfigFormat, ConfigLine, Firmware, Gateway, Interface, Management, Mfa, MgmtService,
    Trust, VpnListener, VpnPrincipal, WanReason, is_public,
};

use super::fortios::{FortiConfig, Node, Setting};
use super::{MASK, keep_public_address_as_last_resort, mask_prefix};

pub fn gateway(file: &str, config: &FortiConfig) -> Gateway {
    let mut g = Gateway::new(file, ConfigFormat::Fortios);
    if let Some(h) = &config.header {
        g.model = h.model.clone();
        g.origin_line = h.line;
        if !h.version.is_empty() {
            g.firmware = Some(Firmware {
                version: h.version.clone(),
                partial: h.version_partial,
                build: h.build.map(|b| format!("{b:04}")),
                line: ConfigLine::new(h.line, &h.text),
            });
        }
    }
    for (_, global) in config.blocks("system global") {
        if let Some(name) = global.get("hostname") {
            g.hostname = name.to_owned();
        }
        weak_admin_tls(global, &mut g.weak_tls);
    }
    read_interfaces(config, &mut g);
    read_admins(config, &mut g);
    read_ssl_vpn(config, &mut g);
    read_log_destinations(config, &mut g);
    g.problems = config
        .problems
        .iter()
        .map(|p| ConfigLine::new(p.line, &p.message))
        .collect();
    g
}

fn line(s: &Setting) -> ConfigLine {
    ConfigLine::new(s.line, s.quoted())
}

/// The line that names `value` among a setting's values. A long list (`set member` of a group of
/// thousands) is quoted as an excerpt naming only that value: quoting the whole line once per
/// member made evidence grow with the square of the members.
fn line_naming(s: &Setting, value: &str) -> ConfigLine {
    const WHOLE_UP_TO: usize = 8;
    if s.values.len() <= WHOLE_UP_TO {
        return line(s);
    }
    let shown = if s.secret { MASK } else { value };
    ConfigLine::new(
        s.line,
        format!("set {} … \"{shown}\" … ({} values)", s.name, s.values.len()),
    )
}

fn edit_line(node: &Node) -> ConfigLine {
    ConfigLine::new(node.line, format!("edit \"{}\"", node.name))
}

fn values<'a>(node: &'a Node, name: &str) -> &'a [String] {
    node.setting(name).map_or(&[], |s| s.values.as_slice())
}

/// `1.2.3.4 255.255.255.0` or `1.2.3.4/24` → the address.
fn address(values: &[String]) -> Option<IpAddr> {
    let first = values.first()?;
    first.split('/').next()?.parse().ok()
}

/// A trusted-host or destination value that means "anywhere".
fn is_any(values: &[String]) -> bool {
    match values {
        [addr, mask] => addr == "0.0.0.0" && mask_prefix(mask) == Some(0),
        [one] => matches!(one.as_str(), "0.0.0.0/0" | "::/0" | "0.0.0.0/0.0.0.0"),
        _ => false,
    }
}

fn read_interfaces(config: &FortiConfig, g: &mut Gateway) {
    let mut default_route = BTreeMap::new();
    for (_, routes) in config.blocks("router static") {
        for route in routes.entries() {
            let dst = values(route, "dst");
            if dst.is_empty() || is_any(dst) {
                for device in values(route, "device") {
                    default_route.insert(device.clone(), ());
                }
            }
        }
    }
    let mut sdwan = BTreeMap::new();
    for path in ["system sdwan", "system virtual-wan-link"] {
        for (_, block) in config.blocks(path) {
            for member in block.block("members").into_iter().flat_map(Node::entries) {
                for name in values(member, "interface") {
                    sdwan.insert(name.clone(), ());
                }
            }
        }
    }
    for (_, block) in config.blocks("system interface") {
        for entry in block.entries() {
            let name = entry.name.clone();
            let addresses: Vec<IpAddr> = address(values(entry, "ip")).into_iter().collect();
            let mut wan = Vec::new();
            if entry.get("role") == Some("wan") {
                wan.push(WanReason::Role);
            }
            if default_route.contains_key(&name) {
                wan.push(WanReason::DefaultRoute);
            }
            if matches!(entry.get("mode"), Some("dhcp" | "pppoe")) {
                wan.push(WanReason::ProviderAddress);
            }
            if sdwan.contains_key(&name) {
                wan.push(WanReason::SdWan);
            }
            // FortiGate desktop models ship `wan`, `wan1`, `wan2` with `role wan` by default,
            // and a backup leaves defaults out.
            if matches!(name.as_str(), "wan" | "wan1" | "wan2") && entry.get("role").is_none() {
                wan.push(WanReason::Name);
            }
            if addresses.iter().any(|a| is_public(*a)) {
                wan.push(WanReason::PublicAddress);
            }
            if let Some(access) = entry.setting("allowaccess") {
                for word in &access.values {
                    let service = match word.as_str() {
                        "https" => MgmtService::Https,
                        "http" => MgmtService::Http,
                        "ssh" => MgmtService::Ssh,
                        "telnet" => MgmtService::Telnet,
                        "fgfm" => MgmtService::Fgfm,
                        _ => continue,
                    };
                    g.management.push(Management {
                        service,
                        interface: name.clone(),
                        allowed: None,
                        lines: vec![edit_line(entry), line(access)],
                    });
                }
            }
            g.interfaces.push(Interface {
                name,
                detail: entry.get("vdom").unwrap_or_default().to_owned(),
                addresses,
                wan,
                line: edit_line(entry),
            });
        }
    }
    keep_public_address_as_last_resort(&mut g.interfaces);
}

fn read_admins(config: &FortiConfig, g: &mut Gateway) {
    for (_, block) in config.blocks("system admin") {
        for entry in block.entries() {
            let mut lines = vec![edit_line(entry)];
            let trusted: Vec<ConfigLine> = entry
                .settings
                .iter()
                .filter(|s| s.name.starts_with("trusthost") || s.name.starts_with("ip6-trusthost"))
                .filter(|s| !s.unset && !is_any(&s.values))
                .map(line)
                .collect();
            let remote = entry.get("remote-auth") == Some("enable");
            let mfa = match entry.setting("two-factor") {
                Some(s) if s.value() != "disable" => {
                    lines.push(line(s));
                    Mfa::Configured(s.value().to_owned())
                }
                _ if remote => {
                    let group = entry.get("remote-group").unwrap_or("remote");
                    Mfa::Unknown(group.to_owned())
                }
                _ => Mfa::None,
            };
            let password = entry.setting("password");
            if let Some(p) = password {
                lines.push(line(p));
            }
            if let Some(p) = entry.setting("accprofile") {
                lines.push(line(p));
            }
            g.admins.push(Admin {
                name: entry.name.clone(),
                trust: if trusted.is_empty() {
                    Trust::Anywhere
                } else {
                    Trust::Restricted(trusted)
                },
                mfa,
                has_password: password.is_some() || remote,
                lines,
            });
        }
    }
}

fn weak_admin_tls(global: &Node, weak: &mut Vec<ConfigLine>) {
    if let Some(s) = global.setting("admin-https-ssl-versions")
        && s.values
            .iter()
            .any(|v| matches!(v.as_str(), "sslv3" | "tlsv1-0" | "tlsv1-1"))
    {
        weak.push(line(s));
    }
    if let Some(s) = global.setting("ssl-min-proto-version")
        && matches!(s.value(), "SSLv3" | "TLSv1" | "TLSv1-1")
    {
        weak.push(line(s));
    }
}

fn read_ssl_vpn(config: &FortiConfig, g: &mut Gateway) {
    let mut listening = false;
    for (_, settings) in config.blocks("vpn ssl settings") {
        if let Some(s) = settings.setting("ssl-min-proto-ver")
            && matches!(s.value(), "ssl3" | "tls1-0" | "tls1-1")
        {
            g.weak_tls.push(line(s));
        }
        for name in ["sslv3", "tlsv1-0", "tlsv1-1"] {
            if let Some(s) = settings.setting(name)
                && s.value() == "enable"
            {
                g.weak_tls.push(line(s));
            }
        }
        let Some(source_interface) = settings.setting("source-interface") else {
            continue;
        };
        if settings.get("status") == Some("disable") || source_interface.values.is_empty() {
            continue;
        }
        listening = true;
        let mut lines = vec![
            ConfigLine::new(settings.line, "config vpn ssl settings"),
            line(source_interface),
        ];
        let source = settings.setting("source-address");
        let negated = settings.get("source-address-negate") == Some("enable");
        let any_source = !negated
            && source.is_none_or(|s| s.values.is_empty() || s.values.iter().any(|v| v == "all"));
        if let Some(s) = source {
            lines.push(line(s));
        }
        let port = settings.setting("port");
        if let Some(p) = port {
            lines.push(line(p));
        }
        g.vpn.push(VpnListener {
            kind: "SSL-VPN".into(),
            interfaces: source_interface.values.clone(),
            port: port.and_then(|p| p.value().parse().ok()),
            any_source,
            lines,
        });
    }
    if listening {
        read_vpn_principals(config, g);
    }
}

/// Users and remote servers that reach the SSL-VPN: through `authentication-rule` entries and
/// firewall policies from an `ssl.*` interface, groups expanded.
fn read_vpn_principals(config: &FortiConfig, g: &mut Gateway) {
    // (name, via, the line that grants it)
    let mut grants: Vec<(String, String, ConfigLine)> = Vec::new();
    for (_, settings) in config.blocks("vpn ssl settings") {
        for rule in settings
            .block("authentication-rule")
            .into_iter()
            .flat_map(Node::entries)
        {
            let via = format!("authentication-rule {}", rule.name);
            grant(rule, &via, &mut grants);
        }
    }
    for (_, policies) in config.blocks("firewall policy") {
        for policy in policies.entries() {
            if values(policy, "srcintf")
                .iter()
                .any(|i| i.starts_with("ssl."))
            {
                let via = format!("firewall policy {}", policy.name);
                grant(policy, &via, &mut grants);
            }
        }
    }
    let groups = entries_by_name(config, "user group");
    let users = entries_by_name(config, "user local");
    let mut servers = BTreeMap::new();
    for (path, kind) in [
        ("user ldap", "LDAP"),
        ("user radius", "RADIUS"),
        ("user tacacs+", "TACACS+"),
        ("user saml", "SAML"),
    ] {
        for (name, node) in entries_by_name(config, path) {
            servers.insert(name, (kind, node));
        }
    }
    let mut principals: BTreeMap<(String, &'static str), VpnPrincipal> = BTreeMap::new();
    let mut add = |name: &str, kind: &'static str, via: &str, mfa: Mfa, lines: Vec<ConfigLine>| {
        principals
            .entry((name.to_owned(), kind))
            .and_modify(|p| {
                if !p.via.split(", ").any(|v| v == via) {
                    p.via = format!("{}, {via}", p.via);
                }
            })
            .or_insert(VpnPrincipal {
                name: name.to_owned(),
                kind,
                via: via.to_owned(),
                mfa,
                lines,
            });
    };
    for (name, via, granted) in &grants {
        let members: Vec<(String, ConfigLine)> = match groups.get(name.as_str()) {
            Some(group) => {
                let mut members: Vec<(String, ConfigLine)> = group
                    .setting("member")
                    .map(|m| {
                        m.values
                            .iter()
                            .map(|v| (v.clone(), line_naming(m, v)))
                            .collect()
                    })
                    .unwrap_or_default();
                // Remote groups: `config match` entries name the server.
                for m in group.block("match").into_iter().flat_map(Node::entries) {
                    if let Some(server) = m.setting("server-name") {
                        members.push((server.value().to_owned(), line(server)));
                    }
                }
                members
            }
            None => vec![(name.clone(), granted.clone())],
        };
        let via = match groups.contains_key(name.as_str()) {
            true => format!("{name} ({via})"),
            false => via.clone(),
        };
        for (member, member_line) in members {
            if let Some(user) = users.get(member.as_str()) {
                let (mfa, mut lines) = local_user_mfa(user);
                lines.insert(0, member_line);
                add(&member, "user", &via, mfa, lines);
            } else if let Some((kind, server)) = servers.get(member.as_str()) {
                let lines = vec![member_line, edit_line(server)];
                add(
                    &member,
                    "remote-server",
                    &via,
                    Mfa::Unknown((*kind).to_owned()),
                    lines,
                );
            }
        }
    }
    g.vpn_principals.extend(principals.into_values());
}

fn grant(node: &Node, via: &str, grants: &mut Vec<(String, String, ConfigLine)>) {
    for key in ["groups", "users"] {
        if let Some(s) = node.setting(key) {
            for v in &s.values {
                grants.push((v.clone(), via.to_owned(), line_naming(s, v)));
            }
        }
    }
}

fn entries_by_name<'a>(config: &'a FortiConfig, path: &str) -> BTreeMap<&'a str, &'a Node> {
    config
        .blocks(path)
        .into_iter()
        .flat_map(|(_, block)| block.entries())
        .map(|e| (e.name.as_str(), e))
        .collect()
}

/// A local user's second factor: `two-factor` on the entry, else none for a password user and
/// unknown for a user checked by a server (`type ldap|radius|tacacs+`).
fn local_user_mfa(user: &Node) -> (Mfa, Vec<ConfigLine>) {
    let mut lines = vec![edit_line(user)];
    if let Some(s) = user.setting("two-factor")
        && s.value() != "disable"
    {
        lines.push(line(s));
        return (Mfa::Configured(s.value().to_owned()), lines);
    }
    match user.setting("type") {
        Some(t) if t.value() != "password" => {
            lines.push(line(t));
            let server = ["ldap-server", "radius-server", "tacacs+-server"]
                .iter()
                .find_map(|k| user.get(k))
                .unwrap_or(t.value());
            (Mfa::Unknown(server.to_owned()), lines)
        }
        _ => (Mfa::None, lines),
    }
}

fn read_log_destinations(config: &FortiConfig, g: &mut Gateway) {
    const PATHS: &[&str] = &[
        "log syslogd setting",
        "log syslogd2 setting",
        "log syslogd3 setting",
        "log syslogd4 setting",
        "log fortianalyzer setting",
        "log fortianalyzer2 setting",
        "log fortianalyzer3 setting",
        "log fortianalyzer-cloud setting",
        "log fortiguard setting",
    ];
    for path in PATHS {
        for (_, block) in config.blocks(path) {
            if let Some(status) = block.setting("status")
                && status.value() == "enable"
            {
                let server = block.get("server").unwrap_or_default();
                let text = format!("config {path} / {} {server}", status.quoted());
                g.log_destinations
                    .push(ConfigLine::new(status.line, text.trim_end()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configs::fortios::parse;

    fn gw(text: &str) -> Gateway {
        gateway("fg.conf", &parse(text))
    }

    const BASE: &str = r#"#config-version=FGT60E-6.0.4-FW-build0231-190107:opmode=0:vdom=0:user=admin
config system global
    set hostname "HOSP-FGT"
end
config system interface
    edit "wan1"
        set vdom "root"
        set ip 203.0.113.2 255.255.255.0
        set allowaccess ping https ssh fgfm
    next
    edit "internal"
        set vdom "root"
        set ip 192.168.1.99 255.255.255.0
        set allowaccess ping https ssh telnet
        set role lan
    next
end
"#;

    #[test]
    fn interfaces_wan_and_management() {
        let g = gw(BASE);
        assert_eq!(g.hostname, "HOSP-FGT");
        assert_eq!(g.model, "FGT60E");
        let fw = g.firmware.as_ref().unwrap();
        assert_eq!(
            (fw.version.as_str(), fw.build.as_deref()),
            ("6.0.4", Some("0231"))
        );
        assert_eq!(g.interface("wan1").unwrap().wan, vec![WanReason::Name]);
        assert!(!g.is_wan("internal"));
        let wan_services: Vec<_> = g
            .management
            .iter()
            .filter(|m| m.interface == "wan1")
            .map(|m| m.service)
            .collect();
        assert_eq!(
            wan_services,
            [MgmtService::Https, MgmtService::Ssh, MgmtService::Fgfm]
        );
        assert_eq!(
            g.management[0].lines[1].text,
            "set allowaccess ping https ssh fgfm"
        );
    }

    #[test]
    fn default_route_and_public_address() {
        let g = gw(
            "config system interface\n edit \"port1\"\n  set ip 198.51.100.9 255.255.255.0\n next\n edit \"port9\"\n  set ip 8.8.8.1/24\n next\nend\nconfig router static\n edit 1\n  set gateway 198.51.100.1\n  set device \"port1\"\n next\nend\n",
        );
        assert_eq!(
            g.interface("port1").unwrap().wan,
            vec![WanReason::DefaultRoute]
        );
        // A public address alone does not count once a default route names the internet side.
        assert!(!g.is_wan("port9"));
    }

    #[test]
    fn admins_trust_mfa_and_empty_passwords() {
        let g = gw(r#"config system admin
    edit "admin"
        set accprofile "super_admin"
        set vdom "root"
    next
    edit "maint"
        set trusthost1 198.51.100.7 255.255.255.255
        set trusthost2 0.0.0.0 0.0.0.0
        set two-factor fortitoken
        set password ENC SH2abcdef
    next
end
"#);
        let admin = &g.admins[0];
        assert_eq!(admin.trust, Trust::Anywhere);
        assert_eq!(admin.mfa, Mfa::None);
        assert!(!admin.has_password);
        let maint = &g.admins[1];
        let Trust::Restricted(lines) = &maint.trust else {
            panic!("maint is restricted");
        };
        assert_eq!(lines[0].text, "set trusthost1 198.51.100.7 255.255.255.255");
        assert_eq!(maint.mfa, Mfa::Configured("fortitoken".into()));
        assert!(maint.has_password);
        assert!(
            maint
                .lines
                .iter()
                .any(|l| l.text == "set password ********")
        );
    }

    const VPN: &str = r#"config vpn ssl settings
    set ssl-min-proto-ver tls1-0
    set source-interface "wan1"
    set source-address "all"
    set port 10443
    config authentication-rule
        edit 1
            set groups "SSLVPN_USERS"
        next
    end
end
config user local
    edit "tanaka"
        set type password
        set passwd ENC xyz
    next
    edit "suzuki"
        set type password
        set two-factor fortitoken
    next
    edit "sato"
        set type ldap
        set ldap-server "AD-LDAP"
    next
end
config user ldap
    edit "AD-LDAP"
        set server "192.168.1.10"
    next
end
config user group
    edit "SSLVPN_USERS"
        set member "tanaka" "suzuki" "sato" "AD-LDAP"
    next
end
"#;

    #[test]
    fn ssl_vpn_listener_and_principals() {
        let g = gw(&format!("{BASE}{VPN}"));
        assert_eq!(g.vpn.len(), 1);
        let vpn = &g.vpn[0];
        assert_eq!(vpn.interfaces, ["wan1"]);
        assert!(vpn.any_source);
        assert_eq!(vpn.port, Some(10443));
        assert_eq!(g.weak_tls[0].text, "set ssl-min-proto-ver tls1-0");
        let mfa: Vec<(&str, &Mfa)> = g
            .vpn_principals
            .iter()
            .map(|p| (p.name.as_str(), &p.mfa))
            .collect();
        assert_eq!(
            mfa,
            [
                ("AD-LDAP", &Mfa::Unknown("LDAP".into())),
                ("sato", &Mfa::Unknown("AD-LDAP".into())),
                ("suzuki", &Mfa::Configured("fortitoken".into())),
                ("tanaka", &Mfa::None),
            ]
        );
        assert_eq!(
            g.vpn_principals[3].via,
            "SSLVPN_USERS (authentication-rule 1)"
        );
    }

    #[test]
    fn ssl_vpn_without_source_interface_or_disabled_does_not_listen() {
        let quiet = VPN.replace("    set source-interface \"wan1\"\n", "");
        let g = gw(&format!("{BASE}{quiet}"));
        assert!(g.vpn.is_empty() && g.vpn_principals.is_empty());
        let off = VPN.replace("set port 10443", "set port 10443\n    set status disable");
        assert!(gw(&format!("{BASE}{off}")).vpn.is_empty());
    }

    #[test]
    fn log_destinations() {
        let g = gw(
            "config log syslogd setting\n    set status enable\n    set server \"192.168.1.5\"\nend\nconfig log fortianalyzer setting\n    set status disable\nend\n",
        );
        assert_eq!(g.log_destinations.len(), 1);
        assert_eq!(
            g.log_destinations[0].text,
            "config log syslogd setting / set status enable 192.168.1.5"
        );
    }
}
