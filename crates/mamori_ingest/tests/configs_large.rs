//! 50 MB configurations with CRLF line ends: read whole, facts intact, no panic. (Speed is
//! measured by `bench/gateway.sh`, not here.)

use mamori_ingest::configs::read_config;
use mamori_model::gateway::MgmtService;

const TARGET: usize = 50 * 1024 * 1024;

#[test]
fn fifty_megabyte_fortios_backup_with_crlf() {
    let mut text = String::with_capacity(TARGET + 4096);
    text.push_str(
        "#config-version=FG100F-7.0.9-FW-build0444-221121:opmode=0:vdom=0:user=admin\r\n",
    );
    text.push_str("config system interface\r\n    edit \"wan1\"\r\n        set allowaccess ping https\r\n    next\r\nend\r\n");
    text.push_str("config firewall address\r\n");
    let mut entries = 0;
    while text.len() < TARGET {
        text.push_str(&format!(
            "    edit \"host-{entries}\"\r\n        set comment \"端末 {entries}\"\r\n        set subnet 10.{}.{}.{} 255.255.255.255\r\n    next\r\n",
            entries / 65536 % 256,
            entries / 256 % 256,
            entries % 256
        ));
        entries += 1;
    }
    text.push_str("end\r\nconfig system admin\r\n    edit \"admin\"\r\n        set password ENC c2VjcmV0\r\n    next\r\nend\r\n");
    let g = read_config("big.conf", text.as_bytes()).unwrap();
    assert!(
        g.problems.is_empty(),
        "{:?}",
        &g.problems[..g.problems.len().min(3)]
    );
    assert_eq!(g.firmware.unwrap().version, "7.0.9");
    assert_eq!(g.management[0].service, MgmtService::Https);
    assert_eq!(g.admins[0].name, "admin");
    assert!(
        g.admins[0]
            .lines
            .iter()
            .any(|l| l.text == "set password ********")
    );
}

#[test]
fn fifty_megabyte_asa_config_with_crlf() {
    let mut text = String::with_capacity(TARGET + 4096);
    text.push_str("ASA Version 9.16(4)85\r\nhostname big-asa\r\ninterface G0/0\r\n nameif outside\r\n security-level 0\r\n!\r\n");
    let mut lines = 0;
    while text.len() < TARGET {
        text.push_str(&format!(
            "access-list outside_in extended permit tcp any host 203.0.113.{} eq {}\r\n",
            lines % 250,
            1024 + lines % 60000
        ));
        lines += 1;
    }
    text.push_str("http server enable\r\nhttp 0.0.0.0 0.0.0.0 outside\r\nusername admin password s3cret privilege 15\r\n");
    let g = read_config("big.cfg", text.as_bytes()).unwrap();
    assert_eq!(g.hostname, "big-asa");
    assert!(g.is_wan("outside"));
    assert!(g.management[0].open_to_anyone());
    assert_eq!(
        g.admins[0].lines[0].text,
        "username admin password ******** privilege 15"
    );
}

/// A group of 20,000 SSL-VPN users: each user's evidence quotes the member line as an excerpt
/// naming that user, so evidence grows with the users, not with their square.
#[test]
fn twenty_thousand_vpn_users_give_evidence_linear_in_users() {
    let n = 20_000;
    let mut text = String::from(
        "#config-version=FG100F-7.0.9-FW-build0444-221121:opmode=0:vdom=0:user=admin\nconfig user local\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "    edit \"user{i}\"\n        set type password\n        set passwd ENC c2VjcmV0{i}\n    next\n"
        ));
    }
    text.push_str("end\nconfig user group\n    edit \"SSLVPN-USERS\"\n        set member");
    for i in 0..n {
        text.push_str(&format!(" \"user{i}\""));
    }
    text.push_str("\n    next\nend\nconfig system interface\n    edit \"wan1\"\n        set ip 203.0.113.1 255.255.255.0\n        set role wan\n    next\nend\nconfig vpn ssl settings\n    set status enable\n    set source-interface \"wan1\"\n    set port 443\n    config authentication-rule\n        edit 1\n            set groups \"SSLVPN-USERS\"\n        next\n    end\nend\n");
    let g = read_config("vpn.conf", text.as_bytes()).unwrap();
    assert_eq!(g.vpn_principals.len(), n);
    let quoted: usize = g
        .vpn_principals
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.len())
        .sum();
    assert!(quoted < n * 200, "{quoted} bytes of evidence");
    let user7 = g.vpn_principals.iter().find(|p| p.name == "user7").unwrap();
    assert!(
        user7
            .lines
            .iter()
            .any(|l| l.text == "set member … \"user7\" … (20000 values)"),
        "{:?}",
        user7.lines
    );
}
