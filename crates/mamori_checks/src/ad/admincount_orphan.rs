//! `ad.admincount-orphan`: an enabled account still marked `adminCount=1` though it is no
//! longer in any group AdminSDHolder protects — usually a former administrator.

use mamori_model::{Finding, Localized, Severity};

use super::{directory, entry_source, user_subject};
use crate::{CheckContext, Rule, Text};

/// `ad.admincount-orphan` — Former administrator still marked as protected.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.admincount-orphan",
        default_severity: Severity::Low,
        title: Text {
            ja: "管理者グループから外れたのに保護の印が残るアカウント（Active Directory）",
            en: "Former administrator still marked as protected (Active Directory)",
        },
        rationale: Text {
            ja: "管理者グループから外しても、保護の印（adminCount）と管理者用の固定のアクセス権は自動では戻りません。組織単位のアクセス権の見直しが効かないまま残り、多くは以前の管理者や業者のアカウントで、今も必要か誰も確かめていないことがあります。",
            en: "Removing an account from the administrator groups does not undo its protected mark (adminCount) or the fixed administrator permissions that came with it; the account escapes the permissions of its organisational unit, and it is often a former administrator's or contractor's that nobody has reviewed.",
        },
        remediation: Text {
            ja: "今も必要なアカウントか確かめ、不要なら無効にしてください。使い続ける場合は adminCount を消し、アカウントのセキュリティ設定で「継承を有効にする」を選んでアクセス権を組織単位のものに戻してください。",
            en: "Check whether the account is still needed and disable it if not. If it stays, clear adminCount and enable inheritance in the account's security settings so it takes its organisational unit's permissions again.",
        },
        measures: &["accounts.review-privileges"],
        checklist: &["access-rights"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let mut users: Vec<_> = dir
        .users
        .iter()
        .filter(|u| u.enabled() && u.admin_count && !u.protected)
        .collect();
    users.sort_by(|a, b| a.sam.cmp(&b.sam));
    users
        .into_iter()
        .map(|user| {
            let message = Localized::new(
                format!(
                    "アカウント {} は管理者グループに入っていませんが、管理者としての保護の印が残っています",
                    user.sam
                ),
                format!(
                    "the account {} is in no administrator group but is still marked as protected",
                    user.sam
                ),
            );
            let evidence = mamori_model::Evidence::default()
                .fact("admin_count", "1")
                .fact("groups", user.groups.join(", "))
                .source(entry_source(dir, &user.dn));
            rule.finding(user_subject(user), rule.default_severity, message, evidence)
        })
        .collect()
}
