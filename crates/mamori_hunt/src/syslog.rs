//! Syslog text lines (RFC 3164, RFC 5424 and the ISO-timestamp form rsyslog writes) → the
//! header, then the message of known programs (sshd, sudo, useradd/usermod) → [`LogEvent`].
//!
//! RFC 3164 lines carry neither year nor zone: the zone is the site's (Asia/Tokyo unless told
//! otherwise) and the year is the latest one that does not put the line after the reference day.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use mamori_model::SourceRef;
use mamori_model::event::{EventKind, LogEvent, Outcome};

pub use crate::line::Header;
use crate::line::base;
use crate::sshd;

/// How to read times that do not say their year or zone.
#[derive(Clone)]
pub struct TimeContext {
    /// The zone of times written without one (Japan for a clinic's devices).
    pub zone: TimeZone,
    /// Lines are assumed not to be later than this day (plus one, for clock skew).
    pub reference: Date,
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
    /// Month, day, hour, minute; all zero (never a real date) until first used.
    key: [i8; 4],
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
    let (time, rest) = match month_number(rest.as_bytes().get(..3)?) {
        Some(month) => {
            let (time, len) = parse_3164_time(month, rest, tc, cache)?;
            (time, rest.get(len..)?.trim_start())
        }
        None => {
            let (stamp, rest) = rest.split_once(' ')?;
            let time = stamp.parse::<jiff::Timestamp>().ok()?;
            (Some(time), rest)
        }
    };
    // The host may be missing: "sshd[8148]: …", "[sshd]: …", "[sshd] User …".
    let first = rest.split(' ').next()?;
    let (host, rest) = if first.ends_with(':') || first.starts_with('[') {
        ("", rest)
    } else {
        rest.split_once(' ')?
    };
    let (tag, message) = if let Some(bracketed) = rest.strip_prefix('[') {
        let (tag, message) = bracketed.split_once(']')?;
        (tag, message.strip_prefix(':').unwrap_or(message))
    } else {
        rest.split_once(": ").or_else(|| rest.split_once(':'))?
    };
    let (program, pid) = match tag.split_once('[') {
        Some((program, pid)) => (program, pid.trim_end_matches(']')),
        None => (tag, ""),
    };
    Some(Header {
        time,
        host,
        program,
        pid,
        message: message.trim_start(),
    })
}

fn parse_5424(rest: &str) -> Option<Header<'_>> {
    let mut parts = rest.splitn(6, ' ');
    let time = parts.next()?.parse::<jiff::Timestamp>().ok();
    let host = parts.next()?;
    let program = parts.next()?;
    let pid = parts.next()?;
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
        pid,
        message: message.trim_start_matches('\u{FEFF}'),
    })
}

/// "Mmm dd hh:mm:ss" (the day may be padded with a space or not, "Feb 7" or "Feb  7") → the
/// instant, and the length of the stamp.
fn parse_3164_time(
    month: i8,
    line: &str,
    tc: &TimeContext,
    cache: &mut MinuteCache,
) -> Option<(Option<jiff::Timestamp>, usize)> {
    let b = line.as_bytes();
    let mut i = 3;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    let day_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let day = two_digits(&b[day_start..i])?;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    let t = b.get(i + 1..i + 9)?;
    if t[2] != b':' || t[5] != b':' {
        return None;
    }
    let (h, m, s) = (
        two_digits(&t[..2])?,
        two_digits(&t[3..5])?,
        two_digits(&t[6..8])?,
    );
    let len = i + 9;
    if s > 59 {
        return Some((None, len));
    }
    let key = [month, day, h, m];
    if key != cache.key {
        cache.key = key;
        cache.minute = resolve_minute(month, day, h, m, tc);
    }
    let time = cache
        .minute
        .map(|t| t + jiff::SignedDuration::from_secs(i64::from(s)));
    Some((time, len))
}

fn two_digits(b: &[u8]) -> Option<i8> {
    match b {
        [d] if d.is_ascii_digit() => Some((d - b'0') as i8),
        [a, d] if a.is_ascii_digit() && d.is_ascii_digit() => {
            Some(((a - b'0') * 10 + (d - b'0')) as i8)
        }
        _ => None,
    }
}

fn resolve_minute(month: i8, day: i8, h: i8, m: i8, tc: &TimeContext) -> Option<jiff::Timestamp> {
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

/// What a run of lines remembers: the last resolved minute and the open sshd sessions.
#[derive(Default)]
pub struct LineState {
    /// The last minute resolved, so that a year-less timestamp is placed once per minute.
    pub minutes: MinuteCache,
    /// Open sshd sessions, followed by pid across lines.
    pub sessions: sshd::Sessions,
}

/// The events of one syslog message, each with how many attempts it stands for
/// (`message repeated 3 times: [ Failed password … ]` is three).
pub fn map_message_in(
    h: &Header,
    origin: SourceRef,
    state: &mut LineState,
    emit: &mut dyn FnMut(LogEvent, u32),
) {
    match h.program {
        "sshd" | "sshd-session" => sshd::map(h, origin, &mut state.sessions, emit),
        "sudo" => {
            if let Some(e) = sudo(h, origin) {
                emit(e, 1);
            }
        }
        "useradd" | "usermod" | "adduser" | "gpasswd" => {
            if let Some(e) = account_tools(h, origin) {
                emit(e, 1);
            }
        }
        _ => {}
    }
}

/// One message on its own, without the context of earlier lines: the first event, if any.
pub fn map_message(h: &Header, origin: SourceRef) -> Option<(LogEvent, u32)> {
    let mut first = None;
    map_message_in(h, origin, &mut LineState::default(), &mut |e, n| {
        first.get_or_insert((e, n));
    });
    first
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
            Some((Outcome::Failure, "".into(), "1.2.3.4".into(), 1)),
            "a session that ends before any attempt was logged"
        );
    }

    /// Failures per line of a run of lines, read with their sessions.
    fn failures_per_line(lines: &[&str]) -> Vec<u32> {
        let mut state = LineState::default();
        lines
            .iter()
            .map(|l| {
                let h = parse_header(l, &tc()).unwrap();
                let mut n = 0;
                map_message_in(&h, SourceRef::default(), &mut state, &mut |e, r| {
                    if e.outcome == Outcome::Failure {
                        n += r;
                    }
                });
                n
            })
            .collect()
    }

    #[test]
    fn sshd_sessions_count_each_attempt_once() {
        // loghub's OpenSSH_2k shape: PAM's line, sshd's own line, then the client's goodbye.
        assert_eq!(
            failures_per_line(&[
                "Dec 10 09:32:20 LabSZ sshd[24680]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=112.95.230.3  user=root",
                "Dec 10 09:32:22 LabSZ sshd[24680]: Failed password for root from 112.95.230.3 port 45378 ssh2",
                "Dec 10 09:32:22 LabSZ sshd[24680]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=112.95.230.3  user=root",
                "Dec 10 09:32:24 LabSZ sshd[24680]: Received disconnect from 112.95.230.3: 11: Bye Bye [preauth]",
            ]),
            [0, 1, 0, 0]
        );
        // Several keys offered before the right one: no failure. Wrong keys only: one.
        assert_eq!(
            failures_per_line(&[
                "Nov 28 09:16:03 srv sshd[7]: Failed publickey for git from 192.0.2.1 port 1 ssh2: ECDSA x",
                "Nov 28 09:16:03 srv sshd[7]: Accepted publickey for git from 192.0.2.1 port 1 ssh2: RSA y",
                "Nov 28 09:16:05 srv sshd[8]: Failed publickey for git from 192.0.2.2 port 1 ssh2: ECDSA x",
                "Nov 28 09:16:05 srv sshd[8]: Failed publickey for git from 192.0.2.2 port 1 ssh2: RSA y",
                "Nov 28 09:16:05 srv sshd[8]: Disconnecting: Too many authentication failures for git [preauth]",
            ]),
            [0, 0, 0, 0, 2]
        );
        // No address on the "too many" line: taken from the close of the same pid only.
        assert_eq!(
            failures_per_line(&[
                "Nov 23 21:50:19 sshd[9148]: Disconnecting: Too many authentication failures for root [preauth]",
                "Nov 23 21:50:37 sshd[7148]: Connection closed by 61.0.0.1",
                "Nov 23 21:50:19 sshd[8148]: Disconnecting: Too many authentication failures for root [preauth]",
                "Nov 23 21:50:37 sshd[8148]: Connection closed by 61.0.0.1 [preauth]",
            ]),
            [0, 0, 0, 1]
        );
    }

    #[test]
    fn hostless_and_unpadded_headers() {
        let h = parse_header(
            "Mar  3 00:17:22 [sshd]: User root from 1.2.3.4 not allowed",
            &tc(),
        )
        .unwrap();
        assert_eq!((h.host, h.program, h.pid), ("", "sshd", ""));
        let h = parse_header("Nov 23 21:50:37 sshd[8148]: Connection closed", &tc()).unwrap();
        assert_eq!((h.host, h.program, h.pid), ("", "sshd", "8148"));
        let h = parse_header("Feb 7 16:01:07 linux-m899 sshd[5106]: x", &tc()).unwrap();
        assert_eq!((h.host, h.pid), ("linux-m899", "5106"));
        assert_eq!(h.time.unwrap().to_string(), "2025-02-07T07:01:07Z");
    }
}
