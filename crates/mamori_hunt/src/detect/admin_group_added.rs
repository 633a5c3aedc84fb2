//! `log.admin-group-added`: a member added to an administrators-class group (Administrators,
//! Domain Admins, Backup Operators…; sudo/wheel on Linux). Additions to ordinary groups are
//! not findings.

use mamori_model::event::EventKind;
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{by_subject, evidence_of, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.admin-group-added",
        default_severity: Severity::High,
        title: Text {
            ja: "管理者グループへの追加",
            en: "Member added to an administrators group",
        },
        rationale: Text {
            ja: "管理者権限を得ることは、ランサムウェアをネットワーク全体に配る前の攻撃者の必須の一歩です。",
            en: "Gaining administrator rights is the attacker's necessary step before spreading ransomware across the network.",
        },
        remediation: Text {
            ja: "追加の申請・記録があるか確認し、なければ直ちにグループから外して、実行したアカウントを調べてください。管理者権限を持つアカウントは最小限にしてください。",
            en: "Check the addition was requested; if not, remove the member at once and investigate the account that added it. Keep administrators to a minimum.",
        },
        measures: &["detect.log-review", "accounts.review-privileges"],
        checklist: &["access-log", "access-rights"],
    },
    reads: &[EventKind::GroupMemberAdded],
    window: super::no_window,
    fires_when: "a member added to Administrators, Domain/Enterprise/Schema Admins, Backup/Account/Server Operators; sudo/wheel",
    default: |_| "every event".into(),
    why_default: "the step before spreading ransomware",
    run,
};

fn run(events: &[&Repeated], _cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    by_subject(
        events
            .iter()
            .copied()
            .filter(|e| e.kind == EventKind::GroupMemberAdded && e.privileged_group),
        |e| {
            format!(
                "{}/{}/{}",
                e.host,
                e.object.to_lowercase(),
                e.user.to_lowercase()
            )
        },
    )
    .into_iter()
    .map(|(key, list)| {
        let e = list[0];
        let when = super::local_time(e.time);
        let by = if e.actor.is_empty() {
            "?"
        } else {
            e.actor.as_str()
        };
        let evidence = evidence_of(&list, total(&list), MAX_SOURCES)
            .with_entities(Entities {
                member: Some(e.user.clone()),
                host: Some(e.host.clone()),
                ..Entities::default()
            })
            .fact("group", e.object.clone())
            .fact("added_by", e.actor.clone());
        let message = Localized::new(
            format!(
                "{} で「{}」が管理者グループ「{}」に追加されました（実行者 {by}、{when}）",
                e.host, e.user, e.object
            ),
            format!(
                "\"{}\" added to \"{}\" on {} by {by} ({when})",
                e.user, e.object, e.host
            ),
        );
        let subject = Subject::new(SubjectKind::Account, key, e.user.clone());
        rule.finding(subject, rule.default_severity, message, evidence)
    })
    .collect()
}
