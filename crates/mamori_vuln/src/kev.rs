//! CISA's Known Exploited Vulnerabilities catalog, JSON and CSV (research/vuln.md §1).

use std::io::Read;

use serde::Deserialize;

use crate::nvd::RecordProblem;
use crate::record::KevEntry;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CatalogIn {
    catalog_version: Option<String>,
    date_released: Option<String>,
    #[serde(default)]
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntryIn {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(default)]
    vendor_project: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vulnerability_name: String,
    #[serde(default)]
    date_added: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    known_ransomware_campaign_use: String,
    #[serde(default)]
    required_action: String,
    #[serde(default)]
    notes: String,
}

impl EntryIn {
    fn into_entry(self) -> KevEntry {
        // The catalog has trailing spaces in vendor and product names ("Windows ").
        KevEntry {
            cve: self.cve_id.trim().to_owned(),
            vendor: self.vendor_project.trim().to_owned(),
            product: self.product.trim().to_owned(),
            name: self.vulnerability_name.trim().to_owned(),
            date_added: self.date_added.trim().to_owned(),
            due_date: self.due_date.trim().to_owned(),
            ransomware: self
                .known_ransomware_campaign_use
                .trim()
                .eq_ignore_ascii_case("known"),
            required_action: self.required_action.trim().to_owned(),
            notes: self.notes.trim().to_owned(),
        }
    }
}

/// What a KEV file said about itself and held.
#[derive(Debug, Default)]
pub struct KevFile {
    /// `catalogVersion`.
    pub catalog_version: Option<String>,
    /// `dateReleased`: the catalog's own date, for staleness.
    pub date_released: Option<String>,
    /// The entries read.
    pub entries: Vec<KevEntry>,
    /// Entries that could not be read, by position.
    pub problems: Vec<RecordProblem>,
}

/// Keeps an entry whose id is a CVE id and whose dates are dates: a garbage `dateAdded` would
/// become the catalogue's release date and hide that the feed is stale.
fn check(entry: KevEntry, index: usize, out: &mut KevFile) {
    // `2024-02-08` (CSV) or an ISO timestamp starting so; an empty due date is allowed.
    let date = |d: &str| d.get(..10).is_some_and(crate::nvd::is_timestamp);
    let message = if !crate::nvd::is_cve_id(&entry.cve) {
        "cveID is not a CVE id (CVE-YYYY-NNNN)".to_owned()
    } else if !date(&entry.date_added) {
        format!("dateAdded is not a date: {:?}", entry.date_added)
    } else if !entry.due_date.is_empty() && !date(&entry.due_date) {
        format!("dueDate is not a date: {:?}", entry.due_date)
    } else {
        return out.entries.push(entry);
    };
    out.problems.push(RecordProblem {
        index,
        id: Some(entry.cve),
        message,
    });
}

/// Reads CISA's KEV JSON; an unreadable entry is listed, the others kept.
pub fn read_json(reader: impl Read) -> Result<KevFile, serde_json::Error> {
    let catalog: CatalogIn = serde_json::from_reader(reader)?;
    let mut out = KevFile {
        catalog_version: catalog.catalog_version,
        date_released: catalog.date_released,
        ..KevFile::default()
    };
    for (i, value) in catalog.vulnerabilities.into_iter().enumerate() {
        let id = value
            .get("cveID")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        match EntryIn::deserialize(value) {
            Ok(e) => check(e.into_entry(), i + 1, &mut out),
            Err(e) => out.problems.push(RecordProblem {
                index: i + 1,
                id,
                message: e.to_string(),
            }),
        }
    }
    Ok(out)
}

/// The CSV has the JSON's fields as columns (`cveID,vendorProject,…`); it carries no catalog
/// version, so the newest `dateAdded` stands in for the catalog date.
pub fn read_csv(reader: impl Read) -> Result<KevFile, csv::Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let mut out = KevFile::default();
    for (i, row) in rdr.deserialize::<EntryIn>().enumerate() {
        match row {
            Ok(e) => check(e.into_entry(), i + 2, &mut out),
            Err(e) => out.problems.push(RecordProblem {
                index: i + 2,
                id: None,
                message: e.to_string(),
            }),
        }
    }
    out.date_released = out.entries.iter().map(|e| e.date_added.clone()).max();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_agree() {
        let json = r#"{"catalogVersion":"2099.01.01","dateReleased":"2099-01-01T00:00:00Z","vulnerabilities":[
            {"cveID":"CVE-2018-13379","vendorProject":"Fortinet ","product":"FortiOS ","vulnerabilityName":"n",
             "dateAdded":"2021-11-03","shortDescription":"d","requiredAction":"a","dueDate":"2022-05-03",
             "knownRansomwareCampaignUse":"Known","notes":"x","cwes":["CWE-22"]},
            {"cveID":"not-a-cve","vendorProject":"v","product":"p"}]}"#;
        let csv = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
            CVE-2018-13379,Fortinet ,FortiOS ,n,2021-11-03,d,a,2022-05-03,Known,x,CWE-22\n";
        let j = read_json(json.as_bytes()).unwrap();
        let c = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(j.entries, c.entries);
        assert_eq!(j.entries[0].vendor, "Fortinet");
        assert!(j.entries[0].ransomware);
        assert_eq!(j.problems.len(), 1);
        assert_eq!(j.problems[0].index, 2);
        assert_eq!(c.date_released.as_deref(), Some("2021-11-03"));
    }
}
