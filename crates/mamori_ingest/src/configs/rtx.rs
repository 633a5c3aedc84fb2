//! YAMAHA RTX configurations (`show config` output or a saved config file) → [`Gateway`] facts,
//! secrets masked as they are read.
//!
//! An RTX configuration is one command per line; `pp select N` and `tunnel select N` open the
//! settings of a PPP or tunnel interface until the next select. What the checks need: the
//! interfaces and which face the internet (a PPPoE `pp`, an address from DHCP, the interface of
//! the default route, a public address), who may reach the web GUI, SSH and telnet
//! (`httpd host`, `sshd host`, `telnetd host`: `any` is anyone), the login and administrator
//! passwords and `login user` accounts, L2TP/IPsec remote access and its users, and
//! `syslog host`. A WAN interface's inbound filter list (`ip … secure filter in N…`, the
//! `ip filter N pass|reject SRC DST PROTO SRCPORT DSTPORT` definitions) decides who can reach
//! a management service through it: the first filter matching a new TCP connection to the
//! service's port decides; a list that matches nothing rejects.

use std::net::IpAddr;

use mamori_model::gateway::{
    Admin, ConfigFormat, ConfigLine, Firmware, Gateway, Interface, Management, Mfa, MgmtService,
    Network, Trust, VpnListener, VpnPrincipal, WanReason, is_public,
};

use super::MASK;

/// One command: its line, the interface block it is in (`pp 1`, `tunnel 2`), its words with
/// secrets masked, and the masked text for evidence.
#[derive(Clone, Debug)]
pub struct Command {
    /// 1-based line.
    pub line: u64,
    /// `pp N` or `tunnel N` while inside a select block.
    pub block: Option<String>,
    /// The words, secrets masked.
    pub words: Vec<String>,
}

impl Command {
    fn starts(&self, prefix: &[&str]) -> bool {
        self.words.len() >= prefix.len() && self.words.iter().zip(prefix).all(|(w, p)| w == p)
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.words.get(i).map(String::as_str)
    }

    fn cited(&self) -> ConfigLine {
        ConfigLine::new(self.line, self.words.join(" "))
    }
}

/// A parsed configuration: the commands, and the model and firmware from the header comment
/// (`# RTX1210 Rev.14.01.38 …`).
#[derive(Clone, Debug, Default)]
pub struct RtxConfig {
    /// Every command in order.
    pub commands: Vec<Command>,
    /// Model, version and the header's line.
    pub header: Option<(String, String, u64)>,
}

/// Reads the text; never fails (an unreadable line is kept as words).
pub fn parse(text: &str) -> RtxConfig {
    let mut config = RtxConfig::default();
    let mut block: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let trimmed = raw.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            if config.header.is_none()
                && let Some(at) = comment.find("Rev.")
            {
                let model = comment[..at].trim().to_owned();
                let version: String = comment[at + 4..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                if !version.is_empty() {
                    config.header = Some((model, version, line));
                }
            }
            continue;
        }
        let mut words: Vec<String> = trimmed.split_whitespace().map(str::to_owned).collect();
        if words.is_empty() {
            continue;
        }
        mask(&mut words);
        if words.len() >= 3 && (words[0] == "pp" || words[0] == "tunnel") && words[1] == "select" {
            block = (words[2] != "none").then(|| format!("{} {}", words[0], words[2]));
            continue;
        }
        config.commands.push(Command {
            line,
            block: block.clone(),
            words,
        });
    }
    config
}

/// Replaces passwords, keys and key material with [`MASK`].
fn mask(words: &mut [String]) {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let from = match w.as_slice() {
        ["login", "password", ..] | ["administrator", "password", ..] => Some(2),
        // login user NAME [encrypted] PASSWORD
        ["login", "user", _, ..] => Some(3),
        ["pp", "auth", "username" | "myname", _, ..] => Some(4),
        ["ipsec", "ike", "pre-shared-key", ..] => Some(3),
        ["l2tp", "tunnel", "auth", ..] => Some(4),
        ["sshd", "host", "key", ..] => Some(3),
        _ => None,
    };
    if let Some(from) = from {
        for word in words.iter_mut().skip(from) {
            if word != "encrypted" && word != "on" && word != "off" && word != "text" {
                *word = MASK.to_owned();
            }
        }
    }
}

/// The gateway facts of a parsed configuration.
pub fn gateway(file: &str, config: &RtxConfig) -> Gateway {
    let mut g = Gateway::new(file, ConfigFormat::YamahaRtx);
    if let Some((model, version, line)) = &config.header {
        g.model = model.clone();
        g.origin_line = *line;
        g.firmware = Some(Firmware {
            version: version.clone(),
            partial: false,
            build: None,
            line: ConfigLine::new(*line, format!("# {model} Rev.{version}")),
        });
    }
    let top = |prefix: &[&str]| {
        config
            .commands
            .iter()
            .filter(|c| c.block.is_none() && c.starts(prefix))
            .collect::<Vec<_>>()
    };
    if let Some(prompt) = top(&["console", "prompt"]).first().and_then(|c| c.word(2)) {
        g.hostname = prompt.to_owned();
    }
    read_interfaces(config, &mut g);
    read_management(config, &mut g);
    apply_filters(config, &mut g);
    read_admins(config, &mut g);
    read_vpn(config, &mut g);
    g.log_destinations = top(&["syslog", "host"])
        .into_iter()
        .map(Command::cited)
        .collect();
    for c in top(&["tftp", "host"]) {
        if c.word(2) == Some("any") {
            g.problems.push(c.cited());
        }
    }
    g
}

fn read_interfaces(config: &RtxConfig, g: &mut Gateway) {
    let defaults: Vec<&Command> = config
        .commands
        .iter()
        .filter(|c| c.starts(&["ip", "route", "default", "gateway"]))
        .collect();
    let default_to = |name: &str| {
        defaults.iter().any(|c| {
            let rest = c.words[4..].join(" ");
            rest.contains(&format!("dhcp {name}"))
                || rest == name
                || rest.starts_with(&format!("{name} "))
        })
    };
    for c in &config.commands {
        // ip lan2 address 203.0.113.10/29 | dhcp
        if c.block.is_none() && c.words.len() >= 4 && c.words[0] == "ip" && c.words[2] == "address"
        {
            let name = c.words[1].clone();
            let (addresses, mut wan) = address(&c.words[3]);
            if default_to(&name) {
                wan.push(WanReason::DefaultRoute);
            }
            g.interfaces.push(Interface {
                name,
                detail: String::new(),
                addresses,
                wan,
                line: c.cited(),
            });
        }
        // A PPPoE pp: the provider's line.
        if let Some(pp) = &c.block
            && c.starts(&["pppoe", "use"])
        {
            let mut wan = vec![WanReason::ProviderAddress];
            if default_to(pp) {
                wan.push(WanReason::DefaultRoute);
            }
            g.interfaces.push(Interface {
                name: pp.clone(),
                detail: c.word(2).unwrap_or_default().to_owned(),
                addresses: Vec::new(),
                wan,
                line: c.cited(),
            });
        }
    }
}

fn address(value: &str) -> (Vec<IpAddr>, Vec<WanReason>) {
    if value == "dhcp" {
        return (Vec::new(), vec![WanReason::ProviderAddress]);
    }
    let addr: Option<IpAddr> = value.split('/').next().and_then(|a| a.parse().ok());
    match addr {
        Some(a) if is_public(a) => (vec![a], vec![WanReason::PublicAddress]),
        Some(a) => (vec![a], Vec::new()),
        None => (Vec::new(), Vec::new()),
    }
}

/// `httpd host`, `sshd host` (with `sshd service on`), `telnetd host`: `any` is anyone on
/// every interface; an interface name allows that interface; addresses allow those networks on
/// the internet-facing interfaces.
fn read_management(config: &RtxConfig, g: &mut Gateway) {
    let wan: Vec<String> = g
        .interfaces
        .iter()
        .filter(|i| i.is_wan())
        .map(|i| i.name.clone())
        .collect();
    let find = |prefix: &[&str]| {
        config
            .commands
            .iter()
            .find(|c| c.block.is_none() && c.starts(prefix))
    };
    let ssh_on = find(&["sshd", "service"]).is_some_and(|c| c.word(2) == Some("on"));
    let telnet_off = find(&["telnetd", "service"]).is_some_and(|c| c.word(2) == Some("off"));
    // `sshd service on` without an `sshd host` line: taken as reachable from anyone (the
    // setting that would limit it is absent), citing the service line.
    let ssh_host = config
        .commands
        .iter()
        .find(|c| c.block.is_none() && c.starts(&["sshd", "host"]) && c.word(2) != Some("key"))
        .or_else(|| find(&["sshd", "service"]));
    let services = [
        (MgmtService::Http, find(&["httpd", "host"]), true),
        (MgmtService::Ssh, ssh_host, ssh_on),
        (MgmtService::Telnet, find(&["telnetd", "host"]), !telnet_off),
    ];
    for (service, host, enabled) in services {
        let Some(host) = host.filter(|_| enabled) else {
            continue;
        };
        let targets: Vec<&str> = if host.starts(&["sshd", "service"]) {
            vec!["any"]
        } else {
            host.words[2..].iter().map(String::as_str).collect()
        };
        if targets.contains(&"none") {
            continue;
        }
        if targets.contains(&"any") {
            for name in &wan {
                g.management.push(Management {
                    service,
                    interface: name.clone(),
                    allowed: None,
                    lines: vec![host.cited()],
                });
            }
            continue;
        }
        let networks: Vec<Network> = targets.iter().filter_map(|t| network(t)).collect();
        for name in &wan {
            if targets.contains(&name.as_str()) {
                g.management.push(Management {
                    service,
                    interface: name.clone(),
                    allowed: None,
                    lines: vec![host.cited()],
                });
            } else if !networks.is_empty() {
                g.management.push(Management {
                    service,
                    interface: name.clone(),
                    allowed: Some(networks.clone()),
                    lines: vec![host.cited()],
                });
            }
        }
    }
}

fn network(text: &str) -> Option<Network> {
    let (addr, prefix) = text
        .split_once('/')
        .unwrap_or((text.split('-').next()?, "32"));
    Some(Network {
        addr: addr.parse().ok()?,
        prefix: prefix.parse().ok()?,
    })
}

/// Narrows or removes each internet-facing management entry by the interface's inbound filter
/// list: the first filter matching a new TCP connection to the service's port from anyone (from
/// any source port: a reject limited to some source ports does not match) decides (pass: open to anyone, reject: closed); filters passing only some sources before
/// it make those sources the allowed networks; the end of the list rejects.
fn apply_filters(config: &RtxConfig, g: &mut Gateway) {
    let mut kept = Vec::new();
    for mut m in std::mem::take(&mut g.management) {
        let Some(list) = inbound_filters(config, &m.interface) else {
            kept.push(m);
            continue;
        };
        let port = match m.service {
            MgmtService::Http | MgmtService::Https => 80,
            MgmtService::Ssh => 22,
            MgmtService::Telnet => 23,
            MgmtService::Fgfm => 541,
        };
        let mut passed: Vec<Network> = Vec::new();
        let mut open = false;
        for number in &list.1 {
            let Some(f) = filter_definition(config, *number) else {
                continue;
            };
            if !(proto_matches(f.word(6)) && port_matches(f.word(8), port)) {
                continue;
            }
            let action = f.word(3).unwrap_or_default();
            // `restrict` passes while the line is up: on an always-on line, always.
            let pass = action.starts_with("pass") || action.starts_with("restrict");
            // A client picks its source port: a reject for some source ports only (the
            // usual `reject * * udp,tcp 135 *`) does not stop it; a pass for some does not
            // stop an attacker who sends from that port.
            if !pass && f.word(7).is_some_and(|p| p != "*") {
                continue;
            }
            match f.word(4) {
                Some("*") | None => {
                    open = pass;
                    m.lines.push(f.cited());
                    break;
                }
                Some(src) if pass => {
                    passed.extend(src.split(',').filter_map(network));
                    m.lines.push(f.cited());
                }
                Some(_) => {}
            }
        }
        m.lines.push(list.0.cited());
        if open {
            kept.push(m);
        } else if !passed.is_empty() {
            m.allowed = Some(passed);
            kept.push(m);
        }
    }
    g.management = kept;
}

/// The `secure filter in` list of an interface (`lan2`, or `pp 1` inside its select block):
/// the command and the filter numbers before `dynamic`. Newer firmware names a set instead
/// (`ip lan2 secure filter name WAN` with `ip filter set WAN in 100 101 …`).
fn inbound_filters<'a>(config: &'a RtxConfig, interface: &str) -> Option<(&'a Command, Vec<u32>)> {
    let on_interface = |c: &&Command, rest: &[&str]| {
        let lan = c.block.is_none() && c.starts(&[&["ip", interface][..], rest].concat());
        let pp =
            c.block.as_deref() == Some(interface) && c.starts(&[&["ip", "pp"][..], rest].concat());
        lan || pp
    };
    let numbers_from = |words: &[String]| -> Vec<u32> {
        words
            .iter()
            .take_while(|w| *w != "dynamic")
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    if let Some(c) = config
        .commands
        .iter()
        .find(|c| on_interface(c, &["secure", "filter", "in"]))
    {
        return Some((c, numbers_from(&c.words[5..])));
    }
    let named = config
        .commands
        .iter()
        .find(|c| on_interface(c, &["secure", "filter", "name"]))?;
    let set_name = named.word(5)?;
    let set = config
        .commands
        .iter()
        .find(|c| c.block.is_none() && c.starts(&["ip", "filter", "set", set_name, "in"]))?;
    Some((set, numbers_from(&set.words[5..])))
}

fn filter_definition(config: &RtxConfig, number: u32) -> Option<&Command> {
    let n = number.to_string();
    config
        .commands
        .iter()
        .find(|c| c.block.is_none() && c.starts(&["ip", "filter", &n]))
}

/// A new TCP connection matches `*`, `tcp` and lists with it; `established` does not.
fn proto_matches(proto: Option<&str>) -> bool {
    proto.is_none_or(|p| p == "*" || p.split(',').any(|x| x == "tcp" || x == "tcpsyn"))
}

/// `*`, a list of ports or names (`www`, `telnet`, `22`), or a range `1-1023`.
fn port_matches(ports: Option<&str>, port: u16) -> bool {
    let Some(ports) = ports else { return true };
    ports.split(',').any(|p| {
        let named = match p {
            "www" | "http" => Some(80),
            "telnet" => Some(23),
            "ssh" => Some(22),
            _ => None,
        };
        if p == "*" || named == Some(port) {
            return true;
        }
        match p.split_once('-') {
            Some((a, b)) => a
                .parse::<u16>()
                .ok()
                .zip(b.parse::<u16>().ok())
                .is_some_and(|(a, b)| a <= port && port <= b),
            None => p.parse::<u16>().ok() == Some(port),
        }
    })
}

/// The login password, the administrator password and `login user` accounts. An RTX without a
/// login password lets anyone on a permitted address log in.
fn read_admins(config: &RtxConfig, g: &mut Gateway) {
    let find = |prefix: &[&str]| {
        config
            .commands
            .iter()
            .find(|c| c.block.is_none() && c.starts(prefix))
    };
    for (name, prefix) in [
        ("login", ["login", "password"]),
        ("administrator", ["administrator", "password"]),
    ] {
        let cmd = find(&prefix);
        g.admins.push(Admin {
            name: name.to_owned(),
            trust: Trust::DeviceWide,
            mfa: Mfa::None,
            has_password: cmd.is_some(),
            lines: cmd.map(|c| vec![c.cited()]).unwrap_or_default(),
        });
    }
    for c in config
        .commands
        .iter()
        .filter(|c| c.block.is_none() && c.starts(&["login", "user"]))
    {
        let Some(name) = c.word(2) else { continue };
        let attributes = config
            .commands
            .iter()
            .filter(|a| a.starts(&["user", "attribute", name]));
        let mut lines = vec![c.cited()];
        lines.extend(attributes.map(Command::cited));
        g.admins.push(Admin {
            name: name.to_owned(),
            trust: Trust::DeviceWide,
            mfa: Mfa::None,
            has_password: c.words.len() > 3,
            lines,
        });
    }
}

/// L2TP/IPsec remote access: a `pp` accepting calls (`pp auth accept`) over L2TP, and its
/// users (`pp auth username`): a pre-shared key and a password, no second factor.
fn read_vpn(config: &RtxConfig, g: &mut Gateway) {
    let l2tp = config
        .commands
        .iter()
        .find(|c| c.block.is_none() && c.starts(&["l2tp", "service", "on"]));
    let accepting: Vec<&Command> = config
        .commands
        .iter()
        .filter(|c| c.block.is_some() && c.starts(&["pp", "auth", "accept"]))
        .collect();
    let (Some(l2tp), false) = (l2tp, accepting.is_empty()) else {
        return;
    };
    let wan: Vec<String> = g
        .interfaces
        .iter()
        .filter(|i| i.is_wan())
        .map(|i| i.name.clone())
        .collect();
    let mut lines = vec![l2tp.cited()];
    lines.extend(accepting.iter().map(|c| c.cited()));
    g.vpn.push(VpnListener {
        kind: "L2TP/IPsec".into(),
        interfaces: wan,
        port: None,
        any_source: true,
        lines,
    });
    for c in config
        .commands
        .iter()
        .filter(|c| c.starts(&["pp", "auth", "username"]))
    {
        g.vpn_principals.push(VpnPrincipal {
            name: c.word(3).unwrap_or_default().to_owned(),
            kind: "user",
            via: c.block.clone().unwrap_or_default(),
            mfa: Mfa::None,
            lines: vec![c.cited()],
        });
    }
}
