//! `/holiday`: the year-end programme (before, during, after the closure) with each step's
//! state; staff record a step done from the page, into `holiday.toml`.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use mamori_app::holiday::{HolidayError, HolidayOptions};
use mamori_app::records::StepInput;
use mamori_model::programme::StepState;
use serde::Deserialize;

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, forbidden, message, pick, render, see_other};

/// One step as shown.
pub struct StepView {
    key: &'static str,
    due: String,
    state: &'static str,
    class: &'static str,
    summary: String,
    detail: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "holiday.html")]
struct HolidayPage {
    c: Chrome,
    year: i16,
    period: String,
    steps: Vec<StepView>,
    may_record: bool,
}

fn state_label(s: StepState, lang: mamori_model::Lang) -> (&'static str, &'static str) {
    let (ja, en, class) = match s {
        StepState::Done => ("記録あり", "recorded", "ok"),
        StepState::Ok => ("確認済み", "confirmed", "ok"),
        StepState::Problem => ("要対応", "needs action", "critical"),
        StepState::Todo => ("未記録", "not recorded", "medium"),
        StepState::NotYet => ("まだ先", "not yet due", "info"),
    };
    (pick(lang, ja, en), class)
}

/// The programme.
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    let opts = HolidayOptions {
        year: None,
        as_of: None,
        clock: state.clock,
    };
    let outcome = match mamori_app::holiday::holiday(&state.folder, &opts) {
        Ok(o) => o,
        Err(HolidayError::Site(errors)) => {
            let text = errors
                .iter()
                .map(|e| e.describe(v.lang))
                .collect::<Vec<_>>()
                .join("\n");
            return failure(&v, &anyhow::anyhow!(text));
        }
        Err(HolidayError::NoClosure(year)) => {
            return message(
                &v,
                StatusCode::BAD_REQUEST,
                &format!("site.toml の {year} 年の年末年始の期間が正しくありません。"),
                &format!("site.toml: the year-end closure of {year} is not a valid date range."),
            );
        }
    };
    let p = &outcome.report.programme;
    let steps = p
        .steps
        .iter()
        .map(|s| {
            let (state, class) = state_label(s.state, v.lang);
            StepView {
                key: s.key,
                due: s.due.to_string(),
                state,
                class,
                summary: s.summary.get(v.lang).to_owned(),
                detail: s.detail.get(v.lang).to_owned(),
                open: matches!(s.state, StepState::Todo | StepState::Problem),
            }
        })
        .collect();
    render(&HolidayPage {
        c: Chrome::new(&v, "年末年始の対策", "Year-end programme", "/holiday"),
        year: p.year,
        period: format!("{} – {}", p.start, p.end),
        steps,
        may_record: v.is_staff(),
    })
}

/// The form recording a step.
#[derive(Deserialize)]
pub struct StepForm {
    year: i16,
    step: String,
    #[serde(default)]
    notes: String,
}

/// Records a step done (staff), with the audit log.
pub async fn record(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Form(f): Form<StepForm>,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    if !mamori_model::answers::HOLIDAY_STEPS
        .iter()
        .any(|s| s.key == f.step)
    {
        return message(
            &v,
            StatusCode::BAD_REQUEST,
            "その手順はありません。",
            "No such step.",
        );
    }
    let input = StepInput {
        year: f.year,
        step: f.step.clone(),
        done_on: state.clock.today(),
        by: v.user.name.clone(),
        notes: f.notes.trim().to_owned(),
    };
    if let Err(e) = mamori_app::records::record_step(&state.folder, &input) {
        return failure(&v, &e);
    }
    let body =
        serde_json::json!({"from": v.source, "year": f.year, "step": f.step, "after": "done"});
    let _ = mamori_app::access::audit(
        &state.store,
        state.clock.now(),
        &v.user.name,
        "holiday-step",
        &body,
    )
    .await;
    let _ = state.reload();
    see_other("/holiday")
}
