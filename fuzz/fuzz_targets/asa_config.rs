//! Any text as a Cisco ASA configuration: never a panic, the word after `password`, `passwd`,
//! `pre-shared-key` or `community` is always masked, and a password planted on a `username`
//! line after the fuzzed text — whatever bytes the fuzzer puts around and inside the keyword
//! (bare CRs, odd whitespace, misspellings) — survives in no word of the tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::configs::{MASK, asa};

const PLANTED: &str = "Pl4ntedAsaS3cret";

fuzz_target!(|data: &[u8]| {
    // The fuzzer's bytes before the first NUL are the file; after it, the keyword as written.
    let (file, keyword) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"password"[..]),
    };
    let keyword = String::from_utf8_lossy(keyword).replace('\n', "");
    // The fuzzer learns the constant: a file or keyword that holds it already proves nothing.
    if String::from_utf8_lossy(data).contains(PLANTED) {
        return;
    }
    let text = format!(
        "{}\nusername alice {keyword} {PLANTED} privilege 15\n",
        String::from_utf8_lossy(file)
    );
    let config = asa::parse(&text);
    let mut stack: Vec<&asa::Command> = config.commands.iter().collect();
    while let Some(c) = stack.pop() {
        for pair in c.words.windows(2) {
            let key = pair[0].to_ascii_lowercase();
            if matches!(
                key.as_str(),
                "password" | "passwd" | "pre-shared-key" | "community"
            ) {
                assert!(
                    pair[1] == MASK || pair[1].starts_with("*****"),
                    "{:?}",
                    c.words
                );
            }
        }
        assert!(
            !c.words.iter().any(|w| w.contains(PLANTED)),
            "planted secret survived: {:?}",
            c.words
        );
        stack.extend(&c.children);
    }
});
