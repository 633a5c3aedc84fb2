//! What every page shares: the language, the signed-in user, the CSRF token for its forms,
//! the navigation; and the answers that are not pages (errors, redirects, the stylesheet).

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use mamori_model::Lang;
use mamori_model::access::Role;

use crate::guard::Viewer;

/// The frame of every page.
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// Who is signed in (`None` on the login page).
    pub user: Option<(String, Role)>,
    /// The session's CSRF token, put into every form.
    pub csrf: String,
    /// The page's title.
    pub title: String,
    /// The path of the page (to come back after switching language).
    pub here: String,
    /// The institution's name.
    pub site_name: String,
}

impl Chrome {
    /// The frame for a signed-in viewer.
    pub fn new(v: &Viewer, ja: &str, en: &str, here: &str) -> Self {
        Chrome {
            lang: v.lang,
            user: Some((v.user.name.clone(), v.user.role)),
            csrf: v.csrf.clone(),
            title: pick(v.lang, ja, en).to_owned(),
            here: here.to_owned(),
            site_name: v.site_name.clone(),
        }
    }

    /// Japanese or English, by the page's language.
    pub fn t<'a>(&self, ja: &'a str, en: &'a str) -> &'a str {
        pick(self.lang, ja, en)
    }

    /// `ja` or `en`, for `<html lang>`.
    pub fn lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The other language's switch link.
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.lang {
            Lang::Ja => ("en", "English"),
            Lang::En => ("ja", "日本語"),
        }
    }

    /// A text in the page's language.
    pub fn l<'a>(&self, text: &'a mamori_model::Localized) -> &'a str {
        text.get(self.lang)
    }

    /// The signed-in user and role, as the header shows them.
    pub fn who(&self) -> String {
        match &self.user {
            Some((name, role)) => format!("{name}（{}）", role.label().get(self.lang)),
            None => String::new(),
        }
    }

    /// The language switch's link, coming back to this page.
    pub fn lang_link(&self) -> String {
        let q = [("to", self.other_lang().0), ("back", self.here.as_str())];
        format!(
            "/lang?{}",
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    }

    /// Whether a navigation entry is shown to this user.
    pub fn may(&self, what: &str) -> bool {
        let Some((_, role)) = &self.user else {
            return false;
        };
        match what {
            "audit" => *role == Role::Admin,
            "staff" => *role != Role::Vendor,
            _ => true,
        }
    }
}

/// Japanese or English.
pub fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A rendered template as a response (500 with a plain message if rendering failed).
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("template error: {e}"),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    c: Chrome,
    message: &'a str,
}

/// A page with one message and a status (403, 404, 400…).
pub fn message(v: &Viewer, status: StatusCode, ja: &str, en: &str) -> Response {
    let (title_ja, title_en) = match status {
        StatusCode::FORBIDDEN => ("権限がありません", "Not allowed"),
        StatusCode::NOT_FOUND => ("見つかりません", "Not found"),
        StatusCode::BAD_REQUEST => ("入力を確かめてください", "Please check the input"),
        _ => ("エラー", "Error"),
    };
    let page = MessagePage {
        c: Chrome::new(v, title_ja, title_en, "/"),
        message: pick(v.lang, ja, en),
    };
    (status, render(&page)).into_response()
}

/// 403 for a page this role may not see.
pub fn forbidden(v: &Viewer) -> Response {
    message(
        v,
        StatusCode::FORBIDDEN,
        "このページを見る権限がありません。",
        "You are not allowed to see this page.",
    )
}

/// A failure inside (the database, a file): said plainly, details kept out of the page.
pub fn failure(v: &Viewer, e: &anyhow::Error) -> Response {
    message(
        v,
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("処理できませんでした: {e:#}"),
        &format!("could not be done: {e:#}"),
    )
}

/// After a POST: back to a page with GET.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The stylesheet, embedded in the binary.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        include_str!("../assets/style.css"),
    )
        .into_response()
}

/// A local path to come back to (never another site): `/findings?x=1`, else `/`.
pub fn local_path(path: &str) -> &str {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path
    } else {
        "/"
    }
}

/// Runs a pipeline whose future cannot move between threads (assess, a feed import) on a
/// thread of its own, with a runtime of its own, and waits for it without blocking the server.
pub async fn on_own_thread<T, F>(work: impl FnOnce() -> F + Send + 'static) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = T>,
{
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        anyhow::Ok(rt.block_on(work()))
    })
    .await
    .map_err(|e| anyhow::anyhow!("the task stopped: {e}"))?
}
