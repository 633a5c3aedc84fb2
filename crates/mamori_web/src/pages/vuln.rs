//! `/vuln`: the vulnerability data in the database (each feed file, its own date and age);
//! staff import a feed file by upload (it is kept in the site folder's `feeds/`).

use std::sync::{Arc, Mutex};

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::response::Response;

use crate::AppState;
use crate::guard::Viewer;
use crate::upload::{self, Accept};
use crate::view::{Chrome, failure, forbidden, render};
use std::path::Path;

#[derive(Template)]
#[template(path = "vuln.html")]
struct VulnPage {
    c: Chrome,
    status: String,
    lines: Vec<String>,
}

/// The feed status.
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    match status_text(&state, &v).await {
        Ok(status) => render(&VulnPage {
            c: Chrome::new(&v, "脆弱性情報", "Vulnerability data", "/vuln"),
            status,
            lines: Vec::new(),
        }),
        Err(e) => failure(&v, &e),
    }
}

async fn status_text(state: &AppState, v: &Viewer) -> anyhow::Result<String> {
    let status = mamori_app::vuln::status(&state.db).await?;
    let report = mamori_app::vuln::status_report(status, &state.db, state.clock.today());
    Ok(mamori_report::vuln::render_vuln_status_table(
        &report, v.lang,
    ))
}

/// Collects what an import says, for the page.
#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

impl mamori_app::Reporter for Lines {
    fn note(&self, text: &str) {
        self.0.lock().expect("lines").push(text.to_owned());
    }
    fn error(&self, text: &str) {
        self.0.lock().expect("lines").push(text.to_owned());
    }
    fn progress(&self, _: &str) {}
    fn wants_progress(&self) -> bool {
        false
    }
}

/// Imports an uploaded feed file (staff).
pub async fn upload(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    mp: Multipart,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let (_, file) = match upload::receive(&v, mp, "feed").await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let feeds = state.folder.relative(&state.folder.feeds());
    let path = match upload::keep(
        &v,
        state.folder.root(),
        Path::new(&feeds),
        &file,
        Accept::Feeds,
    ) {
        Ok(p) => state.folder.root().join(p),
        Err(answer) => return answer,
    };
    let (db, lang, file) = (state.db.clone(), v.lang, path.clone());
    let outcome = crate::view::on_own_thread(move || async move {
        let lines = Lines::default();
        let done =
            mamori_app::vuln_import::import(std::slice::from_ref(&file), &db, &lines, lang).await;
        let mut lines = lines.0.into_inner().unwrap_or_default();
        if let Err(e) = &done {
            lines.push(format!("{e:#}"));
        }
        (lines, done.is_ok_and(|o| !o.is_incomplete()))
    })
    .await;
    let (lines, ok) = outcome.unwrap_or_else(|e| (vec![format!("{e:#}")], false));
    let body =
        serde_json::json!({"from": v.source, "file": state.folder.relative(&path), "ok": ok});
    let _ = mamori_app::access::audit(
        &state.store,
        state.clock.now(),
        &v.user.name,
        "vuln-import",
        &body,
    )
    .await;
    match status_text(&state, &v).await {
        Ok(status) => render(&VulnPage {
            c: Chrome::new(&v, "脆弱性情報", "Vulnerability data", "/vuln"),
            status,
            lines,
        }),
        Err(e) => failure(&v, &e),
    }
}
