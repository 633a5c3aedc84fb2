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
