//! Any text as a FortiOS backup: never a panic, and a value after `ENC` never survives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::configs::fortios;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = fortios::parse(&text);
    let mut stack = vec![&config.root];
    while let Some(node) = stack.pop() {
        for s in &node.settings {
            if s.secret {
                assert_eq!(s.values, [fortios::MASK]);
            }
        }
        stack.extend(&node.children);
    }
});
