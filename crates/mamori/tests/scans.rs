//! Network scans in the site folder: the real nmap scans servers on the loopback interface (an
//! SSH-like and an FTP-like one), its XML goes into the demo hospital's `scans/`, and `assess`
//! compares what answered with the 機器台帳 and flags the cleartext service.

use serde_json::Value;

mod support;

#[test]
fn a_device_the_ledger_lacks_is_found_in_a_real_nmap_scan() {
    let ssh = mamori_testing::banner_server(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    let ftp = mamori_testing::banner_server(b"220 (vsFTPd 3.0.3)\r\n");
    let Some(xml) = mamori_testing::nmap_loopback(&format!("{ssh},{ftp}")) else {
        return;
    };
    let env = support::Env::new();
    let site = env.demo_copy();
    let scans = site.join("scans");
    std::fs::create_dir_all(scans.join("2026-12")).unwrap();
    std::fs::write(scans.join("loopback.xml"), &xml).unwrap();
    // The same answer from the file server's address (10.0.10.20, in the ledger): nothing.
    std::fs::write(
        scans.join("2026-12/file-server.xml"),
        xml.replace("127.0.0.1", "10.0.10.20")
            .replace("localhost", "srv-file-01"),
    )
    .unwrap();
    std::fs::write(scans.join("notes.xml"), "<memo>scan on Friday</memo>").unwrap();

    let (json, out) = env.assess_json(&site, &["--no-store"]);
    let findings: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "asset.unregistered")
        .collect();
    let keys: Vec<&str> = findings
        .iter()
        .map(|f| f["subject"]["key"].as_str().unwrap())
        .collect();
    // The demo's own scan: the vendor's PC and the camera. Not the file server.
    assert_eq!(
        keys,
        ["10.0.20.99", "127.0.0.1", "10.0.20.150"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = findings[1];
    assert_eq!(f["subject"]["key"], "127.0.0.1");
    assert_eq!(f["severity"], "high", "SSH answers on it");
    let ports = f["evidence"]["facts"]["open_ports"].as_str().unwrap();
    assert!(
        ports.contains(&format!("{ssh}/tcp ssh OpenSSH 9.2p1")),
        "{ports}"
    );
    assert!(
        f["message"]["ja"]
            .as_str()
            .unwrap()
            .contains("機器台帳にありません")
    );
    assert_eq!(f["evidence"]["sources"][0]["file"], "scans/loopback.xml");

    // FTP answers too: passwords in the clear, on the unlisted host and on the file server
    // (tied to its asset).
    let cleartext: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "asset.cleartext-service")
        .map(|f| f["subject"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        cleartext,
        ["127.0.0.1", "MD-MR-01", "SRV-FILE-01"],
        "and the demo MRI's Telnet"
    );

    let inputs = json["inputs"].as_array().unwrap();
    let scan_inputs: Vec<&str> = inputs
        .iter()
        .filter(|i| i["table"] == "scans")
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        scan_inputs,
        [
            "scans/2026-11-28-radiology.xml",
            "scans/2026-12/file-server.xml",
            "scans/loopback.xml"
        ]
    );
    let skipped = json["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().any(|s| s["file"] == "scans/notes.xml"
            && s["reason"]["ja"].as_str().unwrap().contains("nmap")),
        "{skipped:?}"
    );
}
