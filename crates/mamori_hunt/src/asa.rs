//! Cisco ASA syslog messages (`%ASA-6-113005: …`) → [`LogEvent`]: AAA and VPN authentication,
//! administrator logins, local users created. The syslog header in front is optional (ASA
//! often writes `Jan 01 2026 12:00:00 fw : %ASA-…`, with the year).

use jiff::civil::DateTime;
use mamori_model::SourceRef;
use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome, parse_ip};

use crate::syslog::{TimeContext, parse_header};

/// Does the line carry an ASA message?
pub fn looks_like(line: &str) -> bool {
    line.contains("%ASA-") || line.contains("%FTD-")
}

/// The value after `key = ` (case-insensitive) up to the next ` :`, `,` or end.
fn field<'a>(msg: &'a str, key: &str) -> Option<&'a str> {
    let lower = msg.to_ascii_lowercase();
    let at = lower.find(&format!("{} = ", key.to_ascii_lowercase()))? + key.len() + 3;
    let rest = msg.get(at..)?;
    let end = rest.find([',', ':']).unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The text between `<` and `>` after `key`: `User <bob>`.
fn angle<'a>(msg: &'a str, key: &str) -> Option<&'a str> {
    let at = msg.find(&format!("{key} <"))? + key.len() + 2;
    let rest = msg.get(at..)?;
    Some(&rest[..rest.find('>')?])
}

/// Time and device name from what precedes `%ASA-`.
fn header(prefix: &str, tc: &TimeContext) -> (Option<jiff::Timestamp>, String) {
    let prefix = prefix.trim();
    let prefix = match prefix.strip_prefix('<') {
        Some(rest) => rest.split_once('>').map_or(rest, |(_, r)| r),
        None => prefix,
    };
    let tokens: Vec<&str> = prefix.split_whitespace().collect();
    // "Jan 01 2026 12:00:00 fw :"
    if tokens.len() >= 4 && tokens[2].len() == 4 && tokens[2].parse::<u16>().is_ok() {
        let text = format!("{} {} {} {}", tokens[0], tokens[1], tokens[2], tokens[3]);
        let time = jiff::fmt::strtime::parse("%b %d %Y %H:%M:%S", &text)
            .ok()
            .and_then(|t| t.to_datetime().ok())
            .and_then(|dt: DateTime| dt.to_zoned(tc.zone.clone()).ok())
            .map(|z| z.timestamp());
        let host = tokens
            .get(4)
            .map_or("", |h| h.trim_end_matches(':'))
            .to_owned();
        return (time, host);
    }
    // An RFC 3164 header: reuse the syslog parser on a stand-in message.
    match parse_header(&format!("{prefix} x"), tc) {
        Some(h) => (h.time, h.host.trim_end_matches(':').to_owned()),
        None => (None, String::new()),
    }
}

/// Maps one ASA line to an event, or `None` when it is not one mamori hunts on.
pub fn map_line(line: &str, tc: &TimeContext, origin: SourceRef) -> Option<LogEvent> {
    let start = line.find("%ASA-").or_else(|| line.find("%FTD-"))?;
    let (prefix, rest) = line.split_at(start);
    let (tag, msg) = rest.split_once(": ")?;
    let id = tag.rsplit('-').next()?;
    let msg = msg.trim();
    let (kind, outcome, method) = match id {
        "113004" | "611101" | "716038" => (EventKind::Logon, Outcome::Success, AuthMethod::Vpn),
        "113005" | "113015" | "611102" | "716039" => {
            (EventKind::Logon, Outcome::Failure, AuthMethod::Vpn)
        }
        "605004" => (EventKind::Logon, Outcome::Failure, AuthMethod::AdminGui),
        "605005" => (EventKind::Logon, Outcome::Success, AuthMethod::AdminGui),
        "502101" => (
            EventKind::AccountCreated,
            Outcome::Success,
            AuthMethod::AdminGui,
        ),
        _ => return None,
    };
    let mut e = LogEvent::new(kind, outcome, origin);
    let (time, host) = header(prefix, tc);
    e.time = time;
    e.host = host;
    e.method = Some(method);
    e.source_event = format!("ASA {id}");
    match id {
        "113004" | "113005" | "113015" => {
            e.user = field(msg, "user").unwrap_or_default().to_owned();
            e.source_ip = field(msg, "user IP").and_then(parse_ip);
            if outcome == Outcome::Failure {
                e.reason = field(msg, "reason").unwrap_or("rejected").to_owned();
            }
        }
        "716038" | "716039" => {
            e.user = angle(msg, "User").unwrap_or_default().to_owned();
            e.source_ip = angle(msg, "IP").and_then(parse_ip);
            if outcome == Outcome::Failure {
                e.reason = "authentication rejected".into();
            }
        }
        "611101" | "611102" => {
            e.user = msg
                .split("Uname: ")
                .nth(1)
                .map_or("", |u| u.split_whitespace().next().unwrap_or(""))
                .to_owned();
            e.method = Some(AuthMethod::AdminGui);
        }
        "605004" | "605005" => {
            // "Login denied from 192.168.2.10/32597 to outside:192.168.2.14/ssh for user "root""
            let from = msg
                .split(" from ")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or("");
            e.source_ip = parse_ip(from);
            if msg.contains("/ssh ") {
                e.method = Some(AuthMethod::Ssh);
            }
            e.user = msg
                .split("for user ")
                .nth(1)
                .map_or("", |u| u.trim().trim_matches('"'))
                .to_owned();
            if outcome == Outcome::Failure {
                e.reason = "login denied".into();
            }
        }
        "502101" => {
            let uname = msg.split("Uname: ").nth(1).unwrap_or("");
            e.user = uname.split_whitespace().next().unwrap_or("").to_owned();
            let privilege = msg
                .split("Priv: ")
                .nth(1)
                .and_then(|p| p.split_whitespace().next())
                .unwrap_or("");
            e.object = "local dbase".into();
            e.privileged_group = privilege == "15";
            e.reason = format!("privilege {privilege}");
        }
        _ => {}
    }
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc() -> TimeContext {
        TimeContext {
            zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
            reference: jiff::civil::date(2026, 11, 21),
        }
    }

    fn ev(line: &str) -> LogEvent {
        map_line(line, &tc(), SourceRef::default()).unwrap()
    }

    #[test]
    fn aaa_and_webvpn_and_admin_logins() {
        let e = ev(
            "Jan 02 2026 03:04:05 asa01 : %ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : server = 10.0.0.5 : user = tanaka : user IP = 203.0.113.7",
        );
        assert_eq!(
            (
                e.outcome,
                e.user.as_str(),
                e.source_key(),
                e.reason.as_str()
            ),
            (
                Outcome::Failure,
                "tanaka",
                "203.0.113.7".to_owned(),
                "AAA failure"
            )
        );
        assert_eq!(
            (e.host.as_str(), e.time.unwrap().to_string().as_str()),
            ("asa01", "2026-01-01T18:04:05Z")
        );
        let e = ev(
            "%ASA-4-716039: Group <DfltGrpPolicy> User <admin> IP <198.51.100.9> Authentication: rejected, Session Type: WebVPN.",
        );
        assert_eq!(
            (e.outcome, e.user.as_str(), e.source_key()),
            (Outcome::Failure, "admin", "198.51.100.9".to_owned())
        );
        let e = ev(
            "<166>Nov 20 10:00:00 asa01 %ASA-6-605005: Login permitted from 10.1.1.5/50123 to inside:10.1.1.1/https for user \"enable_15\"",
        );
        assert_eq!(
            (e.outcome, e.method, e.user.as_str()),
            (Outcome::Success, Some(AuthMethod::AdminGui), "enable_15")
        );
        let e = ev(
            "%ASA-5-502101: New user added to local dbase: Uname: backdoor Priv: 15 Encpass: ***",
        );
        assert_eq!(
            (e.kind, e.user.as_str(), e.privileged_group),
            (EventKind::AccountCreated, "backdoor", true)
        );
        assert!(
            map_line(
                "%ASA-6-302013: Built inbound TCP connection",
                &tc(),
                SourceRef::default()
            )
            .is_none()
        );
    }
}
