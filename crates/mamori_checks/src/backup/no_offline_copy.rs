//! `backup.no-offline-copy`: a system none of whose backup jobs keeps a copy out of the
//! network's reach (an unplugged disk, tape, WORM or immutable cloud storage). In the Japanese
//! hospital attacks the backups on the network were encrypted with everything else.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text};

/// `backup.no-offline-copy` — every copy is reachable from the network.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.no-offline-copy",
        default_severity: Severity::High,
        title: Text {
            ja: "ネットワークから切り離したバックアップがない",
            en: "No backup copy out of the network's reach",
        },
        rationale: Text {
            ja: "ネットワークにつながったままのバックアップは、ランサムウェアに本体と一緒に暗号化されます。半田病院などの事例では、これで復旧に何か月もかかりました。",
            en: "Backups left on the network are encrypted with everything else; in the Handa hospital case this made recovery take months.",
        },
        remediation: Text {
            ja: "少なくとも 1 つの世代を、ネットワークから外した外付けHDD・テープ、または書き換えできない保存（WORM、クラウドの不変ストレージ）に置き、その方法を台帳に書いてください。",
            en: "Keep at least one generation on an unplugged disk or tape, or on write-once storage (WORM, immutable cloud storage), and record how.",
        },
        measures: &["respond.backup"],
        checklist: &["backup-restore"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (system, jobs) in super::systems(ctx.site) {
        if jobs.iter().any(|j| j.offline_copy == Some(true)) {
            continue;
        }
        let recorded_no = jobs.iter().any(|j| j.offline_copy == Some(false));
        let (note_ja, note_en) = if recorded_no {
            ("オフライン保管なし", "no offline copy")
        } else {
            ("オフライン保管の記載なし", "offline copy not recorded")
        };
        let patient_data = system.asset.map_or(
            mamori_model::backup::names_patient_data(&system.name),
            mamori_model::site::Asset::holds_patient_data,
        );
        let severity = if patient_data {
            rule.default_severity
        } else {
            Severity::Medium
        };
        let destinations: Vec<&str> = jobs.iter().map(|j| j.destination.as_str()).collect();
        let message = Localized::new(
            format!(
                "{} のバックアップ（{}）はすべてネットワークにつながった所にあります（{note_ja}）",
                system.label(),
                destinations.join("、")
            ),
            format!(
                "every backup of {} ({}) is on the network ({note_en})",
                system.label(),
                destinations.join(", ")
            ),
        );
        let mut evidence = Evidence::default().fact("destinations", destinations);
        for j in &jobs {
            evidence = evidence.source(j.origin.clone());
        }
        findings.push(rule.finding(system.subject(), severity, message, evidence));
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
    fn one_offline_job_is_enough_for_its_system() {
        let job = |system: &str, offline| BackupJob {
            system: system.into(),
            destination: "NAS-01".into(),
            offline_copy: offline,
            ..BackupJob::default()
        };
        let site = Site {
            backups: vec![
                job("電子カルテ", Some(false)),
                job("電子カルテ", Some(true)),
                job("PACS", None),
            ],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject.key, "PACS");
        assert_eq!(f[0].severity, Severity::High);
        assert!(f[0].message.ja.contains("オフライン保管の記載なし"));
    }
}
