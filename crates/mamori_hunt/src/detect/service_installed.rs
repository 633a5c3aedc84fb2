//! `log.service-installed`: a new Windows service (System 7045). Installations are routine
//! (updates, drivers), so the default is low; a service that runs a shell, PowerShell, or a
//! binary from a temporary or admin share — how PsExec and attack tools run — is high.

use mamori_model::event::EventKind;
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{by_subject, evidence_of, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.service-installed",
        default_severity: Severity::Low,
        title: Text {
            ja: "サービスの新規インストール",
            en: "Service installed",
        },
        rationale: Text {
            ja: "攻撃者はサービスを作ってプログラムを常駐・遠隔実行させます（PsExec など）。コマンドシェルや一時フォルダのプログラムを実行するサービスはとくに危険です。",
            en: "Attackers install services to persist and run programs remotely (PsExec and the like); services that run a shell or a program from a temporary folder are the dangerous ones.",
        },
        remediation: Text {
            ja: "そのサービスが更新や保守作業によるものか確認してください。心当たりがなければサービスを停止・削除し、実行ファイルを調べてください。",
            en: "Check whether an update or maintenance installed it; if not, stop and remove the service and examine its program.",
        },
        measures: &["detect.log-review"],
        checklist: &["access-log", "unneeded-services"],
    },
    reads: &[EventKind::ServiceInstalled],
    window: super::no_window,
    fires_when: "7045; low, high when the program is a shell, PowerShell, or in a temp/admin share",
    default: |_| "every event".into(),
    why_default: "installs are routine; PsExec-style ones are not",
    run,
};

const SUSPICIOUS: &[&str] = &[
    "cmd.exe",
    "cmd /c",
    "powershell",
    "%comspec%",
    "\\temp\\",
    "\\appdata\\",
    "\\users\\public\\",
    "\\\\127.0.0.1\\",
    "admin$",
    "rundll32",
    "mshta",
    "-enc ",
    "psexesvc",
];

fn run(events: &[&Repeated], _cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    by_subject(
        events
            .iter()
            .copied()
            .filter(|e| e.kind == EventKind::ServiceInstalled),
        |e| format!("{}/{}", e.host, e.object.to_lowercase()),
    )
    .into_iter()
    .map(|(key, list)| {
        let e = list[0];
        let image = e.reason.to_lowercase();
        let suspicious = SUSPICIOUS.iter().any(|s| image.contains(s));
        let severity = if suspicious {
            Severity::High
        } else {
            rule.default_severity
        };
        let when = super::local_time(e.time);
        let evidence = evidence_of(&list, total(&list), MAX_SOURCES)
            .fact("service", e.object.clone())
            .fact("image_path", e.reason.clone())
            .fact("suspicious_image", suspicious)
            .with_entities(Entities {
                host: Some(e.host.clone()),
                ..Entities::default()
            });
        let message = Localized::new(
            format!(
                "{} にサービス「{}」がインストールされました（{}、{when}）",
                e.host, e.object, e.reason
            ),
            format!(
                "service \"{}\" installed on {} ({}, {when})",
                e.object, e.host, e.reason
            ),
        );
        rule.finding(
            Subject::new(SubjectKind::Host, key, e.host.clone()),
            severity,
            message,
            evidence,
        )
    })
    .collect()
}
