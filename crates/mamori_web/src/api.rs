//! `/api/...`: JSON for scripts, with the same sessions, roles and CSRF rule as the pages
//! (a POST carries the session's token in `x-csrf-token`).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Json, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mamori_store::Page;
use serde_json::json;

use crate::AppState;
use crate::guard::Viewer;
use crate::pages::findings::{ListQuery, StatusForm, apply_status};

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

fn internal(e: &anyhow::Error) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e:#}"))
}

/// Who is signed in.
pub async fn whoami(Extension(v): Extension<Viewer>) -> Response {
    Json(json!({"user": v.user.name, "role": v.user.role, "vendor": v.user.vendor, "csrf_token": v.csrf})).into_response()
}

/// The dashboard's figures (staff and admins).
pub async fn dashboard(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
) -> Response {
    if !v.is_staff() {
        return error(StatusCode::FORBIDDEN, "not allowed");
    }
    match state.dashboard().await {
        Ok(None) => Json(json!({"run": null})).into_response(),
        Ok(Some(d)) => Json(json!({
            "run": {"id": d.run.id, "as_of": d.run.as_of.to_string(), "started_at": d.run.started_at.to_string(), "findings": d.run.finding_count},
            "counts": d.counts.iter().map(|(s, n)| (s.as_str(), *n)).collect::<std::collections::BTreeMap<_, _>>(),
            "new": d.new,
            "resolved": d.resolved,
            "trend": d.trend,
            "this_week": d.this_week.iter().map(|a| json!({"title": a.title, "finding_ids": a.finding_ids})).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => internal(&e),
    }
}

/// The latest run's findings with the page's filters (`?severity=&rule=&measure=&kind=&subject=&page=`),
/// each with the status people gave it; a vendor's user gets its own.
pub async fn findings(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Query(q): Query<ListQuery>,
) -> Response {
    let run = match state.latest_run().await {
        Ok(Some(r)) => r,
        Ok(None) => return Json(json!({"run": null, "findings": []})).into_response(),
        Err(e) => return internal(&e),
    };
    let filter = q.filter(&state, &v);
    let result = async {
        let total = state.count(run.id, &filter).await?;
        let findings = state
            .store
            .run_findings(
                run.id,
                &filter,
                Page {
                    offset: q.page() * 100,
                    limit: 100,
                },
            )
            .await?;
        let decisions = state.store.decisions(&run.site_key).await?;
        anyhow::Ok((total, findings, decisions))
    }
    .await;
    match result {
        Ok((total, findings, decisions)) => {
            let items: Vec<_> = findings
                .into_iter()
                .map(|f| {
                    let status = decisions.iter().find(|d| d.finding_id == f.id);
                    json!({"finding": f, "status": status})
                })
                .collect();
            Json(json!({"run": run.id, "total": total, "findings": items})).into_response()
        }
        Err(e) => internal(&e),
    }
}

/// Sets a finding's status (staff and admins): the body is `{"status", "reason", "owner", "due"}`.
pub async fn set_status(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Path(id): Path<String>,
    Json(form): Json<StatusForm>,
) -> Response {
    if !v.is_staff() {
        return error(StatusCode::FORBIDDEN, "not allowed");
    }
    match apply_status(&state, &v, &id, &form).await {
        Ok(Ok(())) => Json(json!({"ok": true})).into_response(),
        Ok(Err((_, en))) => error(StatusCode::BAD_REQUEST, en),
        Err(e) => internal(&e),
    }
}
