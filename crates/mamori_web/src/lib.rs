//! `mamori serve`: the dashboard. Server-rendered pages, Japanese first, usable without
//! JavaScript (there is none), assets embedded in the binary.
//!
//! Every request passes [`guard`]: security headers on every answer, the session looked up
//! (the cookie holds a random token, the store its hash), CSRF checked on every
//! state-changing request, and the role checked by the page. Handlers in [`pages`] only read
//! the store and call `mamori_app`: no pipeline is assembled here.

#![warn(missing_docs)]

mod api;
pub mod guard;
mod pages;
mod state;
mod upload;
mod view;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use state::AppState;

/// Uploads larger than this are refused (a month of firewall logs fits; a disk image does not).
pub const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// How to serve.
pub struct ServeOptions {
    /// The site folder.
    pub site_dir: PathBuf,
    /// Where to listen (default 127.0.0.1:8470).
    pub listen: SocketAddr,
    /// The database.
    pub db: PathBuf,
    /// TLS certificate and key (PEM), required to listen beyond loopback.
    pub tls: Option<(PathBuf, PathBuf)>,
}

pub use mamori_model::Refusal;

/// Refuses to listen beyond loopback without TLS: the dashboard shows a map of the hospital's
/// weaknesses and its passwords would cross the network in clear.
pub fn check_listen(listen: SocketAddr, tls: bool) -> Result<(), Refusal> {
    if listen.ip().is_loopback() || tls {
        return Ok(());
    }
    Err(Refusal::new(
        format!(
            "{listen} で待ち受けるには TLS が必要です。--tls-cert と --tls-key で証明書と秘密鍵を指定するか、127.0.0.1 で待ち受けてください。"
        ),
        format!(
            "listening on {listen} needs TLS: give --tls-cert and --tls-key, or listen on 127.0.0.1"
        ),
    ))
}

/// The routes, with the guard around them. Tests serve this on a loopback port.
pub fn router(state: Arc<AppState>) -> Router {
    let routes = Router::new()
        .route("/", get(pages::dashboard::page))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/lang", get(pages::login::switch_lang))
        .route("/assets/style.css", get(view::stylesheet))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/findings", get(pages::findings::list))
        .route("/findings/{id}", get(pages::findings::detail))
        .route("/findings/{id}/status", post(pages::findings::set_status))
        .route("/ledgers/{kind}", get(pages::ledgers::page))
        .route("/checklist", get(pages::checklist::page))
        .route("/checklist/answer", post(pages::checklist::answer))
        .route("/checklist.xlsx", get(pages::checklist::export))
        .route(
            "/holiday",
            get(pages::holiday::page).post(pages::holiday::record),
        )
        .route("/vuln", get(pages::vuln::page).post(pages::vuln::upload))
        .route("/run", get(pages::run::page).post(pages::run::start))
        .route("/run/upload", post(pages::run::upload))
        .route("/audit", get(pages::audit::page))
        .route("/backup", get(pages::backup::page))
        .route(
            "/incident",
            get(pages::incident::page).post(pages::incident::act),
        )
        .route("/incident/binder", get(pages::incident::binder))
        .route("/api/dashboard", get(api::dashboard))
        .route("/api/findings", get(api::findings))
        .route("/api/findings/{id}/status", post(api::set_status))
        .route("/api/whoami", get(api::whoami))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(axum::middleware::from_fn(guard::headers));
    routes.with_state(state)
}

/// Serves until Ctrl-C. Loads the site folder and opens the database first, so that a wrong
/// path is said at once rather than at the first request.
pub async fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    check_listen(opts.listen, opts.tls.is_some())?;
    let state = Arc::new(AppState::open(&opts.site_dir, &opts.db, opts.tls.is_some()).await?);
    let listener = std::net::TcpListener::bind(opts.listen)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", opts.listen))?;
    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    serve_on(listener, state, opts.tls.as_ref(), handle).await
}

/// Serves the dashboard on a bound listener, over TLS when a certificate and key (PEM files)
/// are given. Tests call it with a loopback port of their own.
pub async fn serve_on(
    listener: std::net::TcpListener,
    state: Arc<AppState>,
    tls: Option<&(PathBuf, PathBuf)>,
    handle: axum_server::Handle<SocketAddr>,
) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        Some((cert, key)) => {
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "cannot read the TLS certificate {} / key {}: {e}",
                        cert.display(),
                        key.display()
                    )
                })?;
            axum_server::from_tcp_rustls(listener, config)?
                .handle(handle)
                .serve(app)
                .await?;
        }
        None => {
            axum_server::from_tcp(listener)?
                .handle(handle)
                .serve(app)
                .await?;
        }
    }
    Ok(())
}
