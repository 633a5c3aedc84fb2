//! `log.success-after-failures`: a successful logon from a source that had just been failing —
//! the guess that worked. Critical: the attacker is probably in. A success matches failures
//! from the same source address; failures that carry no address (local or SSH-on-Windows
//! logons record `-`) match a success of the same account on the same machine. Default: 3
//! failures within the hour before the success.

use std::collections::{BTreeMap, HashMap};

use mamori_model::event::{AuthMethod, EventKind, Outcome};
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity};

use super::window::{evidence_of, top_values, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text, host_subject, minutes};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
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
    },
    reads: &[EventKind::Logon],
    window: |c| c.success_window,
    fires_when: "a success from a source that was failing (no address: same account on the same machine)",
    default: |c| {
        format!(
            "≥ {} failures within {} before it",
            c.success_after_failures,
            minutes(c.success_window)
        )
    },
    why_default: "one or two typos before a success are normal",
    run,
};

fn is_interesting_success(e: &Repeated) -> bool {
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

/// The failures of a time-sorted list in the window before the success (all of them when
/// times are missing).
fn in_window_before<'a>(
    list: &[&'a Repeated],
    success: &Repeated,
    cfg: &HuntConfig,
) -> Vec<&'a Repeated> {
    let Some(st) = success.time else {
        return list.to_vec();
    };
    // Sorted by time, failures without a time come first; they count as in the window.
    let timed = list.partition_point(|f| f.time.is_none());
    let end = list.partition_point(|f| f.time.is_none_or(|ft| ft <= st));
    let start = timed
        + list[timed..end].partition_point(|f| {
            f.time
                .is_some_and(|ft| st.duration_since(ft) > cfg.success_window)
        });
    list[..timed]
        .iter()
        .chain(&list[start..end])
        .copied()
        .collect()
}

fn run(events: &[&Repeated], cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    // Failures indexed two ways, each list in time order: by source address, and — for
    // failures without an address — by account and machine.
    let mut by_source: HashMap<String, Vec<&Repeated>> = HashMap::new();
    let mut by_account_here: HashMap<(String, String), Vec<&Repeated>> = HashMap::new();
    for f in events
        .iter()
        .copied()
        .filter(|e| e.kind == EventKind::Logon && e.outcome == Outcome::Failure)
    {
        if f.source_ip.is_some() {
            by_source.entry(f.source_key()).or_default().push(f);
        } else {
            by_account_here
                .entry((f.host.clone(), f.user.to_lowercase()))
                .or_default()
                .push(f);
        }
    }
    for list in by_source.values_mut().chain(by_account_here.values_mut()) {
        list.sort_by_key(|e| e.time);
    }
    // One finding per (source, account): the first success that follows enough failures.
    let mut hits: BTreeMap<(String, String), (&Repeated, Vec<&Repeated>)> = BTreeMap::new();
    let mut successes: Vec<&Repeated> = events
        .iter()
        .copied()
        .filter(|e| is_interesting_success(e))
        .collect();
    successes.sort_by_key(|e| e.time);
    for success in successes {
        let key = (success.source_key(), success.user.to_lowercase());
        if hits.contains_key(&key) {
            continue;
        }
        let mut before = Vec::new();
        if success.source_ip.is_some()
            && let Some(list) = by_source.get(&success.source_key())
        {
            before.extend(in_window_before(list, success, cfg));
        }
        if let Some(list) =
            by_account_here.get(&(success.host.clone(), success.user.to_lowercase()))
        {
            before.extend(in_window_before(list, success, cfg));
        }
        if total(&before) >= cfg.success_after_failures as u64 {
            hits.insert(key, (success, before));
        }
    }
    hits.into_iter()
        .map(|((source, _), (success, before))| {
            let accounts = top_values(&before, 10, |e| e.user.clone());
            let mut all = before.clone();
            all.push(success);
            let when = super::local_time(success.time);
            let failures = total(&before);
            let evidence = evidence_of(&all, failures, MAX_SOURCES + 1)
                .with_entities(Entities {
                    source: Some(source.clone()),
                    account: Some(success.user.clone()),
                    host: Some(success.host.clone()),
                    failed_accounts: Some(accounts),
                    ..Entities::default()
                })
                .fact("success_at", success.time.map(|t| t.to_string()))
                .fact("failures_before", failures)
                .fact("method", success.method.map(|m| m.as_str()));
            let message = Localized::new(
                format!(
                    "{source} から {} 回失敗した後、{} のログオンに成功しています（{when}）",
                    failures, success.user
                ),
                format!(
                    "{} logged on successfully from {source} after {} failures ({when})",
                    success.user, failures
                ),
            );
            let subject = host_subject(&format!("{source}/{}", success.user.to_lowercase()));
            rule.finding(subject, rule.default_severity, message, evidence)
        })
        .collect()
}
