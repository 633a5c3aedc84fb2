//! `log.password-spray`: one source trying many different accounts — a few passwords against
//! every account, staying under each account's lockout. Failures are grouped by source;
//! explicit-credential logons (Windows 4648) by the account that made them. Default: 10
//! distinct accounts within an hour (a person or a service uses a handful).

use mamori_model::event::{EventKind, Outcome};
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::{Finding, Localized, Severity};

use super::window::{densest_distinct, evidence_of, examples, group_by, top_values, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text, host_subject, minutes};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.password-spray",
        default_severity: Severity::High,
        title: Text {
            ja: "多数のアカウントへのログオン試行（パスワードスプレー）",
            en: "One source trying many accounts (password spraying)",
        },
        rationale: Text {
            ja: "よく使われるパスワードを多数のアカウントに少しずつ試す攻撃は、アカウントロックに掛からず、推測しやすいパスワードのアカウントを見つけます。",
            en: "Trying a few common passwords against many accounts avoids lockouts and finds the accounts with guessable passwords.",
        },
        remediation: Text {
            ja: "接続元を遮断し、対象になったアカウントのパスワードを確認・変更してください。推測されやすいパスワードを禁止し、外部からの接続には多要素認証を使ってください。",
            en: "Block the source, check and change the passwords of the accounts tried, forbid guessable passwords and require MFA for remote access.",
        },
        measures: &[
            "detect.log-review",
            "accounts.strong-passwords",
            "accounts.mfa",
        ],
        checklist: &["access-log", "password-rules"],
    },
    reads: &[EventKind::Logon, EventKind::ExplicitCredentials],
    window: |c| c.spray_window,
    fires_when: "one source tries many accounts (failures, or Windows 4648 explicit credentials by one account)",
    default: |c| {
        format!(
            "≥ {} accounts within {}",
            c.spray_accounts,
            minutes(c.spray_window)
        )
    },
    why_default: "a person or service uses a handful of accounts",
    run,
};

fn key(e: &Repeated) -> String {
    if e.kind == EventKind::ExplicitCredentials {
        format!("{}@{}", e.actor, e.host)
    } else {
        e.source_key()
    }
}

fn run(events: &[&Repeated], cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    let attempts = events.iter().copied().filter(|e| {
        (e.kind == EventKind::Logon && e.outcome == Outcome::Failure)
            || (e.kind == EventKind::ExplicitCredentials && !e.user.is_empty())
    });
    let mut findings = Vec::new();
    for (source, list) in group_by(attempts, key) {
        let (distinct, start, end) =
            densest_distinct(&list, cfg.spray_window, |e| e.user.to_lowercase());
        if distinct < cfg.spray_accounts {
            continue;
        }
        let window = &list[start..end];
        let accounts = top_values(window, 15, |e| e.user.clone());
        let evidence = evidence_of(&list, total(&list), MAX_SOURCES)
            .with_entities(Entities {
                source: Some(source.clone()),
                hosts: Some(top_values(&list, 5, |e| e.host.clone())),
                accounts: Some(accounts.clone()),
                ..Entities::default()
            })
            .fact("distinct_accounts", distinct)
            .fact("window_minutes", cfg.spray_window.as_mins())
            .fact(
                "explicit_credentials",
                list[0].kind == EventKind::ExplicitCredentials,
            );
        let shown = examples(&accounts, 5);
        let message = Localized::new(
            format!(
                "{source} から {distinct} 個のアカウントにログオンが試されました（{} 分以内）。例: {}",
                cfg.spray_window.as_mins(),
                shown
            ),
            format!(
                "{source} tried {distinct} accounts within {} minutes, e.g. {}",
                cfg.spray_window.as_mins(),
                shown
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
