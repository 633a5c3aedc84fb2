//! FortiOS configuration backups (`#config-version=…` header, then `config`/`edit`/`set`/
//! `unset`/`next`/`end`) → a tree of [`Node`]s with line numbers.
//!
//! Secrets never enter the tree: values of `ENC …` settings, of settings named like secrets
//! (`passwd`, `psksecret`, `private-key`, …) and PEM blocks are replaced by [`MASK`] as they are
//! read. Old FortiOS encrypts backup secrets with a key that is public (CVE-2019-6693), so an
//! `ENC` value is as good as the password and must not reach a report, a log or the store.
//!
//! The parser never panics and never gives up: a block left open at the end of the file, an
//! `end` with nothing to close or an unknown statement is recorded as a [`ConfigProblem`] and
//! reading goes on.

pub use super::MASK;

/// From `#config-version=FGT60F-7.4.5-FW-build2687-231213:opmode=0:vdom=0:user=admin`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// `FGT60F`, `FGVM64`.
    pub model: String,
    /// `7.4.5`; `6` when the header gives only the major version (`FGT60E-v6-build1803`).
    pub version: String,
    /// The header names only part of the version (major, or major.minor).
    pub version_partial: bool,
    /// The firmware build (`build1517`), which tells patch releases of one version apart.
    pub build: Option<u32>,
    /// `vdom=1`: the configuration is split into `config global` and `config vdom`.
    pub multi_vdom: bool,
    /// Line of the header.
    pub line: u64,
    /// The header line as written, for evidence.
    pub text: String,
}

/// A `config PATH … end` block or an `edit KEY … next` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// `system interface` for a block, the entry's key (`"wan1"`, `10`) for an entry.
    pub name: String,
    /// An `edit` entry (a named item of a table) rather than a `config` block.
    pub is_entry: bool,
    /// 1-based line where it starts: evidence cites it.
    pub line: u64,
    /// Its `set`/`unset` statements, in file order.
    pub settings: Vec<Setting>,
    /// The blocks and entries inside it.
    pub children: Vec<Node>,
}

/// One `set NAME VALUE…` (or `unset NAME`) statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Setting {
    /// The setting's name (`admintimeout`, `passwd`).
    pub name: String,
    /// Unquoted values; a secret's values are `[MASK]`.
    pub values: Vec<String>,
    /// `unset NAME`: back to the default.
    pub unset: bool,
    /// A secret (by its name, `ENC`, or a PEM block): its values are the mask, never the text.
    pub secret: bool,
    /// 1-based line: evidence cites it.
    pub line: u64,
}

impl Setting {
    /// The statement as it would appear in the file, secrets masked: for evidence.
    pub fn quoted(&self) -> String {
        if self.unset {
            return format!("unset {}", self.name);
        }
        let values: Vec<String> = self
            .values
            .iter()
            .map(|v| {
                if v.is_empty() || v.contains([' ', '"']) {
                    format!("\"{}\"", v.replace('"', "\\\""))
                } else {
                    v.clone()
                }
            })
            .collect();
        format!("set {} {}", self.name, values.join(" "))
    }

    /// The first value, or empty: most settings have one.
    pub fn value(&self) -> &str {
        self.values.first().map_or("", String::as_str)
    }
}

impl Node {
    /// The last `set` of `name` here (FortiOS keeps the last one written).
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.name == name)
    }

    /// The first value of a setting that is set (not unset).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.setting(name).filter(|s| !s.unset).map(Setting::value)
    }

    /// The `edit` entries of this block (the rows of a table).
    pub fn entries(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter(|c| c.is_entry)
    }

    /// The `config` block named `path` directly inside this one (`"system interface"` at the
    /// root).
    pub fn block(&self, path: &str) -> Option<&Node> {
        self.children.iter().find(|c| !c.is_entry && c.name == path)
    }
}

/// Something in the file that could not be read as FortiOS configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// 1-based line of the statement.
    pub line: u64,
    /// What is wrong with it, never quoting a line that may hold a secret.
    pub message: String,
}

/// A whole FortiOS backup: its header, the tree of blocks, and what could not be placed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FortiConfig {
    /// The `#config-version=` header: model, version and build.
    pub header: Option<Header>,
    /// Top-level blocks in file order.
    pub root: Node,
    /// Statements that do not fit the grammar: reported, never a reason to stop reading.
    pub problems: Vec<ConfigProblem>,
}

impl FortiConfig {
    /// Every block with this path, wherever it is (top level, `config global`, each VDOM), with
    /// the VDOM it belongs to.
    pub fn blocks<'a>(&'a self, path: &str) -> Vec<(Option<&'a str>, &'a Node)> {
        let mut found = Vec::new();
        collect_blocks(&self.root, path, None, &mut found);
        found
    }
}

fn collect_blocks<'a>(
    node: &'a Node,
    path: &str,
    vdom: Option<&'a str>,
    found: &mut Vec<(Option<&'a str>, &'a Node)>,
) {
    for child in &node.children {
        if !child.is_entry && child.name == path {
            found.push((vdom, child));
        } else if !child.is_entry && child.name == "vdom" {
            for v in child.entries() {
                collect_blocks(v, path, Some(&v.name), found);
            }
        } else if !child.is_entry && child.name == "global" {
            collect_blocks(child, path, vdom, found);
        }
    }
}

/// Does this text look like a FortiOS configuration?
pub fn looks_like(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("# ") && *l != "#");
    lines.clone().any(|l| l.starts_with("#config-version="))
        || lines.any(|l| l.starts_with("config system ") || l.starts_with("config vdom"))
}

/// Parses a FortiOS configuration.
pub fn parse(text: &str) -> FortiConfig {
    let mut config = FortiConfig::default();
    // The stack of open nodes; index 0 is the root.
    let mut stack: Vec<Node> = vec![Node::default()];
    for stmt in statements(text) {
        let Some(first) = stmt.words.first() else {
            continue;
        };
        let line = stmt.line;
        match first.as_str() {
            w if w.starts_with("#config-version=") => {
                config.header = parse_header(w, line);
            }
            w if w.starts_with('#') => {}
            "config" => stack.push(Node {
                name: stmt.words[1..].join(" "),
                line,
                ..Node::default()
            }),
            "edit" => {
                if stack.last().is_some_and(|n| n.is_entry) {
                    // An `edit` without `next` before it: FortiOS accepts it; close the entry.
                    close(&mut stack);
                }
                stack.push(Node {
                    name: stmt.words.get(1).cloned().unwrap_or_default(),
                    is_entry: true,
                    line,
                    ..Node::default()
                });
            }
            "next" => {
                if stack.last().is_some_and(|n| n.is_entry) {
                    close(&mut stack);
                } else {
                    config
                        .problems
                        .push(problem(line, "`next` outside an `edit`"));
                }
            }
            "end" => {
                if stack.last().is_some_and(|n| n.is_entry) {
                    close(&mut stack);
                }
                if stack.len() > 1 {
                    close(&mut stack);
                } else {
                    config
                        .problems
                        .push(problem(line, "`end` with no open `config`"));
                }
            }
            "set" | "unset" | "append" => {
                let Some(name) = stmt.words.get(1) else {
                    config
                        .problems
                        .push(problem(line, "setting without a name"));
                    continue;
                };
                let secret = stmt.secret || is_secret_name(name);
                let values = if secret {
                    vec![MASK.to_owned()]
                } else {
                    stmt.words[2..].to_vec()
                };
                let node = stack.last_mut().expect("the root is never popped");
                if first == "append"
                    && let Some(existing) = node.settings.iter_mut().rev().find(|s| &s.name == name)
                {
                    if secret || existing.secret {
                        existing.secret = true;
                        existing.values = vec![MASK.to_owned()];
                    } else {
                        existing.values.extend(values);
                    }
                    continue;
                }
                node.settings.push(Setting {
                    name: name.clone(),
                    values,
                    unset: first == "unset",
                    secret,
                    line,
                });
            }
            other => {
                // Quote only what is plainly a keyword: a stray quote can make the first "word"
                // the rest of a line that holds a password (`"set passwd …`).
                let keyword = other.len() <= 32
                    && other
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                let message = if keyword {
                    format!("unknown statement `{other}`")
                } else {
                    "unknown statement (not quoted: it may hold a secret)".to_owned()
                };
                config.problems.push(problem(line, &message));
            }
        }
    }
    while stack.len() > 1 {
        let open = stack.last().expect("len > 1");
        let what = if open.is_entry { "edit" } else { "config" };
        // A name that runs over lines is a stray quote's doing and may hold the lines after
        // it, secrets included: such a name is not quoted.
        let message = if open.name.len() <= 64 && !open.name.chars().any(char::is_control) {
            format!(
                "`{what} {}` is not closed before the end of the file",
                open.name
            )
        } else {
            format!(
                "a `{what}` is not closed before the end of the file (its name runs over lines: a stray quote?)"
            )
        };
        config.problems.push(problem(open.line, &message));
        close(&mut stack);
    }
    config.root = stack.pop().expect("the root");
    config
}

fn close(stack: &mut Vec<Node>) {
    if stack.len() > 1 {
        let node = stack.pop().expect("len > 1");
        stack.last_mut().expect("root").children.push(node);
    }
}

fn problem(line: u64, message: &str) -> ConfigProblem {
    ConfigProblem {
        line,
        message: message.to_owned(),
    }
}

/// Setting names whose values are secrets whatever their form.
fn is_secret_name(name: &str) -> bool {
    const SECRET_PARTS: &[&str] = &[
        "passwd",
        "password",
        "psksecret",
        "secret",
        "private-key",
        "passphrase",
        "key-string",
        "pre-shared",
    ];
    let name = name.to_ascii_lowercase();
    // `password-policy`-style option names are settings, not secrets: only exact-ish matches.
    SECRET_PARTS.iter().any(|p| {
        name == *p || name.ends_with(&format!("-{p}")) || name.starts_with(&format!("{p}-key"))
    }) || name.ends_with("passwd")
        || name.ends_with("password")
        || name.ends_with("secret")
}

fn parse_header(word: &str, line: u64) -> Option<Header> {
    let body = word.strip_prefix("#config-version=")?;
    let (ident, kv) = body.split_once(':').unwrap_or((body, ""));
    let mut parts = ident.split('-');
    let model = parts.next()?.to_owned();
    let mut header = Header {
        model,
        line,
        text: word.to_owned(),
        ..Header::default()
    };
    for part in parts {
        if let Some(build) = part.strip_prefix("build") {
            header.build = build.parse().ok();
        } else if header.version.is_empty()
            && part
                .trim_start_matches('v')
                .starts_with(|c: char| c.is_ascii_digit())
        {
            let v = part.trim_start_matches('v');
            // "5.02" is 5.2: FortiOS 5 wrote the minor with two digits.
            let numbers: Vec<String> = v
                .split('.')
                .map(|n| n.parse::<u32>().map_or(n.to_owned(), |n| n.to_string()))
                .collect();
            header.version_partial = numbers.len() < 3;
            header.version = numbers.join(".");
        }
    }
    for pair in kv.split(':') {
        if pair == "vdom=1" {
            header.multi_vdom = true;
        }
    }
    Some(header)
}

struct Statement {
    line: u64,
    words: Vec<String>,
    /// A value was `ENC …` or a PEM block.
    secret: bool,
}

/// Splits the text into statements: words separated by blanks, `"…"` quoted (with `\"` and
/// `\\` escapes, and newlines inside: certificates), one statement per line outside quotes.
fn statements(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut line = 1u64;
    let mut chars = text.chars().peekable();
    let mut current = Statement {
        line,
        words: Vec::new(),
        secret: false,
    };
    let mut word = String::new();
    let mut in_word = false;
    let finish_word = |current: &mut Statement, word: &mut String, in_word: &mut bool| {
        if *in_word {
            let w = std::mem::take(word);
            if w.starts_with("-----BEGIN") {
                current.secret |= w.contains("PRIVATE KEY");
            }
            let after_enc = current.words.last().is_some_and(|p| p == "ENC");
            if after_enc {
                current.secret = true;
            }
            current.words.push(w);
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                finish_word(&mut current, &mut word, &mut in_word);
                line += 1;
                let done = std::mem::replace(
                    &mut current,
                    Statement {
                        line,
                        words: Vec::new(),
                        secret: false,
                    },
                );
                if !done.words.is_empty() {
                    out.push(done);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                if escaped == '\n' {
                                    line += 1;
                                }
                                word.push(escaped);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            word.push('\n');
                        }
                        other => word.push(other),
                    }
                }
            }
            // A bare CR or another control character inside a line splits words where FortiOS
            // would not (`pass\rwd`): the setting's name can no longer be trusted to say whether
            // its value is a secret, so the statement's values are masked.
            c if c.is_control() && c != '\t' && !(c == '\r' && chars.peek() == Some(&'\n')) => {
                current.secret = true;
                finish_word(&mut current, &mut word, &mut in_word);
            }
            c if c.is_whitespace() => finish_word(&mut current, &mut word, &mut in_word),
            '#' if !in_word && current.words.is_empty() => {
                // A comment or the header: the rest of the line is one word.
                word.push('#');
                while let Some(&n) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                in_word = true;
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    finish_word(&mut current, &mut word, &mut in_word);
    if !current.words.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "#config-version=FGT60F-7.4.5-FW-build2687-231213:opmode=0:vdom=0:user=admin\n\
config system admin\r\n\
    edit \"admin\"\n\
        set accprofile \"super_admin\"\n\
        set password ENC SH2abc/def==\n\
    next\n\
    edit \"ops\"\n\
        set trusthost1 192.168.10.0 255.255.255.0\n\
        set comments \"say \\\"hi\\\"\"\n\
end\n\
config vpn certificate local\n\
    edit \"c\"\n\
        set private-key \"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\"\n\
        set range global\n\
    next\n\
end\n\
config system interface\n\
    edit \"wan1\"\n";

    #[test]
    fn tree_header_lines_and_problems() {
        let c = parse(SMALL);
        let h = c.header.as_ref().unwrap();
        assert_eq!(
            (h.model.as_str(), h.version.as_str(), h.build, h.multi_vdom),
            ("FGT60F", "7.4.5", Some(2687), false)
        );
        let admins = c.blocks("system admin");
        let admin = admins[0].1;
        let names: Vec<&str> = admin.entries().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["admin", "ops"], "`end` closes the open `edit` too");
        let ops = admin.entries().nth(1).unwrap();
        assert_eq!(ops.get("comments"), Some("say \"hi\""));
        assert_eq!(ops.setting("trusthost1").unwrap().line, 8);
        let cert = c.blocks("vpn certificate local")[0]
            .1
            .entries()
            .next()
            .unwrap();
        assert_eq!(
            cert.setting("range").unwrap().line,
            16,
            "lines inside quotes count"
        );
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(
            c.problems
                .iter()
                .any(|p| p.line == 19 && p.message.contains("config system interface"))
        );
    }

    #[test]
    fn a_stray_quote_never_puts_a_secret_into_a_message() {
        // Found by the fortios_config fuzz target: an unclosed `edit "…` swallows the lines
        // after it into its name, and the "not closed" message quoted that name.
        for text in [
            "config system admin\n    edit \"a\n        set password ENC S3cretX\n    next\nend\n",
            "\"set passwd S3cretX\nend\n",
            "config system admin\n    edit a\n        set pass\rwd S3cretX\n    next\nend\n",
        ] {
            let c = parse(text);
            assert!(
                !format!("{:?}", c.problems).contains("S3cretX"),
                "{:?}",
                c.problems
            );
            let mut stack = vec![&c.root];
            while let Some(node) = stack.pop() {
                for s in &node.settings {
                    assert!(!s.values.iter().any(|v| v.contains("S3cretX")), "{s:?}");
                }
                stack.extend(&node.children);
            }
        }
    }

    #[test]
    fn secrets_are_masked_as_they_are_read() {
        let c = parse(SMALL);
        let admin = c.blocks("system admin")[0].1.entries().next().unwrap();
        let pw = admin.setting("password").unwrap();
        assert!(pw.secret);
        assert_eq!(pw.quoted(), "set password ********");
        let appended = parse("config a\nset psksecret ENC x\nappend psksecret ENC y\nend\n");
        let s = appended.root.children[0].setting("psksecret").unwrap();
        assert_eq!(s.values, [MASK], "found by the fortios_config fuzz target");
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("SH2abc") && !debug.contains("MIIB"),
            "{debug}"
        );
    }

    #[test]
    fn old_and_partial_versions() {
        let h = parse_header(
            "#config-version=FGVM64-5.02-FW-build736-160907:opmode=0:vdom=1:user=admin",
            1,
        )
        .unwrap();
        assert_eq!(
            (h.version.as_str(), h.version_partial, h.multi_vdom),
            ("5.2", true, true)
        );
        let h = parse_header("#config-version=FGT60E-v6-build1803-220303:opmode=0", 1).unwrap();
        assert_eq!(
            (h.version.as_str(), h.version_partial, h.build),
            ("6", true, Some(1803))
        );
        let h = parse_header(
            "#config-version=FGT100D-v5.6.12-build1653:opmode=1:vdom=0",
            1,
        )
        .unwrap();
        assert_eq!((h.version.as_str(), h.version_partial), ("5.6.12", false));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "\"",
            "end\nnext\nedit",
            "config \"a\nb",
            "set",
            "\u{0}\u{feff}#",
            "edit x\nset y \"\\",
        ] {
            let _ = parse(text);
        }
        assert!(!looks_like("hello world\n"));
        assert!(looks_like(SMALL));
    }
}
