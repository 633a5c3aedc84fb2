//! `mamori gateway audit FILE...`: the gateway checks on configuration backups, without a site
//! folder. Findings name the device by its hostname.

use mamori_checks::{CheckContext, run_group};
use mamori_ingest::configs::read_config_files;
use mamori_model::site::Site;
use mamori_model::{Lang, Localized};

use crate::Outcome;
use crate::cli::{GatewayAuditArgs, GlobalArgs, HuntFormat};
use crate::output;

pub fn audit(global: &GlobalArgs, args: &GatewayAuditArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let mut site = Site::default();
    let mut skipped: Vec<(String, Localized)> = Vec::new();
    for config in read_config_files(&args.paths, None, |p| p.display().to_string()) {
        match config.result {
            Ok(g) => site.gateways.push(g),
            Err(reason) => skipped.push((config.file, reason)),
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
