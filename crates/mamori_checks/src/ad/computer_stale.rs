//! `ad.computer-stale`: an enabled computer account that has not logged on to the domain for
//! `account_stale_days` — a device gone, or one nobody patches.

use mamori_model::{Finding, Localized, Severity};

use super::{computer_subject, days_since, directory, entry_source};
use crate::{CheckContext, Rule, Text};

/// `ad.computer-stale` — Computer account unused for a long time.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.computer-stale",
        default_severity: Severity::Low,
        title: Text {
            ja: "長期間使われていないコンピューター（Active Directory）",
            en: "Computer account unused for a long time (Active Directory)",
        },
        rationale: Text {
            ja: "長くドメインに接続していないコンピューターは、廃棄済みか、更新されずに放置された機器です。残ったアカウントは攻撃者に悪用されることがあります。",
            en: "A computer that has not contacted the domain for long is either gone or left unpatched; its leftover account can be misused.",
        },
        remediation: Text {
            ja: "機器が残っているか確かめ、廃棄済みならドメインから削除してください。残っているなら電源を入れて更新を当ててください。",
            en: "Check whether the device still exists: remove it from the domain if gone, or switch it on and patch it.",
        },
        measures: &["assets.inventory", "accounts.remove-unneeded"],
        checklist: &["ledger"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let threshold = ctx.site.config.thresholds.account_stale_days;
    dir.computers
        .iter()
        .filter(|c| !c.disabled)
        .filter_map(|c| {
            let days = days_since(ctx, c.last_logon?);
            (days > threshold).then(|| {
                let message = Localized::new(
                    format!(
                        "コンピューター {} は {days} 日間ドメインに接続していません",
                        c.name
                    ),
                    format!(
                        "the computer {} has not contacted the domain for {days} days",
                        c.name
                    ),
                );
                let evidence = mamori_model::Evidence::default()
                    .fact("days_since", days)
                    .fact("threshold_days", threshold)
                    .source(entry_source(dir, &c.dn));
                rule.finding(
                    computer_subject(c),
                    rule.default_severity,
                    message,
                    evidence,
                )
            })
        })
        .collect()
}
