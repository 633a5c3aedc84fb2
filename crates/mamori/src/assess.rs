//! `mamori assess SITE_DIR`: the pipeline is `mamori_app::assess`; here it is run, reported
//! and given its exit code.

use mamori_app::assess::AssessOptions;
use mamori_app::{Clock, SiteFolder};
use mamori_model::Lang;

use crate::Outcome;
use crate::cli::{AssessArgs, Format, GlobalArgs};
use crate::output;

pub fn run(global: &GlobalArgs, args: &AssessArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let opts = AssessOptions {
        as_of: args.as_of,
        db: global.db_path(),
        record: !args.no_store,
        clock: Clock::system(),
    };
    let folder = SiteFolder::new(&args.site_dir);
    let mut assessment =
        match crate::runtime()?.block_on(mamori_app::assess::assess(&folder, &opts)) {
            Ok(a) => a,
            Err(errors) => {
                print_errors(&errors, lang);
                return Ok(Outcome::InputErrors);
            }
        };
    if let Some(counts) = assessment.vuln_from_store {
        output::note(&mamori_report::vuln_note(counts, lang));
    }
    // The report matters more than the history: it follows, and says why it was not kept.
    match assessment.recording_message(&opts.db) {
        Some((true, message)) => output::error(message.get(lang)),
        Some((false, message)) => output::note(message.get(lang)),
        None => {}
    }
    assessment.report.show_rule_ids = global.verbose;
    let report = &assessment.report;
    let text = match args.format {
        Format::Terminal => mamori_report::render_terminal(report, lang),
        Format::Json => mamori_report::render_json(report),
        Format::Md => mamori_report::render_markdown(report, lang),
        Format::Html => mamori_report::render_html(report, lang),
    };
    output::emit(&text, args.out.as_deref(), lang, ("レポート", "Report"))?;
    if !report.errors.is_empty() && (args.out.is_some() || args.format != Format::Terminal) {
        // The terminal report lists them already; elsewhere say so on stderr too.
        print_errors(&report.errors, lang);
    }
    let fail = args.fail_on.is_some_and(|threshold| {
        report
            .findings
            .iter()
            .any(|f| f.finding.severity >= threshold)
    });
    Ok(if assessment.is_incomplete() {
        Outcome::InputErrors
    } else if fail {
        Outcome::FindingsAtThreshold
    } else {
        Outcome::Ok
    })
}

/// Every input error on stderr, in the user's language.
pub fn print_errors(errors: &[mamori_model::input::InputError], lang: Lang) {
    for e in errors {
        output::error(&e.describe(lang));
    }
}
