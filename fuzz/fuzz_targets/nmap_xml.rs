//! Any bytes as an nmap XML scan, bare and after a real `<nmaprun>` opening: never panic, and
//! every host kept has the file name it was read from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::nmap::parse_nmap_xml;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_nmap_xml(&text, "scans/fuzz.xml");
    let wrapped = format!("<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\" start=\"1796428800\">\n<host><status state=\"up\"/>{text}");
    if let Ok(scan) = parse_nmap_xml(&wrapped, "scans/fuzz.xml") {
        assert!(scan.hosts.iter().all(|h| h.file == "scans/fuzz.xml"));
    }
});
