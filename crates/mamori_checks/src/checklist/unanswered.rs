//! `checklist.unanswered`: this fiscal year's 医療機関確認用 has an item with no answer or no
//! date checked. The inspection expects every item answered, with the date, each year. A site
//! with no answers at all for the year gets one finding, not one per item.

use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};

use super::{current, gated_off, item_subject, reiwa};
use crate::{CheckContext, Rule, Text};

/// `checklist.unanswered` — Checklist item unanswered or undated this fiscal year. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "checklist.unanswered",
        default_severity: Severity::Medium,
        title: Text {
            ja: "今年度のチェックリストに未回答・確認日なしの項目がある",
            en: "Checklist item unanswered or undated this fiscal year",
        },
        rationale: Text {
            ja: "医療機関確認用チェックリストは毎年度すべての項目に回答と確認日が必要で、立入検査で確認されます。",
            en: "Every item of the institution checklist needs an answer and the date checked each fiscal year; the on-site inspection checks it.",
        },
        remediation: Text {
            ja: "checklist.toml に今年度の回答（はい・いいえ・対象外）、確認日、確認者を記入してください。`mamori checklist` で mamori の点検結果を見ながら記入できます。",
            en: "Record this fiscal year's answer (yes / no / not applicable), the date checked and who checked in checklist.toml; `mamori checklist` shows what mamori's checks see.",
        },
        measures: &["checklist.annual"],
        checklist: &[],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some((list, fy)) = current(ctx) else {
        return Vec::new();
    };
    if gated_off(ctx.site, fy) {
        return Vec::new();
    }
    let answers = &ctx.site.checklist.institution;
    // No answer written yet — no entry for the year, or only the blank entries `mamori init`
    // writes: one finding for the list, not one per item.
    if !answers
        .iter()
        .any(|a| a.fiscal_year == fy && a.answer.is_some())
    {
        let message = Localized::new(
            format!(
                "令和{}年度の医療機関確認用チェックリスト（{} 項目）の回答が記録されていません",
                reiwa(fy),
                list.items.len()
            ),
            format!(
                "no answers recorded for the FY{fy} institution checklist ({} items)",
                list.items.len()
            ),
        );
        let evidence = Evidence::default()
            .fact("fiscal_year", fy)
            .fact("version", list.title.clone())
            .fact("items", list.items.len());
        let subject = Subject::new(
            SubjectKind::Checklist,
            "institution",
            "医療機関確認用チェックリスト",
        );
        return vec![rule.finding(subject, rule.default_severity, message, evidence)];
    }
    let mut findings = Vec::new();
    for item in &list.items {
        let answer = answers
            .iter()
            .find(|a| a.fiscal_year == fy && a.item == item.key);
        let (ja, en) = match answer {
            None => ("回答がありません", "has no answer"),
            Some(a) if a.answer.is_none() => ("回答が空欄です", "has an empty answer"),
            Some(a) if a.checked_on.is_none() => ("確認日がありません", "has no date checked"),
            Some(_) => continue,
        };
        let message = Localized::new(
            format!(
                "令和{}年度の {}「{}」は{ja}",
                reiwa(fy),
                item.display_number(),
                item.ja
            ),
            format!("FY{fy} item {} \"{}\" {en}", item.display_number(), item.en),
        );
        let mut evidence = Evidence::default()
            .fact("fiscal_year", fy)
            .fact("item", item.key.clone())
            .fact("number", item.display_number());
        if let Some(a) = answer {
            evidence = evidence.source(a.origin.clone());
        }
        findings.push(rule.finding(
            item_subject(list, item),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}
