//! `mamori holiday`: the year-end programme and the log review of the closure, as text,
//! Markdown or JSON.

use std::fmt::Write as _;

use jiff::civil::Date;
use mamori_model::answers::HolidayPhase;
use mamori_model::programme::{Programme, StepState};
use mamori_model::{Finding, Lang, tr};
use serde::Serialize;

/// What the hunt engine found in the holiday window's logs.
#[derive(Debug, Serialize)]
pub struct LogReview {
    /// Whether the review ran (the closure has begun and `logs/` exists).
    pub available: bool,
    /// Log files read.
    pub files: usize,
    /// Events inside the closure.
    pub events_in_window: u64,
    /// Detections over those events.
    pub findings: Vec<Finding>,
    /// Files read only in part (damaged, truncated): the review is incomplete without them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
}

/// The programme of one closure, with its log review.
#[derive(Debug, Serialize)]
pub struct HolidayReport {
    /// The institution's name.
    pub site_name: String,
    /// The evaluation day.
    pub as_of: Date,
    /// The dated steps and their states.
    #[serde(flatten)]
    pub programme: Programme,
    /// The closure's logs.
    pub log_review: LogReview,
}

/// The programme as text (`markdown`: as Markdown), with the log review under its step.
pub fn render_holiday(r: &HolidayReport, lang: Lang, markdown: bool) -> String {
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
