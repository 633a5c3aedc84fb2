//! `log.success-after-failures`: a successful logon from a source that had just been failing —
//! the guess that worked. Critical: the attacker is probably in. A success matches failures
//! from the same source address; failures that carry no address (local or SSH-on-Windows
//! logons record `-`) match a success of the same account on the same machine. Default: 3
//! failures within the hour before the success.

use std::collections::{BTreeMap, HashSet};

use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome};
use mamori_model::{Finding, Localized, Severity};

use super::window::{evidence_of, top_values};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text, host_subject};

pub const RULE: LogRule = LogRule {
    id: "log.success-after-failures",
    default_severity: Severity::Critical,
    title: Text {
        ja: "ログオン失敗の後の成功（侵入の疑い）",
        en: "Successful logon after failures (possible break-in)",
    },
    rationale: Text {
        ja: "失敗を繰り返していた接続元からの成功は、パスワードが推測された可能性が高く、すでに侵入されているおそれがあります。",
        en: "A success from a source that kept failing means a password was probably guessed: the attacker may already be inside.",
    },
    remediation: Text {
        ja: "直ちにそのアカウントを停止してパスワードを変更し、接続元を遮断してください。ログオン後の操作（新しいアカウント、サービス、ログ消去）を確認し、保守事業者に連絡してください。被害が疑われる場合は警察と厚生労働省にも連絡してください。",
        en: "Disable the account and change its password now, block the source, review what happened after the logon (new accounts, services, cleared logs) and call the maintenance vendor; report to the police and the Ministry if harm is suspected.",
    },
    measures: &[
        "detect.log-review",
        "respond.procedures-contacts",
        "respond.report-mhlw",
    ],
    checklist: &["access-log", "incident-contacts"],
    run,
};

fn is_interesting_success(e: &LogEvent) -> bool {
    e.kind == EventKind::Logon
        && e.outcome == Outcome::Success
        && e.method != Some(AuthMethod::Service)
        && !e.user.is_empty()
        && !e.user.ends_with('$')
        && !matches!(
            e.user.to_uppercase().as_str(),
            "SYSTEM" | "ANONYMOUS LOGON" | "LOCAL SERVICE" | "NETWORK SERVICE"
        )
}

fn run(events: &[LogEvent], cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    let failures: Vec<&LogEvent> = events
        .iter()
        .filter(|e| e.kind == EventKind::Logon && e.outcome == Outcome::Failure)
        .collect();
    // One finding per (source, account): the first success that follows enough failures.
    let mut hits: BTreeMap<(String, String), (&LogEvent, Vec<&LogEvent>)> = BTreeMap::new();
    let mut seen = HashSet::new();
    for success in events.iter().filter(|e| is_interesting_success(e)) {
        let key = (success.source_key(), success.user.to_lowercase());
        if seen.contains(&key) {
            continue;
        }
        let before: Vec<&LogEvent> = failures
            .iter()
            .copied()
            .filter(|f| {
                let same_source = f.source_ip.is_some() && f.source_key() == success.source_key();
                let same_account_here = f.source_ip.is_none()
                    && f.host == success.host
                    && f.user.eq_ignore_ascii_case(&success.user);
                (same_source || same_account_here)
                    && match (f.time, success.time) {
                        (Some(ft), Some(st)) => {
                            ft <= st && st.duration_since(ft) <= cfg.success_window
                        }
                        _ => true,
                    }
            })
            .collect();
        if before.len() >= cfg.success_after_failures {
            seen.insert(key.clone());
            hits.insert(key, (success, before));
        }
    }
    hits.into_iter()
        .map(|((source, _), (success, before))| {
            let accounts = top_values(&before, 10, |e| e.user.clone());
            let mut all = before.clone();
            all.push(success);
            let when = success.time.map(|t| t.to_string()).unwrap_or_default();
            let evidence = evidence_of(&all, before.len() as u64, MAX_SOURCES + 1)
                .fact("source", source.clone())
                .fact("account", success.user.clone())
                .fact("success_at", when.clone())
                .fact("failures_before", before.len())
                .fact("failed_accounts", accounts)
                .fact("method", success.method.map(|m| m.as_str()));
            let message = Localized::new(
                format!(
                    "{source} から {} 回失敗した後、{} のログオンに成功しています（{when}）",
                    before.len(),
                    success.user
                ),
                format!(
                    "{} logged on successfully from {source} after {} failures ({when})",
                    success.user,
                    before.len()
                ),
            );
            let subject = host_subject(&format!("{source}/{}", success.user.to_lowercase()));
            rule.finding(subject, rule.default_severity, message, evidence)
        })
        .collect()
}
