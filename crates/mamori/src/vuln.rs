//! `mamori vuln import|status|update`: the pipelines are `mamori_app::vuln_import::import`,
//! `mamori_app::vuln::status` and `mamori_app::vuln_update`; here they are run and printed.

use mamori_app::vuln_update::UpdateOptions;

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntFormat, VulnImportArgs, VulnStatusArgs, VulnUpdateArgs};
use crate::output;

pub fn import(global: &GlobalArgs, args: &VulnImportArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let db = global.db_path();
    let outcome = crate::runtime()?.block_on(mamori_app::vuln_import::import(
        &args.paths,
        &db,
        &output::Terminal,
        lang,
    ))?;
    Ok(Outcome::whole(!outcome.is_incomplete()))
}

pub fn status(global: &GlobalArgs, args: &VulnStatusArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let db = global.db_path();
    let as_of = args.as_of.unwrap_or_else(mamori_app::today_in_tokyo);
    let status = crate::runtime()?.block_on(mamori_app::vuln::status(&db))?;
    let report = mamori_app::vuln::status_report(status, &db, as_of);
    output::stdout(&if args.format == HuntFormat::Json {
        mamori_report::vuln::render_vuln_status_json(&report)
    } else {
        mamori_report::vuln::render_vuln_status_table(&report, lang)
    })?;
    Ok(Outcome::Ok)
}

/// `vuln update`: the flags become options and the outcome an exit code.
pub fn update(global: &GlobalArgs, args: &VulnUpdateArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let opts = UpdateOptions {
        db: global.db_path(),
        cache: args.cache.clone(),
        mirror: args.mirror.clone(),
        kinds: args.feeds.clone(),
        full: args.full,
    };
    let outcome = mamori_app::vuln_update::update(&opts, &output::Terminal, lang)?;
    Ok(Outcome::whole(outcome.failures == 0))
}
