//! What every rule declares, whether it checks the site's records (`mamori_checks`) or hunts
//! in logs (`mamori_hunt`): one type, so that `mamori rules`, the docs and a finding's texts
//! come from the same place for both.

use crate::{Evidence, Finding, Localized, Severity, Subject, Text};

/// A rule's public description: its id, severity, texts, and the measures and checklist
/// items it serves. The function that finds it lives beside it in the crate that runs it.
#[derive(Debug)]
pub struct RuleInfo {
    /// Public, stable id (`account.leaver-enabled`, `log.bruteforce`); scripts depend on it.
    pub id: &'static str,
    /// Severity in the ordinary case; a finding may be raised above it (exposed devices,
    /// privileged accounts) or lowered (unknown rather than known-bad).
    pub default_severity: Severity,
    /// What it is, as a report heading.
    pub title: Text,
    /// Why it matters, with the incident or notice behind it.
    pub rationale: Text,
    /// What to do about it, in steps a clinic can take.
    pub remediation: Text,
    /// Ids from `data/measures.toml`.
    pub measures: &'static [&'static str],
    /// Keys of MHLW checklist items (`data/checklists/`).
    pub checklist: &'static [&'static str],
}

impl RuleInfo {
    /// A finding of this rule about `subject`, with the rule's title, measures, checklist keys
    /// and remediation.
    pub fn finding(
        &self,
        subject: Subject,
        severity: Severity,
        message: Localized,
        evidence: Evidence,
    ) -> Finding {
        Finding {
            id: Finding::stable_id(self.id, &subject),
            rule_id: self.id.to_owned(),
            severity,
            subject,
            title: self.title.localized(),
            message,
            evidence,
            measures: self.measures.iter().map(|m| (*m).to_owned()).collect(),
            checklist_items: self.checklist.iter().map(|c| (*c).to_owned()).collect(),
            remediation: self.remediation.localized(),
        }
    }
}
