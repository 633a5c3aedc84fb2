//! `backup.missing`: a device of the 機器台帳 that holds patient data (電子カルテ, PACS,
//! レセコン, a file server — by its name or product) with no backup job in the バックアップ台帳.

use mamori_model::{Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text};

/// `backup.missing` — patient data without a backup.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.missing",
        default_severity: Severity::High,
        title: Text {
            ja: "患者データのあるシステムにバックアップがない",
            en: "System with patient data has no backup",
        },
        rationale: Text {
            ja: "電子カルテや画像、レセプトのデータは、バックアップがなければ暗号化や故障で失われ、診療を続けられなくなります。",
            en: "Without a backup, records, images and billing data are lost to encryption or failure, and care cannot continue.",
        },
        remediation: Text {
            ja: "このシステムのバックアップを取る仕組みを保守事業者と決め、バックアップ台帳に書いてください。すでに取っているなら、台帳に書き足してください。",
            en: "Agree on a backup of this system with the vendor and record it in the backup ledger (or record the one that already exists).",
        },
        measures: &["respond.backup"],
        checklist: &["backup-restore"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    super::patient_data_assets(ctx.site)
        .filter(|a| super::jobs_of(ctx.site, a).is_empty())
        .map(|asset| {
            let label = crate::assets::asset_label(asset);
            let message = Localized::new(
                format!("{label} は患者データのあるシステムですが、バックアップ台帳にありません"),
                format!("{label} holds patient data but has no backup in the ledger"),
            );
            crate::assets::asset_finding(rule, asset, message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::backup::BackupJob;
    use mamori_model::site::{Asset, AssetKind, Site};

    #[test]
    fn a_server_named_for_its_records_needs_a_job() {
        let asset = |id: &str, name: &str| Asset {
            id: id.into(),
            name: name.into(),
            kind: Some(AssetKind::Server),
            ..Asset::default()
        };
        let site = Site {
            assets: vec![
                asset("SRV-EMR-01", "電子カルテサーバ（主）"),
                asset("SRV-PACS-01", "PACS サーバ"),
                asset("SW-01", "コアスイッチ"),
            ],
            backups: vec![BackupJob {
                system: "電子カルテ".into(),
                ..BackupJob::default()
            }],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject.key, "SRV-PACS-01");
    }
}
