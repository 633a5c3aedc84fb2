//! `backup.encrypted-suspect`: files in a backup destination that look encrypted by ransomware —
//! a ransomware extension, content that is not what the name promises, text that reads as
//! random. Every suspect file is listed (up to 1,000, then counted) with why.

use mamori_model::backup::{DestinationScan, Suspicion};
use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};

use crate::{CheckContext, Rule, Text};

/// `backup.encrypted-suspect` — backup files look encrypted.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.encrypted-suspect",
        default_severity: Severity::Critical,
        title: Text {
            ja: "バックアップのファイルが暗号化されている疑い",
            en: "Backup files look encrypted by ransomware",
        },
        rationale: Text {
            ja: "ランサムウェアはバックアップも暗号化して、身代金を払うしかない状態にします。暗号化が進んでいる間に保存先をつないだままにすると、残った世代も失われます。",
            en: "Ransomware encrypts backups too, to leave no way back but paying; while it runs, every generation still connected is at risk.",
        },
        remediation: Text {
            ja: "まず保存先（NAS など）をネットワークから外してください（電源は切らずに LAN ケーブルを抜く）。それから保守事業者と警察・厚生労働省に連絡し、どの世代が無事かを確かめてください。",
            en: "First disconnect the destination from the network (unplug the cable, leave it powered), then call the vendor, the police and the Ministry, and find out which generations are intact.",
        },
        measures: &["respond.backup", "respond.procedures-contacts"],
        checklist: &["backup-restore"],
    },
    run,
};

/// A scanned destination as a subject.
pub(crate) fn destination_subject(scan: &DestinationScan) -> Subject {
    Subject::new(SubjectKind::System, &scan.root, &scan.root)
}

fn why(s: &Suspicion) -> (String, String) {
    match s {
        Suspicion::Extension { extension } => (
            format!("ランサムウェアの拡張子 {extension}"),
            format!("ransomware extension {extension}"),
        ),
        Suspicion::Magic { expected } => (
            format!("中身が {expected} ではない"),
            format!("content is not {expected}"),
        ),
        Suspicion::Entropy { bits } => (
            format!("中身がランダム（{bits:.2} ビット/バイト）"),
            format!("content reads as random ({bits:.2} bits/byte)"),
        ),
    }
}

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for scan in ctx.site.backup_scans.iter().filter(|s| s.suspect_count > 0) {
        let examples: Vec<String> = scan
            .suspects
            .iter()
            .take(3)
            .map(|s| format!("{}（{}）", s.file, why(&s.suspicion).0))
            .collect();
        let message = Localized::new(
            format!(
                "{} の {} 個のファイルが暗号化されている疑いがあります: {}",
                scan.root,
                scan.suspect_count,
                examples.join("、")
            ),
            format!(
                "{}: {} files look encrypted: {}",
                scan.root,
                scan.suspect_count,
                scan.suspects
                    .iter()
                    .take(3)
                    .map(|s| format!("{} ({})", s.file, why(&s.suspicion).1))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        let listed: Vec<serde_json::Value> = scan
            .suspects
            .iter()
            .map(|s| serde_json::to_value(s).unwrap_or_default())
            .collect();
        let evidence = Evidence {
            count: Some(scan.suspect_count),
            ..Evidence::default()
        }
        .fact("files", listed)
        .fact("files_listed", scan.suspects.len());
        findings.push(rule.finding(
            destination_subject(scan),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}
