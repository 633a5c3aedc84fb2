//! Backup scans on real files: the shared EVTX, mail, logs and gzip of `../shared/data` (and
//! the demo hospital's workbook) copied into dated generations in a temporary folder. A healthy
//! tree is quiet; the same tree after an attack — older generations encrypted in place and
//! renamed, files encrypted under their own names, ransom notes dropped — is caught; links,
//! names that are not UTF-8 and a 10,000-file folder are reported or read, and the scan goes on.

use std::path::{Path, PathBuf};

use mamori_backup::{ScanOptions, Suspicion, scan_destination};
use mamori_testing::shared;

/// Real files of several kinds: (name in the generation, bytes).
fn real_files() -> Option<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let pick = |dir: &str, ext: &str, n: usize| -> Option<Vec<PathBuf>> {
        let root = shared(dir)?;
        let mut found: Vec<PathBuf> = walk(&root)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        found.sort();
        found.truncate(n);
        Some(found)
    };
    for (dir, ext, n) in [
        ("evtx", "evtx", 6),
        ("mail", "eml", 6),
        ("syslog", "log", 3),
        ("syslog", "csv", 3),
        ("vendor/zeek", "gz", 3),
    ] {
        for path in pick(dir, ext, n)? {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read(&path).unwrap()));
        }
    }
    let workbook =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-hospital/assets.xlsx");
    files.push(("機器台帳.xlsx".into(), std::fs::read(workbook).unwrap()));
    Some(files)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Three nightly generations of the same files.
fn healthy_tree(root: &Path, files: &[(String, Vec<u8>)]) {
    for day in ["2026-11-18", "2026-11-19", "2026-11-20"] {
        let generation = root.join(day);
        std::fs::create_dir_all(&generation).unwrap();
        for (name, bytes) in files {
            std::fs::write(generation.join(name), bytes).unwrap();
        }
    }
}

/// What encryption leaves: the bytes XORed with a keystream (indistinguishable from random).
fn encrypt(bytes: &[u8]) -> Vec<u8> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    bytes
        .iter()
        .map(|b| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b ^ (x >> 32) as u8
        })
        .collect()
}

#[test]
fn a_healthy_tree_is_quiet_and_an_attacked_one_is_caught() {
    let Some(files) = real_files() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nas");
    healthy_tree(&root, &files);

    let healthy = scan_destination(&root, ScanOptions::default());
    assert_eq!(healthy.files, 3 * files.len() as u64);
    assert_eq!(healthy.generations.len(), 3);
    assert_eq!(healthy.suspect_count, 0, "{:?}", healthy.suspects);
    assert_eq!(healthy.ransom_note_count, 0);
    assert!(healthy.problems.is_empty(), "{:?}", healthy.problems);
    assert!(healthy.sampled_bytes > 0 && healthy.sampled_bytes <= healthy.bytes);

    // The attack: the oldest generation encrypted in place and renamed, the middle one
    // encrypted under its own names, a ransom note in each.
    for (name, bytes) in &files {
        let old = root.join("2026-11-18").join(name);
        std::fs::remove_file(&old).unwrap();
        std::fs::write(
            root.join("2026-11-18").join(format!("{name}.lockbit")),
            encrypt(bytes),
        )
        .unwrap();
        std::fs::write(root.join("2026-11-19").join(name), encrypt(bytes)).unwrap();
    }
    for day in ["2026-11-18", "2026-11-19", "2026-11-20"] {
        std::fs::write(
            root.join(day).join("Restore-My-Files.txt"),
            "Your files are encrypted.",
        )
        .unwrap();
    }
    let attacked = scan_destination(&root, ScanOptions::default());
    assert_eq!(attacked.ransom_note_count, 3);
    let why = |file: &str| {
        attacked
            .suspects
            .iter()
            .find(|s| s.file == file)
            .map(|s| s.suspicion.clone())
    };
    // Renamed: caught by name.
    assert!(matches!(
        why("2026-11-18/機器台帳.xlsx.lockbit"),
        Some(Suspicion::Extension { .. })
    ));
    // Encrypted under their own names: the header no longer matches, or the text is random.
    for (name, _) in &files {
        let suspicion = why(&format!("2026-11-19/{name}"));
        assert!(
            suspicion.is_some(),
            "{name} encrypted in place was not caught"
        );
        if name.ends_with(".evtx") || name.ends_with(".gz") || name.ends_with(".xlsx") {
            assert!(
                matches!(suspicion, Some(Suspicion::Magic { .. })),
                "{name}: {suspicion:?}"
            );
        }
    }
    // The newest generation is untouched.
    assert!(
        !attacked
            .suspects
            .iter()
            .any(|s| s.file.starts_with("2026-11-20/"))
    );
    assert_eq!(attacked.suspect_count, 2 * files.len() as u64);
}

#[cfg(unix)]
#[test]
fn links_odd_names_and_large_folders_are_reported_and_the_scan_goes_on() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("share");
    let big = root.join("2026-11-20");
    std::fs::create_dir_all(&big).unwrap();
    for i in 0..10_000 {
        std::fs::write(big.join(format!("{i:05}.txt")), format!("受付記録 {i}\n")).unwrap();
    }
    // A loop back to the root, and a link out of the share.
    std::os::unix::fs::symlink(&root, big.join("loop")).unwrap();
    std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
    // A CP932 file name (not UTF-8).
    let cp932 = std::ffi::OsStr::from_bytes(b"\x8e\xf3\x95\x74.txt");
    std::fs::write(big.join(cp932), "受付").unwrap();

    let scan = scan_destination(&root, ScanOptions::default());
    assert_eq!(scan.files, 10_001);
    assert_eq!(scan.generations.len(), 1);
    assert_eq!(scan.generations[0].files, 10_001);
    let linked: Vec<&str> = scan.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(linked, ["2026-11-20/loop", "etc"]);
    assert_eq!(scan.suspect_count, 0);
}
