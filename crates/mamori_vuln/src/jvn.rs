//! JVN iPedia through MyJVN (research/vuln.md §5): the HND XML forms (getVulnOverviewList and
//! the JVNDB RSS data feeds are the same RSS 1.0 + `sec:` shape; getVulnDetailInfo and the
//! yearly detail feeds are VULDEF) and the OKA JSON forms (overview list, CSAF detail).
//!
//! What mamori takes from JVN: Japanese titles, the CVE ids an entry covers, and products as
//! JVN names them (Japanese vendor and product names with a CPE), which lets a Japanese ledger
//! row find its CPE.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

use crate::cpe::Cpe;
use crate::record::{Cvss, JvnProduct, JvnRecord};

/// Why a JVN document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum JvnError {
    /// The XML is broken.
    #[error("XML error at byte {position}: {message}")]
    Xml {
        /// Byte offset of the problem.
        position: u64,
        /// The parser's message.
        message: String,
    },
    /// The MyJVN API answered with an error status.
    #[error("MyJVN returned an error: {0}")]
    Api(String),
}

/// `part:vendor:product` of a JVN CPE (2.2 URI or 2.3), for the mapping table.
fn cpe_key(s: &str) -> Option<String> {
    Cpe::parse_any(s.trim())?.product_key()
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn severity_of(score: f32) -> &'static str {
    match score {
        s if s >= 9.0 => "CRITICAL",
        s if s >= 7.0 => "HIGH",
        s if s >= 4.0 => "MEDIUM",
        s if s > 0.0 => "LOW",
        _ => "NONE",
    }
}

/// Keeps the newer CVSS version.
fn better(current: Option<Cvss>, new: Cvss) -> Option<Cvss> {
    match current {
        Some(c) if crate::version::compare(&c.version, &new.version).is_ge() => Some(c),
        _ => Some(new),
    }
}

/// Reads either XML form; which one is decided by the elements met.
pub fn read_xml(text: &str) -> Result<Vec<JvnRecord>, JvnError> {
    let mut reader = Reader::from_str(text);
    let mut state = XmlState::default();
    let mut path: Vec<String> = Vec::new();
    let mut text_buf = String::new();
    let xml_error = |reader: &Reader<&[u8]>, message: String| JvnError::Xml {
        position: reader.buffer_position(),
        message,
    };
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error(&reader, e.to_string()))?
        {
            Event::Start(e) => {
                path.push(state.start(&e)?);
                text_buf.clear();
            }
            // Attribute-only elements (`<sec:cvss … />`) have no end tag.
            Event::Empty(e) => {
                state.start(&e)?;
            }
            Event::Text(t) => {
                text_buf.push_str(&t.into_inner());
            }
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text_buf.push(c),
                _ => text_buf.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(e) => {
                let name = e.local_name().as_ref().to_owned();
                let text = std::mem::take(&mut text_buf).trim().to_owned();
                let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
                state.end(&name, parent, text);
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(state.records)
}

#[derive(Default)]
struct XmlState {
    records: Vec<JvnRecord>,
    current: Option<JvnRecord>,
    product: Option<JvnProduct>,
    cvss_version: String,
    cvss_parts: (Option<f32>, String, String),
}

impl XmlState {
    /// What an opening tag starts; returns its local name.
    fn start(&mut self, e: &BytesStart) -> Result<String, JvnError> {
        let name = e.local_name().as_ref().to_owned();
        match name.as_str() {
            "item" | "Vulinfo" => {
                self.current = Some(JvnRecord {
                    id: String::new(),
                    title: String::new(),
                    cves: Vec::new(),
                    products: Vec::new(),
                    cvss: None,
                    last_modified: String::new(),
                });
            }
            "references" => {
                if let Some(r) = self.current.as_mut()
                    && attr(e, "source").as_deref() == Some("CVE")
                    && let Some(id) = attr(e, "id")
                    && !r.cves.contains(&id)
                {
                    r.cves.push(id);
                }
            }
            "cpe" => {
                self.product = Some(JvnProduct {
                    vendor: attr(e, "vendor").unwrap_or_default(),
                    product: attr(e, "product").unwrap_or_default(),
                    cpe: None,
                    versions: Vec::new(),
                });
            }
            "cvss" => {
                if let Some(r) = self.current.as_mut()
                    && let Some(score) = attr(e, "score").and_then(|s| s.parse().ok())
                {
                    r.cvss = better(
                        r.cvss.take(),
                        Cvss {
                            version: attr(e, "version").unwrap_or_default(),
                            score,
                            severity: attr(e, "severity").unwrap_or_default().to_uppercase(),
                            vector: attr(e, "vector").unwrap_or_default(),
                            source: "JVN".into(),
                        },
                    );
                }
            }
            "AffectedItem" => {
                self.product = Some(JvnProduct {
                    vendor: String::new(),
                    product: String::new(),
                    cpe: None,
                    versions: Vec::new(),
                });
            }
            "Cvss" => {
                self.cvss_version = attr(e, "version").unwrap_or_default();
                self.cvss_parts = (None, String::new(), String::new());
            }
            "Status" if attr(e, "retCd").as_deref() == Some("1") => {
                return Err(JvnError::Api(
                    attr(e, "errMsg").unwrap_or_else(|| "retCd=1".into()),
                ));
            }
            _ => {}
        }
        Ok(name)
    }

    fn end(&mut self, name: &str, parent: Option<&str>, text: String) {
        let Some(r) = self.current.as_mut() else {
            return;
        };
        match (name, parent) {
            ("identifier" | "VulinfoID", Some("item" | "Vulinfo")) => r.id = text,
            ("VulinfoID", Some("RelatedItem"))
                if text.starts_with("CVE-") && !r.cves.contains(&text) =>
            {
                r.cves.push(text);
            }
            ("title" | "Title", Some("item" | "VulinfoData")) => r.title = text,
            ("modified" | "DateLastUpdated", Some("item" | "VulinfoData")) => {
                r.last_modified = text;
            }
            ("cpe", _) => {
                if let Some(mut p) = self.product.take() {
                    p.cpe = cpe_key(&text);
                    r.products.push(p);
                }
            }
            ("Name", Some("AffectedItem")) => {
                if let Some(p) = self.product.as_mut() {
                    p.vendor = text;
                }
            }
            ("ProductName", Some("AffectedItem")) => {
                if let Some(p) = self.product.as_mut() {
                    p.product = text;
                }
            }
            ("Cpe", Some("AffectedItem")) => {
                if let Some(p) = self.product.as_mut() {
                    p.cpe = cpe_key(&text);
                }
            }
            ("VersionNumber", Some("AffectedItem")) => {
                if let Some(p) = self.product.as_mut()
                    && !text.is_empty()
                {
                    p.versions.push(text);
                }
            }
            ("AffectedItem", _) => {
                if let Some(p) = self.product.take() {
                    r.products.push(p);
                }
            }
            ("Base", Some("Cvss")) => self.cvss_parts.0 = text.parse().ok(),
            ("Severity", Some("Cvss")) => self.cvss_parts.1 = text.to_uppercase(),
            ("Vector", Some("Cvss")) => self.cvss_parts.2 = text,
            ("Cvss", _) => {
                if let Some(score) = self.cvss_parts.0 {
                    let severity = if self.cvss_parts.1.is_empty() {
                        severity_of(score).to_owned()
                    } else {
                        std::mem::take(&mut self.cvss_parts.1)
                    };
                    r.cvss = better(
                        r.cvss.take(),
                        Cvss {
                            version: std::mem::take(&mut self.cvss_version),
                            score,
                            severity,
                            vector: std::mem::take(&mut self.cvss_parts.2),
                            source: "JVN".into(),
                        },
                    );
                }
            }
            ("item" | "Vulinfo", _) => {
                if let Some(done) = self.current.take()
                    && !done.id.is_empty()
                {
                    self.records.push(done);
                }
            }
            _ => {}
        }
    }
}

fn json_cvss(metrics: Option<&Value>) -> Option<Cvss> {
    let mut best = None;
    for m in metrics?.as_array()? {
        let Some(content) = m.get("content").and_then(Value::as_object) else {
            continue;
        };
        for (key, c) in content {
            if !key.starts_with("cvss_v") {
                continue;
            }
            let Some(score) = c.get("baseScore").and_then(Value::as_f64) else {
                continue;
            };
            let text = |k: &str| {
                c.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            best = better(
                best,
                Cvss {
                    version: text("version"),
                    #[allow(clippy::cast_possible_truncation)]
                    score: score as f32,
                    severity: text("baseSeverity").to_uppercase(),
                    vector: text("vectorString"),
                    source: "JVN".into(),
                },
            );
        }
    }
    best
}

fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// OKA (API 4.0) JSON: the overview list (`feed.entry[]`) or a CSAF detail document.
pub fn read_json(v: &Value) -> Option<Vec<JvnRecord>> {
    if let Some(entries) = v.pointer("/feed/entry").and_then(Value::as_array) {
        return Some(entries.iter().filter_map(oka_entry).collect());
    }
    if v.pointer("/document/tracking/id").is_some() {
        return Some(oka_csaf(v).into_iter().collect());
    }
    None
}

fn oka_entry(e: &Value) -> Option<JvnRecord> {
    let id = s(e, "id");
    if id.is_empty() {
        return None;
    }
    let cves = e
        .get("references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| s(r, "source") == "CVE")
        .map(|r| s(r, "summary"))
        .filter(|c| c.starts_with("CVE-"))
        .collect();
    let mut products: Vec<JvnProduct> = Vec::new();
    for p in e
        .get("products")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let cpe = p
            .pointer("/product_ids/cpe")
            .and_then(Value::as_str)
            .and_then(cpe_key);
        let (vendor, name, version) = (s(p, "vname"), s(p, "pname"), s(p, "version"));
        // One product may be listed once per version range: merge them.
        match products
            .iter_mut()
            .find(|x| x.vendor == vendor && x.product == name)
        {
            Some(existing) => {
                if !version.is_empty() {
                    existing.versions.push(version);
                }
            }
            None => products.push(JvnProduct {
                vendor,
                product: name,
                cpe,
                versions: if version.is_empty() {
                    Vec::new()
                } else {
                    vec![version]
                },
            }),
        }
    }
    Some(JvnRecord {
        id,
        title: s(e, "title"),
        cves,
        products,
        cvss: json_cvss(e.get("metrics")),
        last_modified: s(e, "modified"),
    })
}

fn oka_csaf(v: &Value) -> Option<JvnRecord> {
    let doc = v.get("document")?;
    let mut products = Vec::new();
    for vendor in v
        .pointer("/product_tree/branches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for p in vendor
            .get("branches")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            products.push(JvnProduct {
                vendor: s(vendor, "name"),
                product: s(p, "name"),
                cpe: p
                    .pointer("/product/product_identification_helper/cpe")
                    .and_then(Value::as_str)
                    .and_then(cpe_key),
                versions: Vec::new(),
            });
        }
    }
    let vulns = v.get("vulnerabilities").and_then(Value::as_array);
    Some(JvnRecord {
        id: doc
            .pointer("/tracking/id")
            .and_then(Value::as_str)?
            .to_owned(),
        title: s(doc, "title"),
        cves: vulns
            .into_iter()
            .flatten()
            .map(|x| s(x, "cve"))
            .filter(|c| c.starts_with("CVE-"))
            .collect(),
        products,
        cvss: vulns
            .into_iter()
            .flatten()
            .find_map(|x| json_cvss(x.get("metrics"))),
        last_modified: doc
            .pointer("/tracking/current_release_date")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_with_cpe_and_cvss() {
        let xml = r#"<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="r" xmlns:sec="s" xmlns:dcterms="d">
          <item rdf:about="x"><title>タイトル &amp; 説明</title>
            <sec:identifier>JVNDB-2099-000001</sec:identifier>
            <sec:references source="CVE" id="CVE-2099-0001">u</sec:references>
            <sec:cpe version="2.2" vendor="日立" product="JP1/Base">cpe:/a:hitachi:jp1%2fbase</sec:cpe>
            <sec:cvss score="9.8" severity="Critical" vector="CVSS:3.0/AV:N" version="3.0" type="Base" />
            <dcterms:modified>2099-01-01T00:00:00+09:00</dcterms:modified></item></rdf:RDF>"#;
        let r = read_xml(xml).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].title, "タイトル & 説明");
        assert_eq!(r[0].cves, ["CVE-2099-0001"]);
        assert_eq!(r[0].products[0].vendor, "日立");
        assert_eq!(r[0].products[0].cpe.as_deref(), Some("a:hitachi:jp1/base"));
        assert_eq!(r[0].cvss.as_ref().unwrap().severity, "CRITICAL");
        assert_eq!(r[0].last_modified, "2099-01-01T00:00:00+09:00");
    }

    #[test]
    fn api_errors_and_broken_xml_are_errors() {
        assert!(matches!(
            read_xml(r#"<rdf:RDF><status:Status retCd="1" errMsg="bad param"/></rdf:RDF>"#),
            Err(JvnError::Api(m)) if m == "bad param"
        ));
        assert!(read_xml("<rdf:RDF><item><title>x</item>").is_err());
    }
}
