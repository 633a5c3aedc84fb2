//! The listeners and the one consumer. Listeners only frame and forward; the consumer, on a
//! thread of its own, archives and detects in arrival order, syncs the archive every second
//! and flushes the detections every few seconds.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use jiff::Timestamp;
use mamori_app::watch::{Alert, Archive, LiveDetection, Silence};
use mamori_app::{Clock, SiteFolder};
use mamori_model::SourceRef;
use tokio::io::AsyncReadExt;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::allow::{Net, allowed};
use crate::frame::{Framer, Note};

/// Where alerts and problems go: the binary prints them (text or JSON lines).
pub trait AlertSink: Send {
    /// A new alert.
    fn alert(&mut self, alert: &Alert);
    /// Something went wrong (the archive's disk is full…); receiving goes on.
    fn problem(&mut self, text: &str);
}

/// How to listen.
pub struct WatchOptions {
    /// The site folder (thresholds, `[watch]`, the archive under `logs/received/`).
    pub site_dir: PathBuf,
    /// Bound UDP sockets.
    pub udp: Vec<std::net::UdpSocket>,
    /// Bound TCP listeners.
    pub tcp: Vec<std::net::TcpListener>,
    /// Bound TCP listeners speaking TLS (RFC 5425), with the server's certificate and key.
    pub tls: Vec<(std::net::TcpListener, Arc<rustls::ServerConfig>)>,
    /// The database alerts are recorded in.
    pub db: PathBuf,
    /// TCP connections served at once; more are closed at once (default 1,000).
    pub max_connections: usize,
    /// A TCP connection silent this long is closed (default 10 minutes).
    pub idle_timeout: Duration,
    /// How often the detections are flushed into alerts (default 5 seconds).
    pub alert_interval: Duration,
    /// Where "now" comes from.
    pub clock: Clock,
}

impl WatchOptions {
    /// Binds the given addresses (an error names the address: in use, or a port below 1024
    /// without the right to it).
    pub fn bind(
        site_dir: PathBuf,
        db: PathBuf,
        udp: &[SocketAddr],
        tcp: &[SocketAddr],
    ) -> anyhow::Result<Self> {
        let udp = udp
            .iter()
            .map(|a| {
                std::net::UdpSocket::bind(a).with_context(|| format!("cannot listen on UDP {a}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let tcp = tcp
            .iter()
            .map(|a| listen_tcp(*a))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            site_dir,
            udp,
            tcp,
            db,
            tls: Vec::new(),
            max_connections: 1000,
            idle_timeout: Duration::from_secs(600),
            alert_interval: Duration::from_secs(5),
            clock: Clock::system(),
        })
    }
}

/// Connections waiting to be accepted, per listener. The system's usual 128 filled in a
/// burst (devices reconnecting after a network break, a scan): each connection past it waited
/// a second for the retransmitted SYN — 55 such waits in the 10,000-connection test.
const TCP_BACKLOG: i32 = 1024;

/// A TCP listener on `addr` with room for a burst of connections ([`TCP_BACKLOG`]); an error
/// names the address (in use, or a port below 1024 without the right to it).
pub fn listen_tcp(addr: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    let bound = (|| {
        let socket = socket2::Socket::new(
            socket2::Domain::for_address(addr),
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )?;
        // As std does on Unix: a restarted receiver can bind at once.
        #[cfg(unix)]
        socket.set_reuse_address(true)?;
        socket.bind(&addr.into())?;
        socket.listen(TCP_BACKLOG)?;
        std::io::Result::Ok(std::net::TcpListener::from(socket))
    })();
    bound.with_context(|| format!("cannot listen on TCP {addr}"))
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct WatchStats {
    /// Messages received and archived.
    pub received: u64,
    /// Messages of no format mamori reads (archived all the same).
    pub unrecognised: u64,
    /// Messages cut at the length limit.
    pub cut: u64,
    /// Alerts raised.
    pub alerts: u64,
    /// Connections closed at once because the limit was reached.
    pub refused_connections: u64,
    /// Messages or connections from senders not on the allow-list.
    pub denied: u64,
    /// Archive write errors (reported, receiving went on).
    pub archive_errors: u64,
}

enum Msg {
    /// Messages of one read from one sender, in order: (bytes, cut at the limit).
    Data {
        source: IpAddr,
        at: Timestamp,
        messages: Vec<(Vec<u8>, bool)>,
    },
    Tick,
}

/// Counters the listeners update.
#[derive(Default)]
struct Counters {
    refused: AtomicU64,
    denied: AtomicU64,
}

/// Receives until `shutdown` resolves; then flushes everything and returns what it did.
pub async fn run(
    opts: WatchOptions,
    sink: Box<dyn AlertSink>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<WatchStats> {
    let folder = SiteFolder::new(&opts.site_dir);
    let today = opts.clock.today();
    let site = folder.load(today, &opts.clock).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| e.describe(mamori_model::Lang::Ja))
            .collect();
        anyhow::anyhow!(
            "サイトフォルダを読めません / cannot read the site folder:\n{}",
            lines.join("\n")
        )
    })?;
    let settings = site.site.config.watch.clone();
    let allow: Vec<Net> = settings
        .allow
        .iter()
        .map(|s| Net::parse(s))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let allow = Arc::new(allow);
    let archive = Archive::open(&folder.logs().join("received"), settings.keep_days, today)?
        .labelled_from(folder.root());
    let live = LiveDetection::new(
        mamori_hunt_config(&site.site.config),
        today,
        Silence::of(&site.site),
    );
    let (tx, rx) = mpsc::channel::<Msg>(256);
    let counters = Arc::new(Counters::default());
    let alert_ticks = opts.alert_interval.as_secs().max(1);
    let mailer = crate::mail::Mailer::start(&site.site.config.alerts, &site.site.config.name)?;
    let consumer = Consumer {
        mailer,
        alert_ticks,
        archive,
        live,
        sink,
        store: (opts.db.clone(), site.site.config.id.clone()),
        clock: opts.clock,
        names: std::collections::HashMap::new(),
        stats: WatchStats::default(),
    };
    let consumer = std::thread::spawn(move || consumer.run(rx));
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let mut tasks = JoinSet::new();
    for socket in opts.udp {
        socket.set_nonblocking(true)?;
        let socket = tokio::net::UdpSocket::from_std(socket)?;
        tasks.spawn(udp(
            socket,
            tx.clone(),
            allow.clone(),
            counters.clone(),
            opts.clock,
            stop.clone(),
        ));
    }
    let limit = Arc::new(Semaphore::new(opts.max_connections));
    let plain = opts.tcp.into_iter().map(|l| (l, None));
    let secure = opts
        .tls
        .into_iter()
        .map(|(l, c)| (l, Some(tokio_rustls::TlsAcceptor::from(c))));
    for (listener, tls) in plain.chain(secure) {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let ctx = TcpContext {
            tx: tx.clone(),
            allow: allow.clone(),
            counters: counters.clone(),
            limit: limit.clone(),
            idle: opts.idle_timeout,
            clock: opts.clock,
            stop: stop.clone(),
            tls,
        };
        tasks.spawn(tcp(listener, ctx));
    }
    let ticker = tx.clone();
    let mut ticker_stop = stop.clone();
    tasks.spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = ticker_stop.changed() => return,
            }
            if ticker.send(Msg::Tick).await.is_err() {
                return;
            }
        }
    });
    drop(tx);
    shutdown.await;
    // Stop accepting; let open connections deliver what is already on its way (they end at
    // the sender's close or after a second of silence), at most for DRAIN.
    let _ = stopping.send(true);
    let drained =
        tokio::time::timeout(DRAIN, async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    let mut stats = tokio::task::spawn_blocking(move || consumer.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the consumer thread stopped"))?;
    stats.refused_connections = counters.refused.load(Ordering::Relaxed);
    stats.denied = counters.denied.load(Ordering::Relaxed);
    Ok(stats)
}

/// How long a stop waits for open connections to deliver what they were sending.
const DRAIN: Duration = Duration::from_secs(10);

fn mamori_hunt_config(config: &mamori_model::site::SiteConfig) -> mamori_hunt::detect::HuntConfig {
    mamori_hunt::detect::HuntConfig::for_site(config.clone())
}

async fn udp(
    socket: tokio::net::UdpSocket,
    tx: mpsc::Sender<Msg>,
    allow: Arc<Vec<Net>>,
    counters: Arc<Counters>,
    clock: Clock,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut buf = vec![0u8; 65_536];
    loop {
        let received = if *stop.borrow() {
            // Stopping: take what is already queued in the socket, then end.
            match socket.try_recv_from(&mut buf) {
                Ok(r) => Ok(r),
                Err(_) => return,
            }
        } else {
            tokio::select! {
                r = socket.recv_from(&mut buf) => r,
                _ = stop.changed() => continue,
            }
        };
        let Ok((n, from)) = received else {
            continue;
        };
        if !allowed(&allow, from.ip()) {
            counters.denied.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let bytes = buf[..n].strip_suffix(b"\n").unwrap_or(&buf[..n]).to_vec();
        let msg = Msg::Data {
            source: from.ip(),
            at: clock.now(),
            messages: vec![(bytes, false)],
        };
        if tx.send(msg).await.is_err() {
            return;
        }
    }
}

struct TcpContext {
    tx: mpsc::Sender<Msg>,
    allow: Arc<Vec<Net>>,
    counters: Arc<Counters>,
    limit: Arc<Semaphore>,
    idle: Duration,
    clock: Clock,
    stop: tokio::sync::watch::Receiver<bool>,
    /// TLS on this listener.
    tls: Option<tokio_rustls::TlsAcceptor>,
}

async fn tcp(listener: tokio::net::TcpListener, ctx: TcpContext) {
    let ctx = Arc::new(ctx);
    let mut connections = JoinSet::new();
    let mut stop = ctx.stop.clone();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => break,
        };
        let Ok((stream, from)) = accepted else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        if !allowed(&ctx.allow, from.ip()) {
            ctx.counters.denied.fetch_add(1, Ordering::Relaxed);
            continue; // dropped: closed
        }
        let Ok(permit) = ctx.limit.clone().try_acquire_owned() else {
            ctx.counters.refused.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        let ctx = ctx.clone();
        connections.spawn(async move {
            let _permit = permit;
            match &ctx.tls {
                None => connection(stream, from.ip(), &ctx).await,
                Some(acceptor) => {
                    // A handshake that does not finish within the idle time is dropped.
                    let hello = tokio::time::timeout(ctx.idle, acceptor.accept(stream)).await;
                    if let Ok(Ok(tls)) = hello {
                        connection(tls, from.ip(), &ctx).await;
                    }
                }
            }
        });
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

async fn connection(
    mut stream: impl tokio::io::AsyncRead + Unpin,
    source: IpAddr,
    ctx: &TcpContext,
) {
    let mut framer = Framer::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut messages = Vec::new();
    loop {
        // Stopping: a connection silent for a second has said all it had.
        let wait = if *ctx.stop.borrow() {
            Duration::from_secs(1)
        } else {
            ctx.idle
        };
        let read = tokio::time::timeout(wait, stream.read(&mut buf)).await;
        let n = match read {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => n,
        };
        framer.push(&buf[..n], &mut |m, note| {
            messages.push((m.to_vec(), note == Note::Cut))
        });
        if !messages.is_empty() {
            let batch = std::mem::take(&mut messages);
            let msg = Msg::Data {
                source,
                at: ctx.clock.now(),
                messages: batch,
            };
            if ctx.tx.send(msg).await.is_err() {
                return;
            }
        }
    }
    framer.finish(&mut |m, note| messages.push((m.to_vec(), note == Note::Cut)));
    if !messages.is_empty() {
        let msg = Msg::Data {
            source,
            at: ctx.clock.now(),
            messages,
        };
        let _ = ctx.tx.send(msg).await;
    }
}

/// The one consumer: archive, detections, alerts.
struct Consumer {
    mailer: Option<crate::mail::Mailer>,
    alert_ticks: u64,
    archive: Archive,
    live: LiveDetection,
    sink: Box<dyn AlertSink>,
    store: (PathBuf, String),
    clock: Clock,
    /// Each sender's address as text, made once.
    names: std::collections::HashMap<IpAddr, String>,
    stats: WatchStats,
}

impl Consumer {
    fn run(mut self, mut rx: mpsc::Receiver<Msg>) -> WatchStats {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let store = rt.block_on(mamori_store::Store::open(&self.store.0));
        let store = match store {
            Ok(s) => Some(s),
            Err(e) => {
                self.sink.problem(&format!(
                    "アラートをデータベースに記録できません / alerts are not recorded: {e}"
                ));
                None
            }
        };
        let mut ticks = 0u64;
        while let Some(msg) = rx.blocking_recv() {
            match msg {
                Msg::Data {
                    source,
                    at,
                    messages,
                } => {
                    for (bytes, cut) in messages {
                        self.take(source, at, &bytes, cut);
                    }
                }
                Msg::Tick => {
                    ticks += 1;
                    self.sync();
                    if ticks.is_multiple_of(self.alert_ticks) {
                        self.alerts(&rt, store.as_ref());
                    }
                    if ticks.is_multiple_of(60)
                        && let Err(e) = self.archive.tidy(self.clock.today())
                    {
                        self.sink.problem(&e.to_string());
                    }
                }
            }
        }
        self.sync();
        self.alerts(&rt, store.as_ref());
        self.stats.unrecognised = self.live.unrecognised;
        self.stats
    }

    fn take(&mut self, source: IpAddr, at: Timestamp, bytes: &[u8], cut: bool) {
        self.stats.received += 1;
        if cut {
            self.stats.cut += 1;
        }
        let name = self
            .names
            .entry(source)
            .or_insert_with(|| source.to_string());
        let origin = match self.archive.write(name, at, bytes) {
            Ok((label, line)) => SourceRef::row(label, line),
            Err(e) => {
                self.stats.archive_errors += 1;
                if self.stats.archive_errors.is_power_of_two() {
                    self.sink.problem(&format!(
                        "受信したログを保存できません（{} 件目）/ cannot archive: {e}",
                        self.stats.archive_errors
                    ));
                }
                SourceRef::row(format!("received from {name}"), 0)
            }
        };
        let (text, _) = mamori_ingest::decode::decode_line(bytes);
        self.live.observe(name, at, &text, origin);
    }

    fn sync(&mut self) {
        if let Err(e) = self.archive.sync() {
            self.sink.problem(&e.to_string());
        }
    }

    fn alerts(&mut self, rt: &tokio::runtime::Runtime, store: Option<&mamori_store::Store>) {
        let now = self.clock.now();
        let alerts = self.live.flush(now);
        if let Some(mailer) = &mut self.mailer {
            let failed: Vec<String> = std::mem::take(&mut *mailer.errors.lock().expect("errors"));
            mailer.take(alerts.clone(), now);
            for e in failed {
                self.sink.problem(&e);
            }
        }
        for alert in alerts {
            self.stats.alerts += 1;
            self.sink.alert(&alert);
            if let Some(store) = store {
                let at = alert.at.to_string();
                if let Err(e) = rt.block_on(store.record_alert(&self.store.1, &at, &alert.finding))
                {
                    self.sink.problem(&format!(
                        "アラートを記録できません / cannot record the alert: {e}"
                    ));
                }
            }
        }
    }
}

/// The server side of TLS from PEM files (certificate chain, private key); the error names
/// the file.
pub fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .map_err(|e| anyhow::anyhow!("{}: not a PEM certificate: {e}", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| anyhow::anyhow!("{}: not a PEM private key: {e}", key.display()))?;
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| anyhow::anyhow!("{}: {e}", cert.display()))?;
    Ok(Arc::new(config))
}
