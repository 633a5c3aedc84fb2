//! `mamori assess SITE_DIR`: read the site folder, run every check, record the run, report.

use jiff::Timestamp;
use jiff::civil::Date;
use std::path::Path;

use mamori_checks::link::link_to_site;
use mamori_checks::{CheckContext, run_all, sort_findings};
use mamori_hunt::{HuntConfig, TimeContext};
use mamori_ingest::{SiteLoad, load_site};
use mamori_model::Finding;
use mamori_model::input::{InputError, InputSummary, SkippedInput};
use mamori_model::site::fiscal_year;
use mamori_model::{Lang, tr};
use mamori_report::{Report, ReportedFinding, RunInfo, SiteInfo};
use mamori_store::{NewRun, Store, default_db_path};

use crate::Outcome;
use crate::cli::{AssessArgs, Format, GlobalArgs};
use crate::output;

pub fn run(global: &GlobalArgs, args: &AssessArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let started_at = Timestamp::now();
    let as_of = args.as_of.unwrap_or_else(today_in_tokyo);

    let Some(mut load) = load_site_or_report(&args.site_dir, as_of, lang) else {
        return Ok(Outcome::InputErrors);
    };
    let db = global.db.clone().unwrap_or_else(default_db_path);
    // A database that cannot be read leaves the vulnerability matches unknown: an input
    // error (the run is not recorded), not a missing report.
    let vuln = match crate::vuln::load_for_site(&args.site_dir, &load.site, Some(&db)) {
        Ok(v) => v,
        Err(e) => {
            load.errors.push(InputError {
                file: db.display().to_string(),
                line: None,
                column: None,
                value: None,
                message: mamori_model::Localized::new(
                    format!("データベースの脆弱性情報を読めません: {e:#}"),
                    format!("cannot read the vulnerability data in the database: {e:#}"),
                ),
            });
            None
        }
    };
    if let Some(v) = &vuln {
        note_vuln(v, &args.site_dir, &mut load, lang);
    }
    let ctx = CheckContext::new(&load.site, as_of);
    let ctx = match &vuln {
        Some(v) => ctx.with_vuln(&v.loaded),
        None => ctx,
    };
    let mut findings = run_all(&ctx);
    drop(ctx);
    let checklist =
        crate::checklist::institution_section(&load.site, &findings, fiscal_year(as_of));
    hunt_site_logs(&args.site_dir, &mut load, &mut findings, as_of);
    let site = &load.site;

    // A run with input errors is incomplete: recording it would mark the findings of the
    // rejected rows as resolved. Report it, but keep the store as it was.
    let mut not_recorded = false;
    let record = if args.no_store {
        None
    } else if !load.errors.is_empty() {
        output::note(tr(
            lang,
            "入力エラーがあるため、今回の結果はデータベースに記録しません。",
            "Input errors: this run is not recorded in the database.",
        ));
        None
    } else {
        let inputs = serde_json::json!({ "inputs": load.inputs, "skipped": load.skipped });
        let record = crate::runtime()?.block_on(async {
            let store = Store::open(&db).await?;
            let record = store
                .record_run(&NewRun {
                    site_key: &site.config.id,
                    site_name: &site.config.name,
                    kind: "assess",
                    started_at,
                    as_of,
                    tool_version: env!("CARGO_PKG_VERSION"),
                    inputs: &inputs,
                    findings: &findings,
                })
                .await?;
            store.close().await;
            Ok::<_, mamori_store::StoreError>(record)
        });
        match record {
            Ok(record) => Some(record),
            // The report matters more than the history: print it, and say why it was not kept.
            Err(e) => {
                output::error(&match lang {
                    Lang::Ja => format!(
                        "データベース {} に今回の結果を記録できませんでした（報告は下に出します。新規・解消の区別はありません）: {e}",
                        db.display()
                    ),
                    Lang::En => format!(
                        "could not record this run in the database {} (the report follows, without new/resolved): {e}",
                        db.display()
                    ),
                });
                not_recorded = true;
                None
            }
        }
    };

    let fail = args
        .fail_on
        .is_some_and(|threshold| findings.iter().any(|f| f.severity >= threshold));
    let report = Report {
        site: SiteInfo {
            id: site.config.id.clone(),
            name: site.config.name.clone(),
            kind: site.config.kind,
        },
        as_of,
        generated_at: started_at,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        run: record.as_ref().map(|r| RunInfo {
            id: r.run_id,
            previous_run_id: r.previous_run_id,
            previous_run_at: r.previous_started_at,
        }),
        findings: findings
            .into_iter()
            .map(|finding| ReportedFinding {
                new: record
                    .as_ref()
                    .is_none_or(|r| r.new_ids.contains(&finding.id)),
                first_seen: record
                    .as_ref()
                    .and_then(|r| r.first_seen.get(&finding.id).copied()),
                finding,
            })
            .collect(),
        resolved: record.map(|r| r.resolved).unwrap_or_default(),
        inputs: load.inputs,
        skipped: load.skipped,
        errors: load.errors,
        checklist,
    };

    let text = match args.format {
        Format::Terminal => mamori_report::render_terminal(&report, lang),
        Format::Json => mamori_report::render_json(&report),
        Format::Md => mamori_report::render_markdown(&report, lang),
        Format::Html => mamori_report::render_html(&report, lang),
    };
    match &args.out {
        Some(path) => {
            output::write_file(path, &text)?;
            output::note(&match lang {
                Lang::Ja => format!("レポートを {} に書き出しました。", path.display()),
                Lang::En => format!("Report written to {}.", path.display()),
            });
        }
        None => output::stdout(&text)?,
    }
    if !report.errors.is_empty() && (args.out.is_some() || args.format != Format::Terminal) {
        // The terminal report lists them already; elsewhere say so on stderr too.
        for e in &report.errors {
            output::error(&e.describe(lang));
        }
    }

    Ok(if !report.errors.is_empty() || not_recorded {
        Outcome::InputErrors
    } else if fail {
        Outcome::FindingsAtThreshold
    } else {
        Outcome::Ok
    })
}

/// Reads the site folder (dates of past events may not lie after today or `as_of`, whichever
/// is later); when it cannot be used at all, prints why and gives `None`.
pub fn load_site_or_report(dir: &Path, as_of: Date, lang: Lang) -> Option<SiteLoad> {
    match load_site(dir, as_of.max(today_in_tokyo())) {
        Ok(load) => Some(load),
        Err(errors) => {
            for e in &errors {
                output::error(&e.describe(lang));
            }
            None
        }
    }
}

/// Runs the log-hunting engine over `SITE_DIR/logs/`, ties its findings to the site's
/// accounts and devices, and lists each log file among the inputs.
fn hunt_site_logs(site_dir: &Path, load: &mut SiteLoad, findings: &mut Vec<Finding>, as_of: Date) {
    let logs = site_dir.join("logs");
    if !logs.is_dir() {
        return;
    }
    let tc = TimeContext {
        zone: jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled"),
        reference: as_of,
    };
    let config = HuntConfig::for_site(load.site.config.clone());
    let opts = mamori_hunt::ReadOptions {
        within: Some(site_dir.to_owned()),
        ..mamori_hunt::ReadOptions::new(tc)
    };
    let (input, mut log_findings) = mamori_hunt::hunt(&[logs], &opts, &config);
    let relative = |file: &str| {
        Path::new(file)
            .strip_prefix(site_dir)
            .map_or_else(|_| file.to_owned(), |p| p.display().to_string())
    };
    for source in log_findings
        .iter_mut()
        .flat_map(|f| f.evidence.sources.iter_mut())
    {
        source.file = relative(&source.file);
    }
    link_to_site(&mut log_findings, &load.site);
    findings.extend(log_findings);
    sort_findings(findings);
    for file in input.files {
        let name = relative(&file.file);
        // A log read only in part is an input error: the run is then not recorded, so what
        // the lost part held is never reported as resolved, now or by the next run.
        if file.is_incomplete() {
            for message in file.error.iter().chain(&file.damaged) {
                load.errors.push(InputError {
                    file: name.clone(),
                    line: None,
                    column: None,
                    value: None,
                    message: message.clone(),
                });
            }
        }
        match file.error {
            Some(_) if file.is_incomplete() => {}
            Some(reason) => load.skipped.push(SkippedInput { file: name, reason }),
            None => load.inputs.push(InputSummary {
                file: name,
                table: "logs",
                encoding: file.format,
                rows_read: file.records as usize,
                rows_rejected: file.skipped.values().sum::<u64>() as usize,
                ignored_columns: Vec::new(),
            }),
        }
    }
}

/// Feed files of the site folder become inputs (or skipped inputs, or input errors), and
/// data taken from the database is said once.
fn note_vuln(v: &crate::vuln::SiteVuln, site_dir: &Path, load: &mut SiteLoad, lang: Lang) {
    for (path, result) in &v.files {
        let file = path
            .strip_prefix(site_dir)
            .unwrap_or(path)
            .display()
            .to_string()
            .replace('\\', "/");
        match result {
            Ok(f) => load.inputs.push(InputSummary {
                file,
                table: "feed",
                encoding: if f.format.contains("XML") {
                    "XML"
                } else if f.format.contains("CSV") {
                    "CSV"
                } else {
                    "JSON"
                },
                rows_read: f.records - f.problems.len(),
                rows_rejected: f.problems.len(),
                ignored_columns: Vec::new(),
            }),
            Err(mamori_vuln::feeds::FeedError::NotAFeed { reason, .. }) => {
                load.skipped.push(SkippedInput {
                    file,
                    reason: mamori_model::Localized::new(
                        format!("脆弱性情報として読めないため読み込んでいません（{reason}）"),
                        format!("not read as vulnerability data ({reason})"),
                    ),
                });
            }
            Err(e) => load.errors.push(mamori_model::input::InputError {
                file,
                line: None,
                column: None,
                value: None,
                message: mamori_model::Localized::new(
                    format!("脆弱性情報のファイルを読めません: {e}"),
                    format!("cannot read the feed file: {e}"),
                ),
            }),
        }
    }
    for (path, reason) in &v.skipped {
        let file = path
            .strip_prefix(site_dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let reason = reason.clone();
        load.skipped.push(SkippedInput { file, reason });
    }
    if let Some([cves, kev, jvn, epss]) = v.from_store {
        output::note(&format!(
            "{}: CVE {cves} / KEV {kev} / JVN {jvn} / EPSS {epss}",
            tr(
                lang,
                "脆弱性情報（データベース）",
                "Vulnerability data (database)"
            )
        ));
    }
}

/// Today in Japan. The time zone database is bundled into the binary, so this holds on a
/// clinic PC without tzdata too.
pub(crate) fn today_in_tokyo() -> Date {
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    Timestamp::now().to_zoned(tz).date()
}
