//! `log.distributed-bruteforce`: one account failing from many sources — a botnet guessing one
//! password slowly from many addresses, invisible to per-source counting. Default: 5 distinct
//! sources within an hour (a person roams between two or three machines).

use mamori_model::event::{EventKind, Outcome};
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{densest_distinct, evidence_of, examples, group_by, top_values, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text, minutes};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.distributed-bruteforce",
        default_severity: Severity::High,
        title: Text {
            ja: "多数の接続元から同じアカウントへのログオン失敗",
            en: "One account failing from many sources (distributed brute force)",
        },
        rationale: Text {
            ja: "接続元を変えながら同じアカウントを狙う攻撃は、接続元ごとの回数では見えません。狙われているのは管理者や VPN のアカウントであることが多いです。",
            en: "Attacks that rotate sources against one account stay under per-source limits; the target is usually an administrator or VPN account.",
        },
        remediation: Text {
            ja: "狙われたアカウントのパスワードを長く推測されにくいものに変え、多要素認証を設定してください。不要なら無効化し、外部からの接続元を制限してください。",
            en: "Give the targeted account a long, unguessable password and MFA, disable it if not needed, and restrict where remote logons may come from.",
        },
        measures: &[
            "detect.log-review",
            "accounts.mfa",
            "accounts.strong-passwords",
        ],
        checklist: &["access-log", "two-factor"],
    },
    reads: &[EventKind::Logon],
    window: |c| c.distributed_window,
    fires_when: "one account fails from many sources",
    default: |c| {
        format!(
            "≥ {} sources within {}",
            c.distributed_sources,
            minutes(c.distributed_window)
        )
    },
    why_default: "a person roams between two or three machines",
    run,
};

fn run(events: &[&Repeated], cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    let failures = events.iter().copied().filter(|e| {
        e.kind == EventKind::Logon && e.outcome == Outcome::Failure && !e.user.is_empty()
    });
    let mut findings = Vec::new();
    for (user, list) in group_by(failures, |e| e.user.to_lowercase()) {
        let (distinct, start, end) =
            densest_distinct(&list, cfg.distributed_window, |e| e.source_key());
        if distinct < cfg.distributed_sources {
            continue;
        }
        let sources = top_values(&list[start..end], 15, |e| e.source_key());
        let evidence = evidence_of(&list, total(&list), MAX_SOURCES)
            .with_entities(Entities {
                account: Some(user.clone()),
                sources: Some(sources.clone()),
                ..Entities::default()
            })
            .fact("distinct_sources", distinct)
            .fact("window_minutes", cfg.distributed_window.as_mins());
        let shown = examples(&sources, 5);
        let message = Localized::new(
            format!(
                "アカウント {user} に {distinct} か所の接続元からログオン失敗がありました（{} 分以内）。例: {}",
                cfg.distributed_window.as_mins(),
                shown
            ),
            format!(
                "account {user} failed from {distinct} sources within {} minutes, e.g. {}",
                cfg.distributed_window.as_mins(),
                shown
            ),
        );
        let subject = Subject::new(SubjectKind::Account, format!("log/{user}"), user.clone());
        findings.push(rule.finding(subject, rule.default_severity, message, evidence));
    }
    findings
}
