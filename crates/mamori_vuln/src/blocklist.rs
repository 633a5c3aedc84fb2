//! Blocklists as intelligence: hosts files (StevenBlack, URLhaus), URLhaus CSV dumps, plain domain lists, Maltrail
//! trails, IP addresses and CIDR networks — read into one [`BlockList`] per file, matched by
//! [`Intel`].
//!
//! A listed name matches itself and its subdomains (`evil.example` lists `cdn.evil.example`), never
//! its parent: a compromised host on a shared site lists that host, not the site. A listed
//! public suffix (`co.jp`, `blogspot.com`) would list a whole registry and is left out, said as
//! a problem of the list; hits carry the registrable domain (Mozilla's Public Suffix List, the
//! `psl` crate) so a report can group them. Addresses match exactly or inside a listed network.
//!
//! Not yet wired to a command or the store (issue 19: `mamori intel import`, `intel status`,
//! `net.blocklisted-*` in hunt): this is the reader and the matcher they will use.

use std::collections::HashSet;
use std::net::IpAddr;

/// One list as read from a file.
#[derive(Clone, Debug, Default)]
pub struct BlockList {
    /// Its name (the file's, as given).
    pub name: String,
    /// The date the list states (`Last updated: 2020-10-11 …`, `# Date: …`), as written.
    pub date: Option<String>,
    /// Listed host names, lowercase, without a trailing dot.
    pub domains: HashSet<String>,
    /// Listed addresses.
    pub addresses: HashSet<IpAddr>,
    /// Listed networks (address, prefix length).
    pub networks: Vec<(IpAddr, u8)>,
    /// URL paths listed without a host (Maltrail's `/payload.exe`): for web logs, not DNS.
    pub paths: HashSet<String>,
    /// Lines left out, with their 1-based number and why (a public suffix, text that is no
    /// host name).
    pub problems: Vec<(u64, String)>,
}

/// What a name or address matched: which list, which entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The list's name.
    pub list: String,
    /// The entry that matched (the name itself or a parent of it, or an address or network).
    pub entry: String,
    /// The registrable domain of the name looked up (`None` for an address).
    pub registrable: Option<String>,
}

/// Addresses that hosts files point blocked names at: not entries themselves.
const SINKS: &[&str] = &["0.0.0.0", "127.0.0.1", "::", "::1", "0"];
/// Names hosts files define for the machine itself.
const LOCAL_NAMES: &[&str] = &[
    "localhost",
    "localhost.localdomain",
    "local",
    "broadcasthost",
    "ip6-localhost",
    "ip6-loopback",
    "ip6-localnet",
    "ip6-mcastprefix",
    "ip6-allnodes",
    "ip6-allrouters",
    "ip6-allhosts",
    "0.0.0.0",
];

/// Reads one list; never fails (what cannot be read is a problem with its line).
pub fn read_blocklist(name: &str, text: &str) -> BlockList {
    let mut list = BlockList {
        name: name.to_owned(),
        ..BlockList::default()
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let trimmed = raw.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            if list.date.is_none() {
                list.date = stated_date(comment);
            }
            continue;
        }
        // URLhaus CSV (`"id","dateadded","url",…`, every field quoted): the URL's host.
        if trimmed.starts_with('"') {
            match trimmed.split("\",\"").find(|f| f.contains("://")) {
                Some(url) => list.add(line, url.trim_matches('"')),
                None => list
                    .problems
                    .push((line, "a CSV line without a URL".to_owned())),
            }
            continue;
        }
        // Maltrail and others put comments after entries.
        let content = trimmed.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let words: Vec<&str> = content.split_whitespace().collect();
        // Hosts format: a sink address then one or more names.
        let entries: &[&str] = if words.len() > 1 && SINKS.contains(&words[0]) {
            &words[1..]
        } else if words.len() > 1 {
            list.problems.push((
                line,
                format!(
                    "neither a hosts line nor one entry: {}",
                    content.chars().take(80).collect::<String>()
                ),
            ));
            continue;
        } else {
            &words[..1]
        };
        for entry in entries {
            list.add(line, entry);
        }
    }
    list
}

/// `Last updated: 2020-10-11 10:22:03 (UTC)`, `Date: 20 October 2020`: the text after the label
/// (banner decoration — a closing `#` — left out).
fn stated_date(comment: &str) -> Option<String> {
    let c = comment.trim().trim_end_matches('#').trim();
    let lower = c.to_ascii_lowercase();
    ["last updated:", "last modified:", "updated:", "date:"]
        .iter()
        .find_map(|label| {
            lower
                .strip_prefix(label)
                .map(|_| c[label.len()..].trim().to_owned())
        })
        .filter(|d| !d.is_empty())
}

impl BlockList {
    fn add(&mut self, line: u64, entry: &str) {
        // A network: `203.0.113.0/24`.
        if let Some((addr, prefix)) = entry.split_once('/')
            && let (Ok(addr), Ok(prefix)) = (addr.parse::<IpAddr>(), prefix.parse::<u8>())
            && prefix <= if addr.is_ipv4() { 32 } else { 128 }
        {
            self.networks.push((addr, prefix));
            return;
        }
        if entry.starts_with('/') {
            self.paths.insert(entry.to_owned());
            return;
        }
        // A URL (`http://host/path`, Maltrail's `host/path`): its host.
        let host = entry
            .split_once("://")
            .map_or(entry, |(_, rest)| rest)
            .split('/')
            .next()
            .unwrap_or("");
        // `host:port`, but not an IPv6 address.
        let host = match host.rsplit_once(':') {
            Some((h, port))
                if host.parse::<IpAddr>().is_err() && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                h
            }
            _ => host,
        };
        if let Ok(addr) = host.parse::<IpAddr>() {
            self.addresses.insert(addr);
            return;
        }
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        if LOCAL_NAMES.contains(&name.as_str()) {
            return;
        }
        if !is_host_name(&name) {
            self.problems.push((
                line,
                format!(
                    "not a host name: {}",
                    entry.chars().take(80).collect::<String>()
                ),
            ));
            return;
        }
        if is_public_suffix(&name) {
            self.problems.push((
                line,
                format!("{name} is a public suffix: listing it would list a whole registry"),
            ));
            return;
        }
        self.domains.insert(name);
    }

    /// Entries read: names, addresses, networks and paths.
    pub fn len(&self) -> usize {
        self.domains.len() + self.addresses.len() + self.networks.len() + self.paths.len()
    }

    /// Nothing listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Letters, digits, `-`, `_` and dots, no empty label (punycode included). Labels longer than
/// DNS allows are kept: trails list `.onion` names that never pass through DNS.
fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn is_public_suffix(name: &str) -> bool {
    psl::suffix_str(name).is_some_and(|s| s == name) && psl::domain_str(name).is_none()
}

/// The registrable domain of a host name (`www.example.co.jp` → `example.co.jp`).
pub fn registrable_domain(name: &str) -> Option<String> {
    psl::domain_str(&name.trim_end_matches('.').to_ascii_lowercase()).map(str::to_owned)
}

/// Every list loaded, for matching.
#[derive(Clone, Debug, Default)]
pub struct Intel {
    /// The lists, in the order read.
    pub lists: Vec<BlockList>,
}

impl Intel {
    /// The lists that name this host or one of its parents.
    pub fn match_domain(&self, name: &str) -> Vec<Hit> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let registrable = registrable_domain(&name);
        let mut hits = Vec::new();
        for list in &self.lists {
            // The name, then each parent: `a.b.evil.example`, `b.evil.example`, `evil.example`…
            let mut candidate = name.as_str();
            loop {
                if list.domains.contains(candidate) {
                    hits.push(Hit {
                        list: list.name.clone(),
                        entry: candidate.to_owned(),
                        registrable: registrable.clone(),
                    });
                    break;
                }
                match candidate.split_once('.') {
                    Some((_, parent)) => candidate = parent,
                    None => break,
                }
            }
        }
        hits
    }

    /// The lists that name this address or a network holding it.
    pub fn match_address(&self, addr: IpAddr) -> Vec<Hit> {
        let mut hits = Vec::new();
        for list in &self.lists {
            let entry = if list.addresses.contains(&addr) {
                Some(addr.to_string())
            } else {
                list.networks
                    .iter()
                    .find(|(net, prefix)| in_network(addr, *net, *prefix))
                    .map(|(net, prefix)| format!("{net}/{prefix}"))
            };
            if let Some(entry) = entry {
                hits.push(Hit {
                    list: list.name.clone(),
                    entry,
                    registrable: None,
                });
            }
        }
        hits
    }
}

fn in_network(addr: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_entries_and_problems() {
        let text = "# Title: test\n# Last updated: 2020-10-11 10:22:03 (UTC)\n127.0.0.1 localhost\n0.0.0.0 ads.example.com tracker.example.net\n127.0.0.1\tEvil.Example.\nhttp://198.51.100.7/payload.exe\n203.0.113.0/24\nlockbit.onion # a comment\nco.jp\nnot a host!\n";
        let list = read_blocklist("t.txt", text);
        assert_eq!(list.date.as_deref(), Some("2020-10-11 10:22:03 (UTC)"));
        let mut domains: Vec<&str> = list.domains.iter().map(String::as_str).collect();
        domains.sort_unstable();
        assert_eq!(
            domains,
            [
                "ads.example.com",
                "evil.example",
                "lockbit.onion",
                "tracker.example.net"
            ]
        );
        assert!(list.addresses.contains(&"198.51.100.7".parse().unwrap()));
        assert_eq!(list.networks, [("203.0.113.0".parse().unwrap(), 24)]);
        let lines: Vec<u64> = list.problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, [9, 10], "{:?}", list.problems);
        assert!(list.problems[0].1.contains("public suffix"));
        assert!(list.problems[1].1.starts_with("neither"));
    }

    #[test]
    fn urlhaus_csv_lines_give_their_hosts() {
        let text = "################\n# abuse.ch URLhaus Database Dump (CSV)\n# Last updated: 2026-12-05 00:05:03 (UTC)\n# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n\"3012345\",\"2026-12-04 23:58:07\",\"http://203.0.113.40:35541/bin.sh\",\"online\",\"2026-12-04 23:58:07\",\"malware_download\",\"32-bit,elf,mips\",\"https://urlhaus.abuse.ch/url/3012345/\",\"geenensp\"\n\"3012344\",\"2026-12-04 23:57:06\",\"https://invoice-dl.example.net/files/inv.zip\",\"online\",\"\",\"malware_download\",\"zip\",\"https://urlhaus.abuse.ch/url/3012344/\",\"anonymous\"\n\"1\",\"x\"\n";
        let list = read_blocklist("csv.txt", text);
        assert_eq!(list.date.as_deref(), Some("2026-12-05 00:05:03 (UTC)"));
        assert!(list.addresses.contains(&"203.0.113.40".parse().unwrap()));
        assert!(list.domains.contains("invoice-dl.example.net"));
        assert!(
            !list.domains.contains("urlhaus.abuse.ch"),
            "the record's own link is no entry"
        );
        assert_eq!(list.problems.len(), 1, "{:?}", list.problems);
    }

    #[test]
    fn names_match_themselves_and_their_subdomains_never_their_parents() {
        let intel = Intel {
            lists: vec![read_blocklist(
                "l",
                "0.0.0.0 care.help.360.cn\nevil.co.jp\n10.0.0.0/8\n2001:db8::/32\n",
            )],
        };
        assert_eq!(intel.match_domain("care.help.360.cn").len(), 1);
        assert_eq!(intel.match_domain("x.care.help.360.cn").len(), 1);
        assert!(intel.match_domain("help.360.cn").is_empty());
        assert!(intel.match_domain("360.cn").is_empty());
        let hit = &intel.match_domain("WWW.Evil.co.jp.")[0];
        assert_eq!(
            (hit.entry.as_str(), hit.registrable.as_deref()),
            ("evil.co.jp", Some("evil.co.jp"))
        );
        assert!(intel.match_domain("notevil.co.jp").is_empty());
        assert_eq!(
            intel.match_address("10.1.2.3".parse().unwrap())[0].entry,
            "10.0.0.0/8"
        );
        assert!(intel.match_address("11.1.2.3".parse().unwrap()).is_empty());
        assert_eq!(intel.match_address("2001:db8::1".parse().unwrap()).len(), 1);
    }
}
