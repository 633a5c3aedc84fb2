//! `log.source-silent`: a device that was sending logs has stopped — switched off, its logging
//! turned off by an intruder, or the line to it cut — or a gateway of the 機器台帳 has never
//! sent any. Only a receiver knows "now", so only `mamori watch` raises it (through
//! [`silent`] and [`never_sent`]); over files `hunt` has no present to measure silence against.

use jiff::{SignedDuration, Timestamp};
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use crate::collect::Repeated;

use super::{HuntConfig, LogRule, Text};

/// The rule: its description and thresholds (it reads no event over files).
pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.source-silent",
        default_severity: Severity::Medium,
        title: Text {
            ja: "ログが届かなくなった機器",
            en: "A device stopped sending logs",
        },
        rationale: Text {
            ja: "ログを送っていた機器が黙ったときは、電源や回線の異常か、侵入者がログの送信を止めた可能性があります。ゲートウェイのログが一度も届かないなら、攻撃を受けても誰も気付けません。",
            en: "A device that goes quiet may be down, cut off, or have had its logging stopped by an intruder; a gateway whose logs never arrive can be attacked unseen.",
        },
        remediation: Text {
            ja: "機器が動いているか、syslog の送信先の設定が変わっていないかを確かめてください。ゲートウェイは syslog の送信先に mamori watch を設定してください。",
            en: "Check the device is up and its syslog destination unchanged; point gateways' syslog at mamori watch.",
        },
        measures: &["detect.log-review"],
        checklist: &["access-log"],
    },
    reads: &[],
    window: |_| SignedDuration::ZERO,
    fires_when: "live only (mamori watch): no message from a sender for [watch] silent_hours, or none ever from a gateway of the ledger",
    default: |_| "6 hours without a message ([watch] silent_hours)".to_owned(),
    why_default: "routers and firewalls log every few minutes; six quiet hours are not a quiet night",
    run,
};

/// Over files there is no "now": nothing to measure silence against.
fn run(_: &[&Repeated], _: &HuntConfig, _: &LogRule) -> Vec<Finding> {
    Vec::new()
}

fn subject(source: &str, name: &str) -> Subject {
    Subject::new(SubjectKind::Host, source, name)
}

fn jst(t: Timestamp) -> String {
    super::local_time(Some(t))
}

/// A sender quiet since `last` (at `now`, after `after`).
pub fn silent(source: &str, last: Timestamp, now: Timestamp, after: SignedDuration) -> Finding {
    let hours = now.duration_since(last).as_hours();
    let message = Localized::new(
        format!(
            "{source} からのログが {} 以降 {hours} 時間届いていません（{} 時間で知らせる設定）",
            jst(last),
            after.as_hours()
        ),
        format!(
            "No log from {source} for {hours} hours, since {} (alert after {} hours)",
            jst(last),
            after.as_hours()
        ),
    );
    let evidence = mamori_model::Evidence::default()
        .fact("last_message_at", last.to_string())
        .fact("silent_hours", hours);
    RULE.info
        .finding(subject(source, source), Severity::Medium, message, evidence)
}

/// A gateway of the ledger (`name`, address `ip`) that has sent nothing since `since`.
pub fn never_sent(ip: &str, name: &str, since: Timestamp) -> Finding {
    let message = Localized::new(
        format!(
            "ゲートウェイ {name}（{ip}）からログが一度も届いていません（{} から受信中）",
            jst(since)
        ),
        format!(
            "The gateway {name} ({ip}) has sent no log since mamori watch started ({})",
            jst(since)
        ),
    );
    let evidence = mamori_model::Evidence::default().fact("listening_since", since.to_string());
    RULE.info
        .finding(subject(ip, name), Severity::High, message, evidence)
}
