//! Walking the folders mamori reads (`logs/`, `configs/`, `feeds/`, and paths named on the
//! command line) without leaving them.
//!
//! A site folder is handed to mamori by people who did not build it: a link inside it may
//! point anywhere (`configs/etc → /etc` would have read `/etc/shadow`), a link to a parent makes
//! a loop that reads one log forty times and invents a brute force, and a FIFO or a device hangs
//! a plain read. So every path is resolved first and then: followed only while it stays inside
//! the folder it was found in (the site folder, or the folder or file named on the command
//! line), read once however many ways it is reached, and read only when it is a regular file.
//! What is left out is returned with the reason, never dropped in silence.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mamori_model::Localized;

/// The files to read, in a stable order, and what was left out with the reason.
#[derive(Debug, Default)]
pub struct Walked {
    /// Regular files to read, in path order.
    pub files: Vec<PathBuf>,
    /// What was left out (links outside, loops, repeats, special files) and why.
    pub skipped: Vec<(PathBuf, Localized)>,
}

/// Walks each path (a folder recursively, hidden entries left out; a file is itself). Each
/// path is its own boundary: links inside it are followed only while they stay inside it.
pub fn walk(paths: &[PathBuf]) -> Walked {
    let mut walker = Walker::default();
    for path in paths {
        let boundary = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        walker.visit(path, &boundary, true);
    }
    walker.finish()
}

/// Walks every path in `paths`: inside `within` (the site folder) when given — links leading
/// outside it are not followed — else each path is its own boundary (see [`walk`]).
pub fn walk_paths(paths: &[PathBuf], within: Option<&Path>) -> Walked {
    let Some(boundary) = within else {
        return walk(paths);
    };
    let mut walker = Walker::default();
    let boundary = std::fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_owned());
    for path in paths {
        walker.visit(path, &boundary, true);
    }
    walker.finish()
}

/// Walks `path` (inside `boundary`, typically the site folder): links leading outside
/// `boundary` are not followed.
pub fn walk_within(path: &Path, boundary: &Path) -> Walked {
    let mut walker = Walker::default();
    let boundary = std::fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_owned());
    walker.visit(path, &boundary, true);
    walker.finish()
}

/// The largest ledger, answers or configuration file read (documented in site-format.md): a
/// real one is a few megabytes; past this a file is refused rather than exhausting a clinic
/// PC's memory.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads a whole file of at most [`MAX_FILE_BYTES`].
pub fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "{} MiB を超えるファイルです（larger than {} MiB）",
            MAX_FILE_BYTES >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// Why `path` (a file the site folder names, like `assets.csv`) must not be read: a link
/// leading outside `boundary`, or not a regular file. `None` when it may be read.
pub fn refuse(path: &Path, boundary: &Path) -> Option<Localized> {
    let boundary = std::fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_owned());
    let mut walker = Walker::default();
    walker.visit(path, &boundary, true);
    walker.out.skipped.pop().map(|(_, why)| why)
}

#[derive(Default)]
struct Walker {
    /// Canonical paths of the folders entered and the files taken, with the path that reached
    /// them first.
    seen: HashMap<PathBuf, PathBuf>,
    out: Walked,
}

impl Walker {
    /// The files in path order, whatever order links were visited in.
    fn finish(mut self) -> Walked {
        self.out.files.sort();
        self.out.skipped.sort_by(|a, b| a.0.cmp(&b.0));
        self.out
    }

    fn skip(&mut self, path: &Path, ja: String, en: String) {
        self.out
            .skipped
            .push((path.to_owned(), Localized::new(ja, en)));
    }

    fn visit(&mut self, path: &Path, boundary: &Path, named: bool) {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let resolved = match std::fs::canonicalize(path) {
            Ok(p) => p,
            Err(e) if is_link => {
                return self.skip(
                    path,
                    format!("リンク先をたどれないため読みません（壊れたリンクか、リンクのループです）: {e}"),
                    format!("not read: the link cannot be followed (broken, or a loop of links): {e}"),
                );
            }
            // Reading it will say why (not found, no permission).
            Err(_) => return self.out.files.push(path.to_owned()),
        };
        if !resolved.starts_with(boundary) {
            let target = resolved.display();
            return self.skip(
                path,
                format!("フォルダの外（{target}）を指すリンクのため読みません"),
                format!("not read: the link leads outside the folder ({target})"),
            );
        }
        let Ok(meta) = std::fs::metadata(&resolved) else {
            return self.out.files.push(path.to_owned());
        };
        if !meta.is_dir() && !meta.is_file() {
            return self.skip(
                path,
                "普通のファイルではない（名前付きパイプ・デバイス・ソケット）ため読みません".into(),
                "not read: not a regular file (named pipe, device or socket)".into(),
            );
        }
        if let Some(first) = self.seen.get(&resolved) {
            // The same folder again through a link is a loop or a second way in; the same file
            // again would be counted twice. Named twice on the command line: said once.
            let first = first.display().to_string();
            if meta.is_dir() || !named {
                return self.skip(
                    path,
                    format!("{first} と同じものなので、もう一度は読みません"),
                    format!("not read again: the same as {first}"),
                );
            }
            return self.skip(
                path,
                "同じファイルが二度指定されています。一度だけ読みました".into(),
                "named twice: read once".into(),
            );
        }
        self.seen.insert(resolved, path.to_owned());
        if meta.is_file() {
            return self.out.files.push(path.to_owned());
        }
        let Ok(entries) = std::fs::read_dir(path) else {
            return self.out.files.push(path.to_owned());
        };
        // Real entries before links, so that a file is cited by its own name, not by a link.
        let mut children: Vec<(bool, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| (e.file_type().is_ok_and(|t| t.is_symlink()), e.path()))
            .collect();
        children.sort();
        for (_, child) in children {
            self.visit(&child, boundary, false);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(w: &Walked, root: &Path) -> Vec<String> {
        w.files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn links_outside_loops_duplicates_and_fifos_are_left_out_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let logs = site.join("logs");
        std::fs::create_dir_all(logs.join("sub")).unwrap();
        std::fs::write(logs.join("a.log"), "a\n").unwrap();
        std::fs::write(logs.join("sub/b.log"), "b\n").unwrap();
        std::fs::write(site.join("site.toml"), "").unwrap();
        std::fs::write(dir.path().join("secret"), "x").unwrap();
        symlink("/etc", logs.join("etc")).unwrap();
        symlink(dir.path().join("secret"), logs.join("secret.log")).unwrap();
        symlink(&logs, logs.join("sub/loop")).unwrap();
        symlink(logs.join("a.log"), logs.join("again.log")).unwrap();
        symlink("../site.toml", logs.join("toml.log")).unwrap();
        symlink("nowhere", logs.join("broken.log")).unwrap();
        let fifo = logs.join("pipe.log");
        mamori_testing::mkfifo(&fifo);

        let w = walk_within(&logs, &site);
        // a.log once (again.log is the same file), b.log, and site.toml through a link that
        // stays inside the site folder.
        assert_eq!(names(&w, &logs), ["a.log", "sub/b.log", "toml.log"]);
        let skipped: Vec<(String, &str)> = w
            .skipped
            .iter()
            .map(|(p, why)| {
                let name = p.strip_prefix(&logs).unwrap().display().to_string();
                (name, why.en.split(':').next().unwrap())
            })
            .collect();
        assert_eq!(
            skipped,
            [
                ("again.log".into(), "not read again"),
                ("broken.log".into(), "not read"),
                ("etc".into(), "not read"),
                ("pipe.log".into(), "not read"),
                ("secret.log".into(), "not read"),
                ("sub/loop".into(), "not read again"),
            ]
        );
        assert!(w.skipped[2].1.ja.contains("フォルダの外"));
        assert!(w.skipped[3].1.ja.contains("名前付きパイプ"));

        // With logs/ as the boundary (a folder named on the command line), the link up to
        // site.toml leads outside; a file named twice is read once.
        let w = walk(&[logs.clone(), logs.join("a.log")]);
        assert!(!names(&w, &logs).contains(&"toml.log".to_owned()));
        assert_eq!(w.files.iter().filter(|p| p.ends_with("a.log")).count(), 1);
    }
}
