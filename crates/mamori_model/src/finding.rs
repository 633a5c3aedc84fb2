//! The [`Finding`]: the one currency between checks, the store and the reports.
//!
//! Its JSON form is documented in `docs/findings.md`; changing a field name there is a breaking
//! change for every script that reads `mamori assess --format json`.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::evidence::{CveDetail, Entities, Evidence, SourceRef};
use crate::lang::{Lang, Localized};

/// How urgent a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// Fix when convenient.
    Low,
    /// Fix within weeks.
    Medium,
    /// Fix soon: a way in or a missing safeguard.
    High,
    /// Act now: a known way in or signs of an attack.
    Critical,
}

impl Severity {
    /// Most severe first: the order reports list them in.
    pub const ALL_DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The name in JSON and `--min-severity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The label for people (緊急, 高…, or the English name).
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Critical, Lang::Ja) => "緊急",
            (Severity::High, Lang::Ja) => "高",
            (Severity::Medium, Lang::Ja) => "中",
            (Severity::Low, Lang::Ja) => "低",
            (Severity::Info, Lang::Ja) => "情報",
            (s, Lang::En) => s.as_str(),
        }
    }

    /// Accepts the English names and the Japanese labels.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "critical" | "緊急" => Severity::Critical,
            "high" | "高" => Severity::High,
            "medium" | "中" => Severity::Medium,
            "low" | "低" => Severity::Low,
            "info" | "情報" => Severity::Info,
            _ => return None,
        })
    }
}

/// For `--fail-on` and the like: the English names or the Japanese labels.
impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Severity::parse(s).ok_or_else(|| {
            "critical, high, medium, low, info のいずれか / one of critical, high, medium, low, info"
                .to_owned()
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of thing a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    /// The site as a whole (a missing table, a checklist duty).
    Site,
    /// A device of the 機器台帳.
    Asset,
    /// An account of the アカウント台帳.
    Account,
    /// A vendor of the 事業者一覧.
    Vendor,
    /// A connection point of the 接続点一覧.
    Connection,
    /// An entry of the 緊急連絡先, or a missing one.
    Contact,
    /// A person of the 職員名簿.
    Staff,
    /// A system named in the backup or BCP tables that is not a device of the 機器台帳
    /// (電子カルテ as a whole), or one backup job of it (`system/destination`).
    System,
    /// A host, IP address or user seen only in logs.
    Host,
    /// An item of an MHLW checklist, or a step of the holiday programme.
    Checklist,
    /// A mail checked by `mamori mail check` (key: its Message-ID, else its SHA-256).
    Mail,
}

impl SubjectKind {
    /// The name in JSON and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Site => "site",
            SubjectKind::Asset => "asset",
            SubjectKind::Account => "account",
            SubjectKind::Vendor => "vendor",
            SubjectKind::Connection => "connection",
            SubjectKind::Contact => "contact",
            SubjectKind::Staff => "staff",
            SubjectKind::System => "system",
            SubjectKind::Host => "host",
            SubjectKind::Checklist => "checklist",
            SubjectKind::Mail => "mail",
        }
    }

    /// The label for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SubjectKind::Site, Lang::Ja) => "施設",
            (SubjectKind::Asset, Lang::Ja) => "機器",
            (SubjectKind::Account, Lang::Ja) => "アカウント",
            (SubjectKind::Vendor, Lang::Ja) => "事業者",
            (SubjectKind::Connection, Lang::Ja) => "接続点",
            (SubjectKind::Contact, Lang::Ja) => "連絡先",
            (SubjectKind::Staff, Lang::Ja) => "職員",
            (SubjectKind::System, Lang::Ja) => "システム",
            (SubjectKind::Host, Lang::Ja) => "ホスト",
            (SubjectKind::Checklist, Lang::Ja) => "チェック項目",
            (SubjectKind::Mail, Lang::Ja) => "メール",
            (k, Lang::En) => k.as_str(),
        }
    }
}

/// The thing a finding is about.
///
/// `key` identifies it within its kind and must be stable between runs (an asset id, or
/// `system/username` for an account): the finding id is derived from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// What kind of thing.
    pub kind: SubjectKind,
    /// Its stable key within the kind.
    pub key: String,
    /// A name for people (機器名, 氏名, 事業者名); may change without changing the finding id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl Subject {
    /// A subject of `kind` with a stable `key` and a name for people.
    pub fn new(kind: SubjectKind, key: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            name: name.into(),
        }
    }

    /// `name (key)`, or whichever of the two exists.
    pub fn display(&self) -> String {
        match (self.name.is_empty(), self.key.is_empty()) {
            (false, false) if self.name != self.key => format!("{} ({})", self.name, self.key),
            (false, _) => self.name.clone(),
            _ => self.key.clone(),
        }
    }
}

/// One thing mamori found wrong, with everything needed to act on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: the same rule on the same subject gives the same id in every run.
    pub id: String,
    /// The rule that found it (a public id, `docs/checks.md`).
    pub rule_id: String,
    /// How urgent, as the rule judged it for this subject.
    pub severity: Severity,
    /// What it is about.
    pub subject: Subject,
    /// The rule's title, so that readers of stored findings need no rule registry.
    pub title: Localized,
    /// One sentence naming the subject and what is wrong.
    pub message: Localized,
    /// What proves it.
    pub evidence: Evidence,
    /// Ids from `data/measures.toml`.
    pub measures: Vec<String>,
    /// Keys from the MHLW checklist data (`data/checklists/`).
    pub checklist_items: Vec<String>,
    /// What to do about it.
    pub remediation: Localized,
}

impl Finding {
    /// The stable id: the first 16 hex digits of SHA-256 over rule id, subject kind and key.
    pub fn stable_id(rule_id: &str, subject: &Subject) -> String {
        let mut hasher = Sha256::new();
        hasher.update(rule_id.as_bytes());
        hasher.update([0]);
        hasher.update(subject.kind.as_str().as_bytes());
        hasher.update([0]);
        hasher.update(subject.key.as_bytes());
        let digest = hasher.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_id_depends_on_rule_and_subject_key_only() {
        let a = Subject::new(SubjectKind::Asset, "A-001", "FortiGate");
        let renamed = Subject::new(SubjectKind::Asset, "A-001", "VPN装置");
        let other = Subject::new(SubjectKind::Asset, "A-002", "FortiGate");
        let id = Finding::stable_id("asset.patch-stale", &a);
        assert_eq!(id.len(), 16);
        assert_eq!(id, Finding::stable_id("asset.patch-stale", &renamed));
        assert_ne!(id, Finding::stable_id("asset.patch-stale", &other));
        assert_ne!(id, Finding::stable_id("asset.av-stale", &a));
    }

    #[test]
    fn severity_orders_and_parses_both_languages() {
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
        assert_eq!(Severity::parse("緊急"), Some(Severity::Critical));
        assert_eq!(Severity::parse(" High "), Some(Severity::High));
        assert_eq!(Severity::parse("urgent"), None);
    }
}
