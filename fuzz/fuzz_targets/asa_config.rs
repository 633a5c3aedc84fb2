//! Any text as a Cisco ASA configuration: never a panic, and the word after `password`,
//! `passwd`, `pre-shared-key` or `community` is always masked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::configs::{MASK, asa};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = asa::parse(&text);
    let mut stack: Vec<&asa::Command> = config.commands.iter().collect();
    while let Some(c) = stack.pop() {
        for pair in c.words.windows(2) {
            let key = pair[0].to_ascii_lowercase();
            if matches!(key.as_str(), "password" | "passwd" | "pre-shared-key" | "community") {
                assert!(pair[1] == MASK || pair[1].starts_with("*****"), "{:?}", c.words);
            }
        }
        stack.extend(&c.children);
    }
});
