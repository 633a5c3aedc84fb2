//! `mamori hunt PATH...`: the logs are read and hunted by `mamori_app::hunt`; here the
//! findings and a per-file summary are printed.

use mamori_app::hunt::HuntOptions;
use mamori_app::{Clock, SiteFolder};
use mamori_model::Lang;

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntArgs, HuntFormat};
use crate::output;

pub fn run(global: &GlobalArgs, args: &HuntArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let opts = HuntOptions {
        paths: args.paths.clone(),
        as_of: args.as_of,
        site: args.site.as_ref().map(SiteFolder::new),
        format: args.log_format.map(Into::into),
        timeline: args.timeline.is_some(),
        bruteforce_failures: args.bruteforce_failures.map(|n| n as usize),
        spray_accounts: args.spray_accounts.map(|n| n as usize),
        clock: Clock::system(),
    };
    let mut outcome = match mamori_app::hunt::hunt(&opts) {
        Ok(outcome) => outcome,
        Err(errors) => {
            crate::assess::print_errors(&errors, lang);
            return Ok(Outcome::InputErrors);
        }
    };
    if let Some(path) = &args.timeline {
        outcome.write_timeline(path)?;
        let events = outcome.input.events.total();
        output::note(&match lang {
            Lang::Ja => format!(
                "タイムライン（{events} 件、ファイル順）を {} に書き出しました。",
                path.display()
            ),
            Lang::En => format!(
                "Timeline ({events} events, in file order) written to {}.",
                path.display()
            ),
        });
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
    Ok(if outcome.is_incomplete() {
        Outcome::InputErrors
    } else {
        Outcome::Ok
    })
}
