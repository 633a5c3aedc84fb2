//! Any bytes inside a PAN-OS configuration, XML or `set` form (the first byte chooses): never
//! panic, and the planted password hash never reaches the facts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::configs::read_config;

fuzz_target!(|data: &[u8]| {
    let (form, tail) = data.split_first().unwrap_or((&0, &[]));
    let tail = String::from_utf8_lossy(tail);
    let text = if form % 2 == 0 {
        format!(
            "<config version=\"10.1.0\">\n<mgt-config><users><entry name=\"admin\">\n<phash>PLANTEDSECRET9</phash>\n{tail}\n</entry></users></mgt-config></config>\n"
        )
    } else {
        format!("set deviceconfig system hostname fw\nset mgt-config users admin phash PLANTEDSECRET9\n{tail}\n")
    };
    if let Ok(g) = read_config("fuzz.xml", text.as_bytes()) {
        assert!(!format!("{g:?}").contains("PLANTEDSECRET9"));
    }
});
