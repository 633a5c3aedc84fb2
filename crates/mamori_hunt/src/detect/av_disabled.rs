//! `log.av-disabled`: Microsoft Defender protection switched off (5001 real-time protection,
//! 5010 malware scanning, 5012 virus scanning). Ransomware operators disable it first.

use mamori_model::event::EventKind;
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{by_subject, evidence_of, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.av-disabled",
        default_severity: Severity::High,
        title: Text {
            ja: "ウイルス対策の無効化",
            en: "Antivirus protection disabled",
        },
        rationale: Text {
            ja: "ランサムウェアの実行前に、攻撃者はウイルス対策を止めます。",
            en: "Before running ransomware, attackers switch antivirus protection off.",
        },
        remediation: Text {
            ja: "すぐに保護を有効に戻し、誰が止めたか確認してください。心当たりがなければその端末をネットワークから切り離して調べてください。",
            en: "Turn protection back on, find out who turned it off, and if unexplained isolate the machine and investigate.",
        },
        measures: &["detect.log-review", "patch.firmware-definitions"],
        checklist: &["access-log"],
    },
    reads: &[EventKind::AvDisabled],
    window: super::no_window,
    fires_when: "Defender 5001, 5010, 5012",
    default: |_| "every event".into(),
    why_default: "ransomware operators switch protection off first",
    run,
};

fn run(events: &[&Repeated], _cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    by_subject(
        events
            .iter()
            .copied()
            .filter(|e| e.kind == EventKind::AvDisabled),
        |e| format!("{}/{}", e.host, e.object),
    )
    .into_iter()
    .map(|(key, list)| {
        let e = list[0];
        let when = super::local_time(e.time);
        let evidence = evidence_of(&list, total(&list), MAX_SOURCES)
            .fact("what", e.object.clone())
            .with_entities(Entities {
                host: Some(e.host.clone()),
                ..Entities::default()
            });
        let message = Localized::new(
            format!(
                "{} でウイルス対策（{}）が無効化されました（{when}）",
                e.host, e.object
            ),
            format!("antivirus {} disabled on {} ({when})", e.object, e.host),
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
