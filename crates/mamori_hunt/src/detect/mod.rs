//! Detections over normalised events. Each is one file with its `RULE` and a function from all
//! events of a hunt to findings; [`RULES`] is the one list.
//!
//! Detections see only normalised events ([`Repeated`]: a `LogEvent` and its repeats), never files: a new log format needs no change here.

mod account_created;
mod admin_group_added;
mod audit_log_cleared;
mod av_disabled;
mod bruteforce;
mod distributed_bruteforce;
mod off_hours_logon;
mod password_spray;
mod service_installed;
mod success_after_failures;
pub mod window;

use crate::collect::Repeated;
use jiff::SignedDuration;
pub use mamori_model::Text;
use mamori_model::site::SiteConfig;
use mamori_model::{Finding, RuleInfo, Subject, SubjectKind};

/// Thresholds and windows; defaults documented in `docs/hunt.md`.
#[derive(Clone, Debug)]
pub struct HuntConfig {
    /// `log.bruteforce`: failures from one source within `window`.
    pub bruteforce_failures: usize,
    /// The window of `log.bruteforce`.
    pub bruteforce_window: SignedDuration,
    /// `log.password-spray`: distinct accounts tried by one source within `spray_window`.
    pub spray_accounts: usize,
    /// The window of `log.password-spray`.
    pub spray_window: SignedDuration,
    /// `log.distributed-bruteforce`: distinct sources failing on one account within the window.
    pub distributed_sources: usize,
    /// The window of `log.distributed-bruteforce`.
    pub distributed_window: SignedDuration,
    /// `log.success-after-failures`: failures from the source before the success, within the window.
    pub success_after_failures: usize,
    /// The window of `log.success-after-failures`.
    pub success_window: SignedDuration,
    /// Business hours, days and closures for `log.off-hours-logon`.
    pub site: SiteConfig,
}

impl Default for HuntConfig {
    fn default() -> Self {
        Self::for_site(SiteConfig::default())
    }
}

impl HuntConfig {
    /// The thresholds of `site.toml` (`[thresholds] log_*`, defaults in `Thresholds`).
    pub fn for_site(site: SiteConfig) -> Self {
        let t = &site.thresholds;
        let count = |n: i64| n.max(1) as usize;
        let mins = |m: i64| SignedDuration::from_mins(m.max(1));
        Self {
            bruteforce_failures: count(t.log_bruteforce_failures),
            bruteforce_window: mins(t.log_bruteforce_window_minutes),
            spray_accounts: count(t.log_spray_accounts),
            spray_window: mins(t.log_spray_window_minutes),
            distributed_sources: count(t.log_distributed_sources),
            distributed_window: mins(t.log_distributed_window_minutes),
            success_after_failures: count(t.log_success_after_failures),
            success_window: mins(t.log_success_window_minutes),
            site,
        }
    }
}

/// A log detection: its public description (the same type as a site check's) and the function
/// that finds it in the folded events. Field access goes through to the description.
pub struct LogRule {
    /// Id, severity, texts, measures and checklist keys.
    pub info: RuleInfo,
    /// Finds it in the folded events.
    pub run: fn(&[Repeated], &HuntConfig, &LogRule) -> Vec<Finding>,
}

impl std::ops::Deref for LogRule {
    type Target = RuleInfo;
    fn deref(&self) -> &RuleInfo {
        &self.info
    }
}

/// Every log detection, in report order.
pub static RULES: &[&LogRule] = &[
    &bruteforce::RULE,
    &password_spray::RULE,
    &distributed_bruteforce::RULE,
    &success_after_failures::RULE,
    &off_hours_logon::RULE,
    &account_created::RULE,
    &admin_group_added::RULE,
    &audit_log_cleared::RULE,
    &av_disabled::RULE,
    &service_installed::RULE,
];

/// Runs every detection; findings most severe first.
pub fn detect(events: &[Repeated], config: &HuntConfig) -> Vec<Finding> {
    let mut findings: Vec<Finding> = RULES
        .iter()
        .flat_map(|r| (r.run)(events, config, r))
        .collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.subject.key.cmp(&b.subject.key))
    });
    findings
}

/// How many raw references a finding quotes.
pub(crate) const MAX_SOURCES: usize = 5;

/// A time for people: Japan time to the minute, `2025-12-31 02:51 JST`. Evidence facts keep
/// RFC 3339 UTC for machines.
pub(crate) fn local_time(ts: Option<jiff::Timestamp>) -> String {
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    ts.map(|t| format!("{} JST", t.to_zoned(tz).strftime("%Y-%m-%d %H:%M")))
        .unwrap_or_else(|| "時刻不明".into())
}

pub(crate) fn host_subject(key: &str) -> Subject {
    Subject::new(SubjectKind::Host, key, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_rule_ids_are_stable_and_complete() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "log.bruteforce",
                "log.password-spray",
                "log.distributed-bruteforce",
                "log.success-after-failures",
                "log.off-hours-logon",
                "log.account-created",
                "log.admin-group-added",
                "log.audit-log-cleared",
                "log.av-disabled",
                "log.service-installed",
            ]
        );
        for r in RULES {
            for t in [r.title, r.rationale, r.remediation] {
                assert!(!t.ja.is_empty() && !t.en.is_empty(), "{}", r.id);
            }
            for m in r.measures {
                assert!(mamori_model::catalog::measure(m).is_some(), "{}: {m}", r.id);
            }
        }
    }
}
