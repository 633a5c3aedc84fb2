//! `assess`: read the site folder, match vulnerability data, run every check, hunt the site's
//! logs, record the run, and return the report.

use std::path::PathBuf;

use jiff::civil::Date;
use mamori_checks::link::link_to_site;
use mamori_checks::{CheckContext, run_all, sort_findings};
use mamori_hunt::{HuntConfig, TimeContext};
use mamori_ingest::SiteLoad;
use mamori_model::input::{InputError, InputSummary, SkippedInput};
use mamori_model::site::fiscal_year;
use mamori_model::{Finding, Localized};
use mamori_report::{NotChecked, Report, ReportedFinding, RunInfo, SiteInfo};
use mamori_store::{NewRun, RunRecord, Store};

use crate::vuln::{SiteVuln, load_for_site};
use crate::{Clock, SiteFolder, tokyo};

/// How to assess.
pub struct AssessOptions {
    /// The evaluation day (default: today in Japan).
    pub as_of: Option<Date>,
    /// The database: vulnerability data is read from it, the run recorded in it.
    pub db: PathBuf,
    /// Record the run (`--no-store` turns it off).
    pub record: bool,
    /// Where "now" comes from.
    pub clock: Clock,
}

/// Whether the run went into the database.
#[derive(Debug)]
pub enum Recording {
    /// Not asked to (`--no-store`).
    NotAsked,
    /// Withheld because of input errors: recording would call the findings of the rows and
    /// logs that could not be read resolved.
    Withheld,
    /// Recorded.
    Recorded,
    /// The database could not take it; the report is still whole.
    Failed(String),
}

/// What `assess` returns: the report (findings with new/resolved, inputs, input errors, the
/// checklist section) and what happened around it.
pub struct Assessment {
    /// Everything a report shows.
    pub report: Report,
    /// Whether the run was recorded.
    pub recording: Recording,
    /// Record counts (CVE, KEV, JVN, EPSS) of the vulnerability data taken from the database.
    pub vuln_from_store: Option<[i64; 4]>,
}

impl Assessment {
    /// What to tell the person about the recording, when something is worth saying: `(true, …)`
    /// for an error (the database could not take the run), `(false, …)` for a note.
    pub fn recording_message(&self, db: &std::path::Path) -> Option<(bool, Localized)> {
        match &self.recording {
            Recording::Withheld => Some((
                false,
                Localized::new(
                    "入力エラーがあるため、今回の結果はデータベースに記録しません。",
                    "Input errors: this run is not recorded in the database.",
                ),
            )),
            Recording::Failed(e) => Some((
                true,
                Localized::new(
                    format!(
                        "データベース {} に今回の結果を記録できませんでした（報告は下に出します。新規・解消の区別はありません）: {e}",
                        db.display()
                    ),
                    format!(
                        "could not record this run in the database {} (the report follows, without new/resolved): {e}",
                        db.display()
                    ),
                ),
            )),
            Recording::NotAsked | Recording::Recorded => None,
        }
    }

    /// Some input was left out or the run could not be recorded: the outcome is incomplete.
    pub fn is_incomplete(&self) -> bool {
        !self.report.errors.is_empty() || matches!(self.recording, Recording::Failed(_))
    }
}

/// Runs the whole pipeline on `folder`. `Err` when the folder or its `site.toml` cannot be used
/// at all.
pub async fn assess(
    folder: &SiteFolder,
    opts: &AssessOptions,
) -> Result<Assessment, Vec<InputError>> {
    let started_at = opts.clock.now();
    let as_of = opts.as_of.unwrap_or_else(|| opts.clock.today());
    let mut load = folder.load(as_of, &opts.clock)?;
    read_directory(folder, &mut load);
    // A database that cannot be read leaves the vulnerability matches unknown: an input
    // error (the run is not recorded), not a missing report.
    let vuln = match load_for_site(folder, &load.site, Some(&opts.db)).await {
        Ok(v) => v,
        Err(e) => {
            load.errors.push(input_error(
                opts.db.display().to_string(),
                Localized::new(
                    format!("データベースの脆弱性情報を読めません: {e:#}"),
                    format!("cannot read the vulnerability data in the database: {e:#}"),
                ),
            ));
            None
        }
    };
    if let Some(v) = &vuln {
        note_vuln(v, folder, &mut load);
    }
    scan_backups(folder, &mut load, opts, started_at).await;
    let ctx = CheckContext::new(&load.site, as_of);
    let ctx = match &vuln {
        Some(v) => ctx.with_vuln(&v.loaded),
        None => ctx,
    };
    let mut findings = run_all(&ctx);
    drop(ctx);
    let vuln_loaded = vuln.is_some();
    let basis = crate::checklist::Basis {
        site: &load.site,
        findings: &findings,
        vuln_loaded,
    };
    let checklist = crate::checklist::institution_section(basis, fiscal_year(as_of));
    let intel = match crate::intel::load(&opts.db, Some(folder)).await {
        Ok((intel, unreadable)) => {
            for (file, why) in unreadable {
                load.errors.push(input_error(file, why));
            }
            intel
        }
        Err(e) => {
            load.errors.push(input_error(
                opts.db.display().to_string(),
                Localized::new(
                    format!("データベースのブロックリストを読めません: {e:#}"),
                    format!("cannot read the blocklists in the database: {e:#}"),
                ),
            ));
            mamori_vuln::blocklist::Intel::default()
        }
    };
    hunt_site_logs(folder, &mut load, &mut findings, as_of, intel);

    let (record, recording) = if !opts.record {
        (None, Recording::NotAsked)
    } else if !load.errors.is_empty() {
        (None, Recording::Withheld)
    } else {
        match record_run(&load, &findings, started_at, as_of, opts).await {
            Ok(record) => (Some(record), Recording::Recorded),
            Err(e) => (None, Recording::Failed(format!("{e:#}"))),
        }
    };
    let not_checked = not_checked(&load, vuln_loaded);
    let open_incident = open_incident(&opts.db, &load.site.config.id).await;
    let mut report = report(load, findings, record, checklist, as_of, started_at);
    report.not_checked = not_checked;
    report.open_incident = open_incident;
    report.not_recorded = match &recording {
        Recording::NotAsked => Some(Localized::new(
            "記録なし（--no-store）",
            "not recorded (--no-store)",
        )),
        Recording::Withheld => Some(Localized::new(
            "記録なし（入力エラーがあるため）",
            "not recorded (input errors)",
        )),
        Recording::Failed(_) => Some(Localized::new(
            "記録できませんでした（データベースのエラー）",
            "could not be recorded (database error)",
        )),
        Recording::Recorded => None,
    };
    Ok(Assessment {
        report,
        recording,
        vuln_from_store: vuln.and_then(|v| v.from_store),
    })
}

fn input_error(file: String, message: Localized) -> InputError {
    InputError {
        file,
        line: None,
        column: None,
        value: None,
        message,
    }
}

/// The run and all its findings, in one transaction; new/resolved against the previous run.
async fn record_run(
    load: &SiteLoad,
    findings: &[Finding],
    started_at: jiff::Timestamp,
    as_of: Date,
    opts: &AssessOptions,
) -> anyhow::Result<RunRecord> {
    use anyhow::Context;
    let site = &load.site;
    let inputs = serde_json::json!({ "inputs": load.inputs, "skipped": load.skipped });
    let store = Store::open(&opts.db)
        .await
        .with_context(|| format!("database {}", opts.db.display()))?;
    let record = store
        .record_run(&NewRun {
            site_key: &site.config.id,
            site_name: &site.config.name,
            kind: "assess",
            started_at,
            as_of,
            tool_version: env!("CARGO_PKG_VERSION"),
            inputs: &inputs,
            findings,
            keep_runs: site.config.keep_runs,
        })
        .await
        .with_context(|| format!("database {}", opts.db.display()))?;
    store.close().await;
    Ok(record)
}

fn report(
    load: SiteLoad,
    findings: Vec<Finding>,
    record: Option<RunRecord>,
    checklist: Option<mamori_report::checklist::ChecklistSection>,
    as_of: Date,
    started_at: jiff::Timestamp,
) -> Report {
    let site = &load.site;
    let findings: Vec<ReportedFinding> = findings
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
        .collect();
    let this_week = mamori_report::this_week::plan(&findings, &load.inputs);
    Report {
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
        findings,
        resolved: record.map(|r| r.resolved).unwrap_or_default(),
        inputs: load.inputs,
        skipped: load.skipped,
        errors: load.errors,
        checklist,
        this_week,
        not_checked: Vec::new(),
        open_incident: None,
        show_rule_ids: false,
        not_recorded: None,
    }
}

/// site.toml `[ad]`: the directory read, its users replacing the accounts table's `AD` rows
/// (the directory is the truth), and kept for the `ad.*` checks. A directory that cannot be
/// read is an input error: the run is not recorded, nothing partial is reported.
fn read_directory(folder: &SiteFolder, load: &mut SiteLoad) {
    let Some(settings) = load.site.config.ad.clone() else {
        return;
    };
    match crate::ad::read_apart(&settings, folder) {
        Ok(dir) => {
            load.site.accounts.retain(|a| {
                !matches!(
                    a.system.to_ascii_lowercase().as_str(),
                    "ad" | "active directory"
                )
            });
            let accounts = crate::ad::accounts_of(&dir, &load.site.staff);
            load.site.accounts.extend(accounts);
            load.site.directory = Some(dir);
        }
        Err(message) => load
            .errors
            .push(input_error("site.toml [ad]".to_owned(), message)),
    }
}

/// Runs the log-hunting engine over `SITE_DIR/logs/`, ties its findings to the site's
/// accounts and devices, and lists each log file among the inputs. A log read only in part
/// is an input error: the run is then not recorded, so what the lost part held is never
/// reported as resolved, now or by the next run.
fn hunt_site_logs(
    folder: &SiteFolder,
    load: &mut SiteLoad,
    findings: &mut Vec<Finding>,
    as_of: Date,
    intel: mamori_vuln::blocklist::Intel,
) {
    let logs = folder.logs();
    if !logs.is_dir() {
        return;
    }
    let tc = TimeContext {
        zone: tokyo(),
        reference: as_of,
    };
    let mut config = HuntConfig::for_site(load.site.config.clone());
    config.intel = std::sync::Arc::new(intel);
    let opts = mamori_hunt::ReadOptions {
        within: Some(folder.root().to_owned()),
        ..mamori_hunt::ReadOptions::new(tc)
    };
    let (input, mut log_findings) = mamori_hunt::hunt(&[logs], &opts, &config);
    let relative = |file: &str| folder.relative(std::path::Path::new(file));
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
        if file.is_incomplete() {
            for message in file.error.iter().chain(&file.damaged) {
                load.errors.push(input_error(name.clone(), message.clone()));
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
                notes: Vec::new(),
            }),
        }
    }
}

/// Scans the destinations named in site.toml `[backup] scan` (relative to the site folder or
/// absolute). Their manifests are kept only when the run will be recorded, so that a
/// `--no-store` run does not hide a change from the next recorded one. A database that cannot
/// be opened is an input error (what changed since the last scan is then unknown).
async fn scan_backups(
    folder: &SiteFolder,
    load: &mut SiteLoad,
    opts: &AssessOptions,
    started_at: jiff::Timestamp,
) {
    let named = &load.site.config.backup_scan;
    if named.is_empty() {
        return;
    }
    let paths: Vec<std::path::PathBuf> = named.iter().map(|p| folder.root().join(p)).collect();
    let save = opts.record && load.errors.is_empty();
    let key = load.site.config.id.clone();
    let now = started_at.to_string();
    // A --no-store run without a database compares with nothing and creates none.
    let scanned = if !opts.record && !opts.db.exists() {
        crate::backup::scan_all(&paths, None, &key, &now, false).await
    } else {
        match Store::open(&opts.db).await {
            Ok(store) => {
                let result = crate::backup::scan_all(&paths, Some(&store), &key, &now, save).await;
                store.close().await;
                result
            }
            Err(e) => Err(e.into()),
        }
    };
    match scanned {
        Ok(scans) => {
            for scan in &scans {
                load.inputs.push(InputSummary {
                    file: scan.root.clone(),
                    table: "backup-scan",
                    encoding: "",
                    rows_read: scan.files as usize,
                    rows_rejected: scan.problems.len(),
                    ignored_columns: Vec::new(),
                    notes: Vec::new(),
                });
            }
            load.site.backup_scans = scans;
        }
        Err(e) => load.errors.push(input_error(
            opts.db.display().to_string(),
            Localized::new(
                format!("バックアップの保存先を確認できません: {e:#}"),
                format!("cannot scan the backup destinations: {e:#}"),
            ),
        )),
    }
}

/// The line every report starts with while the site has an open incident.
async fn open_incident(db: &std::path::Path, site_key: &str) -> Option<Localized> {
    // No database, no incident: and a --no-store run must not create one.
    if !db.exists() {
        return None;
    }
    let store = Store::open(db).await.ok()?;
    let open = store.open_incident(site_key).await.ok().flatten();
    store.close().await;
    open.map(|i| {
        Localized::new(
            format!(
                "対応中のインシデント #{}（{} 開始）: {} — 手順と連絡先は mamori incident report",
                i.id, i.started_at, i.summary
            ),
            format!(
                "Open incident #{} (since {}): {} — steps and contacts: mamori incident report",
                i.id, i.started_at, i.summary
            ),
        )
    })
}

/// The parts of the checks that had nothing to read: the rules of each part, what is missing and
/// what to add. A report must not let silence from these pass for "no problem".
fn not_checked(load: &SiteLoad, vuln_loaded: bool) -> Vec<NotChecked> {
    let rules_of = |prefix: &str| -> Vec<&'static str> {
        crate::rules::all()
            .into_iter()
            .map(|r| r.id)
            .filter(|id| id.starts_with(prefix))
            .collect()
    };
    let has_rows = |table: &str| {
        load.inputs
            .iter()
            .any(|i| i.table == table && i.rows_read > 0)
    };
    let mut out = Vec::new();
    let mut add = |what: (&str, &str), why: (&str, &str), rules: Vec<&'static str>| {
        out.push(NotChecked {
            what: Localized::new(what.0, what.1),
            why: Localized::new(why.0, why.1),
            rules,
        });
    };
    if !has_rows("logs") {
        add(
            (
                "ログの確認（不正ログイン・総当たり・ログ消去などの痕跡）",
                "log review (break-ins, brute force, cleared logs)",
            ),
            (
                "logs/ フォルダにログがありません。サーバやパソコン、VPN 装置のログを入れてください",
                "there are no logs in logs/: add the servers', PCs' and VPN devices' logs",
            ),
            rules_of("log."),
        );
    }
    if load.site.gateways.is_empty() {
        add(
            (
                "VPN 装置・ファイアウォールの設定の点検",
                "gateway configuration audit",
            ),
            (
                "configs/ フォルダに設定ファイルがありません。保守事業者から設定のバックアップをもらって入れてください",
                "there is no configuration in configs/: ask the vendor for a backup of the device's configuration",
            ),
            rules_of("gateway."),
        );
    }
    if !vuln_loaded {
        add(
            (
                "機器の脆弱性の照合",
                "vulnerability matching of the devices",
            ),
            (
                "脆弱性情報がありません。`mamori vuln update` で取得するか、feeds/ に入れてください",
                "no vulnerability data: run `mamori vuln update` or put the feeds in feeds/",
            ),
            rules_of("vuln."),
        );
    }
    for (table, what, why, prefix) in [
        (
            "assets",
            (
                "機器の点検（パッチ・サポート終了・ウイルス定義）",
                "device checks (patches, end of support, definitions)",
            ),
            ("機器台帳がありません", "there is no device ledger"),
            "asset.",
        ),
        (
            "accounts",
            (
                "アカウントの点検（退職者・共用・管理者の多要素認証）",
                "account checks (leavers, shared, administrators' MFA)",
            ),
            ("アカウント台帳がありません", "there is no account ledger"),
            "account.",
        ),
        (
            "connections",
            (
                "外部接続の点検（接続元制限・多要素認証）",
                "connection checks (source restriction, MFA)",
            ),
            (
                "接続点一覧がありません",
                "there is no list of connection points",
            ),
            "connection.",
        ),
        (
            "vendors",
            (
                "事業者の点検（守秘義務・チェックリスト・MDS/SDS）",
                "vendor checks (NDA, checklist, MDS/SDS)",
            ),
            ("事業者一覧がありません", "there is no vendor list"),
            "vendor.",
        ),
    ] {
        if !has_rows(table) {
            add(what, why, rules_of(prefix));
        }
    }
    out
}

/// Feed files of the site folder become inputs (or skipped inputs, or input errors).
fn note_vuln(v: &SiteVuln, folder: &SiteFolder, load: &mut SiteLoad) {
    for (path, result) in &v.files {
        let file = folder.relative(path);
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
                notes: Vec::new(),
            }),
            Err(mamori_vuln::feeds::FeedError::NotAFeed { reason, .. }) => {
                load.skipped.push(SkippedInput {
                    file,
                    reason: Localized::new(
                        format!("脆弱性情報として読めないため読み込んでいません（{reason}）"),
                        format!("not read as vulnerability data ({reason})"),
                    ),
                });
            }
            Err(e) => load.errors.push(input_error(
                file,
                Localized::new(
                    format!("脆弱性情報のファイルを読めません: {e}"),
                    format!("cannot read the feed file: {e}"),
                ),
            )),
        }
    }
    for (path, reason) in &v.skipped {
        load.skipped.push(SkippedInput {
            file: folder.relative(path),
            reason: reason.clone(),
        });
    }
}
