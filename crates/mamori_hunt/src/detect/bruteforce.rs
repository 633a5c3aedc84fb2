//! `log.bruteforce`: many logon failures from one source. Default: 10 failures within 10
//! minutes — well above a person mistyping (Windows lockout policies commonly allow 5–10),
//! well below what tools produce (thousands an hour).

use mamori_model::event::{EventKind, Outcome};
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity};

use super::window::{densest_count, evidence_of, group_by, top_values, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text, host_subject, minutes};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.bruteforce",
        default_severity: Severity::High,
        title: Text {
            ja: "ログオン失敗の大量発生（総当たり攻撃）",
            en: "Many logon failures from one source (brute force)",
        },
        rationale: Text {
            ja: "同じ接続元からの大量のログイン失敗は、パスワードを推測する攻撃の典型的な痕跡です。注意喚起でもログの確認対象として挙げられています。",
            en: "Many failures from one source are the mark of password guessing; the notices name exactly this as what to look for in server logs.",
        },
        remediation: Text {
            ja: "接続元を遮断し（ファイアウォール・VPN の接続元制限）、狙われたアカウントのパスワードを変更してください。同じ接続元からの成功ログオンがないか確認してください。",
            en: "Block the source (firewall, VPN source restriction), change the passwords of the targeted accounts, and check for any successful logon from the same source.",
        },
        measures: &["detect.log-review", "accounts.strong-passwords"],
        checklist: &["access-log"],
    },
    reads: &[EventKind::Logon],
    window: |c| c.bruteforce_window,
    fires_when: "failures from one source",
    default: |c| {
        format!(
            "≥ {} within {}",
            c.bruteforce_failures,
            minutes(c.bruteforce_window)
        )
    },
    why_default: "above a person mistyping (lockout policies allow 5–10), far below tools (thousands an hour)",
    run,
};

fn run(events: &[&Repeated], cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    let failures = events
        .iter()
        .copied()
        .filter(|e| e.kind == EventKind::Logon && e.outcome == Outcome::Failure);
    let mut findings = Vec::new();
    for (source, list) in group_by(failures, |e| e.source_key()) {
        let (in_window, start, end) = densest_count(&list, cfg.bruteforce_window);
        if in_window < cfg.bruteforce_failures as u64 {
            continue;
        }
        let count = total(&list);
        let accounts = top_values(&list, 10, |e| e.user.clone());
        let mut by_reason = serde_json::Map::new();
        for reason in top_values(&list, 20, |e| e.reason.clone()) {
            let n: u64 = list
                .iter()
                .filter(|e| e.reason == reason)
                .map(|e| e.count)
                .sum();
            by_reason.insert(reason, n.into());
        }
        let evidence = evidence_of(&list, count, MAX_SOURCES)
            .with_entities(Entities {
                source: Some(source.clone()),
                hosts: Some(top_values(&list, 5, |e| e.host.clone())),
                accounts: Some(accounts.clone()),
                ..Entities::default()
            })
            .fact("by_reason", serde_json::Value::Object(by_reason))
            .fact("max_in_window", in_window)
            .fact("window_minutes", cfg.bruteforce_window.as_mins())
            .fact("window_start", list[start].time.map(|t| t.to_string()))
            .fact("window_end", list[end - 1].time.map(|t| t.to_string()));
        let message = Localized::new(
            format!(
                "{source} からログオン失敗が {} 回（{} 分間に最大 {} 回）。対象: {}",
                count,
                cfg.bruteforce_window.as_mins(),
                in_window,
                accounts.join(", ")
            ),
            format!(
                "{} logon failures from {source} (up to {in_window} within {} minutes); accounts: {}",
                count,
                cfg.bruteforce_window.as_mins(),
                accounts.join(", ")
            ),
        );
        findings.push(rule.finding(
            host_subject(&source),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}
