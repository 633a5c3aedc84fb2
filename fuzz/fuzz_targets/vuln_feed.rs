//! Any bytes through every feed reader, the CPE parsers and the version code: never a panic,
//! and what parses as a CPE formats back to a name that parses to the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_vuln::cpe::Cpe;
use mamori_vuln::version::{Scheme, compare};
use mamori_vuln::{epss, jvn, kev, nvd};

fuzz_target!(|data: &[u8]| {
    let mut db = mamori_vuln::VulnDb::new();
    let _ = nvd::read_nvd(data, &mut |r| db.add_cve(r));
    let _ = kev::read_json(data);
    let _ = kev::read_csv(data);
    let _ = epss::read_epss(data);
    let text = String::from_utf8_lossy(data);
    let _ = jvn::read_xml(&text);
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = jvn::read_json(&v);
    }
    for line in text.lines().take(8) {
        if let Ok(c) = Cpe::parse(line) {
            assert_eq!(Cpe::parse(&c.to_string()).as_ref(), Ok(&c), "{line}");
        }
        let _ = Cpe::parse_uri(line);
        let _ = compare(line, "7.0.12");
        for s in [
            Scheme::Fortios,
            Scheme::CiscoAsa,
            Scheme::PanOs,
            Scheme::Ivanti,
            Scheme::Citrix,
        ] {
            let _ = s.normalise(line);
        }
        if let Ok(m) = mamori_vuln::products::map_asset("Fortinet", line, line, "", db.jvn()) {
            let _ = db.match_asset(&m, &[]);
        }
    }
});
