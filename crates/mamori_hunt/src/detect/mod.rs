//! Detections over normalised events. Each is one file with its `RULE`: what it reads, its
//! window, and a function from the kept events to findings; [`RULES`] is the one list.
//!
//! Every detection runs through a [`Detector`], fed one event at a time (`observe`) and asked
//! for findings (`flush`): `mamori watch` feeds it a live stream, and the batch path
//! ([`detect`], [`run_batch`]) hands the rule the same events by reference. A detector
//! keeps only the kinds of event its rule reads, and a flush with a time forgets what can no
//! longer fall in a window with a later event, so a stream's memory stays bounded.
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
pub mod source_silent;
mod success_after_failures;
pub mod window;

use crate::collect::{EventSet, Repeated};
use jiff::{SignedDuration, Timestamp};
pub use mamori_model::Text;
use mamori_model::event::{EventKind, LogEvent};
use mamori_model::site::SiteConfig;
use mamori_model::{Finding, RuleInfo, Subject, SubjectKind};
use rayon::prelude::*;

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
    /// How far back `log.success-after-failures` links a success to a brute force or spray.
    pub success_link: SignedDuration,
    /// Business hours, days and closures for `log.off-hours-logon`.
    pub site: SiteConfig,
    /// The blocklists the `net.blocklisted-*` rules match traffic against (none by default).
    pub intel: std::sync::Arc<mamori_vuln::blocklist::Intel>,
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
            success_link: SignedDuration::from_hours(24 * t.log_success_link_days.clamp(0, 90)),
            site,
            intel: std::sync::Arc::default(),
        }
    }
}

/// A log detection: its public description (the same type as a site check's), the events it
/// reads, its window and the function that finds it in the kept events. Field access goes
/// through to the description.
pub struct LogRule {
    /// Id, severity, texts, measures and checklist keys.
    pub info: RuleInfo,
    /// The kinds of event it reads: a detector keeps no others.
    pub reads: &'static [EventKind],
    /// How long before a later event an event can still be part of the same finding (the
    /// rule's window); zero for detections of single events.
    pub window: fn(&HuntConfig) -> SignedDuration,
    /// When it fires, in words: the "fires when" column of `docs/hunt.md`.
    pub fires_when: &'static str,
    /// Its default threshold, in words, from the configuration's values.
    pub default: fn(&HuntConfig) -> String,
    /// Why that default: what a person does versus what an attack does.
    pub why_default: &'static str,
    /// Finds it in the kept events.
    pub run: fn(&[&Repeated], &HuntConfig, &LogRule) -> Vec<Finding>,
}

/// A window in words for the docs: `10 min`, `1 h`.
pub(crate) fn minutes(d: SignedDuration) -> String {
    let m = d.as_mins();
    if m % 60 == 0 {
        format!("{} h", m / 60)
    } else {
        format!("{m} min")
    }
}

/// The table of `docs/hunt.md` "Detections and their defaults", from [`RULES`] and the
/// default configuration (a test keeps the file current).
pub fn rules_table() -> String {
    let config = HuntConfig::default();
    let mut out = String::from(
        "| rule id | severity | fires when | default | why this default |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.default_severity,
            r.fires_when,
            (r.default)(&config),
            r.why_default
        ));
    }
    out
}

/// For detections of single events: nothing needs keeping after a flush.
pub(crate) fn no_window(_: &HuntConfig) -> SignedDuration {
    SignedDuration::ZERO
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
    &source_silent::RULE,
];

/// One log detection fed event by event: the same rule over a file's events or a live stream.
///
/// `flush` returns the findings over the events kept so far — the same a batch run over those
/// events gives, finding ids included. Flushing with a time `until` then forgets the events
/// that ended more than the rule's window before it: a later window cannot reach them. On a
/// stream a finding is therefore reported again, with the same id, while its events are kept,
/// and a source that comes back after its window starts a fresh count under the same id.
pub struct Detector<'c> {
    rule: &'static LogRule,
    config: &'c HuntConfig,
    kept: EventSet,
}

impl<'c> Detector<'c> {
    /// A detector with nothing kept yet.
    pub fn new(rule: &'static LogRule, config: &'c HuntConfig) -> Self {
        Self {
            rule,
            config,
            kept: EventSet::new(),
        }
    }

    /// Takes one event (kept only when the rule reads its kind).
    pub fn observe(&mut self, event: LogEvent) {
        if self.rule.reads.contains(&event.kind) {
            self.kept.push(event);
        }
    }

    /// [`Detector::observe`] for an event shared by several detectors, standing for `repeat`
    /// attempts: copied only into a detector whose rule reads its kind.
    pub fn observe_ref(&mut self, event: &LogEvent, repeat: u32) {
        if self.rule.reads.contains(&event.kind) {
            self.kept
                .push_repeated_event(event.clone(), u64::from(repeat));
        }
    }

    /// The findings over the events kept; then, given `until`, forgets the events that ended
    /// more than the rule's window before it (`None`: forgets nothing, as at the end of a batch).
    pub fn flush(&mut self, until: Option<Timestamp>) -> Vec<Finding> {
        let kept: Vec<&Repeated> = self.kept.groups().iter().collect();
        let findings = (self.rule.run)(&kept, self.config, self.rule);
        if let Some(until) = until {
            let window = (self.rule.window)(self.config);
            self.kept
                .forget_before(until.saturating_sub(window).unwrap_or(until));
        }
        findings
    }

    /// How many groups of events it keeps: what a long-running receiver watches for memory.
    pub fn kept(&self) -> usize {
        self.kept.groups().len()
    }
}

/// Every rule fed from one folded stream: what [`Detector`]s, one per rule, give flush by flush
/// — the same findings, finding ids included — with each event folded once instead of once
/// per rule that reads its kind (the fold was most of a live receiver's work). Each rule sees
/// the groups of its kinds that ended within its window at its last flush, as its own
/// detector would have kept; the set forgets what every rule's window has passed. One
/// difference, on a stream only: an event arriving later than a rule's window after others
/// of its very minute folds into their group where a detector of its own would have started
/// a new one, if a rule with a longer window still keeps that group.
pub struct Detectors<'c> {
    /// The rules, each with the start of what it kept at its last flush.
    rules: Vec<(&'static LogRule, Option<Timestamp>)>,
    config: &'c HuntConfig,
    kept: EventSet,
}

impl<'c> Detectors<'c> {
    /// Detectors of these rules with nothing kept yet.
    pub fn new(rules: &[&'static LogRule], config: &'c HuntConfig) -> Self {
        Self {
            rules: rules.iter().map(|r| (*r, None)).collect(),
            config,
            kept: EventSet::new(),
        }
    }

    /// An event standing for `repeat` attempts; kept once when some rule reads its kind.
    pub fn observe_ref(&mut self, event: &LogEvent, repeat: u32) {
        if self
            .rules
            .iter()
            .any(|(r, _)| r.reads.contains(&event.kind))
        {
            self.kept
                .push_repeated_event(event.clone(), u64::from(repeat));
        }
    }

    /// The findings of every rule over what it keeps; then, given `until`, each rule's window
    /// moves to end there and what no window reaches is forgotten.
    pub fn flush(&mut self, until: Option<Timestamp>) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut forget_from: Option<Timestamp> = None;
        for (rule, from) in &mut self.rules {
            if rule.reads.is_empty() {
                continue;
            }
            let view: Vec<&Repeated> = self
                .kept
                .groups()
                .iter()
                .filter(|g| {
                    rule.reads.contains(&g.kind)
                        && from.is_none_or(|f| g.last_time.is_some_and(|t| t >= f))
                })
                .collect();
            findings.extend((rule.run)(&view, self.config, rule));
            if let Some(until) = until {
                let window = (rule.window)(self.config);
                let start = until.saturating_sub(window).unwrap_or(until);
                *from = Some(start);
                forget_from = Some(forget_from.map_or(start, |f| f.min(start)));
            }
        }
        if let Some(start) = forget_from {
            self.kept.forget_before(start);
        }
        findings
    }

    /// How many groups of events are kept: what a long-running receiver watches for memory.
    pub fn kept(&self) -> usize {
        self.kept.groups().len()
    }
}

/// One rule over a finished batch of folded events: the events of the kinds it reads, by
/// reference — what a [`Detector`] that observed each of them gives when flushed once
/// (`tests/incremental.rs`), without copying a file's events once per rule.
pub fn run_batch(rule: &LogRule, events: &[Repeated], config: &HuntConfig) -> Vec<Finding> {
    let read: Vec<&Repeated> = events
        .iter()
        .filter(|e| rule.reads.contains(&e.kind))
        .collect();
    (rule.run)(&read, config, rule)
}

/// Runs every detection over a batch of folded events; findings most severe first.
pub fn detect(events: &[Repeated], config: &HuntConfig) -> Vec<Finding> {
    // The rules are independent readers of the same events: run side by side. The order of
    // the findings is set by the sort, not by which rule ended first.
    let per_rule: Vec<Vec<Finding>> = RULES
        .par_iter()
        .map(|rule| run_batch(rule, events, config))
        .collect();
    let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
    sort_findings(&mut findings);
    findings
}

/// Most severe first, then by rule and subject: the order of every hunt report.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.subject.key.cmp(&b.subject.key))
    });
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
    fn docs_hunt_md_lists_the_rules() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/hunt.md");
        let text = std::fs::read_to_string(path).unwrap();
        let (start, end) = ("<!-- rules: generated -->\n", "<!-- rules: end -->");
        let (before, rest) = text
            .split_once(start)
            .expect("start marker in docs/hunt.md");
        let (_, after) = rest.split_once(end).expect("end marker in docs/hunt.md");
        let fresh = format!("{before}{start}{}{end}{after}", rules_table());
        if std::env::var_os("MAMORI_BLESS").is_some() {
            std::fs::write(path, &fresh).unwrap();
            return;
        }
        assert!(
            text == fresh,
            "docs/hunt.md is out of date: run `MAMORI_BLESS=1 cargo test -p mamori_hunt`"
        );
    }

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
                "log.source-silent",
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
