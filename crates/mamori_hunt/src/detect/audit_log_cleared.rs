//! `log.audit-log-cleared`: an event log cleared (Security 1102, System 104 from the Eventlog
//! provider). Attackers clear logs to hide what they did; it is almost never routine.

use mamori_model::event::EventKind;
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{by_subject, evidence_of, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.audit-log-cleared",
        default_severity: Severity::High,
        title: Text {
            ja: "イベントログの消去",
            en: "Event log cleared",
        },
        rationale: Text {
            ja: "ログの消去は攻撃者が痕跡を隠す典型的な手口です。通常の運用でログを消すことはほとんどありません。",
            en: "Clearing logs is how attackers hide their tracks; routine operation almost never clears them.",
        },
        remediation: Text {
            ja: "誰がなぜ消したか確認してください。心当たりがなければ侵入を疑い、そのアカウントを停止し、他の機器やログ転送先に残ったログを確認してください。ログは別の機器に転送して保存してください。",
            en: "Find out who cleared it and why; if unexplained, assume an intrusion, disable the account and check the logs kept elsewhere. Forward logs to another machine.",
        },
        measures: &["detect.log-review", "logs.kept"],
        checklist: &["access-log"],
    },
    reads: &[EventKind::AuditLogCleared],
    window: super::no_window,
    fires_when: "1102, 104 (Eventlog provider)",
    default: |_| "every event".into(),
    why_default: "almost never routine",
    run,
};

fn run(events: &[&Repeated], _cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    by_subject(
        events
            .iter()
            .copied()
            .filter(|e| e.kind == EventKind::AuditLogCleared),
        |e| {
            format!(
                "{}/{}/{}",
                e.host,
                e.object,
                e.time.map(|t| t.to_string()).unwrap_or_default()
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
            .fact("log", e.object.clone())
            .fact("cleared_by", e.actor.clone())
            .with_entities(Entities {
                host: Some(e.host.clone()),
                ..Entities::default()
            });
        let message = Localized::new(
            format!(
                "{} の {} ログが消去されました（実行者 {by}、{when}）",
                e.host, e.object
            ),
            format!(
                "the {} log on {} was cleared by {by} ({when})",
                e.object, e.host
            ),
        );
        rule.finding(
            Subject::new(SubjectKind::Host, key, e.host.clone()),
            rule.default_severity,
            message,
            evidence,
        )
    })
    .collect()
}
