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
                        // YAMAHA RTX: login/administrator/user passwords, the SSH host key.
                        "EpSmI122iNTKpbJiImwOE",
                        "r2XIIVtEDRFuz1iWEKrEJps7",
                        "kcrt4CrcOLr",
                        "4tjtQGEoAHNIV0OhOvm",
                        "mypassword123",
                        "$1$abcdefgh",
                        // PAN-OS: the administrator's password hash.
                        "0fOJFJwvnj3PlYeK1dZgZ1",
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
        read_count, 14,
        "5 FortiOS + 5 ASA + 2 YAMAHA RTX + 2 PAN-OS configurations; skipped: {skipped:?}"
    );
    for (_vendor, name, reason) in &skipped {
        let expected = match () {
            _ if name.ends_with(".psd1") => "not a FortiGate, Cisco ASA",
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

/// YAMAHA RTX: the shared RTX1100 configuration (GUI open to anyone, the WAN from DHCP), and
/// variants of it: the GUI limited to the LAN, telnet opened to anyone, no login password.
#[test]
fn yamaha_rtx_configurations() {
    let Some(dir) = shared("configs/yamaha") else {
        return;
    };
    let g = read(&dir, "matac42_rtx1100_config.txt").unwrap();
    assert_eq!(g.hostname, "SW1");
    let wan: Vec<&str> = g
        .interfaces
        .iter()
        .filter(|i| i.is_wan())
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(wan, ["lan2"]);
    assert!(
        g.interfaces[wan.len()..]
            .iter()
            .all(|i| i.name != "lan2" || i.wan.contains(&WanReason::ProviderAddress))
    );
    assert_eq!(
        services_on(&g, "lan2"),
        [MgmtService::Http, MgmtService::Ssh]
    );
    assert!(
        g.management.iter().all(|m| m.allowed.is_none()),
        "httpd host any, sshd host unset"
    );
    assert!(g.admins.iter().any(|a| a.name == "login" && a.has_password));
    assert!(g.admins.iter().any(|a| a.name == "matac"));
    assert_eq!(g.problems.len(), 1, "tftp host any");

    let text = std::fs::read_to_string(dir.join("matac42_rtx1100_config.txt")).unwrap();
    let variant = |from: &str, to: &str| {
        let changed = text.replace(from, to);
        assert_ne!(changed, text, "{from}");
        read_config("variant.txt", changed.as_bytes()).unwrap()
    };
    // The GUI for the LAN only: nothing reachable from the WAN but SSH (no sshd host).
    let lan_only = variant("httpd host any", "httpd host lan1");
    assert_eq!(services_on(&lan_only, "lan2"), [MgmtService::Ssh]);
    // Telnet opened to anyone.
    let telnet = variant("httpd host any", "httpd host lan1\ntelnetd host any");
    assert!(services_on(&telnet, "lan2").contains(&MgmtService::Telnet));
    // GUI limited to a vendor's address: restricted, not open.
    let vendor = variant("httpd host any", "httpd host 198.51.100.7");
    let http = vendor
        .management
        .iter()
        .find(|m| m.service == MgmtService::Http)
        .unwrap();
    assert_eq!(
        http.allowed.as_ref().unwrap()[0].to_string(),
        "198.51.100.7/32"
    );
    // A WAN inbound filter list: the first filter matching a new TCP connection decides.
    let closed = variant(
        "httpd host any",
        "httpd host any\nip lan2 secure filter in 100 101\nip filter 100 reject * * tcp * www,22\nip filter 101 pass * * * * *",
    );
    assert!(
        services_on(&closed, "lan2").is_empty(),
        "{:?}",
        closed.management
    );
    let vendor_only = variant(
        "httpd host any",
        "httpd host any\nip lan2 secure filter in 100 101\nip filter 100 pass 198.51.100.0/24 * tcp * 22\nip filter 101 reject * * * * *",
    );
    assert_eq!(services_on(&vendor_only, "lan2"), [MgmtService::Ssh]);
    let ssh = &vendor_only.management[0];
    assert_eq!(
        ssh.allowed.as_ref().unwrap()[0].to_string(),
        "198.51.100.0/24"
    );
    let all_pass = variant(
        "httpd host any",
        "httpd host any\nip lan2 secure filter in 101 dynamic 200\nip filter 101 pass * * * * *",
    );
    assert_eq!(
        services_on(&all_pass, "lan2"),
        [MgmtService::Http, MgmtService::Ssh]
    );
    // The usual NetBIOS rejects name a source port: they do not stop a client, and the list
    // ends in pass-all: the GUI is open.
    let netbios = variant(
        "httpd host any",
        "httpd host any\nip lan2 secure filter in 200020 200099\nip filter 200020 reject * * udp,tcp 135 *\nip filter 200099 pass * * * * *",
    );
    assert_eq!(
        services_on(&netbios, "lan2"),
        [MgmtService::Http, MgmtService::Ssh]
    );
    // `restrict` passes on an always-on line: the GUI stays open.
    let restrict = variant(
        "httpd host any",
        "httpd host any\nip lan2 secure filter in 100\nip filter 100 restrict * * tcp * www",
    );
    assert_eq!(services_on(&restrict, "lan2"), [MgmtService::Http]);
    // The same list given as a named set (newer firmware).
    let named = variant(
        "httpd host any",
        "httpd host any\nip lan2 secure filter name WAN-IN\nip filter set WAN-IN in 100 101\nip filter 100 reject * * tcp * www,22\nip filter 101 pass * * * * *",
    );
    assert!(
        services_on(&named, "lan2").is_empty(),
        "{:?}",
        named.management
    );
    // No login password: the login is open.
    let open = variant(
        "login password encrypted EpSmI122iNTKpbJiImwOE/31ezz/fLMa",
        "",
    );
    assert!(
        open.admins
            .iter()
            .any(|a| a.name == "login" && !a.has_password)
    );
}

/// Palo Alto PAN-OS: the shared Iron-Skillet templates (XML 10.1 and `set` commands 8.0) and
/// variants of the XML with data interfaces, zones, a default route, a management profile,
/// GlobalProtect and the exact release.
#[test]
fn palo_alto_configurations() {
    let Some(dir) = shared("configs/paloalto") else {
        return;
    };
    let xml = read(&dir, "iron-skillet_v10.1_iron_skillet_panos_full.xml").unwrap();
    assert_eq!(xml.hostname, "panos-01");
    let fw = xml.firmware.as_ref().unwrap();
    assert_eq!((fw.version.as_str(), fw.partial), ("10.1", true));
    assert_eq!(
        xml.admins
            .iter()
            .map(|a| (a.name.as_str(), a.has_password, &a.mfa, &a.trust))
            .collect::<Vec<_>>(),
        [("adminuser", true, &Mfa::None, &Trust::DeviceWide)]
    );
    // The management port: HTTPS and SSH (on by default), no permitted-ip.
    assert_eq!(
        services_on(&xml, "management"),
        [MgmtService::Https, MgmtService::Ssh]
    );
    assert!(xml.management.iter().all(|m| m.allowed.is_none()));
    // A syslog profile that the log forwarding sends to: logs leave the device.
    assert!(
        xml.log_destinations
            .iter()
            .any(|l| l.text.contains("192.0.2.2")),
        "{:?}",
        xml.log_destinations
    );
    assert!(xml.vpn.is_empty() && xml.weak_tls.is_empty());

    // The `set` form: `delete mgt-config users admin` removes the account it set.
    let set = read(&dir, "iron-skillet_v8.0_iron_skillet_panos_full.conf").unwrap();
    assert_eq!(set.hostname, "sample");
    assert!(set.admins.is_empty(), "{:?}", set.admins);
    assert!(!set.log_destinations.is_empty());
    assert_eq!(
        services_on(&set, "management"),
        [MgmtService::Https, MgmtService::Ssh]
    );

    let text = std::fs::read_to_string(dir.join("iron-skillet_v10.1_iron_skillet_panos_full.xml"))
        .unwrap();
    let hospital = hospital_variant(&text, "");
    let wan: Vec<(&str, &[WanReason])> = hospital
        .interfaces
        .iter()
        .filter(|i| i.is_wan())
        .map(|i| (i.name.as_str(), i.wan.as_slice()))
        .collect();
    assert_eq!(
        wan,
        [(
            "ethernet1/1",
            &[WanReason::Name, WanReason::DefaultRoute][..]
        )],
        "the management port's documentation address no longer decides"
    );
    assert_eq!(
        services_on(&hospital, "ethernet1/1"),
        [MgmtService::Https, MgmtService::Ssh]
    );
    assert!(services_on(&hospital, "ethernet1/2").is_empty());
    let fw = hospital.firmware.as_ref().unwrap();
    assert_eq!((fw.version.as_str(), fw.partial), ("10.2.8", false));
    assert_eq!(hospital.vpn.len(), 2);
    assert!(hospital.vpn.iter().all(|v| v.interfaces == ["ethernet1/1"]));
    let principals: Vec<(&str, &Mfa)> = hospital
        .vpn_principals
        .iter()
        .map(|p| (p.name.as_str(), &p.mfa))
        .collect();
    assert_eq!(
        principals,
        [
            ("GP-Local", &Mfa::None),
            ("GP-RADIUS", &Mfa::Unknown("RADIUS radius-hq".into()))
        ]
    );
    assert_eq!(hospital.weak_tls.len(), 1);
    // The profile limited to the vendor's address.
    let limited = hospital_variant(
        &text,
        "<permitted-ip><entry name=\"198.51.100.7/32\"/></permitted-ip>",
    );
    let https = limited
        .management
        .iter()
        .find(|m| m.interface == "ethernet1/1")
        .unwrap();
    assert_eq!(
        https.allowed.as_ref().unwrap()[0].to_string(),
        "198.51.100.7/32"
    );
    let dump = format!("{hospital:?}");
    assert!(!dump.contains("0fOJFJwvnj3PlYeK1dZgZ1") && !dump.contains("gp-psk-secret"));
}

fn hospital_variant(text: &str, permitted: &str) -> Gateway {
    let xml = mamori_testing::panos_hospital_variant(text, permitted);
    read_config("hospital-pa.xml", xml.as_bytes()).unwrap()
}
