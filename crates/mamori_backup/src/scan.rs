//! One backup destination, walked and sampled: every file's size and time (one `stat` each), a
//! few blocks of its content (the start, and for large files the middle and the end — never a
//! whole file), generations from the names directly under the root, and each file judged by
//! [`crate::sniff`]. Links are not followed (a loop or a way out of the share is listed, not
//! walked); what cannot be read is listed with the reason and the scan goes on.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use jiff::Timestamp;
use mamori_model::Localized;
use rayon::prelude::*;

pub use mamori_model::backup::{
    DestinationScan, Generation, ManifestEntry, Problem, Repository, Suspect, Suspicion,
};

use crate::generations::{date_in_name, recognise};
use crate::sniff::{Sample, judge};

/// The most suspect files and ransom notes listed by name; beyond it they are counted.
pub const MAX_LISTED: usize = mamori_model::backup::MAX_LISTED;

/// How to sample.
#[derive(Clone, Copy, Debug)]
pub struct ScanOptions {
    /// Bytes read per sampled block (64 KiB).
    pub block: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self { block: 64 << 10 }
    }
}

struct Found {
    rel: String,
    /// The real path, only when `rel` is not it (a name that is not UTF-8, such as CP932 on a
    /// Windows share, shows with replacement characters).
    raw: Option<std::path::PathBuf>,
    size: u64,
    modified: Option<Timestamp>,
}

/// Scans one destination (a folder or a mounted share).
pub fn scan_destination(root: &Path, opts: ScanOptions) -> DestinationScan {
    let mut problems = Vec::new();
    let started = std::time::Instant::now();
    let found = walk(root, &mut problems);
    let walk_ms = started.elapsed().as_millis() as u64;
    // Kept small per file (a million files): the verdict, the fingerprint and the bytes read;
    // a file that could not be read goes to `unreadable` instead.
    let unreadable = std::sync::Mutex::new(Vec::new());
    let judged: Vec<(Option<Suspicion>, u64, u32)> = found
        .par_iter()
        .map(|f| {
            match sample_file(
                &f.raw.clone().unwrap_or_else(|| root.join(&f.rel)),
                f.size,
                opts.block,
            ) {
                Ok((blocks, read)) => {
                    let others: Vec<&[u8]> = blocks[1..].iter().map(Vec::as_slice).collect();
                    let sample = Sample {
                        first: &blocks[0],
                        others: &others,
                    };
                    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
                    (
                        judge(name, &sample),
                        fingerprint(&blocks, f.size),
                        read as u32,
                    )
                }
                Err(e) => {
                    let problem = Problem {
                        path: f.rel.clone(),
                        reason: mamori_model::input::io_message(&e),
                    };
                    unreadable
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(problem);
                    (None, 0, 0)
                }
            }
        })
        .collect();
    let sample_ms = started.elapsed().as_millis() as u64 - walk_ms;
    problems.extend(unreadable.into_inner().unwrap_or_else(|p| p.into_inner()));
    let mut scan = DestinationScan {
        root: root.display().to_string(),
        files: found.len() as u64,
        bytes: found.iter().map(|f| f.size).sum(),
        sampled_bytes: judged.iter().map(|j| u64::from(j.2)).sum(),
        walk_ms,
        sample_ms,
        newest: found.iter().filter_map(|f| f.modified).max(),
        generations: generations(root, &found),
        repository: repository(root),
        problems,
        manifest: Vec::with_capacity(found.len()),
        ..DestinationScan::default()
    };
    for (f, (suspicion, print, _)) in found.into_iter().zip(judged) {
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        if crate::names::is_ransom_note(name) {
            scan.ransom_note_count += 1;
            if scan.ransom_notes.len() < MAX_LISTED {
                scan.ransom_notes.push(f.rel.clone());
            }
        } else if let Some(suspicion) = suspicion {
            scan.suspect_count += 1;
            if scan.suspects.len() < MAX_LISTED {
                scan.suspects.push(Suspect {
                    file: f.rel.clone(),
                    suspicion,
                });
            }
        }
        scan.manifest.push(ManifestEntry {
            modified: f.modified.map_or(0, Timestamp::as_second),
            size: f.size,
            fingerprint: print,
            path: f.rel,
        });
    }
    scan.problems.sort_by(|a, b| a.path.cmp(&b.path));
    scan
}

/// Every regular file under `root`, depth first in name order; links and special files are
/// problems, not followed.
fn walk(root: &Path, problems: &mut Vec<Problem>) -> Vec<Found> {
    let mut found = Vec::new();
    let mut stack = vec![(root.to_owned(), String::new(), false)];
    while let Some((dir, rel, lossy)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(Problem {
                    path: if rel.is_empty() { ".".into() } else { rel },
                    reason: mamori_model::input::io_message(&e),
                });
                continue;
            }
        };
        let mut children: Vec<_> = entries.filter_map(Result::ok).collect();
        children.sort_by_key(std::fs::DirEntry::file_name);
        for entry in children.into_iter().rev() {
            let file_name = entry.file_name();
            let lossy = lossy || file_name.to_str().is_none();
            let name = file_name.to_string_lossy().into_owned();
            let child_rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type();
            match kind {
                Ok(t) if t.is_dir() => stack.push((entry.path(), child_rel, lossy)),
                Ok(t) if t.is_file() => match entry.metadata() {
                    Ok(meta) => found.push(Found {
                        raw: lossy.then(|| entry.path()),
                        rel: child_rel,
                        size: meta.len(),
                        modified: meta
                            .modified()
                            .ok()
                            .and_then(|m| Timestamp::try_from(m).ok()),
                    }),
                    Err(e) => problems.push(Problem {
                        path: child_rel,
                        reason: mamori_model::input::io_message(&e),
                    }),
                },
                Ok(t) if t.is_symlink() => problems.push(Problem {
                    path: child_rel,
                    reason: Localized::new(
                        "リンクはたどりません（ループや保存先の外を読まないため）",
                        "a link: not followed (no loops, nothing outside the destination)",
                    ),
                }),
                Ok(_) => problems.push(Problem {
                    path: child_rel,
                    reason: Localized::new(
                        "通常のファイルではないため読みません",
                        "not a regular file: not read",
                    ),
                }),
                Err(e) => problems.push(Problem {
                    path: child_rel,
                    reason: mamori_model::input::io_message(&e),
                }),
            }
        }
    }
    found.reverse();
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    found
}

/// The start of a file, and for a file larger than three blocks its middle and end.
fn sample_file(path: &Path, size: u64, block: usize) -> std::io::Result<(Vec<Vec<u8>>, u64)> {
    let mut file = File::open(path)?;
    let mut read_at = |offset: u64| -> std::io::Result<Vec<u8>> {
        file.seek(SeekFrom::Start(offset))?;
        let mut buf = Vec::with_capacity(block);
        (&mut file).take(block as u64).read_to_end(&mut buf)?;
        Ok(buf)
    };
    let mut blocks = vec![read_at(0)?];
    let b = block as u64;
    if size > 3 * b {
        blocks.push(read_at(size / 2 - b / 2)?);
        blocks.push(read_at(size - b)?);
    }
    let read = blocks.iter().map(|b| b.len() as u64).sum();
    Ok((blocks, read))
}

/// FNV-1a over the size and the sampled bytes: stable across versions (it is stored).
fn fingerprint(blocks: &[Vec<u8>], size: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in size.to_le_bytes().iter().chain(blocks.iter().flatten()) {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Dated folders and archives directly under the root, with their newest file; else the
/// restore points or snapshots of a recognised repository.
fn generations(root: &Path, found: &[Found]) -> Vec<Generation> {
    let mut out: Vec<Generation> = Vec::new();
    for f in found {
        let top = f.rel.split('/').next().unwrap_or_default();
        // Windows Server バックアップ: the dated `Backup …` folder two levels down.
        let name = f
            .rel
            .split('/')
            .find(|part| part.starts_with("Backup ") && date_in_name(part).is_some())
            .unwrap_or(top);
        let Some(date) = date_in_name(name) else {
            continue;
        };
        match out.iter_mut().find(|g| g.name == name) {
            Some(g) => {
                g.files += 1;
                g.newest = g.newest.max(f.modified);
            }
            None => out.push(Generation {
                name: name.to_owned(),
                date: Some(date),
                newest: f.modified,
                files: 1,
            }),
        }
    }
    if out.is_empty() {
        out = repository_points(root, found);
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.newest.cmp(&b.newest)));
    out
}

/// restic snapshots (one file each under `snapshots/`) and Veeam restore points (one file each).
fn repository_points(root: &Path, found: &[Found]) -> Vec<Generation> {
    let point = |f: &Found| Generation {
        name: f.rel.clone(),
        date: None,
        newest: f.modified,
        files: 1,
    };
    match repository(root) {
        Some(Repository::Restic) => found
            .iter()
            .filter(|f| f.rel.starts_with("snapshots/"))
            .map(point)
            .collect(),
        Some(Repository::Veeam) => found
            .iter()
            .filter(|f| {
                let lower = f.rel.to_lowercase();
                [".vbk", ".vib", ".vrb"].iter().any(|e| lower.ends_with(e))
            })
            .map(point)
            .collect(),
        _ => Vec::new(),
    }
}

fn repository(root: &Path) -> Option<Repository> {
    let entries: Vec<(String, bool)> = std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| {
            let dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.file_name().to_string_lossy().into_owned(), dir)
        })
        .collect();
    let readme = std::fs::read(root.join("README"))
        .ok()
        .map(|b| String::from_utf8_lossy(&b[..b.len().min(4096)]).into_owned());
    recognise(&entries, readme.as_deref())
}
