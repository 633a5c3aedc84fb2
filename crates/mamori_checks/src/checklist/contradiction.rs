//! `checklist.contradiction`: an item answered 「はい」 this fiscal year while a check that
//! disproves it fires — 「不要アカウントを削除している」 with a leaver's account still enabled.

use mamori_model::answers::Answer;
use mamori_model::{Evidence, Finding, Localized, Severity};

use super::{current, gated_off, item_subject, observe, reiwa, sample};
use crate::{CheckContext, Rule, Text};

/// `checklist.contradiction` — Checklist answer 'yes' contradicted by the checks. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "checklist.contradiction",
        default_severity: Severity::High,
        title: Text {
            ja: "チェックリストの「はい」と点検結果が食い違っている",
            en: "Checklist answer 'yes' contradicted by the checks",
        },
        rationale: Text {
            ja: "チェックリストは立入検査で確認されます。実態と違う「はい」は、対策が済んだと思い込んだまま攻撃の入口を残すことになり、検査でも説明できません。",
            en: "The checklist is reviewed at the on-site inspection. A 'yes' that reality contradicts leaves the way in open while everyone believes it closed.",
        },
        remediation: Text {
            ja: "指摘された点を直すか、回答を「いいえ」にして今年度中の目標日を記入してください（checklist.toml）。",
            en: "Fix what the checks found, or change the answer to 'no' with a target date within the fiscal year (checklist.toml).",
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
    let earlier = ctx.earlier_findings();
    let mut findings = Vec::new();
    for obs in observe(
        ctx.site,
        earlier,
        list,
        &ctx.site.checklist.institution,
        fy,
        ctx.vuln.is_some(),
    ) {
        let Some(answer) = obs.answer.filter(|a| a.answer == Some(Answer::Yes)) else {
            continue;
        };
        if obs.firing.is_empty() {
            continue;
        }
        let summary: Vec<String> = obs
            .firing
            .iter()
            .map(|(rule_id, subjects)| format!("{rule_id}: {}", sample(subjects)))
            .collect();
        let count: usize = obs.firing.values().map(Vec::len).sum();
        let message = Localized::new(
            format!(
                "令和{}年度の {}「{}」は「はい」と回答されていますが、点検で {} 件の食い違いが見つかりました（{}）",
                reiwa(fy),
                obs.item.display_number(),
                obs.item.ja,
                count,
                summary.join(" / ")
            ),
            format!(
                "FY{fy} item {} \"{}\" is answered 'yes', but the checks found {count} contradicting findings ({})",
                obs.item.display_number(),
                obs.item.en,
                summary.join(" / ")
            ),
        );
        let mut evidence = Evidence::default()
            .fact("fiscal_year", fy)
            .fact("item", obs.item.key.clone())
            .fact("number", obs.item.display_number())
            .fact("answer", "はい")
            .fact(
                "contradicting",
                serde_json::to_value(&obs.firing).unwrap_or_default(),
            )
            .source(answer.origin.clone());
        if let Some(d) = answer.checked_on {
            evidence = evidence.fact("checked_on", d.to_string());
        }
        evidence.count = Some(count as u64);
        findings.push(rule.finding(
            item_subject(list, obs.item),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}
