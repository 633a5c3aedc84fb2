//! Bytes behind a valid EVTX magic: exercises the EVTX path and the Windows event mapping on
//! corrupt and truncated files, and asserts that a file whose size is not a header plus whole
//! chunks is never read as clean. Seed the corpus with the shared EVTX samples (and copies of
//! them cut short).
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
    let (report, _) = read_log_bytes("fuzz.evtx", &bytes, &tc);
    let whole = bytes.len() >= 4096 && (bytes.len() - 4096) % 65536 == 0;
    if !whole {
        assert!(
            report.is_incomplete(),
            "{} bytes read as clean",
            bytes.len()
        );
    }
});
