//! `/backup`: the バックアップ台帳, the restore drills and the BCP list as read, and how many of
//! the latest run's findings are about backups and BCP (links to them).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use mamori_store::FindingFilter;

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, forbidden, pick, render};

#[derive(Template)]
#[template(path = "backup.html")]
struct BackupPage {
    c: Chrome,
    jobs: Vec<Vec<String>>,
    drills: Vec<Vec<String>>,
    plans: Vec<Vec<String>>,
    backup_findings: i64,
    bcp_findings: i64,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn yes_no(v: Option<bool>, lang: mamori_model::Lang) -> String {
    match v {
        Some(true) => pick(lang, "はい", "yes").into(),
        Some(false) => pick(lang, "いいえ", "no").into(),
        None => pick(lang, "未記入", "not recorded").into(),
    }
}

/// The page (staff).
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let counts = async {
        let Some(run) = state.latest_run().await? else {
            return anyhow::Ok((0, 0));
        };
        let mut n = [0; 2];
        for (i, prefix) in ["backup.", "bcp."].into_iter().enumerate() {
            let filter = FindingFilter {
                rule_prefix: Some(prefix.into()),
                ..FindingFilter::default()
            };
            n[i] = state.count(run.id, &filter).await?;
        }
        Ok((n[0], n[1]))
    };
    let (backup_findings, bcp_findings) = match counts.await {
        Ok(c) => c,
        Err(e) => return failure(&v, &e),
    };
    let site = state.site();
    let l = v.lang;
    let jobs = site
        .site
        .backups
        .iter()
        .map(|j| {
            vec![
                j.system.clone(),
                j.data.clone(),
                j.destination.clone(),
                opt(j.generations),
                yes_no(j.offline_copy, l),
                yes_no(j.separate_credentials, l),
                opt(j.last_success),
                opt(j.last_restore_test),
            ]
        })
        .collect();
    let drills = site
        .site
        .restore_drills
        .iter()
        .map(|d| {
            vec![
                opt(d.date),
                d.system.clone(),
                yes_no(d.succeeded, l),
                opt(d.minutes),
            ]
        })
        .collect();
    let plans = site
        .site
        .bcp
        .iter()
        .map(|p| {
            vec![
                p.system.clone(),
                opt(p.priority),
                opt(p.rto_hours),
                p.downtime_procedure.clone(),
                opt(p.last_exercise),
                opt(p.last_review),
            ]
        })
        .collect();
    render(&BackupPage {
        c: Chrome::new(&v, "バックアップと BCP", "Backups and BCP", "/backup"),
        jobs,
        drills,
        plans,
        backup_findings,
        bcp_findings,
    })
}
