//! `mamori watch`: a syslog receiver for the site. UDP and TCP (newline or octet-counted
//! framing, RFC 6587) on loopback unless told otherwise, an allow-list of senders, a limit on
//! connections. Every message goes, in order of arrival, to one consumer that writes it to the
//! archive and feeds the live detections (`mamori_app::watch`); alerts are printed and stored.
//! Stops cleanly on SIGTERM or Ctrl-C: what was received is flushed and fsynced first.

#![warn(missing_docs)]

pub mod allow;
pub mod frame;
pub mod mail;
mod server;

pub use server::{AlertSink, WatchOptions, WatchStats, listen_tcp, run, tls_config};

/// Resolves on SIGTERM (systemd's stop) or Ctrl-C.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The addresses to listen on: the flags, else site.toml `[watch]`, else UDP and TCP on
/// 127.0.0.1:5514 (loopback: a sender elsewhere is heard only when asked for).
pub fn listen_addresses(
    site_dir: &std::path::Path,
    udp: &[std::net::SocketAddr],
    tcp: &[std::net::SocketAddr],
) -> anyhow::Result<(Vec<std::net::SocketAddr>, Vec<std::net::SocketAddr>)> {
    if !udp.is_empty() || !tcp.is_empty() {
        return Ok((udp.to_vec(), tcp.to_vec()));
    }
    // site.toml alone: the tables are read once, when receiving starts.
    let watch = mamori_ingest::site::read_site_config(site_dir)
        .map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| e.describe(mamori_model::Lang::Ja))
                .collect();
            anyhow::anyhow!("{}", lines.join("\n"))
        })?
        .watch;
    let parse = |list: &[String]| -> anyhow::Result<Vec<std::net::SocketAddr>> {
        list.iter()
            .map(|a| {
                a.parse().map_err(|_| {
                    anyhow::anyhow!("site.toml [watch]: {a:?} は 127.0.0.1:5514 のように書いてください / write it like 127.0.0.1:5514")
                })
            })
            .collect()
    };
    let (u, t) = (parse(&watch.udp)?, parse(&watch.tcp)?);
    if u.is_empty() && t.is_empty() {
        let local: std::net::SocketAddr = "127.0.0.1:5514".parse().expect("an address");
        return Ok((vec![local], vec![local]));
    }
    Ok((u, t))
}
