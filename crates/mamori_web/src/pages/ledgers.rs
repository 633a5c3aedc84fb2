//! `/ledgers/{assets|accounts|vendors|connections}`: the site's tables as last read, each row
//! with the number of findings on it (a link to them). A vendor's user sees its own rows.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use mamori_model::Lang;
use mamori_model::site::Site;
use serde::Deserialize;

use crate::AppState;
use crate::guard::Viewer;
use crate::view::{Chrome, failure, forbidden, message, pick, render};

/// Rows per page.
const PER_PAGE: usize = 200;

/// One row: its key, its cells, its findings.
pub struct LedgerRow {
    key: String,
    cells: Vec<String>,
    findings: i64,
    link: String,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    c: Chrome,
    kind: String,
    columns: Vec<&'static str>,
    rows: Vec<LedgerRow>,
    total: usize,
    page: usize,
    has_next: bool,
    load_errors: Vec<String>,
}

/// `?page=N`.
#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: usize,
}

fn yes_no(v: Option<bool>, lang: Lang) -> String {
    match v {
        Some(true) => pick(lang, "はい", "yes").into(),
        Some(false) => pick(lang, "いいえ", "no").into(),
        None => pick(lang, "未記入", "not recorded").into(),
    }
}

/// Rows of one ledger: `(key, cells)`.
type Rows = Vec<(String, Vec<String>)>;

fn date(d: Option<jiff::civil::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Columns and rows of one ledger, for this viewer, and the subject kind of its findings.
fn table(kind: &str, site: &Site, v: &Viewer) -> Option<(Vec<&'static str>, &'static str, Rows)> {
    let own = |vendor: &str| v.is_staff() || v.user.vendor.as_deref() == Some(vendor);
    Some(match kind {
        "assets" => (
            pick_cols(
                v.lang,
                &[
                    "ID",
                    "名称",
                    "製品",
                    "版",
                    "IP",
                    "インターネット",
                    "保守事業者",
                    "最終更新",
                ],
                &[
                    "ID",
                    "Name",
                    "Product",
                    "Version",
                    "IP",
                    "Internet",
                    "Maintained by",
                    "Last patched",
                ],
            ),
            "asset",
            assets(site, v.lang, &own),
        ),
        "accounts" if v.is_staff() => (
            pick_cols(
                v.lang,
                &[
                    "システム",
                    "ID",
                    "氏名",
                    "有効",
                    "管理者権限",
                    "多要素認証",
                    "最終ログオン",
                    "共用",
                ],
                &[
                    "System",
                    "User",
                    "Name",
                    "Enabled",
                    "Admin",
                    "MFA",
                    "Last logon",
                    "Shared",
                ],
            ),
            "account",
            accounts(site, v.lang),
        ),
        "vendors" => (
            pick_cols(
                v.lang,
                &[
                    "ID",
                    "名称",
                    "業務",
                    "契約",
                    "秘密保持",
                    "確認用チェックリスト",
                ],
                &[
                    "ID",
                    "Name",
                    "Services",
                    "Contract",
                    "NDA",
                    "Checklist returned",
                ],
            ),
            "vendor",
            vendors(site, v.lang, &own),
        ),
        "connections" => (
            pick_cols(
                v.lang,
                &[
                    "ID",
                    "事業者",
                    "機器",
                    "目的",
                    "接続元の制限",
                    "多要素認証",
                    "常時接続",
                ],
                &[
                    "ID",
                    "Vendor",
                    "Device",
                    "Purpose",
                    "Source restricted",
                    "MFA",
                    "Always on",
                ],
            ),
            "connection",
            connections(site, v.lang, &own),
        ),
        _ => return None,
    })
}

fn assets(site: &Site, l: Lang, own: &dyn Fn(&str) -> bool) -> Rows {
    site.assets
        .iter()
        .filter(|a| own(&a.managed_by))
        .map(|a| {
            let cells = vec![
                a.id.clone(),
                a.name.clone(),
                format!("{} {}", a.vendor, a.product),
                a.version.clone(),
                a.ip.clone(),
                yes_no(a.internet_facing, l),
                a.managed_by.clone(),
                date(a.last_patched),
            ];
            (a.id.clone(), cells)
        })
        .collect()
}

fn accounts(site: &Site, l: Lang) -> Rows {
    site.accounts
        .iter()
        .map(|a| {
            let cells = vec![
                a.system.clone(),
                a.username.clone(),
                a.display_name.clone(),
                yes_no(a.enabled, l),
                yes_no(a.privileged, l),
                yes_no(a.mfa, l),
                date(a.last_logon),
                yes_no(a.shared, l),
            ];
            (a.key(), cells)
        })
        .collect()
}

fn vendors(site: &Site, l: Lang, own: &dyn Fn(&str) -> bool) -> Rows {
    site.vendors
        .iter()
        .filter(|x| own(&x.id))
        .map(|x| {
            let cells = vec![
                x.id.clone(),
                x.name.clone(),
                x.services.clone(),
                x.contract.clone(),
                yes_no(x.nda, l),
                date(x.checklist_returned),
            ];
            (x.id.clone(), cells)
        })
        .collect()
}

fn connections(site: &Site, l: Lang, own: &dyn Fn(&str) -> bool) -> Rows {
    site.connections
        .iter()
        .filter(|c| own(&c.vendor))
        .map(|c| {
            let cells = vec![
                c.id.clone(),
                c.vendor.clone(),
                c.asset.clone(),
                c.purpose.clone(),
                yes_no(c.source_restricted, l),
                yes_no(c.mfa, l),
                yes_no(c.always_on, l),
            ];
            (c.id.clone(), cells)
        })
        .collect()
}

fn pick_cols(
    lang: mamori_model::Lang,
    ja: &[&'static str],
    en: &[&'static str],
) -> Vec<&'static str> {
    match lang {
        mamori_model::Lang::Ja => ja.to_vec(),
        mamori_model::Lang::En => en.to_vec(),
    }
}

/// One ledger.
pub async fn page(
    State(state): State<Arc<AppState>>,
    Extension(v): Extension<Viewer>,
    Path(kind): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    if kind == "accounts" && !v.is_staff() {
        return forbidden(&v);
    }
    let site = state.site();
    let Some((columns, subject_kind, all)) = table(&kind, &site.site, &v) else {
        return message(
            &v,
            StatusCode::NOT_FOUND,
            "そのような台帳はありません。",
            "No such ledger.",
        );
    };
    let counts: HashMap<String, i64> = match state.latest_run().await {
        Ok(Some(run)) => match state.store.run_subject_counts(run.id).await {
            Ok(c) => c,
            Err(e) => return failure(&v, &e.into()),
        },
        Ok(None) => HashMap::new(),
        Err(e) => return failure(&v, &e),
    };
    let total = all.len();
    let rows = all
        .into_iter()
        .skip(q.page * PER_PAGE)
        .take(PER_PAGE)
        .map(|(key, cells)| LedgerRow {
            findings: counts.get(&key).copied().unwrap_or(0),
            link: format!(
                "/findings?{}",
                serde_urlencoded::to_string([("kind", subject_kind), ("subject", key.as_str())])
                    .unwrap_or_default()
            ),
            key,
            cells,
        })
        .collect();
    let (ja, en) = match kind.as_str() {
        "assets" => ("機器台帳", "Devices"),
        "accounts" => ("アカウント一覧", "Accounts"),
        "vendors" => ("事業者一覧", "Vendors"),
        _ => ("接続点一覧", "Connection points"),
    };
    let load_errors = if v.is_staff() {
        site.errors.iter().map(|e| e.describe(v.lang)).collect()
    } else {
        Vec::new()
    };
    render(&LedgerPage {
        c: Chrome::new(&v, ja, en, &format!("/ledgers/{kind}")),
        kind,
        columns,
        rows,
        total,
        page: q.page,
        has_next: (q.page + 1) * PER_PAGE < total,
        load_errors,
    })
}
