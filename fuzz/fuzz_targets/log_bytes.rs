//! Any bytes as a log file (syslog text, or EVTX when the magic matches), then every
//! detection over what was read: never a panic, and every event points back at its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_hunt::{HuntConfig, TimeContext, detect, read_log_bytes};

fuzz_target!(|data: &[u8]| {
    let tc = TimeContext {
        zone: jiff::tz::TimeZone::UTC,
        reference: jiff::civil::date(2026, 11, 21),
    };
    let (report, events) = read_log_bytes("fuzz.log", data, &tc);
    assert_eq!(report.events, events.total());
    assert!(
        events
            .iter()
            .all(|e| e.origin.file == "fuzz.log" && e.count >= 1)
    );
    let _ = detect(events.groups(), &HuntConfig::default());
});
