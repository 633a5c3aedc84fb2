//! The measures catalog and the MHLW checklist items, embedded from `data/`.
//!
//! Keeping them as data means a new fiscal year's checklist is a data change, not a code change.
//! The files are parsed once, on first use; a malformed file is a build-time mistake caught by
//! the tests below, so parsing panics with the file name rather than returning an error.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Localized};

/// One measure of the notices (`data/measures.toml`).
#[derive(Clone, Debug, Deserialize)]
pub struct Measure {
    /// Stable id findings refer to (`detect.log-review`).
    pub id: String,
    /// Which notice: `mhlw-2022-11`, `mhlw-2024-12`, or `mhlw-checklist` (the checklist duty).
    pub source: String,
    /// The section of the notice it comes from.
    pub section: String,
    /// The measure in Japanese, as the notice puts it.
    pub ja: String,
    /// The measure in English.
    pub en: String,
}

impl Measure {
    /// The measure in the reader's language.
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// One fiscal-year version of an MHLW checklist (`data/checklists/*.toml`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Checklist {
    /// `institution` (医療機関確認用), `vendor` (事業者確認用) or `bcp` (BCP 策定の確認表).
    pub list: String,
    /// The fiscal year the version is for, by its starting calendar year (令和7年度 = 2025).
    pub fiscal_year: i16,
    /// The sheet's title as printed by MHLW.
    pub title: String,
    /// The items in the order of the sheet.
    #[serde(rename = "item")]
    pub items: Vec<ChecklistItem>,
}

/// One item of an MHLW checklist, in one fiscal year's version.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ChecklistItem {
    /// Stable across fiscal years; findings refer to items by this key.
    pub key: String,
    /// The official number in this version, e.g. `2-⑤`.
    pub number: String,
    /// False when the number was inferred rather than read from the official sheet (printed with a note).
    #[serde(default = "yes")]
    pub number_verified: bool,
    /// The sheet's category heading (体制構築, 医療情報システムの管理…).
    pub category: String,
    /// Whom it asks (医療機関, 事業者): the sheet's target column.
    pub targets: Vec<String>,
    /// `auto`, `partial` or `attestation`: how far mamori's checks can decide the item.
    pub evidence: String,
    /// Rule ids whose findings contradict a 「はい」.
    #[serde(default)]
    pub contradicted_by: Vec<String>,
    /// Site tables the `contradicted_by` rules read; without them mamori suggests nothing.
    #[serde(default)]
    pub needs: Vec<String>,
    /// A later fiscal year the notice allows for a 「いいえ」 target date (二要素認証: 令和9年度).
    #[serde(default)]
    pub target_fiscal_year: Option<i16>,
    /// The item's wording in Japanese.
    pub ja: String,
    /// The item in English.
    pub en: String,
}

impl ChecklistItem {
    /// The item's wording in both languages.
    pub fn summary(&self) -> Localized {
        Localized::new(&self.ja, &self.en)
    }

    /// The number as printed: inferred numbers carry a `?`.
    pub fn display_number(&self) -> String {
        if self.number_verified {
            self.number.clone()
        } else {
            format!("{}?", self.number)
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct MeasuresFile {
    measure: Vec<Measure>,
}

const MEASURES_TOML: &str = include_str!("../../../data/measures.toml");
const PUBLIC_CONTACTS_TOML: &str = include_str!("../../../data/public-contacts.toml");

/// A public emergency contact shipped with mamori (`data/public-contacts.toml`): offered
/// wherever a site's own contacts lack the role.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PublicContact {
    /// `mhlw`, `jma`, `police`: the role it fills.
    pub role: String,
    /// The office, in Japanese.
    pub name: String,
    /// The office, in English.
    pub name_en: String,
    /// The number; empty when there is no national one (the police).
    pub phone: String,
    /// `always`, or `year-end`: only inside the site's year-end closure.
    pub when: String,
    /// What to tell them, in Japanese.
    pub say: String,
    /// What to tell them, in English.
    pub say_en: String,
}

#[derive(Deserialize)]
struct PublicContactsFile {
    version: String,
    source: String,
    contact: Vec<PublicContact>,
}

fn public_contacts_file() -> &'static PublicContactsFile {
    static CELL: OnceLock<PublicContactsFile> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(PUBLIC_CONTACTS_TOML)
            .unwrap_or_else(|e| panic!("data/public-contacts.toml is malformed: {e}"))
    })
}

/// The public contacts that apply on `day` (the year-end numbers only inside the site's
/// year-end window `closures`), with the data's version and source.
pub fn public_contacts(
    day: jiff::civil::Date,
    closures: &crate::site::Closures,
) -> (Vec<&'static PublicContact>, &'static str, &'static str) {
    let in_year_end = closures
        .current_or_next_year_end(day)
        .is_some_and(|(start, end)| start <= day && day <= end);
    let file = public_contacts_file();
    let contacts = file
        .contact
        .iter()
        .filter(|c| c.when != "year-end" || in_year_end)
        .collect();
    (contacts, &file.version, &file.source)
}
const CHECKLIST_FILES: &[(&str, &str)] = &[
    (
        "institution-r6.toml",
        include_str!("../../../data/checklists/institution-r6.toml"),
    ),
    (
        "institution-r7.toml",
        include_str!("../../../data/checklists/institution-r7.toml"),
    ),
    (
        "vendor-r6.toml",
        include_str!("../../../data/checklists/vendor-r6.toml"),
    ),
    (
        "vendor-r7.toml",
        include_str!("../../../data/checklists/vendor-r7.toml"),
    ),
    (
        "bcp-2024.toml",
        include_str!("../../../data/checklists/bcp-2024.toml"),
    ),
];

/// Every measure, in the order of the notices.
pub fn measures() -> &'static [Measure] {
    static CELL: OnceLock<Vec<Measure>> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str::<MeasuresFile>(MEASURES_TOML)
            .unwrap_or_else(|e| panic!("data/measures.toml is malformed: {e}"))
            .measure
    })
}

/// The measure with this id, from the embedded catalog.
pub fn measure(id: &str) -> Option<&'static Measure> {
    measures().iter().find(|m| m.id == id)
}

/// Every checklist version, oldest first.
pub fn checklists() -> &'static [Checklist] {
    static CELL: OnceLock<Vec<Checklist>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut lists: Vec<Checklist> = CHECKLIST_FILES
            .iter()
            .map(|(name, text)| {
                toml::from_str(text)
                    .unwrap_or_else(|e| panic!("data/checklists/{name} is malformed: {e}"))
            })
            .collect();
        lists.sort_by_key(|c| (c.list.clone(), c.fiscal_year));
        lists
    })
}

/// The newest known version of a list that applies to `fiscal_year` (the newest one not newer
/// than it, or the oldest one for earlier years).
pub fn checklist_for(list: &str, fiscal_year: i16) -> Option<&'static Checklist> {
    let versions: Vec<&Checklist> = checklists().iter().filter(|c| c.list == list).collect();
    versions
        .iter()
        .rev()
        .find(|c| c.fiscal_year <= fiscal_year)
        .or(versions.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_year_end_mhlw_number_only_inside_the_sites_year_end_window() {
        use jiff::civil::date;
        let default = crate::site::Closures::default();
        let year_end = |day, closures: &crate::site::Closures| {
            public_contacts(day, closures)
                .0
                .iter()
                .any(|c| c.phone == "080-2073-0768")
        };
        assert!(!year_end(date(2026, 12, 28), &default));
        assert!(year_end(date(2026, 12, 29), &default));
        assert!(year_end(date(2027, 1, 3), &default));
        assert!(!year_end(date(2027, 1, 4), &default));
        // A site closed 12/30–1/5: its own window decides.
        let own = crate::site::Closures {
            year_end_start: (12, 30),
            year_end_end: (1, 5),
            ..crate::site::Closures::default()
        };
        assert!(!year_end(date(2026, 12, 29), &own));
        assert!(year_end(date(2027, 1, 5), &own));
        // Always there: the usual MHLW number and the JMA hotline, with the data's source.
        let (all, version, source) = public_contacts(date(2026, 6, 1), &default);
        assert!(all.iter().any(|c| c.phone == "03-6812-7837"));
        assert!(all.iter().any(|c| c.phone == "0120-179-066"));
        assert_eq!(version, "2024-12-25");
        assert!(source.contains("日医発第1659号"));
    }

    #[test]
    fn measures_parse_with_unique_ids_and_both_languages() {
        let ms = measures();
        assert!(ms.len() >= 25, "only {} measures", ms.len());
        let mut seen = HashSet::new();
        for m in ms {
            assert!(seen.insert(&m.id), "duplicate measure id {}", m.id);
            assert!(
                !m.ja.is_empty() && !m.en.is_empty(),
                "{} lacks a summary",
                m.id
            );
            assert!(
                ["mhlw-2022-11", "mhlw-2024-12", "mhlw-checklist"].contains(&m.source.as_str()),
                "{}: unknown source {}",
                m.id,
                m.source
            );
        }
    }

    #[test]
    fn checklists_share_keys_across_years() {
        let r6 = checklist_for("institution", 2024).unwrap();
        let r7 = checklist_for("institution", 2025).unwrap();
        assert_eq!((r6.fiscal_year, r7.fiscal_year), (2024, 2025));
        // A later year falls back to the newest known version.
        assert_eq!(
            checklist_for("institution", 2030).unwrap().fiscal_year,
            2025
        );
        let r7_keys: HashSet<_> = r7.items.iter().map(|i| &i.key).collect();
        for item in &r6.items {
            assert!(r7_keys.contains(&item.key), "R7 lost item {}", item.key);
        }
        let unneeded = r7
            .items
            .iter()
            .find(|i| i.key == "unneeded-accounts")
            .unwrap();
        assert_eq!(unneeded.display_number(), "2-⑤?");
        assert!(
            unneeded
                .contradicted_by
                .contains(&"account.leaver-enabled".to_owned())
        );
    }

    #[test]
    fn every_list_has_unique_keys_known_evidence_kinds_and_both_languages() {
        for list in checklists() {
            let mut keys = HashSet::new();
            for item in &list.items {
                assert!(
                    keys.insert(&item.key),
                    "{}: duplicate {}",
                    list.title,
                    item.key
                );
                assert!(
                    ["auto", "partial", "attestation"].contains(&item.evidence.as_str()),
                    "{}: {} evidence {}",
                    list.title,
                    item.key,
                    item.evidence
                );
                assert!(!item.ja.is_empty() && !item.en.is_empty(), "{}", item.key);
            }
        }
        // The vendor lists share keys with the institution list of the same year.
        for (vendor, institution) in [(2024, 2024), (2025, 2025)] {
            let v = checklist_for("vendor", vendor).unwrap();
            let i = checklist_for("institution", institution).unwrap();
            assert_eq!(v.fiscal_year, i.fiscal_year);
            for item in &v.items {
                assert!(i.items.iter().any(|x| x.key == item.key), "{}", item.key);
            }
        }
        let bcp = checklist_for("bcp", 2026).unwrap();
        assert_eq!(bcp.items.len(), 27);
        assert_eq!(
            checklist_for("institution", 2025)
                .unwrap()
                .items
                .iter()
                .find(|i| i.key == "two-factor")
                .unwrap()
                .target_fiscal_year,
            Some(2027)
        );
    }
}
