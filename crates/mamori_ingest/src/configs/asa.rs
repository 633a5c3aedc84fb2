//! Cisco ASA running-configurations (`show running-config`, ASDM backups) → a tree of
//! [`Command`]s with line numbers.
//!
//! Indented lines belong to the command above them (`interface`, `webvpn`, `tunnel-group …
//! general-attributes`, nested `group-policy` → `webvpn`). Cisco's own day-0 templates write
//! interface sub-commands without indentation, so `nameif`, `security-level`, `ip address`, …
//! after an `interface` line are kept with it too.
//!
//! Secrets never enter the tree: the word after `password`, `passwd`, `key` (RADIUS/TACACS+
//! and failover keys), `pre-shared-key`, `community`, `ldap-login-password`, NTP and SNMPv3
//! keys is replaced by [`MASK`] while reading; the config's own `*****` placeholders stay.

use super::MASK;

/// One command line and the lines indented under it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    /// 1-based line in the file: evidence cites it.
    pub line: u64,
    /// The words of the line, secrets masked.
    pub words: Vec<String>,
    /// The indented lines under it (`interface` settings, `webvpn` options).
    pub children: Vec<Command>,
}

impl Command {
    /// The line as evidence: words joined by one space, secrets masked.
    pub fn text(&self) -> String {
        self.words.join(" ")
    }

    /// Does the line start with these words (case-insensitive)?
    pub fn starts_with(&self, prefix: &[&str]) -> bool {
        self.words.len() >= prefix.len()
            && self
                .words
                .iter()
                .zip(prefix)
                .all(|(w, p)| w.eq_ignore_ascii_case(p))
    }

    /// The `i`-th word, if the line has that many.
    pub fn word(&self, i: usize) -> Option<&str> {
        self.words.get(i).map(String::as_str)
    }

    /// Children that start with these words.
    pub fn sub<'a>(&'a self, prefix: &'a [&'a str]) -> impl Iterator<Item = &'a Command> + 'a {
        self.children.iter().filter(move |c| c.starts_with(prefix))
    }
}

/// A whole ASA configuration: the version and hardware it states, and its commands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AsaConfig {
    /// `9.8(4)` from `ASA Version 9.8(4)`, with its line.
    pub version: Option<(String, u64)>,
    /// From the `: Serial Number: …` and `: Hardware:   ASA5515, …` comment lines.
    pub serial: Option<String>,
    /// The model (`ASA5515`), from the same comment block.
    pub hardware: Option<String>,
    /// Top-level commands in file order, each with its indented lines.
    pub commands: Vec<Command>,
}

impl AsaConfig {
    /// Top-level commands that start with these words.
    pub fn top<'a>(&'a self, prefix: &'a [&'a str]) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.starts_with(prefix))
    }
}

/// Does this text look like a Cisco ASA configuration?
pub fn looks_like(text: &str) -> bool {
    let mut nameif = false;
    let mut security_level = false;
    for line in text.lines().take(20_000) {
        let line = line.trim();
        if line.starts_with("ASA Version ") || line.starts_with(": Hardware:   ASA") {
            return true;
        }
        nameif |= line.starts_with("nameif ");
        security_level |= line.starts_with("security-level ");
        if nameif && security_level {
            return true;
        }
    }
    false
}

/// Interface sub-commands that Cisco's templates write without indentation.
const INTERFACE_WORDS: &[&str] = &[
    "nameif",
    "security-level",
    "ip",
    "ipv6",
    "management-only",
    "shutdown",
    "description",
    "vlan",
    "speed",
    "duplex",
    "mtu",
    "member-interface",
    "channel-group",
];

/// Reads ASA configuration text into commands. Never fails: what cannot be placed is kept
/// at the top level, and secrets are masked while reading.
pub fn parse(text: &str) -> AsaConfig {
    let mut config = AsaConfig::default();
    // Open commands with their indentation; index 0 is the current top-level command.
    let mut open: Vec<(usize, Command)> = Vec::new();
    let mut in_interface = false;
    for (index, raw) in text.lines().enumerate() {
        let line = index as u64 + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix(':') {
            read_comment(comment.trim(), &mut config);
            continue;
        }
        if trimmed.starts_with('!') {
            close_all(&mut open, &mut config.commands);
            in_interface = false;
            continue;
        }
        let mut words: Vec<String> = trimmed.split_whitespace().map(str::to_owned).collect();
        // A bare CR or another control character inside a line splits a keyword (`pass\rword`)
        // and hides the secret after it from the masker: keep only the first word.
        if trimmed.chars().any(|c| c.is_control() && c != '\t') {
            for w in words.iter_mut().skip(1) {
                *w = MASK.to_owned();
            }
        }
        mask_secrets(&mut words);
        if config.version.is_none()
            && words.len() >= 3
            && words[0] == "ASA"
            && words[1].eq_ignore_ascii_case("version")
        {
            config.version = Some((words[2].clone(), line));
        }
        let indent = raw.len() - raw.trim_start().len();
        let command = Command {
            line,
            words,
            children: Vec::new(),
        };
        let interface_word = in_interface && indent == 0 && is_interface_word(&command);
        if indent == 0 && !interface_word {
            close_all(&mut open, &mut config.commands);
            in_interface = command.starts_with(&["interface"]);
            open.push((0, command));
            continue;
        }
        // Depth of an unindented interface sub-command: as if indented by one.
        let indent = indent.max(1);
        while open.len() > 1 && open.last().is_some_and(|(i, _)| *i >= indent) {
            close_one(&mut open);
        }
        if open.is_empty() {
            // Indented with nothing above it: keep it as a top-level command.
            open.push((0, command));
        } else {
            open.push((indent, command));
        }
    }
    close_all(&mut open, &mut config.commands);
    config
}

fn is_interface_word(command: &Command) -> bool {
    let first = command.word(0).unwrap_or_default();
    if first == "no" {
        // `no shutdown`, `no nameif` — but not `no failover key`.
        return command
            .word(1)
            .is_some_and(|w| INTERFACE_WORDS.contains(&w) || w == "shut");
    }
    INTERFACE_WORDS.contains(&first)
}

fn close_one(open: &mut Vec<(usize, Command)>) {
    if let Some((_, done)) = open.pop()
        && let Some((_, parent)) = open.last_mut()
    {
        parent.children.push(done);
    }
}

fn close_all(open: &mut Vec<(usize, Command)>, out: &mut Vec<Command>) {
    while open.len() > 1 {
        close_one(open);
    }
    if let Some((_, top)) = open.pop() {
        out.push(top);
    }
}

fn read_comment(comment: &str, config: &mut AsaConfig) {
    if let Some(serial) = comment.strip_prefix("Serial Number:") {
        config.serial = Some(serial.trim().to_owned());
    } else if let Some(hardware) = comment.strip_prefix("Hardware:") {
        let model = hardware.split(',').next().unwrap_or_default().trim();
        config.hardware = Some(model.to_owned());
    }
}

/// Replaces secret words by [`MASK`].
fn mask_secrets(words: &mut [String]) {
    let first = words
        .first()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default();
    // `username NAME password SECRET [pbkdf2|encrypted] [privilege N]`: whatever is not one
    // of these keywords is masked, so a misspelt `password` hides nothing.
    if first == "username"
        && words
            .get(2)
            .is_some_and(|w| !w.eq_ignore_ascii_case("attributes"))
    {
        const KEEP: &[&str] = &[
            "password",
            "pbkdf2",
            "encrypted",
            "nt-encrypted",
            "mschap",
            "nopassword",
            "privilege",
        ];
        for i in 2..words.len() {
            let keep = KEEP.iter().any(|k| words[i].eq_ignore_ascii_case(k))
                || (i > 0 && words[i - 1].eq_ignore_ascii_case("privilege"))
                || words[i].starts_with("*****");
            if !keep {
                words[i] = MASK.to_owned();
            }
        }
        return;
    }
    let mut i = 0;
    while i < words.len() {
        let word = words[i].to_ascii_lowercase();
        let secret_at: Option<usize> = match word.as_str() {
            "password"
            | "passwd"
            | "pre-shared-key"
            | "ldap-login-password"
            | "community"
            | "key-string"
            | "secret" => Some(i + 1),
            // ` key SECRET` under aaa-server host, `failover key SECRET`.
            "key" if i == 0 || first == "failover" => Some(i + 1),
            // `key config-key password-encryption NEW [OLD]`: everything after it.
            "password-encryption" => {
                for w in words.iter_mut().skip(i + 1) {
                    *w = MASK.to_owned();
                }
                return;
            }
            // `ntp authentication-key 1 md5 SECRET`
            "md5" | "sha1" | "sha256" | "sha512" if first == "ntp" => Some(i + 1),
            // `snmp-server user U G v3 auth sha SECRET priv aes 128 SECRET`
            "auth" if first == "snmp-server" => Some(i + 2),
            "priv" if first == "snmp-server" => {
                let bits = words
                    .get(i + 2)
                    .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()));
                Some(i + if bits { 3 } else { 2 })
            }
            _ => None,
        };
        if let Some(at) = secret_at
            && let Some(secret) = words.get_mut(at)
        {
            if !secret.starts_with("*****") {
                *secret = MASK.to_owned();
            }
            i = at + 1;
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
: Saved
: Serial Number: FCW1234ABCD
: Hardware:   ASA5515, 8192 MB RAM
!
ASA Version 9.16(4)85
!
hostname asa1
enable password 8Ry2YjIyt7RRXU24 encrypted
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
aaa-server RADIUS (inside) host 10.10.20.40
 key cleartextradiuskey123
username backdoor password SuperSecret123 privilege 15
snmp-server community publicstring
snmp-server user u g v3 auth sha authsecret priv aes 256 privsecret
ntp authentication-key 1 md5 ntpsecret
tunnel-group 198.51.100.10 ipsec-attributes
 ikev1 pre-shared-key cleartextpsk456
group-policy ra attributes
 webvpn
  anyconnect ssl dtls enable
webvpn
 enable outside
";

    #[test]
    fn reads_version_serial_and_nesting() {
        let c = parse(SAMPLE);
        assert_eq!(c.version, Some(("9.16(4)85".to_owned(), 5)));
        assert_eq!(c.serial.as_deref(), Some("FCW1234ABCD"));
        assert_eq!(c.hardware.as_deref(), Some("ASA5515"));
        let interface = c.top(&["interface"]).next().unwrap();
        assert_eq!(interface.children.len(), 3);
        assert_eq!(interface.children[0].text(), "nameif outside");
        let gp = c.top(&["group-policy", "ra", "attributes"]).next().unwrap();
        assert_eq!(
            gp.children[0].children[0].text(),
            "anyconnect ssl dtls enable"
        );
        let webvpn = c.top(&["webvpn"]).next().unwrap();
        assert_eq!(webvpn.children[0].line, 26);
    }

    #[test]
    fn secrets_never_enter_the_tree() {
        let c = parse(SAMPLE);
        let dump = format!("{c:?}");
        for secret in [
            "8Ry2YjIyt7RRXU24",
            "cleartextradiuskey123",
            "SuperSecret123",
            "publicstring",
            "authsecret",
            "privsecret",
            "ntpsecret",
            "cleartextpsk456",
        ] {
            assert!(!dump.contains(secret), "{secret} leaked");
        }
        let user = c.top(&["username"]).next().unwrap();
        assert_eq!(
            user.text(),
            "username backdoor password ******** privilege 15"
        );
    }

    #[test]
    fn unindented_interface_commands_stay_with_their_interface() {
        let c = parse(
            "interface management0/0\nmanagement-only\nnameif management\nsecurity-level 100\n\
             no shut\n!\ninterface GigabitEthernet0/0\nno shutdown\nfailover lan unit primary\n\
             no failover key\n",
        );
        let interfaces: Vec<_> = c.top(&["interface"]).collect();
        assert_eq!(interfaces[0].children.len(), 4);
        assert_eq!(interfaces[1].children.len(), 1);
        assert!(c.top(&["failover", "lan"]).next().is_some());
        assert!(c.top(&["no", "failover", "key"]).next().is_some());
    }

    #[test]
    fn detection() {
        assert!(looks_like(SAMPLE));
        assert!(looks_like(
            "interface x\nnameif inside\nsecurity-level 100\n"
        ));
        assert!(!looks_like(
            "interface GigabitEthernet0/0\n ip address 10.0.0.1 255.0.0.0\n"
        ));
        assert!(!looks_like(
            "#config-version=FGT60F-7.4.5-FW-build2687-231213\n"
        ));
    }

    #[test]
    fn garbage_and_odd_indentation_do_not_panic() {
        for text in [
            "   indented first\n",
            "\u{0}\u{1}\n\n  \t\n",
            " key\n",
            "snmp-server user u g v3 priv",
        ] {
            let _ = parse(text);
        }
        let c = parse("   key leaked\n");
        assert_eq!(c.commands[0].text(), "key ********");
    }
}
