//! Windows events (as the JSON form the `evtx` crate produces; later also JSON-lines and XML
//! exports) → [`LogEvent`].
//!
//! Events are recognised by channel *and* provider *and* id: an Application-channel 4625 or a
//! System 104 from another provider is not what it looks like. The event's own
//! `System/TimeCreated` is used, never the EVTX record header (some headers carry zero).

use mamori_model::SourceRef;
use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome, parse_ip};
use serde_json::Value;

const SECURITY_AUDITING: &str = "Microsoft-Windows-Security-Auditing";
const EVENTLOG: &str = "Microsoft-Windows-Eventlog";
const SCM: &str = "Service Control Manager";
const DEFENDER: &str = "Microsoft-Windows-Windows Defender";
const RDP_RCM: &str = "Microsoft-Windows-TerminalServices-RemoteConnectionManager";
const RDP_LSM: &str = "Microsoft-Windows-TerminalServices-LocalSessionManager";

/// Well-known SIDs and RIDs of administrators-class groups.
const PRIVILEGED_SIDS: &[&str] = &[
    "S-1-5-32-544", // Administrators
    "S-1-5-32-548", // Account Operators
    "S-1-5-32-549", // Server Operators
    "S-1-5-32-551", // Backup Operators
];
const PRIVILEGED_RIDS: &[&str] = &["-512", "-518", "-519", "-520"]; // Domain/Schema/Enterprise Admins, GPO Creators
const PRIVILEGED_NAMES: &[&str] = &[
    "administrators",
    "domain admins",
    "enterprise admins",
    "schema admins",
    "backup operators",
    "account operators",
    "server operators",
];

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, key| v.get(*key))
}

/// A field as text: strings as they are, numbers printed, `-` and null as empty.
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) if s != "-" => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// `System/EventRecordID` of an event: a number in JSON, text in XML exports.
pub fn record_id(event: &Value) -> Option<u64> {
    let v = event.get("System")?.get("EventRecordID")?;
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

/// Maps one Windows event (the object holding `System` and `EventData`/`UserData`) to a
/// normalised event, or `None` when it is not one mamori hunts on.
pub fn map_event(event: &Value, origin: SourceRef) -> Option<LogEvent> {
    let system = event.get("System")?;
    let channel = text(system.get("Channel"));
    let provider = text(
        str_at(system, &["Provider_attributes", "Name"])
            .or_else(|| str_at(system, &["Provider", "#attributes", "Name"])),
    );
    let id: u32 = match system.get("EventID")? {
        Value::Number(n) => n.as_u64()? as u32,
        Value::String(s) => s.parse().ok()?,
        // <EventID Qualifiers="…">7045</EventID>
        other => other.get("#text")?.as_u64()? as u32,
    };
    let data = event.get("EventData").unwrap_or(&Value::Null);

    let (kind, outcome) = match kind_of(&channel, &provider, id, data)? {
        Classified::Event(kind, outcome) => (kind, outcome),
        Classified::OpenSsh => return openssh_payload(system, data, origin),
    };
    let mut e = LogEvent::new(kind, outcome, origin);
    e.time = text(
        str_at(system, &["TimeCreated", "#attributes", "SystemTime"])
            .or_else(|| str_at(system, &["TimeCreated_attributes", "SystemTime"])),
    )
    .parse::<jiff::Timestamp>()
    .ok();
    e.host = text(system.get("Computer"));
    e.source_event = format!("{channel} {id}");

    fill(&mut e, kind, id, event, data);
    normalise_user(&mut e);
    Some(e)
}

/// What kind of event a channel, provider and id make, or that it is an OpenSSH event whose
/// payload is read as a log line; `None` when mamori does not hunt on it.
fn kind_of(channel: &str, provider: &str, id: u32, data: &Value) -> Option<Classified> {
    let field = |name: &str| text(data.get(name));
    let (kind, outcome) = match (channel, provider, id) {
        ("Security", SECURITY_AUDITING, 4624) => (EventKind::Logon, Outcome::Success),
        ("Security", SECURITY_AUDITING, 4625 | 4771) => (EventKind::Logon, Outcome::Failure),
        ("Security", SECURITY_AUDITING, 4776) => {
            let ok = matches!(field("Status").as_str(), "0x0" | "0" | "");
            (
                EventKind::Logon,
                if ok {
                    Outcome::Success
                } else {
                    Outcome::Failure
                },
            )
        }
        ("Security", SECURITY_AUDITING, 4648) => (EventKind::ExplicitCredentials, Outcome::Unknown),
        ("Security", SECURITY_AUDITING, 4720) => (EventKind::AccountCreated, Outcome::Success),
        ("Security", SECURITY_AUDITING, 4722) => (EventKind::AccountEnabled, Outcome::Success),
        ("Security", SECURITY_AUDITING, 4726) => (EventKind::AccountDeleted, Outcome::Success),
        ("Security", SECURITY_AUDITING, 4728 | 4732 | 4756) => {
            (EventKind::GroupMemberAdded, Outcome::Success)
        }
        ("Security", EVENTLOG, 1102) | ("System", EVENTLOG, 104) => {
            (EventKind::AuditLogCleared, Outcome::Success)
        }
        ("System", SCM, 7045) => (EventKind::ServiceInstalled, Outcome::Success),
        (c, DEFENDER, 5001 | 5010 | 5012) if c.starts_with(DEFENDER) => {
            (EventKind::AvDisabled, Outcome::Success)
        }
        (c, RDP_RCM, 1149) if c.starts_with(RDP_RCM) => (EventKind::Logon, Outcome::Success),
        (c, RDP_LSM, 21 | 25) if c.starts_with(RDP_LSM) => (EventKind::Logon, Outcome::Success),
        ("OpenSSH/Operational", _, 4) => return Some(Classified::OpenSsh),
        _ => return None,
    };
    Some(Classified::Event(kind, outcome))
}

/// An event mamori hunts on.
enum Classified {
    Event(EventKind, Outcome),
    /// OpenSSH/Operational 4: its payload is an sshd log line.
    OpenSsh,
}

/// The fields of a normalised event, by kind and id.
fn fill(e: &mut LogEvent, kind: EventKind, id: u32, event: &Value, data: &Value) {
    let field = |name: &str| text(data.get(name));
    match (kind, id) {
        (EventKind::Logon, 4624 | 4625) => {
            e.user = field("TargetUserName");
            e.domain = field("TargetDomainName");
            e.source_ip = parse_ip(&field("IpAddress"));
            e.source_host = field("WorkstationName");
            e.method = Some(logon_type_method(&field("LogonType")));
            if id == 4625 {
                let sub = field("SubStatus");
                e.reason = if sub.is_empty() || sub == "0x0" {
                    field("Status")
                } else {
                    sub
                };
            }
        }
        (EventKind::Logon, 4771) => {
            e.user = field("TargetUserName");
            e.source_ip = parse_ip(&field("IpAddress"));
            e.method = Some(AuthMethod::Kerberos);
            e.reason = field("Status");
        }
        (EventKind::Logon, 4776) => {
            e.user = field("TargetUserName");
            e.source_host = field("Workstation");
            e.method = Some(AuthMethod::Ntlm);
            e.reason = field("Status");
        }
        (EventKind::Logon, 1149) => {
            let xml = str_at(event, &["UserData", "EventXML"]).unwrap_or(&Value::Null);
            e.user = text(xml.get("Param1"));
            e.domain = text(xml.get("Param2"));
            e.source_ip = parse_ip(&text(xml.get("Param3")));
            e.method = Some(AuthMethod::Rdp);
        }
        (EventKind::Logon, _) => {
            let xml = str_at(event, &["UserData", "EventXML"]).unwrap_or(&Value::Null);
            let user = text(xml.get("User"));
            match user.split_once('\\') {
                Some((domain, name)) => {
                    e.domain = domain.to_owned();
                    e.user = name.to_owned();
                }
                None => e.user = user,
            }
            e.source_ip = parse_ip(&text(xml.get("Address")));
            e.method = Some(AuthMethod::Rdp);
        }
        (EventKind::ExplicitCredentials, _) => {
            e.actor = field("SubjectUserName");
            e.user = field("TargetUserName");
            e.domain = field("TargetDomainName");
            e.source_ip = parse_ip(&field("IpAddress"));
        }
        (EventKind::AccountCreated | EventKind::AccountEnabled | EventKind::AccountDeleted, _) => {
            e.user = field("TargetUserName");
            e.domain = field("TargetDomainName");
            e.actor = field("SubjectUserName");
        }
        (EventKind::GroupMemberAdded, _) => {
            let member = field("MemberName");
            e.user = if member.is_empty() {
                field("MemberSid")
            } else {
                member
            };
            e.object = field("TargetUserName");
            e.actor = field("SubjectUserName");
            let sid = field("TargetSid");
            e.privileged_group = PRIVILEGED_SIDS.contains(&sid.as_str())
                || PRIVILEGED_RIDS.iter().any(|rid| sid.ends_with(rid))
                || PRIVILEGED_NAMES.contains(&e.object.to_lowercase().as_str());
        }
        (EventKind::AuditLogCleared, _) => {
            let cleared = str_at(event, &["UserData", "LogFileCleared"]).unwrap_or(&Value::Null);
            e.actor = text(cleared.get("SubjectUserName"));
            e.domain = text(cleared.get("SubjectDomainName"));
            let channel_name = text(cleared.get("Channel"));
            e.object = if id == 1102 {
                "Security".into()
            } else if channel_name.is_empty() {
                "System".into()
            } else {
                channel_name
            };
        }
        (EventKind::ServiceInstalled, _) => {
            e.object = field("ServiceName");
            e.reason = field("ImagePath");
            e.actor = field("AccountName");
        }
        (EventKind::AvDisabled, _) => {
            e.object = match id {
                5001 => "real-time protection".into(),
                5010 => "malware scanning".into(),
                _ => "virus scanning".into(),
            };
        }
        _ => {}
    }
}

/// `admmig@offsec.lan` and `OFFSEC\admmig` are the account `admmig` of that domain.
fn normalise_user(e: &mut LogEvent) {
    if let Some((user, domain)) = e.user.split_once('@') {
        if e.domain.is_empty() {
            e.domain = domain.to_owned();
        }
        e.user = user.to_owned();
    } else if let Some((domain, user)) = e.user.split_once('\\') {
        if e.domain.is_empty() {
            e.domain = domain.to_owned();
        }
        e.user = user.to_owned();
    }
}

/// Windows' OpenSSH server logs sshd's own text lines as OpenSSH/Operational event 4.
fn openssh_payload(system: &Value, data: &Value, origin: SourceRef) -> Option<LogEvent> {
    let payload = text(data.get("payload"));
    let time = text(
        str_at(system, &["TimeCreated", "#attributes", "SystemTime"])
            .or_else(|| str_at(system, &["TimeCreated_attributes", "SystemTime"])),
    )
    .parse::<jiff::Timestamp>()
    .ok();
    let host = text(system.get("Computer"));
    let header = crate::syslog::Header {
        time,
        host: &host,
        program: "sshd",
        pid: "",
        message: &payload,
    };
    let (mut e, _) = crate::syslog::map_message(&header, origin)?;
    e.source_event = "OpenSSH/Operational 4".into();
    Some(e)
}

fn logon_type_method(logon_type: &str) -> AuthMethod {
    match logon_type {
        "2" | "7" | "11" => AuthMethod::Interactive,
        "3" | "8" => AuthMethod::Network,
        "5" => AuthMethod::Service,
        "10" | "12" => AuthMethod::Rdp,
        _ => AuthMethod::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(channel: &str, provider: &str, id: u32, data: Value) -> Value {
        json!({
            "System": {
                "Provider_attributes": {"Name": provider},
                "EventID": id,
                "Channel": channel,
                "Computer": "PC-01",
                "TimeCreated_attributes": {"SystemTime": "2026-01-01T15:00:00.000000Z"}
            },
            "EventData": data
        })
    }

    #[test]
    fn logon_failure_is_recognised_only_in_the_security_channel() {
        let data = json!({"TargetUserName": "admin", "IpAddress": "10.0.0.9", "LogonType": 10,
                          "Status": "0xc000006d", "SubStatus": "0xc000006a"});
        let e = map_event(
            &event("Security", SECURITY_AUDITING, 4625, data.clone()),
            SourceRef::default(),
        )
        .unwrap();
        assert_eq!(
            (e.kind, e.outcome, e.method),
            (EventKind::Logon, Outcome::Failure, Some(AuthMethod::Rdp))
        );
        assert_eq!(e.reason, "0xc000006a");
        assert_eq!(e.time.unwrap().to_string(), "2026-01-01T15:00:00Z");
        assert!(
            map_event(
                &event("Application", "MSSQLSERVER", 4625, data),
                SourceRef::default()
            )
            .is_none()
        );
    }

    #[test]
    fn admin_group_by_sid_or_name() {
        let data = json!({"MemberName": "-", "MemberSid": "S-1-5-20", "TargetUserName": "Administrators",
                          "TargetSid": "S-1-5-32-544", "SubjectUserName": "IEUser"});
        let e = map_event(
            &event("Security", SECURITY_AUDITING, 4732, data),
            SourceRef::default(),
        )
        .unwrap();
        assert!(e.privileged_group);
        assert_eq!((e.user.as_str(), e.actor.as_str()), ("S-1-5-20", "IEUser"));
        let users =
            json!({"MemberName": "x", "TargetUserName": "Users", "TargetSid": "S-1-5-32-545"});
        let e = map_event(
            &event("Security", SECURITY_AUDITING, 4732, users),
            SourceRef::default(),
        )
        .unwrap();
        assert!(!e.privileged_group);
    }
}
