//! `backup.restore-untested`: a backed-up system with no successful restore test within
//! `thresholds.backup_restore_test_days` (a year), or whose last test failed. A backup that has
//! never been restored is a hope, not a plan: tests find missing files, wrong passwords and
//! restores that take days.

use jiff::civil::Date;
use mamori_model::site::Site;
use mamori_model::{Evidence, Finding, Localized, Severity, SourceRef};

use super::System;
use crate::{CheckContext, Rule, Text};

/// `backup.restore-untested` — no recent successful restore.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.restore-untested",
        default_severity: Severity::Medium,
        title: Text {
            ja: "バックアップから戻せることを確かめていない",
            en: "Restore from backup not tested",
        },
        rationale: Text {
            ja: "注意喚起は復旧手順の確認を求めています。戻してみるまで、バックアップに必要なものがそろっているか、何時間かかるかは分かりません。",
            en: "The notices ask for the restore procedure to be confirmed: until a restore is tried, nobody knows whether the backup is whole or how long it takes.",
        },
        remediation: Text {
            ja: "年 1 回以上、バックアップから実際に戻す訓練を行い、かかった時間と結果を復元訓練記録に残してください。失敗したら原因を直して、もう一度試してください。",
            en: "Restore from backup at least once a year, record the time taken and the result, and after a failure fix the cause and try again.",
        },
        measures: &["respond.backup"],
        checklist: &["backup-restore"],
    },
    run,
};

/// The latest restore test of a system: its day, whether it succeeded, where it is recorded.
pub(crate) struct LastTest {
    /// The day.
    pub day: Date,
    /// `None` when the result was not recorded.
    pub succeeded: Option<bool>,
    /// Minutes taken, when recorded.
    pub minutes: Option<i64>,
    /// The ledger or drill row.
    pub origin: SourceRef,
}

/// The latest restore test of the system named `name`, from the backup ledger and the drills.
pub(crate) fn last_test(site: &Site, system: &System) -> Option<LastTest> {
    let named = |s: &str| s == system.name || system.asset.is_some_and(|a| super::covers(s, a));
    let from_jobs = site
        .backups
        .iter()
        .filter(|j| named(&j.system))
        .filter_map(|j| {
            Some(LastTest {
                day: j.last_restore_test?,
                succeeded: j.restore_succeeded,
                minutes: j.restore_minutes,
                origin: j.origin.clone(),
            })
        });
    let from_drills = site
        .restore_drills
        .iter()
        .filter(|d| named(&d.system))
        .filter_map(|d| {
            Some(LastTest {
                day: d.date?,
                succeeded: d.succeeded,
                minutes: d.minutes,
                origin: d.origin.clone(),
            })
        });
    from_jobs.chain(from_drills).max_by_key(|t| t.day)
}

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let limit = ctx.site.config.thresholds.backup_restore_test_days;
    let mut findings = Vec::new();
    for (system, jobs) in super::systems(ctx.site) {
        let label = system.label();
        let last = last_test(ctx.site, &system);
        let (severity, ja, en) = match &last {
            None => (
                rule.default_severity,
                format!("{label} はバックアップから戻す試験の記録がありません"),
                format!("{label}: no restore test recorded"),
            ),
            Some(t) if t.succeeded == Some(false) => (
                Severity::High,
                format!("{label} の最後の復元テスト（{}）は失敗しています", t.day),
                format!("{label}: the last restore test ({}) failed", t.day),
            ),
            Some(t) if ctx.days_since(t.day) > limit => (
                rule.default_severity,
                format!(
                    "{label} の最後の復元テストは {} 日前です（{}、{limit} 日以内が目安）",
                    ctx.days_since(t.day),
                    t.day
                ),
                format!(
                    "{label}: last restore test {} days ago ({}; within {limit} expected)",
                    ctx.days_since(t.day),
                    t.day
                ),
            ),
            Some(_) => continue,
        };
        let mut evidence = Evidence::default().fact("max_age_days", limit);
        match last {
            Some(t) => {
                evidence = evidence
                    .fact("last_test", t.day.to_string())
                    .fact("succeeded", t.succeeded)
                    .source(t.origin);
            }
            None => {
                for j in &jobs {
                    evidence = evidence.source(j.origin.clone());
                }
            }
        }
        let message = Localized::new(ja, en);
        findings.push(rule.finding(system.subject(), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use jiff::civil::date;
    use mamori_model::backup::{BackupJob, RestoreDrill};

    #[test]
    fn a_recent_drill_counts_and_a_failed_one_is_high() {
        let job = |system: &str| BackupJob {
            system: system.into(),
            ..BackupJob::default()
        };
        let drill = |system: &str, day, ok| RestoreDrill {
            system: system.into(),
            date: Some(day),
            succeeded: Some(ok),
            ..RestoreDrill::default()
        };
        let site = Site {
            backups: vec![job("電子カルテ"), job("PACS"), job("レセコン")],
            restore_drills: vec![
                drill("電子カルテ", date(2026, 3, 1), true),
                drill("PACS", date(2026, 10, 1), false),
            ],
            ..Site::default()
        };
        let f = check_on(&RULE, &site, date(2026, 11, 21));
        let keys: Vec<(&str, Severity)> = f
            .iter()
            .map(|f| (f.subject.key.as_str(), f.severity))
            .collect();
        assert_eq!(
            keys,
            [("PACS", Severity::High), ("レセコン", Severity::Medium)]
        );
    }
}
