//! Any text as a FortiOS backup: never a panic, a value after `ENC` never survives, and a
//! password planted after the fuzzed text — with stray quotes, bare CRs or odd whitespace from
//! the fuzzer before it — appears in no parse message, and in no setting that the parser took
//! for the planted one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::configs::fortios;

const PLANTED: &str = "Pl4ntedFgtS3cret";

fuzz_target!(|data: &[u8]| {
    // The fuzzer learns the constant: a file that holds it already proves nothing.
    if String::from_utf8_lossy(data).contains(PLANTED) {
        return;
    }
    let text = format!(
        "{}\nconfig system admin\n    edit \"planted\"\n        set password ENC {PLANTED}\n    next\nend\n",
        String::from_utf8_lossy(data)
    );
    let config = fortios::parse(&text);
    for p in &config.problems {
        assert!(!format!("{p:?}").contains(PLANTED), "in a message: {p:?}");
    }
    let mut stack = vec![&config.root];
    while let Some(node) = stack.pop() {
        for s in &node.settings {
            if s.secret {
                assert_eq!(s.values, [fortios::MASK]);
            }
            if s.name == "password" {
                assert!(!s.values.iter().any(|v| v.contains(PLANTED)), "{s:?}");
            }
        }
        stack.extend(&node.children);
    }
});
