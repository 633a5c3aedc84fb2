//! Gateway configuration backups → [`Gateway`] facts, secrets masked as they are read.
//!
//! `fortios` and `asa` parse their vendor's syntax into a tree with line numbers;
//! `fortios_gateway` and `asa_gateway` read the facts the `gateway.*` checks need out of those
//! trees. [`read_config`] detects the format from the content: a file that is not a
//! configuration mamori knows is skipped with the reason, never misread. YAMAHA RTX and PAN-OS
//! configurations are read by `rtx` (one module: parse and facts); PAN-OS XML and `set`
//! configurations by `panos` (into one tree) and `panos_gateway` (facts).

pub mod asa;
mod asa_gateway;
pub mod fortios;
mod fortios_gateway;
pub mod panos;
mod panos_gateway;
pub mod rtx;

use std::path::{Path, PathBuf};

use mamori_model::Localized;
use mamori_model::gateway::{Gateway, Interface, WanReason};

use crate::decode::decode_lines;

/// What replaces a secret value.
pub const MASK: &str = "********";

/// A configuration format, as detected from the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    /// A FortiOS backup (a `#config-version=` header, or `config system …` blocks).
    Fortios,
    /// A Cisco ASA running configuration.
    CiscoAsa,
    /// A YAMAHA RTX configuration.
    YamahaRtx,
    /// A PAN-OS configuration (XML or `set` commands).
    PanOs,
}

/// Guesses the format of a configuration from its text.
pub fn detect(text: &str) -> Option<Detected> {
    if fortios::looks_like(text) {
        return Some(Detected::Fortios);
    }
    if asa::looks_like(text) {
        return Some(Detected::CiscoAsa);
    }
    let head: String = text.chars().take(64 * 1024).collect();
    if panos::looks_like(&head) {
        return Some(Detected::PanOs);
    }
    let rtx_lines = head
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("ip lan")
                || l.starts_with("pp select")
                || l.starts_with("administrator password")
                || l.starts_with("login password")
                || l.starts_with("login user ")
                || l.starts_with("user attribute ")
                || l.starts_with("nat descriptor")
                || l.starts_with("ip route default gateway")
        })
        .count();
    (rtx_lines >= 2).then_some(Detected::YamahaRtx)
}

/// Reads one configuration file's bytes. `Err` says why the file was skipped.
pub fn read_config(file: &str, bytes: &[u8]) -> Result<Gateway, Localized> {
    if bytes.is_empty() {
        return Err(Localized::new("空のファイルです", "empty file"));
    }
    // Text configurations have no NUL bytes; archives, images and encrypted backups do.
    if bytes.iter().take(64 * 1024).any(|&b| b == 0) {
        return Err(Localized::new(
            "バイナリファイルのため設定として読めません（暗号化されたバックアップは平文で書き出してください）",
            "binary file, not a text configuration (export encrypted backups as plain text)",
        ));
    }
    // Line by line; a byte neither encoding reads (in a comment, a description) becomes `�`.
    let text = decode_lines(bytes).text;
    match detect(&text) {
        Some(Detected::Fortios) => Ok(fortios_gateway::gateway(file, &fortios::parse(&text))),
        Some(Detected::CiscoAsa) => Ok(asa_gateway::gateway(file, &asa::parse(&text))),
        Some(Detected::YamahaRtx) => Ok(rtx::gateway(file, &rtx::parse(&text))),
        Some(Detected::PanOs) => Ok(panos_gateway::gateway(file, &panos::parse(&text))),
        None => Err(Localized::new(
            "FortiGate・Cisco ASA・YAMAHA RTX・Palo Alto の設定ファイルではないようです",
            "not a FortiGate, Cisco ASA, YAMAHA RTX or Palo Alto configuration",
        )),
    }
}

/// One configuration file read from disk: its facts, or why it was skipped.
pub struct ConfigFile {
    /// The name its findings cite.
    pub file: String,
    /// Lines in the file, for the inputs summary.
    pub lines: usize,
    /// The gateway facts, or why the file was not read as a configuration.
    pub result: Result<Gateway, Localized>,
}

/// Reads every file in `paths`: folders are walked (subfolders too, hidden entries left out;
/// see [`crate::files`]), files in sorted order. Links are followed only inside `within` (the
/// site folder) or, without it, inside each path named. `name` gives each file the name its
/// findings will cite.
pub fn read_config_files(
    paths: &[PathBuf],
    within: Option<&Path>,
    name: impl Fn(&Path) -> String,
) -> Vec<ConfigFile> {
    let walked = crate::files::walk_paths(paths, within);
    let skipped = walked.skipped.into_iter().map(|(path, reason)| ConfigFile {
        file: name(&path),
        lines: 0,
        result: Err(reason),
    });
    let mut files: Vec<ConfigFile> = walked
        .files
        .into_iter()
        .map(|path| {
            let file = name(&path);
            match crate::files::read_limited(&path) {
                Ok(bytes) => ConfigFile {
                    lines: bytes.iter().filter(|&&b| b == b'\n').count(),
                    result: read_config(&file, &bytes),
                    file,
                },
                Err(e) => ConfigFile {
                    file,
                    lines: 0,
                    result: Err(mamori_model::input::io_message(&e)),
                },
            }
        })
        .collect();
    files.extend(skipped);
    files.sort_by(|a, b| a.file.cmp(&b.file));
    files
}

/// A public address marks the internet side only when nothing stronger marks any interface:
/// some hospitals number their inside networks with public ranges.
pub(crate) fn keep_public_address_as_last_resort(interfaces: &mut [Interface]) {
    let stronger = interfaces
        .iter()
        .any(|i| i.wan.iter().any(|r| *r != WanReason::PublicAddress));
    if stronger {
        for i in interfaces {
            i.wan.retain(|r| *r != WanReason::PublicAddress);
        }
    }
}

/// Dotted mask (`255.255.255.0`) or `0` → prefix length.
pub(crate) fn mask_prefix(mask: &str) -> Option<u8> {
    if mask == "0" {
        return Some(0);
    }
    let addr: std::net::Ipv4Addr = mask.parse().ok()?;
    Some(u32::from(addr).count_ones() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_what_is_not_a_configuration() {
        let skipped = |bytes: &[u8]| read_config("x", bytes).unwrap_err().en;
        assert_eq!(skipped(b""), "empty file");
        assert!(skipped(b"PK\x03\x04\x00\x00").starts_with("binary"));
        assert!(skipped(b"Nov 21 10:00:00 host sshd[1]: hello\n").starts_with("not a FortiGate"));
        // YAMAHA RTX is read now (configs/rtx.rs).
        let rtx = read_config("x", b"ip lan1 address 192.168.0.1/24\npp select 1\n").unwrap();
        assert_eq!(rtx.format.product(), "YAMAHA RTX");
        let panos = read_config("x", b"<config version=\"10.1.0\"><devices/></config>").unwrap();
        assert_eq!(panos.format.product(), "Palo Alto PAN-OS");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_prefix("255.255.255.0"), Some(24));
        assert_eq!(mask_prefix("0.0.0.0"), Some(0));
        assert_eq!(mask_prefix("0"), Some(0));
        assert_eq!(mask_prefix("x"), None);
    }
}
