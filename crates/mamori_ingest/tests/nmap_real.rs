//! nmap's own XML, made by running the real nmap against servers on the loopback interface:
//! an SSH-like server recognised by service detection, a port nothing listens on.

use mamori_ingest::nmap::parse_nmap_xml;

#[test]
fn a_real_nmap_scan_is_read_whole() {
    let ssh = mamori_testing::banner_server(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    // A port just freed: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let Some(xml) = mamori_testing::nmap_loopback(&format!("{ssh},{closed}")) else {
        return;
    };
    let scan = parse_nmap_xml(&xml, "scans/loopback.xml").unwrap();
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    assert_eq!(scan.hosts.len(), 1);
    let host = &scan.hosts[0];
    assert_eq!(host.ips, ["127.0.0.1"]);
    assert_eq!(host.file, "scans/loopback.xml");
    assert!(host.scanned_at.is_some(), "nmaprun start");
    assert_eq!(host.ports.len(), 1, "only the open port: {:?}", host.ports);
    let port = &host.ports[0];
    assert_eq!((port.protocol.as_str(), port.port), ("tcp", ssh));
    assert_eq!(
        (port.service.as_str(), port.product.as_str()),
        ("ssh", "OpenSSH")
    );
    assert!(port.version.starts_with("9.2p1"), "{}", port.version);
    assert!(host.line > 1, "the host's line in the file");

    // The same scan cut off in the middle of the host: nothing half-read, the cut said.
    let cut = &xml[..xml.find("<ports>").unwrap()];
    let scan = parse_nmap_xml(cut, "scans/cut.xml").unwrap();
    assert!(scan.hosts.is_empty());
    assert_eq!(scan.problems.len(), 1);
}
