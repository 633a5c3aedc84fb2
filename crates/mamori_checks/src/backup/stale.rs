//! `backup.stale`: a backup job whose last success is older than its schedule allows (one day
//! of grace), or, without a schedule, older than `thresholds.backup_max_age_days` (7). A job
//! with no recorded last success is reported too: a backup nobody watches may have stopped.

use mamori_model::backup::BackupJob;
use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};

use crate::{CheckContext, Rule, Text};

/// `backup.stale` — the newest backup is older than its schedule.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.stale",
        default_severity: Severity::High,
        title: Text {
            ja: "バックアップが止まっている",
            en: "Backup not taken on schedule",
        },
        rationale: Text {
            ja: "止まったままのバックアップは、いざという時に古いデータしか戻せません。ランサムウェアの攻撃者はまずバックアップを止めることがあります。",
            en: "A stopped backup restores only old data when it is needed; attackers often stop backups first.",
        },
        remediation: Text {
            ja: "バックアップソフトの記録で失敗の原因を確かめて再開し、成功した日を台帳に記録してください。毎回の成功を誰かが確かめる決まりにしてください。",
            en: "Find out from the backup software why it failed, restart it and record the day of success; have someone check every run.",
        },
        measures: &["respond.backup"],
        checklist: &["backup-restore"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let default_days = ctx.site.config.thresholds.backup_max_age_days;
    let mut findings = Vec::new();
    for job in &ctx.site.backups {
        let allowed = job.every_days.map_or(default_days, |d| d + 1);
        let (message, severity, mut evidence) = match job.last_success {
            None => (
                Localized::new(
                    format!("{}の最終成功日が台帳にありません", job_label(job)),
                    format!("{}: no last successful backup recorded", job_label(job)),
                ),
                Severity::Medium,
                Evidence::default(),
            ),
            Some(day) => {
                let days = ctx.days_since(day);
                if days <= allowed {
                    continue;
                }
                (
                    Localized::new(
                        format!(
                            "{}は {days} 日間成功していません（最終成功 {day}、{allowed} 日以内が目安）",
                            job_label(job)
                        ),
                        format!(
                            "{}: no success for {days} days (last {day}; expected within {allowed})",
                            job_label(job)
                        ),
                    ),
                    rule.default_severity,
                    Evidence::default()
                        .fact("last_success", day.to_string())
                        .fact("days_since", days),
                )
            }
        };
        evidence = evidence
            .fact("allowed_days", allowed)
            .source(job.origin.clone());
        findings.push(rule.finding(job_subject(job), severity, message, evidence));
    }
    findings.extend(scanned(ctx, rule));
    findings
}

/// Scanned destinations whose newest generation (by the date in its name, else the newest
/// file's time) is older than the schedule of the ledger job writing there (its destination
/// named in the path, + 1 day), else `thresholds.backup_max_age_days`.
fn scanned(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let default_days = ctx.site.config.thresholds.backup_max_age_days;
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let mut findings = Vec::new();
    for scan in &ctx.site.backup_scans {
        let by_name = scan.generations.iter().filter_map(|g| g.date).max();
        let by_time = scan.newest.map(|t| t.to_zoned(tz.clone()).date());
        let Some(newest) = by_name.or(by_time) else {
            continue;
        };
        let root = scan.root.to_lowercase();
        let limit = ctx
            .site
            .backups
            .iter()
            .filter(|j| j.destination.chars().count() >= 3)
            .filter(|j| root.contains(&j.destination.to_lowercase()))
            .filter_map(|j| j.every_days)
            .min()
            .map_or(default_days, |d| d + 1);
        let days = ctx.days_since(newest);
        if days <= limit {
            continue;
        }
        let message = Localized::new(
            format!(
                "{} のいちばん新しいバックアップは {days} 日前のものです（{newest}、{limit} 日以内が目安）",
                scan.root
            ),
            format!(
                "{}: the newest backup is {days} days old ({newest}; within {limit} expected)",
                scan.root
            ),
        );
        let evidence = Evidence::default()
            .fact("newest", newest.to_string())
            .fact("days_since", days)
            .fact("allowed_days", limit);
        findings.push(rule.finding(
            super::encrypted_suspect::destination_subject(scan),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}

/// 「電子カルテ → NAS-01」: one job, for messages.
pub(crate) fn job_label(job: &BackupJob) -> String {
    if job.destination.is_empty() {
        format!("{} のバックアップ", job.system)
    } else {
        format!("{} → {} のバックアップ", job.system, job.destination)
    }
}

/// One job as a subject: the system and where it writes.
pub(crate) fn job_subject(job: &BackupJob) -> Subject {
    let key = format!("{}/{}", job.system, job.destination);
    Subject::new(SubjectKind::System, key, job_label(job))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use jiff::civil::date;
    use mamori_model::site::Site;

    fn job(last: Option<jiff::civil::Date>, every: Option<i64>) -> BackupJob {
        BackupJob {
            system: "電子カルテ".into(),
            destination: "NAS-01".into(),
            last_success: last,
            every_days: every,
            ..BackupJob::default()
        }
    }

    #[test]
    fn a_daily_job_two_days_late_fires_and_a_weekly_one_does_not() {
        let site = Site {
            backups: vec![
                job(Some(date(2026, 11, 18)), Some(1)),
                job(Some(date(2026, 11, 18)), Some(7)),
                job(None, Some(1)),
            ],
            ..Site::default()
        };
        let f = check_on(&RULE, &site, date(2026, 11, 21));
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::High);
        assert!(f[0].message.ja.contains("3 日間成功していません"));
        assert_eq!(f[1].severity, Severity::Medium);
    }

    #[test]
    fn a_scanned_destination_is_held_to_the_schedule_of_the_job_writing_there() {
        use mamori_model::backup::{DestinationScan, Generation};
        let scan = |root: &str| DestinationScan {
            root: root.into(),
            generations: vec![Generation {
                name: "2026-11-18".into(),
                date: Some(date(2026, 11, 18)),
                ..Generation::default()
            }],
            ..DestinationScan::default()
        };
        let site = Site {
            backups: vec![BackupJob {
                system: "電子カルテ".into(),
                destination: "nas01".into(),
                every_days: Some(1),
                last_success: Some(date(2026, 11, 20)),
                ..BackupJob::default()
            }],
            backup_scans: vec![scan("/mnt/NAS01/backup"), scan("/mnt/usb-hdd")],
            ..Site::default()
        };
        let f = check_on(&RULE, &site, date(2026, 11, 21));
        // Daily to nas01: three days old is stale; the USB disk has no job: 7 days allowed.
        let keys: Vec<&str> = f.iter().map(|f| f.subject.key.as_str()).collect();
        assert_eq!(keys, ["/mnt/NAS01/backup"]);
    }
}
