//! Any bytes as the lines of each traffic format (the first byte picks it), after the header
//! that format's files start with, and as YAMAHA RTX filter messages: never panic, and a
//! record's name is always a clean host name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_hunt::TimeContext;
use mamori_hunt::traffic::formats::{
    Layout, Parsed, TrafficFormat, detect, parse_line, rtx_message, rtx_message_in,
};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = TrafficFormat::ALL[usize::from(pick) % TrafficFormat::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let lines: Vec<&str> = text.lines().collect();
    let _ = detect(&lines);
    let tc = TimeContext {
        zone: jiff::tz::TimeZone::UTC,
        reference: jiff::civil::date(2026, 12, 31),
    };
    let mut layout = Layout {
        fields: [
            "ts",
            "uid",
            "id.orig_h",
            "id.orig_p",
            "id.resp_h",
            "id.resp_p",
            "query",
            "host",
            "date",
            "time",
            "c-ip",
            "s-ip",
            "cs-host",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        path: "dns".to_owned(),
    };
    for line in lines {
        if let Some(message) = rtx_message_in(line) {
            let _ = rtx_message(message, None);
        }
        match parse_line(format, line, &layout, &tc) {
            Parsed::Layout(l) => layout = l,
            Parsed::Record(r) => {
                if let Some(name) = r.name {
                    assert!(
                        name.bytes().all(|b| b.is_ascii_lowercase()
                            || b.is_ascii_digit()
                            || b"._-".contains(&b)),
                        "{name}"
                    );
                }
            }
            Parsed::Ignored(_) | Parsed::Broken(_) => {}
        }
    }
});
