//! What mamori keeps of each feed record: only what matching and findings need, in a form that
//! serialises compactly for the store.

use serde::{Deserialize, Serialize};

/// One CVE as NVD describes it (or as JVN does when NVD has no record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CveRecord {
    /// `CVE-YYYY-NNNN`.
    pub id: String,
    /// NVD's `lastModified` (naive UTC, as NVD writes it); decides which copy is newer.
    pub last_modified: String,
    /// NVD's `published`.
    pub published: String,
    /// `Analyzed`, `Modified`, `Awaiting Analysis`…
    pub status: String,
    /// English description.
    pub description: String,
    /// The highest-version CVSS base metrics NVD gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    /// Which products and versions are affected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configurations: Vec<Configuration>,
    /// KEV fields NVD mirrors (`cisaExploitAdd`…): a fallback when the KEV catalog is not loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev_mirror: Option<KevMirror>,
}

/// KEV fields as NVD mirrors them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KevMirror {
    /// `cisaExploitAdd`.
    pub date_added: String,
    /// `cisaActionDue`.
    pub due_date: String,
    /// `cisaVulnerabilityName`.
    pub name: String,
}

/// The CVSS score mamori goes by, and whose it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// CVSS version (`3.1`, `4.0`).
    pub version: String,
    /// Base score, 0–10.
    pub score: f32,
    /// `CRITICAL`, `HIGH`…
    pub severity: String,
    /// The vector string.
    pub vector: String,
    /// `nvd@nist.gov` for NVD's own analysis, the CNA otherwise.
    pub source: String,
}

/// How a configuration or node combines its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    /// All must match (a product on a platform).
    #[serde(rename = "AND")]
    And,
    /// Any may match.
    #[serde(rename = "OR")]
    Or,
}

/// One NVD configuration: its nodes combined by `operator` (OR when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
    /// How the nodes combine.
    pub operator: Operator,
    /// Inverted (rare in NVD).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// The nodes.
    pub nodes: Vec<Node>,
}

/// A set of CPE criteria combined by an operator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// How the criteria combine.
    pub operator: Operator,
    /// Inverted (rare in NVD).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// The criteria.
    pub matches: Vec<CpeMatch>,
}

/// One `cpeMatch`: a match string and an optional version range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpeMatch {
    /// False for platform criteria (the hardware a vulnerable OS runs on).
    pub vulnerable: bool,
    /// The CPE match string.
    pub criteria: String,
    /// The first affected version, when bounded below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Bound>,
    /// The first fixed (or last affected) version, when bounded above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Bound>,
}

/// One end of an affected version range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    /// The version.
    pub version: String,
    /// Whether the version itself is included.
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
    /// `CVE-YYYY-NNNN`.
    pub cve: String,
    /// The vendor as CISA names it.
    pub vendor: String,
    /// The product as CISA names it.
    pub product: String,
    /// The flaw's name.
    pub name: String,
    /// When CISA added it: exploitation is known from about then.
    pub date_added: String,
    /// CISA's due date for federal agencies.
    pub due_date: String,
    /// `knownRansomwareCampaignUse` = `Known`.
    pub ransomware: bool,
    /// What CISA says to do.
    pub required_action: String,
    /// CISA's notes (links).
    #[serde(default)]
    pub notes: String,
}

/// FIRST EPSS: the probability of exploitation in the next 30 days, and its percentile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Epss {
    /// Probability of exploitation in the next 30 days.
    pub score: f32,
    /// Percentile among all scored CVEs.
    pub percentile: f32,
}

/// One JVN iPedia entry (JVNDB-…), Japanese text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JvnRecord {
    /// `JVNDB-YYYY-NNNNNN`.
    pub id: String,
    /// The Japanese title.
    pub title: String,
    /// The CVE ids it covers.
    #[serde(default)]
    pub cves: Vec<String>,
    /// The products it names.
    #[serde(default)]
    pub products: Vec<JvnProduct>,
    /// CVSS as JVN gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    /// When JVN last changed it.
    pub last_modified: String,
}

/// A product as JVN names it: the Japanese vendor and product names with JVN's CPE, and the
/// affected versions as JVN writes them (free text: `8.0`, `5.8 (Build 1577) 未満`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JvnProduct {
    /// The vendor in Japanese as JVN writes it.
    pub vendor: String,
    /// The product as JVN writes it.
    pub product: String,
    /// `part:vendor:product` from JVN's CPE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Affected versions in JVN's free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}
