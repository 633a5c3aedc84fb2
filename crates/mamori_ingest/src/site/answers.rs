//! `checklist.toml` (checklist answers, vendor checklists) and `holiday.toml` (the year-end
//! programme's progress): read with line numbers for every mistake, and written back in the
//! same layout (`mamori checklist` never writes answers, but tools and tests round-trip them).

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;
use mamori_model::Localized;
use mamori_model::SourceRef;
use mamori_model::answers::{
    Answer, ChecklistAnswers, HOLIDAY_STEPS, HolidayRecord, HolidayStep, ItemAnswer, TakenOut,
    VendorChecklist,
};
use mamori_model::catalog::checklist_for;
use mamori_model::input::InputError;
use serde::Deserialize;
use toml::{Spanned, Value};

use crate::value::parse_date;

/// The checklist answers file in the site folder.
pub const CHECKLIST_FILE: &str = "checklist.toml";
/// The year-end programme's record in the site folder.
pub const HOLIDAY_FILE: &str = "holiday.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistToml {
    #[serde(default)]
    answer: Vec<Spanned<AnswerToml>>,
    #[serde(default)]
    bcp: Vec<Spanned<AnswerToml>>,
    #[serde(default)]
    vendor: Vec<Spanned<VendorToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerToml {
    fiscal_year: Option<i16>,
    item: String,
    answer: Option<String>,
    checked_on: Option<Value>,
    checked_by: Option<String>,
    target_date: Option<Value>,
    notes: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorToml {
    vendor: String,
    fiscal_year: i16,
    sent_on: Option<Value>,
    returned_on: Option<Value>,
    file: Option<String>,
    notes: Option<String>,
    #[serde(default)]
    answer: Vec<Spanned<AnswerToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayToml {
    #[serde(default)]
    done: Vec<Spanned<StepToml>>,
    #[serde(default)]
    taken_out: Vec<Spanned<TakenOutToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepToml {
    year: i16,
    step: String,
    done_on: Option<Value>,
    by: Option<String>,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TakenOutToml {
    year: i16,
    device: String,
    person: Option<String>,
    out_on: Option<Value>,
    back_on: Option<Value>,
    #[serde(default)]
    scanned: bool,
}

/// Collects errors with the file's line numbers.
struct Reader<'a> {
    file: &'static str,
    text: &'a str,
    site_dir: &'a Path,
    errors: Vec<InputError>,
}

impl Reader<'_> {
    fn line(&self, offset: usize) -> u64 {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count() as u64
            + 1
    }

    fn error(&mut self, at: usize, column: &str, value: &str, message: Localized) {
        let line = self.line(at);
        self.errors.push(InputError {
            file: self.file.to_owned(),
            line: Some(line),
            column: Some(column.to_owned()),
            value: (!value.is_empty()).then(|| value.to_owned()),
            message,
        });
    }

    fn date(&mut self, at: usize, column: &str, value: Option<&Value>) -> Option<Date> {
        let value = value?;
        let parsed = match value {
            Value::Datetime(dt) => dt
                .date
                .and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok()),
            Value::String(s) => parse_date(s),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                at,
                column,
                &value.to_string(),
                Localized::new(
                    "日付として読めません（例: 2026-06-10）",
                    "not a date (e.g. 2026-06-10)",
                ),
            );
        }
        parsed
    }

    /// A file named in the site data must be inside the site folder and exist.
    fn site_file(&mut self, at: usize, column: &str, path: &str) -> bool {
        let rel = Path::new(path);
        let inside = rel.is_relative()
            && !rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        if !inside {
            self.error(
                at,
                column,
                path,
                Localized::new(
                    "サイトフォルダの中のファイルを、サイトフォルダからの相対パスで書いてください",
                    "name a file inside the site folder, relative to it",
                ),
            );
            return false;
        }
        if !self.site_dir.join(rel).is_file() {
            self.error(
                at,
                column,
                path,
                Localized::new("ファイルが見つかりません", "no such file"),
            );
            return false;
        }
        // Checked after resolving links: `evidence/x.pdf → /etc/shadow` is no evidence.
        if let Some(why) = crate::files::refuse(&self.site_dir.join(rel), self.site_dir) {
            self.error(at, column, path, why);
            return false;
        }
        true
    }

    fn answer(
        &mut self,
        list: &str,
        raw: &Spanned<AnswerToml>,
        fiscal_year: Option<i16>,
    ) -> Option<ItemAnswer> {
        let at = raw.span().start;
        let a = raw.get_ref();
        let Some(fy) = a.fiscal_year.or(fiscal_year) else {
            self.error(
                at,
                "fiscal_year",
                "",
                Localized::new(
                    "年度（fiscal_year、令和8年度なら 2026）がありません",
                    "no fiscal_year (令和8年度 = 2026)",
                ),
            );
            return None;
        };
        let version = checklist_for(list, fy)?;
        let wanted = a.item.trim();
        let Some(item) = version
            .items
            .iter()
            .find(|i| i.key == wanted || i.number == wanted || i.display_number() == wanted)
        else {
            self.error(
                at,
                "item",
                wanted,
                Localized::new(
                    format!(
                        "「{}」にこの項目はありません（項目のキーか番号を書いてください）",
                        version.title
                    ),
                    format!(
                        "no such item in \"{}\" (use the item's key or number)",
                        version.title
                    ),
                ),
            );
            return None;
        };
        let answer = match a.answer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match Answer::parse(s) {
                Some(v) => Some(v),
                None => {
                    self.error(
                        at,
                        "answer",
                        s,
                        Localized::new(
                            "回答は「はい」「いいえ」「対象外」のどれかです",
                            "answer must be はい, いいえ or 対象外 (yes / no / not applicable)",
                        ),
                    );
                    return None;
                }
            },
        };
        let evidence: Vec<String> = a
            .evidence
            .iter()
            .filter(|p| self.site_file(at, "evidence", p))
            .cloned()
            .collect();
        Some(ItemAnswer {
            fiscal_year: fy,
            item: item.key.clone(),
            answer,
            checked_on: self.date(at, "checked_on", a.checked_on.as_ref()),
            checked_by: a.checked_by.clone().unwrap_or_default(),
            target_date: self.date(at, "target_date", a.target_date.as_ref()),
            notes: a.notes.clone().unwrap_or_default(),
            evidence,
            origin: SourceRef::row(self.file, self.line(at)),
        })
    }

    fn answers(
        &mut self,
        list: &str,
        raw: &[Spanned<AnswerToml>],
        fiscal_year: Option<i16>,
    ) -> Vec<ItemAnswer> {
        let mut out: Vec<ItemAnswer> = Vec::new();
        for r in raw {
            let Some(a) = self.answer(list, r, fiscal_year) else {
                continue;
            };
            if out
                .iter()
                .any(|b| b.fiscal_year == a.fiscal_year && b.item == a.item)
            {
                self.error(
                    r.span().start,
                    "item",
                    &a.item,
                    Localized::new(
                        "同じ年度の同じ項目への回答がすでにあります",
                        "this item already has an answer for that fiscal year",
                    ),
                );
                continue;
            }
            out.push(a);
        }
        out
    }
}

fn syntax_error(file: &str, text: &str, e: &toml::de::Error) -> InputError {
    let line = e
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() as u64 + 1);
    InputError {
        file: file.to_owned(),
        line,
        column: None,
        value: None,
        message: crate::toml_text::explain(file, e.message()),
    }
}

/// Reads `checklist.toml`. `vendor_ids` are the ids in the vendors table; evidence files are
/// looked up in `site_dir`. Entries with mistakes are left out and reported; the rest is kept.
pub fn parse_checklist(
    text: &str,
    site_dir: &Path,
    vendor_ids: &[&str],
) -> (ChecklistAnswers, Vec<InputError>) {
    let raw: ChecklistToml = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            return (
                ChecklistAnswers::default(),
                vec![syntax_error(CHECKLIST_FILE, text, &e)],
            );
        }
    };
    let mut r = Reader {
        file: CHECKLIST_FILE,
        text,
        site_dir,
        errors: Vec::new(),
    };
    let institution = r.answers("institution", &raw.answer, None);
    let bcp = r.answers("bcp", &raw.bcp, None);
    let mut vendors: Vec<VendorChecklist> = Vec::new();
    for v in &raw.vendor {
        let at = v.span().start;
        let raw_v = v.get_ref();
        if !vendor_ids.contains(&raw_v.vendor.as_str()) {
            r.error(
                at,
                "vendor",
                &raw_v.vendor,
                Localized::new(
                    "事業者一覧（vendors）にこの事業者 ID がありません",
                    "no vendor with this id in the vendors table",
                ),
            );
            continue;
        }
        if vendors
            .iter()
            .any(|x| x.vendor == raw_v.vendor && x.fiscal_year == raw_v.fiscal_year)
        {
            r.error(
                at,
                "vendor",
                &raw_v.vendor,
                Localized::new(
                    "この事業者の同じ年度の記録がすでにあります",
                    "this vendor already has an entry for that fiscal year",
                ),
            );
            continue;
        }
        let file = raw_v
            .file
            .as_deref()
            .filter(|p| r.site_file(at, "file", p))
            .map(str::to_owned);
        vendors.push(VendorChecklist {
            vendor: raw_v.vendor.clone(),
            fiscal_year: raw_v.fiscal_year,
            sent_on: r.date(at, "sent_on", raw_v.sent_on.as_ref()),
            returned_on: r.date(at, "returned_on", raw_v.returned_on.as_ref()),
            file,
            notes: raw_v.notes.clone().unwrap_or_default(),
            answers: r.answers("vendor", &raw_v.answer, Some(raw_v.fiscal_year)),
            origin: SourceRef::row(CHECKLIST_FILE, r.line(at)),
        });
    }
    (
        ChecklistAnswers {
            institution,
            bcp,
            vendors,
        },
        r.errors,
    )
}

/// Reads `holiday.toml`.
pub fn parse_holiday(text: &str, site_dir: &Path) -> (HolidayRecord, Vec<InputError>) {
    let raw: HolidayToml = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            return (
                HolidayRecord::default(),
                vec![syntax_error(HOLIDAY_FILE, text, &e)],
            );
        }
    };
    let mut r = Reader {
        file: HOLIDAY_FILE,
        text,
        site_dir,
        errors: Vec::new(),
    };
    let mut record = HolidayRecord::default();
    for s in &raw.done {
        let at = s.span().start;
        let raw_s = s.get_ref();
        if !HOLIDAY_STEPS.iter().any(|d| d.key == raw_s.step) {
            let known: Vec<&str> = HOLIDAY_STEPS.iter().map(|d| d.key).collect();
            r.error(
                at,
                "step",
                &raw_s.step,
                Localized::new(
                    format!("この手順はありません（{}）", known.join(", ")),
                    format!("no such step ({})", known.join(", ")),
                ),
            );
            continue;
        }
        record.steps.push(HolidayStep {
            year: raw_s.year,
            step: raw_s.step.clone(),
            done_on: r.date(at, "done_on", raw_s.done_on.as_ref()),
            done_by: raw_s.by.clone().unwrap_or_default(),
            notes: raw_s.notes.clone().unwrap_or_default(),
            origin: SourceRef::row(HOLIDAY_FILE, r.line(at)),
        });
    }
    for t in &raw.taken_out {
        let at = t.span().start;
        let raw_t = t.get_ref();
        record.taken_out.push(TakenOut {
            year: raw_t.year,
            device: raw_t.device.clone(),
            person: raw_t.person.clone().unwrap_or_default(),
            out_on: r.date(at, "out_on", raw_t.out_on.as_ref()),
            back_on: r.date(at, "back_on", raw_t.back_on.as_ref()),
            scanned: raw_t.scanned,
            origin: SourceRef::row(HOLIDAY_FILE, r.line(at)),
        });
    }
    (record, r.errors)
}

/// `checklist.toml` text for `answers`, in the layout [`parse_checklist`] reads.
pub fn checklist_to_toml(answers: &ChecklistAnswers) -> String {
    let mut out = String::new();
    for a in &answers.institution {
        out.push_str("[[answer]]\n");
        write_answer(&mut out, a, true);
        out.push('\n');
    }
    for a in &answers.bcp {
        out.push_str("[[bcp]]\n");
        write_answer(&mut out, a, true);
        out.push('\n');
    }
    for v in &answers.vendors {
        out.push_str("[[vendor]]\n");
        let _ = writeln!(out, "vendor = {}", quote(&v.vendor));
        let _ = writeln!(out, "fiscal_year = {}", v.fiscal_year);
        date_line(&mut out, "sent_on", v.sent_on);
        date_line(&mut out, "returned_on", v.returned_on);
        if let Some(f) = &v.file {
            let _ = writeln!(out, "file = {}", quote(f));
        }
        text_line(&mut out, "notes", &v.notes);
        for a in &v.answers {
            out.push_str("\n[[vendor.answer]]\n");
            write_answer(&mut out, a, false);
        }
        out.push('\n');
    }
    out
}

fn write_answer(out: &mut String, a: &ItemAnswer, with_year: bool) {
    if with_year {
        let _ = writeln!(out, "fiscal_year = {}", a.fiscal_year);
    }
    let _ = writeln!(out, "item = {}", quote(&a.item));
    if let Some(answer) = a.answer {
        let _ = writeln!(out, "answer = {}", quote(answer.as_ja()));
    }
    date_line(out, "checked_on", a.checked_on);
    text_line(out, "checked_by", &a.checked_by);
    date_line(out, "target_date", a.target_date);
    text_line(out, "notes", &a.notes);
    if !a.evidence.is_empty() {
        let list: Vec<String> = a.evidence.iter().map(|e| quote(e)).collect();
        let _ = writeln!(out, "evidence = [{}]", list.join(", "));
    }
}

fn date_line(out: &mut String, key: &str, date: Option<Date>) {
    if let Some(d) = date {
        let _ = writeln!(out, "{key} = {d}");
    }
}

fn text_line(out: &mut String, key: &str, text: &str) {
    if !text.is_empty() {
        let _ = writeln!(out, "{key} = {}", quote(text));
    }
}

fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-hospital")
    }

    fn without_origins(mut a: ChecklistAnswers) -> ChecklistAnswers {
        for x in a.institution.iter_mut().chain(a.bcp.iter_mut()) {
            x.origin = SourceRef::default();
        }
        for v in &mut a.vendors {
            v.origin = SourceRef::default();
            for x in &mut v.answers {
                x.origin = SourceRef::default();
            }
        }
        a
    }

    #[test]
    fn the_demo_checklist_round_trips() {
        let text = std::fs::read_to_string(demo().join(CHECKLIST_FILE)).unwrap();
        let vendors = ["V01", "V02", "V03", "V04", "V05"];
        let (first, errors) = parse_checklist(&text, &demo(), &vendors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(first.institution.len(), 18);
        assert_eq!(first.vendors.len(), 2);
        assert_eq!(first.vendors[0].answers.len(), 3);
        let unneeded = first.institution_answer(2026, "unneeded-accounts").unwrap();
        assert_eq!(unneeded.answer, Some(Answer::Yes));
        assert_eq!(unneeded.checked_on, Some(jiff::civil::date(2026, 6, 15)));
        assert_eq!(
            unneeded.origin.line,
            Some(55),
            "the entry's [[answer]] line"
        );

        let written = checklist_to_toml(&first);
        let (second, errors) = parse_checklist(&written, &demo(), &vendors);
        assert!(errors.is_empty(), "{errors:?}\n{written}");
        assert_eq!(without_origins(second), without_origins(first));
    }

    #[test]
    fn dates_may_be_toml_dates_or_the_ways_people_write_them() {
        let text = "[[answer]]\nfiscal_year = 2026\nitem = \"ledger\"\nanswer = \"いいえ\"\nchecked_on = \"令和8年6月15日\"\ntarget_date = \"2027/1/29\"\n";
        let (a, errors) = parse_checklist(text, &demo(), &[]);
        assert!(errors.is_empty(), "{errors:?}");
        let ledger = &a.institution[0];
        assert_eq!(ledger.checked_on, Some(jiff::civil::date(2026, 6, 15)));
        assert_eq!(ledger.target_date, Some(jiff::civil::date(2027, 1, 29)));
        let (_, errors) = parse_checklist(
            "[[answer]]\nfiscal_year = 2026\nitem = \"ledger\"\nchecked_on = \"そのうち\"\n",
            &demo(),
            &[],
        );
        assert_eq!(errors[0].column.as_deref(), Some("checked_on"));
        let (_, errors) = parse_checklist("[[answer]\n", &demo(), &[]);
        assert_eq!(errors[0].line, Some(1));
    }

    #[test]
    fn the_demo_holiday_record_reads_and_unknown_steps_are_named() {
        let text = std::fs::read_to_string(demo().join(HOLIDAY_FILE)).unwrap();
        let (record, errors) = parse_holiday(&text, &demo());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(record.step(2025, "log-review").is_some());
        assert_eq!(record.taken_out.len(), 1);
        assert!(record.taken_out[0].scanned);
        let (_, errors) = parse_holiday("[[done]]\nyear = 2026\nstep = \"nap\"\n", &demo());
        assert!(
            errors[0].message.ja.contains("contacts-verified"),
            "{errors:?}"
        );
    }
}
