//! `mamori mail check` and `mamori intel import|status`: the pipelines are
//! `mamori_app::mail` and `mamori_app::intel`; here they are run, printed and given an exit
//! code (2 when a mail or a list could not be read).

use mamori_app::{Clock, SiteFolder};
use mamori_model::tr;

use crate::Outcome;
use crate::cli::{GlobalArgs, HuntFormat, IntelStatusArgs, MailCheckArgs, VulnImportArgs};
use crate::output;

pub fn check(global: &GlobalArgs, args: &MailCheckArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let clock = Clock::system();
    let options = mamori_app::mail::MailOptions {
        paths: args.paths.clone(),
        site: args.site.as_ref().map(SiteFolder::new),
        db: global.db_path(),
        clock,
    };
    let run = crate::runtime()?.block_on(mamori_app::mail::check(&options))?;
    if args.notice {
        let today = clock.today().to_string();
        let site = run.site_name.as_deref();
        output::stdout(&mamori_report::mail::render_notice(
            &run.checks,
            site,
            &today,
            lang,
        ))?;
    } else if args.format == HuntFormat::Json {
        output::stdout(&mamori_report::mail::render_json(&run.checks))?;
        for (file, why) in &run.skipped {
            output::note(&format!("{file}: {}", why.get(lang)));
        }
    } else {
        output::stdout(&mamori_report::mail::render_table(
            &run.checks,
            &run.skipped,
            run.lists,
            lang,
            global.verbose,
        ))?;
    }
    let complete = !run.checks.is_empty()
        && run
            .checks
            .iter()
            .all(|c| c.verdict != mamori_mail::Verdict::Unread);
    if run.checks.is_empty() {
        output::note(tr(lang, "メールが見つかりませんでした", "no mail found"));
    }
    let severities = run
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(|f| f.severity));
    Ok(Outcome::of(complete, args.fail_on, severities))
}

pub fn intel_import(global: &GlobalArgs, args: &VulnImportArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let db = global.db_path();
    let clock = Clock::system();
    let done = crate::runtime()?.block_on(mamori_app::intel::import(&args.paths, &db, &clock))?;
    output::stdout(&mamori_report::mail::render_intel_import(
        &done.imported_lists(),
        lang,
    ))?;
    for (file, why) in done.failed.iter().chain(&done.skipped) {
        output::note(&format!("{file}: {}", why.get(lang)));
    }
    output::note(&format!(
        "{}: {}",
        tr(lang, "データベース", "database"),
        db.display()
    ));
    Ok(Outcome::whole(!done.is_incomplete()))
}

pub fn intel_status(global: &GlobalArgs, args: &IntelStatusArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let db = global.db_path();
    let rows = crate::runtime()?.block_on(mamori_app::intel::status(&db))?;
    output::stdout(&if args.format == HuntFormat::Json {
        mamori_report::mail::render_intel_status_json(&rows)
    } else {
        mamori_report::mail::render_intel_status_table(&rows, lang)
    })?;
    Ok(Outcome::Ok)
}
