//! `mamori checklist SITE_DIR`: the checklists are built by `mamori_app::checklist`; here they
//! are rendered as a table, Markdown, HTML, JSON or an XLSX workbook.

use mamori_app::checklist::ChecklistOptions;
use mamori_app::{Clock, SiteFolder};
use mamori_model::tr;
use mamori_report::checklist::{
    render_checklist_json, render_checklist_markdown, render_checklist_table, render_checklist_xlsx,
};

use crate::Outcome;
use crate::cli::{ChecklistArgs, ChecklistFormat, GlobalArgs};
use crate::output;

pub fn run(global: &GlobalArgs, args: &ChecklistArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let opts = ChecklistOptions {
        fiscal_year: args.fiscal_year,
        as_of: args.as_of,
        db: global.db_path(),
        clock: Clock::system(),
    };
    let folder = SiteFolder::new(&args.site_dir);
    let built = crate::runtime()?.block_on(mamori_app::checklist::checklist(&folder, &opts));
    let outcome = crate::assess::shown(built, lang)?;
    let report = &outcome.report;
    for e in &outcome.errors {
        output::error(&e.describe(lang));
    }
    match args.format {
        ChecklistFormat::Xlsx => {
            let Some(out) = &args.out else {
                anyhow::bail!(
                    "{}",
                    tr(
                        lang,
                        "--format xlsx には書き出し先の --out FILE.xlsx が必要です",
                        "--format xlsx needs --out FILE.xlsx"
                    )
                );
            };
            let bytes = render_checklist_xlsx(report, lang)?;
            output::write_bytes(out, &bytes)?;
            output::wrote(out, lang, "チェックリスト", "Checklists");
        }
        format => {
            let text = match format {
                ChecklistFormat::Table => render_checklist_table(report, lang),
                ChecklistFormat::Md => render_checklist_markdown(report, lang),
                ChecklistFormat::Json => render_checklist_json(report),
                ChecklistFormat::Html => {
                    mamori_report::checklist::render_checklist_html(report, lang)
                }
                ChecklistFormat::Xlsx => unreachable!("handled above"),
            };
            output::emit(
                &text,
                args.out.as_deref(),
                lang,
                ("チェックリスト", "Checklists"),
            )?;
        }
    }
    Ok(Outcome::whole(outcome.errors.is_empty()))
}
