//! `vuln.*`: the site's devices against the loaded vulnerability data (KEV, NVD, JVN, EPSS).
//! Runs only when data is loaded (`mamori vuln import`, or `SITE_DIR/feeds/`); the matching is
//! done once per run and shared by the rules ([`CheckContext::vuln_matches`]).

pub mod cve;
pub mod feed_stale;
pub mod known_exploited;
pub mod unmapped_asset;

use std::collections::HashMap;
use std::rc::Rc;

use mamori_model::CveDetail;
use mamori_model::site::{Asset, Site};
use mamori_vuln::products::{Mapped, Unmapped, map_asset};
use mamori_vuln::{Loaded, Match};

/// One asset with its CPE and the CVEs that apply to it.
pub struct AssetVuln<'a> {
    /// The ledger row.
    pub asset: &'a Asset,
    /// The version matched: a linked configuration backup's over the ledger's.
    pub version: &'a str,
    /// Its CPE, or why the ledger row maps to none (reported by `vuln.unmapped-asset`).
    pub mapped: Result<Mapped, Unmapped>,
    /// Shared between assets that read the same: a fleet of identical PCs holds one list.
    pub matches: Rc<Vec<Match<'a>>>,
}

/// Maps and matches every asset. Assets that read the same (vendor, product, version, cpe) are
/// matched once: a hospital's hundred identical PCs cost one lookup.
pub fn match_site<'a>(site: &'a Site, loaded: &'a Loaded) -> Vec<AssetVuln<'a>> {
    type Key<'k> = (&'k str, &'k str, &'k str, &'k str);
    type Matched<'m> = (Result<Mapped, Unmapped>, Rc<Vec<Match<'m>>>);
    let mut cache: HashMap<Key<'a>, Matched<'a>> = HashMap::new();
    site.assets
        .iter()
        .map(|asset| {
            let version = site.effective_version(asset);
            let key = (
                asset.vendor.as_str(),
                asset.product.as_str(),
                version,
                asset.cpe.as_str(),
            );
            let (mapped, matches) = cache
                .entry(key)
                .or_insert_with(|| {
                    let mapped = map_asset(
                        &asset.vendor,
                        &asset.product,
                        version,
                        &asset.cpe,
                        loaded.db.jvn(),
                    );
                    let matches = match &mapped {
                        Ok(m) => loaded.db.match_asset(m, &[]),
                        Err(_) => Vec::new(),
                    };
                    (mapped, Rc::new(matches))
                })
                .clone();
            AssetVuln {
                asset,
                version,
                mapped,
                matches,
            }
        })
        .collect()
}

/// One matched CVE as a row of a finding's `cves` list: the id, the criterion and range that
/// matched, and EPSS; each rule adds its own facts.
pub fn match_detail(m: &Match) -> CveDetail {
    let mut d = CveDetail {
        cve: m.cve.clone(),
        epss: m.epss.map(|e| f64::from(e.score)),
        ..CveDetail::default()
    };
    if let mamori_vuln::How::Configuration { criterion, .. } = &m.how {
        d.cpe_criteria = Some(criterion.criteria.clone());
        d.version_range = Some(criterion.range_text().0);
    }
    d
}

/// KEV facts of a match: from the catalog, else from NVD's copy of them.
pub struct KevFacts<'a> {
    /// The flaw's name in the catalog.
    pub name: &'a str,
    /// When CISA added it: exploitation is known from about then.
    pub date_added: &'a str,
    /// CISA's due date for federal agencies: a yardstick for how urgent it is.
    pub due_date: &'a str,
    /// `None` when only NVD's copy is at hand (it has no ransomware flag).
    pub ransomware: Option<bool>,
}

/// The KEV facts of a match, or `None` when the CVE is not known exploited.
pub fn kev_facts<'a>(m: &Match<'a>) -> Option<KevFacts<'a>> {
    if let Some(k) = m.kev {
        return Some(KevFacts {
            name: &k.name,
            date_added: &k.date_added,
            due_date: &k.due_date,
            ransomware: Some(k.ransomware),
        });
    }
    let mirror = m.record?.kev_mirror.as_ref()?;
    Some(KevFacts {
        name: &mirror.name,
        date_added: &mirror.date_added,
        due_date: &mirror.due_date,
        ransomware: None,
    })
}
