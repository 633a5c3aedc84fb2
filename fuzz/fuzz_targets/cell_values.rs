//! Cell parsers and the text decoder on arbitrary input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::{decode, value};

fuzz_target!(|data: &[u8]| {
    let _ = decode::decode_lines(data);
    let text = String::from_utf8_lossy(data);
    let _ = value::parse_bool(&text);
    let _ = value::parse_date(&text);
    let _ = value::parse_time(&text);
    let _ = value::parse_weekday(&text);
    let _ = value::parse_month_day(&text);
});
