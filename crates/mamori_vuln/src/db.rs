//! The loaded vulnerability data, indexed for matching, and matching one mapped asset.
//!
//! A `VulnDb` holds what the site needs: `assess` loads from the store only the CVEs whose
//! criteria name the site's products (see [`criteria_product_keys`]), plus the whole KEV
//! catalog, EPSS scores of those CVEs and the JVN entries.

use std::collections::{HashMap, HashSet};

use crate::cpe::Cpe;
use crate::feeds::Item;
use crate::matcher::{self, ParsedCriteria, Target};
use crate::products::{Mapped, fold};
use crate::record::{Configuration, CpeMatch, CveRecord, Epss, JvnRecord, KevEntry, Operator};
use crate::version::{compare, first_number};

struct CveEntry {
    record: CveRecord,
    parsed: ParsedCriteria,
}

/// The vulnerability records of a site's products, indexed for matching: CVEs by id and by product, KEV, EPSS and JVN entries.
#[derive(Default)]
pub struct VulnDb {
    cves: Vec<CveEntry>,
    by_id: HashMap<String, usize>,
    by_product: HashMap<String, Vec<usize>>,
    kev: HashMap<String, KevEntry>,
    epss: HashMap<String, Epss>,
    jvn: Vec<JvnRecord>,
    jvn_by_id: HashMap<String, usize>,
    /// CVEs NVD has analysed whose records were not loaded (not this site's products).
    analysed_elsewhere: HashSet<String>,
}

/// Where loaded data came from, for staleness and the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedSource {
    /// Which feed.
    pub kind: crate::FeedKind,
    /// A file path, or the store.
    pub source: String,
    /// The feed's own date (see [`crate::FeedFile::stamp`]).
    pub stamp: Option<String>,
}

/// Vulnerability data ready for the checks.
#[derive(Default)]
pub struct Loaded {
    /// The records, indexed.
    pub db: VulnDb,
    /// The feed files they came from, with their dates (for staleness).
    pub feeds: Vec<FeedSource>,
}

/// `part:vendor:product` of every vulnerable criterion: what the store indexes a CVE by.
pub fn criteria_product_keys(record: &CveRecord) -> Vec<String> {
    let mut keys: Vec<String> = record
        .configurations
        .iter()
        .flat_map(|c| &c.nodes)
        .flat_map(|n| &n.matches)
        .filter(|m| m.vulnerable)
        .filter_map(|m| product_key_of_criteria(&m.criteria))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Per product a CVE names, the part of its configurations that can make it apply to a device
/// of that product: what the store keeps beside its product index, so loading for a site reads
/// a Windows CVE's two Windows Server 2019 criteria rather than all sixty Windows editions.
///
/// Matching a device of product P against the narrowed list gives the same hit as against the
/// whole record (tested on the real records): a configuration none of whose vulnerable
/// criteria name P cannot produce a hit for P and is dropped; inside an OR node, vulnerable
/// criteria of other products never match P and are dropped. Kept whole: AND nodes, negated
/// nodes and configurations, `vulnerable: false` platform criteria, and criteria with a
/// wildcard vendor or product (they may name P).
pub fn narrowed_by_product(record: &CveRecord) -> Vec<(String, Vec<Configuration>)> {
    criteria_product_keys(record)
        .into_iter()
        .map(|key| {
            let names = |m: &CpeMatch| {
                m.vulnerable && product_key_of_criteria(&m.criteria).is_none_or(|k| k == key)
            };
            let configs = record
                .configurations
                .iter()
                .filter(|c| c.nodes.iter().flat_map(|n| &n.matches).any(names))
                .map(|c| {
                    if c.negate || c.nodes.iter().any(|n| n.negate) {
                        return c.clone();
                    }
                    let mut c = c.clone();
                    for node in &mut c.nodes {
                        if node.operator == Operator::Or {
                            node.matches.retain(|m| !m.vulnerable || names(m));
                        }
                    }
                    c
                })
                .collect();
            (key, configs)
        })
        .collect()
}

/// `cpe:2.3:o:fortinet:fortios:…` → `o:fortinet:fortios`; wildcard vendors or products give
/// nothing (they name no one product).
fn product_key_of_criteria(criteria: &str) -> Option<String> {
    match crate::cpe::plain_product(criteria) {
        Some(named) => Some(named.join(":").to_lowercase()),
        None => Cpe::parse(criteria).ok()?.product_key(),
    }
}

/// How a CVE was found to apply.
#[derive(Clone, Debug, PartialEq)]
pub enum How {
    /// An NVD configuration names the asset's product and version.
    Configuration {
        /// The criterion that matched.
        criterion: CpeMatch,
        /// The asset's platform was not known and assumed to match (said in the finding).
        platform_assumed: bool,
    },
    /// A KEV entry NVD has not analysed: vendor and product match, the version is unknown.
    KevProduct,
    /// A JVN entry names the product; `versions` is what JVN lists as affected.
    Jvn {
        /// What JVN lists as affected, in its words.
        versions: Vec<String>,
    },
}

/// One CVE that applies to one asset.
#[derive(Clone, Debug)]
pub struct Match<'a> {
    /// `CVE-YYYY-NNNN`.
    pub cve: String,
    /// NVD's record, when loaded.
    pub record: Option<&'a CveRecord>,
    /// The KEV entry, when it is known exploited.
    pub kev: Option<&'a KevEntry>,
    /// Its EPSS score, when loaded.
    pub epss: Option<Epss>,
    /// JVN's entry, for the Japanese title.
    pub jvn: Option<&'a JvnRecord>,
    /// Why it applies.
    pub how: How,
}

impl<'a> Match<'a> {
    /// The best severity label known: NVD's CVSS, else JVN's.
    pub fn cvss(&self) -> Option<&'a crate::record::Cvss> {
        self.record
            .and_then(|r| r.cvss.as_ref())
            .or_else(|| self.jvn.and_then(|j| j.cvss.as_ref()))
    }
}

impl VulnDb {
    /// An empty database.
    pub fn new() -> VulnDb {
        VulnDb::default()
    }

    /// Adds one feed record; a newer copy of a CVE replaces an older one.
    pub fn add(&mut self, item: Item) {
        match item {
            Item::Cve(r) => self.add_cve(r),
            Item::Kev(k) => {
                self.kev.insert(k.cve.clone(), k);
            }
            Item::Epss(cve, e) => {
                self.epss.insert(cve, e);
            }
            Item::Jvn(j) => match self.jvn_by_id.get(&j.id) {
                Some(&i) if self.jvn[i].last_modified >= j.last_modified => {}
                Some(&i) => self.jvn[i] = j,
                None => {
                    self.jvn_by_id.insert(j.id.clone(), self.jvn.len());
                    self.jvn.push(j);
                }
            },
        }
    }

    /// Adds a CVE, keeping the newer copy when it is already there.
    pub fn add_cve(&mut self, record: CveRecord) {
        if let Some(&i) = self.by_id.get(&record.id) {
            if self.cves[i].record.last_modified >= record.last_modified {
                return;
            }
            for key in criteria_product_keys(&self.cves[i].record) {
                if let Some(list) = self.by_product.get_mut(&key) {
                    list.retain(|&x| x != i);
                }
            }
            self.index(i, &record);
            self.cves[i] = CveEntry {
                parsed: ParsedCriteria::new(&record.configurations),
                record,
            };
            return;
        }
        let i = self.cves.len();
        self.index(i, &record);
        self.by_id.insert(record.id.clone(), i);
        self.cves.push(CveEntry {
            parsed: ParsedCriteria::new(&record.configurations),
            record,
        });
    }

    fn index(&mut self, i: usize, record: &CveRecord) {
        for key in criteria_product_keys(record) {
            self.by_product.entry(key).or_default().push(i);
        }
    }

    /// The CVE record with this id.
    pub fn cve(&self, id: &str) -> Option<&CveRecord> {
        self.by_id.get(id).map(|&i| &self.cves[i].record)
    }

    /// The KEV entry of this CVE.
    pub fn kev(&self, id: &str) -> Option<&KevEntry> {
        self.kev.get(id)
    }

    /// Every JVN entry loaded.
    pub fn jvn(&self) -> &[JvnRecord] {
        &self.jvn
    }

    /// (CVEs, KEV entries, EPSS scores, JVN entries) loaded: for the status report.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (
            self.cves.len(),
            self.kev.len(),
            self.jvn.len(),
            self.epss.len(),
        )
    }

    /// Nothing loaded at all: the vulnerability checks say 未確認.
    pub fn is_empty(&self) -> bool {
        self.counts() == (0, 0, 0, 0)
    }

    fn jvn_for_cve(&self, cve: &str) -> Option<&JvnRecord> {
        self.jvn.iter().find(|j| j.cves.iter().any(|c| c == cve))
    }

    fn analysed(&self, cve: &str) -> bool {
        self.analysed_elsewhere.contains(cve)
            || self.cve(cve).is_some_and(|r| !r.configurations.is_empty())
    }

    /// Tells the matcher that NVD has analysed these CVEs even though their records were not
    /// loaded, so their KEV entries are not matched by product name.
    pub fn mark_analysed(&mut self, ids: impl IntoIterator<Item = String>) {
        self.analysed_elsewhere.extend(ids);
    }

    /// Every CVE that applies to the asset, most urgent first (KEV, then CVSS).
    pub fn match_asset(&self, mapped: &Mapped, platforms: &[Cpe]) -> Vec<Match<'_>> {
        let mut out: Vec<Match> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let versioned = mapped.version.is_some();
        if versioned {
            for target in &mapped.targets {
                let Some(key) = target.product_key() else {
                    continue;
                };
                for &i in self.by_product.get(&key).into_iter().flatten() {
                    let entry = &self.cves[i];
                    if seen.contains(entry.record.id.as_str()) {
                        continue;
                    }
                    let t = Target {
                        cpe: target,
                        platforms,
                    };
                    if let Some(hit) =
                        matcher::evaluate(&entry.record.configurations, &entry.parsed, &t)
                    {
                        seen.insert(&entry.record.id);
                        out.push(self.with_context(
                            &entry.record.id,
                            How::Configuration {
                                criterion: hit.criterion(&entry.record.configurations).clone(),
                                platform_assumed: hit.platform_assumed,
                            },
                        ));
                    }
                }
            }
        }
        // KEV entries NVD has not analysed: vendor and product only.
        if let Some((vendor, products)) = &mapped.kev {
            for k in self.kev.values() {
                if seen.contains(k.cve.as_str()) || self.analysed(&k.cve) {
                    continue;
                }
                let (kv, kp) = (fold(&k.vendor), fold(&k.product));
                if kv.contains(vendor.as_str()) && products.iter().any(|p| kp.contains(p.as_str()))
                {
                    seen.insert(&k.cve);
                    out.push(self.with_context(&k.cve, How::KevProduct));
                }
            }
        }
        // JVN entries for products NVD does not cover (or CVEs it has not analysed).
        let keys = mapped.product_keys();
        for j in &self.jvn {
            for p in &j.products {
                if !p.cpe.as_ref().is_some_and(|k| keys.contains(k)) {
                    continue;
                }
                let cve = j.cves.first().cloned().unwrap_or_else(|| j.id.clone());
                if seen.contains(cve.as_str()) || j.cves.iter().any(|c| self.analysed(c)) {
                    continue;
                }
                if !jvn_versions_include(&p.versions, mapped.version.as_deref()) {
                    continue;
                }
                let mut m = self.with_context(
                    &cve,
                    How::Jvn {
                        versions: p.versions.clone(),
                    },
                );
                m.jvn = Some(j);
                out.push(m);
                break;
            }
        }
        out.sort_by(|a, b| {
            b.kev
                .is_some()
                .cmp(&a.kev.is_some())
                .then_with(|| {
                    let score = |m: &Match| m.cvss().map_or(0.0, |c| c.score);
                    score(b).total_cmp(&score(a))
                })
                .then_with(|| a.cve.cmp(&b.cve))
        });
        out
    }

    fn with_context(&self, cve: &str, how: How) -> Match<'_> {
        Match {
            cve: cve.to_owned(),
            record: self.cve(cve),
            kev: self.kev.get(cve),
            epss: self.epss.get(cve).copied(),
            jvn: self.jvn_for_cve(cve),
            how,
        }
    }
}

/// JVN lists affected versions as free text: `8.0`, `5.8 (Build 1577) 未満`, `2.1 以前`,
/// `3.0 以降`, `全てのバージョン`. An entry without versions, or a version we cannot place, does
/// not match: JVN-only matches must not drown the report in guesses.
fn jvn_versions_include(versions: &[String], asset: Option<&str>) -> bool {
    let Some(v) = asset else { return false };
    versions.iter().any(|text| {
        if text.contains("全て") || text.contains("すべて") {
            return true;
        }
        let Some(x) = first_number(text) else {
            return false;
        };
        let ord = compare(v, &x);
        if text.contains("未満") {
            ord.is_lt()
        } else if text.contains("以前") {
            ord.is_le()
        } else if text.contains("以降") {
            ord.is_ge()
        } else {
            ord.is_eq()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jvn_version_words() {
        let v = |s: &str| vec![s.to_owned()];
        assert!(jvn_versions_include(&v("8.0"), Some("8.0")));
        assert!(!jvn_versions_include(&v("8.0"), Some("8.1")));
        assert!(jvn_versions_include(
            &v("for Windows 5.8 (Build 1575) 未満"),
            Some("5.7")
        ));
        assert!(!jvn_versions_include(&v("5.8 未満"), Some("5.8")));
        assert!(jvn_versions_include(&v("2.1 およびそれ以前"), Some("2.1")));
        assert!(jvn_versions_include(&v("3.0 以降"), Some("3.2")));
        assert!(jvn_versions_include(&v("全てのバージョン"), Some("1")));
        assert!(!jvn_versions_include(&[], Some("1")));
        assert!(!jvn_versions_include(&v("8.0"), None));
    }

    #[test]
    fn criteria_keys_skip_wildcard_vendors() {
        assert_eq!(
            product_key_of_criteria("cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*").as_deref(),
            Some("o:fortinet:fortios")
        );
        assert_eq!(
            product_key_of_criteria("cpe:2.3:a:*:x:*:*:*:*:*:*:*:*"),
            None
        );
        assert_eq!(
            product_key_of_criteria(r"cpe:2.3:a:apache:xerces-c\+\+:*:*:*:*:*:*:*:*").as_deref(),
            Some("a:apache:xerces-c++")
        );
    }
}
