//! The demo hospital's traffic: what FW-01 logged of the hospital's own connections from
//! 12/20, and what the intruder did with the file server after the New Year VPN break-in —
//! and the blocklist (`feeds/blocklists/`) that names the intruder's server. Every name and
//! address is invented (documentation ranges, the `.example` domain).
//!
//! - Ordinary days: PCs reach the electronic-records vendor's cloud and the DNS server at
//!   irregular times during the day.
//! - 2026-01-01 03:12: the file server (SRV-FILE-01, 10.0.10.20) looks up
//!   `update-sakura-cdn.example` and then calls 203.0.113.199:443 every ten minutes until noon:
//!   a listed name, a listed address, a beacon, and a destination first seen over the closure.

use std::path::Path;

use crate::names::Lcg;

/// The trail the demo imports: made-up infrastructure, in Maltrail's layout.
const BLOCKLIST: &str = "# Demo trail: ransomware infrastructure (made up for the demo hospital)
# Last updated: 2025-12-15
update-sakura-cdn.example
203.0.113.199
";

fn head(date: &str, time: &str, logid: &str, kind: &str, subtype: &str) -> String {
    format!(
        "date={date} time={time} devname=\"FW-01\" devid=\"FG100FTK20000001\" tz=\"+0900\" logid=\"{logid}\" type=\"{kind}\" subtype=\"{subtype}\""
    )
}

fn connection(date: &str, time: &str, src: &str, dst: &str, port: u16, service: &str) -> String {
    format!(
        "{} level=\"notice\" vd=\"root\" srcip={src} srcport=51{:03} srcintf=\"internal\" srcintfrole=\"lan\" dstip={dst} dstport={port} dstintf=\"wan1\" dstintfrole=\"wan\" proto=6 action=\"close\" policyid=3 service=\"{service}\" sentbyte=2140 rcvdbyte=5310",
        head(date, time, "0000000013", "traffic", "forward"),
        port % 1000
    )
}

fn dns_query(date: &str, time: &str, src: &str, name: &str) -> String {
    format!(
        "{} eventtype=\"dns-query\" level=\"information\" vd=\"root\" srcip={src} srcport=53211 dstip=10.0.0.12 dstport=53 proto=17 qname=\"{name}\" qtype=\"A\" qclass=\"IN\" msg=\"Domain is monitored\" action=\"pass\"",
        head(date, time, "1501054802", "utm", "dns")
    )
}

/// FW-01's traffic lines, in time order.
pub fn traffic_log() -> String {
    let mut rng = Lcg::new(20251220);
    let mut lines = Vec::new();
    // 2025-12-20 … 2026-01-06: a handful of connections a day at irregular times.
    let days: Vec<String> = (20..=31)
        .map(|d| format!("2025-12-{d:02}"))
        .chain((1..=6).map(|d| format!("2026-01-{d:02}")))
        .collect();
    for day in &days {
        for _ in 0..3 + rng.below(4) {
            let (h, m, s) = (8 + rng.below(10), rng.below(60), rng.below(60));
            let time = format!("{h:02}:{m:02}:{s:02}");
            let pc = ["10.0.20.10", "10.0.20.21", "10.0.10.50"][rng.below(3)];
            lines.push((
                format!("{day} {time}"),
                connection(day, &time, pc, "192.0.2.80", 443, "HTTPS"),
            ));
        }
    }
    // The intruder's beacon from the file server.
    lines.push((
        "2026-01-01 03:12:04".into(),
        dns_query(
            "2026-01-01",
            "03:12:04",
            "10.0.10.20",
            "update-sakura-cdn.example",
        ),
    ));
    for i in 0..53u32 {
        let minutes = 3 * 60 + 12 + i * 10;
        let second = 5 + (i % 3) * 17;
        let time = format!("{:02}:{:02}:{second:02}", minutes / 60, minutes % 60);
        let line = connection(
            "2026-01-01",
            &time,
            "10.0.10.20",
            "203.0.113.199",
            443,
            "HTTPS",
        );
        lines.push((format!("2026-01-01 {time}"), line));
    }
    lines.sort();
    lines.into_iter().map(|(_, l)| l + "\n").collect()
}

/// Writes `logs/fortigate-fw01-traffic.log` and `feeds/blocklists/demo-trail.txt`.
pub fn write(dir: &Path) -> anyhow::Result<()> {
    std::fs::write(dir.join("logs/fortigate-fw01-traffic.log"), traffic_log())?;
    std::fs::create_dir_all(dir.join("feeds/blocklists"))?;
    std::fs::write(dir.join("feeds/blocklists/demo-trail.txt"), BLOCKLIST)?;
    Ok(())
}
