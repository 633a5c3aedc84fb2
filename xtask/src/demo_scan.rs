//! The demo hospital's network scan: the administrator ran nmap over the radiology segment
//! (10.0.20.0/24) on 2026-11-28 and saved it in `scans/`. Besides the CT and MRI of the ledger
//! (the MRI still answering Telnet) it found a vendor's maintenance PC left on the network with
//! remote desktop and file sharing open, and a network camera nobody listed. The layout is nmap 7.93's `-oX`; every name and
//! address is invented.

use std::fmt::Write as _;
use std::path::Path;

/// One host of the scan: address, MAC and maker, reverse-DNS name, open ports.
struct Host {
    ip: &'static str,
    mac: &'static str,
    vendor: &'static str,
    name: &'static str,
    ports: &'static [(u16, &'static str, &'static str, &'static str)],
}

const HOSTS: &[Host] = &[
    Host {
        ip: "10.0.20.21",
        mac: "00:1B:21:4A:10:21",
        vendor: "Intel Corporate",
        name: "",
        ports: &[(104, "dicom", "", ""), (443, "https", "", "")],
    },
    Host {
        ip: "10.0.20.22",
        mac: "00:1B:21:4A:10:22",
        vendor: "Intel Corporate",
        name: "",
        ports: &[(23, "telnet", "Linux telnetd", ""), (104, "dicom", "", "")],
    },
    Host {
        ip: "10.0.20.99",
        mac: "F8:BC:12:5E:77:01",
        vendor: "Dell",
        name: "desktop-7q2k9m1.hosp.local",
        ports: &[
            (135, "msrpc", "Microsoft Windows RPC", ""),
            (445, "microsoft-ds", "", ""),
            (3389, "ms-wbt-server", "Microsoft Terminal Services", ""),
        ],
    },
    Host {
        ip: "10.0.20.150",
        mac: "44:19:B6:03:20:96",
        vendor: "Hangzhou Hikvision Digital Technology",
        name: "",
        ports: &[(80, "http", "", ""), (554, "rtsp", "", "")],
    },
];

fn scan_xml() -> String {
    // 2026-11-28 18:40 JST.
    let start = 1_795_858_800;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n\
         <!-- Nmap 7.93 scan initiated Sat Nov 28 18:40:00 2026 as: nmap -sV -oX 2026-11-28-radiology.xml 10.0.20.0/24 -->\n",
    );
    let _ = writeln!(
        xml,
        "<nmaprun scanner=\"nmap\" args=\"nmap -sV -oX 2026-11-28-radiology.xml 10.0.20.0/24\" start=\"{start}\" version=\"7.93\" xmloutputversion=\"1.05\">"
    );
    xml.push_str(
        "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"1000\" services=\"1-1000\"/>\n",
    );
    for h in HOSTS {
        let _ = writeln!(
            xml,
            "<host starttime=\"{start}\" endtime=\"{}\"><status state=\"up\" reason=\"arp-response\" reason_ttl=\"0\"/>",
            start + 41
        );
        let _ = writeln!(xml, "<address addr=\"{}\" addrtype=\"ipv4\"/>", h.ip);
        let _ = writeln!(
            xml,
            "<address addr=\"{}\" addrtype=\"mac\" vendor=\"{}\"/>",
            h.mac, h.vendor
        );
        xml.push_str("<hostnames>\n");
        if !h.name.is_empty() {
            let _ = writeln!(xml, "<hostname name=\"{}\" type=\"PTR\"/>", h.name);
        }
        xml.push_str("</hostnames>\n<ports>");
        for (port, service, product, version) in h.ports {
            let _ = write!(
                xml,
                "<port protocol=\"tcp\" portid=\"{port}\"><state state=\"open\" reason=\"syn-ack\" reason_ttl=\"128\"/><service name=\"{service}\""
            );
            if !product.is_empty() {
                let _ = write!(xml, " product=\"{product}\"");
            }
            if !version.is_empty() {
                let _ = write!(xml, " version=\"{version}\"");
            }
            xml.push_str(" method=\"probed\" conf=\"10\"/></port>\n");
        }
        xml.push_str("</ports>\n</host>\n");
    }
    let _ = writeln!(
        xml,
        "<runstats><finished time=\"{}\" elapsed=\"63.20\" exit=\"success\"/><hosts up=\"{}\" down=\"250\" total=\"256\"/>\n</runstats>\n</nmaprun>",
        start + 63,
        HOSTS.len()
    );
    xml
}

/// Writes `scans/2026-11-28-radiology.xml`.
pub fn write(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("scans"))?;
    std::fs::write(dir.join("scans/2026-11-28-radiology.xml"), scan_xml())?;
    Ok(())
}
