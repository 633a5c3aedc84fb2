//! `backup.mass-change`: since the previous scan, at least `thresholds.backup_mass_change_percent`
//! (30) of a destination's files were deleted, renamed or rewritten. A backup adds a generation
//! and prunes an old one (a few percent); ransomware rewrites or renames everything it reaches.

use mamori_model::{Evidence, Finding, Localized, Severity};

use super::encrypted_suspect::destination_subject;
use crate::{CheckContext, Rule, Text};

/// `backup.mass-change` — most files changed since the last scan.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "backup.mass-change",
        default_severity: Severity::Critical,
        title: Text {
            ja: "前回の確認からバックアップのファイルが大量に変わった",
            en: "Mass change of backup files since the last scan",
        },
        rationale: Text {
            ja: "バックアップは新しい世代が増え、古い世代が少し消えるだけです。多くのファイルが書き換えられたり名前が変わったりしたなら、暗号化が疑われます。",
            en: "Backups add a generation and prune an old one; many files rewritten or renamed at once suggest encryption.",
        },
        remediation: Text {
            ja: "保存先をネットワークから外してから、変わったファイルを保守事業者と確かめてください。バックアップソフトの設定変更など理由が分かっているなら、その記録を残してください。",
            en: "Disconnect the destination, then check the changed files with the vendor; if a known change explains it (new software settings), record it.",
        },
        measures: &["respond.backup"],
        checklist: &["backup-restore"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let limit = ctx.site.config.thresholds.backup_mass_change_percent as f64;
    let mut findings = Vec::new();
    for scan in &ctx.site.backup_scans {
        let Some(c) = scan.changes.as_ref().filter(|c| c.percent >= limit) else {
            continue;
        };
        let message = Localized::new(
            format!(
                "{} は前回の確認（{}）から {:.0}% のファイルが消えたか書き換えられています（消えた・名前が変わった {} 個、書き換え {} 個、全 {} 個中）",
                scan.root, c.previous_at, c.percent, c.gone, c.rewritten, c.previous_files
            ),
            format!(
                "{}: {:.0}% of its files gone or rewritten since the scan of {} ({} gone or renamed, {} rewritten, of {})",
                scan.root, c.percent, c.previous_at, c.gone, c.rewritten, c.previous_files
            ),
        );
        let evidence = Evidence::default()
            .fact("percent", c.percent)
            .fact("gone", c.gone)
            .fact("rewritten", c.rewritten)
            .fact("added", c.added)
            .fact("previous_files", c.previous_files)
            .fact("threshold_percent", limit);
        findings.push(rule.finding(
            destination_subject(scan),
            rule.default_severity,
            message,
            evidence,
        ));
    }
    findings
}
