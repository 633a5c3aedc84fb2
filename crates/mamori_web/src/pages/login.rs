//! `/login`, `/logout`, `/lang`: signing in and out, and the language switch.

use std::net::SocketAddr;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use mamori_app::access::{Attempt, SignIn};
use serde::Deserialize;

use crate::AppState;
use crate::guard::{
    LANG_COOKIE, LOGIN_COOKIE, SESSION_COOKIE, Viewer, cookie, lang_of, set_cookie,
};
use crate::view::{Chrome, local_path, pick, render};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<String>,
}

fn login_page(
    headers: &HeaderMap,
    state: &AppState,
    error: Option<(&str, &str)>,
    status: StatusCode,
) -> Response {
    let lang = lang_of(headers);
    // One token per browser until it signs in: a second tab, or a favicon request that lands
    // here, must not invalidate the form already shown.
    let token = cookie(headers, LOGIN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(mamori_app::access::random_token);
    let c = Chrome {
        lang,
        user: None,
        csrf: token.clone(),
        title: pick(lang, "ログイン", "Sign in").to_owned(),
        here: "/login".into(),
        site_name: state.site().site.config.name.clone(),
    };
    let page = LoginPage {
        error: error.map(|(ja, en)| pick(lang, ja, en).to_owned()),
        c,
    };
    let mut res = (status, render(&page)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, &token, Some(3600), state.secure_cookies),
    );
    res
}

/// The sign-in form (with its own CSRF token, in a cookie and a hidden field).
pub async fn form(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    login_page(&headers, &state, None, StatusCode::OK)
}

/// What the sign-in form posts.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    totp: String,
}

/// Checks the form; on success a new session (a fresh token: any old one is ended).
pub async fn submit(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let source = addr.ip().to_string();
    let attempt = Attempt {
        username: &f.username,
        password: &f.password,
        totp: &f.totp,
        source: &source,
        now: state.clock.now(),
    };
    let outcome = match mamori_app::access::sign_in(&state.store, &attempt).await {
        Ok(o) => o,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}")).into_response(),
    };
    let (ja, en, status) = match outcome {
        SignIn::Granted { token, .. } => {
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                let _ = state
                    .store
                    .end_session(&mamori_app::access::token_hash(&old))
                    .await;
            }
            let mut res = Redirect::to("/").into_response();
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, None, state.secure_cookies),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(LOGIN_COOKIE, "", Some(0), state.secure_cookies),
            );
            return res;
        }
        SignIn::Invalid => (
            "ユーザー名、パスワード、確認コードのいずれかが違います。",
            "The user name, password or code is wrong.",
            StatusCode::UNAUTHORIZED,
        ),
        SignIn::LockedOut => (
            "失敗が続いたため、このアカウントは 15 分間ログインできません。",
            "Too many failures: this account is locked for 15 minutes.",
            StatusCode::TOO_MANY_REQUESTS,
        ),
        SignIn::Throttled => (
            "この端末からの失敗が多いため、しばらくログインできません。",
            "Too many failures from this address: try again later.",
            StatusCode::TOO_MANY_REQUESTS,
        ),
    };
    login_page(&headers, &state, Some((ja, en)), status)
}

/// Signs out: the session ends in the store and the cookie is cleared.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
) -> Response {
    let now = state.clock.now();
    let _ =
        mamori_app::access::sign_out(&state.store, &v.token, &v.user.name, &v.source, now).await;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), state.secure_cookies),
    );
    res
}

/// `/lang?to=en&back=/findings`.
#[derive(Deserialize)]
pub struct LangSwitch {
    to: String,
    #[serde(default)]
    back: String,
}

/// Switches the page language (a cookie) and goes back.
pub async fn switch_lang(
    State(state): State<Arc<AppState>>,
    Query(q): Query<LangSwitch>,
) -> Response {
    let to = if q.to == "en" { "en" } else { "ja" };
    let mut res = Redirect::to(local_path(&q.back)).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, to, Some(365 * 24 * 3600), state.secure_cookies),
    );
    res
}
