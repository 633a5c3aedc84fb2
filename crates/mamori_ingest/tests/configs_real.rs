//! Gateway facts read from the real configurations in `../shared/data/configs` (SOURCES.md
//! there): every file is either read or skipped with a reason, no secret survives, and the facts
//! match what the files say.

use std::path::Path;

use mamori_ingest::configs::read_config;
use mamori_model::gateway::{Gateway, Mfa, MgmtService, Trust, WanReason};
use mamori_testing::shared;

fn read(dir: &Path, name: &str) -> Result<Gateway, String> {
    let bytes = std::fs::read(dir.join(name)).unwrap();
    read_config(name, &bytes).map_err(|e| e.en)
}

fn services_on(g: &Gateway, interface: &str) -> Vec<MgmtService> {
    g.management
        .iter()
        .filter(|m| m.interface.eq_ignore_ascii_case(interface))
        .map(|m| m.service)
        .collect()
}

#[test]
fn every_file_is_read_or_skipped_with_a_reason() {
    let Some(dir) = shared("configs") else {
        return;
    };
    let mut read_count = 0;
    let mut skipped = Vec::new();
    for vendor in ["fortigate", "cisco_asa", "yamaha", "paloalto"] {
        for entry in std::fs::read_dir(dir.join(vendor)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            match read(path.parent().unwrap(), &name) {
                Ok(g) => {
                    read_count += 1;
                    // Nothing that the file marks as a secret reaches the facts.
                    let dump = format!("{g:?}");
                    for secret in [
                        "SuperSecret123",
                        "cleartextradiuskey123",
                        "cleartextpsk456",
                        "publicstring",
                        "8Ry2YjIyt7RRXU24",
                        "$sha512$",
                    ] {
                        assert!(!dump.contains(secret), "{name}: {secret} leaked");
                    }
                    assert!(!dump.contains("ENC "), "{name}: an ENC value leaked");
                }
                Err(reason) => skipped.push((vendor, name, reason)),
            }
        }
    }
    assert_eq!(
        read_count, 10,
        "5 FortiOS + 5 ASA configurations; skipped: {skipped:?}"
    );
    for (vendor, name, reason) in &skipped {
        let expected = match *vendor {
            "yamaha" => "not yet supported: YAMAHA",
            "paloalto" => "not yet supported: Palo Alto",
            _ if name.ends_with(".psd1") => "not a FortiGate or Cisco ASA",
            _ if name.contains("empty") => "empty file",
            _ => panic!("{name} was skipped: {reason}"),
        };
        assert!(reason.starts_with(expected), "{name}: {reason}");
    }
}

#[test]
fn fortios_backups() {
    let Some(dir) = shared("configs/fortigate") else {
        return;
    };
    // Real FortiGate-VM64 5.2 backup: no role, no default route, so port1 is not provably WAN;
    // the built-in admin has no password line (an empty password) and no trusted host; SSL-VPN
    // settings without source-interface listen nowhere.
    for name in ["acidjunk_example.conf", "acidjunk_global.conf"] {
        let g = read(&dir, name).unwrap();
        let fw = g.firmware.as_ref().unwrap();
        assert_eq!((fw.version.as_str(), fw.partial), ("5.2", true), "{name}");
        assert_eq!(fw.build.as_deref(), Some("0736"));
        assert!(g.interfaces.iter().all(|i| !i.is_wan()), "{name}");
        assert_eq!(
            services_on(&g, "port1"),
            [
                MgmtService::Https,
                MgmtService::Ssh,
                MgmtService::Http,
                MgmtService::Telnet
            ]
        );
        let admin = g.admins.iter().find(|a| a.name == "admin").unwrap();
        assert!(!admin.has_password && admin.trust == Trust::Anywhere && admin.mfa == Mfa::None);
        assert!(g.vpn.is_empty() && g.vpn_principals.is_empty(), "{name}");
    }
    // Fictional CIS fixture: port1 is `role wan` with HTTPS and SSH; both admins restricted.
    let g = read(&dir, "pliffisson_sample.conf").unwrap();
    assert_eq!(g.hostname, "FG-CIS-TEST");
    assert_eq!(g.firmware.as_ref().unwrap().version, "7.4.8");
    assert_eq!(g.interface("port1").unwrap().wan, [WanReason::Role]);
    assert!(!g.is_wan("port2") && !g.is_wan("port3"));
    assert_eq!(
        services_on(&g, "port1"),
        [MgmtService::Https, MgmtService::Ssh]
    );
    assert_eq!(g.admins.len(), 2);
    assert!(g.admins.iter().all(
        |a| matches!(&a.trust, Trust::Restricted(l) if l[0].text == "set trusthost1 10.0.0.0/24")
    ));
    assert!(g.vpn.is_empty());
    // Partial lab config without a header: no firmware, no management, still read.
    let g = read(&dir, "abdelrahman_hq-fortigate.conf").unwrap();
    assert!(g.firmware.is_none() && g.management.is_empty() && g.admins.is_empty());
}

#[test]
fn asa_configurations() {
    let Some(dir) = shared("configs/cisco_asa") else {
        return;
    };
    let g = read(&dir, "cutaway_asa-9x-insecure.txt").unwrap();
    assert_eq!(g.firmware.as_ref().unwrap().version, "9.8(4)");
    assert_eq!(
        (g.serial.as_str(), g.model.as_str()),
        ("FCW1234ABCD", "ASA5515")
    );
    assert_eq!(
        g.interface("outside").unwrap().wan,
        [WanReason::SecurityLevelZero, WanReason::Name]
    );
    let exposed: Vec<_> = g
        .management
        .iter()
        .filter(|m| g.is_wan(&m.interface) && m.open_to_anyone())
        .map(|m| (m.service, m.lines.last().unwrap().text.as_str()))
        .collect();
    assert_eq!(
        exposed,
        [
            (MgmtService::Https, "http 0.0.0.0 0.0.0.0 outside"),
            (MgmtService::Ssh, "ssh 0.0.0.0 0.0.0.0 outside"),
        ]
    );
    assert_eq!(services_on(&g, "inside"), [MgmtService::Telnet]);
    assert_eq!(g.vpn[0].interfaces, ["outside"]);
    assert_eq!(g.vpn_principals[0].name, "ra-vpn");
    assert_eq!(g.vpn_principals[0].mfa, Mfa::None);
    assert_eq!(g.weak_tls[0].text, "ssl server-version tlsv1");
    assert!(
        g.log_destinations.is_empty(),
        "no logging host, no logging enable"
    );
    assert_eq!(g.admins.len(), 4);

    // Real ASA 9.0(3): management only on INSIDE, no WebVPN, logging to a host.
    let g = read(&dir, "ciscoconfparse_sample_01.asa").unwrap();
    assert!(g.is_wan("OUTSIDE"));
    assert!(services_on(&g, "OUTSIDE").is_empty());
    assert_eq!(
        services_on(&g, "INSIDE"),
        [MgmtService::Https, MgmtService::Ssh]
    );
    assert!(g.vpn.is_empty());
    assert_eq!(g.log_destinations[0].text, "logging host INSIDE Machine01");

    // Cisco's day-0 template: any source, but only on the management-only interface.
    let g = read(&dir, "ciscodevnet_asac_day0-config-primary.txt").unwrap();
    assert!(g.firmware.is_none());
    assert!(g.is_wan("outside") && !g.is_wan("management"));
    assert!(
        g.management
            .iter()
            .all(|m| m.interface == "management" && m.open_to_anyone())
    );

    // `http server enable` without any `http NET MASK IF` line: nobody may connect.
    let g = read(&dir, "cutaway_asa-9x-coverage.txt").unwrap();
    assert!(g.management.is_empty());
}
