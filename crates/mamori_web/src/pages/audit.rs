//! `/audit`: the audit log, newest first, with whether its hash chain adds up (admins only).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use mamori_model::access::Role;
use mamori_model::incident::{LogLine, verify_chain};

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, forbidden, render};

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    lines: Vec<LogLine>,
    total: usize,
    broken_at: Option<i64>,
}

/// The log (the newest 500 lines shown; the whole chain verified).
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    if v.user.role != Role::Admin {
        return forbidden(&v);
    }
    let all = match state.store.audit_log(None).await {
        Ok(l) => l,
        Err(e) => return failure(&v, &e.into()),
    };
    let broken_at = verify_chain(&all).err();
    let total = all.len();
    let lines = all.into_iter().rev().take(500).collect();
    render(&AuditPage {
        c: Chrome::new(&v, "監査ログ", "Audit log", "/audit"),
        lines,
        total,
        broken_at,
    })
}
