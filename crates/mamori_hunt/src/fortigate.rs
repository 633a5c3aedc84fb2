//! FortiGate log lines (`date=… time=… devname=… type=event subtype=vpn …`, optionally behind a
//! syslog `<PRI>`) → [`LogEvent`]: SSL-VPN logins, administrator logins, administrator
//! accounts created.
//!
//! The key=value scanner is written here: values may be quoted, quotes may be escaped with a
//! backslash, values may be empty, and nothing may panic on bytes that are none of these.

use jiff::civil::DateTime;
use mamori_model::SourceRef;
use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome, parse_ip};

use crate::syslog::TimeContext;

/// Splits `key=value key="quoted value" …` into pairs, in order.
pub fn parse_kv(line: &str) -> Vec<(&str, String)> {
    let mut pairs = Vec::new();
    let mut rest = line.trim_start();
    // A syslog priority in front: "<185>date=…".
    if rest.starts_with('<')
        && let Some(end) = rest.find('>')
    {
        rest = &rest[end + 1..];
    }
    while !rest.is_empty() {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim();
        // A key never holds spaces: skip a stray word and carry on.
        if let Some(space) = key.rfind(' ') {
            rest = &rest[space + 1..];
            continue;
        }
        let after = &rest[eq + 1..];
        let (value, consumed) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            value.push(next);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, 1 + end)
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_owned(), end)
        };
        pairs.push((key, value));
        rest = after.get(consumed..).unwrap_or("");
    }
    pairs
}

/// Is this line a FortiGate log line?
pub fn looks_like(line: &str) -> bool {
    let l = line.trim_start();
    let l = l
        .find('>')
        .filter(|_| l.starts_with('<'))
        .map_or(l, |i| &l[i + 1..]);
    // Fortinet's own examples of traffic and UTM lines carry `logid` but no `devname`.
    (l.starts_with("date=") || l.contains(" date="))
        && (l.contains("devname=") || l.contains("logid="))
}

fn get<'a>(pairs: &'a [(&str, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// `https(10.0.0.1)` → (method, address).
fn ui_source(ui: &str) -> (AuthMethod, &str) {
    let (kind, rest) = ui.split_once('(').unwrap_or((ui, ""));
    let addr = rest.trim_end_matches(')');
    let method = match kind.to_ascii_lowercase().as_str() {
        "ssh" => AuthMethod::Ssh,
        _ => AuthMethod::AdminGui,
    };
    (method, addr)
}

/// Maps one FortiGate line to an event, or `None` when it is not one mamori hunts on.
pub fn map_line(line: &str, tc: &TimeContext, origin: SourceRef) -> Option<LogEvent> {
    map_pairs(&parse_kv(line), tc, origin)
}

/// A traffic, DNS or web-filter line (`type=traffic`, `type=utm subtype=dns|webfilter|ssl|
/// app-ctrl`) as a traffic record: which internal host went where.
pub fn traffic_record(
    kv: &[(&str, String)],
    tc: &TimeContext,
) -> Option<crate::traffic::TrafficRecord> {
    use crate::traffic::{RecordKind, TrafficRecord};
    let kind = match (get(kv, "type"), get(kv, "subtype")) {
        ("traffic", _) => RecordKind::Connection,
        ("utm", "dns") => RecordKind::Dns,
        ("utm", "webfilter" | "ssl" | "app-ctrl") => RecordKind::Web,
        _ => return None,
    };
    let name = [get(kv, "qname"), get(kv, "hostname")]
        .into_iter()
        .find(|n| !n.is_empty())
        .map(|n| n.trim_end_matches('.').to_ascii_lowercase())
        .filter(|n| {
            parse_ip(n).is_none()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        });
    let (client, dest) = (parse_ip(get(kv, "srcip")), parse_ip(get(kv, "dstip")));
    if client.is_none() || (dest.is_none() && name.is_none()) {
        return None; // no one went anywhere that can be named
    }
    Some(TrafficRecord {
        time: time_of(kv, tc),
        client,
        name,
        dest,
        port: get(kv, "dstport").parse().ok(),
        kind: Some(kind),
        inbound: false,
    })
}

/// [`map_line`] on a line already split into pairs.
pub fn map_pairs(kv: &[(&str, String)], tc: &TimeContext, origin: SourceRef) -> Option<LogEvent> {
    if get(kv, "type") != "event" {
        return None;
    }
    let subtype = get(kv, "subtype");
    let action = get(kv, "action");
    let status = get(kv, "status");
    let (kind, outcome, method) = match (subtype, action) {
        ("vpn", "ssl-login-fail") => (EventKind::Logon, Outcome::Failure, AuthMethod::Vpn),
        ("vpn", "tunnel-up") if get(kv, "tunneltype").starts_with("ssl") => {
            (EventKind::Logon, Outcome::Success, AuthMethod::Vpn)
        }
        ("vpn", "ssl-login") => (EventKind::Logon, Outcome::Success, AuthMethod::Vpn),
        ("system", "login") => {
            let outcome = match status {
                "success" => Outcome::Success,
                "failed" | "failure" => Outcome::Failure,
                _ => return None,
            };
            (EventKind::Logon, outcome, ui_source(get(kv, "ui")).0)
        }
        ("system", "Add") if get(kv, "cfgpath") == "system.admin" => (
            EventKind::AccountCreated,
            Outcome::Success,
            AuthMethod::AdminGui,
        ),
        _ => return None,
    };
    let mut e = LogEvent::new(kind, outcome, origin);
    e.method = Some(method);
    e.host = get(kv, "devname").to_owned();
    e.time = time_of(kv, tc);
    e.source_event = format!("FortiGate {}", get(kv, "logid"));
    match kind {
        EventKind::AccountCreated => {
            e.user = get(kv, "cfgobj").to_owned();
            e.actor = get(kv, "user").to_owned();
            e.object = "system.admin".into();
        }
        _ => {
            e.user = get(kv, "user").to_owned();
            let addr = match subtype {
                "vpn" => get(kv, "remip").to_owned(),
                _ => ui_source(get(kv, "ui")).1.to_owned(),
            };
            e.source_ip = parse_ip(&addr);
            if e.source_ip.is_none() {
                e.source_host = addr;
            }
            if outcome == Outcome::Failure {
                e.reason = get(kv, "reason").to_owned();
            }
        }
    }
    Some(e)
}

/// `eventtime` (epoch, in s/ms/µs/ns) when present; else `date` + `time` in the device's `tz`
/// (`+0900`) or, without it, the site's zone.
fn time_of(kv: &[(&str, String)], tc: &TimeContext) -> Option<jiff::Timestamp> {
    if let Ok(n) = get(kv, "eventtime").parse::<i64>() {
        let ts = match n {
            n if n > 1_000_000_000_000_000_000 / 10 => {
                jiff::Timestamp::from_nanosecond(i128::from(n))
            }
            n if n > 100_000_000_000_000 => jiff::Timestamp::from_microsecond(n),
            n if n > 100_000_000_000 => jiff::Timestamp::from_millisecond(n),
            n => jiff::Timestamp::from_second(n),
        };
        if let Ok(ts) = ts {
            return Some(ts);
        }
    }
    let dt: DateTime = format!("{}T{}", get(kv, "date"), get(kv, "time"))
        .parse()
        .ok()?;
    let tz = get(kv, "tz");
    if let Some(offset) = jiff::fmt::strtime::parse("%z", tz)
        .ok()
        .and_then(|p| p.offset())
    {
        return dt
            .to_zoned(offset.to_time_zone())
            .ok()
            .map(|z| z.timestamp());
    }
    dt.to_zoned(tc.zone.clone()).ok().map(|z| z.timestamp())
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

    #[test]
    fn kv_quotes_escapes_and_empty_values() {
        let kv = parse_kv(r#"<185>date=2019-05-15 msg="a \"quoted\" word" empty= x="" last=1"#);
        let got: Vec<(&str, &str)> = kv.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("date", "2019-05-15"),
                ("msg", "a \"quoted\" word"),
                ("empty", ""),
                ("x", ""),
                ("last", "1")
            ]
        );
        assert!(parse_kv("no pairs here").is_empty());
        assert_eq!(parse_kv("a=\"unterminated").len(), 1);
    }

    #[test]
    fn ssl_vpn_failure_and_admin_logins() {
        let vpn = r#"date=2016-06-15 time=21:35:09 devname=Device_Name devid=FGT logid=0101039426 type=event subtype=vpn level=alert vd="root" logdesc="SSL VPN login fail" action="ssl-login-fail" tunneltype="ssl-web" tunnelid=0 remip=2.4.6.8 tunnelip=(null) user="my_user_name" group="N/A" reason="sslvpn_login_unknown_user" msg="SSL user failed to logged in""#;
        let e = map_line(vpn, &tc(), SourceRef::default()).unwrap();
        assert_eq!(
            (e.kind, e.outcome, e.method),
            (EventKind::Logon, Outcome::Failure, Some(AuthMethod::Vpn))
        );
        assert_eq!(
            (e.user.as_str(), e.source_key(), e.reason.as_str()),
            (
                "my_user_name",
                "2.4.6.8".to_owned(),
                "sslvpn_login_unknown_user"
            )
        );
        assert_eq!(
            e.time.unwrap().to_string(),
            "2016-06-15T12:35:09Z",
            "device time read in Asia/Tokyo"
        );

        let admin = r#"date=2016-06-17 time=02:37:41 devname=Mobipay_Firewall logid=0100032002 type=event subtype=system level=alert vd="root" logdesc="Admin login failed" sn=0 user="root" ui=ssh(222.186.130.227) action=login status=failed reason="name_invalid""#;
        let e = map_line(admin, &tc(), SourceRef::default()).unwrap();
        assert_eq!(
            (e.outcome, e.method, e.source_key()),
            (
                Outcome::Failure,
                Some(AuthMethod::Ssh),
                "222.186.130.227".to_owned()
            )
        );

        let ok = r#"date=2016-06-16 time=16:22:34 devname=FW logid=0100032001 type=event subtype=system logdesc="Admin login successful" user="a@b.com.na" ui=https(10.42.8.253) action=login status=success reason=none profile="super_admin" tz="+0200""#;
        let e = map_line(ok, &tc(), SourceRef::default()).unwrap();
        assert_eq!(
            (e.outcome, e.method),
            (Outcome::Success, Some(AuthMethod::AdminGui))
        );
        assert_eq!(
            e.time.unwrap().to_string(),
            "2016-06-16T14:22:34Z",
            "tz field wins"
        );

        let config = r#"date=2016-06-16 time=09:03:03 devname=FW type=event subtype=system user="admin" ui="GUI(4.3.5.8)" action=Edit cfgpath="firewall.service.custom""#;
        assert!(map_line(config, &tc(), SourceRef::default()).is_none());
    }
}
