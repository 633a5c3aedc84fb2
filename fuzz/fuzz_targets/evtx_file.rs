//! Bytes behind a valid EVTX magic: exercises the EVTX path and the Windows event mapping on
//! corrupt and truncated files. Seed the corpus with the shared EVTX samples.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_hunt::{TimeContext, read_log_bytes};

fuzz_target!(|data: &[u8]| {
    let tc = TimeContext {
        zone: jiff::tz::TimeZone::UTC,
        reference: jiff::civil::date(2026, 11, 21),
    };
    let mut bytes = b"ElfFile\0".to_vec();
    bytes.extend_from_slice(data.get(8..).unwrap_or_default());
    let _ = read_log_bytes("fuzz.evtx", &bytes, &tc);
});
