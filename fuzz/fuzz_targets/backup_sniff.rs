//! The backup content sniffers on arbitrary names and bytes: never panic, and a file judged by
//! its name alone (a ransomware extension) is judged so whatever its bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_backup::generations::date_in_name;
use mamori_backup::names::{is_ransom_note, ransomware_extension};
use mamori_backup::sniff::{Sample, Suspicion, entropy, judge};

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let at = usize::from(split).min(rest.len());
    let (name, bytes) = rest.split_at(at);
    let name = String::from_utf8_lossy(name);
    let _ = date_in_name(&name);
    let _ = is_ransom_note(&name);
    let third = bytes.len() / 3;
    let others = [&bytes[third..], &bytes[..third]];
    let sample = Sample {
        first: bytes,
        others: &others,
    };
    let verdict = judge(&name, &sample);
    if ransomware_extension(&name).is_some() {
        assert!(matches!(verdict, Some(Suspicion::Extension { .. })));
    }
    let e = entropy(bytes);
    assert!((0.0..=8.01).contains(&e));
});
