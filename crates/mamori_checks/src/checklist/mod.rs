//! The MHLW checklists as a living record: each item's attested answer (`checklist.toml`) next
//! to what mamori's own checks see. These rules run after every other rule, because an answer
//! is judged against their findings (see [`crate::CheckContext::earlier_findings`]).

pub mod contradiction;
pub mod no_target_date;
pub mod unanswered;

use std::collections::BTreeMap;

use jiff::civil::Date;
use mamori_model::answers::{Answer, ItemAnswer};
use mamori_model::catalog::{Checklist, ChecklistItem, checklist_for};
pub use mamori_model::site::reiwa;
use mamori_model::site::{Site, fiscal_year};
use mamori_model::{Finding, Subject, SubjectKind};
use serde::Serialize;

use crate::CheckContext;

/// One item for one fiscal year: the answer on record and what mamori's checks say.
#[derive(Clone, Debug, Serialize)]
pub struct ItemObservation<'a> {
    /// The checklist item.
    pub item: &'static ChecklistItem,
    /// The site's answer for the fiscal year, if recorded.
    pub answer: Option<&'a ItemAnswer>,
    /// Findings of the item's `contradicted_by` rules: rule id → subjects.
    pub firing: BTreeMap<String, Vec<String>>,
    /// What mamori would answer, for items it can decide (`evidence = "auto"`) when it has the
    /// data; never written into the answers.
    pub suggestion: Option<Answer>,
    /// What the item's checks need and the site lacks: tables (`assets`…), gateway
    /// configurations (`configs`) or vulnerability data (`feeds`). A check with nothing to
    /// read proves nothing, so an item with missing inputs is never "no findings".
    pub missing_inputs: Vec<String>,
}

/// Every item of `list` for `fiscal_year`, observed against `findings`. `vuln_loaded`: whether
/// the run had vulnerability data to match.
pub fn observe<'a>(
    site: &'a Site,
    findings: &[Finding],
    list: &'static Checklist,
    answers: &'a [ItemAnswer],
    fiscal_year: i16,
    vuln_loaded: bool,
) -> Vec<ItemObservation<'a>> {
    list.items
        .iter()
        .map(|item| {
            let mut firing: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for f in findings
                .iter()
                .filter(|f| item.contradicted_by.contains(&f.rule_id))
            {
                let name = if f.subject.name.is_empty() {
                    f.subject.key.clone()
                } else {
                    f.subject.name.clone()
                };
                firing.entry(f.rule_id.clone()).or_default().push(name);
            }
            let mut missing_inputs: Vec<String> = item
                .needs
                .iter()
                .filter(|t| !has_table(site, t))
                .cloned()
                .collect();
            // The rules' own inputs: a gateway rule reads configurations, a vulnerability rule
            // reads feeds; without them their silence says nothing.
            for rule in &item.contradicted_by {
                let missing = match rule.split('.').next() {
                    Some("gateway") if site.gateways.is_empty() => Some("configs"),
                    Some("vuln") if !vuln_loaded => Some("feeds"),
                    _ => None,
                };
                if let Some(input) = missing
                    && !missing_inputs.iter().any(|m| m == input)
                {
                    missing_inputs.push(input.to_owned());
                }
            }
            let suggestion = if item.evidence != "auto" {
                None
            } else if !firing.is_empty() {
                Some(Answer::No)
            } else if missing_inputs.is_empty() && !item.contradicted_by.is_empty() {
                Some(Answer::Yes)
            } else {
                None
            };
            ItemObservation {
                item,
                answer: answers
                    .iter()
                    .find(|a| a.fiscal_year == fiscal_year && a.item == item.key),
                firing,
                suggestion,
                missing_inputs,
            }
        })
        .collect()
}

/// The first three subjects, and "…" when there are more.
pub fn sample(subjects: &[String]) -> String {
    let shown: Vec<&str> = subjects.iter().take(3).map(String::as_str).collect();
    let more = if subjects.len() > 3 { " …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

fn has_table(site: &Site, table: &str) -> bool {
    match table {
        "assets" => !site.assets.is_empty(),
        "vendors" => !site.vendors.is_empty(),
        "connections" => !site.connections.is_empty(),
        "accounts" => !site.accounts.is_empty(),
        "staff" => !site.staff.is_empty(),
        "contacts" => !site.contacts.is_empty(),
        "backups" => !site.backups.is_empty(),
        "bcp" => !site.bcp.is_empty(),
        _ => false,
    }
}

/// The 医療機関確認用 of the evaluation day's fiscal year, and that year.
pub(crate) fn current(ctx: &CheckContext) -> Option<(&'static Checklist, i16)> {
    let fy = fiscal_year(ctx.as_of);
    Some((checklist_for("institution", fy)?, fy))
}

/// The institution answered 「いいえ」 to 「医療情報システムを導入・運用している」: nothing else
/// is asked of it.
pub(crate) fn gated_off(site: &Site, fiscal_year: i16) -> bool {
    site.checklist
        .institution_answer(fiscal_year, "system-in-use")
        .is_some_and(|a| a.answer == Some(Answer::No))
}

pub(crate) fn item_subject(list: &Checklist, item: &ChecklistItem) -> Subject {
    Subject::new(
        SubjectKind::Checklist,
        format!("{}:{}", list.list, item.key),
        format!("{} {}", item.display_number(), item.ja),
    )
}

/// The last day a target date may take: the end of the fiscal year, or of a later one the
/// notice allows (二要素認証: 令和9年度).
pub fn target_deadline(item: &ChecklistItem, fiscal_year: i16) -> Date {
    let fy = item
        .target_fiscal_year
        .unwrap_or(fiscal_year)
        .max(fiscal_year);
    jiff::civil::date(fy + 1, 3, 31)
}
