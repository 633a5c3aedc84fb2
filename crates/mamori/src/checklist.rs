//! `mamori checklist SITE_DIR`: the MHLW checklists with the answers of `checklist.toml` next
//! to what mamori's checks see, as a table, Markdown, HTML, JSON or an XLSX workbook.

use jiff::civil::Date;
use mamori_checks::checklist::{ItemObservation, observe, sample};
use mamori_checks::{CheckContext, run_all};
use mamori_model::answers::{Answer, ItemAnswer};
use mamori_model::catalog::{Checklist, checklist_for};
use mamori_model::site::{Site, fiscal_year};
use mamori_model::{Finding, Lang, Localized, tr};
use mamori_report::checklist::{
    ChecklistReport, ChecklistSection, ChecklistSheet, SheetRow, SheetVendor,
    render_checklist_json, render_checklist_markdown, render_checklist_table,
    render_checklist_xlsx,
};

use crate::Outcome;
use crate::cli::{ChecklistArgs, ChecklistFormat, GlobalArgs};
use crate::output;

pub fn run(global: &GlobalArgs, args: &ChecklistArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let today = crate::assess::today_in_tokyo();
    // A past fiscal year is judged as it stood on its last day.
    let as_of = args.as_of.unwrap_or_else(|| match args.fiscal_year {
        Some(fy) if fy < fiscal_year(today) => jiff::civil::date(fy + 1, 3, 31),
        _ => today,
    });
    let fy = args.fiscal_year.unwrap_or_else(|| fiscal_year(as_of));
    let Some(site) = crate::assess::load_site_or_report(&args.site_dir, as_of, lang) else {
        return Ok(Outcome::InputErrors);
    };
    let db = global
        .db
        .clone()
        .unwrap_or_else(mamori_store::default_db_path);
    let vuln = crate::vuln::load_for_site(&args.site_dir, &site.site, Some(&db))?;
    let ctx = CheckContext::new(&site.site, as_of);
    let ctx = match &vuln {
        Some(v) => ctx.with_vuln(&v.loaded),
        None => ctx,
    };
    let findings = run_all(&ctx);
    let report = build(&site.site, &findings, fy, as_of);
    for e in &site.errors {
        output::error(&e.describe(lang));
    }
    match args.format {
        ChecklistFormat::Xlsx => {
            let Some(out) = &args.out else {
                anyhow::bail!(
                    "{}",
                    tr(
                        lang,
                        "--format xlsx には書き出し先の --out FILE.xlsx が必要です",
                        "--format xlsx needs --out FILE.xlsx"
                    )
                );
            };
            let bytes = render_checklist_xlsx(&report, lang)?;
            output::write_bytes(out, &bytes)?;
            output::note(&match lang {
                Lang::Ja => format!("チェックリストを {} に書き出しました。", out.display()),
                Lang::En => format!("Checklists written to {}.", out.display()),
            });
        }
        format => {
            let text = match format {
                ChecklistFormat::Table => render_checklist_table(&report, lang),
                ChecklistFormat::Md => render_checklist_markdown(&report, lang),
                ChecklistFormat::Json => render_checklist_json(&report),
                ChecklistFormat::Html => {
                    mamori_report::checklist::render_checklist_html(&report, lang)
                }
                ChecklistFormat::Xlsx => unreachable!("handled above"),
            };
            match &args.out {
                Some(path) => output::write_file(path, &text)?,
                None => output::stdout(&text)?,
            }
        }
    }
    Ok(if site.errors.is_empty() {
        Outcome::Ok
    } else {
        Outcome::InputErrors
    })
}

/// The assess report's section: this year's 医療機関確認用 only.
pub fn institution_section(site: &Site, findings: &[Finding], fy: i16) -> Option<ChecklistSection> {
    let list = checklist_for("institution", fy)?;
    let sheet = sheet(
        site,
        findings,
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
/// vendor, from the site's answers and `findings` of the same run.
pub fn build(site: &Site, findings: &[Finding], fy: i16, as_of: Date) -> ChecklistReport {
    let mut sheets = Vec::new();
    if let Some(list) = checklist_for("institution", fy) {
        sheets.push(sheet(
            site,
            findings,
            list,
            &site.checklist.institution,
            fy,
            "医療機関確認用".into(),
            None,
        ));
    }
    if let Some(list) = checklist_for("bcp", fy) {
        sheets.push(sheet(
            site,
            findings,
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
            sheets.push(sheet(
                site,
                &[],
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
    site: &Site,
    findings: &[Finding],
    list: &'static Checklist,
    answers: &[ItemAnswer],
    fy: i16,
    name: String,
    vendor: Option<SheetVendor>,
) -> ChecklistSheet {
    let rows = observe(site, findings, list, answers, fy)
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
                    if ja {
                        format!("{rule} {n}件（{}）", sample(subjects))
                    } else {
                        format!("{rule} ×{n} ({})", sample(subjects))
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
        Localized::new(
            format!(
                "判断に必要な表がありません（{}）",
                o.missing_inputs.join(", ")
            ),
            format!(
                "tables needed to judge are missing ({})",
                o.missing_inputs.join(", ")
            ),
        )
    } else if !item.contradicted_by.is_empty() {
        Localized::new(
            format!("点検で問題なし（{}）", item.contradicted_by.join(", ")),
            format!("no findings ({})", item.contradicted_by.join(", ")),
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
        number: item.display_number(),
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
