//! `backup.same-credentials`: a backup destination reached with the Windows domain's
//! credentials. An attacker who takes the domain (the usual step before encrypting) can then
//! delete or encrypt the backups too.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::stale::{job_label, job_subject};
use crate::{CheckContext, Rule, Text};

/// `backup.same-credentials` — the domain's credentials open the backups.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.same-credentials",
        default_severity: Severity::High,
        title: Text {
            ja: "バックアップ先に Windows のドメインと同じ認証を使っている",
            en: "Backups reachable with the domain's credentials",
        },
        rationale: Text {
            ja: "攻撃者はドメインの管理者権限を奪ってから暗号化します。バックアップ先が同じパスワードで開くなら、バックアップも消されるか暗号化されます。",
            en: "Attackers take the domain's administrator rights before encrypting; if the same password opens the backups, they are deleted or encrypted too.",
        },
        remediation: Text {
            ja: "バックアップ先（NAS、バックアップサーバ）にはドメインに参加しない専用のアカウントとパスワードを設け、管理者以外が書き込めないようにしてください。",
            en: "Give the backup destination its own account outside the domain, with its own password, writable by the backup alone.",
        },
        measures: &["respond.backup", "accounts.review-privileges"],
        checklist: &["backup-restore"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    ctx.site
        .backups
        .iter()
        .filter(|j| j.separate_credentials == Some(false))
        .map(|job| {
            let message = Localized::new(
                format!(
                    "{}の保存先は Windows のドメインと同じ認証で開きます",
                    job_label(job)
                ),
                format!(
                    "{}: the destination opens with the domain's credentials",
                    job_label(job)
                ),
            );
            let evidence = Evidence::default().source(job.origin.clone());
            rule.finding(job_subject(job), rule.default_severity, message, evidence)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::backup::BackupJob;
    use mamori_model::site::Site;

    #[test]
    fn only_a_recorded_no_fires() {
        let job = |separate| BackupJob {
            system: "電子カルテ".into(),
            separate_credentials: separate,
            ..BackupJob::default()
        };
        let site = Site {
            backups: vec![job(Some(false)), job(Some(true)), job(None)],
            ..Site::default()
        };
        assert_eq!(check(&RULE, &site).len(), 1);
    }
}
