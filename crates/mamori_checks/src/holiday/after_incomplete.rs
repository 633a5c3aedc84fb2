//! `holiday.after-incomplete`: from a week after the year-end closure (time to patch) until a
//! month after it, an after-the-holiday step is open: patches or definitions not applied since
//! the closure, the holiday's logs not reviewed, devices taken out not scanned.

use mamori_model::answers::HolidayPhase;
use mamori_model::{Finding, Severity};

use super::{AFTER_GRACE_DAYS, AFTER_WATCH_DAYS, open_steps_finding, programme, relevant_year};
use crate::{CheckContext, Rule, Text};

/// `holiday.after-incomplete` — Year-end holiday follow-up not finished. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "holiday.after-incomplete",
        default_severity: Severity::Medium,
        title: Text {
            ja: "年末年始の休暇明けの対策が終わっていない",
            en: "Year-end holiday follow-up not finished",
        },
        rationale: Text {
            ja: "休暇中に公開された修正プログラムや定義ファイルの適用、休暇中のログの確認、持ち出し機器のチェックは、休暇中に入り込まれた攻撃に気づく最後の機会です。",
            en: "Patches and definitions released during the holiday, a review of its logs and a scan of devices taken out are the last chance to catch an attack that came in meanwhile.",
        },
        remediation: Text {
            ja: "`mamori holiday SITE_DIR` で未了の手順と対象機器を確認してください。ログの確認は `mamori holiday` が休暇期間に絞って実行します。済んだら holiday.toml に記録してください。",
            en: "See the open steps and devices with `mamori holiday SITE_DIR`, which also reviews the logs of exactly the holiday window; record what is done in holiday.toml.",
        },
        measures: &["holiday.after-patches", "holiday.after-log-review"],
        checklist: &["security-patches", "access-log"],
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
    let span = |n| jiff::Span::new().days(n);
    let from = p.end.checked_add(span(AFTER_GRACE_DAYS)).unwrap_or(p.end);
    let until = p.end.checked_add(span(AFTER_WATCH_DAYS)).unwrap_or(p.end);
    if ctx.as_of < from || ctx.as_of > until {
        return Vec::new();
    }
    open_steps_finding(rule, &p, HolidayPhase::After)
        .into_iter()
        .collect()
}
