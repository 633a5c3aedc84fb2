//! `/incident`: when an attack happens. The open incident with its hash-chained action log and
//! evidence, forms to start one, add to its log and close it (through
//! `mamori_app::incident::act`, as the `mamori incident` commands do), and the printable
//! 対応手順書 (first hour, contacts, first report) as a file to print or keep offline.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamori_app::incident::IncidentAction;
use mamori_model::incident::{EvidenceFile, LogLine, verify_chain};
use serde::Deserialize;

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, forbidden, message, on_own_thread, render, see_other};

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    c: Chrome,
    open: Option<(String, String)>,
    log: Vec<LogLine>,
    chain_ok: bool,
    evidence: Vec<EvidenceFile>,
}

/// The page (staff).
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let key = state.site_key();
    let loaded = async {
        let Some(open) = state.store.open_incident(&key).await? else {
            return anyhow::Ok((None, Vec::new(), Vec::new()));
        };
        let log = state.store.incident_log(open.id).await?;
        let evidence = state.store.incident_evidence(open.id).await?;
        Ok((Some((open.summary, open.started_at)), log, evidence))
    };
    match loaded.await {
        Ok((open, log, evidence)) => render(&IncidentPage {
            c: Chrome::new(&v, "インシデント対応", "Incident response", "/incident"),
            chain_ok: verify_chain(&log).is_ok(),
            open,
            log,
            evidence,
        }),
        Err(e) => failure(&v, &e),
    }
}

/// `start` / `log` / `close`, with the text.
#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    text: String,
}

/// Records an action (staff); the incident log keeps it, the audit log notes it.
pub async fn act(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Form(f): Form<ActForm>,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let text = f.text.trim().to_owned();
    let action = match f.action.as_str() {
        "start" | "log" if text.is_empty() => {
            return message(
                &v,
                StatusCode::BAD_REQUEST,
                "何が起きたか・何をしたかを書いてください。",
                "Write what happened or what was done.",
            );
        }
        "start" => IncidentAction::Start(text.clone()),
        "log" => IncidentAction::Log(text.clone()),
        "close" => IncidentAction::Close,
        _ => {
            return message(
                &v,
                StatusCode::BAD_REQUEST,
                "その操作はありません。",
                "No such action.",
            );
        }
    };
    let (folder, db, clock) = (state.folder.clone(), state.db.clone(), state.clock);
    let who = format!("{}（ダッシュボード）", v.user.name);
    let done = on_own_thread(move || async move {
        mamori_app::incident::act(&folder, action, &who, &db, &clock).await
    })
    .await;
    let done = match done.and_then(|d| d) {
        Ok(d) => d,
        Err(e) => return failure(&v, &e),
    };
    let body =
        serde_json::json!({"from": v.source, "action": f.action, "text": text, "ok": done.ok});
    let _ = mamori_app::access::audit(
        &state.store,
        state.clock.now(),
        &v.user.name,
        "incident",
        &body,
    )
    .await;
    if !done.ok {
        return message(&v, StatusCode::CONFLICT, &done.message.ja, &done.message.en);
    }
    see_other("/incident")
}

/// The printable binder (HTML file) with the open incident's record.
pub async fn binder(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let (folder, db, clock, lang) = (state.folder.clone(), state.db.clone(), state.clock, v.lang);
    let html = on_own_thread(move || async move {
        let b = mamori_app::incident::binder_with_record(&folder, None, &clock, &db).await;
        mamori_report::incident::render(&b, "html", lang)
    })
    .await;
    match html {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"incident-binder.html\"",
                ),
            ],
            html,
        )
            .into_response(),
        Err(e) => failure(&v, &e),
    }
}
