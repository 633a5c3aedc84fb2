//! Any text as `checklist.toml` and `holiday.toml`: must never panic, and every error must name
//! the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::site::answers::{parse_checklist, parse_holiday};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = std::path::Path::new(".");
    let (_, errors) = parse_checklist(text, dir, &["V01", "V02"]);
    assert!(errors.iter().all(|e| e.file == "checklist.toml"));
    let (_, errors) = parse_holiday(text, dir);
    assert!(errors.iter().all(|e| e.file == "holiday.toml"));
});
