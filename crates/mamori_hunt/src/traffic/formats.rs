//! Traffic log formats: which internal host asked for which name or address, when. Each parser
//! reads one line into a [`TrafficRecord`], says a line is of no interest (a DNS reply, a
//! comment), or says why it cannot be read.

use std::net::IpAddr;

use jiff::Timestamp;

use crate::syslog::{TimeContext, parse_header};

/// The traffic formats `hunt` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrafficFormat {
    /// Zeek `dns.log`, `conn.log`, `http.log` (and any log with `id.orig_h`/`id.resp_h`), TSV
    /// with its `#fields` header or JSON lines.
    Zeek,
    /// dnsmasq's `query[A] name from client` lines (log-queries).
    Dnsmasq,
    /// BIND query logging (`client … (name): query: name IN A`).
    Bind,
    /// Squid's native `access.log`.
    Squid,
    /// IIS (W3C extended, `#Fields:`): requests to the server, by client address.
    Iis,
    /// The Windows DNS server's debug log (`PACKET … Rcv client … Q … (7)example(3)com(0)`).
    WindowsDns,
}

impl TrafficFormat {
    /// Every format, for tests and fuzzing that must cover each one.
    pub const ALL: [TrafficFormat; 6] = [
        TrafficFormat::Zeek,
        TrafficFormat::Dnsmasq,
        TrafficFormat::Bind,
        TrafficFormat::Squid,
        TrafficFormat::Iis,
        TrafficFormat::WindowsDns,
    ];

    /// The name on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficFormat::Zeek => "zeek",
            TrafficFormat::Dnsmasq => "dnsmasq",
            TrafficFormat::Bind => "bind",
            TrafficFormat::Squid => "squid",
            TrafficFormat::Iis => "iis",
            TrafficFormat::WindowsDns => "windows-dns",
        }
    }
}

/// What a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A name looked up.
    Dns,
    /// A connection to an address.
    Connection,
    /// A web request (proxy, HTTP log) to a host.
    Web,
}

/// One line of traffic.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrafficRecord {
    /// When.
    pub time: Option<Timestamp>,
    /// The internal host that asked (the visitor, for a web server's log).
    pub client: Option<IpAddr>,
    /// The name asked for, lowercase, without a trailing dot.
    pub name: Option<String>,
    /// The address connected to.
    pub dest: Option<IpAddr>,
    /// The port connected to.
    pub port: Option<u16>,
    /// DNS, connection or web request.
    pub kind: Option<RecordKind>,
    /// A request from outside to this server (IIS): the client is the party to judge.
    pub inbound: bool,
}

/// A header that lays out the lines after it (Zeek's `#fields`, IIS's `#Fields:`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// Field names in order.
    pub fields: Vec<String>,
    /// Zeek's `#path` (`dns`, `conn`, `http`).
    pub path: String,
}

impl Layout {
    fn index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

/// How one line went.
pub enum Parsed {
    /// A record.
    Record(TrafficRecord),
    /// A header line that changes the layout of what follows.
    Layout(Layout),
    /// A line of no interest (a reply, a comment), with the reason counted.
    Ignored(&'static str),
    /// A line that should have been a record and could not be read.
    Broken(&'static str),
}

/// The format of a file from its first non-empty lines, with the layout its header gives.
pub fn detect(lines: &[&str]) -> Option<(TrafficFormat, Layout)> {
    let first = lines.iter().find(|l| !l.trim().is_empty())?.trim_start();
    let layout_of = |prefix: &str| header_layout(lines, prefix);
    if first.starts_with("#separator") {
        return Some((TrafficFormat::Zeek, layout_of("#fields")));
    }
    if first.starts_with('{') && first.contains("\"id.orig_h\"") {
        return Some((TrafficFormat::Zeek, Layout::default()));
    }
    if first.starts_with("#Software: Microsoft Internet Information Services")
        || (first.starts_with("#Fields:") && first.contains("c-ip"))
        || (first.starts_with("#Version:")
            && lines
                .iter()
                .any(|l| l.starts_with("#Fields:") && l.contains("c-ip")))
    {
        return Some((TrafficFormat::Iis, layout_of("#Fields:")));
    }
    if first.starts_with("DNS Server log") || first.starts_with("Message logging key") {
        return Some((TrafficFormat::WindowsDns, Layout::default()));
    }
    if first.contains("dnsmasq[") && lines.iter().any(|l| l.contains(" query[")) {
        return Some((TrafficFormat::Dnsmasq, Layout::default()));
    }
    if (first.contains(" queries: ") || first.contains("named[")) && first.contains("client ") {
        return Some((TrafficFormat::Bind, Layout::default()));
    }
    if squid_fields(first).is_some() {
        return Some((TrafficFormat::Squid, Layout::default()));
    }
    None
}

/// The fields of the first header line starting with `prefix`.
fn header_layout(lines: &[&str], prefix: &str) -> Layout {
    let mut layout = Layout::default();
    for line in lines {
        if let Some(rest) = line.strip_prefix(prefix) {
            layout.fields = rest.split_whitespace().map(str::to_owned).collect();
        } else if let Some(rest) = line.strip_prefix("#path") {
            layout.path = rest.trim().to_owned();
        }
        if !line.starts_with('#') && !layout.fields.is_empty() {
            break;
        }
    }
    layout
}

/// Parses one line.
pub fn parse_line(format: TrafficFormat, line: &str, layout: &Layout, tc: &TimeContext) -> Parsed {
    match format {
        TrafficFormat::Zeek if line.starts_with('{') => zeek_json(line),
        TrafficFormat::Zeek => zeek_tsv(line, layout),
        TrafficFormat::Iis => iis(line, layout),
        TrafficFormat::Dnsmasq => dnsmasq(line, tc),
        TrafficFormat::Bind => bind(line, tc),
        TrafficFormat::Squid => squid(line),
        TrafficFormat::WindowsDns => windows_dns(line, tc),
    }
}

fn clean_name(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let ok = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    ok.then_some(name)
}

fn epoch(text: &str) -> Option<Timestamp> {
    let seconds: f64 = text.trim().parse().ok()?;
    if !seconds.is_finite() || !(0.0..=1e11).contains(&seconds) {
        return None;
    }
    Timestamp::from_millisecond((seconds * 1000.0) as i64).ok()
}

fn zeek_tsv(line: &str, layout: &Layout) -> Parsed {
    if let Some(rest) = line.strip_prefix("#fields") {
        return Parsed::Layout(Layout {
            fields: rest
                .split('\t')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            path: layout.path.clone(),
        });
    }
    if let Some(rest) = line.strip_prefix("#path") {
        return Parsed::Layout(Layout {
            fields: layout.fields.clone(),
            path: rest.trim().to_owned(),
        });
    }
    if line.starts_with('#') {
        return Parsed::Ignored("header line");
    }
    if layout.fields.is_empty() {
        return Parsed::Broken("no #fields header before the line");
    }
    let values: Vec<&str> = line.split('\t').collect();
    let get = |name: &str| {
        layout
            .index(name)
            .and_then(|i| values.get(i).copied())
            .filter(|v| !matches!(*v, "-" | "(empty)" | ""))
    };
    zeek_record(
        get("ts"),
        get("id.orig_h"),
        get("id.resp_h"),
        get("id.resp_p"),
        get("query"),
        get("host"),
        &layout.path,
    )
}

fn zeek_json(line: &str) -> Parsed {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
        return Parsed::Broken("not JSON");
    };
    let text = |name: &str| -> Option<String> {
        match value.get(name)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let ts = text("ts");
    // Zeek writes `ts` as seconds, or as ISO 8601 with `JSON::use_json_time_format`… off.
    let iso = ts.as_deref().and_then(|t| t.parse::<Timestamp>().ok());
    let path = if value.get("query").is_some() {
        "dns"
    } else if value.get("host").is_some() || value.get("uri").is_some() {
        "http"
    } else {
        "conn"
    };
    let (orig, resp, port, query, host) = (
        text("id.orig_h"),
        text("id.resp_h"),
        text("id.resp_p"),
        text("query"),
        text("host"),
    );
    let mut parsed = zeek_record(
        ts.as_deref(),
        orig.as_deref(),
        resp.as_deref(),
        port.as_deref(),
        query.as_deref(),
        host.as_deref(),
        path,
    );
    if let (Parsed::Record(r), Some(t)) = (&mut parsed, iso) {
        r.time = Some(t);
    }
    parsed
}

fn zeek_record(
    ts: Option<&str>,
    orig: Option<&str>,
    resp: Option<&str>,
    port: Option<&str>,
    query: Option<&str>,
    host: Option<&str>,
    path: &str,
) -> Parsed {
    let Some(client) = orig.and_then(|o| o.parse::<IpAddr>().ok()) else {
        return Parsed::Broken("no id.orig_h address");
    };
    let mut record = TrafficRecord {
        time: ts.and_then(epoch),
        client: Some(client),
        dest: resp.and_then(|r| r.parse().ok()),
        port: port.and_then(|p| p.parse().ok()),
        ..TrafficRecord::default()
    };
    match (path, query, host) {
        ("dns", Some(q), _) | (_, Some(q), None) => {
            record.kind = Some(RecordKind::Dns);
            record.name = clean_name(q);
            if record.name.is_none() {
                return Parsed::Ignored("query that is no host name");
            }
        }
        ("dns", None, _) => return Parsed::Ignored("DNS record without a query"),
        (_, _, Some(h)) => {
            record.kind = Some(RecordKind::Web);
            record.name = clean_name(h.split(':').next().unwrap_or(h))
                .filter(|n| n.parse::<IpAddr>().is_err());
        }
        _ => record.kind = Some(RecordKind::Connection),
    }
    Parsed::Record(record)
}

fn iis(line: &str, layout: &Layout) -> Parsed {
    if let Some(rest) = line.strip_prefix("#Fields:") {
        return Parsed::Layout(Layout {
            fields: rest.split_whitespace().map(str::to_owned).collect(),
            path: String::new(),
        });
    }
    if line.starts_with('#') {
        return Parsed::Ignored("header line");
    }
    let values: Vec<&str> = line.split_whitespace().collect();
    let get = |name: &str| {
        layout
            .index(name)
            .and_then(|i| values.get(i).copied())
            .filter(|v| *v != "-")
    };
    let Some(client) = get("c-ip").and_then(|c| c.parse::<IpAddr>().ok()) else {
        return Parsed::Broken("no c-ip address");
    };
    let time = match (get("date"), get("time")) {
        (Some(d), Some(t)) => format!("{d}T{t}Z").parse::<Timestamp>().ok(),
        _ => None,
    };
    Parsed::Record(TrafficRecord {
        time,
        client: Some(client),
        name: get("cs-host").and_then(|h| clean_name(h.split(':').next().unwrap_or(h))),
        dest: get("s-ip").and_then(|s| s.parse().ok()),
        port: get("s-port").and_then(|p| p.parse().ok()),
        kind: Some(RecordKind::Web),
        inbound: true,
    })
}

fn dnsmasq(line: &str, tc: &TimeContext) -> Parsed {
    let Some(h) = parse_header(line, tc) else {
        return Parsed::Broken("no syslog header");
    };
    let Some(rest) = h.message.strip_prefix("query[") else {
        return Parsed::Ignored("not a query (reply, forwarded, cached)");
    };
    // `query[A] example.com from 192.168.1.10`
    let Some((_, rest)) = rest.split_once("] ") else {
        return Parsed::Broken("query without a type");
    };
    let Some((name, client)) = rest.split_once(" from ") else {
        return Parsed::Broken("query without a client");
    };
    let (Some(name), Ok(client)) = (clean_name(name), client.trim().parse::<IpAddr>()) else {
        return Parsed::Broken("query name or client unreadable");
    };
    Parsed::Record(TrafficRecord {
        time: h.time,
        client: Some(client),
        name: Some(name),
        kind: Some(RecordKind::Dns),
        ..TrafficRecord::default()
    })
}

fn bind(line: &str, tc: &TimeContext) -> Parsed {
    // `05-Dec-2026 10:00:01.123 queries: info: client @0x7f… 192.168.1.10#53211 (x.com): query: x.com IN A +E(0)K (192.168.1.1)`
    // or the same message after a syslog header (`named[464]: client 192.168.1.10#53211 …`).
    let Some(at) = line.find("client ") else {
        return Parsed::Ignored("not a client line");
    };
    let Some(q) = line.find("query: ") else {
        return Parsed::Ignored("not a query (denied, refused, update)");
    };
    let client = line[at + 7..]
        .split_whitespace()
        .find(|w| w.contains('#'))
        .and_then(|w| w.split('#').next())
        .and_then(|a| a.parse::<IpAddr>().ok());
    let name = line[q + 7..].split_whitespace().next().and_then(clean_name);
    let (Some(client), Some(name)) = (client, name) else {
        return Parsed::Broken("query client or name unreadable");
    };
    let time = bind_time(line).or_else(|| parse_header(line, tc).and_then(|h| h.time));
    Parsed::Record(TrafficRecord {
        time,
        client: Some(client),
        name: Some(name),
        kind: Some(RecordKind::Dns),
        ..TrafficRecord::default()
    })
}

/// `05-Dec-2026 10:00:01.123` (BIND's own log file, in local time: taken as Japan's).
fn bind_time(line: &str) -> Option<Timestamp> {
    let mut words = line.split_whitespace();
    let (date, time) = (words.next()?, words.next()?);
    let mut parts = date.split('-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)?;
    let text = format!("{year}-{:02}-{day:0>2}T{}", month + 1, time);
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    civil.in_tz("Asia/Tokyo").ok().map(|z| z.timestamp())
}

/// `1291299045.123 212 192.168.1.10 TCP_MISS/200 5321 GET http://www.example.com/ - DIRECT/93.184.216.34 text/html`
fn squid_fields(line: &str) -> Option<(Timestamp, IpAddr, &str, Option<&str>)> {
    let mut words = line.split_whitespace();
    let time = epoch(words.next()?)?;
    words.next()?.parse::<u64>().ok()?;
    let client: IpAddr = words.next()?.parse().ok()?;
    let code = words.next()?;
    if !code.contains('/') {
        return None;
    }
    let (_, _, url) = (words.next()?, words.next()?, words.next()?);
    let _user = words.next();
    let peer = words
        .next()
        .and_then(|p| p.split_once('/').map(|(_, ip)| ip));
    Some((time, client, url, peer))
}

fn squid(line: &str) -> Parsed {
    let Some((time, client, url, peer)) = squid_fields(line) else {
        return Parsed::Broken("not a Squid access line");
    };
    // `http://host/path`, or `host:443` for CONNECT.
    let host = match url.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?']).next().unwrap_or_default(),
        None => url,
    };
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_matches(['[', ']']);
    let (name, dest) = match host.parse::<IpAddr>() {
        Ok(ip) => (None, Some(ip)),
        Err(_) => (clean_name(host), peer.and_then(|p| p.parse().ok())),
    };
    if name.is_none() && dest.is_none() {
        return Parsed::Ignored("request without a host");
    }
    Parsed::Record(TrafficRecord {
        time: Some(time),
        client: Some(client),
        name,
        dest,
        kind: Some(RecordKind::Web),
        ..TrafficRecord::default()
    })
}

/// `12/5/2026 10:00:01 AM 0E2C PACKET  000000D4 UDP Rcv 192.168.1.10    a1b2   Q [0001   D   NOERROR] A      (7)example(3)com(0)`
fn windows_dns(line: &str, tc: &TimeContext) -> Parsed {
    if !line.contains(" PACKET ") {
        return Parsed::Ignored("not a packet line");
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some(rcv) = words.iter().position(|w| *w == "Rcv") else {
        return Parsed::Ignored("a packet sent, not received");
    };
    // A query received: `Q` after the id; a response to the server's own query has `R Q`.
    let flags = words.get(rcv + 3..rcv + 5).unwrap_or_default();
    if flags.first() != Some(&"Q") {
        return Parsed::Ignored("a response, not a query");
    }
    let client = words.get(rcv + 1).and_then(|c| c.parse::<IpAddr>().ok());
    let name = words.last().and_then(|n| dns_wire_name(n));
    let (Some(client), Some(name)) = (client, name) else {
        return Parsed::Broken("query client or name unreadable");
    };
    Parsed::Record(TrafficRecord {
        time: windows_dns_time(&words, tc),
        client: Some(client),
        name: Some(name),
        kind: Some(RecordKind::Dns),
        ..TrafficRecord::default()
    })
}

/// `(7)example(3)com(0)` → `example.com`.
fn dns_wire_name(text: &str) -> Option<String> {
    let mut labels = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')')? + open;
        let after = &rest[close + 1..];
        let next = after.find('(').unwrap_or(after.len());
        if !after[..next].is_empty() {
            labels.push(&after[..next]);
        }
        rest = &after[next..];
    }
    clean_name(&labels.join("."))
}

/// `12/5/2026 10:00:01 AM` (the server's local time and US order, as the debug log writes
/// it), in the site's zone.
fn windows_dns_time(words: &[&str], tc: &TimeContext) -> Option<Timestamp> {
    let mut date = words.first()?.split('/');
    let (month, day, year): (i8, i8, i16) = (
        date.next()?.parse().ok()?,
        date.next()?.parse().ok()?,
        date.next()?.parse().ok()?,
    );
    let mut clock = words.get(1)?.split(':');
    let (mut hour, minute, second): (i8, i8, i8) = (
        clock.next()?.parse().ok()?,
        clock.next()?.parse().ok()?,
        clock.next()?.parse().ok()?,
    );
    match words.get(2).copied() {
        Some("PM") if hour < 12 => hour += 12,
        Some("AM") if hour == 12 => hour = 0,
        _ => {}
    }
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    let time = jiff::civil::Time::new(hour, minute, second, 0).ok()?;
    date.to_datetime(time)
        .to_zoned(tc.zone.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// A YAMAHA RTX filter or inspection log message (sent by syslog):
/// `PP[01] Rejected at IN(2000) filter: TCP 198.51.100.7:51510 > 203.0.113.1:23`,
/// `LAN2 Passed at OUT(200099) filter: …`, `[INSPECT] LAN2[out][101] TCP 192.168.100.2:50000 >
/// 203.0.113.5:443 (2026/12/05 10:00:00)` (IPv6 as `address.port`). Inbound traffic is judged
/// by its source; outbound by the internal host and its destination.
pub fn rtx_message(message: &str, time: Option<Timestamp>) -> Option<TrafficRecord> {
    let (flow, inbound) = if let Some(rest) = message.strip_prefix("[INSPECT] ") {
        let (head, flow) = rest.split_once("] ")?;
        (flow, head.contains("[in"))
    } else {
        let at = message.find(" filter: ")?;
        let head = &message[..at];
        if !head.contains(" at ") {
            return None;
        }
        (&message[at + 9..], head.contains(" at IN("))
    };
    let mut words = flow.split_whitespace();
    let proto = words.next()?;
    if !proto
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return None;
    }
    let (src, arrow, dst) = (words.next()?, words.next()?, words.next()?);
    if arrow != ">" {
        return None;
    }
    let (src, _) = rtx_endpoint(src)?;
    let (dst, port) = rtx_endpoint(dst)?;
    Some(TrafficRecord {
        time,
        client: Some(src),
        name: None,
        dest: Some(dst),
        port,
        kind: Some(RecordKind::Connection),
        inbound,
    })
}

/// The RTX message in a syslog line (the syslog header parser would take `PP[01] Rejected at
/// IN(2000) filter` for a program name): from `[INSPECT]`, or from the interface before
/// ` Rejected at ` / ` Passed at `.
pub fn rtx_message_in(line: &str) -> Option<&str> {
    if let Some(at) = line.find("[INSPECT] ") {
        return Some(&line[at..]);
    }
    let verb = line
        .find(" Rejected at ")
        .or_else(|| line.find(" Passed at "))?;
    line[verb..].contains(" filter: ").then_some(())?;
    let start = line[..verb].rfind(' ').map_or(0, |s| s + 1);
    Some(&line[start..])
}

/// `192.168.1.2:443`, `2001:db8::1.443`, or an address alone (ICMP).
fn rtx_endpoint(text: &str) -> Option<(IpAddr, Option<u16>)> {
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Some((addr, None));
    }
    if let Some((addr, port)) = text.rsplit_once(':')
        && let Ok(addr) = addr.parse::<std::net::Ipv4Addr>()
    {
        return Some((IpAddr::V4(addr), port.parse().ok()));
    }
    let (addr, port) = text.rsplit_once('.')?;
    Some((addr.parse().ok()?, port.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tc() -> TimeContext {
        TimeContext {
            zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
            reference: jiff::civil::date(2026, 12, 31),
        }
    }

    fn record(format: TrafficFormat, line: &str) -> TrafficRecord {
        match parse_line(format, line, &Layout::default(), &tc()) {
            Parsed::Record(r) => r,
            _ => panic!("no record: {line}"),
        }
    }

    #[test]
    fn each_dns_format_gives_client_and_name() {
        let cases = [
            (
                TrafficFormat::Dnsmasq,
                "Dec  5 10:00:01 router dnsmasq[812]: query[A] Update.Example.COM from 192.168.1.10",
            ),
            (
                TrafficFormat::Bind,
                "05-Dec-2026 10:00:01.123 queries: info: client @0x7f12 192.168.1.10#53211 (update.example.com): query: update.example.com IN A +E(0)K (192.168.1.1)",
            ),
            (
                TrafficFormat::Bind,
                "Dec  5 10:00:01 ns1 named[464]: client 192.168.1.10#53211 (update.example.com): query: update.example.com IN A + (192.168.1.1)",
            ),
            (
                TrafficFormat::WindowsDns,
                "12/5/2026 10:00:01 AM 0E2C PACKET  000000D4 UDP Rcv 192.168.1.10    a1b2   Q [0001   D   NOERROR] A      (6)update(7)example(3)com(0)",
            ),
            (
                TrafficFormat::Zeek,
                r#"{"ts":1796436001.5,"uid":"C1","id.orig_h":"192.168.1.10","id.orig_p":5353,"id.resp_h":"192.168.1.1","id.resp_p":53,"query":"update.example.com"}"#,
            ),
        ];
        for (format, line) in cases {
            let r = record(format, line);
            assert_eq!(r.client, "192.168.1.10".parse().ok(), "{line}");
            assert_eq!(r.name.as_deref(), Some("update.example.com"), "{line}");
            assert_eq!(r.kind, Some(RecordKind::Dns));
            let t = r.time.expect(line);
            assert_eq!(
                t.to_zoned(tc().zone).date(),
                jiff::civil::date(2026, 12, 5),
                "{line}"
            );
        }
    }

    #[test]
    fn replies_and_denials_are_not_queries() {
        let ignored = [
            (
                TrafficFormat::Dnsmasq,
                "Dec  5 10:00:01 router dnsmasq[812]: reply update.example.com is 203.0.113.5",
            ),
            (
                TrafficFormat::Bind,
                "Aug 29 15:33:13 ns3 named[464]: client 217.148.39.3#1036: query (cache) denied",
            ),
            (
                TrafficFormat::WindowsDns,
                "12/5/2026 10:00:01 AM 0E2C PACKET  000000D4 UDP Snd 192.168.1.10    a1b2 R Q [8081   DR  NOERROR] A      (6)update(7)example(3)com(0)",
            ),
        ];
        for (format, line) in ignored {
            assert!(
                matches!(
                    parse_line(format, line, &Layout::default(), &tc()),
                    Parsed::Ignored(_)
                ),
                "{line}"
            );
        }
    }

    #[test]
    fn formats_are_told_by_their_first_lines() {
        let cases = [
            (
                "#separator \\x09\n#fields\tts\tid.orig_h",
                TrafficFormat::Zeek,
            ),
            (
                "Dec  5 10:00:01 router dnsmasq[812]: query[A] a.jp from 192.168.1.10",
                TrafficFormat::Dnsmasq,
            ),
            (
                "05-Dec-2026 10:00:01.123 queries: info: client @0x1 192.168.1.10#1 (a.jp): query: a.jp IN A",
                TrafficFormat::Bind,
            ),
            (
                "1140701230.827    781 192.168.1.210 TCP_DENIED/407 1785 GET http://www.ossec.net oahmet NONE/- text/html",
                TrafficFormat::Squid,
            ),
            (
                "#Software: Microsoft Internet Information Services 6.0\n#Fields: date time c-ip",
                TrafficFormat::Iis,
            ),
            (
                "DNS Server log file creation at 12/5/2026 9:00:00 AM",
                TrafficFormat::WindowsDns,
            ),
        ];
        for (text, want) in cases {
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(detect(&lines).map(|(f, _)| f), Some(want), "{text}");
        }
        for other in [
            "Dec  5 10:00:01 host sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
            "{\"Event\":{}}",
        ] {
            assert_eq!(detect(&[other]).map(|(f, _)| f), None, "{other}");
        }
    }

    #[test]
    fn rtx_filter_and_inspect_messages() {
        let out = rtx_message("[INSPECT] LAN2[out][101098] TCP 192.168.100.2:50123 > 203.0.113.5:443 (2026/12/05 10:00:00)", None).unwrap();
        assert_eq!(
            (out.client, out.dest, out.port, out.inbound),
            (
                "192.168.100.2".parse().ok(),
                "203.0.113.5".parse().ok(),
                Some(443),
                false
            )
        );
        let v6 = rtx_message("[INSPECT] LAN2[out][31] TCP 2001:db8::2.56609 > 2001:db8:1::9.443 (2026/09/06 12:33:02)", None).unwrap();
        assert_eq!(v6.dest, "2001:db8:1::9".parse().ok());
        let rejected = rtx_message(
            "PP[01] Rejected at IN(2000) filter: TCP 198.51.100.7:51510 > 203.0.113.1:23",
            None,
        )
        .unwrap();
        assert!(rejected.inbound && rejected.client == "198.51.100.7".parse().ok());
        let passed = rtx_message(
            "LAN2 Passed at OUT(200099) filter: UDP 192.168.100.10:60000 > 8.8.8.8:53",
            None,
        )
        .unwrap();
        assert!(!passed.inbound && passed.port == Some(53));
        assert!(rtx_message("IP Tunnel[1] Up", None).is_none());
        assert!(rtx_message("PP[01] Rejected at IN(2000) filter: TCP garbage", None).is_none());
    }

    #[test]
    fn broken_lines_never_panic() {
        for format in TrafficFormat::ALL {
            for line in [
                "",
                "#",
                "{",
                "99/99/9999 99:99:99 PM PACKET Rcv 1.2.3.4 x Q (3",
                "client x#y query: ",
                "1e308 1 1.2.3.4 A/1 1 GET",
            ] {
                let _ = parse_line(format, line, &Layout::default(), &tc());
            }
        }
    }
}
