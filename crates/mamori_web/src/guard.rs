//! The guard every request passes, and the security headers every answer carries.
//!
//! - **Session**: the `mamori_session` cookie holds a random 256-bit token (HttpOnly,
//!   SameSite=Strict, Secure under TLS); the store keeps its SHA-256 and ends it after 30
//!   minutes idle or 12 hours in all.
//! - **CSRF**: every request other than GET/HEAD must come from this origin (`Origin`,
//!   `Sec-Fetch-Site`) and carry the session's synchronizer token — the `csrf_token` form
//!   field, the `x-csrf-token` header (scripts), or for file uploads the `csrf_token` query
//!   parameter. The login form, before any session, carries the token of its own cookie.
//!   Without it: 403.
//! - **Roles** are checked by each page through [`Viewer`].

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use mamori_model::Lang;
use mamori_model::access::{Role, User};

use crate::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "mamori_session";
/// The login form's CSRF cookie (before there is a session).
pub const LOGIN_COOKIE: &str = "mamori_login";
/// The language cookie.
pub const LANG_COOKIE: &str = "mamori_lang";

/// The signed-in person making a request, put there by [`guard`].
#[derive(Clone, Debug)]
pub struct Viewer {
    /// Who.
    pub user: User,
    /// Their session's CSRF token.
    pub csrf: String,
    /// The session token (for sign-out).
    pub token: String,
    /// The page language.
    pub lang: Lang,
    /// The client's address.
    pub source: String,
    /// The institution's name, for the page header.
    pub site_name: String,
}

impl Viewer {
    /// Staff and admins (not vendors).
    pub fn is_staff(&self) -> bool {
        self.user.role != Role::Vendor
    }
}

/// The value of one cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure under TLS.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are hex or fixed words")
}

/// The page language from the cookie (Japanese unless `en`).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Ja,
    }
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/lang" | "/assets/style.css" | "/favicon.ico"
    )
}

/// Most of a form body read to find its CSRF token (uploads use the query parameter).
const FORM_LIMIT: usize = 1024 * 1024;

/// The guard: session, CSRF, and sign-in required outside the public paths.
pub async fn guard(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let source = addr.ip().to_string();
    let now = state.clock.now();
    let headers = req.headers().clone();
    let token = cookie(&headers, SESSION_COOKIE);
    let session = match &token {
        Some(t) => match mamori_app::access::session(&state.store, t, now).await {
            Ok(s) => s,
            // The database's own words (paths, SQL) stay on the server.
            Err(_) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "500: the database cannot be read",
                )
                    .into_response();
            }
        },
        None => None,
    };
    let path = req.uri().path().to_owned();
    let mut req = req;
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let expected = if path == "/login" {
            cookie(&headers, LOGIN_COOKIE)
        } else {
            session.as_ref().map(|s| s.csrf_token.clone())
        };
        let (checked, rebuilt) = check_csrf(req, expected.as_deref()).await;
        req = rebuilt;
        if !checked {
            let who = session.as_ref().map_or("-", |s| s.user.name.as_str());
            let body = serde_json::json!({"from": source, "path": path});
            let _ = mamori_app::access::audit(&state.store, now, who, "csrf-refused", &body).await;
            return (
                StatusCode::FORBIDDEN,
                "403 Forbidden: CSRF token missing or wrong",
            )
                .into_response();
        }
    }
    if is_public(&path) {
        req.extensions_mut().insert(source);
        return next.run(req).await;
    }
    let (Some(session), Some(token)) = (session, token) else {
        if path.starts_with("/api/") {
            return (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({"error": "sign in first"})),
            )
                .into_response();
        }
        return Redirect::to("/login").into_response();
    };
    let viewer = Viewer {
        user: session.user,
        csrf: session.csrf_token,
        token,
        lang: lang_of(&headers),
        source,
        site_name: state.site().site.config.name.clone(),
    };
    req.extensions_mut().insert(viewer);
    next.run(req).await
}

/// Whether an unsafe request is same-origin and carries the expected token; the request is
/// rebuilt with its body (read to find a form's token).
async fn check_csrf(req: Request, expected: Option<&str>) -> (bool, Request) {
    let headers = req.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v != "same-origin" && v != "none");
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Under Referrer-Policy no-referrer a browser posts a form with `Origin: null`: then the
    // browser's own Sec-Fetch-Site must say same-origin.
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let same_site_fetch = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"same-origin");
    let foreign_origin = match origin {
        None => false,
        Some("null") => !same_site_fetch,
        Some(o) => o.split_once("://").map(|(_, h)| h) != Some(host),
    };
    let Some(expected) = expected.filter(|_| !cross_site && !foreign_origin) else {
        return (false, req);
    };
    if let Some(t) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return (same_token(t, expected), req);
    }
    let query_token = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v)
    });
    if let Some(t) = query_token {
        return (same_token(&t, expected), req);
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, req);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return (false, Request::from_parts(parts, Body::empty()));
    };
    let found = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf_token"))
        .is_some_and(|(_, t)| same_token(&t, expected));
    (found, Request::from_parts(parts, Body::from(bytes)))
}

/// Security headers on every answer: a Content-Security-Policy without scripts, no framing,
/// no sniffing, no referrer, no caching of pages.
pub async fn headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
