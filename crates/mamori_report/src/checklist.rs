//! `mamori checklist`: the MHLW checklists laid out like the official lists (number, item,
//! target, answer, date checked, target date, evidence and notes) with mamori's observations in
//! a last column — as a terminal table, Markdown, JSON, HTML or an XLSX workbook with one sheet
//! for the institution, one for the BCP 確認表 and one per vendor.

use std::fmt::Write as _;

use jiff::civil::Date;
use mamori_model::site::reiwa;
use mamori_model::{Finding, Lang, Localized, tr};
use serde::Serialize;

/// One row of a sheet, in the order of the official list.
#[derive(Clone, Debug, Serialize)]
pub struct SheetRow {
    /// The item's stable key in mamori's data.
    pub key: String,
    /// The official number (`2-⑥`).
    pub number: String,
    /// False when the number was inferred, not read from the official sheet: the table,
    /// Markdown and HTML mark it `?`; the inspection Excel says so in the notes column.
    pub number_verified: bool,
    /// The list's section.
    pub category: String,
    /// サーバ / 端末PC / ネットワーク機器 / 全般, joined.
    pub targets: Localized,
    /// The item in mamori's words (not the official wording).
    pub item: Localized,
    /// はい / いいえ / 対象外, as recorded.
    pub answer: Option<Localized>,
    /// When it was checked.
    pub checked_on: Option<Date>,
    /// Who checked it.
    pub checked_by: String,
    /// For いいえ: by when it will be done.
    pub target_date: Option<Date>,
    /// Notes as written.
    pub notes: String,
    /// Files in the site folder that back the answer.
    pub evidence_files: Vec<String>,
    /// What mamori's checks see about the item.
    pub observation: Localized,
    /// mamori's suggested answer, for items it can decide; never filled in as the answer.
    pub suggestion: Option<Localized>,
    /// The answer contradicts the checks.
    pub contradicted: bool,
}

/// The vendor a 事業者確認用 sheet is for.
#[derive(Clone, Debug, Serialize)]
pub struct SheetVendor {
    /// The vendor's id in the vendors table.
    pub id: String,
    /// The vendor's name.
    pub name: String,
    /// When the list was sent to the vendor.
    pub sent_on: Option<Date>,
    /// When it came back.
    pub returned_on: Option<Date>,
    /// The returned file, in the site folder.
    pub file: Option<String>,
}

/// One sheet: a list for one fiscal year (the institution, the BCP, or one vendor).
#[derive(Clone, Debug, Serialize)]
pub struct ChecklistSheet {
    /// `institution`, `bcp` or `vendor`.
    pub list: String,
    /// The sheet's tab name.
    pub name: String,
    /// The version's title (令和N年度版).
    pub title: String,
    /// For a vendor sheet: whom it is for and where it stands.
    pub vendor: Option<SheetVendor>,
    /// The list's items, in official order.
    pub rows: Vec<SheetRow>,
}

/// Everything `mamori checklist` shows: every sheet of the fiscal year.
#[derive(Clone, Debug, Serialize)]
pub struct ChecklistReport {
    /// The institution's name.
    pub site_name: String,
    /// The fiscal year (令和8年度 = 2026).
    pub fiscal_year: i16,
    /// The evaluation day.
    pub as_of: Date,
    /// The institution sheet, the BCP sheet, then one per vendor.
    pub sheets: Vec<ChecklistSheet>,
    /// `checklist.*` and `vendor.checklist-missing` findings of the same run.
    pub findings: Vec<Finding>,
}

fn cell(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn heading(r: &ChecklistReport, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{} — 令和{}年度（{}年度）チェックリスト（{} 時点）",
            r.site_name,
            reiwa(r.fiscal_year),
            r.fiscal_year,
            r.as_of
        ),
        Lang::En => format!(
            "{} — MHLW checklists, FY{} (as of {})",
            r.site_name, r.fiscal_year, r.as_of
        ),
    }
}

fn vendor_line(v: &SheetVendor, lang: Lang) -> String {
    format!(
        "{} {}（{}）: {} {} / {} {}{}",
        tr(lang, "事業者", "Vendor"),
        v.name,
        v.id,
        tr(lang, "送付", "sent"),
        if v.sent_on.is_some() {
            cell(v.sent_on)
        } else {
            "-".into()
        },
        tr(lang, "回収", "returned"),
        if v.returned_on.is_some() {
            cell(v.returned_on)
        } else {
            tr(lang, "未回収", "not yet").into()
        },
        v.file
            .as_ref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default()
    )
}

fn answer_text(row: &SheetRow, lang: Lang) -> String {
    row.answer
        .as_ref()
        .map(|a| a.get(lang).to_owned())
        .unwrap_or_else(|| tr(lang, "未回答", "—").to_owned())
}

/// A table per sheet, for a terminal.
pub fn render_checklist_table(r: &ChecklistReport, lang: Lang) -> String {
    let mut out = String::new();
    let w = &mut out;
    writeln!(w, "{}", heading(r, lang)).unwrap();
    for sheet in &r.sheets {
        writeln!(w, "\n■ {}  {}", sheet.name, sheet.title).unwrap();
        if let Some(v) = &sheet.vendor {
            writeln!(w, "  {}", vendor_line(v, lang)).unwrap();
        }
        for row in &sheet.rows {
            let mark = if row.contradicted { "⚠ " } else { "  " };
            writeln!(
                w,
                "{mark}{:<7} {:<6} {:<10} {:<10} {}",
                shown_number(row),
                answer_text(row, lang),
                cell(row.checked_on),
                cell(row.target_date),
                row.item.get(lang)
            )
            .unwrap();
            let mut notes = vec![row.observation.get(lang).to_owned()];
            if let Some(s) = &row.suggestion {
                notes.push(format!(
                    "{}: {}",
                    tr(lang, "mamori の提案", "mamori suggests"),
                    s.get(lang)
                ));
            }
            notes.retain(|n| !n.is_empty());
            if !notes.is_empty() {
                writeln!(w, "           └ {}", notes.join(" / ")).unwrap();
            }
        }
    }
    if !r.findings.is_empty() {
        writeln!(w, "\n{}", tr(lang, "■ 指摘", "■ Findings")).unwrap();
        for f in &r.findings {
            writeln!(
                w,
                "  [{}] {} {}",
                f.severity.label(lang),
                f.rule_id,
                f.message.get(lang)
            )
            .unwrap();
        }
    }
    writeln!(
        w,
        "\n{}",
        tr(
            lang,
            "回答は checklist.toml に記録します（docs/checklist.md）。mamori の提案は回答として記録されません。",
            "Answers are recorded in checklist.toml (docs/checklist.md); mamori's suggestions are never recorded as answers.",
        )
    )
    .unwrap();
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn columns(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Ja => [
            "番号",
            "項目",
            "対象",
            "回答",
            "確認日",
            "確認者",
            "目標日",
            "根拠資料・備考",
            "mamori の確認結果",
        ],
        Lang::En => [
            "No.",
            "Item",
            "Target",
            "Answer",
            "Checked",
            "By",
            "Target date",
            "Evidence / notes",
            "mamori's observation",
        ],
    }
}

fn evidence_notes(row: &SheetRow) -> String {
    let mut parts = row.evidence_files.clone();
    if !row.notes.is_empty() {
        parts.push(row.notes.clone());
    }
    parts.join(" / ")
}

/// The number as the table, Markdown and HTML show it: `?` when inferred.
pub(crate) fn shown_number(row: &SheetRow) -> String {
    if row.number_verified {
        row.number.clone()
    } else {
        format!("{}?", row.number)
    }
}

/// The inspection Excel's notes column: the uncertainty of an inferred number goes here, not
/// into the number an inspector compares with the official list.
fn xlsx_notes(row: &SheetRow, lang: Lang) -> String {
    let mut notes = evidence_notes(row);
    if !row.number_verified {
        if !notes.is_empty() {
            notes.push_str(" / ");
        }
        notes.push_str(match lang {
            Lang::Ja => "番号は今年度の様式から推定（公式の様式で確認してください）",
            Lang::En => "number inferred from this year's list (check against the official form)",
        });
    }
    notes
}

fn observation_cell(row: &SheetRow, lang: Lang) -> String {
    let mut s = row.observation.get(lang).to_owned();
    if let Some(sug) = &row.suggestion {
        if !s.is_empty() {
            s.push_str(" / ");
        }
        s.push_str(&format!(
            "{}: {}",
            tr(lang, "提案", "suggests"),
            sug.get(lang)
        ));
    }
    s
}

/// The checklists as Markdown, one section per sheet.
pub fn render_checklist_markdown(r: &ChecklistReport, lang: Lang) -> String {
    let mut out = String::new();
    let w = &mut out;
    writeln!(w, "# {}\n", heading(r, lang)).unwrap();
    for sheet in &r.sheets {
        writeln!(w, "## {} — {}\n", sheet.name, sheet.title).unwrap();
        if let Some(v) = &sheet.vendor {
            writeln!(w, "{}\n", vendor_line(v, lang)).unwrap();
        }
        writeln!(w, "| {} |", columns(lang).join(" | ")).unwrap();
        writeln!(w, "|{}", "---|".repeat(9)).unwrap();
        for row in &sheet.rows {
            let answer = if row.contradicted {
                format!("**{}** ⚠", answer_text(row, lang))
            } else {
                answer_text(row, lang)
            };
            let cells = [
                shown_number(row),
                row.item.get(lang).to_owned(),
                row.targets.get(lang).to_owned(),
                answer,
                cell(row.checked_on),
                row.checked_by.clone(),
                cell(row.target_date),
                evidence_notes(row),
                observation_cell(row, lang),
            ];
            let cells: Vec<String> = cells.iter().map(|c| md_escape(c)).collect();
            writeln!(w, "| {} |", cells.join(" | ")).unwrap();
        }
        writeln!(w).unwrap();
    }
    if !r.findings.is_empty() {
        writeln!(w, "## {}\n", tr(lang, "指摘", "Findings")).unwrap();
        for f in &r.findings {
            writeln!(
                w,
                "- **{}** `{}` {}",
                f.severity.label(lang),
                f.rule_id,
                md_escape(f.message.get(lang))
            )
            .unwrap();
        }
    }
    out
}

/// The checklists as one JSON document.
pub fn render_checklist_json(r: &ChecklistReport) -> String {
    let mut s = serde_json::to_string_pretty(r).expect("checklist report serialises");
    s.push('\n');
    s
}

/// A workbook ready to print or hand to the inspector: one sheet per list (institution, BCP,
/// each vendor), header block with the site, fiscal year and the vendor's dates.
pub fn render_checklist_xlsx(
    r: &ChecklistReport,
    lang: Lang,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let body = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let flagged = body.clone().set_background_color("#FCE4D6").set_bold();
    let mut used = Vec::new();
    for sheet in &r.sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&sheet.name, &mut used))?;
        ws.write_string_with_format(0, 0, &sheet.title, &title)?;
        ws.write_string_with_format(1, 0, heading(r, lang), &bold)?;
        let mut row = 2u32;
        if let Some(v) = &sheet.vendor {
            ws.write_string(row, 0, vendor_line(v, lang))?;
            row += 1;
        }
        row += 1;
        for (c, h) in columns(lang).iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &head)?;
        }
        ws.set_freeze_panes(row + 1, 0)?;
        for item in &sheet.rows {
            row += 1;
            let answer_fmt = if item.contradicted { &flagged } else { &body };
            let cells = [
                item.number.clone(),
                item.item.get(lang).to_owned(),
                item.targets.get(lang).to_owned(),
                item.answer
                    .as_ref()
                    .map(|a| a.get(lang).to_owned())
                    .unwrap_or_default(),
                cell(item.checked_on),
                item.checked_by.clone(),
                cell(item.target_date),
                xlsx_notes(item, lang),
                observation_cell(item, lang),
            ];
            for (c, text) in cells.iter().enumerate() {
                let fmt = if c == 3 { answer_fmt } else { &body };
                ws.write_string_with_format(row, c as u16, text, fmt)?;
            }
        }
        for (c, width) in [8, 48, 14, 8, 12, 14, 12, 30, 48].iter().enumerate() {
            ws.set_column_width(c as u16, *width)?;
        }
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 4)?;
    }
    book.save_to_buffer()
}

struct SheetHtml {
    name: String,
    title: String,
    vendor: String,
    rows: Vec<Vec<String>>,
    flagged: Vec<bool>,
}

#[derive(askama::Template)]
#[template(path = "checklist.html")]
struct ChecklistHtml {
    lang: &'static str,
    heading: String,
    columns: [&'static str; 9],
    sheets: Vec<SheetHtml>,
    findings_label: &'static str,
    findings: Vec<String>,
    footer: &'static str,
}

/// One self-contained, printable page (one section per sheet); askama escapes every value.
pub fn render_checklist_html(r: &ChecklistReport, lang: Lang) -> String {
    use askama::Template;
    let page = ChecklistHtml {
        lang: match lang {
            Lang::Ja => "ja",
            Lang::En => "en",
        },
        heading: heading(r, lang),
        columns: columns(lang),
        sheets: r
            .sheets
            .iter()
            .map(|s| SheetHtml {
                name: s.name.clone(),
                title: s.title.clone(),
                vendor: s
                    .vendor
                    .as_ref()
                    .map(|v| vendor_line(v, lang))
                    .unwrap_or_default(),
                rows: s
                    .rows
                    .iter()
                    .map(|row| {
                        vec![
                            shown_number(row),
                            row.item.get(lang).to_owned(),
                            row.targets.get(lang).to_owned(),
                            answer_text(row, lang),
                            cell(row.checked_on),
                            row.checked_by.clone(),
                            cell(row.target_date),
                            evidence_notes(row),
                            observation_cell(row, lang),
                        ]
                    })
                    .collect(),
                flagged: s.rows.iter().map(|row| row.contradicted).collect(),
            })
            .collect(),
        findings_label: tr(lang, "指摘", "Findings"),
        findings: r
            .findings
            .iter()
            .map(|f| {
                format!(
                    "[{}] {} {}",
                    f.severity.label(lang),
                    f.rule_id,
                    f.message.get(lang)
                )
            })
            .collect(),
        footer: tr(
            lang,
            "mamori — 回答は checklist.toml の記録です。mamori の提案は回答として記録されません。",
            "mamori — answers are as recorded in checklist.toml; mamori's suggestions are never recorded as answers.",
        ),
    };
    page.render().expect("the checklist template renders")
}

/// Excel's tab names: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut candidate = clean.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{clean}_{n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

/// The checklist section of the assess HTML report: the institution sheet only.
#[derive(Clone, Debug, Serialize)]
pub struct ChecklistSection {
    /// The list's title (its version).
    pub title: String,
    /// The fiscal year.
    pub fiscal_year: i16,
    /// The list's items with answers and observations.
    pub rows: Vec<SheetRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excels_rules() {
        let mut used = Vec::new();
        assert_eq!(
            sheet_name("事業者確認用 V01/保守", &mut used),
            "事業者確認用 V01_保守"
        );
        assert_eq!(
            sheet_name("事業者確認用 V01/保守", &mut used),
            "事業者確認用 V01_保守_2"
        );
        let long = "あ".repeat(40);
        assert!(sheet_name(&long, &mut used).chars().count() <= 31);
    }
}
