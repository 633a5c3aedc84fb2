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
    let assessed = crate::runtime()?.block_on(mamori_app::assess::assess(&folder, &opts));
    let mut assessment = shown(assessed, lang)?;
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
    let severities = report.findings.iter().map(|f| f.finding.severity);
    let complete = !assessment.is_incomplete();
    Ok(Outcome::of(complete, args.fail_on, severities))
}

/// Input errors that stopped a command, already printed: it ends with exit 2.
#[derive(Debug, thiserror::Error)]
#[error("input errors")]
pub struct InputErrorsShown;

/// The result, or its input errors printed and [`InputErrorsShown`] to end the command.
pub fn shown<T>(
    result: Result<T, Vec<mamori_model::input::InputError>>,
    lang: Lang,
) -> anyhow::Result<T> {
    result.map_err(|errors| {
        print_errors(&errors, lang);
        anyhow::Error::new(InputErrorsShown)
    })
}

/// Every input error on stderr, in the user's language.
pub fn print_errors(errors: &[mamori_model::input::InputError], lang: Lang) {
    for e in errors {
        output::error(&e.describe(lang));
    }
}
