//! `mamori hunt PATH...`: read logs, run the log detections, print findings and a per-file
//! summary.

use jiff::Timestamp;
use mamori_hunt::{HuntConfig, TimeContext};
use mamori_model::Lang;
use mamori_report::HuntFile;

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntArgs, HuntFormat};
use crate::output;

pub fn run(global: &GlobalArgs, args: &HuntArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let reference = args
        .as_of
        .unwrap_or_else(|| Timestamp::now().to_zoned(zone.clone()).date());
    let mut config = HuntConfig {
        bruteforce_failures: args.bruteforce_failures,
        spray_accounts: args.spray_accounts,
        ..HuntConfig::default()
    };
    if let Some(site_dir) = &args.site {
        match mamori_ingest::load_site(site_dir) {
            Ok(load) => config.site = load.site.config,
            Err(errors) => {
                for e in &errors {
                    output::error(&e.describe(lang));
                }
                return Ok(Outcome::InputErrors);
            }
        }
    }
    let tc = TimeContext { zone, reference };
    let (input, findings) = mamori_hunt::hunt(&args.paths, &tc, &config);
    let files: Vec<HuntFile> = input
        .files
        .iter()
        .map(|f| HuntFile {
            file: f.file.clone(),
            format: f.format.to_owned(),
            records: f.records,
            events: f.events,
            skipped: f.skipped.iter().map(|(r, n)| (r.clone(), *n)).collect(),
            error: f.error.clone(),
        })
        .collect();
    match args.format {
        HuntFormat::Table => {
            output::stdout(&mamori_report::render_hunt_table(&findings, &files, lang))?
        }
        HuntFormat::Json => {
            output::stdout(&mamori_report::render_hunt_json(&findings))?;
            for f in files.iter().filter(|f| f.error.is_some()) {
                if let Some(e) = &f.error {
                    output::note(&format!("{}: {}", f.file, e.get(lang)));
                }
            }
        }
    }
    let unreadable = files
        .iter()
        .any(|f| f.error.is_some() && f.format != "compressed" && !f.format.is_empty());
    let _ = unreadable;
    Ok(
        if files.iter().all(|f| f.error.is_some()) && !files.is_empty() {
            Outcome::InputErrors
        } else {
            Outcome::Ok
        },
    )
}
