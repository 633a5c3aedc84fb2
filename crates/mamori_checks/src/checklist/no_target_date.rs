//! `checklist.no-target-date`: an item answered 「いいえ」 this fiscal year without a target
//! date, or with one beyond the fiscal year (the inspection expects a date within it; for
//! 二要素認証 the notice allows until 令和9年度).

use mamori_model::answers::Answer;
use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{current, gated_off, item_subject, reiwa, target_deadline};
use crate::{CheckContext, Rule, Text};

/// `checklist.no-target-date` — 'No' answer without a target date within the fiscal year. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "checklist.no-target-date",
        default_severity: Severity::Medium,
        title: Text {
            ja: "「いいえ」の項目に年度内の目標日がない",
            en: "'No' answer without a target date within the fiscal year",
        },
        rationale: Text {
            ja: "「いいえ」の項目には、いつまでに対応するかの目標日を年度内で記入することが求められ、立入検査で確認されます。",
            en: "Every 'no' needs a target date within the fiscal year for when it will be done; the on-site inspection checks it.",
        },
        remediation: Text {
            ja: "checklist.toml の該当項目に target_date（今年度中の日付）を記入し、その日までに対応してください。",
            en: "Add a target_date within this fiscal year to the item in checklist.toml, and act by then.",
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
    let mut findings = Vec::new();
    for item in &list.items {
        let Some(answer) = ctx
            .site
            .checklist
            .institution_answer(fy, &item.key)
            .filter(|a| a.answer == Some(Answer::No))
        else {
            continue;
        };
        let deadline = target_deadline(item, fy);
        let (ja, en) = match answer.target_date {
            None => (
                "目標日がありません".to_owned(),
                "has no target date".to_owned(),
            ),
            Some(d) if d > deadline => (
                format!("目標日 {d} が期限（{deadline}）を過ぎています"),
                format!("has a target date {d} beyond {deadline}"),
            ),
            Some(_) => continue,
        };
        let message = Localized::new(
            format!(
                "令和{}年度の {}「{}」は「いいえ」ですが、{ja}",
                reiwa(fy),
                item.display_number(),
                item.ja
            ),
            format!(
                "FY{fy} item {} \"{}\" is answered 'no' but {en}",
                item.display_number(),
                item.en
            ),
        );
        let mut evidence = Evidence::default()
            .fact("fiscal_year", fy)
            .fact("item", item.key.clone())
            .fact("number", item.display_number())
            .fact("deadline", deadline.to_string())
            .source(answer.origin.clone());
        if let Some(d) = answer.target_date {
            evidence = evidence.fact("target_date", d.to_string());
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
