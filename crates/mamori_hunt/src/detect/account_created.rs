//! `log.account-created`: a new account (Windows 4720, Linux useradd). Attackers create their
//! own accounts to come back; a name ending in `$` hides it among computer accounts.

use mamori_model::event::EventKind;
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{by_subject, evidence_of, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.account-created",
        default_severity: Severity::Medium,
        title: Text {
            ja: "アカウントの新規作成",
            en: "Account created",
        },
        rationale: Text {
            ja: "侵入した攻撃者は、再び入るために自分用のアカウントを作ります。申請のないアカウント作成は要確認です。",
            en: "Intruders create accounts of their own to come back; an account nobody asked for must be checked.",
        },
        remediation: Text {
            ja: "作成の申請・記録があるか確認してください。心当たりがなければアカウントを無効化し、作成したアカウント（実行者）の操作を調べてください。",
            en: "Check that the creation was requested; if not, disable the account and investigate the account that created it.",
        },
        measures: &["detect.log-review", "accounts.review-privileges"],
        checklist: &["access-log", "unneeded-accounts"],
    },
    reads: &[EventKind::AccountCreated],
    window: super::no_window,
    fires_when: "4720, useradd; high when the name ends in `$`",
    default: |_| "every event".into(),
    why_default: "attackers create accounts to return",
    run,
};

fn run(events: &[&Repeated], _cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    by_subject(
        events
            .iter()
            .copied()
            .filter(|e| e.kind == EventKind::AccountCreated),
        |e| format!("{}/{}", e.host, e.user.to_lowercase()),
    )
    .into_iter()
    .map(|(key, list)| {
        let e = list[0];
        let hidden = e.user.ends_with('$');
        let severity = if hidden {
            Severity::High
        } else {
            rule.default_severity
        };
        let when = super::local_time(e.time);
        let by = if e.actor.is_empty() {
            "?"
        } else {
            e.actor.as_str()
        };
        let evidence = evidence_of(&list, total(&list), MAX_SOURCES)
            .with_entities(Entities {
                account: Some(e.user.clone()),
                host: Some(e.host.clone()),
                ..Entities::default()
            })
            .fact("created_by", e.actor.clone())
            .fact("hidden_name", hidden);
        let message = Localized::new(
            format!(
                "{} でアカウント「{}」が作成されました（実行者 {by}、{when}）{}",
                e.host,
                e.user,
                if hidden {
                    "。末尾が $ の隠しアカウントの形です"
                } else {
                    ""
                }
            ),
            format!(
                "account \"{}\" created on {} by {by} ({when}){}",
                e.user,
                e.host,
                if hidden {
                    "; a trailing $ hides it among computer accounts"
                } else {
                    ""
                }
            ),
        );
        let subject = Subject::new(SubjectKind::Account, key, e.user.clone());
        rule.finding(subject, severity, message, evidence)
    })
    .collect()
}
