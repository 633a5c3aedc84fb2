//! A real receiver on loopback: the shared OpenSSH log over TCP and FortiGate lines over UDP,
//! alerts raised live, every message in the archive; framing, long lines, silent clients and
//! the connection limit.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mamori_app::watch::Alert;
use mamori_watch::{AlertSink, WatchOptions, WatchStats};

#[derive(Clone, Default)]
struct Collected(Arc<Mutex<Vec<Alert>>>);

impl AlertSink for Collected {
    fn alert(&mut self, alert: &Alert) {
        self.0.lock().unwrap().push(alert.clone());
    }
    fn problem(&mut self, text: &str) {
        panic!("problem: {text}");
    }
}

struct Receiver {
    dir: tempfile::TempDir,
    udp: SocketAddr,
    tcp: SocketAddr,
    alerts: Collected,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<std::thread::JoinHandle<WatchStats>>,
}

impl Receiver {
    fn start(max_connections: usize) -> Receiver {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        mamori_testing::copy_demo_site(&site);
        let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let mut opts = WatchOptions::bind(site, dir.path().join("m.db"), &[any], &[any]).unwrap();
        opts.max_connections = max_connections;
        opts.alert_interval = Duration::from_secs(1);
        let (udp, tcp) = (
            opts.udp[0].local_addr().unwrap(),
            opts.tcp[0].local_addr().unwrap(),
        );
        let alerts = Collected::default();
        let sink = Box::new(alerts.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(mamori_watch::run(opts, sink, async {
                let _ = stopped.await;
            }))
            .unwrap()
        });
        Receiver {
            dir,
            udp,
            tcp,
            alerts,
            stop: Some(stop),
            done: Some(done),
        }
    }

    fn stop(&mut self) -> WatchStats {
        let _ = self.stop.take().unwrap().send(());
        self.done.take().unwrap().join().unwrap()
    }

    /// Every archived line of a source (today's file and packed days).
    fn archived(&self, source: &str) -> Vec<String> {
        let dir = self.dir.path().join("site/logs/received").join(source);
        let mut lines = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return lines;
        };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            lines.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_owned));
        }
        lines
    }

    fn wait_for(&self, what: &str, done: impl Fn(&Self) -> bool) {
        for _ in 0..150 {
            if done(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("timed out waiting for {what}");
    }
}

/// A receiver on a runtime of this thread's own: the runtime, what stops it, its task.
fn serve(
    opts: WatchOptions,
) -> (
    tokio::runtime::Runtime,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<anyhow::Result<WatchStats>>,
) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(mamori_watch::run(
        opts,
        Box::new(Collected::default()),
        async {
            let _ = stopped.await;
        },
    ));
    (rt, stop, server)
}

#[test]
fn ssh_over_tcp_and_fortigate_over_udp_are_archived_and_alerted() {
    let (Some(ssh), Some(forti)) = (
        mamori_testing::shared("syslog/loghub/OpenSSH_2k.log"),
        mamori_testing::shared("vendor/wazuh-ruleset-tests/fortigate.ini"),
    ) else {
        return;
    };
    let mut r = Receiver::start(100);
    let ssh_text = std::fs::read_to_string(ssh).unwrap();
    let ssh_lines: Vec<&str> = ssh_text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut stream = TcpStream::connect(r.tcp).unwrap();
    for chunk in ssh_text.as_bytes().chunks(1000) {
        stream.write_all(chunk).unwrap();
    }
    drop(stream);
    let ini = std::fs::read_to_string(forti).unwrap();
    let forti_lines: Vec<String> = ini
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(_, raw)| raw.trim().to_owned()))
        .filter(|raw| raw.contains("devname="))
        .collect();
    assert!(!forti_lines.is_empty());
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    for (i, line) in forti_lines.iter().enumerate() {
        udp.send_to(format!("<189>{line}").as_bytes(), r.udp)
            .unwrap();
        if i % 50 == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    r.wait_for("every TCP message archived", |r| {
        r.archived("127.0.0.1").len() >= ssh_lines.len() + forti_lines.len()
    });
    r.wait_for("alerts", |r| !r.alerts.0.lock().unwrap().is_empty());
    let stats = r.stop();
    let archived = r.archived("127.0.0.1");
    for line in &ssh_lines {
        assert!(
            archived.iter().any(|a| a == line.trim_end_matches('\r')),
            "missing: {line}"
        );
    }
    assert_eq!(
        stats.received as usize,
        ssh_lines.len() + forti_lines.len(),
        "{stats:?}"
    );
    let alerts = r.alerts.0.lock().unwrap();
    let rules: std::collections::BTreeSet<&str> =
        alerts.iter().map(|a| a.finding.rule_id.as_str()).collect();
    assert!(rules.contains("log.bruteforce"), "{rules:?}");
    // One alert per finding: the same id is not raised twice.
    let ids: std::collections::HashSet<&str> =
        alerts.iter().map(|a| a.finding.id.as_str()).collect();
    assert_eq!(ids.len(), alerts.len());
    // The evidence points into the archive.
    let source = &alerts[0].finding.evidence.sources[0];
    assert!(
        source.file.starts_with("logs/received/127.0.0.1/") && source.line.is_some(),
        "{source:?}"
    );
}

#[test]
fn framing_long_lines_silent_clients_and_the_connection_limit() {
    let mut r = Receiver::start(3);
    // A client that connects and sends nothing, and a second one: both hold a place.
    let silent = TcpStream::connect(r.tcp).unwrap();
    let mut framed = TcpStream::connect(r.tcp).unwrap();
    let long = format!("<34>Dec 30 01:00:00 fw app: {}", "x".repeat(64 * 1024));
    let octet = "<34>Dec 30 01:00:01 fw app: counted";
    let payload = format!(
        "{} {octet}{long}\n\n<34>Dec 30 01:00:02 fw app: last",
        octet.len()
    );
    framed.write_all(payload.as_bytes()).unwrap();
    framed.flush().unwrap();
    let third = TcpStream::connect(r.tcp).unwrap();
    // The limit (3) is reached: a fourth connection is closed at once.
    std::thread::sleep(Duration::from_millis(300));
    let mut fourth = TcpStream::connect(r.tcp).unwrap();
    fourth
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(
        fourth.read(&mut buf).unwrap_or(0),
        0,
        "closed by the server"
    );
    drop(framed);
    r.wait_for("the framed messages", |r| {
        r.archived("127.0.0.1").len() >= 3
    });
    drop((silent, third));
    let stats = r.stop();
    let archived = r.archived("127.0.0.1");
    assert_eq!(
        archived,
        [
            octet.to_owned(),
            long.clone(),
            "<34>Dec 30 01:00:02 fw app: last".to_owned()
        ]
    );
    assert_eq!(archived[1].len(), long.len(), "a 64 KiB line is kept whole");
    assert_eq!(stats.refused_connections, 1, "{stats:?}");
}

#[test]
fn syslog_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    mamori_testing::copy_demo_site(&site);
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert_pem, key_pem) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&cert_pem, cert.cert.pem()).unwrap();
    std::fs::write(&key_pem, cert.signing_key.serialize_pem()).unwrap();
    let mut opts = WatchOptions::bind(site.clone(), dir.path().join("m.db"), &[], &[]).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    opts.tls.push((
        listener,
        mamori_watch::tls_config(&cert_pem, &key_pem).unwrap(),
    ));
    let (rt, stop, server) = serve(opts);
    rt.block_on(async {
        use tokio::io::AsyncWriteExt;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.cert.der().clone()).unwrap();
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let mut tls = connector.connect(name, tcp).await.unwrap();
        tls.write_all(b"<34>Dec 30 01:00:00 fw app: over tls\n29 <34>Dec 30 01:00:01 fw app: x")
            .await
            .unwrap();
        tls.shutdown().await.unwrap();
        // Plain text on the TLS port is not a message.
        let mut plain = tokio::net::TcpStream::connect(addr).await.unwrap();
        plain
            .write_all(b"<34>Dec 30 01:00:02 fw app: in clear\n")
            .await
            .unwrap();
        drop(plain);
        tokio::time::sleep(Duration::from_millis(500)).await;
        let _ = stop.send(());
        let stats = server.await.unwrap().unwrap();
        assert_eq!(stats.received, 2, "{stats:?}");
    });
    let day = std::fs::read_dir(site.join("logs/received/127.0.0.1"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(day).unwrap();
    assert_eq!(
        text,
        "<34>Dec 30 01:00:00 fw app: over tls\n<34>Dec 30 01:00:01 fw app: x\n"
    );
}

/// A minimal SMTP server on loopback (no STARTTLS): each mail's DATA, in order.
fn smtp_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    use std::io::BufRead;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = mails.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut out) = stream else { return };
            let mut input = std::io::BufReader::new(out.try_clone().unwrap());
            out.write_all(b"220 test ESMTP\r\n").unwrap();
            let mut line = String::new();
            while input.read_line(&mut line).unwrap_or(0) > 0 {
                let cmd = line.to_ascii_uppercase();
                let reply: &[u8] = if cmd.starts_with("EHLO") {
                    b"250-test\r\n250 8BITMIME\r\n"
                } else if cmd.starts_with("DATA") {
                    out.write_all(b"354 go on\r\n").unwrap();
                    let mut data = String::new();
                    let mut l = String::new();
                    while input.read_line(&mut l).unwrap() > 0 && l != ".\r\n" {
                        data.push_str(&l);
                        l.clear();
                    }
                    kept.lock().unwrap().push(data);
                    b"250 queued\r\n"
                } else if cmd.starts_with("QUIT") {
                    out.write_all(b"221 bye\r\n").unwrap();
                    break;
                } else {
                    b"250 ok\r\n"
                };
                out.write_all(reply).unwrap();
                line.clear();
            }
        }
    });
    (port, mails)
}

#[test]
fn a_brute_force_is_one_mail() {
    let (port, mails) = smtp_server();
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    mamori_testing::copy_demo_site(&site);
    let mut toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    toml.push_str(&format!("\n[alerts]\nsmtp = \"127.0.0.1:{port}\"\nstarttls = false\nfrom = \"mamori@sakura.example\"\nto = [\"it@sakura.example\"]\n"));
    std::fs::write(site.join("site.toml"), toml).unwrap();
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let mut opts = WatchOptions::bind(site, dir.path().join("m.db"), &[], &[any]).unwrap();
    opts.alert_interval = Duration::from_secs(1);
    let tcp = opts.tcp[0].local_addr().unwrap();
    let (rt, stop, server) = serve(opts);
    let mut s = TcpStream::connect(tcp).unwrap();
    for i in 0..2000 {
        let line = format!(
            "<38>Dec 30 02:{:02}:{:02} clinic-srv sshd[{}]: Failed password for admin from 203.0.113.9 port {} ssh2\n",
            i / 60 % 60,
            i % 60,
            1000 + i,
            40000 + i
        );
        s.write_all(line.as_bytes()).unwrap();
    }
    drop(s);
    for _ in 0..100 {
        if !mails.lock().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let _ = stop.send(());
    rt.block_on(server).unwrap().unwrap();
    let mails = mails.lock().unwrap();
    assert_eq!(mails.len(), 1, "2,000 attempts, one mail: {mails:?}");
    assert!(mails[0].contains("To: it@sakura.example"), "{}", mails[0]);
    use base64::Engine;
    let (_, encoded) = mails[0].split_once("\r\n\r\n").unwrap();
    let body = base64::engine::general_purpose::STANDARD
        .decode(encoded.replace("\r\n", ""))
        .unwrap();
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains("log.bruteforce") && body.contains("203.0.113.9") && body.contains("対策"),
        "{body}"
    );
}

#[test]
fn mail_settings_are_checked_before_receiving() {
    use mamori_model::site::AlertSettings;
    let plain_remote = AlertSettings {
        smtp: Some("smtp.example.jp:25".into()),
        starttls: false,
        from: "a@b.jp".into(),
        to: vec!["c@d.jp".into()],
        ..AlertSettings::default()
    };
    let e = mamori_watch::mail::Mailer::start(&plain_remote, "x")
        .err()
        .unwrap();
    assert!(e.to_string().contains("starttls = false"), "{e}");
    let no_password = AlertSettings {
        smtp: Some("smtp.example.jp:587".into()),
        starttls: true,
        from: "a@b.jp".into(),
        to: vec!["c@d.jp".into()],
        username: Some("a".into()),
        password_env: Some("MAMORI_TEST_NO_SUCH_VARIABLE".into()),
        ..AlertSettings::default()
    };
    let e = mamori_watch::mail::Mailer::start(&no_password, "x")
        .err()
        .unwrap();
    assert!(
        format!("{e:#}").contains("MAMORI_TEST_NO_SUCH_VARIABLE"),
        "{e:#}"
    );
    assert!(
        mamori_watch::mail::Mailer::start(&AlertSettings::default(), "x")
            .unwrap()
            .is_none(),
        "no smtp: no mail"
    );
}

#[test]
fn ten_thousand_idle_connections_are_refused_politely() {
    const WANTED: usize = 10_000;
    const LIMIT: usize = 1_000; // the default of WatchOptions
    // The clients' ends, the receiver's (at most LIMIT held) and some to spare, in one process.
    // A machine that allows fewer open files gets as many idle clients as it can hold, said
    // visibly; fewer than twice the limit would not test the limit, and fails.
    let allowed = mamori_testing::raise_open_files((WANTED + LIMIT + 1_000) as u64);
    let idle_count = WANTED.min(
        usize::try_from(allowed)
            .unwrap_or(usize::MAX)
            .saturating_sub(LIMIT + 1_000),
    );
    assert!(
        idle_count >= 2 * LIMIT,
        "this test needs {} open files, the machine allows {allowed}",
        2 * LIMIT + LIMIT + 1_000
    );
    if idle_count < WANTED {
        mamori_testing::say(&format!(
            "REDUCED: {idle_count} idle connections instead of {WANTED} (open files allowed: {allowed})"
        ));
    }
    let mut r = Receiver::start(LIMIT);
    let mut idle = Vec::with_capacity(idle_count);
    for i in 0..idle_count {
        let stream = TcpStream::connect(r.tcp).unwrap_or_else(|e| panic!("connection {i}: {e}"));
        stream.set_nonblocking(true).unwrap();
        idle.push(stream);
    }
    // Past the limit, each one is closed at once: the client reads an orderly end, it is not
    // left hanging and the receiver does not hold it.
    let closed_by_server = |idle: &[TcpStream]| {
        idle.iter()
            .filter(|s| {
                let mut s: &TcpStream = s;
                matches!(s.read(&mut [0u8; 1]), Ok(0))
            })
            .count()
    };
    let mut closed = 0;
    for _ in 0..300 {
        closed = closed_by_server(&idle);
        if closed >= idle_count - LIMIT {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        closed,
        idle_count - LIMIT,
        "refused connections closed at once"
    );
    // Meanwhile UDP senders are still heard.
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.send_to(b"<34>Dec 30 01:00:00 fw app: during the flood", r.udp)
        .unwrap();
    r.wait_for("the UDP message", |r| r.archived("127.0.0.1").len() == 1);
    // Once the idle clients go, a device sending over TCP gets a place again (it may be
    // refused while the receiver is still closing theirs: it sends again, as rsyslog would).
    drop(idle);
    let after = "<34>Dec 30 01:00:01 fw app: after the flood";
    let heard = |r: &Receiver| r.archived("127.0.0.1").len() >= 2;
    for _ in 0..30 {
        let mut device = TcpStream::connect(r.tcp).unwrap();
        let _ = device.write_all(format!("{after}\n").as_bytes());
        drop(device);
        // The archive is written at least every second.
        for _ in 0..15 {
            if heard(&r) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if heard(&r) {
            break;
        }
    }
    let stats = r.stop();
    assert!(
        stats.refused_connections >= (idle_count - LIMIT) as u64,
        "{stats:?}"
    );
    let archived = r.archived("127.0.0.1");
    assert_eq!(
        archived.first().map(String::as_str),
        Some("<34>Dec 30 01:00:00 fw app: during the flood")
    );
    assert!(
        archived.len() >= 2 && archived[1..].iter().all(|l| l == after),
        "a TCP sender is heard after the idle clients left: {archived:?}"
    );
}
