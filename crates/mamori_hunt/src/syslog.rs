//! Syslog text lines (RFC 3164, RFC 5424 and the ISO-timestamp form rsyslog writes) → the
//! header, then the message of known programs (sshd, sudo, useradd/usermod) → [`LogEvent`].
//!
//! RFC 3164 lines carry neither year nor zone: the zone is the site's (Asia/Tokyo unless told
//! otherwise) and the year is the latest one that does not put the line after the reference day.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use mamori_model::SourceRef;
use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome, parse_ip};

/// How to read times that do not say their year or zone.
#[derive(Clone)]
pub struct TimeContext {
    pub zone: TimeZone,
    /// Lines are assumed not to be later than this day (plus one, for clock skew).
    pub reference: Date,
}

/// The parts of a syslog line that matter here.
#[derive(Debug, PartialEq)]
pub struct Header<'a> {
    pub time: Option<jiff::Timestamp>,
    pub host: &'a str,
    /// Program name without the pid: `sshd`, `sudo`.
    pub program: &'a str,
    pub message: &'a str,
}

/// `Jan` → 1. On bytes, because this runs for every line of every text log.
fn month_number(name: &[u8]) -> Option<i8> {
    Some(match name {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    })
}

/// The last `Mmm dd hh:mm` resolved to an instant. Consecutive lines nearly always share their
/// minute, and placing a civil time in a zone is the costliest step of reading a line.
#[derive(Default)]
pub struct MinuteCache {
    key: [u8; 12],
    minute: Option<jiff::Timestamp>,
}

/// Splits a syslog line into header and message, or `None` when it is not syslog.
pub fn parse_header<'a>(line: &'a str, tc: &TimeContext) -> Option<Header<'a>> {
    parse_header_cached(line, tc, &mut MinuteCache::default())
}

/// [`parse_header`] for a run of lines, reusing the last resolved minute.
pub fn parse_header_cached<'a>(
    line: &'a str,
    tc: &TimeContext,
    cache: &mut MinuteCache,
) -> Option<Header<'a>> {
    let mut rest = line.trim_end_matches(['\r', '\n']);
    // <PRI> and the RFC 5424 version.
    if let Some(after) = rest.strip_prefix('<') {
        let end = after.find('>')?;
        rest = &after[end + 1..];
        if let Some(v5424) = rest.strip_prefix("1 ") {
            return parse_5424(v5424);
        }
    }
    let (time, rest) = if rest.len() >= 15 && month_number(&rest.as_bytes()[..3]).is_some() {
        (parse_3164_time(rest.get(..15)?, tc, cache), rest.get(16..)?)
    } else {
        let (stamp, rest) = rest.split_once(' ')?;
        let time = stamp.parse::<jiff::Timestamp>().ok()?;
        (Some(time), rest)
    };
    let (host, rest) = rest.split_once(' ')?;
    let (tag, message) = rest.split_once(": ").or_else(|| rest.split_once(':'))?;
    let program = tag.split('[').next().unwrap_or(tag);
    Some(Header {
        time,
        host,
        program,
        message: message.trim_start(),
    })
}

fn parse_5424(rest: &str) -> Option<Header<'_>> {
    let mut parts = rest.splitn(6, ' ');
    let time = parts.next()?.parse::<jiff::Timestamp>().ok();
    let host = parts.next()?;
    let program = parts.next()?;
    let _procid = parts.next()?;
    let _msgid = parts.next()?;
    let rest = parts.next().unwrap_or("");
    // Structured data: "-" or one or more [..] blocks.
    let message = if let Some(m) = rest.strip_prefix("- ") {
        m
    } else if rest.starts_with('[') {
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && !rest[i + 1..].starts_with('[') {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest[end..].trim_start()
    } else {
        rest
    };
    Some(Header {
        time,
        host,
        program,
        message: message.trim_start_matches('\u{FEFF}'),
    })
}

fn parse_3164_time(
    stamp: &str,
    tc: &TimeContext,
    cache: &mut MinuteCache,
) -> Option<jiff::Timestamp> {
    // Byte offsets of "Mmm dd hh:mm:ss"; `get` because a garbled line may put a multibyte
    // character across them (found by the log_bytes fuzz target).
    let s: i8 = stamp.get(13..15)?.parse().ok()?;
    if stamp.get(12..13)? != ":" || !(0..60).contains(&s) {
        return None;
    }
    let key = &stamp.as_bytes()[..12];
    if key != cache.key {
        cache.key.copy_from_slice(key);
        cache.minute = resolve_minute(stamp, tc);
    }
    cache
        .minute
        .map(|m| m + jiff::SignedDuration::from_secs(i64::from(s)))
}

fn resolve_minute(stamp: &str, tc: &TimeContext) -> Option<jiff::Timestamp> {
    let month = month_number(stamp.get(..3)?.as_bytes())?;
    let day: i8 = stamp.get(4..6)?.trim().parse().ok()?;
    if stamp.get(9..10)? != ":" {
        return None;
    }
    let h: i8 = stamp.get(7..9)?.parse().ok()?;
    let m: i8 = stamp.get(10..12)?.parse().ok()?;
    let limit = tc.reference.tomorrow().ok()?;
    for year in [tc.reference.year(), tc.reference.year() - 1] {
        if let Ok(date) = Date::new(year, month, day)
            && date <= limit
        {
            let dt = DateTime::from_parts(date, jiff::civil::Time::new(h, m, 0, 0).ok()?);
            return dt.to_zoned(tc.zone.clone()).ok().map(|z| z.timestamp());
        }
    }
    None
}

/// Events in one syslog message, with how many attempts it stands for
/// (`message repeated 3 times: [ Failed password … ]` is three).
pub fn map_message(h: &Header, origin: SourceRef) -> Option<(LogEvent, u32)> {
    match h.program {
        "sshd" | "sshd-session" => sshd(h, origin),
        "sudo" => sudo(h, origin).map(|e| (e, 1)),
        "useradd" | "usermod" | "adduser" | "gpasswd" => account_tools(h, origin).map(|e| (e, 1)),
        _ => None,
    }
}

fn base(h: &Header, kind: EventKind, outcome: Outcome, origin: SourceRef, what: &str) -> LogEvent {
    let mut e = LogEvent::new(kind, outcome, origin);
    e.time = h.time;
    e.host = h.host.to_owned();
    e.source_event = what.to_owned();
    e
}

/// `… from HOST [port N] …` → (address or host name).
fn from_host(text: &str) -> &str {
    text.split(" from ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .unwrap_or("")
}

fn set_source(e: &mut LogEvent, host: &str) {
    match parse_ip(host) {
        Some(ip) => e.source_ip = Some(ip),
        None => e.source_host = host.to_owned(),
    }
}

fn sshd(h: &Header, origin: SourceRef) -> Option<(LogEvent, u32)> {
    let mut msg = h.message;
    let mut repeat = 1;
    if let Some(rest) = msg.strip_prefix("message repeated ") {
        let (n, rest) = rest.split_once(" times: [ ")?;
        repeat = n.parse().ok()?;
        msg = rest.trim_end_matches(']').trim_end();
    }
    let msg = msg.strip_prefix("error: ").unwrap_or(msg);

    if let Some(rest) = msg
        .strip_prefix("Failed ")
        .or_else(|| msg.strip_prefix("Accepted "))
    {
        let success = msg.starts_with("Accepted ");
        let (method, rest) = rest.split_once(" for ")?;
        let (user_part, _) = rest.split_once(" from ")?;
        let (invalid, user) = match user_part.strip_prefix("invalid user ") {
            Some(u) => (true, u),
            None => (false, user_part),
        };
        let outcome = if success {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        let mut e = base(h, EventKind::Logon, outcome, origin, "sshd");
        e.method = Some(AuthMethod::Ssh);
        e.user = user.to_owned();
        set_source(&mut e, from_host(rest));
        if !success {
            e.reason = if invalid {
                format!("failed {method} (invalid user)")
            } else {
                format!("failed {method}")
            };
        }
        return Some((e, repeat));
    }
    if let Some(rest) = msg
        .strip_prefix("Invalid user ")
        .or_else(|| msg.strip_prefix("Illegal user "))
    {
        let (user, _) = rest.split_once(" from ").unwrap_or(("", rest));
        let mut e = base(h, EventKind::Logon, Outcome::Failure, origin, "sshd");
        e.method = Some(AuthMethod::Ssh);
        e.user = user.trim().to_owned();
        set_source(&mut e, from_host(msg));
        e.reason = "invalid user".into();
        return Some((e, repeat));
    }
    if let Some(rest) = msg.strip_prefix("PAM: Authentication failure for ") {
        let (user, _) = rest.split_once(" from ")?;
        let mut e = base(h, EventKind::Logon, Outcome::Failure, origin, "sshd");
        e.method = Some(AuthMethod::Ssh);
        e.user = user.to_owned();
        set_source(&mut e, from_host(rest));
        e.reason = "PAM authentication failure".into();
        return Some((e, repeat));
    }
    if let Some(rest) = msg.strip_prefix("User ")
        && rest.contains(" not allowed because ")
    {
        let (user, _) = rest.split_once(" from ")?;
        let mut e = base(h, EventKind::Logon, Outcome::Failure, origin, "sshd");
        e.method = Some(AuthMethod::Ssh);
        e.user = user.to_owned();
        set_source(&mut e, from_host(rest));
        e.reason = "user not allowed".into();
        return Some((e, repeat));
    }
    if let Some(rest) = msg.strip_prefix("ROOT LOGIN REFUSED FROM ") {
        let mut e = base(h, EventKind::Logon, Outcome::Failure, origin, "sshd");
        e.method = Some(AuthMethod::Ssh);
        e.user = "root".into();
        set_source(&mut e, rest.split_whitespace().next().unwrap_or(""));
        e.reason = "root login refused".into();
        return Some((e, repeat));
    }
    None
}

fn sudo(h: &Header, origin: SourceRef) -> Option<LogEvent> {
    // "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash"
    let (actor, rest) = h.message.split_once(" : ")?;
    let command = rest.split(" ; ").find_map(|p| p.strip_prefix("COMMAND="))?;
    let target = rest
        .split(" ; ")
        .find_map(|p| p.strip_prefix("USER="))
        .unwrap_or("root");
    let mut e = base(h, EventKind::PrivilegeUse, Outcome::Success, origin, "sudo");
    e.actor = actor.trim().to_owned();
    e.user = target.to_owned();
    e.object = command.to_owned();
    Some(e)
}

const PRIVILEGED_UNIX_GROUPS: &[&str] = &["sudo", "wheel", "admin", "root", "adm"];

fn account_tools(h: &Header, origin: SourceRef) -> Option<LogEvent> {
    let msg = h.message;
    if let Some(rest) = msg.strip_prefix("new user: name=") {
        let name = rest.split(',').next()?;
        let mut e = base(
            h,
            EventKind::AccountCreated,
            Outcome::Success,
            origin,
            h.program,
        );
        e.user = name.to_owned();
        return Some(e);
    }
    // usermod: "add 'bob' to group 'sudo'"; gpasswd: "user bob added by root to group sudo"
    if let Some(rest) = msg.strip_prefix("add '") {
        let (user, rest) = rest.split_once("' to ")?;
        let group = rest.split('\'').nth(1)?;
        let mut e = base(
            h,
            EventKind::GroupMemberAdded,
            Outcome::Success,
            origin,
            h.program,
        );
        e.user = user.to_owned();
        e.object = group.to_owned();
        e.privileged_group = PRIVILEGED_UNIX_GROUPS.contains(&group);
        return Some(e);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc() -> TimeContext {
        TimeContext {
            zone: TimeZone::get("Asia/Tokyo").unwrap(),
            reference: jiff::civil::date(2026, 1, 5),
        }
    }

    #[test]
    fn rfc3164_year_is_resolved_backwards() {
        let h = parse_header(
            "Dec 31 23:59:58 gw sshd[99]: Failed password for root from 10.0.0.1 port 22 ssh2",
            &tc(),
        )
        .unwrap();
        assert_eq!(h.time.unwrap().to_string(), "2025-12-31T14:59:58Z");
        assert_eq!((h.host, h.program), ("gw", "sshd"));
        let h = parse_header("Jan  3 01:02:03 gw sshd[99]: x", &tc()).unwrap();
        assert_eq!(h.time.unwrap().to_string(), "2026-01-02T16:02:03Z");
    }

    #[test]
    fn multibyte_characters_inside_the_timestamp_do_not_panic() {
        for line in [
            "Dec 1é 06:55:46 h sshd[1]: x",
            "Dec 10 0é:55:46 h sshd[1]: x",
            "Deé 10 06:55:46 h sshd[1]: x",
        ] {
            assert_eq!(
                parse_header(line, &tc()).and_then(|h| h.time),
                None,
                "{line}"
            );
        }
    }

    #[test]
    fn rfc5424_and_iso_forms() {
        let h = parse_header("<34>1 2026-01-02T03:04:05.123+09:00 host.example sshd 1234 - [meta x=\"1\"] Failed password for root from 192.0.2.1 port 22 ssh2", &tc()).unwrap();
        assert_eq!((h.host, h.program), ("host.example", "sshd"));
        assert!(h.message.starts_with("Failed password"), "{}", h.message);
        let h = parse_header("2026-01-02T03:04:05+09:00 srv sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id", &tc()).unwrap();
        let (e, _) = map_message(&h, SourceRef::default()).unwrap();
        assert_eq!(
            (e.kind, e.actor.as_str(), e.object.as_str()),
            (EventKind::PrivilegeUse, "alice", "/bin/id")
        );
    }

    #[test]
    fn sshd_messages() {
        let line = |m: &str| format!("Jan  1 00:00:00 h sshd[1]: {m}");
        let ev = |m: &str| {
            let l = line(m);
            let h = parse_header(&l, &tc()).unwrap();
            map_message(&h, SourceRef::default())
                .map(|(e, n)| (e.outcome, e.user.clone(), e.source_key(), n))
        };
        assert_eq!(
            ev("Failed password for invalid user oracle from 183.62.140.253 port 1 ssh2"),
            Some((
                Outcome::Failure,
                "oracle".into(),
                "183.62.140.253".into(),
                1
            ))
        );
        assert_eq!(
            ev("Accepted publickey for git from 2001:db8::1 port 22 ssh2: RSA x"),
            Some((Outcome::Success, "git".into(), "2001:db8::1".into(), 1))
        );
        assert_eq!(
            ev("message repeated 3 times: [ Failed password for root from 10.0.0.2 port 5 ssh2]"),
            Some((Outcome::Failure, "root".into(), "10.0.0.2".into(), 3))
        );
        assert_eq!(
            ev("error: PAM: Authentication failure for stefanor from example.com"),
            Some((Outcome::Failure, "stefanor".into(), "example.com".into(), 1))
        );
        assert_eq!(
            ev("Invalid user ftp from 192.0.2.9"),
            Some((Outcome::Failure, "ftp".into(), "192.0.2.9".into(), 1))
        );
        assert_eq!(
            ev(
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 rhost=1.2.3.4 user=root"
            ),
            None,
            "duplicates the Failed password line of the same attempt"
        );
        assert_eq!(
            ev("Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]"),
            None
        );
    }
}
