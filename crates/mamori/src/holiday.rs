//! `mamori holiday SITE_DIR [--year]`: the year-end programme with its dates and each step's
//! state, and a review of exactly the holiday window's logs by the hunt engine.

use std::fmt::Write as _;
use std::path::Path;

use mamori_checks::holiday::{Programme, StepState, programme};
use mamori_checks::{CheckContext, link::link_to_site};
use mamori_hunt::{HuntConfig, ReadOptions, TimeContext};
use mamori_model::answers::HolidayPhase;
use mamori_model::{Finding, Lang, tr};
use serde::Serialize;

use crate::Outcome;
use crate::cli::{GlobalArgs, HolidayArgs, HolidayFormat};
use crate::output;

/// What the hunt engine found in the holiday window's logs.
#[derive(Serialize)]
struct LogReview {
    available: bool,
    files: usize,
    events_in_window: u64,
    findings: Vec<Finding>,
}

#[derive(Serialize)]
struct HolidayReport<'a> {
    site_name: &'a str,
    as_of: jiff::civil::Date,
    #[serde(flatten)]
    programme: &'a Programme,
    log_review: LogReview,
}

pub fn run(global: &GlobalArgs, args: &HolidayArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
    let as_of = args.as_of.unwrap_or_else(crate::assess::today_in_tokyo);
    let Some(load) = crate::assess::load_site_or_report(&args.site_dir, as_of, lang) else {
        return Ok(Outcome::InputErrors);
    };
    let ctx = CheckContext::new(&load.site, as_of);
    // The closure still ahead this year, or the one just over in January.
    let year = args.year.unwrap_or_else(|| {
        mamori_checks::holiday::relevant_year(&ctx).unwrap_or(if as_of.month() <= 2 {
            as_of.year() - 1
        } else {
            as_of.year()
        })
    });
    let Some(p) = programme(&ctx, year) else {
        anyhow::bail!("site.toml: the year-end closure of {year} is not a valid date range");
    };
    let review = review_logs(&args.site_dir, &load.site, &p, as_of);
    let report = HolidayReport {
        site_name: &load.site.config.name,
        as_of,
        programme: &p,
        log_review: review,
    };
    let text = match args.format {
        HolidayFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
        HolidayFormat::Table => render(&report, lang, false),
        HolidayFormat::Md => render(&report, lang, true),
    };
    match &args.out {
        Some(path) => output::write_file(path, &text)?,
        None => output::stdout(&text)?,
    }
    for e in &load.errors {
        output::error(&e.describe(lang));
    }
    Ok(if load.errors.is_empty() {
        Outcome::Ok
    } else {
        Outcome::InputErrors
    })
}

/// Runs the hunt engine over `SITE_DIR/logs/`, keeping only events of the closure (its first
/// day 00:00 to the day after its last, Japan time), once the closure has begun.
fn review_logs(
    site_dir: &Path,
    site: &mamori_model::site::Site,
    p: &Programme,
    as_of: jiff::civil::Date,
) -> LogReview {
    let logs = site_dir.join("logs");
    if !logs.is_dir() || as_of < p.start {
        return LogReview {
            available: false,
            files: 0,
            events_in_window: 0,
            findings: Vec::new(),
        };
    }
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let at = |d: jiff::civil::Date| {
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
        within: logs.parent().map(Path::to_owned),
        ..ReadOptions::new(tc)
    };
    let (input, mut findings, kept) = mamori_hunt::hunt_window(&[logs], &opts, &config, from, to);
    link_to_site(&mut findings, site);
    LogReview {
        available: true,
        files: input.files.len(),
        events_in_window: kept,
        findings,
    }
}

fn render(r: &HolidayReport, lang: Lang, markdown: bool) -> String {
    let p = r.programme;
    let mut out = String::new();
    let w = &mut out;
    let h = if markdown { "## " } else { "■ " };
    let title = match lang {
        Lang::Ja => format!(
            "{} — 年末年始の対策 {}〜{}（評価日 {}）",
            r.site_name, p.start, p.end, r.as_of
        ),
        Lang::En => format!(
            "{} — year-end holiday programme, {} to {} (as of {})",
            r.site_name, p.start, p.end, r.as_of
        ),
    };
    writeln!(w, "{}{title}", if markdown { "# " } else { "" }).unwrap();
    for phase in [
        HolidayPhase::Before,
        HolidayPhase::During,
        HolidayPhase::After,
    ] {
        writeln!(w, "\n{h}{}", phase.label().get(lang)).unwrap();
        for s in p.steps.iter().filter(|s| s.phase == phase) {
            let mark = match s.state {
                StepState::Done | StepState::Ok => "✓",
                StepState::Problem => "⚠",
                StepState::Todo => "□",
                StepState::NotYet => "・",
            };
            let line = format!(
                "{mark} [{}] {} {} — {}",
                s.state.label().get(lang),
                tr(lang, "期限", "due"),
                s.due,
                s.summary.get(lang)
            );
            if markdown {
                writeln!(w, "- {line}").unwrap();
            } else {
                writeln!(w, "  {line}").unwrap();
            }
            let detail = s.detail.get(lang);
            if !detail.is_empty() {
                writeln!(w, "      {detail}").unwrap();
            }
            for subject in s.subjects.iter().take(10) {
                writeln!(w, "        - {subject}").unwrap();
            }
            if s.subjects.len() > 10 {
                writeln!(
                    w,
                    "        - … {} {}",
                    s.subjects.len() - 10,
                    tr(lang, "件", "more")
                )
                .unwrap();
            }
            if s.key == "log-review" {
                log_lines(w, &r.log_review, lang);
            }
        }
    }
    writeln!(
        w,
        "\n{}",
        tr(
            lang,
            "済んだ手順は holiday.toml に記録してください（docs/checklist.md）。",
            "Record finished steps in holiday.toml (docs/checklist.md).",
        )
    )
    .unwrap();
    out
}

fn log_lines(w: &mut String, review: &LogReview, lang: Lang) {
    if !review.available {
        writeln!(
            w,
            "      {}",
            tr(
                lang,
                "ログの確認: 休暇が始まってから、SITE_DIR/logs/ のログを休暇期間に絞って調べます（ログがなければ実行しません）",
                "log review: once the holiday has begun, the logs in SITE_DIR/logs/ are hunted for exactly the holiday window (not run without logs)",
            )
        )
        .unwrap();
        return;
    }
    writeln!(
        w,
        "      {}: {} {} / {} {} / {} {}",
        tr(lang, "休暇期間のログ", "holiday-window logs"),
        review.files,
        tr(lang, "ファイル", "files"),
        review.events_in_window,
        tr(lang, "イベント", "events"),
        review.findings.len(),
        tr(lang, "件の指摘", "findings")
    )
    .unwrap();
    for f in review.findings.iter().take(10) {
        writeln!(
            w,
            "        - [{}] {} {}",
            f.severity.label(lang),
            f.rule_id,
            f.message.get(lang)
        )
        .unwrap();
    }
}
