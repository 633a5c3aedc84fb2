//! `holiday.before-incomplete`: from 14 days before the year-end closure until it ends, a
//! before-the-holiday step is not done (contacts not re-verified, rules not announced, devices
//! not powered off, backups not taken offline).

use mamori_model::answers::HolidayPhase;
use mamori_model::{Finding, Severity};

use super::{BEFORE_LEAD_DAYS, open_steps_finding, programme, relevant_year};
use crate::{CheckContext, Rule, Text};

/// `holiday.before-incomplete` — Year-end holiday preparations not finished. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "holiday.before-incomplete",
        default_severity: Severity::Medium,
        title: Text {
            ja: "年末年始の休暇前の対策が終わっていない",
            en: "Year-end holiday preparations not finished",
        },
        rationale: Text {
            ja: "攻撃は人の少ない長期休暇中に起きやすく、気づくのも遅れます。厚生労働省の年末年始の注意喚起は、休暇前に連絡体制の確認、機器接続・持ち出しルールの周知、使わない機器の電源オフを求めています。",
            en: "Attacks favour long holidays, when few people watch. The ministry's year-end notice asks for contacts checked, connection and take-out rules announced, and unused devices off before the holiday.",
        },
        remediation: Text {
            ja: "`mamori holiday SITE_DIR` で未了の手順を確認し、済んだものは holiday.toml に記録してください。",
            en: "See the open steps with `mamori holiday SITE_DIR` and record what is done in holiday.toml.",
        },
        measures: &[
            "holiday.before-contacts",
            "holiday.before-connection-rules",
            "holiday.before-takeout-rules",
            "holiday.before-power-off",
        ],
        checklist: &["incident-contacts"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(year) = relevant_year(ctx) else {
        return Vec::new();
    };
    let Some(p) = programme(ctx, year) else {
        return Vec::new();
    };
    // From the lead time until the closure ends; afterwards it is too late to prepare.
    let from = p
        .start
        .checked_sub(jiff::Span::new().days(BEFORE_LEAD_DAYS))
        .unwrap_or(p.start);
    if ctx.as_of < from || ctx.as_of > p.end {
        return Vec::new();
    }
    open_steps_finding(rule, &p, HolidayPhase::Before)
        .into_iter()
        .collect()
}
