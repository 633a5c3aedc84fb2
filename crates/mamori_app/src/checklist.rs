//! `checklist`: the MHLW checklists with the answers of `checklist.toml` next to what mamori's
//! checks see (the 医療機関確認用 list, the BCP 確認表, one 事業者確認用 sheet per vendor).

use std::path::PathBuf;

use jiff::civil::Date;
use mamori_checks::checklist::{ItemObservation, observe, sample};
use mamori_checks::{CheckContext, run_all};
use mamori_model::answers::{Answer, ItemAnswer};
use mamori_model::catalog::{Checklist, checklist_for};
use mamori_model::input::InputError;
use mamori_model::site::{Site, fiscal_year};
use mamori_model::{Finding, Localized};
use mamori_report::checklist::{
    ChecklistReport, ChecklistSection, ChecklistSheet, SheetRow, SheetVendor,
};

use crate::{Clock, SiteFolder};

/// How to build the checklists.
pub struct ChecklistOptions {
    /// The fiscal year (default: that of the evaluation day).
    pub fiscal_year: Option<i16>,
    /// The evaluation day (default: today; a past fiscal year is judged on its last day).
    pub as_of: Option<Date>,
    /// The database, for vulnerability data.
    pub db: PathBuf,
    /// Where "now" comes from.
    pub clock: Clock,
}

/// The checklists, and the input errors met on the way (the report is then incomplete).
pub struct ChecklistOutcome {
    /// Every sheet, with answers and observations.
    pub report: ChecklistReport,
    /// Rows and files that could not be read.
    pub errors: Vec<InputError>,
}

/// Builds the checklists of `folder`. `Err` when the folder or its `site.toml` cannot be used
/// at all.
pub async fn checklist(
    folder: &SiteFolder,
    opts: &ChecklistOptions,
) -> Result<ChecklistOutcome, Vec<InputError>> {
    let today = opts.clock.today();
    // A past fiscal year is judged as it stood on its last day.
    let as_of = opts.as_of.unwrap_or_else(|| match opts.fiscal_year {
        Some(fy) if fy < fiscal_year(today) => jiff::civil::date(fy + 1, 3, 31),
        _ => today,
    });
    let fy = opts.fiscal_year.unwrap_or_else(|| fiscal_year(as_of));
    let mut load = folder.load(as_of, &opts.clock)?;
    let vuln = match crate::vuln::load_for_site(folder, &load.site, Some(&opts.db)).await {
        Ok(v) => v,
        Err(e) => {
            load.errors.push(InputError {
                file: opts.db.display().to_string(),
                line: None,
                column: None,
                value: None,
                message: Localized::new(
                    format!("データベースの脆弱性情報を読めません: {e:#}"),
                    format!("cannot read the vulnerability data in the database: {e:#}"),
                ),
            });
            None
        }
    };
    let ctx = CheckContext::new(&load.site, as_of);
    let ctx = match &vuln {
        Some(v) => ctx.with_vuln(&v.loaded),
        None => ctx,
    };
    let findings = run_all(&ctx);
    let basis = Basis {
        site: &load.site,
        findings: &findings,
        vuln_loaded: vuln.is_some(),
    };
    let report = build(basis, fy, as_of);
    Ok(ChecklistOutcome {
        report,
        errors: load.errors,
    })
}

/// What the sheets are judged against: the site, the findings of the same run, and whether the
/// run had vulnerability data (without it, the vulnerability rules' silence proves nothing).
#[derive(Clone, Copy)]
pub struct Basis<'a> {
    /// The site as read.
    pub site: &'a Site,
    /// The run's findings.
    pub findings: &'a [Finding],
    /// Whether vulnerability data (feeds or the database) was loaded.
    pub vuln_loaded: bool,
}

/// The assess report's section: this year's 医療機関確認用 only.
pub fn institution_section(basis: Basis, fy: i16) -> Option<ChecklistSection> {
    let site = basis.site;
    let list = checklist_for("institution", fy)?;
    let sheet = sheet(
        basis,
        list,
        &site.checklist.institution,
        fy,
        String::new(),
        None,
    );
    Some(ChecklistSection {
        title: sheet.title,
        fiscal_year: fy,
        rows: sheet.rows,
    })
}

/// The report for fiscal year `fy`: the institution list, the BCP 確認表 and one sheet per
/// vendor, from the site's answers and the findings of the same run.
pub fn build(basis: Basis, fy: i16, as_of: Date) -> ChecklistReport {
    let (site, findings) = (basis.site, basis.findings);
    let mut sheets = Vec::new();
    if let Some(list) = checklist_for("institution", fy) {
        sheets.push(sheet(
            basis,
            list,
            &site.checklist.institution,
            fy,
            "医療機関確認用".into(),
            None,
        ));
    }
    if let Some(list) = checklist_for("bcp", fy) {
        sheets.push(sheet(
            basis,
            list,
            &site.checklist.bcp,
            fy,
            "BCP確認表".into(),
            None,
        ));
    }
    if let Some(list) = checklist_for("vendor", fy) {
        for v in &site.vendors {
            let record = site.checklist.vendor(&v.id, fy);
            let answers: &[ItemAnswer] = record.map_or(&[], |r| &r.answers);
            let returned = record
                .and_then(|r| r.returned_on)
                .or(v.checklist_returned.filter(|d| fiscal_year(*d) == fy));
            let info = SheetVendor {
                id: v.id.clone(),
                name: v.name.clone(),
                sent_on: record.and_then(|r| r.sent_on),
                returned_on: returned,
                file: record.and_then(|r| r.file.clone()),
            };
            // A vendor's sheet is the vendor's own statement: no finding judges it.
            let vendor_basis = Basis {
                findings: &[],
                ..basis
            };
            sheets.push(sheet(
                vendor_basis,
                list,
                answers,
                fy,
                format!("事業者確認用 {}", v.id),
                Some(info),
            ));
        }
    }
    ChecklistReport {
        site_name: site.config.name.clone(),
        fiscal_year: fy,
        as_of,
        sheets,
        findings: findings
            .iter()
            .filter(|f| {
                f.rule_id.starts_with("checklist.") || f.rule_id == "vendor.checklist-missing"
            })
            .cloned()
            .collect(),
    }
}

fn sheet(
    basis: Basis,
    list: &'static Checklist,
    answers: &[ItemAnswer],
    fy: i16,
    name: String,
    vendor: Option<SheetVendor>,
) -> ChecklistSheet {
    let rows = observe(
        basis.site,
        basis.findings,
        list,
        answers,
        fy,
        basis.vuln_loaded,
    )
    .into_iter()
    .map(|o| row(&o, vendor.is_some()))
    .collect();
    ChecklistSheet {
        list: list.list.clone(),
        name,
        title: list.title.clone(),
        vendor,
        rows,
    }
}

fn row(o: &ItemObservation, vendor: bool) -> SheetRow {
    let item = o.item;
    let targets: Vec<(&str, &str)> = item
        .targets
        .iter()
        .map(|t| match t.as_str() {
            "server" => ("サーバ", "servers"),
            "pc" => ("端末PC", "PCs"),
            "network" => ("ネットワーク機器", "network devices"),
            _ => ("医療情報システム全般", "all systems"),
        })
        .collect();
    let targets = if targets.is_empty() {
        Localized::new("全般", "general")
    } else {
        Localized::new(
            targets.iter().map(|t| t.0).collect::<Vec<_>>().join("・"),
            targets.iter().map(|t| t.1).collect::<Vec<_>>().join(", "),
        )
    };
    let count: usize = o.firing.values().map(Vec::len).sum();
    let observation = if vendor {
        Localized::new(
            "事業者の申告（mamori では確認できません）",
            "the vendor's statement (mamori cannot see the vendor's systems)",
        )
    } else if !o.firing.is_empty() {
        let rules = |ja: bool| -> String {
            o.firing
                .iter()
                .map(|(rule, subjects)| {
                    let n = subjects.len();
                    // People read the rule's title; its id stays in the JSON's fields.
                    let title = crate::rules::rule(rule).map(|r| r.title);
                    if ja {
                        let title = title.map_or(rule.to_string(), |t| t.ja.to_owned());
                        format!("「{title}」{n}件（{}）", sample(subjects))
                    } else {
                        let title = title.map_or(rule.to_string(), |t| t.en.to_owned());
                        format!("{title} ×{n} ({})", sample(subjects))
                    }
                })
                .collect::<Vec<_>>()
                .join(" / ")
        };
        Localized::new(
            format!("点検で {count} 件の指摘: {}", rules(true)),
            format!("{count} findings: {}", rules(false)),
        )
    } else if !o.missing_inputs.is_empty() {
        let (ja, en): (Vec<&str>, Vec<&str>) =
            o.missing_inputs.iter().map(|i| input_label(i)).unzip();
        Localized::new(
            format!(
                "未確認: 判断に必要なデータがありません（{}）",
                ja.join("・")
            ),
            format!(
                "not checked: the data needed to judge is missing ({})",
                en.join(", ")
            ),
        )
    } else if !item.contradicted_by.is_empty() {
        let titles = |ja: bool| -> String {
            item.contradicted_by
                .iter()
                .map(|id| match crate::rules::rule(id) {
                    Some(r) if ja => format!("「{}」", r.title.ja),
                    Some(r) => r.title.en.to_owned(),
                    None => id.clone(),
                })
                .collect::<Vec<_>>()
                .join(if ja { "" } else { "; " })
        };
        Localized::new(
            format!("点検で問題なし（{}）", titles(true)),
            format!("no findings ({})", titles(false)),
        )
    } else {
        Localized::new(
            "mamori では確認できません（記録で回答）",
            "mamori cannot check this: answer from records",
        )
    };
    let answer = o.answer;
    SheetRow {
        key: item.key.clone(),
        number: item.number.clone(),
        number_verified: item.number_verified,
        category: item.category.clone(),
        targets,
        item: item.summary(),
        answer: answer.and_then(|a| a.answer).map(Answer::label),
        checked_on: answer.and_then(|a| a.checked_on),
        checked_by: answer.map(|a| a.checked_by.clone()).unwrap_or_default(),
        target_date: answer.and_then(|a| a.target_date),
        notes: answer.map(|a| a.notes.clone()).unwrap_or_default(),
        evidence_files: answer.map(|a| a.evidence.clone()).unwrap_or_default(),
        observation,
        suggestion: o.suggestion.map(|s| {
            let l = s.label();
            Localized::new(format!("{}（提案）", l.ja), format!("{} (suggested)", l.en))
        }),
        contradicted: !vendor
            && answer.is_some_and(|a| a.answer == Some(Answer::Yes))
            && !o.firing.is_empty(),
    }
}

/// What a missing input is called, in Japanese and English.
fn input_label(input: &str) -> (&'static str, &'static str) {
    match input {
        "assets" => ("機器台帳", "the asset ledger"),
        "vendors" => ("事業者一覧", "the vendor list"),
        "connections" => ("外部接続の一覧", "the list of external connections"),
        "accounts" => ("アカウント台帳", "the account ledger"),
        "staff" => ("職員名簿", "the staff list"),
        "contacts" => ("緊急連絡先", "the emergency contacts"),
        "backups" => ("バックアップ台帳", "the backup ledger"),
        "bcp" => ("BCP一覧", "the continuity plans"),
        "configs" => (
            "ファイアウォール・VPN 機器の設定ファイル（configs/）",
            "firewall/VPN configuration backups (configs/)",
        ),
        "feeds" => (
            "脆弱性情報（feeds/ または vuln update）",
            "vulnerability data (feeds/ or vuln update)",
        ),
        _ => ("その他のデータ", "other data"),
    }
}
