//! The `vuln.*` rules on a small site matched against the real KEV catalog and NVD edge-device
//! records in `../shared/data/feeds`.

use jiff::civil::date;
use mamori_checks::{CheckContext, run_group};
use mamori_model::site::{Asset, AssetKind, Connection, Site, Vendor};
use mamori_model::{Finding, Severity};
use mamori_testing::shared;
use mamori_vuln::feeds::{FeedError, read_feed};
use mamori_vuln::{FeedSource, Loaded, VulnDb};

fn loaded() -> Option<Loaded> {
    let edge = shared("feeds/nvd/edge")?;
    let kev = shared("feeds/kev")?;
    let mut db = VulnDb::new();
    let mut feeds = Vec::new();
    for p in mamori_ingest::files::walk(&[edge, kev]).files {
        match read_feed(&p, &mut |i| db.add(i)) {
            Ok(f) => feeds.push(FeedSource {
                kind: f.kind,
                source: p.display().to_string(),
                stamp: f.stamp,
            }),
            Err(FeedError::NotAFeed { .. }) => {}
            Err(e) => panic!("{e}"),
        }
    }
    Some(Loaded { db, feeds })
}

fn asset(id: &str, kind: AssetKind, vendor: &str, product: &str, version: &str) -> Asset {
    Asset {
        id: id.into(),
        name: format!("{id}-name"),
        kind: Some(kind),
        vendor: vendor.into(),
        product: product.into(),
        version: version.into(),
        managed_by: "V02".into(),
        ..Asset::default()
    }
}

fn site() -> Site {
    Site {
        assets: vec![
            asset(
                "FW-01",
                AssetKind::Gateway,
                "Fortinet",
                "FortiGate 100F",
                "7.0.9",
            ),
            asset(
                "FW-02",
                AssetKind::Gateway,
                "Fortinet",
                "FortiGate 60F",
                "7.6.1",
            ),
            asset(
                "SRV-01",
                AssetKind::Server,
                "Microsoft",
                "Windows Server 2019",
                "10.0.17763.2028",
            ),
            asset("US-01", AssetKind::MedicalDevice, "GE", "LOGIQ E10", "R3"),
            asset("ASA-01", AssetKind::Vpn, "Cisco", "ASA 5516-X", "9.16(4)85"),
        ],
        vendors: vec![Vendor {
            id: "V03".into(),
            name: "給食サービス株式会社".into(),
            ..Vendor::default()
        }],
        connections: vec![Connection {
            id: "C1".into(),
            vendor: "V03".into(),
            asset: "FW-01".into(),
            ..Connection::default()
        }],
        ..Site::default()
    }
}

fn by<'a>(findings: &'a [Finding], rule: &str, key: &str) -> Option<&'a Finding> {
    findings
        .iter()
        .find(|f| f.rule_id == rule && f.subject.key == key)
}

#[test]
fn known_exploited_on_the_fortigate_is_critical_with_what_to_do() {
    let Some(loaded) = loaded() else { return };
    let site = site();
    let f = run_group(
        &CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded),
        "vuln",
    );
    let k =
        by(&f, "vuln.known-exploited", "FW-01 CVE-2024-21762").expect("CVE-2024-21762 on 7.0.9");
    assert_eq!(k.severity, Severity::Critical);
    assert_eq!(k.evidence.facts["kev_date_added"], "2024-02-09");
    assert_eq!(k.evidence.facts["version_compared"], true);
    assert_eq!(
        k.evidence.facts["cpe_criteria"],
        "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*"
    );
    assert_eq!(k.evidence.facts["version_range"], "7.0.0 以上・7.0.14 未満");
    assert_eq!(
        k.evidence.facts["connections_through"],
        "給食サービス株式会社"
    );
    assert!(
        k.remediation.ja.contains("修正版 7.0.14 以降"),
        "{}",
        k.remediation.ja
    );
    assert!(k.remediation.ja.contains("ログ"));
    assert!(k.remediation.ja.contains("パスワード"));
    assert!(k.remediation.en.contains("7.0.14 or later"));
    // CVE-2018-13379 (Handa) is in KEV; its NVD record is not loaded: matched by product,
    // and says the version was not compared.
    let handa = by(&f, "vuln.known-exploited", "FW-01 CVE-2018-13379").unwrap();
    assert_eq!(handa.evidence.facts["version_compared"], false);
    assert_eq!(handa.evidence.facts["ransomware_campaign_use"], true);
    assert_eq!(handa.severity, Severity::High);
    // The up-to-date FortiGate has no version-compared KEV match.
    assert!(
        f.iter()
            .filter(|x| x.subject.key.starts_with("FW-02 "))
            .all(|x| x.evidence.facts["version_compared"] == false),
    );
    // An internal Windows server: one finding listing its flaws, high, not critical.
    let w = by(&f, "vuln.known-exploited", "SRV-01").unwrap();
    assert_eq!(w.severity, Severity::High);
    let cves = w.evidence.entities().cves.as_deref().unwrap();
    assert!(
        cves.iter()
            .any(|c| c.cve == "CVE-2021-34527" && c.version_compared == Some(true))
    );
    // The ASA on the fixed 9.16(4)85: not affected by CVE-2025-20333.
    assert!(by(&f, "vuln.known-exploited", "ASA-01 CVE-2025-20333").is_none());
}

#[test]
fn unmapped_devices_and_stale_feeds_are_reported() {
    let Some(loaded) = loaded() else { return };
    let site = site();
    let f = run_group(
        &CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded),
        "vuln",
    );
    let u = by(&f, "vuln.unmapped-asset", "US-01").unwrap();
    assert_eq!(u.severity, Severity::Info);
    assert!(
        f.iter()
            .filter(|x| x.rule_id == "vuln.unmapped-asset")
            .count()
            == 1
    );
    // The KEV snapshot is from 2025-02-21.
    let stale = by(&f, "vuln.feed-stale", "feed:kev").unwrap();
    assert_eq!(stale.evidence.facts["data_date"], "2025-02-21");
    // On the KEV snapshot's own day nothing is stale for KEV.
    let fresh = run_group(
        &CheckContext::new(&site, date(2025, 2, 24)).with_vuln(&loaded),
        "vuln",
    );
    assert!(by(&fresh, "vuln.feed-stale", "feed:kev").is_none());
    // Without data the rules are silent.
    assert!(run_group(&CheckContext::new(&site, date(2026, 11, 21)), "vuln").is_empty());
}

#[test]
fn other_cves_are_grouped_per_device_from_the_threshold_up() {
    let (Some(mut loaded), Some(page)) = (loaded(), shared("feeds/nvd/cves-2023.json")) else {
        return;
    };
    read_feed(&page, &mut |i| loaded.db.add(i)).unwrap();
    let mut site = site();
    // Mirth Connect 4.4.0: CVE-2023-43208 entered KEV after this catalog snapshot, but NVD's
    // record carries the KEV fields: still known-exploited, not a plain CVE.
    site.assets.push(asset(
        "HL7-01",
        AssetKind::Server,
        "NextGen",
        "Mirth Connect",
        "4.4.0",
    ));
    // Atlassian Crowd by the ledger's cpe column: CVE-2022-43782 (9.8) below 4.4.4.
    let mut crowd = asset("SSO-01", AssetKind::Server, "", "", "4.4.3");
    crowd.cpe = "cpe:2.3:a:atlassian:crowd:*:*:*:*:*:*:*:*".into();
    site.assets.push(crowd.clone());
    crowd.id = "SSO-02".into();
    crowd.version = "4.4.4".into();
    site.assets.push(crowd);
    let f = run_group(
        &CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded),
        "vuln",
    );
    let hl7 = by(&f, "vuln.known-exploited", "HL7-01").unwrap();
    assert_eq!(
        hl7.evidence.entities().cves.as_ref().unwrap()[0].cve,
        "CVE-2023-43208"
    );
    assert!(by(&f, "vuln.cve", "HL7-01").is_none());
    let c = by(&f, "vuln.cve", "SSO-01").expect("Crowd 4.4.3");
    assert_eq!(c.severity, Severity::Critical);
    assert_eq!(c.evidence.facts["max_cvss"], 9.8_f32 as f64);
    assert_eq!(
        c.evidence.entities().cves.as_ref().unwrap()[0].cve,
        "CVE-2022-43782"
    );
    assert!(by(&f, "vuln.cve", "SSO-02").is_none(), "4.4.4 is the fix");
    // Raising the threshold above 9.8 silences it.
    site.config.thresholds.vuln_cve_min_cvss = 10;
    let f = run_group(
        &CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded),
        "vuln",
    );
    assert!(by(&f, "vuln.cve", "SSO-01").is_none());
}

#[test]
fn an_exposed_ssl_vpn_on_a_known_exploited_firmware_is_critical() {
    let Some(loaded) = loaded() else { return };
    let text = "#config-version=FG100F-7.0.9-FW-build0444-220527:opmode=0:vdom=0\nconfig system interface\n edit \"wan1\"\n  set role wan\n next\nend\nconfig vpn ssl settings\n set source-interface \"wan1\"\nend\n";
    let mut g = mamori_ingest::configs::read_config("FW-01.conf", text.as_bytes()).unwrap();
    g.asset = Some("FW-01".into());
    let mut site = site();
    site.gateways = vec![g];
    let vpn = |site: &Site, with: bool| {
        let ctx = CheckContext::new(site, date(2026, 11, 21));
        let ctx = if with { ctx.with_vuln(&loaded) } else { ctx };
        run_group(&ctx, "gateway")
            .into_iter()
            .find(|f| f.rule_id == "gateway.vpn-exposed")
            .unwrap()
    };
    assert_eq!(vpn(&site, false).severity, Severity::Info);
    let raised = vpn(&site, true);
    assert_eq!(raised.severity, Severity::Critical);
    assert!(
        raised.evidence.facts["known_exploited"]
            .as_str()
            .unwrap()
            .contains("CVE-2024-21762")
    );
}

/// PAN-OS: the release of a linked configuration (the shared Iron-Skillet XML made into a
/// hospital's firewall, `detail-version` 10.2.8, HTTPS management on its untrust interface)
/// is matched against the real KEV and NVD record of CVE-2024-0012 (management interface
/// authentication bypass, fixed in 10.2.12-h2): critical, because the interface is exposed.
#[test]
fn a_pan_os_release_from_the_configuration_is_matched() {
    let (Some(loaded), Some(dir)) = (loaded(), shared("configs/paloalto")) else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("iron-skillet_v10.1_iron_skillet_panos_full.xml"))
        .unwrap();
    let xml = mamori_testing::panos_hospital_variant(&text, "");
    let mut g = mamori_ingest::configs::read_config("PA-01.xml", xml.as_bytes()).unwrap();
    g.asset = Some("PA-01".into());
    let mut site = site();
    // The ledger says nothing of the release; the configuration does.
    site.assets.push(asset(
        "PA-01",
        AssetKind::Gateway,
        "Palo Alto Networks",
        "PA-3220",
        "",
    ));
    site.gateways = vec![g];
    let ctx = CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded);
    let f = run_group(&ctx, "vuln");
    let kev =
        by(&f, "vuln.known-exploited", "PA-01 CVE-2024-0012").expect("CVE-2024-0012 on 10.2.8");
    assert_eq!(kev.severity, Severity::Critical);
    // A release with the fix is not matched.
    let fixed = xml.replace("detail-version=\"10.2.8\"", "detail-version=\"10.2.13\"");
    let mut g = mamori_ingest::configs::read_config("PA-01.xml", fixed.as_bytes()).unwrap();
    g.asset = Some("PA-01".into());
    site.gateways = vec![g];
    let ctx = CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded);
    let f = run_group(&ctx, "vuln");
    assert!(by(&f, "vuln.known-exploited", "PA-01 CVE-2024-0012").is_none());
}

/// YAMAHA RTX: the firmware in a linked configuration's header (`# RTX1210 Rev.14.01.38`) is
/// matched against JVN, where YAMAHA publishes. The JVN entry is the shared JVNDB-2018-009328
/// document with its affected products replaced by an RTX1210 item (YAMAHA's CPE and JVN's
/// "以前" version text): the shape JVN gives YAMAHA's advisories.
#[test]
fn rtx_firmware_from_the_configuration_is_matched_against_jvn() {
    let Some(jvn) = shared("feeds/jvn/getVulnDetailInfo_hnd_JVNDB-2018-009328.xml") else {
        return;
    };
    let text = std::fs::read_to_string(jvn).unwrap();
    let (start, end) = (
        text.find("<Affected>").unwrap(),
        text.find("</Affected>").unwrap(),
    );
    let rtx = format!(
        "{}<Affected><AffectedItem><Name>ヤマハ</Name><ProductName>RTX1210</ProductName><Cpe version=\"2.2\">cpe:/o:yamaha:rtx1210_firmware</Cpe><VersionNumber>Rev.14.01.41 以前</VersionNumber></AffectedItem>{}",
        &text[..start],
        &text[end..]
    );
    let mut db = mamori_vuln::VulnDb::new();
    for record in mamori_vuln::jvn::read_xml(&rtx).unwrap() {
        db.add(mamori_vuln::feeds::Item::Jvn(record));
    }
    let loaded = Loaded {
        db,
        feeds: Vec::new(),
    };
    let mut site = site();
    // The ledger does not know the firmware (業者管理); the configuration does.
    site.assets
        .push(asset("RT-02", AssetKind::Vpn, "YAMAHA", "RTX1210", ""));
    let with_firmware = |rev: &str| {
        let config = format!(
            "# RTX1210 Rev.{rev} (Fri Mar 11 10:00:00 2022)\nconsole prompt RT-02\nip lan1 address 192.168.70.1/24\nip lan2 address dhcp\nlogin password x\n"
        );
        let mut g = mamori_ingest::configs::read_config("RT-02.txt", config.as_bytes()).unwrap();
        g.asset = Some("RT-02".into());
        g
    };
    site.gateways = vec![with_firmware("14.01.38")];
    let f = run_group(
        &CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded),
        "vuln",
    );
    let hit = f
        .iter()
        .find(|f| f.subject.key.starts_with("RT-02") && f.rule_id == "vuln.cve")
        .unwrap_or_else(|| {
            panic!(
                "{:#?}",
                f.iter()
                    .map(|f| (&f.rule_id, &f.subject.key))
                    .collect::<Vec<_>>()
            )
        });
    assert!(
        serde_json::to_string(&hit.evidence)
            .unwrap()
            .contains("JVNDB-2018-009328"),
        "{:?}",
        hit.evidence
    );
    // A firmware after the affected ones is not matched.
    site.gateways = vec![with_firmware("14.01.42")];
    let f = run_group(
        &CheckContext::new(&site, date(2026, 11, 21)).with_vuln(&loaded),
        "vuln",
    );
    assert!(
        !f.iter()
            .any(|f| f.subject.key.starts_with("RT-02") && f.rule_id == "vuln.cve")
    );
}
