//! `xtask syslog-load HOST:PORT SECONDS [CONNECTIONS]`: sends syslog over TCP as fast as the
//! receiver takes it (sshd failures and FortiGate login events, newline framing) for SECONDS
//! over CONNECTIONS connections (default 4), then prints how many were sent and the rate.
//! The receiver's archive is then counted by bench/watch.sh: sent = stored means no loss.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::Context;

fn message(i: u64) -> String {
    if i % 4 == 3 {
        format!(
            "<189>date=2026-12-30 time=02:{:02}:{:02} devname=\"FW-01\" devid=\"FGT60F\" logid=\"0100032002\" type=\"event\" subtype=\"system\" level=\"alert\" vd=\"root\" logdesc=\"Admin login failed\" sn=\"0\" user=\"admin\" ui=\"https(198.51.100.{})\" method=\"https\" srcip=198.51.100.{} dstip=192.0.2.1 action=\"login\" status=\"failed\" reason=\"passwd_invalid\" msg=\"Administrator admin login failed from https(198.51.100.{}) because of invalid password\"",
            i / 60 % 60,
            i % 60,
            i % 200,
            i % 200,
            i % 200
        )
    } else {
        format!(
            "<38>Dec 30 02:{:02}:{:02} clinic-srv sshd[{}]: Failed password for invalid user user{} from 203.0.113.{} port {} ssh2",
            i / 60 % 60,
            i % 60,
            10_000 + i % 50_000,
            i % 1000,
            i % 250,
            40_000 + i % 20_000
        )
    }
}

/// Runs the load and prints `sent N messages in S s: R messages/s`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let addr = args
        .first()
        .context("usage: xtask syslog-load HOST:PORT SECONDS [CONNECTIONS]")?;
    let seconds: u64 = args.get(1).map_or(Ok(60), |s| s.parse())?;
    let connections: u64 = args.get(2).map_or(Ok(4), |s| s.parse())?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let sent: u64 = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..connections)
            .map(|c| {
                scope.spawn(move || -> anyhow::Result<u64> {
                    let mut stream =
                        std::io::BufWriter::with_capacity(256 * 1024, TcpStream::connect(addr)?);
                    let mut n = 0u64;
                    while Instant::now() < until {
                        for _ in 0..1000 {
                            writeln!(stream, "{}", message(c * 1_000_000_000 + n))?;
                            n += 1;
                        }
                    }
                    stream.flush()?;
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a sender").unwrap_or(0))
            .sum()
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "sent {sent} messages in {secs:.1} s: {:.0} messages/s",
        sent as f64 / secs
    );
    Ok(())
}
