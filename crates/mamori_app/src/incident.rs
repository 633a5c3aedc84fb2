//! `incident report`: the binder to print in peacetime and open on the day — the first hour's
//! steps, whom to call with the numbers and what to say, why not to pay, the systems in restore
//! order with their paper procedures, and a first report (第一報) filled in from the site. It is
//! made from whatever the ledgers hold: an emergency cannot wait for clean data, so input
//! errors are listed, not fatal, and even a folder without a usable site.toml gets the binder.

use jiff::civil::Date;
use mamori_model::Lang;
use mamori_model::Localized;
use mamori_model::catalog::public_contacts;
use mamori_model::input::InputError;
use mamori_model::site::{Site, contact_role_label};
pub use mamori_report::incident::{ContactLine, IncidentBinder, SystemLine};

use crate::{Clock, SiteFolder};

/// The site as it is (a folder whose site.toml cannot be used gives an empty site and the
/// errors), and its key in the store (site.toml's id; the folder's path without one).
fn load(folder: &SiteFolder, as_of: Date, clock: &Clock) -> (Site, Vec<InputError>, String) {
    match folder.load(as_of, clock) {
        Ok(load) => {
            let key = load.site.config.id.clone();
            (load.site, load.errors, key)
        }
        Err(errors) => (Site::default(), errors, folder.root().display().to_string()),
    }
}

/// Makes the binder from the site folder as it is.
pub fn binder(folder: &SiteFolder, as_of: Option<Date>, clock: &Clock) -> IncidentBinder {
    let as_of = as_of.unwrap_or_else(|| clock.today());
    let (site, input_errors, _) = load(folder, as_of, clock);
    binder_of(folder, as_of, &site, input_errors)
}

fn binder_of(
    folder: &SiteFolder,
    as_of: Date,
    site: &Site,
    input_errors: Vec<InputError>,
) -> IncidentBinder {
    let (public, version, source) = public_contacts(as_of, &site.config.closures);
    IncidentBinder {
        site_name: if site.config.name.is_empty() {
            folder.root().display().to_string()
        } else {
            site.config.name.clone()
        },
        site_kind: site.config.kind,
        as_of,
        input_errors,
        first_hour: first_hour(),
        backup_destinations: backup_destinations(site),
        contacts: contacts(site, &public),
        no_ransom: no_ransom(),
        systems: systems(site),
        first_report: first_report(site),
        public_data: (version.to_owned(), source.to_owned()),
        record: None,
    }
}

/// The binder with the site's open incident, when the store has one: its log, its evidence and
/// what the hunt finds in the evidence still there, the first report filled with what is known,
/// and the draft 速報 to the Personal Information Protection Commission. A database that cannot
/// be read leaves the binder without the incident (the binder must come out).
pub async fn binder_with_record(
    folder: &SiteFolder,
    as_of: Option<Date>,
    clock: &Clock,
    db: &std::path::Path,
) -> IncidentBinder {
    let as_of = as_of.unwrap_or_else(|| clock.today());
    let (site, input_errors, key) = load(folder, as_of, clock);
    let mut b = binder_of(folder, as_of, &site, input_errors);
    let Ok(store) = mamori_store::Store::open(db).await else {
        return b;
    };
    if let Ok(Some(incident)) = store.open_incident(&key).await {
        let log = store.incident_log(incident.id).await.unwrap_or_default();
        let evidence = store
            .incident_evidence(incident.id)
            .await
            .unwrap_or_default();
        let paths: Vec<std::path::PathBuf> = evidence
            .iter()
            .map(|e| std::path::PathBuf::from(&e.path))
            .filter(|p| p.exists())
            .collect();
        let tc = mamori_hunt::TimeContext {
            zone: crate::tokyo(),
            reference: b.as_of,
        };
        let config = mamori_hunt::HuntConfig::default();
        let findings = if paths.is_empty() {
            Vec::new()
        } else {
            mamori_hunt::hunt(&paths, &mamori_hunt::ReadOptions::new(tc), &config).1
        };
        for (field, value) in &mut b.first_report {
            if field.ja.starts_with("発生") && value.is_empty() {
                value.clone_from(&incident.started_at);
            } else if field.ja.starts_with("症状") && value.is_empty() {
                value.clone_from(&incident.summary);
            }
        }
        let ppc_report = ppc_report(&b, &incident, &log);
        b.record = Some(mamori_report::incident::IncidentRecord {
            chain: mamori_store::incident::verify_chain(&log),
            incident,
            log,
            evidence,
            findings,
            ppc_report,
        });
    }
    store.close().await;
    b
}

/// The 速報's fields as the Commission's form asks, filled from what is known.
fn ppc_report(
    b: &IncidentBinder,
    incident: &mamori_store::incident::Incident,
    log: &[mamori_store::incident::LogLine],
) -> Vec<(Localized, String)> {
    let done: Vec<String> = log
        .iter()
        .filter(|l| l.kind == "log")
        .map(|l| format!("{} {}", l.at, l.text))
        .collect();
    let field = |ja: &str, en: &str, value: String| (Localized::new(ja, en), value);
    vec![
        field(
            "報告者（医療機関名）",
            "Reporting institution",
            b.site_name.clone(),
        ),
        field("発覚日", "Discovered on", incident.started_at.clone()),
        field("事案の概要", "What happened", incident.summary.clone()),
        field(
            "漏えい等が発生した（おそれのある）個人データの項目",
            "Personal data concerned",
            String::new(),
        ),
        field("本人の数", "Number of people", String::new()),
        field("原因", "Cause", String::new()),
        field(
            "二次被害又はそのおそれの有無及びその内容",
            "Secondary harm (or risk)",
            String::new(),
        ),
        field(
            "本人への対応の実施状況",
            "What was done for the people concerned",
            String::new(),
        ),
        field("公表の実施状況", "Public announcement", String::new()),
        field(
            "再発防止のための措置",
            "Measures against recurrence",
            String::new(),
        ),
        field("これまでの対応", "Done so far", done.join(" / ")),
    ]
}

fn first_hour() -> Vec<Localized> {
    [
        ("おかしいと思った端末をネットワークから切り離す（LAN ケーブルを抜く、Wi-Fi を切る）。電源は切らない（調査に必要な記録が消えます）。", "Disconnect the suspect machines from the network (unplug the cable, turn Wi-Fi off). Do not power them off: evidence is lost."),
        ("バックアップの保存先（NAS・外付けHDD）をネットワークから外す。無事な世代を守るのが最優先です。", "Disconnect the backup destinations (NAS, external disks): saving the intact generations comes first."),
        ("画面の脅迫文を写真に撮り、脅迫文・ログ・設定ファイルを消さずに残す。", "Photograph the ransom note on screen; keep the note, the logs and the configurations."),
        ("身代金は支払わない。犯人と連絡を取らない。", "Do not pay and do not contact the attackers."),
        ("保守事業者に電話し、指示に従う（下の連絡先）。", "Call the maintenance vendor and follow its instructions (contacts below)."),
        ("院内の責任者に報告し、BCP（紙の運用）に切り替える。", "Tell the person in charge and switch to the BCP (paper procedures)."),
        ("警察・厚生労働省・日本医師会に連絡する。記録（いつ・誰が・何をしたか）を付け始める。", "Call the police, the Ministry and the JMA; start a log of who did what, when."),
    ]
    .into_iter()
    .map(|(ja, en)| Localized::new(ja, en))
    .collect()
}

fn no_ransom() -> Vec<Localized> {
    [
        ("払ってもデータが戻る保証はありません。復号できない、または一部しか戻らない例があります。", "Paying guarantees nothing: keys that do not work, or restore only part, are common."),
        ("支払ったお金は次の犯罪の資金になります。", "The money funds the next crime."),
        ("払う組織だと知られ、再び狙われます。", "A site known to pay is attacked again."),
        ("盗まれたデータが公開されないという保証もありません。", "Nothing guarantees that stolen data stays unpublished."),
    ]
    .into_iter()
    .map(|(ja, en)| Localized::new(ja, en))
    .collect()
}

fn backup_destinations(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = site
        .backups
        .iter()
        .filter(|b| !b.destination.is_empty())
        .map(|b| b.destination.clone())
        .collect();
    out.extend(site.config.backup_scan.iter().cloned());
    out.sort();
    out.dedup();
    out
}

/// The site's contacts for each role in calling order (vendor, internal, police, MHLW, JMA, the
/// rest), the public number where the site has none for the role.
fn contacts(site: &Site, public: &[&mamori_model::catalog::PublicContact]) -> Vec<ContactLine> {
    let order = ["vendor", "internal", "police", "mhlw", "jma"];
    let mut out = Vec::new();
    let say_default = |role: &str| -> Localized {
        match role {
            "vendor" => Localized::new(
                "攻撃の疑いがあること、症状、切り離した機器。指示を仰ぐ。",
                "That an attack is suspected, what you see, what you disconnected; ask for instructions.",
            ),
            "internal" => Localized::new(
                "何が起きたか、BCP への切り替えが必要か。",
                "What happened, and whether to switch to the BCP.",
            ),
            _ => Localized::new("", ""),
        }
    };
    let mut roles: Vec<&str> = order.to_vec();
    for c in &site.contacts {
        if !roles.contains(&c.role.as_str()) {
            roles.push(&c.role);
        }
    }
    for role in roles {
        let own: Vec<_> = site
            .contacts
            .iter()
            .filter(|c| c.role == role && (!c.phone.is_empty() || !c.email.is_empty()))
            .collect();
        let label = Localized::new(
            contact_role_label(role, Lang::Ja),
            contact_role_label(role, Lang::En),
        );
        let public_say = public.iter().find(|p| p.role == role);
        let say =
            public_say.map_or_else(|| say_default(role), |p| Localized::new(&p.say, &p.say_en));
        for c in &own {
            out.push(ContactLine {
                role: label.clone(),
                name: c.name.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
                say: say.clone(),
                public: false,
            });
        }
        if own.is_empty() || role == "mhlw" {
            // The Ministry's numbers are always shown (the year-end one in its window).
            for p in public.iter().filter(|p| p.role == role) {
                if own.iter().any(|c| c.phone == p.phone) {
                    continue;
                }
                out.push(ContactLine {
                    role: label.clone(),
                    name: p.name.clone(),
                    phone: p.phone.clone(),
                    email: String::new(),
                    say: Localized::new(&p.say, &p.say_en),
                    public: true,
                });
            }
        }
    }
    out
}

/// The BCP's systems in priority order, then patient-data devices without a plan.
fn systems(site: &Site) -> Vec<SystemLine> {
    let mut out: Vec<SystemLine> = site
        .bcp
        .iter()
        .map(|p| SystemLine {
            priority: p.priority,
            system: p.system.clone(),
            rto_hours: p.rto_hours,
            downtime_procedure: p.downtime_procedure.clone(),
            kept_at: p.kept_at.clone(),
        })
        .collect();
    out.sort_by_key(|s| (s.priority.is_none(), s.priority));
    for a in &site.assets {
        let covered = site.bcp.iter().any(|p| a.is_covered_by(&p.system));
        if !covered && a.holds_patient_data() {
            out.push(SystemLine {
                priority: None,
                system: if a.name.is_empty() {
                    a.id.clone()
                } else {
                    a.name.clone()
                },
                rto_hours: None,
                downtime_procedure: String::new(),
                kept_at: String::new(),
            });
        }
    }
    out
}

/// The first report's fields: filled from the site where it knows, blank for what happened.
fn first_report(site: &Site) -> Vec<(Localized, String)> {
    let internal = site
        .contacts
        .iter()
        .find(|c| c.role == "internal")
        .map(|c| format!("{} {}", c.name, c.phone).trim().to_owned())
        .unwrap_or_default();
    let vendors: Vec<String> = site
        .vendors
        .iter()
        .map(|v| {
            let lines: Vec<String> = site
                .connections
                .iter()
                .filter(|c| c.vendor == v.id)
                .map(|c| format!("{}（{}）", c.id, c.kind.map_or("", |k| k.label(Lang::Ja))))
                .collect();
            if lines.is_empty() {
                v.name.clone()
            } else {
                format!("{}: 接続 {}", v.name, lines.join("、"))
            }
        })
        .collect();
    let systems: Vec<String> = site
        .assets
        .iter()
        .filter(|a| a.holds_patient_data() || a.is_exposed())
        .map(|a| {
            format!("{} {} {}", a.name, a.product, a.version)
                .trim()
                .to_owned()
        })
        .collect();
    let field = |ja: &str, en: &str, value: String| (Localized::new(ja, en), value);
    vec![
        field("医療機関名", "Institution", site.config.name.clone()),
        field("連絡担当者・連絡先", "Contact person", internal),
        field(
            "発生（発見）日時",
            "When it happened (was found)",
            String::new(),
        ),
        field("発見の経緯", "How it was found", String::new()),
        field(
            "症状（画面・脅迫文・止まったもの）",
            "What is seen (screens, note, what stopped)",
            String::new(),
        ),
        field(
            "影響範囲（止まったシステム・診療への影響）",
            "Impact (systems down, effect on care)",
            String::new(),
        ),
        field("主なシステム", "Main systems", systems.join("\n")),
        field(
            "保守事業者と外部接続",
            "Vendors and their connections",
            vendors.join("\n"),
        ),
        field(
            "個人情報の漏えい（おそれ）の有無",
            "Personal data leaked (or may have)",
            String::new(),
        ),
        field(
            "これまでの対応（切り離し・連絡済みの先）",
            "Done so far (disconnected, who was called)",
            String::new(),
        ),
    ]
}

/// What an `incident` command does.
pub enum IncidentAction {
    /// Open an incident with what happened.
    Start(String),
    /// Add a line to the open incident's log.
    Log(String),
    /// Close the open incident.
    Close,
    /// Check the open (else the last) incident's log chain.
    Verify,
    /// Record evidence files (hashes, sizes, times) and hunt through the logs among them.
    Collect(Vec<std::path::PathBuf>),
}

/// What an `incident` command did.
pub struct IncidentOutcome {
    /// What to tell the person.
    pub message: Localized,
    /// False when it failed (no open incident, a broken chain, unreadable evidence).
    pub ok: bool,
    /// The evidence recorded (collect).
    pub evidence: Vec<mamori_store::incident::EvidenceFile>,
    /// What the hunt found in the collected logs (collect).
    pub findings: Vec<mamori_model::Finding>,
}

/// Runs one `incident` command against the store.
pub async fn act(
    folder: &SiteFolder,
    action: IncidentAction,
    who: &str,
    db: &std::path::Path,
    clock: &Clock,
) -> anyhow::Result<IncidentOutcome> {
    use anyhow::Context;
    let store = mamori_store::Store::open(db)
        .await
        .with_context(|| format!("database {}", db.display()))?;
    let (site, _, key) = load(folder, clock.today(), clock);
    let now = clock.now().to_string();
    let open = store.open_incident(&key).await?;
    let done = |ja: String, en: String, ok| IncidentOutcome {
        message: Localized::new(ja, en),
        ok,
        evidence: Vec::new(),
        findings: Vec::new(),
    };
    let outcome = match (action, open) {
        (IncidentAction::Start(summary), None) => {
            let i = store.start_incident(&key, &summary, &now, who).await?;
            done(
                format!("インシデント #{} を開始しました（{now}）", i.id),
                format!("incident #{} opened ({now})", i.id),
                true,
            )
        }
        (IncidentAction::Start(_), Some(i)) => done(
            format!(
                "対応中のインシデント #{} があります（{} 開始）。閉じてから開始してください",
                i.id, i.started_at
            ),
            format!(
                "incident #{} is open (since {}): close it first",
                i.id, i.started_at
            ),
            false,
        ),
        (IncidentAction::Log(text), Some(i)) => {
            let line = store
                .append_incident_log(i.id, &now, who, "log", &text)
                .await?;
            done(
                format!("#{} に {} 行目を記録しました", i.id, line.seq),
                format!("line {} recorded in #{}", line.seq, i.id),
                true,
            )
        }
        (IncidentAction::Close, Some(i)) => {
            store.close_incident(i.id, &now, who).await?;
            done(
                format!("インシデント #{} を閉じました", i.id),
                format!("incident #{} closed", i.id),
                true,
            )
        }
        (IncidentAction::Verify, Some(i)) => verify(&store, &i).await?,
        (IncidentAction::Collect(paths), Some(i)) => {
            let config = mamori_hunt::HuntConfig::for_site(site.config);
            collect(&store, &config, &i, &paths, who, &now, clock).await?
        }
        (_, None) => done(
            "対応中のインシデントがありません（mamori incident start で始めます）".into(),
            "no open incident (start one with mamori incident start)".into(),
            false,
        ),
    };
    store.close().await;
    Ok(outcome)
}

async fn verify(
    store: &mamori_store::Store,
    i: &mamori_store::incident::Incident,
) -> anyhow::Result<IncidentOutcome> {
    let log = store.incident_log(i.id).await?;
    let (message, ok) = match mamori_store::incident::verify_chain(&log) {
        Ok(()) => (
            Localized::new(
                format!("#{} の記録 {} 行は改ざんされていません", i.id, log.len()),
                format!("the {} lines of #{} are intact", log.len(), i.id),
            ),
            true,
        ),
        Err(seq) => (
            Localized::new(
                format!(
                    "#{} の記録は {seq} 行目で改ざんまたは削除されています",
                    i.id
                ),
                format!("the log of #{} was altered or cut at line {seq}", i.id),
            ),
            false,
        ),
    };
    Ok(IncidentOutcome {
        message,
        ok,
        evidence: Vec::new(),
        findings: Vec::new(),
    })
}

/// Hashes the evidence files (streaming, never changing them), records them, and hunts
/// through the logs among them.
async fn collect(
    store: &mamori_store::Store,
    config: &mamori_hunt::HuntConfig,
    i: &mamori_store::incident::Incident,
    paths: &[std::path::PathBuf],
    who: &str,
    now: &str,
    clock: &Clock,
) -> anyhow::Result<IncidentOutcome> {
    let walked = mamori_ingest::files::walk(paths);
    let mut evidence = Vec::new();
    for path in &walked.files {
        evidence.push(hash_file(path)?);
    }
    store.add_incident_evidence(i.id, &evidence, now).await?;
    let tc = mamori_hunt::TimeContext {
        zone: crate::tokyo(),
        reference: clock.today(),
    };
    let (_, findings) = mamori_hunt::hunt(paths, &mamori_hunt::ReadOptions::new(tc), config);
    let text = format!(
        "証拠 {} 件を記録、ログの解析で {} 件の指摘",
        evidence.len(),
        findings.len()
    );
    store
        .append_incident_log(i.id, now, who, "evidence", &text)
        .await?;
    Ok(IncidentOutcome {
        message: Localized::new(
            format!("#{} に{text}", i.id),
            format!(
                "#{}: {} evidence files recorded, {} findings in the logs",
                i.id,
                evidence.len(),
                findings.len()
            ),
        ),
        ok: walked.skipped.is_empty(),
        evidence,
        findings,
    })
}

/// SHA-256 (as `sha256sum` prints it), size and time of a file, read in blocks.
fn hash_file(path: &std::path::Path) -> anyhow::Result<mamori_store::incident::EvidenceFile> {
    use anyhow::Context;
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let meta = file.metadata()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| path.display().to_string())?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(mamori_store::incident::EvidenceFile {
        path: path.display().to_string(),
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        size: meta.len(),
        modified: meta
            .modified()
            .ok()
            .and_then(|m| jiff::Timestamp::try_from(m).ok())
            .map(|t| t.to_string()),
    })
}
