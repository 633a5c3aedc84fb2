//! Answers and steps recorded from the dashboard, written back into the site folder's own
//! files (`checklist.toml`, `holiday.toml`): edited in place with `toml_edit`, so people's
//! comments and layout stay, and written atomically, so a crash leaves the old file whole.

use std::path::Path;

use anyhow::Context;
use jiff::civil::Date;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::SiteFolder;

/// One checklist answer to record (`[[answer]]`, `[[bcp]]` for the BCP list, or
/// `[[vendor.answer]]` under the vendor's `[[vendor]]` of that fiscal year).
pub struct AnswerInput {
    /// `answer` (the MHLW 医療機関確認用), `bcp`, or `vendor` (事業者確認用).
    pub list: &'static str,
    /// The vendor id, for the vendor list.
    pub vendor: Option<String>,
    /// The fiscal year.
    pub fiscal_year: i16,
    /// The item key (`unneeded-accounts`).
    pub item: String,
    /// はい / いいえ.
    pub answer: String,
    /// The day it was checked.
    pub checked_on: Date,
    /// Who checked.
    pub checked_by: String,
    /// Notes (replace the item's notes; empty removes them).
    pub notes: String,
    /// An evidence file (relative to the site folder) to add to the item's list.
    pub evidence: Option<String>,
}

fn read_doc(path: &Path) -> anyhow::Result<DocumentMut> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    text.parse::<DocumentMut>()
        .with_context(|| format!("{} is not valid TOML", path.display()))
}

fn tables<'d>(doc: &'d mut DocumentMut, key: &str) -> anyhow::Result<&'d mut ArrayOfTables> {
    doc.entry(key)
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .with_context(|| format!("`{key}` is not a list of [[{key}]] tables"))
}

fn toml_date(d: Date) -> toml_edit::Value {
    let date = toml_edit::Date {
        year: d.year().cast_unsigned(),
        month: d.month().cast_unsigned(),
        day: d.day().cast_unsigned(),
    };
    toml_edit::Value::from(toml_edit::Datetime {
        date: Some(date),
        time: None,
        offset: None,
    })
}

/// Records an answer: the `[[answer]]` of that fiscal year and item is updated (its other
/// keys and comments kept), or a new one appended. Returns the previous answer, if any.
pub fn record_answer(folder: &SiteFolder, a: &AnswerInput) -> anyhow::Result<Option<String>> {
    let path = folder.root().join("checklist.toml");
    let mut doc = read_doc(&path)?;
    let fy = i64::from(a.fiscal_year);
    let list = match &a.vendor {
        Some(vendor) => vendor_answers(&mut doc, vendor, fy)?,
        None => tables(&mut doc, a.list)?,
    };
    // Under a [[vendor]] the fiscal year is the vendor table's.
    let same_year = |t: &Table| {
        a.vendor.is_some() || t.get("fiscal_year").and_then(Item::as_integer) == Some(fy)
    };
    let existing = list
        .iter_mut()
        .find(|t| same_year(t) && t.get("item").and_then(Item::as_str) == Some(a.item.as_str()));
    let before = existing
        .as_ref()
        .and_then(|t| t.get("answer").and_then(Item::as_str).map(str::to_owned));
    let table = match existing {
        Some(t) => t,
        None => {
            let mut t = Table::new();
            if a.vendor.is_none() {
                t.insert("fiscal_year", value(fy));
            }
            t.insert("item", value(a.item.as_str()));
            list.push(t);
            list.iter_mut().last().expect("just pushed")
        }
    };
    table.insert("answer", value(a.answer.as_str()));
    table.insert("checked_on", Item::Value(toml_date(a.checked_on)));
    table.insert("checked_by", value(a.checked_by.as_str()));
    if a.notes.is_empty() {
        table.remove("notes");
    } else {
        table.insert("notes", value(a.notes.as_str()));
    }
    if let Some(file) = &a.evidence {
        let evidence = table
            .entry("evidence")
            .or_insert(value(toml_edit::Array::new()))
            .as_array_mut()
            .context("`evidence` is not a list")?;
        if !evidence.iter().any(|v| v.as_str() == Some(file.as_str())) {
            evidence.push(file.as_str());
        }
    }
    crate::write_atomic(&path, doc.to_string().as_bytes())?;
    Ok(before)
}

/// The `[[vendor.answer]]` list of the vendor's `[[vendor]]` for the fiscal year (made when
/// there is none).
fn vendor_answers<'d>(
    doc: &'d mut DocumentMut,
    vendor: &str,
    fy: i64,
) -> anyhow::Result<&'d mut ArrayOfTables> {
    let vendors = tables(doc, "vendor")?;
    let at = vendors.iter().position(|t| {
        t.get("vendor").and_then(Item::as_str) == Some(vendor)
            && t.get("fiscal_year").and_then(Item::as_integer) == Some(fy)
    });
    let at = match at {
        Some(i) => i,
        None => {
            let mut t = Table::new();
            t.insert("vendor", value(vendor));
            t.insert("fiscal_year", value(fy));
            vendors.push(t);
            vendors.len() - 1
        }
    };
    let table = vendors.get_mut(at).expect("found or pushed");
    table
        .entry("answer")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .context("`answer` under [[vendor]] is not a list of [[vendor.answer]] tables")
}

/// One step of the year-end programme done (`[[done]]` in `holiday.toml`).
pub struct StepInput {
    /// The year the closure starts in.
    pub year: i16,
    /// The step key (`backup-offline`).
    pub step: String,
    /// When.
    pub done_on: Date,
    /// Who.
    pub by: String,
    /// Notes.
    pub notes: String,
}

/// Records a programme step as done (appended; an earlier record of the same step is kept).
pub fn record_step(folder: &SiteFolder, s: &StepInput) -> anyhow::Result<()> {
    let path = folder.root().join("holiday.toml");
    let mut doc = read_doc(&path)?;
    let mut t = Table::new();
    t.insert("year", value(i64::from(s.year)));
    t.insert("step", value(s.step.as_str()));
    t.insert("done_on", Item::Value(toml_date(s.done_on)));
    t.insert("by", value(s.by.as_str()));
    if !s.notes.is_empty() {
        t.insert("notes", value(s.notes.as_str()));
    }
    tables(&mut doc, "done")?.push(t);
    crate::write_atomic(&path, doc.to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(text: &str) -> (tempfile::TempDir, SiteFolder) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("checklist.toml"), text).unwrap();
        let folder = SiteFolder::new(dir.path());
        (dir, folder)
    }

    fn answer(item: &str, answer: &str) -> AnswerInput {
        AnswerInput {
            list: "answer",
            vendor: None,
            fiscal_year: 2026,
            item: item.into(),
            answer: answer.into(),
            checked_on: jiff::civil::date(2026, 12, 5),
            checked_by: "高橋".into(),
            notes: String::new(),
            evidence: Some("evidence/2026/a.pdf".into()),
        }
    }

    #[test]
    fn an_answer_updates_its_entry_and_keeps_comments() {
        let text = "# 回答（コメントは残る）\n[[answer]]\nfiscal_year = 2026\nitem = \"ledger\"\nanswer = \"いいえ\" # 整備中\ntarget_date = 2027-01-29\n\n[[answer]]\nfiscal_year = 2025\nitem = \"ledger\"\nanswer = \"いいえ\"\n";
        let (dir, folder) = folder_with(text);
        let before = record_answer(&folder, &answer("ledger", "はい")).unwrap();
        assert_eq!(before.as_deref(), Some("いいえ"));
        let out = std::fs::read_to_string(dir.path().join("checklist.toml")).unwrap();
        assert!(out.starts_with("# 回答（コメントは残る）\n"), "{out}");
        assert!(out.contains("target_date = 2027-01-29"), "{out}");
        assert!(out.contains("checked_on = 2026-12-05"), "{out}");
        assert_eq!(out.matches("answer = \"はい\"").count(), 1, "{out}");
        // The other fiscal year is untouched.
        assert_eq!(out.matches("answer = \"いいえ\"").count(), 1, "{out}");
        let parsed: DocumentMut = out.parse().unwrap();
        assert_eq!(parsed["answer"].as_array_of_tables().unwrap().len(), 2);
    }

    #[test]
    fn a_vendor_answer_goes_under_its_vendor_and_year() {
        let text = "[[vendor]]\nvendor = \"V01\"\nfiscal_year = 2026\nsent_on = 2026-05-01\n\n[[vendor.answer]]\nitem = \"two-factor\"\nanswer = \"いいえ\"\n\n[[vendor]]\nvendor = \"V01\"\nfiscal_year = 2025\n";
        let (dir, folder) = folder_with(text);
        let mut a = answer("two-factor", "はい");
        a.list = "vendor";
        a.vendor = Some("V01".into());
        assert_eq!(
            record_answer(&folder, &a).unwrap().as_deref(),
            Some("いいえ")
        );
        a.item = "security-patches".into();
        a.vendor = Some("V02".into());
        assert_eq!(record_answer(&folder, &a).unwrap(), None);
        let out = std::fs::read_to_string(dir.path().join("checklist.toml")).unwrap();
        let doc: DocumentMut = out.parse().unwrap();
        let vendors = doc["vendor"].as_array_of_tables().unwrap();
        assert_eq!(vendors.len(), 3, "{out}");
        let v01 = vendors.get(0).unwrap();
        assert_eq!(v01["answer"].as_array_of_tables().unwrap().len(), 1);
        assert_eq!(
            v01["answer"].as_array_of_tables().unwrap().get(0).unwrap()["answer"].as_str(),
            Some("はい")
        );
        assert!(
            vendors.get(1).unwrap().get("answer").is_none(),
            "the other year untouched"
        );
        assert_eq!(vendors.get(2).unwrap()["vendor"].as_str(), Some("V02"));
        assert!(
            !out.contains("fiscal_year = 2026\nitem"),
            "no fiscal year inside vendor answers: {out}"
        );
    }

    #[test]
    fn a_new_item_is_appended_with_its_evidence() {
        let (dir, folder) = folder_with("# empty\n");
        assert_eq!(
            record_answer(&folder, &answer("mds-sds", "はい")).unwrap(),
            None
        );
        record_answer(&folder, &answer("mds-sds", "はい")).unwrap();
        let out = std::fs::read_to_string(dir.path().join("checklist.toml")).unwrap();
        assert_eq!(out.matches("[[answer]]").count(), 1, "{out}");
        assert_eq!(out.matches("evidence/2026/a.pdf").count(), 1, "{out}");
    }
}
