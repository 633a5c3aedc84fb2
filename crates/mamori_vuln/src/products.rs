//! Inventory → CPE: what a ledger row (メーカー, 型番, バージョン) is called in NVD and JVN.
//!
//! Order of trust: the asset's own `cpe` column; the mapping table (`data/products.toml`);
//! Windows editions (in code: the feature release decides the product); names learned from
//! loaded JVN records (Japanese vendor and product names with JVN's CPE). An asset none of
//! these name is reported, never dropped.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::cpe::{Component, Cpe, UPDATE, VERSION};
use crate::record::JvnRecord;
use crate::version::Scheme;

#[derive(Debug, Deserialize)]
struct Table {
    product: Vec<Entry>,
}

/// One row of `data/products.toml`.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// The product's CPE prefix (`cpe:2.3:o:fortinet:fortios`).
    pub cpe: String,
    /// Former names after vendor renames, also matched.
    #[serde(default)]
    pub also: Vec<String>,
    /// Vendor names as ledgers write them (folded).
    pub vendors: Vec<String>,
    /// Product names as ledgers write them (folded).
    pub names: Vec<String>,
    /// How the vendor numbers versions.
    pub scheme: Scheme,
    /// The vendor as the KEV catalog writes it.
    #[serde(default)]
    pub kev_vendor: Option<String>,
    /// Product words of the KEV catalog.
    #[serde(default)]
    pub kev_products: Vec<String>,
    /// Checked against NVD's dictionary by hand.
    pub checked: bool,
}

static TABLE: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let table: Table = toml::from_str(include_str!("../data/products.toml"))
        .expect("data/products.toml is valid (tested)");
    table.product
});

/// The embedded product table.
pub fn table() -> &'static [Entry] {
    &TABLE
}

/// Folds what people type into ledgers: full-width ASCII, case, company suffixes, spacing.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        out.extend(c.to_lowercase());
    }
    for suffix in ["株式会社", "（株）", "(株)", "合同会社", "有限会社"] {
        out = out.replace(suffix, "");
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How an asset got its CPE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mapping {
    /// The ledger's `cpe` column.
    AssetCpe,
    /// `data/products.toml`.
    Table {
        /// The row was checked against NVD's dictionary.
        checked: bool,
    },
    /// Windows, from the edition and build in the ledger.
    Windows,
    /// Vendor and product names from a loaded JVN record.
    Jvn {
        /// The JVN id.
        id: String,
    },
}

/// An asset in NVD's terms.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapped {
    /// The names to evaluate criteria against: the product and, after vendor renames, its
    /// former names. The version attribute is ANY when the version is unknown.
    pub targets: Vec<Cpe>,
    /// How the vendor numbers versions.
    pub scheme: Scheme,
    /// How the CPE was found.
    pub mapping: Mapping,
    /// The version in NVD's notation, when known.
    pub version: Option<String>,
    /// KEV vendor and product words, for KEV entries NVD has not analysed.
    pub kev: Option<(String, Vec<String>)>,
}

impl Mapped {
    /// `part:vendor:product` of every target, the keys criteria are indexed by.
    pub fn product_keys(&self) -> Vec<String> {
        self.targets.iter().filter_map(Cpe::product_key).collect()
    }
}

/// Why an asset could not be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmapped {
    /// The ledger names no product.
    NoProduct,
    /// The product is not in the table (and no `cpe` column value).
    Unknown,
    /// The ledger's `cpe` value is not a CPE 2.3 name (the reason).
    BadCpe(String),
}

/// Maps one ledger row. `version` is the effective version (a linked configuration backup's
/// over the ledger's).
pub fn map_asset(
    vendor: &str,
    product: &str,
    version: &str,
    cpe: &str,
    jvn: &[JvnRecord],
) -> Result<Mapped, Unmapped> {
    if !cpe.trim().is_empty() {
        return from_asset_cpe(cpe, version);
    }
    let (v, p) = (fold(vendor), fold(product));
    if p.is_empty() {
        return Err(Unmapped::NoProduct);
    }
    if let Some(mapped) = from_table(&v, &p, version) {
        return Ok(mapped);
    }
    if let Some(mapped) = windows(&v, &p, version) {
        return Ok(mapped);
    }
    if let Some(mapped) = from_jvn(&v, &p, version, jvn) {
        return Ok(mapped);
    }
    // Ledgers often name the PC or the medical device and put its OS in the version column
    // (`NEC Mate` / `Windows 11 23H2`, an ultrasound on `Windows 7 Embedded`): the OS is
    // what vulnerability data knows.
    let os = fold(version);
    if os.starts_with("windows") {
        return windows("microsoft", &os, "").ok_or(Unmapped::Unknown);
    }
    Err(Unmapped::Unknown)
}

fn with_version(mut cpe: Cpe, scheme: Scheme, version: &str) -> (Cpe, Option<String>) {
    let normalised = scheme.normalise(version);
    if let Some(v) = &normalised {
        cpe.attrs[VERSION] = Component::value(&v.version);
        if let Some(update) = &v.update {
            cpe.attrs[UPDATE] = if update == "-" {
                Component::Na
            } else {
                Component::value(update)
            };
        }
    }
    (cpe, normalised.map(|v| v.version))
}

fn from_asset_cpe(cpe: &str, version: &str) -> Result<Mapped, Unmapped> {
    let mut parsed = Cpe::parse_any(cpe).ok_or_else(|| Unmapped::BadCpe(cpe.trim().to_owned()))?;
    let scheme = scheme_for(&parsed);
    let (mut version_text, mut kev) = (None, None);
    if let Some(v) = parsed.attrs[VERSION].as_text() {
        version_text = Some(v.to_owned());
    } else if parsed.attrs[VERSION] == Component::Any {
        let (with, v) = with_version(parsed, scheme, version);
        parsed = with;
        version_text = v;
    }
    if let Some(key) = parsed.product_key() {
        kev = table()
            .iter()
            .find(|e| e.cpe == key)
            .and_then(|e| e.kev_vendor.clone().map(|v| (v, e.kev_products.clone())));
    }
    Ok(Mapped {
        targets: vec![parsed],
        scheme,
        mapping: Mapping::AssetCpe,
        version: version_text,
        kev,
    })
}

/// The normaliser of a known product, generic otherwise.
pub fn scheme_for(cpe: &Cpe) -> Scheme {
    let Some(key) = cpe.product_key() else {
        return Scheme::Generic;
    };
    if key.starts_with("o:microsoft:windows") {
        return Scheme::Windows;
    }
    table()
        .iter()
        .find(|e| e.cpe == key || e.also.contains(&key))
        .map_or(Scheme::Generic, |e| e.scheme)
}

fn from_table(vendor: &str, product: &str, version: &str) -> Option<Mapped> {
    for entry in table() {
        if !entry.vendors.iter().any(|a| vendor.contains(&fold(a))) {
            continue;
        }
        let Some(name) = entry.names.iter().find(|n| product.contains(n.as_str())) else {
            continue;
        };
        let model = model_word(product, name);
        let cpe_for = |spec: &str| {
            let spec = spec.replace("{model}", &model);
            let mut parts = spec.splitn(3, ':');
            let (part, v, p) = (parts.next()?, parts.next()?, parts.next()?);
            Some(Cpe::product(part, v, p))
        };
        let mut targets = Vec::new();
        let mut known = None;
        for spec in std::iter::once(&entry.cpe).chain(&entry.also) {
            let (cpe, v) = with_version(cpe_for(spec)?, entry.scheme, version);
            known = known.or(v);
            targets.push(cpe);
        }
        return Some(Mapped {
            targets,
            scheme: entry.scheme,
            mapping: Mapping::Table {
                checked: entry.checked,
            },
            version: known,
            kev: entry
                .kev_vendor
                .clone()
                .map(|v| (v, entry.kev_products.clone())),
        });
    }
    None
}

/// The word of `product` that contains `name` (`yamaha rtx1210` → `rtx1210`), punctuation
/// other than `-` and `_` removed.
fn model_word(product: &str, name: &str) -> String {
    product
        .split_whitespace()
        .find(|w| w.contains(name.trim()))
        .unwrap_or(product)
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

/// Windows: NVD names Windows 10/11 per feature release (`windows_10_22h2`) with builds as
/// versions, servers per year, and old editions by service pack in the update field.
fn windows(vendor: &str, product: &str, version: &str) -> Option<Mapped> {
    let microsoft = vendor.contains("microsoft") || vendor.contains("マイクロソフト");
    if !microsoft && !product.starts_with("windows") {
        return None;
    }
    let rest = product.strip_prefix("microsoft ").unwrap_or(product);
    let rest = rest.strip_prefix("windows")?.trim();
    let build = windows_build(version);
    let words: Vec<&str> = rest.split_whitespace().collect();
    let mut cpe_version = build
        .clone()
        .map_or(Component::Any, |b| Component::value(&b));
    let mut update = Component::Any;
    let service_pack = || {
        let v = format!("{rest} {}", version.to_lowercase());
        if v.contains("sp2") || v.contains("6002") {
            Component::value("sp2")
        } else if v.contains("sp1") || v.contains("7601") {
            Component::value("sp1")
        } else {
            Component::Any
        }
    };
    let name = match words.as_slice() {
        ["server", year, tail @ ..] => {
            let year = year.trim_end_matches(',');
            if matches!(year, "2008" | "2012") {
                cpe_version = if tail.first() == Some(&"r2") {
                    Component::value("r2")
                } else {
                    Component::Na
                };
                update = service_pack();
            }
            format!("windows_server_{year}")
        }
        ["7", ..] => {
            cpe_version = Component::Na;
            update = service_pack();
            "windows_7".to_owned()
        }
        ["8.1", ..] => {
            cpe_version = Component::Na;
            "windows_8.1".to_owned()
        }
        [major @ ("10" | "11"), tail @ ..] => {
            let release = tail
                .iter()
                .map(|w| w.to_lowercase())
                .find(|w| is_feature_release(w))
                .or_else(|| {
                    build
                        .as_deref()
                        .and_then(|b| release_of_build(b))
                        .map(str::to_owned)
                })?;
            format!("windows_{major}_{release}")
        }
        _ => return None,
    };
    let mut cpe = Cpe::product("o", "microsoft", &name);
    cpe.attrs[VERSION] = cpe_version;
    cpe.attrs[UPDATE] = update;
    let known = match &cpe.attrs[VERSION] {
        Component::Any => None,
        other => Some(other.to_string()),
    };
    Some(Mapped {
        targets: vec![cpe],
        scheme: Scheme::Windows,
        mapping: Mapping::Windows,
        version: known,
        kev: Some(("microsoft".to_owned(), vec!["windows".to_owned()])),
    })
}

fn is_feature_release(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 4
        && b[..2].iter().all(u8::is_ascii_digit)
        && (b[2..].iter().all(u8::is_ascii_digit) || (b[2] == b'h' && b[3].is_ascii_digit()))
}

/// `10.0.19045.3570` (or a bare `19045.3570`) → the full build string when it is one.
fn windows_build(version: &str) -> Option<String> {
    let v = version.trim();
    let parts: Vec<&str> = v.split('.').collect();
    (parts.len() >= 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())))
        .then(|| v.to_owned())
}

/// Windows 10/11 feature release from the build number (the third part of `10.0.B.R`).
fn release_of_build(build: &str) -> Option<&'static str> {
    let b: u32 = build.split('.').nth(2)?.parse().ok()?;
    Some(match b {
        10240 => "1507",
        10586 => "1511",
        14393 => "1607",
        15063 => "1703",
        16299 => "1709",
        17134 => "1803",
        17763 => "1809",
        18362 => "1903",
        18363 => "1909",
        19041 => "2004",
        19042 => "20h2",
        19043 => "21h1",
        19044 => "21h2",
        19045 => "22h2",
        22000 => "21h2",
        22621 => "22h2",
        22631 => "23h2",
        26100 => "24h2",
        _ => return None,
    })
}

/// Japanese vendor and product names as JVN writes them (`日立` / `JP1/VERITAS NetBackup`).
fn from_jvn(vendor: &str, product: &str, version: &str, jvn: &[JvnRecord]) -> Option<Mapped> {
    for record in jvn {
        for p in &record.products {
            let (jv, jp) = (fold(&p.vendor), fold(&p.product));
            if jv.is_empty() || jp.is_empty() || !vendor.contains(&jv) || !product.contains(&jp) {
                continue;
            }
            let Some(key) = &p.cpe else { continue };
            let mut parts = key.splitn(3, ':');
            let (Some(part), Some(v), Some(pr)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let (cpe, known) = with_version(Cpe::product(part, v, pr), Scheme::Generic, version);
            return Some(Mapped {
                targets: vec![cpe],
                scheme: Scheme::Generic,
                mapping: Mapping::Jvn {
                    id: record.id.clone(),
                },
                version: known,
                kev: None,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(vendor: &str, product: &str, version: &str) -> String {
        map_asset(vendor, product, version, "", &[])
            .unwrap()
            .targets[0]
            .to_string()
    }

    #[test]
    fn the_table_parses_and_every_cpe_is_well_formed() {
        assert!(table().len() > 20);
        for e in table() {
            for spec in std::iter::once(&e.cpe).chain(&e.also) {
                let spec = spec.replace("{model}", "m1");
                let cpe = Cpe::parse(&format!("cpe:2.3:{spec}:*:*:*:*:*:*:*:*")).unwrap();
                assert!(cpe.product_key().is_some(), "{spec}");
            }
            assert!(!e.vendors.is_empty() && !e.names.is_empty(), "{}", e.cpe);
        }
    }

    #[test]
    fn hospital_devices_map_to_nvd_names() {
        assert_eq!(
            key("Fortinet", "FortiGate 100F", "v7.0.12,build0523"),
            "cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*"
        );
        assert_eq!(
            key("シスコシステムズ合同会社", "ASA 5516-X", "9.16(4)85"),
            "cpe:2.3:o:cisco:adaptive_security_appliance_software:9.16.4.85:*:*:*:*:*:*:*"
        );
        assert_eq!(
            key("Palo Alto Networks", "PA-3220", "10.2.9-h1"),
            "cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:h1:*:*:*:*:*:*"
        );
        assert_eq!(
            key("Ivanti", "Connect Secure", "22.7R2.3"),
            "cpe:2.3:a:ivanti:connect_secure:22.7:r2.3:*:*:*:*:*:*"
        );
        assert_eq!(
            key("ＹＡＭＡＨＡ", "RTX1210", "Rev.14.01.42"),
            "cpe:2.3:o:yamaha:rtx1210_firmware:14.01.42:*:*:*:*:*:*:*"
        );
        assert_eq!(
            key("Microsoft", "Windows Server 2019", "10.0.17763.6414"),
            "cpe:2.3:o:microsoft:windows_server_2019:10.0.17763.6414:*:*:*:*:*:*:*"
        );
        assert_eq!(
            key("Microsoft", "Windows 10 Pro", "10.0.19045.3570"),
            "cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.3570:*:*:*:*:*:*:*"
        );
        assert_eq!(
            key("マイクロソフト", "Windows 7 Professional", "SP1"),
            "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*"
        );
        assert_eq!(
            key("Microsoft", "Windows Server 2008 R2", "6.1.7601"),
            "cpe:2.3:o:microsoft:windows_server_2008:r2:sp1:*:*:*:*:*:*"
        );
        let ivanti = map_asset("Pulse Secure", "Pulse Connect Secure", "9.1R18", "", &[]).unwrap();
        assert_eq!(ivanti.targets.len(), 2, "current and former CPE product");
    }

    #[test]
    fn unknown_version_leaves_the_version_any() {
        let m = map_asset("Fortinet", "FortiGate 60F", "", "", &[]).unwrap();
        assert_eq!(m.version, None);
        assert_eq!(m.targets[0].attrs[VERSION], Component::Any);
    }

    #[test]
    fn the_assets_own_cpe_wins_and_bad_ones_are_reported() {
        let m = map_asset(
            "x",
            "y",
            "7.0.9",
            "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*",
            &[],
        )
        .unwrap();
        assert_eq!(m.mapping, Mapping::AssetCpe);
        assert_eq!(m.version.as_deref(), Some("7.0.9"));
        assert_eq!(m.scheme, Scheme::Fortios);
        assert!(matches!(
            map_asset("x", "y", "", "cpe:2.3:broken", &[]),
            Err(Unmapped::BadCpe(_))
        ));
        assert_eq!(
            map_asset("GE", "LOGIQ E10", "", "", &[]),
            Err(Unmapped::Unknown)
        );
        // The OS named in the version column.
        let us = map_asset("GE", "LOGIQ", "Windows 7 Embedded", "", &[]).unwrap();
        assert_eq!(
            us.targets[0].to_string(),
            "cpe:2.3:o:microsoft:windows_7:-:*:*:*:*:*:*:*"
        );
        let pc = map_asset("NEC", "Mate", "Windows 11 23H2", "", &[]).unwrap();
        assert_eq!(
            pc.targets[0].to_string(),
            "cpe:2.3:o:microsoft:windows_11_23h2:*:*:*:*:*:*:*:*"
        );
        assert_eq!(pc.version, None);
        assert_eq!(map_asset("", "", "", "", &[]), Err(Unmapped::NoProduct));
    }
}
