//! `/run`: run assess now (the page follows it as it goes: the answer is streamed, no script
//! needed), and upload logs or configurations into the site folder.

use std::convert::Infallible;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamori_app::assess::{AssessOptions, Recording};
use mamori_store::Page;

use crate::AppState;
use crate::guard::Viewer;
use crate::upload::{self, Accept};
use crate::view::{Chrome, failure, forbidden, message, pick, render};
use std::path::Path;

#[derive(Template)]
#[template(path = "run.html")]
struct RunPage {
    c: Chrome,
    runs: Vec<(i64, String, String, i64)>,
    busy: bool,
    uploaded: Option<String>,
}

async fn run_page(state: &AppState, v: &Viewer, uploaded: Option<String>) -> Response {
    let key = state.site_key();
    let runs = match state.store.list_runs(Some(&key), Page::first(20)).await {
        Ok(r) => r,
        Err(e) => return failure(v, &e.into()),
    };
    render(&RunPage {
        c: Chrome::new(v, "点検の実行", "Run", "/run"),
        runs: runs
            .into_iter()
            .map(|r| {
                (
                    r.id,
                    r.started_at.to_string(),
                    r.as_of.to_string(),
                    r.finding_count,
                )
            })
            .collect(),
        busy: state.running.try_lock().is_err(),
        uploaded,
    })
}

/// The runs so far and the forms.
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    run_page(&state, &v, None).await
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Runs assess; the page is written as it goes (start, then the outcome).
pub async fn start(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let Ok(guard) = state.running.clone().try_lock_owned() else {
        return message(
            &v,
            StatusCode::CONFLICT,
            "別の点検が実行中です。終わってからもう一度どうぞ。",
            "Another run is in progress; try again when it ends.",
        );
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(16);
    let lang = v.lang;
    let head = format!(
        "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><title>{}</title><link rel=\"stylesheet\" href=\"/assets/style.css\"><main><h1>{}</h1><ul class=\"progress\">",
        if lang == mamori_model::Lang::En {
            "en"
        } else {
            "ja"
        },
        pick(lang, "点検の実行", "Run"),
        pick(lang, "点検の実行", "Run"),
    );
    let task_state = state.clone();
    let who = v.user.name.clone();
    let source = v.source.clone();
    tokio::spawn(async move {
        let _guard = guard;
        let say = |ja: &str, en: &str| format!("<li>{}</li>\n", escape(pick(lang, ja, en)));
        let _ = tx.send(head).await;
        let _ = tx
            .send(say(
                "サイトフォルダを読み込み、点検しています…",
                "Reading the site folder and running the checks…",
            ))
            .await;
        let (folder, db, clock) = (
            task_state.folder.clone(),
            task_state.db.clone(),
            task_state.clock,
        );
        let outcome = crate::view::on_own_thread(move || async move {
            let opts = AssessOptions {
                as_of: None,
                db,
                record: true,
                clock,
            };
            summary(mamori_app::assess::assess(&folder, &opts).await, lang)
        })
        .await;
        let (text, ok) = outcome.unwrap_or_else(|e| (format!("{e:#}"), false));
        let _ = tx
            .send(format!("<li><pre>{}</pre></li>\n", escape(&text)))
            .await;
        let body = serde_json::json!({"from": source, "ok": ok});
        let _ = mamori_app::access::audit(
            &task_state.store,
            task_state.clock.now(),
            &who,
            "assess",
            &body,
        )
        .await;
        let _ = task_state.reload();
        let _ = tx
            .send(format!(
                "</ul><p><a href=\"/\">{}</a> · <a href=\"/findings\">{}</a></p></main></html>",
                pick(lang, "ダッシュボードへ", "To the dashboard"),
                pick(lang, "指摘の一覧へ", "To the findings")
            ))
            .await;
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    });
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from_stream(stream),
    )
        .into_response()
}

/// What the run page says when assess ends, and whether it was whole.
fn summary(
    outcome: Result<mamori_app::assess::Assessment, Vec<mamori_model::input::InputError>>,
    lang: mamori_model::Lang,
) -> (String, bool) {
    let a = match outcome {
        Err(errors) => {
            return (
                errors
                    .iter()
                    .map(|e| e.describe(lang))
                    .collect::<Vec<_>>()
                    .join("\n"),
                false,
            );
        }
        Ok(a) => a,
    };
    let recorded = match &a.recording {
        Recording::Recorded => pick(lang, "記録しました", "recorded"),
        Recording::Withheld => pick(
            lang,
            "入力エラーがあるため記録しません",
            "not recorded: input errors",
        ),
        Recording::Failed(_) => pick(lang, "記録できませんでした", "could not be recorded"),
        Recording::NotAsked => "",
    };
    let resolved = a.report.resolved.len();
    let new = a.report.findings.iter().filter(|f| f.new).count();
    let mut s = match lang {
        mamori_model::Lang::Ja => format!(
            "完了: 指摘 {} 件（新規 {new} 件・解消 {resolved} 件）。{recorded}。",
            a.report.findings.len()
        ),
        mamori_model::Lang::En => format!(
            "Done: {} findings ({new} new, {resolved} resolved); {recorded}.",
            a.report.findings.len()
        ),
    };
    for e in &a.report.errors {
        s.push('\n');
        s.push_str(&e.describe(lang));
    }
    (s, !a.is_incomplete())
}

/// Uploads a log or configuration file into `logs/` or `configs/` (staff).
pub async fn upload(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    mp: Multipart,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let (posted, file) = match upload::receive(&v, mp, "file").await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let dir = match posted.field("target") {
        "logs" => state.folder.logs(),
        "configs" => state.folder.configs(),
        _ => {
            return message(
                &v,
                StatusCode::BAD_REQUEST,
                "置き場所はログか設定を選んでください。",
                "Choose logs or configurations.",
            );
        }
    };
    let rel = state.folder.relative(&dir);
    let shown = match upload::keep(
        &v,
        state.folder.root(),
        Path::new(&rel),
        &file,
        Accept::LogsAndConfigs,
    ) {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let body = serde_json::json!({"from": v.source, "file": shown, "size": file.1.len()});
    let _ = mamori_app::access::audit(
        &state.store,
        state.clock.now(),
        &v.user.name,
        "upload",
        &body,
    )
    .await;
    run_page(&state, &v, Some(shown)).await
}
