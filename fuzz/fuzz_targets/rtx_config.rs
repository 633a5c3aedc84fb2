//! Any bytes after a real-looking RTX password line: never panic, and the planted password
//! never reaches the facts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::configs::rtx::{gateway, parse};

fuzz_target!(|data: &[u8]| {
    let tail = String::from_utf8_lossy(data);
    let text = format!("# RTX1210 Rev.14.01.38\nlogin password PLANTEDSECRET9\n{tail}\nlogin user u PLANTEDSECRET9\n");
    let g = gateway("fuzz.txt", &parse(&text));
    assert!(!format!("{g:?}").contains("PLANTEDSECRET9"));
});
