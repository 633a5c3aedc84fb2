//! Every received message, raw, in `logs/received/<source>/<YYYY-MM-DD>.log` by the day it was
//! received (Tokyo time): flushed and fsynced at least once a second, so a power cut or a
//! `kill -9` loses at most the last second; a restart appends to the same day's file; a closed
//! day is compressed with zstd (`.log.zst`, which `hunt` and `assess` read as they read any
//! log), and days older than `keep_days` are removed.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

/// What went wrong with the archive (the receiver reports it and goes on receiving).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct ArchiveError {
    /// The file or folder.
    pub path: PathBuf,
    /// What the system said (disk full, permission denied).
    #[source]
    pub source: std::io::Error,
}

fn err(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError {
        path: path.to_owned(),
        source,
    }
}

/// One source's file of the day.
struct OpenDay {
    day: Date,
    path: PathBuf,
    /// The path as findings cite it (relative to the label base, `/`-separated), made once.
    label: String,
    writer: BufWriter<File>,
    /// Lines in the file so far.
    lines: u64,
}

/// The archive under `logs/received/`.
pub struct Archive {
    root: PathBuf,
    /// Where the labels of files are taken relative to (the site folder).
    label_base: PathBuf,
    /// Source → its open file.
    open: HashMap<String, OpenDay>,
    keep_days: i64,
    /// Messages written since start.
    pub written: u64,
}

/// A source's folder name: its address with `:` (IPv6) as `_`.
pub fn source_folder(source: &str) -> String {
    source
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl Archive {
    /// The archive at `root` (`SITE_DIR/logs/received`), keeping `keep_days` days. Files of
    /// earlier days left uncompressed (a stop before midnight) are compressed now.
    pub fn open(root: &Path, keep_days: i64, today: Date) -> Result<Self, ArchiveError> {
        std::fs::create_dir_all(root).map_err(err(root))?;
        let archive = Self {
            root: root.to_owned(),
            label_base: root.to_owned(),
            open: HashMap::new(),
            keep_days,
            written: 0,
        };
        archive.tidy(today)?;
        Ok(archive)
    }

    /// Labels files relative to `base` (the site folder: `logs/received/…`) in what
    /// [`Archive::write`] returns.
    pub fn labelled_from(mut self, base: &Path) -> Self {
        self.label_base = base.to_owned();
        self
    }

    /// The file a message from `source` received on `day` goes to.
    pub fn path(&self, source: &str, day: Date) -> PathBuf {
        self.root
            .join(source_folder(source))
            .join(format!("{day}.log"))
    }

    /// Appends one message (a newline is added when it has none); returns the file's label
    /// and the message's line in it, for the findings' evidence.
    pub fn write(
        &mut self,
        source: &str,
        received: Timestamp,
        raw: &[u8],
    ) -> Result<(&str, u64), ArchiveError> {
        let day = received.to_zoned(crate::tokyo()).date();
        if self.open.get(source).is_none_or(|o| o.day != day) {
            if let Some(mut o) = self.open.remove(source) {
                o.writer.flush().map_err(err(&o.path))?;
                o.writer.get_ref().sync_all().map_err(err(&o.path))?;
                drop(o.writer);
                compress(&o.path)?;
            }
            let path = self.path(source, day);
            let dir = path.parent().expect("a source folder");
            std::fs::create_dir_all(dir).map_err(err(dir))?;
            // A restart continues the day's file: its lines are counted once.
            let lines = match std::fs::read(&path) {
                Ok(bytes) => bytes.iter().filter(|b| **b == b'\n').count() as u64,
                Err(_) => 0,
            };
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(err(&path))?;
            let writer = BufWriter::with_capacity(256 * 1024, file);
            let label = path
                .strip_prefix(&self.label_base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let open = OpenDay {
                day,
                path,
                label,
                writer,
                lines,
            };
            self.open.insert(source.to_owned(), open);
        }
        let o = self.open.get_mut(source).expect("opened above");
        o.writer.write_all(raw).map_err(err(&o.path))?;
        if !raw.ends_with(b"\n") {
            o.writer.write_all(b"\n").map_err(err(&o.path))?;
        }
        o.lines += 1;
        self.written += 1;
        Ok((&o.label, o.lines))
    }

    /// Flushes and fsyncs every open file (the receiver calls it every second and at stop).
    pub fn sync(&mut self) -> Result<(), ArchiveError> {
        for o in self.open.values_mut() {
            o.writer.flush().map_err(err(&o.path))?;
            o.writer.get_ref().sync_data().map_err(err(&o.path))?;
        }
        Ok(())
    }

    /// Closes files of days before `today` (compressing them) and removes days older than
    /// `keep_days`. Called once a minute or so.
    pub fn tidy(&self, today: Date) -> Result<(), ArchiveError> {
        let entries = std::fs::read_dir(&self.root).map_err(err(&self.root))?;
        for source in entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        {
            let dir = source.path();
            for file in std::fs::read_dir(&dir).map_err(err(&dir))?.flatten() {
                let path = file.path();
                let name = file.file_name().to_string_lossy().into_owned();
                let Some(day) = name.get(..10).and_then(|d| d.parse::<Date>().ok()) else {
                    continue;
                };
                let age = day.until(today).map_or(0, |s| i64::from(s.get_days()));
                let open_now = self.open.values().any(|o| o.path == path);
                if age > self.keep_days {
                    std::fs::remove_file(&path).map_err(err(&path))?;
                } else if day < today && name.ends_with(".log") && !open_now {
                    compress(&path)?;
                }
            }
        }
        Ok(())
    }

    /// Closes every file: flushed and fsynced (the day stays uncompressed until it is over).
    pub fn close(mut self) -> Result<(), ArchiveError> {
        self.sync()
    }

    /// Sources with a file open (a source's day is compressed when its next day begins).
    pub fn sources(&self) -> usize {
        self.open.len()
    }
}

/// `X.log` → `X.log.zst` (written aside, then renamed), and `X.log` removed.
fn compress(path: &Path) -> Result<(), ArchiveError> {
    let mut target = path.as_os_str().to_owned();
    target.push(".zst");
    let target = PathBuf::from(target);
    let input = std::fs::read(path).map_err(err(path))?;
    let packed = zstd::encode_all(&input[..], 9).map_err(err(path))?;
    crate::write_atomic(&target, &packed).map_err(|e| ArchiveError {
        path: target.clone(),
        source: std::io::Error::other(format!("{e:#}")),
    })?;
    std::fs::remove_file(path).map_err(err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_files_restarts_append_and_old_days_are_packed_then_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("received");
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let today = jiff::civil::date(2026, 12, 30);
        let mut a = Archive::open(&root, 400, today).unwrap();
        a.write("192.0.2.1", t("2026-12-29T14:00:00Z"), b"<34>one")
            .unwrap(); // 23:00 JST, the 29th
        a.write("192.0.2.1", t("2026-12-29T15:00:00Z"), b"<34>two\n")
            .unwrap(); // 00:00 JST, the 30th
        a.write("2001:db8::1", t("2026-12-29T15:00:00Z"), b"v6")
            .unwrap();
        a.close().unwrap();
        let day29 = root.join("192.0.2.1/2026-12-29.log.zst");
        let packed = std::fs::read(&day29).unwrap();
        assert_eq!(
            zstd::decode_all(&packed[..]).unwrap(),
            b"<34>one\n",
            "the 29th was closed and packed"
        );
        let today_file = root.join("192.0.2.1/2026-12-30.log");
        assert_eq!(std::fs::read(&today_file).unwrap(), b"<34>two\n");
        assert!(root.join("2001_db8__1/2026-12-30.log").exists());
        // A restart appends to the same day's file.
        let mut a = Archive::open(&root, 400, today).unwrap();
        a.write("192.0.2.1", t("2026-12-30T01:00:00Z"), b"three")
            .unwrap();
        a.close().unwrap();
        assert_eq!(std::fs::read(&today_file).unwrap(), b"<34>two\nthree\n");
        // Days later: the 30th is packed at start-up, and past keep_days it is gone.
        Archive::open(&root, 400, jiff::civil::date(2027, 1, 2)).unwrap();
        assert!(root.join("192.0.2.1/2026-12-30.log.zst").exists() && !today_file.exists());
        Archive::open(&root, 3, jiff::civil::date(2027, 1, 2)).unwrap();
        assert!(
            !root.join("192.0.2.1/2026-12-29.log.zst").exists(),
            "4 days old, 3 kept"
        );
        assert!(
            root.join("192.0.2.1/2026-12-30.log.zst").exists(),
            "3 days old, 3 kept"
        );
    }
}
