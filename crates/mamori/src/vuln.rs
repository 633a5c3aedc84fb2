//! `mamori vuln import|status`: the pipelines are `mamori_app::vuln_import::import` and
//! `mamori_app::vuln::status`; here they are run and printed.

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntFormat, VulnImportArgs, VulnStatusArgs};
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
    Ok(if outcome.is_incomplete() {
        Outcome::InputErrors
    } else {
        Outcome::Ok
    })
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
