//! Any bytes as a configuration file: detection, decoding, parsing and the facts never panic,
//! and every check runs on whatever facts come out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_checks::{CheckContext, run_group};
use mamori_model::site::Site;

fuzz_target!(|data: &[u8]| {
    if let Ok(g) = mamori_ingest::configs::read_config("fuzz.conf", data) {
        let site = Site {
            gateways: vec![g],
            ..Site::default()
        };
        let _ = run_group(
            &CheckContext::new(&site, jiff::civil::date(2026, 11, 21)),
            "gateway",
        );
    }
});
