//! What proves a finding: where it was read ([`SourceRef`]), counts and times, the people,
//! machines and flaws it names ([`Entities`], typed, because other parts of mamori act on them:
//! the site link, the dashboard's filters, the receiver's alerts) and free-form facts for
//! display.
//!
//! In JSON the typed entities sit inside `facts` under their historical keys (`account`,
//! `hosts`, `cves`…), so `assess --format json` and stored findings keep one shape: scripts
//! read `evidence.facts.account` as before.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a piece of evidence came from: a file and a row/line (tables, text logs) or a record
/// id (EVTX), and optionally the column.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceRef {
    /// The file, relative to the site folder or as named on the command line.
    pub file: String,
    /// 1-based row or line number, counting the header row of a table as row 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The EVTX record id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<u64>,
    /// The column of a table (its header as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The line itself, where quoting it proves the point (configuration lines, secrets
    /// masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

impl SourceRef {
    /// A row of a table or a line of a text file.
    pub fn row(file: impl Into<String>, line: u64) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            ..Self::default()
        }
    }

    /// A line of a text file, quoted.
    pub fn quote(file: impl Into<String>, line: u64, text: impl Into<String>) -> Self {
        Self {
            excerpt: Some(text.into()),
            ..Self::row(file, line)
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = self.record_id {
            write!(f, "#{record}")?;
        }
        if let Some(column) = &self.column {
            write!(f, " [{column}]")?;
        }
        Ok(())
    }
}

/// Structured evidence: facts a script can read without parsing prose.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "EvidenceJson")]
pub struct Evidence {
    /// The accounts, hosts, addresses and flaws the finding names: what other crates read
    /// (through [`Evidence::entities`]). Boxed and absent for most findings: the checks of the
    /// site's tables name none, and an inline `Entities` made every finding 260 bytes larger.
    pub entities: Option<Box<Entities>>,
    /// Display-only facts, e.g. `last_logon`, `days_since`, `threshold_days`. A key of
    /// [`Entities::KEYS`] never lives here.
    pub facts: BTreeMap<String, Value>,
    /// How many events or records the finding stands for, where that is meaningful.
    pub count: Option<u64>,
    /// The earliest event behind the finding (log detections).
    pub first_seen: Option<jiff::Timestamp>,
    /// The latest event behind the finding (log detections).
    pub last_seen: Option<jiff::Timestamp>,
    /// The input rows or records that prove it.
    pub sources: Vec<SourceRef>,
}

impl Evidence {
    /// Adds a display-only fact. The entity keys have typed setters instead ([`Entities`]).
    pub fn fact(mut self, key: &str, value: impl Into<Value>) -> Self {
        debug_assert!(
            !Entities::KEYS.contains(&key),
            "`{key}` is an entity: set evidence.entities.{key} instead"
        );
        self.facts.insert(key.to_owned(), value.into());
        self
    }

    /// Adds a reference to the input that proves the finding.
    pub fn source(mut self, source: SourceRef) -> Self {
        self.sources.push(source);
        self
    }

    /// Sets the entities the finding names.
    pub fn with_entities(mut self, entities: Entities) -> Self {
        self.entities = Some(Box::new(entities));
        self
    }

    /// The entities the finding names (none set: all fields `None`).
    pub fn entities(&self) -> &Entities {
        static NONE: Entities = Entities::NONE;
        self.entities.as_deref().unwrap_or(&NONE)
    }

    /// The entities, to add to them (the site link adds the ledger rows it found).
    pub fn entities_mut(&mut self) -> &mut Entities {
        self.entities.get_or_insert_with(Box::default)
    }
}

/// The people, machines and flaws a finding names. Each field is one key of the JSON `facts`
/// (its name), present only when set; a singular field names the one account or host the
/// finding is about, a plural one lists those involved (most frequent first).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entities {
    /// The account the finding is about (the one that logged on, was created, was attacked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Accounts tried or used by one source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Vec<String>>,
    /// Accounts that failed before a success from the same source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_accounts: Option<Vec<String>>,
    /// The account added to a group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The machine that logged the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Machines that logged the events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosts: Option<Vec<String>>,
    /// The address (or host name) the attempts came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Addresses the attempts came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    /// The vulnerabilities a device's version is affected by, most severe first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cves: Option<Vec<CveDetail>>,
    /// Ledger accounts (`system/username`) matching the accounts named: set by the site link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_accounts: Option<Vec<String>>,
    /// Ledger devices (asset ids) matching the hosts or addresses named: set by the site link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_assets: Option<Vec<String>>,
}

impl Entities {
    /// Nothing named.
    pub const NONE: Entities = Entities {
        account: None,
        accounts: None,
        failed_accounts: None,
        member: None,
        host: None,
        hosts: None,
        source: None,
        sources: None,
        cves: None,
        site_accounts: None,
        site_assets: None,
    };

    /// The JSON keys of the typed fields, reserved in `facts`.
    pub const KEYS: [&'static str; 11] = [
        "account",
        "accounts",
        "failed_accounts",
        "member",
        "host",
        "hosts",
        "source",
        "sources",
        "cves",
        "site_accounts",
        "site_assets",
    ];

    /// Every account name the finding mentions (the one, the many, the failed, the member).
    pub fn account_names(&self) -> impl Iterator<Item = &str> {
        let one = [&self.account, &self.member].into_iter().flatten();
        let many = [&self.accounts, &self.failed_accounts]
            .into_iter()
            .flatten()
            .flatten();
        one.chain(many).map(String::as_str)
    }

    /// Every host name or address the finding mentions.
    pub fn host_names(&self) -> impl Iterator<Item = &str> {
        let one = [&self.host, &self.source].into_iter().flatten();
        let many = [&self.hosts, &self.sources].into_iter().flatten().flatten();
        one.chain(many).map(String::as_str)
    }

    /// Moves the entity keys of a JSON facts map into typed fields. A value of another shape
    /// (a finding stored by a future version, say) stays in the map rather than being lost.
    fn take_from(facts: &mut BTreeMap<String, Value>) -> Entities {
        let mut typed = serde_json::Map::new();
        for key in Entities::KEYS {
            let Some(value) = facts.remove(key) else {
                continue;
            };
            let one = serde_json::Map::from_iter([(key.to_owned(), value.clone())]);
            if serde_json::from_value::<Entities>(Value::Object(one)).is_ok() {
                typed.insert(key.to_owned(), value);
            } else {
                facts.insert(key.to_owned(), value);
            }
        }
        serde_json::from_value(Value::Object(typed)).unwrap_or_default()
    }
}

/// One vulnerability a device is affected by, as the vulnerability checks found it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CveDetail {
    /// `CVE-YYYY-NNNN`.
    pub cve: String,
    /// The CPE criterion of NVD's configuration that matched the device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe_criteria: Option<String>,
    /// The affected versions of that criterion, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_range: Option<String>,
    /// The CVSS base score used to rank it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<f64>,
    /// FIRST's EPSS probability of exploitation in the next 30 days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epss: Option<f64>,
    /// The JVN id (`JVNDB-…`) when JVN iPedia lists it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jvn: Option<String>,
    /// JVN's Japanese title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_ja: Option<String>,
    /// The versions JVN lists as affected, when the match came from JVN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jvn_versions: Option<Vec<String>>,
    /// When CISA added it to the KEV catalog.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kev_date_added: Option<String>,
    /// CISA's due date for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kev_due_date: Option<String>,
    /// Whether the device's version was compared with the affected range (false: matched on
    /// the product alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_compared: Option<bool>,
    /// Whether CISA knows it to be used in ransomware campaigns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ransomware_campaign_use: Option<bool>,
}

/// The JSON form of [`Evidence`] as read back: entities inside `facts`.
#[derive(Deserialize)]
struct EvidenceJson {
    #[serde(default)]
    facts: BTreeMap<String, Value>,
    #[serde(default)]
    count: Option<u64>,
    #[serde(default)]
    first_seen: Option<jiff::Timestamp>,
    #[serde(default)]
    last_seen: Option<jiff::Timestamp>,
    #[serde(default)]
    sources: Vec<SourceRef>,
}

impl From<EvidenceJson> for Evidence {
    fn from(mut json: EvidenceJson) -> Self {
        Evidence {
            entities: Some(Box::new(Entities::take_from(&mut json.facts)))
                .filter(|e| **e != Entities::NONE),
            facts: json.facts,
            count: json.count,
            first_seen: json.first_seen,
            last_seen: json.last_seen,
            sources: json.sources,
        }
    }
}

/// Written field by field (not through a copy into [`EvidenceJson`]): an assessment writes
/// every finding, and copying each one's facts first cost a tenth of `assess`'s time.
impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let entities = match serde_json::to_value(self.entities()) {
            Ok(Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let mut out = serializer.serialize_struct("Evidence", 5)?;
        if self.facts.is_empty() && entities.is_empty() {
            out.skip_field("facts")?;
        } else {
            out.serialize_field("facts", &MergedFacts(&self.facts, &entities))?;
        }
        match &self.count {
            Some(count) => out.serialize_field("count", count)?,
            None => out.skip_field("count")?,
        }
        match &self.first_seen {
            Some(t) => out.serialize_field("first_seen", t)?,
            None => out.skip_field("first_seen")?,
        }
        match &self.last_seen {
            Some(t) => out.serialize_field("last_seen", t)?,
            None => out.skip_field("last_seen")?,
        }
        if self.sources.is_empty() {
            out.skip_field("sources")?;
        } else {
            out.serialize_field("sources", &self.sources)?;
        }
        out.end()
    }
}

/// The display facts and the entities as one map in key order, as the JSON has always had it.
struct MergedFacts<'a>(
    &'a BTreeMap<String, Value>,
    &'a serde_json::Map<String, Value>,
);

impl Serialize for MergedFacts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut merged: Vec<(&String, &Value)> = self.0.iter().chain(self.1.iter()).collect();
        merged.sort_by(|a, b| a.0.cmp(b.0));
        serializer.collect_map(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_keep_their_place_in_the_json_facts() {
        let evidence = Evidence::default()
            .fact("days_since", 8)
            .with_entities(Entities {
                account: Some("vpn-abe".into()),
                sources: Some(vec!["198.51.100.7".into()]),
                cves: Some(vec![CveDetail {
                    cve: "CVE-2024-21762".into(),
                    cvss: Some(9.8),
                    ..CveDetail::default()
                }]),
                ..Entities::default()
            });
        let json = serde_json::to_value(&evidence).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"facts": {
                "account": "vpn-abe",
                "cves": [{"cve": "CVE-2024-21762", "cvss": 9.8}],
                "days_since": 8,
                "sources": ["198.51.100.7"],
            }})
        );
        let back: Evidence = serde_json::from_value(json).unwrap();
        assert_eq!(back, evidence);
        assert_eq!(
            back.entities().account_names().collect::<Vec<_>>(),
            ["vpn-abe"]
        );
    }

    #[test]
    fn an_entity_key_of_another_shape_stays_a_plain_fact() {
        let json = serde_json::json!({"facts": {"account": 42, "host": "pc-01"}});
        let e: Evidence = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(e.entities().host.as_deref(), Some("pc-01"));
        assert_eq!(e.facts["account"], 42);
        assert_eq!(serde_json::to_value(&e).unwrap(), json);
    }
}
