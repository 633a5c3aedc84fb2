//! `mamori gateway audit FILE...`: the gateway checks on configuration backups, without a site
//! folder. Findings name the device by its hostname.

use std::path::{Path, PathBuf};

use mamori_checks::{CheckContext, run_group};
use mamori_ingest::configs::read_config;
use mamori_model::site::Site;
use mamori_model::{Lang, Localized};

use crate::Outcome;
use crate::cli::{GatewayAuditArgs, GlobalArgs, HuntFormat};
use crate::output;

pub fn audit(global: &GlobalArgs, args: &GatewayAuditArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let mut files = Vec::new();
    for path in &args.paths {
        expand(path, &mut files);
    }
    let mut site = Site::default();
    let mut skipped: Vec<(String, Localized)> = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match read_config(&name, &bytes) {
                Ok(g) => site.gateways.push(g),
                Err(reason) => skipped.push((name, reason)),
            },
            Err(e) => skipped.push((
                name,
                Localized::new(format!("読み込めません: {e}"), format!("cannot read: {e}")),
            )),
        }
    }
    let as_of = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled"))
        .date();
    let findings = run_group(&CheckContext::new(&site, as_of), "gateway");
    match args.format {
        HuntFormat::Table => output::stdout(&mamori_report::render_gateway_table(
            &findings,
            &site.gateways,
            &skipped,
            lang,
        ))?,
        HuntFormat::Json => {
            output::stdout(&mamori_report::render_hunt_json(&findings))?;
            for (file, reason) in &skipped {
                output::note(&format!("{file}: {}", reason.get(lang)));
            }
        }
    }
    Ok(if site.gateways.is_empty() {
        Outcome::InputErrors
    } else if args
        .fail_on
        .is_some_and(|t| findings.iter().any(|f| f.severity >= t))
    {
        Outcome::FindingsAtThreshold
    } else {
        Outcome::Ok
    })
}

/// Files as given; folders walked (hidden entries left out), sorted.
fn expand(path: &Path, out: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        out.push(path.to_owned());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        out.push(path.to_owned());
        return;
    };
    let mut children: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    children.sort();
    for child in children {
        expand(&child, out);
    }
}
