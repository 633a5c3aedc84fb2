//! The feed readers and the matcher on the real records in `../shared/data/feeds`
//! (see SOURCES.md there): CISA KEV, NVD API pages and per-CVE records of edge devices, and the
//! official MyJVN examples.

use std::path::PathBuf;

use mamori_testing::shared;
use mamori_vuln::cpe::{Cpe, VERSION};
use mamori_vuln::feeds::{FeedError, FeedKind, read_feed};

/// Files under the paths, as mamori walks them.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    mamori_ingest::files::walk(paths).files
}
use mamori_vuln::matcher::criterion_matches;
use mamori_vuln::products::map_asset;
use mamori_vuln::{How, VulnDb};

fn load(paths: &[PathBuf]) -> VulnDb {
    let mut db = VulnDb::new();
    for p in expand(paths) {
        match read_feed(&p, &mut |item| db.add(item)) {
            Ok(f) => assert!(f.problems.is_empty(), "{}: {:?}", p.display(), f.problems),
            Err(FeedError::NotAFeed { .. }) => {}
            Err(e) => panic!("{e}"),
        }
    }
    db
}

fn edge_db() -> Option<VulnDb> {
    let edge = shared("feeds/nvd/edge")?;
    let kev = shared("feeds/kev")?;
    Some(load(&[edge.join("snapshots"), edge, kev]))
}

/// CVE ids that apply to a ledger row.
fn affected(db: &VulnDb, vendor: &str, product: &str, version: &str) -> Vec<String> {
    let mapped = map_asset(vendor, product, version, "", db.jvn()).unwrap();
    db.match_asset(&mapped, &[])
        .into_iter()
        .filter(|m| matches!(m.how, How::Configuration { .. }))
        .map(|m| m.cve)
        .collect()
}

#[test]
fn every_feed_file_is_read_or_skipped_for_a_reason() {
    let Some(feeds) = shared("feeds") else { return };
    let mut read = Vec::new();
    let mut skipped = Vec::new();
    for p in expand(&[feeds.join("kev"), feeds.join("nvd"), feeds.join("jvn")]) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        match read_feed(&p, &mut |_| {}) {
            Ok(f) => read.push((name, f.kind, f.records)),
            Err(FeedError::NotAFeed { reason, .. }) => skipped.push((name, reason)),
            Err(e) => panic!("{e}"),
        }
    }
    let count = |n: &str| read.iter().find(|r| r.0 == n).map(|r| (r.1, r.2));
    assert_eq!(
        count("known_exploited_vulnerabilities_2025-02-21.json"),
        Some((FeedKind::Kev, 1276))
    );
    assert_eq!(count("cves-2023.json"), Some((FeedKind::Nvd, 200)));
    assert_eq!(count("cves-CVE-2023-0001.json"), Some((FeedKind::Nvd, 1)));
    assert_eq!(count("CVE-2024-21762.json"), Some((FeedKind::Nvd, 1)));
    assert_eq!(
        count("getVulnOverviewList_hnd.xml"),
        Some((FeedKind::Jvn, 2))
    );
    assert_eq!(
        count("dataFeed_jvndb_rss_hnd.xml"),
        Some((FeedKind::Jvn, 4))
    );
    assert_eq!(
        count("getVulnDetailInfo_hnd_JVNDB-2018-009328.xml"),
        Some((FeedKind::Jvn, 1))
    );
    assert_eq!(
        count("getVulnOverviewList_oka.json"),
        Some((FeedKind::Jvn, 3))
    );
    assert_eq!(
        count("getVulnDetailInfo_oka_JVNDB-2017-009608.json"),
        Some((FeedKind::Jvn, 1))
    );
    let reason = |n: &str| skipped.iter().find(|s| s.0 == n).map(|s| s.1.as_str());
    assert!(
        reason("known_exploited_vulnerabilities_schema.json")
            .unwrap()
            .contains("schema")
    );
    assert!(
        reason("cpematch-CVE-2022-32223.json")
            .unwrap()
            .contains("not yet supported")
    );
    assert!(reason("jvnrss_3.2.xsd").unwrap().contains("schema"));
    assert_eq!(read.len() + skipped.len(), 2 + 27 + 10);
}

#[test]
fn kev_catalog_facts() {
    let Some(kev) = shared("feeds/kev") else {
        return;
    };
    let db = load(&[kev]);
    let (_, kev_count, _, _) = db.counts();
    assert_eq!(kev_count, 1276);
    let e = db.kev("CVE-2018-13379").unwrap();
    assert_eq!(
        (e.vendor.as_str(), e.product.as_str()),
        ("Fortinet", "FortiOS")
    );
    assert!(e.ransomware);
    assert_eq!(
        (e.date_added.as_str(), e.due_date.as_str()),
        ("2021-11-03", "2022-05-03")
    );
}

#[test]
fn fortios_versions_inside_ranges_match_and_fixed_versions_do_not() {
    let Some(db) = edge_db() else { return };
    let fortigate = |v: &str| affected(&db, "Fortinet", "FortiGate 100F", v);
    let at = fortigate("7.0.9");
    for cve in [
        "CVE-2024-21762",
        "CVE-2023-27997",
        "CVE-2024-23113",
        "CVE-2025-24472",
    ] {
        assert!(at.contains(&cve.to_owned()), "7.0.9 / {cve}: {at:?}");
    }
    assert!(
        !at.contains(&"CVE-2022-40684".to_owned()),
        "7.0.0–7.0.6 only"
    );
    // The fixed versions just outside the ranges.
    assert!(!fortigate("7.0.12").contains(&"CVE-2023-27997".to_owned())); // <= 7.0.11
    assert!(fortigate("7.0.11").contains(&"CVE-2023-27997".to_owned()));
    assert!(fortigate("7.0.13").contains(&"CVE-2024-21762".to_owned()));
    assert!(!fortigate("7.0.14").contains(&"CVE-2024-21762".to_owned())); // < 7.0.14
    assert!(fortigate("7.0.6").contains(&"CVE-2022-40684".to_owned()));
    assert!(!fortigate("7.0.7").contains(&"CVE-2022-40684".to_owned()));
    // Config-header and CLI notations of the same version.
    assert_eq!(fortigate("v7.0.9,build0444,220527 (GA)"), at);
    assert!(fortigate("7.6.0").is_empty());
}

#[test]
fn cisco_asa_versions_in_cisco_notation() {
    let Some(db) = edge_db() else { return };
    let asa = |v: &str| affected(&db, "Cisco", "ASA 5516-X", v);
    assert!(asa("9.16(4)84").contains(&"CVE-2025-20333".to_owned()));
    assert!(!asa("9.16(4)85").contains(&"CVE-2025-20333".to_owned()));
    assert!(asa("9.8(4)19").contains(&"CVE-2020-3452".to_owned()));
    assert!(!asa("9.8(4)20").contains(&"CVE-2020-3452".to_owned()));
    // CVE-2023-20269 and CVE-2024-20353 enumerate exact versions.
    let exact = asa("9.16(4)");
    assert!(exact.contains(&"CVE-2024-20353".to_owned()), "{exact:?}");
}

#[test]
fn every_ranged_fortios_and_asa_criterion_includes_its_start_and_excludes_its_exclusive_end() {
    let Some(dir) = shared("feeds/nvd/edge") else {
        return;
    };
    let mut checked = 0;
    for p in expand(&[dir]) {
        read_feed(&p, &mut |item| {
            let mamori_vuln::Item::Cve(r) = item else {
                return;
            };
            for m in r
                .configurations
                .iter()
                .flat_map(|c| &c.nodes)
                .flat_map(|n| &n.matches)
            {
                if !(m.criteria.contains(":fortios:")
                    || m.criteria
                        .contains(":adaptive_security_appliance_software:"))
                {
                    continue;
                }
                let criteria = Cpe::parse(&m.criteria).unwrap();
                let at = |v: &str| {
                    let mut t = criteria.clone();
                    t.attrs[VERSION] = mamori_vuln::cpe::Component::value(v);
                    criterion_matches(m, &criteria, &t)
                };
                if let Some(s) = &m.start {
                    assert_eq!(at(&s.version), s.inclusive, "{} {}", r.id, m.criteria);
                    checked += 1;
                }
                if let Some(e) = &m.end {
                    assert_eq!(at(&e.version), e.inclusive, "{} {}", r.id, m.criteria);
                    checked += 1;
                }
            }
        })
        .unwrap();
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn other_edge_vendors_and_windows() {
    let Some(db) = edge_db() else { return };
    let has =
        |v: &str, p: &str, ver: &str, cve: &str| affected(&db, v, p, ver).contains(&cve.to_owned());
    assert!(has(
        "Palo Alto Networks",
        "PA-3220",
        "10.2.11",
        "CVE-2024-0012"
    ));
    assert!(has(
        "Palo Alto Networks",
        "PA-3220",
        "10.2.12",
        "CVE-2024-0012"
    ));
    assert!(has(
        "Palo Alto Networks",
        "PA-3220",
        "10.2.12-h1",
        "CVE-2024-0012"
    ));
    assert!(!has(
        "Palo Alto Networks",
        "PA-3220",
        "10.2.12-h2",
        "CVE-2024-0012"
    ));
    assert!(has("Ivanti", "Connect Secure", "22.7R2.4", "CVE-2025-0282"));
    assert!(!has(
        "Ivanti",
        "Connect Secure",
        "22.7R2.5",
        "CVE-2025-0282"
    ));
    assert!(has(
        "Citrix",
        "NetScaler ADC",
        "13.1-49.12",
        "CVE-2023-3519"
    ));
    assert!(!has(
        "Citrix",
        "NetScaler ADC",
        "13.1-49.13",
        "CVE-2023-3519"
    ));
    assert!(has(
        "Microsoft",
        "Windows Server 2019",
        "10.0.17763.2028",
        "CVE-2021-34527"
    ));
    assert!(!has(
        "Microsoft",
        "Windows Server 2019",
        "10.0.17763.2029",
        "CVE-2021-34527"
    ));
    assert!(has(
        "Microsoft",
        "Windows 7 Professional",
        "SP1",
        "CVE-2019-0708"
    ));
    assert!(has(
        "Microsoft",
        "Windows 7 Professional",
        "SP1",
        "CVE-2021-34527"
    ));
    assert!(has(
        "NextGen Healthcare",
        "Mirth Connect",
        "4.4.0",
        "CVE-2023-43208"
    ));
    assert!(!has(
        "NextGen Healthcare",
        "Mirth Connect",
        "4.4.1",
        "CVE-2023-43208"
    ));
}

#[test]
fn kev_entries_nvd_has_not_analysed_match_by_product_with_version_unknown() {
    let Some(db) = edge_db() else { return };
    let mapped = map_asset("Fortinet", "FortiGate 60F", "7.0.9", "", &[]).unwrap();
    let matches = db.match_asset(&mapped, &[]);
    // CVE-2018-13379 is in KEV but its NVD record is not loaded here.
    let m = matches.iter().find(|m| m.cve == "CVE-2018-13379").unwrap();
    assert_eq!(m.how, How::KevProduct);
    assert!(m.kev.is_some_and(|k| k.ransomware));
    // Analysed records decide by version instead: CVE-2022-40684 is in KEV, and 7.0.9 is
    // outside its range.
    assert!(matches.iter().all(|m| m.cve != "CVE-2022-40684"));
}

#[test]
fn a_newer_record_replaces_an_older_one_in_either_order() {
    let Some(edge) = shared("feeds/nvd/edge") else {
        return;
    };
    let old = edge.join("snapshots/CVE-2025-24472_lastModified-2025-02-11.json");
    let new = edge.join("CVE-2025-24472.json");
    for order in [[&old, &new], [&new, &old]] {
        let mut db = VulnDb::new();
        for p in order {
            read_feed(p, &mut |i| db.add(i)).unwrap();
        }
        let r = db.cve("CVE-2025-24472").unwrap();
        assert_eq!(r.status, "Analyzed");
        assert!(!r.configurations.is_empty());
    }
    let mut db = VulnDb::new();
    read_feed(&old, &mut |i| db.add(i)).unwrap();
    let r = db.cve("CVE-2025-24472").unwrap();
    assert_eq!(r.status, "Awaiting Analysis");
    assert!(r.configurations.is_empty() && r.kev_mirror.is_none());
}

#[test]
fn cvss_choice_follows_nvd_then_cna() {
    let Some(db) = edge_db() else { return };
    // No NVD Primary score: the CNA's.
    let c = db.cve("CVE-2025-20333").unwrap().cvss.clone().unwrap();
    assert_eq!((c.score, c.source.as_str()), (9.9, "psirt@cisco.com"));
    // NVD's v3.1 is typed Secondary, v2 is the only Primary: the v3.1 wins over v2.
    let c = db.cve("CVE-2021-34527").unwrap().cvss.clone().unwrap();
    assert!(c.version.starts_with('3'), "{c:?}");
    let c = db.cve("CVE-2018-13379");
    assert!(c.is_none());
    let c = db.cve("CVE-2024-21762").unwrap();
    assert_eq!(c.kev_mirror.as_ref().unwrap().date_added, "2024-02-09");
}

#[test]
fn japanese_vendor_and_product_names_from_jvn_map() {
    let Some(jvn) = shared("feeds/jvn") else {
        return;
    };
    let db = load(&[jvn]);
    let m = map_asset("株式会社日立", "JP1/VERITAS NetBackup", "8.0", "", db.jvn()).unwrap();
    assert_eq!(
        m.targets[0].to_string(),
        r"cpe:2.3:a:hitachi:jp1_veritas_netbackup:8.0:*:*:*:*:*:*:*"
    );
    let hits = db.match_asset(&m, &[]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].jvn.unwrap().id, "JVNDB-2018-009328");
    assert!(hits[0].jvn.unwrap().title.contains("JP1/VERITAS"));
    let newer = map_asset("日立", "JP1/VERITAS NetBackup", "8.2", "", db.jvn()).unwrap();
    assert!(db.match_asset(&newer, &[]).is_empty());
    // The same advisory in XML (HND) and JSON (OKA) gives the same id, CVE and product.
    let pcu: Vec<_> = db
        .jvn()
        .iter()
        .filter(|j| j.id == "JVNDB-2017-009608")
        .collect();
    assert_eq!(pcu.len(), 1);
    assert_eq!(pcu[0].cves, ["CVE-2017-14937"]);
    let rockwell = map_asset(
        "Rockwell Automation",
        "VersaVirtual Appliance (VVA) with Veeam",
        "",
        "",
        db.jvn(),
    )
    .unwrap();
    assert_eq!(
        rockwell.product_keys(),
        ["a:rockwellautomation:versavirtual_appliance_(vva)_with_veeam"]
    );
}

/// The store keeps per product only the configurations that can name it
/// (`narrowed_by_product`): on every real record, for every product it names, at every version
/// its criteria mention (and below and above them all), with and without a platform, matching
/// the narrowed list gives the same criterion as matching the whole record.
#[test]
fn narrowing_a_record_to_one_product_never_changes_a_match() {
    use mamori_vuln::db::narrowed_by_product;
    use mamori_vuln::matcher::{ParsedCriteria, Target, evaluate};
    use mamori_vuln::{Item, record::CveRecord};

    let (Some(page), Some(edge)) = (shared("feeds/nvd/cves-2023.json"), shared("feeds/nvd/edge"))
    else {
        return;
    };
    let mut records: Vec<CveRecord> = Vec::new();
    for p in expand(&[page, edge.join("snapshots"), edge]) {
        let _ = read_feed(&p, &mut |item| {
            if let Item::Cve(r) = item {
                records.push(r);
            }
        });
    }
    assert!(records.len() > 200, "{}", records.len());
    let (mut compared, mut hits, mut narrowed_away) = (0usize, 0usize, 0usize);
    for record in &records {
        let whole = ParsedCriteria::new(&record.configurations);
        let all = record
            .configurations
            .iter()
            .flat_map(|c| &c.nodes)
            .flat_map(|n| &n.matches);
        let platforms: Vec<Cpe> = all
            .clone()
            .filter(|m| !m.vulnerable)
            .filter_map(|m| Cpe::parse(&m.criteria).ok())
            .take(1)
            .collect();
        for (key, configs) in narrowed_by_product(record) {
            let part = ParsedCriteria::new(&configs);
            let before: usize = record
                .configurations
                .iter()
                .flat_map(|c| &c.nodes)
                .map(|n| n.matches.len())
                .sum();
            let after: usize = configs
                .iter()
                .flat_map(|c| &c.nodes)
                .map(|n| n.matches.len())
                .sum();
            narrowed_away += before - after;
            let mut versions = vec!["0".to_owned(), "99999".to_owned()];
            for m in all
                .clone()
                .filter(|m| m.criteria.to_lowercase().contains(&key))
            {
                versions.extend(m.start.iter().chain(&m.end).map(|b| b.version.clone()));
                if let Ok(c) = Cpe::parse(&m.criteria)
                    && let Some(v) = c.attrs[VERSION].as_text()
                {
                    versions.push(v.to_owned());
                }
            }
            for version in versions {
                let mut cpe = Cpe::parse(&format!("cpe:2.3:{key}:*:*:*:*:*:*:*:*")).unwrap();
                cpe.attrs[VERSION] = mamori_vuln::cpe::Component::value(&version);
                for platforms in [&[][..], &platforms[..]] {
                    let target = Target {
                        cpe: &cpe,
                        platforms,
                    };
                    let a = evaluate(&record.configurations, &whole, &target).map(|h| {
                        (
                            h.criterion(&record.configurations).clone(),
                            h.platform_assumed,
                        )
                    });
                    let b = evaluate(&configs, &part, &target)
                        .map(|h| (h.criterion(&configs).clone(), h.platform_assumed));
                    assert_eq!(a, b, "{} {key} {version}", record.id);
                    compared += 1;
                    hits += usize::from(a.is_some());
                }
            }
        }
    }
    assert!(
        hits > 100 && narrowed_away > 1000,
        "{compared} matches compared, {hits} hits, {narrowed_away} criteria dropped"
    );
}

/// The shared blocklists: a hosts file (StevenBlack), a URLhaus host file, two Maltrail trails.
#[test]
fn shared_blocklists_are_read_whole() {
    use mamori_vuln::blocklist::{Intel, read_blocklist};
    let Some(dir) = shared("feeds/blocklists") else {
        return;
    };
    let read = |name: &str| read_blocklist(name, &std::fs::read_to_string(dir.join(name)).unwrap());
    let hosts = read("stevenblack_base_hosts_2020.txt");
    let urlhaus = read("urlhaus_hostfile_2020-10-11.txt");
    let lockbit = read("maltrail_lockbit.txt");
    let ryuk = read("maltrail_ryuk.txt");
    for list in [&hosts, &urlhaus, &lockbit, &ryuk] {
        assert!(
            list.problems.is_empty(),
            "{}: {:?}",
            list.name,
            list.problems
        );
    }
    // No line was left unread (above); a host file's lines are distinct names, each an entry.
    // (The trails repeat some entries — `http://142.171.8.34` twice, an address as itself and
    // as a URL — so their entries are fewer than their lines.)
    let entries = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .count()
    };
    assert_eq!(urlhaus.len(), entries("urlhaus_hostfile_2020-10-11.txt"));
    assert!(lockbit.len() > 280 && lockbit.len() <= entries("maltrail_lockbit.txt"));
    assert!(!lockbit.paths.is_empty(), "Maltrail's path entries");
    assert!(ryuk.len() > 150 && ryuk.len() <= entries("maltrail_ryuk.txt"));
    assert!(hosts.len() >= 2900, "{}", hosts.len());
    assert_eq!(urlhaus.date.as_deref(), Some("2020-10-11 10:22:03 (UTC)"));
    let intel = Intel {
        lists: vec![hosts, urlhaus, lockbit, ryuk],
    };
    let hit = &intel.match_domain("www.lockbit-decryptor.com")[0];
    assert_eq!(
        (hit.list.as_str(), hit.entry.as_str()),
        ("maltrail_lockbit.txt", "lockbit-decryptor.com")
    );
    assert_eq!(
        intel.match_domain("abcd.bg")[0].list,
        "urlhaus_hostfile_2020-10-11.txt"
    );
    assert!(
        !intel
            .match_address("139.60.160.200".parse().unwrap())
            .is_empty()
    );
    assert!(intel.match_domain("www.mhlw.go.jp").is_empty());
}
