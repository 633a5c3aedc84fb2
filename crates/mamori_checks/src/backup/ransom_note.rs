//! `backup.ransom-note`: a ransom note in a backup destination. Whatever else the scan says,
//! someone has been there.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::encrypted_suspect::destination_subject;
use crate::{CheckContext, Rule, Text};

/// `backup.ransom-note` — a ransom note was found.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.ransom-note",
        default_severity: Severity::Critical,
        title: Text {
            ja: "バックアップの保存先に脅迫文（身代金の要求）がある",
            en: "Ransom note in a backup destination",
        },
        rationale: Text {
            ja: "身代金を要求する文書は、攻撃者がその場所を暗号化した（または、しようとした）印です。",
            en: "A ransom note means attackers encrypted, or tried to encrypt, that place.",
        },
        remediation: Text {
            ja: "保存先をネットワークから外し（電源は切らない）、脅迫文は消さずに残したまま、保守事業者・警察・厚生労働省に連絡してください。身代金は支払わないでください。",
            en: "Disconnect the destination (leave it powered), keep the note, call the vendor, the police and the Ministry, and do not pay.",
        },
        measures: &["respond.no-ransom", "respond.procedures-contacts"],
        checklist: &["incident-contacts"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    ctx.site
        .backup_scans
        .iter()
        .filter(|s| s.ransom_note_count > 0)
        .map(|scan| {
            let shown: Vec<&str> = scan
                .ransom_notes
                .iter()
                .take(3)
                .map(String::as_str)
                .collect();
            let message = Localized::new(
                format!(
                    "{} に脅迫文と思われるファイルが {} 個あります: {}",
                    scan.root,
                    scan.ransom_note_count,
                    shown.join("、")
                ),
                format!(
                    "{}: {} ransom notes: {}",
                    scan.root,
                    scan.ransom_note_count,
                    shown.join(", ")
                ),
            );
            let evidence = Evidence {
                count: Some(scan.ransom_note_count),
                ..Evidence::default()
            }
            .fact("notes", scan.ransom_notes.clone());
            rule.finding(
                destination_subject(scan),
                rule.default_severity,
                message,
                evidence,
            )
        })
        .collect()
}
