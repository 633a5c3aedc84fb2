//! Palo Alto PAN-OS configurations → a tree with line numbers, secrets masked in every line
//! that can be quoted.
//!
//! Two forms are read into the same [`Node`] tree: the XML running configuration (`<config
//! version=…>`, as exported from the web interface or `show config running`) and the `set`
//! command form (`set deviceconfig system hostname …`, as `configure` mode prints and
//! Iron-Skillet ships it). In the tree a list item is an `entry` node with its `name`, as in
//! the XML; a `set` path is placed where the XML would have it (`deviceconfig` and `network`
//! under the device, `zone` and `global-protect` under the virtual system). `panos_gateway`
//! reads the facts out of the tree.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use mamori_model::gateway::ConfigLine;

use super::MASK;

/// One element: its tag, the `name` of an `entry`, its text and where it starts.
#[derive(Clone, Debug, Default)]
pub struct Node {
    /// The element's tag.
    pub tag: String,
    /// The `name` attribute (list entries).
    pub name: Option<String>,
    /// Its text, trimmed (never quoted in output: it may be a secret).
    pub text: String,
    /// 1-based line where it starts.
    pub line: u64,
    /// Its children in order.
    pub children: Vec<Node>,
}

impl Node {
    fn new(tag: &str, name: Option<String>, line: u64) -> Self {
        Self {
            tag: tag.to_owned(),
            name,
            line,
            ..Self::default()
        }
    }

    /// The first child with this tag.
    pub fn child(&self, tag: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.tag == tag)
    }

    /// The node at the end of a path of tags.
    pub fn path(&self, tags: &[&str]) -> Option<&Node> {
        tags.iter().try_fold(self, |n, t| n.child(t))
    }

    /// The text at the end of a path, when not empty.
    pub fn text_at(&self, tags: &[&str]) -> Option<&str> {
        self.path(tags)
            .map(|n| n.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// The `entry` children of the node at `tags` (none when it is absent).
    pub fn entries<'a>(&'a self, tags: &[&str]) -> impl Iterator<Item = &'a Node> + 'a {
        self.path(tags)
            .into_iter()
            .flat_map(|n| n.children.iter().filter(|c| c.tag == "entry"))
    }

    /// The texts of the `member` children of the node at `tags`, or its own text.
    pub fn members(&self, tags: &[&str]) -> Vec<&str> {
        let Some(n) = self.path(tags) else {
            return Vec::new();
        };
        let members: Vec<&str> = n
            .children
            .iter()
            .filter(|c| c.tag == "member")
            .map(|c| c.text.as_str())
            .collect();
        if members.is_empty() && !n.text.is_empty() {
            vec![n.text.as_str()]
        } else {
            members
        }
    }

    /// `yes` / `no` at the end of a path; `None` when absent.
    pub fn flag(&self, tags: &[&str]) -> Option<bool> {
        match self.text_at(tags)? {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }

    /// The entry named `name` under `tags`.
    pub fn entry(&self, tags: &[&str], name: &str) -> Option<&Node> {
        self.entries(tags).find(|e| e.name.as_deref() == Some(name))
    }

    /// Every node below this one (depth first) with this tag.
    pub fn descendants<'a>(&'a self, tag: &'a str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.tag == tag {
                out.push(c);
            }
            c.descendants(tag, out);
        }
    }

    fn child_mut(&mut self, tag: &str, name: Option<&str>, line: u64) -> &mut Node {
        let i = match self
            .children
            .iter()
            .position(|c| c.tag == tag && c.name.as_deref() == name)
        {
            Some(i) => i,
            None => {
                self.children
                    .push(Node::new(tag, name.map(str::to_owned), line));
                self.children.len() - 1
            }
        };
        &mut self.children[i]
    }
}

/// A parsed PAN-OS configuration.
#[derive(Clone, Debug, Default)]
pub struct PanosConfig {
    /// The root (`config`).
    pub root: Node,
    /// The `config` element's `version` (the configuration schema: the release's major and
    /// minor) and `detail-version` (the exact release, in newer exports).
    pub version: Option<String>,
    /// See [`PanosConfig::version`].
    pub detail_version: Option<String>,
    /// The source lines with secrets masked, for quoting.
    pub lines: Vec<String>,
    /// Lines that could not be read.
    pub problems: Vec<ConfigLine>,
    /// Read from the `set` command form.
    pub set_form: bool,
}

impl PanosConfig {
    /// A line of the file for evidence, secrets masked.
    pub fn cite(&self, line: u64) -> ConfigLine {
        let text = usize::try_from(line)
            .ok()
            .and_then(|l| self.lines.get(l.wrapping_sub(1)))
            .map_or("", |t| t.trim());
        ConfigLine::new(line, text)
    }
}

/// Is this text a PAN-OS configuration, in either form?
pub fn looks_like(head: &str) -> bool {
    head.contains("<config version=")
        || head
            .lines()
            .any(|l| l.starts_with("set deviceconfig ") || l.starts_with("set mgt-config "))
}

/// Reads the text; never fails (what cannot be read is a problem with its line).
pub fn parse(text: &str) -> PanosConfig {
    let xml = text.trim_start().starts_with('<');
    let mut config = PanosConfig {
        lines: if xml {
            mask_xml_lines(text)
        } else {
            text.lines().map(mask_set_line).collect()
        },
        set_form: !xml,
        ..PanosConfig::default()
    };
    if xml {
        parse_xml(text, &mut config);
    } else {
        parse_set(text, &mut config);
    }
    config
}

/// Elements whose text is a secret: password hashes, keys, shared secrets, certificates'
/// private keys, SNMP communities.
const SECRET_TAGS: &[&str] = &[
    "phash",
    "password",
    "key",
    "private-key",
    "secret",
    "passphrase",
    "api-key",
    "auth-password",
    "priv-password",
    "authpwd",
    "privpwd",
    "community",
    "bind-password",
    "shared-secret",
    "pre-shared-key",
];

/// The source lines with the text of secret elements replaced by [`MASK`] (a private key
/// over several lines is masked on each).
fn mask_xml_lines(text: &str) -> Vec<String> {
    let mut inside: Option<&str> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(tag) = inside {
            let close = format!("</{tag}>");
            match line.find(&close) {
                Some(i) => {
                    out.push(format!("{MASK}{}", &line[i..]));
                    inside = None;
                }
                None => out.push(MASK.to_owned()),
            }
            continue;
        }
        let mut masked = line.to_owned();
        for tag in SECRET_TAGS {
            let open = format!("<{tag}>");
            let Some(start) = masked.find(&open).map(|i| i + open.len()) else {
                continue;
            };
            let close = format!("</{tag}>");
            match masked[start..].find(&close) {
                Some(len) => masked.replace_range(start..start + len, MASK),
                None => {
                    masked.replace_range(start.., MASK);
                    inside = Some(tag);
                }
            }
        }
        out.push(masked);
    }
    out
}

/// A `set` line with the value after a secret keyword masked.
fn mask_set_line(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut mask_next = false;
    for w in words {
        if mask_next {
            out.push(MASK);
            mask_next = false;
            continue;
        }
        mask_next = SECRET_TAGS.contains(&w);
        out.push(w);
    }
    out.join(" ")
}

fn line_of(starts: &[usize], offset: usize) -> u64 {
    starts.partition_point(|&s| s <= offset) as u64
}

fn parse_xml(text: &str, config: &mut PanosConfig) {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::new("#document", None, 1)];
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let line = line_of(&starts, at.min(text.len()));
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let node = open(&e, line, config);
                stack.push(node);
            }
            Ok(Event::Empty(e)) => {
                let node = open(&e, line, config);
                if let Some(top) = stack.last_mut() {
                    top.children.push(node);
                }
                continue;
            }
            Ok(Event::End(_)) => close(&mut stack),
            Ok(Event::Text(t)) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.into_inner());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.into_inner());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some(top), Some(c)) = (stack.last_mut(), crate::decode::xml_entity(&r)) {
                    top.text.push(c);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                config.problems.push(ConfigLine::new(
                    line,
                    format!("XML が壊れていて、ここから後は読めていません / the XML breaks off here: {e}"),
                ));
                break;
            }
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    let document = stack.pop().unwrap_or_default();
    config.root = document
        .children
        .into_iter()
        .find(|c| c.tag == "config")
        .unwrap_or_default();
}

fn open(e: &BytesStart, line: u64, config: &mut PanosConfig) -> Node {
    let tag = e.local_name().as_ref().to_owned();
    let mut name = None;
    for a in e.attributes().flatten() {
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.clone().into_owned());
        match (tag.as_str(), a.key.local_name().as_ref()) {
            (_, "name") => name = Some(value),
            ("config", "version") => config.version = Some(value),
            ("config", "detail-version") => config.detail_version = Some(value),
            _ => {}
        }
    }
    Node::new(&tag, name, line)
}

fn close(stack: &mut Vec<Node>) {
    if stack.len() > 1
        && let Some(mut node) = stack.pop()
        && let Some(parent) = stack.last_mut()
    {
        let trimmed = node.text.trim();
        if trimmed.len() != node.text.len() {
            node.text = trimmed.to_owned();
        }
        parent.children.push(node);
    }
}

/// Words after which the next word names a list entry, in the `set` form, wherever they are.
const LISTS: &[&str] = &[
    "match-list",
    "users",
    "ethernet",
    "aggregate-ethernet",
    "units",
    "interface-management-profile",
    "zone",
    "virtual-router",
    "static-route",
    "global-protect-portal",
    "global-protect-gateway",
    "client-auth",
    "authentication-profile",
    "ssl-tls-service-profile",
    "permitted-ip",
    "vsys",
    "server-profile",
];

/// Words that name a list only under a given element: (element, word).
const LISTS_UNDER: &[(&str, &str)] = &[("log-settings", "syslog"), ("syslog", "server")];

/// `set` paths that the XML keeps under the device (`devices/entry`) or under the virtual
/// system (`…/vsys/entry`).
const DEVICE_LEVEL: &[&str] = &["deviceconfig", "network"];
const VSYS_LEVEL: &[&str] = &[
    "zone",
    "global-protect",
    "rulebase",
    "address",
    "log-settings",
];

fn parse_set(text: &str, config: &mut PanosConfig) {
    let mut root = Node::new("config", None, 1);
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (delete, rest) = match (l.strip_prefix("set "), l.strip_prefix("delete ")) {
            (Some(rest), _) => (false, rest),
            (None, Some(rest)) => (true, rest),
            // `edit`, `top` and the like: not settings.
            _ => continue,
        };
        let words = set_words(rest);
        if words.is_empty() {
            continue;
        }
        let mut node = &mut root;
        if DEVICE_LEVEL.contains(&words[0].as_str()) || VSYS_LEVEL.contains(&words[0].as_str()) {
            node = node.child_mut("devices", None, line).child_mut(
                "entry",
                Some("localhost.localdomain"),
                line,
            );
            if VSYS_LEVEL.contains(&words[0].as_str()) {
                node = node
                    .child_mut("vsys", None, line)
                    .child_mut("entry", Some("vsys1"), line);
            }
        }
        if delete {
            remove(node, &words);
        } else {
            place(node, &words, line);
        }
    }
    config.root = root;
}

/// Is `word`, met under the element `parent`, a list whose next word names an entry?
fn is_list(parent: Option<&str>, word: &str) -> bool {
    LISTS.contains(&word) || parent.is_some_and(|p| LISTS_UNDER.contains(&(p, word)))
}

/// `delete PATH`: removes what the path names (the settings after it in the file apply).
fn remove(mut node: &mut Node, words: &[String]) {
    let mut parent: Option<String> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let last = i + 1 == words.len();
        let list = is_list(parent.as_deref(), w) && !last;
        let target = if list {
            ("entry", Some(words[i + 1].as_str()))
        } else {
            (w, None)
        };
        let Some(pos) = node
            .children
            .iter()
            .position(|c| c.tag == if list { w } else { target.0 })
        else {
            return;
        };
        if list {
            let container = &mut node.children[pos];
            let Some(entry) = container
                .children
                .iter()
                .position(|c| c.tag == "entry" && c.name.as_deref() == target.1)
            else {
                return;
            };
            if i + 2 == words.len() {
                container.children.remove(entry);
                return;
            }
            node = &mut container.children[entry];
            i += 2;
        } else {
            if last {
                node.children.remove(pos);
                return;
            }
            node = &mut node.children[pos];
            i += 1;
        }
        parent = Some(w.to_owned());
    }
}

/// Puts one `set` path into the tree: list words open an entry named by the next word; the
/// last word is the value (a `[ a b ]` list gives `member`s).
fn place(mut node: &mut Node, words: &[String], line: u64) {
    let mut parent: Option<&str> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let last = i + 1 == words.len();
        if last {
            // A bare leaf (`set … enable`), kept as an empty element.
            node.child_mut(w, None, line);
            return;
        }
        if is_list(parent, w) {
            node = node
                .child_mut(w, None, line)
                .child_mut("entry", Some(&words[i + 1]), line);
            parent = Some(w);
            i += 2;
            continue;
        }
        if i + 2 == words.len() {
            let value = &words[i + 1];
            let leaf = node.child_mut(w, None, line);
            match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                Some(list) => {
                    for m in list.split_whitespace() {
                        let mut member = Node::new("member", None, line);
                        member.text = m.to_owned();
                        leaf.children.push(member);
                    }
                }
                None => leaf.text = value.clone(),
            }
            return;
        }
        node = node.child_mut(w, None, line);
        parent = Some(w);
        i += 1;
    }
}

/// The words of a `set` line: quoted words whole, a `[ … ]` list as one word.
fn set_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        match c {
            '"' => {
                chars.next();
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    word.push(c);
                }
            }
            '[' => {
                for c in chars.by_ref() {
                    word.push(c);
                    if c == ']' {
                        break;
                    }
                }
                let inner = word.trim_start_matches('[').trim_end_matches(']');
                word = format!("[{}]", inner.trim());
            }
            _ => {
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
            }
        }
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_and_set_forms_give_the_same_tree_paths() {
        let xml = parse(
            "<config version=\"10.1.0\" detail-version=\"10.1.3\">\n  <mgt-config>\n    <users>\n      <entry name=\"admin\">\n        <phash>$1$secret$hash</phash>\n      </entry>\n    </users>\n  </mgt-config>\n  <devices><entry name=\"localhost.localdomain\"><deviceconfig><system>\n<hostname>fw1</hostname></system></deviceconfig></entry></devices>\n</config>\n",
        );
        assert_eq!(xml.detail_version.as_deref(), Some("10.1.3"));
        let admin = xml.root.entry(&["mgt-config", "users"], "admin").unwrap();
        assert_eq!(admin.line, 4);
        assert_eq!(xml.cite(5).text, "<phash>********</phash>");
        assert!(xml.lines.iter().all(|l| !l.contains("secret")));
        let device = xml.root.entries(&["devices"]).next().unwrap();
        assert_eq!(
            device.text_at(&["deviceconfig", "system", "hostname"]),
            Some("fw1")
        );

        let set = parse(
            "set deviceconfig system hostname fw1\nset mgt-config users admin phash $1$secret$hash\nset zone untrust network layer3 [ ethernet1/1 ethernet1/2 ]\n",
        );
        assert!(set.set_form);
        assert!(set.root.entry(&["mgt-config", "users"], "admin").is_some());
        assert_eq!(
            set.cite(2).text,
            "set mgt-config users admin phash ********"
        );
        let device = set.root.entries(&["devices"]).next().unwrap();
        assert_eq!(
            device.text_at(&["deviceconfig", "system", "hostname"]),
            Some("fw1")
        );
        let vsys = device.entries(&["vsys"]).next().unwrap();
        let untrust = vsys.entry(&["zone"], "untrust").unwrap();
        assert_eq!(
            untrust.members(&["network", "layer3"]),
            ["ethernet1/1", "ethernet1/2"]
        );
    }

    #[test]
    fn a_private_key_over_several_lines_is_masked_on_each() {
        let lines = mask_xml_lines(
            "<private-key>-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----</private-key>\n<x>1</x>",
        );
        assert_eq!(
            lines,
            [
                "<private-key>********",
                "********",
                "********</private-key>",
                "<x>1</x>"
            ]
        );
    }

    #[test]
    fn broken_xml_is_a_problem_with_its_line() {
        let c = parse("<config version=\"9.1.0\">\n<mgt-config>\n<users></mgt-config>\n");
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert_eq!(c.version.as_deref(), Some("9.1.0"));
    }
}
