//! The gateway checks on the real configurations in `../shared/data/configs`, and against the
//! validation oracle that ships with the cisco-asa-review fixtures
//! (`cutaway_expected-findings.psd1`): where its checks mean the same as ours, our finding must
//! quote the line it names.

// One helper for finding the shared data, kept with the ingest tests.

use std::path::Path;

use jiff::civil::date;
use mamori_checks::{CheckContext, run_all};
use mamori_ingest::configs::read_config;
use mamori_model::site::Site;
use mamori_model::{Finding, Severity};
use mamori_testing::shared;

fn gateway_findings(path: &Path) -> Vec<Finding> {
    let name = path.file_name().unwrap().to_string_lossy();
    findings_of(&name, &std::fs::read(path).unwrap())
}

/// The gateway findings on one configuration's bytes.
fn findings_of(name: &str, bytes: &[u8]) -> Vec<Finding> {
    let g = read_config(name, bytes).unwrap();
    let site = Site {
        gateways: vec![g],
        ..Site::default()
    };
    run_all(&CheckContext::new(&site, date(2026, 11, 21)))
        .into_iter()
        .filter(|f| f.rule_id.starts_with("gateway."))
        .collect()
}

fn quotes(findings: &[Finding], rule: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.rule_id == rule)
        .flat_map(|f| f.evidence.sources.iter().filter_map(|s| s.excerpt.clone()))
        .collect()
}

/// `Id = 'MGMT-TELNET'; EvidenceKind = 'presence'; EvidenceMatch = '…'` entries of the
/// insecure fixture's MustFire list.
fn oracle(text: &str) -> Vec<(String, String, String)> {
    let field = |line: &str, key: &str| {
        let start = line.find(&format!("{key} = '"))? + key.len() + 4;
        let end = line[start..].find('\'')? + start;
        Some(line[start..end].to_owned())
    };
    text.lines()
        .filter_map(|l| {
            Some((
                field(l, "Id")?,
                field(l, "EvidenceKind")?,
                field(l, "EvidenceMatch")?,
            ))
        })
        .collect()
}

#[test]
fn asa_insecure_fixture_meets_the_oracle() {
    let Some(dir) = shared("configs/cisco_asa") else {
        return;
    };
    let findings = gateway_findings(&dir.join("cutaway_asa-9x-insecure.txt"));
    let oracle_text = std::fs::read_to_string(dir.join("cutaway_expected-findings.psd1")).unwrap();
    let entries = oracle(&oracle_text);
    let mapping = [
        ("MGMT-TELNET", "gateway.telnet-enabled"),
        ("MGMT-ANY-SOURCE", "gateway.admin-exposed"),
        ("CRYPTO-SSL-TLS", "gateway.weak-tls"),
        ("LOG-HOST", "gateway.no-remote-logging"),
    ];
    for (theirs, ours) in mapping {
        let (_, kind, evidence) = entries
            .iter()
            .find(|(id, ..)| id == theirs)
            .unwrap_or_else(|| panic!("{theirs} not in the oracle"));
        assert!(
            findings.iter().any(|f| f.rule_id == ours),
            "{ours} did not fire ({theirs})"
        );
        let quoted = quotes(&findings, ours);
        if kind == "presence" {
            assert!(
                quoted.iter().any(|q| q.contains(evidence.as_str())),
                "{ours} does not quote `{evidence}`: {quoted:?}"
            );
        }
    }
    // Beyond the oracle: ASDM from anywhere is critical, the AnyConnect portal is on the
    // internet with local-database logins, and the cleartext `backdoor` password never shows.
    let exposed = findings
        .iter()
        .find(|f| f.rule_id == "gateway.admin-exposed")
        .unwrap();
    assert_eq!(exposed.severity, Severity::Critical);
    assert!(findings.iter().any(|f| f.rule_id == "gateway.vpn-exposed"));
    assert!(findings.iter().any(
        |f| f.rule_id == "gateway.vpn-user-no-mfa" && f.evidence.facts["principal"] == "ra-vpn"
    ));
    let all = serde_json::to_string(&findings).unwrap();
    assert!(!all.contains("SuperSecret123"));
}

#[test]
fn real_configs_fire_what_they_should_and_nothing_else() {
    let Some(dir) = shared("configs") else {
        return;
    };
    let rules = |rel: &str| {
        let mut ids: Vec<String> = gateway_findings(&dir.join(rel))
            .into_iter()
            .map(|f| f.rule_id)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    // Real ASA 9.0(3): management only inside, logging to a host, no WebVPN; its one local
    // administrator logs in with a password alone.
    assert_eq!(
        rules("cisco_asa/ciscoconfparse_sample_01.asa"),
        ["gateway.admin-no-mfa"]
    );
    // The real FortiGate-VM backup: the built-in admin with an empty password and no trusted
    // host; port1 is not provably WAN, so nothing is "exposed" — but Telnet is on.
    let fg = rules("fortigate/acidjunk_global.conf");
    for id in [
        "gateway.default-admin",
        "gateway.admin-no-trusthost",
        "gateway.admin-no-mfa",
        "gateway.telnet-enabled",
    ] {
        assert!(fg.iter().any(|r| r == id), "{id} missing from {fg:?}");
    }
    assert!(
        !fg.iter()
            .any(|r| r == "gateway.admin-exposed" || r.starts_with("gateway.vpn"))
    );
    // The CIS fixture: HTTPS and SSH on its `role wan` port, admins restricted to 10.0.0.0/24.
    let cis = rules("fortigate/pliffisson_sample.conf");
    assert!(cis.iter().any(|r| r == "gateway.admin-exposed"), "{cis:?}");
    assert!(!cis.iter().any(|r| r == "gateway.admin-no-trusthost"));
}

/// PAN-OS: the shared Iron-Skillet templates and the hospital variant built on the XML.
#[test]
fn palo_alto_configurations_fire_what_they_should() {
    let Some(dir) = shared("configs/paloalto") else {
        return;
    };
    let rules = |findings: &[Finding]| {
        let mut ids: Vec<String> = findings.iter().map(|f| f.rule_id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let xml_path = dir.join("iron-skillet_v10.1_iron_skillet_panos_full.xml");
    // The template's management port has a documentation address (taken as public, as in
    // sanitised configurations) and no permitted-ip; its one administrator has a password alone.
    // Logs go to a syslog profile: no gateway.no-remote-logging.
    assert_eq!(
        rules(&gateway_findings(&xml_path)),
        ["gateway.admin-exposed", "gateway.admin-no-mfa"]
    );
    // The `set` template deletes its admin account.
    assert_eq!(
        rules(&gateway_findings(
            &dir.join("iron-skillet_v8.0_iron_skillet_panos_full.conf")
        )),
        ["gateway.admin-exposed"]
    );

    let text = std::fs::read_to_string(&xml_path).unwrap();
    let audit = |permitted: &str| {
        let xml = mamori_testing::panos_hospital_variant(&text, permitted);
        findings_of("hospital-pa.xml", xml.as_bytes())
    };
    let open = audit("");
    for id in [
        "gateway.admin-exposed",
        "gateway.vpn-exposed",
        "gateway.vpn-user-no-mfa",
        "gateway.weak-tls",
    ] {
        assert!(
            open.iter().any(|f| f.rule_id == id),
            "{id}: {:?}",
            rules(&open)
        );
    }
    let exposed = open
        .iter()
        .find(|f| f.rule_id == "gateway.admin-exposed")
        .unwrap();
    assert_eq!(exposed.severity, Severity::Critical);
    assert!(
        exposed.message.en.contains("ethernet1/1"),
        "{}",
        exposed.message.en
    );
    let no_mfa: Vec<&str> = open
        .iter()
        .filter(|f| f.rule_id == "gateway.vpn-user-no-mfa")
        .map(|f| f.message.ja.as_str())
        .collect();
    assert!(
        no_mfa
            .iter()
            .any(|m| m.contains("認証プロファイル GP-Local")),
        "{no_mfa:?}"
    );
    // HTTPS/SSH on the untrust interface limited to the vendor's address: not exposed.
    let limited = audit("<permitted-ip><entry name=\"198.51.100.7/32\"/></permitted-ip>");
    assert!(
        !limited
            .iter()
            .any(|f| f.rule_id == "gateway.admin-exposed" && f.message.en.contains("ethernet1/1")),
        "{:?}",
        rules(&limited)
    );
    let json = serde_json::to_string(&open).unwrap();
    assert!(!json.contains("0fOJFJwvnj3PlYeK1dZgZ1") && !json.contains("gp-psk-secret"));
}
