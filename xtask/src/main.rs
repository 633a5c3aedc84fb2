//! Developer tasks.
//!
//! - `cargo run -p xtask -- demo [DIR]` rewrites `examples/demo-hospital` (or DIR): a fictional
//!   ~200-bed hospital whose story rows are written out below and whose bulk (staff, PCs, their
//!   accounts) is generated deterministically. The output is committed; rerun after changing this.
//! - `cargo run -p xtask -- gen-site DIR --assets N --accounts M` writes a large synthetic site
//!   for benchmarks.
//! - `cargo run -p xtask -- serve-load BASE USER PASSWORD [SESSIONS] [SECONDS]` loads a running
//!   `mamori serve` (bench/serve.sh).
//! - `cargo run -p xtask -- syslog-load HOST:PORT SECONDS [CONNECTIONS]` sends syslog over TCP
//!   as fast as a receiver takes it (bench/watch.sh).

mod demo;
mod demo_backup;
mod demo_checklist;
mod demo_feeds;
mod demo_scan;
mod demo_traffic;
mod load;
mod names;
mod syslog_load;
mod write;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("demo") => {
            let dir = args.get(1).map_or("examples/demo-hospital", String::as_str);
            demo::write_demo(dir.as_ref())
        }
        Some("gen-site") => {
            let dir = args.get(1).context("gen-site needs an output folder")?;
            let mut assets = 10_000;
            let mut accounts = 50_000;
            let mut rest = args[2..].iter();
            while let Some(flag) = rest.next() {
                let value: usize = rest
                    .next()
                    .context("flag without value")?
                    .parse()
                    .context("not a number")?;
                match flag.as_str() {
                    "--assets" => assets = value,
                    "--accounts" => accounts = value,
                    other => bail!("unknown flag {other}"),
                }
            }
            demo::write_large_site(dir.as_ref(), assets, accounts)
        }
        Some("serve-load") => load::run(&args[1..]),
        Some("syslog-load") => syslog_load::run(&args[1..]),
        _ => bail!(
            "usage: xtask demo [DIR] | xtask gen-site DIR [--assets N] [--accounts M] | \
             xtask serve-load BASE USER PASSWORD [SESSIONS] [SECONDS] | \
             xtask syslog-load HOST:PORT SECONDS [CONNECTIONS]"
        ),
    }
}
