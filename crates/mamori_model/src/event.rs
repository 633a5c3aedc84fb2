//! The normalised security event: what every log parser produces and every detection reads.
//!
//! Parsers (EVTX, syslog, vendor formats) map their records to [`LogEvent`]; detections never
//! see raw records. Windows events are recognised by channel and provider as well as event id,
//! so an Application-channel 4625 is not a logon failure.

use std::net::IpAddr;

use serde::Serialize;

use crate::finding::SourceRef;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A logon attempt (see `outcome`): Windows 4624/4625/4771/4776, sshd, VPN, admin GUI.
    Logon,
    /// A logon with explicit credentials (Windows 4648, `runas`), naming a target account.
    ExplicitCredentials,
    /// A new account (Windows 4720, useradd): attackers create accounts to return.
    AccountCreated,
    /// An account enabled (Windows 4722).
    AccountEnabled,
    /// An account deleted (Windows 4726): covering tracks.
    AccountDeleted,
    /// A member added to a group; `group` names it, `privileged_group` says if it is an
    /// administrators-class group.
    GroupMemberAdded,
    /// A security log cleared (Windows 1102, 104): covering tracks.
    AuditLogCleared,
    /// Antivirus real-time protection or the whole engine switched off.
    AvDisabled,
    /// A service installed (Windows 7045): how PsExec-style tools run.
    ServiceInstalled,
    /// sudo and similar: a command run with raised privileges.
    PrivilegeUse,
}

impl EventKind {
    /// The name in JSON and in the timeline CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Logon => "logon",
            EventKind::ExplicitCredentials => "explicit-credentials",
            EventKind::AccountCreated => "account-created",
            EventKind::AccountEnabled => "account-enabled",
            EventKind::AccountDeleted => "account-deleted",
            EventKind::GroupMemberAdded => "group-member-added",
            EventKind::AuditLogCleared => "audit-log-cleared",
            EventKind::AvDisabled => "av-disabled",
            EventKind::ServiceInstalled => "service-installed",
            EventKind::PrivilegeUse => "privilege-use",
        }
    }
}

/// Whether the attempt succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It succeeded.
    Success,
    /// It failed.
    Failure,
    /// The source does not say.
    Unknown,
}

impl Outcome {
    /// The outcome's name in JSON and timelines.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Unknown => "unknown",
        }
    }
}

/// How the logon was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    /// SSH.
    Ssh,
    /// Remote Desktop.
    Rdp,
    /// A network logon (file shares, Windows type 3).
    Network,
    /// At the console.
    Interactive,
    /// A VPN.
    Vpn,
    /// A device's administration GUI.
    AdminGui,
    /// Kerberos (domain controllers).
    Kerberos,
    /// NTLM (domain controllers, 4776).
    Ntlm,
    /// A service or batch logon.
    Service,
    /// Anything else.
    Other,
}

impl AuthMethod {
    /// Remote, interactive ways in: the logons that matter outside business hours.
    pub fn is_remote_access(self) -> bool {
        matches!(
            self,
            AuthMethod::Rdp | AuthMethod::Vpn | AuthMethod::AdminGui | AuthMethod::Ssh
        )
    }

    /// The method's name in JSON and timelines.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Ssh => "ssh",
            AuthMethod::Rdp => "rdp",
            AuthMethod::Network => "network",
            AuthMethod::Interactive => "interactive",
            AuthMethod::Vpn => "vpn",
            AuthMethod::AdminGui => "admin-gui",
            AuthMethod::Kerberos => "kerberos",
            AuthMethod::Ntlm => "ntlm",
            AuthMethod::Service => "service",
            AuthMethod::Other => "other",
        }
    }
}

/// One normalised event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogEvent {
    /// When it happened; `None` when the record's time could not be read.
    pub time: Option<jiff::Timestamp>,
    /// What happened.
    pub kind: EventKind,
    /// Whether it succeeded.
    pub outcome: Outcome,
    /// How the logon was made, where the source says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<AuthMethod>,
    /// The machine that logged it (Computer, syslog host).
    pub host: String,
    /// Where the attempt came from, when the source says (IPv4-mapped IPv6 is folded to IPv4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<IpAddr>,
    /// The workstation name of the source, when there is no address (Windows WorkstationName).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_host: String,
    /// The account acted on or logging on.
    pub user: String,
    /// The account's domain (Windows), when given.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Who did it, when different from `user` (the admin who created an account).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub actor: String,
    /// Failure reason in the source's words or code (`0xc000006a`, `Failed password`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Group name (GroupMemberAdded), service name (ServiceInstalled), log name (cleared).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub object: String,
    /// The group is an administrators-class group.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub privileged_group: bool,
    /// `Security 4625`, `sshd`, …: what the source called it.
    pub source_event: String,
    /// The file and line or record it was read from.
    pub origin: SourceRef,
}

impl LogEvent {
    /// An event with only kind, outcome and origin set; parsers fill in the rest.
    pub fn new(kind: EventKind, outcome: Outcome, origin: SourceRef) -> Self {
        Self {
            time: None,
            kind,
            outcome,
            method: None,
            host: String::new(),
            source_ip: None,
            source_host: String::new(),
            user: String::new(),
            domain: String::new(),
            actor: String::new(),
            reason: String::new(),
            object: String::new(),
            privileged_group: false,
            source_event: String::new(),
            origin,
        }
    }

    /// Where an attempt came from, for grouping: the IP address, else the workstation name,
    /// else `local@HOST` (a logon typed at, or scripted on, the machine itself).
    pub fn source_key(&self) -> String {
        match (&self.source_ip, self.source_host.is_empty()) {
            (Some(ip), _) => ip.to_string(),
            (None, false) => self.source_host.clone(),
            (None, true) => format!("local@{}", self.host),
        }
    }
}

/// Parses an address as logs write it: `::ffff:10.0.0.1` becomes `10.0.0.1`; `-`, empty and
/// garbage become `None`.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let ip: IpAddr = s.parse().ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_json_names() {
        for kind in [
            EventKind::ExplicitCredentials,
            EventKind::GroupMemberAdded,
            EventKind::AvDisabled,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(
            serde_json::to_value(Outcome::Failure).unwrap(),
            Outcome::Failure.as_str()
        );
    }

    #[test]
    fn ip_parsing_folds_mapped_ipv4() {
        assert_eq!(parse_ip("::ffff:10.23.123.11"), "10.23.123.11".parse().ok());
        assert_eq!(parse_ip("fe80::1"), "fe80::1".parse().ok());
        assert_eq!(parse_ip("-"), None);
        assert_eq!(parse_ip("192.030.0.6"), None, "not a valid address");
    }

    #[test]
    fn source_key_falls_back_to_workstation_then_local() {
        let mut e = LogEvent::new(EventKind::Logon, Outcome::Failure, SourceRef::default());
        e.host = "FS01".into();
        assert_eq!(e.source_key(), "local@FS01");
        e.source_host = "KALI".into();
        assert_eq!(e.source_key(), "KALI");
        e.source_ip = parse_ip("10.0.0.5");
        assert_eq!(e.source_key(), "10.0.0.5");
    }
}
