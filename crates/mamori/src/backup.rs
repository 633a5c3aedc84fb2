//! `mamori backup scan PATH...`: the destinations are scanned by `mamori_app::backup`; here the
//! result is printed. Exit 1 when something looks encrypted or a ransom note is found.

use mamori_app::backup::BackupScanOptions;
use mamori_app::{Clock, SiteFolder};
use mamori_model::Severity;

use crate::Outcome;
use crate::cli::{BackupScanArgs, GlobalArgs, HuntFormat};
use crate::output;

pub fn scan(global: &GlobalArgs, args: &BackupScanArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let opts = BackupScanOptions {
        paths: args.paths.clone(),
        site: args.site.as_ref().map(SiteFolder::new),
        as_of: args.as_of,
        max_age_days: args.max_age,
        min_generations: args.min_generations,
        db: global.db_path(),
        clock: Clock::system(),
    };
    let scanned = crate::runtime()?.block_on(mamori_app::backup::scan(&opts))?;
    let outcome = crate::assess::shown(scanned, lang)?;
    let (scans, findings) = (&outcome.scans, &outcome.findings);
    output::stdout(&match args.format {
        HuntFormat::Table => mamori_report::backup::render_backup_scan_table(scans, findings, lang),
        HuntFormat::Json => mamori_report::backup::render_backup_scan_json(scans, findings),
    })?;
    let severities = findings.iter().map(|f| f.severity);
    Ok(Outcome::of(true, Some(Severity::Critical), severities))
}
