//! What mamori keeps of each feed record: only what matching and findings need, in a form that
//! serialises compactly for the store.

use serde::{Deserialize, Serialize};

/// One CVE as NVD describes it (or as JVN does when NVD has no record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CveRecord {
    pub id: String,
    /// NVD's `lastModified` (naive UTC, as NVD writes it); decides which copy is newer.
    pub last_modified: String,
    pub published: String,
    /// `Analyzed`, `Modified`, `Awaiting Analysis`…
    pub status: String,
    /// English description.
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configurations: Vec<Configuration>,
    /// KEV fields NVD mirrors (`cisaExploitAdd`…): a fallback when the KEV catalog is not loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev_mirror: Option<KevMirror>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KevMirror {
    pub date_added: String,
    pub due_date: String,
    pub name: String,
}

/// The CVSS score mamori goes by, and whose it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    pub version: String,
    pub score: f32,
    pub severity: String,
    pub vector: String,
    /// `nvd@nist.gov` for NVD's own analysis, the CNA otherwise.
    pub source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    #[serde(rename = "AND")]
    And,
    #[serde(rename = "OR")]
    Or,
}

/// One NVD configuration: its nodes combined by `operator` (OR when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
    pub operator: Operator,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    pub nodes: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub operator: Operator,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    pub matches: Vec<CpeMatch>,
}

/// One `cpeMatch`: a match string and an optional version range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpeMatch {
    pub vulnerable: bool,
    pub criteria: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Bound>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Bound>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    pub version: String,
    pub inclusive: bool,
}

impl CpeMatch {
    /// `7.0.0 以上 7.0.14 未満` / `7.0.0 <= v < 7.0.14`, or empty when there is no range.
    pub fn range_text(&self) -> (String, String) {
        let (mut ja, mut en) = (Vec::new(), Vec::new());
        if let Some(b) = &self.start {
            ja.push(format!(
                "{} {}",
                b.version,
                if b.inclusive { "以上" } else { "超" }
            ));
            en.push(format!(
                "{} {}",
                if b.inclusive { ">=" } else { ">" },
                b.version
            ));
        }
        if let Some(b) = &self.end {
            ja.push(format!(
                "{} {}",
                b.version,
                if b.inclusive { "以下" } else { "未満" }
            ));
            en.push(format!(
                "{} {}",
                if b.inclusive { "<=" } else { "<" },
                b.version
            ));
        }
        (ja.join("・"), en.join(", "))
    }
}

/// One entry of CISA's Known Exploited Vulnerabilities catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KevEntry {
    pub cve: String,
    pub vendor: String,
    pub product: String,
    pub name: String,
    pub date_added: String,
    pub due_date: String,
    /// `knownRansomwareCampaignUse` = `Known`.
    pub ransomware: bool,
    pub required_action: String,
    #[serde(default)]
    pub notes: String,
}

/// FIRST EPSS: the probability of exploitation in the next 30 days, and its percentile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Epss {
    pub score: f32,
    pub percentile: f32,
}

/// One JVN iPedia entry (JVNDB-…), Japanese text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JvnRecord {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub cves: Vec<String>,
    #[serde(default)]
    pub products: Vec<JvnProduct>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    pub last_modified: String,
}

/// A product as JVN names it: the Japanese vendor and product names with JVN's CPE, and the
/// affected versions as JVN writes them (free text: `8.0`, `5.8 (Build 1577) 未満`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JvnProduct {
    pub vendor: String,
    pub product: String,
    /// `part:vendor:product` from JVN's CPE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}
