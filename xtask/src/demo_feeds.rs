//! The demo hospital's `feeds/`: an extract of the CISA KEV catalog and of NVD records for the
//! hospital's own devices, as a hospital would keep the files it downloaded.
//!
//! The facts (CVE ids, KEV dates, ransomware use, affected version ranges, CVSS) are those of
//! the real records (KEV: CC0; NVD: US-government public domain), cut down to the products in
//! the demo ledger; descriptions are our own short summaries. The KEV extract is dated
//! 2026-11-19 (fresh) and the NVD download 2026-11-02 (older than a week, so the demo shows
//! `vuln.feed-stale`).

use serde_json::{Value, json};

struct Kev {
    cve: &'static str,
    product: &'static str,
    name: &'static str,
    added: &'static str,
    due: &'static str,
    ransomware: bool,
}

const KEV: &[(&str, Kev)] = &[
    (
        "Fortinet",
        Kev {
            cve: "CVE-2018-13379",
            product: "FortiOS",
            name: "Fortinet FortiOS SSL VPN Path Traversal Vulnerability",
            added: "2021-11-03",
            due: "2022-05-03",
            ransomware: true,
        },
    ),
    (
        "Fortinet",
        Kev {
            cve: "CVE-2022-40684",
            product: "Multiple Products",
            name: "Fortinet Multiple Products Authentication Bypass Vulnerability",
            added: "2022-10-11",
            due: "2022-11-01",
            ransomware: true,
        },
    ),
    (
        "Fortinet",
        Kev {
            cve: "CVE-2023-27997",
            product: "FortiOS and FortiProxy SSL-VPN",
            name: "Fortinet FortiOS and FortiProxy SSL-VPN Heap-Based Buffer Overflow Vulnerability",
            added: "2023-06-13",
            due: "2023-07-04",
            ransomware: true,
        },
    ),
    (
        "Fortinet",
        Kev {
            cve: "CVE-2024-21762",
            product: "FortiOS",
            name: "Fortinet FortiOS Out-of-Bound Write Vulnerability",
            added: "2024-02-09",
            due: "2024-02-16",
            ransomware: false,
        },
    ),
    (
        "Fortinet",
        Kev {
            cve: "CVE-2024-23113",
            product: "Multiple Products",
            name: "Fortinet Multiple Products Format String Vulnerability",
            added: "2024-10-09",
            due: "2024-10-30",
            ransomware: false,
        },
    ),
    (
        "Microsoft",
        Kev {
            cve: "CVE-2019-0708",
            product: "Remote Desktop Services",
            name: "Microsoft Remote Desktop Services Remote Code Execution Vulnerability",
            added: "2021-11-03",
            due: "2022-05-03",
            ransomware: false,
        },
    ),
    (
        "Microsoft",
        Kev {
            cve: "CVE-2021-34527",
            product: "Windows",
            name: "Microsoft Windows Print Spooler Remote Code Execution Vulnerability",
            added: "2021-11-03",
            due: "2021-07-20",
            ransomware: true,
        },
    ),
];

pub fn kev_json() -> String {
    let entries: Vec<Value> = KEV
        .iter()
        .map(|(vendor, k)| {
            json!({
                "cveID": k.cve, "vendorProject": vendor, "product": k.product,
                "vulnerabilityName": k.name, "dateAdded": k.added,
                "shortDescription": "(demo extract) see the CISA catalog for the full text.",
                "requiredAction": "Apply updates per vendor instructions.",
                "dueDate": k.due,
                "knownRansomwareCampaignUse": if k.ransomware { "Known" } else { "Unknown" },
                "notes": format!("https://nvd.nist.gov/vuln/detail/{}", k.cve), "cwes": []
            })
        })
        .collect();
    let doc = json!({
        "title": "CISA Catalog of Known Exploited Vulnerabilities (demo extract)",
        "catalogVersion": "2026.11.19",
        "dateReleased": "2026-11-19T17:00:00.000Z",
        "count": entries.len(),
        "vulnerabilities": entries,
    });
    format!("{doc:#}\n")
}

/// (criteria, start, start inclusive, end, end inclusive)
type Range = (
    &'static str,
    Option<&'static str>,
    bool,
    Option<&'static str>,
    bool,
);

const FORTIOS: &str = "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*";

fn cve(
    id: &str,
    description: &str,
    score: f64,
    vector: &str,
    kev: Option<(&str, &str, &str)>,
    ranges: &[Range],
) -> Value {
    let matches: Vec<Value> = ranges
        .iter()
        .map(|(criteria, start, start_inc, end, end_inc)| {
            let mut m = json!({ "vulnerable": true, "criteria": criteria });
            if let Some(s) = start {
                m[if *start_inc {
                    "versionStartIncluding"
                } else {
                    "versionStartExcluding"
                }] = json!(s);
            }
            if let Some(e) = end {
                m[if *end_inc {
                    "versionEndIncluding"
                } else {
                    "versionEndExcluding"
                }] = json!(e);
            }
            m
        })
        .collect();
    let mut c = json!({
        "id": id,
        "sourceIdentifier": "demo",
        "published": "2026-01-01T00:00:00.000",
        "lastModified": "2026-10-30T00:00:00.000",
        "vulnStatus": "Analyzed",
        "descriptions": [{ "lang": "en", "value": description }],
        "metrics": { "cvssMetricV31": [{ "source": "nvd@nist.gov", "type": "Primary",
            "cvssData": { "version": "3.1", "vectorString": vector, "baseScore": score,
                          "baseSeverity": if score >= 9.0 { "CRITICAL" } else { "HIGH" } } }] },
        "configurations": [{ "nodes": [{ "operator": "OR", "negate": false, "cpeMatch": matches }] }],
    });
    if let Some((added, due, name)) = kev {
        c["cisaExploitAdd"] = json!(added);
        c["cisaActionDue"] = json!(due);
        c["cisaVulnerabilityName"] = json!(name);
    }
    json!({ "cve": c })
}

#[expect(
    clippy::too_many_lines,
    reason = "the demo data written out row by row: a table reads best whole"
)]
pub fn nvd_json() -> String {
    const NET: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    let records = vec![
        cve(
            "CVE-2018-13379",
            "FortiOS SSL-VPN path traversal: an unauthenticated attacker downloads system files (including VPN session credentials).",
            9.8,
            NET,
            None,
            &[
                (FORTIOS, Some("5.4.6"), true, Some("5.4.13"), false),
                (FORTIOS, Some("5.6.3"), true, Some("5.6.8"), false),
                (FORTIOS, Some("6.0.0"), true, Some("6.0.5"), false),
            ],
        ),
        cve(
            "CVE-2022-40684",
            "FortiOS administrative interface authentication bypass through crafted HTTP requests.",
            9.8,
            NET,
            None,
            &[
                (FORTIOS, Some("7.0.0"), true, Some("7.0.7"), false),
                (FORTIOS, Some("7.2.0"), true, Some("7.2.2"), false),
            ],
        ),
        cve(
            "CVE-2023-27997",
            "FortiOS SSL-VPN heap-based buffer overflow allowing remote code execution before authentication.",
            9.8,
            NET,
            None,
            &[
                (FORTIOS, Some("6.4.0"), true, Some("6.4.12"), true),
                (FORTIOS, Some("7.0.0"), true, Some("7.0.11"), true),
                (FORTIOS, Some("7.2.0"), true, Some("7.2.4"), true),
            ],
        ),
        cve(
            "CVE-2024-21762",
            "FortiOS SSL-VPN out-of-bounds write allowing remote code execution through crafted HTTP requests.",
            9.8,
            NET,
            None,
            &[
                (FORTIOS, Some("6.4.0"), true, Some("6.4.15"), false),
                (FORTIOS, Some("7.0.0"), true, Some("7.0.14"), false),
                (FORTIOS, Some("7.2.0"), true, Some("7.2.7"), false),
            ],
        ),
        cve(
            "CVE-2024-23113",
            "FortiOS fgfm daemon format string flaw allowing remote code execution.",
            9.8,
            NET,
            None,
            &[
                (FORTIOS, Some("7.0.0"), true, Some("7.0.13"), true),
                (FORTIOS, Some("7.2.0"), true, Some("7.2.6"), true),
            ],
        ),
        cve(
            "CVE-2023-25610",
            "FortiOS administrative interface buffer underwrite allowing remote code execution or denial of service.",
            9.8,
            NET,
            None,
            &[
                (FORTIOS, Some("6.4.0"), true, Some("6.4.11"), true),
                (FORTIOS, Some("7.0.0"), true, Some("7.0.9"), true),
                (FORTIOS, Some("7.2.0"), true, Some("7.2.3"), true),
            ],
        ),
        cve(
            "CVE-2019-0708",
            "Remote Desktop Services remote code execution before authentication (BlueKeep).",
            9.8,
            NET,
            None,
            &[
                (
                    "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*",
                    None,
                    false,
                    None,
                    false,
                ),
                (
                    "cpe:2.3:o:microsoft:windows_server_2008:r2:sp1:*:*:*:*:*:*",
                    None,
                    false,
                    None,
                    false,
                ),
            ],
        ),
        cve(
            "CVE-2021-34527",
            "Windows Print Spooler remote code execution (PrintNightmare).",
            8.8,
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
            None,
            &[
                (
                    "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*",
                    None,
                    false,
                    None,
                    false,
                ),
                (
                    "cpe:2.3:o:microsoft:windows_server_2019:*:*:*:*:*:*:*:*",
                    None,
                    false,
                    Some("10.0.17763.2029"),
                    false,
                ),
                (
                    "cpe:2.3:o:microsoft:windows_server_2022:*:*:*:*:*:*:*:*",
                    None,
                    false,
                    Some("10.0.20348.230"),
                    false,
                ),
            ],
        ),
    ];
    let doc = json!({
        "resultsPerPage": records.len(), "startIndex": 0, "totalResults": records.len(),
        "format": "NVD_CVE", "version": "2.0",
        "timestamp": "2026-11-02T03:00:00.000",
        "vulnerabilities": records,
    });
    format!("{doc:#}\n")
}
