//! `backup.few-generations`: a job keeping fewer generations than
//! `thresholds.backup_min_generations` (3). With one or two, the encrypted copy overwrites the
//! last good one before anyone notices.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::stale::{job_label, job_subject};
use crate::{CheckContext, Rule, Text};

/// `backup.few-generations` — too few generations kept.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.few-generations",
        default_severity: Severity::Medium,
        title: Text {
            ja: "バックアップの世代が少ない",
            en: "Too few backup generations",
        },
        rationale: Text {
            ja: "世代が少ないと、暗号化されたデータで正しいバックアップが上書きされてから気づくことになります。気づくまでの日数より多くの世代が要ります。",
            en: "With few generations, encrypted data overwrites the last good copy before anyone notices; keep more generations than the days it takes to notice.",
        },
        remediation: Text {
            ja: "保存する世代を増やしてください（毎日なら 2 週間分以上、さらに月 1 回分を別に残すなど）。保存先の容量が足りなければ保守事業者に相談してください。",
            en: "Keep more generations (two weeks of dailies and a monthly copy, for example); ask the vendor if space is short.",
        },
        measures: &["respond.backup"],
        checklist: &["backup-restore"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let min = ctx.site.config.thresholds.backup_min_generations;
    let mut findings = Vec::new();
    for job in &ctx.site.backups {
        let Some(kept) = job.generations.filter(|&g| g < min) else {
            continue;
        };
        let message = Localized::new(
            format!(
                "{}は {kept} 世代しか残していません（{min} 世代以上が目安）",
                job_label(job)
            ),
            format!(
                "{} keeps {kept} generations ({min} or more expected)",
                job_label(job)
            ),
        );
        let evidence = Evidence::default()
            .fact("generations", kept)
            .fact("min_generations", min)
            .source(job.origin.clone());
        findings.push(rule.finding(job_subject(job), rule.default_severity, message, evidence));
    }
    // Scanned destinations: the generations their names show (none shown: not judged).
    for scan in &ctx.site.backup_scans {
        let n = scan.generations.len() as i64;
        if n == 0 || n >= min {
            continue;
        }
        let message = Localized::new(
            format!(
                "{} には {n} 世代しかありません（{min} 世代以上が目安）",
                scan.root
            ),
            format!(
                "{} holds {n} generations ({min} or more expected)",
                scan.root
            ),
        );
        let evidence = Evidence::default()
            .fact("generations", n)
            .fact("min_generations", min);
        findings.push(rule.finding(
            super::encrypted_suspect::destination_subject(scan),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::backup::BackupJob;
    use mamori_model::site::Site;

    #[test]
    fn two_generations_fire_three_do_not() {
        let job = |g| BackupJob {
            system: "PACS".into(),
            generations: Some(g),
            ..BackupJob::default()
        };
        let site = Site {
            backups: vec![job(2), job(3)],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.ja.contains("2 世代しか"));
    }
}
