//! `/`: まず今週やること, counts by severity, new and resolved since the last run, and the
//! trend of open findings per run (inline SVG, no script).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use mamori_model::Severity;
use mamori_store::FindingFilter;

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, render};

/// One severity's count, with its label and the link to its findings.
pub struct Count {
    label: &'static str,
    class: &'static str,
    severity: &'static str,
    n: i64,
}

/// One action of まず今週やること.
pub struct ActionView {
    title: String,
    who: String,
    link: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    run: Option<String>,
    counts: Vec<Count>,
    new: i64,
    resolved: i64,
    actions: Vec<ActionView>,
    chart: Option<Chart>,
    load_errors: usize,
    incident: Option<String>,
}

/// The trend chart: a polyline in a 600×140 box, with the first and last values labelled.
pub struct Chart {
    points: String,
    first: String,
    last: String,
    max: i64,
}

fn chart(trend: &[(String, i64)]) -> Option<Chart> {
    if trend.len() < 2 {
        return None;
    }
    let max = trend.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let step = 560.0 / (trend.len() - 1) as f64;
    let points = trend
        .iter()
        .enumerate()
        .map(|(i, (_, n))| {
            let x = 20.0 + step * i as f64;
            let y = 120.0 - 100.0 * (*n as f64) / (max as f64);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let label = |(d, n): &(String, i64)| format!("{d}: {n}");
    Some(Chart {
        points,
        first: label(&trend[0]),
        last: label(&trend[trend.len() - 1]),
        max,
    })
}

fn counts(v: &Viewer, counts: &[(Severity, i64)]) -> Vec<Count> {
    counts
        .iter()
        .map(|(s, n)| Count {
            label: s.label(v.lang),
            class: s.as_str(),
            severity: s.as_str(),
            n: *n,
        })
        .collect()
}

/// The dashboard; a vendor's user sees the counts of its own findings only.
pub async fn page(State(state): State<Arc<AppState>>, Extension(v): Extension<Viewer>) -> Response {
    let c = Chrome::new(&v, "ダッシュボード", "Dashboard", "/");
    let load_errors = state.site().errors.len();
    if let Some(vendor) = v.user.vendor.clone().filter(|_| !v.is_staff()) {
        return match vendor_counts(&state, &vendor).await {
            Ok((run, cs)) => render(&DashboardPage {
                c,
                run,
                counts: counts(&v, &cs),
                new: 0,
                resolved: 0,
                actions: Vec::new(),
                chart: None,
                load_errors: 0,
                incident: None,
            }),
            Err(e) => failure(&v, &e),
        };
    }
    let incident = match state.store.open_incident(&state.site_key()).await {
        Ok(open) => open.map(|i| format!("{}（{}〜）", i.summary, i.started_at)),
        Err(e) => return failure(&v, &e.into()),
    };
    let d = match state.dashboard().await {
        Ok(d) => d,
        Err(e) => return failure(&v, &e),
    };
    let Some(d) = d else {
        return render(&DashboardPage {
            c,
            run: None,
            counts: Vec::new(),
            new: 0,
            resolved: 0,
            actions: Vec::new(),
            chart: None,
            load_errors,
            incident,
        });
    };
    let actions = d
        .this_week
        .iter()
        .map(|a| ActionView {
            title: a.title.get(v.lang).to_owned(),
            who: mamori_report::this_week::who_and_effort(a, v.lang),
            link: a
                .finding_ids
                .first()
                .map_or_else(|| "/findings".to_owned(), |id| format!("/findings/{id}")),
        })
        .collect();
    render(&DashboardPage {
        run: Some(format!("{} ({})", d.run.as_of, d.run.started_at)),
        counts: counts(&v, &d.counts),
        new: d.new,
        resolved: d.resolved,
        actions,
        chart: chart(&d.trend),
        load_errors,
        incident,
        c,
    })
}

async fn vendor_counts(
    state: &AppState,
    vendor: &str,
) -> anyhow::Result<(Option<String>, Vec<(Severity, i64)>)> {
    let Some(run) = state.latest_run().await? else {
        return Ok((None, Vec::new()));
    };
    let scope = state.site().vendor_scope(vendor);
    let mut out = Vec::new();
    for s in Severity::ALL_DESCENDING {
        let filter = FindingFilter {
            severity: Some(s),
            scope: Some(scope.clone()),
            ..FindingFilter::default()
        };
        out.push((s, state.count(run.id, &filter).await?));
    }
    Ok((Some(run.as_of.to_string()), out))
}
