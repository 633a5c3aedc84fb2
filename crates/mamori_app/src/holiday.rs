//! `holiday`: the year-end programme (the closure's dated steps before, during and after) and
//! the log review of the closure's window.

use jiff::civil::Date;
use mamori_checks::holiday::{Programme, programme};
use mamori_checks::{CheckContext, link::link_to_site};
use mamori_hunt::{HuntConfig, ReadOptions, TimeContext};
use mamori_model::input::InputError;
use mamori_model::site::Site;
use mamori_report::holiday::{HolidayReport, LogReview};

use crate::{Clock, SiteFolder, tokyo};

/// How to build the programme.
pub struct HolidayOptions {
    /// The year the closure starts in (default: the closure nearest the evaluation day).
    pub year: Option<i16>,
    /// The evaluation day (default: today).
    pub as_of: Option<Date>,
    /// Where "now" comes from.
    pub clock: Clock,
}

/// The programme and the input errors met on the way.
pub struct HolidayOutcome {
    /// The programme with its log review.
    pub report: HolidayReport,
    /// Rows and files that could not be read (and damaged logs of the window).
    pub errors: Vec<InputError>,
}

/// Why there is no programme.
#[derive(Debug)]
pub enum HolidayError {
    /// The site folder or its `site.toml` cannot be used.
    Site(Vec<InputError>),
    /// `site.toml`'s closure of that year is no valid date range.
    NoClosure(i16),
}

/// Builds the year-end programme of `folder`.
pub fn holiday(folder: &SiteFolder, opts: &HolidayOptions) -> Result<HolidayOutcome, HolidayError> {
    let as_of = opts.as_of.unwrap_or_else(|| opts.clock.today());
    let load = folder
        .load(as_of, &opts.clock)
        .map_err(HolidayError::Site)?;
    let ctx = CheckContext::new(&load.site, as_of);
    // The closure still ahead this year, or the one just over in January.
    let year = opts.year.unwrap_or_else(|| {
        mamori_checks::holiday::relevant_year(&ctx).unwrap_or(if as_of.month() <= 2 {
            as_of.year() - 1
        } else {
            as_of.year()
        })
    });
    let p = programme(&ctx, year).ok_or(HolidayError::NoClosure(year))?;
    drop(ctx);
    let log_review = review_logs(folder, &load.site, &p, as_of);
    let mut errors = load.errors;
    for file in &log_review.incomplete {
        errors.push(InputError {
            file: file.clone(),
            line: None,
            column: None,
            value: None,
            message: mamori_model::Localized::new(
                "ログが壊れているか途中で切れているため、休暇期間の確認は一部しかできていません",
                "the log is damaged or truncated: the holiday window was reviewed only in part",
            ),
        });
    }
    Ok(HolidayOutcome {
        report: HolidayReport {
            site_name: load.site.config.name.clone(),
            as_of,
            programme: p,
            log_review,
        },
        errors,
    })
}

/// Runs the hunt engine over `SITE_DIR/logs/`, keeping only events of the closure (its first
/// day 00:00 to the day after its last, Japan time), once the closure has begun.
fn review_logs(folder: &SiteFolder, site: &Site, p: &Programme, as_of: Date) -> LogReview {
    let logs = folder.logs();
    if !logs.is_dir() || as_of < p.start {
        return LogReview {
            available: false,
            files: 0,
            events_in_window: 0,
            findings: Vec::new(),
            incomplete: Vec::new(),
        };
    }
    let zone = tokyo();
    let at = |d: Date| {
        d.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(jiff::Timestamp::MIN)
    };
    let from = at(p.start);
    let to = at(p.end.tomorrow().unwrap_or(p.end));
    let tc = TimeContext {
        zone: zone.clone(),
        reference: as_of,
    };
    let config = HuntConfig::for_site(site.config.clone());
    let opts = ReadOptions {
        within: Some(folder.root().to_owned()),
        ..ReadOptions::new(tc)
    };
    let (input, mut findings, kept) = mamori_hunt::hunt_window(&[logs], &opts, &config, from, to);
    link_to_site(&mut findings, site);
    LogReview {
        available: true,
        files: input.files.len(),
        events_in_window: kept,
        findings,
        incomplete: input
            .files
            .iter()
            .filter(|f| f.is_incomplete())
            .map(|f| folder.relative(std::path::Path::new(&f.file)))
            .collect(),
    }
}
