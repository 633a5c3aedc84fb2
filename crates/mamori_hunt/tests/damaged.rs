//! Damaged logs are never clean reads: every real EVTX in `../shared/data/evtx` reads whole,
//! and the same file one byte short, cut at a chunk, or with one bit flipped inside a record
//! says what was lost (`FileReport::damaged`). Copies are made in a temporary folder.

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};

use mamori_hunt::{ReadOptions, TimeContext, read_inputs};

use mamori_testing::shared;

fn opts() -> ReadOptions {
    ReadOptions::new(TimeContext {
        zone: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
        reference: jiff::civil::date(2026, 11, 21),
    })
}

fn read_one(path: &Path) -> mamori_hunt::FileReport {
    let mut input = read_inputs(&[path.to_owned()], &opts());
    assert_eq!(input.files.len(), 1);
    input.files.remove(0)
}

fn evtx_files() -> Vec<PathBuf> {
    let Some(dir) = shared("evtx") else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "evtx") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_real_evtx_reads_whole() {
    let files = evtx_files();
    for f in &files {
        let r = read_one(f);
        assert!(
            !r.is_incomplete(),
            "{}: {:?} {:?}",
            f.display(),
            r.error,
            r.damaged
        );
    }
}

#[test]
fn one_byte_short_cut_at_a_chunk_and_bit_flips_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let files = evtx_files();
    if files.is_empty() {
        return;
    }
    assert!(files.len() >= 20, "{}", files.len());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy();
        let whole = read_one(f);

        let short = dir.path().join(format!("short-{name}"));
        std::fs::write(&short, &bytes[..bytes.len() - 1]).unwrap();
        let r = read_one(&short);
        assert!(r.is_incomplete(), "{name} one byte short read as whole");
        assert!(
            r.damaged[0].ja.contains("末尾が欠けています"),
            "{:?}",
            r.damaged
        );

        // A bit flipped in the first chunk's records (past its 512-byte header).
        let mut flipped = bytes.clone();
        flipped[4096 + 700] ^= 0x04;
        let path = dir.path().join(format!("flip-{name}"));
        std::fs::write(&path, &flipped).unwrap();
        let r = read_one(&path);
        assert!(r.is_incomplete(), "{name} with a flipped bit read as whole");
        assert!(
            r.damaged
                .iter()
                .any(|d| d.en.contains("chunk(s) are damaged")),
            "{name}: {:?}",
            r.damaged
        );
        // What can still be read is read: never more events than the intact file.
        assert!(r.events <= whole.events + 1, "{name}");
    }
}

#[test]
fn a_gzipped_truncated_evtx_is_damaged_too() {
    use std::io::Write;
    let Some(f) = shared("evtx/evtx-attack-samples/DE_1102_security_log_cleared.evtx") else {
        return;
    };
    let bytes = std::fs::read(f).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Security.evtx.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes[..bytes.len() - 4096]).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let r = read_one(&path);
    assert_eq!(r.format, "evtx");
    assert!(r.is_incomplete(), "{:?}", r.damaged);
    // The gzip itself cut short: the stream breaks off.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(&path, &gz[..gz.len() / 2]).unwrap();
    assert!(read_one(&path).is_incomplete());
}

#[test]
fn a_text_log_whose_gzip_breaks_off_is_incomplete() {
    use std::io::Write;
    let Some(f) = shared("syslog/loghub/Linux_2k.log") else {
        return;
    };
    let bytes = std::fs::read(f).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).unwrap();
    let gz = gz.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages.1.gz");
    std::fs::write(&path, &gz).unwrap();
    assert!(!read_one(&path).is_incomplete());
    std::fs::write(&path, &gz[..gz.len() - 100]).unwrap();
    let r = read_one(&path);
    assert!(r.is_incomplete(), "{r:?}");
}

#[test]
fn a_line_of_many_megabytes_is_skipped_and_reported_and_the_rest_is_read() {
    use std::io::Write;
    let Some(f) = shared("syslog/loghub/Linux_2k.log") else {
        return;
    };
    let real = std::fs::read(&f).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..24 {
        gz.write_all(&[b'A'; 1 << 20]).unwrap();
    }
    gz.write_all(b"\n").unwrap();
    gz.write_all(&real).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages.gz");
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let whole = read_one(&f);
    let r = read_one(&path);
    assert_eq!(r.skipped.get("line longer than 1 MiB"), Some(&1));
    assert!(
        r.damaged[0].en.contains("line 1, 24 MiB"),
        "{:?}",
        r.damaged
    );
    assert_eq!(r.events, whole.events);
    assert_eq!(r.records, whole.records + 1);
}
