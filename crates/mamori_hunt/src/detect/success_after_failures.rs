//! `log.success-after-failures`: a successful logon from a source that had just been failing —
//! the guess that worked. Critical: the attacker is probably in. A success matches failures
//! from the same source address; failures that carry no address (local or SSH-on-Windows
//! logons record `-`) match a success of the same account on the same machine. Default: 3
//! failures within the hour before the success. A success is also linked, days later, to a
//! brute force or a password spray from the same address, or a brute force on the same
//! account (default: within 14 days, `log_success_link_days`): the vendor account whose VPN
//! tunnel came up 22 hours after 600 failures from that address.

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
    window: |c| c.success_window.max(c.success_link),
    fires_when: "a success from a source that was failing (no address: same account on the same machine), or from an address / on an account attacked by brute force or spraying within the link window",
    default: |c| {
        format!(
            "≥ {} failures within {} before it; linked back {} days",
            c.success_after_failures,
            minutes(c.success_window),
            c.success_link.as_hours() / 24
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
    let mut by_account: HashMap<String, Vec<&Repeated>> = HashMap::new();
    for f in events
        .iter()
        .copied()
        .filter(|e| e.kind == EventKind::Logon && e.outcome == Outcome::Failure)
    {
        by_account.entry(f.user.to_lowercase()).or_default().push(f);
        if f.source_ip.is_some() {
            by_source.entry(f.source_key()).or_default().push(f);
        } else {
            by_account_here
                .entry((f.host.clone(), f.user.to_lowercase()))
                .or_default()
                .push(f);
        }
    }
    for list in by_source
        .values_mut()
        .chain(by_account_here.values_mut())
        .chain(by_account.values_mut())
    {
        list.sort_by_key(|e| e.time);
    }
    // One finding per (source, account): the first success that follows enough failures.
    let mut hits: BTreeMap<(String, String), Hit> = BTreeMap::new();
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
            hits.insert(key, (success, before, None));
        } else if let Some((link, attack)) = linked(success, &by_source, &by_account, cfg) {
            hits.insert(key, (success, attack, Some(link)));
        }
    }
    hits.into_iter()
        .map(|((source, _), (success, before, link))| {
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
            if let Some(link) = &link {
                let message = link_message(&source, success, link);
                let evidence = evidence
                    .fact("linked_attack", link.kind.en)
                    .fact("linked_attack_at", link.at.to_string())
                    .fact("hours_after", link.hours_after);
                let subject = host_subject(&format!("{source}/{}", success.user.to_lowercase()));
                return rule.finding(subject, rule.default_severity, message, evidence);
            }
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

/// A success, the failures behind it, and — when they were days earlier — the attack linked.
type Hit<'a> = (&'a Repeated, Vec<&'a Repeated>, Option<Link>);

/// An attack a success was linked to.
struct Link {
    kind: Text,
    /// Linked through the account (a brute force on it from anywhere), not the address.
    by_account: bool,
    /// When the attack reached its threshold.
    at: jiff::Timestamp,
    /// Hours from then to the success.
    hours_after: i64,
}

const BRUTEFORCE: Text = Text {
    ja: "総当たり",
    en: "brute force",
};
const SPRAY: Text = Text {
    ja: "パスワードスプレー",
    en: "password spray",
};

/// The brute force or spray from the success's address, or the brute force on its account,
/// within the link window before it (the latest such attack), with the failures behind it.
fn linked<'a>(
    success: &Repeated,
    by_source: &HashMap<String, Vec<&'a Repeated>>,
    by_account: &HashMap<String, Vec<&'a Repeated>>,
    cfg: &HuntConfig,
) -> Option<(Link, Vec<&'a Repeated>)> {
    let st = success.time?;
    let within = |list: &[&'a Repeated]| -> Vec<&'a Repeated> {
        list.iter()
            .copied()
            .filter(|f| {
                f.time
                    .is_some_and(|t| t <= st && st.duration_since(t) <= cfg.success_link)
            })
            .collect()
    };
    let from_source = success
        .source_ip
        .is_some()
        .then(|| by_source.get(&success.source_key()))
        .flatten()
        .map(|l| within(l))
        .unwrap_or_default();
    let on_account = by_account
        .get(&success.user.to_lowercase())
        .map(|l| within(l))
        .unwrap_or_default();
    let enough_failures = |w: &[&Repeated]| total(w) >= cfg.bruteforce_failures as u64;
    let found = [
        (
            attack_end(&from_source, cfg.bruteforce_window, enough_failures),
            BRUTEFORCE,
            false,
        ),
        (
            attack_end(&from_source, cfg.spray_window, |w| {
                distinct_users(w) >= cfg.spray_accounts
            }),
            SPRAY,
            false,
        ),
        (
            attack_end(&on_account, cfg.bruteforce_window, enough_failures),
            BRUTEFORCE,
            true,
        ),
    ];
    let (at, kind, by_account) = found
        .into_iter()
        .filter_map(|(at, kind, by_account)| at.map(|at| (at, kind, by_account)))
        .max_by_key(|(at, ..)| *at)?;
    let hours_after = st.duration_since(at).as_hours();
    let failures = if by_account { on_account } else { from_source };
    Some((
        Link {
            kind,
            by_account,
            at,
            hours_after,
        },
        failures,
    ))
}

fn distinct_users(window: &[&Repeated]) -> usize {
    let mut users: Vec<String> = window.iter().map(|e| e.user.to_lowercase()).collect();
    users.sort_unstable();
    users.dedup();
    users.len()
}

/// When a time-sorted list of failures first met `enough` within `span` (the latest window
/// that did, so the gap to the success is the shortest true one).
fn attack_end(
    list: &[&Repeated],
    span: jiff::SignedDuration,
    enough: impl Fn(&[&Repeated]) -> bool,
) -> Option<jiff::Timestamp> {
    let mut found = None;
    let mut start = 0;
    for end in 0..list.len() {
        let t_end = list[end].time?;
        while list[start]
            .time
            .is_some_and(|t| t_end.duration_since(t) > span)
        {
            start += 1;
        }
        if enough(&list[start..=end]) {
            found = Some(t_end);
        }
    }
    found
}

fn link_message(source: &str, success: &Repeated, link: &Link) -> Localized {
    let when = super::local_time(success.time);
    let attack_at = super::local_time(Some(link.at));
    let (user, hours, kind) = (&success.user, link.hours_after, link.kind);
    if link.by_account {
        return Localized::new(
            format!(
                "{user} は {attack_at} に{}の標的になっていました。その {hours} 時間後、{source} から {user} のログオンに成功しています（{when}）",
                kind.ja
            ),
            format!(
                "{user} logged on successfully from {source} ({when}), {hours} hours after a {} on that account ({attack_at})",
                kind.en
            ),
        );
    }
    Localized::new(
        format!(
            "{source} は {attack_at} に{}の攻撃元として検知されています。その {hours} 時間後、同じ接続元から {user} のログオンに成功しています（{when}）",
            kind.ja
        ),
        format!(
            "{user} logged on successfully from {source} ({when}), {hours} hours after a {} from that address ({attack_at})",
            kind.en
        ),
    )
}
