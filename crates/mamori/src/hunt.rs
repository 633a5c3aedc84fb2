//! `mamori hunt PATH...`: the logs are read and hunted by `mamori_app::hunt`; here the
//! findings and a per-file summary are printed.

use mamori_app::hunt::HuntOptions;
use mamori_app::{Clock, SiteFolder};

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntArgs, HuntFormat};
use crate::output;

pub fn run(global: &GlobalArgs, args: &HuntArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let site = args.site.as_ref().map(SiteFolder::new);
    let db = global.db_path();
    let load = mamori_app::intel::load(&db, site.as_ref());
    let (intel, unreadable) = crate::runtime()?.block_on(load)?;
    for (file, why) in unreadable {
        output::note(&format!("{file}: {}", why.get(lang)));
    }
    let opts = HuntOptions {
        paths: args.paths.clone(),
        as_of: args.as_of,
        site,
        format: args.log_format,
        timeline: args.timeline.is_some(),
        bruteforce_failures: args.bruteforce_failures.map(|n| n as usize),
        spray_accounts: args.spray_accounts.map(|n| n as usize),
        clock: Clock::system(),
        intel: std::sync::Arc::new(intel),
    };
    let mut outcome = crate::assess::shown(mamori_app::hunt::hunt(&opts), lang)?;
    if let Some(path) = &args.timeline {
        outcome.write_timeline(path)?;
        let n = outcome.input.events.total();
        let (ja, en) = (
            format!("タイムライン（{n} 件、ファイル順）"),
            format!("Timeline ({n} events, in file order)"),
        );
        output::wrote(path, lang, &ja, &en);
    }
    let files = outcome.file_summaries();
    let findings = &outcome.findings;
    match args.format {
        HuntFormat::Table => {
            output::stdout(&mamori_report::render_hunt_table(findings, &files, lang))?
        }
        HuntFormat::Json => {
            output::stdout(&mamori_report::render_hunt_json(findings))?;
            for f in &files {
                for e in f.error.iter().chain(&f.damaged) {
                    output::note(&format!("{}: {}", f.file, e.get(lang)));
                }
            }
        }
    }
    // A file read only in part is never a clean run: what it held is unknown.
    Ok(Outcome::whole(!outcome.is_incomplete()))
}
