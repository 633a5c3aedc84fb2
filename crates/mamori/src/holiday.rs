//! `mamori holiday SITE_DIR`: the year-end programme is built by `mamori_app::holiday` and
//! rendered by `mamori_report::holiday`; here it is printed.

use mamori_app::holiday::{HolidayError, HolidayOptions};
use mamori_app::{Clock, SiteFolder};
use mamori_report::holiday::render_holiday;

use crate::Outcome;
use crate::cli::{GlobalArgs, HolidayArgs, HolidayFormat};
use crate::output;

pub fn run(global: &GlobalArgs, args: &HolidayArgs) -> anyhow::Result<Outcome> {
    let lang = global.lang();
    let opts = HolidayOptions {
        year: args.year,
        as_of: args.as_of,
        clock: Clock::system(),
    };
    let outcome = match mamori_app::holiday::holiday(&SiteFolder::new(&args.site_dir), &opts) {
        Ok(outcome) => outcome,
        Err(HolidayError::Site(errors)) => {
            crate::assess::print_errors(&errors, lang);
            return Ok(Outcome::InputErrors);
        }
        Err(HolidayError::NoClosure(year)) => {
            anyhow::bail!("site.toml: the year-end closure of {year} is not a valid date range")
        }
    };
    let report = &outcome.report;
    let text = match args.format {
        HolidayFormat::Json => serde_json::to_string_pretty(report)? + "\n",
        HolidayFormat::Table => render_holiday(report, lang, false),
        HolidayFormat::Md => render_holiday(report, lang, true),
    };
    output::emit(
        &text,
        args.out.as_deref(),
        lang,
        ("年末年始の対策", "Holiday programme"),
    )?;
    crate::assess::print_errors(&outcome.errors, lang);
    Ok(Outcome::whole(outcome.errors.is_empty()))
}
