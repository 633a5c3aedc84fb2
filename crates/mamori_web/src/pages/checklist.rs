//! `/checklist`: the MHLW, BCP and vendor checklists of this fiscal year with the answers and
//! what the checks observed; staff answer an item here (with an evidence file), written back
//! into `checklist.toml`; `/checklist.xlsx` exports them for the inspection.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamori_app::checklist::ChecklistOptions;
use mamori_app::records::AnswerInput;
use mamori_report::checklist::{ChecklistReport, ChecklistSheet};

use crate::AppState;
use crate::guard::Viewer;
use crate::upload::{self, Accept};
use crate::view::{Chrome, failure, forbidden, message, render, see_other};

/// One row as shown.
pub struct ItemView {
    key: String,
    number: String,
    text: String,
    answer: String,
    checked: String,
    notes: String,
    evidence: Vec<String>,
    observation: String,
    contradicted: bool,
}

/// One sheet as shown.
pub struct SheetView {
    title: String,
    list: String,
    vendor: String,
    answerable: bool,
    rows: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "checklist.html")]
struct ChecklistPage {
    c: Chrome,
    fiscal_year: i16,
    sheets: Vec<SheetView>,
    may_answer: bool,
}

/// Whether this viewer may answer this list (for this vendor).
fn may_answer(v: &Viewer, list: &str, vendor: &str) -> bool {
    match list {
        "institution" | "bcp" => v.is_staff(),
        "vendor" => v.is_staff() || v.user.vendor.as_deref() == Some(vendor),
        _ => false,
    }
}

async fn report(state: &AppState) -> anyhow::Result<ChecklistReport> {
    let opts = ChecklistOptions {
        fiscal_year: None,
        as_of: None,
        db: state.db.clone(),
        clock: state.clock,
    };
    match mamori_app::checklist::checklist(&state.folder, &opts).await {
        Ok(outcome) => Ok(outcome.report),
        Err(errors) => anyhow::bail!(
            "{}",
            errors
                .iter()
                .map(|e| e.describe(mamori_model::Lang::Ja))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn visible(sheet: &ChecklistSheet, v: &Viewer) -> bool {
    v.is_staff()
        || sheet
            .vendor
            .as_ref()
            .is_some_and(|x| Some(&x.id) == v.user.vendor.as_ref())
}

fn sheet_view(sheet: &ChecklistSheet, v: &Viewer) -> SheetView {
    let l = v.lang;
    SheetView {
        title: sheet.title.clone(),
        list: sheet.list.clone(),
        vendor: sheet
            .vendor
            .as_ref()
            .map(|x| x.id.clone())
            .unwrap_or_default(),
        // Staff answer every list; a vendor's user answers its own 事業者確認用.
        answerable: v.is_staff() || sheet.vendor.is_some(),
        rows: sheet
            .rows
            .iter()
            .map(|r| ItemView {
                key: r.key.clone(),
                number: r.number.clone(),
                text: r.item.get(l).to_owned(),
                answer: r
                    .answer
                    .as_ref()
                    .map(|a| a.get(l).to_owned())
                    .unwrap_or_default(),
                checked: [
                    r.checked_on.map(|d| d.to_string()).unwrap_or_default(),
                    r.checked_by.clone(),
                ]
                .join(" ")
                .trim()
                .to_owned(),
                notes: r.notes.clone(),
                evidence: r.evidence_files.clone(),
                observation: r.observation.get(l).to_owned(),
                contradicted: r.contradicted,
            })
            .collect(),
    }
}

/// The checklists.
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    let r = match report(&state).await {
        Ok(r) => r,
        Err(e) => return failure(&v, &e),
    };
    let sheets = r
        .sheets
        .iter()
        .filter(|s| visible(s, &v))
        .map(|s| sheet_view(s, &v))
        .collect();
    render(&ChecklistPage {
        c: Chrome::new(&v, "チェックリスト", "Checklists", "/checklist"),
        fiscal_year: r.fiscal_year,
        sheets,
        may_answer: v.is_staff(),
    })
}

/// The checklists as an Excel workbook (staff; noted in the audit log).
pub async fn export(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let bytes = match report(&state)
        .await
        .and_then(|r| Ok(mamori_report::checklist::render_checklist_xlsx(&r, v.lang)?))
    {
        Ok(b) => b,
        Err(e) => return failure(&v, &e),
    };
    let body = serde_json::json!({"from": v.source, "what": "checklist.xlsx"});
    let _ = mamori_app::access::audit(
        &state.store,
        state.clock.now(),
        &v.user.name,
        "export",
        &body,
    )
    .await;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"checklist.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Records an answer (staff): the evidence file goes to `evidence/<年度>/`, the answer into
/// `checklist.toml`, the before/after into the audit log.
pub async fn answer(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    mp: Multipart,
) -> Response {
    let f = match crate::upload::read_posted(mp, "evidence").await {
        Ok(f) => f,
        Err(e) => {
            return crate::upload::refused(&v, &e);
        }
    };
    if !may_answer(&v, f.field("list"), f.field("vendor")) {
        return forbidden(&v);
    }
    let list = match f.field("list") {
        "institution" => "answer",
        "bcp" => "bcp",
        "vendor" if !f.field("vendor").is_empty() => "vendor",
        _ => {
            return message(
                &v,
                StatusCode::BAD_REQUEST,
                "このチェックリストはここでは回答できません。",
                "This checklist cannot be answered here.",
            );
        }
    };
    let (Ok(fy), true) = (
        f.field("fiscal_year").parse::<i16>(),
        matches!(f.field("answer"), "はい" | "いいえ"),
    ) else {
        return message(
            &v,
            StatusCode::BAD_REQUEST,
            "回答は「はい」か「いいえ」を選んでください。",
            "Choose はい (yes) or いいえ (no).",
        );
    };
    let evidence = match &f.file {
        None => None,
        Some(file) => {
            let dir = std::path::Path::new("evidence").join(fy.to_string());
            match upload::keep(&v, state.folder.root(), &dir, file, Accept::Evidence) {
                Ok(p) => Some(p),
                Err(answer) => return answer,
            }
        }
    };
    let input = AnswerInput {
        list,
        vendor: (list == "vendor").then(|| f.field("vendor").to_owned()),
        fiscal_year: fy,
        item: f.field("item").trim().to_owned(),
        answer: f.field("answer").to_owned(),
        checked_on: state.clock.today(),
        checked_by: if f.field("checked_by").trim().is_empty() {
            v.user.name.clone()
        } else {
            f.field("checked_by").trim().to_owned()
        },
        notes: f.field("notes").trim().to_owned(),
        evidence: evidence.clone(),
    };
    let before = match mamori_app::records::record_answer(&state.folder, &input) {
        Ok(b) => b,
        Err(e) => return failure(&v, &e),
    };
    let body = serde_json::json!({"from": v.source, "list": list, "vendor": input.vendor, "fiscal_year": fy, "item": input.item, "before": before, "after": input.answer, "evidence": evidence});
    let _ = mamori_app::access::audit(
        &state.store,
        state.clock.now(),
        &v.user.name,
        "checklist-answer",
        &body,
    )
    .await;
    let _ = state.reload();
    see_other(&format!("/checklist#{}", input.item))
}
