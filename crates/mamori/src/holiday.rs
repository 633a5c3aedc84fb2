//! `mamori holiday SITE_DIR`: the year-end programme is built by `mamori_app::holiday`; here it
//! is rendered as text, Markdown or JSON.

use std::fmt::Write as _;

use mamori_app::holiday::{HolidayError, HolidayOptions, HolidayReport, LogReview};
use mamori_app::{Clock, SiteFolder};
use mamori_checks::holiday::StepState;
use mamori_model::answers::HolidayPhase;
use mamori_model::{Lang, tr};

use crate::Outcome;
use crate::cli::{GlobalArgs, HolidayArgs, HolidayFormat};
use crate::output;

pub fn run(global: &GlobalArgs, args: &HolidayArgs) -> anyhow::Result<Outcome> {
    let lang: Lang = global.lang.into();
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
        HolidayFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            s
        }
        HolidayFormat::Table => render(report, lang, false),
        HolidayFormat::Md => render(report, lang, true),
    };
    match &args.out {
        Some(path) => output::write_file(path, &text)?,
        None => output::stdout(&text)?,
    }
    crate::assess::print_errors(&outcome.errors, lang);
    Ok(if outcome.errors.is_empty() {
        Outcome::Ok
    } else {
        Outcome::InputErrors
    })
}

fn render(r: &HolidayReport, lang: Lang, markdown: bool) -> String {
    let p = &r.programme;
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
