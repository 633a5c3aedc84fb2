//! NVD CVE API 2.0 JSON: API pages and the yearly feed files (`{"vulnerabilities": [{"cve":
//! …}]}`), single `{"cve": …}` records, and bare `cve` objects (the fkie-cad mirror).
//!
//! Large files are streamed: the `vulnerabilities` array is read one element at a time, so a
//! 2 GB "all CVEs" file needs memory for one record, not for the file. Each element is first
//! read as a JSON value so that one odd record is reported and skipped instead of ending the file.

use std::fmt;
use std::io::Read;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::record::{Bound, Configuration, CpeMatch, CveRecord, Cvss, KevMirror, Node, Operator};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CveIn {
    id: String,
    #[serde(default)]
    last_modified: String,
    #[serde(default)]
    published: String,
    #[serde(default)]
    vuln_status: String,
    #[serde(default)]
    descriptions: Vec<LangText>,
    #[serde(default)]
    metrics: MetricsIn,
    #[serde(default)]
    configurations: Vec<ConfigIn>,
    cisa_exploit_add: Option<String>,
    cisa_action_due: Option<String>,
    cisa_vulnerability_name: Option<String>,
}

#[derive(Deserialize)]
struct LangText {
    lang: String,
    value: String,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetricsIn {
    #[serde(default)]
    cvss_metric_v40: Vec<MetricIn>,
    #[serde(default)]
    cvss_metric_v31: Vec<MetricIn>,
    #[serde(default)]
    cvss_metric_v30: Vec<MetricIn>,
    #[serde(default)]
    cvss_metric_v2: Vec<MetricIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetricIn {
    #[serde(default)]
    source: String,
    #[serde(default, rename = "type")]
    kind: String,
    cvss_data: CvssDataIn,
    /// v2 keeps its severity outside `cvssData`.
    base_severity: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CvssDataIn {
    #[serde(default)]
    version: String,
    #[serde(default)]
    vector_string: String,
    base_score: f32,
    base_severity: Option<String>,
}

#[derive(Deserialize)]
struct ConfigIn {
    operator: Option<Operator>,
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    nodes: Vec<NodeIn>,
}

#[derive(Deserialize)]
struct NodeIn {
    operator: Option<Operator>,
    #[serde(default)]
    negate: bool,
    #[serde(default, rename = "cpeMatch")]
    cpe_match: Vec<CpeMatchIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CpeMatchIn {
    vulnerable: bool,
    criteria: String,
    version_start_including: Option<String>,
    version_start_excluding: Option<String>,
    version_end_including: Option<String>,
    version_end_excluding: Option<String>,
}

fn bound(including: Option<String>, excluding: Option<String>) -> Option<Bound> {
    match (including, excluding) {
        (Some(version), _) => Some(Bound {
            version,
            inclusive: true,
        }),
        (None, Some(version)) => Some(Bound {
            version,
            inclusive: false,
        }),
        (None, None) => None,
    }
}

impl CveIn {
    fn into_record(self) -> CveRecord {
        let description = self
            .descriptions
            .iter()
            .find(|d| d.lang == "en")
            .or(self.descriptions.first())
            .map(|d| d.value.clone())
            .unwrap_or_default();
        let kev_mirror = self.cisa_exploit_add.map(|date_added| KevMirror {
            date_added,
            due_date: self.cisa_action_due.unwrap_or_default(),
            name: self.cisa_vulnerability_name.unwrap_or_default(),
        });
        CveRecord {
            id: self.id,
            last_modified: self.last_modified,
            published: self.published,
            status: self.vuln_status,
            description,
            cvss: choose_cvss(self.metrics),
            configurations: self
                .configurations
                .into_iter()
                .map(|c| Configuration {
                    operator: c.operator.unwrap_or(Operator::Or),
                    negate: c.negate,
                    nodes: c
                        .nodes
                        .into_iter()
                        .map(|n| Node {
                            operator: n.operator.unwrap_or(Operator::Or),
                            negate: n.negate,
                            matches: n
                                .cpe_match
                                .into_iter()
                                .map(|m| CpeMatch {
                                    vulnerable: m.vulnerable,
                                    criteria: m.criteria,
                                    start: bound(
                                        m.version_start_including,
                                        m.version_start_excluding,
                                    ),
                                    end: bound(m.version_end_including, m.version_end_excluding),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .filter(|c: &Configuration| !c.nodes.is_empty())
                .collect(),
            kev_mirror,
        }
    }
}

/// NVD's own (Primary) v4.0/v3.x score first, then the CNA's v4.0/v3.x, then v2 — some records
/// carry only a CNA score (CVE-2025-20333) or have NVD's v3.1 typed Secondary (CVE-2021-34527).
fn choose_cvss(m: MetricsIn) -> Option<Cvss> {
    let modern = || {
        m.cvss_metric_v40
            .iter()
            .chain(&m.cvss_metric_v31)
            .chain(&m.cvss_metric_v30)
    };
    modern()
        .find(|x| x.kind == "Primary")
        .or_else(|| modern().next())
        .or_else(|| m.cvss_metric_v2.iter().find(|x| x.kind == "Primary"))
        .or_else(|| m.cvss_metric_v2.first())
        .map(|x| Cvss {
            version: x.cvss_data.version.clone(),
            score: x.cvss_data.base_score,
            severity: x
                .cvss_data
                .base_severity
                .clone()
                .or_else(|| x.base_severity.clone())
                .unwrap_or_default()
                .to_uppercase(),
            vector: x.cvss_data.vector_string.clone(),
            source: x.source.clone(),
        })
}

/// One record that could not be read, by position in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordProblem {
    /// 1-based position in the file's record list.
    pub index: usize,
    /// The record's CVE id, when it could be read.
    pub id: Option<String>,
    /// What was wrong.
    pub message: String,
}

/// What the file said about itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NvdFileInfo {
    /// `timestamp` of an API page or feed file.
    pub timestamp: Option<String>,
    /// Records read.
    pub records: usize,
    /// Records that could not be read.
    pub problems: Vec<RecordProblem>,
}

/// Reads every CVE of an NVD JSON document, handing each to `sink` as it is read.
pub fn read_nvd(
    reader: impl Read,
    sink: &mut dyn FnMut(CveRecord),
) -> Result<NvdFileInfo, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut info = NvdFileInfo::default();
    de.deserialize_map(TopVisitor {
        sink,
        info: &mut info,
    })?;
    de.end()?;
    Ok(info)
}

fn convert(value: serde_json::Value, index: usize, info: &mut NvdFileInfo) -> Option<CveRecord> {
    let id = value.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    let checked = CveIn::deserialize(value)
        .map_err(|e| e.to_string())
        .and_then(|cve| check(&cve).map(|()| cve));
    match checked {
        Ok(cve) => Some(cve.into_record()),
        Err(message) => {
            info.problems.push(RecordProblem { index, id, message });
            None
        }
    }
}

/// The most CPE criteria one record may carry (the largest real NVD records have a few
/// thousand) and the longest description: past them a record is refused by name.
const MAX_CRITERIA: usize = 100_000;
const MAX_DESCRIPTION: usize = 1 << 20;

/// A record the store can trust: its id is a CVE id and its dates are dates. A record with
/// `lastModified: "garbage"` would otherwise be kept and, comparing as newer than any real
/// date, block every later update of that CVE.
fn check(cve: &CveIn) -> Result<(), String> {
    if !is_cve_id(&cve.id) {
        return Err(format!("not a CVE id: {:?}", short(&cve.id)));
    }
    for (field, value) in [
        ("lastModified", &cve.last_modified),
        ("published", &cve.published),
    ] {
        if !value.is_empty() && !is_timestamp(value) {
            return Err(format!("{field} is not a date: {:?}", short(value)));
        }
    }
    let criteria: usize = cve
        .configurations
        .iter()
        .flat_map(|c| &c.nodes)
        .map(|n| n.cpe_match.len())
        .sum();
    let description: usize = cve.descriptions.iter().map(|d| d.value.len()).sum();
    if criteria > MAX_CRITERIA || description > MAX_DESCRIPTION {
        return Err(format!(
            "record too large ({criteria} criteria, {description} bytes of description)"
        ));
    }
    Ok(())
}

/// `CVE-2024-21762`: the year and at least four digits.
pub(crate) fn is_cve_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, number)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && number.len() >= 4
        && number.len() <= 19
        && year
            .bytes()
            .chain(number.bytes())
            .all(|b| b.is_ascii_digit())
}

/// `2024-02-08T23:15:09.120` (seconds, fraction and zone optional): the shape NVD writes,
/// with the month, day and time in range.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            .then(|| s[r].parse::<u32>().unwrap_or(0))
    };
    let (Some(_), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    let (Some(hour), Some(minute)) = (digits(11..13), digits(14..16)) else {
        return false;
    };
    matches!(b.get(10), Some(b'T' | b' ')) && b.get(13) == Some(&b':') && hour < 24 && minute < 60
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

struct TopVisitor<'a> {
    sink: &'a mut dyn FnMut(CveRecord),
    info: &'a mut NvdFileInfo,
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an NVD CVE API 2.0 document or CVE record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "vulnerabilities" => map.next_value_seed(ItemsSeed {
                    sink: &mut *self.sink,
                    info: &mut *self.info,
                })?,
                "timestamp" => self.info.timestamp = map.next_value()?,
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    rest.insert(key, value);
                }
            }
        }
        // A single record: `{"cve": {…}}` or the bare object.
        let single = match rest.remove("cve") {
            Some(cve) => Some(cve),
            None if rest.contains_key("id") => Some(serde_json::Value::Object(rest)),
            None => None,
        };
        if let Some(value) = single {
            self.info.records += 1;
            if let Some(record) = convert(value, 1, self.info) {
                (self.sink)(record);
            }
        }
        Ok(())
    }
}

struct ItemsSeed<'a> {
    sink: &'a mut dyn FnMut(CveRecord),
    info: &'a mut NvdFileInfo,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of {\"cve\": …} items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(mut item) = seq.next_element::<serde_json::Value>()? {
            self.info.records += 1;
            let index = self.info.records;
            let value = match item.get_mut("cve") {
                Some(cve) => cve.take(),
                None => item,
            };
            if let Some(record) = convert(value, index, self.info) {
                (self.sink)(record);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> (Vec<CveRecord>, NvdFileInfo) {
        let mut out = Vec::new();
        let info = read_nvd(json.as_bytes(), &mut |r| out.push(r)).unwrap();
        (out, info)
    }

    const RECORD: &str = r#"{"id":"CVE-2099-0001","lastModified":"2099-01-02T00:00:00.000",
        "published":"2099-01-01T00:00:00.000","vulnStatus":"Analyzed",
        "descriptions":[{"lang":"es","value":"hola"},{"lang":"en","value":"hello"}],
        "metrics":{"cvssMetricV2":[{"source":"nvd@nist.gov","type":"Primary","baseSeverity":"MEDIUM",
            "cvssData":{"version":"2.0","vectorString":"AV:N","baseScore":5.0}}]},
        "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
            {"vulnerable":true,"criteria":"cpe:2.3:o:x:y:*:*:*:*:*:*:*:*","versionEndExcluding":"2.0"}]}]}]}"#;

    #[test]
    fn reads_all_three_shapes() {
        let (bare, _) = read(RECORD);
        let (wrapped, _) = read(&format!(r#"{{"cve":{RECORD}}}"#));
        let (page, info) = read(&format!(
            r#"{{"resultsPerPage":1,"timestamp":"2099-01-03T00:00:00.000","vulnerabilities":[{{"cve":{RECORD}}}]}}"#
        ));
        assert_eq!(bare, wrapped);
        assert_eq!(bare, page);
        assert_eq!(info.timestamp.as_deref(), Some("2099-01-03T00:00:00.000"));
        let r = &bare[0];
        assert_eq!(r.description, "hello");
        let cvss = r.cvss.as_ref().unwrap();
        assert_eq!(
            (cvss.version.as_str(), cvss.severity.as_str()),
            ("2.0", "MEDIUM")
        );
        assert_eq!(r.configurations[0].operator, Operator::Or);
        let m = &r.configurations[0].nodes[0].matches[0];
        assert_eq!(
            m.end,
            Some(Bound {
                version: "2.0".into(),
                inclusive: false
            })
        );
    }

    #[test]
    fn a_bad_record_is_reported_and_the_rest_read() {
        let (records, info) = read(&format!(
            r#"{{"vulnerabilities":[{{"cve":{{"id":"CVE-2099-0002","configurations":"oops"}}}},{{"cve":{RECORD}}}]}}"#
        ));
        assert_eq!(records.len(), 1);
        assert_eq!(info.records, 2);
        assert_eq!(info.problems.len(), 1);
        assert_eq!(info.problems[0].index, 1);
        assert_eq!(info.problems[0].id.as_deref(), Some("CVE-2099-0002"));
    }

    #[test]
    fn broken_json_is_an_error_not_a_panic() {
        let mut n = 0;
        assert!(read_nvd(&b"{\"vulnerabilities\": [{\"cve\": "[..], &mut |_| n += 1).is_err());
        assert!(read_nvd(&b"[1,2]"[..], &mut |_| n += 1).is_err());
        assert_eq!(n, 0);
    }
}
