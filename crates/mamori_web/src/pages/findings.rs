//! `/findings` and `/findings/{id}`: the latest run's findings, filtered; one finding with its
//! evidence, remediation, history and the status people gave it.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use mamori_model::access::{Decision, DecisionStatus};
use mamori_model::{Finding, Severity};
use mamori_store::{FindingFilter, Page};
use serde::Deserialize;

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, forbidden, message, render, see_other};

/// Rows per page of the list.
const PER_PAGE: u32 = 100;

/// The list's filters, as query parameters.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    severity: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    page: u32,
}

impl ListQuery {
    /// The store filter; a vendor's user is held to its own subjects.
    pub fn filter(&self, state: &AppState, v: &Viewer) -> FindingFilter {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        // `backup.` (ending in a dot): every rule of that group.
        let (rule_id, rule_prefix) = match some(&self.rule) {
            Some(r) if r.ends_with('.') => (None, Some(r)),
            other => (other, None),
        };
        FindingFilter {
            severity: Severity::parse(&self.severity),
            rule_id,
            rule_prefix,
            measure: some(&self.measure),
            subject_kind: some(&self.kind),
            subject_key: some(&self.subject),
            scope: scope(state, v),
            ..FindingFilter::default()
        }
    }

    /// The page asked for (0-based).
    pub fn page(&self) -> u32 {
        self.page
    }

    fn link(&self, page: u32) -> String {
        let pairs = [
            ("severity", self.severity.as_str()),
            ("rule", &self.rule),
            ("measure", &self.measure),
            ("kind", &self.kind),
            ("subject", &self.subject),
        ];
        let mut q: Vec<(&str, String)> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        q.push(("page", page.to_string()));
        format!(
            "/findings?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    }
}

/// What a vendor's user may see (`None`: everything).
pub fn scope(state: &AppState, v: &Viewer) -> Option<Vec<(String, String)>> {
    if v.is_staff() {
        return None;
    }
    Some(match &v.user.vendor {
        Some(vendor) => state.site().vendor_scope(vendor),
        None => Vec::new(),
    })
}

/// One row of the list.
pub struct Row {
    id: String,
    severity: &'static str,
    class: &'static str,
    title: String,
    subject: String,
    message: String,
    status: String,
}

#[derive(Template)]
#[template(path = "findings.html")]
struct ListPage {
    c: Chrome,
    q: ListQuery,
    rows: Vec<Row>,
    total: i64,
    from: u64,
    prev: Option<String>,
    next: Option<String>,
    no_run: bool,
    severities: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
}

fn row(f: &Finding, v: &Viewer, decisions: &HashMap<String, Decision>) -> Row {
    Row {
        id: f.id.clone(),
        severity: f.severity.label(v.lang),
        class: f.severity.as_str(),
        title: f.title.get(v.lang).to_owned(),
        subject: f.subject.name.clone(),
        message: f.message.get(v.lang).to_owned(),
        status: decisions
            .get(&f.id)
            .map(|d| d.status.label().get(v.lang).to_owned())
            .unwrap_or_default(),
    }
}

/// The list.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Query(q): Query<ListQuery>,
) -> Response {
    match list_page(&state, &v, q).await {
        Ok(page) => render(&page),
        Err(e) => failure(&v, &e),
    }
}

async fn list_page(state: &AppState, v: &Viewer, q: ListQuery) -> anyhow::Result<ListPage> {
    let c = Chrome::new(v, "指摘", "Findings", "/findings");
    let severities = Severity::ALL_DESCENDING
        .iter()
        .map(|s| (s.as_str(), s.label(v.lang)))
        .collect();
    let kinds = [
        ("asset", "機器", "Devices"),
        ("account", "アカウント", "Accounts"),
        ("vendor", "事業者", "Vendors"),
        ("connection", "接続点", "Connections"),
        ("site", "施設", "Site"),
    ]
    .iter()
    .map(|(k, ja, en)| (*k, crate::view::pick(v.lang, ja, en)))
    .collect();
    let Some(run) = state.latest_run().await? else {
        return Ok(ListPage {
            c,
            q,
            rows: Vec::new(),
            total: 0,
            from: 0,
            prev: None,
            next: None,
            no_run: true,
            severities,
            kinds,
        });
    };
    let filter = q.filter(state, v);
    let total = state.count(run.id, &filter).await?;
    let page = Page {
        offset: q.page.saturating_mul(PER_PAGE),
        limit: PER_PAGE,
    };
    let findings = state.store.run_findings(run.id, &filter, page).await?;
    let decisions: HashMap<String, Decision> = state
        .store
        .decisions(&run.site_key)
        .await?
        .into_iter()
        .map(|d| (d.finding_id.clone(), d))
        .collect();
    let rows = findings.iter().map(|f| row(f, v, &decisions)).collect();
    let shown_to = u64::from(page.offset) + u64::from(PER_PAGE);
    Ok(ListPage {
        prev: (q.page > 0).then(|| q.link(q.page - 1)),
        next: (i64::try_from(shown_to).unwrap_or(i64::MAX) < total).then(|| q.link(q.page + 1)),
        from: u64::from(page.offset) + 1,
        c,
        q,
        rows,
        total,
        no_run: false,
        severities,
        kinds,
    })
}

#[derive(Template)]
#[template(path = "finding.html")]
struct DetailPage {
    c: Chrome,
    f: Finding,
    severity: &'static str,
    evidence: String,
    sources: Vec<String>,
    measures: String,
    first_seen: String,
    last_seen: String,
    decision: Option<Decision>,
    decision_label: String,
    history: Vec<(String, String, String)>,
    statuses: Vec<(&'static str, String)>,
    may_edit: bool,
}

/// The latest run's finding with this id, if the viewer may see it.
pub async fn visible_finding(
    state: &AppState,
    v: &Viewer,
    id: &str,
) -> anyhow::Result<Option<(String, Finding)>> {
    let Some(run) = state.latest_run().await? else {
        return Ok(None);
    };
    let filter = FindingFilter {
        finding_id: Some(id.to_owned()),
        scope: scope(state, v),
        ..FindingFilter::default()
    };
    let found = state
        .store
        .run_findings(run.id, &filter, Page::first(1))
        .await?;
    Ok(found.into_iter().next().map(|f| (run.site_key, f)))
}

/// One finding.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Path(id): Path<String>,
) -> Response {
    match detail_page(&state, &v, &id).await {
        Ok(Some(page)) => render(&page),
        Ok(None) => message(
            &v,
            StatusCode::NOT_FOUND,
            "この指摘は最新の点検にありません。",
            "This finding is not in the latest run.",
        ),
        Err(e) => failure(&v, &e),
    }
}

async fn detail_page(state: &AppState, v: &Viewer, id: &str) -> anyhow::Result<Option<DetailPage>> {
    let Some((site_key, f)) = visible_finding(state, v, id).await? else {
        return Ok(None);
    };
    let history = state.store.finding_history(&site_key, id).await?;
    let decision = state.store.decision(&site_key, id).await?;
    let audit: Vec<(String, String, String)> = if v.is_staff() {
        state
            .store
            .audit_log(Some(2000))
            .await?
            .into_iter()
            .filter(|l| {
                l.kind == "finding-status" && l.text.contains(&format!("\"finding\":\"{id}\""))
            })
            .map(|l| (l.at, l.who, l.text))
            .collect()
    } else {
        Vec::new()
    };
    let sources = f
        .evidence
        .sources
        .iter()
        .map(|s| match s.line {
            Some(line) => format!("{}:{line}", s.file),
            None => s.file.clone(),
        })
        .collect();
    Ok(Some(DetailPage {
        c: Chrome::new(v, "指摘", "Finding", &format!("/findings/{id}")),
        severity: f.severity.label(v.lang),
        evidence: serde_json::to_string_pretty(&f.evidence.facts).unwrap_or_default(),
        sources,
        measures: f.measures.join(", "),
        first_seen: history
            .as_ref()
            .map(|h| h.first_seen_at.to_string())
            .unwrap_or_default(),
        last_seen: history
            .as_ref()
            .map(|h| h.last_seen_at.to_string())
            .unwrap_or_default(),
        decision_label: decision
            .as_ref()
            .map(|d| d.status.label().get(v.lang).to_owned())
            .unwrap_or_default(),
        decision,
        history: audit,
        statuses: DecisionStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label().get(v.lang).to_owned()))
            .collect(),
        may_edit: v.is_staff(),
        f,
    }))
}

/// The status form.
#[derive(Deserialize, Default)]
pub struct StatusForm {
    /// A [`DecisionStatus`] id, or empty to clear.
    pub status: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// Who owns it.
    #[serde(default)]
    pub owner: String,
    /// Due date.
    #[serde(default)]
    pub due: String,
}

/// Why a status cannot be set, in both languages.
pub type Invalid = (&'static str, &'static str);

/// Sets or clears a finding's status (staff and admins), with the before/after in the audit log.
pub async fn apply_status(
    state: &AppState,
    v: &Viewer,
    id: &str,
    form: &StatusForm,
) -> anyhow::Result<Result<(), Invalid>> {
    let Some((site_key, _)) = visible_finding(state, v, id).await? else {
        return Ok(Err((
            "この指摘は最新の点検にありません。",
            "This finding is not in the latest run.",
        )));
    };
    let now = state.clock.now();
    let status = if form.status.is_empty() {
        None
    } else {
        match DecisionStatus::parse(&form.status) {
            Some(s) => Some(s),
            None => return Ok(Err(("状態の値が違います。", "Unknown status."))),
        }
    };
    if status.is_some_and(DecisionStatus::needs_reason) && form.reason.trim().is_empty() {
        return Ok(Err((
            "リスク受容・誤検知には理由を書いてください。",
            "Accepting a risk or calling a finding wrong needs a reason.",
        )));
    }
    let due = form.due.trim();
    if !due.is_empty() && jiff::civil::Date::from_str(due).is_err() {
        return Ok(Err((
            "期限は 2026-12-31 の形で書いてください。",
            "Write the due date as 2026-12-31.",
        )));
    }
    let today = state.clock.today().to_string();
    let decision = status.map(|status| Decision {
        finding_id: id.to_owned(),
        status,
        reason: form.reason.trim().to_owned(),
        owner: form.owner.trim().to_owned(),
        due: (!due.is_empty()).then(|| due.to_owned()),
        accepted_on: (status == DecisionStatus::Accepted).then(|| today.clone()),
        updated_by: v.user.name.clone(),
        updated_at: now.to_string(),
    });
    let before = state
        .store
        .set_decision(&site_key, id, decision.as_ref())
        .await?;
    let body =
        serde_json::json!({"from": v.source, "finding": id, "before": before, "after": decision});
    mamori_app::access::audit(&state.store, now, &v.user.name, "finding-status", &body).await?;
    Ok(Ok(()))
}

/// POST of the status form.
pub async fn set_status(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    if !v.is_staff() {
        return forbidden(&v);
    }
    match apply_status(&state, &v, &id, &form).await {
        Ok(Ok(())) => see_other(&format!("/findings/{id}")),
        Ok(Err((ja, en))) => message(&v, StatusCode::BAD_REQUEST, ja, en),
        Err(e) => failure(&v, &e),
    }
}
